#pragma once

// The Models menu of the studio (issue 19, item 5): Models › Train on this project's observed
// traffic… opens the dialog and hands the choices to the ProjectTrainer (the training task,
// without widgets); Models › Cancel training stops it (nothing changes in the project). A trained
// model becomes a project model, selectable in the generator choosers of the planning and
// operations settings.

#include <QObject>
#include <QString>

class QAction;
class QMainWindow;
class QMenu;

namespace netspatial::app {

class ProjectDocument;
class ProjectTrainer;
class TaskManager;
struct ProjectTrainingRequest;

class ModelsController : public QObject {
  Q_OBJECT

 public:
  ModelsController(QMainWindow* window, ProjectDocument* document, TaskManager* tasks);
  ~ModelsController() override;

  QMenu* menu() const { return m_menu; }
  ProjectTrainer* trainer() const { return m_trainer; }
  QAction* trainAction() const { return m_trainAction; }
  QAction* removeAction() const { return m_removeAction; }

  //! Opens the dialog (or says why training cannot start) and starts the training it asks for.
  void trainDialog();
  //! Starts a training without the dialog (scripted runs, tests); false with a status message when refused.
  bool startTraining(const ProjectTrainingRequest& request);
  //! Models › Remove a project model…: picks one, asks first when a generator choice uses it.
  void removeDialog();
  //! Removes project model `id` (undoable); false with a status message when refused.
  bool removeModel(const QString& id);

 Q_SIGNALS:
  //! A training ended: empty on success (the model is in the project), else the reason.
  void trainingFinished(const QString& error);

 private:
  void updateActions();
  void onFinished(const QString& error, const QString& modelId);

  QMainWindow* m_window;
  ProjectDocument* m_document;
  ProjectTrainer* m_trainer;
  QMenu* m_menu = nullptr;
  QAction* m_trainAction = nullptr;
  QAction* m_cancelAction = nullptr;
  QAction* m_removeAction = nullptr;
};

}  // namespace netspatial::app
