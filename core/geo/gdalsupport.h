#pragma once

// Internal to core: what every GDAL/OGR reader needs — errors collected per thread so they
// become Error values instead of stderr noise (DESIGN.md §11), owned handles (gdalhandles.h), and
// the conversion of GDAL's spatial references into Crs.

#include "core/geo/crs.h"
#include "core/geo/gdalhandles.h"  // DatasetPtr and the other owned handles

#include <QString>
#include <QStringList>

#include <memory>

namespace netspatial::core::detail {

class GdalErrorScope {
 public:
  GdalErrorScope();
  ~GdalErrorScope();
  GdalErrorScope(const GdalErrorScope&) = delete;
  GdalErrorScope& operator=(const GdalErrorScope&) = delete;

  bool hasFailure() const { return !m_failures.isEmpty(); }
  //! The failure messages joined, or `fallback` when GDAL said nothing. GDAL repeats the full path
  //! in its messages; with `file` given it is shortened to the file name, since Error's context
  //! already names the file once.
  QString failureText(const QString& fallback = QStringLiteral("unknown GDAL error"), const QString& file = {}) const;
  const QStringList& warnings() const { return m_warnings; }
  void clear() {
    m_failures.clear();
    m_warnings.clear();
  }

  // Called by the GDAL error handler installed by this scope.
  void addFailure(const QString& message) { m_failures << message; }
  void addWarning(const QString& message) { m_warnings << message; }

 private:
  QStringList m_failures;
  QStringList m_warnings;
};

//! An argv for GDAL's utility functions (GDALTranslate, GDALWarp, …), built one argument at a time.
class GdalArgList {
 public:
  GdalArgList& add(const QString& s) {
    m_list.reset(CSLAddString(m_list.release(), s.toUtf8().constData()));
    return *this;
  }
  GdalArgList& add(double v) { return add(QString::number(v, 'g', 17)); }
  GdalArgList& add(int v) { return add(QString::number(v)); }
  char** get() const { return m_list.get(); }

 private:
  StringListPtr m_list;
};

//! Registers GDAL's drivers once, with the network off unless networkAllowed().
void ensureGdalRegistered();
//! Whether the user allowed GDAL to reach the network (NETSPATIAL_ALLOW_NETWORK=1): off by default.
bool networkAllowed();

//! The Crs of an OGRSpatialReferenceH (as void*), exported as WKT2; invalid when absent or unknown.
Crs crsFromSpatialRef(const void* spatialRef);

//! True when a layer's data axis order puts northing/latitude first (its data-to-CRS axis mapping
//! maps the first data axis to a north-pointing CRS axis). GDAL's drivers deliver traditional GIS
//! order today; this guards against one that does not.
bool dataIsNorthingFirst(const void* spatialRef);

}  // namespace netspatial::core::detail
