#pragma once

#include <QWidget>

class QListWidget;
class QListWidgetItem;

namespace netspatial::ui {

class MapCanvas;

//! The layers list of a MapCanvas: top layer first (as drawn), a checkbox per layer for its
//! visibility, the file and CRS in the tooltip. Double-click zooms to a layer; the context menu
//! zooms to or removes it. It mirrors the canvas (rebuilt on layersChanged), so it never holds
//! state of its own that could drift.
class LayersPanel : public QWidget {
  Q_OBJECT

 public:
  explicit LayersPanel(MapCanvas* canvas, QWidget* parent = nullptr);

  QListWidget* list() const { return m_list; }

 private Q_SLOTS:
  void rebuild();

 private:
  void onItemChanged(QListWidgetItem* item);
  void onItemActivated(QListWidgetItem* item);
  void showContextMenu(const QPoint& pos);
  int layerIndexOf(const QListWidgetItem* item) const;

  MapCanvas* m_canvas;
  QListWidget* m_list;
};

}  // namespace netspatial::ui
