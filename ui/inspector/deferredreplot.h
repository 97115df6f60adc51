#pragma once

class QCustomPlot;

namespace netspatial::ui {

//! Replots `plot` on the next turn of the event loop when it is visible, else on its next Show: a
//! plot in a hidden tab or a closed dock costs nothing until somebody looks at it, and several
//! plots filled at once do not block the event loop in one piece (DESIGN.md §13).
void replotWhenVisible(QCustomPlot* plot);

}  // namespace netspatial::ui
