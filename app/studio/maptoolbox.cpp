#include "app/studio/maptoolbox.h"

#include "ui/map/mapcanvas.h"

#include <QStatusBar>

#include <algorithm>

namespace netspatial::app {

namespace {
//! A click picks a site within this many pixels.
constexpr double kPickPixels = 8.0;
}  // namespace

void InspectTool::addPicker(int priority, Picker picker) {
  m_pickers.emplace_back(priority, std::move(picker));
  std::stable_sort(m_pickers.begin(), m_pickers.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

void InspectTool::click(core::PointXY point, double tolerance) {
  for (const auto& [priority, picker] : m_pickers)
    if (picker(point, tolerance)) return;
}

MapToolbox::MapToolbox(ui::MapCanvas* canvas, QStatusBar* statusBar, QObject* parent)
    : QObject(parent), m_canvas(canvas), m_statusBar(statusBar), m_inspect(std::make_unique<InspectTool>()) {
  connect(m_canvas, &ui::MapCanvas::clicked, this, &MapToolbox::onClick);
  connect(m_canvas, &ui::MapCanvas::rectangleDrawn, this, &MapToolbox::onRectangle);
}

MapToolbox::~MapToolbox() = default;

const MapTool* MapToolbox::active() const { return m_oneShot ? m_oneShot.get() : m_inspect.get(); }

void MapToolbox::activate(std::unique_ptr<MapTool> tool) {
  m_oneShot = std::move(tool);
  if (m_oneShot->takesRectangle())
    m_canvas->startRectangleTool();
  else
    m_canvas->stopRectangleTool();
  if (m_statusBar && !m_oneShot->prompt().isEmpty()) m_statusBar->showMessage(m_oneShot->prompt());
}

void MapToolbox::reset() {
  m_oneShot.reset();
  m_canvas->stopRectangleTool();
}

void MapToolbox::onClick(core::PointXY point) {
  // A rectangle tool whose drag was given up (Esc) is over: the click inspects.
  if (m_oneShot && m_oneShot->takesRectangle() && !m_canvas->isRectangleToolActive()) m_oneShot.reset();
  const double tolerance = kPickPixels * m_canvas->resolution();
  if (!m_oneShot || m_oneShot->takesRectangle()) return m_inspect->click(point, tolerance);
  // One-shot: the tool is done once it has its click (it may start another one meanwhile).
  std::unique_ptr<MapTool> tool = std::move(m_oneShot);
  tool->click(point, tolerance);
}

void MapToolbox::onRectangle(const core::Extent& extent) {
  if (!m_oneShot || !m_oneShot->takesRectangle()) return;
  std::unique_ptr<MapTool> tool = std::move(m_oneShot);
  tool->rectangle(extent);
}

}  // namespace netspatial::app
