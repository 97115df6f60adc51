#include "app/studio/modelscontroller.h"

#include "app/common/generators.h"
#include "app/studio/projectdocument.h"
#include "app/studio/projecttrainer.h"
#include "app/studio/taskmanager.h"
#include "ui/models/trainmodeldialog.h"
#include "ui/util/numberformat.h"

#include <QAction>
#include <QFileInfo>
#include <QInputDialog>
#include <QLocale>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QStatusBar>

namespace netspatial::app {

namespace {
constexpr int kMessageTimeoutMs = 12000;

TrainingSteps stepsOf(bool full) { return full ? TrainingSteps::full() : TrainingSteps::quick(); }
}  // namespace

ModelsController::ModelsController(QMainWindow* window, ProjectDocument* document, TaskManager* tasks)
    : QObject(window), m_window(window), m_document(document), m_trainer(new ProjectTrainer(document, tasks, this)) {
  m_menu = new QMenu(tr("&Models"), window);
  m_trainAction = m_menu->addAction(tr("&Train on this project's observed traffic…"), this, &ModelsController::trainDialog);
  m_trainAction->setObjectName(QStringLiteral("trainModelAction"));
  m_trainAction->setStatusTip(tr("Train a NetSpatial generator on the project's observed traffic, as a task; it becomes a project model"));
  m_cancelAction = m_menu->addAction(tr("&Cancel training"), m_trainer, &ProjectTrainer::cancel);
  m_cancelAction->setStatusTip(tr("Stop the training: nothing changes in the project"));
  m_menu->addSeparator();
  m_removeAction = m_menu->addAction(tr("&Remove a project model…"), this, &ModelsController::removeDialog);
  m_removeAction->setObjectName(QStringLiteral("removeModelAction"));
  m_removeAction->setStatusTip(tr("Remove a model trained for this project (undoable; the runs it made stay in the project)"));
  connect(m_trainer, &ProjectTrainer::finished, this, &ModelsController::onFinished);
  connect(m_document, &ProjectDocument::changed, this, &ModelsController::updateActions);
  connect(m_document, &ProjectDocument::projectReplaced, this, &ModelsController::updateActions);
  connect(m_document, &ProjectDocument::modifiedChanged, this, &ModelsController::updateActions);
  updateActions();
}

ModelsController::~ModelsController() = default;

void ModelsController::updateActions() {
  // Enabled with a project even when a save is needed: the dialog then says why it cannot train.
  m_trainAction->setEnabled(m_document->hasProject() && !m_trainer->isRunning());
  m_cancelAction->setEnabled(m_trainer->isRunning());
  m_removeAction->setEnabled(m_document->hasProject() && !m_document->scenario()->projectModels.empty() && !m_trainer->isRunning());
}

void ModelsController::removeDialog() {
  if (!m_document->hasProject() || m_document->scenario()->projectModels.empty()) return;
  QStringList names;
  QStringList ids;
  for (const core::ProjectModel& m : m_document->scenario()->projectModels) {
    names << tr("%1 (%2)").arg(m.name, QLocale().toString(m.created.toLocalTime(), QLocale::ShortFormat));
    ids << m.id;
  }
  bool ok = false;
  const QString picked = QInputDialog::getItem(m_window, tr("Remove a project model"), tr("Model:"), names, 0, false, &ok);
  if (!ok) return;
  const QString id = ids.value(names.indexOf(picked));
  const QList<GeneratorRole> roles = m_document->rolesUsingModel(id);
  if (!roles.isEmpty()) {
    QStringList uses;
    for (const GeneratorRole role : roles) uses << (role == GeneratorRole::Planning ? tr("planning") : tr("forecasts"));
    const auto answer =
        QMessageBox::question(m_window, tr("Remove a project model"),
                              tr("\"%1\" is the generator for %2. Those go back to the default generator, and the candidates' traffic it "
                                 "generated is discarded. Edit › Undo brings everything back.")
                                  .arg(picked, uses.join(tr(" and "))),
                              QMessageBox::Ok | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Ok) return;
  }
  removeModel(id);
}

bool ModelsController::removeModel(const QString& id) {
  QString name = id;
  if (m_document->hasProject())
    for (const core::ProjectModel& m : m_document->scenario()->projectModels)
      if (m.id == id) name = m.name;
  if (m_trainer->isRunning()) {
    m_window->statusBar()->showMessage(tr("A training is running: remove models when it ends"), kMessageTimeoutMs);
    return false;
  }
  if (auto s = m_document->removeProjectModel(id); !s) {
    m_window->statusBar()->showMessage(tr("Cannot remove the model: %1").arg(s.error().message()), kMessageTimeoutMs);
    return false;
  }
  m_window->statusBar()->showMessage(tr("Model \"%1\" removed (Edit › Undo brings it back)").arg(name), kMessageTimeoutMs);
  return true;
}

void ModelsController::trainDialog() {
  if (const QString why = m_trainer->refusal(); !why.isEmpty()) {
    QMessageBox::information(m_window, tr("Train on this project's observed traffic"), why);
    return;
  }
  const auto p = m_document->scenario();
  const QString name = p->metadata.name.isEmpty() ? QFileInfo(m_document->path()).completeBaseName() : p->metadata.name;
  ui::TrainModelDialog dialog(
      name, int(p->trafficObserved.valuesBySite.size()), hasEmbeddedWeights(kNetSpatialId),
      [](const ui::TrainModelChoices& c) {
        const TrainingSteps steps = stepsOf(c.full);
        const double seconds = ProjectTrainer::estimatedSeconds(steps);
        return tr("about %1 of training (%2 steps at %3 s per step on this machine), plus reading the "
                  "data and scoring on the held-out sites")
            .arg(ui::formatDuration(seconds), QLocale().toString(steps.total()))
            .arg(seconds / steps.total(), 0, 'f', 3);
      },
      m_window);
  if (dialog.exec() != QDialog::Accepted) return;
  const ui::TrainModelChoices c = dialog.choices();
  ProjectTrainingRequest request;
  request.name = c.name;
  request.fromEmbedded = c.fromEmbedded;
  request.holdout = c.holdout;
  request.steps = stepsOf(c.full);
  startTraining(request);
}

bool ModelsController::startTraining(const ProjectTrainingRequest& request) {
  if (const QString why = m_trainer->refusal(); !why.isEmpty()) {
    m_window->statusBar()->showMessage(why, kMessageTimeoutMs);
    return false;
  }
  if (!m_trainer->start(request)) return false;
  // Short: the task's stage, progress and ETA show beside it.
  m_window->statusBar()->showMessage(tr("Training \"%1\"…").arg(request.name), kMessageTimeoutMs);
  updateActions();
  return true;
}

void ModelsController::onFinished(const QString& error, const QString& modelId) {
  updateActions();
  if (error == QStringLiteral("cancelled")) {
    m_window->statusBar()->showMessage(tr("Training cancelled — nothing was changed"), kMessageTimeoutMs);
  } else if (!error.isEmpty()) {
    m_window->statusBar()->showMessage(tr("Training failed: %1").arg(error), kMessageTimeoutMs);
  } else {
    QString name = modelId;
    for (const core::ProjectModel& m : m_document->scenario()->projectModels)
      if (m.id == modelId) name = m.name;
    m_window->statusBar()->showMessage(tr("Model \"%1\" added: choose it in Planning › Candidate grid… or the operations panel").arg(name),
                                       kMessageTimeoutMs);
  }
  Q_EMIT trainingFinished(error);
}

}  // namespace netspatial::app
