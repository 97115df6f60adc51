#include "core/geo/ogrgeometry.h"

#include <algorithm>

namespace netspatial::core::detail {

namespace {

OGRGeometryH makeCurve(OGRwkbGeometryType type, const Geometry::Ring& ring) {
  OGRGeometryH h = OGR_G_CreateGeometry(type);
  if (!ring.empty()) {
    // PointXY is two packed doubles, so the coordinates go in with one strided copy.
    auto* base = const_cast<PointXY*>(ring.data());
    OGR_G_SetPoints(h, int(ring.size()), &base->x, sizeof(PointXY), &base->y, sizeof(PointXY), nullptr, 0);
  }
  return h;
}

OGRGeometryH makePolygon(const Geometry::Part& part) {
  OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
  for (const auto& ring : part) OGR_G_AddGeometryDirectly(poly, makeCurve(wkbLinearRing, ring));
  return poly;
}

Geometry::Ring ringFromOgr(OGRGeometryH h) {
  Geometry::Ring ring(std::size_t(std::max(0, OGR_G_GetPointCount(h))));
  if (!ring.empty()) OGR_G_GetPoints(h, &ring[0].x, sizeof(PointXY), &ring[0].y, sizeof(PointXY), nullptr, 0);
  return ring;
}

Geometry::Part polygonFromOgr(OGRGeometryH h) {
  Geometry::Part part;
  for (int i = 0; i < OGR_G_GetGeometryCount(h); ++i) part.push_back(ringFromOgr(OGR_G_GetGeometryRef(h, i)));
  return part;
}

}  // namespace

OGRGeometryH toOgr(const Geometry& g) {
  switch (g.type) {
    case GeometryType::Point: {
      OGRGeometryH h = OGR_G_CreateGeometry(wkbPoint);
      if (!g.parts.empty() && !g.parts[0].empty() && !g.parts[0][0].empty())
        OGR_G_SetPoint_2D(h, 0, g.parts[0][0][0].x, g.parts[0][0][0].y);
      return h;
    }
    case GeometryType::LineString:
      return makeCurve(wkbLineString, g.parts.empty() || g.parts[0].empty() ? Geometry::Ring{} : g.parts[0][0]);
    case GeometryType::Polygon:
      return g.parts.empty() ? OGR_G_CreateGeometry(wkbPolygon) : makePolygon(g.parts[0]);
    case GeometryType::MultiPoint: {
      OGRGeometryH h = OGR_G_CreateGeometry(wkbMultiPoint);
      for (const auto& part : g.parts)
        for (const auto& ring : part)
          for (const auto& p : ring) {
            OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
            OGR_G_SetPoint_2D(pt, 0, p.x, p.y);
            OGR_G_AddGeometryDirectly(h, pt);
          }
      return h;
    }
    case GeometryType::MultiLineString: {
      OGRGeometryH h = OGR_G_CreateGeometry(wkbMultiLineString);
      for (const auto& part : g.parts)
        if (!part.empty()) OGR_G_AddGeometryDirectly(h, makeCurve(wkbLineString, part[0]));
      return h;
    }
    case GeometryType::MultiPolygon: {
      OGRGeometryH h = OGR_G_CreateGeometry(wkbMultiPolygon);
      for (const auto& part : g.parts) OGR_G_AddGeometryDirectly(h, makePolygon(part));
      return h;
    }
  }
  return OGR_G_CreateGeometry(wkbPoint);
}

std::optional<Geometry> fromOgr(OGRGeometryH h) {
  if (!h) return std::nullopt;
  Geometry g;
  switch (wkbFlatten(OGR_G_GetGeometryType(h))) {
    case wkbPoint:
      g.type = GeometryType::Point;
      if (!OGR_G_IsEmpty(h)) g.parts = {{{PointXY{OGR_G_GetX(h, 0), OGR_G_GetY(h, 0)}}}};
      return g;
    case wkbLineString:
      g.type = GeometryType::LineString;
      g.parts = {{ringFromOgr(h)}};
      return g;
    case wkbPolygon:
      g.type = GeometryType::Polygon;
      g.parts = {polygonFromOgr(h)};
      return g;
    case wkbMultiPoint:
      g.type = GeometryType::MultiPoint;
      for (int i = 0; i < OGR_G_GetGeometryCount(h); ++i) {
        OGRGeometryH p = OGR_G_GetGeometryRef(h, i);
        g.parts.push_back({{PointXY{OGR_G_GetX(p, 0), OGR_G_GetY(p, 0)}}});
      }
      return g;
    case wkbMultiLineString:
      g.type = GeometryType::MultiLineString;
      for (int i = 0; i < OGR_G_GetGeometryCount(h); ++i) g.parts.push_back({ringFromOgr(OGR_G_GetGeometryRef(h, i))});
      return g;
    case wkbMultiPolygon:
      g.type = GeometryType::MultiPolygon;
      for (int i = 0; i < OGR_G_GetGeometryCount(h); ++i) g.parts.push_back(polygonFromOgr(OGR_G_GetGeometryRef(h, i)));
      return g;
    default:
      return std::nullopt;
  }
}

}  // namespace netspatial::core::detail
