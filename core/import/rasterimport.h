#pragma once

// Raster modalities of a scenario: satellite/aerial imagery and population, from any GDAL raster
// in any CRS, warped (GDALWarp) onto a north-up grid in the scenario CRS over the target extent.
// Population may also come from polygons with a count field (census tracts), spread by area.

#include "core/import/importtarget.h"
#include "core/scenario/scenario.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QString>

#include <array>

namespace netspatial::core {

struct ImageryImportOptions {
  QString path;
  std::array<int, 3> bands{1, 2, 3};  //!< 1-based source bands for R, G, B (Landsat 7: 3,2,1)
  //! Contrast stretch per band: the `lowPercentile`..`highPercentile` range of the valid source
  //! values maps linearly onto 0..255 (clamped). Byte imagery with 0/100 keeps its values.
  double lowPercentile = 2.0;
  double highPercentile = 98.0;
  //! Output pixel size in metres; 0 = the source's own resolution (never finer than the source:
  //! a 30 m Landsat scene stays 30 m, and says so).
  double pixelSize = 0.0;
};

struct ImportedImagery {
  ImageRaster image;           //!< scenario CRS, over the target extent ∩ the source's footprint
  double sourcePixelSize = 0;  //!< metres per source pixel, measured in the scenario CRS
  QString description;         //!< "L7_ETMs.tif, bands 3,2,1, 28.5 m/px, stretch 2–98 %"
};

//! Errors: not a raster, a band out of range (naming it), no overlap with the extent, a result
//! larger than target.limits.maxRasterPixels.
Result<ImportedImagery> importImagery(const ImageryImportOptions& options, const ImportTarget& target, ImportReport* report = nullptr,
                                      Feedback* feedback = nullptr);

struct PopulationImportOptions {
  QString path;             //!< a raster of people per pixel, or polygons with `field`
  QString field;            //!< polygons: the count per polygon (e.g. V014 of Olinda's census tracts)
  int band = 1;             //!< rasters
  double cellSize = 100.0;  //!< output cell size, metres
};

struct ImportedPopulation {
  ValueRaster grid;          //!< people per output cell, scenario CRS; NaN outside the source
  double sourceTotal = 0;    //!< people in the source within the target extent
  double importedTotal = 0;  //!< sum of `grid`: equals sourceTotal within 1 % (the total is preserved)
  QString description;
};

//! Rasters are resampled with the total preserved (GDAL's "sum" resampling, then rescaled to the
//! source's total within the extent); polygons are rasterised by area (each cell gets the share
//! of each polygon's count equal to the share of the polygon's area it covers). Negative or
//! non-numeric counts are an Error naming the row/pixel and field.
Result<ImportedPopulation> importPopulation(const PopulationImportOptions& options, const ImportTarget& target,
                                            ImportReport* report = nullptr, Feedback* feedback = nullptr);

}  // namespace netspatial::core
