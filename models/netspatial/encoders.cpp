#include "encoders.h"

namespace netspatial::models::netspatialnet {

namespace F = torch::nn::functional;

ImageEncoderImpl::ImageEncoderImpl(int dim) {
  auto conv = [](int in, int out) { return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).stride(2).padding(1)); };
  conv1 = register_module("conv1", conv(3, 24));   // 32×32
  conv2 = register_module("conv2", conv(24, 48));  // 16×16
  conv3 = register_module("conv3", conv(48, 64));  // 8×8
  conv4 = register_module("conv4", conv(64, 96));  // 4×4
  fc1 = register_module("fc1", torch::nn::Linear(96 * 2, 128));
  fc2 = register_module("fc2", torch::nn::Linear(128, dim));
  channelMean = register_buffer("channel_mean", torch::full({1, 3, 1, 1}, 127.5f));
  channelStd = register_buffer("channel_std", torch::full({1, 3, 1, 1}, 64.0f));
}

torch::Tensor ImageEncoderImpl::forward(const torch::Tensor& images) {
  auto x = (images.to(torch::kFloat32) - channelMean) / channelStd;
  x = torch::relu(conv1(x));
  x = torch::relu(conv2(x));
  x = torch::relu(conv3(x));
  x = torch::relu(conv4(x));
  // Mean and max pooling: texture shares (mean) and the strongest feature (landmarks, water).
  x = torch::cat({x.mean({2, 3}), x.amax({2, 3})}, 1);
  return F::normalize(fc2(torch::relu(fc1(x))), F::NormalizeFuncOptions().dim(1));
}

PoiEncoderImpl::PoiEncoderImpl(int dim) {
  constexpr int e = 32;
  category = register_module("category", torch::nn::Embedding(kPoiCategories, e));
  ngrams = register_module("ngrams", torch::nn::Embedding(torch::nn::EmbeddingOptions(kNgramBuckets, e).padding_idx(0)));
  addressView =
      register_module("address_view", torch::nn::Sequential(torch::nn::Linear(2 * e, 64), torch::nn::ReLU(), torch::nn::Linear(64, 64)));
  surroundView = register_module("surround_view", torch::nn::Sequential(torch::nn::Linear(e + kPoiNumeric + kPoiCategories, 64),
                                                                        torch::nn::ReLU(), torch::nn::Linear(64, 64)));
  score = register_module("score", torch::nn::Linear(128, 2));
  project = register_module("project", torch::nn::Linear(64, dim));
  pool = register_module("pool", torch::nn::Linear(dim, 1));
}

torch::Tensor PoiEncoderImpl::forward(const SiteTensors& s) {
  const auto b = s.poiCategory.size(0), k = s.poiCategory.size(1);
  auto cat = category(s.poiCategory);  // [B,K,e]
  auto gramMask = s.poiNgrams.ne(0).unsqueeze(-1).to(torch::kFloat32);
  auto names = (ngrams(s.poiNgrams) * gramMask).sum(2) / gramMask.sum(2).clamp_min(1.0f);  // [B,K,e]
  auto eA = addressView->forward(torch::cat({cat, names}, -1));
  auto hist = s.poiHistogram.unsqueeze(1).expand({b, k, kPoiCategories});
  auto eS = surroundView->forward(torch::cat({cat, s.poiNumeric, hist}, -1));
  auto alpha = torch::softmax(score(torch::cat({eA, eS}, -1)), -1);  // Eq. 8
  auto e = alpha.select(-1, 0).unsqueeze(-1) * eA + alpha.select(-1, 1).unsqueeze(-1) * eS;
  auto p = F::normalize(project(e), F::NormalizeFuncOptions().dim(-1));  // [B,K,d]
  auto logits = pool(p).squeeze(-1).masked_fill(s.poiValid.logical_not(), -1e9f);
  auto beta = torch::softmax(logits, 1).unsqueeze(-1);  // Eq. 9
  return F::normalize((beta * p).sum(1), F::NormalizeFuncOptions().dim(-1));
}

FusionImpl::FusionImpl(int dim, int layers, int heads) : m_dim(dim), m_heads(heads) {
  fusionToken = register_parameter("fusion_token", torch::randn({dim}) * 0.02);
  imageMask = register_parameter("image_mask", torch::randn({dim}) * 0.02);
  poiMask = register_parameter("poi_mask", torch::randn({dim}) * 0.02);
  norms1 = register_module("norms1", torch::nn::ModuleList());
  norms2 = register_module("norms2", torch::nn::ModuleList());
  qkv = register_module("qkv", torch::nn::ModuleList());
  out = register_module("out", torch::nn::ModuleList());
  ff = register_module("ff", torch::nn::ModuleList());
  for (int l = 0; l < layers; ++l) {
    norms1->push_back(torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
    norms2->push_back(torch::nn::LayerNorm(torch::nn::LayerNormOptions({dim})));
    qkv->push_back(torch::nn::Linear(dim, 3 * dim));
    out->push_back(torch::nn::Linear(dim, dim));
    ff->push_back(torch::nn::Sequential(torch::nn::Linear(dim, 2 * dim), torch::nn::GELU(), torch::nn::Linear(2 * dim, dim)));
  }
  wz = register_module("wz", torch::nn::Linear(dim, dim));
  reconstructImage = register_module("reconstruct_image", torch::nn::Linear(dim, dim));
  reconstructPoi = register_module("reconstruct_poi", torch::nn::Linear(dim, dim));
}

FusionOutput FusionImpl::forward(const torch::Tensor& v, const torch::Tensor& p, const torch::Tensor& maskImage,
                                 const torch::Tensor& maskPoi) {
  const auto b = v.size(0);
  // Eq. 10: the masked modality is replaced by its token (where() keeps NaN-free rows intact).
  auto vt = torch::where(maskImage.unsqueeze(1), imageMask.unsqueeze(0).expand({b, m_dim}), v);
  auto pt = torch::where(maskPoi.unsqueeze(1), poiMask.unsqueeze(0).expand({b, m_dim}), p);
  auto x = torch::stack({fusionToken.unsqueeze(0).expand({b, m_dim}), vt, pt}, 1);  // [B,3,d]
  const auto dh = m_dim / m_heads;
  for (std::size_t l = 0; l < qkv->size(); ++l) {
    auto h = norms1[l]->as<torch::nn::LayerNorm>()->forward(x);
    auto q3 = qkv[l]->as<torch::nn::Linear>()->forward(h).view({b, 3, 3, m_heads, dh}).permute({2, 0, 3, 1, 4});  // [3,B,H,3,dh]
    auto att = torch::softmax(torch::matmul(q3[0], q3[1].transpose(-1, -2)) / std::sqrt(double(dh)), -1);
    auto a = torch::matmul(att, q3[2]).permute({0, 2, 1, 3}).reshape({b, 3, m_dim});
    x = x + out[l]->as<torch::nn::Linear>()->forward(a);
    x = x + ff[l]->as<torch::nn::Sequential>()->forward(norms2[l]->as<torch::nn::LayerNorm>()->forward(x));
  }
  FusionOutput o;
  o.z = F::normalize(wz(x.select(1, 0)), F::NormalizeFuncOptions().dim(1));  // Eq. 11
  o.hv = x.select(1, 1);
  o.hp = x.select(1, 2);
  return o;
}

torch::Tensor FusionImpl::reconstructionLoss(const FusionOutput& o, const torch::Tensor& v, const torch::Tensor& p,
                                             const torch::Tensor& maskImage, const torch::Tensor& maskPoi) {
  auto vHat = F::normalize(reconstructImage(o.hv), F::NormalizeFuncOptions().dim(1));
  auto pHat = F::normalize(reconstructPoi(o.hp), F::NormalizeFuncOptions().dim(1));
  auto mi = maskImage.to(torch::kFloat32), mp = maskPoi.to(torch::kFloat32);
  return (mi * (1.0f - (vHat * v).sum(1)) + mp * (1.0f - (pHat * p).sum(1))).mean();  // Eq. 12
}

torch::Tensor multiPositiveInfoNce(const torch::Tensor& anchors, const torch::Tensor& candidates,
                                   const std::vector<std::vector<std::int64_t>>& positives, const std::vector<std::int64_t>& self,
                                   float temperature) {
  auto logits = torch::matmul(anchors, candidates.t()) / temperature;
  const auto a = anchors.size(0);
  auto selfMask = torch::zeros_like(logits, torch::kBool);
  auto posMask = torch::zeros_like(logits);
  auto sm = selfMask.accessor<bool, 2>();
  auto pm = posMask.accessor<float, 2>();
  for (std::int64_t i = 0; i < a; ++i) {
    if (self[std::size_t(i)] >= 0) sm[i][self[std::size_t(i)]] = true;
    const auto& ps = positives[std::size_t(i)];
    for (auto j : ps) pm[i][j] = 1.0f / float(ps.size());
  }
  auto logProb = torch::log_softmax(logits.masked_fill(selfMask.to(logits.device()), -1e9f), 1);
  return -(logProb * posMask.to(logits.device())).sum(1).mean();
}

}  // namespace netspatial::models::netspatialnet
