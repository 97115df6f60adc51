#pragma once

// The operations workflow in the studio (DESIGN.md §9–10; issue 7): pick stations (all, a
// selection drawn on the map, a zone), forecast them with the generator's operations mode on the
// GeneratorService worker (progress, cancel), then show the sleep study, NetSpatial's paper mode and
// load balancing in the Operations dock, the hours each station sleeps on the map, and a station's
// forecast beside its observed load in the site inspector. A study reads the project and changes
// nothing in it, so there is nothing to undo; the exports write what is shown.

#include "app/common/operations.h"
#include "core/geo/geometry.h"
#include "core/scenario/scenario.h"
#include "core/util/result.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSize>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QMainWindow;
class QMenu;
class QPushButton;
class QTabWidget;

namespace netspatial::ui {
class BalanceView;
class MapCanvas;
class OperationsSettingsWidget;
class PaperModeView;
class SleepStudyView;
}  // namespace netspatial::ui

namespace netspatial::app {

class GeneratorService;
class ProjectDocument;
class MapToolbox;
class TaskStatusWidget;
class PlanningController;

class OperationsController : public QObject {
  Q_OBJECT

 public:
  //! Results tabs of the dock, in order.
  enum ResultTab { SleepTab = 0, PaperTab, BalanceTab };

  OperationsController(QMainWindow* window, ui::MapCanvas* canvas, MapToolbox* tools, ProjectDocument* document,
                       PlanningController* planning, GeneratorService* service, TaskStatusWidget* taskStatus);
  ~OperationsController() override;

  //! A new project is on the map (the document was replaced): forget the selection and the map
  //! layer; list its zones. The document forgot the study.

  QMenu* menu() const { return m_menu; }
  QDockWidget* dock() const { return m_dock; }
  ui::OperationsSettingsWidget* settingsWidget() const { return m_settings; }
  ui::SleepStudyView* sleepView() const { return m_sleepView; }
  ui::PaperModeView* paperView() const { return m_paperView; }
  ui::BalanceView* balanceView() const { return m_balanceView; }
  QTabWidget* resultTabs() const { return m_results; }
  QPushButton* runButton() const { return m_run; }
  QPushButton* cancelButton() const { return m_cancelInDock; }
  QLabel* summaryLabel() const { return m_summary; }

  //! Stations selected on the map for the Selection scope (ids of stations with observed traffic).
  const QStringList& selection() const { return m_selection; }
  //! Replaces the selection (ids without observed traffic are dropped); shown in the settings.
  void setSelection(const QStringList& ids);
  //! The stations with observed traffic inside `extent` (map CRS) become the selection.
  void selectStationsIn(const core::Extent& extent);
  //! Operations › Select stations on the map: the next rectangle dragged on the map selects them.
  void selectStationsOnMap();

  //! Undoable: forecasts use `key` from now on (refused while a study runs, and for a generator
  //! that cannot forecast); the study on show, made by the previous one, goes.
  core::Status chooseGenerator(const QString& key);

  //! Starts a study with the panel's settings on the worker; false (with a status message) when
  //! busy, without a project, when the settings are invalid or the scope selects no station.
  bool startStudy();
  void cancelStudy();
  //! Another project is about to replace this one: the running study is cancelled and its result
  //! dropped (nothing is reported for it).
  void abandonJob();
  bool isRunning() const { return m_jobId != 0; }
  void projectShown();
  //! The finished study shown, if any.
  const OperationsStudy* study() const;
  //! How long the GUI thread took to show the last study (views, map layer), ms.
  double lastShowMs() const { return m_showMs; }
  //! Longest gap between two 5 ms event-loop ticks from the start of the last study until its plots
  //! were drawn (DESIGN.md §13: the GUI never blocks > 50 ms while jobs run).
  double longestStallMs() const;
  //! Map layer id of the sleep-hours layer (0 when none).
  quint64 sleepLayerId() const { return m_sleepLayerId; }

  //! What the inspector shows for station `index` of the study: its forecast samples over the
  //! period beside the observed load, with its sleep and balance figures as facts.
  core::SiteSummary inspectedStation(int index) const;
  //! Shows the study's station nearest `point` within `tolerance` (map units) in the inspector;
  //! false when no study station is there.
  bool inspectAt(core::PointXY point, double tolerance);
  //! Shows the study station `id` in the inspector and centres the map on it.
  bool inspectStation(const QString& id);

  // Exports of the study shown (the dialogs call these; tests call them directly).
  core::Status exportScheduleCsv(const QString& path) const;
  core::Status exportSummaryCsv(const QString& path) const;
  core::Status exportBalanceCsv(const QString& path) const;
  //! Every plot as PNG into `directory`: sleep-timeline, sleep-power, sleep-tradeoff,
  //! sleep-comparison, paper-mode, balance (.png) at `pixels` and `dpi`. Returns the files written.
  core::Result<QStringList> exportPlots(const QString& directory, QSize pixels = {1600, 900}, double dpi = 150.0) const;

 Q_SIGNALS:
  //! A study ended: empty on success, else the reason ("cancelled" when cancelled).
  void studyFinished(const QString& error);

 private:
  void createDock();
  void createActions();
  void createStatusWidgets();
  void updateActions();
  void updateZones();
  //! The forecast generator chooser from the project (its choices and the one in use).
  void updateGenerators();
  void onStudyFinished(quint64 jobId, const core::Result<std::shared_ptr<const OperationsStudy>>& result);
  void showStudy();
  void removeSleepLayer();
  void exportDialog(const QString& what);
  int studyIndexOf(const QString& id) const;
  QString stationKind(const QString& id) const;

  MapToolbox* m_tools;  //!< what a map click or rectangle means
  QMainWindow* m_window;
  ui::MapCanvas* m_canvas;
  ProjectDocument* m_document;
  PlanningController* m_planning;
  GeneratorService* m_service;

  QMenu* m_menu = nullptr;
  QAction* m_runAction = nullptr;
  QAction* m_cancelAction = nullptr;
  QAction* m_selectAction = nullptr;
  QAction* m_clearSelectionAction = nullptr;
  QList<QAction*> m_exportActions;
  QDockWidget* m_dock = nullptr;
  ui::OperationsSettingsWidget* m_settings = nullptr;
  QTabWidget* m_results = nullptr;
  ui::SleepStudyView* m_sleepView = nullptr;
  ui::PaperModeView* m_paperView = nullptr;
  ui::BalanceView* m_balanceView = nullptr;
  QPushButton* m_run = nullptr;
  QPushButton* m_cancelInDock = nullptr;
  QLabel* m_summary = nullptr;
  TaskStatusWidget* m_taskStatus;  //!< the stall probe of every task
  QElapsedTimer m_jobClock;
  bool m_stallLogPending = false;

  QStringList m_selection;
  quint64 m_jobId = 0;
  quint64 m_sleepLayerId = 0;
  double m_showMs = 0.0;
};

}  // namespace netspatial::app
