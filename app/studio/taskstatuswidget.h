#pragma once

// The one status-bar widget for every long job (issue 18): the running task's title and step, a
// progress bar, an honest estimate of the time left ("estimating…" until there is one), how many
// tasks wait behind it, and Cancel. It also holds the stall probe of DESIGN.md §13: a 5 ms timer
// whose late ticks measure how long the event loop was blocked, from a task's start until its
// results are drawn (a short tail after it ends; app/studio/stallprobe).

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;

namespace netspatial::app {

class StallProbe;
class TaskManager;

class TaskStatusWidget : public QWidget {
  Q_OBJECT

 public:
  TaskStatusWidget(TaskManager* tasks, QWidget* parent = nullptr);

  QProgressBar* progressBar() const { return m_bar; }
  QPushButton* cancelButton() const { return m_cancel; }
  QLabel* label() const { return m_label; }
  //! The text on show ("Generating traffic — 120 of 400 sites · about 12 s left (+1 queued)").
  QString text() const;

  //! Longest event-loop stall since the last task started, ms.
  double longestStallMs() const;

 Q_SIGNALS:
  //! The stall probe stopped after a task (and its tail) ended.
  void probeStopped(double longestStallMs);

 private:
  void update();
  void started();
  void idle();

  TaskManager* m_tasks;
  QLabel* m_label;
  QProgressBar* m_bar;
  QPushButton* m_cancel;
  QTimer* m_poll;
  StallProbe* m_probe;
};

}  // namespace netspatial::app
