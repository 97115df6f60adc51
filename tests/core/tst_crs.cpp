#include "tests/comparenear.h"
#include "core/geo/coordinatetransform.h"
#include "core/geo/crs.h"

#include <QTest>

#include <thread>

using namespace netspatial::core;

class TestCrs : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void knownProjections_data() {
    QTest::addColumn<QString>("target");
    QTest::addColumn<double>("lon");
    QTest::addColumn<double>("lat");
    QTest::addColumn<double>("x");
    QTest::addColumn<double>("y");
    // Spherical Mercator: x = R·λ, y = R·ln tan(π/4 + φ/2), R = 6378137 m.
    QTest::newRow("3857 origin") << "EPSG:3857" << 0.0 << 0.0 << 0.0 << 0.0;
    QTest::newRow("3857 10E 50N") << "EPSG:3857" << 10.0 << 50.0 << 1113194.9079327357 << 6446275.841017158;
    // On a zone's central meridian the easting is the false easting and the northing k0·M(φ).
    QTest::newRow("UTM 32N on CM 45N") << "EPSG:32632" << 9.0 << 45.0 << 500000.0 << 4982950.400;
    QTest::newRow("UTM 32N equator") << "EPSG:32632" << 9.0 << 0.0 << 500000.0 << 0.0;
    QTest::newRow("UTM 25S equator") << "EPSG:32725" << -33.0 << 0.0 << 500000.0 << 10000000.0;
  }
  void knownProjections() {
    QFETCH(QString, target);
    QFETCH(double, lon);
    QFETCH(double, lat);
    QFETCH(double, x);
    QFETCH(double, y);
    auto t = CoordinateTransform::create(Crs::wgs84(), Crs::fromUserInput(target).value());
    QVERIFY2(t.ok(), t.ok() ? "" : qPrintable(t.error().toString()));
    auto p = t->transform(PointXY{lon, lat});
    QVERIFY(p.ok());
    QVERIFY2(std::abs(p->x - x) < 1e-3 && std::abs(p->y - y) < 1e-3,
             qPrintable(QStringLiteral("got %1 %2").arg(p->x, 0, 'f', 4).arg(p->y, 0, 'f', 4)));
  }

  void roundTrips_data() {
    QTest::addColumn<double>("lon");
    QTest::addColumn<double>("lat");
    QTest::newRow("Milan Duomo") << 9.1900 << 45.4642;
    QTest::newRow("Olinda") << -34.8553 << -8.0089;
    QTest::newRow("Hong Kong") << 114.1694 << 22.3193;
    QTest::newRow("Quito") << -78.4678 << -0.1807;
    QTest::newRow("Oslo (zone exception)") << 10.7522 << 59.9139;
  }
  void roundTrips() {
    // 4326 → 3857 → UTM → 4326, and each leg back: the point comes home to within 1 mm.
    QFETCH(double, lon);
    QFETCH(double, lat);
    const Crs utm = Crs::utmForLonLat(lon, lat).value();
    const auto geoToMerc = CoordinateTransform::create(Crs::wgs84(), Crs::webMercator()).value();
    const auto mercToUtm = CoordinateTransform::create(Crs::webMercator(), utm).value();
    const auto utmToGeo = CoordinateTransform::create(utm, Crs::wgs84()).value();
    const auto geoToUtm = CoordinateTransform::create(Crs::wgs84(), utm).value();

    const PointXY start{lon, lat};
    const PointXY merc = geoToMerc.transform(start).value();
    const PointXY u = mercToUtm.transform(merc).value();
    const PointXY back = utmToGeo.transform(u).value();
    const PointXY direct = geoToUtm.transform(start).value();
    // Same ground reached both ways, to 1 mm in UTM metres.
    QVERIFY2(std::hypot(u.x - direct.x, u.y - direct.y) < 1e-3, "4326→3857→UTM differs from 4326→UTM");
    // Back home: 1 mm is ~9e-9 degrees.
    {
      NETSPATIAL_COMPARE_NEAR(back.x, lon, 1e-8);
      NETSPATIAL_COMPARE_NEAR(back.y, lat, 1e-8);
    }
    // Each leg inverts exactly.
    const PointXY mercBack = mercToUtm.inverse(u).value();
    QVERIFY(std::hypot(mercBack.x - merc.x, mercBack.y - merc.y) < 1e-3);
    const PointXY geoBack = geoToMerc.inverse(merc).value();
    {
      NETSPATIAL_COMPARE_NEAR(geoBack.x, lon, 1e-9);
      NETSPATIAL_COMPARE_NEAR(geoBack.y, lat, 1e-9);
    }
  }

  void axisOrderIsLonLat() {
    // EPSG:4326 is lat/lon by authority; our coordinates stay lon/lat on both sides.
    const Crs urn = Crs::fromUserInput(QStringLiteral("urn:ogc:def:crs:EPSG::4326")).value();
    const auto t = CoordinateTransform::create(urn, Crs::fromEpsg(32632).value()).value();
    const PointXY p = t.transform(PointXY{9.0, 45.0}).value();
    NETSPATIAL_COMPARE_NEAR(p.x, 500000.0, 1e-3);
    QVERIFY(Crs::wgs84().isGeographic());
    QVERIFY(!Crs::webMercator().isGeographic());
    QVERIFY(urn.isEquivalentTo(Crs::wgs84()));
  }

  void utmZones_data() {
    QTest::addColumn<double>("lon");
    QTest::addColumn<double>("lat");
    QTest::addColumn<QString>("authId");
    QTest::newRow("Milan") << 9.19 << 45.46 << "EPSG:32632";
    QTest::newRow("Olinda") << -34.86 << -8.01 << "EPSG:32725";
    QTest::newRow("antimeridian west") << -180.0 << 10.0 << "EPSG:32601";
    QTest::newRow("antimeridian east") << 179.99 << -10.0 << "EPSG:32760";
    QTest::newRow("Bergen uses 32") << 5.32 << 60.39 << "EPSG:32632";
    QTest::newRow("Svalbard 33") << 15.6 << 78.2 << "EPSG:32633";
    QTest::newRow("Svalbard 31") << 8.9 << 79.0 << "EPSG:32631";
  }
  void utmZones() {
    QFETCH(double, lon);
    QFETCH(double, lat);
    QFETCH(QString, authId);
    auto crs = Crs::utmForLonLat(lon, lat);
    QVERIFY(crs.ok());
    QCOMPARE(crs->authId(), authId);
    QCOMPARE(crs->axisUnit(), QStringLiteral("metre"));
    QVERIFY(crs->label().contains(QStringLiteral("UTM zone")));
  }

  void noUtmNearPoles() {
    QVERIFY(!Crs::utmForLonLat(0.0, 85.0).ok());
    QVERIFY(!Crs::utmForLonLat(qQNaN(), 0.0).ok());
  }

  void unknownCodeIsAClearError() {
    auto crs = Crs::fromUserInput(QStringLiteral("EPSG:999999"));
    QVERIFY(!crs.ok());
    QCOMPARE(crs.error().code(), ErrorCode::UnknownCrs);
    QVERIFY(crs.error().message().contains(QStringLiteral("EPSG:999999")));
    QVERIFY(!Crs::fromUserInput(QString()).ok());
    // A projection without +type=crs is a coordinate operation, not a CRS.
    QCOMPARE(Crs::fromUserInput(QStringLiteral("+proj=tmerc +lat_0=0")).error().code(), ErrorCode::UnknownCrs);
    QVERIFY(Crs::fromUserInput(QStringLiteral("+proj=tmerc +lat_0=0 +lon_0=9 +k=0.9996 +x_0=500000 +datum=WGS84 +units=m +type=crs")).ok());
  }

  void wktIdentifiesAuthority() {
    const Crs utm = Crs::fromEpsg(31985).value();
    const Crs fromWkt = Crs::fromUserInput(utm.wkt()).value();
    QCOMPARE(fromWkt.authId(), QStringLiteral("EPSG:31985"));
    QVERIFY(fromWkt.isEquivalentTo(utm));
  }

  void transformsWorkOnManyThreads() {
    // Each thread gets its own PROJ context; results are identical.
    const auto t = CoordinateTransform::create(Crs::wgs84(), Crs::fromEpsg(32632).value()).value();
    std::vector<PointXY> results(4);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) threads.emplace_back([&, i] { results[std::size_t(i)] = t.transform(PointXY{9.0, 45.0}).value(); });
    for (auto& th : threads) th.join();
    for (const auto& r : results) {
      NETSPATIAL_COMPARE_NEAR(r.x, 500000.0, 1e-3);
      NETSPATIAL_COMPARE_NEAR(r.y, 4982950.400, 1e-3);
    }
  }

  void extentTransformCoversCurvedEdges() {
    const auto t = CoordinateTransform::create(Crs::wgs84(), Crs::fromEpsg(32632).value()).value();
    const Extent geo{8.0, 45.0, 10.0, 46.0};
    const Extent utm = t.transformExtent(geo).value();
    // In UTM the parallel 45°N dips lowest at the central meridian 9°E, below the corners: only a
    // densified edge finds the true southern bound.
    const PointXY bottom = t.transform(PointXY{9.0, 45.0}).value();
    const PointXY corner = t.transform(PointXY{8.0, 45.0}).value();
    QVERIFY(bottom.y < corner.y - 1.0);
    QVERIFY(utm.yMin <= bottom.y + 1e-6);
  }
};

QTEST_GUILESS_MAIN(TestCrs)
#include "tst_crs.moc"
