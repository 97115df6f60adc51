#pragma once

// What app::generateTraffic returns for the feasible candidates of a scenario, without a model: a
// ramp per site, so that sites differ and rank deterministically. For tests of what the studio does
// with a generation (binding to the grid, ranking, undo), not of the generator.

#include "app/common/planning.h"
#include "core/planning/candidategrid.h"

#include <QTimeZone>

namespace netspatial::tests {

inline app::Generation fakeGeneration(const core::Scenario& s, int samples = 2, int salt = 0) {
  app::Generation g;
  g.traffic.runId = QStringLiteral("run-%1-%2").arg(quintptr(s.candidates.identity()), 0, 16).arg(salt);
  g.traffic.start = QDateTime(QDate(2024, 1, 1), QTime(0, 0), QTimeZone::utc());
  const auto sites = core::feasibleCandidateSites(s);
  int k = 0;
  for (const core::SitePoint& site : sites) {
    auto& series = g.traffic.samplesBySite[site.siteId];
    for (int j = 0; j < samples; ++j) {
      std::vector<float> v(672);
      for (int h = 0; h < 672; ++h) v[std::size_t(h)] = float(1.0 + ((k + salt) % 17) + 0.5 * ((h + k + j) % 24));
      series.push_back(std::move(v));
    }
    ++k;
  }
  g.run.runId = g.traffic.runId;
  g.run.kind = QStringLiteral("generate");
  g.run.modelId = QStringLiteral("test");
  g.run.parameters = {{QStringLiteral("samples"), samples},
                      {QStringLiteral("scope"), QStringLiteral("candidates")},
                      {QStringLiteral("normalisation_scale"), 10.0}};
  g.run.dataHashes = {{QStringLiteral("sites_sha256"), core::siteListHash(sites)}};
  return g;
}

}  // namespace netspatial::tests
