#include "app/common/planning.h"

#include "app/common/modelbridge.h"
#include "app/common/modelcontext.h"
#include "netspatial/models/adaptive.h"
#include "netspatial/models/netspatial.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
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

Result<std::unique_ptr<ChunkedGeneration>> ChunkedGeneration::create(const Scenario& scenario, std::vector<SitePoint> sites,
                                                                     const models::Generator& generator, const GenerationOptions& o,
                                                                     Feedback* feedback) {
  if (sites.empty())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("no sites to generate for (is the candidate grid empty or all infeasible?)"));
  if (o.samples < 1 || o.samples > 1024)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("samples must be 1–1024, not %1").arg(o.samples));
  if (!generator.isFitted())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the generator %1 is not trained").arg(QString::fromStdString(generator.id())));
  std::unique_ptr<ChunkedGeneration> stream(new ChunkedGeneration(scenario, std::move(sites), generator, o, feedback));
  // ADAPTIVE is transductive: it adapts to the scenario's city once (its base stations' knowledge
  // graph and GCN, cached by their hash), and every site then joins that city as an extra node. A
  // scenario without stations leaves it to adapt to the first chunk's sites.
  if (const auto* adaptive = dynamic_cast<const models::AdaptiveGenerator*>(&generator)) {
    std::vector<QString> ids;
    for (const BaseStation& b : *scenario.stations) ids.push_back(b.id);
    if (!ids.empty()) {
      constexpr double kAdaptShare = 0.3;
      Feedback contextFeedback = Feedback::childOf(feedback, 0.0, 0.05, QStringLiteral("Station contexts"));
      auto contexts = extractContexts(scenario, ids, {}, feedback ? &contextFeedback : nullptr);
      if (!contexts) return contexts.error();
      Feedback adaptFeedback = Feedback::childOf(feedback, 0.05, kAdaptShare);
      if (auto adapted = adaptive->adapt(toModelContexts(*contexts), modelProgress(feedback ? &adaptFeedback : nullptr)); !adapted)
        return toCoreError(adapted.error(), QStringLiteral("ADAPTIVE cannot adapt to the scenario's %1 stations").arg(ids.size()));
      stream->m_progressStart = kAdaptShare;
      stream->setParameter(QStringLiteral("adapted_to"), QStringLiteral("%1 base stations").arg(ids.size()));
      stream->setParameter(QStringLiteral("adaptation_sha256"), QString::fromStdString(adaptive->adaptationKey()));
    } else {
      stream->setParameter(QStringLiteral("adapted_to"), QStringLiteral("the first chunk's sites (the scenario has no base stations)"));
    }
  }
  return stream;
}

ChunkedGeneration::ChunkedGeneration(const Scenario& scenario, std::vector<SitePoint> sites, const models::Generator& generator,
                                     const GenerationOptions& o, Feedback* feedback)
    : m_scenario(scenario),
      m_sites(std::move(sites)),
      m_generator(generator),
      m_options(o),
      m_feedback(feedback),
      m_device(generatorDevice(generator)),
      m_scale(generator.normalisation().scale),
      m_start(generationStart(scenario)) {
  RunRecord& r = m_run;
  r.runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
  r.kind = QStringLiteral("generate");
  r.modelId = QString::fromStdString(generator.id());
  r.weightsSha256 = QString::fromStdString(generator.weightsSha256());
  r.seed = o.seed;
  r.parameters = {{QStringLiteral("samples"), o.samples},
                  {QStringLiteral("sites"), qlonglong(m_sites.size())},
                  {QStringLiteral("device"), QString::fromLatin1(deviceName(m_device))},
                  {QStringLiteral("scope"), o.scope},
                  {QStringLiteral("normalisation_scale"), m_scale},
                  {QStringLiteral("unit"), QString::fromStdString(generator.normalisation().unit)},
                  {QStringLiteral("start"), m_start.toString(Qt::ISODate)}};
  r.dataHashes = {{QStringLiteral("sites_sha256"), siteListHash(m_sites)}};
}

Result<GenerationStream::Chunk> ChunkedGeneration::next() {
  if (m_done == m_sites.size()) return Chunk{};
  if (m_feedback && m_feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("generation cancelled"));
  QElapsedTimer timer;
  timer.start();
  const std::size_t begin = m_done;
  const std::size_t end = std::min(m_sites.size(), begin + std::size_t(std::max(1, m_options.sitesPerChunk)));
  const std::vector<SitePoint> part(m_sites.begin() + std::ptrdiff_t(begin), m_sites.begin() + std::ptrdiff_t(end));
  // Of a chunk's time, contexts take ~1/6 for NetSpatial on CPU: progress is weighted accordingly.
  constexpr double kContextShare = 0.15;
  const auto at = [&](double withinChunk) {
    return m_progressStart + (1.0 - m_progressStart) * (double(begin) + withinChunk * double(end - begin)) / double(m_sites.size());
  };
  Feedback contextFeedback = Feedback::childOf(m_feedback, at(0.0), at(kContextShare));
  auto contexts = extractContextsAt(m_scenario, part, {}, m_feedback ? &contextFeedback : nullptr);
  if (!contexts) return contexts.error();
  const std::vector<models::ModelContext> modelContexts = toModelContexts(*contexts);
  contexts->clear();
  // The model reports within the chunk and stops at its next report after a cancel.
  Feedback modelFeedback = Feedback::childOf(m_feedback, at(kContextShare), at(1.0));
  auto batch = m_generator.generate(modelContexts, m_options.samples, m_options.seed, m_device,
                                    modelProgress(m_feedback ? &modelFeedback : nullptr));
  if (!batch) return toCoreError(batch.error(), QString::fromStdString(m_generator.id()));
  Chunk chunk;
  chunk.reserve(part.size());
  for (std::size_t i = 0; i < part.size(); ++i) {
    std::vector<std::vector<float>> samples(std::size_t(batch->samples), std::vector<float>(std::size_t(batch->hours)));
    for (int k = 0; k < batch->samples; ++k) {
      const float* v = batch->series(i, k);
      for (int t = 0; t < batch->hours; ++t) samples[std::size_t(k)][std::size_t(t)] = float(double(v[t]) * m_scale);
    }
    chunk.emplace_back(part[i].siteId, std::move(samples));
  }
  m_done = end;
  m_seconds += double(timer.nsecsElapsed()) * 1e-9;
  if (m_feedback) m_feedback->setProgress(at(1.0), QStringLiteral("Generating %1 of %2 sites").arg(end).arg(m_sites.size()));
  return chunk;
}

RunRecord ChunkedGeneration::runRecord() const {
  RunRecord r = m_run;
  r.time = QDateTime::currentDateTimeUtc();
  r.parameters.insert(QStringLiteral("generate_seconds"), m_seconds);
  return r;
}

Result<Generation> generateTraffic(const Scenario& scenario, const std::vector<SitePoint>& sites, const models::Generator& generator,
                                   const GenerationOptions& o, Feedback* feedback) {
  auto stream = ChunkedGeneration::create(scenario, sites, generator, o, feedback);
  if (!stream) return stream.error();
  Generation g;
  g.traffic.runId = (*stream)->runId();
  g.traffic.start = (*stream)->start();
  auto& bySite = g.traffic.samplesBySite.mut();
  while (true) {
    auto chunk = (*stream)->next();
    if (!chunk) return chunk.error();
    if (chunk->empty()) break;
    for (auto& [site, samples] : *chunk) bySite[site] = std::move(samples);
  }
  g.run = (*stream)->runRecord();
  return g;
}

void applyGeneration(Scenario& scenario, Generation generation) {
  removeGenerations(scenario, generation.run.parameters.value(QStringLiteral("scope")).toString());
  scenario.runs.push_back(std::move(generation.run));
  scenario.trafficGenerated.push_back(std::move(generation.traffic));
}

void removeGenerations(Scenario& scenario, const QString& scope) {
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
}

}  // namespace netspatial::app
