#include "app/common/generatorchoice.h"

#include "app/common/generatorfacts.h"
#include "app/common/generators.h"
#include "app/common/heldoutsplit.h"
#include "app/common/modelbridge.h"
#include "app/common/modelcontext.h"
#include "core/context/sitecontext.h"

#include <QStringList>

#include <algorithm>

namespace netspatial::app {

using core::Error;
using core::ErrorCode;

namespace {

const QString kEmbedded = QStringLiteral("embedded:");
const QString kProject = QStringLiteral("project:");
const QString kReference = QStringLiteral("reference:");

QString unitText(const QString& unit) { return unit.isEmpty() ? QStringLiteral("unit not recorded") : QStringLiteral("unit %1").arg(unit); }

bool isEmbedded(const std::string& id) { return hasEmbeddedWeights(id); }

QString embeddedLabel(const std::string& id) {
  if (id == kNetSpatialId) return QStringLiteral("NetSpatial (embedded)");
  if (id == kAdaptiveId) return QStringLiteral("ADAPTIVE (embedded)");
  return QStringLiteral("%1 (embedded)").arg(QString::fromStdString(id));
}

}  // namespace

QString generatorChoiceMetadataKey(GeneratorRole role) {
  return role == GeneratorRole::Planning ? QStringLiteral("generator.planning") : QStringLiteral("generator.forecast");
}

QString defaultGeneratorKey() { return embeddedGeneratorKey(kNetSpatialId); }
QString embeddedGeneratorKey(const std::string& id) { return kEmbedded + QString::fromStdString(id); }
QString projectGeneratorKey(const QString& modelId) { return kProject + modelId; }
QString referenceGeneratorKey(const std::string& id) { return kReference + QString::fromStdString(id); }

QString GeneratorChoice::summary() const {
  if (!available) return unavailableReason;
  QStringList parts{
      unitText(facts.unit.isEmpty() && facts.trainingData == core::TrainingData::FittedHere ? calibration.observedUnit : facts.unit)};
  parts << (facts.trainingDescription.isEmpty() ? QStringLiteral("training data not recorded")
                                                : QStringLiteral("trained on %1").arg(facts.trainingDescription));
  parts << core::calibrationVerdictName(calibration.verdict);
  if (!note.isEmpty()) parts << note;
  return parts.join(QLatin1Char('\n'));
}

core::GeneratorFacts projectModelFacts(const core::ProjectModel& model) {
  core::GeneratorFacts f =
      parseModelCard(projectGeneratorKey(model.id), QStringLiteral("%1 (project model)").arg(model.name), model.modelCard);
  // Trained on this very project's observed traffic (Models › Train on this project's observed
  // traffic): its data are this scenario's, whatever file name the card records.
  f.trainingData = core::TrainingData::FittedHere;
  f.trainingDescription = QStringLiteral("this project's observed traffic");
  return f;
}

const core::ProjectModel* findProjectModel(const core::Scenario& scenario, const QString& sha256) {
  if (sha256.isEmpty()) return nullptr;
  for (const core::ProjectModel& m : scenario.projectModels)
    if (m.sha256.compare(sha256, Qt::CaseInsensitive) == 0) return &m;
  return nullptr;
}

std::vector<GeneratorChoice> generatorChoices(const core::Scenario& scenario) {
  const core::ScenarioProvenance provenance = core::scenarioProvenance(scenario);
  std::vector<GeneratorChoice> embedded, references;
  for (const std::string& id : generatorIds()) {
    GeneratorChoice c;
    c.generatorId = id;
    c.facts = generatorFacts(id);
    if (isEmbedded(id)) {
      c.key = embeddedGeneratorKey(id);
      c.source = GeneratorSource::Embedded;
      c.label = embeddedLabel(id);
      // NetSpatial forecasts from history (operations mode); ADAPTIVE generates each station's load
      // from the city's graph, which the operations study takes as its forecast too.
      c.canForecast = true;
      embedded.push_back(std::move(c));
    } else {
      c.key = referenceGeneratorKey(id);
      c.source = GeneratorSource::Reference;
      c.label = c.facts.label;
      if (scenario.trafficObserved.isEmpty()) {
        c.available = false;
        c.unavailableReason = QStringLiteral("fitted on the project's observed traffic, and this project has none");
      } else {
        c.facts.trainingDescription =
            QStringLiteral("this project's observed traffic (%1 sites)").arg(scenario.trafficObserved.valuesBySite.size());
      }
      references.push_back(std::move(c));
    }
  }
  std::vector<GeneratorChoice> out = std::move(embedded);
  for (const core::ProjectModel& m : scenario.projectModels) {
    GeneratorChoice c;
    c.key = projectGeneratorKey(m.id);
    c.source = GeneratorSource::Project;
    c.generatorId = kNetSpatialId;
    c.projectModelId = m.id;
    c.label = QStringLiteral("%1 (project model)").arg(m.name);
    c.facts = projectModelFacts(m);
    c.canForecast = true;
    // The honest score the studio took when it trained the model (projecttrainer).
    if (m.provenance.contains(QStringLiteral("heldout_mae"))) {
      c.note = QStringLiteral("held-out mae %1").arg(m.provenance.value(QStringLiteral("heldout_mae")).toDouble(), 0, 'f', 4);
      if (m.provenance.contains(QStringLiteral("heldout_mae_zone_template")))
        c.note += QStringLiteral(" (zone template %1)")
                      .arg(m.provenance.value(QStringLiteral("heldout_mae_zone_template")).toDouble(), 0, 'f', 4);
    }
    out.push_back(std::move(c));
  }
  for (GeneratorChoice& c : references) out.push_back(std::move(c));
  for (GeneratorChoice& c : out) c.calibration = core::assessCalibration(provenance, c.facts);
  return out;
}

QString chosenGeneratorKey(const core::Scenario& scenario, GeneratorRole role) {
  const QString key = scenario.metadata.extra.value(generatorChoiceMetadataKey(role)).toString();
  return key.isEmpty() ? defaultGeneratorKey() : key;
}

core::Status checkGeneratorKey(const core::Scenario& scenario, const QString& key, GeneratorRole role) {
  for (const GeneratorChoice& c : generatorChoices(scenario)) {
    if (c.key != key) continue;
    if (!c.available) return Error(ErrorCode::InvalidArgument, QStringLiteral("%1: %2").arg(c.label, c.unavailableReason));
    if (role == GeneratorRole::Forecast && !c.canForecast)
      return Error(
          ErrorCode::InvalidArgument,
          QStringLiteral("%1 cannot forecast: forecasts need NetSpatial's operations mode (a history-conditioned model)").arg(c.label));
    return {};
  }
  return Error(ErrorCode::InvalidArgument, QStringLiteral("no generator '%1' in this build or project").arg(key));
}

core::Result<ResolvedGenerator> resolveGenerator(const core::Scenario& scenario, const QString& key, const models::EngineOptions& engine,
                                                 core::Feedback* feedback) {
  ResolvedGenerator r;
  r.key = key;
  if (key.startsWith(kEmbedded)) {
    const std::string id = key.mid(kEmbedded.size()).toStdString();
    if (!isEmbedded(id))
      return Error(ErrorCode::FileNotFound, QStringLiteral("this build embeds no weights for '%1'").arg(QString::fromStdString(id)));
    auto loaded = createGenerator(id, {}, engine);
    if (!loaded) return loaded.error();
    r.generator = std::move(*loaded);
    r.generatorId = id;
    r.source = QStringLiteral("embedded");
    return r;
  }
  if (key.startsWith(kProject)) {
    const QString modelId = key.mid(kProject.size());
    const auto it = std::find_if(scenario.projectModels.begin(), scenario.projectModels.end(),
                                 [&](const core::ProjectModel& m) { return m.id == modelId; });
    if (it == scenario.projectModels.end())
      return Error(ErrorCode::InvalidArgument, QStringLiteral("the project has no model '%1' (was it removed?)").arg(modelId));
    auto loaded = models::NetSpatialGenerator::load(it->weights.get(), engine);
    if (!loaded)
      return toCoreError(loaded.error(), QStringLiteral("project model \"%1\" is not a usable NetSpatial checkpoint").arg(it->name));
    r.generator = std::move(*loaded);
    r.generatorId = kNetSpatialId;
    r.source = QStringLiteral("project model \"%1\"").arg(it->name);
    r.projectModelId = it->id;
    return r;
  }
  if (!key.startsWith(kReference)) return Error(ErrorCode::InvalidArgument, QStringLiteral("unknown generator choice '%1'").arg(key));
  const std::string id = key.mid(kReference.size()).toStdString();
  auto created = createGenerator(id, {}, engine);
  if (!created) return created.error();
  const QString label = QString::fromStdString((*created)->displayName());
  if (scenario.trafficObserved.isEmpty())
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("%1 is fitted on the project's observed traffic, and this project has none").arg(label));
  // Every site with a complete first 28-day window (the evaluation's rule without a held-out
  // split: the project's generations are not an evaluation).
  auto eligible = eligibleSites(scenario, {}, scenario.metadata.name);
  if (!eligible) return eligible.error();
  if (eligible->ids.empty())
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("%1: no site of the project has 28 complete days of observed traffic to fit it on").arg(label));
  core::Feedback contextFeedback = core::Feedback::childOf(feedback, 0.0, 0.7, QStringLiteral("Fitting %1: site contexts").arg(label));
  auto contexts = core::extractContexts(scenario, eligible->ids, {}, feedback ? &contextFeedback : nullptr);
  if (!contexts) return contexts.error();
  double scale = 0.0;
  for (const auto& w : eligible->windows)
    for (float v : w) scale = std::max(scale, double(v));
  if (!(scale > 0.0)) scale = 1.0;
  std::vector<models::TrainingSite> sites;
  sites.reserve(eligible->ids.size());
  for (std::size_t i = 0; i < eligible->ids.size(); ++i) {
    models::TrainingSite t;
    t.context = toModelContext((*contexts)[i]);
    t.series = eligible->windows[i];
    for (float& v : t.series) v = float(double(v) / scale);
    sites.push_back(std::move(t));
  }
  core::Feedback fitFeedback = core::Feedback::childOf(feedback, 0.7, 1.0, QStringLiteral("Fitting %1").arg(label));
  const models::Normalisation normalisation{scale, scenario.metadata.trafficUnit.toStdString()};
  if (auto fitted = (*created)->fit(sites, normalisation, 1, modelProgress(feedback ? &fitFeedback : nullptr)); !fitted)
    return toCoreError(fitted.error(), label);
  r.generator = std::move(*created);
  r.generatorId = id;
  r.fittedSites = int(sites.size());
  r.source = QStringLiteral("reference fitted on %1 sites").arg(sites.size());
  return r;
}

void recordGeneratorInRun(core::RunRecord& run, const ResolvedGenerator& resolved) {
  // The id the user chose ("netspatial_milan"), not only the architecture the checkpoint holds.
  run.modelId = QString::fromStdString(resolved.generatorId);
  run.parameters.insert(QStringLiteral("generator"), resolved.key);
  run.parameters.insert(QStringLiteral("generator_source"), resolved.source);
  if (!resolved.projectModelId.isEmpty()) run.parameters.insert(QStringLiteral("project_model_id"), resolved.projectModelId);
  if (resolved.fittedSites > 0) run.parameters.insert(QStringLiteral("fitted_sites"), resolved.fittedSites);
}

}  // namespace netspatial::app
