#pragma once

#include "core/geo/crs.h"
#include "core/geo/geometry.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QString>

#include <array>
#include <cmath>
#include <memory>
#include <optional>
#include <vector>

namespace netspatial::core {

enum class Resampling { Nearest, Bilinear, Cubic, Average, Lanczos };

//! GDAL's affine geotransform: x = gt[0] + col*gt[1] + row*gt[2]; y = gt[3] + col*gt[4] + row*gt[5]
//! (col/row at pixel corners, so pixel (c, r)'s centre is at (c + 0.5, r + 0.5)).
using GeoTransform = std::array<double, 6>;

PointXY pixelToWorld(const GeoTransform& gt, double col, double row);
std::optional<PointXY> worldToPixel(const GeoTransform& gt, PointXY world);

struct RasterBandInfo {
  int index = 1;  //!< 1-based, as GDAL counts bands
  QString dataType;
  QString description;
  QString colorInterpretation;
  std::optional<double> noData;
  int overviewCount = 0;
};

struct RasterInfo {
  QString file;
  QString driver;
  int width = 0;
  int height = 0;
  Crs crs;
  GeoTransform geoTransform{};
  Extent extent;  //!< in `crs`
  std::vector<RasterBandInfo> bands;
  int bandCount() const { return int(bands.size()); }
  //! Ground size of a pixel in CRS units (|gt[1]|, |gt[5]| for north-up rasters).
  double pixelSizeX() const { return std::hypot(geoTransform[1], geoTransform[4]); }
  double pixelSizeY() const { return std::hypot(geoTransform[2], geoTransform[5]); }
};

//! What to read: a north-up grid of width × height pixels covering `extent` in `crs`.
struct RasterWindowSpec {
  Crs crs;
  Extent extent;
  int width = 0;
  int height = 0;
  std::vector<int> bands;  //!< 1-based source bands in output order; empty = all
  Resampling resampling = Resampling::Bilinear;
};

//! A window around a point: `groundWidth` × `groundHeight` metres on the ground (geodesic distances
//! on the WGS 84 ellipsoid along the east–west and north–south lines through `centre`), expressed in
//! `targetCrs` at `width` × `height` pixels. Works for geographic, Web Mercator and UTM targets
//! alike, also across the antimeridian.
Result<RasterWindowSpec> windowAroundPoint(PointXY centre, const Crs& centreCrs, double groundWidth, double groundHeight, int width,
                                           int height, const Crs& targetCrs, std::vector<int> bands = {},
                                           Resampling resampling = Resampling::Bilinear);

//! Pixels read from a raster, as float32, band-major; invalid pixels (nodata or outside the
//! source) are NaN in `data` and false in validity.
struct RasterWindow {
  Crs crs;
  Extent extent;
  int width = 0;
  int height = 0;
  std::vector<int> bands;
  std::vector<float> data;
  //! The source overview level read (0 = the first, 2× coarser one), or -1 for full resolution.
  int sourceOverview = -1;

  int bandCount() const { return int(bands.size()); }
  float value(int bandIndex, int col, int row) const {
    return data[std::size_t(bandIndex) * std::size_t(width) * std::size_t(height) + std::size_t(row) * std::size_t(width) +
                std::size_t(col)];
  }
  bool isValid(int bandIndex, int col, int row) const { return !std::isnan(value(bandIndex, col, row)); }
  GeoTransform geoTransform() const;
  //! Fraction of valid values over all bands.
  double validFraction() const;
};

//! A raster opened read-only through GDAL (any driver). Move-only; use from one thread at a time
//! (GDAL dataset handles are not thread-safe: open one per thread).
class RasterDataset {
 public:
  static Result<RasterDataset> open(const QString& path);

  RasterDataset(RasterDataset&&) noexcept;
  RasterDataset& operator=(RasterDataset&&) noexcept;
  ~RasterDataset();

  //! Valid while this object lives; a moved-from RasterDataset's info() is empty.
  const RasterInfo& info() const { return m_info; }

  //! Reads `spec`, warping from the source CRS. When the window is coarser than the source it reads
  //! the coarsest overview that is still at least as fine as the window (as gdalwarp's -ovr AUTO). Fails if the window misses the raster
  //! entirely, a band does not exist, or GDAL reports a read error (e.g. a truncated file). Cancellable through `feedback`.
  Result<RasterWindow> readWindow(const RasterWindowSpec& spec, Feedback* feedback = nullptr) const;

  //! Builds overviews at the given decimation levels, e.g. {2, 4, 8, 16}. The dataset is open
  //! read-only, so GDAL writes them to an external FILE.ovr next to the raster.
  Status buildOverviews(const std::vector<int>& levels, Resampling resampling = Resampling::Average, Feedback* feedback = nullptr);

  //! The value at one source pixel (1-based band), NaN for nodata.
  //! Not thread-safe, like every method here: `const` only means the dataset is not modified.
  Result<double> pixelValue(int band, int col, int row) const;

 private:
  RasterDataset() = default;
  int overviewLevelFor(double sourcePixelsPerWindowPixel) const;
  struct Handle;
  std::unique_ptr<Handle> m_handle;
  RasterInfo m_info;
};

}  // namespace netspatial::core
