#pragma once

// All of NetSpatial's modules in one tree, so a checkpoint is simply its named tensors
// (internal to models/).

#include "encoders.h"
#include "flowlevels.h"
#include "observedneighbours.h"
#include "netspatial/models/netspatial.h"

#include <torch/torch.h>

namespace netspatial::models::netspatialnet {

struct NetImpl : torch::nn::Module {
  explicit NetImpl(const NetSpatialConfig& config);

  ImageEncoder image{nullptr};
  PoiEncoder poi{nullptr};
  Fusion fusion{nullptr};
  torch::nn::Sequential conditioner{nullptr};                                 //!< [C ‖ site scalars] → shared condition
  torch::nn::Linear project1{nullptr}, project2{nullptr}, project3{nullptr};  //!< c1, c2, c3
  torch::nn::Sequential peakClassifier{nullptr};  //!< position encoder: q = softmax(f(C)), f linear or one hidden layer
  torch::nn::Embedding peak1{nullptr}, peak2{nullptr}, peak3{nullptr};  //!< h* as a condition
  VelocityNet level1{nullptr}, level2{nullptr}, level3{nullptr};
  //! Conditional means of levels 1–2, the flows' source centres (usePriorMean; empty otherwise).
  torch::nn::Sequential prior1{nullptr}, prior2{nullptr};
  //! Level 1's template (useTemplate; empty otherwise), fitted in closed form, not by gradient:
  //! the log volume, linear in the reference features, and the mean daily shape (mean 1) of each
  //! zone class, then of all training sites (for sites whose zone is unknown).
  torch::nn::Linear templateVolume{nullptr};  //!< one log-volume ridge per head (kTemplateHeads)
  torch::Tensor templateShapes;               //!< [zone classes + 1, 48]
  //! The shape ridges instead (templateShapeRidge; empty otherwise): 48 outputs per head.
  torch::nn::Linear templateShape{nullptr};
  //! The memory of observed sites (observedNeighbours > 0; empty otherwise): positions [M,2]
  //! (metres, the memory's CRS) and [M,672+48] relative residual ‖ log daily profile of the training
  //! sites' first window (observedneighbours.h). M is set by training and read from the checkpoint.
  torch::Tensor memoryXy, memoryValues;
  //! μ1, σ1, σ2, b1, b2, b3: level spaces and clipsym bounds, set from the training data.
  torch::Tensor levelStats;
};
TORCH_MODULE(Net);

//! Level contexts: what each level sees besides x_t and t.
//! The template's volume ridges: zone and station type both known, zone unknown, type unknown,
//! both unknown (in that order: 1·zone unknown + 2·type unknown).
inline constexpr int kTemplateHeads = 4;
//! The floor of a ridge shape (mean 1): the quietest hour of any zone profile is far above it.
inline constexpr float kMinTemplateShape = 0.02f;

//! Level 1's template from the condition g (its zone scalars) and the reference features:
//! daily = exp(logVolume) · shape, [B,48] in normalised units.
struct Template {
  torch::Tensor daily, shape, logVolume;
};
Template dailyTemplate(NetImpl& net, const torch::Tensor& g, const torch::Tensor& referenceFeatures);

torch::Tensor level2Context(const torch::Tensor& c2, const torch::Tensor& daily);
torch::Tensor level3Context(const torch::Tensor& c3, const torch::Tensor& daily, const torch::Tensor& weekly);
inline constexpr int kShapeExtras2 = kDaily + 1;
inline constexpr int kShapeExtras3 = kWeekly + kDaily + 1;
//! With a memory, level 3 also sees the neighbours' residual and their NeighbourTemplate features.
inline constexpr int kNeighbourExtras3 = kMonthly + kNeighbourFeatures;
//! … and level 1 the neighbours' daily profile (level space) and the same features.
inline constexpr int kNeighbourExtras1 = kDaily + kNeighbourFeatures;
inline constexpr int kMemoryColumns = kMonthly + kDaily;

}  // namespace netspatial::models::netspatialnet
