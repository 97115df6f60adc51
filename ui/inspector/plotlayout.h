#pragma once

class QCustomPlot;

namespace netspatial::ui {

//! Moves `plot`'s legend into a narrow column right of the axis rect on layout row `row`, at its
//! top, without a frame: inside the axis rect it would hide data. `sideMargin` pads it left and
//! right (logical pixels).
void legendOnTheRight(QCustomPlot* plot, int row, int sideMargin = 6);

}  // namespace netspatial::ui
