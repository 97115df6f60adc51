#pragma once

// Periodic/residual decomposition of hourly traffic (NetSpatial, paper 003: Eq. 1–4 and the
// targets of §4.3). Series start on Monday 00:00 local time; hour t is day ⌊t/24⌋, weekday when
// ⌊t/24⌋ mod 7 < 5. NaN marks a missing hour: templates average the valid hours only.

#include "core/util/result.h"

#include <span>
#include <vector>

namespace netspatial::core {

inline constexpr int kHoursPerDay = 24;
inline constexpr int kHoursPerWeek = 168;

struct Decomposition {
  std::vector<float> daily;     //!< d = [d_weekday ‖ d_weekend] ∈ R^48 (§4.3 d_tar)
  std::vector<float> weekly;    //!< w ∈ R^168: mean profile of each day of the week (§4.3 w_tar)
  std::vector<float> periodic;  //!< u = Rep(w), same length as x (Eq. 3)
  //! r = x − u (Eq. 4), in double: with u rounded to float, x − u is exact, so u + r == x exactly
  //! (as doubles) for every hour — the round trip loses nothing. NaN where x is missing.
  std::vector<double> residual;
  int peakHourWeekday = -1;  //!< argmax of d_weekday, 0–23 (-1 when all missing)
};

//! d_w and d_e: mean hourly profile over weekdays and over weekend days (48 values).
std::vector<float> dailyTemplates(std::span<const float> x);
//! Mean hourly profile of each day of the week (168 values), across the weeks of `x`.
std::vector<float> weeklyMeanProfile(std::span<const float> x);
//! Eq. 2: the weekly template built from the two daily templates (5 weekdays, then 2 weekend days).
std::vector<float> weeklyFromDaily(std::span<const float> daily48);
//! Eq. 3 / Rep(·): `weekly` tiled to `hours`.
std::vector<float> repeatWeekly(std::span<const float> weekly168, std::size_t hours);
//! Hour (0–23) of the largest value of a 24-hour profile, the earliest on ties; -1 if all missing.
int peakHourOf(std::span<const float> profile24);
//! The whole decomposition; fails on an empty series or one shorter than a week.
Result<Decomposition> decompose(std::span<const float> x);

}  // namespace netspatial::core
