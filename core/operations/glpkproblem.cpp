#include "core/operations/glpkproblem.h"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace netspatial::core::glpk {

namespace {

int boundType(double lower, double upper) {
  const bool hasLower = std::isfinite(lower);
  const bool hasUpper = std::isfinite(upper);
  if (hasLower && hasUpper) return lower == upper ? GLP_FX : GLP_DB;
  if (hasLower) return GLP_LO;
  if (hasUpper) return GLP_UP;
  return GLP_FR;
}

double finiteOrZero(double v) { return std::isfinite(v) ? v : 0.0; }

}  // namespace

Problem::Problem() {
  glp_term_out(GLP_OFF);
  m_problem = glp_create_prob();
  glp_set_obj_dir(m_problem, GLP_MIN);
}

Problem::~Problem() { glp_delete_prob(m_problem); }

int Problem::addColumn(double lower, double upper, double cost, bool integer) {
  const int j = glp_add_cols(m_problem, 1);
  glp_set_col_bnds(m_problem, j, boundType(lower, upper), finiteOrZero(lower), finiteOrZero(upper));
  glp_set_obj_coef(m_problem, j, cost);
  if (integer) {
    // GLP_BV resets the bounds to [0, 1]: only a true 0/1 column may use it, or a fixed [0, 0] or
    // [1, 1] column would silently become free to flip.
    glp_set_col_kind(m_problem, j, lower == 0.0 && upper == 1.0 ? GLP_BV : GLP_IV);
    m_integers = true;
  }
  return j;
}

int Problem::addRow(const std::vector<int>& columns, const std::vector<double>& coefficients, double lower, double upper) {
  const int i = glp_add_rows(m_problem, 1);
  glp_set_row_bnds(m_problem, i, boundType(lower, upper), finiteOrZero(lower), finiteOrZero(upper));
  // GLPK's arrays are 1-based: element 0 is never read.
  std::vector<int> index(columns.size() + 1, 0);
  std::vector<double> value(coefficients.size() + 1, 0.0);
  for (std::size_t k = 0; k < columns.size(); ++k) {
    index[k + 1] = columns[k];
    value[k + 1] = coefficients[k];
  }
  glp_set_mat_row(m_problem, i, int(columns.size()), index.data(), value.data());
  return i;
}

Outcome Problem::solve(double timeLimitSeconds, double relativeGap) {
  const int limitMs = int(std::clamp(timeLimitSeconds * 1000.0, 1.0, double(std::numeric_limits<int>::max())));
  if (m_integers) {
    m_solvedAsMip = true;
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_ON;  // solves the LP relaxation itself
    parm.tm_lim = limitMs;
    parm.mip_gap = relativeGap;
    const int rc = glp_intopt(m_problem, &parm);
    if (rc == GLP_ENOPFS) return Outcome::Infeasible;
    const int status = glp_mip_status(m_problem);
    if (status == GLP_OPT && rc == 0) return Outcome::Optimal;
    if (status == GLP_OPT || status == GLP_FEAS) return Outcome::Feasible;
    if (status == GLP_NOFEAS) return Outcome::Infeasible;
    return Outcome::Failed;
  }
  m_solvedAsMip = false;
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_ON;
  parm.tm_lim = limitMs;
  const int rc = glp_simplex(m_problem, &parm);
  if (rc == GLP_ENOPFS) return Outcome::Infeasible;
  if (rc != 0) return Outcome::Failed;
  const int status = glp_get_status(m_problem);
  if (status == GLP_OPT) return Outcome::Optimal;
  if (status == GLP_NOFEAS || status == GLP_INFEAS) return Outcome::Infeasible;
  return Outcome::Failed;
}

double Problem::value(int column) const { return m_solvedAsMip ? glp_mip_col_val(m_problem, column) : glp_get_col_prim(m_problem, column); }

double Problem::objective() const { return m_solvedAsMip ? glp_mip_obj_val(m_problem) : glp_get_obj_val(m_problem); }

int Problem::columns() const { return glp_get_num_cols(m_problem); }

std::string version() { return std::string("GLPK ") + glp_version(); }

}  // namespace netspatial::core::glpk
