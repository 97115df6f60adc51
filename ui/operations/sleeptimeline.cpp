#include "ui/operations/sleeptimeline.h"

#include "ui/inspector/deferredreplot.h"
#include "ui/operations/legendstrip.h"
#include "ui/operations/localdayticker.h"

#include <QFontMetricsF>
#include <QLocale>
#include <QMouseEvent>
#include <QToolTip>
#include <QVBoxLayout>

#include "ui/inspector/customplot.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace netspatial::ui {

namespace {

// The title, the legend row and the time axis take about this much of the viewport's height.
constexpr double kVerticalMarginsPx = 120.0;

// Station ids on the row axis, every n-th row when they would not fit: n is 1, 2, 5, 10, 20, …
// chosen from the viewport height (see LocalDayTicker for why not the axis rect's).
class StationTicker : public QCPAxisTicker {
 public:
  StationTicker(QCPAxis* axis, std::vector<QString> labels) : m_axis(axis), m_labels(std::move(labels)) {}

 protected:
  double getTickStep(const QCPRange& range) override {
    const QCustomPlot* plot = m_axis->parentPlot();
    const double available = std::max(40.0, (plot ? double(plot->viewport().height()) : 400.0) - kVerticalMarginsPx);
    const double rowHeight = QFontMetricsF(m_axis->tickLabelFont()).height() + 3.0;
    const double fit = std::max(1.0, std::floor(available / rowHeight));
    const double need = range.size() / fit;
    for (double magnitude = 1.0;; magnitude *= 10.0)
      for (const double m : {1.0, 2.0, 5.0})
        if (m * magnitude >= need) return m * magnitude;
  }
  int getSubTickCount(double) override { return 0; }
  QVector<double> createTickVector(double tickStep, const QCPRange& range) override {
    QVector<double> ticks;
    const int step = std::max(1, int(std::lround(tickStep)));
    for (int i = 0; i < int(m_labels.size()); i += step)
      if (i >= range.lower - 0.5 && i <= range.upper + 0.5) ticks.push_back(double(i));
    return ticks;
  }
  QString getTickLabel(double tick, const QLocale&, QChar, int) override {
    const int i = int(std::lround(tick));
    return i >= 0 && i < int(m_labels.size()) ? m_labels[std::size_t(i)] : QString();
  }

 private:
  QCPAxis* m_axis;
  std::vector<QString> m_labels;
};

}  // namespace

QColor SleepTimeline::stateColour(CellState state) {
  switch (state) {
    case Awake:
      return QColor(226, 232, 240);
    case Absorbing:
      return QColor(247, 182, 110);  // softer than asleep: the nicety, not the news
    case Asleep:
      return QColor(28, 55, 125);
  }
  return Qt::gray;
}

QString SleepTimeline::stateName(CellState state) {
  switch (state) {
    case Awake:
      return tr("awake");
    case Absorbing:
      return tr("awake, absorbing a neighbour's load");
    case Asleep:
      return tr("asleep");
  }
  return {};
}

SleepTimeline::SleepTimeline(QWidget* parent) : QWidget(parent) {
  m_plot = new QCustomPlot(this);
  m_plot->setObjectName(QStringLiteral("sleepTimelinePlot"));
  m_plot->setMinimumSize(420, 220);
  m_plot->setNoAntialiasingOnDrag(true);

  QFont titleFont = m_plot->font();
  titleFont.setBold(true);
  m_plot->plotLayout()->insertRow(0);
  m_title = new QCPTextElement(m_plot, QString(), titleFont);
  m_plot->plotLayout()->addElement(0, 0, m_title);
  m_plot->plotLayout()->insertRow(1);
  operations_detail::placeLegendStrip(m_plot, 1);
  m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
  m_plot->plotLayout()->setRowSpacing(2);

  // The legend's swatches: bars without data draw nothing but their legend icon.
  for (const CellState s : {Asleep, Awake, Absorbing}) {
    auto* swatch = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    swatch->setName(stateName(s));
    swatch->setBrush(stateColour(s));
    swatch->setPen(QPen(stateColour(s).darker(125), 1));
    swatch->setSelectable(QCP::stNone);
  }

  m_map = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
  m_map->removeFromLegend();
  m_map->setInterpolate(false);  // cells, not a field: no blending between hours
  m_map->setTightBoundary(false);
  QCPColorGradient gradient;
  gradient.clearColorStops();
  gradient.setColorStopAt(0.0, stateColour(Awake));
  gradient.setColorStopAt(0.5, stateColour(Absorbing));
  gradient.setColorStopAt(1.0, stateColour(Asleep));
  gradient.setLevelCount(3);  // exactly the three states, never a mix
  m_map->setGradient(gradient);
  m_map->setDataRange(QCPRange(Awake, Asleep));

  // Day boundaries over the strip, not under it where the cells would hide them.
  m_plot->addLayer(QStringLiteral("cellgrid"), m_plot->layer(QStringLiteral("main")), QCustomPlot::limAbove);
  m_timeTicker = QSharedPointer<LocalDayTicker>::create(m_plot->xAxis);
  m_plot->xAxis->setTicker(m_timeTicker);
  m_plot->xAxis->grid()->setLayer(QStringLiteral("cellgrid"));
  m_plot->xAxis->grid()->setPen(QPen(QColor(40, 40, 40, 150), 1));
  m_plot->xAxis->grid()->setSubGridPen(QPen(QColor(40, 40, 40, 60), 1));
  m_plot->xAxis->grid()->setSubGridVisible(true);
  m_plot->xAxis->grid()->setZeroLinePen(Qt::NoPen);
  m_plot->yAxis->grid()->setVisible(false);
  m_plot->yAxis->setRangeReversed(true);  // the first station at the top, as in a list
  m_plot->yAxis->setLabel(tr("Station"));
  m_plot->yAxis->setTickLength(0, 3);
  m_plot->axisRect()->setupFullAxesBox(false);
  m_plot->xAxis2->setTicks(false);
  m_plot->yAxis2->setTicks(false);

  // Hours can be zoomed and dragged; stations stay all in view.
  m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
  m_plot->axisRect()->setRangeZoom(Qt::Horizontal);
  connect(m_plot->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this](const QCPRange& r) {
    // Never past the schedule, never narrower than two hours.
    const double span = std::max(1.0, double(m_hours));
    QCPRange clamped(std::max(0.0, r.lower), std::min(span, r.upper));
    if (clamped.size() < std::min(2.0, span)) return m_plot->xAxis->setRange(clamped.lower, clamped.lower + std::min(2.0, span));
    if (clamped != r) m_plot->xAxis->setRange(clamped);
  });
  connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
    const QString tip = toolTipAt(event->position());
    if (tip.isEmpty())
      QToolTip::hideText();
    else
      QToolTip::showText(event->globalPosition().toPoint(), tip, m_plot);
  });

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_plot);

  rebuild(QString());
}

SleepTimeline::~SleepTimeline() = default;

void SleepTimeline::setSchedule(const core::SleepSchedule& schedule, const std::vector<QString>& stationIds, const QDateTime& startUtc,
                                const QTimeZone& zone, const QString& title) {
  setSchedule(std::make_shared<const core::SleepSchedule>(schedule), stationIds, startUtc, zone, title);
}

void SleepTimeline::setSchedule(std::shared_ptr<const core::SleepSchedule> schedule, const std::vector<QString>& stationIds,
                                const QDateTime& startUtc, const QTimeZone& zone, const QString& title) {
  m_schedule = std::move(schedule);
  m_ids = stationIds;
  m_startUtc = startUtc.toUTC();
  m_zone = zone.isValid() ? zone : QTimeZone::utc();
  rebuild(title);
}

void SleepTimeline::clear() {
  m_schedule = std::make_shared<const core::SleepSchedule>();
  m_ids.clear();
  rebuild(QString());
}

QString SleepTimeline::stationLabel(int station) const {
  if (station >= 0 && station < int(m_ids.size()) && !m_ids[std::size_t(station)].isEmpty()) return m_ids[std::size_t(station)];
  return QStringLiteral("#%1").arg(station);
}

SleepTimeline::CellState SleepTimeline::stateAt(int station, int hour) const {
  if (station < 0 || hour < 0 || station >= m_stations || hour >= m_hours) return Awake;
  return CellState(m_states[std::size_t(hour) * std::size_t(m_stations) + std::size_t(station)]);
}

void SleepTimeline::rebuild(const QString& title) {
  m_hours = int(m_schedule->hours.size());
  m_stations = m_hours > 0 ? m_schedule->stationCount : 0;
  if (m_stations <= 0) m_hours = 0;
  m_states.assign(std::size_t(m_stations) * std::size_t(m_hours), Awake);
  m_asleepCount = 0;
  for (int h = 0; h < m_hours; ++h) {
    const core::HourDecision& d = m_schedule->hours[std::size_t(h)];
    unsigned char* row = m_states.data() + std::size_t(h) * std::size_t(m_stations);
    // A decision shorter than the station count (a malformed schedule) leaves the rest awake.
    const int n = std::min(m_stations, int(d.asleep.size()));
    for (int s = 0; s < n; ++s) {
      if (!d.asleep[std::size_t(s)]) continue;
      row[s] = Asleep;
      ++m_asleepCount;
      if (std::size_t(s) >= d.handovers.size()) continue;
      for (const core::Handover& to : d.handovers[std::size_t(s)])
        if (to.to >= 0 && to.to < m_stations && to.share > 0.0 && row[to.to] != Asleep) row[to.to] = Absorbing;
    }
    // A station both asleep and named as a taker (inconsistent input) reads asleep: it draws sleep power.
    for (int s = 0; s < n; ++s)
      if (d.asleep[std::size_t(s)]) row[s] = Asleep;
  }

  // The colour map has one cell per (hour, station), centred on h + 0.5 and on the row index. A
  // single hour or station is given two identical cells around its centre: QCustomPlot sizes
  // cells from the distance between the first and last centre, which one cell does not have.
  QCPColorMapData* data = m_map->data();
  if (m_stations > 0 && m_hours > 0) {
    const int keys = std::max(2, m_hours), values = std::max(2, m_stations);
    data->setSize(keys, values);
    data->setKeyRange(m_hours > 1 ? QCPRange(0.5, m_hours - 0.5) : QCPRange(0.25, 0.75));
    data->setValueRange(m_stations > 1 ? QCPRange(0.0, m_stations - 1.0) : QCPRange(-0.25, 0.25));
    for (int k = 0; k < keys; ++k)
      for (int v = 0; v < values; ++v) data->setCell(k, v, double(stateAt(std::min(v, m_stations - 1), std::min(k, m_hours - 1))));
    m_map->setVisible(true);
  } else {
    data->setSize(0, 0);
    m_map->setVisible(false);
  }
  m_map->setDataRange(QCPRange(Awake, Asleep));

  std::vector<QString> labels;
  labels.reserve(std::size_t(m_stations));
  for (int s = 0; s < m_stations; ++s) labels.push_back(stationLabel(s));
  m_plot->yAxis->setTicker(QSharedPointer<StationTicker>::create(m_plot->yAxis, std::move(labels)));
  m_timeTicker->setTimeSpan(m_startUtc, m_zone, m_hours);
  m_plot->xAxis->setLabel(
      tr("Local time (%1), one column per hour").arg(m_zone.isValid() ? QString::fromUtf8(m_zone.id()) : QStringLiteral("UTC")));
  m_plot->xAxis->setRange(0.0, std::max(1.0, double(m_hours)));
  m_plot->yAxis->setRange(-0.5, std::max(0.5, m_stations - 0.5));

  const QLocale locale;
  QString text = title;
  if (hasData()) {
    const double total = double(m_stations) * m_hours;
    const QString stats = tr("%1 stations × %2 h, %3 station-hours asleep (%4 %)")
                              .arg(m_stations)
                              .arg(m_hours)
                              .arg(locale.toString(m_asleepCount))
                              .arg(locale.toString(100.0 * m_asleepCount / total, 'f', 1));
    text = text.isEmpty() ? stats : tr("%1: %2").arg(text, stats);
  } else {
    text = text.isEmpty() ? tr("No schedule to show") : tr("%1: no schedule to show (0 stations or 0 hours)").arg(text);
  }
  m_title->setText(text);
  m_plot->legend->setVisible(hasData());
  replotWhenVisible(m_plot);
}

QString SleepTimeline::title() const { return m_title->text(); }

double SleepTimeline::cellValue(int station, int hour) const {
  if (!hasData() || station < 0 || hour < 0 || station >= m_stations || hour >= m_hours) return std::numeric_limits<double>::quiet_NaN();
  return m_map->data()->data(hour + 0.5, double(station));
}

std::optional<std::pair<int, int>> SleepTimeline::cellAt(QPointF pixel) const {
  if (!hasData() || !m_plot->axisRect()->rect().contains(pixel.toPoint())) return std::nullopt;
  const double key = m_plot->xAxis->pixelToCoord(pixel.x());
  const double value = m_plot->yAxis->pixelToCoord(pixel.y());
  const int hour = int(std::floor(key));
  const int station = int(std::lround(value));
  if (hour < 0 || hour >= m_hours || station < 0 || station >= m_stations) return std::nullopt;
  return std::make_pair(station, hour);
}

QDateTime SleepTimeline::localTimeOfHour(int hour) const { return m_startUtc.addSecs(qint64(hour) * 3600).toTimeZone(m_zone); }

QString SleepTimeline::cellText(int station, int hour) const {
  if (station < 0 || hour < 0 || station >= m_stations || hour >= m_hours) return {};
  const QDateTime t = localTimeOfHour(hour);
  const QString when =
      QStringLiteral("%1 %2").arg(QLocale::c().toString(t, QStringLiteral("ddd dd MMM yyyy HH:mm")), m_zone.abbreviation(t));
  const core::HourDecision& d = m_schedule->hours[std::size_t(hour)];
  const QLocale locale;
  QStringList who;
  const CellState state = stateAt(station, hour);
  if (state == Asleep) {
    if (std::size_t(station) < d.handovers.size())
      for (const core::Handover& to : d.handovers[std::size_t(station)])
        if (to.share > 0.0) who << QStringLiteral("%1 (%2 %)").arg(stationLabel(to.to), locale.toString(100.0 * to.share, 'f', 0));
    return who.isEmpty() ? tr("%1, %2: asleep").arg(stationLabel(station), when)
                         : tr("%1, %2: asleep, its load to %3").arg(stationLabel(station), when, who.join(QStringLiteral(", ")));
  }
  if (state == Absorbing) {
    for (std::size_t s = 0; s < d.handovers.size() && s < d.asleep.size(); ++s) {
      if (!d.asleep[s]) continue;
      for (const core::Handover& to : d.handovers[s])
        if (to.to == station && to.share > 0.0)
          who << QStringLiteral("%1 (%2 %)").arg(stationLabel(int(s)), locale.toString(100.0 * to.share, 'f', 0));
    }
    return tr("%1, %2: awake, taking the load of %3").arg(stationLabel(station), when, who.join(QStringLiteral(", ")));
  }
  return tr("%1, %2: awake").arg(stationLabel(station), when);
}

QString SleepTimeline::toolTipAt(QPointF pixel) const {
  const auto cell = cellAt(pixel);
  return cell ? cellText(cell->first, cell->second) : QString();
}

}  // namespace netspatial::ui
