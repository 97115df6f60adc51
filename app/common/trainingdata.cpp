#include "app/common/trainingdata.h"

#include "app/common/modelcontext.h"
#include "core/context/sitecontext.h"
#include "core/sim/citysimulator.h"
#include "core/scenario/scenariostore.h"
#include "core/traffic/hourlyseries.h"
#include "core/util/filehash.h"

#include <QFileInfo>

#include <QLocale>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

namespace netspatial::app {

using namespace netspatial::core;

namespace {

constexpr std::size_t kWeekHours = 168;

Error cancelled() { return Error(ErrorCode::Cancelled, QStringLiteral("building the training data was cancelled")); }

struct CityResult {
  TrainingCitySummary summary;
  QString unit;
  std::vector<models::NetSpatialTrainingSite> sites;  //!< series still in physical units
};

Result<CityResult> loadCity(const CitySpec& spec, Feedback* feedback, double from, double to, bool wallClockHours) {
  auto preset = cityPreset(spec.preset);
  if (!preset) return preset.error();
  const QString prefix = QStringLiteral("%1: ").arg(spec.label());
  // Simulation is most of a city's cost; contexts (image patches, POI queries) the rest.
  const double split = from + 0.8 * (to - from);
  Scenario scenario;
  {
    Feedback sub = Feedback::childOf(feedback, from, split, spec.label());
    sub.setProgress(0.0, QStringLiteral("simulating"));
    auto simulated = simulateCity(*preset, spec.seed, feedback ? &sub : nullptr);
    if (sub.isCancelled()) return cancelled();
    if (!simulated) return Error(simulated.error().code(), prefix + simulated.error().message(), simulated.error().context());
    scenario = std::move(*simulated);
  }

  CityResult city;
  city.summary.city = spec;
  city.unit = scenario.metadata.trafficUnit;
  for (const RunRecord& run : scenario.runs)
    if (run.kind == QLatin1String("simulate"))
      city.summary.trafficSha256 = run.dataHashes.value(QStringLiteral("traffic_observed")).toString();
  const HourlyTraffic& traffic = scenario.trafficObserved;
  std::vector<QString> ids;
  std::vector<std::vector<float>> series;
  // Wall-clock hours (hourlyseries.h): every station of a city shares one time axis, so the map
  // from local hours to stored UTC hours is built once.
  std::optional<std::size_t> mappedFirst;
  std::vector<std::size_t> wallClock;
  for (const auto& [id, values] : traffic.valuesBySite) {
    HourlySeries s;
    s.start = traffic.start;
    s.timeZone = scenario.metadata.timeZone;
    s.values = values;
    auto first = firstLocalMondayMidnight(s);
    // A station is kept whole or not at all: a gap would need the model to learn imputation, and
    // whole weeks from Monday 00:00 are what the 28-day windows are cut from.
    const std::size_t available = first ? (values.size() - std::min(values.size(), *first)) : 0;
    std::size_t hours = available / kWeekHours * kWeekHours;
    if (first && mappedFirst != *first) {
      if (wallClockHours) {
        auto map = localWallClockIndices(s, *first, hours);
        wallClock = map ? std::move(*map) : std::vector<std::size_t>{};
      } else {
        wallClock.resize(hours);
        std::iota(wallClock.begin(), wallClock.end(), *first);
      }
      mappedFirst = *first;
    }
    // An autumn change can push the last local week past the stored hours.
    while (hours >= kWeekHours && (wallClock.size() < hours || wallClock[hours - 1] >= values.size())) hours -= kWeekHours;
    if (!first || hours < std::size_t(models::kSequenceHours)) {
      ++city.summary.droppedStations;
      continue;
    }
    std::vector<float> kept(hours);
    for (std::size_t j = 0; j < hours; ++j) kept[j] = values[wallClock[j]];
    if (std::any_of(kept.begin(), kept.end(), [](float v) { return !std::isfinite(v) || v < 0.0f; })) {
      ++city.summary.droppedStations;
      continue;
    }
    if (city.summary.hours == 0) {
      city.summary.hours = int(hours);
      const QTimeZone zone(s.timeZone.toUtf8());
      const QDateTime start = s.hourAt(*first);
      city.summary.seriesStart = zone.isValid() ? start.toTimeZone(zone).toString(QStringLiteral("yyyy-MM-dd HH:mm ")) + s.timeZone
                                                : start.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    } else if (int(hours) != city.summary.hours) {
      // All stations of one simulated city share one time axis; keep them equally long anyway so
      // the provenance's "hours" is true for every site.
      ++city.summary.droppedStations;
      continue;
    }
    for (float v : kept) city.summary.maxValue = std::max(city.summary.maxValue, double(v));
    ids.push_back(id);
    series.push_back(std::move(kept));
  }
  if (ids.empty())
    return Error(ErrorCode::InvalidValue,
                 prefix + QStringLiteral("no station has a complete series of at least %1 hours from a local Monday 00:00 "
                                         "(%2 stations dropped)")
                              .arg(models::kSequenceHours)
                              .arg(city.summary.droppedStations));

  Feedback sub = Feedback::childOf(feedback, split, to, spec.label());
  sub.setProgress(0.0, QStringLiteral("site contexts"));
  auto contexts = extractContexts(scenario, ids, {}, feedback ? &sub : nullptr);
  if (sub.isCancelled()) return cancelled();
  if (!contexts) return Error(contexts.error().code(), prefix + contexts.error().message(), contexts.error().context());
  city.sites.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    models::NetSpatialTrainingSite site{toModelContext((*contexts)[i]), std::move(series[i])};
    // The image encoder's "nearest by distance" positive (paper 001 §3.2.1) needs positions.
    if (const auto p = sitePosition(scenario, ids[i])) {
      site.hasPosition = true;
      site.x = p->x;
      site.y = p->y;
    }
    city.sites.push_back(std::move(site));
  }
  city.summary.stations = int(ids.size());
  return city;
}

QString fmt(double v, int decimals) { return QLocale::c().toString(v, 'f', decimals); }

struct ScenarioResult {
  TrainingScenarioSummary summary;
  std::vector<models::NetSpatialTrainingSite> sites;  //!< series still in physical units
};

//! An error about a recipe's scenario entry: "line 12: [data] scenario 1 (milan.gpkg): …".
Error entryError(const ScenarioSpec& spec, int index, const QString& message, ErrorCode code = ErrorCode::InvalidValue) {
  const QString text = QStringLiteral("[data] %1: %2").arg(spec.label(index), message);
  const QString where = spec.recipePath.isEmpty() ? spec.path : spec.recipePath;
  return spec.line > 0 ? Error(code, QStringLiteral("line %1: %2").arg(spec.line).arg(text), {where}) : Error(code, text, {where});
}

//! The longest run of whole weeks of `values` with no missing or negative hour: [begin, end) in hours.
std::pair<std::size_t, std::size_t> longestCompleteWeeks(const std::vector<float>& values) {
  std::size_t bestBegin = 0, bestWeeks = 0, runBegin = 0, runWeeks = 0;
  for (std::size_t w = 0; w < values.size() / kWeekHours; ++w) {
    const auto first = values.begin() + std::ptrdiff_t(w * kWeekHours);
    const bool complete = std::all_of(first, first + std::ptrdiff_t(kWeekHours), [](float v) { return std::isfinite(v) && v >= 0.0f; });
    if (!complete) {
      runWeeks = 0;
      continue;
    }
    if (runWeeks == 0) runBegin = w;
    if (++runWeeks > bestWeeks) {
      bestWeeks = runWeeks;
      bestBegin = runBegin;
    }
  }
  return {bestBegin * kWeekHours, (bestBegin + bestWeeks) * kWeekHours};
}

Result<ScenarioResult> loadScenarioSource(const ScenarioSpec& spec, int index, const TrainingSources& sources, Feedback* feedback,
                                          double from, double to, bool wallClockHours) {
  const QString file = QFileInfo(spec.path).fileName();
  const double split = from + 0.5 * (to - from);  // loading, then contexts
  Feedback sub = Feedback::childOf(feedback, from, split, file);
  sub.setProgress(0.0, QStringLiteral("loading %1").arg(file));
  ScenarioResult result;
  result.summary.spec = spec;
  auto sha = fileSha256(spec.path);
  if (!sha) return entryError(spec, index, sha.error().message(), sha.error().code());
  result.summary.sha256 = *sha;
  auto loaded = loadScenario(spec.path, feedback ? &sub : nullptr);
  if (sub.isCancelled()) return cancelled();
  if (!loaded) return entryError(spec, index, loaded.error().message(), loaded.error().code());
  const Scenario& scenario = *loaded;
  result.summary.unit = scenario.metadata.trafficUnit;
  // The recipe states the unit so that nobody trains (and ships) a model in a unit they did not
  // mean: the checkpoint's normalisation carries it into every generated series.
  if (spec.unit != scenario.metadata.trafficUnit)
    return entryError(
        spec, index,
        scenario.metadata.trafficUnit.isEmpty()
            ? QStringLiteral("unit = \"%1\", but the scenario states no traffic unit").arg(spec.unit)
            : QStringLiteral("unit = \"%1\" is not the scenario's traffic unit \"%2\"").arg(spec.unit, scenario.metadata.trafficUnit));
  const HourlyTraffic& traffic = scenario.trafficObserved;
  if (traffic.isEmpty()) return entryError(spec, index, QStringLiteral("the scenario has no observed traffic to train on"));
  result.summary.sitesWithTraffic = int(traffic.valuesBySite->size());

  // The evaluation harness's own eligibility and split (heldoutsplit.h): the held-out sites here
  // are the test sites of `netspatial evaluate` with the same parameters.
  auto eligible = eligibleSites(scenario, spec.eligibility, file);
  if (!eligible) return entryError(spec, index, eligible.error().message(), eligible.error().code());
  result.summary.eligibleSites = int(eligible->ids.size());
  auto blocks = splitByBlocks(scenario, eligible->ids, spec.holdout, spec.groupSize, spec.splitSeed);
  if (!blocks) return entryError(spec, index, blocks.error().message(), blocks.error().code());
  result.summary.blocks = blocks->blocks;
  std::vector<QString> candidates;
  for (std::size_t i = 0; i < eligible->ids.size(); ++i) {
    if (blocks->heldOut[i])
      result.summary.heldOutSiteIds.push_back(eligible->ids[i]);
    else if (sources.keepScenarioSite && !sources.keepScenarioSite(spec, eligible->ids[i]))
      result.summary.unselectedSiteIds.push_back(eligible->ids[i]);
    else
      candidates.push_back(eligible->ids[i]);
  }

  // Every site shares the scenario's time axis: one map from local hours to stored hours.
  HourlySeries axis;
  axis.start = traffic.start;
  axis.timeZone = scenario.metadata.timeZone;
  axis.values.assign(traffic.hours(), 0.0f);
  auto first = firstLocalMondayMidnight(axis);
  std::vector<std::size_t> hourMap;
  if (first) {
    std::size_t hours = (axis.values.size() - std::min(axis.values.size(), *first)) / kWeekHours * kWeekHours;
    if (wallClockHours) {
      auto map = localWallClockIndices(axis, *first, hours);
      if (map) hourMap = std::move(*map);
    } else {
      hourMap.resize(hours);
      std::iota(hourMap.begin(), hourMap.end(), *first);
    }
    // An autumn change can push the last local week past the stored hours.
    while (hourMap.size() >= kWeekHours && hourMap.back() >= axis.values.size()) hourMap.resize(hourMap.size() - kWeekHours);
    const QTimeZone zone(axis.timeZone.toUtf8());
    const QDateTime start = axis.hourAt(*first);
    result.summary.seriesStart = zone.isValid() ? start.toTimeZone(zone).toString(QStringLiteral("yyyy-MM-dd HH:mm ")) + axis.timeZone
                                                : start.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
  }

  std::vector<QString> ids;
  std::vector<std::vector<float>> series;
  for (const QString& id : candidates) {
    const std::vector<float>& values = traffic.valuesBySite->at(id);
    std::vector<float> mapped(hourMap.size());
    for (std::size_t j = 0; j < hourMap.size(); ++j) mapped[j] = hourMap[j] < values.size() ? values[hourMap[j]] : NAN;
    // A truncated series keeps its longest complete run of whole weeks (still Monday-aligned):
    // windows with a missing hour would ask the model to learn the gaps.
    const auto [begin, end] = longestCompleteWeeks(mapped);
    if (end - begin < std::size_t(models::kSequenceHours)) {
      result.summary.droppedSiteIds.push_back(id);
      continue;
    }
    if (end - begin < mapped.size()) ++result.summary.shortenedSites;
    std::vector<float> kept(mapped.begin() + std::ptrdiff_t(begin), mapped.begin() + std::ptrdiff_t(end));
    for (float v : kept) result.summary.maxValue = std::max(result.summary.maxValue, double(v));
    const int hours = int(kept.size());
    result.summary.minHours = ids.empty() ? hours : std::min(result.summary.minHours, hours);
    result.summary.maxHours = std::max(result.summary.maxHours, hours);
    ids.push_back(id);
    series.push_back(std::move(kept));
  }
  if (ids.empty())
    return entryError(spec, index,
                      QStringLiteral("no training site: %1 of %2 eligible sites are held out%3 and %4 have no 4 complete whole weeks")
                          .arg(result.summary.heldOutSiteIds.size())
                          .arg(result.summary.eligibleSites)
                          .arg(result.summary.unselectedSiteIds.empty()
                                   ? QString()
                                   : QStringLiteral(", %1 are not selected").arg(result.summary.unselectedSiteIds.size()))
                          .arg(result.summary.droppedSiteIds.size()));
  result.summary.trainingSiteIds = ids;

  Feedback contextFeedback = Feedback::childOf(feedback, split, to, file);
  contextFeedback.setProgress(0.0, QStringLiteral("site contexts"));
  auto contexts = extractContexts(scenario, ids, {}, feedback ? &contextFeedback : nullptr);
  if (contextFeedback.isCancelled()) return cancelled();
  if (!contexts) return entryError(spec, index, contexts.error().message(), contexts.error().code());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    models::NetSpatialTrainingSite site{toModelContext((*contexts)[i]), std::move(series[i])};
    if (const auto p = sitePosition(scenario, ids[i])) {
      site.hasPosition = true;
      site.x = p->x;
      site.y = p->y;
    }
    result.sites.push_back(std::move(site));
  }
  return result;
}

}  // namespace

QString ScenarioSpec::label(int index) const { return QStringLiteral("scenario %1 (%2)").arg(index).arg(QFileInfo(path).fileName()); }

Result<TrainingData> buildTrainingData(const std::vector<CitySpec>& cities, Feedback* feedback, bool wallClockHours) {
  return buildTrainingData(TrainingSources{cities, {}}, feedback, wallClockHours);
}

Result<TrainingData> buildTrainingData(const TrainingSources& sources, Feedback* feedback, bool wallClockHours) {
  const std::vector<CitySpec>& cities = sources.cities;
  const std::vector<ScenarioSpec>& scenarios = sources.scenarios;
  if (cities.empty() && scenarios.empty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("no training city or scenario given"));
  for (std::size_t i = 0; i < cities.size(); ++i) {
    auto preset = cityPreset(cities[i].preset);
    if (!preset) return Error(preset.error().code(), QStringLiteral("training city %1: %2").arg(i + 1).arg(preset.error().message()));
    for (std::size_t j = 0; j < i; ++j)
      if (cities[j] == cities[i])
        return Error(ErrorCode::InvalidArgument,
                     QStringLiteral("training city %1 (%2) repeats training city %3: the same preset and seed give the same city")
                         .arg(i + 1)
                         .arg(cities[i].label())
                         .arg(j + 1));
  }
  // Progress weights ∝ city area: simulation and context cost grow with the extent. A scenario
  // file only loads, so it counts as much as an average city.
  std::vector<double> weight;
  double total = 0.0;
  for (const CitySpec& c : cities) {
    const double side = cityPreset(c.preset)->sizeMetres;
    weight.push_back(side * side);
    total += side * side;
  }
  const double scenarioWeight = cities.empty() ? 1.0 : total / double(cities.size());
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    weight.push_back(scenarioWeight);
    total += scenarioWeight;
  }

  TrainingData data;
  std::vector<std::vector<models::NetSpatialTrainingSite>> perSource;
  QString unit, unitSource;
  const auto checkUnit = [&](const QString& sourceUnit, const QString& label) -> std::optional<Error> {
    if (unitSource.isEmpty()) {
      unit = sourceUnit;
      unitSource = label;
    } else if (sourceUnit != unit) {
      return Error(
          ErrorCode::InvalidValue,
          QStringLiteral("%1 has traffic in %2 but %3 in %4: one normalisation needs one unit").arg(label, sourceUnit, unitSource, unit));
    }
    return std::nullopt;
  };
  double done = 0.0;
  for (std::size_t i = 0; i < cities.size(); ++i) {
    if (feedback && feedback->isCancelled()) return cancelled();
    const double from = done / total;
    done += weight[i];
    auto city = loadCity(cities[i], feedback, from, done / total, wallClockHours);
    if (!city) return city.error();
    if (auto e = checkUnit(city->unit, cities[i].label())) return *e;
    data.cities.push_back(city->summary);
    perSource.push_back(std::move(city->sites));
  }
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    if (feedback && feedback->isCancelled()) return cancelled();
    const double from = done / total;
    done += weight[cities.size() + i];
    auto scenario = loadScenarioSource(scenarios[i], int(i + 1), sources, feedback, from, done / total, wallClockHours);
    if (!scenario) return scenario.error();
    // The reader refuses a file named twice; a copy under another name is caught by its bytes.
    for (std::size_t j = 0; j < data.scenarios.size(); ++j)
      if (data.scenarios[j].sha256 == scenario->summary.sha256)
        return entryError(scenarios[i], int(i + 1),
                          QStringLiteral("has the same bytes (SHA-256 %1) as %2: a scenario may be listed once, since a second split "
                                         "of its sites would train on the first one's held-out sites")
                              .arg(scenario->summary.sha256.left(12), scenarios[j].label(int(j + 1))),
                          ErrorCode::InvalidArgument);
    if (auto e = checkUnit(scenario->summary.unit, scenarios[i].label(int(i + 1)))) return *e;
    data.scenarios.push_back(std::move(scenario->summary));
    perSource.push_back(std::move(scenario->sites));
  }

  // One scale for all: the largest training value (zero stays zero), as the evaluation harness
  // does, so relative volumes between sites and cities survive normalisation. Only series that are
  // trained on count: a held-out site's scale is never seen, as in the harness.
  double scale = 0.0;
  for (const auto& c : data.cities) scale = std::max(scale, c.maxValue);
  for (const auto& c : data.scenarios) scale = std::max(scale, c.maxValue);
  if (!(scale > 0.0)) return Error(ErrorCode::InvalidValue, QStringLiteral("every training series is zero: nothing to learn"));
  data.normalisation = {scale, unit.toStdString()};
  int stations = 0, dropped = 0;
  long long hours = 0;
  for (std::size_t i = 0; i < perSource.size(); ++i) {
    for (auto& site : perSource[i]) {
      for (float& v : site.series) v = float(double(v) / scale);
      site.group = int(i);  // distance positives stay within one city or scenario
      hours += (long long)site.series.size();
      data.sites.push_back(std::move(site));
    }
    if (i >= data.cities.size()) continue;
    const TrainingCitySummary& c = data.cities[i];
    stations += c.stations;
    dropped += c.droppedStations;
    data.provenance << QStringLiteral("%1: %2 stations%3, %4 h each (%5 weeks from %6), max %7 %8")
                           .arg(c.city.label())
                           .arg(c.stations)
                           .arg(c.droppedStations ? QStringLiteral(" (%1 dropped)").arg(c.droppedStations) : QString())
                           .arg(c.hours)
                           .arg(c.hours / int(kWeekHours))
                           .arg(c.seriesStart, fmt(c.maxValue, 3), unit);
  }
  int scenarioSites = 0;
  for (std::size_t i = 0; i < data.scenarios.size(); ++i) {
    const TrainingScenarioSummary& c = data.scenarios[i];
    scenarioSites += int(c.trainingSiteIds.size());
    dropped += int(c.droppedSiteIds.size());
    data.provenance << QStringLiteral(
                           "%1: %2 training sites, %3 held out (%4 % of %5 eligible sites by %6 m blocks, split seed %7)%8%9%10, "
                           "%11–%12 h each from %13, max %14 %15")
                           .arg(c.spec.label(int(i + 1)))
                           .arg(c.trainingSiteIds.size())
                           .arg(c.heldOutSiteIds.size())
                           .arg(fmt(c.spec.holdout * 100.0, 0))
                           .arg(c.eligibleSites)
                           .arg(fmt(c.spec.groupSize, 0))
                           .arg(c.spec.splitSeed)
                           .arg(c.unselectedSiteIds.empty() ? QString()
                                                            : QStringLiteral(", %1 not selected").arg(c.unselectedSiteIds.size()))
                           .arg(c.droppedSiteIds.empty() ? QString() : QStringLiteral(", %1 dropped").arg(c.droppedSiteIds.size()))
                           .arg(c.shortenedSites ? QStringLiteral(", %1 cut to their complete weeks").arg(c.shortenedSites) : QString())
                           .arg(c.minHours)
                           .arg(c.maxHours)
                           .arg(c.seriesStart, fmt(c.maxValue, 3), unit);
  }
  QStringList totals;
  if (!data.cities.empty())
    totals << QStringLiteral("%1 %2, %3 stations")
                  .arg(data.cities.size())
                  .arg(data.cities.size() == 1 ? QStringLiteral("city") : QStringLiteral("cities"))
                  .arg(stations);
  if (!data.scenarios.empty())
    totals << QStringLiteral("%1 %2, %3 sites")
                  .arg(data.scenarios.size())
                  .arg(data.scenarios.size() == 1 ? QStringLiteral("scenario") : QStringLiteral("scenarios"))
                  .arg(scenarioSites);
  data.provenance << QStringLiteral("total: %1%2, %3 station-hours")
                         .arg(totals.join(QStringLiteral(" + ")))
                         .arg(dropped ? QStringLiteral(" (%1 dropped)").arg(dropped) : QString())
                         .arg(hours);
  data.provenance << QStringLiteral("normalisation: series ÷ %1 %2 (the largest training value)").arg(fmt(scale, 3), unit);
  data.provenance << (wallClockHours ? QStringLiteral("hours: local wall clock (a daylight-saving change does not shift the daily rhythm)")
                                     : QStringLiteral("hours: consecutive stored hours from the first local Monday 00:00"));
  if (feedback) feedback->setProgress(1.0, QStringLiteral("training data ready"));
  return data;
}

}  // namespace netspatial::app
