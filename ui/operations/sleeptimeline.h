#pragma once

#include "core/operations/sleepscheduler.h"

#include <QColor>
#include <QDateTime>
#include <QString>
#include <QTimeZone>
#include <QWidget>

#include <optional>
#include <utility>
#include <memory>
#include <vector>

class QCPColorMap;
class QCPTextElement;
class QCustomPlot;

namespace netspatial::ui {

class LocalDayTicker;

//! A sleep schedule as a heat strip (DESIGN.md §10): one row per station (the first at the top),
//! one column per hour on a local-time axis with a line at each local midnight; a cell is asleep
//! (dark blue), awake (light) or awake and absorbing a sleeping neighbour's load (orange). With
//! many stations the row labels are thinned to what fits. Hovering a cell tells the station, the
//! local hour and what it does (and to whom its load went, or whose load it takes).
//!
//! It only shows a core::SleepSchedule; it plans nothing.
class SleepTimeline : public QWidget {
  Q_OBJECT

 public:
  //! What a cell shows; also the value the colour map holds for it.
  enum CellState { Awake = 0, Absorbing = 1, Asleep = 2 };

  explicit SleepTimeline(QWidget* parent = nullptr);
  ~SleepTimeline() override;

  //! Shows `schedule`: its stations are rows labelled by `stationIds` (missing ids read "#12"),
  //! its hours run from `startUtc`, shown in `zone`'s local time. `title` names the policy.
  void setSchedule(const core::SleepSchedule& schedule, const std::vector<QString>& stationIds, const QDateTime& startUtc,
                   const QTimeZone& zone, const QString& title = {});
  //! The same without a copy (the study view shares its study's schedule).
  void setSchedule(std::shared_ptr<const core::SleepSchedule> schedule, const std::vector<QString>& stationIds, const QDateTime& startUtc,
                   const QTimeZone& zone, const QString& title = {});
  void clear();

  bool hasData() const { return stationCount() > 0 && hourCount() > 0; }
  int stationCount() const { return m_stations; }
  int hourCount() const { return m_hours; }
  const core::SleepSchedule& schedule() const { return *m_schedule; }

  //! The state of a cell as the schedule says (Awake outside the schedule).
  CellState stateAt(int station, int hour) const;
  //! The value the colour map holds at the centre of the cell (a CellState); NaN without data or
  //! outside it. What the picture shows, for tests.
  double cellValue(int station, int hour) const;
  //! (station, hour) of the cell under a widget position of plot(), if any.
  std::optional<std::pair<int, int>> cellAt(QPointF pixel) const;
  //! "S12, Mon 01 Jan 2024 03:00 CET: asleep, its load to S3 (60 %), S7 (40 %)".
  QString cellText(int station, int hour) const;
  //! cellText() of the cell under a widget position of plot(); empty when none.
  QString toolTipAt(QPointF pixel) const;
  //! Local time of the start of an hour of the schedule.
  QDateTime localTimeOfHour(int hour) const;
  //! Station-hours asleep in the schedule shown.
  int asleepStationHours() const { return m_asleepCount; }

  QCustomPlot* plot() const { return m_plot; }
  QCPColorMap* colorMap() const { return m_map; }
  QString title() const;

  static QColor stateColour(CellState state);
  static QString stateName(CellState state);

 private:
  QString stationLabel(int station) const;
  void rebuild(const QString& title);

  std::shared_ptr<const core::SleepSchedule> m_schedule = std::make_shared<const core::SleepSchedule>();
  std::vector<QString> m_ids;
  QDateTime m_startUtc;
  QTimeZone m_zone;
  int m_stations = 0;
  int m_hours = 0;
  int m_asleepCount = 0;
  std::vector<unsigned char> m_states;  //!< [hour × stations + station]: CellState

  QCustomPlot* m_plot;
  QCPColorMap* m_map;
  QCPTextElement* m_title;
  QSharedPointer<LocalDayTicker> m_timeTicker;
};

}  // namespace netspatial::ui
