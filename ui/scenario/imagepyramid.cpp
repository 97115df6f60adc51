#include "ui/scenario/imagepyramid.h"

#include <QPainter>

#include <algorithm>

namespace netspatial::ui {

ImagePyramid::ImagePyramid(QImage image, const core::Extent& extent, int smallestSide) : m_extent(extent) {
  if (image.isNull() || extent.isEmpty()) return;
  m_baseResolution = std::max(extent.width() / image.width(), extent.height() / image.height());
  m_levels.push_back(std::move(image));
  while (std::max(m_levels.back().width(), m_levels.back().height()) > std::max(1, smallestSide)) {
    const QImage& previous = m_levels.back();
    const int w = std::max(1, (previous.width() + 1) / 2);
    const int h = std::max(1, (previous.height() + 1) / 2);
    // Each level from the previous one with a box-like smooth filter: cheap and alias-free.
    m_levels.push_back(previous.scaled(w, h, Qt::IgnoreAspectRatio, Qt::SmoothTransformation));
  }
}

int ImagePyramid::levelFor(double resolution) const {
  int best = 0;
  for (int i = 1; i < levelCount(); ++i) {
    const double levelResolution = m_extent.width() / m_levels[std::size_t(i)].width();
    if (levelResolution <= resolution * 1.001) best = i;
  }
  return best;
}

core::Result<QImage> ImagePyramid::render(const core::Extent& extent, QSize pixels, double resolution, bool smoothWhenMagnified,
                                          core::Feedback* feedback) const {
  if (pixels.isEmpty() || extent.isEmpty()) return core::Error(core::ErrorCode::InvalidArgument, QStringLiteral("empty render request"));
  QImage out(pixels, QImage::Format_ARGB32_Premultiplied);
  if (out.isNull()) return core::Error(core::ErrorCode::Internal, QStringLiteral("cannot allocate the map image"));
  out.fill(Qt::transparent);
  if (isEmpty() || !extent.intersects(m_extent)) return out;
  if (feedback && feedback->isCancelled()) return core::Error(core::ErrorCode::Cancelled, QStringLiteral("cancelled"));

  const QImage& image = m_levels[std::size_t(levelFor(resolution))];
  const double sx = m_extent.width() / image.width();  // map units per level pixel
  const double sy = m_extent.height() / image.height();
  // Only the part of the request that the pyramid covers, so that QPainter never samples outside.
  const core::Extent part = extent.intersected(m_extent);
  const QRectF source((part.xMin - m_extent.xMin) / sx, (m_extent.yMax - part.yMax) / sy, part.width() / sx, part.height() / sy);
  const double px = extent.width() / pixels.width();
  const double py = extent.height() / pixels.height();
  const QRectF target((part.xMin - extent.xMin) / px, (extent.yMax - part.yMax) / py, part.width() / px, part.height() / py);
  QPainter painter(&out);
  const bool magnified = resolution < m_baseResolution;
  painter.setRenderHint(QPainter::SmoothPixmapTransform, !magnified || smoothWhenMagnified);
  painter.drawImage(target, image, source);
  painter.end();
  return out;
}

}  // namespace netspatial::ui
