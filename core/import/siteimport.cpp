#include "core/import/siteimport.h"

#include "core/geo/coordinatetransform.h"
#include "core/geo/gdalhandles.h"
#include "core/geo/ogrgeometry.h"
#include "core/geo/vectorreader.h"

#include <cmath>
#include <set>

namespace netspatial::core {

namespace {

// A layer read, bounded and ready to transform: what stations and traffic sites share.
struct PointLayer {
  VectorLayer layer;
  CoordinateTransform toScenario;
};

Result<PointLayer> readPointLayer(const PointSource& source, const ImportTarget& target, Feedback* feedback) {
  VectorReadOptions read;
  read.xField = source.xField;
  read.yField = source.yField;
  read.csvCrs = source.csvCrs;
  auto layer = readVectorLayer(source.path, read, feedback);
  if (!layer) return layer.error();
  if (qint64(layer->features.size()) > target.limits.maxFeatures)
    return Error(
        ErrorCode::InvalidValue,
        QStringLiteral("%1 features, more than the %2 an import accepts").arg(layer->features.size()).arg(target.limits.maxFeatures),
        {source.path});
  if (layer->features.empty()) return Error(ErrorCode::CorruptData, QStringLiteral("the layer has no features"), {source.path});
  if (!layer->crs.isValid())
    return Error(ErrorCode::UnknownCrs,
                 QStringLiteral("the layer has no coordinate reference system (add a .prj, or use a CSV with --stations-crs)"),
                 {source.path});
  auto transform = CoordinateTransform::create(layer->crs, target.crs);
  if (!transform) return transform.error().withFile(source.path);
  return PointLayer{std::move(*layer), std::move(*transform)};
}

Status requireField(const VectorLayer& layer, const QString& field, const QString& what) {
  if (field.isEmpty() || layer.fieldNames.contains(field)) return {};
  return Error(ErrorCode::MissingField,
               QStringLiteral("no %1 field '%2' (the layer has: %3)").arg(what, field, layer.fieldNames.join(QStringLiteral(", "))),
               {layer.file, std::nullopt, field});
}

QString text(const Feature& f, const QString& field) {
  return field.isEmpty() ? QString() : f.attributes.value(field).toString().trimmed();
}

// The id of row `row`: the id field's value (required non-empty and unique), else "<prefix><row>".
Result<QString> siteId(const Feature& f, qint64 row, const QString& idField, const QString& prefix, const QString& file,
                       std::set<QString>& seen) {
  QString id = idField.isEmpty() ? prefix + QString::number(row) : text(f, idField);
  if (id.isEmpty()) return Error(ErrorCode::MissingField, QStringLiteral("empty id"), {file, row, idField});
  if (!seen.insert(id).second) return Error(ErrorCode::InvalidValue, QStringLiteral("duplicate id '%1'").arg(id), {file, row, idField});
  return id;
}

// A point inside a polygon (OGR's PointOnSurface), the point of a point: where a site is.
Result<PointXY> sitePosition(const Geometry& g, qint64 row, const QString& file, bool polygonsAllowed) {
  if (g.isEmpty()) return Error(ErrorCode::InvalidGeometry, QStringLiteral("no geometry"), {file, row, QStringLiteral("geometry")});
  if (g.type == GeometryType::Point) return g.parts.front().front().front();
  if (polygonsAllowed && g.isPolygonal()) {
    detail::GeometryPtr ogr(detail::toOgr(g));
    detail::GeometryPtr inside(ogr ? OGR_G_PointOnSurface(ogr.get()) : nullptr);
    if (inside && !OGR_G_IsEmpty(inside.get())) return PointXY{OGR_G_GetX(inside.get(), 0), OGR_G_GetY(inside.get(), 0)};
    return Error(ErrorCode::InvalidGeometry, QStringLiteral("no point inside the polygon"), {file, row, QStringLiteral("geometry")});
  }
  return Error(ErrorCode::InvalidGeometry,
               polygonsAllowed ? QStringLiteral("a site must be a point or an area, not a line or a multi-point")
                               : QStringLiteral("a station must be a point"),
               {file, row, QStringLiteral("geometry")});
}

// Where a site is in the scenario CRS; nullopt when it lies outside the target extent.
Result<std::optional<PointXY>> placeInTarget(const Geometry& g, qint64 row, const QString& file, bool polygonsAllowed,
                                             const CoordinateTransform& toScenario, const ImportTarget& target) {
  auto position = sitePosition(g, row, file, polygonsAllowed);
  if (!position) return position.error();
  auto projected = toScenario.transform(*position);
  if (!projected) return projected.error().withFile(file).withRow(row);
  if (!target.extent.isEmpty() && !target.extent.contains(*projected)) return std::optional<PointXY>();
  return std::optional<PointXY>(*projected);
}

void reportOutside(ImportReport* report, const QString& file, int outside, const QString& what) {
  if (report && outside > 0) *report << QStringLiteral("%1: %2 %3 outside the scenario's extent left out").arg(file).arg(outside).arg(what);
}

}  // namespace

Result<std::vector<BaseStation>> importStations(const StationImportOptions& options, const ImportTarget& target, ImportReport* report,
                                                Feedback* feedback) {
  auto read = readPointLayer(options.source, target, feedback);
  if (!read) return read.error();
  const VectorLayer& layer = read->layer;
  const QString& file = layer.file;
  QString idField = options.idField;
  if (idField.isEmpty() && layer.fieldNames.contains(QStringLiteral("id"))) idField = QStringLiteral("id");
  for (const auto& [field, what] :
       {std::pair{idField, QStringLiteral("id")}, std::pair{options.nameField, QStringLiteral("name")},
        std::pair{options.typeField, QStringLiteral("type")}, std::pair{options.capacityField, QStringLiteral("capacity")}})
    if (Status s = requireField(layer, field, what); !s) return s.error();
  QMap<QString, StationType> mapping;
  for (auto it = options.typeMapping.begin(); it != options.typeMapping.end(); ++it) mapping.insert(it.key().toLower(), it.value());

  std::vector<BaseStation> stations;
  std::set<QString> seen;
  int outside = 0, defaultedCapacity = 0;
  qint64 row = 0;
  int repeated = 0;
  const bool keepFirst = options.duplicateIds == StationImportOptions::DuplicateIds::KeepFirst;
  for (const Feature& f : layer.features) {
    ++row;
    if (keepFirst && !idField.isEmpty() && seen.count(text(f, idField))) {
      ++repeated;
      continue;
    }
    auto id = siteId(f, row, idField, QStringLiteral("S"), file, seen);
    if (!id) return id.error();
    BaseStation s;
    s.id = options.idPrefix + *id;
    s.name = options.nameField.isEmpty() ? s.id : text(f, options.nameField);
    if (s.name.isEmpty()) s.name = s.id;
    s.type = options.defaultType;
    if (!options.typeField.isEmpty()) {
      const QString value = text(f, options.typeField);
      if (auto mapped = mapping.constFind(value.toLower()); mapped != mapping.constEnd())
        s.type = *mapped;
      else if (auto named = stationTypeFromName(value))
        s.type = *named;
      else
        return Error(ErrorCode::InvalidValue,
                     QStringLiteral("station type '%1' is neither in the type mapping nor 'macro' or 'micro'").arg(value),
                     {file, row, options.typeField});
    }
    s.capacity = options.defaultCapacity;
    if (!options.capacityField.isEmpty()) {
      const QString value = text(f, options.capacityField);
      if (value.isEmpty()) {
        ++defaultedCapacity;
      } else {
        bool ok = false;
        const double c = value.toDouble(&ok);
        if (!ok || !std::isfinite(c) || c < 0.0)
          return Error(ErrorCode::InvalidValue, QStringLiteral("capacity '%1' is not a non-negative number").arg(value),
                       {file, row, options.capacityField});
        s.capacity = c;
      }
    }
    auto position = placeInTarget(f.geometry, row, file, false, read->toScenario, target);
    if (!position) return position.error();
    if (!*position) {
      ++outside;
      continue;
    }
    s.position = **position;
    stations.push_back(std::move(s));
  }
  if (report) {
    if (options.typeField.isEmpty())
      *report << QStringLiteral("%1: no type field: every station is %2").arg(file, stationTypeName(options.defaultType));
    if (options.capacityField.isEmpty())
      *report << QStringLiteral("%1: no capacity field: every station has capacity %2%3")
                     .arg(file)
                     .arg(options.defaultCapacity)
                     .arg(options.defaultCapacity == 0.0 ? QStringLiteral(" (unknown)") : QString());
    else if (defaultedCapacity > 0)
      *report << QStringLiteral("%1: %2 stations without a capacity value get %3")
                     .arg(file)
                     .arg(defaultedCapacity)
                     .arg(options.defaultCapacity);
  }
  if (report && repeated > 0)
    *report << QStringLiteral("%1: %2 rows repeat an earlier station's id: its first row is kept").arg(file).arg(repeated);
  reportOutside(report, file, outside, QStringLiteral("stations"));
  if (stations.empty()) return Error(ErrorCode::OutOfExtent, QStringLiteral("no station lies inside the scenario's extent"), {file});
  return stations;
}

Result<std::vector<TrafficSite>> importTrafficSites(const TrafficSiteImportOptions& options, const ImportTarget& target,
                                                    ImportReport* report, Feedback* feedback) {
  if (options.idField.isEmpty())
    return Error(ErrorCode::MissingField, QStringLiteral("the traffic sites need an id field: the ids the traffic file uses"),
                 {options.source.path});
  auto read = readPointLayer(options.source, target, feedback);
  if (!read) return read.error();
  const VectorLayer& layer = read->layer;
  const QString& file = layer.file;
  for (const auto& [field, what] : {std::pair{options.idField, QStringLiteral("id")}, std::pair{options.nameField, QStringLiteral("name")}})
    if (Status s = requireField(layer, field, what); !s) return s.error();

  std::vector<TrafficSite> sites;
  std::set<QString> seen;
  int outside = 0;
  qint64 row = 0;
  for (const Feature& f : layer.features) {
    ++row;
    auto id = siteId(f, row, options.idField, QString(), file, seen);
    if (!id) return id.error();
    TrafficSite site;
    site.id = options.idPrefix + *id;
    site.name = options.nameField.isEmpty() ? site.id : text(f, options.nameField);
    if (site.name.isEmpty()) site.name = site.id;
    auto position = placeInTarget(f.geometry, row, file, true, read->toScenario, target);
    if (!position) return position.error();
    if (!*position) {
      ++outside;
      continue;
    }
    site.position = **position;
    if (f.geometry.isPolygonal()) {
      auto footprint = read->toScenario.transform(f.geometry);
      if (!footprint) return footprint.error().withFile(file).withRow(row);
      site.footprint = std::move(*footprint);
    }
    sites.push_back(std::move(site));
  }
  reportOutside(report, file, outside, QStringLiteral("traffic sites"));
  if (sites.empty()) return Error(ErrorCode::OutOfExtent, QStringLiteral("no traffic site lies inside the scenario's extent"), {file});
  return sites;
}

}  // namespace netspatial::core
