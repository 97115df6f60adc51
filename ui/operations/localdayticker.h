#pragma once

#include <QDateTime>
#include <QTimeZone>

#include "ui/inspector/customplot.h"

#include <vector>

namespace netspatial::ui {

//! Ticks for an axis whose keys are hours since a UTC start (hour h is the cell [h, h + 1)),
//! labelled in a time zone's local time: a labelled tick at local midnights ("Mon 01 Jan"),
//! thinned to every 2nd day, then to Mondays, every other Monday… when the axis is too narrow for
//! all of them; the unlabelled midnights stay as sub-ticks (the sub-grid), so every day boundary
//! remains visible. When at most three days are in view, hours are labelled too ("06:00").
//!
//! Hours since the start rather than local wall-clock keys (LocalTimeTicker): the hours of a
//! schedule are cells, and across a DST change local keys would overlap (autumn) or leave a gap
//! (spring). Here a 23- or 25-hour day is simply a narrower or wider day.
//!
//! How many labels fit is judged from the plot's viewport, which QCustomPlot sets before it lays
//! out an export (the axis rect still has its on-screen size then), so an exported image of any
//! size gets labels that fit it.
class LocalDayTicker : public QCPAxisTicker {
 public:
  explicit LocalDayTicker(QCPAxis* axis);

  //! The hours the axis spans: `hours` hours from `startUtc`, labelled in `zone` (UTC when invalid).
  void setTimeSpan(const QDateTime& startUtc, const QTimeZone& zone, int hours);

  struct Mark {
    double key = 0.0;  //!< hours since the start
    QString label;     //!< "Mon 01 Jan" at a midnight, "06:00" otherwise
    bool midnight = false;
    bool monday = false;  //!< a midnight starting a Monday
    int hour = 0;         //!< local hour of the day (0 at midnights)
  };
  //! Every local midnight and every whole local hour in the span, in key order.
  const std::vector<Mark>& marks() const { return m_marks; }

  //! Day labels: "Mon 01 Jan" (English names, whatever the machine's locale, like the rest of the UI).
  static QString dayLabel(const QDate& date);

 protected:
  double getTickStep(const QCPRange& range) override;
  int getSubTickCount(double tickStep) override;
  QVector<double> createTickVector(double tickStep, const QCPRange& range) override;
  QVector<double> createSubTickVector(int subTickCount, const QVector<double>& ticks) override;
  QVector<QString> createLabelVector(const QVector<double>& ticks, const QLocale& locale, QChar formatChar, int precision) override;

 private:
  //! Width in logical pixels the tick labels may use (the viewport less the axis margins).
  double availableWidth() const;
  double labelWidth(const QString& sample) const;
  const Mark* markAt(double key) const;

  QCPAxis* m_axis;
  std::vector<Mark> m_marks;
  QCPRange m_lastRange;  //!< createSubTickVector is not told the range; createTickVector is
};

}  // namespace netspatial::ui
