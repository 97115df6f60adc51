#pragma once

// ADAPTIVE (paper 000, KDD'23; spec ../shared/specs/seed-generators.md §5): traffic for a city
// without traffic data, transferred from cities with it. An urban knowledge graph of each city
// (stations, POIs, 1 km regions, business areas, categories, brands) is embedded with TuckER; a
// two-layer GCN over the kNN station graph turns the station embeddings into representations Z
// that reconstruct each station's POI mix; a target city's GCN is trained to also match the source
// city's traffic clusters (Eq. 7–8, with the loss weights detached: the published code's are not,
// so its target GCN never trains); a conditional WGAN-GP with daily and weekly levels
// ("Matrioska", the authors' code) generates 168-h week shapes from Z, and a volume head gives
// their level. 672 h = four independent weeks.
//
// Transductive: a new city is adapted once (adapt(): TuckER fold-in of its entities, then its own
// GCN), cached by the hash of its stations; a site that is not one of them joins the adapted graph
// as an extra node, so a clicked candidate costs milliseconds and gets the samples it would get in
// a whole-city run. Pure C++ (pimpl).

#include "netspatial/models/generator.h"
#include "netspatial/models/netspatial.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace netspatial::models {

//! What conditions the GAN (paper Tables 1–3 rows): noise only, + the POI distribution PD, + the
//! TuckER station embedding E_BS, + the full representation Z_BS (ADAPTIVE).
enum class AdaptiveRepresentation { Noise = 0, PoiDistribution = 1, Tucker = 2, Full = 3 };

struct AdaptiveConfig {
  // --- urban knowledge graph (spec §5.4) ---
  float regionSize = 1000.0f;      //!< metres: square regions
  float businessAreaEps = 150.0f;  //!< DBSCAN of commercial POIs
  int businessAreaMinPoints = 8;
  int neighbours = 14;        //!< M: kNN station graph and the "borders" relation
  bool weightedGraph = true;  //!< Eq. 1 weights (false: unweighted, as the published code)
  // --- TuckER ---
  int embedDim = 32;
  int tuckerEpochs = 40;
  int tuckerBatch = 128;
  int tuckerNegatives = 64;
  double tuckerLearningRate = 2e-3;
  float linkHoldout = 0.1f;        //!< share of serves/has_category/borders triples held out for the link probe
  int foldInEpochs = 20;           //!< a target city's entities
  int candidateFoldInSteps = 100;  //!< one site outside the adapted city
  // --- GCN ---
  int gcnHidden = 128;
  int gcnOutput = 32;
  int gcnMaxEpochs = 1000;
  int gcnPatience = 250;
  double gcnLearningRate = 1e-3;
  // --- alignment (Eq. 6–8) ---
  int clusters = 4;                //!< K: traffic patterns of the source
  bool alignTarget = true;         //!< false: the target GCN learns L_POI only
  bool targetAsPublished = false;  //!< the published code's undetached weights: the target GCN never trains
  bool targetFromSource = false;   //!< start the target GCN from the source's weights (ablation)
  bool codePatternLoss = false;    //!< the code's nearest-source-station loss instead of Eq. 7–8
  // --- GAN ---
  int representation = int(AdaptiveRepresentation::Full);
  int patterns = 32;
  int ganEpochs = 40;  //!< per stage (five stages)
  int ganBatch = 64;
  int criticSteps = 5;
  double ganLearningRate = 1e-4;
  bool criticSigmoid = true;
  //! The generator's output layer norms start at the training weeks' level and spread (a
  //! departure: the scaled schedule is too short to learn them from the code's init); false: the
  //! code's init (the "as published" row).
  bool ganDataInit = true;
  int volumeSteps = 1000;
  //! What the volume head ([D], not in the paper) reads: 2 (default) the app's context features
  //! (contextfeatures.h: POI counts, population, stations nearby, station type, zone class,
  //! imagery summary), standardised on the training sites; 1 log(1 + the site's POI count per
  //! category); 0 the GAN's condition as the spec writes it (per-city scaled Z, whose target-city
  //! space is the target GCN's, not the source's).
  int volumeInput = 2;
  std::uint64_t seed = 1;
};

//! What the components measure on their own (evaluate's probe rows; the model card).
struct AdaptiveLinkReport {
  double mrr = 0.0, hitsAt10 = 0.0;              //!< trained TuckER, filtered, held-out triples
  double randomMrr = 0.0, randomHitsAt10 = 0.0;  //!< the same with untrained embeddings
  int triples = 0, entities = 0;
};

struct AdaptiveAlignmentRow {
  std::string variant;     //!< "full", "poi_only", "as_published", "chance"
  double accuracy = 0.0;   //!< argmax_j cos(z_i, c_j) against the site's true traffic cluster
  double meanMatch = 0.0;  //!< mean M_i (Eq. 7)
  double poiKl = 0.0;      //!< KL(PD ‖ P̂D) of the target GCN
};

struct AdaptiveProbeReport {
  std::vector<AdaptiveAlignmentRow> alignment;
  double cityMeanKl = 0.0;  //!< KL of predicting the city's mean POI distribution for every site
  int sites = 0;            //!< scored (a POI mix and a majority cluster)
};

class AdaptiveGenerator final : public Generator {
 public:
  AdaptiveGenerator();
  explicit AdaptiveGenerator(const AdaptiveConfig& config);
  ~AdaptiveGenerator() override;

  //! Loads save()'s bytes (magic, format version, SHA-256, every tensor's shape by name).
  static ModelResult<std::unique_ptr<AdaptiveGenerator>> load(const std::vector<std::uint8_t>& bytes);
  ModelResult<std::vector<std::uint8_t>> save() const;

  std::string id() const override;
  std::string displayName() const override;
  void setModelId(const std::string& id);
  std::string weightsSha256() const override;
  //! Trains from TrainingSite (positions from the contexts; one city per CRS).
  ModelStatus fit(const std::vector<TrainingSite>& sites, const Normalisation& normalisation, std::uint64_t seed,
                  const ProgressFn& progress = {}) override;
  bool isFitted() const override;
  Normalisation normalisation() const override;
  //! Adapts to the contexts' city first when adapt() has not been called (the batch is then the
  //! city); each site outside the adapted city joins it as an extra node.
  ModelResult<GeneratedBatch> generate(const std::vector<ModelContext>& contexts, int samples, std::uint64_t seed,
                                       Device device = Device::Cpu, const ProgressFn& progress = {}) const override;

  //! Every stage from scratch (sites need positions; `group` is the city).
  ModelStatus train(const std::vector<NetSpatialTrainingSite>& sites, const Normalisation& normalisation,
                    const TrainingCallback& callback = {});
  //! The per-scenario step: the target city's knowledge graph from these stations (positions
  //! needed, one CRS), fold-in of its entities, its GCN trained with L_POI and the alignment loss.
  //! No traffic is read. Cached: the same stations again return at once.
  ModelStatus adapt(const std::vector<ModelContext>& stations, const ProgressFn& progress = {}) const;
  //! The SHA-256 of the adapted stations (empty before adapt()).
  std::string adaptationKey() const;
  //! Measures the alignment on a city with traffic (used only for scoring): the accuracy of each
  //! variant's nearest centre against the site's true cluster, and the POI reconstruction.
  ModelResult<AdaptiveProbeReport> probe(const std::vector<ModelContext>& sites, const std::vector<std::vector<float>>& series,
                                         const ProgressFn& progress = {}) const;
  //! The link-prediction probe of the last train() (empty report after load()).
  AdaptiveLinkReport linkReport() const;

  const AdaptiveConfig& config() const;
  //! Training record for the model card: data, seconds and losses per stage.
  std::string trainingSummary() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> m_impl;
};

//! Whether `bytes` is an ADAPTIVE checkpoint (the container reads and its model is "adaptive"): a
//! caller with a weights file of unknown kind picks the loader with it.
bool isAdaptiveCheckpoint(const std::vector<std::uint8_t>& bytes);

//! The one table of AdaptiveConfig's keys (recipe and checkpoint), as netspatialconfigkeys.h.
struct AdaptiveConfigKey {
  const char* key;
  std::variant<int AdaptiveConfig::*, bool AdaptiveConfig::*, float AdaptiveConfig::*, double AdaptiveConfig::*,
               std::uint64_t AdaptiveConfig::*>
      member;
  double minimum = 0.0;
  bool exclusive = false;
};
const std::vector<AdaptiveConfigKey>& adaptiveConfigKeys();

}  // namespace netspatial::models
