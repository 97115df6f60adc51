#include "ui/inspector/plotexport.h"

#include "core/util/atomicfile.h"

#include <QDir>
#include <QFileInfo>
#include <QImageWriter>

#include "ui/inspector/customplot.h"

#include <algorithm>
#include <cmath>

namespace netspatial::ui {

namespace {

using core::Error;
using core::ErrorCode;

constexpr double kMetresPerInch = 0.0254;

core::Status checkSize(QSize pixels, double dpi) {
  if (pixels.width() <= 0 || pixels.height() <= 0 || pixels.width() > PlotExport::kMaxPixels || pixels.height() > PlotExport::kMaxPixels)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the image size %1 × %2 px is not within 1–%3 px")
                                                 .arg(pixels.width())
                                                 .arg(pixels.height())
                                                 .arg(PlotExport::kMaxPixels));
  if (!std::isfinite(dpi) || dpi < 10.0 || dpi > 2400.0)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("a resolution of %1 DPI is not within 10–2400").arg(dpi));
  return {};
}

// QImageWriter's reasons ("Permission denied") say why but not which folder; say both.
core::Status checkFolder(const QString& path) {
  const QFileInfo info(path);
  const QDir dir = info.absoluteDir();
  if (!dir.exists())
    return Error(ErrorCode::Io,
                 QStringLiteral("cannot write the file: the folder %1 does not exist").arg(QDir::toNativeSeparators(dir.absolutePath())))
        .withFile(path);
  if (info.isDir()) return Error(ErrorCode::Io, QStringLiteral("cannot write the file: it is a folder")).withFile(path);
  return {};
}

}  // namespace

QSize PlotExport::logicalSize(QSize pixels, double dpi) {
  if (!(dpi > 0.0)) return pixels;
  const double scale = dpi / kScreenDpi;
  return {std::max(1, int(std::lround(pixels.width() / scale))), std::max(1, int(std::lround(pixels.height() / scale)))};
}

QImage PlotExport::render(QCustomPlot& plot, QSize pixels, double dpi) {
  if (!checkSize(pixels, dpi).ok()) return {};
  // Lay the plot out at a whole number of logical pixels and stretch that onto the exact pixel
  // size; the two scales differ by under one logical pixel in thousands, invisible in text.
  const double scale = dpi / kScreenDpi;
  const QSize logical = logicalSize(pixels, dpi);
  const int logicalWidth = logical.width();
  const int logicalHeight = logical.height();

  QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  {
    QCPPainter painter(&image);
    // Scaled up, cosmetic (always 1 px) pens would turn hairline-thin next to scaled text.
    if (scale > 1.0) painter.setMode(QCPPainter::pmNonCosmetic);
    painter.scale(double(pixels.width()) / logicalWidth, double(pixels.height()) / logicalHeight);
    plot.toPainter(&painter, logicalWidth, logicalHeight);
  }
  // After painting: fonts are sized from the device's DPI, and the on-screen 96 was wanted there.
  const int dotsPerMetre = int(std::lround(dpi / kMetresPerInch));
  image.setDotsPerMeterX(dotsPerMetre);
  image.setDotsPerMeterY(dotsPerMetre);
  // toPainter leaves the layout computed for the export size until the next replot.
  plot.replot(QCustomPlot::rpQueuedReplot);
  return image;
}

core::Status PlotExport::savePng(QCustomPlot& plot, const QString& path, QSize pixels, double dpi) {
  if (const auto size = checkSize(pixels, dpi); !size.ok()) return size.error().withFile(path);
  if (const auto folder = checkFolder(path); !folder.ok()) return folder;
  const QImage image = render(plot, pixels, dpi);
  if (image.isNull()) return Error(ErrorCode::Internal, QStringLiteral("the plot could not be rendered")).withFile(path);
  // Atomic, as every output: a failed write keeps an earlier file, and a link or device is refused.
  core::AtomicFile file(path);
  auto device = file.open();
  if (!device) return device.error();
  QImageWriter writer(*device, "png");
  if (!writer.write(image))
    return Error(ErrorCode::Io, QStringLiteral("cannot write the PNG file: %1").arg(writer.errorString())).withFile(path);
  return file.commit();
}

core::Status PlotExport::savePdf(QCustomPlot& plot, const QString& path, QSize sizePoints) {
  if (sizePoints.width() <= 0 || sizePoints.height() <= 0)
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("the page size %1 × %2 pt is not positive").arg(sizePoints.width()).arg(sizePoints.height()))
        .withFile(path);
  if (const auto folder = checkFolder(path); !folder.ok()) return folder;
  core::AtomicFile file(path);
  auto temp = file.reservePath(QStringLiteral(".pdf"));
  if (!temp) return temp.error();
  const bool ok = plot.savePdf(*temp, sizePoints.width(), sizePoints.height(), QCP::epNoCosmetic, QStringLiteral("NetSpatial Studio"));
  plot.replot(QCustomPlot::rpQueuedReplot);
  // QCustomPlot reports only success; an existing folder that refuses the file is the usual cause.
  if (!ok) return Error(ErrorCode::Io, QStringLiteral("cannot write the PDF file")).withFile(path);
  return file.commit();
}

}  // namespace netspatial::ui
