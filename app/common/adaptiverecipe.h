#pragma once

// Training ADAPTIVE from a recipe (issue 22; `[model] generator = "adaptive"`): the same training
// data as NetSpatial's recipes (buildTrainingData), AdaptiveGenerator::train, a check that the
// weights load back, and the model card. trainFromRecipe dispatches here; like it, this writes no
// file and prints nothing.

#include "app/common/recipetraining.h"

namespace netspatial::app {

core::Result<TrainedRecipe> trainAdaptiveFromRecipe(TrainingRecipe recipe, const RecipeTrainingOptions& options, core::Feedback* feedback,
                                                    const RecipeTrainingObserver& observer);

//! The Markdown model card of an ADAPTIVE run.
QString adaptiveModelCard(const TrainingRecipe& recipe, const TrainingData& data, const RecipeCardFacts& facts,
                          const models::AdaptiveLinkReport& link);

}  // namespace netspatial::app
