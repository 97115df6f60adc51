#pragma once

#include "core/geo/crs.h"
#include "core/geo/geometry.h"
#include "core/import/scenarioimport.h"
#include "core/scenario/scenario.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QMainWindow>
#include <QMessageBox>
#include <QStringList>

#include <functional>
#include <memory>

class QLabel;
class QDockWidget;
class QProgressBar;
class QPushButton;
class QThread;
class QTimer;
class QUndoStack;

namespace netspatial::ui {
class MapCanvas;
class MapLayer;
class LayersPanel;
class NewScenarioWizard;
}  // namespace netspatial::ui

namespace netspatial::app {

class GeneratorService;
class MapToolbox;
class OperationsController;
class ModelsController;
class PlanningController;
class ProjectDocument;
class TaskManager;
class TaskStatusWidget;

//! The studio's main window: the map canvas in the centre, the layers dock on the left, and a
//! status bar with the cursor's lon/lat and map coordinates and a badge naming the map CRS.
//!
//! It holds one scenario (the project). Simulating, loading and saving run on a worker thread
//! with progress and Cancel in the status bar; the GUI thread only swaps in the finished result,
//! so a cancelled or failed job leaves the project as it was.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  ui::MapCanvas* canvas() const { return m_canvas; }
  PlanningController* planning() const { return m_planning; }
  OperationsController* operations() const { return m_operations; }
  ModelsController* models() const { return m_models; }
  QUndoStack* undoStack() const;
  ProjectDocument* document() const { return m_document; }
  GeneratorService* generatorService() const { return m_service; }
  MapToolbox* mapTools() const { return m_tools; }

  //! Loads `paths` in order (rasters end up below vectors) and fits the map to them. Returns one
  //! message per file that could not be opened, naming the file; shows nothing itself.
  QStringList openLayers(const QStringList& paths);
  //! Command-line files: the first .gpkg opens as the scenario (asynchronously), the other files
  //! are added as plain layers once it is shown. Errors go to openErrors() and, when interactive,
  //! to a dialog.
  void openFiles(const QStringList& paths);
  //! Every open/load error so far, one message per file.
  const QStringList& openErrors() const { return m_openErrors; }
  //! Opens `path`: a scenario GeoPackage asynchronously (replacing the project), any other GDAL/OGR
  //! file as a plain layer on the current map.
  void openFile(const QString& path);
  //! Simulates a city from `preset` and `seed` on a worker thread and shows it (unsaved).
  void newCity(const QString& preset, quint64 seed);
  //! File › New scenario from data…: runs core::importScenario (the command line's `import scenario`)
  //! and saves the result to `path` as one task (progress, Cancel: nothing written, the project as
  //! it was), then shows it as the project, saved. Errors name the file, row and field.
  void newScenarioFromData(const core::ScenarioImportOptions& options, const QString& path);
  //! First start: loads the cached demo city, or simulates cityPreset("city") with seed 1 and
  //! caches it as demoCityPath() before showing it.
  void openDemoCity();
  //! <AppDataLocation>/demo-city-v1.gpkg.
  static QString demoCityPath();
  //! Saves the scenario to `path` on a worker thread (atomic, see core::saveScenario).
  void saveScenarioAs(const QString& path);

  bool hasScenario() const;
  const core::Scenario* scenario() const;
  const QString& scenarioPath() const;
  //! True while a simulate/load/save task is queued or runs.
  bool isBusy() const { return !m_projectTasks.isEmpty(); }
  TaskManager* tasks() const { return m_tasks; }
  TaskStatusWidget* taskStatus() const { return m_taskStatus; }
  //! false: errors are logged and passed to the job callback instead of shown in dialogs (headless runs).
  //! Headless runs also answer planning's questions (discard results, large jobs) with yes.
  void setInteractive(bool interactive);
  //! Called after each job with its outcome: empty on success, else the message shown.
  void setJobFinishedCallback(std::function<void(const QString& error)> callback) { m_jobFinished = std::move(callback); }

  //! Tests answer the questions a user would: unsaved changes (Save / Discard / Cancel) and a
  //! non-scenario file chosen in File › Open (add as a layer, open as a new project).
  void setUnsavedChangesAnswer(std::function<QMessageBox::StandardButton(const QString& action)> answer) {
    m_unsavedChangesAnswer = std::move(answer);
  }
  //! Tests fill the New scenario wizard instead of a user: the driver gets the shown wizard and
  //! returns whether it was accepted (Create pressed).
  void setScenarioWizardDriver(std::function<bool(ui::NewScenarioWizard& wizard)> driver) { m_wizardDriver = std::move(driver); }
  enum class OpenAs { Layer, NewProject, Cancel };
  void setOpenAsAnswer(std::function<OpenAs(const QString& path)> answer) { m_openAsAnswer = std::move(answer); }
  //! File › Open on `path` after the dialog: a scenario replaces the project (after asking about
  //! unsaved changes); another file asks whether to add it as a layer or open it as a new project.
  void openChosenFile(const QString& path);
  //! File › Close: asks about unsaved changes, then shows an empty map.
  void closeProject();

  //! Shows the errors of openLayers() in one dialog.
  void reportOpenErrors(const QStringList& errors);
  //! Waits until the window is shown, laid out and every raster is drawn, then saves the
  //! window's image to `path` and calls `done` (true on success, with a message for stderr).
  void saveScreenshotWhenReady(const QString& path, std::function<void(bool ok, const QString& message)> done);

 public:
  struct LoadedScenario;

 public Q_SLOTS:
  void openLayerDialog();
  void newCityDialog();
  void newScenarioFromDataDialog();
  void openDialog();
  void save();
  void saveAsDialog();
  void cancelJob();
  void showAbout();

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  // A worker-thread job: `work` runs off the GUI thread and returns an error or nothing; `done`
  // runs on the GUI thread afterwards (not when cancelled or failed).
  // A project task (simulate, open, save) on the TaskManager: `work` runs off the GUI thread and
  // returns an error or nothing; `done` runs on the GUI thread afterwards (not when cancelled or failed).
  void startJob(const QString& title, std::function<core::Status(core::Feedback*)> work, std::function<void()> done);
  void finishJob(const QString& title, const core::Status& status, const std::function<void()>& done);
  void abandonProjectJobs();
  void showScenario(LoadedScenario& loaded, const QString& path, bool modified);
  //! Unsaved changes: asks Save / Discard / Cancel (Save the default). True when the caller may go
  //! on (saved, discarded, or nothing to lose); a save runs to its end first.
  bool maybeSave(const QString& action);
  //! Saves synchronously from the user's point of view (the job runs, the dialog waits): for maybeSave().
  bool saveAndWait();
  QMessageBox::StandardButton askUnsavedChanges(const QString& action);
  OpenAs askLayerOrProject(const QString& path);
  void restoreWindowLayout();
  void showError(const QString& title, const QString& message);
  void updateTitle();
  void showModalities();
  void updateActions();
  void createActions();
  void createStatusBar();
  void updateCursor(core::PointXY mapPoint);
  void clearCursor();
  void updateCrsBadge(const core::Crs& crs);

  ui::MapCanvas* m_canvas;
  ui::LayersPanel* m_layersPanel;
  QDockWidget* m_layersDock;
  QLabel* m_lonLatLabel;
  QLabel* m_mapLabel;
  QLabel* m_crsBadge;
  QAction* m_saveAction = nullptr;
  QAction* m_saveAsAction = nullptr;
  QAction* m_closeAction = nullptr;
  QList<QAction*> m_jobLockedActions;

  ProjectDocument* m_document;    //!< the one owner of the project
  TaskManager* m_tasks;           //!< every long job
  GeneratorService* m_service;    //!< the model worker, shared by planning and operations
  MapToolbox* m_tools = nullptr;  //!< what a click or a rectangle on the map means
  TaskStatusWidget* m_taskStatus;
  PlanningController* m_planning;
  OperationsController* m_operations;
  ModelsController* m_models = nullptr;
  bool m_interactive = true;
  QStringList m_pendingLayerFiles;  // added once the scenario job of openFiles() is done
  QStringList m_openErrors;
  QList<quint64> m_projectTasks;  //!< simulate/open/save tasks queued or running
  std::function<void(const QString&)> m_jobFinished;
  std::function<QMessageBox::StandardButton(const QString&)> m_unsavedChangesAnswer;
  std::function<OpenAs(const QString&)> m_openAsAnswer;
  std::function<bool(ui::NewScenarioWizard&)> m_wizardDriver;
};

}  // namespace netspatial::app
