// netspatial train: NetSpatial from a recipe (DESIGN.md §6, issues 5 and 19): simulate the training
// cities and read the scenario files (their held-out blocks left out), start from fresh or initial
// weights, train every stage with progress, ETA, Ctrl-C and per-stage checkpoints, then write the weights
// and their model card, both atomically.

#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/common/generators.h"
#include "app/common/modelbridge.h"
#include "app/common/trainingdata.h"
#include "app/common/trainingrecipe.h"
#include "app/common/versioninfo.h"
#include "core/util/atomicfile.h"

#include "netspatial/models/netspatial.h"
#include "netspatial/models/runtimeinfo.h"

#include <QCommandLineParser>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <vector>

#include <unistd.h>

namespace netspatial::app::cli {

namespace {

const QString kCommand = QStringLiteral("train");

QString duration(double seconds) {
  const auto s = qint64(seconds + 0.5);
  if (s < 60) return QStringLiteral("%1 s").arg(s);
  if (s < 3600) return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
  return QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
}

//! "1.6 s" under a minute, "12:03 (723.4 s)" above: readable and exact.
QString wallTime(double seconds) {
  return seconds < 60.0 ? number(seconds, 1) + QStringLiteral(" s")
                        : QStringLiteral("%1 (%2 s)").arg(duration(seconds), number(seconds, 1));
}

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

//! Drives the progress line and writes a checkpoint whenever a stage is finished. It runs on the
//! training thread inside NetSpatialGenerator::train, between steps.
class TrainingMonitor {
 public:
  TrainingMonitor(const models::NetSpatialGenerator& generator, QString checkpointPath)
      : m_generator(generator),
        m_checkpointPath(std::move(checkpointPath)),
        m_line(QStringLiteral("Training")),
        m_tty(::isatty(::fileno(stderr)) != 0) {
    m_timer.start();
  }

  bool operator()(const models::TrainingProgress& p) {
    const bool newStage = p.stage != m_stage;
    // A stage's last step is reported before the model counts the stage as finished; the
    // generator then reports the stage once more (step = steps) as the boundary at which a
    // checkpoint holds the stage as done. Without that extra report the next stage's first report
    // is the boundary (one step late, still a valid checkpoint).
    if (m_pendingCheckpoint && (newStage || p.step >= p.steps)) {
      m_pendingCheckpoint = false;
      checkpoint(QString::fromStdString(m_stage));
      if (!newStage) return !InterruptHandler::interrupted();
    }
    if (p.step >= p.steps) m_pendingCheckpoint = true;
    if (newStage) m_stage = p.stage;
    if (m_firstFraction < 0.0) m_firstFraction = p.fraction;
    const qint64 now = m_timer.elapsed();
    // A terminal is redrawn a few times a second; a log gets one line every 10 s and per stage.
    const qint64 interval = m_tty ? 200 : 10000;
    if (newStage || p.step >= p.steps || m_lastDraw < 0 || now - m_lastDraw >= interval) {
      m_lastDraw = now;
      m_line.update(p.fraction, text(p, double(now) / 1000.0));
    }
    return !InterruptHandler::interrupted();
  }

  void finish() { m_line.finish(); }
  const QStringList& checkpointFailures() const { return m_failures; }

 private:
  QString text(const models::TrainingProgress& p, double elapsed) const {
    QString t = QStringLiteral("%1 %2/%3 loss %4 · %5 elapsed")
                    .arg(QString::fromStdString(p.stage))
                    .arg(p.step)
                    .arg(p.steps)
                    .arg(QString::number(p.loss, 'g', 4), duration(elapsed));
    // The ETA extrapolates this run's own rate: after --resume the fraction starts above zero.
    const double done = p.fraction - m_firstFraction;
    if (done > 0.005 && elapsed > 2.0) t += QStringLiteral(" · ETA %1").arg(duration(elapsed * (1.0 - p.fraction) / done));
    return t;
  }

  void checkpoint(const QString& finishedStage) {
    m_line.finish();
    auto bytes = m_generator.save();
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

  const models::NetSpatialGenerator& m_generator;
  QString m_checkpointPath;
  ProgressLine m_line;
  bool m_tty;
  QElapsedTimer m_timer;
  qint64 m_lastDraw = -1;
  std::string m_stage;
  double m_firstFraction = -1.0;
  bool m_pendingCheckpoint = false;
  QStringList m_failures;
};

QString relativeToRoot(const TrainingRecipe& recipe, const QString& path) {
  const QString rel = QDir(recipe.root).relativeFilePath(path);
  return rel.startsWith(QStringLiteral("..")) ? path : rel;
}

struct CardFacts {
  QString weightsPath;
  qint64 weightsBytes = 0;
  QString weightsSha256;
  QString trainingSummary;
  double trainSeconds = 0.0;
  double dataSeconds = 0.0;
  int threads = 0;
  QString device;
  QString resumedFrom;
  QString initSha256;  //!< of the initial weights when fine-tuning
  QDateTime finished;
};

QString fmtNumber(double v) { return QString::number(v, 'g', 6); }

//! The `netspatial evaluate` command line that scores exactly the held-out sites of a scenario.
QString evaluateCommand(const TrainingRecipe& recipe, const ScenarioSpec& spec) {
  QString cmd = QStringLiteral("netspatial evaluate --train %1").arg(relativeToRoot(recipe, spec.path));
  if (spec.eligibility.requireCompleteSeries) cmd += QStringLiteral(" --complete-only");
  if (spec.eligibility.window != 0) cmd += QStringLiteral(" --window %1").arg(spec.eligibility.window);
  cmd += QStringLiteral(" --holdout %1 --group-size %2 --split-seed %3")
             .arg(fmtNumber(spec.holdout), fmtNumber(spec.groupSize))
             .arg(spec.splitSeed);
  return cmd;
}

QString modelCard(const TrainingRecipe& recipe, const TrainingData& data, const CardFacts& f) {
  const VersionInfo versions = VersionInfo::collect();
  QString md;
  QTextStream o(&md);
  o << "# Model card: " << recipe.modelId << "\n\n";
  o << "Written by `netspatial train " << relativeToRoot(recipe, recipe.path) << "` on " << f.finished.toString(Qt::ISODate)
    << ". The Metrics section is the only part edited by hand.\n\n";
  o << "| | |\n|---|---|\n";
  o << "| model id | `" << recipe.modelId << "` |\n";
  o << "| architecture | NetSpatial (`netspatial::models::NetSpatialGenerator`) |\n";
  o << "| weights | `" << relativeToRoot(recipe, f.weightsPath) << "`, " << fileSize(f.weightsBytes) << " (" << f.weightsBytes
    << " bytes) |\n";
  o << "| SHA-256 | `" << f.weightsSha256 << "` |\n";
  o << "| output | " << models::kSequenceHours << " hourly values (28 days from Monday 00:00 local time) per site and sample |\n";
  o << "| training wall time | " << wallTime(f.trainSeconds)
    << (f.resumedFrom.isEmpty() ? QString() : QStringLiteral(", this run only: resumed from `%1`").arg(f.resumedFrom))
    << "; building the training data (simulation, scenario files, site contexts) took " << number(f.dataSeconds, 1) << " s more |\n";
  switch (recipe.init) {
    case TrainingRecipe::Init::Scratch:
      o << "| initial weights | none: trained from scratch (parameters drawn from the seed) |\n";
      break;
    case TrainingRecipe::Init::Embedded:
      o << "| initial weights | the embedded `netspatial` weights (SHA-256 `" << f.initSha256
        << "`), fine-tuned: every stage trained again from them |\n";
      break;
    case TrainingRecipe::Init::File:
      o << "| initial weights | `" << relativeToRoot(recipe, recipe.initPath) << "` (SHA-256 `" << f.initSha256
        << "`), fine-tuned: every stage trained again from them |\n";
      break;
  }
  o << "| device, threads | " << f.device << ", " << f.threads << " intra-op thread" << (f.threads == 1 ? "" : "s") << " |\n";
  o << "| software | NetSpatial Studio " << versions.application << ", LibTorch " << versions.libTorch << ", " << versions.blas << " |\n\n";

  o << "## What NetSpatial is\n\n";
  o << "NetSpatial (paper 003 §2–4, `../shared/papers/003_a3d2b16d3824fd45.txt`; DESIGN.md §6) generates four weeks of hourly "
       "mobile traffic for any location from its urban context alone, zero-shot in cities it never saw. An image encoder "
       "(64×64 RGB patch of 512 m) and a POI encoder (POIs within 500 m: category, name, distance, bearing; two views fused by "
       "a scoring softmax, Eq. 8, then attention pooling, Eq. 9) feed a three-token fusion transformer with learnable mask tokens "
       "for missing modalities, trained with L_gen (Eq. 10–12), which gives the unified spatial embedding C (Eq. 11). A peak-hour "
       "classifier (the position encoder) and three flow-matching levels generate the traffic: G1 a daily template d (48 h, "
       "weekday ‖ weekend), G2 a weekly template w (168 h | d), G3 the residual r (672 h | u = Rep(w), d, w, c3, h*), "
       "x̂ = max(u + r, 0) (Eq. 13), each level trained with flow matching (Eq. 14, Algorithm 1) and the auxiliary losses of "
       "Eq. 15, sampled with Euler steps (Algorithm 2).\n\n";
  o << "Departures from the paper, all because nothing can be downloaded here:\n\n";
  o << "- **Image encoder:** trained in this project, self-supervised with OpenDiff's multi-positive InfoNCE (paper 001 Eq. 4–6; "
       "positives are the nearest patches by POI-histogram cosine, by population cosine and by distance) and frozen afterwards, "
       "instead of the paper's frozen pretrained ViT.\n";
  o << "- **POI names:** hashed character n-gram embeddings instead of the paper's frozen LLM.\n";
  if (data.scenarios.empty())
    o << "- **Training data:** synthetic cities from the project's simulator (`core/sim`, DESIGN.md §4), not measured traffic.\n\n";
  else
    o << "- **Training data:** observed traffic of the scenario files below"
      << (data.cities.empty() ? "" : ", with synthetic cities from the project's simulator (`core/sim`, DESIGN.md §4)") << ".\n\n";
  const models::NetSpatialConfig& config = recipe.config;
  if (config.useTemplate) {
    o << "Added to the paper, measured to help on validation city 23 (README, \"NetSpatial, measured\"):\n\n";
    o << "- **Level-1 template:** G1's flow starts from N(τ, s²·I) with s = " << number(config.templateNoise, 2)
      << " (level units) instead of N(0, I), and its velocity also sees τ. τ = exp(log volume) × daily shape: the log volume is a "
         "ridge regression on the 44 hand-crafted context features of the reference generators, the shape "
      << (config.templateShapeRidge ? "a ridge regression on the same features (48 outputs)"
                                    : "the zone class's mean (the mean of all sites where the zone is unknown)")
      << ", one ridge per combination of zone and station type known or hidden, all fitted in closed form at the start of the "
         "generator stage. The ablations mask the template's features as they mask the modalities.\n";
    if (config.peakFromTemplate && config.usePositionEncoder)
      o << "- **h\\* at inference:** the peak hour of τ's weekday shape, not the classifier's argmax. The flows are trained with "
           "the true peak hour as h\\* and follow it, and the template's peak matched the real one more often. The classifier is "
           "still trained with the generator.\n";
    o << "\n";
  }

  o << "## Data\n\n";
  int stations = 0;
  if (!data.cities.empty()) {
    o << "Each training city is simulated from its preset and seed (the same pair gives the same city on any machine; the "
         "traffic hash below proves it). Every station whose whole observed series has no missing hour is one training site: "
         "its series from the first local Monday 00:00 in whole weeks, with its site context; the series is read "
      << (recipe.wallClockHours ? "on the local wall clock (at the spring daylight-saving change the skipped hour repeats its "
                                  "neighbour; the repeated autumn hour is taken once)"
                                : "as consecutive stored hours (a daylight-saving change shifts the later weeks by an hour)")
      << ".\n\n";
    o << "| city | preset | seed | stations | dropped | hours per series | series start | SHA-256 of traffic_observed |\n";
    o << "|---|---|---:|---:|---:|---:|---|---|\n";
    for (const TrainingCitySummary& c : data.cities) {
      stations += c.stations;
      o << "| " << c.city.label() << " | " << c.city.preset << " | " << c.city.seed << " | " << c.stations << " | " << c.droppedStations
        << " | " << c.hours << " | " << c.seriesStart << " | `" << (c.trafficSha256.isEmpty() ? QStringLiteral("-") : c.trafficSha256)
        << "` |\n";
    }
    o << "\n";
  }
  int scenarioSites = 0;
  if (!data.scenarios.empty()) {
    o << "Each scenario file's sites with observed traffic are split as `netspatial evaluate` splits them (the same code, "
         "`app/common/heldoutsplit.h`): the eligible sites (a complete 28-day window, and with complete_only a complete series) "
         "are grouped in square blocks and whole blocks are held out until the holdout fraction is reached. The held-out sites "
         "are never trained on and do not set the normalisation. Every other eligible site is a training site: its longest run "
         "of complete whole weeks from a local Monday 00:00 (at least 4 weeks, else it is dropped), read "
      << (recipe.wallClockHours ? "on the local wall clock" : "as consecutive stored hours") << ".\n\n";
    o << "| scenario file | SHA-256 | unit | holdout | group size | split seed | eligible sites | blocks | trained on | held out | "
         "dropped | cut to complete weeks | hours per series | series start |\n";
    o << "|---|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|\n";
    for (const TrainingScenarioSummary& c : data.scenarios) {
      scenarioSites += int(c.trainingSiteIds.size());
      const QString eligibility = QStringLiteral("%1 (window %2%3)")
                                      .arg(c.eligibleSites)
                                      .arg(c.spec.eligibility.window)
                                      .arg(c.spec.eligibility.requireCompleteSeries ? QStringLiteral(", complete series only") : QString());
      o << "| `" << relativeToRoot(recipe, c.spec.path) << "` | `" << c.sha256 << "` | " << c.unit << " | " << fmtNumber(c.spec.holdout)
        << " | " << fmtNumber(c.spec.groupSize) << " m | " << c.spec.splitSeed << " | " << eligibility << " of " << c.sitesWithTraffic
        << " | " << c.blocks << " | " << c.trainingSiteIds.size() << " | " << c.heldOutSiteIds.size() << " | " << c.droppedSiteIds.size()
        << " | " << c.shortenedSites << " | "
        << (c.minHours == c.maxHours ? QString::number(c.maxHours) : QStringLiteral("%1–%2").arg(c.minHours).arg(c.maxHours)) << " | "
        << c.seriesStart << " |\n";
    }
    o << "\n";
    for (const TrainingScenarioSummary& c : data.scenarios) {
      QStringList heldOut;
      for (const QString& id : c.heldOutSiteIds) heldOut << id;
      o << "- **Held out of `" << QFileInfo(c.spec.path).fileName() << "`** (score them with `" << evaluateCommand(recipe, c.spec)
        << "`): " << heldOut.join(QStringLiteral(", ")) << ".\n";
    }
  }
  o << "- **Sites:** ";
  if (!data.cities.empty()) o << stations << " stations in " << data.cities.size() << (data.cities.size() == 1 ? " city" : " cities");
  if (!data.cities.empty() && !data.scenarios.empty()) o << " and ";
  if (!data.scenarios.empty())
    o << scenarioSites << " sites of " << data.scenarios.size() << (data.scenarios.size() == 1 ? " scenario" : " scenarios");
  o << ".\n";
  o << "- **Windows:** up to " << recipe.config.windowsPerSite
    << " windows of 28 days (672 h) per site, cut at weekly offsets from its series "
       "(the training summary below gives the count).\n";
  o << "- **Normalisation:** every series divided by the largest training value, scale = "
    << QString::number(data.normalisation.scale, 'g', 9) << " " << QString::fromStdString(data.normalisation.unit) << " (unit "
    << QString::fromStdString(data.normalisation.unit) << "); the checkpoint stores it, so generated traffic comes back in "
    << QString::fromStdString(data.normalisation.unit) << ".\n";
  if (recipe.hasEvaluationCity)
    o << "- **Zero-shot evaluation city:** " << recipe.evaluationCity.label() << " (preset " << recipe.evaluationCity.preset << ", seed "
      << recipe.evaluationCity.seed << "), never in training (the recipe reader refuses it there).\n";
  o << "\n";

  // The generator's record is one line of "; "-separated stages: one per line reads better.
  o << "## Training summary\n\n```text\n" << f.trainingSummary.trimmed().replace(QStringLiteral("; "), QStringLiteral("\n")) << "\n```\n\n";

  o << "## Configuration\n\nEvery NetSpatialConfig field as trained (the recipe overrides "
    << (recipe.overriddenKeys.isEmpty() ? QStringLiteral("none") : recipe.overriddenKeys.join(QStringLiteral(", "))) << "):\n\n```toml\n"
    << describeNetSpatialConfig(recipe.config).join(QLatin1Char('\n')) << "\n```\n\n";

  o << "## Metrics\n\n";
  if (recipe.hasEvaluationCity)
    o << "The zero-shot table (this model, its ablations and the reference generators on " << recipe.evaluationCity.label()
      << ", measured by `netspatial evaluate`) is in the README.\n\n";
  for (const TrainingScenarioSummary& c : data.scenarios)
    o << "On the held-out sites of `" << QFileInfo(c.spec.path).fileName() << "`: `" << evaluateCommand(recipe, c.spec)
      << " --weights FILE` (the table is in the README).\n\n";

  o << "## Recipe\n\n`" << relativeToRoot(recipe, recipe.path) << "`, verbatim:\n\n```toml\n" << recipe.text.trimmed() << "\n```\n";
  return md;
}

}  // namespace

int runTrain(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Trains NetSpatial from a recipe (TOML): simulates the training cities, trains every stage, and writes the weights "
                     "and a Markdown model card, both atomically. A checkpoint is written beside the weights (WEIGHTS.checkpoint) after "
                     "each finished stage; --resume continues from it. Ctrl-C stops between steps: nothing is written to the outputs, "
                     "the exit code is %1.\n\nExample: netspatial train recipes/netspatial.toml")
          .arg(kExitCancelled));
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
  if (!parser.parse(arguments)) return usage(parser.errorText(), kCommand);
  if (parser.isSet(help)) parser.showHelp(kExitOk);
  const QStringList positional = parser.positionalArguments();
  if (positional.size() != 1) return usage(QStringLiteral("expects exactly one recipe file"), kCommand);
  int threads = 0;
  if (parser.isSet(threadsOption)) {
    bool ok = false;
    threads = parser.value(threadsOption).toInt(&ok);
    if (!ok || threads < 1)
      return usage(QStringLiteral("--threads must be a positive integer, not '%1'").arg(parser.value(threadsOption)), kCommand);
  }

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

  models::EngineOptions engine;
  // Training runs where a fresh model starts (the CPU), so a resumed run computes like an
  // uninterrupted one; no warm-up generation for a model that is not trained yet.
  engine.device = models::DevicePreference::Cpu;
  engine.warmUp = false;
  engine.threads = threads;
  std::unique_ptr<models::NetSpatialGenerator> generator;
  QString resumedFrom;
  if (parser.isSet(resumeOption)) {
    resumedFrom = parser.value(resumeOption);
    QFile f(resumedFrom);
    if (!f.open(QIODevice::ReadOnly)) return fail(ioError(resumedFrom, QStringLiteral("read the checkpoint"), f.errorString()));
    const QByteArray bytes = f.readAll();
    auto restored = models::NetSpatialGenerator::load(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), engine);
    if (!restored) return fail(toCoreError(restored.error(), {}, {resumedFrom}));
    // Resuming under another configuration would silently mix two recipes in one model. (A
    // fine-tuning recipe's configuration is known once its initial weights are read, below.)
    const QStringList differences = netSpatialConfigDifferences((*restored)->config(), recipe.config);
    if (recipe.init == TrainingRecipe::Init::Scratch && !differences.isEmpty())
      return fail(core::Error(core::ErrorCode::InvalidArgument,
                              QStringLiteral("the checkpoint was trained with another configuration than %1 (checkpoint → recipe: %2)")
                                  .arg(recipe.path, differences.join(QStringLiteral("; "))),
                              {resumedFrom}));
    generator = std::move(*restored);
  } else if (recipe.init == TrainingRecipe::Init::Scratch) {
    generator = std::make_unique<models::NetSpatialGenerator>(recipe.config);
  }
  QString initSha256;
  if (recipe.init != TrainingRecipe::Init::Scratch) {
    // Fine-tuning: the initial weights give the architecture and every key the recipe leaves out.
    std::vector<std::uint8_t> bytes;
    QString source;
    if (recipe.init == TrainingRecipe::Init::Embedded) {
      auto embedded = embeddedWeights(kNetSpatialId);
      if (!embedded) return fail(embedded.error());
      bytes = std::move(*embedded);
      source = QStringLiteral("the embedded netspatial weights");
    } else {
      QFile f(recipe.initPath);
      if (!f.open(QIODevice::ReadOnly)) return fail(ioError(recipe.initPath, QStringLiteral("read the initial weights"), f.errorString()));
      const QByteArray read = f.readAll();
      bytes.assign(read.begin(), read.end());
      source = recipe.initPath;
    }
    auto initial = models::NetSpatialGenerator::load(bytes, engine);
    if (!initial) return fail(toCoreError(initial.error(), QStringLiteral("cannot load the initial weights"), {source}));
    initSha256 = QString::fromStdString((*initial)->weightsSha256());
    auto config = fineTuningConfig(recipe, (*initial)->config());
    if (!config) return fail(config.error());
    recipe.config = *config;  // what is trained, and what the card and --resume compare
    if (generator) {
      // --resume: the checkpoint must continue this fine-tuning, not another configuration.
      const QStringList differences = netSpatialConfigDifferences(generator->config(), recipe.config);
      if (!differences.isEmpty())
        return fail(core::Error(core::ErrorCode::InvalidArgument,
                                QStringLiteral("the checkpoint was trained with another configuration than %1 (checkpoint → recipe: %2)")
                                    .arg(recipe.path, differences.join(QStringLiteral("; "))),
                                {resumedFrom}));
    } else {
      if (auto prepared = (*initial)->prepareFineTuning(recipe.config); !prepared)
        return fail(toCoreError(prepared.error(), {}, {recipe.path}));
      generator = std::move(*initial);
    }
  }
  const int threadsInForce = models::setIntraOpThreads(threads);
  generator->setModelId(recipe.modelId.toStdString());  // run records and the app's generator list name it

  QTextStream out(stdout);
  out << QStringLiteral("Recipe       %1 (model %2)\n").arg(recipe.path, recipe.modelId);
  QStringList sourceLabels;
  for (const CitySpec& c : recipe.trainingCities) sourceLabels << c.label();
  for (const ScenarioSpec& c : recipe.trainingScenarios)
    sourceLabels << QStringLiteral("%1 (holdout %2 by %3 m blocks, split seed %4)")
                        .arg(relativeToRoot(recipe, c.path), fmtNumber(c.holdout), fmtNumber(c.groupSize))
                        .arg(c.splitSeed);
  out << QStringLiteral("Training     %1\n").arg(sourceLabels.join(QStringLiteral(", ")));
  out << QStringLiteral("Init         %1\n")
             .arg(recipe.init == TrainingRecipe::Init::Scratch
                      ? QStringLiteral("scratch")
                      : QStringLiteral("%1 (SHA-256 %2), fine-tuned").arg(initDescription(recipe), initSha256));
  if (recipe.hasEvaluationCity) out << QStringLiteral("Zero-shot    %1 (never trained on)\n").arg(recipe.evaluationCity.label());
  out << QStringLiteral("Outputs      %1, %2\n").arg(weightsPath, cardPath);
  if (!resumedFrom.isEmpty()) out << QStringLiteral("Resuming     %1\n").arg(resumedFrom);
  out << QStringLiteral("Threads      %1\n").arg(threadsInForce);
  out.flush();

  InterruptHandler interrupt("train");
  const auto cancelled = [&] {
    QTextStream(stderr) << QStringLiteral("netspatial train: cancelled; nothing written to %1 or %2%3\n")
                               .arg(weightsPath, cardPath,
                                    QFileInfo::exists(checkpointPath) ? QStringLiteral(" (continue with --resume %1)").arg(checkpointPath)
                                                                      : QString());
    return kExitCancelled;
  };

  QElapsedTimer timer;
  timer.start();
  TrainingData data;
  {
    core::Feedback feedback;
    ProgressLine line(QStringLiteral("Preparing"));
    line.attachInterruptible(feedback);
    auto built = buildTrainingData(TrainingSources{recipe.trainingCities, recipe.trainingScenarios}, &feedback, recipe.wallClockHours);
    line.finish();
    if (InterruptHandler::interrupted()) return cancelled();
    if (!built) return fail(built.error());
    data = std::move(*built);
  }
  const double dataSeconds = double(timer.elapsed()) / 1000.0;
  for (const QString& l : data.provenance) out << QStringLiteral("Data         %1\n").arg(l);
  out << QStringLiteral("Prepared     %1 training sites in %2 s\n").arg(data.sites.size()).arg(number(dataSeconds, 1));
  out.flush();

  timer.restart();
  models::ModelStatus trained = models::Unit{};
  QStringList checkpointFailures;
  {
    TrainingMonitor monitor(*generator, checkpointPath);
    trained = generator->train(data.sites, data.normalisation, [&monitor](const models::TrainingProgress& p) { return monitor(p); });
    monitor.finish();
    checkpointFailures = monitor.checkpointFailures();
  }
  const double trainSeconds = double(timer.elapsed()) / 1000.0;
  if (InterruptHandler::interrupted()) return cancelled();
  if (!trained) return fail(toCoreError(trained.error(), QStringLiteral("training failed")));

  auto saved = generator->save();
  if (!saved) return fail(toCoreError(saved.error(), QStringLiteral("cannot serialise the weights")));
  const QByteArray weights = toBytes(*saved);
  // What is committed must load: check magic, shapes and hash before anything is written.
  models::EngineOptions check;
  check.device = models::DevicePreference::Cpu;
  check.warmUp = false;
  if (auto reloaded = models::NetSpatialGenerator::load(*saved, check); !reloaded)
    return fail(toCoreError(reloaded.error(), QStringLiteral("the trained weights do not load back")));

  CardFacts facts;
  facts.weightsPath = weightsPath;
  facts.weightsBytes = weights.size();
  facts.weightsSha256 = QString::fromLatin1(QCryptographicHash::hash(weights, QCryptographicHash::Sha256).toHex());
  facts.trainingSummary = QString::fromStdString(generator->trainingSummary());
  facts.trainSeconds = trainSeconds;
  facts.dataSeconds = dataSeconds;
  facts.threads = threadsInForce;
  facts.device = generator->device() == models::Device::Cuda ? QStringLiteral("CUDA") : QStringLiteral("CPU");
  facts.resumedFrom = resumedFrom;
  facts.initSha256 = initSha256;
  facts.finished = QDateTime::currentDateTimeUtc();
  facts.finished.setTime(QTime(facts.finished.time().hour(), facts.finished.time().minute(), facts.finished.time().second()));
  const QByteArray card = modelCard(recipe, data, facts).toUtf8();

  // Last chance to cancel: after this the outputs are replaced (each atomically).
  if (InterruptHandler::interrupted()) return cancelled();
  if (auto s = writeAtomically(weightsPath, weights); !s) return fail(s.error());
  if (auto s = writeAtomically(cardPath, card); !s) return fail(s.error());
  // The checkpoint's stages are all in the weights now; a stale one would only invite a wrong --resume.
  if (QFileInfo::exists(checkpointPath)) QFile::remove(checkpointPath);

  out << QStringLiteral("Trained      in %1 on %2 with %3 thread%4\n")
             .arg(wallTime(trainSeconds), facts.device)
             .arg(threadsInForce)
             .arg(threadsInForce == 1 ? QString() : QStringLiteral("s"));
  out << QStringLiteral("Wrote        %1 (%2, SHA-256 %3)\n").arg(weightsPath, fileSize(facts.weightsBytes), facts.weightsSha256);
  out << QStringLiteral("Wrote        %1\n").arg(cardPath);
  for (const QString& failure : checkpointFailures) out << QStringLiteral("Warning      checkpoint not written: %1\n").arg(failure);
  return kExitOk;
}

}  // namespace netspatial::app::cli
