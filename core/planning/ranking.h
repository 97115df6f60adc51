#pragma once

// Ranking candidate sites by a utility (DESIGN.md §8): a minimum-demand floor, top-K (NetSpatial
// Eq. 7: the objective is modular, so the best K-set is the K best sites), an optional minimum
// spacing between picks (greedy in utility order), and the probability of being in the top K
// across the generator's samples.

#include "core/planning/siteutilities.h"

#include <vector>

namespace netspatial::core {

struct RankingOptions {
  Utility utility = Utility::Lsi;
  int topK = 10;
  double minSpacing = 0.0;  //!< metres between selected sites; 0 = none
  double minDemand = 0.0;   //!< sites whose mean demand (physical unit) is below are not ranked
  CompositeWeights weights;
};

struct RankedSite {
  int rank = 0;  //!< 1-based position in utility order among eligible sites; 0 = not ranked
  QString siteId;
  PointXY position;
  double value = 0.0;       //!< the ranked utility
  bool selected = false;    //!< among the top K (after spacing)
  double pTopK = 0.0;       //!< share of samples in which the site is in that sample's top K
  QString excludedBecause;  //!< why it is not ranked (below the demand floor) or not selected (spacing)
  SiteUtilities utilities;
};

struct Ranking {
  RankingOptions options;
  std::vector<RankedSite> sites;  //!< ranked sites in rank order, then the unranked ones
  int eligible = 0;               //!< sites above the demand floor
  int belowFloor = 0;
  int skippedForSpacing = 0;  //!< better-ranked sites passed over to keep the spacing
};

//! Ranks the sites. Ties are broken by site id so the order never depends on input order.
//! Fails on K < 1, a negative spacing or floor, or composite weights that sum to zero.
Result<Ranking> rankSites(const std::vector<SiteUtilities>& sites, const RankingOptions& options);

}  // namespace netspatial::core
