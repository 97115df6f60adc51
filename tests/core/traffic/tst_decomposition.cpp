#include "tests/comparenear.h"
#include "core/traffic/decomposition.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace netspatial::core;

namespace {

// Four weeks: weekday hours peak at `peak`, weekends are flat at 2, plus deterministic noise.
std::vector<float> syntheticSeries(int peak, unsigned seed, std::size_t hours = 672) {
  std::mt19937 rng(seed);
  std::vector<float> x(hours);
  for (std::size_t t = 0; t < hours; ++t) {
    const int h = int(t % 24);
    const bool weekday = (t / 24) % 7 < 5;
    const double base = weekday ? 5.0 + 4.0 * std::exp(-0.5 * std::pow((h - peak) / 2.0, 2)) : 2.0;
    x[t] = float(base + double(rng() % 1000) / 1000.0 - 0.5);
  }
  return x;
}

}  // namespace

class TestDecomposition : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void roundTripIsExact_data() {
    QTest::addColumn<int>("peak");
    QTest::addColumn<unsigned>("seed");
    QTest::addColumn<int>("hours");
    QTest::newRow("office-like, 4 weeks") << 11 << 1u << 672;
    QTest::newRow("evening peak, 8 weeks") << 21 << 2u << 1344;
    QTest::newRow("partial last week") << 8 << 3u << 600;
  }
  void roundTripIsExact() {
    QFETCH(int, peak);
    QFETCH(unsigned, seed);
    QFETCH(int, hours);
    const auto x = syntheticSeries(peak, seed, std::size_t(hours));
    auto d = decompose(x);
    QVERIFY(d.ok());
    QCOMPARE(d->periodic.size(), x.size());
    for (std::size_t t = 0; t < x.size(); ++t) QCOMPARE(double(d->periodic[t]) + d->residual[t], double(x[t]));
    QCOMPARE(d->peakHourWeekday, peak);
    QCOMPARE(d->daily.size(), std::size_t(48));
    QCOMPARE(d->weekly.size(), std::size_t(168));
  }

  void templatesAreMeans() {
    // Hand-checkable: value = day index (0..27) → Monday mean over 4 weeks = (0+7+14+21)/4 = 10.5.
    std::vector<float> x(672);
    for (std::size_t t = 0; t < x.size(); ++t) x[t] = float(t / 24);
    const auto w = weeklyMeanProfile(x);
    QCOMPARE(w[0], 10.5f);
    QCOMPARE(w[5 * 24 + 3], 15.5f);  // Saturday 03:00: (5+12+19+26)/4
    const auto d = dailyTemplates(x);
    // Weekdays: days {0..4, 7..11, 14..18, 21..25}: (2+9+16+23)/4 = 12.5; weekend
    // {5,6,12,13,19,20,26,27}: 128/8 = 16.
    QCOMPARE(d[7], 12.5f);
    QCOMPARE(d[24 + 7], 16.0f);
  }

  void eq2BuildsTheWeekFromTwoDays() {
    std::vector<float> daily(48);
    for (int h = 0; h < 24; ++h) {
      daily[std::size_t(h)] = float(h);
      daily[std::size_t(24 + h)] = float(100 + h);
    }
    const auto w = weeklyFromDaily(daily);
    QCOMPARE(w[4 * 24 + 9], 9.0f);     // Friday 09:00 → weekday template
    QCOMPARE(w[5 * 24 + 9], 109.0f);   // Saturday 09:00 → weekend template
    QCOMPARE(w[6 * 24 + 23], 123.0f);  // Sunday 23:00
    const auto u = repeatWeekly(w, 400);
    QCOMPARE(u[168 + 5 * 24 + 9], 109.0f);
  }

  void missingHoursAreSkippedNotZero() {
    auto x = syntheticSeries(11, 4);
    const float original = weeklyMeanProfile(x)[11];
    x[11] = std::nanf("");  // Monday 11:00 of week 1 missing
    auto d = decompose(x).value();
    QVERIFY(std::isnan(d.residual[11]));
    // The Monday-11:00 mean now averages 3 weeks, not 4 with a zero.
    const double expected = (double(x[168 + 11]) + x[336 + 11] + x[504 + 11]) / 3.0;
    NETSPATIAL_COMPARE_NEAR(d.weekly[11], expected, 1e-5);
    NETSPATIAL_COMPARE_NEAR(d.weekly[11], original, 1.0);
  }

  void tooShortIsAnError() {
    std::vector<float> x(100, 1.0f);
    QCOMPARE(decompose(x).error().code(), ErrorCode::InvalidArgument);
  }
};

QTEST_GUILESS_MAIN(TestDecomposition)
#include "tst_decomposition.moc"
