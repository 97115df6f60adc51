#include "tests/comparenear.h"
#include "core/import/osmsource.h"
#include "core/import/poiimport.h"
#include "core/geo/coordinatetransform.h"
#include "core/geo/vectorreader.h"
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

const Poi* poiNamed(const std::vector<Poi>& pois, const QString& name) {
  for (const Poi& p : pois)
    if (p.name == name) return &p;
  return nullptr;
}

std::map<QString, int> countsOf(const std::vector<Poi>& pois) {
  std::map<QString, int> counts;
  for (const Poi& p : pois) ++counts[poiCategoryName(p.category)];
  return counts;
}

//! Even-odd ray casting: an independent check that a point lies inside a ring (not OGR's own).
bool insideRing(PointXY p, const Geometry::Ring& ring) {
  bool inside = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const PointXY& a = ring[i];
    const PointXY& b = ring[j];
    if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

QByteArray pointFeature(const QString& kind, double lon, double lat, const QString& name = QStringLiteral("P")) {
  return QStringLiteral(
             R"({"type": "Feature", "properties": {"kind": "%1", "label": "%4"}, "geometry": {"type": "Point", "coordinates": [%2, %3]}})")
      .arg(kind)
      .arg(lon, 0, 'f', 6)
      .arg(lat, 0, 'f', 6)
      .arg(name)
      .toUtf8();
}

QByteArray collection(const QList<QByteArray>& features) {
  return "{\"type\": \"FeatureCollection\", \"features\": [" + features.join(",\n") + "]}\n";
}

}  // namespace

class TestPoiImport : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void tagTable_data();
  void tagTable();
  void otherTagsAreUnpacked();
  void westOakland();
  void westOaklandExtentDropsOutside();
  void leedsOverpassOrder();
  void kirchbergHasNoPois();
  void genericVectorWithMapping();
  void genericVectorSkipUnmapped();
  void badInput_data();
  void badInput();

 private:
  QTemporaryDir m_dir;
  QString m_pois;  //!< pois.geojson: five features near Milan with a `kind` and a `label`
};

void TestPoiImport::tagTable_data() {
  QTest::addColumn<OsmTags>("tags");
  QTest::addColumn<QString>("expected");  // a category name, or "" for not a POI
  using Tags = OsmTags;
  QTest::newRow("restaurant") << Tags{{"amenity", "restaurant"}} << "food";
  QTest::newRow("pub") << Tags{{"amenity", "pub"}} << "food";
  QTest::newRow("school") << Tags{{"amenity", "school"}} << "education";
  QTest::newRow("pharmacy") << Tags{{"amenity", "pharmacy"}} << "medical";
  QTest::newRow("atm") << Tags{{"amenity", "atm"}} << "finance";
  QTest::newRow("post office") << Tags{{"amenity", "post_office"}} << "public_service";
  QTest::newRow("cinema") << Tags{{"amenity", "cinema"}} << "entertainment";
  QTest::newRow("fuel") << Tags{{"amenity", "fuel"}} << "transport";
  QTest::newRow("any shop") << Tags{{"shop", "bicycle"}} << "shopping";
  QTest::newRow("any office") << Tags{{"office", "it"}} << "office";
  QTest::newRow("government office: public service first") << Tags{{"office", "government"}} << "public_service";
  QTest::newRow("motel") << Tags{{"tourism", "motel"}} << "hotel";
  QTest::newRow("museum") << Tags{{"tourism", "museum"}} << "entertainment";
  QTest::newRow("fitness") << Tags{{"leisure", "fitness_centre"}} << "sports_leisure";
  QTest::newRow("physiotherapist") << Tags{{"healthcare", "physiotherapist"}} << "medical";
  QTest::newRow("stop position") << Tags{{"public_transport", "stop_position"}} << "transport";
  QTest::newRow("tram stop") << Tags{{"railway", "tram_stop"}} << "transport";
  QTest::newRow("bus stop") << Tags{{"highway", "bus_stop"}} << "transport";
  QTest::newRow("craft") << Tags{{"craft", "carpenter"}} << "industrial";
  QTest::newRow("works") << Tags{{"man_made", "works"}} << "industrial";
  QTest::newRow("church") << Tags{{"amenity", "place_of_worship"}, {"religion", "christian"}} << "other";
  QTest::newRow("hotel with a restaurant") << Tags{{"tourism", "hotel"}, {"amenity", "restaurant"}} << "hotel";
  QTest::newRow("pharmacy that is a shop") << Tags{{"amenity", "pharmacy"}, {"shop", "chemist"}} << "medical";
  QTest::newRow("parking garage building") << Tags{{"amenity", "parking"}, {"building", "yes"}} << "transport";
  QTest::newRow("shop in a retail building") << Tags{{"shop", "bakery"}, {"building", "retail"}} << "shopping";
  QTest::newRow("value list: first entry") << Tags{{"amenity", "cafe;restaurant"}} << "food";
  QTest::newRow("apartments") << Tags{{"building", "apartments"}} << "residential";
  QTest::newRow("a house is not a POI") << Tags{{"building", "house"}} << "";
  QTest::newRow("generic residential building") << Tags{{"building", "residential"}} << "";
  QTest::newRow("plain building") << Tags{{"building", "yes"}, {"name", "Esther's Orbit Room"}} << "";
  QTest::newRow("vacant shop") << Tags{{"shop", "vacant"}, {"building", "retail"}} << "";
  QTest::newRow("disused amenity") << Tags{{"disused:amenity", "restaurant"}} << "";
  QTest::newRow("artwork") << Tags{{"tourism", "artwork"}} << "";
  QTest::newRow("road") << Tags{{"highway", "residential"}} << "";
  QTest::newRow("no tags") << Tags{} << "";
}

void TestPoiImport::tagTable() {
  QFETCH(OsmTags, tags);
  QFETCH(QString, expected);
  const auto category = poiCategoryFromOsmTags(tags);
  QCOMPARE(category ? poiCategoryName(*category) : QString(), expected);
}

void TestPoiImport::otherTagsAreUnpacked() {
  // GDAL's HSTORE text, with an escaped quote and a backslash inside values.
  const auto tags = detail::parseOsmOtherTags(QStringLiteral(R"("amenity"=>"cafe","name:en"=>"The \"Rev\" Cafe","path"=>"a\\b")"));
  QCOMPARE(tags.size(), 3);
  QCOMPARE(tags.value("amenity"), QStringLiteral("cafe"));
  QCOMPARE(tags.value("name:en"), QStringLiteral("The \"Rev\" Cafe"));
  QCOMPARE(tags.value("path"), QStringLiteral("a\\b"));
  // The driver's own fields are tags too; its bookkeeping fields are not.
  const QVariantMap attributes{
      {"osm_id", "1747162566"}, {"name", "Revolution Cafe"}, {"barrier", QVariant()}, {"other_tags", R"("amenity"=>"cafe")"}};
  const auto all = detail::osmTagsOf(attributes);
  QCOMPARE(all, (OsmTags{{"name", "Revolution Cafe"}, {"amenity", "cafe"}}));
}

void TestPoiImport::initTestCase() {
  QVERIFY(m_dir.isValid());
  const QByteArray square =
      R"({"type": "Feature", "properties": {"kind": "Parco", "label": "Square park"}, "geometry": {"type": "Polygon", "coordinates": [[[9.200, 45.470], [9.201, 45.470], [9.201, 45.471], [9.200, 45.471], [9.200, 45.470]]]}})";
  m_pois = writeFile(
      m_dir, "pois.geojson",
      collection({pointFeature("Ristorante", 9.19, 45.46, "Trattoria"), pointFeature("Banca", 9.191, 45.461, "Banca Uno"),
                  pointFeature("Ristorante", 9.192, 45.462, "Pizzeria"), pointFeature("Scuola", 9.193, 45.463, "Liceo"), square}));
  writeFile(m_dir, "mapping.csv",
            "value,category\n# Italian labels of the source\nRistorante,food\nBanca,finance\nScuola,education\nParco,sports_leisure\n");
  writeFile(m_dir, "partial.csv", "Ristorante,food\nBanca,finance\nParco,sports_leisure\n");
  writeFile(m_dir, "badrow.csv", "value,category\nRistorante,food\nBanca,finance,extra\n");
  writeFile(m_dir, "unknown.csv", "Ristorante,food\nBanca,bank\n");
  writeFile(m_dir, "twice.csv", "Ristorante,food\nRistorante,shopping\n");
  writeFile(m_dir, "unclosed.csv", "Ristorante,food\n\"Banca,finance\n");
  writeFile(m_dir, "notvector.txt", "This is a shopping list, not a map.\nMilk\nBread\n");
  writeFile(m_dir, "empty.osm", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"test\">\n</osm>\n");
  writeFile(m_dir, "broken.osm", "<?xml version=\"1.0\"?>\n<osm version=\"0.6\">\n  <node id=\"1\" lat=\"37.8\" lon=\"-122.3\">\n</osm>\n");
  writeFile(m_dir, "three.osm",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<osm version=\"0.6\" generator=\"test\">\n"
            "  <node id=\"1\" lat=\"37.806\" lon=\"-122.300\"><tag k=\"amenity\" v=\"cafe\"/></node>\n"
            "  <node id=\"2\" lat=\"37.807\" lon=\"-122.301\"><tag k=\"shop\" v=\"bakery\"/></node>\n"
            "  <node id=\"3\" lat=\"37.808\" lon=\"-122.302\"><tag k=\"amenity\" v=\"bank\"/></node>\n</osm>\n");
  writeFile(m_dir, "nogeometry.geojson",
            R"({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"kind": "food"}, "geometry": null}]})");
}

void TestPoiImport::westOakland() {
  NETSPATIAL_SHARED_FILE(file, "osm/west_oakland.osm");
  ImportReport report;
  PoiImportOptions options;
  options.path = file;
  auto pois = importPois(options, utmTarget(32610), &report);
  QVERIFY2(pois.ok(), qPrintable(why(pois)));

  // 21 tagged nodes and 33 polygons; by the table (counted by hand from the file's tags): nodes —
  // amenity=parking, 2 × public_transport=stop_position (transport), 2 × place_of_worship (other),
  // Revolution Cafe (food), 2 shops; polygons — Prescott School (education), 2 × post office
  // (public service), 2 × amenity=parking (transport), a playground and Bertha Port Park (sports),
  // 2 × building=retail (shopping). Murals, signals, gates, plain buildings and landuse are not POIs.
  QCOMPARE(pois->size(), std::size_t(17));
  const std::map<QString, int> expected{{"food", 1},           {"shopping", 4},       {"education", 1}, {"transport", 5},
                                        {"sports_leisure", 2}, {"public_service", 2}, {"other", 2}};
  QCOMPARE(countsOf(*pois), expected);
  for (std::size_t i = 0; i < pois->size(); ++i) QCOMPARE((*pois)[i].id, qint64(i) + 1);  // file order

  // Node 1747162566: name=Revolution Cafe, amenity=cafe (in other_tags) at -122.2984609, 37.8062641;
  // cs2cs EPSG:4326 → EPSG:32610 gives 561755.330, 4184551.736.
  const Poi* cafe = poiNamed(*pois, "Revolution Cafe");
  QVERIFY(cafe);
  QCOMPARE(cafe->category, PoiCategory::Food);
  NETSPATIAL_COMPARE_NEAR(cafe->position.x, 561755.330, 1.0);
  NETSPATIAL_COMPARE_NEAR(cafe->position.y, 4184551.736, 1.0);
  // Node 2405775321: State Market Liquor, shop=convenience.
  QCOMPARE(poiNamed(*pois, "State Market Liquor")->category, PoiCategory::Shopping);
  QCOMPARE(poiNamed(*pois, "Morning Star Church of God in Christ")->category, PoiCategory::Other);

  // Way 27204443, Prescott School (amenity=school): a polygon, placed by a point inside it.
  const Poi* school = poiNamed(*pois, "Prescott School");
  QVERIFY(school);
  QCOMPARE(school->category, PoiCategory::Education);
  VectorReadOptions read;
  read.layerName = "multipolygons";
  read.validateGeometries = false;
  auto polygons = readVectorLayer(file, read);
  QVERIFY2(polygons.ok(), qPrintable(why(polygons)));
  auto toUtm = CoordinateTransform::create(Crs::wgs84(), *Crs::fromEpsg(32610));
  QVERIFY(toUtm.ok());
  bool found = false;
  for (const Feature& f : polygons->features) {
    if (f.attributes.value("name").toString() != "Prescott School") continue;
    found = true;
    auto outline = toUtm->transform(f.geometry);
    QVERIFY(outline.ok());
    QVERIFY2(
        insideRing(school->position, outline->parts[0][0]),
        qPrintable(
            QStringLiteral("(%1, %2) is not inside the school").arg(school->position.x, 0, 'f', 2).arg(school->position.y, 0, 'f', 2)));
  }
  QVERIFY(found);

  QCOMPARE(report.value(0), QStringLiteral("west_oakland.osm: 17 points of interest (food 1, shopping 4, education 1, transport 5, "
                                           "sports_leisure 2, public_service 2, other 2)"));
  QVERIFY(report.join('\n').contains("37 of 54 OSM features match no row of the POI table"));
}

void TestPoiImport::westOaklandExtentDropsOutside() {
  NETSPATIAL_SHARED_FILE(file, "osm/west_oakland.osm");
  // 300 m × 300 m around Revolution Cafe: the cafe, Bikes 4 Life (~19 m east) and the Western
  // Service Workers Association building (~120 m west); the stations, the school (180 m north),
  // the post office and the park lie outside.
  ImportReport report;
  PoiImportOptions options;
  options.path = file;
  auto pois = importPois(options, utmTarget(32610, Extent::aroundCentre({561755.330, 4184551.736}, 300.0, 300.0)), &report);
  QVERIFY2(pois.ok(), qPrintable(why(pois)));
  QStringList names;
  for (const Poi& p : *pois) names << p.name;
  QCOMPARE(names, (QStringList{"Revolution Cafe", "Bikes 4 Life", "Western Service Workers Association Building"}));
  QCOMPARE((*pois)[2].id, qint64(3));  // ids count what was kept
  QVERIFY2(report.contains("west_oakland.osm: 14 points of interest outside the scenario extent dropped"), qPrintable(report.join('\n')));
}

void TestPoiImport::leedsOverpassOrder() {
  NETSPATIAL_SHARED_FILE(file, "olinda/leeds_overpass_sample.osm");
  // The file lists its 13 park ways before the nodes they use: GDAL alone reads nothing from it.
  ImportReport report;
  PoiImportOptions options;
  options.path = file;
  auto pois = importPois(options, utmTarget(32630), &report);
  QVERIFY2(pois.ok(), qPrintable(why(pois)));
  QCOMPARE(pois->size(), std::size_t(13));
  QCOMPARE(countsOf(*pois), (std::map<QString, int>{{"sports_leisure", 13}}));  // leisure=park; the cemetery is no POI
  const Poi* square = poiNamed(*pois, "Park Square");                           // way 6278596
  QVERIFY(square);
  // Park Square, Leeds, lies near 53.7994 N, 1.5535 W: about (595374, 5962118) in UTM 30N.
  NETSPATIAL_COMPARE_NEAR(square->position.x, 595374.0, 60.0);
  NETSPATIAL_COMPARE_NEAR(square->position.y, 5962118.0, 60.0);
  QVERIFY2(report.join('\n').contains("leeds_overpass_sample.osm: it lists ways before their nodes"), qPrintable(report.join('\n')));
}

void TestPoiImport::kirchbergHasNoPois() {
  NETSPATIAL_SHARED_FILE(file, "osm/kirchberg_iller.osm");
  // 2 tagged nodes (a turning circle, …) and 32 buildings (building=yes/house): no POI at all, which
  // is an Error so that a user notices.
  PoiImportOptions options;
  options.path = file;
  auto pois = importPois(options, utmTarget(32632));
  QVERIFY(!pois.ok());
  QCOMPARE(pois.error().code(), ErrorCode::CorruptData);
  QCOMPARE(pois.error().toString(),
           file + QStringLiteral(": no points of interest in the file (34 features read, none matched the OSM tag table)"));
}

void TestPoiImport::genericVectorWithMapping() {
  ImportReport report;
  PoiImportOptions options;
  options.path = m_pois;
  options.categoryField = "kind";
  options.mappingFile = m_dir.filePath("mapping.csv");
  options.nameField = "label";
  auto pois = importPois(options, utmTarget(32632), &report);
  QVERIFY2(pois.ok(), qPrintable(why(pois)));
  QCOMPARE(pois->size(), std::size_t(5));
  const QList<PoiCategory> expected{PoiCategory::Food, PoiCategory::Finance, PoiCategory::Food, PoiCategory::Education,
                                    PoiCategory::SportsLeisure};
  for (std::size_t i = 0; i < pois->size(); ++i) QCOMPARE((*pois)[i].category, expected[qsizetype(i)]);
  QCOMPARE((*pois)[0].name, QStringLiteral("Trattoria"));
  // cs2cs EPSG:4326 → EPSG:32632 of (9.19 E, 45.46 N): 514854.599, 5034070.192.
  NETSPATIAL_COMPARE_NEAR((*pois)[0].position.x, 514854.599, 1.0);
  NETSPATIAL_COMPARE_NEAR((*pois)[0].position.y, 5034070.192, 1.0);
  // The park polygon: its point lies inside the projected square (9.200–9.201 E, 45.470–45.471 N).
  auto toUtm = CoordinateTransform::create(Crs::wgs84(), *Crs::fromEpsg(32632));
  const auto lo = toUtm->transform(PointXY{9.200, 45.470});
  const auto hi = toUtm->transform(PointXY{9.201, 45.471});
  const PointXY park = (*pois)[4].position;
  QVERIFY(park.x > lo->x && park.x < hi->x && park.y > lo->y && park.y < hi->y);
  QCOMPARE(report.value(0), QStringLiteral("pois.geojson: 5 points of interest (food 2, education 1, sports_leisure 1, finance 1)"));

  // Without a mapping file the values must be taxonomy names (any case).
  const QString named =
      writeFile(m_dir, "named.geojson", collection({pointFeature("Finance", 9.19, 45.46), pointFeature("hotel", 9.19, 45.46)}));
  PoiImportOptions plain;
  plain.path = named;
  plain.categoryField = "KIND";  // fields are matched case-insensitively
  auto direct = importPois(plain, utmTarget(32632));
  QVERIFY2(direct.ok(), qPrintable(why(direct)));
  QCOMPARE((*direct)[0].category, PoiCategory::Finance);
  QCOMPARE((*direct)[1].category, PoiCategory::Hotel);
}

void TestPoiImport::genericVectorSkipUnmapped() {
  ImportReport report;
  PoiImportOptions options;
  options.path = m_pois;
  options.categoryField = "kind";
  options.mappingFile = m_dir.filePath("partial.csv");  // no row for "Scuola"
  options.skipUnmapped = true;
  auto pois = importPois(options, utmTarget(32632), &report);
  QVERIFY2(pois.ok(), qPrintable(why(pois)));
  QCOMPARE(pois->size(), std::size_t(4));
  QVERIFY2(report.contains("pois.geojson: 1 features with unmapped kind values skipped (Scuola)"), qPrintable(report.join('\n')));
}

void TestPoiImport::badInput_data() {
  QTest::addColumn<QString>("file");     // in the test's folder
  QTest::addColumn<QString>("field");    // categoryField
  QTest::addColumn<QString>("mapping");  // in the test's folder; "" = none
  QTest::addColumn<QString>("nameField");
  QTest::addColumn<qint64>("maxFeatures");  // 0 = the default limit
  QTest::addColumn<bool>("farExtent");      // a scenario extent far from the data
  QTest::addColumn<int>("code");
  QTest::addColumn<QStringList>("mentions");  // in Error::toString()
  const auto row = [](const char* name, const QString& file, const QString& field, const QString& mapping, ErrorCode code,
                      const QStringList& mentions, const QString& nameField = {}, qint64 maxFeatures = 0, bool far = false) {
    QTest::newRow(name) << file << field << mapping << nameField << maxFeatures << far << int(code) << mentions;
  };
  row("nonexistent file", "missing.geojson", "kind", "", ErrorCode::FileNotFound, {"missing.geojson", "no such file"});
  row("a text file, not a vector", "notvector.txt", "kind", "", ErrorCode::UnsupportedFormat, {"notvector.txt", "not a vector file"});
  row("empty OSM extract", "empty.osm", "", "", ErrorCode::CorruptData, {"empty.osm", "no points of interest", "0 features read"});
  row("OSM XML cut short", "broken.osm", "", "", ErrorCode::ParseError, {"broken.osm", "row 4", "not OpenStreetMap XML"});
  row("OSM above the feature limit", "three.osm", "", "", ErrorCode::InvalidValue, {"three.osm", "row 3", "more than 2 features"}, {}, 2);
  row("no category field given", "pois.geojson", "", "", ErrorCode::InvalidArgument,
      {"pois.geojson", "field 'category'", "not an OpenStreetMap"});
  row("missing category field", "pois.geojson", "type", "", ErrorCode::MissingField, {"pois.geojson", "field 'type'", "kind, label"});
  row("value is no category, no mapping", "pois.geojson", "kind", "", ErrorCode::InvalidValue,
      {"pois.geojson", "row 1", "field 'kind'", "'Ristorante'", "sports_leisure"});
  row("value not in the mapping", "pois.geojson", "kind", "partial.csv", ErrorCode::InvalidValue,
      {"pois.geojson", "row 4", "field 'kind'", "'Scuola'", "partial.csv"});
  row("mapping row with three columns", "pois.geojson", "kind", "badrow.csv", ErrorCode::ParseError,
      {"badrow.csv", "row 3", "two columns"});
  row("mapping names an unknown category", "pois.geojson", "kind", "unknown.csv", ErrorCode::InvalidValue,
      {"unknown.csv", "row 2", "'bank'", "public_service"});
  row("mapping maps a value twice", "pois.geojson", "kind", "twice.csv", ErrorCode::InvalidValue, {"twice.csv", "row 2", "on row 1"});
  row("mapping with an unclosed quote", "pois.geojson", "kind", "unclosed.csv", ErrorCode::ParseError, {"unclosed.csv", "row 2"});
  row("mapping file missing", "pois.geojson", "kind", "nomapping.csv", ErrorCode::FileNotFound, {"nomapping.csv"});
  row("missing name field", "pois.geojson", "kind", "mapping.csv", ErrorCode::MissingField, {"pois.geojson", "field 'title'"}, "title");
  row("more features than the limit", "pois.geojson", "kind", "mapping.csv", ErrorCode::InvalidValue,
      {"pois.geojson", "row 4", "more than 3 features", "limit"}, {}, 3);
  row("every POI outside the extent", "pois.geojson", "kind", "mapping.csv", ErrorCode::OutOfExtent, {"pois.geojson", "all 5", "outside"},
      {}, 0, true);
  row("a feature without geometry", "nogeometry.geojson", "kind", "", ErrorCode::InvalidGeometry,
      {"nogeometry.geojson", "row 1", "field 'geometry'"});
}

void TestPoiImport::badInput() {
  QFETCH(QString, file);
  QFETCH(QString, field);
  QFETCH(QString, mapping);
  QFETCH(QString, nameField);
  QFETCH(qint64, maxFeatures);
  QFETCH(bool, farExtent);
  QFETCH(int, code);
  QFETCH(QStringList, mentions);
  PoiImportOptions options;
  options.path = m_dir.filePath(file);
  options.categoryField = field;
  options.mappingFile = mapping.isEmpty() ? QString() : m_dir.filePath(mapping);
  options.nameField = nameField;
  ImportTarget target = utmTarget(file.endsWith(".osm") ? 32610 : 32632);
  if (maxFeatures > 0) target.limits.maxFeatures = maxFeatures;
  if (farExtent) target.extent = Extent::aroundCentre({100000.0, 100000.0}, 1000.0, 1000.0);
  auto pois = importPois(options, target);
  QVERIFY2(!pois.ok(), "bad input was accepted");
  const QString text = pois.error().toString();
  QVERIFY2(int(pois.error().code()) == code, qPrintable(QStringLiteral("%1 (code %2)").arg(text, errorCodeName(pois.error().code()))));
  for (const QString& m : mentions) QVERIFY2(text.contains(m), qPrintable(QStringLiteral("'%1' does not mention '%2'").arg(text, m)));
}

QTEST_GUILESS_MAIN(TestPoiImport)
#include "tst_poiimport.moc"
