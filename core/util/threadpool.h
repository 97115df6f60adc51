#pragma once

// The one way a QThreadPool gets work (map rendering, the import wizard's preview): the closure is
// complete before it is handed over, and the hand-over is annotated for ThreadSanitizer, which
// cannot see the pool's own queue inside libQt6Core (core/util/threadsanitizer.h). Results come
// back through a core::Inbox, never by touching the caller's objects.

#include "core/util/threadsanitizer.h"

#include <QThreadPool>

#include <functional>
#include <utility>

namespace netspatial::core {

namespace detail {
//! Names the hand-over of work through any QThreadPool for ThreadSanitizer.
inline char poolHandOver = 0;
}  // namespace detail

inline void startInPool(QThreadPool& pool, std::function<void()> work) {
  // Built before the release: everything the worker reads of it was written before the hand-over.
  std::function<void()> run = [work = std::move(work)] {
    tsanAcquire(&detail::poolHandOver);
    work();
  };
  tsanRelease(&detail::poolHandOver);
  pool.start(std::move(run));
}

}  // namespace netspatial::core
