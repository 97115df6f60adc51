#include "core/scenario/scenariostore.h"
#include "scenariotestutil.h"
#include "../../testdata.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <cmath>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace netspatial::core;
using netspatial::tests::sameFloats;
using netspatial::tests::smallScenario;
using netspatial::tests::why;

namespace {

QByteArray fileHash(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  QCryptographicHash h(QCryptographicHash::Sha256);
  h.addData(&f);
  return h.result();
}

bool sameGeometry(const Geometry& a, const Geometry& b) { return a.type == b.type && a.parts == b.parts; }

QString runTool(const QString& program, const QStringList& args) {
  QProcess p;
  p.start(program, args);
  if (!p.waitForFinished(60000)) return {};
  return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
}

//! Runs SQL statements on a saved file, to make bad inputs out of a good one.
void execSql(const QString& path, const QStringList& statements) {
  GDALDatasetH ds = GDALOpenEx(path.toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr);
  QVERIFY(ds);
  for (const QString& sql : statements) {
    OGRLayerH rs = GDALDatasetExecuteSQL(ds, sql.toUtf8().constData(), nullptr, nullptr);
    if (rs) GDALDatasetReleaseResultSet(ds, rs);
  }
  GDALClose(ds);
}

void deleteLayer(const QString& path, const char* name) {
  GDALDatasetH ds = GDALOpenEx(path.toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr);
  QVERIFY(ds);
  for (int i = 0; i < GDALDatasetGetLayerCount(ds); ++i)
    if (std::strcmp(OGR_L_GetName(GDALDatasetGetLayer(ds, i)), name) == 0) GDALDatasetDeleteLayer(ds, i);
  GDALClose(ds);
}

//! Replaces base_stations by a layer without the UNIQUE constraint holding two stations with one id.
void writeDuplicateStations(const QString& path) {
  deleteLayer(path, "base_stations");
  GDALDatasetH ds = GDALOpenEx(path.toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr);
  QVERIFY(ds);
  OGRSpatialReferenceH srs = OSRClone(OGR_L_GetSpatialRef(GDALDatasetGetLayerByName(ds, "pois")));
  OGRLayerH l = GDALDatasetCreateLayer(ds, "base_stations", srs, wkbPoint, nullptr);
  OSRRelease(srs);
  QVERIFY(l);
  for (const char* name : {"id", "name", "type"}) {
    OGRFieldDefnH fd = OGR_Fld_Create(name, OFTString);
    OGR_L_CreateField(l, fd, TRUE);
    OGR_Fld_Destroy(fd);
  }
  OGRFieldDefnH fd = OGR_Fld_Create("capacity", OFTReal);
  OGR_L_CreateField(l, fd, TRUE);
  OGR_Fld_Destroy(fd);
  for (const char* id : {"S1", "S2", "S1"}) {
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    OGR_F_SetFieldString(f, 0, id);
    OGR_F_SetFieldString(f, 2, "macro");
    OGR_F_SetFieldDouble(f, 3, 10.0);
    OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(g, 0, 500000, 5034000);
    OGR_F_SetGeometryDirectly(f, g);
    QCOMPARE(OGR_L_CreateFeature(l, f), OGRERR_NONE);
    OGR_F_Destroy(f);
  }
  GDALClose(ds);
}

//! smallScenario plus two traffic sites: a grid cell with a footprint (and a hole, to check rings)
//! and a bare measurement point, each with observed traffic.
Scenario scenarioWithTrafficSites(bool withPointSite = true) {
  Scenario s = smallScenario(3, 24);
  using netspatial::tests::rectangle;
  TrafficSite cell;
  cell.id = QStringLiteral("cell-5060");
  cell.name = QStringLiteral("Grid cell 5060 – Duomo");
  cell.footprint = rectangle(514120.0, 5034340.0, 514355.0, 5034575.0);
  cell.footprint.parts[0].push_back({{514200.0, 5034400.0}, {514210.0, 5034400.0}, {514210.0, 5034410.0}, {514200.0, 5034400.0}});
  cell.position = {514237.5, 5034457.5};
  s.trafficSites.push_back(cell);
  if (withPointSite) {
    TrafficSite probe;
    probe.id = QStringLiteral("probe-1");
    probe.name = QStringLiteral("Drive-test point");
    probe.position = {500123.25, 5034001.125};
    s.trafficSites.push_back(probe);
  }
  for (const TrafficSite& t : s.trafficSites) {
    std::vector<float> v(24);
    for (int h = 0; h < 24; ++h) v[std::size_t(h)] = float(h) * 0.5f + 1.0f;
    v[5] = std::numeric_limits<float>::quiet_NaN();
    s.trafficObserved.valuesBySite[t.id] = v;
  }
  return s;
}

//! The declared geometry type of a layer in a saved file.
OGRwkbGeometryType layerGeometryType(const QString& path, const char* layer) {
  GDALDatasetH ds = GDALOpenEx(path.toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (!ds) return wkbNone;
  OGRLayerH l = GDALDatasetGetLayerByName(ds, layer);
  const OGRwkbGeometryType t = l ? OGR_L_GetGeomType(l) : wkbNone;
  GDALClose(ds);
  return t;
}

}  // namespace

class TestScenarioStore : public QObject {
  Q_OBJECT

  QTemporaryDir m_dir;
  Scenario m_scenario = smallScenario();

  QString savedCopy(const QString& name) {
    const QString path = m_dir.filePath(name);
    QFile::remove(path);
    const Status s = saveScenario(m_scenario, path);
    if (!s) qWarning() << s.error().toString();
    return s ? path : QString();
  }

  void expectLoadError(const QString& path, ErrorCode code, const QString& needle, std::optional<qint64> row = {},
                       const QString& field = {}) {
    const auto r = loadScenario(path);
    QVERIFY2(!r.ok(), qPrintable(path));
    const Error& e = r.error();
    QVERIFY2(e.code() == code, qPrintable(errorCodeName(e.code()) + QStringLiteral(": ") + e.toString()));
    QCOMPARE(e.context().file, path);
    QVERIFY2(e.toString().contains(needle), qPrintable(e.toString()));
    if (row) {
      QVERIFY2(e.context().row.has_value(), qPrintable(e.toString()));
      QCOMPARE(*e.context().row, *row);
    }
    if (!field.isEmpty()) QCOMPARE(e.context().field, field);
  }

 private Q_SLOTS:
  void initTestCase() {
    GDALAllRegister();
    QVERIFY(m_dir.isValid());
  }

  void roundTrip() {
    const QString path = m_dir.filePath(QStringLiteral("roundtrip.gpkg"));
    Feedback fb;
    double last = -1.0;
    bool monotone = true;
    fb.setProgressCallback([&](double f, const QString&) {
      monotone = monotone && f >= last;
      last = f;
    });
    const Status saved = saveScenario(m_scenario, path, &fb);
    QVERIFY2(saved.ok(), qPrintable(why(saved)));
    QVERIFY(monotone);
    QCOMPARE(fb.progress(), 1.0);
    const auto loaded = loadScenario(path);
    QVERIFY2(loaded.ok(), qPrintable(why(loaded)));
    const Scenario& a = m_scenario;
    const Scenario& b = *loaded;

    QCOMPARE(b.metadata.name, a.metadata.name);
    QVERIFY(b.metadata.crs.isEquivalentTo(a.metadata.crs));
    QCOMPARE(b.metadata.crs.authId(), QStringLiteral("EPSG:32632"));
    QCOMPARE(b.metadata.timeZone, a.metadata.timeZone);
    QCOMPARE(b.metadata.trafficUnit, a.metadata.trafficUnit);
    QCOMPARE(b.metadata.seriesStart, a.metadata.seriesStart);
    QCOMPARE(b.metadata.preset, a.metadata.preset);
    QCOMPARE(b.metadata.seed, a.metadata.seed);
    QCOMPARE(b.metadata.extra, a.metadata.extra);

    QCOMPARE(b.stations.size(), a.stations.size());
    for (std::size_t i = 0; i < a.stations.size(); ++i) {
      QCOMPARE(b.stations[i].id, a.stations[i].id);
      QCOMPARE(b.stations[i].name, a.stations[i].name);
      QVERIFY(b.stations[i].type == a.stations[i].type);
      QCOMPARE(b.stations[i].capacity, a.stations[i].capacity);
      QVERIFY(b.stations[i].position == a.stations[i].position);
    }
    QCOMPARE(b.pois.size(), a.pois.size());
    for (std::size_t i = 0; i < a.pois.size(); ++i) {
      QCOMPARE(b.pois[i].id, a.pois[i].id);
      QVERIFY(b.pois[i].category == a.pois[i].category);
      QCOMPARE(b.pois[i].name, a.pois[i].name);
      QVERIFY(b.pois[i].position == a.pois[i].position);
    }
    QCOMPARE(b.zones.size(), a.zones.size());
    for (std::size_t i = 0; i < a.zones.size(); ++i) {
      QCOMPARE(b.zones[i].id, a.zones[i].id);
      QVERIFY(b.zones[i].zoneClass == a.zones[i].zoneClass);
      QCOMPARE(b.zones[i].name, a.zones[i].name);
      QVERIFY2(sameGeometry(b.zones[i].polygon, a.zones[i].polygon), qPrintable(QString::number(i)));
    }
    QVERIFY(sameGeometry(b.aoi, a.aoi));
    QCOMPARE(b.candidates.size(), a.candidates.size());
    for (std::size_t i = 0; i < a.candidates.size(); ++i) {
      QCOMPARE(b.candidates[i].id, a.candidates[i].id);
      QCOMPARE(b.candidates[i].feasible, a.candidates[i].feasible);
      QCOMPARE(b.candidates[i].reason, a.candidates[i].reason);
      QVERIFY(sameGeometry(b.candidates[i].cell, a.candidates[i].cell));
    }

    QCOMPARE(b.imagery.grid.width, a.imagery.grid.width);
    QCOMPARE(b.imagery.grid.height, a.imagery.grid.height);
    QVERIFY(b.imagery.grid.geoTransform == a.imagery.grid.geoTransform);
    QVERIFY(b.imagery.grid.rgb == a.imagery.grid.rgb);
    QVERIFY(b.imagery.externalPath.isEmpty());
    QCOMPARE(b.population.grid.width, a.population.grid.width);
    QCOMPARE(b.population.grid.height, a.population.grid.height);
    QVERIFY(b.population.grid.geoTransform == a.population.grid.geoTransform);
    QVERIFY(sameFloats(b.population.grid.values, a.population.grid.values));

    QCOMPARE(b.trafficObserved.start, a.trafficObserved.start);
    QCOMPARE(b.trafficObserved.valuesBySite.size(), a.trafficObserved.valuesBySite.size());
    for (const auto& [site, values] : a.trafficObserved.valuesBySite) {
      QVERIFY(b.trafficObserved.valuesBySite.count(site));
      QVERIFY2(sameFloats(b.trafficObserved.valuesBySite.at(site), values), qPrintable(site));
    }
    QCOMPARE(b.trafficGenerated.size(), a.trafficGenerated.size());
    QCOMPARE(b.trafficGenerated[0].runId, a.trafficGenerated[0].runId);
    QCOMPARE(b.trafficGenerated[0].start, a.trafficGenerated[0].start);
    QCOMPARE(b.trafficGenerated[0].samplesBySite.size(), a.trafficGenerated[0].samplesBySite.size());
    for (const auto& [site, samples] : a.trafficGenerated[0].samplesBySite) {
      const auto& other = b.trafficGenerated[0].samplesBySite.at(site);
      QCOMPARE(other.size(), samples.size());
      for (std::size_t k = 0; k < samples.size(); ++k) QVERIFY(sameFloats(other[k], samples[k]));
    }
    QCOMPARE(b.runs.size(), a.runs.size());
    QCOMPARE(b.runs[0].runId, a.runs[0].runId);
    QCOMPARE(b.runs[0].kind, a.runs[0].kind);
    QCOMPARE(b.runs[0].modelId, a.runs[0].modelId);
    QCOMPARE(b.runs[0].weightsSha256, a.runs[0].weightsSha256);
    QCOMPARE(b.runs[0].seed, a.runs[0].seed);
    QCOMPARE(b.runs[0].parameters, a.runs[0].parameters);
    QCOMPARE(b.runs[0].dataHashes, a.runs[0].dataHashes);
    QCOMPARE(b.runs[0].time, a.runs[0].time);
    QCOMPARE(b.rankings.size(), a.rankings.size());
    for (std::size_t i = 0; i < a.rankings.size(); ++i) {
      QCOMPARE(b.rankings[i].runId, a.rankings[i].runId);
      QCOMPARE(b.rankings[i].rank, a.rankings[i].rank);
      QCOMPARE(b.rankings[i].siteId, a.rankings[i].siteId);
      QCOMPARE(b.rankings[i].utility, a.rankings[i].utility);
      QCOMPARE(b.rankings[i].value, a.rankings[i].value);
      QCOMPARE(b.rankings[i].extra.keys(), a.rankings[i].extra.keys());
      for (const QString& k : a.rankings[i].extra.keys())
        QCOMPARE(b.rankings[i].extra.value(k).toDouble(), a.rankings[i].extra.value(k).toDouble());
    }
    QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("roundtrip.gpkg")});
  }

  void emptyScenarioRoundTrips() {
    Scenario s;
    s.metadata.crs = Crs::fromEpsg(32725).value();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("empty.gpkg"));
    const Status saved = saveScenario(s, path);
    QVERIFY2(saved.ok(), qPrintable(why(saved)));
    const auto loaded = loadScenario(path);
    QVERIFY2(loaded.ok(), qPrintable(why(loaded)));
    QVERIFY(loaded->stations.empty());
    QVERIFY(loaded->aoi.isEmpty());
    QVERIFY(!loaded->imagery.isSet());
    QVERIFY(!loaded->population.isSet());
    QVERIFY(loaded->trafficObserved.isEmpty());
  }

  void gdalToolsSeeTheLayers() {
    // Large enough for GeoPackage overviews, which need more than one 256-pixel tile.
    const QString path = m_dir.filePath(QStringLiteral("tools.gpkg"));
    const Status saved = saveScenario(smallScenario(3, 5, 600, 300), path);
    QVERIFY2(saved.ok(), qPrintable(why(saved)));
    const QString ogr = runTool(QStringLiteral("ogrinfo"), {QStringLiteral("-ro"), QStringLiteral("-so"), path});
    if (ogr.isEmpty()) QSKIP("ogrinfo is not installed");
    for (const char* layer : {"base_stations", "traffic_sites", "pois", "zones", "aoi", "candidates", "traffic_observed",
                              "traffic_generated", "generated_summary", "rankings", "runs", "project_models", "metadata"})
      QVERIFY2(ogr.contains(QRegularExpression(QStringLiteral("\\d+: %1( |$)").arg(QString::fromLatin1(layer)),
                                               QRegularExpression::MultilineOption)),
               qPrintable(QStringLiteral("%1 missing in:\n%2").arg(QString::fromLatin1(layer), ogr)));
    const QString info = runTool(QStringLiteral("gdalinfo"), {path});
    QVERIFY2(info.contains(QStringLiteral("GPKG:%1:imagery").arg(path)), qPrintable(info));
    QVERIFY2(info.contains(QStringLiteral("GPKG:%1:population").arg(path)), qPrintable(info));
    const QString imagery = runTool(QStringLiteral("gdalinfo"), {QStringLiteral("GPKG:%1:imagery").arg(path)});
    QVERIFY2(imagery.contains(QStringLiteral("Band 3")), qPrintable(imagery));
    QVERIFY2(!imagery.contains(QStringLiteral("Band 4")), qPrintable(imagery));
    QVERIFY2(imagery.contains(QStringLiteral("Overviews: 300x150, 150x75")), qPrintable(imagery));
    const QString population = runTool(QStringLiteral("gdalinfo"), {QStringLiteral("GPKG:%1:population").arg(path)});
    QVERIFY2(population.contains(QStringLiteral("Type=Float32")), qPrintable(population));
    // GDAL's own GeoPackage conformance checker, where the Python bindings ship it.
    const QString validator = QStringLiteral("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py");
    if (QFileInfo::exists(validator)) {
      QProcess p;
      p.start(QStringLiteral("python3"), {validator, path});
      QVERIFY(p.waitForFinished(60000));
      const QString report = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
      QVERIFY2(p.exitCode() == 0 && report.trimmed().isEmpty(), qPrintable(report));
    }
  }

  void failedSaveLeavesTheFileUnchanged() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.gpkg"));
    QVERIFY(saveScenario(m_scenario, path).ok());
    const QByteArray before = fileHash(path);
    Scenario other = smallScenario(2, 10);
    other.metadata.name = QStringLiteral("B");
    for (int steps : {0, 2, 11}) {
      ScenarioSaveOptions options;
      options.failAfterSteps = steps;
      const Status s = saveScenario(other, path, nullptr, options);
      QVERIFY(!s.ok());
      QVERIFY2(s.error().code() == ErrorCode::Io, qPrintable(why(s)));
      QCOMPARE(s.error().context().file, path);
      QCOMPARE(fileHash(path), before);
      QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("a.gpkg")});
    }
    const auto loaded = loadScenario(path);
    QVERIFY(loaded.ok());
    QCOMPARE(loaded->metadata.name, m_scenario.metadata.name);
    QCOMPARE(loaded->stations.size(), m_scenario.stations.size());
  }

  void cancelledSaveLeavesTheFileUnchanged() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("a.gpkg"));
    QVERIFY(saveScenario(m_scenario, path).ok());
    const QByteArray before = fileHash(path);
    for (double at : {0.0, 0.3, 0.95}) {
      Feedback fb;
      fb.setProgressCallback([&](double f, const QString&) {
        if (f >= at && f > 0.0) fb.cancel();
      });
      Scenario other = smallScenario(3, 10);
      const Status s = saveScenario(other, path, &fb);
      QVERIFY(!s.ok());
      QVERIFY2(s.error().code() == ErrorCode::Cancelled, qPrintable(why(s)));
      QCOMPARE(fileHash(path), before);
      QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("a.gpkg")});
    }
    // A new file that is cancelled is never created.
    Feedback fb;
    fb.cancel();
    QVERIFY(!saveScenario(m_scenario, dir.filePath(QStringLiteral("new.gpkg")), &fb).ok());
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("new.gpkg"))));
  }

  void saveRejectsBadScenarios() {
    QTemporaryDir dir;
    Scenario dup = smallScenario(3, 4);
    dup.stations[2].id = QStringLiteral("S1");
    const Status s = saveScenario(dup, dir.filePath(QStringLiteral("dup.gpkg")));
    QVERIFY(!s.ok());
    QVERIFY(s.error().code() == ErrorCode::InvalidValue);
    QVERIFY(s.error().toString().contains(QStringLiteral("'S1'")));
    QCOMPARE(*s.error().context().row, qint64(3));
    Scenario noCrs = smallScenario(1, 1);
    noCrs.metadata.crs = Crs();
    QVERIFY(saveScenario(noCrs, dir.filePath(QStringLiteral("nocrs.gpkg"))).error().code() == ErrorCode::UnknownCrs);
    QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
  }

  void notAGeoPackage() {
    const QString text = m_dir.filePath(QStringLiteral("notes.gpkg"));
    QFile f(text);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("site_id,t,value\nS1,2025-01-01T00:00:00Z,3\n");
    f.close();
    expectLoadError(text, ErrorCode::UnsupportedFormat, QStringLiteral("GeoPackage"));
    expectLoadError(m_dir.filePath(QStringLiteral("absent.gpkg")), ErrorCode::FileNotFound, QStringLiteral("absent.gpkg"));
  }

  void geoTiffIsRefused() {
    NETSPATIAL_SHARED_FILE(tif, "olinda/L7_ETMs.tif");
    expectLoadError(tif, ErrorCode::UnsupportedFormat, QStringLiteral("L7_ETMs.tif"));
  }

  void missingRequiredLayer_data() {
    QTest::addColumn<QString>("layer");
    for (const char* l : {"metadata", "base_stations", "zones", "pois"}) QTest::newRow(l) << QString::fromLatin1(l);
  }
  void missingRequiredLayer() {
    QFETCH(QString, layer);
    const QString path = savedCopy(QStringLiteral("missing-%1.gpkg").arg(layer));
    deleteLayer(path, layer.toUtf8().constData());
    expectLoadError(path, ErrorCode::MissingField, layer);
  }

  void layerInAnotherCrs() {
    const QString path = savedCopy(QStringLiteral("crs.gpkg"));
    execSql(path, {QStringLiteral("UPDATE gpkg_geometry_columns SET srs_id = 4326 WHERE table_name = 'zones'"),
                   QStringLiteral("UPDATE gpkg_contents SET srs_id = 4326 WHERE table_name = 'zones'")});
    expectLoadError(path, ErrorCode::UnknownCrs, QStringLiteral("zones"));
  }

  void duplicateStationIds() {
    const QString path = savedCopy(QStringLiteral("dup.gpkg"));
    writeDuplicateStations(path);
    expectLoadError(path, ErrorCode::InvalidValue, QStringLiteral("'S1'"), 3, QStringLiteral("id"));
  }

  void badValues_data() {
    QTest::addColumn<QString>("sql");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("needle");
    QTest::addColumn<qint64>("row");
    QTest::addColumn<QString>("field");
    const int invalid = int(ErrorCode::InvalidValue);
    QTest::newRow("zone class") << "UPDATE zones SET class = 'volcano' WHERE fid = 2" << invalid << "volcano" << qint64(2) << "class";
    QTest::newRow("poi category") << "UPDATE pois SET category = 'spaceport' WHERE fid = 4" << invalid << "spaceport" << qint64(4)
                                  << "category";
    QTest::newRow("station type") << "UPDATE base_stations SET type = 'mega' WHERE fid = 2" << invalid << "mega" << qint64(2) << "type";
    QTest::newRow("negative traffic") << "UPDATE traffic_observed SET value = -3 WHERE fid = 7" << invalid << "negative" << qint64(7)
                                      << "value";
    QTest::newRow("text traffic") << "UPDATE traffic_observed SET value = 'lots' WHERE fid = 9" << invalid << "lots" << qint64(9)
                                  << "value";
    QTest::newRow("unknown site") << "UPDATE traffic_observed SET site_id = 'X9' WHERE fid = 11" << invalid << "X9" << qint64(11)
                                  << "site_id";
    QTest::newRow("bad time") << "UPDATE traffic_observed SET t = 'yesterday' WHERE fid = 12" << int(ErrorCode::ParseError) << "yesterday"
                              << qint64(12) << "t";
    QTest::newRow("off-axis time") << "UPDATE traffic_observed SET t = '2025-03-03T00:30:00Z' WHERE fid = 13" << invalid << "hourly"
                                   << qint64(13) << "t";
  }
  void badValues() {
    QFETCH(QString, sql);
    QFETCH(int, code);
    QFETCH(QString, needle);
    QFETCH(qint64, row);
    QFETCH(QString, field);
    const QString path = savedCopy(
        QStringLiteral("bad-%1.gpkg").arg(QString::fromLatin1(QTest::currentDataTag()).replace(QLatin1Char(' '), QLatin1Char('-'))));
    execSql(path, {sql});
    expectLoadError(path, ErrorCode(code), needle, row, field);
  }

  void externalRasterReference() {
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("rasters")));
    Scenario s = smallScenario(2, 4);
    s.imagery = {};
    s.imagery.externalPath = QStringLiteral("rasters/ortho.tif");  // relative to the .gpkg's folder
    s.population = {};
    s.population.externalPath = QStringLiteral("/data/worldpop/ita_ppp_2020.tif");
    const QString path = dir.filePath(QStringLiteral("ext.gpkg"));
    const Status saved = saveScenario(s, path);
    QVERIFY2(saved.ok(), qPrintable(why(saved)));
    const QString info = runTool(QStringLiteral("gdalinfo"), {path});
    QVERIFY2(!info.contains(QStringLiteral(":imagery")), qPrintable(info));
    const auto loaded = loadScenario(path);
    QVERIFY2(loaded.ok(), qPrintable(why(loaded)));
    QCOMPARE(loaded->imagery.externalPath, QDir(dir.path()).filePath(QStringLiteral("rasters/ortho.tif")));
    QVERIFY(loaded->imagery.grid.isEmpty());
    QCOMPARE(loaded->population.externalPath, QStringLiteral("/data/worldpop/ita_ppp_2020.tif"));
    QVERIFY(loaded->population.grid.isEmpty());
    QVERIFY(loaded->imagery.isSet() && loaded->population.isSet());
  }

  // A project names its external rasters; opening the project must not make GDAL read system files
  // or reach the network (issue 20: ../../etc/passwd and /etc/shadow were opened, a VRT made HTTP
  // requests). A local listener on 127.0.0.1 proves no connection is even attempted.
  void externalRastersStayLocal_data() {
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("message");  // empty: the project opens
    QTest::newRow("climbs out of the folder") << QStringLiteral("../outside.tif") << QStringLiteral("must stay inside the folder");
    QTest::newRow("climbs far") << QStringLiteral("../../../../../../etc/passwd") << QStringLiteral("must stay inside the folder");
    QTest::newRow("vsicurl") << QStringLiteral("/vsicurl/http://127.0.0.1:PORT/x.tif") << QStringLiteral("/vsi");
    QTest::newRow("vsizip of vsicurl") << QStringLiteral("/vsizip//vsicurl/http://127.0.0.1:PORT/x.zip") << QStringLiteral("/vsi");
    QTest::newRow("URL") << QStringLiteral("http://127.0.0.1:PORT/x.tif") << QStringLiteral("URL or driver connection string");
    QTest::newRow("WMS connection string") << QStringLiteral("WMS:http://127.0.0.1:PORT/wms?") << QStringLiteral("URL or driver");
    QTest::newRow("device") << QStringLiteral("/dev/zero") << QStringLiteral("not a regular file");
    QTest::newRow("proc") << QStringLiteral("/proc/self/environ") << QStringLiteral("system file");
    QTest::newRow("link out of the folder") << QStringLiteral("link.tif") << QStringLiteral("links outside the folder");
    QTest::newRow("VRT with a URL source") << QStringLiteral("remote.vrt") << QStringLiteral("its source '/vsicurl/http://127.0.0.1:");
    QTest::newRow("VRT climbing out") << QStringLiteral("climb.vrt") << QStringLiteral("must stay inside the folder");
    QTest::newRow("VRT with a working-folder source") << QStringLiteral("cwd.vrt") << QStringLiteral("relative to the working folder");
    QTest::newRow("VRT of a local raster") << QStringLiteral("local.vrt") << QString();
    QTest::newRow("local raster") << QStringLiteral("ortho.tif") << QString();
    QTest::newRow("missing: opens, read later") << QStringLiteral("rasters/none.tif") << QString();
  }
  void externalRastersStayLocal() {
    QFETCH(QString, value);
    QFETCH(QString, message);
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    QVERIFY(listener >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    QVERIFY(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
    QVERIFY(::listen(listener, 8) == 0);
    QVERIFY(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    const QString port = QString::number(ntohs(address.sin_port));
    value.replace(QStringLiteral("PORT"), port);

    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("project"));
    QVERIFY(QDir().mkpath(folder));
    const auto write = [](const QString& path, const QByteArray& bytes) {
      QFile f(path);
      return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
    };
    const QByteArray tiny = QByteArrayLiteral("P2\n1 1\n255\n7\n");  // a 1-pixel PGM: a raster GDAL reads
    QVERIFY(write(dir.filePath(QStringLiteral("outside.tif")), tiny));
    QVERIFY(write(folder + QStringLiteral("/ortho.tif"), tiny));
    QVERIFY(QFile::link(QStringLiteral("/etc/passwd"), folder + QStringLiteral("/link.tif")));
    const auto vrt = [&](const QString& name, const QString& source, bool relative) {
      return write(folder + QLatin1Char('/') + name,
                   QStringLiteral("<VRTDataset rasterXSize=\"1\" rasterYSize=\"1\"><VRTRasterBand dataType=\"Byte\" band=\"1\">"
                                  "<SimpleSource><SourceFilename relativeToVRT=\"%1\">%2</SourceFilename><SourceBand>1</SourceBand>"
                                  "</SimpleSource></VRTRasterBand></VRTDataset>\n")
                       .arg(relative ? 1 : 0)
                       .arg(source)
                       .toUtf8());
    };
    QVERIFY(vrt(QStringLiteral("remote.vrt"), QStringLiteral("/vsicurl/http://127.0.0.1:%1/a.tif").arg(port), false));
    QVERIFY(vrt(QStringLiteral("climb.vrt"), QStringLiteral("../outside.tif"), true));
    QVERIFY(vrt(QStringLiteral("cwd.vrt"), QStringLiteral("ortho.tif"), false));
    QVERIFY(vrt(QStringLiteral("local.vrt"), QStringLiteral("ortho.tif"), true));

    Scenario s = smallScenario(2, 4);
    s.imagery = {};
    s.imagery.externalPath = value;
    const QString path = folder + QStringLiteral("/ext.gpkg");
    QVERIFY2(saveScenario(s, path).ok(), qPrintable(value));
    if (message.isEmpty()) {
      const auto loaded = loadScenario(path);
      QVERIFY2(loaded.ok(), qPrintable(why(loaded)));
      QCOMPARE(loaded->imagery.externalPath, QDir::cleanPath(QDir(folder).absoluteFilePath(value)));
    } else {
      expectLoadError(path, ErrorCode::InvalidValue, message, {}, QStringLiteral("imagery.external"));
    }
    const int connection = ::accept(listener, nullptr, nullptr);
    if (connection >= 0) ::close(connection);
    ::close(listener);
    QVERIFY2(connection < 0, "the project made a network connection");
  }

  void trafficSitesRoundTrip() {
    QTemporaryDir dir;
    const Scenario a = scenarioWithTrafficSites();
    const QString path = dir.filePath(QStringLiteral("sites.gpkg"));
    const Status saved = saveScenario(a, path);
    QVERIFY2(saved.ok(), qPrintable(why(saved)));
    // A polygon and a point in one layer: the generic geometry type, each feature keeping its own.
    QCOMPARE(layerGeometryType(path, "traffic_sites"), wkbUnknown);
    const auto loaded = loadScenario(path);
    QVERIFY2(loaded.ok(), qPrintable(why(loaded)));
    const Scenario& b = *loaded;
    QCOMPARE(b.trafficSites.size(), a.trafficSites.size());
    for (std::size_t i = 0; i < a.trafficSites.size(); ++i) {
      QCOMPARE(b.trafficSites[i].id, a.trafficSites[i].id);
      QCOMPARE(b.trafficSites[i].name, a.trafficSites[i].name);
      QVERIFY(b.trafficSites[i].position == a.trafficSites[i].position);
      QVERIFY2(sameGeometry(b.trafficSites[i].footprint, a.trafficSites[i].footprint), qPrintable(a.trafficSites[i].id));
    }
    QVERIFY(b.trafficSites[1].footprint.isEmpty());
    QCOMPARE(b.trafficSites[0].footprint.parts[0].size(), std::size_t(2));  // the hole survived
    // Traffic on traffic sites is accepted and comes back whole, NaN included.
    for (const TrafficSite& t : a.trafficSites) {
      QVERIFY2(b.trafficObserved.valuesBySite.count(t.id), qPrintable(t.id));
      QVERIFY(sameFloats(b.trafficObserved.valuesBySite.at(t.id), a.trafficObserved.valuesBySite.at(t.id)));
    }
    QCOMPARE(b.stations.size(), a.stations.size());
    QVERIFY(b.extent().contains(a.trafficSites[0].footprint.extent()));

    // Footprints only: a Polygon layer, so QGIS draws the cells as cells.
    const QString polygons = dir.filePath(QStringLiteral("cells.gpkg"));
    QVERIFY(saveScenario(scenarioWithTrafficSites(false), polygons).ok());
    QCOMPARE(layerGeometryType(polygons, "traffic_sites"), wkbPolygon);
    // Points only: a Point layer.
    Scenario points = scenarioWithTrafficSites();
    points.trafficSites.erase(points.trafficSites.begin());
    points.trafficObserved.valuesBySite.erase(QStringLiteral("cell-5060"));
    const QString pointPath = dir.filePath(QStringLiteral("points.gpkg"));
    QVERIFY(saveScenario(points, pointPath).ok());
    QCOMPARE(layerGeometryType(pointPath, "traffic_sites"), wkbPoint);
    const auto reloaded = loadScenario(pointPath);
    QVERIFY2(reloaded.ok(), qPrintable(why(reloaded)));
    QCOMPARE(reloaded->trafficSites.size(), std::size_t(1));
    QVERIFY(reloaded->trafficSites[0].position == points.trafficSites[0].position);
  }

  void trafficOnlyOnTrafficSites() {
    // No stations at all: observed traffic of grid cells alone is a valid scenario.
    Scenario s = scenarioWithTrafficSites();
    for (const BaseStation& st : s.stations) s.trafficObserved.valuesBySite.erase(st.id);
    s.stations.clear();
    s.trafficGenerated.clear();
    s.rankings.clear();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("cells-only.gpkg"));
    const Status saved = saveScenario(s, path);
    QVERIFY2(saved.ok(), qPrintable(why(saved)));
    const auto loaded = loadScenario(path);
    QVERIFY2(loaded.ok(), qPrintable(why(loaded)));
    QCOMPARE(loaded->trafficObserved.valuesBySite.size(), std::size_t(2));
    QCOMPARE(loaded->trafficSites.size(), std::size_t(2));
  }

  void olderFileWithoutTrafficSitesLoads() {
    const QString path = savedCopy(QStringLiteral("no-sites-layer.gpkg"));
    deleteLayer(path, "traffic_sites");
    const auto loaded = loadScenario(path);
    QVERIFY2(loaded.ok(), qPrintable(why(loaded)));
    QVERIFY(loaded->trafficSites.empty());
    QCOMPARE(loaded->stations.size(), m_scenario.stations.size());
  }

  void saveRejectsBadTrafficSites() {
    QTemporaryDir dir;
    {
      Scenario s = scenarioWithTrafficSites();
      s.trafficSites[1].id = QStringLiteral("S2");  // a station's id
      const Status st = saveScenario(s, dir.filePath(QStringLiteral("dup.gpkg")));
      QVERIFY(!st.ok());
      QVERIFY(st.error().code() == ErrorCode::InvalidValue);
      QVERIFY2(st.error().toString().contains(QStringLiteral("traffic_sites")), qPrintable(why(st)));
      QVERIFY2(st.error().toString().contains(QStringLiteral("'S2'")), qPrintable(why(st)));
      QCOMPARE(*st.error().context().row, qint64(2));
      QCOMPARE(st.error().context().field, QStringLiteral("id"));
    }
    {
      Scenario s = scenarioWithTrafficSites();
      s.trafficSites[1].id = s.trafficSites[0].id;
      const Status st = saveScenario(s, dir.filePath(QStringLiteral("dup2.gpkg")));
      QVERIFY(!st.ok());
      QVERIFY2(st.error().toString().contains(QStringLiteral("'cell-5060'")), qPrintable(why(st)));
      QCOMPARE(*st.error().context().row, qint64(2));
    }
    {
      Scenario s = scenarioWithTrafficSites();
      s.trafficSites[0].id.clear();
      const Status st = saveScenario(s, dir.filePath(QStringLiteral("empty.gpkg")));
      QVERIFY(!st.ok());
      QCOMPARE(*st.error().context().row, qint64(1));
      QCOMPARE(st.error().context().field, QStringLiteral("id"));
    }
    {
      Scenario s = scenarioWithTrafficSites();
      s.trafficObserved.valuesBySite[QStringLiteral("X9")] = {1.0f, 2.0f};
      const Status st = saveScenario(s, dir.filePath(QStringLiteral("unknown.gpkg")));
      QVERIFY(!st.ok());
      QVERIFY(st.error().code() == ErrorCode::InvalidValue);
      QVERIFY2(st.error().toString().contains(QStringLiteral("unknown site id 'X9' (neither a base station nor a traffic site)")),
               qPrintable(why(st)));
      QCOMPARE(st.error().context().field, QStringLiteral("site_id"));
    }
    {
      Scenario s = scenarioWithTrafficSites();
      s.trafficSites[0].footprint = Geometry::point({1.0, 2.0});
      const Status st = saveScenario(s, dir.filePath(QStringLiteral("point-footprint.gpkg")));
      QVERIFY(!st.ok());
      QVERIFY(st.error().code() == ErrorCode::InvalidGeometry);
    }
    QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
  }

  void loadRejectsBadTrafficSites_data() {
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("needle");
    QTest::addColumn<qint64>("row");
    QTest::addColumn<QString>("field");
    QTest::newRow("station id") << "UPDATE traffic_sites SET id = 'S1' WHERE fid = 2"
                                << "'S1' is already a base station" << qint64(2) << "id";
    QTest::newRow("empty id") << "UPDATE traffic_sites SET id = '' WHERE fid = 1"
                              << "empty traffic site id" << qint64(1) << "id";
    QTest::newRow("null x") << "UPDATE traffic_sites SET x = NULL WHERE fid = 2"
                            << "position" << qint64(2) << "x";
    // Traffic on a site id that no longer exists anywhere.
    QTest::newRow("unknown site") << "UPDATE traffic_sites SET id = 'gone' WHERE fid = 1"
                                  << "unknown site id 'cell-5060' (neither a base station nor a traffic site)" << qint64(-1) << "site_id";
  }
  void loadRejectsBadTrafficSites() {
    QFETCH(QString, sql);
    QFETCH(QString, needle);
    QFETCH(qint64, row);
    QFETCH(QString, field);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sites.gpkg"));
    QVERIFY(saveScenario(scenarioWithTrafficSites(), path).ok());
    execSql(path, {sql});
    expectLoadError(path, ErrorCode::InvalidValue, needle, row >= 0 ? std::optional<qint64>(row) : std::nullopt, field);
    QVERIFY(loadScenario(path).error().toString().contains(QStringLiteral("traffic_")));
  }

  void cancelledLoadReturnsCancelled() {
    const QString path = savedCopy(QStringLiteral("cancel-load.gpkg"));
    Feedback fb;
    fb.setProgressCallback([&](double f, const QString&) {
      if (f > 0.2) fb.cancel();
    });
    const auto r = loadScenario(path, &fb);
    QVERIFY(!r.ok());
    QVERIFY(r.error().code() == ErrorCode::Cancelled);
  }
};

QTEST_GUILESS_MAIN(TestScenarioStore)
#include "tst_scenariostore.moc"
