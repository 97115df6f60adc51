#include "sitetensors.h"
#include "netspatial/models/contextfeatures.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <numeric>

namespace netspatial::models::netspatialnet {

namespace {

std::uint64_t fnv1a(const char* data, std::size_t n) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= 1099511628211ull;
  }
  return h;
}

// The context extractor delivers 64 px; other sizes (external callers) are resampled bilinearly.
torch::Tensor imageTensor(const ModelContext& c) {
  const int n = c.imagePixels;
  auto t = torch::from_blob(const_cast<std::uint8_t*>(c.image.data()), {1, 3, n, n}, torch::kUInt8).clone();
  if (n == kImagePixels) return t[0];
  auto f = torch::nn::functional::interpolate(t.to(torch::kFloat32), torch::nn::functional::InterpolateFuncOptions()
                                                                         .size(std::vector<int64_t>{kImagePixels, kImagePixels})
                                                                         .mode(torch::kBilinear)
                                                                         .align_corners(false));
  return f.round().clamp(0, 255).to(torch::kUInt8)[0];
}

}  // namespace

std::vector<std::int64_t> nameNgrams(const std::string& name) {
  std::string s = "^";
  for (char ch : name) s += ch == ' ' ? '$' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  s += '$';
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i + 3 <= s.size() && int(out.size()) < kNgramsPerName; ++i)
    out.push_back(1 + std::int64_t(fnv1a(s.data() + i, 3) % std::uint64_t(kNgramBuckets - 1)));
  return out;
}

SiteTensors makeSiteTensors(const std::vector<ModelContext>& contexts, int maxPois, bool withReferenceFeatures) {
  const auto b = std::int64_t(contexts.size());
  const int k = std::max(1, maxPois);
  SiteTensors t;
  t.image = torch::zeros({b, 3, kImagePixels, kImagePixels}, torch::kUInt8);
  t.imageMissing = torch::zeros({b}, torch::kBool);
  t.poiCategory = torch::zeros({b, k}, torch::kInt64);
  t.poiNgrams = torch::zeros({b, k, kNgramsPerName}, torch::kInt64);
  t.poiNumeric = torch::zeros({b, k, kPoiNumeric});
  t.poiValid = torch::zeros({b, k}, torch::kBool);
  t.poiHistogram = torch::zeros({b, kPoiCategories});
  t.poisMissing = torch::zeros({b}, torch::kBool);
  t.scalars = torch::zeros({b, kSiteScalars});
  if (withReferenceFeatures) {
    t.referenceFeatures = torch::zeros({b, std::int64_t(contextFeatureNames().size())});
    auto rf = t.referenceFeatures.accessor<float, 2>();
    for (std::int64_t i = 0; i < b; ++i) {
      const std::vector<double> f = contextFeatures(contexts[std::size_t(i)]);
      for (std::size_t j = 0; j < f.size(); ++j) rf[i][std::int64_t(j)] = float(f[j]);
    }
  }
  auto cat = t.poiCategory.accessor<std::int64_t, 2>();
  auto ngr = t.poiNgrams.accessor<std::int64_t, 3>();
  auto num = t.poiNumeric.accessor<float, 3>();
  auto val = t.poiValid.accessor<bool, 2>();
  auto hist = t.poiHistogram.accessor<float, 2>();
  auto miss = t.poisMissing.accessor<bool, 1>();
  auto imiss = t.imageMissing.accessor<bool, 1>();
  auto sc = t.scalars.accessor<float, 2>();
  for (std::int64_t i = 0; i < b; ++i) {
    const ModelContext& c = contexts[std::size_t(i)];
    const bool hasImage = c.imagePixels > 0 && c.image.size() == std::size_t(3) * std::size_t(c.imagePixels) * std::size_t(c.imagePixels);
    if (hasImage)
      t.image[i].copy_(imageTensor(c));
    else
      imiss[i] = true;
    std::vector<std::size_t> order(c.pois.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t z) { return c.pois[a].distance < c.pois[z].distance; });
    const int kept = std::min<int>(k, int(order.size()));
    for (int j = 0; j < kept; ++j) {
      const ModelPoi& p = c.pois[order[std::size_t(j)]];
      const int category = std::clamp(p.category, 0, kPoiCategories - 1);
      cat[i][j] = category;
      const auto grams = nameNgrams(p.name);
      for (std::size_t g = 0; g < grams.size(); ++g) ngr[i][j][std::int64_t(g)] = grams[g];
      const float d = std::clamp(p.distance / 500.0f, 0.0f, 1.5f);
      num[i][j][0] = d;
      num[i][j][1] = d * d;
      num[i][j][2] = std::sin(p.bearing);
      num[i][j][3] = std::cos(p.bearing);
      num[i][j][4] = std::exp(-p.distance / 150.0f);
      val[i][j] = true;
      hist[i][category] += 1.0f / float(kept);
    }
    miss[i] = !c.poisKnown || kept == 0;
    // Site scalars: what the paper's Shanghai data lacked but DESIGN §5 provides (population),
    // each with its own known/unknown flag.
    sc[i][0] = c.population ? std::log1p(std::max(0.0f, *c.population)) / 10.0f : 0.0f;
    sc[i][1] = c.population ? 1.0f : 0.0f;
    sc[i][2] = c.poisKnown ? std::log1p(float(c.pois.size())) / 5.0f : 0.0f;
    sc[i][3] = c.poisKnown ? 1.0f : 0.0f;
    sc[i][4] = std::min(float(c.stationsNearby), 30.0f) / 10.0f;
    if (c.poisKnown) {
      std::array<int, kPoiCategories> counts{};
      for (const ModelPoi& p : c.pois) ++counts[std::size_t(std::clamp(p.category, 0, kPoiCategories - 1))];
      for (int k2 = 0; k2 < kPoiCategories; ++k2) sc[i][kScalarPoiCounts + k2] = std::log1p(float(counts[std::size_t(k2)])) / 3.0f;
    }
    if (c.stationType == 0 || c.stationType == 1) {
      sc[i][kScalarStationType + c.stationType] = 1.0f;
      sc[i][kScalarStationType + 2] = 1.0f;
    }
    if (c.zoneClass >= 0 && c.zoneClass < kZoneClasses) {
      sc[i][kScalarZone + c.zoneClass] = 1.0f;
      sc[i][kScalarZoneKnown] = 1.0f;
    }
  }
  return t;
}

torch::Tensor poiScalarMask() {
  auto m = torch::zeros({kSiteScalars}, torch::kBool);
  m[2] = true;
  m[3] = true;
  m.narrow(0, kScalarPoiCounts, kPoiCategories).fill_(true);
  return m;
}

torch::Tensor zoneScalarMask() {
  auto m = torch::zeros({kSiteScalars}, torch::kBool);
  m.narrow(0, kScalarZone, kZoneClasses + 1).fill_(true);
  return m;
}

torch::Tensor stationTypeScalarMask() {
  auto m = torch::zeros({kSiteScalars}, torch::kBool);
  m.narrow(0, kScalarStationType, 3).fill_(true);
  return m;
}

torch::Tensor hideReferenceFeatures(const torch::Tensor& features, const torch::Tensor& hideZone, const torch::Tensor& hideType) {
  // Column roles by name, so this follows contextFeatures() if its order ever changes.
  static const auto columns = [] {
    const auto& names = contextFeatureNames();
    auto zoneValue = torch::zeros({std::int64_t(names.size())}), zoneUnknown = zoneValue.clone();
    auto typeValue = zoneValue.clone(), typeUnknown = zoneValue.clone();
    for (std::size_t j = 0; j < names.size(); ++j) {
      const std::string& n = names[j];
      if (n.rfind("zone_class_", 0) == 0) zoneValue[std::int64_t(j)] = 1.0f;
      if (n == "zone_missing") zoneUnknown[std::int64_t(j)] = 1.0f;
      if (n == "station_macro" || n == "station_micro") typeValue[std::int64_t(j)] = 1.0f;
      if (n == "station_type_missing") typeUnknown[std::int64_t(j)] = 1.0f;
    }
    return std::array<torch::Tensor, 4>{zoneValue, zoneUnknown, typeValue, typeUnknown};
  }();
  auto out = features;
  const auto apply = [&](const torch::Tensor& hide, const torch::Tensor& value, const torch::Tensor& unknown) {
    auto h = hide.to(features.options()).unsqueeze(1);
    auto v = value.to(features.device()).unsqueeze(0), u = unknown.to(features.device()).unsqueeze(0);
    out = out * (1 - h * (v + u)) + h * u;  // hidden rows: the values 0, the "missing" flag 1
  };
  apply(hideZone, columns[0], columns[1]);
  apply(hideType, columns[2], columns[3]);
  return out;
}

torch::Tensor ablateReferenceFeatures(const torch::Tensor& features, const NetSpatialConfig& config) {
  if (!config.useConditioning) return torch::zeros_like(features);
  const auto& names = contextFeatureNames();
  auto keep = torch::ones({std::int64_t(names.size())}), missing = torch::zeros({std::int64_t(names.size())});
  for (std::size_t j = 0; j < names.size(); ++j) {
    const std::string& n = names[j];
    const bool poi = n.rfind("poi_", 0) == 0, image = n.rfind("image_", 0) == 0;
    if ((poi && !config.usePois) || (image && !config.useImage)) {
      keep[std::int64_t(j)] = 0.0f;
      if (n == "poi_missing" || n == "image_missing") missing[std::int64_t(j)] = 1.0f;
    }
  }
  keep = keep.to(features.device()).unsqueeze(0);
  missing = missing.to(features.device()).unsqueeze(0);
  return features * keep + missing;
}

SiteTensors SiteTensors::index(const torch::Tensor& rows) const {
  return {image.index_select(0, rows),        imageMissing.index_select(0, rows),
          poiCategory.index_select(0, rows),  poiNgrams.index_select(0, rows),
          poiNumeric.index_select(0, rows),   poiValid.index_select(0, rows),
          poiHistogram.index_select(0, rows), poisMissing.index_select(0, rows),
          scalars.index_select(0, rows),      referenceFeatures.defined() ? referenceFeatures.index_select(0, rows) : torch::Tensor()};
}

SiteTensors SiteTensors::to(const torch::Device& device) const {
  return {image.to(device),        imageMissing.to(device),
          poiCategory.to(device),  poiNgrams.to(device),
          poiNumeric.to(device),   poiValid.to(device),
          poiHistogram.to(device), poisMissing.to(device),
          scalars.to(device),      referenceFeatures.defined() ? referenceFeatures.to(device) : torch::Tensor()};
}

}  // namespace netspatial::models::netspatialnet
