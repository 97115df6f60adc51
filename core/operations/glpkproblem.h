#pragma once

// A thin RAII owner of a GLPK problem (glp_prob), for the operations module's integer and linear
// programs. GLPK's terminal output is silenced; a solver failure comes back as a code, never as an
// abort. Internal to core: callers see only the scheduler's and balancer's results.

#include <string>
#include <vector>

struct glp_prob;

namespace netspatial::core::glpk {

enum class Outcome {
  Optimal,     //!< proven optimal (within the relative gap asked)
  Feasible,    //!< a feasible solution, not proven optimal (time limit)
  Infeasible,  //!< no feasible solution exists
  Failed,      //!< the solver stopped without a solution (time limit before any, numerical trouble)
};

class Problem {
 public:
  Problem();
  ~Problem();
  Problem(const Problem&) = delete;
  Problem& operator=(const Problem&) = delete;

  //! Adds a column with bounds [lower, upper] (upper = +inf allowed) and objective coefficient;
  //! returns its 1-based index.
  int addColumn(double lower, double upper, double cost, bool integer = false);
  //! Adds a row Σ coefficients ≤ upper (lower = −inf) / ≥ lower / range; returns its 1-based index.
  int addRow(const std::vector<int>& columns, const std::vector<double>& coefficients, double lower, double upper);
  //! Minimises. `timeLimitSeconds` bounds the branch and bound; `relativeGap` stops it early.
  Outcome solve(double timeLimitSeconds = 10.0, double relativeGap = 1e-6);
  double value(int column) const;  //!< after solve: the column's value in the solution
  double objective() const;
  int columns() const;
  bool hasIntegers() const { return m_integers; }

 private:
  glp_prob* m_problem = nullptr;
  bool m_integers = false;
  bool m_solvedAsMip = false;
};

//! "GLPK 5.0": for provenance.
std::string version();

}  // namespace netspatial::core::glpk
