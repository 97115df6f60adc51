#pragma once

// The status-bar side of one long job on the generator worker (DESIGN.md §10): a progress bar with
// the step and an ETA in the status message, a Cancel button, and the stall probe of DESIGN.md §13
// (a 5 ms timer whose late ticks measure how long the event loop was blocked). The planning and the
// operations controllers each own one; the job itself runs elsewhere.

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <functional>

class QMainWindow;
class QProgressBar;
class QPushButton;
class QTimer;

namespace netspatial::app {

class JobProgress : public QObject {
  Q_OBJECT

 public:
  //! `title` opens the status message ("Generating traffic"); `progress` and `step` are polled every
  //! 100 ms while the job runs. The widgets are named `objectPrefix` + "Progress" / "Cancel".
  JobProgress(QMainWindow* window, const QString& objectPrefix, const QString& title, const QString& cancelToolTip,
              std::function<double()> progress, std::function<QString()> step);

  //! The job started: shows the bar and Cancel, starts the clock and the stall probe.
  void start();
  //! Cancel was asked for: Cancel greys out and the status bar says so.
  void cancelling(const QString& message);
  //! The job ended: hides the bar and Cancel. The stall probe runs `probeTailMs` longer (results
  //! still being drawn belong to the job), then stops.
  void finish(int probeTailMs = 0);

  //! Milliseconds since start().
  double elapsedMs() const { return double(m_clock.nsecsElapsed()) * 1e-6; }
  //! Longest event-loop stall since start(), ms.
  double longestStallMs() const { return m_longestStallMs; }

 Q_SIGNALS:
  void cancelRequested();
  //! The stall probe stopped (after finish() and its tail).
  void probeStopped(double longestStallMs);

 private:
  void update();

  QMainWindow* m_window;
  QString m_title;
  std::function<double()> m_progressOf;
  std::function<QString()> m_stepOf;
  QProgressBar* m_bar;
  QPushButton* m_cancel;
  QTimer* m_poll;
  QTimer* m_probe;
  QElapsedTimer m_clock;
  QElapsedTimer m_tick;
  double m_longestStallMs = 0.0;
  quint64 m_run = 0;  //!< which start() a delayed probe stop belongs to
};

}  // namespace netspatial::app
