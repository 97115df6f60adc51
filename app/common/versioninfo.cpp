#include "app/common/versioninfo.h"

#include "core/geo/crs.h"
#include "netspatial/models/runtimeinfo.h"

#include <QtGlobal>

namespace netspatial::app {

VersionInfo VersionInfo::collect() {
  const auto rt = models::runtimeInfo();
  VersionInfo v;
  v.application = QStringLiteral(NETSPATIAL_VERSION);
  v.qt = QString::fromLatin1(qVersion());
  v.libTorch = QString::fromStdString(rt.torchVersion);
  v.gdal = core::gdalVersion();
  v.proj = core::projVersion();
  v.blas = QString::fromStdString(rt.blasDescription);
  if (!rt.blasCore.empty()) v.blas += QStringLiteral(", kernels ") + QString::fromStdString(rt.blasCore);
  v.blasLibrary = QString::fromStdString(rt.blasLibrary);
  v.device = rt.cudaAvailable
                 ? QStringLiteral("cuda (%1 device(s)%2)")
                       .arg(rt.cudaDeviceCount)
                       .arg(rt.cudaDeviceName.empty() ? QString() : QStringLiteral(": ") + QString::fromStdString(rt.cudaDeviceName))
                 : QStringLiteral("cpu (no CUDA device or CPU-only LibTorch)");
  v.threads = rt.intraOpThreads;
  v.allocator = QString::fromStdString(rt.allocator);
  return v;
}

QStringList VersionInfo::lines() const {
  const auto row = [](const char* name, const QString& value) {
    return QStringLiteral("%1 %2").arg(QString::fromLatin1(name), -10).arg(value);
  };
  return {QStringLiteral("NetSpatial Studio %1").arg(application),
          row("Qt", qt),
          row("LibTorch", libTorch),
          row("GDAL", gdal),
          row("PROJ", proj),
          row("BLAS", blasLibrary.isEmpty() ? blas : QStringLiteral("%1 (%2)").arg(blas, blasLibrary)),
          row("Device", device),
          row("Threads", QString::number(threads)),
          row("Allocator", allocator)};
}

}  // namespace netspatial::app
