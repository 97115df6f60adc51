// k-means++ (seeded, restarts) and grid-indexed DBSCAN for ADAPTIVE (clustering.h).
//
// Determinism: every random choice comes from one std::mt19937_64 turned into doubles by hand
// (std::uniform_*_distribution is implementation-defined), and every accumulation that decides
// a label or a centre runs serially in double. The only library call is the distance matrix
// (one double GEMM per Lloyd iteration): BLAS splits a GEMM across threads by output blocks, so
// each distance is computed the same way whatever the thread count.

#include "clustering.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <unordered_map>

namespace netspatial::models::adaptive {

namespace {

//! A uniform double in [0, 1) from the top 53 bits: the same on every standard library.
double uniform01(std::mt19937_64& rng) { return double(rng() >> 11) * 0x1.0p-53; }

double squaredDistance(const double* a, const double* b, std::int64_t dim) {
  double s = 0.0;
  for (std::int64_t j = 0; j < dim; ++j) {
    const double d = a[j] - b[j];
    s += d * d;
  }
  return s;
}

struct Run {
  std::vector<double> centres;  // k × dim
  std::vector<int> labels;
  double inertia = std::numeric_limits<double>::infinity();
};

//! k-means++: the first centre uniformly, each next one with probability ∝ D² to the nearest
//! chosen centre. When every remaining D² is 0 (fewer distinct points than k) it picks uniformly,
//! and Lloyd's empty-cluster rule sorts the duplicates out.
std::vector<double> seedPlusPlus(const double* x, std::int64_t n, std::int64_t dim, int k, std::mt19937_64& rng) {
  std::vector<double> centres(std::size_t(k) * std::size_t(dim));
  std::vector<double> d2(std::size_t(n), std::numeric_limits<double>::infinity());
  auto take = [&](int c, std::int64_t i) {
    std::copy(x + i * dim, x + (i + 1) * dim, centres.begin() + std::ptrdiff_t(c) * dim);
    for (std::int64_t p = 0; p < n; ++p) d2[std::size_t(p)] = std::min(d2[std::size_t(p)], squaredDistance(x + p * dim, x + i * dim, dim));
  };
  take(0, std::min<std::int64_t>(n - 1, std::int64_t(uniform01(rng) * double(n))));
  for (int c = 1; c < k; ++c) {
    const double total = std::accumulate(d2.begin(), d2.end(), 0.0);
    std::int64_t pick = n - 1;
    if (total > 0.0) {
      const double target = uniform01(rng) * total;
      double run = 0.0;
      for (std::int64_t p = 0; p < n; ++p) {
        run += d2[std::size_t(p)];
        if (run > target && d2[std::size_t(p)] > 0.0) {
          pick = p;
          break;
        }
      }
    } else {
      pick = std::min<std::int64_t>(n - 1, std::int64_t(uniform01(rng) * double(n)));
    }
    take(c, pick);
  }
  return centres;
}

Run lloyd(const torch::Tensor& points, const double* x, std::int64_t n, std::int64_t dim, int k, std::vector<double> centres,
          int maxIterations) {
  Run run;
  run.labels.assign(std::size_t(n), -1);
  // ‖x‖² once; each iteration needs only x·cᵀ (GEMM) and ‖c‖².
  const torch::Tensor pointNorms = points.pow(2).sum(1).contiguous();
  const double* xx = pointNorms.data_ptr<double>();
  std::vector<double> best(static_cast<std::size_t>(n));
  for (int iteration = 0; iteration < std::max(1, maxIterations); ++iteration) {
    const torch::Tensor c = torch::from_blob(centres.data(), {k, dim}, torch::kFloat64);
    const torch::Tensor cross = torch::mm(points, c.t()).contiguous();
    const double* xc = cross.data_ptr<double>();
    std::vector<double> cc(static_cast<std::size_t>(k));
    for (int j = 0; j < k; ++j)
      for (std::int64_t d = 0; d < dim; ++d) cc[std::size_t(j)] += centres[std::size_t(j * dim + d)] * centres[std::size_t(j * dim + d)];
    bool changed = false;
    for (std::int64_t p = 0; p < n; ++p) {
      int arg = 0;
      double bestD = std::numeric_limits<double>::infinity();
      for (int j = 0; j < k; ++j) {
        const double d = xx[p] - 2.0 * xc[p * k + j] + cc[std::size_t(j)];
        if (d < bestD) {
          bestD = d;
          arg = j;
        }
      }
      if (run.labels[std::size_t(p)] != arg) changed = true;
      run.labels[std::size_t(p)] = arg;
    }
    // The exact distances (the GEMM form can cancel to slightly negative values).
    for (std::int64_t p = 0; p < n; ++p)
      best[std::size_t(p)] = squaredDistance(x + p * dim, centres.data() + std::ptrdiff_t(run.labels[std::size_t(p)]) * dim, dim);
    // Empty clusters move to the point farthest from its centre, which then leaves its old cluster.
    std::vector<std::int64_t> counts(std::size_t(k), 0);
    for (int l : run.labels) ++counts[std::size_t(l)];
    for (int j = 0; j < k; ++j) {
      if (counts[std::size_t(j)] > 0) continue;
      const auto far = std::int64_t(std::max_element(best.begin(), best.end()) - best.begin());
      if (counts[std::size_t(run.labels[std::size_t(far)])] <= 1) continue;  // only duplicates left
      --counts[std::size_t(run.labels[std::size_t(far)])];
      run.labels[std::size_t(far)] = j;
      counts[std::size_t(j)] = 1;
      best[std::size_t(far)] = 0.0;
      changed = true;
    }
    if (!changed && iteration > 0) break;
    std::vector<double> sums(std::size_t(k) * std::size_t(dim), 0.0);
    for (std::int64_t p = 0; p < n; ++p) {
      double* s = sums.data() + std::ptrdiff_t(run.labels[std::size_t(p)]) * dim;
      for (std::int64_t d = 0; d < dim; ++d) s[d] += x[p * dim + d];
    }
    for (int j = 0; j < k; ++j)
      if (counts[std::size_t(j)] > 0)
        for (std::int64_t d = 0; d < dim; ++d)
          centres[std::size_t(j * dim + d)] = sums[std::size_t(j * dim + d)] / double(counts[std::size_t(j)]);
  }
  run.inertia = 0.0;
  for (std::int64_t p = 0; p < n; ++p)
    run.inertia += squaredDistance(x + p * dim, centres.data() + std::ptrdiff_t(run.labels[std::size_t(p)]) * dim, dim);
  run.centres = std::move(centres);
  return run;
}

}  // namespace

KMeansResult kMeans(const torch::Tensor& points, int k, int restarts, std::uint64_t seed, int maxIterations) {
  if (points.dim() != 2 || points.size(0) < 1) throw std::invalid_argument("kMeans: points must be [N ≥ 1, D]");
  const torch::Tensor x = points.detach().to(torch::kCPU, torch::kFloat64).contiguous();
  const std::int64_t n = x.size(0), dim = x.size(1);
  const int clusters = int(std::clamp<std::int64_t>(k, 1, n));
  std::mt19937_64 rng(seed);
  Run best;
  for (int r = 0; r < std::max(1, restarts); ++r) {
    Run run = lloyd(x, x.data_ptr<double>(), n, dim, clusters, seedPlusPlus(x.data_ptr<double>(), n, dim, clusters, rng), maxIterations);
    if (run.inertia < best.inertia) best = std::move(run);  // strict: the earliest restart wins ties
  }
  KMeansResult result;
  result.centres = torch::from_blob(best.centres.data(), {clusters, dim}, torch::kFloat64).to(torch::kFloat32).clone();
  result.labels = std::move(best.labels);
  result.inertia = best.inertia;
  return result;
}

std::vector<int> dbscan(const std::vector<double>& xs, const std::vector<double>& ys, double eps, int minPoints) {
  if (xs.size() != ys.size()) throw std::invalid_argument("dbscan: xs and ys differ in length");
  if (!(eps > 0.0) || !std::isfinite(eps)) throw std::invalid_argument("dbscan: eps must be positive and finite");
  const std::size_t n = xs.size();
  std::vector<int> labels(n, -1);
  if (n == 0) return labels;

  // Grid of eps × eps cells: every neighbour of a point lies in its own or the 8 adjacent cells.
  auto cellOf = [eps](double v) {
    const double c = std::floor(v / eps);
    return std::int64_t(std::clamp(c, -1e15, 1e15));
  };
  struct KeyHash {
    std::size_t operator()(const std::pair<std::int64_t, std::int64_t>& k) const {
      return std::hash<std::int64_t>()(k.first * 0x9E3779B97F4A7C15LL ^ k.second);
    }
  };
  std::unordered_map<std::pair<std::int64_t, std::int64_t>, std::vector<std::size_t>, KeyHash> grid;
  std::vector<bool> finite(n);
  for (std::size_t i = 0; i < n; ++i) {
    finite[i] = std::isfinite(xs[i]) && std::isfinite(ys[i]);  // a point without coordinates is noise
    if (finite[i]) grid[{cellOf(xs[i]), cellOf(ys[i])}].push_back(i);
  }
  const double eps2 = eps * eps;
  auto neighbours = [&](std::size_t i) {
    std::vector<std::size_t> out;
    const std::int64_t cx = cellOf(xs[i]), cy = cellOf(ys[i]);
    for (std::int64_t dx = -1; dx <= 1; ++dx)
      for (std::int64_t dy = -1; dy <= 1; ++dy) {
        const auto it = grid.find({cx + dx, cy + dy});
        if (it == grid.end()) continue;
        for (std::size_t j : it->second) {
          const double ddx = xs[j] - xs[i], ddy = ys[j] - ys[i];
          if (ddx * ddx + ddy * ddy <= eps2) out.push_back(j);
        }
      }
    std::sort(out.begin(), out.end());  // cell order must not leak into the labels
    return out;
  };
  std::vector<std::vector<std::size_t>> near(n);
  std::vector<bool> core(n, false);
  for (std::size_t i = 0; i < n; ++i)
    if (finite[i]) {
      near[i] = neighbours(i);
      core[i] = int(near[i].size()) >= minPoints;
    }

  // Expand clusters from core points in index order; a border point joins the first cluster
  // that reaches it.
  int clusters = 0;
  for (std::size_t seedPoint = 0; seedPoint < n; ++seedPoint) {
    if (!core[seedPoint] || labels[seedPoint] >= 0) continue;
    const int id = clusters++;
    std::vector<std::size_t> queue{seedPoint};
    labels[seedPoint] = id;
    for (std::size_t q = 0; q < queue.size(); ++q) {
      const std::size_t p = queue[q];
      for (std::size_t j : near[p]) {
        if (labels[j] >= 0) continue;
        labels[j] = id;
        if (core[j]) queue.push_back(j);
      }
    }
  }
  // Renumber by each cluster's first (lowest-index) point, as the header promises.
  std::vector<int> renumber(std::size_t(clusters), -1);
  int next = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (labels[i] >= 0 && renumber[std::size_t(labels[i])] < 0) renumber[std::size_t(labels[i])] = next++;
  for (int& l : labels)
    if (l >= 0) l = renumber[std::size_t(l)];
  return labels;
}

}  // namespace netspatial::models::adaptive
