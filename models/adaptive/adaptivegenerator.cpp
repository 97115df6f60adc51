#include "adaptivegenerator_p.h"

#include "../netspatial/checkpoint.h"
#include "netspatial/models/contextfeatures.h"
#include "netspatial/models/sha256.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include <string_view>

namespace netspatial::models {

using namespace adaptive;

namespace {

constexpr const char* kModelKind = "adaptive";

ModelError invalid(std::string message) { return {ModelErrorCode::InvalidArgument, std::move(message)}; }

void collect(const std::string& prefix, const torch::nn::Module& module, std::vector<std::pair<std::string, torch::Tensor>>& out) {
  for (const auto& p : module.named_parameters(true)) out.emplace_back(prefix + p.key(), p.value());
  for (const auto& b : module.named_buffers(true)) out.emplace_back(prefix + b.key(), b.value());
}

std::vector<std::pair<std::string, torch::Tensor*>> bankTensors(PatternBanks& b) {
  return {{"banks.hour_weekday", &b.hourWeekday},
          {"banks.hour_weekend", &b.hourWeekend},
          {"banks.day_residual_weekday", &b.dayResidualWeekday},
          {"banks.day_residual_weekend", &b.dayResidualWeekend},
          {"banks.day_weekday", &b.dayWeekday},
          {"banks.day_weekend", &b.dayWeekend}};
}

std::string configValue(const AdaptiveConfig& c, const AdaptiveConfigKey& k) {
  return std::visit(
      [&](auto member) -> std::string {
        using T = std::remove_cvref_t<decltype(c.*member)>;
        std::ostringstream s;
        if constexpr (std::is_same_v<T, bool>)
          s << ((c.*member) ? "true" : "false");
        else {
          s.precision(17);
          s << (c.*member);
        }
        return s.str();
      },
      k.member);
}

bool setConfigValue(AdaptiveConfig& c, const AdaptiveConfigKey& k, const std::string& text) {
  return std::visit(
      [&](auto member) -> bool {
        using T = std::remove_cvref_t<decltype(c.*member)>;
        try {
          if constexpr (std::is_same_v<T, bool>) {
            if (text != "true" && text != "false") return false;
            c.*member = text == "true";
          } else if constexpr (std::is_same_v<T, int>) {
            c.*member = std::stoi(text);
          } else if constexpr (std::is_same_v<T, std::uint64_t>) {
            c.*member = std::stoull(text);
          } else {
            c.*member = T(std::stod(text));
          }
        } catch (...) {
          return false;
        }
        return true;
      },
      k.member);
}

}  // namespace

const std::vector<AdaptiveConfigKey>& adaptiveConfigKeys() {
  using C = AdaptiveConfig;
  static const std::vector<AdaptiveConfigKey> table{
      {"region_size", &C::regionSize, 0, true},
      {"business_area_eps", &C::businessAreaEps, 0, true},
      {"business_area_min_points", &C::businessAreaMinPoints, 1},
      {"neighbours", &C::neighbours, 1},
      {"weighted_graph", &C::weightedGraph},
      {"embed_dim", &C::embedDim, 1},
      {"tucker_epochs", &C::tuckerEpochs, 0},
      {"tucker_batch", &C::tuckerBatch, 1},
      {"tucker_negatives", &C::tuckerNegatives, 1},
      {"tucker_learning_rate", &C::tuckerLearningRate, 0, true},
      {"link_holdout", &C::linkHoldout, 0},
      {"fold_in_epochs", &C::foldInEpochs, 0},
      {"candidate_fold_in_steps", &C::candidateFoldInSteps, 0},
      {"gcn_hidden", &C::gcnHidden, 1},
      {"gcn_output", &C::gcnOutput, 1},
      {"gcn_max_epochs", &C::gcnMaxEpochs, 0},
      {"gcn_patience", &C::gcnPatience, 1},
      {"gcn_learning_rate", &C::gcnLearningRate, 0, true},
      {"clusters", &C::clusters, 2},
      {"align_target", &C::alignTarget},
      {"target_as_published", &C::targetAsPublished},
      {"target_from_source", &C::targetFromSource},
      {"code_pattern_loss", &C::codePatternLoss},
      {"representation", &C::representation, 0},
      {"patterns", &C::patterns, 1},
      {"gan_epochs", &C::ganEpochs, 0},
      {"gan_batch", &C::ganBatch, 1},
      {"critic_steps", &C::criticSteps, 1},
      {"gan_learning_rate", &C::ganLearningRate, 0, true},
      {"critic_sigmoid", &C::criticSigmoid},
      {"gan_data_init", &C::ganDataInit},
      {"volume_steps", &C::volumeSteps, 0},
      {"volume_input", &C::volumeInput, 0},
      {"seed", &C::seed, 0},
  };
  return table;
}

bool isAdaptiveCheckpoint(const std::vector<std::uint8_t>& bytes) {
  auto read = netspatialnet::readCheckpoint(bytes);
  return read && read->meta.count("model") && read->meta.at("model") == kModelKind;
}

std::uint64_t adaptiveSiteSeed(std::uint64_t seed, const ModelContext& context) {
  std::string key = std::to_string(seed);
  if (context.position) {
    key += ":" + context.position->crs + ":" + std::to_string(std::llround(context.position->x * 10.0)) + ":" +
           std::to_string(std::llround(context.position->y * 10.0));
  }
  const std::string digest = sha256Hex(reinterpret_cast<const std::uint8_t*>(key.data()), key.size());
  return std::stoull(digest.substr(0, 15), nullptr, 16);
}

int AdaptiveGenerator::Impl::conditionDim() const {
  switch (AdaptiveRepresentation(config.representation)) {
    case AdaptiveRepresentation::Noise:
      return 1;
    case AdaptiveRepresentation::PoiDistribution:
      return kPoiCategories;
    case AdaptiveRepresentation::Tucker:
      return config.embedDim;
    case AdaptiveRepresentation::Full:
      break;
  }
  return config.gcnHidden + config.gcnOutput;
}

void AdaptiveGenerator::Impl::createModules(int sharedEntities) {
  torch::manual_seed(config.seed);
  tucker = Tucker(std::max(1, sharedEntities), 2 * kRelations, config.embedDim);
  sourceGcn = StationGcn(config.embedDim, config.gcnHidden, config.gcnOutput, kPoiCategories);
  volume = VolumeHead(volumeInputDim());
}

int AdaptiveGenerator::Impl::volumeInputDim() const {
  switch (config.volumeInput) {
    case 0:
      return conditionDim();
    case 1:
      return kPoiCategories;
    default:
      return int(contextFeatureNames().size());
  }
}

torch::Tensor AdaptiveGenerator::Impl::volumeInput(const torch::Tensor& condition, const std::vector<const ModelContext*>& sites) const {
  if (config.volumeInput == 0) return condition;
  const auto n = std::int64_t(sites.size());
  const int width = volumeInputDim();
  std::vector<float> flat;
  flat.reserve(std::size_t(n) * std::size_t(width));
  for (const ModelContext* c : sites) {
    if (config.volumeInput == 1) {
      float counts[kPoiCategories] = {};
      for (const ModelPoi& p : c->pois) counts[std::clamp(p.category, 0, kPoiCategories - 1)] += 1.0f;
      for (float v : counts) flat.push_back(std::log1p(v));
    } else {
      for (double v : contextFeatures(*c)) flat.push_back(float(v));
    }
  }
  const auto x = torch::tensor(flat).view({n, width});
  if (config.volumeInput == 1 || !volumeFeatureMean.defined()) return x;
  return (x - volumeFeatureMean) / volumeFeatureScale;
}

torch::Tensor AdaptiveGenerator::Impl::representationOf(const torch::Tensor& e, const torch::Tensor& z, const torch::Tensor& counts) const {
  switch (AdaptiveRepresentation(config.representation)) {
    case AdaptiveRepresentation::Noise:
      return torch::ones({e.size(0), 1});
    case AdaptiveRepresentation::PoiDistribution:
      return poiDistribution(counts, nullptr);
    case AdaptiveRepresentation::Tucker:
      return e;
    case AdaptiveRepresentation::Full:
      break;
  }
  return z;
}

AdaptiveGenerator::AdaptiveGenerator() : AdaptiveGenerator(AdaptiveConfig{}) {}

AdaptiveGenerator::AdaptiveGenerator(const AdaptiveConfig& config) : m_impl(std::make_unique<Impl>()) { m_impl->config = config; }

AdaptiveGenerator::~AdaptiveGenerator() = default;

std::string AdaptiveGenerator::id() const { return m_impl->modelId; }
std::string AdaptiveGenerator::displayName() const { return "ADAPTIVE (knowledge-graph transfer GAN, paper 000)"; }
void AdaptiveGenerator::setModelId(const std::string& id) { m_impl->modelId = id.empty() ? "adaptive" : id; }
std::string AdaptiveGenerator::weightsSha256() const { return m_impl->sha256; }
bool AdaptiveGenerator::isFitted() const { return m_impl->fitted; }
Normalisation AdaptiveGenerator::normalisation() const { return m_impl->normalisation; }
const AdaptiveConfig& AdaptiveGenerator::config() const { return m_impl->config; }
std::string AdaptiveGenerator::trainingSummary() const { return m_impl->summary; }
AdaptiveLinkReport AdaptiveGenerator::linkReport() const { return m_impl->link; }

std::string AdaptiveGenerator::adaptationKey() const {
  std::lock_guard lock(m_impl->adaptationMutex);
  return m_impl->adapted ? m_impl->adapted->key : std::string();
}

ModelResult<std::vector<std::uint8_t>> AdaptiveGenerator::save() const {
  const Impl& m = *m_impl;
  if (!m.fitted) return ModelError{ModelErrorCode::NotFitted, "ADAPTIVE has not been trained or loaded"};
  netspatialnet::CheckpointData data;
  data.meta["model"] = kModelKind;
  data.meta["model_id"] = m.modelId;
  data.meta["normalisation.scale"] = [&] {
    std::ostringstream s;
    s.precision(17);
    s << m.normalisation.scale;
    return s.str();
  }();
  data.meta["normalisation.unit"] = m.normalisation.unit;
  for (const auto& k : adaptiveConfigKeys()) data.meta[std::string("config.") + k.key] = configValue(m.config, k);
  std::string keys;
  for (const auto& k : m.sharedKeys) keys += k + "\n";
  data.meta["shared_entities"] = keys;
  // No training summary: it holds wall-clock seconds, and the same recipe must write the same bytes.
  std::ostringstream link;
  link.precision(9);
  link << m.link.mrr << " " << m.link.hitsAt10 << " " << m.link.randomMrr << " " << m.link.randomHitsAt10 << " " << m.link.triples << " "
       << m.link.entities;
  data.meta["link_report"] = link.str();
  collect("tucker.", *m.tucker, data.tensors);
  collect("source_gcn.", *m.sourceGcn, data.tensors);
  collect("gan.", *m.gan, data.tensors);
  collect("volume.", *m.volume, data.tensors);
  data.tensors.emplace_back("centres", m.centres);
  data.tensors.emplace_back("poi_centres", m.poiCentres);
  if (m.volumeFeatureMean.defined()) {
    data.tensors.emplace_back("volume_feature_mean", m.volumeFeatureMean);
    data.tensors.emplace_back("volume_feature_scale", m.volumeFeatureScale);
  }
  data.tensors.emplace_back("traffic_centroids", m.trafficCentroids);
  PatternBanks banks = m.banks;
  for (auto& [name, t] : bankTensors(banks)) data.tensors.emplace_back(name, *t);
  return netspatialnet::writeCheckpoint(data);
}

ModelResult<std::unique_ptr<AdaptiveGenerator>> AdaptiveGenerator::load(const std::vector<std::uint8_t>& bytes) {
  std::string digest;
  auto read = netspatialnet::readCheckpoint(bytes, &digest);
  if (!read) return read.error();
  auto& data = *read;
  if (data.meta["model"] != kModelKind)
    return ModelError{ModelErrorCode::UnsupportedFormat, "not an ADAPTIVE checkpoint (model '" + data.meta["model"] + "')"};
  AdaptiveConfig config;
  for (const auto& k : adaptiveConfigKeys()) {
    auto it = data.meta.find(std::string("config.") + k.key);
    // Checkpoints from before these keys were trained from the code's init, volume from the condition.
    static const std::map<std::string_view, std::string> kBeforeTheKey{{"gan_data_init", "false"}, {"volume_input", "0"}};
    if (it == data.meta.end()) {
      const auto legacy = kBeforeTheKey.find(k.key);
      if (legacy != kBeforeTheKey.end() && setConfigValue(config, k, legacy->second)) continue;
    }
    if (it == data.meta.end() || !setConfigValue(config, k, it->second))
      return ModelError{ModelErrorCode::CorruptCheckpoint, std::string("ADAPTIVE checkpoint lacks a valid config.") + k.key};
  }
  if (config.representation > 3 || config.volumeInput > 2)
    return ModelError{ModelErrorCode::CorruptCheckpoint, "ADAPTIVE checkpoint has an unknown representation or volume_input"};
  auto g = std::make_unique<AdaptiveGenerator>(config);
  Impl& m = *g->m_impl;
  m.modelId = data.meta["model_id"];
  try {
    m.normalisation.scale = std::stod(data.meta["normalisation.scale"]);
  } catch (...) {
    return ModelError{ModelErrorCode::CorruptCheckpoint, "ADAPTIVE checkpoint has no valid normalisation.scale"};
  }
  m.normalisation.unit = data.meta["normalisation.unit"];
  {
    std::istringstream s(data.meta["link_report"]);
    s >> m.link.mrr >> m.link.hitsAt10 >> m.link.randomMrr >> m.link.randomHitsAt10 >> m.link.triples >> m.link.entities;
  }
  {
    std::istringstream s(data.meta["shared_entities"]);
    for (std::string line; std::getline(s, line);)
      if (!line.empty()) m.sharedKeys.push_back(line);
  }
  std::map<std::string, torch::Tensor> tensors;
  for (auto& [name, t] : data.tensors) tensors[name] = t;
  for (auto& [name, t] : bankTensors(m.banks)) {
    auto it = tensors.find(name);
    if (it == tensors.end()) return ModelError{ModelErrorCode::CorruptCheckpoint, "ADAPTIVE checkpoint lacks " + name};
    *t = it->second;
  }
  for (const char* name : {"centres", "poi_centres", "traffic_centroids"})
    if (!tensors.count(name)) return ModelError{ModelErrorCode::CorruptCheckpoint, std::string("ADAPTIVE checkpoint lacks ") + name};
  m.centres = tensors["centres"];
  m.poiCentres = tensors["poi_centres"];
  m.trafficCentroids = tensors["traffic_centroids"];
  if (config.volumeInput == 2) {
    const auto width = std::int64_t(contextFeatureNames().size());
    for (const char* name : {"volume_feature_mean", "volume_feature_scale"}) {
      auto it = tensors.find(name);
      if (it == tensors.end() || it->second.dim() != 1 || it->second.size(0) != width || !torch::isfinite(it->second).all().item<bool>())
        return ModelError{ModelErrorCode::CorruptCheckpoint, std::string("ADAPTIVE checkpoint lacks a valid ") + name};
    }
    if (!(tensors["volume_feature_scale"] > 0).all().item<bool>())
      return ModelError{ModelErrorCode::CorruptCheckpoint, "ADAPTIVE checkpoint's volume_feature_scale has a value ≤ 0"};
    m.volumeFeatureMean = tensors["volume_feature_mean"];
    m.volumeFeatureScale = tensors["volume_feature_scale"];
  }
  try {
    m.createModules(int(m.sharedKeys.size()));
    m.gan = MatrioskaGenerator(matrioskaConfig(config, m.conditionDim()), m.banks);
  } catch (const std::exception& e) {
    return ModelError{ModelErrorCode::CorruptCheckpoint, std::string("ADAPTIVE checkpoint's shapes are inconsistent: ") + e.what()};
  }
  std::vector<std::pair<std::string, torch::Tensor>> expected;
  collect("tucker.", *m.tucker, expected);
  collect("source_gcn.", *m.sourceGcn, expected);
  collect("gan.", *m.gan, expected);
  collect("volume.", *m.volume, expected);
  torch::NoGradGuard noGrad;
  for (auto& [name, target] : expected) {
    auto it = tensors.find(name);
    if (it == tensors.end()) return ModelError{ModelErrorCode::CorruptCheckpoint, "ADAPTIVE checkpoint lacks tensor '" + name + "'"};
    if (it->second.sizes() != target.sizes())
      return ModelError{ModelErrorCode::CorruptCheckpoint, "ADAPTIVE checkpoint tensor '" + name + "' has the wrong shape"};
    target.copy_(it->second);
  }
  if (m.centres.dim() != 2 || m.centres.size(1) != config.gcnHidden + config.gcnOutput || m.poiCentres.dim() != 2 ||
      m.poiCentres.size(1) != kPoiCategories || m.trafficCentroids.dim() != 2 || m.trafficCentroids.size(1) != kWeekHours ||
      m.centres.size(0) != m.poiCentres.size(0) || m.centres.size(0) != m.trafficCentroids.size(0) || m.centres.size(0) < 1)
    return ModelError{ModelErrorCode::CorruptCheckpoint, "ADAPTIVE checkpoint's cluster centres have inconsistent shapes"};
  m.tucker->eval();
  m.sourceGcn->eval();
  m.gan->eval();
  m.volume->eval();
  m.sha256 = sha256Hex(bytes.data(), bytes.size());  // of the checkpoint, as NetSpatial's
  m.fitted = true;
  return g;
}

}  // namespace netspatial::models
