#include "core/traffic/metrics.h"

#include "core/traffic/decomposition.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace netspatial::core {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Error invalid(const QString& message) { return Error(ErrorCode::InvalidArgument, message); }

bool valid(float a, float b) { return !std::isnan(a) && !std::isnan(b); }

//! Checks that real and generated are non-empty, have the same sites and one common series length.
std::optional<Error> checkSets(const TrafficSet& real, const TrafficSet& generated) {
  if (real.empty() || generated.empty()) return invalid(QStringLiteral("empty traffic set"));
  if (real.size() != generated.size())
    return invalid(QStringLiteral("real has %1 sites, generated %2").arg(real.size()).arg(generated.size()));
  const size_t n = real.front().size();
  if (n == 0) return invalid(QStringLiteral("empty traffic series"));
  for (size_t i = 0; i < real.size(); ++i)
    if (real[i].size() != n || generated[i].size() != n)
      return invalid(QStringLiteral("series of site %1 differ in length from %2 hours").arg(i).arg(n));
  return std::nullopt;
}

std::optional<Error> checkDaily(const TrafficSet& real) {
  const size_t n = real.front().size();
  if (n % 24 != 0) return invalid(QStringLiteral("series length %1 is not a whole number of days").arg(n));
  return std::nullopt;
}

//! Fraction-weighted KL in base 2 between two normalised histograms; p>0 bins only.
double jsdFromHistograms(const std::vector<double>& p, const std::vector<double>& q) {
  double klp = 0.0, klq = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    const double m = 0.5 * (p[i] + q[i]);
    if (p[i] > 0.0) klp += p[i] * std::log2(p[i] / m);
    if (q[i] > 0.0) klq += q[i] * std::log2(q[i] / m);
  }
  return std::clamp(0.5 * (klp + klq), 0.0, 1.0);
}

//! Normalised histogram of values over [lo, hi]; out-of-range values clamp to the end bins.
std::vector<double> histogram(const std::vector<double>& values, double lo, double hi) {
  std::vector<double> h(kMetricHistogramBins, 0.0);
  if (values.empty()) return h;
  const double width = (hi - lo) / kMetricHistogramBins;
  for (double v : values) {
    int bin = width > 0.0 ? static_cast<int>(std::floor((v - lo) / width)) : 0;
    bin = std::clamp(bin, 0, kMetricHistogramBins - 1);
    h[static_cast<size_t>(bin)] += 1.0;
  }
  for (double& x : h) x /= static_cast<double>(values.size());
  return h;
}

//! Pairwise-valid values of both sets, pooled.
void pooledValues(const TrafficSet& real, const TrafficSet& generated, std::vector<double>& r, std::vector<double>& g) {
  for (size_t i = 0; i < real.size(); ++i)
    for (size_t t = 0; t < real[i].size(); ++t)
      if (valid(real[i][t], generated[i][t])) {
        r.push_back(real[i][t]);
        g.push_back(generated[i][t]);
      }
}

//! The two 100-bin value histograms over [0, max of both] (jsd and jsdSymKl); false if no data.
bool valueHistograms(const TrafficSet& real, const TrafficSet& generated, std::vector<double>& p, std::vector<double>& q) {
  std::vector<double> r, g;
  pooledValues(real, generated, r, g);
  if (r.empty()) return false;
  double hi = 0.0;
  for (double v : r) hi = std::max(hi, v);
  for (double v : g) hi = std::max(hi, v);
  p = histogram(r, 0.0, hi);
  q = histogram(g, 0.0, hi);
  return true;
}

//! DFT bin k = T/24 of the pairwise-valid hours, as sinusoid amplitude 2|X_k|/n_valid.
double dailyAmplitude(const std::vector<float>& x, const std::vector<float>& other) {
  const size_t n = x.size();
  const double omega = 2.0 * std::numbers::pi * static_cast<double>(n / 24) / static_cast<double>(n);
  double re = 0.0, im = 0.0;
  size_t count = 0;
  for (size_t t = 0; t < n; ++t) {
    if (!valid(x[t], other[t])) continue;
    // Reduce the phase index modulo one period (24 h) to keep the argument small and exact.
    const double phase = omega * static_cast<double>(t % 24);
    re += x[t] * std::cos(phase);
    im -= x[t] * std::sin(phase);
    ++count;
  }
  if (count == 0) return kNaN;
  return 2.0 * std::hypot(re, im) / static_cast<double>(count);
}

bool isWeekday(size_t hour) { return (hour / 24) % 7 < 5; }

//! Hour (0–23) of the largest weekday mean, over pairwise-valid hours; -1 if none. The weekday
//! template is the decomposition's (NetSpatial §4.3 d_wk), so metrics and generators agree on it.
int weekdayPeakHour(const std::vector<float>& x, const std::vector<float>& other) {
  std::vector<float> masked(x.size());
  for (size_t t = 0; t < x.size(); ++t) masked[t] = valid(x[t], other[t]) ? x[t] : std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> daily = dailyTemplates(masked);
  return peakHourOf(std::span<const float>(daily).first(24));
}

//! Weekday mean / weekend mean over pairwise-valid hours; NaN if undefined.
double weekdayWeekendRatio(const std::vector<float>& x, const std::vector<float>& other) {
  double wd = 0.0, we = 0.0;
  int nwd = 0, nwe = 0;
  for (size_t t = 0; t < x.size(); ++t) {
    if (!valid(x[t], other[t])) continue;
    if (isWeekday(t)) {
      wd += x[t];
      ++nwd;
    } else {
      we += x[t];
      ++nwe;
    }
  }
  if (nwd == 0 || nwe == 0) return kNaN;
  const double weMean = we / nwe;
  if (!(weMean > 0.0)) return kNaN;
  return (wd / nwd) / weMean;
}

//! Checks an ensemble's shape against real; out: the number of samples per site may vary (≥ 1).
std::optional<Error> checkEnsemble(const TrafficSet& real, const TrafficEnsemble& generated) {
  if (real.empty() || generated.empty()) return invalid(QStringLiteral("empty traffic set"));
  if (real.size() != generated.size())
    return invalid(QStringLiteral("real has %1 sites, generated %2").arg(real.size()).arg(generated.size()));
  const size_t n = real.front().size();
  if (n == 0) return invalid(QStringLiteral("empty traffic series"));
  for (size_t i = 0; i < real.size(); ++i) {
    if (real[i].size() != n) return invalid(QStringLiteral("real series of site %1 has wrong length").arg(i));
    if (generated[i].empty()) return invalid(QStringLiteral("no generated samples for site %1").arg(i));
    for (const auto& s : generated[i])
      if (s.size() != n) return invalid(QStringLiteral("generated sample of site %1 has wrong length").arg(i));
  }
  return std::nullopt;
}

}  // namespace

// --- point errors --------------------------------------------------------------------------------

Result<double> mae(TrafficSeries real, TrafficSeries generated) {
  if (real.empty() || real.size() != generated.size()) return invalid(QStringLiteral("series empty or of different lengths"));
  double sum = 0.0;
  size_t n = 0;
  for (size_t t = 0; t < real.size(); ++t)
    if (valid(real[t], generated[t])) {
      sum += std::abs(double(real[t]) - double(generated[t]));
      ++n;
    }
  return n ? sum / static_cast<double>(n) : kNaN;
}

Result<double> rmse(TrafficSeries real, TrafficSeries generated) {
  if (real.empty() || real.size() != generated.size()) return invalid(QStringLiteral("series empty or of different lengths"));
  double sum = 0.0;
  size_t n = 0;
  for (size_t t = 0; t < real.size(); ++t)
    if (valid(real[t], generated[t])) {
      const double d = double(real[t]) - double(generated[t]);
      sum += d * d;
      ++n;
    }
  return n ? std::sqrt(sum / static_cast<double>(n)) : kNaN;
}

Result<double> mae(const TrafficSet& real, const TrafficSet& generated) {
  if (auto e = checkSets(real, generated)) return *e;
  double sum = 0.0;
  size_t n = 0;
  for (size_t i = 0; i < real.size(); ++i)
    for (size_t t = 0; t < real[i].size(); ++t)
      if (valid(real[i][t], generated[i][t])) {
        sum += std::abs(double(real[i][t]) - double(generated[i][t]));
        ++n;
      }
  return n ? sum / static_cast<double>(n) : kNaN;
}

Result<double> rmse(const TrafficSet& real, const TrafficSet& generated) {
  if (auto e = checkSets(real, generated)) return *e;
  double sum = 0.0;
  size_t n = 0;
  for (size_t i = 0; i < real.size(); ++i)
    for (size_t t = 0; t < real[i].size(); ++t)
      if (valid(real[i][t], generated[i][t])) {
        const double d = double(real[i][t]) - double(generated[i][t]);
        sum += d * d;
        ++n;
      }
  return n ? std::sqrt(sum / static_cast<double>(n)) : kNaN;
}

// --- distribution divergences --------------------------------------------------------------------

Result<double> jsd(const TrafficSet& real, const TrafficSet& generated) {
  if (auto e = checkSets(real, generated)) return *e;
  std::vector<double> p, q;
  if (!valueHistograms(real, generated, p, q)) return kNaN;
  return jsdFromHistograms(p, q);
}

Result<double> jsdDiff(const TrafficSet& real, const TrafficSet& generated) {
  if (auto e = checkSets(real, generated)) return *e;
  if (real.front().size() < 2) return invalid(QStringLiteral("first-order differences need ≥ 2 hours"));
  std::vector<double> r, g;
  for (size_t i = 0; i < real.size(); ++i)
    for (size_t t = 0; t + 1 < real[i].size(); ++t)
      if (valid(real[i][t], generated[i][t]) && valid(real[i][t + 1], generated[i][t + 1])) {
        r.push_back(double(real[i][t + 1]) - double(real[i][t]));
        g.push_back(double(generated[i][t + 1]) - double(generated[i][t]));
      }
  if (r.empty()) return kNaN;
  const auto [rlo, rhi] = std::minmax_element(r.begin(), r.end());
  const auto [glo, ghi] = std::minmax_element(g.begin(), g.end());
  const double lo = std::min(*rlo, *glo), hi = std::max(*rhi, *ghi);
  return jsdFromHistograms(histogram(r, lo, hi), histogram(g, lo, hi));
}

Result<double> jsdSymKl(const TrafficSet& real, const TrafficSet& generated) {
  if (auto e = checkSets(real, generated)) return *e;
  std::vector<double> p, q;
  if (!valueHistograms(real, generated, p, q)) return kNaN;
  const double norm = 1.0 + kSymKlEpsilon * kMetricHistogramBins;
  double klpq = 0.0, klqp = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    const double pi = (p[i] + kSymKlEpsilon) / norm, qi = (q[i] + kSymKlEpsilon) / norm;
    klpq += pi * std::log(pi / qi);
    klqp += qi * std::log(qi / pi);
  }
  return std::sqrt(std::max(0.0, 0.5 * (klpq + klqp)));
}

Result<double> jsdTemporal(const TrafficSet& real, const TrafficSet& generated) {
  if (auto e = checkSets(real, generated)) return *e;
  double total = 0.0;
  size_t sites = 0;
  for (size_t i = 0; i < real.size(); ++i) {
    std::vector<double> p, q;
    double sp = 0.0, sq = 0.0;
    bool negative = false;
    for (size_t t = 0; t < real[i].size(); ++t) {
      if (!valid(real[i][t], generated[i][t])) continue;
      p.push_back(real[i][t]);
      q.push_back(generated[i][t]);
      sp += real[i][t];
      sq += generated[i][t];
      negative = negative || real[i][t] < 0.0f || generated[i][t] < 0.0f;
    }
    if (p.empty() || negative || !(sp > 0.0) || !(sq > 0.0)) continue;
    for (double& v : p) v /= sp;
    for (double& v : q) v /= sq;
    total += jsdFromHistograms(p, q);
    ++sites;
  }
  return sites ? total / static_cast<double>(sites) : kNaN;
}

// --- probabilistic ------------------------------------------------------------------------------

Result<double> crps(const TrafficSet& real, const TrafficEnsemble& generated) {
  if (auto e = checkEnsemble(real, generated)) return *e;
  double total = 0.0;
  size_t n = 0;
  std::vector<double> xs;
  for (size_t i = 0; i < real.size(); ++i)
    for (size_t t = 0; t < real[i].size(); ++t) {
      const float y = real[i][t];
      if (std::isnan(y)) continue;
      xs.clear();
      for (const auto& s : generated[i])
        if (!std::isnan(s[t])) xs.push_back(s[t]);
      if (xs.empty()) continue;
      std::sort(xs.begin(), xs.end());
      const double m = static_cast<double>(xs.size());
      double absErr = 0.0, spread = 0.0;
      for (size_t k = 0; k < xs.size(); ++k) {
        absErr += std::abs(xs[k] - double(y));
        // Σ_{j,k}|x_j − x_k| = 2 Σ_k (2k − m + 1) x_(k) for 0-based sorted k.
        spread += (2.0 * static_cast<double>(k) - m + 1.0) * xs[k];
      }
      total += absErr / m - spread / (m * m);  // ½·(2·spread)/m²
      ++n;
    }
  return n ? total / static_cast<double>(n) : kNaN;
}

// --- temporal structure -------------------------------------------------------------------------

Result<double> dailyFftRmse(const TrafficSet& real, const TrafficSet& generated) {
  if (auto e = checkSets(real, generated)) return *e;
  if (auto e = checkDaily(real)) return *e;
  double sum = 0.0;
  size_t sites = 0;
  for (size_t i = 0; i < real.size(); ++i) {
    const double a = dailyAmplitude(real[i], generated[i]);
    const double b = dailyAmplitude(generated[i], real[i]);
    if (std::isnan(a) || std::isnan(b)) continue;
    sum += (a - b) * (a - b);
    ++sites;
  }
  return sites ? std::sqrt(sum / static_cast<double>(sites)) : kNaN;
}

Result<double> peakHourAccuracy(const TrafficSet& real, const TrafficSet& generated) {
  if (auto e = checkSets(real, generated)) return *e;
  if (auto e = checkDaily(real)) return *e;
  size_t hits = 0, sites = 0;
  for (size_t i = 0; i < real.size(); ++i) {
    const int a = weekdayPeakHour(real[i], generated[i]);
    const int b = weekdayPeakHour(generated[i], real[i]);
    if (a < 0 || b < 0) continue;
    hits += a == b ? 1 : 0;
    ++sites;
  }
  return sites ? static_cast<double>(hits) / static_cast<double>(sites) : kNaN;
}

Result<double> weekdayWeekendRatioError(const TrafficSet& real, const TrafficSet& generated) {
  if (auto e = checkSets(real, generated)) return *e;
  if (auto e = checkDaily(real)) return *e;
  if (real.front().size() < 6 * 24) return invalid(QStringLiteral("weekday/weekend ratio needs ≥ 6 days"));
  double sum = 0.0;
  size_t sites = 0;
  for (size_t i = 0; i < real.size(); ++i) {
    const double a = weekdayWeekendRatio(real[i], generated[i]);
    const double b = weekdayWeekendRatio(generated[i], real[i]);
    if (std::isnan(a) || std::isnan(b)) continue;
    sum += std::abs(a - b);
    ++sites;
  }
  return sites ? sum / static_cast<double>(sites) : kNaN;
}

Result<double> corr(const TrafficSet& real, const TrafficSet& generated) {
  if (auto e = checkSets(real, generated)) return *e;
  double total = 0.0;
  size_t sites = 0;
  for (size_t i = 0; i < real.size(); ++i) {
    double mx = 0.0, my = 0.0;
    size_t n = 0;
    for (size_t t = 0; t < real[i].size(); ++t)
      if (valid(real[i][t], generated[i][t])) {
        mx += real[i][t];
        my += generated[i][t];
        ++n;
      }
    if (n < 2) continue;
    mx /= static_cast<double>(n);
    my /= static_cast<double>(n);
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (size_t t = 0; t < real[i].size(); ++t)
      if (valid(real[i][t], generated[i][t])) {
        const double dx = real[i][t] - mx, dy = generated[i][t] - my;
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
      }
    if (!(sxx > 0.0) || !(syy > 0.0)) continue;
    total += std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
    ++sites;
  }
  return sites ? total / static_cast<double>(sites) : kNaN;
}

// --- all at once --------------------------------------------------------------------------------

double MetricTable::value(const QString& name) const {
  const auto it = values.find(name);
  return it == values.end() ? kNaN : it->second;
}

const std::vector<QString>& MetricTable::names() {
  static const std::vector<QString> kNames = {QStringLiteral("mae"),           QStringLiteral("rmse"),
                                              QStringLiteral("jsd"),           QStringLiteral("jsd_diff"),
                                              QStringLiteral("jsd_symkl"),     QStringLiteral("jsd_temporal"),
                                              QStringLiteral("crps"),          QStringLiteral("daily_fft_rmse"),
                                              QStringLiteral("peak_hour_acc"), QStringLiteral("weekday_weekend_ratio_err"),
                                              QStringLiteral("corr")};
  return kNames;
}

Result<MetricTable> evaluateAll(const TrafficSet& real, const TrafficEnsemble& generated) {
  if (auto e = checkEnsemble(real, generated)) return *e;
  const size_t hours = real.front().size();

  // Sample mean per site and hour (NaN samples ignored; NaN where every sample is missing).
  TrafficSet mean(real.size(), std::vector<float>(hours, std::numeric_limits<float>::quiet_NaN()));
  // All samples pooled: the real series repeated once per sample, so pairing stays site/hour-wise.
  TrafficSet pooledReal, pooledGen;
  size_t maxSamples = 0;
  for (size_t i = 0; i < real.size(); ++i) {
    maxSamples = std::max(maxSamples, generated[i].size());
    for (size_t t = 0; t < hours; ++t) {
      double s = 0.0;
      int n = 0;
      for (const auto& sample : generated[i])
        if (!std::isnan(sample[t])) {
          s += sample[t];
          ++n;
        }
      if (n) mean[i][t] = static_cast<float>(s / n);
    }
    for (const auto& sample : generated[i]) {
      pooledReal.push_back(real[i]);
      pooledGen.push_back(sample);
    }
  }

  MetricTable table;
  auto put = [&](const char* name, const Result<double>& r) { table.values[QString::fromLatin1(name)] = r.ok() ? r.value() : kNaN; };
  put("mae", mae(real, mean));
  put("rmse", rmse(real, mean));
  put("corr", corr(real, mean));
  put("jsd", jsd(pooledReal, pooledGen));
  put("jsd_diff", jsdDiff(pooledReal, pooledGen));
  put("jsd_symkl", jsdSymKl(pooledReal, pooledGen));
  put("crps", crps(real, generated));

  // Per-realisation metrics: sample k of every site that has one, averaged over k.
  using Fn = Result<double> (*)(const TrafficSet&, const TrafficSet&);
  auto perSample = [&](const char* name, Fn fn) {
    double sum = 0.0;
    int n = 0;
    for (size_t k = 0; k < maxSamples; ++k) {
      TrafficSet r, g;
      for (size_t i = 0; i < real.size(); ++i)
        if (k < generated[i].size()) {
          r.push_back(real[i]);
          g.push_back(generated[i][k]);
        }
      const Result<double> v = fn(r, g);
      if (v.ok() && !std::isnan(v.value())) {
        sum += v.value();
        ++n;
      }
    }
    table.values[QString::fromLatin1(name)] = n ? sum / n : kNaN;
  };
  perSample("jsd_temporal", &jsdTemporal);
  perSample("daily_fft_rmse", &dailyFftRmse);
  perSample("peak_hour_acc", &peakHourAccuracy);
  perSample("weekday_weekend_ratio_err", &weekdayWeekendRatioError);
  return table;
}

}  // namespace netspatial::core
