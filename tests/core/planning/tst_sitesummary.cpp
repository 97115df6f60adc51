// The site summary the inspector shows (core/planning/sitesummary): built once for a generated
// site, whoever shows it.

#include "core/planning/generations.h"
#include "core/planning/sitesummary.h"
#include "core/sim/citysimulator.h"

#include "tests/comparenear.h"

#include <QTest>

using namespace netspatial;
using namespace netspatial::core;

class TestSiteSummary : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void stationComparedWithItsObservedTraffic() {
    auto preset = cityPreset(QStringLiteral("town"));
    QVERIFY(preset.ok());
    auto town = simulateCity(*preset, 5);
    QVERIFY(town.ok());
    const BaseStation& station = town->stations.front();
    // "Generated" samples equal to the observed 4 weeks on the generated calendar: perfect metrics.
    const QDateTime start = generationStart(*town);
    const auto& observed = town->trafficObserved.valuesBySite.at(station.id);
    const qint64 offset = town->trafficObserved.start.secsTo(start) / 3600;
    QVERIFY(offset >= 0 && std::size_t(offset) + 672 <= observed.size());
    const std::vector<float> weeks(observed.begin() + offset, observed.begin() + offset + 672);
    const SiteSummary s = summarizeGeneratedSite(*town, station.id, station.position, {weeks, weeks}, QStringLiteral("map point"), nullptr);
    QCOMPARE(s.siteId, station.id);
    QVERIFY2(s.title.contains(QStringLiteral("station")), qPrintable(s.title));  // a station, not "map point"
    QCOMPARE(s.start, start);
    QCOMPARE(s.observed.size(), std::size_t(672));
    QCOMPARE(s.metrics.size(), 5);
    QCOMPARE(s.metrics.front().first, QStringLiteral("mae"));
    NETSPATIAL_COMPARE_NEAR(s.metrics.front().second, 0.0, 1e-6);
    QStringList labels;
    for (const auto& [label, value] : s.facts) labels << label;
    QVERIFY2(labels.contains(QStringLiteral("Zone")) && labels.contains(QStringLiteral("Weekday peak")), qPrintable(labels.join(u',')));

    // A map point has nothing observed to compare with.
    const SiteSummary point = summarizeGeneratedSite(*town, QStringLiteral("P1_2"), {station.position.x + 300, station.position.y}, {weeks},
                                                     QStringLiteral("map point"), nullptr);
    QVERIFY(point.title.endsWith(QStringLiteral("map point")));
    QVERIFY(point.observed.empty());
    QVERIFY(point.metrics.isEmpty());
    QVERIFY(observedVersusGenerated({}, {weeks}).isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestSiteSummary)
#include "tst_sitesummary.moc"
