#pragma once

// Whether a generator's output is calibrated to a scenario (issue 19, item 4). A generator trained
// on the simulator's cities in MB/h says nothing calibrated about Milan's observed activity: on
// Milan's held-out blocks the embedded model is ~3× worse than the zone template, and its
// candidates came out 4–7× the observed traffic of the same zone class. Wherever generated and
// observed traffic meet (inspector, zone comparison, operations) the studio states each series'
// unit and generator and warns with the verdict below. Plain data: the app fills GeneratorFacts
// from the model card (app/common/generatorfacts), the ui only shows a Calibration.

#include "core/scenario/scenario.h"

#include <QString>
#include <QStringList>

namespace netspatial::core {

//! What a generator learned from.
enum class TrainingData {
  Unknown,     //!< not recorded (weights without a model card)
  Simulated,   //!< the project's simulated cities (core/sim)
  Observed,    //!< observed traffic of scenario files (a recipe's [data] scenarios), possibly with simulated cities
  FittedHere,  //!< fitted per run on this scenario's own observed traffic (the reference generators)
};

//! What the studio knows about a generator without loading it.
struct GeneratorFacts {
  QString modelId;  //!< "netspatial", "zone_template"
  QString label;    //!< "NetSpatial (embedded)"
  //! The unit it was trained in, which its output comes back in ("MB/h"); empty for FittedHere
  //! (the scenario's own unit) and when not recorded.
  QString unit;
  TrainingData trainingData = TrainingData::Unknown;
  //! "simulated cities (town 101, …)", "observed traffic of milan.gpkg": for the messages.
  QString trainingDescription;
  QStringList trainingScenarioFiles;   //!< Observed: the scenario files' names ("milan.gpkg")
  QStringList trainingScenarioSha256;  //!< Observed: their SHA-256, as the model card records them
};

//! What a scenario's traffic is.
struct ScenarioProvenance {
  QString name;            //!< metadata.name ("Milan (Telecom Italia, Nov–Dec 2013)")
  QString unit;            //!< metadata.trafficUnit
  bool simulated = false;  //!< made by core/sim (metadata.preset, or a "simulate" run)
  //! The importer's source ("milan", "scenario") when imported; names a training scenario it matches.
  QString importSource;
  QString fileSha256;  //!< SHA-256 of the scenario file when the caller knows it; else empty
};

//! The provenance of `scenario` from its metadata and its runs.
ScenarioProvenance scenarioProvenance(const Scenario& scenario);

enum class CalibrationVerdict {
  Matches,      //!< same unit, trained on data like this scenario's
  UnitDiffers,  //!< the generated values are in another unit than the observed ones
  OtherData,    //!< same unit, but trained on other data (synthetic cities vs a real scenario, another city)
};

//! "matches", "unit differs", "trained on other data".
QString calibrationVerdictName(CalibrationVerdict verdict);

struct Calibration {
  CalibrationVerdict verdict = CalibrationVerdict::Matches;
  QString generatorLabel;  //!< "NetSpatial (embedded)"
  QString generatedUnit;   //!< the unit of the generated values ("MB/h")
  QString observedUnit;    //!< the scenario's unit ("activity (dataset units)")
  //! One line for a person: what it was trained on and what the scenario is; when the verdict is
  //! not Matches it ends with why the values are not comparable.
  QString message;

  bool matches() const { return verdict == CalibrationVerdict::Matches; }
};

//! The verdict for `generator`'s values shown against `scenario`.
//!
//! `generatedUnit` is the unit the generated values are actually in when the caller rescaled them
//! (operations forecasts of a foreign unit are scaled by the study's history, so they come out in
//! the scenario's unit); empty: the generator's own unit (the scenario's for FittedHere).
//!
//! Rules:
//! - the unit differs when the generated unit is not the scenario's (compared trimmed and
//!   case-insensitively), or is not recorded → UnitDiffers (the message also names other data);
//! - the data differ when a Simulated generator meets a scenario that is not simulated, an
//!   Observed generator meets a simulated scenario or a scenario none of its training files is
//!   (same SHA-256, or a file name whose stem is the import source or the first word of the
//!   scenario's name: "milan.gpkg" for Milan), or the training data are Unknown → OtherData;
//! - FittedHere always matches the data; otherwise → Matches.
Calibration assessCalibration(const ScenarioProvenance& scenario, const GeneratorFacts& generator, const QString& generatedUnit = {});

}  // namespace netspatial::core
