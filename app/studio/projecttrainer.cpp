#include "app/studio/projecttrainer.h"

#include "app/common/evaluation.h"
#include "app/common/generatorchoice.h"
#include "app/common/recipetraining.h"
#include "app/common/trainingrecipe.h"
#include "app/studio/taskmanager.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QSettings>
#include <QTemporaryDir>
#include <QUuid>

#include <memory>
#include <optional>

namespace netspatial::app {

using core::Error;
using core::ErrorCode;

namespace {

const QString kRateKey = QStringLiteral("training/secondsPerStep");
// The embedded model's card: 4,300 steps in 249.4 s on one intra-op thread.
constexpr double kEmbeddedSecondsPerStep = 249.4 / 4300.0;
// Training takes most of the task; the honest score on the held-out blocks the rest.
constexpr double kTrainingShare = 0.9;

QString tomlString(QString s) {
  s.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('"'), QStringLiteral("\\\""));
  s.replace(QLatin1Char('\n'), QStringLiteral("\\n")).replace(QLatin1Char('\t'), QStringLiteral("\\t"));
  return QLatin1Char('"') + s + QLatin1Char('"');
}

QString number(double v) { return QLocale::c().toString(v, 'g', 10); }

//! What the worker hands back: the model and the record of its training.
struct Outcome {
  core::ProjectModel model;
  core::RunRecord run;
  double secondsPerStep = 0.0;
};

//! The held-out score of `weights` against the zone template, as `netspatial evaluate` computes it
//! on the same split; appended to the model card and kept in the provenance.
core::Status scoreOnHeldOut(const std::vector<std::uint8_t>& weights, const QString& projectPath, const ProjectTrainingRequest& request,
                            Outcome& out, core::Feedback* feedback) {
  QTemporaryDir dir;
  if (!dir.isValid()) return Error(ErrorCode::Io, QStringLiteral("no temporary folder for the held-out score"));
  const QString path = dir.filePath(QStringLiteral("model.nsm"));
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly) ||
      f.write(reinterpret_cast<const char*>(weights.data()), qint64(weights.size())) != qint64(weights.size()))
    return Error(ErrorCode::Io, QStringLiteral("cannot write the weights for the held-out score: %1").arg(f.errorString()), {path});
  f.close();
  EvaluationOptions o;
  o.trainPaths = {projectPath};
  o.holdoutFraction = request.holdout;
  o.groupSize = request.groupSize;
  o.splitSeed = request.splitSeed;
  o.generators = {"netspatial", "zone_template"};
  o.weights = {WeightsChoice{{}, path}};
  o.samples = request.scoreSamples;
  o.seed = request.seed;
  auto report = runEvaluation(o, feedback);
  if (!report) return report.error();
  QStringList table{QStringLiteral("| generator | mae | rmse | crps | corr |"), QStringLiteral("|---|---|---|---|---|")};
  for (const EvaluationRow& row : report->rows) {
    const QString name = row.generator == QStringLiteral("netspatial") ? out.model.name : row.displayName;
    table << QStringLiteral("| %1 | %2 | %3 | %4 | %5 |")
                 .arg(name, number(row.metrics.value(QStringLiteral("mae"))), number(row.metrics.value(QStringLiteral("rmse"))),
                      number(row.metrics.value(QStringLiteral("crps"))), number(row.metrics.value(QStringLiteral("corr"))));
    const QString key =
        row.generator == QStringLiteral("netspatial") ? QStringLiteral("heldout_mae") : QStringLiteral("heldout_mae_%1").arg(row.generator);
    out.model.provenance.insert(key, row.metrics.value(QStringLiteral("mae")));
  }
  out.model.provenance.insert(QStringLiteral("heldout_sites"), report->testSites);
  out.model.provenance.insert(QStringLiteral("heldout_split"), report->split);
  out.model.modelCard +=
      QStringLiteral("\n## Held-out score (studio)\n\n%1; %2 test sites, %3 samples each, metrics on (x − min)/(max − min).\n\n%4\n")
          .arg(report->split)
          .arg(report->testSites)
          .arg(request.scoreSamples)
          .arg(table.join(QLatin1Char('\n')));
  return {};
}

}  // namespace

TrainingSteps TrainingSteps::quick() { return {20, 20, 20, 100, 32, 2}; }
TrainingSteps TrainingSteps::full() { return {600, 400, 300, 3000, 128, 5}; }

ProjectTrainer::ProjectTrainer(ProjectDocument* document, TaskManager* tasks, QObject* parent)
    : QObject(parent), m_document(document), m_tasks(tasks) {
  // A training reads the file of the project on show; another project makes it pointless.
  connect(m_document, &ProjectDocument::projectReplaced, this, &ProjectTrainer::cancel);
}

ProjectTrainer::~ProjectTrainer() { cancel(); }

double ProjectTrainer::estimatedSeconds(const TrainingSteps& steps) {
  const double rate = QSettings().value(kRateKey, 0.0).toDouble();
  return double(steps.total()) * (rate > 0.0 ? rate : kEmbeddedSecondsPerStep);
}

QString ProjectTrainer::refusal() const {
  if (!m_document->hasProject()) return tr("Open a project first.");
  if (isRunning()) return tr("A training is already running: wait for it or cancel it.");
  if (m_document->scenario()->trafficObserved.isEmpty()) return tr("This project has no observed traffic to train on.");
  if (m_document->path().isEmpty() || !QFileInfo::exists(m_document->path()))
    return tr("Training reads the project file: save the project first (File › Save As…).");
  if (m_document->isModified())
    return tr(
        "The project has unsaved changes, and training reads the saved file: save it first (File › Save), so that the model "
        "learns what you see.");
  return {};
}

QString ProjectTrainer::recipeText(const ProjectTrainingRequest& r, const QString& modelId, const QString& projectPath,
                                   const QString& unit) {
  const TrainingSteps& s = r.steps;
  QStringList lines;
  lines << QStringLiteral("# Made by NetSpatial Studio (Models › Train on this project's observed traffic) for \"%1\".").arg(r.name)
        << QStringLiteral("[model]") << QStringLiteral("id = %1").arg(tomlString(modelId))
        << QStringLiteral("init = %1").arg(tomlString(r.fromEmbedded ? QStringLiteral("embedded") : QStringLiteral("scratch")))
        << QStringLiteral("seed = %1").arg(r.seed) << QStringLiteral("image_steps = %1").arg(s.image)
        << QStringLiteral("poi_steps = %1").arg(s.poi) << QStringLiteral("fusion_steps = %1").arg(s.fusion)
        << QStringLiteral("generator_steps = %1").arg(s.generator) << QStringLiteral("batch_size = %1").arg(s.batchSize)
        << QStringLiteral("windows_per_site = %1").arg(s.windowsPerSite) << QString() << QStringLiteral("[data]")
        << QStringLiteral("scenarios = [{ file = %1, unit = %2, holdout = %3, group_size = %4, split_seed = %5 }]")
               .arg(tomlString(projectPath), tomlString(unit), number(r.holdout), number(r.groupSize))
               .arg(r.splitSeed)
        << QStringLiteral("wall_clock_hours = true") << QString()
        << QStringLiteral("[output]")
        // Required by the recipe format; nothing is written there: the weights go into the project.
        << QStringLiteral("weights = %1").arg(tomlString(modelId + QStringLiteral(".nsm")))
        << QStringLiteral("card = %1").arg(tomlString(modelId + QStringLiteral(".md")));
  return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

void ProjectTrainer::cancel() {
  if (m_taskId) m_tasks->cancel(m_taskId);
}

quint64 ProjectTrainer::start(const ProjectTrainingRequest& request) {
  if (!refusal().isEmpty()) return 0;
  const QString projectPath = QFileInfo(m_document->path()).absoluteFilePath();
  const QString modelId = QStringLiteral("pm_%1").arg(QUuid::createUuid().toString(QUuid::Id128).left(10));
  const QString text = recipeText(request, modelId, projectPath, m_document->scenario()->metadata.trafficUnit);
  // The recipe "lives" beside the project: its relative outputs, never written, resolve there.
  const QString recipePath = QFileInfo(projectPath).dir().filePath(QStringLiteral("recipes/%1.toml").arg(modelId));
  auto outcome = std::make_shared<std::optional<Outcome>>();

  Task task;
  task.title = tr("Training \"%1\" on %2").arg(request.name, QFileInfo(projectPath).fileName());
  task.run = [request, modelId, text, recipePath, projectPath, outcome](core::Feedback* feedback) -> core::Status {
    auto recipe = parseTrainingRecipe(text, recipePath);
    if (!recipe) return recipe.error();
    RecipeTrainingOptions options;
    // Where the weights go, for the model card: the project file's table.
    options.weightsPath =
        QFileInfo(projectPath).dir().filePath(QStringLiteral("%1:project_models/%2").arg(QFileInfo(projectPath).fileName(), modelId));
    core::Feedback trainFeedback = core::Feedback::childOf(feedback, 0.0, kTrainingShare);
    auto trained = trainFromRecipe(std::move(*recipe), options, &trainFeedback);
    if (!trained) return trained.error();

    Outcome out;
    core::ProjectModel& m = out.model;
    m.id = modelId;
    m.name = request.name;
    m.sha256 = trained->facts.weightsSha256.toLower();
    m.modelCard = trained->card;
    m.created = trained->facts.finished.isValid() ? trained->facts.finished : QDateTime::currentDateTimeUtc();
    const QString dataSha = trained->data.scenarios.empty() ? QString() : trained->data.scenarios.front().sha256;
    const int trainingSites = trained->data.scenarios.empty() ? 0 : int(trained->data.scenarios.front().trainingSiteIds.size());
    const int heldOutSites = trained->data.scenarios.empty() ? 0 : int(trained->data.scenarios.front().heldOutSiteIds.size());
    m.provenance = {{QStringLiteral("recipe"), text},
                    {QStringLiteral("data_sha256"), dataSha},
                    {QStringLiteral("init"), request.fromEmbedded ? QStringLiteral("embedded") : QStringLiteral("scratch")},
                    {QStringLiteral("init_sha256"), trained->facts.initSha256},
                    {QStringLiteral("steps"), request.steps.total()},
                    {QStringLiteral("holdout"), request.holdout},
                    {QStringLiteral("training_sites"), trainingSites},
                    {QStringLiteral("held_out_sites"), heldOutSites},
                    {QStringLiteral("train_seconds"), trained->facts.trainSeconds}};
    out.secondsPerStep = request.steps.total() > 0 ? trained->facts.trainSeconds / double(request.steps.total()) : 0.0;

    core::Feedback scoreFeedback = core::Feedback::childOf(feedback, kTrainingShare, 1.0, QStringLiteral("Scoring on the held-out blocks"));
    if (auto scored = scoreOnHeldOut(trained->weights, projectPath, request, out, &scoreFeedback); !scored) {
      if (scored.error().code() == ErrorCode::Cancelled) return scored;
      // The model is usable without its score; the card and the provenance say why there is none.
      m.provenance.insert(QStringLiteral("heldout_score_error"), scored.error().message());
      m.modelCard += QStringLiteral("\n## Held-out score (studio)\n\nNot scored: %1\n").arg(scored.error().message());
    }
    if (feedback && feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("training cancelled"));
    m.weights = std::move(trained->weights);

    core::RunRecord& r = out.run;
    r.runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    r.kind = QStringLiteral("train");
    r.modelId = projectGeneratorKey(modelId);
    r.weightsSha256 = m.sha256;
    r.seed = request.seed;
    r.time = QDateTime::currentDateTimeUtc();
    r.parameters = {{QStringLiteral("name"), request.name},
                    {QStringLiteral("project_model_id"), modelId},
                    {QStringLiteral("recipe"), text},
                    {QStringLiteral("init"), m.provenance.value(QStringLiteral("init"))},
                    {QStringLiteral("steps"), request.steps.total()},
                    {QStringLiteral("holdout"), request.holdout},
                    {QStringLiteral("group_size"), request.groupSize},
                    {QStringLiteral("split_seed"), request.splitSeed},
                    {QStringLiteral("training_sites"), trainingSites},
                    {QStringLiteral("held_out_sites"), heldOutSites},
                    {QStringLiteral("train_seconds"), trained->facts.trainSeconds}};
    if (m.provenance.contains(QStringLiteral("heldout_mae")))
      r.parameters.insert(QStringLiteral("heldout_mae"), m.provenance.value(QStringLiteral("heldout_mae")));
    r.dataHashes = {{QStringLiteral("scenario_sha256"), dataSha}};
    if (!trained->facts.initSha256.isEmpty()) r.dataHashes.insert(QStringLiteral("init_weights_sha256"), trained->facts.initSha256);
    *outcome = std::move(out);
    return {};
  };
  auto id = std::make_shared<quint64>(0);
  task.finished = [this, id, outcome, projectPath](const core::Status& status) {
    if (m_taskId == *id) m_taskId = 0;
    QString error, modelId;
    if (!status.ok()) {
      error = status.error().code() == ErrorCode::Cancelled ? QStringLiteral("cancelled") : status.error().toString();
    } else if (!m_document->hasProject() || QFileInfo(m_document->path()).absoluteFilePath() != projectPath || !outcome->has_value()) {
      error = tr("the project changed while the model was trained: the model was not added");
    } else {
      QSettings().setValue(kRateKey, (*outcome)->secondsPerStep);
      modelId = (*outcome)->model.id;
      if (auto added = m_document->addProjectModel(std::move((*outcome)->model), std::move((*outcome)->run)); !added) {
        error = added.error().message();
        modelId.clear();
      }
    }
    Q_EMIT finished(error, modelId);
  };
  *id = m_tasks->submit(std::move(task));
  if (m_tasks->isQueuedOrRunning(*id)) m_taskId = *id;
  return *id;
}

}  // namespace netspatial::app
