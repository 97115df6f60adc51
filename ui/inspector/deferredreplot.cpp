#include "ui/inspector/deferredreplot.h"

#include "ui/inspector/customplot.h"

#include <QEvent>
#include <QTimer>

namespace netspatial::ui {

namespace {

//! Lives as a child of its plot. It knows whether the plot's data changed since its last replot
//! (`dirty`), replots once on the next turn of the event loop when the plot is visible, else when
//! it is shown, and skips that replot when another one (a resize) already drew the new data.
class ReplotOnShow : public QObject {
 public:
  explicit ReplotOnShow(QCustomPlot* plot) : QObject(plot), m_plot(plot) {
    plot->installEventFilter(this);
    connect(plot, &QCustomPlot::afterReplot, this, [this] { dirty = false; });
  }
  bool dirty = false;

  void queue() {
    if (m_queued) return;
    m_queued = true;
    QTimer::singleShot(0, this, [this] {
      m_queued = false;
      if (dirty && m_plot->isVisible()) m_plot->replot();
    });
  }

 protected:
  bool eventFilter(QObject*, QEvent* event) override {
    if (event->type() == QEvent::Show && dirty) queue();
    return false;
  }

 private:
  QCustomPlot* m_plot;
  bool m_queued = false;
};

ReplotOnShow* existingHelperOf(const QCustomPlot* plot) {
  // Not findChild<ReplotOnShow*>(): without Q_OBJECT, qobject_cast takes any QObject for a
  // ReplotOnShow, and a plot's layers and axis rects are QObject children — the flag was written
  // into one of them and the plot stayed stale when shown (issue 18). RTTI tells them apart.
  for (QObject* child : plot->children())
    if (auto* helper = dynamic_cast<ReplotOnShow*>(child)) return helper;
  return nullptr;
}

ReplotOnShow* helperOf(QCustomPlot* plot) {
  if (ReplotOnShow* helper = existingHelperOf(plot)) return helper;
  return new ReplotOnShow(plot);
}

}  // namespace

void replotWhenVisible(QCustomPlot* plot) {
  if (!plot) return;
  ReplotOnShow* helper = helperOf(plot);
  helper->dirty = true;
  if (plot->isVisible()) helper->queue();
}

bool replotPending(const QCustomPlot* plot) {
  if (!plot) return false;
  const ReplotOnShow* helper = existingHelperOf(plot);
  return helper && helper->dirty;
}

}  // namespace netspatial::ui
