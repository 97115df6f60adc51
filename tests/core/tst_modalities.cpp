// What a scenario has and lacks (core/scenario/modalities.h; issue 19): a missing modality is
// said, never described as zeros; rasters carry their resolution; the import's source is kept.

#include "core/scenario/modalities.h"
#include "core/sim/citysimulator.h"

#include <QTest>

using namespace netspatial::core;

class TestModalities : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void anEmptyScenarioLacksEverything() {
    Scenario s;
    const auto modalities = describeModalities(s);
    QCOMPARE(int(modalities.size()), modalityNames().size());
    for (const Modality& m : modalities) {
      QVERIFY2(!m.present, qPrintable(m.name));
      QVERIFY2(m.lacking, qPrintable(m.name));
      QCOMPARE(m.description, QStringLiteral("missing"));
    }
  }

  void describesWhatIsThere() {
    Scenario s;
    BaseStation macro, micro;
    micro.type = StationType::Micro;
    s.stations = std::vector<BaseStation>{macro, macro, micro};
    s.population.grid.width = 4;
    s.population.grid.height = 2;
    s.population.grid.geoTransform = {0.0, 250.0, 0.0, 1000.0, 0.0, -250.0};
    s.population.grid.values = std::vector<float>{1.5f, 2.5f, 0.0f, std::nanf(""), 10.0f, 0.0f, 0.0f, 6.0f};
    s.metadata.extra.insert(QStringLiteral("modality.stations"), QStringLiteral("towers.csv"));
    const auto m = describeModalities(s);
    QCOMPARE(m[0].name, QStringLiteral("stations"));
    QVERIFY(m[0].present);
    QCOMPARE(m[0].description, QStringLiteral("3 stations (2 macro, 1 micro)"));
    QCOMPARE(m[0].source, QStringLiteral("towers.csv"));
    const Modality& population = m[6];
    QCOMPARE(population.name, QStringLiteral("population"));
    QCOMPARE(population.description, QStringLiteral("4 × 2 cells, 250.0 m, 20 people"));  // NaN is no data, not zero
    QCOMPARE(m[5].description, QStringLiteral("missing"));                                // imagery
  }

  void everyModalityHasALabel() {
    for (const QString& name : modalityNames())
      QVERIFY2(modalityLabel(name) != name || name == QLatin1String("imagery") || name == QLatin1String("population"), qPrintable(name));
    QCOMPARE(modalityLabel(QStringLiteral("pois")), QStringLiteral("points of interest"));
  }

  void theSyntheticCityHasEverythingButTrafficSites() {
    auto town = cityPreset(QStringLiteral("town"));
    QVERIFY(town.ok());
    auto city = simulateCity(*town, 1);
    QVERIFY2(city.ok(), city.ok() ? "" : qPrintable(city.error().toString()));
    for (const Modality& m : describeModalities(*city)) {
      if (m.name == QLatin1String("traffic_sites")) {
        QVERIFY(!m.present);
        QVERIFY(!m.lacking);  // its traffic is per station: nothing is missing
        QCOMPARE(m.description, QStringLiteral("none: the observed traffic is per station"));
      } else {
        QVERIFY2(m.present, qPrintable(m.name));
        QVERIFY(!m.lacking);
      }
    }
  }
};

QTEST_GUILESS_MAIN(TestModalities)
#include "tst_modalities.moc"
