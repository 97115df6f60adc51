#pragma once

// Reference generator "zone template" (DESIGN.md §6): the mean weekly shape of the training sites
// of the same zone, scaled by a volume predicted from the context by ridge regression; sampled by
// adding the relative residual of a random training site of that zone. Every neural model must
// beat it.

#include "netspatial/models/contextfeatures.h"
#include "netspatial/models/generator.h"

#include <map>
#include <string>
#include <vector>

namespace netspatial::models {

class ZoneTemplateGenerator final : public Generator {
 public:
  //! A zone (or zone class) needs this many training sites to have its own template.
  static constexpr int kMinSitesPerGroup = 3;

  std::string id() const override { return "zone_template"; }
  std::string displayName() const override { return "Zone template (reference)"; }
  std::string weightsSha256() const override { return m_sha256; }
  ModelStatus fit(const std::vector<TrainingSite>& sites, const Normalisation& normalisation, std::uint64_t seed,
                  const ProgressFn& progress = {}) override;
  bool isFitted() const override { return !m_sites.empty(); }
  Normalisation normalisation() const override { return m_normalisation; }
  ModelResult<GeneratedBatch> generate(const std::vector<ModelContext>& contexts, int samples, std::uint64_t seed,
                                       Device device = Device::Cpu, const ProgressFn& progress = {}) const override;

  //! The predicted mean volume (normalised units) for a context: exp(ridge prediction) × smearing.
  double predictVolume(const ModelContext& context) const;
  //! The ridge penalty chosen by leave-one-out error.
  double ridgeLambda() const { return m_lambda; }

 private:
  struct FittedSite {
    std::vector<double> shape;       //!< weekly mean / series mean (168)
    std::vector<float> relResidual;  //!< (x − Rep(weekly mean)) / series mean (672)
  };
  //! Indices of the training sites forming the template for a context: same zone polygon, else
  //! same zone class, else all.
  const std::vector<std::size_t>& groupFor(const ModelContext& context) const;

  Normalisation m_normalisation;
  std::vector<FittedSite> m_sites;
  std::map<std::string, std::vector<std::size_t>> m_byZoneKey;
  std::map<int, std::vector<std::size_t>> m_byZoneClass;
  std::vector<std::size_t> m_all;
  FeatureStandardiser m_standardiser;
  std::vector<double> m_beta;  //!< ridge coefficients on standardised features
  double m_intercept = 0.0;
  double m_smearing = 1.0;  //!< Duan's smearing factor for the log-volume back-transform
  double m_lambda = 0.0;
  std::string m_sha256;
};

}  // namespace netspatial::models
