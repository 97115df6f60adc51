// core::Inbox (core/util/inbox.h): the one way work crosses threads. Closures run on the inbox's
// thread, in the order they were posted; posting to an inbox that is gone is safe and runs
// nothing; closures still queued when it goes are dropped, not run.

#include "core/util/inbox.h"

#include <QTest>
#include <QThread>

#include <atomic>
#include <future>
#include <memory>
#include <thread>
#include <vector>

using netspatial::core::Inbox;

namespace {

// An inbox on a thread of its own, as the studio's workers have.
struct Worker {
  QThread thread;
  Inbox* inbox = new Inbox;
  Worker() {
    inbox->moveToThread(&thread);
    QObject::connect(&thread, &QThread::finished, inbox, &QObject::deleteLater);
    thread.start();
  }
  ~Worker() {
    thread.quit();
    thread.wait();
  }
};

}  // namespace

class TestInbox : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void runsInOrderOnItsThread() {
    Worker worker;
    std::vector<int> order;  // written on the worker only, read here after postAndWait
    std::atomic<bool> wrongThread{false};
    QThread* const target = &worker.thread;
    // Posted from two threads: each one's closures keep their order.
    std::thread other([&] {
      for (int i = 0; i < 100; ++i)
        QVERIFY(worker.inbox->post([&, i] {
          if (QThread::currentThread() != target) wrongThread = true;
          order.push_back(1000 + i);
        }));
    });
    for (int i = 0; i < 100; ++i)
      QVERIFY(worker.inbox->post([&, i] {
        if (QThread::currentThread() != target) wrongThread = true;
        order.push_back(i);
      }));
    other.join();
    QVERIFY(worker.inbox->postAndWait([] {}));
    QVERIFY(!wrongThread);
    QCOMPARE(order.size(), std::size_t(200));
    int lastMine = -1, lastOther = 999;
    for (int v : order) {
      int& last = v >= 1000 ? lastOther : lastMine;
      QVERIFY2(v > last, "a thread's posts ran out of order");
      last = v;
    }
  }

  void aClosureMayPostAgain() {
    // A closure posting to its own inbox queues behind everything already posted. The worker is
    // held until both are queued, so that they run as one batch whatever the scheduling.
    Worker worker;
    std::vector<int> order;
    std::promise<void> release;
    std::shared_future<void> gate = release.get_future().share();
    worker.inbox->post([gate] { gate.wait(); });
    const Inbox::Address address = worker.inbox->address();
    worker.inbox->post([&, address] {
      order.push_back(1);
      address.post([&] { order.push_back(3); });
    });
    worker.inbox->post([&] { order.push_back(2); });
    release.set_value();
    // The first wait may run before the re-posted closure (it was queued before it); the second
    // is queued after it.
    QVERIFY(worker.inbox->postAndWait([] {}));
    QVERIFY(worker.inbox->postAndWait([] {}));
    QCOMPARE(order, (std::vector<int>{1, 2, 3}));
  }

  void repliesReachTheGuiThread() {
    // The studio's round trip: the GUI posts work, the worker posts the answer back.
    Worker worker;
    Inbox replies;
    int answer = 0;
    const Inbox::Address back = replies.address();
    worker.inbox->post([back, &answer] {
      const int computed = 6 * 7;
      back.post([computed, &answer] { answer = computed; });
    });
    QTRY_COMPARE(answer, 42);
  }

  void aGoneInboxRunsNothing() {
    auto counter = std::make_shared<int>(0);
    Inbox::Address address;
    {
      Inbox inbox;  // this thread's: nothing drains until we return to the event loop
      address = inbox.address();
      QVERIFY(address.post([counter] { ++*counter; }));
      QCOMPARE(counter.use_count(), 2L);  // queued, holding its capture
    }
    // Destroyed before draining: the queued closure was dropped with its captures, never run.
    QCOMPARE(counter.use_count(), 1L);
    QVERIFY(!address.post([counter] { ++*counter; }));
    QVERIFY(!address.postAndWait([counter] { ++*counter; }));
    QCoreApplication::processEvents();
    QCOMPARE(*counter, 0);
    QVERIFY(Inbox::Address().isNull());
    QVERIFY(!Inbox::Address().post([] {}));
  }

  void waitingOnAnInboxThatGoesReturnsFalse() {
    // postAndWait must not hang when the inbox is destroyed with the closure still queued.
    auto* thread = new QThread;
    auto* inbox = new Inbox;
    inbox->moveToThread(thread);
    thread->start();
    std::promise<void> release;
    std::shared_future<void> gate = release.get_future().share();
    // The first closure blocks the worker, then destroys the inbox: the second is never run.
    inbox->post([gate, inbox] {
      gate.wait();
      delete inbox;
    });
    bool ran = false;
    std::thread waiter([&] {
      const bool result = inbox->address().postAndWait([&] { ran = true; });
      QVERIFY(!result);
    });
    // Give the waiter time to post first. Either order must give false: posted before the inbox
    // goes, the closure is dropped with it; posted after, post() refuses. The sleep only makes the
    // first, harder case the likely one; no assertion depends on it.
    QTest::qWait(50);
    release.set_value();
    waiter.join();
    QVERIFY(!ran);
    thread->quit();
    thread->wait();
    delete thread;
  }
};

QTEST_GUILESS_MAIN(TestInbox)
#include "tst_inbox.moc"
