#include "ui/inspector/deferredreplot.h"

#include "ui/inspector/customplot.h"

#include <QEvent>

namespace netspatial::ui {

namespace {

//! Lives as a child of its plot and replots it when it is shown, if a replot was deferred.
class ReplotOnShow : public QObject {
 public:
  explicit ReplotOnShow(QCustomPlot* plot) : QObject(plot) { plot->installEventFilter(this); }
  bool pending = false;

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (event->type() == QEvent::Show && pending) {
      pending = false;
      static_cast<QCustomPlot*>(watched)->replot(QCustomPlot::rpQueuedReplot);
    }
    return false;
  }
};

}  // namespace

void replotWhenVisible(QCustomPlot* plot) {
  if (!plot) return;
  if (plot->isVisible()) {
    plot->replot(QCustomPlot::rpQueuedReplot);
    return;
  }
  // Not findChild<ReplotOnShow*>(): without Q_OBJECT, qobject_cast takes any QObject for a
  // ReplotOnShow, and a plot's layers and axis rects are QObject children — the flag was written
  // into one of them and the plot stayed stale when shown (issue 18). RTTI tells them apart.
  ReplotOnShow* deferred = nullptr;
  for (QObject* child : plot->children())
    if ((deferred = dynamic_cast<ReplotOnShow*>(child))) break;
  if (!deferred) deferred = new ReplotOnShow(plot);
  deferred->pending = true;
}

}  // namespace netspatial::ui
