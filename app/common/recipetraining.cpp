// The recipe-training engine (recipetraining.h): the run of `netspatial train`, without its
// command line, printing and files.

#include "app/common/recipetraining.h"

#include "app/common/adaptiverecipe.h"

#include "app/common/generators.h"
#include "app/common/modelbridge.h"
#include "app/common/versioninfo.h"

#include "netspatial/models/runtimeinfo.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QTextStream>

#include <memory>

namespace netspatial::app {

namespace {

QString number(double v, int decimals = 0) { return QLocale::c().toString(v, 'f', decimals); }

QString fileSize(qint64 bytes) {
  if (bytes >= 1024 * 1024) return QStringLiteral("%1 MiB").arg(number(double(bytes) / (1024.0 * 1024.0), 1));
  if (bytes >= 1024) return QStringLiteral("%1 KiB").arg(number(double(bytes) / 1024.0, 1));
  return QStringLiteral("%1 bytes").arg(bytes);
}

QString fmtNumber(double v) { return QString::number(v, 'g', 6); }

}  // namespace

QString recipeRelativePath(const TrainingRecipe& recipe, const QString& path) {
  const QString rel = QDir(recipe.root).relativeFilePath(path);
  return rel.startsWith(QStringLiteral("..")) ? path : rel;
}

QString clockDuration(double seconds) {
  const auto s = qint64(seconds + 0.5);
  if (s < 60) return QStringLiteral("%1 s").arg(s);
  if (s < 3600) return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
  return QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString wallTime(double seconds) {
  return seconds < 60.0 ? number(seconds, 1) + QStringLiteral(" s")
                        : QStringLiteral("%1 (%2 s)").arg(clockDuration(seconds), number(seconds, 1));
}

QString recipeEvaluateCommand(const TrainingRecipe& recipe, const ScenarioSpec& spec) {
  QString cmd = QStringLiteral("netspatial evaluate --train %1").arg(recipeRelativePath(recipe, spec.path));
  if (spec.eligibility.requireCompleteSeries) cmd += QStringLiteral(" --complete-only");
  if (spec.eligibility.window != 0) cmd += QStringLiteral(" --window %1").arg(spec.eligibility.window);
  cmd += QStringLiteral(" --holdout %1 --group-size %2 --split-seed %3")
             .arg(fmtNumber(spec.holdout), fmtNumber(spec.groupSize))
             .arg(spec.splitSeed);
  return cmd;
}

void writeRecipeDataSection(QTextStream& o, const TrainingRecipe& recipe, const TrainingData& data, const QString& windowsText) {
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
      o << "| `" << recipeRelativePath(recipe, c.spec.path) << "` | `" << c.sha256 << "` | " << c.unit << " | " << fmtNumber(c.spec.holdout)
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
      o << "- **Held out of `" << QFileInfo(c.spec.path).fileName() << "`** (score them with `" << recipeEvaluateCommand(recipe, c.spec)
        << "`): " << heldOut.join(QStringLiteral(", ")) << ".\n";
    }
    for (const TrainingScenarioSummary& c : data.scenarios)
      if (!c.unselectedSiteIds.empty())
        o << "- **Subset of `" << QFileInfo(c.spec.path).fileName() << "`:** trained on " << c.trainingSiteIds.size() << " of its "
          << c.trainingSiteIds.size() + c.droppedSiteIds.size() + c.unselectedSiteIds.size()
          << " sites outside the held-out blocks; the caller left out " << c.unselectedSiteIds.size()
          << " (e.g. a training-fraction sweep of `netspatial evaluate`).\n";
  }
  o << "- **Sites:** ";
  if (!data.cities.empty()) o << stations << " stations in " << data.cities.size() << (data.cities.size() == 1 ? " city" : " cities");
  if (!data.cities.empty() && !data.scenarios.empty()) o << " and ";
  if (!data.scenarios.empty())
    o << scenarioSites << " sites of " << data.scenarios.size() << (data.scenarios.size() == 1 ? " scenario" : " scenarios");
  o << ".\n";
  o << "- **Windows:** " << windowsText << "\n";
  o << "- **Normalisation:** every series divided by the largest training value, scale = "
    << QString::number(data.normalisation.scale, 'g', 9) << " " << QString::fromStdString(data.normalisation.unit) << " (unit "
    << QString::fromStdString(data.normalisation.unit) << "); the checkpoint stores it, so generated traffic comes back in "
    << QString::fromStdString(data.normalisation.unit) << ".\n";
  if (recipe.hasEvaluationCity)
    o << "- **Zero-shot evaluation city:** " << recipe.evaluationCity.label() << " (preset " << recipe.evaluationCity.preset << ", seed "
      << recipe.evaluationCity.seed << "), never in training (the recipe reader refuses it there).\n";
  o << "\n";
}

QString recipeModelCard(const TrainingRecipe& recipe, const TrainingData& data, const RecipeCardFacts& f) {
  const VersionInfo versions = VersionInfo::collect();
  QString md;
  QTextStream o(&md);
  o << "# Model card: " << recipe.modelId << "\n\n";
  o << "Written by `netspatial train " << recipeRelativePath(recipe, recipe.path) << "` on " << f.finished.toString(Qt::ISODate)
    << ". The Metrics section is the only part edited by hand.\n\n";
  o << "| | |\n|---|---|\n";
  o << "| model id | `" << recipe.modelId << "` |\n";
  o << "| architecture | NetSpatial (`netspatial::models::NetSpatialGenerator`) |\n";
  o << "| weights | `" << recipeRelativePath(recipe, f.weightsPath) << "`, " << fileSize(f.weightsBytes) << " (" << f.weightsBytes
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
      o << "| initial weights | `" << recipeRelativePath(recipe, recipe.initPath) << "` (SHA-256 `" << f.initSha256
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

  writeRecipeDataSection(o, recipe, data,
                         QStringLiteral("up to %1 windows of 28 days (672 h) per site, cut at weekly offsets from its series "
                                        "(the training summary below gives the count).")
                             .arg(recipe.config.windowsPerSite));

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
    o << "On the held-out sites of `" << QFileInfo(c.spec.path).fileName() << "`: `" << recipeEvaluateCommand(recipe, c.spec)
      << " --weights FILE` (the table is in the README).\n\n";

  o << "## Recipe\n\n`" << recipeRelativePath(recipe, recipe.path) << "`, verbatim:\n\n```toml\n" << recipe.text.trimmed() << "\n```\n";
  return md;
}

namespace {

core::Error readError(const QString& path, const QString& what, const QString& why) {
  return core::Error(core::ErrorCode::Io, QStringLiteral("cannot %1: %2").arg(what, why), {path});
}

core::Result<std::vector<std::uint8_t>> readBytes(const QString& path, const QString& what) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return readError(path, what, f.errorString());
  const QByteArray bytes = f.readAll();
  return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
}

core::Error configurationMismatch(const TrainingRecipe& recipe, const QStringList& differences, const QString& checkpoint) {
  return core::Error(core::ErrorCode::InvalidArgument,
                     QStringLiteral("the checkpoint was trained with another configuration than %1 (checkpoint → recipe: %2)")
                         .arg(recipe.path, differences.join(QStringLiteral("; "))),
                     {checkpoint});
}

core::Error cancelledError() { return core::Error(core::ErrorCode::Cancelled, QStringLiteral("training cancelled")); }

//! The generator to train: the recipe's initial weights, or the checkpoint to resume. Settles a
//! fine-tuning recipe's configuration (start.recipe.config) on the way.
core::Result<std::unique_ptr<models::NetSpatialGenerator>> initialGenerator(RecipeTrainingStart& start,
                                                                            const RecipeTrainingOptions& options) {
  TrainingRecipe& recipe = start.recipe;
  models::EngineOptions engine;
  // Training runs where a fresh model starts (the CPU), so a resumed run computes like an
  // uninterrupted one; no warm-up generation for a model that is not trained yet.
  engine.device = models::DevicePreference::Cpu;
  engine.warmUp = false;
  engine.threads = options.threads;
  std::unique_ptr<models::NetSpatialGenerator> generator;
  if (!options.resumeFrom.isEmpty()) {
    auto bytes = readBytes(options.resumeFrom, QStringLiteral("read the checkpoint"));
    if (!bytes) return bytes.error();
    auto restored = models::NetSpatialGenerator::load(*bytes, engine);
    if (!restored) return toCoreError(restored.error(), {}, {options.resumeFrom});
    // Resuming under another configuration would silently mix two recipes in one model. (A
    // fine-tuning recipe's configuration is known once its initial weights are read, below.)
    const QStringList differences = netSpatialConfigDifferences((*restored)->config(), recipe.config);
    if (recipe.init == TrainingRecipe::Init::Scratch && !differences.isEmpty())
      return configurationMismatch(recipe, differences, options.resumeFrom);
    generator = std::move(*restored);
  } else if (recipe.init == TrainingRecipe::Init::Scratch) {
    generator = std::make_unique<models::NetSpatialGenerator>(recipe.config);
  }
  if (recipe.init == TrainingRecipe::Init::Scratch) return generator;

  // Fine-tuning: the initial weights give the architecture and every key the recipe leaves out.
  std::vector<std::uint8_t> bytes;
  QString source;
  if (recipe.init == TrainingRecipe::Init::Embedded) {
    auto embedded = embeddedWeights(kNetSpatialId);
    if (!embedded) return embedded.error();
    bytes = std::move(*embedded);
    source = QStringLiteral("the embedded netspatial weights");
  } else {
    auto read = readBytes(recipe.initPath, QStringLiteral("read the initial weights"));
    if (!read) return read.error();
    bytes = std::move(*read);
    source = recipe.initPath;
  }
  auto initial = models::NetSpatialGenerator::load(bytes, engine);
  if (!initial) return toCoreError(initial.error(), QStringLiteral("cannot load the initial weights"), {source});
  start.initSha256 = QString::fromStdString((*initial)->weightsSha256());
  auto config = fineTuningConfig(recipe, (*initial)->config());
  if (!config) return config.error();
  recipe.config = *config;  // what is trained, and what the card and a resume compare
  if (generator) {
    // Resuming: the checkpoint must continue this fine-tuning, not another configuration.
    const QStringList differences = netSpatialConfigDifferences(generator->config(), recipe.config);
    if (!differences.isEmpty()) return configurationMismatch(recipe, differences, options.resumeFrom);
    return generator;
  }
  if (auto prepared = (*initial)->prepareFineTuning(recipe.config); !prepared) return toCoreError(prepared.error(), {}, {recipe.path});
  return std::move(*initial);
}

//! Turns the generator's step reports into Feedback progress, observer calls and stage boundaries.
//! Runs on the training thread inside NetSpatialGenerator::train, between steps.
class StepRelay {
 public:
  StepRelay(const models::NetSpatialGenerator& generator, core::Feedback& feedback, const RecipeTrainingObserver& observer)
      : m_generator(generator), m_feedback(feedback), m_observer(observer) {}

  bool operator()(const models::TrainingProgress& p) {
    const bool newStage = p.stage != m_stage;
    // A stage's last step is reported before the model counts the stage as finished; the
    // generator then reports the stage once more (step = steps) as the boundary at which a
    // checkpoint holds the stage as done. Without that extra report the next stage's first report
    // is the boundary (one step late, still a valid checkpoint).
    if (m_pendingBoundary && (newStage || p.step >= p.steps)) {
      m_pendingBoundary = false;
      if (m_observer.stageFinished) m_observer.stageFinished(m_generator, QString::fromStdString(m_stage));
      if (!newStage) return !m_feedback.isCancelled();
    }
    if (p.step >= p.steps) m_pendingBoundary = true;
    if (newStage) m_stage = p.stage;
    m_feedback.setProgress(p.fraction, QStringLiteral("%1 %2/%3 loss %4")
                                           .arg(QString::fromStdString(p.stage))
                                           .arg(p.step)
                                           .arg(p.steps)
                                           .arg(QString::number(p.loss, 'g', 4)));
    if (m_observer.step) m_observer.step(p);
    return !m_feedback.isCancelled();
  }

 private:
  const models::NetSpatialGenerator& m_generator;
  core::Feedback& m_feedback;
  const RecipeTrainingObserver& m_observer;
  std::string m_stage;
  bool m_pendingBoundary = false;
};

}  // namespace

core::Result<double> buildRecipeData(TrainedRecipe& result, const RecipeTrainingOptions& options, core::Feedback* feedback,
                                     const RecipeTrainingObserver& observer) {
  const TrainingRecipe& recipe = result.recipe;
  QElapsedTimer timer;
  timer.start();
  core::Feedback dataFeedback = core::Feedback::childOf(feedback, 0.0, kRecipeDataShare);
  TrainingSources sources{recipe.trainingCities, recipe.trainingScenarios, options.keepScenarioSite};
  auto built = buildTrainingData(sources, &dataFeedback, recipe.wallClockHours);
  if (dataFeedback.isCancelled()) return cancelledError();
  if (!built) return built.error();
  result.data = std::move(*built);
  const double seconds = double(timer.elapsed()) / 1000.0;
  if (observer.dataReady) observer.dataReady(result.data, seconds);
  return seconds;
}

void fillRecipeCardFacts(RecipeCardFacts& facts, const TrainedRecipe& result, const RecipeTrainingOptions& options, double dataSeconds,
                         double trainSeconds, int threads, const QString& device) {
  facts.weightsPath = options.weightsPath.isEmpty() ? result.recipe.weightsPath : options.weightsPath;
  facts.weightsBytes = qint64(result.weights.size());
  facts.weightsSha256 = QString::fromLatin1(
      QCryptographicHash::hash(QByteArrayView(result.weights.data(), qsizetype(result.weights.size())), QCryptographicHash::Sha256)
          .toHex());
  facts.trainSeconds = trainSeconds;
  facts.dataSeconds = dataSeconds;
  facts.threads = threads;
  facts.device = device;
  facts.finished = QDateTime::currentDateTimeUtc();
  facts.finished.setTime(QTime(facts.finished.time().hour(), facts.finished.time().minute(), facts.finished.time().second()));
}

core::Result<TrainedRecipe> trainFromRecipe(TrainingRecipe recipe, const RecipeTrainingOptions& options, core::Feedback* feedback,
                                            const RecipeTrainingObserver& observer) {
  if (recipe.generator == QLatin1String("adaptive")) return trainAdaptiveFromRecipe(std::move(recipe), options, feedback, observer);
  RecipeTrainingStart start{std::move(recipe), {}, 0};
  auto initial = initialGenerator(start, options);
  if (!initial) return initial.error();
  std::unique_ptr<models::NetSpatialGenerator> generator = std::move(*initial);
  start.threads = models::setIntraOpThreads(options.threads);
  generator->setModelId(start.recipe.modelId.toStdString());  // run records and the app's generator list name it
  if (observer.started) observer.started(start);

  TrainedRecipe result;
  result.recipe = std::move(start.recipe);
  const TrainingRecipe& trained = result.recipe;
  auto dataSeconds = buildRecipeData(result, options, feedback, observer);
  if (!dataSeconds) return dataSeconds.error();

  QElapsedTimer timer;
  timer.start();
  models::ModelStatus status = models::Unit{};
  {
    core::Feedback trainFeedback = core::Feedback::childOf(feedback, kRecipeDataShare, 1.0);
    StepRelay relay(*generator, trainFeedback, observer);
    status =
        generator->train(result.data.sites, result.data.normalisation, [&relay](const models::TrainingProgress& p) { return relay(p); });
    if (trainFeedback.isCancelled()) return cancelledError();
  }
  const double trainSeconds = double(timer.elapsed()) / 1000.0;
  if (!status) return toCoreError(status.error(), QStringLiteral("training failed"));
  result.data.sites = {};

  auto saved = generator->save();
  if (!saved) return toCoreError(saved.error(), QStringLiteral("cannot serialise the weights"));
  // What is handed back must load: check magic, shapes and hash before anyone writes it.
  models::EngineOptions check;
  check.device = models::DevicePreference::Cpu;
  check.warmUp = false;
  if (auto reloaded = models::NetSpatialGenerator::load(*saved, check); !reloaded)
    return toCoreError(reloaded.error(), QStringLiteral("the trained weights do not load back"));
  result.weights = std::move(*saved);

  RecipeCardFacts& facts = result.facts;
  fillRecipeCardFacts(facts, result, options, *dataSeconds, trainSeconds, start.threads,
                      generator->device() == models::Device::Cuda ? QStringLiteral("CUDA") : QStringLiteral("CPU"));
  facts.trainingSummary = QString::fromStdString(generator->trainingSummary());
  facts.resumedFrom = options.resumeFrom;
  facts.initSha256 = start.initSha256;
  result.card = recipeModelCard(trained, result.data, facts);
  if (feedback) feedback->setProgress(1.0, QStringLiteral("trained"));
  return result;
}

}  // namespace netspatial::app
