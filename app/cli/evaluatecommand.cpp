// netspatial evaluate: fit every reference generator on training sites (pre-trained ones run with
// their embedded or given weights), generate for held-out sites, score. With --sweep-fractions the
// same held-out split is scored again and again with growing subsets of the training sites
// (trainingsweep.h), printed, as CSV and as a PNG figure.

#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/common/evaluation.h"
#include "app/common/generators.h"
#include "app/common/trainingsweep.h"
#include "core/util/atomicfile.h"
#include "ui/report/errorbarfigure.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <optional>

#include <unistd.h>

namespace netspatial::app::cli {

namespace {

const QString kCommand = QStringLiteral("evaluate");

core::Status writeText(const QString& path, const QString& text) {
  // Atomic: a table is either complete or not there.
  // Its error names the file already.
  return core::writeFileAtomically(path, text.toUtf8());
}

// "LABEL=FILE" labels an ablation; a bare FILE (even one with '=' in its name) replaces the
// embedded weights.
WeightsChoice parseWeights(const QString& value) {
  static const QRegularExpression labelled(QStringLiteral("^([A-Za-z0-9_]+)=(.+)$"));
  const auto m = labelled.match(value);
  if (m.hasMatch() && !QFileInfo::exists(value)) return {m.captured(1), m.captured(2)};
  return {QString(), value};
}

//! "0.2,0.4,1" → {0.2, 0.4, 1}; ranges and duplicates are checkTrainingSweep's.
std::optional<QString> parseFractions(const QString& text, std::vector<double>& fractions) {
  for (const QString& part : text.split(QLatin1Char(','))) {
    bool ok = false;
    const double f = part.trimmed().toDouble(&ok);
    if (!ok) return QStringLiteral("--sweep-fractions: '%1' is not a number (expected e.g. 0.2,0.4,0.6,0.8,1)").arg(part.trimmed());
    fractions.push_back(f);
  }
  return std::nullopt;
}

//! mae and crps against the share of training sites, one line per generator, ± one sd over seeds.
ui::ErrorBarFigure sweepFigure(const TrainingSweepReport& report) {
  ui::ErrorBarFigure figure;
  figure.xLabel = QStringLiteral("training sites used (%% of the %1 outside the held-out blocks)").arg(report.allTrainingSites);
  figure.xLabel.replace(QStringLiteral("%%"), QStringLiteral("%"));
  for (double f : report.fractions) figure.xTicks.push_back(f * 100.0);
  const QString scale =
      QStringLiteral("min–max normalised %1").arg(report.trafficUnit.isEmpty() ? QStringLiteral("traffic") : report.trafficUnit);
  for (const auto& [metric, title] : {std::pair{QStringLiteral("mae"), QStringLiteral("MAE on %1 held-out sites")},
                                      std::pair{QStringLiteral("crps"), QStringLiteral("CRPS on %1 held-out sites")}}) {
    ui::ErrorBarPanel panel;
    panel.title =
        title.arg(report.testSites) + QStringLiteral(" (mean ± sd over %1 seed%2)").arg(report.seeds).arg(report.seeds == 1 ? "" : "s");
    panel.yLabel = QStringLiteral("%1 (%2; lower is better)").arg(metric.toUpper(), scale);
    for (const QString& generator : report.generators) {
      ui::ErrorBarLine line;
      line.name = generator;
      for (double f : report.fractions) {
        const SweepStat s = sweepStat(report, f, generator, metric);
        line.x.push_back(f * 100.0);
        line.y.push_back(s.mean);
        line.error.push_back(s.sd);
      }
      panel.lines.push_back(std::move(line));
    }
    figure.panels.push_back(std::move(panel));
  }
  return figure;
}

int cancelled() {
  QTextStream(stderr) << QStringLiteral("netspatial evaluate: cancelled; nothing written\n");
  return exitCancelled();
}

//! A file the run will write: its folder must exist before an hour of training, not after.
std::optional<QString> checkOutput(const QString& option, const QString& path) {
  if (path.isEmpty()) return std::nullopt;
  const QFileInfo info(path);
  if (!info.absoluteDir().exists())
    return QStringLiteral("--%1 %2: the folder %3 does not exist").arg(option, path, QDir::toNativeSeparators(info.absolutePath()));
  if (info.isDir()) return QStringLiteral("--%1 %2 is a folder").arg(option, path);
  return std::nullopt;
}

int runSweep(const TrainingSweepOptions& sweep, const QString& csvPath, const QString& pngPath) {
  // The command line first (exit 2), then the recipe against it (a file's content: exit 1).
  TrainingSweepOptions commandLineOnly = sweep;
  commandLineOnly.recipePath.clear();
  if (auto s = checkTrainingSweep(commandLineOnly); !s) return usage(s.error().message(), kCommand);
  if (auto e = checkOutput(QStringLiteral("sweep-csv"), csvPath)) return usage(*e, kCommand);
  if (auto e = checkOutput(QStringLiteral("sweep-png"), pngPath)) return usage(*e, kCommand);
  if (!csvPath.isEmpty() && QFileInfo(csvPath).absoluteFilePath() == QFileInfo(pngPath).absoluteFilePath())
    return usage(QStringLiteral("--sweep-csv and --sweep-png name the same file (%1)").arg(csvPath), kCommand);
  if (auto s = checkTrainingSweep(sweep); !s) return fail(s.error());

  InterruptHandler interrupt("evaluate");
  core::Feedback feedback;
  TrainingSweepReport report;
  {
    ProgressLine line(QStringLiteral("Sweeping"));
    // Training reports every few steps for an hour: a log gets a line every 10 s, a terminal is
    // redrawn in place.
    const bool tty = ::isatty(::fileno(stderr)) != 0;
    QElapsedTimer clock;
    clock.start();
    qint64 lastLine = -1;
    feedback.setProgressCallback([&](double fraction, const QString& step) {
      if (InterruptHandler::interrupted()) feedback.cancel();
      if (!tty && lastLine >= 0 && clock.elapsed() - lastLine < 10000 && fraction < 1.0) return;
      lastLine = clock.elapsed();
      line.update(fraction, step);
    });
    auto result = runTrainingSweep(sweep, &feedback);
    line.finish();
    if (!result && result.error().code() == core::ErrorCode::Cancelled) return cancelled();
    if (!result) return fail(result.error());
    report = std::move(*result);
  }
  QTextStream out(stdout);
  out << trainingSweepMarkdown(report);
  out.flush();
  if (InterruptHandler::interrupted()) return cancelled();
  if (!csvPath.isEmpty()) {
    if (auto s = writeText(csvPath, trainingSweepCsv(report)); !s) return fail(s.error());
    out << QStringLiteral("\nWrote %1\n").arg(csvPath);
  }
  if (!pngPath.isEmpty()) {
    if (auto s = ui::saveErrorBarFigurePng(sweepFigure(report), pngPath); !s) return fail(s.error());
    out << QStringLiteral("Wrote %1\n").arg(pngPath);
  }
  return kExitOk;
}

}  // namespace

bool evaluateDrawsFigure(const QStringList& arguments) {
  return std::any_of(arguments.begin(), arguments.end(), [](const QString& a) { return a.startsWith(QStringLiteral("--sweep-png")); });
}

int runEvaluate(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Fits every reference generator on the training sites, generates for the test sites and prints all "
                     "metrics (DESIGN.md §7) per generator. Pre-trained generators (netspatial) run with their embedded "
                     "weights and are not refitted.\n\n"
                     "Zero-shot by city:   netspatial evaluate --train A.gpkg B.gpkg --test C.gpkg\n"
                     "Held-out sites:      netspatial evaluate --train milan.gpkg --holdout 0.3 --group-size 1000\n"
                     "Ablations:           netspatial evaluate … --weights no_position=no-position.nsm --probe\n"
                     "Training data sweep: netspatial evaluate --train milan.gpkg --complete-only --holdout 0.3 --group-size 1000 "
                     "--split-seed 1 --sweep-fractions 0.2,0.4,0.6,0.8,1 --sweep-seeds 2 --recipe recipes/netspatial-milan.toml "
                     "--sweep-csv sweep.csv --sweep-png sweep.png\n\n"
                     "Ctrl-C stops between steps: nothing is written, the exit code is %1 (%2 for SIGTERM).")
          .arg(kExitCancelled)
          .arg(kExitTerminated));
  const QCommandLineOption help = parser.addHelpOption();
  const QCommandLineOption trainOption(QStringLiteral("train"),
                                       QStringLiteral("Training scenario (repeatable; further files may follow as arguments)."),
                                       QStringLiteral("file"));
  const QCommandLineOption testOption(
      QStringLiteral("test"), QStringLiteral("Test scenario (zero-shot). Without it, sites of the one training scenario are held out."),
      QStringLiteral("file"));
  QString ids;
  for (const auto& id : generatorIds()) ids += (ids.isEmpty() ? QString() : QStringLiteral(", ")) + QString::fromStdString(id);
  const QCommandLineOption generatorsOption(QStringLiteral("generators"),
                                            QStringLiteral("'all' or a comma-separated list of: %1.").arg(ids), QStringLiteral("ids"),
                                            QStringLiteral("all"));
  const QCommandLineOption samplesOption(QStringLiteral("samples"), QStringLiteral("Samples per test site."), QStringLiteral("n"),
                                         QStringLiteral("8"));
  const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("Generation seed."), QStringLiteral("n"), QStringLiteral("1"));
  const QCommandLineOption holdoutOption(QStringLiteral("holdout"), QStringLiteral("Fraction of sites held out (without --test)."),
                                         QStringLiteral("fraction"), QStringLiteral("0.3"));
  const QCommandLineOption groupOption(QStringLiteral("group-size"),
                                       QStringLiteral("Side of the square blocks that are held out together, metres."), QStringLiteral("m"),
                                       QStringLiteral("1000"));
  const QCommandLineOption splitSeedOption(QStringLiteral("split-seed"), QStringLiteral("Seed of the held-out block choice."),
                                           QStringLiteral("n"), QStringLiteral("1"));
  const QCommandLineOption windowOption(
      QStringLiteral("window"), QStringLiteral("Which 28-day window of the observed traffic (0 = the first starting on a local Monday)."),
      QStringLiteral("n"), QStringLiteral("0"));
  const QCommandLineOption completeOption(
      QStringLiteral("complete-only"),
      QStringLiteral("Use only sites whose whole observed series has no missing hour (default: complete in the window)."));
  const QCommandLineOption weightsOption(
      QStringLiteral("weights"),
      QStringLiteral("A NetSpatial checkpoint (.nsm). FILE replaces the embedded weights of the netspatial row; LABEL=FILE adds a "
                     "row netspatial_LABEL (ablations). Repeatable."),
      QStringLiteral("[label=]file"));
  const QCommandLineOption probeOption(QStringLiteral("probe"),
                                       QStringLiteral("Also score a linear probe of the NetSpatial embedding C → zone class (fitted on the "
                                                      "training sites, scored on the test sites)."));
  const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Write the table as CSV here, and as Markdown beside it (.md)."),
                                     QStringLiteral("file.csv"));
  const QCommandLineOption sweepFractionsOption(
      QStringLiteral("sweep-fractions"),
      QStringLiteral("Sweep the share of training sites: score the held-out split again with the generators fitted on a random subset "
                     "of each of these fractions of the training sites (comma-separated, each in (0, 1]; subsets of one seed are "
                     "nested). Needs a held-out split (no --test)."),
      QStringLiteral("f,f,…"));
  const QCommandLineOption sweepSeedsOption(QStringLiteral("sweep-seeds"),
                                            QStringLiteral("Subset seeds per fraction (1..n) for --sweep-fractions (default 3)."),
                                            QStringLiteral("n"), QStringLiteral("3"));
  const QCommandLineOption recipeOption(
      QStringLiteral("recipe"),
      QStringLiteral("With --sweep-fractions: also train NetSpatial from this recipe on every subset (row netspatial_<id>). Its one "
                     "scenario must be the --train file, split as this command splits it."),
      QStringLiteral("recipe.toml"));
  const QCommandLineOption sweepCsvOption(QStringLiteral("sweep-csv"),
                                          QStringLiteral("Write the sweep as CSV: one row per fraction, seed, generator and metric."),
                                          QStringLiteral("file.csv"));
  const QCommandLineOption sweepPngOption(QStringLiteral("sweep-png"),
                                          QStringLiteral("Plot the sweep (mae and crps against the share of training sites) as PNG."),
                                          QStringLiteral("file.png"));
  const QCommandLineOption threadsOption(QStringLiteral("threads"),
                                         QStringLiteral("Intra-op threads for the --recipe training (default: LibTorch's choice)."),
                                         QStringLiteral("n"));
  parser.addOptions({trainOption, testOption, generatorsOption, samplesOption, seedOption, holdoutOption, groupOption, splitSeedOption,
                     windowOption, completeOption, weightsOption, probeOption, outOption, sweepFractionsOption, sweepSeedsOption,
                     recipeOption, sweepCsvOption, sweepPngOption, threadsOption});
  parser.addPositionalArgument(QStringLiteral("more-training"), QStringLiteral("Further training scenarios."),
                               QStringLiteral("[B.gpkg …]"));
  if (auto problem = parseCommandLine(parser, arguments, {QStringLiteral("train"), QStringLiteral("weights")}))
    return usage(*problem, kCommand);
  if (parser.isSet(help)) parser.showHelp(kExitOk);

  EvaluationOptions o;
  o.trainPaths = parser.values(trainOption) + parser.positionalArguments();
  if (o.trainPaths.isEmpty()) return usage(QStringLiteral("--train FILE.gpkg is required"), kCommand);
  o.testPath = parser.value(testOption);
  bool ok = false;
  o.samples = parser.value(samplesOption).toInt(&ok);
  if (!ok || o.samples < 1) return usage(QStringLiteral("--samples must be a positive integer"), kCommand);
  o.seed = parser.value(seedOption).toULongLong(&ok);
  if (!ok) return usage(QStringLiteral("--seed must be an unsigned integer"), kCommand);
  o.holdoutFraction = parser.value(holdoutOption).toDouble(&ok);
  if (!ok || o.holdoutFraction <= 0.0 || o.holdoutFraction >= 1.0) return usage(QStringLiteral("--holdout must be in (0, 1)"), kCommand);
  o.groupSize = parser.value(groupOption).toDouble(&ok);
  if (!ok || o.groupSize <= 0.0) return usage(QStringLiteral("--group-size must be a positive number of metres"), kCommand);
  o.splitSeed = parser.value(splitSeedOption).toULongLong(&ok);
  if (!ok) return usage(QStringLiteral("--split-seed must be an unsigned integer"), kCommand);
  o.window = parser.value(windowOption).toInt(&ok);
  if (!ok || o.window < 0) return usage(QStringLiteral("--window must be a non-negative integer"), kCommand);
  o.requireCompleteSeries = parser.isSet(completeOption);
  if (parser.value(generatorsOption) != QStringLiteral("all"))
    for (const QString& id : parser.value(generatorsOption).split(QLatin1Char(','), Qt::SkipEmptyParts))
      o.generators.push_back(id.trimmed().toStdString());
  for (const QString& value : parser.values(weightsOption)) o.weights.push_back(parseWeights(value));
  o.probe = parser.isSet(probeOption);
  if (!o.testPath.isEmpty() && parser.isSet(holdoutOption))
    return usage(QStringLiteral("--holdout splits one scenario; it cannot be combined with --test"), kCommand);
  if (parser.isSet(sweepFractionsOption)) {
    if (parser.isSet(outOption))
      return usage(QStringLiteral("--out writes one evaluation's table; a sweep writes --sweep-csv and --sweep-png"), kCommand);
    if (o.probe) return usage(QStringLiteral("--probe scores one evaluation; it cannot be combined with --sweep-fractions"), kCommand);
    TrainingSweepOptions sweep;
    sweep.evaluation = o;
    if (auto e = parseFractions(parser.value(sweepFractionsOption), sweep.fractions)) return usage(*e, kCommand);
    sweep.seeds = parser.value(sweepSeedsOption).toInt(&ok);
    if (!ok) return usage(QStringLiteral("--sweep-seeds must be an integer, not '%1'").arg(parser.value(sweepSeedsOption)), kCommand);
    sweep.recipePath = parser.value(recipeOption);
    if (parser.isSet(threadsOption))
      if (auto problem = readThreads(parser.value(threadsOption), 1, sweep.threads)) return usage(*problem, kCommand);
    return runSweep(sweep, parser.value(sweepCsvOption), parser.value(sweepPngOption));
  }
  for (const QCommandLineOption* sweepOnly : {&sweepSeedsOption, &recipeOption, &sweepCsvOption, &sweepPngOption, &threadsOption})
    if (parser.isSet(*sweepOnly))
      return usage(QStringLiteral("--%1 belongs to a sweep: give --sweep-fractions too").arg(sweepOnly->names().first()), kCommand);

  InterruptHandler interrupt("evaluate");
  core::Feedback feedback;
  EvaluationReport report;
  {
    ProgressLine line(QStringLiteral("Evaluating"));
    line.attachInterruptible(feedback);
    auto result = runEvaluation(o, &feedback);
    line.finish();
    if (!result && result.error().code() == core::ErrorCode::Cancelled) return cancelled();
    if (!result) return fail(result.error());
    report = std::move(*result);
  }
  const QString markdown = evaluationMarkdown(report);
  QTextStream(stdout) << markdown;
  if (parser.isSet(outOption)) {
    const QString csvPath = parser.value(outOption);
    const QFileInfo info(csvPath);
    const QString mdPath = QDir(info.path()).filePath(info.completeBaseName() + QStringLiteral(".md"));
    if (auto s = writeText(csvPath, evaluationCsv(report)); !s) return fail(s.error());
    if (auto s = writeText(mdPath, markdown); !s) return fail(s.error());
    QTextStream(stdout) << QStringLiteral("\nWrote %1 and %2\n").arg(csvPath, mdPath);
  }
  return kExitOk;
}

}  // namespace netspatial::app::cli
