#pragma once

// Measures the machine's float32 matrix-multiply throughput, the yardstick that later speed
// reports quote ratios to ("the generator reaches X % of the machine's matmul peak").

#include "netspatial/models/runtimeinfo.h"

#include <string>

namespace netspatial::models {

struct MatmulMeasurement {
  int size = 0;  //!< n for an n×n · n×n product
  DeviceKind device = DeviceKind::Cpu;
  int repetitions = 0;         //!< timed products
  double medianSeconds = 0.0;  //!< per product
  double gflops = 0.0;         //!< 2 n³ / median time / 1e9
  std::string error;           //!< non-empty when the measurement could not run (e.g. no CUDA)
};

//! Times n×n float32 products after a warm-up, for at least `minSeconds`, and reports the median.
MatmulMeasurement measureMatmul(int size, DeviceKind device, double minSeconds = 0.5);

}  // namespace netspatial::models
