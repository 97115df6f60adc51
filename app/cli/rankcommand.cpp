// netspatial rank: ranks the project's stored candidate generation by a utility (DESIGN.md §8):
// LSI (NetSpatial Eq. 6), mean, p95, mean/σ or a weighted composite; demand floor; top-K (Eq. 7)
// with optional spacing; probability of being in the top K across samples; a rationale per site.

#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/common/planning.h"
#include "core/planning/planningexport.h"
#include "core/planning/rationale.h"
#include "core/scenario/scenariostore.h"

#include <QCommandLineParser>
#include <QTextStream>

namespace netspatial::app::cli {

namespace {
const QString kCommand = QStringLiteral("rank");

core::Result<core::CompositeWeights> parseWeights(const QString& text) {
  core::CompositeWeights w{0.0, 0.0, 0.0, 0.0};
  for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    const QStringList kv = part.split(QLatin1Char('='));
    bool ok = false;
    const double v = kv.size() == 2 ? kv[1].trimmed().toDouble(&ok) : 0.0;
    if (!ok || v < 0.0)
      return core::Error(core::ErrorCode::InvalidArgument, QStringLiteral("--weights: '%1' is not NAME=WEIGHT with WEIGHT ≥ 0").arg(part));
    const QString name = kv[0].trimmed();
    if (name == QStringLiteral("lsi"))
      w.lsi = v;
    else if (name == QStringLiteral("mean"))
      w.mean = v;
    else if (name == QStringLiteral("p95"))
      w.p95 = v;
    else if (name == QStringLiteral("mean_over_sigma"))
      w.stability = v;
    else
      return core::Error(core::ErrorCode::InvalidArgument,
                         QStringLiteral("--weights: unknown utility '%1' (lsi, mean, p95, mean_over_sigma)").arg(name));
  }
  return w;
}
}  // namespace

int runRank(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("Ranks the candidates of the project's latest generation and stores the ranking in the project.\n\n"
                     "  netspatial rank --project city.gpkg --utility lsi --top 10 --min-spacing 300 --out ranking.csv"));
  const QCommandLineOption help = parser.addHelpOption();
  const QCommandLineOption projectOption(QStringLiteral("project"), QStringLiteral("The project (.gpkg) with a candidate generation."),
                                         QStringLiteral("file"));
  const QCommandLineOption utilityOption(QStringLiteral("utility"),
                                         QStringLiteral("One of: %1.").arg(core::utilityNames().join(QStringLiteral(", "))),
                                         QStringLiteral("name"), QStringLiteral("lsi"));
  const QCommandLineOption topOption(QStringLiteral("top"), QStringLiteral("K, the number of sites to select."), QStringLiteral("k"),
                                     QStringLiteral("10"));
  const QCommandLineOption spacingOption(QStringLiteral("min-spacing"), QStringLiteral("Minimum distance between selected sites, metres."),
                                         QStringLiteral("m"), QStringLiteral("0"));
  const QCommandLineOption floorOption(QStringLiteral("min-demand"),
                                       QStringLiteral("Sites whose mean demand is below this (traffic unit) are not ranked."),
                                       QStringLiteral("value"), QStringLiteral("0"));
  const QCommandLineOption weightsOption(
      QStringLiteral("weights"), QStringLiteral("Composite weights, e.g. mean=0.4,mean_over_sigma=0.4,p95=0.2,lsi=0 (the default)."),
      QStringLiteral("list"));
  const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Ranking table as CSV."), QStringLiteral("file.csv"));
  const QCommandLineOption vectorOption(QStringLiteral("vector"),
                                        QStringLiteral("Ranked sites as GeoPackage or GeoJSON (.gpkg, .geojson)."), QStringLiteral("file"));
  const QCommandLineOption noSaveOption(QStringLiteral("no-save"), QStringLiteral("Do not store the ranking in the project."));
  parser.addOptions(
      {projectOption, utilityOption, topOption, spacingOption, floorOption, weightsOption, outOption, vectorOption, noSaveOption});
  if (auto problem = parseCommandLine(parser, arguments)) return usage(*problem, kCommand);
  if (parser.isSet(help)) parser.showHelp(kExitOk);
  if (!parser.isSet(projectOption)) return usage(QStringLiteral("--project FILE.gpkg is required"), kCommand);

  core::RankingOptions o;
  const auto utility = core::utilityFromName(parser.value(utilityOption));
  if (!utility) return usage(QStringLiteral("--utility must be one of: %1").arg(core::utilityNames().join(QStringLiteral(", "))), kCommand);
  o.utility = *utility;
  bool ok = false;
  o.topK = parser.value(topOption).toInt(&ok);
  if (!ok || o.topK < 1) return usage(QStringLiteral("--top must be a positive integer"), kCommand);
  o.minSpacing = parser.value(spacingOption).toDouble(&ok);
  if (!ok || o.minSpacing < 0.0) return usage(QStringLiteral("--min-spacing must be ≥ 0 metres"), kCommand);
  o.minDemand = parser.value(floorOption).toDouble(&ok);
  if (!ok || o.minDemand < 0.0) return usage(QStringLiteral("--min-demand must be ≥ 0"), kCommand);
  if (parser.isSet(weightsOption)) {
    auto w = parseWeights(parser.value(weightsOption));
    if (!w) return usage(w.error().message(), kCommand);
    o.weights = *w;
  }

  const QString projectPath = parser.value(projectOption);
  InterruptHandler interrupt("rank");  // Ctrl-C and SIGTERM stop the project's save: it stays as it was
  auto scenario = core::loadScenario(projectPath);
  if (!scenario) return fail(scenario.error());
  const core::GeneratedTraffic* traffic = latestGeneration(*scenario);
  if (!traffic)
    return fail(core::Error(core::ErrorCode::MissingField,
                            QStringLiteral("the project has no candidate generation: run 'netspatial generate' first"), {projectPath}));
  auto utilities = generationUtilities(*scenario, *traffic);
  if (!utilities) return fail(utilities.error());
  auto ranking = core::rankSites(*utilities, o);
  if (!ranking) return fail(ranking.error());

  const QString unit = scenario->metadata.trafficUnit;
  QHash<QString, QString> rationales;
  std::vector<core::SitePoint> selected;
  for (const core::RankedSite& s : ranking->sites)
    if (s.selected) selected.push_back({s.siteId, s.position});
  auto contexts = core::extractContextsAt(*scenario, selected);
  if (!contexts) return fail(contexts.error());
  for (std::size_t i = 0; i < selected.size(); ++i) {
    const core::RankedSite* s = nullptr;
    for (const core::RankedSite& r : ranking->sites)
      if (r.siteId == selected[i].siteId) s = &r;
    rationales.insert(
        s->siteId, core::siteRationale(*s, *ranking, &(*contexts)[i], core::trafficFeatures(traffic->samplesBySite.at(s->siteId)), unit));
  }

  QTextStream out(stdout);
  out << QStringLiteral("Ranked       %1 sites by %2 (%3 below the demand floor, %4 passed over for spacing)\n")
             .arg(ranking->eligible)
             .arg(core::utilityLabel(o.utility))
             .arg(ranking->belowFloor)
             .arg(ranking->skippedForSpacing);
  out << QStringLiteral("\n| rank | site | %1 | σ | mean %2 | p95 %2 | p_topK |\n|---:|---|---:|---:|---:|---:|---:|\n")
             .arg(core::utilityName(o.utility), unit);
  for (const core::RankedSite& s : ranking->sites)
    if (s.selected)
      out << QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 | %7 |\n")
                 .arg(s.rank)
                 .arg(s.siteId, QString::number(s.value, 'g', 4), QString::number(s.utilities.sigma, 'g', 3),
                      QString::number(s.utilities.mean, 'g', 4), QString::number(s.utilities.p95, 'g', 4),
                      QString::number(s.pTopK, 'f', 2));
  out << Qt::endl;
  for (const core::RankedSite& s : ranking->sites)
    if (s.selected) out << s.siteId << ": " << rationales.value(s.siteId) << "\n";
  out.flush();

  if (parser.isSet(outOption)) {
    if (auto s = core::writeRankingCsv(*ranking, scenario->metadata.crs, parser.value(outOption), rationales); !s) return fail(s.error());
    out << QStringLiteral("Wrote        %1\n").arg(parser.value(outOption));
  }
  if (parser.isSet(vectorOption)) {
    if (auto s = core::writeRankedSites(*scenario, *ranking, parser.value(vectorOption)); !s) return fail(s.error());
    out << QStringLiteral("Wrote        %1\n").arg(parser.value(vectorOption));
  }
  if (!parser.isSet(noSaveOption)) {
    std::erase_if(scenario->rankings.mut(), [&](const core::RankingRow& r) { return r.runId == traffic->runId; });
    const QString runId = traffic->runId;
    for (core::RankingRow& row : rankingRows(*ranking, runId)) scenario->rankings.push_back(std::move(row));
    if (auto saved = saveScenarioInterruptibly(*scenario, projectPath); !saved) return fail(saved.error());
    out << QStringLiteral("Saved        the ranking in %1\n").arg(projectPath);
  }
  return kExitOk;
}

}  // namespace netspatial::app::cli
