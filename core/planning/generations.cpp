#include "core/planning/generations.h"

#include "core/planning/candidategrid.h"

#include <QCryptographicHash>
#include <QSet>
#include <QTimeZone>

#include <algorithm>

namespace netspatial::core {

namespace {
const QString kCandidatesScope = QStringLiteral("candidates");
}  // namespace

std::vector<SitePoint> feasibleCandidateSites(const Scenario& scenario, std::optional<StationType> plannedType) {
  std::vector<SitePoint> out;
  for (const Candidate& c : scenario.candidates)
    if (c.feasible) out.push_back({candidateSiteId(c), candidateCentre(c), plannedType});
  return out;
}

QDateTime generationStart(const Scenario& scenario) {
  const QTimeZone zone(scenario.metadata.timeZone.toUtf8());
  const QTimeZone tz = zone.isValid() ? zone : QTimeZone::utc();
  QDate day = scenario.metadata.seriesStart.isValid() ? scenario.metadata.seriesStart.toTimeZone(tz).date() : QDate(2024, 1, 1);
  QDateTime start(day, QTime(0, 0), tz);
  if (scenario.metadata.seriesStart.isValid() && start < scenario.metadata.seriesStart) day = day.addDays(1);
  while (day.dayOfWeek() != Qt::Monday) day = day.addDays(1);
  return QDateTime(day, QTime(0, 0), tz).toUTC();
}

QString siteListHash(const std::vector<SitePoint>& sites) {
  QCryptographicHash h(QCryptographicHash::Sha256);
  for (const SitePoint& s : sites) {
    h.addData(s.siteId.toUtf8());
    h.addData(QByteArray::number(s.position.x, 'f', 3));
    h.addData(QByteArray::number(s.position.y, 'f', 3));
  }
  return QString::fromLatin1(h.result().toHex());
}

const RunRecord* runRecord(const Scenario& scenario, const QString& runId) {
  for (const RunRecord& r : scenario.runs)
    if (r.runId == runId) return &r;
  return nullptr;
}

const GeneratedTraffic* latestGeneration(const Scenario& scenario, const QString& scope) {
  for (auto it = scenario.trafficGenerated.rbegin(); it != scenario.trafficGenerated.rend(); ++it) {
    if (scope.isEmpty()) return &*it;
    const RunRecord* r = runRecord(scenario, it->runId);
    if (r && r->parameters.value(QStringLiteral("scope")).toString() == scope) return &*it;
  }
  return nullptr;
}

double runNormalisationScale(const Scenario& scenario, const QString& runId) {
  const RunRecord* run = runRecord(scenario, runId);
  return run ? run->parameters.value(QStringLiteral("normalisation_scale")).toDouble() : 0.0;
}

std::optional<PointXY> planningSitePosition(const Scenario& scenario, const QString& siteId) {
  if (const Candidate* c = findCandidate(scenario, siteId)) return candidateCentre(*c);
  return sitePosition(scenario, siteId);
}

Result<std::vector<SiteUtilities>> generationUtilities(const Scenario& scenario, const GeneratedTraffic& traffic) {
  return generationUtilities(scenario, traffic, runNormalisationScale(scenario, traffic.runId));
}

Result<std::vector<SiteUtilities>> generationUtilities(const Scenario& scenario, const GeneratedTraffic& traffic, double scale) {
  if (!(scale > 0.0))
    return Error(ErrorCode::MissingField, QStringLiteral("run %1 has no normalisation scale: generate again").arg(traffic.runId));
  std::vector<SiteSamples> sites;
  sites.reserve(traffic.samplesBySite.size());
  for (const auto& [id, samples] : traffic.samplesBySite) {
    const auto p = planningSitePosition(scenario, id);
    if (!p)
      return Error(ErrorCode::InvalidValue,
                   QStringLiteral("generated site %1 is not a candidate, station or traffic site of the project").arg(id));
    sites.push_back({id, *p, samples});
  }
  return computeSiteUtilities(sites, scale);
}

std::vector<RankingRow> rankingRows(const Ranking& ranking, const QString& runId) {
  std::vector<RankingRow> rows;
  for (const RankedSite& s : ranking.sites) {
    RankingRow row;
    row.runId = runId;
    row.rank = s.rank;
    row.siteId = s.siteId;
    row.utility = utilityName(ranking.options.utility);
    row.value = s.value;
    row.extra = {{QStringLiteral("sigma"), s.utilities.sigma},
                 {QStringLiteral("lsi"), s.utilities.lsi},
                 {QStringLiteral("mean"), s.utilities.mean},
                 {QStringLiteral("p95"), s.utilities.p95},
                 {QStringLiteral("mean_over_sigma"), s.utilities.stability},
                 {QStringLiteral("p_topk"), s.pTopK},
                 {QStringLiteral("selected"), s.selected},
                 {QStringLiteral("top_k"), ranking.options.topK},
                 {QStringLiteral("min_spacing"), ranking.options.minSpacing},
                 {QStringLiteral("min_demand"), ranking.options.minDemand},
                 {QStringLiteral("w_lsi"), ranking.options.weights.lsi},
                 {QStringLiteral("w_mean"), ranking.options.weights.mean},
                 {QStringLiteral("w_p95"), ranking.options.weights.p95},
                 {QStringLiteral("w_stability"), ranking.options.weights.stability}};
    if (!s.excludedBecause.isEmpty()) row.extra.insert(QStringLiteral("excluded_because"), s.excludedBecause);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<RankingOptions> storedRankingOptions(const Scenario& scenario, const QString& runId) {
  for (const RankingRow& row : scenario.rankings) {
    if (row.runId != runId) continue;
    const auto utility = utilityFromName(row.utility);
    if (!utility || !row.extra.contains(QStringLiteral("top_k"))) return std::nullopt;
    RankingOptions o;
    o.utility = *utility;
    o.topK = row.extra.value(QStringLiteral("top_k")).toInt();
    o.minSpacing = row.extra.value(QStringLiteral("min_spacing"), 0.0).toDouble();
    o.minDemand = row.extra.value(QStringLiteral("min_demand"), 0.0).toDouble();
    if (row.extra.contains(QStringLiteral("w_mean")))
      o.weights = {row.extra.value(QStringLiteral("w_lsi")).toDouble(), row.extra.value(QStringLiteral("w_mean")).toDouble(),
                   row.extra.value(QStringLiteral("w_p95")).toDouble(), row.extra.value(QStringLiteral("w_stability")).toDouble()};
    if (o.topK < 1) return std::nullopt;
    return o;
  }
  return std::nullopt;
}

QString candidateGridHash(const Scenario& scenario) { return siteListHash(feasibleCandidateSites(scenario)); }

bool generationMatchesGrid(const Scenario& scenario, const GeneratedTraffic& traffic) {
  const RunRecord* run = runRecord(scenario, traffic.runId);
  const QString recorded = run ? run->dataHashes.value(QStringLiteral("sites_sha256")).toString() : QString();
  if (!recorded.isEmpty() && run->parameters.value(QStringLiteral("scope")).toString() == kCandidatesScope)
    return recorded == candidateGridHash(scenario);
  // No hash (an older file, or another scope): every generated candidate must be a feasible cell.
  QSet<QString> feasible;
  for (const Candidate& c : scenario.candidates)
    if (c.feasible) feasible.insert(candidateSiteId(c));
  for (const auto& [id, samples] : traffic.samplesBySite)
    if (id.startsWith(QLatin1Char('C')) && !feasible.contains(id)) return false;
  return true;
}

}  // namespace netspatial::core
