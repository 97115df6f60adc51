#pragma once

// What every layer importer of `netspatial import scenario` (core/import/scenarioimport.h) works
// towards: the scenario's CRS and extent, and a place for what the user should know.

#include "core/geo/crs.h"
#include "core/geo/geometry.h"

#include <QString>
#include <QStringList>

namespace netspatial::core {

//! Upper bounds that keep a bad or huge input from exploding memory or time (issue 19: "sizes
//! that could explode are bounded"). Exceeding one is an Error naming the file and the bound.
struct ImportLimits {
  qint64 maxFeatures = 2'000'000;            //!< per vector layer
  qint64 maxRasterPixels = 8192LL * 8192LL;  //!< per output raster (after warping)
  double maxExtentKm = 200.0;                //!< width and height of a scenario's extent
};

struct ImportTarget {
  Crs crs;        //!< the scenario CRS: projected, metres
  Extent extent;  //!< scenario CRS; what lies wholly outside is dropped (and counted in the report)
  ImportLimits limits;
};

//! Notes for the user, one per line ("12 stations without a type: macro assumed"). Never needed
//! to use the result; importers append, the command line and the wizard show them.
using ImportReport = QStringList;

}  // namespace netspatial::core
