#include "core/operations/papermode.h"

#include <algorithm>
#include <cmath>

namespace netspatial::core {

namespace {

double quantileOf(std::vector<double> values, double q) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const double pos = std::clamp(q, 0.0, 1.0) * double(values.size() - 1);
  const std::size_t lo = std::size_t(std::floor(pos));
  const std::size_t hi = std::min(values.size() - 1, lo + 1);
  return values[lo] + (values[hi] - values[lo]) * (pos - double(lo));
}

}  // namespace

double energySavingRatio(const std::vector<double>& observed, const std::vector<double>& control) {
  double obs = 0.0, ctrl = 0.0;
  for (std::size_t t = 0; t < std::min(observed.size(), control.size()); ++t) {
    if (!std::isfinite(observed[t]) || !std::isfinite(control[t])) continue;
    obs += observed[t];
    ctrl += control[t];
  }
  return obs > 0.0 ? 1.0 - ctrl / obs : 0.0;
}

double paperQoe(const std::vector<double>& observed, const std::vector<double>& control) {
  double obs = 0.0, shortfall = 0.0;
  for (std::size_t t = 0; t < std::min(observed.size(), control.size()); ++t) {
    if (!std::isfinite(observed[t]) || !std::isfinite(control[t])) continue;
    obs += observed[t];
    shortfall += std::max(observed[t] - control[t], 0.0);
  }
  return obs > 0.0 ? 1.0 - shortfall / obs : 1.0;
}

PaperModeStation paperModeStation(const std::vector<double>& observed, const std::vector<double>& generated,
                                  const PaperModeOptions& options) {
  PaperModeStation out;
  const std::size_t n = std::min(observed.size(), generated.size());
  const int w = std::max(2, options.windowHours);
  // Trailing rolling σ of the observed load; the first w − 1 hours have no full window.
  std::vector<double> sigma(n, std::nan(""));
  std::vector<double> known;
  for (std::size_t t = std::size_t(w - 1); t < n; ++t) {
    double sum = 0.0, sum2 = 0.0;
    int count = 0;
    for (std::size_t k = t + 1 - std::size_t(w); k <= t; ++k) {
      if (!std::isfinite(observed[k])) continue;
      sum += observed[k];
      sum2 += observed[k] * observed[k];
      ++count;
    }
    if (count < 2) continue;
    const double mean = sum / count;
    sigma[t] = std::sqrt(std::max(0.0, sum2 / count - mean * mean));
    known.push_back(sigma[t]);
  }
  const double cut = quantileOf(known, options.volatilityQuantile);
  out.control.assign(observed.begin(), observed.begin() + std::ptrdiff_t(n));
  out.isVolatile.assign(n, 0);
  for (std::size_t t = 0; t < n; ++t) {
    if (!std::isfinite(sigma[t]) || !(sigma[t] > cut) || !std::isfinite(generated[t])) continue;
    out.isVolatile[t] = 1;
    out.control[t] = generated[t];
    ++out.volatileHours;
  }
  const std::vector<double> head(observed.begin(), observed.begin() + std::ptrdiff_t(n));
  out.eta = energySavingRatio(head, out.control);
  out.qoe = paperQoe(head, out.control);
  return out;
}

PaperModeResult paperMode(const std::vector<std::vector<double>>& observed, const std::vector<std::vector<double>>& generated,
                          const PaperModeOptions& options) {
  PaperModeResult result;
  double obs = 0.0, ctrl = 0.0, shortfall = 0.0;
  for (std::size_t s = 0; s < std::min(observed.size(), generated.size()); ++s) {
    result.stations.push_back(paperModeStation(observed[s], generated[s], options));
    const auto& c = result.stations.back().control;
    for (std::size_t t = 0; t < c.size(); ++t) {
      if (!std::isfinite(observed[s][t]) || !std::isfinite(c[t])) continue;
      obs += observed[s][t];
      ctrl += c[t];
      shortfall += std::max(observed[s][t] - c[t], 0.0);
    }
  }
  result.eta = obs > 0.0 ? 1.0 - ctrl / obs : 0.0;
  result.qoe = obs > 0.0 ? 1.0 - shortfall / obs : 1.0;
  return result;
}

}  // namespace netspatial::core
