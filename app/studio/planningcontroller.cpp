#include "app/studio/planningcontroller.h"

#include "app/common/generatorfacts.h"
#include "app/common/logging.h"
#include "app/studio/generatorchooserentries.h"
#include "app/studio/generatorservice.h"
#include "app/studio/maptoolbox.h"
#include "app/studio/taskstatuswidget.h"
#include "core/geo/coordinatetransform.h"
#include "core/planning/aoi.h"
#include "core/planning/generations.h"
#include "core/planning/sitesummary.h"
#include "ui/inspector/siteinspector.h"
#include "ui/map/mapcanvas.h"
#include "ui/map/mapexport.h"
#include "ui/planning/candidategriddialog.h"
#include "ui/planning/candidateslayer.h"
#include "ui/planning/rankingview.h"
#include "ui/planning/utilityformat.h"
#include "ui/planning/utilityheatmaplayer.h"
#include "ui/report/planningreport.h"
#include "ui/util/imagesizedialog.h"
#include "ui/zones/zonecomparisonview.h"

#include <QAction>
#include <QDialog>
#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolTip>

#include <utility>

namespace netspatial::app {

using namespace netspatial::core;

namespace {
constexpr int kMessageTimeoutMs = 8000;

}  // namespace

// --- construction ----------------------------------------------------------------------------

PlanningController::PlanningController(QMainWindow* window, ui::MapCanvas* canvas, MapToolbox* tools, ProjectDocument* document,
                                       GeneratorService* service, TaskStatusWidget* taskStatus)
    : QObject(window),
      m_window(window),
      m_canvas(canvas),
      m_tools(tools),
      m_document(document),
      m_service(service),
      // Before the views: the session brings its state up to date on the document's signals
      // before the views here read it on the same signals.
      m_session(new PlanningSession(document, service, this)),
      m_taskStatus(taskStatus) {
  setConfirmation({});
  createDocks();
  createActions();
  createStatusWidgets();
  connect(m_document, &ProjectDocument::projectReplaced, this, &PlanningController::projectReplaced);
  connect(m_document, &ProjectDocument::changed, this, &PlanningController::projectChanged);
  connect(m_session, &PlanningSession::generationFinished, this, &PlanningController::onGenerationFinished);
  connect(m_session, &PlanningSession::message, this, &PlanningController::showMessage);
  connect(m_session, &PlanningSession::siteSummaryReady, this, &PlanningController::presentSite);
  connect(m_session, &PlanningSession::candidateClicked, this, [this](const QString& siteId) {
    m_rankingView->selectSite(siteId);
    highlightSite(siteId);
  });
  connect(m_session, &PlanningSession::inspectionCleared, m_inspector, &ui::SiteInspector::clear);
  connect(m_session, &PlanningSession::zonesCompared, this, &PlanningController::presentZones);
  connect(m_session, &PlanningSession::zoneSelectionsCleared, m_zoneView, &ui::ZoneComparisonView::clear);
  connect(m_service, &GeneratorService::busyChanged, this, &PlanningController::updateActions);
  connect(m_service, &GeneratorService::generatorLoaded, this, [this](const QString& description, const QString& device) {
    m_deviceLabel->setText(tr("Generator: %1").arg(device));
    m_deviceLabel->setToolTip(tr("%1, running on the %2").arg(description, device));
  });
  connect(m_service, &GeneratorService::generatorFailed, this, [this](const QString& message) {
    m_deviceLabel->setText(tr("Generator: unavailable"));
    m_deviceLabel->setToolTip(message);
  });
  // A click with the inspect tool makes an earlier site reply stale, whoever answers the click;
  // planning answers after the pickers of what is drawn above its cells.
  m_tools->inspectTool()->addPicker(0, [this](PointXY, double) {
    m_session->clearInspection();
    return false;
  });
  m_tools->inspectTool()->addPicker(100, [this](PointXY p, double tolerance) { return m_session->inspectPoint(p, tolerance); });
  connect(m_canvas, &ui::MapCanvas::cursorMoved, this, [this](PointXY p) {
    // Why a cell is infeasible, or where a ranked site stands, on hover.
    QString tip;
    const int heat = m_canvas->indexOfLayer(m_heatmapLayerId), cand = m_canvas->indexOfLayer(m_candidatesLayerId);
    if (heat >= 0 && m_canvas->layer(heat)->isVisible()) tip = static_cast<ui::UtilityHeatmapLayer*>(m_canvas->layer(heat))->toolTipAt(p);
    if (tip.isEmpty() && cand >= 0 && m_canvas->layer(cand)->isVisible())
      tip = static_cast<ui::CandidatesLayer*>(m_canvas->layer(cand))->toolTipAt(p);
    if (tip.isEmpty()) {
      QToolTip::hideText();
      return;
    }
    QToolTip::showText(m_canvas->mapToGlobal(m_canvas->toPixel(p).toPoint() + QPoint(14, 14)), tip, m_canvas);
  });
}

PlanningController::~PlanningController() = default;

void PlanningController::setConfirmation(Confirmation confirm) {
  if (!confirm)
    confirm = [this](const QString& title, const QString& question) {
      return QMessageBox::question(m_window, title, question, QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel) ==
             QMessageBox::Discard;
    };
  m_session->setConfirmation(std::move(confirm));
}

void PlanningController::showMessage(const QString& text, int timeoutMs) {
  if (text.isEmpty())
    m_window->statusBar()->clearMessage();
  else
    m_window->statusBar()->showMessage(text, timeoutMs);
}

void PlanningController::createDocks() {
  m_inspector = new ui::SiteInspector;
  m_inspectorDock = new QDockWidget(tr("Site inspector"), m_window);
  m_inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
  m_inspectorDock->setWidget(m_inspector);
  m_window->addDockWidget(Qt::RightDockWidgetArea, m_inspectorDock);

  m_rankingView = new ui::RankingView;
  m_rankingView->setOptions(rankingOptions());
  m_rankingView->setRationaleProvider([this](const QString& id) { return m_session->rationale(id); });
  m_rankingDock = new QDockWidget(tr("Ranking"), m_window);
  m_rankingDock->setObjectName(QStringLiteral("rankingDock"));
  m_rankingDock->setWidget(m_rankingView);
  // Map in the middle, the inspector beside it, the ranking table below: all three at once, as
  // the workflow moves between them.
  m_window->addDockWidget(Qt::BottomDockWidgetArea, m_rankingDock);
  m_window->resizeDocks({m_inspectorDock}, {520}, Qt::Horizontal);
  m_window->resizeDocks({m_rankingDock}, {300}, Qt::Vertical);
  connect(m_rankingView, &ui::RankingView::rankingOptionsChanged, m_session, &PlanningSession::rerank);

  m_zoneView = new ui::ZoneComparisonView;
  m_zoneDock = new QDockWidget(tr("Zone comparison"), m_window);
  m_zoneDock->setObjectName(QStringLiteral("zoneDock"));
  m_zoneDock->setWidget(m_zoneView);
  m_window->addDockWidget(Qt::RightDockWidgetArea, m_zoneDock);
  m_window->tabifyDockWidget(m_inspectorDock, m_zoneDock);
  m_inspectorDock->raise();
  // The map alone until there is something to show: each dock opens when its content arrives
  // (and the Planning menu toggles them).
  m_inspectorDock->hide();
  m_rankingDock->hide();
  m_zoneDock->hide();
  connect(m_zoneView, &ui::ZoneComparisonView::optionsChanged, this, [this] { compareZones(); });
  connect(m_rankingView, &ui::RankingView::siteActivated, this, [this](const QString& id) {
    highlightSite(id);
    if (const auto p = planningSitePosition(*m_document->scenario(), id)) m_canvas->setCentre(*p);
    m_session->inspectSite(id);
  });
}

void PlanningController::createActions() {
  m_menu = m_window->menuBar()->addMenu(tr("&Planning"));
  m_drawAoiAction = m_menu->addAction(tr("&Draw area of interest"), this, &PlanningController::drawAoi);
  m_drawAoiAction->setStatusTip(tr("Drag a rectangle on the map; the candidate grid is built inside it"));
  m_drawAoiAction->setObjectName(QStringLiteral("drawAoiAction"));
  m_importAoiAction = m_menu->addAction(tr("&Import area of interest…"), this, &PlanningController::importAoi);
  m_importAoiAction->setStatusTip(tr("Polygons from any vector file (GeoJSON, GeoPackage, Shapefile…), any CRS"));
  m_exclusionAction = m_menu->addAction(tr("Draw an &exclusion area"), this, [this] {
    m_tools->activate(std::make_unique<RectangleTool>(tr("Drag a rectangle where no site may go (Esc cancels)"), [this](const Extent& e) {
      CandidateGridOptions o = gridOptions();
      o.exclusions.push_back(rectangleAoi(e));
      if (auto s = setGridOptions(o); !s && s.error().code() != ErrorCode::Cancelled)
        m_window->statusBar()->showMessage(s.error().message(), kMessageTimeoutMs);
    }));
  });
  m_exclusionAction->setStatusTip(tr("No candidate inside it; the grid is rebuilt (undoable)"));
  m_importExclusionAction = m_menu->addAction(tr("Import exclusion areas…"), this, [this] {
    const auto p = m_document->scenario();
    const QString file = QFileDialog::getOpenFileName(m_window, tr("Import exclusion areas"), QString(),
                                                      tr("Vector files (*.geojson *.json *.gpkg *.shp *.kml *.gml *.fgb);;All files (*)"));
    if (file.isEmpty()) return;
    auto polygons = readPolygons(file, p->metadata.crs);
    if (!polygons) return void(QMessageBox::warning(m_window, tr("Import exclusion areas"), polygons.error().toString()));
    CandidateGridOptions o = gridOptions();
    o.exclusions.insert(o.exclusions.end(), polygons->begin(), polygons->end());
    if (auto s = setGridOptions(o); !s) QMessageBox::warning(m_window, tr("Import exclusion areas"), s.error().toString());
  });
  m_gridAction = m_menu->addAction(tr("Candidate &grid…"), this, &PlanningController::gridDialog);
  m_gridAction->setStatusTip(tr("Cell size, distance to existing stations, excluded zones, samples and seed"));
  m_menu->addSeparator();
  m_generateAction = m_menu->addAction(tr("&Generate traffic for the candidates"), this, [this] { m_session->startGeneration(); });
  m_generateAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
  m_generateAction->setObjectName(QStringLiteral("generateAction"));
  m_generateAction->setStatusTip(tr("Generate 4 weeks of hourly traffic for every feasible candidate, on the worker thread"));
  m_menu->addSeparator();
  createZoneActions(m_menu->addMenu(tr("Compare &zones")));
  m_menu->addSeparator();
  QMenu* exports = m_menu->addMenu(tr("&Export"));
  m_exportActions << exports->addAction(tr("Ranking table (CSV)…"), this, [this] { exportDialog(QStringLiteral("ranking")); });
  m_exportActions << exports->addAction(tr("Ranked sites (GeoPackage / GeoJSON)…"), this,
                                        [this] { exportDialog(QStringLiteral("sites")); });
  m_exportActions << exports->addAction(tr("Inspected site's series, all samples (CSV)…"), this,
                                        [this] { exportDialog(QStringLiteral("series")); });
  m_exportActions << exports->addAction(tr("Inspector plot (PNG)…"), this, [this] { exportDialog(QStringLiteral("plot")); });
  m_exportActions << exports->addAction(tr("Map view with world file (PNG + PGW)…"), this, [this] { exportDialog(QStringLiteral("map")); });
  m_exportActions << exports->addAction(tr("Zone comparison, the tab on show (PNG)…"), this,
                                        [this] { exportDialog(QStringLiteral("zones")); });
  m_exportActions << exports->addAction(tr("Planning report (PDF)…"), this, [this] { exportDialog(QStringLiteral("report")); });
  m_menu->addSeparator();
  m_menu->addAction(m_inspectorDock->toggleViewAction());
  m_menu->addAction(m_rankingDock->toggleViewAction());
  m_menu->addAction(m_zoneDock->toggleViewAction());
  updateActions();
}

void PlanningController::createStatusWidgets() {
  m_deviceLabel = new QLabel(tr("Generator: not loaded"), m_window);
  m_deviceLabel->setObjectName(QStringLiteral("deviceLabel"));
  m_deviceLabel->setToolTip(tr("Where traffic is generated (CUDA when a GPU is present, else the CPU)"));
  m_window->statusBar()->addPermanentWidget(m_deviceLabel);
}

void PlanningController::updateActions() {
  const auto project = m_document->scenario();
  const bool busy = m_session->isGenerating();
  m_drawAoiAction->setEnabled(project && !busy);
  m_importAoiAction->setEnabled(project && !busy);
  m_gridAction->setEnabled(project && !busy);
  m_exclusionAction->setEnabled(project && !busy);
  m_importExclusionAction->setEnabled(project && !busy);
  m_generateAction->setEnabled(project && !busy && !project->candidates.empty());
  for (QAction* a : m_exportActions) a->setEnabled(project != nullptr);
}

// --- project state ---------------------------------------------------------------------------

void PlanningController::projectReplaced() {
  m_candidatesLayerId = m_heatmapLayerId = 0;  // the scenario's layers replaced everything
  m_inspector->clear();
  m_rankingView->setOptions(rankingOptions());
  refreshPlanningLayers();
  if (ranking()) m_rankingDock->show();  // a saved generation shows again, ranked
  if (!m_document->openNotice().isEmpty()) m_window->statusBar()->showMessage(m_document->openNotice(), 3 * kMessageTimeoutMs);
  m_service->forgetFittedGenerators();  // fitted on the previous project's traffic
  // In the background: the device shows, and the first click is quick.
  if (m_document->hasProject()) m_service->preload(m_document->scenario());
  updateActions();
}

void PlanningController::projectChanged(ProjectParts parts) {
  // Another generator (or an undo back to one): load it now, as on opening.
  if ((parts & ProjectPart::Settings) && m_document->hasProject()) m_service->preload(m_document->scenario());
  if (parts & ProjectPart::Area) {
    refreshPlanningLayers();  // also re-ranks the view
  } else if (parts & (ProjectPart::Generation | ProjectPart::Ranking)) {
    m_rankingView->setOptions(rankingOptions());  // an undo may have changed them; does not emit
    refreshRanking();
  }
  // The session has already shown the inspected candidate again, or cleared it.
  if (!m_session->inspectedSite().isEmpty()) highlightSite(m_session->inspectedSite());
  updateActions();
}

void PlanningController::refreshPlanningLayers() {
  const auto p = m_document->scenario();
  for (quint64 id : {m_heatmapLayerId, m_candidatesLayerId})
    if (const int i = m_canvas->indexOfLayer(id); i >= 0) m_canvas->removeLayer(i);
  m_candidatesLayerId = m_heatmapLayerId = 0;
  if (!p || p->candidates.empty()) return;
  auto candidates = std::make_unique<ui::CandidatesLayer>(p->candidates, p->metadata.crs);
  candidates->setName(tr("Candidate sites"));
  m_candidatesLayerId = candidates->id();
  if (auto s = m_canvas->addLayer(std::move(candidates)); !s) qCWarning(lcApp) << "candidates layer:" << s.error().toString();
  auto heat = std::make_unique<ui::UtilityHeatmapLayer>(p->candidates, p->metadata.crs);
  heat->setName(tr("Utility heat map"));
  m_heatmapLayerId = heat->id();
  if (auto s = m_canvas->addLayer(std::move(heat)); !s) qCWarning(lcApp) << "heat map layer:" << s.error().toString();
  refreshRanking();
}

void PlanningController::refreshRanking() {
  // A view of the document's ranking: it changes nothing in the project.
  const auto p = m_document->scenario();
  const Ranking* r = ranking();
  if (!r && !m_document->current().rankingProblem.isEmpty())
    m_window->statusBar()->showMessage(tr("The stored generation cannot be ranked: %1").arg(m_document->current().rankingProblem),
                                       kMessageTimeoutMs);
  // The ranked values are generated: in the generator's unit, which need not be the scenario's.
  const GeneratedTraffic* generated = p ? latestGeneration(*p) : nullptr;
  const QString unit = !p ? QString() : generated ? generationUnit(*p, generated->runId) : p->metadata.trafficUnit;
  const Ranking none{rankingOptions(), {}, 0, 0, 0};
  m_rankingView->setRanking(r ? *r : none, unit);
  if (const int i = m_canvas->indexOfLayer(m_heatmapLayerId); i >= 0) {
    auto* heat = static_cast<ui::UtilityHeatmapLayer*>(m_canvas->layer(i));
    heat->setRanking(r ? *r : none, unit);
    // The name carries the utility and K, so the legend below it reads whole.
    heat->setName(r ? tr("Utility: %1, top %2").arg(ui::utilityShortName(r->options.utility)).arg(r->options.topK)
                    : tr("Utility heat map"));
    m_canvas->setLayerVisible(i, r != nullptr);
    m_canvas->layerContentChanged(m_heatmapLayerId);  // the layers panel shows the new legend
  }
  m_canvas->refresh();
}

// --- generation ------------------------------------------------------------------------------

double PlanningController::longestStallMs() const { return m_taskStatus->longestStallMs(); }

void PlanningController::onGenerationFinished(const QString& error) {
  if (error.isEmpty()) {
    const PlanningSession::GenerationReport& run = m_session->lastGeneration();
    if (!m_rankingDock->isVisible()) {
      m_rankingDock->show();
      m_window->resizeDocks({m_rankingDock}, {300}, Qt::Vertical);
    }
    m_rankingDock->raise();
    m_window->statusBar()->showMessage(tr("Generated %1 sites × %2 samples and ranked them in %3 s (longest GUI stall %4 ms)")
                                           .arg(run.sites)
                                           .arg(run.samples)
                                           .arg(run.clickToRankingMs / 1000.0, 0, 'f', 2)
                                           .arg(longestStallMs(), 0, 'f', 0),
                                       kMessageTimeoutMs);
    qCInfo(lcApp) << "generation:" << run.sites << "sites in" << run.clickToRankingMs << "ms, longest event-loop stall" << longestStallMs()
                  << "ms";
  }
  updateActions();
  Q_EMIT generationFinished(error);
}

// --- inspector -------------------------------------------------------------------------------

void PlanningController::highlightSite(const QString& siteId) {
  if (const int i = m_canvas->indexOfLayer(m_heatmapLayerId); i >= 0) {
    static_cast<ui::UtilityHeatmapLayer*>(m_canvas->layer(i))->setHighlightedSite(siteId);
    m_canvas->update();
  }
}

void PlanningController::inspectPoint(PointXY point) { m_session->inspectPoint(point, 8.0 * m_canvas->resolution()); }

void PlanningController::presentSite(const SiteSummary& summary) {
  m_inspector->setSite(summary);
  if (!m_inspectorDock->isVisible()) {
    m_inspectorDock->show();
    m_window->resizeDocks({m_inspectorDock}, {520}, Qt::Horizontal);
  }
  m_inspectorDock->raise();
  Q_EMIT inspectorUpdated(summary.siteId);
}

// --- dialogs ---------------------------------------------------------------------------------

void PlanningController::drawAoi() {
  m_tools->activate(
      std::make_unique<RectangleTool>(tr("Drag a rectangle on the map for the area of interest (Esc cancels)"), [this](const Extent& e) {
        if (auto s = setAoi(rectangleAoi(e)); !s && s.error().code() != ErrorCode::Cancelled)
          m_window->statusBar()->showMessage(s.error().message(), kMessageTimeoutMs);
      }));
}

void PlanningController::importAoi() {
  const auto p = m_document->scenario();
  QSettings settings;
  const QString file = QFileDialog::getOpenFileName(m_window, tr("Import area of interest"), settings.value("paths/lastAoiDir").toString(),
                                                    tr("Vector files (*.geojson *.json *.gpkg *.shp *.kml *.gml *.fgb);;All files (*)"));
  if (file.isEmpty()) return;
  settings.setValue("paths/lastAoiDir", QFileInfo(file).absolutePath());
  auto aoi = readAoi(file, p->metadata.crs, p->extent());
  if (!aoi) {
    QMessageBox::warning(m_window, tr("Import area of interest"), aoi.error().toString());
    return;
  }
  if (auto s = setAoi(*aoi); !s && s.error().code() != ErrorCode::Cancelled)
    QMessageBox::warning(m_window, tr("Import area of interest"), s.error().toString());
}

void PlanningController::gridDialog() {
  const CandidateGridOptions grid = gridOptions();
  const GenerationOptions generation = generationOptions();
  ui::CandidateGridDialog dialog(grid, generation.samples, generation.seed, m_window);
  dialog.setGenerators(generatorChooserEntries(*m_document->scenario(), GeneratorRole::Planning), m_session->generatorKey());
  if (dialog.exec() != QDialog::Accepted) return;
  if (auto s = m_session->setGeneratorKey(dialog.generatorKey()); !s) {
    if (s.error().code() != ErrorCode::Cancelled) QMessageBox::warning(m_window, tr("Generator"), s.error().toString());
    return;  // nothing else changes when the generator change was declined or refused
  }
  GenerationOptions g = generation;
  g.samples = dialog.samples();
  g.seed = dialog.seed();
  setGenerationOptions(g);
  const CandidateGridOptions o = dialog.gridOptions();
  const bool gridChanged =
      o.cellSize != grid.cellSize || o.minStationDistance != grid.minStationDistance || o.excludedZoneClasses != grid.excludedZoneClasses;
  if (!gridChanged) return;
  if (auto s = setGridOptions(o); !s && s.error().code() != ErrorCode::Cancelled)
    QMessageBox::warning(m_window, tr("Candidate grid"), s.error().toString());
}

void PlanningController::exportDialog(const QString& what) {
  QSettings settings;
  const QString dir = settings.value("paths/lastExportDir", QDir::homePath()).toString();
  QString filter, name;
  if (what == QStringLiteral("ranking"))
    filter = tr("CSV (*.csv)"), name = QStringLiteral("ranking.csv");
  else if (what == QStringLiteral("sites"))
    filter = tr("GeoPackage (*.gpkg);;GeoJSON (*.geojson)"), name = QStringLiteral("ranked-sites.gpkg");
  else if (what == QStringLiteral("series"))
    filter = tr("CSV (*.csv)"), name = m_session->inspectedSite() + QStringLiteral("-series.csv");
  else if (what == QStringLiteral("report"))
    filter = tr("PDF (*.pdf)"), name = QStringLiteral("planning-report.pdf");
  else
    filter = tr("PNG image (*.png)"), name = what == QStringLiteral("map")     ? QStringLiteral("map.png")
                                             : what == QStringLiteral("zones") ? QStringLiteral("zones.png")
                                                                               : QStringLiteral("plot.png");
  const QString path = QFileDialog::getSaveFileName(m_window, tr("Export"), QDir(dir).filePath(name), filter);
  if (path.isEmpty()) return;
  settings.setValue("paths/lastExportDir", QFileInfo(path).absolutePath());
  Status s;
  if (what == QStringLiteral("ranking"))
    s = exportRankingCsv(path);
  else if (what == QStringLiteral("sites"))
    s = exportRankedSites(path);
  else if (what == QStringLiteral("series"))
    s = exportSiteSeries(m_session->inspectedSite(), path);
  else if (what == QStringLiteral("map"))
    s = exportMapPng(path, m_canvas->size(), m_canvas->devicePixelRatioF());
  else if (what == QStringLiteral("report"))
    s = exportReport(path);
  else {
    // Plots: the size and resolution the engineer needs (a slide, a printed report).
    ui::ImageSizeDialog dialog(m_window);
    if (dialog.exec() != QDialog::Accepted) return;
    dialog.remember();
    const int w = dialog.pixels().width(), h = dialog.pixels().height(), dpi = dialog.dpi();
    // The zone comparison exports the tab on show: the overlay or the small multiples.
    if (what == QStringLiteral("zones"))
      s = m_zoneView->tabs()->currentIndex() == 0 ? m_zoneView->saveOverlayPng(path, w, h, dpi)
                                                  : m_zoneView->saveSmallMultiplesPng(path, w, h, dpi);
    else
      s = m_inspector->savePlotPng(m_inspector->currentPlot(), path, w, h, dpi);
  }
  if (!s)
    QMessageBox::warning(m_window, tr("Export"), s.error().toString());
  else
    m_window->statusBar()->showMessage(tr("Wrote %1").arg(QDir::toNativeSeparators(path)), kMessageTimeoutMs);
}

// --- picture exports ---------------------------------------------------------------------------------

Status PlanningController::exportMapPng(const QString& path, QSize logicalSize, double dpr) const {
  return ui::saveMapImage(*m_canvas, path, logicalSize, dpr);
}

Status PlanningController::exportReport(const QString& path) const {
  const auto p = m_document->scenario();
  ui::PlanningReportData data;
  data.title = tr("Candidate sites — %1").arg(p->metadata.name);
  data.generatedAt = QDateTime::currentDateTimeUtc();
  const GeneratedTraffic* generated = latestGeneration(*p);
  data.unit = generated ? generationUnit(*p, generated->runId) : p->metadata.trafficUnit;
  data.map = m_canvas->renderToImage(QSize(1400, 1000), 1.0);
  if (!ranking()) {
    data.notes << tr("Nothing was generated or ranked yet.");
    return ui::writePlanningReport(data, path);
  }
  const Ranking& r = *ranking();
  data.utilityName = ui::utilityShortName(r.options.utility);
  data.utilityUnit = ui::utilityUnit(r.options.utility, data.unit);
  data.mapCaption = tr("Utility: %1; top %2 outlined; %3 m cells; %4")
                        .arg(utilityLabel(r.options.utility))
                        .arg(r.options.topK)
                        .arg(gridOptions().cellSize)
                        .arg(p->metadata.crs.label());
  if (r.options.utility == Utility::Lsi && r.options.minDemand <= 0.0)
    data.notes << tr("LSI alone favours quiet sites: no demand floor was applied.");
  else if (r.options.minDemand > 0.0)
    data.notes
        << tr("Sites with a mean demand below %1 %2 were not ranked (%3 sites).").arg(r.options.minDemand).arg(data.unit).arg(r.belowFloor);
  if (r.options.minSpacing > 0.0) data.notes << tr("Selected sites are at least %1 m apart.").arg(r.options.minSpacing);
  auto toLonLat = CoordinateTransform::create(p->metadata.crs, Crs::wgs84());
  const GeneratedTraffic* traffic = latestGeneration(*p);
  ui::SiteInspector plotter;  // offscreen: renders each selected site's weekly profile
  plotter.resize(900, 600);
  for (const RankedSite& s : r.sites) {
    if (!s.selected) continue;
    ui::ReportSite site;
    site.rank = s.rank;
    site.siteId = s.siteId;
    if (toLonLat)
      if (auto ll = toLonLat->transform(s.position)) site.lon = ll->x, site.lat = ll->y;
    site.value = s.value;
    site.lsi = s.utilities.lsi;
    site.sigma = s.utilities.sigma;
    site.mean = s.utilities.mean;
    site.p95 = s.utilities.p95;
    site.pTopK = s.pTopK;
    site.rationale = m_session->rationale(s.siteId);
    if (traffic && traffic->samplesBySite.count(s.siteId)) {
      ui::InspectedSite in;
      in.siteId = s.siteId;
      in.unit = data.unit;
      in.start = traffic->start;
      in.timeZone = QTimeZone(p->metadata.timeZone.toUtf8());
      in.samples = traffic->samplesBySite.at(s.siteId);
      plotter.setSite(in);
      site.weeklyPlot = plotter.renderPlot(ui::SiteInspector::Plot::Weekly, QSize(1500, 700), 150.0);
    }
    data.sites.push_back(std::move(site));
  }
  if (traffic)
    if (const RunRecord* run = runRecord(*p, traffic->runId)) {
      data.provenance << qMakePair(tr("Run"), run->runId) << qMakePair(tr("Model"), run->modelId)
                      << qMakePair(tr("Weights SHA-256"), run->weightsSha256) << qMakePair(tr("Seed"), QString::number(run->seed))
                      << qMakePair(tr("Generated at (UTC)"), run->time.toString(Qt::ISODate));
      for (auto it = run->parameters.begin(); it != run->parameters.end(); ++it)
        data.provenance << qMakePair(it.key(), it.value().toString());
      data.provenance << qMakePair(tr("Ranking"), tr("%1, K = %2, spacing %3 m, demand floor %4 %5")
                                                      .arg(utilityName(r.options.utility))
                                                      .arg(r.options.topK)
                                                      .arg(r.options.minSpacing)
                                                      .arg(r.options.minDemand)
                                                      .arg(data.unit));
    }
  return ui::writePlanningReport(data, path);
}

// --- zone comparison -------------------------------------------------------------------------

void PlanningController::createZoneActions(QMenu* menu) {
  menu->addAction(tr("Add the zone under the next click"), this, [this] {
    m_tools->activate(std::make_unique<PointTool>(tr("Click a zone on the map to add it to the comparison"), [this](PointXY p) {
      const auto project = m_document->scenario();
      if (!project) return;
      for (const Zone& z : project->zones)
        if (z.polygon.extent().contains(p) && polygonContains(z.polygon, p)) {
          addZoneSelection(
              ZoneSelection::ofZone(z.id, z.name.isEmpty() ? QStringLiteral("%1 %2").arg(zoneClassLabel(z.zoneClass)).arg(z.id) : z.name));
          return;
        }
      m_window->statusBar()->showMessage(tr("No zone under that point"), kMessageTimeoutMs);
    }));
  });
  menu->addAction(tr("Add a drawn area"), this, [this] {
    m_tools->activate(
        std::make_unique<RectangleTool>(tr("Drag a rectangle: its sites form one group of the comparison"),
                                        [this](const Extent& e) { addZoneSelection(ZoneSelection::ofPolygon(rectangleAoi(e))); }));
  });
  menu->addAction(tr("Add every zone of a class…"), this, [this] {
    QStringList labels;
    for (int c = 0; c < kZoneClassCount; ++c) labels << zoneClassLabel(ZoneClass(c));
    bool ok = false;
    const QString choice = QInputDialog::getItem(m_window, tr("Compare zones"), tr("Zone class"), labels, 0, false, &ok);
    if (ok) addZoneSelection(ZoneSelection::ofClass(ZoneClass(labels.indexOf(choice))));
  });
  menu->addAction(tr("Clear the comparison"), m_session, &PlanningSession::clearZoneSelections);
}

void PlanningController::syncZoneOptions() {
  const auto p = m_document->scenario();
  if (p) m_zoneView->setSourcesAvailable(!p->trafficObserved.isEmpty(), latestGeneration(*p, QString()) != nullptr);
  ZoneComparisonOptions o;
  o.normalisation = m_zoneView->normalisation();
  o.source = m_zoneView->source();
  m_session->setZoneComparisonOptions(o);
}

void PlanningController::addZoneSelection(const ZoneSelection& selection) {
  syncZoneOptions();
  m_session->addZoneSelection(selection);
}

QString PlanningController::compareZones() {
  syncZoneOptions();
  return m_session->compareZones();
}

void PlanningController::presentZones(const ZoneComparison& comparison) {
  m_zoneView->setComparison(comparison);
  m_zoneDock->show();
  m_zoneDock->raise();
}

}  // namespace netspatial::app
