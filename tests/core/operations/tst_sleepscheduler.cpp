// Sleep scheduling (DESIGN.md §9): the EARTH power model, the integer program against brute force,
// the greedy heuristic's capacity guarantee, what happens with no neighbour or too much load, and a
// schedule played on observed load (energy, QoE, switches).

#include "tests/comparenear.h"
#include "core/operations/earthpowermodel.h"
#include "core/operations/sleepscheduler.h"
#include "core/operations/sleepstudy.h"
#include "core/operations/stationnetwork.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace netspatial::core;

namespace {

OperationsStation station(const QString& id, double x, double y, double capacity, StationType type = StationType::Macro) {
  return {id, {x, y}, capacity, EarthPowerModel::forType(type)};
}

// Load-dependent watts per traffic unit.
double slope(const OperationsStation& s) { return s.power.wattsPerUtilisation() / s.capacity; }

// Brute force, independent of GLPK: every sleep set; for each, the cheapest way to hand over the
// sleepers' load. A receiver's cost per unit depends only on the receiver, so filling the cheapest
// receivers first is optimal (the reachable receiver loads form a polymatroid); how much a set R of
// receivers can take is the max flow, min over sleeper subsets T of Σ_{S∖T} L + Σ_{N(T)∩R} A (min cut).
double bruteForceMinimumPower(const std::vector<OperationsStation>& st, const std::vector<std::vector<int>>& nb,
                              const std::vector<double>& load, double maxUtilisation, int* bestMask = nullptr) {
  const int n = int(st.size());
  double best = std::numeric_limits<double>::infinity();
  for (int mask = 0; mask < (1 << n); ++mask) {
    bool ok = true;
    std::vector<int> sleepers, awake;
    for (int i = 0; i < n; ++i) {
      if (mask & (1 << i)) {
        if (nb[std::size_t(i)].empty() || load[std::size_t(i)] > st[std::size_t(i)].capacity) ok = false;
        bool coverage = false;  // someone awake around a sleeper
        for (int j : nb[std::size_t(i)]) coverage = coverage || !(mask & (1 << j));
        ok = ok && coverage;
        sleepers.push_back(i);
      } else {
        awake.push_back(i);
      }
    }
    if (!ok) continue;
    std::vector<double> room(std::size_t(n), 0.0);
    for (int j : awake) room[std::size_t(j)] = std::max(0.0, maxUtilisation * st[std::size_t(j)].capacity - load[std::size_t(j)]);
    const int k = int(sleepers.size());
    auto maxFlowInto = [&](const std::vector<bool>& receivers) {
      double bestCut = std::numeric_limits<double>::infinity();
      for (int t = 0; t < (1 << k); ++t) {
        double cut = 0.0;
        std::vector<bool> reached(std::size_t(n), false);
        for (int a = 0; a < k; ++a) {
          const int i = sleepers[std::size_t(a)];
          if (t & (1 << a)) {
            for (int j : nb[std::size_t(i)]) reached[std::size_t(j)] = true;
          } else {
            cut += load[std::size_t(i)];
          }
        }
        for (int j = 0; j < n; ++j)
          if (reached[std::size_t(j)] && receivers[std::size_t(j)]) cut += room[std::size_t(j)];
        bestCut = std::min(bestCut, cut);
      }
      return bestCut;
    };
    double sleeperLoad = 0.0;
    for (int i : sleepers) sleeperLoad += load[std::size_t(i)];
    std::vector<int> bySlope = awake;
    std::sort(bySlope.begin(), bySlope.end(), [&](int a, int b) { return slope(st[std::size_t(a)]) < slope(st[std::size_t(b)]); });
    std::vector<bool> receivers(std::size_t(n), false);
    for (int j : awake) receivers[std::size_t(j)] = true;
    if (maxFlowInto(receivers) < sleeperLoad - 1e-9) continue;  // Hall's condition fails: infeasible
    double watts = 0.0, previous = 0.0;
    std::fill(receivers.begin(), receivers.end(), false);
    for (int j : bySlope) {
      receivers[std::size_t(j)] = true;
      const double f = maxFlowInto(receivers);
      watts += slope(st[std::size_t(j)]) * (f - previous);
      previous = f;
    }
    for (int i = 0; i < n; ++i) {
      const auto& s = st[std::size_t(i)];
      if (mask & (1 << i))
        watts += s.power.sleepW();
      else
        watts += s.power.awakeW(std::min(load[std::size_t(i)], s.capacity) / s.capacity);
    }
    if (watts < best) {
      best = watts;
      if (bestMask) *bestMask = mask;
    }
  }
  return best;
}

// Every awake station's demand (own + absorbed) within max(own load, U × capacity); handover shares
// sum to 1 and only go to awake stations.
void checkDecisionRespectsCapacity(const std::vector<OperationsStation>& st, const std::vector<std::vector<int>>& nb, const HourDecision& d,
                                   const std::vector<double>& load, double maxUtilisation) {
  std::vector<double> absorbed(st.size(), 0.0);
  for (std::size_t i = 0; i < st.size(); ++i) {
    if (!d.asleep[i]) {
      QVERIFY(d.handovers[i].empty());
      continue;
    }
    QVERIFY2(!nb[i].empty(), qPrintable(st[i].id + " sleeps without neighbours"));
    double share = 0.0;
    for (const Handover& h : d.handovers[i]) {
      QVERIFY(!d.asleep[std::size_t(h.to)]);
      QVERIFY(std::find(nb[i].begin(), nb[i].end(), h.to) != nb[i].end());
      QVERIFY(h.share >= 0.0);
      share += h.share;
      absorbed[std::size_t(h.to)] += h.share * load[i];
    }
    NETSPATIAL_COMPARE_NEAR(share, 1.0, 1e-9);
  }
  for (std::size_t j = 0; j < st.size(); ++j) {
    if (absorbed[j] <= 0.0) continue;
    QVERIFY2(load[j] + absorbed[j] <= maxUtilisation * st[j].capacity + 1e-7 * st[j].capacity,
             qPrintable(QStringLiteral("%1 filled to %2 of %3").arg(st[j].id).arg(load[j] + absorbed[j]).arg(st[j].capacity)));
  }
}

std::vector<OperationsStation> randomNetwork(std::mt19937& rng, int n, double side) {
  std::uniform_real_distribution<double> pos(0.0, side), cap(40.0, 120.0), kind(0.0, 1.0);
  std::vector<OperationsStation> st;
  for (int i = 0; i < n; ++i)
    st.push_back(
        station(QStringLiteral("S%1").arg(i), pos(rng), pos(rng), cap(rng), kind(rng) < 0.3 ? StationType::Micro : StationType::Macro));
  return st;
}

}  // namespace

class TestSleepScheduler : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void earthPowerModel() {
    const auto macro = EarthPowerModel::macro();
    QCOMPARE(macro.awakeW(0.0), 6 * 130.0);
    QCOMPARE(macro.awakeW(1.0), 6 * (130.0 + 4.7 * 20.0));  // 1344 W at full load
    QCOMPARE(macro.awakeW(0.5), 6 * (130.0 + 4.7 * 20.0 * 0.5));
    QCOMPARE(macro.awakeW(2.0), macro.fullLoadW());  // clamped
    QCOMPARE(macro.sleepW(), 450.0);
    const auto micro = EarthPowerModel::micro();
    QCOMPARE(micro.awakeW(1.0), 2 * (56.0 + 2.6 * 6.3));
    QCOMPARE(micro.sleepW(), 78.0);
    QVERIFY(macro.validate().isEmpty());
    auto bad = macro;
    bad.sleepPowerW = 200.0;
    QVERIFY(bad.validate().contains(QStringLiteral("P_sleep")));
    bad = macro;
    bad.transceivers = 0;
    QVERIFY(!bad.validate().isEmpty());
    QVERIFY(EarthPowerModel::source().contains(QStringLiteral("Auer")));
  }

  void neighbours() {
    std::vector<OperationsStation> st{station("A", 0, 0, 10), station("B", 300, 0, 10), station("C", 0, 450, 10),
                                      station("D", 2000, 0, 10)};
    const auto nb = neighboursWithin(st, 500.0);
    QCOMPARE(nb[0], (std::vector<int>{1, 2}));  // nearest first
    QCOMPARE(nb[1], (std::vector<int>{0}));     // C is 541 m from B
    QVERIFY(nb[3].empty());
    const auto groups = connectedComponents(nb);
    QCOMPARE(groups.size(), std::size_t(2));
    QCOMPARE(groups[0], (std::vector<int>{0, 1, 2}));
  }

  void exactMatchesBruteForce_data() {
    QTest::addColumn<int>("seed");
    for (int seed = 1; seed <= 12; ++seed) QTest::newRow(qPrintable(QStringLiteral("seed %1").arg(seed))) << seed;
  }
  void exactMatchesBruteForce() {
    QFETCH(int, seed);
    std::mt19937 rng{std::uint32_t(seed)};
    const auto st = randomNetwork(rng, 6, 900.0);
    const auto nb = neighboursWithin(st, 500.0);
    std::uniform_real_distribution<double> share(0.0, 0.7);
    std::vector<double> load;
    for (const auto& s : st) load.push_back(share(rng) * s.capacity);
    if (seed % 4 == 0) load[0] = 1.2 * st[0].capacity;  // one overloaded station
    if (seed % 3 == 0) load[1] = 0.0;                   // one idle station
    SleepOptions options;
    options.maxUtilisation = 0.85;
    SolveMethod method = SolveMethod::Greedy;
    const HourDecision d = planHourExact(st, nb, load, options, &method);
    QCOMPARE(int(method), int(SolveMethod::Exact));
    checkDecisionRespectsCapacity(st, nb, d, load, options.maxUtilisation);
    int mask = 0;
    const double best = bruteForceMinimumPower(st, nb, load, options.maxUtilisation, &mask);
    QVERIFY2(
        std::abs(d.plannedPowerW - best) <= 1e-6 * best,
        qPrintable(QStringLiteral("ILP %1 W, brute force %2 W (mask %3)").arg(d.plannedPowerW, 0, 'f', 6).arg(best, 0, 'f', 6).arg(mask)));
    const HourDecision greedy = planHourGreedy(st, nb, load, options);
    QVERIFY(greedy.plannedPowerW >= best - 1e-6 * best);  // the greedy is never better than optimal
    QCOMPARE(d.plannedUnserved, seed % 4 == 0 ? load[0] - st[0].capacity : 0.0);
  }

  void greedyNeverViolatesCapacity() {
    std::mt19937 rng(7);
    const auto st = randomNetwork(rng, 40, 2500.0);
    const auto nb = neighboursWithin(st, 500.0);
    std::uniform_real_distribution<double> share(0.0, 1.1);
    SleepOptions options;
    options.maxUtilisation = 0.8;
    int slept = 0;
    for (int hour = 0; hour < 60; ++hour) {
      std::vector<double> load;
      for (const auto& s : st) load.push_back(share(rng) * share(rng) * s.capacity);
      const HourDecision g = planHourGreedy(st, nb, load, options);
      checkDecisionRespectsCapacity(st, nb, g, load, options.maxUtilisation);
      QCOMPARE(g.plannedUnserved, [&] {
        double excess = 0.0;
        for (std::size_t i = 0; i < st.size(); ++i) excess += std::max(0.0, load[i] - st[i].capacity);
        return excess;
      }());
      for (char a : g.asleep) slept += a;
    }
    QVERIFY(slept > 100);  // the test would be empty if nothing ever slept
  }

  void neverSleepsWhatNobodyCanAbsorb() {
    // A and B are neighbours but both nearly full; C is alone 3 km away and idle.
    std::vector<OperationsStation> st{station("A", 0, 0, 100), station("B", 200, 0, 100), station("C", 3000, 0, 100)};
    std::vector<std::vector<double>> load{{70, 70, 10}, {80, 30, 10}, {0, 0, 0}};  // [station][hour]
    SleepOptions options;
    options.maxUtilisation = 0.9;
    auto schedule = planSleepSchedule(st, load, options);
    QVERIFY(schedule);
    const SleepSchedule& s = schedule.value();
    QCOMPARE(int(s.hours.size()), 3);
    // Hour 0: 70 + 80 > 90 both ways → nobody sleeps. Hour 1: B (30) fits into A's 90 − 70 = 20? No.
    QVERIFY(!s.asleep(0, 0) && !s.asleep(1, 0));
    QVERIFY(!s.asleep(0, 1) && !s.asleep(1, 1));
    // Hour 2: 10 + 10 ≤ 90 → exactly one of A and B sleeps.
    QCOMPARE(int(s.asleep(0, 2)) + int(s.asleep(1, 2)), 1);
    for (int t = 0; t < 3; ++t) QVERIFY(!s.asleep(2, t));
    QVERIFY(s.notes.join('\n').contains(QStringLiteral("C: no neighbour within 500 m")));
  }

  void overloadedStationStaysAwake() {
    std::vector<OperationsStation> st{station("A", 0, 0, 50), station("B", 200, 0, 100)};
    std::vector<std::vector<double>> load{{60}, {5}};
    auto schedule = planSleepSchedule(st, load, SleepOptions{});
    QVERIFY(schedule);
    QVERIFY(!schedule.value().asleep(0, 0));
    QCOMPARE(schedule.value().hours[0].plannedUnserved, 10.0);
    QVERIFY(schedule.value().notes.join('\n').contains(QStringLiteral("A: decision load above capacity in 1 h")));
  }

  void badInputsAreErrors_data() {
    QTest::addColumn<int>("which");
    QTest::addColumn<QString>("expected");
    QTest::newRow("zero capacity") << 0 << "station B: capacity must be > 0";
    QTest::newRow("NaN load") << 1 << "station A, hour 1: load must be a number";
    QTest::newRow("negative load") << 2 << "station B, hour 0: load must be a number";
    QTest::newRow("lengths") << 3 << "station B: 1 hours of load";
    QTest::newRow("series count") << 4 << "1 load series for 2 stations";
    QTest::newRow("power model") << 5 << "station A: P_sleep";
  }
  void badInputsAreErrors() {
    QFETCH(int, which);
    QFETCH(QString, expected);
    std::vector<OperationsStation> st{station("A", 0, 0, 50), station("B", 200, 0, 100)};
    std::vector<std::vector<double>> load{{1, 2}, {3, 4}};
    switch (which) {
      case 0:
        st[1].capacity = 0.0;
        break;
      case 1:
        load[0][1] = std::nan("");
        break;
      case 2:
        load[1][0] = -1.0;
        break;
      case 3:
        load[1].pop_back();
        break;
      case 4:
        load.pop_back();
        break;
      case 5:
        st[0].power.sleepPowerW = 1000.0;
        break;
    }
    auto r = planSleepSchedule(st, load, SleepOptions{});
    QVERIFY(!r);
    QVERIFY2(r.error().message().contains(expected), qPrintable(r.error().message()));
  }

  void cancelStops() {
    std::vector<OperationsStation> st{station("A", 0, 0, 50), station("B", 200, 0, 100)};
    Feedback feedback;
    feedback.cancel();
    auto r = planSleepSchedule(st, {{1, 2}, {3, 4}}, SleepOptions{}, &feedback);
    QVERIFY(!r);
    QCOMPARE(int(r.error().code()), int(ErrorCode::Cancelled));
  }

  void evaluateOnObservedLoad() {
    // B sleeps in hour 1 and hands everything to A; the observed load then exceeds A's capacity.
    std::vector<OperationsStation> st{station("A", 0, 0, 100), station("B", 200, 0, 100)};
    SleepSchedule s;
    s.stationCount = 2;
    HourDecision awake{{0, 0}, {{}, {}}, 0, 0};
    HourDecision bSleeps{{0, 1}, {{}, {{0, 1.0}}}, 0, 0};
    s.hours = {awake, bSleeps, bSleeps, awake};
    const std::vector<std::vector<double>> observed{{50, 60, 20, 10}, {30, 60, 10, 10}};
    const ScheduleOutcome o = evaluateSchedule(st, s, observed, SleepPolicy::Oracle);
    const auto m = EarthPowerModel::macro();
    // Hour 1: A gets 120, serves 100; 20 unserved, split in proportion between A's and B's users.
    QCOMPARE(o.offered, 250.0);
    QCOMPARE(o.unserved, 20.0);
    QCOMPARE(o.qoe, 230.0 / 250.0);
    QCOMPARE(o.qoeByHour[1], 100.0 / 120.0);
    const double expectedWh =
        m.awakeW(0.5) + m.awakeW(0.3) + m.awakeW(1.0) + m.sleepW() + m.awakeW(0.3) + m.sleepW() + m.awakeW(0.1) + m.awakeW(0.1);
    NETSPATIAL_COMPARE_NEAR(o.energyKWh, expectedWh / 1000.0, 1e-12);
    const double alwaysOnWh =
        m.awakeW(0.5) + m.awakeW(0.3) + m.awakeW(0.6) + m.awakeW(0.6) + m.awakeW(0.2) + m.awakeW(0.1) + m.awakeW(0.1) + m.awakeW(0.1);
    NETSPATIAL_COMPARE_NEAR(o.alwaysOnKWh, alwaysOnWh / 1000.0, 1e-12);
    NETSPATIAL_COMPARE_NEAR(o.savingPct, 100.0 * (1.0 - expectedWh / alwaysOnWh), 1e-9);
    QCOMPARE(o.switches, 2);  // B: off at hour 1, on at hour 3
    QCOMPARE(o.sleepStationHours, 2);
    QCOMPARE(o.stations[1].served, 30.0 + 60.0 * (100.0 / 120.0) + 10.0 + 10.0);
    QCOMPARE(o.stations[0].peakUtilisation, 1.0);
  }

  void studyComparesPolicies() {
    // Six stations on a line, 300 m apart; daily cycle; the forecast is the observed load ± noise.
    std::vector<OperationsStation> st;
    for (int i = 0; i < 6; ++i) st.push_back(station(QStringLiteral("S%1").arg(i), 300.0 * i, 0, 100));
    SleepStudyInput in;
    in.stations = st;
    std::mt19937 rng(3);
    std::normal_distribution<double> noise(0.0, 2.0);
    const int hours = 7 * 24;
    auto dailyLoad = [](int i, int h) { return 10.0 + 4.0 * i + 30.0 * std::pow(std::sin(3.14159265 * (h % 24) / 24.0), 2.0); };
    for (int i = 0; i < 6; ++i) {
      in.observed.emplace_back();
      in.history.emplace_back();
      in.forecastSamples.emplace_back(8, std::vector<double>());
      for (int h = 0; h < hours; ++h) {
        in.observed.back().push_back(dailyLoad(i, h) + noise(rng));
        in.history.back().push_back(dailyLoad(i, h) + noise(rng));
        for (auto& sample : in.forecastSamples.back()) sample.push_back(std::max(0.0, dailyLoad(i, h) + noise(rng)));
      }
    }
    for (int h = 0; h < hours; ++h) {
      in.localHour.push_back(h % 24);
      in.historyLocalHour.push_back(h % 24);
    }
    SleepStudyOptions options;
    auto study = runSleepStudy(in, options);
    QVERIFY2(study, study ? "" : qPrintable(study.error().message()));
    const auto& s = study.value();
    QCOMPARE(int(s.outcomes.size()), 4);
    const auto* alwaysOn = s.outcome(SleepPolicy::AlwaysOn);
    const auto* night = s.outcome(SleepPolicy::StaticNight);
    const auto* forecast = s.outcome(SleepPolicy::Forecast);
    const auto* oracle = s.outcome(SleepPolicy::Oracle);
    QCOMPARE(alwaysOn->savingPct, 0.0);
    QCOMPARE(alwaysOn->qoe, 1.0);
    QVERIFY(night->savingPct > 0.0);
    QVERIFY(oracle->savingPct > night->savingPct);  // the oracle sleeps in the day's troughs too
    QVERIFY(forecast->savingPct > 0.5 * oracle->savingPct);
    QVERIFY(forecast->qoe > 0.99);
    QVERIFY(oracle->qoe > 0.999);  // decisions on the very load, with 10 % headroom
    QCOMPARE(int(s.tradeoff.size()), int(options.tradeoffQuantiles.size()));
    // Higher quantiles plan on more load: less saving, no worse QoE (up to ties).
    QVERIFY(s.tradeoff.front().savingPct >= s.tradeoff.back().savingPct);
    QVERIFY(s.tradeoff.back().qoe >= s.tradeoff.front().qoe - 1e-12);
    QCOMPARE(s.forecastSchedule.greedySolves, 0);
  }
};

QTEST_GUILESS_MAIN(TestSleepScheduler)
#include "tst_sleepscheduler.moc"
