#include "core/planning/rationale.h"

#include "core/traffic/decomposition.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <map>

namespace netspatial::core {

TrafficFeatures trafficFeatures(const std::vector<std::vector<float>>& samples) {
  TrafficFeatures f;
  if (samples.empty() || samples.front().size() < std::size_t(kHoursPerWeek)) return f;
  std::vector<float> mean(samples.front().size(), 0.0f);
  for (const auto& s : samples)
    for (std::size_t t = 0; t < mean.size() && t < s.size(); ++t) mean[t] += s[t] / float(samples.size());
  const std::vector<float> daily = dailyTemplates(mean);
  f.peakHourWeekday = peakHourOf(std::span<const float>(daily).first(kHoursPerDay));
  double weekday = 0.0, weekend = 0.0;
  for (int h = 0; h < kHoursPerDay; ++h) {
    weekday += daily[std::size_t(h)];
    weekend += daily[std::size_t(kHoursPerDay + h)];
  }
  f.weekdayWeekendRatio = weekend > 0.0 ? weekday / weekend : 0.0;
  return f;
}

namespace {

QString number(double v, int precision = 3) { return QLocale::c().toString(v, 'g', precision); }

// Share of eligible ranked sites whose value of `get` is below this site's.
double shareBelow(const Ranking& ranking, double value, double (*get)(const SiteUtilities&)) {
  int below = 0, n = 0;
  for (const RankedSite& r : ranking.sites) {
    if (r.rank == 0) continue;
    ++n;
    below += get(r.utilities) < value ? 1 : 0;
  }
  return n ? double(below) / double(n) : 0.0;
}

}  // namespace

QString poiMixText(const SiteContext& c) {
  if (!c.poisKnown) return QStringLiteral("no POI data");
  if (c.pois.empty()) return QStringLiteral("no POIs within 500 m");
  std::map<PoiCategory, int> counts;
  for (const NearbyPoi& p : c.pois) ++counts[p.category];
  std::vector<std::pair<int, PoiCategory>> sorted;
  for (const auto& [cat, n] : counts) sorted.push_back({n, cat});
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  QStringList top;
  for (std::size_t i = 0; i < sorted.size() && i < 3; ++i)
    top << QStringLiteral("%1 (%2)").arg(poiCategoryLabel(sorted[i].second).toLower()).arg(sorted[i].first);
  return QStringLiteral("%1 POI%2 within 500 m, mostly %3")
      .arg(c.pois.size())
      .arg(c.pois.size() == 1 ? "" : "s", top.join(QStringLiteral(", ")));
}

QString siteRationale(const RankedSite& site, const Ranking& ranking, const SiteContext* context, const TrafficFeatures& traffic,
                      const QString& unit) {
  QStringList parts;
  const SiteUtilities& u = site.utilities;
  const QString utility = utilityName(ranking.options.utility);
  if (site.rank > 0) {
    const double top = 100.0 * double(site.rank) / double(std::max(1, ranking.eligible));
    parts << QStringLiteral("Rank %1 of %2 by %3%4 (top %5 %).")
                 .arg(site.rank)
                 .arg(ranking.eligible)
                 .arg(utility, site.selected ? QStringLiteral(", selected") : QString())
                 .arg(number(std::max(top, 0.1), 2));
  } else {
    parts << QStringLiteral("Not ranked: %1.").arg(site.excludedBecause);
  }
  if (context) {
    QString where =
        context->zoneClass ? zoneClassLabel(*context->zoneClass) + QStringLiteral(" zone") : QStringLiteral("Outside the mapped zones");
    where += QStringLiteral("; ") + poiMixText(*context);
    if (context->population)
      where += QStringLiteral("; %1 residents within 500 m").arg(QLocale::c().toString(qRound64(*context->population)));
    if (context->stationsNearby > 0)
      where +=
          QStringLiteral("; %1 existing station%2 within 500 m").arg(context->stationsNearby).arg(context->stationsNearby == 1 ? "" : "s");
    parts << where + QLatin1Char('.');
  }
  if (traffic.peakHourWeekday >= 0) {
    QString t = QStringLiteral("Weekday traffic peaks at %1:00").arg(traffic.peakHourWeekday, 2, 10, QLatin1Char('0'));
    if (traffic.weekdayWeekendRatio > 0.0) {
      const double r = traffic.weekdayWeekendRatio;
      t += r >= 1.1   ? QStringLiteral("; weekdays carry %1× the weekend load").arg(number(r, 2))
           : r <= 0.9 ? QStringLiteral("; weekends carry %1× the weekday load").arg(number(1.0 / r, 2))
                      : QStringLiteral("; weekdays and weekends are alike");
    }
    parts << t + QLatin1Char('.');
  }
  const double demandShare = shareBelow(ranking, u.mean, [](const SiteUtilities& s) { return s.mean; });
  const double sigmaShare = shareBelow(ranking, u.sigma, [](const SiteUtilities& s) { return s.sigma; });
  parts << QStringLiteral("Mean demand %1 %2 (p95 %3 %2), above %4 % of ranked candidates; σ = %5 (normalised), more volatile than %6 %.")
               .arg(number(u.mean), unit, number(u.p95))
               .arg(qRound(100.0 * demandShare))
               .arg(number(u.sigma))
               .arg(qRound(100.0 * sigmaShare));
  if (ranking.options.utility == Utility::Lsi && site.rank > 0 && demandShare < 0.5)
    parts << QStringLiteral("Caution: LSI rewards quiet places; this site's demand is below the median — consider a demand floor.");
  if (site.rank > 0 && !u.perSample.empty())
    parts << QStringLiteral("In the top %1 in %2 % of the %3 samples.")
                 .arg(ranking.options.topK)
                 .arg(qRound(100.0 * site.pTopK))
                 .arg(u.perSample.size());
  if (!site.excludedBecause.isEmpty() && site.rank > 0) parts << QStringLiteral("Passed over: %1.").arg(site.excludedBecause);
  return parts.join(QLatin1Char(' '));
}

}  // namespace netspatial::core
