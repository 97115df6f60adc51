#pragma once

#include <QDateTime>
#include <QTimeZone>

#include "ui/inspector/customplot.h"

namespace netspatial::ui {

//! A date/time ticker whose keys are local wall-clock seconds: the UTC instant plus the time
//! zone's offset at that instant, labelled as if UTC. QCPAxisTickerDateTime with a time zone only
//! relabels UTC-aligned ticks (day ticks would fall at 01:00 in Rome) and snaps them to the
//! machine's local time of day; here ticks are multiples of the step from a local midnight, so a
//! day tick is a local midnight in the scenario's zone whatever the machine's zone is. Across a
//! DST change the keys jump by the change (a one-hour gap in spring, a repeated hour in autumn),
//! which is what a local clock shows.
class LocalTimeTicker : public QCPAxisTickerDateTime {
 public:
  LocalTimeTicker();

  //! The key of `instant` in `zone` (UTC when the zone is invalid).
  static double localKey(const QDateTime& instant, const QTimeZone& zone);
  //! Ticks (and so day and week steps) start from this key, e.g. the local Monday 00:00 of hour 0.
  void setLocalOrigin(double key) { setTickOrigin(key); }

 protected:
  QVector<double> createTickVector(double tickStep, const QCPRange& range) override;
};

}  // namespace netspatial::ui
