#include "core/geo/rasterdataset.h"

#include "core/geo/coordinatetransform.h"
#include "core/geo/gdalsupport.h"
#include "core/util/logging.h"

#include <QFileInfo>

#include <cpl_string.h>
#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <limits>

namespace netspatial::core {

namespace {

constexpr int kMaxWindowPixels = 16384;

const char* resamplingName(Resampling r) {
  switch (r) {
    case Resampling::Nearest: return "near";
    case Resampling::Bilinear: return "bilinear";
    case Resampling::Cubic: return "cubic";
    case Resampling::Average: return "average";
    case Resampling::Lanczos: return "lanczos";
  }
  return "near";
}

const char* overviewResamplingName(Resampling r) {
  switch (r) {
    case Resampling::Nearest: return "NEAREST";
    case Resampling::Bilinear: return "BILINEAR";
    case Resampling::Cubic: return "CUBIC";
    case Resampling::Average: return "AVERAGE";
    case Resampling::Lanczos: return "LANCZOS";
  }
  return "AVERAGE";
}

// A CPLStringList-like argv for the GDAL utility functions.
class ArgList {
 public:
  ArgList& add(const QString& s) {
    m_list = CSLAddString(m_list, s.toUtf8().constData());
    return *this;
  }
  ArgList& add(double v) { return add(QString::number(v, 'g', 17)); }
  ArgList& add(int v) { return add(QString::number(v)); }
  char** get() const { return m_list; }
  ~ArgList() { CSLDestroy(m_list); }

 private:
  char** m_list = nullptr;
};



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

Result<RasterWindowSpec> windowAroundPoint(PointXY centre, const Crs& centreCrs, double groundWidth,
                                           double groundHeight, int width, int height, const Crs& targetCrs,
                                           std::vector<int> bands, Resampling resampling) {
  if (!(groundWidth > 0.0) || !(groundHeight > 0.0) || width <= 0 || height <= 0)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("window size must be positive"));
  auto toLonLat = CoordinateTransform::create(centreCrs, Crs::wgs84());
  if (!toLonLat) return toLonLat.error();
  auto lonLat = toLonLat->transform(centre);
  if (!lonLat) return lonLat.error();
  // Ground metres are exact in an azimuthal equidistant frame centred on the point.
  auto local = Crs::fromUserInput(QStringLiteral("+proj=aeqd +lat_0=%1 +lon_0=%2 +datum=WGS84 +units=m +type=crs")
                                      .arg(lonLat->y, 0, 'f', 10)
                                      .arg(lonLat->x, 0, 'f', 10));
  if (!local) return local.error();
  auto toTarget = CoordinateTransform::create(*local, targetCrs);
  if (!toTarget) return toTarget.error();
  const double hw = groundWidth / 2.0;
  const double hh = groundHeight / 2.0;
  // The target extent spans the transformed edge midpoints (the square's centre lines), so the
  // window's width and height on the ground match the request along the axes through the point.
  std::vector<PointXY> mids{{-hw, 0.0}, {hw, 0.0}, {0.0, -hh}, {0.0, hh}, {0.0, 0.0}};
  if (Status s = toTarget->transform(mids); !s) return s.error();
  RasterWindowSpec spec;
  spec.crs = targetCrs;
  const PointXY c = mids[4];
  const double halfW = (mids[1].x - mids[0].x) / 2.0;
  const double halfH = (mids[3].y - mids[2].y) / 2.0;
  spec.extent = Extent{c.x - halfW, c.y - halfH, c.x + halfW, c.y + halfH};
  spec.width = width;
  spec.height = height;
  spec.bands = std::move(bands);
  spec.resampling = resampling;
  return spec;
}

struct RasterDataset::Handle {
  detail::DatasetPtr dataset;
};

RasterDataset::RasterDataset(RasterDataset&&) noexcept = default;
RasterDataset& RasterDataset::operator=(RasterDataset&&) noexcept = default;
RasterDataset::~RasterDataset() = default;

Result<RasterDataset> RasterDataset::open(const QString& path) {
  detail::ensureGdalRegistered();
  const QFileInfo fi(path);
  if (!fi.exists()) return Error(ErrorCode::FileNotFound, QStringLiteral("no such file"), {path});
  if (fi.isFile() && fi.size() == 0)
    return Error(ErrorCode::CorruptData, QStringLiteral("the file is empty"), {path});

  detail::GdalErrorScope errors;
  const QByteArray native = QFile::encodeName(path);
  GDALDatasetH ds = GDALOpenEx(native.constData(), GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
                               nullptr, nullptr, nullptr);
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
  for (const auto& corner : {PointXY{0, 0}, PointXY{double(info.width), 0}, PointXY{0, double(info.height)},
                             PointXY{double(info.width), double(info.height)}})
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
                 QStringLiteral("window of %1×%2 pixels is outside 1..%3").arg(spec.width).arg(spec.height).arg(kMaxWindowPixels),
                 {file});
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
      return Error(ErrorCode::InvalidArgument,
                   QStringLiteral("band %1 does not exist (the raster has %2)").arg(b).arg(m_info.bandCount()),
                   {file, std::nullopt, QStringLiteral("band")});

  // Refuse windows that miss the raster: compare in the raster's CRS (and in the window's CRS when
  // the window cannot be expressed in the raster's, e.g. beyond a projection's domain).
  auto toWindow = CoordinateTransform::create(m_info.crs, spec.crs);
  if (!toWindow) return toWindow.error().withFile(file);
  bool overlaps = false;
  if (auto windowInSource = toWindow->inverseExtent(spec.extent); windowInSource) {
    overlaps = windowInSource->intersects(m_info.extent);
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
  GDALDatasetH source = static_cast<GDALDatasetH>(m_handle->dataset.get());

  // Band selection through a virtual dataset, so the warper reads only the bands asked for
  // (and keeps the source's overviews available as implicit VRT overviews).
  ArgList translateArgs;
  translateArgs.add(QStringLiteral("-of")).add(QStringLiteral("VRT"));
  for (int b : bands) translateArgs.add(QStringLiteral("-b")).add(b);
  GDALTranslateOptions* topts = GDALTranslateOptionsNew(translateArgs.get(), nullptr);
  detail::DatasetPtr vrt(GDALTranslate("", source, topts, nullptr));
  GDALTranslateOptionsFree(topts);
  if (!vrt) return Error(ErrorCode::Internal, errors.failureText(QStringLiteral("band selection failed"), file), {file});

  ArgList warpArgs;
  warpArgs.add(QStringLiteral("-of")).add(QStringLiteral("MEM"));
  warpArgs.add(QStringLiteral("-t_srs")).add(spec.crs.definition());
  warpArgs.add(QStringLiteral("-te")).add(spec.extent.xMin).add(spec.extent.yMin).add(spec.extent.xMax).add(spec.extent.yMax);
  warpArgs.add(QStringLiteral("-ts")).add(spec.width).add(spec.height);
  warpArgs.add(QStringLiteral("-r")).add(QString::fromLatin1(resamplingName(spec.resampling)));
  warpArgs.add(QStringLiteral("-ot")).add(QStringLiteral("Float32"));
  warpArgs.add(QStringLiteral("-dstnodata")).add(QStringLiteral("nan"));
  warpArgs.add(QStringLiteral("-wo")).add(QStringLiteral("INIT_DEST=NO_DATA"));
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
  window.data.resize(std::size_t(spec.width) * std::size_t(spec.height) * bands.size());
  std::vector<int> outBands(bands.size());
  for (std::size_t i = 0; i < bands.size(); ++i) outBands[i] = int(i) + 1;
  const CPLErr err = GDALDatasetRasterIO(static_cast<GDALDatasetH>(warped.get()), GF_Read, 0, 0, spec.width,
                                         spec.height, window.data.data(), spec.width, spec.height, GDT_Float32,
                                         int(bands.size()), outBands.data(), 0, 0, 0);
  if (err != CE_None || errors.hasFailure())
    return Error(ErrorCode::CorruptData, QStringLiteral("reading pixels failed: %1").arg(errors.failureText(QStringLiteral("unknown GDAL error"), file)), {file});
  return window;
}

Status RasterDataset::buildOverviews(const std::vector<int>& levels, Resampling resampling, Feedback* feedback) {
  if (levels.empty()) return {};
  for (int l : levels)
    if (l < 2) return Error(ErrorCode::InvalidArgument, QStringLiteral("overview levels must be ≥ 2"), {m_info.file});
  detail::GdalErrorScope errors;
  std::vector<int> lv = levels;
  const CPLErr err = GDALBuildOverviews(static_cast<GDALDatasetH>(m_handle->dataset.get()),
                                        overviewResamplingName(resampling), int(lv.size()), lv.data(), 0, nullptr,
                                        feedback ? &Feedback::gdalProgress : nullptr, feedback);
  if (feedback && feedback->isCancelled())
    return Error(ErrorCode::Cancelled, QStringLiteral("building overviews was cancelled"), {m_info.file});
  if (err != CE_None)
    return Error(ErrorCode::Io, QStringLiteral("building overviews failed: %1").arg(errors.failureText(QStringLiteral("unknown GDAL error"), m_info.file)), {m_info.file});
  for (auto& band : m_info.bands)
    band.overviewCount = GDALGetOverviewCount(GDALGetRasterBand(static_cast<GDALDatasetH>(m_handle->dataset.get()), band.index));
  return {};
}

Result<double> RasterDataset::pixelValue(int band, int col, int row) const {
  if (band < 1 || band > m_info.bandCount() || col < 0 || row < 0 || col >= m_info.width || row >= m_info.height)
    return Error(ErrorCode::OutOfExtent,
                 QStringLiteral("pixel (%1, %2) band %3 is outside the raster").arg(col).arg(row).arg(band), {m_info.file});
  detail::GdalErrorScope errors;
  double value = 0.0;
  GDALRasterBandH b = GDALGetRasterBand(static_cast<GDALDatasetH>(m_handle->dataset.get()), band);
  if (GDALRasterIO(b, GF_Read, col, row, 1, 1, &value, 1, 1, GDT_Float64, 0, 0) != CE_None)
    return Error(ErrorCode::CorruptData, QStringLiteral("reading a pixel failed: %1").arg(errors.failureText(QStringLiteral("unknown GDAL error"), m_info.file)), {m_info.file});
  const auto& nd = m_info.bands[std::size_t(band - 1)].noData;
  if (nd && value == *nd) return std::numeric_limits<double>::quiet_NaN();
  return value;
}

}  // namespace netspatial::core
