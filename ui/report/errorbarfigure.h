#pragma once

// A figure of lines with error bars in one or more panels side by side, sharing the x axis label
// and one legend, written as PNG: e.g. a metric against the share of training data, one line per
// generator (`netspatial evaluate --sweep-png`). Plain numbers in, so ui stays free of models.

#include "core/util/result.h"

#include <QSize>
#include <QString>

#include <vector>

class QCustomPlot;

namespace netspatial::ui {

struct ErrorBarLine {
  QString name;  //!< the legend entry (the same name in every panel gets the same colour)
  std::vector<double> x, y;
  std::vector<double> error;  //!< ± around y (e.g. one standard deviation); empty = no bars
};

struct ErrorBarPanel {
  QString title;
  QString yLabel;  //!< with its unit
  std::vector<ErrorBarLine> lines;
};

struct ErrorBarFigure {
  QString xLabel;  //!< with its unit
  std::vector<ErrorBarPanel> panels;
  //! Where the x axis has ticks (the measured x values read best); empty = automatic.
  std::vector<double> xTicks;
};

//! Lays `figure` out in `plot` (replacing what it showed): panels left to right, a legend on the
//! right naming each line once.
void drawErrorBarFigure(QCustomPlot& plot, const ErrorBarFigure& figure);

//! drawErrorBarFigure on an offscreen plot, written as PNG of `pixels` at `dpi` (PlotExport). Needs
//! a QApplication (QCustomPlot is a widget). Fails, naming the file, when it cannot be written.
core::Status saveErrorBarFigurePng(const ErrorBarFigure& figure, const QString& path, QSize pixels = {1800, 800}, double dpi = 150.0);

}  // namespace netspatial::ui
