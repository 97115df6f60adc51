#include "ui/scenario/poislayer.h"

#include "ui/map/screengeometry.h"

#include <QPainter>

#include <cmath>

namespace netspatial::ui {

namespace {

core::Extent extentOf(const std::vector<core::Poi>& pois) {
  core::Extent e;
  for (const auto& p : pois) e.include(p.position);
  return e;
}

// One dot per category, drawn once per paint and reused for every POI.
QImage dotSprite(const QColor& color, qreal dpr, double radius) {
  const int side = int(std::ceil((2.0 * radius + 2.0) * dpr));
  QImage sprite(side, side, QImage::Format_ARGB32_Premultiplied);
  sprite.fill(Qt::transparent);
  sprite.setDevicePixelRatio(dpr);
  QPainter p(&sprite);
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setPen(QPen(color.darker(170), 1.0));
  p.setBrush(color);
  const double c = side / dpr / 2.0;
  p.drawEllipse(QPointF(c, c), radius, radius);
  return sprite;
}

}  // namespace

QColor PoisLayer::colorFor(core::PoiCategory category) {
  // 14 categories cannot all be told apart by hue alone; related ones share a family
  // (shopping/food warm, office/finance blue, leisure green) so the map still reads by theme.
  using P = core::PoiCategory;
  switch (category) {
    case P::Food:
      return QColor(255, 127, 14);
    case P::Shopping:
      return QColor(214, 39, 40);
    case P::Office:
      return QColor(31, 119, 180);
    case P::Residential:
      return QColor(255, 221, 87);
    case P::Education:
      return QColor(148, 103, 189);
    case P::Medical:
      return QColor(255, 255, 255);
    case P::Transport:
      return QColor(23, 190, 207);
    case P::Entertainment:
      return QColor(227, 119, 194);
    case P::Hotel:
      return QColor(140, 86, 75);
    case P::SportsLeisure:
      return QColor(44, 160, 44);
    case P::Finance:
      return QColor(0, 60, 140);
    case P::PublicService:
      return QColor(188, 189, 34);
    case P::Industrial:
      return QColor(127, 127, 127);
    case P::Other:
      return QColor(40, 40, 40);
  }
  return Qt::gray;
}

PoisLayer::PoisLayer(const std::vector<core::Poi>& pois, const core::Crs& crs, QString file)
    : ScenarioLayer(QStringLiteral("Points of interest"), std::move(file), crs, extentOf(pois)) {
  m_visible.fill(true);
  for (const auto& p : pois) {
    m_points[std::size_t(p.category)].push_back(p.position);
    ++m_counts[std::size_t(p.category)];
  }
  setColor(colorFor(core::PoiCategory::Food));
}

QString PoisLayer::description() const {
  int total = 0;
  for (int c : m_counts) total += c;
  return QStringLiteral("%1 point(s) of interest in %2 categories, %3").arg(total).arg(presentCategories().size()).arg(m_crs.label());
}

std::vector<core::PoiCategory> PoisLayer::presentCategories() const {
  std::vector<core::PoiCategory> result;
  for (int i = 0; i < core::kPoiCategoryCount; ++i)
    if (m_counts[std::size_t(i)] > 0) result.push_back(core::PoiCategory(i));
  return result;
}

std::vector<LegendEntry> PoisLayer::legend() const {
  std::vector<LegendEntry> entries;
  for (const auto c : presentCategories())
    entries.push_back({QStringLiteral("%1 (%2)").arg(core::poiCategoryLabel(c)).arg(count(c)), colorFor(c), LegendEntry::Symbol::Circle,
                       true, isCategoryVisible(c)});
  return entries;
}

bool PoisLayer::setLegendEntryChecked(int index, bool checked) {
  const auto present = presentCategories();
  if (index < 0 || index >= int(present.size())) return false;
  setCategoryVisible(present[std::size_t(index)], checked);
  return true;
}

void PoisLayer::setCategoryVisible(core::PoiCategory category, bool visible) { m_visible[std::size_t(category)] = visible; }

void PoisLayer::paint(QPainter& painter, const MapView& view) const {
  if (!view.isValid()) return;
  const core::Extent visible = cullExtent(view, kDotRadius + 2.0);
  const qreal dpr = painter.device() ? painter.device()->devicePixelRatioF() : 1.0;
  // A whole city holds thousands of POIs: smaller dots there keep the zones beneath readable.
  const double radius = view.resolution() > 8.0 ? kDotRadius * 0.6 : kDotRadius;
  for (int i = 0; i < core::kPoiCategoryCount; ++i) {
    if (!m_visible[std::size_t(i)] || m_points[std::size_t(i)].empty()) continue;
    const QImage sprite = dotSprite(colorFor(core::PoiCategory(i)), dpr, radius);
    const double half = sprite.width() / dpr / 2.0;
    for (const core::PointXY& p : m_points[std::size_t(i)]) {
      if (!visible.contains(p)) continue;
      const QPointF c = view.toPixel(p);
      painter.drawImage(QPointF(c.x() - half, c.y() - half), sprite);
    }
  }
}

}  // namespace netspatial::ui
