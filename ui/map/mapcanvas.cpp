#include "ui/map/mapcanvas.h"

#include "core/util/threadpool.h"

#include "ui/map/rasterlayer.h"
#include "ui/map/scalebar.h"
#include "ui/map/vectorlayer.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QThread>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace netspatial::ui {

namespace {

// Colours that stay readable on both imagery and the plain background, one per vector layer.
const QColor kLayerColors[] = {QColor(255, 212, 0),  QColor(0, 229, 255), QColor(255, 61, 242), QColor(255, 122, 0),
                               QColor(124, 255, 61), QColor(255, 64, 64), QColor(77, 124, 255)};

constexpr double kWheelStepFactor = 1.25;  // resolution change per wheel notch
constexpr double kButtonZoomFactor = 1.5;  // per zoom-in/zoom-out action
constexpr double kScaleBarMargin = 12.0;   // logical pixels from the widget's corner
constexpr double kScaleBarMaxWidth = 160.0;
constexpr double kOverscan = 0.25;  // of the widget's size, on each side, for raster renders

}  // namespace

MapCanvas::MapCanvas(QWidget* parent) : QWidget(parent), m_renderReplies(new core::Inbox(this)) {
  m_renderReplies->setObjectName(QStringLiteral("rendered images"));  // names it in stall traces
  setMouseTracking(true);                                             // cursor coordinates without a pressed button
  setFocusPolicy(Qt::StrongFocus);
  setAttribute(Qt::WA_OpaquePaintEvent);  // paintEvent fills every pixel
  m_view.setSize(size());
  m_renderTimer.setSingleShot(true);
  m_renderTimer.setInterval(120);
  connect(&m_renderTimer, &QTimer::timeout, this, &MapCanvas::startRender);
  m_renderPool.setMaxThreadCount(std::clamp(QThread::idealThreadCount(), 1, 4));
}

MapCanvas::~MapCanvas() {
  // Jobs post their results back to this object: they must all be gone before it is.
  cancelRenders();
  m_renderPool.waitForDone();
}

// --- layers --------------------------------------------------------------------------------

core::Status MapCanvas::loadLayer(const QString& path) {
  auto layer = MapLayer::open(path);
  if (!layer) return layer.error();
  return addLayer(std::move(layer).value());
}

core::Status MapCanvas::addLayer(std::unique_ptr<MapLayer> layer) {
  if (!layer) return core::Error(core::ErrorCode::InvalidArgument, QStringLiteral("no layer to add"));
  core::Crs crs = m_mapCrs;
  const bool choosesCrs = !crs.isValid();
  if (choosesCrs) {
    auto suggested = suggestMapCrs(*layer);
    if (!suggested) return suggested.error().withFile(layer->file());
    crs = *suggested;
  }
  if (core::Status s = layer->setMapCrs(crs); !s) return s.error().withFile(layer->file());
  // Only plain vector files get a colour from the canvas; styled layers (scenario zones,
  // stations, …) keep their own.
  if (dynamic_cast<VectorLayer*>(layer.get())) layer->setColor(kLayerColors[std::size_t(m_nextColor++) % std::size(kLayerColors)]);

  if (choosesCrs) {
    m_mapCrs = crs;
    auto toLonLat = core::CoordinateTransform::create(m_mapCrs, core::Crs::wgs84());
    m_hasLonLat = toLonLat.ok();
    m_toLonLat = toLonLat.ok() ? *toLonLat : core::CoordinateTransform();
  }

  auto position = m_layers.end();
  if (layer->kind() == MapLayer::Kind::Raster) {
    // Just above the topmost raster: imagery stacks in load order but stays under every vector.
    position = std::find_if(m_layers.begin(), m_layers.end(), [](const auto& l) { return l->kind() == MapLayer::Kind::Vector; });
  }
  const bool first = m_layers.empty();
  m_layers.insert(position, std::move(layer));

  if (choosesCrs) Q_EMIT mapCrsChanged(m_mapCrs);
  Q_EMIT layersChanged();
  if (first) {
    zoomToFullExtent();
  } else {
    update();
    scheduleRender();
  }
  return {};
}

void MapCanvas::removeLayer(int index) {
  if (index < 0 || index >= layerCount()) return;
  const quint64 id = m_layers[std::size_t(index)]->id();
  if (auto it = m_rasterCache.find(id); it != m_rasterCache.end()) {
    if (it->second.feedback) it->second.feedback->cancel();
    m_rasterCache.erase(it);
  }
  m_layers.erase(m_layers.begin() + index);
  Q_EMIT layersChanged();
  update();
  finishIfIdle();
}

void MapCanvas::clearLayers() {
  cancelRenders();
  m_rasterCache.clear();
  m_layers.clear();
  Q_EMIT layersChanged();
  update();
  finishIfIdle();
}

MapLayer* MapCanvas::layer(int index) const {
  if (index < 0 || index >= layerCount()) return nullptr;
  return m_layers[std::size_t(index)].get();
}

int MapCanvas::indexOfLayer(quint64 id) const {
  for (int i = 0; i < layerCount(); ++i)
    if (m_layers[std::size_t(i)]->id() == id) return i;
  return -1;
}

void MapCanvas::setLayerVisible(int index, bool visible) {
  MapLayer* l = layer(index);
  if (!l || l->isVisible() == visible) return;
  l->setVisible(visible);
  Q_EMIT layersChanged();
  update();
  // A raster shown again may not have an image for this view yet.
  if (visible && l->kind() == MapLayer::Kind::Raster) scheduleRender();
}

void MapCanvas::setLayerOpacity(int index, double opacity) {
  MapLayer* l = layer(index);
  if (!l) return;
  const double before = l->opacity();
  l->setOpacity(opacity);
  if (l->opacity() == before) return;
  Q_EMIT layersChanged();
  update();
}

void MapCanvas::moveLayer(int from, int to) {
  if (from < 0 || from >= layerCount() || to < 0 || to >= layerCount() || from == to) return;
  auto moved = std::move(m_layers[std::size_t(from)]);
  m_layers.erase(m_layers.begin() + from);
  m_layers.insert(m_layers.begin() + to, std::move(moved));
  Q_EMIT layersChanged();
  update();
}

void MapCanvas::setLegendEntryChecked(int index, int entry, bool checked) {
  MapLayer* l = layer(index);
  if (!l || !l->setLegendEntryChecked(entry, checked)) return;
  Q_EMIT layersChanged();
  update();
  // An image layer draws what is checked into its cached image: that image is stale now.
  if (l->kind() == MapLayer::Kind::Raster) {
    if (auto it = m_rasterCache.find(l->id()); it != m_rasterCache.end()) {
      if (it->second.feedback) it->second.feedback->cancel();
      ++it->second.generation;
      it->second.inFlight = false;
      it->second.view = MapView();
    }
    scheduleRender();
  }
}

// --- map CRS -------------------------------------------------------------------------------

core::Result<core::Crs> MapCanvas::suggestMapCrs(const MapLayer& layer) {
  const core::Crs& source = layer.sourceCrs();
  if (!source.isValid()) return core::Error(core::ErrorCode::UnknownCrs, QStringLiteral("the layer has no CRS"), {layer.file()});
  QString why;
  if (auto toLonLat = core::CoordinateTransform::create(source, core::Crs::wgs84()); toLonLat) {
    if (auto lonLat = toLonLat->transformExtent(layer.sourceExtent()); lonLat) {
      const core::PointXY c = lonLat->centre();
      if (auto utm = core::Crs::utmForLonLat(c.x, c.y); utm)
        return utm;
      else
        why = utm.error().message();
    } else {
      why = lonLat.error().message();
    }
  } else {
    why = toLonLat.error().message();
  }
  // No UTM zone (polar, or an empty layer): a projected source CRS is still a metric frame.
  if (!source.isGeographic()) return source;
  return core::Error(core::ErrorCode::UnknownCrs,
                     QStringLiteral("cannot choose a projected map CRS for the layer (%1); give one explicitly").arg(why), {layer.file()});
}

core::Status MapCanvas::setMapCrs(const core::Crs& crs) {
  if (!crs.isValid()) return core::Error(core::ErrorCode::InvalidArgument, QStringLiteral("invalid map CRS"));
  auto toLonLat = core::CoordinateTransform::create(crs, core::Crs::wgs84());
  for (std::size_t i = 0; i < m_layers.size(); ++i) {
    if (core::Status s = m_layers[i]->setMapCrs(crs); !s) {
      // Put the layers already moved back into the old CRS, so that the canvas stays consistent.
      for (std::size_t j = 0; j < i; ++j)
        if (m_mapCrs.isValid()) (void)m_layers[j]->setMapCrs(m_mapCrs);
      return s.error().withFile(m_layers[i]->file());
    }
  }
  m_mapCrs = crs;
  m_hasLonLat = toLonLat.ok();
  m_toLonLat = toLonLat.ok() ? *toLonLat : core::CoordinateTransform();
  cancelRenders();
  m_rasterCache.clear();
  Q_EMIT mapCrsChanged(m_mapCrs);
  if (!m_layers.empty()) {
    zoomToFullExtent();
  } else {
    update();
  }
  return {};
}

core::Result<core::PointXY> MapCanvas::toLonLat(core::PointXY mapPoint) const {
  if (!m_hasLonLat) return core::Error(core::ErrorCode::TransformFailed, QStringLiteral("the map has no CRS to convert from"));
  return m_toLonLat.transform(mapPoint);
}

// --- view ----------------------------------------------------------------------------------

core::Extent MapCanvas::fullExtent() const {
  core::Extent e;
  for (const auto& l : m_layers) e.include(l->mapExtent());
  return e;
}

double MapCanvas::clampResolution(double resolution) const {
  // From a tenth of a millimetre (or a nanodegree) per pixel up to the data fitting in a few
  // pixels: beyond either end nothing useful is drawn and float precision starts to show.
  const bool geographic = m_mapCrs.isValid() && m_mapCrs.isGeographic();
  const double low = geographic ? 1e-9 : 1e-4;
  double high = geographic ? 10.0 : 1e7;
  const core::Extent full = fullExtent();
  const double span = full.isEmpty() ? 0.0 : std::max(full.width(), full.height());
  // A single point has no span: it must not pin the zoom-out limit to the zoom-in one.
  if (span > 0.0) high = std::min(high, std::max(span / 8.0, geographic ? 1e-5 : 1.0));
  if (!(resolution > 0.0) || !std::isfinite(resolution)) return std::max(low, std::min(m_view.resolution(), high));
  return std::clamp(resolution, low, std::max(low, high));
}

void MapCanvas::setCentre(core::PointXY centre) {
  m_view.setCentre(centre);
  viewWasChanged(true);
}

void MapCanvas::setResolution(double mapUnitsPerPixel) {
  m_view.setResolution(clampResolution(mapUnitsPerPixel));
  viewWasChanged(true);
}

void MapCanvas::setView(core::PointXY centre, double mapUnitsPerPixel) {
  m_view.setCentre(centre);
  m_view.setResolution(clampResolution(mapUnitsPerPixel));
  viewWasChanged(true);
}

void MapCanvas::zoomToExtent(const core::Extent& extent) {
  if (extent.isEmpty()) return;
  m_view.setSize(size());
  m_view.fitExtent(extent);
  viewWasChanged(true);
}

void MapCanvas::zoomToLayer(int index) {
  if (MapLayer* l = layer(index)) zoomToExtent(l->mapExtent());
}

void MapCanvas::zoomToFullExtent() {
  const core::Extent full = fullExtent();
  if (full.isEmpty()) return;
  m_view.setSize(size());
  m_view.fitExtent(full);
  viewWasChanged(false);
  m_fitOnResize = true;
}

void MapCanvas::zoomIn() { zoomAround(QPointF(width() / 2.0, height() / 2.0), 1.0 / kButtonZoomFactor); }

void MapCanvas::zoomOut() { zoomAround(QPointF(width() / 2.0, height() / 2.0), kButtonZoomFactor); }

void MapCanvas::zoomAround(QPointF pixel, double factor) {
  if (!(factor > 0.0) || !std::isfinite(factor)) return;
  const double target = clampResolution(m_view.resolution() * factor);
  m_view.zoomAround(pixel, target / m_view.resolution());
  viewWasChanged(true);
}

void MapCanvas::panByPixels(QPointF delta) {
  m_view.panByPixels(delta);
  viewWasChanged(true);
}

void MapCanvas::viewWasChanged(bool userAction) {
  if (userAction) m_fitOnResize = false;
  update();
  scheduleRender();
  Q_EMIT viewChanged();
}

void MapCanvas::refresh() {
  cancelRenders();
  m_rasterCache.clear();
  update();
  scheduleRender();
}

void MapCanvas::layerContentChanged(quint64 layerId) {
  if (indexOfLayer(layerId) < 0) return;
  refresh();
  Q_EMIT layersChanged();
}

void MapCanvas::setBackgroundColor(const QColor& color) {
  m_background = color;
  update();
}

// --- rendering -----------------------------------------------------------------------------

MapCanvas::RasterRequest MapCanvas::rasterRequest(const MapLayer& layer, const MapView& view, qreal dpr) {
  RasterRequest request;
  const core::Extent visible = view.visibleExtent();
  const core::Extent part = visible.intersected(layer.mapExtent());
  if (part.isEmpty()) return request;
  // Read only the visible part of the raster, on the device-pixel grid of the view, so that the
  // image lands on whole pixels (crisp) and off-raster areas cost nothing.
  const double r = view.resolution() / dpr;
  const double deviceWidth = std::round(view.size().width() * dpr);
  const double deviceHeight = std::round(view.size().height() * dpr);
  constexpr double kEps = 1e-7;
  const double col0 = std::clamp(std::floor((part.xMin - visible.xMin) / r + kEps), 0.0, deviceWidth);
  const double col1 = std::clamp(std::ceil((part.xMax - visible.xMin) / r - kEps), 0.0, deviceWidth);
  const double row0 = std::clamp(std::floor((visible.yMax - part.yMax) / r + kEps), 0.0, deviceHeight);
  const double row1 = std::clamp(std::ceil((visible.yMax - part.yMin) / r - kEps), 0.0, deviceHeight);
  if (col1 <= col0 || row1 <= row0) return request;
  request.extent = core::Extent{visible.xMin + col0 * r, visible.yMax - row1 * r, visible.xMin + col1 * r, visible.yMax - row0 * r};
  request.pixels = QSize(int(col1 - col0), int(row1 - row0));
  request.deviceResolution = r;
  return request;
}

bool MapCanvas::isRenderPending() const {
  if (m_renderTimer.isActive()) return true;
  for (const auto& [id, cache] : m_rasterCache)
    if (cache.inFlight) return true;
  return false;
}

void MapCanvas::finishIfIdle() {
  if (!isRenderPending()) Q_EMIT renderFinished();
}

void MapCanvas::cancelRenders() {
  for (auto& [id, cache] : m_rasterCache) {
    if (cache.feedback) cache.feedback->cancel();
    cache.inFlight = false;
    ++cache.generation;      // whatever is still running will be dropped
    cache.view = MapView();  // so that the next startRender() asks again
  }
}

void MapCanvas::scheduleRender() {
  // While dragging, the cached images are only translated; the drag's end asks for new ones.
  if (m_dragging) return;
  m_renderTimer.start();
}

void MapCanvas::startRender() {
  const qreal dpr = devicePixelRatioF();
  m_view.setSize(size());
  for (const auto& l : m_layers) {
    if (!l->isVisible() || l->kind() != MapLayer::Kind::Raster) continue;
    const MapLayer& raster = *l;
    RasterCache& cache = m_rasterCache[raster.id()];
    if (cache.view == m_view && cache.devicePixelRatio == dpr) continue;  // done or in flight

    if (cache.feedback) cache.feedback->cancel();
    const quint64 generation = ++cache.generation;
    cache.view = m_view;
    cache.devicePixelRatio = dpr;
    // Rendered with a margin of a quarter of the widget on each side, so that a drag shows the
    // surroundings at once instead of background until the button is released. The margin is a
    // whole number of pixels, so the image stays on the view's pixel grid.
    MapView overscan = m_view;
    overscan.setSize(QSizeF(m_view.size().width() + 2.0 * std::round(m_view.size().width() * kOverscan),
                            m_view.size().height() + 2.0 * std::round(m_view.size().height() * kOverscan)));
    const RasterRequest request = rasterRequest(raster, overscan, dpr);
    if (request.isEmpty()) {
      // Nothing of the raster is in view: forget the old image rather than keep drawing it.
      cache.image = QImage();
      cache.extent = core::Extent();
      cache.inFlight = false;
      cache.feedback.reset();
      continue;
    }
    auto feedback = std::make_shared<core::Feedback>();
    cache.feedback = feedback;
    cache.inFlight = true;
    MapLayer::ImageRenderFunction renderer = raster.imageRenderer();
    const quint64 id = raster.id();
    std::function<void()> render = [renderer, request, feedback, generation, id, reply = m_renderReplies->address(), this] {
      core::Result<QImage> image = renderer ? renderer(request.extent, request.pixels, request.deviceResolution, feedback.get())
                                            : core::Result<QImage>(core::Error(core::ErrorCode::InvalidArgument,
                                                                               QStringLiteral("the layer cannot be drawn as an image")));
      // Back to the GUI thread; the reply is dropped if the canvas has gone meanwhile.
      reply.post([this, id, generation, image, extent = request.extent] { onRasterRendered(id, generation, image, extent); });
    };
    core::startInPool(m_renderPool, std::move(render));
  }
  finishIfIdle();
}

void MapCanvas::onRasterRendered(quint64 layerId, quint64 generation, core::Result<QImage> image, core::Extent extent) {
  auto it = m_rasterCache.find(layerId);
  if (it == m_rasterCache.end() || it->second.generation != generation) return;  // removed or superseded
  RasterCache& cache = it->second;
  cache.inFlight = false;
  cache.feedback.reset();
  if (image.ok()) {
    cache.image = std::move(image).value();
    cache.image.setDevicePixelRatio(cache.devicePixelRatio);
    cache.extent = extent;
    cache.lastError.clear();
  } else if (image.error().code() != core::ErrorCode::Cancelled) {
    cache.image = QImage();
    cache.extent = core::Extent();
    // Outside the raster is simply nothing to draw; anything else the user should hear about, once.
    const QString message = image.error().toString();
    if (image.error().code() != core::ErrorCode::OutOfExtent && message != cache.lastError) {
      cache.lastError = message;
      const int index = indexOfLayer(layerId);
      Q_EMIT layerError(index >= 0 ? layer(index)->name() : QString(), message);
    }
  }
  update();
  finishIfIdle();
}

void MapCanvas::paintMap(QPainter& painter, const MapView& view, qreal dpr, bool withScaleBar, bool live) const {
  painter.fillRect(QRectF(QPointF(0, 0), view.size()), m_background);
  for (const auto& l : m_layers) {
    if (!l->isVisible() || !(l->opacity() > 0.0)) continue;
    painter.save();
    painter.setOpacity(l->opacity());
    if (l->kind() == MapLayer::Kind::Raster) {
      const MapLayer& raster = *l;
      if (live) {
        auto it = m_rasterCache.find(raster.id());
        if (it != m_rasterCache.end() && !it->second.image.isNull()) {
          // Drawn where its extent falls in the current view: a translation while dragging, a
          // scaled preview while zooming, until the new image arrives.
          const QRectF target = view.toPixelRect(it->second.extent);
          painter.drawImage(target, it->second.image, QRectF(it->second.image.rect()));
        }
      } else {
        const RasterRequest request = rasterRequest(raster, view, dpr);
        const MapLayer::ImageRenderFunction render = raster.imageRenderer();
        if (!request.isEmpty() && render) {
          auto image = render(request.extent, request.pixels, request.deviceResolution, nullptr);
          if (image) painter.drawImage(view.toPixelRect(request.extent), *image, QRectF(image->rect()));
        }
      }
    } else {
      l->paint(painter, view);
    }
    painter.restore();
  }
  if (withScaleBar) paintScaleBar(painter, view);
}

namespace {

ScaleBar::Layout scaleBarLayout(const MapView& view, const core::CoordinateTransform& toLonLat) {
  if (!view.isValid()) return {};
  const double maxWidth = std::min(kScaleBarMaxWidth, view.size().width() / 3.0);
  // Measured where the bar is drawn: the ground scale varies across a projected map.
  const QPointF at(kScaleBarMargin + maxWidth / 2.0, view.size().height() - kScaleBarMargin - 10.0);
  const auto metresPerPixel = ScaleBar::groundMetresPerPixel(view, toLonLat, at);
  if (!metresPerPixel) return {};
  return ScaleBar::layout(*metresPerPixel, maxWidth);
}

}  // namespace

void MapCanvas::paintScaleBar(QPainter& painter, const MapView& view) const {
  if (!m_hasLonLat || m_layers.empty()) return;
  const ScaleBar::Layout layout = scaleBarLayout(view, m_toLonLat);
  ScaleBar::paint(painter, QPointF(kScaleBarMargin, view.size().height() - kScaleBarMargin), layout);
}

MapCanvas::ScaleBarInfo MapCanvas::scaleBar() const {
  if (!m_hasLonLat) return {};
  const ScaleBar::Layout layout = scaleBarLayout(m_view, m_toLonLat);
  return {layout.lengthMetres, layout.widthPixels, layout.label};
}

void MapCanvas::paintEmptyHint(QPainter& painter) const {
  painter.save();
  painter.setPen(QColor(90, 98, 106));
  painter.drawText(rect(), Qt::AlignCenter,
                   tr("No layers\nFile › New city… simulates one; File › Open… opens a scenario or any GDAL/OGR file"));
  painter.restore();
}

QImage MapCanvas::renderToImage(QSize logicalSize, qreal devicePixelRatio, bool withScaleBar) const {
  if (logicalSize.isEmpty() || !(devicePixelRatio > 0.0)) return {};
  MapView view = m_view;
  view.setSize(logicalSize);
  QImage image(logicalSize * devicePixelRatio, QImage::Format_ARGB32_Premultiplied);
  if (image.isNull()) return image;
  image.setDevicePixelRatio(devicePixelRatio);
  QPainter painter(&image);
  paintMap(painter, view, devicePixelRatio, withScaleBar, false);
  return image;
}

// --- events --------------------------------------------------------------------------------

void MapCanvas::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  m_view.setSize(size());
  paintMap(painter, m_view, devicePixelRatioF(), true, true);
  if (m_layers.empty()) paintEmptyHint(painter);
  if (m_rectangleTool && m_dragging && m_rectangleEnd) {
    painter.setPen(QPen(QColor(255, 140, 0), 2, Qt::DashLine));
    painter.setBrush(QColor(255, 140, 0, 40));
    painter.drawRect(QRectF(m_dragStartPixel, *m_rectangleEnd).normalized());
  }
}

void MapCanvas::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  m_view.setSize(size());
  if (m_fitOnResize) {
    zoomToFullExtent();
  } else {
    update();
    scheduleRender();
  }
}

void MapCanvas::startRectangleTool() {
  m_rectangleTool = true;
  m_rectangleEnd.reset();
  setCursor(Qt::CrossCursor);
}

void MapCanvas::stopRectangleTool() {
  m_rectangleTool = false;
  m_rectangleEnd.reset();
  unsetCursor();
  update();
}

void MapCanvas::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
  if (m_rectangleTool) {
    m_dragging = true;
    m_dragStartPixel = event->position();
    m_rectangleEnd = event->position();
    event->accept();
    return;
  }
  m_dragging = true;
  m_dragStartPixel = event->position();
  m_dragStartCentre = m_view.centre();
  m_renderTimer.stop();
  setCursor(Qt::ClosedHandCursor);
  event->accept();
}

void MapCanvas::mouseMoveEvent(QMouseEvent* event) {
  if (m_dragging && m_rectangleTool) {
    m_rectangleEnd = event->position();
    update();
  } else if (m_dragging) {
    // From the press position, not incrementally, so the view is exactly start − drag × resolution.
    m_view.setCentre(m_dragStartCentre);
    m_view.panByPixels(event->position() - m_dragStartPixel);
    viewWasChanged(true);
  }
  Q_EMIT cursorMoved(m_view.toMap(event->position()));
  event->accept();
}

void MapCanvas::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton || !m_dragging) return QWidget::mouseReleaseEvent(event);
  // Up to a few pixels of hand tremor still counts as a click.
  const bool isClick = (event->position() - m_dragStartPixel).manhattanLength() < 4.0;
  if (m_rectangleTool) {
    m_dragging = false;
    const core::PointXY a = m_view.toMap(m_dragStartPixel), b = m_view.toMap(event->position());
    stopRectangleTool();
    if (!isClick) Q_EMIT rectangleDrawn(core::Extent::fromCorners(a.x, a.y, b.x, b.y));
    event->accept();
    return;
  }
  if (isClick) {
    m_dragging = false;
    unsetCursor();
    m_view.setCentre(m_dragStartCentre);
    scheduleRender();
    Q_EMIT clicked(m_view.toMap(event->position()));
    event->accept();
    return;
  }
  m_view.setCentre(m_dragStartCentre);
  m_view.panByPixels(event->position() - m_dragStartPixel);
  m_dragging = false;
  unsetCursor();
  if (event->position() != m_dragStartPixel) {
    viewWasChanged(true);
  } else {
    scheduleRender();  // a click: only resume a render the press may have postponed
  }
  event->accept();
}

void MapCanvas::mouseDoubleClickEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return QWidget::mouseDoubleClickEvent(event);
  zoomToFullExtent();
  event->accept();
}

void MapCanvas::wheelEvent(QWheelEvent* event) {
  const double notches = event->angleDelta().y() / 120.0;
  if (notches == 0.0) return QWidget::wheelEvent(event);
  zoomAround(event->position(), std::pow(kWheelStepFactor, -notches));
  Q_EMIT cursorMoved(m_view.toMap(event->position()));
  event->accept();
}

void MapCanvas::keyPressEvent(QKeyEvent* event) {
  const double stepX = width() / 8.0;
  const double stepY = height() / 8.0;
  switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
      zoomIn();
      break;
    case Qt::Key_Minus:
      zoomOut();
      break;
    case Qt::Key_Home:
      zoomToFullExtent();
      break;
    case Qt::Key_Left:
      panByPixels({stepX, 0});
      break;
    case Qt::Key_Right:
      panByPixels({-stepX, 0});
      break;
    case Qt::Key_Up:
      panByPixels({0, stepY});
      break;
    case Qt::Key_Down:
      panByPixels({0, -stepY});
      break;
    case Qt::Key_Escape:
      if (!m_rectangleTool) return QWidget::keyPressEvent(event);
      stopRectangleTool();
      break;
    default:
      return QWidget::keyPressEvent(event);
  }
  event->accept();
}

void MapCanvas::leaveEvent(QEvent* event) {
  QWidget::leaveEvent(event);
  Q_EMIT cursorLeft();
}

}  // namespace netspatial::ui
