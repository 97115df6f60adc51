#include "app/common/heldoutsplit.h"

#include "core/context/sitecontext.h"
#include "core/traffic/hourlyseries.h"

#include <cmath>
#include <map>
#include <random>

namespace netspatial::app {

using namespace netspatial::core;

Result<EligibleSites> eligibleSites(const Scenario& scenario, const SiteEligibility& rule, const QString& label) {
  EligibleSites out;
  const HourlyTraffic& traffic = scenario.trafficObserved;
  for (const auto& [site, values] : traffic.valuesBySite) {
    HourlySeries s;
    s.start = traffic.start;
    s.timeZone = scenario.metadata.timeZone;
    s.values = values;
    auto w = mondayAlignedWindow(s, rule.window);
    if (!w) return Error(w.error().code(), QStringLiteral("%1: %2").arg(label, w.error().message()), {label});
    if (w->missingCount() > 0 || (rule.requireCompleteSeries && s.missingCount() > 0)) {
      ++out.incomplete;
      continue;
    }
    out.ids.push_back(site);
    out.windows.push_back(std::move(w->values));
  }
  return out;
}

// Held-out sites by square blocks: neighbours share a block, so a test site's neighbour is never
// in training (spatial leakage would flatter context-copying methods).
std::vector<bool> heldOutByBlocks(const std::vector<PointXY>& positions, double fraction, double groupSize, quint64 seed, int* blockCount) {
  std::map<std::pair<long long, long long>, std::vector<std::size_t>> blocks;
  for (std::size_t i = 0; i < positions.size(); ++i)
    blocks[{static_cast<long long>(std::floor(positions[i].x / groupSize)), static_cast<long long>(std::floor(positions[i].y / groupSize))}]
        .push_back(i);
  std::vector<const std::vector<std::size_t>*> order;
  for (const auto& [key, members] : blocks) order.push_back(&members);
  // Fisher–Yates on the raw mt19937_64 stream: portable, unlike std::shuffle's distribution.
  std::mt19937_64 rng(seed);
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[std::size_t(rng() % i)]);
  const auto wanted = std::size_t(std::ceil(fraction * double(positions.size())));
  std::vector<bool> heldOut(positions.size(), false);
  std::size_t taken = 0;
  for (const auto* members : order) {
    if (taken >= wanted) break;
    for (std::size_t i : *members) heldOut[i] = true;
    taken += members->size();
  }
  if (blockCount) *blockCount = int(blocks.size());
  return heldOut;
}

Result<BlockSplit> splitByBlocks(const Scenario& scenario, const std::vector<QString>& ids, double fraction, double groupSize,
                                 quint64 seed) {
  std::vector<PointXY> positions;
  positions.reserve(ids.size());
  for (const QString& id : ids) {
    const auto p = sitePosition(scenario, id);
    if (!p) return Error(ErrorCode::InvalidValue, QStringLiteral("site '%1' has traffic but no position").arg(id));
    positions.push_back(*p);
  }
  BlockSplit split;
  split.heldOut = heldOutByBlocks(positions, fraction, groupSize, seed, &split.blocks);
  return split;
}

}  // namespace netspatial::app
