#pragma once

// Models › Train on this project's observed traffic… without its dialog (issue 19, item 5): builds
// a training recipe in memory that reads the saved project file (a recipe's [data] scenarios is a
// file: the project must be saved), runs the recipe engine (app/common/recipetraining.h) as a task
// of the studio's TaskManager — progress with the stage, ETA and Cancel in the status bar — scores
// the result on the held-out blocks it never saw, and adds it to the project as a project model
// with a `runs` record of the training (one undoable step). A cancelled or failed training
// changes nothing in the project.

#include "app/studio/projectdocument.h"
#include "core/util/result.h"

#include <QObject>
#include <QString>

namespace netspatial::app {

class TaskManager;

//! Steps of each training stage (NetSpatialConfig's names) and the batch.
struct TrainingSteps {
  int image = 0, poi = 0, fusion = 0, generator = 0;
  int batchSize = 128;
  int windowsPerSite = 5;
  int total() const { return image + poi + fusion + generator; }
  //! "quick (smoke)": every stage runs, a few steps each: to see that it works, not to learn.
  static TrainingSteps quick();
  //! "full": the steps of the embedded model's recipe (recipes/netspatial.toml).
  static TrainingSteps full();
};

struct ProjectTrainingRequest {
  QString name;               //!< the model's name in the chooser
  bool fromEmbedded = true;   //!< fine-tune the embedded NetSpatial weights; false: from scratch
  double holdout = 0.2;       //!< fraction of sites held out (by blocks) for an honest score
  double groupSize = 1000.0;  //!< metres: the held-out blocks' side
  quint64 splitSeed = 1;
  quint64 seed = 1;
  TrainingSteps steps = TrainingSteps::quick();
  int scoreSamples = 4;  //!< samples per held-out site for the score
};

class ProjectTrainer : public QObject {
  Q_OBJECT

 public:
  ProjectTrainer(ProjectDocument* document, TaskManager* tasks, QObject* parent = nullptr);
  ~ProjectTrainer() override;

  //! Why training cannot start now (no project, not saved, unsaved changes, no observed traffic, a
  //! training already running); empty when it can.
  QString refusal() const;
  //! Starts the training task; 0 (and finished() is not emitted) when refused.
  quint64 start(const ProjectTrainingRequest& request);
  void cancel();
  bool isRunning() const { return m_taskId != 0; }

  //! The recipe a request trains, reading `projectPath` whose traffic is in `unit`.
  static QString recipeText(const ProjectTrainingRequest& request, const QString& modelId, const QString& projectPath, const QString& unit);
  //! Seconds the training steps of `steps` take on this machine: the rate of the last training here
  //! (QSettings "training/secondsPerStep"), else the embedded model's (4,300 steps in 249 s on one
  //! core). Reading the data and scoring come on top.
  static double estimatedSeconds(const TrainingSteps& steps);

 Q_SIGNALS:
  //! The training ended: on success `error` is empty and the project holds model `modelId`; else
  //! the reason ("cancelled" when cancelled) and the project is as it was.
  void finished(const QString& error, const QString& modelId);

 private:
  ProjectDocument* m_document;
  TaskManager* m_tasks;
  quint64 m_taskId = 0;
};

}  // namespace netspatial::app
