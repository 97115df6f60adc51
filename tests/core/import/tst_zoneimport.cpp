#include "tests/comparenear.h"
#include "core/import/zoneimport.h"
#include "../../testdata.h"

#include <QTemporaryDir>
#include <QTest>

#include <map>

using namespace netspatial::core;
using netspatial::tests::writeFile;

using OsmTags = QMap<QString, QString>;

namespace {

template <typename R>
QString why(const R& r) {
  return r.ok() ? QString() : r.error().toString();
}

ImportTarget utmTarget(int epsg, Extent extent = {}) {
  ImportTarget t;
  t.crs = Crs::fromEpsg(epsg).valueOr(Crs());
  t.extent = extent;
  return t;
}

const Zone* zoneNamed(const std::vector<Zone>& zones, const QString& name) {
  for (const Zone& z : zones)
    if (z.name == name) return &z;
  return nullptr;
}

std::map<QString, int> countsOf(const std::vector<Zone>& zones) {
  std::map<QString, int> counts;
  for (const Zone& z : zones) ++counts[zoneClassName(z.zoneClass)];
  return counts;
}

//! A GeoJSON square of `size` degrees at (lon, lat) with a `use` property.
QByteArray squareFeature(const QString& use, double lon, double lat, double size = 0.001) {
  return QStringLiteral(
             R"({"type": "Feature", "properties": {"use": "%1", "title": "%1 block"}, "geometry": {"type": "Polygon", "coordinates": [[[%2, %3], [%4, %3], [%4, %5], [%2, %5], [%2, %3]]]}})")
      .arg(use)
      .arg(lon, 0, 'f', 6)
      .arg(lat, 0, 'f', 6)
      .arg(lon + size, 0, 'f', 6)
      .arg(lat + size, 0, 'f', 6)
      .toUtf8();
}

QByteArray collection(const QList<QByteArray>& features) {
  return "{\"type\": \"FeatureCollection\", \"features\": [" + features.join(",\n") + "]}\n";
}

}  // namespace

class TestZoneImport : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void tagTable_data();
  void tagTable();
  void westOakland();
  void westOaklandExtentDropsOutside();
  void leedsParks();
  void kirchbergHasNoZones();
  void genericVectorWithMapping();
  void badInput_data();
  void badInput();

 private:
  QTemporaryDir m_dir;
  QString m_zones;  //!< zones.geojson: four squares near Milan with a `use` (Urban Atlas-like codes)
};

void TestZoneImport::initTestCase() {
  QVERIFY(m_dir.isValid());
  m_zones = writeFile(m_dir, "zones.geojson",
                      collection({squareFeature("11100", 9.18, 45.46), squareFeature("12100", 9.19, 45.46),
                                  squareFeature("14100", 9.20, 45.46), squareFeature("50000", 9.21, 45.46)}));
  writeFile(m_dir, "codes.csv", "value,class\n# Urban Atlas codes\n11100,residential_high\n12100,industrial\n14100,park\n50000,water\n");
  writeFile(m_dir, "partial.csv", "11100,residential_high\n12100,industrial\n14100,park\n");
  writeFile(m_dir, "unknown.csv", "11100,residential_high\n12100,factories\n");
  writeFile(
      m_dir, "points.geojson",
      R"({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"use": "park"}, "geometry": {"type": "Point", "coordinates": [9.19, 45.46]}}]})");
  writeFile(
      m_dir, "bowtie.geojson",
      R"({"type": "FeatureCollection", "features": [)" + squareFeature("park", 9.19, 45.46) +
          R"(, {"type": "Feature", "properties": {"use": "park"}, "geometry": {"type": "Polygon", "coordinates": [[[9.19, 45.46], [9.20, 45.47], [9.20, 45.46], [9.19, 45.47], [9.19, 45.46]]]}}]})");
  writeFile(m_dir, "notvector.txt", "This is a shopping list, not a map.\nMilk\nBread\n");
  writeFile(m_dir, "empty.osm", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"test\">\n</osm>\n");
}

void TestZoneImport::tagTable_data() {
  QTest::addColumn<OsmTags>("tags");
  QTest::addColumn<QString>("expected");  // a class name, or "" for not a zone
  using Tags = OsmTags;
  QTest::newRow("residential: low by default") << Tags{{"landuse", "residential"}} << "residential_low";
  QTest::newRow("residential=urban") << Tags{{"landuse", "residential"}, {"residential", "urban"}} << "residential_high";
  QTest::newRow("residential=apartments") << Tags{{"landuse", "residential"}, {"residential", "apartments"}} << "residential_high";
  QTest::newRow("residential=rural") << Tags{{"landuse", "residential"}, {"residential", "rural"}} << "residential_low";
  QTest::newRow("commercial") << Tags{{"landuse", "commercial"}} << "commercial";
  QTest::newRow("retail") << Tags{{"landuse", "retail"}} << "commercial";
  QTest::newRow("industrial") << Tags{{"landuse", "industrial"}} << "industrial";
  QTest::newRow("port") << Tags{{"landuse", "port"}} << "industrial";
  QTest::newRow("railway land") << Tags{{"landuse", "railway"}} << "transport_hub";
  QTest::newRow("bus station") << Tags{{"amenity", "bus_station"}} << "transport_hub";
  QTest::newRow("airport on industrial land") << Tags{{"aeroway", "aerodrome"}, {"landuse", "industrial"}} << "transport_hub";
  QTest::newRow("university") << Tags{{"amenity", "university"}} << "university";
  QTest::newRow("campus that is also a park") << Tags{{"amenity", "university"}, {"leisure", "park"}} << "university";
  QTest::newRow("college") << Tags{{"amenity", "college"}} << "university";
  QTest::newRow("park") << Tags{{"leisure", "park"}} << "park";
  QTest::newRow("grass") << Tags{{"landuse", "grass"}} << "park";
  QTest::newRow("forest") << Tags{{"landuse", "forest"}} << "park";
  QTest::newRow("meadow") << Tags{{"landuse", "meadow"}} << "park";
  QTest::newRow("recreation ground") << Tags{{"landuse", "recreation_ground"}} << "park";
  QTest::newRow("cemetery") << Tags{{"landuse", "cemetery"}, {"historic", "cemetery"}} << "park";
  QTest::newRow("lake") << Tags{{"natural", "water"}} << "water";
  QTest::newRow("reservoir") << Tags{{"landuse", "reservoir"}, {"natural", "water"}} << "water";
  QTest::newRow("riverbank") << Tags{{"waterway", "riverbank"}} << "water";
  QTest::newRow("brownfield is no zone") << Tags{{"landuse", "brownfield"}} << "";
  QTest::newRow("a building is no zone") << Tags{{"building", "yes"}} << "";
  QTest::newRow("a school is no zone") << Tags{{"amenity", "school"}} << "";
  QTest::newRow("a playground is no zone") << Tags{{"leisure", "playground"}} << "";
  QTest::newRow("no tags") << Tags{} << "";
}

void TestZoneImport::tagTable() {
  QFETCH(OsmTags, tags);
  QFETCH(QString, expected);
  const auto zoneClass = zoneClassFromOsmTags(tags);
  QCOMPARE(zoneClass ? zoneClassName(*zoneClass) : QString(), expected);
}

void TestZoneImport::westOakland() {
  NETSPATIAL_SHARED_FILE(file, "osm/west_oakland.osm");
  ImportReport report;
  ZoneImportOptions options;
  options.path = file;
  auto zones = importZones(options, utmTarget(32610), &report);
  QVERIFY2(zones.ok(), qPrintable(why(zones)));
  // 33 polygons: way 28714767 "Campbell Village" (landuse=residential, no residential=* subtag:
  // low density) and way 220258195 "Bertha Port Park" (leisure=park). Five landuse=brownfield, the
  // playground, the school and the buildings are no zones.
  QCOMPARE(zones->size(), std::size_t(2));
  const Zone* village = zoneNamed(*zones, "Campbell Village");
  QVERIFY(village);
  QCOMPARE(village->zoneClass, ZoneClass::ResidentialLow);
  QCOMPARE(village->id, qint64(1));
  QVERIFY(village->polygon.isPolygonal());
  // In metres now: a housing estate of about 2.7 ha, 226 m × 240 m across.
  NETSPATIAL_COMPARE_NEAR(village->polygon.area(), 26615.5, 5.0);
  NETSPATIAL_COMPARE_NEAR(village->polygon.extent().width(), 226.0, 2.0);
  const Zone* park = zoneNamed(*zones, "Bertha Port Park");
  QVERIFY(park);
  QCOMPARE(park->zoneClass, ZoneClass::Park);
  NETSPATIAL_COMPARE_NEAR(park->polygon.area(), 945.7, 1.0);
  QCOMPARE(report,
           (ImportReport{"west_oakland.osm: 2 zones (residential_low 1, park 1)",
                         "west_oakland.osm: 31 of 33 OSM polygons match no row of the zone table (buildings, brownfield, …): not zones"}));
}

void TestZoneImport::westOaklandExtentDropsOutside() {
  NETSPATIAL_SHARED_FILE(file, "osm/west_oakland.osm");
  ZoneImportOptions options;
  options.path = file;
  {
    // 100 m around Bertha Port Park (UTM 10N x 561394–561432, y 4184720–4184760): Campbell Village
    // (x from 561592) lies wholly outside and is dropped.
    ImportReport report;
    auto zones = importZones(options, utmTarget(32610, Extent::aroundCentre({561413.0, 4184740.0}, 100.0, 100.0)), &report);
    QVERIFY2(zones.ok(), qPrintable(why(zones)));
    QCOMPARE(zones->size(), std::size_t(1));
    QCOMPARE(zones->front().name, QStringLiteral("Bertha Port Park"));
    QVERIFY2(report.contains("west_oakland.osm: 1 zones wholly outside the scenario extent dropped"), qPrintable(report.join('\n')));
  }
  {
    // An extent over the western half of Campbell Village only: the estate is kept, whole (zones
    // are not clipped), and the park, 160 m further west, is dropped.
    auto zones = importZones(options, utmTarget(32610, Extent::fromCorners(561500.0, 4184600.0, 561705.0, 4185000.0)));
    QVERIFY2(zones.ok(), qPrintable(why(zones)));
    QCOMPARE(zones->size(), std::size_t(1));
    QCOMPARE(zones->front().name, QStringLiteral("Campbell Village"));
    NETSPATIAL_COMPARE_NEAR(zones->front().polygon.area(), 26615.5, 5.0);
  }
}

void TestZoneImport::leedsParks() {
  NETSPATIAL_SHARED_FILE(file, "olinda/leeds_overpass_sample.osm");
  // The 13 park ways come before their nodes in the file (Overpass order): read from a reordered
  // copy. St. George's Fields is leisure=park + landuse=cemetery: a park either way.
  ImportReport report;
  ZoneImportOptions options;
  options.path = file;
  auto zones = importZones(options, utmTarget(32630), &report);
  QVERIFY2(zones.ok(), qPrintable(why(zones)));
  QCOMPARE(countsOf(*zones), (std::map<QString, int>{{"park", 13}}));
  const Zone* fields = zoneNamed(*zones, "St. George's Fields");
  QVERIFY(fields);
  NETSPATIAL_COMPARE_NEAR(fields->polygon.area(), 35620.7, 5.0);  // 3.6 ha, the former Leeds General Cemetery
  const Zone* square = zoneNamed(*zones, "Park Square");
  QVERIFY(square);
  NETSPATIAL_COMPARE_NEAR(square->polygon.area(), 6518.5, 5.0);
  QVERIFY2(report.join('\n').contains("it lists ways before their nodes"), qPrintable(report.join('\n')));
}

void TestZoneImport::kirchbergHasNoZones() {
  NETSPATIAL_SHARED_FILE(file, "osm/kirchberg_iller.osm");
  // 32 polygons, all buildings (building=yes/house with addresses): no land use at all.
  ZoneImportOptions options;
  options.path = file;
  auto zones = importZones(options, utmTarget(32632));
  QVERIFY(!zones.ok());
  QCOMPARE(zones.error().code(), ErrorCode::CorruptData);
  QCOMPARE(zones.error().toString(),
           file + QStringLiteral(": no land-use zones in the file (32 polygons read, none matched the OSM tag table)"));
}

void TestZoneImport::genericVectorWithMapping() {
  ImportReport report;
  ZoneImportOptions options;
  options.path = m_zones;
  options.classField = "use";
  options.mappingFile = m_dir.filePath("codes.csv");
  options.nameField = "title";
  auto zones = importZones(options, utmTarget(32632), &report);
  QVERIFY2(zones.ok(), qPrintable(why(zones)));
  QCOMPARE(zones->size(), std::size_t(4));
  const QList<ZoneClass> expected{ZoneClass::ResidentialHigh, ZoneClass::Industrial, ZoneClass::Park, ZoneClass::Water};
  for (std::size_t i = 0; i < zones->size(); ++i) {
    QCOMPARE((*zones)[i].zoneClass, expected[qsizetype(i)]);
    QCOMPARE((*zones)[i].id, qint64(i) + 1);
  }
  QCOMPARE((*zones)[0].name, QStringLiteral("11100 block"));
  // The first square (9.180–9.181 E, 45.460–45.461 N): its corners by cs2cs in UTM 32N give a
  // shoelace area of 8685.7 m²; its south-west corner is at 514072.778, 5034068.392.
  NETSPATIAL_COMPARE_NEAR((*zones)[0].polygon.area(), 8685.7, 1.0);
  NETSPATIAL_COMPARE_NEAR((*zones)[0].polygon.extent().xMin, 514072.529, 1.0);
  NETSPATIAL_COMPARE_NEAR((*zones)[0].polygon.extent().yMin, 5034068.392, 1.0);
  QCOMPARE(report.value(0), QStringLiteral("zones.geojson: 4 zones (residential_high 1, industrial 1, park 1, water 1)"));

  // skipUnmapped: the unmapped code is left out and reported.
  ImportReport skipped;
  options.mappingFile = m_dir.filePath("partial.csv");
  options.skipUnmapped = true;
  auto three = importZones(options, utmTarget(32632), &skipped);
  QVERIFY2(three.ok(), qPrintable(why(three)));
  QCOMPARE(three->size(), std::size_t(3));
  QVERIFY2(skipped.contains("zones.geojson: 1 polygons with unmapped use values skipped (50000)"), qPrintable(skipped.join('\n')));
}

void TestZoneImport::badInput_data() {
  QTest::addColumn<QString>("file");  // in the test's folder
  QTest::addColumn<QString>("field");
  QTest::addColumn<QString>("mapping");
  QTest::addColumn<qint64>("maxFeatures");
  QTest::addColumn<bool>("farExtent");
  QTest::addColumn<int>("code");
  QTest::addColumn<QStringList>("mentions");
  const auto row = [](const char* name, const QString& file, const QString& field, const QString& mapping, ErrorCode code,
                      const QStringList& mentions, qint64 maxFeatures = 0,
                      bool far = false) { QTest::newRow(name) << file << field << mapping << maxFeatures << far << int(code) << mentions; };
  row("zones from points", "points.geojson", "use", "", ErrorCode::InvalidGeometry,
      {"points.geojson", "row 1", "field 'geometry'", "a zone must be a polygon; this is a point"});
  row("a self-intersecting polygon", "bowtie.geojson", "use", "", ErrorCode::InvalidGeometry,
      {"bowtie.geojson", "row 2", "field 'geometry'"});
  row("nonexistent file", "missing.gpkg", "use", "", ErrorCode::FileNotFound, {"missing.gpkg", "no such file"});
  row("a text file, not a vector", "notvector.txt", "use", "", ErrorCode::UnsupportedFormat, {"notvector.txt"});
  row("empty OSM extract", "empty.osm", "", "", ErrorCode::CorruptData, {"empty.osm", "no land-use zones", "0 polygons read"});
  row("no class field given", "zones.geojson", "", "", ErrorCode::InvalidArgument, {"zones.geojson", "zone class"});
  row("missing class field", "zones.geojson", "landuse", "", ErrorCode::MissingField, {"zones.geojson", "field 'landuse'", "use, title"});
  row("codes without a mapping", "zones.geojson", "use", "", ErrorCode::InvalidValue,
      {"zones.geojson", "row 1", "field 'use'", "'11100'", "residential_high"});
  row("code not in the mapping", "zones.geojson", "use", "partial.csv", ErrorCode::InvalidValue,
      {"zones.geojson", "row 4", "field 'use'", "'50000'", "partial.csv"});
  row("mapping names an unknown class", "zones.geojson", "use", "unknown.csv", ErrorCode::InvalidValue,
      {"unknown.csv", "row 2", "'factories'", "transport_hub"});
  row("more polygons than the limit", "zones.geojson", "use", "codes.csv", ErrorCode::InvalidValue,
      {"zones.geojson", "row 3", "more than 2 features"}, 2);
  row("every zone outside the extent", "zones.geojson", "use", "codes.csv", ErrorCode::OutOfExtent, {"zones.geojson", "all 4", "outside"},
      0, true);
}

void TestZoneImport::badInput() {
  QFETCH(QString, file);
  QFETCH(QString, field);
  QFETCH(QString, mapping);
  QFETCH(qint64, maxFeatures);
  QFETCH(bool, farExtent);
  QFETCH(int, code);
  QFETCH(QStringList, mentions);
  ZoneImportOptions options;
  options.path = m_dir.filePath(file);
  options.classField = field;
  options.mappingFile = mapping.isEmpty() ? QString() : m_dir.filePath(mapping);
  ImportTarget target = utmTarget(32632);
  if (maxFeatures > 0) target.limits.maxFeatures = maxFeatures;
  if (farExtent) target.extent = Extent::aroundCentre({100000.0, 100000.0}, 1000.0, 1000.0);
  auto zones = importZones(options, target);
  QVERIFY2(!zones.ok(), "bad input was accepted");
  const QString text = zones.error().toString();
  QVERIFY2(int(zones.error().code()) == code, qPrintable(QStringLiteral("%1 (code %2)").arg(text, errorCodeName(zones.error().code()))));
  for (const QString& m : mentions) QVERIFY2(text.contains(m), qPrintable(QStringLiteral("'%1' does not mention '%2'").arg(text, m)));
}

QTEST_GUILESS_MAIN(TestZoneImport)
#include "tst_zoneimport.moc"
