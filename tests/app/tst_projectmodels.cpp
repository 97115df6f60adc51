// The generator chooser and the project's own models (issue 19, item 5), without a window: which
// generators a project offers (references only where it has observed traffic; none for forecasts),
// the choice saved in the project and undone like any setting, a generation with a chosen
// reference naming it in its run record, a project model surviving save and load byte for byte,
// and a corrupt model blob refused with an error that names the file, the table, the row and the
// field.

#include "app/common/generatorchoice.h"
#include "app/common/generatorfacts.h"
#include "app/common/generators.h"
#include "app/studio/generatorchooserentries.h"
#include "app/studio/generatorservice.h"
#include "app/studio/planningsession.h"
#include "app/studio/projectdocument.h"
#include "app/studio/taskmanager.h"
#include "core/scenario/scenariostore.h"
#include "core/sim/citysimulator.h"

#include "tests/squarearea.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace netspatial;

namespace {

const ui::GeneratorChooserEntry* entry(const std::vector<ui::GeneratorChooserEntry>& entries, const QString& key) {
  for (const auto& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

QString sha256(const std::vector<std::uint8_t>& bytes) {
  return QString::fromLatin1(QCryptographicHash::hash(QByteArrayView(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size())),
                                                      QCryptographicHash::Sha256)
                                 .toHex());
}

// A project model holding the embedded weights (a real checkpoint, without training one here).
core::ProjectModel embeddedAsProjectModel(const QString& id, const QString& name) {
  core::ProjectModel m;
  m.id = id;
  m.name = name;
  auto weights = app::embeddedWeights(app::kNetSpatialId);
  if (weights) m.weights = *weights;
  m.sha256 = weights ? sha256(*weights) : QString();
  auto card = app::embeddedModelCard(app::kNetSpatialId);
  m.modelCard = card ? *card : QString();
  m.created = QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), QTimeZone::utc());
  m.provenance = {{QStringLiteral("heldout_mae"), 0.0421}, {QStringLiteral("heldout_mae_zone_template"), 0.0514}};
  return m;
}

}  // namespace

class TestProjectModels : public QObject {
  Q_OBJECT

  core::Scenario m_town;
  QTemporaryDir m_dir;

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    auto preset = core::cityPreset(QStringLiteral("town"));
    QVERIFY(preset.ok());
    auto town = core::simulateCity(*preset, 5);
    QVERIFY(town.ok());
    m_town = std::move(*town);
    QVERIFY(!m_town.trafficObserved.isEmpty());
    QVERIFY(app::hasEmbeddedWeights(app::kNetSpatialId));
  }

  void chooserListsEmbeddedModelsAndReferences() {
    const auto planning = app::generatorChooserEntries(m_town, app::GeneratorRole::Planning);
    // Every id with embedded weights, generically (not only "netspatial").
    for (const std::string& id : app::generatorIds()) {
      const auto* e = entry(planning, app::hasEmbeddedWeights(id) ? app::embeddedGeneratorKey(id) : app::referenceGeneratorKey(id));
      QVERIFY2(e, id.c_str());
      QVERIFY2(e->enabled, qPrintable(e->disabledReason));
    }
    const auto* netspatial = entry(planning, app::defaultGeneratorKey());
    QVERIFY(netspatial);
    QCOMPARE(netspatial->group, QStringLiteral("Embedded models"));
    // Its unit and training data are shown; on the simulated town they match.
    QVERIFY2(netspatial->summary.contains(QStringLiteral("unit MB/h")) && netspatial->summary.contains(QStringLiteral("simulated cities")),
             qPrintable(netspatial->summary));
    QVERIFY(!netspatial->warn);
    const auto* zone = entry(planning, app::referenceGeneratorKey("zone_template"));
    QVERIFY(zone);
    QCOMPARE(zone->group, QStringLiteral("References"));
    QVERIFY2(zone->summary.contains(
                 QStringLiteral("this project's observed traffic (%1 sites)").arg(m_town.trafficObserved.valuesBySite.size())),
             qPrintable(zone->summary));

    // Forecasts need NetSpatial's operations mode: a reference is listed but cannot be chosen.
    const auto forecast = app::generatorChooserEntries(m_town, app::GeneratorRole::Forecast);
    const auto* zoneForecast = entry(forecast, app::referenceGeneratorKey("zone_template"));
    QVERIFY(zoneForecast && !zoneForecast->enabled);
    QVERIFY2(zoneForecast->disabledReason.contains(QStringLiteral("operations mode")), qPrintable(zoneForecast->disabledReason));
    QVERIFY(entry(forecast, app::defaultGeneratorKey())->enabled);
  }

  void withoutObservedTrafficTheReferencesAreDisabled() {
    core::Scenario bare = m_town;
    bare.trafficObserved = core::HourlyTraffic{};
    const auto entries = app::generatorChooserEntries(bare, app::GeneratorRole::Planning);
    const auto* zone = entry(entries, app::referenceGeneratorKey("zone_template"));
    QVERIFY(zone);
    QVERIFY(!zone->enabled);
    QVERIFY2(zone->disabledReason.contains(QStringLiteral("has none")), qPrintable(zone->disabledReason));
    QVERIFY(entry(entries, app::defaultGeneratorKey())->enabled);
    // And the document refuses to choose it.
    app::ProjectDocument document;
    document.open(bare, {}, false);
    const core::Status s = document.setGeneratorKey(app::GeneratorRole::Planning, app::referenceGeneratorKey("zone_template"));
    QVERIFY(!s.ok());
    QCOMPARE(document.generatorKey(app::GeneratorRole::Planning), app::defaultGeneratorKey());
    QCOMPARE(document.undoStack()->count(), 0);
  }

  void choiceIsSavedRestoredAndUndone() {
    app::ProjectDocument document;
    document.open(m_town, {}, false);
    const QString zone = app::referenceGeneratorKey("nearest_context");
    QVERIFY(document.setGeneratorKey(app::GeneratorRole::Planning, zone).ok());
    QCOMPARE(document.generatorKey(app::GeneratorRole::Planning), zone);
    QCOMPARE(document.generatorKey(app::GeneratorRole::Forecast), app::defaultGeneratorKey());  // one choice per role
    QVERIFY(document.isModified());
    // A reference cannot forecast: refused, nothing changes.
    QVERIFY(!document.setGeneratorKey(app::GeneratorRole::Forecast, zone).ok());
    QCOMPARE(document.undoStack()->count(), 1);

    const QString path = m_dir.filePath(QStringLiteral("choice.gpkg"));
    QVERIFY(core::saveScenario(*document.scenario(), path).ok());
    auto loaded = core::loadScenario(path);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().toString()));
    QCOMPARE(app::chosenGeneratorKey(*loaded, app::GeneratorRole::Planning), zone);
    app::ProjectDocument reopened;
    reopened.open(*loaded, path, false);
    QCOMPARE(reopened.generatorKey(app::GeneratorRole::Planning), zone);

    document.undoStack()->undo();
    QCOMPARE(document.generatorKey(app::GeneratorRole::Planning), app::defaultGeneratorKey());
    document.undoStack()->redo();
    QCOMPARE(document.generatorKey(app::GeneratorRole::Planning), zone);
  }

  void generationWithAReferenceRecordsIt() {
    app::ProjectDocument document;
    app::TaskManager tasks{&document};
    app::GeneratorService service{&tasks};
    app::PlanningSession session{&document, &service};
    session.setConfirmation([](const QString&, const QString&) { return true; });
    document.open(m_town, {}, false);
    QVERIFY(session.setAoi(tests::square(m_town.extent().centre(), 300.0)).ok());
    const QString key = app::referenceGeneratorKey("zone_template");
    QVERIFY(session.setGeneratorKey(key).ok());
    app::GenerationOptions o = session.generationOptions();
    o.samples = 2;
    o.seed = 7;
    session.setGenerationOptions(o);
    QSignalSpy finished(&session, &app::PlanningSession::generationFinished);
    QVERIFY(session.startGeneration());
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.front().at(0).toString(), QString());
    const core::GeneratedTraffic* traffic = core::latestGeneration(*document.scenario());
    QVERIFY(traffic);
    const core::RunRecord* run = nullptr;
    for (const core::RunRecord& r : document.scenario()->runs)
      if (r.runId == traffic->runId) run = &r;
    QVERIFY(run);
    QCOMPARE(run->modelId, QStringLiteral("zone_template"));
    QCOMPARE(run->parameters.value(QStringLiteral("generator")).toString(), key);
    QCOMPARE(run->seed, quint64(7));
    QCOMPARE(run->weightsSha256.size(), 64);  // the fitted state's SHA-256
    const QString source = run->parameters.value(QStringLiteral("generator_source")).toString();
    QVERIFY2(source.startsWith(QStringLiteral("reference fitted on ")) && source.endsWith(QStringLiteral(" sites")), qPrintable(source));
    QVERIFY(run->parameters.value(QStringLiteral("fitted_sites")).toInt() > 10);

    // Choosing another generator discards that generation (it was the reference's), after asking.
    QStringList asked;
    session.setConfirmation([&asked](const QString&, const QString& q) {
      asked << q;
      return true;
    });
    QVERIFY(session.setGeneratorKey(app::defaultGeneratorKey()).ok());
    QCOMPARE(asked.size(), 1);
    QVERIFY(!core::latestGeneration(*document.scenario()));
    QVERIFY(!session.ranking());
    document.undoStack()->undo();  // both come back together
    QCOMPARE(session.generatorKey(), key);
    QVERIFY(core::latestGeneration(*document.scenario()));
  }

  void projectModelRoundTripsThroughSaveAndLoad() {
    app::ProjectDocument document;
    document.open(m_town, {}, false);
    core::ProjectModel model = embeddedAsProjectModel(QStringLiteral("pm_test"), QStringLiteral("Town fine-tune"));
    QVERIFY(!model.weights.empty());
    const QString sha = model.sha256;
    core::RunRecord run;
    run.runId = QStringLiteral("train-1");
    run.kind = QStringLiteral("train");
    run.modelId = app::projectGeneratorKey(model.id);
    run.weightsSha256 = sha;
    QVERIFY(document.addProjectModel(model, run).ok());
    QVERIFY(!document.addProjectModel(model, run).ok());  // one id, one model
    const QString key = app::projectGeneratorKey(QStringLiteral("pm_test"));
    QVERIFY(document.setGeneratorKey(app::GeneratorRole::Forecast, key).ok());

    const QString path = m_dir.filePath(QStringLiteral("models.gpkg"));
    QVERIFY(core::saveScenario(*document.scenario(), path).ok());
    auto loaded = core::loadScenario(path);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().toString()));
    QCOMPARE(loaded->projectModels.size(), std::size_t(1));
    const core::ProjectModel& back = loaded->projectModels.front();
    QCOMPARE(back.id, QStringLiteral("pm_test"));
    QCOMPARE(back.name, QStringLiteral("Town fine-tune"));
    QCOMPARE(back.sha256, sha);
    QCOMPARE(sha256(back.weights.get()), sha);
    QVERIFY(back.weights.get() == model.weights.get());
    QCOMPARE(back.modelCard, model.modelCard);
    QCOMPARE(back.created, model.created);
    QCOMPARE(back.provenance.value(QStringLiteral("heldout_mae")).toDouble(), 0.0421);
    QCOMPARE(app::chosenGeneratorKey(*loaded, app::GeneratorRole::Forecast), key);
    bool trainRun = false;
    for (const core::RunRecord& r : loaded->runs) trainRun |= r.kind == QStringLiteral("train") && r.weightsSha256 == sha;
    QVERIFY(trainRun);

    // Selectable after loading, with its score; it loads and its runs name it.
    const auto entries = app::generatorChooserEntries(*loaded, app::GeneratorRole::Planning);
    const auto* e = entry(entries, key);
    QVERIFY(e && e->enabled);
    QCOMPARE(e->label, QStringLiteral("Town fine-tune (project model)"));
    QCOMPARE(e->group, QStringLiteral("Project models"));
    QVERIFY2(e->summary.contains(QStringLiteral("held-out mae 0.0421 (zone template 0.0514)")), qPrintable(e->summary));
    auto resolved = app::resolveGenerator(*loaded, key, {});
    QVERIFY2(resolved.ok(), resolved.ok() ? "" : qPrintable(resolved.error().toString()));
    QCOMPARE(QString::fromStdString(resolved->generator->weightsSha256()), sha);
    QCOMPARE(resolved->source, QStringLiteral("project model \"Town fine-tune\""));
    core::RunRecord generated;
    generated.weightsSha256 = sha;
    generated.modelId = QStringLiteral("netspatial");
    generated.parameters.insert(QStringLiteral("unit"), QStringLiteral("MB/h"));
    app::recordGeneratorInRun(generated, *resolved);
    QCOMPARE(generated.parameters.value(QStringLiteral("generator")).toString(), key);
    QCOMPARE(generated.parameters.value(QStringLiteral("project_model_id")).toString(), QStringLiteral("pm_test"));
    // The calibration of its runs follows the project model (trained on this project), not the
    // weights-without-a-card rule.
    QVERIFY2(app::calibrationOfRun(*loaded, generated).matches(), qPrintable(app::calibrationOfRun(*loaded, generated).message));
  }

  void removingAModelIsUndoableAndResetsTheChoicesUsingIt() {
    app::ProjectDocument document;
    document.open(m_town, {}, false);
    core::RunRecord run;
    run.runId = QStringLiteral("train-1");
    run.kind = QStringLiteral("train");
    QVERIFY(document.addProjectModel(embeddedAsProjectModel(QStringLiteral("pm_a"), QStringLiteral("A")), run).ok());
    run.runId = QStringLiteral("train-2");
    QVERIFY(document.addProjectModel(embeddedAsProjectModel(QStringLiteral("pm_b"), QStringLiteral("B")), run).ok());
    const QString keyA = app::projectGeneratorKey(QStringLiteral("pm_a"));
    QVERIFY(document.setGeneratorKey(app::GeneratorRole::Forecast, keyA).ok());
    QVERIFY(document.setGeneratorKey(app::GeneratorRole::Planning, keyA).ok());
    QCOMPARE(document.rolesUsingModel(QStringLiteral("pm_a")).size(), 2);
    QVERIFY(document.rolesUsingModel(QStringLiteral("pm_b")).isEmpty());
    const int steps = document.undoStack()->count();

    QVERIFY(!document.removeProjectModel(QStringLiteral("pm_none")).ok());
    QCOMPARE(document.undoStack()->count(), steps);
    QVERIFY(document.removeProjectModel(QStringLiteral("pm_a")).ok());
    QCOMPARE(document.undoStack()->count(), steps + 1);  // one step
    QCOMPARE(document.scenario()->projectModels.size(), std::size_t(1));
    QCOMPARE(document.scenario()->projectModels.front().id, QStringLiteral("pm_b"));
    QCOMPARE(document.generatorKey(app::GeneratorRole::Planning), app::defaultGeneratorKey());
    QCOMPARE(document.generatorKey(app::GeneratorRole::Forecast), app::defaultGeneratorKey());
    int trainRuns = 0;
    for (const core::RunRecord& r : document.scenario()->runs) trainRuns += r.kind == QStringLiteral("train") ? 1 : 0;
    QCOMPARE(trainRuns, 2);  // the history stays
    // Saved without it; the chooser no longer offers it.
    const QString path = m_dir.filePath(QStringLiteral("removed.gpkg"));
    QVERIFY(core::saveScenario(*document.scenario(), path).ok());
    auto loaded = core::loadScenario(path);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().toString()));
    QCOMPARE(loaded->projectModels.size(), std::size_t(1));
    QVERIFY(!entry(app::generatorChooserEntries(*loaded, app::GeneratorRole::Planning), keyA));

    document.undoStack()->undo();
    QCOMPARE(document.scenario()->projectModels.size(), std::size_t(2));
    QCOMPARE(document.generatorKey(app::GeneratorRole::Planning), keyA);
    QCOMPARE(document.generatorKey(app::GeneratorRole::Forecast), keyA);
    // A model no choice uses goes alone.
    QVERIFY(document.removeProjectModel(QStringLiteral("pm_b")).ok());
    QCOMPARE(document.generatorKey(app::GeneratorRole::Planning), keyA);
    QCOMPARE(document.scenario()->projectModels.size(), std::size_t(1));
  }

  void corruptModelBlobIsAClearError() {
    core::Scenario s = m_town;
    core::ProjectModel model = embeddedAsProjectModel(QStringLiteral("pm_bad"), QStringLiteral("Bad"));
    model.weights.mut()[100] ^= 0xFF;  // the bytes no longer are the ones recorded
    s.projectModels.push_back(model);
    const QString path = m_dir.filePath(QStringLiteral("corrupt.gpkg"));
    QVERIFY(core::saveScenario(s, path).ok());
    auto loaded = core::loadScenario(path);
    QVERIFY(!loaded.ok());
    QCOMPARE(loaded.error().code(), core::ErrorCode::CorruptData);
    const QString text = loaded.error().toString();
    QVERIFY2(text.contains(path) && text.contains(QStringLiteral("project_models")) && text.contains(QStringLiteral("weights")) &&
                 text.contains(QStringLiteral("'Bad'")),
             qPrintable(text));
    QCOMPARE(loaded.error().context().row, std::optional<qint64>(1));

    // Bytes that match their SHA-256 but are no checkpoint: choosing them fails with the model's name.
    core::Scenario junk = m_town;
    core::ProjectModel notAModel;
    notAModel.id = QStringLiteral("pm_junk");
    notAModel.name = QStringLiteral("Junk");
    notAModel.weights = std::vector<std::uint8_t>(64, 7);
    notAModel.sha256 = sha256(notAModel.weights.get());
    junk.projectModels.push_back(notAModel);
    auto resolved = app::resolveGenerator(junk, app::projectGeneratorKey(QStringLiteral("pm_junk")), {});
    QVERIFY(!resolved.ok());
    QVERIFY2(resolved.error().toString().contains(QStringLiteral("project model \"Junk\"")), qPrintable(resolved.error().toString()));
  }
};

QTEST_GUILESS_MAIN(TestProjectModels)
#include "tst_projectmodels.moc"
