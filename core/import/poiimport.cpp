#include "core/import/poiimport.h"

#include "core/geo/coordinatetransform.h"
#include "core/geo/gdalhandles.h"
#include "core/geo/ogrgeometry.h"
#include "core/geo/vectorreader.h"
#include "core/import/osmsource.h"

#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>

#include <array>

namespace netspatial::core {

namespace {

const QString kTableResource = QStringLiteral(":/import/osm_poi_categories.csv");

//! The embedded table, parsed once.
const Result<detail::OsmTagTable>& poiTable() {
  static const Result<detail::OsmTagTable> table = detail::loadEmbeddedTagTable(
      kTableResource, QStringLiteral("POI"), [](const QString& n) { return poiCategoryFromName(n).has_value(); });
  return table;
}

QStringList categoryNames() {
  QStringList names;
  for (int i = 0; i < kPoiCategoryCount; ++i) names << poiCategoryName(PoiCategory(i));
  return names;
}

//! The POI's position in the target CRS: a point as it is; anything else (polygons above all) by
//! OGR's point on surface, computed after the transformation so that it lies inside the polygon
//! as the scenario draws it (a centroid can fall outside an L-shaped building).
Result<PointXY> representativePoint(const Geometry& g, const CoordinateTransform& transform, const QString& path, qint64 row) {
  if (g.isEmpty())
    return Error(ErrorCode::InvalidGeometry, QStringLiteral("the feature has no geometry"), {path, row, QStringLiteral("geometry")});
  auto projected = transform.transform(g);
  if (!projected)
    return Error(ErrorCode::TransformFailed,
                 QStringLiteral("cannot transform to %1: %2").arg(transform.target().label(), projected.error().message()),
                 {path, row, QStringLiteral("geometry")});
  if (projected->type == GeometryType::Point) return projected->parts[0][0][0];
  detail::GeometryPtr ogr(detail::toOgr(*projected));
  detail::GeometryPtr point(OGR_G_PointOnSurface(ogr.get()));
  if (!point || OGR_G_IsEmpty(point.get()))
    return Error(ErrorCode::InvalidGeometry, QStringLiteral("the geometry has no point on its surface (degenerate)"),
                 {path, row, QStringLiteral("geometry")});
  return PointXY{OGR_G_GetX(point.get(), 0), OGR_G_GetY(point.get(), 0)};
}

//! What the import saw, for the report and for the "nothing found" errors.
struct Tally {
  qint64 read = 0;
  qint64 matched = 0;
  qint64 outside = 0;
  detail::UnmappedValues unmapped;
};

class PoiImporter {
 public:
  PoiImporter(const PoiImportOptions& options, const ImportTarget& target, Feedback* feedback)
      : m_options(options), m_path(options.path), m_target(target), m_feedback(feedback) {}

  Result<std::vector<Poi>> run(ImportReport* report);

 private:
  Status readOsm();
  Status readVector();
  //! Keeps the POI when it lies inside the extent; counts it otherwise.
  void add(PoiCategory category, const QString& name, PointXY position);

  const PoiImportOptions& m_options;
  const QString m_path;
  const ImportTarget& m_target;
  Feedback* m_feedback;
  std::vector<Poi> m_pois;
  Tally m_tally;
  QStringList m_notes;
};

void PoiImporter::add(PoiCategory category, const QString& name, PointXY position) {
  ++m_tally.matched;
  if (!m_target.extent.isEmpty() && !m_target.extent.contains(position)) {
    ++m_tally.outside;
    return;
  }
  m_pois.push_back({qint64(m_pois.size()) + 1, category, name, position});
}

Status PoiImporter::readOsm() {
  const auto& table = poiTable();
  if (!table) return table.error();
  QTemporaryDir scratch;
  if (!scratch.isValid()) return Error(ErrorCode::Io, QStringLiteral("no temporary folder: %1").arg(scratch.errorString()), {m_path});
  bool reordered = false;
  auto readPath = detail::osmFileInDriverOrder(m_path, scratch, &reordered);
  if (!readPath) return readPath.error();
  if (reordered)
    m_notes << QStringLiteral(
        "it lists ways before their nodes (as Overpass's `out;` does): read from a copy in node, way, relation order");
  // Nodes are POIs as they are; closed ways and multipolygon relations through a point inside them.
  // (The lines layer holds roads and other open ways: no POIs.)
  const std::array<QString, 2> layers{QStringLiteral("points"), QStringLiteral("multipolygons")};
  for (std::size_t k = 0; k < layers.size(); ++k) {
    Feedback fb = Feedback::childOf(m_feedback, double(k) / 2.0, double(k + 1) / 2.0, QStringLiteral("reading OSM %1").arg(layers[k]));
    VectorReadOptions read;
    read.layerName = layers[k];
    // OSM's polygons are often not OGC-valid (touching rings, a self-intersection in a big
    // landuse outline); a point on the surface exists regardless, so one such building must not
    // fail the whole extract.
    read.validateGeometries = false;
    read.maxFeatures = m_target.limits.maxFeatures;
    auto layer = readVectorLayer(*readPath, read, m_feedback ? &fb : nullptr);
    if (!layer) return detail::namingUserFile(layer.error(), *readPath, m_path);
    auto transform = detail::transformToTarget(*layer, m_path, m_target.crs);
    if (!transform) return transform.error();
    qint64 row = 0;
    for (const Feature& f : layer->features) {
      ++row;
      ++m_tally.read;
      const QMap<QString, QString> tags = detail::osmTagsOf(f.attributes);
      const auto name = table->match(tags);
      if (!name) continue;
      if (f.geometry.isEmpty()) continue;  // a relation the driver could not assemble: nothing to place
      auto position = representativePoint(f.geometry, *transform, m_path, row);
      if (!position) return position.error();
      add(*poiCategoryFromName(*name), tags.value(QStringLiteral("name")), *position);
    }
  }
  return {};
}

Status PoiImporter::readVector() {
  const detail::CategorisedSource source{m_path,
                                         m_options.categoryField,
                                         m_options.mappingFile,
                                         m_options.nameField,
                                         m_options.skipUnmapped,
                                         QStringLiteral("category"),
                                         QStringLiteral("name the field that holds each feature's category"),
                                         QStringLiteral("POI category"),
                                         categoryNames()};
  auto layer = detail::readCategorisedLayer(source, m_target, m_feedback);
  if (!layer) return layer.error();
  qint64 row = 0;
  for (const Feature& f : layer->layer.features) {
    ++row;
    ++m_tally.read;
    auto name = detail::taxonomyNameOf(source, *layer, f, row, m_tally.unmapped);
    if (!name) return name.error();
    if (!name->has_value()) continue;
    auto position = representativePoint(f.geometry, layer->transform, m_path, row);
    if (!position) return position.error();
    add(*poiCategoryFromName(**name), layer->nameField.isEmpty() ? QString() : f.attributes.value(layer->nameField).toString(), *position);
  }
  return {};
}

Result<std::vector<Poi>> PoiImporter::run(ImportReport* report) {
  if (m_path.isEmpty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("no POI file given"));
  if (!m_target.crs.isValid()) return Error(ErrorCode::InvalidArgument, QStringLiteral("the scenario CRS is not valid"), {m_path});
  if (!QFileInfo::exists(m_path)) return Error(ErrorCode::FileNotFound, QStringLiteral("no such file"), {m_path});
  const bool osm = detail::isOsmFile(m_path);
  if (Status s = osm ? readOsm() : readVector(); !s) return s.error();

  // Nothing at all is an Error, not an empty layer: a user who gave a POI file expects POIs, and an
  // extract of the wrong place (or of roads only) should not pass unnoticed.
  if (m_tally.matched == 0)
    return Error(
        ErrorCode::CorruptData,
        osm ? QStringLiteral("no points of interest in the file (%1 features read, none matched the OSM tag table)").arg(m_tally.read)
            : QStringLiteral("no points of interest in the file (%1 features read, %2 with unmapped values skipped)")
                  .arg(m_tally.read)
                  .arg(m_tally.unmapped.count),
        {m_path});
  if (m_pois.empty())
    return Error(ErrorCode::OutOfExtent,
                 QStringLiteral("all %1 points of interest lie outside the scenario extent: is it the right place?").arg(m_tally.outside),
                 {m_path});
  if (m_feedback) m_feedback->setProgress(1.0);

  if (report) {
    const QString file = QFileInfo(m_path).fileName();
    std::array<int, kPoiCategoryCount> counts{};
    for (const Poi& p : m_pois) ++counts[std::size_t(p.category)];
    QStringList parts;
    for (int i = 0; i < kPoiCategoryCount; ++i)
      if (counts[std::size_t(i)] > 0) parts << QStringLiteral("%1 %2").arg(poiCategoryName(PoiCategory(i))).arg(counts[std::size_t(i)]);
    *report << QStringLiteral("%1: %2 points of interest (%3)").arg(file).arg(m_pois.size()).arg(parts.join(QStringLiteral(", ")));
    for (const QString& note : m_notes) *report << QStringLiteral("%1: %2").arg(file, note);
    if (osm && m_tally.read > m_tally.matched)
      *report << QStringLiteral("%1: %2 of %3 OSM features match no row of the POI table (roads, plain buildings, …): not imported")
                     .arg(file)
                     .arg(m_tally.read - m_tally.matched)
                     .arg(m_tally.read);
    if (m_tally.unmapped.count > 0)
      *report << QStringLiteral("%1: %2 features with unmapped %3 values skipped (%4)")
                     .arg(file)
                     .arg(m_tally.unmapped.count)
                     .arg(m_options.categoryField, m_tally.unmapped.first.join(QStringLiteral(", ")));
    if (m_tally.outside > 0)
      *report << QStringLiteral("%1: %2 points of interest outside the scenario extent dropped").arg(file).arg(m_tally.outside);
  }
  return std::move(m_pois);
}

}  // namespace

std::optional<PoiCategory> poiCategoryFromOsmTags(const QMap<QString, QString>& tags) {
  const auto& table = poiTable();
  if (!table) return std::nullopt;
  const auto name = table->match(tags);
  return name ? poiCategoryFromName(*name) : std::nullopt;
}

Result<std::vector<Poi>> importPois(const PoiImportOptions& options, const ImportTarget& target, ImportReport* report, Feedback* feedback) {
  return PoiImporter(options, target, feedback).run(report);
}

}  // namespace netspatial::core
