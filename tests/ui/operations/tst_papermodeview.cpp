// Paper-mode view (issue 7; paper 003 §5.3.2, Eq. 19–20): for 30 stations with daily cycles over
// four weeks from Monday 1 January 2024 in Rome, what the plot holds (observed, generated and
// control curves, the volatile shading hour by hour, the adjustment split into reductions and
// increases), the η/QoE labels, the station combo, the empty state and the PNG export.
// The paper-mode result is built here by hand (the rolling-σ rule), not by core::paperMode.
// With NETSPATIAL_OPS_SCREENSHOT=<folder> it also saves a grab of the view and an export.

#include "ui/operations/papermodeview.h"

#include "core/operations/papermode.h"
#include "ui/inspector/localtimeticker.h"

#include "tests/eventwait.h"

#include <QComboBox>
#include <QDir>
#include <QImageReader>
#include <QLabel>
#include <QLocale>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include "ui/inspector/customplot.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

using namespace netspatial::core;
using netspatial::ui::LocalTimeTicker;
using netspatial::ui::PaperModeView;

namespace {

constexpr int kStations = 30;
constexpr int kHours = 672;
const QTimeZone kRome(QByteArrayLiteral("Europe/Rome"));

// Monday 1 January 2024, 00:00 in Rome (UTC+1 in winter).
QDateTime startUtc() { return QDateTime(QDate(2023, 12, 31), QTime(23, 0), QTimeZone::utc()); }

struct Fixture {
  std::vector<QString> ids;
  std::vector<std::vector<double>> observed, generated;
  PaperModeResult result;
};

// A daily cycle (low at 04:00, high in the evening), quieter weekends, per-station scale; observed
// with noise and a few bursts, generated smooth and a little lower: what a generator's mean does.
Fixture fixture() {
  Fixture f;
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0.0, 1.0);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (int s = 0; s < kStations; ++s) {
    f.ids.push_back(QStringLiteral("BS-%1").arg(s + 1, 3, 10, QLatin1Char('0')));
    const double scale = 0.35 + 0.5 * uniform(rng);
    const double evening = 18.0 + 4.0 * uniform(rng);
    std::vector<double> obs(kHours), gen(kHours);
    for (int t = 0; t < kHours; ++t) {
      const int hour = t % 24, day = (t / 24) % 7;
      const double weekend = day >= 5 ? 0.75 : 1.0;
      const double shape = 0.12 + 0.88 * 0.5 * (1.0 - std::cos(2.0 * std::numbers::pi * (hour - 4.0) / 24.0)) *
                                      (0.8 + 0.2 * std::exp(-0.5 * std::pow((hour - evening) / 2.0, 2.0)));
      const double base = scale * weekend * shape;
      double o = base * (1.0 + 0.08 * noise(rng));
      if (uniform(rng) < 0.03) o *= 1.5 + 0.5 * uniform(rng);  // a burst: an event, a handover storm
      obs[std::size_t(t)] = std::max(0.0, o);
      gen[std::size_t(t)] = 0.92 * base;
    }
    f.observed.push_back(std::move(obs));
    f.generated.push_back(std::move(gen));
  }

  // Paper mode by hand: trailing 6 h σ of the observed load, volatile above its 0.8 quantile.
  double netObs = 0.0, netCtrl = 0.0, netShort = 0.0;
  for (int s = 0; s < kStations; ++s) {
    const auto& obs = f.observed[std::size_t(s)];
    const auto& gen = f.generated[std::size_t(s)];
    std::vector<double> sigma(kHours, std::nan(""));
    std::vector<double> known;
    for (int t = 5; t < kHours; ++t) {
      double m = 0.0, m2 = 0.0;
      for (int k = t - 5; k <= t; ++k) {
        m += obs[std::size_t(k)];
        m2 += obs[std::size_t(k)] * obs[std::size_t(k)];
      }
      m /= 6.0;
      sigma[std::size_t(t)] = std::sqrt(std::max(0.0, m2 / 6.0 - m * m));
      known.push_back(sigma[std::size_t(t)]);
    }
    std::sort(known.begin(), known.end());
    const double cut = known[std::size_t(0.8 * double(known.size() - 1))];
    PaperModeStation st;
    st.control = obs;
    st.isVolatile.assign(kHours, 0);
    double so = 0.0, sc = 0.0, sh = 0.0;
    for (int t = 0; t < kHours; ++t) {
      if (std::isfinite(sigma[std::size_t(t)]) && sigma[std::size_t(t)] > cut) {
        st.isVolatile[std::size_t(t)] = 1;
        st.control[std::size_t(t)] = gen[std::size_t(t)];
        ++st.volatileHours;
      }
      so += obs[std::size_t(t)];
      sc += st.control[std::size_t(t)];
      sh += std::max(0.0, obs[std::size_t(t)] - st.control[std::size_t(t)]);
    }
    st.eta = 1.0 - sc / so;
    st.qoe = 1.0 - sh / so;
    netObs += so;
    netCtrl += sc;
    netShort += sh;
    f.result.stations.push_back(std::move(st));
  }
  f.result.eta = 1.0 - netCtrl / netObs;
  f.result.qoe = 1.0 - netShort / netObs;
  return f;
}

void show(PaperModeView& view, const Fixture& f, const QString& unit = QStringLiteral("utilisation")) {
  view.setResult(f.result, f.ids, f.observed, f.generated, startUtc(), kRome, unit);
}

double localMidnightKey(QDate date) { return double(QDateTime(date, QTime(0, 0), QTimeZone::utc()).toSecsSinceEpoch()); }

}  // namespace

class TestPaperModeView : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

  void emptyState() {
    PaperModeView view;
    QVERIFY(view.showsEmptyState());
    QVERIFY(!view.hasData());
    QCOMPARE(view.currentStation(), -1);
    // The note on what η means is there before any result too: it is what the user reads first.
    QVERIFY(view.explanationLabel()->isVisibleTo(&view));
    QVERIFY(!view.savePng(QDir::temp().filePath(QStringLiteral("never.png")), 100, 100).ok());
  }

  void graphsHoldTheStation() {
    const Fixture f = fixture();
    PaperModeView view;
    show(view, f);
    QVERIFY(!view.showsEmptyState());
    QCOMPARE(view.stationCount(), kStations);
    QCOMPARE(view.stationCombo()->count(), kStations);
    QCOMPARE(view.stationCombo()->itemText(0), QStringLiteral("BS-001"));
    QCOMPARE(view.currentStation(), 0);

    for (int s : {0, 17}) {
      view.setStation(s);
      QCOMPARE(view.currentStationId(), f.ids[std::size_t(s)]);
      const PaperModeStation& st = f.result.stations[std::size_t(s)];
      QCOMPARE(view.observedGraph()->dataCount(), kHours);
      QCOMPARE(view.generatedGraph()->dataCount(), kHours);
      QCOMPARE(view.controlGraph()->dataCount(), kHours);
      for (int t = 0; t < kHours; ++t) {
        const double mid = 0.5 * (view.keyOfHour(t) + view.keyOfHour(t + 1));
        QCOMPARE(view.observedGraph()->data()->at(t)->key, mid);
        QCOMPARE(view.observedGraph()->data()->at(t)->value, f.observed[std::size_t(s)][std::size_t(t)]);
        QCOMPARE(view.generatedGraph()->data()->at(t)->value, f.generated[std::size_t(s)][std::size_t(t)]);
        QCOMPARE(view.controlGraph()->data()->at(t)->value, st.control[std::size_t(t)]);
      }
    }
    // Hour 0 is local midnight of Monday 1 January in Rome, whatever the machine's zone.
    QCOMPARE(view.keyOfHour(0), localMidnightKey(QDate(2024, 1, 1)));
    QCOMPARE(view.keyOfHour(24 * 7), localMidnightKey(QDate(2024, 1, 8)));
    // The axis shows the four weeks.
    QCOMPARE(view.loadRect()->axis(QCPAxis::atBottom)->range().lower, view.keyOfHour(0));
    QCOMPARE(view.loadRect()->axis(QCPAxis::atBottom)->range().upper, view.keyOfHour(kHours));
    QCOMPARE(view.adjustmentRect()->axis(QCPAxis::atBottom)->range(), view.loadRect()->axis(QCPAxis::atBottom)->range());
  }

  void volatileShadingMatchesTheWindows() {
    const Fixture f = fixture();
    PaperModeView view;
    show(view, f);
    for (int s : {0, 9, 29}) {
      view.setStation(s);
      const PaperModeStation& st = f.result.stations[std::size_t(s)];
      QVERIFY(st.volatileHours > 20);  // the fixture has windows to shade
      const QCPGraph* shade = view.volatileGraph();
      QCOMPARE(shade->lineStyle(), QCPGraph::lsStepLeft);
      QVERIFY(shade->brush().style() != Qt::NoBrush);
      QCOMPARE(shade->dataCount(), kHours + 1);  // and a closing point at the end of the last hour
      int shaded = 0;
      for (int t = 0; t < kHours; ++t) {
        QCOMPARE(shade->data()->at(t)->key, view.keyOfHour(t));
        QCOMPARE(shade->data()->at(t)->value, st.isVolatile[std::size_t(t)] ? 1.0 : 0.0);
        shaded += shade->data()->at(t)->value > 0.5;
      }
      QCOMPARE(shaded, st.volatileHours);
      // The shading spans the load plot's full height on its own axis.
      QCOMPARE(shade->valueAxis()->range().lower, 0.0);
      QCOMPARE(shade->valueAxis()->range().upper, 1.0);
      // In a volatile hour the control target is the generated load, elsewhere the observed one.
      for (int t = 0; t < kHours; ++t) {
        const double expected =
            st.isVolatile[std::size_t(t)] ? f.generated[std::size_t(s)][std::size_t(t)] : f.observed[std::size_t(s)][std::size_t(t)];
        QCOMPARE(view.controlGraph()->data()->at(t)->value, expected);
      }
    }
  }

  void adjustmentSplitsReductionsAndIncreases() {
    const Fixture f = fixture();
    PaperModeView view;
    show(view, f, QStringLiteral("MB/h"));
    view.setStation(4);
    const PaperModeStation& st = f.result.stations[4];
    int reductions = 0, increases = 0;
    double reduced = 0.0, increased = 0.0;
    for (int t = 0; t < kHours; ++t) {
      const double d = st.control[std::size_t(t)] - f.observed[4][std::size_t(t)];
      QCOMPARE(view.reductionGraph()->data()->at(t)->value, std::min(d, 0.0));
      QCOMPARE(view.increaseGraph()->data()->at(t)->value, std::max(d, 0.0));
      reductions += d < 0.0;
      increases += d > 0.0;
      (d < 0.0 ? reduced : increased) += d;
    }
    QVERIFY(reductions > 0);
    QVERIFY(increases > 0);
    // Reductions below zero, increases above, on an axis symmetric about zero.
    const QCPRange y = view.adjustmentRect()->axis(QCPAxis::atLeft)->range();
    QCOMPARE(y.lower, -y.upper);
    QVERIFY(view.reductionGraph()->brush().color() != view.increaseGraph()->brush().color());
    // Units on every axis; a rate summed over hours is a volume.
    QCOMPARE(view.loadRect()->axis(QCPAxis::atLeft)->label(), QStringLiteral("Load ρ (MB/h)"));
    QCOMPARE(view.adjustmentRect()->axis(QCPAxis::atLeft)->label(), QStringLiteral("ρ_ctrl − ρ_obs (MB/h)"));
    QCOMPARE(view.adjustmentRect()->axis(QCPAxis::atBottom)->label(), QStringLiteral("Local time (Europe/Rome)"));
    const QString details = view.detailsLabel()->text();
    QVERIFY2(details.contains(QStringLiteral("Volatile: %1 of 672 h").arg(st.volatileHours)), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral(" MB")) && !details.contains(QStringLiteral("MB/h")), qPrintable(details));
  }

  void metricsLabels() {
    QCOMPARE(PaperModeView::metricsText(0.123, 0.876, 0.041, 0.95),
             QStringLiteral("η = 12.3 %, QoE = 87.6 % (station) · network η = 4.1 %, QoE = 95.0 %"));
    QCOMPARE(PaperModeView::percentText(-0.0), QStringLiteral("0.0 %"));
    QCOMPARE(PaperModeView::percentText(std::nan("")), QStringLiteral("—"));

    // A result with known figures: the label shows the current station's and the network's.
    const Fixture f = fixture();
    PaperModeResult r = f.result;
    r.stations[0].eta = 0.123;
    r.stations[0].qoe = 0.876;
    r.stations[1].eta = -0.02;
    r.stations[1].qoe = 1.0;
    r.eta = 0.041;
    r.qoe = 0.95;
    PaperModeView view;
    view.setResult(r, f.ids, f.observed, f.generated, startUtc(), kRome, QStringLiteral("utilisation"));
    QCOMPARE(view.metricsLabel()->text(), QStringLiteral("η = 12.3 %, QoE = 87.6 % (station) · network η = 4.1 %, QoE = 95.0 %"));
    view.setStation(1);
    QCOMPARE(view.metricsLabel()->text(), QStringLiteral("η = -2.0 %, QoE = 100.0 % (station) · network η = 4.1 %, QoE = 95.0 %"));

    // The fixture obeys the bound the explanation states: η ≤ 1 − QoE.
    for (const PaperModeStation& st : f.result.stations) QVERIFY(st.eta <= 1.0 - st.qoe + 1e-12);
    const QString explanation = view.explanationLabel()->text();
    QVERIFY(explanation.contains(QStringLiteral("Eq. 19–20")));
    QVERIFY(explanation.contains(QStringLiteral("η ≤ 1 − QoE always")));
    QVERIFY(explanation.contains(QStringLiteral("It is not a sleep schedule's saving")));
  }

  void stationComboAndSignals() {
    const Fixture f = fixture();
    PaperModeView view;
    QSignalSpy changed(&view, &PaperModeView::stationChanged);
    show(view, f);
    view.setStation(3);
    QVERIFY(view.setStation(QStringLiteral("BS-010")));
    QCOMPARE(view.currentStation(), 9);
    QVERIFY(!view.setStation(QStringLiteral("nope")));
    view.setStation(99);  // ignored
    QCOMPARE(view.currentStation(), 9);
    QCOMPARE(changed.count(), 0);  // only the user's picks are signalled
    view.stationCombo()->setCurrentIndex(12);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().first().toInt(), 12);
    QCOMPARE(view.observedGraph()->data()->at(0)->value, f.observed[12][0]);

    // A new result keeps the station when it is still there.
    show(view, f);
    QCOMPARE(view.currentStationId(), QStringLiteral("BS-013"));
    // Inputs of different lengths: only the stations every input has.
    std::vector<QString> fewerIds(f.ids.begin(), f.ids.begin() + 10);
    view.setResult(f.result, fewerIds, f.observed, f.generated, startUtc(), kRome, QString());
    QCOMPARE(view.stationCount(), 10);
    QCOMPARE(view.currentStation(), 0);
    QCOMPARE(view.loadRect()->axis(QCPAxis::atLeft)->label(), QStringLiteral("Load ρ (unit not given)"));

    view.clear();
    QVERIFY(view.showsEmptyState());
    QCOMPARE(view.stationCombo()->count(), 0);
    QCOMPARE(view.observedGraph()->dataCount(), 0);
    QVERIFY(view.metricsLabel()->text().isEmpty());
  }

  void timeAxesMoveTogether() {
    const Fixture f = fixture();
    PaperModeView view;
    show(view, f);
    QCPAxis* load = view.loadRect()->axis(QCPAxis::atBottom);
    QCPAxis* adjust = view.adjustmentRect()->axis(QCPAxis::atBottom);
    // Zooming the adjustment plot to a week moves the load plot with it.
    adjust->setRange(view.keyOfHour(48), view.keyOfHour(48 + 168));
    QCOMPARE(load->range(), adjust->range());
    QCOMPARE(load->range().lower, view.keyOfHour(48));
    // Dragged past the end, both stop at the last hour.
    load->setRange(view.keyOfHour(600), view.keyOfHour(600 + 168));
    QCOMPARE(load->range().upper, view.keyOfHour(kHours));
    QCOMPARE(adjust->range(), load->range());
    // Zoomed out past the data, both show all of it.
    load->setRange(view.keyOfHour(-1000), view.keyOfHour(2000));
    QCOMPARE(adjust->range().lower, view.keyOfHour(0));
    QCOMPARE(adjust->range().upper, view.keyOfHour(kHours));
  }

  void springForwardGap() {
    // Sunday 31 March 2024: 02:00 does not exist in Rome; the local axis jumps over it.
    Fixture f = fixture();
    PaperModeView view;
    const QDateTime start(QDate(2024, 3, 30), QTime(23, 0), QTimeZone::utc());  // 31 March 00:00 CET
    view.setResult(f.result, f.ids, f.observed, f.generated, start, kRome, QStringLiteral("utilisation"));
    QCOMPARE(view.keyOfHour(1) - view.keyOfHour(0), 3600.0);
    QCOMPARE(view.keyOfHour(2) - view.keyOfHour(1), 7200.0);  // 01:00 CET → 03:00 CEST
    QCOMPARE(view.keyOfHour(2), localMidnightKey(QDate(2024, 3, 31)) + 3.0 * 3600.0);
  }

  void pngExport() {
    const Fixture f = fixture();
    PaperModeView view;
    show(view, f);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("paper.png"));
    const auto saved = view.savePng(path, 1500, 800, 150.0);
    QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().message()));
    QImageReader reader(path);
    QCOMPARE(reader.size(), QSize(1500, 800));
    const QImage image = reader.read();
    QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), 150);
    // The curves are drawn, not a blank page: the observed blue is there.
    int blue = 0;
    for (int y = 0; y < image.height(); y += 2)
      for (int x = 0; x < image.width(); x += 2) {
        const QColor c = image.pixelColor(x, y);
        blue += std::abs(c.red() - 31) < 30 && std::abs(c.green() - 119) < 30 && std::abs(c.blue() - 180) < 30;
      }
    QVERIFY2(blue > 200, qPrintable(QString::number(blue)));
    QVERIFY(!view.savePng(dir.filePath(QStringLiteral("missing/paper.png")), 800, 600).ok());
    QVERIFY(!view.savePng(path, 0, 600).ok());
  }

  void screenshot() {
    const QString folder = qEnvironmentVariable("NETSPATIAL_OPS_SCREENSHOT");
    if (folder.isEmpty()) QSKIP("set NETSPATIAL_OPS_SCREENSHOT=<folder> to save grabs");
    const Fixture f = fixture();
    PaperModeView view;
    show(view, f);
    // The station with the most reduction, as the paper would pick.
    int best = 0;
    for (int s = 0; s < kStations; ++s)
      if (f.result.stations[std::size_t(s)].eta > f.result.stations[std::size_t(best)].eta) best = s;
    view.setStation(best);
    view.resize(1400, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    // The plot replots on the next turn of the event loop once shown (ui::replotWhenVisible).
    QTRY_VERIFY(!netspatial::ui::replotPending(view.plot()));
    QVERIFY(view.grab().save(QDir(folder).filePath(QStringLiteral("opsset-paper.png"))));
    QVERIFY(view.savePng(QDir(folder).filePath(QStringLiteral("opsset-paper-export.png")), 1800, 1000, 150.0).ok());
    // One week zoomed in, to see the hours.
    view.loadRect()->axis(QCPAxis::atBottom)->setRange(view.keyOfHour(0), view.keyOfHour(7 * 24));
    view.plot()->replot();
    QVERIFY(view.grab().save(QDir(folder).filePath(QStringLiteral("opsset-paper-week.png"))));
    view.clear();
    QVERIFY(view.grab().save(QDir(folder).filePath(QStringLiteral("opsset-paper-empty.png"))));
  }
};

QTEST_MAIN(TestPaperModeView)
#include "tst_papermodeview.moc"
