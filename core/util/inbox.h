#pragma once

// The one way work crosses threads in the studio: an Inbox lives on a thread and runs the closures
// posted to it there, one at a time, in the order they were posted.
//
// Why not QMetaObject::invokeMethod(object, lambda)? It does the same, but the hand-over happens
// inside libQt6Core (futexes, a posted-event list), which ThreadSanitizer cannot see: every closure
// would look like a data race, and real races would drown in the noise. Here the closure travels
// through a std::mutex, so the hand-over is an ordinary, checked happens-before; Qt only carries
// a "drain" wake-up that holds no data of ours.
//
// Lifetime: posting to an inbox that has been destroyed is safe and does nothing (post() returns
// false); closures still queued when it is destroyed are dropped, never run. So a worker may post
// its result to an object that has gone away meanwhile.

#include <QObject>

#include <functional>
#include <memory>

namespace netspatial::core {

class Inbox : public QObject {
  Q_OBJECT

 public:
  struct State;

  //! A copyable, thread-safe way to post to an inbox that may be gone by then.
  class Address {
   public:
    Address() = default;
    //! Queues `work` to run on the inbox's thread; false when the inbox is gone (nothing runs).
    bool post(std::function<void()> work) const;
    //! Runs `work` on the inbox's thread and waits for it to finish; false when the inbox is gone
    //! or is destroyed before running it. Never call it on the inbox's own thread (it would wait
    //! for itself).
    bool postAndWait(std::function<void()> work) const;
    bool isNull() const { return !m_state; }

   private:
    friend class Inbox;
    explicit Address(std::shared_ptr<State> state) : m_state(std::move(state)) {}
    std::shared_ptr<State> m_state;
  };

  explicit Inbox(QObject* parent = nullptr);
  ~Inbox() override;  //!< queued closures are dropped; later posts do nothing

  Address address() const { return Address(m_state); }
  bool post(std::function<void()> work) const { return address().post(std::move(work)); }
  bool postAndWait(std::function<void()> work) const { return address().postAndWait(std::move(work)); }

 private:
  Q_INVOKABLE void drain();
  std::shared_ptr<State> m_state;
};

}  // namespace netspatial::core
