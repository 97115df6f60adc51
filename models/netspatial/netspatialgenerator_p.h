#pragma once

// NetSpatialGenerator's private state, shared by inference (netspatialgenerator.cpp) and training
// (training.cpp).

#include "netspatial/models/netspatial.h"
#include "network.h"
#include "sitetensors.h"

#include <torch/torch.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace netspatial::models {

//! image encoder, POI encoder, fusion, generator
inline constexpr int kStageCount = 4;

struct Encoded {
  torch::Tensor z;          //!< C
  torch::Tensor condition;  //!< [C ‖ site scalars], zeros without conditioning
};

struct Conditions {
  torch::Tensor c1, c2, c3;
  torch::Tensor peakLogits;
  torch::Tensor peakHour;  //!< h*, undefined without the position encoder
};

//! The id of a NetSpatial model trained without one (and of the embedded synthetic-city weights).
inline constexpr const char* kDefaultModelId = "netspatial";

struct NetSpatialGenerator::Impl {
  NetSpatialConfig config;
  std::string modelId = kDefaultModelId;  //!< the recipe's [model] id: run records name it
  Normalisation normalisation;
  mutable netspatialnet::Net net{nullptr};
  torch::Device device{torch::kCPU};
  int stagesCompleted = 0;
  std::string summary;
  std::string memoryCrs;    //!< the CRS of net->memoryXy (observedNeighbours > 0)
  mutable std::string sha;  //!< of the checkpoint bytes; empty until saved or loaded

  void rebuild();
  //! The tensors of `contexts` on the device, with the template's features where it has one.
  netspatialnet::SiteTensors siteTensors(const std::vector<ModelContext>& contexts) const;
  Encoded encode(const netspatialnet::SiteTensors& s) const;
  //! Level 1's template, daily = [B,48] in normalised units; undefined without useTemplate.
  torch::Tensor templateDaily(const netspatialnet::SiteTensors& s, const Encoded& e) const;
  //! The position encoder's h* without a history: the argmax of the classifier, or with
  //! peakFromTemplate that of the template's weekday shape (`templateDaily`). Undefined without
  //! the position encoder.
  torch::Tensor predictedPeak(const Encoded& e, const torch::Tensor& templateDaily) const;
  //! g = [z ‖ site scalars], the POI scalars zeroed where the POI modality is masked, the zone
  //! scalars where `hideZone` and the station type where `hideType` (training's dropouts;
  //! undefined = keep).
  torch::Tensor conditionFrom(const torch::Tensor& z, const torch::Tensor& scalars, const torch::Tensor& maskPoi,
                              const torch::Tensor& hideZone = {}, const torch::Tensor& hideType = {}) const;
  //! peakHour given (training, operations) → used as h*; else argmax of the classifier.
  Conditions conditions(const torch::Tensor& g, const torch::Tensor& peakHour = {}) const;
  torch::Tensor dailyFromLevel(const torch::Tensor& y1) const;
  torch::Tensor levelFromDaily(const torch::Tensor& daily) const;  //!< the inverse: level 1's space
  torch::Tensor weeklyFromLevel(const torch::Tensor& y2, const torch::Tensor& daily) const;
  //! Level 3's neighbour template of `contexts` from the memory (observedNeighbours > 0).
  netspatialnet::NeighbourTemplate neighbours(const std::vector<ModelContext>& contexts) const;
  //! The neighbours' daily profile in level 1's space (zeros where a site has none).
  torch::Tensor neighbourLevel(const netspatialnet::NeighbourTemplate& near) const;
  //! Level 1's source centre: the ridge template's (may be undefined) moved towards the neighbours'.
  torch::Tensor level1Centre(const torch::Tensor& ridgeCentre, const torch::Tensor& nearLevel,
                             const netspatialnet::NeighbourTemplate& near) const;
  std::optional<ModelError> checkRequest(const std::vector<ModelContext>& contexts, int samples) const;
  torch::Tensor siteNoise(const std::vector<ModelContext>& contexts, std::size_t begin, std::size_t end, int samples, std::uint64_t seed,
                          int size, float scale) const;
  ModelResult<GeneratedBatch> run(const std::vector<ModelContext>& contexts, const std::vector<std::vector<float>>* histories,
                                  const GenerateOptions& options) const;
  //! What every chunk of one request shares: Euler step counts and the clipsym bounds.
  struct EulerPlan {
    int steps1 = 0, steps2 = 0, steps3 = 0;
    float bound1 = 0.0f, bound2 = 0.0f, bound3 = 0.0f;
  };
  //! Sites [begin, end) of a request into `out` (their samples × 672 values, site-major). False
  //! when `afterStep` asked to stop.
  bool generateChunk(const std::vector<ModelContext>& contexts, const std::vector<std::vector<float>>* histories,
                     const GenerateOptions& options, const EulerPlan& plan, std::size_t begin, std::size_t end, float* out,
                     const std::function<bool()>& afterStep) const;
};

}  // namespace netspatial::models
