// Zone comparison (issue 6 part 5): hand-made scenarios whose answers are known — an office zone
// peaking at 11:00 on weekdays with weekends at 0.3×, a residential zone peaking at 21:00 with
// weekends at 1.1× — observed from a Saturday in Rome, so the profiles are right only when the series
// is cut at the first local Monday 00:00 (and not the UTC one). Checks site counts, peak hours,
// weekday/weekend ratios, means, both σ, every normalisation, class and drawn-polygon selections,
// generated traffic with candidates, "both", and the errors.

#include "core/analysis/zonecomparison.h"
#include "core/planning/candidategrid.h"
#include "core/traffic/decomposition.h"

#include <QTest>
#include <QTimeZone>

#include <cmath>
#include <limits>
#include <numbers>

using namespace netspatial::core;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
const QString kRome = QStringLiteral("Europe/Rome");

// Daily shapes with mean 1 over the 24 hours (a cosine over whole hours sums to zero).
double officeDaily(int hour) { return 1.0 + 0.8 * std::cos(2.0 * std::numbers::pi * (hour - 11) / 24.0); }
double residentialDaily(int hour) { return 1.0 + 0.6 * std::cos(2.0 * std::numbers::pi * (hour - 21) / 24.0); }
double bumpDaily(int hour, int peak, double amplitude) { return 1.0 + amplitude * std::cos(2.0 * std::numbers::pi * (hour - peak) / 24.0); }

enum class Shape { Office, Residential, Morning, Evening };

// Traffic of one site at local weekday `dow` (0 = Monday) and hour, in MB/h.
double valueAt(Shape shape, double scale, int dow, int hour) {
  const bool weekend = dow >= 5;
  switch (shape) {
    case Shape::Office:
      return scale * (weekend ? 0.3 : 1.0) * officeDaily(hour);
    case Shape::Residential:
      return scale * (weekend ? 1.1 : 1.0) * residentialDaily(hour);
    case Shape::Morning:
      return scale * bumpDaily(hour, 9, 0.5);
    case Shape::Evening:
      return scale * bumpDaily(hour, 18, 0.9);
  }
  return 0.0;
}

// Hourly values from `startUtc`, each hour valued at its local (Rome) weekday and hour.
std::vector<float> series(Shape shape, double scale, const QDateTime& startUtc, int hours) {
  const QTimeZone rome(kRome.toUtf8());
  std::vector<float> x(static_cast<std::size_t>(hours));
  for (int t = 0; t < hours; ++t) {
    const QDateTime local = startUtc.addSecs(qint64(t) * 3600).toTimeZone(rome);
    x[std::size_t(t)] = float(valueAt(shape, scale, local.date().dayOfWeek() - 1, local.time().hour()));
  }
  return x;
}

Geometry square(double x0, double y0, double x1, double y1) {
  Geometry g;
  g.type = GeometryType::Polygon;
  g.parts = {{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
  return g;
}

BaseStation station(const QString& id, double x, double y) {
  BaseStation s;
  s.id = id;
  s.name = id;
  s.position = {x, y};
  return s;
}

// Saturday 4 January 2025 00:00 in Rome (CET, UTC+1): two days before the first local Monday.
QDateTime observedStart() { return QDateTime(QDate(2025, 1, 3), QTime(23, 0), QTimeZone::utc()); }
// Monday 6 January 2025 00:00 in Rome.
QDateTime mondayStart() { return QDateTime(QDate(2025, 1, 5), QTime(23, 0), QTimeZone::utc()); }
constexpr int kObservedHours = 48 + 3 * 168;

Scenario knownScenario() {
  Scenario s;
  s.metadata.name = QStringLiteral("zones-test");
  s.metadata.timeZone = kRome;
  s.metadata.trafficUnit = QStringLiteral("MB/h");
  s.zones = std::vector<Zone>{Zone{1, ZoneClass::Cbd, QStringLiteral("Office park"), square(0, 0, 1000, 1000)},
                              Zone{2, ZoneClass::ResidentialHigh, QStringLiteral("Riverside homes"), square(2000, 0, 3000, 1000)},
                              Zone{3, ZoneClass::Park, QStringLiteral("Empty lot"), square(5000, 0, 6000, 1000)},
                              Zone{4, ZoneClass::Cbd, QString(), square(0, 2000, 1000, 3000)}};
  s.stations = std::vector<BaseStation>{
      station(QStringLiteral("O1"), 200, 200),  station(QStringLiteral("O2"), 700, 700),  station(QStringLiteral("O3"), 500, 500),
      station(QStringLiteral("O4"), 500, 2500), station(QStringLiteral("R1"), 2500, 500), station(QStringLiteral("R2"), 2200, 800),
      station(QStringLiteral("X1"), 4000, 500), station(QStringLiteral("B1"), 7000, 500), station(QStringLiteral("S1"), 7500, 500)};
  HourlyTraffic& obs = s.trafficObserved;
  obs.start = observedStart();
  obs.valuesBySite[QStringLiteral("O1")] = series(Shape::Office, 100, obs.start, kObservedHours);
  obs.valuesBySite[QStringLiteral("O2")] = series(Shape::Office, 300, obs.start, kObservedHours);
  obs.valuesBySite[QStringLiteral("O3")] = std::vector<float>(kObservedHours, kNaN);  // inside, but never measured
  obs.valuesBySite[QStringLiteral("O4")] = series(Shape::Office, 200, obs.start, kObservedHours);
  obs.valuesBySite[QStringLiteral("R1")] = series(Shape::Residential, 50, obs.start, kObservedHours);
  obs.valuesBySite[QStringLiteral("R2")] = series(Shape::Residential, 150, obs.start, kObservedHours);
  obs.valuesBySite[QStringLiteral("X1")] = series(Shape::Residential, 999, obs.start, kObservedHours);
  obs.valuesBySite[QStringLiteral("B1")] = series(Shape::Morning, 1000, obs.start, kObservedHours);
  obs.valuesBySite[QStringLiteral("S1")] = series(Shape::Evening, 10, obs.start, kObservedHours);
  // A gap in the second week: the other weeks hold the same values, so the profile is unchanged.
  for (int t = 48 + 168 + 30; t < 48 + 168 + 60; ++t) obs.valuesBySite[QStringLiteral("O1")][std::size_t(t)] = kNaN;
  // Hours before the first Monday that would break the office's weekday/weekend ratio if kept.
  return s;
}

// The expected mean weekly profile (Monday 00:00 local) of a shape at a scale.
std::vector<double> expectedWeekly(Shape shape, double scale) {
  std::vector<double> w(kHoursPerWeek);
  for (int h = 0; h < kHoursPerWeek; ++h) w[std::size_t(h)] = valueAt(shape, scale, h / 24, h % 24);
  return w;
}

std::pair<double, double> meanSigma(const std::vector<double>& x) {
  double sum = 0.0;
  for (double v : x) sum += v;
  const double mean = sum / double(x.size());
  double ss = 0.0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return {mean, std::sqrt(ss / double(x.size()))};
}

double meanOf(const std::vector<float>& x) {
  double sum = 0.0;
  int n = 0;
  for (float v : x)
    if (!std::isnan(v)) {
      sum += v;
      ++n;
    }
  return n ? sum / n : std::numeric_limits<double>::quiet_NaN();
}

bool near(double a, double b, double tol) { return std::abs(a - b) <= tol; }

#define QVERIFY_NEAR(a, b, tol)                                                                            \
  QVERIFY2(near(double(a), double(b), double(tol)), qPrintable(QStringLiteral("%1 = %2, expected %3 ± %4") \
                                                                   .arg(QLatin1String(#a))                 \
                                                                   .arg(double(a), 0, 'g', 10)             \
                                                                   .arg(double(b), 0, 'g', 10)             \
                                                                   .arg(double(tol))))

Candidate candidateAt(qint64 id, double cx, double cy) {
  Candidate c;
  c.id = id;
  c.cell = square(cx - 50, cy - 50, cx + 50, cy + 50);
  return c;
}

// Generated traffic on a local Monday: sample k is the shape × (1 + 0.1 k), so the sample mean is ×1.05.
GeneratedTraffic knownGeneration() {
  GeneratedTraffic g;
  g.runId = QStringLiteral("run-1");
  g.start = mondayStart();
  const auto samples = [&](Shape shape, double scale) {
    std::vector<std::vector<float>> out;
    for (int k = 0; k < 2; ++k) out.push_back(series(shape, scale * (1.0 + 0.1 * k), g.start, 672));
    return out;
  };
  g.samplesBySite[QStringLiteral("O1")] = samples(Shape::Office, 100);
  g.samplesBySite[QStringLiteral("C7")] = samples(Shape::Office, 300);   // candidate inside the office park
  g.samplesBySite[QStringLiteral("C8")] = samples(Shape::Office, 5000);  // candidate not in scenario.candidates
  g.samplesBySite[QStringLiteral("R1")] = samples(Shape::Residential, 50);
  return g;
}

}  // namespace

class TestZoneComparison : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void observedPhysicalProfiles();
  void observedAlignmentUsesLocalMonday();
  void normalisations();
  void perSiteNormalisationWeighsSitesEqually();
  void classAndDrawnSelections();
  void generatedAndBoth();
  void errors();
};

void TestZoneComparison::observedPhysicalProfiles() {
  const Scenario s = knownScenario();
  auto r = compareZones(s, {ZoneSelection::ofZone(1), ZoneSelection::ofZone(2, QStringLiteral("Homes"))});
  QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
  QCOMPARE(r->unit, QStringLiteral("MB/h"));
  QCOMPARE(r->timeZone, kRome);
  QCOMPARE(r->zones.size(), std::size_t(2));
  QVERIFY(r->warnings.isEmpty());

  const ZoneComparisonEntry& office = r->zones[0];
  QCOMPARE(office.label, QStringLiteral("Office park"));  // the zone's name when no label is given
  QCOMPARE(office.polygonCount, 1);
  QVERIFY(office.observed.has_value());
  QVERIFY(!office.generated.has_value());
  const ZoneProfile& o = *office.observed;
  QCOMPARE(o.source, ZoneTrafficSource::Observed);
  // O3 is inside but has no valid hour; X1 (outside every zone) never counts.
  QCOMPARE(o.siteIds, (QStringList{QStringLiteral("O1"), QStringLiteral("O2")}));
  QCOMPARE(o.stats.siteCount, 2);
  QCOMPARE(o.weekly.size(), std::size_t(kHoursPerWeek));
  QCOMPARE(o.stats.peakHourWeekday, 11);
  QCOMPARE(o.stats.peakHourWeekend, 11);
  QVERIFY_NEAR(o.stats.weekdayWeekendRatio, 1.0 / 0.3, 1e-4);
  // Zone mean profile = the mean of scales 100 and 300 → 200 × shape; weekly mean 200 × (5 + 2·0.3) / 7.
  const std::vector<double> expected = expectedWeekly(Shape::Office, 200);
  for (int h = 0; h < kHoursPerWeek; ++h) QVERIFY_NEAR(o.weekly[std::size_t(h)], expected[std::size_t(h)], 1e-3);
  QVERIFY_NEAR(o.stats.mean, 200.0 * 5.6 / 7.0, 1e-3);
  QVERIFY_NEAR(o.stats.temporalSigma, meanSigma(expected).second, 1e-3);
  QVERIFY_NEAR(o.stats.variationCoefficient, meanSigma(expected).second / meanSigma(expected).first, 1e-6);
  // Site means 80 and 240: population σ 80.
  QVERIFY_NEAR(o.stats.siteSigma, 80.0, 1e-3);
  // None: the displayed profile is the physical one.
  for (int h = 0; h < kHoursPerWeek; ++h) QCOMPARE(o.weekly[std::size_t(h)], o.weeklyPhysical[std::size_t(h)]);

  const ZoneComparisonEntry& homes = r->zones[1];
  QCOMPARE(homes.label, QStringLiteral("Homes"));
  const ZoneProfile& h = *homes.observed;
  QCOMPARE(h.stats.siteCount, 2);
  QCOMPARE(h.stats.peakHourWeekday, 21);
  QVERIFY_NEAR(h.stats.weekdayWeekendRatio, 1.0 / 1.1, 1e-4);
  QVERIFY_NEAR(h.stats.mean, 100.0 * 7.2 / 7.0, 1e-3);
  // Site means 50·7.2/7 and 150·7.2/7: σ = 50·7.2/7.
  QVERIFY_NEAR(h.stats.siteSigma, 50.0 * 7.2 / 7.0, 1e-3);
  // Saturday 21:00 is the residential week's first highest hour (weekend ×1.1; Sunday ties).
  const auto peak = std::max_element(h.weekly.begin(), h.weekly.end()) - h.weekly.begin();
  QCOMPARE(int(peak), 5 * 24 + 21);
  QVERIFY_NEAR(h.weekly[6 * 24 + 21], h.weekly[5 * 24 + 21], 1e-3);
}

void TestZoneComparison::observedAlignmentUsesLocalMonday() {
  Scenario s = knownScenario();
  auto inRome = compareZones(s, {ZoneSelection::ofZone(1)});
  QVERIFY(inRome.ok());
  // Hour 0 of the profile is Monday 00:00 in Rome: the first weekday hour at office level, not the
  // Saturday the series starts on (0.3×).
  QVERIFY_NEAR(inRome->zones[0].observed->weekly[0], 200.0 * officeDaily(0), 1e-3);
  QVERIFY_NEAR(inRome->zones[0].observed->weekly[5 * 24 + 11], 200.0 * 0.3 * officeDaily(11), 1e-3);

  // The same instants read in UTC: the weekly rhythm is an hour earlier, so the peak is at 10:00.
  s.metadata.timeZone = QStringLiteral("UTC");
  auto inUtc = compareZones(s, {ZoneSelection::ofZone(1)});
  QVERIFY(inUtc.ok());
  QCOMPARE(inUtc->zones[0].observed->stats.peakHourWeekday, 10);

  // An unknown time zone is an error, not a silent UTC.
  s.metadata.timeZone = QStringLiteral("Mars/Olympus");
  auto bad = compareZones(s, {ZoneSelection::ofZone(1)});
  QVERIFY(!bad.ok());
  QVERIFY2(bad.error().message().contains(QStringLiteral("Mars/Olympus")), qPrintable(bad.error().message()));
}

void TestZoneComparison::normalisations() {
  const Scenario s = knownScenario();
  const std::vector<ZoneSelection> sel{ZoneSelection::ofZone(1), ZoneSelection::ofZone(2)};
  auto none = compareZones(s, sel);
  QVERIFY(none.ok());

  auto byMean = compareZones(s, sel, {ZoneTrafficSource::Observed, ProfileNormalisation::ZoneMean});
  QVERIFY(byMean.ok());
  QCOMPARE(byMean->normalisation, ProfileNormalisation::ZoneMean);
  for (std::size_t z = 0; z < 2; ++z) {
    const ZoneProfile& p = *byMean->zones[z].observed;
    QVERIFY_NEAR(meanOf(p.weekly), 1.0, 1e-5);
    // Shape statistics are unchanged; mean and σ stay physical.
    const ZoneProfile& ref = *none->zones[z].observed;
    QCOMPARE(p.stats.peakHourWeekday, ref.stats.peakHourWeekday);
    QVERIFY_NEAR(p.stats.weekdayWeekendRatio, ref.stats.weekdayWeekendRatio, 1e-6);
    QVERIFY_NEAR(p.stats.mean, ref.stats.mean, 1e-6);
    QVERIFY_NEAR(p.stats.temporalSigma, ref.stats.temporalSigma, 1e-6);
    for (int h = 0; h < kHoursPerWeek; ++h) QVERIFY_NEAR(p.weekly[std::size_t(h)], ref.weekly[std::size_t(h)] / ref.stats.mean, 1e-5);
  }
  // Office (weekend 0.3×) peaks higher above its mean than residential.
  const auto maxOf = [](const std::vector<float>& v) { return *std::max_element(v.begin(), v.end()); };
  QVERIFY(maxOf(byMean->zones[0].observed->weekly) > maxOf(byMean->zones[1].observed->weekly));

  auto z = compareZones(s, sel, {ZoneTrafficSource::Observed, ProfileNormalisation::ZScore});
  QVERIFY(z.ok());
  for (std::size_t i = 0; i < 2; ++i) {
    std::vector<double> v(z->zones[i].observed->weekly.begin(), z->zones[i].observed->weekly.end());
    const auto [mean, sigma] = meanSigma(v);
    QVERIFY_NEAR(mean, 0.0, 1e-5);
    QVERIFY_NEAR(sigma, 1.0, 1e-5);
    QCOMPARE(z->zones[i].observed->stats.peakHourWeekday, none->zones[i].observed->stats.peakHourWeekday);
    // The ratio is of the physical shape: a z-score's weekend mean may be negative.
    QVERIFY_NEAR(z->zones[i].observed->stats.weekdayWeekendRatio, none->zones[i].observed->stats.weekdayWeekendRatio, 1e-6);
  }
  // Same shape in both office sites: per-site normalisation equals dividing by the zone mean.
  auto perSite = compareZones(s, sel, {ZoneTrafficSource::Observed, ProfileNormalisation::PerSite});
  QVERIFY(perSite.ok());
  for (int h = 0; h < kHoursPerWeek; ++h)
    QVERIFY_NEAR(perSite->zones[0].observed->weekly[std::size_t(h)], byMean->zones[0].observed->weekly[std::size_t(h)], 1e-5);
}

void TestZoneComparison::perSiteNormalisationWeighsSitesEqually() {
  const Scenario s = knownScenario();
  // A drawn area around B1 (1000 MB/h, morning peak 09:00) and S1 (10 MB/h, evening peak 18:00).
  const ZoneSelection drawn = ZoneSelection::ofPolygon(square(6800, 0, 8000, 1000));
  auto byMean = compareZones(s, {drawn}, {ZoneTrafficSource::Observed, ProfileNormalisation::ZoneMean});
  auto perSite = compareZones(s, {drawn}, {ZoneTrafficSource::Observed, ProfileNormalisation::PerSite});
  QVERIFY(byMean.ok());
  QVERIFY(perSite.ok());
  QCOMPARE(perSite->zones[0].label, QStringLiteral("Drawn area 1"));
  QCOMPARE(perSite->zones[0].observed->siteIds, (QStringList{QStringLiteral("B1"), QStringLiteral("S1")}));
  // Volume-weighted, the big morning site dictates the shape.
  QCOMPARE(byMean->zones[0].observed->stats.peakHourWeekday, 9);
  // Site-weighted: the average of the two relative shapes, whose peak lies between them.
  std::vector<double> expected(24);
  for (int h = 0; h < 24; ++h) expected[std::size_t(h)] = (bumpDaily(h, 9, 0.5) + bumpDaily(h, 18, 0.9)) / 2.0;
  const int expectedPeak = int(std::max_element(expected.begin(), expected.end()) - expected.begin());
  QCOMPARE(expectedPeak, 16);
  QCOMPARE(perSite->zones[0].observed->stats.peakHourWeekday, expectedPeak);
  const ZoneProfile& p = *perSite->zones[0].observed;
  for (int h = 0; h < kHoursPerWeek; ++h) QVERIFY_NEAR(p.weekly[std::size_t(h)], expected[std::size_t(h % 24)], 1e-5);
  QVERIFY_NEAR(meanOf(p.weekly), 1.0, 1e-5);
  // Mean stays physical: (1000 + 10) / 2.
  QVERIFY_NEAR(p.stats.mean, 505.0, 1e-2);
  QVERIFY_NEAR(p.stats.siteSigma, 495.0, 1e-2);
}

void TestZoneComparison::classAndDrawnSelections() {
  const Scenario s = knownScenario();
  // Class: zones 1 and 4 together, sites counted once.
  auto byClass = compareZones(s, {ZoneSelection::ofClass(ZoneClass::Cbd)});
  QVERIFY(byClass.ok());
  const ZoneComparisonEntry& cbd = byClass->zones[0];
  QCOMPARE(cbd.label, zoneClassLabel(ZoneClass::Cbd));
  QCOMPARE(cbd.polygonCount, 2);
  QCOMPARE(cbd.observed->siteIds, (QStringList{QStringLiteral("O1"), QStringLiteral("O2"), QStringLiteral("O4")}));
  QVERIFY_NEAR(cbd.observed->stats.mean, 200.0 * 5.6 / 7.0, 1e-3);  // (100 + 300 + 200) / 3 = 200

  // Zone 4 has no name: "Zone 4".
  auto unnamed = compareZones(s, {ZoneSelection::ofZone(4)});
  QVERIFY(unnamed.ok());
  QCOMPARE(unnamed->zones[0].label, QStringLiteral("Zone 4"));

  // A drawn polygon with a hole around S1: only B1 is inside.
  Geometry holed = square(6800, 0, 8000, 1000);
  holed.parts[0].push_back({{7400, 400}, {7600, 400}, {7600, 600}, {7400, 600}, {7400, 400}});
  auto withHole = compareZones(s, {ZoneSelection::ofPolygon(holed, QStringLiteral("Campus"))});
  QVERIFY(withHole.ok());
  QCOMPARE(withHole->zones[0].label, QStringLiteral("Campus"));
  QCOMPARE(withHole->zones[0].observed->siteIds, QStringList{QStringLiteral("B1")});

  // A drawn polygon straddling two zones takes the sites of both.
  auto straddle = compareZones(s, {ZoneSelection::ofPolygon(square(600, 100, 2600, 900))});
  QVERIFY(straddle.ok());
  QCOMPARE(straddle->zones[0].observed->siteIds, (QStringList{QStringLiteral("O2"), QStringLiteral("R1"), QStringLiteral("R2")}));
}

void TestZoneComparison::generatedAndBoth() {
  Scenario s = knownScenario();
  s.candidates = std::vector<Candidate>{candidateAt(7, 500, 300)};
  const GeneratedTraffic g = knownGeneration();

  auto gen =
      compareZones(s, {ZoneSelection::ofZone(1), ZoneSelection::ofZone(2)}, {ZoneTrafficSource::Generated, ProfileNormalisation::None}, &g);
  QVERIFY2(gen.ok(), qPrintable(gen.ok() ? QString() : gen.error().toString()));
  const ZoneProfile& office = *gen->zones[0].generated;
  QVERIFY(!gen->zones[0].observed.has_value());
  QCOMPARE(office.source, ZoneTrafficSource::Generated);
  // The candidate counts through its cell centre; C8 is not a known candidate and has no position.
  QCOMPARE(office.siteIds, (QStringList{QStringLiteral("C7"), QStringLiteral("O1")}));
  QCOMPARE(office.stats.peakHourWeekday, 11);
  QVERIFY_NEAR(office.stats.weekdayWeekendRatio, 1.0 / 0.3, 1e-4);
  // Samples × 1.0 and × 1.1 average to × 1.05; sites 100 and 300 to 200.
  QVERIFY_NEAR(office.stats.mean, 1.05 * 200.0 * 5.6 / 7.0, 1e-2);
  QCOMPARE(gen->zones[1].generated->siteIds, QStringList{QStringLiteral("R1")});
  QCOMPARE(gen->zones[1].generated->stats.siteSigma, 0.0);  // one site

  // Both: each zone has both profiles; a drawn area with observed sites only has a warning.
  auto both = compareZones(s, {ZoneSelection::ofZone(1), ZoneSelection::ofPolygon(square(6800, 0, 8000, 1000), QStringLiteral("East"))},
                           {ZoneTrafficSource::Both, ProfileNormalisation::ZoneMean}, &g);
  QVERIFY2(both.ok(), qPrintable(both.ok() ? QString() : both.error().toString()));
  QCOMPARE(both->source, ZoneTrafficSource::Both);
  QVERIFY(both->zones[0].observed.has_value());
  QVERIFY(both->zones[0].generated.has_value());
  QCOMPARE(both->zones[0].observed->stats.siteCount, 2);
  QCOMPARE(both->zones[0].generated->stats.siteCount, 2);
  QVERIFY_NEAR(meanOf(both->zones[0].generated->weekly), 1.0, 1e-5);
  QVERIFY(both->zones[1].observed.has_value());
  QVERIFY(!both->zones[1].generated.has_value());
  QCOMPARE(both->warnings.size(), 1);
  QVERIFY2(both->warnings[0].contains(QStringLiteral("East")) && both->warnings[0].contains(QStringLiteral("generated")),
           qPrintable(both->warnings[0]));

  // A generation that starts on a Wednesday is cut to its first local Monday as well.
  GeneratedTraffic late = g;
  late.start = mondayStart().addDays(2);
  for (auto& [id, samples] : late.samplesBySite)
    for (auto& x : samples) x = series(id == QStringLiteral("R1") ? Shape::Residential : Shape::Office, 100, late.start, 672);
  auto cut = compareZones(s, {ZoneSelection::ofZone(1)}, {ZoneTrafficSource::Generated, ProfileNormalisation::None}, &late);
  QVERIFY(cut.ok());
  QVERIFY_NEAR(cut->zones[0].generated->stats.weekdayWeekendRatio, 1.0 / 0.3, 1e-4);
  QVERIFY_NEAR(cut->zones[0].generated->weekly[0], 100.0 * officeDaily(0), 1e-3);
}

void TestZoneComparison::errors() {
  Scenario s = knownScenario();
  const auto expectError = [&](const std::vector<ZoneSelection>& sel, const ZoneComparisonOptions& o, const GeneratedTraffic* g,
                               const QString& needle) {
    auto r = compareZones(s, sel, o, g);
    QVERIFY2(!r.ok(), qPrintable(needle));
    QVERIFY2(r.error().message().contains(needle, Qt::CaseInsensitive),
             qPrintable(QStringLiteral("'%1' does not say '%2'").arg(r.error().message(), needle)));
  };
  expectError({}, {}, nullptr, QStringLiteral("no zone selected"));
  // The empty lot has no station at all.
  expectError({ZoneSelection::ofZone(1), ZoneSelection::ofZone(3)}, {}, nullptr, QStringLiteral("“Empty lot” has no site"));
  expectError({ZoneSelection::ofZone(99)}, {}, nullptr, QStringLiteral("no zone with id 99"));
  expectError({ZoneSelection::ofClass(ZoneClass::Water)}, {}, nullptr, QStringLiteral("no zone of class"));
  Geometry line;
  line.type = GeometryType::LineString;
  line.parts = {{{{0, 0}, {10, 10}}}};
  expectError({ZoneSelection::ofPolygon(line, QStringLiteral("Scribble"))}, {}, nullptr,
              QStringLiteral("“Scribble” is empty or not a polygon"));
  expectError({ZoneSelection::ofZone(1)}, {ZoneTrafficSource::Generated, ProfileNormalisation::None}, nullptr,
              QStringLiteral("no generated traffic"));
  GeneratedTraffic empty;
  expectError({ZoneSelection::ofZone(1)}, {ZoneTrafficSource::Both, ProfileNormalisation::None}, &empty,
              QStringLiteral("no generated traffic"));
  // Generated traffic only outside the residential zone.
  GeneratedTraffic g = knownGeneration();
  g.samplesBySite.erase(QStringLiteral("R1"));
  expectError({ZoneSelection::ofZone(2)}, {ZoneTrafficSource::Generated, ProfileNormalisation::None}, &g,
              QStringLiteral("no site with generated traffic inside"));

  Scenario noTraffic = s;
  noTraffic.trafficObserved = {};
  {
    auto r = compareZones(noTraffic, {ZoneSelection::ofZone(1)});
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message().contains(QStringLiteral("no observed traffic")), qPrintable(r.error().message()));
  }
  // Four days from a Tuesday: no local Monday 00:00 to align to.
  Scenario shortSeries = s;
  shortSeries.trafficObserved.start = mondayStart().addDays(1);
  for (auto& [id, x] : shortSeries.trafficObserved.valuesBySite) x.resize(96);
  {
    auto r = compareZones(shortSeries, {ZoneSelection::ofZone(1)});
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message().contains(QStringLiteral("cannot be aligned")), qPrintable(r.error().message()));
  }
}

QTEST_GUILESS_MAIN(TestZoneComparison)
#include "tst_zonecomparison.moc"
