// Proves the tsan preset bites (registered only there): a closure posted through a core::Inbox
// reads a vector while this thread writes it, with nothing ordering the two. ThreadSanitizer must
// report the race; the test passes only if its report appears (see tests/core/CMakeLists.txt).

#include "core/util/inbox.h"

#include <QCoreApplication>
#include <QThread>

#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  QThread thread;
  auto* inbox = new netspatial::core::Inbox;
  inbox->moveToThread(&thread);
  QObject::connect(&thread, &QThread::finished, inbox, &QObject::deleteLater);
  thread.start();
  std::vector<int> shared(1000, 1);
  long sum = 0;
  inbox->post([&] {
    for (int round = 0; round < 20000; ++round)
      for (int v : shared) sum += v;
  });
  for (int i = 0; i < 2000000; ++i) shared[std::size_t(i) % shared.size()] = i;  // the race
  inbox->postAndWait([] {});
  std::printf("sum %ld\n", sum);
  thread.quit();
  thread.wait();
  return 0;
}
