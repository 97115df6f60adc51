#include "app/common/evaluation.h"

#include "app/common/modelcontext.h"
#include "core/context/sitecontext.h"
#include "core/scenario/scenariostore.h"
#include "core/traffic/hourlyseries.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QLocale>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>

namespace netspatial::app {

using namespace netspatial::core;

namespace {

struct City {
  QString path;
  Scenario scenario;
  std::vector<QString> siteIds;              //!< eligible sites, sorted
  std::vector<std::vector<float>> series;    //!< their window, physical units
  int incomplete = 0;                        //!< sites with traffic whose window has a gap
};

Result<City> loadCity(const QString& path, int window, bool requireCompleteSeries, Feedback* feedback, double from, double to) {
  ScopedFeedback scoped(feedback, from, to);
  if (scoped.isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("evaluation cancelled"));
  scoped.setProgress(0.0, QStringLiteral("Loading %1").arg(QFileInfo(path).fileName()));
  auto loaded = loadScenario(path);
  if (!loaded) return loaded.error();
  City city;
  city.path = path;
  city.scenario = std::move(*loaded);
  const HourlyTraffic& traffic = city.scenario.trafficObserved;
  if (traffic.isEmpty())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("%1 has no observed traffic to evaluate on").arg(path), {path});
  for (const auto& [site, values] : traffic.valuesBySite) {
    HourlySeries s;
    s.start = traffic.start;
    s.timeZone = city.scenario.metadata.timeZone;
    s.values = values;
    auto w = mondayAlignedWindow(s, window);
    if (!w) return Error(w.error().code(), QStringLiteral("%1: %2").arg(path, w.error().message()), {path});
    if (w->missingCount() > 0 || (requireCompleteSeries && s.missingCount() > 0)) {
      ++city.incomplete;
      continue;
    }
    city.siteIds.push_back(site);
    city.series.push_back(std::move(w->values));
  }
  if (city.siteIds.empty())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: no site has a complete 28-day window %2").arg(path).arg(window), {path});
  scoped.setProgress(1.0);
  return city;
}

struct SiteRef {
  std::size_t city = 0;
  std::size_t index = 0;
};

Result<std::pair<std::vector<SiteRef>, std::vector<SiteRef>>> blockSplit(const City& city, const EvaluationOptions& o,
                                                                        int* blockCount) {
  std::vector<PointXY> positions;
  for (const QString& id : city.siteIds) {
    const auto p = sitePosition(city.scenario, id);
    if (!p) return Error(ErrorCode::InvalidValue, QStringLiteral("site '%1' has traffic but no position").arg(id));
    positions.push_back(*p);
  }
  const std::vector<bool> heldOut = heldOutByBlocks(positions, o.holdoutFraction, o.groupSize, o.splitSeed, blockCount);
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

}  // namespace

// Held-out sites by square blocks: neighbours share a block, so a test site's neighbour is never
// in training (spatial leakage would flatter context-copying methods).
std::vector<bool> heldOutByBlocks(const std::vector<PointXY>& positions, double fraction, double groupSize, quint64 seed, int* blockCount) {
  std::map<std::pair<long long, long long>, std::vector<std::size_t>> blocks;
  for (std::size_t i = 0; i < positions.size(); ++i)
    blocks[{static_cast<long long>(std::floor(positions[i].x / groupSize)), static_cast<long long>(std::floor(positions[i].y / groupSize))}]
        .push_back(i);
  std::vector<const std::vector<std::size_t>*> order;
  for (const auto& [key, members] : blocks) order.push_back(&members);
  // Fisher–Yates on the raw mt19937_64 stream: portable, unlike std::shuffle's distribution.
  std::mt19937_64 rng(seed);
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[std::size_t(rng() % i)]);
  const auto wanted = std::size_t(std::ceil(fraction * double(positions.size())));
  std::vector<bool> heldOut(positions.size(), false);
  std::size_t taken = 0;
  for (const auto* members : order) {
    if (taken >= wanted) break;
    for (std::size_t i : *members) heldOut[i] = true;
    taken += members->size();
  }
  if (blockCount) *blockCount = int(blocks.size());
  return heldOut;
}

Result<EvaluationReport> runEvaluation(const EvaluationOptions& o, Feedback* feedback) {
  if (o.trainPaths.isEmpty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("no training scenario given"));
  if (o.samples < 1) return Error(ErrorCode::InvalidArgument, QStringLiteral("samples must be at least 1"));
  if (o.testPath.isEmpty() && (o.holdoutFraction <= 0.0 || o.holdoutFraction >= 1.0))
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the held-out fraction must be in (0, 1)"));
  if (o.testPath.isEmpty() && o.trainPaths.size() != 1)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("a held-out split works within one scenario; give --test for several"));
  std::vector<std::string> ids = o.generators.empty() ? models::generatorIds() : o.generators;
  for (const std::string& id : ids)
    if (!models::createGenerator(id))
      return Error(ErrorCode::InvalidArgument, QStringLiteral("unknown generator '%1' (known: %2)")
                                                   .arg(QString::fromStdString(id), QString::fromStdString([] {
                                                          std::string all;
                                                          for (const auto& g : models::generatorIds()) all += (all.empty() ? "" : ", ") + g;
                                                          return all;
                                                        }())));

  // Loading is the slow part of small evaluations: 40 % of the bar.
  QStringList paths = o.trainPaths;
  if (!o.testPath.isEmpty()) paths << o.testPath;
  std::vector<City> cities;
  for (qsizetype i = 0; i < paths.size(); ++i) {
    auto c = loadCity(paths[i], o.window, o.requireCompleteSeries, feedback, 0.4 * double(i) / double(paths.size()), 0.4 * double(i + 1) / double(paths.size()));
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
    report.split = QStringLiteral("zero-shot by city: train on %1, test on %2").arg(names.join(QStringLiteral(" + ")), QFileInfo(cities[t].path).fileName());
  }
  report.trainSites = int(train.size());
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
  TrafficSet real;
  for (const SiteRef& r : test) {
    testContexts.push_back(toModelContext(contextByCity[r.city].at(r.index)));
    std::vector<float> s = cities[r.city].series[r.index];
    for (float& v : s) v = float((double(v) - lo) / (hi - lo));
    real.push_back(std::move(s));
  }

  models::Normalisation normalisation{scale, report.trafficUnit.toStdString()};
  for (std::size_t g = 0; g < ids.size(); ++g) {
    if (feedback && feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("evaluation cancelled"));
    if (feedback) feedback->setProgress(0.5 + 0.5 * double(g) / double(ids.size()), QString::fromStdString(ids[g]));
    auto generator = models::createGenerator(ids[g]);
    EvaluationRow row;
    row.generator = QString::fromStdString(generator->id());
    row.displayName = QString::fromStdString(generator->displayName());
    QElapsedTimer timer;
    timer.start();
    const models::ModelStatus fitted = generator->fit(trainingSites, normalisation, o.seed);
    if (!fitted) return Error(ErrorCode::Internal, QStringLiteral("%1: %2").arg(row.generator, QString::fromStdString(fitted.error().message)));
    row.fitSeconds = double(timer.nsecsElapsed()) * 1e-9;
    timer.restart();
    auto batch = generator->generate(testContexts, o.samples, o.seed, models::Device::Cpu);
    const double generateSeconds = double(timer.nsecsElapsed()) * 1e-9;
    if (!batch) return Error(ErrorCode::Internal, QStringLiteral("%1: %2").arg(row.generator, QString::fromStdString(batch.error().message)));
    row.secondsPerSequence = generateSeconds / double(std::max(1, batch->sites * batch->samples));
    row.weightsSha256 = QString::fromStdString(generator->weightsSha256());
    TrafficEnsemble ensemble(std::size_t(batch->sites));
    for (int s = 0; s < batch->sites; ++s) {
      ensemble[std::size_t(s)].resize(std::size_t(batch->samples));
      for (int k = 0; k < batch->samples; ++k) {
        auto& out = ensemble[std::size_t(s)][std::size_t(k)];
        out.resize(std::size_t(batch->hours));
        for (int t = 0; t < batch->hours; ++t) out[std::size_t(t)] = float((double(batch->at(s, k, t)) * scale - lo) / (hi - lo));
      }
    }
    auto table = evaluateAll(real, ensemble);
    if (!table) return table.error();
    row.metrics = std::move(*table);
    report.rows.push_back(std::move(row));
  }

  report.provenance << QStringLiteral("Split: %1").arg(report.split);
  report.provenance << QStringLiteral("Sites: %1 training, %2 test (each with a complete 28-day window %3, Monday 00:00 local)")
                           .arg(report.trainSites)
                           .arg(report.testSites)
                           .arg(o.window);
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
  for (const EvaluationRow& r : report.rows)
    report.provenance << QStringLiteral("%1: fitted in %2 s, state SHA-256 %3").arg(r.generator, fmt(r.fitSeconds, 3), r.weightsSha256);
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
  return out;
}

}  // namespace netspatial::app
