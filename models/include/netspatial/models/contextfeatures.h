#pragma once

// A fixed-length, hand-crafted description of a ModelContext, used by the non-neural references
// (volume regression, nearest neighbour). Each missing modality gets a mask feature of 1 and zeros
// for its values, so "unknown" is never confused with "none".

#include "netspatial/models/generator.h"

#include <string>
#include <vector>

namespace netspatial::models {

//! Names of the features, in order (for model cards and tests).
const std::vector<std::string>& contextFeatureNames();
//! The features of one context; size == contextFeatureNames().size().
std::vector<double> contextFeatures(const ModelContext& context);

//! z-scores with the mean and standard deviation of the training rows; a constant feature keeps
//! scale 1 so it contributes nothing.
class FeatureStandardiser {
 public:
  void fit(const std::vector<std::vector<double>>& rows);
  std::vector<double> apply(const std::vector<double>& row) const;
  const std::vector<double>& mean() const { return m_mean; }
  const std::vector<double>& scale() const { return m_scale; }

 private:
  std::vector<double> m_mean;
  std::vector<double> m_scale;
};

}  // namespace netspatial::models
