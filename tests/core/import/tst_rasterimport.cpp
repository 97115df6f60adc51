// The raster modalities of the generic importer (issue 19): Olinda's Landsat warped into another
// UTM zone with its colours checked against the source pixels, Olinda's census tracts spread by
// area with the total preserved, a synthetic population raster resampled with its total, and bad
// input that must name the file and the band/row/field.
//
// The expectations are computed here independently of the importer: OGR's own transformations
// and intersections, and the source pixels read with GDAL and interpolated by hand.

#include "tests/comparenear.h"
#include "core/geo/coordinatetransform.h"
#include "core/geo/rasterdataset.h"
#include "core/import/rasterimport.h"
#include "../../testdata.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

using namespace netspatial::core;
using netspatial::tests::writeFile;

namespace {

template <typename R>
QString why(const R& r) {
  return r.ok() ? QString() : r.error().toString();
}

ImportTarget targetFor(int epsg, const Extent& extent) {
  ImportTarget t;
  t.crs = Crs::fromEpsg(epsg).value();
  t.extent = extent;
  return t;
}

struct SrsDeleter {
  void operator()(OGRSpatialReferenceH s) const { OSRDestroySpatialReference(s); }
};
using Srs = std::unique_ptr<std::remove_pointer_t<OGRSpatialReferenceH>, SrsDeleter>;

Srs srsFromEpsg(int epsg) {
  Srs s(OSRNewSpatialReference(nullptr));
  OSRImportFromEPSG(s.get(), epsg);
  OSRSetAxisMappingStrategy(s.get(), OAMS_TRADITIONAL_GIS_ORDER);
  return s;
}

//! OGR's transformation between two EPSG codes (not core's CoordinateTransform: the test checks it).
struct OgrTransform {
  Srs from, to;
  OGRCoordinateTransformationH ct = nullptr;
  OgrTransform(OGRSpatialReferenceH source, int toEpsg) : from(OSRClone(source)), to(srsFromEpsg(toEpsg)) {
    OSRSetAxisMappingStrategy(from.get(), OAMS_TRADITIONAL_GIS_ORDER);
    ct = OCTNewCoordinateTransformation(from.get(), to.get());
  }
  ~OgrTransform() { OCTDestroyCoordinateTransformation(ct); }
  PointXY operator()(PointXY p) const {
    double x = p.x, y = p.y;
    OCTTransform(ct, 1, &x, &y, nullptr);
    return {x, y};
  }
};

//! numpy's default percentile (linear between order statistics), written out plainly.
double percentileOf(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const double rank = p / 100.0 * double(v.size() - 1);
  const std::size_t lo = std::size_t(std::floor(rank));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (rank - double(lo)) * (v[hi] - v[lo]);
}

int stretched(double v, double low, double high) { return int(std::clamp(std::lround((v - low) / (high - low) * 255.0), 0L, 255L)); }

//! A GeoTIFF of `bands` bands filled by value(band, col, row), optional nodata; epsg 0 = no CRS.
QString writeTiff(const QTemporaryDir& dir, const QString& name, int width, int height, int bands, GDALDataType type, const double (&gt)[6],
                  int epsg, const std::function<double(int, int, int)>& value, std::optional<double> noData = std::nullopt) {
  const QString path = dir.filePath(name);
  GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), path.toUtf8().constData(), width, height, bands, type, nullptr);
  double g[6];
  std::copy(gt, gt + 6, g);
  GDALSetGeoTransform(ds, g);
  if (epsg != 0) GDALSetProjection(ds, Crs::fromEpsg(epsg).value().wkt().toUtf8().constData());
  std::vector<double> values(std::size_t(width) * std::size_t(height));
  for (int b = 1; b <= bands; ++b) {
    for (int r = 0; r < height; ++r)
      for (int c = 0; c < width; ++c) values[std::size_t(r) * std::size_t(width) + std::size_t(c)] = value(b, c, r);
    GDALRasterBandH band = GDALGetRasterBand(ds, b);
    if (noData) GDALSetRasterNoDataValue(band, *noData);
    if (GDALRasterIO(band, GF_Write, 0, 0, width, height, values.data(), width, height, GDT_Float64, 0, 0) != CE_None) return {};
  }
  GDALClose(ds);
  return path;
}

QByteArray polygonFeature(const QString& properties, double lon, double lat, double size = 0.001) {
  return QStringLiteral(
             R"({"type": "Feature", "properties": {%1}, "geometry": {"type": "Polygon", "coordinates": [[[%2, %3], [%4, %3], [%4, %5], [%2, %5], [%2, %3]]]}})")
      .arg(properties)
      .arg(lon, 0, 'f', 6)
      .arg(lat, 0, 'f', 6)
      .arg(lon + size, 0, 'f', 6)
      .arg(lat + size, 0, 'f', 6)
      .toUtf8();
}

QByteArray featureCollection(const QList<QByteArray>& features) {
  return "{\"type\": \"FeatureCollection\", \"features\": [" + features.join(",\n") + "]}\n";
}

//! The shapefile's tracts: V014 and geometry in `epsg` (OGR transformation).
struct Tract {
  double count = 0;
  OGRGeometryH geometry = nullptr;  // owned by Tracts
};
struct Tracts {
  std::vector<Tract> tracts;
  ~Tracts() {
    for (Tract& t : tracts) OGR_G_DestroyGeometry(t.geometry);
  }
};

std::unique_ptr<Tracts> readTracts(const QString& path, int epsg) {
  auto out = std::make_unique<Tracts>();
  GDALDatasetH ds = GDALOpenEx(path.toUtf8().constData(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  if (!ds) return out;
  OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
  OgrTransform toTarget(OGR_L_GetSpatialRef(layer), epsg);
  const int field = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(layer), "V014");
  OGR_L_ResetReading(layer);
  while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
    Tract t;
    t.count = OGR_F_GetFieldAsDouble(f, field);
    t.geometry = OGR_G_Clone(OGR_F_GetGeometryRef(f));
    OGR_G_Transform(t.geometry, toTarget.ct);
    out->tracts.push_back(t);
    OGR_F_Destroy(f);
  }
  GDALClose(ds);
  return out;
}

OGRGeometryH rectangle(double x0, double y0, double x1, double y1) {
  OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
  for (auto [x, y] : {std::pair{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}) OGR_G_AddPoint_2D(ring, x, y);
  OGRGeometryH polygon = OGR_G_CreateGeometry(wkbPolygon);
  OGR_G_AddGeometryDirectly(polygon, ring);
  return polygon;
}

double intersectionArea(OGRGeometryH a, OGRGeometryH b) {
  OGRGeometryH i = OGR_G_Intersection(a, b);
  const double area = i ? OGR_G_Area(i) : 0.0;
  OGR_G_DestroyGeometry(i);
  return area;
}

}  // namespace

class TestRasterImport : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { GDALAllRegister(); }

  // --- imagery -----------------------------------------------------------------------------

  void landsatWarpedIntoAnotherUtm_data() {
    QTest::addColumn<int>("epsg");
    QTest::addColumn<bool>("wholeScene");
    // Zone 25S is the source's zone on another datum (WGS 84 instead of SIRGAS 2000); zone 24S
    // turns the grid by ~0.6° and scales it by ~0.2 %, so the warp is not a shift.
    QTest::newRow("UTM 25S, whole scene") << 32725 << true;
    QTest::newRow("UTM 24S, whole scene") << 32724 << true;
    QTest::newRow("UTM 24S, 4 km × 3 km in the centre") << 32724 << false;
  }

  void landsatWarpedIntoAnotherUtm() {
    QFETCH(int, epsg);
    QFETCH(bool, wholeScene);
    NETSPATIAL_SHARED_FILE(path, "olinda/L7_ETMs.tif");
    const RasterInfo source = RasterDataset::open(path).value().info();
    const Crs crs = Crs::fromEpsg(epsg).value();
    const Extent footprint = CoordinateTransform::create(source.crs, crs).value().transformExtent(source.extent).value();
    Extent extent = footprint;
    if (wholeScene) {
      extent = Extent{footprint.xMin - 2000, footprint.yMin - 2000, footprint.xMax + 2000, footprint.yMax + 2000};
    } else {
      extent = Extent::aroundCentre(footprint.centre(), 4000, 3000);
    }
    ImageryImportOptions options;
    options.path = path;
    options.bands = {3, 2, 1};
    ImportReport report;
    auto imported = importImagery(options, targetFor(epsg, extent), &report);
    QVERIFY2(imported.ok(), qPrintable(why(imported)));
    const ImageRaster& img = imported->image;

    // The source's own resolution, measured in the target CRS: 28.5 m (×1.002 in zone 24S).
    NETSPATIAL_COMPARE_NEAR(imported->sourcePixelSize, 28.5, 0.3);
    QCOMPARE(imported->pixelSize, imported->sourcePixelSize);
    QCOMPARE(img.geoTransform[1], imported->pixelSize);
    QCOMPARE(img.geoTransform[5], -imported->pixelSize);
    QCOMPARE(img.geoTransform[2], 0.0);
    QCOMPARE(img.geoTransform[4], 0.0);
    QVERIFY(img.rgb.size() == std::size_t(img.width) * std::size_t(img.height) * 3);
    QVERIFY2(imported->description.contains(QStringLiteral("28.5 m/px")) || imported->description.contains(QStringLiteral("28.6 m/px")),
             qPrintable(imported->description));
    QVERIFY(imported->description.contains(QStringLiteral("bands 3,2,1")));
    QVERIFY(imported->description.contains(QStringLiteral("much coarser than the model's 8 m/px")));
    QVERIFY(report.contains(imported->description));

    // The extent: the requested extent ∩ the footprint, anchored at its top-left corner, at most a
    // pixel wider and taller.
    const Extent expected = footprint.intersected(extent);
    const Extent got = img.extent();
    NETSPATIAL_COMPARE_NEAR(got.xMin, expected.xMin, 1e-6);
    NETSPATIAL_COMPARE_NEAR(got.yMax, expected.yMax, 1e-6);
    QVERIFY(got.xMax >= expected.xMax - 1e-6 && got.xMax < expected.xMax + imported->pixelSize);
    QVERIFY(got.yMin <= expected.yMin + 1e-6 && got.yMin > expected.yMin - imported->pixelSize);
    qInfo("%s: %d × %d px at %.3f m, %s", QTest::currentDataTag(), img.width, img.height, imported->pixelSize,
          qPrintable(imported->description));

    GDALDatasetH ds = GDALOpen(path.toUtf8().constData(), GA_ReadOnly);
    QVERIFY(ds);
    const int sourceBands[3] = {3, 2, 1};
    std::vector<std::vector<double>> planes(3, std::vector<double>(std::size_t(source.width) * std::size_t(source.height)));
    for (int b = 0; b < 3; ++b)
      QCOMPARE(GDALRasterIO(GDALGetRasterBand(ds, sourceBands[b]), GF_Read, 0, 0, source.width, source.height, planes[b].data(),
                            source.width, source.height, GDT_Float64, 0, 0),
               CE_None);
    double gt[6];
    GDALGetGeoTransform(ds, gt);
    OgrTransform toSource(srsFromEpsg(epsg).get(), 31985);
    GDALClose(ds);

    // The stretch: over the whole scene it is the 2nd and 98th percentiles of each whole band.
    if (wholeScene)
      for (int b = 0; b < 3; ++b) {
        NETSPATIAL_COMPARE_NEAR(imported->stretchLow[b], percentileOf(planes[b], 2.0), 1e-9);
        NETSPATIAL_COMPARE_NEAR(imported->stretchHigh[b], percentileOf(planes[b], 98.0), 1e-9);
      }
    for (int b = 0; b < 3; ++b) QVERIFY(imported->stretchHigh[b] > imported->stretchLow[b]);

    // Colours: at a 9 × 9 lattice of output pixels, the colour is the stretch of the source
    // bands 3, 2, 1 interpolated bilinearly at the same ground point (OGR's transformation).
    int checked = 0, black = 0;
    double sumDiff = 0.0, maxDiff = 0.0;
    for (int i = 0; i < 9; ++i)
      for (int j = 0; j < 9; ++j) {
        const int col = (img.width - 1) * i / 8, row = (img.height - 1) * j / 8;
        const PointXY ground = toSource(pixelToWorld(img.geoTransform, col + 0.5, row + 0.5));
        const double sc = (ground.x - gt[0]) / gt[1] - 0.5, sr = (ground.y - gt[3]) / gt[5] - 0.5;
        if (sc < -0.5 || sr < -0.5 || sc > source.width - 0.5 || sr > source.height - 0.5) {
          // Outside the source (the turned corners of zone 24S): black.
          QCOMPARE(int(img.value(0, col, row)) + img.value(1, col, row) + img.value(2, col, row), 0);
          ++black;
          continue;
        }
        if (sc < 1 || sr < 1 || sc > source.width - 2 || sr > source.height - 2) continue;  // edge: neighbours missing
        const int c0 = int(std::floor(sc)), r0 = int(std::floor(sr));
        const double fx = sc - c0, fy = sr - r0;
        for (int b = 0; b < 3; ++b) {
          const auto at = [&](int c, int r) { return planes[b][std::size_t(r) * std::size_t(source.width) + std::size_t(c)]; };
          const double v =
              (1 - fy) * ((1 - fx) * at(c0, r0) + fx * at(c0 + 1, r0)) + fy * ((1 - fx) * at(c0, r0 + 1) + fx * at(c0 + 1, r0 + 1));
          const double diff = std::abs(img.value(b, col, row) - stretched(v, imported->stretchLow[b], imported->stretchHigh[b]));
          sumDiff += diff;
          maxDiff = std::max(maxDiff, diff);
          ++checked;
        }
      }
    qInfo("%d band values checked: mean |difference| %.2f, max %.0f levels; %d lattice pixels outside the source", checked,
          sumDiff / std::max(checked, 1), maxDiff, black);
    QVERIFY(checked >= 3 * 40);
    // GDAL's warper uses an approximate transformer (error ≤ 1/8 pixel), and one DN is ~3 levels
    // after the stretch: a few levels on sharp edges, about one on average.
    QVERIFY2(maxDiff <= 12, qPrintable(QString::number(maxDiff)));
    QVERIFY2(sumDiff / checked <= 1.5, qPrintable(QString::number(sumDiff / checked)));
    if (epsg == 32724 && wholeScene) QVERIFY(black > 0);
  }

  void sixteenBitImageryWithNoData() {
    // 40 × 30 UInt16 at 10 m in UTM 32N: band b holds 1000·b + col + 40·row; a 5 × 5 block is
    // nodata (0). Imported into the same CRS, pixels land on pixels, so each is exact.
    QTemporaryDir dir;
    const double gt[6] = {500000, 10, 0, 5000000, 0, -10};
    const auto value = [](int b, int c, int r) { return (c < 5 && r < 5) ? 0.0 : 1000.0 * b + c + 40 * r; };
    const QString path = writeTiff(dir, QStringLiteral("uint16.tif"), 40, 30, 3, GDT_UInt16, gt, 32632, value, 0.0);
    ImageryImportOptions options;
    options.path = path;
    options.bands = {1, 2, 3};
    options.lowPercentile = 10;
    options.highPercentile = 90;
    auto imported = importImagery(options, targetFor(32632, Extent{499000, 4990000, 501000, 5010000}));
    QVERIFY2(imported.ok(), qPrintable(why(imported)));
    const ImageRaster& img = imported->image;
    QCOMPARE(img.width, 40);
    QCOMPARE(img.height, 30);
    QCOMPARE(imported->pixelSize, 10.0);
    QVERIFY(imported->description.contains(QStringLiteral("10.0 m/px")));
    QVERIFY(imported->description.contains(QStringLiteral("coarser than the model's 8 m/px")));
    QVERIFY(!imported->description.contains(QStringLiteral("much coarser")));
    for (int b = 0; b < 3; ++b) {
      std::vector<double> valid;
      for (int r = 0; r < 30; ++r)
        for (int c = 0; c < 40; ++c)
          if (!(c < 5 && r < 5)) valid.push_back(value(b + 1, c, r));
      const double low = percentileOf(valid, 10), high = percentileOf(valid, 90);
      NETSPATIAL_COMPARE_NEAR(imported->stretchLow[b], low, 1e-9);
      NETSPATIAL_COMPARE_NEAR(imported->stretchHigh[b], high, 1e-9);
      QCOMPARE(int(img.value(b, 2, 2)), 0);                                             // nodata → 0
      QCOMPARE(int(img.value(b, 20, 15)), stretched(value(b + 1, 20, 15), low, high));  // mid-grey
      QCOMPARE(int(img.value(b, 39, 29)), 255);                                         // above the 90th percentile
      QCOMPARE(int(img.value(b, 6, 0)), 0);                                             // below the 10th
    }
  }

  void byteImageryKeepsItsValuesWithoutStretch() {
    QTemporaryDir dir;
    const double gt[6] = {500000, 2, 0, 5000000, 0, -2};
    const auto value = [](int b, int c, int r) { return double((37 * c + 11 * r + 50 * b) % 256); };
    const QString path = writeTiff(dir, QStringLiteral("ortho.tif"), 32, 24, 3, GDT_Byte, gt, 32632, value);
    ImageryImportOptions options;
    options.path = path;
    options.lowPercentile = 0;
    options.highPercentile = 100;
    options.pixelSize = 1.0;  // finer than the source: refused, stays at 2 m
    ImportReport report;
    auto imported = importImagery(options, targetFor(32632, Extent{499990, 4999900, 500100, 5000010}), &report);
    QVERIFY2(imported.ok(), qPrintable(why(imported)));
    QCOMPARE(imported->pixelSize, 2.0);
    QVERIFY(report.join(QLatin1Char('\n')).contains(QStringLiteral("never upsampled")));
    QCOMPARE(imported->image.width, 32);
    QCOMPARE(imported->image.height, 24);
    for (int b = 0; b < 3; ++b)
      for (int r = 0; r < 24; ++r)
        for (int c = 0; c < 32; ++c) QCOMPARE(int(imported->image.value(b, c, r)), int(value(b + 1, c, r)));
  }

  // --- population ---------------------------------------------------------------------------

  void censusTractsSpreadByArea_data() {
    QTest::addColumn<double>("cellSize");
    QTest::addColumn<QString>("extentKind");
    // The Landsat's extent clips the southern tracts (97 people outside); the wider one holds all
    // 470; the 4 km square in the centre cuts many tracts in two.
    QTest::newRow("100 m, Landsat extent") << 100.0 << QStringLiteral("landsat");
    QTest::newRow("250 m, Landsat extent") << 250.0 << QStringLiteral("landsat");
    QTest::newRow("100 m, all tracts") << 100.0 << QStringLiteral("all");
    QTest::newRow("250 m, all tracts") << 250.0 << QStringLiteral("all");
    QTest::newRow("100 m, 4 km square in the centre") << 100.0 << QStringLiteral("centre");
  }

  void censusTractsSpreadByArea() {
    QFETCH(double, cellSize);
    QFETCH(QString, extentKind);
    NETSPATIAL_SHARED_FILE(landsat, "olinda/L7_ETMs.tif");
    NETSPATIAL_SHARED_FILE(path, "olinda/olinda1.shp");
    const int epsg = 31985;  // the Landsat's UTM
    const auto tracts = readTracts(path, epsg);
    QCOMPARE(tracts->tracts.size(), std::size_t(470));
    Extent all;
    double layerTotal = 0;
    for (const Tract& t : tracts->tracts) {
      OGREnvelope env;
      OGR_G_GetEnvelope(t.geometry, &env);
      all.include(Extent{env.MinX, env.MinY, env.MaxX, env.MaxY});
      layerTotal += t.count;
    }
    QCOMPARE(layerTotal, 377779.0);  // Σ V014 in the .dbf
    const Extent extent = extentKind == QStringLiteral("landsat") ? RasterDataset::open(landsat).value().info().extent
                          : extentKind == QStringLiteral("all")   ? Extent{all.xMin - 500, all.yMin - 500, all.xMax + 500, all.yMax + 500}
                                                                  : Extent::aroundCentre(all.centre(), 4000, 4000);
    // The expected total: each tract's V014 times the share of its area inside the extent.
    double expected = 0;
    OGRGeometryH extentRect = rectangle(extent.xMin, extent.yMin, extent.xMax, extent.yMax);
    for (const Tract& t : tracts->tracts) expected += t.count * intersectionArea(t.geometry, extentRect) / OGR_G_Area(t.geometry);
    OGR_G_DestroyGeometry(extentRect);
    if (extentKind == QStringLiteral("all"))
      QCOMPARE(expected, layerTotal);
    else
      QVERIFY2(expected < layerTotal - 50, qPrintable(QString::number(expected)));  // tracts are cut

    PopulationImportOptions options;
    options.path = path;
    options.field = QStringLiteral("V014");
    options.cellSize = cellSize;
    ImportReport report;
    QElapsedTimer timer;
    timer.start();
    auto imported = importPopulation(options, targetFor(epsg, extent), &report);
    QVERIFY2(imported.ok(), qPrintable(why(imported)));
    qInfo("%s: %d × %d cells in %lld ms; source %.1f, imported %.1f, expected %.1f; %s", QTest::currentDataTag(), imported->grid.width,
          imported->grid.height, timer.elapsed(), imported->sourceTotal, imported->importedTotal, expected,
          qPrintable(report.join(QStringLiteral(" | "))));
    // Both are exact (OGR here, core's transform and OGR there): far closer than the people cut off.
    NETSPATIAL_COMPARE_NEAR(imported->sourceTotal, expected, 1.0);
    NETSPATIAL_COMPARE_NEAR(imported->importedTotal, expected, expected * 0.01);
    NETSPATIAL_COMPARE_NEAR(imported->importedTotal, imported->sourceTotal, imported->sourceTotal * 1e-4);
    const ValueRaster& grid = imported->grid;
    QCOMPARE(grid.geoTransform[1], cellSize);
    QCOMPARE(grid.geoTransform[5], -cellSize);
    QVERIFY(grid.values.size() == std::size_t(grid.width) * std::size_t(grid.height));
    // Anchored at the top-left of extent ∩ tracts; cells outside every tract (the sea) are NaN.
    NETSPATIAL_COMPARE_NEAR(grid.geoTransform[0], std::max(extent.xMin, all.xMin), 1e-6);
    NETSPATIAL_COMPARE_NEAR(grid.geoTransform[3], std::min(extent.yMax, all.yMax), 1e-6);
    const auto nanCells = std::count_if(grid.values.begin(), grid.values.end(), [](float v) { return std::isnan(v); });
    QVERIFY(nanCells > 0);
    if (extentKind != QStringLiteral("all")) QVERIFY(report.join(QLatin1Char('\n')).contains(QStringLiteral("reach past the extent")));

    // A cell wholly inside the largest tract within the extent holds that tract's density × the
    // cell's area (tracts do not overlap).
    const Tract* largest = nullptr;
    for (const Tract& t : tracts->tracts) {
      OGREnvelope env;
      OGR_G_GetEnvelope(t.geometry, &env);
      if (extent.contains(Extent{env.MinX, env.MinY, env.MaxX, env.MaxY}) &&
          (!largest || OGR_G_Area(t.geometry) > OGR_G_Area(largest->geometry)))
        largest = &t;
    }
    QVERIFY(largest);
    const double density = largest->count / OGR_G_Area(largest->geometry);
    int inside = 0;
    for (int r = 0; r < grid.height; ++r)
      for (int c = 0; c < grid.width; ++c) {
        const PointXY tl = pixelToWorld(grid.geoTransform, c, r), br = pixelToWorld(grid.geoTransform, c + 1, r + 1);
        OGRGeometryH cell = rectangle(tl.x, br.y, br.x, tl.y);
        if (OGR_G_Within(cell, largest->geometry) && extent.contains(tl) && extent.contains(br)) {
          NETSPATIAL_COMPARE_NEAR(grid.value(c, r), density * cellSize * cellSize, density * cellSize * cellSize * 1e-4);
          ++inside;
        }
        OGR_G_DestroyGeometry(cell);
      }
    qInfo("largest tract: %.0f people on %.2f km² (%.1f per 100 m cell); %d cells wholly inside it", largest->count,
          OGR_G_Area(largest->geometry) / 1e6, density * 1e4, inside);
    QVERIFY(inside > 0);
  }

  void populationRasterResampledWithItsTotal_data() {
    QTest::addColumn<int>("epsg");
    QTest::addColumn<bool>("clipped");
    QTest::addColumn<double>("cellSize");
    QTest::newRow("UTM 32N → UTM 33N, 35 m") << 32633 << false << 35.0;
    QTest::newRow("UTM 32N → ETRS89 LAEA, 35 m") << 3035 << false << 35.0;
    QTest::newRow("UTM 32N → UTM 32N, 35 m") << 32632 << false << 35.0;
    QTest::newRow("UTM 32N → UTM 32N, 35 m, west half") << 32632 << true << 35.0;
    QTest::newRow("UTM 32N → UTM 33N, 4 m (finer than the source)") << 32633 << false << 4.0;
  }

  void populationRasterResampledWithItsTotal() {
    QFETCH(int, epsg);
    QFETCH(bool, clipped);
    QFETCH(double, cellSize);
    // 100 × 100 pixels of 10 m near Milan: a gradient of people per pixel, a nodata block.
    QTemporaryDir dir;
    const double gt[6] = {514000, 10, 0, 5034000, 0, -10};
    const auto value = [](int, int c, int r) {
      return (c >= 40 && c < 50 && r >= 60 && r < 70) ? -99999.0 : 0.5 + 0.03 * c + 0.01 * (r % 13);
    };
    const QString path = writeTiff(dir, QStringLiteral("people.tif"), 100, 100, 1, GDT_Float32, gt, 32632, value, -99999.0);
    double expected = 0;
    for (int r = 0; r < 100; ++r)
      for (int c = 0; c < 100; ++c) {
        const double v = value(1, c, r);
        if (v >= 0 && (!clipped || c < 50)) expected += double(float(v));
      }
    const RasterInfo info = RasterDataset::open(path).value().info();
    const Crs crs = Crs::fromEpsg(epsg).value();
    Extent extent = CoordinateTransform::create(info.crs, crs).value().transformExtent(info.extent).value();
    if (clipped)
      extent.xMax = 514500;
    else
      extent = Extent{extent.xMin - 300, extent.yMin - 300, extent.xMax + 300, extent.yMax + 300};
    PopulationImportOptions options;
    options.path = path;
    options.cellSize = cellSize;
    ImportReport report;
    auto imported = importPopulation(options, targetFor(epsg, extent), &report);
    QVERIFY2(imported.ok(), qPrintable(why(imported)));
    qInfo("%s: %d × %d cells; expected %.2f, source %.2f, imported %.2f; %s", QTest::currentDataTag(), imported->grid.width,
          imported->grid.height, expected, imported->sourceTotal, imported->importedTotal, qPrintable(report.join(QStringLiteral(" | "))));
    NETSPATIAL_COMPARE_NEAR(imported->sourceTotal, expected, expected * 1e-6);
    NETSPATIAL_COMPARE_NEAR(imported->importedTotal, expected, expected * 0.01);
    QCOMPARE(imported->grid.geoTransform[1], cellSize);
    // GDAL's sum alone keeps the total within 0.1 % (pixels outside the extent are masked before
    // the warp): the rescale is a correction, not the method.
    QVERIFY2(!report.join(QLatin1Char('\n')).contains(QStringLiteral("rescaled")), qPrintable(report.join(QLatin1Char('\n'))));
    // Density is kept too: an interior cell holds ~ the people of the (cell / 10 m)² source pixels
    // under it.
    const PointXY centre = CoordinateTransform::create(info.crs, crs).value().transform(PointXY{514200, 5033200}).value();
    const auto cell = worldToPixel(imported->grid.geoTransform, centre).value();
    const double local = (0.5 + 0.03 * 20 + 0.01 * 6) * (cellSize / 10) * (cellSize / 10);  // ± the gradient
    NETSPATIAL_COMPARE_NEAR(imported->grid.value(int(cell.x), int(cell.y)), local, local * 0.15);
  }

  // --- bad input ----------------------------------------------------------------------------

  void badInput_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("file");      // the file name the message must carry
    QTest::addColumn<QStringList>("says");  // substrings of the message
    QTest::addColumn<int>("row");           // 0 = none
    QTest::addColumn<QString>("field");
    const auto row = [](const char* name, const char* kind, ErrorCode code, const char* file, QStringList says, int r = 0,
                        const char* field = "") {
      QTest::newRow(name) << QString::fromLatin1(kind) << int(code) << QString::fromLatin1(file) << says << r << QString::fromLatin1(field);
    };
    row("imagery: not a raster", "imageryNotRaster", ErrorCode::UnsupportedFormat, "notes.tif", {QStringLiteral("not a raster")});
    row("imagery: no such file", "imageryMissing", ErrorCode::FileNotFound, "absent.tif", {QStringLiteral("no such file")});
    row("imagery: 1-band raster asked for 3,2,1", "imageryOneBand", ErrorCode::InvalidArgument, "grey.tif",
        {QStringLiteral("band 3 does not exist"), QStringLiteral("has 1 band")}, 0, "band 3");
    row("imagery: band 0", "imageryBandZero", ErrorCode::InvalidArgument, "rgb.tif", {QStringLiteral("band 0 does not exist")}, 0,
        "band 0");
    row("imagery: no overlap with the extent", "imageryNoOverlap", ErrorCode::OutOfExtent, "rgb.tif", {QStringLiteral("does not overlap")});
    row("imagery: above maxRasterPixels", "imageryTooLarge", ErrorCode::InvalidArgument, "rgb.tif",
        {QStringLiteral("1000 pixels"), QStringLiteral("maxRasterPixels"), QStringLiteral("40 × 30 = 1200")});
    row("imagery: raster without a CRS", "imageryNoCrs", ErrorCode::UnknownCrs, "nocrs.tif",
        {QStringLiteral("no coordinate reference system")});
    row("imagery: zero-area extent", "imageryZeroExtent", ErrorCode::InvalidArgument, "rgb.tif", {QStringLiteral("no area")});
    row("imagery: geographic scenario CRS", "imageryGeographic", ErrorCode::InvalidArgument, "rgb.tif", {QStringLiteral("geographic")});
    row("imagery: percentiles reversed", "imageryPercentiles", ErrorCode::InvalidArgument, "rgb.tif", {QStringLiteral("98–2")});
    row("population: negative count", "tractsNegative", ErrorCode::InvalidValue, "negative.geojson",
        {QStringLiteral("-5"), QStringLiteral("negative")}, 2, "pop");
    row("population: non-numeric count", "tractsText", ErrorCode::InvalidValue, "text.geojson",
        {QStringLiteral("'many'"), QStringLiteral("not a number")}, 3, "pop");
    row("population: empty count", "tractsNull", ErrorCode::InvalidValue, "null.geojson", {QStringLiteral("not a number")}, 1, "pop");
    row("population: missing field", "tractsMissingField", ErrorCode::MissingField, "tracts.geojson",
        {QStringLiteral("no field 'people'"), QStringLiteral("pop, name")}, 0, "people");
    row("population: polygons that are points", "tractsPoints", ErrorCode::InvalidGeometry, "points.geojson",
        {QStringLiteral("a point, not a polygon")}, 1, "geometry");
    row("population: polygons outside the extent", "tractsNoOverlap", ErrorCode::OutOfExtent, "tracts.geojson",
        {QStringLiteral("none of the 3 polygons overlaps")});
    row("population: polygons without a field", "tractsNoField", ErrorCode::MissingField, "tracts.geojson",
        {QStringLiteral("count field")});
    row("population: cells above maxRasterPixels", "tractsTooLarge", ErrorCode::InvalidArgument, "tracts.geojson",
        {QStringLiteral("maxRasterPixels")});
    row("population: raster band out of range", "peopleBand2", ErrorCode::InvalidArgument, "grey.tif",
        {QStringLiteral("band 2 does not exist"), QStringLiteral("has 1 band")}, 0, "band 2");
    row("population: negative pixel", "peopleNegative", ErrorCode::InvalidValue, "negative.tif",
        {QStringLiteral("column 3, row 4"), QStringLiteral("-2")}, 0, "band 1");
    row("population: raster without a CRS", "peopleNoCrs", ErrorCode::UnknownCrs, "nocrs.tif",
        {QStringLiteral("no coordinate reference system")});
    row("population: zero-area extent", "peopleZeroExtent", ErrorCode::InvalidArgument, "grey.tif", {QStringLiteral("no area")});
    row("population: zero cell size", "peopleZeroCell", ErrorCode::InvalidArgument, "grey.tif", {QStringLiteral("cell size 0")});
    row("population: not a raster", "peopleNotRaster", ErrorCode::UnsupportedFormat, "notes.tif", {QStringLiteral("not a raster")});
    row("population: no such file", "peopleMissing", ErrorCode::FileNotFound, "absent.tif", {QStringLiteral("no such file")});
  }

  void badInput() {
    QFETCH(QString, kind);
    QFETCH(int, code);
    QFETCH(QString, file);
    QFETCH(QStringList, says);
    QFETCH(int, row);
    QFETCH(QString, field);

    QTemporaryDir dir;
    const double gt[6] = {500000, 10, 0, 5000000, 0, -10};  // UTM 32N, 40 × 30 px = 400 m × 300 m
    const auto constant = [](int, int, int) { return 7.0; };
    writeTiff(dir, QStringLiteral("rgb.tif"), 40, 30, 3, GDT_Byte, gt, 32632, [](int b, int c, int r) { return double(b * 20 + c + r); });
    writeTiff(dir, QStringLiteral("grey.tif"), 40, 30, 1, GDT_Float32, gt, 32632, constant);
    writeTiff(dir, QStringLiteral("nocrs.tif"), 40, 30, 3, GDT_Byte, gt, 0, constant);
    writeTiff(dir, QStringLiteral("negative.tif"), 40, 30, 1, GDT_Float32, gt, 32632,
              [](int, int c, int r) { return c == 3 && r == 4 ? -2.0 : 1.0; });
    writeFile(dir, QStringLiteral("notes.tif"), "these are notes, not pixels\n");
    // Polygons near (9.0°E, 45.1°N) = UTM 32N around (500 000, 4 994 000).
    const QByteArray three = featureCollection({polygonFeature(QStringLiteral(R"("pop": 10, "name": "a")"), 9.0, 45.1),
                                                polygonFeature(QStringLiteral(R"("pop": 20, "name": "b")"), 9.001, 45.1),
                                                polygonFeature(QStringLiteral(R"("pop": 30, "name": "c")"), 9.002, 45.1)});
    writeFile(dir, QStringLiteral("tracts.geojson"), three);
    writeFile(dir, QStringLiteral("negative.geojson"),
              featureCollection({polygonFeature(QStringLiteral(R"("pop": 10)"), 9.0, 45.1),
                                 polygonFeature(QStringLiteral(R"("pop": -5)"), 9.001, 45.1)}));
    writeFile(dir, QStringLiteral("text.geojson"),
              featureCollection({polygonFeature(QStringLiteral(R"("pop": "10")"), 9.0, 45.1),
                                 polygonFeature(QStringLiteral(R"("pop": "12")"), 9.001, 45.1),
                                 polygonFeature(QStringLiteral(R"("pop": "many")"), 9.002, 45.1)}));
    writeFile(dir, QStringLiteral("null.geojson"),
              featureCollection({polygonFeature(QStringLiteral(R"("pop": null, "name": "x")"), 9.0, 45.1),
                                 polygonFeature(QStringLiteral(R"("pop": 3, "name": "y")"), 9.001, 45.1)}));
    writeFile(
        dir, QStringLiteral("points.geojson"),
        R"({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"pop": 5}, "geometry": {"type": "Point", "coordinates": [9.0, 45.1]}}]})");

    const ImportTarget near = targetFor(32632, Extent{499000, 4990000, 502000, 5001000});
    ImportTarget far = targetFor(32632, Extent{600000, 5100000, 601000, 5101000});
    ImportTarget zero = targetFor(32632, Extent{500000, 4999800, 500000, 5000000});
    ImportTarget geographic = near;
    geographic.crs = Crs::wgs84();
    ImportTarget small = near;
    small.limits.maxRasterPixels = 1000;

    ImageryImportOptions imagery;
    imagery.path = dir.filePath(QStringLiteral("rgb.tif"));
    PopulationImportOptions population;
    population.path = dir.filePath(QStringLiteral("tracts.geojson"));
    population.field = QStringLiteral("pop");
    population.cellSize = 50;
    PopulationImportOptions people;
    people.path = dir.filePath(QStringLiteral("grey.tif"));
    people.cellSize = 50;

    std::optional<Error> error;
    const auto run = [&](const auto& result) {
      if (!result.ok()) error = result.error();
    };
    if (kind == QStringLiteral("imageryNotRaster")) {
      imagery.path = dir.filePath(QStringLiteral("notes.tif"));
      run(importImagery(imagery, near));
    } else if (kind == QStringLiteral("imageryMissing")) {
      imagery.path = dir.filePath(QStringLiteral("absent.tif"));
      run(importImagery(imagery, near));
    } else if (kind == QStringLiteral("imageryOneBand")) {
      imagery.path = dir.filePath(QStringLiteral("grey.tif"));
      imagery.bands = {3, 2, 1};
      run(importImagery(imagery, near));
    } else if (kind == QStringLiteral("imageryBandZero")) {
      imagery.bands = {1, 0, 2};
      run(importImagery(imagery, near));
    } else if (kind == QStringLiteral("imageryNoOverlap")) {
      run(importImagery(imagery, far));
    } else if (kind == QStringLiteral("imageryTooLarge")) {
      run(importImagery(imagery, small));
    } else if (kind == QStringLiteral("imageryNoCrs")) {
      imagery.path = dir.filePath(QStringLiteral("nocrs.tif"));
      run(importImagery(imagery, near));
    } else if (kind == QStringLiteral("imageryZeroExtent")) {
      run(importImagery(imagery, zero));
    } else if (kind == QStringLiteral("imageryGeographic")) {
      run(importImagery(imagery, geographic));
    } else if (kind == QStringLiteral("imageryPercentiles")) {
      imagery.lowPercentile = 98;
      imagery.highPercentile = 2;
      run(importImagery(imagery, near));
    } else if (kind == QStringLiteral("tractsNegative")) {
      population.path = dir.filePath(QStringLiteral("negative.geojson"));
      run(importPopulation(population, near));
    } else if (kind == QStringLiteral("tractsText")) {
      population.path = dir.filePath(QStringLiteral("text.geojson"));
      run(importPopulation(population, near));
    } else if (kind == QStringLiteral("tractsNull")) {
      population.path = dir.filePath(QStringLiteral("null.geojson"));
      run(importPopulation(population, near));
    } else if (kind == QStringLiteral("tractsMissingField")) {
      population.field = QStringLiteral("people");
      run(importPopulation(population, near));
    } else if (kind == QStringLiteral("tractsPoints")) {
      population.path = dir.filePath(QStringLiteral("points.geojson"));
      run(importPopulation(population, near));
    } else if (kind == QStringLiteral("tractsNoOverlap")) {
      run(importPopulation(population, far));
    } else if (kind == QStringLiteral("tractsNoField")) {
      population.field.clear();
      run(importPopulation(population, near));
    } else if (kind == QStringLiteral("tractsTooLarge")) {
      population.cellSize = 1;
      run(importPopulation(population, small));
    } else if (kind == QStringLiteral("peopleBand2")) {
      people.band = 2;
      run(importPopulation(people, near));
    } else if (kind == QStringLiteral("peopleNegative")) {
      people.path = dir.filePath(QStringLiteral("negative.tif"));
      run(importPopulation(people, near));
    } else if (kind == QStringLiteral("peopleNoCrs")) {
      people.path = dir.filePath(QStringLiteral("nocrs.tif"));
      run(importPopulation(people, near));
    } else if (kind == QStringLiteral("peopleZeroExtent")) {
      run(importPopulation(people, zero));
    } else if (kind == QStringLiteral("peopleZeroCell")) {
      people.cellSize = 0;
      run(importPopulation(people, near));
    } else if (kind == QStringLiteral("peopleNotRaster")) {
      people.path = dir.filePath(QStringLiteral("notes.tif"));
      run(importPopulation(people, near));
    } else if (kind == QStringLiteral("peopleMissing")) {
      people.path = dir.filePath(QStringLiteral("absent.tif"));
      run(importPopulation(people, near));
    } else {
      QFAIL(qPrintable(QStringLiteral("unknown case ") + kind));
    }
    QVERIFY2(error.has_value(), "the bad input was accepted");
    const QString text = error->toString();
    QVERIFY2(int(error->code()) == code, qPrintable(errorCodeName(error->code()) + QStringLiteral(": ") + text));
    QVERIFY2(error->context().file.endsWith(file), qPrintable(text));
    QVERIFY2(text.contains(file), qPrintable(text));
    for (const QString& s : says) QVERIFY2(text.contains(s), qPrintable(QStringLiteral("'%1' not in: %2").arg(s, text)));
    if (row > 0) QCOMPARE(error->context().row.value_or(-1), qint64(row));
    if (!field.isEmpty()) QCOMPARE(error->context().field, field);
  }
};

QTEST_GUILESS_MAIN(TestRasterImport)
#include "tst_rasterimport.moc"
