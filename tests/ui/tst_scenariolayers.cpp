// Map layers built from an in-memory scenario: order, legends, per-category POI toggles,
// opacity, reordering, and how long the GUI thread spends per paint over a 12 km imagery.

#include "core/geo/crs.h"
#include "core/scenario/scenario.h"
#include "ui/map/layerspanel.h"
#include "ui/map/mapcanvas.h"
#include "ui/scenario/aoilayer.h"
#include "ui/scenario/imagerylayer.h"
#include "ui/scenario/poislayer.h"
#include "ui/scenario/populationlayer.h"
#include "ui/scenario/scenariolayers.h"
#include "ui/scenario/stationslayer.h"
#include "ui/scenario/trafficsiteslayer.h"
#include "ui/scenario/zoneslayer.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPainter>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>
#include <QTreeWidget>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace netspatial;
using netspatial::ui::MapCanvas;
using netspatial::ui::MapLayer;

namespace {

// A 1 km square scenario near Milan (UTM 32N): x 500000–501000, y 5030000–5031000.
constexpr double kX0 = 500000.0;
constexpr double kY0 = 5030000.0;

core::Geometry rect(double x0, double y0, double x1, double y1) {
  core::Geometry g;
  g.type = core::GeometryType::Polygon;
  g.parts = {{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
  return g;
}

core::Scenario smallScenario() {
  core::Scenario s;
  s.metadata.name = QStringLiteral("test town");
  s.metadata.crs = *core::Crs::fromEpsg(32632);
  // Zones: three classes side by side along the bottom half.
  s.zones.push_back({1, core::ZoneClass::Cbd, QStringLiteral("cbd"), rect(kX0, kY0, kX0 + 300, kY0 + 500)});
  s.zones.push_back({2, core::ZoneClass::Park, QStringLiteral("park"), rect(kX0 + 300, kY0, kX0 + 600, kY0 + 500)});
  s.zones.push_back({3, core::ZoneClass::Water, QStringLiteral("lake"), rect(kX0 + 600, kY0, kX0 + 1000, kY0 + 500)});
  s.zones.push_back({4, core::ZoneClass::Park, QStringLiteral("park 2"), rect(kX0, kY0 + 900, kX0 + 100, kY0 + 1000)});
  // POIs: food in the upper left, medical in the upper right (outside every zone).
  for (int i = 0; i < 5; ++i) {
    s.pois.push_back({i, core::PoiCategory::Food, QStringLiteral("f%1").arg(i), {kX0 + 200 + i * 10.0, kY0 + 750}});
    s.pois.push_back({100 + i, core::PoiCategory::Medical, QStringLiteral("m%1").arg(i), {kX0 + 800 + i * 10.0, kY0 + 750}});
  }
  s.stations.push_back({QStringLiteral("S1"), QStringLiteral("Macro 1"), core::StationType::Macro, 100.0, {kX0 + 150, kY0 + 250}});
  s.stations.push_back({QStringLiteral("S2"), QStringLiteral("Micro 2"), core::StationType::Micro, 20.0, {kX0 + 450, kY0 + 250}});
  s.aoi = rect(kX0 + 50, kY0 + 50, kX0 + 950, kY0 + 950);
  // Imagery: 100 × 100 px of 10 m, mid grey.
  s.imagery.grid.geoTransform = {kX0, 10.0, 0.0, kY0 + 1000.0, 0.0, -10.0};
  s.imagery.grid.width = 100;
  s.imagery.grid.height = 100;
  s.imagery.grid.rgb.assign(3 * 100 * 100, 128);
  // Population: 10 × 10 cells of 100 m, growing to the east.
  s.population.grid.geoTransform = {kX0, 100.0, 0.0, kY0 + 1000.0, 0.0, -100.0};
  s.population.grid.width = 10;
  s.population.grid.height = 10;
  for (int r = 0; r < 10; ++r)
    for (int c = 0; c < 10; ++c) s.population.grid.values.push_back(float(c * 50));
  return s;
}

// Canvas showing the whole scenario at 2 m per pixel in a 500 × 500 image (1 km → 500 px).
void setUp(MapCanvas& canvas, const core::Scenario& s) {
  canvas.resize(500, 500);
  auto layers = ui::ScenarioLayers::create(s, QStringLiteral("test.gpkg"));
  QVERIFY2(layers.ok(), layers.ok() ? "" : qPrintable(layers.error().toString()));
  auto status = ui::ScenarioLayers::show(canvas, std::move(layers).value(), s.metadata.crs);
  QVERIFY2(status.ok(), status.ok() ? "" : qPrintable(status.error().toString()));
  canvas.setView({kX0 + 500, kY0 + 500}, 2.0);
}

QPoint pixelOf(const MapCanvas& canvas, double x, double y) {
  const QPointF p = canvas.toPixel({x, y});
  return QPoint(int(std::floor(p.x())), int(std::floor(p.y())));
}

QColor at(const QImage& image, QPoint p) { return image.pixelColor(p); }

bool near(const QColor& a, const QColor& b, int tolerance = 40) {
  return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance &&
         std::abs(a.blue() - b.blue()) <= tolerance;
}

int findLayer(const MapCanvas& canvas, const QString& name) {
  for (int i = 0; i < canvas.layerCount(); ++i)
    if (canvas.layer(i)->name() == name) return i;
  return -1;
}

}  // namespace

class TestScenarioLayers : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void denseNetworksAreNotLabelled() {
    // Labels appear zoomed in, but not over thousands of stations (a real network such as Milan's
    // OpenCellID sites): their text would overlap unread and held the event loop.
    const core::Crs utm = *core::Crs::fromEpsg(32632);
    auto textPixels = [&](int count) {
      std::vector<core::BaseStation> stations;
      for (int i = 0; i < count; ++i) {
        core::BaseStation b;
        b.id = QStringLiteral("S%1").arg(i);
        b.name = b.id;
        b.position = {500000.0 + 40.0 * (i % 25), 5000000.0 + 40.0 * (i / 25)};
        stations.push_back(b);
      }
      ui::StationsLayer layer(stations, utm);
      if (!layer.setMapCrs(utm).ok()) return -1;
      QImage image(1100, 1100, QImage::Format_ARGB32_Premultiplied);
      image.fill(Qt::white);
      QPainter painter(&image);
      layer.paint(painter, ui::MapView({500480.0, 5000000.0 + 20.0 * (count / 25)}, 1.0, QSizeF(1100, 1100)));
      painter.end();
      int dark = 0;  // the labels' near-black text; symbols are red or blue with white outlines
      for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
          if (QColor(image.pixel(x, y)).lightness() < 60) ++dark;
      return dark;
    };
    QVERIFY(textPixels(300) > 1000);  // 300 in view: labelled
    QCOMPARE(textPixels(500), 0);     // 500 in view: none
  }

  void layersInOrder();
  void zoneLegendOnePerClassPresent();
  void poiCategoryToggleHidesPoints();
  void opacityZeroHidesOneShows();
  void reorderSwapsWhatIsOnTop();
  void panelShowsLegendAndControls();
  void populationLegendInPeoplePerCell();
  void otherMapCrsIsRefused();
  void trafficSitesFilledByMeanTraffic();
  void largeImageryPanZoomTiming();
};

void TestScenarioLayers::layersInOrder() {
  MapCanvas canvas;
  setUp(canvas, smallScenario());
  QStringList names;
  for (int i = 0; i < canvas.layerCount(); ++i) names << canvas.layer(i)->name();
  QCOMPARE(names, QStringList({"Imagery", "Population", "Zones", "Area of interest", "Points of interest", "Base stations"}));
  QCOMPARE(canvas.mapCrs(), *core::Crs::fromEpsg(32632));
  QCOMPARE(canvas.layer(0)->kind(), MapLayer::Kind::Raster);
  QCOMPARE(canvas.layer(1)->kind(), MapLayer::Kind::Raster);
  // Parts a scenario lacks produce no layer.
  core::Scenario bare = smallScenario();
  bare.imagery = {};
  bare.pois.clear();
  auto layers = ui::ScenarioLayers::create(bare);
  QVERIFY(layers.ok());
  QCOMPARE(int(layers->size()), 4);
}

void TestScenarioLayers::zoneLegendOnePerClassPresent() {
  const core::Scenario s = smallScenario();
  ui::ZonesLayer zones(s.zones, s.metadata.crs);
  const auto legend = zones.legend();
  QCOMPARE(int(legend.size()), 3);  // Cbd, Park (twice), Water
  QCOMPARE(legend[0].label, core::zoneClassLabel(core::ZoneClass::Cbd));
  QCOMPARE(legend[1].label, core::zoneClassLabel(core::ZoneClass::Park));
  QCOMPARE(legend[2].label, core::zoneClassLabel(core::ZoneClass::Water));
  QCOMPARE(legend[1].color, ui::ZonesLayer::colorFor(core::ZoneClass::Park));
  // Every class has its own colour.
  for (int a = 0; a < core::kZoneClassCount; ++a)
    for (int b = a + 1; b < core::kZoneClassCount; ++b)
      QVERIFY(ui::ZonesLayer::colorFor(core::ZoneClass(a)) != ui::ZonesLayer::colorFor(core::ZoneClass(b)));
}

void TestScenarioLayers::poiCategoryToggleHidesPoints() {
  MapCanvas canvas;
  const core::Scenario s = smallScenario();
  setUp(canvas, s);
  const int poiIndex = findLayer(canvas, QStringLiteral("Points of interest"));
  QVERIFY(poiIndex >= 0);
  // POIs and population start hidden (a readable first view); the engineer switches them on.
  QVERIFY(!canvas.layer(poiIndex)->isVisible());
  QVERIFY(!canvas.layer(findLayer(canvas, QStringLiteral("Population")))->isVisible());
  canvas.setLayerVisible(poiIndex, true);
  // Hide the imagery and population so that a POI dot stands out against the background.
  canvas.setLayerVisible(findLayer(canvas, QStringLiteral("Imagery")), false);
  canvas.setLayerVisible(findLayer(canvas, QStringLiteral("Population")), false);
  const QPoint food = pixelOf(canvas, kX0 + 220, kY0 + 750);
  const QPoint medical = pixelOf(canvas, kX0 + 820, kY0 + 750);
  const QColor foodColor = ui::PoisLayer::colorFor(core::PoiCategory::Food);
  const QColor medicalColor = ui::PoisLayer::colorFor(core::PoiCategory::Medical);

  QImage image = canvas.renderToImage(QSize(500, 500), 1.0, false);
  QVERIFY(near(at(image, food), foodColor));
  QVERIFY(near(at(image, medical), medicalColor));

  auto legend = canvas.layer(poiIndex)->legend();
  QCOMPARE(int(legend.size()), 2);
  QVERIFY(legend[0].checkable && legend[0].checked);
  QVERIFY(legend[0].label.startsWith(core::poiCategoryLabel(core::PoiCategory::Food)));
  QSignalSpy changed(&canvas, &MapCanvas::layersChanged);
  canvas.setLegendEntryChecked(poiIndex, 0, false);  // food off
  QCOMPARE(changed.count(), 1);
  QVERIFY(!canvas.layer(poiIndex)->legend()[0].checked);
  image = canvas.renderToImage(QSize(500, 500), 1.0, false);
  QVERIFY(!near(at(image, food), foodColor));
  QVERIFY2(near(at(image, food), canvas.backgroundColor(), 8), qPrintable(at(image, food).name()));
  QVERIFY(near(at(image, medical), medicalColor));  // the other category stays

  canvas.setLegendEntryChecked(poiIndex, 0, true);
  image = canvas.renderToImage(QSize(500, 500), 1.0, false);
  QVERIFY(near(at(image, food), foodColor));
}

void TestScenarioLayers::opacityZeroHidesOneShows() {
  MapCanvas canvas;
  setUp(canvas, smallScenario());
  for (const QString& name : {QStringLiteral("Imagery"), QStringLiteral("Population"), QStringLiteral("Area of interest")})
    canvas.setLayerVisible(findLayer(canvas, name), false);
  const int zones = findLayer(canvas, QStringLiteral("Zones"));
  const QPoint lake = pixelOf(canvas, kX0 + 800, kY0 + 300);  // inside the water zone, no symbol there
  const QColor background = canvas.backgroundColor();

  canvas.setLayerOpacity(zones, 1.0);
  QImage image = canvas.renderToImage(QSize(500, 500), 1.0, false);
  const QColor opaque = at(image, lake);
  QVERIFY2(!near(opaque, background, 20), qPrintable(opaque.name()));
  // Fully opaque layer: blue water fill (alpha 150 over the background).
  QVERIFY(opaque.blue() > opaque.red() + 60);

  canvas.setLayerOpacity(zones, 0.0);
  QCOMPARE(canvas.layer(zones)->opacity(), 0.0);
  image = canvas.renderToImage(QSize(500, 500), 1.0, false);
  QVERIFY(near(at(image, lake), background, 2));

  canvas.setLayerOpacity(zones, 0.5);
  image = canvas.renderToImage(QSize(500, 500), 1.0, false);
  const QColor half = at(image, lake);
  QVERIFY(!near(half, background, 10));
  QVERIFY(!near(half, opaque, 10));
  canvas.setLayerOpacity(zones, 7.0);  // clamped
  QCOMPARE(canvas.layer(zones)->opacity(), 1.0);
}

void TestScenarioLayers::reorderSwapsWhatIsOnTop() {
  MapCanvas canvas;
  setUp(canvas, smallScenario());
  canvas.setLayerVisible(findLayer(canvas, QStringLiteral("Population")), false);
  canvas.setLayerVisible(findLayer(canvas, QStringLiteral("Area of interest")), false);
  const QPoint lake = pixelOf(canvas, kX0 + 800, kY0 + 300);
  const QColor grey(128, 128, 128);
  // Zones above imagery: the lake is blue-ish.
  QImage image = canvas.renderToImage(QSize(500, 500), 1.0, false);
  QVERIFY2(!near(at(image, lake), grey, 10), qPrintable(at(image, lake).name()));
  // Imagery moved to the top: the grey imagery hides the zone.
  const int imagery = findLayer(canvas, QStringLiteral("Imagery"));
  const int zones = findLayer(canvas, QStringLiteral("Zones"));
  QVERIFY(imagery < zones);
  canvas.moveLayer(imagery, canvas.layerCount() - 1);
  QCOMPARE(canvas.layer(canvas.layerCount() - 1)->name(), QStringLiteral("Imagery"));
  image = canvas.renderToImage(QSize(500, 500), 1.0, false);
  QVERIFY2(near(at(image, lake), grey, 3), qPrintable(at(image, lake).name()));
  // And back under the zones.
  canvas.moveLayer(canvas.layerCount() - 1, 0);
  image = canvas.renderToImage(QSize(500, 500), 1.0, false);
  QVERIFY(!near(at(image, lake), grey, 10));
}

void TestScenarioLayers::panelShowsLegendAndControls() {
  MapCanvas canvas;
  ui::LayersPanel panel(&canvas);
  setUp(canvas, smallScenario());
  QTreeWidget* tree = panel.tree();
  QCOMPARE(tree->topLevelItemCount(), 6);
  QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("Base stations"));  // top of the map first
  QCOMPARE(tree->topLevelItem(5)->text(0), QStringLiteral("Imagery"));
  QTreeWidgetItem* zones = tree->topLevelItem(3);
  QCOMPARE(zones->text(0), QStringLiteral("Zones"));
  QCOMPARE(zones->childCount(), 3);
  QTreeWidgetItem* pois = tree->topLevelItem(1);
  QCOMPARE(pois->childCount(), 2);
  QVERIFY(pois->child(0)->flags() & Qt::ItemIsUserCheckable);
  QVERIFY(!(zones->child(0)->flags() & Qt::ItemIsUserCheckable));

  // A legend checkbox toggles the POI category on the canvas.
  pois->child(1)->setCheckState(0, Qt::Unchecked);
  auto* poiLayer = dynamic_cast<ui::PoisLayer*>(canvas.layer(findLayer(canvas, QStringLiteral("Points of interest"))));
  QVERIFY(poiLayer);
  QVERIFY(!poiLayer->isCategoryVisible(core::PoiCategory::Medical));
  QVERIFY(poiLayer->isCategoryVisible(core::PoiCategory::Food));
  QCoreApplication::processEvents();  // the deferred rebuild
  QCOMPARE(panel.tree()->topLevelItem(1)->child(1)->checkState(0), Qt::Unchecked);

  // Selecting a layer drives the opacity slider and the order buttons.
  QVERIFY(!panel.opacitySlider()->isEnabled());
  const int zonesIndex = findLayer(canvas, QStringLiteral("Zones"));
  panel.selectLayer(zonesIndex);
  QCOMPARE(panel.selectedLayerIndex(), zonesIndex);
  QVERIFY(panel.opacitySlider()->isEnabled());
  QCOMPARE(panel.opacitySlider()->value(), int(std::lround(canvas.layer(zonesIndex)->opacity() * 100)));
  panel.opacitySlider()->setValue(30);
  QCOMPARE(canvas.layer(zonesIndex)->opacity(), 0.3);
  panel.moveSelectedUp();
  QCOMPARE(canvas.layer(zonesIndex + 1)->name(), QStringLiteral("Zones"));
  QCOMPARE(panel.selectedLayerIndex(), zonesIndex + 1);  // the selection follows the layer
  panel.moveSelectedDown();
  panel.moveSelectedDown();
  QCOMPARE(canvas.layer(zonesIndex - 1)->name(), QStringLiteral("Zones"));
  // The layer checkbox still toggles visibility.
  panel.tree()->topLevelItem(0)->setCheckState(0, Qt::Unchecked);
  QVERIFY(!canvas.layer(canvas.layerCount() - 1)->isVisible());
}

void TestScenarioLayers::populationLegendInPeoplePerCell() {
  const core::Scenario s = smallScenario();
  ui::PopulationLayer population(s.population.grid, s.metadata.crs);
  QCOMPARE(population.rampMaximum(), 450.0);
  const auto legend = population.legend();
  QVERIFY(legend.size() >= 3);
  QVERIFY(legend.back().label.contains(QStringLiteral("450")));
  QVERIFY(legend.back().label.contains(QStringLiteral("people/cell")));
  QVERIFY(population.description().contains(QStringLiteral("100 m")));
  QVERIFY(population.opacity() < 1.0);  // semi-transparent by default
  // Empty cells stay transparent; full ones are coloured.
  auto image = population.imageRenderer()(s.population.grid.extent(), QSize(10, 10), 100.0, nullptr);
  QVERIFY(image.ok());
  QCOMPARE(qAlpha(image->pixel(0, 5)), 0);
  QVERIFY(qAlpha(image->pixel(9, 5)) > 150);
}

void TestScenarioLayers::otherMapCrsIsRefused() {
  const core::Scenario s = smallScenario();
  ui::ZonesLayer zones(s.zones, s.metadata.crs, QStringLiteral("x.gpkg"));
  QVERIFY(zones.setMapCrs(s.metadata.crs).ok());
  auto status = zones.setMapCrs(*core::Crs::fromEpsg(3857));
  QVERIFY(!status.ok());
  QVERIFY(status.error().toString().contains(QStringLiteral("x.gpkg")));
}

void TestScenarioLayers::trafficSitesFilledByMeanTraffic() {
  core::Scenario s = smallScenario();
  s.imagery = {};
  s.population = {};
  // Two grid cells in the empty upper band: a quiet one (mean 10) and a busy one (mean 40, with a
  // missing hour that must not count as zero), and a third without traffic.
  s.trafficSites.push_back({QStringLiteral("cell-1"), {}, rect(kX0 + 300, kY0 + 550, kX0 + 400, kY0 + 650), {kX0 + 350, kY0 + 600}});
  s.trafficSites.push_back({QStringLiteral("cell-2"), {}, rect(kX0 + 500, kY0 + 550, kX0 + 600, kY0 + 650), {kX0 + 550, kY0 + 600}});
  s.trafficSites.push_back({QStringLiteral("cell-3"), {}, rect(kX0 + 700, kY0 + 550, kX0 + 800, kY0 + 650), {kX0 + 750, kY0 + 600}});
  s.trafficObserved.valuesBySite[QStringLiteral("cell-1")] = {10.0f, 10.0f, 10.0f};
  s.trafficObserved.valuesBySite[QStringLiteral("cell-2")] = {40.0f, std::nanf(""), 40.0f};
  s.metadata.trafficUnit = QStringLiteral("MB/h");
  ui::TrafficSitesLayer layer(s.trafficSites, s.trafficObserved, s.metadata.trafficUnit, s.metadata.crs);
  QVERIFY(layer.description().contains(QStringLiteral("3 traffic sites")));
  QVERIFY(layer.description().contains(QStringLiteral("40.0 MB/h")));
  QVERIFY(layer.legend().front().label.contains(QStringLiteral("MB/h")));
  MapCanvas canvas;
  setUp(canvas, s);
  QVERIFY(findLayer(canvas, QStringLiteral("Traffic sites")) >= 0);
  canvas.setLayerVisible(findLayer(canvas, QStringLiteral("Area of interest")), false);
  const QImage image = canvas.renderToImage(QSize(500, 500), 1.0, false);
  const QColor quiet = at(image, pixelOf(canvas, kX0 + 350, kY0 + 600));
  const QColor busy = at(image, pixelOf(canvas, kX0 + 550, kY0 + 600));
  const QColor none = at(image, pixelOf(canvas, kX0 + 750, kY0 + 600));
  const QColor background = canvas.backgroundColor();
  QVERIFY2(!near(quiet, background, 20) && !near(busy, background, 20), qPrintable(quiet.name() + busy.name()));
  // The ramp darkens with traffic: the busy cell is darker and redder than the quiet one.
  QVERIFY2(busy.lightness() < quiet.lightness() - 30, qPrintable(quiet.name() + QLatin1Char(' ') + busy.name()));
  QVERIFY2(std::abs(none.red() - none.blue()) < 30, qPrintable(none.name()));  // grey: no traffic
}

void TestScenarioLayers::largeImageryPanZoomTiming() {
  // A 12 km city at 4 m/px: 3000 × 3000 px of synthetic texture.
  constexpr int kSide = 3000;
  core::Scenario s;
  s.metadata.crs = *core::Crs::fromEpsg(32632);
  s.imagery.grid.geoTransform = {kX0, 4.0, 0.0, kY0 + kSide * 4.0, 0.0, -4.0};
  s.imagery.grid.width = kSide;
  s.imagery.grid.height = kSide;
  s.imagery.grid.rgb.resize(std::size_t(3) * kSide * kSide);
  for (int b = 0; b < 3; ++b)
    for (int r = 0; r < kSide; ++r)
      for (int c = 0; c < kSide; ++c)
        s.imagery.grid.rgb[(std::size_t(b) * kSide + r) * kSide + c] = std::uint8_t((c * (b + 1) + r * 3 + (c ^ r)) & 0xff);
  // A few thousand parcels, POIs and stations so the vector layers weigh in, as in a real city.
  for (int i = 0; i < 40; ++i)
    for (int j = 0; j < 40; ++j) {
      const double x = kX0 + i * 300.0;
      const double y = kY0 + j * 300.0;
      s.zones.push_back({i * 40 + j, core::ZoneClass((i + j) % core::kZoneClassCount), {}, rect(x + 10, y + 10, x + 290, y + 290)});
      for (int k = 0; k < 5; ++k)
        s.pois.push_back({(i * 40 + j) * 5 + k, core::PoiCategory((i + j + k) % core::kPoiCategoryCount), {}, {x + 40 + k * 50, y + 150}});
      if ((i + j) % 3 == 0)
        s.stations.push_back({QStringLiteral("S%1").arg(i * 40 + j),
                              {},
                              (i + j) % 2 ? core::StationType::Micro : core::StationType::Macro,
                              1.0,
                              {x + 150, y + 150}});
    }
  QElapsedTimer build;
  build.start();
  auto layers = ui::ScenarioLayers::create(s);
  QVERIFY(layers.ok());
  const qint64 buildMs = build.elapsed();

  MapCanvas canvas;
  canvas.resize(1200, 800);
  canvas.setRenderDelay(0);
  QVERIFY(ui::ScenarioLayers::show(canvas, std::move(layers).value(), s.metadata.crs).ok());
  canvas.show();
  QVERIFY(QTest::qWaitForWindowExposed(&canvas));
  QTRY_VERIFY_WITH_TIMEOUT(!canvas.isRenderPending(), 10000);

  // The GUI thread's share of each frame: paintEvent draws the cached imagery (rendered by the
  // worker pool) plus the vector layers. grab() runs exactly that paintEvent into a pixmap.
  // NETSPATIAL_UI_DUMP_DIR=folder saves every frame, to look at what was timed.
  const QString dumpDir = qEnvironmentVariable("NETSPATIAL_UI_DUMP_DIR");
  int frameNumber = 0;
  auto timeFrame = [&canvas, &dumpDir, &frameNumber] {
    QElapsedTimer t;
    t.start();
    const QPixmap frame = canvas.grab();
    const double ms = double(t.nsecsElapsed()) / 1e6;
    if (!dumpDir.isEmpty()) frame.save(QStringLiteral("%1/frame%2.png").arg(dumpDir).arg(frameNumber++, 3, 10, QLatin1Char('0')));
    return ms;
  };
  std::vector<double> frames;
  const QPointF centre(600, 400);
  for (int step = 0; step < 12; ++step) {  // zoom in towards street level, then out past the whole city
    canvas.zoomAround(centre, step < 6 ? 0.6 : 1.0 / 0.6);
    frames.push_back(timeFrame());
    for (int k = 0; k < 5; ++k) {  // a drag: only the cached image moves
      canvas.panByPixels(QPointF(35, -20));
      frames.push_back(timeFrame());
    }
    // Let the worker deliver the image for the new view, then paint once more with it.
    QTRY_VERIFY_WITH_TIMEOUT(!canvas.isRenderPending(), 10000);
    frames.push_back(timeFrame());
  }
  canvas.zoomToFullExtent();
  QTRY_VERIFY_WITH_TIMEOUT(!canvas.isRenderPending(), 10000);
  frames.push_back(timeFrame());
  // Where the GUI thread's time goes with the whole city in view (the most to draw).
  canvas.zoomToFullExtent();
  QString perLayer;
  {
    QPixmap target(canvas.size());
    QPainter painter(&target);
    for (int i = 0; i < canvas.layerCount(); ++i) {
      const MapLayer* layer = canvas.layer(i);
      QElapsedTimer t;
      t.start();
      if (layer->kind() == MapLayer::Kind::Vector) {
        layer->paint(painter, canvas.view());
        perLayer += QStringLiteral(" %1 %2 ms (GUI thread);").arg(layer->name()).arg(double(t.nsecsElapsed()) / 1e6, 0, 'f', 2);
      } else {
        const core::Extent e = canvas.view().visibleExtent();
        (void)layer->imageRenderer()(e, canvas.size(), canvas.resolution(), nullptr);
        perLayer += QStringLiteral(" %1 %2 ms (worker);").arg(layer->name()).arg(double(t.nsecsElapsed()) / 1e6, 0, 'f', 2);
      }
    }
  }
  std::printf("TIMING whole city in view, per layer:%s\n", qPrintable(perLayer));
  std::sort(frames.begin(), frames.end());
  const double maxMs = frames.back();
  const double medianMs = frames[frames.size() / 2];
  std::printf(
      "TIMING 12 km imagery (3000x3000 px, 1600 zones, 8000 POIs, %zu stations), 1200x800 view: "
      "layer build %lld ms; GUI-thread paint over %zu pan/zoom frames: median %.2f ms, max %.2f ms\n",
      s.stations.size(), buildMs, frames.size(), medianMs, maxMs);
  std::fflush(stdout);
}

QTEST_MAIN(TestScenarioLayers)
#include "tst_scenariolayers.moc"
