#include "ui/scenario/imagerylayer.h"

namespace netspatial::ui {

QImage ImageryLayer::toImage(const core::ImageRaster& raster) {
  if (raster.isEmpty() || raster.rgb.size() < std::size_t(raster.width) * std::size_t(raster.height) * 3) return {};
  QImage image(raster.width, raster.height, QImage::Format_RGB32);
  if (image.isNull()) return image;
  const std::size_t plane = std::size_t(raster.width) * std::size_t(raster.height);
  const std::uint8_t* r = raster.rgb.data();
  const std::uint8_t* g = r + plane;
  const std::uint8_t* b = g + plane;
  for (int row = 0; row < raster.height; ++row) {
    auto* line = reinterpret_cast<QRgb*>(image.scanLine(row));
    const std::size_t o = std::size_t(row) * std::size_t(raster.width);
    for (int col = 0; col < raster.width; ++col) line[col] = qRgb(r[o + col], g[o + col], b[o + col]);
  }
  return image;
}

ImageryLayer::ImageryLayer(const core::ImageRaster& raster, const core::Crs& crs, QString file)
    : ScenarioLayer(QStringLiteral("Imagery"), std::move(file), crs, raster.extent()),
      m_pyramid(std::make_shared<const ImagePyramid>(toImage(raster), raster.extent())),
      m_size(raster.width, raster.height) {}

QString ImageryLayer::description() const {
  return QStringLiteral("RGB imagery, %1 × %2 px, %3 m/px, %4 overview level(s), %5")
      .arg(m_size.width())
      .arg(m_size.height())
      .arg(m_pyramid->baseResolution(), 0, 'f', 1)
      .arg(m_pyramid->levelCount() - 1)
      .arg(m_crs.label());
}

MapLayer::ImageRenderFunction ImageryLayer::imageRenderer() const {
  return [pyramid = m_pyramid](const core::Extent& extent, QSize pixels, double resolution, core::Feedback* feedback) {
    return pyramid->render(extent, pixels, resolution, false, feedback);
  };
}

}  // namespace netspatial::ui
