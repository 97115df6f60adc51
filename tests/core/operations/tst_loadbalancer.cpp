// Load balancing (DESIGN.md §9): hand-computed LP optima, conservation of load on a random network,
// the no-neighbour note, input validation and cancellation.

#include "tests/comparenear.h"
#include "core/operations/loadbalancer.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace netspatial::core;

namespace {

OperationsStation station(const QString& id, double x, double y, double capacity) {
  OperationsStation s;
  s.id = id;
  s.position = PointXY{x, y};
  s.capacity = capacity;
  s.power = EarthPowerModel::macro();
  return s;
}

double sumOver(const std::vector<std::vector<double>>& series, int hour) {
  double total = 0.0;
  for (const auto& row : series) total += row[std::size_t(hour)];
  return total;
}

// Load after balancing, in traffic units, from the reported utilisation.
double loadAfter(const BalanceResult& r, const std::vector<OperationsStation>& stations, int i, int hour) {
  return r.utilisationAfter[std::size_t(i)][std::size_t(hour)] * stations[std::size_t(i)].capacity;
}

double distance(const OperationsStation& a, const OperationsStation& b) {
  return std::hypot(a.position.x - b.position.x, a.position.y - b.position.y);
}

struct RandomNetwork {
  std::vector<OperationsStation> stations;
  std::vector<std::vector<double>> load;
};

// 20 stations in 1.5 km × 1.5 km, so that most have a neighbour within 500 m and some do not.
RandomNetwork randomNetwork(unsigned seed, bool equalCapacities) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> position(0.0, 1500.0), capacity(50.0, 200.0), utilisation(0.0, 1.3);
  RandomNetwork net;
  for (int i = 0; i < 20; ++i)
    net.stations.push_back(station(QStringLiteral("S%1").arg(i), position(rng), position(rng), equalCapacities ? 100.0 : capacity(rng)));
  for (const auto& s : net.stations) {
    std::vector<double> row(48);
    for (double& v : row) v = utilisation(rng) * s.capacity;
    net.load.push_back(row);
  }
  return net;
}

}  // namespace

class TestLoadBalancer : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void overloadedStationShedsToNeighbour();
  void peaksAndHoursOver();
  void stationWithoutNeighbourStaysOverAndIsNoted();
  void neighboursWithoutHeadroomTakeNothing();
  void scarceRoomGoesWhereExcessWeighsMost();
  void loadIsConservedOnRandomNetwork();
  void nobodyNewlyOverWhenThereIsRoom();
  void rejectsBadInput_data();
  void rejectsBadInput();
  void cancelBeforeStart();
  void cancelDuringRun();
  void emptyNetwork();
};

void TestLoadBalancer::overloadedStationShedsToNeighbour() {
  const std::vector<OperationsStation> stations{station("A", 0, 0, 100), station("B", 300, 0, 100)};
  const std::vector<std::vector<double>> load{{120.0}, {30.0}};
  const auto r = balanceLoad(stations, load, BalanceOptions{});
  QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
  // Exactly A's excess (120 − 80) moves, nothing more: B has 50 of room, only 40 are needed.
  QCOMPARE(r->transfers.size(), std::size_t(1));
  QCOMPARE(r->transfers[0].hour, 0);
  QCOMPARE(r->transfers[0].from, 0);
  QCOMPARE(r->transfers[0].to, 1);
  NETSPATIAL_COMPARE_NEAR(r->transfers[0].amount, 40.0, 1e-9);
  NETSPATIAL_COMPARE_NEAR(r->utilisationAfter[0][0], 0.8, 1e-9);
  NETSPATIAL_COMPARE_NEAR(r->utilisationAfter[1][0], 0.7, 1e-9);
  QVERIFY(r->utilisationAfter[0][0] <= 0.8 + 1e-9 && r->utilisationAfter[1][0] <= 0.8 + 1e-9);
  NETSPATIAL_COMPARE_NEAR(loadAfter(*r, stations, 0, 0) + loadAfter(*r, stations, 1, 0), 150.0, 1e-9);
  QCOMPARE(r->stationHoursOverAfter, 0);
  QVERIFY(r->notes.isEmpty());
}

void TestLoadBalancer::peaksAndHoursOver() {
  // Hour 0: A sheds 40 (B has room). Hour 1: nobody over, no LP. Hour 2: A is 10 over, B has 5 of
  // room; with equal capacities pushing B above 80 % gains nothing, so exactly 5 move.
  const std::vector<OperationsStation> stations{station("A", 0, 0, 100), station("B", 300, 0, 100)};
  const std::vector<std::vector<double>> load{{120.0, 50.0, 90.0}, {30.0, 50.0, 75.0}};
  const auto r = balanceLoad(stations, load, BalanceOptions{});
  QVERIFY(r.ok());
  QCOMPARE(r->transfers.size(), std::size_t(2));
  QCOMPARE(r->transfers[1].hour, 2);
  NETSPATIAL_COMPARE_NEAR(r->transfers[0].amount, 40.0, 1e-9);
  NETSPATIAL_COMPARE_NEAR(r->transfers[1].amount, 5.0, 1e-9);

  const BalancedStation& a = r->stations[0];
  const BalancedStation& b = r->stations[1];
  QCOMPARE(a.id, QStringLiteral("A"));
  NETSPATIAL_COMPARE_NEAR(a.peakBefore, 1.2, 1e-12);
  NETSPATIAL_COMPARE_NEAR(a.peakAfter, 0.85, 1e-9);
  NETSPATIAL_COMPARE_NEAR(b.peakBefore, 0.75, 1e-12);
  NETSPATIAL_COMPARE_NEAR(b.peakAfter, 0.8, 1e-9);
  QCOMPARE(a.hoursOverBefore, 2);
  QCOMPARE(a.hoursOverAfter, 1);
  QCOMPARE(b.hoursOverBefore, 0);
  QCOMPARE(b.hoursOverAfter, 0);  // filled exactly to the threshold: not over
  NETSPATIAL_COMPARE_NEAR(a.shed, 45.0, 1e-9);
  QVERIFY(std::abs(a.absorbed) < 1e-12);
  NETSPATIAL_COMPARE_NEAR(b.absorbed, 45.0, 1e-9);
  QVERIFY(std::abs(b.shed) < 1e-12);

  NETSPATIAL_COMPARE_NEAR(r->networkPeakBefore, 1.2, 1e-12);
  NETSPATIAL_COMPARE_NEAR(r->networkPeakAfter, 0.85, 1e-9);
  NETSPATIAL_COMPARE_NEAR(r->meanPeakBefore, 0.975, 1e-12);
  NETSPATIAL_COMPARE_NEAR(r->meanPeakAfter, 0.825, 1e-9);
  QCOMPARE(r->stationHoursOverBefore, 2);
  QCOMPARE(r->stationHoursOverAfter, 1);
  NETSPATIAL_COMPARE_NEAR(r->moved, 45.0, 1e-9);
  // The quiet hour is untouched.
  QCOMPARE(r->utilisationAfter[0][1], 0.5);
  QCOMPARE(r->utilisationAfter[1][1], 0.5);
}

void TestLoadBalancer::stationWithoutNeighbourStaysOverAndIsNoted() {
  const std::vector<OperationsStation> stations{station("lonely", 0, 0, 100), station("far", 1000, 0, 100)};
  const std::vector<std::vector<double>> load{{120.0, 90.0, 10.0}, {30.0, 30.0, 30.0}};
  const auto r = balanceLoad(stations, load, BalanceOptions{});
  QVERIFY(r.ok());
  QVERIFY(r->transfers.empty());
  QCOMPARE(r->utilisationAfter[0][0], 1.2);
  QCOMPARE(r->utilisationAfter[1][0], 0.3);
  QCOMPARE(r->stations[0].hoursOverAfter, 2);
  QCOMPARE(r->stationHoursOverAfter, r->stationHoursOverBefore);
  QCOMPARE(r->networkPeakAfter, 1.2);
  QCOMPARE(r->moved, 0.0);
  // Once for the station, not once per hour; the quiet station is not mentioned.
  QCOMPARE(r->notes, QStringList{QStringLiteral("lonely: above 80 % for 2 h and no neighbour within 500 m")});
}

void TestLoadBalancer::neighboursWithoutHeadroomTakeNothing() {
  // S (capacity 10) is 4 over; R1 (20) and R2 (40) sit exactly at 80 %. A unit weighs less over the
  // threshold on R2 (1/40) than on S (1/10), but load only goes where there is headroom: nothing
  // moves, S stays over, and nobody else is pushed over.
  const std::vector<OperationsStation> stations{station("S", 0, 0, 10), station("R1", 200, 0, 20), station("R2", 0, 200, 40)};
  const std::vector<std::vector<double>> load{{12.0}, {16.0}, {32.0}};
  const auto r = balanceLoad(stations, load, BalanceOptions{});
  QVERIFY(r.ok());
  QVERIFY(r->transfers.empty());
  QCOMPARE(r->utilisationAfter[0][0], 1.2);
  QCOMPARE(r->utilisationAfter[1][0], 0.8);
  QCOMPARE(r->utilisationAfter[2][0], 0.8);
  QCOMPARE(r->stations[0].hoursOverAfter, 1);
  QCOMPARE(r->stations[1].hoursOverAfter, 0);
  QCOMPARE(r->stations[2].hoursOverAfter, 0);
  QVERIFY(r->notes.isEmpty());  // S has neighbours: not the no-neighbour case
}

void TestLoadBalancer::scarceRoomGoesWhereExcessWeighsMost() {
  // S1 (capacity 10) is 2 over, S2 (20) is 4 over, R (100) has 3 of room; all are neighbours. A unit
  // left over the threshold weighs 1/10 on S1 and 1/20 on S2, so S1 gets room first (2) and S2 the
  // rest (1). Capacity-weighted excess: 0.4 before, 3/20 = 0.15 after (0.25 had S2 gone first).
  // Both station orders: an unweighted LP would tie here, and its answer would follow the order.
  const std::vector<OperationsStation> forward{station("S1", 0, 0, 10), station("S2", 100, 0, 20), station("R", 50, 50, 100)};
  const std::vector<std::vector<double>> forwardLoad{{10.0}, {20.0}, {77.0}};
  for (const bool reversed : {false, true}) {
    std::vector<OperationsStation> stations = forward;
    std::vector<std::vector<double>> load = forwardLoad;
    if (reversed) {
      std::reverse(stations.begin(), stations.end());
      std::reverse(load.begin(), load.end());
    }
    const auto r = balanceLoad(stations, load, BalanceOptions{});
    QVERIFY(r.ok());
    auto index = [&](const QString& id) {
      for (std::size_t i = 0; i < stations.size(); ++i)
        if (stations[i].id == id) return int(i);
      return -1;
    };
    const int s1 = index("S1"), s2 = index("S2"), rr = index("R");
    double s1ToR = 0.0, s2ToR = 0.0, other = 0.0;
    for (const Transfer& t : r->transfers) {
      if (t.from == s1 && t.to == rr)
        s1ToR += t.amount;
      else if (t.from == s2 && t.to == rr)
        s2ToR += t.amount;
      else
        other += t.amount;
    }
    NETSPATIAL_COMPARE_NEAR(s1ToR, 2.0, 1e-9);
    NETSPATIAL_COMPARE_NEAR(s2ToR, 1.0, 1e-9);
    QCOMPARE(other, 0.0);
    NETSPATIAL_COMPARE_NEAR(r->utilisationAfter[std::size_t(s1)][0], 0.8, 1e-9);
    NETSPATIAL_COMPARE_NEAR(r->utilisationAfter[std::size_t(s2)][0], 0.95, 1e-9);
    NETSPATIAL_COMPARE_NEAR(r->utilisationAfter[std::size_t(rr)][0], 0.8, 1e-9);
    double weightedExcess = 0.0;
    for (std::size_t i = 0; i < stations.size(); ++i) weightedExcess += std::max(0.0, r->utilisationAfter[i][0] - 0.8);
    NETSPATIAL_COMPARE_NEAR(weightedExcess, 0.15, 1e-9);
    NETSPATIAL_COMPARE_NEAR(r->stations[std::size_t(rr)].absorbed, 3.0, 1e-9);
    QCOMPARE(r->stations[std::size_t(s1)].hoursOverAfter, 0);
    QCOMPARE(r->stations[std::size_t(s2)].hoursOverAfter, 1);
    QCOMPARE(r->stations[std::size_t(rr)].hoursOverAfter, 0);
  }
}

void TestLoadBalancer::loadIsConservedOnRandomNetwork() {
  const RandomNetwork net = randomNetwork(20240601u, false);
  const BalanceOptions options;
  const auto r = balanceLoad(net.stations, net.load, options);
  QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
  QVERIFY(!r->transfers.empty());
  QCOMPARE(r->utilisationAfter.size(), net.stations.size());

  std::vector<std::vector<double>> after(net.stations.size(), std::vector<double>(48));
  for (std::size_t i = 0; i < net.stations.size(); ++i)
    for (int h = 0; h < 48; ++h) {
      after[i][std::size_t(h)] = loadAfter(*r, net.stations, int(i), h);
      QVERIFY(after[i][std::size_t(h)] >= -1e-9);
    }
  for (int h = 0; h < 48; ++h) {
    const double before = sumOver(net.load, h);
    QVERIFY2(std::abs(sumOver(after, h) - before) <= 1e-9 * before, qPrintable(QStringLiteral("hour %1").arg(h)));
  }

  double moved = 0.0;
  for (const Transfer& t : r->transfers) {
    const auto& from = net.stations[std::size_t(t.from)];
    QVERIFY(t.amount > 1e-9);
    QVERIFY(distance(from, net.stations[std::size_t(t.to)]) <= options.neighbourDistance);
    // Only a station over the threshold sheds, and never more than its excess.
    QVERIFY(net.load[std::size_t(t.from)][std::size_t(t.hour)] > options.threshold * from.capacity);
    moved += t.amount;
  }
  NETSPATIAL_COMPARE_NEAR(moved, r->moved, 1e-9 * std::max(1.0, moved));
  double shed = 0.0, absorbed = 0.0;
  for (const BalancedStation& s : r->stations) {
    shed += s.shed;
    absorbed += s.absorbed;
  }
  NETSPATIAL_COMPARE_NEAR(shed, moved, 1e-9 * std::max(1.0, moved));
  NETSPATIAL_COMPARE_NEAR(absorbed, moved, 1e-9 * std::max(1.0, moved));

  for (std::size_t i = 0; i < net.stations.size(); ++i) {
    const double c = net.stations[i].capacity;
    for (int h = 0; h < 48; ++h) {
      double out = 0.0, in = 0.0;
      for (const Transfer& t : r->transfers) {
        if (t.hour != h) continue;
        if (t.from == int(i)) out += t.amount;
        if (t.to == int(i)) in += t.amount;
      }
      const double was = net.load[i][std::size_t(h)];
      QVERIFY(out <= std::max(0.0, was - options.threshold * c) + 1e-7 * c);
      QVERIFY(in - out <= std::max(0.0, options.threshold * c - was) + 1e-7 * c);  // only into headroom
      // Nobody is pushed above the threshold who was not already, and nobody already over gets worse.
      const double u = r->utilisationAfter[i][std::size_t(h)];
      QVERIFY2(u <= std::max(options.threshold, was / c) + 1e-9,
               qPrintable(QStringLiteral("%1 at hour %2").arg(net.stations[i].id).arg(h)));
    }
    QVERIFY(r->stations[i].hoursOverAfter <= r->stations[i].hoursOverBefore);
    QVERIFY(r->stations[i].peakAfter <= r->stations[i].peakBefore + 1e-9);
  }
  QVERIFY(r->stationHoursOverAfter < r->stationHoursOverBefore);
  QVERIFY(r->networkPeakAfter <= r->networkPeakBefore + 1e-9);
  QVERIFY(r->meanPeakAfter < r->meanPeakBefore);
  // Balancing lowers the capacity-weighted excess, the LP's objective, in every hour.
  for (int h = 0; h < 48; ++h) {
    double excessBefore = 0.0, excessAfter = 0.0;
    for (std::size_t i = 0; i < net.stations.size(); ++i) {
      excessBefore += std::max(0.0, net.load[i][std::size_t(h)] / net.stations[i].capacity - options.threshold);
      excessAfter += std::max(0.0, r->utilisationAfter[i][std::size_t(h)] - options.threshold);
    }
    QVERIFY(excessAfter <= excessBefore + 1e-9);
  }
}

void TestLoadBalancer::nobodyNewlyOverWhenThereIsRoom() {
  // Another network, equal capacities (the capacity weighting plays no part): receivers are filled to
  // the threshold at most, in every hour.
  const RandomNetwork net = randomNetwork(7u, true);
  const auto r = balanceLoad(net.stations, net.load, BalanceOptions{});
  QVERIFY(r.ok());
  QVERIFY(!r->transfers.empty());
  for (std::size_t i = 0; i < net.stations.size(); ++i)
    for (int h = 0; h < 48; ++h)
      if (net.load[i][std::size_t(h)] <= 80.0)
        QVERIFY2(r->utilisationAfter[i][std::size_t(h)] <= 0.8 + 1e-9,
                 qPrintable(QStringLiteral("%1 at hour %2").arg(net.stations[i].id).arg(h)));
  QVERIFY(r->stationHoursOverAfter < r->stationHoursOverBefore);
  QVERIFY(r->meanPeakAfter < r->meanPeakBefore);

  // Here there is room for all of it: every station ends at or under the threshold.
  const std::vector<OperationsStation> ring{station("hot", 0, 0, 50), station("n1", 400, 0, 200), station("n2", 0, 400, 80),
                                            station("n3", -300, 0, 120)};
  // Room: n1 40, n2 4, n3 6; hot is 30 over.
  const std::vector<std::vector<double>> load{{70.0}, {120.0}, {60.0}, {90.0}};
  const auto s = balanceLoad(ring, load, BalanceOptions{});
  QVERIFY(s.ok());
  for (std::size_t i = 0; i < ring.size(); ++i) QVERIFY(s->utilisationAfter[i][0] <= 0.8 + 1e-9);
  NETSPATIAL_COMPARE_NEAR(s->moved, 30.0, 1e-9);  // 70 − 0.8 × 50: exactly the excess, nothing more
  QCOMPARE(s->stationHoursOverAfter, 0);
}

void TestLoadBalancer::rejectsBadInput_data() {
  QTest::addColumn<double>("capacityB");
  QTest::addColumn<double>("loadB");
  QTest::addColumn<int>("hoursB");
  QTest::addColumn<int>("series");
  QTest::addColumn<double>("threshold");
  QTest::addColumn<double>("distance");
  QTest::addColumn<int>("code");
  QTest::addColumn<QString>("mentions");

  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const int invalidValue = int(ErrorCode::InvalidValue);
  const int invalidArgument = int(ErrorCode::InvalidArgument);
  QTest::newRow("capacity 0") << 0.0 << 10.0 << 3 << 2 << 0.8 << 500.0 << invalidValue << "B";
  QTest::newRow("capacity negative") << -5.0 << 10.0 << 3 << 2 << 0.8 << 500.0 << invalidValue << "B";
  QTest::newRow("capacity NaN") << nan << 10.0 << 3 << 2 << 0.8 << 500.0 << invalidValue << "B";
  QTest::newRow("load NaN") << 100.0 << nan << 3 << 2 << 0.8 << 500.0 << invalidValue << "B, hour 2";
  QTest::newRow("load negative") << 100.0 << -1.0 << 3 << 2 << 0.8 << 500.0 << invalidValue << "B, hour 2";
  QTest::newRow("load infinite") << 100.0 << inf << 3 << 2 << 0.8 << 500.0 << invalidValue << "B, hour 2";
  QTest::newRow("row lengths") << 100.0 << 10.0 << 2 << 2 << 0.8 << 500.0 << invalidArgument << "B";
  QTest::newRow("series count") << 100.0 << 10.0 << 3 << 1 << 0.8 << 500.0 << invalidArgument << "1 load series for 2 stations";
  QTest::newRow("threshold 0") << 100.0 << 10.0 << 3 << 2 << 0.0 << 500.0 << invalidArgument << "threshold";
  QTest::newRow("threshold above 1") << 100.0 << 10.0 << 3 << 2 << 1.5 << 500.0 << invalidArgument << "threshold";
  QTest::newRow("threshold NaN") << 100.0 << 10.0 << 3 << 2 << nan << 500.0 << invalidArgument << "threshold";
  QTest::newRow("distance negative") << 100.0 << 10.0 << 3 << 2 << 0.8 << -1.0 << invalidArgument << "distance";
}

void TestLoadBalancer::rejectsBadInput() {
  QFETCH(double, capacityB);
  QFETCH(double, loadB);
  QFETCH(int, hoursB);
  QFETCH(int, series);
  QFETCH(double, threshold);
  QFETCH(double, distance);
  QFETCH(int, code);
  QFETCH(QString, mentions);

  const std::vector<OperationsStation> stations{station("A", 0, 0, 100), station("B", 300, 0, capacityB)};
  std::vector<std::vector<double>> load{{90.0, 90.0, 90.0}, std::vector<double>(std::size_t(hoursB), 10.0)};
  if (hoursB > 2) load[1][2] = loadB;
  load.resize(std::size_t(series));
  const auto r = balanceLoad(stations, load, BalanceOptions{threshold, distance});
  QVERIFY(!r.ok());
  QCOMPARE(int(r.error().code()), code);
  QVERIFY2(r.error().message().contains(mentions), qPrintable(r.error().message()));
}

void TestLoadBalancer::cancelBeforeStart() {
  const std::vector<OperationsStation> stations{station("A", 0, 0, 100), station("B", 300, 0, 100)};
  const std::vector<std::vector<double>> load{{120.0}, {30.0}};
  Feedback feedback;
  feedback.cancel();
  const auto r = balanceLoad(stations, load, BalanceOptions{}, &feedback);
  QVERIFY(!r.ok());
  QCOMPARE(r.error().code(), ErrorCode::Cancelled);
}

void TestLoadBalancer::cancelDuringRun() {
  const RandomNetwork net = randomNetwork(3u, false);
  Feedback feedback;
  double firstReport = -1.0;
  // Cancels at the first progress report (after the first day): the run must stop there.
  feedback.setProgressCallback([&](double fraction, const QString&) {
    if (firstReport < 0.0) firstReport = fraction;
    feedback.cancel();
  });
  const auto r = balanceLoad(net.stations, net.load, BalanceOptions{}, &feedback);
  QVERIFY(!r.ok());
  QCOMPARE(r.error().code(), ErrorCode::Cancelled);
  QVERIFY(firstReport > 0.0 && firstReport < 1.0);

  // Not cancelled: progress ends at 1.
  Feedback plain;
  const auto done = balanceLoad(net.stations, net.load, BalanceOptions{}, &plain);
  QVERIFY(done.ok());
  QCOMPARE(plain.progress(), 1.0);
}

void TestLoadBalancer::emptyNetwork() {
  const auto r = balanceLoad({}, {}, BalanceOptions{});
  QVERIFY(r.ok());
  QVERIFY(r->stations.empty());
  QCOMPARE(r->meanPeakBefore, 0.0);

  // Stations without hours: valid, nothing to do.
  const std::vector<OperationsStation> stations{station("A", 0, 0, 100)};
  const auto z = balanceLoad(stations, std::vector<std::vector<double>>(1), BalanceOptions{});
  QVERIFY(z.ok());
  QCOMPARE(z->stations.size(), std::size_t(1));
  QCOMPARE(z->stations[0].peakAfter, 0.0);
}

QTEST_GUILESS_MAIN(TestLoadBalancer)
#include "tst_loadbalancer.moc"
