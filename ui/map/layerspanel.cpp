#include "ui/map/layerspanel.h"

#include "ui/map/mapcanvas.h"

#include <QListWidget>
#include <QMenu>
#include <QPainter>
#include <QPixmap>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace netspatial::ui {

namespace {

constexpr int kLayerIdRole = Qt::UserRole + 1;

QIcon swatch(const MapLayer& layer) {
  QPixmap pixmap(16, 16);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  if (layer.kind() == MapLayer::Kind::Raster) {
    // A tiny RGB gradient says "image" without loading any pixels.
    QLinearGradient g(0, 0, 16, 16);
    g.setColorAt(0.0, QColor(60, 120, 60));
    g.setColorAt(0.5, QColor(170, 150, 110));
    g.setColorAt(1.0, QColor(70, 110, 170));
    p.setBrush(g);
    p.setPen(QPen(QColor(60, 60, 60), 1));
    p.drawRect(QRectF(1.5, 1.5, 13, 13));
  } else {
    QColor fill = layer.color();
    fill.setAlpha(110);
    p.setBrush(fill);
    p.setPen(QPen(layer.color().darker(130), 1.5));
    p.drawRoundedRect(QRectF(2, 2, 12, 12), 2, 2);
  }
  return QIcon(pixmap);
}

}  // namespace

LayersPanel::LayersPanel(MapCanvas* canvas, QWidget* parent) : QWidget(parent), m_canvas(canvas), m_list(new QListWidget(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_list);
  m_list->setContextMenuPolicy(Qt::CustomContextMenu);
  m_list->setObjectName(QStringLiteral("layersList"));
  connect(m_canvas, &MapCanvas::layersChanged, this, &LayersPanel::rebuild);
  connect(m_list, &QListWidget::itemChanged, this, &LayersPanel::onItemChanged);
  connect(m_list, &QListWidget::itemActivated, this, &LayersPanel::onItemActivated);
  connect(m_list, &QListWidget::customContextMenuRequested, this, &LayersPanel::showContextMenu);
  rebuild();
}

void LayersPanel::rebuild() {
  const QSignalBlocker blocker(m_list);  // rebuilding must not toggle visibility back
  const int current = m_list->currentRow();
  m_list->clear();
  for (int i = m_canvas->layerCount() - 1; i >= 0; --i) {
    const MapLayer* layer = m_canvas->layer(i);
    auto* item = new QListWidgetItem(swatch(*layer), layer->name(), m_list);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(layer->isVisible() ? Qt::Checked : Qt::Unchecked);
    item->setData(kLayerIdRole, QVariant::fromValue(layer->id()));
    item->setToolTip(QStringLiteral("%1\n%2").arg(layer->file(), layer->description()));
  }
  if (current >= 0 && current < m_list->count()) m_list->setCurrentRow(current);
}

int LayersPanel::layerIndexOf(const QListWidgetItem* item) const {
  if (!item) return -1;
  return m_canvas->indexOfLayer(item->data(kLayerIdRole).value<quint64>());
}

void LayersPanel::onItemChanged(QListWidgetItem* item) {
  const int index = layerIndexOf(item);
  if (index >= 0) m_canvas->setLayerVisible(index, item->checkState() == Qt::Checked);
}

void LayersPanel::onItemActivated(QListWidgetItem* item) {
  const int index = layerIndexOf(item);
  if (index >= 0) m_canvas->zoomToLayer(index);
}

void LayersPanel::showContextMenu(const QPoint& pos) {
  QListWidgetItem* item = m_list->itemAt(pos);
  const int index = layerIndexOf(item);
  if (index < 0) return;
  const quint64 id = m_canvas->layer(index)->id();
  QMenu menu(this);
  menu.addAction(tr("Zoom to layer"), this, [this, id] { m_canvas->zoomToLayer(m_canvas->indexOfLayer(id)); });
  menu.addAction(tr("Remove layer"), this, [this, id] { m_canvas->removeLayer(m_canvas->indexOfLayer(id)); });
  menu.exec(m_list->viewport()->mapToGlobal(pos));
}

}  // namespace netspatial::ui
