#pragma once

// The multi-level generator of paper 003 §4.2–4.3: velocity networks for flow matching and the
// hierarchical targets (daily d ∈ R^48, weekly w ∈ R^168, residual r ∈ R^672).
//
// Each level works in a scale-free space so one network serves sites whose volumes differ by
// orders of magnitude (normalised units, training maximum = 1):
//   level 1: y1 = (log(d + ε) − μ1) / σ1                  (volume and daily shape)
//   level 2: y2 = log((w + ε) / (Rep7(d) + ε)) / σ2       (how each weekday departs from Eq. 2)
//   level 3: y3 = (x − u) / (u + ε), u = Rep(w)            (relative residual, so Eq. 13's
//            x̂ = max(u + r, 0) with r = y3 ⊙ (u + ε))
// The level-3 source is 0.1·N(0, I) in training as in inference (Algorithm 2), which matches the
// residual's own scale.

#include <torch/torch.h>

#include <functional>

namespace netspatial::models::netspatialnet {

inline constexpr int kDaily = 48;
inline constexpr int kWeekly = 168;
inline constexpr int kMonthly = 672;
inline constexpr float kEpsilon = 1e-4f;
inline constexpr int kTimeFeatures = 16;

//! v_θ(x_t, t, context): an MLP with residual blocks. The context part of the first layer is
//! computed once per request (contextProjection), so an Euler step costs only the x- and t-parts.
struct VelocityNetImpl : torch::nn::Module {
  VelocityNetImpl(int size, int contextSize, int hidden, int blocks = 2);
  torch::Tensor contextProjection(const torch::Tensor& context);  //!< [B,contextSize] → [B,hidden]
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& projectedContext);
  //! Inference: x ← clipsym(x + Δt·v(x, t_k)), t_k = k·Δt, k = 0 … steps−1 (explicit Euler from the
  //! source at t = 0; Algorithm 2 writes k/N with k from 1, the same grid read one step later), in
  //! place. The same v as forward(), with what does not depend on x computed once per step for all
  //! rows (the time and context parts of the first layer, the skip's coefficients) and every
  //! elementwise op in place: half the operator calls per step. `afterStep` runs after every step;
  //! false stops (cancel) and returns false.
  bool integrate(torch::Tensor& x, const torch::Tensor& context, int steps, float bound, const std::function<bool()>& afterStep);
  torch::nn::Linear inX{nullptr}, inT{nullptr}, inContext{nullptr}, outLayer{nullptr};
  torch::nn::ModuleList blocks{nullptr};
  torch::Tensor skipA, skipB;  //!< per-coordinate (a + b·t)·x_t: Gaussian-to-Gaussian flows are diagonal
};
TORCH_MODULE(VelocityNet);

//! Hierarchical targets of a batch of 672-hour windows [B,672] starting Monday 00:00.
struct LevelTargets {
  torch::Tensor daily;     //!< d_tar [B,48]: weekday ‖ weekend mean profiles
  torch::Tensor weekly;    //!< w_tar [B,168]
  torch::Tensor periodic;  //!< u_tar [B,672]
  torch::Tensor residual;  //!< y3 [B,672], relative
  torch::Tensor peakHour;  //!< [B] int64: argmax of the weekday mean profile
};
LevelTargets decompose(const torch::Tensor& windows);

//! Eq. 2: five weekday days then two weekend days → [B,168].
torch::Tensor weekFromDaily(const torch::Tensor& daily);
//! Eq. 3: Rep(w) → [B,672].
torch::Tensor repeatWeeks(const torch::Tensor& weekly, int hours = kMonthly);
//! d and w of whole-week histories (operations mode): [B,H], H a multiple of 168.
std::pair<torch::Tensor, torch::Tensor> dailyAndWeekly(const torch::Tensor& history);

//! Sinusoidal features of the flow time t ∈ [0,1]: [B] → [B,16].
torch::Tensor timeFeatures(const torch::Tensor& t);

}  // namespace netspatial::models::netspatialnet
