// netspatial generate: the planning workflow's generation job, headless (DESIGN.md §8, issue 6):
// candidate grid over the AOI, contexts, generated traffic for every feasible candidate, stored in
// the project with its run record. The GUI's worker runs the same functions (app/common/planning).

#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/common/generatorfacts.h"
#include "app/common/generators.h"
#include "app/common/planning.h"
#include "core/planning/aoi.h"
#include "core/scenario/scenariostore.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTextStream>

namespace netspatial::app::cli {

namespace {
const QString kCommand = QStringLiteral("generate");
}

int runGenerate(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Builds the candidate grid over the area of interest, generates traffic for every feasible candidate and stores "
                     "it in the project (replacing the previous candidate generation and its rankings).\n\n"
                     "  netspatial generate --project city.gpkg --aoi aoi.geojson --cell 100 --samples 8 --seed 1 --device auto"));
  const QCommandLineOption help = parser.addHelpOption();
  const QCommandLineOption projectOption(
      QStringLiteral("project"), QStringLiteral("The project (.gpkg); it is updated in place, atomically."), QStringLiteral("file"));
  const QCommandLineOption aoiOption(
      QStringLiteral("aoi"), QStringLiteral("Area of interest: any vector file with polygons (any CRS). Default: the project's AOI."),
      QStringLiteral("file"));
  const QCommandLineOption cellOption(QStringLiteral("cell"), QStringLiteral("Grid cell size, metres."), QStringLiteral("m"),
                                      QStringLiteral("100"));
  const QCommandLineOption distanceOption(QStringLiteral("min-station-distance"),
                                          QStringLiteral("Minimum distance to existing stations, metres."), QStringLiteral("m"),
                                          QStringLiteral("150"));
  const QCommandLineOption excludeOption(
      QStringLiteral("exclude"), QStringLiteral("Polygons where no site may go (vector file; repeatable)."), QStringLiteral("file"));
  const QCommandLineOption allowOption(
      QStringLiteral("allow-zones"), QStringLiteral("Allow sites in these normally excluded zone classes (comma-separated: park, water)."),
      QStringLiteral("classes"));
  const QCommandLineOption samplesOption(QStringLiteral("samples"), QStringLiteral("Samples per site."), QStringLiteral("n"),
                                         QStringLiteral("8"));
  const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("Generation seed (recorded)."), QStringLiteral("n"),
                                      QStringLiteral("1"));
  const QCommandLineOption deviceOption(QStringLiteral("device"), QStringLiteral("auto, cpu or cuda."), QStringLiteral("device"),
                                        QStringLiteral("auto"));
  const QCommandLineOption generatorOption(QStringLiteral("generator"), QStringLiteral("Generator id (pre-trained ones only)."),
                                           QStringLiteral("id"), QString::fromLatin1(kNetSpatialId));
  const QCommandLineOption weightsOption(QStringLiteral("weights"),
                                         QStringLiteral("A checkpoint of the chosen generator to use instead of its embedded weights."),
                                         QStringLiteral("file.nsm"));
  const QCommandLineOption threadsOption(QStringLiteral("threads"), QStringLiteral("CPU threads for inference (0 = LibTorch's default)."),
                                         QStringLiteral("n"), QStringLiteral("0"));
  const QCommandLineOption sitesOption(
      QStringLiteral("sites"),
      QStringLiteral("candidates (the grid over the AOI, default) or stations (every existing base station: what the "
                     "generator makes of places whose traffic is observed)."),
      QStringLiteral("which"), QStringLiteral("candidates"));
  const QCommandLineOption typeOption(QStringLiteral("site-type"),
                                      QStringLiteral("The station type planned at the candidates: macro or micro."), QStringLiteral("type"),
                                      QStringLiteral("macro"));
  parser.addOptions({projectOption, sitesOption, typeOption, aoiOption, cellOption, distanceOption, excludeOption, allowOption,
                     samplesOption, seedOption, deviceOption, generatorOption, weightsOption, threadsOption});
  if (auto problem = parseCommandLine(parser, arguments, {QStringLiteral("exclude")})) return usage(*problem, kCommand);
  if (parser.isSet(help)) parser.showHelp(kExitOk);
  if (!parser.isSet(projectOption)) return usage(QStringLiteral("--project FILE.gpkg is required"), kCommand);

  bool ok = false;
  core::CandidateGridOptions grid;
  grid.cellSize = parser.value(cellOption).toDouble(&ok);
  if (!ok || !(grid.cellSize > 0.0)) return usage(QStringLiteral("--cell must be a positive number of metres"), kCommand);
  grid.minStationDistance = parser.value(distanceOption).toDouble(&ok);
  if (!ok || grid.minStationDistance < 0.0) return usage(QStringLiteral("--min-station-distance must be ≥ 0 metres"), kCommand);
  for (const QString& name : parser.value(allowOption).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    const auto zone = core::zoneClassFromName(name.trimmed());
    if (!zone) return usage(QStringLiteral("--allow-zones: unknown zone class '%1'").arg(name.trimmed()), kCommand);
    std::erase(grid.excludedZoneClasses, *zone);
  }
  const QString which = parser.value(sitesOption);
  if (which != QStringLiteral("candidates") && which != QStringLiteral("stations"))
    return usage(QStringLiteral("--sites must be candidates or stations"), kCommand);
  const bool candidatesMode = which == QStringLiteral("candidates");
  const auto plannedType = core::stationTypeFromName(parser.value(typeOption));
  if (!plannedType) return usage(QStringLiteral("--site-type must be macro or micro"), kCommand);
  GenerationOptions gen;
  gen.scope = which;
  gen.samples = parser.value(samplesOption).toInt(&ok);
  if (!ok || gen.samples < 1 || gen.samples > 1024) return usage(QStringLiteral("--samples must be 1–1024"), kCommand);
  gen.seed = parser.value(seedOption).toULongLong(&ok);
  if (!ok) return usage(QStringLiteral("--seed must be an unsigned integer"), kCommand);
  models::EngineOptions engine;
  if (auto problem = readEngineOptions(parser.value(deviceOption), parser.value(threadsOption), engine)) return usage(*problem, kCommand);

  const QString projectPath = parser.value(projectOption);
  QElapsedTimer total;
  total.start();
  auto scenario = core::loadScenario(projectPath);
  if (!scenario) return fail(scenario.error());
  const double loadSeconds = double(total.nsecsElapsed()) * 1e-9;
  if (parser.isSet(aoiOption)) {
    auto aoi = core::readAoi(parser.value(aoiOption), scenario->metadata.crs, scenario->extent());
    if (!aoi) return fail(aoi.error());
    scenario->aoi = std::move(*aoi);
  }
  if (candidatesMode && scenario->aoi.isEmpty())
    return usage(QStringLiteral("the project has no area of interest: give one with --aoi FILE"), kCommand);
  for (const QString& path : parser.values(excludeOption)) {
    auto polygons = core::readPolygons(path, scenario->metadata.crs);
    if (!polygons) return fail(polygons.error());
    grid.exclusions.insert(grid.exclusions.end(), polygons->begin(), polygons->end());
  }

  auto generator = createGenerator(parser.value(generatorOption).toStdString(), parser.value(weightsOption), engine);
  // An unknown id is a command-line mistake (exit 2); a weights file that does not load is not.
  if (!generator && generator.error().context().file.isEmpty() && generator.error().code() == core::ErrorCode::InvalidArgument)
    return usage(QStringLiteral("--generator: ") + generator.error().message(), kCommand);
  if (!generator) return fail(generator.error());
  if (!(*generator)->isFitted())
    return usage(QStringLiteral(
                     "%1 is a reference that must be fitted per run; use a pre-trained generator (netspatial, netspatial_milan, adaptive)")
                     .arg(parser.value(generatorOption)),
                 kCommand);

  InterruptHandler interrupt("generate");
  core::Feedback feedback;
  QElapsedTimer timer;
  timer.start();
  QTextStream err(stderr);
  std::vector<core::SitePoint> sites;
  if (candidatesMode) {
    auto candidates = core::buildCandidateGrid(*scenario, scenario->aoi, grid);
    if (!candidates) return fail(candidates.error());
    scenario->candidates = std::move(*candidates);
    const double gridSeconds = double(timer.nsecsElapsed()) * 1e-9;
    sites = feasibleCandidateSites(*scenario, plannedType);
    err << QStringLiteral("Candidates   %1 cells of %2 m, %3 feasible (%4 s)\n")
               .arg(scenario->candidates.size())
               .arg(grid.cellSize)
               .arg(sites.size())
               .arg(number(gridSeconds, 3));
  } else {
    for (const core::BaseStation& s : scenario->stations) sites.push_back({s.id, s.position, s.type});
    err << QStringLiteral("Stations     %1\n").arg(sites.size());
  }
  err.flush();
  // Generated chunk by chunk into the project as it is saved (ChunkedGeneration is the save's
  // GenerationStream): memory stays flat whatever the AOI size. The earlier generation of this
  // scope goes with the save, atomically: a cancel or an error leaves the file as it was.
  auto stream = ChunkedGeneration::create(*scenario, std::move(sites), **generator, gen, &feedback);
  if (!stream) return fail(stream.error());
  if (candidatesMode) {
    (*stream)->setParameter(QStringLiteral("cell_size"), grid.cellSize);
    (*stream)->setParameter(QStringLiteral("site_type"), core::stationTypeName(*plannedType));
    (*stream)->setParameter(QStringLiteral("min_station_distance"), grid.minStationDistance);
  }
  removeGenerations(*scenario, gen.scope);
  timer.restart();
  core::Status saved;
  {
    ProgressLine line(QStringLiteral("Generating"));
    line.attachInterruptible(feedback);
    // The save's own steps take no share of the bar (the generation inside them is the time) but
    // see a Ctrl-C like the generation does.
    core::Feedback saveFeedback = feedback.child(0.0, 0.0);
    core::ScenarioSaveOptions options;
    options.generation = stream->get();
    saved = core::saveScenario(*scenario, projectPath, &saveFeedback, options);
    line.finish();
  }
  if (!saved) {
    if (saved.error().code() == core::ErrorCode::Cancelled) {
      err << QStringLiteral("Cancelled    the project was not changed\n");
      err.flush();
      return exitCancelled();
    }
    return fail(saved.error());
  }
  const double generateSeconds = (*stream)->seconds();
  const double saveSeconds = std::max(0.0, double(timer.nsecsElapsed()) * 1e-9 - generateSeconds);
  const core::RunRecord record = (*stream)->runRecord();
  const core::RunRecord* run = &record;
  const std::size_t siteCount = (*stream)->siteCount();
  QTextStream out(stdout);
  out << QStringLiteral("Generated    %1 sites × %2 samples × 672 h with %3 on %4 in %5 s (%6 sequences/s)\n")
             .arg(siteCount)
             .arg(gen.samples)
             .arg(QString::fromStdString((*generator)->displayName()), run->parameters.value(QStringLiteral("device")).toString())
             .arg(number(generateSeconds, 2))
             .arg(number(double(siteCount) * gen.samples / std::max(generateSeconds, 1e-9), 0));
  out << QStringLiteral("Run          %1 (model %2, weights SHA-256 %3, seed %4)\n")
             .arg(run->runId, run->modelId, run->weightsSha256)
             .arg(gen.seed);
  // As the studio does (issue 19): which unit the values are in, and whether the generator was
  // trained on data like this scenario's; a mismatch is also a warning on stderr.
  const core::Calibration calibration = calibrationOfRun(*scenario, *run);
  out << QStringLiteral("Units        generated in %1; observed traffic of the scenario in %2\n")
             .arg(calibration.generatedUnit, calibration.observedUnit);
  out << QStringLiteral("Calibration  %1\n").arg(calibration.matches() ? QStringLiteral("matches the scenario") : calibration.message);
  if (!calibration.matches()) QTextStream(stderr) << QStringLiteral("netspatial generate: warning: %1\n").arg(calibration.message);
  out << QStringLiteral("Saved        %1 (load %2 s, save %3 s)\n").arg(projectPath, number(loadSeconds, 2), number(saveSeconds, 2));
  return kExitOk;
}

}  // namespace netspatial::app::cli
