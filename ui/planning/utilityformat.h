#pragma once

// How the planning views name and print utilities. Shared by the heat map's legend and the ranking
// table so that a value reads the same in both places.

#include "core/planning/siteutilities.h"

#include <QString>

#include <algorithm>
#include <cmath>

namespace netspatial::ui {

//! A short column or legend name: "LSI", "Mean", "p95", "Mean/σ", "Composite".
inline QString utilityShortName(core::Utility u) {
  switch (u) {
    case core::Utility::Lsi:
      return QStringLiteral("LSI");
    case core::Utility::MeanDemand:
      return QStringLiteral("Mean");
    case core::Utility::PeakP95:
      return QStringLiteral("p95");
    case core::Utility::StabilityWeighted:
      return QStringLiteral("Mean/σ");
    case core::Utility::Composite:
      return QStringLiteral("Composite");
  }
  return {};
}

//! The unit a utility's values carry, given the traffic unit ("MB/h"). LSI is 1/σ with σ in
//! normalised units, and the composite is a weighted percentile rank: both have none.
inline QString utilityUnit(core::Utility u, const QString& trafficUnit) {
  switch (u) {
    case core::Utility::MeanDemand:
    case core::Utility::PeakP95:
      return trafficUnit;
    case core::Utility::StabilityWeighted:
      return trafficUnit.isEmpty() ? QString() : trafficUnit + QStringLiteral(" per σ");
    case core::Utility::Lsi:
    case core::Utility::Composite:
      return {};
  }
  return {};
}

//! A number with about `significant` significant digits in fixed notation (engineers compare
//! columns digit by digit; 1.2e+02 next to 98.7 reads badly), falling back to exponent notation
//! for the very large or very small values (an LSI of 10⁶ for a perfectly flat series).
inline QString formatUtilityValue(double v, int significant = 4) {
  if (!std::isfinite(v)) return QStringLiteral("—");
  const double a = std::abs(v);
  if (a == 0.0) return QStringLiteral("0");
  if (a >= 1e6 || a < 1e-3) return QString::number(v, 'g', significant);
  const int magnitude = int(std::floor(std::log10(a)));
  const int decimals = std::max(0, significant - 1 - magnitude);
  return QString::number(v, 'f', decimals);
}

}  // namespace netspatial::ui
