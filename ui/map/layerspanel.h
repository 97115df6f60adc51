#pragma once

#include <QSet>
#include <QWidget>

class QLabel;
class QSlider;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

class QUndoStack;

namespace netspatial::ui {

class MapCanvas;

//! The layers of a MapCanvas: top layer first (as drawn), a checkbox per layer for its visibility,
//! the file and description in the tooltip, and the layer's legend as child rows (POI categories
//! are checkable and toggle those points). Under the tree: the opacity of the selected layer and
//! buttons to move it up or down the stack. Double-click zooms to a layer; the context menu zooms
//! to or removes it. It mirrors the canvas (rebuilt on layersChanged), so the only state it keeps
//! is presentational (which layer is selected, which legends are collapsed).
class LayersPanel : public QWidget {
  Q_OBJECT

 public:
  explicit LayersPanel(MapCanvas* canvas, QWidget* parent = nullptr);

  //! Top-level items are layers (top of the stack first); their children are legend entries.
  QTreeWidget* tree() const { return m_tree; }
  QSlider* opacitySlider() const { return m_opacity; }
  QToolButton* moveUpButton() const { return m_up; }
  QToolButton* moveDownButton() const { return m_down; }

  //! Every visibility, opacity, order and legend change made here goes through `stack` (undoable);
  //! without one, changes apply directly.
  void setUndoStack(QUndoStack* stack) { m_undo = stack; }

  //! A line under the layers, e.g. what the project lacks ("Missing: traffic, zones"), with a
  //! tooltip for the details; empty hides it.
  void setNote(const QString& text, const QString& toolTip = {});
  QLabel* noteLabel() const { return m_note; }

  //! Canvas index of the selected layer, or -1.
  int selectedLayerIndex() const;
  void selectLayer(int canvasIndex);

 public Q_SLOTS:
  void moveSelectedUp();
  void moveSelectedDown();

 private Q_SLOTS:
  void rebuild();

 private:
  void onItemChanged(QTreeWidgetItem* item, int column);
  void onItemActivated(QTreeWidgetItem* item);
  void onSelectionChanged();
  void onOpacityChanged(int value);
  void updateControls();
  void showContextMenu(const QPoint& pos);
  int layerIndexOf(const QTreeWidgetItem* item) const;
  void moveSelected(int delta);

  //! Applies a change, through the undo stack when there is one.
  void change(quint64 layerId, int kind, double before, double after, int entry = -1);

  MapCanvas* m_canvas;
  QUndoStack* m_undo = nullptr;
  QTreeWidget* m_tree;
  QSlider* m_opacity;
  QLabel* m_opacityLabel;
  QLabel* m_note;
  QToolButton* m_up;
  QToolButton* m_down;
  quint64 m_selectedId = 0;
  bool m_deferRebuild = false;
  QSet<quint64> m_collapsed;
};

}  // namespace netspatial::ui
