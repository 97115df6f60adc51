// File › New scenario from data… in the main window (issue 19): the menu action asks about unsaved
// changes, the wizard (filled here as a user would, with Olinda's Landsat scene and a stations CSV)
// hands its options to one task that imports and saves, and the result is the new project. A
// cancelled task writes nothing and leaves the project; a bad row is reported with file, row, field.

#include "app/studio/mainwindow.h"
#include "core/scenario/scenariostore.h"
#include "tests/testdata.h"
#include "ui/import/importpreviewpage.h"
#include "ui/import/newscenariowizard.h"
#include "ui/map/mapcanvas.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QLabel>
#include <QTest>

using namespace netspatial;

namespace {

const char* const kStations = "id,name,lon,lat\nA1,Carmo,-34.8553,-8.0136\nA2,Se,-34.8600,-8.0100\n";

// NETSPATIAL_SCREENSHOT_DIR=/tmp/shots: each wizard page and the resulting window saved as PNG, to look at.
void screenshot(QWidget& widget, const char* name) {
  const QString dir = qEnvironmentVariable("NETSPATIAL_SCREENSHOT_DIR");
  if (dir.isEmpty()) return;
  QTest::qWait(200);  // laid out and painted
  widget.grab().save(QDir(dir).filePath(QString::fromLatin1(name)));
}

// What a user does in the wizard: the files, bands 3,2,1, the census field, the preview checked,
// Create → `out`.
bool fillOlinda(ui::NewScenarioWizard& wizard, const QString& stations, const QString& landsat, const QString& census, const QString& out) {
  wizard.show();
  wizard.setFile(ui::ImportSource::Stations, stations);
  wizard.setFile(ui::ImportSource::Imagery, landsat);
  wizard.setFile(ui::ImportSource::Population, census);
  screenshot(wizard, "wizard-1-files.png");
  wizard.next();
  const char* names[3] = {"imageryBandR", "imageryBandG", "imageryBandB"};
  for (int i = 0; i < 3; ++i) wizard.findChild<QSpinBox*>(QString::fromLatin1(names[i]))->setValue(3 - i);
  auto* population = wizard.findChild<QComboBox*>(QStringLiteral("populationField"));
  population->setCurrentIndex(population->findData(QStringLiteral("V014")));
  screenshot(wizard, "wizard-2-fields.png");
  wizard.next();
  if (!QTest::qWaitFor([&] { return wizard.previewPage()->isReady(); }, 60000)) return false;
  (void)QTest::qWaitFor([&] { return !wizard.previewPage()->map()->isRenderPending(); }, 30000);  // a screenshot only: drawn or not, go on
  screenshot(wizard, "wizard-3-preview.png");
  if (!wizard.button(QWizard::FinishButton)->isEnabled()) return false;
  wizard.setOutputChooser([out](const QString&) { return out; });
  wizard.button(QWizard::FinishButton)->click();
  return wizard.result() == QDialog::Accepted;
}

QAction* action(app::MainWindow& window, const char* name) { return window.findChild<QAction*>(QString::fromLatin1(name)); }

}  // namespace

class TestImportWizardFlow : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("netspatial-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_importwizardflow"));
  }

  void wizardToNewProject() {
    NETSPATIAL_SHARED_FILE(landsat, "olinda/L7_ETMs.tif");
    NETSPATIAL_SHARED_FILE(census, "olinda/olinda1.shp");
    QTemporaryDir dir;
    const QString stations = tests::writeFile(dir, QStringLiteral("stations.csv"), kStations);
    const QString out = dir.filePath(QStringLiteral("olinda.gpkg"));
    app::MainWindow window;
    window.setInteractive(false);
    QString lastError;
    window.setJobFinishedCallback([&](const QString& error) { lastError = error; });
    window.resize(1000, 700);
    window.show();
    window.newCity(QStringLiteral("town"), 7);  // an unsaved project to be asked about
    QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 120000);
    QVERIFY(window.document() && window.hasScenario());

    QStringList asked;
    window.setUnsavedChangesAnswer([&](const QString& what) {
      asked << what;
      return QMessageBox::Discard;
    });
    bool driven = false;
    window.setScenarioWizardDriver([&](ui::NewScenarioWizard& wizard) {
      driven = true;
      return fillOlinda(wizard, stations, landsat, census, out);
    });
    QAction* newFromData = action(window, "newScenarioFromDataAction");
    QVERIFY(newFromData && newFromData->isEnabled());
    newFromData->trigger();
    QCOMPARE(asked, QStringList{QStringLiteral("New scenario")});
    QVERIFY(driven);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 120000);
    QCOMPARE(lastError, QString());

    // The new project: the imported scenario, saved where Create said, shown on the map.
    QCOMPARE(window.scenarioPath(), out);
    QCOMPARE(window.scenario()->metadata.name, QStringLiteral("olinda"));
    QCOMPARE(window.scenario()->stations.size(), std::size_t(2));
    QCOMPARE(window.scenario()->stations.front().id, QStringLiteral("A1"));
    QVERIFY(!window.scenario()->imagery.grid.isEmpty());
    QVERIFY(!window.scenario()->population.grid.isEmpty());
    QVERIFY(window.scenario()->pois.empty());  // not given: missing, not made up
    // …and said so beside the layers, with each modality's contents and source in the tooltip.
    QLabel* note = window.findChild<QLabel*>(QStringLiteral("layersNote"));
    QVERIFY(note && note->isVisible());
    QCOMPARE(note->text(), QStringLiteral("Missing: traffic sites, observed traffic, points of interest, land-use zones"));
    QVERIFY2(note->toolTip().contains(QStringLiteral("imagery: 349 × 353 px, 28.5 m — L7_ETMs.tif")), qPrintable(note->toolTip()));
    QVERIFY(!window.windowTitle().contains(QLatin1Char('*')));
    QVERIFY(window.canvas()->layerCount() > 0);
    QVERIFY(window.canvas()->mapCrs().isEquivalentTo(window.scenario()->metadata.crs));
    auto saved = core::loadScenario(out);
    QVERIFY2(saved.ok(), saved.ok() ? "" : qPrintable(saved.error().toString()));
    QCOMPARE(saved->stations.size(), std::size_t(2));
    QCOMPARE(saved->imagery.grid.width, window.scenario()->imagery.grid.width);
    (void)QTest::qWaitFor([&] { return !window.canvas()->isRenderPending(); }, 30000);  // a screenshot only: drawn or not, go on
    screenshot(window, "studio-olinda.png");
  }

  void cancelAtTheQuestionChangesNothing() {
    app::MainWindow window;
    window.setInteractive(false);
    window.newCity(QStringLiteral("town"), 8);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 120000);
    const core::Scenario* before = window.scenario();
    window.setUnsavedChangesAnswer([](const QString&) { return QMessageBox::Cancel; });
    bool driven = false;
    window.setScenarioWizardDriver([&](ui::NewScenarioWizard&) { return driven = true; });
    action(window, "newScenarioFromDataAction")->trigger();
    QVERIFY(!driven);
    QVERIFY(!window.isBusy());
    QCOMPARE(window.scenario(), before);
  }

  void cancelledTaskWritesNothing() {
    NETSPATIAL_SHARED_FILE(landsat, "olinda/L7_ETMs.tif");
    QTemporaryDir dir;
    app::MainWindow window;
    window.setInteractive(false);
    QString lastError;
    window.setJobFinishedCallback([&](const QString& error) { lastError = error; });
    window.newCity(QStringLiteral("town"), 9);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 120000);
    const core::Scenario* before = window.scenario();
    core::ScenarioImportOptions o;
    o.imagery = core::ImageryImportOptions{};
    o.imagery->path = landsat;
    const QString out = dir.filePath(QStringLiteral("never.gpkg"));
    window.newScenarioFromData(o, out);
    QVERIFY(window.isBusy());
    window.cancelJob();
    QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 120000);
    QVERIFY2(lastError.contains(QStringLiteral("cancel")), qPrintable(lastError));
    QVERIFY(!QFileInfo::exists(out));
    QCOMPARE(window.scenario(), before);
  }

  void badRowIsReportedAndChangesNothing() {
    NETSPATIAL_SHARED_FILE(landsat, "olinda/L7_ETMs.tif");
    QTemporaryDir dir;
    app::MainWindow window;
    window.setInteractive(false);
    QString lastError;
    window.setJobFinishedCallback([&](const QString& error) { lastError = error; });
    window.newCity(QStringLiteral("town"), 10);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 120000);
    const core::Scenario* before = window.scenario();
    core::ScenarioImportOptions o;
    core::StationImportOptions st;
    st.source.path =
        tests::writeFile(dir, QStringLiteral("towers.csv"), "id,capacity,lon,lat\nA1,120,-34.8553,-8.0136\nA2,lots,-34.86,-8.01\n");
    st.capacityField = QStringLiteral("capacity");
    o.stations = st;
    const QString out = dir.filePath(QStringLiteral("bad.gpkg"));
    window.newScenarioFromData(o, out);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 120000);
    QVERIFY2(lastError.contains(QStringLiteral("towers.csv")) && lastError.contains(QStringLiteral("row 2")) &&
                 lastError.contains(QStringLiteral("capacity")),
             qPrintable(lastError));
    QVERIFY(!QFileInfo::exists(out));
    QCOMPARE(window.scenario(), before);
  }
};

QTEST_MAIN(TestImportWizardFlow)
#include "tst_importwizardflow.moc"
