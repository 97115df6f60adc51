#include "app/common/operations.h"

#include "app/common/generatorfacts.h"
#include "app/common/modelbridge.h"
#include "app/common/modelcontext.h"
#include "app/common/planning.h"
#include "core/context/sitecontext.h"
#include "core/planning/sitesummary.h"
#include "core/traffic/hourlyseries.h"
#include "netspatial/models/adaptive.h"
#include "netspatial/models/netspatial.h"

#include <QTimeZone>
#include <QUuid>

#include <algorithm>
#include <cmath>

namespace netspatial::app {

using namespace core;

namespace {

constexpr int kWeek = 168;

struct Candidate {
  QString id;
  PointXY position;
  std::optional<StationType> type;
  double capacity = 0.0;
};

// Stations with a series first; a dataset of grid cells (Milan) has its series on traffic sites.
std::vector<Candidate> sitesWithTraffic(const Scenario& scenario) {
  std::vector<Candidate> out;
  const auto& series = scenario.trafficObserved.valuesBySite;
  for (const BaseStation& s : scenario.stations)
    if (series.count(s.id)) out.push_back({s.id, s.position, s.type, s.capacity});
  if (!out.empty()) return out;
  for (const TrafficSite& s : scenario.trafficSites)
    if (series.count(s.id)) out.push_back({s.id, s.position, std::nullopt, 0.0});
  return out;
}

QString fmt(double v) { return QString::number(v, 'g', 4); }

}  // namespace

std::vector<QString> OperationsInput::ids() const {
  std::vector<QString> out;
  for (const auto& s : stations) out.push_back(s.id);
  return out;
}

std::vector<std::pair<QString, PointXY>> stationsWithTraffic(const Scenario& scenario) {
  std::vector<std::pair<QString, PointXY>> out;
  for (const Candidate& c : sitesWithTraffic(scenario)) out.emplace_back(c.id, c.position);
  return out;
}

QStringList operationsScopeIds(const Scenario& scenario, const OperationsSettings& settings, const QStringList& selected) {
  QStringList out;
  const auto sites = sitesWithTraffic(scenario);
  switch (settings.scope) {
    case StationScope::All:
      for (const auto& s : sites) out << s.id;
      break;
    case StationScope::Selection:
      for (const auto& s : sites)
        if (selected.contains(s.id)) out << s.id;
      break;
    case StationScope::Zone:
      for (const Zone& z : scenario.zones) {
        if (z.id != settings.zoneId) continue;
        for (const auto& s : sites)
          if (polygonContains(z.polygon, s.position)) out << s.id;
      }
      break;
  }
  return out;
}

Result<OperationsInput> operationsInput(const Scenario& scenario, const QStringList& ids, const OperationsSettings& settings) {
  if (settings.horizonWeeks < 1 || settings.horizonWeeks > 4)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the horizon must be 1 to 4 weeks (it is %1)").arg(settings.horizonWeeks));
  const HourlyTraffic& traffic = scenario.trafficObserved;
  if (traffic.isEmpty()) return Error(ErrorCode::MissingField, QStringLiteral("the project has no observed traffic to forecast from"));
  auto candidates = sitesWithTraffic(scenario);
  if (!ids.isEmpty()) {
    std::erase_if(candidates, [&](const Candidate& c) { return !ids.contains(c.id); });
    for (const QString& id : ids)
      if (std::none_of(candidates.begin(), candidates.end(), [&](const Candidate& c) { return c.id == id; }))
        return Error(ErrorCode::InvalidArgument, QStringLiteral("%1 is not a station or site with observed traffic").arg(id));
  }
  if (candidates.empty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("no station with observed traffic was chosen"));

  HourlySeries axis;
  axis.start = traffic.start;
  axis.timeZone = scenario.metadata.timeZone;
  axis.values.assign(traffic.hours(), 0.0f);
  auto first = firstLocalMondayMidnight(axis);
  if (!first) return first.error();
  const int weeks = int((traffic.hours() - *first) / kWeek);
  if (weeks < settings.horizonWeeks + 1)
    return Error(ErrorCode::OutOfExtent, QStringLiteral("the observed traffic holds %1 whole weeks from its first local Monday; "
                                                        "a %2-week horizon needs %3 (history + period)")
                                             .arg(weeks)
                                             .arg(settings.horizonWeeks)
                                             .arg(settings.horizonWeeks + 1));
  // The period starts on a local Monday 00:00: after a DST change that is 167 or 169 hours past the
  // previous one, so look an hour or two around the nominal start. The history is the whole weeks
  // (168 h each, what the model takes) just before it; across a DST change its first hour is then
  // an hour off local midnight, as every hour-of-week template in the product is (t mod 168).
  const QTimeZone tz(scenario.metadata.timeZone.toUtf8());
  const std::size_t hoursTotal = traffic.hours();
  const std::size_t nominal = *first + std::size_t(weeks - settings.horizonWeeks) * kWeek;
  std::size_t periodBegin = nominal;
  for (std::size_t i = nominal > 2 ? nominal - 2 : 0; i <= nominal + 2; ++i) {
    const QDateTime local = axis.hourAt(i).toTimeZone(tz);
    if (local.date().dayOfWeek() == 1 && local.time().hour() == 0 && i + std::size_t(settings.horizonWeeks) * kWeek <= hoursTotal) {
      periodBegin = i;
      break;
    }
  }
  const std::size_t historyWeeks = (periodBegin - *first) / kWeek;
  if (historyWeeks < 1) return Error(ErrorCode::OutOfExtent, QStringLiteral("no whole week of history before the period"));
  const std::size_t historyBegin = periodBegin - historyWeeks * kWeek;
  const std::size_t periodEnd = periodBegin + std::size_t(settings.horizonWeeks) * kWeek;

  OperationsInput in;
  in.historyStartUtc = axis.hourAt(historyBegin);
  in.startUtc = axis.hourAt(periodBegin);
  in.timeZone = scenario.metadata.timeZone;
  in.unit = scenario.metadata.trafficUnit;
  for (std::size_t t = historyBegin; t < periodEnd; ++t) {
    const int hour = axis.hourAt(t).toTimeZone(tz).time().hour();
    (t < periodBegin ? in.historyLocalHour : in.localHour).push_back(hour);
  }
  int leftOut = 0;
  std::vector<double> capacities;
  for (const Candidate& c : candidates) {
    const auto& values = traffic.valuesBySite.at(c.id);
    std::vector<double> history, observed;
    bool complete = true;
    for (std::size_t t = historyBegin; t < periodEnd && complete; ++t) {
      const double v = t < values.size() ? double(values[t]) : std::nan("");
      complete = std::isfinite(v) && v >= 0.0;
      (t < periodBegin ? history : observed).push_back(v);
    }
    if (!complete) {
      ++leftOut;
      continue;
    }
    OperationsStation st;
    st.id = c.id;
    st.position = c.position;
    // Traffic grid cells have no type: macro parameters, as for a cell served by one macro site.
    st.power = c.type == StationType::Micro ? settings.micro : settings.macro;
    st.capacity = c.capacity;
    if (!(st.capacity > 0.0)) st.capacity = *std::max_element(history.begin(), history.end()) * settings.capacityFromPeakFactor;
    in.stations.push_back(st);
    in.types.push_back(c.type);
    in.history.push_back(std::move(history));
    in.observed.push_back(std::move(observed));
  }
  if (in.stations.empty())
    return Error(ErrorCode::InvalidValue, QStringLiteral("every chosen station misses hours in the %1 weeks used").arg(weeks));
  if (leftOut > 0) in.notes << QStringLiteral("%1 station(s) left out: a missing hour in the history or the period").arg(leftOut);
  const int derived = int(std::count_if(candidates.begin(), candidates.end(), [](const Candidate& c) { return !(c.capacity > 0.0); }));
  if (derived > 0)
    in.notes << QStringLiteral("capacity of %1 station(s) without one: their history peak × %2")
                    .arg(derived)
                    .arg(fmt(settings.capacityFromPeakFactor));
  // A station that never carried anything gets the median capacity (a zero capacity is unusable).
  for (const auto& s : in.stations)
    if (s.capacity > 0.0) capacities.push_back(s.capacity);
  std::sort(capacities.begin(), capacities.end());
  for (auto& s : in.stations)
    if (!(s.capacity > 0.0)) {
      s.capacity = capacities.empty() ? 1.0 : capacities[capacities.size() / 2];
      in.notes << QStringLiteral("%1 carried nothing in the history: median capacity %2 %3").arg(s.id, fmt(s.capacity), in.unit);
    }
  in.notes << QStringLiteral("history %1 week(s) from %2, period %3 week(s) from %4 (%5)")
                  .arg(historyWeeks)
                  .arg(in.historyStartUtc.toTimeZone(tz).toString(QStringLiteral("yyyy-MM-dd")))
                  .arg(settings.horizonWeeks)
                  .arg(in.startUtc.toTimeZone(tz).toString(QStringLiteral("yyyy-MM-dd")))
                  .arg(in.timeZone);
  return in;
}

Result<StationForecast> forecastStations(const Scenario& scenario, const OperationsInput& input, const models::Generator& generator,
                                         int samples, quint64 seed, Feedback* feedback) {
  const auto* netspatial = dynamic_cast<const models::NetSpatialGenerator*>(&generator);
  const auto* adaptive = dynamic_cast<const models::AdaptiveGenerator*>(&generator);
  if (!netspatial && !adaptive)
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("forecasts need NetSpatial's operations mode or ADAPTIVE's city-wide generation; %1 has neither")
                     .arg(QString::fromStdString(generator.displayName())));
  if (samples < 1 || samples > 64) return Error(ErrorCode::InvalidArgument, QStringLiteral("samples must be 1 to 64"));
  const std::size_t n = input.stations.size();
  const std::size_t hours = input.observed.empty() ? 0 : input.observed.front().size();

  // The model was trained on series ÷ its largest training value. In its own unit that scale is
  // right; in a foreign unit (a dataset's rescaled activity), the study's largest history value
  // plays the same role.
  const models::Normalisation own = generator.normalisation();
  double scale = own.scale;
  QString scaleRule = QStringLiteral("model scale");
  if (QString::fromStdString(own.unit) != input.unit) {
    scale = 0.0;
    for (const auto& h : input.history) scale = std::max(scale, *std::max_element(h.begin(), h.end()));
    if (!(scale > 0.0)) scale = 1.0;
    scaleRule = QStringLiteral("largest history value (the scenario's unit %1 is not the model's %2)")
                    .arg(input.unit, QString::fromStdString(own.unit));
  }

  std::vector<SitePoint> points;
  for (std::size_t i = 0; i < n; ++i) points.push_back({input.stations[i].id, input.stations[i].position, input.types[i]});
  auto contexts = extractContextsAt(scenario, points, {}, nullptr);
  if (!contexts) return contexts.error();
  const auto modelContexts = toModelContexts(*contexts);

  // ADAPTIVE has no operations mode: it generates each station's load from the city's knowledge
  // graph (adapted to these stations, no history read), four-week samples repeated over the period.
  if (adaptive) {
    if (auto adapted = adaptive->adapt(modelContexts); !adapted) return toCoreError(adapted.error(), QStringLiteral("ADAPTIVE"));
    scaleRule += QStringLiteral("; ADAPTIVE generates from context, the history only scales a foreign unit");
  }
  StationForecast out;
  out.scale = scale;
  out.samples.resize(n);
  out.mean.assign(n, std::vector<double>(hours, 0.0));
  constexpr std::size_t kChunk = 32;
  for (std::size_t begin = 0; begin < n; begin += kChunk) {
    if (feedback && feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("forecast cancelled"));
    const std::size_t end = std::min(n, begin + kChunk);
    std::vector<models::ModelContext> part(modelContexts.begin() + std::ptrdiff_t(begin), modelContexts.begin() + std::ptrdiff_t(end));
    std::vector<std::vector<float>> histories;
    for (std::size_t i = begin; i < end; ++i) {
      std::vector<float> h;
      for (double v : input.history[i]) h.push_back(float(v / scale));
      histories.push_back(std::move(h));
    }
    // The model reports after every Euler step and stops at the first report after a cancel.
    Feedback chunkFeedback = Feedback::childOf(feedback, double(begin) / double(n), double(end) / double(n));
    models::GenerateOptions options;
    options.samples = samples;
    options.seed = seed;
    options.progress = modelProgress(feedback ? &chunkFeedback : nullptr);
    auto batch = netspatial ? netspatial->forecast(part, histories, options)
                            : adaptive->generate(part, samples, seed, models::Device::Cpu, options.progress);
    if (feedback && feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("forecast cancelled"));
    if (!batch) return toCoreError(batch.error(), QStringLiteral("forecast"));
    for (std::size_t i = begin; i < end; ++i) {
      auto& stationSamples = out.samples[i];
      for (int k = 0; k < samples; ++k) {
        const float* x = batch.value().series(i - begin, k);
        std::vector<double> series(hours);
        const auto generatedHours = std::size_t(batch.value().hours);
        for (std::size_t t = 0; t < hours; ++t) {
          // A period longer than the generated 672 h repeats it (ADAPTIVE; NetSpatial forecasts every hour).
          series[t] = double(x[t % generatedHours]) * scale;
          out.mean[i][t] += series[t] / samples;
        }
        stationSamples.push_back(std::move(series));
      }
    }
    if (feedback) feedback->setProgress(double(end) / double(n), QStringLiteral("Forecasting %1 of %2 stations").arg(end).arg(n));
  }
  RunRecord& r = out.run;
  r.runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
  r.kind = QStringLiteral("forecast");
  r.modelId = QString::fromStdString(generator.id());
  r.weightsSha256 = QString::fromStdString(generator.weightsSha256());
  r.seed = seed;
  r.time = QDateTime::currentDateTimeUtc();
  r.parameters = {
      {QStringLiteral("samples"), samples},
      {QStringLiteral("stations"), qlonglong(n)},
      {QStringLiteral("hours"), qlonglong(hours)},
      {QStringLiteral("history_hours"), qlonglong(input.history.empty() ? 0 : input.history.front().size())},
      {QStringLiteral("start"), input.startUtc.toString(Qt::ISODate)},
      {QStringLiteral("normalisation_scale"), scale},
      {QStringLiteral("normalisation_rule"), scaleRule},
      {QStringLiteral("unit"), input.unit},  // the forecasts', whichever rule scaled them
      {QStringLiteral("model_unit"), QString::fromStdString(own.unit)},
      {QStringLiteral("device"), generatorDevice(generator) == models::Device::Cuda ? QStringLiteral("cuda") : QStringLiteral("cpu")}};
  return out;
}

Result<OperationsStudy> runOperationsStudy(const Scenario& scenario, const QStringList& ids, const OperationsSettings& settings,
                                           const models::Generator& generator, Feedback* feedback) {
  auto input = operationsInput(scenario, ids, settings);
  if (!input) return input.error();
  OperationsStudy study;
  study.settings = settings;
  study.input = std::move(input.value());
  // Forecast 40 %, sleep study 55 %, paper mode and balancing the rest.
  {
    Feedback f = Feedback::childOf(feedback, 0.0, 0.4);
    auto forecast = forecastStations(scenario, study.input, generator, settings.forecastSamples, settings.seed, feedback ? &f : nullptr);
    if (!forecast) return forecast.error();
    study.forecast = std::move(forecast.value());
    study.calibration = calibrationOfRun(scenario, study.forecast.run, study.input.unit);
  }
  {
    SleepStudyInput in;
    in.stations = study.input.stations;
    in.observed = study.input.observed;
    in.forecastSamples = study.forecast.samples;
    in.history = study.input.history;
    in.localHour = study.input.localHour;
    in.historyLocalHour = study.input.historyLocalHour;
    Feedback f = Feedback::childOf(feedback, 0.4, 0.95);
    auto sleep = runSleepStudy(in, settings.sleep, feedback ? &f : nullptr);
    if (!sleep) return sleep.error();
    study.sleep = std::move(sleep.value());
  }
  study.paper = paperMode(study.input.observed, study.forecast.mean, settings.paper);
  {
    Feedback f = Feedback::childOf(feedback, 0.95, 1.0);
    auto balance = balanceLoad(study.input.stations, study.input.observed, settings.balance, feedback ? &f : nullptr);
    if (!balance) return balance.error();
    study.balance = std::move(balance.value());
  }
  if (feedback) feedback->setProgress(1.0, QStringLiteral("Operations study done"));
  return study;
}

QString percentText(double fraction) { return QStringLiteral("%1 %").arg(100.0 * fraction, 0, 'f', 1); }

SiteSummary summarizeStudyStation(const OperationsStudy& st, int index, const QString& kind) {
  SiteSummary s;
  if (index < 0 || index >= int(st.input.stations.size())) return s;
  const std::size_t i = std::size_t(index);
  const OperationsStation& station = st.input.stations[i];
  s.siteId = station.id;
  s.title = QStringLiteral("%1 — %2, %3-week forecast").arg(station.id, kind).arg(st.settings.horizonWeeks);
  s.unit = st.input.unit;
  s.setCalibration(st.calibration, st.forecast.run.seed);
  s.start = st.input.startUtc;
  s.timeZone = QTimeZone(st.input.timeZone.toUtf8());
  for (const auto& sample : st.forecast.samples[i]) s.samples.emplace_back(sample.begin(), sample.end());
  s.observed.assign(st.input.observed[i].begin(), st.input.observed[i].end());
  s.metrics = observedVersusGenerated(s.observed, s.samples);

  s.facts << qMakePair(QStringLiteral("Forecast"), QStringLiteral("%1, seed %2, weights %3…")
                                                       .arg(st.forecast.run.modelId)
                                                       .arg(st.forecast.run.seed)
                                                       .arg(st.forecast.run.weightsSha256.left(12)));
  s.facts << qMakePair(QStringLiteral("Capacity"), QStringLiteral("%1 %2").arg(station.capacity, 0, 'g', 4).arg(st.input.unit));
  const int hours = int(st.input.observed[i].size());
  for (SleepPolicy policy : {SleepPolicy::Forecast, SleepPolicy::Oracle, SleepPolicy::StaticNight}) {
    const ScheduleOutcome* o = st.sleep.outcome(policy);
    if (!o || i >= o->stations.size()) continue;
    const StationOutcome& so = o->stations[i];
    const double saving = so.alwaysOnKWh > 0.0 ? 100.0 * (1.0 - so.energyKWh / so.alwaysOnKWh) : 0.0;
    const double qoe = so.offered > 0.0 ? so.served / so.offered : 1.0;
    s.facts << qMakePair(QStringLiteral("Asleep, %1").arg(sleepPolicyLabel(policy)),
                         QStringLiteral("%1 of %2 h · %3 switches · saves %4 % · QoE %5")
                             .arg(so.sleepHours)
                             .arg(hours)
                             .arg(so.switches)
                             .arg(saving, 0, 'f', 1)
                             .arg(percentText(qoe)));
  }
  if (i < st.paper.stations.size())
    s.facts << qMakePair(QStringLiteral("Paper mode (Eq. 19–20)"),
                         QStringLiteral("η %1, QoE %2, %3 volatile h")
                             .arg(percentText(st.paper.stations[i].eta), percentText(st.paper.stations[i].qoe))
                             .arg(st.paper.stations[i].volatileHours));
  if (i < st.balance.stations.size())
    s.facts << qMakePair(QStringLiteral("Peak utilisation"),
                         QStringLiteral("%1 → %2 after balancing")
                             .arg(percentText(st.balance.stations[i].peakBefore), percentText(st.balance.stations[i].peakAfter)));
  return s;
}

}  // namespace netspatial::app
