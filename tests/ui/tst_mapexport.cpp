// The map PNG's world file (.pgw) places every pixel exactly: origin and pixel size at device pixel
// ratio 1 and 2, read back through GDAL as GIS tools would.

#include "tests/comparenear.h"
#include "core/geo/crs.h"
#include "ui/map/mapcanvas.h"
#include "ui/map/mapexport.h"

#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <gdal.h>

using namespace netspatial;

class TestMapExport : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void worldFileNumbers_data() {
    QTest::addColumn<double>("dpr");
    QTest::newRow("dpr 1") << 1.0;
    QTest::newRow("dpr 2") << 2.0;
  }
  void worldFileNumbers() {
    QFETCH(double, dpr);
    // 400 × 300 logical px at 2.5 m/px centred on (500 000, 5 000 000): x 499 500–500 500, y 4 999 625–5 000 375.
    const ui::MapView view({500000.0, 5000000.0}, 2.5, QSizeF(400, 300));
    const ui::WorldFile w = ui::worldFileFor(view, dpr);
    QCOMPARE(w.pixelSizeX, 2.5 / dpr);
    QCOMPARE(w.pixelSizeY, -2.5 / dpr);
    QCOMPARE(w.originX, 499500.0 + 2.5 / dpr / 2.0);
    QCOMPARE(w.originY, 5000375.0 - 2.5 / dpr / 2.0);
    QCOMPARE(w.rotationX, 0.0);
    QCOMPARE(ui::worldFilePath("/tmp/a/map.png"), QStringLiteral("/tmp/a/map.pgw"));
    QCOMPARE(ui::worldFilePath("/tmp/a/map.tif"), QStringLiteral("/tmp/a/map.tfw"));
  }

  void savedImageIsGeoreferenced_data() { worldFileNumbers_data(); }
  void savedImageIsGeoreferenced() {
    QFETCH(double, dpr);
    ui::MapCanvas canvas;
    canvas.resize(400, 300);
    QVERIFY(canvas.setMapCrs(*core::Crs::fromEpsg(32632)).ok());
    canvas.setView({500000.0, 5000000.0}, 2.5);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("map.png"));
    QVERIFY(ui::saveMapImage(canvas, path, QSize(400, 300), dpr).ok());
    const QImage image(path);
    QCOMPARE(image.size(), QSize(int(400 * dpr), int(300 * dpr)));
    QVERIFY(QFile::exists(dir.filePath("map.pgw")));
    QVERIFY(QFile::exists(dir.filePath("map.png.aux.xml")));
    // GDAL reads PNG + .pgw + .aux.xml as a georeferenced raster: its geotransform gives the
    // top-left corner (not the pixel centre) and the pixel size.
    GDALAllRegister();
    GDALDatasetH ds = GDALOpen(path.toUtf8().constData(), GA_ReadOnly);
    QVERIFY(ds);
    double gt[6];
    QCOMPARE(GDALGetGeoTransform(ds, gt), CE_None);
    QCOMPARE(GDALGetRasterXSize(ds), int(400 * dpr));
    NETSPATIAL_COMPARE_NEAR(gt[0], 499500.0, 1e-6);
    NETSPATIAL_COMPARE_NEAR(gt[3], 5000375.0, 1e-6);
    NETSPATIAL_COMPARE_NEAR(gt[1], 2.5 / dpr, 1e-12);
    QVERIFY(std::abs(gt[5] + 2.5 / dpr) < 1e-12);
    const char* wkt = GDALGetProjectionRef(ds);
    QVERIFY(wkt && QString::fromUtf8(wkt).contains("32N"));
    GDALClose(ds);
    QVERIFY(!ui::saveMapImage(canvas, dir.filePath("no/such/dir/map.png"), QSize(400, 300), dpr).ok());
    QVERIFY(!ui::saveMapImage(canvas, path, QSize(0, 300), dpr).ok());
  }
};

QTEST_MAIN(TestMapExport)
#include "tst_mapexport.moc"
