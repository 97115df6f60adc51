// Runs only where LibTorch sees a CUDA device; elsewhere (CI, this project's CPU machines) it skips.

#include "netspatial/models/matmulprobe.h"
#include "netspatial/models/runtimeinfo.h"

#include <QTest>

#include <torch/torch.h>

using namespace netspatial::models;

class TestCuda : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void init() {
    if (!runtimeInfo().cudaAvailable) QSKIP("no CUDA device (or a CPU-only LibTorch): GPU tests skipped");
  }

  void deviceIsReported() {
    const RuntimeInfo info = runtimeInfo();
    QVERIFY(info.cudaDeviceCount >= 1);
    QCOMPARE(info.defaultDevice(), std::string("cuda"));
  }

  void matmulOnTheGpuMatchesTheCpu() {
    torch::NoGradGuard guard;
    const auto cpu = torch::TensorOptions().dtype(torch::kFloat32);
    const torch::Tensor a = torch::sin(torch::arange(256 * 256, cpu).reshape({256, 256}) * 0.37);
    const torch::Tensor b = torch::cos(torch::arange(256 * 256, cpu).reshape({256, 256}) * 0.11);
    const torch::Tensor onCpu = torch::mm(a, b);
    const torch::Tensor onGpu = torch::mm(a.to(torch::kCUDA), b.to(torch::kCUDA)).to(torch::kCPU);
    // TF32 may be enabled on Ampere+ GPUs: compare with a tolerance that allows it.
    QVERIFY(torch::allclose(onCpu, onGpu, 1e-2, 1e-2));
    const MatmulMeasurement m = measureMatmul(1024, DeviceKind::Cuda, 0.1);
    QVERIFY2(m.error.empty(), m.error.c_str());
    QVERIFY(m.gflops > 0.0);
  }
};

QTEST_GUILESS_MAIN(TestCuda)
#include "tst_cuda.moc"
