#include "app/studio/modelscontroller.h"

#include "app/common/generators.h"
#include "app/studio/projectdocument.h"
#include "app/studio/projecttrainer.h"
#include "app/studio/taskmanager.h"
#include "ui/models/trainmodeldialog.h"
#include "ui/util/numberformat.h"

#include <QAction>
#include <QFileInfo>
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
  connect(m_trainer, &ProjectTrainer::finished, this, &ModelsController::onFinished);
  connect(m_document, &ProjectDocument::projectReplaced, this, &ModelsController::updateActions);
  connect(m_document, &ProjectDocument::modifiedChanged, this, &ModelsController::updateActions);
  updateActions();
}

ModelsController::~ModelsController() = default;

void ModelsController::updateActions() {
  // Enabled with a project even when a save is needed: the dialog then says why it cannot train.
  m_trainAction->setEnabled(m_document->hasProject() && !m_trainer->isRunning());
  m_cancelAction->setEnabled(m_trainer->isRunning());
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
