#include "netspatial/models/matmulprobe.h"

#include "netspatial/models/blastuning.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace netspatial::models {

MatmulMeasurement measureMatmul(int size, DeviceKind device, double minSeconds) {
  MatmulMeasurement m;
  m.size = size;
  m.device = device;
  if (size <= 0) {
    m.error = "size must be positive";
    return m;
  }
  if (device == DeviceKind::Cuda && !torch::cuda::is_available()) {
    m.error = "CUDA is not available in this LibTorch build or on this machine";
    return m;
  }
  try {
    torch::InferenceMode guard;
    // The peak of as many cores as LibTorch uses: OpenBLAS runs one thread otherwise (blastuning.h).
    const ScopedBlasThreads blas(torch::get_num_threads());
    const auto options = torch::TensorOptions().dtype(torch::kFloat32).device(device == DeviceKind::Cuda ? torch::kCUDA : torch::kCPU);
    // Deterministic operands that leave the global random generator alone: seeded jobs that run
    // after a measurement must produce the same output as without it.
    const torch::Tensor ramp = torch::arange(int64_t(size) * size, options).reshape({size, size});
    const torch::Tensor a = torch::sin(ramp * 0.37);
    const torch::Tensor b = torch::cos(ramp * 0.11);
    torch::Tensor c = torch::empty({size, size}, options);
    const auto sync = [&] {
      if (device == DeviceKind::Cuda) torch::cuda::synchronize();
    };
    // Warm-up: first calls pay for thread-pool start, allocator and kernel selection.
    for (int i = 0; i < 3; ++i) torch::mm_out(c, a, b);
    sync();

    using Clock = std::chrono::steady_clock;
    std::vector<double> times;
    const auto start = Clock::now();
    // Batch products so each timing is well above clock resolution (tiny sizes on a GPU).
    int batch = 1;
    while (true) {
      const auto t0 = Clock::now();
      for (int i = 0; i < batch; ++i) torch::mm_out(c, a, b);
      sync();
      const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
      if (dt < 1e-3 && batch < (1 << 20)) {
        batch *= 4;
        continue;
      }
      times.push_back(dt / batch);
      m.repetitions += batch;
      if (std::chrono::duration<double>(Clock::now() - start).count() >= minSeconds && times.size() >= 5) break;
    }
    std::nth_element(times.begin(), times.begin() + long(times.size() / 2), times.end());
    m.medianSeconds = times[times.size() / 2];
    m.gflops = 2.0 * double(size) * double(size) * double(size) / m.medianSeconds / 1e9;
  } catch (const std::exception& e) {
    // c10::Error and allocation failures stop at this boundary (DESIGN.md §11).
    m.error = e.what();
  }
  return m;
}

}  // namespace netspatial::models
