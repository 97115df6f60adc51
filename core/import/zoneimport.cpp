#include "core/import/zoneimport.h"

#include "core/geo/coordinatetransform.h"
#include "core/geo/gdalhandles.h"
#include "core/geo/ogrgeometry.h"
#include "core/geo/vectorreader.h"
#include "core/import/osmsource.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <array>

namespace netspatial::core {

namespace {

const QString kTableResource = QStringLiteral(":/import/osm_zone_classes.csv");

//! The embedded table, parsed once; a broken one is reported by importZones as an Error.
const Result<detail::OsmTagTable>& zoneTable() {
  static const Result<detail::OsmTagTable> table = detail::loadEmbeddedTagTable(
      kTableResource, QStringLiteral("zone"), [](const QString& n) { return zoneClassFromName(n).has_value(); });
  return table;
}

QStringList classNames() {
  QStringList names;
  for (int i = 0; i < kZoneClassCount; ++i) names << zoneClassName(ZoneClass(i));
  return names;
}

QString geometryTypeName(GeometryType t) {
  switch (t) {
    case GeometryType::Point:
      return QStringLiteral("a point");
    case GeometryType::LineString:
      return QStringLiteral("a line");
    case GeometryType::Polygon:
      return QStringLiteral("a polygon");
    case GeometryType::MultiPoint:
      return QStringLiteral("a multipoint");
    case GeometryType::MultiLineString:
      return QStringLiteral("a multiline");
    case GeometryType::MultiPolygon:
      return QStringLiteral("a multipolygon");
  }
  return {};
}

//! The polygonal parts of an OGR geometry (MakeValid may return a collection with stray lines).
std::optional<Geometry> polygonalPartsOf(OGRGeometryH g) {
  const OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(g));
  if (type == wkbPolygon || type == wkbMultiPolygon) return detail::fromOgr(g);
  if (type != wkbGeometryCollection) return std::nullopt;
  Geometry out;
  out.type = GeometryType::MultiPolygon;
  for (int i = 0; i < OGR_G_GetGeometryCount(g); ++i)
    if (auto part = polygonalPartsOf(OGR_G_GetGeometryRef(g, i)))
      for (auto& p : part->parts) out.parts.push_back(std::move(p));
  if (out.parts.empty()) return std::nullopt;
  if (out.parts.size() == 1) out.type = GeometryType::Polygon;
  return out;
}

struct Tally {
  qint64 read = 0;
  qint64 matched = 0;
  qint64 outside = 0;
  qint64 repaired = 0;
  qint64 unrepairable = 0;
  detail::UnmappedValues unmapped;
};

class ZoneImporter {
 public:
  ZoneImporter(const ZoneImportOptions& options, const ImportTarget& target, Feedback* feedback)
      : m_options(options), m_path(options.path), m_target(target), m_feedback(feedback) {}

  Result<std::vector<Zone>> run(ImportReport* report);

 private:
  Status readOsm();
  Status readVector();
  //! Transforms the polygon and keeps it unless it lies wholly outside the extent. `repair`
  //! (OSM): an invalid polygon is made valid by OGR instead of failing the import.
  Status add(ZoneClass zoneClass, const QString& name, const Geometry& polygon, qint64 row, bool repair);

  const ZoneImportOptions& m_options;
  const QString m_path;
  const ImportTarget& m_target;
  Feedback* m_feedback;
  CoordinateTransform m_transform;
  std::vector<Zone> m_zones;
  Tally m_tally;
  QStringList m_notes;
};

Status ZoneImporter::add(ZoneClass zoneClass, const QString& name, const Geometry& polygon, qint64 row, bool repair) {
  ++m_tally.matched;
  auto projected = m_transform.transform(polygon);
  if (!projected)
    return Error(ErrorCode::TransformFailed,
                 QStringLiteral("cannot transform to %1: %2").arg(m_target.crs.label(), projected.error().message()),
                 {m_path, row, QStringLiteral("geometry")});
  Geometry g = std::move(*projected);
  detail::GeometryPtr ogr(detail::toOgr(g));
  if (repair && !OGR_G_IsValid(ogr.get())) {
    // OSM's multipolygons are often slightly invalid (touching rings, a self-crossing outline);
    // the scenario wants valid polygons, and one bad outline must not fail a whole extract.
    detail::GeometryPtr valid(OGR_G_MakeValid(ogr.get()));
    std::optional<Geometry> fixed = valid ? polygonalPartsOf(valid.get()) : std::nullopt;
    if (!fixed) {
      ++m_tally.unrepairable;
      return {};
    }
    ++m_tally.repaired;
    g = std::move(*fixed);
    ogr.reset(detail::toOgr(g));
  }
  if (!m_target.extent.isEmpty()) {
    const Extent e = g.extent();
    bool inside = m_target.extent.intersects(e);
    if (inside && !m_target.extent.contains(e)) {
      // The bounding boxes overlap; only the shapes say whether the polygon reaches the extent.
      const Extent& x = m_target.extent;
      Geometry box;
      box.type = GeometryType::Polygon;
      box.parts = {{{{x.xMin, x.yMin}, {x.xMax, x.yMin}, {x.xMax, x.yMax}, {x.xMin, x.yMax}, {x.xMin, x.yMin}}}};
      detail::GeometryPtr boxOgr(detail::toOgr(box));
      inside = OGR_G_Intersects(ogr.get(), boxOgr.get());
    }
    if (!inside) {
      ++m_tally.outside;
      return {};
    }
  }
  m_zones.push_back({qint64(m_zones.size()) + 1, zoneClass, name, std::move(g)});
  return {};
}

Status ZoneImporter::readOsm() {
  const auto& table = zoneTable();
  if (!table) return table.error();
  QTemporaryDir scratch;
  if (!scratch.isValid()) return Error(ErrorCode::Io, QStringLiteral("no temporary folder: %1").arg(scratch.errorString()), {m_path});
  bool reordered = false;
  auto readPath = detail::osmFileInDriverOrder(m_path, scratch, &reordered);
  if (!readPath) return readPath.error();
  if (reordered)
    m_notes << QStringLiteral(
        "it lists ways before their nodes (as Overpass's `out;` does): read from a copy in node, way, relation order");
  // Land use is drawn as closed ways and multipolygon relations: both are in the driver's
  // multipolygons layer. Tagged nodes (points) and open ways (lines) are no zones.
  VectorReadOptions read;
  read.layerName = QStringLiteral("multipolygons");
  read.validateGeometries = false;  // repaired in add()
  read.maxFeatures = m_target.limits.maxFeatures;
  auto layer = readVectorLayer(*readPath, read, m_feedback);
  if (!layer) return detail::namingUserFile(layer.error(), *readPath, m_path);
  auto transform = detail::transformToTarget(*layer, m_path, m_target.crs);
  if (!transform) return transform.error();
  m_transform = *transform;
  qint64 row = 0;
  for (const Feature& f : layer->features) {
    ++row;
    ++m_tally.read;
    const QMap<QString, QString> tags = detail::osmTagsOf(f.attributes);
    const auto name = table->match(tags);
    if (!name || f.geometry.isEmpty() || !f.geometry.isPolygonal()) continue;
    if (Status s = add(*zoneClassFromName(*name), tags.value(QStringLiteral("name")), f.geometry, row, true); !s) return s;
  }
  return {};
}

Status ZoneImporter::readVector() {
  const detail::CategorisedSource source{m_path,
                                         m_options.classField,
                                         m_options.mappingFile,
                                         m_options.nameField,
                                         m_options.skipUnmapped,
                                         QStringLiteral("class"),
                                         QStringLiteral("name the field that holds each polygon's zone class"),
                                         QStringLiteral("zone class"),
                                         classNames()};
  auto layer = detail::readCategorisedLayer(source, m_target, m_feedback);
  if (!layer) return layer.error();
  m_transform = layer->transform;
  qint64 row = 0;
  for (const Feature& f : layer->layer.features) {
    ++row;
    ++m_tally.read;
    // The geometry first: a point layer given as zones is wrong whatever its class says.
    if (f.geometry.isEmpty() || !f.geometry.isPolygonal())
      return Error(ErrorCode::InvalidGeometry,
                   QStringLiteral("a zone must be a polygon; this is %1")
                       .arg(f.geometry.isEmpty() ? QStringLiteral("an empty geometry") : geometryTypeName(f.geometry.type)),
                   {m_path, row, QStringLiteral("geometry")});
    auto name = detail::taxonomyNameOf(source, *layer, f, row, m_tally.unmapped);
    if (!name) return name.error();
    if (!name->has_value()) continue;
    const QString zoneName = layer->nameField.isEmpty() ? QString() : f.attributes.value(layer->nameField).toString();
    if (Status s = add(*zoneClassFromName(**name), zoneName, f.geometry, row, false); !s) return s;
  }
  return {};
}

Result<std::vector<Zone>> ZoneImporter::run(ImportReport* report) {
  if (m_path.isEmpty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("no zone file given"));
  if (!m_target.crs.isValid()) return Error(ErrorCode::InvalidArgument, QStringLiteral("the scenario CRS is not valid"), {m_path});
  if (!QFileInfo::exists(m_path)) return Error(ErrorCode::FileNotFound, QStringLiteral("no such file"), {m_path});
  const bool osm = detail::isOsmFile(m_path);
  if (Status s = osm ? readOsm() : readVector(); !s) return s.error();

  // As for POIs: a zone file that yields no zone is an Error, so that a wrong file is noticed.
  if (m_tally.matched == 0)
    return Error(ErrorCode::CorruptData,
                 osm ? QStringLiteral("no land-use zones in the file (%1 polygons read, none matched the OSM tag table)").arg(m_tally.read)
                     : QStringLiteral("no land-use zones in the file (%1 polygons read, %2 with unmapped values skipped)")
                           .arg(m_tally.read)
                           .arg(m_tally.unmapped.count),
                 {m_path});
  if (m_zones.empty())
    return Error(ErrorCode::OutOfExtent,
                 QStringLiteral("all %1 zones lie outside the scenario extent: is it the right place?").arg(m_tally.outside), {m_path});
  if (m_feedback) m_feedback->setProgress(1.0);

  if (report) {
    const QString file = QFileInfo(m_path).fileName();
    std::array<int, kZoneClassCount> counts{};
    for (const Zone& z : m_zones) ++counts[std::size_t(z.zoneClass)];
    QStringList parts;
    for (int i = 0; i < kZoneClassCount; ++i)
      if (counts[std::size_t(i)] > 0) parts << QStringLiteral("%1 %2").arg(zoneClassName(ZoneClass(i))).arg(counts[std::size_t(i)]);
    *report << QStringLiteral("%1: %2 zones (%3)").arg(file).arg(m_zones.size()).arg(parts.join(QStringLiteral(", ")));
    for (const QString& note : m_notes) *report << QStringLiteral("%1: %2").arg(file, note);
    if (osm && m_tally.read > m_tally.matched)
      *report << QStringLiteral("%1: %2 of %3 OSM polygons match no row of the zone table (buildings, brownfield, …): not zones")
                     .arg(file)
                     .arg(m_tally.read - m_tally.matched)
                     .arg(m_tally.read);
    if (m_tally.repaired > 0) *report << QStringLiteral("%1: %2 invalid polygons repaired (OGR MakeValid)").arg(file).arg(m_tally.repaired);
    if (m_tally.unrepairable > 0)
      *report << QStringLiteral("%1: %2 invalid polygons could not be repaired: dropped").arg(file).arg(m_tally.unrepairable);
    if (m_tally.unmapped.count > 0)
      *report << QStringLiteral("%1: %2 polygons with unmapped %3 values skipped (%4)")
                     .arg(file)
                     .arg(m_tally.unmapped.count)
                     .arg(m_options.classField, m_tally.unmapped.first.join(QStringLiteral(", ")));
    if (m_tally.outside > 0)
      *report << QStringLiteral("%1: %2 zones wholly outside the scenario extent dropped").arg(file).arg(m_tally.outside);
  }
  return std::move(m_zones);
}

}  // namespace

std::optional<ZoneClass> zoneClassFromOsmTags(const QMap<QString, QString>& tags) {
  const auto& table = zoneTable();
  if (!table) return std::nullopt;
  const auto name = table->match(tags);
  return name ? zoneClassFromName(*name) : std::nullopt;
}

Result<std::vector<Zone>> importZones(const ZoneImportOptions& options, const ImportTarget& target, ImportReport* report,
                                      Feedback* feedback) {
  return ZoneImporter(options, target, feedback).run(report);
}

}  // namespace netspatial::core
