#pragma once

// ModelContexts → the tensors NetSpatial's encoders read (internal to models/). Every modality
// carries an explicit "missing" flag; a missing image or an empty POI set is never zeros that
// pretend to be data.

#include "netspatial/models/generator.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace netspatial::models::netspatialnet {

inline constexpr int kImagePixels = 64;
inline constexpr int kNgramBuckets = 4096;  //!< hashed character trigrams of POI names
inline constexpr int kNgramsPerName = 24;
inline constexpr int kPoiNumeric = 5;   //!< distance and bearing features per POI
inline constexpr int kSiteScalars = 5;  //!< population, masks, POI count, station density

struct SiteTensors {
  torch::Tensor image;         //!< [B,3,64,64] uint8 (zeros where missing)
  torch::Tensor imageMissing;  //!< [B] bool
  torch::Tensor poiCategory;   //!< [B,K] int64
  torch::Tensor poiNgrams;     //!< [B,K,G] int64, 0 = padding
  torch::Tensor poiNumeric;    //!< [B,K,5] float
  torch::Tensor poiValid;      //!< [B,K] bool
  torch::Tensor poiHistogram;  //!< [B,14] float, category shares of the kept POIs
  torch::Tensor poisMissing;   //!< [B] bool: unknown or K = 0 (paper 003: "treated as missing")
  torch::Tensor scalars;       //!< [B,5] float
  std::int64_t size() const { return image.size(0); }
  SiteTensors index(const torch::Tensor& rows) const;
  SiteTensors to(const torch::Device& device) const;
};

//! Hashed lower-case character trigrams of a name, with word-boundary markers ("^ba", "ar$").
std::vector<std::int64_t> nameNgrams(const std::string& name);

//! Builds the tensors of `contexts`, keeping the `maxPois` nearest POIs of each.
SiteTensors makeSiteTensors(const std::vector<ModelContext>& contexts, int maxPois);

}  // namespace netspatial::models::netspatialnet
