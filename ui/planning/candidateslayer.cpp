#include "ui/planning/candidateslayer.h"

#include "core/planning/candidategrid.h"
#include "ui/map/screengeometry.h"
#include "ui/planning/cellgeometry.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace netspatial::ui {

namespace {

using planning_detail::cellContains;
using planning_detail::isAxisAlignedRect;
using planning_detail::mergedOutlines;

// Below this many pixels per cell an outline would cover the whole cell, and below the hatch
// size the pattern would read as noise: both are dropped and the fill alone carries the state.
constexpr double kMinOutlinePixels = 3.0;
constexpr double kMinHatchPixels = 8.0;

core::Extent extentOf(const std::vector<core::Candidate>& candidates) {
  core::Extent e;
  for (const auto& c : candidates) e.include(c.cell.extent());
  return e;
}

}  // namespace

QColor CandidatesLayer::feasibleColor() { return QColor(0, 130, 110); }
QColor CandidatesLayer::infeasibleColor() { return QColor(120, 120, 120); }

CandidatesLayer::CandidatesLayer(const std::vector<core::Candidate>& candidates, const core::Crs& crs, QString file)
    : ScenarioLayer(QStringLiteral("Candidate sites"), std::move(file), crs, extentOf(candidates)) {
  m_cells.reserve(candidates.size());
  std::vector<double> sides;
  sides.reserve(candidates.size());
  for (const auto& c : candidates) {
    if (c.cell.isEmpty()) continue;
    Cell cell;
    cell.id = c.id;
    cell.extent = c.cell.extent();
    cell.rect = isAxisAlignedRect(c.cell);
    cell.feasible = c.feasible;
    cell.reason = c.reason;
    if (!cell.rect) cell.polygon = c.cell;
    sides.push_back(std::sqrt(cell.extent.width() * cell.extent.height()));
    m_feasible += c.feasible ? 1 : 0;
    m_cells.push_back(std::move(cell));
  }
  if (!sides.empty()) {
    std::nth_element(sides.begin(), sides.begin() + std::ptrdiff_t(sides.size() / 2), sides.end());
    m_cellSize = sides[sides.size() / 2];
  }
  setColor(feasibleColor());
}

QString CandidatesLayer::description() const {
  return QStringLiteral("%1 candidate cell(s) of %2 m, %3 feasible, %4")
      .arg(m_cells.size())
      .arg(m_cellSize, 0, 'f', 0)
      .arg(m_feasible)
      .arg(m_crs.label());
}

std::vector<LegendEntry> CandidatesLayer::legend() const {
  return {{QStringLiteral("Feasible (%1)").arg(m_feasible), feasibleColor(), LegendEntry::Symbol::Line, false, true},
          {QStringLiteral("Infeasible (%1), reason on hover").arg(int(m_cells.size()) - m_feasible), infeasibleColor(),
           LegendEntry::Symbol::Fill, false, true}};
}

void CandidatesLayer::paint(QPainter& painter, const MapView& view) const {
  if (!view.isValid() || m_cells.empty() || !m_extent.intersects(cullExtent(view, 2.0))) return;
  const core::Extent visible = cullExtent(view, 1.0);
  const double res = view.resolution();

  // Group the visible cells by how they are drawn, so that each group is one drawRects call for
  // its fills and one drawLines call for its outlines: per-cell state changes and primitives are
  // what makes 10,000 cells slow, not the pixels.
  QVector<QRectF> feasibleOutlined, feasiblePlain, infeasibleOutlined, infeasiblePlain, hatched;
  std::vector<const Cell*> polygons;
  for (const Cell& c : m_cells) {
    if (!c.extent.intersects(visible)) continue;
    if (!c.rect) {
      polygons.push_back(&c);
      continue;
    }
    const QRectF r = view.toPixelRect(c.extent);
    const double side = std::min(r.width(), r.height());
    const bool outlined = side >= kMinOutlinePixels;
    if (c.feasible) {
      (outlined ? feasibleOutlined : feasiblePlain).push_back(r);
    } else {
      (outlined ? infeasibleOutlined : infeasiblePlain).push_back(r);
      if (side >= kMinHatchPixels) hatched.push_back(r);
    }
  }

  QColor feasibleFill = feasibleColor();
  feasibleFill.setAlpha(40);
  // Without an outline the tint alone must say "feasible": make it stronger.
  QColor feasibleFillPlain = feasibleColor();
  feasibleFillPlain.setAlpha(90);
  QColor infeasibleFill = infeasibleColor();
  infeasibleFill.setAlpha(150);
  QPen feasiblePen(feasibleColor(), 1.0);
  feasiblePen.setCosmetic(true);
  // Opaque: translucent strokes leave the raster engine's fast path.
  QPen infeasiblePen(QColor(110, 110, 110), 1.0);
  infeasiblePen.setCosmetic(true);
  const QBrush hatch(QColor(60, 60, 60, 150), Qt::BDiagPattern);

  painter.save();
  // Cells tile the plane: antialiasing would leave seams between neighbours.
  painter.setRenderHint(QPainter::Antialiasing, false);
  auto fillGroup = [&painter](const QVector<QRectF>& rects, const QBrush& brush) {
    if (rects.isEmpty()) return;
    painter.setPen(Qt::NoPen);
    painter.setBrush(brush);
    painter.drawRects(rects);
  };
  const QRect clip = QRect(QPoint(0, 0), view.size().toSize()).adjusted(-2, -2, 2, 2);
  auto outlineGroup = [&painter, &clip](const QVector<QRectF>& rects, const QPen& pen) {
    if (rects.isEmpty()) return;
    painter.setPen(pen);
    painter.drawLines(mergedOutlines(rects, clip));
  };
  fillGroup(infeasiblePlain, infeasibleFill);
  fillGroup(infeasibleOutlined, infeasibleFill);
  fillGroup(hatched, hatch);
  outlineGroup(infeasibleOutlined, infeasiblePen);
  fillGroup(feasiblePlain, feasibleFillPlain);
  fillGroup(feasibleOutlined, feasibleFill);
  // Feasible outlines last: on an edge shared with an infeasible cell the cell you can build on wins.
  outlineGroup(feasibleOutlined, feasiblePen);

  for (const Cell* c : polygons) {
    const QPainterPath path = polygonToScreenPath(c->polygon, view);
    const double side = std::min(c->extent.width(), c->extent.height()) / res;
    const bool outlined = side >= kMinOutlinePixels;
    if (c->feasible) {
      painter.setPen(outlined ? feasiblePen : QPen(Qt::NoPen));
      painter.setBrush(outlined ? feasibleFill : feasibleFillPlain);
      painter.drawPath(path);
    } else {
      painter.setPen(outlined ? infeasiblePen : QPen(Qt::NoPen));
      painter.setBrush(infeasibleFill);
      painter.drawPath(path);
      if (side >= kMinHatchPixels) painter.fillPath(path, hatch);
    }
  }
  painter.restore();
}

const CandidatesLayer::Cell* CandidatesLayer::cellAt(core::PointXY p) const {
  if (!m_extent.contains(p)) return nullptr;
  // A linear pass over extents: ~10 µs for 10,000 cells, cheap enough for every mouse move,
  // and it needs no index to keep in step with the cells.
  for (const Cell& c : m_cells)
    if (cellContains(c.extent, c.rect, c.polygon, p)) return &c;
  return nullptr;
}

std::optional<qint64> CandidatesLayer::candidateAt(core::PointXY mapPoint) const {
  const Cell* c = cellAt(mapPoint);
  if (!c) return std::nullopt;
  return c->id;
}

QString CandidatesLayer::toolTipAt(core::PointXY mapPoint) const {
  const Cell* c = cellAt(mapPoint);
  if (!c) return {};
  const QString id = core::candidateSiteId(c->id);
  if (c->feasible) return QStringLiteral("%1 — feasible").arg(id);
  return QStringLiteral("%1 — infeasible: %2").arg(id, c->reason.isEmpty() ? QStringLiteral("no reason recorded") : c->reason);
}

}  // namespace netspatial::ui
