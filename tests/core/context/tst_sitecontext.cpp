// Site contexts (DESIGN.md §5): image patch, POIs within 500 m with distance and bearing, population
// within 500 m, zone, nearby stations; missing modalities explicit.

#include "tests/comparenear.h"
#include "core/context/sitecontext.h"

#include <QTest>

#include <cmath>
#include <numbers>

using namespace netspatial::core;

namespace {

// A 1.2 km square town in UTM 32N with a site S1 at its centre (500 600, 5 000 600).
Scenario makeTown() {
  Scenario s;
  s.metadata.name = QStringLiteral("testtown");
  s.metadata.crs = *Crs::fromEpsg(32632);
  s.stations.push_back({QStringLiteral("S1"), {}, StationType::Macro, 100.0, {500600.0, 5000600.0}});
  s.stations.push_back({QStringLiteral("S2"), {}, StationType::Micro, 50.0, {500800.0, 5000600.0}});   // 200 m east
  s.stations.push_back({QStringLiteral("S3"), {}, StationType::Macro, 100.0, {501200.0, 5000600.0}});  // 600 m east
  s.trafficSites.push_back({QStringLiteral("cell-7"), QStringLiteral("Grid cell 7"), {}, {500100.0, 5000100.0}});
  s.pois.push_back({1, PoiCategory::Office, QStringLiteral("north"), {500600.0, 5000700.0}});  // 100 m, bearing 0
  s.pois.push_back({2, PoiCategory::Food, QStringLiteral("east"), {500900.0, 5000600.0}});     // 300 m, bearing π/2
  s.pois.push_back({3, PoiCategory::Hotel, QStringLiteral("far"), {501200.0, 5001200.0}});     // 849 m: outside
  // Imagery: 4 m pixels, 300 × 300, west half red, east half green.
  ImageRaster& img = s.imagery.grid;
  img.geoTransform = {500000.0, 4.0, 0.0, 5001200.0, 0.0, -4.0};
  img.width = img.height = 300;
  img.rgb.assign(std::size_t(3) * 300 * 300, 0);
  for (int row = 0; row < 300; ++row)
    for (int col = 0; col < 300; ++col) {
      const bool west = col < 150;
      img.rgb[(std::size_t(0) * 300 + row) * 300 + col] = west ? 200 : 10;
      img.rgb[(std::size_t(1) * 300 + row) * 300 + col] = west ? 10 : 180;
    }
  // Population: 100 m cells of 10 people.
  ValueRaster& pop = s.population.grid;
  pop.geoTransform = {500000.0, 100.0, 0.0, 5001200.0, 0.0, -100.0};
  pop.width = pop.height = 12;
  pop.values.assign(144, 10.0f);
  Zone z;
  z.id = 4;
  z.zoneClass = ZoneClass::Cbd;
  z.polygon.type = GeometryType::Polygon;
  z.polygon.parts = {{{{500400, 5000400}, {500800, 5000400}, {500800, 5000800}, {500400, 5000800}, {500400, 5000400}}}};
  s.zones.push_back(z);
  return s;
}

}  // namespace

class TestSiteContext : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void poisWithinRadiusWithDistanceAndBearing() {
    const Scenario s = makeTown();
    auto c = extractContexts(s, {QStringLiteral("S1")});
    QVERIFY(c.ok());
    const SiteContext& ctx = c->front();
    QVERIFY(ctx.poisKnown);
    QCOMPARE(ctx.pois.size(), std::size_t(2));
    QCOMPARE(ctx.pois[0].name, QStringLiteral("north"));
    QCOMPARE(ctx.pois[0].category, PoiCategory::Office);
    NETSPATIAL_COMPARE_NEAR(ctx.pois[0].distance, 100.0, 1e-9);
    QVERIFY(std::abs(ctx.pois[0].bearing) < 1e-12);
    NETSPATIAL_COMPARE_NEAR(ctx.pois[1].distance, 300.0, 1e-9);
    NETSPATIAL_COMPARE_NEAR(ctx.pois[1].bearing, std::numbers::pi / 2, 1e-12);
  }

  void populationCountsCellCentresWithinRadius() {
    const Scenario s = makeTown();
    const SiteContext ctx = *extractContext(s, QStringLiteral("p"), {500600.0, 5000600.0});
    // Cell centres at 50, 150, … m; count those within 500 m of (600, 600) independently.
    int cells = 0;
    for (int i = 0; i < 12; ++i)
      for (int j = 0; j < 12; ++j) cells += std::hypot(50.0 + 100 * i - 600.0, 50.0 + 100 * j - 600.0) <= 500.0 ? 1 : 0;
    QVERIFY(ctx.population.has_value());
    QCOMPARE(*ctx.population, 10.0 * cells);
  }

  void zoneAndStations() {
    const Scenario s = makeTown();
    const SiteContext ctx = extractContexts(s, {QStringLiteral("S1")})->front();
    QCOMPARE(ctx.zoneClass, std::optional<ZoneClass>(ZoneClass::Cbd));
    QCOMPARE(ctx.zoneKey, QStringLiteral("testtown/4"));
    QCOMPARE(ctx.stationsNearby, 1);  // S2 at 200 m; S1 itself and S3 at 600 m do not count
    const SiteContext cell = extractContexts(s, {QStringLiteral("cell-7")})->front();
    QVERIFY(!cell.zoneClass.has_value());
    QVERIFY(cell.zoneKey.isEmpty());
    QCOMPARE(cell.position.x, 500100.0);
  }

  void imagePatchIsResampledAndNorthUp() {
    const Scenario s = makeTown();
    const SiteContext ctx = extractContexts(s, {QStringLiteral("S1")})->front();
    QCOMPARE(ctx.patchPixels, 64);
    QCOMPARE(ctx.imagePatch.size(), std::size_t(3 * 64 * 64));
    // The site is at x = 600 m, the colour edge at x = 600 m: the west 32 columns are red.
    const auto at = [&](int band, int col, int row) { return int(ctx.imagePatch[(std::size_t(band) * 64 + row) * 64 + col]); };
    QCOMPARE(at(0, 0, 0), 200);
    QCOMPARE(at(0, 31, 63), 200);
    QCOMPARE(at(0, 32, 0), 10);
    QCOMPARE(at(1, 63, 10), 180);
  }

  void missingModalitiesAreExplicit() {
    Scenario s = makeTown();
    // Near the imagery edge the patch would be half empty: it is missing, not padded.
    SiteContext edge = *extractContext(s, QStringLiteral("e"), {500100.0, 5000100.0});
    QVERIFY(edge.imagePatch.empty());
    QCOMPARE(edge.patchPixels, 0);
    s.pois.clear();
    s.population = {};
    s.imagery = {};
    const SiteContext bare = extractContexts(s, {QStringLiteral("S1")})->front();
    QVERIFY(!bare.poisKnown);
    QVERIFY(!bare.population.has_value());
    QVERIFY(bare.imagePatch.empty());
  }

  void unknownSiteIsAnError() {
    const Scenario s = makeTown();
    auto c = extractContexts(s, {QStringLiteral("S1"), QStringLiteral("nope")});
    QVERIFY(!c.ok());
    QVERIFY(c.error().message().contains(QStringLiteral("'nope'")));
  }

  void holesAreRespected() {
    Geometry g;
    g.type = GeometryType::Polygon;
    g.parts = {{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{4, 4}, {6, 4}, {6, 6}, {4, 6}, {4, 4}}}};
    QVERIFY(polygonContains(g, {1, 1}));
    QVERIFY(!polygonContains(g, {5, 5}));
    QVERIFY(!polygonContains(g, {11, 5}));
  }
};

QTEST_GUILESS_MAIN(TestSiteContext)
#include "tst_sitecontext.moc"
