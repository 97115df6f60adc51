#include "core/operations/sleepscheduler.h"

#include "core/operations/glpkproblem.h"

#include <QElapsedTimer>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace netspatial::core {

namespace {

// Load-dependent watts per traffic unit of station j: N Δp P_max / C.
double slopePerUnit(const OperationsStation& s) { return s.power.wattsPerUtilisation() / s.capacity; }

// What station j may take from sleeping neighbours: up to the headroom share of its capacity, less
// its own load (never negative).
double absorbable(const OperationsStation& s, double ownLoad, const SleepOptions& options) {
  return std::max(0.0, options.maxUtilisation * s.capacity - ownLoad);
}

// A station may sleep when it has a neighbour and its own load is within its capacity (an overloaded
// station's excess is nobody's to take in a sleep decision: that is load balancing).
bool maySleep(const OperationsStation& s, const std::vector<int>& neighbours, double load) {
  return !neighbours.empty() && load <= s.capacity;
}

HourDecision awakeDecision(std::size_t n) {
  HourDecision d;
  d.asleep.assign(n, 0);
  d.handovers.assign(n, {});
  return d;
}

// Exact decision for the stations of `group` (the rest of `decision` untouched). Returns GLPK's outcome.
glpk::Outcome solveGroupExact(const std::vector<OperationsStation>& stations, const std::vector<std::vector<int>>& neighbours,
                              const std::vector<double>& load, const std::vector<int>& group, const SleepOptions& options,
                              HourDecision& decision) {
  glpk::Problem lp;
  std::vector<int> sleepColumn(stations.size(), 0);
  std::vector<bool> inGroup(stations.size(), false);
  for (int i : group) inGroup[std::size_t(i)] = true;
  for (int i : group) {
    const auto& s = stations[std::size_t(i)];
    if (!maySleep(s, neighbours[std::size_t(i)], load[std::size_t(i)])) continue;
    // Sleeping trades the station's static and own dynamic power for its sleep power.
    const double change = s.power.sleepW() - s.power.transceivers * s.power.staticPowerW - slopePerUnit(s) * load[std::size_t(i)];
    sleepColumn[std::size_t(i)] = lp.addColumn(0.0, 1.0, change, true);
  }
  if (std::none_of(group.begin(), group.end(), [&](int i) { return sleepColumn[std::size_t(i)] != 0; })) return glpk::Outcome::Optimal;

  struct Flow {
    int from, to, column;
  };
  std::vector<Flow> flows;
  std::vector<std::vector<int>> intoColumns(stations.size());
  for (int i : group) {
    if (sleepColumn[std::size_t(i)] == 0) continue;
    std::vector<int> cols{sleepColumn[std::size_t(i)]};
    std::vector<double> coef{-load[std::size_t(i)]};
    for (int j : neighbours[std::size_t(i)]) {
      if (!inGroup[std::size_t(j)]) continue;
      const double room = absorbable(stations[std::size_t(j)], load[std::size_t(j)], options);
      if (room <= 0.0) continue;
      const int c = lp.addColumn(0.0, room, slopePerUnit(stations[std::size_t(j)]));
      flows.push_back({i, j, c});
      cols.push_back(c);
      coef.push_back(1.0);
      intoColumns[std::size_t(j)].push_back(c);
    }
    // Σ_j f_ij = L_i s_i: all of a sleeping station's load goes to neighbours, none of an awake one's.
    lp.addRow(cols, coef, 0.0, 0.0);
  }
  for (int j : group) {
    if (intoColumns[std::size_t(j)].empty()) continue;
    const double room = absorbable(stations[std::size_t(j)], load[std::size_t(j)], options);
    std::vector<int> cols = intoColumns[std::size_t(j)];
    std::vector<double> coef(cols.size(), 1.0);
    if (sleepColumn[std::size_t(j)] != 0) {
      // Σ_i f_ij + A_j s_j ≤ A_j: a sleeping station absorbs nothing.
      cols.push_back(sleepColumn[std::size_t(j)]);
      coef.push_back(room);
    }
    lp.addRow(cols, coef, -HUGE_VAL, room);
  }
  // Someone must stay on air around a sleeping station, even when it has no load to hand over: of
  // a station and its neighbours, not all sleep (only needed when every neighbour could sleep).
  for (int i : group) {
    if (sleepColumn[std::size_t(i)] == 0) continue;
    const auto& around = neighbours[std::size_t(i)];
    if (!std::all_of(around.begin(), around.end(), [&](int j) { return sleepColumn[std::size_t(j)] != 0; })) continue;
    std::vector<int> cols{sleepColumn[std::size_t(i)]};
    for (int j : around) cols.push_back(sleepColumn[std::size_t(j)]);
    lp.addRow(cols, std::vector<double>(cols.size(), 1.0), -HUGE_VAL, double(around.size()));
  }
  const glpk::Outcome outcome = lp.solve(options.timeLimitSeconds, options.relativeGap);
  if (outcome != glpk::Outcome::Optimal && outcome != glpk::Outcome::Feasible) return outcome;
  for (int i : group) {
    if (sleepColumn[std::size_t(i)] == 0) continue;
    decision.asleep[std::size_t(i)] = lp.value(sleepColumn[std::size_t(i)]) > 0.5 ? 1 : 0;
  }
  for (const Flow& f : flows) {
    if (!decision.asleep[std::size_t(f.from)]) continue;
    const double amount = lp.value(f.column);
    const double l = load[std::size_t(f.from)];
    if (amount > 1e-12 * std::max(1.0, l)) decision.handovers[std::size_t(f.from)].push_back({f.to, l > 0.0 ? amount / l : 0.0});
  }
  for (int i : group) {
    auto& h = decision.handovers[std::size_t(i)];
    if (!decision.asleep[std::size_t(i)]) continue;
    if (h.empty()) {
      // Zero load: nothing to hand over, but someone awake must cover the area. The nearest awake neighbour.
      for (int j : neighbours[std::size_t(i)])
        if (inGroup[std::size_t(j)] && !decision.asleep[std::size_t(j)]) {
          h.push_back({j, 1.0});
          break;
        }
      if (h.empty()) decision.asleep[std::size_t(i)] = 0;
      continue;
    }
    const double total = std::accumulate(h.begin(), h.end(), 0.0, [](double a, const Handover& x) { return a + x.share; });
    for (auto& x : h) x.share /= total;  // the solver's tolerance aside, shares sum to 1
  }
  return outcome;
}

void solveGroupGreedy(const std::vector<OperationsStation>& stations, const std::vector<std::vector<int>>& neighbours,
                      const std::vector<double>& load, const std::vector<int>& group, const SleepOptions& options, HourDecision& decision) {
  std::vector<bool> inGroup(stations.size(), false);
  for (int i : group) inGroup[std::size_t(i)] = true;
  std::vector<double> room(stations.size(), 0.0);
  std::vector<char> receiver(stations.size(), 0);
  for (int j : group) room[std::size_t(j)] = absorbable(stations[std::size_t(j)], load[std::size_t(j)], options);
  // Most watts saved per unit of neighbour headroom used first: light stations with a big idle draw.
  std::vector<int> order;
  for (int i : group)
    if (maySleep(stations[std::size_t(i)], neighbours[std::size_t(i)], load[std::size_t(i)])) order.push_back(i);
  auto merit = [&](int i) {
    const auto& s = stations[std::size_t(i)];
    const double saved = s.power.transceivers * s.power.staticPowerW - s.power.sleepW();
    return saved / (load[std::size_t(i)] + 1e-9 * s.capacity);
  };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return merit(a) > merit(b); });
  for (int i : order) {
    if (receiver[std::size_t(i)]) continue;
    std::vector<int> takers;
    double available = 0.0;
    for (int j : neighbours[std::size_t(i)])
      if (inGroup[std::size_t(j)] && !decision.asleep[std::size_t(j)]) {
        takers.push_back(j);
        available += room[std::size_t(j)];
      }
    const double l = load[std::size_t(i)];
    if (takers.empty() || available < l) continue;
    // Cheapest watts per unit first, then the most room.
    std::stable_sort(takers.begin(), takers.end(), [&](int a, int b) {
      const double sa = slopePerUnit(stations[std::size_t(a)]), sb = slopePerUnit(stations[std::size_t(b)]);
      return sa != sb ? sa < sb : room[std::size_t(a)] > room[std::size_t(b)];
    });
    auto& h = decision.handovers[std::size_t(i)];
    double left = l;
    for (int j : takers) {
      if (left <= 0.0) break;
      const double take = std::min(left, room[std::size_t(j)]);
      if (take <= 0.0) continue;
      room[std::size_t(j)] -= take;
      left -= take;
      receiver[std::size_t(j)] = 1;
      h.push_back({j, take / l});
    }
    if (h.empty()) {  // no load to hand over: the nearest awake neighbour covers the area
      h.push_back({takers.front(), 1.0});
      receiver[std::size_t(takers.front())] = 1;
    }
    decision.asleep[std::size_t(i)] = 1;
  }
}

QString validateInputs(const std::vector<OperationsStation>& stations, const std::vector<std::vector<double>>& load) {
  if (load.size() != stations.size()) return QStringLiteral("%1 load series for %2 stations").arg(load.size()).arg(stations.size());
  for (std::size_t i = 0; i < stations.size(); ++i) {
    const auto& s = stations[i];
    if (!(s.capacity > 0.0) || !std::isfinite(s.capacity))
      return QStringLiteral("station %1: capacity must be > 0 (it is %2)").arg(s.id).arg(s.capacity);
    if (const QString p = s.power.validate(); !p.isEmpty()) return QStringLiteral("station %1: %2").arg(s.id, p);
    if (load[i].size() != load.front().size())
      return QStringLiteral("station %1: %2 hours of load, station %3 has %4")
          .arg(s.id)
          .arg(load[i].size())
          .arg(stations.front().id)
          .arg(load.front().size());
    for (std::size_t t = 0; t < load[i].size(); ++t)
      if (!std::isfinite(load[i][t]) || load[i][t] < 0.0)
        return QStringLiteral("station %1, hour %2: load must be a number ≥ 0 (it is %3)").arg(s.id).arg(t).arg(load[i][t]);
  }
  return {};
}

}  // namespace

double networkPowerW(const std::vector<OperationsStation>& stations, const HourDecision& decision, const std::vector<double>& load,
                     double* unserved) {
  std::vector<double> demand(stations.size(), 0.0);
  double lost = 0.0;
  for (std::size_t i = 0; i < stations.size(); ++i) {
    if (!decision.asleep[i]) {
      demand[i] += load[i];
      continue;
    }
    double handed = 0.0;
    for (const Handover& h : decision.handovers[i]) {
      demand[std::size_t(h.to)] += h.share * load[i];
      handed += h.share;
    }
    lost += std::max(0.0, 1.0 - handed) * load[i];
  }
  double watts = 0.0;
  for (std::size_t i = 0; i < stations.size(); ++i) {
    const auto& s = stations[i];
    if (decision.asleep[i]) {
      watts += s.power.sleepW();
      lost += demand[i];  // handed to a sleeping station: nobody serves it
      continue;
    }
    const double served = std::min(demand[i], s.capacity);
    lost += demand[i] - served;
    watts += s.power.awakeW(served / s.capacity);
  }
  if (unserved) *unserved = lost;
  return watts;
}

HourDecision planHourExact(const std::vector<OperationsStation>& stations, const std::vector<std::vector<int>>& neighbours,
                           const std::vector<double>& load, const SleepOptions& options, SolveMethod* method) {
  HourDecision d = awakeDecision(stations.size());
  std::vector<int> all(stations.size());
  std::iota(all.begin(), all.end(), 0);
  const glpk::Outcome outcome = solveGroupExact(stations, neighbours, load, all, options, d);
  SolveMethod used = SolveMethod::Exact;
  if (outcome == glpk::Outcome::Feasible) used = SolveMethod::TimeLimited;
  if (outcome == glpk::Outcome::Infeasible || outcome == glpk::Outcome::Failed) {
    d = awakeDecision(stations.size());
    solveGroupGreedy(stations, neighbours, load, all, options, d);
    used = SolveMethod::Greedy;
  }
  if (method) *method = used;
  d.plannedPowerW = networkPowerW(stations, d, load, &d.plannedUnserved);
  return d;
}

HourDecision planHourGreedy(const std::vector<OperationsStation>& stations, const std::vector<std::vector<int>>& neighbours,
                            const std::vector<double>& load, const SleepOptions& options) {
  HourDecision d = awakeDecision(stations.size());
  std::vector<int> all(stations.size());
  std::iota(all.begin(), all.end(), 0);
  solveGroupGreedy(stations, neighbours, load, all, options, d);
  d.plannedPowerW = networkPowerW(stations, d, load, &d.plannedUnserved);
  return d;
}

Result<SleepSchedule> planSleepSchedule(const std::vector<OperationsStation>& stations,
                                        const std::vector<std::vector<double>>& decisionLoad, const SleepOptions& options,
                                        Feedback* feedback) {
  if (stations.empty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("sleep scheduling needs at least one station"));
  if (const QString problem = validateInputs(stations, decisionLoad); !problem.isEmpty()) return Error(ErrorCode::InvalidValue, problem);
  if (!(options.maxUtilisation > 0.0) || options.maxUtilisation > 1.0)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the absorbing headroom must be in (0, 100 %] of capacity"));
  if (!(options.neighbourDistance >= 0.0)) return Error(ErrorCode::InvalidArgument, QStringLiteral("the neighbour distance must be ≥ 0 m"));

  QElapsedTimer timer;
  timer.start();
  SleepSchedule schedule;
  schedule.stationCount = int(stations.size());
  const auto neighbours = neighboursWithin(stations, options.neighbourDistance);
  const auto groups = connectedComponents(neighbours);
  QStringList alone;
  for (std::size_t i = 0; i < stations.size(); ++i)
    if (neighbours[i].empty()) alone << stations[i].id;
  if (alone.size() == 1)
    schedule.notes << QStringLiteral("%1: no neighbour within %2 m; it never sleeps").arg(alone.front()).arg(options.neighbourDistance);
  else if (alone.size() > 1)
    schedule.notes << QStringLiteral("%1 stations have no neighbour within %2 m and never sleep: %3%4")
                          .arg(alone.size())
                          .arg(options.neighbourDistance)
                          .arg(alone.mid(0, 8).join(QStringLiteral(", ")))
                          .arg(alone.size() > 8 ? QStringLiteral(", …") : QString());
  const std::size_t hours = decisionLoad.front().size();
  std::vector<int> overloadedHours(stations.size(), 0);
  std::vector<double> load(stations.size());
  for (std::size_t t = 0; t < hours; ++t) {
    if (feedback && feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("sleep scheduling cancelled"));
    for (std::size_t i = 0; i < stations.size(); ++i) {
      load[i] = decisionLoad[i][t];
      if (load[i] > stations[i].capacity) ++overloadedHours[i];
    }
    HourDecision d = awakeDecision(stations.size());
    for (const auto& group : groups) {
      if (group.size() < 2) continue;
      if (int(group.size()) <= options.exactGroupLimit) {
        const glpk::Outcome outcome = solveGroupExact(stations, neighbours, load, group, options, d);
        if (outcome == glpk::Outcome::Optimal) {
          ++schedule.exactSolves;
          continue;
        }
        if (outcome == glpk::Outcome::Feasible) {
          ++schedule.timeLimitedSolves;
          continue;
        }
        for (int i : group) {  // GLPK gave nothing usable: start the group over greedily
          d.asleep[std::size_t(i)] = 0;
          d.handovers[std::size_t(i)].clear();
        }
      }
      solveGroupGreedy(stations, neighbours, load, group, options, d);
      ++schedule.greedySolves;
    }
    d.plannedPowerW = networkPowerW(stations, d, load, &d.plannedUnserved);
    schedule.hours.push_back(std::move(d));
    if (feedback)
      feedback->setProgress(double(t + 1) / double(hours), QStringLiteral("Sleep decisions, hour %1 of %2").arg(t + 1).arg(hours));
  }
  for (std::size_t i = 0; i < stations.size(); ++i)
    if (overloadedHours[i] > 0)
      schedule.notes << QStringLiteral("%1: decision load above capacity in %2 h; it stays awake then and the excess is unserved")
                            .arg(stations[i].id)
                            .arg(overloadedHours[i]);
  schedule.solveSeconds = double(timer.nsecsElapsed()) * 1e-9;
  return schedule;
}

}  // namespace netspatial::core
