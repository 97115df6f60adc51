#include "ui/report/errorbarfigure.h"

#include "ui/inspector/customplot.h"
#include "ui/inspector/plotexport.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>

namespace netspatial::ui {

namespace {

// Okabe–Ito: told apart with the common colour-vision deficiencies, and in greyscale print.
const QColor kPalette[] = {QColor(0x00, 0x72, 0xB2), QColor(0xD5, 0x5E, 0x00), QColor(0x00, 0x9E, 0x73), QColor(0xCC, 0x79, 0xA7),
                           QColor(0xE6, 0x9F, 0x00), QColor(0x56, 0xB4, 0xE9), QColor(0x00, 0x00, 0x00)};

//! [lo, hi] padded by 8 % (and widened when flat), so markers and bars never touch the frame.
QCPRange padded(double lo, double hi) {
  if (!(hi > lo)) {
    const double half = std::max(std::abs(lo) * 0.05, 1e-6);
    return {lo - half, hi + half};
  }
  const double pad = 0.08 * (hi - lo);
  return {lo - pad, hi + pad};
}

}  // namespace

void drawErrorBarFigure(QCustomPlot& plot, const ErrorBarFigure& figure) {
  plot.clearPlottables();
  QCPLayoutGrid* layout = plot.plotLayout();
  const int panels = std::max<int>(1, int(figure.panels.size()));
  std::vector<QCPAxisRect*> rects{plot.axisRect()};
  for (int i = 1; i < panels; ++i) {
    auto* rect = new QCPAxisRect(&plot);
    layout->addElement(0, i, rect);
    rects.push_back(rect);
  }
  // The legend in its own narrow column right of the panels: inside one it would hide data and
  // belong to that panel only.
  auto* side = new QCPLayoutGrid;
  layout->addElement(0, panels, side);
  plot.axisRect()->insetLayout()->take(plot.legend);
  side->addElement(0, 0, plot.legend);
  side->addElement(1, 0, new QCPLayoutElement(&plot));
  side->setRowStretchFactor(0, 0.001);
  layout->setColumnStretchFactor(panels, 0.001);
  plot.legend->setVisible(true);
  plot.legend->setBorderPen(Qt::NoPen);
  plot.legend->setBrush(Qt::NoBrush);
  plot.legend->setMargins(QMargins(8, 8, 8, 0));
  layout->insertRow(0);
  layout->setRowStretchFactor(0, 0.001);
  QFont titleFont = plot.font();
  titleFont.setBold(true);
  titleFont.setPointSizeF(titleFont.pointSizeF() + 1.0);

  std::map<QString, QColor> colours;  // one colour per line name across the panels
  double xLo = std::numeric_limits<double>::infinity(), xHi = -xLo;
  for (const ErrorBarPanel& panel : figure.panels)
    for (const ErrorBarLine& line : panel.lines)
      for (double x : line.x) {
        xLo = std::min(xLo, x);
        xHi = std::max(xHi, x);
      }
  QSharedPointer<QCPAxisTickerText> ticker;
  if (!figure.xTicks.empty()) {
    ticker.reset(new QCPAxisTickerText);
    for (double t : figure.xTicks) ticker->addTick(t, QString::number(t, 'g', 4));
  }

  for (int p = 0; p < int(figure.panels.size()); ++p) {
    const ErrorBarPanel& panel = figure.panels[std::size_t(p)];
    layout->addElement(0, p, new QCPTextElement(&plot, panel.title, titleFont));
    QCPAxisRect* rect = rects[std::size_t(p)];
    QCPAxis* xAxis = rect->axis(QCPAxis::atBottom);
    QCPAxis* yAxis = rect->axis(QCPAxis::atLeft);
    xAxis->setLabel(figure.xLabel);
    yAxis->setLabel(panel.yLabel);
    if (ticker) xAxis->setTicker(ticker);
    double yLo = std::numeric_limits<double>::infinity(), yHi = -yLo;
    for (const ErrorBarLine& line : panel.lines) {
      const auto [it, added] = colours.emplace(line.name, kPalette[colours.size() % std::size(kPalette)]);
      const QColor colour = it->second;
      QCPGraph* graph = plot.addGraph(xAxis, yAxis);
      graph->setName(line.name);
      graph->setData(QVector<double>(line.x.begin(), line.x.end()), QVector<double>(line.y.begin(), line.y.end()), true);
      graph->setPen(QPen(colour, 2.0));
      graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 7.0));
      if (!added) graph->removeFromLegend();
      for (std::size_t i = 0; i < line.y.size(); ++i) {
        const double e = i < line.error.size() && std::isfinite(line.error[i]) ? line.error[i] : 0.0;
        if (!std::isfinite(line.y[i])) continue;
        yLo = std::min(yLo, line.y[i] - e);
        yHi = std::max(yHi, line.y[i] + e);
      }
      if (!line.error.empty()) {
        auto* bars = new QCPErrorBars(xAxis, yAxis);
        bars->removeFromLegend();
        bars->setDataPlottable(graph);
        bars->setData(QVector<double>(line.error.begin(), line.error.end()));
        bars->setPen(QPen(colour, 1.5));
        bars->setWhiskerWidth(10.0);
      }
    }
    if (std::isfinite(xLo)) xAxis->setRange(padded(xLo, xHi));
    if (std::isfinite(yLo)) yAxis->setRange(padded(yLo, yHi));
  }
}

core::Status saveErrorBarFigurePng(const ErrorBarFigure& figure, const QString& path, QSize pixels, double dpi) {
  QCustomPlot plot;
  plot.resize(PlotExport::logicalSize(pixels, dpi));
  drawErrorBarFigure(plot, figure);
  return PlotExport::savePng(plot, path, pixels, dpi);
}

}  // namespace netspatial::ui
