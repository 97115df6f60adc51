// Site inspector: what each plot draws for traffic of a known shape (band, mean, observed, the
// weekly and daily profiles, local-time axis across a DST change), the empty state, the facts, and
// the PNG/PDF exports of its plots.

#include "tests/comparenear.h"
#include "ui/inspector/siteinspector.h"
#include "ui/inspector/localtimeticker.h"
#include "ui/inspector/siteprofiles.h"

#include "tests/eventwait.h"
#include "tests/imagecompare.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include "ui/inspector/customplot.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <set>

using netspatial::core::ErrorCode;
using netspatial::ui::InspectedSite;
using netspatial::ui::LocalTimeTicker;
using netspatial::ui::SiteInspector;
using netspatial::ui::SiteProfiles;
using Plot = SiteInspector::Plot;
using Curve = SiteInspector::Curve;

namespace {

constexpr int kHours = 672;
constexpr int kPeakHour = 20;

// 2025-03-02T23:00Z is Monday 3 March 00:00 in Rome (CET, UTC+1); the window ends on Sunday
// 30 March, when Rome moves to CEST at 02:00 local.
QDateTime windowStart() { return QDateTime(QDate(2025, 3, 2), QTime(23, 0), Qt::UTC); }

// A daily cosine peaking at 20:00 local time, weekends at half level, times `scale`.
float shape(int t, double scale) {
  const int hour = t % 24;
  const bool weekend = (t / 24) % 7 >= 5;
  const double daily = 100.0 + 80.0 * std::cos(2.0 * std::numbers::pi * (hour - kPeakHour) / 24.0);
  return float(scale * (weekend ? 0.5 : 1.0) * daily);
}

// Sample k is the shape × (1 + 0.1 k): the band across samples is the first and the last sample.
InspectedSite knownSite(int samples, bool withObserved) {
  InspectedSite site;
  site.siteId = QStringLiteral("S0012");
  site.title = QStringLiteral("S0012 — macro station");
  site.unit = QStringLiteral("MB/h");
  site.start = windowStart();
  site.timeZone = QTimeZone("Europe/Rome");
  for (int k = 0; k < samples; ++k) {
    std::vector<float> x(kHours);
    for (int t = 0; t < kHours; ++t) x[std::size_t(t)] = shape(t, 1.0 + 0.1 * k);
    site.samples.push_back(std::move(x));
  }
  if (withObserved) {
    site.observed.resize(kHours);
    for (int t = 0; t < kHours; ++t) site.observed[std::size_t(t)] = shape(t, 0.9);
    // A missing day: the profiles must average the valid hours only.
    for (int t = 48; t < 72; ++t) site.observed[std::size_t(t)] = std::numeric_limits<float>::quiet_NaN();
  }
  site.facts = {{QStringLiteral("LSI"), QStringLiteral("12.4")},
                {QStringLiteral("σ (normalised)"), QStringLiteral("0.081")},
                {QStringLiteral("Zone"), QStringLiteral("residential")},
                {QStringLiteral("POI mix"), QStringLiteral("food 40 %, retail 25 %, transport 10 %")},
                {QStringLiteral("Peak hour"), QStringLiteral("20:00 on weekdays")}};
  if (withObserved) site.metrics = {{QStringLiteral("mae"), 12.3456}, {QStringLiteral("corr"), 0.9341}};
  return site;
}

std::vector<double> keysOf(const QCPGraph* g) {
  std::vector<double> k;
  for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) k.push_back(it->key);
  return k;
}

std::vector<double> valuesOf(const QCPGraph* g) {
  std::vector<double> v;
  for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) v.push_back(it->value);
  return v;
}

// Entries in a legend (QCPLegend::itemCount counts the cells of its grid, empty ones too).
int legendEntries(const QCustomPlot* plot) {
  int n = 0;
  for (int i = 0; i < plot->legend->elementCount(); ++i) n += plot->legend->item(i) != nullptr;
  return n;
}

int argmax(const std::vector<double>& v) { return int(std::max_element(v.begin(), v.end()) - v.begin()); }

// Fraction of pixels that differ from the top-left (background) pixel.
double inkFraction(const QImage& image) {
  const QImage img = image.convertToFormat(QImage::Format_RGB32);
  const QRgb background = img.pixel(0, 0);
  qint64 ink = 0;
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) ink += img.pixel(x, y) != background;
  return double(ink) / (double(img.width()) * img.height());
}

// Pixels close to the generated blue (31, 119, 180): the mean line or the band were drawn.
int bluishPixels(const QImage& image) {
  const QImage img = image.convertToFormat(QImage::Format_RGB32);
  int n = 0;
  for (int y = 0; y < img.height(); ++y)
    for (int x = 0; x < img.width(); ++x) {
      const QColor c = img.pixelColor(x, y);
      n += c.blue() > c.red() + 60 && c.blue() > 120;
    }
  return n;
}

}  // namespace

class TestSiteInspector : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void emptyStateUntilASiteHasTraffic();
  void seriesPlotHasBandMeanAndObserved();
  void seriesAxisIsLocalTimeAcrossDst();
  void manySamplesUseTheQuantileBand();
  void weeklyProfileHas168HoursWithDayTicks();
  void dailyProfilesPeakAtTheirHour();
  void observedOnlySiteShowsObservedCurves();
  void axisLabelsCarryUnits();
  void calibrationUnitsAndWarning();
  void factsAndMetricsAreShown();
  void savesPngAtRequestedSizeAndDpi();
  void exportFailuresNameTheFile();
  void savesPdf();
  void widgetScreenshotIsNotBlank();
  void hiddenTabsShowTheNewSite();
};

void TestSiteInspector::emptyStateUntilASiteHasTraffic() {
  SiteInspector inspector;
  QVERIFY(inspector.showsEmptyState());
  QVERIFY(!inspector.hasData());
  QVERIFY(inspector.emptyLabel()->text().contains(QStringLiteral("Click a site on the map")));

  inspector.setSite(knownSite(4, true));
  QVERIFY(inspector.hasData());
  QVERIFY(!inspector.showsEmptyState());
  QCOMPARE(inspector.titleLabel()->text(), QStringLiteral("S0012 — macro station"));

  inspector.clear();
  QVERIFY(inspector.showsEmptyState());
  QVERIFY(!inspector.hasData());
  for (int i = 0; i < SiteInspector::kPlotCount; ++i) QCOMPARE(inspector.plot(Plot(i))->graphCount(), 0);
  QVERIFY(inspector.graph(Plot::Series, Curve::Mean) == nullptr);

  // Facts without any traffic (a candidate not generated yet) are still "nothing to plot"; so are
  // samples and an observed series holding nothing but gaps.
  InspectedSite factsOnly = knownSite(0, false);
  inspector.setSite(factsOnly);
  QVERIFY(inspector.showsEmptyState());
  InspectedSite allMissing = knownSite(0, false);
  allMissing.samples.assign(2, std::vector<float>(kHours, std::numeric_limits<float>::quiet_NaN()));
  allMissing.observed.assign(kHours, std::numeric_limits<float>::quiet_NaN());
  inspector.setSite(allMissing);
  QVERIFY(inspector.showsEmptyState());
  QVERIFY(!inspector.hasData());
}

void TestSiteInspector::seriesPlotHasBandMeanAndObserved() {
  SiteInspector inspector;
  inspector.setSite(knownSite(4, false));
  QCPGraph* low = inspector.graph(Plot::Series, Curve::BandLow);
  QCPGraph* high = inspector.graph(Plot::Series, Curve::BandHigh);
  QCPGraph* mean = inspector.graph(Plot::Series, Curve::Mean);
  QVERIFY(low && high && mean);
  QVERIFY(inspector.graph(Plot::Series, Curve::Observed) == nullptr);
  QCOMPARE(inspector.seriesPlot()->graphCount(), 3);
  QCOMPARE(high->channelFillGraph(), low);
  QVERIFY(high->brush().style() != Qt::NoBrush);
  QVERIFY(high->brush().color().alpha() < 255);  // translucent: the mean shows through
  QCOMPARE(low->dataCount(), kHours);
  QCOMPARE(mean->dataCount(), kHours);
  QVERIFY(!inspector.profiles().bandIsQuantile);
  QVERIFY(high->name().contains(QStringLiteral("min–max")));

  // With 4 samples (< 10) the band is min–max: sample 0 (×1.0) to sample 3 (×1.3); the mean ×1.15.
  const auto lo = valuesOf(low), hi = valuesOf(high), mu = valuesOf(mean);
  for (int t = 0; t < kHours; t += 7) {
    QCOMPARE(float(lo[std::size_t(t)]), shape(t, 1.0));
    QCOMPARE(float(hi[std::size_t(t)]), shape(t, 1.3));
    NETSPATIAL_COMPARE_NEAR(mu[std::size_t(t)], shape(t, 1.15), 1e-3 * shape(t, 1.15));
    QVERIFY(lo[std::size_t(t)] < mu[std::size_t(t)] && mu[std::size_t(t)] < hi[std::size_t(t)]);
  }
  QCOMPARE(legendEntries(inspector.seriesPlot()), 2);  // band and mean; the lower edge is unnamed

  inspector.setSite(knownSite(4, true));
  QCOMPARE(inspector.seriesPlot()->graphCount(), 4);
  QCPGraph* observed = inspector.graph(Plot::Series, Curve::Observed);
  QVERIFY(observed);
  QCOMPARE(observed->dataCount(), kHours);
  QVERIFY(observed->pen().color() != inspector.graph(Plot::Series, Curve::Mean)->pen().color());
  QVERIFY(std::isnan(valuesOf(observed)[50]));  // the missing day stays a gap, never a zero
  QCOMPARE(legendEntries(inspector.seriesPlot()), 3);
  QVERIFY(inspector.seriesPlot()->legend->visible());
}

void TestSiteInspector::seriesAxisIsLocalTimeAcrossDst() {
  SiteInspector inspector;
  inspector.setSite(knownSite(2, false));
  QCustomPlot* plot = inspector.seriesPlot();
  QVERIFY(plot->xAxis->label().contains(QStringLiteral("Europe/Rome")));
  QVERIFY(plot->xAxis->label().contains(QStringLiteral("Local time")));

  const auto keys = keysOf(inspector.graph(Plot::Series, Curve::Mean));
  QCOMPARE(int(keys.size()), kHours);
  // Hour 0 is drawn at Monday 3 March 00:00 on a wall-clock axis.
  const double monday = double(QDateTime(QDate(2025, 3, 3), QTime(0, 0), Qt::UTC).toSecsSinceEpoch());
  QCOMPARE(keys.front(), monday);
  // Rome skips 02:00 on 30 March: exactly one step of two hours, every other step one hour.
  int twoHourSteps = 0;
  for (std::size_t i = 1; i < keys.size(); ++i) {
    const double step = keys[i] - keys[i - 1];
    QVERIFY(step == 3600.0 || step == 7200.0);
    twoHourSteps += step == 7200.0;
  }
  QCOMPARE(twoHourSteps, 1);
  const double dstKey = double(QDateTime(QDate(2025, 3, 30), QTime(3, 0), Qt::UTC).toSecsSinceEpoch());
  QVERIFY(std::find(keys.begin(), keys.end(), dstKey) != keys.end());

  // Ticks fall on local midnights, here the four Mondays, and are labelled as such.
  plot->resize(900, 500);
  plot->replot();
  const QVector<double> ticks = plot->xAxis->tickVector();
  QVERIFY(ticks.size() >= 3);
  for (double tick : ticks) QCOMPARE(std::fmod(tick - monday, 7 * 86400.0), 0.0);
  const QVector<QString> labels = plot->xAxis->tickVectorLabels();
  QVERIFY(!labels.isEmpty());
  for (const QString& label : labels) QVERIFY2(label.startsWith(QStringLiteral("Mon")), qPrintable(label));
  // Zoomed in to two days the labels gain the time of day; zooming out stops at the four weeks.
  plot->xAxis->setRange(monday + 86400.0, monday + 3 * 86400.0);
  plot->replot();
  QVERIFY(plot->xAxis->tickVectorLabels().first().contains(QLatin1Char(':')));
  for (double tick : plot->xAxis->tickVector()) QCOMPARE(std::fmod(tick - monday, 3600.0), 0.0);
  plot->xAxis->setRange(monday - 86400.0 * 10, monday + 86400.0 * 60);
  QCOMPARE(plot->xAxis->range().lower, keys.front());
  QCOMPARE(plot->xAxis->range().upper, keys.back() + 3600.0);
  plot->xAxis->setRange(keys.back() - 60.0, keys.back() + 60.0);  // not narrower than 6 h
  QVERIFY(plot->xAxis->range().size() >= 6 * 3600.0 - 1e-6);
  QVERIFY(plot->xAxis->range().upper <= keys.back() + 3600.0);

  QCOMPARE(LocalTimeTicker::localKey(windowStart(), QTimeZone("Europe/Rome")), monday);
  // Invalid zone: UTC.
  QCOMPARE(LocalTimeTicker::localKey(windowStart(), QTimeZone()), double(windowStart().toSecsSinceEpoch()));
}

void TestSiteInspector::manySamplesUseTheQuantileBand() {
  SiteInspector inspector;
  inspector.setSite(knownSite(12, false));  // scales 1.0 … 2.1
  QVERIFY(inspector.profiles().bandIsQuantile);
  const auto hi = valuesOf(inspector.graph(Plot::Series, Curve::BandHigh));
  const auto lo = valuesOf(inspector.graph(Plot::Series, Curve::BandLow));
  const int t = kPeakHour;
  // 10 % and 90 % of 12 evenly spaced scales: 1.0 + 0.1 × 1.1 and 1.0 + 0.1 × 9.9 (type-7 quantiles).
  NETSPATIAL_COMPARE_NEAR(lo[t], shape(t, 1.11), 1e-3 * shape(t, 1.11));
  NETSPATIAL_COMPARE_NEAR(hi[t], shape(t, 1.99), 1e-3 * shape(t, 1.99));
  QVERIFY(inspector.graph(Plot::Series, Curve::BandHigh)->name().contains(QStringLiteral("10–90 %")));

  // One sample has no band to draw: only its line.
  inspector.setSite(knownSite(1, false));
  QVERIFY(inspector.graph(Plot::Series, Curve::BandHigh) == nullptr);
  QVERIFY(inspector.graph(Plot::Series, Curve::Mean) != nullptr);
  QVERIFY(inspector.graph(Plot::Weekly, Curve::BandHigh) == nullptr);
}

void TestSiteInspector::weeklyProfileHas168HoursWithDayTicks() {
  SiteInspector inspector;
  inspector.setSite(knownSite(4, true));
  QCPGraph* mean = inspector.graph(Plot::Weekly, Curve::Mean);
  QCPGraph* observed = inspector.graph(Plot::Weekly, Curve::Observed);
  QVERIFY(mean && observed);
  QVERIFY(inspector.graph(Plot::Weekly, Curve::BandHigh) && inspector.graph(Plot::Weekly, Curve::BandLow));
  QCOMPARE(mean->dataCount(), 168);
  QCOMPARE(observed->dataCount(), 168);
  QCOMPARE(inspector.graph(Plot::Weekly, Curve::BandHigh)->dataCount(), 168);

  const auto w = valuesOf(mean);
  // Peak at 20:00 of each day; weekend at half the weekday level.
  for (int d = 0; d < 7; ++d) {
    const std::vector<double> day(w.begin() + d * 24, w.begin() + d * 24 + 24);
    QCOMPARE(argmax(day), kPeakHour);
  }
  NETSPATIAL_COMPARE_NEAR(w[5 * 24 + kPeakHour] / w[kPeakHour], 0.5, 1e-4);
  NETSPATIAL_COMPARE_NEAR(w[kPeakHour], shape(kPeakHour, 1.15), 1e-3 * w[kPeakHour]);
  // The observed profile averages valid hours only: Wednesday of week 1 is missing, the other three
  // Wednesdays still give the full level.
  NETSPATIAL_COMPARE_NEAR(valuesOf(observed)[2 * 24 + kPeakHour], shape(kPeakHour, 0.9), 1e-2);

  auto ticker = inspector.weeklyPlot()->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
  QVERIFY(ticker);
  QCOMPARE(ticker->ticks().values(), QList<QString>({"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}));
  QCOMPARE(inspector.weeklyPlot()->xAxis->range().lower, 0.0);
  QCOMPARE(inspector.weeklyPlot()->xAxis->range().upper, 168.0);
}

void TestSiteInspector::dailyProfilesPeakAtTheirHour() {
  SiteInspector inspector;
  inspector.setSite(knownSite(4, true));
  QCPGraph* weekday = inspector.graph(Plot::Daily, Curve::WeekdayMean);
  QCPGraph* weekend = inspector.graph(Plot::Daily, Curve::WeekendMean);
  QCPGraph* observedWeekday = inspector.graph(Plot::Daily, Curve::ObservedWeekday);
  QCPGraph* observedWeekend = inspector.graph(Plot::Daily, Curve::ObservedWeekend);
  QVERIFY(weekday && weekend && observedWeekday && observedWeekend);
  QCOMPARE(weekday->dataCount(), 24);
  QCOMPARE(keysOf(weekday).front(), 0.0);
  QCOMPARE(keysOf(weekday).back(), 23.0);
  QCOMPARE(argmax(valuesOf(weekday)), kPeakHour);
  QCOMPARE(argmax(valuesOf(weekend)), kPeakHour);
  QCOMPARE(argmax(valuesOf(observedWeekday)), kPeakHour);
  const double ratio = valuesOf(weekend)[kPeakHour] / valuesOf(weekday)[kPeakHour];
  QVERIFY2(std::abs(ratio - 0.5) < 1e-4, qPrintable(QString::number(ratio)));
  QCOMPARE(observedWeekday->pen().style(), Qt::DashLine);
  QCOMPARE(observedWeekend->pen().style(), Qt::DashLine);
  QCOMPARE(weekday->pen().style(), Qt::SolidLine);
  QVERIFY(weekday->pen().color() != weekend->pen().color());
  QCOMPARE(legendEntries(inspector.dailyPlot()), 4);

  // The same numbers as core's decomposition (the inspector must not have its own definition).
  const SiteProfiles& p = inspector.profiles();
  QCOMPARE(p.daily.size(), std::size_t(48));
  QCOMPARE(double(p.daily[kPeakHour]), valuesOf(weekday)[kPeakHour]);
}

void TestSiteInspector::observedOnlySiteShowsObservedCurves() {
  SiteInspector inspector;
  inspector.setSite(knownSite(0, true));
  QVERIFY(inspector.hasData());
  QVERIFY(!inspector.showsEmptyState());
  QVERIFY(inspector.graph(Plot::Series, Curve::Observed));
  QVERIFY(!inspector.graph(Plot::Series, Curve::Mean));
  QVERIFY(!inspector.graph(Plot::Series, Curve::BandHigh));
  QVERIFY(inspector.graph(Plot::Weekly, Curve::Observed));
  QVERIFY(!inspector.graph(Plot::Daily, Curve::WeekdayMean));
  QCOMPARE(argmax(valuesOf(inspector.graph(Plot::Daily, Curve::ObservedWeekday))), kPeakHour);
  QVERIFY(!inspector.subtitleLabel()->text().contains(QStringLiteral("sample")));
  QVERIFY(inspector.subtitleLabel()->text().contains(QStringLiteral("observed")));
}

void TestSiteInspector::axisLabelsCarryUnits() {
  SiteInspector inspector;
  inspector.setSite(knownSite(4, true));
  for (int i = 0; i < SiteInspector::kPlotCount; ++i) {
    QCustomPlot* plot = inspector.plot(Plot(i));
    QVERIFY2(plot->yAxis->label().contains(QStringLiteral("(MB/h)")), qPrintable(plot->yAxis->label()));
    QVERIFY(!plot->xAxis->label().isEmpty());
    QVERIFY(plot->xAxis->label().contains(QStringLiteral("Europe/Rome")));
    // Traffic from zero to just above the largest value plotted (the top of the band).
    QCOMPARE(plot->yAxis->range().lower, 0.0);
  }
  QVERIFY(inspector.seriesPlot()->yAxis->range().upper >= shape(kPeakHour, 1.3));
  QVERIFY(inspector.seriesPlot()->yAxis->range().upper < 1.2 * shape(kPeakHour, 1.3));
  QVERIFY(inspector.dailyPlot()->xAxis->label().contains(QStringLiteral("Hour of day")));

  InspectedSite unitless = knownSite(2, false);
  unitless.unit.clear();
  inspector.setSite(unitless);
  QVERIFY(inspector.seriesPlot()->yAxis->label().contains(QStringLiteral("unit not given")));
}

// Issue 19 item 4: each series says its unit and generator; a generator in another unit than the
// scenario's gets its own axis and the warning shows; a matching one shows no warning.
void TestSiteInspector::calibrationUnitsAndWarning() {
  using netspatial::core::Calibration;
  using netspatial::core::CalibrationVerdict;
  SiteInspector inspector;
  inspector.resize(900, 500);
  inspector.show();
  QVERIFY(QTest::qWaitForWindowExposed(&inspector));

  // Milan-like: observed activity, generated by the embedded model in MB/h.
  InspectedSite milan = knownSite(4, true);
  milan.unit = QStringLiteral("activity (dataset units)");
  Calibration bad;
  bad.verdict = CalibrationVerdict::UnitDiffers;
  bad.generatorLabel = QStringLiteral("NetSpatial (embedded)");
  bad.generatedUnit = QStringLiteral("MB/h");
  bad.observedUnit = milan.unit;
  bad.message = QStringLiteral(
      "NetSpatial (embedded) was trained on simulated cities in MB/h; this scenario is Milan, observed in activity (dataset units): "
      "generated values (MB/h) are not calibrated to it");
  milan.setCalibration(bad, 1);
  QCOMPARE(milan.generatedUnit, QStringLiteral("MB/h"));
  QCOMPARE(milan.generatedBy, QStringLiteral("NetSpatial (embedded), seed 1"));
  inspector.setSite(milan);
  QTRY_VERIFY(inspector.calibrationLabel()->isVisible());
  QVERIFY2(inspector.calibrationLabel()->text().contains(QStringLiteral("unit differs")), qPrintable(inspector.calibrationLabel()->text()));
  QVERIFY(inspector.calibrationLabel()->text().contains(QStringLiteral("activity (dataset units)")));
  QVERIFY(inspector.generatedOnRightAxis());
  for (Plot which : {Plot::Series, Plot::Weekly}) {
    const QCPGraph* mean = inspector.graph(which, Curve::Mean);
    const QCPGraph* observed = inspector.graph(which, Curve::Observed);
    QVERIFY(mean && observed);
    QCOMPARE(mean->name(), QStringLiteral("Generated by NetSpatial (embedded), seed 1, mean\n(MB/h, uncalibrated here)"));
    QCOMPARE(observed->name(), QStringLiteral("Observed (activity (dataset units))"));
    // Each on its own axis, each axis naming its unit.
    QCOMPARE(mean->valueAxis(), inspector.plot(which)->yAxis2);
    QCOMPARE(observed->valueAxis(), inspector.plot(which)->yAxis);
    QVERIFY(inspector.plot(which)->yAxis2->tickLabels());
    QVERIFY(inspector.plot(which)->yAxis->label().contains(QStringLiteral("Observed traffic (activity (dataset units))")));
    QVERIFY(inspector.plot(which)->yAxis2->label().contains(QStringLiteral("Generated traffic (MB/h)")));
  }
  QCOMPARE(inspector.graph(Plot::Daily, Curve::WeekdayMean)->valueAxis(), inspector.dailyPlot()->yAxis2);
  QVERIFY(inspector.subtitleLabel()->text().contains(QStringLiteral("by NetSpatial (embedded), seed 1 in MB/h")));

  // The demo city: same unit, trained on simulated cities — no warning, one axis.
  InspectedSite city = knownSite(4, true);
  Calibration good;
  good.generatorLabel = QStringLiteral("NetSpatial (embedded)");
  good.generatedUnit = QStringLiteral("MB/h");
  good.observedUnit = QStringLiteral("MB/h");
  good.message = QStringLiteral("NetSpatial (embedded) was trained on simulated cities in MB/h; this scenario is a simulated city");
  city.setCalibration(good, 3);
  QVERIFY(city.generatedUnit.isEmpty());
  inspector.setSite(city);
  QTRY_VERIFY(!inspector.calibrationLabel()->isVisible());
  QVERIFY(!inspector.generatedOnRightAxis());
  QCOMPARE(inspector.graph(Plot::Series, Curve::Mean)->name(), QStringLiteral("Generated by NetSpatial (embedded), seed 3, mean (MB/h)"));
  QCOMPARE(inspector.graph(Plot::Series, Curve::Mean)->valueAxis(), inspector.seriesPlot()->yAxis);
  QVERIFY(!inspector.seriesPlot()->yAxis2->tickLabels());
  QVERIFY(inspector.seriesPlot()->yAxis->label().contains(QStringLiteral("Traffic (MB/h)")));

  // Generated only, in another unit: the one axis says the generated unit; the warning stays.
  InspectedSite candidate = knownSite(2, false);
  candidate.unit = QStringLiteral("activity (dataset units)");
  candidate.setCalibration(bad, 1);
  inspector.setSite(candidate);
  QTRY_VERIFY(inspector.calibrationLabel()->isVisible());
  QVERIFY(!inspector.generatedOnRightAxis());
  QVERIFY2(inspector.seriesPlot()->yAxis->label().contains(QStringLiteral("(MB/h)")), qPrintable(inspector.seriesPlot()->yAxis->label()));
}

void TestSiteInspector::factsAndMetricsAreShown() {
  SiteInspector inspector;
  inspector.setSite(knownSite(4, true));
  const QString facts = inspector.factsLabel()->text();
  for (const char* expected :
       {"LSI", "12.4", "residential", "POI mix", "20:00 on weekdays", "Observed vs generated", "mae", "12.35", "corr", "0.934"})
    QVERIFY2(facts.contains(QString::fromUtf8(expected)), expected);
  const QString subtitle = inspector.subtitleLabel()->text();
  QVERIFY2(subtitle.contains(QStringLiteral("4 generated samples")), qPrintable(subtitle));
  // 672 UTC hours from Monday 00:00 CET end at Monday 31 March 00:00 CEST: Rome lost an hour on the 30th.
  QVERIFY2(subtitle.contains(QStringLiteral("Mon 3 Mar 2025")) && subtitle.contains(QStringLiteral("Mon 31 Mar 2025")),
           qPrintable(subtitle));
  QVERIFY(subtitle.contains(QStringLiteral("Europe/Rome")));

  inspector.setSite(knownSite(4, false));
  QVERIFY(!inspector.factsLabel()->text().contains(QStringLiteral("Observed vs generated")));
}

void TestSiteInspector::savesPngAtRequestedSizeAndDpi() {
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  SiteInspector inspector;
  inspector.resize(900, 600);
  inspector.setSite(knownSite(4, true));
  for (int i = 0; i < SiteInspector::kPlotCount; ++i) {
    const Plot which = Plot(i);
    const QString path = dir.filePath(SiteInspector::plotKey(which) + QStringLiteral(".png"));
    const auto saved = inspector.savePlotPng(which, path, 1237, 811, 150.0);
    QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().toString()));
    QImage image;
    QVERIFY(image.load(path, "PNG"));
    QCOMPARE(image.width(), 1237);
    QCOMPARE(image.height(), 811);
    QCOMPARE(image.dotsPerMeterX(), int(std::lround(150.0 / 0.0254)));
    const double ink = inkFraction(image);
    QVERIFY2(ink > 0.03, qPrintable(QStringLiteral("%1: %2 of the pixels drawn").arg(path).arg(ink)));
    QVERIFY2(bluishPixels(image) > 500, qPrintable(path));  // the generated curves, not just axes
    const QString keep = qEnvironmentVariable("NETSPATIAL_SCREENSHOT_DIR");
    if (!keep.isEmpty()) QFile::copy(path, QDir(keep).filePath(QStringLiteral("export-") + QFileInfo(path).fileName()));
  }
  // The plot on screen keeps its own layout after the export.
  QVERIFY(inspector.seriesPlot()->axisRect()->rect().width() < 900);

  // Higher DPI at the same pixel size draws text and lines bigger (physical size is kept).
  const QImage at96 = inspector.renderPlot(Plot::Daily, {800, 500}, 96.0);
  const QImage at300 = inspector.renderPlot(Plot::Daily, {800, 500}, 300.0);
  QCOMPARE(at96.size(), QSize(800, 500));
  QCOMPARE(at300.size(), QSize(800, 500));
  QVERIFY(inkFraction(at300) > inkFraction(at96));
  // At 300 DPI the 800 px image is 256 logical pixels wide: the four daily legend entries wrap
  // into more rows rather than being cut off.
  QVERIFY(inspector.dailyPlot()->legend->rowCount() >= 3);
}

void TestSiteInspector::exportFailuresNameTheFile() {
  SiteInspector inspector;
  const QString orphan = QDir::temp().filePath(QStringLiteral("no-such-folder-4b1c/plot.png"));
  // Nothing shown: nothing to export.
  auto empty = inspector.savePlotPng(Plot::Series, orphan, 800, 600, 96.0);
  QVERIFY(!empty.ok());
  QCOMPARE(empty.error().code(), ErrorCode::InvalidArgument);
  QVERIFY(empty.error().toString().contains(orphan));

  inspector.setSite(knownSite(4, true));
  const auto missingFolder = inspector.savePlotPng(Plot::Series, orphan, 800, 600, 96.0);
  QVERIFY(!missingFolder.ok());
  QCOMPARE(missingFolder.error().code(), ErrorCode::Io);
  QVERIFY2(missingFolder.error().toString().contains(orphan), qPrintable(missingFolder.error().toString()));
  QVERIFY(missingFolder.error().toString().contains(QStringLiteral("does not exist")));
  QVERIFY(!QFile::exists(orphan));

  QTemporaryDir dir;
  const auto isFolder = inspector.savePlotPng(Plot::Weekly, dir.path(), 800, 600, 96.0);
  QVERIFY(!isFolder.ok());
  QVERIFY(isFolder.error().toString().contains(dir.path()));

  const QString good = dir.filePath(QStringLiteral("p.png"));
  const auto badSize = inspector.savePlotPng(Plot::Weekly, good, 0, 600, 96.0);
  QVERIFY(!badSize.ok());
  QCOMPARE(badSize.error().code(), ErrorCode::InvalidArgument);
  QVERIFY(!inspector.savePlotPng(Plot::Weekly, good, 800, 600, 0.0).ok());
  QVERIFY(!inspector.savePlotPng(Plot::Weekly, good, 800, 600, std::nan("")).ok());
  QVERIFY(!QFile::exists(good));
  QVERIFY(!inspector.savePlotPdf(Plot::Weekly, orphan + QStringLiteral(".pdf")).ok());
}

void TestSiteInspector::savesPdf() {
  QTemporaryDir dir;
  SiteInspector inspector;
  inspector.setSite(knownSite(4, true));
  const QString path = dir.filePath(QStringLiteral("weekly.pdf"));
  const auto saved = inspector.savePlotPdf(Plot::Weekly, path, 720, 432);
  QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().toString()));
  QFile file(path);
  QVERIFY(file.open(QIODevice::ReadOnly));
  QVERIFY(file.read(5) == "%PDF-");
  QVERIFY(file.size() > 2000);
}

void TestSiteInspector::widgetScreenshotIsNotBlank() {
  SiteInspector inspector;
  inspector.resize(900, 600);
  inspector.setSite(knownSite(4, true));
  inspector.show();
  QVERIFY(QTest::qWaitForWindowExposed(&inspector));
  // NETSPATIAL_SCREENSHOT_DIR keeps the screenshots (one per tab) for a person to look at.
  const QString keep = qEnvironmentVariable("NETSPATIAL_SCREENSHOT_DIR");
  for (int i = 0; i < SiteInspector::kPlotCount; ++i) {
    inspector.showPlot(Plot(i));
    QCOMPARE(inspector.currentPlot(), Plot(i));
    QCoreApplication::processEvents();
    const QImage shot = inspector.grab().toImage();
    QCOMPARE(shot.size(), QSize(900, 600) * shot.devicePixelRatio());
    QVERIFY(inkFraction(shot) > 0.05);
    QVERIFY(bluishPixels(shot) > 300);
    // Legends fit the plot's width: three entries in one row, the four daily ones in two.
    QCOMPARE(inspector.plot(Plot(i))->legend->rowCount(), Plot(i) == Plot::Daily ? 2 : 1);
    if (!keep.isEmpty()) QVERIFY(shot.save(QDir(keep).filePath(QStringLiteral("inspector-%1.png").arg(SiteInspector::plotKey(Plot(i))))));
  }
  inspector.clear();
  QCoreApplication::processEvents();
  QVERIFY(inspector.emptyLabel()->isVisible());
  if (!keep.isEmpty()) QVERIFY(inspector.grab().save(QDir(keep).filePath(QStringLiteral("inspector-empty.png"))));
}

// Issue 18: after a second site arrives while a tab is hidden, every tab, once shown, draws the
// second site: what is on screen equals a forced replot.
void TestSiteInspector::hiddenTabsShowTheNewSite() {
  SiteInspector inspector;
  inspector.resize(900, 600);
  inspector.show();
  QVERIFY(QTest::qWaitForWindowExposed(&inspector));
  InspectedSite first = knownSite(4, true);
  inspector.setSite(first);
  for (int i = 0; i < SiteInspector::kPlotCount; ++i) {  // every tab drawn once
    inspector.showPlot(Plot(i));
    // Shown, the plot replots on the next turn of the event loop (ui::replotWhenVisible).
    QTRY_VERIFY(!netspatial::ui::replotPending(inspector.plot(Plot(i))));
  }
  inspector.showPlot(Plot::Series);
  InspectedSite second = knownSite(8, false);
  second.siteId = QStringLiteral("second");
  second.title = QStringLiteral("second — candidate");
  for (auto& sample : second.samples)
    for (float& v : sample) v = 3.0f * v + 5.0f;  // another level: another y axis
  inspector.setSite(second);
  for (int i = 0; i < SiteInspector::kPlotCount; ++i) {
    inspector.showPlot(Plot(i));
    QCustomPlot* plot = inspector.plot(Plot(i));
    // The replot its Show queued has run: what is on screen now is what the user gets to see.
    QTRY_VERIFY(!netspatial::ui::replotPending(plot));
    const QImage shown = plot->grab().toImage();
    plot->replot(QCustomPlot::rpImmediateRefresh);
    const double differing = netspatial::tests::differingPixelShare(shown, plot->grab().toImage());
    QVERIFY2(differing < 0.002,
             qPrintable(QStringLiteral("%1: %2 % of the pixels differ").arg(SiteInspector::plotKey(Plot(i))).arg(100.0 * differing)));
  }
  // A cleared inspector shows no plot of the last site anywhere.
  inspector.clear();
  // clear() switches to the empty state at once; what is still queued runs first, so that the
  // check covers the state the user is left with, not only the one right after the call.
  netspatial::tests::runPostedEvents();
  QVERIFY(inspector.emptyLabel()->isVisible());
}

QTEST_MAIN(TestSiteInspector)
#include "tst_siteinspector.moc"
