// NetSpatialGenerator: state, checkpoints and the inference engine (Algorithm 2). Training lives in
// training.cpp.

#include "netspatialgenerator_p.h"

#include "../baselines/seriesprofile.h"
#include "../runtime/workerthreads.h"
#include "checkpoint.h"
#include "netspatial/models/netspatialconfigkeys.h"
#include "netspatial/models/sha256.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <cmath>
#include <map>
#include <sstream>

namespace netspatial::models {

using namespace ::netspatial::models::netspatialnet;

namespace {

// Sites per chunk: on the CPU small enough that a chunk's activations ([sites × samples, 512]
// floats) stay in the core's cache and there are chunks for every worker, large enough for
// efficient matrix products (README "Performance": the sweep); on CUDA large enough to fill the GPU.
constexpr std::size_t kCpuSitesPerChunk = 64;
constexpr std::size_t kCudaSitesPerChunk = 8192;
// embed() and peakHours(): per-site encoders only.
constexpr int kSitesPerChunk = 256;

// Every config key of the one table (netspatialconfigkeys.h), with a reference to its field.
template <typename Visitor>
void visitConfig(NetSpatialConfig& c, Visitor&& v) {
  for (const NetSpatialConfigKey& k : netSpatialConfigKeys()) std::visit([&](auto member) { v(k, c.*member); }, k.member);
}

std::string toText(bool v) { return v ? "true" : "false"; }
template <typename T>
std::string toText(T v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}
bool fromText(const std::string& s, bool& v) {
  if (s != "true" && s != "false") return false;
  v = s == "true";
  return true;
}
template <typename T>
bool fromText(const std::string& s, T& v) {
  std::istringstream in(s);
  in >> v;
  return !in.fail() && in.eof();
}
//! The smallest value a recipe may give (the key table's) holds for a checkpoint too: a negative
//! step count or a width of 0 loaded, and the flow was skipped or the network could not generate.
bool atLeastMinimum(const NetSpatialConfigKey&, bool) { return true; }
template <typename T>
bool atLeastMinimum(const NetSpatialConfigKey& k, T v) {
  return double(v) > k.minimum || (!k.exclusive && double(v) == k.minimum);
}

}  // namespace

NetSpatialGenerator::NetSpatialGenerator() : NetSpatialGenerator(NetSpatialConfig{}) {}

NetSpatialGenerator::NetSpatialGenerator(const NetSpatialConfig& config) : m_impl(std::make_unique<Impl>()) {
  m_impl->config = config;
  m_impl->rebuild();
}

NetSpatialGenerator::~NetSpatialGenerator() = default;

void NetSpatialGenerator::Impl::rebuild() {
  torch::manual_seed(config.seed);  // parameter initialisation is part of the recipe's seed
  net = Net(config);
  net->eval();
  net->to(device);
}

std::string NetSpatialGenerator::id() const { return m_impl->modelId; }
std::string NetSpatialGenerator::displayName() const {
  return m_impl->modelId == kDefaultModelId ? "NetSpatial (multi-level flow matching)"
                                            : "NetSpatial (multi-level flow matching), " + m_impl->modelId;
}
void NetSpatialGenerator::setModelId(const std::string& id) {
  m_impl->modelId = id.empty() ? std::string(kDefaultModelId) : id;
  m_impl->sha.clear();
}
std::string NetSpatialGenerator::weightsSha256() const {
  if (m_impl->sha.empty()) {
    auto bytes = save();
    if (bytes) m_impl->sha = sha256Hex(bytes->data(), bytes->size());
  }
  return m_impl->sha;
}
bool NetSpatialGenerator::isFitted() const { return m_impl->stagesCompleted >= kStageCount; }
Normalisation NetSpatialGenerator::normalisation() const { return m_impl->normalisation; }
const NetSpatialConfig& NetSpatialGenerator::config() const { return m_impl->config; }
Device NetSpatialGenerator::device() const { return m_impl->device.is_cuda() ? Device::Cuda : Device::Cpu; }
std::string NetSpatialGenerator::trainingSummary() const { return m_impl->summary; }

ModelStatus NetSpatialGenerator::setDevice(DevicePreference preference) {
  try {
    const bool cuda = torch::cuda::is_available();
    if (preference == DevicePreference::Cuda && !cuda)
      return ModelError{ModelErrorCode::Device, "CUDA was requested but this build or machine has no CUDA device"};
    m_impl->device = (preference == DevicePreference::Cpu || !cuda) ? torch::Device(torch::kCPU) : torch::Device(torch::kCUDA, 0);
    m_impl->net->to(m_impl->device);
    return Unit{};
  } catch (const c10::Error& e) {
    return ModelError{ModelErrorCode::Device, std::string("cannot move NetSpatial to the device: ") + e.what_without_backtrace()};
  }
}

// --- checkpoints -------------------------------------------------------------------------------

ModelResult<std::vector<std::uint8_t>> NetSpatialGenerator::save() const {
  try {
    CheckpointData data;
    data.meta["model"] = "netspatial";  // the architecture; model_id below names the trained model
    data.meta["stages_completed"] = std::to_string(m_impl->stagesCompleted);
    data.meta["normalisation_scale"] = toText(m_impl->normalisation.scale);
    data.meta["normalisation_unit"] = m_impl->normalisation.unit;
    data.meta["training_summary"] = m_impl->summary;
    if (m_impl->config.observedNeighbours > 0) data.meta["memory_crs"] = m_impl->memoryCrs;
    // Written only for other ids, so the weights trained before ids existed keep their bytes.
    if (m_impl->modelId != kDefaultModelId) data.meta["model_id"] = m_impl->modelId;
    NetSpatialConfig c = m_impl->config;
    visitConfig(c, [&](const NetSpatialConfigKey& k, auto& value) {
      const std::string text = toText(value);
      if (!k.olderCheckpoints || k.olderCheckpoints != text) data.meta[std::string("config.") + k.key] = text;
    });
    for (const auto& p : m_impl->net->named_parameters()) data.tensors.emplace_back(p.key(), p.value());
    for (const auto& b : m_impl->net->named_buffers()) data.tensors.emplace_back(b.key(), b.value());
    return writeCheckpoint(data);
  } catch (const c10::Error& e) {
    return ModelError{ModelErrorCode::Internal, std::string("cannot save NetSpatial: ") + e.what_without_backtrace()};
  }
}

ModelResult<std::unique_ptr<NetSpatialGenerator>> NetSpatialGenerator::load(const std::vector<std::uint8_t>& bytes,
                                                                            const EngineOptions& options) {
  try {
    auto data = readCheckpoint(bytes);
    if (!data) return data.error();
    const auto& meta = data->meta;
    auto it = meta.find("model");
    if (it == meta.end() || it->second != "netspatial")
      return ModelError{ModelErrorCode::UnsupportedFormat,
                        "checkpoint holds model '" + (it == meta.end() ? std::string("?") : it->second) + "', not netspatial"};
    NetSpatialConfig config;
    std::string bad;
    visitConfig(config, [&](const NetSpatialConfigKey& k, auto& value) {
      auto m = meta.find(std::string("config.") + k.key);
      const std::string text = m != meta.end() ? m->second : k.olderCheckpoints ? std::string(k.olderCheckpoints) : std::string();
      if ((m == meta.end() && !k.olderCheckpoints) || !fromText(text, value) || !atLeastMinimum(k, value))
        bad += (bad.empty() ? "" : ", ") + std::string(k.key);
    });
    if (!bad.empty())
      return ModelError{ModelErrorCode::CorruptCheckpoint, "checkpoint configuration is missing or has bad values for: " + bad};
    auto g = std::make_unique<NetSpatialGenerator>(config);
    Impl& impl = *g->m_impl;
    if (!fromText(meta.at("stages_completed"), impl.stagesCompleted) || impl.stagesCompleted < 0 || impl.stagesCompleted > kStageCount)
      return ModelError{ModelErrorCode::CorruptCheckpoint, "checkpoint has a bad stage count"};
    if (!fromText(meta.at("normalisation_scale"), impl.normalisation.scale) || !(impl.normalisation.scale > 0.0))
      return ModelError{ModelErrorCode::CorruptCheckpoint, "checkpoint has a bad normalisation scale"};
    impl.normalisation.unit = meta.count("normalisation_unit") ? meta.at("normalisation_unit") : std::string();
    impl.summary = meta.count("training_summary") ? meta.at("training_summary") : std::string();
    if (meta.count("model_id")) impl.modelId = meta.at("model_id");
    std::map<std::string, torch::Tensor> stored(data->tensors.begin(), data->tensors.end());
    torch::NoGradGuard noGrad;
    if (config.observedNeighbours > 0) {
      // The memory's row count is the training set's: take it from the checkpoint, then the shape
      // checks below hold every other dimension to the configuration.
      const auto xy = stored.find("memory_xy");
      if (xy != stored.end() && xy->second.dim() == 2) {
        const auto rows = xy->second.size(0);
        impl.net->memoryXy.resize_({rows, 2});
        impl.net->memoryValues.resize_({rows, kMemoryColumns});
      }
      impl.memoryCrs = meta.count("memory_crs") ? meta.at("memory_crs") : std::string();
    }
    std::size_t matched = 0;
    auto assign = [&](const std::string& name, torch::Tensor& target) -> std::optional<ModelError> {
      auto s = stored.find(name);
      if (s == stored.end())
        return ModelError{ModelErrorCode::CorruptCheckpoint, "checkpoint lacks tensor '" + name + "' (built for another architecture?)"};
      if (s->second.sizes() != target.sizes()) {
        std::ostringstream m;
        m << "checkpoint tensor '" << name << "' has shape " << s->second.sizes() << ", the configured model expects " << target.sizes();
        return ModelError{ModelErrorCode::CorruptCheckpoint, m.str()};
      }
      target.copy_(s->second);
      ++matched;
      return std::nullopt;
    };
    for (auto& p : impl.net->named_parameters())
      if (auto e = assign(p.key(), p.value())) return *e;
    for (auto& b : impl.net->named_buffers())
      if (auto e = assign(b.key(), b.value())) return *e;
    if (matched != stored.size())
      return ModelError{ModelErrorCode::CorruptCheckpoint,
                        "checkpoint holds " + std::to_string(stored.size() - matched) + " tensors this model does not have"};
    impl.sha = sha256Hex(bytes.data(), bytes.size());
    if (options.threads > 0) torch::set_num_threads(options.threads);
    if (auto moved = g->setDevice(options.device); !moved) return moved.error();
    if (options.warmUp && g->isFitted()) {
      ModelContext empty;
      GenerateOptions warm;
      warm.samples = 1;
      if (auto w = g->generate({empty}, warm); !w) return w.error();
    }
    return g;
  } catch (const c10::Error& e) {
    return ModelError{ModelErrorCode::CorruptCheckpoint, std::string("cannot load NetSpatial checkpoint: ") + e.what_without_backtrace()};
  } catch (const std::exception& e) {
    return ModelError{ModelErrorCode::CorruptCheckpoint, std::string("cannot load NetSpatial checkpoint: ") + e.what()};
  }
}

// --- inference -----------------------------------------------------------------------------------

torch::Tensor NetSpatialGenerator::Impl::neighbourLevel(const NeighbourTemplate& near) const {
  auto s = net->levelStats;
  return (near.logDaily - s[0]) / s[1] * near.features.narrow(1, 0, 1);
}

torch::Tensor NetSpatialGenerator::Impl::level1Centre(const torch::Tensor& ridgeCentre, const torch::Tensor& nearLevel,
                                                      const NeighbourTemplate& near) const {
  if (!ridgeCentre.defined()) return nearLevel;
  // Halfway, in log space, between what the context says and what the neighbours say: on Milan's
  // held-out blocks the geometric mean of the two volumes beat either alone (README).
  return ridgeCentre + 0.5f * near.features.narrow(1, 0, 1) * (nearLevel - ridgeCentre);
}

NeighbourTemplate NetSpatialGenerator::Impl::neighbours(const std::vector<ModelContext>& contexts) const {
  const auto distances = memoryDistances(contexts, net->memoryXy, memoryCrs);
  return neighbourTemplate(distances.to(device), net->memoryValues, config.observedNeighbours, config.neighbourRadius);
}

SiteTensors NetSpatialGenerator::Impl::siteTensors(const std::vector<ModelContext>& contexts) const {
  SiteTensors st = makeSiteTensors(contexts, config.maxPois, config.useTemplate).to(device);
  if (config.useTemplate) st.referenceFeatures = ablateReferenceFeatures(st.referenceFeatures, config);
  return st;
}

torch::Tensor NetSpatialGenerator::Impl::templateDaily(const SiteTensors& s, const Encoded& e) const {
  return config.useTemplate ? dailyTemplate(*net, e.condition, s.referenceFeatures).daily : torch::Tensor();
}

torch::Tensor NetSpatialGenerator::Impl::predictedPeak(const Encoded& e, const torch::Tensor& templateDaily) const {
  if (!config.usePositionEncoder) return {};
  if (templateDaily.defined() && config.peakFromTemplate) return templateDaily.narrow(1, 0, 24).argmax(1);
  return net->peakClassifier->forward(e.condition).argmax(1);
}

Encoded NetSpatialGenerator::Impl::encode(const SiteTensors& s) const {
  Encoded e;
  auto maskImage = s.imageMissing.clone();
  auto maskPoi = s.poisMissing.clone();
  if (!config.useImage) maskImage.fill_(true);
  if (!config.usePois) maskPoi.fill_(true);
  auto v = net->image->forward(s.image);
  auto p = net->poi->forward(s);
  e.z = net->fusion->forward(v, p, maskImage, maskPoi).z;
  e.condition = conditionFrom(e.z, s.scalars, maskPoi);
  return e;
}

torch::Tensor NetSpatialGenerator::Impl::conditionFrom(const torch::Tensor& z, const torch::Tensor& scalars, const torch::Tensor& maskPoi,
                                                       const torch::Tensor& hideZone, const torch::Tensor& hideType) const {
  auto hidden = maskPoi.unsqueeze(1) & poiScalarMask().to(scalars.device()).unsqueeze(0);
  if (hideZone.defined()) hidden = hidden | (hideZone.unsqueeze(1) & zoneScalarMask().to(scalars.device()).unsqueeze(0));
  if (hideType.defined()) hidden = hidden | (hideType.unsqueeze(1) & stationTypeScalarMask().to(scalars.device()).unsqueeze(0));
  auto g = torch::cat({z, scalars.masked_fill(hidden, 0.0f)}, 1);
  return config.useConditioning ? g : torch::zeros_like(g);
}

Conditions NetSpatialGenerator::Impl::conditions(const torch::Tensor& g, const torch::Tensor& peakHour) const {
  Conditions c;
  auto shared = net->conditioner->forward(g);
  c.c1 = net->project1(shared);
  c.c2 = net->project2(shared);
  c.c3 = net->project3(shared);
  c.peakLogits = net->peakClassifier->forward(g);
  if (config.usePositionEncoder) {
    c.peakHour = peakHour.defined() ? peakHour : c.peakLogits.argmax(1);
    c.c1 = c.c1 + net->peak1(c.peakHour);
    c.c2 = c.c2 + net->peak2(c.peakHour);
    c.c3 = c.c3 + net->peak3(c.peakHour);
  }
  return c;
}

torch::Tensor NetSpatialGenerator::Impl::dailyFromLevel(const torch::Tensor& y1) const {
  auto s = net->levelStats;
  return (torch::exp(y1 * s[1] + s[0]) - kEpsilon).clamp_min(0.0f);
}

torch::Tensor NetSpatialGenerator::Impl::levelFromDaily(const torch::Tensor& daily) const {
  auto s = net->levelStats;
  return (torch::log(daily.clamp_min(0.0f) + kEpsilon) - s[0]) / s[1];
}

torch::Tensor NetSpatialGenerator::Impl::weeklyFromLevel(const torch::Tensor& y2, const torch::Tensor& daily) const {
  return ((weekFromDaily(daily) + kEpsilon) * torch::exp(y2 * net->levelStats[2]) - kEpsilon).clamp_min(0.0f);
}

std::optional<ModelError> NetSpatialGenerator::Impl::checkRequest(const std::vector<ModelContext>& contexts, int samples) const {
  if (auto e = detail::checkGenerateRequest("netspatial", stagesCompleted >= kStageCount, samples)) return e;
  (void)contexts;
  return std::nullopt;
}

torch::Tensor NetSpatialGenerator::Impl::siteNoise(const std::vector<ModelContext>& contexts, std::size_t begin, std::size_t end,
                                                   int samples, std::uint64_t seed, int size, float scale) const {
  std::vector<torch::Tensor> parts;
  for (std::size_t i = begin; i < end; ++i) {
    auto rng = detail::siteRng(seed ^ (std::uint64_t(size) * 0x9E3779B97F4A7C15ull), contexts[i]);
    auto gen = at::make_generator<at::CPUGeneratorImpl>(rng());
    parts.push_back(torch::randn({samples, size}, gen, torch::TensorOptions().dtype(torch::kFloat32)) * scale);
  }
  return torch::cat(parts, 0).to(device);
}

ModelResult<GeneratedBatch> NetSpatialGenerator::Impl::run(const std::vector<ModelContext>& contexts,
                                                           const std::vector<std::vector<float>>* histories,
                                                           const GenerateOptions& o) const {
  if (auto e = checkRequest(contexts, o.samples)) return *e;
  EulerPlan plan;
  plan.steps1 = o.steps1 > 0 ? o.steps1 : config.steps1;
  plan.steps2 = o.steps2 > 0 ? o.steps2 : config.steps2;
  plan.steps3 = o.steps3 > 0 ? o.steps3 : config.steps3;
  GeneratedBatch batch = GeneratedBatch::zeros(contexts.size(), o.samples);
  const ModelError cancelled{ModelErrorCode::Cancelled, "generation cancelled"};
  if (o.progress && !o.progress(0.0, nullptr)) return cancelled;
  if (contexts.empty()) return batch;
  const std::size_t perChunk = device.is_cuda() ? kCudaSitesPerChunk : kCpuSitesPerChunk;
  const std::size_t chunks = (contexts.size() + perChunk - 1) / perChunk;
  // Progress: the share of Euler steps done over all chunks. Reported from the calling thread only
  // (it works on chunks too), so a ProgressFn never runs on two threads at once; its "stop" reaches
  // every worker at its next step.
  const double totalSteps = double(chunks) * double(histories ? plan.steps3 : plan.steps1 + plan.steps2 + plan.steps3);
  std::atomic<long> stepsDone{0};
  std::atomic<bool> stop{false};
  const auto caller = std::this_thread::get_id();
  const std::function<bool()> afterStep = [&] {
    const long done = ++stepsDone;
    if (o.progress && std::this_thread::get_id() == caller && !o.progress(std::min(1.0, double(done) / totalSteps), nullptr)) stop = true;
    return !stop.load();
  };
  try {
    c10::InferenceMode inference;
    auto stats = net->levelStats.to(torch::kCPU);
    plan.bound1 = stats[3].item<float>();
    plan.bound2 = stats[4].item<float>();
    plan.bound3 = stats[5].item<float>();
    // Chunks are handed out one at a time to the workers, each running single-threaded inside
    // (runOnWorkers; OpenBLAS runs one thread anyway, blastuning.h):
    // measured faster than LibTorch's two-thread operations here. A chunk's output depends only on
    // its sites (each site draws its own noise) and the chunk boundaries are fixed, so any worker
    // count gives the same bytes.
    std::atomic<std::size_t> next{0};
    const auto work = [&](int) {
      c10::InferenceMode workerInference;  // a thread-local mode: each worker sets its own
      for (std::size_t i = next++; i < chunks && !stop.load(); i = next++) {
        const std::size_t begin = i * perChunk, end = std::min(contexts.size(), begin + perChunk);
        if (!generateChunk(contexts, histories, o, plan, begin, end, batch.series(begin, 0), afterStep)) stop = true;
      }
    };
    const int workers = device.is_cuda() ? 1 : int(std::min<std::size_t>(std::size_t(std::max(1, at::get_num_threads())), chunks));
    runOnWorkers(workers, work);
  } catch (const c10::Error& e) {
    return ModelError{ModelErrorCode::Internal, std::string("NetSpatial generation failed: ") + e.what_without_backtrace()};
  } catch (const std::exception& e) {  // a worker that could not start, memory
    return ModelError{ModelErrorCode::Internal, std::string("NetSpatial generation failed: ") + e.what()};
  }
  if (stop.load()) return cancelled;
  // The caller's own last report may come before another worker's last step.
  if (o.progress && !o.progress(1.0, nullptr)) return cancelled;
  return batch;
}

bool NetSpatialGenerator::Impl::generateChunk(const std::vector<ModelContext>& contexts, const std::vector<std::vector<float>>* histories,
                                              const GenerateOptions& o, const EulerPlan& plan, std::size_t begin, std::size_t end,
                                              float* out, const std::function<bool()>& afterStep) const {
  const int s = o.samples;
  std::vector<ModelContext> chunk(contexts.begin() + std::ptrdiff_t(begin), contexts.begin() + std::ptrdiff_t(end));
  const SiteTensors st = siteTensors(chunk);
  const Encoded enc = encode(st);
  torch::Tensor daily, weekly, knownPeak, tmpl;
  if (!histories) {
    tmpl = templateDaily(st, enc);
    knownPeak = predictedPeak(enc, tmpl);
  } else {
    std::vector<torch::Tensor> h;
    for (std::size_t i = begin; i < end; ++i)
      h.push_back(torch::from_blob(const_cast<float*>((*histories)[i].data()), {1, std::int64_t((*histories)[i].size())}, torch::kFloat32));
    std::tie(daily, weekly) = dailyAndWeekly(torch::cat(h, 0).to(device));
    knownPeak = daily.narrow(1, 0, 24).argmax(1);
  }
  Conditions c = conditions(enc.condition, knownPeak);
  NeighbourTemplate near;
  if (config.observedNeighbours > 0) near = neighbours(chunk);
  auto rep = [s](const torch::Tensor& t) { return t.repeat_interleave(s, 0); };
  if (!histories) {
    auto y1 = siteNoise(contexts, begin, end, s, o.seed, kDaily, config.useTemplate ? config.templateNoise : 1.0f);
    if (config.usePriorMean) y1 = y1 + rep(net->prior1->forward(c.c1));
    auto context1 = rep(c.c1);
    torch::Tensor centre;
    if (tmpl.defined()) {
      centre = levelFromDaily(tmpl);
      context1 = torch::cat({context1, rep(centre)}, 1);
    }
    if (near.features.defined()) {
      const auto nearLevel = neighbourLevel(near);
      centre = level1Centre(centre, nearLevel, near);
      context1 = torch::cat({context1, rep(nearLevel), rep(near.features)}, 1);
    }
    if (centre.defined()) y1 = y1 + rep(centre);
    if (!net->level1->integrate(y1, context1, plan.steps1, plan.bound1, afterStep)) return false;
    daily = dailyFromLevel(y1);
    auto y2 = siteNoise(contexts, begin, end, s, o.seed, kWeekly, 1.0f);
    const auto context2 = level2Context(rep(c.c2), daily);
    if (config.usePriorMean) y2 = y2 + net->prior2->forward(context2);
    if (!net->level2->integrate(y2, context2, plan.steps2, plan.bound2, afterStep)) return false;
    weekly = weeklyFromLevel(y2, daily);
  } else {
    daily = rep(daily);
    weekly = rep(weekly);
  }
  auto y3 = siteNoise(contexts, begin, end, s, o.seed, kMonthly, config.level3Noise);
  auto context3 = level3Context(rep(c.c3), daily, weekly);
  if (near.features.defined()) {
    y3 = y3 + rep(near.residual);
    context3 = torch::cat({context3, rep(near.residual), rep(near.features)}, 1);
  }
  if (!net->level3->integrate(y3, context3, plan.steps3, plan.bound3, afterStep)) return false;
  auto u = repeatWeeks(weekly);
  auto x = (u + y3 * (u + kEpsilon)).clamp_min(0.0f).to(torch::kCPU).contiguous();  // Eq. 13
  std::copy_n(x.data_ptr<float>(), x.numel(), out);
  return true;
}

ModelResult<GeneratedBatch> NetSpatialGenerator::generate(const std::vector<ModelContext>& contexts, int samples, std::uint64_t seed,
                                                          Device device, const ProgressFn& progress) const {
  if (device == Device::Cuda && !m_impl->device.is_cuda())
    return ModelError{ModelErrorCode::Device, "NetSpatial was loaded on the CPU; load it with DevicePreference::Cuda to generate on CUDA"};
  GenerateOptions o;
  o.samples = samples;
  o.seed = seed;
  o.progress = progress;
  return m_impl->run(contexts, nullptr, o);
}

ModelResult<GeneratedBatch> NetSpatialGenerator::generate(const std::vector<ModelContext>& contexts, const GenerateOptions& options) const {
  return m_impl->run(contexts, nullptr, options);
}

ModelResult<GeneratedBatch> NetSpatialGenerator::forecast(const std::vector<ModelContext>& contexts,
                                                          const std::vector<std::vector<float>>& histories,
                                                          const GenerateOptions& options) const {
  if (histories.size() != contexts.size())
    return ModelError{ModelErrorCode::InvalidArgument, "forecast needs one history per site (" + std::to_string(histories.size()) +
                                                           " histories for " + std::to_string(contexts.size()) + " sites)"};
  for (std::size_t i = 0; i < histories.size(); ++i) {
    const auto& h = histories[i];
    if (h.size() < std::size_t(kWeekly) || h.size() % std::size_t(kWeekly) != 0)
      return ModelError{ModelErrorCode::InvalidArgument,
                        "history " + std::to_string(i) + " has " + std::to_string(h.size()) + " hours; whole weeks (≥ 168) are needed"};
    for (float v : h)
      if (!std::isfinite(v) || v < 0.0f)
        return ModelError{ModelErrorCode::InvalidArgument, "history " + std::to_string(i) + " has a missing or negative hour"};
  }
  return m_impl->run(contexts, &histories, options);
}

ModelResult<std::vector<float>> NetSpatialGenerator::embed(const std::vector<ModelContext>& contexts) const {
  try {
    c10::InferenceMode inference;
    std::vector<float> out;
    out.reserve(contexts.size() * std::size_t(m_impl->config.embedDim));
    for (std::size_t begin = 0; begin < contexts.size(); begin += kSitesPerChunk) {
      std::vector<ModelContext> chunk(contexts.begin() + std::ptrdiff_t(begin),
                                      contexts.begin() + std::ptrdiff_t(std::min(contexts.size(), begin + kSitesPerChunk)));
      auto z = m_impl->encode(makeSiteTensors(chunk, m_impl->config.maxPois).to(m_impl->device)).z.to(torch::kCPU).contiguous();
      out.insert(out.end(), z.data_ptr<float>(), z.data_ptr<float>() + z.numel());
    }
    return out;
  } catch (const c10::Error& e) {
    return ModelError{ModelErrorCode::Internal, std::string("NetSpatial embedding failed: ") + e.what_without_backtrace()};
  }
}

ModelResult<std::vector<int>> NetSpatialGenerator::peakHours(const std::vector<ModelContext>& contexts) const {
  if (!m_impl->config.usePositionEncoder) return std::vector<int>(contexts.size(), -1);
  try {
    c10::InferenceMode inference;
    std::vector<int> out;
    for (std::size_t begin = 0; begin < contexts.size(); begin += kSitesPerChunk) {
      std::vector<ModelContext> chunk(contexts.begin() + std::ptrdiff_t(begin),
                                      contexts.begin() + std::ptrdiff_t(std::min(contexts.size(), begin + kSitesPerChunk)));
      const auto st = m_impl->siteTensors(chunk);
      const auto enc = m_impl->encode(st);
      auto h = m_impl->predictedPeak(enc, m_impl->templateDaily(st, enc)).to(torch::kCPU);
      for (std::int64_t i = 0; i < h.size(0); ++i) out.push_back(int(h[i].item<std::int64_t>()));
    }
    return out;
  } catch (const c10::Error& e) {
    return ModelError{ModelErrorCode::Internal, std::string("NetSpatial peak hours failed: ") + e.what_without_backtrace()};
  }
}

}  // namespace netspatial::models
