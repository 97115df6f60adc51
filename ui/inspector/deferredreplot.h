#pragma once

class QCustomPlot;

namespace netspatial::ui {

//! Replots `plot` on the next turn of the event loop when it is visible, else on its next Show: a
//! plot in a hidden tab or a closed dock costs nothing until somebody looks at it, and several
//! plots filled at once do not block the event loop in one piece (DESIGN.md §13).
void replotWhenVisible(QCustomPlot* plot);

//! Whether replotWhenVisible still owes `plot` a replot: its data changed since it was last drawn
//! and the replot is queued for the next turn of the event loop or waits for the plot to be shown.
//! The replot is deferred, so nothing else tells from outside when it has run: tests wait on this
//! (QTRY_VERIFY(!replotPending(plot))) instead of sleeping a fixed time.
bool replotPending(const QCustomPlot* plot);

}  // namespace netspatial::ui
