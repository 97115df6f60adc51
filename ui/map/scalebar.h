#pragma once

#include "core/geo/coordinatetransform.h"
#include "ui/map/mapview.h"

#include <QPainter>
#include <QString>

#include <optional>

namespace netspatial::ui {

//! The scale bar: a "nice" ground length (1, 2 or 5 × 10ⁿ metres) that fits a maximum width,
//! measured on the ground (not in map units, which differ from metres by the projection's scale
//! factor: 0.9996–1.001 in UTM, 1/cos φ in Web Mercator, and degrees in geographic CRSs).
class ScaleBar {
 public:
  struct Layout {
    double lengthMetres = 0.0;  //!< ground length the bar stands for
    double widthPixels = 0.0;   //!< its width on screen (logical pixels)
    QString label;              //!< "500 m", "2 km"
    bool isValid() const { return lengthMetres > 0.0 && widthPixels > 0.0; }
  };

  //! The largest 1/2/5 × 10ⁿ not above `maxLength` (0 for a non-positive or non-finite input).
  static double niceLength(double maxLength);
  //! "20 cm" below 1 m, "250 m" below 1 km, "2 km" and "1.5 km" above.
  static QString formatLength(double metres);
  //! The bar for `groundMetresPerPixel`, at most `maxWidthPixels` wide.
  static Layout layout(double groundMetresPerPixel, double maxWidthPixels);

  //! Ground metres per logical pixel along the horizontal through `at`, from the ellipsoidal
  //! distance (WGS 84 radii of curvature) between two nearby points. `toLonLat` goes from the
  //! map CRS to WGS 84 lon/lat. Empty when the points cannot be transformed.
  static std::optional<double> groundMetresPerPixel(const MapView& view, const core::CoordinateTransform& toLonLat, QPointF at);
  //! Ellipsoidal (WGS 84) distance in metres between two close lon/lat points (degrees).
  static double groundDistance(core::PointXY lonLatA, core::PointXY lonLatB);

  //! Draws the bar with its label on a translucent plate, its bottom-left corner at `bottomLeft`.
  static void paint(QPainter& painter, QPointF bottomLeft, const Layout& layout);
};

}  // namespace netspatial::ui
