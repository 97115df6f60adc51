#pragma once

// Training NetSpatial from a recipe (DESIGN.md §6, issues 5 and 19): the one engine behind
// `netspatial train`, the studio's background training and the training-fraction sweep of
// `netspatial evaluate`. It loads the initial weights (scratch, embedded, a file, or a checkpoint to
// resume), builds the training data, trains every stage, checks that the result loads back and
// writes the model card's text. It writes no file and prints nothing: the caller decides where the
// weights, the card and the stage checkpoints go, and what to show.

#include "app/common/trainingdata.h"
#include "app/common/trainingrecipe.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include "netspatial/models/netspatial.h"

#include <QDateTime>
#include <QString>
#include <QTextStream>

#include <cstdint>
#include <functional>
#include <vector>

namespace netspatial::app {

//! The share of the Feedback's progress spent building the training data; training gets the rest.
inline constexpr double kRecipeDataShare = 0.1;

struct RecipeTrainingOptions {
  //! A checkpoint of the same recipe to continue (stages it finished are skipped); empty = start
  //! from the recipe's [model] init. It must hold the configuration the recipe trains.
  QString resumeFrom;
  //! Intra-op threads for LibTorch; 0 = LibTorch's choice. (A process-wide setting.)
  int threads = 0;
  //! Where the caller will write the weights: the model card names it. Empty = the recipe's [output]
  //! weights.
  QString weightsPath;
  //! Trains on a subset of the recipe's scenario training sites (TrainingSources::keepScenarioSite);
  //! the held-out split is unchanged. Unset = every training site.
  std::function<bool(const ScenarioSpec& scenario, const QString& siteId)> keepScenarioSite;
};

//! What is known once the initial weights are loaded, before any data is built.
struct RecipeTrainingStart {
  //! The recipe as it will be trained: when fine-tuning, its configuration is the initial weights'
  //! with the recipe's [model] keys over it (fineTuningConfig).
  TrainingRecipe recipe;
  QString initSha256;  //!< of the initial weights when fine-tuning; empty from scratch
  int threads = 0;     //!< intra-op threads in force
};

//! Observers, all optional, called on the calling thread while it trains: what the caller prints
//! or saves along the way. Progress and cancel go through the core::Feedback.
struct RecipeTrainingObserver {
  std::function<void(const RecipeTrainingStart&)> started;
  //! The training data is built (in `seconds`); training starts next.
  std::function<void(const TrainingData& data, double seconds)> dataReady;
  //! Every training step, as the generator reports it (stage, step, loss, fraction of the run).
  std::function<void(const models::TrainingProgress&)> step;
  //! `finishedStage` is done and `generator` holds it: a checkpoint saved now resumes after it.
  std::function<void(const models::NetSpatialGenerator& generator, const QString& finishedStage)> stageFinished;
};

//! The facts of one run the model card states.
struct RecipeCardFacts {
  QString weightsPath;
  qint64 weightsBytes = 0;
  QString weightsSha256;
  QString trainingSummary;  //!< the generator's record of its stages
  double trainSeconds = 0.0;
  double dataSeconds = 0.0;
  int threads = 0;
  QString device;  //!< "CPU" or "CUDA"
  QString resumedFrom;
  QString initSha256;  //!< of the initial weights when fine-tuning
  QDateTime finished;  //!< UTC, whole seconds
};

struct TrainedRecipe {
  TrainingRecipe recipe;              //!< as trained (RecipeTrainingStart::recipe)
  std::vector<std::uint8_t> weights;  //!< the checkpoint; checked to load back
  RecipeCardFacts facts;
  QString card;  //!< the Markdown model card
  //! Summaries, provenance and normalisation of the training data; `sites` is emptied (the series
  //! and contexts are not needed after training).
  TrainingData data;
};

//! Trains `recipe` (loadTrainingRecipe). Errors name the file (recipe, initial weights, checkpoint)
//! and, from the recipe, the line. Cancelling `feedback` stops between steps and returns
//! ErrorCode::Cancelled.
core::Result<TrainedRecipe> trainFromRecipe(TrainingRecipe recipe, const RecipeTrainingOptions& options, core::Feedback* feedback = nullptr,
                                            const RecipeTrainingObserver& observer = {});

//! The steps every generator's recipe run shares. buildRecipeData builds result.recipe's training
//! data into result.data (the first kRecipeDataShare of `feedback`), tells observer.dataReady and
//! returns the seconds it took (Cancelled when cancelled).
core::Result<double> buildRecipeData(TrainedRecipe& result, const RecipeTrainingOptions& options, core::Feedback* feedback,
                                     const RecipeTrainingObserver& observer);
//! Fills the facts every card states from the weights and the run: path, size, SHA-256, seconds,
//! threads, device and the finishing time (whole seconds, UTC).
void fillRecipeCardFacts(RecipeCardFacts& facts, const TrainedRecipe& result, const RecipeTrainingOptions& options, double dataSeconds,
                         double trainSeconds, int threads, const QString& device);

//! The Markdown model card of a run (what trainFromRecipe returns as TrainedRecipe::card).
QString recipeModelCard(const TrainingRecipe& recipe, const TrainingData& data, const RecipeCardFacts& facts);
//! The card's "## Data" section (cities, scenario files and their splits, sites, normalisation,
//! the zero-shot city), shared by every generator's card; `windowsText` says what each site gave.
void writeRecipeDataSection(QTextStream& o, const TrainingRecipe& recipe, const TrainingData& data, const QString& windowsText);

//! The `netspatial evaluate` command line that scores exactly the held-out sites of a scenario.
QString recipeEvaluateCommand(const TrainingRecipe& recipe, const ScenarioSpec& spec);

//! `path` relative to the recipe's root when it lies inside it (for messages and the card), else as is.
QString recipeRelativePath(const TrainingRecipe& recipe, const QString& path);

//! "12 s", "3:07", "1:02:03".
QString clockDuration(double seconds);
//! "1.6 s" under a minute, "12:03 (723.4 s)" above: readable and exact.
QString wallTime(double seconds);

}  // namespace netspatial::app
