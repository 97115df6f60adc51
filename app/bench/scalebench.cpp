#include "scalebench.h"

#include "benchutil.h"

#include "app/common/planning.h"
#include "core/planning/candidategrid.h"
#include "core/planning/generations.h"
#include "core/scenario/scenariostore.h"
#include "core/sim/citysimulator.h"
#include "netspatial/models/netspatial.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

namespace netspatial::bench {

namespace {

// Every size on one city, so the scenario's own memory is the same in every row and only the AOI
// grows: the 20 km metropolis, candidate cells of 60 m (100,000 of them fit), every cell feasible.
constexpr double kCellMetres = 60.0;
constexpr const char* kChildLine = "scale-row";

std::string rowLine(const ScaleRow& r) {
  std::ostringstream o;
  o.precision(10);
  o << kChildLine << ' ' << r.sites << ' ' << r.samples << ' ' << r.aoiKilometres << ' ' << r.generateSeconds << ' ' << r.totalSeconds
    << ' ' << r.peakRssMegabytes << ' ' << r.fileMegabytes;
  return o.str();
}

}  // namespace

int runScaleChild(const std::string& project, int sites, int samples, const std::string& weightsPath) {
  namespace core = netspatial::core;
  ScaleRow r;
  r.sites = sites;
  r.samples = samples;
  const auto fail = [&](const QString& message) {
    std::fprintf(stderr, "scale child: %s\n", message.toUtf8().constData());
    return 1;
  };
  std::ifstream in(weightsPath, std::ios::binary);
  const std::vector<std::uint8_t> weights{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto generator = models::NetSpatialGenerator::load(weights);
  if (!generator) return fail(QString::fromStdString(generator.error().message));
  const auto start = Clock::now();
  const QString path = QString::fromStdString(project);
  auto scenario = core::loadScenario(path);
  if (!scenario) return fail(scenario.error().toString());
  // The AOI: a square of whole cells around the city centre, just large enough for `sites` cells.
  const int side = int(std::ceil(std::sqrt(double(sites))));
  const double aoiSide = side * kCellMetres;
  const core::Extent e = scenario->extent();
  if (aoiSide > e.width() || aoiSide > e.height())
    return fail(QStringLiteral("%1 sites at %2 m do not fit in the city").arg(sites).arg(kCellMetres));
  r.aoiKilometres = aoiSide / 1000.0;
  const double x0 = e.xMin + (e.width() - aoiSide) / 2.0, y0 = e.yMin + (e.height() - aoiSide) / 2.0;
  scenario->aoi = square(x0, y0, aoiSide);
  core::CandidateGridOptions grid;
  grid.cellSize = kCellMetres;
  grid.minStationDistance = 0.0;
  grid.excludedZoneClasses.clear();
  auto candidates = core::buildCandidateGrid(*scenario, scenario->aoi, grid);
  if (!candidates) return fail(candidates.error().toString());
  scenario->candidates = std::move(*candidates);
  std::vector<core::SitePoint> points = core::feasibleCandidateSites(*scenario);
  if (points.size() < std::size_t(sites)) return fail(QStringLiteral("only %1 feasible cells for %2 sites").arg(points.size()).arg(sites));
  points.resize(std::size_t(sites));
  app::GenerationOptions options;
  options.samples = samples;
  options.seed = 1;
  options.scope = QStringLiteral("candidates");
  auto stream = app::ChunkedGeneration::create(*scenario, std::move(points), **generator, options);
  if (!stream) return fail(stream.error().toString());
  app::removeGenerations(*scenario, options.scope);
  core::ScenarioSaveOptions save;
  save.generation = stream->get();
  if (auto saved = core::saveScenario(*scenario, path, nullptr, save); !saved) return fail(saved.error().toString());
  r.generateSeconds = (*stream)->seconds();
  r.totalSeconds = secondsSince(start);
  r.peakRssMegabytes = peakRssMegabytes();
  r.fileMegabytes = double(QFileInfo(path).size()) / 1e6;
  std::printf("%s\n", rowLine(r).c_str());
  return 0;
}

std::vector<ScaleRow> benchScale(const std::vector<int>& sizes, int samples, const std::string& weightsPath, const std::string& folder,
                                 const std::string& executable, unsigned seed) {
  namespace core = netspatial::core;
  std::vector<ScaleRow> rows;
  const auto failAll = [&](const std::string& message) {
    ScaleRow r;
    r.error = message;
    return std::vector<ScaleRow>{r};
  };
  QTemporaryDir dir(folder.empty() ? QDir::temp().filePath(QStringLiteral("netspatial-scale-XXXXXX"))
                                   : QDir(QString::fromStdString(folder)).filePath(QStringLiteral("netspatial-scale-XXXXXX")));
  if (!dir.isValid()) return failAll("cannot create a temporary folder: " + dir.errorString().toStdString());
  const QString city = dir.filePath(QStringLiteral("metropolis.gpkg"));
  {
    auto preset = core::cityPreset(QStringLiteral("metropolis"));
    if (!preset) return failAll(preset.error().toString().toStdString());
    auto simulated = core::simulateCity(*preset, seed);
    if (!simulated) return failAll(simulated.error().toString().toStdString());
    if (auto saved = core::saveScenario(*simulated, city); !saved) return failAll(saved.error().toString().toStdString());
  }
  for (int sites : sizes) {
    ScaleRow r;
    r.sites = sites;
    r.samples = samples;
    r.cellMetres = kCellMetres;
    const QString project = dir.filePath(QStringLiteral("scale-%1.gpkg").arg(sites));
    QFile::remove(project);
    if (!QFile::copy(city, project)) {
      r.error = "cannot copy the city project";
      rows.push_back(r);
      continue;
    }
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QString::fromStdString(executable), {QStringLiteral("--scale-child"), project, QString::number(sites),
                                                     QString::number(samples), QString::fromStdString(weightsPath)});
    child.waitForFinished(-1);
    const QString out = QString::fromUtf8(child.readAllStandardOutput());
    QFile::remove(project);
    const qsizetype at = out.indexOf(QLatin1String(kChildLine));
    if (child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0 || at < 0) {
      r.error = "the child process failed (exit " + std::to_string(child.exitCode()) + ")";
      rows.push_back(r);
      continue;
    }
    std::istringstream line(out.mid(at + qsizetype(std::strlen(kChildLine))).toStdString());
    line >> r.sites >> r.samples >> r.aoiKilometres >> r.generateSeconds >> r.totalSeconds >> r.peakRssMegabytes >> r.fileMegabytes;
    if (!line) r.error = "unreadable child output";
    rows.push_back(r);
  }
  return rows;
}

}  // namespace netspatial::bench
