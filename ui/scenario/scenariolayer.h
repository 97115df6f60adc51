#pragma once

#include "core/geo/crs.h"
#include "core/geo/geometry.h"
#include "ui/map/maplayer.h"

namespace netspatial::ui {

//! Base of the layers built from an in-memory core::Scenario. Everything in a scenario is in one
//! projected CRS (DESIGN.md §3), which becomes the map CRS; these layers therefore never
//! reproject, and refuse any other map CRS rather than silently drawing in the wrong place.
class ScenarioLayer : public MapLayer {
 public:
  const core::Crs& sourceCrs() const override { return m_crs; }
  core::Extent sourceExtent() const override { return m_extent; }
  core::Status setMapCrs(const core::Crs& mapCrs) override;

 protected:
  ScenarioLayer(QString name, QString file, core::Crs crs, core::Extent extent);

  core::Crs m_crs;
  core::Extent m_extent;
};

}  // namespace netspatial::ui
