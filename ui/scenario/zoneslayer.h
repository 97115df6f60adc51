#pragma once

#include "core/scenario/scenario.h"
#include "ui/scenario/scenariolayer.h"

#include <array>
#include <memory>

namespace netspatial::ui {

//! Functional zones filled by class. Each class has one fixed colour (Okabe–Ito based, told apart
//! with the common colour-vision deficiencies) so that a planner learns it once across cities.
//!
//! A city has thousands of parcels (~20 ms to fill and outline at city scale): too slow for the
//! GUI thread while panning, so the layer is drawn like a raster, into an image on the canvas's
//! worker pool, and the GUI thread only moves that image.
class ZonesLayer : public ScenarioLayer {
 public:
  ZonesLayer(const std::vector<core::Zone>& zones, const core::Crs& crs, QString file = {});

  Kind kind() const override { return Kind::Raster; }
  QString description() const override;
  std::vector<LegendEntry> legend() const override;
  ImageRenderFunction imageRenderer() const override;

  static QColor colorFor(core::ZoneClass zoneClass);
  int zoneCount() const { return int(m_zones->size()); }

 private:
  struct Item {
    core::ZoneClass zoneClass;
    core::Geometry polygon;
    core::Extent extent;
  };
  static void paintZones(const std::vector<Item>& zones, QPainter& painter, const MapView& view);

  std::shared_ptr<const std::vector<Item>> m_zones;
  std::array<int, core::kZoneClassCount> m_counts{};
};

}  // namespace netspatial::ui
