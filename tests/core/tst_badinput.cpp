// Bad input never crashes and never passes silently: each case gives an Error that names the
// file, and the row and field where they apply (DESIGN.md §11).

#include "core/geo/rasterdataset.h"
#include "core/geo/vectorreader.h"
#include "testdata.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace netspatial::core;

class TestBadInput : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void truncatedGeoTiff() {
    NETSPATIAL_SHARED_FILE(path, "olinda/L7_ETMs.tif");
    QFile source(path);
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QByteArray bytes = source.readAll();
    QTemporaryDir dir;
    const QString cut = netspatial::tests::writeFile(dir, QStringLiteral("truncated.tif"), bytes.left(bytes.size() * 6 / 10));
    auto r = RasterDataset::open(cut);
    Error error(ErrorCode::Internal, {});
    if (!r.ok()) {
      error = r.error();
    } else {
      // The header survived the cut; reading the missing strips must fail, not return garbage.
      RasterWindowSpec spec{r->info().crs, r->info().extent, r->info().width, r->info().height, {}, Resampling::Nearest};
      auto w = r->readWindow(spec);
      QVERIFY2(!w.ok(), "a truncated file read without error");
      error = w.error();
    }
    QCOMPARE(error.context().file, cut);
    QCOMPARE(error.code(), ErrorCode::CorruptData);
    qInfo() << error.toString();
  }

  void textFileAsRaster() {
    QTemporaryDir dir;
    const QString path =
        netspatial::tests::writeFile(dir, QStringLiteral("notes.tif"), "These are meeting notes, not pixels.\nSecond line.\n");
    auto r = RasterDataset::open(path);
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code(), ErrorCode::UnsupportedFormat);
    QCOMPARE(r.error().context().file, path);
    QVERIFY(r.error().toString().startsWith(path));
  }

  void geoJsonWithInvalidGeometry() {
    QTemporaryDir dir;
    // Feature 2 is a self-intersecting "bow tie".
    const QString path = netspatial::tests::writeFile(dir, QStringLiteral("zones.geojson"), R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"name":"ok"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
      {"type":"Feature","properties":{"name":"bowtie"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}
    ]})");
    auto layer = readVectorLayer(path);
    QVERIFY(!layer.ok());
    QCOMPARE(layer.error().code(), ErrorCode::InvalidGeometry);
    QCOMPARE(layer.error().context().file, path);
    QCOMPARE(layer.error().context().row.value(), 2);
    QCOMPARE(layer.error().context().field, QStringLiteral("geometry"));
    // The caller may choose to accept it.
    VectorReadOptions lenient;
    lenient.validateGeometries = false;
    QVERIFY(readVectorLayer(path, lenient).ok());
  }

  void csvMissingLonColumn() {
    QTemporaryDir dir;
    const QString path = netspatial::tests::writeFile(dir, QStringLiteral("stations.csv"), "name,lat\nA,45.1\nB,45.2\n");
    auto layer = readVectorLayer(path);
    QVERIFY(!layer.ok());
    QCOMPARE(layer.error().code(), ErrorCode::MissingField);
    QCOMPARE(layer.error().context().file, path);
    QCOMPARE(layer.error().context().field, QStringLiteral("lon"));
  }

  void csvNonNumericCoordinate() {
    QTemporaryDir dir;
    const QString path = netspatial::tests::writeFile(dir, QStringLiteral("stations.csv"),
                                                      "name,lon,lat\nA,9.1,45.1\nB,9.2,45.2\nC,nine,45.3\nD,9.4,45.4\n");
    auto layer = readVectorLayer(path);
    QVERIFY(!layer.ok());
    QCOMPARE(layer.error().code(), ErrorCode::ParseError);
    QCOMPARE(layer.error().context().file, path);
    QCOMPARE(layer.error().context().row.value(), 3);
    QCOMPARE(layer.error().context().field, QStringLiteral("lon"));
    QVERIFY(layer.error().message().contains(QStringLiteral("nine")));
  }

  void csvCoordinateOutOfRange() {
    QTemporaryDir dir;
    const QString path = netspatial::tests::writeFile(dir, QStringLiteral("stations.csv"), "name,lon,lat\nA,9.1,145.1\n");
    auto layer = readVectorLayer(path);
    QVERIFY(!layer.ok());
    QCOMPARE(layer.error().code(), ErrorCode::InvalidValue);
    QCOMPARE(layer.error().context().field, QStringLiteral("lat"));
  }

  void unknownEpsgCode() {
    auto crs = Crs::fromUserInput(QStringLiteral("EPSG:999999"));
    QVERIFY(!crs.ok());
    QCOMPARE(crs.error().code(), ErrorCode::UnknownCrs);
    QVERIFY(crs.error().toString().contains(QStringLiteral("EPSG:999999")));
    QVERIFY2(crs.error().message().contains(QStringLiteral("no EPSG code 999999")), qPrintable(crs.error().message()));
  }

  void windowEntirelyOutsideRaster() {
    NETSPATIAL_SHARED_FILE(path, "olinda/L7_ETMs.tif");
    auto r = RasterDataset::open(path).value();
    // Milan, far from Olinda.
    RasterWindowSpec spec{Crs::wgs84(), Extent{9.1, 45.4, 9.2, 45.5}, 64, 64, {3, 2, 1}};
    auto w = r.readWindow(spec);
    QVERIFY(!w.ok());
    QCOMPARE(w.error().code(), ErrorCode::OutOfExtent);
    QCOMPARE(w.error().context().file, path);
  }

  void emptyFile() {
    QTemporaryDir dir;
    const QString raster = netspatial::tests::writeFile(dir, QStringLiteral("empty.tif"), QByteArray());
    const QString vector = netspatial::tests::writeFile(dir, QStringLiteral("empty.geojson"), QByteArray());
    const QString csv = netspatial::tests::writeFile(dir, QStringLiteral("empty.csv"), QByteArray());
    for (const auto& result : {RasterDataset::open(raster).ok() ? std::optional<Error>() : RasterDataset::open(raster).error(),
                               readVectorLayer(vector).ok() ? std::optional<Error>() : readVectorLayer(vector).error(),
                               readVectorLayer(csv).ok() ? std::optional<Error>() : readVectorLayer(csv).error()}) {
      QVERIFY(result.has_value());
      QCOMPARE(result->code(), ErrorCode::CorruptData);
      QVERIFY(result->message().contains(QStringLiteral("empty")));
      QVERIFY(!result->context().file.isEmpty());
    }
  }

  void missingFile() {
    auto r = RasterDataset::open(QStringLiteral("/nonexistent/city.tif"));
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code(), ErrorCode::FileNotFound);
    auto v = readVectorLayer(QStringLiteral("/nonexistent/city.geojson"));
    QCOMPARE(v.error().code(), ErrorCode::FileNotFound);
  }

  void badBandAndWindowSize() {
    NETSPATIAL_SHARED_FILE(path, "olinda/L7_ETMs.tif");
    auto r = RasterDataset::open(path).value();
    RasterWindowSpec spec{r.info().crs, r.info().extent, 64, 64, {7}};
    auto w = r.readWindow(spec);
    QVERIFY(!w.ok());
    QCOMPARE(w.error().context().field, QStringLiteral("band"));
    spec.bands = {1};
    spec.width = 0;
    QCOMPARE(r.readWindow(spec).error().code(), ErrorCode::InvalidArgument);
  }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
