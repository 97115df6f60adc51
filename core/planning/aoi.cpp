#include "core/planning/aoi.h"

#include "core/geo/coordinatetransform.h"
#include "core/geo/vectorreader.h"

namespace netspatial::core {

Result<std::vector<Geometry>> readPolygons(const QString& path, const Crs& target) {
  auto layer = readVectorLayer(path);
  if (!layer) return layer.error();
  auto transform = CoordinateTransform::create(layer->crs.isValid() ? layer->crs : Crs::wgs84(), target);
  if (!transform) return Error(transform.error().code(), transform.error().message(), {path});
  std::vector<Geometry> out;
  for (const Feature& f : layer->features) {
    if (!f.geometry.isPolygonal()) continue;
    auto g = transform->transform(f.geometry);
    if (!g) return Error(g.error().code(), QStringLiteral("feature %1: %2").arg(f.fid).arg(g.error().message()), {path, f.fid});
    out.push_back(std::move(*g));
  }
  if (out.empty())
    return Error(ErrorCode::InvalidGeometry, QStringLiteral("the file has no polygon (an area needs a Polygon or MultiPolygon)"), {path});
  return out;
}

Result<Geometry> readAoi(const QString& path, const Crs& target) {
  auto polygons = readPolygons(path, target);
  if (!polygons) return polygons.error();
  if (polygons->size() == 1) return polygons->front();
  Geometry multi;
  multi.type = GeometryType::MultiPolygon;
  for (const Geometry& g : *polygons)
    for (const auto& part : g.parts) multi.parts.push_back(part);
  return multi;
}

Geometry rectangleAoi(const Extent& e) {
  Geometry g;
  g.type = GeometryType::Polygon;
  g.parts = {{{{e.xMin, e.yMin}, {e.xMax, e.yMin}, {e.xMax, e.yMax}, {e.xMin, e.yMax}, {e.xMin, e.yMin}}}};
  return g;
}

}  // namespace netspatial::core
