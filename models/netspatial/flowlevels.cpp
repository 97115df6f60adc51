#include "flowlevels.h"

#include <cmath>

namespace netspatial::models::netspatialnet {

VelocityNetImpl::VelocityNetImpl(int size, int contextSize, int hidden, int blockCount) {
  inX = register_module("in_x", torch::nn::Linear(torch::nn::LinearOptions(size, hidden).bias(false)));
  inT = register_module("in_t", torch::nn::Linear(torch::nn::LinearOptions(kTimeFeatures, hidden).bias(false)));
  inContext = register_module("in_context", torch::nn::Linear(contextSize, hidden));
  blocks = register_module("blocks", torch::nn::ModuleList());
  for (int i = 0; i < blockCount; ++i) blocks->push_back(torch::nn::Linear(hidden, hidden));
  outLayer = register_module("out", torch::nn::Linear(hidden, size));
  skipA = register_parameter("skip_a", torch::zeros({size}));
  skipB = register_parameter("skip_b", torch::zeros({size}));
}

torch::Tensor VelocityNetImpl::contextProjection(const torch::Tensor& context) { return inContext(context); }

torch::Tensor VelocityNetImpl::forward(const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& projectedContext) {
  auto h = torch::silu(inX(x) + inT(timeFeatures(t)) + projectedContext);
  for (const auto& block : *blocks) h = h + torch::silu(block->as<torch::nn::Linear>()->forward(h));
  return outLayer(h) + (skipA + skipB * t.unsqueeze(1)) * x;
}

bool VelocityNetImpl::integrate(torch::Tensor& x, const torch::Tensor& context, int steps, float bound,
                                const std::function<bool()>& afterStep) {
  const float dt = 1.0f / float(steps);
  const auto t = torch::arange(steps, x.options()) * dt;                        // [steps]
  const auto timeRows = inT(timeFeatures(t));                                   // [steps, hidden]
  const auto skips = skipA.unsqueeze(0) + skipB.unsqueeze(0) * t.unsqueeze(1);  // [steps, size]
  const auto projected = inContext(context);
  const auto wx = inX->weight.t();
  const auto wOut = outLayer->weight.t();
  std::vector<std::pair<torch::Tensor, torch::Tensor>> layers;  // (bias, weightᵀ) of the residual blocks
  for (const auto& block : *blocks) {
    const auto* linear = block->as<torch::nn::Linear>();
    layers.emplace_back(linear->bias, linear->weight.t());
  }
  x = x.contiguous();
  for (int k = 0; k < steps; ++k) {
    auto h = torch::addmm(projected + timeRows[k], x, wx);
    torch::silu_(h);
    for (const auto& [bias, weight] : layers) {
      auto r = torch::addmm(bias, h, weight);
      torch::silu_(r);
      h.add_(r);
    }
    auto v = torch::addmm(outLayer->bias, h, wOut);
    v.addcmul_(x, skips[k]);
    x.add_(v, dt).clamp_(-bound, bound);
    if (!afterStep()) return false;
  }
  return true;
}

torch::Tensor timeFeatures(const torch::Tensor& t) {
  auto freqs = torch::arange(1, kTimeFeatures / 2 + 1, t.options()) * float(M_PI);
  auto a = t.unsqueeze(1) * freqs.unsqueeze(0);
  return torch::cat({torch::sin(a), torch::cos(a)}, 1);
}

torch::Tensor weekFromDaily(const torch::Tensor& daily) {
  auto wk = daily.narrow(1, 0, 24), we = daily.narrow(1, 24, 24);
  return torch::cat({wk, wk, wk, wk, wk, we, we}, 1);
}

torch::Tensor repeatWeeks(const torch::Tensor& weekly, int hours) { return weekly.repeat({1, hours / kWeekly}); }

std::pair<torch::Tensor, torch::Tensor> dailyAndWeekly(const torch::Tensor& history) {
  const auto b = history.size(0), weeks = history.size(1) / kWeekly;
  auto days = history.view({b, weeks, 7, 24});
  auto weekly = days.mean(1).reshape({b, kWeekly});
  auto d = days.mean(1);  // [B,7,24]
  auto daily = torch::cat({d.narrow(1, 0, 5).mean(1), d.narrow(1, 5, 2).mean(1)}, 1);
  return {daily, weekly};
}

LevelTargets decompose(const torch::Tensor& windows) {
  LevelTargets t;
  std::tie(t.daily, t.weekly) = dailyAndWeekly(windows);
  t.periodic = repeatWeeks(t.weekly);
  t.residual = (windows - t.periodic) / (t.periodic + kEpsilon);
  t.peakHour = t.daily.narrow(1, 0, 24).argmax(1);
  return t;
}

}  // namespace netspatial::models::netspatialnet
