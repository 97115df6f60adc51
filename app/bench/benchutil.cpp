#include "benchutil.h"

#include <sys/resource.h>

namespace netspatial::bench {

double peakRssMegabytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) * 1024.0 / 1e6;  // Linux reports ru_maxrss in KiB
}

core::Geometry square(double x0, double y0, double side) {
  core::Geometry g;
  g.type = core::GeometryType::Polygon;
  g.parts = {{{{x0, y0}, {x0 + side, y0}, {x0 + side, y0 + side}, {x0, y0 + side}, {x0, y0}}}};
  return g;
}

}  // namespace netspatial::bench
