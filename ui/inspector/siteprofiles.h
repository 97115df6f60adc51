#pragma once

#include "ui/inspector/inspectedsite.h"

#include <cstddef>
#include <vector>

namespace netspatial::ui {

//! What the inspector plots, computed from an InspectedSite: the per-hour band and mean across
//! the samples, and the weekly and daily profiles of the generated and observed series (with
//! core's weeklyMeanProfile and dailyTemplates, so the plots agree with the decomposition the
//! models and metrics use). NaN marks a value that no valid hour supports.
struct SiteProfiles {
  //! At or above this many samples the band is the 10–90 % quantile range (robust to one wild
  //! sample); below it, quantiles of a handful of values mean little, so the band is min–max.
  static constexpr int kQuantileBandMinSamples = 10;

  std::size_t hours = 0;  //!< length of the longest series (samples or observed)
  int sampleCount = 0;
  bool bandIsQuantile = false;  //!< 10–90 % rather than min–max

  std::vector<float> mean;     //!< per hour, mean across samples; empty without samples
  std::vector<float> bandLow;  //!< per hour, empty with fewer than 2 samples
  std::vector<float> bandHigh;
  std::vector<float> observed;  //!< the observed series as given; empty when absent

  std::vector<float> weeklyMean;  //!< 168: mean across samples of each sample's weekly profile
  std::vector<float> weeklyLow;   //!< 168: band across the per-sample weekly profiles (≥ 2 samples)
  std::vector<float> weeklyHigh;
  std::vector<float> observedWeekly;  //!< 168, empty without observed data

  std::vector<float> daily;          //!< 48 = weekday ‖ weekend, mean across samples' templates
  std::vector<float> observedDaily;  //!< 48, empty without observed data

  bool hasGenerated() const { return sampleCount > 0; }
  bool hasObserved() const { return !observed.empty(); }
  bool isEmpty() const { return !hasGenerated() && !hasObserved(); }
  //! "min–max" or "10–90 %", for legends.
  QString bandLabel() const;

  static SiteProfiles compute(const InspectedSite& site);
};

}  // namespace netspatial::ui
