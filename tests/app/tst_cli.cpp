#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <gdal.h>
#include <proj.h>

class TestCli : public QObject {
  Q_OBJECT

  static QString run(const QString& program, const QStringList& args, int* exitCode) {
    QProcess p;
    p.start(program, args);
    if (!p.waitForFinished(120000)) {
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
    QVERIFY2(out.contains(QRegularExpression(QStringLiteral("^LibTorch +\\d+\\.\\d+"), QRegularExpression::MultilineOption)), qPrintable(out));
    QVERIFY(out.contains(QRegularExpression(QStringLiteral("^GDAL +%1").arg(QRegularExpression::escape(QString::fromUtf8(GDALVersionInfo("RELEASE_NAME")))),
                                            QRegularExpression::MultilineOption)));
    QVERIFY(out.contains(QRegularExpression(QStringLiteral("^PROJ +%1").arg(QRegularExpression::escape(QString::fromUtf8(proj_info().version))),
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

  void benchMeasuresMatmul() {
    QTemporaryDir dir;
    const QString json = dir.filePath(QStringLiteral("bench.json"));
    int code = 0;
    const QString out = run(QStringLiteral(NETSPATIAL_BENCH),
                            {QStringLiteral("--device"), QStringLiteral("cpu"), QStringLiteral("--sizes"), QStringLiteral("64,128"),
                             QStringLiteral("--min-seconds"), QStringLiteral("0.05"), QStringLiteral("--json"), json},
                            &code);
    QCOMPARE(code, 0);
    QVERIFY2(out.contains(QStringLiteral("peak cpu float32 matmul")), qPrintable(out));
    QFile f(json);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QJsonArray results = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("results")).toArray();
    QCOMPARE(results.size(), 2);
    for (const auto& r : results) QVERIFY(r.toObject().value(QStringLiteral("gflops")).toDouble() > 0.0);
  }

  void benchRejectsBadArguments() {
    int code = 0;
    run(QStringLiteral(NETSPATIAL_BENCH), {QStringLiteral("--sizes"), QStringLiteral("abc")}, &code);
    QCOMPARE(code, 2);
  }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
