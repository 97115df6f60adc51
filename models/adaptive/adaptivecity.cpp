// ADAPTIVE's per-city step (spec §5.3 steps 1–3 for a target city): knowledge graph, TuckER
// fold-in, target GCN with the alignment loss; and the extra node of a site outside the city.

#include "adaptivegenerator_p.h"

#include "netspatial/models/sha256.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace netspatial::models {

using namespace adaptive;

namespace {

// Above this a city's kNN graph and business-area search (quadratic here) would take minutes: a
// scenario that large is adapted on its stations in chunks by the caller, never silently.
constexpr std::size_t kMaxAdaptedStations = 20000;

std::pair<long long, long long> positionKey(double x, double y) { return {std::llround(x * 10.0), std::llround(y * 10.0)}; }

std::string stationsKey(const std::vector<ModelContext>& stations, const AdaptiveConfig& variant) {
  std::string text;
  for (const auto& c : stations) {
    text += c.position->crs + ";" + std::to_string(std::llround(c.position->x * 10.0)) + ";" +
            std::to_string(std::llround(c.position->y * 10.0)) + ";" + (c.poisKnown ? "1" : "0");
    for (const auto& p : c.pois)
      text += ";" + std::to_string(p.category) + "," + p.name + "," + std::to_string(std::lround(p.distance * 10.0f)) + "," +
              std::to_string(std::lround(p.bearing * 1000.0f));
    text += "\n";
  }
  text += std::to_string(variant.alignTarget) + std::to_string(variant.targetAsPublished) + std::to_string(variant.targetFromSource) +
          std::to_string(variant.codePatternLoss);
  return sha256Hex(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

}  // namespace

TuckerConfig tuckerConfig(const AdaptiveConfig& config, int epochs) {
  TuckerConfig tc;
  tc.dim = config.embedDim;
  tc.negatives = config.tuckerNegatives;
  tc.batchSize = config.tuckerBatch;
  tc.learningRate = config.tuckerLearningRate;
  tc.epochs = epochs;
  return tc;
}

void copySharedTucker(const Tucker& from, Tucker& to) {
  torch::NoGradGuard noGrad;
  to->core.copy_(from->core);
  to->relations->weight.copy_(from->relations->weight);
  for (auto [source, target] : {std::pair{from->bn0, to->bn0}, std::pair{from->bn1, to->bn1}}) {
    target->weight.copy_(source->weight);
    target->bias.copy_(source->bias);
    target->running_mean.copy_(source->running_mean);
    target->running_var.copy_(source->running_var);
  }
}

MatrioskaConfig matrioskaConfig(const AdaptiveConfig& config, int conditionDim) {
  MatrioskaConfig m;
  m.conditionDim = conditionDim;
  m.noiseDim = config.gcnHidden + config.gcnOutput;  // the code's noise has the condition's size (160)
  m.patterns = config.patterns;
  m.batchSize = config.ganBatch;
  m.epochsPerStage = config.ganEpochs;
  m.criticSteps = config.criticSteps;
  m.learningRate = config.ganLearningRate;
  m.criticSigmoid = config.criticSigmoid;
  return m;
}

ModelResult<std::shared_ptr<AdaptedCity>> AdaptiveGenerator::Impl::adaptCity(const std::vector<ModelContext>& stations,
                                                                             const AdaptiveConfig& variant,
                                                                             const ProgressFn& progress) const {
  if (stations.empty()) return ModelError{ModelErrorCode::InvalidArgument, "ADAPTIVE needs at least one station to adapt to"};
  if (stations.size() > kMaxAdaptedStations)
    return ModelError{ModelErrorCode::InvalidArgument, "ADAPTIVE adapts to at most " + std::to_string(kMaxAdaptedStations) +
                                                           " stations at once (" + std::to_string(stations.size()) + " given)"};
  for (std::size_t i = 0; i < stations.size(); ++i) {
    const auto& p = stations[i].position;
    if (!p || !std::isfinite(p->x) || !std::isfinite(p->y))
      return ModelError{ModelErrorCode::InvalidArgument,
                        "ADAPTIVE needs every station's position (station " + std::to_string(i) + " has none)"};
    if (p->crs != stations.front().position->crs)
      return ModelError{ModelErrorCode::InvalidArgument, "ADAPTIVE adapts to one city at a time: station " + std::to_string(i) + " is in " +
                                                             p->crs + ", station 0 in " + stations.front().position->crs};
  }
  auto city = std::make_shared<AdaptedCity>();
  city->key = stationsKey(stations, variant);
  city->crs = stations.front().position->crs;
  std::vector<GraphSite> sites;
  for (std::size_t i = 0; i < stations.size(); ++i) {
    const auto& p = *stations[i].position;
    sites.push_back({p.x, p.y, 0, &stations[i]});
    city->xs.push_back(p.x);
    city->ys.push_back(p.y);
    city->stationAt.emplace(positionKey(p.x, p.y), int(i));
  }
  KnowledgeGraphOptions kgOptions;
  kgOptions.regionSize = config.regionSize;
  kgOptions.businessAreaEps = config.businessAreaEps;
  kgOptions.businessAreaMinPoints = config.businessAreaMinPoints;
  kgOptions.neighbours = config.neighbours;
  city->graph = buildKnowledgeGraph(sites, kgOptions);
  const KnowledgeGraph& kg = city->graph;

  // Fold-in: the shared entities, the core tensor and the relations stay the source's.
  torch::manual_seed(config.seed + 101);
  city->tucker = Tucker(kg.entityCount(), 2 * kRelations, config.embedDim);
  std::vector<bool> trainable(std::size_t(kg.entityCount()), true);
  copySharedTucker(tucker, city->tucker);
  {
    torch::NoGradGuard noGrad;
    for (std::size_t s = 0; s < sharedKeys.size(); ++s) {
      auto it = kg.entityIndex.find(sharedKeys[s]);
      if (it == kg.entityIndex.end()) continue;
      city->tucker->entities->weight[it->second].copy_(tucker->entities->weight[std::int64_t(s)]);
      trainable[std::size_t(it->second)] = false;
    }
  }
  const TuckerConfig tc = tuckerConfig(config, config.foldInEpochs);
  const auto report = trainTucker(city->tucker, withReverses(kg.triples), kg.entityTypes, tc, config.seed + 102, trainable, [&](double f) {
    return !progress || progress(0.6 * f, "ADAPTIVE: embedding the city's knowledge graph");
  });
  if (report.epochs < tc.epochs) return ModelError{ModelErrorCode::Cancelled, "ADAPTIVE adaptation cancelled"};

  std::vector<std::int64_t> stationRows(kg.stationEntity.begin(), kg.stationEntity.end());
  city->stationEmbeddings = city->tucker->entities->weight.detach().index_select(0, torch::tensor(stationRows)).clone();
  city->stationGraph = normalisedGraph(std::int64_t(stations.size()), kg.edgeFrom, kg.edgeTo, kg.edgeDistance, config.weightedGraph);
  city->degrees.assign(stations.size(), 1.0);
  {
    double maxInverse = 0.0;
    for (double d : kg.edgeDistance) maxInverse = std::max(maxInverse, 1.0 / std::max(d, 1.0));
    city->maxInverseDistance = maxInverse > 0.0 ? maxInverse : 1.0;
    const auto f = city->stationGraph.from.accessor<std::int64_t, 1>();
    const auto t = city->stationGraph.to.accessor<std::int64_t, 1>();
    // Recover deg from the self-loop entry 1/deg.
    const auto w = city->stationGraph.weight.accessor<float, 1>();
    for (std::int64_t e = 0; e < f.size(0); ++e)
      if (f[e] == t[e]) city->degrees[std::size_t(f[e])] = 1.0 / double(w[e]);
  }

  // The target GCN: fresh (the code), or from the source's weights (ablation).
  torch::manual_seed(config.seed + 103);
  city->gcn = StationGcn(config.embedDim, config.gcnHidden, config.gcnOutput, kPoiCategories);
  if (variant.targetFromSource) {
    torch::NoGradGuard noGrad;
    auto to = city->gcn->parameters();
    auto from = sourceGcn->parameters();
    for (std::size_t i = 0; i < to.size(); ++i) to[i].copy_(from[i]);
  }
  std::vector<float> counts;
  for (const auto& row : kg.stationPoiCounts) counts.insert(counts.end(), row.begin(), row.end());
  const auto countT = torch::tensor(counts).view({std::int64_t(stations.size()), kPoiCategories});
  torch::Tensor mask;
  const auto target = poiDistribution(countT, &mask);
  // The published weighting has an exactly zero gradient (spec §5.9 #15): its target GCN is its
  // initialisation, so that row skips the epochs that would not move it.
  if (!variant.targetAsPublished) {
    GcnTrainingOptions go;
    go.learningRate = config.gcnLearningRate;
    go.maxEpochs = config.gcnMaxEpochs;
    go.patience = config.gcnPatience;
    if (variant.alignTarget) go.centres = centres;
    city->report = trainGcn(city->gcn, city->stationGraph, city->stationEmbeddings, target, mask, go, config.seed + 104,
                            [&](double f) { return !progress || progress(0.6 + 0.4 * f, "ADAPTIVE: aligning the city's stations"); });
    if (progress && !progress(1.0, "ADAPTIVE: aligning the city's stations"))
      return ModelError{ModelErrorCode::Cancelled, "ADAPTIVE adaptation cancelled"};
  }
  torch::NoGradGuard noGrad;
  city->gcn->eval();
  const auto z = city->gcn->embed(city->stationGraph, city->stationEmbeddings);
  city->h1 = z.narrow(1, 0, config.gcnHidden).clone();
  if (variant.targetAsPublished || city->report.epochs == 0) {
    double match = 0.0;
    city->report.kl = poiKl(target, city->gcn->poiLogProbabilities(z), mask).item<double>();
    city->report.pattern = patternLoss(z, centres, &match).item<double>();
    city->report.meanMatch = match;
  }
  city->representation = representationOf(city->stationEmbeddings, z, countT);
  city->cityScale = std::max(1e-12, city->representation.abs().mean().item<double>());
  return city;
}

torch::Tensor AdaptiveGenerator::Impl::candidateRepresentation(const AdaptedCity& city,
                                                               const std::vector<const ModelContext*>& sites) const {
  const auto n = std::int64_t(sites.size());
  const auto stationCount = std::int64_t(city.xs.size());
  const int m = int(std::min<std::int64_t>(config.neighbours, stationCount));
  const KnowledgeGraph& kg = city.graph;
  // Each site: its M nearest adapted stations (Eq. 1 weights on the city's scale), its region and
  // the adapted POIs it lists. No edge runs between two sites, so each is computed as if alone.
  std::vector<std::vector<std::pair<double, int>>> near(static_cast<std::size_t>(n));
  std::vector<Triple> triples;
  std::vector<std::array<float, kPoiCategories>> counts(static_cast<std::size_t>(n));
  const int firstNew = kg.entityCount();
  for (std::int64_t i = 0; i < n; ++i) {
    const ModelContext& c = *sites[std::size_t(i)];
    const double x = c.position->x, y = c.position->y;
    std::vector<std::pair<double, int>> d;
    d.reserve(std::size_t(stationCount));
    for (std::int64_t j = 0; j < stationCount; ++j)
      d.push_back({std::hypot(city.xs[std::size_t(j)] - x, city.ys[std::size_t(j)] - y), int(j)});
    std::partial_sort(d.begin(), d.begin() + m, d.end());
    d.resize(std::size_t(m));
    near[std::size_t(i)] = d;
    const int self = firstNew + int(i);
    for (const auto& [dist, j] : d) triples.push_back({self, int(Relation::StationBordersStation), kg.stationEntity[std::size_t(j)]});
    const std::string region = "region:0:" + std::to_string(std::int64_t(std::floor(double(std::llround(x)) / config.regionSize))) + ":" +
                               std::to_string(std::int64_t(std::floor(double(std::llround(y)) / config.regionSize)));
    if (auto it = kg.entityIndex.find(region); it != kg.entityIndex.end())
      triples.push_back({self, int(Relation::StationLocatedAtRegion), it->second});
    for (const ModelPoi& p : c.pois) {
      if (p.category < 0 || p.category >= kPoiCategories) continue;
      counts[std::size_t(i)][std::size_t(p.category)] += 1.0f;
      const double px = x + double(p.distance) * std::sin(double(p.bearing));
      const double py = y + double(p.distance) * std::cos(double(p.bearing));
      const std::string key = "poi:0:" + std::to_string(p.category) + ":" + p.name + ":" + std::to_string(std::llround(px)) + ":" +
                              std::to_string(std::llround(py));
      if (auto it = kg.entityIndex.find(key); it != kg.entityIndex.end())
        triples.push_back({self, int(Relation::StationServesPoi), it->second});
    }
  }
  // Fold-in of each site's own station entity, started at its neighbours' mean, over its links
  // alone and with its own seed: a site gets the same embedding alone or in any batch.
  const auto d = std::int64_t(config.embedDim);
  const TuckerConfig tc = tuckerConfig(config, 0);  // foldInEntity takes its own step count
  auto tucker = city.tucker;                        // a holder copy: the model is shared and frozen
  std::vector<torch::Tensor> rows;
  {
    torch::AutoGradMode gradients(true);  // generate() runs under NoGradGuard
    for (std::int64_t i = 0; i < n; ++i) {
      auto mean = torch::zeros({d});
      for (const auto& [dist, j] : near[std::size_t(i)]) mean += city.stationEmbeddings[j];
      mean /= double(std::max(1, m));
      std::vector<std::pair<int, int>> links;
      for (const Triple& t : triples)
        if (t.subject == firstNew + int(i)) links.push_back({t.relation, t.object});
      rows.push_back(foldInEntity(tucker, mean, links, kg.entityTypes, tc, config.candidateFoldInSteps,
                                  adaptiveSiteSeed(config.seed, *sites[std::size_t(i)])));
    }
  }
  torch::NoGradGuard noGrad;
  const auto e = torch::stack(rows);
  // One GCN pass: Â_ii = 1/deg_i, Â_ij = A_ij / sqrt(deg_i deg_j) with deg_j the station's in the city.
  std::vector<std::vector<std::pair<int, double>>> weights(static_cast<std::size_t>(n));
  std::vector<double> selfWeight(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    double degree = 1.0;
    std::vector<std::pair<int, double>> a;
    for (const auto& [dist, j] : near[std::size_t(i)]) {
      const double w = config.weightedGraph ? std::min(1.0, (1.0 / std::max(dist, 1.0)) / city.maxInverseDistance) : 1.0;
      a.push_back({j, w});
      degree += w;
    }
    selfWeight[std::size_t(i)] = 1.0 / degree;
    for (auto& [j, w] : a) w /= std::sqrt(degree * city.degrees[std::size_t(j)]);
    weights[std::size_t(i)] = a;
  }
  std::vector<std::int64_t> rowOf, stationOf;
  std::vector<float> edgeWeight;
  for (std::int64_t i = 0; i < n; ++i)
    for (const auto& [j, w] : weights[std::size_t(i)]) {
      rowOf.push_back(i);
      stationOf.push_back(j);
      edgeWeight.push_back(float(w));
    }
  const auto rowT = torch::tensor(rowOf, torch::kInt64), stationT = torch::tensor(stationOf, torch::kInt64);
  const auto edgeT = torch::tensor(edgeWeight).unsqueeze(1);
  const auto selfT = torch::tensor(std::vector<float>(selfWeight.begin(), selfWeight.end())).unsqueeze(1);
  auto propagateOne = [&](const torch::Tensor& own, const torch::Tensor& stationValues) {
    return (own * selfT).index_add(0, rowT, stationValues.index_select(0, stationT) * edgeT);
  };
  const auto agg1 = propagateOne(e, city.stationEmbeddings);
  auto gcn = city.gcn;  // a holder copy: Linear's forward is not const
  const auto h1 = torch::sigmoid(gcn->layer1(agg1));
  const auto h2 = torch::relu(gcn->layer2(propagateOne(h1, city.h1)));
  const auto z = torch::cat({h1, h2}, 1);
  std::vector<float> flat;
  for (const auto& row : counts) flat.insert(flat.end(), row.begin(), row.end());
  // PD relative to the city's category totals, as the stations' own.
  auto countT = torch::tensor(flat).view({n, kPoiCategories});
  std::vector<float> cityFlat;
  for (const auto& row : kg.stationPoiCounts) cityFlat.insert(cityFlat.end(), row.begin(), row.end());
  const auto cityTotals = torch::tensor(cityFlat).view({-1, kPoiCategories}).sum(0, true).clamp_min(1.0);
  auto relative = countT / cityTotals;
  const auto pd = relative / relative.sum(1, true).clamp_min(1e-30);
  switch (AdaptiveRepresentation(config.representation)) {
    case AdaptiveRepresentation::Noise:
      return torch::ones({n, 1});
    case AdaptiveRepresentation::PoiDistribution:
      return pd;
    case AdaptiveRepresentation::Tucker:
      return e;
    case AdaptiveRepresentation::Full:
      break;
  }
  return z;
}

}  // namespace netspatial::models
