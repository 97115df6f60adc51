// The planning workflow in the studio, driven as an engineer drives it (issue 6): a town, an area
// of interest, generation on the worker thread, a cancel midway that leaves the project as it was,
// generation again, a click on a candidate (the inspector shows its plots), re-ranking without
// regeneration, exports read back, and undo/redo of the generation. Offscreen.

#include "app/common/generators.h"
#include "app/common/planning.h"
#include "app/studio/generatorservice.h"
#include "app/studio/mainwindow.h"
#include "app/studio/planningcontroller.h"
#include "core/geo/vectorreader.h"
#include "ui/inspector/siteinspector.h"
#include "ui/map/mapcanvas.h"
#include "ui/planning/rankingmodel.h"
#include "ui/planning/rankingview.h"
#include "ui/zones/zonecomparisonview.h"

#include "tests/squarearea.h"

#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace netspatial;
using tests::square;

class TestPlanningFlow : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    if (!app::hasEmbeddedWeights(app::kNetSpatialId)) QSKIP("this build embeds no NetSpatial weights (NETSPATIAL_EMBED_WEIGHTS=OFF)");
  }

  void wholeFlow() {
    QTemporaryDir dir;
    app::MainWindow window;
    window.setInteractive(false);
    window.resize(1200, 800);
    window.show();
    window.newCity(QStringLiteral("town"), 31);
    QVERIFY(QTest::qWaitFor([&] { return !window.isBusy(); }, 120000));
    QVERIFY(window.hasScenario());
    app::PlanningController* planning = window.planning();

    // Area of interest → candidate grid (undoable).
    const core::PointXY centre = window.scenario()->extent().centre();
    QVERIFY(planning->setAoi(square(centre, 500.0)).ok());
    QCOMPARE(window.scenario()->candidates.size(), std::size_t(100));
    const int undoAfterAoi = window.undoStack()->count();
    QVERIFY(undoAfterAoi >= 1);

    // Cancel midway: the project keeps no generated traffic and no new history.
    app::GenerationOptions o = planning->generationOptions();
    o.sitesPerChunk = 4;  // small chunks so the cancel lands between two of them
    planning->setGenerationOptions(o);
    QSignalSpy finished(planning, &app::PlanningController::generationFinished);
    QVERIFY(planning->startGeneration());
    QVERIFY(!planning->startGeneration());  // one at a time
    QVERIFY(QTest::qWaitFor([&] { return planning->service()->progress() > 0.2 || finished.count() > 0; }, 120000));
    planning->cancelGeneration();
    QVERIFY(finished.wait(120000) || finished.count() == 1);
    QCOMPARE(finished.takeFirst().at(0).toString(), QStringLiteral("cancelled"));
    QVERIFY(window.scenario()->trafficGenerated.empty());
    QCOMPARE(window.undoStack()->count(), undoAfterAoi);
    QVERIFY((planning->ranking() == nullptr));

    // Generate again, to the end: stored, ranked, undoable.
    o.sitesPerChunk = 64;
    planning->setGenerationOptions(o);
    QVERIFY(planning->startGeneration());
    QVERIFY(finished.wait(300000));
    QCOMPARE(finished.takeFirst().at(0).toString(), QString());
    QCOMPARE(window.scenario()->trafficGenerated.size(), std::size_t(1));
    QVERIFY(planning->ranking() != nullptr);
    const int feasible = int(core::feasibleCandidateSites(*window.scenario()).size());
    QCOMPARE(int(planning->rankingView()->model()->rowCount()), feasible);
    QVERIFY(planning->service()->deviceName() == QStringLiteral("CPU") || planning->service()->deviceName() == QStringLiteral("CUDA"));
    qInfo("click to ranked table: %.0f ms; longest event-loop stall: %.1f ms", planning->lastClickToRankingMs(),
          planning->longestStallMs());

    // Click a candidate: the inspector shows its stored samples.
    const core::RankedSite top = planning->ranking()->sites.front();
    QSignalSpy inspected(planning, &app::PlanningController::inspectorUpdated);
    planning->inspectPoint(top.position);
    QVERIFY(inspected.count() == 1 || inspected.wait(60000));
    QCOMPARE(inspected.takeFirst().at(0).toString(), top.siteId);
    QVERIFY(planning->inspector()->hasData());
    QCOMPARE(int(planning->inspector()->site().samples.size()), o.samples);
    QCOMPARE(planning->rankingView()->selectedSiteId(), top.siteId);
    // A click beside every candidate generates on demand (the worker), newest click wins.
    planning->inspectPoint({centre.x + 2000.0, centre.y + 2000.0});
    planning->inspectPoint({centre.x - 2000.0, centre.y - 2000.0});
    QVERIFY(inspected.wait(60000));
    QVERIFY(!inspected.isEmpty());
    QVERIFY(inspected.last().at(0).toString().startsWith(QStringLiteral("P%1_").arg(qRound64(centre.x - 2000.0))));

    // Re-rank by another utility: instant, no regeneration.
    const QString runId = window.scenario()->trafficGenerated.front().runId;
    core::RankingOptions r = planning->ranking()->options;
    r.utility = core::Utility::MeanDemand;
    r.topK = 3;
    planning->rerank(r);
    QCOMPARE(planning->ranking()->options.utility, core::Utility::MeanDemand);
    QCOMPARE(window.scenario()->trafficGenerated.front().runId, runId);
    for (std::size_t i = 1; i < planning->ranking()->sites.size(); ++i)
      if (planning->ranking()->sites[i].rank > 0) QVERIFY(planning->ranking()->sites[i - 1].value >= planning->ranking()->sites[i].value);
    QCOMPARE(planning->rankingView()->options().utility, core::Utility::MeanDemand);
    window.undoStack()->undo();  // re-ranking is undoable too
    QCOMPARE(planning->ranking()->options.utility, core::Utility::Lsi);
    QCOMPARE(planning->rankingView()->options().utility, core::Utility::Lsi);
    window.undoStack()->redo();
    QCOMPARE(planning->ranking()->options.utility, core::Utility::MeanDemand);
    // The project's rankings table follows, so a saved project reopens ranked the same way.
    QCOMPARE(core::storedRankingOptions(*window.scenario(), runId)->utility, core::Utility::MeanDemand);
    QCOMPARE(core::storedRankingOptions(*window.scenario(), runId)->topK, 3);

    // Exports, read back.
    const QString csv = dir.filePath("ranking.csv"), gpkg = dir.filePath("ranked.gpkg"), png = dir.filePath("map.png"),
                  series = dir.filePath("series.csv"), plot = dir.filePath("plot.png");
    QVERIFY(planning->exportRankingCsv(csv).ok());
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readLine().startsWith("rank,site_id,lon,lat,x,y,lsi,sigma,mean,p95"));
    QVERIFY(planning->exportRankedSites(gpkg).ok());
    auto layer = core::readVectorLayer(gpkg);
    QVERIFY(layer.ok());
    QCOMPARE(int(layer->features.size()), feasible);
    QVERIFY(planning->exportMapPng(png, QSize(640, 480), 2.0).ok());
    QCOMPARE(QImage(png).size(), QSize(1280, 960));
    QVERIFY(QFile::exists(dir.filePath("map.pgw")));
    QVERIFY(planning->exportSiteSeries(top.siteId, series).ok());
    QVERIFY(planning->inspector()->savePlotPng(ui::SiteInspector::Plot::Weekly, plot, 800, 500, 120.0).ok());
    QCOMPARE(QImage(plot).size(), QSize(800, 500));

    const QString pdf = dir.filePath("report.pdf");
    QVERIFY(planning->exportReport(pdf).ok());
    QFile report(pdf);
    QVERIFY(report.open(QIODevice::ReadOnly));
    QVERIFY(report.read(5) == "%PDF-");
    QVERIFY(report.size() > 50000);  // the map and the selected sites' plots are in it

    // Zone comparison: every residential zone against the drawn AOI, observed traffic.
    planning->addZoneSelection(core::ZoneSelection::ofClass(core::ZoneClass::ResidentialLow));
    planning->addZoneSelection(core::ZoneSelection::ofPolygon(square(centre, 500.0), QStringLiteral("AOI")));
    QVERIFY(planning->zoneView()->hasData());
    QCOMPARE(int(planning->zoneView()->comparison().zones.size()), int(planning->zoneSelections().size()));
    QVERIFY(planning->zoneSelections().size() >= 1);
    // Observed and generated together (issue 19 item 4): the view names the site sets, the units and
    // the generator; the embedded model matches the simulated city, so nothing warns.
    QComboBox* source = planning->zoneView()->sourceCombo();
    source->setCurrentIndex(source->findData(int(core::ZoneTrafficSource::Both)));
    QTRY_COMPARE(planning->zoneView()->comparison().source, core::ZoneTrafficSource::Both);
    const ui::ZoneComparisonView* zones = planning->zoneView();
    QVERIFY(zones->comparison().calibration.has_value());
    QVERIFY(zones->comparison().calibration->matches());
    QVERIFY2(zones->headerLabel()->text().contains(QStringLiteral("generated: ")), qPrintable(zones->headerLabel()->text()));
    QVERIFY2(zones->headerLabel()->text().contains(QStringLiteral("candidate cell")), qPrintable(zones->headerLabel()->text()));
    QVERIFY2(zones->headerLabel()->text().contains(QStringLiteral("generated in MB/h by NetSpatial (embedded), seed")),
             qPrintable(zones->headerLabel()->text()));
    QVERIFY(zones->calibrationLabel()->isHidden());
    planning->clearZoneSelections();
    QVERIFY(!planning->zoneView()->hasData());

    // Undo the re-ranking and the generation: traffic and ranking go; redo brings them back.
    window.undoStack()->undo();
    window.undoStack()->undo();
    QVERIFY(window.scenario()->trafficGenerated.empty());
    QVERIFY((planning->ranking() == nullptr));
    window.undoStack()->redo();
    QCOMPARE(window.scenario()->trafficGenerated.size(), std::size_t(1));
    QVERIFY(planning->ranking() != nullptr);
    // Undo back past the AOI: no grid.
    window.undoStack()->undo();
    window.undoStack()->undo();
    QVERIFY(window.scenario()->candidates.empty());
  }
};

QTEST_MAIN(TestPlanningFlow)
#include "tst_planningflow.moc"
