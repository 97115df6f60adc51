#include "core/planning/siteutilities.h"

#include <algorithm>
#include <cmath>

namespace netspatial::core {

namespace {
struct UtilityInfo {
  Utility utility;
  const char* name;
  const char* label;
};
constexpr UtilityInfo kUtilities[kUtilityCount] = {
    {Utility::Lsi, "lsi", "Load Stability Index 1/(σ+10⁻⁶)"},
    {Utility::MeanDemand, "mean", "Mean demand"},
    {Utility::PeakP95, "p95", "Peak demand (95th percentile)"},
    {Utility::StabilityWeighted, "mean_over_sigma", "Stability-weighted demand (mean/σ)"},
    {Utility::Composite, "composite", "Composite (weighted percentile ranks)"},
};

// Linear interpolation between order statistics (the "type 7" definition of R and NumPy).
double quantile(std::vector<float> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * double(v.size() - 1);
  const std::size_t lo = std::size_t(std::floor(pos)), hi = std::min(v.size() - 1, lo + 1);
  return double(v[lo]) + (pos - double(lo)) * (double(v[hi]) - double(v[lo]));
}
}  // namespace

QString utilityName(Utility u) { return QString::fromLatin1(kUtilities[int(u)].name); }
QString utilityLabel(Utility u) { return QString::fromUtf8(kUtilities[int(u)].label); }
std::optional<Utility> utilityFromName(const QString& name) {
  for (const auto& info : kUtilities)
    if (name.compare(QLatin1String(info.name), Qt::CaseInsensitive) == 0) return info.utility;
  return std::nullopt;
}
QStringList utilityNames() {
  QStringList out;
  for (const auto& info : kUtilities) out << QString::fromLatin1(info.name);
  return out;
}

Result<std::vector<SiteUtilities>> computeSiteUtilities(const std::vector<SiteSamples>& sites, double scale) {
  if (!(scale > 0.0) || !std::isfinite(scale))
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the normalisation scale must be positive, not %1").arg(scale));
  std::vector<SiteUtilities> out;
  out.reserve(sites.size());
  for (const SiteSamples& site : sites) {
    if (site.samples.empty()) return Error(ErrorCode::InvalidValue, QStringLiteral("site %1 has no generated samples").arg(site.siteId));
    SiteUtilities u;
    u.siteId = site.siteId;
    u.position = site.position;
    const std::size_t hours = site.samples.front().size();
    if (hours < 2) return Error(ErrorCode::InvalidValue, QStringLiteral("site %1: a sample needs at least 2 hours").arg(site.siteId));
    for (std::size_t k = 0; k < site.samples.size(); ++k) {
      const std::vector<float>& x = site.samples[k];
      if (x.size() != hours)
        return Error(ErrorCode::InvalidValue,
                     QStringLiteral("site %1: sample %2 has %3 hours, sample 0 has %4").arg(site.siteId).arg(k).arg(x.size()).arg(hours));
      double sum = 0.0;
      for (float v : x) {
        if (!std::isfinite(v))
          return Error(ErrorCode::InvalidValue, QStringLiteral("site %1: sample %2 has a non-finite value").arg(site.siteId).arg(k));
        sum += v;
      }
      const double mean = sum / double(hours);
      double ss = 0.0;
      for (float v : x) ss += (double(v) - mean) * (double(v) - mean);
      SampleUtilities s;
      s.mean = mean;
      s.sigma = std::sqrt(ss / double(hours)) / scale;  // population σ over the 672 hours
      s.p95 = quantile(x, 0.95);
      u.perSample.push_back(s);
    }
    const double n = double(u.perSample.size());
    for (const SampleUtilities& s : u.perSample) {
      u.sigma += s.sigma / n;
      u.mean += s.mean / n;
      u.p95 += s.p95 / n;
    }
    u.lsi = 1.0 / (u.sigma + 1e-6);
    u.stability = u.sigma > 0.0 ? u.mean / u.sigma : 0.0;
    out.push_back(std::move(u));
  }
  return out;
}

double utilityValue(const SiteUtilities& s, Utility u) {
  switch (u) {
    case Utility::Lsi:
      return s.lsi;
    case Utility::MeanDemand:
      return s.mean;
    case Utility::PeakP95:
      return s.p95;
    case Utility::StabilityWeighted:
      return s.stability;
    case Utility::Composite:
      break;
  }
  return std::nan("");
}

double utilityValue(const SampleUtilities& s, Utility u) {
  switch (u) {
    case Utility::Lsi:
      return s.lsi();
    case Utility::MeanDemand:
      return s.mean;
    case Utility::PeakP95:
      return s.p95;
    case Utility::StabilityWeighted:
      return s.stability();
    case Utility::Composite:
      break;
  }
  return std::nan("");
}

}  // namespace netspatial::core
