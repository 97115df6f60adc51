// Operations jobs (DESIGN.md §9, issue 7) with the embedded NetSpatial model on a simulated town:
// the history/period split, forecasts for existing stations (provenance, determinism, the observed
// weekly template carried over), the whole study, cancel, and the sleep/balance command lines.

#include "app/common/generators.h"
#include "app/common/operations.h"
#include "core/scenario/scenariostore.h"
#include "core/sim/citysimulator.h"

#include "testprocess.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <cmath>

using namespace netspatial;
using namespace netspatial::core;

class TestOperationsJobs : public QObject {
  Q_OBJECT

  Scenario m_town;
  std::unique_ptr<models::Generator> m_generator;
  QTemporaryDir m_dir;

  int runCli(const QStringList& args, QString* out, QString* err) {
    return tests::runProgram(QStringLiteral(NETSPATIAL_CLI), args, out, err);
  }

  OperationsSettings quickSettings() const {
    OperationsSettings s;
    s.horizonWeeks = 1;
    s.forecastSamples = 4;
    s.seed = 5;
    s.sleep.tradeoffQuantiles = {0.5, 0.9};
    s.sleep.sleep.neighbourDistance = 800.0;
    s.balance.neighbourDistance = 800.0;
    return s;
  }

 private Q_SLOTS:
  void initTestCase() {
    if (!app::hasEmbeddedWeights(app::kNetSpatialId)) QSKIP("this build embeds no NetSpatial weights (NETSPATIAL_EMBED_WEIGHTS=OFF)");
    auto preset = cityPreset(QStringLiteral("town"));
    QVERIFY(preset.ok());
    auto town = simulateCity(*preset, 912);
    QVERIFY(town.ok());
    m_town = std::move(*town);
    models::EngineOptions engine;
    engine.device = models::DevicePreference::Cpu;
    auto g = app::createGenerator(app::kNetSpatialId, {}, engine);
    QVERIFY2(g.ok(), g.ok() ? "" : qPrintable(g.error().message()));
    m_generator = std::move(*g);
  }

  void inputSplitsWholeLocalWeeks() {
    auto in = app::operationsInput(m_town, {}, quickSettings());
    QVERIFY2(in.ok(), in.ok() ? "" : qPrintable(in.error().message()));
    QCOMPARE(in->stations.size(), m_town.stations.size());
    const QTimeZone tz(m_town.metadata.timeZone.toUtf8());
    // The period starts on a local Monday 00:00 even after the DST change inside the town's series.
    QCOMPARE(in->startUtc.toTimeZone(tz).date().dayOfWeek(), int(Qt::Monday));
    QCOMPARE(in->startUtc.toTimeZone(tz).time(), QTime(0, 0));
    QVERIFY(std::abs(in->historyStartUtc.toTimeZone(tz).time().secsTo(QTime(0, 0))) <= 3600 ||
            in->historyStartUtc.toTimeZone(tz).time() == QTime(23, 0));
    QCOMPARE(in->observed.front().size(), std::size_t(168));
    QCOMPARE(in->history.front().size() % 168, std::size_t(0));
    QCOMPARE(qint64(in->history.front().size()), in->historyStartUtc.secsTo(in->startUtc) / 3600);
    // The period is the last week of the series, at the right offset.
    const auto& series = m_town.trafficObserved.valuesBySite.at(in->stations.front().id);
    const std::size_t offset = std::size_t(m_town.trafficObserved.start.secsTo(in->startUtc) / 3600);
    QCOMPARE(in->observed.front()[5], double(series[offset + 5]));
    QCOMPARE(in->localHour[25], 1);
    for (const auto& s : in->stations) QVERIFY(s.capacity > 0.0);

    auto tooLong = quickSettings();
    tooLong.horizonWeeks = 5;
    QVERIFY(!app::operationsInput(m_town, {}, tooLong).ok());
    auto unknown = app::operationsInput(m_town, {QStringLiteral("nope")}, quickSettings());
    QVERIFY(!unknown.ok());
    QVERIFY(unknown.error().message().contains(QStringLiteral("nope")));
  }

  void forecastIsReproducibleAndRecorded() {
    const QStringList ids{m_town.stations[0].id, m_town.stations[1].id, m_town.stations[2].id};
    auto in = app::operationsInput(m_town, ids, quickSettings());
    QVERIFY(in.ok());
    auto a = app::forecastStations(m_town, *in, *m_generator, 4, 9);
    auto b = app::forecastStations(m_town, *in, *m_generator, 4, 9);
    QVERIFY2(a.ok(), a.ok() ? "" : qPrintable(a.error().message()));
    QVERIFY(b.ok());
    QCOMPARE(a->samples.size(), std::size_t(3));
    QCOMPARE(a->samples[0].size(), std::size_t(4));
    QCOMPARE(a->samples[0][0].size(), std::size_t(168));
    QCOMPARE(a->samples, b->samples);  // same seed → same bits on CPU
    QCOMPARE(a->run.kind, QStringLiteral("forecast"));
    QCOMPARE(a->run.modelId, QStringLiteral("netspatial"));
    QCOMPARE(a->run.weightsSha256, QString::fromStdString(m_generator->weightsSha256()));
    QCOMPARE(a->run.seed, quint64(9));
    QCOMPARE(a->scale, m_generator->normalisation().scale);  // MB/h: the model's own unit
    // Operations mode keeps the station's own level: the forecast mean tracks the observed week.
    for (std::size_t i = 0; i < 3; ++i) {
      double obs = 0.0, gen = 0.0;
      for (std::size_t t = 0; t < 168; ++t) {
        obs += in->observed[i][t];
        gen += a->mean[i][t];
      }
      QVERIFY2(gen > 0.6 * obs && gen < 1.6 * obs,
               qPrintable(QStringLiteral("%1: observed %2, forecast %3").arg(ids[int(i)]).arg(obs).arg(gen)));
    }
  }

  void studyRunsEveryPolicy() {
    auto study = app::runOperationsStudy(m_town, {}, quickSettings(), *m_generator);
    QVERIFY2(study.ok(), study.ok() ? "" : qPrintable(study.error().message()));
    const auto& s = study->sleep;
    QCOMPARE(s.outcomes.size(), std::size_t(4));
    const auto* oracle = s.outcome(SleepPolicy::Oracle);
    const auto* forecast = s.outcome(SleepPolicy::Forecast);
    QVERIFY(oracle->savingPct > 0.0);
    QVERIFY(forecast->savingPct > 0.0);
    QVERIFY(forecast->qoe > 0.95);
    QCOMPARE(s.tradeoff.size(), std::size_t(2));
    QCOMPARE(study->paper.stations.size(), study->input.stations.size());
    QVERIFY(study->paper.eta <= 1.0 - study->paper.qoe + 1e-12);
    QCOMPARE(study->balance.stations.size(), study->input.stations.size());
    QVERIFY(study->balance.networkPeakAfter <= study->balance.networkPeakBefore + 1e-12);
  }

  void cancelProducesNothing() {
    Feedback feedback;
    feedback.cancel();
    auto study = app::runOperationsStudy(m_town, {}, quickSettings(), *m_generator, &feedback);
    QVERIFY(!study.ok());
    QCOMPARE(int(study.error().code()), int(ErrorCode::Cancelled));
  }

  void commandLine() {
    const QString project = m_dir.filePath(QStringLiteral("town.gpkg"));
    QVERIFY(saveScenario(m_town, project).ok());
    QString out, err;
    const QString schedule = m_dir.filePath(QStringLiteral("schedule.csv"));
    const QString summary = m_dir.filePath(QStringLiteral("summary.csv"));
    QCOMPARE(runCli({"sleep", "--project", project, "--horizon", "1", "--samples", "2", "--tradeoff", "0.5,1", "--neighbour-distance",
                     "800", "--device", "cpu", "--out", schedule, "--summary", summary},
                    &out, &err),
             0);
    QVERIFY2(out.contains(QStringLiteral("Oracle (observed load)")), qPrintable(out + err));
    QVERIFY(out.contains(QStringLiteral("Paper mode")));
    const QStringList rows = tests::readCsvLines(schedule);
    QCOMPARE(rows.front(), QStringLiteral("station_id,t,local_time,asleep,handover_to,observed,decision_load"));
    QCOMPARE(rows.size(), 1 + int(m_town.stations.size()) * 168);
    const QStringList sum = tests::readCsvLines(summary);
    QVERIFY(sum.front().startsWith(QStringLiteral("kind,policy,quantile,energy_kwh")));
    QCOMPARE(sum.size(), 1 + 4 + 2 + 1);  // 4 policies, 2 trade-off points, paper mode
    QVERIFY(sum[1].startsWith(QStringLiteral("policy,always_on,")));
    QVERIFY(sum.last().startsWith(QStringLiteral("paper_mode,")));
    QVERIFY(sum[1].contains(QString::fromStdString(m_generator->weightsSha256())));

    const QString balance = m_dir.filePath(QStringLiteral("balance.csv"));
    QCOMPARE(runCli({"balance", "--project", project, "--horizon", "1", "--threshold", "0.5", "--out", balance}, &out, &err), 0);
    QVERIFY2(out.contains(QStringLiteral("Network peak utilisation")), qPrintable(out + err));
    QCOMPARE(tests::readCsvLines(balance).size(), 1 + int(m_town.stations.size()) + 1);

    QCOMPARE(runCli({"sleep", "--project", project, "--quantile", "2"}, &out, &err), 2);
    QCOMPARE(runCli({"sleep", "--project", project, "--horizon", "9"}, &out, &err), 2);
    QCOMPARE(runCli({"balance", "--project", project, "--threshold", "0"}, &out, &err), 2);
    QCOMPARE(runCli({"sleep", "--project", m_dir.filePath(QStringLiteral("missing.gpkg"))}, &out, &err), 1);
    QCOMPARE(runCli({"balance", "--project", project, "--stations", "S9999"}, &out, &err), 1);
    QVERIFY(err.contains(QStringLiteral("S9999")));
  }
};

QTEST_GUILESS_MAIN(TestOperationsJobs)
#include "tst_operationsjobs.moc"
