#include "../core/scenario/scenariotestutil.h"
#include "core/scenario/scenariostore.h"

#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <gdal.h>
#include <csignal>
#include <sys/types.h>
#include <proj.h>

class TestCli : public QObject {
  Q_OBJECT

  //! A hang guard, not a timing: `timeoutMs` only stops a child that never ends.
  static QString run(const QString& program, const QStringList& args, int* exitCode, int timeoutMs = 120000) {
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(timeoutMs)) {
      *exitCode = -1;
      return {};
    }
    *exitCode = p.exitCode();
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
  }

 private Q_SLOTS:
  void versionListsTheStack() {
    int code = 0;
    const QString out = run(QStringLiteral(NETSPATIAL_CLI), {QStringLiteral("--version")}, &code);
    QCOMPARE(code, 0);
    QVERIFY2(out.contains(QRegularExpression(QStringLiteral("^Qt +6\\.\\d+"), QRegularExpression::MultilineOption)), qPrintable(out));
    QVERIFY2(out.contains(QRegularExpression(QStringLiteral("^LibTorch +\\d+\\.\\d+"), QRegularExpression::MultilineOption)),
             qPrintable(out));
    QVERIFY(out.contains(
        QRegularExpression(QStringLiteral("^GDAL +%1").arg(QRegularExpression::escape(QString::fromUtf8(GDALVersionInfo("RELEASE_NAME")))),
                           QRegularExpression::MultilineOption)));
    QVERIFY(
        out.contains(QRegularExpression(QStringLiteral("^PROJ +%1").arg(QRegularExpression::escape(QString::fromUtf8(proj_info().version))),
                                        QRegularExpression::MultilineOption)));
    // Debian's LibTorch must run on OpenBLAS, never the reference BLAS (~28x slower).
    QVERIFY2(out.contains(QRegularExpression(QStringLiteral("^BLAS +OpenBLAS \\d"), QRegularExpression::MultilineOption)), qPrintable(out));
    QVERIFY2(out.contains(QRegularExpression(QStringLiteral("^Device +(cpu|cuda)"), QRegularExpression::MultilineOption)), qPrintable(out));
  }

  void unknownCommandFails() {
    int code = 0;
    const QString out = run(QStringLiteral(NETSPATIAL_CLI), {QStringLiteral("frobnicate")}, &code);
    QCOMPARE(code, 2);
    QVERIFY(out.contains(QStringLiteral("unknown command")));
  }

  void infoSummarisesAScenario() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("town.gpkg"));
    const auto saved = netspatial::core::saveScenario(netspatial::tests::smallScenario(), path);
    QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error().toString()));
    int code = 0;
    const QString out = run(QStringLiteral(NETSPATIAL_CLI), {QStringLiteral("info"), path}, &code);
    QVERIFY2(code == 0, qPrintable(out));
    for (const QString& expected :
         {QStringLiteral("Scenario     Test town"), QStringLiteral("EPSG:32632"), QStringLiteral("Extent       x 499400.0 – 501600.0"),
          QStringLiteral("Lon/lat      lon 8."), QStringLiteral("Stations     4 (2 macro, 2 micro)"),
          QStringLiteral("POIs         5: food 1"), QStringLiteral("Zones        3: cbd 1, residential_high 1, water 1"),
          QStringLiteral("Candidates   6 (3 feasible)"), QStringLiteral("Imagery      embedded, 70 × 50 px, pixel 4.00 × 4.00 m"),
          QStringLiteral("Population   embedded, 12 × 9 px"), QStringLiteral("Traffic      4 sites × 48 hours"),
          QStringLiteral("UTC        2025-03-02 23:00 – 2025-03-04 22:00"),
          QStringLiteral("Europe/Rome 2025-03-03 00:00 – 2025-03-04 23:00"), QStringLiteral("Runs         1"),
          QStringLiteral("gen-1  generate  diffusion-v1  seed 42")})
      QVERIFY2(out.contains(expected), qPrintable(QStringLiteral("'%1' missing in:\n%2").arg(expected, out)));
  }

  void infoFailsOnBadFiles() {
    QTemporaryDir dir;
    const QString text = dir.filePath(QStringLiteral("notes.gpkg"));
    QFile f(text);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not a GeoPackage\n");
    f.close();
    int code = 0;
    QString out = run(QStringLiteral(NETSPATIAL_CLI), {QStringLiteral("info"), text}, &code);
    QCOMPARE(code, 1);
    QVERIFY2(out.contains(text) && out.contains(QStringLiteral("GeoPackage")), qPrintable(out));
    out = run(QStringLiteral(NETSPATIAL_CLI), {QStringLiteral("info"), dir.filePath(QStringLiteral("absent.gpkg"))}, &code);
    QCOMPARE(code, 1);
    QVERIFY2(out.contains(QStringLiteral("absent.gpkg")), qPrintable(out));
    run(QStringLiteral(NETSPATIAL_CLI), {QStringLiteral("info")}, &code);
    QCOMPARE(code, 2);
  }

  void simulateWritesAScenario() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sim.gpkg"));
    int code = 0;
    const QString out = run(QStringLiteral(NETSPATIAL_CLI),
                            {QStringLiteral("simulate"), QStringLiteral("--preset"), QStringLiteral("town"), QStringLiteral("--seed"),
                             QStringLiteral("7"), QStringLiteral("--out"), path},
                            &code);
    QVERIFY2(code == 0, qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("Wrote ")) && out.contains(QStringLiteral("Elapsed")), qPrintable(out));
    const auto loaded = netspatial::core::loadScenario(path);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().toString()));
    QCOMPARE(loaded->metadata.preset, QStringLiteral("town"));
    QCOMPARE(loaded->metadata.seed, quint64(7));
    QVERIFY(!loaded->stations.empty());
    run(QStringLiteral(NETSPATIAL_CLI),
        {QStringLiteral("simulate"), QStringLiteral("--seed"), QStringLiteral("x"), QStringLiteral("--out"), path}, &code);
    QCOMPARE(code, 2);
    run(QStringLiteral(NETSPATIAL_CLI),
        {QStringLiteral("simulate"), QStringLiteral("--preset"), QStringLiteral("atlantis"), QStringLiteral("--out"), path}, &code);
    QCOMPARE(code, 1);
  }

  // Checked before anything runs, exit 2, naming the option; nothing is written (issue 20: a
  // repeated --preset silently took the last one, --threads 100000 hung with thousands of
  // sleeping threads, 'nan' passed every "≥ 0" check).
  void optionsAreCheckedBeforeAnythingRuns_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QString out = QStringLiteral("OUT");
    QTest::newRow("simulate --preset twice") << QStringList{QStringLiteral("simulate"),
                                                            QStringLiteral("--preset"),
                                                            QStringLiteral("town"),
                                                            QStringLiteral("--preset"),
                                                            QStringLiteral("city"),
                                                            QStringLiteral("--out"),
                                                            out}
                                             << QStringLiteral("--preset is given 2 times ('town', 'city'): give it once");
    QTest::newRow("simulate --seed nan") << QStringList{QStringLiteral("simulate"), QStringLiteral("--seed"), QStringLiteral("nan"),
                                                        QStringLiteral("--out"), out}
                                         << QStringLiteral("--seed: 'nan' is not a finite number");
    QTest::newRow("generate --threads 100000") << QStringList{QStringLiteral("generate"), QStringLiteral("--project"), out,
                                                              QStringLiteral("--threads"), QStringLiteral("100000")}
                                               << QStringLiteral("--threads must be an integer from 0 to 256, not '100000'");
    QTest::newRow("generate --samples inf") << QStringList{QStringLiteral("generate"), QStringLiteral("--project"), out,
                                                           QStringLiteral("--samples"), QStringLiteral("inf")}
                                            << QStringLiteral("--samples: 'inf' is not a finite number");
    QTest::newRow("generate --cell -inf") << QStringList{QStringLiteral("generate"), QStringLiteral("--project"), out,
                                                         QStringLiteral("--cell"), QStringLiteral("-inf")}
                                          << QStringLiteral("--cell: '-inf' is not a finite number");
    QTest::newRow("generate --project twice") << QStringList{QStringLiteral("generate"), QStringLiteral("--project"), out,
                                                             QStringLiteral("--project"), QStringLiteral("other")}
                                              << QStringLiteral("--project is given 2 times");
    QTest::newRow("sleep --threads 100000") << QStringList{QStringLiteral("sleep"), QStringLiteral("--project"), out,
                                                           QStringLiteral("--threads"), QStringLiteral("100000")}
                                            << QStringLiteral("--threads must be an integer from 0 to 256");
    QTest::newRow("sleep --margin NaN") << QStringList{QStringLiteral("sleep"), QStringLiteral("--project"), out,
                                                       QStringLiteral("--margin"), QStringLiteral("NaN")}
                                        << QStringLiteral("--margin: 'NaN' is not a finite number");
    QTest::newRow("train --threads 0") << QStringList{QStringLiteral("train"), QStringLiteral("recipe.toml"), QStringLiteral("--threads"),
                                                      QStringLiteral("0")}
                                       << QStringLiteral("--threads must be an integer from 1 to 256, not '0'");
    QTest::newRow("evaluate --holdout inf") << QStringList{QStringLiteral("evaluate"), QStringLiteral("--train"), out,
                                                           QStringLiteral("--holdout"), QStringLiteral("inf")}
                                            << QStringLiteral("--holdout: 'inf' is not a finite number");
    QTest::newRow("evaluate --samples twice")
        << QStringList{QStringLiteral("evaluate"),  QStringLiteral("--train"), out, QStringLiteral("--samples"), QStringLiteral("8"),
                       QStringLiteral("--samples"), QStringLiteral("64")}
        << QStringLiteral("--samples is given 2 times ('8', '64')");
    QTest::newRow("option before its command") << QStringList{QStringLiteral("--seed"), QStringLiteral("5"), QStringLiteral("simulate"),
                                                              QStringLiteral("--out"), out}
                                               << QStringLiteral("'--seed' comes before the command: options go after it");
    QTest::newRow("flag before its command") << QStringList{QStringLiteral("--no-save"), QStringLiteral("rank"),
                                                            QStringLiteral("--project"), out}
                                             << QStringLiteral("'--no-save' comes before the command");
    QTest::newRow("unknown option, no command")
        << QStringList{QStringLiteral("--samples"), QStringLiteral("8")} << QStringLiteral("Unknown option 'samples'");
    QTest::newRow("rank --out twice") << QStringList{QStringLiteral("rank"),  QStringLiteral("--project"), out,
                                                     QStringLiteral("--out"), QStringLiteral("a.csv"),     QStringLiteral("--out"),
                                                     QStringLiteral("b.csv")}
                                      << QStringLiteral("--out is given 2 times");
  }
  void optionsAreCheckedBeforeAnythingRuns() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("out.gpkg"));
    args.replaceInStrings(QRegularExpression(QStringLiteral("^OUT$")), out);
    int code = 0;
    const QString printed = run(QStringLiteral(NETSPATIAL_CLI), args, &code);
    QVERIFY2(code == 2, qPrintable(QStringLiteral("exit %1:\n%2").arg(code).arg(printed)));
    QVERIFY2(printed.contains(message), qPrintable(printed));
    QVERIFY(!QFileInfo::exists(out));
    QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
  }

  // Ctrl-C or SIGTERM in the middle of a command: exit 130, "nothing was written", the target as it
  // was (absent, or byte-identical) and no temporary beside it (issue 20: simulate had no handler
  // and left NAME.tmp-XXXXXX).
  void interruptedSimulateWritesNothing_data() {
    QTest::addColumn<QString>("when");  // the progress text on stderr after which the signal goes
    QTest::addColumn<int>("signal");
    QTest::addColumn<bool>("existing");  // a file is already at the target
    QTest::newRow("Ctrl-C while simulating") << QStringLiteral("Simulating") << int(SIGINT) << false;
    QTest::newRow("Ctrl-C while saving") << QStringLiteral("Saving") << int(SIGINT) << false;
    QTest::newRow("SIGTERM while saving over a file") << QStringLiteral("Saving") << int(SIGTERM) << true;
  }
  void interruptedSimulateWritesNothing() {
    QFETCH(QString, when);
    QFETCH(int, signal);
    QFETCH(bool, existing);
    QTemporaryDir dir;
    const QString target = dir.filePath(QStringLiteral("city.gpkg"));
    const QByteArray before = QByteArrayLiteral("an earlier file the interrupted save must not touch");
    if (existing) {
      QFile f(target);
      QVERIFY(f.open(QIODevice::WriteOnly) && f.write(before) == before.size());
    }
    QProcess p;
    p.start(QStringLiteral(NETSPATIAL_CLI), {QStringLiteral("simulate"), QStringLiteral("--preset"), QStringLiteral("city"),
                                             QStringLiteral("--seed"), QStringLiteral("4"), QStringLiteral("--out"), target});
    QVERIFY(p.waitForStarted());
    QByteArray err;
    QVERIFY(QTest::qWaitFor(
        [&] {
          err += p.readAllStandardError();
          return err.contains(when.toUtf8()) || p.state() == QProcess::NotRunning;
        },
        60000));
    QVERIFY2(p.state() == QProcess::Running, err.constData());
    ::kill(pid_t(p.processId()), signal);
    QVERIFY(p.waitForFinished(60000));
    err += p.readAllStandardError();
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 128 + signal,
             qPrintable(QStringLiteral("exit %1: %2").arg(p.exitCode()).arg(QString::fromUtf8(err))));
    QVERIFY2(err.contains("cancelled: nothing was written"), err.constData());
    const QStringList files = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);
    if (existing) {
      QCOMPARE(files, QStringList{QStringLiteral("city.gpkg")});
      QFile f(target);
      QVERIFY(f.open(QIODevice::ReadOnly));
      QCOMPARE(f.readAll(), before);
    } else {
      QVERIFY2(files.isEmpty(), qPrintable(files.join(QStringLiteral(", "))));
    }
  }

  void benchMeasuresMatmul() {
    QTemporaryDir dir;
    const QString json = dir.filePath(QStringLiteral("bench.json"));
    int code = 0;
    const QString out = run(QStringLiteral(NETSPATIAL_BENCH),
                            {QStringLiteral("--device"), QStringLiteral("cpu"), QStringLiteral("--benchmarks"), QStringLiteral("matmul"),
                             QStringLiteral("--sizes"), QStringLiteral("64,128"), QStringLiteral("--threads"), QStringLiteral("1,2"),
                             QStringLiteral("--min-seconds"), QStringLiteral("0.05"), QStringLiteral("--json"), json},
                            &code);
    QCOMPARE(code, 0);
    QVERIFY2(out.contains(QStringLiteral("peak cpu float32 matmul, 2 threads")), qPrintable(out));
    QVERIFY2(out.contains(QStringLiteral("Allocator")), qPrintable(out));
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
    QVERIFY(!root.value(QStringLiteral("allocator")).toString().isEmpty());
    const QJsonArray results = root.value(QStringLiteral("results")).toArray();
    QCOMPARE(results.size(), 4);  // two sizes × two thread counts
    for (const auto& r : results) QVERIFY(r.toObject().value(QStringLiteral("gflops")).toDouble() > 0.0);
    QCOMPARE(results[0].toObject().value(QStringLiteral("threads")).toInt(), 1);
    QCOMPARE(results[3].toObject().value(QStringLiteral("threads")).toInt(), 2);
  }

  void benchTablesEveryModelAtEveryThreadCount() {
    // Issue 21: one row per embedded NetSpatial model and thread count, each with its share of the
    // matmul peak measured at the same thread count.
    QTemporaryDir dir;
    const QString json = dir.filePath(QStringLiteral("table.json"));
    int code = 0;
    const QString out = run(
        QStringLiteral(NETSPATIAL_BENCH),
        {QStringLiteral("--device"), QStringLiteral("cpu"), QStringLiteral("--benchmarks"), QStringLiteral("netspatial"),
         QStringLiteral("--sizes"), QStringLiteral("128"), QStringLiteral("--threads"), QStringLiteral("1,2"), QStringLiteral("--samples"),
         QStringLiteral("2"), QStringLiteral("--min-seconds"), QStringLiteral("0.01"), QStringLiteral("--json"), json},
        &code, 600000);  // it also adapts ADAPTIVE to 300 stations: minutes on a loaded machine
    QCOMPARE(code, 0);
    QVERIFY2(out.contains(QStringLiteral("sequences/s")), qPrintable(out));
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
    const QJsonArray rows = root.value(QStringLiteral("netspatial")).toArray();
    // ADAPTIVE beside them: adapted once, a generation row per thread count.
    const QJsonArray adaptive = root.value(QStringLiteral("adaptive")).toArray();
    QCOMPARE(adaptive.size(), 2);
    for (int i = 0; i < 2; ++i) {
      QCOMPARE(adaptive[i].toObject().value(QStringLiteral("threads")).toInt(), i + 1);
      QVERIFY(adaptive[i].toObject().value(QStringLiteral("sequences_per_second")).toDouble() > 0.0);
      QCOMPARE(adaptive[i].toObject().value(QStringLiteral("adapt_seconds")).toDouble(),
               adaptive[0].toObject().value(QStringLiteral("adapt_seconds")).toDouble());
    }
    QStringList seen;
    for (const auto& v : rows) {
      const QJsonObject r = v.toObject();
      seen << QStringLiteral("%1/%2").arg(r.value(QStringLiteral("model")).toString()).arg(r.value(QStringLiteral("threads")).toInt());
      QVERIFY(r.value(QStringLiteral("sequences_per_second")).toDouble() > 0.0);
      QVERIFY(r.value(QStringLiteral("peak_gflops")).toDouble() > 0.0);
    }
    seen.sort();
    QCOMPARE(seen, QStringList({QStringLiteral("netspatial/1"), QStringLiteral("netspatial/2"), QStringLiteral("netspatial_milan/1"),
                                QStringLiteral("netspatial_milan/2")}));
  }

  void benchScaleRunsTheStreamingPath() {
    // The scale benchmark: a child process per size runs generate's streaming path on the
    // simulated metropolis; tiny sizes here (the README's rows are 1k–100k).
    QTemporaryDir dir;
    const QString json = dir.filePath(QStringLiteral("scale.json"));
    int code = 0;
    const QString out =
        run(QStringLiteral(NETSPATIAL_BENCH),
            {QStringLiteral("--benchmarks"), QStringLiteral("scale"), QStringLiteral("--scale-sizes"), QStringLiteral("30,60"),
             QStringLiteral("--samples"), QStringLiteral("2"), QStringLiteral("--io-dir"), dir.path(), QStringLiteral("--json"), json},
            &code);
    QCOMPARE(code, 0);
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonArray rows = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("scale")).toArray();
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[1].toObject().value(QStringLiteral("sites")).toInt(), 60);
    for (const auto& v : rows) {
      const QJsonObject r = v.toObject();
      QVERIFY(r.value(QStringLiteral("peak_rss_megabytes")).toDouble() > 10.0);
      QVERIFY(r.value(QStringLiteral("generate_seconds")).toDouble() > 0.0);
      QVERIFY(r.value(QStringLiteral("file_megabytes")).toDouble() > 0.0);
    }
    // Its temporaries are gone.
    QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("netspatial-scale-*")}, QDir::Dirs | QDir::NoDotAndDotDot).size(), 0);
  }

  void benchMeasuresSleepPrograms() {
    QTemporaryDir dir;
    const QString json = dir.filePath(QStringLiteral("sleep.json"));
    int code = 0;
    const QString out = run(QStringLiteral(NETSPATIAL_BENCH),
                            {QStringLiteral("--benchmarks"), QStringLiteral("sleep"), QStringLiteral("--sleep-sizes"),
                             QStringLiteral("4,8"), QStringLiteral("--sleep-hours"), QStringLiteral("3"), QStringLiteral("--json"), json},
                            &code);
    QCOMPARE(code, 0);
    QVERIFY2(out.contains(QStringLiteral("greedy_excess")), qPrintable(out));
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonArray rows = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("sleep")).toArray();
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[1].toObject().value(QStringLiteral("stations")).toInt(), 8);
    for (const auto& r : rows) {
      QVERIFY(r.toObject().value(QStringLiteral("exact_median_ms")).toDouble() > 0.0);
      // The program is optimal on groups this small: the greedy never beats it.
      QVERIFY(r.toObject().value(QStringLiteral("greedy_excess_pct")).toDouble() >= -1e-6);
    }
    run(QStringLiteral(NETSPATIAL_BENCH),
        {QStringLiteral("--benchmarks"), QStringLiteral("sleep"), QStringLiteral("--sleep-sizes"), QStringLiteral("1")}, &code);
    QCOMPARE(code, 2);
  }

  void benchRejectsBadArguments() {
    int code = 0;
    run(QStringLiteral(NETSPATIAL_BENCH), {QStringLiteral("--sizes"), QStringLiteral("abc")}, &code);
    QCOMPARE(code, 2);
  }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
