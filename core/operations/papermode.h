#pragma once

// NetSpatial's own what-to-do evaluation (paper 003 §5.3.2, Eq. 19–20), exactly as printed: in the
// volatile windows of a station (rolling σ of the observed load above a quantile of its own rolling
// σ) the control target is the generated forecast, elsewhere the observed load; the energy saving
// ratio is η = 1 − Σ ρ_ctrl / Σ ρ_obs and QoE = 1 − Σ [ρ_obs − ρ_ctrl]⁺ / Σ ρ_obs.
//
// What η measures: with the EARTH model's idle power cancelled, η is the share of load-proportional
// power removed by serving less than was offered. Since Σ(ρ_obs − ρ_ctrl) ≤ Σ[ρ_obs − ρ_ctrl]⁺,
// η ≤ 1 − QoE always: every percent "saved" is a percent of demand not served. It is not a sleep
// schedule's saving (sleepstudy.h measures that, with idle power).

#include <QString>

#include <vector>

namespace netspatial::core {

struct PaperModeOptions {
  int windowHours = 6;              //!< trailing window of the rolling σ (hours t − w + 1 … t)
  double volatilityQuantile = 0.8;  //!< a station's hour is volatile when its rolling σ exceeds this quantile of them
};

struct PaperModeStation {
  std::vector<double> control;   //!< ρ_ctrl per hour
  std::vector<char> isVolatile;  //!< per hour
  int volatileHours = 0;
  double eta = 0.0;  //!< Eq. 19
  double qoe = 1.0;  //!< Eq. 20
};

//! Eq. 19 and Eq. 20 on any two series of the same length (0 and 1 when Σ ρ_obs is 0; NaN hours skipped).
double energySavingRatio(const std::vector<double>& observed, const std::vector<double>& control);
double paperQoe(const std::vector<double>& observed, const std::vector<double>& control);

//! One station: `observed` and `generated` (e.g. the forecast's sample mean) on the same hours.
PaperModeStation paperModeStation(const std::vector<double>& observed, const std::vector<double>& generated,
                                  const PaperModeOptions& options = {});

struct PaperModeResult {
  std::vector<PaperModeStation> stations;
  double eta = 0.0;  //!< network-wide: sums over stations and hours
  double qoe = 1.0;
};

//! Every station ([station][hour]); network-wide η and QoE sum over stations and hours.
PaperModeResult paperMode(const std::vector<std::vector<double>>& observed, const std::vector<std::vector<double>>& generated,
                          const PaperModeOptions& options = {});

}  // namespace netspatial::core
