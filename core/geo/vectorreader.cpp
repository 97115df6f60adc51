#include "core/geo/vectorreader.h"

#include "core/geo/gdalsupport.h"

#include <QFileInfo>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_geometry.h>
#include <ogr_srs_api.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <map>

namespace netspatial::core {

namespace {

const QStringList kLonNames{QStringLiteral("lon"), QStringLiteral("lng"), QStringLiteral("long"), QStringLiteral("longitude"),
                            QStringLiteral("x")};
const QStringList kLatNames{QStringLiteral("lat"), QStringLiteral("latitude"), QStringLiteral("y")};

Status checkFile(const QString& path) {
  const QFileInfo fi(path);
  if (!fi.exists()) return Error(ErrorCode::FileNotFound, QStringLiteral("no such file"), {path});
  if (fi.isFile() && fi.size() == 0) return Error(ErrorCode::CorruptData, QStringLiteral("the file is empty"), {path});
  return {};
}

Result<detail::DatasetPtr> openVector(const QString& path, const char* const* openOptions, detail::GdalErrorScope& errors) {
  detail::ensureGdalRegistered();
  if (Status s = checkFile(path); !s) return s.error();
  const QByteArray native = QFile::encodeName(path);
  GDALDatasetH ds =
      GDALOpenEx(native.constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, nullptr, openOptions, nullptr);
  if (!ds)
    return Error(ErrorCode::UnsupportedFormat,
                 QStringLiteral("not a vector file GDAL can read: %1").arg(errors.failureText(QStringLiteral("unrecognised format"), path)),
                 {path});
  return detail::DatasetPtr(ds);
}

Geometry::Ring ringOf(const OGRSimpleCurve* curve) {
  Geometry::Ring ring;
  ring.reserve(std::size_t(curve->getNumPoints()));
  for (int i = 0; i < curve->getNumPoints(); ++i) ring.push_back({curve->getX(i), curve->getY(i)});
  return ring;
}

Geometry::Part polygonPart(const OGRPolygon* polygon) {
  Geometry::Part part;
  if (const OGRLinearRing* exterior = polygon->getExteriorRing()) part.push_back(ringOf(exterior));
  for (int i = 0; i < polygon->getNumInteriorRings(); ++i) part.push_back(ringOf(polygon->getInteriorRing(i)));
  return part;
}

// Converts an OGR geometry (curves linearised) to plain coordinates; nullopt for unsupported kinds.
std::optional<Geometry> convert(const OGRGeometry* g) {
  if (!g || g->IsEmpty()) return Geometry{GeometryType::Point, {}};
  std::unique_ptr<OGRGeometry> linear;
  if (g->hasCurveGeometry()) {
    linear.reset(g->getLinearGeometry());
    g = linear.get();
  }
  Geometry out;
  switch (wkbFlatten(g->getGeometryType())) {
    case wkbPoint: {
      auto* p = g->toPoint();
      return Geometry::point({p->getX(), p->getY()});
    }
    case wkbLineString:
      out.type = GeometryType::LineString;
      out.parts.push_back({ringOf(g->toLineString())});
      return out;
    case wkbPolygon:
      out.type = GeometryType::Polygon;
      out.parts.push_back(polygonPart(g->toPolygon()));
      return out;
    case wkbMultiPoint:
      out.type = GeometryType::MultiPoint;
      for (const OGRPoint* p : *g->toMultiPoint()) out.parts.push_back({{PointXY{p->getX(), p->getY()}}});
      return out;
    case wkbMultiLineString:
      out.type = GeometryType::MultiLineString;
      for (const OGRLineString* l : *g->toMultiLineString()) out.parts.push_back({ringOf(l)});
      return out;
    case wkbMultiPolygon:
      out.type = GeometryType::MultiPolygon;
      for (const OGRPolygon* p : *g->toMultiPolygon()) out.parts.push_back(polygonPart(p));
      return out;
    default:
      return std::nullopt;
  }
}

// Why an OGC-invalid geometry is invalid, in words a user can act on.
QString invalidityReason(const OGRGeometry* g) {
  const auto ringTooShort = [](const OGRPolygon* poly) -> int {
    if (const auto* ext = poly->getExteriorRing(); ext && ext->getNumPoints() < 4) return ext->getNumPoints();
    for (int i = 0; i < poly->getNumInteriorRings(); ++i)
      if (poly->getInteriorRing(i)->getNumPoints() < 4) return poly->getInteriorRing(i)->getNumPoints();
    return -1;
  };
  const OGRwkbGeometryType type = wkbFlatten(g->getGeometryType());
  if (type == wkbPolygon) {
    if (int n = ringTooShort(g->toPolygon()); n >= 0)
      return QStringLiteral("a polygon ring has %1 points; at least 4 (closed) are needed").arg(n);
  } else if (type == wkbMultiPolygon) {
    for (const OGRPolygon* p : *g->toMultiPolygon())
      if (int n = ringTooShort(p); n >= 0) return QStringLiteral("a polygon ring has %1 points; at least 4 (closed) are needed").arg(n);
  } else if (type == wkbLineString && g->toLineString()->getNumPoints() < 2) {
    return QStringLiteral("a line needs at least 2 points");
  }
  return QStringLiteral("self-intersecting or otherwise not a valid simple-features geometry");
}

QVariant fieldValue(OGRFeatureH feature, int index) {
  if (!OGR_F_IsFieldSetAndNotNull(feature, index)) return {};
  OGRFieldDefnH defn = OGR_F_GetFieldDefnRef(feature, index);
  switch (OGR_Fld_GetType(defn)) {
    case OFTInteger:
      return QVariant(OGR_F_GetFieldAsInteger(feature, index));
    case OFTInteger64:
      return QVariant(qlonglong(OGR_F_GetFieldAsInteger64(feature, index)));
    case OFTReal:
      return QVariant(OGR_F_GetFieldAsDouble(feature, index));
    default:
      return QVariant(QString::fromUtf8(OGR_F_GetFieldAsString(feature, index)));
  }
}

// Finds a column by any of `candidates` (case-insensitive); returns its index or -1.
int findField(OGRFeatureDefnH defn, const QStringList& candidates) {
  for (const QString& name : candidates)
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
      if (QString::fromUtf8(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i))).trimmed().compare(name, Qt::CaseInsensitive) == 0) return i;
  return -1;
}

Result<double> parseCoordinate(const char* text, const QString& file, qint64 row, const QString& field) {
  const QString s = QString::fromUtf8(text).trimmed();
  bool ok = false;
  const double v = s.toDouble(&ok);
  if (s.isEmpty()) return Error(ErrorCode::ParseError, QStringLiteral("the coordinate is empty"), {file, row, field});
  if (!ok || !std::isfinite(v))
    return Error(ErrorCode::ParseError, QStringLiteral("not a number: '%1'").arg(s.left(40)), {file, row, field});
  return v;
}

}  // namespace

Extent VectorLayer::extent() const {
  Extent e;
  for (const auto& f : features) e.include(f.geometry.extent());
  return e;
}

GeometryType VectorLayer::dominantType() const {
  std::map<GeometryType, int> counts;
  for (const auto& f : features)
    if (!f.geometry.isEmpty()) ++counts[f.geometry.type];
  GeometryType best = GeometryType::Point;
  int bestCount = -1;
  for (auto [type, n] : counts)
    if (n > bestCount) {
      best = type;
      bestCount = n;
    }
  return best;
}

Result<QStringList> listVectorLayers(const QString& path) {
  detail::GdalErrorScope errors;
  auto ds = openVector(path, nullptr, errors);
  if (!ds) return ds.error();
  QStringList names;
  GDALDatasetH h = static_cast<GDALDatasetH>(ds->get());
  for (int i = 0; i < GDALDatasetGetLayerCount(h); ++i) names << QString::fromUtf8(OGR_L_GetName(GDALDatasetGetLayer(h, i)));
  return names;
}

Result<VectorLayer> readVectorLayer(const QString& path, const VectorReadOptions& options, Feedback* feedback) {
  detail::GdalErrorScope errors;
  const bool csv = QFileInfo(path).suffix().compare(QStringLiteral("csv"), Qt::CaseInsensitive) == 0;
  // CSV: every column as text, no guessed geometry; coordinates are parsed here so a bad value
  // is reported with its row instead of silently becoming an empty geometry.
  const char* csvOptions[] = {"AUTODETECT_TYPE=NO", "KEEP_GEOM_COLUMNS=YES", "EMPTY_STRING_AS_NULL=NO", nullptr};
  auto opened = openVector(path, csv ? csvOptions : nullptr, errors);
  if (!opened) return opened.error();
  GDALDatasetH ds = static_cast<GDALDatasetH>(opened->get());

  OGRLayerH layer = nullptr;
  if (options.layerName.isEmpty()) {
    if (GDALDatasetGetLayerCount(ds) == 0) return Error(ErrorCode::CorruptData, QStringLiteral("the file has no layers"), {path});
    layer = GDALDatasetGetLayer(ds, 0);
  } else {
    layer = GDALDatasetGetLayerByName(ds, options.layerName.toUtf8().constData());
    if (!layer) return Error(ErrorCode::MissingField, QStringLiteral("no layer named '%1'").arg(options.layerName), {path});
  }

  VectorLayer out;
  out.file = path;
  out.name = QString::fromUtf8(OGR_L_GetName(layer));
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i)
    out.fieldNames << QString::fromUtf8(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));

  int xIndex = -1;
  int yIndex = -1;
  // Coordinates are kept in traditional GIS order (x = lon/easting); a driver that delivers them in
  // the CRS's authority order with northing first is corrected here.
  bool swapXY = false;
  const bool pointsFromColumns = QString::fromUtf8(GDALGetDriverShortName(GDALGetDatasetDriver(ds))) == QStringLiteral("CSV");
  if (pointsFromColumns) {
    out.crs = options.csvCrs.isValid() ? options.csvCrs : Crs::wgs84();
    const QStringList xNames = options.xField.isEmpty() ? kLonNames : QStringList{options.xField};
    const QStringList yNames = options.yField.isEmpty() ? kLatNames : QStringList{options.yField};
    xIndex = findField(defn, xNames);
    yIndex = findField(defn, yNames);
    if (xIndex < 0)
      return Error(ErrorCode::MissingField,
                   QStringLiteral("no x/longitude column (looked for %1; found %2)")
                       .arg(xNames.join(QStringLiteral(", ")), out.fieldNames.join(QStringLiteral(", "))),
                   {path, std::nullopt, xNames.front()});
    if (yIndex < 0)
      return Error(ErrorCode::MissingField,
                   QStringLiteral("no y/latitude column (looked for %1; found %2)")
                       .arg(yNames.join(QStringLiteral(", ")), out.fieldNames.join(QStringLiteral(", "))),
                   {path, std::nullopt, yNames.front()});
  } else {
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(layer);
    out.crs = detail::crsFromSpatialRef(srs);
    swapXY = detail::dataIsNorthingFirst(srs);
  }
  const QString xName = xIndex >= 0 ? out.fieldNames[xIndex] : QString();
  const QString yName = yIndex >= 0 ? out.fieldNames[yIndex] : QString();

  const GIntBig total = OGR_L_GetFeatureCount(layer, FALSE);
  OGR_L_ResetReading(layer);
  qint64 row = 0;
  while (true) {
    errors.clear();
    OGRFeatureH f = OGR_L_GetNextFeature(layer);
    if (!f) {
      if (errors.hasFailure())
        return Error(ErrorCode::ParseError,
                     QStringLiteral("reading stopped: %1").arg(errors.failureText(QStringLiteral("unknown GDAL error"), path)),
                     {path, row + 1});
      break;
    }
    detail::FeaturePtr guard(f);
    ++row;
    if (options.maxFeatures > 0 && row > options.maxFeatures)
      return Error(ErrorCode::InvalidValue,
                   QStringLiteral("layer '%1' has more than %2 features, the import limit").arg(out.name).arg(options.maxFeatures),
                   {path, row});
    if (feedback) {
      if (feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("reading was cancelled"), {path, row});
      if (total > 0 && row % 1024 == 0) feedback->setProgress(double(row) / double(total));
    }
    Feature feature;
    feature.fid = OGR_F_GetFID(f);
    for (int i = 0; i < out.fieldNames.size(); ++i) feature.attributes.insert(out.fieldNames[i], fieldValue(f, i));

    if (pointsFromColumns) {
      auto x = parseCoordinate(OGR_F_GetFieldAsString(f, xIndex), path, row, xName);
      if (!x) return x.error();
      auto y = parseCoordinate(OGR_F_GetFieldAsString(f, yIndex), path, row, yName);
      if (!y) return y.error();
      if (out.crs.isGeographic() && (std::abs(*x) > 180.0 || std::abs(*y) > 90.0))
        return Error(ErrorCode::InvalidValue, QStringLiteral("(%1, %2) is not a longitude/latitude").arg(*x).arg(*y),
                     {path, row, std::abs(*x) > 180.0 ? xName : yName});
      feature.geometry = Geometry::point({*x, *y});
    } else {
      const OGRGeometry* g = OGRGeometry::FromHandle(OGR_F_GetGeometryRef(f));
      if (g && options.validateGeometries && !g->IsEmpty() && !g->IsValid())
        return Error(ErrorCode::InvalidGeometry, QStringLiteral("invalid geometry: %1").arg(invalidityReason(g)),
                     {path, row, QStringLiteral("geometry")});
      auto converted = convert(g);
      if (!converted)
        return Error(ErrorCode::InvalidGeometry,
                     QStringLiteral("unsupported geometry type %1").arg(QString::fromUtf8(OGRGeometryTypeToName(g->getGeometryType()))),
                     {path, row, QStringLiteral("geometry")});
      if (swapXY)
        for (auto& part : converted->parts)
          for (auto& ring : part)
            for (auto& p : ring) std::swap(p.x, p.y);
      feature.geometry = std::move(*converted);
    }
    out.features.push_back(std::move(feature));
  }
  if (feedback) feedback->setProgress(1.0);
  return out;
}

}  // namespace netspatial::core
