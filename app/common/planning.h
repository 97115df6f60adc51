#pragma once

// The planning jobs of DESIGN.md §8, one code path for the GUI's worker and the CLI: build the
// candidate grid, generate traffic for sites with a generator (in chunks, with progress and
// cancel), store the result with its provenance, and rank a stored generation.

#include "core/context/sitecontext.h"
#include "core/planning/candidategrid.h"
#include "core/planning/generations.h"
#include "core/planning/ranking.h"
#include "core/scenario/scenario.h"
#include "core/scenario/scenariostore.h"
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
  //! Sites per chunk of contexts → model → storage: what is held in memory at once (the model
  //! splits a chunk over its worker threads). Each site's noise is its own, so chunks do not change
  //! results.
  int sitesPerChunk = 1024;
  QString scope;  //!< what was generated, for the run record ("candidates", "site", …)
};

//! A finished generation: traffic in the physical unit and its run record (not yet in a scenario).
struct Generation {
  core::GeneratedTraffic traffic;
  core::RunRecord run;
  //! The sites' utilities, when the job computed them with the traffic (the studio does, on its
  //! worker, so that ranking a large generation never stalls the GUI); null otherwise.
  std::shared_ptr<const std::vector<core::SiteUtilities>> utilities;
};

//! A generation made chunk by chunk: the contexts of the next sitesPerChunk sites, the generator
//! on them, their series in the physical unit. The one path of every generation: generateTraffic
//! gathers the chunks in memory; `netspatial generate` hands the object to saveScenario
//! (core::GenerationStream), which writes each chunk into the project as it comes, so memory stays
//! flat whatever the AOI size (issue 21). Check the request with create().
class ChunkedGeneration : public core::GenerationStream {
 public:
  //! Refuses an empty site list, samples outside 1–1024 and an unfitted generator. The scenario,
  //! the generator and the feedback must outlive the object.
  static core::Result<std::unique_ptr<ChunkedGeneration>> create(const core::Scenario& scenario, std::vector<core::SitePoint> sites,
                                                                 const models::Generator& generator, const GenerationOptions& options,
                                                                 core::Feedback* feedback = nullptr);
  QString runId() const override { return m_run.runId; }
  QDateTime start() const override { return m_start; }
  //! The next chunk; empty once every site is done; Cancelled when the feedback was cancelled.
  core::Result<Chunk> next() override;
  //! The record of the run: model id, weights SHA-256, seed, device, samples, sites, the
  //! normalisation scale, the sites' hash, and generate_seconds (the time spent in next()).
  core::RunRecord runRecord() const override;
  //! Recorded with the run (the grid's cell size, the planned station type, …).
  void setParameter(const QString& key, const QVariant& value) { m_run.parameters.insert(key, value); }
  std::size_t siteCount() const { return m_sites.size(); }
  std::size_t sitesDone() const { return m_done; }
  //! Seconds spent making chunks (contexts and generator), excluding whatever the caller does with them.
  double seconds() const { return m_seconds; }

 private:
  ChunkedGeneration(const core::Scenario& scenario, std::vector<core::SitePoint> sites, const models::Generator& generator,
                    const GenerationOptions& options, core::Feedback* feedback);
  const core::Scenario& m_scenario;
  std::vector<core::SitePoint> m_sites;
  const models::Generator& m_generator;
  GenerationOptions m_options;
  core::Feedback* m_feedback;
  models::Device m_device;
  double m_scale;
  QDateTime m_start;
  core::RunRecord m_run;
  std::size_t m_done = 0;
  double m_seconds = 0.0;
  double m_progressStart = 0.0;  //!< of the feedback, spent adapting ADAPTIVE before the first chunk
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

//! Removes the generations of `scope` ("candidates", "stations") with their rankings and run
//! records; nothing for an empty scope.
void removeGenerations(core::Scenario& scenario, const QString& scope);

//! Puts a generation into the scenario. It replaces the earlier generations of the same scope
//! ("candidates", "stations"; with the rankings of their runs); one without a scope is added.
void applyGeneration(core::Scenario& scenario, Generation generation);

}  // namespace netspatial::app
