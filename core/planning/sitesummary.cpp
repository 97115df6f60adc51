#include "core/planning/sitesummary.h"

#include "core/context/sitecontext.h"
#include "core/planning/generations.h"
#include "core/planning/rationale.h"
#include "core/planning/siteutilities.h"
#include "core/traffic/metrics.h"

namespace netspatial::core {

QList<QPair<QString, double>> observedVersusGenerated(const std::vector<float>& observed, const std::vector<std::vector<float>>& samples) {
  QList<QPair<QString, double>> out;
  if (observed.empty() || samples.empty()) return out;
  auto table = evaluateAll({observed}, {samples});
  if (!table) return out;
  for (const char* m : {"mae", "rmse", "corr", "crps", "peak_hour_acc"})
    out << qMakePair(QString::fromLatin1(m), table->value(QString::fromLatin1(m)));
  return out;
}

void SiteSummary::setCalibration(const Calibration& c, std::optional<quint64> seed) {
  calibration = c;
  generatedBy = seed ? QStringLiteral("%1, seed %2").arg(c.generatorLabel).arg(*seed) : c.generatorLabel;
  // Spelled the same as `unit` (a case or a space apart) is the same unit: one axis, no second label.
  generatedUnit = c.generatedUnit.trimmed().compare(unit.trimmed(), Qt::CaseInsensitive) == 0 ? QString() : c.generatedUnit;
}

SiteSummary summarizeGeneratedSite(const Scenario& p, const QString& siteId, PointXY position,
                                   const std::vector<std::vector<float>>& samples, const QString& kind, const Ranking* ranking,
                                   const Calibration* calibration, std::optional<quint64> seed) {
  SiteSummary s;
  s.siteId = siteId;
  s.unit = p.metadata.trafficUnit;
  if (calibration) s.setCalibration(*calibration, seed);
  s.start = generationStart(p);
  s.timeZone = QTimeZone(p.metadata.timeZone.toUtf8());
  s.samples = samples;
  const BaseStation* station = nullptr;
  for (const BaseStation& b : p.stations)
    if (b.id == siteId) station = &b;
  s.title = QStringLiteral("%1 — %2").arg(siteId, station ? QStringLiteral("%1 station").arg(stationTypeName(station->type)) : kind);
  // The observed series on the generated calendar: from the first Monday of the observation.
  if (station && p.trafficObserved.valuesBySite.count(siteId)) {
    const auto& obs = p.trafficObserved.valuesBySite.at(siteId);
    const qint64 offset = p.trafficObserved.start.secsTo(s.start) / 3600;
    if (offset >= 0 && std::size_t(offset) + 672 <= obs.size()) {
      s.observed.assign(obs.begin() + offset, obs.begin() + offset + 672);
      s.metrics = observedVersusGenerated(s.observed, samples);
    }
  }
  const std::vector<SiteSamples> one{{siteId, position, samples}};
  const GeneratedTraffic* latest = latestGeneration(p, QString());
  const double scale = latest ? runNormalisationScale(p, latest->runId) : 0.0;
  if (scale > 0.0)
    if (auto u = computeSiteUtilities(one, scale); u) {
      s.facts << qMakePair(QStringLiteral("LSI (Eq. 6)"), QString::number(u->front().lsi, 'g', 4));
      s.facts << qMakePair(QStringLiteral("σ (normalised)"), QString::number(u->front().sigma, 'g', 3));
      s.facts << qMakePair(QStringLiteral("Mean demand"), QStringLiteral("%1 %2").arg(u->front().mean, 0, 'g', 4).arg(s.samplesUnit()));
      s.facts << qMakePair(QStringLiteral("p95 demand"), QStringLiteral("%1 %2").arg(u->front().p95, 0, 'g', 4).arg(s.samplesUnit()));
    }
  if (ranking)
    for (const RankedSite& r : ranking->sites)
      if (r.siteId == siteId && r.rank > 0)
        s.facts << qMakePair(QStringLiteral("Rank (%1)").arg(utilityName(ranking->options.utility)),
                             QStringLiteral("%1 of %2, p(top %3) = %4")
                                 .arg(r.rank)
                                 .arg(ranking->eligible)
                                 .arg(ranking->options.topK)
                                 .arg(r.pTopK, 0, 'f', 2));
  const TrafficFeatures f = trafficFeatures(samples);
  if (f.peakHourWeekday >= 0)
    s.facts << qMakePair(QStringLiteral("Weekday peak"), QStringLiteral("%1:00").arg(f.peakHourWeekday, 2, 10, QLatin1Char('0')));
  if (f.weekdayWeekendRatio > 0) s.facts << qMakePair(QStringLiteral("Weekday / weekend"), QString::number(f.weekdayWeekendRatio, 'f', 2));
  if (auto context = extractContext(p, siteId, position); context) {
    s.facts << qMakePair(QStringLiteral("Zone"),
                         context->zoneClass ? zoneClassLabel(*context->zoneClass) : QStringLiteral("outside the zones"));
    s.facts << qMakePair(QStringLiteral("POI mix"), poiMixText(*context));
    if (context->population)
      s.facts << qMakePair(QStringLiteral("Residents within 500 m"), QString::number(qRound64(*context->population)));
  }
  return s;
}

}  // namespace netspatial::core
