#include "core/geo/rasterdataset.h"

#include "core/geo/coordinatetransform.h"
#include "core/geo/gdalsupport.h"
#include "core/util/logging.h"

#include <QFileInfo>

#include <cpl_string.h>
#include <gdal.h>
#include <gdal_utils.h>
#include <geodesic.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <limits>
#include <map>
#include <new>

namespace netspatial::core {

namespace {

constexpr int kMaxWindowPixels = 16384;
// At most 2^27 float values (512 MiB) in one window: beyond that, fail clearly instead of letting
// an allocation fail somewhere inside GDAL or escape as std::bad_alloc.
constexpr std::size_t kMaxWindowValues = std::size_t(1) << 27;
// An overview is used when its pixels are at most this much coarser than the window's.
constexpr double kOverviewTolerance = 1.01;

const char* resamplingName(Resampling r) {
  switch (r) {
    case Resampling::Nearest:
      return "near";
    case Resampling::Bilinear:
      return "bilinear";
    case Resampling::Cubic:
      return "cubic";
    case Resampling::Average:
      return "average";
    case Resampling::Lanczos:
      return "lanczos";
  }
  return "near";
}

const char* overviewResamplingName(Resampling r) {
  switch (r) {
    case Resampling::Nearest:
      return "NEAREST";
    case Resampling::Bilinear:
      return "BILINEAR";
    case Resampling::Cubic:
      return "CUBIC";
    case Resampling::Average:
      return "AVERAGE";
    case Resampling::Lanczos:
      return "LANCZOS";
  }
  return "AVERAGE";
}

}  // namespace

PointXY pixelToWorld(const GeoTransform& gt, double col, double row) {
  return {gt[0] + col * gt[1] + row * gt[2], gt[3] + col * gt[4] + row * gt[5]};
}

std::optional<PointXY> worldToPixel(const GeoTransform& gt, PointXY world) {
  const double det = gt[1] * gt[5] - gt[2] * gt[4];
  if (det == 0.0) return std::nullopt;
  const double dx = world.x - gt[0];
  const double dy = world.y - gt[3];
  return PointXY{(gt[5] * dx - gt[2] * dy) / det, (-gt[4] * dx + gt[1] * dy) / det};
}

GeoTransform RasterWindow::geoTransform() const {
  return {extent.xMin, extent.width() / width, 0.0, extent.yMax, 0.0, -extent.height() / height};
}

double RasterWindow::validFraction() const {
  if (data.empty()) return 0.0;
  const auto valid = std::count_if(data.begin(), data.end(), [](float v) { return !std::isnan(v); });
  return double(valid) / double(data.size());
}

Result<RasterWindowSpec> windowAroundPoint(PointXY centre, const Crs& centreCrs, double groundWidth, double groundHeight, int width,
                                           int height, const Crs& targetCrs, std::vector<int> bands, Resampling resampling) {
  if (!(groundWidth > 0.0) || !(groundHeight > 0.0) || width <= 0 || height <= 0)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("window size must be positive"));
  auto toLonLat = CoordinateTransform::create(centreCrs, Crs::wgs84());
  if (!toLonLat) return toLonLat.error();
  auto lonLat = toLonLat->transform(centre);
  if (!lonLat) return lonLat.error();
  auto toTarget = CoordinateTransform::create(Crs::wgs84(), targetCrs);
  if (!toTarget) return toTarget.error();

  // Ground distances are geodesic (WGS 84 ellipsoid): walk half the width east and west and half
  // the height north and south of the point, then express those edge midpoints in the target CRS.
  geod_geodesic geod;
  geod_init(&geod, 6378137.0, 1.0 / 298.257223563);
  const auto walk = [&](double azimuth, double distance) {
    PointXY p;
    geod_direct(&geod, lonLat->y, lonLat->x, azimuth, distance, &p.y, &p.x, nullptr);
    return p;
  };
  std::vector<PointXY> points{walk(270.0, groundWidth / 2.0), walk(90.0, groundWidth / 2.0), walk(180.0, groundHeight / 2.0),
                              walk(0.0, groundHeight / 2.0), *lonLat};
  if (Status s = toTarget->transform(points); !s) return s.error();
  PointXY& west = points[0];
  PointXY& east = points[1];
  const PointXY c = points[4];
  // Across the antimeridian, longitudes (and Mercator eastings) wrap: bring both edges next to
  // the centre by the CRS's period, measured as the span of the ±180° meridians.
  if (east.x < c.x || west.x > c.x) {
    std::vector<PointXY> seam{{-180.0, lonLat->y}, {180.0, lonLat->y}};
    if (Status s = toTarget->transform(seam); !s) return s.error();
    const double period = std::abs(seam[1].x - seam[0].x);
    if (east.x < c.x) east.x += period;
    if (west.x > c.x) west.x -= period;
  }
  const double halfW = (east.x - west.x) / 2.0;
  const double halfH = (points[3].y - points[2].y) / 2.0;
  if (!(halfW > 0.0) || !(halfH > 0.0))
    return Error(ErrorCode::TransformFailed, QStringLiteral("a %1 m × %2 m window at lon %3, lat %4 cannot be expressed in %5")
                                                 .arg(groundWidth)
                                                 .arg(groundHeight)
                                                 .arg(lonLat->x)
                                                 .arg(lonLat->y)
                                                 .arg(targetCrs.label()));
  RasterWindowSpec spec;
  spec.crs = targetCrs;
  spec.extent = Extent{c.x - halfW, c.y - halfH, c.x + halfW, c.y + halfH};
  spec.width = width;
  spec.height = height;
  spec.bands = std::move(bands);
  spec.resampling = resampling;
  return spec;
}

struct RasterDataset::Handle {
  detail::DatasetPtr dataset;
  // Overview levels opened as datasets of their own (GDAL's OVERVIEW_LEVEL open option), so the
  // warper reads the level chosen here rather than whatever survives the band-selection VRT.
  std::map<int, detail::DatasetPtr> overviews;
};

RasterDataset::RasterDataset(RasterDataset&&) noexcept = default;
RasterDataset& RasterDataset::operator=(RasterDataset&&) noexcept = default;
RasterDataset::~RasterDataset() = default;

Result<RasterDataset> RasterDataset::open(const QString& path) {
  detail::ensureGdalRegistered();
  const QFileInfo fi(path);
  if (!fi.exists()) return Error(ErrorCode::FileNotFound, QStringLiteral("no such file"), {path});
  if (fi.isFile() && fi.size() == 0) return Error(ErrorCode::CorruptData, QStringLiteral("the file is empty"), {path});

  detail::GdalErrorScope errors;
  const QByteArray native = QFile::encodeName(path);
  GDALDatasetH ds = GDALOpenEx(native.constData(), GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, nullptr, nullptr, nullptr);
  if (!ds) {
    return Error(ErrorCode::UnsupportedFormat,
                 QStringLiteral("not a raster GDAL can read: %1").arg(errors.failureText(QStringLiteral("unrecognised format"), path)),
                 {path});
  }
  RasterDataset r;
  r.m_handle = std::make_unique<Handle>();
  r.m_handle->dataset.reset(ds);

  RasterInfo& info = r.m_info;
  info.file = path;
  info.driver = QString::fromUtf8(GDALGetDriverShortName(GDALGetDatasetDriver(ds)));
  info.width = GDALGetRasterXSize(ds);
  info.height = GDALGetRasterYSize(ds);
  if (info.width <= 0 || info.height <= 0 || GDALGetRasterCount(ds) <= 0)
    return Error(ErrorCode::CorruptData, QStringLiteral("the raster has no pixels or no bands"), {path});
  double gt[6];
  if (GDALGetGeoTransform(ds, gt) == CE_None) {
    std::copy(gt, gt + 6, info.geoTransform.begin());
  } else {
    info.geoTransform = {0.0, 1.0, 0.0, 0.0, 0.0, 1.0};
  }
  info.crs = detail::crsFromSpatialRef(GDALGetSpatialRef(ds));
  for (const auto& corner :
       {PointXY{0, 0}, PointXY{double(info.width), 0}, PointXY{0, double(info.height)}, PointXY{double(info.width), double(info.height)}})
    info.extent.include(pixelToWorld(info.geoTransform, corner.x, corner.y));
  for (int b = 1; b <= GDALGetRasterCount(ds); ++b) {
    GDALRasterBandH band = GDALGetRasterBand(ds, b);
    RasterBandInfo bi;
    bi.index = b;
    bi.dataType = QString::fromUtf8(GDALGetDataTypeName(GDALGetRasterDataType(band)));
    bi.description = QString::fromUtf8(GDALGetDescription(band));
    bi.colorInterpretation = QString::fromUtf8(GDALGetColorInterpretationName(GDALGetRasterColorInterpretation(band)));
    int hasNoData = 0;
    const double nd = GDALGetRasterNoDataValue(band, &hasNoData);
    if (hasNoData) bi.noData = nd;
    bi.overviewCount = GDALGetOverviewCount(band);
    info.bands.push_back(bi);
  }
  return r;
}

Result<RasterWindow> RasterDataset::readWindow(const RasterWindowSpec& spec, Feedback* feedback) const {
  const QString& file = m_info.file;
  if (spec.width <= 0 || spec.height <= 0 || spec.width > kMaxWindowPixels || spec.height > kMaxWindowPixels)
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("window of %1×%2 pixels is outside 1..%3").arg(spec.width).arg(spec.height).arg(kMaxWindowPixels), {file});
  if (spec.extent.isEmpty() || !std::isfinite(spec.extent.width()) || !std::isfinite(spec.extent.height()))
    return Error(ErrorCode::InvalidArgument, QStringLiteral("window extent is empty"), {file});
  if (!spec.crs.isValid()) return Error(ErrorCode::InvalidArgument, QStringLiteral("window has no CRS"), {file});
  if (!m_info.crs.isValid())
    return Error(ErrorCode::UnknownCrs, QStringLiteral("the raster has no CRS, so it cannot be placed on the map"), {file});

  std::vector<int> bands = spec.bands;
  if (bands.empty())
    for (int b = 1; b <= m_info.bandCount(); ++b) bands.push_back(b);
  for (int b : bands)
    if (b < 1 || b > m_info.bandCount())
      return Error(ErrorCode::InvalidArgument, QStringLiteral("band %1 does not exist (the raster has %2)").arg(b).arg(m_info.bandCount()),
                   {file, std::nullopt, QStringLiteral("band")});
  const std::size_t values = std::size_t(spec.width) * std::size_t(spec.height) * bands.size();
  if (values > kMaxWindowValues)
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("a window of %1×%2 pixels × %3 bands is too large to read at once (at most %4 values)")
                     .arg(spec.width)
                     .arg(spec.height)
                     .arg(bands.size())
                     .arg(kMaxWindowValues),
                 {file});

  // Refuse windows that miss the raster: compare in the raster's CRS (and in the window's CRS when
  // the window cannot be expressed in the raster's, e.g. beyond a projection's domain).
  auto toWindow = CoordinateTransform::create(m_info.crs, spec.crs);
  if (!toWindow) return toWindow.error().withFile(file);
  bool overlaps = false;
  double sourcePixelsPerWindowPixel = 1.0;
  if (auto windowInSource = toWindow->inverseExtent(spec.extent); windowInSource) {
    overlaps = windowInSource->intersects(m_info.extent);
    sourcePixelsPerWindowPixel =
        std::min(windowInSource->width() / spec.width / m_info.pixelSizeX(), windowInSource->height() / spec.height / m_info.pixelSizeY());
  } else if (auto sourceInWindow = toWindow->transformExtent(m_info.extent); sourceInWindow) {
    overlaps = sourceInWindow->intersects(spec.extent);
  }
  if (!overlaps)
    return Error(ErrorCode::OutOfExtent,
                 QStringLiteral("the requested window (%1 %2, %3 %4 in %5) lies entirely outside the raster")
                     .arg(spec.extent.xMin, 0, 'f', 3)
                     .arg(spec.extent.yMin, 0, 'f', 3)
                     .arg(spec.extent.xMax, 0, 'f', 3)
                     .arg(spec.extent.yMax, 0, 'f', 3)
                     .arg(spec.crs.label()),
                 {file});

  detail::GdalErrorScope errors;
  const int level = overviewLevelFor(sourcePixelsPerWindowPixel);
  GDALDatasetH source = static_cast<GDALDatasetH>(m_handle->dataset.get());
  if (level >= 0) {
    auto& overview = m_handle->overviews[level];
    if (!overview) {
      const QByteArray option = QStringLiteral("OVERVIEW_LEVEL=%1").arg(level).toUtf8();
      const char* openOptions[] = {option.constData(), nullptr};
      overview.reset(GDALOpenEx(QFile::encodeName(file).constData(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, openOptions, nullptr));
    }
    // A level that cannot be opened is not fatal: the full resolution still gives the right answer.
    if (overview) source = static_cast<GDALDatasetH>(overview.get());
  }

  // Band selection through a virtual dataset, so the warper reads only the bands asked for
  // (and keeps the source's overviews available as implicit VRT overviews).
  detail::GdalArgList translateArgs;
  translateArgs.add(QStringLiteral("-of")).add(QStringLiteral("VRT"));
  for (int b : bands) translateArgs.add(QStringLiteral("-b")).add(b);
  GDALTranslateOptions* topts = GDALTranslateOptionsNew(translateArgs.get(), nullptr);
  detail::DatasetPtr vrt(GDALTranslate("", source, topts, nullptr));
  GDALTranslateOptionsFree(topts);
  if (!vrt) return Error(ErrorCode::Internal, errors.failureText(QStringLiteral("band selection failed"), file), {file});

  detail::GdalArgList warpArgs;
  warpArgs.add(QStringLiteral("-of")).add(QStringLiteral("MEM"));
  warpArgs.add(QStringLiteral("-t_srs")).add(spec.crs.definition());
  warpArgs.add(QStringLiteral("-te")).add(spec.extent.xMin).add(spec.extent.yMin).add(spec.extent.xMax).add(spec.extent.yMax);
  warpArgs.add(QStringLiteral("-ts")).add(spec.width).add(spec.height);
  warpArgs.add(QStringLiteral("-r")).add(QString::fromLatin1(resamplingName(spec.resampling)));
  warpArgs.add(QStringLiteral("-ot")).add(QStringLiteral("Float32"));
  warpArgs.add(QStringLiteral("-dstnodata")).add(QStringLiteral("nan"));
  warpArgs.add(QStringLiteral("-wo")).add(QStringLiteral("INIT_DEST=NO_DATA"));
  warpArgs.add(QStringLiteral("-ovr")).add(QStringLiteral("NONE"));  // the level was chosen above
  GDALWarpAppOptions* wopts = GDALWarpAppOptionsNew(warpArgs.get(), nullptr);
  if (feedback) GDALWarpAppOptionsSetProgress(wopts, &Feedback::gdalProgress, feedback);
  GDALDatasetH vrtHandle = static_cast<GDALDatasetH>(vrt.get());
  int usageError = 0;
  detail::DatasetPtr warped(GDALWarp("", nullptr, 1, &vrtHandle, wopts, &usageError));
  GDALWarpAppOptionsFree(wopts);
  if (feedback && feedback->isCancelled())
    return Error(ErrorCode::Cancelled, QStringLiteral("reading the raster window was cancelled"), {file});
  if (!warped || errors.hasFailure())
    return Error(ErrorCode::CorruptData,
                 QStringLiteral("reading pixels failed: %1").arg(errors.failureText(QStringLiteral("warp failed"), file)), {file});

  RasterWindow window;
  window.crs = spec.crs;
  window.extent = spec.extent;
  window.width = spec.width;
  window.height = spec.height;
  window.bands = bands;
  window.sourceOverview = source == m_handle->dataset.get() ? -1 : level;
  try {
    window.data.resize(values);
  } catch (const std::bad_alloc&) {
    return Error(ErrorCode::Io, QStringLiteral("not enough memory for a %1×%2 window").arg(spec.width).arg(spec.height), {file});
  }
  std::vector<int> outBands(bands.size());
  for (std::size_t i = 0; i < bands.size(); ++i) outBands[i] = int(i) + 1;
  const CPLErr err =
      GDALDatasetRasterIO(static_cast<GDALDatasetH>(warped.get()), GF_Read, 0, 0, spec.width, spec.height, window.data.data(), spec.width,
                          spec.height, GDT_Float32, int(bands.size()), outBands.data(), 0, 0, 0);
  if (err != CE_None || errors.hasFailure())
    return Error(ErrorCode::CorruptData,
                 QStringLiteral("reading pixels failed: %1").arg(errors.failureText(QStringLiteral("unknown GDAL error"), file)), {file});
  return window;
}

int RasterDataset::overviewLevelFor(double sourcePixelsPerWindowPixel) const {
  GDALRasterBandH band = GDALGetRasterBand(static_cast<GDALDatasetH>(m_handle->dataset.get()), 1);
  int best = -1;
  double bestFactor = 1.0;
  for (int k = 0; k < GDALGetOverviewCount(band); ++k) {
    GDALRasterBandH overview = GDALGetOverview(band, k);
    if (!overview || GDALGetRasterBandXSize(overview) <= 0) continue;
    const double factor = double(m_info.width) / double(GDALGetRasterBandXSize(overview));
    if (factor <= sourcePixelsPerWindowPixel * kOverviewTolerance && factor > bestFactor) {
      best = k;
      bestFactor = factor;
    }
  }
  return best;
}

Status RasterDataset::buildOverviews(const std::vector<int>& levels, Resampling resampling, Feedback* feedback) {
  if (levels.empty()) return {};
  for (int l : levels)
    if (l < 2) return Error(ErrorCode::InvalidArgument, QStringLiteral("overview levels must be ≥ 2"), {m_info.file});
  detail::GdalErrorScope errors;
  std::vector<int> lv = levels;
  const CPLErr err = GDALBuildOverviews(static_cast<GDALDatasetH>(m_handle->dataset.get()), overviewResamplingName(resampling),
                                        int(lv.size()), lv.data(), 0, nullptr, feedback ? &Feedback::gdalProgress : nullptr, feedback);
  if (feedback && feedback->isCancelled())
    return Error(ErrorCode::Cancelled, QStringLiteral("building overviews was cancelled"), {m_info.file});
  if (err != CE_None)
    return Error(ErrorCode::Io,
                 QStringLiteral("building overviews failed: %1").arg(errors.failureText(QStringLiteral("unknown GDAL error"), m_info.file)),
                 {m_info.file});
  m_handle->overviews.clear();
  for (auto& band : m_info.bands)
    band.overviewCount = GDALGetOverviewCount(GDALGetRasterBand(static_cast<GDALDatasetH>(m_handle->dataset.get()), band.index));
  return {};
}

Result<double> RasterDataset::pixelValue(int band, int col, int row) const {
  if (band < 1 || band > m_info.bandCount() || col < 0 || row < 0 || col >= m_info.width || row >= m_info.height)
    return Error(ErrorCode::OutOfExtent, QStringLiteral("pixel (%1, %2) band %3 is outside the raster").arg(col).arg(row).arg(band),
                 {m_info.file});
  detail::GdalErrorScope errors;
  double value = 0.0;
  GDALRasterBandH b = GDALGetRasterBand(static_cast<GDALDatasetH>(m_handle->dataset.get()), band);
  if (GDALRasterIO(b, GF_Read, col, row, 1, 1, &value, 1, 1, GDT_Float64, 0, 0) != CE_None)
    return Error(ErrorCode::CorruptData,
                 QStringLiteral("reading a pixel failed: %1").arg(errors.failureText(QStringLiteral("unknown GDAL error"), m_info.file)),
                 {m_info.file});
  const auto& nd = m_info.bands[std::size_t(band - 1)].noData;
  if (nd && value == *nd) return std::numeric_limits<double>::quiet_NaN();
  return value;
}

}  // namespace netspatial::core
