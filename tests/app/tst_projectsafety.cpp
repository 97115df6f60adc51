// Nothing lost, nothing stale, nothing re-attached (issue 18), driven through the main window as a
// user drives it: unsaved changes on Open / New / Close / Quit, Save As's key, the window layout,
// File › Open on a raster, a grid change after a generation, the heat-map legend after a change
// of utility, and saving while the project goes on changing. Generations are made by the test
// (tests/app/fakegeneration.h): what is checked is what the studio does with them — except in
// saveWhileAGenerationRuns, where real threads meet (the tsan preset runs it under
// ThreadSanitizer).

#include "app/common/generators.h"
#include "app/studio/generatorservice.h"
#include "app/studio/mainwindow.h"
#include "app/studio/planningcontroller.h"
#include "app/studio/planningsession.h"
#include "app/studio/projectdocument.h"
#include "app/studio/taskmanager.h"
#include "core/scenario/scenariostore.h"
#include "ui/map/mapcanvas.h"
#include "ui/map/maplayer.h"
#include "ui/planning/rankingview.h"

#include "fakegeneration.h"

#include "tests/squarearea.h"

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QUndoStack>

using namespace netspatial;
using tests::square;

namespace {

// A 4 × 4 ASCII-grid raster in WGS 84 around (lon, lat), with its .prj: any GDAL raster will do.
QString writeRaster(const QString& dir, double lon, double lat) {
  const QString path = dir + QStringLiteral("/far.asc");
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) return {};
  f.write(QStringLiteral("ncols 4\nnrows 4\nxllcorner %1\nyllcorner %2\ncellsize 0.01\nNODATA_value -9999\n").arg(lon).arg(lat).toUtf8());
  f.write("1 2 3 4\n5 6 7 8\n9 10 11 12\n13 14 15 16\n");
  f.close();
  QFile prj(dir + QStringLiteral("/far.prj"));
  if (!prj.open(QIODevice::WriteOnly)) return {};
  prj.write(
      R"(GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]])");
  return path;
}

}  // namespace

class TestProjectSafety : public QObject {
  Q_OBJECT

  static bool waitIdle(app::MainWindow& w) {
    return QTest::qWaitFor([&] { return !w.isBusy(); }, 120000);
  }

  static void newTown(app::MainWindow& w, quint64 seed) {
    w.newCity(QStringLiteral("town"), seed);
    QVERIFY(waitIdle(w));
    QVERIFY(w.hasScenario());
  }

  // An AOI, and a generation for its grid, added as a finished job would add it.
  static void aoiAndGeneration(app::MainWindow& w, int salt = 0) {
    if (w.scenario()->candidates.empty()) QVERIFY(w.planning()->setAoi(square(w.scenario()->extent().centre(), 500.0)).ok());
    const auto s = w.document()->scenario();
    QVERIFY(w.document()->addGeneration(tests::fakeGeneration(*s, 2, salt), core::candidateGridHash(*s)).ok());
    QVERIFY(w.planning()->ranking() != nullptr);
  }

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
  }

  void unsavedChangesAskSaveDiscardCancel() {
    QTemporaryDir dir;
    app::MainWindow w;
    w.setInteractive(false);
    w.show();
    newTown(w, 31);
    QVERIFY(w.document()->isModified());  // a new city exists nowhere on disk
    QStringList asked;
    auto answer = QMessageBox::Cancel;
    w.setUnsavedChangesAnswer([&](const QString& action) {
      asked << action;
      return answer;
    });

    // Cancel keeps everything: New city (before its dialog), Close, Quit.
    const auto city = w.document()->scenario();
    w.newCityDialog();
    QCOMPARE(asked, QStringList{QStringLiteral("New city")});
    QCOMPARE(w.document()->scenario(), city);
    asked.clear();
    w.closeProject();
    QCOMPARE(asked, QStringList{QStringLiteral("Close")});
    QVERIFY(w.hasScenario());
    QVERIFY(!w.close());  // Quit asks too, and Cancel keeps the window open
    QCOMPARE(asked.size(), 2);
    QVERIFY(w.isVisible());

    // Save writes the project, then the action goes on.
    const QString path = dir.filePath(QStringLiteral("town31.gpkg"));
    w.saveScenarioAs(path);
    QVERIFY(waitIdle(w));
    QVERIFY(!w.document()->isModified());
    QVERIFY(w.planning()->setAoi(square(w.scenario()->extent().centre(), 300.0)).ok());
    QVERIFY(w.document()->isModified());
    answer = QMessageBox::Save;
    w.closeProject();
    QVERIFY(!w.hasScenario());
    auto saved = core::loadScenario(path);
    QVERIFY(saved.ok());
    QVERIFY(!saved->aoi.isEmpty());  // the AOI drawn before Close was saved first
    QVERIFY(!saved->candidates.empty());

    // Discard: open the saved file again, change it, open it again without saving.
    w.openChosenFile(path);
    QVERIFY(waitIdle(w));
    QVERIFY(w.hasScenario());
    QVERIFY(!w.document()->isModified());
    const int asks = int(asked.size());
    QVERIFY(w.planning()->setAoi(square(w.scenario()->extent().centre(), 200.0)).ok());
    answer = QMessageBox::Discard;
    w.openChosenFile(path);
    QCOMPARE(int(asked.size()), asks + 1);
    QCOMPARE(asked.back(), QStringLiteral("Open"));
    QVERIFY(waitIdle(w));
    QVERIFY(!w.document()->isModified());
    auto reread = core::loadScenario(path);
    QVERIFY(reread.ok());
    QCOMPARE(reread->candidates.size(), saved->candidates.size());  // the discarded AOI is not in the file
    // Nothing unsaved: no question.
    w.closeProject();
    QCOMPARE(int(asked.size()), asks + 1);
  }

  void saveAsKeyAndLayoutRestored() {
    {
      app::MainWindow w;
      w.setInteractive(false);
      auto* saveAs = w.findChild<QAction*>(QStringLiteral("saveAsAction"));
      QVERIFY(saveAs);
      QCOMPARE(saveAs->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+S")));
      w.resize(1111, 777);
      w.show();
      QVERIFY(QTest::qWaitForWindowExposed(&w));
      w.findChild<QDockWidget*>(QStringLiteral("layersDock"))->hide();
      QVERIFY(w.close());
    }
    app::MainWindow again;
    again.show();
    QVERIFY(QTest::qWaitForWindowExposed(&again));
    QCOMPARE(again.size(), QSize(1111, 777));
    QVERIFY(!again.findChild<QDockWidget*>(QStringLiteral("layersDock"))->isVisible());
    again.findChild<QDockWidget*>(QStringLiteral("layersDock"))->show();
    QVERIFY(again.close());
  }

  void openOnARasterAsks() {
    QTemporaryDir dir;
    const QString raster = writeRaster(dir.path(), -35.0, -8.0);  // far from any simulated town
    QVERIFY(!raster.isEmpty());
    app::MainWindow w;
    w.setInteractive(false);
    w.show();
    newTown(w, 32);
    const int layers = w.canvas()->layerCount();
    const core::PointXY centre = w.canvas()->view().centre();
    QList<QString> asked;
    app::MainWindow::OpenAs answer = app::MainWindow::OpenAs::Cancel;
    w.setOpenAsAnswer([&](const QString& path) {
      asked << path;
      return answer;
    });
    w.openChosenFile(raster);
    QCOMPARE(asked.size(), 1);
    QCOMPARE(w.canvas()->layerCount(), layers);  // cancelled
    answer = app::MainWindow::OpenAs::Layer;
    w.openChosenFile(raster);
    QCOMPARE(w.canvas()->layerCount(), layers + 1);
    QVERIFY(w.hasScenario());
    // The view stays on the city (not the union with a raster 9,000 km away).
    QCOMPARE(w.canvas()->view().centre().x, centre.x);
    QCOMPARE(w.canvas()->view().centre().y, centre.y);
    answer = app::MainWindow::OpenAs::NewProject;
    w.setUnsavedChangesAnswer([](const QString&) { return QMessageBox::Discard; });
    w.openChosenFile(raster);
    QVERIFY(!w.hasScenario());
    QCOMPARE(w.canvas()->layerCount(), 1);
  }

  void gridChangeAfterGenerationAsksAndDiscards() {
    QTemporaryDir dir;
    app::MainWindow w;
    w.setInteractive(false);
    w.show();
    newTown(w, 33);
    aoiAndGeneration(w);
    app::PlanningController* planning = w.planning();
    const auto before = w.document()->scenario();
    QStringList questions;
    bool yes = false;
    planning->setConfirmation([&](const QString&, const QString& question) {
      questions << question;
      return yes;
    });
    core::CandidateGridOptions finer = planning->gridOptions();
    finer.cellSize = 50.0;
    const core::Status refused = planning->setGridOptions(finer);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code(), core::ErrorCode::Cancelled);
    QCOMPARE(questions.size(), 1);
    QVERIFY2(questions.front().contains(
                 QStringLiteral("Discard the generated traffic of %1 site").arg(before->trafficGenerated.front().samplesBySite.size())),
             qPrintable(questions.front()));
    QCOMPARE(w.document()->scenario(), before);  // nothing changed

    yes = true;
    QVERIFY(planning->setGridOptions(finer).ok());
    QVERIFY(planning->ranking() == nullptr);
    QVERIFY(w.scenario()->trafficGenerated.empty());
    // The export refuses rather than re-map old values onto new cells.
    const QString csv = dir.filePath(QStringLiteral("ranking.csv"));
    QVERIFY(!planning->exportRankingCsv(csv).ok());
    QVERIFY(!QFile::exists(csv));
    // A far-away AOI is refused with a reason, and the grid stays.
    const auto grid = w.document()->scenario();
    const core::Status far = planning->setAoi(square({grid->extent().centre().x + 9.0e6, grid->extent().centre().y}, 1000.0));
    QVERIFY(!far.ok());
    QVERIFY(far.error().message().contains(QStringLiteral("does not overlap")));
    QCOMPARE(w.document()->scenario(), grid);
    // Undo brings grid, traffic and ranking back together.
    w.undoStack()->undo();
    QVERIFY(planning->ranking() != nullptr);
    QCOMPARE(w.scenario()->candidates.size(), before->candidates.size());
  }

  void legendFollowsTheRanking() {
    app::MainWindow w;
    w.setInteractive(false);
    w.show();
    newTown(w, 34);
    aoiAndGeneration(w);
    app::PlanningController* planning = w.planning();
    auto heatLayer = [&]() -> const ui::MapLayer* {
      for (int i = 0; i < w.canvas()->layerCount(); ++i)
        if (w.canvas()->layer(i)->name().startsWith(QStringLiteral("Utility"))) return w.canvas()->layer(i);
      return nullptr;
    };
    auto panelText = [&] {
      QStringList texts;
      auto* tree = w.findChild<QTreeWidget*>();
      for (QTreeWidgetItemIterator it(tree); *it; ++it) texts << (*it)->text(0);
      return texts.join(QLatin1Char('\n'));
    };
    QVERIFY(heatLayer());
    QTRY_VERIFY(panelText().contains(QStringLiteral("top 10")));
    core::RankingOptions o = planning->rankingOptions();
    o.utility = core::Utility::MeanDemand;
    o.topK = 5;
    planning->rerank(o);
    QVERIFY(heatLayer()->name().contains(QStringLiteral("top 5")));
    QTRY_VERIFY2(panelText().contains(QStringLiteral("top 5")), qPrintable(panelText()));
    QVERIFY(!panelText().contains(QStringLiteral("top 10")));
    // A second generation: the ramp is still there.
    aoiAndGeneration(w, 1);
    const auto legend = heatLayer()->legend();
    QVERIFY(std::count_if(legend.begin(), legend.end(),
                          [](const ui::LegendEntry& e) { return e.symbol == ui::LegendEntry::Symbol::Ramp; }) >= 2);
    QTRY_VERIFY(panelText().contains(QStringLiteral("max ")));
  }

  void saveWhileTheProjectChanges() {
    // The save writes the version it started from; edits, undos and a finishing generation meanwhile
    // change the project on show, never the version being written.
    QTemporaryDir dir;
    app::MainWindow w;
    w.setInteractive(false);
    w.show();
    newTown(w, 35);
    aoiAndGeneration(w);
    const std::size_t candidates = w.scenario()->candidates.size();
    const QString path = dir.filePath(QStringLiteral("racing.gpkg"));
    w.planning()->setConfirmation([](const QString&, const QString&) { return true; });
    w.saveScenarioAs(path);
    QVERIFY(w.isBusy());
    w.undoStack()->undo();  // the generation goes
    w.undoStack()->redo();
    core::CandidateGridOptions finer = w.planning()->gridOptions();
    finer.cellSize = 50.0;
    QVERIFY(w.planning()->setGridOptions(finer).ok());  // grid and traffic replaced
    aoiAndGeneration(w, 2);                             // a generation finishes
    QVERIFY(waitIdle(w));
    QVERIFY(w.document()->isModified());  // the edits are not in the file
    auto saved = core::loadScenario(path);
    QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error().toString()));
    QCOMPARE(saved->candidates.size(), candidates);
    QCOMPARE(saved->trafficGenerated.size(), std::size_t(1));
    QVERIFY(core::generationMatchesGrid(*saved, saved->trafficGenerated.front()));
  }

  void saveWhileAGenerationRuns() {
    // Real threads at once: a generation on the generator thread, Save pressed meanwhile (queued
    // behind it, writing the version of the click), an on-demand site on the generator thread and
    // undo/redo on the GUI thread while the save runs. The file holds what was on show at the click.
    if (!app::hasEmbeddedWeights(app::kNetSpatialId)) QSKIP("this build embeds no NetSpatial weights");
    QTemporaryDir dir;
    app::MainWindow w;
    w.setInteractive(false);
    w.show();
    newTown(w, 36);
    const core::PointXY centre = w.scenario()->extent().centre();
    QVERIFY(w.planning()->setAoi(square(centre, 300.0)).ok());
    const std::size_t candidates = w.scenario()->candidates.size();
    QVERIFY(candidates > 0);
    QSignalSpy finished(w.planning(), &app::PlanningController::generationFinished);
    QVERIFY(w.planning()->startGeneration());
    const QString atClick = dir.filePath(QStringLiteral("at-click.gpkg"));
    w.saveScenarioAs(atClick);
    QCOMPARE(w.tasks()->queuedCount(), 1);  // the save waits for the generation
    QVERIFY(finished.wait(300000) || finished.count() == 1);
    QCOMPARE(finished.takeFirst().at(0).toString(), QString());
    QCOMPARE(w.scenario()->trafficGenerated.size(), std::size_t(1));
    // The save runs now: a site away from the grid is generated on demand meanwhile, and the
    // generation is undone and redone.
    QVERIFY(w.isBusy());
    QVERIFY(w.planning()->session()->inspectPoint(core::PointXY{centre.x + 1500.0, centre.y + 1500.0}, 1.0));
    w.undoStack()->undo();
    QVERIFY(w.scenario()->trafficGenerated.empty());
    w.undoStack()->redo();
    QVERIFY(waitIdle(w));
    QVERIFY(w.document()->isModified());  // the generation is not in the file
    auto saved = core::loadScenario(atClick);
    QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error().toString()));
    QCOMPARE(saved->candidates.size(), candidates);
    QVERIFY(saved->trafficGenerated.empty());

    // Saved again: now with the generation, bound to its grid.
    const QString after = dir.filePath(QStringLiteral("after.gpkg"));
    w.saveScenarioAs(after);
    QVERIFY(waitIdle(w));
    QVERIFY(!w.document()->isModified());
    saved = core::loadScenario(after);
    QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error().toString()));
    QCOMPARE(saved->trafficGenerated.size(), std::size_t(1));
    QVERIFY(core::generationMatchesGrid(*saved, saved->trafficGenerated.front()));
  }
};

QTEST_MAIN(TestProjectSafety)
#include "tst_projectsafety.moc"
