#pragma once

#include "core/operations/sleepstudy.h"
#include "core/util/result.h"

#include <QColor>
#include <QDateTime>
#include <QImage>
#include <QSize>
#include <QTimeZone>
#include <QWidget>

#include <memory>
#include <vector>

class QCPAxisRect;
class QCPCurve;
class QCPGraph;
class QCPItemText;
class QCPTextElement;
class QComboBox;
class QCustomPlot;
class QLabel;
class QStackedWidget;
class QTabWidget;
class QTableView;

namespace netspatial::ui {

class SleepComparisonModel;
class SleepTimeline;

//! The result of a sleep-scheduling study (DESIGN.md §9–10), in four tabs:
//!  - Timeline: the forecast or the oracle schedule as a heat strip (SleepTimeline);
//!  - Power & QoE: network power (kW) of every policy over time, and QoE per hour (%) below it;
//!  - Trade-off: energy saving against QoE for the forecast policy over its quantiles, with
//!    always-on, the static night schedule and the oracle as single points and a guide at QoE 99 %;
//!  - Comparison: a table of the policies (SleepComparisonModel).
//!
//! It shows a finished core::SleepStudy and runs nothing. Every tab exports to PNG at a chosen
//! pixel size and DPI (plots through PlotExport; the table is rendered, not grabbed, at that size).
class SleepStudyView : public QWidget {
  Q_OBJECT

 public:
  enum Tab { TimelineTab = 0, PowerTab, TradeoffTab, ComparisonTab, TabCount };
  //! Which schedule the timeline shows (the combo's items, in this order).
  enum class TimelineSchedule { Forecast = 0, Oracle = 1 };

  explicit SleepStudyView(QWidget* parent = nullptr);
  ~SleepStudyView() override;

  //! Shows `study`: `stationIds` name the schedules' stations in order, hour 0 starts at
  //! `startUtc`, times are shown in `zone`, traffic is in `trafficUnit` ("MB/h").
  void setStudy(const core::SleepStudy& study, const std::vector<QString>& stationIds, const QDateTime& startUtc, const QTimeZone& zone,
                const QString& trafficUnit);
  //! The same without a copy: the view keeps a reference to `study` (the studio passes the one its
  //! worker built).
  void setStudy(std::shared_ptr<const core::SleepStudy> study, const std::vector<QString>& stationIds, const QDateTime& startUtc,
                const QTimeZone& zone, const QString& trafficUnit);
  //! Back to the empty state ("Run a sleep study…").
  void clear();
  bool hasData() const { return m_hasStudy; }
  bool showsEmptyState() const;
  const core::SleepStudy& study() const { return *m_study; }

  TimelineSchedule timelineSchedule() const;
  void setTimelineSchedule(TimelineSchedule which);

  QTabWidget* tabs() const { return m_tabs; }
  QLabel* emptyLabel() const { return m_empty; }
  QLabel* notesLabel() const { return m_notes; }
  QComboBox* scheduleCombo() const { return m_scheduleCombo; }
  SleepTimeline* timeline() const { return m_timeline; }
  QCustomPlot* powerPlot() const { return m_powerPlot; }
  QCPAxisRect* powerAxisRect() const { return m_powerRect; }
  QCPAxisRect* qoeAxisRect() const { return m_qoeRect; }
  //! One per outcome of the study, in its order: network power in kW at the middle of each hour.
  const std::vector<QCPGraph*>& powerGraphs() const { return m_powerGraphs; }
  //! One per outcome: served ÷ offered per hour, in %.
  const std::vector<QCPGraph*>& qoeGraphs() const { return m_qoeGraphs; }
  QCustomPlot* tradeoffPlot() const { return m_tradeoffPlot; }
  //! The forecast policy over the quantiles: one point per SleepStudy::tradeoff entry, x = QoE %,
  //! y = saving %, in the entries' order. nullptr without trade-off points.
  QCPCurve* tradeoffCurve() const { return m_tradeoffCurve; }
  //! "q=0.9" beside each point of the curve, in the same order.
  const std::vector<QCPItemText*>& tradeoffLabels() const { return m_tradeoffLabels; }
  //! The single point of a policy on the trade-off plot (always-on, static night, oracle, and the
  //! forecast outcome of the study); nullptr when the study has no such outcome.
  QCPGraph* tradeoffMarker(core::SleepPolicy policy) const;
  QTableView* comparisonTable() const { return m_table; }
  SleepComparisonModel* comparisonModel() const { return m_model; }

  //! The colour of a policy on every plot.
  static QColor policyColour(core::SleepPolicy policy);
  //! The QoE at which the trade-off plot draws its guide line, in %.
  static constexpr double kQoeGuidePct = 99.0;
  static constexpr const char* kEmptyText = "Run a sleep study (Operations ▸ Sleep scheduling…)";

  //! A tab as an image of exactly `pixels` at `dpi`; null without a study, for a bad tab, size or DPI.
  QImage renderTab(int tab, QSize pixels, double dpi) const;
  //! renderTab() as a PNG file; fails, naming the file, without a study, on a bad tab, size or DPI,
  //! or when the file cannot be written.
  core::Status saveTabPng(int tab, const QString& path, int widthPx, int heightPx, double dpi = 96.0) const;

 private:
  void rebuild();
  void showTimeline();
  void plotPower();
  void plotTradeoff();
  QImage renderComparison(QSize pixels, double dpi) const;
  QString periodText() const;

  std::shared_ptr<const core::SleepStudy> m_study = std::make_shared<const core::SleepStudy>();
  std::vector<QString> m_ids;
  QDateTime m_startUtc;
  QTimeZone m_zone;
  QString m_unit;
  bool m_hasStudy = false;

  QStackedWidget* m_stack;
  QLabel* m_empty;
  QLabel* m_summary;
  QLabel* m_notes;
  QTabWidget* m_tabs;
  QComboBox* m_scheduleCombo;
  SleepTimeline* m_timeline;
  QCustomPlot* m_powerPlot;
  QCPTextElement* m_powerTitle;
  QCPAxisRect* m_powerRect;
  QCPAxisRect* m_qoeRect;
  std::vector<QCPGraph*> m_powerGraphs;
  std::vector<QCPGraph*> m_qoeGraphs;
  QCustomPlot* m_tradeoffPlot;
  QCPTextElement* m_tradeoffTitle;
  QCPCurve* m_tradeoffCurve = nullptr;
  std::vector<QCPItemText*> m_tradeoffLabels;
  std::vector<std::pair<core::SleepPolicy, QCPGraph*>> m_markers;
  QTableView* m_table;
  SleepComparisonModel* m_model;
};

}  // namespace netspatial::ui
