#include "core/sim/traffic.h"

#include "core/sim/rng.h"
#include "core/sim/zoneprofiles.h"

#include <algorithm>
#include <cmath>

namespace netspatial::core::sim {

namespace {

// Traffic generated per m² of each class relative to its residents/POIs (crowds in offices,
// travellers at hubs): weights the profile mix, not the volume.
double classActivity(ZoneClass c) {
  switch (c) {
    case ZoneClass::Cbd:
      return 3.0;
    case ZoneClass::Commercial:
      return 2.5;
    case ZoneClass::ResidentialHigh:
      return 2.0;
    case ZoneClass::ResidentialLow:
      return 0.8;
    case ZoneClass::University:
      return 1.8;
    case ZoneClass::Industrial:
      return 0.7;
    case ZoneClass::TransportHub:
      return 5.0;
    case ZoneClass::Park:
      return 0.3;
    case ZoneClass::Water:
      return 0.02;
    case ZoneClass::Mixed:
      return 2.0;
  }
  return 1.0;
}

struct CityEvent {
  PointXY at;
  int startHour = 0;
  int duration = 0;
  double magnitude = 1.0;
};

constexpr double kArPhi = 0.75;    // hour-to-hour persistence of the residual
constexpr double kArSigma = 0.12;  // stationary sd of the log residual
constexpr double kEventReach = 700.0;
constexpr double kMacroCarrier = 2000.0;  // MB/h per carrier
constexpr double kMicroCarrier = 600.0;

}  // namespace

TrafficResult simulateTraffic(const CityLayout& layout, const SimParams& params, std::uint64_t seed, const DemandGrid& grid,
                              const std::vector<Poi>& pois, std::vector<BaseStation>& stations, const QDateTime& startUtc,
                              const QTimeZone& zone, Feedback* feedback) {
  TrafficResult out;
  out.traffic.start = startUtc;
  const int hours = params.weeks * 168;

  // Local calendar of every hour (DST included): day of week, hour, local day index.
  const std::size_t nHours = static_cast<std::size_t>(hours);
  std::vector<int> dow(nHours), hod(nHours), dayIndex(nHours);
  const QDate firstLocal = startUtc.toTimeZone(zone).date();
  for (int i = 0; i < hours; ++i) {
    const QDateTime t = startUtc.addSecs(qint64(i) * 3600).toTimeZone(zone);
    dow[std::size_t(i)] = t.date().dayOfWeek() - 1;
    hod[std::size_t(i)] = t.time().hour();
    dayIndex[std::size_t(i)] = int(firstLocal.daysTo(t.date()));
  }
  Rng cityRng(seed, 601);
  // One public holiday on a weekday of weeks 2–7: it behaves like a Sunday.
  const int holidayDay = 7 * (1 + cityRng.uniformInt(std::max(1, params.weeks - 2))) + cityRng.uniformInt(5);
  out.holiday = firstLocal.addDays(holidayDay);

  // City events at entertainment (or, failing that, sports) venues: concerts, matches.
  std::vector<const Poi*> venues;
  for (const Poi& p : pois)
    if (p.category == PoiCategory::Entertainment) venues.push_back(&p);
  if (venues.empty())
    for (const Poi& p : pois)
      if (p.category == PoiCategory::SportsLeisure) venues.push_back(&p);
  std::vector<CityEvent> events;
  if (!venues.empty()) {
    const int count = std::clamp(int(venues.size()) / 4, 3, 12) * params.weeks / 4;
    for (int k = 0; k < count; ++k) {
      CityEvent ev;
      ev.at = venues[std::size_t(cityRng.uniformInt(int(venues.size())))]->position;
      // Mostly Friday/Saturday evenings, some afternoons.
      const int week = cityRng.uniformInt(params.weeks);
      const int day = cityRng.chance(0.7) ? 4 + cityRng.uniformInt(2) : cityRng.uniformInt(7);
      const int hour = cityRng.chance(0.75) ? 19 + cityRng.uniformInt(3) : 14 + cityRng.uniformInt(4);
      ev.startHour = week * 168 + day * 24 + hour;
      ev.duration = 2 + cityRng.uniformInt(4);
      ev.magnitude = cityRng.uniform(0.8, 2.2);
      events.push_back(ev);
    }
  }
  out.events = int(events.size());

  std::array<WeeklyProfile, kZoneClassCount> profiles;
  for (int c = 0; c < kZoneClassCount; ++c) profiles[std::size_t(c)] = zoneWeeklyProfile(ZoneClass(c));

  out.dominantClass.resize(stations.size());
  out.dominantShare.resize(stations.size());
  for (std::size_t si = 0; si < stations.size(); ++si) {
    if ((si & 7) == 0) {
      if (feedback && feedback->isCancelled()) {
        out.cancelled = true;
        return out;
      }
      if (feedback) feedback->setProgress(double(si) / double(stations.size()), QStringLiteral("traffic"));
    }
    BaseStation& st = stations[si];
    Rng rng(seed, 602, si);
    const bool macro = st.type == StationType::Macro;
    const double radius = macro ? 550.0 : 250.0;
    const double sigma2 = 2.0 * (radius * 0.5) * (radius * 0.5);
    // Coverage: Gaussian kernel over the 100 m cells around the site.
    std::array<double, kZoneClassCount> mix{};
    double people = 0.0, activity = 0.0;
    int c0, r0;
    grid.cellOf(st.position, c0, r0);
    const int span = int(std::ceil(radius * 1.5 / grid.cell));
    for (int r = std::max(0, r0 - span); r <= std::min(grid.height - 1, r0 + span); ++r) {
      for (int c = std::max(0, c0 - span); c <= std::min(grid.width - 1, c0 + span); ++c) {
        const PointXY cc = grid.cellCentre(c, r);
        const double d2 = (cc.x - st.position.x) * (cc.x - st.position.x) + (cc.y - st.position.y) * (cc.y - st.position.y);
        const double k = std::exp(-d2 / sigma2);
        const std::size_t idx = grid.index(c, r);
        people += k * grid.population[idx];
        activity += k * grid.poiActivity[idx];
        for (int z = 0; z < kZoneClassCount; ++z)
          mix[std::size_t(z)] += k * grid.classArea[idx][std::size_t(z)] * classActivity(ZoneClass(z));
      }
    }
    double mixTotal = 0.0;
    for (double m : mix) mixTotal += m;
    if (mixTotal <= 0.0) {
      mix[int(ZoneClass::ResidentialLow)] = 1.0;
      mixTotal = 1.0;
    }
    int best = 0;
    for (int z = 1; z < kZoneClassCount; ++z)
      if (mix[std::size_t(z)] > mix[std::size_t(best)]) best = z;
    out.dominantClass[si] = ZoneClass(best);
    out.dominantShare[si] = mix[std::size_t(best)] / mixTotal;
    WeeklyProfile profile{};
    for (int z = 0; z < kZoneClassCount; ++z) {
      const double w = mix[std::size_t(z)] / mixTotal;
      if (w <= 0.0) continue;
      for (std::size_t h = 0; h < 168; ++h) profile[h] += w * profiles[std::size_t(z)][h];
    }
    // Volume at the profile peak: residents and POI activity covered, a per-site factor
    // (antenna height, operator share) and smaller micro cells.
    const double volume =
        (params.trafficPerPerson * people + params.trafficPerPoi * activity) * (macro ? 1.0 : 0.6) * std::exp(rng.normal(0.0, 0.15)) + 5.0;

    // Outage: a few hours of zeros (site down) or a drop (one sector down).
    int outageStart = -1, outageLen = 0;
    double outageFactor = 0.0;
    if (rng.chance(0.15)) {
      outageStart = rng.uniformInt(hours - 12);
      outageLen = 2 + rng.uniformInt(7);
      outageFactor = rng.chance(0.5) ? 0.0 : rng.uniform(0.2, 0.5);
      ++out.outages;
    }
    std::vector<float> series(static_cast<std::size_t>(hours));
    double e = rng.normal(0.0, kArSigma);
    const double innovation = kArSigma * std::sqrt(1.0 - kArPhi * kArPhi);
    for (int i = 0; i < hours; ++i) {
      e = kArPhi * e + innovation * rng.normal();
      const int d = dayIndex[std::size_t(i)] == holidayDay ? 6 : dow[std::size_t(i)];
      double v = volume * profile[std::size_t(d * 24 + hod[std::size_t(i)])] * std::exp(e - 0.5 * kArSigma * kArSigma);
      for (const CityEvent& ev : events) {
        if (i < ev.startHour || i >= ev.startHour + ev.duration) continue;
        const double dist = std::hypot(ev.at.x - st.position.x, ev.at.y - st.position.y);
        if (dist < kEventReach) v *= 1.0 + ev.magnitude * std::exp(-dist * dist / (2.0 * 250.0 * 250.0));
      }
      if (i >= outageStart && i < outageStart + outageLen) v *= outageFactor;
      series[std::size_t(i)] = float(std::max(0.0, v));
    }
    // Capacity: whole carriers, enough for the 99th percentile with 20 % headroom.
    std::vector<float> sorted = series;
    std::sort(sorted.begin(), sorted.end());
    const double p99 = sorted[std::size_t(double(sorted.size() - 1) * 0.99)];
    const double carrier = macro ? kMacroCarrier : kMicroCarrier;
    st.capacity = carrier * std::max(1.0, std::ceil(p99 * 1.2 / carrier));
    out.traffic.valuesBySite[st.id] = std::move(series);
  }
  return out;
}

}  // namespace netspatial::core::sim
