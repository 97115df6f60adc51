#include "netspatial/models/blastuning.h"
#include "netspatial/models/matmulprobe.h"
#include "netspatial/models/runtimeinfo.h"

#include <QTest>

using namespace netspatial::models;

class TestRuntimeInfo : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void reportsTorchAndDevice() {
    const RuntimeInfo info = runtimeInfo();
    QVERIFY(!info.torchVersion.empty());
    QVERIFY(info.intraOpThreads >= 1);
    QCOMPARE(info.defaultDevice(), std::string(info.cudaAvailable ? "cuda" : "cpu"));
    QCOMPARE(info.cudaDeviceCount > 0, info.cudaAvailable);
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

  void bestCoreFollowsCpuFlags() {
    const std::string best = bestOpenBlasCoreForCpu();
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512dq"))
      QCOMPARE(best, std::string("SkylakeX"));
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
      QCOMPARE(best, std::string("Haswell"));
    else
      QVERIFY(best.empty());
#endif
  }

  void matmulMeasurementIsSane() {
    const MatmulMeasurement m = measureMatmul(128, DeviceKind::Cpu, 0.05);
    QVERIFY2(m.error.empty(), m.error.c_str());
    QCOMPARE(m.size, 128);
    QVERIFY(m.repetitions >= 5);
    QVERIFY(m.medianSeconds > 0.0);
    QVERIFY(std::isfinite(m.gflops) && m.gflops > 0.0);
    QVERIFY(std::abs(m.gflops - 2.0 * 128 * 128 * 128 / m.medianSeconds / 1e9) < 1e-9 * m.gflops);
  }

  void matmulReportsErrorsInsteadOfThrowing() {
    QVERIFY(!measureMatmul(0, DeviceKind::Cpu).error.empty());
    if (!runtimeInfo().cudaAvailable) QVERIFY(!measureMatmul(64, DeviceKind::Cuda).error.empty());
  }
};

QTEST_GUILESS_MAIN(TestRuntimeInfo)
#include "tst_runtimeinfo.moc"
