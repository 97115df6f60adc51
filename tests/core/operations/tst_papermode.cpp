// NetSpatial's paper-mode operations metrics (paper 003 §5.3.2): η (Eq. 19) and QoE (Eq. 20) exactly
// as printed, the volatile windows, and the bound η ≤ 1 − QoE that makes η a cost, not a saving.

#include "core/operations/papermode.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace netspatial::core;

class TestPaperMode : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void equationsOnHandMadeSeries() {
    const std::vector<double> obs{1.0, 2.0, 3.0, 4.0};
    const std::vector<double> ctrl{1.0, 1.0, 4.0, 2.0};
    // η = 1 − 8/10; shortfall = 0 + 1 + 0 + 2 = 3 → QoE = 1 − 3/10.
    QCOMPARE(energySavingRatio(obs, ctrl), 0.2);
    QCOMPARE(paperQoe(obs, ctrl), 0.7);
    QCOMPARE(energySavingRatio(obs, obs), 0.0);
    QCOMPARE(paperQoe(obs, obs), 1.0);
    // Over-provisioning costs energy and is not penalised by QoE.
    const std::vector<double> more{2.0, 3.0, 4.0, 5.0};
    QCOMPARE(energySavingRatio(obs, more), -0.4);
    QCOMPARE(paperQoe(obs, more), 1.0);
    // Nothing offered: nothing saved, nothing lost.
    QCOMPARE(energySavingRatio({0.0, 0.0}, {1.0, 0.0}), 0.0);
    QCOMPARE(paperQoe({0.0, 0.0}, {1.0, 0.0}), 1.0);
    // NaN hours are skipped in both sums.
    QCOMPARE(energySavingRatio({1.0, std::nan(""), 1.0}, {0.5, 3.0, 0.5}), 0.5);
  }

  void etaNeverExceedsOneMinusQoe() {
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (int trial = 0; trial < 500; ++trial) {
      std::vector<double> obs(48), gen(48);
      for (std::size_t t = 0; t < obs.size(); ++t) {
        obs[t] = u(rng);
        gen[t] = u(rng) * 1.5;
      }
      PaperModeOptions options;
      options.windowHours = 2 + trial % 8;
      options.volatilityQuantile = 0.5 + 0.4 * u(rng);
      const PaperModeStation s = paperModeStation(obs, gen, options);
      QVERIFY2(s.eta <= 1.0 - s.qoe + 1e-12, qPrintable(QStringLiteral("η %1, QoE %2").arg(s.eta).arg(s.qoe)));
    }
  }

  void volatileWindowsUseTheForecast() {
    // Flat at 1 except a burst at hours 20–23; the trailing 4-hour σ is high from hour 20 to 26.
    std::vector<double> obs(48, 1.0), gen(48, 0.5);
    obs[20] = 5.0;
    obs[21] = 0.0;
    obs[22] = 6.0;
    obs[23] = 0.5;
    PaperModeOptions options;
    options.windowHours = 4;
    options.volatilityQuantile = 0.8;
    const PaperModeStation s = paperModeStation(obs, gen, options);
    for (int t = 0; t < 48; ++t) {
      const bool expected = t >= 20 && t <= 26;
      QCOMPARE(bool(s.isVolatile[std::size_t(t)]), expected);
      QCOMPARE(s.control[std::size_t(t)], expected ? 0.5 : obs[std::size_t(t)]);
    }
    QCOMPARE(s.volatileHours, 7);
    QCOMPARE(s.eta, energySavingRatio(obs, s.control));
    QCOMPARE(s.qoe, paperQoe(obs, s.control));
  }

  void networkSumsOverStations() {
    const std::vector<std::vector<double>> obs{{1, 1, 1, 9, 1, 1}, {2, 2, 2, 2, 2, 2}};
    const std::vector<std::vector<double>> gen{{0, 0, 0, 0, 0, 0}, {1, 1, 1, 1, 1, 1}};
    PaperModeOptions options;
    options.windowHours = 2;
    options.volatilityQuantile = 0.5;
    const PaperModeResult r = paperMode(obs, gen, options);
    QCOMPARE(int(r.stations.size()), 2);
    double o = 0, c = 0, short_ = 0;
    for (std::size_t s = 0; s < 2; ++s)
      for (std::size_t t = 0; t < 6; ++t) {
        o += obs[s][t];
        c += r.stations[s].control[t];
        short_ += std::max(0.0, obs[s][t] - r.stations[s].control[t]);
      }
    QCOMPARE(r.eta, 1.0 - c / o);
    QCOMPARE(r.qoe, 1.0 - short_ / o);
    QVERIFY(r.stations[0].volatileHours > 0);
    QCOMPARE(r.stations[1].volatileHours, 0);  // a flat series has no σ above its own quantile
  }
};

QTEST_GUILESS_MAIN(TestPaperMode)
#include "tst_papermode.moc"
