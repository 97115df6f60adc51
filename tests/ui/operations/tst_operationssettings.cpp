// Operations settings panel (issue 7): every field of core::OperationsSettings survives
// setSettings() → settings(), edits emit settingsChanged() and setSettings() does not, the station
// scope options follow the selection and the zones, invalid EARTH parameters are named inline and
// make the panel invalid, and the reset restores the published defaults.
// With NETSPATIAL_OPS_SCREENSHOT=<folder> it also saves a grab of the panel.

#include "ui/operations/operationssettingswidget.h"

#include "core/operations/operationssettings.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

#include <limits>

using namespace netspatial::core;
using netspatial::ui::OperationsSettingsWidget;

namespace {

void compareEarth(const EarthPowerModel& a, const EarthPowerModel& b) {
  QCOMPARE(a.transceivers, b.transceivers);
  QCOMPARE(a.maxTransmitPowerW, b.maxTransmitPowerW);
  QCOMPARE(a.staticPowerW, b.staticPowerW);
  QCOMPARE(a.loadSlope, b.loadSlope);
  QCOMPARE(a.sleepPowerW, b.sleepPowerW);
}

// Field by field, so that a failure names the field.
void compareSettings(const OperationsSettings& a, const OperationsSettings& b) {
  QCOMPARE(int(a.scope), int(b.scope));
  QCOMPARE(a.zoneId, b.zoneId);
  QCOMPARE(a.horizonWeeks, b.horizonWeeks);
  QCOMPARE(a.forecastSamples, b.forecastSamples);
  QCOMPARE(a.seed, b.seed);
  compareEarth(a.macro, b.macro);
  if (QTest::currentTestFailed()) return;
  compareEarth(a.micro, b.micro);
  if (QTest::currentTestFailed()) return;
  QCOMPARE(a.capacityFromPeakFactor, b.capacityFromPeakFactor);
  QCOMPARE(a.sleep.sleep.neighbourDistance, b.sleep.sleep.neighbourDistance);
  QCOMPARE(a.sleep.sleep.maxUtilisation, b.sleep.sleep.maxUtilisation);
  QCOMPARE(a.sleep.sleep.exactGroupLimit, b.sleep.sleep.exactGroupLimit);
  QCOMPARE(a.sleep.sleep.timeLimitSeconds, b.sleep.sleep.timeLimitSeconds);
  QCOMPARE(a.sleep.sleep.relativeGap, b.sleep.sleep.relativeGap);
  QCOMPARE(a.sleep.quantile, b.sleep.quantile);
  QCOMPARE(a.sleep.safetyMargin, b.sleep.safetyMargin);
  QCOMPARE(a.sleep.nightStartHour, b.sleep.nightStartHour);
  QCOMPARE(a.sleep.nightEndHour, b.sleep.nightEndHour);
  QCOMPARE(a.sleep.tradeoffQuantiles, b.sleep.tradeoffQuantiles);
  QCOMPARE(a.paper.windowHours, b.paper.windowHours);
  QCOMPARE(a.paper.volatilityQuantile, b.paper.volatilityQuantile);
  QCOMPARE(a.balance.threshold, b.balance.threshold);
  QCOMPARE(a.balance.neighbourDistance, b.balance.neighbourDistance);
}

// Every field away from its default (the pass-through ones too).
OperationsSettings everythingChanged() {
  OperationsSettings s;
  s.scope = StationScope::Zone;
  s.zoneId = 42;
  s.horizonWeeks = 2;
  s.forecastSamples = 24;
  s.seed = std::numeric_limits<quint64>::max();  // past a QSpinBox's int
  s.macro = {4, 40.0, 84.5, 2.8, 56.0};
  s.micro = {1, 5.0, 38.0, 4.0, 29.5};
  s.capacityFromPeakFactor = 1.5;
  s.sleep.sleep.neighbourDistance = 750.0;
  s.sleep.sleep.maxUtilisation = 0.85;
  s.sleep.sleep.exactGroupLimit = 25;
  s.sleep.sleep.timeLimitSeconds = 0.5;
  s.sleep.sleep.relativeGap = 1e-4;
  s.sleep.quantile = 0.95;
  s.sleep.safetyMargin = 0.25;
  s.sleep.nightStartHour = 23;
  s.sleep.nightEndHour = 5;
  s.sleep.tradeoffQuantiles = {0.5, 0.75, 1.0};
  s.paper.windowHours = 12;
  s.paper.volatilityQuantile = 0.9;
  s.balance.threshold = 0.7;
  s.balance.neighbourDistance = 1200.0;
  return s;
}

const QList<QPair<qint64, QString>> kZones = {
    {7, QStringLiteral("Centro storico")}, {42, QStringLiteral("Porta Nuova")}, {99, QStringLiteral("Navigli")}};

}  // namespace

class TestOperationsSettings : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

  void showsTheDefaults() {
    OperationsSettingsWidget w;
    compareSettings(w.settings(), OperationsSettings{});
    QVERIFY(w.isValid());
    QVERIFY(w.problems().isEmpty());
    QVERIFY(w.scopeButton(StationScope::All)->isChecked());
    QCOMPARE(w.horizonSpin()->value(), 4);
    QCOMPARE(w.safetyMarginSpin()->value(), 10.0);  // shown as a percentage
    QCOMPARE(w.headroomSpin()->value(), 90.0);
    QCOMPARE(w.balanceThresholdSpin()->value(), 80.0);
  }

  void roundTripsEveryField() {
    OperationsSettingsWidget w;
    w.setZones(kZones);
    const OperationsSettings s = everythingChanged();
    w.setSettings(s);
    compareSettings(w.settings(), s);
    QCOMPARE(w.zoneCombo()->currentText(), QStringLiteral("Porta Nuova"));
    QCOMPARE(w.seedEdit()->text(), QStringLiteral("18446744073709551615"));
    QVERIFY2(w.isValid(), qPrintable(w.problems().join(QLatin1Char('\n'))));

    // And the other scopes.
    OperationsSettings selection = s;
    selection.scope = StationScope::Selection;
    w.setSelectionCount(3);
    w.setSettings(selection);
    compareSettings(w.settings(), selection);
    OperationsSettings all = s;
    all.scope = StationScope::All;
    all.zoneId = -1;
    w.setSettings(all);
    compareSettings(w.settings(), all);
  }

  void setSettingsIsSilentEditsAreNot() {
    OperationsSettingsWidget w;
    QSignalSpy changed(&w, &OperationsSettingsWidget::settingsChanged);
    w.setSettings(everythingChanged());
    w.setZones(kZones);
    w.setSelectionCount(5);
    QCOMPARE(changed.count(), 0);

    w.samplesSpin()->setValue(16);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(w.settings().forecastSamples, 16);
    w.safetyMarginSpin()->setValue(15.0);
    QCOMPARE(w.settings().sleep.safetyMargin, 0.15);
    w.paperWindowSpin()->setValue(24);
    QCOMPARE(w.settings().paper.windowHours, 24);
    w.balanceDistanceSpin()->setValue(300.0);
    QCOMPARE(w.settings().balance.neighbourDistance, 300.0);
    QCOMPARE(changed.count(), 4);

    // The seed accepts what a user types, up to 2⁶⁴ − 1; anything else leaves the last good seed.
    w.seedEdit()->clear();
    QTest::keyClicks(w.seedEdit(), QStringLiteral("123456789012"));
    QCOMPARE(w.settings().seed, quint64(123456789012ULL));
    QVERIFY(changed.count() > 4);
    w.seedEdit()->clear();
    QTest::keyClicks(w.seedEdit(), QStringLiteral("abc"));  // refused by the validator
    QCOMPARE(w.settings().seed, quint64(123456789012ULL));
  }

  void selectionScopeFollowsTheCount() {
    OperationsSettingsWidget w;
    QRadioButton* selection = w.scopeButton(StationScope::Selection);
    QCOMPARE(selection->text(), QStringLiteral("Selected stations (0)"));
    QVERIFY(!selection->isEnabled());
    w.setSelectionCount(3);
    QCOMPARE(selection->text(), QStringLiteral("Selected stations (3)"));
    QVERIFY(selection->isEnabled());

    QSignalSpy changed(&w, &OperationsSettingsWidget::settingsChanged);
    selection->click();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(int(w.settings().scope), int(StationScope::Selection));
    QVERIFY(w.isValid());

    // The selection empties while it is the scope: it stays chosen (and enabled, so that it can be
    // seen), and the panel says why a study would be empty.
    QSignalSpy validity(&w, &OperationsSettingsWidget::validityChanged);
    w.setSelectionCount(0);
    QVERIFY(selection->isChecked());
    QVERIFY(selection->isEnabled());
    QVERIFY(!w.isValid());
    QCOMPARE(validity.count(), 1);
    QCOMPARE(validity.first().first().toBool(), false);
    QVERIFY(w.scopeProblemsLabel()->isVisibleTo(&w));
    QVERIFY(w.scopeProblemsLabel()->text().contains(QStringLiteral("No stations are selected")));
    // Leaving it makes the panel valid and disables it.
    w.scopeButton(StationScope::All)->click();
    QVERIFY(w.isValid());
    QVERIFY(!selection->isEnabled());
    QVERIFY(!w.scopeProblemsLabel()->isVisibleTo(&w));
  }

  void zoneScope() {
    OperationsSettingsWidget w;
    QRadioButton* zone = w.scopeButton(StationScope::Zone);
    QVERIFY(!zone->isEnabled());  // no zones yet
    QVERIFY(!w.zoneCombo()->isEnabled());
    w.setZones(kZones);
    QVERIFY(zone->isEnabled());
    QCOMPARE(w.zoneCombo()->count(), 3);
    QCOMPARE(w.zoneCombo()->currentIndex(), -1);

    // Choosing Zone picks the first zone: a Zone scope without a zone would study nothing.
    QSignalSpy changed(&w, &OperationsSettingsWidget::settingsChanged);
    zone->click();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(int(w.settings().scope), int(StationScope::Zone));
    QCOMPARE(w.settings().zoneId, qint64(7));
    // Picking another zone in the combo.
    w.zoneCombo()->setCurrentIndex(2);
    QCOMPARE(w.settings().zoneId, qint64(99));
    // Picking a zone while another scope is chosen switches to the zone scope.
    w.scopeButton(StationScope::All)->click();
    w.zoneCombo()->setCurrentIndex(1);
    QCOMPARE(int(w.settings().scope), int(StationScope::Zone));
    QCOMPARE(w.settings().zoneId, qint64(42));

    // A stored zone scope given before the project's zones: chosen once they arrive.
    OperationsSettingsWidget later;
    OperationsSettings s;
    s.scope = StationScope::Zone;
    s.zoneId = 99;
    later.setSettings(s);
    QVERIFY(!later.isValid());
    QVERIFY(later.problems().join(QLatin1Char(' ')).contains(QStringLiteral("no zones")));
    later.setZones(kZones);
    QCOMPARE(later.zoneCombo()->currentText(), QStringLiteral("Navigli"));
    QVERIFY(later.isValid());
    compareSettings(later.settings(), s);
    // The zone disappears from the project: the panel asks for one.
    later.setZones({kZones[0], kZones[1]});
    QCOMPARE(later.zoneCombo()->currentIndex(), -1);
    QVERIFY(!later.isValid());
    QVERIFY(later.scopeProblemsLabel()->text().contains(QStringLiteral("Pick the zone")));
  }

  void invalidEarthParametersAreNamed() {
    OperationsSettingsWidget w;
    QSignalSpy validity(&w, &OperationsSettingsWidget::validityChanged);
    QVERIFY(!w.earthProblemsLabel()->isVisibleTo(&w));
    // P_sleep above P0 for micro stations, typed in the editor.
    auto* sleep = qobject_cast<QDoubleSpinBox*>(w.earthEditor(OperationsSettingsWidget::Micro, OperationsSettingsWidget::SleepPower));
    QVERIFY(sleep);
    sleep->setValue(80.0);
    QVERIFY(!w.isValid());
    QCOMPARE(validity.count(), 1);
    QVERIFY(w.earthProblemsLabel()->isVisibleTo(&w));
    const EarthPowerModel micro{2, 6.3, 56.0, 2.6, 80.0};
    QCOMPARE(w.earthProblemsLabel()->text(), QStringLiteral("Micro: %1").arg(micro.validate()));
    QVERIFY(w.earthProblemsLabel()->text().contains(QStringLiteral("P_sleep (80 W) must not exceed P0 (56 W)")));
    // The station's power is not shown for parameters the model refuses.
    QVERIFY(w.earthDerivedLabel(OperationsSettingsWidget::Micro)->text().startsWith(QStringLiteral("—")));

    // Both kinds wrong at once, one given through setSettings: each named with its kind.
    OperationsSettings s;
    s.macro.transceivers = 0;
    s.micro.maxTransmitPowerW = 0.0;
    w.setSettings(s);
    QCOMPARE(w.problems(), (QStringList{QStringLiteral("Macro: N_TRX must be at least 1"), QStringLiteral("Micro: P_max must be > 0 W")}));
    QCOMPARE(w.earthProblemsLabel()->text(), QStringLiteral("Macro: N_TRX must be at least 1\nMicro: P_max must be > 0 W"));
    QVERIFY(!w.isValid());
    // The editor shows what was set, rather than quietly raising it to something valid.
    QCOMPARE(w.settings().macro.transceivers, 0);
  }

  void resetRestoresTheEarthDefaults() {
    OperationsSettingsWidget w;
    w.setZones(kZones);
    OperationsSettings s = everythingChanged();
    s.micro.sleepPowerW = 100.0;  // the only problem
    w.setSettings(s);
    QVERIFY(!w.isValid());
    QSignalSpy changed(&w, &OperationsSettingsWidget::settingsChanged);
    QSignalSpy validity(&w, &OperationsSettingsWidget::validityChanged);
    w.resetEarthButton()->click();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(validity.count(), 1);
    QVERIFY(validity.first().first().toBool());
    compareEarth(w.settings().macro, EarthPowerModel::macro());
    compareEarth(w.settings().micro, EarthPowerModel::micro());
    QVERIFY(!w.earthProblemsLabel()->isVisibleTo(&w));
    // Only the power model: the rest stays as it was.
    QCOMPARE(w.settings().forecastSamples, s.forecastSamples);
    QCOMPARE(w.settings().sleep.quantile, s.sleep.quantile);

    // The defaults are the published ones (Auer et al. 2011, Table 2), and cited beside the grid.
    compareEarth(w.settings().macro, EarthPowerModel{6, 20.0, 130.0, 4.7, 75.0});
    compareEarth(w.settings().micro, EarthPowerModel{2, 6.3, 56.0, 2.6, 39.0});
    QCOMPARE(w.earthSourceLabel()->text(), EarthPowerModel::source());
    QVERIFY(w.earthSourceLabel()->text().contains(QStringLiteral("Auer")));
    // Macro: 6 × 130 W idle, 6 × (130 + 4.7 × 20) W at full load, 6 × 75 W asleep.
    const QLocale l;
    QCOMPARE(w.earthDerivedLabel(OperationsSettingsWidget::Macro)->text(),
             QStringLiteral("%1 W\n%2 W\n%3 W").arg(l.toString(780.0, 'f', 0), l.toString(1344.0, 'f', 0), l.toString(450.0, 'f', 0)));
  }

  void editorsCarryUnits() {
    OperationsSettingsWidget w;
    for (const auto kind : {OperationsSettingsWidget::Macro, OperationsSettingsWidget::Micro})
      for (const auto p :
           {OperationsSettingsWidget::MaxTransmitPower, OperationsSettingsWidget::StaticPower, OperationsSettingsWidget::SleepPower})
        QCOMPARE(qobject_cast<QDoubleSpinBox*>(w.earthEditor(kind, p))->suffix(), QStringLiteral(" W"));
    QCOMPARE(w.sleepDistanceSpin()->suffix(), QStringLiteral(" m"));
    QCOMPARE(w.balanceDistanceSpin()->suffix(), QStringLiteral(" m"));
    QCOMPARE(w.safetyMarginSpin()->suffix(), QStringLiteral(" %"));
    QCOMPARE(w.headroomSpin()->suffix(), QStringLiteral(" %"));
    QCOMPARE(w.balanceThresholdSpin()->suffix(), QStringLiteral(" %"));
    QCOMPARE(w.paperWindowSpin()->suffix(), QStringLiteral(" h"));
    QCOMPARE(w.horizonSpin()->suffix(), QStringLiteral(" weeks"));
    w.horizonSpin()->setValue(1);
    QCOMPARE(w.horizonSpin()->suffix(), QStringLiteral(" week"));
    QCOMPARE(w.horizonSpin()->minimum(), 1);
    QCOMPARE(w.horizonSpin()->maximum(), 4);
    QCOMPARE(w.samplesSpin()->minimum(), 1);
    QCOMPARE(w.samplesSpin()->maximum(), 32);
    QCOMPARE(w.quantileSpin()->minimum(), 0.5);
    QCOMPARE(w.quantileSpin()->maximum(), 1.0);
  }

  void layoutFollowsTheWidth() {
    OperationsSettingsWidget w;
    w.resize(1400, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QCOMPARE(w.columnCount(), 2);
    // A shown window's resize reaches the widget through the window system, on a later turn of
    // the event loop.
    w.resize(420, 800);
    QTRY_COMPARE(w.columnCount(), 1);
  }

  void screenshot() {
    const QString folder = qEnvironmentVariable("NETSPATIAL_OPS_SCREENSHOT");
    if (folder.isEmpty()) QSKIP("set NETSPATIAL_OPS_SCREENSHOT=<folder> to save grabs");
    OperationsSettingsWidget w;
    w.setZones(kZones);
    w.setSelectionCount(3);
    w.resize(1400, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QVERIFY(w.grab().save(QDir(folder).filePath(QStringLiteral("opsset-settings.png"))));
    // With an invalid micro model, to see the message.
    OperationsSettings s;
    s.micro.sleepPowerW = 80.0;
    s.scope = StationScope::Selection;
    w.setSettings(s);
    w.setSelectionCount(0);
    w.resize(520, 800);
    QTRY_COMPARE(w.columnCount(), 1);  // the narrow layout is in place (the resize arrives queued)
    QVERIFY(w.grab().save(QDir(folder).filePath(QStringLiteral("opsset-settings-narrow-invalid.png"))));
  }
};

QTEST_MAIN(TestOperationsSettings)
#include "tst_operationssettings.moc"
