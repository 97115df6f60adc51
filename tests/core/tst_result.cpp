#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QTest>

#include <gdal.h>

#include <thread>

using namespace netspatial::core;

class TestResult : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void valueAndError() {
    Result<int> ok = 42;
    QVERIFY(ok.ok());
    QCOMPARE(*ok, 42);
    Result<int> bad =
        Error(ErrorCode::ParseError, QStringLiteral("not a number: 'x'"), {QStringLiteral("a.csv"), 3, QStringLiteral("lon")});
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code(), ErrorCode::ParseError);
    QCOMPARE(bad.valueOr(7), 7);
    QCOMPARE(bad.error().toString(), QStringLiteral("a.csv, row 3, field 'lon': not a number: 'x'"));
  }

  void contextIsAddedNotOverwritten() {
    const Error e = Error(ErrorCode::InvalidValue, QStringLiteral("negative")).withRow(5).withFile(QStringLiteral("t.csv"));
    QCOMPARE(e.context().file, QStringLiteral("t.csv"));
    QCOMPARE(*e.context().row, 5);
    const Error again = e.withFile(QStringLiteral("other.csv")).withRow(9);
    QCOMPARE(again.context().file, QStringLiteral("t.csv"));
    QCOMPARE(*again.context().row, 5);
    QCOMPARE(Error(ErrorCode::Io, QStringLiteral("disk full")).toString(), QStringLiteral("disk full"));
  }

  void statusVoid() {
    Status fine;
    QVERIFY(fine.ok());
    Status failed = Error(ErrorCode::Cancelled, QStringLiteral("stopped"));
    QVERIFY(!failed);
    QCOMPARE(failed.error().code(), ErrorCode::Cancelled);
  }

  void feedbackProgressIsMonotoneAndClamped() {
    Feedback f;
    QList<double> seen;
    f.setProgressCallback([&](double p, const QString&) { seen << p; });
    f.setProgress(0.5, QStringLiteral("half"));
    f.setProgress(0.25);
    f.setProgress(2.0);
    QCOMPARE(seen, (QList<double>{0.5, 0.5, 1.0}));
    QCOMPARE(f.step(), QStringLiteral("half"));
  }

  void cancelFromAnotherThread() {
    Feedback f;
    std::thread t([&] { f.cancel(); });
    t.join();
    QVERIFY(f.isCancelled());
  }

  void gdalProgressAdapterStopsGdal() {
    // A real GDAL loop (GDALTermProgress-compatible signature) must stop when cancelled.
    Feedback f;
    GDALProgressFunc fn = &Feedback::gdalProgress;
    QCOMPARE(fn(0.3, "warping", &f), TRUE);
    QCOMPARE(f.progress(), 0.3);
    QCOMPARE(f.step(), QStringLiteral("warping"));
    f.cancel();
    QCOMPARE(fn(0.4, nullptr, &f), FALSE);
  }

  void scopedFeedbackMapsRange() {
    Feedback f;
    ScopedFeedback second(&f, 0.5, 1.0);
    second.setProgress(0.5);
    QCOMPARE(f.progress(), 0.75);
    QCOMPARE(ScopedFeedback::gdalProgress(1.0, "", &second), TRUE);
    QCOMPARE(f.progress(), 1.0);
    f.cancel();
    QVERIFY(second.isCancelled());
    QCOMPARE(ScopedFeedback::gdalProgress(1.0, "", &second), FALSE);
  }
};

QTEST_GUILESS_MAIN(TestResult)
#include "tst_result.moc"
