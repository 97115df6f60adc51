#pragma once

// A sleep-scheduling study (DESIGN.md §9): decisions taken on a forecast (an upper quantile of the
// generated samples, plus a safety margin), evaluated on the observed load, and compared with
// always-on, a static night schedule and the oracle (decisions on the observed load itself).

#include "core/operations/sleepscheduler.h"

#include <QString>

#include <vector>

namespace netspatial::core {

enum class SleepPolicy { AlwaysOn, StaticNight, Forecast, Oracle };
QString sleepPolicyName(SleepPolicy policy);   //!< "always_on", "static_night", "forecast", "oracle"
QString sleepPolicyLabel(SleepPolicy policy);  //!< "Always on", "Static night 01–06", …

struct StationOutcome {
  QString id;
  double energyKWh = 0.0;
  double alwaysOnKWh = 0.0;
  double offered = 0.0;  //!< observed load summed over the hours (traffic unit × h)
  double served = 0.0;
  int sleepHours = 0;
  int switches = 0;              //!< on→off and off→on transitions
  double peakUtilisation = 0.0;  //!< of what it served
};

//! A schedule played on the observed load.
struct ScheduleOutcome {
  SleepPolicy policy = SleepPolicy::AlwaysOn;
  double quantile = 0.0;  //!< forecast policy only
  double energyKWh = 0.0;
  double alwaysOnKWh = 0.0;
  double savingPct = 0.0;  //!< 100 (1 − energy / always-on energy)
  double offered = 0.0;
  double served = 0.0;
  double unserved = 0.0;
  double qoe = 1.0;  //!< served / offered
  int switches = 0;
  int sleepStationHours = 0;
  std::vector<double> powerW;     //!< network power per hour
  std::vector<double> qoeByHour;  //!< served / offered per hour (1 when nothing is offered)
  std::vector<StationOutcome> stations;
};

//! Plays `schedule` on `observed` ([station][hour]): each awake station serves its own load plus the
//! planned shares of its sleeping neighbours' observed load, up to its capacity; the rest is unserved.
ScheduleOutcome evaluateSchedule(const std::vector<OperationsStation>& stations, const SleepSchedule& schedule,
                                 const std::vector<std::vector<double>>& observed, SleepPolicy policy);

struct SleepStudyInput {
  std::vector<OperationsStation> stations;
  std::vector<std::vector<double>> observed;                      //!< [station][hour]: the evaluated period
  std::vector<std::vector<std::vector<double>>> forecastSamples;  //!< [station][sample][hour], same hours
  //! [station][hour]: the weeks before the period (the static night schedule is planned on them).
  std::vector<std::vector<double>> history;
  std::vector<int> localHour;         //!< hour of the day (0–23, local time) of each evaluated hour
  std::vector<int> historyLocalHour;  //!< the same for each history hour
};

struct SleepStudyOptions {
  SleepOptions sleep;
  double quantile = 0.9;      //!< of the forecast samples, per station and hour
  double safetyMargin = 0.1;  //!< the decision load is the quantile × (1 + margin)
  int nightStartHour = 1;     //!< static night schedule: local hours [start, end)
  int nightEndHour = 6;
  std::vector<double> tradeoffQuantiles = {0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0};
};

struct TradeoffPoint {
  double quantile = 0.0;
  double savingPct = 0.0;
  double qoe = 1.0;
  double unserved = 0.0;
};

struct SleepStudy {
  std::vector<ScheduleOutcome> outcomes;  //!< always-on, static night, forecast, oracle
  std::vector<TradeoffPoint> tradeoff;    //!< the forecast policy over the quantiles
  SleepSchedule forecastSchedule;         //!< the schedule behind the forecast outcome
  SleepSchedule oracleSchedule;
  QStringList notes;
  const ScheduleOutcome* outcome(SleepPolicy policy) const;
};

//! The q-quantile (linear interpolation between order statistics; q = 1 is the maximum).
double sampleQuantile(std::vector<double> values, double q);

//! The forecast decision load: per station and hour, the `quantile` of the samples × (1 + margin).
std::vector<std::vector<double>> forecastDecisionLoad(const std::vector<std::vector<std::vector<double>>>& samples, double quantile,
                                                      double safetyMargin);

//! Runs every policy and the trade-off curve. Errors name what is inconsistent (lengths, stations).
Result<SleepStudy> runSleepStudy(const SleepStudyInput& input, const SleepStudyOptions& options, Feedback* feedback = nullptr);

}  // namespace netspatial::core
