// Operations views (issue 7, DESIGN.md §9–10): the sleep timeline, the study view's power/QoE,
// trade-off and comparison tabs, the comparison table model and the sleep-hours map layer. The
// study is made by hand (30 stations × four weeks of hourly decisions from Mon 1 Jan 2024 00:00,
// Europe/Rome): these tests check what the views show, not how a study is computed.
//
// NETSPATIAL_UI_DUMP_DIR=folder saves every tab at 1400 × 800 and the layer as opsview-*.png there,
// to look at what was asserted.

#include "tests/comparenear.h"
#include "tests/eventwait.h"
#include "core/geo/crs.h"
#include "core/operations/sleepstudy.h"
#include "ui/inspector/plotexport.h"
#include "ui/map/mapview.h"
#include "ui/operations/localdayticker.h"
#include "ui/operations/sleepcomparisonmodel.h"
#include "ui/operations/sleephourslayer.h"
#include "ui/operations/sleepstudyview.h"
#include "ui/operations/sleeptimeline.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "ui/inspector/customplot.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>

using namespace netspatial;
using core::SleepPolicy;
using ui::SleepComparisonModel;
using ui::SleepStudyView;
using ui::SleepTimeline;

namespace {

constexpr int kStations = 30;
constexpr int kHours = 672;
// EARTH macro station (Auer et al. 2011): 6 TRX × 130 W static, 4.7 × 20 W per unit of load, 75 W asleep.
constexpr double kStaticW = 6 * 130.0;
constexpr double kLoadW = 6 * 4.7 * 20.0;
constexpr double kSleepW = 6 * 75.0;
constexpr double kCapacity = 100.0;  // MB/h at utilisation 1

QTimeZone rome() { return QTimeZone("Europe/Rome"); }
QDateTime startUtc() { return QDateTime(QDate(2024, 1, 1), QTime(0, 0), rome()).toUTC(); }

// The start is a local midnight and January has no DST change: hour h is local hour h % 24 of day h / 24.
int hourOfDay(int h) { return h % 24; }
int dayOf(int h) { return h / 24; }
bool weekend(int h) { return dayOf(h) % 7 >= 5; }

// Utilisation: lowest at 04:00, highest at 16:00, weekends lighter, each station its own scale.
double utilisation(int station, int h) {
  const double daily = 0.5 * (1.0 - std::cos(2.0 * std::numbers::pi * (hourOfDay(h) - 4) / 24.0));
  const double scale = 0.8 + 0.3 * ((station * 7) % 11) / 10.0;
  return std::min(1.0, scale * (0.25 + 0.6 * daily) * (weekend(h) ? 0.85 : 1.0));
}

// Stations 0, 3, 6, … never sleep: they take the load of the two after them.
int absorberOf(int station) { return station - station % 3; }

bool forecastAsleep(int s, int h) {
  const int hod = hourOfDay(h);
  // S5 and S20 carry a hotspot and never sleep; the others skip a night a week when the forecast is busy.
  return s % 3 != 0 && s != 4 && s != 19 && hod >= 1 + s % 2 && hod < 6 && (dayOf(h) + s) % 7 != 0;
}
bool oracleAsleep(int s, int h) {
  const int hod = hourOfDay(h);
  return s % 3 != 0 && hod >= 1 && hod < (weekend(h) ? 7 : 6);
}
bool staticNightAsleep(int s, int h) { return s % 3 != 0 && hourOfDay(h) >= 1 && hourOfDay(h) < 6; }

core::SleepSchedule makeSchedule(int stations, int hours, const std::function<bool(int, int)>& asleep) {
  core::SleepSchedule schedule;
  schedule.stationCount = stations;
  schedule.hours.resize(std::size_t(hours));
  for (int h = 0; h < hours; ++h) {
    core::HourDecision& d = schedule.hours[std::size_t(h)];
    d.asleep.assign(std::size_t(stations), 0);
    d.handovers.resize(std::size_t(stations));
    for (int s = 0; s < stations; ++s) {
      if (!asleep(s, h)) continue;
      d.asleep[std::size_t(s)] = 1;
      d.handovers[std::size_t(s)] = {{absorberOf(s), 1.0}};
    }
  }
  return schedule;
}

double alwaysOnW(int h) {
  double w = 0.0;
  for (int s = 0; s < kStations; ++s) w += kStaticW + kLoadW * utilisation(s, h);
  return w;
}

double offered(int h) {
  double o = 0.0;
  for (int s = 0; s < kStations; ++s) o += kCapacity * utilisation(s, h);
  return o;
}

// A schedule played on the load: a sleeping station draws sleep power instead of its static
// power; its load costs the same on the neighbour that takes it. `qoeAt` says what was served.
core::ScheduleOutcome play(SleepPolicy policy, const std::function<bool(int, int)>& asleep, const std::function<double(int)>& qoeAt,
                           double quantile = 0.0) {
  core::ScheduleOutcome o;
  o.policy = policy;
  o.quantile = quantile;
  std::vector<int> previous(kStations, 0);
  o.stations.resize(kStations);
  for (int s = 0; s < kStations; ++s) o.stations[std::size_t(s)].id = QStringLiteral("S%1").arg(s + 1);
  for (int h = 0; h < kHours; ++h) {
    int sleeping = 0;
    for (int s = 0; s < kStations; ++s) {
      const int now = asleep(s, h) ? 1 : 0;
      sleeping += now;
      if (h > 0 && now != previous[std::size_t(s)]) {
        ++o.switches;
        ++o.stations[std::size_t(s)].switches;
      }
      previous[std::size_t(s)] = now;
      o.stations[std::size_t(s)].sleepHours += now;
    }
    const double power = alwaysOnW(h) - sleeping * (kStaticW - kSleepW);
    const double q = qoeAt(h);
    o.powerW.push_back(power);
    o.qoeByHour.push_back(q);
    o.energyKWh += power / 1000.0;
    o.alwaysOnKWh += alwaysOnW(h) / 1000.0;
    o.offered += offered(h);
    o.served += offered(h) * q;
    o.sleepStationHours += sleeping;
  }
  o.unserved = o.offered - o.served;
  o.qoe = o.served / o.offered;
  o.savingPct = 100.0 * (1.0 - o.energyKWh / o.alwaysOnKWh);
  return o;
}

struct Fixture {
  core::SleepStudy study;
  std::vector<QString> ids;
};

Fixture makeFixture() {
  Fixture f;
  for (int s = 0; s < kStations; ++s) f.ids.push_back(QStringLiteral("S%1").arg(s + 1));
  const auto perfect = [](int) { return 1.0; };
  // The forecast misses a little at the night's edges; the static night more so on busy weekend nights.
  const auto forecastQoe = [](int h) { return hourOfDay(h) == 5 ? 0.985 - 0.004 * (dayOf(h) % 3) : hourOfDay(h) == 2 ? 0.997 : 1.0; };
  const auto staticQoe = [](int h) {
    if (!weekend(h) || hourOfDay(h) < 1 || hourOfDay(h) >= 6) return 1.0;
    return hourOfDay(h) < 3 ? 0.93 : 0.985;  // Friday and Saturday nights are not quiet
  };
  f.study.outcomes.push_back(play(
      SleepPolicy::AlwaysOn, [](int, int) { return false; }, perfect));
  f.study.outcomes.push_back(play(SleepPolicy::StaticNight, staticNightAsleep, staticQoe));
  f.study.outcomes.push_back(play(SleepPolicy::Forecast, forecastAsleep, forecastQoe, 0.9));
  f.study.outcomes.push_back(play(SleepPolicy::Oracle, oracleAsleep, perfect));
  f.study.forecastSchedule = makeSchedule(kStations, kHours, forecastAsleep);
  f.study.oracleSchedule = makeSchedule(kStations, kHours, oracleAsleep);
  // Lower quantiles sleep more and serve less; q = 0.9 is the study's forecast outcome itself.
  const core::ScheduleOutcome& forecast = f.study.outcomes[2];
  for (const double q : {0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0}) {
    core::TradeoffPoint p;
    p.quantile = q;
    p.savingPct = q == 0.9 ? forecast.savingPct : forecast.savingPct * (1.0 + 1.1 * (0.9 - q));
    p.qoe = q == 0.9 ? forecast.qoe : 1.0 - (1.0 - forecast.qoe) * (1.0 + 7.0 * (0.9 - q));
    p.unserved = forecast.offered * (1.0 - p.qoe);
    f.study.tradeoff.push_back(p);
  }
  f.study.notes << QStringLiteral("10 stations never sleep: they take their neighbours' load");
  return f;
}

void dump(const QImage& image, const QString& name) {
  const QString dir = qEnvironmentVariable("NETSPATIAL_UI_DUMP_DIR");
  if (!dir.isEmpty()) QVERIFY(image.save(QStringLiteral("%1/opsview-%2.png").arg(dir, name)));
}

int pixelsNear(const QImage& image, const QColor& colour, int tolerance = 8) {
  int n = 0;
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const QColor c = image.pixelColor(x, y);
      if (std::abs(c.red() - colour.red()) <= tolerance && std::abs(c.green() - colour.green()) <= tolerance &&
          std::abs(c.blue() - colour.blue()) <= tolerance)
        ++n;
    }
  return n;
}

QString errorText(const core::Status& s) { return s.ok() ? QString() : s.error().toString(); }

}  // namespace

class TestSleepStudyView : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void timelineCellsMatchTheSchedule();
  void timelineHoverAndTicks();
  void timelineAcrossDst();
  void emptySchedulesDoNotCrash();
  void comparisonModel();
  void comparisonWithoutOracle();
  void powerPlotIsInKilowatts();
  void tradeoffPoints();
  void emptyState();
  void scheduleComboSwitchesTheTimeline();
  void exportsEveryTab();
  void sleepHoursLayer();
};

void TestSleepStudyView::timelineCellsMatchTheSchedule() {
  const Fixture f = makeFixture();
  SleepTimeline timeline;
  timeline.setSchedule(f.study.forecastSchedule, f.ids, startUtc(), rome(), QStringLiteral("Forecast"));
  QCOMPARE(timeline.stationCount(), kStations);
  QCOMPARE(timeline.hourCount(), kHours);

  // S2 (index 1) sleeps from 02:00 on nights where (day + 1) % 7 != 0: Monday 1 Jan is such a night.
  QVERIFY(forecastAsleep(1, 5));
  QCOMPARE(timeline.stateAt(1, 5), SleepTimeline::Asleep);
  QCOMPARE(timeline.cellValue(1, 5), double(SleepTimeline::Asleep));
  QCOMPARE(timeline.cellValue(1, 1), double(SleepTimeline::Awake));  // odd stations start at 02:00
  QCOMPARE(timeline.cellValue(1, 12), double(SleepTimeline::Awake));
  // S1 (index 0) never sleeps and takes S2's and S3's load.
  QCOMPARE(timeline.cellValue(0, 5), double(SleepTimeline::Absorbing));

  // Every cell of the colour map says what the schedule says.
  int asleep = 0;
  for (int h = 0; h < kHours; ++h)
    for (int s = 0; s < kStations; ++s) {
      const bool sleeping = forecastAsleep(s, h);
      bool absorbing = false;
      for (int t = 0; t < kStations && !sleeping; ++t) absorbing = absorbing || (forecastAsleep(t, h) && absorberOf(t) == s);
      const double expected = sleeping ? SleepTimeline::Asleep : absorbing ? SleepTimeline::Absorbing : SleepTimeline::Awake;
      if (timeline.cellValue(s, h) != expected)
        QFAIL(qPrintable(QStringLiteral("station %1 hour %2: %3, expected %4").arg(s).arg(h).arg(timeline.cellValue(s, h)).arg(expected)));
      asleep += sleeping ? 1 : 0;
    }
  QCOMPARE(timeline.asleepStationHours(), asleep);
  QCOMPARE(timeline.asleepStationHours(), f.study.outcomes[2].sleepStationHours);
  QVERIFY(timeline.title().startsWith(QStringLiteral("Forecast: 30 stations × 672 h")));
  QVERIFY(std::isnan(timeline.cellValue(kStations, 0)));
  QVERIFY(std::isnan(timeline.cellValue(0, kHours)));

  // The texts: station, local time with the zone's abbreviation, state and where the load goes.
  QCOMPARE(timeline.cellText(1, 5), QStringLiteral("S2, Mon 01 Jan 2024 05:00 CET: asleep, its load to S1 (100 %)"));
  QCOMPARE(timeline.cellText(1, 12), QStringLiteral("S2, Mon 01 Jan 2024 12:00 CET: awake"));
  QVERIFY2(timeline.cellText(0, 5).startsWith(QStringLiteral("S1, Mon 01 Jan 2024 05:00 CET: awake, taking the load of S2 (100 %)")),
           qPrintable(timeline.cellText(0, 5)));
  // Hour 25 is Tuesday 01:00 local.
  QVERIFY(timeline.cellText(2, 25).contains(QStringLiteral("Tue 02 Jan 2024 01:00 CET")));
}

void TestSleepStudyView::timelineHoverAndTicks() {
  const Fixture f = makeFixture();
  SleepTimeline timeline;
  timeline.resize(1200, 700);
  timeline.setSchedule(f.study.forecastSchedule, f.ids, startUtc(), rome());
  timeline.show();
  QVERIFY(QTest::qWaitForWindowExposed(&timeline));
  timeline.plot()->replot();

  // The cell under a pixel is the one the axes put there.
  QCustomPlot* plot = timeline.plot();
  const QPointF p(plot->xAxis->coordToPixel(5.5), plot->yAxis->coordToPixel(1.0));
  const auto cell = timeline.cellAt(p);
  QVERIFY(cell.has_value());
  QCOMPARE(cell->first, 1);
  QCOMPARE(cell->second, 5);
  QCOMPARE(timeline.toolTipAt(p), timeline.cellText(1, 5));
  // The first station is at the top.
  QVERIFY(plot->yAxis->coordToPixel(0.0) < plot->yAxis->coordToPixel(29.0));
  QVERIFY(!timeline.cellAt(QPointF(2, 2)).has_value());  // outside the axis rect

  // Ticks: local midnights, labelled "Mon 01 Jan", every day's boundary kept as a sub-tick.
  auto ticker = plot->xAxis->ticker().dynamicCast<ui::LocalDayTicker>();
  QVERIFY(ticker);
  int midnights = 0;
  for (const auto& m : ticker->marks()) midnights += m.midnight ? 1 : 0;
  QCOMPARE(midnights, 29);  // hours 0, 24, …, 672
  QCOMPARE(ticker->marks().front().label, QStringLiteral("Mon 01 Jan"));
  const QVector<double> ticks = plot->xAxis->tickVector();
  const QVector<QString> labels = plot->xAxis->tickVectorLabels();
  QVERIFY(!ticks.isEmpty());
  QCOMPARE(ticks.front(), 0.0);
  QCOMPARE(labels.front(), QStringLiteral("Mon 01 Jan"));
  for (double t : ticks) QCOMPARE(std::fmod(t, 24.0), 0.0);
  QVERIFY(ticks.size() < 29);  // 1200 px cannot hold 29 day labels: thinned
  // Zoomed to a day and a half: hours are labelled too.
  plot->xAxis->setRange(24.0, 60.0);
  plot->replot();
  QVERIFY(plot->xAxis->tickVectorLabels().contains(QStringLiteral("Tue 02 Jan")));
  QVERIFY(plot->xAxis->tickVectorLabels().contains(QStringLiteral("12:00")));
}

void TestSleepStudyView::timelineAcrossDst() {
  // Sat 30 Mar 2024 00:00 in Rome, three days: Sunday has 23 hours (02:00 → 03:00).
  const QDateTime start = QDateTime(QDate(2024, 3, 30), QTime(0, 0), rome()).toUTC();
  SleepTimeline timeline;
  timeline.setSchedule(makeSchedule(3, 72, [](int s, int h) { return s == 1 && h % 24 < 4; }), {"A", "B", "C"}, start, rome());
  auto ticker = timeline.plot()->xAxis->ticker().dynamicCast<ui::LocalDayTicker>();
  std::vector<double> midnights;
  for (const auto& m : ticker->marks())
    if (m.midnight) midnights.push_back(m.key);
  QCOMPARE(midnights, (std::vector<double>{0.0, 24.0, 47.0, 71.0}));
  QVERIFY(timeline.cellText(0, 26).contains(QStringLiteral("Sun 31 Mar 2024 03:00 CEST")));
  QCOMPARE(timeline.cellValue(1, 2), double(SleepTimeline::Asleep));
  QCOMPARE(timeline.cellValue(0, 2), double(SleepTimeline::Absorbing));
}

void TestSleepStudyView::emptySchedulesDoNotCrash() {
  SleepTimeline timeline;
  timeline.resize(600, 300);
  core::SleepSchedule none;
  timeline.setSchedule(none, {}, startUtc(), rome(), QStringLiteral("Forecast"));
  QVERIFY(!timeline.hasData());
  QVERIFY(std::isnan(timeline.cellValue(0, 0)));
  QVERIFY(timeline.cellText(0, 0).isEmpty());
  QVERIFY(timeline.title().contains(QStringLiteral("no schedule")));
  QVERIFY(!ui::PlotExport::render(*timeline.plot(), QSize(400, 200), 96.0).isNull());

  core::SleepSchedule stationsNoHours;
  stationsNoHours.stationCount = 5;
  timeline.setSchedule(stationsNoHours, {"A"}, startUtc(), rome());
  QCOMPARE(timeline.hourCount(), 0);
  core::SleepSchedule hoursNoStations = makeSchedule(0, 24, [](int, int) { return false; });
  timeline.setSchedule(hoursNoStations, {}, startUtc(), rome());
  QCOMPARE(timeline.stationCount(), 0);
  timeline.plot()->replot();

  // One station, one hour: still one visible cell.
  timeline.setSchedule(makeSchedule(1, 1, [](int, int) { return true; }), {}, startUtc(), rome());
  QCOMPARE(timeline.cellValue(0, 0), double(SleepTimeline::Asleep));
  QVERIFY(timeline.cellText(0, 0).startsWith(QStringLiteral("#0, ")));  // a station without an id
  const QImage one = ui::PlotExport::render(*timeline.plot(), QSize(400, 200), 96.0);
  QVERIFY(pixelsNear(one, SleepTimeline::stateColour(SleepTimeline::Asleep), 2) > 1000);

  // A malformed decision (fewer entries than stations, a handover to nowhere) stays awake.
  core::SleepSchedule odd = makeSchedule(3, 2, [](int, int) { return false; });
  odd.hours[0].asleep = {1};
  odd.hours[0].handovers = {{{7, 1.0}}};
  timeline.setSchedule(odd, {}, startUtc(), rome());
  QCOMPARE(timeline.cellValue(0, 0), double(SleepTimeline::Asleep));
  QCOMPARE(timeline.cellValue(2, 0), double(SleepTimeline::Awake));

  // The whole view with a study of empty schedules and no hours.
  SleepStudyView view;
  core::SleepStudy empty;
  core::ScheduleOutcome alwaysOn;
  empty.outcomes.push_back(alwaysOn);
  view.setStudy(empty, {}, startUtc(), rome(), QStringLiteral("MB/h"));
  QVERIFY(!view.showsEmptyState());
  QCOMPARE(int(view.powerGraphs().size()), 1);
  QCOMPARE(view.powerGraphs()[0]->dataCount(), 0);
  QVERIFY(view.tradeoffCurve() == nullptr);
  for (int tab = 0; tab < SleepStudyView::TabCount; ++tab) QVERIFY(!view.renderTab(tab, QSize(500, 300), 96.0).isNull());
}

void TestSleepStudyView::comparisonModel() {
  const Fixture f = makeFixture();
  SleepComparisonModel model;
  model.setOutcomes(f.study.outcomes, QStringLiteral("MB/h"));
  QCOMPARE(model.rowCount(), 4);
  QCOMPARE(model.columnCount(), int(SleepComparisonModel::ColumnCount));
  QCOMPARE(model.columnCount(), 8);

  const QLocale locale;
  auto text = [&model](int row, int column) { return model.data(model.index(row, column)).toString(); };
  auto number = [&model](int row, int column) { return model.data(model.index(row, column), SleepComparisonModel::SortRole); };
  QCOMPARE(text(0, SleepComparisonModel::Policy), core::sleepPolicyLabel(SleepPolicy::AlwaysOn));
  QCOMPARE(text(2, SleepComparisonModel::Policy), core::sleepPolicyLabel(SleepPolicy::Forecast) + QStringLiteral(" (q=0.9)"));
  QCOMPARE(text(3, SleepComparisonModel::Policy), core::sleepPolicyLabel(SleepPolicy::Oracle));
  QCOMPARE(model.rowOf(SleepPolicy::Oracle), 3);

  const core::ScheduleOutcome& forecast = f.study.outcomes[2];
  const core::ScheduleOutcome& oracle = f.study.outcomes[3];
  QCOMPARE(number(2, SleepComparisonModel::Energy).toDouble(), forecast.energyKWh);
  QCOMPARE(text(2, SleepComparisonModel::Energy), locale.toString(forecast.energyKWh, 'f', 0));  // tens of thousands of kWh
  QCOMPARE(text(2, SleepComparisonModel::Saving), locale.toString(forecast.savingPct, 'f', 1));
  QCOMPARE(number(2, SleepComparisonModel::Qoe).toDouble(), 100.0 * forecast.qoe);
  QCOMPARE(text(2, SleepComparisonModel::Qoe), locale.toString(100.0 * forecast.qoe, 'f', 2));
  QCOMPARE(text(2, SleepComparisonModel::Switches), locale.toString(forecast.switches));
  QCOMPARE(text(2, SleepComparisonModel::SleepHours), locale.toString(forecast.sleepStationHours));
  QCOMPARE(text(0, SleepComparisonModel::Unserved), QStringLiteral("0"));
  QVERIFY(forecast.unserved > 100.0);
  QCOMPARE(text(2, SleepComparisonModel::Unserved), locale.toString(forecast.unserved, 'f', 0));
  QVERIFY2(forecast.savingPct > 1.5 && forecast.savingPct < oracle.savingPct, qPrintable(QString::number(forecast.savingPct)));

  // Share of the oracle's saving: in saved kWh against always-on.
  const double expected = 100.0 * (forecast.alwaysOnKWh - forecast.energyKWh) / (oracle.alwaysOnKWh - oracle.energyKWh);
  QCOMPARE(model.oracleShare(2), expected);
  QVERIFY(expected > 10.0 && expected < 100.0);
  QCOMPARE(model.oracleShare(3), 100.0);
  QCOMPARE(model.oracleShare(0), 0.0);
  QCOMPARE(text(2, SleepComparisonModel::OracleShare), locale.toString(expected, 'f', 1));
  QCOMPARE(text(3, SleepComparisonModel::OracleShare), locale.toString(100.0, 'f', 1));

  // Headers carry the units; numbers are right-aligned, labels left.
  QCOMPARE(model.headerData(SleepComparisonModel::Energy, Qt::Horizontal).toString(), QStringLiteral("Energy (kWh)"));
  QCOMPARE(model.headerData(SleepComparisonModel::Unserved, Qt::Horizontal).toString(), QStringLiteral("Unserved (MB)"));
  QCOMPARE(model.headerData(SleepComparisonModel::OracleShare, Qt::Horizontal).toString(), QStringLiteral("Share of oracle saving (%)"));
  QCOMPARE(model.data(model.index(1, SleepComparisonModel::Energy), Qt::TextAlignmentRole).toInt(), int(Qt::AlignRight | Qt::AlignVCenter));
  QCOMPARE(model.data(model.index(1, SleepComparisonModel::Policy), Qt::TextAlignmentRole).toInt(), int(Qt::AlignLeft | Qt::AlignVCenter));
  QCOMPARE(model.data(model.index(3, 0), SleepComparisonModel::PolicyRole).toInt(), int(SleepPolicy::Oracle));
  QVERIFY(!model.data(model.index(4, 0)).isValid());

  QCOMPARE(SleepComparisonModel::unservedUnit(QStringLiteral("MB/h")), QStringLiteral("MB"));
  QCOMPARE(SleepComparisonModel::unservedUnit(QStringLiteral("Erl")), QStringLiteral("Erl·h"));

  // CSV: a header and one row per policy, raw numbers.
  const QString csv = model.toCsv();
  const QStringList lines = csv.split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
  QCOMPARE(lines.size(), 5);
  QCOMPARE(lines[0], QStringLiteral("policy,label,quantile,energy_kwh,always_on_kwh,saving_pct,qoe_pct,unserved_MB,switches,"
                                    "sleep_station_hours,oracle_share_pct"));
  const QStringList row = lines[3].split(QLatin1Char(','));
  QCOMPARE(row[0], QStringLiteral("forecast"));
  QCOMPARE(row[2], QStringLiteral("0.9"));
  QCOMPARE(row[3].toDouble(), forecast.energyKWh);
  QCOMPARE(row[8].toInt(), forecast.switches);
  NETSPATIAL_COMPARE_NEAR(row[10].toDouble(), expected, 1e-9);
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("policies.csv"));
  QVERIFY2(model.saveCsv(path).ok(), qPrintable(errorText(model.saveCsv(path))));
  QFile file(path);
  QVERIFY(file.open(QIODevice::ReadOnly));
  QCOMPARE(QString::fromUtf8(file.readAll()), csv);
  QVERIFY(!model.saveCsv(dir.filePath(QStringLiteral("missing/policies.csv"))).ok());
}

void TestSleepStudyView::comparisonWithoutOracle() {
  Fixture f = makeFixture();
  f.study.outcomes.pop_back();
  SleepComparisonModel model;
  model.setOutcomes(f.study.outcomes, QString());
  QCOMPARE(model.rowCount(), 3);
  QVERIFY(std::isnan(model.oracleShare(2)));
  QCOMPARE(model.data(model.index(2, SleepComparisonModel::OracleShare)).toString(), QStringLiteral("—"));
  QVERIFY(!model.data(model.index(2, SleepComparisonModel::OracleShare), SleepComparisonModel::SortRole).isValid());
  // An oracle that saves nothing gives no share either, rather than a division by zero.
  core::ScheduleOutcome flat = f.study.outcomes[0];
  flat.policy = SleepPolicy::Oracle;
  QVERIFY(std::isnan(SleepComparisonModel::oracleShare(f.study.outcomes[2], flat)));
  model.clear();
  QCOMPARE(model.rowCount(), 0);
}

void TestSleepStudyView::powerPlotIsInKilowatts() {
  const Fixture f = makeFixture();
  SleepStudyView view;
  view.setStudy(f.study, f.ids, startUtc(), rome(), QStringLiteral("MB/h"));
  QCOMPARE(view.powerGraphs().size(), f.study.outcomes.size());
  QCOMPARE(view.qoeGraphs().size(), f.study.outcomes.size());
  for (std::size_t i = 0; i < f.study.outcomes.size(); ++i) {
    const core::ScheduleOutcome& o = f.study.outcomes[i];
    QCPGraph* g = view.powerGraphs()[i];
    QCOMPARE(g->dataCount(), kHours);
    QCOMPARE(g->keyAxis(), view.powerAxisRect()->axis(QCPAxis::atBottom));
    for (const int h : {0, 3, 100, 671}) {
      QCOMPARE(g->data()->at(h)->key, h + 0.5);
      QCOMPARE(g->data()->at(h)->value, o.powerW[std::size_t(h)] / 1000.0);
    }
    QCOMPARE(g->pen().color(), SleepStudyView::policyColour(o.policy));
    QVERIFY(g->name().startsWith(SleepComparisonModel::policyLabel(o)));
    QCPGraph* q = view.qoeGraphs()[i];
    QCOMPARE(q->keyAxis(), view.qoeAxisRect()->axis(QCPAxis::atBottom));
    QCOMPARE(q->data()->at(5)->value, 100.0 * o.qoeByHour[5]);
  }
  // Realistic: 30 macro stations draw 25–40 kW, and sleeping shows as night dips.
  const QCPRange power = view.powerAxisRect()->axis(QCPAxis::atLeft)->range();
  QVERIFY2(power.lower > 15.0 && power.upper < 45.0, qPrintable(QStringLiteral("%1–%2").arg(power.lower).arg(power.upper)));
  QVERIFY(f.study.outcomes[3].powerW[3] < f.study.outcomes[0].powerW[3] - 5000.0);
  QCOMPARE(view.powerAxisRect()->axis(QCPAxis::atLeft)->label(), QStringLiteral("Network power (kW)"));
  QCOMPARE(view.qoeAxisRect()->axis(QCPAxis::atLeft)->label(), QStringLiteral("QoE (%)"));
  QVERIFY(view.qoeAxisRect()->axis(QCPAxis::atBottom)->label().contains(QStringLiteral("Europe/Rome")));
  // The QoE axis shows the worst hour and the 99 % guide.
  const QCPRange qoe = view.qoeAxisRect()->axis(QCPAxis::atLeft)->range();
  QVERIFY(qoe.lower < 95.5 && qoe.upper > 100.0);
  // Only the power curves are in the legend: the QoE curves share their colours.
  QCOMPARE(view.powerPlot()->legend->itemCount(), 4);
}

void TestSleepStudyView::tradeoffPoints() {
  const Fixture f = makeFixture();
  SleepStudyView view;
  view.setStudy(f.study, f.ids, startUtc(), rome(), QStringLiteral("MB/h"));
  QCPCurve* curve = view.tradeoffCurve();
  QVERIFY(curve);
  QCOMPARE(curve->dataCount(), int(f.study.tradeoff.size()));
  QCOMPARE(int(view.tradeoffLabels().size()), int(f.study.tradeoff.size()));
  const QStringList expectedLabels = {"q=0.5", "q=0.6", "q=0.7", "q=0.8", "q=0.9", "q=0.95", "q=1"};
  for (int i = 0; i < curve->dataCount(); ++i) {
    const core::TradeoffPoint& p = f.study.tradeoff[std::size_t(i)];
    QCOMPARE(curve->data()->at(i)->key, 100.0 * p.qoe);
    QCOMPARE(curve->data()->at(i)->value, p.savingPct);
    QCOMPARE(view.tradeoffLabels()[std::size_t(i)]->text(), expectedLabels[i]);
    QCOMPARE(view.tradeoffLabels()[std::size_t(i)]->position->coords(), QPointF(100.0 * p.qoe, p.savingPct));
  }
  // Single points: always-on at 0 %, static night, oracle and the study's forecast.
  QCPGraph* alwaysOn = view.tradeoffMarker(SleepPolicy::AlwaysOn);
  QVERIFY(alwaysOn);
  QCOMPARE(alwaysOn->dataCount(), 1);
  QCOMPARE(alwaysOn->data()->at(0)->key, 100.0);
  QCOMPARE(alwaysOn->data()->at(0)->value, 0.0);
  for (const SleepPolicy policy : {SleepPolicy::StaticNight, SleepPolicy::Oracle, SleepPolicy::Forecast}) {
    QCPGraph* g = view.tradeoffMarker(policy);
    QVERIFY(g);
    const core::ScheduleOutcome* o =
        &*std::find_if(f.study.outcomes.begin(), f.study.outcomes.end(), [policy](const auto& x) { return x.policy == policy; });
    QCOMPARE(g->data()->at(0)->key, 100.0 * o->qoe);
    QCOMPARE(g->data()->at(0)->value, o->savingPct);
  }
  // The guide at QoE 99 %, inside the x range.
  bool guide = false;
  for (int i = 0; i < view.tradeoffPlot()->itemCount(); ++i)
    if (auto* line = qobject_cast<QCPItemStraightLine*>(view.tradeoffPlot()->item(i)))
      guide = guide || (line->point1->coords().x() == 99.0 && line->point2->coords().x() == 99.0);
  QVERIFY(guide);
  const QCPRange x = view.tradeoffPlot()->xAxis->range();
  QVERIFY(x.lower < 99.0 && x.upper > 100.0);
  QVERIFY(view.tradeoffPlot()->xAxis->label().contains(QStringLiteral("(%)")));
  QVERIFY(view.tradeoffPlot()->yAxis->label().contains(QStringLiteral("(%)")));

  // No trade-off points: no curve, markers still there.
  core::SleepStudy study = f.study;
  study.tradeoff.clear();
  view.setStudy(study, f.ids, startUtc(), rome(), QStringLiteral("MB/h"));
  QVERIFY(view.tradeoffCurve() == nullptr);
  QVERIFY(view.tradeoffLabels().empty());
  QVERIFY(view.tradeoffMarker(SleepPolicy::Oracle));
}

void TestSleepStudyView::emptyState() {
  SleepStudyView view;
  QVERIFY(view.showsEmptyState());
  QVERIFY(!view.hasData());
  QCOMPARE(view.emptyLabel()->text(), QStringLiteral("Run a sleep study (Operations ▸ Sleep scheduling…)"));
  QVERIFY(view.renderTab(SleepStudyView::PowerTab, QSize(400, 300), 96.0).isNull());
  QTemporaryDir dir;
  const auto refused = view.saveTabPng(0, dir.filePath(QStringLiteral("x.png")), 400, 300);
  QVERIFY(!refused.ok());
  QVERIFY(refused.error().message().contains(QStringLiteral("nothing to export")));

  const Fixture f = makeFixture();
  view.setStudy(f.study, f.ids, startUtc(), rome(), QStringLiteral("MB/h"));
  QVERIFY(!view.showsEmptyState());
  QCOMPARE(view.comparisonModel()->rowCount(), 4);
  QCOMPARE(view.comparisonTable()->model(), view.comparisonModel());
  QVERIFY(!view.notesLabel()->isHidden());
  QCOMPARE(view.tabs()->count(), int(SleepStudyView::TabCount));
  QCOMPARE(view.tabs()->tabText(SleepStudyView::ComparisonTab), QStringLiteral("Comparison"));

  view.clear();
  QVERIFY(view.showsEmptyState());
  QCOMPARE(view.comparisonModel()->rowCount(), 0);
  QVERIFY(view.powerGraphs().empty());
  QVERIFY(view.tradeoffCurve() == nullptr);
  QVERIFY(!view.timeline()->hasData());
}

void TestSleepStudyView::scheduleComboSwitchesTheTimeline() {
  const Fixture f = makeFixture();
  SleepStudyView view;
  view.setStudy(f.study, f.ids, startUtc(), rome(), QStringLiteral("MB/h"));
  QCOMPARE(view.timelineSchedule(), SleepStudyView::TimelineSchedule::Forecast);
  QCOMPARE(view.scheduleCombo()->currentText(), SleepComparisonModel::policyLabel(f.study.outcomes[2]));
  // S5 (index 4) never sleeps under the forecast, but does under the oracle.
  QCOMPARE(view.timeline()->cellValue(4, 3), double(SleepTimeline::Awake));
  view.scheduleCombo()->setCurrentIndex(1);
  QCOMPARE(view.timelineSchedule(), SleepStudyView::TimelineSchedule::Oracle);
  QCOMPARE(view.timeline()->cellValue(4, 3), double(SleepTimeline::Asleep));
  QCOMPARE(view.timeline()->asleepStationHours(), f.study.outcomes[3].sleepStationHours);
  QVERIFY(view.timeline()->title().startsWith(core::sleepPolicyLabel(SleepPolicy::Oracle)));

  // A study without an oracle schedule: the item is disabled and the forecast is shown.
  core::SleepStudy study = f.study;
  study.oracleSchedule = core::SleepSchedule();
  view.setStudy(study, f.ids, startUtc(), rome(), QStringLiteral("MB/h"));
  QCOMPARE(view.timelineSchedule(), SleepStudyView::TimelineSchedule::Forecast);
  QCOMPARE(view.timeline()->asleepStationHours(), f.study.outcomes[2].sleepStationHours);
}

void TestSleepStudyView::exportsEveryTab() {
  const Fixture f = makeFixture();
  SleepStudyView view;
  view.resize(1000, 700);
  view.setStudy(f.study, f.ids, startUtc(), rome(), QStringLiteral("MB/h"));
  QTemporaryDir dir;
  const char* names[] = {"timeline", "power", "tradeoff", "comparison"};
  for (int tab = 0; tab < SleepStudyView::TabCount; ++tab) {
    const QString path = dir.filePath(QStringLiteral("%1.png").arg(names[tab]));
    const auto saved = view.saveTabPng(tab, path, 1400, 800, 96.0);
    QVERIFY2(saved.ok(), qPrintable(errorText(saved)));
    QImageReader reader(path);
    QCOMPARE(reader.size(), QSize(1400, 800));
    QImage image;
    QVERIFY(image.load(path));
    dump(image, QString::fromLatin1(names[tab]));
  }
  // What each picture must show.
  const QImage timeline = view.renderTab(SleepStudyView::TimelineTab, QSize(1400, 800), 96.0);
  QVERIFY(pixelsNear(timeline, SleepTimeline::stateColour(SleepTimeline::Asleep), 2) > 5000);
  QVERIFY(pixelsNear(timeline, SleepTimeline::stateColour(SleepTimeline::Absorbing), 2) > 2000);
  const QImage power = view.renderTab(SleepStudyView::PowerTab, QSize(1400, 800), 96.0);
  for (const SleepPolicy p : {SleepPolicy::AlwaysOn, SleepPolicy::StaticNight, SleepPolicy::Forecast, SleepPolicy::Oracle})
    QVERIFY2(pixelsNear(power, SleepStudyView::policyColour(p), 10) > 200, qPrintable(core::sleepPolicyName(p)));
  const QImage table = view.renderTab(SleepStudyView::ComparisonTab, QSize(1400, 800), 96.0);
  QCOMPARE(table.size(), QSize(1400, 800));
  QVERIFY(pixelsNear(table, Qt::black, 60) > 500);  // text was drawn

  // Small: the station labels thin out instead of overlapping.
  dump(view.renderTab(SleepStudyView::TimelineTab, QSize(800, 360), 96.0), QStringLiteral("timeline-small"));

  // Higher DPI: the same pixel size, the DPI recorded.
  const QString hiDpi = dir.filePath(QStringLiteral("power-200dpi.png"));
  QVERIFY(view.saveTabPng(SleepStudyView::PowerTab, hiDpi, 1400, 800, 200.0).ok());
  QImage hi;
  QVERIFY(hi.load(hiDpi));
  QCOMPARE(hi.size(), QSize(1400, 800));
  QCOMPARE(hi.dotsPerMeterX(), int(std::lround(200.0 / 0.0254)));
  const QString tableDpi = dir.filePath(QStringLiteral("table-150dpi.png"));
  QVERIFY(view.saveTabPng(SleepStudyView::ComparisonTab, tableDpi, 900, 500, 150.0).ok());
  QCOMPARE(QImageReader(tableDpi).size(), QSize(900, 500));

  // Refusals name the problem and the file.
  auto badTab = view.saveTabPng(7, dir.filePath(QStringLiteral("x.png")), 400, 300);
  QVERIFY(!badTab.ok());
  QVERIFY(badTab.error().message().contains(QStringLiteral("no tab 7")));
  auto noFolder = view.saveTabPng(SleepStudyView::ComparisonTab, dir.filePath(QStringLiteral("missing/x.png")), 400, 300);
  QVERIFY(!noFolder.ok());
  QCOMPARE(noFolder.error().context().file, dir.filePath(QStringLiteral("missing/x.png")));
  QVERIFY(!view.saveTabPng(SleepStudyView::PowerTab, dir.filePath(QStringLiteral("big.png")), 50000, 300).ok());
  QVERIFY(view.renderTab(SleepStudyView::TradeoffTab, QSize(0, 300), 96.0).isNull());

  // The export leaves the widgets as they were: still one graph per outcome.
  QCOMPARE(view.powerGraphs().size(), f.study.outcomes.size());

  // The whole widget, as a user sees it.
  view.resize(1400, 800);
  view.show();
  QVERIFY(QTest::qWaitForWindowExposed(&view));
  for (int tab = 0; tab < SleepStudyView::TabCount; ++tab) {
    view.tabs()->setCurrentIndex(tab);
    // The tab's plots replot on the next turn of the event loop once shown (ui::replotWhenVisible).
    QTRY_VERIFY(tests::visiblePlotsDrawn(view.tabs()->currentWidget()));
    dump(view.grab().toImage(), QStringLiteral("widget-%1").arg(QString::fromLatin1(names[tab])));
  }
}

void TestSleepStudyView::sleepHoursLayer() {
  const Fixture f = makeFixture();
  const core::Crs crs = *core::Crs::fromEpsg(32632);
  // Stations on a 6 × 5 grid, 400 m apart, near Milan.
  std::vector<core::PointXY> positions;
  for (int s = 0; s < kStations; ++s) positions.push_back({500000.0 + 400.0 * (s % 6), 5030000.0 + 400.0 * (s / 6)});
  const std::vector<int> hours = ui::SleepHoursLayer::sleepHoursOf(f.study.oracleSchedule);
  QCOMPARE(int(hours.size()), kStations);
  QCOMPARE(hours[0], 0);
  QCOMPARE(hours[1], 20 * 5 + 8 * 6);  // 20 weekday nights of 5 h, 8 weekend nights of 6 h
  ui::SleepHoursLayer layer(positions, f.ids, hours, kHours, crs, QStringLiteral("Oracle"));
  QVERIFY(layer.setMapCrs(crs).ok());
  QCOMPARE(layer.stationCount(), kStations);
  QCOMPARE(layer.maximumHours(), 148);
  QCOMPARE(layer.name(), QStringLiteral("Sleep hours — Oracle"));

  // More sleep, darker: the ramp's lightness falls all the way.
  for (int i = 1; i <= 20; ++i)
    QVERIFY(ui::SleepHoursLayer::rampColor(i / 20.0).lightness() < ui::SleepHoursLayer::rampColor((i - 1) / 20.0).lightness());
  QCOMPARE(layer.colourOf(0), ui::SleepHoursLayer::rampColor(0.0));
  QCOMPARE(layer.colourOf(1), ui::SleepHoursLayer::rampColor(1.0));

  // Tooltips by nearest station within the tolerance.
  QCOMPARE(layer.toolTipFor(1), QStringLiteral("S2 — asleep 148 of 672 h"));
  QCOMPARE(layer.toolTipAt({500000.0 + 400.0 + 3.0, 5030000.0 - 2.0}, 10.0), QStringLiteral("S2 — asleep 148 of 672 h"));
  QCOMPARE(layer.toolTipAt({500000.0, 5030000.0}, 10.0), QStringLiteral("S1 — asleep 0 of 672 h"));
  QVERIFY(layer.toolTipAt({500200.0, 5030200.0}, 10.0).isEmpty());

  const auto legend = layer.legend();
  QCOMPARE(int(legend.size()), 5);
  QCOMPARE(legend.front().label, QStringLiteral("148 h asleep (most, of 672 h)"));
  QCOMPARE(legend.back().label, QStringLiteral("0 h"));
  QCOMPARE(legend.front().color, ui::SleepHoursLayer::rampColor(1.0));
  QCOMPARE(legend.back().color, ui::SleepHoursLayer::rampColor(0.0));

  // Painted: each circle's centre has its colour.
  ui::MapView view({500000.0 + 1000.0, 5030000.0 + 800.0}, 5.0, QSizeF(600, 400));
  QImage image(600, 400, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::white);
  {
    QPainter painter(&image);
    layer.paint(painter, view);
  }
  for (int s : {0, 1, 4}) {
    const QPointF p = view.toPixel(positions[std::size_t(s)]);
    QCOMPARE(image.pixelColor(p.toPoint()).rgb(), layer.colourOf(s).rgb());
  }
  dump(image, QStringLiteral("layer"));

  // Hours spread over the ramp: a station that sleeps more is always drawn darker; zoomed in, labels.
  std::vector<int> spread;
  for (int s = 0; s < kStations; ++s) spread.push_back((s * 53) % 181);
  ui::SleepHoursLayer ramp(positions, f.ids, spread, kHours, crs, QStringLiteral("Forecast-driven (q=0.9)"));
  for (int a = 0; a < kStations; ++a)
    for (int b = 0; b < kStations; ++b)
      if (spread[std::size_t(a)] < spread[std::size_t(b)]) QVERIFY(ramp.colourOf(a).lightness() > ramp.colourOf(b).lightness());
  QVERIFY(ramp.description().contains(QStringLiteral("Forecast-driven (q=0.9)")));
  ui::MapView close({500000.0 + 1000.0, 5030000.0 + 800.0}, 3.0, QSizeF(900, 700));
  QImage zoomed(900, 700, QImage::Format_ARGB32_Premultiplied);
  zoomed.fill(QColor(236, 233, 224));
  {
    QPainter painter(&zoomed);
    ramp.paint(painter, close);
  }
  dump(zoomed, QStringLiteral("layer-ramp"));

  // Nothing to draw: no crash, no legend.
  ui::SleepHoursLayer none({}, {}, {}, 0, crs);
  QVERIFY(none.legend().empty());
  QPainter painter(&image);
  none.paint(painter, view);
  QVERIFY(none.toolTipAt({0, 0}, 10.0).isEmpty());
  // Nobody sleeps: one legend entry saying so.
  ui::SleepHoursLayer awake(positions, f.ids, std::vector<int>(kStations, 0), kHours, crs);
  QCOMPARE(int(awake.legend().size()), 1);
}

QTEST_MAIN(TestSleepStudyView)
#include "tst_sleepstudyview.moc"
