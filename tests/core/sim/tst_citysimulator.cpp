// The synthetic city (DESIGN.md §4): determinism, metadata, geometry and the realism the models
// and planners rely on, on the small "town" preset.

#include "tests/comparenear.h"
#include "core/sim/citysimulator.h"

#include <QTest>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

using namespace netspatial::core;

namespace {

const QList<quint64> kSeeds{11, 12, 13};

bool pointInRing(const Geometry::Ring& ring, PointXY p) {
  bool in = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const PointXY a = ring[i], b = ring[j];
    if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) in = !in;
  }
  return in;
}

std::vector<double> ranks(const std::vector<double>& v) {
  std::vector<std::size_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](auto a, auto b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (std::size_t i = 0; i < idx.size();) {
    std::size_t j = i;
    while (j + 1 < idx.size() && v[idx[j + 1]] == v[idx[i]]) ++j;
    for (std::size_t k = i; k <= j; ++k) r[idx[k]] = (double(i) + double(j)) / 2.0;
    i = j + 1;
  }
  return r;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = double(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n, mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) { return pearson(ranks(a), ranks(b)); }

//! Mean local-time weekly profile (168 h, Monday 00:00 first) of one series.
std::array<double, 168> localWeek(const Scenario& s, const std::vector<float>& v) {
  std::array<double, 168> sum{}, n{};
  const QTimeZone tz(s.metadata.timeZone.toUtf8());
  const QDate holiday = QDate::fromString(s.metadata.extra.value(QStringLiteral("holiday")).toString(), Qt::ISODate);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const QDateTime t = s.trafficObserved.start.addSecs(qint64(i) * 3600).toTimeZone(tz);
    if (t.date() == holiday) continue;  // the holiday is checked on its own
    const std::size_t h = std::size_t((t.date().dayOfWeek() - 1) * 24 + t.time().hour());
    sum[h] += v[i];
    n[h] += 1;
  }
  for (std::size_t h = 0; h < 168; ++h) sum[h] = n[h] > 0 ? sum[h] / n[h] : 0.0;
  return sum;
}

}  // namespace

class TestCitySimulator : public QObject {
  Q_OBJECT

 private:
  std::map<quint64, Scenario> m_towns;
  CityPreset m_town;

  //! Stations of the given dominant zone classes, pooled over the test seeds, as local weekly means
  //! normalised by their own mean (so big and small sites weigh the same).
  std::array<double, 168> pooledWeek(const QStringList& classes, int& count) {
    std::array<double, 168> acc{};
    count = 0;
    for (auto& [seed, s] : m_towns) {
      const QVariantMap dom = s.metadata.extra.value(QStringLiteral("stationZoneClass")).toMap();
      for (const auto& [id, v] : s.trafficObserved.valuesBySite) {
        if (!classes.contains(dom.value(id).toString())) continue;
        const auto w = localWeek(s, v);
        const double mean = std::accumulate(w.begin(), w.end(), 0.0) / 168.0;
        if (mean <= 0) continue;
        for (std::size_t h = 0; h < 168; ++h) acc[h] += w[h] / mean;
        ++count;
      }
    }
    return acc;
  }
  static int weekdayPeakHour(const std::array<double, 168>& w) {
    std::array<double, 24> day{};
    for (int d = 0; d < 5; ++d)
      for (int h = 0; h < 24; ++h) day[std::size_t(h)] += w[std::size_t(d * 24 + h)];
    return int(std::max_element(day.begin(), day.end()) - day.begin());
  }
  static double weekdayWeekendRatio(const std::array<double, 168>& w) {
    double wd = 0, we = 0;
    for (int i = 0; i < 168; ++i) (i < 120 ? wd : we) += w[std::size_t(i)];
    return (wd / 5.0) / (we / 2.0);
  }

 private Q_SLOTS:
  void initTestCase() {
    auto p = cityPreset(QStringLiteral("town"));
    QVERIFY(p.ok());
    m_town = *p;
    for (quint64 seed : kSeeds) {
      auto s = simulateCity(m_town, seed);
      QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error().toString()));
      m_towns.emplace(seed, std::move(s.value()));
    }
  }

  void presets() {
    const QStringList names = cityPresetNames();
    QVERIFY(names.contains(QStringLiteral("town")));
    QVERIFY(names.contains(QStringLiteral("city")));
    QVERIFY(names.contains(QStringLiteral("metropolis")));
    QCOMPARE(cityPreset(QStringLiteral("town"))->sizeMetres, 3000.0);
    QCOMPARE(cityPreset(QStringLiteral("city"))->sizeMetres, 12000.0);
    QVERIFY(cityPreset(QStringLiteral("metropolis"))->sizeMetres > 12000.0);
    auto bad = cityPreset(QStringLiteral("atlantis"));
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().code(), ErrorCode::InvalidArgument);
  }

  void determinism() {
    const Scenario& a = m_towns.at(11);
    auto again = simulateCity(m_town, 11);
    QVERIFY(again.ok());
    const QVariantMap ha = scenarioDataHashes(a), hb = scenarioDataHashes(*again);
    QCOMPARE(ha.size(), 6);
    QCOMPARE(ha, hb);
    QCOMPARE(a.runs.front().dataHashes, again->runs.front().dataHashes);
    const QVariantMap hc = scenarioDataHashes(m_towns.at(12));
    for (const char* key : {"zones", "stations", "pois", "imagery", "population", "traffic_observed"})
      QVERIFY2(ha.value(QLatin1String(key)) != hc.value(QLatin1String(key)), key);
    QVERIFY(a.metadata.extra.value(QStringLiteral("orientationDegrees")) !=
            m_towns.at(12).metadata.extra.value(QStringLiteral("orientationDegrees")));
  }

  void metadataAndSeries() {
    const Scenario& s = m_towns.at(11);
    QCOMPARE(s.metadata.crs.authId(), QStringLiteral("EPSG:32632"));  // Trento: UTM 32N
    QCOMPARE(s.metadata.timeZone, QStringLiteral("Europe/Rome"));
    QCOMPARE(s.metadata.trafficUnit, QStringLiteral("MB/h"));
    QCOMPARE(s.metadata.preset, QStringLiteral("town"));
    QCOMPARE(s.metadata.seed, quint64(11));
    QCOMPARE(s.trafficObserved.start, s.metadata.seriesStart);
    const QDateTime local = s.metadata.seriesStart.toTimeZone(QTimeZone("Europe/Rome"));
    QCOMPARE(local.date().dayOfWeek(), 1);
    QCOMPARE(local.time(), QTime(0, 0));
    QCOMPARE(s.metadata.seriesStart, QDateTime(QDate(2025, 3, 2), QTime(23, 0), QTimeZone::utc()));
    QCOMPARE(s.runs.size(), std::size_t(1));
    QCOMPARE(s.runs.front().kind, QStringLiteral("simulate"));
    QCOMPARE(s.runs.front().seed, quint64(11));
    QCOMPARE(s.trafficObserved.valuesBySite.size(), s.stations.size());
    QVERIFY(s.stations.size() >= 20);
    QVERIFY(s.pois.size() >= 100);
    QVERIFY(s.zones.size() >= 500);
    int zeros = 0;
    for (const BaseStation& st : s.stations) {
      QVERIFY(s.trafficObserved.valuesBySite.count(st.id));
      const auto& v = s.trafficObserved.valuesBySite.at(st.id);
      QCOMPARE(v.size(), std::size_t(8 * 168));
      for (float x : v) {
        QVERIFY(std::isfinite(x));
        QVERIFY(x >= 0.0f);
        zeros += x == 0.0f;
      }
      QVERIFY(st.capacity > 0.0);
    }
    QVERIFY(zeros > 0);                                       // outages exist…
    QVERIFY(zeros < int(s.stations.size()) * 8 * 168 / 100);  // …but are rare
    // Every category of the taxonomy that zones imply is there.
    std::set<PoiCategory> cats;
    for (const auto& [seed, t] : m_towns)
      for (const Poi& p : t.pois) cats.insert(p.category);
    for (PoiCategory c : {PoiCategory::Office, PoiCategory::Food, PoiCategory::Shopping, PoiCategory::Education, PoiCategory::Industrial,
                          PoiCategory::Transport, PoiCategory::Entertainment})
      QVERIFY2(cats.count(c), qPrintable(poiCategoryName(c)));
  }

  void everythingInsideTheCity() {
    for (const auto& [seed, s] : m_towns) {
      const Extent e = s.aoi.extent();
      QCOMPARE(e.width(), 3000.0);
      for (const Poi& p : s.pois) QVERIFY(e.contains(p.position));
      for (const BaseStation& st : s.stations) QVERIFY(e.contains(st.position));
      for (const Zone& z : s.zones) {
        const Extent ze = z.polygon.extent();
        QVERIFY(ze.xMin >= e.xMin - 1e-6 && ze.xMax <= e.xMax + 1e-6 && ze.yMin >= e.yMin - 1e-6 && ze.yMax <= e.yMax + 1e-6);
      }
      QVERIFY(s.imagery.grid.extent().contains(e) || std::abs(s.imagery.grid.extent().width() - e.width()) < 8.0);
      QCOMPARE(s.population.grid.width, 30);
    }
  }

  void dailyShapesFollowZones() {
    int nOffice = 0, nHome = 0, nShops = 0;
    const auto office = pooledWeek({QStringLiteral("cbd")}, nOffice);
    const auto home = pooledWeek({QStringLiteral("residential_high"), QStringLiteral("residential_low")}, nHome);
    const auto shops = pooledWeek({QStringLiteral("commercial")}, nShops);
    QVERIFY2(nOffice >= 3 && nHome >= 10 && nShops >= 2, qPrintable(QStringLiteral("%1 %2 %3").arg(nOffice).arg(nHome).arg(nShops)));
    const int officePeak = weekdayPeakHour(office), homePeak = weekdayPeakHour(home);
    const double officeRatio = weekdayWeekendRatio(office), homeRatio = weekdayWeekendRatio(home), shopRatio = weekdayWeekendRatio(shops);
    qInfo(
        "stations cbd %d residential %d commercial %d; weekday peak cbd %dh residential %dh; weekday/weekend "
        "cbd %.3f residential %.3f commercial %.3f",
        nOffice, nHome, nShops, officePeak, homePeak, officeRatio, homeRatio, shopRatio);
    QVERIFY(officePeak >= 9 && officePeak <= 17);
    QVERIFY(homePeak >= 19 && homePeak <= 23);
    QVERIFY(officeRatio > 1.15);
    QVERIFY(homeRatio < 1.05);
    QVERIFY(shopRatio < 1.0);  // shops, restaurants, entertainment: busier at weekends
  }

  void holidayLooksLikeSunday() {
    // On the holiday, CBD-dominated sites carry much less by day than on the same weekday a week
    // before, and about what they carry on a Sunday.
    double holiday = 0, weekday = 0, sunday = 0;
    for (const auto& [seed, s] : m_towns) {
      const QDate hol = QDate::fromString(s.metadata.extra.value(QStringLiteral("holiday")).toString(), Qt::ISODate);
      QVERIFY(hol.isValid() && hol.dayOfWeek() <= 5);
      const QTimeZone tz(s.metadata.timeZone.toUtf8());
      const QDate before = hol.addDays(-7), lastSunday = hol.addDays(-hol.dayOfWeek());
      const QVariantMap dom = s.metadata.extra.value(QStringLiteral("stationZoneClass")).toMap();
      for (const auto& [id, v] : s.trafficObserved.valuesBySite) {
        if (dom.value(id).toString() != QLatin1String("cbd")) continue;
        for (std::size_t i = 0; i < v.size(); ++i) {
          const QDateTime t = s.trafficObserved.start.addSecs(qint64(i) * 3600).toTimeZone(tz);
          if (t.time().hour() < 8 || t.time().hour() >= 18) continue;
          if (t.date() == hol) holiday += v[i];
          if (t.date() == before) weekday += v[i];
          if (t.date() == lastSunday) sunday += v[i];
        }
      }
    }
    qInfo("cbd daytime: holiday / same weekday before %.3f, holiday / Sunday before %.3f", holiday / weekday, holiday / sunday);
    QVERIFY(holiday < 0.85 * weekday);
    NETSPATIAL_COMPARE_NEAR(holiday, sunday, std::abs(holiday - weekday));
  }

  void volumeFollowsDemand() {
    // Mean traffic vs residents + 25 × POIs within the site's coverage radius: an independent
    // count on the published layers, not the simulator's own kernel or activity weights.
    std::vector<double> traffic, demand;
    for (const auto& [seed, s] : m_towns) {
      const ValueRaster& pop = s.population.grid;
      for (const BaseStation& st : s.stations) {
        // The nominal coverage radius of the site type (macro 550 m, micro 250 m).
        const double radius = st.type == StationType::Macro ? 550.0 : 250.0;
        double people = 0;
        for (int r = 0; r < pop.height; ++r)
          for (int c = 0; c < pop.width; ++c) {
            const double x = pop.geoTransform[0] + (c + 0.5) * pop.geoTransform[1];
            const double y = pop.geoTransform[3] + (r + 0.5) * pop.geoTransform[5];
            if (std::hypot(x - st.position.x, y - st.position.y) <= radius) people += pop.value(c, r);
          }
        double pois = 0;
        for (const Poi& p : s.pois)
          if (std::hypot(p.position.x - st.position.x, p.position.y - st.position.y) <= radius) pois += 1;
        const auto& v = s.trafficObserved.valuesBySite.at(st.id);
        traffic.push_back(std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()));
        demand.push_back(people + 25.0 * pois);
      }
    }
    const double rho = spearman(traffic, demand), r = pearson(traffic, demand);
    qInfo("traffic vs demand over %d stations: Spearman %.3f, Pearson %.3f", int(traffic.size()), rho, r);
    QVERIFY(rho > 0.5);
    QVERIFY(r > 0.5);
  }

  void imageryDiffersByLandUse() {
    struct Stats {
      double r = 0, g = 0, b = 0, texture = 0;
      int n = 0;
    };
    std::map<ZoneClass, Stats> stats;
    for (const auto& [seed, s] : m_towns) {
      const ImageRaster& img = s.imagery.grid;
      const auto& gt = img.geoTransform;
      for (const Zone& z : s.zones) {
        const Geometry::Ring& ring = z.polygon.parts.front().front();
        const Extent ze = z.polygon.extent();
        Stats& st = stats[z.zoneClass];
        // Pixels whose centre and 4-neighbours are in the zone (inner pixels: no road edge).
        const int c0 = std::max(1, int((ze.xMin - gt[0]) / gt[1])), c1 = std::min(img.width - 2, int((ze.xMax - gt[0]) / gt[1]));
        const int r0 = std::max(1, int((gt[3] - ze.yMax) / -gt[5])), r1 = std::min(img.height - 2, int((gt[3] - ze.yMin) / -gt[5]));
        for (int r = r0; r <= r1; r += 2) {
          for (int c = c0; c <= c1; c += 2) {
            const PointXY p{gt[0] + (c + 0.5) * gt[1], gt[3] + (r + 0.5) * gt[5]};
            if (!pointInRing(ring, p) || !pointInRing(ring, {p.x - 6, p.y - 6}) || !pointInRing(ring, {p.x + 6, p.y + 6})) continue;
            st.r += img.value(0, c, r);
            st.g += img.value(1, c, r);
            st.b += img.value(2, c, r);
            // Texture: mean absolute difference of green to its 4 neighbours.
            const double g = img.value(1, c, r);
            st.texture += (std::abs(g - img.value(1, c - 1, r)) + std::abs(g - img.value(1, c + 1, r)) +
                           std::abs(g - img.value(1, c, r - 1)) + std::abs(g - img.value(1, c, r + 1))) /
                          4.0;
            ++st.n;
          }
        }
      }
    }
    for (auto& [cls, st] : stats) {
      if (st.n == 0) continue;
      st.r /= st.n;
      st.g /= st.n;
      st.b /= st.n;
      st.texture /= st.n;
      qInfo("%-18s n=%6d  RGB %.1f %.1f %.1f  texture %.1f", qPrintable(zoneClassName(cls)), st.n, st.r, st.g, st.b, st.texture);
    }
    const Stats park = stats[ZoneClass::Park], cbd = stats[ZoneClass::Cbd], water = stats[ZoneClass::Water],
                low = stats[ZoneClass::ResidentialLow], industrial = stats[ZoneClass::Industrial];
    QVERIFY(park.n > 100 && cbd.n > 100 && water.n > 100 && low.n > 100 && industrial.n > 100);
    auto exg = [](const Stats& s) { return 2 * s.g - s.r - s.b; };  // excess-green vegetation index
    auto brightness = [](const Stats& s) { return (s.r + s.g + s.b) / 3.0; };
    QVERIFY(park.g > cbd.g);
    QVERIFY(exg(park) > exg(low));
    QVERIFY(exg(low) > exg(cbd) + 10.0);
    QVERIFY(brightness(water) < brightness(park) && brightness(water) < brightness(cbd));
    QVERIFY(water.b > water.r);
    QVERIFY(brightness(industrial) > brightness(low));  // big pale roofs and concrete
    QVERIFY(park.texture > stats[ZoneClass::Water].texture);
  }

  void progressAndCancel() {
    Feedback fb;
    QStringList steps;
    fb.setProgressCallback([&](double, const QString& step) {
      if (!steps.contains(step)) steps << step;
    });
    auto ok = simulateCity(m_town, 5, &fb);
    QVERIFY(ok.ok());
    QCOMPARE(fb.progress(), 1.0);
    for (const char* s : {"layout", "population", "pois", "stations", "traffic", "imagery: ground", "done"})
      QVERIFY2(steps.contains(QLatin1String(s)), s);

    Feedback before;
    before.cancel();
    auto c1 = simulateCity(m_town, 5, &before);
    QVERIFY(!c1.ok());
    QCOMPARE(c1.error().code(), ErrorCode::Cancelled);

    // Cancelled in the middle (from the progress callback, i.e. while traffic/imagery run).
    for (double at : {0.2, 0.5, 0.8}) {
      Feedback mid;
      mid.setProgressCallback([&](double f, const QString&) {
        if (f >= at) mid.cancel();
      });
      auto c2 = simulateCity(m_town, 5, &mid);
      QVERIFY(!c2.ok());
      QCOMPARE(c2.error().code(), ErrorCode::Cancelled);
      QVERIFY(mid.progress() < at + 0.1);  // stopped promptly
    }
  }

  void invalidPreset() {
    CityPreset p = m_town;
    p.timeZone = QStringLiteral("Mars/Olympus");
    QCOMPARE(simulateCity(p, 1).error().code(), ErrorCode::InvalidArgument);
    p = m_town;
    p.seriesStartLocal = QStringLiteral("2025-03-04T00:00:00");  // a Tuesday
    QCOMPARE(simulateCity(p, 1).error().code(), ErrorCode::InvalidArgument);
  }
};

QTEST_GUILESS_MAIN(TestCitySimulator)
#include "tst_citysimulator.moc"
