#pragma once

// A training recipe (`netspatial train RECIPE`, DESIGN.md §6: "reproducibly from a recipe file with
// a seed"): a TOML file with
//   [model]       id, generator (optional: "netspatial", the default, or "adaptive": then the keys
//                 are AdaptiveConfig's and there is no init), init (optional), and any
//                 NetSpatialConfig field by its snake_case name
//                 (embed_dim, seed, …). init = "scratch" (the default: fresh weights from the seed),
//                 "embedded" (fine-tune the app's embedded NetSpatial weights) or a path to a .nsm
//                 checkpoint (fine-tune it). When fine-tuning, keys left out take the initial
//                 weights' values and an architecture key may only restate them (fineTuningConfig);
//   [data]        cities = [{ preset = "town", seed = 101 }, …]: simulated training cities;
//                 scenarios = [{ file = "milan.gpkg", unit = "…", holdout = 0.3, group_size = 1000,
//                 split_seed = 1, complete_only = true, window = 0 }, …]: scenario files with observed
//                 traffic, split as `netspatial evaluate` splits them (ScenarioSpec); at least one of
//                 the two; wall_clock_hours = true|false (optional, false): see buildTrainingData;
//   [evaluation]  city = { preset = "city", seed = 22 }: the zero-shot city, never trained on
//                 (required with cities; a scenario's held-out blocks are its evaluation);
//   [output]      weights = "…", card = "…".
// Paths (outputs, scenario files, an init checkpoint) are relative to the recipe folder's parent
// (the repository root for recipes/*.toml), or absolute.
// Every key is checked: a misspelt one is an error naming it and its line, never silently ignored
// (a typo in a step count must not produce a model trained with the default). A recipe that would
// train on held-out sites is refused: a scenario's holdout must be in (0, 1), and a scenario file
// may be listed once (a second split of the same sites would hold out other blocks and train on
// the first one's; a copy under another name is refused by its SHA-256 when the data is built).

#include "app/common/trainingdata.h"
#include "core/util/result.h"
#include "netspatial/models/adaptive.h"
#include "netspatial/models/netspatial.h"

#include <QString>
#include <QStringList>

#include <map>
#include <vector>

namespace netspatial::app {

struct TrainingRecipe {
  QString path;  //!< absolute path of the recipe file
  QString root;  //!< the recipe folder's parent (the repository root for recipes/*.toml): relative outputs start here
  QString text;  //!< the file verbatim (it goes into the model card)
  QString modelId;
  //! [model] generator: "netspatial" (the default) or "adaptive"; it decides which keys [model] takes.
  QString generator = QStringLiteral("netspatial");
  models::NetSpatialConfig config;        //!< defaults of the header, overridden by [model] (NetSpatial)
  models::AdaptiveConfig adaptiveConfig;  //!< the same for generator = "adaptive"
  QStringList overriddenKeys;             //!< the [model] keys the recipe set, in file order
  std::vector<CitySpec> trainingCities;
  std::vector<ScenarioSpec> trainingScenarios;
  enum class Init { Scratch, Embedded, File };
  Init init = Init::Scratch;
  QString initPath;  //!< absolute, for Init::File
  int initLine = 0;  //!< the line of [model] init (0: absent)
  //! The line of every [model] configuration key the recipe sets (for fineTuningConfig's errors).
  std::map<QString, int> keyLines;
  //! [data] wall_clock_hours: cut the training series on the local wall clock (buildTrainingData).
  //! Absent = false, the rule the committed weights were trained with.
  bool wallClockHours = false;
  CitySpec evaluationCity;
  bool hasEvaluationCity = false;  //!< false only for a recipe without simulated cities
  QString weightsPath;             //!< absolute
  QString cardPath;                //!< absolute
};

//! Reads and checks a recipe. Errors name the file and, where there is one, the line.
core::Result<TrainingRecipe> loadTrainingRecipe(const QString& path);
//! The same from text (`path` is used for messages and to resolve relative outputs).
core::Result<TrainingRecipe> parseTrainingRecipe(const QString& text, const QString& path);

//! What [model] init says, for messages and the model card: "scratch", "embedded", or the file.
QString initDescription(const TrainingRecipe& recipe);

//! The configuration a fine-tuning run trains with: `initial` (the initial weights' configuration)
//! with the recipe's [model] keys over it. An architecture key (NetSpatialConfigKey::architecture)
//! that the recipe sets to another value than `initial` has is an error naming the key, both values
//! and the recipe line: the weights could not continue in another architecture.
core::Result<models::NetSpatialConfig> fineTuningConfig(const TrainingRecipe& recipe, const models::NetSpatialConfig& initial);

//! The [model] keys a recipe may set (besides `id` and `init`), each a NetSpatialConfig field.
QStringList netSpatialConfigKeys();
//! The [model] keys of an ADAPTIVE recipe (besides `id` and `generator`).
QStringList adaptiveConfigKeys();
//! `key = value` lines of every ADAPTIVE configuration field.
QStringList describeAdaptiveConfig(const models::AdaptiveConfig& config);
//! `key = value` lines (TOML syntax) of every configuration field, in header order.
QStringList describeNetSpatialConfig(const models::NetSpatialConfig& config);
//! "key: a → b" for every field that differs; empty when the two configurations are the same.
QStringList netSpatialConfigDifferences(const models::NetSpatialConfig& a, const models::NetSpatialConfig& b);

}  // namespace netspatial::app
