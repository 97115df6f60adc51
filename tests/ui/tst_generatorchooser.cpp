// The generator chooser (issue 19, item 5) and its places: the planning settings dialog and the
// operations settings. What could go wrong: a disabled generator that can still be picked, a
// summary that shows another generator's unit, a signal on programmatic updates (which would make
// the app record an edit nobody made), and the row missing from the dialogs.

#include "ui/operations/operationssettingswidget.h"
#include "ui/planning/candidategriddialog.h"
#include "ui/util/generatorchooser.h"

#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>

using namespace netspatial;

namespace {

std::vector<ui::GeneratorChooserEntry> entries() {
  ui::GeneratorChooserEntry embedded{QStringLiteral("embedded:netspatial"),
                                     QStringLiteral("NetSpatial (embedded)"),
                                     QStringLiteral("Embedded models"),
                                     QStringLiteral("unit MB/h\ntrained on simulated cities\nunit differs"),
                                     true,
                                     {},
                                     true};
  ui::GeneratorChooserEntry project{QStringLiteral("project:pm_1"),
                                    QStringLiteral("Milan (project model)"),
                                    QStringLiteral("Project models"),
                                    QStringLiteral("unit activity\ntrained on this project's observed traffic\nmatches"),
                                    true,
                                    {},
                                    false};
  ui::GeneratorChooserEntry reference{QStringLiteral("reference:zone_template"),
                                      QStringLiteral("Zone template (reference)"),
                                      QStringLiteral("References"),
                                      QStringLiteral("this project has none"),
                                      false,
                                      QStringLiteral("fitted on the project's observed traffic, and this project has none"),
                                      false};
  return {embedded, project, reference};
}

int rowOf(const QComboBox* combo, const QString& key) { return combo->findData(key); }

}  // namespace

class TestGeneratorChooser : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void showsEntriesSummariesAndDisabledReasons() {
    ui::GeneratorChooser chooser;
    QSignalSpy chosen(&chooser, &ui::GeneratorChooser::generatorChosen);
    chooser.setEntries(entries(), QStringLiteral("embedded:netspatial"));
    QCOMPARE(chosen.count(), 0);  // a programmatic update is no user's choice
    QCOMPARE(chooser.currentKey(), QStringLiteral("embedded:netspatial"));
    QVERIFY(chooser.summaryLabel()->text().contains(QStringLiteral("unit MB/h")));
    QVERIFY(chooser.summaryLabel()->styleSheet().contains(QStringLiteral("color")));  // the calibration warning
    // Three groups: two separators between them.
    QCOMPARE(chooser.comboBox()->count(), 5);
    const int reference = rowOf(chooser.comboBox(), QStringLiteral("reference:zone_template"));
    QVERIFY(reference > 0);
    auto* model = qobject_cast<QStandardItemModel*>(chooser.comboBox()->model());
    QVERIFY(model && !model->item(reference)->isEnabled());
    QCOMPARE(chooser.comboBox()->itemData(reference, Qt::ToolTipRole).toString(),
             QStringLiteral("fitted on the project's observed traffic, and this project has none"));

    chooser.comboBox()->setCurrentIndex(rowOf(chooser.comboBox(), QStringLiteral("project:pm_1")));
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen.front().at(0).toString(), QStringLiteral("project:pm_1"));
    QVERIFY(chooser.summaryLabel()->text().contains(QStringLiteral("activity")));
    QVERIFY(chooser.summaryLabel()->styleSheet().isEmpty());  // it matches: no warning colour
  }

  void unknownCurrentKeyIsSaid() {
    ui::GeneratorChooser chooser;
    chooser.setEntries(entries(), QStringLiteral("project:gone"));
    QCOMPARE(chooser.currentKey(), QString());
    QCOMPARE(chooser.summaryLabel()->text(), QStringLiteral("no generator chosen"));
  }

  void planningDialogHasTheRow() {
    ui::CandidateGridDialog dialog(core::CandidateGridOptions{}, 8, 1);
    dialog.setGenerators(entries(), QStringLiteral("project:pm_1"));
    dialog.show();
    QVERIFY(dialog.generatorChooser()->isVisible());
    QCOMPARE(dialog.generatorKey(), QStringLiteral("project:pm_1"));
  }

  void operationsSettingsHaveTheChooser() {
    ui::OperationsSettingsWidget widget;
    QSignalSpy changed(&widget, &ui::OperationsSettingsWidget::settingsChanged);
    widget.generatorChooser()->setEntries(entries(), QStringLiteral("embedded:netspatial"));
    widget.show();
    QVERIFY(widget.generatorChooser()->isVisible());
    QCOMPARE(changed.count(), 0);  // the choice is the project's, not part of OperationsSettings
  }
};

QTEST_MAIN(TestGeneratorChooser)
#include "tst_generatorchooser.moc"
