// ADAPTIVE's training on the source cities (spec §5.5): knowledge graph, joint TuckER, source GCN
// with L_POI, traffic clusters and their centres (Eq. 6), the GAN's five stages and the volume head.

#include "adaptivegenerator_p.h"

#include "clustering.h"
#include "../runtime/workerthreads.h"
#include "netspatial/models/sha256.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <sstream>

namespace netspatial::models {

using namespace adaptive;

namespace {

constexpr int kWeeksPerWindow = kSequenceHours / kWeekHours;

double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

ModelStatus AdaptiveGenerator::fit(const std::vector<TrainingSite>& sites, const Normalisation& normalisation, std::uint64_t seed,
                                   const ProgressFn& progress) {
  std::vector<NetSpatialTrainingSite> converted;
  std::map<std::string, int> groups;
  for (const auto& s : sites) {
    NetSpatialTrainingSite t;
    t.context = s.context;
    t.series = s.series;
    if (s.context.position) {
      t.hasPosition = true;
      t.x = s.context.position->x;
      t.y = s.context.position->y;
      t.group = groups.emplace(s.context.position->crs, int(groups.size())).first->second;
    }
    converted.push_back(std::move(t));
  }
  m_impl->config.seed = seed;
  return train(converted, normalisation, [&](const TrainingProgress& p) { return !progress || progress(p.fraction, p.stage.c_str()); });
}

ModelStatus AdaptiveGenerator::train(const std::vector<NetSpatialTrainingSite>& sites, const Normalisation& normalisation,
                                     const TrainingCallback& callback) {
  Impl& m = *m_impl;
  const AdaptiveConfig& config = m.config;
  if (sites.size() < std::size_t(std::max(2, config.clusters)))
    return ModelError{ModelErrorCode::InvalidArgument, "ADAPTIVE needs at least " + std::to_string(std::max(2, config.clusters)) +
                                                           " training sites (" + std::to_string(sites.size()) + " given)"};
  if (config.representation < 0 || config.representation > 3)
    return ModelError{ModelErrorCode::InvalidArgument, "ADAPTIVE representation must be 0 (noise), 1 (POI), 2 (TuckER) or 3 (Z_BS)"};
  if (config.volumeInput < 0 || config.volumeInput > 2)
    return ModelError{ModelErrorCode::InvalidArgument, "ADAPTIVE volume_input must be 0 (condition), 1 (POI counts) or 2 (context)"};
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const auto& s = sites[i];
    if (!s.hasPosition || !std::isfinite(s.x) || !std::isfinite(s.y))
      return ModelError{ModelErrorCode::InvalidArgument, "ADAPTIVE needs each training site's position (site " + std::to_string(i) + ")"};
    if (s.series.size() < std::size_t(kSequenceHours))
      return ModelError{ModelErrorCode::InvalidArgument, "training site " + std::to_string(i) + " has fewer than 672 hours"};
    for (int h = 0; h < kSequenceHours; ++h)
      if (!std::isfinite(s.series[std::size_t(h)]) || s.series[std::size_t(h)] < 0.0f)
        return ModelError{ModelErrorCode::InvalidArgument, "training site " + std::to_string(i) + " has a missing or negative hour"};
  }
  const auto started = std::chrono::steady_clock::now();
  std::ostringstream summary;
  // Stage weights of the progress bar, by their measured share of a recipe run.
  const std::vector<std::pair<const char*, double>> stages{{"graph", 0.02},    {"tucker", 0.35}, {"gcn", 0.08},
                                                           {"clusters", 0.02}, {"gan", 0.50},    {"volume", 0.03}};
  auto report = [&](int stage, double within, double loss) {
    double before = 0.0;
    for (int s = 0; s < stage; ++s) before += stages[std::size_t(s)].second;
    TrainingProgress p;
    p.stage = stages[std::size_t(stage)].first;
    p.step = int(within * 1000.0);
    p.steps = 1000;
    p.loss = loss;
    p.fraction = before + stages[std::size_t(stage)].second * within;
    return !callback || callback(p);
  };
  auto cancelled = [] { return ModelError{ModelErrorCode::Cancelled, "ADAPTIVE training cancelled"}; };

  try {
    const ScopedSerialOps serial;  // small operations: one thread is faster (adaptivegeneration.cpp)
    // 1. The knowledge graph of every training city, side by side.
    auto t = std::chrono::steady_clock::now();
    std::vector<GraphSite> graphSites;
    for (const auto& s : sites) graphSites.push_back({s.x, s.y, s.group, &s.context});
    KnowledgeGraphOptions kgOptions;
    kgOptions.regionSize = config.regionSize;
    kgOptions.businessAreaEps = config.businessAreaEps;
    kgOptions.businessAreaMinPoints = config.businessAreaMinPoints;
    kgOptions.neighbours = config.neighbours;
    const KnowledgeGraph kg = buildKnowledgeGraph(graphSites, kgOptions);
    std::set<int> cities;
    for (const auto& s : sites) cities.insert(s.group);
    summary << "cities " << cities.size() << ", stations " << sites.size() << ", POIs " << kg.pois << ", regions " << kg.regions
            << ", business areas " << kg.businessAreas << ", brands " << kg.brands << ", entities " << kg.entityCount() << ", triples "
            << kg.triples.size() << " (" << secondsSince(t) << " s)\n";
    if (!report(0, 1.0, 0.0)) return cancelled();

    // 2. TuckER, one model over all cities; a share of three relations held out for the link probe.
    t = std::chrono::steady_clock::now();
    std::mt19937_64 rng(config.seed);
    std::vector<Triple> trainTriples, heldOut;
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (const Triple& tr : kg.triples) {
      const bool probed = tr.relation == int(Relation::StationServesPoi) || tr.relation == int(Relation::PoiHasCategory) ||
                          tr.relation == int(Relation::StationBordersStation);
      (probed && uniform(rng) < double(config.linkHoldout) ? heldOut : trainTriples).push_back(tr);
    }
    torch::manual_seed(config.seed);
    Tucker tucker(kg.entityCount(), 2 * kRelations, config.embedDim);
    const TuckerConfig tc = tuckerConfig(config, config.tuckerEpochs);
    const auto allTriples = withReverses(trainTriples);
    const auto tuckerReport =
        trainTucker(tucker, allTriples, kg.entityTypes, tc, config.seed + 1, {}, [&](double f) { return report(1, f, 0.0); });
    if (tuckerReport.epochs < tc.epochs) return cancelled();
    {
      const auto known = withReverses(kg.triples);
      const auto trained = linkPrediction(tucker, heldOut, known, kg.entityTypes);
      torch::manual_seed(config.seed + 2);
      Tucker untrained(kg.entityCount(), 2 * kRelations, config.embedDim);
      const auto random = linkPrediction(untrained, heldOut, known, kg.entityTypes);
      m.link = {trained.mrr, trained.hitsAt10, random.mrr, random.hitsAt10, trained.triples, trained.candidates};
    }
    summary << "TuckER: " << allTriples.size() << " training triples with reverses, " << tuckerReport.epochs << " epochs, loss "
            << tuckerReport.loss << "; held-out link prediction MRR " << m.link.mrr << ", hits@10 " << m.link.hitsAt10
            << " (untrained embeddings: " << m.link.randomMrr << ", " << m.link.randomHitsAt10 << ") over " << m.link.triples
            << " triples (" << secondsSince(t) << " s)\n";

    // 3. The source GCN on the union of the cities' graphs, L_POI only.
    t = std::chrono::steady_clock::now();
    std::vector<std::int64_t> stationRows(kg.stationEntity.begin(), kg.stationEntity.end());
    const auto e = tucker->entities->weight.detach().index_select(0, torch::tensor(stationRows)).clone();
    const auto graph = normalisedGraph(std::int64_t(sites.size()), kg.edgeFrom, kg.edgeTo, kg.edgeDistance, config.weightedGraph);
    std::vector<float> countsFlat;
    for (const auto& row : kg.stationPoiCounts) countsFlat.insert(countsFlat.end(), row.begin(), row.end());
    const auto counts = torch::tensor(countsFlat).view({std::int64_t(sites.size()), kPoiCategories});
    // PD per city: N_k is each city's own count of category k.
    auto pd = torch::zeros_like(counts);
    auto mask = torch::zeros({std::int64_t(sites.size())});
    for (int c : cities) {
      std::vector<std::int64_t> rows;
      for (std::size_t i = 0; i < sites.size(); ++i)
        if (sites[i].group == c) rows.push_back(std::int64_t(i));
      const auto idx = torch::tensor(rows);
      torch::Tensor cityMask;
      pd.index_copy_(0, idx, poiDistribution(counts.index_select(0, idx), &cityMask));
      mask.index_copy_(0, idx, cityMask);
    }
    torch::manual_seed(config.seed + 3);
    StationGcn sourceGcn(config.embedDim, config.gcnHidden, config.gcnOutput, kPoiCategories);
    GcnTrainingOptions go;
    go.learningRate = config.gcnLearningRate;
    go.maxEpochs = config.gcnMaxEpochs;
    go.patience = config.gcnPatience;
    const auto gcnReport = trainGcn(sourceGcn, graph, e, pd, mask, go, config.seed + 4, [&](double f) { return report(2, f, 0.0); });
    if (!report(2, 1.0, gcnReport.kl)) return cancelled();
    torch::Tensor z;
    {
      torch::NoGradGuard noGrad;
      z = sourceGcn->embed(graph, e);
    }
    summary << "source GCN: " << gcnReport.epochs << " epochs, KL(PD||PD^) " << gcnReport.kl << " (" << secondsSince(t) << " s)\n";

    // 4. Traffic clusters of the weeks (mean 1), each site's strict majority, centres (Eq. 6).
    t = std::chrono::steady_clock::now();
    const auto n = std::int64_t(sites.size());
    std::vector<float> weekValues;
    std::vector<float> logMeans;
    for (const auto& s : sites) {
      double mean = 0.0;
      for (int h = 0; h < kSequenceHours; ++h) mean += double(s.series[std::size_t(h)]);
      mean /= double(kSequenceHours);
      logMeans.push_back(float(std::log(std::max(mean, 1e-9))));
      weekValues.insert(weekValues.end(), s.series.begin(), s.series.begin() + kSequenceHours);
    }
    const auto windows = torch::tensor(weekValues).view({n, kSequenceHours});
    const auto rawWeeks = windows.view({n * kWeeksPerWindow, kWeekHours});
    const auto clusterWeeks = rawWeeks / rawWeeks.mean(1, true).clamp_min(1e-12);
    const auto clusters = kMeans(clusterWeeks, config.clusters, 10, config.seed + 5);
    const int k = int(clusters.centres.size(0));
    std::vector<int> siteLabel(std::size_t(n), -1);
    for (std::int64_t i = 0; i < n; ++i) {
      std::vector<int> votes(std::size_t(k), 0);
      for (int w = 0; w < kWeeksPerWindow; ++w) ++votes[std::size_t(clusters.labels[std::size_t(i * kWeeksPerWindow + w)])];
      for (int c = 0; c < k; ++c)
        if (votes[std::size_t(c)] * 2 > kWeeksPerWindow) siteLabel[std::size_t(i)] = c;
    }
    std::vector<torch::Tensor> centreRows, poiRows, centroidRows;
    std::vector<int> members;
    for (int c = 0; c < k; ++c) {
      std::vector<std::int64_t> rows;
      for (std::int64_t i = 0; i < n; ++i)
        if (siteLabel[std::size_t(i)] == c) rows.push_back(i);
      if (rows.empty()) continue;  // a pattern no site holds by majority has no centre
      const auto idx = torch::tensor(rows);
      centreRows.push_back(z.index_select(0, idx).mean(0));
      poiRows.push_back(pd.index_select(0, idx).mean(0));
      centroidRows.push_back(clusters.centres[c]);
      members.push_back(int(rows.size()));
    }
    if (centreRows.empty()) return ModelError{ModelErrorCode::InvalidArgument, "no training site has a majority traffic pattern"};
    m.centres = torch::stack(centreRows);
    m.poiCentres = torch::stack(poiRows);
    m.trafficCentroids = torch::stack(centroidRows);
    summary << "traffic clusters: K " << k << " (kept " << centreRows.size() << "), sites per cluster";
    for (int c : members) summary << " " << c;
    summary << " (" << secondsSince(t) << " s)\n";
    if (!report(3, 1.0, clusters.inertia)) return cancelled();

    // 5. The GAN on mean-1 site shapes, conditioned on each city's own scale of the representation.
    t = std::chrono::steady_clock::now();
    m.sourceGcn = sourceGcn;
    auto representation = m.representationOf(e, z, counts);
    auto condition = torch::zeros_like(representation);
    for (int c : cities) {
      std::vector<std::int64_t> rows;
      for (std::int64_t i = 0; i < n; ++i)
        if (sites[std::size_t(i)].group == c) rows.push_back(i);
      const auto idx = torch::tensor(rows);
      const auto part = representation.index_select(0, idx);
      condition.index_copy_(0, idx, part / std::max(1e-12, part.abs().mean().item<double>()));
    }
    const auto shapes = (windows / windows.mean(1, true).clamp_min(1e-12)).view({n * kWeeksPerWindow, kWeekHours});
    const auto weekConditions = condition.repeat_interleave(kWeeksPerWindow, 0);
    m.banks = buildPatternBanks(shapes, config.patterns, config.seed + 6);
    const auto ganConfig = matrioskaConfig(config, m.conditionDim());
    m.gan = MatrioskaGenerator(ganConfig, m.banks, config.seed + 7);
    if (config.ganDataInit) initialiseFromData(m.gan, shapes);
    const auto ganReport =
        trainMatrioska(m.gan, m.banks, shapes, weekConditions, ganConfig, config.seed + 8, [&](double f) { return report(4, f, 0.0); });
    if (ganReport.cancelled) return cancelled();
    summary << "GAN: " << shapes.size(0) << " weeks;";
    for (const auto& s : ganReport.stages)
      summary << " " << s.stage << " critic " << s.criticLoss << " G " << s.generatorLoss << " JSD " << s.jsdFirstEpoch << " -> "
              << s.jsdLastEpoch << ";";
    summary << " (" << secondsSince(t) << " s)\n";

    // 6. The volume head: log mean level from the site's context (volume_input; model card).
    t = std::chrono::steady_clock::now();
    std::vector<const ModelContext*> contexts;
    for (const auto& s : sites) contexts.push_back(&s.context);
    m.volumeFeatureMean = torch::Tensor();
    m.volumeFeatureScale = torch::Tensor();
    if (config.volumeInput == 2) {
      const auto raw = m.volumeInput(condition, contexts);
      m.volumeFeatureMean = raw.mean(0);
      const auto sd = raw.std(0, false);
      m.volumeFeatureScale = torch::where(sd > 1e-6, sd, torch::ones_like(sd));
    }
    m.volume = VolumeHead(m.volumeInputDim(), 64, config.seed + 9);
    const double volumeMse =
        trainVolumeHead(m.volume, m.volumeInput(condition, contexts), torch::tensor(logMeans), config.volumeSteps, config.seed + 10);
    summary << "volume head: MSE of log mean " << volumeMse << " (log-mean variance " << torch::tensor(logMeans).var().item<double>()
            << ") (" << secondsSince(t) << " s)\n";
    if (!report(5, 1.0, volumeMse)) return cancelled();

    // The checkpoint keeps TuckER's shared part only: categories and brands (the rest is per city).
    std::vector<std::int64_t> sharedRows;
    m.sharedKeys.clear();
    for (int i = 0; i < kg.entityCount(); ++i) {
      const auto type = kg.entityTypes[std::size_t(i)];
      if (type == EntityType::Category || type == EntityType::Brand) {
        sharedRows.push_back(i);
        m.sharedKeys.push_back(kg.entityKeys[std::size_t(i)]);
      }
    }
    const VolumeHead trainedVolume = m.volume;  // createModules makes fresh modules
    m.createModules(int(sharedRows.size()));
    m.sourceGcn = sourceGcn;
    m.volume = trainedVolume;
    copySharedTucker(tucker, m.tucker);
    {
      torch::NoGradGuard noGrad;
      m.tucker->entities->weight.copy_(tucker->entities->weight.index_select(0, torch::tensor(sharedRows)));
    }
    m.tucker->eval();
    m.sourceGcn->eval();
    m.gan->eval();
    m.volume->eval();
    m.normalisation = normalisation;
    summary << "total " << secondsSince(started) << " s";
    m.summary = summary.str();
    m.fitted = true;
    {
      std::lock_guard lock(m.adaptationMutex);
      m.adapted.reset();
    }
    auto bytes = save();
    if (!bytes) return bytes.error();
    m.sha256 = sha256Hex(bytes->data(), bytes->size());
  } catch (const std::exception& e) {
    return ModelError{ModelErrorCode::Internal, std::string("ADAPTIVE training failed: ") + e.what()};
  }
  return Unit{};
}

}  // namespace netspatial::models
