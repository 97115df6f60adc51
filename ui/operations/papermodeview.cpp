#include "ui/operations/papermodeview.h"

#include "ui/inspector/deferredreplot.h"
#include "ui/inspector/localtimeticker.h"
#include "ui/inspector/plotexport.h"
#include "ui/operations/loadformat.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "ui/inspector/customplot.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace netspatial::ui {

namespace {

using core::Error;
using core::ErrorCode;

const QColor kObserved(31, 119, 180);
const QColor kGenerated(255, 127, 14);
// The control target purple (green and red mean reduction and increase below), the volatile
// windows a neutral grey that any curve stays readable on.
const QColor kControl(148, 103, 189, 150);
const QColor kVolatile(0, 0, 0, 26);
const QColor kReduction(44, 160, 44);
const QColor kIncrease(214, 39, 40);

// Above this span the time axis shows dates only; below it, the hour too.
constexpr double kDateOnlySpanSeconds = 4.0 * 86400.0;
constexpr double kMinSpanSeconds = 12.0 * 3600.0;

QPen pen(const QColor& colour, double width, Qt::PenStyle style = Qt::SolidLine) {
  QPen p(colour, width, style);
  p.setCapStyle(Qt::FlatCap);
  p.setJoinStyle(Qt::RoundJoin);
  return p;
}

void frame(QCPAxisRect* rect) {
  rect->setupFullAxesBox(false);  // a frame, with ticks and labels only left and bottom
  rect->axis(QCPAxis::atTop)->setTicks(false);
  rect->axis(QCPAxis::atRight)->setTicks(false);
  rect->axis(QCPAxis::atTop)->setTickLabels(false);
  rect->axis(QCPAxis::atRight)->setTickLabels(false);
}

double at(const std::vector<double>& v, std::size_t t) { return t < v.size() ? v[t] : std::numeric_limits<double>::quiet_NaN(); }

}  // namespace

PaperModeView::PaperModeView(QWidget* parent) : QWidget(parent) {
  m_stationCombo = new QComboBox;
  m_stationCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  m_stationCombo->setMinimumContentsLength(12);
  connect(m_stationCombo, &QComboBox::currentIndexChanged, this, [this](int comboIndex) {
    if (m_syncing || comboIndex < 0) return;
    m_station = m_stationCombo->itemData(comboIndex).toInt();
    showStation();
    Q_EMIT stationChanged(m_station);
  });
  m_metrics = new QLabel;
  QFont bold = m_metrics->font();
  bold.setBold(true);
  m_metrics->setFont(bold);
  m_metrics->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_metrics->setToolTip(
      tr("η (Eq. 19) = 1 − Σ ρ_ctrl / Σ ρ_obs; QoE (Eq. 20) = 1 − Σ [ρ_obs − ρ_ctrl]⁺ / Σ ρ_obs. "
         "The network's sums run over every station and hour."));
  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("Station:")));
  top->addWidget(m_stationCombo);
  top->addSpacing(16);
  top->addWidget(m_metrics, 1);

  m_details = new QLabel;
  m_details->setStyleSheet(QStringLiteral("color: #444;"));
  m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);

  // Always visible: without it, "η = 12 %" reads as "12 % less energy", which it is not.
  m_explanation =
      new QLabel(tr("Paper mode (NetSpatial Eq. 19–20): in volatile windows the control target is the generated forecast, elsewhere "
                    "the observed load. With idle power cancelled, η counts load not served: η ≤ 1 − QoE always. It is not a sleep "
                    "schedule's saving."));
  m_explanation->setWordWrap(true);
  m_explanation->setStyleSheet(QStringLiteral("color: #555; background: #f4f1f8; border: 1px solid #ddd5e8; padding: 4px;"));

  m_empty = new QLabel(tr("Run paper mode to compare observed load with the generated control target"));
  m_empty->setAlignment(Qt::AlignCenter);
  m_empty->setWordWrap(true);
  m_empty->setStyleSheet(QStringLiteral("color: #666; font-size: 13pt;"));

  buildPlot();

  auto* page = new QWidget;
  auto* pageLayout = new QVBoxLayout(page);
  pageLayout->setContentsMargins(0, 0, 0, 0);
  pageLayout->addLayout(top);
  pageLayout->addWidget(m_details);
  pageLayout->addWidget(m_plot, 1);

  m_stack = new QStackedWidget;
  m_stack->addWidget(m_empty);
  m_stack->addWidget(page);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(m_explanation);
  layout->addWidget(m_stack, 1);
  clear();
}

PaperModeView::~PaperModeView() = default;

void PaperModeView::buildPlot() {
  m_plot = new QCustomPlot;
  m_plot->setObjectName(QStringLiteral("paperModePlot"));
  m_plot->setMinimumSize(420, 300);
  m_plot->setNoAntialiasingOnDrag(true);

  m_loadRect = m_plot->axisRect();
  frame(m_loadRect);
  m_adjustRect = new QCPAxisRect(m_plot);
  frame(m_adjustRect);

  // Title, then the legend in a row of its own (inside the axis rect it would hide the peaks it
  // explains), then the load plot and the smaller adjustment plot under it, as in the paper's Fig. 10.
  QCPLayoutGrid* layout = m_plot->plotLayout();
  layout->insertRow(0);
  auto* legendRow = new QCPLayoutGrid;
  layout->addElement(0, 0, legendRow);
  m_loadRect->insetLayout()->take(m_plot->legend);
  legendRow->addElement(0, 0, m_plot->legend);
  legendRow->addElement(0, 1, new QCPLayoutElement(m_plot));
  legendRow->setColumnStretchFactor(0, 0.001);
  legendRow->setMargins(QMargins(0, 0, 0, 0));
  m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
  // Six entries: one row when the plot is wide enough, else two.
  connect(m_plot, &QCustomPlot::beforeReplot, this, [this] {
    const int wrap = m_plot->width() >= 1050 ? 6 : 3;
    if (m_plot->legend->wrap() != wrap) m_plot->legend->setWrap(wrap);
  });
  m_plot->legend->setBorderPen(Qt::NoPen);
  m_plot->legend->setBrush(Qt::NoBrush);
  m_plot->legend->setColumnSpacing(18);
  m_plot->legend->setMargins(QMargins(6, 2, 6, 2));
  m_plot->legend->setVisible(true);
  layout->insertRow(0);
  QFont titleFont = m_plot->font();
  titleFont.setBold(true);
  m_title = new QCPTextElement(m_plot, QString(), titleFont);
  layout->addElement(0, 0, m_title);
  layout->addElement(3, 0, m_adjustRect);
  layout->setRowStretchFactor(0, 0.001);
  layout->setRowStretchFactor(1, 0.001);
  layout->setRowStretchFactor(2, 3.0);
  layout->setRowStretchFactor(3, 1.3);
  layout->setRowSpacing(4);
  // The top axes carry no labels: their automatic margin would only leave a gap under the legend.
  m_loadRect->setAutoMargins(QCP::msLeft | QCP::msRight | QCP::msBottom);
  m_loadRect->setMargins(QMargins(0, 6, 0, 0));
  m_adjustRect->setAutoMargins(QCP::msLeft | QCP::msRight | QCP::msBottom);
  m_adjustRect->setMargins(QMargins(0, 6, 0, 0));

  // Both plots share their left edge and their time axis.
  auto* margins = new QCPMarginGroup(m_plot);
  m_loadRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
  m_adjustRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);

  auto ticker = QSharedPointer<LocalTimeTicker>::create();
  ticker->setTickCount(4);  // about a tick a week on four weeks, as in the site inspector
  ticker->setDateTimeFormat(QStringLiteral("ddd d MMM"));
  QCPAxis* loadX = m_loadRect->axis(QCPAxis::atBottom);
  QCPAxis* adjustX = m_adjustRect->axis(QCPAxis::atBottom);
  loadX->setTicker(ticker);
  adjustX->setTicker(ticker);
  loadX->setTickLabels(false);  // the adjustment plot's axis below says the dates

  QCPAxis* loadY = m_loadRect->axis(QCPAxis::atLeft);
  QCPAxis* shadeY = m_loadRect->axis(QCPAxis::atRight);
  shadeY->setRange(0.0, 1.0);

  // Drawing order, back to front: the volatile shading, the control target as a broad pale line,
  // then the observed and generated curves on top of it. ρ_ctrl is one of those two at every hour,
  // so the broad line shows which one it follows without hiding either.
  m_plot->addLayer(QStringLiteral("shading"), m_plot->layer(QStringLiteral("grid")), QCustomPlot::limAbove);
  m_plot->addLayer(QStringLiteral("control"), m_plot->layer(QStringLiteral("shading")), QCustomPlot::limAbove);

  m_observed = m_plot->addGraph(loadX, loadY);
  m_observed->setName(tr("Observed ρ_obs"));
  m_observed->setPen(pen(kObserved, 1.3));
  m_generated = m_plot->addGraph(loadX, loadY);
  m_generated->setName(tr("Generated forecast ρ_gen"));
  m_generated->setPen(pen(kGenerated, 1.2, Qt::DashLine));
  m_control = m_plot->addGraph(loadX, loadY);
  m_control->setName(tr("Control target ρ_ctrl"));
  m_control->setPen(pen(kControl, 4.0));
  m_control->setLayer(QStringLiteral("control"));
  m_volatile = m_plot->addGraph(loadX, shadeY);
  m_volatile->setName(tr("Volatile window"));
  m_volatile->setLineStyle(QCPGraph::lsStepLeft);
  m_volatile->setPen(Qt::NoPen);
  m_volatile->setBrush(kVolatile);
  m_volatile->setLayer(QStringLiteral("shading"));
  for (QCPGraph* g : {m_observed, m_generated, m_control}) g->setAntialiased(true);
  m_volatile->setAntialiased(false);

  QCPAxis* adjustY = m_adjustRect->axis(QCPAxis::atLeft);
  m_reduction = m_plot->addGraph(adjustX, adjustY);
  m_reduction->setName(tr("Reduction (ρ_ctrl < ρ_obs)"));
  m_increase = m_plot->addGraph(adjustX, adjustY);
  m_increase->setName(tr("Increase (ρ_ctrl > ρ_obs)"));
  for (auto [g, colour] : {std::pair{m_reduction, kReduction}, std::pair{m_increase, kIncrease}}) {
    g->setLineStyle(QCPGraph::lsStepLeft);
    g->setPen(pen(colour, 1.0));
    QColor fill = colour;
    fill.setAlpha(150);
    g->setBrush(fill);  // with no channel graph, filled to zero
    g->setAntialiased(false);
  }
  m_zeroLine = new QCPItemStraightLine(m_plot);
  m_zeroLine->setClipAxisRect(m_adjustRect);
  m_zeroLine->point1->setAxes(adjustX, adjustY);
  m_zeroLine->point2->setAxes(adjustX, adjustY);
  m_zeroLine->point1->setCoords(0.0, 0.0);
  m_zeroLine->point2->setCoords(1.0, 0.0);
  m_zeroLine->setPen(QPen(QColor(90, 90, 90), 1.0));

  // Drag and wheel along time only, both plots together; the view stays on the data.
  m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  for (QCPAxisRect* rect : {m_loadRect, m_adjustRect}) {
    rect->setRangeDrag(Qt::Horizontal);
    rect->setRangeZoom(Qt::Horizontal);
    rect->setRangeDragAxes(rect->axis(QCPAxis::atBottom), nullptr);
    rect->setRangeZoomAxes(rect->axis(QCPAxis::atBottom), nullptr);
  }
  // Either axis moved (a drag or wheel in either plot, or setRange): both follow, kept on the data.
  const auto sync = [this, loadX, adjustX, ticker](const QCPRange& range) {
    QCPRange clamped = range;
    if (m_lastKey > m_firstKey) {
      const double span = m_lastKey - m_firstKey;
      if (clamped.size() > span)
        clamped = {m_firstKey, m_lastKey};
      else if (span >= kMinSpanSeconds && clamped.size() < kMinSpanSeconds)
        clamped = {clamped.center() - kMinSpanSeconds / 2, clamped.center() + kMinSpanSeconds / 2};
      if (clamped.lower < m_firstKey) clamped += m_firstKey - clamped.lower;
      if (clamped.upper > m_lastKey) clamped -= clamped.upper - m_lastKey;
    }
    ticker->setDateTimeFormat(clamped.size() > kDateOnlySpanSeconds ? QStringLiteral("ddd d MMM") : QStringLiteral("ddd d MMM\nHH:mm"));
    // Each setRange re-enters here through the axis' signal, and stops once nothing differs.
    for (QCPAxis* axis : {loadX, adjustX})
      if (axis->range() != clamped) axis->setRange(clamped);
  };
  connect(loadX, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, sync);
  connect(adjustX, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, sync);
  connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] {
    if (m_lastKey <= m_firstKey) return;
    m_loadRect->axis(QCPAxis::atBottom)->setRange(m_firstKey, m_lastKey);
    replotWhenVisible(m_plot);
  });
}

void PaperModeView::setResult(const core::PaperModeResult& result, const std::vector<QString>& ids,
                              const std::vector<std::vector<double>>& observed, const std::vector<std::vector<double>>& generated,
                              const QDateTime& startUtc, const QTimeZone& zone, const QString& unit) {
  const QString previous = currentStationId();
  m_result = result;
  m_observedSeries = observed;
  m_generatedSeries = generated;
  m_start = startUtc.toUTC();
  m_zone = zone;
  m_unit = unit;
  // Only stations present in every input; a result for a different station list would pair the
  // wrong series with the wrong id.
  const std::size_t n = std::min({ids.size(), result.stations.size(), observed.size(), generated.size()});
  m_ids.assign(ids.begin(), ids.begin() + std::ptrdiff_t(n));

  m_syncing = true;
  m_stationCombo->clear();
  for (std::size_t i = 0; i < n; ++i) {
    m_stationCombo->addItem(m_ids[i], int(i));
    m_stationCombo->setItemData(int(i),
                                tr("η %1, QoE %2, %3 volatile hours")
                                    .arg(percentText(result.stations[i].eta), percentText(result.stations[i].qoe))
                                    .arg(result.stations[i].volatileHours),
                                Qt::ToolTipRole);
  }
  int index = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (!previous.isEmpty() && m_ids[i] == previous) index = int(i);
  m_station = n > 0 ? index : -1;
  m_stationCombo->setCurrentIndex(m_station);
  m_syncing = false;
  m_stack->setCurrentIndex(n > 0 ? 1 : 0);
  showStation();
}

void PaperModeView::clear() {
  m_result = {};
  m_ids.clear();
  m_observedSeries.clear();
  m_generatedSeries.clear();
  m_station = -1;
  m_syncing = true;
  m_stationCombo->clear();
  m_syncing = false;
  m_stack->setCurrentIndex(0);
  showStation();
}

bool PaperModeView::showsEmptyState() const { return m_stack->currentWidget() == m_empty; }

void PaperModeView::setStation(int index) {
  if (index < 0 || index >= stationCount() || index == m_station) return;
  m_station = index;
  m_syncing = true;
  m_stationCombo->setCurrentIndex(index);
  m_syncing = false;
  showStation();
}

bool PaperModeView::setStation(const QString& id) {
  const auto it = std::find(m_ids.begin(), m_ids.end(), id);
  if (it == m_ids.end()) return false;
  setStation(int(it - m_ids.begin()));
  return true;
}

QString PaperModeView::currentStationId() const {
  return m_station >= 0 && m_station < stationCount() ? m_ids[std::size_t(m_station)] : QString();
}

double PaperModeView::keyOfHour(int hour) const { return LocalTimeTicker::localKey(m_start.addSecs(qint64(hour) * 3600), m_zone); }

QString PaperModeView::percentText(double fraction) { return LoadFormat::percent(fraction); }

QString PaperModeView::metricsText(double stationEta, double stationQoe, double networkEta, double networkQoe) {
  return tr("η = %1, QoE = %2 (station) · network η = %3, QoE = %4")
      .arg(percentText(stationEta), percentText(stationQoe), percentText(networkEta), percentText(networkQoe));
}

void PaperModeView::showStation() {
  for (QCPGraph* g : {m_observed, m_generated, m_control, m_volatile, m_reduction, m_increase}) g->data()->clear();
  QCPAxis* loadX = m_loadRect->axis(QCPAxis::atBottom);
  QCPAxis* loadY = m_loadRect->axis(QCPAxis::atLeft);
  QCPAxis* adjustY = m_adjustRect->axis(QCPAxis::atLeft);
  const QString unit = LoadFormat::shownUnit(m_unit);
  loadY->setLabel(tr("Load ρ (%1)").arg(unit));
  adjustY->setLabel(tr("ρ_ctrl − ρ_obs (%1)").arg(unit));
  const QString zoneName = m_zone.isValid() ? QString::fromUtf8(m_zone.id()) : QStringLiteral("UTC");
  m_adjustRect->axis(QCPAxis::atBottom)->setLabel(tr("Local time (%1)").arg(zoneName));

  if (m_station < 0 || m_station >= stationCount()) {
    m_firstKey = m_lastKey = 0.0;
    m_title->setText(QString());
    updateLabels();
    replotWhenVisible(m_plot);
    return;
  }
  const auto s = std::size_t(m_station);
  const core::PaperModeStation& st = m_result.stations[s];
  const std::vector<double>& obs = m_observedSeries[s];
  const std::vector<double>& gen = m_generatedSeries[s];
  const std::size_t hours = std::max({obs.size(), gen.size(), st.control.size()});

  // Curves at the middle of their hour (each value is the hour's load); steps span the hour.
  const auto n = static_cast<qsizetype>(hours);
  QVector<double> keys(n + 1), mids(n);
  for (std::size_t t = 0; t <= hours; ++t) keys[qsizetype(t)] = keyOfHour(int(t));
  for (std::size_t t = 0; t < hours; ++t) mids[qsizetype(t)] = 0.5 * (keys[qsizetype(t)] + keys[qsizetype(t + 1)]);
  QVector<double> o(n), g(n), c(n), shade(n + 1), down(n + 1), up(n + 1);
  double hi = 0.0, swing = 0.0;
  for (std::size_t t = 0; t < hours; ++t) {
    const auto i = qsizetype(t);
    o[i] = at(obs, t);
    g[i] = at(gen, t);
    c[i] = at(st.control, t);
    for (double v : {o[i], g[i], c[i]})
      if (std::isfinite(v)) hi = std::max(hi, v);
    shade[i] = t < st.isVolatile.size() && st.isVolatile[t] ? 1.0 : 0.0;
    const double d = c[i] - o[i];  // NaN where either is missing: a gap, not a zero
    down[i] = std::isfinite(d) ? std::min(d, 0.0) : d;
    up[i] = std::isfinite(d) ? std::max(d, 0.0) : d;
    if (std::isfinite(d)) swing = std::max(swing, std::abs(d));
  }
  // The step graphs need a closing point for their last hour.
  shade[qsizetype(hours)] = hours > 0 ? shade[qsizetype(hours - 1)] : 0.0;
  down[qsizetype(hours)] = hours > 0 ? down[qsizetype(hours - 1)] : 0.0;
  up[qsizetype(hours)] = hours > 0 ? up[qsizetype(hours - 1)] : 0.0;
  m_observed->setData(mids, o, true);
  m_generated->setData(mids, g, true);
  m_control->setData(mids, c, true);
  m_volatile->setData(keys, shade, true);
  m_reduction->setData(keys, down, true);
  m_increase->setData(keys, up, true);

  // Loads start at zero (a load axis from its minimum exaggerates small differences); the
  // adjustment axis is symmetric so that reductions and increases compare by area.
  loadY->setRange(0.0, hi > 0.0 ? hi * 1.08 : 1.0);
  adjustY->setRange(swing > 0.0 ? -swing * 1.15 : -1.0, swing > 0.0 ? swing * 1.15 : 1.0);
  m_firstKey = keys.front();
  m_lastKey = keys.back();
  loadX->ticker().staticCast<LocalTimeTicker>()->setLocalOrigin(LocalTimeTicker::localKey(m_start, m_zone));
  loadX->setRange(m_firstKey, m_lastKey);
  m_title->setText(tr("%1 · paper mode · η = %2, QoE = %3").arg(m_ids[s], percentText(st.eta), percentText(st.qoe)));
  updateLabels();
  replotWhenVisible(m_plot);
}

void PaperModeView::updateLabels() {
  if (m_station < 0 || m_station >= stationCount()) {
    m_metrics->clear();
    m_details->clear();
    return;
  }
  const core::PaperModeStation& st = m_result.stations[std::size_t(m_station)];
  m_metrics->setText(metricsText(st.eta, st.qoe, m_result.eta, m_result.qoe));

  const std::vector<double>& obs = m_observedSeries[std::size_t(m_station)];
  double reduced = 0.0, increased = 0.0;
  int hours = 0;
  for (std::size_t t = 0; t < std::min(obs.size(), st.control.size()); ++t) {
    ++hours;
    const double d = st.control[t] - obs[t];
    if (!std::isfinite(d)) continue;
    (d < 0.0 ? reduced : increased) += d;
  }
  const QString volume = LoadFormat::volumeUnit(m_unit);
  const QString suffix = volume.isEmpty() ? QString() : QStringLiteral(" ") + volume;
  m_details->setText(tr("Volatile: %1 of %2 h (%3) · reductions Σ %4%6 · increases Σ +%5%6")
                         .arg(st.volatileHours)
                         .arg(hours)
                         .arg(percentText(hours > 0 ? double(st.volatileHours) / hours : std::nan("")))
                         .arg(LoadFormat::number(reduced), LoadFormat::number(increased), suffix));
}

QImage PaperModeView::render(QSize pixels, double dpi) const {
  if (!hasData()) return {};
  return PlotExport::render(*m_plot, pixels, dpi);
}

core::Status PaperModeView::savePng(const QString& path, int widthPx, int heightPx, double dpi) const {
  if (!hasData()) return Error(ErrorCode::InvalidArgument, QStringLiteral("nothing to export: paper mode has not run")).withFile(path);
  return PlotExport::savePng(*m_plot, path, QSize(widthPx, heightPx), dpi);
}

}  // namespace netspatial::ui
