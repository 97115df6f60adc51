// Where the studio's calibration verdict gets a generator's facts (issue 19 item 4): the embedded
// model card (trained on simulated cities in MB/h), a card of a model trained on a scenario file,
// the references (fitted on the scenario itself), and a run record's verdict on Milan-like data.

#include "app/common/generatorfacts.h"
#include "app/common/generators.h"

#include <QTest>

using namespace netspatial;

class TestGeneratorFacts : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void embeddedCardSaysSimulatedCitiesInMegabytes() {
    if (!app::hasEmbeddedWeights(app::kNetSpatialId)) QSKIP("this build embeds no NetSpatial weights");
    const core::GeneratorFacts f = app::generatorFacts(app::kNetSpatialId);
    QCOMPARE(f.label, QStringLiteral("NetSpatial (embedded)"));
    QCOMPARE(f.unit, QStringLiteral("MB/h"));
    QCOMPARE(f.trainingData, core::TrainingData::Simulated);
    QCOMPARE(f.trainingDescription, QStringLiteral("simulated cities"));
    // The same weights by their SHA-256 (a run record's) are the embedded ones; other weights are
    // not described by that card.
    const QString sha = app::modelCardWeightsSha256(*app::embeddedModelCard(app::kNetSpatialId));
    QCOMPARE(sha.size(), 64);
    QCOMPARE(app::generatorFacts(app::kNetSpatialId, sha).trainingData, core::TrainingData::Simulated);
    const core::GeneratorFacts other = app::generatorFacts(app::kNetSpatialId, QString(64, QLatin1Char('0')), QStringLiteral("MB/h"));
    QCOMPARE(other.trainingData, core::TrainingData::Unknown);
    QVERIFY(other.label.contains(QStringLiteral("000000000000…")));
    QCOMPARE(other.unit, QStringLiteral("MB/h"));
  }

  void cardOfAModelTrainedOnAScenario() {
    const QString card = QStringLiteral(
        "# Model card: netspatial_milan\n\n| | |\n|---|---|\n| SHA-256 | `ffee` |\n\n## Data\n\n"
        "| scenario file | SHA-256 | unit | holdout |\n|---|---|---|---:|\n"
        "| `data/milan.gpkg` | `abc123` | activity (dataset units) | 0.3 |\n\n"
        "- **Normalisation:** every series divided by the largest training value, scale = 84 activity (dataset units) (unit "
        "activity (dataset units)); the checkpoint stores it.\n\n## Metrics\n\n| scenario file | x |\n|---|---|\n| `leeds.gpkg` | 1 |\n");
    const core::GeneratorFacts f = app::parseModelCard(QStringLiteral("netspatial_milan"), QStringLiteral("NetSpatial Milan"), card);
    QCOMPARE(f.unit, QStringLiteral("activity (dataset units)"));
    QCOMPARE(f.trainingData, core::TrainingData::Observed);
    QCOMPARE(f.trainingScenarioFiles, QStringList{QStringLiteral("milan.gpkg")});  // not the Metrics section's
    QCOMPARE(f.trainingScenarioSha256, QStringList{QStringLiteral("abc123")});
    QCOMPARE(app::modelCardWeightsSha256(card), QStringLiteral("ffee"));
  }

  void referencesAreFittedHere() {
    const core::GeneratorFacts f = app::generatorFacts("zone_template");
    QCOMPARE(f.trainingData, core::TrainingData::FittedHere);
    QVERIFY2(f.label.contains(QStringLiteral("Zone template")), qPrintable(f.label));
  }

  void runOnMilanLikeScenarioWarns() {
    if (!app::hasEmbeddedWeights(app::kNetSpatialId)) QSKIP("this build embeds no NetSpatial weights");
    core::Scenario s;
    s.metadata.name = QStringLiteral("Milan (Telecom Italia, Nov–Dec 2013)");
    s.metadata.trafficUnit = QStringLiteral("activity (dataset units)");
    core::RunRecord import;
    import.kind = QStringLiteral("import");
    import.modelId = QStringLiteral("milan");
    s.runs.push_back(import);
    core::RunRecord run;
    run.runId = QStringLiteral("g1");
    run.kind = QStringLiteral("generate");
    run.modelId = QStringLiteral("netspatial");
    run.weightsSha256 = app::modelCardWeightsSha256(*app::embeddedModelCard(app::kNetSpatialId));
    run.parameters.insert(QStringLiteral("unit"), QStringLiteral("MB/h"));
    s.runs.push_back(run);
    QCOMPARE(app::findRun(s, QStringLiteral("g1")), &s.runs.back());
    const core::Calibration c = app::calibrationOfRun(s, run);
    QCOMPARE(c.verdict, core::CalibrationVerdict::UnitDiffers);
    QCOMPARE(c.message, QStringLiteral("NetSpatial (embedded) was trained on simulated cities in MB/h; this scenario is Milan, observed in "
                                       "activity (dataset units): generated values (MB/h) are not calibrated to it"));
    // A forecast: its values are rescaled into the scenario's unit; the data still differ.
    core::RunRecord forecast = run;
    forecast.kind = QStringLiteral("forecast");
    forecast.parameters.insert(QStringLiteral("unit"), s.metadata.trafficUnit);
    forecast.parameters.insert(QStringLiteral("model_unit"), QStringLiteral("MB/h"));
    QCOMPARE(app::calibrationOfRun(s, forecast, s.metadata.trafficUnit).verdict, core::CalibrationVerdict::OtherData);
  }
};

QTEST_GUILESS_MAIN(TestGeneratorFacts)
#include "tst_generatorfacts.moc"
