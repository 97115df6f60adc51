#include "core/sim/citysimulator.h"

#include "core/geo/coordinatetransform.h"
#include "core/sim/imagery.h"
#include "core/sim/landuse.h"
#include "core/sim/pois.h"
#include "core/sim/population.h"
#include "core/sim/stations.h"
#include "core/sim/traffic.h"

#include <QTimeZone>

#include <cmath>

namespace netspatial::core {

namespace {

CityPreset makeTown() {
  CityPreset p;
  p.name = QStringLiteral("town");
  p.description = QStringLiteral("3 km market town on a river (Trento): small grid, one centre, one campus");
  p.sizeMetres = 3000.0;
  p.centreLon = 11.1217;
  p.centreLat = 46.0679;
  p.timeZone = QStringLiteral("Europe/Rome");
  p.parameters = {{QStringLiteral("blockMin"), 80.0},    {QStringLiteral("blockMax"), 140.0},
                  {QStringLiteral("arterialEvery"), 5},  {QStringLiteral("orientationMaxDeg"), 30.0},
                  {QStringLiteral("cbdFraction"), 0.22}, {QStringLiteral("subCentres"), 0},
                  {QStringLiteral("parkShare"), 0.08},   {QStringLiteral("industrialShare"), 0.10},
                  {QStringLiteral("universities"), 1},   {QStringLiteral("hubs"), 1},
                  {QStringLiteral("riverWidth"), 35.0},  {QStringLiteral("lakeProbability"), 0.3},
                  {QStringLiteral("densityScale"), 0.8}, {QStringLiteral("macroSpacing"), 600.0},
                  {QStringLiteral("microPerKm2"), 2.0}};
  return p;
}

CityPreset makeCity() {
  CityPreset p;
  p.name = QStringLiteral("city");
  p.description = QStringLiteral("12 km regional capital (Milan): dense core, two hubs, a river and often a lake");
  p.sizeMetres = 12000.0;
  p.centreLon = 9.19;
  p.centreLat = 45.4642;
  p.timeZone = QStringLiteral("Europe/Rome");
  p.parameters = {{QStringLiteral("blockMin"), 100.0},   {QStringLiteral("blockMax"), 180.0},
                  {QStringLiteral("arterialEvery"), 6},  {QStringLiteral("orientationMaxDeg"), 45.0},
                  {QStringLiteral("cbdFraction"), 0.10}, {QStringLiteral("subCentres"), 1},
                  {QStringLiteral("parkShare"), 0.07},   {QStringLiteral("industrialShare"), 0.12},
                  {QStringLiteral("universities"), 2},   {QStringLiteral("hubs"), 2},
                  {QStringLiteral("riverWidth"), 70.0},  {QStringLiteral("lakeProbability"), 0.5},
                  {QStringLiteral("densityScale"), 1.0}, {QStringLiteral("macroSpacing"), 900.0},
                  {QStringLiteral("microPerKm2"), 1.0}};
  return p;
}

CityPreset makeMetropolis() {
  CityPreset p;
  p.name = QStringLiteral("metropolis");
  p.description = QStringLiteral("20 km polycentric metropolis (London): high density, several centres and hubs");
  p.sizeMetres = 20000.0;
  p.centreLon = -0.1276;
  p.centreLat = 51.5072;
  p.timeZone = QStringLiteral("Europe/London");
  p.parameters = {{QStringLiteral("blockMin"), 110.0},   {QStringLiteral("blockMax"), 220.0},
                  {QStringLiteral("arterialEvery"), 5},  {QStringLiteral("orientationMaxDeg"), 90.0},
                  {QStringLiteral("cbdFraction"), 0.09}, {QStringLiteral("subCentres"), 3},
                  {QStringLiteral("parkShare"), 0.06},   {QStringLiteral("industrialShare"), 0.09},
                  {QStringLiteral("universities"), 4},   {QStringLiteral("hubs"), 4},
                  {QStringLiteral("riverWidth"), 110.0}, {QStringLiteral("lakeProbability"), 0.7},
                  {QStringLiteral("densityScale"), 1.5}, {QStringLiteral("macroSpacing"), 1000.0},
                  {QStringLiteral("microPerKm2"), 0.8}};
  return p;
}

Error cancelled() { return Error(ErrorCode::Cancelled, QStringLiteral("city simulation cancelled")); }

}  // namespace

QStringList cityPresetNames() { return {QStringLiteral("town"), QStringLiteral("city"), QStringLiteral("metropolis")}; }

Result<CityPreset> cityPreset(const QString& name) {
  const QString n = name.trimmed().toLower();
  if (n == QLatin1String("town")) return makeTown();
  if (n == QLatin1String("city")) return makeCity();
  if (n == QLatin1String("metropolis")) return makeMetropolis();
  return Error(ErrorCode::InvalidArgument,
               QStringLiteral("unknown city preset '%1' (known: %2)").arg(name, cityPresetNames().join(QStringLiteral(", "))));
}

Result<Scenario> simulateCity(const CityPreset& preset, quint64 seed, Feedback* feedback) {
  using namespace sim;
  auto step = [&](double f, const QString& s) {
    if (feedback) feedback->setProgress(f, s);
  };
  auto isCancelled = [&] { return feedback && feedback->isCancelled(); };
  if (preset.sizeMetres < 500.0 || preset.sizeMetres > 60000.0)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("city size must be 500 m – 60 km, not %1 m").arg(preset.sizeMetres));
  if (preset.imageryPixelMetres <= 0.5 || preset.populationCellMetres < 10.0 || preset.weeks < 1 || preset.weeks > 104)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid preset resolution or length"));
  const QTimeZone zone(preset.timeZone.toUtf8());
  if (!zone.isValid()) return Error(ErrorCode::InvalidArgument, QStringLiteral("unknown time zone '%1'").arg(preset.timeZone));
  const QDateTime localStart = QDateTime::fromString(preset.seriesStartLocal, Qt::ISODate);
  if (!localStart.isValid())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("invalid series start '%1'").arg(preset.seriesStartLocal));
  if (localStart.date().dayOfWeek() != 1 || localStart.time() != QTime(0, 0))
    return Error(ErrorCode::InvalidArgument, QStringLiteral("the series must start on a Monday 00:00 local time"));
  const QDateTime startUtc = QDateTime(localStart.date(), QTime(0, 0), zone).toUTC();

  step(0.0, QStringLiteral("layout"));
  auto crs = Crs::utmForLonLat(preset.centreLon, preset.centreLat);
  if (!crs) return crs.error();
  auto toUtm = CoordinateTransform::create(Crs::wgs84(), *crs);
  if (!toUtm) return toUtm.error();
  auto centreUtm = toUtm->transform({preset.centreLon, preset.centreLat});
  if (!centreUtm) return centreUtm.error();
  // Rounded to 100 m so pixel and population grids align and last-bit PROJ differences vanish.
  const PointXY centre{std::round(centreUtm->x / 100.0) * 100.0, std::round(centreUtm->y / 100.0) * 100.0};

  const SimParams params = simParamsFrom(preset);
  const CityLayout layout = CityLayout::generate(params, seed, centre);
  if (isCancelled()) return cancelled();

  step(0.05, QStringLiteral("population"));
  DemandGrid grid = buildDemandGrid(layout, params, seed);
  if (isCancelled()) return cancelled();
  step(0.10, QStringLiteral("pois"));
  std::vector<Poi> pois = generatePois(layout, params, seed, grid);
  if (isCancelled()) return cancelled();
  step(0.12, QStringLiteral("stations"));
  std::vector<BaseStation> stations = placeStations(layout, params, seed, grid);
  if (isCancelled()) return cancelled();
  step(0.14, QStringLiteral("traffic"));
  Feedback trafficFeedback = Feedback::childOf(feedback, 0.14, 0.40);
  TrafficResult traffic =
      simulateTraffic(layout, params, seed, grid, pois, stations, startUtc, zone, feedback ? &trafficFeedback : nullptr);
  if (traffic.cancelled || isCancelled()) return cancelled();
  step(0.40, QStringLiteral("imagery"));
  Feedback imageryFeedback = Feedback::childOf(feedback, 0.40, 0.95);
  ImageRaster imagery = renderImagery(layout, params, seed, feedback ? &imageryFeedback : nullptr);
  if (isCancelled() || imagery.isEmpty()) return cancelled();
  step(0.95, QStringLiteral("zones"));

  Scenario s;
  // Zones: every parcel (clipped to the extent) and the water bodies.
  std::array<int, kZoneClassCount> counters{};
  const auto& parcels = layout.parcels();
  for (std::size_t k = 0; k < parcels.size(); ++k) {
    if (!parcels[k].alive) continue;
    Geometry g = layout.parcelPolygon(int(k));
    if (g.isEmpty() || g.area() < 50.0) continue;
    Zone z;
    z.id = qint64(s.zones.size()) + 1;
    z.zoneClass = parcels[k].zoneClass;
    z.name = QStringLiteral("%1 %2").arg(zoneClassLabel(z.zoneClass)).arg(++counters[std::size_t(int(z.zoneClass))]);
    z.polygon = std::move(g);
    s.zones.push_back(std::move(z));
  }
  for (Geometry& g : layout.waterPolygons()) {
    Zone z;
    z.id = qint64(s.zones.size()) + 1;
    z.zoneClass = ZoneClass::Water;
    z.name = QStringLiteral("%1 %2").arg(zoneClassLabel(ZoneClass::Water)).arg(++counters[std::size_t(int(ZoneClass::Water))]);
    z.polygon = std::move(g);
    s.zones.push_back(std::move(z));
  }
  s.stations = std::move(stations);
  s.pois = std::move(pois);
  const Extent& e = layout.extent();
  s.aoi.type = GeometryType::Polygon;
  s.aoi.parts = {{{{e.xMin, e.yMin}, {e.xMax, e.yMin}, {e.xMax, e.yMax}, {e.xMin, e.yMax}, {e.xMin, e.yMin}}}};
  s.imagery.grid = std::move(imagery);
  s.population.grid = populationRaster(grid);
  s.trafficObserved = std::move(traffic.traffic);

  ScenarioMetadata& m = s.metadata;
  m.name = QStringLiteral("Synthetic %1 #%2").arg(preset.name).arg(seed);
  m.crs = *crs;
  m.timeZone = preset.timeZone;
  m.trafficUnit = QStringLiteral("MB/h");
  m.seriesStart = startUtc;
  m.preset = preset.name;
  m.seed = seed;
  QVariantMap stationZone, stationShare;
  for (std::size_t i = 0; i < s.stations.size(); ++i) {
    stationZone.insert(s.stations[i].id, zoneClassName(traffic.dominantClass[i]));
    stationShare.insert(s.stations[i].id, traffic.dominantShare[i]);
  }
  m.extra.insert(QStringLiteral("orientationDegrees"), layout.orientationDegrees());
  m.extra.insert(QStringLiteral("holiday"), traffic.holiday.toString(Qt::ISODate));
  m.extra.insert(QStringLiteral("events"), traffic.events);
  m.extra.insert(QStringLiteral("outages"), traffic.outages);
  m.extra.insert(QStringLiteral("seriesStartLocal"), preset.seriesStartLocal);
  // Dominant zone class of each station's coverage (by activity-weighted area) and its share:
  // what the zone-template baseline and the zone comparison group by.
  m.extra.insert(QStringLiteral("stationZoneClass"), stationZone);
  m.extra.insert(QStringLiteral("stationZoneShare"), stationShare);

  RunRecord run;
  run.runId = QStringLiteral("simulate-%1-%2").arg(preset.name).arg(seed);
  run.kind = QStringLiteral("simulate");
  run.modelId = QStringLiteral("citysim:%1").arg(preset.name);
  run.seed = seed;
  run.parameters = preset.parameters;
  run.parameters.insert(QStringLiteral("sizeMetres"), preset.sizeMetres);
  run.parameters.insert(QStringLiteral("imageryPixelMetres"), preset.imageryPixelMetres);
  run.parameters.insert(QStringLiteral("populationCellMetres"), preset.populationCellMetres);
  run.parameters.insert(QStringLiteral("weeks"), preset.weeks);
  run.parameters.insert(QStringLiteral("centreLon"), preset.centreLon);
  run.parameters.insert(QStringLiteral("centreLat"), preset.centreLat);
  run.dataHashes = scenarioDataHashes(s);
  // When it ran (provenance). The scenario's content is identified by `dataHashes`, which the same
  // preset + seed reproduce bit for bit; the run record itself is allowed to differ in time.
  run.time = QDateTime::currentDateTimeUtc();
  run.time.setTime(QTime(run.time.time().hour(), run.time.time().minute(), run.time.time().second()));
  s.runs.push_back(std::move(run));
  step(1.0, QStringLiteral("done"));
  return s;
}

}  // namespace netspatial::core
