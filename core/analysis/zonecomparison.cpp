#include "core/analysis/zonecomparison.h"

#include "core/context/sitecontext.h"
#include "core/planning/candidategrid.h"
#include "core/traffic/decomposition.h"
#include "core/traffic/hourlyseries.h"

#include <QSet>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <span>
#include <unordered_map>

namespace netspatial::core {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr double kNaND = std::numeric_limits<double>::quiet_NaN();

struct ResolvedSelection {
  QString label;
  std::vector<const Geometry*> polygons;
  std::vector<Extent> extents;  // one per polygon: a cheap test before the ring walk

  bool contains(PointXY p) const {
    for (std::size_t i = 0; i < polygons.size(); ++i)
      if (extents[i].contains(p) && polygonContains(*polygons[i], p)) return true;
    return false;
  }
};

struct SiteProfile {
  std::vector<float> weekly;  // 168 h, physical unit
  double mean = 0.0;          // mean of the valid hours of `weekly`
};

// Mean and population σ of the valid (non-NaN) values; NaN for both when there are none.
std::pair<double, double> meanAndSigma(std::span<const float> x) {
  double sum = 0.0;
  int n = 0;
  for (float v : x)
    if (!std::isnan(v)) {
      sum += v;
      ++n;
    }
  if (n == 0) return {kNaND, kNaND};
  const double mean = sum / n;
  double ss = 0.0;
  for (float v : x)
    if (!std::isnan(v)) ss += (double(v) - mean) * (double(v) - mean);
  return {mean, std::sqrt(ss / n)};
}

double meanOf(std::span<const float> x) { return meanAndSigma(x).first; }

// Hour-by-hour mean of several 168-h profiles over the profiles that have a value there.
std::vector<float> hourlyMean(const std::vector<const std::vector<float>*>& profiles) {
  std::vector<float> out(kHoursPerWeek, kNaN);
  for (int h = 0; h < kHoursPerWeek; ++h) {
    double sum = 0.0;
    int n = 0;
    for (const std::vector<float>* p : profiles)
      if (!std::isnan((*p)[std::size_t(h)])) {
        sum += (*p)[std::size_t(h)];
        ++n;
      }
    if (n > 0) out[std::size_t(h)] = float(sum / n);
  }
  return out;
}

// Index of the first local Monday 00:00 of a series of `hours` hours from `start`; the search is the
// one the 28-day windows use (core/traffic/hourlyseries.h), so the two agree on what a week is.
Result<std::size_t> mondayOffset(const QDateTime& start, std::size_t hours, const QString& timeZone) {
  HourlySeries probe;
  probe.start = start;
  probe.timeZone = timeZone;
  // A Monday 00:00 is at most a week (plus a DST hour) away; no need to walk a year of hours.
  probe.values.assign(std::min<std::size_t>(hours, kHoursPerWeek + 2), kNaN);
  return firstLocalMondayMidnight(probe);
}

SiteProfile finishSite(std::vector<float> weekly) {
  SiteProfile s;
  s.mean = meanOf(weekly);
  s.weekly = std::move(weekly);
  return s;
}

std::optional<SiteProfile> observedSiteProfile(const std::vector<float>& values, std::size_t offset) {
  if (offset >= values.size()) return std::nullopt;
  SiteProfile s = finishSite(weeklyMeanProfile(std::span<const float>(values).subspan(offset)));
  if (std::isnan(s.mean)) return std::nullopt;  // every hour missing: no traffic to compare
  return s;
}

// The samples' weekly profiles averaged: the expected profile of the site under the generator.
std::optional<SiteProfile> generatedSiteProfile(const std::vector<std::vector<float>>& samples, std::size_t offset) {
  std::vector<std::vector<float>> perSample;
  for (const std::vector<float>& x : samples)
    if (offset < x.size()) perSample.push_back(weeklyMeanProfile(std::span<const float>(x).subspan(offset)));
  if (perSample.empty()) return std::nullopt;
  std::vector<const std::vector<float>*> ptrs;
  for (const auto& p : perSample) ptrs.push_back(&p);
  SiteProfile s = finishSite(hourlyMean(ptrs));
  if (std::isnan(s.mean)) return std::nullopt;
  return s;
}

QString quoted(const QString& label) { return QStringLiteral("“%1”").arg(label); }

ZoneProfileStats shapeStats(const std::vector<float>& shape) {
  ZoneProfileStats st;
  const std::vector<float> daily = dailyTemplates(shape);
  const std::span<const float> weekday = std::span<const float>(daily).first(kHoursPerDay);
  const std::span<const float> weekend = std::span<const float>(daily).last(kHoursPerDay);
  st.peakHourWeekday = peakHourOf(weekday);
  st.peakHourWeekend = peakHourOf(weekend);
  const double wd = meanOf(weekday);
  const double we = meanOf(weekend);
  st.weekdayWeekendRatio = std::isnan(wd) || std::isnan(we) || !(we > 0.0) ? kNaND : wd / we;
  return st;
}

// One zone, one source: the physical mean profile, the requested normalisation and the statistics.
ZoneProfile buildZoneProfile(ZoneTrafficSource source, const QString& label, const QStringList& siteIds,
                             const std::vector<const SiteProfile*>& sites, ProfileNormalisation normalisation, QStringList& warnings) {
  ZoneProfile z;
  z.source = source;
  z.siteIds = siteIds;
  std::vector<const std::vector<float>*> physical;
  std::vector<float> siteMeans;
  for (const SiteProfile* s : sites) {
    physical.push_back(&s->weekly);
    siteMeans.push_back(float(s->mean));
  }
  z.weeklyPhysical = hourlyMean(physical);
  const auto [mean, sigma] = meanAndSigma(z.weeklyPhysical);
  const QString where = QStringLiteral("%1 (%2)").arg(quoted(label), zoneTrafficSourceName(source));

  std::vector<float> shape = z.weeklyPhysical;  // what the peak hours and the ratio describe
  switch (normalisation) {
    case ProfileNormalisation::None:
      z.weekly = z.weeklyPhysical;
      break;
    case ProfileNormalisation::ZoneMean:
      z.weekly.assign(kHoursPerWeek, kNaN);
      if (mean > 0.0) {
        for (int h = 0; h < kHoursPerWeek; ++h) z.weekly[std::size_t(h)] = float(z.weeklyPhysical[std::size_t(h)] / mean);
      } else {
        warnings << QStringLiteral("%1: the zone's mean traffic is zero, so its profile cannot be divided by it").arg(where);
      }
      break;
    case ProfileNormalisation::ZScore:
      z.weekly.assign(kHoursPerWeek, kNaN);
      if (sigma > 0.0) {
        for (int h = 0; h < kHoursPerWeek; ++h) z.weekly[std::size_t(h)] = float((z.weeklyPhysical[std::size_t(h)] - mean) / sigma);
      } else {
        warnings << QStringLiteral("%1: the profile is flat (σ = 0), so it has no z-score").arg(where);
      }
      break;
    case ProfileNormalisation::PerSite: {
      std::vector<std::vector<float>> relative;
      for (std::size_t i = 0; i < sites.size(); ++i) {
        if (!(sites[i]->mean > 0.0)) {
          warnings << QStringLiteral("%1: site %2 has no traffic on average and is left out of the per-site normalisation")
                          .arg(where, siteIds[qsizetype(i)]);
          continue;
        }
        std::vector<float> r(kHoursPerWeek);
        for (int h = 0; h < kHoursPerWeek; ++h) r[std::size_t(h)] = float(sites[i]->weekly[std::size_t(h)] / sites[i]->mean);
        relative.push_back(std::move(r));
      }
      std::vector<const std::vector<float>*> ptrs;
      for (const auto& r : relative) ptrs.push_back(&r);
      z.weekly = ptrs.empty() ? std::vector<float>(kHoursPerWeek, kNaN) : hourlyMean(ptrs);
      shape = z.weekly;
      break;
    }
  }

  z.stats = shapeStats(shape);
  z.stats.siteCount = int(sites.size());
  z.stats.mean = mean;
  z.stats.temporalSigma = sigma;
  z.stats.variationCoefficient = mean > 0.0 ? sigma / mean : kNaND;
  z.stats.siteSigma = meanAndSigma(siteMeans).second;
  return z;
}

}  // namespace

ZoneSelection ZoneSelection::ofZone(qint64 zoneId, QString label) {
  ZoneSelection s;
  s.kind = ZoneSelectionKind::ZoneId;
  s.zoneId = zoneId;
  s.label = std::move(label);
  return s;
}

ZoneSelection ZoneSelection::ofClass(ZoneClass zoneClass, QString label) {
  ZoneSelection s;
  s.kind = ZoneSelectionKind::ZoneClass;
  s.zoneClass = zoneClass;
  s.label = std::move(label);
  return s;
}

ZoneSelection ZoneSelection::ofPolygon(Geometry polygon, QString label) {
  ZoneSelection s;
  s.kind = ZoneSelectionKind::Polygon;
  s.polygon = std::move(polygon);
  s.label = std::move(label);
  return s;
}

QString describeSiteSet(const Scenario& scenario, const QStringList& siteIds) {
  QSet<QString> stations, trafficSites, candidates;
  for (const BaseStation& b : scenario.stations) stations.insert(b.id);
  for (const TrafficSite& t : scenario.trafficSites) trafficSites.insert(t.id);
  for (const Candidate& c : scenario.candidates) candidates.insert(candidateSiteId(c));
  int nStations = 0, nTraffic = 0, nCandidates = 0, nOther = 0;
  for (const QString& id : siteIds) {
    if (trafficSites.contains(id))
      ++nTraffic;
    else if (stations.contains(id))
      ++nStations;
    else if (candidates.contains(id))
      ++nCandidates;
    else
      ++nOther;
  }
  QStringList parts;
  const auto add = [&parts](int n, const char* one, const char* many) {
    if (n > 0) parts << QStringLiteral("%1 %2").arg(n).arg(QString::fromUtf8(n == 1 ? one : many));
  };
  add(nTraffic, "traffic site", "traffic sites");
  add(nStations, "station", "stations");
  add(nCandidates, "candidate cell", "candidate cells");
  add(nOther, "other site", "other sites");
  if (parts.isEmpty()) return QStringLiteral("no site");
  const QString last = parts.takeLast();
  return parts.isEmpty() ? last : QStringLiteral("%1 and %2").arg(parts.join(QStringLiteral(", ")), last);
}

QString zoneTrafficSourceName(ZoneTrafficSource source) {
  switch (source) {
    case ZoneTrafficSource::Observed:
      return QStringLiteral("observed");
    case ZoneTrafficSource::Generated:
      return QStringLiteral("generated");
    case ZoneTrafficSource::Both:
      return QStringLiteral("both");
  }
  return {};
}

QString profileNormalisationName(ProfileNormalisation n) {
  switch (n) {
    case ProfileNormalisation::None:
      return QStringLiteral("none");
    case ProfileNormalisation::ZoneMean:
      return QStringLiteral("zone_mean");
    case ProfileNormalisation::ZScore:
      return QStringLiteral("z_score");
    case ProfileNormalisation::PerSite:
      return QStringLiteral("per_site");
  }
  return {};
}

Result<ZoneComparison> compareZones(const Scenario& scenario, const std::vector<ZoneSelection>& selections,
                                    const ZoneComparisonOptions& options, const GeneratedTraffic* generated) {
  if (selections.empty())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("no zone selected: pick at least one zone or draw an area"));
  const bool wantObserved = options.source != ZoneTrafficSource::Generated;
  const bool wantGenerated = options.source != ZoneTrafficSource::Observed;
  if (wantObserved && scenario.trafficObserved.isEmpty())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the scenario has no observed traffic to compare"));
  if (wantGenerated && (!generated || generated->samplesBySite.empty()))
    return Error(ErrorCode::InvalidArgument, QStringLiteral("there is no generated traffic to compare: generate traffic first"));

  // The areas, each resolved to its polygons.
  std::vector<ResolvedSelection> areas;
  int drawn = 0;
  for (const ZoneSelection& sel : selections) {
    ResolvedSelection area;
    area.label = sel.label;
    switch (sel.kind) {
      case ZoneSelectionKind::ZoneId: {
        for (const Zone& z : scenario.zones)
          if (z.id == sel.zoneId) {
            area.polygons.push_back(&z.polygon);
            if (area.label.isEmpty()) area.label = z.name.isEmpty() ? QStringLiteral("Zone %1").arg(z.id) : z.name;
            break;
          }
        if (area.polygons.empty())
          return Error(ErrorCode::InvalidArgument, QStringLiteral("the scenario has no zone with id %1").arg(sel.zoneId));
        break;
      }
      case ZoneSelectionKind::ZoneClass:
        for (const Zone& z : scenario.zones)
          if (z.zoneClass == sel.zoneClass) area.polygons.push_back(&z.polygon);
        if (area.label.isEmpty()) area.label = zoneClassLabel(sel.zoneClass);
        if (area.polygons.empty())
          return Error(ErrorCode::InvalidArgument,
                       QStringLiteral("the scenario has no zone of class %1").arg(quoted(zoneClassLabel(sel.zoneClass))));
        break;
      case ZoneSelectionKind::Polygon:
        ++drawn;
        if (area.label.isEmpty()) area.label = QStringLiteral("Drawn area %1").arg(drawn);
        if (!sel.polygon.isPolygonal() || sel.polygon.isEmpty() || !(sel.polygon.area() > 0.0))
          return Error(ErrorCode::InvalidGeometry, QStringLiteral("the drawn area %1 is empty or not a polygon").arg(quoted(area.label)));
        area.polygons.push_back(&sel.polygon);
        break;
    }
    for (const Geometry* g : area.polygons) area.extents.push_back(g->extent());
    areas.push_back(std::move(area));
  }

  // Where every site is. Candidates only carry generated traffic, under "C<id>".
  std::unordered_map<QString, PointXY> positions;
  for (const BaseStation& s : scenario.stations) positions.emplace(s.id, s.position);
  for (const TrafficSite& t : scenario.trafficSites) positions.emplace(t.id, t.position);
  if (wantGenerated)
    for (const Candidate& c : scenario.candidates) positions.emplace(candidateSiteId(c), candidateCentre(c));

  ZoneComparison out;
  out.source = options.source;
  out.normalisation = options.normalisation;
  out.unit = scenario.metadata.trafficUnit;
  out.timeZone = scenario.metadata.timeZone;

  // Per-site weekly profiles, by site id (sorted, so each zone's site list comes out sorted).
  std::map<QString, SiteProfile> observedSites, generatedSites;
  if (wantObserved) {
    const HourlyTraffic& obs = scenario.trafficObserved;
    auto offset = mondayOffset(obs.start, obs.hours(), scenario.metadata.timeZone);
    if (!offset)
      return Error(ErrorCode::OutOfExtent, QStringLiteral("observed traffic from %1 (%2 h) cannot be aligned to a week: %3")
                                               .arg(obs.start.toUTC().toString(Qt::ISODate))
                                               .arg(obs.hours())
                                               .arg(offset.error().message()));
    for (const auto& [id, values] : obs.valuesBySite)
      if (auto p = observedSiteProfile(values, *offset)) observedSites.emplace(id, std::move(*p));
  }
  if (wantGenerated) {
    std::size_t hours = 0;
    for (const auto& [id, samples] : generated->samplesBySite)
      for (const auto& x : samples) hours = std::max(hours, x.size());
    std::size_t offset = 0;  // a generation without a start is taken as starting on a local Monday
    if (generated->start.isValid()) {
      auto found = mondayOffset(generated->start, hours, scenario.metadata.timeZone);
      if (!found)
        return Error(
            ErrorCode::OutOfExtent,
            QStringLiteral("generated traffic of run %1 cannot be aligned to a week: %2").arg(generated->runId, found.error().message()));
      offset = *found;
    }
    for (const auto& [id, samples] : generated->samplesBySite)
      if (auto p = generatedSiteProfile(samples, offset)) generatedSites.emplace(id, std::move(*p));
  }

  const auto sitesInside = [&](const ResolvedSelection& area, const std::map<QString, SiteProfile>& sites, QStringList& ids,
                               std::vector<const SiteProfile*>& profiles) {
    for (const auto& [id, profile] : sites) {
      const auto pos = positions.find(id);
      if (pos == positions.end() || !area.contains(pos->second)) continue;
      ids << id;
      profiles.push_back(&profile);
    }
  };

  for (std::size_t i = 0; i < areas.size(); ++i) {
    const ResolvedSelection& area = areas[i];
    ZoneComparisonEntry entry;
    entry.label = area.label;
    entry.selection = selections[i];
    entry.polygonCount = int(area.polygons.size());
    const std::pair<ZoneTrafficSource, const std::map<QString, SiteProfile>*> sources[2] = {
        {ZoneTrafficSource::Observed, wantObserved ? &observedSites : nullptr},
        {ZoneTrafficSource::Generated, wantGenerated ? &generatedSites : nullptr}};
    QStringList missing;
    for (const auto& [source, sites] : sources) {
      if (!sites) continue;
      QStringList ids;
      std::vector<const SiteProfile*> profiles;
      sitesInside(area, *sites, ids, profiles);
      if (profiles.empty()) {
        missing << zoneTrafficSourceName(source);
        continue;
      }
      ZoneProfile z = buildZoneProfile(source, area.label, ids, profiles, options.normalisation, out.warnings);
      (source == ZoneTrafficSource::Observed ? entry.observed : entry.generated) = std::move(z);
    }
    if (!entry.observed && !entry.generated) {
      const QString what = options.source == ZoneTrafficSource::Observed    ? QStringLiteral("with observed traffic")
                           : options.source == ZoneTrafficSource::Generated ? QStringLiteral("with generated traffic")
                                                                            : QStringLiteral("with observed or generated traffic");
      return Error(ErrorCode::InvalidArgument, QStringLiteral("%1 has no site %2 inside").arg(quoted(area.label), what));
    }
    for (const QString& source : missing)
      out.warnings << QStringLiteral("%1: no site with %2 traffic inside").arg(quoted(area.label), source);
    out.zones.push_back(std::move(entry));
  }

  // Which sites are compared, over all the zones (a site counts once).
  QStringList observedIds, generatedIds, labels;
  for (const ZoneComparisonEntry& e : out.zones) {
    if (e.observed) observedIds << e.observed->siteIds;
    if (e.generated) generatedIds << e.generated->siteIds;
    labels << quoted(e.label);
  }
  observedIds.removeDuplicates();
  generatedIds.removeDuplicates();
  QStringList sets;
  if (wantObserved) sets << QStringLiteral("observed: %1").arg(describeSiteSet(scenario, observedIds));
  if (wantGenerated) sets << QStringLiteral("generated: %1").arg(describeSiteSet(scenario, generatedIds));
  out.siteSets = QStringLiteral("%1 — in %2").arg(sets.join(QStringLiteral("; ")), labels.join(QStringLiteral(", ")));
  if (wantGenerated)
    for (const RunRecord& r : scenario.runs)
      if (r.runId == generated->runId) {
        const QString unit = r.parameters.value(QStringLiteral("unit")).toString();
        if (!unit.isEmpty() && unit.trimmed().compare(out.unit.trimmed(), Qt::CaseInsensitive) != 0) out.generatedUnit = unit;
      }
  return out;
}

}  // namespace netspatial::core
