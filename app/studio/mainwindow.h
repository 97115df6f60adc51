#pragma once

#include "core/geo/crs.h"
#include "core/geo/geometry.h"

#include <QMainWindow>
#include <QStringList>

#include <functional>

class QLabel;
class QDockWidget;

namespace netspatial::ui {
class MapCanvas;
class LayersPanel;
}  // namespace netspatial::ui

namespace netspatial::app {

//! The studio's main window: the map canvas in the centre, the layers dock on the left, and a
//! status bar with the cursor's lon/lat and map coordinates and a badge naming the map CRS.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);

  ui::MapCanvas* canvas() const { return m_canvas; }

  //! Loads `paths` in order (rasters end up below vectors) and fits the map to them. Returns one
  //! message per file that could not be opened, naming the file; shows nothing itself.
  QStringList openLayers(const QStringList& paths);
  //! Shows the errors of openLayers() in one dialog.
  void reportOpenErrors(const QStringList& errors);
  //! Waits until the window is shown, laid out and every raster is drawn, then saves the
  //! window's image to `path` and calls `done` (true on success, with a message for stderr).
  void saveScreenshotWhenReady(const QString& path, std::function<void(bool ok, const QString& message)> done);

 public Q_SLOTS:
  void openLayerDialog();
  void showAbout();

 private:
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
};

}  // namespace netspatial::app
