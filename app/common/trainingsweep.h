#pragma once

// How much observed traffic a city needs (issue 19 item 6, paper 003 Fig. 12): the evaluation of
// one held-out split repeated with growing random subsets of its training sites. The test sites
// and the metric normalisation stay those of the whole split; for each fraction and seed the
// references are fitted, and with a recipe NetSpatial is trained again (recipetraining.h), on the
// subset only. Subsets are nested: for one seed, the 20 % subset lies inside the 40 % one, and so on.

#include "app/common/evaluation.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace netspatial::app {

struct TrainingSweepOptions {
  //! The split and the scoring (held-out split only: no testPath). Its generators (empty = every
  //! reference that is fitted on the training sites; a pre-trained one listed is scored as is, the
  //! same at every fraction) and its weights choices apply to every run.
  EvaluationOptions evaluation;
  std::vector<double> fractions;  //!< each in (0, 1], no duplicates; run in ascending order
  int seeds = 3;                  //!< subset seeds 1..seeds
  //! A training recipe whose one scenario is evaluation.trainPaths[0] with the same split: NetSpatial
  //! is trained from it on every subset, as row "netspatial_<recipe id>". Empty = references only.
  QString recipePath;
  int threads = 0;  //!< LibTorch intra-op threads for the training (0 = LibTorch's choice)
};

//! One fraction and seed.
struct SweepRun {
  double fraction = 1.0;
  int seed = 1;
  int trainingSites = 0;  //!< the subset's size, ceil(fraction × all training sites)
  std::vector<EvaluationRow> rows;
  QString trainedSha256;           //!< of the recipe's model trained on this subset (empty without a recipe)
  double trainSeconds = 0.0;       //!< that training's wall time
  bool sharedWithEarlier = false;  //!< the same sites as an earlier run (e.g. 100 % for every seed): its numbers are reused
};

struct TrainingSweepReport {
  std::vector<double> fractions;  //!< ascending
  int seeds = 0;
  std::vector<SweepRun> runs;  //!< fraction by fraction, seed by seed
  QStringList generators;      //!< row names, in table order
  QString split;
  int allTrainingSites = 0;  //!< the split's training sites (the 100 % subset)
  int testSites = 0;
  QString trafficUnit;
  double normalisationMin = 0.0, normalisationMax = 1.0;
  QStringList provenance;
};

//! Checks the options (fractions, seeds, the split, the recipe against the split) before anything
//! slow; an error names the option and, for a recipe, its file and both values.
core::Status checkTrainingSweep(const TrainingSweepOptions& options);

//! Runs the sweep; progress and cancel (ErrorCode::Cancelled) through `feedback`.
core::Result<TrainingSweepReport> runTrainingSweep(const TrainingSweepOptions& options, core::Feedback* feedback = nullptr);

//! The subset of `ids` (a split's training sites) for `fraction` and `seed`: the first
//! ceil(fraction × n) of a permutation drawn from the seed, so subsets of one seed are nested.
std::vector<QString> sweepSubset(const std::vector<QString>& ids, double fraction, int seed);

//! The metrics the printed table and the plot show.
const QStringList& sweepTableMetrics();
//! Markdown: provenance, then per fraction and generator the mean ± sd over seeds of
//! sweepTableMetrics() and the number of training sites.
QString trainingSweepMarkdown(const TrainingSweepReport& report);
//! CSV, one row per fraction, seed, generator and metric (every metric of core::MetricTable).
QString trainingSweepCsv(const TrainingSweepReport& report);

//! Mean and sample standard deviation (0 for one value) of `metric` of `generator` over the seeds
//! of `fraction`.
struct SweepStat {
  double mean = 0.0;
  double sd = 0.0;
  int n = 0;
};
SweepStat sweepStat(const TrainingSweepReport& report, double fraction, const QString& generator, const QString& metric);

}  // namespace netspatial::app
