#pragma once

// The planning workflow without its widgets (DESIGN.md §8, §10; issue 18, "split along the
// seams"): area of interest → candidate grid → a generation on the generator service → ranking →
// the site to inspect → the zone comparison and the data exports. It decides and edits; the
// PlanningController shows (docks, map layers, dialogs) and forwards the user's actions here.
//
// No widgets, so that the workflow's rules — ask before discarding results, drop a result whose
// grid changed, the newest click wins — can be driven and tested without a window. Everything
// that needs the user goes through the Confirmation callback; everything to show goes out as a
// signal. Every project change is an edit of the ProjectDocument (undoable); the generator work
// runs on the GeneratorService's thread, everything here on the GUI thread.

#include "app/common/planning.h"
#include "app/studio/projectdocument.h"
#include "core/analysis/zonecomparison.h"
#include "core/planning/ranking.h"
#include "core/planning/sitesummary.h"
#include "core/scenario/scenario.h"
#include "core/util/result.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace netspatial::app {

class GeneratorService;
struct SiteGeneration;

class PlanningSession : public QObject {
  Q_OBJECT

 public:
  PlanningSession(ProjectDocument* document, GeneratorService* service, QObject* parent = nullptr);
  ~PlanningSession() override;

  //! Asked before an edit that discards results ("Discard the generated traffic of 563 sites?")
  //! and before a large generation; true goes ahead. Unset, nothing that needs asking goes ahead:
  //! discarding someone's results needs someone's yes.
  using Confirmation = std::function<bool(const QString& title, const QString& question)>;
  void setConfirmation(Confirmation confirm) { m_confirm = std::move(confirm); }
  //! Generations above this many site × samples ask first, with the time expected at the rate
  //! measured by the last generation on this machine (QSettings "generation/sequencesPerSecond").
  //! 0 never asks.
  void setLargeJobThreshold(qint64 siteSamples) { m_largeJobThreshold = siteSamples; }
  qint64 largeJobThreshold() const { return m_largeJobThreshold; }

  ProjectDocument* document() const { return m_document; }
  GeneratorService* service() const { return m_service; }

  core::CandidateGridOptions gridOptions() const { return m_document->current().gridOptions; }
  GenerationOptions generationOptions() const { return m_document->current().generationOptions; }
  //! Undoable.
  void setGenerationOptions(const GenerationOptions& options) { m_document->setGenerationOptions(options); }
  const core::RankingOptions& rankingOptions() const { return m_document->current().rankingOptions; }
  //! The planning generator (a key of app::generatorChoices()).
  QString generatorKey() const { return m_document->generatorKey(GeneratorRole::Planning); }
  //! Undoable: generate with `key` from now on. The candidates generation on show was made by the
  //! previous generator: it is discarded with its ranking in the same step, after asking (a
  //! Cancelled error when the answer is no). Refused while a generation runs.
  core::Status setGeneratorKey(const QString& key);
  //! The ranking of the generation on show (null when nothing is ranked).
  const core::Ranking* ranking() const { return m_document->current().ranking.get(); }

  // --- area and grid ---------------------------------------------------------------------------
  //! Undoable: sets the AOI and rebuilds the candidate grid with the current grid options. Traffic
  //! generated for the old grid is discarded in the same step, after asking (a Cancelled error when
  //! the answer is no). An AOI outside the scenario is refused.
  core::Status setAoi(const core::Geometry& aoi);
  //! Undoable: new grid options, grid rebuilt over the current AOI (asks as setAoi does).
  core::Status setGridOptions(const core::CandidateGridOptions& options);

  // --- generation and ranking ------------------------------------------------------------------
  //! Starts generating for every feasible candidate; false (with a message) when busy, when there
  //! is nothing to generate for, or when a large job was declined.
  bool startGeneration();
  void cancelGeneration();
  //! Another project is about to replace this one: the running generation is cancelled and its
  //! result, whenever it comes, is dropped (nothing is reported for it).
  void abandonJob();
  bool isGenerating() const;
  //! Re-ranks the stored generation with `options` (no regeneration); undoable.
  void rerank(const core::RankingOptions& options);
  //! The paragraph for a ranked site (empty when unknown).
  QString rationale(const QString& siteId) const;

  //! What the last generation that reached the project produced, and how long it took.
  struct GenerationReport {
    int sites = 0;
    int samples = 0;
    double clickToRankingMs = 0.0;  //!< wall time from startGeneration() to the ranked result
  };
  const GenerationReport& lastGeneration() const { return m_lastGeneration; }
  double lastClickToRankingMs() const { return m_lastGeneration.clickToRankingMs; }

  // --- inspection ------------------------------------------------------------------------------
  //! The site under `point` (map CRS): a candidate cell (its stored samples), else a station within
  //! `tolerance` map units, else the point itself, generated on demand on the worker (the newest
  //! request wins). The summary comes with siteSummaryReady(), at once or when the worker replies.
  //! False when there is no project.
  bool inspectPoint(core::PointXY point, double tolerance);
  //! A planning site by id (a candidate "C12", a station): its stored samples, else generated on demand.
  void inspectSite(const QString& siteId);
  //! Whatever answers the next click, a reply still expected for an earlier one is no longer wanted.
  void clearInspection() { m_inspectedSite.clear(); }
  //! The site of the latest inspection (empty when none).
  const QString& inspectedSite() const { return m_inspectedSite; }
  //! Puts `summary` on show (also a study station's, from the operations controller): emits
  //! siteSummaryReady(), and the series export falls back to its samples.
  void showSite(const core::SiteSummary& summary);

  // --- zone comparison (DESIGN.md §10): selections accumulate; each change recomputes --------
  void setZoneComparisonOptions(const core::ZoneComparisonOptions& options) { m_zoneOptions = options; }
  const core::ZoneComparisonOptions& zoneComparisonOptions() const { return m_zoneOptions; }
  //! Adds a group and recomputes; a group that leaves the comparison without traffic is not kept.
  void addZoneSelection(const core::ZoneSelection& selection);
  void clearZoneSelections();
  const std::vector<core::ZoneSelection>& zoneSelections() const { return m_zoneSelections; }
  //! Recomputes the comparison (zonesCompared() on success); the error, empty on success.
  QString compareZones();

  // --- exports of data (the pictures need widgets: the controller makes them) -----------------
  core::Status exportRankingCsv(const QString& path) const;
  core::Status exportRankedSites(const QString& path) const;
  //! All samples of `siteId`: from the generation on show, else from the site on show.
  core::Status exportSiteSeries(const QString& siteId, const QString& path) const;

 Q_SIGNALS:
  //! A generation ended: empty on success (stored and ranked), else the reason ("cancelled" when
  //! cancelled). Not emitted for an abandoned job.
  void generationFinished(const QString& error);
  //! A click fell on this candidate cell (the views select it before its summary comes).
  void candidateClicked(const QString& siteId);
  //! The site to show in the inspector.
  void siteSummaryReady(const netspatial::core::SiteSummary& summary);
  //! The site on show is no longer in the project (its grid or generation changed): show nothing.
  void inspectionCleared();
  void zonesCompared(const netspatial::core::ZoneComparison& comparison);
  void zoneSelectionsCleared();
  //! Status text; `timeoutMs` 0 keeps it until the next message (an empty text clears it).
  void message(const QString& text, int timeoutMs);

 private:
  void projectReplaced();
  void projectChanged(ProjectParts parts);
  core::Status changeArea(const core::Geometry& aoi, const core::CandidateGridOptions& options, const QString& text);
  bool confirm(const QString& title, const QString& question) const;
  void onGenerationFinished(quint64 jobId, const core::Result<Generation>& result);
  void onSiteGenerated(const SiteGeneration& result);
  void showGenerated(const QString& siteId, const core::PointXY& position, const std::vector<std::vector<float>>& samples,
                     const QString& kind, const core::RunRecord* run);

  ProjectDocument* m_document;
  GeneratorService* m_service;
  Confirmation m_confirm;
  qint64 m_largeJobThreshold = 200000;

  quint64 m_jobId = 0;
  QString m_jobGridHash;  //!< the grid the running generation was started for
  QElapsedTimer m_jobClock;
  GenerationReport m_lastGeneration;

  QString m_generatorKey;                    //!< the planning generator the site on show was made with
  QString m_inspectedSite;                   //!< the newest click's site: only its reply is shown
  std::optional<core::SiteSummary> m_shown;  //!< the site on show

  std::vector<core::ZoneSelection> m_zoneSelections;
  core::ZoneComparisonOptions m_zoneOptions;
};

}  // namespace netspatial::app
