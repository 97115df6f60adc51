#pragma once

// NetSpatial's memory of observed sites (NetSpatialConfig::observedNeighbours): for each training
// site's first 28-day window, its position, its daily profile (log d, level 1's target) and its
// relative residual y3 = (x − Rep(w)) / (Rep(w) + ε) (level 3's). Neighbouring cells share their
// volume and their departures from the weekly pattern hour by hour (on Milan's grid the nearest
// observed cells explain more of a held-out cell's series than any context feature, README "A
// Milan model"), which no context-only generator can know. A site within the radius of memory
// sites in the same CRS gets the distance-weighted means of the nearest ones as levels 1 and 3's
// source centres and conditions; elsewhere they are zero and a flag says so, so the model stays a
// context-only generator in every other city.

#include "netspatial/models/generator.h"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace netspatial::models::netspatialnet {

//! What the neighbours say about a batch of sites.
struct NeighbourTemplate {
  torch::Tensor residual;  //!< [B,672]: weighted mean of the neighbours' y3 (zeros without neighbours)
  torch::Tensor logDaily;  //!< [B,48]: weighted mean of the neighbours' log(d + ε) (zeros without neighbours)
  torch::Tensor features;  //!< [B,kNeighbourFeatures]: has neighbours, nearest distance (km), share of k found
};
inline constexpr int kNeighbourFeatures = 3;

//! Distances [B,M] (metres) from each site to each memory row; +inf where the site has no position,
//! lies in another CRS than the memory, or (for `excluded`, [B,M] bool, may be undefined) may not
//! see that row.
torch::Tensor memoryDistances(const std::vector<ModelContext>& contexts, const torch::Tensor& memoryXy, const std::string& memoryCrs);

//! The k nearest rows within `radius` metres, weighted 1 / (d + 50 m)²: `memory` is [M,672+48],
//! residual ‖ log daily.
NeighbourTemplate neighbourTemplate(const torch::Tensor& distances, const torch::Tensor& memory, int k, float radius);

}  // namespace netspatial::models::netspatialnet
