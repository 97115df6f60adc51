#include "core/operations/stationnetwork.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <utility>

namespace netspatial::core {

std::vector<std::vector<int>> neighboursWithin(const std::vector<OperationsStation>& stations, double maxDistance) {
  const int n = int(stations.size());
  std::vector<std::vector<int>> result(static_cast<std::size_t>(n));
  if (n == 0 || !(maxDistance > 0.0)) return result;
  // Buckets of side maxDistance: a neighbour lies in the 3 × 3 buckets around a station.
  std::map<std::pair<long long, long long>, std::vector<int>> buckets;
  auto key = [&](const PointXY& p) {
    return std::pair<long long, long long>{(long long)std::floor(p.x / maxDistance), (long long)std::floor(p.y / maxDistance)};
  };
  for (int i = 0; i < n; ++i) buckets[key(stations[std::size_t(i)].position)].push_back(i);
  const double limit2 = maxDistance * maxDistance;
  for (int i = 0; i < n; ++i) {
    const PointXY& p = stations[std::size_t(i)].position;
    const auto [bx, by] = key(p);
    std::vector<std::pair<double, int>> found;
    for (long long dx = -1; dx <= 1; ++dx)
      for (long long dy = -1; dy <= 1; ++dy) {
        auto it = buckets.find({bx + dx, by + dy});
        if (it == buckets.end()) continue;
        for (int j : it->second) {
          if (j == i) continue;
          const PointXY& q = stations[std::size_t(j)].position;
          const double d2 = (p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y);
          if (d2 <= limit2) found.push_back({d2, j});
        }
      }
    std::sort(found.begin(), found.end());
    for (const auto& [d2, j] : found) result[std::size_t(i)].push_back(j);
  }
  return result;
}

std::vector<std::vector<int>> connectedComponents(const std::vector<std::vector<int>>& neighbours) {
  const int n = int(neighbours.size());
  std::vector<int> parent(static_cast<std::size_t>(n));
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](int a) {
    while (parent[std::size_t(a)] != a) a = parent[std::size_t(a)] = parent[std::size_t(parent[std::size_t(a)])];
    return a;
  };
  for (int i = 0; i < n; ++i)
    for (int j : neighbours[std::size_t(i)]) {
      const int a = find(i), b = find(j);
      if (a != b) parent[std::size_t(std::max(a, b))] = std::min(a, b);
    }
  std::map<int, std::vector<int>> groups;
  for (int i = 0; i < n; ++i) groups[find(i)].push_back(i);
  std::vector<std::vector<int>> out;
  for (auto& [root, members] : groups) out.push_back(std::move(members));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.front() < b.front(); });
  return out;
}

}  // namespace netspatial::core
