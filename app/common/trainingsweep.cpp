#include "app/common/trainingsweep.h"

#include "app/common/generators.h"
#include "app/common/recipetraining.h"
#include "app/common/trainingrecipe.h"
#include "core/scenario/scenariostore.h"
#include "core/util/csvwriter.h"
#include "core/util/filehash.h"

#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>

namespace netspatial::app {

using core::Error;
using core::ErrorCode;

namespace {

QString fmt(double v, int decimals) { return QLocale::c().toString(v, 'f', decimals); }
QString sig(double v, int digits) { return std::isnan(v) ? QStringLiteral("–") : QString::number(v, 'g', digits); }
QString percent(double fraction) { return fmt(fraction * 100.0, 0) + QStringLiteral(" %"); }

Error invalid(const QString& message, const core::ErrorContext& context = {}) {
  return Error(ErrorCode::InvalidArgument, message, context);
}

//! The row label of the recipe's model: its id without the "netspatial_" the row name adds back.
QString recipeRowLabel(const TrainingRecipe& recipe) {
  QString label = recipe.modelId;
  if (label.startsWith(QStringLiteral("netspatial_"))) label = label.mid(int(qstrlen("netspatial_")));
  label.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_]")), QStringLiteral("_"));
  return label.isEmpty() ? QStringLiteral("recipe") : label;
}

QString splitText(double holdout, double groupSize, quint64 seed, const SiteEligibility& e) {
  return QStringLiteral("holdout %1, group size %2 m, split seed %3, window %4, %5")
      .arg(QString::number(holdout, 'g', 6), QString::number(groupSize, 'g', 6))
      .arg(seed)
      .arg(e.window)
      .arg(e.requireCompleteSeries ? QStringLiteral("complete series only") : QStringLiteral("complete window"));
}

//! The recipe must train on the evaluation's own split: otherwise a "held-out" site of the sweep
//! could be a training site of the model it scores.
core::Result<TrainingRecipe> checkedRecipe(const TrainingSweepOptions& o) {
  auto recipe = loadTrainingRecipe(o.recipePath);
  if (!recipe) return recipe.error();
  if (recipe->trainingScenarios.size() != 1)
    return invalid(QStringLiteral("the recipe trains on %1 scenario files; the sweep retrains on subsets of one (%2)")
                       .arg(recipe->trainingScenarios.size())
                       .arg(QFileInfo(o.evaluation.trainPaths.value(0)).fileName()),
                   {recipe->path});
  const ScenarioSpec& spec = recipe->trainingScenarios.front();
  const QString evaluated = QFileInfo(o.evaluation.trainPaths.value(0)).canonicalFilePath();
  if (QFileInfo(spec.path).canonicalFilePath() != evaluated)
    return invalid(QStringLiteral("the recipe's scenario %1 (line %2) is not the evaluated scenario %3")
                       .arg(spec.path)
                       .arg(spec.line)
                       .arg(o.evaluation.trainPaths.value(0)),
                   {recipe->path});
  const EvaluationOptions& e = o.evaluation;
  const SiteEligibility evaluatedRule{e.window, e.requireCompleteSeries};
  if (spec.holdout != e.holdoutFraction || spec.groupSize != e.groupSize || spec.splitSeed != e.splitSeed ||
      spec.eligibility.window != evaluatedRule.window || spec.eligibility.requireCompleteSeries != evaluatedRule.requireCompleteSeries)
    return invalid(QStringLiteral("the recipe splits %1 with %2 (line %3), evaluate with %4 (--holdout, --group-size, --split-seed, "
                                  "--window, --complete-only): the two must hold out the same sites")
                       .arg(QFileInfo(spec.path).fileName(), splitText(spec.holdout, spec.groupSize, spec.splitSeed, spec.eligibility))
                       .arg(spec.line)
                       .arg(splitText(e.holdoutFraction, e.groupSize, e.splitSeed, evaluatedRule)),
                   {recipe->path});
  return recipe;
}

//! The split's training sites, as runEvaluation splits them.
core::Result<std::vector<QString>> splitTrainingSites(const EvaluationOptions& e, core::Feedback* feedback) {
  const QString path = e.trainPaths.front();
  auto scenario = core::loadScenario(path, feedback);
  if (!scenario) return scenario.error();
  auto eligible = eligibleSites(*scenario, {e.window, e.requireCompleteSeries}, path);
  if (!eligible) return eligible.error();
  auto split = splitByBlocks(*scenario, eligible->ids, e.holdoutFraction, e.groupSize, e.splitSeed);
  if (!split) return split.error();
  std::vector<QString> training;
  for (std::size_t i = 0; i < eligible->ids.size(); ++i)
    if (!split->heldOut[i]) training.push_back(eligible->ids[i]);
  if (training.empty()) return invalid(QStringLiteral("the split leaves no training site"), {path});
  return training;
}

QString metricUnit(const QString& metric, const QString& trafficUnit) {
  if (metric == QStringLiteral("mae") || metric == QStringLiteral("rmse") || metric == QStringLiteral("crps") ||
      metric == QStringLiteral("daily_fft_rmse"))
    return QStringLiteral("normalised traffic (x - min)/(max - min) of %1")
        .arg(trafficUnit.isEmpty() ? QStringLiteral("traffic") : trafficUnit);
  if (metric.startsWith(QStringLiteral("jsd")) && metric != QStringLiteral("jsd_symkl")) return QStringLiteral("bits");
  if (metric == QStringLiteral("jsd_symkl")) return QStringLiteral("sqrt of symmetric KL in nats");
  if (metric == QStringLiteral("peak_hour_acc")) return QStringLiteral("share of test sites");
  if (metric == QStringLiteral("corr")) return QStringLiteral("Pearson r");
  return QStringLiteral("dimensionless");
}

}  // namespace

std::vector<QString> sweepSubset(const std::vector<QString>& ids, double fraction, int seed) {
  std::vector<QString> order = ids;
  // Fisher–Yates on mt19937_64, whose output the standard fixes (a std::shuffle or a
  // distribution could differ between standard libraries and change the published table).
  std::mt19937_64 rng{quint64(seed)};
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[std::size_t(rng() % i)]);
  // The 1e-9 keeps 0.6 × 5 = 3.0000000000000004 from becoming 4 sites.
  const auto n = std::size_t(std::ceil(fraction * double(order.size()) - 1e-9));
  order.resize(std::clamp<std::size_t>(n, 1, order.size()));
  std::sort(order.begin(), order.end());
  return order;
}

core::Status checkTrainingSweep(const TrainingSweepOptions& o) {
  if (o.fractions.empty()) return invalid(QStringLiteral("--sweep-fractions lists no fraction"));
  std::set<double> seen;
  for (double f : o.fractions) {
    if (!(f > 0.0 && f <= 1.0)) return invalid(QStringLiteral("--sweep-fractions: %1 is not in (0, 1]").arg(QString::number(f, 'g', 6)));
    if (!seen.insert(f).second) return invalid(QStringLiteral("--sweep-fractions: %1 is given twice").arg(QString::number(f, 'g', 6)));
  }
  if (o.seeds < 1) return invalid(QStringLiteral("--sweep-seeds must be at least 1, not %1").arg(o.seeds));
  if (!o.evaluation.testPath.isEmpty())
    return invalid(QStringLiteral("a training-fraction sweep scores a held-out split of one scenario: it cannot be combined with --test"));
  if (o.evaluation.trainPaths.size() != 1)
    return invalid(QStringLiteral("a training-fraction sweep splits one scenario, not %1").arg(o.evaluation.trainPaths.size()));
  if (o.threads < 0) return invalid(QStringLiteral("--threads must be ≥ 0"));
  if (!o.recipePath.isEmpty())
    if (auto recipe = checkedRecipe(o); !recipe) return recipe.error();
  return {};
}

core::Result<TrainingSweepReport> runTrainingSweep(const TrainingSweepOptions& o, core::Feedback* feedback) {
  if (auto checked = checkTrainingSweep(o); !checked) return checked.error();
  std::optional<TrainingRecipe> recipe;
  QString recipeSha;
  if (!o.recipePath.isEmpty()) {
    auto r = checkedRecipe(o);
    if (!r) return r.error();
    recipe = std::move(*r);
    auto sha = core::fileSha256(o.recipePath);
    if (!sha) return sha.error();
    recipeSha = *sha;
  }

  core::Feedback loading = core::Feedback::childOf(feedback, 0.0, 0.02, QStringLiteral("Split"));
  auto all = splitTrainingSites(o.evaluation, &loading);
  if (loading.isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("sweep cancelled"));
  if (!all) return all.error();

  TrainingSweepReport report;
  report.fractions = o.fractions;
  std::sort(report.fractions.begin(), report.fractions.end());
  report.seeds = o.seeds;
  report.allTrainingSites = int(all->size());

  EvaluationOptions base = o.evaluation;
  if (base.generators.empty())  // the references fitted per run; a pre-trained model would be flat
    for (const std::string& id : generatorIds())
      if (!hasEmbeddedWeights(id)) base.generators.push_back(id);
  const QString recipeRow = recipe ? QStringLiteral("netspatial_%1").arg(recipeRowLabel(*recipe)) : QString();

  // Plan: one run per fraction and seed; a subset met before (100 % for every seed) is not run again.
  struct Planned {
    double fraction;
    int seed;
    std::vector<QString> sites;
    int sameAs = -1;  //!< the earlier run with the same sites
  };
  std::vector<Planned> plan;
  std::map<std::vector<QString>, int> firstWith;
  int distinct = 0;
  for (double f : report.fractions)
    for (int s = 1; s <= o.seeds; ++s) {
      Planned p{f, s, sweepSubset(*all, f, s)};
      const auto [it, added] = firstWith.emplace(p.sites, int(plan.size()));
      if (!added) p.sameAs = it->second;
      distinct += added ? 1 : 0;
      plan.push_back(std::move(p));
    }

  int done = 0;
  QStringList trainingNotes;
  for (const Planned& p : plan) {
    SweepRun run;
    run.fraction = p.fraction;
    run.seed = p.seed;
    run.trainingSites = int(p.sites.size());
    if (p.sameAs >= 0) {
      const SweepRun& earlier = report.runs[std::size_t(p.sameAs)];
      run.rows = earlier.rows;
      run.trainedSha256 = earlier.trainedSha256;
      run.trainSeconds = earlier.trainSeconds;
      run.sharedWithEarlier = true;
      report.runs.push_back(std::move(run));
      continue;
    }
    const QString label = QStringLiteral("%1, seed %2").arg(percent(p.fraction)).arg(p.seed);
    core::Feedback runFeedback = core::Feedback::childOf(feedback, 0.02 + 0.98 * double(done) / double(distinct),
                                                         0.02 + 0.98 * double(done + 1) / double(distinct), label);
    ++done;
    const std::set<QString> chosen(p.sites.begin(), p.sites.end());
    EvaluationOptions e = base;
    e.keepTrainingSite = [&chosen](const QString& id) { return chosen.count(id) > 0; };
    if (recipe) {
      core::Feedback trainFeedback = runFeedback.child(0.0, 0.9, QStringLiteral("training"));
      RecipeTrainingOptions t;
      t.threads = o.threads;
      t.keepScenarioSite = [&chosen](const ScenarioSpec&, const QString& id) { return chosen.count(id) > 0; };
      auto trained = trainFromRecipe(*recipe, t, &trainFeedback);
      if (!trained) return trained.error();
      run.trainedSha256 = trained->facts.weightsSha256;
      run.trainSeconds = trained->facts.trainSeconds;
      const TrainingScenarioSummary& used = trained->data.scenarios.front();
      trainingNotes << QStringLiteral("%1: %2 trained on %3 sites in %4 s, weights SHA-256 %5")
                           .arg(label, recipeRow)
                           .arg(used.trainingSiteIds.size())
                           .arg(fmt(run.trainSeconds, 1), run.trainedSha256);
      e.weights.push_back({recipeRowLabel(*recipe),
                           QStringLiteral("trained in this sweep from %1 on the subset").arg(QFileInfo(recipe->path).fileName()),
                           std::move(trained->weights)});
    }
    core::Feedback evalFeedback = runFeedback.child(recipe ? 0.9 : 0.0, 1.0, QStringLiteral("scoring"));
    auto evaluated = runEvaluation(e, &evalFeedback);
    if (evalFeedback.isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("sweep cancelled"));
    if (!evaluated) return evaluated.error();
    // More training data must never move the test sites or the scale they are scored on.
    if (report.runs.empty()) {
      report.split = evaluated->split;
      report.testSites = evaluated->testSites;
      report.trafficUnit = evaluated->trafficUnit;
      report.normalisationMin = evaluated->normalisationMin;
      report.normalisationMax = evaluated->normalisationMax;
      for (const EvaluationRow& r : evaluated->rows) report.generators << r.generator;
    } else if (evaluated->testSites != report.testSites || evaluated->normalisationMin != report.normalisationMin ||
               evaluated->normalisationMax != report.normalisationMax) {
      return Error(ErrorCode::Internal, QStringLiteral("%1 scored other test sites than the first run").arg(label));
    }
    if (evaluated->trainSites != run.trainingSites || evaluated->splitTrainSites != report.allTrainingSites)
      return Error(ErrorCode::Internal, QStringLiteral("%1 fitted on %2 of %3 sites, not the planned %4 of %5")
                                            .arg(label)
                                            .arg(evaluated->trainSites)
                                            .arg(evaluated->splitTrainSites)
                                            .arg(run.trainingSites)
                                            .arg(report.allTrainingSites));
    run.rows = std::move(evaluated->rows);
    report.runs.push_back(std::move(run));
  }

  report.provenance << QStringLiteral("Split: %1").arg(report.split);
  report.provenance << QStringLiteral("Sites: %1 training sites (the 100 % subset), %2 test sites, the same test sites in every run")
                           .arg(report.allTrainingSites)
                           .arg(report.testSites);
  report.provenance << QStringLiteral(
                           "Subsets: for seed s a permutation of the training sites drawn from s (mt19937_64); fraction f fits on its "
                           "first ceil(f × %1) sites, so one seed's subsets are nested; seeds 1–%2; a subset met before is not run again")
                           .arg(report.allTrainingSites)
                           .arg(o.seeds);
  if (recipe)
    report.provenance << QStringLiteral("Recipe: %1 (SHA-256 %2): %3 trained again on every subset, with the recipe's own seed")
                             .arg(recipeRelativePath(*recipe, recipe->path), recipeSha, recipeRow);
  report.provenance << QStringLiteral("Samples per test site: %1; generation seed %2").arg(o.evaluation.samples).arg(o.evaluation.seed);
  report.provenance << QStringLiteral("Metrics on (x − %1) / (%2 − %1) %3, min–max over every site of the split (the same in every run)")
                           .arg(fmt(report.normalisationMin, 4), fmt(report.normalisationMax, 4), report.trafficUnit);
  report.provenance << trainingNotes;
  if (feedback) feedback->setProgress(1.0, QStringLiteral("Done"));
  return report;
}

const QStringList& sweepTableMetrics() {
  static const QStringList metrics{QStringLiteral("mae"), QStringLiteral("rmse"), QStringLiteral("crps"), QStringLiteral("corr"),
                                   QStringLiteral("jsd_temporal")};
  return metrics;
}

SweepStat sweepStat(const TrainingSweepReport& report, double fraction, const QString& generator, const QString& metric) {
  std::vector<double> values;
  for (const SweepRun& run : report.runs) {
    if (run.fraction != fraction) continue;
    for (const EvaluationRow& row : run.rows)
      if (row.generator == generator && !std::isnan(row.metrics.value(metric))) values.push_back(row.metrics.value(metric));
  }
  SweepStat s;
  s.n = int(values.size());
  if (values.empty()) {
    s.mean = s.sd = std::numeric_limits<double>::quiet_NaN();
    return s;
  }
  for (double v : values) s.mean += v / double(values.size());
  if (values.size() > 1) {
    double ss = 0.0;
    for (double v : values) ss += (v - s.mean) * (v - s.mean);
    s.sd = std::sqrt(ss / double(values.size() - 1));
  }
  return s;
}

QString trainingSweepMarkdown(const TrainingSweepReport& report) {
  QString out;
  for (const QString& line : report.provenance) out += QStringLiteral("- %1\n").arg(line);
  out += QStringLiteral("\nMean ± sd over %1 subset seed%2:\n\n| fraction | training sites | generator |")
             .arg(report.seeds)
             .arg(report.seeds == 1 ? QString() : QStringLiteral("s"));
  for (const QString& m : sweepTableMetrics()) out += QStringLiteral(" %1 |").arg(m);
  out += QStringLiteral("\n|---:|---:|---|");
  for (qsizetype i = 0; i < sweepTableMetrics().size(); ++i) out += QStringLiteral("---:|");
  out += QLatin1Char('\n');
  for (double f : report.fractions) {
    int sites = 0;
    for (const SweepRun& run : report.runs)
      if (run.fraction == f) sites = run.trainingSites;
    for (const QString& g : report.generators) {
      out += QStringLiteral("| %1 | %2 | %3 |").arg(percent(f)).arg(sites).arg(g);
      for (const QString& m : sweepTableMetrics()) {
        const SweepStat s = sweepStat(report, f, g, m);
        out += s.n > 1 ? QStringLiteral(" %1 ± %2 |").arg(sig(s.mean, 3), sig(s.sd, 2)) : QStringLiteral(" %1 |").arg(sig(s.mean, 3));
      }
      out += QLatin1Char('\n');
    }
  }
  return out;
}

QString trainingSweepCsv(const TrainingSweepReport& report) {
  QString out = QStringLiteral(
      "training_fraction_share,subset_seed,training_sites_count,test_sites_count,generator,metric,value,value_unit,"
      "model_sha256\n");
  for (const SweepRun& run : report.runs)
    for (const EvaluationRow& row : run.rows)
      for (const QString& m : core::MetricTable::names()) {
        const double v = row.metrics.value(m);
        const QStringList fields{QString::number(run.fraction, 'g', 6),
                                 QString::number(run.seed),
                                 QString::number(run.trainingSites),
                                 QString::number(report.testSites),
                                 row.generator,
                                 m,
                                 std::isnan(v) ? QString() : QString::number(v, 'g', 9),
                                 metricUnit(m, report.trafficUnit),
                                 row.weightsSha256};
        QStringList escaped;
        for (const QString& f : fields) escaped << core::CsvWriter::escape(f);
        out += escaped.join(QLatin1Char(',')) + QLatin1Char('\n');
      }
  return out;
}

}  // namespace netspatial::app
