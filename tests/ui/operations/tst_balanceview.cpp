// Load-balancing view (issue 7): for balancing results built by hand (60 stations, some above an
// 80 % threshold), the headline, the paired bars (highest peak before first, the top 40), the
// threshold line, the table's values, units and sort order, the empty states, the link to the map
// and the PNG export. With NETSPATIAL_OPS_SCREENSHOT=<folder> it also saves a grab of the view.

#include "ui/operations/balanceview.h"

#include "core/operations/loadbalancer.h"
#include "ui/operations/balancetablemodel.h"
#include "ui/operations/loadformat.h"

#include "tests/eventwait.h"

#include <QColor>
#include <QDir>
#include <QImageReader>
#include <QLabel>
#include <QLocale>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "ui/inspector/customplot.h"

#include <algorithm>
#include <numeric>
#include <random>

using namespace netspatial::core;
using netspatial::ui::BalanceTableModel;
using netspatial::ui::BalanceView;

namespace {

constexpr double kThreshold = 0.8;

// `count` stations "BS-1" … with peaks from 0.3 to 1.3 in a shuffled order; those above the
// threshold shed to the ones below, whose peaks rise a little.
BalanceResult fixture(int count = 60) {
  BalanceResult r;
  std::mt19937 rng(3);
  std::vector<double> peaks(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) peaks[std::size_t(i)] = 0.3 + 1.0 * i / std::max(1, count - 1);
  std::shuffle(peaks.begin(), peaks.end(), rng);
  for (int i = 0; i < count; ++i) {
    BalancedStation s;
    s.id = QStringLiteral("BS-%1").arg(i + 1);
    s.peakBefore = peaks[std::size_t(i)];
    if (s.peakBefore > kThreshold) {
      s.peakAfter = std::max(kThreshold, s.peakBefore - 0.35);  // the very hottest stay above
      s.hoursOverBefore = int(100 * (s.peakBefore - kThreshold)) + 3;
      s.hoursOverAfter = s.peakAfter > kThreshold ? 2 : 0;
      s.shed = 40.0 * (s.peakBefore - s.peakAfter) * s.hoursOverBefore;
    } else {
      s.peakAfter = std::min(kThreshold, s.peakBefore + 0.05);
      s.absorbed = i % 3 == 0 ? 0.0 : 12.5 * (i % 7 + 1);
    }
    r.stations.push_back(s);
  }
  for (const BalancedStation& s : r.stations) {
    r.networkPeakBefore = std::max(r.networkPeakBefore, s.peakBefore);
    r.networkPeakAfter = std::max(r.networkPeakAfter, s.peakAfter);
    r.meanPeakBefore += s.peakBefore / count;
    r.meanPeakAfter += s.peakAfter / count;
    r.stationHoursOverBefore += s.hoursOverBefore;
    r.stationHoursOverAfter += s.hoursOverAfter;
    r.moved += s.shed;
  }
  r.notes << QStringLiteral("BS-7: above the threshold with no neighbour within 500 m");
  return r;
}

std::vector<int> byPeakBefore(const BalanceResult& r) {
  std::vector<int> order(r.stations.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return r.stations[std::size_t(a)].peakBefore > r.stations[std::size_t(b)].peakBefore; });
  return order;
}

QString cell(const QAbstractItemModel* m, int row, int column, int role = Qt::DisplayRole) {
  return m->data(m->index(row, column), role).toString();
}

}  // namespace

class TestBalanceView : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

  void emptyStates() {
    BalanceView view;
    QVERIFY(view.showsEmptyState());
    QVERIFY(!view.hasData());
    QVERIFY(view.emptyLabel()->text().contains(QStringLiteral("Run load balancing")));
    QVERIFY(!view.savePng(QDir::temp().filePath(QStringLiteral("never.png")), 100, 100).ok());
    // A result without stations says so, rather than drawing empty axes.
    view.setResult(BalanceResult{}, kThreshold, QStringLiteral("MB/h"));
    QVERIFY(view.showsEmptyState());
    QVERIFY(view.emptyLabel()->text().contains(QStringLiteral("no stations")));
    QCOMPARE(view.beforeBars()->dataCount(), 0);
    view.setResult(fixture(), kThreshold, QStringLiteral("MB/h"));
    QVERIFY(!view.showsEmptyState());
    view.clear();
    QVERIFY(view.showsEmptyState());
    QCOMPARE(view.model()->rowCount(), 0);
    QCOMPARE(view.beforeBars()->dataCount(), 0);
    QVERIFY(view.plottedStations().isEmpty());
  }

  void headline() {
    BalanceResult r;
    r.networkPeakBefore = 1.124;
    r.networkPeakAfter = 0.943;
    r.meanPeakBefore = 0.712;
    r.meanPeakAfter = 0.66;
    r.stationHoursOverBefore = 1412;
    r.stationHoursOverAfter = 37;
    r.moved = 1234.4;
    QCOMPARE(BalanceView::headlineText(r, 0.8, QStringLiteral("MB/h")),
             QStringLiteral("Network peak utilisation 112.4 % → 94.3 % · mean station peak 71.2 % → 66.0 % · "
                            "station-hours above 80 %: 1,412 → 37 · load moved 1,234 MB"));
    QVERIFY(BalanceView::headlineText(r, 0.75, QStringLiteral("Erlang")).endsWith(QStringLiteral("load moved 1,234 Erlang·h")));
    QVERIFY(BalanceView::headlineText(r, 0.75, QStringLiteral("Erlang")).contains(QStringLiteral("above 75 %")));

    const BalanceResult f = fixture();
    BalanceView view;
    view.setResult(f, kThreshold, QStringLiteral("MB/h"));
    QCOMPARE(view.headlineLabel()->text(), BalanceView::headlineText(f, kThreshold, QStringLiteral("MB/h")));
    QVERIFY(view.notesLabel()->isVisibleTo(&view));
    QVERIFY(view.notesLabel()->text().contains(QStringLiteral("BS-7")));
    BalanceResult quiet = f;
    quiet.notes.clear();
    view.setResult(quiet, kThreshold, QStringLiteral("MB/h"));
    QVERIFY(!view.notesLabel()->isVisibleTo(&view));
  }

  void barsAreTheTopStationsByPeakBefore() {
    const BalanceResult f = fixture(60);
    BalanceView view;
    view.setResult(f, kThreshold, QStringLiteral("MB/h"));
    const std::vector<int> order = byPeakBefore(f);
    QCOMPARE(int(view.plottedStations().size()), BalanceView::kMaxBars);
    QCOMPARE(view.beforeBars()->dataCount(), BalanceView::kMaxBars);
    QCOMPARE(view.afterBars()->dataCount(), BalanceView::kMaxBars);
    for (int i = 0; i < BalanceView::kMaxBars; ++i) {
      const BalancedStation& s = f.stations[std::size_t(order[std::size_t(i)])];
      QCOMPARE(view.plottedStations()[i], s.id);
      QCOMPARE(view.plottedIndices()[std::size_t(i)], order[std::size_t(i)]);
      QCOMPARE(view.beforeBars()->data()->at(i)->key, i + 1.0);
      QCOMPARE(view.beforeBars()->data()->at(i)->value, 100.0 * s.peakBefore);
      QCOMPARE(view.afterBars()->data()->at(i)->value, 100.0 * s.peakAfter);
      if (i > 0) QVERIFY(view.beforeBars()->data()->at(i)->value <= view.beforeBars()->data()->at(i - 1)->value);
    }
    // Every bar is named on the axis.
    auto ticker = view.plot()->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
    QVERIFY(ticker);
    QCOMPARE(ticker->ticks().size(), BalanceView::kMaxBars);
    QCOMPARE(ticker->ticks().value(1.0), view.plottedStations().first());
    QVERIFY(view.plot()->xAxis->label().contains(QStringLiteral("40 highest peaks before balancing, of 60")));
    QCOMPARE(view.plot()->yAxis->label(), QStringLiteral("Peak utilisation (%)"));
    // The tallest bar fits under the top of the axis.
    QVERIFY(view.plot()->yAxis->range().upper > 100.0 * f.networkPeakBefore);

    // The threshold line at 80 %, labelled.
    const QCPItemStraightLine* line = view.thresholdLine();
    QVERIFY(line->visible());
    QCOMPARE(line->point1->coords().y(), 80.0);
    QCOMPARE(line->point2->coords().y(), 80.0);
    QVERIFY(line->point1->coords().x() != line->point2->coords().x());  // horizontal

    // Few stations: all of them.
    BalanceView few;
    few.setResult(fixture(12), 0.9, QStringLiteral("MB/h"));
    QCOMPARE(int(few.plottedStations().size()), 12);
    QCOMPARE(few.thresholdLine()->point1->coords().y(), 90.0);
    QCOMPARE(few.plot()->xAxis->label(), QStringLiteral("Station (highest peak before balancing first)"));
  }

  void tableValuesAndSorting() {
    const BalanceResult f = fixture(60);
    BalanceView view;
    view.setResult(f, kThreshold, QStringLiteral("MB/h"));
    const BalanceTableModel* model = view.model();
    QCOMPARE(model->rowCount(), 60);
    QCOMPARE(model->columnCount(), int(BalanceTableModel::ColumnCount));
    // The result's order in the model; values formatted, raw numbers in SortRole.
    for (int row : {0, 6, 41}) {
      const BalancedStation& s = f.stations[std::size_t(row)];
      QCOMPARE(cell(model, row, BalanceTableModel::Station), s.id);
      QCOMPARE(cell(model, row, BalanceTableModel::PeakBefore), QLocale().toString(100.0 * s.peakBefore, 'f', 1) + QStringLiteral(" %"));
      QCOMPARE(cell(model, row, BalanceTableModel::PeakAfter), QLocale().toString(100.0 * s.peakAfter, 'f', 1) + QStringLiteral(" %"));
      QCOMPARE(cell(model, row, BalanceTableModel::HoursOverBefore), QString::number(s.hoursOverBefore));
      QCOMPARE(cell(model, row, BalanceTableModel::HoursOverAfter), QString::number(s.hoursOverAfter));
      QCOMPARE(model->data(model->index(row, BalanceTableModel::PeakBefore), BalanceTableModel::SortRole).toDouble(), s.peakBefore);
      QCOMPARE(model->data(model->index(row, BalanceTableModel::Shed), BalanceTableModel::SortRole).toDouble(), s.shed);
      QCOMPARE(model->data(model->index(row, BalanceTableModel::Absorbed), BalanceTableModel::SortRole).toDouble(), s.absorbed);
      QCOMPARE(model->stationIdAt(row), s.id);
      QCOMPARE(model->rowOf(s.id), row);
    }
    // A station that moved nothing shows a blank, not a zero.
    for (int row = 0; row < model->rowCount(); ++row) {
      const BalancedStation& s = f.stations[std::size_t(row)];
      if (s.shed == 0.0) QVERIFY(cell(model, row, BalanceTableModel::Shed).isEmpty());
      if (s.absorbed > 0.0) QCOMPARE(cell(model, row, BalanceTableModel::Absorbed), netspatial::ui::LoadFormat::number(s.absorbed));
      // Peaks above the threshold are marked.
      const QVariant colour = model->data(model->index(row, BalanceTableModel::PeakAfter), Qt::ForegroundRole);
      QCOMPARE(colour.isValid(), s.peakAfter > kThreshold);
    }
    // Units and the threshold in the headers.
    QCOMPARE(model->headerData(BalanceTableModel::Shed, Qt::Horizontal).toString(), QStringLiteral("Shed (MB)"));
    QCOMPARE(model->headerData(BalanceTableModel::Absorbed, Qt::Horizontal).toString(), QStringLiteral("Absorbed (MB)"));
    QCOMPARE(model->headerData(BalanceTableModel::HoursOverBefore, Qt::Horizontal).toString(), QStringLiteral("Hours > 80 % before"));

    // The view sorts as the bars do, highest peak before first.
    const QSortFilterProxyModel* proxy = view.proxy();
    const std::vector<int> order = byPeakBefore(f);
    for (int row = 0; row < 60; ++row)
      QCOMPARE(cell(proxy, row, BalanceTableModel::Station), f.stations[std::size_t(order[std::size_t(row)])].id);
    // By id: BS-2 before BS-10, as a person reads them.
    view.tableView()->sortByColumn(BalanceTableModel::Station, Qt::AscendingOrder);
    QCOMPARE(cell(proxy, 0, BalanceTableModel::Station), QStringLiteral("BS-1"));
    QCOMPARE(cell(proxy, 1, BalanceTableModel::Station), QStringLiteral("BS-2"));
    QCOMPARE(cell(proxy, 9, BalanceTableModel::Station), QStringLiteral("BS-10"));
    // By hours over after, numerically.
    view.tableView()->sortByColumn(BalanceTableModel::HoursOverBefore, Qt::DescendingOrder);
    for (int row = 1; row < 60; ++row)
      QVERIFY(proxy->data(proxy->index(row - 1, BalanceTableModel::HoursOverBefore), BalanceTableModel::SortRole).toDouble() >=
              proxy->data(proxy->index(row, BalanceTableModel::HoursOverBefore), BalanceTableModel::SortRole).toDouble());
  }

  void linksToTheMap() {
    BalanceView view;
    view.setResult(fixture(), kThreshold, QStringLiteral("MB/h"));
    QSignalSpy activated(&view, &BalanceView::stationActivated);
    view.selectStation(QStringLiteral("BS-12"));
    QCOMPARE(activated.count(), 0);
    QCOMPARE(view.tableView()->currentIndex().data(BalanceTableModel::StationIdRole).toString(), QStringLiteral("BS-12"));
    view.selectStation(QStringLiteral("nope"));
    QVERIFY(view.tableView()->selectionModel()->selectedRows().isEmpty());
    // The user's pick.
    view.tableView()->selectRow(5);
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.first().first().toString(), view.proxy()->index(5, 0).data(BalanceTableModel::StationIdRole).toString());
  }

  void pngExport() {
    BalanceView view;
    view.setResult(fixture(), kThreshold, QStringLiteral("MB/h"));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("balance.png"));
    const auto saved = view.savePng(path, 1600, 900, 200.0);
    QVERIFY2(saved.ok(), qPrintable(saved.ok() ? QString() : saved.error().message()));
    QImageReader reader(path);
    QCOMPARE(reader.size(), QSize(1600, 900));
    const QImage image = reader.read();
    QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), 200);
    // Both bar colours and the threshold's red are in the image.
    int before = 0, after = 0, red = 0;
    for (int y = 0; y < image.height(); y += 2)
      for (int x = 0; x < image.width(); x += 2) {
        const QColor c = image.pixelColor(x, y);
        const auto near = [&](int r, int g, int b) {
          return std::abs(c.red() - r) < 12 && std::abs(c.green() - g) < 12 && std::abs(c.blue() - b) < 12;
        };
        before += near(158, 188, 218);
        after += near(31, 119, 180);
        red += near(214, 39, 40);
      }
    QVERIFY2(before > 500 && after > 500 && red > 20, qPrintable(QStringLiteral("%1 %2 %3").arg(before).arg(after).arg(red)));
    QVERIFY(!view.savePng(dir.filePath(QStringLiteral("missing/balance.png")), 800, 600).ok());
    QVERIFY(!view.savePng(path, 800, 600, 0.0).ok());
  }

  void screenshot() {
    const QString folder = qEnvironmentVariable("NETSPATIAL_OPS_SCREENSHOT");
    if (folder.isEmpty()) QSKIP("set NETSPATIAL_OPS_SCREENSHOT=<folder> to save grabs");
    BalanceView view;
    view.setResult(fixture(60), kThreshold, QStringLiteral("MB/h"));
    view.resize(1400, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    // The plot replots on the next turn of the event loop once shown (ui::replotWhenVisible).
    QTRY_VERIFY(!netspatial::ui::replotPending(view.plot()));
    QVERIFY(view.grab().save(QDir(folder).filePath(QStringLiteral("opsset-balance.png"))));
    QVERIFY(view.savePng(QDir(folder).filePath(QStringLiteral("opsset-balance-export.png")), 1800, 900, 150.0).ok());
    view.setResult(fixture(30), kThreshold, QStringLiteral("MB/h"));
    QTRY_VERIFY(!netspatial::ui::replotPending(view.plot()));  // the new result is drawn
    QVERIFY(view.grab().save(QDir(folder).filePath(QStringLiteral("opsset-balance-30.png"))));
  }
};

QTEST_MAIN(TestBalanceView)
#include "tst_balanceview.moc"
