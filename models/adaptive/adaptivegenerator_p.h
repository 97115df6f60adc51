#pragma once

// AdaptiveGenerator's state (internal to models/): what a checkpoint holds, and the adapted city.

#include "knowledgegraph.h"
#include "matrioska.h"
#include "stationgraph.h"
#include "tucker.h"
#include "netspatial/models/adaptive.h"

#include <torch/torch.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace netspatial::models {

//! One target city, adapted (spec §5.3 step 3): its graph, the folded-in TuckER, its GCN and the
//! station representations the GAN is conditioned on.
struct AdaptedCity {
  std::string key;  //!< SHA-256 of the stations (positions, CRS, POIs)
  std::string crs;
  std::vector<double> xs, ys;
  adaptive::KnowledgeGraph graph;
  adaptive::Tucker tucker{nullptr};
  adaptive::StationGraph stationGraph;
  std::vector<double> degrees;  //!< of A + I (for a candidate's Â entries)
  double maxInverseDistance = 1.0;
  adaptive::StationGcn gcn{nullptr};
  torch::Tensor stationEmbeddings;  //!< E_BS [N, d]
  torch::Tensor h1;                 //!< [N, hidden], eval mode
  torch::Tensor representation;     //!< the GAN's condition before the city scale, [N, D]
  double cityScale = 1.0;           //!< mean |representation| over the city
  adaptive::GcnReport report;
  std::map<std::pair<long long, long long>, int> stationAt;  //!< position rounded to 0.1 m → station
};

struct AdaptiveGenerator::Impl {
  AdaptiveConfig config;
  std::string modelId = "adaptive";
  Normalisation normalisation;
  bool fitted = false;
  std::string sha256;
  std::string summary;
  AdaptiveLinkReport link;

  // TuckER's shared part: the core tensor, relations, BatchNorm and the shared entities.
  adaptive::Tucker tucker{nullptr};  //!< entities = the shared ones only, in sharedKeys order
  std::vector<std::string> sharedKeys;
  adaptive::StationGcn sourceGcn{nullptr};
  torch::Tensor centres;           //!< [K, 160] mean Z_SRC per traffic cluster (Eq. 6)
  torch::Tensor poiCentres;        //!< [K, 14] mean PD per cluster (the POI-only alignment row)
  torch::Tensor trafficCentroids;  //!< [K, 168] k-means centroids of mean-1 weeks
  adaptive::PatternBanks banks;
  adaptive::MatrioskaGenerator gan{nullptr};
  adaptive::VolumeHead volume{nullptr};
  torch::Tensor volumeFeatureMean, volumeFeatureScale;  //!< volume_input 2: the standardiser of the context features [F]

  mutable std::mutex adaptationMutex;
  mutable std::shared_ptr<const AdaptedCity> adapted;

  int conditionDim() const;
  int volumeInputDim() const;
  //! The volume head's input (config.volumeInput) for these sites, whose GAN condition is `condition`.
  torch::Tensor volumeInput(const torch::Tensor& condition, const std::vector<const ModelContext*>& sites) const;
  //! Fresh modules for `config` (before training or loading).
  void createModules(int sharedEntities);
  //! The adaptation of `stations` with `variant` options (probe); progress covers it.
  ModelResult<std::shared_ptr<AdaptedCity>> adaptCity(const std::vector<ModelContext>& stations, const AdaptiveConfig& variant,
                                                      const ProgressFn& progress) const;
  //! Conditions of sites outside `city`: fold-in of their station entity and one GCN pass with
  //! their M nearest adapted stations as neighbours. [B, D] before the city scale.
  torch::Tensor candidateRepresentation(const AdaptedCity& city, const std::vector<const ModelContext*>& sites) const;
  //! The condition of a set of stations from E, Z and their POI counts.
  torch::Tensor representationOf(const torch::Tensor& e, const torch::Tensor& z, const torch::Tensor& poiCounts) const;
};

//! The seed of one site's noise: (seed, position), so a site gets the same weeks alone or in a batch.
std::uint64_t adaptiveSiteSeed(std::uint64_t seed, const ModelContext& context);

}  // namespace netspatial::models

namespace netspatial::models {

//! TuckER's training configuration from ADAPTIVE's, for `epochs` epochs.
adaptive::TuckerConfig tuckerConfig(const AdaptiveConfig& config, int epochs);
//! Copies what every city shares from `from` into `to`: the core tensor, the relations and both
//! BatchNorms (weights and running statistics); the entity tables stay each one's own.
void copySharedTucker(const adaptive::Tucker& from, adaptive::Tucker& to);

//! The GAN's configuration from ADAPTIVE's.
adaptive::MatrioskaConfig matrioskaConfig(const AdaptiveConfig& config, int conditionDim);

}  // namespace netspatial::models
