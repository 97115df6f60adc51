#include "core/geo/gdalsupport.h"

#include "core/util/logging.h"

#include <QFileInfo>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include <cstdlib>
#include <mutex>

namespace netspatial::core::detail {

namespace {

void CPL_STDCALL collectError(CPLErr errorClass, CPLErrorNum, const char* message) {
  auto* scope = static_cast<GdalErrorScope*>(CPLGetErrorHandlerUserData());
  const QString text = QString::fromUtf8(message ? message : "").trimmed();
  if (!scope) return;
  if (errorClass >= CE_Failure) {
    scope->addFailure(text);
  } else if (errorClass == CE_Warning) {
    scope->addWarning(text);
    qCDebug(lcGeo) << "GDAL warning:" << text;
  }
}

}  // namespace

GdalErrorScope::GdalErrorScope() {
  // The handler stack is thread-local in GDAL, so scopes on different threads do not interfere.
  CPLPushErrorHandlerEx(collectError, this);
}

GdalErrorScope::~GdalErrorScope() { CPLPopErrorHandler(); }

QString GdalErrorScope::failureText(const QString& fallback, const QString& file) const {
  if (m_failures.isEmpty()) return fallback;
  const QString shortName = QFileInfo(file).fileName();
  QStringList unique;
  for (QString f : m_failures) {
    if (!file.isEmpty()) f.replace(file, shortName);
    if (!unique.contains(f)) unique << f;
  }
  if (unique.size() > 3) {
    const qsizetype more = unique.size() - 3;
    unique = unique.mid(0, 3);
    unique << QStringLiteral("(%1 more)").arg(more);
  }
  return unique.join(QStringLiteral("; "));
}

bool networkAllowed() {
  const QByteArray v = qgetenv("NETSPATIAL_ALLOW_NETWORK");
  return v == "1" || v.compare("yes", Qt::CaseInsensitive) == 0 || v.compare("true", Qt::CaseInsensitive) == 0;
}

void ensureGdalRegistered() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (!networkAllowed()) {
      // No file may make GDAL reach the network (issue 20): a VRT naming /vsicurl/… or a URL, a
      // WMS/WFS description file, an OGR VRT of a web service (its GeoJSON source is fetched with
      // CPLHTTPFetch, which no option stops, so OGR VRTs are off). Network drivers are not registered,
      // and every network file system (/vsicurl/, /vsis3/, /vsigs/, /vsiaz/ …) accepts only an
      // extension no file has, so it fails at once without a connection. NETSPATIAL_ALLOW_NETWORK=1
      // lifts both for a user who wants remote data.
      CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", ".netspatial-network-disabled");
      // Only drivers this GDAL (3.6) has: an unknown name makes GDAL print a warning at every start.
      CPLSetConfigOption("GDAL_SKIP",
                         "WMS WMTS WCS WFS OAPIF OGCAPI CSW EEDA EEDAI PLMOSAIC PLSCENES DAAS NGW Elasticsearch Carto HTTP STACIT STACTA "
                         "GPSBabel OGR_VRT");
      CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1");
      OSRSetPROJEnableNetwork(FALSE);
    }
    GDALAllRegister();
  });
}

Crs crsFromSpatialRef(const void* spatialRef) {
  auto srs = static_cast<OGRSpatialReferenceH>(const_cast<void*>(spatialRef));
  if (!srs) return {};
  char* text = nullptr;
  const char* options[] = {"FORMAT=WKT2_2019", nullptr};
  const OGRErr err = OSRExportToWktEx(srs, &text, options);
  const CplStringPtr wkt(text);
  if (err != OGRERR_NONE || !wkt) return {};
  auto crs = Crs::fromUserInput(QString::fromUtf8(wkt.get()));
  return crs.ok() ? crs.value() : Crs();
}

bool dataIsNorthingFirst(const void* spatialRef) {
  auto srs = static_cast<OGRSpatialReferenceH>(const_cast<void*>(spatialRef));
  if (!srs) return false;
  int count = 0;
  const int* mapping = OSRGetDataAxisToSRSAxisMapping(srs, &count);
  if (!mapping || count < 2) return false;
  // mapping[0] is the (1-based, possibly negative) CRS axis that the data's first axis holds.
  const int crsAxis = std::abs(mapping[0]) - 1;
  OGRAxisOrientation orientation = OAO_Other;
  if (!OSRGetAxis(srs, nullptr, crsAxis, &orientation)) return false;
  return orientation == OAO_North || orientation == OAO_South;
}

}  // namespace netspatial::core::detail
