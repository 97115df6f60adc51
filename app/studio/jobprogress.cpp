#include "app/studio/jobprogress.h"

#include <QMainWindow>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>

#include <algorithm>

namespace netspatial::app {

namespace {
constexpr int kProbeTickMs = 5;
constexpr int kPollMs = 100;
}  // namespace

JobProgress::JobProgress(QMainWindow* window, const QString& objectPrefix, const QString& title, const QString& cancelToolTip,
                         std::function<double()> progress, std::function<QString()> step)
    : QObject(window),
      m_window(window),
      m_title(title),
      m_progressOf(std::move(progress)),
      m_stepOf(std::move(step)),
      m_bar(new QProgressBar(window)),
      m_cancel(new QPushButton(tr("Cancel"), window)),
      m_poll(new QTimer(this)),
      m_probe(new QTimer(this)) {
  m_bar->setRange(0, 100);
  m_bar->setMaximumWidth(200);
  m_bar->setObjectName(objectPrefix + QStringLiteral("Progress"));
  m_bar->hide();
  m_cancel->setObjectName(objectPrefix + QStringLiteral("Cancel"));
  m_cancel->setToolTip(cancelToolTip);
  m_cancel->hide();
  connect(m_cancel, &QPushButton::clicked, this, &JobProgress::cancelRequested);
  m_window->statusBar()->addPermanentWidget(m_bar);
  m_window->statusBar()->addPermanentWidget(m_cancel);
  m_poll->setInterval(kPollMs);
  connect(m_poll, &QTimer::timeout, this, &JobProgress::update);
  m_probe->setInterval(kProbeTickMs);
  m_probe->setTimerType(Qt::PreciseTimer);
  connect(m_probe, &QTimer::timeout, this, [this] {
    const double gap = double(m_tick.nsecsElapsed()) * 1e-6;
    m_tick.restart();
    m_longestStallMs = std::max(m_longestStallMs, gap - kProbeTickMs);
  });
}

void JobProgress::start() {
  ++m_run;
  m_clock.start();
  m_tick.start();
  m_longestStallMs = 0.0;
  m_probe->start();
  m_bar->setValue(0);
  m_bar->show();
  m_cancel->setEnabled(true);
  m_cancel->show();
  m_poll->start();
}

void JobProgress::cancelling(const QString& message) {
  m_cancel->setEnabled(false);
  m_window->statusBar()->showMessage(message);
}

void JobProgress::finish(int probeTailMs) {
  m_poll->stop();
  m_bar->hide();
  m_cancel->hide();
  auto stop = [this] {
    m_probe->stop();
    Q_EMIT probeStopped(m_longestStallMs);
  };
  if (probeTailMs <= 0) return stop();
  QTimer::singleShot(probeTailMs, this, [this, stop, run = m_run] {
    if (run == m_run) stop();  // a newer job owns the probe now
  });
}

void JobProgress::update() {
  const double f = m_progressOf ? m_progressOf() : 0.0;
  m_bar->setValue(int(f * 100.0));
  const double elapsed = elapsedMs() / 1000.0;
  QString eta;
  if (f > 0.05) eta = tr(" — %1 s left").arg(std::max(0.0, elapsed * (1.0 - f) / f), 0, 'f', 0);
  const QString step = m_stepOf ? m_stepOf() : QString();
  m_window->statusBar()->showMessage(QStringLiteral("%1%2%3").arg(m_title, step.isEmpty() ? QString() : QStringLiteral(": ") + step, eta));
}

}  // namespace netspatial::app
