#pragma once

// CSV exports of an operations study (RFC 4180, atomic): the hourly schedule, the policy comparison
// with the trade-off curve and paper mode, and the load-balancing result per station.

#include "core/operations/loadbalancer.h"
#include "core/operations/papermode.h"
#include "core/operations/sleepstudy.h"
#include "core/scenario/scenario.h"
#include "core/util/result.h"

#include <QDateTime>
#include <QString>

#include <vector>

namespace netspatial::core {

//! One row per station and hour: station_id, t (ISO-8601 UTC), local_time, asleep (0/1),
//! handover_to ("S2:0.600;S3:0.400"), observed, decision_load (empty when not given).
Status writeScheduleCsv(const QString& path, const std::vector<QString>& stationIds, const SleepSchedule& schedule,
                        const std::vector<std::vector<double>>& observed, const std::vector<std::vector<double>>& decisionLoad,
                        const QDateTime& startUtc, const QString& timeZone);

//! kind (policy | tradeoff | paper_mode), policy, quantile, energy_kwh, always_on_kwh, saving_pct,
//! qoe_pct, unserved, switches, sleep_station_hours, share_of_oracle_saving_pct, eta_pct, then the
//! forecast's provenance (model_id, weights_sha256, seed) on every row.
Status writeSleepSummaryCsv(const QString& path, const SleepStudy& study, const PaperModeResult* paper, const RunRecord& forecastRun);

//! station_id, peak_before_pct, peak_after_pct, hours_over_before, hours_over_after, shed, absorbed;
//! a last row "network" with the network-wide peaks and totals.
Status writeBalanceCsv(const QString& path, const BalanceResult& result);

}  // namespace netspatial::core
