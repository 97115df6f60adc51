#include "app/common/planning.h"

#include "app/common/modelbridge.h"
#include "app/common/modelcontext.h"
#include "netspatial/models/netspatial.h"

#include <QCryptographicHash>
#include <QTimeZone>
#include <QUuid>

#include <algorithm>
#include <cmath>

namespace netspatial::app {

using namespace netspatial::core;

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

namespace {

const char* deviceName(models::Device d) { return d == models::Device::Cuda ? "cuda" : "cpu"; }

}  // namespace

models::Device generatorDevice(const models::Generator& generator) {
  const auto* netspatial = dynamic_cast<const models::NetSpatialGenerator*>(&generator);
  return netspatial ? netspatial->device() : models::Device::Cpu;
}

Result<Generation> generateTraffic(const Scenario& scenario, const std::vector<SitePoint>& sites, const models::Generator& generator,
                                   const GenerationOptions& o, Feedback* feedback) {
  const models::Device device = generatorDevice(generator);
  if (sites.empty())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("no sites to generate for (is the candidate grid empty or all infeasible?)"));
  if (o.samples < 1 || o.samples > 1024)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("samples must be 1–1024, not %1").arg(o.samples));
  if (!generator.isFitted())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the generator %1 is not trained").arg(QString::fromStdString(generator.id())));
  // Contexts take ~1/6 of the time of generation for NetSpatial on CPU: weight progress accordingly.
  constexpr double kContextShare = 0.15;
  Feedback contextFeedback = Feedback::childOf(feedback, 0.0, kContextShare);
  auto contexts = extractContextsAt(scenario, sites, {}, feedback ? &contextFeedback : nullptr);
  if (!contexts) return contexts.error();
  const std::vector<models::ModelContext> modelContexts = toModelContexts(*contexts);
  const double scale = generator.normalisation().scale;

  Generation g;
  g.traffic.runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
  g.traffic.start = generationStart(scenario);
  const std::size_t chunk = std::size_t(std::max(1, o.sitesPerChunk));
  for (std::size_t begin = 0; begin < modelContexts.size(); begin += chunk) {
    if (feedback && feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("generation cancelled"));
    const std::size_t end = std::min(modelContexts.size(), begin + chunk);
    const std::vector<models::ModelContext> part(modelContexts.begin() + std::ptrdiff_t(begin),
                                                 modelContexts.begin() + std::ptrdiff_t(end));
    // The model reports within the chunk and stops at its next report after a cancel.
    const auto share = [&](std::size_t sites) {
      return kContextShare + (1.0 - kContextShare) * double(sites) / double(modelContexts.size());
    };
    Feedback chunkFeedback = Feedback::childOf(feedback, share(begin), share(end));
    auto batch = generator.generate(part, o.samples, o.seed, device, modelProgress(feedback ? &chunkFeedback : nullptr));
    if (!batch) return toCoreError(batch.error(), QString::fromStdString(generator.id()));
    for (std::size_t i = 0; i < part.size(); ++i) {
      auto& samples = g.traffic.samplesBySite[sites[begin + i].siteId];
      samples.resize(std::size_t(batch->samples));
      for (int k = 0; k < batch->samples; ++k) {
        const float* v = batch->series(i, k);
        samples[std::size_t(k)].resize(std::size_t(batch->hours));
        for (int t = 0; t < batch->hours; ++t) samples[std::size_t(k)][std::size_t(t)] = float(double(v[t]) * scale);
      }
    }
    if (feedback) feedback->setProgress(share(end), QStringLiteral("Generating %1 of %2 sites").arg(end).arg(modelContexts.size()));
  }

  RunRecord& r = g.run;
  r.runId = g.traffic.runId;
  r.kind = QStringLiteral("generate");
  r.modelId = QString::fromStdString(generator.id());
  r.weightsSha256 = QString::fromStdString(generator.weightsSha256());
  r.seed = o.seed;
  r.time = QDateTime::currentDateTimeUtc();
  r.parameters = {{QStringLiteral("samples"), o.samples},
                  {QStringLiteral("sites"), qlonglong(sites.size())},
                  {QStringLiteral("device"), QString::fromLatin1(deviceName(device))},
                  {QStringLiteral("scope"), o.scope},
                  {QStringLiteral("normalisation_scale"), scale},
                  {QStringLiteral("unit"), QString::fromStdString(generator.normalisation().unit)},
                  {QStringLiteral("start"), g.traffic.start.toString(Qt::ISODate)}};
  r.dataHashes = {{QStringLiteral("sites_sha256"), siteListHash(sites)}};
  return g;
}

void applyGeneration(Scenario& scenario, Generation generation) {
  const QString scope = generation.run.parameters.value(QStringLiteral("scope")).toString();
  if (!scope.isEmpty()) {
    std::vector<QString> replaced;
    for (const RunRecord& r : scenario.runs)
      if (r.kind == QStringLiteral("generate") && r.parameters.value(QStringLiteral("scope")).toString() == scope)
        replaced.push_back(r.runId);
    auto isReplaced = [&replaced](const QString& id) { return std::find(replaced.begin(), replaced.end(), id) != replaced.end(); };
    std::erase_if(scenario.trafficGenerated, [&](const GeneratedTraffic& t) { return isReplaced(t.runId); });
    std::erase_if(scenario.rankings.mut(), [&](const RankingRow& row) { return isReplaced(row.runId); });
    std::erase_if(scenario.runs, [&](const RunRecord& r) { return isReplaced(r.runId); });
  }
  scenario.runs.push_back(std::move(generation.run));
  scenario.trafficGenerated.push_back(std::move(generation.traffic));
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

}  // namespace netspatial::app
