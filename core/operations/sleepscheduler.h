#pragma once

// Hourly base-station sleep decisions (DESIGN.md §9; OpenDiff §5.1 Eq. 14 with the EARTH power model):
// each hour, choose the stations that sleep and the awake neighbours that absorb their load, within
// the neighbours' capacity headroom, minimising network power. An integer program per connected
// group of stations (GLPK's branch and cut); a greedy heuristic for groups past a size.
//
// The program for one hour, with s_i ∈ {0,1} (i sleeps) and f_ij ≥ 0 (load of i served by j):
//   min Σ_j [ (1−s_j) N_j P0_j + s_j N_j Psleep_j + (N_j Δp_j Pmax_j / C_j) Σ_i f_ij ] + M Σ_i u_i
//   Σ_j f_ij + u_i = L_i                 (every load is served, or counted unserved at a high cost M)
//   Σ_i f_ij ≤ (1 − s_j) U C_j          (an awake station is filled to at most U of its capacity)
//   f_ii = 0 when i sleeps; f_ij only for j = i or j a neighbour of i
// Unserved load u_i exists only when a station's own forecast exceeds U C_i: the program stays
// feasible and says so instead of failing.

#include "core/operations/stationnetwork.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QStringList>

#include <vector>

namespace netspatial::core {

struct SleepOptions {
  double neighbourDistance = 500.0;  //!< metres: who may absorb a sleeping station's load
  //! Headroom: a station absorbing load is filled to at most this share of its capacity. A station's
  //! own load is never capped by it (it may run hotter on its own traffic, up to capacity).
  double maxUtilisation = 0.9;
  //! Groups of connected stations up to this size are solved exactly; larger ones greedily.
  //! Measured (`netspatial-bench --benchmarks sleep`, README): up to 14–15 stations GLPK proves the
  //! optimum in tens of milliseconds; from 16 it hits the time limit more and more often, and from 18
  //! nearly always, so each group-hour then costs the whole limit.
  int exactGroupLimit = 15;
  double timeLimitSeconds = 0.5;  //!< per integer program; the best solution found by then is used
  double relativeGap = 1e-6;
};

//! A share of a sleeping station's load that a neighbour takes.
struct Handover {
  int to = -1;
  double share = 0.0;  //!< of the sleeping station's load; a station's shares sum to 1
};

struct HourDecision {
  std::vector<char> asleep;                      //!< per station
  std::vector<std::vector<Handover>> handovers;  //!< per station: who takes its load (asleep only)
  double plannedPowerW = 0.0;                    //!< network power on the decision load
  double plannedUnserved = 0.0;                  //!< decision load nobody can carry
};

enum class SolveMethod { Exact, TimeLimited, Greedy };

struct SleepSchedule {
  int stationCount = 0;
  std::vector<HourDecision> hours;
  int exactSolves = 0;        //!< group-hours solved to optimality
  int timeLimitedSolves = 0;  //!< group-hours where the time limit stopped GLPK with a feasible solution
  int greedySolves = 0;       //!< group-hours solved greedily (too large, or GLPK found nothing)
  double solveSeconds = 0.0;
  QStringList notes;  //!< stations that can never sleep and why, overloaded stations, …

  bool asleep(int station, int hour) const { return hours[std::size_t(hour)].asleep[std::size_t(station)] != 0; }
};

//! Decisions for every hour of `decisionLoad` ([station][hour], the scenario's traffic unit).
//! Errors name the station: non-positive capacity, unusable power parameters, a NaN or negative load,
//! mismatched lengths. Cancelling returns ErrorCode::Cancelled.
Result<SleepSchedule> planSleepSchedule(const std::vector<OperationsStation>& stations,
                                        const std::vector<std::vector<double>>& decisionLoad, const SleepOptions& options,
                                        Feedback* feedback = nullptr);

//! One hour, by the integer program (all stations as one group) or greedily: for tests and for
//! measuring where the greedy takes over. `load` holds one value per station.
HourDecision planHourExact(const std::vector<OperationsStation>& stations, const std::vector<std::vector<int>>& neighbours,
                           const std::vector<double>& load, const SleepOptions& options, SolveMethod* method = nullptr);
HourDecision planHourGreedy(const std::vector<OperationsStation>& stations, const std::vector<std::vector<int>>& neighbours,
                            const std::vector<double>& load, const SleepOptions& options);

//! Network power of a decision on a load (each awake station at its own load plus what it absorbs,
//! capped at its capacity); the unserved part goes to `unserved` when given.
double networkPowerW(const std::vector<OperationsStation>& stations, const HourDecision& decision, const std::vector<double>& load,
                     double* unserved = nullptr);

}  // namespace netspatial::core
