#pragma once

// What a click or a dragged rectangle on the map means, one tool at a time (issue 18: no pick-mode
// flags, no hooks between controllers). Each interaction is a MapTool of its own: the inspect tool
// is the default; the others (area of interest, exclusion area, zone pick, zone area, station
// selection) are one-shot — they take one click or one rectangle and hand back to the inspect
// tool, as does Esc.
//
// The inspect tool asks its pickers in order: the first that shows something for the clicked
// point wins. The operations study's stations come before candidate cells (their circles are drawn
// above the cells), then candidates, stations and any point (planning).

#include "core/geo/geometry.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

class QStatusBar;

namespace netspatial::ui {
class MapCanvas;
}

namespace netspatial::app {

class MapTool {
 public:
  virtual ~MapTool() = default;
  //! True: the tool takes a dragged rectangle (the canvas's rectangle drag starts with it).
  virtual bool takesRectangle() const { return false; }
  //! What the status bar says while the tool is active.
  virtual QString prompt() const = 0;
  virtual void click(core::PointXY point, double tolerance) {
    Q_UNUSED(point)
    Q_UNUSED(tolerance)
  }
  virtual void rectangle(const core::Extent& extent) { Q_UNUSED(extent) }
};

//! The default tool: a click shows the site under it in the inspector.
class InspectTool : public MapTool {
 public:
  //! Returns true when it showed something for `point` (a site within `tolerance` map units).
  using Picker = std::function<bool(core::PointXY point, double tolerance)>;
  //! Pickers are asked in the order of `priority` (lower first).
  void addPicker(int priority, Picker picker);
  QString prompt() const override { return {}; }
  void click(core::PointXY point, double tolerance) override;

 private:
  std::vector<std::pair<int, Picker>> m_pickers;
};

//! A one-shot tool that takes one rectangle.
class RectangleTool : public MapTool {
 public:
  RectangleTool(QString prompt, std::function<void(const core::Extent&)> take) : m_prompt(std::move(prompt)), m_take(std::move(take)) {}
  bool takesRectangle() const override { return true; }
  QString prompt() const override { return m_prompt; }
  void rectangle(const core::Extent& extent) override { m_take(extent); }

 private:
  QString m_prompt;
  std::function<void(const core::Extent&)> m_take;
};

//! A one-shot tool that takes one click.
class PointTool : public MapTool {
 public:
  PointTool(QString prompt, std::function<void(core::PointXY)> take) : m_prompt(std::move(prompt)), m_take(std::move(take)) {}
  QString prompt() const override { return m_prompt; }
  void click(core::PointXY point, double) override { m_take(point); }

 private:
  QString m_prompt;
  std::function<void(core::PointXY)> m_take;
};

class MapToolbox : public QObject {
  Q_OBJECT

 public:
  MapToolbox(ui::MapCanvas* canvas, QStatusBar* statusBar, QObject* parent = nullptr);
  ~MapToolbox() override;

  InspectTool* inspectTool() const { return m_inspect.get(); }
  //! Makes `tool` the active one until it has taken its click or rectangle (or Esc).
  void activate(std::unique_ptr<MapTool> tool);
  //! Back to the inspect tool.
  void reset();
  //! The active tool (the inspect tool when no other is).
  const MapTool* active() const;

 private:
  void onClick(core::PointXY point);
  void onRectangle(const core::Extent& extent);

  ui::MapCanvas* m_canvas;
  QStatusBar* m_statusBar;
  std::unique_ptr<InspectTool> m_inspect;
  std::unique_ptr<MapTool> m_oneShot;
};

}  // namespace netspatial::app
