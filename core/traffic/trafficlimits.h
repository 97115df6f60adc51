#pragma once

// The bounds every traffic importer holds values to. Series are stored as float: 1e300 would
// become +Inf, and every sum and σ after it with it. No traffic in any unit comes near the bound,
// so a larger value is a broken file, refused at its row (issue 20).

namespace netspatial::core {

inline constexpr double kMaxTrafficValue = 1e15;

}  // namespace netspatial::core
