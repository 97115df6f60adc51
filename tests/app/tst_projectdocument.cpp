// The project document (issue 18): one owner of the project, immutable versions for jobs,
// results bound to the grid they were computed for, undo as a swap of versions, honest "modified".
// No generator is loaded: generations are made here from the grid, as a generator would return them.

#include "app/studio/projectdocument.h"
#include "core/planning/candidategrid.h"
#include "core/sim/citysimulator.h"

#include "fakegeneration.h"

#include "tests/squarearea.h"

#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>

using namespace netspatial;
using tests::square;
using namespace netspatial::core;

class TestProjectDocument : public QObject {
  Q_OBJECT

  Scenario m_town;

 private Q_SLOTS:
  void initTestCase() {
    auto preset = cityPreset(QStringLiteral("town"));
    QVERIFY(preset.ok());
    auto town = simulateCity(*preset, 3);
    QVERIFY(town.ok());
    m_town = std::move(*town);
  }

  void versionsAreSnapshots() {
    app::ProjectDocument doc;
    doc.open(m_town, {}, true);
    const auto before = doc.scenario();
    QVERIFY(doc.setArea(square(before->extent().centre(), 400.0), {}, QStringLiteral("AOI")).ok());
    // A job holding the earlier version still sees it exactly as it was.
    QCOMPARE(before->candidates.size(), m_town.candidates.size());
    QVERIFY(before->aoi.extent().width() == m_town.aoi.extent().width() || (before->aoi.isEmpty() && m_town.aoi.isEmpty()));
    QVERIFY(before->candidates.isSharedWith(m_town.candidates) || before->candidates.empty());
    QVERIFY(!doc.scenario()->candidates.empty());
    QVERIFY(!doc.scenario()->candidates.isSharedWith(before->candidates));
    // Unchanged parts are shared, not copied.
    QVERIFY(doc.scenario()->zones.isSharedWith(before->zones));
    QVERIFY(doc.scenario()->imagery.grid.rgb.isSharedWith(before->imagery.grid.rgb));
    doc.undoStack()->undo();
    QCOMPARE(doc.scenario(), before);
  }

  void gridChangeDiscardsGenerationAndRankingInOneStep() {
    app::ProjectDocument doc;
    doc.open(m_town, {}, false);
    const PointXY centre = m_town.extent().centre();
    QVERIFY(doc.setArea(square(centre, 500.0), {}, QStringLiteral("AOI")).ok());
    QCOMPARE(doc.discardedByAreaChange(), 0);
    const app::Generation g = tests::fakeGeneration(*doc.scenario());
    const int generated = int(g.traffic.samplesBySite.size());
    QVERIFY(generated > 10);
    QVERIFY(doc.addGeneration(g, core::candidateGridHash(*doc.scenario())).ok());
    QVERIFY(doc.current().ranking != nullptr);
    QVERIFY(!doc.scenario()->rankings.empty());
    QCOMPARE(doc.discardedByAreaChange(), generated);

    QSignalSpy changed(&doc, &app::ProjectDocument::changed);
    const int undoCount = doc.undoStack()->count();
    CandidateGridOptions finer;
    finer.cellSize = 50.0;
    QVERIFY(doc.setArea(doc.scenario()->aoi, finer, QStringLiteral("Change candidate grid")).ok());
    QCOMPARE(doc.undoStack()->count(), undoCount + 1);  // one step
    QCOMPARE(changed.count(), 1);
    const auto parts = changed.takeFirst().at(0).value<app::ProjectParts>();
    QVERIFY(parts.testFlag(app::ProjectPart::Area));
    QVERIFY(parts.testFlag(app::ProjectPart::Generation));
    QVERIFY(parts.testFlag(app::ProjectPart::Ranking));
    // Nothing is re-attached to the new cells: no generation, no ranking, no ranking rows.
    QVERIFY(doc.scenario()->trafficGenerated.empty());
    QVERIFY(doc.scenario()->rankings.empty());
    QVERIFY(doc.current().ranking == nullptr);
    QVERIFY(core::latestGeneration(*doc.scenario()) == nullptr);

    // Undo brings the grid, the traffic and its ranking back together.
    doc.undoStack()->undo();
    QCOMPARE(doc.scenario()->trafficGenerated.size(), std::size_t(1));
    QVERIFY(doc.current().ranking != nullptr);
    QVERIFY(core::generationMatchesGrid(*doc.scenario(), doc.scenario()->trafficGenerated.front()));
    for (const RankedSite& s : doc.current().ranking->sites) {
      const Candidate* c = findCandidate(*doc.scenario(), s.siteId);
      QVERIFY2(c && c->feasible, qPrintable(s.siteId));
      QCOMPARE(candidateCentre(*c).x, s.position.x);
      QCOMPARE(candidateCentre(*c).y, s.position.y);
    }
  }

  void generationForAnotherGridIsRefused() {
    app::ProjectDocument doc;
    doc.open(m_town, {}, false);
    const PointXY centre = m_town.extent().centre();
    QVERIFY(doc.setArea(square(centre, 500.0), {}, QStringLiteral("AOI")).ok());
    const auto startedOn = doc.scenario();
    const QString hash = core::candidateGridHash(*startedOn);
    // The user undoes the AOI while the generation runs; its result belongs to a grid not on show.
    doc.undoStack()->undo();
    const Status added = doc.addGeneration(tests::fakeGeneration(*startedOn), hash);
    QVERIFY(!added.ok());
    QVERIFY(added.error().message().contains(QStringLiteral("grid changed")));
    QVERIFY(doc.scenario()->trafficGenerated.empty());
  }

  void farAwayAoiIsRefused() {
    app::ProjectDocument doc;
    doc.open(m_town, {}, false);
    const PointXY centre = m_town.extent().centre();
    const Status s = doc.setArea(square({centre.x + 9.0e6, centre.y}, 1000.0), {}, QStringLiteral("AOI"));
    QVERIFY(!s.ok());
    QVERIFY(s.error().message().contains(QStringLiteral("does not overlap")));
    QVERIFY(doc.scenario()->candidates.empty());
    QCOMPARE(doc.undoStack()->count(), 0);
  }

  void rankingOptionsAreUndoableAndStored() {
    app::ProjectDocument doc;
    doc.open(m_town, {}, false);
    QVERIFY(doc.setArea(square(m_town.extent().centre(), 500.0), {}, QStringLiteral("AOI")).ok());
    QVERIFY(doc.addGeneration(tests::fakeGeneration(*doc.scenario()), core::candidateGridHash(*doc.scenario())).ok());
    RankingOptions o = doc.current().rankingOptions;
    o.utility = Utility::MeanDemand;
    o.topK = 5;
    doc.setRankingOptions(o);
    QCOMPARE(doc.current().ranking->options.topK, 5);
    QVERIFY(std::all_of(doc.scenario()->rankings.begin(), doc.scenario()->rankings.end(),
                        [](const RankingRow& r) { return r.utility == utilityName(Utility::MeanDemand); }));
    // Reopened, the project ranks the way it was saved.
    app::ProjectDocument reopened;
    reopened.open(*doc.scenario(), {}, false);
    QCOMPARE(reopened.current().rankingOptions.topK, 5);
    QCOMPARE(reopened.current().rankingOptions.utility, Utility::MeanDemand);
    doc.undoStack()->undo();
    QCOMPARE(doc.current().ranking->options.topK, RankingOptions().topK);
  }

  void storedGenerationOfAnotherGridIsNotShown() {
    app::ProjectDocument doc;
    doc.open(m_town, {}, false);
    QVERIFY(doc.setArea(square(m_town.extent().centre(), 500.0), {}, QStringLiteral("AOI")).ok());
    QVERIFY(doc.addGeneration(tests::fakeGeneration(*doc.scenario()), core::candidateGridHash(*doc.scenario())).ok());
    // A file whose grid was rebuilt elsewhere (another cell size) after the generation.
    Scenario edited = *doc.scenario();
    CandidateGridOptions finer;
    finer.cellSize = 50.0;
    auto grid = buildCandidateGrid(edited, edited.aoi, finer);
    QVERIFY(grid.ok());
    edited.candidates = std::move(*grid);
    QVERIFY(!core::generationMatchesGrid(edited, edited.trafficGenerated.front()));
    app::ProjectDocument reopened;
    reopened.open(edited, QStringLiteral("/tmp/x.gpkg"), false);
    QVERIFY(reopened.scenario()->trafficGenerated.empty());
    QVERIFY(reopened.current().ranking == nullptr);
    QVERIFY(!reopened.openNotice().isEmpty());
  }

  void modifiedFollowsSavesAndUndo() {
    app::ProjectDocument doc;
    QSignalSpy modified(&doc, &app::ProjectDocument::modifiedChanged);
    doc.open(m_town, QStringLiteral("/tmp/town.gpkg"), false);
    QVERIFY(!doc.isModified());
    QVERIFY(doc.setArea(square(m_town.extent().centre(), 300.0), {}, QStringLiteral("AOI")).ok());
    QVERIFY(doc.isModified());
    doc.undoStack()->undo();
    QVERIFY(!doc.isModified());
    doc.undoStack()->redo();
    // A save of this version finishes: clean.
    doc.markSaved(QStringLiteral("/tmp/town.gpkg"), doc.undoStack()->index());
    QVERIFY(!doc.isModified());
    // A save that started before the last edit does not make the project look saved.
    const int atStart = doc.undoStack()->index();
    RankingOptions o;
    o.topK = 3;
    doc.setRankingOptions(o);
    doc.markSaved(QStringLiteral("/tmp/town.gpkg"), atStart);
    QVERIFY(doc.isModified());
    // A new city exists nowhere on disk: modified until saved.
    doc.open(m_town, {}, true);
    QVERIFY(doc.isModified());
    QVERIFY(modified.count() > 0);
  }
};

QTEST_GUILESS_MAIN(TestProjectDocument)
#include "tst_projectdocument.moc"
