#pragma once

#include "core/analysis/zonecomparison.h"
#include "core/util/result.h"

#include <QColor>
#include <QImage>
#include <QSize>
#include <QWidget>

#include <map>
#include <optional>
#include <utility>
#include <vector>

class QCPGraph;
class QCPTextElement;
class QComboBox;
class QCustomPlot;
class QGridLayout;
class QLabel;
class QSplitter;
class QStackedWidget;
class QTableWidget;
class QTabWidget;

namespace netspatial::ui {

//! Zone comparison (DESIGN.md §10, issue 6 part 5): the mean weekly profiles of a few zones
//! overlaid on one plot (one colour per zone; observed solid, generated dashed), the same profiles
//! as small multiples on a shared value axis, and a table of their statistics.
//!
//! It shows a core::ZoneComparison and computes nothing: changing the normalisation or the traffic
//! source only emits optionsChanged(); the owner calls core::compareZones() again and then
//! setComparison(). Both plots export to PNG at a chosen pixel size and DPI.
class ZoneComparisonView : public QWidget {
  Q_OBJECT

 public:
  //! Columns of table().
  enum Column {
    ColZone = 0,
    ColSource,  //!< "observed" / "generated"; hidden unless the comparison shows both
    ColSites,
    ColPeakHour,       //!< weekday peak, local time
    ColRatio,          //!< weekday / weekend
    ColMean,           //!< physical unit
    ColTemporalSigma,  //!< σ over the week of the zone's mean profile, physical unit
    ColSiteSigma,      //!< σ across the zone's sites of their means, physical unit
    ColumnCount
  };
  //! Qt::UserRole of every numeric cell holds the value as a double (NaN when undefined), for
  //! sorting and for whoever reads the table; the zone cell holds the zone's index there and the
  //! source (int of core::ZoneTrafficSource) in Qt::UserRole + 1.

  explicit ZoneComparisonView(QWidget* parent = nullptr);
  ~ZoneComparisonView() override;

  //! Shows `comparison`; its normalisation and source become the combos' values, without emitting.
  void setComparison(const core::ZoneComparison& comparison);
  //! Back to the empty state ("pick zones…").
  void clear();
  bool hasData() const { return !m_comparison.zones.empty(); }
  bool showsEmptyState() const;
  const core::ZoneComparison& comparison() const { return m_comparison; }

  core::ProfileNormalisation normalisation() const;
  core::ZoneTrafficSource source() const;
  //! Sets the combos without emitting optionsChanged().
  void setOptions(core::ProfileNormalisation normalisation, core::ZoneTrafficSource source);
  //! Greys out the sources the project does not have (no observed traffic, nothing generated yet).
  void setSourcesAvailable(bool observed, bool generated);

  QCustomPlot* overlayPlot() const { return m_overlay; }
  //! The small plots, one per zone, in the order of the comparison's zones.
  const std::vector<QCustomPlot*>& smallMultiplePlots() const { return m_multiples; }
  QWidget* smallMultiplesWidget() const { return m_grid; }
  QTableWidget* table() const { return m_table; }
  QComboBox* normalisationCombo() const { return m_normalisationCombo; }
  QComboBox* sourceCombo() const { return m_sourceCombo; }
  QTabWidget* tabs() const { return m_tabs; }
  //! Warnings of the comparison (zones without one of the sources, …); hidden when there are none.
  QLabel* warningsLabel() const { return m_warnings; }
  //! Which site sets are compared and in which units (issue 19 item 4); always shown with data.
  QLabel* headerLabel() const { return m_header; }
  //! The generator's calibration warning; hidden unless generated traffic is shown and the
  //! comparison's calibration is not Matches.
  QLabel* calibrationLabel() const { return m_calibration; }
  //! True when generated profiles are drawn against the right axis, in their own unit (no
  //! normalisation, both sources, a generated unit that is not the observed one).
  bool generatedOnRightAxis() const;

  //! The overlay curve of zone `zoneIndex` from `source` (Observed or Generated); nullptr if none.
  QCPGraph* overlayGraph(int zoneIndex, core::ZoneTrafficSource source) const;
  //! The colour of the zone at `index` (a qualitative palette, repeating after ten zones).
  static QColor zoneColour(int index);
  //! Label of the value axis for a normalisation ("Mean traffic (MB/h)", "Relative to zone mean"…).
  static QString valueAxisLabel(core::ProfileNormalisation normalisation, const QString& unit);
  //! Columns and rows of the small-multiples grid for `zones` zones.
  static std::pair<int, int> gridShape(int zones);

  //! The overlay as an image of exactly `pixels` at `dpi` (see PlotExport); null without data.
  QImage renderOverlay(QSize pixels, double dpi) const;
  //! The small multiples composed into one image of exactly `pixels` at `dpi`, each small plot
  //! rendered at its cell's size (not a screen grab, so any size and DPI stay sharp); null without data.
  QImage renderSmallMultiples(QSize pixels, double dpi) const;
  //! PNG files of the above; fail, naming the file, without data, on a bad size or DPI, or when
  //! the file cannot be written.
  core::Status saveOverlayPng(const QString& path, int widthPx, int heightPx, double dpi = 96.0) const;
  core::Status saveSmallMultiplesPng(const QString& path, int widthPx, int heightPx, double dpi = 96.0) const;

 Q_SIGNALS:
  //! The user changed the normalisation or the source (not emitted by setOptions/setComparison).
  void optionsChanged(netspatial::core::ProfileNormalisation normalisation, netspatial::core::ZoneTrafficSource source);

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  void rebuild();
  //! Gives the table the height of its rows (at most 40 %) until the user drags the splitter.
  void fitTableHeight();
  void plotOverlay();
  void plotMultiples();
  void fillTable();
  void onComboChanged();
  //! Adds the zone's curves to `plot`; returns them (observed, generated), nullptr where absent.
  std::pair<QCPGraph*, QCPGraph*> addZoneCurves(QCustomPlot* plot, int zoneIndex, bool named);
  //! The common value range of every curve (of `only` when given), with a little headroom.
  std::pair<double, double> valueRange(std::optional<core::ZoneTrafficSource> only = std::nullopt) const;
  //! Sets the value axes' labels and ranges of `plot`, the right one only for generatedOnRightAxis().
  void setupValueAxes(QCustomPlot* plot, bool labels) const;
  QString generatedUnit() const;
  QString title() const;
  core::Status checkExportable(const QString& path) const;

  core::ZoneComparison m_comparison;

  QComboBox* m_normalisationCombo;
  QComboBox* m_sourceCombo;
  QStackedWidget* m_stack;
  QLabel* m_empty;
  QLabel* m_warnings;
  QLabel* m_header;
  QLabel* m_calibration;
  QTabWidget* m_tabs;
  QCustomPlot* m_overlay;
  QCPTextElement* m_overlayTitle;
  QWidget* m_grid;
  QGridLayout* m_gridLayout;
  std::vector<QCustomPlot*> m_multiples;
  QTableWidget* m_table;
  QSplitter* m_splitter;
  bool m_userSizedSplitter = false;
  std::map<std::pair<int, core::ZoneTrafficSource>, QCPGraph*> m_overlayGraphs;
  bool m_syncing = false;  //!< set while the view sets its own combos
};

}  // namespace netspatial::ui
