#pragma once

// The operations jobs of DESIGN.md §9, one code path for the GUI's worker and the CLI: pick the
// stations with observed traffic, split their series into history weeks and the evaluated period,
// forecast the period with the generator's operations mode (observed weekly templates + generated
// residuals), then run the sleep study, NetSpatial's paper mode and load balancing on it.

#include "core/planning/sitesummary.h"
#include "core/operations/operationssettings.h"
#include "core/scenario/scenario.h"
#include "core/util/feedback.h"
#include "core/util/result.h"
#include "netspatial/models/generator.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <vector>

namespace netspatial::app {

//! The stations of a study and their observed load, split on whole local weeks.
struct OperationsInput {
  std::vector<core::OperationsStation> stations;
  std::vector<std::optional<core::StationType>> types;  //!< unknown for traffic grid cells
  std::vector<std::vector<double>> history;             //!< [station][hour]: whole weeks before the period
  std::vector<std::vector<double>> observed;            //!< [station][hour]: the evaluated period
  std::vector<int> historyLocalHour;
  std::vector<int> localHour;
  QDateTime historyStartUtc;  //!< a local Monday 00:00
  QDateTime startUtc;         //!< the period's first hour, a local Monday 00:00
  QString timeZone;
  QString unit;
  QStringList notes;  //!< stations left out and why, capacities derived from peaks
  std::vector<QString> ids() const;
};

//! The stations with observed traffic: `ids` (empty = every base station with a series, or every
//! traffic site when no station has one). The last `settings.horizonWeeks` whole weeks are the
//! period, every whole week before it the history (at least one). Stations with a missing hour in
//! either are left out with a note; a station without capacity gets its history peak × the factor.
core::Result<OperationsInput> operationsInput(const core::Scenario& scenario, const QStringList& ids,
                                              const core::OperationsSettings& settings);

//! The ids `scope` selects among the stations with observed traffic (Selection: `selected`; Zone:
//! those inside zone `settings.zoneId`).
QStringList operationsScopeIds(const core::Scenario& scenario, const core::OperationsSettings& settings, const QStringList& selected);

//! Every station with observed traffic (or traffic site, for grid-cell datasets like Milan) with
//! its position in the scenario CRS: what a study can run on.
std::vector<std::pair<QString, core::PointXY>> stationsWithTraffic(const core::Scenario& scenario);

struct StationForecast {
  std::vector<std::vector<std::vector<double>>> samples;  //!< [station][sample][hour], the scenario's unit
  std::vector<std::vector<double>> mean;                  //!< [station][hour], mean over samples
  core::RunRecord run;                                    //!< kind "forecast": model, weights SHA-256, seed, scale
  double scale = 1.0;                                     //!< what normalised the histories
};

//! Operations mode of NetSpatial (paper 003 Eq. 2–3 + G3): each station's history gives d and w,
//! the model generates residuals for the period. Cancelling returns Cancelled and produces nothing.
core::Result<StationForecast> forecastStations(const core::Scenario& scenario, const OperationsInput& input,
                                               const models::Generator& generator, int samples, quint64 seed,
                                               core::Feedback* feedback = nullptr);

struct OperationsStudy {
  OperationsInput input;
  StationForecast forecast;
  core::SleepStudy sleep;
  core::PaperModeResult paper;
  core::BalanceResult balance;
  core::OperationsSettings settings;
  //! The forecast's generator against the scenario (issue 19 item 4): the forecasts are in the
  //! scenario's unit (rescaled by the history where the model's unit differs), but a model trained
  //! on simulated cities is still not calibrated to observed traffic; the views warn unless Matches.
  core::Calibration calibration;
};

//! Forecast, sleep study, paper mode and load balancing for the stations `ids`.
core::Result<OperationsStudy> runOperationsStudy(const core::Scenario& scenario, const QStringList& ids,
                                                 const core::OperationsSettings& settings, const models::Generator& generator,
                                                 core::Feedback* feedback = nullptr);

//! "12.3 %" for a fraction of 0.123.
QString percentText(double fraction);

//! What the site inspector shows for station `index` of a study: its forecast samples over the
//! period beside the observed load, the forecast's provenance, its capacity, and its sleep, paper
//! mode and balancing figures as facts. `kind` names the station ("macro station").
core::SiteSummary summarizeStudyStation(const OperationsStudy& study, int index, const QString& kind);

}  // namespace netspatial::app
