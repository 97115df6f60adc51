#include "ui/map/maplayer.h"

#include "ui/map/rasterlayer.h"
#include "ui/map/vectorlayer.h"

#include <QFileInfo>

#include <atomic>

namespace netspatial::ui {

namespace {

quint64 nextLayerId() {
  static std::atomic<quint64> counter{0};
  return ++counter;
}

}  // namespace

MapLayer::MapLayer(QString name, QString file) : m_id(nextLayerId()), m_name(std::move(name)), m_file(std::move(file)) {}

core::Result<std::unique_ptr<MapLayer>> MapLayer::open(const QString& path) {
  using core::Error;
  using core::ErrorCode;
  const QFileInfo fi(path);
  // Checked here as well as in core so that the message is the same whichever reader runs first.
  if (!fi.exists()) return Error(ErrorCode::FileNotFound, QStringLiteral("no such file"), {path});
  if (fi.isDir() && fi.suffix().isEmpty())
    return Error(ErrorCode::UnsupportedFormat, QStringLiteral("is a folder, not a layer file"), {path});

  auto raster = RasterLayer::open(path);
  if (raster.ok()) return std::unique_ptr<MapLayer>(std::move(raster).value());
  auto vector = VectorLayer::open(path);
  if (vector.ok()) return std::unique_ptr<MapLayer>(std::move(vector).value());

  // Both readers refused: say why each did, so that e.g. "a raster without a CRS" is not hidden
  // behind "not a vector".
  // GDAL repeats the full path in its messages; the context already names the file once.
  const QString fileName = fi.fileName();
  auto reason = [&](const core::Error& e) { return QString(e.message()).replace(path, fileName); };
  const ErrorCode code = raster.error().code() == ErrorCode::UnsupportedFormat ? vector.error().code() : raster.error().code();
  return Error(
      code,
      QStringLiteral("cannot open as a map layer — as a raster: %1; as a vector: %2").arg(reason(raster.error()), reason(vector.error())),
      {path});
}

}  // namespace netspatial::ui
