#include "core/import/sourceprobe.h"

#include "core/geo/gdalhandles.h"
#include "core/geo/gdalsupport.h"
#include "core/import/osmsource.h"

#include <QFileInfo>

#include <gdal.h>
#include <ogr_api.h>

#include <cmath>

namespace netspatial::core {

namespace {

QString geometryName(OGRwkbGeometryType type) {
  if (wkbFlatten(type) == wkbNone || wkbFlatten(type) == wkbUnknown) return QStringLiteral("None");
  return QString::fromUtf8(OGRGeometryTypeToName(type));
}

}  // namespace

Result<SourceProbe> probeSource(const QString& path) {
  if (!QFileInfo::exists(path)) return Error(ErrorCode::FileNotFound, QStringLiteral("no such file"), {path});
  detail::ensureGdalRegistered();
  // Quiet: a file that is not a raster makes GDAL complain before it is tried as a vector.
  detail::GdalErrorScope errors;
  SourceProbe out;
  out.file = path;
  out.osm = detail::isOsmFile(path);
  const QByteArray native = path.toUtf8();
  // Separately: a GeoPackage may hold both, and GDAL opens a dataset as one or the other.
  if (!out.osm) {
    detail::DatasetPtr raster(GDALOpenEx(native.constData(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    if (raster && GDALGetRasterCount(raster.get()) > 0) {
      out.hasRaster = true;
      out.driver = QString::fromUtf8(GDALGetDriverShortName(GDALGetDatasetDriver(raster.get())));
      out.width = GDALGetRasterXSize(raster.get());
      out.height = GDALGetRasterYSize(raster.get());
      out.bandCount = GDALGetRasterCount(raster.get());
      out.crs = detail::crsFromSpatialRef(GDALGetSpatialRef(raster.get()));
      double gt[6] = {0, 1, 0, 0, 0, 1};
      if (GDALGetGeoTransform(raster.get(), gt) == CE_None) {
        out.pixelSize = std::hypot(gt[1], gt[4]);
        const double x0 = gt[0], y0 = gt[3];
        const double x1 = gt[0] + gt[1] * out.width + gt[2] * out.height, y1 = gt[3] + gt[4] * out.width + gt[5] * out.height;
        out.extent = Extent::fromCorners(std::min(x0, x1), std::min(y0, y1), std::max(x0, x1), std::max(y0, y1));
      }
    }
  }
  detail::DatasetPtr vector(GDALOpenEx(native.constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (vector && GDALDatasetGetLayerCount(vector.get()) > 0) {
    out.hasVector = true;
    if (out.driver.isEmpty()) out.driver = QString::fromUtf8(GDALGetDriverShortName(GDALGetDatasetDriver(vector.get())));
    OGRLayerH layer = GDALDatasetGetLayer(vector.get(), 0);
    if (out.osm) {
      // The driver's layers are fixed (points, lines, multipolygons, …): the importers read the tags.
      out.geometryType = QStringLiteral("OpenStreetMap");
    } else {
      OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
      for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
        out.fieldNames << QString::fromUtf8(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
      const OGRwkbGeometryType type = OGR_L_GetGeomType(layer);
      out.geometryType = geometryName(type);
      out.polygons = wkbFlatten(type) == wkbPolygon || wkbFlatten(type) == wkbMultiPolygon;
      // Cheap for the drivers that store it (Shapefile, GeoPackage); the others count once.
      out.featureCount = OGR_L_GetFeatureCount(layer, TRUE);
      if (!out.hasRaster) {
        out.crs = detail::crsFromSpatialRef(OGR_L_GetSpatialRef(layer));
        OGREnvelope env;
        if (wkbFlatten(type) != wkbNone && OGR_L_GetExtent(layer, &env, TRUE) == OGRERR_NONE)
          out.extent = Extent::fromCorners(env.MinX, env.MinY, env.MaxX, env.MaxY);
      }
    }
  }
  if (!out.hasRaster && !out.hasVector)
    return Error(ErrorCode::UnsupportedFormat, QStringLiteral("neither a raster nor a vector file GDAL can read"), {path});
  return out;
}

Result<QStringList> vectorFieldNames(const QString& path) {
  auto probe = probeSource(path);
  if (!probe) return probe.error();
  if (!probe->hasVector) return Error(ErrorCode::UnsupportedFormat, QStringLiteral("not a vector file GDAL can read"), {path});
  return probe->fieldNames;
}

QString guessField(const QStringList& fields, const QStringList& candidates) {
  for (const QString& c : candidates)
    for (const QString& f : fields)
      if (f.compare(c, Qt::CaseInsensitive) == 0) return f;
  return {};
}

}  // namespace netspatial::core
