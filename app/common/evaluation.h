#pragma once

// The evaluation harness behind `netspatial evaluate` (DESIGN.md §6–7): loads scenarios, splits
// sites (zero-shot by city, or held-out spatial blocks within one city), fits every reference
// generator on the training sites (pre-trained ones run with their embedded or given weights, not
// refitted), generates for the test sites and scores them with all metrics of core.

#include "app/common/heldoutsplit.h"
#include "core/geo/geometry.h"
#include "core/traffic/metrics.h"
#include "core/util/feedback.h"
#include "core/util/result.h"
#include "netspatial/models/adaptive.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace netspatial::app {

//! A NetSpatial checkpoint to evaluate. Without a label it replaces the embedded weights of the
//! "netspatial" row; with one it adds a row "netspatial_<label>" (ablations, retrained weights).
struct WeightsChoice {
  QString label;  //!< [A-Za-z0-9_]*
  QString path;   //!< the checkpoint file; with `bytes`, only how the report names them
  //! The checkpoint itself when it is not a file (a model trained in this process, e.g. by the
  //! training-fraction sweep); empty = read `path`.
  std::vector<std::uint8_t> bytes;
};

struct EvaluationOptions {
  QStringList trainPaths;  //!< one or more scenarios
  QString testPath;        //!< a scenario never trained on; empty = hold out sites of trainPaths[0]
  double holdoutFraction = 0.3;
  double groupSize = 1000.0;  //!< metres: held-out sites are chosen by square blocks of this side
  quint64 splitSeed = 1;
  std::vector<std::string> generators;  //!< ids; empty = all
  int samples = 8;
  quint64 seed = 1;
  int window = 0;  //!< which whole 28-day window (Monday 00:00 local) of the observed traffic
  //! Use only sites without a single missing hour in the whole observed series (not only in the
  //! window): "the complete cells" of a dataset with truncated series.
  bool requireCompleteSeries = false;
  std::vector<WeightsChoice> weights;
  //! Held-out split only: the generators are fitted on those of the split's training sites for
  //! which this returns true (`netspatial evaluate --sweep-fractions`). The test sites and the
  //! metric normalisation (over all the split's sites) do not change, so runs on different subsets
  //! are scored on the same scale. Unset = every training site.
  std::function<bool(const QString& siteId)> keepTrainingSite;
  //! Also fit a linear probe C → zone class on the training sites' NetSpatial embeddings and score
  //! it on the test sites' (how much of the urban function the embedding carries).
  bool probe = false;
};

struct EvaluationRow {
  QString generator;
  QString displayName;
  QString weightsSha256;
  core::MetricTable metrics;
  double secondsPerSequence = 0.0;  //!< generation only (fitting excluded), wall clock
  double fitSeconds = 0.0;          //!< 0 for pre-trained generators (not refitted)
  //! Where a pre-trained generator's weights came from ("embedded weights", a file); empty for the
  //! generators fitted in this run.
  QString pretrainedFrom;
};

//! The linear probe of one NetSpatial row (EvaluationOptions::probe).
struct ProbeResult {
  QString generator;
  double accuracy = 0.0;       //!< on the test sites that lie in a zone
  double majorityShare = 0.0;  //!< accuracy of always answering the most frequent training class
  //! The position encoder's own accuracy: its predicted peak hour h* against each test site's real
  //! weekday peak (the generated samples' peak_hour_acc is bounded by how well they follow h*).
  double peakClassifierAccuracy = 0.0;
  int trainSites = 0;
  int testSites = 0;
};

struct EvaluationReport {
  std::vector<EvaluationRow> rows;
  QString split;       //!< human description of the split
  int trainSites = 0;  //!< fitted on (EvaluationOptions::keepTrainingSite)
  //! The split's training sites before keepTrainingSite (= trainSites without it).
  int splitTrainSites = 0;
  int testSites = 0;
  double normalisationMin = 0.0;  //!< metrics use (x − min)/(max − min) over all real series used
  double normalisationMax = 1.0;
  QString trafficUnit;
  QStringList provenance;           //!< files, seeds, window, excluded sites, weights, probes …
  std::vector<ProbeResult> probes;  //!< one per NetSpatial row when EvaluationOptions::probe
  //! ADAPTIVE's component probes (alignment accuracy per variant, POI head KL), one per ADAPTIVE row.
  std::vector<std::pair<QString, models::AdaptiveProbeReport>> adaptiveProbes;
};

//! Runs the whole evaluation; progress and cancel through `feedback`.
core::Result<EvaluationReport> runEvaluation(const EvaluationOptions& options, core::Feedback* feedback = nullptr);

//! CSV: `generator`, then the metric names of core::MetricTable::names(), then seconds_per_sequence.
QString evaluationCsv(const EvaluationReport& report);
//! Markdown: the same table (3 significant digits) after a provenance list.
QString evaluationMarkdown(const EvaluationReport& report);

}  // namespace netspatial::app
