#include "core/geo/vectorwriter.h"

#include "core/geo/coordinatetransform.h"
#include "core/geo/gdalsupport.h"
#include "core/geo/ogrgeometry.h"
#include "core/util/atomicfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

namespace netspatial::core {

namespace {

OGRwkbGeometryType layerType(const std::vector<VectorFeature>& features) {
  if (features.empty()) return wkbUnknown;
  const GeometryType t = features.front().geometry.type;
  for (const VectorFeature& f : features)
    if (f.geometry.type != t) return wkbUnknown;
  switch (t) {
    case GeometryType::Point:
      return wkbPoint;
    case GeometryType::LineString:
      return wkbLineString;
    case GeometryType::Polygon:
      return wkbPolygon;
    case GeometryType::MultiPoint:
      return wkbMultiPoint;
    case GeometryType::MultiLineString:
      return wkbMultiLineString;
    case GeometryType::MultiPolygon:
      return wkbMultiPolygon;
  }
  return wkbUnknown;
}

}  // namespace

Status writeVectorFile(const VectorLayerData& layer, const QString& path) {
  detail::ensureGdalRegistered();
  const QFileInfo target(path);
  const QString suffix = target.suffix().toLower();
  const bool geojson = suffix == QStringLiteral("geojson") || suffix == QStringLiteral("json");
  if (!geojson && suffix != QStringLiteral("gpkg"))
    return Error(ErrorCode::UnsupportedFormat, QStringLiteral("unknown vector format '.%1': use .gpkg or .geojson").arg(suffix), {path});
  if (!target.absoluteDir().exists()) return Error(ErrorCode::FileNotFound, QStringLiteral("the folder does not exist"), {path});
  if (!layer.crs.isValid()) return Error(ErrorCode::UnknownCrs, QStringLiteral("the layer has no CRS"), {path});

  // GeoJSON is lon/lat WGS 84 (RFC 7946).
  std::vector<Geometry> geometries;
  geometries.reserve(layer.features.size());
  const Crs outCrs = geojson ? Crs::wgs84() : layer.crs;
  auto transform = CoordinateTransform::create(layer.crs, outCrs);
  if (!transform) return Error(transform.error().code(), transform.error().message(), {path});
  for (const VectorFeature& f : layer.features) {
    auto g = transform->transform(f.geometry);
    if (!g) return Error(g.error().code(), g.error().message(), {path});
    geometries.push_back(std::move(*g));
  }

  // The temporary keeps the extension: GDAL's drivers look at it.
  AtomicFile file(path);
  auto reserved = file.reservePath(QLatin1Char('.') + suffix);
  if (!reserved) return reserved.error();
  const QString temp = *reserved;

  detail::GdalErrorScope errors;
  auto fail = [&](const QString& what) {
    file.discard();
    return Error(ErrorCode::Io, QStringLiteral("%1: %2").arg(what, errors.failureText(QStringLiteral("GDAL gave no reason"), path)),
                 {path});
  };
  {
    GDALDriverH driver = GDALGetDriverByName(geojson ? "GeoJSON" : "GPKG");
    if (!driver)
      return Error(ErrorCode::UnsupportedFormat, QStringLiteral("this GDAL has no %1 driver").arg(geojson ? "GeoJSON" : "GPKG"), {path});
    detail::DatasetPtr ds(GDALCreate(driver, QFile::encodeName(temp).constData(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) return fail(QStringLiteral("cannot create the file"));
    detail::SpatialRefPtr srs(OSRNewSpatialReference(nullptr));
    const QString definition = geojson ? QStringLiteral("EPSG:4326") : layer.crs.wkt();
    if (OSRSetFromUserInput(srs.get(), definition.toUtf8().constData()) != OGRERR_NONE)
      return fail(QStringLiteral("cannot describe the CRS"));
    OSRSetAxisMappingStrategy(srs.get(), OAMS_TRADITIONAL_GIS_ORDER);
    const QByteArray name = (layer.name.isEmpty() ? QStringLiteral("layer") : layer.name).toUtf8();
    detail::StringListPtr options;
    if (geojson) options.reset(CSLSetNameValue(options.release(), "RFC7946", "YES"));
    OGRLayerH out = GDALDatasetCreateLayer(ds.get(), name.constData(), srs.get(), layerType(layer.features), options.get());
    if (!out) return fail(QStringLiteral("cannot create the layer"));
    for (const VectorField& field : layer.fields) {
      const OGRFieldType type = field.type == VectorField::Type::Integer ? OFTInteger64
                                : field.type == VectorField::Type::Real  ? OFTReal
                                                                         : OFTString;
      OGRFieldDefnH defn = OGR_Fld_Create(field.name.toUtf8().constData(), type);
      const OGRErr err = OGR_L_CreateField(out, defn, TRUE);
      OGR_Fld_Destroy(defn);
      if (err != OGRERR_NONE) return fail(QStringLiteral("cannot create the field %1").arg(field.name));
    }
    if (OGR_L_StartTransaction(out) != OGRERR_NONE) return fail(QStringLiteral("cannot start a transaction"));
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
      detail::FeaturePtr owned(OGR_F_Create(OGR_L_GetLayerDefn(out)));
      OGRFeatureH feature = owned.get();
      const QVariantList& values = layer.features[i].values;
      for (int k = 0; k < int(layer.fields.size()) && k < int(values.size()); ++k) {
        const QVariant& v = values[k];
        if (!v.isValid() || v.isNull()) {
          OGR_F_SetFieldNull(feature, k);
          continue;
        }
        switch (layer.fields[std::size_t(k)].type) {
          case VectorField::Type::Integer:
            OGR_F_SetFieldInteger64(feature, k, v.toLongLong());
            break;
          case VectorField::Type::Real:
            OGR_F_SetFieldDouble(feature, k, v.toDouble());
            break;
          case VectorField::Type::String:
            OGR_F_SetFieldString(feature, k, v.toString().toUtf8().constData());
            break;
        }
      }
      OGR_F_SetGeometryDirectly(feature, detail::toOgr(geometries[i]));
      const OGRErr err = OGR_L_CreateFeature(out, feature);
      if (err != OGRERR_NONE) return fail(QStringLiteral("cannot write feature %1").arg(i + 1));
    }
    if (OGR_L_CommitTransaction(out) != OGRERR_NONE) return fail(QStringLiteral("cannot commit the features"));
  }  // closes the dataset: everything is on disk now
  if (errors.hasFailure()) return fail(QStringLiteral("writing failed"));
  return file.commit();
}

}  // namespace netspatial::core
