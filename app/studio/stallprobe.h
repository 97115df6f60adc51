#pragma once

// The stall probe of DESIGN.md §13: a 5 ms timer whose late ticks measure how long the event loop
// was kept from running (the GUI thread "stalled"). Consecutive events without a tick between them
// count as one stall, as a user would feel them.

#include <QElapsedTimer>
#include <QObject>

class QTimer;

namespace netspatial::app {

class StallProbe : public QObject {
  Q_OBJECT

 public:
  explicit StallProbe(QObject* parent = nullptr);

  //! Starts measuring afresh (the longest stall goes back to 0).
  void start();
  //! Stops after `tailMs` (work posted by what just ended still counts), then emits stopped().
  void stopAfter(int tailMs);
  bool isRunning() const;
  //! Longest stall since start(), ms.
  double longestStallMs() const { return m_longestStallMs; }

 Q_SIGNALS:
  void stopped(double longestStallMs);

 private:
  QTimer* m_timer;
  QElapsedTimer m_tick;
  double m_longestStallMs = 0.0;
  quint64 m_run = 0;
};

}  // namespace netspatial::app
