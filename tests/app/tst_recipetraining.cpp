// The recipe-training engine (app/common/recipetraining.h) without the command line: a recipe on a
// synthetic town's scenario file trains to weights that load and that the card names, a caller's
// subset of the training sites leaves the held-out sites alone, stage boundaries and progress reach
// the caller in order, and a cancel returns Cancelled without a result.

#include "app/common/recipetraining.h"
#include "netspatial/models/adaptive.h"
#include "core/scenario/scenariostore.h"
#include "core/sim/citysimulator.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace netspatial;

namespace {

// A few steps per stage: enough to run every stage, not to learn anything.
const QString kTinyModel = QStringLiteral(
    "[model]\nid = \"tiny_engine\"\n"
    "embed_dim = 16\ncondition_dim = 32\nhidden1 = 64\nhidden2 = 64\nhidden3 = 128\nmax_pois = 16\npeak_hidden = 16\n"
    "image_steps = 6\npoi_steps = 6\nfusion_steps = 6\ngenerator_steps = 12\nbatch_size = 16\nwindows_per_site = 1\n");

}  // namespace

class TestRecipeTraining : public QObject {
  Q_OBJECT

  QTemporaryDir m_dir;
  QString m_recipePath;

  app::TrainingRecipe loadRecipe() {
    auto recipe = app::loadTrainingRecipe(m_recipePath);
    if (!recipe) qFatal("%s", qPrintable(recipe.error().toString()));
    return std::move(*recipe);
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    auto preset = core::cityPreset(QStringLiteral("town"));
    QVERIFY(preset.ok());
    auto town = core::simulateCity(*preset, 41);
    QVERIFY(town.ok());
    QVERIFY(core::saveScenario(*town, m_dir.filePath(QStringLiteral("town.gpkg"))).ok());
    QDir().mkpath(m_dir.filePath(QStringLiteral("recipes")));
    m_recipePath = m_dir.filePath(QStringLiteral("recipes/tiny.toml"));
    QFile f(m_recipePath);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(
        (kTinyModel +
         QStringLiteral("[data]\nscenarios = [{ file = \"town.gpkg\", unit = \"%1\", holdout = 0.3, group_size = 800, split_seed = 3 }]\n"
                        "[output]\nweights = \"out/tiny.nsm\"\ncard = \"out/tiny.md\"\n")
             .arg(town->metadata.trafficUnit))
            .toUtf8());
  }

  void subsetTrainsAndTheCardSaysSo() {
    const app::TrainingRecipe recipe = loadRecipe();
    // The split of the whole recipe, for comparison: the subset must not move it.
    auto full = app::buildTrainingData(app::TrainingSources{{}, recipe.trainingScenarios, {}});
    QVERIFY2(full.ok(), full.ok() ? "" : qPrintable(full.error().toString()));
    const app::TrainingScenarioSummary& all = full->scenarios.at(0);
    QVERIFY(all.trainingSiteIds.size() >= 6);
    std::set<QString> chosen;
    for (std::size_t i = 0; i < all.trainingSiteIds.size(); i += 2) chosen.insert(all.trainingSiteIds[i]);

    app::RecipeTrainingOptions options;
    options.threads = 1;
    options.weightsPath = m_dir.filePath(QStringLiteral("elsewhere/tiny.nsm"));
    options.keepScenarioSite = [&chosen](const app::ScenarioSpec&, const QString& id) { return chosen.count(id) > 0; };
    QStringList events;
    std::vector<double> fractions;
    core::Feedback feedback;
    feedback.setProgressCallback([&fractions](double f, const QString&) { fractions.push_back(f); });
    app::RecipeTrainingObserver observer;
    observer.started = [&](const app::RecipeTrainingStart& s) {
      events << QStringLiteral("started");
      QCOMPARE(s.threads, 1);
      QVERIFY(s.initSha256.isEmpty());  // from scratch
    };
    observer.dataReady = [&](const app::TrainingData& data, double) { events << QStringLiteral("data %1").arg(data.sites.size()); };
    observer.stageFinished = [&](const models::NetSpatialGenerator& generator, const QString& stage) {
      events << QStringLiteral("stage %1").arg(stage);
      QVERIFY(generator.save().ok());  // a checkpoint can be taken at every boundary
    };
    auto trained = app::trainFromRecipe(recipe, options, &feedback, observer);
    QVERIFY2(trained.ok(), trained.ok() ? "" : qPrintable(trained.error().toString()));

    // The caller's subset is what was trained on; the held-out sites are the full recipe's.
    const app::TrainingScenarioSummary& used = trained->data.scenarios.at(0);
    QCOMPARE(std::set<QString>(used.trainingSiteIds.begin(), used.trainingSiteIds.end()), chosen);
    QCOMPARE(used.heldOutSiteIds, all.heldOutSiteIds);
    QCOMPARE(used.unselectedSiteIds.size(), all.trainingSiteIds.size() - chosen.size());
    QVERIFY(trained->data.sites.empty());  // the series are not kept

    QCOMPARE(events.first(), QStringLiteral("started"));
    QCOMPARE(events.at(1), QStringLiteral("data %1").arg(chosen.size()));
    QVERIFY2(events.contains(QStringLiteral("stage image")) && events.contains(QStringLiteral("stage fusion")),
             qPrintable(events.join(',')));
    QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
    QCOMPARE(fractions.back(), 1.0);

    auto model = models::NetSpatialGenerator::load(trained->weights);
    QVERIFY2(model.ok(), model.ok() ? "" : model.error().message.c_str());
    QVERIFY((*model)->isFitted());
    const QString sha = QString::fromLatin1(
        QCryptographicHash::hash(QByteArrayView(trained->weights.data(), qsizetype(trained->weights.size())), QCryptographicHash::Sha256)
            .toHex());
    QCOMPARE(trained->facts.weightsSha256, sha);
    QCOMPARE(QString::fromStdString((*model)->weightsSha256()), sha);
    for (const QString& expected :
         {QStringLiteral("# Model card: tiny_engine"), QStringLiteral("`%1`").arg(sha), QStringLiteral("`elsewhere/tiny.nsm`"),
          QStringLiteral("| `town.gpkg` |"), QStringLiteral("trained on %1 of its").arg(chosen.size()), all.heldOutSiteIds.front(),
          recipe.text.trimmed()})
      QVERIFY2(trained->card.contains(expected), qPrintable(QStringLiteral("'%1' missing in the card:\n%2").arg(expected, trained->card)));
    // The engine writes nothing: not the recipe's outputs, not the caller's path.
    QVERIFY(!QFileInfo::exists(recipe.weightsPath) && !QFileInfo::exists(options.weightsPath));
  }

  // generator = "adaptive": the same data, ADAPTIVE's stages, weights that load and a card that
  // names them; the same recipe twice writes the same bytes.
  void adaptiveRecipeTrainsReproducibly() {
    const QString path = m_dir.filePath(QStringLiteral("recipes/adaptive.toml"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QFile tiny(m_recipePath);
    QVERIFY(tiny.open(QIODevice::ReadOnly));
    QString text = QString::fromUtf8(tiny.readAll());
    text.replace(text.left(text.indexOf(QStringLiteral("[data]"))),
                 QStringLiteral("[model]\nid = \"tiny_adaptive\"\ngenerator = \"adaptive\"\ntucker_epochs = 2\nfold_in_epochs = 1\n"
                                "gcn_max_epochs = 10\nclusters = 2\npatterns = 4\ngan_epochs = 1\nvolume_steps = 10\n"));
    f.write(text.toUtf8());
    f.close();
    auto recipe = app::loadTrainingRecipe(path);
    QVERIFY2(recipe.ok(), recipe.ok() ? "" : qPrintable(recipe.error().toString()));
    QCOMPARE(recipe->generator, QStringLiteral("adaptive"));
    QCOMPARE(recipe->adaptiveConfig.ganEpochs, 1);
    QVERIFY(recipe->overriddenKeys.contains(QStringLiteral("tucker_epochs")));
    std::vector<std::string> stages;
    app::RecipeTrainingObserver observer;
    observer.step = [&](const models::TrainingProgress& p) {
      if (stages.empty() || stages.back() != p.stage) stages.push_back(p.stage);
    };
    auto first = app::trainFromRecipe(*recipe, {}, nullptr, observer);
    QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().toString()));
    QCOMPARE(stages, (std::vector<std::string>{"graph", "tucker", "gcn", "clusters", "gan", "volume"}));
    auto loaded = models::AdaptiveGenerator::load(first->weights);
    QVERIFY(loaded.ok());
    QCOMPARE((*loaded)->id(), std::string("tiny_adaptive"));
    QVERIFY(first->card.contains(first->facts.weightsSha256));
    QVERIFY(first->card.contains(QStringLiteral("ADAPTIVE")));
    QVERIFY(first->card.contains(QStringLiteral("link prediction")));
    QVERIFY(first->card.contains(QStringLiteral("Held out of `town.gpkg`")));
    QCOMPARE(first->facts.threads, 1);  // ADAPTIVE's small ops run on one thread unless asked
    auto second = app::trainFromRecipe(*recipe, {});
    QVERIFY(second.ok());
    QVERIFY(second->weights == first->weights);
    // --resume is NetSpatial's.
    app::RecipeTrainingOptions resume;
    resume.resumeFrom = m_dir.filePath(QStringLiteral("any.checkpoint"));
    auto refused = app::trainFromRecipe(*recipe, resume);
    QVERIFY(!refused.ok());
    QVERIFY(refused.error().message().contains(QStringLiteral("--resume")));
  }

  void cancelReturnsCancelled_data() {
    QTest::addColumn<int>("afterSteps");  // -1: cancelled before it starts
    QTest::newRow("before the data") << -1;
    QTest::newRow("while training") << 3;
  }
  void cancelReturnsCancelled() {
    QFETCH(int, afterSteps);
    core::Feedback feedback;
    if (afterSteps < 0) feedback.cancel();
    int steps = 0;
    bool dataReady = false;
    app::RecipeTrainingObserver observer;
    observer.dataReady = [&](const app::TrainingData&, double) { dataReady = true; };
    observer.step = [&](const models::TrainingProgress&) {
      if (++steps == afterSteps) feedback.cancel();
    };
    auto trained = app::trainFromRecipe(loadRecipe(), {}, &feedback, observer);
    QVERIFY(!trained.ok());
    QCOMPARE(trained.error().code(), core::ErrorCode::Cancelled);
    QCOMPARE(dataReady, afterSteps >= 0);
    if (afterSteps >= 0) QCOMPARE(steps, afterSteps);  // stopped at the next step
    QVERIFY(!QDir(m_dir.filePath(QStringLiteral("out"))).exists());
  }

  void badResumeNamesTheFile() {
    app::RecipeTrainingOptions options;
    options.resumeFrom = m_dir.filePath(QStringLiteral("no-such.checkpoint"));
    auto trained = app::trainFromRecipe(loadRecipe(), options);
    QVERIFY(!trained.ok());
    QVERIFY2(trained.error().toString().contains(options.resumeFrom), qPrintable(trained.error().toString()));
  }
};

QTEST_GUILESS_MAIN(TestRecipeTraining)
#include "tst_recipetraining.moc"
