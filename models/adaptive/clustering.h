#pragma once

// Clustering shared by ADAPTIVE (paper 000): k-means for the source city's traffic patterns
// (Eq. 6) and the GAN's pattern banks, DBSCAN for business areas (internal to models/).

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace netspatial::models::adaptive {

struct KMeansResult {
  torch::Tensor centres;    //!< [k, D] float
  std::vector<int> labels;  //!< one per point, in [0, k)
  double inertia = 0.0;     //!< sum of squared distances to the assigned centre
};

//! Lloyd's k-means with k-means++ seeding, the best of `restarts` runs by inertia. Deterministic
//! for a seed. `points` is [N, D] float (N ≥ 1); k is clamped to N. A centre left empty is
//! re-seeded at the point farthest from its centre.
KMeansResult kMeans(const torch::Tensor& points, int k, int restarts, std::uint64_t seed, int maxIterations = 100);

//! DBSCAN over planar points (metres): a point with at least `minPoints` points (itself included)
//! within `eps` is a core point; clusters are the core points' eps-connected components plus the
//! border points they reach. Returns one label per point, −1 for noise, clusters numbered 0… in
//! the order of their first point. Uses a grid of eps cells, so it scales with N·density.
std::vector<int> dbscan(const std::vector<double>& xs, const std::vector<double>& ys, double eps, int minPoints);

}  // namespace netspatial::models::adaptive
