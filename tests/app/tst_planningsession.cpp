// The planning workflow without a window (issue 18, "split along the seams"): PlanningSession on a
// ProjectDocument and a GeneratorService, no widget anywhere (a QCoreApplication). What is checked
// is the workflow's rules — an AOI builds the grid, a far-away one is refused, a grid change after
// a generation asks and discards, a "no" changes nothing, re-ranking is undoable, exports refuse
// what does not match the grid, a large job asks first, the newest inspection wins. No model is
// loaded: generations are made by the test (tests/app/fakegeneration.h) and added to the document
// as a finished job would add them.

#include "app/studio/generatorservice.h"
#include "app/studio/planningsession.h"
#include "app/studio/projectdocument.h"
#include "app/studio/taskmanager.h"
#include "core/planning/candidategrid.h"
#include "core/sim/citysimulator.h"

#include "fakegeneration.h"

#include "tests/squarearea.h"

#include <QCoreApplication>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace netspatial;
using tests::square;

namespace {

// What the studio wires together, minus the window.
struct Studio {
  app::ProjectDocument document;
  app::TaskManager tasks{&document};
  app::GeneratorService service{&tasks};
  app::PlanningSession session{&document, &service};
  QStringList questions;  //!< every question asked, in order
  bool answer = false;    //!< the user's answer to each

  explicit Studio(const core::Scenario& town) {
    session.setConfirmation([this](const QString&, const QString& question) {
      questions << question;
      return answer;
    });
    document.open(town, {}, false);
  }

  // An AOI, and a generation for its grid, added as a finished job would add it.
  int aoiAndGeneration(int salt = 0) {
    if (document.scenario()->candidates.empty() && !session.setAoi(square(document.scenario()->extent().centre(), 500.0)).ok()) return 0;
    const auto s = document.scenario();
    const app::Generation g = tests::fakeGeneration(*s, 2, salt);
    if (!document.addGeneration(g, core::candidateGridHash(*s)).ok()) return 0;
    return int(g.traffic.samplesBySite.size());
  }
};

QString firstLine(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(f.readLine()).trimmed();
}

}  // namespace

class TestPlanningSession : public QObject {
  Q_OBJECT

  core::Scenario m_town;

 private Q_SLOTS:
  void initTestCase() {
    // The session reads and writes the measured generation rate in QSettings.
    QCoreApplication::setOrganizationName(QStringLiteral("NetSpatial"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_planningsession"));
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    auto preset = core::cityPreset(QStringLiteral("town"));
    QVERIFY(preset.ok());
    auto town = core::simulateCity(*preset, 5);
    QVERIFY(town.ok());
    m_town = std::move(*town);
  }

  void noWidgetsAtAll() {
    // The point of the split: the workflow runs where there is no GUI.
    QVERIFY(qobject_cast<QCoreApplication*>(QCoreApplication::instance()));
    QVERIFY(!QCoreApplication::instance()->inherits("QGuiApplication"));
  }

  void aoiBuildsTheGrid() {
    Studio studio(m_town);
    QSignalSpy messages(&studio.session, &app::PlanningSession::message);
    QVERIFY(studio.document.scenario()->candidates.empty());
    QVERIFY(studio.session.setAoi(square(m_town.extent().centre(), 500.0)).ok());
    const auto& cells = studio.document.scenario()->candidates;
    // A 1 km square at 100 m: 10 × 10 cells (aligned on multiples of the cell size, 11 × 11 at most).
    QVERIFY2(cells.size() >= 100 && cells.size() <= 121, qPrintable(QString::number(cells.size())));
    const auto feasible = std::count_if(cells.begin(), cells.end(), [](const core::Candidate& c) { return c.feasible; });
    QVERIFY(feasible > 0);
    QVERIFY(std::size_t(feasible) < cells.size());  // the town's stations rule some cells out
    QCOMPARE(messages.count(), 1);
    QCOMPARE(
        messages.front().at(0).toString(),
        QStringLiteral("Candidate grid: %1 cells of 100 m, %2 feasible — Planning › Generate (Ctrl+G)").arg(cells.size()).arg(feasible));
    QVERIFY(studio.questions.isEmpty());  // nothing to discard, nothing asked
    studio.document.undoStack()->undo();
    QVERIFY(studio.document.scenario()->candidates.empty());
  }

  void farAwayAoiIsRefused() {
    Studio studio(m_town);
    const int generated = studio.aoiAndGeneration();
    QVERIFY(generated > 0);
    const auto before = studio.document.scenario();
    const int undoCount = studio.document.undoStack()->count();
    const core::PointXY c = m_town.extent().centre();
    const core::Status far = studio.session.setAoi(square({c.x + 9.0e6, c.y}, 1000.0));
    QVERIFY(!far.ok());
    QVERIFY2(far.error().message().contains(QStringLiteral("does not overlap")), qPrintable(far.error().message()));
    QCOMPARE(studio.document.scenario(), before);
    QCOMPARE(studio.document.undoStack()->count(), undoCount);
    QVERIFY(studio.session.ranking() != nullptr);
    QVERIFY(studio.questions.isEmpty());  // refused before asking to discard anything for it
  }

  void gridChangeAfterGenerationAsksAndDiscards() {
    Studio studio(m_town);
    const int generated = studio.aoiAndGeneration();
    QVERIFY(generated > 10);
    QVERIFY(studio.session.ranking() != nullptr);
    const auto before = studio.document.scenario();
    const int undoCount = studio.document.undoStack()->count();
    core::CandidateGridOptions finer = studio.session.gridOptions();
    finer.cellSize = 50.0;

    studio.answer = true;
    QVERIFY(studio.session.setGridOptions(finer).ok());
    QCOMPARE(studio.questions.size(), 1);
    QVERIFY2(studio.questions.front().contains(QStringLiteral("Discard the generated traffic of %1 site").arg(generated)),
             qPrintable(studio.questions.front()));
    // One undoable step drops the generation and its ranking with the old grid.
    QCOMPARE(studio.document.undoStack()->count(), undoCount + 1);
    QCOMPARE(studio.session.gridOptions().cellSize, 50.0);
    QVERIFY(studio.session.ranking() == nullptr);
    QVERIFY(studio.document.scenario()->trafficGenerated.empty());
    QVERIFY(studio.document.scenario()->candidates.size() > before->candidates.size());

    studio.document.undoStack()->undo();
    QCOMPARE(studio.document.scenario()->candidates.size(), before->candidates.size());
    QCOMPARE(studio.document.scenario()->trafficGenerated.size(), std::size_t(1));
    QVERIFY(studio.session.ranking() != nullptr);
  }

  void declinedConfirmationChangesNothing() {
    Studio studio(m_town);
    const int generated = studio.aoiAndGeneration();
    QVERIFY(generated > 0);
    const auto before = studio.document.scenario();
    const auto rankingBefore = studio.document.current().ranking;
    const int undoCount = studio.document.undoStack()->count();
    core::CandidateGridOptions finer = studio.session.gridOptions();
    finer.cellSize = 50.0;

    studio.answer = false;
    const core::Status refused = studio.session.setGridOptions(finer);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error().code(), core::ErrorCode::Cancelled);
    const core::Status aoiRefused = studio.session.setAoi(square(m_town.extent().centre(), 300.0));
    QVERIFY(!aoiRefused.ok());
    QCOMPARE(aoiRefused.error().code(), core::ErrorCode::Cancelled);
    QCOMPARE(studio.questions.size(), 2);  // both asked
    QCOMPARE(studio.document.scenario(), before);
    QCOMPARE(studio.document.current().ranking, rankingBefore);
    QCOMPARE(studio.document.undoStack()->count(), undoCount);
    QCOMPARE(studio.session.gridOptions().cellSize, 100.0);

    // Without anyone to ask, nothing is discarded either.
    studio.session.setConfirmation({});
    QCOMPARE(studio.session.setGridOptions(finer).error().code(), core::ErrorCode::Cancelled);
    QCOMPARE(studio.document.scenario(), before);
  }

  void rerankIsUndoable() {
    Studio studio(m_town);
    QVERIFY(studio.aoiAndGeneration() > 0);
    const QString runId = studio.document.scenario()->trafficGenerated.front().runId;
    QCOMPARE(studio.session.ranking()->options.utility, core::Utility::Lsi);
    core::RankingOptions o = studio.session.rankingOptions();
    o.utility = core::Utility::MeanDemand;
    o.topK = 3;
    studio.session.rerank(o);
    QCOMPARE(studio.session.ranking()->options.utility, core::Utility::MeanDemand);
    QCOMPARE(studio.session.ranking()->options.topK, 3);
    const auto& sites = studio.session.ranking()->sites;
    QCOMPARE(int(std::count_if(sites.begin(), sites.end(), [](const core::RankedSite& s) { return s.selected; })), 3);
    QCOMPARE(studio.document.scenario()->trafficGenerated.front().runId, runId);  // no regeneration
    studio.document.undoStack()->undo();
    QCOMPARE(studio.session.ranking()->options.utility, core::Utility::Lsi);
    QCOMPARE(studio.session.rankingOptions().utility, core::Utility::Lsi);
    studio.document.undoStack()->redo();
    QCOMPARE(studio.session.ranking()->options.utility, core::Utility::MeanDemand);
  }

  void exportsRefuseWhatDoesNotMatchTheGrid() {
    QTemporaryDir dir;
    Studio studio(m_town);
    const QString csv = dir.filePath(QStringLiteral("ranking.csv")), gpkg = dir.filePath(QStringLiteral("sites.gpkg"));
    QVERIFY(!studio.session.exportRankingCsv(csv).ok());  // nothing generated yet
    QVERIFY(!QFile::exists(csv));
    QVERIFY(studio.aoiAndGeneration() > 0);
    QVERIFY(studio.session.exportRankingCsv(csv).ok());
    QVERIFY2(firstLine(csv).startsWith(QStringLiteral("rank,site_id,")), qPrintable(firstLine(csv)));
    QVERIFY(QFile::remove(csv));

    // A generation made for another grid is refused by the project, so nothing can be exported
    // against the new cells.
    const auto startedOn = studio.document.scenario();
    studio.answer = true;
    core::CandidateGridOptions finer = studio.session.gridOptions();
    finer.cellSize = 50.0;
    QVERIFY(studio.session.setGridOptions(finer).ok());
    QVERIFY(!studio.document.addGeneration(tests::fakeGeneration(*startedOn, 2, 1), core::candidateGridHash(*startedOn)).ok());
    const core::Status refused = studio.session.exportRankingCsv(csv);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().message().contains(QStringLiteral("nothing is ranked yet")), qPrintable(refused.error().message()));
    QVERIFY(!QFile::exists(csv));
    QVERIFY(!studio.session.exportRankedSites(gpkg).ok());
    QVERIFY(!QFile::exists(gpkg));
  }

  void largeJobAsksFirst() {
    Studio studio(m_town);
    QVERIFY(studio.session.setAoi(square(m_town.extent().centre(), 500.0)).ok());
    const int feasible = int(core::feasibleCandidateSites(*studio.document.scenario()).size());
    const int samples = studio.session.generationOptions().samples;
    QVERIFY(feasible > 0 && samples > 0);
    studio.session.setLargeJobThreshold(qint64(feasible) * samples - 1);
    QSignalSpy finished(&studio.session, &app::PlanningSession::generationFinished);

    // No rate measured yet: the question says so.
    QSettings().remove(QStringLiteral("generation/sequencesPerSecond"));
    studio.answer = false;
    QVERIFY(!studio.session.startGeneration());
    QCOMPARE(studio.questions.size(), 1);
    QVERIFY2(
        studio.questions.last().startsWith(
            QStringLiteral("Generate %1 sites × %2 samples (%3 sequences)?").arg(feasible).arg(samples).arg(qint64(feasible) * samples)),
        qPrintable(studio.questions.last()));
    QVERIFY(studio.questions.last().contains(QStringLiteral("no generation has been measured")));
    // With a measured rate, the expected time at that rate.
    QSettings().setValue(QStringLiteral("generation/sequencesPerSecond"), 250.0);
    QVERIFY(!studio.session.startGeneration());
    QCOMPARE(studio.questions.size(), 2);
    QVERIFY2(studio.questions.last().contains(QStringLiteral("(250 sequences/s)")), qPrintable(studio.questions.last()));
    // Declined: no job, nothing reported, nothing stored.
    QVERIFY(!studio.session.isGenerating());
    QVERIFY(!studio.tasks.isBusy());
    QCOMPARE(finished.count(), 0);
    QVERIFY(studio.document.scenario()->trafficGenerated.empty());

    // Nothing to generate for: refused with a reason, without asking.
    studio.document.undoStack()->undo();
    QSignalSpy messages(&studio.session, &app::PlanningSession::message);
    QVERIFY(!studio.session.startGeneration());
    QCOMPARE(studio.questions.size(), 2);
    QCOMPARE(messages.count(), 1);
    QVERIFY(messages.front().at(0).toString().startsWith(QStringLiteral("No feasible candidate")));
  }

  void resultOfAnotherJobIsIgnored() {
    // Only the job this session started is added: a reply for any other (an abandoned one) is dropped.
    Studio studio(m_town);
    QVERIFY(studio.session.setAoi(square(m_town.extent().centre(), 500.0)).ok());
    QSignalSpy finished(&studio.session, &app::PlanningSession::generationFinished);
    const auto s = studio.document.scenario();
    Q_EMIT studio.service.generationFinished(42, core::Result<app::Generation>(tests::fakeGeneration(*s)));
    QCOMPARE(finished.count(), 0);
    QVERIFY(studio.document.scenario()->trafficGenerated.empty());
  }

  void inspectingACandidateFollowsTheProject() {
    QTemporaryDir dir;
    Studio studio(m_town);
    QVERIFY(studio.aoiAndGeneration() > 0);
    QSignalSpy clicked(&studio.session, &app::PlanningSession::candidateClicked);
    QSignalSpy ready(&studio.session, &app::PlanningSession::siteSummaryReady);
    QSignalSpy cleared(&studio.session, &app::PlanningSession::inspectionCleared);
    const core::RankedSite top = studio.session.ranking()->sites.front();

    // A click on a generated candidate: its stored samples, at once (no worker).
    QVERIFY(studio.session.inspectPoint(top.position, 10.0));
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.front().at(0).toString(), top.siteId);
    QCOMPARE(ready.count(), 1);
    const auto summary = ready.front().at(0).value<core::SiteSummary>();
    QCOMPARE(summary.siteId, top.siteId);
    QCOMPARE(int(summary.samples.size()), 2);
    QCOMPARE(studio.session.inspectedSite(), top.siteId);
    const QString series = dir.filePath(QStringLiteral("series.csv"));
    QVERIFY(studio.session.exportSiteSeries(top.siteId, series).ok());
    QVERIFY(!firstLine(series).isEmpty());
    QVERIFY(!studio.session.exportSiteSeries(QStringLiteral("S-none"), dir.filePath(QStringLiteral("none.csv"))).ok());

    // A re-ranking shows it again, from the generation on show.
    core::RankingOptions o = studio.session.rankingOptions();
    o.utility = core::Utility::MeanDemand;
    studio.session.rerank(o);
    QCOMPARE(ready.count(), 2);
    QCOMPARE(ready.last().at(0).value<core::SiteSummary>().siteId, top.siteId);
    QCOMPARE(cleared.count(), 0);

    // Another site on show (a study station, say): a planning change leaves it alone.
    core::SiteSummary station;
    station.siteId = QStringLiteral("S0001");
    studio.session.showSite(station);
    QCOMPARE(ready.count(), 3);
    studio.document.undoStack()->undo();  // the re-ranking
    QCOMPARE(ready.count(), 3);
    QCOMPARE(cleared.count(), 0);

    // The candidate again; then the grid changes under it: nothing stale stays on show.
    QVERIFY(studio.session.inspectPoint(top.position, 10.0));
    QCOMPARE(ready.count(), 4);
    studio.answer = true;
    core::CandidateGridOptions finer = studio.session.gridOptions();
    finer.cellSize = 50.0;
    QVERIFY(studio.session.setGridOptions(finer).ok());
    QCOMPARE(cleared.count(), 1);
    QVERIFY(studio.session.inspectedSite().isEmpty());
    QCOMPARE(ready.count(), 4);
  }

  void zoneComparisonKeepsOnlyGroupsWithTraffic() {
    Studio studio(m_town);
    QSignalSpy compared(&studio.session, &app::PlanningSession::zonesCompared);
    QSignalSpy cleared(&studio.session, &app::PlanningSession::zoneSelectionsCleared);
    QVERIFY(!m_town.trafficObserved.isEmpty());
    studio.session.addZoneSelection(core::ZoneSelection::ofPolygon(square(m_town.extent().centre(), 2000.0), QStringLiteral("centre")));
    QCOMPARE(studio.session.zoneSelections().size(), std::size_t(1));
    QCOMPARE(compared.count(), 1);
    QCOMPARE(int(compared.last().at(0).value<core::ZoneComparison>().zones.size()), 1);
    // A drawn area with no station inside is not kept; the comparison without it shows again.
    const core::PointXY c = m_town.extent().centre();
    studio.session.addZoneSelection(core::ZoneSelection::ofPolygon(square({c.x + 9.0e6, c.y}, 10.0), QStringLiteral("nowhere")));
    QCOMPARE(studio.session.zoneSelections().size(), std::size_t(1));
    QCOMPARE(compared.count(), 2);
    QCOMPARE(int(compared.last().at(0).value<core::ZoneComparison>().zones.size()), 1);
    studio.session.clearZoneSelections();
    QVERIFY(studio.session.zoneSelections().empty());
    QCOMPARE(cleared.count(), 1);
    QVERIFY(!studio.session.compareZones().isEmpty());  // nothing selected
  }

  void zoneComparisonFollowsTheGeneration() {
    Studio studio(m_town);
    QVERIFY(studio.aoiAndGeneration() > 0);
    core::ZoneComparisonOptions both = studio.session.zoneComparisonOptions();
    both.source = core::ZoneTrafficSource::Both;
    studio.session.setZoneComparisonOptions(both);
    QSignalSpy compared(&studio.session, &app::PlanningSession::zonesCompared);
    QSignalSpy cleared(&studio.session, &app::PlanningSession::zoneSelectionsCleared);
    studio.session.addZoneSelection(core::ZoneSelection::ofPolygon(square(m_town.extent().centre(), 2000.0), QStringLiteral("centre")));
    QCOMPARE(compared.count(), 1);
    const auto hasGenerated = [&compared] {
      const auto zones = compared.last().at(0).value<core::ZoneComparison>().zones;
      return !zones.empty() && zones.front().generated.has_value();
    };
    QVERIFY(hasGenerated());
    // The generation is undone: the comparison shows again without the generated profile.
    studio.document.undoStack()->undo();
    QVERIFY(studio.document.scenario()->trafficGenerated.empty());
    QCOMPARE(compared.count(), 2);
    QVERIFY(!hasGenerated());
    QCOMPARE(cleared.count(), 0);  // the observed traffic is still there
    // Redone: it is back.
    studio.document.undoStack()->redo();
    QCOMPARE(compared.count(), 3);
    QVERIFY(hasGenerated());
    // Generated only, and nothing generated any more: cleared, not left stale.
    core::ZoneComparisonOptions generatedOnly = both;
    generatedOnly.source = core::ZoneTrafficSource::Generated;
    studio.session.setZoneComparisonOptions(generatedOnly);
    studio.document.undoStack()->undo();
    QCOMPARE(cleared.count(), 1);
    QVERIFY(studio.session.zoneSelections().empty());
  }
};

QTEST_GUILESS_MAIN(TestPlanningSession)
#include "tst_planningsession.moc"
