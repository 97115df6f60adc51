// The project workflow of the main window, driven as the menu actions drive it: New city, Save As,
// Open, and a cancelled job leaving the project as it was. Jobs run on the window's worker thread.

#include "app/common/generatorchoice.h"
#include "app/studio/mainwindow.h"
#include "app/studio/modelscontroller.h"
#include "app/studio/projectdocument.h"
#include "core/scenario/scenariostore.h"
#include "ui/map/mapcanvas.h"

#include <QApplication>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QStatusBar>
#include <QTest>
#include <QUndoStack>

using namespace netspatial;

class TestMainWindow : public QObject {
  Q_OBJECT

  // Waits for the running job; returns its error message (empty on success).
  static QString waitForJob(app::MainWindow& window, QString* lastError) {
    if (!QTest::qWaitFor([&] { return !window.isBusy(); }, 120000)) return QStringLiteral("timed out");
    return *lastError;
  }

 private Q_SLOTS:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

  void newSaveOpen() {
    QTemporaryDir dir;
    app::MainWindow window;
    window.setInteractive(false);
    QString lastError;
    window.setJobFinishedCallback([&](const QString& error) { lastError = error; });
    window.resize(900, 600);
    window.show();

    window.newCity(QStringLiteral("town"), 21);
    QVERIFY(window.isBusy());
    QCOMPARE(waitForJob(window, &lastError), QString());
    QVERIFY(window.hasScenario());
    QCOMPARE(window.scenario()->metadata.preset, QStringLiteral("town"));
    QCOMPARE(window.scenario()->metadata.seed, quint64(21));
    QVERIFY(window.canvas()->layerCount() >= 5);
    QVERIFY(window.canvas()->mapCrs().isEquivalentTo(window.scenario()->metadata.crs));
    const std::size_t stations = window.scenario()->stations.size();

    const QString path = dir.filePath(QStringLiteral("town21.gpkg"));
    window.saveScenarioAs(path);
    QCOMPARE(waitForJob(window, &lastError), QString());
    QCOMPARE(window.scenarioPath(), path);
    auto saved = core::loadScenario(path);
    QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error().toString()));
    QCOMPARE(saved->stations.size(), stations);

    // Another city replaces the project; opening the saved file brings the first one back.
    window.newCity(QStringLiteral("town"), 22);
    QCOMPARE(waitForJob(window, &lastError), QString());
    QCOMPARE(window.scenario()->metadata.seed, quint64(22));
    window.openFile(path);
    QCOMPARE(waitForJob(window, &lastError), QString());
    QCOMPARE(window.scenario()->metadata.seed, quint64(21));
    QCOMPARE(window.scenario()->stations.size(), stations);
    QCOMPARE(window.scenarioPath(), path);
  }

  void modelsMenuRemovesAProjectModel() {
    app::MainWindow window;
    window.setInteractive(false);
    QString lastError;
    window.setJobFinishedCallback([&](const QString& error) { lastError = error; });
    window.show();
    window.newCity(QStringLiteral("town"), 21);
    QCOMPARE(waitForJob(window, &lastError), QString());
    app::ModelsController* models = window.models();
    QVERIFY(!models->removeAction()->isEnabled());  // nothing to remove
    core::ProjectModel model;
    model.id = QStringLiteral("pm_menu");
    model.name = QStringLiteral("Town model");
    core::RunRecord run;
    run.runId = QStringLiteral("train-menu");
    run.kind = QStringLiteral("train");
    QVERIFY(window.document()->addProjectModel(model, run).ok());
    QVERIFY(models->removeAction()->isEnabled());
    QVERIFY(window.document()->setGeneratorKey(app::GeneratorRole::Forecast, app::projectGeneratorKey(model.id)).ok());

    QVERIFY(!models->removeModel(QStringLiteral("pm_other")));
    QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("no model 'pm_other'")));
    QVERIFY(models->removeModel(model.id));
    QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("\"Town model\" removed")),
             qPrintable(window.statusBar()->currentMessage()));
    QVERIFY(window.scenario()->projectModels.empty());
    QCOMPARE(window.document()->generatorKey(app::GeneratorRole::Forecast), app::defaultGeneratorKey());
    QVERIFY(!models->removeAction()->isEnabled());
    window.document()->undoStack()->undo();
    QVERIFY(models->removeAction()->isEnabled());
    QCOMPARE(window.document()->generatorKey(app::GeneratorRole::Forecast), app::projectGeneratorKey(model.id));
  }

  void cancelledJobLeavesTheProject() {
    app::MainWindow window;
    window.setInteractive(false);
    QString lastError;
    window.setJobFinishedCallback([&](const QString& error) { lastError = error; });
    window.newCity(QStringLiteral("town"), 31);
    QCOMPARE(waitForJob(window, &lastError), QString());
    const core::Scenario* before = window.scenario();
    const int layersBefore = window.canvas()->layerCount();

    window.newCity(QStringLiteral("city"), 32);  // seconds of work: time to cancel it
    QVERIFY(window.isBusy());
    window.cancelJob();
    const QString error = waitForJob(window, &lastError);
    QVERIFY2(error.contains(QStringLiteral("cancel"), Qt::CaseInsensitive), qPrintable(error));
    QCOMPARE(window.scenario(), before);
    QCOMPARE(window.scenario()->metadata.seed, quint64(31));
    QCOMPARE(window.canvas()->layerCount(), layersBefore);
  }

  void brokenFileChangesNothing() {
    QTemporaryDir dir;
    app::MainWindow window;
    window.setInteractive(false);
    QString lastError;
    window.setJobFinishedCallback([&](const QString& error) { lastError = error; });
    window.newCity(QStringLiteral("town"), 41);
    QCOMPARE(waitForJob(window, &lastError), QString());
    const core::Scenario* before = window.scenario();
    const QString text = dir.filePath(QStringLiteral("notes.gpkg"));
    QFile f(text);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not a geopackage\n");
    f.close();
    window.openFile(text);
    QVERIFY(!waitForJob(window, &lastError).isEmpty() || !window.openErrors().isEmpty());
    QCOMPARE(window.scenario(), before);
  }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
