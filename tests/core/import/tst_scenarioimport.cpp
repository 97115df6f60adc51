// A scenario from the user's own files (core/import/scenarioimport.h; issue 19), on the real data
// in ../shared/data: Olinda's Landsat scene and census tracts with a stations CSV written here;
// OpenStreetMap extracts for POIs and zones; Milan's grid, stations and traffic through the
// generic path, which must give the same traffic as `import milan`. And the bad inputs of the
// whole import, each named.

#include "core/geo/coordinatetransform.h"
#include "core/import/milanscenario.h"
#include "core/import/scenarioimport.h"
#include "core/scenario/modalities.h"
#include "core/scenario/scenariostore.h"
#include "core/util/filehash.h"

#include "tests/testdata.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <gdal.h>
#include <ogr_api.h>

#include <cmath>

using namespace netspatial;
using namespace netspatial::core;

namespace {

const Modality& modality(const std::vector<Modality>& all, const char* name) {
  for (const Modality& m : all)
    if (m.name == QLatin1String(name)) return m;
  static Modality none;
  return none;
}

// Σ V014 over the tracts, read with OGR (independently of the importer).
double censusTotal(const QString& shp) {
  double total = 0.0;
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx(shp.toUtf8().constData(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  OGRLayerH layer = GDALDatasetGetLayer(ds, 0);
  const int field = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(layer), "V014");
  OGR_L_ResetReading(layer);
  while (OGRFeatureH f = OGR_L_GetNextFeature(layer)) {
    total += OGR_F_GetFieldAsDouble(f, field);
    OGR_F_Destroy(f);
  }
  GDALClose(ds);
  return total;
}

}  // namespace

class TestScenarioImport : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void olindaFromLandsatCensusAndStations() {
    NETSPATIAL_SHARED_FILE(landsat, "olinda/L7_ETMs.tif");
    NETSPATIAL_SHARED_FILE(census, "olinda/olinda1.shp");
    QTemporaryDir dir;
    ScenarioImportOptions o;
    o.name = QStringLiteral("Olinda");
    StationImportOptions st;
    st.source.path = tests::writeFile(dir, QStringLiteral("stations.csv"),
                                      "id,kind,lon,lat\nA1,macro,-34.8553,-8.0136\nA2,micro,-34.8600,-8.0100\nA3,micro,-34.8700,-7.9900\n");
    st.typeField = QStringLiteral("kind");
    o.stations = st;
    ImageryImportOptions im;
    im.path = landsat;
    im.bands = {3, 2, 1};
    o.imagery = im;
    PopulationImportOptions pop;
    pop.path = census;
    pop.field = QStringLiteral("V014");
    pop.cellSize = 250.0;
    o.population = pop;

    auto imported = importScenario(o);
    QVERIFY2(imported.ok(), imported.ok() ? "" : qPrintable(imported.error().toString()));
    const Scenario& s = imported->scenario;
    // No CRS given: the UTM zone of the centre (34.87° W, 8° S → zone 25 south).
    QCOMPARE(s.metadata.crs.authId(), QStringLiteral("EPSG:32725"));
    QCOMPARE(s.stations.size(), std::size_t(3));
    QCOMPARE(s.stations[1].type, StationType::Micro);
    // The Landsat scene at its own ~28.5 m, never upsampled.
    QVERIFY(!s.imagery.grid.isEmpty());
    QVERIFY(std::abs(s.imagery.grid.geoTransform[1] - 28.5) < 0.5);
    // Every person of the census: the extent is the union of the layers, which holds all tracts.
    double total = 0.0;
    for (float v : s.population.grid.values) total += std::isfinite(v) ? double(v) : 0.0;
    const double expected = censusTotal(census);
    QVERIFY2(std::abs(total - expected) <= 0.01 * expected, qPrintable(QStringLiteral("%1 vs %2").arg(total).arg(expected)));
    // What it has and lacks, and where each part came from.
    const auto m = describeModalities(s);
    QVERIFY(modality(m, "stations").present);
    QCOMPARE(modality(m, "stations").source, QStringLiteral("stations.csv"));
    QVERIFY(modality(m, "imagery").present);
    QVERIFY2(modality(m, "imagery").source.contains(QStringLiteral("28.5 m/px")), qPrintable(modality(m, "imagery").source));
    QVERIFY(modality(m, "population").present);
    for (const char* missing : {"traffic_sites", "traffic", "pois", "zones"}) {
      QVERIFY2(!modality(m, missing).present, missing);
      QCOMPARE(modality(m, missing).description, QStringLiteral("missing"));
    }
    QCOMPARE(s.pois.size(), std::size_t(0));  // missing stays empty: nothing made up
    // Provenance: the SHA-256 of every source.
    QCOMPARE(s.runs.size(), std::size_t(1));
    QCOMPARE(s.runs.front().kind, QStringLiteral("import"));
    QCOMPARE(s.runs.front().dataHashes.value(QStringLiteral("imagery")).toString(), *fileSha256(landsat));
    QCOMPARE(s.runs.front().dataHashes.value(QStringLiteral("population")).toString(), *fileSha256(census));

    // Saved, it opens again and in GDAL's own tools' library (what ogrinfo/gdalinfo use).
    const QString out = dir.filePath(QStringLiteral("olinda.gpkg"));
    QVERIFY(saveScenario(s, out).ok());
    auto loaded = loadScenario(out);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().toString()));
    QCOMPARE(loaded->stations.size(), std::size_t(3));
    QCOMPARE(describeModalities(*loaded).size(), m.size());
    QCOMPARE(modality(describeModalities(*loaded), "imagery").source, modality(m, "imagery").source);
    GDALAllRegister();
    GDALDatasetH vector = GDALOpenEx(out.toUtf8().constData(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
    QVERIFY(vector != nullptr);
    QVERIFY(GDALDatasetGetLayerByName(vector, "base_stations") != nullptr);
    GDALClose(vector);
    GDALDatasetH raster = GDALOpenEx(out.toUtf8().constData(), GDAL_OF_RASTER, nullptr, nullptr, nullptr);
    QVERIFY(raster != nullptr);
    GDALClose(raster);
  }

  void openStreetMapForPoisAndZones_data() {
    QTest::addColumn<QString>("file");
    QTest::newRow("West Oakland") << QStringLiteral("osm/west_oakland.osm");
    QTest::newRow("Leeds") << QStringLiteral("olinda/leeds_overpass_sample.osm");
  }

  void openStreetMapForPoisAndZones() {
    QFETCH(QString, file);
    const QString path = tests::sharedDataFile(file);
    if (!QFileInfo::exists(path)) QSKIP(qPrintable(QStringLiteral("shared data absent: %1").arg(path)));
    ScenarioImportOptions o;
    PoiImportOptions p;
    p.path = path;
    o.pois = p;
    auto imported = importScenario(o);
    QVERIFY2(imported.ok(), imported.ok() ? "" : qPrintable(imported.error().toString()));
    const Scenario& s = imported->scenario;
    QVERIFY(!s.pois.empty());
    QVERIFY(s.metadata.crs.authId().startsWith(QStringLiteral("EPSG:326")));  // northern UTM
    const Extent extent = s.extent();
    for (const Poi& poi : s.pois) QVERIFY(extent.contains(poi.position));
    QVERIFY(modality(describeModalities(s), "stations").description == QStringLiteral("missing"));
  }

  void milanThroughTheGenericPathMatchesImportMilan() {
    NETSPATIAL_SHARED_FILE(grid, "milan/milano-grid.geojson");
    NETSPATIAL_SHARED_FILE(matrix, "milan/traffic_matrixTS.csv");
    NETSPATIAL_SHARED_FILE(labels, "milan/traffic_ID_labels.csv");
    NETSPATIAL_SHARED_FILE(stations, "milan/opencellid_lte_mapped.csv");
    auto milan = importMilanScenario(tests::sharedDataDir() + QStringLiteral("/milan"));
    QVERIFY2(milan.ok(), milan.ok() ? "" : qPrintable(milan.error().toString()));

    // The matrix as a long CSV, in Milan's local time (no DST change in Nov–Dec 2013).
    QTemporaryDir dir;
    const QString longCsv = dir.filePath(QStringLiteral("milan-long.csv"));
    {
      QFile in(matrix), ids(labels), out(longCsv);
      QVERIFY(in.open(QIODevice::ReadOnly) && ids.open(QIODevice::ReadOnly) && out.open(QIODevice::WriteOnly));
      QTextStream w(&out);
      w << "site_id,timestamp,value\n";
      const QDateTime start(QDate(2013, 11, 1), QTime(0, 0));
      while (!in.atEnd()) {
        const QList<QByteArray> values = in.readLine().trimmed().split(',');
        const QString id = QString::number(qint64(ids.readLine().trimmed().toDouble()));
        for (int h = 0; h < values.size(); ++h)
          if (!values[h].isEmpty())
            w << id << ',' << start.addSecs(qint64(h) * 3600).toString(QStringLiteral("yyyy-MM-ddTHH:mm")) << ',' << values[h] << '\n';
      }
    }
    ScenarioImportOptions o;
    o.crs = QStringLiteral("EPSG:32632");
    TrafficSiteImportOptions sites;
    sites.source.path = grid;
    sites.idField = QStringLiteral("cellId");
    sites.idPrefix = QStringLiteral("cell-");  // as import milan names them; the CSV keeps "1", "2", …
    o.trafficSites = sites;
    o.trafficPath = longCsv;
    o.trafficUnit = QStringLiteral("activity (dataset units)");
    o.timeZone = QStringLiteral("Europe/Rome");
    StationImportOptions st;
    st.source.path = stations;
    st.source.xField = QStringLiteral("lng");
    st.idField = QStringLiteral("bs_id");
    st.idPrefix = QStringLiteral("ocid-");
    st.duplicateIds = StationImportOptions::DuplicateIds::KeepFirst;
    o.stations = st;
    auto generic = importScenario(o);
    QVERIFY2(generic.ok(), generic.ok() ? "" : qPrintable(generic.error().toString()));
    const Scenario& g = generic->scenario;
    const Scenario& m = milan->scenario;
    QCOMPARE(g.trafficObserved.start, m.trafficObserved.start);
    QCOMPARE(g.trafficObserved.hours(), m.trafficObserved.hours());
    QCOMPARE(g.trafficObserved.valuesBySite->size(), m.trafficObserved.valuesBySite->size());
    int compared = 0;
    for (const auto& [id, values] : *m.trafficObserved.valuesBySite) {
      const QString& cell = id;  // the same ids: the prefixes make the generic path name them as import milan does
      auto it = g.trafficObserved.valuesBySite->find(cell);
      QVERIFY2(it != g.trafficObserved.valuesBySite->end(), qPrintable(cell));
      QCOMPARE(it->second.size(), values.size());
      for (std::size_t h = 0; h < values.size(); ++h) {
        const bool bothMissing = std::isnan(values[h]) && std::isnan(it->second[h]);
        if (!bothMissing && values[h] != it->second[h])
          QFAIL(qPrintable(QStringLiteral("cell %1 hour %2: %3 vs %4").arg(cell).arg(h).arg(it->second[h]).arg(values[h])));
      }
      ++compared;
    }
    QCOMPARE(compared, 281);
    // The same stations (one per bs_id), under the same ids.
    QCOMPARE(g.stations.size(), m.stations.size());
    QCOMPARE(g.stations.front().id, m.stations.front().id);
    QCOMPARE(g.metadata.trafficUnit, QStringLiteral("activity (dataset units)"));
    QCOMPARE(g.metadata.timeZone, QStringLiteral("Europe/Rome"));
  }

  void badInput_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("nothing given") << "nothing"
                                   << "no layer given";
    QTest::newRow("traffic without sites") << "traffic-no-sites"
                                           << "needs its sites";
    QTest::newRow("traffic without unit") << "traffic-no-unit"
                                          << "needs its unit";
    QTest::newRow("AOI and extent") << "aoi-and-extent"
                                    << "not both";
    QTest::newRow("geographic CRS") << "geographic"
                                    << "is geographic";
    QTest::newRow("unknown CRS") << "unknown-crs"
                                 << "crs";
    QTest::newRow("AOI of points") << "aoi-points"
                                   << "must be polygons";
    QTest::newRow("extent upside down") << "extent-inverted"
                                        << "min < max";
    QTest::newRow("unknown traffic site") << "traffic-unknown-site"
                                          << "unknown site id";
    QTest::newRow("site id shared with a station") << "id-clash"
                                                   << "also a station's id";
    QTest::newRow("layers far apart") << "far-apart"
                                      << "does not overlap stations.csv";
    QTest::newRow("a continent") << "continent"
                                 << "more than the 200 km";
  }

  void badInput() {
    QFETCH(QString, kind);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString stations = tests::writeFile(dir, QStringLiteral("stations.csv"), "id,lon,lat\nA,9.19,45.46\nB,9.20,45.47\n");
    const QString sites = tests::writeFile(dir, QStringLiteral("sites.csv"), "id,lon,lat\nX,9.19,45.46\nA,9.21,45.47\n");
    const QString traffic =
        tests::writeFile(dir, QStringLiteral("traffic.csv"), "site_id,timestamp,value\nX,2024-01-01T00:00Z,3\nQ,2024-01-01T00:00Z,4\n");
    const QString points = tests::writeFile(dir, QStringLiteral("aoi.geojson"),
                                            R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},)"
                                            R"("geometry":{"type":"Point","coordinates":[9.19,45.46]}}]})");
    ScenarioImportOptions o;
    StationImportOptions st;
    st.source.path = stations;
    TrafficSiteImportOptions ts;
    ts.source.path = sites;
    ts.idField = QStringLiteral("id");
    if (kind != QLatin1String("nothing")) o.stations = st;
    if (kind == QLatin1String("traffic-no-sites")) {
      o.trafficPath = traffic;
      o.trafficUnit = QStringLiteral("MB/h");
    } else if (kind == QLatin1String("traffic-no-unit")) {
      o.trafficSites = ts;
      o.trafficPath = traffic;
    } else if (kind == QLatin1String("aoi-and-extent")) {
      o.aoiPath = points;
      o.extentLonLat = Extent::fromCorners(9.0, 45.0, 9.5, 45.5);
    } else if (kind == QLatin1String("geographic")) {
      o.crs = QStringLiteral("EPSG:4326");
    } else if (kind == QLatin1String("unknown-crs")) {
      o.crs = QStringLiteral("EPSG:999999");
    } else if (kind == QLatin1String("aoi-points")) {
      o.aoiPath = points;
    } else if (kind == QLatin1String("far-apart")) {
      TrafficSiteImportOptions far = ts;
      far.source.path = tests::writeFile(dir, QStringLiteral("far.csv"), "id,lon,lat\nX,-34.85,-8.01\n");  // Olinda, with Milan's stations
      o.trafficSites = far;
    } else if (kind == QLatin1String("continent")) {
      o.extentLonLat = Extent::fromCorners(0.0, 40.0, 10.0, 50.0);
    } else if (kind == QLatin1String("extent-inverted")) {
      o.extentLonLat = Extent{9.5, 45.5, 9.0, 45.0};
    } else if (kind == QLatin1String("traffic-unknown-site") || kind == QLatin1String("id-clash")) {
      if (kind == QLatin1String("traffic-unknown-site"))
        ts.source.path = tests::writeFile(dir, QStringLiteral("sites2.csv"), "id,lon,lat\nX,9.19,45.46\n");
      o.trafficSites = ts;
      o.trafficPath = traffic;
      o.trafficUnit = QStringLiteral("MB/h");
    }
    auto r = importScenario(o);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().toString().contains(expected), qPrintable(r.error().toString()));
  }
};

QTEST_GUILESS_MAIN(TestScenarioImport)
#include "tst_scenarioimport.moc"
