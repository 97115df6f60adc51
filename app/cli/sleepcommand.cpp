// netspatial sleep: forecast-driven base-station sleep scheduling, headless (DESIGN.md §9, issue 7).
// The last weeks of the observed traffic are forecast from the weeks before (NetSpatial's operations
// mode), hourly sleep decisions are taken on an upper quantile of the samples and played on the
// observed load, beside always-on, a static night schedule and the oracle. The GUI's worker runs the
// same functions (app/common/operations).

#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/cli/operationsoptions.h"
#include "app/common/generators.h"
#include "app/common/operations.h"
#include "core/operations/operationsexport.h"
#include "core/scenario/scenariostore.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTextStream>

namespace netspatial::app::cli {

namespace {

const QString kCommand = QStringLiteral("sleep");

std::optional<std::vector<double>> parseList(const QString& text) {
  std::vector<double> out;
  for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    bool ok = false;
    const double v = part.trimmed().toDouble(&ok);
    if (!ok || v < 0.0 || v > 1.0) return std::nullopt;
    out.push_back(v);
  }
  return out;
}

}  // namespace

int runSleep(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Forecasts the last weeks of each station's observed traffic from the weeks before (NetSpatial's operations mode), "
                     "decides every hour which stations sleep and which neighbours absorb their load (EARTH power model, integer program "
                     "by GLPK, greedy past a group size), and plays the decisions on the observed load: energy, QoE = served/offered, "
                     "unserved demand and switches, against always-on, a static night schedule and the oracle. Also prints NetSpatial's "
                     "paper-mode η/QoE (Eq. 19–20).\n\n"
                     "  netspatial sleep --project city.gpkg --policy earth --quantile 0.9 --out schedule.csv --summary summary.csv"));
  const QCommandLineOption help = parser.addHelpOption();
  OperationsOptions common;
  common.addTo(parser);
  const QCommandLineOption policyOption(
      QStringLiteral("policy"),
      QStringLiteral("earth (sleep scheduling with the EARTH power model) or paper (only NetSpatial's paper-mode η/QoE)."),
      QStringLiteral("name"), QStringLiteral("earth"));
  const QCommandLineOption quantileOption(QStringLiteral("quantile"),
                                          QStringLiteral("Quantile of the forecast samples decisions are taken on."), QStringLiteral("q"),
                                          QStringLiteral("0.9"));
  const QCommandLineOption marginOption(QStringLiteral("margin"), QStringLiteral("Safety margin on the decision load (0.1 = +10 %)."),
                                        QStringLiteral("x"), QStringLiteral("0.1"));
  const QCommandLineOption headroomOption(QStringLiteral("headroom"),
                                          QStringLiteral("A station absorbing load is filled to at most this share of its capacity."),
                                          QStringLiteral("x"), QStringLiteral("0.9"));
  const QCommandLineOption nightOption(QStringLiteral("night"), QStringLiteral("Static night schedule, local hours START-END."),
                                       QStringLiteral("h-h"), QStringLiteral("1-6"));
  const QCommandLineOption tradeoffOption(QStringLiteral("tradeoff"), QStringLiteral("Quantiles of the η–QoE trade-off curve."),
                                          QStringLiteral("list"), QStringLiteral("0.5,0.6,0.7,0.8,0.9,0.95,1"));
  const QCommandLineOption exactOption(QStringLiteral("exact-limit"),
                                       QStringLiteral("Largest group of neighbouring stations solved exactly."), QStringLiteral("n"),
                                       QString::number(core::SleepOptions{}.exactGroupLimit));
  const QCommandLineOption samplesOption(QStringLiteral("samples"), QStringLiteral("Forecast samples per station."), QStringLiteral("n"),
                                         QStringLiteral("8"));
  const QCommandLineOption seedOption(QStringLiteral("seed"), QStringLiteral("Forecast seed (recorded)."), QStringLiteral("n"),
                                      QStringLiteral("1"));
  const QCommandLineOption windowOption(QStringLiteral("paper-window"), QStringLiteral("Paper mode: rolling σ window, hours."),
                                        QStringLiteral("h"), QStringLiteral("6"));
  const QCommandLineOption volatilityOption(QStringLiteral("paper-quantile"),
                                            QStringLiteral("Paper mode: volatile above this quantile of the rolling σ."),
                                            QStringLiteral("q"), QStringLiteral("0.8"));
  const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Hourly schedule of the forecast policy (CSV)."),
                                     QStringLiteral("file.csv"));
  const QCommandLineOption summaryOption(
      QStringLiteral("summary"), QStringLiteral("Policy comparison, trade-off curve and paper mode (CSV)."), QStringLiteral("file.csv"));
  const QCommandLineOption generatorOption(
      QStringLiteral("generator"),
      QStringLiteral("netspatial (forecasts from each station's history, the default), netspatial_milan, or adaptive (generates each "
                     "station's load from the city's knowledge graph; no history read)."),
      QStringLiteral("id"), QString::fromLatin1(kNetSpatialId));
  const QCommandLineOption weightsOption(QStringLiteral("weights"),
                                         QStringLiteral("A checkpoint of the chosen generator instead of its embedded weights."),
                                         QStringLiteral("file.nsm"));
  const QCommandLineOption deviceOption(QStringLiteral("device"), QStringLiteral("auto, cpu or cuda."), QStringLiteral("device"),
                                        QStringLiteral("auto"));
  const QCommandLineOption threadsOption(QStringLiteral("threads"), QStringLiteral("CPU threads for inference (0 = LibTorch's default)."),
                                         QStringLiteral("n"), QStringLiteral("0"));
  parser.addOptions({policyOption, quantileOption, marginOption, headroomOption, nightOption, tradeoffOption, exactOption, samplesOption,
                     seedOption, windowOption, volatilityOption, outOption, summaryOption, generatorOption, weightsOption, deviceOption,
                     threadsOption});
  if (auto problem = parseCommandLine(parser, arguments)) return usage(*problem, kCommand);
  if (parser.isSet(help)) parser.showHelp(kExitOk);

  core::OperationsSettings settings;
  QStringList ids;
  if (auto problem = common.read(parser, settings, ids)) return usage(*problem, kCommand);
  const QString policy = parser.value(policyOption);
  if (policy != QStringLiteral("earth") && policy != QStringLiteral("paper"))
    return usage(QStringLiteral("--policy must be earth or paper"), kCommand);
  bool ok = false;
  auto& sleep = settings.sleep;
  sleep.quantile = parser.value(quantileOption).toDouble(&ok);
  if (!ok || sleep.quantile < 0.0 || sleep.quantile > 1.0) return usage(QStringLiteral("--quantile must be in [0, 1]"), kCommand);
  sleep.safetyMargin = parser.value(marginOption).toDouble(&ok);
  if (!ok || sleep.safetyMargin < 0.0) return usage(QStringLiteral("--margin must be ≥ 0"), kCommand);
  sleep.sleep.maxUtilisation = parser.value(headroomOption).toDouble(&ok);
  if (!ok || !(sleep.sleep.maxUtilisation > 0.0) || sleep.sleep.maxUtilisation > 1.0)
    return usage(QStringLiteral("--headroom must be in (0, 1]"), kCommand);
  const QStringList night = parser.value(nightOption).split(QLatin1Char('-'));
  bool ok2 = false;
  if (night.size() != 2) return usage(QStringLiteral("--night must be START-END, e.g. 1-6"), kCommand);
  sleep.nightStartHour = night[0].toInt(&ok);
  sleep.nightEndHour = night[1].toInt(&ok2);
  if (!ok || !ok2 || sleep.nightStartHour < 0 || sleep.nightStartHour > 23 || sleep.nightEndHour < 0 || sleep.nightEndHour > 24)
    return usage(QStringLiteral("--night hours must be 0–24"), kCommand);
  const auto tradeoff = parseList(parser.value(tradeoffOption));
  if (!tradeoff) return usage(QStringLiteral("--tradeoff must be comma-separated quantiles in [0, 1]"), kCommand);
  sleep.tradeoffQuantiles = *tradeoff;
  sleep.sleep.exactGroupLimit = parser.value(exactOption).toInt(&ok);
  if (!ok || sleep.sleep.exactGroupLimit < 0) return usage(QStringLiteral("--exact-limit must be ≥ 0"), kCommand);
  settings.forecastSamples = parser.value(samplesOption).toInt(&ok);
  if (!ok || settings.forecastSamples < 1 || settings.forecastSamples > 64)
    return usage(QStringLiteral("--samples must be 1–64"), kCommand);
  settings.seed = parser.value(seedOption).toULongLong(&ok);
  if (!ok) return usage(QStringLiteral("--seed must be an unsigned integer"), kCommand);
  settings.paper.windowHours = parser.value(windowOption).toInt(&ok);
  if (!ok || settings.paper.windowHours < 2) return usage(QStringLiteral("--paper-window must be ≥ 2 hours"), kCommand);
  settings.paper.volatilityQuantile = parser.value(volatilityOption).toDouble(&ok);
  if (!ok || settings.paper.volatilityQuantile < 0.0 || settings.paper.volatilityQuantile > 1.0)
    return usage(QStringLiteral("--paper-quantile must be in [0, 1]"), kCommand);
  if (policy == QStringLiteral("paper")) sleep.tradeoffQuantiles = {};
  models::EngineOptions engine;
  if (auto problem = readEngineOptions(parser.value(deviceOption), parser.value(threadsOption), engine)) return usage(*problem, kCommand);

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
  const std::string generatorId = parser.value(generatorOption).toStdString();
  if (!isPretrainedModel(generatorId))
    return usage(QStringLiteral("--generator must be a pre-trained model (netspatial, netspatial_milan, adaptive), not %1")
                     .arg(parser.value(generatorOption)),
                 kCommand);
  auto generator = createGenerator(generatorId, parser.value(weightsOption), engine);
  if (!generator) return fail(generator.error());

  InterruptHandler interrupt("sleep");
  core::Feedback feedback;
  QElapsedTimer timer;
  timer.start();
  core::Result<OperationsStudy> study = core::Error(core::ErrorCode::Internal, QString());
  {
    ProgressLine line(QStringLiteral("Operations"));
    line.attachInterruptible(feedback);
    study = runOperationsStudy(*scenario, ids, settings, **generator, &feedback);
    line.finish();
  }
  if (!study) {
    if (study.error().code() == core::ErrorCode::Cancelled) {
      err << QStringLiteral("Cancelled    nothing was written\n");
      return exitCancelled();
    }
    return fail(study.error());
  }
  const double seconds = double(timer.nsecsElapsed()) * 1e-9;
  const OperationsStudy& s = *study;
  const core::SleepStudy& sl = s.sleep;
  for (const QString& note : s.input.notes) out << QStringLiteral("Note         %1\n").arg(note);
  out << QStringLiteral("Stations     %1, %2 h from %3 (%4), forecast by %5 (weights %6…, seed %7, %8 samples)\n")
             .arg(s.input.stations.size())
             .arg(s.input.localHour.size())
             .arg(s.input.startUtc.toString(Qt::ISODate), s.input.timeZone, s.forecast.run.modelId, s.forecast.run.weightsSha256.left(12))
             .arg(s.forecast.run.seed)
             .arg(settings.forecastSamples);
  out << QStringLiteral("Paper mode   η = %1 %, QoE = %2 % (Eq. 19–20; with idle power cancelled η ≤ 1 − QoE: it counts load not served)\n")
             .arg(number(100.0 * s.paper.eta, 2), number(100.0 * s.paper.qoe, 2));
  if (policy == QStringLiteral("earth")) {
    const core::ScheduleOutcome* oracle = sl.outcome(core::SleepPolicy::Oracle);
    out << QStringLiteral("\n%1 %2 %3 %4 %5 %6 %7 %8\n")
               .arg(QStringLiteral("policy"), -24)
               .arg(QStringLiteral("energy kWh"), 11)
               .arg(QStringLiteral("saving %"), 9)
               .arg(QStringLiteral("QoE %"), 8)
               .arg(QStringLiteral("unserved"), 10)
               .arg(QStringLiteral("switches"), 9)
               .arg(QStringLiteral("asleep h"), 9)
               .arg(QStringLiteral("of oracle"), 10);
    for (const core::ScheduleOutcome& o : sl.outcomes) {
      QString label = core::sleepPolicyLabel(o.policy);
      if (o.policy == core::SleepPolicy::Forecast) label += QStringLiteral(" q=%1").arg(o.quantile);
      if (o.policy == core::SleepPolicy::StaticNight) label += QStringLiteral(" %1–%2").arg(sleep.nightStartHour).arg(sleep.nightEndHour);
      out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8\n")
                 .arg(label, -24)
                 .arg(number(o.energyKWh, 1), 11)
                 .arg(number(o.savingPct, 2), 9)
                 .arg(number(100.0 * o.qoe, 3), 8)
                 .arg(number(o.unserved, 1), 10)
                 .arg(o.switches, 9)
                 .arg(o.sleepStationHours, 9)
                 .arg(oracle && oracle->savingPct > 0.0 ? number(100.0 * o.savingPct / oracle->savingPct, 1) + QStringLiteral(" %")
                                                        : QStringLiteral("–"),
                      10);
    }
    out << QStringLiteral("\nTrade-off    quantile → saving %, QoE %\n");
    for (const auto& p : sl.tradeoff)
      out << QStringLiteral("             q=%1 → %2 %, %3 %\n")
                 .arg(number(p.quantile, 2), number(p.savingPct, 2), number(100.0 * p.qoe, 3));
    out << QStringLiteral("Solver       %1 group-hours exact, %2 time-limited, %3 greedy (forecast schedule, %4 s)\n")
               .arg(sl.forecastSchedule.exactSolves)
               .arg(sl.forecastSchedule.timeLimitedSolves)
               .arg(sl.forecastSchedule.greedySolves)
               .arg(number(sl.forecastSchedule.solveSeconds, 2));
  }
  for (const QString& note : sl.notes) err << QStringLiteral("Note         %1\n").arg(note);
  out << QStringLiteral("Time         %1 s\n").arg(number(seconds, 1));
  if (parser.isSet(outOption) && policy == QStringLiteral("earth")) {
    const auto decision = core::forecastDecisionLoad(s.forecast.samples, sleep.quantile, sleep.safetyMargin);
    if (auto w = core::writeScheduleCsv(parser.value(outOption), s.input.ids(), sl.forecastSchedule, s.input.observed, decision,
                                        s.input.startUtc, s.input.timeZone);
        !w)
      return fail(w.error());
    out << QStringLiteral("Wrote        %1\n").arg(parser.value(outOption));
  }
  if (parser.isSet(summaryOption)) {
    if (auto w = core::writeSleepSummaryCsv(parser.value(summaryOption), sl, &s.paper, s.forecast.run); !w) return fail(w.error());
    out << QStringLiteral("Wrote        %1\n").arg(parser.value(summaryOption));
  }
  return kExitOk;
}

}  // namespace netspatial::app::cli
