#include "ui/map/layerspanel.h"

#include "ui/map/layercommand.h"

#include "ui/map/mapcanvas.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QUndoStack>
#include <QPainter>
#include <QPixmap>
#include <QSignalBlocker>
#include <QSlider>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>

namespace netspatial::ui {

namespace {

constexpr int kLayerIdRole = Qt::UserRole + 1;
constexpr int kLegendIndexRole = Qt::UserRole + 2;  // on legend rows; -1 on layer rows

QIcon swatch(const MapLayer& layer) {
  QPixmap pixmap(16, 16);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  const std::vector<LegendEntry> legend = layer.legend();
  if (layer.kind() == MapLayer::Kind::Raster && legend.size() > 1) {
    // A styled layer drawn as an image (zones, population): its first legend colours side by side.
    const int n = int(std::min<std::size_t>(legend.size(), 4));
    p.setPen(Qt::NoPen);
    for (int i = 0; i < n; ++i) {
      p.setBrush(legend[std::size_t(i)].color);
      p.drawRect(QRectF(1.5 + i * 13.0 / n, 1.5, 13.0 / n, 13));
    }
    p.setPen(QPen(QColor(60, 60, 60), 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(QRectF(1.5, 1.5, 13, 13));
  } else if (layer.kind() == MapLayer::Kind::Raster) {
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

// The legend symbol as drawn on the map, so that the legend can be read against it.
QIcon legendIcon(const LegendEntry& e) {
  QPixmap pixmap(16, 16);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  p.setPen(QPen(e.color.darker(150), 1));
  p.setBrush(e.color);
  switch (e.symbol) {
    case LegendEntry::Symbol::Fill:
    case LegendEntry::Symbol::Ramp:
      p.drawRect(QRectF(1.5, 3.5, 13, 9));
      break;
    case LegendEntry::Symbol::Circle:
      p.drawEllipse(QPointF(8, 8), 4, 4);
      break;
    case LegendEntry::Symbol::Triangle:
      p.setPen(QPen(Qt::white, 1));
      p.drawPolygon(QPolygonF({QPointF(8, 1.5), QPointF(14.5, 13.5), QPointF(1.5, 13.5)}));
      break;
    case LegendEntry::Symbol::Line:
      p.setPen(QPen(e.color, 2.5));
      p.setBrush(Qt::NoBrush);
      p.drawRect(QRectF(2.5, 3.5, 11, 9));
      break;
  }
  return QIcon(pixmap);
}

}  // namespace

LayersPanel::LayersPanel(MapCanvas* canvas, QWidget* parent)
    : QWidget(parent),
      m_canvas(canvas),
      m_tree(new QTreeWidget(this)),
      m_opacity(new QSlider(Qt::Horizontal, this)),
      m_opacityLabel(new QLabel(this)),
      m_note(new QLabel(this)),
      m_up(new QToolButton(this)),
      m_down(new QToolButton(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_tree, 1);
  m_note->setWordWrap(true);
  m_note->setContentsMargins(4, 2, 4, 2);
  m_note->setObjectName(QStringLiteral("layersNote"));
  m_note->hide();
  layout->addWidget(m_note);
  m_tree->setHeaderHidden(true);
  m_tree->setColumnCount(1);
  m_tree->setRootIsDecorated(true);
  m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
  m_tree->setObjectName(QStringLiteral("layersTree"));

  auto* controls = new QHBoxLayout;
  controls->setContentsMargins(4, 0, 4, 4);
  auto* opacityText = new QLabel(tr("Opacity"), this);
  controls->addWidget(opacityText);
  m_opacity->setRange(0, 100);
  m_opacity->setObjectName(QStringLiteral("opacitySlider"));
  m_opacity->setToolTip(tr("Opacity of the selected layer"));
  controls->addWidget(m_opacity, 1);
  m_opacityLabel->setMinimumWidth(QFontMetrics(font()).horizontalAdvance(QStringLiteral("100 %")) + 4);
  controls->addWidget(m_opacityLabel);
  m_up->setArrowType(Qt::UpArrow);
  m_up->setToolTip(tr("Move the selected layer up (drawn later, on top)"));
  m_up->setObjectName(QStringLiteral("moveLayerUp"));
  m_down->setArrowType(Qt::DownArrow);
  m_down->setToolTip(tr("Move the selected layer down (drawn earlier, underneath)"));
  m_down->setObjectName(QStringLiteral("moveLayerDown"));
  controls->addWidget(m_up);
  controls->addWidget(m_down);
  layout->addLayout(controls);

  connect(m_canvas, &MapCanvas::layersChanged, this, &LayersPanel::rebuild);
  connect(m_tree, &QTreeWidget::itemChanged, this, &LayersPanel::onItemChanged);
  // Double-click only: some styles activate on a single click, and selecting a layer to change its
  // opacity must not move the map.
  connect(m_tree, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item, int) { onItemActivated(item); });
  connect(m_tree, &QTreeWidget::itemSelectionChanged, this, &LayersPanel::onSelectionChanged);
  connect(m_tree, &QTreeWidget::itemCollapsed, this,
          [this](QTreeWidgetItem* item) { m_collapsed.insert(item->data(0, kLayerIdRole).value<quint64>()); });
  connect(m_tree, &QTreeWidget::itemExpanded, this,
          [this](QTreeWidgetItem* item) { m_collapsed.remove(item->data(0, kLayerIdRole).value<quint64>()); });
  connect(m_tree, &QTreeWidget::customContextMenuRequested, this, &LayersPanel::showContextMenu);
  connect(m_opacity, &QSlider::valueChanged, this, &LayersPanel::onOpacityChanged);
  connect(m_up, &QToolButton::clicked, this, &LayersPanel::moveSelectedUp);
  connect(m_down, &QToolButton::clicked, this, &LayersPanel::moveSelectedDown);
  rebuild();
}

void LayersPanel::setNote(const QString& text, const QString& toolTip) {
  m_note->setText(text);
  m_note->setToolTip(toolTip);
  m_note->setVisible(!text.isEmpty());
}

void LayersPanel::rebuild() {
  if (m_deferRebuild) {
    QMetaObject::invokeMethod(this, &LayersPanel::rebuild, Qt::QueuedConnection);
    return;
  }
  const QSignalBlocker blocker(m_tree);  // rebuilding must not toggle visibility back
  m_tree->clear();
  QTreeWidgetItem* selected = nullptr;
  for (int i = m_canvas->layerCount() - 1; i >= 0; --i) {
    const MapLayer* layer = m_canvas->layer(i);
    auto* item = new QTreeWidgetItem(m_tree, QStringList(layer->name()));
    item->setIcon(0, swatch(*layer));
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(0, layer->isVisible() ? Qt::Checked : Qt::Unchecked);
    item->setData(0, kLayerIdRole, QVariant::fromValue(layer->id()));
    item->setData(0, kLegendIndexRole, -1);
    QString tip = QStringLiteral("%1\n%2").arg(layer->file(), layer->description());
    if (layer->opacity() < 1.0) tip += tr("\nOpacity %1 %").arg(std::lround(layer->opacity() * 100.0));
    item->setToolTip(0, tip.trimmed());
    const std::vector<LegendEntry> legend = layer->legend();
    for (int k = 0; k < int(legend.size()); ++k) {
      const LegendEntry& e = legend[std::size_t(k)];
      auto* child = new QTreeWidgetItem(item, QStringList(e.label));
      child->setIcon(0, legendIcon(e));
      child->setData(0, kLayerIdRole, QVariant::fromValue(layer->id()));
      child->setData(0, kLegendIndexRole, k);
      // Legend rows are not layers: they cannot be selected for opacity or order.
      Qt::ItemFlags flags = Qt::ItemIsEnabled;
      if (e.checkable) flags |= Qt::ItemIsUserCheckable;
      child->setFlags(flags);
      if (e.checkable) child->setCheckState(0, e.checked ? Qt::Checked : Qt::Unchecked);
    }
    item->setExpanded(!legend.empty() && !m_collapsed.contains(layer->id()));
    if (layer->id() == m_selectedId) selected = item;
  }
  if (selected) selected->setSelected(true);
  if (selected) m_tree->setCurrentItem(selected);
  if (!selected) m_selectedId = 0;
  updateControls();
}

int LayersPanel::layerIndexOf(const QTreeWidgetItem* item) const {
  if (!item) return -1;
  return m_canvas->indexOfLayer(item->data(0, kLayerIdRole).value<quint64>());
}

int LayersPanel::selectedLayerIndex() const { return m_selectedId ? m_canvas->indexOfLayer(m_selectedId) : -1; }

void LayersPanel::selectLayer(int canvasIndex) {
  const MapLayer* layer = m_canvas->layer(canvasIndex);
  m_selectedId = layer ? layer->id() : 0;
  rebuild();
}

void LayersPanel::onItemChanged(QTreeWidgetItem* item, int) {
  const int index = layerIndexOf(item);
  if (index < 0) return;
  const bool checked = item->checkState(0) == Qt::Checked;
  const int legendIndex = item->data(0, kLegendIndexRole).toInt();
  // The canvas answers with layersChanged; rebuilding now would delete `item` while Qt is still
  // inside its setData(), so the rebuild is deferred (the item already shows the new state).
  m_deferRebuild = true;
  const quint64 id = m_canvas->layer(index)->id();
  if (legendIndex < 0) {
    change(id, int(LayerCommand::Kind::Visibility), checked ? 0.0 : 1.0, checked ? 1.0 : 0.0);
  } else {
    change(id, int(LayerCommand::Kind::LegendEntry), checked ? 0.0 : 1.0, checked ? 1.0 : 0.0, legendIndex);
  }
  m_deferRebuild = false;
}

void LayersPanel::onItemActivated(QTreeWidgetItem* item) {
  if (!item || item->parent()) return;
  const int index = layerIndexOf(item);
  if (index >= 0) m_canvas->zoomToLayer(index);
}

void LayersPanel::onSelectionChanged() {
  const QList<QTreeWidgetItem*> items = m_tree->selectedItems();
  QTreeWidgetItem* item = items.isEmpty() ? nullptr : items.first();
  if (item && item->parent()) item = item->parent();
  m_selectedId = item ? item->data(0, kLayerIdRole).value<quint64>() : 0;
  updateControls();
}

void LayersPanel::updateControls() {
  const int index = selectedLayerIndex();
  const MapLayer* layer = m_canvas->layer(index);
  const QSignalBlocker blocker(m_opacity);
  m_opacity->setEnabled(layer != nullptr);
  const int percent = layer ? int(std::lround(layer->opacity() * 100.0)) : 100;
  m_opacity->setValue(percent);
  m_opacityLabel->setText(layer ? QStringLiteral("%1 %").arg(percent) : QString());
  m_up->setEnabled(layer && index < m_canvas->layerCount() - 1);
  m_down->setEnabled(layer && index > 0);
}

void LayersPanel::onOpacityChanged(int value) {
  const int index = selectedLayerIndex();
  if (index < 0) return;
  change(m_canvas->layer(index)->id(), int(LayerCommand::Kind::Opacity), m_canvas->layer(index)->opacity(), value / 100.0);
}

void LayersPanel::change(quint64 layerId, int kind, double before, double after, int entry) {
  auto* command = new LayerCommand(m_canvas, layerId, LayerCommand::Kind(kind), before, after, entry);
  if (m_undo) {
    m_undo->push(command);  // push() applies it
  } else {
    command->redo();
    delete command;
  }
}

void LayersPanel::moveSelectedUp() { moveSelected(+1); }

void LayersPanel::moveSelectedDown() { moveSelected(-1); }

void LayersPanel::moveSelected(int delta) {
  const int index = selectedLayerIndex();
  if (index < 0 || index + delta < 0 || index + delta >= m_canvas->layerCount()) return;
  change(m_canvas->layer(index)->id(), int(LayerCommand::Kind::Move), index, index + delta);
}

void LayersPanel::showContextMenu(const QPoint& pos) {
  QTreeWidgetItem* item = m_tree->itemAt(pos);
  const int index = layerIndexOf(item);
  if (index < 0) return;
  const quint64 id = m_canvas->layer(index)->id();
  QMenu menu(this);
  menu.addAction(tr("Zoom to layer"), this, [this, id] { m_canvas->zoomToLayer(m_canvas->indexOfLayer(id)); });
  menu.addAction(tr("Move up"), this, [this, id] {
    selectLayer(m_canvas->indexOfLayer(id));
    moveSelected(+1);
  });
  menu.addAction(tr("Move down"), this, [this, id] {
    selectLayer(m_canvas->indexOfLayer(id));
    moveSelected(-1);
  });
  menu.addSeparator();
  menu.addAction(tr("Remove layer"), this, [this, id] { m_canvas->removeLayer(m_canvas->indexOfLayer(id)); });
  menu.exec(m_tree->viewport()->mapToGlobal(pos));
}

}  // namespace netspatial::ui
