#pragma once

// The one owner of the studio's project (issue 18). Nothing else changes the scenario: every edit
// is an undo command that publishes a new immutable version (ProjectVersion), and views and jobs
// read versions. A version is cheap to copy (the scenario's heavy parts are copy-on-write, see
// core/util/shared.h), so a job — a save, a generation, an operations study — holds the version it
// started from while the user goes on editing, and nothing is ever read while it is written.
//
// Results are bound to what they were computed from: the candidates generation carries the hash
// of the feasible sites of the grid it was generated for (its run's `sites_sha256`), the ranking
// is derived from that generation and the ranking options, and a change of the area or the grid
// discards the generation and its ranking in the same undoable step. Nothing is re-attached by
// site id to cells it was not computed for.
//
// No widgets here: the controllers ask the user before an edit that discards results
// (discardedByAreaChange()), then call the edit.

#include "app/common/generatorchoice.h"
#include "app/common/operations.h"
#include "app/common/planning.h"
#include "core/planning/generations.h"
#include "core/planning/candidategrid.h"
#include "core/planning/ranking.h"
#include "core/scenario/scenario.h"
#include "core/util/result.h"

#include <QFlags>
#include <QObject>
#include <QString>

#include <memory>

class QUndoStack;

namespace netspatial::app {

//! The parts of a project that change separately, each with its own change signal.
enum class ProjectPart : unsigned {
  Area = 1u << 0,        //!< AOI, exclusions, grid options, candidate cells
  Generation = 1u << 1,  //!< generated traffic and its run records
  Ranking = 1u << 2,     //!< ranking options and the derived ranking
  Study = 1u << 3,       //!< the operations study shown (not saved)
  Settings = 1u << 4,    //!< generation options (samples, seed) and the generator choices
  Models = 1u << 5,      //!< the project's own generators (project_models)
};
Q_DECLARE_FLAGS(ProjectParts, ProjectPart)

//! One immutable version of the project.
struct ProjectVersion {
  std::shared_ptr<const core::Scenario> scenario;
  core::CandidateGridOptions gridOptions;
  GenerationOptions generationOptions;
  core::RankingOptions rankingOptions;
  //! The ranking of the current candidates generation with rankingOptions; null when there is none.
  std::shared_ptr<const core::Ranking> ranking;
  //! Why there is no ranking although a generation exists (empty otherwise).
  QString rankingProblem;
  //! The utilities of the generation `utilitiesRunId`, kept so that a change of the ranking options
  //! only re-sorts (the costly part, over every sample and hour, runs once, on a worker).
  std::shared_ptr<const std::vector<core::SiteUtilities>> utilities;
  QString utilitiesRunId;
};

//! What a worker computes for a project before it is shown: the utilities of its stored
//! generation (so that opening a large project never stalls the GUI thread).
struct PreparedProject {
  QString runId;
  std::shared_ptr<const std::vector<core::SiteUtilities>> utilities;
};

class ProjectDocument : public QObject {
  Q_OBJECT

 public:
  explicit ProjectDocument(QObject* parent = nullptr);
  ~ProjectDocument() override;

  //! Shared with the layers panel, whose commands change the map's layers (a part of the project
  //! that lives in the canvas).
  QUndoStack* undoStack() const { return m_undo; }

  // --- the whole project -------------------------------------------------------------------
  //! A new project replaces the old one: the history is cleared, projectReplaced() is emitted.
  //! `modified`: a project that exists nowhere on disk yet (a new city). A stored generation that
  //! does not match the stored grid is dropped from view with a notice (generationNotice()).
  void open(core::Scenario scenario, const QString& path, bool modified, const PreparedProject& prepared = {});
  //! Any thread: the work open() would otherwise do on the GUI thread.
  static PreparedProject prepare(const core::Scenario& scenario);
  void close();
  bool hasProject() const { return m_current.scenario != nullptr; }
  //! The current version: what jobs copy, what views show.
  const ProjectVersion& current() const { return m_current; }
  std::shared_ptr<const core::Scenario> scenario() const { return m_current.scenario; }
  const QString& path() const { return m_path; }
  bool isModified() const;
  //! A save of the version that was current when it started finished: the project is saved as
  //! `path`; it stays modified when edits happened meanwhile (`cleanIndex` is the undo index at the start).
  void markSaved(const QString& path, int cleanIndex);
  //! Set when the project was opened with something the studio had to leave out of view.
  const QString& openNotice() const { return m_openNotice; }

  // --- edits (each one undoable) ----------------------------------------------------------
  //! Number of generated candidate sites that a change of the area or grid would discard.
  int discardedByAreaChange() const;
  //! Why `aoi` cannot be the area of interest (it does not overlap the scenario), checked before
  //! asking to discard anything for it; ok when it can.
  core::Status checkAoi(const core::Geometry& aoi) const;
  //! Sets the AOI and grid options and rebuilds the candidate grid; the candidates generation and
  //! its ranking (built on the old grid) are discarded in the same step. An AOI that does not
  //! overlap the scenario's extent is refused.
  core::Status setArea(const core::Geometry& aoi, const core::CandidateGridOptions& options, const QString& text);
  void setGenerationOptions(const GenerationOptions& options);
  //! Stores a finished generation. `fromGridHash` is candidateGridHash() of the version it was
  //! started on: a generation of candidates whose grid changed meanwhile (undo) is refused.
  core::Status addGeneration(Generation generation, const QString& fromGridHash);
  void setRankingOptions(const core::RankingOptions& options);

  //! The generator `role` uses now (app/common/generatorchoice.h), stored in the project.
  QString generatorKey(GeneratorRole role) const;
  //! Undoable: the generator `role` uses from now on. `key` must be usable for `role`
  //! (checkGeneratorKey). A planning change also discards the candidates generation and its
  //! ranking in the same step — they were made by the previous generator and would be shown under
  //! the new one's name; the caller asks first (discardedByAreaChange() counts them).
  core::Status setGeneratorKey(GeneratorRole role, const QString& key);
  //! Undoable: adds a model trained for this project, with the run record of its training.
  //! A model id already in the project is refused.
  core::Status addProjectModel(core::ProjectModel model, core::RunRecord trainingRun);
  //! Undoable: removes the project model `id` (its training and generation run records stay: the
  //! history of what was made). A role that uses it goes back to the default generator in the same
  //! step, with the planning side effects of setGeneratorKey; rolesUsingModel() says which, so that
  //! the caller can ask first.
  core::Status removeProjectModel(const QString& id);
  //! The roles whose generator is the project model `id`.
  QList<GeneratorRole> rolesUsingModel(const QString& id) const;

  //! The operations study on show: a result, not saved and not undoable; replaced as a whole.
  void setStudy(std::shared_ptr<const OperationsStudy> study);
  std::shared_ptr<const OperationsStudy> study() const { return m_study; }

 Q_SIGNALS:
  //! Another project (or none) is shown: every view starts again.
  void projectReplaced();
  //! Parts of the current project changed (an edit, an undo or a redo).
  void changed(netspatial::app::ProjectParts parts);
  void modifiedChanged(bool modified);

 private:
  friend class ProjectVersionCommand;
  void apply(const ProjectVersion& version, ProjectParts parts);
  void commit(ProjectVersion next, ProjectParts parts, const QString& text);
  //! Derives the ranking of `v` (and its `rankings` rows) from its generation and options.
  static void rank(ProjectVersion& v, core::Scenario& scenario);
  void emitModified();

  QUndoStack* m_undo;
  ProjectVersion m_current;
  std::shared_ptr<const OperationsStudy> m_study;
  QString m_path;
  QString m_openNotice;
  bool m_neverSaved = false;
};

}  // namespace netspatial::app

Q_DECLARE_OPERATORS_FOR_FLAGS(netspatial::app::ProjectParts)
