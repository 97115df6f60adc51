// `netspatial import SOURCE …`: builds or extends a scenario from real data. The first positional
// argument names the source; each source has its own options and --help.
//   scenario a scenario from the user's own files (importscenariocommand.cpp)
//   milan    a whole scenario from the Telecom Italia Milan folder (here)
//   traffic  observed traffic from a long CSV into an existing scenario (importtrafficcommand.cpp)

#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "core/import/milanscenario.h"
#include "core/scenario/scenariostore.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTextStream>

#include <cmath>

namespace netspatial::app::cli {

namespace {

using namespace netspatial::core;

//! How many truncated-series lines the summary shows before "… and N more".
constexpr int kReportLines = 5;

const QString kImportUsage = QStringLiteral(
    "Imports real data.\n\nSources:\n"
    "  scenario --out FILE.gpkg [--stations F] [--pois F] [--zones F] [--imagery F] [--population F] [--traffic-sites F --traffic F] …\n"
    "                                                a scenario from your own files (any layer optional)\n"
    "  milan --data DIR --out FILE.gpkg              build a scenario from the Telecom Italia Milan folder\n"
    "  traffic --scenario FILE --csv FILE            add observed traffic from a long CSV (site_id,timestamp,value)\n\n"
    "Run 'netspatial import SOURCE --help' for a source's options.");

int runImportMilan(const QStringList& arguments) {
  const QString command = QStringLiteral("import milan");
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Builds a scenario (WGS 84 / UTM 32N) from the Telecom Italia Big Data Challenge Milan folder: the 10,000-cell grid\n"
                     "as candidates, every cell with traffic as a traffic site with its hourly series (traffic_matrixTS.csv,\n"
                     "traffic_ID_labels.csv), OpenCellID LTE stations (opencellid_lte_mapped.csv; macro when range >= 1000 m,\n"
                     "capacity unknown = 0), transit stations as POIs (public_transport_stations.csv) and the NIL districts as zones\n"
                     "(nil_districts.geojson). The grid and traffic files are required; the others are optional.\n"
                     "Data: ODbL 1.0 (Barlacchi et al. 2015); OpenCellID CC BY-SA 4.0."));
  const QCommandLineOption help = parser.addHelpOption();
  const QCommandLineOption dataOption(QStringLiteral("data"), QStringLiteral("The Milan data folder (e.g. ../shared/data/milan)."),
                                      QStringLiteral("dir"));
  const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Output scenario (.gpkg); replaced if it exists."),
                                     QStringLiteral("file"));
  parser.addOptions({dataOption, outOption});
  if (auto problem = parseCommandLine(parser, arguments)) return usage(*problem, command);
  if (parser.isSet(help)) parser.showHelp(kExitOk);
  if (!parser.positionalArguments().isEmpty())
    return usage(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()), command);
  if (!parser.isSet(dataOption)) return usage(QStringLiteral("--data DIR is required"), command);
  if (!parser.isSet(outOption)) return usage(QStringLiteral("--out FILE.gpkg is required"), command);
  const QString dataDir = parser.value(dataOption);
  const QString out = parser.value(outOption);

  InterruptHandler interrupt("import milan");  // Ctrl-C and SIGTERM stop between steps; saves are atomic
  QElapsedTimer timer;
  timer.start();
  MilanScenarioImport imported;
  {
    Feedback feedback;
    ProgressLine line(QStringLiteral("Importing"));
    line.attachInterruptible(feedback);
    auto result = importMilanScenario(dataDir, &feedback);
    line.finish();
    if (!result) return fail(result.error());
    imported = std::move(*result);
  }
  const qint64 importMs = timer.elapsed();
  const Scenario& s = imported.scenario;
  if (auto saved = saveScenarioInterruptibly(s, out); !saved) return fail(saved.error());

  QTextStream o(stdout);
  o << QStringLiteral("Wrote %1 (%2)\n").arg(QFileInfo(out).absoluteFilePath(), fileSize(QFileInfo(out).size()));
  o << QStringLiteral("Scenario     %1, %2\n").arg(s.metadata.name, s.metadata.crs.label());
  const std::size_t hours = s.trafficObserved.hours();
  o << QStringLiteral("Traffic      %1 grid cells × %2 hours from %3 UTC (%4 complete, %5 truncated), unit %6\n")
           .arg(s.trafficSites.size())
           .arg(hours)
           .arg(s.trafficObserved.start.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm")))
           .arg(imported.completeCells.size())
           .arg(imported.truncatedSeries.size())
           .arg(s.metadata.trafficUnit);
  int macro = 0, micro = 0;
  for (const BaseStation& b : s.stations) (b.type == StationType::Macro ? macro : micro)++;
  o << QStringLiteral("Stations     %1 OpenCellID LTE (%2 macro, %3 micro; capacity unknown)\n")
           .arg(s.stations.size())
           .arg(macro)
           .arg(micro);
  o << QStringLiteral("POIs         %1 transit stations\n").arg(s.pois.size());
  o << QStringLiteral("Zones        %1 NIL districts (class mixed)\n").arg(s.zones.size());
  o << QStringLiteral("Candidates   %1 grid cells\n").arg(s.candidates.size());
  const Extent aoi = s.aoi.extent();
  if (!aoi.isEmpty())
    o << QStringLiteral("Area         %1 × %2 km\n").arg(number(aoi.width() / 1000.0, 2), number(aoi.height() / 1000.0, 2));
  if (!imported.truncatedSeries.isEmpty()) {
    o << QStringLiteral("Truncated    %1 series end early; their missing hours are NaN:\n").arg(imported.truncatedSeries.size());
    for (int i = 0; i < std::min<int>(kReportLines, int(imported.truncatedSeries.size())); ++i)
      o << QStringLiteral("  %1\n").arg(imported.truncatedSeries[i]);
    if (imported.truncatedSeries.size() > kReportLines)
      o << QStringLiteral("  … and %1 more\n").arg(imported.truncatedSeries.size() - kReportLines);
  }
  if (!imported.report.isEmpty()) {
    o << QStringLiteral("Notes\n");
    for (const QString& line : imported.report) o << QStringLiteral("  %1\n").arg(line);
  }
  o << QStringLiteral("Elapsed      %1 s (import %2 s, save %3 s)\n")
           .arg(number(timer.elapsed() / 1000.0, 2), number(importMs / 1000.0, 2), number((timer.elapsed() - importMs) / 1000.0, 2));
  return kExitOk;
}

}  // namespace

int runImport(const QStringList& arguments) {
  const QString program = arguments.isEmpty() ? QStringLiteral("netspatial import") : arguments.first();
  // The first argument that is not an option names the source; it and everything after it go to
  // the source's own parser, so `import milan --help` is the milan help, not this one.
  for (qsizetype i = 1; i < arguments.size(); ++i) {
    const QString& a = arguments[i];
    if (a.startsWith(QLatin1Char('-'))) continue;
    QStringList sub{program + QLatin1Char(' ') + a};
    sub << arguments.mid(1, i - 1) << arguments.mid(i + 1);
    if (a == QLatin1String("milan")) return runImportMilan(sub);
    if (a == QLatin1String("traffic")) return runImportTraffic(sub);
    if (a == QLatin1String("scenario")) return runImportScenario(sub);
    return usage(QStringLiteral("unknown source '%1': expected scenario, milan or traffic").arg(a), QStringLiteral("import"));
  }
  QCommandLineParser parser;
  parser.setApplicationDescription(kImportUsage);
  const QCommandLineOption help = parser.addHelpOption();
  parser.addPositionalArgument(QStringLiteral("source"), QStringLiteral("scenario, milan or traffic."));
  if (auto problem = parseCommandLine(parser, arguments)) return usage(*problem, QStringLiteral("import"));
  if (parser.isSet(help)) parser.showHelp(kExitOk);
  return usage(QStringLiteral("which source? expected scenario, milan or traffic"), QStringLiteral("import"));
}

}  // namespace netspatial::app::cli
