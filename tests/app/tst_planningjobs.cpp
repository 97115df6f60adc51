// The planning jobs of app/common/planning (issue 6), shared by the GUI's worker and the CLI, on a
// simulated town with the embedded NetSpatial model: candidate grid over an AOI, generation with
// provenance, cancel leaves the project as it was, a clicked site gets the samples it has in the
// AOI run, ranking, and every export read back (CSV, long series CSV, GeoPackage, GeoJSON). The CLI
// commands generate / rank / export run end to end on a saved copy.

#include "tests/comparenear.h"
#include "app/common/generators.h"
#include "app/common/planning.h"
#include "core/geo/coordinatetransform.h"
#include "core/geo/vectorreader.h"
#include "core/planning/planningexport.h"
#include "core/planning/rationale.h"
#include "core/scenario/scenariostore.h"
#include "core/sim/citysimulator.h"

#include "testprocess.h"

#include "tests/squarearea.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QDateTime>
#include <QTest>

#include <cmath>

using namespace netspatial;
using tests::square;
using namespace netspatial::core;

class TestPlanningJobs : public QObject {
  Q_OBJECT

  Scenario m_town;
  std::unique_ptr<models::Generator> m_generator;
  QTemporaryDir m_dir;

  int runCli(const QStringList& args, QString* out, QString* err) {
    return tests::runProgram(QStringLiteral(NETSPATIAL_CLI), args, out, err);
  }

 private Q_SLOTS:
  void initTestCase() {
    if (!app::hasEmbeddedWeights(app::kNetSpatialId)) QSKIP("this build embeds no NetSpatial weights (NETSPATIAL_EMBED_WEIGHTS=OFF)");
    auto preset = cityPreset(QStringLiteral("town"));
    QVERIFY(preset.ok());
    auto town = simulateCity(*preset, 911);
    QVERIFY(town.ok());
    m_town = std::move(*town);
    m_town.aoi = square(m_town.extent().centre(), 600.0);  // 1.2 km × 1.2 km: 144 cells of 100 m
    auto grid = buildCandidateGrid(m_town, m_town.aoi);
    QVERIFY(grid.ok());
    m_town.candidates = std::move(*grid);
    models::EngineOptions engine;
    engine.device = models::DevicePreference::Cpu;
    auto g = app::createGenerator(app::kNetSpatialId, {}, engine);
    QVERIFY2(g.ok(), g.ok() ? "" : qPrintable(g.error().message()));
    m_generator = std::move(*g);
  }

  void gridHasFeasibleAndExplainedInfeasibleCells() {
    QCOMPARE(m_town.candidates.size(), std::size_t(144));
    int feasible = 0;
    for (const Candidate& c : m_town.candidates) {
      feasible += c.feasible ? 1 : 0;
      if (!c.feasible) QVERIFY(!c.reason.isEmpty());
    }
    // The town's stations rule out some cells (150 m), but far from all.
    QVERIFY2(feasible > 20 && feasible < 144, qPrintable(QString::number(feasible)));
    QCOMPARE(int(core::feasibleCandidateSites(m_town).size()), feasible);
  }

  void generationIsStoredWithProvenance() {
    Scenario s = m_town;
    const auto sites = core::feasibleCandidateSites(s);
    app::GenerationOptions o;
    o.samples = 4;
    o.seed = 7;
    o.scope = QStringLiteral("candidates");
    auto g = app::generateTraffic(s, sites, *m_generator, o);
    QVERIFY2(g.ok(), g.ok() ? "" : qPrintable(g.error().message()));
    QCOMPARE(g->traffic.samplesBySite.size(), sites.size());
    QCOMPARE(g->run.modelId, QStringLiteral("netspatial"));
    QCOMPARE(g->run.weightsSha256, QString::fromStdString(m_generator->weightsSha256()));
    QCOMPARE(g->run.seed, quint64(7));
    QCOMPARE(g->run.parameters.value("samples").toInt(), 4);
    QCOMPARE(g->run.parameters.value("device").toString(), QStringLiteral("cpu"));
    QCOMPARE(g->run.parameters.value("normalisation_scale").toDouble(), m_generator->normalisation().scale);
    QCOMPARE(g->traffic.start.toTimeZone(QTimeZone("Europe/Rome")).date().dayOfWeek(), int(Qt::Monday));
    QCOMPARE(g->traffic.start.toTimeZone(QTimeZone("Europe/Rome")).time(), QTime(0, 0));
    double sum = 0.0;
    for (const auto& [id, samples] : g->traffic.samplesBySite) {
      QCOMPARE(samples.size(), std::size_t(4));
      for (const auto& x : samples) {
        QCOMPARE(x.size(), std::size_t(672));
        for (float v : x) {
          QVERIFY(std::isfinite(v) && v >= 0.0f);
          sum += v;
        }
      }
    }
    QVERIFY(sum > 0.0);
    // Stored and saved: reopening shows the same values without recomputing.
    const QString runId = g->run.runId;
    app::applyGeneration(s, std::move(*g));
    const QString path = m_dir.filePath(QStringLiteral("stored.gpkg"));
    QVERIFY(saveScenario(s, path).ok());
    auto reopened = loadScenario(path);
    QVERIFY(reopened.ok());
    const GeneratedTraffic* t = core::latestGeneration(*reopened);
    QVERIFY(t);
    QCOMPARE(t->runId, runId);
    QCOMPARE(t->samplesBySite.size(), sites.size());
    const auto& first = *s.trafficGenerated.back().samplesBySite.begin();
    QCOMPARE(t->samplesBySite.at(first.first)[3][100], first.second[3][100]);
    QVERIFY(core::runRecord(*reopened, runId));
    // A new candidate generation replaces the old one.
    app::GenerationOptions again = o;
    again.seed = 8;
    auto g2 = app::generateTraffic(s, sites, *m_generator, again);
    QVERIFY(g2.ok());
    app::applyGeneration(s, std::move(*g2));
    QCOMPARE(std::count_if(s.runs.begin(), s.runs.end(), [](const RunRecord& r) { return r.kind == "generate"; }), 1);
    QCOMPARE(s.trafficGenerated.size(), std::size_t(1));
  }

  void cancelledGenerationChangesNothing() {
    Scenario s = m_town;
    const auto before = s.trafficGenerated.size();
    Feedback feedback;
    int calls = 0;
    feedback.setProgressCallback([&](double f, const QString&) {
      if (f > 0.2 && ++calls == 1) feedback.cancel();  // midway through the generation chunks
    });
    app::GenerationOptions o;
    o.sitesPerChunk = 8;
    auto g = app::generateTraffic(s, core::feasibleCandidateSites(s), *m_generator, o, &feedback);
    QVERIFY(!g.ok());
    QCOMPARE(g.error().code(), ErrorCode::Cancelled);
    QCOMPARE(s.trafficGenerated.size(), before);
    QVERIFY(s.runs.size() == m_town.runs.size());
  }

  void aClickedSiteGetsItsAoiSamples() {
    const auto sites = core::feasibleCandidateSites(m_town);
    app::GenerationOptions o;
    o.samples = 3;
    auto all = app::generateTraffic(m_town, sites, *m_generator, o);
    auto one = app::generateTraffic(m_town, {sites[5]}, *m_generator, o);
    QVERIFY(all.ok() && one.ok());
    const auto& a = all->traffic.samplesBySite.at(sites[5].siteId);
    const auto& b = one->traffic.samplesBySite.at(sites[5].siteId);
    for (int k = 0; k < 3; ++k)
      for (int t = 0; t < 672; ++t)
        QVERIFY(std::abs(a[std::size_t(k)][std::size_t(t)] - b[std::size_t(k)][std::size_t(t)]) <=
                1e-4f * (1.0f + std::abs(a[std::size_t(k)][std::size_t(t)])));
  }

  void rankAndExportReadBack() {
    Scenario s = m_town;
    app::GenerationOptions o;
    o.samples = 4;
    o.scope = QStringLiteral("candidates");
    auto g = app::generateTraffic(s, core::feasibleCandidateSites(s), *m_generator, o);
    QVERIFY(g.ok());
    app::applyGeneration(s, std::move(*g));
    const GeneratedTraffic& traffic = s.trafficGenerated.back();
    auto utilities = core::generationUtilities(s, traffic);
    QVERIFY2(utilities.ok(), utilities.ok() ? "" : qPrintable(utilities.error().message()));
    RankingOptions ro;
    ro.topK = 5;
    ro.minSpacing = 300.0;
    auto ranking = rankSites(*utilities, ro);
    QVERIFY(ranking.ok());
    int selected = 0;
    for (const RankedSite& r : ranking->sites) selected += r.selected ? 1 : 0;
    QCOMPARE(selected, 5);

    const QString csv = m_dir.filePath(QStringLiteral("ranking.csv"));
    QVERIFY(writeRankingCsv(*ranking, s.metadata.crs, csv).ok());
    const QStringList lines = tests::readCsvLines(csv);
    QCOMPARE(lines.size(), int(ranking->sites.size()) + 1);
    QVERIFY(lines[0].startsWith(QStringLiteral("rank,site_id,lon,lat,x,y,lsi,sigma,mean,p95,mean_over_sigma,p_topk,utility")));
    const QStringList row = lines[1].split(QLatin1Char(','));
    QCOMPARE(row[0], QStringLiteral("1"));
    QCOMPARE(row[1], ranking->sites[0].siteId);
    // lon/lat through PROJ from the scenario CRS, to 1e-7° (about 1 cm).
    auto toLonLat = CoordinateTransform::create(s.metadata.crs, Crs::wgs84());
    QVERIFY(toLonLat.ok());
    const PointXY ll = *toLonLat->transform(ranking->sites[0].position);
    QVERIFY2(std::abs(row[2].toDouble() - ll.x) < 1e-7 && std::abs(row[3].toDouble() - ll.y) < 1e-7, qPrintable(lines[1]));
    QCOMPARE(row[4].toDouble(), ranking->sites[0].position.x);
    QCOMPARE(row[12], QStringLiteral("lsi"));

    const QString series = m_dir.filePath(QStringLiteral("series.csv"));
    const QString id = ranking->sites[0].siteId;
    QVERIFY(writeSeriesCsv(traffic, series, SeriesUnits::Physical, 0.0, {id}).ok());
    const QStringList sl = tests::readCsvLines(series);
    QCOMPARE(sl.size(), 1 + 4 * 672);
    QCOMPARE(sl[0], QStringLiteral("site_id,sample,t,value"));
    QCOMPARE(sl[1].section(',', 0, 2), QStringLiteral("%1,0,%2").arg(id, traffic.start.toString(Qt::ISODate)));
    NETSPATIAL_COMPARE_NEAR(sl[1].section(',', 3).toDouble(), traffic.samplesBySite.at(id)[0][0],
                            1e-3 * (1 + traffic.samplesBySite.at(id)[0][0]));
    const double scale = core::runRecord(s, traffic.runId)->parameters.value("normalisation_scale").toDouble();
    QVERIFY(writeSeriesCsv(traffic, series, SeriesUnits::Normalised, scale, {id}).ok());
    NETSPATIAL_COMPARE_NEAR(tests::readCsvLines(series)[1].section(',', 3).toDouble() * scale, traffic.samplesBySite.at(id)[0][0],
                            1e-3 * (1 + traffic.samplesBySite.at(id)[0][0]));
    QVERIFY(!writeSeriesCsv(traffic, series, SeriesUnits::Physical, 0.0, {QStringLiteral("nope")}).ok());

    for (const QString& name : {QStringLiteral("ranked.gpkg"), QStringLiteral("ranked.geojson")}) {
      const QString path = m_dir.filePath(name);
      QVERIFY(writeRankedSites(s, *ranking, path).ok());
      auto layer = readVectorLayer(path);
      QVERIFY2(layer.ok(), layer.ok() ? "" : qPrintable(layer.error().message()));
      QCOMPARE(layer->features.size(), ranking->sites.size());
      QCOMPARE(layer->features.front().attributes.value("site_id").toString(), ranking->sites[0].siteId);
      QCOMPARE(layer->features.front().attributes.value("rank").toInt(), 1);
      QCOMPARE(layer->dominantType(), GeometryType::Polygon);
      const PointXY c = layer->features.front().geometry.centroid();
      if (name.endsWith("geojson")) {
        QVERIFY(layer->crs.isGeographic());
        {
          NETSPATIAL_COMPARE_NEAR(c.x, ll.x, 1e-6);
          NETSPATIAL_COMPARE_NEAR(c.y, ll.y, 1e-6);
        }
      } else {
        {
          NETSPATIAL_COMPARE_NEAR(c.x, ranking->sites[0].position.x, 1e-6);
          NETSPATIAL_COMPARE_NEAR(c.y, ranking->sites[0].position.y, 1e-6);
        }
      }
    }
    QVERIFY(!writeRankedSites(s, *ranking, m_dir.filePath(QStringLiteral("ranked.shp.txt"))).ok());

    // The rationale of the top site states its rank and demand.
    auto contexts = extractContextsAt(s, {{ranking->sites[0].siteId, ranking->sites[0].position}});
    QVERIFY(contexts.ok());
    const QString why =
        siteRationale(ranking->sites[0], *ranking, &contexts->front(), trafficFeatures(traffic.samplesBySite.at(id)), "MB/h");
    QVERIFY2(why.startsWith(QStringLiteral("Rank 1 of ")) && why.contains("Mean demand"), qPrintable(why));
  }

  void cliGenerateRankExport() {
    Scenario s = m_town;
    s.candidates.clear();
    s.aoi = {};
    const QString project = m_dir.filePath(QStringLiteral("cli.gpkg"));
    QVERIFY(saveScenario(s, project).ok());
    const PointXY c = m_town.extent().centre();
    const QString aoi = m_dir.filePath(QStringLiteral("aoi.geojson"));
    {
      QFile f(aoi);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(QStringLiteral(
                  "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"%1\"}},\"features\":[{\"type\":"
                  "\"Feature\","
                  "\"properties\":{},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%2,%3],[%4,%3],[%4,%5],[%2,%5],[%2,%3]]]}}]}")
                  .arg(s.metadata.crs.authId())
                  .arg(c.x - 400, 0, 'f', 1)
                  .arg(c.y - 400, 0, 'f', 1)
                  .arg(c.x + 400, 0, 'f', 1)
                  .arg(c.y + 400, 0, 'f', 1)
                  .toUtf8());
    }
    QString out, err;
    // Bad input: a clear message and a non-zero exit, the project untouched.
    QCOMPARE(runCli({"generate", "--project", project, "--aoi", m_dir.filePath("missing.geojson")}, &out, &err), 1);
    QVERIFY2(err.contains("missing.geojson"), qPrintable(err));
    QCOMPARE(runCli({"rank", "--project", project}, &out, &err), 1);
    QVERIFY2(err.contains("netspatial generate"), qPrintable(err));
    QCOMPARE(runCli({"generate", "--project", project, "--aoi", aoi, "--cell", "-5"}, &out, &err), 2);

    QCOMPARE(runCli({"generate", "--project", project, "--aoi", aoi, "--cell", "100", "--samples", "4", "--seed", "3", "--device", "cpu"},
                    &out, &err),
             0);
    QVERIFY2(out.contains("Generated") && out.contains("seed 3"), qPrintable(out + err));
    QVERIFY2(out.contains("Units        generated in MB/h; observed traffic of the scenario in MB/h"), qPrintable(out));
    QVERIFY2(out.contains("Calibration  matches the scenario"), qPrintable(out));
    auto saved = loadScenario(project);
    QVERIFY(saved.ok());
    QCOMPARE(saved->candidates.size(), std::size_t(64));  // 800 m → 8 × 8 cells
    QVERIFY(core::latestGeneration(*saved));
    {
      // The same town as if imported with its traffic in another unit: the run is said to be
      // uncalibrated, on stdout and as a warning on stderr (issue 19).
      core::Scenario imported = *saved;
      imported.metadata.trafficUnit = QStringLiteral("activity (dataset units)");
      core::RunRecord importRun;
      importRun.runId = QStringLiteral("import-test");
      importRun.kind = QStringLiteral("import");
      importRun.modelId = QStringLiteral("scenario");
      importRun.time = QDateTime::currentDateTimeUtc();
      imported.runs.push_back(importRun);
      const QString importedPath = m_dir.filePath("cli-imported.gpkg");
      QVERIFY(core::saveScenario(imported, importedPath).ok());
      QCOMPARE(
          runCli({"generate", "--project", importedPath, "--aoi", aoi, "--cell", "100", "--samples", "2", "--seed", "3", "--device", "cpu"},
                 &out, &err),
          0);
      QVERIFY2(err.contains("warning:") && err.contains("not calibrated"), qPrintable(err));
      QVERIFY2(out.contains("observed traffic of the scenario in activity (dataset units)"), qPrintable(out));
    }

    const QString csv = m_dir.filePath("cli-ranking.csv"), gpkg = m_dir.filePath("cli-ranked.gpkg");
    QCOMPARE(
        runCli({"rank", "--project", project, "--utility", "lsi", "--top", "3", "--min-spacing", "300", "--out", csv, "--vector", gpkg},
               &out, &err),
        0);
    const QStringList lines = tests::readCsvLines(csv);
    QVERIFY(lines.size() > 3);
    QVERIFY(lines[0].startsWith("rank,site_id,lon,lat,x,y,lsi,sigma,mean,p95"));
    QCOMPARE(lines[1].section(',', 0, 0), QStringLiteral("1"));
    QVERIFY(readVectorLayer(gpkg).ok());
    saved = loadScenario(project);
    QVERIFY(!saved->rankings.empty());
    QCOMPARE(runCli({"rank", "--project", project, "--utility", "nonsense"}, &out, &err), 2);

    const QString series = m_dir.filePath("cli-series.csv");
    const QString site = lines[1].section(',', 1, 1);
    QCOMPARE(runCli({"export", "--project", project, "--series", site, "--out", series}, &out, &err), 0);
    QCOMPARE(tests::readCsvLines(series).size(), 1 + 4 * 672);
    QCOMPARE(runCli({"export", "--project", project, "--series", "all", "--units", "normalized", "--out", series}, &out, &err), 0);
    QCOMPARE(tests::readCsvLines(series).size(), 1 + int(core::latestGeneration(*saved)->samplesBySite.size()) * 4 * 672);
    QCOMPARE(runCli({"export", "--project", project, "--series", "C99999", "--out", series}, &out, &err), 1);
    QVERIFY2(err.contains("C99999"), qPrintable(err));
  }
};

QTEST_GUILESS_MAIN(TestPlanningJobs)
#include "tst_planningjobs.moc"
