#include "core/traffic/hourlyseries.h"

#include <QTest>
#include <QTimeZone>

using namespace netspatial::core;

class TestHourlySeries : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void tenMinutesToHours() {
    const QDateTime start(QDate(2013, 11, 1), QTime(0, 0), QTimeZone::utc());
    std::vector<TimedValue> samples;
    for (int i = 0; i < 18; ++i) samples.push_back({start.addSecs(i * 600), double(i)});  // 3 hours
    samples.erase(samples.begin() + 13, samples.begin() + 17);                            // hour 2 keeps only 12 and 17
    auto sum = aggregateToHourly(samples, start, 4, Aggregation::Sum, 6);
    QVERIFY(sum.ok());
    QCOMPARE(sum->values[0], 15.0f);      // 0+1+…+5
    QCOMPARE(sum->values[1], 51.0f);      // 6+…+11
    QVERIFY(std::isnan(sum->values[2]));  // 2 of 6 records: missing, not 29
    QVERIFY(std::isnan(sum->values[3]));  // no records at all
    QCOMPARE(sum->missingCount(), std::size_t(2));
    auto mean = aggregateToHourly(samples, start, 4, Aggregation::Mean, 2);
    QCOMPARE(mean->values[2], 14.5f);  // (12 + 17) / 2 with a lower coverage threshold
  }

  void localMondayAlignment_data() {
    QTest::addColumn<QString>("zone");
    QTest::addColumn<QDateTime>("start");
    QTest::addColumn<int>("expectedIndex");
    // 2013-11-01 is a Friday. Europe/Rome is UTC+1 in November: Monday 00:00 local = Sunday 23:00 UTC.
    QTest::newRow("Rome, starting Friday 00:00 UTC") << "Europe/Rome" << QDateTime(QDate(2013, 11, 1), QTime(0, 0), QTimeZone::utc()) << 71;
    QTest::newRow("UTC") << "UTC" << QDateTime(QDate(2013, 11, 1), QTime(0, 0), QTimeZone::utc()) << 72;
    QTest::newRow("already aligned") << "Europe/Rome" << QDateTime(QDate(2013, 11, 3), QTime(23, 0), QTimeZone::utc()) << 0;
  }
  void localMondayAlignment() {
    QFETCH(QString, zone);
    QFETCH(QDateTime, start);
    QFETCH(int, expectedIndex);
    HourlySeries s{start, zone, QStringLiteral("MB/h"), std::vector<float>(1488, 1.0f)};
    auto i = firstLocalMondayMidnight(s);
    QVERIFY(i.ok());
    QCOMPARE(int(*i), expectedIndex);
    auto w = mondayAlignedWindow(s, 1);
    QVERIFY(w.ok());
    QCOMPARE(w->values.size(), std::size_t(672));
    const QDateTime local = w->start.toTimeZone(QTimeZone(zone.toUtf8()));
    QCOMPARE(local.date().dayOfWeek(), 1);
    QCOMPARE(local.time(), QTime(0, 0));
  }

  void wallClockHoursFollowDaylightSaving() {
    // Rome, from Monday 2025-03-24 00:00 local (23:00 UTC the day before) over the spring change
    // (Sunday 30 March, 02:00 → 03:00) and three weeks on: the local hour j is 08:00 on every day.
    HourlySeries s;
    s.start = QDateTime(QDate(2025, 3, 23), QTime(23, 0), Qt::UTC);
    s.timeZone = QStringLiteral("Europe/Rome");
    s.values.assign(4 * 168, 0.0f);
    for (std::size_t i = 0; i < s.values.size(); ++i) s.values[i] = float(s.hourAt(i).toTimeZone(QTimeZone("Europe/Rome")).time().hour());
    auto first = firstLocalMondayMidnight(s);
    QVERIFY(first.ok());
    QCOMPARE(*first, std::size_t(0));
    auto map = localWallClockIndices(s, *first, 3 * 168);
    QVERIFY(map.ok());
    int gapHours = 0;
    for (std::size_t j = 0; j < map->size(); ++j) {
      const float hour = s.values[(*map)[j]];
      if (hour != float(j % 24)) {
        // Only the hour that does not exist locally (02:00 on 30 March) may differ.
        QCOMPARE(j, std::size_t(6 * 24 + 2));
        ++gapHours;
      }
    }
    QCOMPARE(gapHours, 1);
    // After the change the local hours sit one UTC hour earlier than consecutive hours would.
    QCOMPARE((*map)[7 * 24], std::size_t(7 * 24 - 1));
    // Consecutive UTC hours, by contrast, drift: local hour 7·24 + 8 is 09:00 there.
    QCOMPARE(s.values[7 * 24 + 8], 9.0f);
    QCOMPARE(s.values[(*map)[7 * 24 + 8]], 8.0f);
    QVERIFY(!localWallClockIndices(HourlySeries{s.start, QStringLiteral("Mars/Olympus"), {}, s.values}, 0, 24).ok());
  }

  void windowPastTheEndIsAnError() {
    HourlySeries s{QDateTime(QDate(2013, 11, 4), QTime(0, 0), QTimeZone::utc()), QStringLiteral("UTC"), {}, std::vector<float>(1000, 1.0f)};
    QVERIFY(mondayAlignedWindow(s, 0).ok());
    QCOMPARE(mondayAlignedWindow(s, 1).error().code(), ErrorCode::OutOfExtent);
    s.timeZone = QStringLiteral("Mars/Olympus");
    QCOMPARE(firstLocalMondayMidnight(s).error().code(), ErrorCode::InvalidArgument);
  }

  void startMustBeOnTheHour() {
    const QDateTime odd(QDate(2013, 11, 1), QTime(0, 10), QTimeZone::utc());
    QCOMPARE(aggregateToHourly({}, odd, 4, Aggregation::Sum, 1).error().code(), ErrorCode::InvalidArgument);
  }
};

QTEST_GUILESS_MAIN(TestHourlySeries)
#include "tst_hourlyseries.moc"
