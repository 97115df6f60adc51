#include "nearestcontext.h"

#include "seriesprofile.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace netspatial::models {

ModelStatus NearestContextGenerator::fit(const std::vector<TrainingSite>& sites, const Normalisation& normalisation, std::uint64_t seed,
                                         const ProgressFn& progress) {
  if (!detail::report(progress, 0.0)) return detail::cancelledError(id() + " fitting");
  (void)seed;
  if (sites.empty()) return ModelError{ModelErrorCode::InvalidArgument, "nearest_context needs at least 1 training site"};
  std::vector<std::vector<double>> features;
  std::vector<std::vector<float>> series;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    if (sites[i].series.size() != std::size_t(kSequenceHours))
      return ModelError{ModelErrorCode::InvalidArgument,
                        "training site " + std::to_string(i) + " has " + std::to_string(sites[i].series.size()) + " hours, expected 672"};
    for (float v : sites[i].series)
      if (!std::isfinite(v))
        return ModelError{ModelErrorCode::InvalidArgument, "training site " + std::to_string(i) + " has a missing or non-finite hour"};
    features.push_back(contextFeatures(sites[i].context));
    series.push_back(sites[i].series);
  }
  m_standardiser.fit(features);
  for (auto& row : features) row = m_standardiser.apply(row);
  m_features = std::move(features);
  m_series = std::move(series);
  m_normalisation = normalisation;
  Sha256 h;
  h.add(id());
  for (std::size_t i = 0; i < m_series.size(); ++i) {
    detail::hashDoubles(h, m_features[i]);
    detail::hashFloats(h, m_series[i]);
  }
  m_sha256 = h.hexDigest();
  (void)detail::report(progress, 1.0);
  return Unit{};
}

std::vector<std::size_t> NearestContextGenerator::neighbours(const ModelContext& context, std::size_t count) const {
  const std::vector<double> f = m_standardiser.apply(contextFeatures(context));
  std::vector<double> distance(m_features.size(), 0.0);
  for (std::size_t i = 0; i < m_features.size(); ++i)
    for (std::size_t j = 0; j < f.size(); ++j) distance[i] += (f[j] - m_features[i][j]) * (f[j] - m_features[i][j]);
  std::vector<std::size_t> order(m_features.size());
  std::iota(order.begin(), order.end(), std::size_t(0));
  count = std::min(count, order.size());
  // Ties go to the lower index, so the result does not depend on the sort implementation.
  std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(count), order.end(),
                    [&](std::size_t a, std::size_t b) { return distance[a] < distance[b] || (distance[a] == distance[b] && a < b); });
  order.resize(count);
  return order;
}

ModelResult<GeneratedBatch> NearestContextGenerator::generate(const std::vector<ModelContext>& contexts, int samples, std::uint64_t seed,
                                                              Device device, const ProgressFn& progress) const {
  (void)seed;
  (void)device;
  if (auto bad = detail::checkGenerateRequest(id(), isFitted(), samples)) return *bad;
  GeneratedBatch batch = GeneratedBatch::zeros(contexts.size(), samples);
  for (std::size_t s = 0; s < contexts.size(); ++s) {
    // A chunk of sites costs well under a millisecond: check there, not per site.
    if (s % detail::kSitesPerCheck == 0 && !detail::report(progress, double(s) / double(contexts.size())))
      return detail::cancelledError(id() + " generation");
    const std::vector<std::size_t> near = neighbours(contexts[s], std::size_t(samples));
    for (int k = 0; k < samples; ++k) {
      // Fewer training sites than samples: cycle through them again.
      const std::vector<float>& src = m_series[near[std::size_t(k) % near.size()]];
      std::copy(src.begin(), src.end(), batch.series(s, k));
    }
  }
  (void)detail::report(progress, 1.0);  // done: a cancel now has nothing left to stop
  return batch;
}

}  // namespace netspatial::models
