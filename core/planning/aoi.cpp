#include "core/planning/aoi.h"

#include "core/geo/coordinatetransform.h"
#include "core/geo/vectorreader.h"

#include <algorithm>
#include <cmath>

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

Result<Geometry> readAoi(const QString& path, const Crs& target, const Extent& scenarioExtent) {
  auto polygons = readPolygons(path, target);
  if (!polygons) return polygons.error();
  Geometry aoi;
  if (polygons->size() == 1) {
    aoi = std::move(polygons->front());
  } else {
    aoi.type = GeometryType::MultiPolygon;
    for (const Geometry& g : *polygons)
      for (const auto& part : g.parts) aoi.parts.push_back(part);
  }
  const Extent e = aoi.extent();
  if (!scenarioExtent.isEmpty() && !e.intersects(scenarioExtent)) {
    const double dx = std::max({0.0, scenarioExtent.xMin - e.xMax, e.xMin - scenarioExtent.xMax});
    const double dy = std::max({0.0, scenarioExtent.yMin - e.yMax, e.yMin - scenarioExtent.yMax});
    return Error(ErrorCode::OutOfExtent,
                 QStringLiteral("the area of interest lies outside the scenario, %1 km from its edge: is it of another city, or in "
                                "another CRS than the file says?")
                     .arg(std::hypot(dx, dy) / 1000.0, 0, 'f', 1),
                 {path});
  }
  return aoi;
}

Geometry rectangleAoi(const Extent& e) {
  Geometry g;
  g.type = GeometryType::Polygon;
  g.parts = {{{{e.xMin, e.yMin}, {e.xMax, e.yMin}, {e.xMax, e.yMax}, {e.xMin, e.yMax}, {e.xMin, e.yMin}}}};
  return g;
}

}  // namespace netspatial::core
