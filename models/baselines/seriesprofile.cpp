#include "seriesprofile.h"

#include "netspatial/models/contextfeatures.h"

#include <string>

namespace netspatial::models::detail {

std::vector<double> weeklyMean(std::span<const float> x) {
  std::vector<double> sum(kWeekHours, 0.0);
  std::vector<int> count(kWeekHours, 0);
  for (std::size_t t = 0; t < x.size(); ++t) {
    sum[t % kWeekHours] += x[t];
    count[t % kWeekHours] += 1;
  }
  for (int h = 0; h < kWeekHours; ++h) sum[h] = count[h] ? sum[h] / count[h] : 0.0;
  return sum;
}

double seriesMean(std::span<const float> x) {
  double s = 0.0;
  for (float v : x) s += v;
  return x.empty() ? 0.0 : s / double(x.size());
}

std::mt19937_64 siteRng(std::uint64_t seed, const ModelContext& context) {
  Sha256 h;
  hashDoubles(h, contextFeatures(context));
  h.add(context.zoneKey);
  const std::string digest = h.hexDigest();
  const std::uint64_t contextKey = std::stoull(digest.substr(0, 16), nullptr, 16);
  // SplitMix64 of (seed, context): well-mixed, portable seeds for each site's stream.
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (contextKey | 1ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return std::mt19937_64(z ^ (z >> 31));
}

std::optional<ModelError> checkGenerateRequest(const std::string& id, bool fitted, int samples) {
  if (!fitted) return ModelError{ModelErrorCode::NotFitted, id + " is not fitted"};
  if (samples < 1) return ModelError{ModelErrorCode::InvalidArgument, "samples must be at least 1"};
  return std::nullopt;
}

void hashDoubles(Sha256& h, const std::vector<double>& v) {
  h.addValue(std::uint64_t(v.size()));
  if (!v.empty()) h.add(v.data(), v.size() * sizeof(double));
}

void hashFloats(Sha256& h, const std::vector<float>& v) {
  h.addValue(std::uint64_t(v.size()));
  if (!v.empty()) h.add(v.data(), v.size() * sizeof(float));
}

}  // namespace netspatial::models::detail
