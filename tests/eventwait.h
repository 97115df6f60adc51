#pragma once

// Waiting for what a widget does on a later turn of the event loop, instead of sleeping a fixed
// time: a sleep long enough on a loaded machine is a waste everywhere else, and still too short
// somewhere.

#include "ui/inspector/customplot.h"
#include "ui/inspector/deferredreplot.h"

#include <QCoreApplication>
#include <QWidget>

namespace netspatial::tests {

//! Whether every visible plot under `root` has drawn its current data: none still owes the replot
//! ui::replotWhenVisible queued when it was filled or shown. Hidden plots are left out: theirs
//! waits for them to be shown. Wait on it with QTRY_VERIFY(tests::visiblePlotsDrawn(widget)).
inline bool visiblePlotsDrawn(const QWidget* root) {
  for (const QCustomPlot* plot : root->findChildren<QCustomPlot*>())
    if (plot->isVisible() && ui::replotPending(plot)) return false;
  return true;
}

//! Runs what is already queued on the event loop (posted events and queued calls, then timers
//! that are due), as the next turn of the loop would, without sleeping. For the places where a
//! test needs the queue drained rather than a condition to become true.
inline void runPostedEvents() {
  QCoreApplication::sendPostedEvents();
  QCoreApplication::processEvents();
}

}  // namespace netspatial::tests
