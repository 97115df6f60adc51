// netspatial: the command-line front end. Subcommands run the same jobs as the GUI, headless.
// Exit codes: 0 success, 1 the job failed (the Error is printed), 2 bad command line, 130 cancelled
// by Ctrl-C, 143 by SIGTERM (nothing half-written).

#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/common/versioninfo.h"
#include "core/geo/coordinatetransform.h"
#include "core/scenario/modalities.h"
#include "core/scenario/scenariostore.h"
#include "core/sim/citysimulator.h"
#include "netspatial/models/runtimeinfo.h"

#include <QCommandLineParser>
#include <QApplication>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLocale>
#include <QTextStream>
#include <QTimeZone>

#include <cmath>
#include <map>
#include <memory>

namespace {

using namespace netspatial::core;
using namespace netspatial::app::cli;

int printVersion() {
  QTextStream out(stdout);
  for (const QString& line : netspatial::app::VersionInfo::collect().lines()) out << line << '\n';
  return kExitOk;
}

void printCounts(QTextStream& out, const Scenario& s) {
  int macro = 0, micro = 0;
  for (const auto& st : s.stations) (st.type == StationType::Macro ? macro : micro)++;
  out << QStringLiteral("Stations     %1 (%2 macro, %3 micro)\n").arg(s.stations.size()).arg(macro).arg(micro);
  if (!s.trafficSites.empty())
    out << QStringLiteral("Traffic sites %1 (places with observed traffic that are not stations)\n").arg(s.trafficSites.size());
  std::map<int, int> byCategory;
  for (const auto& p : s.pois) byCategory[int(p.category)]++;
  QStringList parts;
  for (const auto& [c, n] : byCategory) parts << QStringLiteral("%1 %2").arg(poiCategoryName(PoiCategory(c))).arg(n);
  out << QStringLiteral("POIs         %1%2\n")
             .arg(s.pois.size())
             .arg(parts.isEmpty() ? QString() : QStringLiteral(": ") + parts.join(QStringLiteral(", ")));
  std::map<int, int> byClass;
  for (const auto& z : s.zones) byClass[int(z.zoneClass)]++;
  parts.clear();
  for (const auto& [c, n] : byClass) parts << QStringLiteral("%1 %2").arg(zoneClassName(ZoneClass(c))).arg(n);
  out << QStringLiteral("Zones        %1%2\n")
             .arg(s.zones.size())
             .arg(parts.isEmpty() ? QString() : QStringLiteral(": ") + parts.join(QStringLiteral(", ")));
  int feasible = 0;
  for (const auto& c : s.candidates) feasible += c.feasible ? 1 : 0;
  out << QStringLiteral("Candidates   %1 (%2 feasible)\n").arg(s.candidates.size()).arg(feasible);
}

template <typename Grid>
QString rasterLine(const ScenarioRaster<Grid>& r) {
  if (!r.externalPath.isEmpty()) return QStringLiteral("external: %1").arg(r.externalPath);
  if (r.grid.isEmpty()) return QStringLiteral("none");
  const auto& gt = r.grid.geoTransform;
  return QStringLiteral("embedded, %1 × %2 px, pixel %3 × %4 m")
      .arg(r.grid.width)
      .arg(r.grid.height)
      .arg(number(std::hypot(gt[1], gt[4]), 2), number(std::hypot(gt[2], gt[5]), 2));
}

int runInfo(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Summarises a scenario file: CRS, extent, contents, rasters, traffic and runs."));
  const QCommandLineOption help = parser.addHelpOption();
  parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("The scenario (.gpkg)."));
  if (auto problem = parseCommandLine(parser, arguments)) return usage(*problem, QStringLiteral("info"));
  if (parser.isSet(help)) parser.showHelp(kExitOk);
  const QStringList files = parser.positionalArguments();
  if (files.size() != 1) return usage(QStringLiteral("expects exactly one scenario file"), QStringLiteral("info"));
  const QString path = files.first();

  auto loaded = loadScenario(path);
  if (!loaded) return fail(loaded.error());
  const Scenario& s = *loaded;
  QTextStream out(stdout);
  out << QStringLiteral("Scenario     %1\n").arg(s.metadata.name.isEmpty() ? QStringLiteral("(unnamed)") : s.metadata.name);
  out << QStringLiteral("File         %1 (%2)\n").arg(QFileInfo(path).absoluteFilePath(), fileSize(QFileInfo(path).size()));
  out << QStringLiteral("CRS          %1\n").arg(s.metadata.crs.label());
  if (!s.metadata.preset.isEmpty()) out << QStringLiteral("Preset       %1, seed %2\n").arg(s.metadata.preset).arg(s.metadata.seed);
  const Extent e = s.extent();
  if (e.isEmpty()) {
    out << QStringLiteral("Extent       (empty)\n");
  } else {
    out << QStringLiteral("Extent       x %1 – %2, y %3 – %4 (%5 × %6 km)\n")
               .arg(number(e.xMin, 1), number(e.xMax, 1), number(e.yMin, 1), number(e.yMax, 1), number(e.width() / 1000.0, 2),
                    number(e.height() / 1000.0, 2));
    auto toLonLat = CoordinateTransform::create(s.metadata.crs, Crs::wgs84());
    auto ll = toLonLat ? toLonLat->transformExtent(e) : Result<Extent>(toLonLat.error());
    if (ll)
      out << QStringLiteral("Lon/lat      lon %1 – %2, lat %3 – %4\n")
                 .arg(number(ll->xMin, 5), number(ll->xMax, 5), number(ll->yMin, 5), number(ll->yMax, 5));
    else
      out << QStringLiteral("Lon/lat      (%1)\n").arg(ll.error().message());
  }
  printCounts(out, s);
  out << QStringLiteral("Imagery      %1\n").arg(rasterLine(s.imagery));
  out << QStringLiteral("Population   %1\n").arg(rasterLine(s.population));
  // What a real city has and lacks (issue 19): a missing modality is said, never zero-filled.
  out << QStringLiteral("Modalities\n");
  for (const Modality& m : describeModalities(s))
    out << QStringLiteral("  %1 %2%3\n")
               .arg(m.name.leftJustified(14), m.description,
                    m.source.isEmpty() || !m.present ? QString() : QStringLiteral(" — ") + m.source);
  const HourlyTraffic& t = s.trafficObserved;
  if (t.isEmpty() || t.hours() == 0) {
    out << QStringLiteral("Traffic      none\n");
  } else {
    const QDateTime start = t.start.toUTC();
    const QDateTime end = start.addSecs(qint64(t.hours() - 1) * 3600);
    const QTimeZone zone(s.metadata.timeZone.toUtf8());
    const QString fmt = QStringLiteral("yyyy-MM-dd HH:mm");
    out << QStringLiteral("Traffic      %1 sites × %2 hours (%3), unit %4\n")
               .arg(t.valuesBySite.size())
               .arg(t.hours())
               .arg(number(double(t.hours()) / 24.0, 1) + QStringLiteral(" days"), s.metadata.trafficUnit);
    out << QStringLiteral("  UTC        %1 – %2\n").arg(start.toString(fmt), end.toString(fmt));
    if (zone.isValid())
      out << QStringLiteral("  %1 %2 – %3\n")
                 .arg(s.metadata.timeZone.leftJustified(10), start.toTimeZone(zone).toString(fmt), end.toTimeZone(zone).toString(fmt));
    else
      out << QStringLiteral("  (unknown time zone '%1')\n").arg(s.metadata.timeZone);
  }
  std::size_t generated = 0;
  for (const auto& g : s.trafficGenerated) generated += g.samplesBySite.size();
  if (!s.trafficGenerated.empty())
    out << QStringLiteral("Generated    %1 runs, %2 site series\n").arg(s.trafficGenerated.size()).arg(generated);
  if (!s.rankings.empty()) out << QStringLiteral("Rankings     %1 rows\n").arg(s.rankings.size());
  out << QStringLiteral("Runs         %1\n").arg(s.runs.size());
  for (const RunRecord& r : s.runs)
    out << QStringLiteral("  %1  %2  %3  seed %4  %5\n")
               .arg(r.runId, r.kind, r.modelId.isEmpty() ? QStringLiteral("-") : r.modelId)
               .arg(r.seed)
               .arg(r.time.toUTC().toString(r.time.time().msec() ? Qt::ISODateWithMs : Qt::ISODate));
  return kExitOk;
}

int runSimulate(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Generates a synthetic city and saves it as a scenario file."));
  const QCommandLineOption help = parser.addHelpOption();
  const QCommandLineOption presetOption(QStringLiteral("preset"),
                                        QStringLiteral("City preset: %1.").arg(cityPresetNames().join(QStringLiteral(", "))),
                                        QStringLiteral("name"), QStringLiteral("town"));
  const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("Random seed (unsigned 64-bit)."), QStringLiteral("n"),
                                      QStringLiteral("1"));
  const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Output scenario (.gpkg)."), QStringLiteral("file"));
  parser.addOptions({presetOption, seedOption, outOption});
  if (auto problem = parseCommandLine(parser, arguments)) return usage(*problem, QStringLiteral("simulate"));
  if (parser.isSet(help)) parser.showHelp(kExitOk);
  if (!parser.positionalArguments().isEmpty())
    return usage(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()), QStringLiteral("simulate"));
  if (!parser.isSet(outOption)) return usage(QStringLiteral("--out FILE.gpkg is required"), QStringLiteral("simulate"));
  bool ok = false;
  const quint64 seed = parser.value(seedOption).toULongLong(&ok);
  if (!ok)
    return usage(QStringLiteral("--seed must be an unsigned integer, not '%1'").arg(parser.value(seedOption)), QStringLiteral("simulate"));
  auto preset = cityPreset(parser.value(presetOption));
  if (!preset) return fail(preset.error());
  const QString out = parser.value(outOption);

  InterruptHandler interrupt("simulate");  // Ctrl-C and SIGTERM stop between steps; saves are atomic
  QElapsedTimer timer;
  timer.start();
  Scenario scenario;
  {
    Feedback feedback;
    ProgressLine line(QStringLiteral("Simulating"));
    line.attachInterruptible(feedback);
    auto simulated = simulateCity(*preset, seed, &feedback);
    line.finish();
    if (!simulated) return fail(simulated.error());
    scenario = std::move(*simulated);
  }
  const qint64 simulateMs = timer.elapsed();
  if (auto saved = saveScenarioInterruptibly(scenario, out); !saved) return fail(saved.error());
  QTextStream o(stdout);
  o << QStringLiteral("Wrote %1 (%2)\n").arg(out, fileSize(QFileInfo(out).size()));
  printCounts(o, scenario);
  o << QStringLiteral("Traffic      %1 sites × %2 hours\n")
           .arg(scenario.trafficObserved.valuesBySite.size())
           .arg(scenario.trafficObserved.hours());
  o << QStringLiteral("Elapsed      %1 s (simulate %2 s, save %3 s)\n")
           .arg(number(timer.elapsed() / 1000.0, 2), number(simulateMs / 1000.0, 2), number((timer.elapsed() - simulateMs) / 1000.0, 2));
  return kExitOk;
}

//! Whether the command line draws a figure: only then is a GUI application object worth its start-up
//! (platform plugin, fonts).
bool drawsFigure(int argc, char** argv) {
  QStringList arguments;
  for (int i = 0; i < argc; ++i) arguments << QString::fromLocal8Bit(argv[i]);
  for (qsizetype i = 1; i < arguments.size(); ++i)
    if (!arguments[i].startsWith(QLatin1Char('-')))
      return arguments[i] == QStringLiteral("evaluate") && netspatial::app::cli::evaluateDrawsFigure(arguments.mid(i + 1));
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  netspatial::models::tuneRuntime(argc, argv);
  // A figure is drawn offscreen, so the command runs on a server without a display too.
  const bool draws = drawsFigure(argc, argv);
  if (draws && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  const std::unique_ptr<QCoreApplication> application =
      draws ? std::make_unique<QApplication>(argc, argv) : std::make_unique<QCoreApplication>(argc, argv);
  const QCoreApplication& app = *application;
  QCoreApplication::setApplicationName(QStringLiteral("netspatial"));
  QCoreApplication::setApplicationVersion(QStringLiteral(NETSPATIAL_VERSION));

  // The first argument that is not an option names the command; it and everything after it go to
  // the command's own parser, so each command has its own --help.
  const QStringList all = app.arguments();
  const std::map<QString, int (*)(const QStringList&)> commands{
      {QStringLiteral("info"), runInfo},
      {QStringLiteral("simulate"), runSimulate},
      {QStringLiteral("import"), netspatial::app::cli::runImport},
      {QStringLiteral("evaluate"), netspatial::app::cli::runEvaluate},
      {QStringLiteral("train"), netspatial::app::cli::runTrain},
      {QStringLiteral("generate"), netspatial::app::cli::runGenerate},
      {QStringLiteral("rank"), netspatial::app::cli::runRank},
      {QStringLiteral("export"), netspatial::app::cli::runExport},
      {QStringLiteral("sleep"), netspatial::app::cli::runSleep},
      {QStringLiteral("balance"), netspatial::app::cli::runBalance},
  };
  const QStringList topLevel{QStringLiteral("-h"), QStringLiteral("--help"), QStringLiteral("--help-all"), QStringLiteral("-v"),
                             QStringLiteral("--version")};
  // The command is the first argument that names one (an option's value before it, as in
  // "--seed 5 simulate", is not a command).
  for (qsizetype i = 1; i < all.size(); ++i) {
    const auto it = commands.find(all[i]);
    if (it == commands.end()) continue;
    // An option before its command would be dropped silently (or taken for the command's value):
    // say where it goes instead.
    for (qsizetype j = 1; j < i; ++j)
      if (!topLevel.contains(all[j]))
        return usage(QStringLiteral("'%1' comes before the command: options go after it (netspatial %2 %1 …)").arg(all[j].left(60), all[i]),
                     all[i]);
    QStringList sub{all[0] + QLatin1Char(' ') + all[i]};
    sub << all.mid(i + 1);
    return it->second(sub);
  }

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("NetSpatial Studio command line.\n\nCommands:\n"
                     "  info FILE.gpkg                               summarise a scenario\n"
                     "  simulate --preset NAME --seed N --out FILE   generate a synthetic city\n"
                     "  import milan --data DIR --out FILE           build a scenario from the Telecom Italia Milan data\n"
                     "  import traffic --scenario FILE --csv FILE    add observed traffic from a long CSV (site_id,timestamp,value)\n"
                     "  evaluate --train A [B ...] --test C          score generators on held-out sites (all metrics)\n"
                     "  train RECIPE.toml                            train NetSpatial from a recipe (weights + model card)\n"
                     "  generate --project P --aoi A                 candidate grid over the AOI + generated traffic, stored in P\n"
                     "  rank --project P --utility lsi --top 10      rank the generated candidates (CSV, GeoPackage/GeoJSON)\n"
                     "  export --project P --series all --out F      generated series as long CSV\n"
                     "  sleep --project P --quantile 0.9 --out F     forecast-driven sleep schedule vs always-on, night, oracle\n"
                     "  balance --project P --threshold 0.8          move load off overloaded stations (peak utilisation)\n\n"
                     "Run 'netspatial COMMAND --help' for a command's options."));
  parser.addHelpOption();
  const QCommandLineOption versionOption(QStringList{QStringLiteral("version"), QStringLiteral("v")},
                                         QStringLiteral("Print the versions of Qt, LibTorch, GDAL, PROJ, the BLAS "
                                                        "library loaded and the compute device."));
  parser.addOption(versionOption);
  parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("The command to run."));
  // parse(), not process(): a mistake on the command line is exit 2 (usage), as in every command.
  if (!parser.parse(app.arguments())) {
    QTextStream(stderr) << "netspatial: " << parser.errorText() << " (see netspatial --help)\n";
    return kExitUsage;
  }
  if (parser.isSet(QStringLiteral("help")) || parser.isSet(QStringLiteral("help-all"))) parser.showHelp(0);

  if (parser.isSet(versionOption)) return printVersion();
  const QStringList args = parser.positionalArguments();
  if (args.isEmpty()) {
    // No command is a mistake too (a script that lost its argument must not pass): the help goes to
    // stderr and the exit is 2.
    QTextStream(stderr) << parser.helpText() << "\nnetspatial: no command given\n";
    return kExitUsage;
  }
  QTextStream(stderr) << "netspatial: unknown command '" << args.first() << "' (see netspatial --help)\n";
  return kExitUsage;
}
