#pragma once

#include "core/util/result.h"
#include "ui/inspector/inspectedsite.h"
#include "ui/inspector/siteprofiles.h"

#include <QImage>
#include <QWidget>

#include <array>
#include <map>
#include <utility>

class QCPGraph;
class QCustomPlot;
class QLabel;
class QStackedWidget;
class QTabWidget;

namespace netspatial::ui {

//! The traffic of one site (DESIGN.md §10, issue 6 part 3), from plain data: one tab per plot —
//! the four-week series (band across samples, sample mean, observed overlaid) on a local-time axis,
//! the mean weekly profile (Mon…Sun) and the weekday/weekend daily profiles — and beside them the
//! site's facts (LSI, σ, zone, POI mix, peak hour…) and the observed-vs-generated metrics. Without
//! any traffic it says how to get some instead of drawing empty axes. Every plot exports to PNG at
//! a chosen size and DPI, or to PDF.
class SiteInspector : public QWidget {
  Q_OBJECT

 public:
  enum class Plot { Series = 0, Weekly = 1, Daily = 2 };
  static constexpr int kPlotCount = 3;

  //! The curves a plot can hold; graph() finds them.
  enum class Curve {
    BandLow,          //!< Series, Weekly: lower edge of the band across samples (≥ 2 samples)
    BandHigh,         //!< Series, Weekly: upper edge, filled down to BandLow
    Mean,             //!< Series, Weekly: generated mean across samples
    Observed,         //!< Series, Weekly: observed series / weekly mean
    WeekdayMean,      //!< Daily: generated weekday profile (24 h)
    WeekendMean,      //!< Daily: generated weekend profile
    ObservedWeekday,  //!< Daily: observed weekday profile (dashed)
    ObservedWeekend,  //!< Daily: observed weekend profile (dashed)
  };

  explicit SiteInspector(QWidget* parent = nullptr);
  ~SiteInspector() override;

  //! Shows `site`, replacing whatever was shown (the newest request is the caller's to choose).
  void setSite(const InspectedSite& site);
  //! Back to the empty state.
  void clear();
  //! True when the site shown has generated or observed traffic to plot.
  bool hasData() const { return !m_profiles.isEmpty(); }
  bool showsEmptyState() const;

  const InspectedSite& site() const { return m_site; }
  const SiteProfiles& profiles() const { return m_profiles; }

  QCustomPlot* plot(Plot which) const { return m_plots[std::size_t(which)]; }
  QCustomPlot* seriesPlot() const { return plot(Plot::Series); }
  QCustomPlot* weeklyPlot() const { return plot(Plot::Weekly); }
  QCustomPlot* dailyPlot() const { return plot(Plot::Daily); }
  //! The graph drawing `curve` in `which`, or nullptr when it is not plotted.
  QCPGraph* graph(Plot which, Curve curve) const;
  //! Brings a plot's tab to the front.
  void showPlot(Plot which);
  Plot currentPlot() const;
  //! "series", "weekly", "daily": for file names.
  static QString plotKey(Plot which);

  QLabel* titleLabel() const { return m_title; }
  QLabel* subtitleLabel() const { return m_subtitle; }
  QLabel* factsLabel() const { return m_facts; }
  QLabel* emptyLabel() const { return m_empty; }
  QTabWidget* tabs() const { return m_tabs; }

  //! A plot as an image of exactly `pixels` at `dpi` (see PlotExport); null without data.
  QImage renderPlot(Plot which, QSize pixels, double dpi) const;
  //! A plot as PNG at `widthPx` × `heightPx` and `dpi`; fails, naming the file, when there is
  //! nothing to plot, the size or DPI is unusable or the file cannot be written.
  core::Status savePlotPng(Plot which, const QString& path, int widthPx, int heightPx, double dpi = 96.0) const;
  //! A plot as a one-page vector PDF of `widthPt` × `heightPt` points.
  core::Status savePlotPdf(Plot which, const QString& path, int widthPt = 720, int heightPt = 432) const;

 private:
  void rebuild();
  void plotSeries();
  void plotWeekly();
  void plotDaily();
  void updateTexts();
  void resetPlot(QCustomPlot* plot, const QString& xLabel);
  QCPGraph* addGraph(Plot which, Curve curve, const QString& name);
  void finishPlot(Plot which);
  core::Status checkExportable(const QString& path) const;
  QString bandName() const;
  //! Wraps the legend into as few rows as fit `width` logical pixels.
  static void fitLegend(QCustomPlot* plot, int width);

  InspectedSite m_site;
  SiteProfiles m_profiles;

  QStackedWidget* m_stack;
  QLabel* m_empty;
  QLabel* m_title;
  QLabel* m_subtitle;
  QLabel* m_facts;
  QTabWidget* m_tabs;
  std::array<QCustomPlot*, kPlotCount> m_plots{};
  std::map<std::pair<Plot, Curve>, QCPGraph*> m_graphs;
  double m_seriesFirstKey = 0.0;  // full x range of the series plot, restored on double-click
  double m_seriesLastKey = 0.0;
};

}  // namespace netspatial::ui
