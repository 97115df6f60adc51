#pragma once

#include "core/operations/sleepscheduler.h"
#include "ui/scenario/scenariolayer.h"

#include <optional>
#include <vector>

namespace netspatial::ui {

//! Where a sleep schedule saves (DESIGN.md §10): each station a circle filled by the hours it
//! sleeps, on a sequential ramp from pale yellow (never asleep) to dark blue (asleep the most),
//! the dark blue of the timeline's asleep cells. The ramp spans 0 h to the most any station
//! sleeps; the legend says so. The stations that sleep most are drawn last, on top.
class SleepHoursLayer : public ScenarioLayer {
 public:
  //! `positions` in `crs` (the scenario CRS), `ids` and `sleepHours` in the same order (the
  //! shortest of the three decides the count); `totalHours` is the schedule's length.
  //! `policyLabel` ("Forecast-driven (q=0.9)") goes into the layer name and the description.
  SleepHoursLayer(const std::vector<core::PointXY>& positions, const std::vector<QString>& ids, const std::vector<int>& sleepHours,
                  int totalHours, const core::Crs& crs, QString policyLabel = {}, QString file = {});

  //! Hours asleep per station of a schedule.
  static std::vector<int> sleepHoursOf(const core::SleepSchedule& schedule);

  Kind kind() const override { return Kind::Vector; }
  QString description() const override;
  //! Ramp entries from the most hours down to 0 h: "asleep 212 h (most)" … "0 h".
  std::vector<LegendEntry> legend() const override;
  void paint(QPainter& painter, const MapView& view) const override;

  //! Index of the station whose circle is nearest `mapPoint` within `tolerance` map units (the
  //! circle's radius in pixels × the view's resolution), if any.
  std::optional<int> stationAt(core::PointXY mapPoint, double tolerance) const;
  //! "S12 — asleep 212 of 672 h"; empty when no station is within `tolerance`.
  QString toolTipAt(core::PointXY mapPoint, double tolerance) const;
  QString toolTipFor(int index) const;

  int stationCount() const { return int(m_items.size()); }
  int totalHours() const { return m_totalHours; }
  int maximumHours() const { return m_maximum; }
  QString stationId(int index) const;
  int sleepHours(int index) const;
  //! The fill of a station's circle.
  QColor colourOf(int index) const;

  //! The ramp, t in [0, 1]: 0 pale yellow, 1 dark blue; lightness falls monotonically.
  static QColor rampColor(double t);
  static constexpr double kRadius = 6.0;           //!< logical pixels
  static constexpr double kLabelResolution = 4.0;  //!< ids and hours drawn at or below this

 private:
  struct Item {
    QString id;
    core::PointXY position;
    int hours = 0;
    QColor fill;
  };
  std::vector<Item> m_items;
  std::vector<int> m_drawOrder;  //!< fewest hours first
  int m_totalHours = 0;
  int m_maximum = 0;
  QString m_policy;
};

}  // namespace netspatial::ui
