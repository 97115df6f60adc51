#pragma once

#include "core/util/result.h"

#include <QImage>
#include <QSize>
#include <QString>

class QCustomPlot;

namespace netspatial::ui {

//! Exports a QCustomPlot as a raster of an exact pixel size and resolution, or as a PDF.
//!
//! The DPI sets the physical size (pixels / DPI inches) and the rendering scale: the plot is laid
//! out at pixels × 96 / DPI logical pixels and scaled up, so text and lines keep their on-screen
//! size in print (a 1800 × 1200 px plot at 300 DPI is a 6 × 4 in figure with 6 × 4 in of
//! typography, not a screen-sized plot with microscopic labels).
class PlotExport {
 public:
  static constexpr double kScreenDpi = 96.0;  //!< the DPI at which one logical pixel is one pixel

  //! The size the plot is laid out at for `pixels` at `dpi`: pixels × 96 / DPI, rounded.
  static QSize logicalSize(QSize pixels, double dpi);
  //! The plot rendered into an image of exactly `pixels`, its DPI recorded in the image (and so
  //! in a PNG's pHYs chunk). A null image for a non-positive size or DPI.
  static QImage render(QCustomPlot& plot, QSize pixels, double dpi);
  //! render() written as PNG to `path`. Fails, naming the file, on a bad size or DPI, a missing
  //! folder or a file that cannot be written.
  static core::Status savePng(QCustomPlot& plot, const QString& path, QSize pixels, double dpi);
  //! A vector PDF page of `sizePoints` (1/72 in); fails, naming the file, when it cannot be written.
  static core::Status savePdf(QCustomPlot& plot, const QString& path, QSize sizePoints);

  //! Largest width or height accepted, in pixels: beyond it a typo would allocate gigabytes.
  static constexpr int kMaxPixels = 20000;
};

}  // namespace netspatial::ui
