#include "core/util/feedback.h"

#include <QTest>

#include <gdal.h>
#include <cpl_error.h>

#include <atomic>
#include <thread>

using namespace netspatial::core;

class TestFeedback : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { GDALAllRegister(); }

  void progressIsMonotoneAndClamped() {
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

  void childMapsOntoItsRange() {
    Feedback parent;
    Feedback child = parent.child(0.2, 0.6);
    child.setProgress(0.5, QStringLiteral("halfway"));
    QCOMPARE(child.progress(), 0.5);  // its own fraction
    QCOMPARE(parent.progress(), 0.4);
    QCOMPARE(parent.step(), QStringLiteral("halfway"));
    child.setProgress(1.0);
    QCOMPARE(parent.progress(), 0.6);
    QCOMPARE(parent.step(), QStringLiteral("halfway"));  // an empty step keeps the last one
    // Out-of-range bounds are clamped, and a reversed range collapses onto its start.
    Feedback other;
    Feedback wide = other.child(-1.0, 2.0);
    wide.setProgress(0.5);
    QCOMPARE(other.progress(), 0.5);
    Feedback reversed = other.child(0.8, 0.7);
    reversed.setProgress(1.0);
    QCOMPARE(other.progress(), 0.8);
  }

  void progressNeverGoesBackwards() {
    Feedback parent;
    QList<double> seen;
    parent.setProgressCallback([&](double p, const QString&) { seen << p; });
    Feedback second = parent.child(0.5, 1.0);
    second.setProgress(0.5);
    second.setProgress(0.2);  // the child itself does not go back …
    QCOMPARE(second.progress(), 0.5);
    Feedback first = parent.child(0.0, 0.5);
    first.setProgress(1.0);  // … nor does the parent when an earlier range reports late
    QCOMPARE(parent.progress(), 0.75);
    for (qsizetype i = 1; i < seen.size(); ++i) QVERIFY(seen[i] >= seen[i - 1]);
    QCOMPARE(seen.front(), 0.75);
  }

  void nestedChildren() {
    Feedback root;
    Feedback stage = root.child(0.5, 1.0, QStringLiteral("Milan"));
    Feedback step = stage.child(0.5, 1.0, QStringLiteral("contexts"));
    step.setProgress(0.5, QStringLiteral("site 3 of 6"));
    QCOMPARE(step.progress(), 0.5);
    QCOMPARE(stage.progress(), 0.75);
    QCOMPARE(root.progress(), 0.875);
    QCOMPARE(stage.step(), QStringLiteral("contexts: site 3 of 6"));
    QCOMPARE(root.step(), QStringLiteral("Milan: contexts: site 3 of 6"));
    // A labelled child with no step of its own names its range by the label.
    Feedback bare = root.child(0.9, 1.0, QStringLiteral("hashing"));
    bare.setProgress(0.0);
    QCOMPARE(root.step(), QStringLiteral("hashing"));
  }

  void cancellingTheParentReachesEveryChild() {
    Feedback root;
    Feedback a = root.child(0.0, 0.5);
    Feedback b = root.child(0.5, 1.0);
    Feedback grandchild = b.child(0.0, 1.0);
    QVERIFY(!a.isCancelled());
    QVERIFY(!grandchild.isCancelled());
    root.cancel();
    QVERIFY(a.isCancelled());
    QVERIFY(b.isCancelled());
    QVERIFY(grandchild.isCancelled());
  }

  void cancellingAChildCancelsTheJob() {
    // A child has no cancellation of its own: a step that gives up stops the whole job.
    Feedback root;
    Feedback a = root.child(0.0, 0.5);
    Feedback b = root.child(0.5, 1.0);
    Feedback grandchild = a.child(0.0, 1.0);
    grandchild.cancel();
    QVERIFY(root.isCancelled());
    QVERIFY(a.isCancelled());
    QVERIFY(b.isCancelled());
  }

  void cancelFromAnotherThreadStopsAChildsLoop() {
    Feedback root;
    Feedback child = root.child(0.1, 0.9);
    std::atomic<bool> started{false};
    std::atomic<long> reports{0};
    std::thread job([&] {
      // The job reports on its thread until it sees the cancel made on another one.
      for (long i = 0; !child.isCancelled(); ++i) {
        child.setProgress(double(i % 1000) / 1000.0, QStringLiteral("working"));
        reports.fetch_add(1);
        started.store(true);
      }
    });
    while (!started.load()) std::this_thread::yield();
    root.cancel();
    job.join();
    QVERIFY(reports.load() > 0);
    QVERIFY(child.isCancelled());
    QVERIFY(root.progress() >= 0.1 && root.progress() <= 0.9);
  }

  void childOfNoParentStandsAlone() {
    Feedback alone = Feedback::childOf(nullptr, 0.5, 1.0, QStringLiteral("label"));
    alone.setProgress(0.5, QStringLiteral("x"));
    QCOMPARE(alone.progress(), 0.5);
    QCOMPARE(alone.step(), QStringLiteral("x"));
    QVERIFY(!alone.isCancelled());
    alone.cancel();
    QVERIFY(alone.isCancelled());

    Feedback parent;
    Feedback viaStatic = Feedback::childOf(&parent, 0.5, 1.0);
    viaStatic.setProgress(0.5);
    QCOMPARE(parent.progress(), 0.75);
  }

  void gdalAdapter() {
    Feedback f;
    GDALProgressFunc fn = &Feedback::gdalProgress;
    QCOMPARE(fn(0.3, "warping", &f), TRUE);
    QCOMPARE(f.progress(), 0.3);
    QCOMPARE(f.step(), QStringLiteral("warping"));
    QCOMPARE(fn(0.5, nullptr, nullptr), TRUE);  // no Feedback: GDAL goes on
    f.cancel();
    QCOMPARE(fn(0.4, nullptr, &f), FALSE);
  }

  void gdalAdapterWithAChild() {
    Feedback parent;
    Feedback second = parent.child(0.5, 1.0);
    QCOMPARE(Feedback::gdalProgress(0.5, "", &second), TRUE);
    QCOMPARE(parent.progress(), 0.75);
    QCOMPARE(Feedback::gdalProgress(1.0, "", &second), TRUE);
    QCOMPARE(parent.progress(), 1.0);
    parent.cancel();
    QCOMPARE(Feedback::gdalProgress(1.0, "", &second), FALSE);
  }

  void gdalStopsWhenTheParentIsCancelled() {
    // A real GDAL loop driven through a child: cancelling the parent from its progress callback
    // makes GDAL give up with a user interrupt before the end.
    GDALDriverH mem = GDALGetDriverByName("MEM");
    QVERIFY(mem);
    GDALDatasetH ds = GDALCreate(mem, "", 64, 256, 1, GDT_Byte, nullptr);  // 256 one-line blocks
    QVERIFY(ds);
    Feedback parent;
    double cancelledAt = -1.0;
    parent.setProgressCallback([&](double p, const QString&) {
      if (p >= 0.6 && cancelledAt < 0.0) {
        cancelledAt = p;
        parent.cancel();
      }
    });
    Feedback stats = parent.child(0.5, 1.0);
    double minimum = 0, maximum = 0, mean = 0, stddev = 0;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    const CPLErr err =
        GDALComputeRasterStatistics(GDALGetRasterBand(ds, 1), FALSE, &minimum, &maximum, &mean, &stddev, &Feedback::gdalProgress, &stats);
    const CPLErrorNum errNo = CPLGetLastErrorNo();
    CPLPopErrorHandler();
    GDALClose(ds);
    QCOMPARE(err, CE_Failure);
    QCOMPARE(errNo, CPLE_UserInterrupt);
    QVERIFY(cancelledAt >= 0.6 && cancelledAt < 1.0);
    QVERIFY(stats.progress() < 1.0);
    QVERIFY(parent.progress() < 1.0);
  }
};

QTEST_GUILESS_MAIN(TestFeedback)
#include "tst_feedback.moc"
