#pragma once

// Shared by the sleep-study plots: the legend as a strip between the title and the axes, centred
// at its natural width. Inside the axis rect it would hide cells or curves; given a whole layout
// row on its own, QCustomPlot spreads its few items over the full width, far from each other.

#include "ui/inspector/customplot.h"

namespace netspatial::ui::operations_detail {

//! Moves `plot`'s legend into row `row`, column 0 of the plot layout (which must be empty),
//! items side by side, between two stretching spacers.
inline void placeLegendStrip(QCustomPlot* plot, int row) {
  auto* strip = new QCPLayoutGrid;
  plot->plotLayout()->addElement(row, 0, strip);
  plot->axisRect()->insetLayout()->take(plot->legend);
  strip->addElement(0, 0, new QCPLayoutElement(plot));
  strip->addElement(0, 1, plot->legend);
  strip->addElement(0, 2, new QCPLayoutElement(plot));
  strip->setColumnStretchFactors({1.0, 0.001, 1.0});
  strip->setMargins(QMargins(0, 0, 0, 0));
  plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  plot->legend->setBorderPen(Qt::NoPen);
  plot->legend->setBrush(Qt::NoBrush);
  plot->legend->setMargins(QMargins(4, 0, 4, 2));
  plot->legend->setColumnSpacing(18);
  plot->plotLayout()->setRowStretchFactor(row, 0.001);
}

}  // namespace netspatial::ui::operations_detail
