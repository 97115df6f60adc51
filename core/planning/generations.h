#pragma once

// The generations stored in a scenario and what is derived from them (DESIGN.md §3, §8): which
// sites a candidates generation covers (and the hash of that grid it records), where generated
// 4-week sequences sit on the calendar, the current generation of a scope and its run record, the
// sites' utilities, and the rows of the `rankings` table. Pure data: the studio, the command line
// and the tests share it; generating itself (a model) is app/common/planning.

#include "core/context/sitecontext.h"
#include "core/planning/ranking.h"
#include "core/planning/siteutilities.h"
#include "core/scenario/scenario.h"
#include "core/util/result.h"

#include <QDateTime>
#include <QString>

#include <optional>
#include <vector>

namespace netspatial::core {

//! The feasible candidates of the scenario, as sites ("C<id>", cell centre) where a station of
//! `plannedType` would be built (the type decides the coverage, and so the traffic).
std::vector<SitePoint> feasibleCandidateSites(const Scenario& scenario, std::optional<StationType> plannedType = StationType::Macro);

//! SHA-256 of the sites' ids and positions (mm), in order: a generation's run records it as
//! `sites_sha256`, so that it knows the sites (the candidate grid) it was generated for.
QString siteListHash(const std::vector<SitePoint>& sites);

//! The first Monday 00:00 (the scenario's time zone) at or after its series start, in UTC: where
//! generated 4-week sequences are placed on the calendar (2024-01-01 when the scenario has none).
QDateTime generationStart(const Scenario& scenario);

//! The newest generated traffic of the given scope ("" = any), or nullptr.
const GeneratedTraffic* latestGeneration(const Scenario& scenario, const QString& scope = QStringLiteral("candidates"));
const RunRecord* runRecord(const Scenario& scenario, const QString& runId);
//! The generator's normalisation scale a generation run recorded (physical = normalised × scale);
//! 0 when the run is unknown or predates the record.
double runNormalisationScale(const Scenario& scenario, const QString& runId);

//! Utilities of every site of a stored generation, with the positions of candidates, stations and
//! traffic sites (a site without a known position is an error naming it).
Result<std::vector<SiteUtilities>> generationUtilities(const Scenario& scenario, const GeneratedTraffic& traffic);
//! The same for a generation not (yet) in the scenario, with its run's normalisation scale.
Result<std::vector<SiteUtilities>> generationUtilities(const Scenario& scenario, const GeneratedTraffic& traffic,
                                                       double normalisationScale);

//! The position of a candidate ("C<id>"), station or traffic site.
std::optional<PointXY> planningSitePosition(const Scenario& scenario, const QString& siteId);

//! Rows for the scenario's `rankings` table (one per ranked or excluded site); each carries the
//! ranking's options, so a reopened project ranks the same way.
std::vector<RankingRow> rankingRows(const Ranking& ranking, const QString& runId);
//! The options of the ranking stored for `runId`, if any.
std::optional<RankingOptions> storedRankingOptions(const Scenario& scenario, const QString& runId);

//! The hash of the feasible sites of the scenario's candidate grid (ids and cell centres): what a
//! candidates generation records as its `sites_sha256`, so it knows the grid it belongs to.
QString candidateGridHash(const Scenario& scenario);
//! True when `traffic` was generated for the scenario's current candidate grid. A generation from
//! before the hash was recorded is checked site by site (every generated candidate is feasible).
bool generationMatchesGrid(const Scenario& scenario, const GeneratedTraffic& traffic);

}  // namespace netspatial::core
