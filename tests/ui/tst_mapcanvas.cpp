// Map canvas: view arithmetic, pan/zoom interaction, map CRS choice, rendering and alignment of
// the Olinda raster and census tracts, the scale bar, and bad input files.

#include "tests/comparenear.h"
#include "testdata.h"

#include "core/geo/coordinatetransform.h"
#include "core/geo/crs.h"
#include "ui/map/layerspanel.h"
#include "ui/map/mapcanvas.h"
#include "ui/map/mapview.h"
#include "ui/map/rasterlayer.h"
#include "ui/map/rasterrenderer.h"
#include "ui/map/scalebar.h"
#include "ui/map/vectorlayer.h"

#include <QApplication>
#include <QBuffer>
#include <QFile>
#include <QTreeWidget>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QWheelEvent>

#include <cmath>
#include <numbers>
#include <memory>

using netspatial::core::Crs;
using netspatial::core::Extent;
using netspatial::core::PointXY;
using netspatial::ui::MapCanvas;
using netspatial::ui::MapLayer;
using netspatial::ui::MapView;
using netspatial::ui::RasterLayer;
using netspatial::ui::ScaleBar;
using netspatial::ui::VectorLayer;

namespace {

// A canvas with a map CRS but no layers: interaction tests need no data files.
std::unique_ptr<MapCanvas> emptyUtmCanvas(QSize size = {800, 600}) {
  auto canvas = std::make_unique<MapCanvas>();
  canvas->resize(size);
  const auto crs = Crs::fromEpsg(32725);
  if (!crs.ok() || !canvas->setMapCrs(*crs).ok()) return nullptr;
  canvas->setView({293750.0, 9115745.0}, 10.0);
  return canvas;
}

void sendMouse(QWidget* w, QEvent::Type type, QPointF pos, Qt::MouseButton button, Qt::MouseButtons buttons) {
  QMouseEvent event(type, pos, w->mapToGlobal(pos), button, buttons, Qt::NoModifier);
  QApplication::sendEvent(w, &event);
}

void sendWheel(QWidget* w, QPointF pos, int angleDelta) {
  QWheelEvent event(pos, w->mapToGlobal(pos), QPoint(), QPoint(0, angleDelta), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
  QApplication::sendEvent(w, &event);
}

double distance(PointXY a, PointXY b) { return std::hypot(a.x - b.x, a.y - b.y); }

bool isBackground(QRgb pixel, const QColor& background) {
  return qAbs(qRed(pixel) - background.red()) <= 2 && qAbs(qGreen(pixel) - background.green()) <= 2 &&
         qAbs(qBlue(pixel) - background.blue()) <= 2;
}

// Open water in Landsat true colour (bands 3,2,1 stretched): clearly more blue/green than red.
bool isWater(QRgb p) { return qBlue(p) > qRed(p) + 40 && qGreen(p) > qRed(p) + 30; }

}  // namespace

class TestMapCanvas : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void mapViewRoundTrip_data();
  void mapViewRoundTrip();
  void wheelZoomKeepsPointUnderCursor_data();
  void wheelZoomKeepsPointUnderCursor();
  void dragPansByPixelsTimesResolution_data();
  void dragPansByPixelsTimesResolution();
  void cursorSignalCarriesMapCoordinate();
  void clickAndRectangleTool();
  void scaleBarNiceLength_data();
  void scaleBarNiceLength();
  void scaleBarLayout_data();
  void scaleBarLayout();
  void scaleBarUsesGroundScale_data();
  void scaleBarUsesGroundScale();
  void stretchPercentiles();
  void vectorLayerDrawsAndCulls();
  void olindaMapCrsIsUtm25South();
  void olindaRasterAndTractsRenderAligned();
  void olindaAsyncRenderMatchesSynchronous();
  void olindaHiddenLayerIsNotDrawn();
  void rastersStayBelowVectors();
  void doubleClickZoomsToFullExtent();
  void layersPanelMirrorsCanvas();
  void layersPanelChangesAreUndoable();
  void badFilesGiveClearErrors_data();
  void badFilesGiveClearErrors();
};

// --- view arithmetic ---------------------------------------------------------------------------

void TestMapCanvas::mapViewRoundTrip_data() {
  QTest::addColumn<double>("cx");
  QTest::addColumn<double>("cy");
  QTest::addColumn<double>("resolution");
  QTest::addColumn<QPointF>("pixel");
  QTest::newRow("utm, centre") << 293750.0 << 9115745.0 << 28.5 << QPointF(400, 300);
  QTest::newRow("utm, corner") << 293750.0 << 9115745.0 << 0.25 << QPointF(0, 0);
  QTest::newRow("mercator, far corner") << -3.8e6 << -8.9e5 << 1200.0 << QPointF(799.5, 599.5);
  QTest::newRow("degrees") << -34.87 << -7.99 << 1e-5 << QPointF(13.25, 577.75);
}

void TestMapCanvas::mapViewRoundTrip() {
  QFETCH(double, cx);
  QFETCH(double, cy);
  QFETCH(double, resolution);
  QFETCH(QPointF, pixel);
  const MapView view({cx, cy}, resolution, QSizeF(800, 600));
  // The centre pixel is the centre coordinate; y grows north on the map and down on screen.
  const PointXY centre = view.toMap(QPointF(400, 300));
  QCOMPARE(centre.x, cx);
  QCOMPARE(centre.y, cy);
  const PointXY below = view.toMap(QPointF(400, 310));
  QVERIFY(below.y < cy);
  const QPointF back = view.toPixel(view.toMap(pixel));
  NETSPATIAL_COMPARE_NEAR(back.x(), pixel.x(), 1e-6);
  NETSPATIAL_COMPARE_NEAR(back.y(), pixel.y(), 1e-6);
  const Extent visible = view.visibleExtent();
  NETSPATIAL_COMPARE_NEAR(visible.width(), 800 * resolution, 1e-9 * std::max(1.0, std::abs(cx)));
  NETSPATIAL_COMPARE_NEAR(visible.height(), 600 * resolution, 1e-9 * std::max(1.0, std::abs(cy)));
}

void TestMapCanvas::wheelZoomKeepsPointUnderCursor_data() {
  QTest::addColumn<QPointF>("cursor");
  QTest::addColumn<int>("angleDelta");
  QTest::newRow("zoom in at top-left") << QPointF(37, 41) << 120;
  QTest::newRow("zoom in at centre") << QPointF(400, 300) << 120;
  QTest::newRow("zoom out at bottom-right") << QPointF(777, 590) << -120;
  QTest::newRow("three notches in, off-centre") << QPointF(612.5, 123.25) << 360;
  QTest::newRow("half notch out (touchpad)") << QPointF(150, 480) << -60;
}

void TestMapCanvas::wheelZoomKeepsPointUnderCursor() {
  QFETCH(QPointF, cursor);
  QFETCH(int, angleDelta);
  auto canvas = emptyUtmCanvas();
  QVERIFY(canvas);
  canvas->show();
  QVERIFY(QTest::qWaitForWindowExposed(canvas.get()));
  const PointXY before = canvas->toMap(cursor);
  const double resolutionBefore = canvas->resolution();
  QSignalSpy viewChanged(canvas.get(), &MapCanvas::viewChanged);

  sendWheel(canvas.get(), cursor, angleDelta);

  QCOMPARE(viewChanged.count(), 1);
  const double expectedFactor = std::pow(1.25, -angleDelta / 120.0);
  QVERIFY2(qAbs(canvas->resolution() / resolutionBefore - expectedFactor) < 1e-12,
           qPrintable(QStringLiteral("resolution %1 -> %2").arg(resolutionBefore).arg(canvas->resolution())));
  const PointXY after = canvas->toMap(cursor);
  // Fixed to a millionth of a pixel.
  QVERIFY2(distance(before, after) < 1e-6 * canvas->resolution(), qPrintable(QStringLiteral("moved by %1 m").arg(distance(before, after))));
}

void TestMapCanvas::dragPansByPixelsTimesResolution_data() {
  QTest::addColumn<QPointF>("delta");
  QTest::newRow("right and down") << QPointF(50, 30);
  QTest::newRow("left") << QPointF(-123, 0);
  QTest::newRow("up") << QPointF(0, -77);
  QTest::newRow("diagonal long") << QPointF(-300, 250);
}

void TestMapCanvas::dragPansByPixelsTimesResolution() {
  QFETCH(QPointF, delta);
  auto canvas = emptyUtmCanvas();
  QVERIFY(canvas);
  canvas->show();
  QVERIFY(QTest::qWaitForWindowExposed(canvas.get()));
  const double resolution = canvas->resolution();
  const PointXY start = canvas->centre();
  const QPointF press(400, 300);
  QSignalSpy cursor(canvas.get(), &MapCanvas::cursorMoved);

  sendMouse(canvas.get(), QEvent::MouseButtonPress, press, Qt::LeftButton, Qt::LeftButton);
  const PointXY grabbed = canvas->toMap(press);
  for (int step = 1; step <= 4; ++step)
    sendMouse(canvas.get(), QEvent::MouseMove, press + delta * (step / 4.0), Qt::NoButton, Qt::LeftButton);
  // While dragging, rasters are only translated: no new render is requested until release.
  QVERIFY(!canvas->isRenderPending());
  sendMouse(canvas.get(), QEvent::MouseButtonRelease, press + delta, Qt::LeftButton, Qt::NoButton);

  // Content follows the mouse: the centre moves the other way, by pixels × resolution exactly.
  NETSPATIAL_COMPARE_NEAR(canvas->centre().x, (start.x - delta.x() * resolution), 1e-6);
  NETSPATIAL_COMPARE_NEAR(canvas->centre().y, (start.y + delta.y() * resolution), 1e-6);
  QCOMPARE(canvas->resolution(), resolution);
  // The grabbed map point stayed under the cursor for the whole drag.
  QCOMPARE(cursor.count(), 4);
  for (const auto& args : cursor) QVERIFY(distance(args.at(0).value<PointXY>(), grabbed) < 1e-6);
}

void TestMapCanvas::cursorSignalCarriesMapCoordinate() {
  auto canvas = emptyUtmCanvas();
  QVERIFY(canvas);
  canvas->show();
  QVERIFY(QTest::qWaitForWindowExposed(canvas.get()));
  QSignalSpy cursor(canvas.get(), &MapCanvas::cursorMoved);
  sendMouse(canvas.get(), QEvent::MouseMove, QPointF(500, 100), Qt::NoButton, Qt::NoButton);
  QCOMPARE(cursor.count(), 1);
  const PointXY p = cursor.first().at(0).value<PointXY>();
  // 100 px right of and 200 px above the centre at 10 m/px.
  NETSPATIAL_COMPARE_NEAR(p.x, (293750.0 + 1000.0), 1e-6);
  NETSPATIAL_COMPARE_NEAR(p.y, (9115745.0 + 2000.0), 1e-6);
  auto lonLat = canvas->toLonLat(p);
  QVERIFY2(lonLat.ok(), qPrintable(lonLat.ok() ? QString() : lonLat.error().toString()));
  QVERIFY(lonLat->x > -35.0 && lonLat->x < -34.7);
  QVERIFY(lonLat->y > -8.1 && lonLat->y < -7.9);
}

// A click (no drag) reports its map point; a drag pans and is no click; the rectangle tool draws
// an extent instead of panning, once.
void TestMapCanvas::clickAndRectangleTool() {
  auto canvas = emptyUtmCanvas();
  QVERIFY(canvas);
  canvas->show();
  QVERIFY(QTest::qWaitForWindowExposed(canvas.get()));
  QSignalSpy clicked(canvas.get(), &MapCanvas::clicked);
  QSignalSpy drawn(canvas.get(), &MapCanvas::rectangleDrawn);
  sendMouse(canvas.get(), QEvent::MouseButtonPress, QPointF(500, 100), Qt::LeftButton, Qt::LeftButton);
  sendMouse(canvas.get(), QEvent::MouseButtonRelease, QPointF(501, 101), Qt::LeftButton, Qt::NoButton);
  QCOMPARE(clicked.count(), 1);
  const PointXY p = clicked.first().at(0).value<PointXY>();
  QVERIFY(qAbs(p.x - (293750.0 + 1010.0)) < 1e-6 && qAbs(p.y - (9115745.0 + 1990.0)) < 1e-6);
  QCOMPARE(canvas->centre(), PointXY(293750.0, 9115745.0));  // a click does not pan
  sendMouse(canvas.get(), QEvent::MouseButtonPress, QPointF(500, 100), Qt::LeftButton, Qt::LeftButton);
  sendMouse(canvas.get(), QEvent::MouseMove, QPointF(540, 100), Qt::NoButton, Qt::LeftButton);
  sendMouse(canvas.get(), QEvent::MouseButtonRelease, QPointF(540, 100), Qt::LeftButton, Qt::NoButton);
  QCOMPARE(clicked.count(), 1);  // a drag is no click
  canvas->setCentre({293750.0, 9115745.0});

  canvas->startRectangleTool();
  QVERIFY(canvas->isRectangleToolActive());
  sendMouse(canvas.get(), QEvent::MouseButtonPress, QPointF(100, 100), Qt::LeftButton, Qt::LeftButton);
  sendMouse(canvas.get(), QEvent::MouseMove, QPointF(200, 150), Qt::NoButton, Qt::LeftButton);
  sendMouse(canvas.get(), QEvent::MouseButtonRelease, QPointF(300, 200), Qt::LeftButton, Qt::NoButton);
  QCOMPARE(drawn.count(), 1);
  QCOMPARE(clicked.count(), 1);
  QVERIFY(!canvas->isRectangleToolActive());
  QCOMPARE(canvas->centre(), PointXY(293750.0, 9115745.0));  // drawing does not pan
  const Extent e = drawn.first().at(0).value<Extent>();
  const PointXY c = canvas->centre();
  const double w = canvas->width(), h = canvas->height();
  QVERIFY(qAbs(e.xMin - (c.x + (100 - w / 2) * 10.0)) < 1e-6 && qAbs(e.xMax - (c.x + (300 - w / 2) * 10.0)) < 1e-6);
  QVERIFY(qAbs(e.yMax - (c.y + (h / 2 - 100) * 10.0)) < 1e-6 && qAbs(e.yMin - (c.y + (h / 2 - 200) * 10.0)) < 1e-6);
  // Esc leaves the tool without drawing.
  canvas->startRectangleTool();
  QTest::keyClick(canvas.get(), Qt::Key_Escape);
  QVERIFY(!canvas->isRectangleToolActive());
}

// --- scale bar -----------------------------------------------------------------------------------

void TestMapCanvas::scaleBarNiceLength_data() {
  QTest::addColumn<double>("maxLength");
  QTest::addColumn<double>("expected");
  QTest::newRow("exact 1000") << 1000.0 << 1000.0;
  QTest::newRow("just below 1000") << 999.999 << 500.0;
  QTest::newRow("4275 -> 2000") << 4275.0 << 2000.0;
  QTest::newRow("1999 -> 1000") << 1999.0 << 1000.0;
  QTest::newRow("5000.1 -> 5000") << 5000.1 << 5000.0;
  QTest::newRow("9.99 -> 5") << 9.99 << 5.0;
  QTest::newRow("0.37 -> 0.2") << 0.37 << 0.2;
  QTest::newRow("123456 -> 100000") << 123456.0 << 100000.0;
  QTest::newRow("zero") << 0.0 << 0.0;
  QTest::newRow("negative") << -5.0 << 0.0;
}

void TestMapCanvas::scaleBarNiceLength() {
  QFETCH(double, maxLength);
  QFETCH(double, expected);
  const double nice = ScaleBar::niceLength(maxLength);
  QVERIFY2(qAbs(nice - expected) <= 1e-9 * std::max(1.0, expected),
           qPrintable(QStringLiteral("niceLength(%1) = %2").arg(maxLength).arg(nice)));
  QVERIFY(nice <= std::max(0.0, maxLength) * (1 + 1e-12));
}

void TestMapCanvas::scaleBarLayout_data() {
  QTest::addColumn<double>("metresPerPixel");
  QTest::addColumn<double>("maxWidth");
  QTest::addColumn<double>("expectedLength");
  QTest::addColumn<QString>("expectedLabel");
  QTest::newRow("1 m/px") << 1.0 << 120.0 << 100.0 << QStringLiteral("100 m");
  QTest::newRow("Landsat 28.5 m/px") << 28.5 << 120.0 << 2000.0 << QStringLiteral("2 km");
  QTest::newRow("10 cm/px") << 0.1 << 120.0 << 10.0 << QStringLiteral("10 m");
  QTest::newRow("3.7 m/px") << 3.7 << 100.0 << 200.0 << QStringLiteral("200 m");
  QTest::newRow("1 km/px") << 1000.0 << 160.0 << 100000.0 << QStringLiteral("100 km");
  QTest::newRow("13 mm/px") << 0.013 << 100.0 << 1.0 << QStringLiteral("1 m");
  QTest::newRow("2 mm/px") << 0.002 << 160.0 << 0.2 << QStringLiteral("20 cm");
  QTest::newRow("continental") << 50000.0 << 160.0 << 5e6 << QStringLiteral("5000 km");
}

void TestMapCanvas::scaleBarLayout() {
  QFETCH(double, metresPerPixel);
  QFETCH(double, maxWidth);
  QFETCH(double, expectedLength);
  QFETCH(QString, expectedLabel);
  const ScaleBar::Layout layout = ScaleBar::layout(metresPerPixel, maxWidth);
  QVERIFY(layout.isValid());
  QVERIFY(qAbs(layout.lengthMetres - expectedLength) <= 1e-9 * expectedLength);
  QCOMPARE(layout.label, expectedLabel);
  QVERIFY(layout.widthPixels <= maxWidth + 1e-9);
  // A nice length is at least a fifth of the room (steps are ×2, ×2.5, ×2).
  QVERIFY(layout.widthPixels > maxWidth / 2.5 - 1e-9);
  NETSPATIAL_COMPARE_NEAR(layout.widthPixels * metresPerPixel, layout.lengthMetres, 1e-9 * layout.lengthMetres);
}

void TestMapCanvas::scaleBarUsesGroundScale_data() {
  QTest::addColumn<int>("epsg");
  QTest::addColumn<double>("lon");
  QTest::addColumn<double>("lat");
  QTest::addColumn<double>("expectedGroundPerMapUnit");
  QTest::addColumn<double>("tolerance");
  // UTM point scale factor k ≈ 0.9996 (1 + x²/2R²): 0.9996 on the central meridian, and about
  // 1.000124 at Olinda, 206 km west of the meridian of zone 25 (33° W).
  QTest::newRow("UTM 25S central meridian") << 32725 << -33.0 << -8.0 << 1.0 / 0.9996 << 2e-5;
  QTest::newRow("UTM 25S Olinda") << 32725 << -34.87 << -7.995 << 1.0 / 1.000124 << 2e-5;
  // Web Mercator stretches by 1/cos φ.
  QTest::newRow("Web Mercator 60N") << 3857 << 10.0 << 60.0 << std::cos(std::numbers::pi / 3.0) << 5e-3;
  QTest::newRow("Web Mercator equator") << 3857 << 10.0 << 0.0 << 1.0 << 5e-3;
}

void TestMapCanvas::scaleBarUsesGroundScale() {
  QFETCH(int, epsg);
  QFETCH(double, lon);
  QFETCH(double, lat);
  QFETCH(double, expectedGroundPerMapUnit);
  QFETCH(double, tolerance);
  const auto crs = Crs::fromEpsg(epsg);
  QVERIFY(crs.ok());
  const auto toMap = netspatial::core::CoordinateTransform::create(Crs::wgs84(), *crs);
  const auto toLonLat = netspatial::core::CoordinateTransform::create(*crs, Crs::wgs84());
  QVERIFY(toMap.ok() && toLonLat.ok());
  const auto centre = toMap->transform({lon, lat});
  QVERIFY(centre.ok());
  const double resolution = 5.0;
  const MapView view(*centre, resolution, QSizeF(800, 600));
  const auto ground = ScaleBar::groundMetresPerPixel(view, *toLonLat, QPointF(400, 300));
  QVERIFY(ground.has_value());
  const double ratio = *ground / resolution;
  QVERIFY2(qAbs(ratio - expectedGroundPerMapUnit) < tolerance,
           qPrintable(QStringLiteral("ground/map = %1, expected %2").arg(ratio, 0, 'f', 7).arg(expectedGroundPerMapUnit)));
}

void TestMapCanvas::stretchPercentiles() {
  // Band 1: 0..99 with one NaN; band 2 constant. 2–98 % of 100 values → ranks 2 and 97.
  netspatial::core::RasterWindow window;
  window.width = 101;
  window.height = 1;
  window.bands = {1, 2};
  for (int i = 0; i < 100; ++i) window.data.push_back(float((i * 37) % 100));
  window.data.push_back(std::nanf(""));
  for (int i = 0; i < 101; ++i) window.data.push_back(7.0f);
  const auto stretch = netspatial::ui::RasterRenderer::computeStretch(window);
  QCOMPARE(int(stretch.size()), 2);
  QCOMPARE(stretch[0].low, 2.0);
  QCOMPARE(stretch[0].high, 97.0);
  QVERIFY(stretch[1].high > stretch[1].low);  // no division by zero for a constant band

  window.bands = {1};
  window.data.resize(101);
  const QImage image = netspatial::ui::RasterRenderer::toImage(window, stretch);
  QCOMPARE(image.size(), QSize(101, 1));
  QCOMPARE(qAlpha(image.pixel(100, 0)), 0);  // NaN is transparent
  int darkest = 255;
  int brightest = 0;
  for (int x = 0; x < 100; ++x) {
    darkest = std::min(darkest, qGray(image.pixel(x, 0)));
    brightest = std::max(brightest, qGray(image.pixel(x, 0)));
  }
  QCOMPARE(darkest, 0);
  QCOMPARE(brightest, 255);
}

void TestMapCanvas::vectorLayerDrawsAndCulls() {
  using netspatial::core::Feature;
  using netspatial::core::Geometry;
  using netspatial::core::GeometryType;
  netspatial::core::VectorLayer source;
  source.name = QStringLiteral("shapes");
  source.file = QStringLiteral("memory");
  source.crs = Crs::fromEpsg(32725).value();
  const double x0 = 290000.0;
  const double y0 = 9115000.0;
  // A 1 km square, a 1 km line 2 km east of it, a point 4 km east, and a far-away point.
  Feature square{
      1, {}, Geometry{GeometryType::Polygon, {{{{x0, y0}, {x0 + 1000, y0}, {x0 + 1000, y0 + 1000}, {x0, y0 + 1000}, {x0, y0}}}}}};
  Feature line{2, {}, Geometry{GeometryType::LineString, {{{{x0 + 2000, y0}, {x0 + 2000, y0 + 1000}}}}}};
  Feature point{3, {}, Geometry::point({x0 + 4000, y0 + 500})};
  Feature far{4, {}, Geometry::point({x0 + 50000, y0 + 50000})};
  source.features = {square, line, point, far};
  auto layer = VectorLayer::fromLayer(source);
  QVERIFY(layer.ok());
  QCOMPARE(layer.value()->sourceExtent().xMax, x0 + 50000);

  MapCanvas canvas;
  canvas.resize(600, 200);
  VectorLayer* shapes = layer.value().get();
  QVERIFY(canvas.addLayer(std::move(layer).value()).ok());
  QCOMPARE(canvas.mapCrs().authId(), QStringLiteral("EPSG:32725"));  // already UTM 25S: kept
  canvas.setView({x0 + 2500, y0 + 500}, 10.0);                       // 6 km × 2 km: the far point is out of view

  const QColor background = canvas.backgroundColor();
  const QImage image = canvas.renderToImage(canvas.size(), 1.0, false);
  auto at = [&](double x, double y) { return image.pixel(canvas.toPixel({x, y}).toPoint()); };
  const QRgb inside = at(x0 + 500, y0 + 500);
  QVERIFY(!isBackground(inside, background));                     // filled…
  NETSPATIAL_COMPARE_NEAR(qBlue(inside), background.blue(), 60);  // …but translucent
  QVERIFY(!isBackground(at(x0 + 2000, y0 + 500), background));    // the line
  QVERIFY(isBackground(at(x0 + 2050, y0 + 500), background));     // 5 px beside it: nothing
  const QRgb dot = at(x0 + 4000, y0 + 500);
  QCOMPARE(QColor(dot), shapes->color());  // the point symbol, opaque
  QVERIFY(isBackground(at(x0 + 3000, y0 + 500), background));

  // Culling: only the three features in view are painted.
  QImage scratch(600, 200, QImage::Format_ARGB32_Premultiplied);
  QPainter painter(&scratch);
  QCOMPARE(shapes->paintFeatures(painter, canvas.view()), 3);
  canvas.setView({x0 + 50000, y0 + 50000}, 10.0);
  QCOMPARE(shapes->paintFeatures(painter, canvas.view()), 1);
}

// --- Olinda --------------------------------------------------------------------------------------

void TestMapCanvas::olindaMapCrsIsUtm25South() {
  NETSPATIAL_SHARED_FILE(raster, "olinda/L7_ETMs.tif");
  NETSPATIAL_SHARED_FILE(tracts, "olinda/olinda1.shp");
  for (const QString& first : {raster, tracts}) {
    MapCanvas canvas;
    QSignalSpy crsChanged(&canvas, &MapCanvas::mapCrsChanged);
    const auto status = canvas.loadLayer(first);
    QVERIFY2(status.ok(), qPrintable(status.ok() ? QString() : status.error().toString()));
    QCOMPARE(crsChanged.count(), 1);
    // The raster is SIRGAS 2000 / UTM 25S and the tracts are lon/lat: either way the map is
    // WGS 84 / UTM zone 25S, chosen from the data's centre.
    QCOMPARE(canvas.mapCrs().authId(), QStringLiteral("EPSG:32725"));
    QVERIFY2(canvas.mapCrs().label().contains(QStringLiteral("UTM zone 25S")), qPrintable(canvas.mapCrs().label()));
    QVERIFY(!canvas.mapCrs().isGeographic());
  }
}

void TestMapCanvas::olindaRasterAndTractsRenderAligned() {
  NETSPATIAL_SHARED_FILE(rasterPath, "olinda/L7_ETMs.tif");
  NETSPATIAL_SHARED_FILE(tractsPath, "olinda/olinda1.shp");
  MapCanvas canvas;
  canvas.resize(800, 600);
  for (const QString& path : {rasterPath, tractsPath}) {
    const auto status = canvas.loadLayer(path);
    QVERIFY2(status.ok(), qPrintable(status.ok() ? QString() : status.error().toString()));
  }
  QCOMPARE(canvas.layerCount(), 2);
  auto* raster = dynamic_cast<RasterLayer*>(canvas.layer(0));
  auto* tracts = dynamic_cast<VectorLayer*>(canvas.layer(1));
  QVERIFY(raster && tracts);
  QCOMPARE(raster->bands(), (std::vector<int>{3, 2, 1}));
  QCOMPARE(int(tracts->source().features.size()), 470);
  QCOMPARE(tracts->skippedFeatureCount(), 0);
  canvas.zoomToFullExtent();

  // The raster in the map CRS: ~9.9 × 10.0 km (349 × 352 px of 28.5 m), reprojected from
  // SIRGAS 2000 / UTM 25S into WGS 84 / UTM 25S, i.e. nearly the same numbers.
  const Extent rasterExtent = raster->mapExtent();
  NETSPATIAL_COMPARE_NEAR(rasterExtent.width(), 349 * 28.5, 50.0);
  NETSPATIAL_COMPARE_NEAR(rasterExtent.height(), 352 * 28.5, 50.0);
  NETSPATIAL_COMPARE_NEAR(rasterExtent.xMin, 288776.25, 20.0);
  NETSPATIAL_COMPARE_NEAR(rasterExtent.yMax, 9120760.75, 20.0);

  // The tracts lie on the raster. Their bounds are inside it up to what the census data itself
  // has outside the image: one tract's tip ~60 m beyond the west edge and a road-like tail ~400 m
  // south of the south edge (the shapefile's own extent reaches 8.0445° S, the image 8.0409° S).
  const Extent tractExtent = tracts->mapExtent();
  const Extent grown =
      Extent::fromCorners(rasterExtent.xMin - 500.0, rasterExtent.yMin - 500.0, rasterExtent.xMax + 500.0, rasterExtent.yMax + 500.0);
  QVERIFY(grown.contains(tractExtent));
  const Extent overlap = tractExtent.intersected(rasterExtent);
  QVERIFY(overlap.width() * overlap.height() > 0.95 * tractExtent.width() * tractExtent.height());
  int centroidsInside = 0;
  for (const auto& g : tracts->mapGeometries()) centroidsInside += rasterExtent.contains(g.centroid()) ? 1 : 0;
  QCOMPARE(centroidsInside, 470);

  const QColor background = canvas.backgroundColor();
  const QImage image = canvas.renderToImage(canvas.size(), 1.0, false);
  QCOMPARE(image.size(), QSize(800, 600));
  // Raster pixels where the raster is, background outside it.
  const QRectF rasterRect = canvas.view().toPixelRect(rasterExtent);
  QVERIFY(!isBackground(image.pixel(rasterRect.center().toPoint()), background));
  int rasterPixels = 0;
  int samples = 0;
  for (int y = int(rasterRect.top()) + 2; y < int(rasterRect.bottom()) - 2; y += 7)
    for (int x = int(rasterRect.left()) + 2; x < int(rasterRect.right()) - 2; x += 7) {
      ++samples;
      rasterPixels += isBackground(image.pixel(x, y), background) ? 0 : 1;
    }
  QVERIFY2(rasterPixels > samples * 0.99, qPrintable(QStringLiteral("%1 of %2").arg(rasterPixels).arg(samples)));
  QVERIFY(rasterRect.left() > 5.0 || rasterRect.right() < 795.0);  // full extent leaves a margin on one axis
  const QPoint outside = rasterRect.left() > 5.0 ? QPoint(2, 300) : QPoint(798, 300);
  QVERIFY(isBackground(image.pixel(outside), background));

  // Alignment on the pixels: Olinda is a coastal town, so the tracts must cover land, and the
  // sea east of them must be water in the image. Rasterise the tracts into a mask and count the
  // water pixels under it; a datum or axis error of a few hundred metres would put tracts into the
  // sea (compare the shifted mask below).
  const QImage rasterOnly = [&] {
    tracts->setVisible(false);
    QImage img = canvas.renderToImage(canvas.size(), 1.0, false);
    tracts->setVisible(true);
    return img;
  }();
  auto waterFraction = [&](double shiftMetres) {
    QImage mask(canvas.size(), QImage::Format_Grayscale8);
    mask.fill(0);
    {
      QPainter p(&mask);
      p.setPen(Qt::NoPen);
      p.setBrush(Qt::white);
      MapView view = canvas.view();
      view.setCentre({view.centre().x - shiftMetres, view.centre().y});
      for (const auto& g : tracts->mapGeometries()) {
        QPainterPath path;
        path.setFillRule(Qt::OddEvenFill);
        for (const auto& part : g.parts)
          for (const auto& ring : part) {
            QPolygonF polygon;
            for (const auto& pt : ring) polygon << view.toPixel(pt);
            path.addPolygon(polygon);
          }
        p.drawPath(path);
      }
    }
    int covered = 0;
    int water = 0;
    for (int y = 0; y < mask.height(); ++y)
      for (int x = 0; x < mask.width(); ++x) {
        if (qGray(mask.pixel(x, y)) < 128 || isBackground(rasterOnly.pixel(x, y), background)) continue;
        ++covered;
        water += isWater(rasterOnly.pixel(x, y)) ? 1 : 0;
      }
    return covered > 0 ? double(water) / covered : 1.0;
  };
  const double aligned = waterFraction(0.0);
  const double shiftedEast = waterFraction(600.0);
  qInfo("water under the tracts: %.2f %% aligned, %.2f %% shifted 600 m east", aligned * 100, shiftedEast * 100);
  QVERIFY2(aligned < 0.02, qPrintable(QStringLiteral("%1 % of the tracts lie on water").arg(aligned * 100)));
  QVERIFY(shiftedEast > aligned * 3 + 0.02);

  // The overlay itself is drawn: the image with tracts differs from the raster alone inside
  // their extent, and in the tract colour's direction (yellow: more red+green than blue).
  int changed = 0;
  const QRectF tractRect = canvas.view().toPixelRect(tractExtent).intersected(QRectF(0, 0, 800, 600));
  for (int y = int(tractRect.top()); y < int(tractRect.bottom()); ++y)
    for (int x = int(tractRect.left()); x < int(tractRect.right()); ++x) changed += image.pixel(x, y) != rasterOnly.pixel(x, y) ? 1 : 0;
  QVERIFY2(changed > tractRect.width() * tractRect.height() * 0.2, qPrintable(QString::number(changed)));
}

void TestMapCanvas::olindaAsyncRenderMatchesSynchronous() {
  NETSPATIAL_SHARED_FILE(rasterPath, "olinda/L7_ETMs.tif");
  MapCanvas canvas;
  canvas.resize(640, 480);
  canvas.setRenderDelay(10);
  QVERIFY(canvas.loadLayer(rasterPath).ok());
  QSignalSpy finished(&canvas, &MapCanvas::renderFinished);
  canvas.show();
  QVERIFY(QTest::qWaitForWindowExposed(&canvas));
  QTRY_VERIFY_WITH_TIMEOUT(!canvas.isRenderPending() && finished.count() > 0, 10000);
  const QImage live = canvas.grab().toImage().convertToFormat(QImage::Format_ARGB32_Premultiplied);
  const QImage sync = canvas.renderToImage(canvas.size(), canvas.devicePixelRatioF());
  QCOMPARE(live.size(), sync.size());
  // The worker-thread image is the same read as the synchronous one: identical pixels.
  int different = 0;
  for (int y = 0; y < live.height(); ++y)
    for (int x = 0; x < live.width(); ++x) different += live.pixel(x, y) != sync.pixel(x, y) ? 1 : 0;
  QCOMPARE(different, 0);

  // Zooming in renders again, once the debounce has passed, at the new resolution.
  finished.clear();
  canvas.zoomAround(QPointF(320, 240), 0.25);
  QVERIFY(canvas.isRenderPending());
  QTRY_VERIFY_WITH_TIMEOUT(!canvas.isRenderPending() && finished.count() > 0, 10000);
  const QImage zoomed = canvas.grab().toImage();
  QVERIFY(!isBackground(zoomed.pixel(320, 240), canvas.backgroundColor()));
  // Zoomed in 4× from the fit, the whole widget is raster.
  QVERIFY(!isBackground(zoomed.pixel(3, 3), canvas.backgroundColor()));
}

void TestMapCanvas::olindaHiddenLayerIsNotDrawn() {
  NETSPATIAL_SHARED_FILE(rasterPath, "olinda/L7_ETMs.tif");
  MapCanvas canvas;
  canvas.resize(400, 300);
  QVERIFY(canvas.loadLayer(rasterPath).ok());
  QSignalSpy layersChanged(&canvas, &MapCanvas::layersChanged);
  const QPoint centre(200, 150);
  QVERIFY(!isBackground(canvas.renderToImage(canvas.size()).pixel(centre), canvas.backgroundColor()));
  canvas.setLayerVisible(0, false);
  QCOMPARE(layersChanged.count(), 1);
  QVERIFY(isBackground(canvas.renderToImage(canvas.size()).pixel(centre), canvas.backgroundColor()));
  canvas.setLayerVisible(0, true);
  QVERIFY(!isBackground(canvas.renderToImage(canvas.size()).pixel(centre), canvas.backgroundColor()));

  // High-DPI: twice the device pixels for the same logical view, and real detail in them (the
  // raster is read at device resolution, not upscaled from the logical size).
  const QImage hiDpi = canvas.renderToImage(canvas.size(), 2.0, false);
  QCOMPARE(hiDpi.size(), canvas.size() * 2);
  QCOMPARE(hiDpi.devicePixelRatio(), 2.0);
  QVERIFY(!isBackground(hiDpi.pixel(centre * 2), canvas.backgroundColor()));
}

void TestMapCanvas::rastersStayBelowVectors() {
  NETSPATIAL_SHARED_FILE(rasterPath, "olinda/L7_ETMs.tif");
  NETSPATIAL_SHARED_FILE(tractsPath, "olinda/olinda1.shp");
  MapCanvas canvas;
  QVERIFY(canvas.loadLayer(tractsPath).ok());
  QVERIFY(canvas.loadLayer(rasterPath).ok());
  QCOMPARE(canvas.layerCount(), 2);
  QCOMPARE(canvas.layer(0)->kind(), MapLayer::Kind::Raster);
  QCOMPARE(canvas.layer(1)->kind(), MapLayer::Kind::Vector);
  canvas.removeLayer(1);
  QCOMPARE(canvas.layerCount(), 1);
  QCOMPARE(canvas.layer(0)->kind(), MapLayer::Kind::Raster);
}

void TestMapCanvas::doubleClickZoomsToFullExtent() {
  NETSPATIAL_SHARED_FILE(rasterPath, "olinda/L7_ETMs.tif");
  MapCanvas canvas;
  canvas.resize(500, 400);
  QVERIFY(canvas.loadLayer(rasterPath).ok());
  canvas.show();
  QVERIFY(QTest::qWaitForWindowExposed(&canvas));
  const Extent full = canvas.fullExtent();
  QVERIFY(canvas.visibleExtent().contains(full));
  canvas.zoomAround(QPointF(10, 10), 0.1);
  canvas.panByPixels(QPointF(200, -100));
  QVERIFY(!canvas.visibleExtent().contains(full));
  sendMouse(&canvas, QEvent::MouseButtonDblClick, QPointF(250, 200), Qt::LeftButton, Qt::LeftButton);
  QVERIFY(canvas.visibleExtent().contains(full));
  // Tight fit: the longer side of the data fills the widget up to the 2 % margins.
  const double fill = std::max(full.width() / canvas.visibleExtent().width(), full.height() / canvas.visibleExtent().height());
  QVERIFY2(fill > 0.95, qPrintable(QString::number(fill)));
  // The scale bar then reads a nice length that fits its 160 px.
  const auto bar = canvas.scaleBar();
  QVERIFY(bar.lengthMetres > 0.0);
  QVERIFY(bar.widthPixels <= 160.0 + 1e-9);
  QCOMPARE(bar.label, ScaleBar::formatLength(bar.lengthMetres));
}

void TestMapCanvas::layersPanelMirrorsCanvas() {
  NETSPATIAL_SHARED_FILE(rasterPath, "olinda/L7_ETMs.tif");
  NETSPATIAL_SHARED_FILE(tractsPath, "olinda/olinda1.shp");
  MapCanvas canvas;
  netspatial::ui::LayersPanel panel(&canvas);
  QCOMPARE(panel.tree()->topLevelItemCount(), 0);
  QVERIFY(canvas.loadLayer(rasterPath).ok());
  QVERIFY(canvas.loadLayer(tractsPath).ok());
  QCOMPARE(panel.tree()->topLevelItemCount(), 2);
  // Top of the list = top of the map.
  QCOMPARE(panel.tree()->topLevelItem(0)->text(0), QStringLiteral("olinda1"));
  QCOMPARE(panel.tree()->topLevelItem(1)->text(0), QStringLiteral("L7_ETMs"));
  QVERIFY(panel.tree()->topLevelItem(1)->toolTip(0).contains(QStringLiteral("L7_ETMs.tif")));
  panel.tree()->topLevelItem(0)->setCheckState(0, Qt::Unchecked);
  QVERIFY(!canvas.layer(1)->isVisible());
  QVERIFY(canvas.layer(0)->isVisible());
  QCoreApplication::processEvents();                                      // the rebuild after a toggle is deferred
  QCOMPARE(panel.tree()->topLevelItem(0)->checkState(0), Qt::Unchecked);  // survives the rebuild
  canvas.removeLayer(0);
  QCOMPARE(panel.tree()->topLevelItemCount(), 1);
  QCOMPARE(panel.tree()->topLevelItem(0)->text(0), QStringLiteral("olinda1"));
}

// Visibility, order and opacity changed in the panel go through the undo stack (issue 6 part 8).
void TestMapCanvas::layersPanelChangesAreUndoable() {
  NETSPATIAL_SHARED_FILE(rasterPath, "olinda/L7_ETMs.tif");
  NETSPATIAL_SHARED_FILE(tractsPath, "olinda/olinda1.shp");
  MapCanvas canvas;
  netspatial::ui::LayersPanel panel(&canvas);
  QUndoStack undo;
  panel.setUndoStack(&undo);
  QVERIFY(canvas.loadLayer(rasterPath).ok());
  QVERIFY(canvas.loadLayer(tractsPath).ok());
  const quint64 tracts = canvas.layer(1)->id();
  panel.tree()->topLevelItem(0)->setCheckState(0, Qt::Unchecked);
  QCoreApplication::processEvents();
  QVERIFY(!canvas.layer(1)->isVisible());
  QCOMPARE(undo.count(), 1);
  undo.undo();
  QVERIFY(canvas.layer(1)->isVisible());
  undo.redo();
  QVERIFY(!canvas.layer(1)->isVisible());
  undo.undo();

  panel.selectLayer(1);
  panel.moveSelectedDown();
  QCOMPARE(canvas.indexOfLayer(tracts), 0);
  undo.undo();
  QCOMPARE(canvas.indexOfLayer(tracts), 1);

  panel.selectLayer(1);
  const int before = undo.index();
  for (int v : {90, 70, 50}) panel.opacitySlider()->setValue(v);  // one drag
  QCOMPARE(canvas.layer(1)->opacity(), 0.5);
  QCOMPARE(undo.index(), before + 1);  // merged into one step
  undo.undo();
  QCOMPARE(canvas.layer(canvas.indexOfLayer(tracts))->opacity(), 1.0);
}

// --- bad input -----------------------------------------------------------------------------------

void TestMapCanvas::badFilesGiveClearErrors_data() {
  QTest::addColumn<QString>("fileName");
  QTest::addColumn<QByteArray>("content");
  QTest::addColumn<bool>("create");
  QTest::addColumn<QString>("expectedPhrase");
  QByteArray png;
  {
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    QImage image(8, 8, QImage::Format_RGB32);
    image.fill(Qt::red);
    image.save(&buffer, "PNG");
  }
  QTest::newRow("nonexistent") << QStringLiteral("missing.tif") << QByteArray() << false << QStringLiteral("no such file");
  QTest::newRow("text file") << QStringLiteral("notes.txt") << QByteArray("hello, this is not a map\n") << true
                             << QStringLiteral("not recognized");
  QTest::newRow("text named .tif") << QStringLiteral("fake.tif") << QByteArray("not a tiff at all\n") << true
                                   << QStringLiteral("not recognized");
  QTest::newRow("empty .shp") << QStringLiteral("empty.shp") << QByteArray() << true << QStringLiteral("empty");
  QTest::newRow("truncated GeoJSON") << QStringLiteral("broken.geojson")
                                     << QByteArray("{\"type\": \"FeatureCollection\", \"features\": [{\"type\": ") << true
                                     << QStringLiteral("GeoJSON");
  QTest::newRow("PNG without georeferencing") << QStringLiteral("photo.png") << png << true
                                              << QStringLiteral("no coordinate reference system");
}

void TestMapCanvas::badFilesGiveClearErrors() {
  QFETCH(QString, fileName);
  QFETCH(QByteArray, content);
  QFETCH(bool, create);
  QFETCH(QString, expectedPhrase);
  QTemporaryDir dir;
  QVERIFY(dir.isValid());
  const QString path = dir.filePath(fileName);
  if (create) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
  }
  MapCanvas canvas;
  QSignalSpy layersChanged(&canvas, &MapCanvas::layersChanged);
  const auto status = canvas.loadLayer(path);
  QVERIFY(!status.ok());
  const QString message = status.error().toString();
  qInfo("%s", qPrintable(message));
  QVERIFY2(message.contains(fileName), qPrintable(message));
  QVERIFY2(message.contains(expectedPhrase, Qt::CaseInsensitive), qPrintable(message));
  QCOMPARE(canvas.layerCount(), 0);
  QCOMPARE(layersChanged.count(), 0);
  QVERIFY(!canvas.mapCrs().isValid());
  // The canvas is still usable.
  QVERIFY(!canvas.renderToImage(QSize(64, 48)).isNull());
}

QTEST_MAIN(TestMapCanvas)
#include "tst_mapcanvas.moc"
