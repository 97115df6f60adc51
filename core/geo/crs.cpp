#include "core/geo/crs.h"

#include "core/geo/projcontext.h"

#include <QRegularExpression>

#include <gdal.h>
#include <proj.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace netspatial::core {

namespace {

struct PjDeleter {
  void operator()(PJ* pj) const { proj_destroy(pj); }
};
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

PjPtr createCrs(const QString& definition, QString* error) {
  PJ_CONTEXT* ctx = detail::projContext();
  PjPtr pj(proj_create(ctx, definition.toUtf8().constData()));
  if (!pj) {
    if (error) *error = detail::projErrorText();
    return nullptr;
  }
  if (!proj_is_crs(pj.get())) {
    if (error) *error = QStringLiteral("not a coordinate reference system");
    return nullptr;
  }
  return pj;
}

// The CRS whose type and axes describe the coordinates (a BoundCRS wraps its source CRS).
PjPtr horizontalCrs(PJ* crs) {
  PJ_CONTEXT* ctx = detail::projContext();
  if (proj_get_type(crs) == PJ_TYPE_BOUND_CRS) return PjPtr(proj_get_source_crs(ctx, crs));
  if (proj_get_type(crs) == PJ_TYPE_COMPOUND_CRS) return PjPtr(proj_crs_get_sub_crs(ctx, crs, 0));
  return PjPtr(proj_clone(ctx, crs));
}

QString authorityOf(PJ* crs, bool* exact) {
  *exact = false;
  if (const char* auth = proj_get_id_auth_name(crs, 0)) {
    if (const char* code = proj_get_id_code(crs, 0)) {
      *exact = true;
      return QStringLiteral("%1:%2").arg(QString::fromUtf8(auth), QString::fromUtf8(code));
    }
  }
  PJ_CONTEXT* ctx = detail::projContext();
  int* confidence = nullptr;
  PJ_OBJ_LIST* candidates = proj_identify(ctx, crs, "EPSG", nullptr, &confidence);
  QString result;
  if (candidates && proj_list_get_count(candidates) > 0 && confidence && confidence[0] >= 90) {
    PjPtr best(proj_list_get(ctx, candidates, 0));
    if (best) {
      const char* auth = proj_get_id_auth_name(best.get(), 0);
      const char* code = proj_get_id_code(best.get(), 0);
      if (auth && code) result = QStringLiteral("%1:%2").arg(QString::fromUtf8(auth), QString::fromUtf8(code));
      *exact = confidence[0] == 100;
    }
  }
  proj_int_list_destroy(confidence);
  proj_list_destroy(candidates);
  return result;
}

}  // namespace

Result<Crs> Crs::fromUserInput(const QString& definition) {
  const QString trimmed = definition.trimmed();
  if (trimmed.isEmpty()) return Error(ErrorCode::UnknownCrs, QStringLiteral("empty CRS definition"));
  QString why;
  PjPtr pj = createCrs(trimmed, &why);
  if (!pj) {
    // PROJ answers an unknown code with a generic "Unknown error (code 4096)"; say what it means.
    static const QRegularExpression authorityCode(QStringLiteral("^([A-Za-z]+):(\\d+)$"));
    if (const auto m = authorityCode.match(trimmed); m.hasMatch())
      why = QStringLiteral("PROJ's database has no %1 code %2").arg(m.captured(1).toUpper(), m.captured(2));
    else if (why.startsWith(QStringLiteral("Unknown error")))
      why = QStringLiteral("not a CRS code, WKT, PROJJSON or PROJ string that PROJ understands");
    return Error(ErrorCode::UnknownCrs, QStringLiteral("unknown CRS '%1': %2").arg(trimmed.left(80), why));
  }

  PJ_CONTEXT* ctx = detail::projContext();
  Crs crs;
  bool exact = false;
  crs.m_authId = authorityOf(pj.get(), &exact);
  crs.m_name = QString::fromUtf8(proj_get_name(pj.get()));
  if (exact && !crs.m_authId.isEmpty()) {
    crs.m_definition = crs.m_authId;
  } else {
    const char* wkt = proj_as_wkt(ctx, pj.get(), PJ_WKT2_2019, nullptr);
    crs.m_definition = wkt ? QString::fromUtf8(wkt) : trimmed;
  }

  PjPtr horizontal = horizontalCrs(pj.get());
  if (horizontal) {
    const PJ_TYPE type = proj_get_type(horizontal.get());
    crs.m_geographic = type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS;
    PjPtr cs(proj_crs_get_coordinate_system(ctx, horizontal.get()));
    const char* unit = nullptr;
    if (cs && proj_cs_get_axis_info(ctx, cs.get(), 0, nullptr, nullptr, nullptr, nullptr, &unit, nullptr, nullptr))
      crs.m_unit = QString::fromUtf8(unit ? unit : "");
  }
  return crs;
}

Result<Crs> Crs::fromEpsg(int code) { return fromUserInput(QStringLiteral("EPSG:%1").arg(code)); }

int Crs::utmZone(double lon, double lat) {
  // Normalise to [-180, 180).
  lon = std::fmod(std::fmod(lon + 180.0, 360.0) + 360.0, 360.0) - 180.0;
  int zone = int(std::floor((lon + 180.0) / 6.0)) + 1;
  zone = std::clamp(zone, 1, 60);
  // South-western Norway widens zone 32.
  if (lat >= 56.0 && lat < 64.0 && lon >= 3.0 && lon < 12.0) zone = 32;
  // Svalbard uses zones 31, 33, 35, 37 only.
  if (lat >= 72.0 && lat < 84.0) {
    if (lon >= 0.0 && lon < 9.0)
      zone = 31;
    else if (lon >= 9.0 && lon < 21.0)
      zone = 33;
    else if (lon >= 21.0 && lon < 33.0)
      zone = 35;
    else if (lon >= 33.0 && lon < 42.0)
      zone = 37;
  }
  return zone;
}

Result<Crs> Crs::utmForLonLat(double lon, double lat) {
  if (!std::isfinite(lon) || !std::isfinite(lat) || lat < -80.0 || lat > 84.0)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("no UTM zone for lon %1, lat %2 (UTM covers 80°S to 84°N)").arg(lon).arg(lat));
  const int zone = utmZone(lon, lat);
  return fromEpsg((lat >= 0.0 ? 32600 : 32700) + zone);
}

Crs Crs::wgs84() {
  static const Crs crs = fromEpsg(4326).value();
  return crs;
}

Crs Crs::webMercator() {
  static const Crs crs = fromEpsg(3857).value();
  return crs;
}

QString Crs::wkt() const {
  if (!isValid()) return {};
  PjPtr pj = createCrs(m_definition, nullptr);
  if (!pj) return {};
  const char* wkt = proj_as_wkt(detail::projContext(), pj.get(), PJ_WKT2_2019, nullptr);
  return wkt ? QString::fromUtf8(wkt) : QString();
}

QString Crs::label() const {
  if (!isValid()) return QStringLiteral("no CRS");
  if (m_authId.isEmpty()) return m_name;
  return QStringLiteral("%1 · %2").arg(m_authId, m_name);
}

bool Crs::isEquivalentTo(const Crs& other) const {
  if (!isValid() || !other.isValid()) return false;
  if (*this == other) return true;
  PjPtr a = createCrs(m_definition, nullptr);
  PjPtr b = createCrs(other.m_definition, nullptr);
  if (!a || !b) return false;
  return proj_is_equivalent_to_with_ctx(detail::projContext(), a.get(), b.get(), PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS) != 0;
}

QString projVersion() { return QString::fromUtf8(proj_info().version); }

QString gdalVersion() { return QString::fromUtf8(GDALVersionInfo("RELEASE_NAME")); }

}  // namespace netspatial::core
