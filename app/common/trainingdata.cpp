#include "app/common/trainingdata.h"

#include "app/common/modelcontext.h"
#include "core/context/sitecontext.h"
#include "core/sim/citysimulator.h"
#include "core/traffic/hourlyseries.h"

#include <QLocale>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <numeric>

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

}  // namespace

Result<TrainingData> buildTrainingData(const std::vector<CitySpec>& cities, Feedback* feedback, bool wallClockHours) {
  if (cities.empty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("no training city given"));
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
  // Progress weights ∝ city area: simulation and context cost grow with the extent.
  std::vector<double> weight;
  double total = 0.0;
  for (const CitySpec& c : cities) {
    const double side = cityPreset(c.preset)->sizeMetres;
    weight.push_back(side * side);
    total += side * side;
  }

  TrainingData data;
  std::vector<std::vector<models::NetSpatialTrainingSite>> perCity;
  QString unit;
  double done = 0.0;
  for (std::size_t i = 0; i < cities.size(); ++i) {
    if (feedback && feedback->isCancelled()) return cancelled();
    const double from = done / total;
    done += weight[i];
    auto city = loadCity(cities[i], feedback, from, done / total, wallClockHours);
    if (!city) return city.error();
    if (i == 0) {
      unit = city->unit;
    } else if (city->unit != unit) {
      return Error(ErrorCode::InvalidValue, QStringLiteral("%1 has traffic in %2 but %3 in %4: one normalisation needs one unit")
                                                .arg(cities[i].label(), city->unit, cities[0].label(), unit));
    }
    data.cities.push_back(city->summary);
    perCity.push_back(std::move(city->sites));
  }

  // One scale for all: the largest training value (zero stays zero), as the evaluation harness
  // does, so relative volumes between sites and cities survive normalisation.
  double scale = 0.0;
  for (const auto& c : data.cities) scale = std::max(scale, c.maxValue);
  if (!(scale > 0.0)) return Error(ErrorCode::InvalidValue, QStringLiteral("every training series is zero: nothing to learn"));
  data.normalisation = {scale, unit.toStdString()};
  int stations = 0, dropped = 0;
  long long hours = 0;
  for (std::size_t i = 0; i < perCity.size(); ++i) {
    for (auto& site : perCity[i]) {
      for (float& v : site.series) v = float(double(v) / scale);
      site.group = int(i);  // distance positives stay within one city
      hours += (long long)site.series.size();
      data.sites.push_back(std::move(site));
    }
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
  data.provenance << QStringLiteral("total: %1 %2, %3 stations%4, %5 station-hours")
                         .arg(data.cities.size())
                         .arg(data.cities.size() == 1 ? QStringLiteral("city") : QStringLiteral("cities"))
                         .arg(stations)
                         .arg(dropped ? QStringLiteral(" (%1 dropped)").arg(dropped) : QString())
                         .arg(hours);
  data.provenance << QStringLiteral("normalisation: series ÷ %1 %2 (the largest training value)").arg(fmt(scale, 3), unit);
  data.provenance << (wallClockHours ? QStringLiteral("hours: local wall clock (a daylight-saving change does not shift the daily rhythm)")
                                     : QStringLiteral("hours: consecutive stored hours from the first local Monday 00:00"));
  if (feedback) feedback->setProgress(1.0, QStringLiteral("training data ready"));
  return data;
}

}  // namespace netspatial::app
