// NetSpatial training in four stages, each resumable from a checkpoint:
//   1. image encoder: OpenDiff's multi-positive InfoNCE (paper 001 Eq. 6), positives = nearest
//      site by POI-histogram cosine, by population, by distance; frozen afterwards;
//   2. POI encoder: the same multi-positive InfoNCE across modalities — a site's POI embedding
//      against the (frozen) image embeddings of itself and of its population/distance positives
//      (stands in for the paper's frozen LLM, which cannot be fetched here); frozen afterwards;
//   3. fusion transformer: L_gen (paper 003 Eq. 10–12);
//   4. generator: flow matching per level (Eq. 14, Algorithm 1) + the auxiliary losses of Eq. 15,
//      with the fusion fine-tuned (L_gen kept as a term) under modality dropout so that a missing
//      image or POI set at inference is a situation the generator has seen.

#include "netspatial/models/netspatialconfigkeys.h"
#include "netspatialgenerator_p.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <sstream>
#include <variant>

namespace netspatial::models {

using namespace ::netspatial::models::netspatialnet;

namespace {

namespace F = torch::nn::functional;

struct Cancelled {};

class Trainer {
 public:
  Trainer(NetSpatialGenerator::Impl& impl, const std::vector<NetSpatialTrainingSite>& sites, const TrainingCallback& callback)
      : m(impl), m_sites(sites), m_callback(callback), m_gen(at::make_generator<at::CPUGeneratorImpl>(impl.config.seed)) {}

  void run();
  std::string summary() const { return m_log.str(); }

 private:
  void prepare();
  void findPositives();
  void trainImage();
  void trainPoi();
  void trainFusion();
  void trainGenerator();
  void fitTemplate(const LevelTargets& tar);
  torch::Tensor embedAll(bool image);
  void report(const char* stage, int step, int steps, double loss);
  torch::Tensor sample(std::int64_t high, std::int64_t n) { return torch::randint(high, {n}, m_gen, torch::kInt64); }
  torch::Tensor uniform(std::int64_t n) { return torch::rand({n}, m_gen); }
  torch::Tensor normal(std::int64_t n, std::int64_t size) { return torch::randn({n, size}, m_gen); }

  NetSpatialGenerator::Impl& m;
  const std::vector<NetSpatialTrainingSite>& m_sites;
  const TrainingCallback& m_callback;
  at::Generator m_gen;
  std::ostringstream m_log;

  SiteTensors m_tensors;
  std::vector<std::vector<std::int64_t>> m_imagePositives;  //!< per site: POI, population, distance
  std::vector<std::int64_t> m_populationNearest, m_distanceNearest;
  void buildMemory(const torch::Tensor& residuals, const torch::Tensor& daily);
  torch::Tensor m_windows, m_windowSite;  //!< [M,672], [M]
  std::vector<int> m_windowOffset;        //!< weeks from the start of its site's series
  NeighbourTemplate m_neighbours;         //!< per window (observedNeighbours > 0)
  torch::Tensor m_imageEmbedding, m_poiEmbedding;
};

// Fractions of the whole run per stage (measured shares of a default recipe on 2 CPU cores).
constexpr double kStageShare[kStageCount] = {0.45, 0.12, 0.03, 0.40};
constexpr const char* kStageName[kStageCount] = {"image", "poi", "fusion", "generator"};

void Trainer::report(const char* stage, int step, int steps, double loss) {
  int index = 0;
  while (index < kStageCount && std::string(kStageName[index]) != stage) ++index;
  double before = 0.0;
  for (int i = 0; i < index; ++i) before += kStageShare[i];
  TrainingProgress p;
  p.stage = stage;
  p.step = step;
  p.steps = steps;
  p.loss = loss;
  p.fraction = before + kStageShare[index] * (steps > 0 ? double(step) / double(steps) : 1.0);
  if (m_callback && !m_callback(p)) throw Cancelled{};
}

void Trainer::prepare() {
  std::vector<ModelContext> contexts;
  contexts.reserve(m_sites.size());
  for (const auto& s : m_sites) contexts.push_back(s.context);
  m_tensors = makeSiteTensors(contexts, m.config.maxPois, m.config.useTemplate);
  if (m.config.useTemplate) m_tensors.referenceFeatures = ablateReferenceFeatures(m_tensors.referenceFeatures, m.config);

  std::vector<torch::Tensor> windows;
  std::vector<std::int64_t> owner;
  for (std::size_t i = 0; i < m_sites.size(); ++i) {
    const auto& series = m_sites[i].series;
    const int weeks = int(series.size()) / kWeekly;
    const int count = std::clamp(weeks - 3, 1, std::max(1, m.config.windowsPerSite));
    auto full = torch::from_blob(const_cast<float*>(series.data()), {std::int64_t(series.size())}, torch::kFloat32);
    for (int k = 0; k < count; ++k) {
      windows.push_back(full.narrow(0, std::int64_t(k) * kWeekly, kMonthly).clone());
      owner.push_back(std::int64_t(i));
      m_windowOffset.push_back(k);
    }
  }
  m_windows = torch::stack(windows);
  m_windowSite = torch::tensor(owner, torch::kInt64);
  findPositives();
  // The summary is stored in the checkpoint, so it holds no wall-clock times (same recipe → same
  // bytes); a resumed run carries the finished stages' lines forward.
  if (m.stagesCompleted > 0)
    m_log << m.summary;
  else
    m_log << m_sites.size() << " sites, " << m_windows.size(0) << " windows of 672 h; ";
}

// Nearest site by each of OpenDiff's three similarities (paper 001 §3.2.1), −1 where undefined.
void Trainer::findPositives() {
  const auto n = std::int64_t(m_sites.size());
  auto nearest = [n](const torch::Tensor& distance) {
    auto d = distance.clone();
    d.diagonal().fill_(std::numeric_limits<float>::infinity());
    auto [value, index] = d.min(1);
    std::vector<std::int64_t> out(std::size_t(n), -1);
    for (std::int64_t i = 0; i < n; ++i)
      if (std::isfinite(value[i].item<float>())) out[std::size_t(i)] = index[i].item<std::int64_t>();
    return out;
  };
  const float inf = std::numeric_limits<float>::infinity();
  auto hist = m_tensors.poiHistogram;
  auto noPois = m_tensors.poisMissing;
  auto cosine =
      1.0f - torch::matmul(F::normalize(hist, F::NormalizeFuncOptions().dim(1)), F::normalize(hist, F::NormalizeFuncOptions().dim(1)).t());
  cosine.masked_fill_(noPois.unsqueeze(0) | noPois.unsqueeze(1), inf);
  const auto byPoi = nearest(cosine);
  auto pop = m_tensors.scalars.select(1, 0), known = m_tensors.scalars.select(1, 1).gt(0.5f);
  auto popDistance = (pop.unsqueeze(0) - pop.unsqueeze(1)).abs();
  popDistance.masked_fill_(known.logical_not().unsqueeze(0) | known.logical_not().unsqueeze(1), inf);
  m_populationNearest = nearest(popDistance);
  auto xy = torch::zeros({n, 2});
  auto group = torch::zeros({n}, torch::kInt64);
  auto has = torch::zeros({n}, torch::kBool);
  for (std::int64_t i = 0; i < n; ++i) {
    const auto& s = m_sites[std::size_t(i)];
    xy[i][0] = float(s.x);
    xy[i][1] = float(s.y);
    group[i] = s.group;
    has[i] = s.hasPosition;
  }
  auto geo = torch::cdist(xy, xy);
  geo.masked_fill_(group.unsqueeze(0).ne(group.unsqueeze(1)) | has.logical_not().unsqueeze(0) | has.logical_not().unsqueeze(1), inf);
  m_distanceNearest = nearest(geo);
  m_imagePositives.assign(std::size_t(n), {});
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j : {byPoi[std::size_t(i)], m_populationNearest[std::size_t(i)], m_distanceNearest[std::size_t(i)]})
      if (j >= 0) m_imagePositives[std::size_t(i)].push_back(j);
}

// Satellite patches have no "up": rotations and flips are free views of the same place.
torch::Tensor augment(const torch::Tensor& images, at::Generator& gen) {
  auto out = images.clone();
  auto choice = torch::randint(8, {images.size(0)}, gen, torch::kInt64);
  for (int k = 0; k < 8; ++k) {
    auto rows = choice.eq(k).nonzero().squeeze(1);
    if (rows.numel() == 0 || k == 0) continue;
    auto x = images.index_select(0, rows);
    x = torch::rot90(x, k % 4, {2, 3});
    if (k >= 4) x = x.flip({3});
    out.index_copy_(0, rows, x);
  }
  return out;
}

torch::Tensor Trainer::embedAll(bool image) {
  torch::NoGradGuard noGrad;
  std::vector<torch::Tensor> parts;
  const auto n = m_tensors.size();
  for (std::int64_t b = 0; b < n; b += 256) {
    auto rows = torch::arange(b, std::min(n, b + 256), torch::kInt64);
    auto s = m_tensors.index(rows);
    parts.push_back(image ? m.net->image->forward(s.image) : m.net->poi->forward(s));
  }
  return torch::cat(parts, 0);
}

void Trainer::trainImage() {
  std::vector<std::int64_t> anchors;
  auto missing = m_tensors.imageMissing;
  for (std::size_t i = 0; i < m_sites.size(); ++i) {
    if (missing[std::int64_t(i)].item<bool>()) continue;
    bool any = false;
    for (auto j : m_imagePositives[i]) any = any || !missing[j].item<bool>();
    if (any) anchors.push_back(std::int64_t(i));
  }
  if (anchors.size() < 8) {
    m_log << "image encoder: not trained (" << anchors.size() << " sites with imagery and a positive); ";
    return;
  }
  {
    // Pixel statistics of the training patches: the encoder's input normalisation.
    auto present = missing.logical_not().nonzero().squeeze(1);
    auto images = m_tensors.image.index_select(0, present).to(torch::kFloat32);
    torch::NoGradGuard noGrad;
    m.net->image->channelMean.copy_(images.mean({0, 2, 3}).view({1, 3, 1, 1}));
    m.net->image->channelStd.copy_(images.std({0, 2, 3}, true, false).clamp_min(1.0f).view({1, 3, 1, 1}));
  }
  torch::optim::Adam optimiser(m.net->image->parameters(), torch::optim::AdamOptions(m.config.learningRate));
  const int steps = m.config.imageSteps;
  const auto batch = std::min<std::int64_t>(64, std::int64_t(anchors.size()));
  double last = 0.0;
  m.net->image->train();
  for (int step = 0; step < steps; ++step) {
    auto pick = sample(std::int64_t(anchors.size()), batch);
    std::vector<std::int64_t> candidates;
    std::map<std::int64_t, std::int64_t> slot;
    auto slotOf = [&](std::int64_t site) {
      auto [it, inserted] = slot.emplace(site, std::int64_t(candidates.size()));
      if (inserted) candidates.push_back(site);
      return it->second;
    };
    std::vector<std::int64_t> self;
    std::vector<std::vector<std::int64_t>> positives;
    for (std::int64_t a = 0; a < batch; ++a) {
      const auto site = anchors[std::size_t(pick[a].item<std::int64_t>())];
      self.push_back(slotOf(site));
      positives.emplace_back();
      for (auto j : m_imagePositives[std::size_t(site)])
        if (!missing[j].item<bool>() && j != site) positives.back().push_back(slotOf(j));
    }
    auto rows = torch::tensor(candidates, torch::kInt64);
    auto emb = m.net->image->forward(augment(m_tensors.image.index_select(0, rows), m_gen));
    auto anchorEmb = emb.index_select(0, torch::tensor(self, torch::kInt64));
    auto loss = multiPositiveInfoNce(anchorEmb, emb, positives, self, m.config.temperature);
    optimiser.zero_grad();
    loss.backward();
    optimiser.step();
    last = step == 0 ? loss.item<double>() : 0.9 * last + 0.1 * loss.item<double>();
    if (step % 10 == 0 || step + 1 == steps) report("image", step + 1, steps, last);
  }
  m.net->image->eval();
  m_log << "image encoder: " << steps << " InfoNCE steps, loss " << last << "; ";
}

void Trainer::trainPoi() {
  m_imageEmbedding = embedAll(true);
  auto imageMissing = m_tensors.imageMissing;
  std::vector<std::int64_t> anchors;
  for (std::int64_t i = 0; i < m_tensors.size(); ++i)
    if (!m_tensors.poisMissing[i].item<bool>() && !imageMissing[i].item<bool>()) anchors.push_back(i);
  if (anchors.size() < 8) {
    m_log << "POI encoder: not trained (" << anchors.size() << " sites with POIs and imagery); ";
    return;
  }
  torch::optim::Adam optimiser(m.net->poi->parameters(), torch::optim::AdamOptions(m.config.learningRate));
  const int steps = m.config.poiSteps;
  const auto batch = std::min<std::int64_t>(128, std::int64_t(anchors.size()));
  double last = 0.0;
  for (int step = 0; step < steps; ++step) {
    auto pick = sample(std::int64_t(anchors.size()), batch);
    std::vector<std::int64_t> sites, candidates;
    std::map<std::int64_t, std::int64_t> slot;
    auto slotOf = [&](std::int64_t site) {
      auto [it, inserted] = slot.emplace(site, std::int64_t(candidates.size()));
      if (inserted) candidates.push_back(site);
      return it->second;
    };
    std::vector<std::vector<std::int64_t>> positives;
    for (std::int64_t a = 0; a < batch; ++a) {
      const auto site = anchors[std::size_t(pick[a].item<std::int64_t>())];
      sites.push_back(site);
      positives.push_back({slotOf(site)});
      for (auto j : {m_populationNearest[std::size_t(site)], m_distanceNearest[std::size_t(site)]})
        if (j >= 0 && !imageMissing[j].item<bool>()) positives.back().push_back(slotOf(j));
    }
    auto p = m.net->poi->forward(m_tensors.index(torch::tensor(sites, torch::kInt64)));
    auto v = m_imageEmbedding.index_select(0, torch::tensor(candidates, torch::kInt64));
    auto loss = multiPositiveInfoNce(p, v, positives, std::vector<std::int64_t>(std::size_t(batch), -1), m.config.temperature);
    optimiser.zero_grad();
    loss.backward();
    optimiser.step();
    last = step == 0 ? loss.item<double>() : 0.9 * last + 0.1 * loss.item<double>();
    if (step % 10 == 0 || step + 1 == steps) report("poi", step + 1, steps, last);
  }
  m_log << "POI encoder: " << steps << " steps, loss " << last << "; ";
}

void Trainer::trainFusion() {
  if (!m_imageEmbedding.defined()) m_imageEmbedding = embedAll(true);
  m_poiEmbedding = embedAll(false);
  auto both = (m_tensors.imageMissing.logical_not() & m_tensors.poisMissing.logical_not()).nonzero().squeeze(1);
  if (both.numel() < 8) {
    m_log << "fusion: no L_gen pre-training (" << both.numel() << " sites with both modalities); ";
    return;
  }
  torch::optim::Adam optimiser(m.net->fusion->parameters(), torch::optim::AdamOptions(m.config.learningRate));
  const int steps = m.config.fusionSteps;
  const auto batch = std::min<std::int64_t>(256, both.numel());
  double last = 0.0;
  for (int step = 0; step < steps; ++step) {
    auto rows = both.index_select(0, sample(both.numel(), batch));
    auto v = m_imageEmbedding.index_select(0, rows), p = m_poiEmbedding.index_select(0, rows);
    auto maskImage = uniform(batch).lt(0.5f);  // m^I + m^P = 1: exactly one modality visible
    auto maskPoi = maskImage.logical_not();
    auto out = m.net->fusion->forward(v, p, maskImage, maskPoi);
    auto loss = m.net->fusion->reconstructionLoss(out, v, p, maskImage, maskPoi);
    optimiser.zero_grad();
    loss.backward();
    optimiser.step();
    last = step == 0 ? loss.item<double>() : 0.9 * last + 0.1 * loss.item<double>();
    if (step % 10 == 0 || step + 1 == steps) report("fusion", step + 1, steps, last);
  }
  m_log << "fusion: " << steps << " L_gen steps, loss " << last << "; ";
}

torch::Tensor pearsonLoss(const torch::Tensor& a, const torch::Tensor& b) {
  auto ac = a - a.mean(1, true), bc = b - b.mean(1, true);
  auto r = (ac * bc).sum(1) / (ac.norm(2, 1) * bc.norm(2, 1) + 1e-8f);
  return 1.0f - r;
}

// Level 1's template in closed form (NetSpatialConfig::useTemplate): each zone class's mean daily
// shape, and ridge regressions of the log volume on the reference features, one per combination
// of zone and station type known (kTemplateHeads), each fitted on every window with those hidden.
// (One ridge over all combinations made the in-sample log rmse 0.55 instead of 0.18 and lost the
// gain on validation city 23: the station type carries much of the volume.)
void Trainer::fitTemplate(const LevelTargets& tar) {
  torch::NoGradGuard noGrad;
  const auto level = tar.daily.mean(1) + kEpsilon;
  const auto shape = tar.daily / level.unsqueeze(1);
  const auto seen = m_tensors.referenceFeatures.index_select(0, m_windowSite);
  const auto y = torch::log(level).to(torch::kFloat64).unsqueeze(1);
  // λ on standardised features, small against the thousands of windows: the references' ridge
  // picks λ ≤ 10 by leave-one-out on these features too.
  constexpr double kRidge = 10.0;
  std::vector<double> rmse, shapeRmse;
  for (int head = 0; head < kTemplateHeads; ++head) {
    const auto hideZone = torch::full({seen.size(0)}, (head & 1) != 0, torch::kBool);
    const auto hideType = torch::full({seen.size(0)}, (head & 2) != 0, torch::kBool);
    auto x = hideReferenceFeatures(seen, hideZone, hideType).to(torch::kFloat64);
    auto mean = x.mean(0, true), sd = x.std(0, true, true);
    auto scale = torch::where(sd < 1e-9, torch::ones_like(sd), sd);  // a constant feature contributes nothing
    auto xs = (x - mean) / scale;
    const auto gram = xs.t().mm(xs) + kRidge * torch::eye(x.size(1), x.options());
    auto beta = torch::linalg_solve(gram, xs.t().mm(y - y.mean()));
    auto w = (beta / scale.t()).t();
    m.net->templateVolume->weight[head].copy_(w.squeeze(0).to(torch::kFloat32));
    m.net->templateVolume->bias[head].copy_((y.mean() - (mean * w).sum()).to(torch::kFloat32));
    rmse.push_back((xs.mm(beta) + y.mean() - y).pow(2).mean().sqrt().item<double>());
    if (m.config.templateShapeRidge) {
      // The same ridge for each of the 48 hours of the shape (mean 1).
      const auto s = shape.to(torch::kFloat64);
      const auto sMean = s.mean(0, true);
      auto betaShape = torch::linalg_solve(gram, xs.t().mm(s - sMean));  // [F,48]
      auto ws = (betaShape / scale.t()).t();                             // [48,F]
      m.net->templateShape->weight.narrow(0, head * kDaily, kDaily).copy_(ws.to(torch::kFloat32));
      m.net->templateShape->bias.narrow(0, head * kDaily, kDaily).copy_((sMean.squeeze(0) - ws.mv(mean.squeeze(0))).to(torch::kFloat32));
      shapeRmse.push_back((xs.mm(betaShape) + sMean - s).pow(2).mean().sqrt().item<double>());
    }
  }

  const auto scalars = m_tensors.scalars.index_select(0, m_windowSite);
  const auto known = scalars.select(1, kScalarZoneKnown) > 0.5f;
  const auto overall = shape.mean(0);
  for (int k = 0; k < kZoneClasses; ++k) {
    const auto members = known & (scalars.select(1, kScalarZone + k) > 0.5f);
    m.net->templateShapes[k].copy_(members.sum().item<std::int64_t>() >= 3 ? shape.index({members}).mean(0) : overall);
  }
  m.net->templateShapes[kZoneClasses].copy_(overall);
  m_log << "template: log-volume ridge rmse " << rmse[0] << " (in sample; zone unknown " << rmse[1] << ", station type unknown " << rmse[2]
        << ", both " << rmse[3] << "); ";
  if (m.config.templateShapeRidge) {
    const auto zoneRow =
        torch::where(known, scalars.narrow(1, kScalarZone, kZoneClasses).argmax(1), torch::full_like(known, kZoneClasses, torch::kInt64));
    m_log << "shape ridge rmse " << shapeRmse[0] << " (zone unknown " << shapeRmse[1] << ", type unknown " << shapeRmse[2] << ", both "
          << shapeRmse[3] << "; zone-class means "
          << (shape - m.net->templateShapes.index_select(0, zoneRow)).pow(2).mean().sqrt().item<double>() << ", smallest shape value "
          << shape.min().item<double>() << "); ";
  }
}

// Level 3's memory and each training window's neighbour template. A window sees the same-offset
// windows (the same dates) of the other sites outside its square block of neighbourBlock metres,
// as a held-out block's site sees only the sites around the block; the memory keeps every site's
// first window (offset 0), what generation looks up.
void Trainer::buildMemory(const torch::Tensor& residuals, const torch::Tensor& daily) {
  const NetSpatialConfig& c = m.config;
  std::string crs;
  int group = 0;
  std::vector<std::int64_t> members;  // sites in the memory
  for (std::size_t i = 0; i < m_sites.size(); ++i) {
    const auto& p = m_sites[i].context.position;
    if (!p || p->crs.empty()) continue;
    if (members.empty()) {
      crs = p->crs;
      group = m_sites[i].group;
    } else if (p->crs != crs || m_sites[i].group != group) {
      throw std::invalid_argument("observed_neighbours needs the training sites of one scenario (one CRS): found " + crs + " and " +
                                  p->crs + " (or two cities)");
    }
    members.push_back(std::int64_t(i));
  }
  if (members.empty()) throw std::invalid_argument("observed_neighbours needs training sites with positions (scenario files)");
  const auto windows = m_windows.size(0);
  std::vector<ModelContext> contexts;
  contexts.reserve(std::size_t(windows));
  for (std::int64_t w = 0; w < windows; ++w) contexts.push_back(m_sites[std::size_t(m_windowSite[w].item<std::int64_t>())].context);
  // Every window against every window, then the exclusions.
  auto xy = torch::zeros({windows, 2}, torch::kFloat64);
  for (std::int64_t w = 0; w < windows; ++w)
    if (const auto& p = contexts[std::size_t(w)].position) {
      xy[w][0] = p->x;
      xy[w][1] = p->y;
    }
  auto distances = memoryDistances(contexts, xy, crs);  // [W,W]
  auto block = torch::floor(xy / double(c.neighbourBlock));
  auto sameBlock = (block.unsqueeze(1) == block.unsqueeze(0)).all(2);
  auto offset = torch::tensor(std::vector<std::int64_t>(m_windowOffset.begin(), m_windowOffset.end()));
  auto otherDates = offset.unsqueeze(1) != offset.unsqueeze(0);
  auto sameSite = m_windowSite.unsqueeze(1) == m_windowSite.unsqueeze(0);
  distances.masked_fill_(sameBlock | otherDates | sameSite, std::numeric_limits<float>::infinity());
  const auto values = torch::cat({residuals, torch::log(daily + kEpsilon)}, 1);
  m_neighbours = neighbourTemplate(distances, values, c.observedNeighbours, c.neighbourRadius);

  std::vector<std::int64_t> firstWindows;
  for (std::int64_t w = 0; w < windows; ++w)
    if (m_windowOffset[std::size_t(w)] == 0 && contexts[std::size_t(w)].position && contexts[std::size_t(w)].position->crs == crs)
      firstWindows.push_back(w);
  auto rows = torch::tensor(firstWindows, torch::kInt64);
  torch::NoGradGuard noGrad;
  m.net->memoryXy.resize_({rows.size(0), 2});
  m.net->memoryXy.copy_(xy.index_select(0, rows).to(torch::kFloat32));
  m.net->memoryValues.resize_({rows.size(0), kMemoryColumns});
  m.net->memoryValues.copy_(values.index_select(0, rows));
  m.memoryCrs = crs;
  const auto found = m_neighbours.features.select(1, 0);
  m_log << "memory: " << rows.size(0) << " sites (" << crs << "), " << found.sum().item<std::int64_t>() << " of " << windows
        << " training windows with neighbours within " << c.neighbourRadius << " m outside their " << c.neighbourBlock << " m block; ";
}

void Trainer::trainGenerator() {
  const NetSpatialConfig& c = m.config;
  if (!m_imageEmbedding.defined()) m_imageEmbedding = embedAll(true);
  if (!m_poiEmbedding.defined()) m_poiEmbedding = embedAll(false);

  // Targets of every window, and the level spaces (flowlevels.h).
  const LevelTargets tar = decompose(m_windows);
  auto logDaily = torch::log(tar.daily + kEpsilon);
  const float mu1 = logDaily.mean().item<float>(), sigma1 = std::max(1e-3f, logDaily.std().item<float>());
  auto y1All = (logDaily - mu1) / sigma1;
  auto ratio = torch::log((tar.weekly + kEpsilon) / (weekFromDaily(tar.daily) + kEpsilon));
  const float sigma2 = std::max(1e-3f, ratio.std().item<float>());
  auto y2All = ratio / sigma2;
  auto y3All = tar.residual;
  if (c.observedNeighbours > 0) buildMemory(y3All, tar.daily);
  {
    torch::NoGradGuard noGrad;
    m.net->levelStats.copy_(torch::tensor({mu1, sigma1, sigma2, 1.2f * y1All.abs().max().item<float>(),
                                           1.2f * y2All.abs().max().item<float>(), 1.2f * y3All.abs().max().item<float>()}));
  }

  auto baseMaskImage = m_tensors.imageMissing.clone(), baseMaskPoi = m_tensors.poisMissing.clone();
  if (!c.useImage) baseMaskImage.fill_(true);
  if (!c.usePois) baseMaskPoi.fill_(true);

  std::vector<torch::Tensor> fusionParams = m.net->fusion->parameters(), rest;
  for (auto* module : std::initializer_list<torch::nn::Module*>{
           m.net->conditioner.ptr().get(), m.net->project1.ptr().get(), m.net->project2.ptr().get(), m.net->project3.ptr().get(),
           m.net->peakClassifier.ptr().get(), m.net->peak1.ptr().get(), m.net->peak2.ptr().get(), m.net->peak3.ptr().get(),
           m.net->level1.ptr().get(), m.net->level2.ptr().get(), m.net->level3.ptr().get()})
    for (auto& p : module->parameters()) rest.push_back(p);
  if (c.usePriorMean)
    for (auto* module : std::initializer_list<torch::nn::Module*>{m.net->prior1.ptr().get(), m.net->prior2.ptr().get()})
      for (auto& p : module->parameters()) rest.push_back(p);
  if (c.useTemplate) fitTemplate(tar);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(rest, std::make_unique<torch::optim::AdamOptions>(c.learningRate));
  groups.emplace_back(fusionParams, std::make_unique<torch::optim::AdamOptions>(0.3 * c.learningRate));
  torch::optim::Adam optimiser(std::move(groups), torch::optim::AdamOptions(c.learningRate));

  // The moving average covers every weight this stage trains.
  std::vector<torch::Tensor> trained = rest, average;
  trained.insert(trained.end(), fusionParams.begin(), fusionParams.end());
  if (c.emaDecay > 0.0)
    for (const auto& p : trained) average.push_back(p.detach().clone());

  const int steps = c.generatorSteps;
  const auto m3 = m_windows.size(0);
  const auto batch = std::min<std::int64_t>(c.batchSize, m3);
  double last = 0.0;
  std::array<double, 11> parts{};
  for (int step = 0; step < steps; ++step) {
    // Cosine decay to 5 % of the learning rate.
    const double scale = 0.05 + 0.95 * 0.5 * (1.0 + std::cos(M_PI * double(step) / double(std::max(1, steps))));
    static_cast<torch::optim::AdamOptions&>(optimiser.param_groups()[0].options()).lr(c.learningRate * scale);
    static_cast<torch::optim::AdamOptions&>(optimiser.param_groups()[1].options()).lr(0.3 * c.learningRate * scale);

    auto rows = sample(m3, batch);
    auto sites = m_windowSite.index_select(0, rows);
    auto v = m_imageEmbedding.index_select(0, sites), p = m_poiEmbedding.index_select(0, sites);
    auto mi0 = baseMaskImage.index_select(0, sites), mp0 = baseMaskPoi.index_select(0, sites);
    auto u = uniform(batch);
    auto visible = mi0.logical_not() & mp0.logical_not();
    auto dropImage = visible & u.lt(0.15f), dropPoi = visible & u.ge(0.15f) & u.lt(0.30f);
    auto maskImage = mi0 | dropImage, maskPoi = mp0 | dropPoi;
    auto fused = m.net->fusion->forward(v, p, maskImage, maskPoi);
    auto lossGen = m.net->fusion->reconstructionLoss(fused, v, p, dropImage, dropPoi);

    // Zone and station-type dropout: both are often unknown (no zones layer; Milan's grid cells
    // have no type), so the generator learns to do without them too.
    auto hideZone = uniform(batch).lt(0.3f), hideType = uniform(batch).lt(0.2f);
    auto g = m.conditionFrom(fused.z, m_tensors.scalars.index_select(0, sites), maskPoi, hideZone, hideType);
    auto peak = tar.peakHour.index_select(0, rows);
    Conditions cond = m.conditions(g, peak);  // teacher forcing: the true h* during training

    auto x = m_windows.index_select(0, rows);
    auto dTar = tar.daily.index_select(0, rows), wTar = tar.weekly.index_select(0, rows), uTar = tar.periodic.index_select(0, rows);
    auto y1 = y1All.index_select(0, rows), y2 = y2All.index_select(0, rows), y3 = y3All.index_select(0, rows);
    auto t = uniform(batch);
    auto tc = t.unsqueeze(1);
    // Eq. 14 per level: x_t = t·x1 + (1−t)·x0, v* = x1 − x0.
    auto z1 = normal(batch, kDaily), z2 = normal(batch, kWeekly), z3 = normal(batch, kMonthly) * c.level3Noise;
    const auto context2 = level2Context(cond.c2, dTar);
    // With prior means the sources are N(μ(c), I); the heads learn μ by least squares and the flows
    // start from them as given (no gradient through the source), so each part has one job.
    auto priorLoss = torch::zeros({});
    if (c.usePriorMean) {
      auto mu1 = m.net->prior1->forward(cond.c1), mu2 = m.net->prior2->forward(context2);
      priorLoss = (mu1 - y1).pow(2).mean() + (mu2 - y2).pow(2).mean();
      z1 = z1 + mu1.detach();
      z2 = z2 + mu2.detach();
    }
    // With the template, level 1's source is centred on it (no gradient: it is fitted already),
    // and the velocity sees it too, to tell the source's centre from its noise.
    auto context1 = cond.c1;
    torch::Tensor centre;
    if (c.useTemplate) {
      const auto features = hideReferenceFeatures(m_tensors.referenceFeatures.index_select(0, sites), hideZone, hideType);
      centre = m.levelFromDaily(dailyTemplate(*m.net, g, features).daily);
      z1 = z1 * c.templateNoise;
      context1 = torch::cat({cond.c1, centre}, 1);
    }
    NeighbourTemplate near;
    if (c.observedNeighbours > 0) {
      near = {m_neighbours.residual.index_select(0, rows), m_neighbours.logDaily.index_select(0, rows),
              m_neighbours.features.index_select(0, rows)};
      const auto nearLevel = m.neighbourLevel(near);
      centre = m.level1Centre(centre, nearLevel, near);
      context1 = torch::cat({context1, nearLevel, near.features}, 1);
    }
    if (centre.defined()) z1 = z1 + centre;
    auto xt1 = tc * y1 + (1 - tc) * z1, xt2 = tc * y2 + (1 - tc) * z2, xt3 = tc * y3 + (1 - tc) * z3;
    auto v1 = m.net->level1->forward(xt1, t, m.net->level1->contextProjection(context1));
    auto v2 = m.net->level2->forward(xt2, t, m.net->level2->contextProjection(context2));
    auto context3 = level3Context(cond.c3, dTar, wTar);
    if (c.observedNeighbours > 0) {
      // Level 3's source is centred on the neighbours' residual (zero without neighbours); the
      // velocity sees it too, as level 1 sees its template.
      z3 = z3 + near.residual;
      xt3 = tc * y3 + (1 - tc) * z3;
      context3 = torch::cat({context3, near.residual, near.features}, 1);
    }
    auto v3 = m.net->level3->forward(xt3, t, m.net->level3->contextProjection(context3));
    auto fm1 = (v1 - (y1 - z1)).pow(2).mean(), fm2 = (v2 - (y2 - z2)).pow(2).mean();
    auto fm3 = (v3 - (y3 - z3)).pow(2).mean() / (c.level3Noise * c.level3Noise);

    // Auxiliary losses (Eq. 15) on the one-step endpoint estimates x̂1 = x_t + (1 − t)·v, weighted
    // by t (the estimate is only meaningful near the data end of the path), relative to the
    // site's mean so small and large sites count alike.
    auto dHat = m.dailyFromLevel(xt1 + (1 - tc) * v1);
    auto wHat = m.weeklyFromLevel(xt2 + (1 - tc) * v2, dTar);
    auto rHat = (xt3 + (1 - tc) * v3) * (uTar + kEpsilon);
    auto xHat = uTar + rHat;
    auto mean = x.mean(1, true) + kEpsilon;
    auto w8 = t;
    auto boundary = (w8 * (torch::relu(-xHat) / mean).pow(2).mean(1)).mean();
    auto diff = [](const torch::Tensor& a) { return a - torch::roll(a, 1, 1); };
    auto smooth = (w8 * ((diff(wHat) - diff(wTar)) / mean).pow(2).mean(1)).mean();
    auto days = wHat.view({batch, 7, 24});
    auto periodic = (w8 * (((days.narrow(1, 0, 5).mean(1) - dHat.narrow(1, 0, 24)) / mean).pow(2).mean(1) +
                           ((days.narrow(1, 5, 2).mean(1) - dHat.narrow(1, 24, 24)) / mean).pow(2).mean(1) +
                           (rHat.view({batch, 4, kWeekly}).mean(1) / mean).pow(2).mean(1)))
                        .mean();
    auto bias = (w8 * ((xHat.mean(1, true) - x.mean(1, true)) / mean).pow(2).squeeze(1)).mean();
    auto peakLoss = torch::zeros({});
    if (c.usePositionEncoder && c.peakLabelSoftness > 0.0f) {
      auto weekday = dTar.narrow(1, 0, 24);
      auto target = torch::softmax((weekday / (std::get<0>(weekday.max(1, true)) + kEpsilon) - 1.0f) / c.peakLabelSoftness, 1);
      peakLoss = -(target * torch::log_softmax(cond.peakLogits, 1)).sum(1).mean();
    } else if (c.usePositionEncoder) {
      peakLoss = F::cross_entropy(cond.peakLogits, peak);
    }
    auto corr = (w8 * pearsonLoss(dHat, dTar)).mean();

    auto loss = c.lambdaLevel1 * fm1 + c.lambdaLevel2 * fm2 + c.lambdaLevel3 * fm3 + c.lambdaBoundary * boundary + c.lambdaSmooth * smooth +
                c.lambdaPeriodic * periodic + c.lambdaBias * bias + c.lambdaPeak * peakLoss + c.lambdaCorr * corr + 0.1f * lossGen +
                c.lambdaPrior * priorLoss;
    optimiser.zero_grad();
    loss.backward();
    torch::nn::utils::clip_grad_norm_(rest, 1.0);
    optimiser.step();
    if (!average.empty()) {
      torch::NoGradGuard noGrad;
      const double decay = std::min(c.emaDecay, (1.0 + step) / (10.0 + step));  // short warm-up: early weights fade fast
      for (std::size_t i = 0; i < trained.size(); ++i) average[i].mul_(decay).add_(trained[i].detach(), 1.0 - decay);
    }
    const double values[11] = {fm1.item<double>(),    fm2.item<double>(),      fm3.item<double>(),      boundary.item<double>(),
                               smooth.item<double>(), periodic.item<double>(), bias.item<double>(),     peakLoss.item<double>(),
                               corr.item<double>(),   lossGen.item<double>(),  priorLoss.item<double>()};
    for (int i = 0; i < 11; ++i) parts[std::size_t(i)] = step == 0 ? values[i] : 0.98 * parts[std::size_t(i)] + 0.02 * values[i];
    last = step == 0 ? loss.item<double>() : 0.98 * last + 0.02 * loss.item<double>();
    if (step % 10 == 0 || step + 1 == steps) report("generator", step + 1, steps, last);
  }
  if (!average.empty()) {
    torch::NoGradGuard noGrad;
    for (std::size_t i = 0; i < trained.size(); ++i) trained[i].copy_(average[i]);
  }
  m_log << "generator: " << steps << " steps" << (average.empty() ? "" : " (weights: moving average)") << ", loss " << last << " (fm1 "
        << parts[0] << ", fm2 " << parts[1] << ", fm3 " << parts[2] << ", bnd " << parts[3] << ", tmp " << parts[4] << ", per " << parts[5]
        << ", bias " << parts[6] << ", peak " << parts[7] << ", corr " << parts[8] << ", gen " << parts[9]
        << (c.usePriorMean ? ", prior " + std::to_string(parts[10]) : std::string()) << ")";
}

void Trainer::run() {
  prepare();
  using Stage = void (Trainer::*)();
  const Stage stages[kStageCount] = {&Trainer::trainImage, &Trainer::trainPoi, &Trainer::trainFusion, &Trainer::trainGenerator};
  for (int s = 0; s < kStageCount; ++s) {
    if (s < m.stagesCompleted) continue;
    m.net->train();
    (this->*stages[s])();
    m.net->eval();
    m.stagesCompleted = s + 1;
    m.sha.clear();
    m.summary = m_log.str();
    report(kStageName[s], 1, 1, 0.0);  // stage boundary: callers may checkpoint now
  }
}

std::optional<ModelError> checkSites(const std::vector<NetSpatialTrainingSite>& sites) {
  if (sites.size() < 4)
    return ModelError{ModelErrorCode::InvalidArgument, "NetSpatial needs at least 4 training sites, got " + std::to_string(sites.size())};
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const auto& s = sites[i].series;
    if (s.size() < std::size_t(kMonthly) || s.size() % std::size_t(kWeekly) != 0)
      return ModelError{ModelErrorCode::InvalidArgument, "training site " + std::to_string(i) + " has " + std::to_string(s.size()) +
                                                             " hours; whole weeks of at least 672 h are needed"};
    for (float v : s)
      if (!std::isfinite(v) || v < 0.0f)
        return ModelError{ModelErrorCode::InvalidArgument, "training site " + std::to_string(i) + " has a missing or negative hour"};
  }
  return std::nullopt;
}

}  // namespace

ModelStatus NetSpatialGenerator::train(const std::vector<NetSpatialTrainingSite>& sites, const Normalisation& normalisation,
                                       const TrainingCallback& callback) {
  if (auto e = checkSites(sites)) return *e;
  if (!(normalisation.scale > 0.0)) return ModelError{ModelErrorCode::InvalidArgument, "the normalisation scale must be positive"};
  if (m_impl->stagesCompleted >= kStageCount)
    return ModelError{ModelErrorCode::InvalidArgument, "this NetSpatial model is already trained"};
  m_impl->normalisation = normalisation;
  try {
    Trainer trainer(*m_impl, sites, callback);
    trainer.run();
    m_impl->summary = trainer.summary();
    m_impl->sha.clear();
    return Unit{};
  } catch (const Cancelled&) {
    m_impl->net->eval();
    return ModelError{ModelErrorCode::Cancelled, "training cancelled"};
  } catch (const c10::Error& e) {
    m_impl->net->eval();
    return ModelError{ModelErrorCode::Internal, std::string("NetSpatial training failed: ") + e.what_without_backtrace()};
  } catch (const std::invalid_argument& e) {
    m_impl->net->eval();
    return ModelError{ModelErrorCode::InvalidArgument, e.what()};
  }
}

ModelStatus NetSpatialGenerator::prepareFineTuning(const NetSpatialConfig& config) {
  for (const NetSpatialConfigKey& key : netSpatialConfigKeys()) {
    if (!key.architecture) continue;
    std::optional<ModelError> differs;
    std::visit(
        [&](auto member) {
          const auto have = m_impl->config.*member, want = config.*member;
          if (have != want) {
            std::ostringstream text;
            text << std::boolalpha << "fine-tuning keeps the architecture of the initial weights: " << key.key << ": " << have << " → "
                 << want;
            differs = ModelError{ModelErrorCode::InvalidArgument, text.str()};
          }
        },
        key.member);
    if (differs) return *differs;
  }
  // The network is not rebuilt: rebuild() would draw fresh parameters from the seed.
  m_impl->config = config;
  m_impl->stagesCompleted = 0;
  m_impl->sha.clear();
  return Unit{};
}

ModelStatus NetSpatialGenerator::fit(const std::vector<TrainingSite>& sites, const Normalisation& normalisation, std::uint64_t seed,
                                     const ProgressFn& progress) {
  m_impl->config.seed = seed;
  m_impl->stagesCompleted = 0;
  m_impl->rebuild();
  std::vector<NetSpatialTrainingSite> converted;
  converted.reserve(sites.size());
  for (const auto& s : sites) converted.push_back({s.context, s.series});
  if (!progress) return train(converted, normalisation);
  return train(converted, normalisation, [&progress](const TrainingProgress& p) { return progress(p.fraction, p.stage.c_str()); });
}

ModelResult<ProbeReport> linearProbe(const std::vector<float>& trainEmbeddings, const std::vector<int>& trainClasses,
                                     const std::vector<float>& testEmbeddings, const std::vector<int>& testClasses, int dim,
                                     std::uint64_t seed) {
  if (dim <= 0 || trainEmbeddings.size() != trainClasses.size() * std::size_t(dim) ||
      testEmbeddings.size() != testClasses.size() * std::size_t(dim))
    return ModelError{ModelErrorCode::InvalidArgument, "linear probe: embeddings and classes disagree in size"};
  auto keep = [dim](const std::vector<float>& e, const std::vector<int>& c) {
    std::vector<float> rows;
    std::vector<std::int64_t> labels;
    for (std::size_t i = 0; i < c.size(); ++i)
      if (c[i] >= 0 && c[i] < kZoneClasses) {
        rows.insert(rows.end(), e.begin() + std::ptrdiff_t(i) * dim, e.begin() + std::ptrdiff_t(i + 1) * dim);
        labels.push_back(c[i]);
      }
    const auto n = std::int64_t(labels.size());
    return std::make_pair(torch::tensor(rows).view({n, dim}), torch::tensor(labels, torch::kInt64));
  };
  try {
    auto [xTrain, yTrain] = keep(trainEmbeddings, trainClasses);
    auto [xTest, yTest] = keep(testEmbeddings, testClasses);
    if (xTrain.size(0) < 2 || xTest.size(0) < 1)
      return ModelError{ModelErrorCode::InvalidArgument, "linear probe: too few sites with a zone class"};
    auto mean = xTrain.mean(0, true), sd = xTrain.std(0, true, true).clamp_min(1e-6f);
    xTrain = (xTrain - mean) / sd;
    xTest = (xTest - mean) / sd;
    torch::manual_seed(seed);
    auto probe = torch::nn::Linear(dim, kZoneClasses);
    torch::optim::Adam optimiser(probe->parameters(), torch::optim::AdamOptions(0.05).weight_decay(1e-3));
    for (int i = 0; i < 500; ++i) {
      auto loss = F::cross_entropy(probe(xTrain), yTrain);
      optimiser.zero_grad();
      loss.backward();
      optimiser.step();
    }
    torch::NoGradGuard noGrad;
    ProbeReport r;
    r.trainSites = int(xTrain.size(0));
    r.testSites = int(xTest.size(0));
    r.accuracy = probe(xTest).argmax(1).eq(yTest).to(torch::kFloat64).mean().item<double>();
    auto counts = torch::bincount(yTrain, {}, kZoneClasses);
    r.majorityShare = yTest.eq(counts.argmax()).to(torch::kFloat64).mean().item<double>();
    return r;
  } catch (const c10::Error& e) {
    return ModelError{ModelErrorCode::Internal, std::string("linear probe failed: ") + e.what_without_backtrace()};
  }
}

}  // namespace netspatial::models
