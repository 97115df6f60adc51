#include "ui/map/layercommand.h"

#include "ui/map/mapcanvas.h"
#include "ui/map/maplayer.h"

#include <QObject>

namespace netspatial::ui {

namespace {
QString describe(LayerCommand::Kind kind, const MapLayer* layer, double after) {
  const QString name = layer ? layer->name() : QString();
  switch (kind) {
    case LayerCommand::Kind::Visibility:
      return after > 0.5 ? QObject::tr("Show %1").arg(name) : QObject::tr("Hide %1").arg(name);
    case LayerCommand::Kind::Opacity:
      return QObject::tr("Opacity of %1").arg(name);
    case LayerCommand::Kind::Move:
      return QObject::tr("Move %1").arg(name);
    case LayerCommand::Kind::LegendEntry:
      return QObject::tr("Legend of %1").arg(name);
  }
  return {};
}
}  // namespace

LayerCommand::LayerCommand(MapCanvas* canvas, quint64 layerId, Kind kind, double before, double after, int entry)
    : m_canvas(canvas), m_layerId(layerId), m_kind(kind), m_before(before), m_after(after), m_entry(entry) {
  setText(describe(kind, canvas->layer(canvas->indexOfLayer(layerId)), after));
}

bool LayerCommand::mergeWith(const QUndoCommand* other) {
  const auto* o = dynamic_cast<const LayerCommand*>(other);
  if (!o || o->m_kind != Kind::Opacity || m_kind != Kind::Opacity || o->m_layerId != m_layerId) return false;
  m_after = o->m_after;
  return true;
}

void LayerCommand::apply(double value) {
  const int index = m_canvas->indexOfLayer(m_layerId);
  if (index < 0) return;  // the layer was removed since (removal is not undoable)
  switch (m_kind) {
    case Kind::Visibility:
      m_canvas->setLayerVisible(index, value > 0.5);
      break;
    case Kind::Opacity:
      m_canvas->setLayerOpacity(index, value);
      break;
    case Kind::Move:
      m_canvas->moveLayer(index, int(value));
      break;
    case Kind::LegendEntry:
      m_canvas->setLegendEntryChecked(index, m_entry, value > 0.5);
      break;
  }
}

}  // namespace netspatial::ui
