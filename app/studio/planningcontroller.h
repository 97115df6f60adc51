#pragma once

// The planning workflow in the studio (DESIGN.md §8, §10; issue 6): area of interest → candidate
// grid → background generation on the generator service → ranking with a heat map → site
// inspector, and the exports. Every project change is an edit of the ProjectDocument (undoable);
// the views here follow the document's change signals, so they always show the version on show.
// Everything here runs on the GUI thread except the generator work, which the GeneratorService
// (owned by the application) runs on its own thread.

#include "app/common/planning.h"
#include "app/studio/projectdocument.h"
#include "core/analysis/zonecomparison.h"
#include "core/planning/ranking.h"
#include "core/planning/sitesummary.h"
#include "core/scenario/scenario.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

class QAction;
class QDockWidget;
class QLabel;
class QMainWindow;
class QMenu;
class QPushButton;

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
struct SiteGeneration;

class PlanningController : public QObject {
  Q_OBJECT

 public:
  PlanningController(QMainWindow* window, ui::MapCanvas* canvas, MapToolbox* tools, ProjectDocument* document, GeneratorService* service,
                     TaskStatusWidget* taskStatus);
  ~PlanningController() override;

  //! Asked before an edit that discards results ("Discard the generated traffic of 563 sites?");
  //! true goes ahead. The default shows a question box; tests answer for the user.
  using Confirmation = std::function<bool(const QString& title, const QString& question)>;
  void setConfirmation(Confirmation confirm) { m_confirm = std::move(confirm); }
  //! Generations above this many site × samples ask first, with the time expected at the measured rate.
  void setLargeJobThreshold(qint64 siteSamples) { m_largeJobThreshold = siteSamples; }

  QMenu* menu() const { return m_menu; }
  QDockWidget* inspectorDock() const { return m_inspectorDock; }
  QDockWidget* rankingDock() const { return m_rankingDock; }
  ui::SiteInspector* inspector() const { return m_inspector; }
  ui::RankingView* rankingView() const { return m_rankingView; }
  ui::ZoneComparisonView* zoneView() const { return m_zoneView; }
  QDockWidget* zoneDock() const { return m_zoneDock; }
  GeneratorService* service() const { return m_service; }

  core::CandidateGridOptions gridOptions() const { return m_document->current().gridOptions; }
  GenerationOptions generationOptions() const { return m_document->current().generationOptions; }
  //! Undoable.
  void setGenerationOptions(const GenerationOptions& options) { m_document->setGenerationOptions(options); }

  //! Undoable: sets the AOI and rebuilds the candidate grid with the current grid options. Traffic
  //! generated for the old grid is discarded in the same step, after asking (a Cancelled error when
  //! the user says no). An AOI outside the scenario is refused.
  core::Status setAoi(const core::Geometry& aoi);
  //! Undoable: new grid options, grid rebuilt over the current AOI (asks as setAoi does).
  core::Status setGridOptions(const core::CandidateGridOptions& options);
  //! Starts generating for every feasible candidate; false (with a status message) when busy or
  //! there is nothing to generate for.
  bool startGeneration();
  void cancelGeneration();
  //! Another project is about to replace this one: the running generation is cancelled and its
  //! result, whenever it comes, is dropped (nothing is reported for it).
  void abandonJob();
  bool isGenerating() const;
  //! Shows `point` (map CRS) in the inspector: a candidate's stored samples, a station's observed
  //! traffic beside generated samples, or any point generated on demand (the newest click wins).
  void inspectPoint(core::PointXY point);
  //! The same within `tolerance` map units of a station; true (it always shows something).
  bool inspectPoint(core::PointXY point, double tolerance);
  //! Re-ranks the stored generation with `options` (no regeneration); undoable.
  void rerank(const core::RankingOptions& options);
  const core::RankingOptions& rankingOptions() const { return m_document->current().rankingOptions; }
  //! The ranking of the generation on show (null when nothing is ranked).
  const core::Ranking* ranking() const { return m_document->current().ranking.get(); }
  //! The studio's one inspector presenter: shows `summary` in the site inspector and brings its
  //! dock to the front (planning's sites and the operations study's stations alike).
  void showSite(const core::SiteSummary& summary);
  //! The paragraph for a ranked site (empty when unknown).
  QString rationale(const QString& siteId) const;

  //! Longest gap between two 5 ms event-loop ticks during the last generation (DESIGN.md §13:
  //! the GUI never blocks > 50 ms while jobs run).
  double longestStallMs() const;
  //! Wall time of the last generation from the click to the ranked table, ms.
  double lastClickToRankingMs() const { return m_clickToRankingMs; }

  // Exports (the dialogs call these; tests call them directly).
  core::Status exportRankingCsv(const QString& path) const;
  core::Status exportRankedSites(const QString& path) const;
  core::Status exportSiteSeries(const QString& siteId, const QString& path) const;
  core::Status exportMapPng(const QString& path, QSize logicalSize, double devicePixelRatio) const;
  //! The PDF report: map, top-K table with rationales, each selected site's weekly plot, provenance.
  core::Status exportReport(const QString& path) const;

  // Zone comparison (DESIGN.md §10): selections accumulate; each change recomputes the view.
  void addZoneSelection(const core::ZoneSelection& selection);
  void clearZoneSelections();
  const std::vector<core::ZoneSelection>& zoneSelections() const { return m_zoneSelections; }
  //! Recomputes the comparison with the view's options; the error (empty on success) is also shown.
  QString compareZones();

 Q_SIGNALS:
  //! A generation ended: empty on success, else the reason ("cancelled" when cancelled).
  void generationFinished(const QString& error);
  //! The inspector shows a new site.
  void inspectorUpdated(const QString& siteId);

 private:
  void projectReplaced();
  void projectChanged(ProjectParts parts);
  core::Status changeArea(const core::Geometry& aoi, const core::CandidateGridOptions& options, const QString& text);
  bool confirm(const QString& title, const QString& question) const;

  void createActions();
  void createDocks();
  void createStatusWidgets();
  void refreshPlanningLayers();
  void refreshRanking();
  void onGenerationFinished(quint64 jobId, const core::Result<Generation>& result);
  void onSiteGenerated(const SiteGeneration& result);
  void showCandidate(const QString& siteId);
  void showGenerated(const QString& siteId, const core::PointXY& position, const std::vector<std::vector<float>>& samples,
                     const QString& kind);
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
  Confirmation m_confirm;
  qint64 m_largeJobThreshold = 200000;
  double m_measuredSequencesPerSecond = 0.0;  //!< from the last generation, for the next estimate

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
  std::vector<core::ZoneSelection> m_zoneSelections;
  TaskStatusWidget* m_taskStatus;  //!< the stall probe of every task
  QElapsedTimer m_jobClock;        //!< from the click on Generate to the ranked table
  QLabel* m_deviceLabel = nullptr;

  quint64 m_candidatesLayerId = 0;
  quint64 m_heatmapLayerId = 0;
  quint64 m_jobId = 0;
  QString m_jobGridHash;  //!< the grid the running generation was started for
  QString m_inspectedSite;
  double m_clickToRankingMs = 0.0;
};

}  // namespace netspatial::app
