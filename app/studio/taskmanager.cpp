#include "app/studio/taskmanager.h"

#include "app/common/logging.h"

#include <QThread>

namespace netspatial::app {

using namespace netspatial::core;

namespace {
constexpr double kEstimateAfterFraction = 0.05;
constexpr double kEstimateAfterSeconds = 2.0;
}  // namespace

struct TaskManager::Running {
  quint64 id = 0;
  Task task;
  std::shared_ptr<Feedback> feedback = std::make_shared<Feedback>();
  QElapsedTimer clock;
};

TaskManager::TaskManager(ProjectDocument* document, QObject* parent)
    : QObject(parent), m_document(document), m_thread(new QThread(this)), m_worker(new Inbox), m_inbox(new Inbox(this)) {
  m_thread->setObjectName(QStringLiteral("tasks"));
  // Named, so that a stall trace says whose closure it was (every closure arrives as an Inbox event).
  m_worker->setObjectName(QStringLiteral("task work"));
  m_inbox->setObjectName(QStringLiteral("task ends"));
  m_worker->moveToThread(m_thread);
  connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
  m_thread->start();
  if (m_document) {
    connect(m_document, &ProjectDocument::changed, this, &TaskManager::onDocumentChanged);
    connect(m_document, &ProjectDocument::projectReplaced, this, [this] {
      // Results computed from another project are never applied.
      ProjectParts all = ProjectPart::Area | ProjectPart::Generation | ProjectPart::Ranking | ProjectPart::Settings;
      onDocumentChanged(all);
    });
  }
}

TaskManager::~TaskManager() {
  cancelAll();
  // The running task's closure refers to nothing of ours but its Feedback; its delivery, posted
  // to m_inbox, is dropped when m_inbox goes with us. Wait for our own worker only: the last
  // closure orders everything it did before what we free next.
  m_worker->postAndWait([] {});
  m_thread->quit();
  m_thread->wait();
}

quint64 TaskManager::submit(Task task) {
  const quint64 id = m_nextId++;
  m_queue.emplace_back(id, std::move(task));
  qCInfo(lcJobs) << "task queued:" << m_queue.back().second.title;
  if (!m_running)
    startNext();
  else
    Q_EMIT queueChanged(queuedCount());
  return id;
}

void TaskManager::startNext() {
  if (m_running || m_queue.empty()) return;
  m_running = std::make_unique<Running>();
  m_running->id = m_queue.front().first;
  m_running->task = std::move(m_queue.front().second);
  m_queue.pop_front();
  m_running->clock.start();
  const quint64 id = m_running->id;
  auto feedback = m_running->feedback;
  auto run = m_running->task.run;
  const Inbox::Address executor = m_running->task.executor.isNull() ? m_worker->address() : m_running->task.executor;
  const Inbox::Address reply = m_inbox->address();
  qCInfo(lcJobs) << "task started:" << m_running->task.title;
  Q_EMIT taskStarted(id, m_running->task.title);
  Q_EMIT busyChanged(true);
  Q_EMIT queueChanged(queuedCount());
  const bool posted = executor.post([this, reply, id, feedback, run] {
    Status status;
    if (feedback->isCancelled()) {
      status = Error(ErrorCode::Cancelled, QStringLiteral("cancelled"));
    } else {
      // No exception may cross the thread (DESIGN.md §11): anything thrown becomes an Error.
      try {
        status = run(feedback.get());
      } catch (const std::exception& e) {
        status = Error(ErrorCode::Internal, QString::fromLocal8Bit(e.what()));
      } catch (...) {
        status = Error(ErrorCode::Internal, QStringLiteral("unknown error"));
      }
    }
    if (feedback->isCancelled() && status.ok()) status = Error(ErrorCode::Cancelled, QStringLiteral("cancelled"));
    // `this` is only used on the GUI thread, and only if m_inbox (our child) still exists.
    reply.post([this, id, status] { onFinished(id, status); });
  });
  if (!posted)  // the executor's thread has gone (the application is closing)
    m_inbox->post([this, id] { onFinished(id, Error(ErrorCode::Cancelled, QStringLiteral("cancelled"))); });
}

void TaskManager::onFinished(quint64 id, const Status& status) {
  if (!m_running || m_running->id != id) return;
  std::unique_ptr<Running> done = std::move(m_running);
  const bool cancelled = !status.ok() && status.error().code() == ErrorCode::Cancelled;
  if (cancelled)
    qCInfo(lcJobs) << "task cancelled:" << done->task.title;
  else if (!status.ok())
    qCWarning(lcJobs) << "task failed:" << done->task.title << status.error().toString();
  else
    qCInfo(lcJobs) << "task finished:" << done->task.title << "in" << done->clock.elapsed() << "ms";
  if (done->task.finished) done->task.finished(status);
  Q_EMIT taskFinished(id, done->task.title, status);
  startNext();
  if (!m_running) Q_EMIT busyChanged(false);
}

void TaskManager::cancel(quint64 id) {
  if (m_running && m_running->id == id) {
    m_running->feedback->cancel();
    return;
  }
  for (auto it = m_queue.begin(); it != m_queue.end(); ++it) {
    if (it->first != id) continue;
    Task task = std::move(it->second);
    m_queue.erase(it);
    Q_EMIT queueChanged(queuedCount());
    const Status cancelled = Error(ErrorCode::Cancelled, QStringLiteral("cancelled"));
    if (task.finished) task.finished(cancelled);
    Q_EMIT taskFinished(id, task.title, cancelled);
    return;
  }
}

void TaskManager::cancelAll() {
  while (!m_queue.empty()) cancel(m_queue.front().first);
  if (m_running) m_running->feedback->cancel();
}

quint64 TaskManager::runningId() const { return m_running ? m_running->id : 0; }
QString TaskManager::runningTitle() const { return m_running ? m_running->task.title : QString(); }

bool TaskManager::isQueuedOrRunning(quint64 id) const {
  if (m_running && m_running->id == id) return true;
  return std::any_of(m_queue.begin(), m_queue.end(), [id](const auto& q) { return q.first == id; });
}

double TaskManager::progress() const { return m_running ? m_running->feedback->progress() : 0.0; }
QString TaskManager::step() const { return m_running ? m_running->feedback->step() : QString(); }
double TaskManager::elapsedSeconds() const { return m_running ? double(m_running->clock.nsecsElapsed()) * 1e-9 : 0.0; }

std::optional<double> TaskManager::secondsLeft() const {
  const double f = progress(), t = elapsedSeconds();
  // Early progress is dominated by set-up (loading a model, extracting contexts): no number yet.
  if (!m_running || f < kEstimateAfterFraction || t < kEstimateAfterSeconds) return std::nullopt;
  return std::max(0.0, t * (1.0 - f) / f);
}

QString TaskManager::refusal(ProjectParts parts) const {
  auto reads = [&](const Task& t) { return bool(t.reads & parts); };
  if (m_running && reads(m_running->task))
    return tr("%1 is running and reads this part of the project: wait for it or cancel it").arg(m_running->task.title);
  for (const auto& [id, task] : m_queue)
    if (reads(task)) return tr("%1 is queued and reads this part of the project: wait for it or cancel it").arg(task.title);
  return {};
}

void TaskManager::onDocumentChanged(ProjectParts parts) {
  // Only an undo or a redo gets here with a conflicting part (direct edits were refused): the task
  // read a version that is no longer on show, so it stops and its result is dropped.
  std::vector<quint64> stale;
  if (m_running && (m_running->task.reads & parts)) stale.push_back(m_running->id);
  for (const auto& [id, task] : m_queue)
    if (task.reads & parts) stale.push_back(id);
  for (quint64 id : stale) {
    qCInfo(lcJobs) << "task cancelled by a change of what it reads:" << id;
    cancel(id);
  }
}

}  // namespace netspatial::app
