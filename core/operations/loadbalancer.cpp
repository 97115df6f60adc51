#include "core/operations/loadbalancer.h"

#include "core/operations/glpkproblem.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace netspatial::core {

namespace {

// A station counts as over the threshold only beyond this much utilisation: a receiver the LP fills
// exactly to the threshold can come back a few ulps above it, and must not count as an hour over.
constexpr double kOverTolerance = 1e-9;
// Moves at or below this (traffic units) are solver noise: neither applied nor reported.
constexpr double kMinTransfer = 1e-9;
// Objective weights (DESIGN.md §9): capacity-weighted excess first, moved load a distant second.
constexpr double kExcessWeight = 1000.0;
constexpr double kMoveWeight = 1e-3;
// Hours between progress reports: one day keeps the callback cheap on four-week studies.
constexpr int kProgressBatch = 24;

QString validate(const std::vector<OperationsStation>& stations, const std::vector<std::vector<double>>& load,
                 const BalanceOptions& options, ErrorCode* code) {
  *code = ErrorCode::InvalidArgument;
  if (!(options.threshold > 0.0 && options.threshold <= 1.0))
    return QStringLiteral("threshold must be in (0, 1] (it is %1)").arg(options.threshold);
  if (!(options.neighbourDistance >= 0.0))
    return QStringLiteral("neighbour distance must be ≥ 0 m (it is %1)").arg(options.neighbourDistance);
  if (load.size() != stations.size()) return QStringLiteral("%1 load series for %2 stations").arg(load.size()).arg(stations.size());
  for (std::size_t i = 0; i < stations.size(); ++i) {
    const OperationsStation& s = stations[i];
    if (!(s.capacity > 0.0) || !std::isfinite(s.capacity)) {
      *code = ErrorCode::InvalidValue;
      return QStringLiteral("station %1: capacity must be a finite number > 0 (it is %2)").arg(s.id, QString::number(s.capacity));
    }
    if (load[i].size() != load.front().size()) {
      *code = ErrorCode::InvalidArgument;
      return QStringLiteral("station %1: %2 hours of load, station %3 has %4")
          .arg(s.id, QString::number(load[i].size()), stations.front().id, QString::number(load.front().size()));
    }
    for (std::size_t t = 0; t < load[i].size(); ++t)
      if (!std::isfinite(load[i][t]) || load[i][t] < 0.0) {
        *code = ErrorCode::InvalidValue;
        return QStringLiteral("station %1, hour %2: load must be a finite number ≥ 0 (it is %3)")
            .arg(s.id, QString::number(t), QString::number(load[i][t]));
      }
  }
  return {};
}

// Union-find over station indices, rebuilt each hour: only edges from an overloaded station to its
// neighbours join stations, so independent hot spots become separate, small LPs.
class DisjointSets {
 public:
  explicit DisjointSets(std::size_t n) : m_parent(n) { reset(); }
  void reset() { std::iota(m_parent.begin(), m_parent.end(), 0); }
  int find(int a) {
    while (m_parent[std::size_t(a)] != a) a = m_parent[std::size_t(a)] = m_parent[std::size_t(m_parent[std::size_t(a)])];
    return a;
  }
  void unite(int a, int b) {
    a = find(a);
    b = find(b);
    if (a != b) m_parent[std::size_t(std::max(a, b))] = std::min(a, b);
  }

 private:
  std::vector<int> m_parent;
};

struct Move {
  int from = -1;
  int to = -1;
  int column = 0;
};

// Solves one connected group of one hour. `members` holds the overloaded stations with neighbours
// and all their neighbours; `local` maps a station index to its position in `members` (scratch of
// the caller's, −1 elsewhere, restored on return). On success adds the moves to `after` and
// `transfers`; on failure leaves both untouched and returns GLPK's outcome.
glpk::Outcome balanceGroup(const std::vector<OperationsStation>& stations, const std::vector<std::vector<int>>& neighbours,
                           const std::vector<int>& members, const std::vector<char>& over, const std::vector<double>& before,
                           double threshold, int hour, std::vector<int>& local, std::vector<double>& after,
                           std::vector<Transfer>& transfers) {
  auto headroom = [&](int j) { return threshold * stations[std::size_t(j)].capacity - before[std::size_t(j)]; };
  // Load only goes into headroom (below), so where nobody has any, every move would be a cycle.
  if (std::none_of(members.begin(), members.end(), [&](int j) { return headroom(j) > kMinTransfer; })) return glpk::Outcome::Optimal;

  // Work in units of the group's largest capacity so that GLPK sees numbers near 1 whatever the
  // scenario's traffic unit (its tolerances are absolute).
  double maxCapacity = 0.0;
  for (int j : members) maxCapacity = std::max(maxCapacity, stations[std::size_t(j)].capacity);
  const double scale = 1.0 / maxCapacity;

  for (std::size_t k = 0; k < members.size(); ++k) local[std::size_t(members[k])] = int(k);
  glpk::Problem lp;
  std::vector<Move> moves;
  std::vector<std::vector<int>> outColumns(members.size()), inColumns(members.size());
  for (int i : members) {
    if (!over[std::size_t(i)]) continue;
    for (int j : neighbours[std::size_t(i)]) {
      // A station exactly at the threshold that does not shed itself can take nothing.
      if (!over[std::size_t(j)] && !(headroom(j) > 0.0)) continue;
      // m_ij ≥ 0 costs ε = 1e-3 / max capacity per traffic unit (1e-3 per scaled unit): among equally
      // good spreads of the excess, the one that moves least.
      const int c = lp.addColumn(0.0, HUGE_VAL, kMoveWeight);
      moves.push_back({i, j, c});
      outColumns[std::size_t(local[std::size_t(i)])].push_back(c);
      inColumns[std::size_t(local[std::size_t(j)])].push_back(c);
    }
  }
  for (int j : members) local[std::size_t(j)] = -1;
  for (std::size_t k = 0; k < members.size(); ++k) {
    const int j = members[k];
    const OperationsStation& s = stations[std::size_t(j)];
    // e_j ≥ 0 costs 1000 / C_j per traffic unit: the objective sums utilisation above the threshold,
    // so a unit over on a small cell weighs more than on a large one.
    const int e = lp.addColumn(0.0, HUGE_VAL, kExcessWeight * maxCapacity / s.capacity);
    // load_j − Σ_k m_jk + Σ_i m_ij − e_j ≤ threshold · C_j
    std::vector<int> cols;
    std::vector<double> coef;
    for (int c : outColumns[k]) {
      cols.push_back(c);
      coef.push_back(-1.0);
    }
    for (int c : inColumns[k]) {
      cols.push_back(c);
      coef.push_back(1.0);
    }
    cols.push_back(e);
    coef.push_back(-1.0);
    lp.addRow(cols, coef, -HUGE_VAL, (threshold * s.capacity - before[std::size_t(j)]) * scale);
    // Σ_j m_ij ≤ load_i − threshold · C_i: a station sheds at most its own excess, so it never ends
    // below the threshold to make room it does not need.
    if (!outColumns[k].empty()) {
      const std::vector<double> ones(outColumns[k].size(), 1.0);
      lp.addRow(outColumns[k], ones, -HUGE_VAL, (before[std::size_t(j)] - threshold * s.capacity) * scale);
    }
    // Σ_i m_ij − Σ_k m_jk ≤ max(0, threshold · C_j − load_j): load only goes where there is headroom.
    // Without this the capacity weighting makes dumping excess on a large cell look cheap (a unit
    // there weighs less than on a small one) and, when room runs out, pushes large cells above the
    // threshold and even past their capacity: the network peak rose from 110 % to 138 % on a random
    // 360-station city. With it no station ends above max(threshold, its own utilisation before).
    if (!inColumns[k].empty()) {
      std::vector<int> netCols;
      std::vector<double> netCoef;
      for (int c : inColumns[k]) {
        netCols.push_back(c);
        netCoef.push_back(1.0);
      }
      for (int c : outColumns[k]) {
        netCols.push_back(c);
        netCoef.push_back(-1.0);
      }
      lp.addRow(netCols, netCoef, -HUGE_VAL, std::max(0.0, headroom(j)) * scale);
    }
  }

  const glpk::Outcome outcome = lp.solve();
  if (outcome != glpk::Outcome::Optimal) return outcome;
  for (const Move& m : moves) {
    const double amount = lp.value(m.column) / scale;
    if (!(amount > kMinTransfer)) continue;
    // Applied to both ends at once, so the hour's total load is conserved whatever the rounding.
    after[std::size_t(m.from)] -= amount;
    after[std::size_t(m.to)] += amount;
    transfers.push_back({hour, m.from, m.to, amount});
  }
  return outcome;
}

QString outcomeName(glpk::Outcome outcome) {
  switch (outcome) {
    case glpk::Outcome::Optimal:
      return QStringLiteral("optimal");
    case glpk::Outcome::Feasible:
      return QStringLiteral("not proven optimal");
    case glpk::Outcome::Infeasible:
      return QStringLiteral("infeasible");
    case glpk::Outcome::Failed:
      return QStringLiteral("solver failure");
  }
  return {};
}

}  // namespace

Result<BalanceResult> balanceLoad(const std::vector<OperationsStation>& stations, const std::vector<std::vector<double>>& load,
                                  const BalanceOptions& options, Feedback* feedback) {
  ErrorCode code = ErrorCode::InvalidArgument;
  if (const QString problem = validate(stations, load, options, &code); !problem.isEmpty()) return Error(code, problem);
  if (feedback && feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("load balancing cancelled"));

  const std::size_t n = stations.size();
  const int hours = n == 0 ? 0 : int(load.front().size());
  const double threshold = options.threshold;
  const std::vector<std::vector<int>> neighbours = neighboursWithin(stations, options.neighbourDistance);

  BalanceResult result;
  result.stations.resize(n);
  result.utilisationAfter.assign(n, std::vector<double>(std::size_t(hours), 0.0));
  for (std::size_t i = 0; i < n; ++i) result.stations[i].id = stations[i].id;

  auto isOver = [&](std::size_t i, double stationLoad) { return stationLoad / stations[i].capacity > threshold + kOverTolerance; };

  DisjointSets sets(n);
  std::vector<double> before(n), after(n);
  std::vector<char> over(n), touched(n);
  std::vector<int> local(n, -1);
  std::vector<int> failedHours;
  QString firstFailure;
  for (int h = 0; h < hours; ++h) {
    if (feedback && feedback->isCancelled())
      return Error(ErrorCode::Cancelled, QStringLiteral("load balancing cancelled at hour %1").arg(h));
    bool anyToBalance = false;
    for (std::size_t i = 0; i < n; ++i) {
      before[i] = after[i] = load[i][std::size_t(h)];
      over[i] = isOver(i, before[i]) ? 1 : 0;
      touched[i] = 0;
      if (over[i] && !neighbours[i].empty()) anyToBalance = true;
    }
    // Hours with no overloaded station that has a neighbour are left as they are, without an LP.
    if (anyToBalance) {
      sets.reset();
      for (std::size_t i = 0; i < n; ++i) {
        if (!over[i] || neighbours[i].empty()) continue;
        touched[i] = 1;
        for (int j : neighbours[i]) {
          touched[std::size_t(j)] = 1;
          sets.unite(int(i), j);
        }
      }
      // Groups in order of their smallest member, each sorted: deterministic LPs and transfer order.
      std::vector<std::vector<int>> groups;
      std::vector<int> groupOfRoot(n, -1);
      for (std::size_t i = 0; i < n; ++i) {
        if (!touched[i]) continue;
        const int root = sets.find(int(i));
        if (groupOfRoot[std::size_t(root)] < 0) {
          groupOfRoot[std::size_t(root)] = int(groups.size());
          groups.emplace_back();
        }
        groups[std::size_t(groupOfRoot[std::size_t(root)])].push_back(int(i));
      }
      bool failed = false;
      for (const std::vector<int>& group : groups) {
        // A group's LP only changes its own stations; a failed one keeps them as they were.
        const glpk::Outcome outcome = balanceGroup(stations, neighbours, group, over, before, threshold, h, local, after, result.transfers);
        if (outcome != glpk::Outcome::Optimal && !failed) {
          failed = true;
          failedHours.push_back(h);
          if (firstFailure.isEmpty()) firstFailure = outcomeName(outcome);
        }
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      BalancedStation& s = result.stations[i];
      const double uBefore = before[i] / stations[i].capacity;
      const double uAfter = after[i] / stations[i].capacity;
      result.utilisationAfter[i][std::size_t(h)] = uAfter;
      s.peakBefore = std::max(s.peakBefore, uBefore);
      s.peakAfter = std::max(s.peakAfter, uAfter);
      if (over[i]) ++s.hoursOverBefore;
      if (isOver(i, after[i])) ++s.hoursOverAfter;
    }
    if (feedback && ((h + 1) % kProgressBatch == 0 || h + 1 == hours))
      feedback->setProgress(double(h + 1) / double(hours), QStringLiteral("Balancing load, hour %1 of %2").arg(h + 1).arg(hours));
  }

  for (const Transfer& t : result.transfers) {
    result.stations[std::size_t(t.from)].shed += t.amount;
    result.stations[std::size_t(t.to)].absorbed += t.amount;
    result.moved += t.amount;
  }
  for (const BalancedStation& s : result.stations) {
    result.networkPeakBefore = std::max(result.networkPeakBefore, s.peakBefore);
    result.networkPeakAfter = std::max(result.networkPeakAfter, s.peakAfter);
    result.meanPeakBefore += s.peakBefore;
    result.meanPeakAfter += s.peakAfter;
    result.stationHoursOverBefore += s.hoursOverBefore;
    result.stationHoursOverAfter += s.hoursOverAfter;
  }
  if (n > 0) {
    result.meanPeakBefore /= double(n);
    result.meanPeakAfter /= double(n);
  }

  const QString percent = QString::number(threshold * 100.0, 'g', 4);
  const QString distance = QString::number(options.neighbourDistance, 'g', 6);
  for (std::size_t i = 0; i < n; ++i)
    if (neighbours[i].empty() && result.stations[i].hoursOverBefore > 0)
      result.notes << QStringLiteral("%1: above %2 % for %3 h and no neighbour within %4 m")
                          .arg(stations[i].id, percent, QString::number(result.stations[i].hoursOverBefore), distance);
  if (!failedHours.empty()) {
    // One note, not one per hour: a solver in trouble tends to stay in trouble.
    QStringList listed;
    for (std::size_t k = 0; k < failedHours.size() && k < 10; ++k) listed << QString::number(failedHours[k]);
    if (failedHours.size() > 10) listed << QStringLiteral("…");
    result.notes << QStringLiteral(
                        "the balancing LP could not be solved for %1 h (hours %2; first: %3); "
                        "the stations involved keep their load then")
                        .arg(failedHours.size())
                        .arg(listed.join(QStringLiteral(", ")), firstFailure);
  }
  if (feedback) feedback->setProgress(1.0, QStringLiteral("Load balanced"));
  return result;
}

}  // namespace netspatial::core
