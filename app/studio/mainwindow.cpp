#include "app/studio/mainwindow.h"

#include "app/common/logging.h"
#include "app/common/versioninfo.h"

#include "ui/map/layerspanel.h"
#include "ui/map/mapcanvas.h"

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QWindow>

#include <memory>

namespace netspatial::app {

namespace {

constexpr int kMessageTimeoutMs = 8000;

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
      m_crsBadge(new QLabel(this)) {
  setWindowTitle(tr("NetSpatial Studio"));
  setCentralWidget(m_canvas);
  m_layersDock->setObjectName(QStringLiteral("layersDock"));
  m_layersDock->setWidget(m_layersPanel);
  m_layersDock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                            QDockWidget::DockWidgetFloatable);
  addDockWidget(Qt::LeftDockWidgetArea, m_layersDock);
  resizeDocks({m_layersDock}, {220}, Qt::Horizontal);

  createActions();
  createStatusBar();

  connect(m_canvas, &ui::MapCanvas::cursorMoved, this, &MainWindow::updateCursor);
  connect(m_canvas, &ui::MapCanvas::cursorLeft, this, &MainWindow::clearCursor);
  connect(m_canvas, &ui::MapCanvas::mapCrsChanged, this, &MainWindow::updateCrsBadge);
  connect(m_canvas, &ui::MapCanvas::layerError, this, [this](const QString& layer, const QString& message) {
    statusBar()->showMessage(tr("Layer %1 could not be drawn: %2").arg(layer, message), kMessageTimeoutMs);
    qWarning("%s", qPrintable(QStringLiteral("layer %1 could not be drawn: %2").arg(layer, message)));
  });
  updateCrsBadge(m_canvas->mapCrs());
  clearCursor();
}

void MainWindow::createActions() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open layer…"), this, &MainWindow::openLayerDialog);
  open->setShortcut(QKeySequence::Open);
  open->setStatusTip(tr("Add a GDAL raster or an OGR vector file to the map"));
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

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
  m_crsBadge->setStyleSheet(QStringLiteral(
      "QLabel#crsBadge { border: 1px solid #6f8496; border-radius: 8px; padding: 1px 8px; background: #e9f0f6; "
      "color: #1d3446; }"));
  statusBar()->addPermanentWidget(m_lonLatLabel);
  statusBar()->addPermanentWidget(m_mapLabel);
  statusBar()->addPermanentWidget(m_crsBadge);
}

void MainWindow::updateCursor(core::PointXY mapPoint) {
  const core::Crs& crs = m_canvas->mapCrs();
  if (!crs.isValid()) return clearCursor();
  if (auto lonLat = m_canvas->toLonLat(mapPoint); lonLat) {
    m_lonLatLabel->setText(
        QStringLiteral("Lon/Lat %1°, %2°").arg(lonLat->x, 0, 'f', 6).arg(lonLat->y, 0, 'f', 6));
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
  m_crsBadge->setToolTip(crs.isValid() ? tr("Map CRS: %1 (unit: %2). Every layer is reprojected into it.")
                                             .arg(crs.label(), crs.axisUnit())
                                       : tr("The map CRS is chosen from the first layer (its UTM zone)"));
}

QStringList MainWindow::openLayers(const QStringList& paths) {
  QStringList errors;
  int loaded = 0;
  for (const QString& path : paths) {
    statusBar()->showMessage(tr("Opening %1…").arg(QDir::toNativeSeparators(path)));
    if (core::Status s = m_canvas->loadLayer(path); !s) {
      errors << s.error().toString();
    } else {
      ++loaded;
    }
  }
  if (loaded > 0) m_canvas->zoomToFullExtent();
  if (m_canvas->layerCount() == 0) {
    statusBar()->showMessage(tr("No layers loaded — use File › Open layer… to add GDAL rasters and OGR vector files."));
  } else if (errors.isEmpty()) {
    statusBar()->showMessage(tr("%n layer(s) loaded", nullptr, loaded), kMessageTimeoutMs);
  } else {
    statusBar()->showMessage(tr("%n layer(s) loaded, %1 failed", nullptr, loaded).arg(errors.size()), kMessageTimeoutMs);
  }
  return errors;
}

void MainWindow::reportOpenErrors(const QStringList& errors) {
  if (errors.isEmpty()) return;
  QMessageBox box(QMessageBox::Warning, tr("Cannot open layer"),
                  errors.size() == 1 ? tr("This file could not be opened as a map layer:")
                                     : tr("These files could not be opened as map layers:"),
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
  if (errors.isEmpty())
    statusBar()->showMessage(tr("%n layer(s) added", nullptr, int(files.size())), kMessageTimeoutMs);
  reportOpenErrors(errors);
}

void MainWindow::showAbout() {
  // The same facts as `netspatial --version`: which BLAS and device the generators will use matters
  // to an engineer judging how long a job will take.
  const VersionInfo v = VersionInfo::collect();
  QMessageBox::about(this, tr("About NetSpatial Studio"),
                     tr("<b>NetSpatial Studio</b> %1<br>Mobile-network planning on a map.<br><br>"
                        "<table><tr><td>Qt</td><td>%2</td></tr><tr><td>LibTorch</td><td>%3</td></tr>"
                        "<tr><td>GDAL</td><td>%4</td></tr><tr><td>PROJ</td><td>%5</td></tr>"
                        "<tr><td>BLAS</td><td>%6</td></tr><tr><td>Device</td><td>%7</td></tr></table>")
                         .arg(v.application, v.qt, v.libTorch, v.gdal, v.proj, v.blas.toHtmlEscaped(), v.device));
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
    const bool exposed = windowHandle() && windowHandle()->isExposed();
    const bool idle = exposed && !m_canvas->isRenderPending() && m_canvas->view().size() == QSizeF(m_canvas->size());
    *idlePolls = idle ? *idlePolls + 1 : 0;
    const bool timedOut = elapsed->elapsed() > 30000;
    if (*idlePolls < 3 && !timedOut) return;
    timer->stop();
    timer->deleteLater();
    const QPixmap pixmap = grab();
    QString message;
    const bool saved = !pixmap.isNull() && pixmap.save(path, "PNG");
    if (saved) {
      message = tr("screenshot saved to %1 (%2 × %3 px)").arg(path).arg(pixmap.width()).arg(pixmap.height());
      if (timedOut) message += tr(" — the map had not finished drawing after 30 s");
    } else {
      message = tr("cannot save the screenshot to %1").arg(path);
    }
    done(saved, message);
  });
  timer->start();
}

}  // namespace netspatial::app
