// File › New scenario from data… (issue 19), driven as a user fills it: Olinda's Landsat scene
// (bands 3,2,1), its census tracts as population (field V014) and a stations CSV written here.
// Checks the options the wizard hands to core::importScenario, the preview's table (imagery at
// ~28.5 m/px said to be much coarser than the model's 8 m/px; missing modalities said missing),
// and that a problem — layers of two different places, a bad value in a row — is shown with the
// import's own message and keeps Create disabled.

#include "core/import/scenariopreview.h"
#include "tests/testdata.h"
#include "ui/import/fieldmappingpage.h"
#include "ui/import/importpreviewpage.h"
#include "ui/import/newscenariowizard.h"
#include "ui/import/sourcefilespage.h"
#include "ui/map/mapcanvas.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace netspatial;
using ui::ImportSource;
using ui::NewScenarioWizard;

namespace {

// Two stations in Olinda's historic centre, inside the Landsat scene and the census tracts.
const char* const kStations = "id,name,lon,lat\nA1,Carmo,-34.8553,-8.0136\nA2,Se,-34.8600,-8.0100\n";

// The table's "Will contain" text of a modality ("imagery", …).
QString contents(const QTableWidget* table, const QString& modality) {
  for (int row = 0; row < table->rowCount(); ++row)
    if (table->item(row, 0)->data(Qt::UserRole).toString() == modality) return table->item(row, 2)->text();
  return QStringLiteral("<no row %1>").arg(modality);
}

void selectField(QWizard& wizard, const char* combo, const QString& field) {
  auto* box = wizard.findChild<QComboBox*>(QString::fromLatin1(combo));
  QVERIFY2(box, combo);
  const int at = box->findData(field);
  QVERIFY2(at >= 0, qPrintable(QStringLiteral("%1 has no field %2").arg(QLatin1String(combo), field)));
  box->setCurrentIndex(at);
}

bool waitForPreview(NewScenarioWizard& wizard) {
  return QTest::qWaitFor([&] { return wizard.previewPage()->isReady(); }, 60000);
}

}  // namespace

class TestNewScenarioWizard : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("netspatial-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_newscenariowizard"));
  }

  void filesPageNeedsAFileOrAnExtent() {
    NewScenarioWizard wizard;
    wizard.show();
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    wizard.filesPage()->extentEdit()->setText(QStringLiteral("-34.9,-8.05,-34.8"));  // three numbers
    QVERIFY(!wizard.button(QWizard::NextButton)->isEnabled());
    QVERIFY(wizard.findChild<QLabel*>(QStringLiteral("filesHint"))->text().contains(QStringLiteral("minlon,minlat,maxlon,maxlat")));
    wizard.filesPage()->extentEdit()->setText(QStringLiteral("-34.9,-8.05,-34.8,-7.95"));
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    const auto extent = wizard.options().extentLonLat;
    QVERIFY(extent.has_value());
    QCOMPARE(extent->xMin, -34.9);
    QCOMPARE(extent->yMax, -7.95);
  }

  void olindaOptionsPreviewAndCreate() {
    NETSPATIAL_SHARED_FILE(landsat, "olinda/L7_ETMs.tif");
    NETSPATIAL_SHARED_FILE(census, "olinda/olinda1.shp");
    QTemporaryDir dir;
    const QString stations = tests::writeFile(dir, QStringLiteral("olinda_stations.csv"), kStations);

    NewScenarioWizard wizard;
    wizard.show();
    wizard.setFile(ImportSource::Stations, stations);
    wizard.setFile(ImportSource::Imagery, landsat);
    wizard.setFile(ImportSource::Population, census);
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    wizard.next();
    QCOMPARE(wizard.currentId(), int(NewScenarioWizard::FieldsPageId));

    // Defaults guessed from the names: the id and name columns, lon/lat detected.
    QCOMPARE(wizard.findChild<QComboBox*>(QStringLiteral("stationIdField"))->currentData().toString(), QStringLiteral("id"));
    QCOMPARE(wizard.findChild<QComboBox*>(QStringLiteral("stationNameField"))->currentData().toString(), QStringLiteral("name"));
    QCOMPARE(wizard.findChild<QComboBox*>(QStringLiteral("stationXField"))->currentData().toString(), QStringLiteral("lon"));
    QCOMPARE(wizard.findChild<QComboBox*>(QStringLiteral("stationYField"))->currentData().toString(), QStringLiteral("lat"));
    // The Landsat scene's band count is shown, and the spin boxes stop there.
    auto* red = wizard.findChild<QSpinBox*>(QStringLiteral("imageryBandR"));
    QVERIFY(red);
    QVERIFY2(wizard.findChild<QLabel*>(QStringLiteral("imageryBandCount"))->text().contains(QStringLiteral("of 6 bands")),
             qPrintable(wizard.findChild<QLabel*>(QStringLiteral("imageryBandCount"))->text()));
    QCOMPARE(red->maximum(), 6);
    // The census tracts are polygons: the population field is asked for, its choices are the fields.
    selectField(wizard, "populationField", QStringLiteral("V014"));
    red->setValue(3);
    wizard.findChild<QSpinBox*>(QStringLiteral("imageryBandG"))->setValue(2);
    wizard.findChild<QSpinBox*>(QStringLiteral("imageryBandB"))->setValue(1);
    wizard.findChild<QLineEdit*>(QStringLiteral("stationIdPrefix"))->setText(QStringLiteral("olinda-"));
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());

    const core::ScenarioImportOptions o = wizard.options();
    QVERIFY(o.stations.has_value());
    QCOMPARE(o.stations->source.path, stations);
    QCOMPARE(o.stations->idField, QStringLiteral("id"));
    QCOMPARE(o.stations->nameField, QStringLiteral("name"));
    QCOMPARE(o.stations->typeField, QString());  // none: the default type, with a report line
    QCOMPARE(o.stations->idPrefix, QStringLiteral("olinda-"));
    QCOMPARE(o.stations->source.xField, QStringLiteral("lon"));
    QVERIFY(o.imagery.has_value());
    QCOMPARE(o.imagery->path, landsat);
    QCOMPARE(o.imagery->bands, (std::array<int, 3>{3, 2, 1}));
    QVERIFY(o.population.has_value());
    QCOMPARE(o.population->field, QStringLiteral("V014"));
    QCOMPARE(o.population->cellSize, 100.0);
    QVERIFY(!o.pois && !o.zones && !o.trafficSites && o.trafficPath.isEmpty());
    QVERIFY(o.aoiPath.isEmpty() && !o.extentLonLat && o.crs.isEmpty());

    wizard.next();
    QCOMPARE(wizard.currentId(), int(NewScenarioWizard::PreviewPageId));
    QVERIFY(!wizard.button(QWizard::FinishButton)->isEnabled());  // until the check is done
    QVERIFY(waitForPreview(wizard));
    const core::ScenarioPreview& p = wizard.previewPage()->preview();
    QVERIFY2(p.problems.isEmpty(), qPrintable(p.problems.join(QLatin1Char('\n'))));
    QCOMPARE(p.crs.authId(), QStringLiteral("EPSG:32725"));  // the UTM zone of the centre, as the import picks it
    const QTableWidget* table = wizard.previewPage()->table();
    QCOMPARE(table->rowCount(), 7);
    QCOMPARE(contents(table, QStringLiteral("stations")), QStringLiteral("2 stations (2 macro, 0 micro)"));
    const QString imagery = contents(table, QStringLiteral("imagery"));
    QVERIFY2(imagery.contains(QStringLiteral("28.5 m/px")), qPrintable(imagery));
    QVERIFY2(imagery.contains(QStringLiteral("much coarser than the model's 8 m/px")), qPrintable(imagery));
    QVERIFY2(imagery.contains(QStringLiteral("bands 3,2,1 of 6")), qPrintable(imagery));
    QVERIFY(std::abs(p.imageryPixelSize - 28.5) < 0.5);
    const QString population = contents(table, QStringLiteral("population"));
    QVERIFY2(population.startsWith(QStringLiteral("470 polygons, field V014")), qPrintable(population));
    for (const char* missing : {"traffic_sites", "traffic", "pois", "zones"})
      QCOMPARE(contents(table, QString::fromLatin1(missing)), core::missingModalityText());
    // The map shows the three files and the extent, in the scenario's CRS.
    QCOMPARE(wizard.previewPage()->map()->layerCount(), 4);
    QVERIFY(wizard.previewPage()->map()->mapCrs().isEquivalentTo(p.crs));
    QVERIFY(!wizard.previewPage()->problemsLabel()->isVisible());
    QVERIFY(wizard.button(QWizard::FinishButton)->isEnabled());

    // Create asks for the output, named after the first file; cancelling the dialog stays here.
    QCOMPARE(wizard.suggestedOutputName(), QStringLiteral("olinda_stations.gpkg"));
    wizard.setOutputChooser([](const QString&) { return QString(); });
    wizard.button(QWizard::FinishButton)->click();
    QVERIFY(wizard.isVisible());
    QCOMPARE(wizard.outputPath(), QString());
    QString suggested;
    const QString out = dir.filePath(QStringLiteral("olinda"));
    wizard.setOutputChooser([&](const QString& s) {
      suggested = s;
      return out;
    });
    wizard.button(QWizard::FinishButton)->click();
    QCOMPARE(wizard.result(), int(QDialog::Accepted));
    QVERIFY(suggested.endsWith(QStringLiteral("/olinda_stations.gpkg")));
    QCOMPARE(wizard.outputPath(), out + QStringLiteral(".gpkg"));
    QCOMPARE(wizard.options().name, QStringLiteral("olinda"));  // no name typed: the output's
  }

  void layersOfTwoPlacesDisableCreate() {
    NETSPATIAL_SHARED_FILE(landsat, "olinda/L7_ETMs.tif");
    NETSPATIAL_SHARED_FILE(oakland, "osm/west_oakland.osm");
    NewScenarioWizard wizard;
    wizard.show();
    wizard.setFile(ImportSource::Imagery, landsat);
    wizard.setFile(ImportSource::Pois, oakland);
    wizard.next();
    // An OSM extract needs no field: its tags go through the shipped table.
    QVERIFY(wizard.button(QWizard::NextButton)->isEnabled());
    QVERIFY(wizard.options().pois->categoryField.isEmpty());
    wizard.next();
    QVERIFY(waitForPreview(wizard));
    const QStringList& problems = wizard.previewPage()->preview().problems;
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().contains(QStringLiteral("does not overlap")), qPrintable(problems.first()));
    QVERIFY2(problems.first().contains(QStringLiteral("west_oakland.osm")) && problems.first().contains(QStringLiteral("L7_ETMs.tif")),
             qPrintable(problems.first()));
    QLabel* shown = wizard.previewPage()->problemsLabel();
    QVERIFY(shown->isVisible());
    QVERIFY2(shown->text().contains(problems.first()), qPrintable(shown->text()));
    QVERIFY(!wizard.button(QWizard::FinishButton)->isEnabled());
    // NETSPATIAL_SCREENSHOT_DIR=/tmp/shots: the page as a user sees it, to look at.
    if (const QString shots = qEnvironmentVariable("NETSPATIAL_SCREENSHOT_DIR"); !shots.isEmpty()) {
      QTest::qWait(200);
      wizard.grab().save(QDir(shots).filePath(QStringLiteral("wizard-3-preview-no-overlap.png")));
    }

    // Back, the second file removed: the check runs again and Create comes back.
    wizard.back();
    wizard.back();
    wizard.setFile(ImportSource::Pois, QString());
    wizard.next();
    wizard.next();
    QVERIFY(waitForPreview(wizard));
    QVERIFY(wizard.previewPage()->preview().problems.isEmpty());
    QVERIFY(wizard.button(QWizard::FinishButton)->isEnabled());
    QCOMPARE(contents(wizard.previewPage()->table(), QStringLiteral("pois")), core::missingModalityText());
  }

  void badValueNamesFileRowAndField() {
    NETSPATIAL_SHARED_FILE(landsat, "olinda/L7_ETMs.tif");
    QTemporaryDir dir;
    const QString stations =
        tests::writeFile(dir, QStringLiteral("towers.csv"), "id,capacity,lon,lat\nA1,120,-34.8553,-8.0136\nA2,lots,-34.8600,-8.0100\n");
    NewScenarioWizard wizard;
    wizard.show();
    wizard.setFile(ImportSource::Stations, stations);
    wizard.setFile(ImportSource::Imagery, landsat);
    wizard.next();
    QCOMPARE(wizard.findChild<QComboBox*>(QStringLiteral("stationCapacityField"))->currentData().toString(), QStringLiteral("capacity"));
    wizard.next();
    QVERIFY(waitForPreview(wizard));
    const QStringList& problems = wizard.previewPage()->preview().problems;
    QCOMPARE(problems.size(), 1);
    // The importer's message: the file, the row and the field.
    QVERIFY2(problems.first().contains(QStringLiteral("towers.csv")) && problems.first().contains(QStringLiteral("row 2")) &&
                 problems.first().contains(QStringLiteral("capacity")),
             qPrintable(problems.first()));
    QVERIFY(!wizard.button(QWizard::FinishButton)->isEnabled());
    QVERIFY(contents(wizard.previewPage()->table(), QStringLiteral("imagery")).contains(QStringLiteral("m/px")));
  }
};

QTEST_MAIN(TestNewScenarioWizard)
#include "tst_newscenariowizard.moc"
