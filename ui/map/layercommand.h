#pragma once

// Undoable changes to the map's layers (issue 6: layer order, visibility and style go through the
// undo stack). A command finds its layer by id, not index, so it stays right after other moves.

#include <QUndoCommand>

namespace netspatial::ui {

class MapCanvas;

class LayerCommand : public QUndoCommand {
 public:
  enum class Kind { Visibility, Opacity, Move, LegendEntry };

  //! Visibility/LegendEntry: values are 0/1; Opacity: 0–1; Move: canvas indices. `entry` is the
  //! legend entry for LegendEntry.
  LayerCommand(MapCanvas* canvas, quint64 layerId, Kind kind, double before, double after, int entry = -1);

  void undo() override { apply(m_before); }
  void redo() override { apply(m_after); }
  //! Slider drags arrive as many small opacity steps: one undo step per drag of one layer.
  int id() const override { return m_kind == Kind::Opacity ? 0x4c4f : -1; }
  bool mergeWith(const QUndoCommand* other) override;

 private:
  void apply(double value);

  MapCanvas* m_canvas;
  quint64 m_layerId;
  Kind m_kind;
  double m_before;
  double m_after;
  int m_entry;
};

}  // namespace netspatial::ui
