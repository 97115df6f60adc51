#include "tests/comparenear.h"
#include "core/geo/geometry.h"

#include <QTest>

using namespace netspatial::core;

class TestGeometry : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void polygonCentroidAndArea_data() {
    QTest::addColumn<double>("ox");
    QTest::addColumn<double>("oy");
    QTest::addColumn<bool>("clockwise");
    QTest::newRow("origin ccw") << 0.0 << 0.0 << false;
    QTest::newRow("origin cw") << 0.0 << 0.0 << true;
    QTest::newRow("UTM-sized cw") << 500000.0 << 9115702.0 << true;
  }
  void polygonCentroidAndArea() {
    // A 4×2 rectangle with a 1×1 hole at its left end: area 7, centroid x = (8·2 − 1·0.5)/7.
    QFETCH(double, ox);
    QFETCH(double, oy);
    QFETCH(bool, clockwise);
    Geometry::Ring outer{{ox, oy}, {ox + 4, oy}, {ox + 4, oy + 2}, {ox, oy + 2}, {ox, oy}};
    Geometry::Ring hole{{ox, oy}, {ox + 1, oy}, {ox + 1, oy + 1}, {ox, oy + 1}, {ox, oy}};
    if (clockwise) std::reverse(outer.begin(), outer.end());
    Geometry g{GeometryType::Polygon, {{outer, hole}}};
    QCOMPARE(g.area(), 7.0);
    const PointXY c = g.centroid();
    NETSPATIAL_COMPARE_NEAR(c.x, (ox + (8.0 * 2.0 - 0.5) / 7.0), 1e-6);
    NETSPATIAL_COMPARE_NEAR(c.y, (oy + (8.0 * 1.0 - 0.5) / 7.0), 1e-6);
  }

  void extentOperations() {
    Extent e;
    QVERIFY(e.isEmpty());
    e.include(PointXY{1, 2});
    e.include(PointXY{3, -1});
    QCOMPARE(e.width(), 2.0);
    QCOMPARE(e.height(), 3.0);
    QVERIFY(e.contains(PointXY{2, 0}));
    const Extent other{2.5, 1.5, 10, 10};
    QVERIFY(e.intersects(other));
    const Extent i = e.intersected(other);
    QCOMPARE(i.xMin, 2.5);
    QCOMPARE(i.yMax, 2.0);
    QVERIFY(!e.intersects(Extent{5, 5, 6, 6}));
    QVERIFY(e.intersected(Extent{5, 5, 6, 6}).isEmpty());
  }

  void lineAndPointCentroids() {
    Geometry line{GeometryType::LineString, {{{{0, 0}, {2, 0}, {2, 2}}}}};
    QCOMPARE(line.centroid(), (PointXY{1.5, 0.5}));
    QCOMPARE(Geometry::point({3, 4}).centroid(), (PointXY{3, 4}));
    QCOMPARE(Geometry::point({3, 4}).area(), 0.0);
  }
};

QTEST_GUILESS_MAIN(TestGeometry)
#include "tst_geometry.moc"
