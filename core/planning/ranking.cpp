#include "core/planning/ranking.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace netspatial::core {

namespace {

// Percentile ranks in [0, 1] (average rank for ties), so utilities of different units combine.
std::vector<double> percentileRanks(const std::vector<double>& v) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&v](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> out(v.size(), 0.5);
  if (v.size() < 2) return out;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double r = (double(i) + double(j)) / 2.0 / double(v.size() - 1);
    for (std::size_t k = i; k <= j; ++k) out[order[k]] = r;
    i = j + 1;
  }
  return out;
}

// The ranked utility of each site, from summaries (sample < 0) or from one sample.
std::vector<double> values(const std::vector<const SiteUtilities*>& sites, const RankingOptions& o, int sample) {
  auto basic = [&](Utility u) {
    std::vector<double> out;
    out.reserve(sites.size());
    for (const SiteUtilities* s : sites)
      out.push_back(sample < 0 ? utilityValue(*s, u) : utilityValue(s->perSample[std::size_t(sample) % s->perSample.size()], u));
    return out;
  };
  if (o.utility != Utility::Composite) return basic(o.utility);
  const CompositeWeights& w = o.weights;
  const double total = w.lsi + w.mean + w.p95 + w.stability;
  std::vector<double> out(sites.size(), 0.0);
  const std::pair<Utility, double> parts[] = {
      {Utility::Lsi, w.lsi}, {Utility::MeanDemand, w.mean}, {Utility::PeakP95, w.p95}, {Utility::StabilityWeighted, w.stability}};
  for (const auto& [u, weight] : parts) {
    if (weight == 0.0) continue;
    const std::vector<double> pr = percentileRanks(basic(u));
    for (std::size_t i = 0; i < out.size(); ++i) out[i] += weight / total * pr[i];
  }
  return out;
}

// Indices of `v` sorted best first; ties by site id.
std::vector<std::size_t> orderOf(const std::vector<double>& v, const std::vector<const SiteUtilities*>& sites) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (v[a] != v[b]) return v[a] > v[b];
    return sites[a]->siteId < sites[b]->siteId;
  });
  return order;
}

// Greedy top-K in utility order, skipping sites closer than the spacing to a pick.
std::vector<std::size_t> pick(const std::vector<std::size_t>& order, const std::vector<const SiteUtilities*>& sites, int k, double spacing,
                              int* skipped) {
  std::vector<std::size_t> picked;
  for (std::size_t i : order) {
    if (int(picked.size()) >= k) break;
    const bool tooClose =
        spacing > 0.0 && std::any_of(picked.begin(), picked.end(), [&](std::size_t j) {
          return std::hypot(sites[i]->position.x - sites[j]->position.x, sites[i]->position.y - sites[j]->position.y) < spacing;
        });
    if (tooClose) {
      if (skipped) ++*skipped;
      continue;
    }
    picked.push_back(i);
  }
  return picked;
}

}  // namespace

Result<Ranking> rankSites(const std::vector<SiteUtilities>& all, const RankingOptions& o) {
  if (o.topK < 1) return Error(ErrorCode::InvalidArgument, QStringLiteral("K must be at least 1, not %1").arg(o.topK));
  if (!(o.minSpacing >= 0.0)) return Error(ErrorCode::InvalidArgument, QStringLiteral("the minimum spacing must be ≥ 0 m"));
  if (!(o.minDemand >= 0.0)) return Error(ErrorCode::InvalidArgument, QStringLiteral("the minimum demand must be ≥ 0"));
  const CompositeWeights& w = o.weights;
  if (o.utility == Utility::Composite &&
      (w.lsi < 0 || w.mean < 0 || w.p95 < 0 || w.stability < 0 || !(w.lsi + w.mean + w.p95 + w.stability > 0)))
    return Error(ErrorCode::InvalidArgument, QStringLiteral("composite weights must be ≥ 0 and not all zero"));

  Ranking ranking;
  ranking.options = o;
  std::vector<const SiteUtilities*> eligible, below;
  for (const SiteUtilities& s : all) (s.mean >= o.minDemand ? eligible : below).push_back(&s);
  ranking.eligible = int(eligible.size());
  ranking.belowFloor = int(below.size());

  const std::vector<double> v = values(eligible, o, -1);
  const std::vector<std::size_t> order = orderOf(v, eligible);
  const std::vector<std::size_t> picked = pick(order, eligible, o.topK, o.minSpacing, &ranking.skippedForSpacing);

  // Robust rank: how often each site is in the top K when the ranking is redone on one sample.
  std::size_t samples = 0;
  for (const SiteUtilities* s : eligible) samples = std::max(samples, s->perSample.size());
  std::vector<int> hits(eligible.size(), 0);
  for (std::size_t k = 0; k < samples; ++k) {
    const std::vector<double> vk = values(eligible, o, int(k));
    for (std::size_t i : pick(orderOf(vk, eligible), eligible, o.topK, o.minSpacing, nullptr)) ++hits[i];
  }

  std::vector<bool> isPicked(eligible.size(), false);
  for (std::size_t i : picked) isPicked[i] = true;
  const int lastPickedRank = picked.empty() ? 0 : int(std::find(order.begin(), order.end(), picked.back()) - order.begin()) + 1;
  for (std::size_t r = 0; r < order.size(); ++r) {
    const std::size_t i = order[r];
    RankedSite site;
    site.rank = int(r) + 1;
    site.siteId = eligible[i]->siteId;
    site.position = eligible[i]->position;
    site.value = v[i];
    site.selected = isPicked[i];
    site.pTopK = samples ? double(hits[i]) / double(samples) : 0.0;
    if (!site.selected && o.minSpacing > 0.0 && site.rank < lastPickedRank)
      site.excludedBecause = QStringLiteral("within %1 m of a better selected site").arg(o.minSpacing, 0, 'f', 0);
    site.utilities = *eligible[i];
    ranking.sites.push_back(std::move(site));
  }
  std::vector<const SiteUtilities*> sortedBelow = below;
  std::sort(sortedBelow.begin(), sortedBelow.end(), [](const SiteUtilities* a, const SiteUtilities* b) { return a->siteId < b->siteId; });
  for (const SiteUtilities* s : sortedBelow) {
    RankedSite site;
    site.siteId = s->siteId;
    site.position = s->position;
    site.value = o.utility == Utility::Composite ? std::nan("") : utilityValue(*s, o.utility);
    site.excludedBecause = QStringLiteral("mean demand %1 below the floor %2").arg(s->mean, 0, 'g', 3).arg(o.minDemand, 0, 'g', 3);
    site.utilities = *s;
    ranking.sites.push_back(std::move(site));
  }
  return ranking;
}

}  // namespace netspatial::core
