#pragma once

// The held-out split by whole blocks, shared by `netspatial evaluate` and `netspatial train`
// (issue 19): the same scenario, eligibility rule, fraction, block size and split seed give the same
// held-out sites in both, so a model trained on a recipe's scenario is scored by the evaluation
// harness on sites it never saw. One implementation, so the two can never drift apart.

#include "core/geo/geometry.h"
#include "core/scenario/scenario.h"
#include "core/util/result.h"

#include <QString>

#include <vector>

namespace netspatial::app {

//! Which sites with observed traffic take part in a split (`netspatial evaluate --window`,
//! `--complete-only`).
struct SiteEligibility {
  int window = 0;  //!< the whole 28-day window (Monday 00:00 local) that must have no missing hour
  //! Also require the whole observed series to be complete ("the complete cells" of a dataset with
  //! truncated series).
  bool requireCompleteSeries = false;
};

struct EligibleSites {
  std::vector<QString> ids;                 //!< sorted by id (the order of trafficObserved)
  std::vector<std::vector<float>> windows;  //!< each site's window, physical units
  int incomplete = 0;                       //!< sites with traffic left out by the rule
};

//! The sites of `scenario` with traffic that satisfy `rule`. Errors (a series without the window)
//! start with `label`, usually the file name.
core::Result<EligibleSites> eligibleSites(const core::Scenario& scenario, const SiteEligibility& rule, const QString& label);

//! The held-out split: sites are grouped in square blocks of `groupSize` metres, blocks are taken
//! in a seeded random order until at least `fraction` of the sites are held out. Returns one flag
//! per site (true = test). Neighbours share a block, so no test site has a training neighbour in it.
std::vector<bool> heldOutByBlocks(const std::vector<core::PointXY>& positions, double fraction, double groupSize, quint64 seed,
                                  int* blockCount = nullptr);

struct BlockSplit {
  std::vector<bool> heldOut;  //!< per id given, true = held out
  int blocks = 0;             //!< blocks holding at least one of the sites
};

//! heldOutByBlocks on the positions of `ids` in `scenario` (core::sitePosition). A site without a
//! position is an error naming it.
core::Result<BlockSplit> splitByBlocks(const core::Scenario& scenario, const std::vector<QString>& ids, double fraction, double groupSize,
                                       quint64 seed);

}  // namespace netspatial::app
