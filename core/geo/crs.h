#pragma once

#include "core/util/result.h"

#include <QString>

namespace netspatial::core {

//! A coordinate reference system, validated by PROJ. An immutable value, safe to share across
//! threads (it keeps the definition text, not a PROJ object).
//! Coordinates used with it are always in traditional GIS order (x = lon/easting, y = lat/northing)
//! whatever the authority's axis order; CoordinateTransform takes care of that.
class Crs {
 public:
  Crs() = default;

  //! "EPSG:32632", "urn:ogc:def:crs:EPSG::4326", WKT (1 or 2), PROJJSON or a PROJ string.
  static Result<Crs> fromUserInput(const QString& definition);
  static Result<Crs> fromEpsg(int code);
  //! WGS 84 / UTM zone for a point, north or south by latitude (EPSG:326zz / 327zz).
  static Result<Crs> utmForLonLat(double lon, double lat);
  //! UTM zone number 1–60 for a WGS 84 point, with the Norway and Svalbard exceptions.
  static int utmZone(double lon, double lat);
  static Crs wgs84();        //!< EPSG:4326
  static Crs webMercator();  //!< EPSG:3857

  bool isValid() const { return !m_definition.isEmpty(); }
  bool isGeographic() const { return m_geographic; }
  //! "EPSG:32725" when PROJ can identify an authority code, else empty.
  const QString& authId() const { return m_authId; }
  const QString& name() const { return m_name; }
  //! The text handed to PROJ (the authority id where known, else WKT).
  const QString& definition() const { return m_definition; }
  //! WKT2:2019, for GDAL and files.
  QString wkt() const;
  //! A short label for badges: "EPSG:32725 · WGS 84 / UTM zone 25S".
  QString label() const;
  //! Name of the linear or angular unit of the first axis ("metre", "degree").
  const QString& axisUnit() const { return m_unit; }

  //! Same CRS in the sense that matters for coordinates (axis order of geographic CRS ignored).
  bool isEquivalentTo(const Crs& other) const;
  friend bool operator==(const Crs& a, const Crs& b) { return a.m_definition == b.m_definition; }

 private:
  QString m_definition;
  QString m_authId;
  QString m_name;
  QString m_unit;
  bool m_geographic = false;
};

//! PROJ and GDAL versions as "9.1.1" / "3.6.2".
QString projVersion();
QString gdalVersion();

}  // namespace netspatial::core
