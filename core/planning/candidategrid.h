#pragma once

// The candidate grid of the planning workflow (DESIGN.md §8): square cells over the area of
// interest, each marked feasible or not with the reason an engineer would give.

#include "core/scenario/scenario.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QString>

#include <vector>

namespace netspatial::core {

struct CandidateGridOptions {
  double cellSize = 100.0;            //!< metres, side of a square cell
  double minStationDistance = 150.0;  //!< metres from the cell centre to any existing station
  //! Zone classes where no station can be built (the cell centre decides).
  std::vector<ZoneClass> excludedZoneClasses{ZoneClass::Water, ZoneClass::Park};
  //! Polygons drawn or imported by the engineer: no site inside them.
  std::vector<Geometry> exclusions;
  //! The grid is refused above this many cells (a 10 m grid over a city would be millions).
  int maxCells = 200000;
};

//! Cells aligned on multiples of cellSize covering the AOI's extent. A cell whose centre lies
//! outside the AOI is kept but infeasible ("outside the AOI"), so the grid reads as a whole; the
//! first failing rule names the reason. Ids are 1-based, row-major from the north-west corner.
Result<std::vector<Candidate>> buildCandidateGrid(const Scenario& scenario, const Geometry& aoi, const CandidateGridOptions& options = {},
                                                  Feedback* feedback = nullptr);

//! The site id of a candidate in generated traffic, rankings and exports: "C<id>".
QString candidateSiteId(const Candidate& candidate);
QString candidateSiteId(qint64 id);

//! The candidate a site id ("C<id>") names, or nullptr.
const Candidate* findCandidate(const Scenario& scenario, const QString& siteId);

//! Centre of the candidate's cell (the point whose context is generated).
PointXY candidateCentre(const Candidate& candidate);

}  // namespace netspatial::core
