#pragma once

#include <QString>
#include <QStringList>

namespace netspatial::app {

//! Versions of everything the application stands on, for `netspatial --version` and the About box.
struct VersionInfo {
  QString application;
  QString qt;
  QString libTorch;
  QString gdal;
  QString proj;
  QString blas;         //!< description of the BLAS actually loaded
  QString blasLibrary;  //!< its resolved path
  QString device;       //!< "cpu" or "cuda (N device(s): name)"
  int threads = 0;
  QString allocator;  //!< which malloc serves the process and how it is tuned (models::allocatorDescription)

  static VersionInfo collect();
  //! Aligned "name  value" lines.
  QStringList lines() const;
};

}  // namespace netspatial::app
