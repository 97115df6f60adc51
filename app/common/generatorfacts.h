#pragma once

// What the app knows about a generator's training (unit, data) and how its output relates to the
// open scenario (issue 19, item 4): read from the model card embedded beside the weights
// (resources/models/<id>.md, written by `netspatial train`), so that nothing has to load the
// weights to say so. core::assessCalibration() turns these facts into the verdict the studio shows.

#include "core/planning/calibration.h"
#include "core/scenario/scenario.h"

#include <QString>

#include <optional>
#include <string>

namespace netspatial::app {

//! The facts a model card states: the unit from its Normalisation line ("(unit MB/h)"), the
//! training data from its Data section (the simulated cities' table, the scenario files' table
//! with their SHA-256) and the weights' SHA-256. `label` names the generator in messages.
core::GeneratorFacts parseModelCard(const QString& modelId, const QString& label, const QString& markdown);

//! The SHA-256 of the weights a model card describes (its "SHA-256" row); empty when absent.
QString modelCardWeightsSha256(const QString& markdown);

//! The facts of generator `id`: the references are fitted on the scenario itself (FittedHere);
//! an embedded model's come from its embedded card. `weightsSha256`, when given and not the
//! embedded weights' (retrained or ablation weights), gives Unknown training data and no unit:
//! nothing records them. `unit` then fills in the unit (a run record's).
core::GeneratorFacts generatorFacts(const std::string& id, const QString& weightsSha256 = {}, const QString& unit = {});

//! The verdict for the values of `run` (a "generate" or "forecast" run record of `scenario`):
//! its generator's facts, and the unit its values are in (`generatedUnit`, else the run's "unit"
//! parameter, else the generator's own).
core::Calibration calibrationOfRun(const core::Scenario& scenario, const core::RunRecord& run, const QString& generatedUnit = {});

//! The unit the values of generation `runId` are in: its run record's "unit" (the generator's own,
//! MB/h for the embedded model even on Milan), else the scenario's.
QString generationUnit(const core::Scenario& scenario, const QString& runId);

//! The run record of a generation by its run id; nullptr when the scenario has none.
const core::RunRecord* findRun(const core::Scenario& scenario, const QString& runId);

}  // namespace netspatial::app
