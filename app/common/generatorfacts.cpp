#include "app/common/generatorfacts.h"

#include "app/common/generatorchoice.h"
#include "app/common/generators.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

namespace netspatial::app {

using core::GeneratorFacts;
using core::TrainingData;

namespace {

// The cells of a Markdown table row ("| a | `b` |" → {"a", "b"}), code ticks removed.
QStringList cells(const QString& line) {
  QString row = line.trimmed();
  if (!row.startsWith(QLatin1Char('|'))) return {};
  row = row.mid(1);
  if (row.endsWith(QLatin1Char('|'))) row.chop(1);
  QStringList out;
  for (QString cell : row.split(QLatin1Char('|'))) out << cell.remove(QLatin1Char('`')).trimmed();
  return out;
}

bool isSeparator(const QStringList& row) {
  return !row.isEmpty() && std::all_of(row.begin(), row.end(), [](const QString& c) {
    return !c.isEmpty() && c.count(QLatin1Char('-')) > 0 && QString(c).remove(QLatin1Char('-')).remove(QLatin1Char(':')).isEmpty();
  });
}

// The rows of the first table whose header starts with `firstColumn`, in the card's Data section.
QList<QStringList> tableRows(const QStringList& lines, const QString& firstColumn) {
  QList<QStringList> rows;
  bool in = false;
  for (const QString& line : lines) {
    const QStringList row = cells(line);
    if (!in) {
      in = !row.isEmpty() && row.front().compare(firstColumn, Qt::CaseInsensitive) == 0;
      continue;
    }
    if (row.isEmpty()) break;  // the table ends at the first line that is not a row
    if (!isSeparator(row)) rows << row;
  }
  return rows;
}

QString modelLabel(const std::string& id) {
  if (id == kNetSpatialId) return QStringLiteral("NetSpatial (embedded)");
  if (id == kAdaptiveId) return QStringLiteral("ADAPTIVE (embedded)");
  return QStringLiteral("%1 (embedded)").arg(QString::fromStdString(id));
}

}  // namespace

QString modelCardWeightsSha256(const QString& markdown) {
  for (const QString& line : markdown.split(QLatin1Char('\n'))) {
    const QStringList row = cells(line);
    if (row.size() >= 2 && row[0] == QLatin1String("SHA-256")) return row[1];
  }
  return {};
}

GeneratorFacts parseModelCard(const QString& modelId, const QString& label, const QString& markdown) {
  GeneratorFacts f;
  f.modelId = modelId;
  f.label = label;
  // "… scale = 1115.19604 MB/h (unit MB/h); the checkpoint stores it …"
  // The unit may hold parentheses itself ("activity (dataset units)"): up to the "); " that ends it.
  static const QRegularExpression unit(QStringLiteral("\\(unit (.+?)\\)(?:;|$)"), QRegularExpression::MultilineOption);
  if (const auto m = unit.match(markdown); m.hasMatch()) f.unit = m.captured(1).trimmed();

  // Only the Data section: the Metrics section may name other scenarios it was scored on.
  QStringList lines = markdown.split(QLatin1Char('\n'));
  const qsizetype data = lines.indexOf(QStringLiteral("## Data"));
  if (data < 0) return f;
  lines = lines.mid(data + 1);
  for (qsizetype i = 0; i < lines.size(); ++i)
    if (lines[i].startsWith(QLatin1String("## "))) {
      lines = lines.mid(0, i);
      break;
    }

  QStringList cities;
  for (const QStringList& row : tableRows(lines, QStringLiteral("city")))
    if (!row.front().isEmpty()) cities << row.front();
  for (const QStringList& row : tableRows(lines, QStringLiteral("scenario file"))) {
    if (row.isEmpty() || row.front().isEmpty()) continue;
    f.trainingScenarioFiles << QFileInfo(row.front()).fileName();
    if (row.size() > 1) f.trainingScenarioSha256 << row[1];
  }
  if (!f.trainingScenarioFiles.isEmpty()) {
    f.trainingData = TrainingData::Observed;
    f.trainingDescription = QStringLiteral("observed traffic of %1").arg(f.trainingScenarioFiles.join(QStringLiteral(", ")));
    if (!cities.isEmpty()) f.trainingDescription += QStringLiteral(" and %1 simulated cities").arg(cities.size());
  } else if (!cities.isEmpty()) {
    f.trainingData = TrainingData::Simulated;
    f.trainingDescription = QStringLiteral("simulated cities");
  }
  return f;
}

GeneratorFacts generatorFacts(const std::string& id, const QString& weightsSha256, const QString& unit) {
  GeneratorFacts f;
  f.modelId = QString::fromStdString(id);
  if (id != kNetSpatialId && !hasEmbeddedWeights(id)) {
    // A reference: fitted on the scenario's own observed traffic by every run that uses it.
    const auto g = models::createGenerator(id);
    f.label = g ? QString::fromStdString(g->displayName()) : f.modelId;
    f.trainingData = TrainingData::FittedHere;
    f.trainingDescription = QStringLiteral("this scenario's observed traffic");
    f.unit = unit;
    return f;
  }
  if (auto card = embeddedModelCard(id); card) {
    const QString embeddedSha = modelCardWeightsSha256(*card);
    if (weightsSha256.isEmpty() || weightsSha256.compare(embeddedSha, Qt::CaseInsensitive) == 0) {
      f = parseModelCard(f.modelId, modelLabel(id), *card);
      if (f.unit.isEmpty()) f.unit = unit;
      return f;
    }
  }
  // Weights from a file (retrained, an ablation): no card travels with the run record.
  f.label = weightsSha256.isEmpty() ? QString::fromStdString(id)
                                    : QStringLiteral("%1 (weights %2…)").arg(QString::fromStdString(id), weightsSha256.left(12));
  f.unit = unit;
  return f;
}

const core::RunRecord* findRun(const core::Scenario& scenario, const QString& runId) {
  for (const core::RunRecord& r : scenario.runs)
    if (r.runId == runId) return &r;
  return nullptr;
}

QString generationUnit(const core::Scenario& scenario, const QString& runId) {
  const core::RunRecord* run = findRun(scenario, runId);
  const QString unit = run ? run->parameters.value(QStringLiteral("unit")).toString() : QString();
  return unit.isEmpty() ? scenario.metadata.trafficUnit : unit;
}

core::Calibration calibrationOfRun(const core::Scenario& scenario, const core::RunRecord& run, const QString& generatedUnit) {
  const QString runUnit = run.parameters.value(QStringLiteral("unit")).toString();
  // A forecast records the model's own unit beside the one its values came out in.
  const QString modelUnit = run.parameters.value(QStringLiteral("model_unit"), runUnit).toString();
  // A project model is named by its weights: its card travels in the project file.
  const core::ProjectModel* projectModel = findProjectModel(scenario, run.weightsSha256);
  const GeneratorFacts facts =
      projectModel ? projectModelFacts(*projectModel) : generatorFacts(run.modelId.toStdString(), run.weightsSha256, modelUnit);
  return core::assessCalibration(core::scenarioProvenance(scenario), facts, generatedUnit.isEmpty() ? runUnit : generatedUnit);
}

}  // namespace netspatial::app
