#include "mappaintbench.h"

#include "core/planning/aoi.h"
#include "core/planning/candidategrid.h"
#include "core/planning/ranking.h"
#include "core/sim/citysimulator.h"
#include "ui/map/mapview.h"
#include "ui/planning/candidateslayer.h"
#include "ui/planning/utilityheatmaplayer.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace netspatial::bench {

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

// Painting text needs a GUI application; the benchmark has none of its own.
void ensureGuiApplication() {
  if (QGuiApplication::instance()) return;
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  static int argc = 1;
  static char name[] = "netspatial-bench";
  static char* argv[] = {name, nullptr};
  static QGuiApplication app(argc, argv);
}

}  // namespace

MapPaintResult benchMapPaint(int repeats) {
  MapPaintResult out;
  ensureGuiApplication();
  auto preset = core::cityPreset(QStringLiteral("town"));
  if (!preset) return out.error = preset.error().toString().toStdString(), out;
  auto town = core::simulateCity(*preset, 1);
  if (!town) return out.error = town.error().toString().toStdString(), out;
  const core::PointXY c = town->extent().centre();
  const core::Geometry aoi = core::rectangleAoi(core::Extent::aroundCentre(c, 10000.0, 10000.0));
  core::CandidateGridOptions options;
  options.minStationDistance = 0.0;  // every cell feasible and ranked: the most to draw
  options.excludedZoneClasses.clear();
  auto grid = core::buildCandidateGrid(*town, aoi, options);
  if (!grid) return out.error = grid.error().toString().toStdString(), out;
  out.cells = int(grid->size());

  // Every cell ranked by core's ranking, as after a generation (one sample per site suffices here).
  std::vector<core::SiteUtilities> utilities;
  for (const core::Candidate& cell : *grid) {
    if (!cell.feasible) continue;
    core::SiteUtilities u;
    u.siteId = core::candidateSiteId(cell);
    u.position = core::candidateCentre(cell);
    core::SampleUtilities sample;
    sample.mean = 2.0 + std::sin(double(cell.id) * 0.01);
    sample.p95 = 1.5 * sample.mean;
    sample.sigma = 0.1;
    u.perSample = {sample};
    u.mean = sample.mean;
    u.p95 = sample.p95;
    u.sigma = sample.sigma;
    u.lsi = sample.lsi();
    u.stability = sample.stability();
    utilities.push_back(std::move(u));
  }
  core::RankingOptions rankingOptions;
  rankingOptions.utility = core::Utility::MeanDemand;
  auto ranking = core::rankSites(utilities, rankingOptions);
  if (!ranking) return out.error = ranking.error().toString().toStdString(), out;
  ui::CandidatesLayer cells(*grid, town->metadata.crs);
  ui::UtilityHeatmapLayer heat(*grid, town->metadata.crs);
  heat.setRanking(*ranking, QStringLiteral("MB/h"));

  for (const double resolution : {40.0, 12.0, 5.0}) {
    const ui::MapView view(c, resolution, QSizeF(900, 900));
    QImage image(900, 900, QImage::Format_ARGB32_Premultiplied);
    std::vector<double> both, candidates;
    for (int i = 0; i < std::max(1, repeats); ++i) {
      image.fill(Qt::white);
      QPainter painter(&image);
      QElapsedTimer t;
      t.start();
      cells.paint(painter, view);
      candidates.push_back(double(t.nsecsElapsed()) * 1e-6);
      heat.paint(painter, view);
      both.push_back(double(t.nsecsElapsed()) * 1e-6);
    }
    out.rows.push_back({resolution, median(both), median(candidates)});
  }
  QElapsedTimer t;
  t.start();
  for (int i = 0; i < 200; ++i) (void)cells.candidateAt({c.x - 4975.0 + 49.0 * i, c.y + 4975.0 - 49.0 * i});
  out.lookupMs = double(t.nsecsElapsed()) * 1e-6;
  return out;
}

}  // namespace netspatial::bench
