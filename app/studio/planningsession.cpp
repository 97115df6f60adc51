#include "app/studio/planningsession.h"

#include "app/common/generatorfacts.h"
#include "app/studio/generatorservice.h"
#include "core/context/sitecontext.h"
#include "core/planning/planningexport.h"
#include "core/planning/rationale.h"
#include "core/traffic/metrics.h"
#include "ui/util/numberformat.h"

#include <QSettings>

#include <algorithm>
#include <cmath>
#include <utility>

namespace netspatial::app {

using namespace netspatial::core;

namespace {
constexpr int kMessageTimeoutMs = 8000;
const QString kRateKey = QStringLiteral("generation/sequencesPerSecond");
}  // namespace

PlanningSession::PlanningSession(ProjectDocument* document, GeneratorService* service, QObject* parent)
    : QObject(parent), m_document(document), m_service(service) {
  // Connected before any view of the controller: the views read this session's state (the site
  // inspected, the job) in their own handlers of the same signals, after it is brought up to date.
  connect(m_document, &ProjectDocument::projectReplaced, this, &PlanningSession::projectReplaced);
  connect(m_document, &ProjectDocument::changed, this, &PlanningSession::projectChanged);
  connect(m_service, &GeneratorService::generationFinished, this, &PlanningSession::onGenerationFinished);
  connect(m_service, &GeneratorService::siteGenerated, this, &PlanningSession::onSiteGenerated);
  connect(m_service, &GeneratorService::siteFailed, this,
          [this](quint64, const QString& text) { Q_EMIT message(tr("Could not generate this site: %1").arg(text), kMessageTimeoutMs); });
}

PlanningSession::~PlanningSession() = default;

bool PlanningSession::confirm(const QString& title, const QString& question) const { return m_confirm && m_confirm(title, question); }

// --- project state ---------------------------------------------------------------------------

void PlanningSession::projectReplaced() {
  // A generation still running read the previous project: stop it and drop its result.
  if (m_jobId && isGenerating()) m_service->cancelGeneration();
  m_jobId = 0;
  m_generatorKey = generatorKey();
  m_inspectedSite.clear();
  m_shown.reset();
  m_zoneSelections.clear();
  Q_EMIT zoneSelectionsCleared();
}

void PlanningSession::projectChanged(ProjectParts parts) {
  // A site generated on demand (a station, a map point) by the previous generator is not what the
  // chosen one makes there: nothing stale on show (a candidate's samples are handled below).
  if ((parts & ProjectPart::Settings) && generatorKey() != m_generatorKey) {
    m_generatorKey = generatorKey();
    if (m_shown && !m_inspectedSite.startsWith(QLatin1Char('C'))) {
      m_inspectedSite.clear();
      m_shown.reset();
      Q_EMIT inspectionCleared();
    }
  }
  // A zone comparison of generated traffic shows the generation on show: a new one (another
  // generator's), or none after an undo or a generator change, redraws it; a comparison left with
  // no traffic at all is cleared rather than left stale.
  if ((parts & ProjectPart::Generation) && !m_zoneSelections.empty() && m_zoneOptions.source != core::ZoneTrafficSource::Observed)
    if (!compareZones().isEmpty()) clearZoneSelections();
  // Nothing stale on show: a candidate's samples come from the generation on show, so an edit or an
  // undo of the grid, the generation or the ranking shows it again from there, or shows nothing.
  if (!(parts & (ProjectPart::Area | ProjectPart::Generation | ProjectPart::Ranking))) return;
  if (!m_inspectedSite.startsWith(QLatin1Char('C')) || !m_shown || m_shown->siteId != m_inspectedSite) return;
  const auto p = m_document->scenario();
  const GeneratedTraffic* traffic = p ? latestGeneration(*p) : nullptr;
  if (traffic && traffic->samplesBySite.count(m_inspectedSite) && findCandidate(*p, m_inspectedSite)) {
    inspectSite(m_inspectedSite);
  } else {
    m_inspectedSite.clear();
    m_shown.reset();
    Q_EMIT inspectionCleared();
  }
}

// --- area and grid ---------------------------------------------------------------------------

Status PlanningSession::changeArea(const Geometry& aoi, const CandidateGridOptions& options, const QString& text) {
  if (!m_document->hasProject()) return Error(ErrorCode::InvalidArgument, tr("open or create a city first"));
  if (isGenerating()) return Error(ErrorCode::InvalidArgument, tr("wait for the generation to finish or cancel it"));
  // An area that will be refused anyway asks nothing.
  if (auto problem = m_document->checkAoi(aoi); !problem) return problem;
  if (const int sites = m_document->discardedByAreaChange(); sites > 0) {
    if (!confirm(text, tr("Discard the generated traffic of %n site(s)? It was generated for the current candidate grid, and its "
                          "ranking goes with it (Edit › Undo brings both back).",
                          nullptr, sites)))
      return Error(ErrorCode::Cancelled, tr("the candidate grid was left as it was"));
  }
  return m_document->setArea(aoi, options, text);
}

Status PlanningSession::setAoi(const Geometry& aoi) {
  if (auto st = changeArea(aoi, gridOptions(), tr("Set area of interest")); !st) return st;
  const auto& c = m_document->scenario()->candidates;
  const auto feasible = std::count_if(c.begin(), c.end(), [](const Candidate& x) { return x.feasible; });
  Q_EMIT message(tr("Candidate grid: %1 cells of %2 m, %3 feasible — Planning › Generate (Ctrl+G)")
                     .arg(c.size())
                     .arg(gridOptions().cellSize)
                     .arg(feasible),
                 kMessageTimeoutMs);
  return {};
}

Status PlanningSession::setGridOptions(const CandidateGridOptions& options) {
  const auto p = m_document->scenario();
  if (!p) return Error(ErrorCode::InvalidArgument, tr("open or create a city first"));
  return changeArea(p->aoi, options, tr("Change candidate grid"));
}

// --- generation and ranking ------------------------------------------------------------------

Status PlanningSession::setGeneratorKey(const QString& key) {
  if (!m_document->hasProject()) return Error(ErrorCode::InvalidArgument, tr("open or create a city first"));
  if (key == generatorKey()) return {};
  if (isGenerating()) return Error(ErrorCode::InvalidArgument, tr("wait for the generation to finish or cancel it"));
  if (auto usable = checkGeneratorKey(*m_document->scenario(), key, GeneratorRole::Planning); !usable) return usable;
  if (const int sites = m_document->discardedByAreaChange(); sites > 0) {
    if (!confirm(tr("Change generator"),
                 tr("Discard the generated traffic of %n site(s)? It was generated by the current generator, and its "
                    "ranking goes with it (Edit › Undo brings both back).",
                    nullptr, sites)))
      return Error(ErrorCode::Cancelled, tr("the generator was left as it was"));
  }
  return m_document->setGeneratorKey(GeneratorRole::Planning, key);
}

bool PlanningSession::isGenerating() const { return m_service->isGenerating(); }

bool PlanningSession::startGeneration() {
  const auto p = m_document->scenario();
  if (!p) return false;
  if (isGenerating()) {
    Q_EMIT message(tr("A generation is already running — wait or cancel it"), kMessageTimeoutMs);
    return false;
  }
  std::vector<SitePoint> sites = feasibleCandidateSites(*p);
  if (sites.empty()) {
    Q_EMIT message(tr("No feasible candidate: draw an area of interest first (Planning › Draw area of interest)"), kMessageTimeoutMs);
    return false;
  }
  const GenerationOptions options = generationOptions();
  const qint64 sequences = qint64(sites.size()) * options.samples;
  if (m_largeJobThreshold > 0 && sequences > m_largeJobThreshold) {
    const double rate = QSettings().value(kRateKey, 0.0).toDouble();
    const QString expected = rate > 0.0 ? tr("about %1 at the rate measured on this machine (%2 sequences/s)")
                                              .arg(ui::formatDuration(double(sequences) / rate))
                                              .arg(qRound(rate))
                                        : tr("an unknown time: no generation has been measured on this machine yet");
    if (!confirm(tr("Generate traffic"), tr("Generate %1 sites × %2 samples (%3 sequences)? It will take %4.")
                                             .arg(sites.size())
                                             .arg(options.samples)
                                             .arg(sequences)
                                             .arg(expected)))
      return false;
  }
  // The worker reads an immutable version of the project; the result comes back as a whole and is
  // added to the document (undoably) only if the grid it was generated for is still the one on show.
  m_jobGridHash = candidateGridHash(*p);
  m_jobId = m_service->generate(p, std::move(sites), options);
  if (!m_jobId) return false;
  m_jobClock.start();
  return true;
}

void PlanningSession::abandonJob() {
  if (m_jobId) m_service->cancelGeneration();
  m_jobId = 0;
}

void PlanningSession::cancelGeneration() {
  if (!isGenerating()) return;
  m_service->cancelGeneration();
  Q_EMIT message(tr("Cancelling the generation…"), 0);
}

void PlanningSession::onGenerationFinished(quint64 jobId, const Result<Generation>& result) {
  if (jobId != m_jobId) return;  // abandoned, or not ours
  m_jobId = 0;
  QString error;
  if (!result) {
    const bool cancelled = result.error().code() == ErrorCode::Cancelled;
    error = cancelled ? QStringLiteral("cancelled") : result.error().message();
    Q_EMIT message(cancelled ? tr("Generation cancelled — nothing was changed") : tr("Generation failed: %1").arg(error),
                   kMessageTimeoutMs);
  } else if (Status added = m_document->addGeneration(*result, m_jobGridHash); !added) {
    // The grid changed while it ran (an undo): its values belong to cells no longer on show.
    error = added.error().message();
    Q_EMIT message(tr("Generation discarded: %1").arg(error), 2 * kMessageTimeoutMs);
  } else {
    const double samples = result->run.parameters.value(QStringLiteral("samples")).toDouble();
    m_lastGeneration.sites = int(result->traffic.samplesBySite.size());
    m_lastGeneration.samples = int(samples);
    m_lastGeneration.clickToRankingMs = double(m_jobClock.nsecsElapsed()) * 1e-6;
    // The rate of this machine, for the next large job's question; a very short job says little.
    const double sequences = double(m_lastGeneration.sites) * samples;
    if (m_lastGeneration.clickToRankingMs > 500.0 && sequences > 0.0)
      QSettings().setValue(kRateKey, sequences / (m_lastGeneration.clickToRankingMs / 1000.0));
  }
  Q_EMIT generationFinished(error);
}

void PlanningSession::rerank(const RankingOptions& options) { m_document->setRankingOptions(options); }

QString PlanningSession::rationale(const QString& siteId) const {
  const auto p = m_document->scenario();
  const Ranking* r = ranking();
  if (!p || !r) return {};
  const GeneratedTraffic* traffic = latestGeneration(*p);
  const auto it = std::find_if(r->sites.begin(), r->sites.end(), [&](const RankedSite& s) { return s.siteId == siteId; });
  if (!traffic || it == r->sites.end() || !traffic->samplesBySite.count(siteId)) return {};
  auto context = extractContext(*p, siteId, it->position);
  return siteRationale(*it, *r, context ? &*context : nullptr, trafficFeatures(traffic->samplesBySite.at(siteId)),
                       generationUnit(*p, traffic->runId));
}

// --- inspection ------------------------------------------------------------------------------

bool PlanningSession::inspectPoint(PointXY point, double tolerance) {
  const auto p = m_document->scenario();
  if (!p) return false;
  // A candidate cell (its stored samples), then a station within `tolerance`, else the point. (The
  // inspect tool asks the operations study's stations first: their circles cover the cells.) A
  // linear pass over the cells costs microseconds, once per click.
  for (const Candidate& c : p->candidates)
    if (c.cell.extent().contains(point) && polygonContains(c.cell, point)) {
      const QString siteId = candidateSiteId(c);
      Q_EMIT candidateClicked(siteId);
      inspectSite(siteId);
      return true;
    }
  const BaseStation* nearest = nullptr;
  double best = tolerance;
  for (const BaseStation& s : p->stations) {
    const double d = std::hypot(s.position.x - point.x, s.position.y - point.y);
    if (d < best) {
      best = d;
      nearest = &s;
    }
  }
  GenerationOptions o = generationOptions();
  o.scope = QStringLiteral("site");
  if (nearest) {
    m_inspectedSite = nearest->id;
    m_service->requestSite(p, {nearest->id, nearest->position, nearest->type}, o);
  } else {
    m_inspectedSite = QStringLiteral("P%1_%2").arg(qRound64(point.x)).arg(qRound64(point.y));
    m_service->requestSite(p, {m_inspectedSite, point, StationType::Macro}, o);
  }
  Q_EMIT message(tr("Generating traffic at %1…").arg(m_inspectedSite), 0);
  return true;
}

void PlanningSession::inspectSite(const QString& siteId) {
  const auto p = m_document->scenario();
  if (!p) return;
  m_inspectedSite = siteId;
  const GeneratedTraffic* traffic = latestGeneration(*p);
  const auto position = planningSitePosition(*p, siteId);
  if (traffic && traffic->samplesBySite.count(siteId) && position) {
    showGenerated(siteId, *position, traffic->samplesBySite.at(siteId), tr("candidate"), findRun(*p, traffic->runId));
    return;
  }
  if (!position) return;
  // Not generated yet (infeasible, or no generation): generate this one cell on demand.
  GenerationOptions o = generationOptions();
  o.scope = QStringLiteral("site");
  m_service->requestSite(p, {siteId, *position, StationType::Macro}, o);
  Q_EMIT message(tr("Generating traffic at %1…").arg(siteId), 0);
}

void PlanningSession::onSiteGenerated(const SiteGeneration& result) {
  if (result.site.siteId != m_inspectedSite) return;  // the user has moved on
  const auto p = m_document->scenario();
  if (!p || result.generation.traffic.samplesBySite.empty()) return;
  const auto& samples = result.generation.traffic.samplesBySite.begin()->second;
  const bool station =
      std::any_of(p->stations.begin(), p->stations.end(), [&](const BaseStation& s) { return s.id == result.site.siteId; });
  showGenerated(result.site.siteId, result.site.position, samples,
                station                                           ? tr("station")
                : result.site.siteId.startsWith(QLatin1Char('C')) ? tr("candidate")
                                                                  : tr("map point"),
                &result.generation.run);
  Q_EMIT message(QString(), 0);  // the "Generating traffic at …" note is done
}

void PlanningSession::showGenerated(const QString& siteId, const PointXY& position, const std::vector<std::vector<float>>& samples,
                                    const QString& kind, const core::RunRecord* run) {
  const Scenario& p = *m_document->scenario();
  // Who generated the samples and whether that is calibrated to this scenario (issue 19 item 4).
  std::optional<core::Calibration> calibration;
  if (run) calibration = calibrationOfRun(p, *run);
  showSite(summarizeGeneratedSite(p, siteId, position, samples, kind, ranking(), calibration ? &*calibration : nullptr,
                                  run ? std::optional<quint64>(run->seed) : std::nullopt));
}

void PlanningSession::showSite(const SiteSummary& summary) {
  m_shown = summary;
  Q_EMIT siteSummaryReady(*m_shown);
}

// --- zone comparison -------------------------------------------------------------------------

void PlanningSession::addZoneSelection(const ZoneSelection& selection) {
  m_zoneSelections.push_back(selection);
  if (compareZones().isEmpty()) return;
  m_zoneSelections.pop_back();                    // a group without traffic is not kept
  if (!m_zoneSelections.empty()) compareZones();  // and the comparison without it shows again
}

void PlanningSession::clearZoneSelections() {
  m_zoneSelections.clear();
  Q_EMIT zoneSelectionsCleared();
}

QString PlanningSession::compareZones() {
  const auto p = m_document->scenario();
  if (!p || m_zoneSelections.empty()) return tr("no zone selected");
  const GeneratedTraffic* generated = latestGeneration(*p, QString());
  core::ZoneComparisonOptions options = m_zoneOptions;
  // "Both" with nothing generated (yet, or any more: an undo, another generator) is the observed
  // side alone, not an error.
  if (options.source == core::ZoneTrafficSource::Both && !generated) options.source = core::ZoneTrafficSource::Observed;
  auto result = core::compareZones(*p, m_zoneSelections, options, generated);
  if (!result) {
    Q_EMIT message(tr("Zone comparison: %1").arg(result.error().message()), kMessageTimeoutMs);
    return result.error().message();
  }
  // Generated traffic beside observed: say who generated it and whether that is calibrated here.
  if (options.source != core::ZoneTrafficSource::Observed && generated)
    if (const core::RunRecord* run = findRun(*p, generated->runId)) {
      result->calibration = calibrationOfRun(*p, *run);
      result->generatedBy = tr("%1, seed %2").arg(result->calibration->generatorLabel).arg(run->seed);
    }
  Q_EMIT zonesCompared(*result);
  return {};
}

// --- exports ---------------------------------------------------------------------------------

Status PlanningSession::exportRankingCsv(const QString& path) const {
  const Ranking* r = ranking();
  if (!r) return Error(ErrorCode::InvalidArgument, tr("nothing is ranked yet: generate traffic for the candidates first"), {path});
  QHash<QString, QString> rationales;
  for (const RankedSite& s : r->sites)
    if (s.selected) rationales.insert(s.siteId, rationale(s.siteId));
  return writeRankingCsv(*r, m_document->scenario()->metadata.crs, path, rationales);
}

Status PlanningSession::exportRankedSites(const QString& path) const {
  const Ranking* r = ranking();
  if (!r) return Error(ErrorCode::InvalidArgument, tr("nothing is ranked yet: generate traffic for the candidates first"), {path});
  return writeRankedSites(*m_document->scenario(), *r, path);
}

Status PlanningSession::exportSiteSeries(const QString& siteId, const QString& path) const {
  const auto p = m_document->scenario();
  const GeneratedTraffic* traffic = p ? latestGeneration(*p) : nullptr;
  if (traffic && traffic->samplesBySite.count(siteId)) return writeSeriesCsv(*traffic, path, SeriesUnits::Physical, 0.0, {siteId});
  // A site generated on demand (a station, a map point) is only in what is on show.
  if (m_shown && m_shown->siteId == siteId && !m_shown->samples.empty()) {
    GeneratedTraffic shown;
    shown.start = m_shown->start;
    shown.samplesBySite[siteId] = m_shown->samples;
    return writeSeriesCsv(shown, path, SeriesUnits::Physical, 0.0, {siteId});
  }
  return Error(ErrorCode::InvalidArgument, tr("no generated traffic for %1: click the site first").arg(siteId), {path});
}

}  // namespace netspatial::app
