#include "tests/comparenear.h"
#include "core/geo/coordinatetransform.h"
#include "core/geo/rasterdataset.h"
#include "testdata.h"

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <gdal.h>

#include <algorithm>
#include <cmath>

using namespace netspatial::core;

namespace {

// Pearson correlation of the valid pairs of two equally sized windows, over all bands.
double correlation(const RasterWindow& a, const RasterWindow& b) {
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  int n = 0;
  for (std::size_t i = 0; i < a.data.size(); ++i) {
    if (std::isnan(a.data[i]) || std::isnan(b.data[i])) continue;
    sa += a.data[i];
    sb += b.data[i];
    saa += double(a.data[i]) * a.data[i];
    sbb += double(b.data[i]) * b.data[i];
    sab += double(a.data[i]) * b.data[i];
    ++n;
  }
  const double cov = sab / n - (sa / n) * (sb / n);
  return cov / std::sqrt((saa / n - (sa / n) * (sa / n)) * (sbb / n - (sb / n) * (sb / n)));
}

// gdallocationinfo's values for a source pixel, one per band: the independent reference.
QList<double> gdalLocationInfo(const QString& file, const QList<int>& bands, int col, int row) {
  QStringList args{QStringLiteral("-valonly")};
  for (int b : bands) args << QStringLiteral("-b") << QString::number(b);
  args << file << QString::number(col) << QString::number(row);
  QProcess p;
  p.start(QStringLiteral("gdallocationinfo"), args);
  if (!p.waitForFinished(30000) || p.exitCode() != 0) return {};
  QList<double> values;
  for (const QByteArray& line : p.readAllStandardOutput().split('\n'))
    if (!line.trimmed().isEmpty()) values << line.trimmed().toDouble();
  return values;
}

}  // namespace

class TestRasterDataset : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void landsatInfo() {
    NETSPATIAL_SHARED_FILE(path, "olinda/L7_ETMs.tif");
    auto r = RasterDataset::open(path);
    QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
    const RasterInfo& info = r->info();
    QCOMPARE(info.width, 349);
    QCOMPARE(info.height, 352);
    QCOMPARE(info.bandCount(), 6);
    QCOMPARE(info.crs.authId(), QStringLiteral("EPSG:31985"));
    QVERIFY(!info.crs.isGeographic());
    NETSPATIAL_COMPARE_NEAR(info.pixelSizeX(), 28.5, 1e-6);
    NETSPATIAL_COMPARE_NEAR(info.pixelSizeY(), 28.5, 1e-6);
    // The file carries internal overviews (175×176 … 22×22).
    QCOMPARE(info.bands[0].overviewCount, 4);
    QCOMPARE(info.driver, QStringLiteral("GTiff"));
  }

  void rgbWindowMatchesGdalLocationInfo() {
    NETSPATIAL_SHARED_FILE(path, "olinda/L7_ETMs.tif");
    if (QStandardPaths::findExecutable(QStringLiteral("gdallocationinfo")).isEmpty())
      QFAIL("gdallocationinfo (package gdal-bin, installed by scripts/install-deps.sh) is missing");
    auto r = RasterDataset::open(path).value();
    const RasterInfo& info = r.info();
    // Around a point in Olinda's old town, given in lon/lat.
    const PointXY lonLat{-34.8553, -8.0089};
    const auto toRaster = CoordinateTransform::create(Crs::wgs84(), info.crs).value();
    const PointXY centre = toRaster.transform(lonLat).value();
    const PointXY px = *worldToPixel(info.geoTransform, centre);
    const int col0 = int(std::floor(px.x)) - 32;
    const int row0 = int(std::floor(px.y)) - 32;
    QVERIFY(col0 >= 0 && row0 >= 0 && col0 + 64 <= info.width && row0 + 64 <= info.height);
    const PointXY topLeft = pixelToWorld(info.geoTransform, col0, row0);
    const PointXY bottomRight = pixelToWorld(info.geoTransform, col0 + 64, row0 + 64);

    RasterWindowSpec spec;
    spec.crs = info.crs;
    spec.extent = Extent::fromCorners(topLeft.x, topLeft.y, bottomRight.x, bottomRight.y);
    spec.width = spec.height = 64;
    spec.bands = {3, 2, 1};
    spec.resampling = Resampling::Nearest;
    auto w = r.readWindow(spec);
    QVERIFY2(w.ok(), w.ok() ? "" : qPrintable(w.error().toString()));
    QCOMPARE(w->bandCount(), 3);
    QCOMPARE(w->validFraction(), 1.0);

    const QList<QPair<int, int>> probes{{0, 0}, {63, 63}, {32, 32}, {10, 50}, {50, 7}, {63, 0}};
    for (const auto& [i, j] : probes) {
      const QList<double> expected = gdalLocationInfo(path, {3, 2, 1}, col0 + i, row0 + j);
      QCOMPARE(expected.size(), 3);
      for (int b = 0; b < 3; ++b) QCOMPARE(double(w->value(b, i, j)), expected[b]);
      // pixelValue agrees too.
      QCOMPARE(r.pixelValue(3, col0 + i, row0 + j).value(), expected[0]);
    }
  }

  void sameGroundInGeographicAndWebMercator() {
    NETSPATIAL_SHARED_FILE(path, "olinda/L7_ETMs.tif");
    auto r = RasterDataset::open(path).value();
    const Crs utm = r.info().crs;
    const PointXY lonLat{-34.8553, -8.0089};
    const double ground = 3000.0;  // metres
    const int n = 96;
    std::vector<RasterWindow> windows;
    for (const Crs& target : {Crs::wgs84(), Crs::webMercator(), utm}) {
      auto spec = windowAroundPoint(lonLat, Crs::wgs84(), ground, ground, n, n, target, {3, 2, 1});
      QVERIFY(spec.ok());
      auto w = r.readWindow(*spec);
      QVERIFY2(w.ok(), w.ok() ? "" : qPrintable(w.error().toString()));
      QCOMPARE(w->validFraction(), 1.0);
      // The window is centred on the requested point, and spans the requested ground distance.
      const auto toUtm = CoordinateTransform::create(target, utm).value();
      const auto toGeo = CoordinateTransform::create(target, Crs::wgs84()).value();
      const PointXY c = toGeo.transform(w->extent.centre()).value();
      {
        NETSPATIAL_COMPARE_NEAR(c.x, lonLat.x, 1e-7);
        NETSPATIAL_COMPARE_NEAR(c.y, lonLat.y, 1e-7);
      }
      const PointXY west = toUtm.transform(PointXY{w->extent.xMin, w->extent.centre().y}).value();
      const PointXY east = toUtm.transform(PointXY{w->extent.xMax, w->extent.centre().y}).value();
      const PointXY south = toUtm.transform(PointXY{w->extent.centre().x, w->extent.yMin}).value();
      const PointXY north = toUtm.transform(PointXY{w->extent.centre().x, w->extent.yMax}).value();
      // UTM distances differ from ground distances by the scale factor (< 0.1 % here).
      QVERIFY2(std::abs(std::hypot(east.x - west.x, east.y - west.y) - ground) < 0.002 * ground, qPrintable(target.label()));
      QVERIFY2(std::abs(std::hypot(north.x - south.x, north.y - south.y) - ground) < 0.002 * ground, qPrintable(target.label()));
      windows.push_back(std::move(w).value());
    }
    // Pixel (i, j) shows the same ground in all three: the images agree.
    const double geoVsMerc = correlation(windows[0], windows[1]);
    const double geoVsUtm = correlation(windows[0], windows[2]);
    QVERIFY2(geoVsMerc > 0.97, qPrintable(QString::number(geoVsMerc)));
    QVERIFY2(geoVsUtm > 0.95, qPrintable(QString::number(geoVsUtm)));
    // And a window shifted by 300 m correlates clearly less: the check can fail.
    auto shiftedSpec =
        windowAroundPoint(PointXY{lonLat.x + 0.0027, lonLat.y}, Crs::wgs84(), ground, ground, n, n, Crs::webMercator(), {3, 2, 1});
    auto shifted = r.readWindow(*shiftedSpec).value();
    QVERIFY(correlation(windows[0], shifted) < geoVsMerc - 0.1);
  }

  void windowPartlyOutsideIsMasked() {
    NETSPATIAL_SHARED_FILE(path, "olinda/L7_ETMs.tif");
    auto r = RasterDataset::open(path).value();
    const Extent e = r.info().extent;
    RasterWindowSpec spec{r.info().crs, Extent{e.xMax - 1000.0, e.yMin + 1000.0, e.xMax + 1000.0, e.yMin + 3000.0}, 40, 40, {1}};
    auto w = r.readWindow(spec);
    QVERIFY(w.ok());
    NETSPATIAL_COMPARE_NEAR(w->validFraction(), 0.5, 0.03);
    QVERIFY(w->isValid(0, 0, 20));
    QVERIFY(!w->isValid(0, 39, 20));
  }

  void sourceNoDataBecomesInvalid() {
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("nodata.tif"));
    GDALAllRegister();
    GDALDriverH drv = GDALGetDriverByName("GTiff");
    GDALDatasetH ds = GDALCreate(drv, file.toUtf8().constData(), 10, 10, 1, GDT_Int16, nullptr);
    double gt[6] = {500000, 10, 0, 5000000, 0, -10};
    GDALSetGeoTransform(ds, gt);
    GDALSetProjection(ds, Crs::fromEpsg(32632).value().wkt().toUtf8().constData());
    GDALRasterBandH band = GDALGetRasterBand(ds, 1);
    GDALSetRasterNoDataValue(band, -9999);
    std::vector<qint16> values(100, 7);
    for (int i = 0; i < 10; ++i) values[std::size_t(i)] = -9999;  // first row is nodata
    QCOMPARE(GDALRasterIO(band, GF_Write, 0, 0, 10, 10, values.data(), 10, 10, GDT_Int16, 0, 0), CE_None);
    GDALClose(ds);

    auto r = RasterDataset::open(file).value();
    QCOMPARE(r.info().bands[0].noData.value(), -9999.0);
    RasterWindowSpec spec{r.info().crs, r.info().extent, 10, 10, {}, Resampling::Nearest};
    auto w = r.readWindow(spec).value();
    QCOMPARE(w.validFraction(), 0.9);
    QVERIFY(!w.isValid(0, 5, 0));
    QCOMPARE(w.value(0, 5, 5), 7.0f);
    QVERIFY(std::isnan(r.pixelValue(1, 3, 0).value()));
  }

  void overviewsAreBuiltAndUsed() {
    NETSPATIAL_SHARED_FILE(path, "olinda/L7_ETMs.tif");
    QTemporaryDir dir;
    const QString copy = dir.filePath(QStringLiteral("landsat.tif"));
    // A copy without the file's own overviews.
    GDALAllRegister();
    GDALDatasetH src = GDALOpen(path.toUtf8().constData(), GA_ReadOnly);
    GDALClose(GDALCreateCopy(GDALGetDriverByName("GTiff"), copy.toUtf8().constData(), src, FALSE, nullptr, nullptr, nullptr));
    GDALClose(src);
    auto r = RasterDataset::open(copy).value();
    QCOMPARE(r.info().bands[0].overviewCount, 0);
    Feedback feedback;
    QVERIFY(r.buildOverviews({2, 4}, Resampling::Average, &feedback).ok());
    QCOMPARE(r.info().bands[0].overviewCount, 2);
    QCOMPARE(feedback.progress(), 1.0);
    QVERIFY(QFile::exists(copy + QStringLiteral(".ovr")));

    // Mark the 2× overview (first page of the .ovr) so that reading it is visible in the pixels.
    GDALDatasetH ovr = GDALOpen((copy + QStringLiteral(".ovr")).toUtf8().constData(), GA_Update);
    QVERIFY(ovr);
    GDALRasterBandH band = GDALGetRasterBand(ovr, 1);
    QCOMPARE(GDALGetRasterBandXSize(band), 175);
    QCOMPARE(GDALFillRaster(band, 250.0, 0.0), CE_None);
    GDALClose(ovr);

    auto reopened = RasterDataset::open(copy).value();
    QCOMPARE(reopened.info().bands[0].overviewCount, 2);
    // Half the resolution: the 2× overview is read (every pixel the marker).
    RasterWindowSpec half{reopened.info().crs, reopened.info().extent, 175, 176, {1}, Resampling::Nearest};
    const RasterWindow coarse = reopened.readWindow(half).value();
    QCOMPARE(coarse.sourceOverview, 0);
    QVERIFY(std::all_of(coarse.data.begin(), coarse.data.end(), [](float v) { return v == 250.0f; }));
    // Full resolution: the original pixels, not the marker.
    RasterWindowSpec full{reopened.info().crs, reopened.info().extent, 349, 352, {1}, Resampling::Nearest};
    const RasterWindow fine = reopened.readWindow(full).value();
    QCOMPARE(fine.sourceOverview, -1);
    QVERIFY(std::count(fine.data.begin(), fine.data.end(), 250.0f) < long(fine.data.size() / 10));
    // A quarter: the 4× level, which still holds real (averaged) pixels.
    RasterWindowSpec quarter{reopened.info().crs, reopened.info().extent, 88, 88, {1}, Resampling::Nearest};
    const RasterWindow q = reopened.readWindow(quarter).value();
    QCOMPARE(q.sourceOverview, 1);
    QVERIFY(std::count(q.data.begin(), q.data.end(), 250.0f) < long(q.data.size() / 10));
  }

  void landsatInternalOverviewsAreChosenByScale() {
    NETSPATIAL_SHARED_FILE(path, "olinda/L7_ETMs.tif");
    auto r = RasterDataset::open(path).value();
    const auto level = [&](int w, int h) {
      return r.readWindow(RasterWindowSpec{r.info().crs, r.info().extent, w, h, {1}}).value().sourceOverview;
    };
    QCOMPARE(level(349, 352), -1);
    QCOMPARE(level(300, 300), -1);  // 1.17× coarser: no level is fine enough
    QCOMPARE(level(175, 176), 0);
    QCOMPARE(level(87, 88), 1);
    QCOMPARE(level(40, 40), 2);
    QCOMPARE(level(10, 10), 3);
  }

  void antimeridianWindow() {
    // Suva, Fiji, 300 m west of 180°: the 2 km window crosses the antimeridian.
    const PointXY lonLat{179.997, -18.14};
    for (const Crs& target : {Crs::wgs84(), Crs::webMercator()}) {
      auto spec = windowAroundPoint(lonLat, Crs::wgs84(), 2000.0, 2000.0, 64, 64, target);
      QVERIFY2(spec.ok(), spec.ok() ? "" : qPrintable(spec.error().toString()));
      QVERIFY(!spec->extent.isEmpty());
      QVERIFY(spec->extent.xMax > 180.0 || target == Crs::webMercator());
      const double metresPerUnit = target.isGeographic() ? 111320.0 * std::cos(lonLat.y * M_PI / 180.0) : std::cos(lonLat.y * M_PI / 180.0);
      QVERIFY2(std::abs(spec->extent.width() * metresPerUnit - 2000.0) < 10.0, qPrintable(target.label()));
    }
  }

  void otherDriversReadTheSame() {
    NETSPATIAL_SHARED_FILE(path, "olinda/olinda_dem_utm25s.tif");
    QTemporaryDir dir;
    const QString img = dir.filePath(QStringLiteral("dem.img"));
    GDALAllRegister();
    GDALDatasetH src = GDALOpen(path.toUtf8().constData(), GA_ReadOnly);
    GDALDatasetH dst = GDALCreateCopy(GDALGetDriverByName("HFA"), img.toUtf8().constData(), src, FALSE, nullptr, nullptr, nullptr);
    QVERIFY(dst);
    GDALClose(dst);
    GDALClose(src);
    auto tif = RasterDataset::open(path).value();
    auto hfa = RasterDataset::open(img).value();
    QCOMPARE(hfa.info().driver, QStringLiteral("HFA"));
    // HFA rewrites the CRS description (names, datum wording) but it must place pixels identically.
    const PointXY probe{-34.88, -8.01};
    const PointXY viaTif = CoordinateTransform::create(Crs::wgs84(), tif.info().crs).value().transform(probe).value();
    const PointXY viaHfa = CoordinateTransform::create(Crs::wgs84(), hfa.info().crs).value().transform(probe).value();
    QVERIFY(std::hypot(viaTif.x - viaHfa.x, viaTif.y - viaHfa.y) < 0.01);
    RasterWindowSpec spec{Crs::wgs84(), Extent{-34.90, -8.03, -34.86, -7.99}, 50, 50, {1}, Resampling::Bilinear};
    const RasterWindow a = tif.readWindow(spec).value();
    const RasterWindow b = hfa.readWindow(spec).value();
    QCOMPARE(a.data.size(), b.data.size());
    for (std::size_t i = 0; i < a.data.size(); ++i)
      QVERIFY(std::isnan(a.data[i]) ? std::isnan(b.data[i]) : std::abs(a.data[i] - b.data[i]) < 1e-4f);
  }

  void cancelledReadReportsCancelled() {
    NETSPATIAL_SHARED_FILE(path, "olinda/L7_ETMs.tif");
    auto r = RasterDataset::open(path).value();
    // Cancel from inside GDAL's progress callback, the way a user's click reaches a running read.
    Feedback feedback;
    int calls = 0;
    feedback.setProgressCallback([&](double, const QString&) {
      ++calls;
      feedback.cancel();
    });
    RasterWindowSpec spec{r.info().crs, r.info().extent, 2000, 2000, {1, 2, 3}};
    auto w = r.readWindow(spec, &feedback);
    QVERIFY(calls >= 1);
    QVERIFY(!w.ok());
    QCOMPARE(w.error().code(), ErrorCode::Cancelled);
    // Without cancelling, the same read succeeds and reports completion.
    Feedback plain;
    QVERIFY(r.readWindow(spec, &plain).ok());
    QCOMPARE(plain.progress(), 1.0);
  }

  void hugeWindowIsRefused() {
    NETSPATIAL_SHARED_FILE(path, "olinda/L7_ETMs.tif");
    auto r = RasterDataset::open(path).value();
    RasterWindowSpec spec{r.info().crs, r.info().extent, 16000, 16000, {1, 2, 3}};
    auto w = r.readWindow(spec);
    QVERIFY(!w.ok());
    QCOMPARE(w.error().code(), ErrorCode::InvalidArgument);
  }
};

QTEST_GUILESS_MAIN(TestRasterDataset)
#include "tst_rasterdataset.moc"
