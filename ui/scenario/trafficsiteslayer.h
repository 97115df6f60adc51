#pragma once

#include "core/scenario/scenario.h"
#include "ui/scenario/scenariolayer.h"

#include <vector>

namespace netspatial::ui {

//! Places with observed traffic that are not stations (e.g. the Milan grid cells): each footprint
//! filled by its mean observed hourly traffic, so the busy cells show at a glance; sites without a
//! footprint are drawn as squares.
class TrafficSitesLayer : public ScenarioLayer {
 public:
  TrafficSitesLayer(const std::vector<core::TrafficSite>& sites, const core::HourlyTraffic& traffic, QString unit, const core::Crs& crs,
                    QString file = {});

  Kind kind() const override { return Kind::Vector; }
  QString description() const override;
  std::vector<LegendEntry> legend() const override;
  void paint(QPainter& painter, const MapView& view) const override;

 private:
  struct Site {
    core::Geometry footprint;
    core::PointXY position;
    double mean = 0.0;  //!< NaN without traffic
  };
  std::vector<Site> m_sites;
  double m_maximum = 0.0;
  QString m_unit;
};

}  // namespace netspatial::ui
