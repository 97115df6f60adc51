#pragma once

#include <limits>
#include <vector>

namespace netspatial::core {

//! A coordinate in "traditional GIS order": x = easting or longitude, y = northing or latitude.
struct PointXY {
  double x = 0.0;
  double y = 0.0;
  friend bool operator==(const PointXY&, const PointXY&) = default;
};

//! Axis-aligned bounds; empty until something is included.
struct Extent {
  double xMin = std::numeric_limits<double>::infinity();
  double yMin = std::numeric_limits<double>::infinity();
  double xMax = -std::numeric_limits<double>::infinity();
  double yMax = -std::numeric_limits<double>::infinity();

  static Extent fromCorners(double x0, double y0, double x1, double y1);
  static Extent aroundCentre(PointXY centre, double width, double height);

  bool isEmpty() const { return !(xMin <= xMax && yMin <= yMax); }
  double width() const { return isEmpty() ? 0.0 : xMax - xMin; }
  double height() const { return isEmpty() ? 0.0 : yMax - yMin; }
  PointXY centre() const { return {(xMin + xMax) / 2.0, (yMin + yMax) / 2.0}; }
  void include(PointXY p);
  void include(const Extent& other);
  bool contains(PointXY p) const;
  bool contains(const Extent& other) const;
  bool intersects(const Extent& other) const;
  Extent intersected(const Extent& other) const;
};

enum class GeometryType { Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon };

//! A simple-features geometry as plain coordinates: parts → rings → points.
//! Point: one part, one ring, one point. LineString: one part, one ring.
//! Polygon: one part whose first ring is the exterior and the rest holes. Multi*: several parts.
struct Geometry {
  using Ring = std::vector<PointXY>;
  using Part = std::vector<Ring>;

  GeometryType type = GeometryType::Point;
  std::vector<Part> parts;

  static Geometry point(PointXY p);
  bool isEmpty() const;
  bool isPolygonal() const { return type == GeometryType::Polygon || type == GeometryType::MultiPolygon; }
  bool isLinear() const { return type == GeometryType::LineString || type == GeometryType::MultiLineString; }
  bool isPuntal() const { return type == GeometryType::Point || type == GeometryType::MultiPoint; }
  Extent extent() const;
  std::size_t pointCount() const;
  //! Signed-area-weighted centroid for polygons, length-weighted for lines, mean for points.
  PointXY centroid() const;
  //! Planar area in squared CRS units (holes subtracted); 0 for non-polygons.
  double area() const;
};

}  // namespace netspatial::core
