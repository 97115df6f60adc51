#include "tests/comparenear.h"
#include "core/import/milanscenario.h"
#include "core/scenario/scenariostore.h"
#include "../../testdata.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <cmath>
#include <optional>

using namespace netspatial::core;
using netspatial::tests::writeFile;

namespace {

template <typename R>
QString why(const R& r) {
  return r.ok() ? QString() : r.error().toString();
}

bool near(PointXY a, PointXY b, double tolerance) { return std::abs(a.x - b.x) <= tolerance && std::abs(a.y - b.y) <= tolerance; }

const TrafficSite* siteById(const Scenario& s, const QString& id) {
  for (const TrafficSite& t : s.trafficSites)
    if (t.id == id) return &t;
  return nullptr;
}

const BaseStation* stationById(const Scenario& s, const QString& id) {
  for (const BaseStation& b : s.stations)
    if (b.id == id) return &b;
  return nullptr;
}

bool sameSeries(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::isnan(a[i]) != std::isnan(b[i]) || (!std::isnan(a[i]) && a[i] != b[i])) return false;
  return true;
}

QByteArray sha256Hex(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  QCryptographicHash h(QCryptographicHash::Sha256);
  h.addData(&f);
  return h.result().toHex();
}

//! A GeoJSON square cell of 0.003° × 0.002° at (lon, lat), Milan-like.
QByteArray cellFeature(int cellId, double lon, double lat) {
  return QStringLiteral(
             R"({"type": "Feature", "properties": {"cellId": %1}, "geometry": {"type": "Polygon", "coordinates": [[[%2, %3], [%4, %3], [%4, %5], [%2, %5], [%2, %3]]]}})")
      .arg(cellId)
      .arg(lon, 0, 'f', 6)
      .arg(lat, 0, 'f', 6)
      .arg(lon + 0.003, 0, 'f', 6)
      .arg(lat + 0.002, 0, 'f', 6)
      .toUtf8();
}

QByteArray featureCollection(const QList<QByteArray>& features) {
  return "{\"type\": \"FeatureCollection\", \"features\": [" + features.join(",\n") + "]}\n";
}

//! A tiny Milan-like folder: 3 cells, 2 with traffic (one truncated), and small optional files.
void writeFixture(const QTemporaryDir& dir, bool optionalFiles = true) {
  writeFile(dir, QStringLiteral("milano-grid.geojson"),
            featureCollection({cellFeature(1, 9.10, 45.40), cellFeature(2, 9.103, 45.40), cellFeature(3, 9.10, 45.402)}));
  writeFile(dir, QStringLiteral("traffic_matrixTS.csv"), "5,6,7,8\n1,2\n");
  writeFile(dir, QStringLiteral("traffic_ID_labels.csv"), "2.000000000000000000e+00\n1.000000000000000000e+00\n");
  if (!optionalFiles) return;
  writeFile(dir, QStringLiteral("opencellid_lte_mapped.csv"),
            "bs_id,type,range,created,lng,lat,cellId,distance\n"
            "11,LTE,1000,2016-11-15 07:47:45,9.1015,45.401,1,0.1\n"
            "11,LTE,1000,2016-11-15 07:47:45,9.1015,45.401,2,0.2\n"
            "12,LTE,622,2016-03-25 18:30:50,9.104,45.4015,2,0.0\n");
  writeFile(dir, QStringLiteral("public_transport_stations.csv"),
            ",lat,lng,loc,type,cell_id\n0,45.401,9.1012,Porta Test,metro,1.0\n1,45.4012,9.1041,Stazione Prova,train,2.0\n");
  writeFile(
      dir, QStringLiteral("nil_districts.geojson"),
      "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": {\"ID_NIL\": 74, \"NIL\": \"SACCO\"}, "
      "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[9.10, 45.40], [9.106, 45.40], [9.106, 45.404], [9.10, 45.40]]]}}]}\n");
}

}  // namespace

class TestMilanScenario : public QObject {
  Q_OBJECT

  std::optional<MilanScenarioImport> m_real;  //!< the shared data's import, made once
  QString m_realDir;

  //! Skips when the shared Milan data are absent; imports them once.
  bool realImport() {
    if (m_real) return true;
    const QString grid = netspatial::tests::sharedDataFile(QStringLiteral("milan/milano-grid.geojson"));
    if (!QFileInfo::exists(grid)) return false;
    m_realDir = QFileInfo(grid).absolutePath();
    auto r = importMilanScenario(m_realDir);
    if (!r) {
      qWarning() << r.error().toString();
      return false;
    }
    m_real = std::move(*r);
    return true;
  }

#define NEED_REAL_IMPORT()                                        \
  NETSPATIAL_SHARED_FILE(gridFile_, "milan/milano-grid.geojson"); \
  QVERIFY2(realImport(), "the import of the shared Milan data failed")

 private Q_SLOTS:
  void counts() {
    NEED_REAL_IMPORT();
    const Scenario& s = m_real->scenario;
    QCOMPARE(s.trafficSites.size(), std::size_t(281));
    QCOMPARE(s.trafficObserved.valuesBySite.size(), std::size_t(281));
    QCOMPARE(m_real->completeCells.size(), std::size_t(211));
    QCOMPARE(m_real->truncatedSeries.size(), 70);
    std::size_t complete = 0;
    for (const auto& [site, values] : s.trafficObserved.valuesBySite) {
      QCOMPARE(values.size(), std::size_t(1488));
      complete += std::none_of(values.begin(), values.end(), [](float v) { return std::isnan(v); }) ? 1 : 0;
    }
    QCOMPARE(complete, std::size_t(211));
    QCOMPARE(s.candidates.size(), std::size_t(10000));
    QVERIFY(std::all_of(s.candidates.begin(), s.candidates.end(),
                        [](const Candidate& c) { return c.feasible && c.cell.type == GeometryType::Polygon; }));
    QCOMPARE(s.candidates.front().id, qint64(1));
    QCOMPARE(s.candidates.back().id, qint64(10000));
    QCOMPARE(s.stations.size(), std::size_t(9291));
    int micro = 0;
    for (const BaseStation& b : s.stations) {
      QVERIFY(b.id.startsWith(QStringLiteral("ocid-")));
      QCOMPARE(b.capacity, 0.0);
      micro += b.type == StationType::Micro ? 1 : 0;
    }
    QCOMPARE(micro, 33);  // first rows with range < 1000 m, counted independently from the CSV
    QCOMPARE(s.pois.size(), std::size_t(149));
    QVERIFY(
        std::all_of(s.pois.begin(), s.pois.end(), [](const Poi& p) { return p.category == PoiCategory::Transport && !p.name.isEmpty(); }));
    QCOMPARE(s.pois.front().name, QStringLiteral("Abbiategrasso"));
    QCOMPARE(s.zones.size(), std::size_t(88));
    QVERIFY(std::all_of(s.zones.begin(), s.zones.end(),
                        [](const Zone& z) { return z.zoneClass == ZoneClass::Mixed && z.polygon.isPolygonal(); }));
    QVERIFY(std::any_of(s.zones.begin(), s.zones.end(), [](const Zone& z) { return z.id == 74 && z.name == QStringLiteral("SACCO"); }));
    QVERIFY(m_real->report.join(QLatin1Char('\n')).contains(QStringLiteral("70 of 281")));
  }

  void metadataAndProvenance() {
    NEED_REAL_IMPORT();
    const Scenario& s = m_real->scenario;
    QCOMPARE(s.metadata.crs.authId(), QStringLiteral("EPSG:32632"));
    QCOMPARE(s.metadata.name, QStringLiteral("Milan (Telecom Italia, Nov–Dec 2013)"));
    QCOMPARE(s.metadata.timeZone, QStringLiteral("Europe/Rome"));
    const QDateTime start(QDate(2013, 10, 31), QTime(23, 0), QTimeZone::utc());
    QCOMPARE(s.metadata.seriesStart, start);
    QCOMPARE(s.trafficObserved.start, start);
    QVERIFY(s.metadata.extra.value(QStringLiteral("licence")).toString().contains(QStringLiteral("ODbL")));
    QVERIFY(s.metadata.extra.value(QStringLiteral("source")).toString().contains(QStringLiteral("Barlacchi")));
    QVERIFY(s.metadata.extra.value(QStringLiteral("source.base_stations")).toString().contains(QStringLiteral("CC BY-SA 4.0")));
    QCOMPARE(s.runs.size(), std::size_t(1));
    const RunRecord& r = s.runs[0];
    QCOMPARE(r.kind, QStringLiteral("import"));
    QCOMPARE(r.modelId, QStringLiteral("milan"));
    QCOMPARE(r.dataHashes.size(), 6);
    QCOMPARE(r.dataHashes.value(QStringLiteral("traffic_ID_labels.csv")).toString().toLatin1(),
             sha256Hex(QDir(m_realDir).filePath(QStringLiteral("traffic_ID_labels.csv"))));
    QVERIFY(qAbs(r.time.secsTo(QDateTime::currentDateTimeUtc())) < 600);
  }

  void positions() {
    NEED_REAL_IMPORT();
    const Scenario& s = m_real->scenario;
    // Expected values computed outside the project: the corners of cell 1000 in milano-grid.geojson
    // through `cs2cs EPSG:4326 EPSG:32632` (PROJ 9), then the shoelace centroid. The grid turns out
    // to be an exact 235 m UTM 32N grid.
    const TrafficSite* cell = siteById(s, QStringLiteral("cell-1000"));
    QVERIFY(cell);
    QCOMPARE(cell->name, QStringLiteral("Grid cell 1000"));
    QVERIFY2(near(cell->position, {524282.5, 5024807.5}, 1.0),
             qPrintable(QStringLiteral("%1 %2").arg(cell->position.x, 0, 'f', 3).arg(cell->position.y, 0, 'f', 3)));
    const Extent e = cell->footprint.extent();
    {
      NETSPATIAL_COMPARE_NEAR(e.width(), 235.0, 0.01);
      NETSPATIAL_COMPARE_NEAR(e.height(), 235.0, 0.01);
    }
    NETSPATIAL_COMPARE_NEAR(cell->footprint.area(), 235.0 * 235.0, 1.0);
    // The grid's outline: x 500900 – 524400, y 5022575 – 5046075 (cells 1 and 10000 through cs2cs).
    const Extent aoi = s.aoi.extent();
    QVERIFY2(near({aoi.xMin, aoi.yMin}, {500900.0, 5022575.0}, 0.01) && near({aoi.xMax, aoi.yMax}, {524400.0, 5046075.0}, 0.01),
             qPrintable(QStringLiteral("%1 %2 %3 %4").arg(aoi.xMin).arg(aoi.yMin).arg(aoi.xMax).arg(aoi.yMax)));
    NETSPATIAL_COMPARE_NEAR(s.aoi.area(), 23500.0 * 23500.0, 100.0);
    // Stations: `echo "45.361862182617 9.0149688720703" | cs2cs EPSG:4326 EPSG:32632`.
    const BaseStation* macro = stationById(s, QStringLiteral("ocid-128433409"));
    QVERIFY(macro);
    QVERIFY(macro->type == StationType::Macro);
    QCOMPARE(macro->name, QStringLiteral("OpenCellID 128433409"));
    QVERIFY(near(macro->position, {501172.3264, 5023150.0900}, 0.01));
    const BaseStation* micro = stationById(s, QStringLiteral("ocid-6945037"));  // range 622 m
    QVERIFY(micro);
    QVERIFY(micro->type == StationType::Micro);
    QVERIFY(near(micro->position, {511328.5786, 5024198.5395}, 0.01));
    // Everything lies in and around the grid.
    Extent around = aoi;
    around.include(PointXY{aoi.xMin - 20000.0, aoi.yMin - 20000.0});
    around.include(PointXY{aoi.xMax + 20000.0, aoi.yMax + 20000.0});
    for (const Poi& p : s.pois) QVERIFY(around.contains(p.position));
    for (const Zone& z : s.zones) QVERIFY(around.contains(z.polygon.extent()));
  }

  void truncatedSeriesAreNaN() {
    NEED_REAL_IMPORT();
    const Scenario& s = m_real->scenario;
    // traffic_ID_labels.csv row 1 is cell 1, and the matrix's first row starts 13, 11, 8.
    const auto& first = s.trafficObserved.valuesBySite.at(QStringLiteral("cell-1"));
    QCOMPARE(first[0], 13.0f);
    QCOMPARE(first[1], 11.0f);
    QCOMPARE(first[2], 8.0f);
    QVERIFY(m_real->truncatedSeries.first().startsWith(QStringLiteral("cell ")));
    // A truncated row: the report names it; its tail is NaN, never zero.
    const auto& cut = s.trafficObserved.valuesBySite.at(QStringLiteral("cell-1188"));
    QVERIFY(!std::isnan(cut[1463]));
    QVERIFY(std::isnan(cut[1464]) && std::isnan(cut.back()));
  }

  void saveAndLoadRoundTrip() {
    NEED_REAL_IMPORT();
    const Scenario& a = m_real->scenario;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("milan.gpkg"));
    const Status saved = saveScenario(a, path);
    QVERIFY2(saved.ok(), qPrintable(why(saved)));
    const auto loaded = loadScenario(path);
    QVERIFY2(loaded.ok(), qPrintable(why(loaded)));
    const Scenario& b = *loaded;
    QCOMPARE(b.metadata.name, a.metadata.name);
    QCOMPARE(b.metadata.seriesStart, a.metadata.seriesStart);
    QCOMPARE(b.metadata.extra, a.metadata.extra);
    QCOMPARE(b.trafficSites.size(), a.trafficSites.size());
    for (std::size_t i = 0; i < a.trafficSites.size(); ++i) {
      QCOMPARE(b.trafficSites[i].id, a.trafficSites[i].id);
      QVERIFY(b.trafficSites[i].position == a.trafficSites[i].position);
      QVERIFY(b.trafficSites[i].footprint.parts == a.trafficSites[i].footprint.parts);
    }
    QCOMPARE(b.stations.size(), a.stations.size());
    QCOMPARE(b.pois.size(), a.pois.size());
    QCOMPARE(b.zones.size(), a.zones.size());
    QCOMPARE(b.candidates.size(), a.candidates.size());
    QVERIFY(b.aoi.parts == a.aoi.parts);
    QCOMPARE(b.trafficObserved.start, a.trafficObserved.start);
    QCOMPARE(b.trafficObserved.valuesBySite.size(), a.trafficObserved.valuesBySite.size());
    for (const auto& [site, values] : a.trafficObserved.valuesBySite)
      QVERIFY2(sameSeries(b.trafficObserved.valuesBySite.at(site), values), qPrintable(site));
    QCOMPARE(b.runs.size(), std::size_t(1));
    QCOMPARE(b.runs[0].dataHashes, a.runs[0].dataHashes);
  }

  // ---- fixtures made by the test: run without the shared data -------------------------------

  void smallFolder() {
    QTemporaryDir dir;
    writeFixture(dir);
    Feedback fb;
    double last = -1.0;
    bool monotone = true;
    fb.setProgressCallback([&](double f, const QString&) {
      monotone = monotone && f >= last;
      last = f;
    });
    auto r = importMilanScenario(dir.path(), &fb);
    QVERIFY2(r.ok(), qPrintable(why(r)));
    QVERIFY(monotone);
    QCOMPARE(fb.progress(), 1.0);
    const Scenario& s = r->scenario;
    QCOMPARE(s.candidates.size(), std::size_t(3));
    QCOMPARE(s.trafficSites.size(), std::size_t(2));
    QCOMPARE(s.trafficSites[0].id, QStringLiteral("cell-1"));
    QVERIFY(sameSeries(s.trafficObserved.valuesBySite.at(QStringLiteral("cell-1")), {1.0f, 2.0f, NAN, NAN}));
    QVERIFY(sameSeries(s.trafficObserved.valuesBySite.at(QStringLiteral("cell-2")), {5.0f, 6.0f, 7.0f, 8.0f}));
    QCOMPARE(r->truncatedSeries.size(), 1);
    QVERIFY(r->completeCells == std::vector<int>{2});
    QCOMPARE(s.stations.size(), std::size_t(2));
    QVERIFY(s.stations[0].type == StationType::Macro && s.stations[1].type == StationType::Micro);
    QCOMPARE(s.pois.size(), std::size_t(2));
    QCOMPARE(s.pois[1].name, QStringLiteral("Stazione Prova"));
    QCOMPARE(s.zones.size(), std::size_t(1));
    QCOMPARE(s.zones[0].id, qint64(74));
    QVERIFY(s.aoi.extent().contains(s.candidates[2].cell.extent()));
    // The traffic site's position is its cell's centroid, inside the cell.
    QVERIFY(s.trafficSites[1].footprint.extent().contains(s.trafficSites[1].position));
    QTemporaryDir out;
    const Status saved = saveScenario(s, out.filePath(QStringLiteral("small.gpkg")));
    QVERIFY2(saved.ok(), qPrintable(why(saved)));
  }

  void optionalFilesMayBeAbsent() {
    QTemporaryDir dir;
    writeFixture(dir, false);
    auto r = importMilanScenario(dir.path());
    QVERIFY2(r.ok(), qPrintable(why(r)));
    QVERIFY(r->scenario.stations.empty() && r->scenario.pois.empty() && r->scenario.zones.empty());
    const QString report = r->report.join(QLatin1Char('\n'));
    for (const char* file : {"opencellid_lte_mapped.csv", "public_transport_stations.csv", "nil_districts.geojson"})
      QVERIFY2(report.contains(QString::fromLatin1(file) + QStringLiteral(" is absent")), qPrintable(report));
    QCOMPARE(r->scenario.runs[0].dataHashes.size(), 3);
  }

  void requiredFilesMustBePresent_data() {
    QTest::addColumn<QString>("file");
    for (const char* f : {"milano-grid.geojson", "traffic_matrixTS.csv", "traffic_ID_labels.csv"})
      QTest::newRow(f) << QString::fromLatin1(f);
  }
  void requiredFilesMustBePresent() {
    QFETCH(QString, file);
    QTemporaryDir dir;
    writeFixture(dir);
    QVERIFY(QFile::remove(dir.filePath(file)));
    auto r = importMilanScenario(dir.path());
    QVERIFY(!r.ok());
    QVERIFY(r.error().code() == ErrorCode::FileNotFound);
    QCOMPARE(r.error().context().file, QDir(dir.path()).absoluteFilePath(file));
    const auto none = importMilanScenario(dir.filePath(QStringLiteral("nowhere")));
    QVERIFY(!none.ok() && none.error().code() == ErrorCode::FileNotFound);
  }

  void badFilesNameFileRowAndField_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<qint64>("row");
    QTest::addColumn<QString>("field");
    QTest::newRow("grid cellId") << "milano-grid.geojson"
                                 << featureCollection(
                                        {cellFeature(1, 9.10, 45.40),
                                         QByteArray(cellFeature(2, 9.103, 45.40)).replace("\"cellId\": 2", "\"cellId\": \"two\"")})
                                 << qint64(2) << "cellId";
    QTest::newRow("grid duplicate") << "milano-grid.geojson"
                                    << featureCollection({cellFeature(1, 9.10, 45.40), cellFeature(1, 9.103, 45.40)}) << qint64(2)
                                    << "cellId";
    QTest::newRow("grid not json") << "milano-grid.geojson" << QByteArray("{\"type\": \"FeatureCollection\", \"features\": [") << qint64(-1)
                                   << "";
    QTest::newRow("matrix value") << "traffic_matrixTS.csv" << QByteArray("5,6,x,8\n1,2\n") << qint64(1) << "hour 3";
    QTest::newRow("labels unknown cell") << "traffic_ID_labels.csv" << QByteArray("2.0e+00\n7.0e+00\n") << qint64(-1) << "cellId";
    QTest::newRow("station range")
        << "opencellid_lte_mapped.csv"
        << QByteArray("bs_id,type,range,created,lng,lat,cellId,distance\n11,LTE,1000,x,9.10,45.40,1,0\n12,LTE,far,x,9.10,45.40,1,0\n")
        << qint64(2) << "range";
    QTest::newRow("station lat") << "opencellid_lte_mapped.csv"
                                 << QByteArray("bs_id,type,range,created,lng,lat,cellId,distance\n11,LTE,1000,x,9.10,north,1,0\n")
                                 << qint64(1) << "lat";
    QTest::newRow("station id") << "opencellid_lte_mapped.csv"
                                << QByteArray("bs_id,type,range,created,lng,lat,cellId,distance\n,LTE,1000,x,9.10,45.40,1,0\n") << qint64(1)
                                << "bs_id";
    QTest::newRow("transit name column") << "public_transport_stations.csv" << QByteArray(",lat,lng,type\n0,45.40,9.10,metro\n")
                                         << qint64(-1) << "loc";
    QTest::newRow("district id") << "nil_districts.geojson"
                                 << QByteArray(
                                        "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": "
                                        "{\"ID_NIL\": \"x\", \"NIL\": \"A\"}, "
                                        "\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[9.10, 45.40], [9.106, 45.40], [9.106, "
                                        "45.404], [9.10, 45.40]]]}}]}")
                                 << qint64(1) << "ID_NIL";
  }
  void badFilesNameFileRowAndField() {
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QFETCH(qint64, row);
    QFETCH(QString, field);
    QTemporaryDir dir;
    writeFixture(dir);
    writeFile(dir, file, content);
    auto r = importMilanScenario(dir.path());
    QVERIFY(!r.ok());
    const Error& e = r.error();
    QVERIFY2(e.context().file.endsWith(QLatin1Char('/') + file), qPrintable(e.toString()));
    QVERIFY2(e.toString().contains(file), qPrintable(e.toString()));
    if (row >= 0) {
      QVERIFY2(e.context().row.has_value(), qPrintable(e.toString()));
      QCOMPARE(*e.context().row, row);
    }
    if (!field.isEmpty()) QCOMPARE(e.context().field, field);
  }

  void cancel() {
    QTemporaryDir dir;
    writeFixture(dir);
    Feedback fb;
    fb.setProgressCallback([&](double f, const QString&) {
      if (f >= 0.3) fb.cancel();
    });
    auto r = importMilanScenario(dir.path(), &fb);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().code() == ErrorCode::Cancelled, qPrintable(r.error().toString()));
  }
};

QTEST_GUILESS_MAIN(TestMilanScenario)
#include "tst_milanscenario.moc"
