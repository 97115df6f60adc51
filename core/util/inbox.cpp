#include "core/util/inbox.h"

#include <QMetaObject>

#include <deque>
#include <future>
#include <mutex>

namespace netspatial::core {

struct Inbox::State {
  std::mutex mutex;
  Inbox* inbox = nullptr;  //!< null once the inbox is being destroyed; guarded by `mutex`
  std::deque<std::function<void()>> queue;
};

Inbox::Inbox(QObject* parent) : QObject(parent), m_state(std::make_shared<State>()) { m_state->inbox = this; }

Inbox::~Inbox() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(m_state->mutex);
    m_state->inbox = nullptr;
    dropped.swap(m_state->queue);
  }
  // `dropped` is destroyed here, outside the lock: a closure's captures may post elsewhere.
}

bool Inbox::Address::post(std::function<void()> work) const {
  if (!m_state || !work) return false;
  std::lock_guard lock(m_state->mutex);
  if (!m_state->inbox) return false;
  const bool wasEmpty = m_state->queue.empty();
  m_state->queue.push_back(std::move(work));
  // One wake-up per batch. Posted under the lock, so the inbox cannot be destroyed in between; a
  // wake-up still queued when it is destroyed is removed with it. The string form keeps the event
  // entirely inside Qt: it carries nothing of ours.
  if (wasEmpty) QMetaObject::invokeMethod(m_state->inbox, "drain", Qt::QueuedConnection);
  return true;
}

bool Inbox::Address::postAndWait(std::function<void()> work) const {
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> finished = done->get_future();
  // If the inbox is destroyed first, the closure (and with it the promise) is dropped: the future
  // then reports a broken promise instead of waiting forever.
  // The closure holds the only reference to the promise.
  if (!post([done = std::move(done), work = std::move(work)] {
        work();
        done->set_value();
      }))
    return false;
  try {
    finished.get();
    return true;
  } catch (const std::future_error&) {
    return false;
  }
}

void Inbox::drain() {
  std::deque<std::function<void()>> batch;
  {
    std::lock_guard lock(m_state->mutex);
    batch.swap(m_state->queue);
  }
  // A closure may post again (to this inbox too: that starts a new batch) or delete the inbox's
  // owner; keep the state alive and stop if the inbox went away.
  const std::shared_ptr<State> state = m_state;
  for (auto& work : batch) {
    {
      std::lock_guard lock(state->mutex);
      if (!state->inbox) return;
    }
    work();
  }
}

}  // namespace netspatial::core
