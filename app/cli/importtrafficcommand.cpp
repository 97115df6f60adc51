// netspatial import traffic: replace a scenario's observed traffic with a long CSV
// (site_id, timestamp, value), keeping provenance in the runs table.

#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "core/scenario/scenariostore.h"
#include "core/traffic/longcsvimport.h"
#include "core/util/filehash.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTextStream>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

namespace netspatial::app::cli {

namespace {

const QString kCommand = QStringLiteral("import traffic");
constexpr qsizetype kSkippedShown = 20;

//! A run id that names the data (same CSV, same prefix) and is unique within the scenario.
QString uniqueRunId(const core::Scenario& scenario, const QString& sha) {
  const QString base = QStringLiteral("import-traffic-%1").arg(sha.left(12));
  const auto taken = [&](const QString& id) {
    for (const auto& r : scenario.runs)
      if (r.runId == id) return true;
    return false;
  };
  QString id = base;
  for (int n = 2; taken(id); ++n) id = QStringLiteral("%1-%2").arg(base).arg(n);
  return id;
}

}  // namespace

int runImportTraffic(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Replaces the observed traffic of a scenario with a long CSV: a header naming site_id, timestamp and value "
                     "(any order, other columns ignored), one row per site and hour.\n\n"
                     "Timestamps are ISO 8601 with Z or ±HH:MM, or local times (yyyy-MM-dd HH:mm[:ss]) in --time-zone (default: the "
                     "scenario's). Local times that do not exist or occur twice at DST changes are errors. Site ids must be base stations "
                     "or traffic sites of the scenario. Hours without a row are missing (NaN), never zero.\n\n"
                     "Example: netspatial import traffic --scenario town.gpkg --csv counts.csv --time-zone Europe/Rome"));
  const QCommandLineOption help = parser.addHelpOption();
  const QCommandLineOption scenarioOption(QStringLiteral("scenario"), QStringLiteral("The scenario (.gpkg) to add the traffic to."),
                                          QStringLiteral("file"));
  const QCommandLineOption csvOption(QStringLiteral("csv"), QStringLiteral("The traffic (site_id, timestamp, value)."),
                                     QStringLiteral("file"));
  const QCommandLineOption zoneOption(
      QStringLiteral("time-zone"),
      QStringLiteral("IANA time zone of timestamps without an offset; also becomes the scenario's time zone. "
                     "Default: the scenario's."),
      QStringLiteral("id"));
  const QCommandLineOption skipOption(QStringLiteral("skip-bad-rows"),
                                      QStringLiteral("Skip bad rows (each one is listed) instead of failing."));
  const QCommandLineOption subHourlyOption(
      QStringLiteral("sub-hourly"),
      QStringLiteral("Aggregate timestamps that are not on the hour into hours: sum or mean. Default: they are errors."),
      QStringLiteral("sum|mean"));
  const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Write the result here (default: overwrite --scenario)."),
                                     QStringLiteral("file"));
  parser.addOptions({scenarioOption, csvOption, zoneOption, skipOption, subHourlyOption, outOption});
  if (auto problem = parseCommandLine(parser, arguments)) return usage(*problem, kCommand);
  if (parser.isSet(help)) parser.showHelp(kExitOk);
  if (!parser.positionalArguments().isEmpty())
    return usage(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()), kCommand);
  if (!parser.isSet(scenarioOption)) return usage(QStringLiteral("--scenario FILE.gpkg is required"), kCommand);
  if (!parser.isSet(csvOption)) return usage(QStringLiteral("--csv FILE.csv is required"), kCommand);
  const QString scenarioPath = parser.value(scenarioOption);
  const QString csvPath = parser.value(csvOption);
  const QString outPath = parser.isSet(outOption) ? parser.value(outOption) : scenarioPath;
  if (parser.isSet(zoneOption) && !QTimeZone(parser.value(zoneOption).toUtf8()).isValid())
    return usage(QStringLiteral("unknown time zone '%1' (an IANA id such as Europe/Rome)").arg(parser.value(zoneOption)), kCommand);
  std::optional<core::Aggregation> subHourly;
  if (parser.isSet(subHourlyOption)) {
    const QString mode = parser.value(subHourlyOption).toLower();
    if (mode == QStringLiteral("sum"))
      subHourly = core::Aggregation::Sum;
    else if (mode == QStringLiteral("mean"))
      subHourly = core::Aggregation::Mean;
    else
      return usage(QStringLiteral("--sub-hourly must be sum or mean, not '%1'").arg(parser.value(subHourlyOption)), kCommand);
  }

  InterruptHandler interrupt("import traffic");  // Ctrl-C and SIGTERM stop between steps; saves are atomic
  QElapsedTimer timer;
  timer.start();
  core::Scenario scenario;
  {
    core::Feedback feedback;
    ProgressLine line(QStringLiteral("Loading"));
    line.attachInterruptible(feedback);
    auto loaded = core::loadScenario(scenarioPath, &feedback);
    line.finish();
    if (!loaded) return fail(loaded.error());
    scenario = std::move(*loaded);
  }

  core::LongCsvOptions options;
  options.timeZone = parser.isSet(zoneOption) ? parser.value(zoneOption) : scenario.metadata.timeZone;
  if (options.timeZone.isEmpty()) options.timeZone = QStringLiteral("UTC");
  options.skipBadRows = parser.isSet(skipOption);
  options.subHourly = subHourly;
  std::set<QString> known;
  for (const auto& s : scenario.stations) known.insert(s.id);
  for (const auto& s : scenario.trafficSites) known.insert(s.id);
  options.knownSites = std::move(known);

  core::LongCsvTraffic imported;
  {
    core::Feedback feedback;
    ProgressLine line(QStringLiteral("Importing"));
    line.attachInterruptible(feedback);
    auto result = core::importLongCsvTraffic(csvPath, options, &feedback);
    line.finish();
    if (!result) return fail(result.error());
    imported = std::move(*result);
  }
  auto sha = core::fileSha256(csvPath);
  if (!sha) return fail(sha.error());

  const std::size_t hours = imported.traffic.hours();
  std::size_t missing = 0;
  for (const auto& [site, values] : imported.traffic.valuesBySite)
    for (float v : values) missing += std::isnan(v) ? 1 : 0;

  scenario.trafficObserved = imported.traffic;
  scenario.metadata.seriesStart = imported.traffic.start;
  if (parser.isSet(zoneOption)) scenario.metadata.timeZone = imported.timeZone;
  core::RunRecord run;
  run.runId = uniqueRunId(scenario, *sha);
  run.kind = QStringLiteral("import");
  run.modelId = QStringLiteral("longcsv");
  run.parameters.insert(QStringLiteral("csv"), QFileInfo(csvPath).absoluteFilePath());
  run.parameters.insert(QStringLiteral("rows"), qulonglong(imported.rowsRead));
  run.parameters.insert(QStringLiteral("skipped"), qlonglong(imported.skippedRows.size()));
  run.parameters.insert(QStringLiteral("timeZone"), imported.timeZone);
  run.parameters.insert(QStringLiteral("sites"), qulonglong(imported.traffic.valuesBySite.size()));
  run.parameters.insert(QStringLiteral("hours"), qulonglong(hours));
  if (subHourly)
    run.parameters.insert(QStringLiteral("subHourly"),
                          *subHourly == core::Aggregation::Sum ? QStringLiteral("sum") : QStringLiteral("mean"));
  run.dataHashes.insert(QStringLiteral("csv"), *sha);
  // Seconds are enough for provenance and keep the stored text short (as the simulator does).
  run.time = QDateTime::currentDateTimeUtc();
  run.time.setTime(QTime(run.time.time().hour(), run.time.time().minute(), run.time.time().second()));
  scenario.runs.push_back(std::move(run));

  if (auto saved = saveScenarioInterruptibly(scenario, outPath); !saved) return fail(saved.error());

  QTextStream out(stdout);
  const QString fmt = QStringLiteral("yyyy-MM-dd HH:mm");
  const QDateTime first = imported.traffic.start.toUTC();
  const QDateTime last = first.addSecs(qint64(hours) * 3600 - 3600);
  const std::size_t cells = imported.traffic.valuesBySite.size() * hours;
  out << QStringLiteral("Imported     %1\n").arg(csvPath);
  out << QStringLiteral("Rows         %1 read, %2 skipped\n").arg(imported.rowsRead).arg(imported.skippedRows.size());
  out << QStringLiteral("Sites        %1 (of %2 in the scenario)\n")
             .arg(imported.traffic.valuesBySite.size())
             .arg(scenario.stations.size() + scenario.trafficSites.size());
  out << QStringLiteral("Hours        %1 (%2 days)\n").arg(hours).arg(number(double(hours) / 24.0, 1));
  out << QStringLiteral("UTC          %1 – %2\n").arg(first.toString(fmt), last.toString(fmt));
  const QTimeZone zone(imported.timeZone.toUtf8());
  if (zone.isValid() && imported.timeZone != QStringLiteral("UTC"))
    out << QStringLiteral("%1 %2 – %3\n")
               .arg(imported.timeZone.leftJustified(12), first.toTimeZone(zone).toString(fmt), last.toTimeZone(zone).toString(fmt));
  out << QStringLiteral("Missing      %1 of %2 site-hours (%3 %)\n")
             .arg(missing)
             .arg(cells)
             .arg(number(cells ? 100.0 * double(missing) / double(cells) : 0.0, 1));
  if (!imported.skippedRows.isEmpty()) {
    out << QStringLiteral("Skipped rows\n");
    for (qsizetype i = 0; i < std::min(kSkippedShown, imported.skippedRows.size()); ++i)
      out << QStringLiteral("  %1\n").arg(imported.skippedRows[i]);
    if (imported.skippedRows.size() > kSkippedShown)
      out << QStringLiteral("  … and %1 more\n").arg(imported.skippedRows.size() - kSkippedShown);
  }
  out << QStringLiteral("Wrote        %1 (%2)\n").arg(outPath, fileSize(QFileInfo(outPath).size()));
  out << QStringLiteral("Elapsed      %1 s\n").arg(number(timer.elapsed() / 1000.0, 2));
  return kExitOk;
}

}  // namespace netspatial::app::cli
