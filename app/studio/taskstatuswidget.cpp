#include "app/studio/taskstatuswidget.h"

#include "app/studio/stallprobe.h"
#include "app/studio/taskmanager.h"

#include "ui/util/numberformat.h"
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace netspatial::app {

namespace {
constexpr int kPollMs = 100;
//! Results arriving are drawn on the next turns of the event loop: they belong to the task.
constexpr int kProbeTailMs = 300;

}  // namespace

TaskStatusWidget::TaskStatusWidget(TaskManager* tasks, QWidget* parent)
    : QWidget(parent),
      m_tasks(tasks),
      m_label(new QLabel(this)),
      m_bar(new QProgressBar(this)),
      m_cancel(new QPushButton(tr("Cancel"), this)),
      m_poll(new QTimer(this)),
      m_probe(new StallProbe(this)) {
  setObjectName(QStringLiteral("taskStatus"));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_label);
  layout->addWidget(m_bar);
  layout->addWidget(m_cancel);
  m_bar->setRange(0, 100);
  m_bar->setMaximumWidth(180);
  m_bar->setObjectName(QStringLiteral("jobProgress"));
  m_cancel->setObjectName(QStringLiteral("jobCancel"));
  m_cancel->setToolTip(tr("Stop the running job; the project stays as it was"));
  connect(m_cancel, &QPushButton::clicked, this, [this] {
    m_tasks->cancel(m_tasks->runningId());
    m_cancel->setEnabled(false);
    m_label->setText(tr("Cancelling %1…").arg(m_tasks->runningTitle()));
  });
  m_poll->setInterval(kPollMs);
  connect(m_poll, &QTimer::timeout, this, &TaskStatusWidget::update);
  connect(m_probe, &StallProbe::stopped, this, [this](double ms) {
    if (!m_tasks->isBusy()) Q_EMIT probeStopped(ms);
  });
  connect(m_tasks, &TaskManager::taskStarted, this, &TaskStatusWidget::started);
  connect(m_tasks, &TaskManager::queueChanged, this, &TaskStatusWidget::update);
  connect(m_tasks, &TaskManager::busyChanged, this, [this](bool busy) {
    if (!busy) idle();
  });
  hide();
}

double TaskStatusWidget::longestStallMs() const { return m_probe->longestStallMs(); }

void TaskStatusWidget::started() {
  m_probe->start();
  m_bar->setValue(0);
  m_cancel->setEnabled(true);
  show();
  m_poll->start();
  update();
}

void TaskStatusWidget::idle() {
  m_poll->stop();
  hide();
  m_probe->stopAfter(kProbeTailMs);
}

QString TaskStatusWidget::text() const { return m_label->text(); }

void TaskStatusWidget::update() {
  if (!m_tasks->isBusy()) return;
  m_bar->setValue(int(m_tasks->progress() * 100.0));
  const QString step = m_tasks->step();
  const auto left = m_tasks->secondsLeft();
  // The step says what is being done now ("Generating 960 of 3374 sites"); the title, which it
  // would only repeat, stays in the tooltip (a long line was cut by the status bar).
  QString text = step.isEmpty() ? m_tasks->runningTitle() : step;
  m_label->setToolTip(m_tasks->runningTitle());
  text += QStringLiteral(" · ") + (left ? tr("about %1 left").arg(ui::formatDuration(*left)) : tr("estimating…"));
  if (const int queued = m_tasks->queuedCount(); queued > 0) text += tr(" (+%n queued)", nullptr, queued);
  if (m_cancel->isEnabled()) m_label->setText(text);
}

}  // namespace netspatial::app
