#include "app/common/evaluation.h"

#include "app/common/generators.h"
#include "app/common/modelbridge.h"
#include "app/common/modelcontext.h"
#include "core/context/sitecontext.h"
#include "core/scenario/scenariostore.h"
#include "core/traffic/decomposition.h"
#include "core/traffic/hourlyseries.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace netspatial::app {

using namespace netspatial::core;

namespace {

struct City {
  QString path;
  Scenario scenario;
  std::vector<QString> siteIds;            //!< eligible sites, sorted
  std::vector<std::vector<float>> series;  //!< their window, physical units
  int incomplete = 0;                      //!< sites with traffic whose window has a gap
};

Result<City> loadCity(const QString& path, int window, bool requireCompleteSeries, Feedback* feedback, double from, double to) {
  Feedback scoped = Feedback::childOf(feedback, from, to);
  if (scoped.isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("evaluation cancelled"));
  scoped.setProgress(0.0, QStringLiteral("Loading %1").arg(QFileInfo(path).fileName()));
  auto loaded = loadScenario(path);
  if (!loaded) return loaded.error();
  City city;
  city.path = path;
  city.scenario = std::move(*loaded);
  if (city.scenario.trafficObserved.isEmpty())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("%1 has no observed traffic to evaluate on").arg(path), {path});
  // The eligibility rule is shared with training (heldoutsplit.h): the split depends on it.
  auto eligible = eligibleSites(city.scenario, {window, requireCompleteSeries}, path);
  if (!eligible) return eligible.error();
  city.siteIds = std::move(eligible->ids);
  city.series = std::move(eligible->windows);
  city.incomplete = eligible->incomplete;
  if (city.siteIds.empty())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: no site has a complete 28-day window %2").arg(path).arg(window), {path});
  scoped.setProgress(1.0);
  return city;
}

struct SiteRef {
  std::size_t city = 0;
  std::size_t index = 0;
};

Result<std::pair<std::vector<SiteRef>, std::vector<SiteRef>>> blockSplit(const City& city, const EvaluationOptions& o, int* blockCount) {
  auto split = splitByBlocks(city.scenario, city.siteIds, o.holdoutFraction, o.groupSize, o.splitSeed);
  if (!split) return split.error();
  *blockCount = split->blocks;
  const std::vector<bool>& heldOut = split->heldOut;
  std::vector<SiteRef> train, test;
  for (std::size_t i = 0; i < heldOut.size(); ++i) (heldOut[i] ? test : train).push_back({0, i});
  if (train.empty() || test.empty())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the split left no %1 sites (%2 sites in %3 blocks of %4 m)")
                                                 .arg(train.empty() ? QStringLiteral("training") : QStringLiteral("test"))
                                                 .arg(city.siteIds.size())
                                                 .arg(*blockCount)
                                                 .arg(o.groupSize));
  return std::make_pair(std::move(train), std::move(test));
}

QString fmt(double v, int decimals) { return QLocale::c().toString(v, 'f', decimals); }

// The linear probe of DESIGN.md §6: does C carry the urban function? Fitted on the training sites'
// embeddings, scored on the test sites' (models::linearProbe skips sites outside every zone).
Result<ProbeResult> probeEmbedding(const models::NetSpatialGenerator& generator, const std::vector<models::TrainingSite>& training,
                                   const std::vector<models::ModelContext>& test, const TrafficSet& real, quint64 seed) {
  std::vector<models::ModelContext> trainContexts;
  std::vector<int> trainClasses, testClasses;
  trainContexts.reserve(training.size());
  for (const models::TrainingSite& t : training) {
    trainContexts.push_back(t.context);
    trainClasses.push_back(t.context.zoneClass);
  }
  for (const models::ModelContext& c : test) testClasses.push_back(c.zoneClass);
  auto trainEmbeddings = generator.embed(trainContexts);
  if (!trainEmbeddings) return toCoreError(trainEmbeddings.error());
  auto testEmbeddings = generator.embed(test);
  if (!testEmbeddings) return toCoreError(testEmbeddings.error());
  const int dim = generator.config().embedDim;
  auto probe = models::linearProbe(*trainEmbeddings, trainClasses, *testEmbeddings, testClasses, dim, seed);
  if (!probe) return toCoreError(probe.error(), QStringLiteral("linear probe"));
  ProbeResult r;
  r.accuracy = probe->accuracy;
  r.majorityShare = probe->majorityShare;
  r.trainSites = probe->trainSites;
  r.testSites = probe->testSites;
  auto peaks = generator.peakHours(test);
  if (!peaks) return toCoreError(peaks.error());
  int hits = 0, predicted = 0;
  for (std::size_t i = 0; i < real.size(); ++i) {
    if ((*peaks)[i] < 0) continue;  // a model without the position encoder predicts no peak hour
    const std::vector<float> daily = dailyTemplates(real[i]);
    hits += peakHourOf(std::span<const float>(daily).first(24)) == (*peaks)[i] ? 1 : 0;
    ++predicted;
  }
  r.peakClassifierAccuracy = predicted ? double(hits) / double(predicted) : std::numeric_limits<double>::quiet_NaN();
  return r;
}

//! One row of the table: a generator, and for NetSpatial the checkpoint it runs with.
struct PlannedRow {
  std::string id;
  QString name;         //!< "netspatial_<label>" for a labelled checkpoint
  QString weightsPath;  //!< empty: the embedded weights (or fitted in this run)
  QString label;
  const std::vector<std::uint8_t>* weightsBytes = nullptr;  //!< WeightsChoice::bytes, when given
};

// Checked before any scenario is loaded: a typo should not cost a minute of loading.
Result<std::vector<PlannedRow>> planRows(const EvaluationOptions& o) {
  const std::vector<std::string> known = generatorIds();
  const auto isKnown = [&](const std::string& id) { return std::find(known.begin(), known.end(), id) != known.end(); };
  QString unlabelled;
  const std::vector<std::uint8_t>* unlabelledBytes = nullptr;
  std::set<QString> labels;
  static const QRegularExpression labelPattern(QStringLiteral("^[A-Za-z0-9_]+$"));
  for (const WeightsChoice& w : o.weights) {
    if (w.path.isEmpty() && w.bytes.empty())
      return Error(ErrorCode::InvalidArgument, QStringLiteral("a weights choice without a checkpoint file"));
    if (w.label.isEmpty()) {
      if (!unlabelled.isEmpty())
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("two unlabelled weights files (%1, %2): label the ablations, LABEL=FILE").arg(unlabelled, w.path));
      unlabelled = w.path.isEmpty() ? QStringLiteral("(a checkpoint in memory)") : w.path;
      if (!w.bytes.empty()) unlabelledBytes = &w.bytes;
    } else if (!labelPattern.match(w.label).hasMatch()) {
      return Error(ErrorCode::InvalidArgument, QStringLiteral("weights label '%1' must be letters, digits and '_'").arg(w.label));
    } else if (!labels.insert(w.label).second) {
      return Error(ErrorCode::InvalidArgument, QStringLiteral("weights label '%1' is given twice").arg(w.label));
    }
  }
  std::vector<PlannedRow> rows;
  bool netspatialRow = false;
  for (const std::string& id : o.generators.empty() ? known : o.generators) {
    // "netspatial" without embedded weights still names a row: createGenerator says what is missing.
    if (!isKnown(id) && id != kNetSpatialId) {
      QStringList all;
      for (const std::string& k : known) all << QString::fromStdString(k);
      return Error(ErrorCode::InvalidArgument,
                   QStringLiteral("unknown generator '%1' (known: %2)").arg(QString::fromStdString(id), all.join(QStringLiteral(", "))));
    }
    if (id == kNetSpatialId) {
      if (netspatialRow) continue;
      netspatialRow = true;
      rows.push_back({id, QString::fromStdString(id), unlabelled, {}, unlabelledBytes});
    } else {
      rows.push_back({id, QString::fromStdString(id), {}, {}});
    }
  }
  if (!unlabelled.isEmpty() && !netspatialRow)
    rows.push_back({kNetSpatialId, QString::fromLatin1(kNetSpatialId), unlabelled, {}, unlabelledBytes});
  for (const WeightsChoice& w : o.weights)
    if (!w.label.isEmpty())
      rows.push_back({kNetSpatialId, QStringLiteral("%1_%2").arg(QString::fromLatin1(kNetSpatialId), w.label), w.path, w.label,
                      w.bytes.empty() ? nullptr : &w.bytes});
  if (o.probe && std::none_of(rows.begin(), rows.end(), [](const PlannedRow& r) { return r.id == kNetSpatialId || r.id == kAdaptiveId; }))
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("the probes read the NetSpatial embedding or ADAPTIVE's alignment: evaluate netspatial or adaptive too"));
  return rows;
}

}  // namespace

Result<EvaluationReport> runEvaluation(const EvaluationOptions& o, Feedback* feedback) {
  if (o.trainPaths.isEmpty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("no training scenario given"));
  if (o.samples < 1) return Error(ErrorCode::InvalidArgument, QStringLiteral("samples must be at least 1"));
  if (o.testPath.isEmpty() && (o.holdoutFraction <= 0.0 || o.holdoutFraction >= 1.0))
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the held-out fraction must be in (0, 1)"));
  if (o.testPath.isEmpty() && o.trainPaths.size() != 1)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("a held-out split works within one scenario; give --test for several"));
  if (o.keepTrainingSite && !o.testPath.isEmpty())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("a subset of the training sites needs a held-out split, not a test scenario"));
  auto planned = planRows(o);
  if (!planned) return planned.error();
  const std::vector<PlannedRow>& plan = *planned;
  // Generators first: a missing or corrupt checkpoint fails before the scenarios load. Same seed,
  // same bits: the table must not depend on whether this machine has a GPU.
  models::EngineOptions engine;
  engine.device = models::DevicePreference::Cpu;
  std::vector<std::unique_ptr<models::Generator>> generators;
  std::set<std::size_t> adaptiveLabels;  //!< rows whose labelled checkpoint is ADAPTIVE's
  for (const PlannedRow& p : plan) {
    if (!p.label.isEmpty() && !p.weightsPath.isEmpty() && !p.weightsBytes) {
      // A labelled checkpoint of ADAPTIVE is an ADAPTIVE row ("adaptive_<label>": its ablations).
      QFile file(p.weightsPath);
      if (file.open(QIODevice::ReadOnly)) {
        const QByteArray head = file.readAll();
        if (models::isAdaptiveCheckpoint(std::vector<std::uint8_t>(head.begin(), head.end()))) {
          auto loaded = loadAdaptive(p.weightsPath);
          if (!loaded) return loaded.error();
          adaptiveLabels.insert(generators.size());
          generators.push_back(std::move(*loaded));
          continue;
        }
      }
    }
    if (p.weightsBytes) {
      auto loaded = models::NetSpatialGenerator::load(*p.weightsBytes, engine);
      if (!loaded) return toCoreError(loaded.error(), QStringLiteral("cannot load the checkpoint of %1").arg(p.name), {p.weightsPath});
      generators.push_back(std::move(*loaded));
      continue;
    }
    auto created = createGenerator(p.id, p.weightsPath, engine);
    if (!created) return created.error();
    generators.push_back(std::move(*created));
  }

  // Loading is the slow part of small evaluations: 40 % of the bar.
  QStringList paths = o.trainPaths;
  if (!o.testPath.isEmpty()) paths << o.testPath;
  std::vector<City> cities;
  for (qsizetype i = 0; i < paths.size(); ++i) {
    auto c = loadCity(paths[i], o.window, o.requireCompleteSeries, feedback, 0.4 * double(i) / double(paths.size()),
                      0.4 * double(i + 1) / double(paths.size()));
    if (!c) return c.error();
    cities.push_back(std::move(*c));
  }

  EvaluationReport report;
  std::vector<SiteRef> train, test;
  if (o.testPath.isEmpty()) {
    int blocks = 0;
    auto split = blockSplit(cities[0], o, &blocks);
    if (!split) return split.error();
    std::tie(train, test) = std::move(*split);
    report.split = QStringLiteral("held-out sites of %1: %2 % of sites by %3 m × %3 m blocks (%4 blocks), split seed %5")
                       .arg(QFileInfo(cities[0].path).fileName())
                       .arg(fmt(o.holdoutFraction * 100.0, 0))
                       .arg(fmt(o.groupSize, 0))
                       .arg(blocks)
                       .arg(o.splitSeed);
  } else {
    QStringList names;
    for (std::size_t c = 0; c + 1 < cities.size(); ++c) {
      names << QFileInfo(cities[c].path).fileName();
      for (std::size_t i = 0; i < cities[c].siteIds.size(); ++i) train.push_back({c, i});
    }
    const std::size_t t = cities.size() - 1;
    for (std::size_t i = 0; i < cities[t].siteIds.size(); ++i) test.push_back({t, i});
    report.split = QStringLiteral("zero-shot by city: train on %1, test on %2")
                       .arg(names.join(QStringLiteral(" + ")), QFileInfo(cities[t].path).fileName());
  }
  report.trainSites = int(train.size());
  report.splitTrainSites = report.trainSites;
  report.testSites = int(test.size());
  report.trafficUnit = cities.back().scenario.metadata.trafficUnit;

  // Metric normalisation: min–max over every real series used (train ∪ test), as the papers do.
  double lo = std::numeric_limits<double>::infinity(), hi = -lo, trainMax = 0.0;
  for (const auto& refs : {&train, &test})
    for (const SiteRef& r : *refs)
      for (float v : cities[r.city].series[r.index]) {
        lo = std::min(lo, double(v));
        hi = std::max(hi, double(v));
        if (refs == &train) trainMax = std::max(trainMax, double(v));
      }
  if (!(hi > lo)) return Error(ErrorCode::InvalidValue, QStringLiteral("every real value is the same (%1): nothing to normalise").arg(lo));
  report.normalisationMin = lo;
  report.normalisationMax = hi;
  // A caller's subset of the training sites (the sweep) changes what is fitted on, never the
  // scale the metrics are computed on: that was set above, over every site of the split.
  if (o.keepTrainingSite) {
    std::erase_if(train, [&](const SiteRef& r) { return !o.keepTrainingSite(cities[r.city].siteIds[r.index]); });
    if (train.empty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("the subset of training sites is empty"));
    report.trainSites = int(train.size());
    trainMax = 0.0;
    for (const SiteRef& r : train)
      for (float v : cities[r.city].series[r.index]) trainMax = std::max(trainMax, double(v));
  }
  // Generators learn on series divided by the training maximum (zero stays zero); the test set's
  // scale is never shown to them.
  const double scale = trainMax > 0.0 ? trainMax : 1.0;

  // Contexts, per city in one pass each.
  std::vector<models::TrainingSite> trainingSites;
  std::vector<models::ModelContext> testContexts;
  std::vector<std::map<std::size_t, core::SiteContext>> contextByCity(cities.size());
  for (std::size_t c = 0; c < cities.size(); ++c) {
    std::vector<QString> wantedIds;
    std::vector<std::size_t> wantedIdx;
    for (const auto& refs : {&train, &test})
      for (const SiteRef& r : *refs)
        if (r.city == c) {
          wantedIds.push_back(cities[c].siteIds[r.index]);
          wantedIdx.push_back(r.index);
        }
    auto contexts = extractContexts(cities[c].scenario, wantedIds);
    if (!contexts) return contexts.error();
    for (std::size_t k = 0; k < wantedIdx.size(); ++k) contextByCity[c].emplace(wantedIdx[k], std::move((*contexts)[k]));
    if (feedback) feedback->setProgress(0.4 + 0.1 * double(c + 1) / double(cities.size()), QStringLiteral("Site contexts"));
  }
  for (const SiteRef& r : train) {
    models::TrainingSite t;
    t.context = toModelContext(contextByCity[r.city].at(r.index));
    t.series = cities[r.city].series[r.index];
    for (float& v : t.series) v = float(double(v) / scale);
    trainingSites.push_back(std::move(t));
  }
  // The test city's every site (ADAPTIVE's target graph): the held-out split's one city, or the
  // test scenario's.
  std::vector<models::ModelContext> testCityContexts;
  {
    const std::size_t testCity = test.empty() ? 0 : test.front().city;
    for (const auto& [index, context] : contextByCity[testCity]) testCityContexts.push_back(toModelContext(context));
  }
  TrafficSet real;
  for (const SiteRef& r : test) {
    testContexts.push_back(toModelContext(contextByCity[r.city].at(r.index)));
    std::vector<float> s = cities[r.city].series[r.index];
    for (float& v : s) v = float((double(v) - lo) / (hi - lo));
    real.push_back(std::move(s));
  }

  models::Normalisation normalisation{scale, report.trafficUnit.toStdString()};
  QStringList generatorNotes;
  for (std::size_t g = 0; g < plan.size(); ++g) {
    if (feedback && feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("evaluation cancelled"));
    if (feedback) feedback->setProgress(0.5 + 0.5 * double(g) / double(plan.size()), plan[g].name);
    // Fitting (when it happens) takes most of a generator's share; the model reports both.
    Feedback generatorFeedback = Feedback::childOf(feedback, 0.5 + 0.5 * double(g) / double(plan.size()),
                                                   0.5 + 0.5 * double(g + 1) / double(plan.size()), plan[g].name);
    Feedback fitFeedback = generatorFeedback.child(0.0, 0.8);
    Feedback generateFeedback = generatorFeedback.child(0.8, 1.0);
    const std::unique_ptr<models::Generator>& generator = generators[g];
    EvaluationRow row;
    row.generator = adaptiveLabels.count(g) ? QStringLiteral("%1_%2").arg(QLatin1String(kAdaptiveId), plan[g].label) : plan[g].name;
    row.displayName = QString::fromStdString(generator->displayName());
    if (!plan[g].label.isEmpty()) row.displayName += QStringLiteral(" (%1)").arg(plan[g].label);
    QElapsedTimer timer;
    timer.start();
    // Generated values are in the generator's normalisation: the run's training maximum for the
    // generators fitted here, the checkpoint's own scale for pre-trained ones (never refitted: the
    // embedded weights are what the app ships, and what is evaluated).
    double outputScale = scale;
    QString note;
    if (generator->isFitted()) {
      row.pretrainedFrom = plan[g].weightsBytes            ? plan[g].weightsPath
                           : plan[g].weightsPath.isEmpty() ? QStringLiteral("embedded weights")
                                                           : QStringLiteral("weights %1").arg(QFileInfo(plan[g].weightsPath).fileName());
      const models::Normalisation own = generator->normalisation();
      outputScale = own.scale;
      const QString unit = QString::fromStdString(own.unit);
      note = QStringLiteral("%1: pretrained (%2), not refitted; weights SHA-256 %3; output × %4 %5 (the model's own normalisation)")
                 .arg(row.generator, row.pretrainedFrom, QString::fromStdString(generator->weightsSha256()),
                      QString::number(own.scale, 'g', 6), unit);
      if (!unit.isEmpty() && !report.trafficUnit.isEmpty() && unit != report.trafficUnit)
        note += QStringLiteral(" — its unit differs from the scenario's (%1)").arg(report.trafficUnit);
    } else {
      const models::ModelStatus fitted =
          generator->fit(trainingSites, normalisation, o.seed, modelProgress(feedback ? &fitFeedback : nullptr));
      if (!fitted) return toCoreError(fitted.error(), row.generator);
      row.fitSeconds = double(timer.nsecsElapsed()) * 1e-9;
      note = QStringLiteral("%1: fitted in %2 s, state SHA-256 %3")
                 .arg(row.generator, fmt(row.fitSeconds, 3), QString::fromStdString(generator->weightsSha256()));
    }
    generatorNotes << note;
    // ADAPTIVE adapts to the test city first: its graph is every site of that city with a context
    // (held-out and training sites alike; no traffic is read), as a planner's scenario would be.
    if (const auto* adaptive = dynamic_cast<const models::AdaptiveGenerator*>(generator.get())) {
      timer.restart();
      Feedback adaptFeedback = generatorFeedback.child(0.0, 0.8);
      if (auto adapted = adaptive->adapt(testCityContexts, modelProgress(feedback ? &adaptFeedback : nullptr)); !adapted)
        return toCoreError(adapted.error(), row.generator);
      generatorNotes << QStringLiteral("%1: adapted to the test city's %2 sites in %3 s (knowledge graph, TuckER fold-in, target GCN)")
                            .arg(row.generator)
                            .arg(testCityContexts.size())
                            .arg(fmt(double(timer.nsecsElapsed()) * 1e-9, 1));
      if (o.probe) {
        auto probe = adaptive->probe(testContexts, real);
        if (!probe) return toCoreError(probe.error(), row.generator);
        QStringList parts;
        for (const auto& a : probe->alignment) parts << QStringLiteral("%1 %2").arg(QString::fromStdString(a.variant), fmt(a.accuracy, 3));
        generatorNotes << QStringLiteral(
                              "%1: alignment probe, accuracy of the nearest cluster centre against the true traffic cluster on %2 "
                              "sites: %3; POI head KL %4 (city-mean POI distribution %5)")
                              .arg(row.generator)
                              .arg(probe->sites)
                              .arg(parts.join(QStringLiteral(", ")))
                              .arg(fmt(probe->alignment.front().poiKl, 4), fmt(probe->cityMeanKl, 4));
        report.adaptiveProbes.push_back({row.generator, std::move(*probe)});
      }
    }
    timer.restart();
    auto batch =
        generator->generate(testContexts, o.samples, o.seed, models::Device::Cpu, modelProgress(feedback ? &generateFeedback : nullptr));
    const double generateSeconds = double(timer.nsecsElapsed()) * 1e-9;
    if (!batch) return toCoreError(batch.error(), row.generator);
    row.secondsPerSequence = generateSeconds / double(std::max(1, batch->sites * batch->samples));
    row.weightsSha256 = QString::fromStdString(generator->weightsSha256());
    TrafficEnsemble ensemble(std::size_t(batch->sites));
    for (int s = 0; s < batch->sites; ++s) {
      ensemble[std::size_t(s)].resize(std::size_t(batch->samples));
      for (int k = 0; k < batch->samples; ++k) {
        auto& out = ensemble[std::size_t(s)][std::size_t(k)];
        out.resize(std::size_t(batch->hours));
        for (int t = 0; t < batch->hours; ++t) out[std::size_t(t)] = float((double(batch->at(s, k, t)) * outputScale - lo) / (hi - lo));
      }
    }
    auto table = evaluateAll(real, ensemble);
    if (!table) return table.error();
    row.metrics = std::move(*table);
    if (o.probe) {
      if (const auto* netspatial = dynamic_cast<const models::NetSpatialGenerator*>(generator.get())) {
        auto probe = probeEmbedding(*netspatial, trainingSites, testContexts, real, o.seed);
        if (!probe) return Error(probe.error().code(), QStringLiteral("%1: %2").arg(row.generator, probe.error().message()));
        probe->generator = row.generator;
        generatorNotes << QStringLiteral(
                              "%1: linear probe C → zone class: accuracy %2 on %3 test sites (majority class %4; fitted on %5 "
                              "training-site embeddings; sites outside zones skipped)")
                              .arg(row.generator, fmt(probe->accuracy, 3))
                              .arg(probe->testSites)
                              .arg(fmt(probe->majorityShare, 3))
                              .arg(probe->trainSites);
        report.probes.push_back(std::move(*probe));
      }
    }
    report.rows.push_back(std::move(row));
  }

  report.provenance << QStringLiteral("Split: %1").arg(report.split);
  report.provenance << QStringLiteral("Sites: %1 training, %2 test (each with a complete 28-day window %3, Monday 00:00 local)")
                           .arg(report.trainSites)
                           .arg(report.testSites)
                           .arg(o.window);
  if (report.trainSites != report.splitTrainSites)
    report.provenance << QStringLiteral(
                             "Training subset: %1 of the split's %2 training sites (metrics still normalised over all its sites)")
                             .arg(report.trainSites)
                             .arg(report.splitTrainSites);
  for (const City& c : cities)
    report.provenance << QStringLiteral("%1: %2 eligible sites, %3 with a gap in the %4 left out; time zone %5")
                             .arg(QFileInfo(c.path).fileName())
                             .arg(c.siteIds.size())
                             .arg(c.incomplete)
                             .arg(o.requireCompleteSeries ? QStringLiteral("observed series") : QStringLiteral("window"))
                             .arg(c.scenario.metadata.timeZone);
  report.provenance << QStringLiteral("Samples per site: %1; generation seed %2").arg(o.samples).arg(o.seed);
  report.provenance << QStringLiteral("Metrics on (x − %1) / (%2 − %1) %3, min–max over all real series used")
                           .arg(fmt(lo, 4), fmt(hi, 4), report.trafficUnit);
  report.provenance << generatorNotes;
  if (feedback) feedback->setProgress(1.0, QStringLiteral("Done"));
  return report;
}

QString evaluationCsv(const EvaluationReport& report) {
  QString out = QStringLiteral("generator");
  for (const QString& name : MetricTable::names()) out += QLatin1Char(',') + name;
  out += QStringLiteral(",seconds_per_sequence\n");
  for (const EvaluationRow& r : report.rows) {
    out += r.generator;
    for (const QString& name : MetricTable::names()) {
      const double v = r.metrics.value(name);
      out += QLatin1Char(',') + (std::isnan(v) ? QString() : QString::number(v, 'g', 9));
    }
    out += QLatin1Char(',') + QString::number(r.secondsPerSequence, 'g', 6) + QLatin1Char('\n');
  }
  return out;
}

QString evaluationMarkdown(const EvaluationReport& report) {
  QString out;
  for (const QString& line : report.provenance) out += QStringLiteral("- %1\n").arg(line);
  out += QStringLiteral("\n| generator |");
  for (const QString& name : MetricTable::names()) out += QStringLiteral(" %1 |").arg(name);
  out += QStringLiteral(" seconds_per_sequence |\n|---|");
  for (std::size_t i = 0; i <= MetricTable::names().size(); ++i) out += QStringLiteral("---:|");
  out += QLatin1Char('\n');
  for (const EvaluationRow& r : report.rows) {
    out += QStringLiteral("| %1 |").arg(r.generator);
    for (const QString& name : MetricTable::names()) {
      const double v = r.metrics.value(name);
      out += QStringLiteral(" %1 |").arg(std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'g', 3));
    }
    out += QStringLiteral(" %1 |\n").arg(QString::number(r.secondsPerSequence, 'g', 3));
  }
  if (!report.probes.empty()) {
    out += QStringLiteral(
        "\nLinear probe of the NetSpatial embedding C → zone class (fitted on training sites, scored on test sites), "
        "and the position encoder's peak hour h* against each test site's real weekday peak:\n\n"
        "| generator | probe_accuracy | majority_class_share | train_sites | test_sites | peak_classifier_acc |\n"
        "|---|---:|---:|---:|---:|---:|\n");
    for (const ProbeResult& p : report.probes)
      out += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |\n")
                 .arg(p.generator, QString::number(p.accuracy, 'g', 3), QString::number(p.majorityShare, 'g', 3))
                 .arg(p.trainSites)
                 .arg(p.testSites)
                 .arg(std::isnan(p.peakClassifierAccuracy) ? QStringLiteral("–") : QString::number(p.peakClassifierAccuracy, 'g', 3));
  }
  return out;
}

}  // namespace netspatial::app
