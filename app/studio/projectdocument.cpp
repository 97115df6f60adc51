#include "app/studio/projectdocument.h"

#include "app/common/logging.h"
#include "core/planning/siteutilities.h"

#include <QSet>
#include <QUndoCommand>
#include <QUndoStack>

#include <algorithm>
#include <cmath>

namespace netspatial::app {

using namespace netspatial::core;

namespace {

const QString kCandidatesScope = QStringLiteral("candidates");

bool isCandidatesRun(const RunRecord& r) {
  return r.kind == QStringLiteral("generate") && r.parameters.value(QStringLiteral("scope")).toString() == kCandidatesScope;
}

//! Drops the candidates generations, their run records and rankings from `s`; returns the sites dropped.
int dropCandidatesGenerations(Scenario& s) {
  std::vector<QString> runIds;
  for (const RunRecord& r : s.runs)
    if (isCandidatesRun(r)) runIds.push_back(r.runId);
  if (runIds.empty()) return 0;
  const auto dropped = [&](const QString& id) { return std::find(runIds.begin(), runIds.end(), id) != runIds.end(); };
  int sites = 0;
  for (const GeneratedTraffic& t : s.trafficGenerated)
    if (dropped(t.runId)) sites += int(t.samplesBySite.size());
  std::erase_if(s.trafficGenerated, [&](const GeneratedTraffic& t) { return dropped(t.runId); });
  std::erase_if(s.runs, [&](const RunRecord& r) { return dropped(r.runId); });
  std::erase_if(s.rankings.mut(), [&](const RankingRow& r) { return dropped(r.runId); });
  return sites;
}

//! The extent of what the scenario shows, without its AOI and grid.
Extent contextExtent(const Scenario& scenario) {
  Scenario context = scenario;  // cheap: the heavy parts are shared
  context.aoi = {};
  context.candidates.clear();
  return context.extent();
}

}  // namespace

// --- the undo command: a swap of versions ---------------------------------------------------

class ProjectVersionCommand : public QUndoCommand {
 public:
  ProjectVersionCommand(ProjectDocument* document, ProjectVersion before, ProjectVersion after, ProjectParts parts, const QString& text)
      : QUndoCommand(text), m_document(document), m_before(std::move(before)), m_after(std::move(after)), m_parts(parts) {}
  void undo() override { m_document->apply(m_before, m_parts); }
  void redo() override { m_document->apply(m_after, m_parts); }

 private:
  ProjectDocument* m_document;
  ProjectVersion m_before, m_after;
  ProjectParts m_parts;
};

// --- the document ------------------------------------------------------------------------------

ProjectDocument::ProjectDocument(QObject* parent) : QObject(parent), m_undo(new QUndoStack(this)) {
  connect(m_undo, &QUndoStack::cleanChanged, this, &ProjectDocument::emitModified);
  m_current.generationOptions.scope = kCandidatesScope;
}

ProjectDocument::~ProjectDocument() = default;

PreparedProject ProjectDocument::prepare(const Scenario& scenario) {
  PreparedProject p;
  const GeneratedTraffic* t = latestGeneration(scenario);
  if (!t || !generationMatchesGrid(scenario, *t)) return p;
  if (auto u = generationUtilities(scenario, *t); u) {
    p.runId = t->runId;
    p.utilities = std::make_shared<const std::vector<SiteUtilities>>(std::move(*u));
  }
  return p;
}

void ProjectDocument::open(Scenario scenario, const QString& path, bool modified, const PreparedProject& prepared) {
  ProjectVersion v;
  v.generationOptions.scope = kCandidatesScope;
  v.utilities = prepared.utilities;
  v.utilitiesRunId = prepared.runId;
  m_openNotice.clear();
  // A generation stored for another grid (a file edited elsewhere) is not shown on this one.
  if (const GeneratedTraffic* t = latestGeneration(scenario); t && !generationMatchesGrid(scenario, *t)) {
    const int sites = dropCandidatesGenerations(scenario);
    m_openNotice =
        tr("The stored traffic of %n site(s) was generated for another candidate grid and is not shown; "
           "generate again (the file keeps it until you save).",
           nullptr, sites);
  }
  if (const GeneratedTraffic* t = latestGeneration(scenario))
    if (const auto stored = storedRankingOptions(scenario, t->runId)) v.rankingOptions = *stored;
  rank(v, scenario);
  v.scenario = std::make_shared<const Scenario>(std::move(scenario));
  m_undo->clear();  // the history belongs to the project it edited
  m_current = std::move(v);
  m_study.reset();
  m_path = path;
  m_neverSaved = modified;
  m_undo->setClean();
  Q_EMIT projectReplaced();
  emitModified();
}

void ProjectDocument::close() {
  m_undo->clear();
  m_current = ProjectVersion();
  m_current.generationOptions.scope = kCandidatesScope;
  m_study.reset();
  m_path.clear();
  m_openNotice.clear();
  m_neverSaved = false;
  Q_EMIT projectReplaced();
  emitModified();
}

bool ProjectDocument::isModified() const { return hasProject() && (m_neverSaved || !m_undo->isClean()); }

void ProjectDocument::markSaved(const QString& path, int cleanIndex) {
  m_path = path;
  m_neverSaved = false;
  // Edits made while the save ran are not in the file: only a save of the version on show cleans.
  if (cleanIndex == m_undo->index()) m_undo->setClean();
  emitModified();
}

void ProjectDocument::emitModified() {
  const bool modified = isModified();
  Q_EMIT modifiedChanged(modified);
}

void ProjectDocument::apply(const ProjectVersion& version, ProjectParts parts) {
  m_current = version;
  Q_EMIT changed(parts);
  emitModified();
}

void ProjectDocument::commit(ProjectVersion next, ProjectParts parts, const QString& text) {
  m_undo->push(new ProjectVersionCommand(this, m_current, std::move(next), parts, text));
}

int ProjectDocument::discardedByAreaChange() const {
  if (!hasProject()) return 0;
  const GeneratedTraffic* t = latestGeneration(*m_current.scenario);
  return t ? int(t->samplesBySite.size()) : 0;
}

Status ProjectDocument::checkAoi(const Geometry& aoi) const {
  if (!hasProject()) return Error(ErrorCode::InvalidArgument, tr("open or create a city first"));
  if (aoi.isEmpty()) return {};
  const Extent scenarioExtent = contextExtent(*m_current.scenario);
  if (!scenarioExtent.isEmpty() && !scenarioExtent.intersects(aoi.extent()))
    return Error(
        ErrorCode::InvalidArgument,
        tr("the area of interest does not overlap the scenario (its extent is %1 × %2 km, the scenario's %3 × %4 km, "
           "%5 km apart): import it in the scenario's region, or check its CRS")
            .arg(aoi.extent().width() / 1000.0, 0, 'f', 1)
            .arg(aoi.extent().height() / 1000.0, 0, 'f', 1)
            .arg(scenarioExtent.width() / 1000.0, 0, 'f', 1)
            .arg(scenarioExtent.height() / 1000.0, 0, 'f', 1)
            .arg(std::hypot(aoi.extent().centre().x - scenarioExtent.centre().x, aoi.extent().centre().y - scenarioExtent.centre().y) /
                     1000.0,
                 0, 'f', 0));
  return {};
}

Status ProjectDocument::setArea(const Geometry& aoi, const CandidateGridOptions& options, const QString& text) {
  if (auto problem = checkAoi(aoi); !problem) return problem;
  const Scenario& now = *m_current.scenario;
  auto next = std::make_shared<Scenario>(now);
  next->aoi = aoi;
  if (aoi.isEmpty()) {
    next->candidates.clear();
  } else {
    auto grid = buildCandidateGrid(now, aoi, options);
    if (!grid) return grid.error();
    next->candidates = std::move(*grid);
  }
  ProjectVersion v = m_current;
  v.gridOptions = options;
  ProjectParts parts = ProjectPart::Area;
  if (dropCandidatesGenerations(*next) > 0) parts |= ProjectPart::Generation | ProjectPart::Ranking;
  rank(v, *next);
  v.scenario = std::move(next);
  commit(std::move(v), parts, text);
  return {};
}

void ProjectDocument::setGenerationOptions(const GenerationOptions& options) {
  if (!hasProject()) return;
  // The chunk size is a technical knob (progress and cancel granularity, same results): not an edit.
  m_current.generationOptions.sitesPerChunk = options.sitesPerChunk;
  const GenerationOptions& o = m_current.generationOptions;
  if (o.samples == options.samples && o.seed == options.seed) return;
  ProjectVersion v = m_current;
  v.generationOptions = options;
  v.generationOptions.scope = kCandidatesScope;
  commit(std::move(v), ProjectPart::Settings, tr("Generation settings: %1 samples, seed %2").arg(options.samples).arg(options.seed));
}

Status ProjectDocument::addGeneration(Generation generation, const QString& fromGridHash) {
  if (!hasProject()) return Error(ErrorCode::InvalidArgument, tr("the project was closed"));
  const bool candidates = generation.run.parameters.value(QStringLiteral("scope")).toString() == kCandidatesScope;
  if (candidates && fromGridHash != candidateGridHash(*m_current.scenario))
    return Error(ErrorCode::InvalidArgument, tr("the candidate grid changed while the traffic was generated: the result was discarded; "
                                                "generate again for the grid on show"));
  auto next = std::make_shared<Scenario>(*m_current.scenario);
  const int sites = int(generation.traffic.samplesBySite.size());
  ProjectVersion v = m_current;
  v.utilities = generation.utilities;  // computed on the worker with the traffic, when it was
  v.utilitiesRunId = generation.utilities ? generation.traffic.runId : QString();
  applyGeneration(*next, std::move(generation));
  rank(v, *next);
  v.scenario = std::move(next);
  commit(std::move(v), ProjectPart::Generation | ProjectPart::Ranking, tr("Generate traffic for %n site(s)", nullptr, sites));
  return {};
}

void ProjectDocument::setRankingOptions(const RankingOptions& options) {
  if (!hasProject()) return;
  ProjectVersion v = m_current;
  v.rankingOptions = options;
  auto next = std::make_shared<Scenario>(*m_current.scenario);
  rank(v, *next);
  v.scenario = std::move(next);
  commit(std::move(v), ProjectPart::Ranking, tr("Rank by %1, top %2").arg(utilityName(options.utility)).arg(options.topK));
}

QString ProjectDocument::generatorKey(GeneratorRole role) const {
  return hasProject() ? chosenGeneratorKey(*m_current.scenario, role) : defaultGeneratorKey();
}

Status ProjectDocument::setGeneratorKey(GeneratorRole role, const QString& key) {
  if (!hasProject()) return Error(ErrorCode::InvalidArgument, tr("open or create a city first"));
  if (key == generatorKey(role)) return {};
  if (auto usable = checkGeneratorKey(*m_current.scenario, key, role); !usable) return usable;
  auto next = std::make_shared<Scenario>(*m_current.scenario);
  next->metadata.extra.insert(generatorChoiceMetadataKey(role), key);
  ProjectVersion v = m_current;
  ProjectParts parts = ProjectPart::Settings;
  if (role == GeneratorRole::Planning && dropCandidatesGenerations(*next) > 0) parts |= ProjectPart::Generation | ProjectPart::Ranking;
  rank(v, *next);
  v.scenario = std::move(next);
  commit(std::move(v), parts,
         role == GeneratorRole::Planning ? tr("Planning generator: %1").arg(key) : tr("Forecast generator: %1").arg(key));
  return {};
}

Status ProjectDocument::addProjectModel(ProjectModel model, RunRecord trainingRun) {
  if (!hasProject()) return Error(ErrorCode::InvalidArgument, tr("the project was closed"));
  for (const ProjectModel& m : m_current.scenario->projectModels)
    if (m.id == model.id) return Error(ErrorCode::InvalidArgument, tr("the project already has a model '%1'").arg(model.id));
  auto next = std::make_shared<Scenario>(*m_current.scenario);
  const QString name = model.name;
  next->projectModels.push_back(std::move(model));
  next->runs.push_back(std::move(trainingRun));
  ProjectVersion v = m_current;
  v.scenario = std::move(next);
  commit(std::move(v), ProjectPart::Models, tr("Add model \"%1\"").arg(name));
  return {};
}

QList<GeneratorRole> ProjectDocument::rolesUsingModel(const QString& id) const {
  QList<GeneratorRole> roles;
  for (const GeneratorRole role : {GeneratorRole::Planning, GeneratorRole::Forecast})
    if (generatorKey(role) == projectGeneratorKey(id)) roles << role;
  return roles;
}

Status ProjectDocument::removeProjectModel(const QString& id) {
  if (!hasProject()) return Error(ErrorCode::InvalidArgument, tr("the project was closed"));
  auto next = std::make_shared<Scenario>(*m_current.scenario);
  auto& models = next->projectModels;
  const auto it = std::find_if(models.begin(), models.end(), [&](const ProjectModel& m) { return m.id == id; });
  if (it == models.end()) return Error(ErrorCode::InvalidArgument, tr("the project has no model '%1'").arg(id));
  const QString name = it->name;
  models.erase(it);
  ProjectParts parts = ProjectPart::Models;
  const QList<GeneratorRole> roles = rolesUsingModel(id);
  for (const GeneratorRole role : roles) {
    // The default generator takes over; the candidates' traffic it made would show under the
    // default's name, so it goes as setGeneratorKey would drop it.
    next->metadata.extra.remove(generatorChoiceMetadataKey(role));
    parts |= ProjectPart::Settings;
    if (role == GeneratorRole::Planning && dropCandidatesGenerations(*next) > 0) parts |= ProjectPart::Generation | ProjectPart::Ranking;
  }
  ProjectVersion v = m_current;
  rank(v, *next);
  v.scenario = std::move(next);
  commit(std::move(v), parts, tr("Remove model \"%1\"").arg(name));
  return {};
}

void ProjectDocument::setStudy(std::shared_ptr<const OperationsStudy> study) {
  m_study = std::move(study);
  Q_EMIT changed(ProjectPart::Study);
}

void ProjectDocument::rank(ProjectVersion& v, Scenario& scenario) {
  v.ranking.reset();
  v.rankingProblem.clear();
  const GeneratedTraffic* traffic = latestGeneration(scenario);
  if (!traffic) {
    v.utilities.reset();
    v.utilitiesRunId.clear();
    return;
  }
  if (!v.utilities || v.utilitiesRunId != traffic->runId) {
    auto utilities = generationUtilities(scenario, *traffic);
    if (!utilities) {
      v.utilities.reset();
      v.rankingProblem = utilities.error().message();
      return;
    }
    v.utilities = std::make_shared<const std::vector<SiteUtilities>>(std::move(*utilities));
    v.utilitiesRunId = traffic->runId;
  }
  auto ranking = rankSites(*v.utilities, v.rankingOptions);
  if (!ranking) {
    v.rankingProblem = ranking.error().message();
    return;
  }
  // The rankings table holds what is shown, so a saved project reopens ranked the same way.
  const QString runId = traffic->runId;
  std::erase_if(scenario.rankings.mut(), [&](const RankingRow& r) { return r.runId == runId; });
  for (RankingRow& row : rankingRows(*ranking, runId)) scenario.rankings.push_back(std::move(row));
  v.ranking = std::make_shared<const Ranking>(std::move(*ranking));
}

}  // namespace netspatial::app
