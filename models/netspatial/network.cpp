#include "network.h"
#include "netspatial/models/contextfeatures.h"

namespace netspatial::models::netspatialnet {

NetImpl::NetImpl(const NetSpatialConfig& c) {
  const int d = c.embedDim, k = c.conditionDim;
  image = register_module("image", ImageEncoder(d));
  poi = register_module("poi", PoiEncoder(d));
  fusion = register_module("fusion", Fusion(d));
  conditioner = register_module("conditioner", torch::nn::Sequential(torch::nn::Linear(d + kSiteScalars, 2 * k), torch::nn::SiLU(),
                                                                     torch::nn::Linear(2 * k, k), torch::nn::SiLU()));
  project1 = register_module("project1", torch::nn::Linear(k, k));
  project2 = register_module("project2", torch::nn::Linear(k, k));
  project3 = register_module("project3", torch::nn::Linear(k, k));
  peakClassifier =
      register_module("peak_classifier", c.peakHidden > 0 ? torch::nn::Sequential(torch::nn::Linear(d + kSiteScalars, c.peakHidden),
                                                                                  torch::nn::SiLU(), torch::nn::Linear(c.peakHidden, 24))
                                                          : torch::nn::Sequential(torch::nn::Linear(d + kSiteScalars, 24)));
  peak1 = register_module("peak1", torch::nn::Embedding(24, k));
  peak2 = register_module("peak2", torch::nn::Embedding(24, k));
  peak3 = register_module("peak3", torch::nn::Embedding(24, k));
  // With the template, level 1 also sees it (in its own space), so the velocity can tell the
  // source's centre from its noise.
  level1 = register_module(
      "level1", VelocityNet(kDaily, k + (c.useTemplate ? kDaily : 0) + (c.observedNeighbours > 0 ? kNeighbourExtras1 : 0), c.hidden1));
  level2 = register_module("level2", VelocityNet(kWeekly, k + kShapeExtras2, c.hidden2));
  level3 =
      register_module("level3", VelocityNet(kMonthly, k + kShapeExtras3 + (c.observedNeighbours > 0 ? kNeighbourExtras3 : 0), c.hidden3));
  if (c.observedNeighbours > 0) {
    memoryXy = register_buffer("memory_xy", torch::zeros({0, 2}));
    memoryValues = register_buffer("memory_values", torch::zeros({0, kMemoryColumns}));
  }
  if (c.usePriorMean) {
    prior1 = register_module("prior1", torch::nn::Sequential(torch::nn::Linear(k, k), torch::nn::SiLU(), torch::nn::Linear(k, kDaily)));
    prior2 = register_module(
        "prior2", torch::nn::Sequential(torch::nn::Linear(k + kShapeExtras2, k), torch::nn::SiLU(), torch::nn::Linear(k, kWeekly)));
  }
  if (c.useTemplate) {
    templateVolume = register_module("template_volume", torch::nn::Linear(int(contextFeatureNames().size()), kTemplateHeads));
    for (auto& p : templateVolume->parameters()) p.set_requires_grad(false);
    templateShapes = register_buffer("template_shapes", torch::ones({kZoneClasses + 1, kDaily}));
    if (c.templateShapeRidge) {
      templateShape = register_module("template_shape", torch::nn::Linear(int(contextFeatureNames().size()), kTemplateHeads * kDaily));
      for (auto& p : templateShape->parameters()) p.set_requires_grad(false);
    }
  }
  levelStats = register_buffer("level_stats", torch::tensor({0.0f, 1.0f, 1.0f, 5.0f, 5.0f, 3.0f}));
}

namespace {
// A profile's shape (mean 1) and its log level: levels 2–3 are scale-free, the level still informs.
std::pair<torch::Tensor, torch::Tensor> shapeAndLevel(const torch::Tensor& x) {
  auto mean = x.mean(1, true).clamp_min(0.0f) + kEpsilon;
  return {x / mean, torch::log(mean) / 5.0f};
}
}  // namespace

Template dailyTemplate(NetImpl& net, const torch::Tensor& g, const torch::Tensor& referenceFeatures) {
  Template t;
  const auto scalars = g.narrow(1, g.size(1) - kSiteScalars, kSiteScalars);
  // The zone's mean shape, or the mean of all training sites where the zone is unknown or hidden.
  auto known = scalars.narrow(1, kScalarZoneKnown, 1);
  auto weights = torch::cat({scalars.narrow(1, kScalarZone, kZoneClasses), 1.0f - known}, 1);
  t.shape = weights.mm(net.templateShapes);
  // One ridge per combination of zone and station type known, so a site missing either gets the
  // regression fitted without it rather than an extrapolation.
  auto typeKnown = scalars.narrow(1, kScalarStationType + 2, 1);
  auto head = ((1.0f - known).round() + 2.0f * (1.0f - typeKnown).round()).to(torch::kInt64);  // [B,1] in 0..3
  auto all = net.templateVolume(referenceFeatures);                                            // [B,4]
  t.logVolume = all.gather(1, head);
  if (net.templateShape) {
    // A linear shape can dip below zero where a regression extrapolates; the level space is a log.
    auto shapes = net.templateShape(referenceFeatures).view({-1, kTemplateHeads, kDaily});
    t.shape = shapes.gather(1, head.unsqueeze(2).expand({-1, 1, kDaily})).squeeze(1).clamp_min(kMinTemplateShape);
  }
  t.daily = torch::exp(t.logVolume) * t.shape;
  return t;
}

torch::Tensor level2Context(const torch::Tensor& c2, const torch::Tensor& daily) {
  auto [shape, level] = shapeAndLevel(daily);
  return torch::cat({c2, shape, level}, 1);
}

torch::Tensor level3Context(const torch::Tensor& c3, const torch::Tensor& daily, const torch::Tensor& weekly) {
  auto [dShape, level] = shapeAndLevel(daily);
  auto [wShape, unused] = shapeAndLevel(weekly);
  return torch::cat({c3, wShape, dShape, level}, 1);
}

}  // namespace netspatial::models::netspatialnet
