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

}  // namespace netspatial::app
