#include "ui/scenario/populationlayer.h"

#include <algorithm>
#include <cmath>

namespace netspatial::ui {

namespace {

struct Stop {
  double t;
  QColor color;
};
// A sequential ramp readable over imagery; low densities are faint so the city shows through.
const Stop kRamp[] = {{0.0, QColor(255, 255, 178, 0)},
                      {0.15, QColor(254, 217, 118, 130)},
                      {0.4, QColor(253, 141, 60, 170)},
                      {0.7, QColor(227, 26, 28, 200)},
                      {1.0, QColor(110, 1, 80, 220)}};

}  // namespace

QColor PopulationLayer::rampColor(double t) {
  t = std::clamp(t, 0.0, 1.0);
  for (std::size_t i = 1; i < std::size(kRamp); ++i) {
    if (t <= kRamp[i].t) {
      const double f = (t - kRamp[i - 1].t) / (kRamp[i].t - kRamp[i - 1].t);
      const QColor& a = kRamp[i - 1].color;
      const QColor& b = kRamp[i].color;
      auto mix = [f](int x, int y) { return int(std::lround(x + (y - x) * f)); };
      return QColor(mix(a.red(), b.red()), mix(a.green(), b.green()), mix(a.blue(), b.blue()), mix(a.alpha(), b.alpha()));
    }
  }
  return kRamp[std::size(kRamp) - 1].color;
}

PopulationLayer::PopulationLayer(const core::ValueRaster& raster, const core::Crs& crs, QString file)
    : ScenarioLayer(QStringLiteral("Population"), std::move(file), crs, raster.extent()), m_size(raster.width, raster.height) {
  m_cellMetres = std::abs(raster.geoTransform[1]);
  std::vector<float> valid;
  valid.reserve(raster.values.size());
  for (float v : raster.values)
    if (std::isfinite(v) && v > 0.0f) valid.push_back(v);
  for (float v : valid) m_total += v;
  if (!valid.empty()) {
    const std::size_t k = std::min(valid.size() - 1, std::size_t(std::floor(0.99 * double(valid.size() - 1))));
    std::nth_element(valid.begin(), valid.begin() + std::ptrdiff_t(k), valid.end());
    m_maximum = valid[k];
  }
  QImage image(std::max(1, raster.width), std::max(1, raster.height), QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::transparent);
  if (!raster.isEmpty() && raster.values.size() >= std::size_t(raster.width) * std::size_t(raster.height) && m_maximum > 0.0) {
    // 256-entry lookup: the ramp is evaluated once, not per cell.
    QRgb lut[256];
    for (int i = 0; i < 256; ++i) lut[i] = qPremultiply(rampColor(i / 255.0).rgba());
    for (int row = 0; row < raster.height; ++row) {
      auto* line = reinterpret_cast<QRgb*>(image.scanLine(row));
      for (int col = 0; col < raster.width; ++col) {
        const float v = raster.value(col, row);
        if (!std::isfinite(v) || v <= 0.0f) continue;
        line[col] = lut[std::clamp(int(std::lround(255.0 * v / m_maximum)), 1, 255)];
      }
    }
  }
  // Cells are large (100 m): overviews are not needed, a single level is scaled smoothly.
  m_pyramid = std::make_shared<const ImagePyramid>(std::move(image), raster.extent(), 1 << 30);
  setOpacity(0.8);
}

QString PopulationLayer::description() const {
  return QStringLiteral("Population, %1 × %2 cells of %3 m, %4 people in all (people per cell), %5")
      .arg(m_size.width())
      .arg(m_size.height())
      .arg(m_cellMetres, 0, 'f', 0)
      .arg(m_total, 0, 'f', 0)
      .arg(m_crs.label());
}

MapLayer::ImageRenderFunction PopulationLayer::imageRenderer() const {
  return [pyramid = m_pyramid](const core::Extent& extent, QSize pixels, double resolution, core::Feedback* feedback) {
    return pyramid->render(extent, pixels, resolution, true, feedback);
  };
}

std::vector<LegendEntry> PopulationLayer::legend() const {
  std::vector<LegendEntry> entries;
  if (!(m_maximum > 0.0)) return entries;
  const double fractions[] = {0.15, 0.4, 0.7, 1.0};
  // Short labels (the dock is narrow); the cell size is in the layer's description and tooltip.
  const QString unit = QStringLiteral("people/cell");
  for (double f : fractions) {
    LegendEntry e;
    e.symbol = LegendEntry::Symbol::Ramp;
    QColor c = rampColor(f);
    c.setAlpha(255);
    e.color = c;
    const QString value = QString::number(f * m_maximum, 'f', m_maximum * f >= 10.0 ? 0 : 1);
    e.label = f < 1.0 ? QStringLiteral("%1 %2").arg(value, unit) : QStringLiteral("≥ %1 %2").arg(value, unit);
    entries.push_back(e);
  }
  return entries;
}

}  // namespace netspatial::ui
