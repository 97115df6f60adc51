// The zone-profile table of the city simulator against the published per-area-type profiles
// (Xu et al. 2017, via published_daily_profiles.csv).

#include "tests/comparenear.h"
#include "core/sim/zoneprofiles.h"

#include <QFile>
#include <QTest>

#include <cmath>

using namespace netspatial::core;
using namespace netspatial::core::sim;

class TestZoneProfiles : public QObject {
  Q_OBJECT

 private:
  static QString csvPath() {
    const QByteArray env = qgetenv("NETSPATIAL_SHARED_DATA");
    const QString root = env.isEmpty() ? QStringLiteral(NETSPATIAL_SHARED_DATA_DIR) : QString::fromLocal8Bit(env);
    return root + QStringLiteral("/profiles/published_daily_profiles.csv");
  }

 private Q_SLOTS:
  void peakHour_data() {
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("day");
    QTest::addColumn<int>("expectedPeak");
    // Hour (0–23, local) of the largest hourly mean of each published profile, computed once from
    // published_daily_profiles.csv (columns thp_<day>_xu17_<type>, six 10-minute rows per hour).
    const int peaks[4][7] = {
        {21, 21, 21, 21, 21, 21, 21},  // residential: late evening every day
        {13, 10, 13, 10, 11, 12, 13},  // office: late morning / midday
        {7, 7, 7, 17, 7, 17, 16},      // transport: commuter peaks
        {17, 17, 17, 17, 17, 12, 12},  // entertainment: afternoon, midday at weekends
    };
    const char* types[4] = {"residential", "office", "transport", "entertainment"};
    const char* days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (int t = 0; t < 4; ++t)
      for (int d = 0; d < 7; ++d) QTest::addRow("%s_%s", types[t], days[d]) << t << d << peaks[t][d];
  }

  void peakHour() {
    QFETCH(int, type);
    QFETCH(int, day);
    QFETCH(int, expectedPeak);
    int best = 0;
    for (int h = 1; h < 24; ++h)
      if (publishedHourlyProfile(PublishedAreaType(type), day, h) > publishedHourlyProfile(PublishedAreaType(type), day, best)) best = h;
    QCOMPARE(best, expectedPeak);
  }

  void weekdayWeekendRatio() {
    // Published days are max-normalised; the simulator's day volumes must give offices a busier
    // week than weekend, homes and entertainment a busier weekend.
    auto ratio = [](const WeeklyProfile& p) {
      double wd = 0, we = 0;
      for (int i = 0; i < 168; ++i) (i < 120 ? wd : we) += p[std::size_t(i)];
      return (wd / 5.0) / (we / 2.0);
    };
    const double office = ratio(areaTypeWeeklyProfile(PublishedAreaType::Office));
    const double residential = ratio(areaTypeWeeklyProfile(PublishedAreaType::Residential));
    const double entertainment = ratio(areaTypeWeeklyProfile(PublishedAreaType::Entertainment));
    QVERIFY2(office > 1.5, qPrintable(QString::number(office)));
    QVERIFY2(residential < 1.0, qPrintable(QString::number(residential)));
    QVERIFY2(entertainment < 1.0, qPrintable(QString::number(entertainment)));
    QVERIFY(ratio(zoneWeeklyProfile(ZoneClass::Cbd)) > 1.5);
    QVERIFY(ratio(zoneWeeklyProfile(ZoneClass::ResidentialLow)) < 1.0);
  }

  void blendsSumToOne() {
    for (int c = 0; c < kZoneClassCount; ++c) {
      double s = 0;
      for (double w : zoneBlend(ZoneClass(c))) s += w;
      NETSPATIAL_COMPARE_NEAR(s, 1.0, 1e-9);
    }
  }

  void tableMatchesCsv() {
    // The table was copied from the CSV; re-derive every hourly mean where the data set is present.
    QFile f(csvPath());
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) QSKIP("shared data absent: published_daily_profiles.csv not found");
    const QStringList header = QString::fromUtf8(f.readLine()).trimmed().split(QLatin1Char(','));
    std::vector<QStringList> rows;
    while (!f.atEnd()) {
      const QString line = QString::fromUtf8(f.readLine()).trimmed();
      if (!line.isEmpty()) rows.push_back(line.split(QLatin1Char(',')));
    }
    QCOMPARE(int(rows.size()), 144);
    const char* types[4] = {"residential", "office", "transport", "entertainment"};
    const char* days[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    for (int t = 0; t < 4; ++t) {
      for (int d = 0; d < 7; ++d) {
        const int col = int(header.indexOf(QStringLiteral("thp_%1_xu17_%2").arg(QLatin1String(days[d]), QLatin1String(types[t]))));
        QVERIFY(col >= 0);
        for (int h = 0; h < 24; ++h) {
          double mean = 0;
          for (int k = 0; k < 6; ++k) mean += rows[std::size_t(h * 6 + k)][col].toDouble() / 6.0;
          QVERIFY2(std::abs(mean - publishedHourlyProfile(PublishedAreaType(t), d, h)) < 6e-5,
                   qPrintable(QStringLiteral("%1 %2 %3h").arg(QLatin1String(types[t]), QLatin1String(days[d])).arg(h)));
        }
      }
    }
  }
};

QTEST_GUILESS_MAIN(TestZoneProfiles)
#include "tst_zoneprofiles.moc"
