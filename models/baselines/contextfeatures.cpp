#include "netspatial/models/contextfeatures.h"

#include <algorithm>
#include <cmath>

namespace netspatial::models {

namespace {

constexpr const char* kPoiNames[kPoiCategories] = {"food",    "shopping",       "office",        "residential", "education",
                                                   "medical", "transport",      "entertainment", "hotel",       "sports_leisure",
                                                   "finance", "public_service", "industrial",    "other"};

// Simple colour/texture statistics: roofs, vegetation, shadow and road density are what separate a
// business district from a suburb or a park at 8 m per pixel.
void imageFeatures(const ModelContext& c, std::vector<double>& f) {
  const int n = c.imagePixels;
  const std::size_t plane = std::size_t(n) * std::size_t(n);
  if (c.image.empty() || n <= 0 || c.image.size() != 3 * plane) {
    f.insert(f.end(), 10, 0.0);
    f.push_back(1.0);
    return;
  }
  double mean[3] = {0, 0, 0}, sq[3] = {0, 0, 0};
  double green = 0, dark = 0, bright = 0, gradient = 0;
  for (std::size_t i = 0; i < plane; ++i) {
    const double r = c.image[i], g = c.image[plane + i], b = c.image[2 * plane + i];
    const double v[3] = {r, g, b};
    for (int k = 0; k < 3; ++k) {
      mean[k] += v[k];
      sq[k] += v[k] * v[k];
    }
    const double lum = 0.299 * r + 0.587 * g + 0.114 * b;
    if (g > r + 8 && g > b + 8) green += 1;
    if (lum < 60) dark += 1;
    if (lum > 180) bright += 1;
  }
  for (int row = 0; row < n - 1; ++row)
    for (int col = 0; col < n - 1; ++col) {
      const std::size_t i = std::size_t(row) * n + col;
      const auto lum = [&](std::size_t j) { return 0.299 * c.image[j] + 0.587 * c.image[plane + j] + 0.114 * c.image[2 * plane + j]; };
      gradient += std::abs(lum(i + 1) - lum(i)) + std::abs(lum(i + n) - lum(i));
    }
  const double count = double(plane);
  for (int k = 0; k < 3; ++k) f.push_back(mean[k] / count / 255.0);
  for (int k = 0; k < 3; ++k) {
    const double m = mean[k] / count;
    f.push_back(std::sqrt(std::max(0.0, sq[k] / count - m * m)) / 255.0);
  }
  f.push_back(green / count);
  f.push_back(dark / count);
  f.push_back(bright / count);
  f.push_back(gradient / (2.0 * (n - 1) * (n - 1)) / 255.0);
  f.push_back(0.0);
}

}  // namespace

const std::vector<std::string>& contextFeatureNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const char* p : kPoiNames) n.push_back(std::string("poi_log_count_") + p);
    n.push_back("poi_log_count_total");
    n.push_back("poi_mean_distance_km");
    n.push_back("poi_missing");
    n.push_back("population_log");
    n.push_back("population_missing");
    n.push_back("stations_nearby_log");
    n.push_back("station_macro");
    n.push_back("station_micro");
    n.push_back("station_type_missing");
    for (int z = 0; z < kZoneClasses; ++z) n.push_back("zone_class_" + std::to_string(z));
    n.push_back("zone_missing");
    for (const char* s : {"image_mean_r", "image_mean_g", "image_mean_b", "image_std_r", "image_std_g", "image_std_b", "image_vegetation",
                          "image_shadow", "image_bright", "image_gradient", "image_missing"})
      n.push_back(s);
    return n;
  }();
  return names;
}

std::vector<double> contextFeatures(const ModelContext& c) {
  std::vector<double> f;
  f.reserve(contextFeatureNames().size());
  double counts[kPoiCategories] = {};
  double distance = 0.0;
  for (const ModelPoi& p : c.pois) {
    counts[std::clamp(p.category, 0, kPoiCategories - 1)] += 1.0;
    distance += p.distance;
  }
  for (double n : counts) f.push_back(std::log1p(n));
  f.push_back(std::log1p(double(c.pois.size())));
  // No POI within the radius: the mean distance is the radius itself (nothing is closer).
  f.push_back(c.pois.empty() ? 0.5 : distance / double(c.pois.size()) / 1000.0);
  f.push_back(c.poisKnown ? 0.0 : 1.0);
  f.push_back(c.population ? std::log1p(std::max(0.0f, *c.population)) : 0.0);
  f.push_back(c.population ? 0.0 : 1.0);
  f.push_back(std::log1p(double(std::max(0, c.stationsNearby))));
  f.push_back(c.stationType == 0 ? 1.0 : 0.0);
  f.push_back(c.stationType == 1 ? 1.0 : 0.0);
  f.push_back(c.stationType == 0 || c.stationType == 1 ? 0.0 : 1.0);
  for (int z = 0; z < kZoneClasses; ++z) f.push_back(c.zoneClass == z ? 1.0 : 0.0);
  f.push_back(c.zoneClass < 0 || c.zoneClass >= kZoneClasses ? 1.0 : 0.0);
  imageFeatures(c, f);
  return f;
}

void FeatureStandardiser::fit(const std::vector<std::vector<double>>& rows) {
  const std::size_t d = rows.empty() ? 0 : rows.front().size();
  m_mean.assign(d, 0.0);
  m_scale.assign(d, 1.0);
  if (rows.empty()) return;
  for (const auto& r : rows)
    for (std::size_t j = 0; j < d; ++j) m_mean[j] += r[j];
  for (double& m : m_mean) m /= double(rows.size());
  std::vector<double> var(d, 0.0);
  for (const auto& r : rows)
    for (std::size_t j = 0; j < d; ++j) var[j] += (r[j] - m_mean[j]) * (r[j] - m_mean[j]);
  for (std::size_t j = 0; j < d; ++j) {
    const double sd = std::sqrt(var[j] / double(rows.size()));
    m_scale[j] = sd > 1e-12 ? sd : 1.0;
  }
}

std::vector<double> FeatureStandardiser::apply(const std::vector<double>& row) const {
  std::vector<double> out(row.size());
  for (std::size_t j = 0; j < row.size() && j < m_mean.size(); ++j) out[j] = (row[j] - m_mean[j]) / m_scale[j];
  return out;
}

}  // namespace netspatial::models
