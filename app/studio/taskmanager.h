#pragma once

// The one task system of the studio (issue 18; after QGIS's QgsTaskManager): every long job —
// simulating or opening a city, saving, generating traffic, an operations study — is a Task
// submitted here. Tasks run one at a time in submission order (the rest wait in a queue, shown in
// the status bar), off the GUI thread: on the manager's own worker thread, or on an executor
// object's thread (the generator worker, which owns the model). A task's `finished` runs on the
// GUI thread, always exactly once: after success, failure or cancellation (a cancelled task leaves
// the project as it was: it only ever reads an immutable version of it).
//
// A task declares the project parts it reads. The rule for an edit of those parts while it runs:
//   - Refuse: direct edits are refused with a message (the controllers ask refusal() first);
//   - an undo or redo that changes them cancels the task (an undo cannot be refused), and its
//     result, computed from a version no longer on show, is never applied.
// Saves and studies read immutable versions and declare nothing: editing during them is safe.

#include "app/studio/projectdocument.h"
#include "core/util/feedback.h"
#include "core/util/inbox.h"
#include "core/util/result.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <deque>
#include <functional>
#include <memory>

class QThread;

namespace netspatial::app {

struct Task {
  QString title;                                      //!< "Saving town.gpkg", shown in the status bar
  ProjectParts reads;                                 //!< parts whose edits conflict with the task
  core::Inbox::Address executor;                      //!< run on this inbox's thread; null = the manager's worker
  std::function<core::Status(core::Feedback*)> run;   //!< off the GUI thread; cancellation → Cancelled error
  std::function<void(const core::Status&)> finished;  //!< on the GUI thread, once
};

class TaskManager : public QObject {
  Q_OBJECT

 public:
  explicit TaskManager(ProjectDocument* document, QObject* parent = nullptr);
  ~TaskManager() override;  //!< cancels everything and waits for the running task

  //! Queues `task`; returns its id (never 0).
  quint64 submit(Task task);
  //! Cancels a running or queued task (a queued one finishes at once with a Cancelled error).
  void cancel(quint64 id);
  void cancelAll();

  bool isBusy() const { return m_running != nullptr; }
  quint64 runningId() const;
  QString runningTitle() const;
  int queuedCount() const { return int(m_queue.size()); }
  bool isQueuedOrRunning(quint64 id) const;
  //! Progress of the running task in [0, 1], its step text, and an honest estimate of the time
  //! left: empty ("estimating…") until 5 % is done and 2 s have passed.
  double progress() const;
  QString step() const;
  std::optional<double> secondsLeft() const;
  double elapsedSeconds() const;

  //! Why an edit of `parts` is refused now (empty: allowed).
  QString refusal(ProjectParts parts) const;

 Q_SIGNALS:
  void taskStarted(quint64 id, const QString& title);
  void taskFinished(quint64 id, const QString& title, const netspatial::core::Status& status);
  //! A task started or the last one ended; also when the queue changed.
  void busyChanged(bool busy);
  void queueChanged(int queued);

 private:
  struct Running;
  void startNext();
  void onFinished(quint64 id, const core::Status& status);
  void onDocumentChanged(ProjectParts parts);

  ProjectDocument* m_document;
  QThread* m_thread;      //!< the manager's worker thread
  core::Inbox* m_worker;  //!< lives on m_thread: runs tasks that name no executor
  core::Inbox* m_inbox;   //!< lives on the GUI thread: receives the tasks' ends
  quint64 m_nextId = 1;
  std::deque<std::pair<quint64, Task>> m_queue;
  std::unique_ptr<Running> m_running;
};

}  // namespace netspatial::app
