#pragma once

// Hourly traffic series on a UTC axis, with the local time zone that gives them their weekly
// rhythm. Missing hours are NaN — explicit masks, never silent zeros.

#include "core/util/result.h"

#include <QDateTime>
#include <QString>

#include <span>
#include <vector>

namespace netspatial::core {

struct HourlySeries {
  QDateTime start;                           //!< UTC instant of the first hour (on the hour)
  QString timeZone = QStringLiteral("UTC");  //!< IANA id
  QString unit;
  std::vector<float> values;  //!< one per hour; NaN = missing

  QDateTime hourAt(std::size_t index) const { return start.addSecs(qint64(index) * 3600); }
  std::size_t missingCount() const;
};

//! One finer-grained observation (e.g. a 10-minute record).
struct TimedValue {
  QDateTime time;  //!< any time spec; converted to UTC
  double value = 0.0;
};

enum class Aggregation { Sum, Mean };

//! Aggregates finer observations into hours [start, start + hours). An hour with fewer than
//! `minSamplesPerHour` observations is missing (NaN), never zero. Observations outside the span
//! are ignored; `start` must be on the hour.
Result<HourlySeries> aggregateToHourly(std::span<const TimedValue> samples, const QDateTime& start, std::size_t hours, Aggregation mode,
                                       int minSamplesPerHour, const QString& timeZone = QStringLiteral("UTC"));

//! Index of the first hour that begins at Monday 00:00 in the series' local time zone.
Result<std::size_t> firstLocalMondayMidnight(const HourlySeries& series);

//! Indices into `series.values` of `hours` hours on the local wall clock from the local midnight
//! at index `first`: entry j is the hour that begins at the local date first + j / 24 days, time
//! j % 24 h. A daylight-saving change thus never shifts the daily rhythm (consecutive UTC hours
//! would shift it by an hour for the rest of the series): the hour skipped in spring repeats its
//! neighbour, the hour repeated in autumn is taken once. Entries may point past the series' end;
//! callers check.
Result<std::vector<std::size_t>> localWallClockIndices(const HourlySeries& series, std::size_t first, std::size_t hours);

//! The `index`-th whole 28-day window (672 hours) starting at a local Monday 00:00: the shape every
//! generator works on (DESIGN.md §6). Fails when the series does not hold that window.
Result<HourlySeries> mondayAlignedWindow(const HourlySeries& series, int index = 0, std::size_t hours = 672);

}  // namespace netspatial::core
