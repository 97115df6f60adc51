#include "ui/inspector/plotlayout.h"

#include "ui/inspector/customplot.h"

namespace netspatial::ui {

void legendOnTheRight(QCustomPlot* plot, int row, int sideMargin) {
  auto* side = new QCPLayoutGrid;
  plot->plotLayout()->addElement(row, 1, side);
  plot->axisRect()->insetLayout()->take(plot->legend);
  side->addElement(0, 0, plot->legend);
  side->addElement(1, 0, new QCPLayoutElement(plot));
  side->setRowStretchFactor(0, 0.001);
  side->setMargins(QMargins(0, 0, 0, 0));
  plot->plotLayout()->setColumnStretchFactor(1, 0.001);
  plot->legend->setBorderPen(Qt::NoPen);
  plot->legend->setBrush(Qt::NoBrush);
  plot->legend->setMargins(QMargins(sideMargin, 8, sideMargin, 0));
}

}  // namespace netspatial::ui
