#pragma once

// The planning workflow's widgets in the studio (DESIGN.md §8, §10; issue 6): the Planning menu,
// the inspector, ranking and zone-comparison docks, the candidate and heat-map layers, the dialogs
// and the picture exports. The workflow itself — AOI, grid, generation, ranking, what to inspect,
// the data exports — is the PlanningSession's (no widgets): the actions here forward to it, and
// the views follow its signals and the ProjectDocument's change signals, so they always show the
// version on show. Everything here runs on the GUI thread.

#include "app/common/planning.h"
#include "app/studio/planningsession.h"
#include "app/studio/projectdocument.h"
#include "core/analysis/zonecomparison.h"
#include "core/planning/ranking.h"
#include "core/planning/sitesummary.h"
#include "core/scenario/scenario.h"

#include <QObject>
#include <QSize>

#include <vector>

class QAction;
class QDockWidget;
class QLabel;
class QMainWindow;
class QMenu;

namespace netspatial::ui {
class MapCanvas;
class SiteInspector;
class RankingView;
class ZoneComparisonView;
class CandidatesLayer;
class UtilityHeatmapLayer;
}  // namespace netspatial::ui

namespace netspatial::app {

class GeneratorService;
class MapToolbox;
class TaskStatusWidget;

class PlanningController : public QObject {
  Q_OBJECT

 public:
  PlanningController(QMainWindow* window, ui::MapCanvas* canvas, MapToolbox* tools, ProjectDocument* document, GeneratorService* service,
                     TaskStatusWidget* taskStatus);
  ~PlanningController() override;

  //! The workflow itself, without widgets: what the actions here forward to.
  PlanningSession* session() const { return m_session; }

  //! Asked before an edit that discards results ("Discard the generated traffic of 563 sites?") and
  //! before a large generation; true goes ahead. Unset (the default), a question box asks; tests
  //! answer for the user.
  using Confirmation = PlanningSession::Confirmation;
  void setConfirmation(Confirmation confirm);

  QMenu* menu() const { return m_menu; }
  QDockWidget* inspectorDock() const { return m_inspectorDock; }
  QDockWidget* rankingDock() const { return m_rankingDock; }
  ui::SiteInspector* inspector() const { return m_inspector; }
  ui::RankingView* rankingView() const { return m_rankingView; }
  ui::ZoneComparisonView* zoneView() const { return m_zoneView; }
  QDockWidget* zoneDock() const { return m_zoneDock; }
  GeneratorService* service() const { return m_service; }

  // The workflow's calls that the window's callers and tests make, forwarded to the session
  // (documented there).
  core::CandidateGridOptions gridOptions() const { return m_session->gridOptions(); }
  GenerationOptions generationOptions() const { return m_session->generationOptions(); }
  void setGenerationOptions(const GenerationOptions& options) { m_session->setGenerationOptions(options); }
  core::Status setAoi(const core::Geometry& aoi) { return m_session->setAoi(aoi); }
  core::Status setGridOptions(const core::CandidateGridOptions& options) { return m_session->setGridOptions(options); }
  bool startGeneration() { return m_session->startGeneration(); }
  void cancelGeneration() { m_session->cancelGeneration(); }
  void rerank(const core::RankingOptions& options) { m_session->rerank(options); }
  const core::RankingOptions& rankingOptions() const { return m_session->rankingOptions(); }
  const core::Ranking* ranking() const { return m_session->ranking(); }
  double lastClickToRankingMs() const { return m_session->lastClickToRankingMs(); }
  core::Status exportRankingCsv(const QString& path) const { return m_session->exportRankingCsv(path); }
  core::Status exportRankedSites(const QString& path) const { return m_session->exportRankedSites(path); }
  core::Status exportSiteSeries(const QString& siteId, const QString& path) const { return m_session->exportSiteSeries(siteId, path); }

  //! Inspects `point` (map CRS) with a pick tolerance of 8 pixels at the map's scale.
  void inspectPoint(core::PointXY point);
  //! The studio's one inspector presenter: shows `summary` in the site inspector and brings its
  //! dock to the front (planning's sites and the operations study's stations alike).
  void showSite(const core::SiteSummary& summary) { m_session->showSite(summary); }

  //! Longest gap between two 5 ms event-loop ticks during the last generation (DESIGN.md §13:
  //! the GUI never blocks > 50 ms while jobs run).
  double longestStallMs() const;

  // Picture exports (widgets draw them; the dialogs call these; tests call them directly).
  core::Status exportMapPng(const QString& path, QSize logicalSize, double devicePixelRatio) const;
  //! The PDF report: map, top-K table with rationales, each selected site's weekly plot, provenance.
  core::Status exportReport(const QString& path) const;

  // Zone comparison with the view's options (DESIGN.md §10).
  void addZoneSelection(const core::ZoneSelection& selection);
  void clearZoneSelections() { m_session->clearZoneSelections(); }
  const std::vector<core::ZoneSelection>& zoneSelections() const { return m_session->zoneSelections(); }
  //! Recomputes the comparison with the view's options; the error (empty on success) is also shown.
  QString compareZones();

 Q_SIGNALS:
  //! A generation ended: empty on success, else the reason ("cancelled" when cancelled). Emitted
  //! after the views show the result.
  void generationFinished(const QString& error);
  //! The inspector shows a new site.
  void inspectorUpdated(const QString& siteId);

 private:
  void projectReplaced();
  void projectChanged(ProjectParts parts);
  void onGenerationFinished(const QString& error);
  void presentSite(const core::SiteSummary& summary);
  void presentZones(const core::ZoneComparison& comparison);
  void showMessage(const QString& text, int timeoutMs);
  //! The view's comparison options (and which sources exist) into the session.
  void syncZoneOptions();

  void createActions();
  void createDocks();
  void createStatusWidgets();
  void refreshPlanningLayers();
  void refreshRanking();
  void highlightSite(const QString& siteId);
  void drawAoi();
  void importAoi();
  void gridDialog();
  void exportDialog(const QString& what);
  void createZoneActions(QMenu* menu);
  void updateActions();

  QMainWindow* m_window;
  ui::MapCanvas* m_canvas;
  MapToolbox* m_tools;  //!< what a map click or rectangle means
  ProjectDocument* m_document;
  GeneratorService* m_service;
  PlanningSession* m_session;

  QMenu* m_menu = nullptr;
  QAction* m_drawAoiAction = nullptr;
  QAction* m_importAoiAction = nullptr;
  QAction* m_gridAction = nullptr;
  QAction* m_exclusionAction = nullptr;
  QAction* m_importExclusionAction = nullptr;
  QAction* m_generateAction = nullptr;
  QList<QAction*> m_exportActions;
  QDockWidget* m_inspectorDock = nullptr;
  QDockWidget* m_rankingDock = nullptr;
  ui::SiteInspector* m_inspector = nullptr;
  ui::RankingView* m_rankingView = nullptr;
  QDockWidget* m_zoneDock = nullptr;
  ui::ZoneComparisonView* m_zoneView = nullptr;
  TaskStatusWidget* m_taskStatus;  //!< the stall probe of every task
  QLabel* m_deviceLabel = nullptr;

  quint64 m_candidatesLayerId = 0;
  quint64 m_heatmapLayerId = 0;
};

}  // namespace netspatial::app
