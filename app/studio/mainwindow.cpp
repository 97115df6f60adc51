#include "app/studio/mainwindow.h"

#include "core/util/atomicfile.h"

#include "app/common/logging.h"
#include "app/common/versioninfo.h"

#include "app/studio/newcitydialog.h"
#include "app/studio/modelscontroller.h"
#include "app/studio/operationscontroller.h"
#include "app/studio/generatorservice.h"
#include "app/studio/maptoolbox.h"
#include "app/studio/planningcontroller.h"
#include "app/studio/projectdocument.h"
#include "app/studio/taskmanager.h"
#include "app/studio/taskstatuswidget.h"
#include "core/geo/vectorreader.h"
#include "core/scenario/modalities.h"
#include "core/scenario/scenariostore.h"
#include "core/sim/citysimulator.h"
#include "ui/import/newscenariowizard.h"
#include "ui/map/layerspanel.h"
#include "ui/map/mapcanvas.h"
#include "ui/scenario/scenariolayers.h"

#include <QApplication>
#include <QCloseEvent>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QThread>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>
#include <QWindow>

#include <memory>

namespace netspatial::app {

namespace {

// A GeoPackage written by saveScenario always has the metadata table.
bool claimsToBeScenario(const QString& path) {
  const auto layers = core::listVectorLayers(path);
  return layers.ok() && layers->contains(QStringLiteral("metadata"), Qt::CaseInsensitive);
}

constexpr int kMessageTimeoutMs = 8000;
//! Bumped when the docks change so that an old saved layout is not applied to new docks.
constexpr int kWindowStateVersion = 2;

const char* const kScenarioFileFilter = "NetSpatial scenarios (*.gpkg)";
const char* const kOpenFileFilter =
    "Scenarios, rasters and vectors (*.gpkg *.tif *.tiff *.vrt *.img *.jp2 *.png *.jpg *.nc *.shp *.geojson *.json "
    "*.kml *.gml *.fgb *.csv *.osm *.pbf *.sqlite);;NetSpatial scenarios (*.gpkg);;All files (*)";

const char* const kLayerFileFilter =
    "Raster and vector files (*.tif *.tiff *.vrt *.img *.jp2 *.png *.jpg *.nc *.gpkg *.shp *.geojson *.json *.kml "
    "*.gml *.fgb *.csv *.osm *.pbf *.sqlite);;Rasters (*.tif *.tiff *.vrt *.img *.jp2 *.png *.jpg *.nc);;"
    "Vectors (*.gpkg *.shp *.geojson *.json *.kml *.gml *.fgb *.csv *.osm *.pbf *.sqlite);;All files (*)";

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_canvas(new ui::MapCanvas(this)),
      m_layersPanel(new ui::LayersPanel(m_canvas, this)),
      m_layersDock(new QDockWidget(tr("Layers"), this)),
      m_lonLatLabel(new QLabel(this)),
      m_mapLabel(new QLabel(this)),
      m_crsBadge(new QLabel(this)),
      m_document(new ProjectDocument(this)),
      m_tasks(new TaskManager(m_document, this)),
      m_service(new GeneratorService(m_tasks, this)),
      m_taskStatus(new TaskStatusWidget(m_tasks, this)),
      m_planning(nullptr),
      m_operations(nullptr) {
  setWindowTitle(tr("NetSpatial Studio"));
  setCentralWidget(m_canvas);
  m_layersDock->setObjectName(QStringLiteral("layersDock"));
  m_layersDock->setWidget(m_layersPanel);
  m_layersDock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  addDockWidget(Qt::LeftDockWidgetArea, m_layersDock);
  resizeDocks({m_layersDock}, {270}, Qt::Horizontal);

  createActions();
  createStatusBar();
  m_tools = new MapToolbox(m_canvas, statusBar(), this);
  m_planning = new PlanningController(this, m_canvas, m_tools, m_document, m_service, m_taskStatus);
  m_layersPanel->setUndoStack(m_document->undoStack());
  m_operations = new OperationsController(this, m_canvas, m_tools, m_document, m_planning, m_service, m_taskStatus);
  m_models = new ModelsController(this, m_document, m_tasks);
  connect(m_document, &ProjectDocument::modifiedChanged, this, &MainWindow::updateTitle);
  connect(m_document, &ProjectDocument::projectReplaced, this, [this] {
    updateTitle();
    updateActions();
    showModalities();
  });
  // The Planning and Operations menus sit before Help.
  for (QAction* a : menuBar()->actions())
    if (a->menu() && a->menu() != m_planning->menu() && a->text() == tr("&Help")) {
      menuBar()->insertMenu(a, m_planning->menu());
      menuBar()->insertMenu(a, m_operations->menu());
      menuBar()->insertMenu(a, m_models->menu());
    }

  connect(m_canvas, &ui::MapCanvas::cursorMoved, this, &MainWindow::updateCursor);
  connect(m_canvas, &ui::MapCanvas::cursorLeft, this, &MainWindow::clearCursor);
  connect(m_canvas, &ui::MapCanvas::mapCrsChanged, this, &MainWindow::updateCrsBadge);
  connect(m_canvas, &ui::MapCanvas::layerError, this, [this](const QString& layer, const QString& message) {
    statusBar()->showMessage(tr("Layer %1 could not be drawn: %2").arg(layer, message), kMessageTimeoutMs);
    qWarning("%s", qPrintable(QStringLiteral("layer %1 could not be drawn: %2").arg(layer, message)));
  });
  updateCrsBadge(m_canvas->mapCrs());
  clearCursor();
  updateTitle();
  updateActions();
  restoreWindowLayout();
}

void MainWindow::setInteractive(bool interactive) {
  m_interactive = interactive;
  m_planning->setConfirmation(interactive ? PlanningController::Confirmation() : [](const QString&, const QString&) { return true; });
}

QUndoStack* MainWindow::undoStack() const { return m_document->undoStack(); }
bool MainWindow::hasScenario() const { return m_document->hasProject(); }
const core::Scenario* MainWindow::scenario() const { return m_document->scenario().get(); }
const QString& MainWindow::scenarioPath() const { return m_document->path(); }

MainWindow::~MainWindow() {
  // The worker must not outlive the window whose members its result is delivered to.
  // Results are delivered to members of this window: stop every task and wait for the workers
  // (the model's thread first, then the tasks' own) before anything else goes.
  m_tasks->cancelAll();
  delete m_service;
  delete m_tasks;
}

void MainWindow::createActions() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* newCity = file->addAction(tr("&New city…"), this, &MainWindow::newCityDialog);
  newCity->setShortcut(QKeySequence::New);
  newCity->setStatusTip(tr("Simulate a synthetic city from a preset and a seed"));
  QAction* newFromData = file->addAction(tr("New scenario from &data…"), this, &MainWindow::newScenarioFromDataDialog);
  newFromData->setObjectName(QStringLiteral("newScenarioFromDataAction"));
  newFromData->setStatusTip(tr("Build a scenario from your own files: stations, OpenStreetMap, imagery, population, traffic"));
  QAction* openScenario = file->addAction(tr("&Open…"), this, &MainWindow::openDialog);
  openScenario->setShortcut(QKeySequence::Open);
  openScenario->setStatusTip(tr("Open a scenario (.gpkg); other GDAL/OGR files are added as layers"));
  QAction* open = file->addAction(tr("Add &layer…"), this, &MainWindow::openLayerDialog);
  open->setStatusTip(tr("Add a GDAL raster or an OGR vector file to the map"));
  file->addSeparator();
  m_saveAction = file->addAction(tr("&Save"), this, &MainWindow::save);
  m_saveAction->setShortcut(QKeySequence::Save);
  m_saveAsAction = file->addAction(tr("Save &As…"), this, &MainWindow::saveAsDialog);
  // Spelled out: the platform's SaveAs key is empty on some desktops.
  m_saveAsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
  m_saveAsAction->setObjectName(QStringLiteral("saveAsAction"));
  m_closeAction = file->addAction(tr("&Close"), this, &MainWindow::closeProject);
  m_closeAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_W));
  m_closeAction->setObjectName(QStringLiteral("closeAction"));
  m_jobLockedActions = {newCity, newFromData, openScenario, m_saveAction, m_saveAsAction, m_closeAction};
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QAction* undo = m_document->undoStack()->createUndoAction(this, tr("&Undo"));
  undo->setShortcut(QKeySequence::Undo);
  undo->setObjectName(QStringLiteral("undoAction"));
  QAction* redo = m_document->undoStack()->createRedoAction(this, tr("&Redo"));
  redo->setShortcut(QKeySequence::Redo);
  edit->addAction(undo);
  edit->addAction(redo);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  QAction* full = view->addAction(tr("Zoom to &full extent"), m_canvas, &ui::MapCanvas::zoomToFullExtent);
  full->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
  full->setObjectName(QStringLiteral("zoomToFullExtentAction"));
  QAction* in = view->addAction(tr("Zoom &in"), m_canvas, &ui::MapCanvas::zoomIn);
  in->setShortcut(QKeySequence::ZoomIn);
  QAction* out = view->addAction(tr("Zoom &out"), m_canvas, &ui::MapCanvas::zoomOut);
  out->setShortcut(QKeySequence::ZoomOut);
  view->addSeparator();
  view->addAction(m_layersDock->toggleViewAction());

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About NetSpatial Studio"), this, &MainWindow::showAbout);
}

void MainWindow::createStatusBar() {
  // Fixed minimum widths keep the labels from jittering as the digits change under the mouse.
  const QFontMetrics fm(font());
  m_lonLatLabel->setMinimumWidth(fm.horizontalAdvance(QStringLiteral("Lon/Lat -179.999999°, -89.999999°")) + 8);
  m_mapLabel->setMinimumWidth(fm.horizontalAdvance(QStringLiteral("E/N 99999999.9, 99999999.9 m")) + 8);
  m_lonLatLabel->setToolTip(tr("Cursor position in WGS 84 longitude/latitude (degrees)"));
  m_mapLabel->setToolTip(tr("Cursor position in the map CRS"));
  m_crsBadge->setObjectName(QStringLiteral("crsBadge"));
  m_crsBadge->setStyleSheet(
      QStringLiteral("QLabel#crsBadge { border: 1px solid #6f8496; border-radius: 8px; padding: 1px 8px; background: #e9f0f6; "
                     "color: #1d3446; }"));
  statusBar()->addPermanentWidget(m_taskStatus);
  statusBar()->addPermanentWidget(m_lonLatLabel);
  statusBar()->addPermanentWidget(m_mapLabel);
  statusBar()->addPermanentWidget(m_crsBadge);
}

void MainWindow::updateCursor(core::PointXY mapPoint) {
  const core::Crs& crs = m_canvas->mapCrs();
  if (!crs.isValid()) return clearCursor();
  if (auto lonLat = m_canvas->toLonLat(mapPoint); lonLat) {
    m_lonLatLabel->setText(QStringLiteral("Lon/Lat %1°, %2°").arg(lonLat->x, 0, 'f', 6).arg(lonLat->y, 0, 'f', 6));
  } else {
    m_lonLatLabel->setText(tr("Lon/Lat —"));
  }
  if (crs.isGeographic()) {
    m_mapLabel->setText(QStringLiteral("X/Y %1°, %2°").arg(mapPoint.x, 0, 'f', 6).arg(mapPoint.y, 0, 'f', 6));
  } else {
    const QString unit = crs.axisUnit() == QLatin1String("metre") ? QStringLiteral("m") : crs.axisUnit();
    m_mapLabel->setText(QStringLiteral("E/N %1, %2 %3").arg(mapPoint.x, 0, 'f', 1).arg(mapPoint.y, 0, 'f', 1).arg(unit));
  }
}

void MainWindow::clearCursor() {
  m_lonLatLabel->setText(tr("Lon/Lat —"));
  m_mapLabel->setText(m_canvas->mapCrs().isGeographic() ? tr("X/Y —") : tr("E/N —"));
}

void MainWindow::updateCrsBadge(const core::Crs& crs) {
  m_crsBadge->setText(crs.isValid() ? crs.label() : tr("Map CRS not set"));
  m_crsBadge->setToolTip(crs.isValid() ? tr("Map CRS: %1 (unit: %2). Every layer is reprojected into it.").arg(crs.label(), crs.axisUnit())
                                       : tr("The map CRS is chosen from the first layer (its UTM zone)"));
}

QStringList MainWindow::openLayers(const QStringList& paths) {
  QStringList errors;
  int loaded = 0;
  const bool wasEmpty = m_canvas->layerCount() == 0;
  for (const QString& path : paths) {
    statusBar()->showMessage(tr("Opening %1…").arg(QDir::toNativeSeparators(path)));
    if (core::Status s = m_canvas->loadLayer(path); !s) {
      errors << s.error().toString();
    } else {
      ++loaded;
    }
  }
  // A layer added to a shown project keeps the view: zooming to the union of a city and a far-away
  // raster would show neither. View › Zoom to full extent is one key away.
  if (loaded > 0 && wasEmpty) m_canvas->zoomToFullExtent();
  if (m_canvas->layerCount() == 0) {
    statusBar()->showMessage(tr("No layers loaded — File › New city…, Open… or Add layer…"));
  } else if (errors.isEmpty()) {
    statusBar()->showMessage(tr("%n layer(s) loaded", nullptr, loaded), kMessageTimeoutMs);
  } else {
    statusBar()->showMessage(tr("%n layer(s) loaded, %1 failed", nullptr, loaded).arg(errors.size()), kMessageTimeoutMs);
  }
  return errors;
}

void MainWindow::reportOpenErrors(const QStringList& errors) {
  if (errors.isEmpty()) return;
  QMessageBox box(
      QMessageBox::Warning, tr("Cannot open layer"),
      errors.size() == 1 ? tr("This file could not be opened as a map layer:") : tr("These files could not be opened as map layers:"),
      QMessageBox::Ok, this);
  box.setInformativeText(errors.join(QStringLiteral("\n\n")));
  box.exec();
}

void MainWindow::openLayerDialog() {
  QSettings settings;
  const QString dir = settings.value(QStringLiteral("paths/lastLayerDir"), QDir::homePath()).toString();
  const QStringList files = QFileDialog::getOpenFileNames(this, tr("Open layer"), dir, QString::fromLatin1(kLayerFileFilter));
  if (files.isEmpty()) return;
  settings.setValue(QStringLiteral("paths/lastLayerDir"), QFileInfo(files.first()).absolutePath());
  const bool wasEmpty = m_canvas->layerCount() == 0;
  QStringList errors;
  for (const QString& path : files) {
    if (core::Status s = m_canvas->loadLayer(path); !s) {
      errors << s.error().toString();
      qCWarning(lcApp) << "cannot open layer:" << s.error().toString();
    } else {
      qCDebug(lcApp) << "opened layer" << path;
    }
  }
  if (wasEmpty && m_canvas->layerCount() > 0) m_canvas->zoomToFullExtent();
  if (errors.isEmpty()) statusBar()->showMessage(tr("%n layer(s) added", nullptr, int(files.size())), kMessageTimeoutMs);
  reportOpenErrors(errors);
}

// --- scenario jobs ---------------------------------------------------------------------------

void MainWindow::startJob(const QString& title, std::function<core::Status(core::Feedback*)> work, std::function<void()> done) {
  Task task;
  task.title = title;
  task.run = std::move(work);
  auto id = std::make_shared<quint64>(0);
  task.finished = [this, title, id, done = std::move(done)](const core::Status& status) {
    m_projectTasks.removeOne(*id);
    finishJob(title, status, done);
  };
  *id = m_tasks->submit(std::move(task));
  m_projectTasks << *id;
  updateActions();
}

void MainWindow::abandonProjectJobs() {
  // Jobs reading the project about to be replaced are pointless: stop them, drop their results.
  m_planning->session()->abandonJob();
  m_operations->abandonJob();
}

void MainWindow::cancelJob() {
  for (quint64 id : m_projectTasks) m_tasks->cancel(id);
}

void MainWindow::finishJob(const QString& title, const core::Status& status, const std::function<void()>& done) {
  QString error;
  const bool cancelled = !status.ok() && status.error().code() == core::ErrorCode::Cancelled;
  if (cancelled) {
    statusBar()->showMessage(tr("%1: cancelled — nothing was changed").arg(title), kMessageTimeoutMs);
    error = tr("cancelled");
  } else if (!status.ok()) {
    error = status.error().toString();
    statusBar()->showMessage(tr("%1 failed").arg(title), kMessageTimeoutMs);
  } else {
    statusBar()->clearMessage();
    if (done) done();
  }
  updateActions();
  if (!cancelled && !error.isEmpty()) {
    m_openErrors << error;
    showError(title, error);
  }
  if (!m_pendingLayerFiles.isEmpty()) {
    const QStringList pending = std::exchange(m_pendingLayerFiles, {});
    const QStringList errors = openLayers(pending);
    m_openErrors << errors;
    if (m_interactive) reportOpenErrors(errors);
  }
  if (m_jobFinished) m_jobFinished(error);
}

void MainWindow::showError(const QString& title, const QString& message) {
  qCWarning(lcApp) << title << "failed:" << message;
  // No modal dialog in a headless run (--screenshot): the job callback reports the error instead.
  if (!m_interactive) return;
  QMessageBox box(QMessageBox::Warning, title, tr("%1 failed.").arg(title), QMessageBox::Ok, this);
  box.setInformativeText(message);
  box.exec();
}

// The result of a worker job that produces a scenario, its (already built) layers and what the
// document would otherwise compute on the GUI thread.
struct MainWindow::LoadedScenario {
  std::shared_ptr<core::Scenario> scenario;
  std::vector<std::unique_ptr<ui::MapLayer>> layers;
  PreparedProject prepared;
};

namespace {

// Builds the layers on the worker, so that the GUI thread never converts a 12 km image, and
// prepares the stored generation's utilities there too.
core::Status buildLayers(MainWindow::LoadedScenario& out, const QString& source) {
  auto layers = ui::ScenarioLayers::create(*out.scenario, source);
  if (!layers) return layers.error();
  out.layers = std::move(layers).value();
  out.prepared = ProjectDocument::prepare(*out.scenario);
  return {};
}

}  // namespace

void MainWindow::showScenario(LoadedScenario& loaded, const QString& path, bool modified) {
  if (core::Status s = ui::ScenarioLayers::show(*m_canvas, std::move(loaded.layers), loaded.scenario->metadata.crs); !s) {
    showError(tr("Show scenario"), s.error().withFile(path).toString());
    return;
  }
  // The controllers follow the document's projectReplaced().
  m_document->open(std::move(*loaded.scenario), path, modified, loaded.prepared);
}

void MainWindow::newCity(const QString& presetName, quint64 seed) {
  auto preset = core::cityPreset(presetName);
  if (!preset) return showError(tr("New city"), preset.error().toString());
  auto result = std::make_shared<LoadedScenario>();
  abandonProjectJobs();
  startJob(
      tr("Simulating %1 (seed %2)").arg(presetName).arg(seed),
      [result, preset = *preset, seed](core::Feedback* feedback) -> core::Status {
        auto scenario = core::simulateCity(preset, seed, feedback);
        if (!scenario) return scenario.error();
        result->scenario = std::make_shared<core::Scenario>(std::move(scenario).value());
        return buildLayers(*result, QString());
      },
      [this, result] { showScenario(*result, QString(), true); });
}

void MainWindow::newScenarioFromData(const core::ScenarioImportOptions& options, const QString& path) {
  auto result = std::make_shared<LoadedScenario>();
  auto report = std::make_shared<core::ImportReport>();
  abandonProjectJobs();
  startJob(
      tr("Creating %1").arg(QFileInfo(path).fileName()),
      [result, report, options, path](core::Feedback* feedback) -> core::Status {
        // Imported and its layers built before anything is written: a cancel up to the save leaves
        // no file, and the save itself is atomic (core::saveScenario).
        core::Feedback importing = feedback->child(0.0, 0.75, QStringLiteral("importing"));
        auto imported = core::importScenario(options, &importing);
        if (!imported) return imported.error();
        *report = imported->report;
        result->scenario = std::make_shared<core::Scenario>(std::move(imported->scenario));
        if (feedback->isCancelled()) return core::Error(core::ErrorCode::Cancelled, QStringLiteral("cancelled"));
        feedback->setProgress(0.75, QStringLiteral("drawing the layers"));
        if (core::Status s = buildLayers(*result, path); !s) return s;
        core::Feedback saving = feedback->child(0.85, 1.0, QStringLiteral("saving"));
        if (core::Status s = core::saveScenario(*result->scenario, path, &saving); !s) return s.error().withFile(path);
        return {};
      },
      [this, result, report, path] {
        showScenario(*result, path, false);
        for (const QString& line : *report) qCInfo(lcApp) << "import:" << line;
        statusBar()->showMessage(report->isEmpty()
                                     ? tr("Created %1").arg(QDir::toNativeSeparators(path))
                                     : tr("Created %1 — %2").arg(QDir::toNativeSeparators(path), report->join(QStringLiteral("; "))),
                                 kMessageTimeoutMs * 2);
      });
}

void MainWindow::newScenarioFromDataDialog() {
  if (isBusy() || !maybeSave(tr("New scenario"))) return;
  ui::NewScenarioWizard wizard(this);
  const bool accepted = m_wizardDriver ? m_wizardDriver(wizard) : wizard.exec() == QDialog::Accepted;
  if (!accepted || wizard.outputPath().isEmpty()) return;
  newScenarioFromData(wizard.options(), wizard.outputPath());
}

QString MainWindow::demoCityPath() {
  return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("demo-city-v1.gpkg"));
}

void MainWindow::openDemoCity() {
  const QString path = demoCityPath();
  auto result = std::make_shared<LoadedScenario>();
  const bool cached = QFileInfo::exists(path);
  abandonProjectJobs();
  startJob(
      cached ? tr("Opening the demo city") : tr("Creating the demo city (first start only)"),
      [result, path](core::Feedback* feedback) -> core::Status {
        if (QFileInfo::exists(path)) {
          auto loaded = core::loadScenario(path, feedback);
          if (loaded) {
            result->scenario = std::make_shared<core::Scenario>(std::move(loaded).value());
            return buildLayers(*result, path);
          }
          if (loaded.error().code() == core::ErrorCode::Cancelled) return loaded.error();
          // A cache from an older or interrupted run: make it again rather than fail the start.
          qCWarning(lcJobs) << "demo city cache unreadable, regenerating:" << loaded.error().toString();
        }
        auto preset = core::cityPreset(QStringLiteral("city"));
        if (!preset) return preset.error();
        auto scenario = core::simulateCity(*preset, 1, feedback);
        if (!scenario) return scenario.error();
        result->scenario = std::make_shared<core::Scenario>(std::move(scenario).value());
        if (feedback->isCancelled()) return core::Error(core::ErrorCode::Cancelled, QStringLiteral("cancelled"));
        if (!QDir().mkpath(QFileInfo(path).absolutePath()))
          return core::Error(core::ErrorCode::Io, QStringLiteral("cannot create the folder for the demo city cache"), {path});
        if (core::Status s = core::saveScenario(*result->scenario, path, nullptr); !s) {
          // The city is still usable without its cache; the next start simply simulates it again.
          qCWarning(lcJobs) << "cannot cache the demo city:" << s.error().toString();
        }
        return buildLayers(*result, path);
      },
      [this, result] { showScenario(*result, QString(), false); });
}

void MainWindow::openFiles(const QStringList& paths) {
  QStringList layers = paths;
  const auto isGpkg = [](const QString& p) { return QFileInfo(p).suffix().compare(QStringLiteral("gpkg"), Qt::CaseInsensitive) == 0; };
  const auto scenario = std::find_if(layers.begin(), layers.end(), isGpkg);
  if (scenario == layers.end()) {
    const QStringList errors = openLayers(layers);
    m_openErrors << errors;
    if (m_interactive && !errors.isEmpty()) QTimer::singleShot(0, this, [this, errors] { reportOpenErrors(errors); });
    return;
  }
  const QString path = *scenario;
  layers.erase(scenario);
  m_pendingLayerFiles = layers;
  openFile(path);
}

void MainWindow::openFile(const QString& path) {
  if (QFileInfo(path).suffix().compare(QStringLiteral("gpkg"), Qt::CaseInsensitive) != 0) {
    const QStringList errors = openLayers({path});
    m_openErrors << errors;
    if (m_interactive) reportOpenErrors(errors);
    return;
  }
  auto result = std::make_shared<LoadedScenario>();
  auto plainLayer = std::make_shared<bool>(false);
  abandonProjectJobs();
  startJob(
      tr("Opening %1").arg(QFileInfo(path).fileName()),
      [result, path, plainLayer](core::Feedback* feedback) -> core::Status {
        auto loaded = core::loadScenario(path, feedback);
        if (!loaded) {
          // A GeoPackage that is not a scenario (e.g. one layer exported from QGIS) is still a
          // map layer: say so only if that fails too. One that claims to be a scenario (it has the
          // metadata table) but is broken is reported and changes nothing.
          if (loaded.error().code() != core::ErrorCode::Cancelled && !claimsToBeScenario(path)) {
            if (auto layer = ui::MapLayer::open(path); layer) {
              *plainLayer = true;
              return {};
            }
          }
          return loaded.error().withFile(path);
        }
        result->scenario = std::make_shared<core::Scenario>(std::move(loaded).value());
        return buildLayers(*result, path);
      },
      [this, result, path, plainLayer] {
        if (*plainLayer) {
          const QStringList errors = openLayers({path});
          m_openErrors << errors;
          if (m_interactive) reportOpenErrors(errors);
          return;
        }
        showScenario(*result, path, false);
        statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), kMessageTimeoutMs);
      });
}

void MainWindow::saveScenarioAs(const QString& path) {
  if (!m_document->hasProject()) return;
  // The worker writes an immutable version of the project: the user may go on editing (and
  // undoing) while it runs; such edits are simply not in the file, and the project stays modified.
  const std::shared_ptr<const core::Scenario> snapshot = m_document->scenario();
  const int cleanIndex = m_document->undoStack()->index();
  startJob(
      tr("Saving %1").arg(QFileInfo(path).fileName()),
      [snapshot, path](core::Feedback* feedback) -> core::Status {
        if (core::Status s = core::saveScenario(*snapshot, path, feedback); !s) return s.error().withFile(path);
        return {};
      },
      [this, path, snapshot, cleanIndex] {
        if (m_document->scenario() == nullptr) return;  // closed meanwhile
        m_document->markSaved(path, m_document->scenario() == snapshot ? m_document->undoStack()->index() : cleanIndex);
        updateTitle();
        statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), kMessageTimeoutMs);
      });
}

void MainWindow::newCityDialog() {
  if (!maybeSave(tr("New city"))) return;
  NewCityDialog dialog(this);
  if (dialog.exec() != QDialog::Accepted) return;
  newCity(dialog.preset(), dialog.seed());
}

void MainWindow::openDialog() {
  QSettings settings;
  const QString dir = settings.value(QStringLiteral("paths/lastScenarioDir"), QDir::homePath()).toString();
  const QString path = QFileDialog::getOpenFileName(this, tr("Open"), dir, QString::fromLatin1(kOpenFileFilter));
  if (path.isEmpty()) return;
  settings.setValue(QStringLiteral("paths/lastScenarioDir"), QFileInfo(path).absolutePath());
  openChosenFile(path);
}

void MainWindow::openChosenFile(const QString& path) {
  const bool scenario = QFileInfo(path).suffix().compare(QStringLiteral("gpkg"), Qt::CaseInsensitive) == 0 && claimsToBeScenario(path);
  if (scenario) {
    if (!maybeSave(tr("Open"))) return;
    return openFile(path);
  }
  if (m_document->hasProject()) {
    // A raster or a vector: a layer of this project, or a project of its own?
    switch (askLayerOrProject(path)) {
      case OpenAs::Layer:
        break;
      case OpenAs::NewProject:
        if (!maybeSave(tr("Open"))) return;
        m_document->close();
        m_canvas->clearLayers();
        break;
      case OpenAs::Cancel:
        return;
    }
  }
  const QStringList errors = openLayers({path});
  m_openErrors << errors;
  if (m_interactive) reportOpenErrors(errors);
}

MainWindow::OpenAs MainWindow::askLayerOrProject(const QString& path) {
  if (m_openAsAnswer) return m_openAsAnswer(path);
  if (!m_interactive) return OpenAs::Layer;
  QMessageBox box(QMessageBox::Question, tr("Open"), tr("%1 is not a NetSpatial scenario.").arg(QFileInfo(path).fileName()),
                  QMessageBox::Cancel, this);
  box.setInformativeText(tr("Add it to this project as a map layer, or close the project and open it on its own?"));
  QPushButton* layer = box.addButton(tr("Add as &layer"), QMessageBox::AcceptRole);
  QPushButton* project = box.addButton(tr("Open as &new project"), QMessageBox::DestructiveRole);
  box.setDefaultButton(layer);
  box.exec();
  if (box.clickedButton() == layer) return OpenAs::Layer;
  if (box.clickedButton() == project) return OpenAs::NewProject;
  return OpenAs::Cancel;
}

void MainWindow::save() {
  if (m_document->path().isEmpty()) return saveAsDialog();
  saveScenarioAs(m_document->path());
}

void MainWindow::saveAsDialog() {
  if (!m_document->hasProject()) return;
  QSettings settings;
  const QString dir = settings.value(QStringLiteral("paths/lastScenarioDir"), QDir::homePath()).toString();
  const auto scenario = m_document->scenario();
  QString name = scenario->metadata.name.isEmpty() ? QStringLiteral("scenario") : scenario->metadata.name;
  name.replace(QLatin1Char('/'), QLatin1Char('_'));
  QString path = QFileDialog::getSaveFileName(this, tr("Save scenario as"), QDir(dir).filePath(name + QStringLiteral(".gpkg")),
                                              QString::fromLatin1(kScenarioFileFilter));
  if (path.isEmpty()) return;
  if (!path.endsWith(QStringLiteral(".gpkg"), Qt::CaseInsensitive)) path += QStringLiteral(".gpkg");
  settings.setValue(QStringLiteral("paths/lastScenarioDir"), QFileInfo(path).absolutePath());
  saveScenarioAs(path);
}

void MainWindow::showModalities() {
  // What a real city's project lacks is said where its layers are listed (issue 19): a missing
  // modality is never drawn as zeros, and nobody should take its absence for an empty city.
  if (!m_document->hasProject()) return m_layersPanel->setNote({});
  QStringList missing, details;
  for (const core::Modality& m : core::describeModalities(*m_document->scenario())) {
    const QString label = core::modalityLabel(m.name);
    if (m.lacking) missing << label;
    details << QStringLiteral("%1: %2%3")
                   .arg(label, m.description, m.source.isEmpty() || !m.present ? QString() : QStringLiteral(" — ") + m.source);
  }
  m_layersPanel->setNote(missing.isEmpty() ? QString() : tr("Missing: %1").arg(missing.join(QStringLiteral(", "))),
                         details.join(QLatin1Char('\n')));
}

void MainWindow::updateTitle() {
  QString name;
  if (const auto scenario = m_document->scenario()) {
    name = !m_document->path().isEmpty()       ? QFileInfo(m_document->path()).fileName()
           : scenario->metadata.name.isEmpty() ? tr("Untitled city")
                                               : scenario->metadata.name;
  }
  setWindowTitle(name.isEmpty()
                     ? tr("NetSpatial Studio")
                     : QStringLiteral("%1%2 — NetSpatial Studio").arg(name, m_document->isModified() ? QStringLiteral("*") : QString()));
}

void MainWindow::updateActions() {
  const bool busy = isBusy();
  for (QAction* a : m_jobLockedActions) a->setEnabled(!busy);
  if (m_saveAction) m_saveAction->setEnabled(!busy && m_document->hasProject());
  if (m_saveAsAction) m_saveAsAction->setEnabled(!busy && m_document->hasProject());
  if (m_closeAction) m_closeAction->setEnabled(!busy && m_document->hasProject());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!maybeSave(tr("Quit"))) return event->ignore();
  m_tasks->cancelAll();
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState(kWindowStateVersion));
  QMainWindow::closeEvent(event);
}

void MainWindow::restoreWindowLayout() {
  QSettings settings;
  if (const QByteArray g = settings.value(QStringLiteral("window/geometry")).toByteArray(); !g.isEmpty()) restoreGeometry(g);
  if (const QByteArray st = settings.value(QStringLiteral("window/state")).toByteArray(); !st.isEmpty())
    restoreState(st, kWindowStateVersion);
}

QMessageBox::StandardButton MainWindow::askUnsavedChanges(const QString& action) {
  if (m_unsavedChangesAnswer) return m_unsavedChangesAnswer(action);
  // Headless runs (--screenshot) have nobody to ask and never save behind the user's back.
  if (!m_interactive) return QMessageBox::Discard;
  const auto scenario = m_document->scenario();
  const QString name = !m_document->path().isEmpty()                    ? QFileInfo(m_document->path()).fileName()
                       : scenario && !scenario->metadata.name.isEmpty() ? scenario->metadata.name
                                                                        : tr("the untitled city");
  QMessageBox box(QMessageBox::Warning, action, tr("Save the changes to %1 before you %2?").arg(name, action.toLower()),
                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
  box.setInformativeText(tr("Without saving, the changes are lost (the area of interest, generated traffic, rankings and layers)."));
  box.setDefaultButton(QMessageBox::Save);
  return QMessageBox::StandardButton(box.exec());
}

bool MainWindow::maybeSave(const QString& action) {
  if (!m_document->isModified()) return true;
  switch (askUnsavedChanges(action)) {
    case QMessageBox::Save:
      return saveAndWait();
    case QMessageBox::Discard:
      return true;
    default:
      return false;
  }
}

bool MainWindow::saveAndWait() {
  if (isBusy()) return false;  // a job runs: its end comes first
  if (m_document->path().isEmpty())
    saveAsDialog();
  else
    save();
  if (!isBusy()) return !m_document->isModified();  // no file chosen
  // The save runs on its worker as always; the question waits for it (progress and Cancel stay live).
  QEventLoop loop;
  connect(m_tasks, &TaskManager::taskFinished, &loop, [this, &loop] {
    if (!isBusy()) loop.quit();
  });
  loop.exec();
  return !m_document->isModified();
}

void MainWindow::closeProject() {
  if (isBusy() || !maybeSave(tr("Close"))) return;
  m_document->close();
  m_canvas->clearLayers();
  statusBar()->showMessage(tr("No project — File › New city…, Open… or Add layer…"));
}

void MainWindow::showAbout() {
  // The same facts as `netspatial --version`: which BLAS and device the generators will use matters
  // to an engineer judging how long a job will take.
  const VersionInfo v = VersionInfo::collect();
  QMessageBox::about(this, tr("About NetSpatial Studio"),
                     tr("<b>NetSpatial Studio</b> %1<br>Mobile-network planning on a map.<br><br>"
                        "<table><tr><td>Qt</td><td>%2</td></tr><tr><td>LibTorch</td><td>%3</td></tr>"
                        "<tr><td>GDAL</td><td>%4</td></tr><tr><td>PROJ</td><td>%5</td></tr>"
                        "<tr><td>BLAS</td><td>%6</td></tr><tr><td>Device</td><td>%7</td></tr>"
                        "<tr><td>Threads</td><td>%8</td></tr><tr><td>Allocator</td><td>%9</td></tr></table>")
                         .arg(v.application, v.qt, v.libTorch, v.gdal, v.proj, v.blas.toHtmlEscaped(), v.device, QString::number(v.threads),
                              v.allocator.toHtmlEscaped()));
}

void MainWindow::saveScreenshotWhenReady(const QString& path, std::function<void(bool, const QString&)> done) {
  // Polled rather than signal-driven: "ready" is the conjunction of exposure, layout and the
  // asynchronous raster renders, and a render is only requested after the first resize arrives.
  // Two consecutive idle polls make sure no render was about to be scheduled.
  auto* timer = new QTimer(this);
  auto elapsed = std::make_shared<QElapsedTimer>();
  elapsed->start();
  auto idlePolls = std::make_shared<int>(0);
  timer->setInterval(50);
  connect(timer, &QTimer::timeout, this, [this, timer, elapsed, idlePolls, path, done] {
    if (isBusy()) elapsed->restart();  // a job (simulating the demo city) is not drawing time
    const bool exposed = windowHandle() && windowHandle()->isExposed();
    const bool idle = exposed && !isBusy() && !m_canvas->isRenderPending() && m_canvas->view().size() == QSizeF(m_canvas->size());
    *idlePolls = idle ? *idlePolls + 1 : 0;
    const bool timedOut = elapsed->elapsed() > 30000;
    if (*idlePolls < 3 && !timedOut) return;
    timer->stop();
    timer->deleteLater();
    const QPixmap pixmap = grab();
    QString message;
    // Atomic, as every output: never written through a link or into a device.
    core::AtomicFile file(path);
    auto device = file.open();
    core::Status written = device ? core::Status{} : core::Status(device.error());
    if (written && (pixmap.isNull() || !pixmap.save(*device, "PNG")))
      written = core::Error(core::ErrorCode::Io, tr("the window could not be encoded as PNG"), {path});
    if (written) written = file.commit();
    const bool saved = written.ok();
    if (saved) {
      message = tr("screenshot saved to %1 (%2 × %3 px)").arg(path).arg(pixmap.width()).arg(pixmap.height());
      if (timedOut) message += tr(" — the map had not finished drawing after 30 s");
    } else {
      message = tr("cannot save the screenshot to %1: %2").arg(path, written.error().message());
    }
    done(saved, message);
  });
  timer->start();
}

}  // namespace netspatial::app
