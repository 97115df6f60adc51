// Zone comparison view (issue 6 part 5): for comparisons of known zones (an office zone peaking at
// 11:00 with quiet weekends, a residential one peaking at 21:00, a drawn area), what the overlay,
// the small multiples and the table show, how the option combos talk to the owner, and the PNG
// exports read back. With NETSPATIAL_ZONES_SCREENSHOT=<folder> it also saves grabs of the view.

#include "tests/comparenear.h"
#include "tests/eventwait.h"
#include "ui/zones/zonecomparisonview.h"

#include "core/analysis/zonecomparison.h"
#include "core/traffic/decomposition.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QImage>
#include <QImageReader>
#include <QLabel>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include "ui/inspector/customplot.h"

#include <cmath>
#include <numbers>
#include <set>

using namespace netspatial::core;
using netspatial::ui::ZoneComparisonView;

namespace {

const QString kRome = QStringLiteral("Europe/Rome");
constexpr int kHours = 672;

// Monday 6 January 2025 00:00 in Rome.
QDateTime mondayStart() { return QDateTime(QDate(2025, 1, 5), QTime(23, 0), QTimeZone::utc()); }

enum class Shape { Office, Residential, Shops };

// `swing` scales the daily swing: generated traffic swings a little less than observed, so that the
// two curves are told apart on the plots (peak hours stay the same).
double valueAt(Shape shape, double scale, int dow, int hour, double swing = 1.0) {
  const bool weekend = dow >= 5;
  const auto bump = [&](int peak, double amplitude) {
    return 1.0 + swing * amplitude * std::cos(2.0 * std::numbers::pi * (hour - peak) / 24.0);
  };
  switch (shape) {
    case Shape::Office:
      return scale * (weekend ? 0.3 : 1.0) * bump(11, 0.8);
    case Shape::Residential:
      return scale * (weekend ? 1.1 : 1.0) * bump(21, 0.6);
    case Shape::Shops:
      return scale * (weekend ? 1.3 : 1.0) * bump(17, 0.7);
  }
  return 0.0;
}

std::vector<float> series(Shape shape, double scale, double swing = 1.0, int hours = kHours) {
  std::vector<float> x(static_cast<std::size_t>(hours));
  for (int t = 0; t < hours; ++t) x[std::size_t(t)] = float(valueAt(shape, scale, (t / 24) % 7, t % 24, swing));
  return x;
}

Geometry square(double x0, double y0, double x1, double y1) {
  Geometry g;
  g.type = GeometryType::Polygon;
  g.parts = {{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
  return g;
}

BaseStation station(const QString& id, double x, double y) {
  BaseStation s;
  s.id = id;
  s.position = {x, y};
  return s;
}

struct Fixture {
  Scenario scenario;
  GeneratedTraffic generated;
};

Fixture knownFixture() {
  Fixture f;
  Scenario& s = f.scenario;
  s.metadata.timeZone = kRome;
  s.metadata.trafficUnit = QStringLiteral("MB/h");
  s.zones = std::vector<Zone>{Zone{1, ZoneClass::Cbd, QStringLiteral("Office park"), square(0, 0, 1000, 1000)},
                              Zone{2, ZoneClass::ResidentialHigh, QStringLiteral("Riverside homes"), square(2000, 0, 3000, 1000)}};
  s.stations = std::vector<BaseStation>{station(QStringLiteral("O1"), 200, 200), station(QStringLiteral("O2"), 700, 700),
                                        station(QStringLiteral("R1"), 2500, 500), station(QStringLiteral("R2"), 2200, 800),
                                        station(QStringLiteral("M1"), 5200, 400)};
  s.trafficObserved.start = mondayStart();
  s.trafficObserved.valuesBySite[QStringLiteral("O1")] = series(Shape::Office, 100);
  s.trafficObserved.valuesBySite[QStringLiteral("O2")] = series(Shape::Office, 300);
  s.trafficObserved.valuesBySite[QStringLiteral("R1")] = series(Shape::Residential, 50);
  s.trafficObserved.valuesBySite[QStringLiteral("R2")] = series(Shape::Residential, 150);
  s.trafficObserved.valuesBySite[QStringLiteral("M1")] = series(Shape::Shops, 120);
  f.generated.runId = QStringLiteral("run-1");
  f.generated.start = mondayStart();
  // Generated slightly off the observed (more volume, a smaller daily swing), as a generator would be.
  for (const auto& [id, shape, scale] :
       {std::tuple{QStringLiteral("O1"), Shape::Office, 110.0}, std::tuple{QStringLiteral("O2"), Shape::Office, 330.0},
        std::tuple{QStringLiteral("R1"), Shape::Residential, 60.0}, std::tuple{QStringLiteral("M1"), Shape::Shops, 140.0}})
    f.generated.samplesBySite[id] = {series(shape, scale, 0.8), series(shape, scale * 0.9, 0.8)};
  return f;
}

std::vector<ZoneSelection> threeZones() {
  return {ZoneSelection::ofZone(1), ZoneSelection::ofZone(2),
          ZoneSelection::ofPolygon(square(4800, 0, 5600, 800), QStringLiteral("Market square"))};
}

ZoneComparison compare(ZoneTrafficSource source, ProfileNormalisation normalisation,
                       const std::vector<ZoneSelection>& selections = threeZones()) {
  static const Fixture f = knownFixture();
  auto r = compareZones(f.scenario, selections, {source, normalisation}, &f.generated);
  if (!r) qFatal("compareZones failed: %s", qPrintable(r.error().toString()));
  return *r;
}

// Pixels within `tolerance` (per channel) of `colour` inside `rect`.
int pixelsNear(const QImage& image, const QColor& colour, QRect rect, int tolerance = 40) {
  const QImage img = image.convertToFormat(QImage::Format_RGB32);
  rect = rect.intersected(img.rect());
  int n = 0;
  for (int y = rect.top(); y <= rect.bottom(); ++y)
    for (int x = rect.left(); x <= rect.right(); ++x) {
      const QColor c = img.pixelColor(x, y);
      if (std::abs(c.red() - colour.red()) <= tolerance && std::abs(c.green() - colour.green()) <= tolerance &&
          std::abs(c.blue() - colour.blue()) <= tolerance)
        ++n;
    }
  return n;
}

int rowOf(const QTableWidget* table, const QString& zone, ZoneTrafficSource source) {
  for (int r = 0; r < table->rowCount(); ++r) {
    const QTableWidgetItem* item = table->item(r, ZoneComparisonView::ColZone);
    if (item && item->text() == zone && item->data(Qt::UserRole + 1).toInt() == int(source)) return r;
  }
  return -1;
}

double cellValue(const QTableWidget* table, int row, int column) { return table->item(row, column)->data(Qt::UserRole).toDouble(); }

}  // namespace

class TestZoneComparisonView : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void emptyState();
  void overlayHasOneCurvePerZone();
  void bothShowsObservedSolidAndGeneratedDashed();
  void tableShowsTheStatistics();
  void normalisationChangesTheAxis();
  void combosEmitOnlyForTheUser();
  void exportsPngAtSizeAndDpi();
  void screenshot();
  void saysSiteSetsUnitsAndCalibration();
};

void TestZoneComparisonView::emptyState() {
  ZoneComparisonView view;
  QVERIFY(view.showsEmptyState());
  QVERIFY(!view.hasData());
  QCOMPARE(view.overlayPlot()->graphCount(), 0);
  QVERIFY(view.smallMultiplePlots().empty());
  QCOMPARE(view.table()->rowCount(), 0);
  QVERIFY(view.renderOverlay({400, 300}, 96).isNull());
  QTemporaryDir dir;
  auto saved = view.saveOverlayPng(dir.filePath(QStringLiteral("x.png")), 400, 300);
  QVERIFY(!saved.ok());
  QVERIFY2(saved.error().message().contains(QStringLiteral("nothing to export")), qPrintable(saved.error().message()));
  QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("x.png"))));

  view.setComparison(compare(ZoneTrafficSource::Observed, ProfileNormalisation::None));
  QVERIFY(!view.showsEmptyState());
  view.clear();
  QVERIFY(view.showsEmptyState());
  QCOMPARE(view.overlayPlot()->graphCount(), 0);
  QVERIFY(view.smallMultiplePlots().empty());
  QCOMPARE(view.table()->rowCount(), 0);
}

void TestZoneComparisonView::overlayHasOneCurvePerZone() {
  ZoneComparisonView view;
  view.resize(1000, 760);
  const ZoneComparison c = compare(ZoneTrafficSource::Observed, ProfileNormalisation::None);
  view.setComparison(c);
  QCustomPlot* overlay = view.overlayPlot();
  QCOMPARE(overlay->graphCount(), 3);
  std::set<QRgb> colours;
  for (int i = 0; i < 3; ++i) {
    QCPGraph* g = view.overlayGraph(i, ZoneTrafficSource::Observed);
    QVERIFY(g);
    QVERIFY(!view.overlayGraph(i, ZoneTrafficSource::Generated));
    QCOMPARE(g->data()->size(), kHoursPerWeek);
    QCOMPARE(g->pen().style(), Qt::SolidLine);
    QCOMPARE(g->pen().color(), ZoneComparisonView::zoneColour(i));
    QCOMPARE(g->name(), c.zones[std::size_t(i)].label);
    colours.insert(g->pen().color().rgb());
    // The curve is the zone's profile, hour by hour.
    QCOMPARE(g->data()->at(11)->value, double(c.zones[std::size_t(i)].observed->weekly[11]));
  }
  QCOMPARE(colours.size(), std::size_t(3));
  QVERIFY(overlay->legend->visible());
  QCOMPARE(overlay->legend->itemCount(), 3);
  QCOMPARE(overlay->yAxis->label(), QStringLiteral("Mean traffic (MB/h)"));
  QVERIFY(overlay->xAxis->label().contains(kRome));
  // Volumes start at zero and the busiest hour (office, 200 × 1.8 = 360 MB/h) is in view.
  QCOMPARE(overlay->yAxis->range().lower, 0.0);
  QVERIFY(overlay->yAxis->range().upper > 360.0);
  QVERIFY(overlay->yAxis->range().upper < 400.0);
  // Day names on the week axis.
  auto ticker = overlay->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
  QVERIFY(ticker);
  QCOMPARE(ticker->ticks().value(12.0), QStringLiteral("Mon"));
  QCOMPARE(ticker->ticks().value(12.0 + 6 * 24), QStringLiteral("Sun"));

  // Small multiples: one plot per zone, one curve each, all on the overlay's value range.
  QCOMPARE(view.smallMultiplePlots().size(), std::size_t(3));
  for (std::size_t i = 0; i < 3; ++i) {
    QCustomPlot* p = view.smallMultiplePlots()[i];
    QCOMPARE(p->graphCount(), 1);
    QCOMPARE(p->graph(0)->pen().color(), ZoneComparisonView::zoneColour(int(i)));
    QCOMPARE(p->yAxis->range(), overlay->yAxis->range());
  }
  QCOMPARE(ZoneComparisonView::gridShape(3), std::make_pair(3, 1));
  QCOMPARE(ZoneComparisonView::gridShape(4), std::make_pair(2, 2));
  QCOMPARE(ZoneComparisonView::gridShape(7), std::make_pair(3, 3));
  // A new comparison replaces, never accumulates.
  view.setComparison(
      compare(ZoneTrafficSource::Observed, ProfileNormalisation::None, {ZoneSelection::ofZone(1), ZoneSelection::ofZone(2)}));
  QCOMPARE(overlay->graphCount(), 2);
  QCOMPARE(view.smallMultiplePlots().size(), std::size_t(2));
  QCOMPARE(view.table()->rowCount(), 2);
  QVERIFY(!view.warningsLabel()->isVisibleTo(&view));
}

void TestZoneComparisonView::bothShowsObservedSolidAndGeneratedDashed() {
  ZoneComparisonView view;
  view.resize(1000, 760);
  const ZoneComparison c = compare(ZoneTrafficSource::Both, ProfileNormalisation::None);
  view.setComparison(c);
  // Office and residential have both; the market square has generated traffic from M1 as well.
  QCOMPARE(view.overlayPlot()->graphCount(), 6);
  for (int i = 0; i < 3; ++i) {
    QCPGraph* observed = view.overlayGraph(i, ZoneTrafficSource::Observed);
    QCPGraph* generated = view.overlayGraph(i, ZoneTrafficSource::Generated);
    QVERIFY(observed && generated);
    QCOMPARE(observed->pen().style(), Qt::SolidLine);
    QCOMPARE(generated->pen().style(), Qt::DashLine);
    QCOMPARE(observed->pen().color(), generated->pen().color());
    QVERIFY(observed->name().endsWith(QStringLiteral("observed")));
    QVERIFY(generated->name().endsWith(QStringLiteral("generated")));
    QCOMPARE(view.smallMultiplePlots()[std::size_t(i)]->graphCount(), 2);
  }
  QCOMPARE(view.table()->rowCount(), 6);
  QVERIFY(!view.table()->isColumnHidden(ZoneComparisonView::ColSource));
  const int generatedRow = rowOf(view.table(), QStringLiteral("Riverside homes"), ZoneTrafficSource::Generated);
  QVERIFY(generatedRow >= 0);
  QCOMPARE(view.table()->item(generatedRow, ZoneComparisonView::ColSource)->text(), QStringLiteral("generated"));
  QCOMPARE(view.table()->item(generatedRow, ZoneComparisonView::ColSites)->text(), QStringLiteral("1"));  // R1 only
  // Every hour of both sources is in view on the shared axis.
  double highest = 0.0;
  for (const ZoneComparisonEntry& e : c.zones)
    for (const auto& p : {e.observed, e.generated})
      for (float v : p->weekly) highest = std::max(highest, double(v));
  QVERIFY(highest > 359.0);  // the observed office peak, 200 × 1.8 MB/h
  QVERIFY(view.overlayPlot()->yAxis->range().upper > highest);
  QCOMPARE(view.smallMultiplePlots()[2]->yAxis->range(), view.overlayPlot()->yAxis->range());
  // Generated only: solid again, and no source column.
  view.setComparison(compare(ZoneTrafficSource::Generated, ProfileNormalisation::None));
  QCOMPARE(view.overlayPlot()->graphCount(), 3);
  QCOMPARE(view.overlayGraph(0, ZoneTrafficSource::Generated)->pen().style(), Qt::SolidLine);
  QVERIFY(view.table()->isColumnHidden(ZoneComparisonView::ColSource));
}

void TestZoneComparisonView::tableShowsTheStatistics() {
  ZoneComparisonView view;
  const ZoneComparison c = compare(ZoneTrafficSource::Observed, ProfileNormalisation::None);
  view.setComparison(c);
  QTableWidget* table = view.table();
  QCOMPARE(table->rowCount(), 3);
  QVERIFY(table->isColumnHidden(ZoneComparisonView::ColSource));
  QCOMPARE(table->horizontalHeaderItem(ZoneComparisonView::ColMean)->text(), QStringLiteral("Mean (MB/h)"));
  QVERIFY(table->horizontalHeaderItem(ZoneComparisonView::ColTemporalSigma)->text().contains(QStringLiteral("MB/h")));
  QVERIFY(table->horizontalHeaderItem(ZoneComparisonView::ColSiteSigma)->text().contains(QStringLiteral("across sites")));

  const int office = rowOf(table, QStringLiteral("Office park"), ZoneTrafficSource::Observed);
  const int homes = rowOf(table, QStringLiteral("Riverside homes"), ZoneTrafficSource::Observed);
  const int market = rowOf(table, QStringLiteral("Market square"), ZoneTrafficSource::Observed);
  QVERIFY(office >= 0 && homes >= 0 && market >= 0);
  QCOMPARE(table->item(office, ZoneComparisonView::ColSites)->text(), QStringLiteral("2"));
  QCOMPARE(table->item(market, ZoneComparisonView::ColSites)->text(), QStringLiteral("1"));
  QCOMPARE(table->item(office, ZoneComparisonView::ColPeakHour)->text(), QStringLiteral("11:00"));
  QCOMPARE(table->item(homes, ZoneComparisonView::ColPeakHour)->text(), QStringLiteral("21:00"));
  QCOMPARE(table->item(market, ZoneComparisonView::ColPeakHour)->text(), QStringLiteral("17:00"));
  QCOMPARE(table->item(office, ZoneComparisonView::ColRatio)->text(), QLocale().toString(1.0 / 0.3, 'f', 2));
  QCOMPARE(table->item(homes, ZoneComparisonView::ColRatio)->text(), QLocale().toString(1.0 / 1.1, 'f', 2));
  // Office mean 200 × (5 + 2 × 0.3) / 7 = 160 MB/h; site means 80 and 240 → σ across sites 80.
  NETSPATIAL_COMPARE_NEAR(cellValue(table, office, ZoneComparisonView::ColMean), 160.0, 1e-3);
  QCOMPARE(table->item(office, ZoneComparisonView::ColMean)->text(), QStringLiteral("160"));
  NETSPATIAL_COMPARE_NEAR(cellValue(table, office, ZoneComparisonView::ColSiteSigma), 80.0, 1e-3);
  QCOMPARE(cellValue(table, office, ZoneComparisonView::ColTemporalSigma), c.zones[0].observed->stats.temporalSigma);
  QCOMPARE(cellValue(table, market, ZoneComparisonView::ColSiteSigma), 0.0);
  QVERIFY(!table->item(office, ZoneComparisonView::ColZone)->icon().isNull());

  // The comparison's order until the user sorts; then sorted by value, not by text.
  QCOMPARE(office, 0);
  QCOMPARE(homes, 1);
  QCOMPARE(market, 2);
  table->sortItems(ZoneComparisonView::ColMean, Qt::DescendingOrder);
  QCOMPARE(table->item(0, ZoneComparisonView::ColZone)->text(), QStringLiteral("Office park"));      // 160
  QCOMPARE(table->item(1, ZoneComparisonView::ColZone)->text(), QStringLiteral("Market square"));    // 120 × 7.6 / 7
  QCOMPARE(table->item(2, ZoneComparisonView::ColZone)->text(), QStringLiteral("Riverside homes"));  // 102.9
}

void TestZoneComparisonView::normalisationChangesTheAxis() {
  ZoneComparisonView view;
  view.setComparison(compare(ZoneTrafficSource::Observed, ProfileNormalisation::ZoneMean));
  QCOMPARE(view.normalisation(), ProfileNormalisation::ZoneMean);
  QVERIFY(view.overlayPlot()->yAxis->label().startsWith(QStringLiteral("Relative to zone mean")));
  QCOMPARE(view.overlayPlot()->yAxis->range().lower, 0.0);
  QVERIFY(view.overlayPlot()->yAxis->range().upper < 3.0);  // office peak 1.8 / (5.6 / 7) = 2.25
  // The table keeps physical units.
  NETSPATIAL_COMPARE_NEAR(cellValue(view.table(), 0, ZoneComparisonView::ColMean), 160.0, 1e-3);

  view.setComparison(compare(ZoneTrafficSource::Observed, ProfileNormalisation::ZScore));
  QVERIFY(view.overlayPlot()->yAxis->label().startsWith(QStringLiteral("z-score")));
  QVERIFY(view.overlayPlot()->yAxis->range().lower < -1.0);  // z-scores go below zero and the axis follows
  QCOMPARE(view.smallMultiplePlots()[0]->yAxis->range(), view.overlayPlot()->yAxis->range());

  view.setComparison(compare(ZoneTrafficSource::Observed, ProfileNormalisation::PerSite));
  QVERIFY(view.overlayPlot()->yAxis->label().contains(QStringLiteral("site mean")));
  // The first column of small multiples carries the value label; the others do not repeat it.
  QVERIFY(!view.smallMultiplePlots()[0]->yAxis->label().isEmpty());
  QVERIFY(view.smallMultiplePlots()[1]->yAxis->label().isEmpty());
}

void TestZoneComparisonView::combosEmitOnlyForTheUser() {
  ZoneComparisonView view;
  QSignalSpy spy(&view, &ZoneComparisonView::optionsChanged);
  view.setComparison(compare(ZoneTrafficSource::Both, ProfileNormalisation::PerSite));
  view.setOptions(ProfileNormalisation::ZScore, ZoneTrafficSource::Generated);
  QCOMPARE(spy.count(), 0);
  QCOMPARE(view.normalisation(), ProfileNormalisation::ZScore);
  QCOMPARE(view.source(), ZoneTrafficSource::Generated);

  view.normalisationCombo()->setCurrentIndex(view.normalisationCombo()->findData(int(ProfileNormalisation::ZoneMean)));
  QCOMPARE(spy.count(), 1);
  QCOMPARE(spy.at(0).at(0).value<ProfileNormalisation>(), ProfileNormalisation::ZoneMean);
  QCOMPARE(spy.at(0).at(1).value<ZoneTrafficSource>(), ZoneTrafficSource::Generated);
  view.sourceCombo()->setCurrentIndex(view.sourceCombo()->findData(int(ZoneTrafficSource::Both)));
  QCOMPARE(spy.count(), 2);
  QCOMPARE(spy.at(1).at(0).value<ProfileNormalisation>(), ProfileNormalisation::ZoneMean);
  QCOMPARE(spy.at(1).at(1).value<ZoneTrafficSource>(), ZoneTrafficSource::Both);

  // Nothing generated yet: only observed can be picked.
  view.setSourcesAvailable(true, false);
  auto* model = qobject_cast<QStandardItemModel*>(view.sourceCombo()->model());
  QVERIFY(model);
  QVERIFY(model->item(view.sourceCombo()->findData(int(ZoneTrafficSource::Observed)))->isEnabled());
  QVERIFY(!model->item(view.sourceCombo()->findData(int(ZoneTrafficSource::Generated)))->isEnabled());
  QVERIFY(!model->item(view.sourceCombo()->findData(int(ZoneTrafficSource::Both)))->isEnabled());
}

void TestZoneComparisonView::exportsPngAtSizeAndDpi() {
  ZoneComparisonView view;
  view.resize(1000, 760);
  view.setComparison(compare(ZoneTrafficSource::Observed, ProfileNormalisation::None));
  QTemporaryDir dir;
  QVERIFY(dir.isValid());

  const QString overlayPath = dir.filePath(QStringLiteral("overlay.png"));
  auto saved = view.saveOverlayPng(overlayPath, 1237, 811, 150.0);
  QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().toString()));
  QImage overlay;
  QVERIFY(overlay.load(overlayPath));
  QCOMPARE(overlay.size(), QSize(1237, 811));
  QCOMPARE(overlay.dotsPerMeterX(), int(std::lround(150.0 / 0.0254)));
  for (int i = 0; i < 3; ++i)
    QVERIFY2(pixelsNear(overlay, ZoneComparisonView::zoneColour(i), overlay.rect()) > 200, qPrintable(QString::number(i)));

  // Small multiples: three cells side by side, each zone's colour in its own third.
  const QString gridPath = dir.filePath(QStringLiteral("multiples.png"));
  saved = view.saveSmallMultiplesPng(gridPath, 1800, 600, 200.0);
  QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().toString()));
  QImage grid;
  QVERIFY(grid.load(gridPath));
  QCOMPARE(grid.size(), QSize(1800, 600));
  QCOMPARE(grid.dotsPerMeterX(), int(std::lround(200.0 / 0.0254)));
  for (int i = 0; i < 3; ++i) {
    const QRect cell(i * 600, 0, 600, 600);
    QVERIFY2(pixelsNear(grid, ZoneComparisonView::zoneColour(i), cell) > 100, qPrintable(QString::number(i)));
    for (int j = 0; j < 3; ++j)
      if (j != i) QCOMPARE(pixelsNear(grid, ZoneComparisonView::zoneColour(j), cell.adjusted(4, 4, -4, -4), 12), 0);
  }
  // The export does not disturb the on-screen plots.
  QCOMPARE(view.smallMultiplePlots()[0]->graphCount(), 1);

  auto tooBig = view.saveSmallMultiplesPng(dir.filePath(QStringLiteral("big.png")), 50000, 600, 96.0);
  QVERIFY(!tooBig.ok());
  QVERIFY(tooBig.error().message().contains(QStringLiteral("image size")));
  auto badDpi = view.saveOverlayPng(dir.filePath(QStringLiteral("dpi.png")), 800, 600, 0.0);
  QVERIFY(!badDpi.ok());
  auto noFolder = view.saveSmallMultiplesPng(dir.filePath(QStringLiteral("missing/grid.png")), 800, 600, 96.0);
  QVERIFY(!noFolder.ok());
  QVERIFY(noFolder.error().message().contains(QStringLiteral("does not exist")));
  QCOMPARE(noFolder.error().context().file, dir.filePath(QStringLiteral("missing/grid.png")));
}

void TestZoneComparisonView::screenshot() {
  ZoneComparisonView view;
  view.resize(1100, 820);
  view.setComparison(compare(ZoneTrafficSource::Both, ProfileNormalisation::ZoneMean));
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  // Whatever showing queued (layout requests, the table's delayed layout) runs before the checks:
  // that the table shows no scroll bar means something only once its layout is done.
  netspatial::tests::runPostedEvents();
  const QImage overlayTab = view.grab().toImage();
  // Six rows fit: the table takes their height instead of scrolling.
  QCOMPARE(view.table()->rowCount(), 6);
  QVERIFY(!view.table()->verticalScrollBar()->isVisible());
  QVERIFY(!overlayTab.isNull());
  QVERIFY(pixelsNear(overlayTab, ZoneComparisonView::zoneColour(0), overlayTab.rect()) > 100);
  view.tabs()->setCurrentIndex(1);
  // The small plots replot when the shown tab lays them out at their size: wait until the last
  // zone's curve is on screen.
  QImage multiplesTab;
  const auto multiplesDrawn = [&] {
    multiplesTab = view.grab().toImage();
    return pixelsNear(multiplesTab, ZoneComparisonView::zoneColour(2), multiplesTab.rect()) > 100;
  };
  QTRY_VERIFY(multiplesDrawn());
  const QString folder = qEnvironmentVariable("NETSPATIAL_ZONES_SCREENSHOT");
  if (!folder.isEmpty()) {
    QVERIFY(overlayTab.save(QDir(folder).filePath(QStringLiteral("zones-view.png"))));
    QVERIFY(multiplesTab.save(QDir(folder).filePath(QStringLiteral("zones-view-multiples.png"))));
    // The small multiples export, the size a report would use.
    QVERIFY(view.saveSmallMultiplesPng(QDir(folder).filePath(QStringLiteral("zones-multiples-export.png")), 1800, 600, 150.0).ok());
    QVERIFY(view.saveOverlayPng(QDir(folder).filePath(QStringLiteral("zones-overlay-export.png")), 1500, 800, 150.0).ok());
  }
}

// Issue 19 item 4: the view says which site sets it compares and their units; generated traffic in
// another unit than the observed gets the right axis and the generator's calibration warning; a
// matching generator none.
void TestZoneComparisonView::saysSiteSetsUnitsAndCalibration() {
  Fixture f = knownFixture();
  f.scenario.metadata.trafficUnit = QStringLiteral("activity (dataset units)");
  RunRecord run;
  run.runId = f.generated.runId;
  run.kind = QStringLiteral("generate");
  run.modelId = QStringLiteral("netspatial");
  run.seed = 1;
  run.parameters.insert(QStringLiteral("unit"), QStringLiteral("MB/h"));
  f.scenario.runs.push_back(run);
  auto r = compareZones(f.scenario, {ZoneSelection::ofZone(1), ZoneSelection::ofZone(2)},
                        {ZoneTrafficSource::Both, ProfileNormalisation::None}, &f.generated);
  QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
  QCOMPARE(r->generatedUnit, QStringLiteral("MB/h"));
  QCOMPARE(r->siteSets, QStringLiteral("observed: 4 stations; generated: 3 stations — in “Office park”, “Riverside homes”"));
  Calibration bad;
  bad.verdict = CalibrationVerdict::UnitDiffers;
  bad.generatorLabel = QStringLiteral("NetSpatial (embedded)");
  bad.generatedUnit = QStringLiteral("MB/h");
  bad.observedUnit = f.scenario.metadata.trafficUnit;
  bad.message = QStringLiteral(
      "NetSpatial (embedded) was trained on simulated cities in MB/h; this scenario is Milan, observed in "
      "activity (dataset units): generated values (MB/h) are not calibrated to it");
  r->calibration = bad;
  r->generatedBy = QStringLiteral("NetSpatial (embedded), seed 1");

  ZoneComparisonView view;
  view.resize(1000, 760);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  view.setComparison(*r);
  QTRY_VERIFY(view.calibrationLabel()->isVisible());
  QVERIFY(view.headerLabel()->isVisible());
  const QString header = view.headerLabel()->text();
  QVERIFY2(header.contains(QStringLiteral("observed: 4 stations; generated: 3 stations")), qPrintable(header));
  QVERIFY2(header.contains(QStringLiteral("observed in activity (dataset units)")), qPrintable(header));
  QVERIFY2(header.contains(QStringLiteral("generated in MB/h by NetSpatial (embedded), seed 1")), qPrintable(header));
  QVERIFY(view.calibrationLabel()->text().contains(QStringLiteral("unit differs")));
  QVERIFY(view.calibrationLabel()->text().contains(QStringLiteral("not calibrated to it")));
  // Each unit on its own axis: generated on the right, named.
  QVERIFY(view.generatedOnRightAxis());
  QCOMPARE(view.overlayGraph(0, ZoneTrafficSource::Generated)->valueAxis(), view.overlayPlot()->yAxis2);
  QCOMPARE(view.overlayGraph(0, ZoneTrafficSource::Observed)->valueAxis(), view.overlayPlot()->yAxis);
  QVERIFY(view.overlayPlot()->yAxis->label().contains(QStringLiteral("activity (dataset units)")));
  QVERIFY(view.overlayPlot()->yAxis2->label().contains(QStringLiteral("MB/h")));
  QVERIFY(view.table()->horizontalHeaderItem(ZoneComparisonView::ColMean)->text().contains(QStringLiteral("row's unit")));
  const int generatedRow = rowOf(view.table(), QStringLiteral("Office park"), ZoneTrafficSource::Generated);
  QVERIFY(generatedRow >= 0);
  QCOMPARE(view.table()->item(generatedRow, ZoneComparisonView::ColSource)->text(), QStringLiteral("generated (MB/h)"));
  if (const QString folder = qEnvironmentVariable("NETSPATIAL_ZONES_SCREENSHOT"); !folder.isEmpty()) {
    netspatial::tests::runPostedEvents();
    QVERIFY(view.grab().save(QDir(folder).filePath(QStringLiteral("zones-calibration.png"))));
  }

  // Normalised shapes share one axis; the warning stays (the volumes still are not calibrated).
  auto shapes =
      compareZones(f.scenario, {ZoneSelection::ofZone(1)}, {ZoneTrafficSource::Both, ProfileNormalisation::ZoneMean}, &f.generated);
  QVERIFY(shapes.ok());
  shapes->calibration = bad;
  view.setComparison(*shapes);
  QVERIFY(!view.generatedOnRightAxis());
  QCOMPARE(view.overlayGraph(0, ZoneTrafficSource::Generated)->valueAxis(), view.overlayPlot()->yAxis);
  QTRY_VERIFY(view.calibrationLabel()->isVisible());

  // Observed only: no generator, no warning.
  auto observed = compareZones(f.scenario, {ZoneSelection::ofZone(1)}, {ZoneTrafficSource::Observed, ProfileNormalisation::None});
  QVERIFY(observed.ok());
  QCOMPARE(observed->siteSets, QStringLiteral("observed: 2 stations — in “Office park”"));
  observed->calibration = bad;
  view.setComparison(*observed);
  QTRY_VERIFY(!view.calibrationLabel()->isVisible());

  // A matching generator: the units are said, no warning.
  Fixture city = knownFixture();
  auto matching =
      compareZones(city.scenario, {ZoneSelection::ofZone(1)}, {ZoneTrafficSource::Both, ProfileNormalisation::None}, &city.generated);
  QVERIFY(matching.ok());
  QVERIFY(matching->generatedUnit.isEmpty());
  Calibration good;
  good.generatorLabel = QStringLiteral("NetSpatial (embedded)");
  good.generatedUnit = good.observedUnit = QStringLiteral("MB/h");
  matching->calibration = good;
  view.setComparison(*matching);
  QTRY_VERIFY(!view.calibrationLabel()->isVisible());
  QVERIFY(!view.generatedOnRightAxis());
  QVERIFY2(view.headerLabel()->text().contains(QStringLiteral("observed in MB/h; generated in MB/h")),
           qPrintable(view.headerLabel()->text()));
}

QTEST_MAIN(TestZoneComparisonView)
#include "tst_zonecomparisonview.moc"
