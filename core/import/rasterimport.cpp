#include "core/import/rasterimport.h"

#include "core/geo/coordinatetransform.h"
#include "core/geo/gdalsupport.h"
#include "core/geo/ogrgeometry.h"
#include "core/geo/rasterdataset.h"
#include "core/geo/vectorreader.h"

#include <QFile>
#include <QFileInfo>
#include <QLocale>

#include <gdal_alg.h>
#include <gdal_utils.h>
#include <ogr_api.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>

namespace netspatial::core {

namespace {

using detail::DatasetPtr;
using detail::GeometryPtr;

// The model's imagery resolution (issue 19: "imagery much coarser than the model's 8 m/px is
// accepted and its resolution shown"), against which the description says how coarse a source is.
constexpr double kModelPixelSize = 8.0;
// Percentiles from at most this many pixels per band: beyond it a regular decimated sample gives
// the same stretch and keeps a country-sized scene from needing gigabytes.
constexpr qint64 kMaxStretchSamples = qint64(1) << 24;
// The source window of a population raster is copied (Float32, pixels outside the extent masked)
// before it is warped: at most 2^27 pixels, 512 MiB.
constexpr qint64 kMaxSourceWindowPixels = qint64(1) << 27;
// Polygon rasterisation: candidate (polygon, cell) pairs from the polygons' bounding boxes. Each is
// at most one OGR intersection (~10 µs), so this bounds the work at a few minutes.
constexpr qint64 kMaxPolygonCellPairs = 20'000'000;
// Output rows read from a warped VRT at a time (a multiple of its 128-row blocks).
constexpr int kStripRows = 256;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QString fileName(const QString& path) { return QFileInfo(path).fileName(); }

QString metres(double v) { return QString::number(v, 'f', v < 10.0 ? 2 : 1); }

QString people(double v) { return QLocale::c().toString(std::llround(v)); }

Status cancelled(Feedback* feedback, const QString& what, const QString& file) {
  if (feedback && feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("%1 was cancelled").arg(what), {file});
  return {};
}

//! The scenario side must make sense before any file is read: a projected CRS in metres and an
//! extent with an area. Errors name the file being imported, since that is what the user acted on.
Status checkTarget(const ImportTarget& target, const QString& file) {
  if (!target.crs.isValid()) return Error(ErrorCode::UnknownCrs, QStringLiteral("the scenario has no CRS"), {file});
  if (target.crs.isGeographic())
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("the scenario CRS %1 is geographic; a projected CRS in metres is needed").arg(target.crs.label()), {file});
  const Extent& e = target.extent;
  if (e.isEmpty() || !(e.width() > 0.0) || !(e.height() > 0.0) || !std::isfinite(e.width()) || !std::isfinite(e.height()))
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the scenario extent has no area (%1 m × %2 m)").arg(e.width()).arg(e.height()),
                 {file});
  return {};
}

QString extentText(const Extent& e) {
  return QStringLiteral("%1 %2, %3 %4").arg(e.xMin, 0, 'f', 1).arg(e.yMin, 0, 'f', 1).arg(e.xMax, 0, 'f', 1).arg(e.yMax, 0, 'f', 1);
}

//! A raster opened for the importers: RasterDataset::open's checks and description, plus a GDAL
//! handle of our own for warping (RasterDataset keeps its handle private).
struct OpenedRaster {
  RasterInfo info;
  DatasetPtr dataset;
  GDALDatasetH handle() const { return static_cast<GDALDatasetH>(dataset.get()); }
};

Result<OpenedRaster> openRaster(const QString& path) {
  auto opened = RasterDataset::open(path);
  if (!opened) return opened.error();
  OpenedRaster r;
  r.info = opened->info();
  detail::GdalErrorScope errors;
  r.dataset.reset(GDALOpenEx(QFile::encodeName(path).constData(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!r.dataset) return Error(ErrorCode::Io, errors.failureText(QStringLiteral("cannot reopen the raster"), path), {path});
  double gt[6];
  // Without a geotransform the pixels have no place on the ground (a plain PNG, a scan).
  if (GDALGetGeoTransform(r.handle(), gt) != CE_None)
    return Error(ErrorCode::UnknownCrs, QStringLiteral("the raster has no georeferencing (no geotransform)"), {path});
  if (!r.info.crs.isValid())
    return Error(ErrorCode::UnknownCrs, QStringLiteral("the raster has no coordinate reference system, so it cannot be placed on the map"),
                 {path});
  return r;
}

Status checkBand(const RasterInfo& info, int band) {
  if (band < 1 || band > info.bandCount())
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("band %1 does not exist: %2 has %3 band(s)").arg(band).arg(fileName(info.file)).arg(info.bandCount()),
                 {info.file, std::nullopt, QStringLiteral("band %1").arg(band)});
  return {};
}

//! A VRT of the given bands in that order, so the warper reads only them.
Result<DatasetPtr> selectBands(const OpenedRaster& r, const std::vector<int>& bands) {
  detail::GdalErrorScope errors;
  detail::GdalArgList args;
  args.add(QStringLiteral("-of")).add(QStringLiteral("VRT"));
  for (int b : bands) args.add(QStringLiteral("-b")).add(b);
  GDALTranslateOptions* options = GDALTranslateOptionsNew(args.get(), nullptr);
  DatasetPtr vrt(GDALTranslate("", r.handle(), options, nullptr));
  GDALTranslateOptionsFree(options);
  if (!vrt) return Error(ErrorCode::Internal, errors.failureText(QStringLiteral("band selection failed"), r.info.file), {r.info.file});
  return vrt;
}

//! The source's own resolution in the target CRS, as gdalwarp would choose it
//! (GDALSuggestedWarpOutput2 keeps the number of pixels along the diagonal).
Result<double> resolutionIn(GDALDatasetH source, const Crs& crs, const QString& file) {
  detail::GdalErrorScope errors;
  const QByteArray wkt = crs.wkt().toUtf8();
  detail::StringListPtr options(CSLSetNameValue(nullptr, "DST_SRS", wkt.constData()));
  void* transformer = GDALCreateGenImgProjTransformer2(source, nullptr, options.get());
  if (!transformer)
    return Error(ErrorCode::TransformFailed,
                 QStringLiteral("cannot transform the raster to %1: %2").arg(crs.label(), errors.failureText({}, file)), {file});
  double gt[6];
  int pixels = 0, lines = 0;
  double extent[4];
  const CPLErr err = GDALSuggestedWarpOutput2(source, GDALGenImgProjTransform, transformer, gt, &pixels, &lines, extent, 0);
  GDALDestroyGenImgProjTransformer(transformer);
  if (err != CE_None || !(gt[1] > 0.0) || !std::isfinite(gt[1]))
    return Error(ErrorCode::TransformFailed,
                 QStringLiteral("cannot express the raster's pixels in %1: %2").arg(crs.label(), errors.failureText({}, file)), {file});
  return gt[1];
}

//! The source's footprint in the target CRS intersected with the target extent.
Result<Extent> overlapWithExtent(const RasterInfo& info, const CoordinateTransform& toTarget, const ImportTarget& target) {
  auto footprint = toTarget.transformExtent(info.extent);
  if (!footprint)
    return Error(ErrorCode::TransformFailed,
                 QStringLiteral("cannot transform the raster's extent to %1: %2").arg(target.crs.label(), footprint.error().message()),
                 {info.file});
  const Extent overlap = footprint->intersected(target.extent);
  if (overlap.isEmpty() || !(overlap.width() > 0.0) || !(overlap.height() > 0.0))
    return Error(ErrorCode::OutOfExtent,
                 QStringLiteral("the raster (%1 in %3) does not overlap the scenario extent (%2)")
                     .arg(extentText(*footprint), extentText(target.extent), target.crs.label()),
                 {info.file});
  return overlap;
}

//! A north-up grid of `cell`-sized pixels anchored at the top-left corner of `area`, covering it.
struct Grid {
  GeoTransform geoTransform{};
  int width = 0;
  int height = 0;
};

Result<Grid> gridOver(const Extent& area, double cell, const ImportTarget& target, const QString& file) {
  // A hair below a whole number of cells is that number (extents computed through transforms).
  const double cols = std::ceil(area.width() / cell - 1e-9);
  const double rows = std::ceil(area.height() / cell - 1e-9);
  const double pixels = std::max(cols, 1.0) * std::max(rows, 1.0);
  if (!(pixels <= double(target.limits.maxRasterPixels)) || cols > std::numeric_limits<int>::max() / 2 ||
      rows > std::numeric_limits<int>::max() / 2)
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("the output would be %1 × %2 = %3 pixels at %4 m, above the limit of %5 pixels (maxRasterPixels)")
                     .arg(cols, 0, 'f', 0)
                     .arg(rows, 0, 'f', 0)
                     .arg(pixels, 0, 'f', 0)
                     .arg(metres(cell))
                     .arg(target.limits.maxRasterPixels),
                 {file});
  Grid g;
  g.width = std::max(int(cols), 1);
  g.height = std::max(int(rows), 1);
  g.geoTransform = {area.xMin, cell, 0.0, area.yMax, 0.0, -cell};
  return g;
}

Extent gridExtent(const Grid& g) {
  return {g.geoTransform[0], g.geoTransform[3] + g.height * g.geoTransform[5], g.geoTransform[0] + g.width * g.geoTransform[1],
          g.geoTransform[3]};
}

//! Warps `source` (already band-selected) onto `grid` in `crs`. `format` MEM materialises the
//! result; VRT warps lazily as it is read (imagery: memory stays at one strip).
Result<DatasetPtr> warpOnto(GDALDatasetH source, const Grid& grid, const Crs& crs, const QString& resampling, const QString& format,
                            const QString& file, Feedback* feedback) {
  detail::GdalErrorScope errors;
  const Extent e = gridExtent(grid);
  detail::GdalArgList args;
  args.add(QStringLiteral("-of")).add(format);
  args.add(QStringLiteral("-t_srs")).add(crs.definition());
  args.add(QStringLiteral("-te")).add(e.xMin).add(e.yMin).add(e.xMax).add(e.yMax);
  args.add(QStringLiteral("-ts")).add(grid.width).add(grid.height);
  args.add(QStringLiteral("-r")).add(resampling);
  args.add(QStringLiteral("-ot")).add(QStringLiteral("Float32"));
  args.add(QStringLiteral("-dstnodata")).add(QStringLiteral("nan"));
  args.add(QStringLiteral("-wo")).add(QStringLiteral("INIT_DEST=NO_DATA"));
  GDALWarpAppOptions* options = GDALWarpAppOptionsNew(args.get(), nullptr);
  if (feedback) GDALWarpAppOptionsSetProgress(options, &Feedback::gdalProgress, feedback);
  int usageError = 0;
  DatasetPtr warped(GDALWarp("", nullptr, 1, &source, options, &usageError));
  GDALWarpAppOptionsFree(options);
  if (feedback && feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("warping was cancelled"), {file});
  if (!warped || errors.hasFailure())
    return Error(ErrorCode::CorruptData,
                 QStringLiteral("warping failed: %1").arg(errors.failureText(QStringLiteral("unknown GDAL error"), file)), {file});
  return warped;
}

//! Source pixels [c0, c1) × [r0, r1) covering `area` (target CRS), clipped to the raster.
struct PixelWindow {
  int c0 = 0, r0 = 0, c1 = 0, r1 = 0;
  qint64 pixels() const { return qint64(std::max(c1 - c0, 0)) * qint64(std::max(r1 - r0, 0)); }
};

PixelWindow sourceWindow(const RasterInfo& info, const CoordinateTransform& toTarget, const Extent& area) {
  PixelWindow w{0, 0, info.width, info.height};
  auto inSource = toTarget.inverseExtent(area);
  if (!inSource) return w;  // cannot narrow it down: the whole raster
  Extent px;
  for (PointXY corner : {PointXY{inSource->xMin, inSource->yMin}, PointXY{inSource->xMax, inSource->yMin},
                         PointXY{inSource->xMin, inSource->yMax}, PointXY{inSource->xMax, inSource->yMax}})
    if (auto p = worldToPixel(info.geoTransform, corner)) px.include(*p);
  if (px.isEmpty()) return w;
  // One pixel of margin: bilinear resampling reads the neighbours of the edge pixels too.
  w.c0 = std::clamp(int(std::floor(px.xMin)) - 1, 0, info.width);
  w.r0 = std::clamp(int(std::floor(px.yMin)) - 1, 0, info.height);
  w.c1 = std::clamp(int(std::ceil(px.xMax)) + 1, 0, info.width);
  w.r1 = std::clamp(int(std::ceil(px.yMax)) + 1, 0, info.height);
  return w;
}

//! The p-th percentile (0..100) of `values`, linearly interpolated between the order statistics
//! either side of rank p/100 · (n − 1) (numpy's default). Reorders `values`.
double percentile(std::vector<float>& values, double p) {
  const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * double(values.size() - 1);
  const std::size_t lo = std::size_t(std::floor(rank));
  std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(lo), values.end());
  const double a = values[lo];
  if (lo + 1 >= values.size()) return a;
  const double b = *std::min_element(values.begin() + std::ptrdiff_t(lo) + 1, values.end());
  return a + (rank - double(lo)) * (b - a);
}

struct Stretch {
  double low = 0.0;
  double high = 255.0;
  std::uint8_t apply(double v) const {
    // A flat band (high = low) is stretched as if high = low + 1: its one value becomes 0.
    const double span = high > low ? high - low : 1.0;
    return std::uint8_t(std::clamp(std::lround((v - low) / span * 255.0), 0L, 255L));
  }
};

//! The stretch of one source band from the valid pixels of `window` (nodata and NaN excluded).
Result<Stretch> stretchFor(const OpenedRaster& r, int band, const PixelWindow& window, const ImageryImportOptions& options) {
  const QString& file = r.info.file;
  const RasterBandInfo& bi = r.info.bands[std::size_t(band - 1)];
  if (bi.dataType == QStringLiteral("Byte") && options.lowPercentile <= 0.0 && options.highPercentile >= 100.0) return Stretch{0.0, 255.0};
  const int ww = window.c1 - window.c0, wh = window.r1 - window.r0;
  const double step = std::max(1.0, std::sqrt(double(window.pixels()) / double(kMaxStretchSamples)));
  const int bw = std::max(1, int(std::ceil(ww / step))), bh = std::max(1, int(std::ceil(wh / step)));
  std::vector<float> values;
  try {
    values.resize(std::size_t(bw) * std::size_t(bh));
  } catch (const std::bad_alloc&) {
    return Error(ErrorCode::Io, QStringLiteral("not enough memory for the stretch statistics"), {file});
  }
  detail::GdalErrorScope errors;
  // Decimated reads use nearest neighbour (GDAL's default): a sample of real values, not averages
  // that would narrow the percentiles.
  if (GDALRasterIO(GDALGetRasterBand(r.handle(), band), GF_Read, window.c0, window.r0, ww, wh, values.data(), bw, bh, GDT_Float32, 0, 0) !=
      CE_None)
    return Error(ErrorCode::CorruptData,
                 QStringLiteral("reading band %1 failed: %2").arg(band).arg(errors.failureText(QStringLiteral("unknown GDAL error"), file)),
                 {file, std::nullopt, QStringLiteral("band %1").arg(band)});
  const std::optional<float> noData = bi.noData ? std::optional<float>(float(*bi.noData)) : std::nullopt;
  std::erase_if(values, [&](float v) { return std::isnan(v) || (noData && v == *noData); });
  if (values.empty())
    return Error(ErrorCode::InvalidValue, QStringLiteral("band %1 has no valid pixels over the scenario extent").arg(band),
                 {file, std::nullopt, QStringLiteral("band %1").arg(band)});
  Stretch s;
  s.low = percentile(values, options.lowPercentile);
  s.high = percentile(values, options.highPercentile);
  return s;
}

}  // namespace

Result<ImportedImagery> importImagery(const ImageryImportOptions& options, const ImportTarget& target, ImportReport* report,
                                      Feedback* feedback) {
  detail::ensureGdalRegistered();
  const QString& file = options.path;
  if (file.isEmpty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("no imagery file given"));
  if (Status s = checkTarget(target, file); !s) return s.error();
  if (!(options.lowPercentile >= 0.0 && options.lowPercentile < options.highPercentile && options.highPercentile <= 100.0))
    return Error(
        ErrorCode::InvalidArgument,
        QStringLiteral("the stretch percentiles %1–%2 are not 0 ≤ low < high ≤ 100").arg(options.lowPercentile).arg(options.highPercentile),
        {file});
  if (!(options.pixelSize >= 0.0) || !std::isfinite(options.pixelSize))
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the pixel size %1 is not ≥ 0").arg(options.pixelSize), {file});

  auto opened = openRaster(file);
  if (!opened) return opened.error();
  const OpenedRaster& r = *opened;
  const std::vector<int> bands(options.bands.begin(), options.bands.end());
  for (int b : bands)
    if (Status s = checkBand(r.info, b); !s) return s.error();

  auto toTarget = CoordinateTransform::create(r.info.crs, target.crs);
  if (!toTarget) return toTarget.error().withFile(file);
  auto overlap = overlapWithExtent(r.info, *toTarget, target);
  if (!overlap) return overlap.error();
  auto selected = selectBands(r, bands);
  if (!selected) return selected.error();
  GDALDatasetH selectedHandle = static_cast<GDALDatasetH>(selected->get());
  auto sourceResolution = resolutionIn(selectedHandle, target.crs, file);
  if (!sourceResolution) return sourceResolution.error();
  // Never upsample: a finer grid would only interpolate, and would let a 30 m scene pass for an ortho.
  const double pixel = std::max(options.pixelSize, *sourceResolution);
  if (options.pixelSize > 0.0 && options.pixelSize < *sourceResolution && report)
    report->append(QStringLiteral("%1: %2 m/px asked, but the source has %3 m/px; imagery is never upsampled, so it stays at %3 m/px")
                       .arg(fileName(file), metres(options.pixelSize), metres(*sourceResolution)));
  auto grid = gridOver(*overlap, pixel, target, file);
  if (!grid) return grid.error();

  // The stretch comes from the source pixels under the output, so a city cut from a whole scene is
  // stretched for the city, not for the sea around it.
  ImportedImagery out;
  const PixelWindow window = sourceWindow(r.info, *toTarget, gridExtent(*grid));
  for (std::size_t i = 0; i < 3; ++i) {
    auto s = stretchFor(r, bands[i], window, options);
    if (!s) return s.error();
    out.stretchLow[i] = s->low;
    out.stretchHigh[i] = s->high;
  }
  if (Status s = cancelled(feedback, QStringLiteral("the imagery import"), file); !s) return s.error();
  if (feedback) feedback->setProgress(0.1, QStringLiteral("warping %1").arg(fileName(file)));

  // Bilinear: a smooth picture at the source's resolution; nearest would shift edges by up to half
  // a pixel and cubic can ring at bright roofs. The warp is a VRT, done strip by strip as read.
  auto warped = warpOnto(selectedHandle, *grid, target.crs, QStringLiteral("bilinear"), QStringLiteral("VRT"), file, nullptr);
  if (!warped) return warped.error();

  const std::size_t plane = std::size_t(grid->width) * std::size_t(grid->height);
  std::vector<std::uint8_t> rgb;
  try {
    rgb.assign(plane * 3, 0);
  } catch (const std::bad_alloc&) {
    return Error(ErrorCode::Io, QStringLiteral("not enough memory for %1 × %2 pixels of imagery").arg(grid->width).arg(grid->height),
                 {file});
  }
  const Stretch stretches[3] = {
      {out.stretchLow[0], out.stretchHigh[0]}, {out.stretchLow[1], out.stretchHigh[1]}, {out.stretchLow[2], out.stretchHigh[2]}};
  std::vector<float> strip(std::size_t(grid->width) * kStripRows * 3);
  std::size_t validPixels = 0;
  detail::GdalErrorScope errors;
  for (int row0 = 0; row0 < grid->height; row0 += kStripRows) {
    if (Status s = cancelled(feedback, QStringLiteral("the imagery import"), file); !s) return s.error();
    const int rows = std::min(kStripRows, grid->height - row0);
    const std::size_t n = std::size_t(grid->width) * std::size_t(rows);
    if (GDALDatasetRasterIO(static_cast<GDALDatasetH>(warped->get()), GF_Read, 0, row0, grid->width, rows, strip.data(), grid->width, rows,
                            GDT_Float32, 3, nullptr, 0, 0, 0) != CE_None ||
        errors.hasFailure())
      return Error(ErrorCode::CorruptData,
                   QStringLiteral("reading pixels failed: %1").arg(errors.failureText(QStringLiteral("unknown GDAL error"), file)), {file});
    for (std::size_t i = 0; i < n; ++i) {
      const float v[3] = {strip[i], strip[n + i], strip[2 * n + i]};
      // A pixel with any band missing is black in all three: a half-coloured edge would look like data.
      if (std::isnan(v[0]) || std::isnan(v[1]) || std::isnan(v[2])) continue;
      ++validPixels;
      const std::size_t at = std::size_t(row0) * std::size_t(grid->width) + i;
      for (std::size_t b = 0; b < 3; ++b) rgb[b * plane + at] = stretches[b].apply(v[b]);
    }
    if (feedback) feedback->setProgress(0.1 + 0.9 * double(row0 + rows) / grid->height);
  }

  out.image.geoTransform = grid->geoTransform;
  out.image.width = grid->width;
  out.image.height = grid->height;
  out.image.rgb = std::move(rgb);
  out.sourcePixelSize = *sourceResolution;
  out.pixelSize = pixel;

  QString coarseness;
  if (pixel > 1.5 * kModelPixelSize)
    coarseness = QStringLiteral(" — much coarser than the model's %1 m/px").arg(kModelPixelSize);
  else if (pixel > 1.05 * kModelPixelSize)
    coarseness = QStringLiteral(" — coarser than the model's %1 m/px").arg(kModelPixelSize);
  out.description = QStringLiteral("%1: bands %2,%3,%4, %5 m/px, stretch %6–%7")
                        .arg(fileName(file))
                        .arg(bands[0])
                        .arg(bands[1])
                        .arg(bands[2])
                        .arg(metres(pixel))
                        .arg(options.lowPercentile)
                        .arg(options.highPercentile) +
                    QStringLiteral(" %") + coarseness;
  if (report) {
    report->append(out.description);
    const double validFraction = double(validPixels) / double(plane);
    if (validFraction < 0.999)
      report->append(QStringLiteral("%1: %2 % of the imagery grid has no data (nodata or outside the source) and is black")
                         .arg(fileName(file))
                         .arg(100.0 * (1.0 - validFraction), 0, 'f', 1));
  }
  if (feedback) feedback->setProgress(1.0);
  return out;
}

namespace {

ImportedPopulation finishPopulation(const Grid& grid, std::vector<float> values, double sourceTotal) {
  ImportedPopulation out;
  out.grid.geoTransform = grid.geoTransform;
  out.grid.width = grid.width;
  out.grid.height = grid.height;
  double total = 0.0;
  for (float v : values)
    if (!std::isnan(v)) total += v;
  out.grid.values = std::move(values);
  out.sourceTotal = sourceTotal;
  out.importedTotal = total;
  return out;
}

Result<ImportedPopulation> populationFromRaster(const PopulationImportOptions& options, const ImportTarget& target, ImportReport* report,
                                                Feedback* feedback) {
  const QString& file = options.path;
  auto opened = openRaster(file);
  if (!opened) return opened.error();
  const OpenedRaster& r = *opened;
  if (Status s = checkBand(r.info, options.band); !s) return s.error();
  const QString bandField = QStringLiteral("band %1").arg(options.band);
  auto toTarget = CoordinateTransform::create(r.info.crs, target.crs);
  if (!toTarget) return toTarget.error().withFile(file);
  auto overlap = overlapWithExtent(r.info, *toTarget, target);
  if (!overlap) return overlap.error();
  auto grid = gridOver(*overlap, options.cellSize, target, file);
  if (!grid) return grid.error();

  // The source total: valid pixels whose centres lie inside the extent. The same pass refuses
  // negative counts, which no resampling could make sense of, and copies the window with every
  // pixel outside the extent set to nodata, so the warp below spreads exactly the people counted
  // (the grid's last column and row may reach past the extent; no one from there gets in).
  const PixelWindow window = sourceWindow(r.info, *toTarget, target.extent.intersected(*overlap));
  if (window.pixels() > kMaxSourceWindowPixels)
    return Error(
        ErrorCode::InvalidArgument,
        QStringLiteral("the raster has %1 pixels over the scenario extent, above the limit of %2; use a coarser raster or a smaller extent")
            .arg(window.pixels())
            .arg(kMaxSourceWindowPixels),
        {file, std::nullopt, bandField});
  const std::optional<double> noData = r.info.bands[std::size_t(options.band - 1)].noData;
  GDALRasterBandH band = GDALGetRasterBand(r.handle(), options.band);
  const int ww = window.c1 - window.c0, wh = window.r1 - window.r0;
  std::vector<float> masked;
  try {
    masked.assign(std::size_t(window.pixels()), std::numeric_limits<float>::quiet_NaN());
  } catch (const std::bad_alloc&) {
    return Error(ErrorCode::Io, QStringLiteral("not enough memory for %1 × %2 source pixels").arg(ww).arg(wh), {file});
  }
  std::vector<double> line(static_cast<std::size_t>(ww));
  std::vector<PointXY> centres(line.size());
  std::vector<int> columns(line.size());
  double sourceTotal = 0.0;
  detail::GdalErrorScope errors;
  for (int row = window.r0; row < window.r1; ++row) {
    if ((row - window.r0) % 256 == 0) {
      if (Status s = cancelled(feedback, QStringLiteral("the population import"), file); !s) return s.error();
      if (feedback) feedback->setProgress(0.5 * double(row - window.r0) / std::max(1, wh));
    }
    if (GDALRasterIO(band, GF_Read, window.c0, row, ww, 1, line.data(), ww, 1, GDT_Float64, 0, 0) != CE_None)
      return Error(ErrorCode::CorruptData,
                   QStringLiteral("reading row %1 failed: %2").arg(row).arg(errors.failureText(QStringLiteral("unknown GDAL error"), file)),
                   {file, std::nullopt, bandField});
    std::size_t n = 0;
    for (int i = 0; i < ww; ++i) {
      const double v = line[std::size_t(i)];
      if (std::isnan(v) || (noData && v == *noData)) continue;
      if (v < 0.0 || !std::isfinite(v))
        return Error(ErrorCode::InvalidValue,
                     QStringLiteral("pixel (column %1, row %2, 0-based) holds %3: a count of people must be a finite number ≥ 0")
                         .arg(window.c0 + i)
                         .arg(row)
                         .arg(v),
                     {file, std::nullopt, bandField});
      columns[n] = i;
      centres[n++] = pixelToWorld(r.info.geoTransform, window.c0 + i + 0.5, row + 0.5);
    }
    if (n == 0) continue;
    if (Status s = toTarget->transform(std::span<PointXY>(centres.data(), n)); !s) return s.error().withFile(file);
    float* out = masked.data() + std::size_t(row - window.r0) * std::size_t(ww);
    for (std::size_t k = 0; k < n; ++k)
      if (target.extent.contains(centres[k])) {
        const double v = line[std::size_t(columns[k])];
        sourceTotal += v;
        out[columns[k]] = float(v);
      }
  }

  // GDAL's "sum" adds each source pixel into the cells it covers, weighted by the share of it each
  // covers, so people are neither created nor lost by the change of cell size. What the warper's
  // approximate transformer still moves (≪ 1 %) is put right by rescaling to the source total.
  if (feedback) feedback->setProgress(0.5, QStringLiteral("resampling %1").arg(fileName(file)));
  DatasetPtr source(GDALCreate(GDALGetDriverByName("MEM"), "", ww, wh, 1, GDT_Float32, nullptr));
  if (!source) return Error(ErrorCode::Internal, errors.failureText(QStringLiteral("cannot create a memory raster"), file), {file});
  {
    GeoTransform gt = r.info.geoTransform;
    const PointXY origin = pixelToWorld(gt, window.c0, window.r0);
    gt[0] = origin.x;
    gt[3] = origin.y;
    GDALSetGeoTransform(source.get(), gt.data());
    GDALSetProjection(source.get(), GDALGetProjectionRef(r.handle()));
    GDALRasterBandH sourceBand = GDALGetRasterBand(source.get(), 1);
    GDALSetRasterNoDataValue(sourceBand, std::numeric_limits<double>::quiet_NaN());
    if (GDALRasterIO(sourceBand, GF_Write, 0, 0, ww, wh, masked.data(), ww, wh, GDT_Float32, 0, 0) != CE_None)
      return Error(ErrorCode::Internal, errors.failureText(QStringLiteral("cannot fill a memory raster"), file), {file});
  }
  masked = {};
  Feedback warpFeedback = Feedback::childOf(feedback, 0.5, 0.95);
  auto warped = warpOnto(source.get(), *grid, target.crs, QStringLiteral("sum"), QStringLiteral("MEM"), file, &warpFeedback);
  if (!warped) return warped.error();
  std::vector<float> values;
  try {
    values.resize(std::size_t(grid->width) * std::size_t(grid->height));
  } catch (const std::bad_alloc&) {
    return Error(ErrorCode::Io, QStringLiteral("not enough memory for %1 × %2 population cells").arg(grid->width).arg(grid->height),
                 {file});
  }
  if (GDALRasterIO(GDALGetRasterBand(static_cast<GDALDatasetH>(warped->get()), 1), GF_Read, 0, 0, grid->width, grid->height, values.data(),
                   grid->width, grid->height, GDT_Float32, 0, 0) != CE_None)
    return Error(
        ErrorCode::CorruptData,
        QStringLiteral("reading the resampled grid failed: %1").arg(errors.failureText(QStringLiteral("unknown GDAL error"), file)),
        {file});
  double warpedTotal = 0.0;
  for (float v : values)
    if (!std::isnan(v)) warpedTotal += v;
  double scale = 1.0;
  if (warpedTotal > 0.0) {
    scale = sourceTotal / warpedTotal;
    for (float& v : values)
      if (!std::isnan(v)) v = float(v * scale);
  } else if (sourceTotal > 0.0) {
    return Error(ErrorCode::Internal, QStringLiteral("resampling lost all %1 people").arg(people(sourceTotal)),
                 {file, std::nullopt, bandField});
  }

  ImportedPopulation out = finishPopulation(*grid, std::move(values), sourceTotal);
  // A geographic source (WorldPop, GHSL in EPSG:4326) has pixels in degrees.
  const double sourcePixel = std::min(r.info.pixelSizeX(), r.info.pixelSizeY());
  const QString sourcePixelText =
      r.info.crs.isGeographic() ? QString::number(sourcePixel, 'g', 3) + QStringLiteral("°") : metres(sourcePixel) + QStringLiteral(" m");
  out.description = QStringLiteral("%1 band %2: %3 people inside the extent, %4 pixels summed into %5 m cells")
                        .arg(fileName(file))
                        .arg(options.band)
                        .arg(people(sourceTotal), sourcePixelText, metres(options.cellSize));
  if (report) {
    report->append(out.description);
    if (std::abs(scale - 1.0) > 1e-3)
      report->append(
          QStringLiteral("%1: the resampled grid was rescaled by %2 to keep the source total").arg(fileName(file)).arg(scale, 0, 'f', 4));
  }
  if (feedback) feedback->setProgress(1.0);
  return out;
}

GeometryPtr rectangle(const Extent& e) {
  OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
  OGR_G_AddPoint_2D(ring, e.xMin, e.yMin);
  OGR_G_AddPoint_2D(ring, e.xMax, e.yMin);
  OGR_G_AddPoint_2D(ring, e.xMax, e.yMax);
  OGR_G_AddPoint_2D(ring, e.xMin, e.yMax);
  OGR_G_AddPoint_2D(ring, e.xMin, e.yMin);
  OGRGeometryH polygon = OGR_G_CreateGeometry(wkbPolygon);
  OGR_G_AddGeometryDirectly(polygon, ring);
  return GeometryPtr(polygon);
}

Extent envelope(OGRGeometryH g) {
  OGREnvelope env;
  OGR_G_GetEnvelope(g, &env);
  return {env.MinX, env.MinY, env.MaxX, env.MaxY};
}

//! Area of a ∩ b (0 when they do not meet); nullopt when GEOS fails.
std::optional<double> intersectionArea(OGRGeometryH a, OGRGeometryH b, GeometryPtr* piece = nullptr) {
  GeometryPtr i(OGR_G_Intersection(a, b));
  if (!i) return std::nullopt;
  const double area = OGR_G_IsEmpty(i.get()) ? 0.0 : OGR_G_Area(i.get());
  if (piece) *piece = std::move(i);
  return area;
}

struct CountedPolygon {
  qint64 row = 0;
  double count = 0.0;
  double area = 0.0;  //!< whole polygon, target CRS
  GeometryPtr inExtent;
  Extent bounds;  //!< of inExtent
};

Result<ImportedPopulation> populationFromPolygons(const PopulationImportOptions& options, const ImportTarget& target, ImportReport* report,
                                                  Feedback* feedback) {
  const QString& file = options.path;
  const QString& field = options.field;
  Feedback readFeedback = Feedback::childOf(feedback, 0.0, 0.2, QStringLiteral("reading"));
  auto layer = readVectorLayer(file, {}, &readFeedback);
  if (!layer) return layer.error();
  if (!layer->fieldNames.contains(field))
    return Error(ErrorCode::MissingField,
                 QStringLiteral("no field '%1' (the layer has: %2)").arg(field, layer->fieldNames.join(QStringLiteral(", "))),
                 {file, std::nullopt, field});
  if (!layer->crs.isValid())
    return Error(ErrorCode::UnknownCrs, QStringLiteral("the layer has no coordinate reference system, so it cannot be placed on the map"),
                 {file});
  if (qint64(layer->features.size()) > target.limits.maxFeatures)
    return Error(
        ErrorCode::InvalidArgument,
        QStringLiteral("%1 features, above the limit of %2 (maxFeatures)").arg(layer->features.size()).arg(target.limits.maxFeatures),
        {file});
  auto toTarget = CoordinateTransform::create(layer->crs, target.crs);
  if (!toTarget) return toTarget.error().withFile(file);

  GeometryPtr extentRect = rectangle(target.extent);
  detail::GdalErrorScope errors;
  std::vector<CountedPolygon> polygons;
  double layerTotal = 0.0, sourceTotal = 0.0, outsideTotal = 0.0;
  int outside = 0, partly = 0;
  Extent covered;
  for (std::size_t i = 0; i < layer->features.size(); ++i) {
    const Feature& f = layer->features[i];
    const qint64 row = qint64(i) + 1;
    const QVariant value = f.attributes.value(field);
    bool numeric = false;
    const double count = value.isNull() ? kNaN : value.toDouble(&numeric);
    if (value.isNull()) return Error(ErrorCode::InvalidValue, QStringLiteral("the count is empty, not a number"), {file, row, field});
    if (!numeric || !std::isfinite(count))
      return Error(ErrorCode::InvalidValue, QStringLiteral("the count '%1' is not a number").arg(value.toString().left(40)),
                   {file, row, field});
    if (count < 0.0)
      return Error(ErrorCode::InvalidValue, QStringLiteral("the count %1 is negative: a number of people must be ≥ 0").arg(count),
                   {file, row, field});
    if (f.geometry.isEmpty()) {
      if (count > 0.0)
        return Error(ErrorCode::InvalidGeometry, QStringLiteral("%1 people but no geometry to place them in").arg(count),
                     {file, row, QStringLiteral("geometry")});
      continue;
    }
    if (!f.geometry.isPolygonal())
      return Error(ErrorCode::InvalidGeometry,
                   QStringLiteral("a %1, not a polygon: population counts are spread over polygon areas")
                       .arg(f.geometry.isPuntal() ? QStringLiteral("point") : QStringLiteral("line")),
                   {file, row, QStringLiteral("geometry")});
    layerTotal += count;
    auto projected = toTarget->transform(f.geometry);
    if (!projected) return projected.error().withFile(file).withRow(row);
    GeometryPtr g(detail::toOgr(*projected));
    const double area = OGR_G_Area(g.get());
    if (!(area > 0.0)) {
      if (count > 0.0)
        return Error(ErrorCode::InvalidGeometry, QStringLiteral("%1 people in a polygon without area").arg(count),
                     {file, row, QStringLiteral("geometry")});
      continue;
    }
    if (!envelope(g.get()).intersects(target.extent)) {
      ++outside;
      outsideTotal += count;
      continue;
    }
    GeometryPtr inExtent;
    auto clipped = intersectionArea(g.get(), extentRect.get(), &inExtent);
    if (!clipped)
      return Error(
          ErrorCode::InvalidGeometry,
          QStringLiteral("cannot intersect the polygon with the extent: %1").arg(errors.failureText(QStringLiteral("GEOS failed"), file)),
          {file, row, QStringLiteral("geometry")});
    if (!(*clipped > 0.0)) {
      ++outside;
      outsideTotal += count;
      continue;
    }
    if (*clipped < area * (1.0 - 1e-9)) ++partly;
    sourceTotal += count * *clipped / area;
    CountedPolygon p;
    p.row = row;
    p.count = count;
    p.area = area;
    p.bounds = envelope(inExtent.get());
    p.inExtent = std::move(inExtent);
    covered.include(p.bounds);
    polygons.push_back(std::move(p));
  }
  if (polygons.empty())
    return Error(ErrorCode::OutOfExtent,
                 QStringLiteral("none of the %1 polygons overlaps the scenario extent (%2 in %3)")
                     .arg(layer->features.size())
                     .arg(extentText(target.extent), target.crs.label()),
                 {file});
  const Extent area = covered.intersected(target.extent);
  auto grid = gridOver(area, options.cellSize, target, file);
  if (!grid) return grid.error();
  const double cell = options.cellSize;
  const double x0 = grid->geoTransform[0], y0 = grid->geoTransform[3];
  const auto colOf = [&](double x) { return std::clamp(int(std::floor((x - x0) / cell)), 0, grid->width - 1); };
  const auto rowOf = [&](double y) { return std::clamp(int(std::floor((y0 - y) / cell)), 0, grid->height - 1); };
  qint64 pairs = 0;
  for (const CountedPolygon& p : polygons)
    pairs += qint64(colOf(p.bounds.xMax) - colOf(p.bounds.xMin) + 1) * qint64(rowOf(p.bounds.yMin) - rowOf(p.bounds.yMax) + 1);
  if (pairs > kMaxPolygonCellPairs)
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("spreading %1 polygons over %2 m cells means %3 polygon–cell intersections, above the limit of %4; "
                                "choose larger cells")
                     .arg(polygons.size())
                     .arg(metres(cell))
                     .arg(pairs)
                     .arg(kMaxPolygonCellPairs),
                 {file});

  // Exact shares: each polygon (already clipped to the extent) is cut into row strips, and each
  // strip into cells, with OGR (GEOS) intersections in the scenario CRS. A cell then holds
  // Σ count · area(polygon ∩ cell) / area(polygon); cells no polygon reaches stay NaN.
  std::vector<double> sums(std::size_t(grid->width) * std::size_t(grid->height), 0.0);
  std::vector<bool> touched(sums.size(), false);
  const Extent gridArea = gridExtent(*grid);
  for (std::size_t k = 0; k < polygons.size(); ++k) {
    const CountedPolygon& p = polygons[k];
    if (k % 64 == 0) {
      if (Status s = cancelled(feedback, QStringLiteral("the population import"), file); !s) return s.error();
      if (feedback) feedback->setProgress(0.2 + 0.8 * double(k) / double(polygons.size()), QStringLiteral("spreading by area"));
    }
    const int rowFirst = rowOf(p.bounds.yMax), rowLast = rowOf(p.bounds.yMin);
    for (int row = rowFirst; row <= rowLast; ++row) {
      const Extent stripRect{gridArea.xMin, y0 - (row + 1) * cell, gridArea.xMax, y0 - row * cell};
      GeometryPtr stripRectGeometry = rectangle(stripRect);
      GeometryPtr strip;
      auto stripArea = intersectionArea(p.inExtent.get(), stripRectGeometry.get(), &strip);
      if (!stripArea)
        return Error(ErrorCode::InvalidGeometry,
                     QStringLiteral("cannot cut the polygon into cells: %1").arg(errors.failureText(QStringLiteral("GEOS failed"), file)),
                     {file, p.row, QStringLiteral("geometry")});
      if (!(*stripArea > 0.0)) continue;
      const Extent stripBounds = envelope(strip.get());
      const int colFirst = colOf(stripBounds.xMin), colLast = colOf(stripBounds.xMax);
      for (int col = colFirst; col <= colLast; ++col) {
        double a = *stripArea;
        if (colFirst != colLast) {
          GeometryPtr cellRect = rectangle({x0 + col * cell, stripRect.yMin, x0 + (col + 1) * cell, stripRect.yMax});
          auto cellArea = intersectionArea(strip.get(), cellRect.get());
          if (!cellArea)
            return Error(
                ErrorCode::InvalidGeometry,
                QStringLiteral("cannot cut the polygon into cells: %1").arg(errors.failureText(QStringLiteral("GEOS failed"), file)),
                {file, p.row, QStringLiteral("geometry")});
          a = *cellArea;
        }
        if (!(a > 0.0)) continue;
        const std::size_t at = std::size_t(row) * std::size_t(grid->width) + std::size_t(col);
        sums[at] += p.count * a / p.area;
        touched[at] = true;
      }
    }
  }
  std::vector<float> values(sums.size());
  for (std::size_t i = 0; i < sums.size(); ++i) values[i] = touched[i] ? float(sums[i]) : std::numeric_limits<float>::quiet_NaN();

  ImportedPopulation out = finishPopulation(*grid, std::move(values), sourceTotal);
  out.description = QStringLiteral("%1: %2 polygons, field %3, %4 people inside the extent, spread by area into %5 m cells")
                        .arg(fileName(file))
                        .arg(polygons.size())
                        .arg(field, people(sourceTotal), metres(cell));
  if (report) {
    report->append(out.description);
    if (outside > 0)
      report->append(QStringLiteral("%1: %2 polygons (%3 people) lie wholly outside the extent: dropped")
                         .arg(fileName(file))
                         .arg(outside)
                         .arg(people(outsideTotal)));
    if (partly > 0)
      report->append(
          QStringLiteral("%1: %2 polygons reach past the extent: only the share of their count inside it is kept (%3 of %4 people)")
              .arg(fileName(file))
              .arg(partly)
              .arg(people(sourceTotal), people(layerTotal - outsideTotal)));
  }
  if (feedback) feedback->setProgress(1.0);
  return out;
}

}  // namespace

Result<ImportedPopulation> importPopulation(const PopulationImportOptions& options, const ImportTarget& target, ImportReport* report,
                                            Feedback* feedback) {
  detail::ensureGdalRegistered();
  const QString& file = options.path;
  if (file.isEmpty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("no population file given"));
  if (Status s = checkTarget(target, file); !s) return s.error();
  if (!(options.cellSize > 0.0) || !std::isfinite(options.cellSize))
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the cell size %1 m is not positive").arg(options.cellSize), {file});
  if (!options.field.isEmpty()) return populationFromPolygons(options, target, report, feedback);
  if (!QFileInfo::exists(file)) return Error(ErrorCode::FileNotFound, QStringLiteral("no such file"), {file});
  // A vector file given without a count field is a usage mistake, not an unreadable raster.
  {
    detail::GdalErrorScope quiet;
    DatasetPtr vector(GDALOpenEx(QFile::encodeName(file).constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    DatasetPtr raster(GDALOpenEx(QFile::encodeName(file).constData(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    if (vector && !raster)
      return Error(ErrorCode::MissingField, QStringLiteral("a vector file: population polygons need a count field (--population-field)"),
                   {file});
  }
  return populationFromRaster(options, target, report, feedback);
}

Result<double> rasterResolutionIn(const QString& path, const Crs& crs) {
  detail::ensureGdalRegistered();
  detail::GdalErrorScope errors;
  detail::DatasetPtr source(GDALOpenEx(path.toUtf8().constData(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!source) return Error(ErrorCode::UnsupportedFormat, QStringLiteral("not a raster GDAL can read"), {path});
  return resolutionIn(source.get(), crs, path);
}

}  // namespace netspatial::core
