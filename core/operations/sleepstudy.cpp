#include "core/operations/sleepstudy.h"

#include <algorithm>
#include <cmath>

namespace netspatial::core {

QString sleepPolicyName(SleepPolicy policy) {
  switch (policy) {
    case SleepPolicy::AlwaysOn:
      return QStringLiteral("always_on");
    case SleepPolicy::StaticNight:
      return QStringLiteral("static_night");
    case SleepPolicy::Forecast:
      return QStringLiteral("forecast");
    case SleepPolicy::Oracle:
      return QStringLiteral("oracle");
  }
  return {};
}

QString sleepPolicyLabel(SleepPolicy policy) {
  switch (policy) {
    case SleepPolicy::AlwaysOn:
      return QStringLiteral("Always on");
    case SleepPolicy::StaticNight:
      return QStringLiteral("Static night");
    case SleepPolicy::Forecast:
      return QStringLiteral("Forecast-driven");
    case SleepPolicy::Oracle:
      return QStringLiteral("Oracle (observed load)");
  }
  return {};
}

const ScheduleOutcome* SleepStudy::outcome(SleepPolicy policy) const {
  for (const auto& o : outcomes)
    if (o.policy == policy) return &o;
  return nullptr;
}

double sampleQuantile(std::vector<double> values, double q) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }), values.end());
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  const double pos = std::clamp(q, 0.0, 1.0) * double(values.size() - 1);
  const std::size_t lo = std::size_t(std::floor(pos));
  const std::size_t hi = std::min(values.size() - 1, lo + 1);
  return values[lo] + (values[hi] - values[lo]) * (pos - double(lo));
}

std::vector<std::vector<double>> forecastDecisionLoad(const std::vector<std::vector<std::vector<double>>>& samples, double quantile,
                                                      double safetyMargin) {
  std::vector<std::vector<double>> out(samples.size());
  for (std::size_t s = 0; s < samples.size(); ++s) {
    if (samples[s].empty()) continue;
    const std::size_t hours = samples[s].front().size();
    out[s].resize(hours);
    std::vector<double> at(samples[s].size());
    for (std::size_t t = 0; t < hours; ++t) {
      for (std::size_t k = 0; k < samples[s].size(); ++k) at[k] = t < samples[s][k].size() ? samples[s][k][t] : std::nan("");
      const double q = sampleQuantile(at, quantile);
      out[s][t] = std::isfinite(q) ? std::max(0.0, q) * (1.0 + safetyMargin) : 0.0;
    }
  }
  return out;
}

ScheduleOutcome evaluateSchedule(const std::vector<OperationsStation>& stations, const SleepSchedule& schedule,
                                 const std::vector<std::vector<double>>& observed, SleepPolicy policy) {
  ScheduleOutcome out;
  out.policy = policy;
  const std::size_t n = stations.size();
  const std::size_t hours = std::min(schedule.hours.size(), observed.empty() ? std::size_t(0) : observed.front().size());
  out.stations.resize(n);
  for (std::size_t i = 0; i < n; ++i) out.stations[i].id = stations[i].id;
  out.powerW.assign(hours, 0.0);
  out.qoeByHour.assign(hours, 1.0);
  std::vector<double> demand(n), ownOffered(n);
  for (std::size_t t = 0; t < hours; ++t) {
    const HourDecision& d = schedule.hours[t];
    std::fill(demand.begin(), demand.end(), 0.0);
    double offeredHour = 0.0, servedHour = 0.0;
    // Where each station's observed load ends up: itself, or the planned shares of its neighbours.
    std::vector<std::vector<std::pair<std::size_t, double>>> routes(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double l = std::isfinite(observed[i][t]) ? std::max(0.0, observed[i][t]) : 0.0;
      ownOffered[i] = l;
      offeredHour += l;
      out.stations[i].offered += l;
      if (!d.asleep[i]) {
        demand[i] += l;
        routes[i].push_back({i, 1.0});
      } else {
        for (const Handover& h : d.handovers[i]) {
          demand[std::size_t(h.to)] += h.share * l;
          routes[i].push_back({std::size_t(h.to), h.share});
        }
      }
    }
    std::vector<double> servedShare(n, 0.0);  // of the demand at each station, the part it serves
    for (std::size_t j = 0; j < n; ++j) {
      const auto& s = stations[j];
      double watts = 0.0;
      if (d.asleep[j]) {
        watts = s.power.sleepW();
        servedShare[j] = 0.0;
      } else {
        const double served = std::min(demand[j], s.capacity);
        servedShare[j] = demand[j] > 0.0 ? served / demand[j] : 1.0;
        watts = s.power.awakeW(served / s.capacity);
        out.stations[j].peakUtilisation = std::max(out.stations[j].peakUtilisation, served / s.capacity);
      }
      out.powerW[t] += watts;
      out.stations[j].energyKWh += watts / 1000.0;
      out.stations[j].alwaysOnKWh += s.power.awakeW(std::min(ownOffered[j], s.capacity) / s.capacity) / 1000.0;
    }
    for (std::size_t i = 0; i < n; ++i) {
      double served = 0.0;
      for (const auto& [to, share] : routes[i]) served += share * ownOffered[i] * servedShare[to];
      out.stations[i].served += served;
      servedHour += served;
    }
    out.qoeByHour[t] = offeredHour > 0.0 ? servedHour / offeredHour : 1.0;
  }
  for (std::size_t i = 0; i < n; ++i) {
    auto& st = out.stations[i];
    for (std::size_t t = 0; t < hours; ++t) {
      const bool asleep = schedule.hours[t].asleep[i] != 0;
      st.sleepHours += asleep ? 1 : 0;
      if (t > 0 && asleep != (schedule.hours[t - 1].asleep[i] != 0)) ++st.switches;
    }
    out.energyKWh += st.energyKWh;
    out.alwaysOnKWh += st.alwaysOnKWh;
    out.offered += st.offered;
    out.served += st.served;
    out.switches += st.switches;
    out.sleepStationHours += st.sleepHours;
  }
  out.unserved = std::max(0.0, out.offered - out.served);
  out.qoe = out.offered > 0.0 ? out.served / out.offered : 1.0;
  out.savingPct = out.alwaysOnKWh > 0.0 ? 100.0 * (1.0 - out.energyKWh / out.alwaysOnKWh) : 0.0;
  return out;
}

namespace {

SleepSchedule alwaysOnSchedule(std::size_t stations, std::size_t hours) {
  SleepSchedule s;
  s.stationCount = int(stations);
  HourDecision d;
  d.asleep.assign(stations, 0);
  d.handovers.assign(stations, {});
  s.hours.assign(hours, d);
  return s;
}

bool inNight(int hour, int start, int end) { return start <= end ? hour >= start && hour < end : hour >= start || hour < end; }

}  // namespace

Result<SleepStudy> runSleepStudy(const SleepStudyInput& input, const SleepStudyOptions& options, Feedback* feedback) {
  const std::size_t n = input.stations.size();
  if (n == 0) return Error(ErrorCode::InvalidArgument, QStringLiteral("a sleep study needs at least one station"));
  if (input.observed.size() != n || input.forecastSamples.size() != n)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("%1 stations but %2 observed series and %3 forecasts")
                                                 .arg(n)
                                                 .arg(input.observed.size())
                                                 .arg(input.forecastSamples.size()));
  const std::size_t hours = input.observed.front().size();
  if (hours == 0) return Error(ErrorCode::InvalidArgument, QStringLiteral("the evaluated period has no hours"));
  if (input.localHour.size() != hours)
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("%1 local hours for %2 evaluated hours").arg(input.localHour.size()).arg(hours));
  for (std::size_t i = 0; i < n; ++i) {
    if (input.observed[i].size() != hours)
      return Error(
          ErrorCode::InvalidArgument,
          QStringLiteral("station %1: %2 observed hours, expected %3").arg(input.stations[i].id).arg(input.observed[i].size()).arg(hours));
    if (input.forecastSamples[i].empty())
      return Error(ErrorCode::InvalidArgument, QStringLiteral("station %1 has no forecast samples").arg(input.stations[i].id));
    for (const auto& sample : input.forecastSamples[i])
      if (sample.size() != hours)
        return Error(ErrorCode::InvalidArgument, QStringLiteral("station %1: a forecast sample has %2 hours, expected %3")
                                                     .arg(input.stations[i].id)
                                                     .arg(sample.size())
                                                     .arg(hours));
  }
  if (!(options.quantile >= 0.0 && options.quantile <= 1.0))
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the forecast quantile must be in [0, 1]"));
  if (!(options.safetyMargin >= 0.0)) return Error(ErrorCode::InvalidArgument, QStringLiteral("the safety margin must be ≥ 0"));

  SleepStudy study;
  const double stages = 3.0 + double(options.tradeoffQuantiles.size());
  double stage = 0.0;
  auto plan = [&](const std::vector<std::vector<double>>& load, const QString& label) -> Result<SleepSchedule> {
    Feedback f = Feedback::childOf(feedback, stage / stages, (stage + 1.0) / stages, label);
    stage += 1.0;
    return planSleepSchedule(input.stations, load, options.sleep, feedback ? &f : nullptr);
  };
  // Observed hours the data lack (NaN) count as no load for the oracle: it cannot know more.
  std::vector<std::vector<double>> observedClean = input.observed;
  for (auto& row : observedClean)
    for (double& v : row)
      if (!std::isfinite(v) || v < 0.0) v = 0.0;

  study.outcomes.push_back(evaluateSchedule(input.stations, alwaysOnSchedule(n, hours), input.observed, SleepPolicy::AlwaysOn));

  // Static night: one fixed decision for the night hours, planned on each station's highest night
  // load of the history weeks (what an operator would configure from the past).
  {
    std::vector<std::vector<double>> nightPeak(n, std::vector<double>(1, 0.0));
    bool anyNight = false;
    for (std::size_t i = 0; i < n && i < input.history.size(); ++i)
      for (std::size_t t = 0; t < input.history[i].size() && t < input.historyLocalHour.size(); ++t)
        if (inNight(input.historyLocalHour[t], options.nightStartHour, options.nightEndHour) && std::isfinite(input.history[i][t])) {
          nightPeak[i][0] = std::max(nightPeak[i][0], input.history[i][t]);
          anyNight = true;
        }
    SleepSchedule night = alwaysOnSchedule(n, hours);
    if (!anyNight) {
      study.notes << QStringLiteral("static night: no history hours in the night window; the schedule stays always on");
    } else {
      auto decided = plan(nightPeak, QStringLiteral("Static night schedule"));
      if (!decided) return decided.error();
      for (std::size_t t = 0; t < hours; ++t)
        if (inNight(input.localHour[t], options.nightStartHour, options.nightEndHour)) night.hours[t] = decided.value().hours.front();
    }
    study.outcomes.push_back(evaluateSchedule(input.stations, night, input.observed, SleepPolicy::StaticNight));
  }

  auto forecast =
      plan(forecastDecisionLoad(input.forecastSamples, options.quantile, options.safetyMargin), QStringLiteral("Forecast-driven schedule"));
  if (!forecast) return forecast.error();
  study.forecastSchedule = std::move(forecast.value());
  study.outcomes.push_back(evaluateSchedule(input.stations, study.forecastSchedule, input.observed, SleepPolicy::Forecast));
  study.outcomes.back().quantile = options.quantile;

  auto oracle = plan(observedClean, QStringLiteral("Oracle schedule"));
  if (!oracle) return oracle.error();
  study.oracleSchedule = std::move(oracle.value());
  study.outcomes.push_back(evaluateSchedule(input.stations, study.oracleSchedule, input.observed, SleepPolicy::Oracle));

  for (double q : options.tradeoffQuantiles) {
    const ScheduleOutcome* o = nullptr;
    ScheduleOutcome computed;
    if (std::abs(q - options.quantile) < 1e-12) {
      o = study.outcome(SleepPolicy::Forecast);
      stage += 1.0;
    } else {
      auto s = plan(forecastDecisionLoad(input.forecastSamples, q, options.safetyMargin), QStringLiteral("Trade-off curve, q = %1").arg(q));
      if (!s) return s.error();
      computed = evaluateSchedule(input.stations, s.value(), input.observed, SleepPolicy::Forecast);
      o = &computed;
    }
    study.tradeoff.push_back({q, o->savingPct, o->qoe, o->unserved});
  }
  study.notes << study.forecastSchedule.notes;
  if (feedback) feedback->setProgress(1.0, QStringLiteral("Sleep study done"));
  return study;
}

}  // namespace netspatial::core
