#include "core/traffic/decomposition.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace netspatial::core {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

bool isWeekday(std::size_t t) { return (t / kHoursPerDay) % 7 < 5; }

// Means of the valid values falling into each of `slots` bins chosen by `slotOf`.
template <typename SlotOf>
std::vector<float> binnedMeans(std::span<const float> x, std::size_t slots, SlotOf slotOf) {
  std::vector<double> sum(slots, 0.0);
  std::vector<int> count(slots, 0);
  for (std::size_t t = 0; t < x.size(); ++t) {
    if (std::isnan(x[t])) continue;
    const std::size_t s = slotOf(t);
    sum[s] += x[t];
    ++count[s];
  }
  std::vector<float> mean(slots, kNaN);
  for (std::size_t s = 0; s < slots; ++s)
    if (count[s] > 0) mean[s] = float(sum[s] / count[s]);
  return mean;
}

}  // namespace

std::vector<float> dailyTemplates(std::span<const float> x) {
  return binnedMeans(x, 2 * kHoursPerDay, [](std::size_t t) { return (isWeekday(t) ? 0 : kHoursPerDay) + t % kHoursPerDay; });
}

std::vector<float> weeklyMeanProfile(std::span<const float> x) {
  return binnedMeans(x, kHoursPerWeek, [](std::size_t t) { return t % kHoursPerWeek; });
}

std::vector<float> weeklyFromDaily(std::span<const float> daily48) {
  std::vector<float> w(kHoursPerWeek, kNaN);
  if (daily48.size() != 2 * kHoursPerDay) return w;
  for (std::size_t t = 0; t < kHoursPerWeek; ++t) w[t] = daily48[(isWeekday(t) ? 0 : kHoursPerDay) + t % kHoursPerDay];
  return w;
}

std::vector<float> repeatWeekly(std::span<const float> weekly168, std::size_t hours) {
  std::vector<float> u(hours, kNaN);
  if (weekly168.size() != kHoursPerWeek) return u;
  for (std::size_t t = 0; t < hours; ++t) u[t] = weekly168[t % kHoursPerWeek];
  return u;
}

int peakHourOf(std::span<const float> profile24) {
  int best = -1;
  for (int h = 0; h < int(std::min<std::size_t>(profile24.size(), kHoursPerDay)); ++h)
    if (!std::isnan(profile24[std::size_t(h)]) && (best < 0 || profile24[std::size_t(h)] > profile24[std::size_t(best)])) best = h;
  return best;
}

Result<Decomposition> decompose(std::span<const float> x) {
  if (x.size() < std::size_t(kHoursPerWeek))
    return Error(ErrorCode::InvalidArgument, QStringLiteral("a series of %1 hours is shorter than one week (168 h)").arg(x.size()));
  Decomposition d;
  d.daily = dailyTemplates(x);
  d.weekly = weeklyMeanProfile(x);
  d.periodic = repeatWeekly(d.weekly, x.size());
  d.residual.resize(x.size());
  for (std::size_t t = 0; t < x.size(); ++t)
    d.residual[t] =
        std::isnan(x[t]) || std::isnan(d.periodic[t]) ? std::numeric_limits<double>::quiet_NaN() : double(x[t]) - double(d.periodic[t]);
  d.peakHourWeekday = peakHourOf(std::span<const float>(d.daily).first(kHoursPerDay));
  return d;
}

}  // namespace netspatial::core
