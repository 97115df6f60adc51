// netspatial balance: load balancing on the observed period (DESIGN.md §9, issue 7): each hour,
// demand moves from stations above a utilisation threshold to neighbours with headroom (a linear
// program by GLPK); peak utilisation before and after, per station and network-wide.

#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/cli/operationsoptions.h"
#include "app/common/operations.h"
#include "core/operations/loadbalancer.h"
#include "core/operations/operationsexport.h"
#include "core/scenario/scenariostore.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTextStream>

#include <algorithm>

namespace netspatial::app::cli {

namespace {
const QString kCommand = QStringLiteral("balance");
}

int runBalance(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Moves demand, hour by hour, from stations above a utilisation threshold to neighbours with headroom (a linear "
                     "program by GLPK) over the last weeks of the observed traffic, and reports peak utilisation before and after.\n\n"
                     "  netspatial balance --project city.gpkg --threshold 0.8 --out balance.csv"));
  const QCommandLineOption help = parser.addHelpOption();
  OperationsOptions common;
  common.addTo(parser);
  const QCommandLineOption thresholdOption(QStringLiteral("threshold"),
                                           QStringLiteral("Utilisation above which a station sheds load (0–1]."), QStringLiteral("x"),
                                           QStringLiteral("0.8"));
  const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Per-station result (CSV)."), QStringLiteral("file.csv"));
  parser.addOptions({thresholdOption, outOption});
  if (auto problem = parseCommandLine(parser, arguments)) return usage(*problem, kCommand);
  if (parser.isSet(help)) parser.showHelp(kExitOk);
  core::OperationsSettings settings;
  QStringList ids;
  if (auto problem = common.read(parser, settings, ids)) return usage(*problem, kCommand);
  bool ok = false;
  settings.balance.threshold = parser.value(thresholdOption).toDouble(&ok);
  if (!ok || !(settings.balance.threshold > 0.0) || settings.balance.threshold > 1.0)
    return usage(QStringLiteral("--threshold must be in (0, 1]"), kCommand);

  QTextStream out(stdout);
  QTextStream err(stderr);
  auto scenario = core::loadScenario(parser.value(common.project));
  if (!scenario) return fail(scenario.error());
  if (settings.scope == core::StationScope::Zone) {
    ids = operationsScopeIds(*scenario, settings, {});
    if (ids.isEmpty())
      return fail(core::Error(core::ErrorCode::InvalidArgument,
                              QStringLiteral("zone %1 holds no station with observed traffic").arg(settings.zoneId)));
  }
  auto input = operationsInput(*scenario, ids, settings);
  if (!input) return fail(input.error());
  InterruptHandler interrupt("balance");
  core::Feedback feedback;
  QElapsedTimer timer;
  timer.start();
  core::Result<core::BalanceResult> result = core::Error(core::ErrorCode::Internal, QString());
  {
    ProgressLine line(QStringLiteral("Balancing"));
    line.attachInterruptible(feedback);
    result = core::balanceLoad(input->stations, input->observed, settings.balance, &feedback);
    line.finish();
  }
  if (!result) {
    if (result.error().code() == core::ErrorCode::Cancelled) {
      err << QStringLiteral("Cancelled    nothing was written\n");
      return exitCancelled();
    }
    return fail(result.error());
  }
  for (const QString& note : input->notes) out << QStringLiteral("Note         %1\n").arg(note);
  const core::BalanceResult& r = *result;
  out << QStringLiteral("Stations     %1, %2 h, threshold %3 %\n")
             .arg(input->stations.size())
             .arg(input->localHour.size())
             .arg(number(100.0 * settings.balance.threshold, 1));
  out << QStringLiteral("Network peak utilisation      %1 % → %2 %\n")
             .arg(number(100.0 * r.networkPeakBefore, 1), number(100.0 * r.networkPeakAfter, 1));
  out << QStringLiteral("Mean station peak             %1 % → %2 %\n")
             .arg(number(100.0 * r.meanPeakBefore, 1), number(100.0 * r.meanPeakAfter, 1));
  out << QStringLiteral("Station-hours above threshold %1 → %2\n").arg(r.stationHoursOverBefore).arg(r.stationHoursOverAfter);
  out << QStringLiteral("Load moved                    %1 %2·h in %3 transfers\n")
             .arg(number(r.moved, 1), input->unit)
             .arg(r.transfers.size());
  std::vector<const core::BalancedStation*> worst;
  for (const auto& s : r.stations) worst.push_back(&s);
  std::sort(worst.begin(), worst.end(), [](auto a, auto b) { return a->peakBefore > b->peakBefore; });
  out << QStringLiteral("Highest peaks before → after:\n");
  for (std::size_t i = 0; i < std::min<std::size_t>(10, worst.size()); ++i)
    out << QStringLiteral("  %1 %2 % → %3 %\n")
               .arg(worst[i]->id, -14)
               .arg(number(100.0 * worst[i]->peakBefore, 1), 6)
               .arg(number(100.0 * worst[i]->peakAfter, 1), 6);
  for (const QString& note : r.notes) err << QStringLiteral("Note         %1\n").arg(note);
  out << QStringLiteral("Time         %1 s\n").arg(number(double(timer.nsecsElapsed()) * 1e-9, 2));
  if (parser.isSet(outOption)) {
    if (auto w = core::writeBalanceCsv(parser.value(outOption), r); !w) return fail(w.error());
    out << QStringLiteral("Wrote        %1\n").arg(parser.value(outOption));
  }
  return kExitOk;
}

}  // namespace netspatial::app::cli
