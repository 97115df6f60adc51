#include "ui/inspector/siteprofiles.h"

#include "core/traffic/decomposition.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>

namespace netspatial::ui {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Linear-interpolated quantile of sorted values (the "type 7" definition numpy and R default to).
float quantileOfSorted(const std::vector<float>& sorted, double q) {
  const double pos = q * double(sorted.size() - 1);
  const auto lo = std::size_t(std::floor(pos));
  const auto hi = std::min(lo + 1, sorted.size() - 1);
  return float(sorted[lo] + (pos - double(lo)) * (sorted[hi] - sorted[lo]));
}

struct Spread {
  std::vector<float> mean, low, high;
};

// Per index, the mean and band of the valid values across `rows` (rows may differ in length).
Spread spreadAcross(const std::vector<std::vector<float>>& rows, std::size_t length, bool quantileBand) {
  Spread s{std::vector<float>(length, kNaN), std::vector<float>(length, kNaN), std::vector<float>(length, kNaN)};
  std::vector<float> values;
  values.reserve(rows.size());
  for (std::size_t i = 0; i < length; ++i) {
    values.clear();
    for (const auto& row : rows)
      if (i < row.size() && !std::isnan(row[i])) values.push_back(row[i]);
    if (values.empty()) continue;
    double sum = 0.0;
    for (float v : values) sum += v;
    s.mean[i] = float(sum / double(values.size()));
    std::sort(values.begin(), values.end());
    s.low[i] = quantileBand ? quantileOfSorted(values, 0.1) : values.front();
    s.high[i] = quantileBand ? quantileOfSorted(values, 0.9) : values.back();
  }
  return s;
}

bool hasAnyValue(const std::vector<float>& x) {
  return std::any_of(x.begin(), x.end(), [](float v) { return !std::isnan(v); });
}

}  // namespace

QString SiteProfiles::bandLabel() const { return bandIsQuantile ? QStringLiteral("10–90 %") : QStringLiteral("min–max"); }

SiteProfiles SiteProfiles::compute(const InspectedSite& site) {
  SiteProfiles p;
  // Samples without a single value (a failed generation) would only drag the band to nothing.
  std::vector<std::vector<float>> samples;
  for (const auto& s : site.samples)
    if (hasAnyValue(s)) samples.push_back(s);
  p.sampleCount = int(samples.size());
  if (hasAnyValue(site.observed)) p.observed = site.observed;

  for (const auto& s : samples) p.hours = std::max(p.hours, s.size());
  p.hours = std::max(p.hours, p.observed.size());
  p.bandIsQuantile = p.sampleCount >= kQuantileBandMinSamples;

  if (p.hasGenerated()) {
    Spread hourly = spreadAcross(samples, p.hours, p.bandIsQuantile);
    p.mean = std::move(hourly.mean);
    if (p.sampleCount >= 2) {
      p.bandLow = std::move(hourly.low);
      p.bandHigh = std::move(hourly.high);
    }
    // Profiles per sample, then across samples: the weekly band then shows how much the samples'
    // typical weeks differ, which is what the band of a profile should mean.
    std::vector<std::vector<float>> weekly, daily;
    for (const auto& s : samples) {
      weekly.push_back(core::weeklyMeanProfile(std::span<const float>(s)));
      daily.push_back(core::dailyTemplates(std::span<const float>(s)));
    }
    Spread w = spreadAcross(weekly, core::kHoursPerWeek, p.bandIsQuantile);
    p.weeklyMean = std::move(w.mean);
    if (p.sampleCount >= 2) {
      p.weeklyLow = std::move(w.low);
      p.weeklyHigh = std::move(w.high);
    }
    p.daily = spreadAcross(daily, 2 * core::kHoursPerDay, false).mean;
  }
  if (p.hasObserved()) {
    p.observedWeekly = core::weeklyMeanProfile(std::span<const float>(p.observed));
    p.observedDaily = core::dailyTemplates(std::span<const float>(p.observed));
  }
  return p;
}

}  // namespace netspatial::ui
