#pragma once

// The planning jobs of DESIGN.md §8, one code path for the GUI's worker and the CLI: build the
// candidate grid, generate traffic for sites with a generator (in chunks, with progress and
// cancel), store the result with its provenance, and rank a stored generation.

#include "core/context/sitecontext.h"
#include "core/planning/candidategrid.h"
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

//! The feasible candidates of the scenario, as sites ("C<id>", cell centre) where a station of
//! `plannedType` would be built (the type decides the coverage, and so the traffic).
std::vector<core::SitePoint> feasibleCandidateSites(const core::Scenario& scenario,
                                                    std::optional<core::StationType> plannedType = core::StationType::Macro);

//! SHA-256 of the sites' ids and positions (mm), in order: a generation's run records it as
//! `sites_sha256`, so that it knows the sites (the candidate grid) it was generated for.
QString siteListHash(const std::vector<core::SitePoint>& sites);

//! The first Monday 00:00 (the scenario's time zone) at or after its series start, in UTC: where
//! generated 4-week sequences are placed on the calendar (2024-01-01 when the scenario has none).
QDateTime generationStart(const core::Scenario& scenario);

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

//! The newest generated traffic of the given scope ("" = any), or nullptr.
const core::GeneratedTraffic* latestGeneration(const core::Scenario& scenario, const QString& scope = QStringLiteral("candidates"));
const core::RunRecord* runRecord(const core::Scenario& scenario, const QString& runId);
//! The generator's normalisation scale a generation run recorded (physical = normalised × scale);
//! 0 when the run is unknown or predates the record.
double runNormalisationScale(const core::Scenario& scenario, const QString& runId);

//! Utilities of every site of a stored generation, with the positions of candidates, stations and
//! traffic sites (a site without a known position is an error naming it).
core::Result<std::vector<core::SiteUtilities>> generationUtilities(const core::Scenario& scenario, const core::GeneratedTraffic& traffic);
//! The same for a generation not (yet) in the scenario, with its run's normalisation scale.
core::Result<std::vector<core::SiteUtilities>> generationUtilities(const core::Scenario& scenario, const core::GeneratedTraffic& traffic,
                                                                   double normalisationScale);

//! The position of a candidate ("C<id>"), station or traffic site.
std::optional<core::PointXY> planningSitePosition(const core::Scenario& scenario, const QString& siteId);

//! Rows for the scenario's `rankings` table (one per ranked or excluded site); each carries the
//! ranking's options, so a reopened project ranks the same way.
std::vector<core::RankingRow> rankingRows(const core::Ranking& ranking, const QString& runId);
//! The options of the ranking stored for `runId`, if any.
std::optional<core::RankingOptions> storedRankingOptions(const core::Scenario& scenario, const QString& runId);

}  // namespace netspatial::app
