#pragma once

#include "core/geo/crs.h"
#include "core/geo/geometry.h"
#include "core/scenario/scenario.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QMainWindow>
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
}  // namespace netspatial::ui

namespace netspatial::app {

class OperationsController;
class PlanningController;

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
  QUndoStack* undoStack() const { return m_undo; }

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
  //! First start: loads the cached demo city, or simulates cityPreset("city") with seed 1 and
  //! caches it as demoCityPath() before showing it.
  void openDemoCity();
  //! <AppDataLocation>/demo-city-v1.gpkg.
  static QString demoCityPath();
  //! Saves the scenario to `path` on a worker thread (atomic, see core::saveScenario).
  void saveScenarioAs(const QString& path);

  bool hasScenario() const { return m_scenario != nullptr; }
  const core::Scenario* scenario() const { return m_scenario.get(); }
  const QString& scenarioPath() const { return m_scenarioPath; }
  //! True while a simulate/load/save job runs.
  bool isBusy() const { return m_job != nullptr; }
  //! false: errors are logged and passed to the job callback instead of shown in dialogs (headless runs).
  void setInteractive(bool interactive) { m_interactive = interactive; }
  //! Called after each job with its outcome: empty on success, else the message shown.
  void setJobFinishedCallback(std::function<void(const QString& error)> callback) { m_jobFinished = std::move(callback); }

  //! Shows the errors of openLayers() in one dialog.
  void reportOpenErrors(const QStringList& errors);
  //! Waits until the window is shown, laid out and every raster is drawn, then saves the
  //! window's image to `path` and calls `done` (true on success, with a message for stderr).
  void saveScreenshotWhenReady(const QString& path, std::function<void(bool ok, const QString& message)> done);

 public Q_SLOTS:
  void openLayerDialog();
  void newCityDialog();
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
  struct Job;
  void startJob(const QString& title, std::function<core::Status(core::Feedback*)> work, std::function<void()> done);
  void finishJob();
  void showScenario(std::shared_ptr<core::Scenario> scenario, std::vector<std::unique_ptr<ui::MapLayer>> layers,
                    const QString& path, bool modified);
  void showError(const QString& title, const QString& message);
  void updateTitle();
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
  QProgressBar* m_progress;
  QPushButton* m_cancel;
  QTimer* m_progressTimer;
  QAction* m_saveAction = nullptr;
  QAction* m_saveAsAction = nullptr;
  QList<QAction*> m_jobLockedActions;

  QUndoStack* m_undo;
  PlanningController* m_planning;
  OperationsController* m_operations;
  std::shared_ptr<core::Scenario> m_scenario;
  QString m_scenarioPath;  // empty: never saved
  bool m_modified = false;
  bool m_interactive = true;
  QStringList m_pendingLayerFiles;  // added once the scenario job of openFiles() is done
  QStringList m_openErrors;
  std::unique_ptr<Job> m_job;
  std::function<void(const QString&)> m_jobFinished;
};

}  // namespace netspatial::app
