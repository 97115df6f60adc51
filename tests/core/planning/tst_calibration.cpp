// Calibration made visible (issue 19 item 4): the verdict for a generator's values against a
// scenario, from plain facts. The embedded NetSpatial model was trained on simulated cities in
// MB/h; on Milan (activity in dataset units, imported) it must warn, naming both units.

#include "core/planning/calibration.h"

#include <QTest>

using namespace netspatial::core;

Q_DECLARE_METATYPE(netspatial::core::CalibrationVerdict)
Q_DECLARE_METATYPE(netspatial::core::ScenarioProvenance)
Q_DECLARE_METATYPE(netspatial::core::GeneratorFacts)

namespace {

GeneratorFacts embeddedModel() {
  GeneratorFacts g;
  g.modelId = QStringLiteral("netspatial");
  g.label = QStringLiteral("NetSpatial (embedded)");
  g.unit = QStringLiteral("MB/h");
  g.trainingData = TrainingData::Simulated;
  g.trainingDescription = QStringLiteral("simulated cities");
  return g;
}

GeneratorFacts milanModel() {
  GeneratorFacts g;
  g.modelId = QStringLiteral("netspatial_milan");
  g.label = QStringLiteral("NetSpatial Milan (embedded)");
  g.unit = QStringLiteral("activity (dataset units)");
  g.trainingData = TrainingData::Observed;
  g.trainingDescription = QStringLiteral("observed traffic of milan.gpkg");
  g.trainingScenarioFiles = {QStringLiteral("milan.gpkg")};
  g.trainingScenarioSha256 = {QStringLiteral("abc123")};
  return g;
}

GeneratorFacts zoneTemplate() {
  GeneratorFacts g;
  g.modelId = QStringLiteral("zone_template");
  g.label = QStringLiteral("Zone template (reference)");
  g.trainingData = TrainingData::FittedHere;
  return g;
}

GeneratorFacts unknownWeights() {
  GeneratorFacts g;
  g.modelId = QStringLiteral("netspatial");
  g.label = QStringLiteral("netspatial (weights 0123456789ab…)");
  g.unit = QStringLiteral("MB/h");
  return g;
}

ScenarioProvenance simulatedCity() {
  Scenario s;
  s.metadata.name = QStringLiteral("Synthetic city #1");
  s.metadata.trafficUnit = QStringLiteral("MB/h");
  s.metadata.preset = QStringLiteral("city");
  return scenarioProvenance(s);
}

// As `netspatial import milan` writes it: the unit, no preset, an import run.
ScenarioProvenance milan(const QString& unit = QStringLiteral("activity (dataset units)")) {
  Scenario s;
  s.metadata.name = QStringLiteral("Milan (Telecom Italia, Nov–Dec 2013)");
  s.metadata.trafficUnit = unit;
  RunRecord run;
  run.kind = QStringLiteral("import");
  run.modelId = QStringLiteral("milan");
  s.runs.push_back(run);
  return scenarioProvenance(s);
}

// A city the user imported with `netspatial import scenario`, measured in MB/h like the simulator.
ScenarioProvenance leedsInMegabytes() {
  Scenario s;
  s.metadata.name = QStringLiteral("Leeds");
  s.metadata.trafficUnit = QStringLiteral("MB/h");
  RunRecord run;
  run.kind = QStringLiteral("import");
  run.modelId = QStringLiteral("scenario");
  s.runs.push_back(run);
  return scenarioProvenance(s);
}

}  // namespace

class TestCalibration : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void provenance() {
    QVERIFY(simulatedCity().simulated);
    const ScenarioProvenance m = milan();
    QVERIFY(!m.simulated);
    QCOMPARE(m.importSource, QStringLiteral("milan"));
    QCOMPARE(m.unit, QStringLiteral("activity (dataset units)"));
    // A simulated run in the runs also says simulated; an import says observed whatever the preset.
    Scenario s;
    RunRecord sim;
    sim.kind = QStringLiteral("simulate");
    s.runs.push_back(sim);
    QVERIFY(scenarioProvenance(s).simulated);
    s.metadata.preset = QStringLiteral("city");
    RunRecord imp;
    imp.kind = QStringLiteral("import");
    imp.modelId = QStringLiteral("scenario");
    s.runs.push_back(imp);
    QVERIFY(!scenarioProvenance(s).simulated);
  }

  void verdict_data() {
    QTest::addColumn<ScenarioProvenance>("scenario");
    QTest::addColumn<GeneratorFacts>("generator");
    QTest::addColumn<QString>("generatedUnit");
    QTest::addColumn<CalibrationVerdict>("verdict");
    QTest::addColumn<QStringList>("messageHas");  // every one of these is in the message

    QTest::newRow("simulated city, embedded model") << simulatedCity() << embeddedModel() << QString() << CalibrationVerdict::Matches
                                                    << QStringList{QStringLiteral("simulated cities in MB/h")};
    QTest::newRow("Milan, embedded model: both units named")
        << milan() << embeddedModel() << QString() << CalibrationVerdict::UnitDiffers
        << QStringList{QStringLiteral("NetSpatial (embedded) was trained on simulated cities in MB/h"),
                       QStringLiteral("this scenario is Milan, observed in activity (dataset units)"), QStringLiteral("not calibrated")};
    QTest::newRow("Milan in MB/h, embedded model: other data")
        << milan(QStringLiteral("MB/h")) << embeddedModel() << QString() << CalibrationVerdict::OtherData
        << QStringList{QStringLiteral("simulated cities"), QStringLiteral("same unit"), QStringLiteral("not calibrated")};
    QTest::newRow("imported city in MB/h, embedded model: other data")
        << leedsInMegabytes() << embeddedModel() << QString() << CalibrationVerdict::OtherData
        << QStringList{QStringLiteral("this scenario is Leeds, observed in MB/h")};
    QTest::newRow("Milan, forecasts rescaled to the history: other data")
        << milan() << embeddedModel() << QStringLiteral("activity (dataset units)") << CalibrationVerdict::OtherData
        << QStringList{QStringLiteral("rescaled to this scenario's history"), QStringLiteral("MB/h")};
    QTest::newRow("Milan, a model trained on Milan") << milan() << milanModel() << QString() << CalibrationVerdict::Matches
                                                     << QStringList{QStringLiteral("observed traffic of milan.gpkg")};
    QTest::newRow("another city, a model trained on Milan") << leedsInMegabytes() << [] {
      GeneratorFacts g = milanModel();
      g.unit = QStringLiteral("MB/h");
      return g;
    }() << QString() << CalibrationVerdict::OtherData << QStringList{QStringLiteral("milan.gpkg"), QStringLiteral("Leeds")};
    QTest::newRow("simulated city, a model trained on Milan")
        << simulatedCity() << milanModel() << QString() << CalibrationVerdict::UnitDiffers << QStringList{QStringLiteral("MB/h")};
    QTest::newRow("Milan, the zone template fitted on it") << milan() << zoneTemplate() << QString() << CalibrationVerdict::Matches
                                                           << QStringList{QStringLiteral("fitted on this scenario's observed traffic")};
    QTest::newRow("simulated city, weights nobody described")
        << simulatedCity() << unknownWeights() << QString() << CalibrationVerdict::OtherData
        << QStringList{QStringLiteral("does not record what it was trained on")};
    QTest::newRow("units compared without case or spaces")
        << simulatedCity() << embeddedModel() << QStringLiteral(" mb/h ") << CalibrationVerdict::Matches << QStringList{};
    QTest::newRow("no unit recorded") << simulatedCity() <<
        [] {
          GeneratorFacts g = embeddedModel();
          g.unit.clear();
          return g;
        }() << QString() << CalibrationVerdict::UnitDiffers
                                      << QStringList{QStringLiteral("unit not recorded")};
  }

  void verdict() {
    QFETCH(ScenarioProvenance, scenario);
    QFETCH(GeneratorFacts, generator);
    QFETCH(QString, generatedUnit);
    QFETCH(CalibrationVerdict, verdict);
    QFETCH(QStringList, messageHas);
    const Calibration c = assessCalibration(scenario, generator, generatedUnit);
    QVERIFY2(c.verdict == verdict, qPrintable(calibrationVerdictName(c.verdict) + QStringLiteral(": ") + c.message));
    QCOMPARE(c.matches(), verdict == CalibrationVerdict::Matches);
    QCOMPARE(c.generatorLabel, generator.label);
    QCOMPARE(c.observedUnit, scenario.unit);
    QVERIFY(!c.message.contains(QLatin1Char('\n')));  // one line
    for (const QString& part : messageHas) QVERIFY2(c.message.contains(part), qPrintable(c.message));
  }

  void generatedUnitIsTheValuesUnit() {
    QCOMPARE(assessCalibration(milan(), embeddedModel()).generatedUnit, QStringLiteral("MB/h"));
    QCOMPARE(assessCalibration(milan(), zoneTemplate()).generatedUnit, QStringLiteral("activity (dataset units)"));
    QCOMPARE(assessCalibration(milan(), embeddedModel(), QStringLiteral("activity (dataset units)")).generatedUnit,
             QStringLiteral("activity (dataset units)"));
  }

  void sameFileMatchesByHash() {
    // A training file named otherwise is this scenario when its SHA-256 is the open file's.
    ScenarioProvenance s = milan();
    s.importSource = QStringLiteral("scenario");
    s.name = QStringLiteral("Lombardy grid");
    GeneratorFacts g = milanModel();
    QCOMPARE(assessCalibration(s, g).verdict, CalibrationVerdict::OtherData);
    s.fileSha256 = QStringLiteral("ABC123");
    QCOMPARE(assessCalibration(s, g).verdict, CalibrationVerdict::Matches);
  }
};

QTEST_GUILESS_MAIN(TestCalibration)
#include "tst_calibration.moc"
