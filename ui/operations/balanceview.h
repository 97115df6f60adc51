#pragma once

#include "core/operations/loadbalancer.h"
#include "core/util/result.h"

#include <QImage>
#include <QSize>
#include <QStringList>
#include <QWidget>

class QCPBars;
class QCPItemStraightLine;
class QCPItemText;
class QCPTextElement;
class QCustomPlot;
class QLabel;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace netspatial::ui {

class BalanceTableModel;

//! Load balancing (DESIGN.md §9–10): a headline of what balancing changed network-wide, the peak
//! utilisation of each station before and after as paired bars (highest before first, the top
//! kMaxBars when there are more) against the threshold line, and a sortable table of every station.
//!
//! It shows a core::BalanceResult and computes nothing. A station picked in the table or on a bar
//! emits stationActivated() (for the map); selectStation() selects a row without emitting. The bar
//! plot exports to PNG at a chosen pixel size and DPI (PlotExport).
class BalanceView : public QWidget {
  Q_OBJECT

 public:
  //! More bars than this would be too thin to read or to label.
  static constexpr int kMaxBars = 40;

  explicit BalanceView(QWidget* parent = nullptr);
  ~BalanceView() override;

  //! Shows `result`; `threshold` is the balancing threshold (a fraction, BalanceOptions::threshold)
  //! and `unit` the traffic unit ("MB/h").
  void setResult(const core::BalanceResult& result, double threshold, const QString& unit);
  //! Back to the empty state.
  void clear();
  //! True when a result with at least one station is shown.
  bool hasData() const { return !m_result.stations.empty(); }
  bool showsEmptyState() const;
  const core::BalanceResult& result() const { return m_result; }
  double threshold() const { return m_threshold; }

  //! The station ids of the bars, left to right (highest peak before first).
  const QStringList& plottedStations() const { return m_plotted; }
  //! The result's indices of the bars, left to right.
  const std::vector<int>& plottedIndices() const { return m_plottedIndices; }

  //! "Network peak 112.0 % → 94.3 % · mean station peak … · station-hours above 80 %: 412 → 37 · load moved 1,234 MB".
  static QString headlineText(const core::BalanceResult& result, double threshold, const QString& unit);

  QCustomPlot* plot() const { return m_plot; }
  //! Bar values are percentages (peak × 100); keys 1, 2, … in plottedStations() order.
  QCPBars* beforeBars() const { return m_before; }
  QCPBars* afterBars() const { return m_after; }
  QCPItemStraightLine* thresholdLine() const { return m_thresholdLine; }
  QTableView* tableView() const { return m_table; }
  BalanceTableModel* model() const { return m_model; }
  QSortFilterProxyModel* proxy() const { return m_proxy; }
  QLabel* headlineLabel() const { return m_headline; }
  //! The result's notes (overloaded stations with no neighbour, …); hidden when there are none.
  QLabel* notesLabel() const { return m_notes; }
  QLabel* emptyLabel() const { return m_empty; }

  //! The bar plot as an image of exactly `pixels` at `dpi`; null without data.
  QImage render(QSize pixels, double dpi) const;
  //! render() as a PNG; fails, naming the file, without data, on a bad size or DPI, or when the
  //! file cannot be written.
  core::Status savePng(const QString& path, int widthPx, int heightPx, double dpi = 96.0) const;

 public Q_SLOTS:
  //! Selects and scrolls to the station's row; clears the selection for an unknown id. Never emits.
  void selectStation(const QString& stationId);

 Q_SIGNALS:
  //! The user picked a station in the table or clicked its bar.
  void stationActivated(const QString& stationId);

 private:
  void buildPlot();
  void plotBars();

  core::BalanceResult m_result;
  double m_threshold = 0.8;
  QString m_unit;
  QStringList m_plotted;
  std::vector<int> m_plottedIndices;
  bool m_syncing = false;

  QStackedWidget* m_stack;
  QLabel* m_empty;
  QLabel* m_headline;
  QLabel* m_notes;
  QSplitter* m_splitter;
  QCustomPlot* m_plot;
  QCPTextElement* m_title;
  QCPBars* m_before;
  QCPBars* m_after;
  QCPItemStraightLine* m_thresholdLine;
  QCPItemText* m_thresholdText;
  BalanceTableModel* m_model;
  QSortFilterProxyModel* m_proxy;
  QTableView* m_table;
};

}  // namespace netspatial::ui
