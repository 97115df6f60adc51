#pragma once

#include <optional>

#include "core/geo/coordinatetransform.h"
#include "core/geo/crs.h"
#include "core/util/feedback.h"
#include "core/util/inbox.h"
#include "core/util/result.h"
#include "ui/map/maplayer.h"
#include "ui/map/mapview.h"

#include <QImage>
#include <QThreadPool>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <unordered_map>
#include <vector>

namespace netspatial::ui {

//! The map: an ordered stack of layers drawn in one projected map CRS, with pan (left drag), zoom
//! around the cursor (wheel), zoom to full extent (double-click, Home), a scale bar, and the
//! cursor's map coordinate as a signal.
//!
//! Rasters are warped on a worker thread for exactly the visible extent and cached; while the
//! view moves, the cached image is only translated/scaled, and a new one is requested after a
//! short debounce (or when a drag ends), so the GUI thread never waits for GDAL.
class MapCanvas : public QWidget {
  Q_OBJECT

 public:
  explicit MapCanvas(QWidget* parent = nullptr);
  ~MapCanvas() override;

  // --- layers (index 0 is drawn first, i.e. at the bottom) ---------------------------------

  //! Opens `path` as a raster or vector layer (MapLayer::open) and adds it. The error names the file.
  core::Status loadLayer(const QString& path);
  //! Adds a layer. Sets the map CRS from it when none is set yet, reprojects it into the map CRS,
  //! and fits the view to it when it is the first layer. Rasters go above the other rasters but
  //! below every vector layer, so imagery never hides vectors. On error the canvas is unchanged.
  core::Status addLayer(std::unique_ptr<MapLayer> layer);
  void removeLayer(int index);
  void clearLayers();
  int layerCount() const { return int(m_layers.size()); }
  MapLayer* layer(int index) const;
  int indexOfLayer(quint64 id) const;
  void setLayerVisible(int index, bool visible);
  //! 0 … 1; emits layersChanged.
  void setLayerOpacity(int index, double opacity);
  //! Moves the layer at `from` to `to` (0 = bottom); emits layersChanged.
  void moveLayer(int from, int to);
  //! Toggles a checkable legend entry of a layer (MapLayer::setLegendEntryChecked) and repaints.
  void setLegendEntryChecked(int index, int entry, bool checked);

  // --- map CRS ------------------------------------------------------------------------------

  const core::Crs& mapCrs() const { return m_mapCrs; }
  //! Reprojects every layer into `crs` and fits the view; on error nothing changes.
  core::Status setMapCrs(const core::Crs& crs);
  //! The CRS the canvas picks for a first layer: the WGS 84 UTM zone of the centre of its extent,
  //! or its own CRS when that is projected and no UTM zone applies (polar regions).
  static core::Result<core::Crs> suggestMapCrs(const MapLayer& layer);
  //! Map CRS → WGS 84 lon/lat (fails without a map CRS).
  core::Result<core::PointXY> toLonLat(core::PointXY mapPoint) const;

  // --- view ---------------------------------------------------------------------------------

  const MapView& view() const { return m_view; }
  core::PointXY centre() const { return m_view.centre(); }
  //! Map units per logical pixel.
  double resolution() const { return m_view.resolution(); }
  core::Extent visibleExtent() const { return m_view.visibleExtent(); }
  //! Union of all layers' extents in the map CRS (visible or not).
  core::Extent fullExtent() const;
  void setCentre(core::PointXY centre);
  void setResolution(double mapUnitsPerPixel);
  void setView(core::PointXY centre, double mapUnitsPerPixel);
  //! Fits `extent` (map CRS) in the widget.
  void zoomToExtent(const core::Extent& extent);
  void zoomToLayer(int index);
  //! Multiplies the resolution by `factor` (< 1 zooms in), keeping the map point under `pixel` fixed.
  void zoomAround(QPointF pixel, double factor);
  //! Moves the map content by `delta` logical pixels (positive x = content moves right).
  void panByPixels(QPointF delta);
  core::PointXY toMap(QPointF pixel) const { return m_view.toMap(pixel); }
  QPointF toPixel(core::PointXY mapPoint) const { return m_view.toPixel(mapPoint); }

  // --- rendering ----------------------------------------------------------------------------

  //! Renders the current view (same centre and resolution) into an image of `logicalSize` at
  //! `devicePixelRatio`, synchronously, including the scale bar when `withScaleBar`.
  QImage renderToImage(QSize logicalSize, qreal devicePixelRatio = 1.0, bool withScaleBar = true) const;
  //! True while a raster render is scheduled or running.
  bool isRenderPending() const;
  QColor backgroundColor() const { return m_background; }
  void setBackgroundColor(const QColor& color);
  //! Milliseconds between the last view change and the raster request (default 120).
  void setRenderDelay(int milliseconds) { m_renderTimer.setInterval(milliseconds); }
  //! The scale bar the canvas draws now (invalid without a map CRS).
  struct ScaleBarInfo {
    double lengthMetres = 0.0;
    double widthPixels = 0.0;
    QString label;
  };
  ScaleBarInfo scaleBar() const;

  QSize sizeHint() const override { return {800, 600}; }
  QSize minimumSizeHint() const override { return {160, 120}; }

 public Q_SLOTS:
  void zoomToFullExtent();
  void zoomIn();
  void zoomOut();
  //! Drops the cached raster images and renders again.
  void refresh();
  //! A layer changed what it shows (data, legend, name): redraws it and emits layersChanged, so the
  //! layers panel shows its current legend.
  void layerContentChanged(quint64 layerId);
  //! Rectangle mode: the next left drag draws an extent (rectangleDrawn) instead of panning; Esc
  //! or a click without a drag leaves the mode.
  void startRectangleTool();
  void stopRectangleTool();
  bool isRectangleToolActive() const { return m_rectangleTool; }

 Q_SIGNALS:
  //! The map coordinate (map CRS) under the mouse.
  void cursorMoved(netspatial::core::PointXY mapPoint);
  //! The mouse left the canvas.
  void cursorLeft();
  void viewChanged();
  void mapCrsChanged(const netspatial::core::Crs& crs);
  //! Layers were added, removed, reordered or toggled.
  void layersChanged();
  //! Every raster requested for the current view has been drawn (or failed).
  void renderFinished();
  //! A layer could not be drawn (reported once per distinct message and layer).
  void layerError(const QString& layerName, const QString& message);
  //! A left click that did not drag (within a few pixels), at this map point.
  void clicked(netspatial::core::PointXY mapPoint);
  //! In rectangle mode: the user dragged out this extent (map CRS). The mode then ends.
  void rectangleDrawn(const netspatial::core::Extent& extent);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void leaveEvent(QEvent* event) override;

 private:
  // The last image rendered for one raster layer, with the map extent it covers.
  struct RasterCache {
    QImage image;
    core::Extent extent;
    MapView view;  // the view it was requested for
    qreal devicePixelRatio = 0;
    quint64 generation = 0;  // of the newest request; older results are dropped
    bool inFlight = false;
    std::shared_ptr<core::Feedback> feedback;
    QString lastError;
  };
  // What to read for one raster in one view: the visible part of the layer, snapped to device pixels.
  struct RasterRequest {
    core::Extent extent;
    QSize pixels;
    double deviceResolution = 0.0;
    bool isEmpty() const { return pixels.isEmpty(); }
  };

  static RasterRequest rasterRequest(const MapLayer& layer, const MapView& view, qreal devicePixelRatio);
  void paintMap(QPainter& painter, const MapView& view, qreal dpr, bool withScaleBar, bool live) const;
  void paintScaleBar(QPainter& painter, const MapView& view) const;
  void paintEmptyHint(QPainter& painter) const;
  void scheduleRender();
  void startRender();
  void onRasterRendered(quint64 layerId, quint64 generation, core::Result<QImage> image, core::Extent extent);
  void finishIfIdle();
  void cancelRenders();
  void viewWasChanged(bool userAction);
  double clampResolution(double resolution) const;

  bool m_rectangleTool = false;
  std::optional<QPointF> m_rectangleEnd;  //!< the rubber band's moving corner while drawing
  std::vector<std::unique_ptr<MapLayer>> m_layers;
  std::unordered_map<quint64, RasterCache> m_rasterCache;
  core::Crs m_mapCrs;
  core::CoordinateTransform m_toLonLat;
  bool m_hasLonLat = false;
  MapView m_view;
  QColor m_background{232, 236, 239};
  int m_nextColor = 0;

  QTimer m_renderTimer;
  QThreadPool m_renderPool;
  core::Inbox* m_renderReplies;  //!< our child: rendered images come back through it

  bool m_dragging = false;
  QPointF m_dragStartPixel;
  core::PointXY m_dragStartCentre;
  // After a programmatic fit, resizes keep the layers fitted (the first layout of the window
  // happens after the command-line layers were added); any user navigation ends this.
  bool m_fitOnResize = false;
};

}  // namespace netspatial::ui
