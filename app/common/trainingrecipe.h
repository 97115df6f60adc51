#pragma once

// A training recipe (`netspatial train RECIPE`, DESIGN.md §6: "reproducibly from a recipe file with
// a seed"): a TOML file with
//   [model]       id, and any NetSpatialConfig field by its snake_case name (embed_dim, seed, …);
//   [data]        cities = [{ preset = "town", seed = 101 }, …]: the training cities;
//                 wall_clock_hours = true|false (optional, false): see buildTrainingData;
//   [evaluation]  city = { preset = "city", seed = 22 }: the zero-shot city, never trained on;
//   [output]      weights = "…", card = "…": relative to the recipe folder's parent (the repository
//                 root for recipes/*.toml), or absolute.
// Every key is checked: a misspelt one is an error naming it and its line, never silently ignored
// (a typo in a step count must not produce a model trained with the default).

#include "app/common/trainingdata.h"
#include "core/util/result.h"
#include "netspatial/models/netspatial.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace netspatial::app {

struct TrainingRecipe {
  QString path;  //!< absolute path of the recipe file
  QString root;  //!< the recipe folder's parent (the repository root for recipes/*.toml): relative outputs start here
  QString text;  //!< the file verbatim (it goes into the model card)
  QString modelId;
  models::NetSpatialConfig config;  //!< defaults of the header, overridden by [model]
  QStringList overriddenKeys;       //!< the [model] keys the recipe set, in file order
  std::vector<CitySpec> trainingCities;
  //! [data] wall_clock_hours: cut the training series on the local wall clock (buildTrainingData).
  //! Absent = false, the rule the committed weights were trained with.
  bool wallClockHours = false;
  CitySpec evaluationCity;
  QString weightsPath;  //!< absolute
  QString cardPath;     //!< absolute
};

//! Reads and checks a recipe. Errors name the file and, where there is one, the line.
core::Result<TrainingRecipe> loadTrainingRecipe(const QString& path);
//! The same from text (`path` is used for messages and to resolve relative outputs).
core::Result<TrainingRecipe> parseTrainingRecipe(const QString& text, const QString& path);

//! The [model] keys a recipe may set (besides `id`), each a NetSpatialConfig field.
QStringList netSpatialConfigKeys();
//! `key = value` lines (TOML syntax) of every configuration field, in header order.
QStringList describeNetSpatialConfig(const models::NetSpatialConfig& config);
//! "key: a → b" for every field that differs; empty when the two configurations are the same.
QStringList netSpatialConfigDifferences(const models::NetSpatialConfig& a, const models::NetSpatialConfig& b);

}  // namespace netspatial::app
