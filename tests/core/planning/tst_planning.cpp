// Planning core (DESIGN.md §8): the candidate grid and its feasibility reasons, the utilities of
// generated traffic (LSI exactly as NetSpatial Eq. 6), top-K with spacing and a demand floor, the
// probability of staying in the top K across samples, and the rationale paragraph.

#include "tests/comparenear.h"
#include "core/planning/candidategrid.h"
#include "core/planning/rationale.h"
#include "core/planning/ranking.h"
#include "core/planning/siteutilities.h"

#include <QTest>

#include <cmath>
#include <numeric>
#include <set>

using namespace netspatial::core;

namespace {

Geometry rectangle(double x0, double y0, double x1, double y1) {
  Geometry g;
  g.type = GeometryType::Polygon;
  g.parts = {{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
  return g;
}

const Candidate& at(const std::vector<Candidate>& grid, double x, double y) {
  for (const Candidate& c : grid) {
    const PointXY p = candidateCentre(c);
    if (std::abs(p.x - x) < 1e-6 && std::abs(p.y - y) < 1e-6) return c;
  }
  qFatal("no cell centred at %f %f", x, y);
}

// A sample of `hours` hours: a daily sine of amplitude `amp` around `mean`, peak at `peak` h.
std::vector<float> series(double mean, double amp, int peak = 12, int hours = 672) {
  std::vector<float> x(static_cast<std::size_t>(hours));
  for (int t = 0; t < hours; ++t) x[std::size_t(t)] = float(mean + amp * std::cos(2.0 * M_PI * double(t % 24 - peak) / 24.0));
  return x;
}

SiteSamples site(const QString& id, PointXY p, std::vector<std::vector<float>> samples) { return {id, p, std::move(samples)}; }

}  // namespace

class TestPlanning : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void gridCoversTheAoiAlignedOnTheCellSize() {
    Scenario s;
    auto grid = buildCandidateGrid(s, rectangle(1030.0, 2010.0, 1290.0, 2300.0), {});
    QVERIFY2(grid.ok(), qPrintable(grid.ok() ? QString() : grid.error().message()));
    // x 1000–1300 (3 columns), y 2000–2300 (3 rows), aligned on multiples of 100 m.
    QCOMPARE(grid->size(), std::size_t(9));
    QCOMPARE(grid->front().id, qint64(1));
    QCOMPARE(candidateCentre(grid->front()).x, 1050.0);
    QCOMPARE(candidateCentre(grid->front()).y, 2250.0);  // row-major from the north-west
    QCOMPARE(candidateSiteId(grid->back()), QStringLiteral("C9"));
    for (const Candidate& c : *grid) {
      QCOMPARE(c.cell.area(), 10000.0);
      QVERIFY2(c.feasible, qPrintable(c.reason));
    }
  }

  void feasibilityRulesGiveTheirReasons() {
    Scenario s;
    s.stations.push_back({QStringLiteral("S12"), {}, StationType::Macro, 100.0, {250.0, 150.0}});
    s.zones.push_back({1, ZoneClass::Water, QStringLiteral("Lake"), rectangle(0.0, 300.0, 100.0, 400.0)});
    s.zones.push_back({2, ZoneClass::Park, QString(), rectangle(100.0, 300.0, 200.0, 400.0)});
    s.zones.push_back({3, ZoneClass::Cbd, QStringLiteral("Centre"), rectangle(200.0, 300.0, 400.0, 400.0)});
    // An L-shaped AOI: the north-east 200 × 100 m block is cut out.
    Geometry aoi;
    aoi.type = GeometryType::Polygon;
    aoi.parts = {{{{0, 0}, {600, 0}, {600, 300}, {400, 300}, {400, 400}, {0, 400}, {0, 0}}}};
    CandidateGridOptions o;
    o.exclusions.push_back(rectangle(500.0, 0.0, 600.0, 100.0));
    auto grid = buildCandidateGrid(s, aoi, o);
    QVERIFY(grid.ok());
    QCOMPARE(grid->size(), std::size_t(24));  // 6 × 4
    QCOMPARE(at(*grid, 50, 350).reason, QStringLiteral("water (Lake)"));
    QCOMPARE(at(*grid, 150, 350).reason, QStringLiteral("park"));
    QVERIFY(at(*grid, 250, 350).feasible);  // CBD is buildable
    QCOMPARE(at(*grid, 550, 350).reason, QStringLiteral("outside the AOI"));
    QCOMPARE(at(*grid, 250, 150).reason, QStringLiteral("within 150 m of station S12 (0 m)"));
    QCOMPARE(at(*grid, 350, 150).reason, QStringLiteral("within 150 m of station S12 (100 m)"));
    QVERIFY(at(*grid, 450, 150).feasible);  // 200 m away
    QCOMPARE(at(*grid, 550, 50).reason, QStringLiteral("inside exclusion area 1"));
    // Every rule is a parameter.
    o.minStationDistance = 50.0;
    o.excludedZoneClasses = {ZoneClass::Water};
    o.exclusions.clear();
    grid = buildCandidateGrid(s, aoi, o);
    QVERIFY(at(*grid, 150, 350).feasible);
    QVERIFY(at(*grid, 350, 150).feasible);
    QVERIFY(at(*grid, 550, 50).feasible);
    QVERIFY(!at(*grid, 250, 150).feasible);
  }

  void badGridRequestsAreRefused_data() {
    QTest::addColumn<double>("cell");
    QTest::addColumn<bool>("emptyAoi");
    QTest::addColumn<QString>("expected");
    QTest::newRow("zero cell") << 0.0 << false << "cell size";
    QTest::newRow("negative cell") << -5.0 << false << "cell size";
    QTest::newRow("nan cell") << std::nan("") << false << "cell size";
    QTest::newRow("no aoi") << 100.0 << true << "area of interest";
    QTest::newRow("too many cells") << 0.5 << false << "exceed the limit";
  }
  void badGridRequestsAreRefused() {
    QFETCH(double, cell);
    QFETCH(bool, emptyAoi);
    QFETCH(QString, expected);
    CandidateGridOptions o;
    o.cellSize = cell;
    auto grid = buildCandidateGrid(Scenario{}, emptyAoi ? Geometry{} : rectangle(0, 0, 1000, 1000), o);
    QVERIFY(!grid.ok());
    QVERIFY2(grid.error().message().contains(expected), qPrintable(grid.error().message()));
  }

  void lsiIsEquationSixOnNormalisedSigma() {
    // σ of a cosine of amplitude a is a/√2; in units of the scale 100 → a/(100√2).
    auto u = computeSiteUtilities({site("A", {}, {series(50.0, 10.0), series(50.0, 20.0)})}, 100.0);
    QVERIFY(u.ok());
    const double s1 = 10.0 / std::sqrt(2.0) / 100.0, s2 = 20.0 / std::sqrt(2.0) / 100.0;
    NETSPATIAL_COMPARE_NEAR(u->front().sigma, (s1 + s2) / 2.0, 1e-6);
    NETSPATIAL_COMPARE_NEAR(u->front().lsi, 1.0 / ((s1 + s2) / 2.0 + 1e-6), 1e-3);
    NETSPATIAL_COMPARE_NEAR(u->front().perSample[0].lsi(), 1.0 / (s1 + 1e-6), 1e-3);
    NETSPATIAL_COMPARE_NEAR(u->front().mean, 50.0, 1e-4);
    NETSPATIAL_COMPARE_NEAR(u->front().stability, 50.0 / ((s1 + s2) / 2.0), 1e-2);
    // p95 of a cosine around 50: between mean + a·cos(π/4·…) and the maximum.
    QVERIFY(u->front().perSample[0].p95 > 59.0 && u->front().perSample[0].p95 <= 60.0 + 1e-4);
    // A flat series: σ = 0, LSI = 10⁶ exactly as Eq. 6's ε gives.
    auto flat = computeSiteUtilities({site("F", {}, {std::vector<float>(672, 3.0f)})}, 1.0);
    QCOMPARE(flat->front().lsi, 1e6);
  }

  void badSamplesAreRefusedNamingTheSite() {
    auto empty = computeSiteUtilities({site("E", {}, {})}, 1.0);
    QVERIFY(!empty.ok() && empty.error().message().contains("E"));
    auto ragged = computeSiteUtilities({site("R", {}, {series(1, 1), series(1, 1, 12, 600)})}, 1.0);
    QVERIFY(!ragged.ok() && ragged.error().message().contains("R"));
    auto nan = series(1, 1);
    nan[5] = std::nanf("");
    auto bad = computeSiteUtilities({site("N", {}, {nan})}, 1.0);
    QVERIFY(!bad.ok() && bad.error().message().contains("N"));
    QVERIFY(!computeSiteUtilities({site("A", {}, {series(1, 1)})}, 0.0).ok());
  }

  void rankingByEachUtility() {
    // A: quiet and flat. B: busy and stable. C: busy and volatile. D: medium. mean/σ: B 1414,
    // A 707, D 354, C 170.
    auto u = computeSiteUtilities({site("A", {0, 0}, {series(1.0, 0.2)}), site("B", {1000, 0}, {series(100.0, 10.0)}),
                                   site("C", {2000, 0}, {series(120.0, 100.0)}), site("D", {3000, 0}, {series(50.0, 20.0)})},
                                  100.0);
    QVERIFY(u.ok());
    auto order = [&](Utility utility) {
      RankingOptions o;
      o.utility = utility;
      o.topK = 2;
      auto r = rankSites(*u, o);
      QStringList ids;
      for (const RankedSite& s : r->sites) ids << s.siteId;
      return ids.join(QString());
    };
    QCOMPARE(order(Utility::Lsi), QStringLiteral("ABDC"));  // pure LSI prefers the empty field
    QCOMPARE(order(Utility::MeanDemand), QStringLiteral("CBDA"));
    QCOMPARE(order(Utility::PeakP95), QStringLiteral("CBDA"));
    QCOMPARE(order(Utility::StabilityWeighted), QStringLiteral("BADC"));
    RankingOptions o;
    o.utility = Utility::Composite;
    o.weights = {0.0, 1.0, 0.0, 0.0};  // only mean → the mean order
    auto r = rankSites(*u, o);
    QCOMPARE(r->sites.front().siteId, QStringLiteral("C"));
    QCOMPARE(r->sites.front().value, 1.0);  // the top percentile
    o.weights = {0.0, 0.5, 0.0, 0.5};       // B is 2nd on mean and 1st on mean/σ
    r = rankSites(*u, o);
    QCOMPARE(r->sites.front().siteId, QStringLiteral("B"));
  }

  void floorSpacingAndSelection() {
    std::vector<SiteSamples> in;
    // Six sites on a line 100 m apart, LSI falling with x; one quiet site far away.
    for (int i = 0; i < 6; ++i) in.push_back(site(QStringLiteral("S%1").arg(i), {100.0 * i, 0}, {series(50.0, 5.0 + i)}));
    in.push_back(site(QStringLiteral("Q"), {5000, 0}, {series(0.5, 0.01)}));
    auto u = computeSiteUtilities(in, 100.0);
    RankingOptions o;
    o.topK = 3;
    auto r = rankSites(*u, o);
    QCOMPARE(r->sites[0].siteId, QStringLiteral("Q"));  // quiet wins LSI without a floor
    o.minDemand = 10.0;
    r = rankSites(*u, o);
    QCOMPARE(r->eligible, 6);
    QCOMPARE(r->belowFloor, 1);
    QCOMPARE(r->sites.back().siteId, QStringLiteral("Q"));
    QCOMPARE(r->sites.back().rank, 0);
    QVERIFY(r->sites.back().excludedBecause.contains("floor"));
    QStringList selected;
    for (const RankedSite& s : r->sites)
      if (s.selected) selected << s.siteId;
    QCOMPARE(selected, QStringList({"S0", "S1", "S2"}));
    o.minSpacing = 150.0;
    r = rankSites(*u, o);
    selected.clear();
    for (const RankedSite& s : r->sites)
      if (s.selected) selected << s.siteId;
    QCOMPARE(selected, QStringList({"S0", "S2", "S4"}));
    QCOMPARE(r->skippedForSpacing, 2);
    QVERIFY(r->sites[1].excludedBecause.contains("150 m"));
    QVERIFY(!rankSites(*u, RankingOptions{Utility::Lsi, 0}).ok());
    RankingOptions bad;
    bad.utility = Utility::Composite;
    bad.weights = {0, 0, 0, 0};
    QVERIFY(!rankSites(*u, bad).ok());
  }

  void probabilityOfTopKAcrossSamples() {
    // X is the more stable in 3 of 4 samples and on average (σ 1.75 vs 2 in amplitude), Y in 1 of 4; K = 1.
    auto u = computeSiteUtilities({site("X", {}, {series(50, 1), series(50, 1), series(50, 1), series(50, 4)}),
                                   site("Y", {}, {series(50, 2), series(50, 2), series(50, 2), series(50, 2)})},
                                  100.0);
    RankingOptions o;
    o.topK = 1;
    auto r = rankSites(*u, o);
    QCOMPARE(r->sites[0].siteId, QStringLiteral("X"));
    QCOMPARE(r->sites[0].pTopK, 0.75);
    QCOMPARE(r->sites[1].pTopK, 0.25);
  }

  void rankingIsIndependentOfInputOrder() {
    std::vector<SiteSamples> in;
    for (int i = 0; i < 20; ++i) in.push_back(site(QStringLiteral("S%1").arg(i), {10.0 * i, 0}, {series(10.0 + i % 3, 1.0 + i % 4)}));
    auto a = rankSites(*computeSiteUtilities(in, 10.0), {});
    std::reverse(in.begin(), in.end());
    auto b = rankSites(*computeSiteUtilities(in, 10.0), {});
    for (std::size_t i = 0; i < a->sites.size(); ++i) QCOMPARE(a->sites[i].siteId, b->sites[i].siteId);
  }

  void rationaleStatesTheFacts() {
    std::vector<std::vector<float>> samples;
    // Weekday peak at 21:00; weekends at half the level.
    std::vector<float> x(672);
    for (int t = 0; t < 672; ++t) x[std::size_t(t)] = float((t / 24) % 7 < 5 ? 20.0 + (t % 24 == 21 ? 10.0 : 0.0) : 10.0);
    samples.push_back(x);
    const TrafficFeatures f = trafficFeatures(samples);
    QCOMPARE(f.peakHourWeekday, 21);
    QVERIFY(f.weekdayWeekendRatio > 2.0 && f.weekdayWeekendRatio < 2.1);
    auto u = computeSiteUtilities({site("C7", {}, samples), site("C8", {}, {series(1, 0.5)})}, 100.0);
    auto r = rankSites(*u, {Utility::MeanDemand, 1});
    SiteContext c;
    c.zoneClass = ZoneClass::ResidentialHigh;
    c.poisKnown = true;
    c.pois = {{PoiCategory::Food, {}, 10, 0}, {PoiCategory::Food, {}, 20, 0}, {PoiCategory::Shopping, {}, 30, 0}};
    c.population = 4200.4;
    const QString text = siteRationale(r->sites[0], *r, &c, f, QStringLiteral("MB/h"));
    for (const char* fact : {"Rank 1 of 2 by mean, selected", "zone", "3 POIs within 500 m, mostly food (2), shopping (1)",
                             "4200 residents", "peaks at 21:00", "weekdays carry 2", "MB/h", "In the top 1 in 100 %"})
      QVERIFY2(text.contains(QString::fromUtf8(fact)), qPrintable(QStringLiteral("'%1' missing from: %2").arg(fact, text)));
    // LSI's preference for quiet sites is said, not hidden.
    auto lsi = rankSites(*u, {Utility::Lsi, 1});
    const QString quiet = siteRationale(lsi->sites[0], *lsi, nullptr, trafficFeatures({series(1, 0.5)}), QStringLiteral("MB/h"));
    QCOMPARE(lsi->sites[0].siteId, QStringLiteral("C8"));
    QVERIFY2(quiet.contains("Caution"), qPrintable(quiet));
  }
};

QTEST_GUILESS_MAIN(TestPlanning)
#include "tst_planning.moc"
