// ADAPTIVE's Matrioska generator, its five critics, WGAN-GP training, sampling and the volume
// head (matrioska.h; spec §5.3 Step 4).

#include "matrioska.h"

#include "clustering.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

namespace netspatial::models::adaptive {

namespace F = torch::nn::functional;

namespace {

at::Generator cpuGenerator(std::uint64_t seed) { return at::make_generator<at::CPUGeneratorImpl>(seed); }

//! Distinct, well-mixed sub-seeds (splitmix64), so streams seeded from one seed do not overlap.
std::uint64_t subSeed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

StableLayerNorm layerNorm(std::vector<std::int64_t> shape) { return StableLayerNorm(std::move(shape)); }

void requireRows(const torch::Tensor& t, std::int64_t width, const char* what) {
  if (!t.defined() || t.dim() != 2 || t.size(1) != width)
    throw std::invalid_argument(std::string(what) + " must be [N, " + std::to_string(width) + "]");
}

}  // namespace

const char* ganStageName(GanStage stage) {
  static constexpr const char* kNames[kGanStages] = {"hour-weekday", "hour-weekend", "day-weekday", "day-weekend", "week"};
  return kNames[int(stage)];
}

const torch::Tensor& MatrioskaOutput::at(GanStage stage) const {
  switch (stage) {
    case GanStage::HourWeekday:
      return hourWeekday;
    case GanStage::HourWeekend:
      return hourWeekend;
    case GanStage::DayWeekday:
      return dayWeekday;
    case GanStage::DayWeekend:
      return dayWeekend;
    case GanStage::Week:
      break;
  }
  return week;
}

MatrioskaOutput weekComponents(const torch::Tensor& weeks) {
  requireRows(weeks, kWeekHours, "weeks");
  const torch::Tensor w = weeks.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  const std::int64_t n = w.size(0);
  MatrioskaOutput c;
  c.week = w;
  c.dayWeekday = w.narrow(1, 0, kWeekdayHours).contiguous();
  c.dayWeekend = w.narrow(1, kWeekdayHours, kWeekendHours).contiguous();
  c.hourWeekday = c.dayWeekday.reshape({n, 5, kDayHours}).mean(1);
  c.hourWeekend = c.dayWeekend.reshape({n, 2, kDayHours}).mean(1);
  return c;
}

PatternBanks buildPatternBanks(const torch::Tensor& weeks, int patterns, std::uint64_t seed, int restarts) {
  const MatrioskaOutput c = weekComponents(weeks);
  if (c.week.size(0) < 1) throw std::invalid_argument("buildPatternBanks: no weeks");
  const int k = std::max(1, patterns);
  PatternBanks b;
  b.hourWeekday = kMeans(c.hourWeekday, k, restarts, subSeed(seed, 0)).centres;
  b.hourWeekend = kMeans(c.hourWeekend, k, restarts, subSeed(seed, 1)).centres;
  b.dayWeekday = kMeans(c.dayWeekday, k, restarts, subSeed(seed, 2)).centres;
  b.dayWeekend = kMeans(c.dayWeekend, k, restarts, subSeed(seed, 3)).centres;
  // The mean of the members' residuals d − repeat(h) equals centre − repeat(its mean day).
  const auto rows = [](const torch::Tensor& t) { return t.size(0); };
  b.dayResidualWeekday = b.dayWeekday - b.dayWeekday.reshape({rows(b.dayWeekday), 5, kDayHours}).mean(1).repeat({1, 5});
  b.dayResidualWeekend = b.dayWeekend - b.dayWeekend.reshape({rows(b.dayWeekend), 2, kDayHours}).mean(1).repeat({1, 2});
  return b;
}

std::vector<int> tcnDilations(int kernel, int levels, int length) {
  std::vector<int> d;
  for (int i = 0; i < levels; ++i) {
    const long long power = 1LL << i;
    d.push_back(kernel * power > length ? std::max(1, length / kernel) : int(power));
  }
  return d;
}

torch::Tensor dropoutWith(const torch::Tensor& x, double p, bool training, const c10::optional<at::Generator>& generator) {
  if (!training || p <= 0.0) return x;
  if (p >= 1.0) return x * 0.0;
  if (!generator) return torch::dropout(x, p, true);
  const torch::Tensor keep = torch::empty_like(x, torch::TensorOptions().requires_grad(false)).bernoulli_(1.0 - p, *generator);
  return x * keep / (1.0 - p);
}

// --- building blocks ----------------------------------------------------------------------------

StableLayerNormImpl::StableLayerNormImpl(std::vector<std::int64_t> shape) {
  weight = register_parameter("weight", torch::ones(shape));
  bias = register_parameter("bias", torch::zeros(shape));
  for (std::int64_t i = -std::int64_t(shape.size()); i < 0; ++i) dims.push_back(i);
}

torch::Tensor StableLayerNormImpl::forward(const torch::Tensor& x) {
  const torch::Tensor centred = x - x.mean(dims, true);
  return centred * torch::rsqrt(centred.pow(2).mean(dims, true) + 1e-5) * weight + bias;
}

DenseImpl::DenseImpl(int inFeatures, int outFeatures, at::Generator& init, double weightStd) {
  weight = register_parameter("weight", torch::empty({outFeatures, inFeatures}));
  bias = register_parameter("bias", torch::empty({outFeatures}));
  torch::NoGradGuard noGrad;
  const double bound = 1.0 / std::sqrt(double(std::max(1, inFeatures)));
  if (weightStd > 0.0)
    weight.normal_(0.0, weightStd, init);
  else
    weight.uniform_(-bound, bound, init);
  bias.uniform_(-bound, bound, init);
}

WeightNormConv1dImpl::WeightNormConv1dImpl(int inChannels, int outChannels, int kernel_, int dilation_, at::Generator& init)
    : kernel(kernel_), dilation(dilation_), padding((kernel_ - 1) * dilation_) {
  v = register_parameter("weight_v", torch::empty({outChannels, inChannels, kernel}));
  bias = register_parameter("bias", torch::empty({outChannels}));
  torch::NoGradGuard noGrad;
  // PyTorch's Conv1d default (kaiming-uniform with a = √5 ⇒ U(±1/√fan_in)); weight_norm then
  // sets g = ‖v‖, so the effective initial weight is that default. The code's later
  // `conv.weight.data.normal_(0, 0.01)` writes the derived weight, which the next forward
  // recomputes from g and v: it has no effect, and is not copied.
  const double bound = 1.0 / std::sqrt(double(inChannels * kernel));
  v.uniform_(-bound, bound, init);
  bias.uniform_(-bound, bound, init);
  g = register_parameter("weight_g", v.reshape({outChannels, -1}).norm(2, 1).reshape({outChannels, 1, 1}).clone());
  m_tile = tileIndex(kWeekHours);
}

torch::Tensor WeightNormConv1dImpl::weight() const {
  const std::int64_t out = v.size(0);
  return g * v / v.reshape({out, -1}).norm(2, 1).reshape({out, 1, 1});
}

torch::Tensor WeightNormConv1dImpl::tileIndex(std::int64_t length) const {
  std::vector<std::int64_t> index;
  for (std::int64_t j = 0; j < length + padding; ++j) index.push_back(((j - padding) % length + length) % length);
  return torch::tensor(index, torch::kInt64);
}

torch::Tensor WeightNormConv1dImpl::circularCorrelation(const torch::Tensor& x, std::int64_t n, const torch::Tensor& xSpectrum) {
  // The dilated kernel spread out: h[o,c,k·d] = w[o,c,k], zeros between, folded modulo n.
  const torch::Tensor w = weight();
  const std::int64_t outChannels = w.size(0), channels = w.size(1);
  torch::Tensor h = F::pad(w.unsqueeze(-1), F::PadFuncOptions({0, dilation - 1})).reshape({outChannels, channels, kernel * dilation});
  const std::int64_t folds = (h.size(2) + n - 1) / n;
  h = F::pad(h, F::PadFuncOptions({0, folds * n - h.size(2)})).reshape({outChannels, channels, folds, n}).sum(2);
  // y[s] = Σ_j h[j]·x[(s + j) mod n] ⇔ Y = X·conj(H), summed over the input channels.
  const torch::Tensor input = xSpectrum.defined() ? xSpectrum : torch::fft::rfft(x, n, -1);
  const torch::Tensor spectrum = (input.unsqueeze(1) * torch::fft::rfft(h, n, -1).conj().unsqueeze(0)).sum(2);
  return torch::fft::irfft(spectrum, n, -1);
}

torch::Tensor WeightNormConv1dImpl::periodic(const torch::Tensor& x, const torch::Tensor& spectrum) {
  return circularCorrelation(x, x.size(2), spectrum) + bias.view({1, -1, 1});
}

torch::Tensor WeightNormConv1dImpl::forward(const torch::Tensor& x, const torch::Tensor& spectrum) {
  const std::int64_t length = x.size(2);
  return periodic(x, spectrum).index_select(2, length == kWeekHours ? m_tile : tileIndex(length));
}

torch::Tensor WeightNormConv1dImpl::valid(const torch::Tensor& x) {
  // Outputs i ≤ L − p − 1 read x[i + j] with i + j ≤ L − 1: the circular correlation of period L
  // never wraps there.
  const std::int64_t length = x.size(2);
  if (length <= padding) throw std::invalid_argument("WeightNormConv1d::valid: input shorter than the kernel");
  return circularCorrelation(x, length).narrow(2, 0, length - padding) + bias.view({1, -1, 1});
}

TemporalBlockImpl::TemporalBlockImpl(int inChannels, int outChannels, int kernel, int dilation, float dropout_, at::Generator& init)
    : dropout(dropout_) {
  conv1 = register_module("conv1", WeightNormConv1d(inChannels, outChannels, kernel, dilation, init));
  conv2 = register_module("conv2", WeightNormConv1d(outChannels, outChannels, kernel, dilation, init));
  if (inChannels != outChannels) {
    downsampleWeight = register_parameter("downsample_weight", torch::empty({outChannels, inChannels}));
    downsampleBias = register_parameter("downsample_bias", torch::empty({outChannels}));
    torch::NoGradGuard noGrad;
    downsampleWeight.normal_(0.0, 0.01, init);  // the code's init_weights (effective here: no weight norm)
    const double bound = 1.0 / std::sqrt(double(inChannels));
    downsampleBias.uniform_(-bound, bound, init);
  }
}

torch::Tensor TemporalBlockImpl::forward(const torch::Tensor& x, const c10::optional<at::Generator>& noise, const torch::Tensor& spectrum) {
  const torch::Tensor first = dropoutWith(torch::relu(conv1->forward(x, spectrum)), dropout, is_training(), noise);  // [B,O,L+p]
  const torch::Tensor out = dropoutWith(torch::relu(conv2->valid(first)), dropout, is_training(), noise);            // [B,O,L]
  const torch::Tensor residual =
      downsampleWeight.defined() ? torch::matmul(downsampleWeight, x) + downsampleBias.view({1, -1, 1}) : x;  // 1×1 conv
  return torch::relu(out + residual);
}

TemporalConvNetImpl::TemporalConvNetImpl(int inChannels, int kernel, float dropout, at::Generator& init, int length) {
  const std::vector<int> dilations = tcnDilations(kernel, kTcnLevels, length);
  for (std::size_t i = 0; i < dilations.size(); ++i)
    blocks.push_back(
        register_module("block" + std::to_string(i), TemporalBlock(i == 0 ? inChannels : 1, 1, kernel, dilations[i], dropout, init)));
}

torch::Tensor TemporalConvNetImpl::forward(const torch::Tensor& x, const c10::optional<at::Generator>& noise,
                                           const torch::Tensor& spectrum) {
  torch::Tensor y = blocks.front()->forward(x, noise, spectrum);
  for (std::size_t i = 1; i < blocks.size(); ++i) y = blocks[i]->forward(y, noise);
  return y;
}

// --- generator ----------------------------------------------------------------------------------

MatrioskaGeneratorImpl::MatrioskaGeneratorImpl(const MatrioskaConfig& config, const PatternBanks& banks, std::uint64_t seed)
    : m_config(config) {
  const auto checkBank = [](const torch::Tensor& bank, std::int64_t length, const char* name) {
    if (!bank.defined() || bank.dim() != 2 || bank.size(0) < 1 || bank.size(1) != length)
      throw std::invalid_argument(std::string("MatrioskaGenerator: bank ") + name + " must be [K ≥ 1, " + std::to_string(length) + "]");
  };
  checkBank(banks.hourWeekday, kDayHours, "hourWeekday");
  checkBank(banks.hourWeekend, kDayHours, "hourWeekend");
  checkBank(banks.dayResidualWeekday, kWeekdayHours, "dayResidualWeekday");
  checkBank(banks.dayResidualWeekend, kWeekendHours, "dayResidualWeekend");
  if (config.noiseDim < 1 || config.conditionDim < 1)
    throw std::invalid_argument("MatrioskaGenerator: noiseDim and conditionDim must be ≥ 1");

  at::Generator init = cpuGenerator(seed);
  const int in = config.noiseDim + config.conditionDim;
  const auto makeMixture = [&](const std::string& name, const torch::Tensor& bank) {
    Mixture m;
    m.mix = register_module(name + "_mix", Dense(in, int(bank.size(0)), init));
    m.mixNorm = register_module(name + "_mix_norm", layerNorm({bank.size(0)}));
    m.outNorm = register_module(name + "_norm", layerNorm({bank.size(1)}));
    return m;
  };
  const auto buffer = [&](const std::string& name, const torch::Tensor& bank) {
    return register_buffer(name, bank.detach().to(torch::kCPU, torch::kFloat32).clone());
  };
  hourWeekday = makeMixture("hour_weekday", banks.hourWeekday);
  hourWeekend = makeMixture("hour_weekend", banks.hourWeekend);
  dayWeekday = makeMixture("day_weekday", banks.dayResidualWeekday);
  dayWeekend = makeMixture("day_weekend", banks.dayResidualWeekend);
  bankHourWeekday = buffer("bank_hour_weekday", banks.hourWeekday);
  bankHourWeekend = buffer("bank_hour_weekend", banks.hourWeekend);
  bankDayResidualWeekday = buffer("bank_day_residual_weekday", banks.dayResidualWeekday);
  bankDayResidualWeekend = buffer("bank_day_residual_weekend", banks.dayResidualWeekend);

  conditionSqueeze = register_module("condition_squeeze", Dense(config.conditionDim, kWeekResidualChannels, init));
  conditionNorm = register_module("condition_norm", layerNorm({kWeekResidualChannels}));
  noiseExpand = register_module("noise_expand", Dense(config.noiseDim, kWeekResidualChannels * kWeekHours, init));
  noiseNorm = register_module("noise_norm", layerNorm({kWeekResidualChannels * kWeekHours}));
  const int channels = 2 * kWeekResidualChannels;
  tcnDay = register_module("tcn_day", TemporalConvNet(channels, 24, config.dropout, init));
  tcnTwoDays = register_module("tcn_two_days", TemporalConvNet(channels, 48, config.dropout, init));
  tcnWeek = register_module("tcn_week", TemporalConvNet(channels, kWeekHours, config.dropout, init));
  channelMix = register_module("channel_mix", Dense(3, 1, init, 0.01));
  weekNorm = register_module("week_norm", layerNorm({1, kWeekHours}));
}

torch::Tensor MatrioskaGeneratorImpl::mixture(Mixture& m, const torch::Tensor& bank, const torch::Tensor& x) {
  return m.outNorm(torch::softmax(m.mixNorm(m.mix(x)), 1).matmul(bank));
}

MatrioskaOutput MatrioskaGeneratorImpl::forward(const torch::Tensor& noise, const torch::Tensor& condition) {
  return forwardTo(noise, condition, GanStage::Week);
}

MatrioskaOutput MatrioskaGeneratorImpl::forwardTo(const torch::Tensor& noise, const torch::Tensor& condition, GanStage stage) {
  requireRows(noise, m_config.noiseDim, "noise");
  requireRows(condition, m_config.conditionDim, "condition");
  const bool week = stage == GanStage::Week;
  const bool weekday = week || stage == GanStage::HourWeekday || stage == GanStage::DayWeekday;
  const bool weekend = week || stage == GanStage::HourWeekend || stage == GanStage::DayWeekend;
  const torch::Tensor x = torch::cat({noise, condition}, 1);
  MatrioskaOutput out;
  // The code's activation="relu" selects GELU ("not sigmoid"), at every level.
  if (weekday) out.hourWeekday = torch::gelu(mixture(hourWeekday, bankHourWeekday, x));
  if (weekend) out.hourWeekend = torch::gelu(mixture(hourWeekend, bankHourWeekend, x));
  if (week || stage == GanStage::DayWeekday)
    out.dayWeekday = torch::gelu(mixture(dayWeekday, bankDayResidualWeekday, x) + out.hourWeekday.repeat({1, 5}));
  if (week || stage == GanStage::DayWeekend)
    out.dayWeekend = torch::gelu(mixture(dayWeekend, bankDayResidualWeekend, x) + out.hourWeekend.repeat({1, 2}));
  if (!week) return out;

  const std::int64_t b = x.size(0);
  const torch::Tensor k = conditionNorm(conditionSqueeze(condition));
  const torch::Tensor u = noiseNorm(noiseExpand(noise)).reshape({b, kWeekResidualChannels, kWeekHours});
  const torch::Tensor in = torch::cat({u, k.unsqueeze(2).expand({b, kWeekResidualChannels, kWeekHours})}, 1);
  // In eval mode (generation) the three TCNs read one spectrum of their shared input. k is constant
  // in time, so its rfft is L·k at frequency 0 and nothing else (written out, not transformed).
  // Training keeps each conv's own transform, so a recipe still reproduces the committed weights
  // bit for bit (the two agree to float rounding, tst_adaptivegan).
  torch::Tensor spectrum;
  if (!is_training()) {
    const torch::Tensor constantPart =
        F::pad(k.unsqueeze(2) * double(kWeekHours), F::PadFuncOptions({0, kWeekHours / 2})).to(torch::kComplexFloat);
    spectrum = torch::cat({torch::fft::rfft(u, kWeekHours, -1), constantPart}, 1);
  }
  torch::Tensor y = torch::cat(
      {tcnDay->forward(in, m_random, spectrum), tcnTwoDays->forward(in, m_random, spectrum), tcnWeek->forward(in, m_random, spectrum)}, 1);
  y = channelMix(y.transpose(1, 2)).transpose(1, 2);  // [B,3,168] → [B,1,168]
  y = weekNorm(y) + torch::cat({out.dayWeekday, out.dayWeekend}, 1).unsqueeze(1);
  out.week = torch::gelu(y).squeeze(1);
  return out;
}

// --- critics ------------------------------------------------------------------------------------

ProjectionCriticImpl::ProjectionCriticImpl(const torch::Tensor& bank_, int conditionDim, bool sigmoid_, at::Generator& init)
    : sigmoid(sigmoid_) {
  if (!bank_.defined() || bank_.dim() != 2) throw std::invalid_argument("ProjectionCritic: bank must be [K, L]");
  bank = register_buffer("bank", bank_.detach().to(torch::kCPU, torch::kFloat32).clone());
  hidden = register_module("hidden", Dense(int(bank.size(0)) + conditionDim, kCriticHidden, init));
  norm = register_module("norm", layerNorm({kCriticHidden}));
  out = register_module("out", Dense(kCriticHidden, 1, init));
}

torch::Tensor ProjectionCriticImpl::forward(const torch::Tensor& x, const torch::Tensor& condition) {
  const torch::Tensor y = out(norm(hidden(torch::cat({x.matmul(bank.to(x.dtype()).t()), condition}, 1))));
  return sigmoid ? torch::sigmoid(y) : y;
}

WeekCriticImpl::WeekCriticImpl(int conditionDim, bool sigmoid_, float dropout, at::Generator& init) : sigmoid(sigmoid_) {
  tcnDay = register_module("tcn_day", TemporalConvNet(1, 24, dropout, init));
  tcnThreeDays = register_module("tcn_three_days", TemporalConvNet(1, 72, dropout, init));
  tcnWeek = register_module("tcn_week", TemporalConvNet(1, kWeekHours, dropout, init));
  conditionSqueeze = register_module("condition_squeeze", Dense(conditionDim, kCriticConditionWidth, init));
  out = register_module("out", Dense(3 + 2 + kCriticConditionWidth, 1, init, 0.01));
}

torch::Tensor WeekCriticImpl::forward(const torch::Tensor& x, const torch::Tensor& condition) {
  const torch::Tensor series = x.unsqueeze(1);  // [B,1,168]
  const std::int64_t last = series.size(2) - 1;
  const torch::Tensor y = out(torch::cat(
      {tcnDay->forward(series, m_random).select(2, last), tcnThreeDays->forward(series, m_random).select(2, last),
       tcnWeek->forward(series, m_random).select(2, last), series.mean(2), std::get<0>(series.min(2)), conditionSqueeze(condition)},
      1));
  return sigmoid ? torch::sigmoid(y) : y;
}

torch::Tensor gradientPenalty(const CriticFn& critic, const torch::Tensor& real, const torch::Tensor& fake, const torch::Tensor& condition,
                              const torch::Tensor& alpha, double lambda) {
  const torch::Tensor a = alpha.reshape({-1, 1}).to(real.dtype());
  const torch::Tensor mixed = (a * real.detach() + (1.0 - a) * fake.detach()).requires_grad_(true);
  const torch::Tensor score = critic(mixed, condition);
  const torch::Tensor gradient = torch::autograd::grad({score}, {mixed}, {torch::ones_like(score)}, /*retain_graph=*/true,
                                                       /*create_graph=*/true)[0];
  return lambda * (gradient.reshape({gradient.size(0), -1}).norm(2, 1) - 1.0).pow(2).mean();
}

double histogramJsd(const torch::Tensor& real, const torch::Tensor& generated, int bins) {
  const torch::Tensor r = real.detach().to(torch::kCPU, torch::kFloat64).contiguous().reshape(-1);
  const torch::Tensor g = generated.detach().to(torch::kCPU, torch::kFloat64).contiguous().reshape(-1);
  const double* rp = r.data_ptr<double>();
  const double* gp = g.data_ptr<double>();
  double hi = 0.0;
  for (std::int64_t i = 0; i < r.numel(); ++i)
    if (std::isfinite(rp[i])) hi = std::max(hi, rp[i]);
  for (std::int64_t i = 0; i < g.numel(); ++i)
    if (std::isfinite(gp[i])) hi = std::max(hi, gp[i]);
  bins = std::max(1, bins);
  const auto histogram = [&](const double* v, std::int64_t n) {
    std::vector<double> h(std::size_t(bins), 0.0);
    double count = 0.0;
    const double width = hi / bins;
    for (std::int64_t i = 0; i < n; ++i) {
      if (!std::isfinite(v[i])) continue;
      const int bin = width > 0.0 ? int(std::clamp(std::floor(v[i] / width), 0.0, double(bins - 1))) : 0;
      h[std::size_t(bin)] += 1.0;
      count += 1.0;
    }
    if (count > 0.0)
      for (double& x : h) x /= count;
    return h;
  };
  const std::vector<double> p = histogram(rp, r.numel()), q = histogram(gp, g.numel());
  double kl = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double m = 0.5 * (p[i] + q[i]);
    if (p[i] > 0.0) kl += 0.5 * p[i] * std::log2(p[i] / m);
    if (q[i] > 0.0) kl += 0.5 * q[i] * std::log2(q[i] / m);
  }
  return std::clamp(kl, 0.0, 1.0);
}

// --- training -----------------------------------------------------------------------------------

namespace {

struct StageCritic {
  std::shared_ptr<torch::nn::Module> module;
  CriticFn fn;
};

StageCritic makeCritic(GanStage stage, const PatternBanks& banks, const MatrioskaConfig& config, at::Generator& random) {
  StageCritic c;
  if (stage == GanStage::Week) {
    WeekCritic critic(config.conditionDim, config.criticSigmoid, config.dropout, random);
    critic->setRandomSource(random);
    c.module = critic.ptr();
    c.fn = [critic](const torch::Tensor& x, const torch::Tensor& cond) mutable { return critic->forward(x, cond); };
    return c;
  }
  const torch::Tensor& bank = stage == GanStage::HourWeekday   ? banks.hourWeekday
                              : stage == GanStage::HourWeekend ? banks.hourWeekend
                              : stage == GanStage::DayWeekday  ? banks.dayWeekday
                                                               : banks.dayWeekend;
  ProjectionCritic critic(bank, config.conditionDim, config.criticSigmoid, random);
  c.module = critic.ptr();
  c.fn = [critic](const torch::Tensor& x, const torch::Tensor& cond) mutable { return critic->forward(x, cond); };
  return c;
}

void setRequiresGrad(torch::nn::Module& module, bool on) {
  for (auto& p : module.parameters()) p.set_requires_grad(on);
}

}  // namespace

torch::Tensor inverseGelu(const torch::Tensor& y) {
  constexpr double kBranchStart = -0.7518;  // gelu's minimum: increasing from here on
  const torch::Tensor target =
      y.detach().to(torch::kFloat64).clamp(torch::gelu(torch::tensor(kBranchStart, torch::kFloat64)).item<double>());
  torch::Tensor low = torch::full_like(target, kBranchStart);
  torch::Tensor high = target.clamp_min(0.0) + 4.0;  // gelu(y + 4) > y for y ≥ 0
  for (int i = 0; i < 60; ++i) {
    const torch::Tensor middle = (low + high) * 0.5;
    const torch::Tensor below = torch::gelu(middle) < target;
    low = torch::where(below, middle, low);
    high = torch::where(below, high, middle);
  }
  return ((low + high) * 0.5).to(y.scalar_type());
}

void initialiseFromData(MatrioskaGenerator& generator, const torch::Tensor& weeks, float weekResidualScale) {
  const MatrioskaOutput real = weekComponents(weeks);
  if (real.week.size(0) < 1) throw std::invalid_argument("initialiseFromData: no weeks");
  const auto rowSpread = [](const torch::Tensor& t) { return t.std(1, false).mean().item<double>(); };
  const auto setMixture = [&](MatrioskaGeneratorImpl::Mixture& m, const torch::Tensor& target) {
    m.outNorm->weight.fill_(std::max(1e-3, rowSpread(target)));
    m.outNorm->bias.fill_(target.mean().item<double>());
  };
  torch::NoGradGuard noGrad;
  setMixture(generator->hourWeekday, inverseGelu(real.hourWeekday));
  setMixture(generator->hourWeekend, inverseGelu(real.hourWeekend));
  setMixture(generator->dayWeekday, inverseGelu(real.dayWeekday) - real.hourWeekday.repeat({1, 5}));
  setMixture(generator->dayWeekend, inverseGelu(real.dayWeekend) - real.hourWeekend.repeat({1, 2}));
  const torch::Tensor weekTarget = inverseGelu(real.week) - real.week;
  const torch::Tensor hourly = weekTarget.mean(0);
  generator->weekNorm->bias.copy_(hourly.view_as(generator->weekNorm->bias));
  generator->weekNorm->weight.fill_(std::max(1e-3, double(weekResidualScale) * rowSpread(weekTarget - hourly)));
}

GanTrainingReport trainMatrioska(MatrioskaGenerator& generator, const PatternBanks& banks, const torch::Tensor& weeks,
                                 const torch::Tensor& conditions, const MatrioskaConfig& config, std::uint64_t seed,
                                 const std::function<bool(double fraction)>& progress) {
  const auto started = std::chrono::steady_clock::now();
  const MatrioskaConfig& net = generator->config();
  if (config.conditionDim != net.conditionDim || config.noiseDim != net.noiseDim)
    throw std::invalid_argument("trainMatrioska: config and generator differ in noise or condition width");
  const MatrioskaOutput real = weekComponents(weeks);
  requireRows(conditions, config.conditionDim, "conditions");
  const std::int64_t n = real.week.size(0);
  if (n < 1 || conditions.size(0) != n) throw std::invalid_argument("trainMatrioska: weeks and conditions must have the same N ≥ 1");
  const torch::Tensor cond = conditions.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  if (!banks.hourWeekday.defined() || !banks.hourWeekend.defined() || !banks.dayWeekday.defined() || !banks.dayWeekend.defined())
    throw std::invalid_argument("trainMatrioska: the critics need the P and Q banks");

  const std::int64_t batch = std::clamp<std::int64_t>(config.batchSize, 1, n);
  const std::int64_t batchesPerEpoch = n / batch;  // drop_last, as the code's DataLoader
  const int epochs = std::max(0, config.epochsPerStage);
  const int criticSteps = std::max(1, config.criticSteps);
  const double total = double(kGanStages) * epochs * double(batchesPerEpoch);

  at::Generator random = cpuGenerator(seed);
  std::mt19937_64 order(subSeed(seed, 10));
  const auto uniformIndex = [&order](std::uint64_t bound) { return std::uint64_t(double(order() >> 11) * 0x1.0p-53 * double(bound)); };

  // The JSD monitor: a fixed subset with fixed noise, in eval mode, so the curve shows the
  // generator's change rather than sampling noise.
  const std::int64_t monitorRows = std::clamp<std::int64_t>(config.jsdRows, 1, n);
  std::vector<std::int64_t> all(static_cast<std::size_t>(n));
  std::iota(all.begin(), all.end(), 0);
  std::mt19937_64 monitorOrder(subSeed(seed, 11));
  std::shuffle(all.begin(), all.end(), monitorOrder);
  const torch::Tensor monitorIndex = torch::tensor(std::vector<std::int64_t>(all.begin(), all.begin() + monitorRows), torch::kInt64);
  at::Generator monitorRandom = cpuGenerator(subSeed(seed, 12));
  const torch::Tensor monitorNoise = torch::empty({monitorRows, config.noiseDim}).exponential_(1.0, monitorRandom);
  const torch::Tensor monitorCondition = cond.index_select(0, monitorIndex);
  const auto monitor = [&](GanStage s) {
    torch::NoGradGuard noGrad;
    generator->eval();
    const torch::Tensor fake = generator->forwardTo(monitorNoise, monitorCondition, s).at(s);
    generator->train();
    return histogramJsd(real.at(s).index_select(0, monitorIndex), fake);
  };

  const bool wasTraining = generator->is_training();
  generator->train();
  generator->setRandomSource(random);
  GanTrainingReport report;
  const auto finish = [&] {
    generator->setRandomSource(c10::nullopt);
    generator->train(wasTraining);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
  };

  std::vector<std::int64_t> permutation(static_cast<std::size_t>(n));
  double done = 0.0;
  for (int stageIndex = 0; stageIndex < kGanStages; ++stageIndex) {
    const auto stage = GanStage(stageIndex);
    const auto stageStarted = std::chrono::steady_clock::now();
    const auto stageSeconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - stageStarted).count(); };
    GanStageReport sr;
    sr.stage = ganStageName(stage);
    StageCritic critic = makeCritic(stage, banks, config, random);
    critic.module->train();
    const auto adam = torch::optim::AdamOptions(config.learningRate).betas({config.beta1, config.beta2});
    torch::optim::Adam optimiserD(critic.module->parameters(), adam);
    torch::optim::Adam optimiserG(generator->parameters(), adam);
    const torch::Tensor& target = real.at(stage);
    sr.jsdInitial = monitor(stage);

    for (int epoch = 0; epoch < epochs; ++epoch) {
      std::iota(permutation.begin(), permutation.end(), 0);
      for (std::size_t i = permutation.size(); i > 1; --i) std::swap(permutation[i - 1], permutation[std::size_t(uniformIndex(i))]);
      double sumD = 0.0, sumG = 0.0;
      int stepsG = 0;
      for (std::int64_t b = 0; b < batchesPerEpoch; ++b) {
        const torch::Tensor index =
            torch::tensor(std::vector<std::int64_t>(permutation.begin() + b * batch, permutation.begin() + (b + 1) * batch), torch::kInt64);
        const torch::Tensor realBatch = target.index_select(0, index);
        const torch::Tensor c = cond.index_select(0, index);

        // Critic step. G's output is detached: the code lets D's loss reach G too, but zeroes
        // G's gradients before G's own step, so cutting the graph changes nothing but the cost.
        const torch::Tensor dReal = critic.fn(realBatch, c).mean();
        torch::Tensor fake;
        {
          torch::NoGradGuard noGrad;
          fake = generator->forwardTo(torch::empty({batch, config.noiseDim}).exponential_(1.0, random), c, stage).at(stage);
        }
        const torch::Tensor dFake = critic.fn(fake, c).mean();
        const torch::Tensor penalty =
            gradientPenalty(critic.fn, realBatch, fake, c, torch::rand({batch, 1}, random), config.gradientPenalty);
        const torch::Tensor lossD = dFake - dReal + penalty;
        optimiserD.zero_grad();
        lossD.backward();
        optimiserD.step();
        sumD += lossD.item<double>();

        if (b % criticSteps == 0) {
          setRequiresGrad(*critic.module, false);
          const torch::Tensor noise = torch::empty({batch, config.noiseDim}).exponential_(1.0, random);
          const torch::Tensor lossG = -critic.fn(generator->forwardTo(noise, c, stage).at(stage), c).mean();
          optimiserG.zero_grad();
          lossG.backward();
          optimiserG.step();
          setRequiresGrad(*critic.module, true);
          sumG += lossG.item<double>();
          ++stepsG;
        }
        done += 1.0;
        if (progress && !progress(total > 0.0 ? done / total : 1.0)) {
          report.cancelled = true;
          sr.criticLoss = sumD / double(b + 1);
          sr.generatorLoss = stepsG > 0 ? sumG / stepsG : 0.0;
          sr.seconds = stageSeconds();
          report.stages.push_back(sr);
          return finish();
        }
      }
      sr.criticLoss = batchesPerEpoch > 0 ? sumD / double(batchesPerEpoch) : 0.0;
      sr.generatorLoss = stepsG > 0 ? sumG / stepsG : 0.0;
      sr.jsdPerEpoch.push_back(monitor(stage));
      sr.epochs = epoch + 1;
    }
    sr.jsdFirstEpoch = sr.jsdPerEpoch.empty() ? sr.jsdInitial : sr.jsdPerEpoch.front();
    sr.jsdLastEpoch = sr.jsdPerEpoch.empty() ? sr.jsdInitial : sr.jsdPerEpoch.back();
    sr.seconds = stageSeconds();
    report.stages.push_back(std::move(sr));
  }
  if (progress && total <= 0.0 && !progress(1.0)) report.cancelled = true;
  return finish();
}

// --- sampling -----------------------------------------------------------------------------------

torch::Tensor sampleWeeks(MatrioskaGenerator& generator, const torch::Tensor& conditions, int draws, std::uint64_t seed) {
  const MatrioskaConfig& config = generator->config();
  requireRows(conditions, config.conditionDim, "conditions");
  if (draws < 1) throw std::invalid_argument("sampleWeeks: draws must be ≥ 1");
  const std::int64_t b = conditions.size(0);
  if (b == 0) return torch::empty({0, draws, kWeekHours});
  at::Generator random = cpuGenerator(seed);
  torch::NoGradGuard noGrad;
  const bool wasTraining = generator->is_training();
  generator->eval();
  const torch::Tensor c = conditions.detach().to(torch::kCPU, torch::kFloat32).repeat_interleave(draws, 0);
  const torch::Tensor noise =
      torch::empty({b * draws, config.noiseDim}).exponential_(1.0, random);  // all at once: chunking cannot change it
  std::vector<torch::Tensor> parts;
  constexpr std::int64_t kChunk = 1024;
  for (std::int64_t start = 0; start < b * draws; start += kChunk) {
    const std::int64_t len = std::min(kChunk, b * draws - start);
    parts.push_back(generator->forward(noise.narrow(0, start, len), c.narrow(0, start, len)).week);
  }
  generator->train(wasTraining);
  return torch::cat(parts, 0).reshape({b, draws, kWeekHours});
}

// --- volume head --------------------------------------------------------------------------------

VolumeHeadImpl::VolumeHeadImpl(int conditionDim, int hiddenWidth, std::uint64_t seed) {
  at::Generator init = cpuGenerator(seed);
  hidden = register_module("hidden", Dense(conditionDim, hiddenWidth, init));
  out = register_module("out", Dense(hiddenWidth, 1, init));
}

torch::Tensor VolumeHeadImpl::forward(const torch::Tensor& condition) { return out(torch::relu(hidden(condition))).squeeze(1); }

double trainVolumeHead(VolumeHead& head, const torch::Tensor& conditions, const torch::Tensor& logMeans, int steps, std::uint64_t seed) {
  requireRows(conditions, head->hidden->weight.size(1), "conditions");
  const torch::Tensor c = conditions.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  const torch::Tensor y = logMeans.detach().to(torch::kCPU, torch::kFloat32).reshape(-1).contiguous();
  const std::int64_t n = c.size(0);
  if (n < 1 || y.size(0) != n) throw std::invalid_argument("trainVolumeHead: conditions and logMeans must have the same N ≥ 1");
  {
    torch::NoGradGuard noGrad;
    head->out->bias.fill_(y.mean().item<float>());
  }
  head->train();
  torch::optim::Adam optimiser(head->parameters(), torch::optim::AdamOptions(1e-3));
  at::Generator random = cpuGenerator(seed);
  constexpr std::int64_t kBatch = 512;
  for (int step = 0; step < steps; ++step) {
    torch::Tensor loss;
    if (n <= kBatch) {
      loss = F::mse_loss(head->forward(c), y);
    } else {
      const torch::Tensor index = torch::randint(n, {kBatch}, random, torch::kInt64);
      loss = F::mse_loss(head->forward(c.index_select(0, index)), y.index_select(0, index));
    }
    optimiser.zero_grad();
    loss.backward();
    optimiser.step();
  }
  head->eval();
  torch::NoGradGuard noGrad;
  return F::mse_loss(head->forward(c), y).item<double>();
}

}  // namespace netspatial::models::adaptive
