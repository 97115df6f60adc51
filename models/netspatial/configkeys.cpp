#include "netspatial/models/netspatialconfigkeys.h"

namespace netspatial::models {

const std::vector<NetSpatialConfigKey>& netSpatialConfigKeys() {
  using C = NetSpatialConfig;
  static const std::vector<NetSpatialConfigKey> table{
      {"embed_dim", &C::embedDim, 1, false, nullptr, true},
      {"condition_dim", &C::conditionDim, 1, false, nullptr, true},
      {"hidden1", &C::hidden1, 1, false, nullptr, true},
      {"hidden2", &C::hidden2, 1, false, nullptr, true},
      {"hidden3", &C::hidden3, 1, false, nullptr, true},
      {"max_pois", &C::maxPois, 1, false, nullptr, true},
      {"peak_hidden", &C::peakHidden, 0, false, nullptr, true},
      {"use_position_encoder", &C::usePositionEncoder, 0, false, nullptr, true},
      {"use_conditioning", &C::useConditioning, 0, false, nullptr, true},
      {"use_image", &C::useImage, 0, false, nullptr, true},
      {"use_pois", &C::usePois, 0, false, nullptr, true},
      {"use_prior_mean", &C::usePriorMean, 0, false, "false", true},
      {"use_template", &C::useTemplate, 0, false, "false", true},
      {"template_shape_ridge", &C::templateShapeRidge, 0, false, "false", true},
      {"template_noise", &C::templateNoise, 0, true, "1"},
      {"peak_from_template", &C::peakFromTemplate, 0, false, "false"},
      {"observed_neighbours", &C::observedNeighbours, 0, false, "0", true},
      {"neighbour_radius", &C::neighbourRadius, 0, true, "1500"},
      {"neighbour_block", &C::neighbourBlock, 0, false, "1000"},
      {"steps1", &C::steps1, 1},
      {"steps2", &C::steps2, 1},
      {"steps3", &C::steps3, 1},
      {"level3_noise", &C::level3Noise, 0},
      {"seed", &C::seed, 0},
      {"image_steps", &C::imageSteps, 0},
      {"poi_steps", &C::poiSteps, 0},
      {"fusion_steps", &C::fusionSteps, 0},
      {"generator_steps", &C::generatorSteps, 0},
      {"batch_size", &C::batchSize, 1},
      {"learning_rate", &C::learningRate, 0, true},
      {"temperature", &C::temperature, 0, true},
      {"windows_per_site", &C::windowsPerSite, 1},
      {"lambda_level1", &C::lambdaLevel1, 0},
      {"lambda_level2", &C::lambdaLevel2, 0},
      {"lambda_level3", &C::lambdaLevel3, 0},
      {"lambda_boundary", &C::lambdaBoundary, 0},
      {"lambda_smooth", &C::lambdaSmooth, 0},
      {"lambda_periodic", &C::lambdaPeriodic, 0},
      {"lambda_bias", &C::lambdaBias, 0},
      {"lambda_peak", &C::lambdaPeak, 0},
      {"lambda_corr", &C::lambdaCorr, 0},
      {"lambda_prior", &C::lambdaPrior, 0, false, "1"},
      {"peak_label_softness", &C::peakLabelSoftness, 0, false, "0"},
      {"ema_decay", &C::emaDecay, 0, false, "0"},
  };
  return table;
}

}  // namespace netspatial::models
