#include "ui/inspector/siteinspector.h"

#include "core/traffic/decomposition.h"
#include "ui/inspector/localtimeticker.h"
#include "ui/inspector/deferredreplot.h"
#include "ui/inspector/plotexport.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTabWidget>
#include <QVBoxLayout>

#include "ui/inspector/customplot.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace netspatial::ui {

namespace {

// Generated in blue, observed in a contrasting red (both tell apart in the common colour-vision
// deficiencies by lightness as well); in the daily plot the day type takes the hue instead, and
// observed is dashed.
const QColor kGenerated(31, 119, 180);
const QColor kObserved(214, 39, 40);
const QColor kWeekday(31, 119, 180);
const QColor kWeekend(230, 120, 20);
constexpr int kBandAlpha = 60;

const char* const kDayNames[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

// Above this span the series axis shows dates only; zoomed in further, the time of day as well.
constexpr double kDateOnlySpanSeconds = 4 * 86400.0;
constexpr double kMinSeriesSpanSeconds = 6 * 3600.0;

QPen pen(const QColor& color, double width, Qt::PenStyle style = Qt::SolidLine) {
  QPen p(color, width, style);
  p.setCapStyle(Qt::FlatCap);
  return p;
}

void setValues(QCPGraph* graph, const std::vector<double>& keys, const std::vector<float>& values) {
  QVector<double> k(qsizetype(values.size())), v(qsizetype(values.size()));
  for (std::size_t i = 0; i < values.size(); ++i) {
    k[qsizetype(i)] = keys[i];
    v[qsizetype(i)] = double(values[i]);  // NaN stays NaN: QCustomPlot draws a gap
  }
  graph->setData(k, v, true);
}

std::vector<double> indexKeys(std::size_t n, double offset = 0.0) {
  std::vector<double> keys(n);
  for (std::size_t i = 0; i < n; ++i) keys[i] = double(i) + offset;
  return keys;
}

// The legend in its own row above the axis rect, left-aligned: inside the axis rect it would hide
// the evening peaks it is supposed to explain.
void placeLegendAbove(QCustomPlot* plot) {
  auto* row = new QCPLayoutGrid;
  plot->plotLayout()->insertRow(0);
  plot->plotLayout()->addElement(0, 0, row);
  plot->plotLayout()->setRowStretchFactor(0, 0.001);
  plot->axisRect()->insetLayout()->take(plot->legend);
  row->addElement(0, 0, plot->legend);
  row->addElement(0, 1, new QCPLayoutElement(plot));  // a spacer takes the rest of the width
  row->setColumnStretchFactor(0, 0.001);
  row->setMargins(QMargins(0, 0, 0, 0));
  plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
  plot->legend->setBorderPen(Qt::NoPen);
  plot->legend->setBrush(Qt::NoBrush);
  plot->legend->setColumnSpacing(14);
  plot->legend->setMargins(QMargins(6, 4, 6, 0));
  // The legend row sits right on the frame: the automatic top margin would leave room for tick
  // labels the top axis does not have.
  plot->axisRect()->setAutoMargins(QCP::msLeft | QCP::msRight | QCP::msBottom);
  plot->axisRect()->setMargins(QMargins(0, 6, 0, 0));
}

QString formatMetric(double v) {
  if (!std::isfinite(v)) return QStringLiteral("—");
  const double a = std::abs(v);
  if (a >= 100.0) return QLocale().toString(v, 'f', 0);
  if (a >= 1.0) return QLocale().toString(v, 'f', 2);
  return QLocale().toString(v, 'g', 3);
}

QString tableRows(const QList<QPair<QString, QString>>& rows) {
  QString html;
  for (const auto& [label, value] : rows)
    html += QStringLiteral("<tr><td style='color:#555; padding-right:10px'>%1</td><td><b>%2</b></td></tr>")
                .arg(label.toHtmlEscaped(), value.toHtmlEscaped());
  return html;
}

}  // namespace

SiteInspector::SiteInspector(QWidget* parent) : QWidget(parent) {
  m_empty = new QLabel(tr("Click a site on the map to see its traffic"));
  m_empty->setAlignment(Qt::AlignCenter);
  m_empty->setWordWrap(true);
  m_empty->setStyleSheet(QStringLiteral("color: #666; font-size: 13pt;"));

  m_title = new QLabel;
  QFont titleFont = m_title->font();
  titleFont.setBold(true);
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
  m_title->setFont(titleFont);
  m_subtitle = new QLabel;
  m_subtitle->setStyleSheet(QStringLiteral("color: #555;"));
  m_calibration = new QLabel;
  m_calibration->setWordWrap(true);
  m_calibration->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_calibration->setStyleSheet(
      QStringLiteral("color: #8a1c00; background: #fff1e6; border: 1px solid #e8b48f; border-radius: 3px; padding: 2px 6px;"));
  m_calibration->hide();

  m_tabs = new QTabWidget;
  m_tabs->setDocumentMode(true);
  const QString tabNames[kPlotCount] = {tr("4 weeks"), tr("Weekly profile"), tr("Daily profiles")};
  for (int i = 0; i < kPlotCount; ++i) {
    auto* plot = new QCustomPlot;
    plot->setMinimumSize(320, 220);
    // Measured on the demo city: antialiased polylines of 8 × 672 points made one replot ~100 ms,
    // a stall each time the inspector is first shown or resized; fast polylines draw the same curves.
    plot->setPlottingHint(QCP::phFastPolylines, true);
    plot->setObjectName(QStringLiteral("inspectorPlot%1").arg(i));
    placeLegendAbove(plot);
    plot->axisRect()->setupFullAxesBox(false);  // a frame, but ticks and labels only left and bottom
    plot->xAxis2->setTicks(false);
    plot->yAxis2->setTicks(false);
    // Before each layout: as many legend entries per row as the width allows.
    connect(plot, &QCustomPlot::beforeReplot, this, [plot] { fitLegend(plot, plot->width()); });
    m_plots[std::size_t(i)] = plot;
    m_tabs->addTab(plot, tabNames[i]);
  }

  // Series: local time, dragged and wheel-zoomed along time only; double-click shows it all.
  QCustomPlot* series = seriesPlot();
  auto ticker = QSharedPointer<LocalTimeTicker>::create();
  ticker->setTickCount(4);  // about a tick a week on four weeks, each day a sub-tick
  ticker->setDateTimeFormat(QStringLiteral("ddd d MMM"));
  series->xAxis->setTicker(ticker);
  series->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  series->axisRect()->setRangeDrag(Qt::Horizontal);
  series->axisRect()->setRangeZoom(Qt::Horizontal);
  connect(series->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this, series, ticker](const QCPRange& range) {
    if (m_seriesLastKey > m_seriesFirstKey) {
      // Keep the view on the data: zooming out past four weeks only shows empty margins.
      const double span = m_seriesLastKey - m_seriesFirstKey;
      QCPRange clamped = range;
      if (clamped.size() > span)
        clamped = {m_seriesFirstKey, m_seriesLastKey};
      else if (span >= kMinSeriesSpanSeconds && clamped.size() < kMinSeriesSpanSeconds)
        clamped = {clamped.center() - kMinSeriesSpanSeconds / 2, clamped.center() + kMinSeriesSpanSeconds / 2};
      if (clamped.lower < m_seriesFirstKey) clamped += m_seriesFirstKey - clamped.lower;
      if (clamped.upper > m_seriesLastKey) clamped -= clamped.upper - m_seriesLastKey;
      if (clamped != range) {
        series->xAxis->setRange(clamped);
        return;
      }
    }
    ticker->setDateTimeFormat(range.size() > kDateOnlySpanSeconds ? QStringLiteral("ddd d MMM") : QStringLiteral("ddd d MMM\nHH:mm"));
  });
  connect(series, &QCustomPlot::mouseDoubleClick, this, [this, series](QMouseEvent*) {
    if (m_seriesLastKey <= m_seriesFirstKey) return;
    series->xAxis->setRange(m_seriesFirstKey, m_seriesLastKey);
    series->replot();
  });

  // Weekly: day names centred on each day, a line at each midnight (the sub-grid) between them.
  auto dayTicker = QSharedPointer<QCPAxisTickerText>::create();
  for (int d = 0; d < 7; ++d) dayTicker->addTick(12.0 + 24.0 * d, QString::fromLatin1(kDayNames[d]));
  dayTicker->setSubTickCount(1);
  QCPAxis* weekX = weeklyPlot()->xAxis;
  weekX->setTicker(dayTicker);
  weekX->setTickLength(0, 0);
  weekX->setSubTickLength(0, 6);
  weekX->grid()->setPen(Qt::NoPen);
  weekX->grid()->setSubGridVisible(true);
  weekX->grid()->setSubGridPen(QPen(QColor(200, 200, 200), 1));
  weekX->setRange(0, core::kHoursPerWeek);

  auto hourTicker = QSharedPointer<QCPAxisTickerText>::create();
  for (int h = 0; h < core::kHoursPerDay; h += 3) hourTicker->addTick(h, QStringLiteral("%1:00").arg(h, 2, 10, QLatin1Char('0')));
  hourTicker->setSubTickCount(2);
  dailyPlot()->xAxis->setTicker(hourTicker);
  dailyPlot()->xAxis->setRange(-0.5, core::kHoursPerDay - 0.5);
  dailyPlot()->xAxis->grid()->setZeroLinePen(Qt::NoPen);  // midnight is an hour like any other

  m_facts = new QLabel;
  m_facts->setTextFormat(Qt::RichText);
  m_facts->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  m_facts->setWordWrap(true);
  m_facts->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_facts->setContentsMargins(8, 6, 8, 6);
  auto* factsScroll = new QScrollArea;
  factsScroll->setWidget(m_facts);
  factsScroll->setWidgetResizable(true);
  factsScroll->setFrameShape(QFrame::NoFrame);
  factsScroll->setFixedWidth(230);

  auto* header = new QVBoxLayout;
  header->setSpacing(1);
  header->addWidget(m_title);
  header->addWidget(m_subtitle);
  header->addWidget(m_calibration);
  auto* body = new QHBoxLayout;
  body->setSpacing(6);
  body->addWidget(m_tabs, 1);
  body->addWidget(factsScroll);
  auto* content = new QWidget;
  auto* contentLayout = new QVBoxLayout(content);
  contentLayout->setContentsMargins(6, 6, 6, 6);
  contentLayout->addLayout(header);
  contentLayout->addLayout(body, 1);

  m_stack = new QStackedWidget;
  m_stack->addWidget(m_empty);
  m_stack->addWidget(content);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_stack);

  rebuild();
}

SiteInspector::~SiteInspector() = default;

void SiteInspector::setSite(const InspectedSite& site) {
  m_site = site;
  m_profiles = SiteProfiles::compute(m_site);
  rebuild();
}

void SiteInspector::clear() {
  m_site = {};
  m_profiles = {};
  rebuild();
}

bool SiteInspector::showsEmptyState() const { return m_stack->currentWidget() == m_empty; }

QCPGraph* SiteInspector::graph(Plot which, Curve curve) const {
  const auto it = m_graphs.find({which, curve});
  return it == m_graphs.end() ? nullptr : it->second;
}

void SiteInspector::showPlot(Plot which) { m_tabs->setCurrentIndex(int(which)); }

SiteInspector::Plot SiteInspector::currentPlot() const { return Plot(std::clamp(m_tabs->currentIndex(), 0, kPlotCount - 1)); }

QString SiteInspector::plotKey(Plot which) {
  switch (which) {
    case Plot::Series:
      return QStringLiteral("series");
    case Plot::Weekly:
      return QStringLiteral("weekly");
    case Plot::Daily:
      return QStringLiteral("daily");
  }
  return {};
}

void SiteInspector::rebuild() {
  m_graphs.clear();
  const QString time = m_site.timeZone.isValid() ? QString::fromUtf8(m_site.timeZone.id()) : QStringLiteral("UTC");
  resetPlot(seriesPlot(), tr("Local time (%1)").arg(time));
  resetPlot(weeklyPlot(), tr("Day of week (local time, %1)").arg(time));
  resetPlot(dailyPlot(), tr("Hour of day (local time, %1)").arg(time));
  m_seriesFirstKey = m_seriesLastKey = 0.0;
  updateTexts();
  if (!hasData()) {
    m_stack->setCurrentWidget(m_empty);
    for (QCustomPlot* plot : m_plots) replotWhenVisible(plot);
    return;
  }
  plotSeries();
  plotWeekly();
  plotDaily();
  m_stack->setCurrentIndex(1);
}

bool SiteInspector::generatedOnRightAxis() const {
  return !m_site.generatedUnit.isEmpty() && m_profiles.hasObserved() && m_profiles.hasGenerated();
}

void SiteInspector::resetPlot(QCustomPlot* plot, const QString& xLabel) {
  plot->clearGraphs();
  plot->xAxis->setLabel(xLabel);
  const auto label = [this](const QString& what, const QString& unit) {
    return unit.isEmpty() ? tr("%1 (unit not given)").arg(what) : tr("%1 (%2)").arg(what, unit);
  };
  // Generated in another unit than observed (a generator trained elsewhere): one axis each, so
  // neither curve is squashed and each says its unit.
  const bool split = generatedOnRightAxis();
  if (split) {
    plot->yAxis->setLabel(label(tr("Observed traffic"), m_site.unit));
    plot->yAxis2->setLabel(label(tr("Generated traffic"), m_site.generatedUnit));
  } else {
    plot->yAxis->setLabel(label(tr("Traffic"), m_profiles.hasGenerated() ? m_site.samplesUnit() : m_site.unit));
    plot->yAxis2->setLabel({});
  }
  plot->yAxis2->setTicks(split);
  plot->yAxis2->setTickLabels(split);
}

QString SiteInspector::generatedName(const QString& what) const {
  QString name = m_site.generatedBy.isEmpty() ? tr("Generated") : tr("Generated by %1").arg(m_site.generatedBy);
  if (!what.isEmpty()) name += QStringLiteral(", ") + what;
  QStringList notes;
  const bool uncalibrated = m_site.calibration && !m_site.calibration->matches();
  if (!m_site.samplesUnit().isEmpty()) notes << m_site.samplesUnit();
  if (uncalibrated) notes << tr("uncalibrated here");
  if (notes.isEmpty()) return name;
  // Uncalibrated, the name is too long for one legend row of a docked inspector: the note goes on
  // a second line (legend items take several lines; fitLegend measures them as they are).
  return QStringLiteral("%1%2(%3)").arg(name, uncalibrated ? QStringLiteral("\n") : QStringLiteral(" "), notes.join(QStringLiteral(", ")));
}

QString SiteInspector::observedName() const { return m_site.unit.isEmpty() ? tr("Observed") : tr("Observed (%1)").arg(m_site.unit); }

QCPGraph* SiteInspector::addGraph(Plot which, Curve curve, const QString& name) {
  const bool generated = curve == Curve::BandLow || curve == Curve::BandHigh || curve == Curve::Mean || curve == Curve::WeekdayMean ||
                         curve == Curve::WeekendMean;
  QCustomPlot* p = plot(which);
  QCPGraph* g = p->addGraph(p->xAxis, generated && generatedOnRightAxis() ? p->yAxis2 : p->yAxis);
  g->setName(name);
  g->setAntialiased(true);
  m_graphs[{which, curve}] = g;
  return g;
}

void SiteInspector::plotSeries() {
  const SiteProfiles& p = m_profiles;
  std::vector<double> keys(p.hours);
  for (std::size_t t = 0; t < p.hours; ++t) keys[t] = LocalTimeTicker::localKey(m_site.start.addSecs(qint64(t) * 3600), m_site.timeZone);
  const double origin = LocalTimeTicker::localKey(m_site.start, m_site.timeZone);
  seriesPlot()->xAxis->ticker().staticCast<LocalTimeTicker>()->setLocalOrigin(origin);
  m_seriesFirstKey = origin;
  m_seriesLastKey = LocalTimeTicker::localKey(m_site.start.addSecs(qint64(p.hours) * 3600), m_site.timeZone);

  if (!p.bandLow.empty()) {
    QCPGraph* low = addGraph(Plot::Series, Curve::BandLow, {});
    setValues(low, keys, p.bandLow);
    low->setPen(Qt::NoPen);
    low->removeFromLegend();
    QCPGraph* high = addGraph(Plot::Series, Curve::BandHigh, bandName());
    setValues(high, keys, p.bandHigh);
    high->setPen(Qt::NoPen);
    QColor fill = kGenerated;
    fill.setAlpha(kBandAlpha);
    high->setBrush(fill);
    high->setChannelFillGraph(low);
  }
  if (!p.mean.empty()) {
    QCPGraph* mean = addGraph(Plot::Series, Curve::Mean, generatedName(p.sampleCount > 1 ? tr("mean") : QString()));
    setValues(mean, keys, p.mean);
    mean->setPen(pen(kGenerated, 1.4));
  }
  if (p.hasObserved()) {
    QCPGraph* observed = addGraph(Plot::Series, Curve::Observed, observedName());
    setValues(observed, keys, p.observed);
    observed->setPen(pen(kObserved, 1.2));
  }
  seriesPlot()->xAxis->setRange(m_seriesFirstKey, m_seriesLastKey);
  finishPlot(Plot::Series);
}

void SiteInspector::plotWeekly() {
  const SiteProfiles& p = m_profiles;
  const std::vector<double> keys = indexKeys(core::kHoursPerWeek);
  if (!p.weeklyLow.empty()) {
    QCPGraph* low = addGraph(Plot::Weekly, Curve::BandLow, {});
    setValues(low, keys, p.weeklyLow);
    low->setPen(Qt::NoPen);
    low->removeFromLegend();
    QCPGraph* high = addGraph(Plot::Weekly, Curve::BandHigh, bandName());
    setValues(high, keys, p.weeklyHigh);
    high->setPen(Qt::NoPen);
    QColor fill = kGenerated;
    fill.setAlpha(kBandAlpha);
    high->setBrush(fill);
    high->setChannelFillGraph(low);
  }
  if (!p.weeklyMean.empty()) {
    QCPGraph* mean = addGraph(Plot::Weekly, Curve::Mean, generatedName(tr("mean")));
    setValues(mean, keys, p.weeklyMean);
    mean->setPen(pen(kGenerated, 2.0));
  }
  if (!p.observedWeekly.empty()) {
    QCPGraph* observed = addGraph(Plot::Weekly, Curve::Observed, observedName());
    setValues(observed, keys, p.observedWeekly);
    observed->setPen(pen(kObserved, 1.6));
  }
  finishPlot(Plot::Weekly);
}

void SiteInspector::plotDaily() {
  const SiteProfiles& p = m_profiles;
  const std::vector<double> keys = indexKeys(core::kHoursPerDay);
  const auto half = [](const std::vector<float>& daily48, bool weekend) {
    const auto first = daily48.begin() + (weekend ? core::kHoursPerDay : 0);
    return std::vector<float>(first, first + core::kHoursPerDay);
  };
  if (p.daily.size() == std::size_t(2 * core::kHoursPerDay)) {
    setValues(addGraph(Plot::Daily, Curve::WeekdayMean, tr("Weekday, generated")), keys, half(p.daily, false));
    setValues(addGraph(Plot::Daily, Curve::WeekendMean, tr("Weekend, generated")), keys, half(p.daily, true));
    graph(Plot::Daily, Curve::WeekdayMean)->setPen(pen(kWeekday, 2.0));
    graph(Plot::Daily, Curve::WeekendMean)->setPen(pen(kWeekend, 2.0));
  }
  if (p.observedDaily.size() == std::size_t(2 * core::kHoursPerDay)) {
    setValues(addGraph(Plot::Daily, Curve::ObservedWeekday, tr("Weekday, observed")), keys, half(p.observedDaily, false));
    setValues(addGraph(Plot::Daily, Curve::ObservedWeekend, tr("Weekend, observed")), keys, half(p.observedDaily, true));
    graph(Plot::Daily, Curve::ObservedWeekday)->setPen(pen(kWeekday.darker(140), 1.6, Qt::DashLine));
    graph(Plot::Daily, Curve::ObservedWeekend)->setPen(pen(kWeekend.darker(140), 1.6, Qt::DashLine));
  }
  finishPlot(Plot::Daily);
}

void SiteInspector::finishPlot(Plot which) {
  QCustomPlot* p = plot(which);
  // Traffic is a volume: the axis starts at zero so that a flat, busy site does not look wild. Each
  // value axis spans its own curves (the right one holds generated traffic in its own unit).
  for (QCPAxis* axis : {p->yAxis, p->yAxis2}) {
    double lo = 0.0, hi = 0.0;
    for (int i = 0; i < p->graphCount(); ++i) {
      if (p->graph(i)->valueAxis() != axis) continue;
      bool found = false;
      const QCPRange r = p->graph(i)->getValueRange(found);
      if (!found) continue;
      lo = std::min(lo, r.lower);
      hi = std::max(hi, r.upper);
    }
    if (!(hi > lo)) hi = lo + 1.0;
    axis->setRange(lo, hi + 0.06 * (hi - lo));
  }
  p->legend->setVisible(p->graphCount() > 0);
  replotWhenVisible(p);  // the tabs not in front cost nothing until shown
}

void SiteInspector::updateTexts() {
  const bool warn = hasData() && m_profiles.hasGenerated() && m_site.calibration && !m_site.calibration->matches();
  m_calibration->setText(
      warn ? tr("⚠ Not calibrated (%1): %2").arg(core::calibrationVerdictName(m_site.calibration->verdict), m_site.calibration->message)
           : QString());
  m_calibration->setVisible(warn);
  if (!hasData()) {
    m_title->clear();
    m_subtitle->clear();
    m_facts->clear();
    return;
  }
  m_title->setText(m_site.title.isEmpty() ? m_site.siteId : m_site.title);

  QStringList parts;
  if (!m_site.title.contains(m_site.siteId)) parts << m_site.siteId;
  if (m_site.start.isValid() && m_profiles.hours > 0) {
    const QTimeZone zone = m_site.timeZone.isValid() ? m_site.timeZone : QTimeZone::utc();
    const QDateTime first = m_site.start.toTimeZone(zone);
    const QDateTime last = m_site.start.addSecs(qint64(m_profiles.hours - 1) * 3600).toTimeZone(zone);
    const QLocale locale;
    parts << QStringLiteral("%1 – %2 (%3 h, %4)")
                 .arg(locale.toString(first.date(), QStringLiteral("ddd d MMM yyyy")),
                      locale.toString(last.date(), QStringLiteral("ddd d MMM yyyy")))
                 .arg(m_profiles.hours)
                 .arg(QString::fromUtf8(zone.id()));
  }
  if (m_profiles.hasGenerated()) {
    QString generated = m_profiles.sampleCount == 1 ? tr("1 generated sample") : tr("%1 generated samples").arg(m_profiles.sampleCount);
    if (!m_site.generatedBy.isEmpty()) generated += tr(" by %1").arg(m_site.generatedBy);
    if (!m_site.samplesUnit().isEmpty()) generated += tr(" in %1").arg(m_site.samplesUnit());
    parts << generated;
  }
  if (m_profiles.hasObserved()) parts << (m_site.unit.isEmpty() ? tr("observed traffic") : tr("observed traffic in %1").arg(m_site.unit));
  m_subtitle->setText(parts.join(QStringLiteral(" · ")));

  QString html;
  if (!m_site.facts.isEmpty()) html += QStringLiteral("<table cellspacing='0' cellpadding='2'>%1</table>").arg(tableRows(m_site.facts));
  if (!m_site.metrics.isEmpty()) {
    QList<QPair<QString, QString>> rows;
    for (const auto& [name, value] : m_site.metrics) rows.append({name, formatMetric(value)});
    html += QStringLiteral(
                "<p style='margin-top:10px; margin-bottom:2px'><b>%1</b></p>"
                "<table cellspacing='0' cellpadding='2'>%2</table>")
                .arg(tr("Observed vs generated").toHtmlEscaped(), tableRows(rows));
  }
  m_facts->setText(html);
}

QString SiteInspector::bandName() const {
  return tr("Generated, %1 of %2 samples").arg(m_profiles.bandLabel()).arg(m_profiles.sampleCount);
}

void SiteInspector::fitLegend(QCustomPlot* plot, int width) {
  QCPLegend* legend = plot->legend;
  // Measured from the entries rather than by rearranging the legend on trial: this runs before
  // every replot, dragging included. (itemCount() counts the grid's cells, empty ones too.)
  std::vector<int> itemWidths;
  for (int i = 0; i < legend->elementCount(); ++i)
    if (const QCPAbstractLegendItem* item = legend->item(i)) itemWidths.push_back(item->minimumOuterSizeHint().width());
  const int n = int(itemWidths.size());
  if (n == 0) return;
  const int available = width - 8 - legend->margins().left() - legend->margins().right();
  // Rows as even as possible (2 × 2 rather than 3 + 1), the fewest that fit.
  int perRow = 1;
  for (int rows = 1; rows <= n; ++rows) {
    perRow = (n + rows - 1) / rows;
    std::vector<int> columns(std::size_t(perRow), 0);
    for (int i = 0; i < n; ++i) columns[std::size_t(i % perRow)] = std::max(columns[std::size_t(i % perRow)], itemWidths[std::size_t(i)]);
    int total = (perRow - 1) * legend->columnSpacing();
    for (int c : columns) total += c;
    if (total <= available) break;
  }
  const int wrap = perRow == n ? 0 : perRow;
  const int rows = (n + perRow - 1) / perRow;
  if (legend->wrap() == wrap && legend->rowCount() == rows && legend->columnCount() == std::min(n, perRow)) return;
  legend->setWrap(wrap);
  legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);  // setWrap alone moves nothing
}

core::Status SiteInspector::checkExportable(const QString& path) const {
  if (!hasData()) return core::Error(core::ErrorCode::InvalidArgument, tr("there is no traffic to plot: no site is shown")).withFile(path);
  return {};
}

QImage SiteInspector::renderPlot(Plot which, QSize pixels, double dpi) const {
  if (!hasData()) return {};
  fitLegend(plot(which), PlotExport::logicalSize(pixels, dpi).width());
  return PlotExport::render(*plot(which), pixels, dpi);
}

core::Status SiteInspector::savePlotPng(Plot which, const QString& path, int widthPx, int heightPx, double dpi) const {
  if (const auto ok = checkExportable(path); !ok.ok()) return ok;
  fitLegend(plot(which), PlotExport::logicalSize({widthPx, heightPx}, dpi).width());
  return PlotExport::savePng(*plot(which), path, QSize(widthPx, heightPx), dpi);
}

core::Status SiteInspector::savePlotPdf(Plot which, const QString& path, int widthPt, int heightPt) const {
  if (const auto ok = checkExportable(path); !ok.ok()) return ok;
  fitLegend(plot(which), widthPt);
  return PlotExport::savePdf(*plot(which), path, QSize(widthPt, heightPt));
}

}  // namespace netspatial::ui
