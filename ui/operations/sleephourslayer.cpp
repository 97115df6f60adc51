#include "ui/operations/sleephourslayer.h"

#include "ui/map/screengeometry.h"

#include <QLocale>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace netspatial::ui {

namespace {

// Pale yellow through green-blue to a dark navy: lightness falls at every stop, so more sleep
// always reads darker, also in greyscale; the dark end matches the timeline's asleep colour.
constexpr QRgb kRamp[] = {0xFFF5C4, 0xC7E6B4, 0x7FCDBB, 0x3DA5C4, 0x2366A8, 0x1C377D};
constexpr int kRampStops = int(std::size(kRamp));

core::Extent extentOf(const std::vector<core::PointXY>& positions) {
  core::Extent e;
  for (const auto& p : positions) e.include(p);
  return e;
}

QString layerName(const QString& policy) {
  return policy.isEmpty() ? QStringLiteral("Sleep hours") : QStringLiteral("Sleep hours — %1").arg(policy);
}

}  // namespace

QColor SleepHoursLayer::rampColor(double t) {
  if (!std::isfinite(t)) t = 0.0;
  t = std::clamp(t, 0.0, 1.0) * double(kRampStops - 1);
  const int i = std::min(int(t), kRampStops - 2);
  const double f = t - double(i);
  const QColor a(kRamp[i]), b(kRamp[i + 1]);
  auto mix = [f](int x, int y) { return int(std::lround(double(x) + double(y - x) * f)); };
  return QColor(mix(a.red(), b.red()), mix(a.green(), b.green()), mix(a.blue(), b.blue()));
}

std::vector<int> SleepHoursLayer::sleepHoursOf(const core::SleepSchedule& schedule) {
  std::vector<int> hours(std::size_t(std::max(0, schedule.stationCount)), 0);
  for (const core::HourDecision& d : schedule.hours)
    for (std::size_t s = 0; s < d.asleep.size() && s < hours.size(); ++s) hours[s] += d.asleep[s] ? 1 : 0;
  return hours;
}

SleepHoursLayer::SleepHoursLayer(const std::vector<core::PointXY>& positions, const std::vector<QString>& ids,
                                 const std::vector<int>& sleepHours, int totalHours, const core::Crs& crs, QString policyLabel,
                                 QString file)
    : ScenarioLayer(layerName(policyLabel), std::move(file), crs, extentOf(positions)),
      m_totalHours(std::max(0, totalHours)),
      m_policy(std::move(policyLabel)) {
  const std::size_t n = std::min({positions.size(), ids.size(), sleepHours.size()});
  m_items.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    m_items.push_back({ids[i], positions[i], std::max(0, sleepHours[i]), QColor()});
    m_maximum = std::max(m_maximum, m_items.back().hours);
  }
  for (Item& it : m_items) it.fill = rampColor(m_maximum > 0 ? double(it.hours) / m_maximum : 0.0);
  m_drawOrder.resize(n);
  std::iota(m_drawOrder.begin(), m_drawOrder.end(), 0);
  std::stable_sort(m_drawOrder.begin(), m_drawOrder.end(),
                   [this](int a, int b) { return m_items[std::size_t(a)].hours < m_items[std::size_t(b)].hours; });
  setColor(rampColor(0.8));
}

QString SleepHoursLayer::stationId(int index) const {
  return index >= 0 && index < stationCount() ? m_items[std::size_t(index)].id : QString();
}

int SleepHoursLayer::sleepHours(int index) const { return index >= 0 && index < stationCount() ? m_items[std::size_t(index)].hours : 0; }

QColor SleepHoursLayer::colourOf(int index) const {
  return index >= 0 && index < stationCount() ? m_items[std::size_t(index)].fill : QColor();
}

QString SleepHoursLayer::description() const {
  int sleeping = 0;
  long long total = 0;
  for (const Item& it : m_items) {
    sleeping += it.hours > 0 ? 1 : 0;
    total += it.hours;
  }
  return QStringLiteral("%1: %2 of %3 station(s) sleep, %4 station-hours asleep of %5 h each, at most %6 h, %7")
      .arg(m_policy.isEmpty() ? QStringLiteral("Sleep schedule") : m_policy)
      .arg(sleeping)
      .arg(m_items.size())
      .arg(QLocale().toString(total))
      .arg(m_totalHours)
      .arg(m_maximum)
      .arg(m_crs.label());
}

std::vector<LegendEntry> SleepHoursLayer::legend() const {
  std::vector<LegendEntry> entries;
  if (m_items.empty()) return entries;
  if (m_maximum == 0) {
    entries.push_back({QStringLiteral("0 h asleep (no station sleeps)"), rampColor(0.0), LegendEntry::Symbol::Ramp, false, true});
    return entries;
  }
  for (const double t : {1.0, 0.75, 0.5, 0.25, 0.0}) {
    LegendEntry e;
    e.symbol = LegendEntry::Symbol::Ramp;
    e.color = rampColor(t);
    const int hours = int(std::lround(t * m_maximum));
    if (t == 1.0)
      e.label = QStringLiteral("%1 h asleep (most, of %2 h)").arg(hours).arg(m_totalHours);
    else
      e.label = QStringLiteral("%1 h").arg(hours);
    entries.push_back(e);
  }
  return entries;
}

void SleepHoursLayer::paint(QPainter& painter, const MapView& view) const {
  if (!view.isValid() || m_items.empty()) return;
  const core::Extent visible = cullExtent(view, kRadius + 2.0);
  if (!m_extent.intersects(visible)) return;
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing, true);
  // A dark rim keeps the pale (never asleep) circles visible on light imagery; a white one would vanish.
  QPen rim(QColor(40, 40, 40, 200), 1.2);
  for (const int i : m_drawOrder) {
    const Item& it = m_items[std::size_t(i)];
    if (!visible.contains(it.position)) continue;
    painter.setPen(rim);
    painter.setBrush(it.fill);
    painter.drawEllipse(view.toPixel(it.position), kRadius, kRadius);
  }
  if (view.resolution() <= kLabelResolution) {
    QFont font = painter.font();
    font.setPointSizeF(8.0);
    painter.setFont(font);
    for (const Item& it : m_items) {
      if (!visible.contains(it.position)) continue;
      const QPointF p = view.toPixel(it.position) + QPointF(kRadius + 3.0, 4.0);
      const QString text = QStringLiteral("%1 · %2 h").arg(it.id).arg(it.hours);
      // A light halo keeps the dark text readable on imagery.
      painter.setPen(QColor(255, 255, 255, 220));
      for (const QPointF d : {QPointF(-1, 0), QPointF(1, 0), QPointF(0, -1), QPointF(0, 1)}) painter.drawText(p + d, text);
      painter.setPen(QColor(20, 20, 20));
      painter.drawText(p, text);
    }
  }
  painter.restore();
}

std::optional<int> SleepHoursLayer::stationAt(core::PointXY mapPoint, double tolerance) const {
  std::optional<int> best;
  double bestDistance = tolerance;
  // The one drawn on top wins a tie: walk the draw order backwards.
  for (auto it = m_drawOrder.rbegin(); it != m_drawOrder.rend(); ++it) {
    const Item& item = m_items[std::size_t(*it)];
    const double d = std::hypot(item.position.x - mapPoint.x, item.position.y - mapPoint.y);
    if (d < bestDistance || (d <= tolerance && !best)) {
      best = *it;
      bestDistance = d;
    }
  }
  return best;
}

QString SleepHoursLayer::toolTipFor(int index) const {
  if (index < 0 || index >= stationCount()) return {};
  const Item& it = m_items[std::size_t(index)];
  return QStringLiteral("%1 — asleep %2 of %3 h").arg(it.id).arg(it.hours).arg(m_totalHours);
}

QString SleepHoursLayer::toolTipAt(core::PointXY mapPoint, double tolerance) const {
  const auto index = stationAt(mapPoint, tolerance);
  return index ? toolTipFor(*index) : QString();
}

}  // namespace netspatial::ui
