#pragma once

#include "core/planning/ranking.h"
#include "core/scenario/scenario.h"
#include "ui/scenario/scenariolayer.h"

#include <QHash>

#include <limits>
#include <optional>
#include <vector>

namespace netspatial::ui {

//! The result of a ranking on the map (DESIGN.md §8, §10): each ranked site's cell filled by the
//! chosen utility with a perceptually uniform ramp (viridis), sites below the demand floor greyed,
//! the selected top-K outlined boldly with their rank when zoomed in, and one "current" site (the
//! row selected in the ranking table) highlighted.
//!
//! The cell geometry comes from the candidate grid, given once; a site that is not a candidate
//! (an existing station) is drawn as a square of the grid's cell size around its position.
//! setRanking() only re-colours (a hash lookup per site), so changing the utility or K re-draws
//! at once without regenerating anything.
class UtilityHeatmapLayer : public ScenarioLayer {
 public:
  UtilityHeatmapLayer(const std::vector<core::Candidate>& candidates, const core::Crs& crs, QString file = {});

  //! Replaces what is shown. `unit` is the traffic unit ("MB/h") that the legend and tooltips
  //! append to the utilities that carry one. The layer's extent grows to cover every site.
  void setRanking(const core::Ranking& ranking, const QString& unit);
  //! Highlights one site (empty: none). A site not in the ranking is remembered and highlighted
  //! once a ranking contains it.
  void setHighlightedSite(const QString& siteId) { m_highlighted = siteId; }
  const QString& highlightedSite() const { return m_highlighted; }

  Kind kind() const override { return Kind::Vector; }
  QString description() const override;
  //! Ramp entries from the maximum down to the minimum (the first and last name the utility and
  //! unit), then the demand floor, the top-K outline and the current-site outline.
  std::vector<LegendEntry> legend() const override;
  void paint(QPainter& painter, const MapView& view) const override;

  //! The site drawn at `mapPoint` (the best-ranked one where squares overlap), if any.
  std::optional<QString> siteAt(core::PointXY mapPoint) const;
  //! "C12 — rank 3 of 120, LSI 12.3, selected (top 10)", or why the site is not ranked.
  QString toolTipAt(core::PointXY mapPoint) const;

  core::Utility utility() const { return m_utility; }
  const QString& unit() const { return m_unit; }
  int siteCount() const { return int(m_items.size()); }
  //! Range of the ranked sites' utility: what the ramp spans. NaN before a ranking with ranked sites.
  double minimum() const { return m_minimum; }
  double maximum() const { return m_maximum; }

  //! Viridis (van der Walt & Smith, matplotlib), t in [0, 1]: perceptually uniform and legible in
  //! greyscale and with the common colour-vision deficiencies.
  static QColor rampColor(double t);
  static QColor belowFloorColor();
  static QColor selectedColor();
  static QColor highlightColor();

 private:
  struct CellRef {
    core::Extent extent;
    int polygon = -1;  //!< index into m_polygons; -1 for an axis-aligned rectangle
  };
  struct Item {
    QString siteId;
    core::Extent extent;
    int polygon = -1;
    int rank = 0;  //!< 0 = not ranked (below the demand floor)
    double value = 0.0;
    double pTopK = 0.0;
    bool selected = false;
    QString note;
    QColor fill;
  };
  const Item* itemAt(core::PointXY mapPoint) const;

  QHash<QString, CellRef> m_cells;         //!< candidate site id ("C12") → its cell
  std::vector<core::Geometry> m_polygons;  //!< cells that are not axis-aligned rectangles
  core::Extent m_gridExtent;
  double m_squareSide = 100.0;  //!< side of the square drawn for non-candidate sites

  std::vector<Item> m_items;  //!< in ranking order: ranked best first, then the unranked
  core::Utility m_utility = core::Utility::Lsi;
  int m_topK = 0;
  int m_ranked = 0;
  QString m_unit;
  double m_minimum = std::numeric_limits<double>::quiet_NaN();
  double m_maximum = std::numeric_limits<double>::quiet_NaN();
  QString m_highlighted;
};

}  // namespace netspatial::ui
