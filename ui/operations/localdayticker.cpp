#include "ui/operations/localdayticker.h"

#include <QFontMetricsF>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace netspatial::ui {

namespace {

// The y-axis labels and the frame take this much of the viewport's width; an estimate is enough,
// the thinning steps are coarse.
constexpr double kAxisMarginsPx = 130.0;
// Space kept between neighbouring labels, so that they read as separate.
constexpr double kLabelGapPx = 14.0;
// Hours are labelled when at most this many are in view.
constexpr double kMaxHoursForHourTicks = 72.0;

}  // namespace

LocalDayTicker::LocalDayTicker(QCPAxis* axis) : m_axis(axis) {}

QString LocalDayTicker::dayLabel(const QDate& date) { return QLocale::c().toString(date, QStringLiteral("ddd dd MMM")); }

void LocalDayTicker::setTimeSpan(const QDateTime& startUtc, const QTimeZone& zone, int hours) {
  m_marks.clear();
  if (!startUtc.isValid() || hours <= 0) return;
  const QTimeZone tz = zone.isValid() ? zone : QTimeZone::utc();
  QDateTime previous;
  for (int h = 0; h <= hours; ++h) {
    const QDateTime t = startUtc.addSecs(qint64(h) * 3600).toTimeZone(tz);
    const QTime time = t.time();
    if (time == QTime(0, 0)) {
      m_marks.push_back({double(h), dayLabel(t.date()), true, t.date().dayOfWeek() == 1, 0});
    } else {
      // Midnight inside the previous hour: zones with half-hour offsets, or a DST change at 00:00.
      if (previous.isValid() && previous.date() != t.date()) {
        const double back = double(time.msecsSinceStartOfDay()) / 3.6e6;
        const double key = std::clamp(double(h) - back, double(h - 1), double(h));
        m_marks.push_back({key, dayLabel(t.date()), true, t.date().dayOfWeek() == 1, 0});
      }
      if (time.minute() == 0 && time.second() == 0)
        m_marks.push_back({double(h), time.toString(QStringLiteral("HH:mm")), false, false, time.hour()});
    }
    previous = t;
  }
}

double LocalDayTicker::availableWidth() const {
  const QCustomPlot* plot = m_axis ? m_axis->parentPlot() : nullptr;
  const double width = plot ? double(plot->viewport().width()) : 800.0;
  return std::max(60.0, width - kAxisMarginsPx);
}

double LocalDayTicker::labelWidth(const QString& sample) const {
  const QFont font = m_axis ? m_axis->tickLabelFont() : QFont();
  return QFontMetricsF(font).horizontalAdvance(sample) + kLabelGapPx;
}

const LocalDayTicker::Mark* LocalDayTicker::markAt(double key) const {
  const auto it = std::lower_bound(m_marks.begin(), m_marks.end(), key - 1e-6, [](const Mark& m, double k) { return m.key < k; });
  if (it == m_marks.end() || std::abs(it->key - key) > 1e-6) return nullptr;
  return &*it;
}

double LocalDayTicker::getTickStep(const QCPRange& range) {
  // Not a regular step: createTickVector picks the marks. A day is what the ticks mostly are.
  (void)range;
  return 24.0;
}

int LocalDayTicker::getSubTickCount(double tickStep) {
  (void)tickStep;
  return 0;
}

QVector<double> LocalDayTicker::createTickVector(double tickStep, const QCPRange& range) {
  (void)tickStep;
  m_lastRange = range;
  QVector<double> ticks;
  if (m_marks.empty()) return ticks;
  const double available = availableWidth();
  const double dayWidth = labelWidth(QStringLiteral("Wed 30 Sep"));
  auto inRange = [&range](double key) { return key >= range.lower - 1e-9 && key <= range.upper + 1e-9; };

  // Short spans: hours as well as days, every 1, 2, 3, 6 or 12 hours, whichever fits first.
  if (range.size() <= kMaxHoursForHourTicks) {
    const double hourWidth = labelWidth(QStringLiteral("00:00"));
    for (const int step : {1, 2, 3, 6, 12}) {
      int days = 0, hours = 0;
      for (const Mark& m : m_marks) {
        if (!inRange(m.key)) continue;
        if (m.midnight)
          ++days;
        else if (m.hour % step == 0)
          ++hours;
      }
      if (days * dayWidth + hours * hourWidth > available) continue;
      for (const Mark& m : m_marks)
        if (inRange(m.key) && (m.midnight || m.hour % step == 0)) ticks.push_back(m.key);
      return ticks;
    }
  }

  // Days: every day, every other day, then whole weeks starting on Mondays.
  std::vector<const Mark*> midnights;
  for (const Mark& m : m_marks)
    if (m.midnight) midnights.push_back(&m);
  if (midnights.empty()) return ticks;
  int visible = 0;
  for (const Mark* m : midnights) visible += inRange(m->key) ? 1 : 0;
  int step = 1;
  const int steps[] = {1, 2, 7, 14, 28};
  for (int s : steps) {
    step = s;
    if (std::ceil(double(visible) / s) * dayWidth <= available) break;
  }
  while (std::ceil(double(visible) / step) * dayWidth > available && step < 1 << 20) step *= 2;
  // Counted from the first midnight (or Monday) of the whole span, not of the view, so that the
  // labelled days stay the same while the view pans.
  int anchor = 0;
  if (step % 7 == 0) {
    const auto monday = std::find_if(midnights.begin(), midnights.end(), [](const Mark* m) { return m->monday; });
    if (monday != midnights.end()) anchor = int(monday - midnights.begin());
  }
  for (int i = 0; i < int(midnights.size()); ++i) {
    const int offset = ((i - anchor) % step + step) % step;
    if (offset == 0 && inRange(midnights[std::size_t(i)]->key)) ticks.push_back(midnights[std::size_t(i)]->key);
  }
  return ticks;
}

QVector<double> LocalDayTicker::createSubTickVector(int subTickCount, const QVector<double>& ticks) {
  (void)subTickCount;
  // Every midnight that did not get a label: a day boundary is always drawn.
  QVector<double> sub;
  for (const Mark& m : m_marks) {
    if (!m.midnight || m.key < m_lastRange.lower || m.key > m_lastRange.upper) continue;
    const bool labelled = std::any_of(ticks.begin(), ticks.end(), [&m](double t) { return std::abs(t - m.key) < 1e-6; });
    if (!labelled) sub.push_back(m.key);
  }
  return sub;
}

QVector<QString> LocalDayTicker::createLabelVector(const QVector<double>& ticks, const QLocale& locale, QChar formatChar, int precision) {
  (void)locale;
  (void)formatChar;
  (void)precision;
  QVector<QString> labels;
  labels.reserve(ticks.size());
  for (double t : ticks) {
    const Mark* m = markAt(t);
    labels.push_back(m ? m->label : QString());
  }
  return labels;
}

}  // namespace netspatial::ui
