#include "app/studio/stallprobe.h"

#include <QTimer>

#include <algorithm>

namespace netspatial::app {

namespace {
constexpr int kProbeTickMs = 5;
}  // namespace

StallProbe::StallProbe(QObject* parent) : QObject(parent), m_timer(new QTimer(this)) {
  m_timer->setInterval(kProbeTickMs);
  m_timer->setTimerType(Qt::PreciseTimer);
  connect(m_timer, &QTimer::timeout, this, [this] {
    const double gap = double(m_tick.nsecsElapsed()) * 1e-6;
    m_tick.restart();
    m_longestStallMs = std::max(m_longestStallMs, gap - kProbeTickMs);
  });
}

void StallProbe::start() {
  ++m_run;
  m_longestStallMs = 0.0;
  m_tick.start();
  m_timer->start();
}

bool StallProbe::isRunning() const { return m_timer->isActive(); }

void StallProbe::stopAfter(int tailMs) {
  QTimer::singleShot(tailMs, this, [this, run = m_run] {
    if (run != m_run) return;  // started again meanwhile: that run owns the probe now
    m_timer->stop();
    Q_EMIT stopped(m_longestStallMs);
  });
}

}  // namespace netspatial::app
