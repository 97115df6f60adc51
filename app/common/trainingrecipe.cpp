#include "app/common/trainingrecipe.h"

#include "core/sim/citysimulator.h"
#include "netspatial/models/adaptive.h"
#include "netspatial/models/netspatialconfigkeys.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <variant>

namespace netspatial::app {

using namespace netspatial::core;
using models::NetSpatialConfig;

namespace {

// The one table of config keys (models/…/netspatialconfigkeys.h, shared with the checkpoints)
// drives parsing, printing and comparing: a field added to NetSpatialConfig needs one line there to
// become overridable, show in the model card and be checked on --resume.
using Member = models::NetSpatialConfigMember;
using Field = models::NetSpatialConfigKey;

const std::vector<Field>& fields() { return models::netSpatialConfigKeys(); }

//! The shortest text that reads back as the same value of T (0.1f prints as 0.1, not 0.100000001),
//! always with a decimal point or exponent so that it is a TOML float.
template <typename T>
QString numberText(T v) {
  char buffer[64];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
  QString text = QString::fromLatin1(buffer, int(end - buffer));
  if (std::isfinite(v) && !text.contains(QLatin1Char('.')) && !text.contains(QLatin1Char('e'))) text += QStringLiteral(".0");
  return text;
}

QString valueText(const NetSpatialConfig& c, const Member& member) {
  return std::visit(
      [&](auto m) -> QString {
        using T = std::remove_cvref_t<decltype(c.*m)>;
        if constexpr (std::is_same_v<T, bool>)
          return c.*m ? QStringLiteral("true") : QStringLiteral("false");
        else if constexpr (std::is_integral_v<T>)
          return QString::number(c.*m);
        else
          return numberText(c.*m);
      },
      member);
}

//! Errors point at a line of the recipe: "file: line 12: …".
struct Located {
  QString path;
  Error at(const toml::source_region& where, const QString& message, ErrorCode code = ErrorCode::InvalidValue) const {
    return where.begin.line > 0 ? Error(code, QStringLiteral("line %1: %2").arg(where.begin.line).arg(message), {path})
                                : Error(code, message, {path});
  }
  Error at(const toml::node& node, const QString& message, ErrorCode code = ErrorCode::InvalidValue) const {
    return at(node.source(), message, code);
  }
};

QString keyName(const toml::key& key) { return QString::fromStdString(std::string(key.str())); }

QString typeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return QStringLiteral("a table");
    case toml::node_type::array:
      return QStringLiteral("an array");
    case toml::node_type::string:
      return QStringLiteral("a string");
    case toml::node_type::integer:
      return QStringLiteral("an integer");
    case toml::node_type::floating_point:
      return QStringLiteral("a number");
    case toml::node_type::boolean:
      return QStringLiteral("a boolean");
    default:
      return QStringLiteral("a date/time");
  }
}

//! The first (by line) key of `table` that is not in `known`.
std::optional<Error> unknownKey(const Located& loc, const toml::table& table, const QStringList& known, const QString& where) {
  const toml::key* first = nullptr;
  for (auto&& [key, value] : table)
    if (!known.contains(keyName(key)) && (!first || key.source().begin.line < first->source().begin.line)) first = &key;
  if (!first) return std::nullopt;
  return loc.at(first->source(),
                QStringLiteral("unknown key '%1' in %2 (known: %3)").arg(keyName(*first), where, known.join(QStringLiteral(", "))),
                ErrorCode::ParseError);
}

Result<const toml::table*> requireTable(const Located& loc, const toml::table& parent, const char* key, const QString& where) {
  const toml::node* node = parent.get(key);
  if (!node) return Error(ErrorCode::MissingField, QStringLiteral("%1 is missing").arg(where), {loc.path});
  if (!node->is_table()) return loc.at(*node, QStringLiteral("%1 must be a table, not %2").arg(where, typeName(*node)));
  return node->as_table();
}

Result<QString> requireString(const Located& loc, const toml::table& parent, const char* key, const QString& where) {
  const toml::node* node = parent.get(key);
  if (!node) return Error(ErrorCode::MissingField, QStringLiteral("%1 is missing").arg(where), {loc.path});
  if (!node->is_string()) return loc.at(*node, QStringLiteral("%1 must be a string, not %2").arg(where, typeName(*node)));
  const QString value = QString::fromStdString(node->as_string()->get()).trimmed();
  if (value.isEmpty()) return loc.at(*node, QStringLiteral("%1 is empty").arg(where));
  return value;
}

struct LocatedCity {
  CitySpec city;
  toml::source_region where;
};

Result<LocatedCity> parseCity(const Located& loc, const toml::node& node, const QString& where) {
  if (!node.is_table())
    return loc.at(node, QStringLiteral("%1 must be a table like { preset = \"town\", seed = 1 }, not %2").arg(where, typeName(node)));
  const toml::table& t = *node.as_table();
  if (auto e = unknownKey(loc, t, {QStringLiteral("preset"), QStringLiteral("seed")}, where)) return *e;
  auto preset = requireString(loc, t, "preset", where + QStringLiteral(" preset"));
  if (!preset) return preset.error();
  auto known = cityPreset(*preset);
  if (!known) return loc.at(*t.get("preset"), QStringLiteral("%1: %2").arg(where, known.error().message()));
  const toml::node* seed = t.get("seed");
  if (!seed) return loc.at(node, QStringLiteral("%1 has no seed").arg(where), ErrorCode::MissingField);
  if (!seed->is_integer() || seed->as_integer()->get() < 0)
    return loc.at(*seed, QStringLiteral("%1 seed must be a non-negative integer").arg(where));
  return LocatedCity{{known->name, quint64(seed->as_integer()->get())}, node.source()};
}

QString resolveOutput(const QString& root, const QString& value) {
  if (QDir::isAbsolutePath(value)) return QDir::cleanPath(value);
  return QDir::cleanPath(root + QLatin1Char('/') + value);
}

//! Why a relative path of the recipe may not be used: it climbs out of the recipe's root (a recipe
//! from someone else must not write, or read, anywhere by "../"); an absolute path is the user's
//! explicit choice. Empty when fine.
QString leavesRoot(const QString& root, const QString& value) {
  if (QDir::isAbsolutePath(value)) return {};
  const QString cleanRoot = QDir::cleanPath(root);
  const QString path = resolveOutput(root, value);
  if (path == cleanRoot || path.startsWith(cleanRoot + QLatin1Char('/'))) return {};
  return QStringLiteral("'%1' leaves the recipe's root %2 (relative paths stay inside it; write an absolute path to go elsewhere)")
      .arg(value, cleanRoot);
}

struct LocatedScenario {
  ScenarioSpec spec;
  toml::source_region where;
};

//! A number at `key` of `t`, if present; errors name `where` and the key.
Result<std::optional<double>> optionalNumber(const Located& loc, const toml::table& t, const char* key, const QString& where) {
  const toml::node* node = t.get(key);
  if (!node) return std::optional<double>{};
  if (node->is_integer()) return std::optional<double>{double(node->as_integer()->get())};
  if (node->is_floating_point()) return std::optional<double>{node->as_floating_point()->get()};
  return loc.at(*node, QStringLiteral("%1 %2 must be a number, not %3").arg(where, QLatin1String(key), typeName(*node)));
}

Result<LocatedScenario> parseScenario(const Located& loc, const QString& root, const toml::node& node, const QString& where) {
  if (!node.is_table())
    return loc.at(node, QStringLiteral("%1 must be a table like { file = \"city.gpkg\", unit = \"MB/h\", holdout = 0.3, group_size = "
                                       "1000, split_seed = 1 }, not %2")
                            .arg(where, typeName(node)));
  const toml::table& t = *node.as_table();
  if (auto e = unknownKey(loc, t,
                          {QStringLiteral("file"), QStringLiteral("unit"), QStringLiteral("holdout"), QStringLiteral("group_size"),
                           QStringLiteral("split_seed"), QStringLiteral("complete_only"), QStringLiteral("window")},
                          where))
    return *e;
  LocatedScenario out;
  out.where = node.source();
  ScenarioSpec& spec = out.spec;
  spec.recipePath = loc.path;
  spec.line = int(node.source().begin.line);
  auto file = requireString(loc, t, "file", where + QStringLiteral(" file"));
  if (!file) return file.error();
  if (const QString why = leavesRoot(root, *file); !why.isEmpty())
    return loc.at(*t.get("file"), QStringLiteral("%1 file: %2").arg(where, why));
  spec.path = resolveOutput(root, *file);
  if (!QFileInfo(spec.path).isFile()) return loc.at(*t.get("file"), QStringLiteral("%1 file: no such file %2").arg(where, spec.path));
  auto unit = requireString(loc, t, "unit", where + QStringLiteral(" unit"));
  if (!unit) return unit.error();
  spec.unit = *unit;
  // The split is stated, never defaulted: it decides which sites the model may never see.
  for (const char* key : {"holdout", "group_size", "split_seed"})
    if (!t.get(key))
      return loc.at(node,
                    QStringLiteral("%1 has no %2 (the held-out split is stated explicitly: holdout, group_size, split_seed)")
                        .arg(where, QLatin1String(key)),
                    ErrorCode::MissingField);
  auto holdout = optionalNumber(loc, t, "holdout", where);
  if (!holdout) return holdout.error();
  if (!(**holdout > 0.0 && **holdout < 1.0))
    return loc.at(*t.get("holdout"),
                  QStringLiteral("%1 holdout must be in (0, 1), not %2: the held-out blocks are never trained on, and training on "
                                 "every site would leave nothing for `netspatial evaluate` to score")
                      .arg(where, numberText(**holdout)));
  spec.holdout = **holdout;
  auto groupSize = optionalNumber(loc, t, "group_size", where);
  if (!groupSize) return groupSize.error();
  if (!(std::isfinite(**groupSize) && **groupSize > 0.0))
    return loc.at(*t.get("group_size"), QStringLiteral("%1 group_size must be a number of metres > 0").arg(where));
  spec.groupSize = **groupSize;
  const toml::node* seed = t.get("split_seed");
  if (!seed->is_integer() || seed->as_integer()->get() < 0)
    return loc.at(*seed, QStringLiteral("%1 split_seed must be a non-negative integer").arg(where));
  spec.splitSeed = quint64(seed->as_integer()->get());
  if (const toml::node* complete = t.get("complete_only")) {
    if (!complete->is_boolean()) return loc.at(*complete, QStringLiteral("%1 complete_only must be true or false").arg(where));
    spec.eligibility.requireCompleteSeries = complete->as_boolean()->get();
  }
  if (const toml::node* window = t.get("window")) {
    if (!window->is_integer() || window->as_integer()->get() < 0 || window->as_integer()->get() > 1000)
      return loc.at(*window, QStringLiteral("%1 window must be a non-negative integer").arg(where));
    spec.eligibility.window = int(window->as_integer()->get());
  }
  return out;
}

template <typename Config, typename FieldT>
std::optional<Error> setField(const Located& loc, Config& config, const FieldT& field, const toml::node& node) {
  const QString key = QString::fromLatin1(field.key);
  return std::visit(
      [&](auto m) -> std::optional<Error> {
        using T = std::remove_cvref_t<decltype(config.*m)>;
        if constexpr (std::is_same_v<T, bool>) {
          if (!node.is_boolean()) return loc.at(node, QStringLiteral("[model] %1 must be true or false, not %2").arg(key, typeName(node)));
          config.*m = node.as_boolean()->get();
          return std::nullopt;
        } else {
          double value = 0.0;
          if constexpr (std::is_integral_v<T>) {
            if (!node.is_integer()) return loc.at(node, QStringLiteral("[model] %1 must be an integer, not %2").arg(key, typeName(node)));
            const std::int64_t v = node.as_integer()->get();
            if (v < std::int64_t(field.minimum) || (std::is_same_v<T, int> && v > INT_MAX))
              return loc.at(node, QStringLiteral("[model] %1 must be an integer ≥ %2, not %3").arg(key).arg(field.minimum).arg(v));
            config.*m = T(v);
            return std::nullopt;
          } else {
            if (node.is_integer())
              value = double(node.as_integer()->get());
            else if (node.is_floating_point())
              value = node.as_floating_point()->get();
            else
              return loc.at(node, QStringLiteral("[model] %1 must be a number, not %2").arg(key, typeName(node)));
            if (!std::isfinite(value) || value < field.minimum || (field.exclusive && value <= field.minimum))
              return loc.at(node, QStringLiteral("[model] %1 must be a number %2 %3, not %4")
                                      .arg(key, field.exclusive ? QStringLiteral(">") : QStringLiteral("≥"), numberText(field.minimum),
                                           numberText(value)));
            config.*m = T(value);
            return std::nullopt;
          }
        }
      },
      field.member);
}

}  // namespace

QStringList netSpatialConfigKeys() {
  QStringList keys;
  for (const Field& f : fields()) keys << QString::fromLatin1(f.key);
  return keys;
}

QStringList adaptiveConfigKeys() {
  QStringList keys;
  for (const auto& f : models::adaptiveConfigKeys()) keys << QString::fromLatin1(f.key);
  return keys;
}

QStringList describeAdaptiveConfig(const models::AdaptiveConfig& config) {
  QStringList lines;
  for (const auto& f : models::adaptiveConfigKeys())
    lines << QStringLiteral("%1 = %2").arg(QString::fromLatin1(f.key), std::visit(
                                                                           [&](auto m) -> QString {
                                                                             using T = std::remove_cvref_t<decltype(config.*m)>;
                                                                             if constexpr (std::is_same_v<T, bool>)
                                                                               return config.*m ? QStringLiteral("true")
                                                                                                : QStringLiteral("false");
                                                                             else if constexpr (std::is_integral_v<T>)
                                                                               return QString::number(config.*m);
                                                                             else
                                                                               return numberText(config.*m);
                                                                           },
                                                                           f.member));
  return lines;
}

QStringList describeNetSpatialConfig(const NetSpatialConfig& config) {
  QStringList lines;
  for (const Field& f : fields()) lines << QStringLiteral("%1 = %2").arg(QString::fromLatin1(f.key), valueText(config, f.member));
  return lines;
}

QStringList netSpatialConfigDifferences(const NetSpatialConfig& a, const NetSpatialConfig& b) {
  QStringList out;
  for (const Field& f : fields()) {
    const QString va = valueText(a, f.member), vb = valueText(b, f.member);
    if (va != vb) out << QStringLiteral("%1: %2 → %3").arg(QString::fromLatin1(f.key), va, vb);
  }
  return out;
}

Result<TrainingRecipe> loadTrainingRecipe(const QString& path) {
  QFile file(path);
  if (!file.exists()) return Error(ErrorCode::FileNotFound, QStringLiteral("no such recipe file"), {path});
  if (!file.open(QIODevice::ReadOnly))
    return Error(ErrorCode::Io, QStringLiteral("cannot read the recipe: %1").arg(file.errorString()), {path});
  const QByteArray bytes = file.readAll();
  const QString text = QString::fromUtf8(bytes);
  if (text.toUtf8() != bytes) return Error(ErrorCode::ParseError, QStringLiteral("the recipe is not valid UTF-8"), {path});
  return parseTrainingRecipe(text, path);
}

namespace {
Result<TrainingRecipe> finishOutput(const Located& loc, const toml::table& root, TrainingRecipe recipe);
}  // namespace

Result<TrainingRecipe> parseTrainingRecipe(const QString& text, const QString& path) {
  const Located loc{path};
  toml::table root;
  const std::string utf8 = text.toStdString();
  try {
    // toml++ reports syntax errors by exception; it stops here, at the module boundary.
    root = toml::parse(utf8, path.toStdString());
  } catch (const toml::parse_error& e) {
    return loc.at(e.source(), QStringLiteral("not valid TOML: %1").arg(QString::fromStdString(std::string(e.description()))),
                  ErrorCode::ParseError);
  }

  TrainingRecipe recipe;
  recipe.path = QFileInfo(path).absoluteFilePath();
  // recipes/<name>.toml → outputs relative to the repository root, wherever the command runs.
  // (By text: QDir::cdUp() refuses folders that do not exist.)
  recipe.root = QDir::cleanPath(QFileInfo(path).absolutePath() + QStringLiteral("/.."));
  recipe.text = text;
  if (auto e =
          unknownKey(loc, root, {QStringLiteral("model"), QStringLiteral("data"), QStringLiteral("evaluation"), QStringLiteral("output")},
                     QStringLiteral("the recipe")))
    return *e;

  // [model]
  auto model = requireTable(loc, root, "model", QStringLiteral("[model]"));
  if (!model) return model.error();
  // [model] generator names the family the keys belong to: NetSpatial's (the default) or ADAPTIVE's.
  if (const toml::node* generator = (*model)->get("generator")) {
    auto value = requireString(loc, **model, "generator", QStringLiteral("[model] generator"));
    if (!value) return value.error();
    if (*value != QLatin1String("netspatial") && *value != QLatin1String("adaptive"))
      return loc.at(*generator, QStringLiteral("[model] generator must be \"netspatial\" or \"adaptive\", not \"%1\"").arg(*value));
    recipe.generator = *value;
  }
  const bool adaptive = recipe.generator == QLatin1String("adaptive");
  QStringList modelKeys = adaptive ? adaptiveConfigKeys() : netSpatialConfigKeys();
  if (!adaptive) modelKeys.prepend(QStringLiteral("init"));
  modelKeys.prepend(QStringLiteral("generator"));
  modelKeys.prepend(QStringLiteral("id"));
  if (auto e = unknownKey(loc, **model, modelKeys, QStringLiteral("[model]"))) return *e;
  auto id = requireString(loc, **model, "id", QStringLiteral("[model] id"));
  if (!id) return id.error();
  for (QChar c : *id)
    if (!(c.isLower() || c.isDigit() || c == QLatin1Char('_') || c == QLatin1Char('-')) || c.unicode() > 127)
      return loc.at(*(*model)->get("id"),
                    QStringLiteral("[model] id '%1' may use only a–z, 0–9, '_' and '-' (it names files and run records)").arg(*id));
  recipe.modelId = *id;
  if (const toml::node* init = (*model)->get("init")) {
    auto value = requireString(loc, **model, "init", QStringLiteral("[model] init"));
    if (!value) return value.error();
    recipe.initLine = int(init->source().begin.line);
    if (*value == QLatin1String("scratch")) {
      recipe.init = TrainingRecipe::Init::Scratch;
    } else if (*value == QLatin1String("embedded")) {
      recipe.init = TrainingRecipe::Init::Embedded;
    } else {
      recipe.init = TrainingRecipe::Init::File;
      if (const QString why = leavesRoot(recipe.root, *value); !why.isEmpty())
        return loc.at(*init, QStringLiteral("[model] init: %1").arg(why));
      recipe.initPath = resolveOutput(recipe.root, *value);
      if (!QFileInfo(recipe.initPath).isFile())
        return loc.at(
            *init,
            QStringLiteral("[model] init must be \"scratch\", \"embedded\" or a weights file; no such file %1").arg(recipe.initPath));
    }
  }
  std::vector<std::pair<std::uint32_t, QString>> overridden;
  const auto readFields = [&](auto& config, const auto& table) -> std::optional<Error> {
    for (const auto& f : table) {
      const toml::node* node = (*model)->get(f.key);
      if (!node) continue;
      if (auto e = setField(loc, config, f, *node)) return e;
      overridden.emplace_back(node->source().begin.line, QString::fromLatin1(f.key));
      recipe.keyLines[QString::fromLatin1(f.key)] = int(node->source().begin.line);
    }
    return std::nullopt;
  };
  if (auto e = adaptive ? readFields(recipe.adaptiveConfig, models::adaptiveConfigKeys()) : readFields(recipe.config, fields())) return *e;
  std::sort(overridden.begin(), overridden.end());
  for (const auto& [line, key] : overridden) recipe.overriddenKeys << key;

  // [data]
  auto data = requireTable(loc, root, "data", QStringLiteral("[data]"));
  if (!data) return data.error();
  if (auto e = unknownKey(loc, **data, {QStringLiteral("cities"), QStringLiteral("scenarios"), QStringLiteral("wall_clock_hours")},
                          QStringLiteral("[data]")))
    return *e;
  if (const toml::node* wallClock = (*data)->get("wall_clock_hours")) {
    if (!wallClock->is_boolean()) return loc.at(*wallClock, QStringLiteral("[data] wall_clock_hours must be true or false"));
    recipe.wallClockHours = wallClock->as_boolean()->get();
  }
  const toml::node* citiesNode = (*data)->get("cities");
  const toml::node* scenariosNode = (*data)->get("scenarios");
  if (!citiesNode && !scenariosNode)
    return Error(ErrorCode::MissingField, QStringLiteral("[data] has neither cities nor scenarios: nothing to train on"), {path});
  if (citiesNode && (!citiesNode->is_array() || citiesNode->as_array()->empty()))
    return loc.at(*citiesNode, QStringLiteral("[data] cities must be a non-empty array of { preset = …, seed = … } tables"));
  if (scenariosNode && (!scenariosNode->is_array() || scenariosNode->as_array()->empty()))
    return loc.at(*scenariosNode, QStringLiteral("[data] scenarios must be a non-empty array of { file = …, unit = …, holdout = …, "
                                                 "group_size = …, split_seed = … } tables"));
  std::vector<LocatedScenario> scenarios;
  if (scenariosNode) {
    int index = 0;
    for (const toml::node& node : *scenariosNode->as_array()) {
      ++index;
      auto scenario = parseScenario(loc, recipe.root, node, QStringLiteral("[data] scenario %1").arg(index));
      if (!scenario) return scenario.error();
      // A second entry for the same file, whatever its split, would train on sites the other
      // entry holds out (and the same split twice would only weigh them double).
      const QString canonical = QFileInfo(scenario->spec.path).canonicalFilePath();
      for (std::size_t j = 0; j < scenarios.size(); ++j)
        if (QFileInfo(scenarios[j].spec.path).canonicalFilePath() == canonical)
          return loc.at(scenario->where,
                        QStringLiteral("[data] scenario %1 repeats scenario %2 (line %3), %4: a scenario may be listed once, since "
                                       "another split of its sites would train on sites the other holds out")
                            .arg(index)
                            .arg(j + 1)
                            .arg(scenarios[j].where.begin.line)
                            .arg(QFileInfo(canonical).fileName()));
      scenarios.push_back(*scenario);
      recipe.trainingScenarios.push_back(scenario->spec);
    }
  }
  std::vector<LocatedCity> training;
  int index = 0;
  static const toml::array kNoCities;
  for (const toml::node& node : citiesNode ? *citiesNode->as_array() : kNoCities) {
    ++index;
    auto city = parseCity(loc, node, QStringLiteral("[data] city %1").arg(index));
    if (!city) return city.error();
    for (std::size_t j = 0; j < training.size(); ++j)
      if (training[j].city == city->city)
        return loc.at(city->where,
                      QStringLiteral("[data] city %1 (%2) repeats city %3 (line %4): the same preset and seed give the same city")
                          .arg(index)
                          .arg(city->city.label())
                          .arg(j + 1)
                          .arg(training[j].where.begin.line));
    training.push_back(*city);
    recipe.trainingCities.push_back(city->city);
  }

  // [evaluation]
  // Without simulated cities the scenarios' held-out blocks are the evaluation: [evaluation] is
  // optional then.
  if (training.empty() && !root.get("evaluation")) return finishOutput(loc, root, std::move(recipe));
  auto evaluation = requireTable(loc, root, "evaluation", QStringLiteral("[evaluation]"));
  if (!evaluation) return evaluation.error();
  if (auto e = unknownKey(loc, **evaluation, {QStringLiteral("city")}, QStringLiteral("[evaluation]"))) return *e;
  const toml::node* evalNode = (*evaluation)->get("city");
  if (!evalNode) return Error(ErrorCode::MissingField, QStringLiteral("[evaluation] city is missing"), {path});
  auto evalCity = parseCity(loc, *evalNode, QStringLiteral("[evaluation] city"));
  if (!evalCity) return evalCity.error();
  for (std::size_t j = 0; j < training.size(); ++j)
    if (training[j].city == evalCity->city)
      return loc.at(evalCity->where,
                    QStringLiteral("the evaluation city (%1) is also [data] city %2 (line %3): a zero-shot city must never be "
                                   "trained on")
                        .arg(evalCity->city.label())
                        .arg(j + 1)
                        .arg(training[j].where.begin.line));
  recipe.evaluationCity = evalCity->city;
  recipe.hasEvaluationCity = true;
  return finishOutput(loc, root, std::move(recipe));
}

namespace {

Result<TrainingRecipe> finishOutput(const Located& loc, const toml::table& root, TrainingRecipe recipe) {
  // [output]
  auto output = requireTable(loc, root, "output", QStringLiteral("[output]"));
  if (!output) return output.error();
  if (auto e = unknownKey(loc, **output, {QStringLiteral("weights"), QStringLiteral("card")}, QStringLiteral("[output]"))) return *e;
  auto weights = requireString(loc, **output, "weights", QStringLiteral("[output] weights"));
  if (!weights) return weights.error();
  auto card = requireString(loc, **output, "card", QStringLiteral("[output] card"));
  if (!card) return card.error();
  for (const auto& [key, value] : {std::pair<const char*, QString>{"weights", *weights}, std::pair<const char*, QString>{"card", *card}})
    if (const QString why = leavesRoot(recipe.root, value); !why.isEmpty())
      return loc.at(*(*output)->get(key), QStringLiteral("[output] %1: %2").arg(QLatin1String(key), why));
  recipe.weightsPath = resolveOutput(recipe.root, *weights);
  recipe.cardPath = resolveOutput(recipe.root, *card);
  if (recipe.weightsPath == recipe.cardPath)
    return loc.at(*(*output)->get("card"), QStringLiteral("[output] card and weights are the same file (%1)").arg(recipe.cardPath));
  return recipe;
}

}  // namespace

QString initDescription(const TrainingRecipe& recipe) {
  switch (recipe.init) {
    case TrainingRecipe::Init::Scratch:
      return QStringLiteral("scratch");
    case TrainingRecipe::Init::Embedded:
      return QStringLiteral("embedded");
    case TrainingRecipe::Init::File:
      break;
  }
  return recipe.initPath;
}

Result<NetSpatialConfig> fineTuningConfig(const TrainingRecipe& recipe, const NetSpatialConfig& initial) {
  NetSpatialConfig config = initial;
  for (const Field& f : fields()) {
    const QString key = QString::fromLatin1(f.key);
    if (!recipe.overriddenKeys.contains(key)) continue;
    const QString mine = valueText(recipe.config, f.member), theirs = valueText(initial, f.member);
    if (f.architecture && mine != theirs) {
      const int line = recipe.keyLines.count(key) ? recipe.keyLines.at(key) : 0;
      const QString message =
          QStringLiteral(
              "[model] %1 = %2, but the initial weights (init = \"%3\") have %1 = %4: fine-tuning keeps the architecture "
              "of the initial weights (leave %1 out, or train from scratch)")
              .arg(key, mine, initDescription(recipe), theirs);
      return line > 0 ? Error(ErrorCode::InvalidArgument, QStringLiteral("line %1: %2").arg(line).arg(message), {recipe.path})
                      : Error(ErrorCode::InvalidArgument, message, {recipe.path});
    }
    std::visit([&](auto m) { config.*m = recipe.config.*m; }, f.member);
  }
  return config;
}

}  // namespace netspatial::app
