#pragma once

#include "core/scenario/scenario.h"
#include "ui/scenario/scenariolayer.h"

namespace netspatial::ui {

//! Base stations: a macro site is a large triangle (an antenna mast), a micro cell a small circle,
//! so the two read apart even in grey. Names appear once zoomed in enough for them not to collide.
class StationsLayer : public ScenarioLayer {
 public:
  StationsLayer(const std::vector<core::BaseStation>& stations, const core::Crs& crs, QString file = {});

  Kind kind() const override { return Kind::Vector; }
  QString description() const override;
  std::vector<LegendEntry> legend() const override;
  void paint(QPainter& painter, const MapView& view) const override;

  //! Labels are drawn at resolutions (map units per pixel) at or below this.
  static constexpr double kLabelResolution = 4.0;
  static QColor colorFor(core::StationType type);

 private:
  struct Item {
    core::StationType type;
    QString label;
    core::PointXY position;
  };
  std::vector<Item> m_stations;
  int m_macro = 0;
  int m_micro = 0;
};

}  // namespace netspatial::ui
