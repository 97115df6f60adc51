#pragma once

// The share of pixels that differ between two images by more than `tolerance` in any channel:
// two replots of the same plot may differ by a few antialiased pixels, a plot of other data
// differs in thousands.

#include <QImage>

#include <algorithm>
#include <cstdlib>

namespace netspatial::tests {

inline double differingPixelShare(const QImage& a, const QImage& b, int tolerance = 48) {
  if (a.size() != b.size()) return 1.0;
  const QImage x = a.convertToFormat(QImage::Format_RGB32), y = b.convertToFormat(QImage::Format_RGB32);
  qint64 n = 0;
  for (int r = 0; r < x.height(); ++r)
    for (int c = 0; c < x.width(); ++c) {
      const QRgb p = x.pixel(c, r), q = y.pixel(c, r);
      n += std::abs(qRed(p) - qRed(q)) > tolerance || std::abs(qGreen(p) - qGreen(q)) > tolerance ||
           std::abs(qBlue(p) - qBlue(q)) > tolerance;
    }
  return double(n) / double(std::max(1, x.width() * x.height()));
}

}  // namespace netspatial::tests
