#pragma once

// Evaluation metrics for generated vs real cellular traffic (DESIGN.md §7). Each function names the
// paper and equation it follows. Conventions shared by all of them:
//  - Inputs are already normalised (divided by the dataset scale).
//  - A *series* is one site's hourly values; a *set* is sites × hours; an *ensemble* is
//    sites × samples × hours. All series of one call must have the same length; real and generated
//    must have the same number of sites.
//  - NaN marks a missing hour and is skipped pairwise everywhere: an hour (or, for CRPS, a sample)
//    is used only where both the real and the generated value are present.
//  - Malformed input (empty, mismatched shapes/lengths, too short for the metric) gives an Error
//    with ErrorCode::InvalidArgument. Well-formed input on which the metric is undefined (e.g.
//    every hour missing, every series constant for corr) gives an ok Result holding NaN.
//  - Nothing throws.

#include "core/util/result.h"

#include <QString>

#include <map>
#include <span>
#include <vector>

namespace netspatial::core {

using TrafficSeries = std::span<const float>;
using TrafficSet = std::vector<std::vector<float>>;                    // sites × hours
using TrafficEnsemble = std::vector<std::vector<std::vector<float>>>;  // sites × samples × hours

//! Number of bins of every value/difference histogram (DESIGN.md §7).
inline constexpr int kMetricHistogramBins = 100;
//! ε added to every histogram bin by jsdSymKl before renormalising.
inline constexpr double kSymKlEpsilon = 1e-10;

// --- point errors --------------------------------------------------------------------------------

//! MAE over all pairwise-valid hours of one series (NetSpatial Eq. 17, OpenDiff Eq. 17).
Result<double> mae(TrafficSeries real, TrafficSeries generated);
//! RMSE over all pairwise-valid hours of one series (OpenDiff Eq. 18, STOUTER Eq. 21).
Result<double> rmse(TrafficSeries real, TrafficSeries generated);
//! MAE per hour and same site, averaged over all valid points of the set (NetSpatial Eq. 17).
Result<double> mae(const TrafficSet& real, const TrafficSet& generated);
//! RMSE per hour and same site, sqrt of the mean squared error over all valid points (OpenDiff Eq. 18).
Result<double> rmse(const TrafficSet& real, const TrafficSet& generated);

// --- distribution divergences --------------------------------------------------------------------

//! Jensen–Shannon divergence, log base 2, in [0,1], with mixture M=(P+Q)/2 (STOUTER Eq. 22–23),
//! between 100-bin histograms over [0, max of both sets] of all real vs all generated values.
//! Values below 0 fall in the first bin. Only pairwise-valid (site, hour) points are counted.
Result<double> jsd(const TrafficSet& real, const TrafficSet& generated);
//! As jsd, on first-order differences x[t+1]−x[t] within each series, histogram range [min,max] of
//! both difference sets (NetSpatial §5 "First-order Difference", ADAPTIVE §5.1.3); a difference is
//! used only where all four of its endpoint values are present.
Result<double> jsdDiff(const TrafficSet& real, const TrafficSet& generated);
//! sqrt((KL(P‖Q)+KL(Q‖P))/2), natural log, on the jsd histograms after adding ε=1e-10 to every bin
//! and renormalising, as printed in NetSpatial Eq. 18 / ADAPTIVE Eq. 9. NOT a true JSD: unbounded,
//! no mixture; reported only for comparability with those papers' tables.
Result<double> jsdSymKl(const TrafficSet& real, const TrafficSet& generated);
//! Per site, each series (pairwise-valid hours) normalised to sum 1 over time and compared with the
//! base-2 mixture JSD; mean over sites (OpenDiff App. A.1.2 normalisation; STOUTER Eq. 23 formula).
//! Sites where either series sums to ≤ 0 or contains negative values are skipped.
Result<double> jsdTemporal(const TrafficSet& real, const TrafficSet& generated);

// --- probabilistic ------------------------------------------------------------------------------

//! CRPS of the empirical sample distribution per site and hour, energy form
//! E|X−y| − ½E|X−X'| (exactly the integral of OpenDiff Eq. 19 for the empirical CDF; E over all
//! M² sample pairs), averaged over all valid (site, hour). generated is sites × samples × hours;
//! NaN samples are dropped per hour.
Result<double> crps(const TrafficSet& real, const TrafficEnsemble& generated);

// --- temporal structure -------------------------------------------------------------------------

//! Daily-frequency component (ADAPTIVE §5.1.3): per site the DFT bin k = T/24 (period 24 h) is
//! computed over the pairwise-valid hours, X_k = Σ x_t e^{−2πi k t/T}, and its magnitude is
//! normalised to a sinusoid amplitude |X_k|·2/n_valid (so A·cos(2πt/24+φ) gives A). Returns the
//! RMSE over sites of real minus generated magnitude. Requires T a positive multiple of 24.
Result<double> dailyFftRmse(const TrafficSet& real, const TrafficSet& generated);
//! Fraction of sites whose weekday mean daily profile peaks at the same hour (argmax, first on
//! ties). Series start Monday 00:00; weekdays are days d with d mod 7 < 5. Requires T a positive
//! multiple of 24. Sites with no valid weekday hour are skipped.
Result<double> peakHourAccuracy(const TrafficSet& real, const TrafficSet& generated);
//! Mean over sites of |r_real − r_gen|, r = (mean of weekday hours)/(mean of weekend hours), same
//! weekday convention as peakHourAccuracy. Requires T a multiple of 24 covering ≥ 6 days. Sites with
//! a weekend mean ≤ 0 (either series) are skipped.
Result<double> weekdayWeekendRatioError(const TrafficSet& real, const TrafficSet& generated);
//! Pearson correlation per site over pairwise-valid hours, mean over sites; sites where either
//! series is constant (zero variance) are skipped.
Result<double> corr(const TrafficSet& real, const TrafficSet& generated);

// --- all at once --------------------------------------------------------------------------------

//! The DESIGN.md §7 table for one generator. Names, exactly: mae, rmse, jsd, jsd_diff, jsd_symkl,
//! jsd_temporal, crps, daily_fft_rmse, peak_hour_acc, weekday_weekend_ratio_err, corr.
struct MetricTable {
  std::map<QString, double> values;
  //! The value of one metric, NaN when absent.
  double value(const QString& name) const;
  static const std::vector<QString>& names();
};

//! Computes every metric of MetricTable::names() for real (sites × hours) against a generated
//! ensemble (sites × samples × hours):
//!  - mae, rmse, corr: the per-hour sample mean (NaN samples ignored) vs real;
//!  - jsd, jsd_diff, jsd_symkl: all samples pooled into the generated histogram;
//!  - crps: the ensemble as is;
//!  - jsd_temporal, daily_fft_rmse, peak_hour_acc, weekday_weekend_ratio_err: each sample as one
//!    realisation vs real, the metric averaged over samples (profiles of a mean are over-smooth).
//! A metric whose own preconditions fail (e.g. T not a multiple of 24) is NaN in the table; a
//! malformed ensemble (empty, shape mismatch, ragged) is an InvalidArgument error.
Result<MetricTable> evaluateAll(const TrafficSet& real, const TrafficEnsemble& generated);

}  // namespace netspatial::core
