// Stations and traffic sites from the user's own files (core/import/siteimport.h; issue 19): a
// stations CSV written here over Olinda, the real Milan grid as polygon traffic sites, and the
// bad inputs, each named by file, row and field.

#include "core/geo/coordinatetransform.h"
#include "core/import/siteimport.h"

#include "tests/testdata.h"

#include <QTemporaryDir>
#include <QTest>

using namespace netspatial;
using namespace netspatial::core;

namespace {

// Olinda, Brazil, in SIRGAS 2000 / UTM 25S: the extent of the shared Landsat scene and census.
ImportTarget olinda() {
  ImportTarget t;
  t.crs = *Crs::fromEpsg(31985);
  auto toUtm = CoordinateTransform::create(Crs::wgs84(), t.crs);
  t.extent = *toUtm->transformExtent(Extent::fromCorners(-34.95, -8.08, -34.80, -7.93));
  return t;
}

const QByteArray kStations =
    "id,name,kind,capacity,lon,lat\n"
    "A1,Carmo,LTE-macro,2000,-34.8553,-8.0136\n"
    "A2,Varadouro,small,,-34.8600,-8.0100\n"
    "A3,Bultrins,micro,350.5,-34.8700,-7.9900\n"
    "FAR,Recife airport,macro,1000,-34.9236,-8.1264\n";  // south of the extent

}  // namespace

class TestSiteImport : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void stationsFromACsv() {
    QTemporaryDir dir;
    StationImportOptions o;
    o.source.path = tests::writeFile(dir, QStringLiteral("stations.csv"), kStations);
    o.typeField = QStringLiteral("kind");
    o.typeMapping.insert(QStringLiteral("LTE-Macro"), StationType::Macro);  // matched case-insensitively
    o.typeMapping.insert(QStringLiteral("small"), StationType::Micro);
    o.capacityField = QStringLiteral("capacity");
    o.nameField = QStringLiteral("name");
    o.defaultCapacity = 500.0;
    ImportReport report;
    const ImportTarget target = olinda();
    auto stations = importStations(o, target, &report);
    QVERIFY2(stations.ok(), stations.ok() ? "" : qPrintable(stations.error().toString()));
    QCOMPARE(stations->size(), std::size_t(3));  // FAR is outside
    const BaseStation& a1 = stations->at(0);
    QCOMPARE(a1.id, QStringLiteral("A1"));
    QCOMPARE(a1.name, QStringLiteral("Carmo"));
    QCOMPARE(a1.type, StationType::Macro);
    QCOMPARE(a1.capacity, 2000.0);
    // The position is PROJ's transform of the CSV's lon/lat.
    auto expected = CoordinateTransform::create(Crs::wgs84(), target.crs)->transform(PointXY{-34.8553, -8.0136});
    QVERIFY(std::abs(a1.position.x - expected->x) < 1e-6 && std::abs(a1.position.y - expected->y) < 1e-6);
    QVERIFY(a1.position.x > 290000.0 && a1.position.x < 300000.0);  // UTM 25S eastings near Olinda
    QCOMPARE(stations->at(1).type, StationType::Micro);
    QCOMPARE(stations->at(1).capacity, 500.0);  // empty value → the default, counted
    QCOMPARE(stations->at(2).type, StationType::Micro);
    QCOMPARE(stations->at(2).capacity, 350.5);
    QVERIFY2(report.join(QLatin1Char('\n')).contains(QStringLiteral("1 stations without a capacity value get 500")),
             qPrintable(report.join('\n')));
    QVERIFY(report.join(QLatin1Char('\n')).contains(QStringLiteral("1 stations outside the scenario's extent left out")));
  }

  void defaultsAreStated() {
    QTemporaryDir dir;
    StationImportOptions o;
    o.source.path = tests::writeFile(dir, QStringLiteral("bare.csv"), "x,y\n-34.8553,-8.0136\n-34.86,-8.01\n");
    o.defaultType = StationType::Micro;
    ImportReport report;
    auto stations = importStations(o, olinda(), &report);
    QVERIFY2(stations.ok(), stations.ok() ? "" : qPrintable(stations.error().toString()));
    QCOMPARE(stations->at(1).id, QStringLiteral("S2"));  // no id field: the row
    QCOMPARE(stations->at(0).type, StationType::Micro);
    QCOMPARE(stations->at(0).capacity, 0.0);
    const QString notes = report.join(QLatin1Char('\n'));
    QVERIFY(notes.contains(QStringLiteral("no type field: every station is micro")));
    QVERIFY(notes.contains(QStringLiteral("capacity 0 (unknown)")));
  }

  void repeatedStationsKeepTheirFirstRow() {
    QTemporaryDir dir;
    StationImportOptions o;
    o.source.path =
        tests::writeFile(dir, QStringLiteral("per-cell.csv"),
                         "bs_id,lng,lat,cellId\n7,-34.8553,-8.0136,1\n7,-34.8553,-8.0136,2\n9,-34.86,-8.01,2\n7,-34.8553,-8.0136,3\n");
    o.idField = QStringLiteral("bs_id");
    QVERIFY(!importStations(o, olinda()).ok());  // by default a repeat is an error
    o.duplicateIds = StationImportOptions::DuplicateIds::KeepFirst;
    ImportReport report;
    auto stations = importStations(o, olinda(), &report);
    QVERIFY2(stations.ok(), stations.ok() ? "" : qPrintable(stations.error().toString()));
    QCOMPARE(stations->size(), std::size_t(2));
    QCOMPARE(stations->at(1).id, QStringLiteral("9"));
    QVERIFY(report.join(QLatin1Char('\n')).contains(QStringLiteral("2 rows repeat an earlier station's id")));
  }

  void stationsInAProjectedCsv() {
    QTemporaryDir dir;
    StationImportOptions o;
    o.source.path = tests::writeFile(dir, QStringLiteral("utm.csv"), "id,easting,northing\nU1,295000,9113000\n");
    o.source.xField = QStringLiteral("easting");
    o.source.yField = QStringLiteral("northing");
    o.source.csvCrs = *Crs::fromEpsg(31985);
    auto stations = importStations(o, olinda());
    QVERIFY2(stations.ok(), stations.ok() ? "" : qPrintable(stations.error().toString()));
    QVERIFY(std::abs(stations->front().position.x - 295000.0) < 1e-6);
    QVERIFY(std::abs(stations->front().position.y - 9113000.0) < 1e-6);
  }

  void milanGridCellsAreAreaSites() {
    NETSPATIAL_SHARED_FILE(grid, "milan/milano-grid.geojson");
    TrafficSiteImportOptions o;
    o.source.path = grid;
    o.idField = QStringLiteral("cellId");
    ImportTarget target;
    target.crs = *Crs::fromEpsg(32632);
    auto toUtm = CoordinateTransform::create(Crs::wgs84(), target.crs);
    target.extent = *toUtm->transformExtent(Extent::fromCorners(9.15, 45.44, 9.22, 45.49));  // central Milan
    ImportReport report;
    auto sites = importTrafficSites(o, target, &report);
    QVERIFY2(sites.ok(), sites.ok() ? "" : qPrintable(sites.error().toString()));
    QVERIFY(sites->size() > 400 && sites->size() < 10000);
    QVERIFY(report.join(QLatin1Char('\n')).contains(QStringLiteral("traffic sites outside the scenario's extent left out")));
    for (const TrafficSite& s : *sites) {
      QVERIFY(s.footprint.isPolygonal());
      // The representative point lies inside its cell, which is about 235 m across.
      const Extent cell = s.footprint.extent();
      QVERIFY(cell.contains(s.position));
      QVERIFY(cell.width() > 200.0 && cell.width() < 270.0);
    }
  }

  void badInput_data() {
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("what");  // stations | sites
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("expected");  // in the message
    QTest::addColumn<int>("row");           // the data row (feature), 1-based, as readVectorLayer numbers them; -1: none
    const QByteArray header = "id,kind,capacity,lon,lat\n";
    QTest::newRow("duplicate id") << header + "A,macro,1,-34.85,-8.01\nA,macro,1,-34.86,-8.01\n"
                                  << "stations"
                                  << "id"
                                  << "duplicate id 'A'" << 2;
    QTest::newRow("empty id") << header + "A,macro,1,-34.85,-8.01\n,macro,1,-34.86,-8.01\n"
                              << "stations"
                              << "id"
                              << "empty id" << 2;
    QTest::newRow("unknown type") << header + "A,femto,1,-34.85,-8.01\n"
                                  << "stations"
                                  << "kind"
                                  << "station type 'femto'" << 1;
    QTest::newRow("negative capacity") << header + "A,macro,-5,-34.85,-8.01\n"
                                       << "stations"
                                       << "capacity"
                                       << "capacity '-5'" << 1;
    QTest::newRow("text capacity") << header + "A,macro,lots,-34.85,-8.01\n"
                                   << "stations"
                                   << "capacity"
                                   << "capacity 'lots'" << 1;
    QTest::newRow("bad longitude") << header + "A,macro,1,west,-8.01\n"
                                   << "stations"
                                   << "lon"
                                   << "not a number" << 1;
    QTest::newRow("latitude out of range") << header + "A,macro,1,-34.85,-98.01\n"
                                           << "stations"
                                           << "lat"
                                           << "not a longitude/latitude" << 1;
    QTest::newRow("no coordinates") << QByteArray("id,kind\nA,macro\n") << "stations"
                                    << "lon"
                                    << "no x/longitude column" << -1;
    QTest::newRow("missing type field") << QByteArray("id,lon,lat\nA,-34.85,-8.01\n") << "stations"
                                        << "kind"
                                        << "no type field 'kind' (the layer has: id, lon, lat)" << -1;
    QTest::newRow("no rows") << header << "stations"
                             << ""
                             << "no features" << -1;
    QTest::newRow("all outside") << header + "A,macro,1,10.0,45.0\n"
                                 << "stations"
                                 << ""
                                 << "no station lies inside" << -1;
    QTest::newRow("site without id field") << QByteArray("name,lon,lat\nX,-34.85,-8.01\n") << "sites"
                                           << "id"
                                           << "no id field 'id'" << -1;
    QTest::newRow("site duplicate id") << QByteArray("id,lon,lat\nX,-34.85,-8.01\nX,-34.86,-8.01\n") << "sites"
                                       << "id"
                                       << "duplicate id 'X'" << 2;
  }

  void badInput() {
    QFETCH(QByteArray, csv);
    QFETCH(QString, what);
    QFETCH(QString, field);
    QFETCH(QString, expected);
    QFETCH(int, row);
    QTemporaryDir dir;
    const QString path = tests::writeFile(dir, QStringLiteral("bad.csv"), csv);
    Error error(ErrorCode::Internal, {});
    if (what == QLatin1String("stations")) {
      StationImportOptions o;
      o.source.path = path;
      o.typeField = csv.contains("kind") ? QStringLiteral("kind") : (field == QLatin1String("kind") ? field : QString());
      o.capacityField = csv.contains("capacity") ? QStringLiteral("capacity") : QString();
      auto r = importStations(o, olinda());
      QVERIFY(!r.ok());
      error = r.error();
    } else {
      TrafficSiteImportOptions o;
      o.source.path = path;
      o.idField = QStringLiteral("id");
      auto r = importTrafficSites(o, olinda());
      QVERIFY(!r.ok());
      error = r.error();
    }
    const QString text = error.toString();
    QVERIFY2(text.contains(expected), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("bad.csv")), qPrintable(text));  // the file is named
    if (row > 0) QCOMPARE(error.context().row.value_or(-1), qint64(row));
    if (!field.isEmpty()) QCOMPARE(error.context().field, field);
  }

  void badFiles() {
    QTemporaryDir dir;
    ImportReport report;
    StationImportOptions o;
    o.source.path = dir.filePath(QStringLiteral("absent.csv"));
    auto missing = importStations(o, olinda());
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().toString().contains(QStringLiteral("absent.csv")));
    o.source.path = tests::writeFile(dir, QStringLiteral("notes.txt"), "not a vector at all\n");
    auto text = importStations(o, olinda());
    QVERIFY(!text.ok());
    QVERIFY(text.error().toString().contains(QStringLiteral("notes.txt")));
    // A line is neither a station nor a site.
    const QString line = tests::writeFile(dir, QStringLiteral("line.geojson"),
                                          R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"L"},)"
                                          R"("geometry":{"type":"LineString","coordinates":[[-34.85,-8.01],[-34.86,-8.02]]}}]})");
    o.source.path = line;
    auto stationLine = importStations(o, olinda());
    QVERIFY(!stationLine.ok());
    QVERIFY(stationLine.error().toString().contains(QStringLiteral("must be a point")));
    QCOMPARE(stationLine.error().context().row.value_or(-1), qint64(1));
    TrafficSiteImportOptions t;
    t.source.path = line;
    t.idField = QStringLiteral("id");
    auto siteLine = importTrafficSites(t, olinda());
    QVERIFY(!siteLine.ok());
    QVERIFY(siteLine.error().toString().contains(QStringLiteral("not a line")));
    // More features than the limit.
    ImportTarget small = olinda();
    small.limits.maxFeatures = 2;
    o.source.path = tests::writeFile(dir, QStringLiteral("many.csv"), "lon,lat\n-34.85,-8.01\n-34.86,-8.01\n-34.87,-8.01\n");
    auto many = importStations(o, small);
    QVERIFY(!many.ok());
    QVERIFY2(many.error().toString().contains(QStringLiteral("more than the 2 an import accepts")), qPrintable(many.error().toString()));
  }
};

QTEST_GUILESS_MAIN(TestSiteImport)
#include "tst_siteimport.moc"
