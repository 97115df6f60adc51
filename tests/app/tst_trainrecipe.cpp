// Training recipes with scenario files and initial weights (issue 19, item 2), parsing only: the
// [data] scenarios entries and [model] init are read and checked, every mistake is refused with the
// file, line and key, a recipe that would train on held-out sites is refused, and fine-tuning keeps
// the initial weights' architecture (fineTuningConfig, NetSpatialGenerator::prepareFineTuning).
// Nothing is trained or loaded here: tst_train (slow) trains on Milan.

#include "app/common/trainingrecipe.h"
#include "netspatial/models/netspatial.h"
#include "netspatial/models/netspatialconfigkeys.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace netspatial;

namespace {

const QString kModel = QStringLiteral("[model]\nid = \"x\"\nembed_dim = 16\n");  // lines 1–3
const QString kOutput = QStringLiteral("[output]\nweights = \"out/x.nsm\"\ncard = \"out/x.md\"\n");

//! One scenario entry for scenario.gpkg; `extra` is appended inside the braces.
QString scenario(const QString& extra = {}) {
  return QStringLiteral("{ file = \"scenario.gpkg\", unit = \"MB/h\", holdout = 0.3, group_size = 1000, split_seed = 1%1 }").arg(extra);
}

}  // namespace

class TestTrainRecipe : public QObject {
  Q_OBJECT

  QTemporaryDir m_dir;  //!< the "repository root": recipes/ inside, scenario files beside it

  QString recipePath() const { return m_dir.filePath(QStringLiteral("recipes/recipe.toml")); }
  core::Result<app::TrainingRecipe> parse(const QString& text) const { return app::parseTrainingRecipe(text, recipePath()); }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("recipes"))));
    // The reader checks that the files exist; it does not read them (buildTrainingData does).
    for (const QString& name : {QStringLiteral("scenario.gpkg"), QStringLiteral("other.gpkg"), QStringLiteral("init.nsm")}) {
      QFile f(m_dir.filePath(name));
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("x");
    }
  }

  void scenariosAndInitAreRead() {
    auto recipe = parse(kModel + QStringLiteral("init = \"init.nsm\"\nseed = 3\n[data]\nscenarios = [\n  ") +
                        scenario(QStringLiteral(", complete_only = true, window = 1")) + QStringLiteral(",\n  ") +
                        QStringLiteral("{ file = \"%1\", unit = \"MB/h\", holdout = 0.5, group_size = 250.5, split_seed = 7 },\n]\n")
                            .arg(m_dir.filePath(QStringLiteral("other.gpkg"))) +
                        kOutput);
    QVERIFY2(recipe.ok(), recipe.ok() ? "" : qPrintable(recipe.error().toString()));
    QCOMPARE(recipe->init, app::TrainingRecipe::Init::File);
    QCOMPARE(recipe->initPath, QDir::cleanPath(m_dir.filePath(QStringLiteral("init.nsm"))));  // relative to the root
    QCOMPARE(recipe->initLine, 4);
    QVERIFY(recipe->trainingCities.empty());
    QVERIFY(!recipe->hasEvaluationCity);  // scenarios only: their held-out blocks are the evaluation
    QCOMPARE(int(recipe->trainingScenarios.size()), 2);
    const app::ScenarioSpec& a = recipe->trainingScenarios[0];
    QCOMPARE(a.path, QDir::cleanPath(m_dir.filePath(QStringLiteral("scenario.gpkg"))));
    QCOMPARE(a.unit, QStringLiteral("MB/h"));
    QCOMPARE(a.holdout, 0.3);
    QCOMPARE(a.groupSize, 1000.0);
    QCOMPARE(a.splitSeed, quint64(1));
    QVERIFY(a.eligibility.requireCompleteSeries);
    QCOMPARE(a.eligibility.window, 1);
    QCOMPARE(a.line, 8);
    const app::ScenarioSpec& b = recipe->trainingScenarios[1];
    QCOMPARE(b.groupSize, 250.5);
    QCOMPARE(b.splitSeed, quint64(7));
    QVERIFY(!b.eligibility.requireCompleteSeries);  // evaluate's defaults
    QCOMPARE(b.eligibility.window, 0);
    QCOMPARE(recipe->keyLines.at(QStringLiteral("embed_dim")), 3);

    auto embedded = parse(
        kModel + QStringLiteral("init = \"embedded\"\n[data]\nscenarios = [") + scenario() +
        QStringLiteral("]\ncities = [{ preset = \"town\", seed = 1 }]\n[evaluation]\ncity = { preset = \"town\", seed = 2 }\n") + kOutput);
    QVERIFY2(embedded.ok(), embedded.ok() ? "" : qPrintable(embedded.error().toString()));
    QCOMPARE(embedded->init, app::TrainingRecipe::Init::Embedded);
    QCOMPARE(app::initDescription(*embedded), QStringLiteral("embedded"));
    QVERIFY(embedded->hasEvaluationCity);
    QCOMPARE(int(embedded->trainingCities.size()), 1);

    // Without init: from scratch, as every recipe before issue 19.
    auto scratch = parse(kModel + QStringLiteral("[data]\nscenarios = [") + scenario() + QStringLiteral("]\n") + kOutput);
    QVERIFY2(scratch.ok(), scratch.ok() ? "" : qPrintable(scratch.error().toString()));
    QCOMPARE(scratch->init, app::TrainingRecipe::Init::Scratch);
  }

  void recipeErrorsAreClear_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    const QString data = QStringLiteral("[data]\nscenarios = [\n  ");  // the first entry is on line 6
    const auto row = [&](const char* name, const QString& entries, const QStringList& expected) {
      QTest::newRow(name) << kModel + data + entries + QStringLiteral("\n]\n") + kOutput << expected;
    };
    row("holdout 0", scenario().replace(QStringLiteral("holdout = 0.3"), QStringLiteral("holdout = 0")),
        {QStringLiteral("line 6"), QStringLiteral("[data] scenario 1 holdout must be in (0, 1), not 0"),
         QStringLiteral("never trained on")});
    row("holdout 1", scenario().replace(QStringLiteral("holdout = 0.3"), QStringLiteral("holdout = 1.0")),
        {QStringLiteral("line 6"), QStringLiteral("holdout must be in (0, 1), not 1.0")});
    row("holdout not a number", scenario().replace(QStringLiteral("holdout = 0.3"), QStringLiteral("holdout = \"30%\"")),
        {QStringLiteral("line 6"), QStringLiteral("[data] scenario 1 holdout must be a number, not a string")});
    row("no split_seed", scenario().replace(QStringLiteral(", split_seed = 1"), QString()),
        {QStringLiteral("line 6"), QStringLiteral("[data] scenario 1 has no split_seed")});
    row("no holdout", scenario().replace(QStringLiteral("holdout = 0.3, "), QString()),
        {QStringLiteral("line 6"), QStringLiteral("has no holdout")});
    row("negative split_seed", scenario().replace(QStringLiteral("split_seed = 1"), QStringLiteral("split_seed = -1")),
        {QStringLiteral("line 6"), QStringLiteral("split_seed must be a non-negative integer")});
    row("group_size 0", scenario().replace(QStringLiteral("group_size = 1000"), QStringLiteral("group_size = 0")),
        {QStringLiteral("line 6"), QStringLiteral("group_size must be a number of metres > 0")});
    row("misspelt key", scenario(QStringLiteral(", complete_onyl = true")),
        {QStringLiteral("line 6"), QStringLiteral("unknown key 'complete_onyl' in [data] scenario 1"), QStringLiteral("complete_only")});
    row("complete_only not a boolean", scenario(QStringLiteral(", complete_only = 1")),
        {QStringLiteral("line 6"), QStringLiteral("complete_only must be true or false")});
    row("window negative", scenario(QStringLiteral(", window = -2")),
        {QStringLiteral("line 6"), QStringLiteral("window must be a non-negative integer")});
    row("empty unit", scenario().replace(QStringLiteral("\"MB/h\""), QStringLiteral("\" \"")),
        {QStringLiteral("line 6"), QStringLiteral("[data] scenario 1 unit is empty")});
    row("no unit", scenario().replace(QStringLiteral("unit = \"MB/h\", "), QString()),
        {QStringLiteral("[data] scenario 1 unit is missing")});
    row("no file", scenario().replace(QStringLiteral("file = \"scenario.gpkg\", "), QString()),
        {QStringLiteral("[data] scenario 1 file is missing")});
    row("missing file", scenario().replace(QStringLiteral("scenario.gpkg"), QStringLiteral("nowhere.gpkg")),
        {QStringLiteral("line 6"), QStringLiteral("[data] scenario 1 file: no such file"), QStringLiteral("nowhere.gpkg")});
    row("not a table", QStringLiteral("\"scenario.gpkg\""), {QStringLiteral("line 6"), QStringLiteral("must be a table like")});
    // The same file twice with another split would train on the first split's held-out sites.
    row("same file twice",
        scenario() + QStringLiteral(",\n  ") + scenario().replace(QStringLiteral("split_seed = 1"), QStringLiteral("split_seed = 2")),
        {QStringLiteral("line 7"), QStringLiteral("[data] scenario 2 repeats scenario 1 (line 6)"), QStringLiteral("scenario.gpkg"),
         QStringLiteral("holds out")});
    row("same file by another path",
        scenario() + QStringLiteral(",\n  ") +
            scenario().replace(QStringLiteral("\"scenario.gpkg\""), QStringLiteral("\"recipes/../scenario.gpkg\"")),
        {QStringLiteral("line 7"), QStringLiteral("repeats scenario 1")});

    const QString entry = QStringLiteral("[data]\nscenarios = [") + scenario() + QStringLiteral("]\n");
    QTest::newRow("scenarios empty") << kModel + QStringLiteral("[data]\nscenarios = []\n") + kOutput
                                     << QStringList{QStringLiteral("line 5"), QStringLiteral("[data] scenarios must be a non-empty array")};
    QTest::newRow("nothing to train on") << kModel + QStringLiteral("[data]\nwall_clock_hours = true\n") + kOutput
                                         << QStringList{QStringLiteral("[data] has neither cities nor scenarios")};
    QTest::newRow("misspelt [data] key") << kModel + QStringLiteral("[data]\nscenario = [") + scenario() + QStringLiteral("]\n") + kOutput
                                         << QStringList{QStringLiteral("line 5"), QStringLiteral("unknown key 'scenario' in [data]"),
                                                        QStringLiteral("scenarios")};
    QTest::newRow("init unknown") << kModel + QStringLiteral("init = \"pretrained\"\n") + entry + kOutput
                                  << QStringList{QStringLiteral("line 4"),
                                                 QStringLiteral("[model] init must be \"scratch\", \"embedded\" or a weights file"),
                                                 QStringLiteral("pretrained")};
    QTest::newRow("init not a string") << kModel + QStringLiteral("init = true\n") + entry + kOutput
                                       << QStringList{QStringLiteral("line 4"), QStringLiteral("[model] init must be a string")};
    QTest::newRow("misspelt init") << kModel + QStringLiteral("inti = \"embedded\"\n") + entry + kOutput
                                   << QStringList{QStringLiteral("line 4"), QStringLiteral("unknown key 'inti' in [model]")};
    // A recipe from someone else writes, and reads, inside its root unless a path is absolute.
    row("scenario file climbing out", scenario().replace(QStringLiteral("\"scenario.gpkg\""), QStringLiteral("\"../../etc/passwd\"")),
        {QStringLiteral("line 6"), QStringLiteral("[data] scenario 1 file: '../../etc/passwd' leaves the recipe's root")});
    QTest::newRow("weights climbing out")
        << kModel + entry + QString(kOutput).replace(QStringLiteral("out/x.nsm"), QStringLiteral("../../../tmp/evil.nsm"))
        << QStringList{QStringLiteral("[output] weights: '../../../tmp/evil.nsm' leaves the recipe's root")};
    QTest::newRow("card climbing out") << kModel + entry +
                                              QString(kOutput).replace(QStringLiteral("out/x.md"), QStringLiteral("out/../../x.md"))
                                       << QStringList{QStringLiteral("[output] card: 'out/../../x.md' leaves the recipe's root")};
    QTest::newRow("init climbing out") << kModel + QStringLiteral("init = \"../weights.nsm\"\n") + entry + kOutput
                                       << QStringList{QStringLiteral("line 4"), QStringLiteral("[model] init: '../weights.nsm' leaves")};
    // [model] generator picks the family of keys: ADAPTIVE's are unknown to NetSpatial and back.
    QTest::newRow("generator unknown") << kModel + QStringLiteral("generator = \"stouter\"\n") + entry + kOutput
                                       << QStringList{QStringLiteral("line 4"),
                                                      QStringLiteral("[model] generator must be \"netspatial\" or \"adaptive\"")};
    QTest::newRow("ADAPTIVE key in a NetSpatial recipe")
        << kModel + QStringLiteral("tucker_epochs = 3\n") + entry + kOutput
        << QStringList{QStringLiteral("line 4"), QStringLiteral("unknown key 'tucker_epochs' in [model]")};
    QTest::newRow("ADAPTIVE has no init") << kModel + QStringLiteral("generator = \"adaptive\"\ninit = \"embedded\"\n") + entry + kOutput
                                          << QStringList{QStringLiteral("line 5"), QStringLiteral("unknown key 'init' in [model]")};
    QTest::newRow("ADAPTIVE value checked") << kModel + QStringLiteral("generator = \"adaptive\"\nclusters = 1\n") + entry + kOutput
                                            << QStringList{QStringLiteral("line 5"),
                                                           QStringLiteral("[model] clusters must be an integer ≥ 2, not 1")};
    // Simulated cities still need their zero-shot city.
    QTest::newRow("cities without [evaluation]")
        << kModel + entry + QStringLiteral("cities = [{ preset = \"town\", seed = 1 }]\n") + kOutput
        << QStringList{QStringLiteral("[evaluation] is missing")};
  }
  void recipeErrorsAreClear() {
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    auto recipe = parse(text);
    QVERIFY2(!recipe.ok(), qPrintable(text));
    const QString message = recipe.error().toString();
    QVERIFY2(message.contains(QStringLiteral("recipe.toml")), qPrintable(message));
    for (const QString& e : expected) QVERIFY2(message.contains(e), qPrintable(QStringLiteral("'%1' missing in: %2").arg(e, message)));
  }

  void fineTuningKeepsTheArchitecture() {
    models::NetSpatialConfig initial;
    initial.embedDim = 16;
    initial.generatorSteps = 900;
    initial.imageSteps = 11;
    auto recipe = parse(kModel + QStringLiteral("init = \"init.nsm\"\ngenerator_steps = 5\n[data]\nscenarios = [") + scenario() +
                        QStringLiteral("]\n") + kOutput);
    QVERIFY2(recipe.ok(), recipe.ok() ? "" : qPrintable(recipe.error().toString()));
    // embed_dim = 16 restates the initial weights' value: allowed. Keys left out come from them.
    auto config = app::fineTuningConfig(*recipe, initial);
    QVERIFY2(config.ok(), config.ok() ? "" : qPrintable(config.error().toString()));
    QCOMPARE(config->generatorSteps, 5);  // the recipe's
    QCOMPARE(config->imageSteps, 11);     // the initial weights'
    QCOMPARE(config->embedDim, 16);

    initial.embedDim = 64;
    auto refused = app::fineTuningConfig(*recipe, initial);
    QVERIFY(!refused.ok());
    const QString message = refused.error().toString();
    for (const QString& e : {QStringLiteral("line 3"), QStringLiteral("[model] embed_dim = 16"), QStringLiteral("embed_dim = 64"),
                             QStringLiteral("init.nsm"), QStringLiteral("keeps the architecture")})
      QVERIFY2(message.contains(e), qPrintable(QStringLiteral("'%1' missing in: %2").arg(e, message)));

    // A training key may differ; every architecture key is one the model refuses to change.
    int architectureKeys = 0;
    for (const auto& key : models::netSpatialConfigKeys()) architectureKeys += key.architecture ? 1 : 0;
    QCOMPARE(architectureKeys, 15);  // observed_neighbours sizes the inputs of levels 1 and 3
  }

  void generatorRefusesAnotherArchitecture() {
    models::NetSpatialConfig small;
    small.embedDim = 8;
    small.conditionDim = 16;
    small.hidden1 = small.hidden2 = small.hidden3 = 16;
    small.peakHidden = 8;
    models::NetSpatialGenerator generator(small);
    models::NetSpatialConfig other = small;
    other.hidden2 = 32;
    auto refused = generator.prepareFineTuning(other);
    QVERIFY(!refused.ok());
    QVERIFY2(QString::fromStdString(refused.error().message).contains(QStringLiteral("hidden2: 16 → 32")), refused.error().message.c_str());
    models::NetSpatialConfig training = small;
    training.generatorSteps = 3;
    training.learningRate = 1e-4;
    QVERIFY(generator.prepareFineTuning(training).ok());
    QCOMPARE(generator.config().generatorSteps, 3);
    QVERIFY(!generator.isFitted());  // every stage is trained again
  }
};

QTEST_GUILESS_MAIN(TestTrainRecipe)
#include "tst_trainrecipe.moc"
