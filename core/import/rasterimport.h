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
  //! values maps linearly onto 0..255 (rounded, clamped), so 16-bit counts or float reflectances
  //! become sensible RGB. The percentiles are taken over the valid source pixels (nodata excluded)
  //! of the source window that covers the output, linearly interpolated between order statistics
  //! (numpy's default); a window above 2^24 pixels is sampled on a regular decimated grid. Byte
  //! imagery with 0/100 keeps its values (0 → 0, 255 → 255): an ortho photo is left as it is.
  double lowPercentile = 2.0;
  double highPercentile = 98.0;
  //! Output pixel size in metres; 0 = the source's own resolution (never finer than the source:
  //! a 30 m Landsat scene stays 30 m, and says so).
  double pixelSize = 0.0;
};

struct ImportedImagery {
  ImageRaster image;           //!< scenario CRS, over the target extent ∩ the source's footprint; nodata → 0
  double sourcePixelSize = 0;  //!< metres per source pixel, measured in the scenario CRS (GDAL's suggested warp resolution)
  double pixelSize = 0;        //!< metres per pixel of `image`: max(options.pixelSize, sourcePixelSize)
  //! Per output band (R, G, B): the source values mapped onto 0 and 255 by the stretch.
  std::array<double, 3> stretchLow{};
  std::array<double, 3> stretchHigh{};
  QString description;  //!< "L7_ETMs.tif: bands 3,2,1, 28.5 m/px, stretch 2–98 % — much coarser than the model's 8 m/px"
};

//! Warps with GDAL (bilinear) onto a north-up grid anchored at the top-left corner of
//! target.extent ∩ the footprint, at the source's own resolution unless `options.pixelSize` is
//! coarser: imagery is never upsampled. A pixel where any selected band has no data (nodata, or
//! outside the source) is black (0, 0, 0).
//! Errors name the file: not a raster, no CRS, a band out of range (naming the band and the band
//! count), no overlap with the extent, a result larger than target.limits.maxRasterPixels.
Result<ImportedImagery> importImagery(const ImageryImportOptions& options, const ImportTarget& target, ImportReport* report = nullptr,
                                      Feedback* feedback = nullptr);

//! A raster's own pixel size once warped into `crs`, as importImagery chooses it (gdalwarp's
//! suggestion, which keeps the number of pixels along the diagonal). For previews.
Result<double> rasterResolutionIn(const QString& path, const Crs& crs);

struct PopulationImportOptions {
  QString path;             //!< a raster of people per pixel, or polygons with `field`
  QString field;            //!< polygons: the count per polygon (e.g. V014 of Olinda's census tracts)
  int band = 1;             //!< rasters
  double cellSize = 100.0;  //!< output cell size, metres
};

struct ImportedPopulation {
  ValueRaster grid;  //!< people per output cell, scenario CRS; NaN outside the source (no polygon / no valid pixel)
  //! People in the source within the target extent. Rasters: the sum of the valid source pixels
  //! whose centres lie inside the extent. Polygons: Σ count × area(polygon ∩ extent) / area(polygon),
  //! areas in the scenario CRS.
  double sourceTotal = 0;
  double importedTotal = 0;  //!< sum of `grid`: equals sourceTotal within 1 % (the total is preserved)
  QString description;
};

//! A path with `options.field` set is read as polygons (any OGR vector), otherwise as a raster.
//! The grid is anchored at the top-left corner of target.extent ∩ the source's footprint, with
//! `cellSize` cells (the last column/row may reach past the extent by less than a cell).
//! Rasters are resampled with the total preserved: source pixels whose centres lie outside the
//! extent are masked, GDAL's "sum" resampling spreads the rest over the cells, and the grid is
//! rescaled to the source total (a correction of ≪ 1 % for the warper's approximations); polygons are rasterised by area (each cell gets
//! the share of each polygon's count equal to the share of the polygon's area it covers, computed exactly with OGR intersections in the
//! scenario CRS). Negative or non-numeric counts are an Error naming the row/pixel and field; so are a missing field (listing the fields),
//! non-polygon geometries and a band out of range.
Result<ImportedPopulation> importPopulation(const PopulationImportOptions& options, const ImportTarget& target,
                                            ImportReport* report = nullptr, Feedback* feedback = nullptr);

}  // namespace netspatial::core
