// Evaluation metrics of DESIGN.md §7 (core/traffic/metrics.h) on hand-computed and constructed cases.

#include "tests/comparenear.h"
#include "core/traffic/metrics.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <numbers>

using namespace netspatial::core;

namespace {

constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();
constexpr size_t kHours = 672;  // 28 days

using SetFn = Result<double> (*)(const TrafficSet&, const TrafficSet&);

SetFn setMae() { return static_cast<SetFn>(&mae); }
SetFn setRmse() { return static_cast<SetFn>(&rmse); }

SetFn metricByName(const QString& n) {
  if (n == "mae") return setMae();
  if (n == "rmse") return setRmse();
  if (n == "jsd") return &jsd;
  if (n == "jsd_diff") return &jsdDiff;
  if (n == "jsd_symkl") return &jsdSymKl;
  if (n == "jsd_temporal") return &jsdTemporal;
  if (n == "daily_fft_rmse") return &dailyFftRmse;
  if (n == "peak_hour_acc") return &peakHourAccuracy;
  if (n == "weekday_weekend_ratio_err") return &weekdayWeekendRatioError;
  if (n == "corr") return &corr;
  return nullptr;
}

//! A realistic-looking positive series: daily sinusoid peaking at `peak`, weekend damping, noise.
std::vector<float> traffic(size_t hours, int peak, double amplitude = 0.3, unsigned seed = 1) {
  std::vector<float> x(hours);
  unsigned s = seed;
  for (size_t t = 0; t < hours; ++t) {
    s = s * 1103515245u + 12345u;
    const double noise = ((s >> 16) & 0x7fff) / 32768.0 * 0.05;
    const bool weekend = (t / 24) % 7 >= 5;
    const double daily = std::cos(2.0 * std::numbers::pi * (double(t % 24) - peak) / 24.0);
    x[t] = float((weekend ? 0.6 : 1.0) * (0.5 + amplitude * daily) + noise);
  }
  return x;
}

std::vector<float> sinusoid(size_t hours, double amplitude, double offset = 1.0) {
  std::vector<float> x(hours);
  for (size_t t = 0; t < hours; ++t) x[t] = float(offset + amplitude * std::cos(2.0 * std::numbers::pi * t / 24.0));
  return x;
}

TrafficSet sampleSet() { return {traffic(kHours, 8, 0.3, 1), traffic(kHours, 20, 0.2, 2), traffic(kHours, 13, 0.4, 3)}; }

}  // namespace

class TestMetrics : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // --- identical inputs --------------------------------------------------------------------------
  void identical_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<double>("expected");
    for (const char* n : {"mae", "rmse", "jsd", "jsd_diff", "jsd_symkl", "jsd_temporal", "daily_fft_rmse", "weekday_weekend_ratio_err"})
      QTest::newRow(n) << QString::fromLatin1(n) << 0.0;
    QTest::newRow("peak_hour_acc") << QStringLiteral("peak_hour_acc") << 1.0;
    QTest::newRow("corr") << QStringLiteral("corr") << 1.0;
  }
  void identical() {
    QFETCH(QString, name);
    QFETCH(double, expected);
    const TrafficSet x = sampleSet();
    const Result<double> r = metricByName(name)(x, x);
    QVERIFY(r.ok());
    QVERIFY2(std::abs(r.value() - expected) < 1e-9, qPrintable(QString::number(r.value(), 'g', 17)));
  }

  void identicalEnsembleTable() {
    const TrafficSet x = sampleSet();
    TrafficEnsemble ens;
    for (const auto& s : x) ens.push_back({s, s, s});
    const Result<MetricTable> t = evaluateAll(x, ens);
    QVERIFY(t.ok());
    QCOMPARE(t->values.size(), MetricTable::names().size());
    for (const QString& n : MetricTable::names()) {
      QVERIFY2(t->values.count(n) == 1, qPrintable(n));
      const double expected = (n == "corr" || n == "peak_hour_acc") ? 1.0 : 0.0;
      QVERIFY2(std::abs(t->value(n) - expected) < 1e-6, qPrintable(n + " = " + QString::number(t->value(n))));
    }
  }

  void tableOnDifferentSets() {
    const TrafficSet x = sampleSet();
    TrafficEnsemble ens;
    for (size_t i = 0; i < x.size(); ++i) ens.push_back({traffic(kHours, 9, 0.25, 10 + i), traffic(kHours, 9, 0.35, 20 + i)});
    const Result<MetricTable> t = evaluateAll(x, ens);
    QVERIFY(t.ok());
    for (const QString& n : MetricTable::names()) QVERIFY2(!std::isnan(t->value(n)), qPrintable(n));
    QVERIFY(t->value("mae") > 0.0);
    QVERIFY(t->value("crps") > 0.0);
    QVERIFY(t->value("jsd") > 0.0 && t->value("jsd") <= 1.0);
    // Site 0 peaks at 8 in real and 9 in generated → no site matches.
    QCOMPARE(t->value("peak_hour_acc"), 0.0);
    QVERIFY(std::isnan(t->value("no_such_metric")));
  }

  // --- jsd ---------------------------------------------------------------------------------------
  void jsdDisjoint() {
    // Real all at 0 (bin 0), generated all at 1 (= max, last bin): disjoint supports → exactly 1.
    const TrafficSet r = {{0.f, 0.f, 0.f, 0.f}}, g = {{1.f, 1.f, 1.f, 1.f}};
    QCOMPARE(jsd(r, g).value(), 1.0);
    QCOMPARE(jsd(g, r).value(), 1.0);
  }

  void jsdHandComputed() {
    // Range [0, 0.9], 100 bins: 0.1 → bin 11, 0.9 → last bin. P = (½ in bin 11, ½ in bin 99),
    // Q = (1 in bin 11), M = (¾, ¼).
    // KL(P‖M) = ½log2(½/¾) + ½log2(½/¼) = ½(1 − log2 3) + ½ = 1 − ½log2 3
    // KL(Q‖M) = log2(4/3) = 2 − log2 3
    // JSD = (KL(P‖M) + KL(Q‖M))/2 = 1.5 − 0.75·log2 3 ≈ 0.3112781245
    const TrafficSet r = {{0.1f, 0.9f}}, g = {{0.1f, 0.1f}};
    const double expected = 1.5 - 0.75 * std::log2(3.0);
    NETSPATIAL_COMPARE_NEAR(jsd(r, g).value(), expected, 1e-12);
    NETSPATIAL_COMPARE_NEAR(expected, 0.3112781245, 1e-9);
  }

  void jsdSymmetricAndBounded_data() {
    QTest::addColumn<int>("shift");
    QTest::newRow("close") << 1;
    QTest::newRow("mid") << 5;
    QTest::newRow("far") << 11;
  }
  void jsdSymmetricAndBounded() {
    QFETCH(int, shift);
    const TrafficSet a = sampleSet();
    TrafficSet b = a;
    for (auto& s : b)
      for (float& v : s) v = v * (1.0f + 0.1f * shift);
    for (SetFn fn : {SetFn(&jsd), SetFn(&jsdDiff), SetFn(&jsdSymKl), SetFn(&jsdTemporal)}) {
      const double ab = fn(a, b).value(), ba = fn(b, a).value();
      NETSPATIAL_COMPARE_NEAR(ab, ba, 1e-12);
      QVERIFY(ab >= 0.0);
    }
    for (SetFn fn : {SetFn(&jsd), SetFn(&jsdDiff), SetFn(&jsdTemporal)}) {
      const double v = fn(a, b).value();
      QVERIFY(v >= 0.0 && v <= 1.0);
    }
  }

  void jsdSymKlGrowsWithSeparation() {
    // Two point masses moving apart over a fixed [0,1] range (a 1.0 anchors the range in both).
    double previous = -1.0;
    for (float offset : {0.0f, 0.1f, 0.3f, 0.6f}) {
      TrafficSet r = {{0.2f, 0.2f, 0.2f, 1.0f}}, g = {{0.2f + offset, 0.2f + offset, 0.2f + offset, 1.0f}};
      const double v = jsdSymKl(r, g).value();
      QVERIFY(v >= 0.0);
      if (offset == 0.0f) QVERIFY(v < 1e-12);
      QVERIFY(v >= previous);
      previous = v;
    }
    // Partial overlap < disjoint.
    const TrafficSet r = {{0.1f, 0.1f, 0.1f, 0.9f}};
    const double partial = jsdSymKl(r, TrafficSet{{0.1f, 0.1f, 0.9f, 0.9f}}).value();
    const double disjoint = jsdSymKl(r, TrafficSet{{0.5f, 0.5f, 0.5f, 0.5f}}).value();
    QVERIFY(partial > 0.0);
    QVERIFY(disjoint > partial);
    // Not a bounded divergence: with ε = 1e-10 disjoint supports give far more than 1.
    QVERIFY(disjoint > 1.0);
  }

  void jsdDiffSeesOrderNotValues() {
    // Same multiset of values (jsd = 0), different ordering → different differences.
    const TrafficSet r = {{0.f, 1.f, 0.f, 1.f, 0.f, 1.f}}, g = {{0.f, 0.f, 0.f, 1.f, 1.f, 1.f}};
    QVERIFY(jsd(r, g).value() < 1e-12);
    QVERIFY(jsdDiff(r, g).value() > 0.1);
  }

  void jsdTemporalScaleInvariant() {
    // Normalised to sum 1 over time: a scaled copy is the same temporal distribution.
    const TrafficSet a = sampleSet();
    TrafficSet b = a;
    for (auto& s : b)
      for (float& v : s) v *= 3.0f;
    QVERIFY(jsdTemporal(a, b).value() < 1e-9);
    // Mass at disjoint hours → 1.
    NETSPATIAL_COMPARE_NEAR(jsdTemporal(TrafficSet{{1.f, 0.f}}, TrafficSet{{0.f, 1.f}}).value(), 1.0, 1e-12);
  }

  // --- mae / rmse --------------------------------------------------------------------------------
  void maeRmseFourPoints() {
    // Errors 0, 1, 2, 3 → MAE = 6/4 = 1.5, RMSE = sqrt((0+1+4+9)/4) = sqrt(3.5).
    const std::vector<float> r = {1.f, 2.f, 3.f, 4.f}, g = {1.f, 3.f, 1.f, 7.f};
    QCOMPARE(mae(TrafficSeries(r), TrafficSeries(g)).value(), 1.5);
    NETSPATIAL_COMPARE_NEAR(rmse(TrafficSeries(r), TrafficSeries(g)).value(), std::sqrt(3.5), 1e-12);
    // As a set of two sites: averaged over all valid points, not per site.
    const TrafficSet rs = {{1.f, 2.f}, {3.f, 4.f}}, gs = {{1.f, 3.f}, {1.f, 7.f}};
    QCOMPARE(mae(rs, gs).value(), 1.5);
    NETSPATIAL_COMPARE_NEAR(rmse(rs, gs).value(), std::sqrt(3.5), 1e-12);
  }

  // --- crps --------------------------------------------------------------------------------------
  void crpsDeterministicEqualsMae() {
    const TrafficSet r = sampleSet();
    TrafficSet g;
    TrafficEnsemble ens;
    for (size_t i = 0; i < r.size(); ++i) {
      g.push_back(traffic(kHours, 10, 0.3, 40 + i));
      ens.push_back({g.back()});
    }
    NETSPATIAL_COMPARE_NEAR(crps(r, ens).value(), mae(r, g).value(), 1e-9);
    // Identical copies of one sample: E|X−X'| = 0, still the MAE.
    for (size_t i = 0; i < r.size(); ++i) ens[i] = {g[i], g[i], g[i]};
    NETSPATIAL_COMPARE_NEAR(crps(r, ens).value(), mae(r, g).value(), 1e-9);
  }

  void crpsHandComputed() {
    // Samples {0, 1}, observation 0: E|X−y| = ½, E|X−X'| = (0+1+1+0)/4 = ½ → CRPS = ½ − ¼ = ¼.
    // Integral check (Eq. 19): Ĉ = ½ on [0,1), H(y−0) = 1 there → ∫(½−1)² = ¼. ✓
    // Samples {1, 2, 4}, observation 2: E|X−y| = (1+0+2)/3 = 1;
    // E|X−X'| = 2(1+3+2)/9 = 12/9 → CRPS = 1 − 6/9 = 1/3.
    const TrafficSet r = {{0.f, 2.f}};
    const TrafficEnsemble one = {{{0.f, 1.f}, {1.f, 2.f}, {kNaNf, 4.f}}};
    // Hour 0 has samples {0, 1} (NaN dropped), hour 1 has {1, 2, 4}. Mean = (¼ + ⅓)/2 = 7/24.
    NETSPATIAL_COMPARE_NEAR(crps(r, one).value(), 7.0 / 24.0, 1e-12);
    NETSPATIAL_COMPARE_NEAR(crps(TrafficSet{{0.f}}, TrafficEnsemble{{{0.f}, {1.f}}}).value(), 0.25, 1e-12);
  }

  // --- daily FFT ---------------------------------------------------------------------------------
  void dailyFft() {
    const TrafficSet a = {sinusoid(kHours, 0.4)};
    QVERIFY(dailyFftRmse(a, a).value() < 1e-9);
    // Amplitude 0.4 → 0.3: magnitudes normalised to the sinusoid amplitude → difference 0.1.
    const TrafficSet b = {sinusoid(kHours, 0.3)};
    NETSPATIAL_COMPARE_NEAR(dailyFftRmse(a, b).value(), 0.1, 1e-5);
    // A shift by whole days (circular) leaves the daily-bin magnitude unchanged, for any series.
    const TrafficSet c = sampleSet();
    TrafficSet shifted = c;
    for (auto& s : shifted) std::rotate(s.begin(), s.begin() + 3 * 24, s.end());
    QVERIFY(dailyFftRmse(c, shifted).value() < 1e-5);
    // But a phase change within the day of a realistic series still matches only if amplitude does.
    QVERIFY(dailyFftRmse(c, TrafficSet{sinusoid(kHours, 0.0), sinusoid(kHours, 0.0), sinusoid(kHours, 0.0)}).value() > 0.1);
  }

  // --- peak hour / weekday–weekend ---------------------------------------------------------------
  void peakHour_data() {
    QTest::addColumn<QList<int>>("realPeaks");
    QTest::addColumn<QList<int>>("genPeaks");
    QTest::addColumn<double>("expected");
    QTest::newRow("all match") << QList<int>{3, 9, 18, 22} << QList<int>{3, 9, 18, 22} << 1.0;
    QTest::newRow("half") << QList<int>{3, 9, 18, 22} << QList<int>{3, 10, 18, 0} << 0.5;
    QTest::newRow("none") << QList<int>{3, 9} << QList<int>{4, 8} << 0.0;
    QTest::newRow("one of four") << QList<int>{1, 2, 3, 4} << QList<int>{1, 5, 6, 7} << 0.25;
  }
  void peakHour() {
    QFETCH(QList<int>, realPeaks);
    QFETCH(QList<int>, genPeaks);
    QFETCH(double, expected);
    TrafficSet r, g;
    for (int p : realPeaks) r.push_back(traffic(kHours, p));
    for (int p : genPeaks) g.push_back(traffic(kHours, p, 0.3, 99));
    QCOMPARE(peakHourAccuracy(r, g).value(), expected);
  }

  void peakHourUsesWeekdaysOnly() {
    // Weekday peak at 8, weekend peak at 20 (larger). Generated has weekday peak 8 too, weekend 12.
    auto build = [](int weekendPeak) {
      std::vector<float> x(kHours, 0.1f);
      for (size_t t = 0; t < kHours; ++t) {
        const bool weekend = (t / 24) % 7 >= 5;
        if (!weekend && t % 24 == 8) x[t] = 1.0f;
        if (weekend && int(t % 24) == weekendPeak) x[t] = 5.0f;
      }
      return x;
    };
    QCOMPARE(peakHourAccuracy(TrafficSet{build(20)}, TrafficSet{build(12)}).value(), 1.0);
  }

  void weekdayWeekendRatio() {
    // Real: weekdays 2, weekend 1 → ratio 2. Generated: weekdays 3, weekend 1 → ratio 3.
    // Site 2: real ratio 1 (flat), generated weekdays 1, weekend 2 → 0.5. Errors 1 and 0.5 → 0.75.
    auto build = [](float wd, float we) {
      std::vector<float> x(kHours);
      for (size_t t = 0; t < kHours; ++t) x[t] = (t / 24) % 7 < 5 ? wd : we;
      return x;
    };
    const TrafficSet r = {build(2, 1), build(1, 1)}, g = {build(3, 1), build(1, 2)};
    NETSPATIAL_COMPARE_NEAR(weekdayWeekendRatioError(r, g).value(), 0.75, 1e-12);
  }

  // --- corr --------------------------------------------------------------------------------------
  void correlation() {
    const std::vector<float> x = {1.f, 2.f, 3.f, 4.f};
    const std::vector<float> neg = {4.f, 3.f, 2.f, 1.f};
    const std::vector<float> flat = {2.f, 2.f, 2.f, 2.f};
    // Site 0: +1, site 1: −1, site 2 constant → skipped. Mean = 0.
    QVERIFY(std::abs(corr(TrafficSet{x, x, flat}, TrafficSet{x, neg, x}).value()) < 1e-12);
    // Affine copy → 1.
    NETSPATIAL_COMPARE_NEAR(corr(TrafficSet{x}, TrafficSet{{3.f, 5.f, 7.f, 9.f}}).value(), 1.0, 1e-12);
    // All constant → NaN (undefined), but not an error.
    const Result<double> c = corr(TrafficSet{flat}, TrafficSet{flat});
    QVERIFY(c.ok());
    QVERIFY(std::isnan(c.value()));
  }

  // --- NaN handling ------------------------------------------------------------------------------
  void nanSkippedPairwise() {
    // A NaN in either series drops that hour from both: errors 1 (hour 1) and 3 (hour 3) remain.
    const TrafficSet r = {{1.f, 2.f, kNaNf, 4.f}}, g = {{kNaNf, 3.f, 1.f, 7.f}};
    QCOMPARE(mae(r, g).value(), 2.0);
    NETSPATIAL_COMPARE_NEAR(rmse(r, g).value(), std::sqrt(5.0), 1e-12);
    // NaN in the real series at some hours does not change a metric of identical data.
    TrafficSet a = sampleSet(), b = a;
    for (size_t t = 0; t < kHours; t += 7) a[0][t] = kNaNf;
    for (size_t t = 3; t < kHours; t += 11) b[1][t] = kNaNf;
    for (const char* n : {"mae", "rmse", "jsd", "jsd_diff", "jsd_symkl", "jsd_temporal", "daily_fft_rmse", "weekday_weekend_ratio_err"}) {
      const Result<double> v = metricByName(QString::fromLatin1(n))(a, b);
      QVERIFY2(v.ok() && std::abs(v.value()) < 1e-9, n);
    }
    QCOMPARE(peakHourAccuracy(a, b).value(), 1.0);
    NETSPATIAL_COMPARE_NEAR(corr(a, b).value(), 1.0, 1e-9);
    // Pure sinusoid with missing hours: amplitude still recovered well enough to match itself.
    TrafficSet s = {sinusoid(kHours, 0.4)};
    s[0][5] = kNaNf;
    QVERIFY(dailyFftRmse(s, s).value() < 1e-12);
    // Everything missing → NaN, not an error.
    const TrafficSet allNaN = {{kNaNf, kNaNf}};
    const Result<double> m = mae(allNaN, TrafficSet{{1.f, 2.f}});
    QVERIFY(m.ok());
    QVERIFY(std::isnan(m.value()));
    QVERIFY(std::isnan(jsd(allNaN, TrafficSet{{1.f, 2.f}}).value()));
    QVERIFY(std::isnan(crps(TrafficSet{{1.f}}, TrafficEnsemble{{{kNaNf}}}).value()));
  }

  // --- bad input ---------------------------------------------------------------------------------
  void badInput_data() {
    QTest::addColumn<QString>("name");
    for (const char* n : {"mae", "rmse", "jsd", "jsd_diff", "jsd_symkl", "jsd_temporal", "daily_fft_rmse", "peak_hour_acc",
                          "weekday_weekend_ratio_err", "corr"})
      QTest::newRow(n) << QString::fromLatin1(n);
  }
  void badInput() {
    QFETCH(QString, name);
    const SetFn fn = metricByName(name);
    const TrafficSet good = {traffic(kHours, 8)};
    auto isInvalid = [](const Result<double>& r) { return !r.ok() && r.error().code() == ErrorCode::InvalidArgument; };
    QVERIFY(isInvalid(fn(TrafficSet{}, TrafficSet{})));
    QVERIFY(isInvalid(fn(good, TrafficSet{})));
    QVERIFY(isInvalid(fn(good, TrafficSet{traffic(kHours - 24, 8)})));                 // length mismatch
    QVERIFY(isInvalid(fn(good, TrafficSet{traffic(kHours, 8), traffic(kHours, 8)})));  // site mismatch
    QVERIFY(isInvalid(fn(TrafficSet{{}}, TrafficSet{{}})));                            // empty series
  }

  void badInputOther() {
    auto isInvalid = [](const auto& r) { return !r.ok() && r.error().code() == ErrorCode::InvalidArgument; };
    const std::vector<float> a = {1.f, 2.f}, b = {1.f};
    QVERIFY(isInvalid(mae(TrafficSeries(a), TrafficSeries(b))));
    QVERIFY(isInvalid(rmse(TrafficSeries(), TrafficSeries())));
    // Not whole days.
    const TrafficSet odd = {std::vector<float>(100, 1.f)};
    QVERIFY(isInvalid(dailyFftRmse(odd, odd)));
    QVERIFY(isInvalid(peakHourAccuracy(odd, odd)));
    // Fewer than 6 days: no weekend.
    const TrafficSet fiveDays = {std::vector<float>(120, 1.f)};
    QVERIFY(isInvalid(weekdayWeekendRatioError(fiveDays, fiveDays)));
    // Ensemble shapes.
    const TrafficSet r = {{1.f, 2.f}};
    QVERIFY(isInvalid(crps(r, TrafficEnsemble{})));
    QVERIFY(isInvalid(crps(r, TrafficEnsemble{{}})));                   // no samples
    QVERIFY(isInvalid(crps(r, TrafficEnsemble{{{1.f, 2.f}, {1.f}}})));  // ragged sample
    QVERIFY(isInvalid(evaluateAll(r, TrafficEnsemble{{{1.f}}})));
    QVERIFY(isInvalid(evaluateAll(TrafficSet{}, TrafficEnsemble{})));
    // Well-formed but too short for the daily metrics: table still produced, those entries NaN.
    const Result<MetricTable> t = evaluateAll(r, TrafficEnsemble{{{1.f, 2.f}}});
    QVERIFY(t.ok());
    QCOMPARE(t->value("mae"), 0.0);
    QVERIFY(std::isnan(t->value("daily_fft_rmse")));
    QVERIFY(std::isnan(t->value("peak_hour_acc")));
  }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
