#include "ui/map/rasterlayer.h"

#include "core/geo/coordinatetransform.h"

#include <QFileInfo>

namespace netspatial::ui {

core::Result<std::unique_ptr<RasterLayer>> RasterLayer::open(const QString& path) {
  auto renderer = RasterRenderer::open(path);
  if (!renderer) return renderer.error();
  std::unique_ptr<RasterLayer> layer(new RasterLayer(QFileInfo(path).completeBaseName(), path, std::move(renderer).value()));
  return layer;
}

QString RasterLayer::description() const {
  const core::RasterInfo& i = info();
  QStringList bandText;
  for (int b : bands()) bandText << QString::number(b);
  return QStringLiteral("%1 raster, %2 × %3 px, %4 band(s) (showing %5), %6")
      .arg(i.driver)
      .arg(i.width)
      .arg(i.height)
      .arg(i.bandCount())
      .arg(bandText.join(QLatin1Char(',')), i.crs.label());
}

core::Status RasterLayer::setMapCrs(const core::Crs& mapCrs) {
  auto transform = core::CoordinateTransform::create(sourceCrs(), mapCrs);
  if (!transform) return transform.error().withFile(file());
  auto extent = transform->transformExtent(sourceExtent());
  if (!extent) return extent.error().withFile(file());
  m_mapCrs = mapCrs;
  m_mapExtent = *extent;
  m_nativeResolution = std::max(m_mapExtent.width() / std::max(1, info().width), m_mapExtent.height() / std::max(1, info().height));
  return {};
}

core::Resampling RasterLayer::resamplingFor(double resolution) const {
  return resolution < m_nativeResolution ? core::Resampling::Nearest : core::Resampling::Bilinear;
}

core::Result<QImage> RasterLayer::render(const core::Extent& extent, QSize pixels, double resolution, core::Feedback* feedback) const {
  if (!m_mapCrs.isValid()) return core::Error(core::ErrorCode::InvalidArgument, QStringLiteral("the layer has no map CRS yet"), {file()});
  return m_renderer->render(m_mapCrs, extent, pixels, resamplingFor(resolution), feedback);
}

MapLayer::ImageRenderFunction RasterLayer::imageRenderer() const {
  // Captures copies, never the layer: the render may still run after the layer is removed.
  return [renderer = m_renderer, crs = m_mapCrs, native = m_nativeResolution, file = file()](
             const core::Extent& extent, QSize pixels, double resolution, core::Feedback* feedback) -> core::Result<QImage> {
    if (!crs.isValid()) return core::Error(core::ErrorCode::InvalidArgument, QStringLiteral("the layer has no map CRS yet"), {file});
    const auto resampling = resolution < native ? core::Resampling::Nearest : core::Resampling::Bilinear;
    return renderer->render(crs, extent, pixels, resampling, feedback);
  };
}

}  // namespace netspatial::ui
