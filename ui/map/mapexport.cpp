#include "ui/map/mapexport.h"

#include "ui/map/mapcanvas.h"
#include "core/util/atomicfile.h"

#include <QFileInfo>
#include <QImage>
#include <QLocale>

namespace netspatial::ui {

QString WorldFile::text() const {
  const QLocale c = QLocale::c();
  QString out;
  for (double v : {pixelSizeX, rotationY, rotationX, pixelSizeY, originX, originY}) out += c.toString(v, 'g', 17) + QLatin1Char('\n');
  return out;
}

WorldFile worldFileFor(const MapView& view, double dpr) {
  const core::Extent e = view.visibleExtent();
  WorldFile w;
  w.pixelSizeX = view.resolution() / dpr;
  w.pixelSizeY = -view.resolution() / dpr;
  w.originX = e.xMin + w.pixelSizeX / 2.0;
  w.originY = e.yMax + w.pixelSizeY / 2.0;
  return w;
}

QString worldFilePath(const QString& imagePath) {
  const QFileInfo info(imagePath);
  const QString suffix = info.suffix().toLower();
  // The ESRI convention: first and last letter of the extension, then "w".
  const QString world = suffix.size() >= 2 ? QString(suffix.front()) + suffix.back() + QLatin1Char('w') : QStringLiteral("wld");
  return info.path() + QLatin1Char('/') + info.completeBaseName() + QLatin1Char('.') + world;
}

namespace {
core::Status writeText(const QString& path, const QByteArray& bytes) {
  if (auto s = core::writeFileAtomically(path, bytes); !s)
    return core::Error(core::ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(path, s.error().message()), {path});
  return {};
}
}  // namespace

core::Status saveMapImage(const MapCanvas& canvas, const QString& path, QSize logicalSize, double dpr, bool withScaleBar) {
  if (logicalSize.isEmpty() || !(dpr > 0.0) || dpr > 8.0)
    return core::Error(core::ErrorCode::InvalidArgument, QStringLiteral("the image size must be positive and the pixel ratio in (0, 8]"),
                       {path});
  QImage image = canvas.renderToImage(logicalSize, dpr, withScaleBar);
  if (image.isNull()) return core::Error(core::ErrorCode::Internal, QStringLiteral("the map could not be rendered at that size"), {path});
  image.setDevicePixelRatio(1.0);
  MapView view = canvas.view();
  view.setSize(logicalSize);
  const WorldFile world = worldFileFor(view, dpr);
  // Pixels per metre, so viewers that honour it show the image at its physical size.
  image.setDotsPerMeterX(int(96.0 * dpr / 0.0254));
  image.setDotsPerMeterY(int(96.0 * dpr / 0.0254));
  {
    core::AtomicFile file(path);
    auto device = file.open();
    if (!device) return core::Error(core::ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(path, device.error().message()), {path});
    if (!image.save(*device, "PNG"))
      return core::Error(core::ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(path, (*device)->errorString()), {path});
    if (auto s = file.commit(); !s)
      return core::Error(core::ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(path, s.error().message()), {path});
  }
  if (auto s = writeText(worldFilePath(path), world.text().toUtf8()); !s) return s;
  // The CRS travels in GDAL's sidecar (.png.aux.xml), which GDAL and QGIS read for PNGs.
  const QString wkt = canvas.mapCrs().wkt();
  if (!wkt.isEmpty()) {
    const QString xml = QStringLiteral("<PAMDataset>\n  <SRS>%1</SRS>\n</PAMDataset>\n").arg(wkt.toHtmlEscaped());
    if (auto s = writeText(path + QStringLiteral(".aux.xml"), xml.toUtf8()); !s) return s;
  }
  return {};
}

}  // namespace netspatial::ui
