// Models › Train on this project's observed traffic, without a window (issue 19, item 5): the
// ProjectTrainer on a ProjectDocument and a TaskManager. A smoke-size training of a saved town
// completes as a task, is scored on its held-out blocks and adds a project model (with a `train`
// run naming the recipe, the data and the weights) that loads and is selectable; undo removes it;
// a cancelled training leaves the project exactly as it was; an unsaved project is refused with a
// message saying why.

#include "app/common/generatorchoice.h"
#include "app/studio/generatorchooserentries.h"
#include "app/studio/projectdocument.h"
#include "app/studio/projecttrainer.h"
#include "app/studio/taskmanager.h"
#include "core/scenario/scenariostore.h"
#include "core/sim/citysimulator.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace netspatial;

namespace {

// Every stage runs, a few steps each: a smoke test of the machinery, not of learning.
app::ProjectTrainingRequest smokeRequest() {
  app::ProjectTrainingRequest r;
  r.name = QStringLiteral("Town smoke");
  r.fromEmbedded = true;
  r.holdout = 0.25;
  r.groupSize = 800.0;
  r.steps = {4, 4, 4, 8, 16, 1};
  r.scoreSamples = 2;
  return r;
}

}  // namespace

class TestProjectTraining : public QObject {
  Q_OBJECT

  QTemporaryDir m_dir;
  QString m_path;
  core::Scenario m_town;

 private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName(QStringLiteral("NetSpatial"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_projecttraining"));
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    auto preset = core::cityPreset(QStringLiteral("town"));
    QVERIFY(preset.ok());
    auto town = core::simulateCity(*preset, 41);
    QVERIFY(town.ok());
    m_path = m_dir.filePath(QStringLiteral("town.gpkg"));
    QVERIFY(core::saveScenario(*town, m_path).ok());
    auto loaded = core::loadScenario(m_path);
    QVERIFY(loaded.ok());
    m_town = std::move(*loaded);
  }

  void recipeReadsTheSavedFile() {
    const QString text = app::ProjectTrainer::recipeText(smokeRequest(), QStringLiteral("pm_x"), QStringLiteral("/data/a \"b\".gpkg"),
                                                         QStringLiteral("MB/h"));
    QVERIFY2(text.contains(QStringLiteral("init = \"embedded\"")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("file = \"/data/a \\\"b\\\".gpkg\", unit = \"MB/h\", holdout = 0.25, group_size = 800")),
             qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("generator_steps = 8")));
    // The estimate follows the steps: the full preset takes longer than the quick one.
    QVERIFY(app::ProjectTrainer::estimatedSeconds(app::TrainingSteps::full()) >
            20.0 * app::ProjectTrainer::estimatedSeconds(app::TrainingSteps::quick()));
  }

  void unsavedProjectIsRefused() {
    app::ProjectDocument document;
    app::TaskManager tasks{&document};
    app::ProjectTrainer trainer{&document, &tasks};
    document.open(m_town, {}, true);  // a new city: nowhere on disk
    QVERIFY2(trainer.refusal().contains(QStringLiteral("save the project first")), qPrintable(trainer.refusal()));
    QCOMPARE(trainer.start(smokeRequest()), quint64(0));
    document.open(m_town, m_path, false);
    QVERIFY(trainer.refusal().isEmpty());
    QVERIFY(document.setGeneratorKey(app::GeneratorRole::Planning, app::referenceGeneratorKey("zone_template")).ok());
    QVERIFY2(trainer.refusal().contains(QStringLiteral("unsaved changes")), qPrintable(trainer.refusal()));
  }

  void smokeTrainingAddsAProjectModel() {
    app::ProjectDocument document;
    app::TaskManager tasks{&document};
    app::ProjectTrainer trainer{&document, &tasks};
    document.open(m_town, m_path, false);
    QSignalSpy finished(&trainer, &app::ProjectTrainer::finished);
    QSignalSpy started(&tasks, &app::TaskManager::taskStarted);
    QVERIFY(trainer.start(smokeRequest()) != 0);
    QVERIFY(trainer.isRunning());
    QVERIFY(finished.wait(300000));
    QCOMPARE(started.size(), 1);
    QCOMPARE(started.front().at(1).toString(), QStringLiteral("Training \"Town smoke\" on town.gpkg"));
    QCOMPARE(finished.front().at(0).toString(), QString());
    const QString modelId = finished.front().at(1).toString();
    QVERIFY(!trainer.isRunning());

    const auto p = document.scenario();
    QCOMPARE(p->projectModels.size(), std::size_t(1));
    const core::ProjectModel& m = p->projectModels.front();
    QCOMPARE(m.id, modelId);
    QCOMPARE(m.name, QStringLiteral("Town smoke"));
    const QString sha = QString::fromLatin1(
        QCryptographicHash::hash(QByteArrayView(reinterpret_cast<const char*>(m.weights.get().data()), qsizetype(m.weights.size())),
                                 QCryptographicHash::Sha256)
            .toHex());
    QCOMPARE(m.sha256, sha);
    QVERIFY2(m.modelCard.contains(QStringLiteral("## Held-out score (studio)")) && m.modelCard.contains(QStringLiteral("Zone template")),
             qPrintable(m.modelCard.right(800)));
    QVERIFY(m.provenance.value(QStringLiteral("heldout_mae")).toDouble() > 0.0);
    QVERIFY(m.provenance.value(QStringLiteral("held_out_sites")).toInt() > 0);
    QCOMPARE(m.provenance.value(QStringLiteral("data_sha256")).toString().size(), 64);

    // The training is in `runs`: recipe, data and weights.
    const core::RunRecord& run = p->runs.back();
    QCOMPARE(run.kind, QStringLiteral("train"));
    QCOMPARE(run.weightsSha256, sha);
    QVERIFY(run.parameters.value(QStringLiteral("recipe")).toString().contains(QStringLiteral("[data]")));
    QCOMPARE(run.dataHashes.value(QStringLiteral("scenario_sha256")).toString(),
             m.provenance.value(QStringLiteral("data_sha256")).toString());
    QVERIFY(document.isModified());

    // Selectable, for planning and for forecasts, and it loads.
    const QString key = app::projectGeneratorKey(modelId);
    bool listed = false;
    for (const auto& e : app::generatorChooserEntries(*p, app::GeneratorRole::Forecast)) listed |= e.key == key && e.enabled;
    QVERIFY(listed);
    QVERIFY(document.setGeneratorKey(app::GeneratorRole::Forecast, key).ok());
    auto resolved = app::resolveGenerator(*p, key, {});
    QVERIFY2(resolved.ok(), resolved.ok() ? "" : qPrintable(resolved.error().toString()));
    QCOMPARE(QString::fromStdString(resolved->generator->weightsSha256()), sha);

    // One undoable step each: the choice, then the model.
    document.undoStack()->undo();
    document.undoStack()->undo();
    QVERIFY(document.scenario()->projectModels.empty());
    QVERIFY(!document.isModified());
  }

  void cancelLeavesTheProjectUnchanged() {
    app::ProjectDocument document;
    app::TaskManager tasks{&document};
    app::ProjectTrainer trainer{&document, &tasks};
    document.open(m_town, m_path, false);
    const auto before = document.scenario();
    const QByteArray fileBefore = [this] {
      QFile f(m_path);
      return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256) : QByteArray();
    }();
    QSignalSpy finished(&trainer, &app::ProjectTrainer::finished);
    app::ProjectTrainingRequest request = smokeRequest();
    request.steps = app::TrainingSteps::full();  // long enough to be cancelled while it trains
    QVERIFY(trainer.start(request) != 0);
    // Cancel once training has started its steps (past the data).
    QTRY_VERIFY_WITH_TIMEOUT(tasks.progress() > 0.12, 120000);
    trainer.cancel();
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.front().at(0).toString(), QStringLiteral("cancelled"));
    QCOMPARE(finished.front().at(1).toString(), QString());
    // The very same version, no history, nothing to save, the file untouched.
    QCOMPARE(document.scenario(), before);
    QCOMPARE(document.undoStack()->count(), 0);
    QVERIFY(!document.isModified());
    QFile f(m_path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256), fileBefore);
  }
};

QTEST_GUILESS_MAIN(TestProjectTraining)
#include "tst_projecttraining.moc"
