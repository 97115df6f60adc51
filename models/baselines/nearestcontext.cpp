#include "nearestcontext.h"

#include "seriesprofile.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace netspatial::models {

ModelStatus NearestContextGenerator::fit(const std::vector<TrainingSite>& sites, const Normalisation& normalisation, std::uint64_t seed) {
  (void)seed;
  if (sites.empty()) return ModelError{"nearest_context needs at least 1 training site"};
  std::vector<std::vector<double>> features;
  std::vector<std::vector<float>> series;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    if (sites[i].series.size() != std::size_t(kSequenceHours))
      return ModelError{"training site " + std::to_string(i) + " has " + std::to_string(sites[i].series.size()) + " hours, expected 672"};
    for (float v : sites[i].series)
      if (!std::isfinite(v)) return ModelError{"training site " + std::to_string(i) + " has a missing or non-finite hour"};
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
                                                              Device device) const {
  (void)seed;
  (void)device;
  if (auto bad = detail::checkGenerateRequest(id(), isFitted(), samples)) return *bad;
  GeneratedBatch batch = GeneratedBatch::zeros(contexts.size(), samples);
  for (std::size_t s = 0; s < contexts.size(); ++s) {
    const std::vector<std::size_t> near = neighbours(contexts[s], std::size_t(samples));
    for (int k = 0; k < samples; ++k) {
      // Fewer training sites than samples: cycle through them again.
      const std::vector<float>& src = m_series[near[std::size_t(k) % near.size()]];
      std::copy(src.begin(), src.end(), batch.series(s, k));
    }
  }
  return batch;
}

}  // namespace netspatial::models
