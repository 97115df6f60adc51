#include "ui/planning/utilityheatmaplayer.h"

#include "core/planning/candidategrid.h"
#include "ui/map/screengeometry.h"
#include "ui/planning/cellgeometry.h"
#include "ui/planning/utilityformat.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace netspatial::ui {

namespace {

using planning_detail::cellContains;
using planning_detail::isAxisAlignedRect;

// viridis(11) as R's viridisLite prints it: equal steps in t, linear interpolation in between
// stays within the ramp's perceptual uniformity at this spacing.
constexpr QRgb kViridis[] = {0x440154, 0x482576, 0x414487, 0x35608D, 0x2A788E, 0x21908C, 0x22A884, 0x43BF71, 0x7AD151, 0xBBDF27, 0xFDE725};
constexpr int kViridisStops = int(std::size(kViridis));

// Rank numbers need room for two or three digits; smaller cells would be covered by them.
constexpr double kMinLabelPixels = 18.0;
// A top-K outline or the highlight around a cell smaller than this is drawn at this size, so
// that the selected sites stay findable when a whole city is in view.
constexpr double kMinOutlinePixels = 7.0;
constexpr double kMinHighlightPixels = 14.0;
// From this cell size on, a gap between cells lets the eye pick out single cells of the heat map.
constexpr double kMinSeparatorPixels = 12.0;

core::Extent extentOf(const std::vector<core::Candidate>& candidates) {
  core::Extent e;
  for (const auto& c : candidates) e.include(c.cell.extent());
  return e;
}

QRectF atLeast(QRectF r, double side) {
  const QPointF c = r.center();
  const double w = std::max(r.width(), side), h = std::max(r.height(), side);
  return QRectF(c.x() - w / 2.0, c.y() - h / 2.0, w, h);
}

QString withUnit(const QString& value, const QString& unit) { return unit.isEmpty() ? value : QStringLiteral("%1 %2").arg(value, unit); }

}  // namespace

QColor UtilityHeatmapLayer::rampColor(double t) {
  if (!std::isfinite(t)) t = 0.0;
  t = std::clamp(t, 0.0, 1.0) * double(kViridisStops - 1);
  const int i = std::min(int(t), kViridisStops - 2);
  const double f = t - double(i);
  const QColor a(kViridis[i]), b(kViridis[i + 1]);
  auto mix = [f](int x, int y) { return int(std::lround(double(x) + double(y - x) * f)); };
  return QColor(mix(a.red(), b.red()), mix(a.green(), b.green()), mix(a.blue(), b.blue()));
}

QColor UtilityHeatmapLayer::belowFloorColor() { return QColor(190, 190, 190, 220); }
QColor UtilityHeatmapLayer::selectedColor() { return QColor(20, 20, 20); }
// Orange is absent from viridis, so the current site never blends into the ramp.
QColor UtilityHeatmapLayer::highlightColor() { return QColor(255, 110, 0); }

UtilityHeatmapLayer::UtilityHeatmapLayer(const std::vector<core::Candidate>& candidates, const core::Crs& crs, QString file)
    : ScenarioLayer(QStringLiteral("Utility heat map"), std::move(file), crs, extentOf(candidates)) {
  m_gridExtent = m_extent;
  m_cells.reserve(qsizetype(candidates.size()));
  std::vector<double> sides;
  sides.reserve(candidates.size());
  for (const auto& c : candidates) {
    if (c.cell.isEmpty()) continue;
    CellRef ref{c.cell.extent(), -1};
    if (!isAxisAlignedRect(c.cell)) {
      ref.polygon = int(m_polygons.size());
      m_polygons.push_back(c.cell);
    }
    sides.push_back(std::sqrt(ref.extent.width() * ref.extent.height()));
    m_cells.insert(core::candidateSiteId(c), ref);
  }
  if (!sides.empty()) {
    std::nth_element(sides.begin(), sides.begin() + std::ptrdiff_t(sides.size() / 2), sides.end());
    if (sides[sides.size() / 2] > 0.0) m_squareSide = sides[sides.size() / 2];
  }
  setColor(rampColor(0.6));
}

void UtilityHeatmapLayer::setRanking(const core::Ranking& ranking, const QString& unit) {
  m_utility = ranking.options.utility;
  m_topK = ranking.options.topK;
  m_unit = unit;
  m_items.clear();
  m_items.reserve(ranking.sites.size());
  m_ranked = 0;
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  for (const core::RankedSite& s : ranking.sites) {
    if (s.rank > 0 && std::isfinite(s.value)) {
      lo = std::min(lo, s.value);
      hi = std::max(hi, s.value);
    }
  }
  const bool anyRanked = lo <= hi;
  m_minimum = anyRanked ? lo : std::numeric_limits<double>::quiet_NaN();
  m_maximum = anyRanked ? hi : std::numeric_limits<double>::quiet_NaN();

  core::Extent extent = m_gridExtent;
  for (const core::RankedSite& s : ranking.sites) {
    Item item;
    item.siteId = s.siteId;
    const auto cell = m_cells.constFind(s.siteId);
    if (cell != m_cells.cend()) {
      item.extent = cell->extent;
      item.polygon = cell->polygon;
    } else {
      item.extent = core::Extent::aroundCentre(s.position, m_squareSide, m_squareSide);
    }
    item.rank = s.rank;
    item.value = s.value;
    item.pTopK = s.pTopK;
    item.selected = s.selected;
    item.note = s.excludedBecause;
    if (s.rank > 0) {
      ++m_ranked;
      // All values equal: the middle of the ramp, rather than claiming they are all the worst.
      const double t = hi > lo ? (s.value - lo) / (hi - lo) : 0.5;
      item.fill = rampColor(t);
    } else {
      item.fill = belowFloorColor();
    }
    extent.include(item.extent);
    m_items.push_back(std::move(item));
  }
  m_extent = extent;
  if (m_mapCrs.isValid()) m_mapExtent = m_extent;
}

QString UtilityHeatmapLayer::description() const {
  if (m_items.empty()) return QStringLiteral("Utility heat map: no ranking yet, %1").arg(m_crs.label());
  return QStringLiteral("Utility heat map of %1: %2 ranked site(s), %3 below the demand floor, range %4 – %5, %6")
      .arg(core::utilityLabel(m_utility))
      .arg(m_ranked)
      .arg(int(m_items.size()) - m_ranked)
      .arg(withUnit(formatUtilityValue(m_minimum), utilityUnit(m_utility, m_unit)),
           withUnit(formatUtilityValue(m_maximum), utilityUnit(m_utility, m_unit)), m_crs.label());
}

std::vector<LegendEntry> UtilityHeatmapLayer::legend() const {
  std::vector<LegendEntry> entries;
  if (m_items.empty()) return entries;
  const QString unit = utilityUnit(m_utility, m_unit);
  if (m_ranked > 0) {
    const double ts[] = {1.0, 0.75, 0.5, 0.25, 0.0};
    for (double t : ts) {
      LegendEntry e;
      e.symbol = LegendEntry::Symbol::Ramp;
      e.color = rampColor(t);
      const double v = m_minimum + t * (m_maximum - m_minimum);
      const QString value = withUnit(formatUtilityValue(v), unit);
      if (t == 1.0)
        e.label = QStringLiteral("max %1").arg(value);  // the utility is in the layer's name (long labels were cut)
      else if (t == 0.0)
        e.label = QStringLiteral("min %1").arg(value);
      else
        e.label = value;
      entries.push_back(e);
    }
  }
  if (const int below = int(m_items.size()) - m_ranked; below > 0)
    entries.push_back(
        {QStringLiteral("Below the demand floor (%1)").arg(below), belowFloorColor(), LegendEntry::Symbol::Fill, false, true});
  entries.push_back({QStringLiteral("Selected, top %1").arg(m_topK), selectedColor(), LegendEntry::Symbol::Line, false, true});
  entries.push_back({QStringLiteral("Current site"), highlightColor(), LegendEntry::Symbol::Line, false, true});
  return entries;
}

void UtilityHeatmapLayer::paint(QPainter& painter, const MapView& view) const {
  // Outlines overhang their cells by a few pixels: cull with that margin.
  const core::Extent visible = cullExtent(view, kMinHighlightPixels);
  if (!view.isValid() || m_items.empty() || !m_extent.intersects(visible)) return;
  auto pathOf = [&](const Item& it) { return polygonToScreenPath(m_polygons[std::size_t(it.polygon)], view); };

  painter.save();
  // Cells tile the plane: antialiasing would leave seams between neighbours.
  painter.setRenderHint(QPainter::Antialiasing, false);
  // Worst first, so that where station squares overlap the better site lies on top (as siteAt() finds it).
  for (auto it = m_items.rbegin(); it != m_items.rend(); ++it) {
    if (!it->extent.intersects(visible)) continue;
    if (it->polygon < 0) {
      QRectF r = view.toPixelRect(it->extent);
      // A one-pixel gap on the right and bottom lets the grid below show between cells. (Faint
      // separator lines would do the same, but translucent strokes are ~5× slower to draw.)
      if (std::min(r.width(), r.height()) >= kMinSeparatorPixels) r.adjust(0.0, 0.0, -1.0, -1.0);
      painter.fillRect(r, it->fill);
    } else {
      painter.fillPath(pathOf(*it), it->fill);
    }
  }

  // The top K: a dark outline on a white halo reads on both ends of the ramp.
  QVector<QRectF> selectedRects;
  std::vector<QPainterPath> selectedPaths;
  std::vector<std::pair<QRectF, int>> labels;
  const Item* highlighted = nullptr;
  for (const Item& it : m_items) {
    if (!m_highlighted.isEmpty() && it.siteId == m_highlighted) highlighted = &it;
    if (!it.selected || !it.extent.intersects(visible)) continue;
    const QRectF r = view.toPixelRect(it.extent);
    if (it.polygon < 0 || std::min(r.width(), r.height()) < kMinOutlinePixels)
      selectedRects.push_back(atLeast(r, kMinOutlinePixels));
    else
      selectedPaths.push_back(pathOf(it));
    if (std::min(r.width(), r.height()) >= kMinLabelPixels) labels.emplace_back(r, it.rank);
  }
  QPen halo(QColor(255, 255, 255, 230), 4.0);
  halo.setCosmetic(true);
  QPen line(selectedColor(), 2.0);
  line.setCosmetic(true);
  painter.setBrush(Qt::NoBrush);
  for (const QPen& pen : {halo, line}) {
    painter.setPen(pen);
    if (!selectedRects.isEmpty()) painter.drawRects(selectedRects);
    for (const QPainterPath& p : selectedPaths) painter.drawPath(p);
  }

  if (!labels.empty()) {
    painter.setRenderHint(QPainter::TextAntialiasing, true);
    QFont font = painter.font();
    font.setBold(true);
    for (const auto& [r, rank] : labels) {
      // Scale with the cell, within what stays legible and inside it.
      font.setPixelSize(int(std::clamp(std::min(r.width(), r.height()) * 0.42, 9.0, 16.0)));
      painter.setFont(font);
      const QString text = QString::number(rank);
      painter.setPen(QColor(255, 255, 255, 235));
      for (const QPointF d : {QPointF(-1, 0), QPointF(1, 0), QPointF(0, -1), QPointF(0, 1)})
        painter.drawText(r.translated(d), Qt::AlignCenter, text);
      painter.setPen(QColor(20, 20, 20));
      painter.drawText(r, Qt::AlignCenter, text);
    }
  }

  if (highlighted && highlighted->extent.intersects(visible)) {
    const QRectF r = atLeast(view.toPixelRect(highlighted->extent), kMinHighlightPixels).adjusted(-3, -3, 3, 3);
    painter.setRenderHint(QPainter::Antialiasing, true);
    QPen h(QColor(255, 255, 255, 230), 6.0);
    h.setCosmetic(true);
    QPen c(highlightColor(), 3.0);
    c.setCosmetic(true);
    for (const QPen& pen : {h, c}) {
      painter.setPen(pen);
      painter.drawRect(r);
    }
  }
  painter.restore();
}

const UtilityHeatmapLayer::Item* UtilityHeatmapLayer::itemAt(core::PointXY p) const {
  if (!m_extent.contains(p)) return nullptr;
  static const core::Geometry kNoPolygon;
  // Best-ranked first: the one drawn on top where squares overlap.
  for (const Item& it : m_items)
    if (cellContains(it.extent, it.polygon < 0, it.polygon < 0 ? kNoPolygon : m_polygons[std::size_t(it.polygon)], p)) return &it;
  return nullptr;
}

std::optional<QString> UtilityHeatmapLayer::siteAt(core::PointXY mapPoint) const {
  const Item* it = itemAt(mapPoint);
  if (!it) return std::nullopt;
  return it->siteId;
}

QString UtilityHeatmapLayer::toolTipAt(core::PointXY mapPoint) const {
  const Item* it = itemAt(mapPoint);
  if (!it) return {};
  if (it->rank <= 0)
    return QStringLiteral("%1 — not ranked: %2").arg(it->siteId, it->note.isEmpty() ? QStringLiteral("below the demand floor") : it->note);
  QString text = QStringLiteral("%1 — rank %2 of %3, %4 %5")
                     .arg(it->siteId)
                     .arg(it->rank)
                     .arg(m_ranked)
                     .arg(utilityShortName(m_utility), withUnit(formatUtilityValue(it->value), utilityUnit(m_utility, m_unit)));
  if (it->selected) text += QStringLiteral(", selected (top %1)").arg(m_topK);
  text += QStringLiteral(", in the top %1 in %2% of samples").arg(m_topK).arg(std::lround(100.0 * it->pTopK));
  if (!it->note.isEmpty()) text += QStringLiteral("; %1").arg(it->note);
  return text;
}

}  // namespace netspatial::ui
