#include "tests/comparenear.h"
#include "netspatial/models/blastuning.h"
#include "netspatial/models/matmulprobe.h"
#include "netspatial/models/runtimeinfo.h"

#include <QTest>

#include <torch/torch.h>

using namespace netspatial::models;

class TestRuntimeInfo : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void reportsTorchAndDevice() {
    const RuntimeInfo info = runtimeInfo();
    QVERIFY(!info.torchVersion.empty());
    QVERIFY(info.intraOpThreads >= 1);
    QCOMPARE(setIntraOpThreads(1), 1);
    QCOMPARE(runtimeInfo().intraOpThreads, 1);
    setIntraOpThreads(info.intraOpThreads);
  }

  void optimisedBlasIsLoaded() {
    // Debian's LibTorch computes through the system BLAS; the reference BLAS is ~28× slower, so the
    // set-up must have installed OpenBLAS (libopenblas0-pthread) and the alternative must point to it.
    const RuntimeInfo info = runtimeInfo();
    if (info.blasLibrary.empty()) QSKIP("this LibTorch loads no shared BLAS (e.g. MKL linked statically)");
    QVERIFY2(info.blasDescription.find("OpenBLAS") != std::string::npos,
             ("loaded BLAS is " + info.blasDescription + " at " + info.blasLibrary).c_str());
    QVERIFY(!openBlasCoreName().empty());
  }

  void coreToForce_data() {
    QTest::addColumn<QString>("detected");
    QTest::addColumn<QString>("best");
    QTest::addColumn<bool>("userOverride");
    QTest::addColumn<QString>("forced");
    QTest::newRow("VM misdetected as Prescott") << "Prescott"
                                                << "SkylakeX" << false << "SkylakeX";
    QTest::newRow("upper-case name") << "PRESCOTT"
                                     << "Haswell" << false << "Haswell";
    QTest::newRow("Sandybridge on an AVX2 CPU") << "Sandybridge"
                                                << "Haswell" << false << "Haswell";
    QTest::newRow("already good") << "SkylakeX"
                                  << "SkylakeX" << false << "";
    QTest::newRow("Zen detected") << "Zen"
                                  << "Haswell" << false << "";
    QTest::newRow("user set OPENBLAS_CORETYPE") << "Prescott"
                                                << "SkylakeX" << true << "";
    QTest::newRow("not OpenBLAS") << ""
                                  << "SkylakeX" << false << "";
    QTest::newRow("old CPU, nothing better") << "Prescott"
                                             << "" << false << "";
  }
  void coreToForce() {
    QFETCH(QString, detected);
    QFETCH(QString, best);
    QFETCH(bool, userOverride);
    QFETCH(QString, forced);
    QCOMPARE(QString::fromStdString(openBlasCoreToForce(detected.toStdString(), best.toStdString(), userOverride)), forced);
  }

  void matmulMeasurementIsSane() {
    const MatmulMeasurement m = measureMatmul(128, DeviceKind::Cpu, 0.05);
    QVERIFY2(m.error.empty(), m.error.c_str());
    QCOMPARE(m.size, 128);
    QVERIFY(m.repetitions >= 5);
    QVERIFY(m.medianSeconds > 0.0);
    QVERIFY(std::isfinite(m.gflops) && m.gflops > 0.0);
    NETSPATIAL_COMPARE_NEAR(m.gflops, 2.0 * 128 * 128 * 128 / m.medianSeconds / 1e9, 1e-9 * m.gflops);
  }

  void matmulLeavesTheGlobalGeneratorAlone() {
    // Seeded generation must not depend on whether a measurement ran before it.
    torch::manual_seed(7);
    const float first = torch::rand({1}).item<float>();
    torch::manual_seed(7);
    measureMatmul(32, DeviceKind::Cpu, 0.01);
    QCOMPARE(torch::rand({1}).item<float>(), first);
  }

  void matmulReportsErrorsInsteadOfThrowing() {
    QVERIFY(!measureMatmul(0, DeviceKind::Cpu).error.empty());
    if (!runtimeInfo().cudaAvailable) QVERIFY(!measureMatmul(64, DeviceKind::Cuda).error.empty());
  }
};

QTEST_GUILESS_MAIN(TestRuntimeInfo)
#include "tst_runtimeinfo.moc"
