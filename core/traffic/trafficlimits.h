#pragma once

#include <cstddef>

// The bounds every traffic importer holds values to. Series are stored as float: 1e300 would
// become +Inf, and every sum and σ after it with it. No traffic in any unit comes near the bound,
// so a larger value is a broken file, refused at its row (issue 20).

namespace netspatial::core {

inline constexpr double kMaxTrafficValue = 1e15;

//! The longest hourly series anything holds: 20 years. A mistyped year (9999) would otherwise
//! stretch every series of a project to millions of hours, allocated, saved and simulated.
inline constexpr std::size_t kMaxSeriesHours = 24u * 366u * 20u;

}  // namespace netspatial::core
