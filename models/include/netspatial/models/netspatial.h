#pragma once

// NetSpatial (paper 003 §4, DESIGN.md §6): a multimodal context encoder (frozen image encoder
// pre-trained with OpenDiff's multi-positive InfoNCE, POI encoder with two-view fusion and
// attention pooling, mask-token fusion transformer) feeding a peak-hour classifier and three
// flow-matching levels (daily 48 h, weekly 168 h | d, residual 672 h | u, d, w, h*).
//
// This header is the inference-engine and training API of netspatial_models: pure C++, no Qt or
// torch types (pimpl). Weights travel as bytes (a checkpoint) so the app can embed them with Qt's
// resource system while this library stays Qt-free.

#include "netspatial/models/generator.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace netspatial::models {

//! Architecture, inference and training hyper-parameters. All of it is stored in the checkpoint.
struct NetSpatialConfig {
  // --- architecture ---
  int embedDim = 64;       //!< d: image, POI and fused embeddings
  int conditionDim = 128;  //!< c1..c3
  int hidden1 = 256;       //!< velocity MLP widths per level
  int hidden2 = 256;
  int hidden3 = 512;
  int maxPois = 48;  //!< nearest POIs kept per site
  //! Hidden width of the peak-hour classifier; 0 = linear on [C ‖ site scalars] (q = softmax(W_C C)
  //! as in the paper). The peak is a nonlinear function of the land-use mix, so a hidden layer helps.
  int peakHidden = 128;
  // --- ablations (paper 003 Table 2) ---
  bool usePositionEncoder = true;  //!< false: no peak-hour classifier, no h* condition
  bool useConditioning = true;     //!< false: the generator never sees the context
  bool useImage = true;            //!< false: the image is always masked ("POIs only")
  bool usePois = true;             //!< false: the POIs are always masked ("image only")
  //! Levels 1–2 start their flows from a learned conditional mean μ(c) plus unit noise instead of
  //! from N(0, I) (a data-dependent prior, as PriorGrad does for diffusion). The mean head is fitted
  //! by least squares beside the flow, so the flow only carries each site's spread around it.
  //! Checkpoints written before this option existed load with it off.
  bool usePriorMean = false;
  //! Level 1 starts its flow from a template, N(τ(c), I), instead of from N(0, I): τ is the zone
  //! class's mean daily shape times a volume from a ridge regression of the log volume on the
  //! references' hand-crafted context features, both fitted in closed form at the start of the
  //! generator stage. The flow then carries each site's departure from what the zone and the
  //! counts already say. Checkpoints written before this option existed load with it off.
  bool useTemplate = false;
  //! With useTemplate: the template's daily shape is a ridge regression on the same features
  //! (one per combination of zone and station type known) instead of the zone class's mean shape.
  //! Real sites mix the profiles of the zones around them, which the POI counts and the image see
  //! and a single class does not.
  bool templateShapeRidge = false;
  //! With useTemplate: level 1's source is N(τ, s²·I) with this s (level units). The sites'
  //! spread around the template is far below 1, so a narrower source leaves the flow the small
  //! correction the template misses instead of a contraction that can drift off it.
  float templateNoise = 1.0f;
  //! With useTemplate and usePositionEncoder: h* is the peak of the template's weekday shape
  //! instead of the classifier's argmax. The flows follow h* closely (they are trained with the true
  //! peak hour), so h* decides the generated peak; a shape regression learns the expected profile
  //! from every hour of every training site, the classifier only from each one's noisy argmax.
  bool peakFromTemplate = false;
  //! Level 3 remembers the training sites' observed departures from their weekly pattern (the
  //! relative residuals of their first 28-day window, with their positions and CRS) and conditions
  //! each site on the distance-weighted mean of this many nearest remembered sites within
  //! neighbourRadius, which also centres level 3's source; their daily profile (log) moves level 1's
  //! source halfway towards theirs. 0 = no memory (a context-only model).
  //! Sites without a position, in another CRS or farther away see zeros and a flag: a model trained
  //! on one city generates from context alone elsewhere.
  int observedNeighbours = 0;
  float neighbourRadius = 1500.0f;  //!< metres
  //! Training only: a training site does not see remembered sites in its own square block of this
  //! side (metres), as a held-out site of `netspatial evaluate --group-size` does not.
  float neighbourBlock = 1000.0f;
  // --- inference (Algorithm 2) ---
  int steps1 = 8;
  int steps2 = 8;
  int steps3 = 4;
  float level3Noise = 0.1f;
  // --- training ---
  std::uint64_t seed = 1;
  int imageSteps = 600;       //!< InfoNCE steps of the image encoder
  int poiSteps = 400;         //!< contrastive steps of the POI encoder
  int fusionSteps = 300;      //!< L_gen steps of the fusion transformer
  int generatorSteps = 3000;  //!< flow-matching steps (all three levels and the auxiliary losses)
  int batchSize = 128;
  double learningRate = 2e-3;
  float temperature = 0.1f;  //!< InfoNCE τ
  int windowsPerSite = 5;    //!< 28-day windows taken per training series (weekly offsets)
  // Eq. 15 weights: flow matching per level, then bnd, tmp, per, bias, peak, corr.
  float lambdaLevel1 = 1.0f, lambdaLevel2 = 1.0f, lambdaLevel3 = 1.0f;
  float lambdaBoundary = 0.1f, lambdaSmooth = 0.05f, lambdaPeriodic = 0.1f, lambdaBias = 0.1f, lambdaPeak = 0.5f, lambdaCorr = 0.1f;
  float lambdaPrior = 1.0f;  //!< least-squares weight of the level-1/2 mean heads (usePriorMean)
  //! Peak-hour classifier targets: 0 = the window's argmax hour (one-hot, as the paper); τ > 0 =
  //! softmax((d_h / max d − 1) / τ) over the window's weekday profile d, so hours on a plateau
  //! within a few per cent of the top share the label instead of one of them winning by noise.
  float peakLabelSoftness = 0.0f;
  //! Exponential moving average of the generator stage's weights (0 = off): the saved model is the
  //! average of the last ~1/(1 − decay) steps, as is usual for flow and diffusion models, instead of
  //! the last step's weights.
  double emaDecay = 0.0;
};

//! A training series may be longer than 672 h (whole weeks, Monday 00:00): windows are cut from it.
struct NetSpatialTrainingSite {
  ModelContext context;
  std::vector<float> series;  //!< normalised, ≥ 672 h, a multiple of 168 h, no NaN
  //! Projected position (metres) and city: the "nearest by distance" positive of the image
  //! encoder's InfoNCE (paper 001 §3.2.1) is taken within the same group.
  bool hasPosition = false;
  double x = 0.0, y = 0.0;
  int group = 0;
};

struct TrainingProgress {
  std::string stage;  //!< "image", "poi", "fusion", "generator"
  int step = 0;
  int steps = 0;
  double loss = 0.0;
  double fraction = 0.0;  //!< of the whole training run, for progress bars and ETA
};
//! Return false to cancel training.
using TrainingCallback = std::function<bool(const TrainingProgress&)>;

enum class DevicePreference { Auto, Cpu, Cuda };

struct EngineOptions {
  DevicePreference device = DevicePreference::Auto;  //!< Auto: CUDA when available
  int threads = 0;                                   //!< intra-op threads; 0 = leave as is
  bool warmUp = true;                                //!< one tiny generation at load
};

//! Per-request options of the inference engine.
struct GenerateOptions {
  int samples = 8;
  std::uint64_t seed = 1;
  ProgressFn progress;                     //!< reported and checked after every Euler step
  int steps1 = 0, steps2 = 0, steps3 = 0;  //!< 0 = the checkpoint's defaults
};

struct ProbeReport {
  double accuracy = 0.0;       //!< held-out accuracy of the linear probe C → zone class
  double majorityShare = 0.0;  //!< accuracy of always answering the most frequent training class
  int trainSites = 0;
  int testSites = 0;
};

class NetSpatialGenerator final : public Generator {
 public:
  NetSpatialGenerator();
  explicit NetSpatialGenerator(const NetSpatialConfig& config);
  ~NetSpatialGenerator() override;

  //! Loads a checkpoint (save()'s bytes): checks magic, format version, every tensor's name and
  //! shape against the stored configuration, and the SHA-256 of the payload.
  static ModelResult<std::unique_ptr<NetSpatialGenerator>> load(const std::vector<std::uint8_t>& bytes, const EngineOptions& options = {});
  ModelResult<std::vector<std::uint8_t>> save() const;

  //! The recipe's model id ("netspatial", "netspatial_milan"), stored in the checkpoint.
  std::string id() const override;
  std::string displayName() const override;
  //! Names the model (before save()); empty = "netspatial".
  void setModelId(const std::string& id);
  std::string weightsSha256() const override;  //!< of the checkpoint bytes
  //! Trains from scratch with config() (each 672-hour series gives one window).
  ModelStatus fit(const std::vector<TrainingSite>& sites, const Normalisation& normalisation, std::uint64_t seed,
                  const ProgressFn& progress = {}) override;
  bool isFitted() const override;
  Normalisation normalisation() const override;
  ModelResult<GeneratedBatch> generate(const std::vector<ModelContext>& contexts, int samples, std::uint64_t seed,
                                       Device device = Device::Cpu, const ProgressFn& progress = {}) const override;

  //! Fine-tuning: keeps every weight of this (loaded) model and makes it trainable again under
  //! `config`, so that train() runs every stage once more starting from these weights (with the
  //! new data's normalisation). `config`'s architecture keys (NetSpatialConfigKey::architecture)
  //! must equal this model's: otherwise an InvalidArgument error names the first that differs
  //! ("embed_dim: 64 → 16"). Its training and inference keys (steps, learning rate, seed, …) take
  //! effect.
  ModelStatus prepareFineTuning(const NetSpatialConfig& config);
  //! Training from longer series (several windows per site), with progress and cancel.
  ModelStatus train(const std::vector<NetSpatialTrainingSite>& sites, const Normalisation& normalisation,
                    const TrainingCallback& callback = {});
  //! The engine entry point: the device chosen at load, options per request. Same seed → the same
  //! bits on CPU; each site's noise comes from (seed, site context) so one clicked site gets the
  //! samples it would get in a whole-city run.
  ModelResult<GeneratedBatch> generate(const std::vector<ModelContext>& contexts, const GenerateOptions& options) const;
  //! Operations mode: d and w from each site's observed history (Eq. 2–3; normalised, whole weeks
  //! from Monday 00:00, ≥ 168 h), G3 generates the residual of the next 672 h.
  ModelResult<GeneratedBatch> forecast(const std::vector<ModelContext>& contexts, const std::vector<std::vector<float>>& histories,
                                       const GenerateOptions& options) const;
  //! The unified spatial embedding C (Eq. 11), sites × embedDim, row-major.
  ModelResult<std::vector<float>> embed(const std::vector<ModelContext>& contexts) const;
  //! h* per site (position encoder), −1 without it.
  ModelResult<std::vector<int>> peakHours(const std::vector<ModelContext>& contexts) const;

  const NetSpatialConfig& config() const;
  Device device() const;
  //! Moves the model; CUDA without a CUDA build or device is an error.
  ModelStatus setDevice(DevicePreference preference);
  //! Training record for model cards: sites, windows, seconds and final losses per stage.
  std::string trainingSummary() const;

  struct Impl;  //!< opaque (models/netspatial/netspatialgenerator_p.h)

 private:
  std::unique_ptr<Impl> m_impl;
};

//! Fits a multinomial logistic probe on train embeddings/zone classes and scores it on test ones
//! (sites with zoneClass < 0 are skipped).
ModelResult<ProbeReport> linearProbe(const std::vector<float>& trainEmbeddings, const std::vector<int>& trainClasses,
                                     const std::vector<float>& testEmbeddings, const std::vector<int>& testClasses, int dim,
                                     std::uint64_t seed = 1);

}  // namespace netspatial::models
