#pragma once

#include "core/operations/papermode.h"
#include "core/util/result.h"

#include <QDateTime>
#include <QImage>
#include <QSize>
#include <QString>
#include <QTimeZone>
#include <QWidget>

#include <vector>

class QCPAxisRect;
class QCPGraph;
class QCPItemStraightLine;
class QCPTextElement;
class QComboBox;
class QCustomPlot;
class QLabel;
class QStackedWidget;

namespace netspatial::ui {

//! NetSpatial's paper mode (paper 003 §5.3.2, Eq. 19–20; DESIGN.md §9), drawn like the paper's
//! Fig. 10 for one station at a time: on top the observed load ρ_obs, the generated forecast ρ_gen
//! and the control target ρ_ctrl, with the volatile windows (where ρ_ctrl is ρ_gen) shaded; below,
//! the adjustment ρ_ctrl − ρ_obs split into reductions and increases. Above the plot, the station's
//! and the network's η and QoE, and an always-visible note on what η is and is not.
//!
//! It shows a core::PaperModeResult and computes nothing. The plot exports to PNG at a chosen
//! pixel size and DPI (PlotExport), title and η/QoE included.
class PaperModeView : public QWidget {
  Q_OBJECT

 public:
  explicit PaperModeView(QWidget* parent = nullptr);
  ~PaperModeView() override;

  //! Shows `result` for stations `ids` with their `observed` and `generated` load ([station][hour],
  //! the series paperMode() was given), hour 0 at `startUtc`, drawn in local time of `zone`;
  //! `unit` names the load ("utilisation", "MB/h"). Stations missing from any of the inputs are
  //! left out of the combo; a series shorter than the others ends early. Keeps the current station
  //! when its id is still there, else shows the first.
  void setResult(const core::PaperModeResult& result, const std::vector<QString>& ids, const std::vector<std::vector<double>>& observed,
                 const std::vector<std::vector<double>>& generated, const QDateTime& startUtc, const QTimeZone& zone, const QString& unit);
  //! Back to the empty state.
  void clear();
  bool hasData() const { return !m_ids.empty(); }
  bool showsEmptyState() const;

  //! Shows station `index` (of `ids`); ignored outside them.
  void setStation(int index);
  //! Shows the station with `id`; false when it is not shown here.
  bool setStation(const QString& id);
  int currentStation() const { return m_station; }
  QString currentStationId() const;
  int stationCount() const { return int(m_ids.size()); }

  //! The key of hour `hour` on the time axis: local wall-clock seconds (LocalTimeTicker::localKey).
  double keyOfHour(int hour) const;

  QComboBox* stationCombo() const { return m_stationCombo; }
  QCustomPlot* plot() const { return m_plot; }
  QCPAxisRect* loadRect() const { return m_loadRect; }
  QCPAxisRect* adjustmentRect() const { return m_adjustRect; }
  QCPGraph* observedGraph() const { return m_observed; }
  QCPGraph* generatedGraph() const { return m_generated; }
  QCPGraph* controlGraph() const { return m_control; }
  //! A step graph, 1 over every volatile hour and 0 elsewhere, filled: the shading.
  QCPGraph* volatileGraph() const { return m_volatile; }
  //! ρ_ctrl − ρ_obs where negative (0 elsewhere), and where positive, as filled step graphs.
  QCPGraph* reductionGraph() const { return m_reduction; }
  QCPGraph* increaseGraph() const { return m_increase; }
  //! "η = 12.3 %, QoE = 87.6 % (station) · network η = 4.1 %, QoE = 95.0 %".
  QLabel* metricsLabel() const { return m_metrics; }
  //! Volatile hours and the summed reductions and increases of the station.
  QLabel* detailsLabel() const { return m_details; }
  QLabel* explanationLabel() const { return m_explanation; }

  //! The metrics line for a station's and the network's η and QoE (fractions).
  static QString metricsText(double stationEta, double stationQoe, double networkEta, double networkQoe);
  //! A fraction as a percentage with one decimal: 0.1234 → "12.3 %"; "—" for NaN.
  static QString percentText(double fraction);

  //! The plot as an image of exactly `pixels` at `dpi`; null without data.
  QImage render(QSize pixels, double dpi) const;
  //! render() as a PNG; fails, naming the file, without data, on a bad size or DPI, or when the
  //! file cannot be written.
  core::Status savePng(const QString& path, int widthPx, int heightPx, double dpi = 96.0) const;

 Q_SIGNALS:
  //! The user picked another station (not emitted by setStation() or setResult()).
  void stationChanged(int index);

 private:
  void buildPlot();
  void showStation();
  void updateLabels();

  core::PaperModeResult m_result;
  std::vector<QString> m_ids;
  std::vector<std::vector<double>> m_observedSeries;
  std::vector<std::vector<double>> m_generatedSeries;
  QDateTime m_start;
  QTimeZone m_zone;
  QString m_unit;
  int m_station = -1;
  bool m_syncing = false;

  QComboBox* m_stationCombo;
  QLabel* m_metrics;
  QLabel* m_details;
  QLabel* m_explanation;
  QStackedWidget* m_stack;
  QLabel* m_empty;
  QCustomPlot* m_plot;
  QCPTextElement* m_title;
  QCPAxisRect* m_loadRect;
  QCPAxisRect* m_adjustRect;
  QCPGraph* m_volatile;
  QCPGraph* m_control;
  QCPGraph* m_observed;
  QCPGraph* m_generated;
  QCPGraph* m_reduction;
  QCPGraph* m_increase;
  QCPItemStraightLine* m_zeroLine;
  double m_firstKey = 0.0;
  double m_lastKey = 0.0;
};

}  // namespace netspatial::ui
