#pragma once

// mappaint: how long the GUI thread takes to paint the planning layers — 10,000 candidate cells
// (a 10 km AOI at 100 m) and their utility heat map, all ranked — at three zoom levels (cells of
// 2.5 px without outlines, 8 px with the whole grid in view, 20 px with rank numbers). Was a timed
// assertion in tst_planningviews; speed belongs to the benchmark (issue 18).

#include <string>
#include <vector>

namespace netspatial::bench {

struct MapPaintRow {
  double metresPerPixel = 0.0;
  double medianMs = 0.0;            //!< both layers, one 900 × 900 px paint
  double candidatesMedianMs = 0.0;  //!< the candidates layer alone
};

struct MapPaintResult {
  int cells = 0;
  std::vector<MapPaintRow> rows;
  double lookupMs = 0.0;  //!< 200 candidateAt lookups (hover)
  std::string error;
};

MapPaintResult benchMapPaint(int repeats);

}  // namespace netspatial::bench
