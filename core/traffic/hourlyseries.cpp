#include "core/traffic/hourlyseries.h"

#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <limits>

namespace netspatial::core {

std::size_t HourlySeries::missingCount() const {
  return std::size_t(std::count_if(values.begin(), values.end(), [](float v) { return std::isnan(v); }));
}

Result<HourlySeries> aggregateToHourly(std::span<const TimedValue> samples, const QDateTime& start, std::size_t hours, Aggregation mode,
                                       int minSamplesPerHour, const QString& timeZone) {
  const QDateTime utcStart = start.toUTC();
  if (!utcStart.isValid() || utcStart.time().minute() != 0 || utcStart.time().second() != 0 || utcStart.time().msec() != 0)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the series must start on the hour"));
  if (minSamplesPerHour < 1) return Error(ErrorCode::InvalidArgument, QStringLiteral("minSamplesPerHour must be ≥ 1"));
  std::vector<double> sum(hours, 0.0);
  std::vector<int> count(hours, 0);
  const qint64 origin = utcStart.toSecsSinceEpoch();
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const TimedValue& s = samples[i];
    if (!s.time.isValid())
      return Error(ErrorCode::ParseError, QStringLiteral("observation %1 has no valid time").arg(i + 1),
                   {{}, qint64(i + 1), QStringLiteral("time")});
    if (!std::isfinite(s.value)) continue;  // a missing observation stays missing
    const qint64 offset = s.time.toSecsSinceEpoch() - origin;
    if (offset < 0) continue;
    const auto hour = std::size_t(offset / 3600);
    if (hour >= hours) continue;
    sum[hour] += s.value;
    ++count[hour];
  }
  HourlySeries out;
  out.start = utcStart;
  out.timeZone = timeZone;
  out.values.assign(hours, std::numeric_limits<float>::quiet_NaN());
  for (std::size_t h = 0; h < hours; ++h)
    if (count[h] >= minSamplesPerHour) out.values[h] = float(mode == Aggregation::Sum ? sum[h] : sum[h] / count[h]);
  return out;
}

Result<std::size_t> firstLocalMondayMidnight(const HourlySeries& series) {
  const QTimeZone tz(series.timeZone.toUtf8());
  if (!tz.isValid()) return Error(ErrorCode::InvalidArgument, QStringLiteral("unknown time zone '%1'").arg(series.timeZone));
  for (std::size_t i = 0; i < series.values.size(); ++i) {
    const QDateTime local = series.hourAt(i).toTimeZone(tz);
    if (local.date().dayOfWeek() == 1 && local.time().hour() == 0 && local.time().minute() == 0) return i;
  }
  return Error(ErrorCode::OutOfExtent, QStringLiteral("the series contains no local Monday 00:00"));
}

Result<std::vector<std::size_t>> localWallClockIndices(const HourlySeries& series, std::size_t first, std::size_t hours) {
  const QTimeZone tz(series.timeZone.toUtf8());
  if (!tz.isValid()) return Error(ErrorCode::InvalidArgument, QStringLiteral("unknown time zone '%1'").arg(series.timeZone));
  const QDateTime origin = series.hourAt(first);
  const QDate day0 = origin.toTimeZone(tz).date();
  std::vector<std::size_t> out(hours);
  std::size_t previous = first;
  for (std::size_t j = 0; j < hours; ++j) {
    const QDateTime local(day0.addDays(qint64(j / 24)), QTime(int(j % 24), 0), tz);
    // A wall-clock hour inside a spring gap does not exist: keep the previous hour's neighbour.
    std::size_t index = previous + (j == 0 ? 0 : 1);
    if (local.isValid()) {
      const qint64 seconds = origin.secsTo(local.toUTC());
      index = std::size_t(std::max<qint64>(0, qint64(first) + seconds / 3600));
    }
    out[j] = index;
    previous = index;
  }
  return out;
}

Result<HourlySeries> mondayAlignedWindow(const HourlySeries& series, int index, std::size_t hours) {
  if (index < 0) return Error(ErrorCode::InvalidArgument, QStringLiteral("window index must be ≥ 0"));
  auto first = firstLocalMondayMidnight(series);
  if (!first) return first.error();
  const std::size_t begin = *first + std::size_t(index) * hours;
  if (begin + hours > series.values.size())
    return Error(ErrorCode::OutOfExtent, QStringLiteral("window %1 (%2 h from the first local Monday) runs past the series' %3 h")
                                             .arg(index)
                                             .arg(hours)
                                             .arg(series.values.size()));
  HourlySeries out;
  out.start = series.hourAt(begin);
  out.timeZone = series.timeZone;
  out.unit = series.unit;
  out.values.assign(series.values.begin() + long(begin), series.values.begin() + long(begin + hours));
  return out;
}

}  // namespace netspatial::core
