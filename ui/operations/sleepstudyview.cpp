#include "ui/operations/sleepstudyview.h"

#include "ui/inspector/deferredreplot.h"
#include "ui/inspector/plotexport.h"
#include "ui/inspector/plotlayout.h"
#include "ui/operations/legendstrip.h"
#include "ui/operations/localdayticker.h"
#include "ui/operations/sleepcomparisonmodel.h"
#include "ui/operations/sleeptimeline.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImageWriter>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "ui/inspector/customplot.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace netspatial::ui {

namespace {

using core::Error;
using core::ErrorCode;
using core::SleepPolicy;

constexpr double kMetresPerInch = 0.0254;

const core::ScheduleOutcome* findOutcome(const core::SleepStudy& study, SleepPolicy policy) {
  for (const core::ScheduleOutcome& o : study.outcomes)
    if (o.policy == policy) return &o;
  return nullptr;
}

QString percent(double v, int decimals) { return QLocale().toString(v, 'f', decimals); }

void setupFrame(QCPAxisRect* rect) {
  rect->setupFullAxesBox(false);  // a frame, but ticks and labels only left and bottom
  rect->axis(QCPAxis::atTop)->setTicks(false);
  rect->axis(QCPAxis::atRight)->setTicks(false);
}

// The same columns, alignment and sizing on screen and in an exported image.
void configureTable(QTableView* table) {
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setAlternatingRowColors(true);
  table->setWordWrap(false);
  table->verticalHeader()->hide();
  table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  table->horizontalHeader()->setStretchLastSection(false);
  table->horizontalHeader()->setDefaultAlignment(Qt::AlignRight | Qt::AlignVCenter);
}

// Each column as wide as its widest cell or header plus some air: numbers stay next to their
// policy's label instead of being pushed to the far edge of a wide window.
void fitColumns(QTableView* table) {
  table->resizeColumnsToContents();
  for (int c = 0; c < table->model()->columnCount(); ++c) table->setColumnWidth(c, table->columnWidth(c) + 18);
}

core::Status checkImage(const QString& path, int tab, int width, int height, double dpi) {
  if (tab < 0 || tab >= SleepStudyView::TabCount)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("there is no tab %1 (0–%2)").arg(tab).arg(SleepStudyView::TabCount - 1))
        .withFile(path);
  if (width <= 0 || height <= 0 || width > PlotExport::kMaxPixels || height > PlotExport::kMaxPixels)
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("the image size %1 × %2 px is not within 1–%3 px").arg(width).arg(height).arg(PlotExport::kMaxPixels))
        .withFile(path);
  if (!std::isfinite(dpi) || dpi < 10.0 || dpi > 2400.0)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("a resolution of %1 DPI is not within 10–2400").arg(dpi)).withFile(path);
  if (path.isEmpty()) return {};
  const QFileInfo info(path);
  if (!info.absoluteDir().exists())
    return Error(ErrorCode::Io, QStringLiteral("cannot write the file: the folder %1 does not exist")
                                    .arg(QDir::toNativeSeparators(info.absoluteDir().absolutePath())))
        .withFile(path);
  if (info.isDir()) return Error(ErrorCode::Io, QStringLiteral("cannot write the file: it is a folder")).withFile(path);
  return {};
}

// Keeps the two time axes of the power plot in step and within the study's hours.
void clampTimeRange(QCPAxis* axis, double hours) {
  const QCPRange r = axis->range();
  const double span = std::max(1.0, hours);
  QCPRange clamped(std::max(0.0, r.lower), std::min(span, r.upper));
  if (clamped.size() < std::min(2.0, span)) clamped.upper = std::min(span, clamped.lower + 2.0);
  if (clamped != r) axis->setRange(clamped);
}

}  // namespace

QColor SleepStudyView::policyColour(core::SleepPolicy policy) {
  switch (policy) {
    case SleepPolicy::AlwaysOn:
      return QColor(110, 110, 110);
    case SleepPolicy::StaticNight:
      return QColor(148, 103, 189);
    case SleepPolicy::Forecast:
      return QColor(31, 119, 180);
    case SleepPolicy::Oracle:
      return QColor(44, 160, 44);
  }
  return Qt::black;
}

SleepStudyView::SleepStudyView(QWidget* parent) : QWidget(parent) {
  m_empty = new QLabel(tr(kEmptyText));
  m_empty->setAlignment(Qt::AlignCenter);
  m_empty->setWordWrap(true);
  m_empty->setStyleSheet(QStringLiteral("color: #666; font-size: 13pt;"));

  m_summary = new QLabel;
  m_summary->setWordWrap(true);
  m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_notes = new QLabel;
  m_notes->setWordWrap(true);
  m_notes->setStyleSheet(QStringLiteral("color: #8a5300;"));
  m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_notes->hide();

  // Timeline.
  m_scheduleCombo = new QComboBox;
  m_scheduleCombo->addItem(tr("Forecast-driven"), int(TimelineSchedule::Forecast));
  m_scheduleCombo->addItem(tr("Oracle (observed load)"), int(TimelineSchedule::Oracle));
  m_scheduleCombo->setToolTip(tr("The schedule the timeline shows"));
  m_timeline = new SleepTimeline;
  auto* timelinePage = new QWidget;
  auto* timelineLayout = new QVBoxLayout(timelinePage);
  timelineLayout->setContentsMargins(0, 4, 0, 0);
  auto* timelineBar = new QHBoxLayout;
  timelineBar->addWidget(new QLabel(tr("Schedule:")));
  timelineBar->addWidget(m_scheduleCombo);
  auto* hint = new QLabel(tr("Hover a cell for the station, the local hour and where its load goes; wheel zooms the hours."));
  hint->setStyleSheet(QStringLiteral("color: #666;"));
  timelineBar->addSpacing(12);
  timelineBar->addWidget(hint, 1);
  timelineLayout->addLayout(timelineBar);
  timelineLayout->addWidget(m_timeline, 1);
  connect(m_scheduleCombo, &QComboBox::currentIndexChanged, this, [this] { showTimeline(); });

  // Power & QoE: two axis rects sharing the time axis, power above (most of the height), QoE below.
  m_powerPlot = new QCustomPlot;
  m_powerPlot->setObjectName(QStringLiteral("sleepPowerPlot"));
  m_powerPlot->setMinimumSize(420, 300);
  m_powerPlot->setNoAntialiasingOnDrag(true);
  QFont titleFont = m_powerPlot->font();
  titleFont.setBold(true);
  m_powerRect = m_powerPlot->axisRect();
  m_powerPlot->plotLayout()->insertRow(0);
  m_powerTitle = new QCPTextElement(m_powerPlot, QString(), titleFont);
  m_powerPlot->plotLayout()->addElement(0, 0, m_powerTitle);
  m_powerPlot->plotLayout()->insertRow(1);
  operations_detail::placeLegendStrip(m_powerPlot, 1);
  m_qoeRect = new QCPAxisRect(m_powerPlot);
  m_powerPlot->plotLayout()->addElement(3, 0, m_qoeRect);
  m_powerPlot->plotLayout()->setRowStretchFactor(0, 0.001);
  m_powerPlot->plotLayout()->setRowStretchFactor(2, 2.6);
  m_powerPlot->plotLayout()->setRowStretchFactor(3, 1.0);
  m_powerPlot->plotLayout()->setRowSpacing(4);
  auto* margins = new QCPMarginGroup(m_powerPlot);
  for (QCPAxisRect* rect : {m_powerRect, m_qoeRect}) {
    setupFrame(rect);
    rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    x->setTicker(QSharedPointer<LocalDayTicker>::create(x));
    x->grid()->setSubGridVisible(true);
    x->grid()->setSubGridPen(QPen(QColor(225, 225, 225), 1));
    rect->setRangeDrag(Qt::Horizontal);
    rect->setRangeZoom(Qt::Horizontal);
    rect->setRangeDragAxes(x, nullptr);
    rect->setRangeZoomAxes(x, nullptr);
  }
  // The hours read on the lower plot; the upper keeps its day lines without repeating the labels.
  m_powerRect->axis(QCPAxis::atBottom)->setTickLabels(false);
  m_powerRect->axis(QCPAxis::atLeft)->setLabel(tr("Network power (kW)"));
  m_qoeRect->axis(QCPAxis::atLeft)->setLabel(tr("QoE (%)"));
  m_powerPlot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  QCPAxis* powerX = m_powerRect->axis(QCPAxis::atBottom);
  QCPAxis* qoeX = m_qoeRect->axis(QCPAxis::atBottom);
  connect(powerX, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this, powerX, qoeX](const QCPRange& r) {
    clampTimeRange(powerX, m_powerGraphs.empty() ? 0.0 : powerX->property("hours").toDouble());
    if (qoeX->range() != powerX->range()) qoeX->setRange(powerX->range());
    (void)r;
  });
  connect(qoeX, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this, powerX, qoeX](const QCPRange& r) {
    clampTimeRange(qoeX, m_qoeGraphs.empty() ? 0.0 : powerX->property("hours").toDouble());
    if (powerX->range() != qoeX->range()) powerX->setRange(qoeX->range());
    (void)r;
  });

  // Trade-off.
  m_tradeoffPlot = new QCustomPlot;
  m_tradeoffPlot->setObjectName(QStringLiteral("sleepTradeoffPlot"));
  m_tradeoffPlot->setMinimumSize(420, 300);
  m_tradeoffPlot->plotLayout()->insertRow(0);
  m_tradeoffTitle = new QCPTextElement(m_tradeoffPlot, QString(), titleFont);
  m_tradeoffPlot->plotLayout()->addElement(0, 0, m_tradeoffTitle);
  m_tradeoffPlot->plotLayout()->setRowStretchFactor(0, 0.001);
  legendOnTheRight(m_tradeoffPlot, 1);
  setupFrame(m_tradeoffPlot->axisRect());
  m_tradeoffPlot->xAxis->setLabel(tr("QoE: observed traffic served ÷ offered (%)"));
  m_tradeoffPlot->yAxis->setLabel(tr("Energy saving against always-on (%)"));

  // Comparison.
  m_model = new SleepComparisonModel(this);
  m_table = new QTableView;
  m_table->setModel(m_model);
  configureTable(m_table);
  connect(m_model, &QAbstractItemModel::modelReset, m_table, [this] { fitColumns(m_table); });

  m_tabs = new QTabWidget;
  m_tabs->setDocumentMode(true);
  m_tabs->addTab(timelinePage, tr("Timeline"));
  m_tabs->addTab(m_powerPlot, tr("Power && QoE"));
  m_tabs->addTab(m_tradeoffPlot, tr("Trade-off"));
  m_tabs->addTab(m_table, tr("Comparison"));

  auto* studyPage = new QWidget;
  auto* studyLayout = new QVBoxLayout(studyPage);
  studyLayout->setContentsMargins(0, 0, 0, 0);
  studyLayout->addWidget(m_summary);
  studyLayout->addWidget(m_notes);
  studyLayout->addWidget(m_tabs, 1);

  m_stack = new QStackedWidget;
  m_stack->addWidget(m_empty);
  m_stack->addWidget(studyPage);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 6, 6, 6);
  layout->addWidget(m_stack, 1);

  rebuild();
}

SleepStudyView::~SleepStudyView() = default;

void SleepStudyView::setStudy(const core::SleepStudy& study, const std::vector<QString>& stationIds, const QDateTime& startUtc,
                              const QTimeZone& zone, const QString& trafficUnit) {
  setStudy(std::make_shared<const core::SleepStudy>(study), stationIds, startUtc, zone, trafficUnit);
}

void SleepStudyView::setStudy(std::shared_ptr<const core::SleepStudy> study, const std::vector<QString>& stationIds,
                              const QDateTime& startUtc, const QTimeZone& zone, const QString& trafficUnit) {
  m_study = std::move(study);
  m_ids = stationIds;
  m_startUtc = startUtc.toUTC();
  m_zone = zone.isValid() ? zone : QTimeZone::utc();
  m_unit = trafficUnit;
  m_hasStudy = true;
  rebuild();
}

void SleepStudyView::clear() {
  m_study = std::make_shared<const core::SleepStudy>();
  m_ids.clear();
  m_hasStudy = false;
  rebuild();
}

bool SleepStudyView::showsEmptyState() const { return m_stack->currentWidget() == m_empty; }

SleepStudyView::TimelineSchedule SleepStudyView::timelineSchedule() const {
  return TimelineSchedule(m_scheduleCombo->currentData().toInt());
}

void SleepStudyView::setTimelineSchedule(TimelineSchedule which) {
  m_scheduleCombo->setCurrentIndex(std::max(0, m_scheduleCombo->findData(int(which))));
}

QCPGraph* SleepStudyView::tradeoffMarker(core::SleepPolicy policy) const {
  for (const auto& [p, g] : m_markers)
    if (p == policy) return g;
  return nullptr;
}

QString SleepStudyView::periodText() const {
  int hours = 0;
  for (const core::ScheduleOutcome& o : m_study->outcomes) hours = std::max(hours, int(o.powerW.size()));
  hours = std::max({hours, int(m_study->forecastSchedule.hours.size()), int(m_study->oracleSchedule.hours.size())});
  int stations = 0;
  for (const core::ScheduleOutcome& o : m_study->outcomes) stations = std::max(stations, int(o.stations.size()));
  stations = std::max({stations, m_study->forecastSchedule.stationCount, m_study->oracleSchedule.stationCount});
  const QDateTime local = m_startUtc.toTimeZone(m_zone);
  return tr("%1 stations, %2 h from %3 %4 (%5)")
      .arg(stations)
      .arg(hours)
      .arg(QLocale::c().toString(local, QStringLiteral("ddd dd MMM yyyy HH:mm")), m_zone.abbreviation(local),
           QString::fromUtf8(m_zone.id()));
}

void SleepStudyView::rebuild() {
  m_stack->setCurrentWidget(m_hasStudy ? m_stack->widget(1) : m_empty);
  m_model->setOutcomes(m_hasStudy ? m_study->outcomes : std::vector<core::ScheduleOutcome>(), m_unit);
  m_summary->setText(m_hasStudy ? tr("%1 · traffic in %2").arg(periodText(), m_unit.isEmpty() ? tr("the scenario's unit") : m_unit)
                                : QString());
  m_notes->setText(m_study->notes.join(QLatin1Char('\n')));
  m_notes->setVisible(m_hasStudy && !m_study->notes.isEmpty());

  // The combo names the forecast policy with its quantile, and greys out a schedule the study lacks.
  {
    const core::ScheduleOutcome* forecast = findOutcome(*m_study, SleepPolicy::Forecast);
    const core::ScheduleOutcome* oracle = findOutcome(*m_study, SleepPolicy::Oracle);
    const QSignalBlocker block(m_scheduleCombo);
    m_scheduleCombo->setItemText(0, forecast ? SleepComparisonModel::policyLabel(*forecast) : tr("Forecast-driven"));
    m_scheduleCombo->setItemText(1, oracle ? SleepComparisonModel::policyLabel(*oracle) : tr("Oracle (observed load)"));
    if (auto* model = qobject_cast<QStandardItemModel*>(m_scheduleCombo->model())) {
      const bool has[2] = {!m_study->forecastSchedule.hours.empty(), !m_study->oracleSchedule.hours.empty()};
      for (int i = 0; i < 2; ++i)
        if (QStandardItem* item = model->item(i)) item->setEnabled(has[i] || !m_hasStudy);
      if (m_hasStudy && !has[m_scheduleCombo->currentIndex()] && has[1 - m_scheduleCombo->currentIndex()])
        m_scheduleCombo->setCurrentIndex(1 - m_scheduleCombo->currentIndex());
    }
  }
  showTimeline();
  plotPower();
  plotTradeoff();
}

void SleepStudyView::showTimeline() {
  if (!m_hasStudy) {
    m_timeline->clear();
    return;
  }
  const bool oracle = timelineSchedule() == TimelineSchedule::Oracle;
  // Shares the study's schedule (no copy of 672 hourly decisions on the GUI thread).
  const std::shared_ptr<const core::SleepSchedule> schedule(m_study, oracle ? &m_study->oracleSchedule : &m_study->forecastSchedule);
  const core::ScheduleOutcome* outcome = findOutcome(*m_study, oracle ? SleepPolicy::Oracle : SleepPolicy::Forecast);
  const QString title = outcome ? SleepComparisonModel::policyLabel(*outcome) : m_scheduleCombo->currentText();
  m_timeline->setSchedule(schedule, m_ids, m_startUtc, m_zone, title);
}

void SleepStudyView::plotPower() {
  m_powerPlot->clearGraphs();
  m_powerPlot->clearItems();
  m_powerGraphs.clear();
  m_qoeGraphs.clear();
  QCPAxis* powerX = m_powerRect->axis(QCPAxis::atBottom);
  QCPAxis* powerY = m_powerRect->axis(QCPAxis::atLeft);
  QCPAxis* qoeX = m_qoeRect->axis(QCPAxis::atBottom);
  QCPAxis* qoeY = m_qoeRect->axis(QCPAxis::atLeft);

  int hours = 0;
  for (const core::ScheduleOutcome& o : m_study->outcomes) hours = std::max(hours, int(std::max(o.powerW.size(), o.qoeByHour.size())));
  if (!m_hasStudy) hours = 0;
  powerX->setProperty("hours", hours);
  for (QCPAxis* x : {powerX, qoeX}) static_cast<LocalDayTicker*>(x->ticker().data())->setTimeSpan(m_startUtc, m_zone, hours);
  qoeX->setLabel(tr("Local time (%1)").arg(QString::fromUtf8(m_zone.id())));

  double powerLo = std::numeric_limits<double>::infinity(), powerHi = -powerLo;
  double qoeLo = kQoeGuidePct;
  if (m_hasStudy) {
    // Drawn back to front: always-on (the reference), the oracle (a bound), static night, and the
    // forecast policy on top; the legend lists them in the study's order.
    auto depth = [](SleepPolicy p) {
      switch (p) {
        case SleepPolicy::AlwaysOn:
          return 0;
        case SleepPolicy::Oracle:
          return 1;
        case SleepPolicy::StaticNight:
          return 2;
        case SleepPolicy::Forecast:
          return 3;
      }
      return 4;
    };
    const std::size_t n = m_study->outcomes.size();
    std::vector<std::size_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return depth(m_study->outcomes[a].policy) < depth(m_study->outcomes[b].policy); });
    m_powerGraphs.assign(n, nullptr);
    m_qoeGraphs.assign(n, nullptr);
    for (const std::size_t i : order) {
      const core::ScheduleOutcome& o = m_study->outcomes[i];
      const QColor colour = policyColour(o.policy);
      const double width = o.policy == SleepPolicy::AlwaysOn || o.policy == SleepPolicy::Oracle ? 1.3 : 1.8;
      QVector<double> keys, kW, qoe;
      for (std::size_t h = 0; h < o.powerW.size(); ++h) {
        keys << double(h) + 0.5;  // each value is the hour's mean, drawn mid-hour
        kW << o.powerW[h] / 1000.0;
        if (std::isfinite(o.powerW[h])) {
          powerLo = std::min(powerLo, kW.back());
          powerHi = std::max(powerHi, kW.back());
        }
      }
      QCPGraph* power = m_powerPlot->addGraph(powerX, powerY);
      power->setData(keys, kW, true);
      power->setPen(QPen(colour, width));
      power->setName(tr("%1: %2 kWh, saves %3 %")
                         .arg(SleepComparisonModel::policyLabel(o), QLocale().toString(o.energyKWh, 'f', 0), percent(o.savingPct, 1)));
      power->removeFromLegend();
      m_powerGraphs[i] = power;

      keys.clear();
      for (std::size_t h = 0; h < o.qoeByHour.size(); ++h) {
        keys << double(h) + 0.5;
        qoe << 100.0 * o.qoeByHour[h];
        if (std::isfinite(qoe.back())) qoeLo = std::min(qoeLo, qoe.back());
      }
      QCPGraph* q = m_powerPlot->addGraph(qoeX, qoeY);
      q->setData(keys, qoe, true);
      q->setPen(QPen(colour, width));
      q->removeFromLegend();  // the colours are those of the power curves above
      m_qoeGraphs[i] = q;
    }
    for (QCPGraph* g : m_powerGraphs) g->addToLegend();
  }
  if (!(powerHi >= powerLo)) {
    powerLo = 0.0;
    powerHi = 1.0;
  }
  // Not from zero: the policies differ by a few kW on tens, which a zero-based axis would flatten.
  const double pad = std::max(0.05 * (powerHi - powerLo), 0.01 * std::abs(powerHi) + 1e-6);
  powerY->setRange(std::max(0.0, powerLo - pad), powerHi + pad);
  const double qoePad = std::max(0.08 * (100.0 - qoeLo), 0.05);
  qoeY->setRange(qoeLo - qoePad, 100.0 + qoePad);

  auto* guide = new QCPItemStraightLine(m_powerPlot);
  guide->setClipAxisRect(m_qoeRect);
  for (QCPItemPosition* p : {guide->point1, guide->point2}) p->setAxes(qoeX, qoeY);
  guide->point1->setCoords(0.0, kQoeGuidePct);
  guide->point2->setCoords(1.0, kQoeGuidePct);
  guide->setPen(QPen(QColor(190, 60, 60, 160), 1, Qt::DashLine));

  powerX->setRange(0.0, std::max(1.0, double(hours)));
  qoeX->setRange(0.0, std::max(1.0, double(hours)));
  m_powerTitle->setText(m_hasStudy ? tr("Network power and QoE per hour, every policy on the observed load") : QString());
  m_powerPlot->legend->setVisible(!m_powerGraphs.empty());
  replotWhenVisible(m_powerPlot);
}

void SleepStudyView::plotTradeoff() {
  m_tradeoffPlot->clearPlottables();
  m_tradeoffPlot->clearItems();
  m_tradeoffCurve = nullptr;
  m_tradeoffLabels.clear();
  m_markers.clear();
  double xLo = kQoeGuidePct, xHi = 100.0, yLo = 0.0, yHi = 1.0;
  auto include = [&](double qoePct, double saving) {
    if (!std::isfinite(qoePct) || !std::isfinite(saving)) return;
    xLo = std::min(xLo, qoePct);
    xHi = std::max(xHi, qoePct);
    yLo = std::min(yLo, saving);
    yHi = std::max(yHi, saving);
  };

  if (m_hasStudy && !m_study->tradeoff.empty()) {
    m_tradeoffCurve = new QCPCurve(m_tradeoffPlot->xAxis, m_tradeoffPlot->yAxis);
    QVector<double> t, x, y;
    for (std::size_t i = 0; i < m_study->tradeoff.size(); ++i) {
      const core::TradeoffPoint& p = m_study->tradeoff[i];
      t << double(i);
      x << 100.0 * p.qoe;
      y << p.savingPct;
      include(x.back(), y.back());
    }
    m_tradeoffCurve->setData(t, x, y, true);
    m_tradeoffCurve->setPen(QPen(policyColour(SleepPolicy::Forecast), 1.8));
    m_tradeoffCurve->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, policyColour(SleepPolicy::Forecast), Qt::white, 7));
    m_tradeoffCurve->setName(tr("Forecast-driven, by quantile q"));
    for (std::size_t i = 0; i < m_study->tradeoff.size(); ++i) {
      auto* label = new QCPItemText(m_tradeoffPlot);
      label->position->setCoords(x[qsizetype(i)], y[qsizetype(i)]);
      // Above and right of its point: the curve falls to the right, so that corner is free.
      label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
      label->setPadding(QMargins(6, 0, 0, 3));
      label->setText(QStringLiteral("q=%1").arg(QString::number(m_study->tradeoff[i].quantile, 'g', 3)));
      label->setColor(policyColour(SleepPolicy::Forecast).darker(140));
      m_tradeoffLabels.push_back(label);
    }
  }

  if (m_hasStudy) {
    struct MarkerStyle {
      SleepPolicy policy;
      QCPScatterStyle::ScatterShape shape;
      double size;
    };
    const MarkerStyle styles[] = {{SleepPolicy::AlwaysOn, QCPScatterStyle::ssTriangle, 10},
                                  {SleepPolicy::StaticNight, QCPScatterStyle::ssSquare, 9},
                                  {SleepPolicy::Oracle, QCPScatterStyle::ssDiamond, 11},
                                  {SleepPolicy::Forecast, QCPScatterStyle::ssCircle, 15}};
    for (const MarkerStyle& s : styles) {
      const core::ScheduleOutcome* o = findOutcome(*m_study, s.policy);
      if (!o) continue;
      QCPGraph* g = m_tradeoffPlot->addGraph();
      const double qoePct = 100.0 * o->qoe;
      // Always-on saves nothing by definition: pinned at 0 % whatever rounding says.
      const double saving = s.policy == SleepPolicy::AlwaysOn ? 0.0 : o->savingPct;
      g->setData({qoePct}, {saving});
      g->setLineStyle(QCPGraph::lsNone);
      const QColor colour = policyColour(s.policy);
      if (s.policy == SleepPolicy::Forecast) {
        // The study's own forecast schedule: a ring around its point of the curve.
        g->setScatterStyle(QCPScatterStyle(s.shape, QPen(colour, 2.0), Qt::NoBrush, s.size));
        g->setName(tr("The study's schedule: q=%1").arg(QString::number(o->quantile, 'g', 3)));
      } else {
        g->setScatterStyle(QCPScatterStyle(s.shape, QPen(colour.darker(130), 1.2), colour, s.size));
        g->setName(SleepComparisonModel::policyLabel(*o));
      }
      include(qoePct, saving);
      m_markers.emplace_back(s.policy, g);
    }
  }

  // Room for the "q=…" labels right of and above the points.
  const double xSpan = std::max(xHi - xLo, 0.5);
  const double ySpan = std::max(yHi - yLo, 1.0);
  m_tradeoffPlot->xAxis->setRange(xLo - 0.06 * xSpan, xHi + 0.14 * xSpan);
  m_tradeoffPlot->yAxis->setRange(std::min(0.0, yLo) - 0.06 * ySpan, yHi + 0.12 * ySpan);

  if (m_hasStudy) {
    auto* guide = new QCPItemStraightLine(m_tradeoffPlot);
    guide->point1->setCoords(kQoeGuidePct, 0.0);
    guide->point2->setCoords(kQoeGuidePct, 1.0);
    guide->setPen(QPen(QColor(190, 60, 60, 180), 1.2, Qt::DashLine));
    auto* guideLabel = new QCPItemText(m_tradeoffPlot);
    guideLabel->position->setTypeX(QCPItemPosition::ptPlotCoords);
    guideLabel->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    guideLabel->position->setCoords(kQoeGuidePct, 0.02);
    // Right of the line: left of it the axis may end a hair after 99 %.
    guideLabel->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    guideLabel->setPadding(QMargins(5, 0, 0, 0));
    guideLabel->setText(tr("QoE %1 %").arg(QLocale().toString(kQoeGuidePct, 'f', 0)));
    guideLabel->setColor(QColor(170, 50, 50));
  }

  m_tradeoffTitle->setText(m_hasStudy ? tr("Energy saving against QoE: the forecast quantile trades one for the other") : QString());
  m_tradeoffPlot->legend->setVisible(m_hasStudy && m_tradeoffPlot->legend->itemCount() > 0);
  replotWhenVisible(m_tradeoffPlot);
}

QImage SleepStudyView::renderComparison(QSize pixels, double dpi) const {
  const QSize logical = PlotExport::logicalSize(pixels, dpi);
  // A page of its own at the export's logical size, rather than the table on screen: the tab may
  // never have been shown, and its on-screen size is not the size asked for.
  QWidget page;
  page.setAttribute(Qt::WA_DontShowOnScreen);
  page.setAutoFillBackground(true);
  QPalette palette = page.palette();
  palette.setColor(QPalette::Window, Qt::white);
  page.setPalette(palette);
  auto* layout = new QVBoxLayout(&page);
  layout->setContentsMargins(12, 12, 12, 12);
  auto* title = new QLabel(tr("Sleep-scheduling policies compared: %1").arg(periodText()));
  QFont bold = title->font();
  bold.setBold(true);
  title->setFont(bold);
  title->setWordWrap(true);
  layout->addWidget(title);
  auto* table = new QTableView;
  table->setModel(m_model);
  configureTable(table);
  table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  layout->addWidget(table, 0, Qt::AlignLeft);
  auto* footnote = new QLabel(tr("Energy from the EARTH power model; QoE = observed traffic served ÷ offered; "
                                 "unserved in %1; the oracle decides on the observed load (an upper bound).")
                                  .arg(SleepComparisonModel::unservedUnit(m_unit)));
  footnote->setWordWrap(true);
  footnote->setStyleSheet(QStringLiteral("color: #555;"));
  layout->addWidget(footnote);
  layout->addStretch(1);
  page.resize(logical);
  page.show();  // polishes the page and sizes the header; never mapped (WA_DontShowOnScreen)
  // The table's frame hugs its rows and columns (as far as the page allows); the rest stays white.
  fitColumns(table);
  int width = 2 * table->frameWidth(), height = 2 * table->frameWidth() + table->horizontalHeader()->height();
  for (int c = 0; c < m_model->columnCount(); ++c) width += table->columnWidth(c);
  for (int r = 0; r < m_model->rowCount(); ++r) height += table->rowHeight(r);
  const QMargins m = layout->contentsMargins();
  table->setFixedSize(std::min(width, logical.width() - m.left() - m.right()), std::min(height, logical.height() / 2));
  layout->activate();

  QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  {
    QPainter painter(&image);
    painter.setRenderHint(QPainter::TextAntialiasing, true);
    painter.scale(double(pixels.width()) / logical.width(), double(pixels.height()) / logical.height());
    page.render(&painter, QPoint(), QRegion(), QWidget::DrawChildren | QWidget::DrawWindowBackground);
  }
  page.hide();
  const int dotsPerMetre = int(std::lround(dpi / kMetresPerInch));
  image.setDotsPerMeterX(dotsPerMetre);
  image.setDotsPerMeterY(dotsPerMetre);
  return image;
}

QImage SleepStudyView::renderTab(int tab, QSize pixels, double dpi) const {
  if (!m_hasStudy || !checkImage({}, tab, pixels.width(), pixels.height(), dpi).ok()) return {};
  switch (tab) {
    case TimelineTab:
      return PlotExport::render(*m_timeline->plot(), pixels, dpi);
    case PowerTab:
      return PlotExport::render(*m_powerPlot, pixels, dpi);
    case TradeoffTab:
      return PlotExport::render(*m_tradeoffPlot, pixels, dpi);
    case ComparisonTab:
      return renderComparison(pixels, dpi);
    default:
      return {};
  }
}

core::Status SleepStudyView::saveTabPng(int tab, const QString& path, int widthPx, int heightPx, double dpi) const {
  if (!m_hasStudy) return Error(ErrorCode::InvalidArgument, QStringLiteral("nothing to export: no sleep study is shown")).withFile(path);
  if (auto ok = checkImage(path, tab, widthPx, heightPx, dpi); !ok) return ok;
  const QImage image = renderTab(tab, QSize(widthPx, heightPx), dpi);
  if (image.isNull()) return Error(ErrorCode::Internal, QStringLiteral("the tab could not be rendered")).withFile(path);
  QImageWriter writer(path, "png");
  if (!writer.write(image))
    return Error(ErrorCode::Io, QStringLiteral("cannot write the PNG file: %1").arg(writer.errorString())).withFile(path);
  return {};
}

}  // namespace netspatial::ui
