#pragma once

// The planning jobs of DESIGN.md §8, one code path for the GUI's worker and the CLI: build the
// candidate grid, generate traffic for sites with a generator (in chunks, with progress and
// cancel), store the result with its provenance, and rank a stored generation.

#include "core/context/sitecontext.h"
#include "core/planning/candidategrid.h"
#include "core/planning/generations.h"
#include "core/planning/ranking.h"
#include "core/scenario/scenario.h"
#include "core/util/feedback.h"
#include "core/util/result.h"
#include "netspatial/models/generator.h"

#include <QString>

#include <memory>
#include <vector>

namespace netspatial::app {

struct GenerationOptions {
  int samples = 8;
  quint64 seed = 1;
  int sitesPerChunk = 64;  //!< progress and cancel granularity (each site's noise is its own, so chunks do not change results)
  QString scope;           //!< what was generated, for the run record ("candidates", "site", …)
};

//! A finished generation: traffic in the physical unit and its run record (not yet in a scenario).
struct Generation {
  core::GeneratedTraffic traffic;
  core::RunRecord run;
  //! The sites' utilities, when the job computed them with the traffic (the studio does, on its
  //! worker, so that ranking a large generation never stalls the GUI); null otherwise.
  std::shared_ptr<const std::vector<core::SiteUtilities>> utilities;
};

//! Generates `options.samples` sequences for every site. Values come back in the physical unit
//! (× the generator's normalisation scale); the run record holds model id, weights SHA-256, seed,
//! device, sample count, the normalisation scale and a hash of the sites. Cancelling returns a
//! Cancelled error and produces nothing.
core::Result<Generation> generateTraffic(const core::Scenario& scenario, const std::vector<core::SitePoint>& sites,
                                         const models::Generator& generator, const GenerationOptions& options,
                                         core::Feedback* feedback = nullptr);

//! Where a generator runs: NetSpatial on the device it was loaded on, the references on the CPU.
models::Device generatorDevice(const models::Generator& generator);

//! Puts a generation into the scenario. It replaces the earlier generations of the same scope
//! ("candidates", "stations"; with the rankings of their runs); one without a scope is added.
void applyGeneration(core::Scenario& scenario, Generation generation);

}  // namespace netspatial::app
