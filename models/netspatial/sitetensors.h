#pragma once

// ModelContexts → the tensors NetSpatial's encoders read (internal to models/). Every modality
// carries an explicit "missing" flag; a missing image or an empty POI set is never zeros that
// pretend to be data.

#include "netspatial/models/generator.h"
#include "netspatial/models/netspatial.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace netspatial::models::netspatialnet {

inline constexpr int kImagePixels = 64;
inline constexpr int kNgramBuckets = 4096;  //!< hashed character trigrams of POI names
inline constexpr int kNgramsPerName = 24;
inline constexpr int kPoiNumeric = 5;  //!< distance and bearing features per POI
//! Site scalars beside the fused embedding: [0] log population, [1] population known, [2] log POI
//! count, [3] POIs known, [4] station density, [5, 19) log count per POI category, [19, 29) zone
//! class one-hot, [29] zone known, [30] macro, [31] micro, [32] station type known. The counts and the zone are what the hand-crafted
//! references read; giving them to the conditioner directly spares the encoders from having to rediscover them.
inline constexpr int kSiteScalars = 33;
inline constexpr int kScalarPoiCounts = 5;
inline constexpr int kScalarZone = kScalarPoiCounts + kPoiCategories;
inline constexpr int kScalarZoneKnown = kScalarZone + kZoneClasses;
inline constexpr int kScalarStationType = kScalarZoneKnown + 1;
//! The scalars that describe POIs (masked with the POI modality).
torch::Tensor poiScalarMask();
//! The scalars that describe the zone (masked when the zone is dropped or unknown).
torch::Tensor zoneScalarMask();
//! The scalars of the station type (masked by training's type dropout).
torch::Tensor stationTypeScalarMask();

struct SiteTensors {
  torch::Tensor image;         //!< [B,3,64,64] uint8 (zeros where missing)
  torch::Tensor imageMissing;  //!< [B] bool
  torch::Tensor poiCategory;   //!< [B,K] int64
  torch::Tensor poiNgrams;     //!< [B,K,G] int64, 0 = padding
  torch::Tensor poiNumeric;    //!< [B,K,5] float
  torch::Tensor poiValid;      //!< [B,K] bool
  torch::Tensor poiHistogram;  //!< [B,14] float, category shares of the kept POIs
  torch::Tensor poisMissing;   //!< [B] bool: unknown or K = 0 (paper 003: "treated as missing")
  torch::Tensor scalars;       //!< [B,kSiteScalars] float
  //! [B,F] the references' hand-crafted contextFeatures (level 1's template reads them); undefined
  //! unless makeSiteTensors was asked for them.
  torch::Tensor referenceFeatures;
  std::int64_t size() const { return image.size(0); }
  SiteTensors index(const torch::Tensor& rows) const;
  SiteTensors to(const torch::Device& device) const;
};

//! Hashed lower-case character trigrams of a name, with word-boundary markers ("^ba", "ar$").
std::vector<std::int64_t> nameNgrams(const std::string& name);

//! Builds the tensors of `contexts`, keeping the `maxPois` nearest POIs of each.
SiteTensors makeSiteTensors(const std::vector<ModelContext>& contexts, int maxPois, bool withReferenceFeatures = false);

//! referenceFeatures with the zone (where `hideZone`) and the station type (where `hideType`) made
//! unknown, as training's dropouts hide them from the condition.
torch::Tensor hideReferenceFeatures(const torch::Tensor& features, const torch::Tensor& hideZone, const torch::Tensor& hideType);

//! referenceFeatures as the ablations of `config` allow them: the POI columns read as "no POIs
//! known" without usePois, the image columns as "no image" without useImage, every column zero
//! without useConditioning. Level 1's template reads the features directly, so without this an
//! ablation row would still see the modality it claims to lack.
torch::Tensor ablateReferenceFeatures(const torch::Tensor& features, const NetSpatialConfig& config);

}  // namespace netspatial::models::netspatialnet
