#pragma once

// ADAPTIVE's conditional WGAN-GP week generator, the "Matrioska" of the authors' code (paper 000
// §4.4 defers the architecture to its reference [21]; RESGAN_Partly.py, RESGAN_Partly_Matrioska.py),
// as specified in specs/seed-generators.md §5.3 Step 4 (internal to models/).
//
// The week is built from the inside out: hour-of-day profiles (weekday, weekend) as mixtures of a
// fixed pattern bank, day blocks as those profiles repeated plus a mixture of residual patterns,
// and the whole week as the day blocks plus a TCN residual driven by noise and the condition.
// Each level has its own critic and is trained in its own stage, in that order.
//
// Everything random (initialisation, noise, dropout masks, gradient-penalty α, batch order) comes
// from explicit, seeded generators, never from the global torch generator: the same seed gives the
// same weights and samples on CPU, and two trainings in one process cannot disturb each other.

#include <ATen/core/Generator.h>
#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace netspatial::models::adaptive {

inline constexpr int kWeekHours = 168;
inline constexpr int kDayHours = 24;
inline constexpr int kWeekdayHours = 5 * kDayHours;  //!< Monday–Friday, the first 120 h (Monday-first weeks)
inline constexpr int kWeekendHours = 2 * kDayHours;  //!< Saturday–Sunday, the last 48 h
inline constexpr int kTcnLevels = 6;                 //!< levels per TCN, one channel each (code)
inline constexpr int kWeekResidualChannels = 20;     //!< u: 20 noise channels; k: 20 condition channels
inline constexpr int kCriticHidden = 8;              //!< the pattern critics' hidden width (code)
inline constexpr int kCriticConditionWidth = 10;     //!< D_all's squeezed condition (code)

//! The five training stages, in the code's order (HDD, HDE, DWD, DWE, ALL).
enum class GanStage : int { HourWeekday = 0, HourWeekend, DayWeekday, DayWeekend, Week };
inline constexpr int kGanStages = 5;
const char* ganStageName(GanStage stage);  //!< "hour-weekday", …, "week"

struct MatrioskaConfig {
  int conditionDim = 160;  //!< Z_BS width (c = Z / mean(Z of the city), the caller's job)
  int noiseDim = 160;      //!< Exponential(1) noise, as wide as the condition (code)
  int patterns = 32;       //!< pattern bank rows (k-means k); the banks' own row counts win if clamped
  float dropout = 0.3f;    //!< TCN dropout (generator and week critic)
  int batchSize = 64;      //!< clamped to N; incomplete last batches are dropped (DataLoader drop_last)
  int epochsPerStage = 40;
  int criticSteps = 5;  //!< n_critic: a critic step every batch, a generator step every 5th (batch 0, 5, …)
  double learningRate = 1e-4;
  double beta1 = 0.5, beta2 = 0.9;
  float gradientPenalty = 10.0f;  //!< λ
  bool criticSigmoid = true;      //!< the code's sigmoid on the WGAN critics (quirk kept for faithfulness)
  int jsdRows = 512;              //!< rows of the per-epoch JSD monitor (a fixed subset, fixed noise)
};

//! The fixed (not trained) pattern banks, [patterns, length] each, built from mean-1 training weeks.
struct PatternBanks {
  torch::Tensor hourWeekday, hourWeekend;                //!< P_hd, P_he [K,24]
  torch::Tensor dayResidualWeekday, dayResidualWeekend;  //!< R_dwd [K,120], R_dwe [K,48]
  torch::Tensor dayWeekday, dayWeekend;                  //!< Q_dwd [K,120], Q_dwe [K,48] (the critics' projections)
};

//! The generator's outputs, which are also the components of a real week (weekComponents).
struct MatrioskaOutput {
  torch::Tensor hourWeekday, hourWeekend;  //!< [B,24]
  torch::Tensor dayWeekday, dayWeekend;    //!< [B,120], [B,48]
  torch::Tensor week;                      //!< [B,168]
  const torch::Tensor& at(GanStage stage) const;
};

//! A real week's components: the mean weekday and weekend 24-h profiles, the two day blocks and
//! the week itself. `weeks` is [N,168], Monday 00:00 first.
MatrioskaOutput weekComponents(const torch::Tensor& weeks);

//! The banks (spec §5.3, whose construction the code does not publish): k-means (k-means++,
//! `restarts`, seeded; k clamped to N) over the mean weekday / weekend profiles (P) and over the
//! weekday / weekend day blocks (Q). The residual banks are derived from the day-block clustering,
//! R_k = Q_k − repeat(mean day of Q_k), i.e. the mean of the cluster members' d − repeat(h): the
//! same clusters, so residual + repeated hour profile reconstructs each day-block centre exactly.
PatternBanks buildPatternBanks(const torch::Tensor& weeks, int patterns, std::uint64_t seed, int restarts = 4);

//! TCN dilations for a kernel over a series of `length`: 2^i, replaced by ⌊length/k⌋ when
//! k·2^i > length (code). k = 24 → 1,2,4,7,7,7; 48 → 1,2,3,3,3,3; 72 → 1,2,2,2,2,2; 168 → all 1.
std::vector<int> tcnDilations(int kernel, int levels = kTcnLevels, int length = kWeekHours);

//! A linear layer initialised from an explicit generator: torch::nn::Linear would draw its
//! initial weights from (and advance) the global generator. PyTorch's default bounds,
//! U(±1/√in) for weight and bias; weightStd > 0 draws the weight from N(0, weightStd²) instead
//! (the code's init_weights overrides).
struct DenseImpl : torch::nn::Module {
  DenseImpl(int inFeatures, int outFeatures, at::Generator& init, double weightStd = 0.0);
  torch::Tensor forward(const torch::Tensor& x) { return torch::linear(x, weight, bias); }

  torch::Tensor weight, bias;
};
TORCH_MODULE(Dense);

//! LayerNorm written out with per-row reductions (eps 1e-5, affine, parameters "weight"/"bias" as
//! torch's). torch::nn::LayerNorm's CPU backward sums the γ/β gradients in per-thread buffers, so
//! its result depends on the thread count; here autograd reduces over the batch one output at a
//! time, which does not.
struct StableLayerNormImpl : torch::nn::Module {
  explicit StableLayerNormImpl(std::vector<std::int64_t> shape);
  torch::Tensor forward(const torch::Tensor& x);

  torch::Tensor weight, bias;
  std::vector<std::int64_t> dims;  //!< the last shape.size() dimensions, negative
};
TORCH_MODULE(StableLayerNorm);

//! Dropout with a mask from `generator` (the global generator when it has none).
torch::Tensor dropoutWith(const torch::Tensor& x, double p, bool training, const c10::optional<at::Generator>& generator);

//! Conv1d with weight normalisation, w = g·v/‖v‖ per output channel (torch.nn.utils.weight_norm,
//! written out because LibTorch has no weight_norm wrapper), with the code's circular padding of
//! p = (k−1)·d on both sides.
//!
//! That padded conv is periodic: output j is Σ w·x[(j − p + k·d) mod L], so its L + p outputs are
//! one period tiled, and one period is a circular cross-correlation, computed here with real FFTs
//! of length L. On CPU that is 10–13× faster than the conv ops for these long one-channel kernels
//! (oneDNN's weight gradient also depends on the thread count, the FFTs' does not), and it is
//! differentiable twice, as the gradient penalty needs. Agreement with conv1d is ~1e-6 relative in
//! float.
struct WeightNormConv1dImpl : torch::nn::Module {
  WeightNormConv1dImpl(int inChannels, int outChannels, int kernel, int dilation, at::Generator& init);
  //! The code's conv: circular padding p on both sides, [B,C,L] → [B,O,L + p]. `spectrum`, when
  //! given, is rfft(x, L) along time, computed once by a caller that feeds x to several convs.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& spectrum = {});
  //! One period of it: [B,C,L] → [B,O,L], output s = Σ w·x[(s + k·d) mod L] + bias.
  torch::Tensor periodic(const torch::Tensor& x, const torch::Tensor& spectrum = {});
  //! Without padding: [B,C,L] → [B,O,L − p].
  torch::Tensor valid(const torch::Tensor& x);
  torch::Tensor weight() const;  //!< g·v/‖v‖

  torch::Tensor v, g, bias;
  int kernel, dilation, padding;

 private:
  //! Σ_c x_c ⋆ w_c, circular with period n: [B,C,n] → [B,O,n] (no bias); `spectrum` = rfft(x, n) if given.
  torch::Tensor circularCorrelation(const torch::Tensor& x, std::int64_t n, const torch::Tensor& spectrum = {});
  torch::Tensor tileIndex(std::int64_t length) const;  //!< output j of forward() ← period (j − p) mod L
  torch::Tensor m_tile;                                //!< for L = 168, built once
};
TORCH_MODULE(WeightNormConv1d);

//! The code's TemporalBlock: conv → ReLU → dropout → conv → ReLU → dropout, centre crop to the
//! input length, plus the input (a 1×1 conv when the width changes), ReLU. The second conv is
//! computed only where the crop keeps it: those L outputs never read its circular padding, so a
//! valid conv over the first conv's L + p outputs gives exactly them.
struct TemporalBlockImpl : torch::nn::Module {
  TemporalBlockImpl(int inChannels, int outChannels, int kernel, int dilation, float dropout, at::Generator& init);
  //! `spectrum`: rfft(x) along time, if the caller has it (WeightNormConv1d::forward).
  torch::Tensor forward(const torch::Tensor& x, const c10::optional<at::Generator>& noise, const torch::Tensor& spectrum = {});

  WeightNormConv1d conv1{nullptr}, conv2{nullptr};
  torch::Tensor downsampleWeight, downsampleBias;  //!< 1×1 conv [O,C], only when inChannels ≠ outChannels
  float dropout;
};
TORCH_MODULE(TemporalBlock);

//! kTcnLevels temporal blocks of one channel each, dilations from tcnDilations: [B,C,L] → [B,1,L].
struct TemporalConvNetImpl : torch::nn::Module {
  TemporalConvNetImpl(int inChannels, int kernel, float dropout, at::Generator& init, int length = kWeekHours);
  //! `spectrum`: rfft(x) along time, if the caller has it (the generator's three TCNs share one).
  torch::Tensor forward(const torch::Tensor& x, const c10::optional<at::Generator>& noise, const torch::Tensor& spectrum = {});

  std::vector<TemporalBlock> blocks;
};
TORCH_MODULE(TemporalConvNet);

//! G: x = [n ‖ c] → the five levels (spec §5.3 Step 4, items 1–7). The banks are buffers, so they
//! travel with the module's named tensors (checkpoints).
struct MatrioskaGeneratorImpl : torch::nn::Module {
  //! Parameters initialised as PyTorch's defaults (and the code's normal(0, 0.01) overrides) from
  //! a CPU generator seeded by `seed`: the global torch generator is neither used nor disturbed.
  MatrioskaGeneratorImpl(const MatrioskaConfig& config, const PatternBanks& banks, std::uint64_t seed = 0);

  //! noise [B,noiseDim], condition [B,conditionDim] → all five levels.
  MatrioskaOutput forward(const torch::Tensor& noise, const torch::Tensor& condition);
  //! Only the levels that `stage`'s output needs (the others stay undefined): the hour and day
  //! levels do not depend on the week level, so the first four stages skip the TCNs.
  MatrioskaOutput forwardTo(const torch::Tensor& noise, const torch::Tensor& condition, GanStage stage);
  //! Where dropout masks come from in training mode (none: the global generator).
  void setRandomSource(c10::optional<at::Generator> generator) { m_random = std::move(generator); }
  const MatrioskaConfig& config() const { return m_config; }

  struct Mixture {  //!< softmax(LN_K(Linear(x))) · bank → LN_len
    Dense mix{nullptr};
    StableLayerNorm mixNorm{nullptr}, outNorm{nullptr};
  };
  Mixture hourWeekday, hourWeekend, dayWeekday, dayWeekend;
  torch::Tensor bankHourWeekday, bankHourWeekend, bankDayResidualWeekday, bankDayResidualWeekend;
  Dense conditionSqueeze{nullptr}, noiseExpand{nullptr}, channelMix{nullptr};
  StableLayerNorm conditionNorm{nullptr}, noiseNorm{nullptr}, weekNorm{nullptr};
  TemporalConvNet tcnDay{nullptr}, tcnTwoDays{nullptr}, tcnWeek{nullptr};  //!< kernels 24, 48, 168

 private:
  torch::Tensor mixture(Mixture& m, const torch::Tensor& bank, const torch::Tensor& x);
  MatrioskaConfig m_config;
  c10::optional<at::Generator> m_random;
};
TORCH_MODULE(MatrioskaGenerator);

//! D_hd, D_he, D_dwd, D_dwe: sigmoid(Linear(8→1)(LN_8(Linear(K+C→8)([x·bankᵀ ‖ c])))) — no
//! activation between the layers, as in the code.
struct ProjectionCriticImpl : torch::nn::Module {
  ProjectionCriticImpl(const torch::Tensor& bank, int conditionDim, bool sigmoid, at::Generator& init);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& condition);  //!< [B,1]

  torch::Tensor bank;
  Dense hidden{nullptr}, out{nullptr};
  StableLayerNorm norm{nullptr};
  bool sigmoid;
};
TORCH_MODULE(ProjectionCritic);

//! D_all: three one-channel TCNs (kernels 24, 72, 168) on the week, each read at its last hour,
//! with mean(x), min(x) and Linear(C→10)(c) → Linear(15→1) → sigmoid.
struct WeekCriticImpl : torch::nn::Module {
  WeekCriticImpl(int conditionDim, bool sigmoid, float dropout, at::Generator& init);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& condition);  //!< [B,1]
  void setRandomSource(c10::optional<at::Generator> generator) { m_random = std::move(generator); }

  TemporalConvNet tcnDay{nullptr}, tcnThreeDays{nullptr}, tcnWeek{nullptr};
  Dense conditionSqueeze{nullptr}, out{nullptr};
  bool sigmoid;

 private:
  c10::optional<at::Generator> m_random;
};
TORCH_MODULE(WeekCritic);

using CriticFn = std::function<torch::Tensor(const torch::Tensor& x, const torch::Tensor& condition)>;

//! WGAN-GP: λ·mean_b (‖∇_x D(x̂_b, c_b)‖₂ − 1)² at x̂ = α·real + (1−α)·fake, α [B,1] per sample.
//! Built with create_graph, so its backward reaches the critic's parameters. real/fake [B,L].
torch::Tensor gradientPenalty(const CriticFn& critic, const torch::Tensor& real, const torch::Tensor& fake, const torch::Tensor& condition,
                              const torch::Tensor& alpha, double lambda);

//! The app's `jsd` on two value sets: base-2 Jensen–Shannon divergence (with the mixture) of
//! `bins`-bin histograms over [0, max of both]; values outside clamp to the end bins.
double histogramJsd(const torch::Tensor& real, const torch::Tensor& generated, int bins = 100);

struct GanStageReport {
  std::string stage;
  int epochs = 0;              //!< completed
  double criticLoss = 0.0;     //!< mean L_D over the last epoch
  double generatorLoss = 0.0;  //!< mean L_G over the last epoch
  double jsdInitial = 0.0;     //!< the stage component's JSD before the stage trains
  double jsdFirstEpoch = 0.0, jsdLastEpoch = 0.0;
  std::vector<double> jsdPerEpoch;
  double seconds = 0.0;  //!< wall time of the stage, JSD monitor included
};

struct GanTrainingReport {
  std::vector<GanStageReport> stages;
  double seconds = 0.0;
  bool cancelled = false;  //!< progress returned false; the generator keeps the weights reached
};

//! x with gelu(x) = y on GELU's increasing branch (x ≥ −0.75), by bisection; y is clamped to
//! that branch's range first (gelu's minimum is ≈ −0.17).
torch::Tensor inverseGelu(const torch::Tensor& y);

//! Sets the affine parts of the generator's output layer norms from the real weeks' components
//! (a departure from the code's init, see the model card): every level ends in GELU(LN(·) + lower
//! level), so each LN's target is T = gelu⁻¹(real level) − real lower level. The mixture levels
//! get β = the mean of T and γ = the mean row standard deviation of T (the standardised mixture
//! carries the shape); the week level, whose real residual is only the GELU correction, gets β
//! per hour = the mean of T and γ = `weekResidualScale` × its spread. The code's schedule gives G
//! ~13,000 steps at lr 1e-4; the scaled one gives a few hundred, too few to move the LN offsets from
//! 0 to the data's level (the weeks were mostly clamped zeros with a few spikes). weeks [N,168].
void initialiseFromData(MatrioskaGenerator& generator, const torch::Tensor& weeks, float weekResidualScale = 0.1f);

//! Trains G in the code's order (spec §5.3 "Training"): for each stage a fresh critic and fresh
//! Adams for it and for all of G; each batch one critic step, L_D = D(fake) − D(real) + λ·GP;
//! every criticSteps-th batch one generator step, L_G = −D(G(x)_stage). weeks [N,168] (mean-1
//! shapes, Monday first), conditions [N,conditionDim]. Seeded (critic initialisation, batch order,
//! noise, dropout, α). `progress` (may be empty) gets the fraction done after every batch and
//! stops the run by returning false. Leaves the generator in the train/eval mode it came in.
GanTrainingReport trainMatrioska(MatrioskaGenerator& generator, const PatternBanks& banks, const torch::Tensor& weeks,
                                 const torch::Tensor& conditions, const MatrioskaConfig& config, std::uint64_t seed,
                                 const std::function<bool(double fraction)>& progress);

//! `draws` weeks per condition row from Exponential(1) noise of a CPU generator seeded by `seed`
//! (row-major: row 0's draws first), in eval mode (no dropout), without gradients: [B,draws,168].
torch::Tensor sampleWeeks(MatrioskaGenerator& generator, const torch::Tensor& conditions, int draws, std::uint64_t seed);

//! The volume adapter ([D], not in the paper): the generator makes mean-1 shapes, so the level
//! comes from v̂ = Linear(64→1)(ReLU(Linear(C→64)(c))) = log mean, and x̂ = ŝ·exp(v̂).
struct VolumeHeadImpl : torch::nn::Module {
  explicit VolumeHeadImpl(int conditionDim = 160, int hidden = 64, std::uint64_t seed = 0);
  torch::Tensor forward(const torch::Tensor& condition);  //!< [B] log mean level

  Dense hidden{nullptr}, out{nullptr};
};
TORCH_MODULE(VolumeHead);

//! Adam (lr 1e-3) on the MSE of log mean levels, `steps` steps; full batch up to 512 rows, else
//! seeded mini-batches of 512. The output bias starts at the mean target, so the steps fit the
//! variation rather than the offset. logMeans [N] or [N,1]. Returns the final MSE over all rows.
double trainVolumeHead(VolumeHead& head, const torch::Tensor& conditions, const torch::Tensor& logMeans, int steps, std::uint64_t seed);

}  // namespace netspatial::models::adaptive
