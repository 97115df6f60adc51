// netspatial evaluate: fit every reference generator on training sites (pre-trained ones run with
// their embedded or given weights), generate for held-out sites, score.

#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/common/evaluation.h"
#include "app/common/generators.h"
#include "core/util/atomicfile.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTextStream>

namespace netspatial::app::cli {

namespace {

const QString kCommand = QStringLiteral("evaluate");

core::Status writeText(const QString& path, const QString& text) {
  // Atomic: a table is either complete or not there.
  if (auto s = core::writeFileAtomically(path, text.toUtf8()); !s)
    return core::Error(core::ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(path, s.error().message()), {path});
  return {};
}

// "LABEL=FILE" labels an ablation; a bare FILE (even one with '=' in its name) replaces the
// embedded weights.
WeightsChoice parseWeights(const QString& value) {
  static const QRegularExpression labelled(QStringLiteral("^([A-Za-z0-9_]+)=(.+)$"));
  const auto m = labelled.match(value);
  if (m.hasMatch() && !QFileInfo::exists(value)) return {m.captured(1), m.captured(2)};
  return {QString(), value};
}

}  // namespace

int runEvaluate(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Fits every reference generator on the training sites, generates for the test sites and prints all "
                     "metrics (DESIGN.md §7) per generator. Pre-trained generators (netspatial) run with their embedded "
                     "weights and are not refitted.\n\n"
                     "Zero-shot by city:   netspatial evaluate --train A.gpkg B.gpkg --test C.gpkg\n"
                     "Held-out sites:      netspatial evaluate --train milan.gpkg --holdout 0.3 --group-size 1000\n"
                     "Ablations:           netspatial evaluate … --weights no_position=no-position.nsm --probe"));
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
  parser.addOptions({trainOption, testOption, generatorsOption, samplesOption, seedOption, holdoutOption, groupOption, splitSeedOption,
                     windowOption, completeOption, weightsOption, probeOption, outOption});
  parser.addPositionalArgument(QStringLiteral("more-training"), QStringLiteral("Further training scenarios."),
                               QStringLiteral("[B.gpkg …]"));
  if (!parser.parse(arguments)) return usage(parser.errorText(), kCommand);
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

  core::Feedback feedback;
  EvaluationReport report;
  {
    ProgressLine line(QStringLiteral("Evaluating"));
    line.attach(feedback);
    auto result = runEvaluation(o, &feedback);
    line.finish();
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
