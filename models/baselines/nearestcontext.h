#pragma once

// Reference generator "nearest context" (DESIGN.md §6): copies the observed series of the training
// site whose context features are closest (Euclidean, standardised). Sample k is the k-th nearest
// site, so an ensemble shows how much similar places differ. Deterministic: the seed is ignored.

#include "netspatial/models/contextfeatures.h"
#include "netspatial/models/generator.h"

namespace netspatial::models {

class NearestContextGenerator final : public Generator {
 public:
  std::string id() const override { return "nearest_context"; }
  std::string displayName() const override { return "Nearest-context neighbour (reference)"; }
  std::string weightsSha256() const override { return m_sha256; }
  ModelStatus fit(const std::vector<TrainingSite>& sites, const Normalisation& normalisation, std::uint64_t seed,
                  const ProgressFn& progress = {}) override;
  bool isFitted() const override { return !m_series.empty(); }
  Normalisation normalisation() const override { return m_normalisation; }
  ModelResult<GeneratedBatch> generate(const std::vector<ModelContext>& contexts, int samples, std::uint64_t seed,
                                       Device device = Device::Cpu, const ProgressFn& progress = {}) const override;
  //! Training-site indices ordered by context distance (nearest first), for tests and the inspector.
  std::vector<std::size_t> neighbours(const ModelContext& context, std::size_t count) const;

 private:
  Normalisation m_normalisation;
  FeatureStandardiser m_standardiser;
  std::vector<std::vector<double>> m_features;  //!< standardised
  std::vector<std::vector<float>> m_series;
  std::string m_sha256;
};

}  // namespace netspatial::models
