#include "projectiobench.h"

#include "benchutil.h"
#include "core/scenario/scenariostore.h"
#include "core/sim/citysimulator.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimeZone>

#include <cmath>
#include <random>

namespace netspatial::bench {

ProjectIoResult benchProjectIo(int sites, int samples, int hours, const std::string& folder, unsigned seed) {
  namespace core = netspatial::core;
  ProjectIoResult r;
  r.sites = sites;
  r.samples = samples;
  r.hours = hours;
  auto start = Clock::now();
  auto preset = core::cityPreset(QStringLiteral("town"));
  if (!preset) {
    r.error = preset.error().toString().toStdString();
    return r;
  }
  auto city = core::simulateCity(*preset, seed);
  if (!city) {
    r.error = city.error().toString().toStdString();
    return r;
  }
  core::Scenario& s = *city;
  // Candidate cells of 50 m from the town's south-west corner, as the planning grid lays them out.
  const core::Extent e = s.extent();
  const int columns = std::max(1, int(std::ceil(std::sqrt(double(sites)))));
  core::GeneratedTraffic g;
  g.runId = QStringLiteral("bench-generation");
  g.start = QDateTime(QDate(2025, 3, 3), QTime(0, 0), QTimeZone::utc());
  std::mt19937 rng(seed);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  auto& bySite = g.samplesBySite.mut();
  for (int i = 0; i < sites; ++i) {
    core::Candidate c;
    c.id = i + 1;
    c.cell = square(e.xMin + 50.0 * (i % columns), e.yMin + 50.0 * (i / columns), 50.0);
    s.candidates.push_back(c);
    // A daily cycle with noise: incompressible enough to stand for generated traffic.
    std::vector<std::vector<float>> series(std::size_t(samples), std::vector<float>(static_cast<std::size_t>(hours)));
    const float level = 20.0f + float(i % 97);
    for (auto& x : series)
      for (int h = 0; h < hours; ++h)
        x[std::size_t(h)] = std::max(0.0f, level * (1.0f + 0.6f * float(std::sin(6.283185307 * (h % 24) / 24.0))) + 3.0f * noise(rng));
    bySite[QStringLiteral("C%1").arg(c.id)] = std::move(series);
  }
  s.trafficGenerated.push_back(std::move(g));
  core::RunRecord run;
  run.runId = QStringLiteral("bench-generation");
  run.kind = QStringLiteral("generate");
  run.modelId = QStringLiteral("synthetic");
  run.seed = seed;
  run.parameters.insert(QStringLiteral("samples"), samples);
  run.parameters.insert(QStringLiteral("normalisation_scale"), 200.0);
  run.time = QDateTime::currentDateTimeUtc();
  s.runs.push_back(run);
  r.buildSeconds = secondsSince(start);
  r.peakRssMegabytesBeforeSave = peakRssMegabytes();

  QTemporaryDir dir(folder.empty() ? QDir::temp().filePath(QStringLiteral("netspatial-bench-XXXXXX"))
                                   : QDir(QString::fromStdString(folder)).filePath(QStringLiteral("netspatial-bench-XXXXXX")));
  if (!dir.isValid()) {
    r.error = "cannot create a temporary folder: " + dir.errorString().toStdString();
    return r;
  }
  const QString path = dir.filePath(QStringLiteral("projectio.gpkg"));
  r.path = path.toStdString();
  start = Clock::now();
  if (auto saved = core::saveScenario(s, path); !saved) {
    r.error = saved.error().toString().toStdString();
    return r;
  }
  r.saveSeconds = secondsSince(start);
  r.fileMegabytes = double(QFileInfo(path).size()) / 1e6;
  r.peakRssMegabytesAfterSave = peakRssMegabytes();
  start = Clock::now();
  auto loaded = core::loadScenario(path);
  r.loadSeconds = secondsSince(start);
  r.peakRssMegabytesAfterLoad = peakRssMegabytes();
  if (!loaded) {
    r.error = loaded.error().toString().toStdString();
    return r;
  }
  std::size_t series = 0;
  for (const auto& t : loaded->trafficGenerated)
    for (const auto& [site, k] : t.samplesBySite) series += k.size();
  if (series != std::size_t(sites) * std::size_t(samples))
    r.error = "the reloaded project has " + std::to_string(series) + " series, not " + std::to_string(sites * samples);
  return r;
}

}  // namespace netspatial::bench
