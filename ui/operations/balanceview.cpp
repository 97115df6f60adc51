#include "ui/operations/balanceview.h"

#include "ui/inspector/deferredreplot.h"
#include "ui/inspector/plotexport.h"
#include "ui/operations/balancetablemodel.h"
#include "ui/operations/loadformat.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "ui/inspector/customplot.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace netspatial::ui {

namespace {

using core::Error;
using core::ErrorCode;

const QColor kBefore(158, 188, 218);
const QColor kAfter(31, 119, 180);
const QColor kThreshold(214, 39, 40);

}  // namespace

BalanceView::BalanceView(QWidget* parent) : QWidget(parent) {
  m_headline = new QLabel;
  m_headline->setWordWrap(true);
  m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
  QFont bold = m_headline->font();
  bold.setBold(true);
  m_headline->setFont(bold);
  m_headline->setToolTip(
      tr("Utilisation is load ÷ capacity per hour; a station's peak is its highest hour. "
         "Load moved is summed over the hours."));

  m_notes = new QLabel;
  m_notes->setWordWrap(true);
  m_notes->setStyleSheet(QStringLiteral("color: #8a5300;"));
  m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_notes->hide();

  buildPlot();

  m_model = new BalanceTableModel(this);
  m_proxy = new QSortFilterProxyModel(this);
  m_proxy->setSourceModel(m_model);
  m_proxy->setSortRole(BalanceTableModel::SortRole);
  m_table = new QTableView;
  m_table->setModel(m_proxy);
  m_table->setSortingEnabled(true);
  // The bars' order: the stations that were most overloaded first.
  m_table->sortByColumn(BalanceTableModel::PeakBefore, Qt::DescendingOrder);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setAlternatingRowColors(true);
  m_table->setWordWrap(false);
  m_table->verticalHeader()->hide();
  m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
  m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  // No stretched column: a stretched number column pushes its right-aligned values away from
  // their header's neighbours; the spare width stays empty at the right.
  m_table->horizontalHeader()->setStretchLastSection(false);
  connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
    if (m_syncing || !current.isValid()) return;
    Q_EMIT stationActivated(current.data(BalanceTableModel::StationIdRole).toString());
  });

  m_splitter = new QSplitter(Qt::Vertical);
  m_splitter->addWidget(m_plot);
  m_splitter->addWidget(m_table);
  m_splitter->setStretchFactor(0, 3);
  m_splitter->setStretchFactor(1, 2);
  m_splitter->setChildrenCollapsible(false);

  auto* page = new QWidget;
  auto* pageLayout = new QVBoxLayout(page);
  pageLayout->setContentsMargins(0, 0, 0, 0);
  pageLayout->addWidget(m_headline);
  pageLayout->addWidget(m_notes);
  pageLayout->addWidget(m_splitter, 1);

  m_empty = new QLabel;
  m_empty->setAlignment(Qt::AlignCenter);
  m_empty->setWordWrap(true);
  m_empty->setStyleSheet(QStringLiteral("color: #666; font-size: 13pt;"));

  m_stack = new QStackedWidget;
  m_stack->addWidget(m_empty);
  m_stack->addWidget(page);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(m_stack);
  clear();
}

BalanceView::~BalanceView() = default;

void BalanceView::buildPlot() {
  m_plot = new QCustomPlot;
  m_plot->setObjectName(QStringLiteral("balancePlot"));
  m_plot->setMinimumSize(420, 240);
  QCPAxisRect* rect = m_plot->axisRect();
  rect->setupFullAxesBox(false);
  m_plot->xAxis2->setTicks(false);
  m_plot->yAxis2->setTicks(false);

  // Title, then the legend in its own row: inside the axis rect it would cover the tallest bars,
  // which are the ones that matter.
  QCPLayoutGrid* layout = m_plot->plotLayout();
  layout->insertRow(0);
  auto* legendRow = new QCPLayoutGrid;
  layout->addElement(0, 0, legendRow);
  rect->insetLayout()->take(m_plot->legend);
  legendRow->addElement(0, 0, m_plot->legend);
  legendRow->addElement(0, 1, new QCPLayoutElement(m_plot));
  legendRow->setColumnStretchFactor(0, 0.001);
  legendRow->setMargins(QMargins(0, 0, 0, 0));
  m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
  m_plot->legend->setWrap(4);
  m_plot->legend->setBorderPen(Qt::NoPen);
  m_plot->legend->setBrush(Qt::NoBrush);
  m_plot->legend->setColumnSpacing(18);
  m_plot->legend->setMargins(QMargins(6, 2, 6, 2));
  layout->insertRow(0);
  QFont titleFont = m_plot->font();
  titleFont.setBold(true);
  m_title = new QCPTextElement(m_plot, QString(), titleFont);
  layout->addElement(0, 0, m_title);
  layout->setRowStretchFactor(0, 0.001);
  layout->setRowStretchFactor(1, 0.001);
  // The top axes carry no labels: their automatic margin would only leave a gap under the legend.
  rect->setAutoMargins(QCP::msLeft | QCP::msRight | QCP::msBottom);
  rect->setMargins(QMargins(0, 6, 0, 0));

  auto* group = new QCPBarsGroup(m_plot);
  group->setSpacingType(QCPBarsGroup::stAbsolute);
  group->setSpacing(1);
  m_before = new QCPBars(m_plot->xAxis, m_plot->yAxis);
  m_before->setName(tr("Peak before balancing"));
  m_before->setPen(QPen(kBefore.darker(115), 0.8));
  m_before->setBrush(kBefore);
  m_after = new QCPBars(m_plot->xAxis, m_plot->yAxis);
  m_after->setName(tr("Peak after balancing"));
  m_after->setPen(QPen(kAfter.darker(115), 0.8));
  m_after->setBrush(kAfter);
  for (QCPBars* bars : {m_before, m_after}) {
    bars->setWidth(0.4);
    bars->setBarsGroup(group);
  }

  m_thresholdLine = new QCPItemStraightLine(m_plot);
  m_thresholdLine->setPen(QPen(kThreshold, 1.5, Qt::DashLine));
  m_thresholdText = new QCPItemText(m_plot);
  m_thresholdText->setColor(kThreshold);
  m_thresholdText->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
  // At the right end of the line, where the lowest bars leave room for it.
  m_thresholdText->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
  m_thresholdText->position->setTypeY(QCPItemPosition::ptPlotCoords);
  m_thresholdText->position->setAxisRect(rect);
  m_thresholdText->position->setAxes(m_plot->xAxis, m_plot->yAxis);
  m_thresholdText->setPadding(QMargins(3, 1, 3, 1));
  m_thresholdText->setBrush(QColor(255, 255, 255, 210));  // readable where it crosses a bar

  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  m_plot->xAxis->setTicker(ticker);
  m_plot->xAxis->setTickLabelRotation(-60);
  m_plot->xAxis->setTickLength(0, 3);
  m_plot->xAxis->setSubTicks(false);
  m_plot->xAxis->grid()->setVisible(false);
  m_plot->yAxis->setLabel(tr("Peak utilisation (%)"));
  m_plot->yAxis->setNumberFormat(QStringLiteral("f"));
  m_plot->yAxis->setNumberPrecision(0);

  connect(m_plot, &QCustomPlot::plottableClick, this, [this](QCPAbstractPlottable*, int dataIndex, QMouseEvent*) {
    if (dataIndex < 0 || dataIndex >= m_plotted.size()) return;
    const QString id = m_plotted[dataIndex];
    selectStation(id);
    Q_EMIT stationActivated(id);
  });
}

QString BalanceView::headlineText(const core::BalanceResult& r, double threshold, const QString& unit) {
  const QString volume = LoadFormat::volumeUnit(unit);
  return tr("Network peak utilisation %1 → %2 · mean station peak %3 → %4 · station-hours above %5: %6 → %7 · load moved %8")
      .arg(LoadFormat::percent(r.networkPeakBefore), LoadFormat::percent(r.networkPeakAfter), LoadFormat::percent(r.meanPeakBefore),
           LoadFormat::percent(r.meanPeakAfter), LoadFormat::percent(threshold, 0), QLocale().toString(r.stationHoursOverBefore),
           QLocale().toString(r.stationHoursOverAfter),
           volume.isEmpty() ? LoadFormat::number(r.moved) : LoadFormat::number(r.moved) + QLatin1Char(' ') + volume);
}

void BalanceView::setResult(const core::BalanceResult& result, double threshold, const QString& unit) {
  m_result = result;
  m_threshold = threshold;
  m_unit = unit;
  m_syncing = true;
  m_model->setResult(result, threshold, unit);
  m_syncing = false;
  if (!hasData()) {
    m_empty->setText(tr("Load balancing ran on no stations: check the station scope"));
    m_stack->setCurrentWidget(m_empty);
  } else {
    m_stack->setCurrentIndex(1);
  }
  m_headline->setText(hasData() ? headlineText(result, threshold, unit) : QString());
  m_notes->setText(result.notes.join(QLatin1Char('\n')));
  m_notes->setVisible(hasData() && !result.notes.isEmpty());
  plotBars();
}

void BalanceView::clear() {
  m_result = {};
  m_syncing = true;
  m_model->clear();
  m_syncing = false;
  m_empty->setText(tr("Run load balancing to see peak utilisation before and after"));
  m_stack->setCurrentWidget(m_empty);
  m_headline->clear();
  m_notes->clear();
  m_notes->hide();
  plotBars();
}

bool BalanceView::showsEmptyState() const { return m_stack->currentWidget() == m_empty; }

void BalanceView::plotBars() {
  const int n = int(m_result.stations.size());
  std::vector<int> order(std::size_t(std::max(0, n)));
  std::iota(order.begin(), order.end(), 0);
  // Highest peak before first; ties keep the result's order, so the plot is reproducible.
  std::stable_sort(order.begin(), order.end(), [this](int a, int b) {
    const double pa = m_result.stations[std::size_t(a)].peakBefore, pb = m_result.stations[std::size_t(b)].peakBefore;
    if (std::isnan(pb)) return !std::isnan(pa);
    return pa > pb;
  });
  if (int(order.size()) > kMaxBars) order.resize(std::size_t(kMaxBars));
  m_plottedIndices = order;
  m_plotted.clear();

  auto ticker = m_plot->xAxis->ticker().staticCast<QCPAxisTickerText>();
  ticker->clear();
  QVector<double> keys, before, after;
  double hi = m_threshold;
  for (int i = 0; i < int(order.size()); ++i) {
    const core::BalancedStation& s = m_result.stations[std::size_t(order[std::size_t(i)])];
    m_plotted << s.id;
    keys << i + 1.0;
    before << 100.0 * s.peakBefore;
    after << 100.0 * s.peakAfter;
    ticker->addTick(i + 1.0, s.id);
    for (double v : {s.peakBefore, s.peakAfter})
      if (std::isfinite(v)) hi = std::max(hi, v);
  }
  m_before->setData(keys, before, true);
  m_after->setData(keys, after, true);

  // Shown stations: fewer labels than bars would leave bars nobody can name.
  QFont tickFont = m_plot->xAxis->tickLabelFont();
  tickFont.setPointSizeF(std::max(7.0, font().pointSizeF() * (order.size() > 25 ? 0.8 : 0.9)));
  m_plot->xAxis->setTickLabelFont(tickFont);
  m_plot->xAxis->setRange(0.4, std::max<double>(1.0, double(order.size())) + 0.6);
  m_plot->yAxis->setRange(0.0, 100.0 * hi * 1.12);
  m_plot->xAxis->setLabel(n > kMaxBars ? tr("Station (the %1 highest peaks before balancing, of %2)").arg(kMaxBars).arg(n)
                                       : tr("Station (highest peak before balancing first)"));
  m_title->setText(hasData() ? tr("Peak utilisation per station, before and after load balancing") : QString());

  const double y = 100.0 * m_threshold;
  m_thresholdLine->point1->setCoords(0.0, y);
  m_thresholdLine->point2->setCoords(1.0, y);
  m_thresholdText->position->setCoords(1.0, y);
  m_thresholdText->setText(tr("threshold %1").arg(LoadFormat::percent(m_threshold, 0)));
  m_thresholdLine->setVisible(hasData());
  m_thresholdText->setVisible(hasData());
  m_plot->legend->setVisible(hasData());
  replotWhenVisible(m_plot);
}

void BalanceView::selectStation(const QString& stationId) {
  m_syncing = true;
  const int row = m_model->rowOf(stationId);
  if (row < 0) {
    m_table->clearSelection();
  } else {
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
  }
  m_syncing = false;
}

QImage BalanceView::render(QSize pixels, double dpi) const {
  if (!hasData()) return {};
  return PlotExport::render(*m_plot, pixels, dpi);
}

core::Status BalanceView::savePng(const QString& path, int widthPx, int heightPx, double dpi) const {
  if (!hasData()) return Error(ErrorCode::InvalidArgument, QStringLiteral("nothing to export: no balancing result")).withFile(path);
  return PlotExport::savePng(*m_plot, path, QSize(widthPx, heightPx), dpi);
}

}  // namespace netspatial::ui
