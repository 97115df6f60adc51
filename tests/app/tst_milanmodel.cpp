// The embedded Milan model (issue 19, item 3): `netspatial_milan` ships beside the synthetic-city
// NetSpatial, its resource is the committed checkpoint with its card, it generates in Milan's unit,
// and — the quality bar of the issue — on the held-out blocks of the README's split it beats both
// reference generators on mae, rmse, crps, corr and jsd_temporal. Reads ../shared/data/milan and
// skips cleanly without it.

#include "app/common/evaluation.h"
#include "app/common/generatorfacts.h"
#include "app/common/generators.h"
#include "core/import/milanscenario.h"
#include "core/scenario/scenariostore.h"
#include "netspatial/models/netspatial.h"
#include "netspatial/models/sha256.h"
#include "tests/testdata.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>

using namespace netspatial;

namespace {

const char* const kMilanId = "netspatial_milan";
const QString kMilanUnit = QStringLiteral("activity (dataset units)");

std::vector<std::uint8_t> readFile(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  const QByteArray b = f.readAll();
  return {b.begin(), b.end()};
}

double metric(const app::EvaluationReport& report, const QString& generator, const QString& name) {
  for (const app::EvaluationRow& row : report.rows)
    if (row.generator == generator) return row.metrics.value(name);
  return std::nan("");
}

models::ModelContext milanLikeContext(double x, double y, const std::string& crs) {
  models::ModelContext c;
  c.stationsNearby = 3;
  c.position = models::ModelPosition{x, y, crs};
  return c;
}

}  // namespace

class TestMilanModel : public QObject {
  Q_OBJECT

  QTemporaryDir m_dir;
  std::vector<std::uint8_t> m_committed;  // resources/models/netspatial_milan.nsm

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    if (!app::hasEmbeddedWeights(kMilanId)) QSKIP("this build embeds no weights (NETSPATIAL_EMBED_WEIGHTS=OFF)");
    m_committed = readFile(QStringLiteral(NETSPATIAL_MILAN_WEIGHTS_FILE));
    QVERIFY2(!m_committed.empty(), NETSPATIAL_MILAN_WEIGHTS_FILE);
  }

  void shipsAsASecondGeneratorWithItsCard() {
    const auto ids = app::generatorIds();
    QCOMPARE(std::count(ids.begin(), ids.end(), std::string(kMilanId)), 1);
    const auto synthetic = std::find(ids.begin(), ids.end(), std::string(app::kNetSpatialId));
    QVERIFY(synthetic != ids.end());
    QVERIFY(std::find(ids.begin(), ids.end(), std::string(kMilanId)) > synthetic);

    auto bytes = app::embeddedWeights(kMilanId);
    QVERIFY2(bytes.ok(), bytes.ok() ? "" : qPrintable(bytes.error().toString()));
    const std::string sha = models::sha256Hex(m_committed.data(), m_committed.size());
    QCOMPARE(models::sha256Hex(bytes->data(), bytes->size()), sha);
    auto card = app::embeddedModelCard(kMilanId);
    QVERIFY2(card.ok(), card.ok() ? "" : qPrintable(card.error().toString()));
    QVERIFY2(card->contains(QString::fromStdString(sha), Qt::CaseInsensitive), "stale netspatial_milan.md");
    QVERIFY(card->contains(QStringLiteral("What it lacks")));  // the recipe's comments travel in the card

    // The studio's calibration facts: trained on Milan's observed traffic, in its unit.
    const core::GeneratorFacts facts = app::generatorFacts(kMilanId);
    QCOMPARE(facts.trainingData, core::TrainingData::Observed);
    QCOMPARE(facts.unit, kMilanUnit);
    QCOMPARE(facts.trainingScenarioFiles, QStringList{QStringLiteral("milan.gpkg")});
  }

  void generatesAsItsOwnModel() {
    models::EngineOptions cpu;
    cpu.device = models::DevicePreference::Cpu;
    auto created = app::createGenerator(kMilanId, {}, cpu);
    QVERIFY2(created.ok(), created.ok() ? "" : qPrintable(created.error().toString()));
    const models::Generator& g = **created;
    QCOMPARE(g.id(), std::string(kMilanId));
    QVERIFY(g.isFitted());
    QCOMPARE(QString::fromStdString(g.normalisation().unit), kMilanUnit);
    // Inside the memory's CRS, next to Milan's cells; in another CRS (no neighbours: the template
    // alone); without a position at all. Every one is a finite, non-negative series.
    const std::vector<models::ModelContext> sites{milanLikeContext(514000.0, 5035000.0, "EPSG:32632"),
                                                  milanLikeContext(514000.0, 5035000.0, "EPSG:3857"), models::ModelContext{}};
    auto batch = g.generate(sites, 2, 5, models::Device::Cpu);
    QVERIFY2(batch.ok(), batch.ok() ? "" : batch.error().message.c_str());
    QCOMPARE(batch->sites, 3);
    QVERIFY(std::all_of(batch->values.begin(), batch->values.end(), [](float v) { return std::isfinite(v) && v >= 0.0f; }));
    // Same seed, same series (reproducibility is per seed, not per call).
    auto again = g.generate(sites, 2, 5, models::Device::Cpu);
    QVERIFY(again.ok());
    QVERIFY(again->values == batch->values);
  }

  void beatsBothReferencesOnItsHeldOutBlocks() {
    NETSPATIAL_SHARED_FILE(grid, "milan/milano-grid.geojson");
    auto imported = core::importMilanScenario(QFileInfo(grid).absolutePath());
    QVERIFY2(imported.ok(), imported.ok() ? "" : qPrintable(imported.error().toString()));
    const QString gpkg = m_dir.filePath(QStringLiteral("milan.gpkg"));
    QVERIFY(core::saveScenario(imported->scenario, gpkg).ok());

    // The README's split and command: netspatial evaluate --train milan.gpkg --complete-only
    // --holdout 0.3 --group-size 1000 --split-seed 1 --samples 64.
    app::EvaluationOptions o;
    o.trainPaths = {gpkg};
    o.holdoutFraction = 0.3;
    o.groupSize = 1000.0;
    o.splitSeed = 1;
    o.requireCompleteSeries = true;
    o.samples = 64;
    o.generators = {"zone_template", "nearest_context", kMilanId};
    auto report = app::runEvaluation(o);
    QVERIFY2(report.ok(), report.ok() ? "" : qPrintable(report.error().toString()));
    QCOMPARE(report->testSites, 71);
    QCOMPARE(report->trainSites, 140);

    // The cells it is scored on are the ones its card says it never saw.
    auto card = app::embeddedModelCard(kMilanId);
    QVERIFY(card.ok());
    const auto heldOut = QRegularExpression(QStringLiteral("\\*\\*Held out of `milan.gpkg`\\*\\*[^:]*\\): ([^\\n]+)")).match(*card);
    QVERIFY2(heldOut.hasMatch(), "the card lists no held-out cells");
    QCOMPARE(heldOut.captured(1).split(QStringLiteral(", ")).size(), report->testSites);

    const QString model = QString::fromLatin1(kMilanId);
    for (const QString& reference : {QStringLiteral("zone_template"), QStringLiteral("nearest_context")}) {
      for (const QString& lowerIsBetter :
           {QStringLiteral("mae"), QStringLiteral("rmse"), QStringLiteral("crps"), QStringLiteral("jsd_temporal")}) {
        const double ours = metric(*report, model, lowerIsBetter), theirs = metric(*report, reference, lowerIsBetter);
        QVERIFY2(
            ours < theirs,
            qPrintable(QStringLiteral("%1: %2 %3 is not below %4's %5").arg(lowerIsBetter).arg(ours).arg(model, reference).arg(theirs)));
      }
      const double ours = metric(*report, model, QStringLiteral("corr")), theirs = metric(*report, reference, QStringLiteral("corr"));
      QVERIFY2(ours > theirs, qPrintable(QStringLiteral("corr: %1 is not above %2's %3").arg(ours).arg(reference).arg(theirs)));
    }
  }
};

QTEST_GUILESS_MAIN(TestMilanModel)
#include "tst_milanmodel.moc"
