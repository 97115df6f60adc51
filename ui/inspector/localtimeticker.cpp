#include "ui/inspector/localtimeticker.h"

namespace netspatial::ui {

LocalTimeTicker::LocalTimeTicker() { setDateTimeSpec(Qt::UTC); }

double LocalTimeTicker::localKey(const QDateTime& instant, const QTimeZone& zone) {
  const qint64 offset = zone.isValid() ? zone.offsetFromUtc(instant) : 0;
  return double(instant.toSecsSinceEpoch() + offset);
}

QVector<double> LocalTimeTicker::createTickVector(double tickStep, const QCPRange& range) {
  // The base ticker's multiples of the step from the origin; QCPAxisTickerDateTime would move
  // them to the origin's time of day in the machine's zone, which is not the scenario's.
  // Month steps (inspecting years of data) are uneven and would need the date arithmetic, but the
  // inspector shows at most weeks.
  return QCPAxisTicker::createTickVector(tickStep, range);
}

}  // namespace netspatial::ui
