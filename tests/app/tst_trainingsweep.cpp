// `netspatial evaluate --sweep-fractions` (issue 19 item 6): nested, seeded subsets of the training
// sites; a tiny sweep end to end on a synthetic town with NetSpatial retrained from a recipe on each
// subset (CSV and PNG checked); bad sweep command lines and a recipe with another split refused.

#include "app/common/heldoutsplit.h"
#include "app/common/trainingsweep.h"
#include "core/scenario/scenariostore.h"
#include "core/sim/citysimulator.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <map>
#include <set>

using namespace netspatial;

namespace {

// Every stage for a few steps: enough to train a different model on every subset, quickly.
const QString kTinyRecipe = QStringLiteral(
    "[model]\nid = \"netspatial_tiny\"\n"
    "embed_dim = 16\ncondition_dim = 32\nhidden1 = 64\nhidden2 = 64\nhidden3 = 128\nmax_pois = 16\npeak_hidden = 16\n"
    "image_steps = 4\npoi_steps = 4\nfusion_steps = 4\ngenerator_steps = 10\nbatch_size = 16\nwindows_per_site = 1\n"
    "[data]\nscenarios = [{ file = \"town.gpkg\", unit = \"%1\", holdout = 0.3, group_size = 800, split_seed = %2 }]\n"
    "[output]\nweights = \"out/tiny.nsm\"\ncard = \"out/tiny.md\"\n");

QString run(const QStringList& args, int* exitCode) {
  QProcess p;
  p.start(QStringLiteral(NETSPATIAL_CLI), args);
  if (!p.waitForFinished(300000)) {
    *exitCode = -1;
    return {};
  }
  *exitCode = p.exitCode();
  return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
}

}  // namespace

class TestTrainingSweep : public QObject {
  Q_OBJECT

  QTemporaryDir m_dir;
  QString m_town;
  QString m_unit;
  int m_trainingSites = 0;  // of the split --holdout 0.3 --group-size 800 --split-seed 1

  QString writeRecipe(const QString& name, quint64 splitSeed) {
    const QString path = m_dir.filePath(QStringLiteral("recipes/%1.toml").arg(name));
    QFile f(path);
    if (f.open(QIODevice::WriteOnly)) f.write(kTinyRecipe.arg(m_unit).arg(splitSeed).toUtf8());
    return path;
  }

  QStringList sweepArgs(const QStringList& more) const {
    return QStringList{QStringLiteral("evaluate"),  QStringLiteral("--train"), m_town,
                       QStringLiteral("--holdout"), QStringLiteral("0.3"),     QStringLiteral("--group-size"),
                       QStringLiteral("800")} +
           more;
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("recipes"))));
    auto preset = core::cityPreset(QStringLiteral("town"));
    QVERIFY(preset.ok());
    auto town = core::simulateCity(*preset, 51);
    QVERIFY(town.ok());
    m_town = m_dir.filePath(QStringLiteral("town.gpkg"));
    QVERIFY(core::saveScenario(*town, m_town).ok());
    m_unit = town->metadata.trafficUnit;
    // The split the sweep must keep: its training sites are the 100 % subset.
    auto eligible = app::eligibleSites(*town, {}, m_town);
    QVERIFY(eligible.ok());
    auto split = app::splitByBlocks(*town, eligible->ids, 0.3, 800.0, 1);
    QVERIFY(split.ok());
    m_trainingSites = int(std::count(split->heldOut.begin(), split->heldOut.end(), false));
    QVERIFY(m_trainingSites >= 10);
  }

  void subsetsAreNestedAndSeeded() {
    std::vector<QString> ids;
    for (int i = 0; i < 37; ++i) ids.push_back(QStringLiteral("site-%1").arg(i, 2, 10, QLatin1Char('0')));
    for (int seed : {1, 2, 3}) {
      std::set<QString> previous;
      for (double f : {0.2, 0.4, 0.6, 0.8, 1.0}) {
        const std::vector<QString> subset = app::sweepSubset(ids, f, seed);
        QCOMPARE(int(subset.size()), int(std::ceil(f * 37.0 - 1e-9)));
        const std::set<QString> current(subset.begin(), subset.end());
        QCOMPARE(current.size(), subset.size());  // no site twice
        for (const QString& id : previous)
          QVERIFY2(current.count(id), qPrintable(QStringLiteral("seed %1: %2 left the %3 subset").arg(seed).arg(id).arg(f)));
        previous = current;
        QCOMPARE(app::sweepSubset(ids, f, seed), subset);  // the same seed, the same sites
      }
    }
    QVERIFY(app::sweepSubset(ids, 0.4, 1) != app::sweepSubset(ids, 0.4, 2));
    QCOMPARE(app::sweepSubset(ids, 0.01, 1).size(), std::size_t(1));  // never empty
    QCOMPARE(int(app::sweepSubset({QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("d"), QStringLiteral("e")},
                                  0.6, 1)
                     .size()),
             3);  // 0.6 × 5 is 3 sites, not 4 by a rounding error
  }

  void subsetKeepsTheTestSitesAndTheScale() {
    app::EvaluationOptions o;
    o.trainPaths = {m_town};
    o.groupSize = 800.0;
    o.generators = {"zone_template"};
    o.samples = 2;
    auto full = app::runEvaluation(o);
    QVERIFY2(full.ok(), full.ok() ? "" : qPrintable(full.error().toString()));
    QCOMPARE(full->trainSites, m_trainingSites);
    int kept = 0;
    o.keepTrainingSite = [&kept](const QString&) { return kept++ % 3 == 0; };
    auto subset = app::runEvaluation(o);
    QVERIFY2(subset.ok(), subset.ok() ? "" : qPrintable(subset.error().toString()));
    QCOMPARE(subset->trainSites, (m_trainingSites + 2) / 3);
    QCOMPARE(subset->splitTrainSites, m_trainingSites);
    QCOMPARE(subset->testSites, full->testSites);
    QCOMPARE(subset->normalisationMin, full->normalisationMin);
    QCOMPARE(subset->normalisationMax, full->normalisationMax);
    QVERIFY(subset->rows[0].metrics.value(QStringLiteral("mae")) != full->rows[0].metrics.value(QStringLiteral("mae")));
    o.keepTrainingSite = [](const QString&) { return false; };
    auto none = app::runEvaluation(o);
    QVERIFY(!none.ok() && none.error().message().contains(QStringLiteral("empty")));
  }

  void tinySweepEndToEnd() {
    const QString recipe = writeRecipe(QStringLiteral("tiny"), 1);
    const QString csvPath = m_dir.filePath(QStringLiteral("sweep.csv"));
    const QString pngPath = m_dir.filePath(QStringLiteral("sweep.png"));
    int code = 0;
    const QString out = run(
        sweepArgs({QStringLiteral("--sweep-fractions"), QStringLiteral("0.5,0.25,1"), QStringLiteral("--sweep-seeds"), QStringLiteral("2"),
                   QStringLiteral("--recipe"), recipe, QStringLiteral("--samples"), QStringLiteral("2"), QStringLiteral("--threads"),
                   QStringLiteral("1"), QStringLiteral("--sweep-csv"), csvPath, QStringLiteral("--sweep-png"), pngPath}),
        &code);
    QVERIFY2(code == 0, qPrintable(out));
    for (const QString& expected : {QStringLiteral("| 25 % | %1 | netspatial_tiny |").arg(int(std::ceil(0.25 * m_trainingSites - 1e-9))),
                                    QStringLiteral("| 100 % | %1 | zone_template |").arg(m_trainingSites),
                                    QStringLiteral("| 100 % | %1 | nearest_context |").arg(m_trainingSites),
                                    QStringLiteral("Mean ± sd over 2 subset seeds"), QStringLiteral("recipes/tiny.toml")})
      QVERIFY2(out.contains(expected), qPrintable(QStringLiteral("'%1' missing:\n%2").arg(expected, out)));

    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(csv.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.first(),
             QStringLiteral("training_fraction_share,subset_seed,training_sites_count,test_sites_count,generator,metric,value,"
                            "value_unit,model_sha256"));
    const int generators = 3;  // zone_template, nearest_context, netspatial_tiny
    QCOMPARE(lines.size() - 1, 3 * 2 * generators * int(core::MetricTable::names().size()));
    std::map<double, std::set<int>> sitesByFraction;
    std::set<int> testSites;
    std::map<double, std::set<QString>> modelsByFraction;
    for (const QString& line : lines.mid(1)) {
      const QStringList f = line.split(QLatin1Char(','));
      QCOMPARE(f.size(), 9);
      const double fraction = f[0].toDouble();
      sitesByFraction[fraction].insert(f[2].toInt());
      testSites.insert(f[3].toInt());
      if (f[4] == QStringLiteral("netspatial_tiny")) modelsByFraction[fraction].insert(f[8]);
      if (f[5] == QStringLiteral("mae")) {
        QVERIFY2(f[6].toDouble() > 0.0 && f[6].toDouble() < 1.0, qPrintable(line));
        QVERIFY2(f[7].contains(m_unit), qPrintable(line));
      }
    }
    // Ascending fractions, each with one subset size; the 100 % row is the whole training set.
    QCOMPARE(sitesByFraction.size(), std::size_t(3));
    QCOMPARE(*sitesByFraction[1.0].begin(), m_trainingSites);
    QVERIFY(*sitesByFraction[0.25].begin() < *sitesByFraction[0.5].begin());
    for (const auto& [fraction, sizes] : sitesByFraction) QCOMPARE(sizes.size(), std::size_t(1));
    // More data never changes the held-out set.
    QCOMPARE(testSites.size(), std::size_t(1));
    // A model per subset: the two seeds' 25 % subsets differ, so do their models; 100 % is one set.
    QCOMPARE(modelsByFraction[0.25].size(), std::size_t(2));
    QCOMPARE(modelsByFraction[1.0].size(), std::size_t(1));

    QImage png(pngPath);
    QVERIFY(!png.isNull());
    QCOMPARE(png.size(), QSize(1800, 800));
    // Three lines in three colours (Okabe–Ito blue, vermillion, green): each must be drawn.
    std::map<QRgb, int> counts;
    for (int y = 0; y < png.height(); ++y)
      for (int x = 0; x < png.width(); ++x) ++counts[png.pixel(x, y) & 0xffffff];
    for (QRgb colour : {QRgb(0x0072B2), QRgb(0xD55E00), QRgb(0x009E73)})
      QVERIFY2(counts[colour] > 200, qPrintable(QStringLiteral("colour %1: %2 pixels").arg(colour, 6, 16).arg(counts[colour])));
  }

  void badSweepsAreRefused_data() {
    QTest::addColumn<QStringList>("more");
    QTest::addColumn<int>("expectedCode");
    QTest::addColumn<QString>("message");
    const auto f = [](const QString& list) { return QStringList{QStringLiteral("--sweep-fractions"), list}; };
    QTest::newRow("zero") << f(QStringLiteral("0,0.5")) << 2 << QStringLiteral("0 is not in (0, 1]");
    QTest::newRow("above one") << f(QStringLiteral("0.5,1.5")) << 2 << QStringLiteral("1.5 is not in (0, 1]");
    QTest::newRow("negative") << f(QStringLiteral("-0.2")) << 2 << QStringLiteral("-0.2 is not in (0, 1]");
    QTest::newRow("duplicate") << f(QStringLiteral("0.4,0.8,0.4")) << 2 << QStringLiteral("0.4 is given twice");
    QTest::newRow("not a number") << f(QStringLiteral("0.2,half")) << 2 << QStringLiteral("'half' is not a number");
    QTest::newRow("empty entry") << f(QStringLiteral("0.2,,1")) << 2 << QStringLiteral("'' is not a number");
    QTest::newRow("no seeds") << f(QStringLiteral("0.5")) + QStringList{QStringLiteral("--sweep-seeds"), QStringLiteral("0")} << 2
                              << QStringLiteral("--sweep-seeds must be at least 1");
    QTest::newRow("seeds not a number") << f(QStringLiteral("0.5")) + QStringList{QStringLiteral("--sweep-seeds"), QStringLiteral("two")}
                                        << 2 << QStringLiteral("--sweep-seeds must be an integer");
    QTest::newRow("seeds without a sweep") << QStringList{QStringLiteral("--sweep-seeds"), QStringLiteral("2")} << 2
                                           << QStringLiteral("--sweep-seeds belongs to a sweep");
    QTest::newRow("recipe without a sweep") << QStringList{QStringLiteral("--recipe"), QStringLiteral("r.toml")} << 2
                                            << QStringLiteral("--recipe belongs to a sweep");
    QTest::newRow("png without a sweep") << QStringList{QStringLiteral("--sweep-png"), QStringLiteral("x.png")} << 2
                                         << QStringLiteral("--sweep-png belongs to a sweep");
    QTest::newRow("with --out") << f(QStringLiteral("0.5")) + QStringList{QStringLiteral("--out"), QStringLiteral("t.csv")} << 2
                                << QStringLiteral("--out writes one evaluation's table");
    QTest::newRow("with --probe") << f(QStringLiteral("0.5")) + QStringList{QStringLiteral("--probe")} << 2
                                  << QStringLiteral("--probe scores one evaluation");
    QTest::newRow("csv folder missing") << f(QStringLiteral("0.5")) +
                                               QStringList{QStringLiteral("--sweep-csv"), QStringLiteral("/nowhere/s.csv")}
                                        << 2 << QStringLiteral("the folder /nowhere does not exist");
    QTest::newRow("bad threads") << f(QStringLiteral("0.5")) + QStringList{QStringLiteral("--threads"), QStringLiteral("0")} << 2
                                 << QStringLiteral("--threads must be an integer from 1 to 256");
    QTest::newRow("missing recipe") << f(QStringLiteral("0.5")) + QStringList{QStringLiteral("--recipe"), QStringLiteral("/nowhere/r.toml")}
                                    << 1 << QStringLiteral("/nowhere/r.toml");
  }
  void badSweepsAreRefused() {
    QFETCH(QStringList, more);
    QFETCH(int, expectedCode);
    QFETCH(QString, message);
    int code = 0;
    const QString out = run(sweepArgs(more), &code);
    QVERIFY2(code == expectedCode && out.contains(message),
             qPrintable(QStringLiteral("exit %1, expected '%2':\n%3").arg(code).arg(message, out)));
  }

  void sweepWithATestScenarioIsRefused() {
    int code = 0;
    const QString out = run({QStringLiteral("evaluate"), QStringLiteral("--train"), m_town, QStringLiteral("--test"), m_town,
                             QStringLiteral("--sweep-fractions"), QStringLiteral("0.5")},
                            &code);
    QVERIFY2(code == 2 && out.contains(QStringLiteral("cannot be combined with --test")), qPrintable(out));
  }

  void recipeWithAnotherSplitIsRefused() {
    // The recipe holds out the blocks of split seed 2, evaluate those of seed 1: the model would
    // train on sites the sweep scores. Both splits are named.
    const QString recipe = writeRecipe(QStringLiteral("seed2"), 2);
    int code = 0;
    QString out = run(sweepArgs({QStringLiteral("--sweep-fractions"), QStringLiteral("0.5"), QStringLiteral("--recipe"), recipe}), &code);
    QVERIFY2(code == 1, qPrintable(out));
    for (const QString& expected : {recipe, QStringLiteral("split seed 2"), QStringLiteral("split seed 1"), QStringLiteral("line 17")})
      QVERIFY2(out.contains(expected), qPrintable(QStringLiteral("'%1' missing:\n%2").arg(expected, out)));
    // The same recipe is accepted where the split matches; and the API refuses it as well.
    app::TrainingSweepOptions o;
    o.evaluation.trainPaths = {m_town};
    o.evaluation.groupSize = 800.0;
    o.evaluation.splitSeed = 2;
    o.fractions = {0.5};
    o.recipePath = recipe;
    QVERIFY(app::checkTrainingSweep(o).ok());
    o.evaluation.requireCompleteSeries = true;
    auto refused = app::checkTrainingSweep(o);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message().contains(QStringLiteral("complete series only")), qPrintable(refused.error().toString()));
    // A recipe on another file.
    o.evaluation.requireCompleteSeries = false;
    QVERIFY(QFile::copy(m_town, m_dir.filePath(QStringLiteral("other.gpkg"))));
    o.evaluation.trainPaths = {m_dir.filePath(QStringLiteral("other.gpkg"))};
    refused = app::checkTrainingSweep(o);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message().contains(QStringLiteral("is not the evaluated scenario")), qPrintable(refused.error().toString()));
  }
};

QTEST_GUILESS_MAIN(TestTrainingSweep)
#include "tst_trainingsweep.moc"
