// `netspatial train RECIPE`: recipe errors name the file and line, the smoke recipe trains end to
// end through the CLI and its weights load with the SHA-256 its card states, Ctrl-C leaves no
// output, an interrupted run resumes from its checkpoint, and (issue 19) a recipe trains on a real
// scenario's sites outside the evaluation harness's held-out blocks, from scratch or fine-tuning.

#include "app/common/evaluation.h"
#include "app/common/trainingdata.h"
#include "app/common/trainingrecipe.h"
#include "core/import/milanscenario.h"
#include "core/scenario/scenariostore.h"
#include "netspatial/models/netspatial.h"
#include "testdata.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <csignal>
#include <set>

using namespace netspatial;

namespace {

// A small, fast configuration shared by the tests that train (the smoke recipe's sizes).
const QString kSmallModel = QStringLiteral(
    "[model]\n"
    "id = \"tiny\"\n"
    "embed_dim = 16\ncondition_dim = 32\nhidden1 = 64\nhidden2 = 64\nhidden3 = 128\nmax_pois = 16\n"
    "image_steps = 20\npoi_steps = 20\nfusion_steps = 20\nbatch_size = 32\nwindows_per_site = 2\n");
const QString kSmallRest = QStringLiteral(
    "[data]\ncities = [{ preset = \"town\", seed = 11 }]\n"
    "[evaluation]\ncity = { preset = \"town\", seed = 12 }\n"
    "[output]\nweights = \"out/tiny.nsm\"\ncard = \"out/tiny.md\"\n");

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestTrain : public QObject {
  Q_OBJECT

  QTemporaryDir m_dir;

  //! Writes `text` as <temp>/<name>/recipes/recipe.toml, so relative outputs land in <temp>/<name>.
  QString writeRecipe(const QString& name, const QString& text) {
    const QString folder = m_dir.filePath(name + QStringLiteral("/recipes"));
    QDir().mkpath(folder);
    const QString path = folder + QStringLiteral("/recipe.toml");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return {};
    f.write(text.toUtf8());
    return path;
  }

  static QString run(const QStringList& args, int* exitCode, int timeoutMs = 240000) {
    QProcess p;
    p.start(QStringLiteral(NETSPATIAL_CLI), args);
    if (!p.waitForFinished(timeoutMs)) {
      p.kill();
      p.waitForFinished();
      *exitCode = -1;
      return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
    }
    *exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
  }

  //! Starts a training run, waits until its stderr shows `marker`, then sends SIGINT.
  static QString interruptAt(const QStringList& args, const QString& marker, int* exitCode) {
    QProcess p;
    p.start(QStringLiteral(NETSPATIAL_CLI), args);
    QString err;
    QElapsedTimer timer;
    timer.start();
    while (!err.contains(marker) && p.state() != QProcess::NotRunning && timer.elapsed() < 180000) {
      p.waitForReadyRead(100);
      err += QString::fromUtf8(p.readAllStandardError());
    }
    if (p.state() != QProcess::NotRunning && err.contains(marker)) ::kill(pid_t(p.processId()), SIGINT);
    p.waitForFinished(120000);
    *exitCode = p.state() == QProcess::NotRunning && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    if (p.state() != QProcess::NotRunning) {
      p.kill();
      p.waitForFinished();
    }
    return QString::fromUtf8(p.readAllStandardOutput()) + err + QString::fromUtf8(p.readAllStandardError());
  }

 private Q_SLOTS:
  void initTestCase() { QVERIFY(m_dir.isValid()); }

  void recipeErrorsAreClear_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    const QString data = QStringLiteral("[data]\ncities = [{ preset = \"town\", seed = 1 }, { preset = \"city\", seed = 22 }]\n");
    const QString eval = QStringLiteral("[evaluation]\ncity = { preset = \"city\", seed = 3 }\n");
    const QString output = QStringLiteral("[output]\nweights = \"w.bin\"\ncard = \"c.md\"\n");
    QTest::newRow("unknown key in [model]") << QStringLiteral("[model]\nid = \"x\"\nembed_dimm = 32\n") + data + eval + output
                                            << QStringList{QStringLiteral("recipe.toml"), QStringLiteral("line 3"),
                                                           QStringLiteral("unknown key 'embed_dimm'"), QStringLiteral("[model]")};
    QTest::newRow("unknown key in a city")
        << QStringLiteral("[model]\nid = \"x\"\n[data]\ncities = [\n  { preset = \"town\", sead = 1 },\n]\n") + eval + output
        << QStringList{QStringLiteral("line 5"), QStringLiteral("unknown key 'sead'"), QStringLiteral("[data] city 1")};
    QTest::newRow("unknown section") << QStringLiteral("[model]\nid = \"x\"\n") + data + eval + output +
                                            QStringLiteral("\n[trainer]\nsteps = 3\n")
                                     << QStringList{QStringLiteral("line 11"), QStringLiteral("unknown key 'trainer'")};
    QTest::newRow("evaluation city in training")
        << QStringLiteral("[model]\nid = \"x\"\n") + data + QStringLiteral("[evaluation]\ncity = { preset = \"city\", seed = 22 }\n") +
               output
        << QStringList{QStringLiteral("line 6"), QStringLiteral("evaluation city (city 22)"), QStringLiteral("[data] city 2 (line 4)"),
                       QStringLiteral("never be trained on")};
    QTest::newRow("bad preset") << QStringLiteral("[model]\nid = \"x\"\n[data]\ncities = [{ preset = \"village\", seed = 1 }]\n") + eval +
                                       output
                                << QStringList{QStringLiteral("line 4"), QStringLiteral("unknown city preset 'village'"),
                                               QStringLiteral("town")};
    QTest::newRow("wrong type") << QStringLiteral("[model]\nid = \"x\"\nbatch_size = \"many\"\n") + data + eval + output
                                << QStringList{QStringLiteral("line 3"), QStringLiteral("batch_size must be an integer, not a string")};
    QTest::newRow("out of range") << QStringLiteral("[model]\nid = \"x\"\nlearning_rate = 0\n") + data + eval + output
                                  << QStringList{QStringLiteral("line 3"), QStringLiteral("learning_rate must be a number > 0")};
    QTest::newRow("duplicate city") << QStringLiteral(
                                           "[model]\nid = \"x\"\n[data]\ncities = [{ preset = \"town\", seed = 1 },\n"
                                           "          { preset = \"town\", seed = 1 }]\n") +
                                           eval + output
                                    << QStringList{QStringLiteral("line 5"), QStringLiteral("repeats city 1 (line 4)")};
    QTest::newRow("missing section") << QStringLiteral("[model]\nid = \"x\"\n") + data + eval
                                     << QStringList{QStringLiteral("[output] is missing")};
    QTest::newRow("wall_clock_hours not a boolean")
        << QStringLiteral("[model]\nid = \"x\"\n[data]\ncities = [{ preset = \"town\", seed = 1 }]\nwall_clock_hours = 1\n") + eval + output
        << QStringList{QStringLiteral("line 5"), QStringLiteral("wall_clock_hours must be true or false")};
    QTest::newRow("not TOML") << QStringLiteral("[model]\nid = \"x\n")
                              << QStringList{QStringLiteral("line 2"), QStringLiteral("not valid TOML")};
  }
  void recipeErrorsAreClear() {
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    const QString path = writeRecipe(QStringLiteral("errors"), text);
    int code = 0;
    const QString out = run({QStringLiteral("train"), path}, &code, 60000);
    QVERIFY2(code == 1, qPrintable(QStringLiteral("exit %1:\n%2").arg(code).arg(out)));
    for (const QString& e : expected) QVERIFY2(out.contains(e), qPrintable(QStringLiteral("'%1' missing in:\n%2").arg(e, out)));
    QVERIFY2(!out.contains(QStringLiteral("Training ")), qPrintable(out));  // refused before any work
  }

  void missingRecipeFileFails() {
    int code = 0;
    const QString missing = m_dir.filePath(QStringLiteral("nowhere/recipe.toml"));
    const QString out = run({QStringLiteral("train"), missing}, &code, 60000);
    QCOMPARE(code, 1);
    QVERIFY2(out.contains(missing) && out.contains(QStringLiteral("no such recipe file")), qPrintable(out));
    QCOMPARE(run({QStringLiteral("train")}, &code, 60000).contains(QStringLiteral("exactly one recipe")), true);
    QCOMPARE(code, 2);
  }

  void recipeDefaultsAndPaths() {
    auto recipe =
        app::parseTrainingRecipe(kSmallModel + QStringLiteral("generator_steps = 7\nlevel3_noise = 0\nuse_image = false\n") + kSmallRest,
                                 QStringLiteral("/repo/recipes/tiny.toml"));
    QVERIFY2(recipe.ok(), recipe.ok() ? "" : qPrintable(recipe.error().toString()));
    QCOMPARE(recipe->modelId, QStringLiteral("tiny"));
    QCOMPARE(recipe->config.generatorSteps, 7);
    QCOMPARE(recipe->config.level3Noise, 0.0f);  // an integer is accepted where a number is expected
    QCOMPARE(recipe->config.useImage, false);
    QCOMPARE(recipe->config.steps1, models::NetSpatialConfig{}.steps1);  // not in the recipe: the default
    QCOMPARE(recipe->overriddenKeys.first(), QStringLiteral("embed_dim"));
    QCOMPARE(recipe->overriddenKeys.last(), QStringLiteral("use_image"));
    QCOMPARE(recipe->weightsPath, QStringLiteral("/repo/out/tiny.nsm"));  // relative to the recipes folder's parent
    QCOMPARE(recipe->cardPath, QStringLiteral("/repo/out/tiny.md"));
    QCOMPARE(recipe->root, QStringLiteral("/repo"));
    QCOMPARE(int(recipe->trainingCities.size()), 1);
    QCOMPARE(recipe->trainingCities[0].label(), QStringLiteral("town 11"));
    QCOMPARE(recipe->evaluationCity.label(), QStringLiteral("town 12"));
    QVERIFY(!recipe->wallClockHours);  // absent: the committed weights' rule
    auto wallClock = app::parseTrainingRecipe(
        QString(kSmallModel + kSmallRest).replace(QStringLiteral("[evaluation]"), QStringLiteral("wall_clock_hours = true\n[evaluation]")),
        QStringLiteral("/repo/recipes/tiny.toml"));
    QVERIFY2(wallClock.ok(), wallClock.ok() ? "" : qPrintable(wallClock.error().toString()));
    QVERIFY(wallClock->wallClockHours);
    // Every configuration field is reachable from a recipe and printed in the card.
    QCOMPARE(app::describeNetSpatialConfig(recipe->config).size(), app::netSpatialConfigKeys().size());
    QVERIFY(app::netSpatialConfigDifferences(recipe->config, recipe->config).isEmpty());
    QCOMPARE(app::netSpatialConfigDifferences(recipe->config, models::NetSpatialConfig{}).size(), recipe->overriddenKeys.size());
  }

  void committedRecipesAreValid() {
    for (const QString& name : {QStringLiteral("netspatial.toml"), QStringLiteral("netspatial-smoke.toml")}) {
      auto recipe = app::loadTrainingRecipe(QStringLiteral(NETSPATIAL_SOURCE_DIR "/recipes/") + name);
      QVERIFY2(recipe.ok(), recipe.ok() ? "" : qPrintable(recipe.error().toString()));
      QVERIFY(recipe->weightsPath.startsWith(QStringLiteral(NETSPATIAL_SOURCE_DIR "/")));
    }
    // The real recipe sets every field explicitly, so a change of the header's defaults cannot
    // change what it trains.
    auto real = app::loadTrainingRecipe(QStringLiteral(NETSPATIAL_SOURCE_DIR "/recipes/netspatial.toml"));
    QVERIFY(real.ok());
    QCOMPARE(real->overriddenKeys.size(), app::netSpatialConfigKeys().size());
    QCOMPARE(real->evaluationCity.label(), QStringLiteral("city 22"));  // the README's zero-shot city
  }

  void smokeRecipeTrainsEndToEnd() {
    // The committed smoke recipe, copied so that its relative outputs land in the temp folder.
    const QString path = writeRecipe(QStringLiteral("smoke"),
                                     QString::fromUtf8(readAll(QStringLiteral(NETSPATIAL_SOURCE_DIR "/recipes/netspatial-smoke.toml"))));
    auto recipe = app::loadTrainingRecipe(path);
    QVERIFY2(recipe.ok(), recipe.ok() ? "" : qPrintable(recipe.error().toString()));
    int code = 0;
    QElapsedTimer timer;
    timer.start();
    const QString out = run({QStringLiteral("train"), path, QStringLiteral("--threads"), QStringLiteral("1")}, &code);
    QVERIFY2(code == 0, qPrintable(QStringLiteral("exit %1:\n%2").arg(code).arg(out)));
    qInfo("smoke recipe: %.1f s", double(timer.elapsed()) / 1000.0);
    QVERIFY2(QFileInfo::exists(recipe->weightsPath) && QFileInfo::exists(recipe->cardPath), qPrintable(out));
    QVERIFY2(!QFileInfo::exists(recipe->weightsPath + QStringLiteral(".checkpoint")), "a finished run leaves no checkpoint");

    const QByteArray bytes = readAll(recipe->weightsPath);
    const QString sha = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    auto model = models::NetSpatialGenerator::load(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
    QVERIFY((*model)->isFitted());
    QCOMPARE(QString::fromStdString((*model)->weightsSha256()), sha);
    QVERIFY((*model)->normalisation().scale > 0.0);
    QCOMPARE((*model)->config().generatorSteps, recipe->config.generatorSteps);
    auto batch = (*model)->generate({models::ModelContext{}}, 1, 1);
    QVERIFY2(batch.ok(), batch.ok() ? "" : batch.error().message.c_str());
    QCOMPARE(batch->hours, models::kSequenceHours);

    QVERIFY2(out.contains(sha), qPrintable(out));
    const QString card = QString::fromUtf8(readAll(recipe->cardPath));
    for (const QString& expected :
         {QStringLiteral("# Model card: netspatial_smoke"), QStringLiteral("`%1`").arg(sha), QStringLiteral("(%1 bytes)").arg(bytes.size()),
          QStringLiteral("paper 003"), QStringLiteral("multi-positive InfoNCE"), QStringLiteral("n-gram"),
          QStringLiteral("| town 11 | town | 11 |"), QStringLiteral("Zero-shot evaluation city:** town 12"), QStringLiteral("scale = "),
          QStringLiteral("## Training summary"), QStringLiteral("## Metrics"), QStringLiteral("README"),
          QStringLiteral("CPU, 1 intra-op thread |"), recipe->text.trimmed()})
      QVERIFY2(card.contains(expected), qPrintable(QStringLiteral("'%1' missing in the card:\n%2").arg(expected, card)));
    const QString summary = QString::fromStdString((*model)->trainingSummary()).trimmed();
    if (!summary.isEmpty()) QVERIFY(card.contains(QString(summary).replace(QStringLiteral("; "), QStringLiteral("\n"))));
  }

  void ctrlCLeavesNoOutput() {
    // Steps enough that the run is certainly still training when the signal arrives.
    const QString path = writeRecipe(QStringLiteral("cancel"), kSmallModel + QStringLiteral("generator_steps = 1000000\n") + kSmallRest);
    const QString weights = m_dir.filePath(QStringLiteral("cancel/given.nsm"));
    int code = 0;
    const QString out = interruptAt({QStringLiteral("train"), path, QStringLiteral("--out"), weights}, QStringLiteral("Training"), &code);
    QVERIFY2(code == 130, qPrintable(QStringLiteral("exit %1:\n%2").arg(code).arg(out)));
    QVERIFY2(out.contains(QStringLiteral("cancelled; nothing written")), qPrintable(out));
    QVERIFY(!QFileInfo::exists(weights));
    QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("cancel/given.md"))));
    QVERIFY(!QFileInfo::exists(m_dir.filePath(QStringLiteral("cancel/out/tiny.md"))));  // --out moves the card too
    // Nothing else half-written beside them either (QSaveFile temporaries included).
    for (const QString& f : QDir(m_dir.filePath(QStringLiteral("cancel"))).entryList(QDir::Files))
      QVERIFY2(f == QStringLiteral("given.nsm.checkpoint"), qPrintable(f));
  }

  void interruptedRunResumes() {
    const QString path = writeRecipe(QStringLiteral("resume"), kSmallModel + QStringLiteral("generator_steps = 300\n") + kSmallRest);
    const QString weights = m_dir.filePath(QStringLiteral("resume/model.nsm"));
    const QString checkpoint = weights + QStringLiteral(".checkpoint");
    int code = 0;
    QString out = interruptAt({QStringLiteral("train"), path, QStringLiteral("--out"), weights},
                              QStringLiteral("Checkpoint   stage image done"), &code);
    QVERIFY2(code == 130, qPrintable(QStringLiteral("exit %1:\n%2").arg(code).arg(out)));
    QVERIFY2(QFileInfo::exists(checkpoint) && !QFileInfo::exists(weights), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("--resume %1").arg(checkpoint)), qPrintable(out));

    // Another configuration must not continue this one.
    const QString other = writeRecipe(QStringLiteral("resume-other"), kSmallModel + QStringLiteral("generator_steps = 5\n") + kSmallRest);
    out = run({QStringLiteral("train"), other, QStringLiteral("--out"), m_dir.filePath(QStringLiteral("resume-other/x.nsm")),
               QStringLiteral("--resume"), checkpoint},
              &code);
    QVERIFY2(code == 1 && out.contains(QStringLiteral("generator_steps: 300 → 5")), qPrintable(out));

    // The same recipe continues with the stages the checkpoint has not finished.
    out = run({QStringLiteral("train"), path, QStringLiteral("--out"), weights, QStringLiteral("--resume"), checkpoint}, &code);
    QVERIFY2(code == 0, qPrintable(QStringLiteral("exit %1:\n%2").arg(code).arg(out)));
    QVERIFY2(out.contains(QRegularExpression(QStringLiteral("Training \\d+% generator"))), qPrintable(out));
    QVERIFY2(!out.contains(QRegularExpression(QStringLiteral("Training \\d+% image"))), qPrintable(out));  // not trained again
    const QByteArray bytes = readAll(weights);
    auto model = models::NetSpatialGenerator::load(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
    QVERIFY((*model)->isFitted());
    QVERIFY(!QFileInfo::exists(checkpoint));
    QVERIFY(QString::fromUtf8(readAll(m_dir.filePath(QStringLiteral("resume/model.md")))).contains(QStringLiteral("resumed from")));
  }

  void milanTrainsOutsideItsHeldOutBlocks() {
    NETSPATIAL_SHARED_FILE(grid, "milan/milano-grid.geojson");
    QElapsedTimer timer;
    timer.start();
    auto imported = core::importMilanScenario(QFileInfo(grid).absolutePath());
    QVERIFY2(imported.ok(), imported.ok() ? "" : qPrintable(imported.error().toString()));
    const QString root = m_dir.filePath(QStringLiteral("milan"));
    QVERIFY(QDir().mkpath(root));
    const QString gpkg = root + QStringLiteral("/milan.gpkg");
    QVERIFY(core::saveScenario(imported->scenario, gpkg).ok());
    const QString sha = QString::fromLatin1(QCryptographicHash::hash(readAll(gpkg), QCryptographicHash::Sha256).toHex());
    const QString unit = QStringLiteral("activity (dataset units)");
    QCOMPARE(imported->scenario.metadata.trafficUnit, unit);  // what netspatial-milan.toml states

    // All cells with a complete first window, the truncated ones included (complete_only = false):
    // their series are cut to complete weeks, never trained with a gap.
    const QString entry =
        QStringLiteral("scenarios = [\n  { file = \"milan.gpkg\", unit = \"%1\", holdout = 0.3, group_size = 1000, split_seed = 1 },\n]\n");
    const QString output = QStringLiteral("[output]\nweights = \"out/milan.nsm\"\ncard = \"out/milan.md\"\n");
    const QString text = kSmallModel + QStringLiteral("generator_steps = 10\n[data]\n") + entry.arg(unit) + output;
    const QString path = writeRecipe(QStringLiteral("milan"), text);
    auto recipe = app::loadTrainingRecipe(path);
    QVERIFY2(recipe.ok(), recipe.ok() ? "" : qPrintable(recipe.error().toString()));
    auto data = app::buildTrainingData(app::TrainingSources{{}, recipe->trainingScenarios});
    QVERIFY2(data.ok(), data.ok() ? "" : qPrintable(data.error().toString()));
    QCOMPARE(int(data->scenarios.size()), 1);
    const app::TrainingScenarioSummary& milan = data->scenarios[0];
    QCOMPARE(milan.sha256, sha);
    QVERIFY(!milan.heldOutSiteIds.empty() && !milan.trainingSiteIds.empty());
    const std::set<QString> heldOut(milan.heldOutSiteIds.begin(), milan.heldOutSiteIds.end());
    for (const QString& id : milan.trainingSiteIds) QVERIFY2(!heldOut.count(id), qPrintable(id + QStringLiteral(" is held out")));
    QCOMPARE(int(data->sites.size()), int(milan.trainingSiteIds.size()));
    QVERIFY2(milan.shortenedSites + int(milan.droppedSiteIds.size()) > 0, "the truncated cells were not exercised");
    float largest = 0.0f;
    for (const auto& site : data->sites)
      for (float v : site.series) {
        QVERIFY(std::isfinite(v) && v >= 0.0f);
        largest = std::max(largest, v);
      }
    // The scale is the largest value trained on, in the scenario's unit.
    QCOMPARE(largest, 1.0f);
    QCOMPARE(QString::fromStdString(data->normalisation.unit), unit);
    // The evaluation harness splits the same scenario into the same sets.
    app::EvaluationOptions options;
    options.trainPaths = {gpkg};
    options.holdoutFraction = 0.3;
    options.groupSize = 1000.0;
    options.splitSeed = 1;
    options.generators = {"zone_template"};
    options.samples = 1;
    auto report = app::runEvaluation(options);
    QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().toString()));
    QCOMPARE(report->testSites, int(milan.heldOutSiteIds.size()));
    QCOMPARE(report->trainSites, int(milan.trainingSiteIds.size() + milan.droppedSiteIds.size()));

    // From scratch, through the command line.
    int code = 0;
    QString out = run({QStringLiteral("train"), path, QStringLiteral("--threads"), QStringLiteral("1")}, &code);
    QVERIFY2(code == 0, qPrintable(QStringLiteral("exit %1:\n%2").arg(code).arg(out)));
    const QString weights = root + QStringLiteral("/out/milan.nsm");
    const QByteArray bytes = readAll(weights);
    auto model = models::NetSpatialGenerator::load(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
    QCOMPARE(QString::fromStdString((*model)->normalisation().unit), unit);
    QCOMPARE((*model)->normalisation().scale, data->normalisation.scale);
    QString card = QString::fromUtf8(readAll(root + QStringLiteral("/out/milan.md")));
    for (const QString& expected :
         {QStringLiteral("`%1`").arg(sha), QStringLiteral("| `milan.gpkg` |"), unit, QStringLiteral("| 0.3 | 1000 m | 1 |"),
          QStringLiteral("| %1 | %2 |").arg(milan.trainingSiteIds.size()).arg(milan.heldOutSiteIds.size()),
          QStringLiteral("--holdout 0.3 --group-size 1000 --split-seed 1"), QStringLiteral("trained from scratch"),
          milan.heldOutSiteIds.front()})
      QVERIFY2(card.contains(expected), qPrintable(QStringLiteral("'%1' missing in the card:\n%2").arg(expected, card)));

    // Fine-tuning the file just written (its architecture restated, a training key changed).
    const QString tune = writeRecipe(
        QStringLiteral("milan-tune"),
        QString(text).replace(QStringLiteral("generator_steps = 10"), QStringLiteral("generator_steps = 5\ninit = \"%1\"").arg(weights)));
    QFile::copy(gpkg, m_dir.filePath(QStringLiteral("milan-tune/milan.gpkg")));
    out = run({QStringLiteral("train"), tune, QStringLiteral("--threads"), QStringLiteral("1")}, &code);
    QVERIFY2(code == 0, qPrintable(QStringLiteral("exit %1:\n%2").arg(code).arg(out)));
    const QString weightsSha = QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
    card = QString::fromUtf8(readAll(m_dir.filePath(QStringLiteral("milan-tune/out/milan.md"))));
    QVERIFY2(card.contains(QStringLiteral("(SHA-256 `%1`), fine-tuned").arg(weightsSha)), qPrintable(card));
    QVERIFY2(card.contains(QStringLiteral("`%1`").arg(sha)), qPrintable(card));
    const QByteArray tuned = readAll(m_dir.filePath(QStringLiteral("milan-tune/out/milan.nsm")));
    auto tunedModel = models::NetSpatialGenerator::load(std::vector<std::uint8_t>(tuned.begin(), tuned.end()));
    QVERIFY2(tunedModel.ok(), tunedModel.ok() ? "" : tunedModel.error().message.c_str());
    QVERIFY((*tunedModel)->isFitted());
    QCOMPARE((*tunedModel)->config().generatorSteps, 5);
    QCOMPARE(QString::fromStdString((*tunedModel)->normalisation().unit), unit);

    // Refused before any training: another architecture than the initial weights', a wrong unit,
    // a misspelt key.
    const auto refused = [&](const QString& name, const QString& recipeText, const QStringList& expected) {
      const QString p = writeRecipe(name, recipeText);
      QFile::copy(gpkg, m_dir.filePath(name + QStringLiteral("/milan.gpkg")));
      int exit = 0;
      const QString o = run({QStringLiteral("train"), p}, &exit, 60000);
      QVERIFY2(exit == 1, qPrintable(QStringLiteral("%1: exit %2:\n%3").arg(name).arg(exit).arg(o)));
      for (const QString& e : expected) QVERIFY2(o.contains(e), qPrintable(QStringLiteral("%1: '%2' missing in:\n%3").arg(name, e, o)));
      QVERIFY2(!o.contains(QStringLiteral("Training 4")), qPrintable(o));
    };
    refused(QStringLiteral("milan-arch"),
            QString(text)
                .replace(QStringLiteral("embed_dim = 16"), QStringLiteral("embed_dim = 8"))
                .replace(QStringLiteral("generator_steps = 10"), QStringLiteral("generator_steps = 10\ninit = \"%1\"").arg(weights)),
            {QStringLiteral("line 3"), QStringLiteral("[model] embed_dim = 8"), QStringLiteral("embed_dim = 16"),
             QStringLiteral("keeps the architecture")});
    refused(QStringLiteral("milan-unit"), kSmallModel + QStringLiteral("[data]\n") + entry.arg(QStringLiteral("MB/h")) + output,
            {QStringLiteral("line 16"), QStringLiteral("[data] scenario 1 (milan.gpkg)"),
             QStringLiteral("unit = \"MB/h\" is not the scenario's traffic unit \"%1\"").arg(unit)});
    refused(QStringLiteral("milan-typo"), QString(text).replace(QStringLiteral("split_seed"), QStringLiteral("split_sed")),
            {QStringLiteral("unknown key 'split_sed' in [data] scenario 1")});

    // The committed Milan recipes parse and start (a few steps instead of their own): the README's
    // split, 140 training and 71 held-out complete cells; the shipped one from scratch with the
    // observed-neighbour memory, the other fine-tuned from the embedded weights.
    struct Committed {
      QString file;
      app::TrainingRecipe::Init init;
      QString expected;
    };
    for (const Committed& c : {Committed{QStringLiteral("netspatial-milan.toml"), app::TrainingRecipe::Init::Scratch,
                                         QStringLiteral("memory: 140 sites (EPSG:32632)")},
                               Committed{QStringLiteral("netspatial-milan-finetuned.toml"), app::TrainingRecipe::Init::Embedded,
                                         QStringLiteral("Init         embedded (SHA-256")}}) {
      QString text = QString::fromUtf8(readAll(QStringLiteral(NETSPATIAL_SOURCE_DIR "/recipes/") + c.file));
      text.remove(QRegularExpression(QStringLiteral("(?m)^(image_steps|poi_steps|fusion_steps|generator_steps) = .*\\n")));
      text.replace(QStringLiteral("seed = 1\n"),
                   QStringLiteral("seed = 1\nimage_steps = 2\npoi_steps = 2\nfusion_steps = 2\ngenerator_steps = 3\n"));
      // Outputs in the test folder, never over the committed weights.
      text.replace(QRegularExpression(QStringLiteral("(?m)^weights = .*$")), QStringLiteral("weights = \"out/milan-recipe.nsm\""));
      text.replace(QRegularExpression(QStringLiteral("(?m)^card = .*$")), QStringLiteral("card = \"out/milan-recipe.md\""));
      const QString committed = writeRecipe(QStringLiteral("milan-recipe"), text);
      QFile::remove(m_dir.filePath(QStringLiteral("milan-recipe/milan.gpkg")));
      QVERIFY(QFile::copy(gpkg, m_dir.filePath(QStringLiteral("milan-recipe/milan.gpkg"))));
      auto milanRecipe = app::loadTrainingRecipe(committed);
      QVERIFY2(milanRecipe.ok(), milanRecipe.ok() ? "" : qPrintable(milanRecipe.error().toString()));
      QCOMPARE(milanRecipe->init, c.init);
      QCOMPARE(milanRecipe->trainingScenarios.at(0).unit, unit);
      QVERIFY(milanRecipe->trainingScenarios.at(0).eligibility.requireCompleteSeries);
      out = run({QStringLiteral("train"), committed, QStringLiteral("--threads"), QStringLiteral("1")}, &code);
      QVERIFY2(code == 0, qPrintable(QStringLiteral("%1: exit %2:\n%3").arg(c.file).arg(code).arg(out)));
      QVERIFY2(out.contains(QStringLiteral("140 training sites, 71 held out")), qPrintable(out));
      const QString card = QString::fromUtf8(readAll(m_dir.filePath(QStringLiteral("milan-recipe/out/milan-recipe.md"))));
      QVERIFY2((out + card).contains(c.expected), qPrintable(c.expected + QStringLiteral(" missing in:\n") + out));
    }
    qInfo("Milan: %.1f s", double(timer.elapsed()) / 1000.0);
  }
};

QTEST_GUILESS_MAIN(TestTrain)
#include "tst_train.moc"
