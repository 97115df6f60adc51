#pragma once

#include "core/geo/geometry.h"
#include "ui/scenario/scenariolayer.h"

namespace netspatial::ui {

//! The area of interest as an outline only: it frames the study area without hiding anything.
class AoiLayer : public ScenarioLayer {
 public:
  AoiLayer(core::Geometry aoi, const core::Crs& crs, QString file = {});

  Kind kind() const override { return Kind::Vector; }
  QString description() const override;
  std::vector<LegendEntry> legend() const override;
  void paint(QPainter& painter, const MapView& view) const override;

 private:
  core::Geometry m_aoi;
};

}  // namespace netspatial::ui
