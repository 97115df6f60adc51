#include "core/operations/operationsexport.h"

#include "core/util/csvwriter.h"

#include <QTimeZone>

namespace netspatial::core {

namespace {

QString num(double v, int decimals = 6) { return QString::number(v, 'f', decimals); }

}  // namespace

Status writeScheduleCsv(const QString& path, const std::vector<QString>& stationIds, const SleepSchedule& schedule,
                        const std::vector<std::vector<double>>& observed, const std::vector<std::vector<double>>& decisionLoad,
                        const QDateTime& startUtc, const QString& timeZone) {
  if (int(stationIds.size()) != schedule.stationCount)
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("%1 station ids for a schedule of %2 stations").arg(stationIds.size()).arg(schedule.stationCount));
  auto csv = CsvWriter::open(path);
  if (!csv) return csv.error();
  const QTimeZone tz(timeZone.toUtf8());
  (*csv)->writeRow({QStringLiteral("station_id"), QStringLiteral("t"), QStringLiteral("local_time"), QStringLiteral("asleep"),
                    QStringLiteral("handover_to"), QStringLiteral("observed"), QStringLiteral("decision_load")});
  for (std::size_t i = 0; i < stationIds.size(); ++i)
    for (std::size_t t = 0; t < schedule.hours.size(); ++t) {
      const QDateTime at = startUtc.addSecs(qint64(t) * 3600);
      const HourDecision& d = schedule.hours[t];
      QStringList to;
      for (const Handover& h : d.handovers[i]) to << stationIds[std::size_t(h.to)] + QLatin1Char(':') + num(h.share, 3);
      const bool hasObserved = i < observed.size() && t < observed[i].size();
      const bool hasDecision = i < decisionLoad.size() && t < decisionLoad[i].size();
      (*csv)->writeRow({stationIds[i], at.toUTC().toString(Qt::ISODate), at.toTimeZone(tz).toString(QStringLiteral("yyyy-MM-dd HH:mm")),
                        d.asleep[i] ? QStringLiteral("1") : QStringLiteral("0"), to.join(QLatin1Char(';')),
                        hasObserved ? num(observed[i][t]) : QString(), hasDecision ? num(decisionLoad[i][t]) : QString()});
    }
  return (*csv)->commit();
}

Status writeSleepSummaryCsv(const QString& path, const SleepStudy& study, const PaperModeResult* paper, const RunRecord& forecastRun) {
  auto csv = CsvWriter::open(path);
  if (!csv) return csv.error();
  (*csv)->writeRow({QStringLiteral("kind"), QStringLiteral("policy"), QStringLiteral("quantile"), QStringLiteral("energy_kwh"),
                    QStringLiteral("always_on_kwh"), QStringLiteral("saving_pct"), QStringLiteral("qoe_pct"), QStringLiteral("unserved"),
                    QStringLiteral("switches"), QStringLiteral("sleep_station_hours"), QStringLiteral("share_of_oracle_saving_pct"),
                    QStringLiteral("eta_pct"), QStringLiteral("model_id"), QStringLiteral("weights_sha256"), QStringLiteral("seed")});
  const QStringList provenance{forecastRun.modelId, forecastRun.weightsSha256, QString::number(forecastRun.seed)};
  const ScheduleOutcome* oracle = study.outcome(SleepPolicy::Oracle);
  const double oracleSaving = oracle ? oracle->savingPct : 0.0;
  auto share = [&](double saving) { return oracleSaving > 0.0 ? num(100.0 * saving / oracleSaving, 2) : QString(); };
  for (const ScheduleOutcome& o : study.outcomes)
    (*csv)->writeRow(QStringList{QStringLiteral("policy"), sleepPolicyName(o.policy),
                                 o.policy == SleepPolicy::Forecast ? num(o.quantile, 3) : QString(), num(o.energyKWh, 3),
                                 num(o.alwaysOnKWh, 3), num(o.savingPct, 3), num(100.0 * o.qoe, 3), num(o.unserved, 3),
                                 QString::number(o.switches), QString::number(o.sleepStationHours), share(o.savingPct), QString()} +
                     provenance);
  for (const TradeoffPoint& p : study.tradeoff)
    (*csv)->writeRow(QStringList{QStringLiteral("tradeoff"), QStringLiteral("forecast"), num(p.quantile, 3), QString(), QString(),
                                 num(p.savingPct, 3), num(100.0 * p.qoe, 3), num(p.unserved, 3), QString(), QString(), share(p.savingPct),
                                 QString()} +
                     provenance);
  if (paper)
    (*csv)->writeRow(QStringList{QStringLiteral("paper_mode"), QStringLiteral("paper_mode"), QString(), QString(), QString(), QString(),
                                 num(100.0 * paper->qoe, 3), QString(), QString(), QString(), QString(), num(100.0 * paper->eta, 3)} +
                     provenance);
  return (*csv)->commit();
}

Status writeBalanceCsv(const QString& path, const BalanceResult& result) {
  auto csv = CsvWriter::open(path);
  if (!csv) return csv.error();
  (*csv)->writeRow({QStringLiteral("station_id"), QStringLiteral("peak_before_pct"), QStringLiteral("peak_after_pct"),
                    QStringLiteral("hours_over_before"), QStringLiteral("hours_over_after"), QStringLiteral("shed"),
                    QStringLiteral("absorbed")});
  for (const BalancedStation& s : result.stations)
    (*csv)->writeRow({s.id, num(100.0 * s.peakBefore, 3), num(100.0 * s.peakAfter, 3), QString::number(s.hoursOverBefore),
                      QString::number(s.hoursOverAfter), num(s.shed, 3), num(s.absorbed, 3)});
  (*csv)->writeRow({QStringLiteral("network"), num(100.0 * result.networkPeakBefore, 3), num(100.0 * result.networkPeakAfter, 3),
                    QString::number(result.stationHoursOverBefore), QString::number(result.stationHoursOverAfter), num(result.moved, 3),
                    num(result.moved, 3)});
  return (*csv)->commit();
}

}  // namespace netspatial::core
