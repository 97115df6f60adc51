// netspatial export: generated series of the project in long CSV (site_id, sample, t, value).

#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/common/planning.h"
#include "core/planning/planningexport.h"
#include "core/scenario/scenariostore.h"

#include <QCommandLineParser>
#include <QTextStream>

namespace netspatial::app::cli {

namespace {
const QString kCommand = QStringLiteral("export");
}

int runExport(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral(
      "Writes the project's latest candidate generation (every sample) as a long CSV: site_id, sample, t (ISO-8601 UTC), value.\n\n"
      "  netspatial export --project city.gpkg --series all --out series.csv"));
  const QCommandLineOption help = parser.addHelpOption();
  const QCommandLineOption projectOption(QStringLiteral("project"), QStringLiteral("The project (.gpkg)."), QStringLiteral("file"));
  const QCommandLineOption seriesOption(QStringLiteral("series"), QStringLiteral("'all' or a comma-separated list of site ids (C12,C40)."),
                                        QStringLiteral("sites"), QStringLiteral("all"));
  const QCommandLineOption unitsOption(QStringLiteral("units"),
                                       QStringLiteral("physical (the project's traffic unit) or normalized (÷ the model's scale)."),
                                       QStringLiteral("units"), QStringLiteral("physical"));
  const QCommandLineOption runOption(QStringLiteral("run"), QStringLiteral("A run id (default: the latest candidate generation)."),
                                     QStringLiteral("id"));
  const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("The CSV file."), QStringLiteral("file.csv"));
  parser.addOptions({projectOption, seriesOption, unitsOption, runOption, outOption});
  if (auto problem = parseCommandLine(parser, arguments)) return usage(*problem, kCommand);
  if (parser.isSet(help)) parser.showHelp(kExitOk);
  if (!parser.isSet(projectOption)) return usage(QStringLiteral("--project FILE.gpkg is required"), kCommand);
  if (!parser.isSet(outOption)) return usage(QStringLiteral("--out FILE.csv is required"), kCommand);
  const QString units = parser.value(unitsOption).toLower();
  if (units != QStringLiteral("physical") && units != QStringLiteral("normalized") && units != QStringLiteral("normalised"))
    return usage(QStringLiteral("--units must be physical or normalized"), kCommand);

  const QString projectPath = parser.value(projectOption);
  auto scenario = core::loadScenario(projectPath);
  if (!scenario) return fail(scenario.error());
  const core::GeneratedTraffic* traffic = nullptr;
  if (parser.isSet(runOption)) {
    for (const auto& t : scenario->trafficGenerated)
      if (t.runId == parser.value(runOption)) traffic = &t;
    if (!traffic)
      return fail(core::Error(core::ErrorCode::InvalidArgument,
                              QStringLiteral("no generated traffic with run id %1").arg(parser.value(runOption)), {projectPath}));
  } else {
    traffic = latestGeneration(*scenario, QString());
    if (!traffic)
      return fail(core::Error(core::ErrorCode::MissingField,
                              QStringLiteral("the project has no generated traffic: run 'netspatial generate' first"), {projectPath}));
  }
  const double scale = runNormalisationScale(*scenario, traffic->runId);
  QStringList sites;
  if (parser.value(seriesOption) != QStringLiteral("all"))
    for (const QString& id : parser.value(seriesOption).split(QLatin1Char(','), Qt::SkipEmptyParts)) sites << id.trimmed();
  const auto mode = units == QStringLiteral("physical") ? core::SeriesUnits::Physical : core::SeriesUnits::Normalised;
  if (auto s = core::writeSeriesCsv(*traffic, parser.value(outOption), mode, scale, sites); !s) return fail(s.error());
  QTextStream(stdout) << QStringLiteral("Wrote        %1 (%2 sites, run %3, %4)\n")
                             .arg(parser.value(outOption))
                             .arg(sites.isEmpty() ? qsizetype(traffic->samplesBySite.size()) : sites.size())
                             .arg(traffic->runId, mode == core::SeriesUnits::Physical ? scenario->metadata.trafficUnit
                                                                                      : QStringLiteral("normalised units"));
  return kExitOk;
}

}  // namespace netspatial::app::cli
