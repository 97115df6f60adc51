// Fuzzes loadTrainingRecipe: a training recipe (TOML, toml++) and every check the project makes on
// it (keys, types, bounds, paths that leave the recipe's root, repeated cities and scenarios).
//
// The recipe is written as <scratch>/root/recipes/recipe.toml, so its root is <scratch>/root, which
// holds an (empty) city.gpkg and init.nsm: a recipe naming them gets past the "no such file"
// checks to the ones after. A recipe that loads is then used as `netspatial train` uses it: its
// configuration printed and laid over the defaults for fine-tuning.

#include "app/common/trainingrecipe.h"
#include "fuzz/fuzzsupport.h"

#include <QDir>
#include <QFile>

using namespace netspatial;

namespace {

QString recipePath;

void touch(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) fuzz::violated("recipe", QStringLiteral("cannot create %1").arg(path));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::initialise();
  const QDir scratch(fuzz::scratchDir());
  scratch.mkpath(QStringLiteral("root/recipes"));
  touch(scratch.filePath(QStringLiteral("root/city.gpkg")));
  touch(scratch.filePath(QStringLiteral("root/init.nsm")));
  recipePath = scratch.filePath(QStringLiteral("root/recipes/recipe.toml"));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::writeScratchFile(QStringLiteral("root/recipes/recipe.toml"), fuzz::bytes(data, size));
  auto recipe = app::loadTrainingRecipe(recipePath);
  if (!recipe) return fuzz::note(recipe.error().toString()), 0;
  if (recipe->modelId.isEmpty()) fuzz::violated("recipe", QStringLiteral("a recipe without a model id"));
  if (recipe->trainingCities.empty() && recipe->trainingScenarios.empty())
    fuzz::violated("recipe", QStringLiteral("a recipe with nothing to train on"));
  for (const QString& output : {recipe->weightsPath, recipe->cardPath})
    if (output.isEmpty()) fuzz::violated("recipe", QStringLiteral("an empty output path"));
  if (recipe->weightsPath == recipe->cardPath) fuzz::violated("recipe", QStringLiteral("weights and card are one file"));
  for (const auto& scenario : recipe->trainingScenarios)
    if (!(scenario.holdout > 0.0 && scenario.holdout < 1.0))
      fuzz::violated("recipe", QStringLiteral("holdout %1 accepted").arg(scenario.holdout));
  (void)app::describeNetSpatialConfig(recipe->config);
  (void)app::fineTuningConfig(*recipe, models::NetSpatialConfig{});
  return 0;
}
