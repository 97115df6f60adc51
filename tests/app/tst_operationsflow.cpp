// The operations workflow in the studio, driven as an engineer drives it (issue 7): a town, a study
// started from the panel on the generator's worker, a cancel midway that shows nothing and changes
// nothing, the study again (sleep, paper mode and balancing views filled, stations coloured on the
// map), a click on a station (its forecast beside its observed load in the inspector), a rectangle
// selection and a zone as scopes, and the exports read back. Offscreen.

#include "app/common/generators.h"
#include "app/common/operations.h"
#include "app/studio/generatorservice.h"
#include "app/studio/mainwindow.h"
#include "app/studio/operationscontroller.h"
#include "app/studio/planningcontroller.h"
#include "app/studio/projectdocument.h"
#include "ui/inspector/customplot.h"
#include "ui/inspector/siteinspector.h"
#include "ui/map/mapcanvas.h"
#include "ui/operations/balanceview.h"
#include "ui/operations/operationssettingswidget.h"
#include "ui/operations/papermodeview.h"
#include "ui/operations/sleephourslayer.h"
#include "ui/operations/sleepstudyview.h"

#include "tests/eventwait.h"
#include "tests/imagecompare.h"
#include "testprocess.h"

#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace netspatial;

class TestOperationsFlow : public QObject {
  Q_OBJECT

  std::unique_ptr<app::MainWindow> m_window;

  app::OperationsController* ops() const { return m_window->operations(); }

  //! A quick study: one week forecast from the weeks before it, four samples, two trade-off points.
  void useQuickSettings(core::StationScope scope, qint64 zoneId = 0, int samples = 4) {
    core::OperationsSettings s = ops()->settingsWidget()->settings();
    s.scope = scope;
    s.zoneId = zoneId;
    s.horizonWeeks = 1;
    s.forecastSamples = samples;
    s.seed = 7;
    s.sleep.tradeoffQuantiles = {0.5, 0.9};
    s.sleep.sleep.neighbourDistance = 800.0;
    s.balance.neighbourDistance = 800.0;
    s.balance.threshold = 0.3;
    ops()->settingsWidget()->setSettings(s);
  }

  QString runStudy() {
    QSignalSpy finished(ops(), &app::OperationsController::studyFinished);
    if (!ops()->startStudy()) return QStringLiteral("did not start");
    if (!finished.wait(300000) && finished.isEmpty()) return QStringLiteral("timed out");
    return finished.takeFirst().at(0).toString();
  }

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    if (!app::hasEmbeddedWeights(app::kNetSpatialId)) QSKIP("this build embeds no NetSpatial weights (NETSPATIAL_EMBED_WEIGHTS=OFF)");
    m_window = std::make_unique<app::MainWindow>();
    m_window->setInteractive(false);
    m_window->resize(1400, 900);
    m_window->show();
    m_window->newCity(QStringLiteral("town"), 912);
    QVERIFY(QTest::qWaitFor([&] { return !m_window->isBusy(); }, 120000));
    QVERIFY(m_window->hasScenario());
  }

  void emptyBeforeAnyStudy() {
    QVERIFY(ops()->study() == nullptr);
    QVERIFY(ops()->sleepView()->showsEmptyState());
    QVERIFY(ops()->paperView()->showsEmptyState());
    QVERIFY(ops()->balanceView()->showsEmptyState());
    QCOMPARE(ops()->sleepLayerId(), quint64(0));
    QVERIFY(!ops()->exportScheduleCsv(QDir::temp().filePath(QStringLiteral("never.csv"))).ok());
    QVERIFY(!ops()->exportPlots(QDir::tempPath()).ok());
    // The Operations menu sits in the menu bar with its panel.
    QVERIFY(ops()->menu() != nullptr);
    QVERIFY(ops()->dock() != nullptr);
  }

  void cancelLeavesEverythingAsItWas() {
    useQuickSettings(core::StationScope::All, 0, 64);  // long enough to cancel midway
    const int undoCount = m_window->undoStack()->count();
    QSignalSpy finished(ops(), &app::OperationsController::studyFinished);
    QVERIFY(ops()->startStudy());
    QVERIFY(ops()->isRunning());
    QVERIFY(!ops()->startStudy());                      // one long job at a time…
    QVERIFY(!m_window->planning()->startGeneration());  // …on the one generator worker
    QVERIFY(ops()->cancelButton()->isVisible());
    QVERIFY(!ops()->runButton()->isEnabled());
    QVERIFY(QTest::qWaitFor([&] { return ops()->dock()->isVisible(); }, 1000));
    QVERIFY(QTest::qWaitFor([&] { return m_window->planning()->service()->progress() > 0.02 || !finished.isEmpty(); }, 120000));
    ops()->cancelStudy();
    QVERIFY(finished.wait(120000) || finished.count() == 1);
    QCOMPARE(finished.takeFirst().at(0).toString(), QStringLiteral("cancelled"));
    QVERIFY(!ops()->isRunning());
    QVERIFY(ops()->study() == nullptr);
    QVERIFY(ops()->sleepView()->showsEmptyState());
    QCOMPARE(ops()->sleepLayerId(), quint64(0));
    QCOMPARE(m_window->undoStack()->count(), undoCount);
    QVERIFY(ops()->runButton()->isEnabled());
  }

  void studyFillsEveryView() {
    useQuickSettings(core::StationScope::All);
    const std::size_t runsBefore = m_window->scenario()->runs.size();
    QCOMPARE(runStudy(), QString());
    const app::OperationsStudy* study = ops()->study();
    QVERIFY(study != nullptr);
    const auto withTraffic = app::stationsWithTraffic(*m_window->scenario());
    QVERIFY(!withTraffic.empty());
    QCOMPARE(study->input.stations.size(), withTraffic.size());
    QCOMPARE(study->input.observed.front().size(), std::size_t(168));
    QCOMPARE(study->forecast.samples.front().size(), std::size_t(4));
    QCOMPARE(study->forecast.run.seed, quint64(7));
    QVERIFY(!study->forecast.run.weightsSha256.isEmpty());
    // A study reads the project; it changes nothing there.
    QCOMPARE(m_window->scenario()->runs.size(), runsBefore);

    QVERIFY(ops()->sleepView()->hasData());
    QCOMPARE(int(ops()->sleepView()->study().outcomes.size()), int(study->sleep.outcomes.size()));
    QVERIFY(ops()->paperView()->hasData());
    QCOMPARE(ops()->paperView()->stationCount(), int(study->input.stations.size()));
    QVERIFY(ops()->balanceView()->hasData());
    QVERIFY(ops()->summaryLabel()->text().contains(study->forecast.run.weightsSha256.left(12)));

    // The map: one circle per station, its hours asleep those of the forecast-driven schedule.
    const int li = m_window->canvas()->indexOfLayer(ops()->sleepLayerId());
    QVERIFY(li >= 0);
    const auto* layer = static_cast<const ui::SleepHoursLayer*>(m_window->canvas()->layer(li));
    QCOMPARE(layer->stationCount(), int(study->input.stations.size()));
    QCOMPARE(layer->totalHours(), 168);
    const auto hours = ui::SleepHoursLayer::sleepHoursOf(study->sleep.forecastSchedule);
    int sleepiest = 0;
    for (int i = 0; i < int(hours.size()); ++i) {
      QCOMPARE(layer->sleepHours(i), hours[std::size_t(i)]);
      if (hours[std::size_t(i)] > hours[std::size_t(sleepiest)]) sleepiest = i;
    }
    const core::ScheduleOutcome* forecast = study->sleep.outcome(core::SleepPolicy::Forecast);
    QVERIFY(forecast != nullptr);
    QCOMPARE(forecast->sleepStationHours, std::accumulate(hours.begin(), hours.end(), 0));

    // A click on that station (through the map, as the mouse does) shows its forecast beside its
    // observed load in the inspector, with its sleep figures, even over a candidate grid.
    const core::PointXY where = study->input.stations[std::size_t(sleepiest)].position;
    core::Geometry aoi;
    aoi.type = core::GeometryType::Polygon;
    aoi.parts = {{{{where.x - 300, where.y - 300},
                   {where.x + 300, where.y - 300},
                   {where.x + 300, where.y + 300},
                   {where.x - 300, where.y + 300},
                   {where.x - 300, where.y - 300}}}};
    QVERIFY(m_window->planning()->setAoi(aoi).ok());
    QVERIFY(!m_window->scenario()->candidates.empty());
    m_window->canvas()->setView(where, 5.0);
    QTest::mouseClick(m_window->canvas(), Qt::LeftButton, {}, m_window->canvas()->toPixel(where).toPoint());
    const ui::SiteInspector* inspector = m_window->planning()->inspector();
    QVERIFY(QTest::qWaitFor([&] { return inspector->site().siteId == study->input.stations[std::size_t(sleepiest)].id; }, 5000));
    QCOMPARE(inspector->site().samples.size(), std::size_t(4));
    QCOMPARE(inspector->site().samples.front().size(), std::size_t(168));
    QCOMPARE(inspector->site().observed.size(), std::size_t(168));
    QCOMPARE(double(inspector->site().observed[10]), study->input.observed[std::size_t(sleepiest)][10]);
    QCOMPARE(double(inspector->site().samples[2][100]), double(float(study->forecast.samples[std::size_t(sleepiest)][2][100])));
    QVERIFY(inspector->site().start == study->input.startUtc);
    QVERIFY(inspector->hasData());
    QVERIFY(m_window->planning()->inspectorDock()->isVisible());
    bool hasSleepFact = false;
    for (const auto& [label, value] : inspector->site().facts)
      if (label.contains(core::sleepPolicyLabel(core::SleepPolicy::Forecast)))
        hasSleepFact = value.startsWith(QStringLiteral("%1 of 168 h").arg(hours[std::size_t(sleepiest)]));
    QVERIFY(hasSleepFact);
    QCOMPARE(ops()->paperView()->currentStationId(), study->input.stations[std::size_t(sleepiest)].id);

    // Issue 19 item 4: the header says the units and the forecast's generator; the embedded model
    // was trained on simulated cities in MB/h, like this town, so nothing warns.
    const QString header = ops()->summaryLabel()->text();
    QVERIFY2(header.contains(QStringLiteral("Units: observed load and forecasts in MB/h")), qPrintable(header));
    QVERIFY2(header.contains(QStringLiteral("forecast generator NetSpatial (embedded) (matches)")), qPrintable(header));
    QVERIFY(!header.contains(QStringLiteral("Not calibrated")));
    QVERIFY(study->calibration.matches());
    QVERIFY(!inspector->calibrationLabel()->isVisible());
    const QCPGraph* mean = inspector->graph(ui::SiteInspector::Plot::Series, ui::SiteInspector::Curve::Mean);
    QVERIFY(mean);
    QVERIFY2(mean->name().startsWith(QStringLiteral("Generated by NetSpatial (embedded), seed 7")), qPrintable(mean->name()));
    QVERIFY2(mean->name().endsWith(QStringLiteral("(MB/h)")), qPrintable(mean->name()));
  }

  void exportsReadBack() {
    QVERIFY(ops()->study() != nullptr);
    const app::OperationsStudy& study = *ops()->study();
    QTemporaryDir dir;
    const QString schedule = dir.filePath(QStringLiteral("schedule.csv"));
    QVERIFY(ops()->exportScheduleCsv(schedule).ok());
    const QStringList rows = tests::readCsvLines(schedule);
    QCOMPARE(rows.size(), 1 + int(study.input.stations.size()) * 168);
    QVERIFY(rows.front().startsWith(QStringLiteral("station_id,")));
    const QString summary = dir.filePath(QStringLiteral("summary.csv"));
    QVERIFY(ops()->exportSummaryCsv(summary).ok());
    const QStringList summaryRows = tests::readCsvLines(summary);
    QVERIFY(summaryRows.size() >= 1 + 4 + 2);  // header, four policies, two trade-off points (+ paper mode)
    QVERIFY(summaryRows.join(QLatin1Char('\n')).contains(study.forecast.run.weightsSha256));
    const QString balance = dir.filePath(QStringLiteral("balance.csv"));
    QVERIFY(ops()->exportBalanceCsv(balance).ok());
    QCOMPARE(tests::readCsvLines(balance).size(), 1 + int(study.input.stations.size()) + 1);  // header, stations, network
    auto plots = ops()->exportPlots(dir.filePath(QStringLiteral("plots")), QSize(800, 500), 96.0);
    QVERIFY2(plots.ok(), plots.ok() ? "" : qPrintable(plots.error().toString()));
    QCOMPARE(plots->size(), 6);
    for (const QString& png : *plots) {
      const QImage image(png);
      QVERIFY2(!image.isNull(), qPrintable(png));
      QCOMPARE(image.size(), QSize(800, 500));
    }
  }

  // Every plot of the dock, tab by tab, as on screen; then forced to replot: the two must agree,
  // or a tab shows a plot of an earlier study (issue 18).
  void checkEveryTabShowsItsCurrentPlot(const QString& when) {
    const auto tabWidgets = ops()->dock()->findChildren<QTabWidget*>();
    QVERIFY(!tabWidgets.isEmpty());
    int checked = 0;
    for (QTabWidget* tabs : tabWidgets) {
      for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        // The plots just shown replot on the next turn of the event loop (ui::replotWhenVisible).
        QTRY_VERIFY(tests::visiblePlotsDrawn(ops()->dock()));
        for (QCustomPlot* plot : ops()->dock()->findChildren<QCustomPlot*>()) {
          if (!plot->isVisible() || plot->width() < 10) continue;
          const QImage shown = plot->grab().toImage();
          plot->replot(QCustomPlot::rpImmediateRefresh);
          const QImage fresh = plot->grab().toImage();
          // Antialiasing may differ by a few pixels between two replots; a stale plot differs in thousands.
          const double differing = tests::differingPixelShare(shown, fresh);
          if (const QString keep = qEnvironmentVariable("NETSPATIAL_SCREENSHOT_DIR"); !keep.isEmpty() && differing >= 0.002) {
            shown.save(QDir(keep).filePath(QStringLiteral("stale-%1-shown.png").arg(checked)));
            fresh.save(QDir(keep).filePath(QStringLiteral("stale-%1-fresh.png").arg(checked)));
          }
          QVERIFY2(differing < 0.002, qPrintable(QStringLiteral("%1: tab '%2' shows a stale plot (%3 % of its pixels differ)")
                                                     .arg(when, tabs->tabText(i))
                                                     .arg(100.0 * differing, 0, 'f', 2)));
          ++checked;
        }
      }
    }
    QVERIFY(checked >= 4);
  }

  void hiddenTabsShowTheNewStudy() {
    // Every tab drawn once with the study on show…
    checkEveryTabShowsItsCurrentPlot(QStringLiteral("first study"));
    ops()->resultTabs()->setCurrentIndex(app::OperationsController::SleepTab);
    // …then another study (four stations instead of all) arrives while most tabs are hidden.
    QStringList four;
    for (const auto& [id, p] : app::stationsWithTraffic(*m_window->scenario()))
      if (four.size() < 4) four << id;
    ops()->setSelection(four);
    useQuickSettings(core::StationScope::Selection);
    QCOMPARE(runStudy(), QString());
    QCOMPARE(int(ops()->study()->input.stations.size()), 4);
    checkEveryTabShowsItsCurrentPlot(QStringLiteral("second study"));
    // …and a third one while the whole dock is closed.
    ops()->resultTabs()->setCurrentIndex(app::OperationsController::PaperTab);
    ops()->setSelection(four.mid(0, 2));
    useQuickSettings(core::StationScope::Selection);
    QSignalSpy finished(ops(), &app::OperationsController::studyFinished);
    QVERIFY(ops()->startStudy());
    ops()->dock()->hide();
    QVERIFY(finished.wait(300000) || finished.count() == 1);
    QCOMPARE(finished.takeFirst().at(0).toString(), QString());
    // The views took the study while the dock was hidden (showStudy shows it again last); what
    // that queued runs before the checks, which then wait for each tab's replots.
    tests::runPostedEvents();
    ops()->dock()->show();
    QCOMPARE(int(ops()->study()->input.stations.size()), 2);
    checkEveryTabShowsItsCurrentPlot(QStringLiteral("third study"));
    // The tests after this one start from a study of every station.
    useQuickSettings(core::StationScope::All);
    QCOMPARE(runStudy(), QString());
  }

  void rectangleSelectionIsTheScope() {
    const app::OperationsStudy& previous = *ops()->study();
    // The three stations nearest the first one: a rectangle around them (through the rectangle tool
    // the menu starts) selects them and switches the scope to the selection.
    const core::PointXY a = previous.input.stations[0].position;
    std::vector<std::pair<double, int>> byDistance;
    for (int i = 0; i < int(previous.input.stations.size()); ++i) {
      const core::PointXY p = previous.input.stations[std::size_t(i)].position;
      byDistance.push_back({std::hypot(p.x - a.x, p.y - a.y), i});
    }
    std::sort(byDistance.begin(), byDistance.end());
    core::Extent box;
    for (int k = 0; k < 3; ++k) box.include(previous.input.stations[std::size_t(byDistance[std::size_t(k)].second)].position);
    box = core::Extent::fromCorners(box.xMin - 1.0, box.yMin - 1.0, box.xMax + 1.0, box.yMax + 1.0);
    QStringList expected;
    for (const auto& [id, p] : app::stationsWithTraffic(*m_window->scenario()))
      if (box.contains(p)) expected << id;
    QVERIFY(expected.size() >= 3);

    ops()->selectStationsOnMap();  // what Operations › Select stations on the map does
    QVERIFY(m_window->canvas()->isRectangleToolActive());
    const core::Geometry aoiBefore = m_window->scenario()->aoi;
    Q_EMIT m_window->canvas()->rectangleDrawn(box);
    QCOMPARE(ops()->selection(), expected);
    QCOMPARE(m_window->scenario()->aoi.parts.size(), aoiBefore.parts.size());  // not taken as an area of interest
    QVERIFY(ops()->settingsWidget()->scopeButton(core::StationScope::Selection)->isChecked());
    QCOMPARE(ops()->settingsWidget()->selectionCount(), int(expected.size()));

    useQuickSettings(core::StationScope::Selection);
    QCOMPARE(runStudy(), QString());
    const std::vector<QString> studied = ops()->study()->input.ids();
    QCOMPARE(QStringList(studied.begin(), studied.end()), expected);
    const int li = m_window->canvas()->indexOfLayer(ops()->sleepLayerId());
    QVERIFY(li >= 0);
    QCOMPARE(static_cast<const ui::SleepHoursLayer*>(m_window->canvas()->layer(li))->stationCount(), int(expected.size()));
    // One sleep layer at a time: the previous study's layer is gone.
    int sleepLayers = 0;
    for (int i = 0; i < m_window->canvas()->layerCount(); ++i)
      if (dynamic_cast<const ui::SleepHoursLayer*>(m_window->canvas()->layer(i))) ++sleepLayers;
    QCOMPARE(sleepLayers, 1);
  }

  void zoneScopeAndEmptyScope() {
    const core::Scenario& city = *m_window->scenario();
    QVERIFY(!city.zones.empty());
    // The zone holding the most stations with traffic.
    qint64 zoneId = 0;
    int most = 0;
    for (const core::Zone& z : city.zones) {
      core::OperationsSettings s;
      s.scope = core::StationScope::Zone;
      s.zoneId = z.id;
      const int n = int(app::operationsScopeIds(city, s, {}).size());
      if (n > most) most = n, zoneId = z.id;
    }
    QVERIFY2(most >= 1, qPrintable(QStringLiteral("%1 zones, none holds a station").arg(city.zones.size())));
    qInfo() << "zone" << zoneId << "holds" << most << "stations";
    useQuickSettings(core::StationScope::Zone, zoneId);
    QCOMPARE(runStudy(), QString());
    QCOMPARE(int(ops()->study()->input.stations.size()), most);

    // An empty selection cannot run: the panel says why and Run stays disabled.
    ops()->setSelection({});
    useQuickSettings(core::StationScope::Selection);
    QVERIFY(!ops()->settingsWidget()->isValid());
    QVERIFY(!ops()->runButton()->isEnabled());
    QVERIFY(!ops()->startStudy());
    QCOMPARE(int(ops()->study()->input.stations.size()), most);  // the last study stays shown
  }

  void observedScenarioWarns() {
    // The same town as if imported from observed data in another unit (as Milan is): the embedded
    // model's forecasts are rescaled to the history, but the header and the inspector warn.
    core::Scenario observed = *m_window->scenario();
    observed.metadata.name = QStringLiteral("Milan (Telecom Italia, Nov–Dec 2013)");
    observed.metadata.trafficUnit = QStringLiteral("activity (dataset units)");
    observed.metadata.preset.clear();
    std::erase_if(observed.runs, [](const core::RunRecord& r) { return r.kind == QStringLiteral("simulate"); });
    core::RunRecord import;
    import.runId = QStringLiteral("import-milan-test");
    import.kind = QStringLiteral("import");
    import.modelId = QStringLiteral("milan");
    observed.runs.push_back(import);
    m_window->document()->open(std::move(observed), QString(), true);
    QTRY_VERIFY(ops()->study() == nullptr);
    useQuickSettings(core::StationScope::All);
    QCOMPARE(runStudy(), QString());
    const app::OperationsStudy* study = ops()->study();
    QVERIFY(study != nullptr);
    QCOMPARE(study->calibration.verdict, core::CalibrationVerdict::OtherData);
    const QString header = ops()->summaryLabel()->text();
    QVERIFY2(header.contains(QStringLiteral("Units: observed load and forecasts in activity (dataset units)")), qPrintable(header));
    QVERIFY2(header.contains(QStringLiteral("Not calibrated (trained on other data)")), qPrintable(header));
    QVERIFY2(header.contains(QStringLiteral("simulated cities in MB/h")), qPrintable(header));
    QVERIFY2(header.contains(QStringLiteral("this scenario is Milan, observed in activity (dataset units)")), qPrintable(header));
    QVERIFY(ops()->inspectStation(study->input.stations.front().id));
    const ui::SiteInspector* inspector = m_window->planning()->inspector();
    QTRY_VERIFY(inspector->calibrationLabel()->isVisible());
    QVERIFY(inspector->calibrationLabel()->text().contains(QStringLiteral("rescaled to this scenario's history")));
    // The forecasts are in the scenario's unit (rescaled), so they share its axis.
    QVERIFY(inspector->site().generatedUnit.isEmpty());
    const QCPGraph* mean = inspector->graph(ui::SiteInspector::Plot::Series, ui::SiteInspector::Curve::Mean);
    QVERIFY(mean);
    QVERIFY2(mean->name().endsWith(QStringLiteral("\n(activity (dataset units), uncalibrated here)")), qPrintable(mean->name()));
  }

  void newProjectForgetsTheStudy() {
    // A study still running when another project opens is stopped, and its result never shows.
    useQuickSettings(core::StationScope::All, 0, 64);
    QSignalSpy finished(ops(), &app::OperationsController::studyFinished);
    QVERIFY(ops()->startStudy());
    m_window->newCity(QStringLiteral("town"), 913);
    QVERIFY(QTest::qWaitFor([&] { return !m_window->isBusy() && !m_window->planning()->service()->isGenerating(); }, 120000));
    // The service goes idle in the same call that delivers the stopped job's end (and the
    // controller drops it): no sleep is needed for a late result to show. Anything that delivery
    // queued still runs before the checks.
    tests::runPostedEvents();
    QVERIFY(finished.isEmpty());
    QVERIFY(!ops()->isRunning());
    QVERIFY(ops()->study() == nullptr);
    QVERIFY(ops()->selection().isEmpty());
    QVERIFY(ops()->sleepView()->showsEmptyState());
    QCOMPARE(ops()->sleepLayerId(), quint64(0));
  }

  void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestOperationsFlow)
#include "tst_operationsflow.moc"
