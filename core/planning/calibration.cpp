#include "core/planning/calibration.h"

#include <QFileInfo>

namespace netspatial::core {

namespace {

bool sameUnit(const QString& a, const QString& b) { return a.trimmed().compare(b.trimmed(), Qt::CaseInsensitive) == 0; }

// "Milan (Telecom Italia, Nov–Dec 2013)" → "Milan": the messages are one line.
QString shortName(const QString& name) {
  const qsizetype paren = name.indexOf(QLatin1String(" ("));
  return (paren > 0 ? name.left(paren) : name).trimmed();
}

QString scenarioText(const ScenarioProvenance& s) {
  const QString unit = s.unit.isEmpty() ? QStringLiteral("no stated unit") : s.unit;
  if (s.simulated)
    return QStringLiteral("this scenario is a simulated city (%1) in %2")
        .arg(shortName(s.name).isEmpty() ? QStringLiteral("?") : shortName(s.name), unit);
  const QString name = shortName(s.name);
  return name.isEmpty() ? QStringLiteral("this scenario is observed traffic in %1").arg(unit)
                        : QStringLiteral("this scenario is %1, observed in %2").arg(name, unit);
}

// A training scenario file is this scenario: the same bytes, or a file named after it.
bool trainedOnThisScenario(const ScenarioProvenance& s, const GeneratorFacts& g) {
  if (!s.fileSha256.isEmpty())
    for (const QString& sha : g.trainingScenarioSha256)
      if (sha.compare(s.fileSha256, Qt::CaseInsensitive) == 0) return true;
  QStringList keys;
  if (!s.importSource.isEmpty()) keys << s.importSource.toLower();
  const QString firstWord = shortName(s.name).section(QLatin1Char(' '), 0, 0).toLower();
  if (!firstWord.isEmpty()) keys << firstWord;
  for (const QString& file : g.trainingScenarioFiles)
    if (keys.contains(QFileInfo(file).completeBaseName().toLower())) return true;
  return false;
}

}  // namespace

ScenarioProvenance scenarioProvenance(const Scenario& scenario) {
  ScenarioProvenance p;
  p.name = scenario.metadata.name;
  p.unit = scenario.metadata.trafficUnit;
  p.simulated = !scenario.metadata.preset.isEmpty();
  for (const RunRecord& r : scenario.runs) {
    if (r.kind == QLatin1String("simulate")) p.simulated = true;
    if (r.kind == QLatin1String("import")) p.importSource = r.modelId;
  }
  // An import wins over a preset left in the metadata: the traffic is what was imported.
  if (!p.importSource.isEmpty()) p.simulated = false;
  return p;
}

QString calibrationVerdictName(CalibrationVerdict verdict) {
  switch (verdict) {
    case CalibrationVerdict::Matches:
      return QStringLiteral("matches");
    case CalibrationVerdict::UnitDiffers:
      return QStringLiteral("unit differs");
    case CalibrationVerdict::OtherData:
      return QStringLiteral("trained on other data");
  }
  return {};
}

Calibration assessCalibration(const ScenarioProvenance& scenario, const GeneratorFacts& generator, const QString& generatedUnit) {
  Calibration c;
  c.generatorLabel = generator.label.isEmpty() ? generator.modelId : generator.label;
  c.observedUnit = scenario.unit;
  const bool fittedHere = generator.trainingData == TrainingData::FittedHere;
  c.generatedUnit = !generatedUnit.isEmpty() ? generatedUnit : fittedHere ? scenario.unit : generator.unit;
  const bool rescaled = !generatedUnit.isEmpty() && !generator.unit.isEmpty() && !sameUnit(generatedUnit, generator.unit);

  const bool unitDiffers = c.generatedUnit.trimmed().isEmpty() || !sameUnit(c.generatedUnit, scenario.unit);
  bool dataDiffer = false;
  switch (generator.trainingData) {
    case TrainingData::FittedHere:
      break;
    case TrainingData::Simulated:
      dataDiffer = !scenario.simulated;
      break;
    case TrainingData::Observed:
      dataDiffer = scenario.simulated || !trainedOnThisScenario(scenario, generator);
      break;
    case TrainingData::Unknown:
      dataDiffer = true;
      break;
  }

  // What it learned from, in the words of the model card.
  QString trained;
  if (fittedHere)
    trained = QStringLiteral("%1 is fitted on this scenario's observed traffic").arg(c.generatorLabel);
  else if (generator.trainingData == TrainingData::Unknown)
    trained = QStringLiteral("%1 does not record what it was trained on").arg(c.generatorLabel);
  else
    trained = QStringLiteral("%1 was trained on %2")
                  .arg(c.generatorLabel, generator.trainingDescription.isEmpty()
                                             ? (generator.trainingData == TrainingData::Simulated ? QStringLiteral("simulated cities")
                                                                                                  : QStringLiteral("observed traffic"))
                                             : generator.trainingDescription);
  if (!generator.unit.isEmpty() && !fittedHere) trained += QStringLiteral(" in %1").arg(generator.unit);
  const QString here = scenarioText(scenario);

  if (unitDiffers) {
    c.verdict = CalibrationVerdict::UnitDiffers;
    c.message = QStringLiteral("%1; %2: generated values (%3) are not calibrated to it")
                    .arg(trained, here, c.generatedUnit.isEmpty() ? QStringLiteral("unit not recorded") : c.generatedUnit);
  } else if (dataDiffer) {
    c.verdict = CalibrationVerdict::OtherData;
    c.message = rescaled ? QStringLiteral(
                               "%1; %2: its values are rescaled to this scenario's history, but what it learned is not "
                               "calibrated to it")
                               .arg(trained, here)
                         : QStringLiteral("%1; %2: same unit, but generated values are not calibrated to it").arg(trained, here);
  } else {
    c.verdict = CalibrationVerdict::Matches;
    c.message = QStringLiteral("%1; %2").arg(trained, here);
  }
  return c;
}

}  // namespace netspatial::core
