#pragma once

// Which generator a project generates with (issue 19, item 5): the embedded pre-trained models,
// the project's own models (trained on its observed traffic, stored in the project file) and the
// references, fitted on the project's observed traffic at first use. The choice is a key stored in
// the project's metadata — one for planning's candidate and site generations, one for operations'
// forecasts — so it is saved and undone with the project; every run record names what the key
// resolved to (id, weights SHA-256, source) beside its seed.

#include "core/planning/calibration.h"
#include "core/scenario/scenario.h"
#include "core/util/feedback.h"
#include "core/util/result.h"
#include "netspatial/models/generator.h"
#include "netspatial/models/netspatial.h"

#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace netspatial::app {

enum class GeneratorSource { Embedded, Project, Reference };

//! What a choice is for: planning's generations, or the operations study's forecasts (which need
//! NetSpatial's operations mode: the references cannot forecast from a history).
enum class GeneratorRole { Planning, Forecast };

//! The metadata key that stores the choice of `role` ("generator.planning", "generator.forecast").
QString generatorChoiceMetadataKey(GeneratorRole role);

//! "embedded:netspatial": what a project without a recorded choice generates with.
QString defaultGeneratorKey();
QString embeddedGeneratorKey(const std::string& id);
QString projectGeneratorKey(const QString& modelId);
QString referenceGeneratorKey(const std::string& id);

//! One entry of the generator chooser.
struct GeneratorChoice {
  QString key;
  GeneratorSource source = GeneratorSource::Embedded;
  std::string generatorId;  //!< the model's id: "netspatial", "netspatial_milan", "zone_template"
  QString projectModelId;   //!< GeneratorSource::Project
  QString label;            //!< "NetSpatial (embedded)", "Milan fine-tune (project model)", "Zone template (reference)"
  core::GeneratorFacts facts;
  core::Calibration calibration;  //!< of its output against the project's observed traffic
  bool canForecast = false;       //!< a NetSpatial checkpoint (operations mode)
  bool available = true;
  QString unavailableReason;  //!< why not, when !available ("the project has no observed traffic to fit it on")
  QString note;               //!< a project model's held-out score, when the studio took one

  //! "unit MB/h", "trained on simulated cities", "trained on other data" (and the note), one per
  //! line: what the chooser shows under the label, so that the calibration verdict is visible
  //! when choosing.
  QString summary() const;
};

//! Every generator the project can use: the embedded models (app::generatorIds() with weights),
//! the project's models, then the references (unavailable without observed traffic).
std::vector<GeneratorChoice> generatorChoices(const core::Scenario& scenario);

//! The choice of `role` stored in the project (defaultGeneratorKey() when none).
QString chosenGeneratorKey(const core::Scenario& scenario, GeneratorRole role);
//! Whether `key` can serve `role` in `scenario` (exists, available, forecasts when it must); the
//! reason when not.
core::Status checkGeneratorKey(const core::Scenario& scenario, const QString& key, GeneratorRole role);

//! A generator made ready for a scenario: loaded (embedded or project weights) or fitted (a
//! reference), with the provenance a run records.
struct ResolvedGenerator {
  std::unique_ptr<models::Generator> generator;
  QString key;
  std::string generatorId;  //!< what the run records as its model id ("netspatial_milan", "zone_template")
  QString projectModelId;   //!< GeneratorSource::Project
  QString source;           //!< "embedded", "project model \"Milan fine-tune\"", "reference fitted on 412 sites"
  int fittedSites = 0;
};

//! Loads or fits the generator `key` names for `scenario` (on a worker: a reference is fitted on
//! the project's observed traffic, which takes seconds on a large city). Errors name the model.
core::Result<ResolvedGenerator> resolveGenerator(const core::Scenario& scenario, const QString& key, const models::EngineOptions& engine,
                                                 core::Feedback* feedback = nullptr);

//! Adds the choice to a run record: parameters "generator" (the key) and "generator_source".
void recordGeneratorInRun(core::RunRecord& run, const ResolvedGenerator& resolved);

//! The facts of a project model, from its model card: trained on this project's observed
//! traffic, in the unit the card states.
core::GeneratorFacts projectModelFacts(const core::ProjectModel& model);

//! The project model whose weights have SHA-256 `sha256`; nullptr when none.
const core::ProjectModel* findProjectModel(const core::Scenario& scenario, const QString& sha256);

}  // namespace netspatial::app
