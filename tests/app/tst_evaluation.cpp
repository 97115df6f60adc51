// The evaluation harness and `netspatial evaluate`: splits, the table's exact columns, quality of
// the references on a zero-shot synthetic town, and bad command lines.

#include "app/common/evaluation.h"
#include "app/common/generators.h"
#include "core/scenario/scenariostore.h"
#include "core/sim/citysimulator.h"
#include "netspatial/models/generator.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <set>

using namespace netspatial;

class TestEvaluation : public QObject {
  Q_OBJECT

  QTemporaryDir m_dir;
  QStringList m_towns;  // three small synthetic towns of different seeds

  static QString run(const QStringList& args, int* exitCode) {
    QProcess p;
    p.start(QStringLiteral(NETSPATIAL_CLI), args);
    if (!p.waitForFinished(300000)) {
      *exitCode = -1;
      return {};
    }
    *exitCode = p.exitCode();
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    auto preset = core::cityPreset(QStringLiteral("town"));
    QVERIFY(preset.ok());
    for (quint64 seed : {31, 32, 33}) {
      auto city = core::simulateCity(*preset, seed);
      QVERIFY(city.ok());
      const QString path = m_dir.filePath(QStringLiteral("town-%1.gpkg").arg(seed));
      QVERIFY(core::saveScenario(*city, path).ok());
      m_towns << path;
    }
  }

  void blocksAreHeldOutWhole_data() {
    QTest::addColumn<double>("fraction");
    QTest::addColumn<double>("groupSize");
    QTest::newRow("30 % by 1 km") << 0.3 << 1000.0;
    QTest::newRow("50 % by 250 m") << 0.5 << 250.0;
    QTest::newRow("10 % by 3 km") << 0.1 << 3000.0;
  }
  void blocksAreHeldOutWhole() {
    QFETCH(double, fraction);
    QFETCH(double, groupSize);
    std::vector<core::PointXY> positions;
    for (int i = 0; i < 400; ++i) positions.push_back({double((i * 7919) % 5000), double((i * 104729) % 5000)});
    int blocks = 0;
    const auto heldOut = app::heldOutByBlocks(positions, fraction, groupSize, 5, &blocks);
    QVERIFY(blocks > 1);
    const auto n = std::count(heldOut.begin(), heldOut.end(), true);
    QVERIFY(n >= std::ceil(fraction * 400));
    QVERIFY(n < 400);
    // No block is split between training and test.
    std::map<std::pair<long long, long long>, std::set<bool>> sides;
    for (std::size_t i = 0; i < positions.size(); ++i)
      sides[{static_cast<long long>(std::floor(positions[i].x / groupSize)),
             static_cast<long long>(std::floor(positions[i].y / groupSize))}]
          .insert(heldOut[i]);
    for (const auto& [block, s] : sides) QCOMPARE(s.size(), std::size_t(1));
    QVERIFY(app::heldOutByBlocks(positions, fraction, groupSize, 5) == heldOut);  // seeded
    QVERIFY(app::heldOutByBlocks(positions, fraction, groupSize, 6) != heldOut);
  }

  // Zero-shot: train on two towns, test on the third. The references must capture the daily and
  // weekly rhythm of a city they never saw — a broken template or context transfer fails here.
  void zeroShotReferencesTrackTheRhythm() {
    app::EvaluationOptions o;
    o.trainPaths = {m_towns[0], m_towns[1]};
    o.testPath = m_towns[2];
    o.samples = 4;
    auto report = app::runEvaluation(o);
    QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().toString()));
    QCOMPARE(report->rows.size(), app::generatorIds().size());
    QVERIFY(report->trainSites > 0 && report->testSites > 0);
    QCOMPARE(report->normalisationMin >= 0.0, true);
    for (const app::EvaluationRow& r : report->rows) {
      for (const QString& name : core::MetricTable::names())
        QVERIFY2(std::isfinite(r.metrics.value(name)), qPrintable(r.generator + QLatin1Char(' ') + name));
      QVERIFY(r.metrics.value(QStringLiteral("jsd")) >= 0.0 && r.metrics.value(QStringLiteral("jsd")) <= 1.0);
      QCOMPARE(r.weightsSha256.size(), 64);
      QVERIFY2(r.metrics.value(QStringLiteral("corr")) > 0.7,
               qPrintable(QStringLiteral("%1 corr %2").arg(r.generator).arg(r.metrics.value(QStringLiteral("corr")))));
      QVERIFY2(r.metrics.value(QStringLiteral("mae")) < 0.1,
               qPrintable(QStringLiteral("%1 mae %2").arg(r.generator).arg(r.metrics.value(QStringLiteral("mae")))));
      QCOMPARE(r.weightsSha256.size(), 64);
      QVERIFY(r.secondsPerSequence > 0.0);
    }
    QVERIFY(report->split.contains(QStringLiteral("zero-shot")));
    // The same run again gives the same numbers (seeded, CPU).
    auto again = app::runEvaluation(o);
    QVERIFY(again.ok());
    for (std::size_t i = 0; i < report->rows.size(); ++i)
      for (const QString& name : core::MetricTable::names())
        QCOMPARE(again->rows[i].metrics.value(name), report->rows[i].metrics.value(name));
  }

  void heldOutSplitWithinOneCity() {
    app::EvaluationOptions o;
    o.trainPaths = {m_towns[0]};
    o.holdoutFraction = 0.3;
    o.groupSize = 800.0;
    o.generators = {"nearest_context"};
    auto report = app::runEvaluation(o);
    QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().toString()));
    QCOMPARE(report->rows.size(), std::size_t(1));
    const int all = report->trainSites + report->testSites;
    QVERIFY(report->testSites >= int(std::ceil(0.3 * all)));
    QVERIFY(report->split.contains(QStringLiteral("800 m")));
  }

  void badOptionsAreErrors() {
    app::EvaluationOptions o;
    QVERIFY(!app::runEvaluation(o).ok());  // no training scenario
    o.trainPaths = {m_towns[0]};
    o.generators = {"no_such_model"};
    auto r = app::runEvaluation(o);
    QVERIFY(!r.ok());
    QVERIFY(r.error().message().contains(QStringLiteral("no_such_model")));
    o.generators = {};
    o.trainPaths = {m_dir.filePath(QStringLiteral("absent.gpkg"))};
    QVERIFY(!app::runEvaluation(o).ok());
  }

  void cliWritesCsvAndMarkdown() {
    const QString csv = m_dir.filePath(QStringLiteral("table.csv"));
    int code = 0;
    const QString out = run({QStringLiteral("evaluate"), QStringLiteral("--train"), m_towns[0], m_towns[1], QStringLiteral("--test"),
                             m_towns[2], QStringLiteral("--generators"), QStringLiteral("all"), QStringLiteral("--samples"),
                             QStringLiteral("2"), QStringLiteral("--out"), csv},
                            &code);
    QVERIFY2(code == 0, qPrintable(out));
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), QStringLiteral("generator,mae,rmse,jsd,jsd_diff,jsd_symkl,jsd_temporal,crps,daily_fft_rmse,peak_hour_acc,"
                                           "weekday_weekend_ratio_err,corr,seconds_per_sequence"));
    QCOMPARE(lines.size(), 1 + int(app::generatorIds().size()));
    for (const QString& line : lines.mid(1)) QCOMPARE(line.split(QLatin1Char(',')).size(), 13);
    QVERIFY(lines[1].startsWith(QStringLiteral("zone_template,")));
    QFile md(m_dir.filePath(QStringLiteral("table.md")));
    QVERIFY(md.open(QIODevice::ReadOnly));
    const QString markdown = QString::fromUtf8(md.readAll());
    QVERIFY(markdown.contains(QStringLiteral("| generator | mae | rmse |")));
    QVERIFY(markdown.contains(QStringLiteral("seed 1")));
  }

  // Ablation rows and the embedding probe: a labelled checkpoint adds its own row (here the shipped
  // weights again, so it must reproduce the netspatial row bit for bit), the probe scores C.
  void weightsAndProbe() {
    if (!app::hasEmbeddedWeights(app::kNetSpatialId)) QSKIP("this build embeds no weights (NETSPATIAL_EMBED_WEIGHTS=OFF)");
    auto bytes = app::embeddedWeights(app::kNetSpatialId);
    QVERIFY(bytes.ok());
    const QString copy = m_dir.filePath(QStringLiteral("shipped copy.nsm"));
    {
      QFile f(copy);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(reinterpret_cast<const char*>(bytes->data()), qint64(bytes->size()));
    }
    app::EvaluationOptions o;
    o.trainPaths = {m_towns[0], m_towns[1]};
    o.testPath = m_towns[2];
    o.samples = 2;
    o.generators = {"zone_template", app::kNetSpatialId};
    o.weights = {{QStringLiteral("again"), copy}};
    o.probe = true;
    auto report = app::runEvaluation(o);
    QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().toString()));
    QCOMPARE(report->rows.size(), std::size_t(3));
    QCOMPARE(report->rows[2].generator, QStringLiteral("netspatial_again"));
    QCOMPARE(report->rows[2].weightsSha256, report->rows[1].weightsSha256);
    for (const QString& name : core::MetricTable::names())
      QCOMPARE(report->rows[2].metrics.value(name), report->rows[1].metrics.value(name));
    QCOMPARE(report->probes.size(), std::size_t(2));
    for (const app::ProbeResult& p : report->probes) {
      QVERIFY(p.accuracy >= 0.0 && p.accuracy <= 1.0);
      QVERIFY(p.majorityShare > 0.0 && p.majorityShare <= 1.0);
      QVERIFY(p.trainSites > 0 && p.testSites > 0);
    }
    QCOMPARE(report->probes[0].accuracy, report->probes[1].accuracy);
    const QString markdown = app::evaluationMarkdown(*report);
    QVERIFY(markdown.contains(QStringLiteral("linear probe C → zone class")));
    QVERIFY(markdown.contains(QStringLiteral("| netspatial_again | ")));
    QVERIFY(markdown.contains(QStringLiteral("pretrained (weights shipped copy.nsm), not refitted")));
    QVERIFY(!app::evaluationCsv(*report).contains(QStringLiteral("probe")));  // the CSV keeps its columns

    // The same through the command line.
    const QString csv = m_dir.filePath(QStringLiteral("ablation.csv"));
    int code = 0;
    const QString out =
        run({QStringLiteral("evaluate"), QStringLiteral("--train"), m_towns[0], QStringLiteral("--test"), m_towns[2],
             QStringLiteral("--generators"), QStringLiteral("zone_template"), QStringLiteral("--samples"), QStringLiteral("2"),
             QStringLiteral("--weights"), QStringLiteral("again=") + copy, QStringLiteral("--probe"), QStringLiteral("--out"), csv},
            &code);
    QVERIFY2(code == 0, qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("| netspatial_again |")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("| generator | probe_accuracy | majority_class_share |")), qPrintable(out));
  }

  void badWeightsAndProbeOptions() {
    app::EvaluationOptions o;
    o.trainPaths = {m_towns[0]};
    o.generators = {"zone_template"};
    o.probe = true;  // nothing to probe
    auto noEmbedding = app::runEvaluation(o);
    QVERIFY(!noEmbedding.ok());
    QVERIFY(noEmbedding.error().message().contains(QStringLiteral("netspatial")));
    o.probe = false;
    o.weights = {{QStringLiteral("bad label!"), m_towns[1]}};
    QVERIFY(!app::runEvaluation(o).ok());
    o.weights = {{QString(), m_dir.filePath(QStringLiteral("a.nsm"))}, {QString(), m_dir.filePath(QStringLiteral("b.nsm"))}};
    QVERIFY(!app::runEvaluation(o).ok());
    // A scenario is not a checkpoint: the error names the file, before any scenario is loaded.
    o.weights = {{QStringLiteral("wrong"), m_towns[1]}};
    auto wrong = app::runEvaluation(o);
    QVERIFY(!wrong.ok());
    QVERIFY2(wrong.error().toString().contains(QFileInfo(m_towns[1]).fileName()), qPrintable(wrong.error().toString()));
    int code = 0;
    const QString absent = m_dir.filePath(QStringLiteral("absent.nsm"));
    const QString out =
        run({QStringLiteral("evaluate"), QStringLiteral("--train"), m_towns[0], QStringLiteral("--weights"), QStringLiteral("x=") + absent},
            &code);
    QCOMPARE(code, 1);
    QVERIFY2(out.contains(absent), qPrintable(out));
  }

  void cliRejectsBadCommandLines_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("expectedCode");
    QTest::newRow("no train") << QStringList{QStringLiteral("evaluate")} << 2;
    QTest::newRow("bad samples") << QStringList{QStringLiteral("evaluate"), QStringLiteral("--train"), QStringLiteral("a.gpkg"),
                                                QStringLiteral("--samples"), QStringLiteral("0")}
                                 << 2;
    QTest::newRow("bad holdout") << QStringList{QStringLiteral("evaluate"), QStringLiteral("--train"), QStringLiteral("a.gpkg"),
                                                QStringLiteral("--holdout"), QStringLiteral("1.5")}
                                 << 2;
    QTest::newRow("missing file") << QStringList{QStringLiteral("evaluate"), QStringLiteral("--train"),
                                                 QStringLiteral("/nonexistent/a.gpkg")}
                                  << 1;
  }
  void cliRejectsBadCommandLines() {
    QFETCH(QStringList, args);
    QFETCH(int, expectedCode);
    int code = 0;
    const QString out = run(args, &code);
    QVERIFY2(code == expectedCode, qPrintable(out));
  }
};

QTEST_GUILESS_MAIN(TestEvaluation)
#include "tst_evaluation.moc"
