#pragma once

#include "core/scenario/scenario.h"
#include "ui/scenario/scenariolayer.h"

#include <optional>
#include <vector>

namespace netspatial::ui {

//! The candidate grid of the planning workflow (DESIGN.md §8): every cell is drawn, so the grid
//! reads as a whole, feasible cells with a thin outline and infeasible ones greyed and hatched.
//! Why a cell is infeasible is never hidden: toolTipAt() gives the reason for the cell under the
//! cursor, which the main window shows on hover.
//!
//! Painted on the GUI thread (Kind::Vector): cells are culled by extent, axis-aligned squares
//! (what core::buildCandidateGrid makes) are batched into a few drawRects calls, and outlines and
//! hatching are dropped when cells are too small to show them, so 10,000 cells repaint in a few ms.
class CandidatesLayer : public ScenarioLayer {
 public:
  CandidatesLayer(const std::vector<core::Candidate>& candidates, const core::Crs& crs, QString file = {});

  Kind kind() const override { return Kind::Vector; }
  QString description() const override;
  std::vector<LegendEntry> legend() const override;
  void paint(QPainter& painter, const MapView& view) const override;

  //! Id of the candidate whose cell contains `mapPoint` (map CRS), if any.
  std::optional<qint64> candidateAt(core::PointXY mapPoint) const;
  //! "C123 — feasible" or "C123 — infeasible: within 150 m of station S12 (87 m)"; empty when no
  //! cell is under `mapPoint`.
  QString toolTipAt(core::PointXY mapPoint) const;

  int candidateCount() const { return int(m_cells.size()); }
  int feasibleCount() const { return m_feasible; }

  static QColor feasibleColor();    //!< outline of feasible cells (their fill is a pale tint of it)
  static QColor infeasibleColor();  //!< fill of infeasible cells

 private:
  struct Cell {
    qint64 id = 0;
    core::Extent extent;
    bool rect = false;  //!< an axis-aligned rectangle: drawn from its extent, hit-tested by it
    bool feasible = true;
    QString reason;
    core::Geometry polygon;  //!< kept only when !rect (e.g. imported, reprojected grid cells)
  };
  const Cell* cellAt(core::PointXY mapPoint) const;

  std::vector<Cell> m_cells;
  int m_feasible = 0;
  double m_cellSize = 0.0;  //!< median cell side in metres, for the description
};

}  // namespace netspatial::ui
