// netspatial train: NetSpatial from a recipe (DESIGN.md §6, issues 5 and 19). The run itself is
// trainFromRecipe (app/common/recipetraining.h); this command adds the terminal: progress with
// ETA, Ctrl-C, a checkpoint file after each stage, and the weights and model card written atomically.

#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/common/modelbridge.h"
#include "app/common/recipetraining.h"
#include "core/util/atomicfile.h"

#include "netspatial/models/netspatial.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>

#include <cstdio>
#include <vector>

#include <unistd.h>

namespace netspatial::app::cli {

namespace {

const QString kCommand = QStringLiteral("train");

core::Error ioError(const QString& path, const QString& what, const QString& why) {
  return core::Error(core::ErrorCode::Io, QStringLiteral("cannot %1: %2").arg(what, why), {path});
}

core::Status writeAtomically(const QString& path, const QByteArray& bytes) {
  if (!QDir().mkpath(QFileInfo(path).absolutePath()))
    return ioError(path, QStringLiteral("create its folder"), QStringLiteral("mkdir failed"));
  if (auto s = core::writeFileAtomically(path, bytes); !s) return ioError(path, QStringLiteral("write"), s.error().message());
  return {};
}

QByteArray toBytes(const std::vector<std::uint8_t>& v) { return QByteArray(reinterpret_cast<const char*>(v.data()), qsizetype(v.size())); }

//! Draws the training progress line and writes a checkpoint whenever a stage is finished; called
//! by trainFromRecipe between steps.
class TrainingMonitor {
 public:
  explicit TrainingMonitor(QString checkpointPath)
      : m_checkpointPath(std::move(checkpointPath)), m_line(QStringLiteral("Training")), m_tty(::isatty(::fileno(stderr)) != 0) {
    m_timer.start();
  }

  //! Every step (RecipeTrainingObserver::step): the progress line, redrawn a few times a second.
  void step(const models::TrainingProgress& p) {
    const bool newStage = p.stage != m_stage;
    if (newStage) m_stage = p.stage;
    if (m_firstFraction < 0.0) m_firstFraction = p.fraction;
    const qint64 now = m_timer.elapsed();
    // A terminal is redrawn a few times a second; a log gets one line every 10 s and per stage.
    const qint64 interval = m_tty ? 200 : 10000;
    if (newStage || p.step >= p.steps || m_lastDraw < 0 || now - m_lastDraw >= interval) {
      m_lastDraw = now;
      m_line.update(p.fraction, text(p, double(now) / 1000.0));
    }
  }

  //! Training starts now: the elapsed time and the ETA count from here.
  void start() { m_timer.restart(); }
  void finish() { m_line.finish(); }
  const QStringList& checkpointFailures() const { return m_failures; }

  //! A stage is finished (RecipeTrainingObserver::stageFinished): its checkpoint.
  void checkpoint(const models::NetSpatialGenerator& generator, const QString& finishedStage) {
    m_line.finish();
    auto bytes = generator.save();
    core::Status written = bytes ? writeAtomically(m_checkpointPath, toBytes(*bytes))
                                 : core::Status(toCoreError(bytes.error(), QStringLiteral("cannot serialise the checkpoint")));
    QTextStream err(stderr);
    if (written) {
      err << QStringLiteral("Checkpoint   stage %1 done: %2\n").arg(finishedStage, m_checkpointPath);
    } else {
      // Not fatal: the run can still finish; only --resume from this stage is lost.
      m_failures << written.error().toString();
      err << QStringLiteral("netspatial train: warning: no checkpoint after stage %1: %2\n").arg(finishedStage, written.error().toString());
    }
  }

 private:
  QString text(const models::TrainingProgress& p, double elapsed) const {
    QString t = QStringLiteral("%1 %2/%3 loss %4 · %5 elapsed")
                    .arg(QString::fromStdString(p.stage))
                    .arg(p.step)
                    .arg(p.steps)
                    .arg(QString::number(p.loss, 'g', 4), clockDuration(elapsed));
    // The ETA extrapolates this run's own rate: after --resume the fraction starts above zero.
    const double done = p.fraction - m_firstFraction;
    if (done > 0.005 && elapsed > 2.0) t += QStringLiteral(" · ETA %1").arg(clockDuration(elapsed * (1.0 - p.fraction) / done));
    return t;
  }

  QString m_checkpointPath;
  ProgressLine m_line;
  bool m_tty;
  QElapsedTimer m_timer;
  qint64 m_lastDraw = -1;
  std::string m_stage;
  double m_firstFraction = -1.0;
  QStringList m_failures;
};

QString fmtNumber(double v) { return QString::number(v, 'g', 6); }

}  // namespace

int runTrain(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Trains NetSpatial from a recipe (TOML): simulates the training cities, trains every stage, and writes the weights "
                     "and a Markdown model card, both atomically. A checkpoint is written beside the weights (WEIGHTS.checkpoint) after "
                     "each finished stage; --resume continues from it. Ctrl-C stops between steps: nothing is written to the outputs, "
                     "the exit code is %1 (%2 for SIGTERM).\n\nExample: netspatial train recipes/netspatial.toml")
          .arg(kExitCancelled)
          .arg(kExitTerminated));
  const QCommandLineOption help = parser.addHelpOption();
  const QCommandLineOption outOption(
      QStringLiteral("out"), QStringLiteral("Write the weights here instead of the recipe's [output] weights."), QStringLiteral("weights"));
  const QCommandLineOption cardOption(
      QStringLiteral("card"), QStringLiteral("Write the model card here (default: the recipe's [output] card, or beside --out as .md)."),
      QStringLiteral("card.md"));
  const QCommandLineOption resumeOption(QStringLiteral("resume"),
                                        QStringLiteral("Continue from a checkpoint of the same recipe (stages it finished are skipped)."),
                                        QStringLiteral("checkpoint"));
  const QCommandLineOption threadsOption(
      QStringLiteral("threads"), QStringLiteral("Intra-op threads for LibTorch (default: LibTorch's choice)."), QStringLiteral("n"));
  parser.addOptions({outOption, cardOption, resumeOption, threadsOption});
  parser.addPositionalArgument(QStringLiteral("recipe"), QStringLiteral("The recipe, e.g. recipes/netspatial.toml."));
  if (auto problem = parseCommandLine(parser, arguments)) return usage(*problem, kCommand);
  if (parser.isSet(help)) parser.showHelp(kExitOk);
  const QStringList positional = parser.positionalArguments();
  if (positional.size() != 1) return usage(QStringLiteral("expects exactly one recipe file"), kCommand);
  int threads = 0;
  if (parser.isSet(threadsOption))
    if (auto problem = readThreads(parser.value(threadsOption), 1, threads)) return usage(*problem, kCommand);

  auto loaded = loadTrainingRecipe(positional.first());
  if (!loaded) return fail(loaded.error());
  TrainingRecipe recipe = std::move(*loaded);
  const QString weightsPath = parser.isSet(outOption) ? QFileInfo(parser.value(outOption)).absoluteFilePath() : recipe.weightsPath;
  QString cardPath = recipe.cardPath;
  if (parser.isSet(cardOption))
    cardPath = QFileInfo(parser.value(cardOption)).absoluteFilePath();
  else if (parser.isSet(outOption))  // never overwrite the committed card when the weights go elsewhere
    cardPath = QDir(QFileInfo(weightsPath).absolutePath()).filePath(QFileInfo(weightsPath).completeBaseName() + QStringLiteral(".md"));
  if (cardPath == weightsPath)
    return usage(QStringLiteral("the model card and the weights would be the same file (%1)").arg(cardPath), kCommand);
  const QString checkpointPath = weightsPath + QStringLiteral(".checkpoint");

  const QString resumedFrom = parser.isSet(resumeOption) ? parser.value(resumeOption) : QString();

  QTextStream out(stdout);
  const auto printHeader = [&](const RecipeTrainingStart& start) {
    const TrainingRecipe& r = start.recipe;
    out << QStringLiteral("Recipe       %1 (model %2)\n").arg(r.path, r.modelId);
    QStringList sourceLabels;
    for (const CitySpec& c : r.trainingCities) sourceLabels << c.label();
    for (const ScenarioSpec& c : r.trainingScenarios)
      sourceLabels << QStringLiteral("%1 (holdout %2 by %3 m blocks, split seed %4)")
                          .arg(recipeRelativePath(r, c.path), fmtNumber(c.holdout), fmtNumber(c.groupSize))
                          .arg(c.splitSeed);
    out << QStringLiteral("Training     %1\n").arg(sourceLabels.join(QStringLiteral(", ")));
    out << QStringLiteral("Init         %1\n")
               .arg(r.init == TrainingRecipe::Init::Scratch
                        ? QStringLiteral("scratch")
                        : QStringLiteral("%1 (SHA-256 %2), fine-tuned").arg(initDescription(r), start.initSha256));
    if (r.hasEvaluationCity) out << QStringLiteral("Zero-shot    %1 (never trained on)\n").arg(r.evaluationCity.label());
    out << QStringLiteral("Outputs      %1, %2\n").arg(weightsPath, cardPath);
    if (!resumedFrom.isEmpty()) out << QStringLiteral("Resuming     %1\n").arg(resumedFrom);
    out << QStringLiteral("Threads      %1\n").arg(start.threads);
    out.flush();
  };

  InterruptHandler interrupt("train");
  const auto cancelled = [&] {
    QTextStream(stderr) << QStringLiteral("netspatial train: cancelled; nothing written to %1 or %2%3\n")
                               .arg(weightsPath, cardPath,
                                    QFileInfo::exists(checkpointPath) ? QStringLiteral(" (continue with --resume %1)").arg(checkpointPath)
                                                                      : QString());
    return exitCancelled();
  };

  RecipeTrainingOptions options;
  options.resumeFrom = resumedFrom;
  options.threads = threads;
  options.weightsPath = weightsPath;
  core::Feedback feedback;
  // The data's share of the feedback is drawn as its own "Preparing" line, training as "Training"
  // (with ETA, from the generator's own reports); Ctrl-C cancels at the next report of either.
  ProgressLine preparing(QStringLiteral("Preparing"));
  TrainingMonitor monitor(checkpointPath);
  bool dataReady = false;
  feedback.setProgressCallback([&](double fraction, const QString& step) {
    if (InterruptHandler::interrupted()) feedback.cancel();
    if (!dataReady) preparing.update(fraction / kRecipeDataShare, step);
  });
  RecipeTrainingObserver observer;
  observer.started = printHeader;
  observer.dataReady = [&](const TrainingData& data, double seconds) {
    preparing.finish();
    dataReady = true;
    for (const QString& l : data.provenance) out << QStringLiteral("Data         %1\n").arg(l);
    out << QStringLiteral("Prepared     %1 training sites in %2 s\n").arg(data.sites.size()).arg(number(seconds, 1));
    out.flush();
    monitor.start();
  };
  observer.step = [&monitor](const models::TrainingProgress& p) { monitor.step(p); };
  observer.stageFinished = [&monitor](const models::NetSpatialGenerator& generator, const QString& stage) {
    monitor.checkpoint(generator, stage);
  };
  auto result = trainFromRecipe(std::move(recipe), options, &feedback, observer);
  preparing.finish();
  monitor.finish();
  if (!result) return result.error().code() == core::ErrorCode::Cancelled ? cancelled() : fail(result.error());
  const TrainedRecipe& trained = *result;

  // Last chance to cancel: after this the outputs are replaced (each atomically).
  if (InterruptHandler::interrupted()) return cancelled();
  if (auto s = writeAtomically(weightsPath, toBytes(trained.weights)); !s) return fail(s.error());
  if (auto s = writeAtomically(cardPath, trained.card.toUtf8()); !s) return fail(s.error());
  // The checkpoint's stages are all in the weights now; a stale one would only invite a wrong --resume.
  if (QFileInfo::exists(checkpointPath)) QFile::remove(checkpointPath);

  const RecipeCardFacts& facts = trained.facts;
  out << QStringLiteral("Trained      in %1 on %2 with %3 thread%4\n")
             .arg(wallTime(facts.trainSeconds), facts.device)
             .arg(facts.threads)
             .arg(facts.threads == 1 ? QString() : QStringLiteral("s"));
  out << QStringLiteral("Wrote        %1 (%2, SHA-256 %3)\n").arg(weightsPath, fileSize(facts.weightsBytes), facts.weightsSha256);
  out << QStringLiteral("Wrote        %1\n").arg(cardPath);
  for (const QString& failure : monitor.checkpointFailures())
    out << QStringLiteral("Warning      checkpoint not written: %1\n").arg(failure);
  return kExitOk;
}

}  // namespace netspatial::app::cli
