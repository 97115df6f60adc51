#pragma once

// NetSpatial's context encoders (paper 003 §4.1): image encoder f_I, POI encoder (two-view scoring
// fusion Eq. 8 + attention pooling Eq. 9) and the three-token mask fusion transformer (Eq. 10–12).

#include "sitetensors.h"

#include <torch/torch.h>

namespace netspatial::models::netspatialnet {

//! A small CNN for 64×64 RGB patches (the paper's frozen ViT cannot be fetched here; ours is
//! pre-trained in-project with OpenDiff's multi-positive InfoNCE, then frozen). Output ℓ2-normalised.
struct ImageEncoderImpl : torch::nn::Module {
  explicit ImageEncoderImpl(int dim);
  //! images: [B,3,64,64] uint8 → [B,dim]
  torch::Tensor forward(const torch::Tensor& images);
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr}, conv4{nullptr};
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  torch::Tensor channelMean, channelStd;  //!< buffers: pixel statistics of the training patches
};
TORCH_MODULE(ImageEncoder);

//! Per-POI tokens from two views — an "address" view (name n-grams + category) and a
//! "surroundings" view (category + distance/bearing + the site's category mix) — fused by a
//! scoring softmax (Eq. 8), projected to d, and pooled by attention (Eq. 9).
struct PoiEncoderImpl : torch::nn::Module {
  explicit PoiEncoderImpl(int dim);
  //! → [B,dim] ℓ2-normalised (rows of sites without POIs are meaningless; callers mask them)
  torch::Tensor forward(const SiteTensors& s);
  torch::nn::Embedding category{nullptr}, ngrams{nullptr};
  torch::nn::Sequential addressView{nullptr}, surroundView{nullptr};
  torch::nn::Linear score{nullptr}, project{nullptr}, pool{nullptr};
};
TORCH_MODULE(PoiEncoder);

struct FusionOutput {
  torch::Tensor z;   //!< [B,d] unified embedding C (Eq. 11)
  torch::Tensor hv;  //!< [B,d] hidden state of the image token
  torch::Tensor hp;  //!< [B,d] hidden state of the POI token
};

//! A lightweight transformer over [t_F; ṽ; p̃] with learnable mask tokens (Eq. 10–11).
struct FusionImpl : torch::nn::Module {
  explicit FusionImpl(int dim, int layers = 2, int heads = 4);
  //! maskImage / maskPoi: [B] bool — replace that modality with its mask token.
  FusionOutput forward(const torch::Tensor& v, const torch::Tensor& p, const torch::Tensor& maskImage, const torch::Tensor& maskPoi);
  //! L_gen (Eq. 12) for a one-visible-one-masked draw.
  torch::Tensor reconstructionLoss(const FusionOutput& out, const torch::Tensor& v, const torch::Tensor& p, const torch::Tensor& maskImage,
                                   const torch::Tensor& maskPoi);
  int m_dim, m_heads;
  torch::Tensor fusionToken, imageMask, poiMask;
  torch::nn::ModuleList norms1{nullptr}, norms2{nullptr}, qkv{nullptr}, out{nullptr}, ff{nullptr};
  torch::nn::Linear wz{nullptr}, reconstructImage{nullptr}, reconstructPoi{nullptr};
};
TORCH_MODULE(Fusion);

//! Multi-positive InfoNCE (paper 001 Eq. 6): anchors [A,d] against candidates [N,d] (both
//! normalised), positives[a] = candidate indices that are positives of anchor a; every other
//! candidate except `self[a]` (−1 for none) is a negative.
torch::Tensor multiPositiveInfoNce(const torch::Tensor& anchors, const torch::Tensor& candidates,
                                   const std::vector<std::vector<std::int64_t>>& positives, const std::vector<std::int64_t>& self,
                                   float temperature);

}  // namespace netspatial::models::netspatialnet
