#include "core/import/scenarioimport.h"

#include "core/geo/coordinatetransform.h"
#include "core/geo/gdalsupport.h"
#include "core/geo/rasterdataset.h"
#include "core/geo/vectorreader.h"
#include "core/import/osmsource.h"
#include "core/traffic/longcsvimport.h"
#include "core/util/filehash.h"

#include <QDateTime>
#include <QFileInfo>
#include <QTemporaryDir>

#include <gdal.h>
#include <ogr_api.h>

#include <cmath>
#include <set>

namespace netspatial::core {

namespace {

Status cancelled(Feedback* feedback) {
  if (feedback && feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("the import was cancelled"));
  return {};
}

Result<Extent> toLonLat(const Extent& extent, const Crs& crs, const QString& file) { return fileExtentLonLat(extent, crs, file); }

// The bounds of a vector source in WGS 84: every layer of an OGR dataset (an OSM file has several),
// or a CSV's coordinate columns.
Result<Extent> vectorLonLat(const QString& path, const PointSource* csv = nullptr) {
  if (QFileInfo(path).suffix().compare(QStringLiteral("csv"), Qt::CaseInsensitive) == 0) {
    VectorReadOptions read;
    if (csv) {
      read.xField = csv->xField;
      read.yField = csv->yField;
      read.csvCrs = csv->csvCrs;
    }
    auto layer = readVectorLayer(path, read);
    if (!layer) return layer.error();
    return toLonLat(layer->extent(), layer->crs, path);
  }
  if (!QFileInfo::exists(path)) return Error(ErrorCode::FileNotFound, QStringLiteral("no such file"), {path});
  // An .osm file in Overpass's order reads as empty through GDAL: its extent is the ordered copy's.
  QString readPath = path;
  QTemporaryDir scratch;
  if (detail::isOsmFile(path)) {
    bool reordered = false;
    auto ordered = detail::osmFileInDriverOrder(path, scratch, &reordered);
    if (!ordered) return ordered.error();
    readPath = *ordered;
  }
  detail::ensureGdalRegistered();
  detail::GdalErrorScope errors;
  detail::DatasetPtr ds(GDALOpenEx(readPath.toUtf8().constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!ds) return Error(ErrorCode::UnsupportedFormat, QStringLiteral("not a vector file GDAL can read"), {path});
  Extent all;
  if (detail::isOsmFile(path)) {
    // The OSM driver reads its layers interleaved and knows no extent before reading: every
    // feature, in file order, through the dataset (what GDAL recommends for it). OSM is WGS 84.
    OGRLayerH layer = nullptr;
    while (OGRFeatureH f = GDALDatasetGetNextFeature(ds.get(), &layer, nullptr, nullptr, nullptr)) {
      detail::FeaturePtr guard(f);
      if (OGRGeometryH g = OGR_F_GetGeometryRef(f); g && !OGR_G_IsEmpty(g)) {
        OGREnvelope env;
        OGR_G_GetEnvelope(g, &env);
        all.include(Extent::fromCorners(env.MinX, env.MinY, env.MaxX, env.MaxY));
      }
    }
    if (all.isEmpty()) return Error(ErrorCode::CorruptData, QStringLiteral("the OpenStreetMap file holds no features"), {path});
    return all;
  }
  for (int i = 0; i < GDALDatasetGetLayerCount(ds.get()); ++i) {
    OGRLayerH layer = GDALDatasetGetLayer(ds.get(), i);
    OGREnvelope env;
    if (OGR_L_GetExtent(layer, &env, TRUE) != OGRERR_NONE) continue;  // an empty layer
    auto e =
        toLonLat(Extent::fromCorners(env.MinX, env.MinY, env.MaxX, env.MaxY), detail::crsFromSpatialRef(OGR_L_GetSpatialRef(layer)), path);
    if (!e) return e.error();
    all.include(*e);
  }
  if (all.isEmpty()) return Error(ErrorCode::CorruptData, QStringLiteral("the file holds no features"), {path});
  return all;
}

Result<Extent> rasterLonLat(const QString& path) {
  auto raster = RasterDataset::open(path);
  if (!raster) return raster.error();
  return toLonLat(raster->info().extent, raster->info().crs, path);
}

// The union, in WGS 84, of every layer given: the extent when neither an AOI nor --extent is. Layers
// that do not overlap are refused: their union would be a scenario of mostly nothing (an OSM extract
// of Leeds with imagery of Olinda would make one 7,000 km wide, in the wrong UTM zone).
}  // namespace

Result<Extent> fileExtentLonLat(const Extent& extent, const Crs& crs, const QString& file) {
  if (!crs.isValid()) return Error(ErrorCode::UnknownCrs, QStringLiteral("the file has no coordinate reference system"), {file});
  auto transform = CoordinateTransform::create(crs, Crs::wgs84());
  if (!transform) return transform.error().withFile(file);
  auto e = transform->transformExtent(extent);
  if (!e) return e.error().withFile(file);
  return *e;
}

Result<Extent> layersLonLatExtent(const ScenarioImportOptions& o) {
  std::vector<std::pair<QString, Extent>> layers;
  auto add = [&](const QString& path, Result<Extent> e) -> Status {
    if (!e) return e.error();
    layers.emplace_back(path, *e);
    return {};
  };
  if (o.stations) NS_TRY(add(o.stations->source.path, vectorLonLat(o.stations->source.path, &o.stations->source)));
  if (o.trafficSites) NS_TRY(add(o.trafficSites->source.path, vectorLonLat(o.trafficSites->source.path, &o.trafficSites->source)));
  if (o.pois) NS_TRY(add(o.pois->path, vectorLonLat(o.pois->path)));
  if (o.zones) NS_TRY(add(o.zones->path, vectorLonLat(o.zones->path)));
  if (o.imagery) NS_TRY(add(o.imagery->path, rasterLonLat(o.imagery->path)));
  if (o.population) {
    auto raster = RasterDataset::open(o.population->path);
    NS_TRY(add(o.population->path,
               raster ? toLonLat(raster->info().extent, raster->info().crs, o.population->path) : vectorLonLat(o.population->path)));
  }
  if (layers.empty())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("no layer given: name at least one file, an AOI or an extent"));
  Extent all;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    // A point layer's extent may be a point or a line: compare with a margin of ~1 km.
    Extent a = layers[i].second;
    a.include(PointXY{a.xMin - 0.01, a.yMin - 0.01});
    a.include(PointXY{a.xMax + 0.01, a.yMax + 0.01});
    for (std::size_t j = 0; j < i; ++j)
      if (!a.intersects(layers[j].second))
        return Error(ErrorCode::OutOfExtent,
                     QStringLiteral("does not overlap %1: give an AOI or --extent, or layers of the same place")
                         .arg(QFileInfo(layers[j].first).fileName()),
                     {layers[i].first});
    all.include(layers[i].second);
  }
  return all;
}

Result<ScenarioImport> importScenario(const ScenarioImportOptions& o, Feedback* feedback) {
  if (!o.trafficPath.isEmpty() && !o.trafficSites)
    return Error(ErrorCode::InvalidArgument, QStringLiteral("observed traffic needs its sites (--traffic-sites)"), {o.trafficPath});
  if (!o.trafficPath.isEmpty() && o.trafficUnit.trimmed().isEmpty())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("observed traffic needs its unit (--traffic-unit, e.g. MB/h)"),
                 {o.trafficPath});
  if (o.extentLonLat && !o.aoiPath.isEmpty())
    return Error(ErrorCode::InvalidArgument, QStringLiteral("give an AOI or an extent, not both"));

  ScenarioImport out;
  Scenario& s = out.scenario;
  s.metadata.name = o.name.isEmpty() ? QStringLiteral("imported") : o.name;

  // 1. The extent in WGS 84, and the AOI in its own CRS.
  if (feedback) feedback->setProgress(0.0, QStringLiteral("finding the extent"));
  Extent lonLat;
  std::optional<VectorLayer> aoiLayer;
  if (!o.aoiPath.isEmpty()) {
    auto layer = readVectorLayer(o.aoiPath);
    if (!layer) return layer.error();
    qint64 row = 0;
    for (const Feature& f : layer->features) {
      ++row;
      if (!f.geometry.isPolygonal())
        return Error(ErrorCode::InvalidGeometry, QStringLiteral("an area of interest must be polygons"),
                     {o.aoiPath, row, QStringLiteral("geometry")});
    }
    if (layer->features.empty()) return Error(ErrorCode::CorruptData, QStringLiteral("the AOI file has no polygon"), {o.aoiPath});
    auto e = toLonLat(layer->extent(), layer->crs, o.aoiPath);
    if (!e) return e.error();
    lonLat = *e;
    aoiLayer = std::move(*layer);
  } else if (o.extentLonLat) {
    lonLat = *o.extentLonLat;
    if (lonLat.isEmpty() || lonLat.width() <= 0.0 || lonLat.height() <= 0.0 || lonLat.xMin < -180.0 || lonLat.xMax > 180.0 ||
        lonLat.yMin < -90.0 || lonLat.yMax > 90.0)
      return Error(ErrorCode::InvalidValue, QStringLiteral("the extent must be minlon,minlat,maxlon,maxlat in degrees, min < max"),
                   {{}, std::nullopt, QStringLiteral("extent")});
  } else {
    auto e = layersLonLatExtent(o);
    if (!e) return e.error();
    lonLat = *e;
  }
  NS_TRY(cancelled(feedback));
  // A city, not a continent: every layer is read whole into memory over this extent.
  const double widthKm = lonLat.width() * 111.32 * std::cos(lonLat.centre().y * M_PI / 180.0), heightKm = lonLat.height() * 110.57;
  if (widthKm > o.limits.maxExtentKm || heightKm > o.limits.maxExtentKm)
    return Error(ErrorCode::OutOfExtent,
                 QStringLiteral("the extent is %1 × %2 km, more than the %3 km a scenario may span: give an AOI or --extent")
                     .arg(widthKm, 0, 'f', 0)
                     .arg(heightKm, 0, 'f', 0)
                     .arg(o.limits.maxExtentKm, 0, 'f', 0),
                 {{}, std::nullopt, QStringLiteral("extent")});

  // 2. The scenario CRS: the user's, or the UTM zone of the centre.
  if (o.crs.isEmpty()) {
    auto utm = Crs::utmForLonLat(lonLat.centre().x, lonLat.centre().y);
    if (!utm) return utm.error();
    s.metadata.crs = *utm;
  } else {
    auto crs = Crs::fromUserInput(o.crs);
    if (!crs) return crs.error().withField(QStringLiteral("crs"));
    if (crs->isGeographic())
      return Error(ErrorCode::UnknownCrs, QStringLiteral("%1 is geographic: the scenario needs a projected CRS in metres").arg(o.crs),
                   {{}, std::nullopt, QStringLiteral("crs")});
    s.metadata.crs = *crs;
  }
  ImportTarget target;
  target.crs = s.metadata.crs;
  target.limits = o.limits;
  {
    auto toScenario = CoordinateTransform::create(Crs::wgs84(), target.crs);
    if (!toScenario) return toScenario.error();
    auto e = toScenario->transformExtent(lonLat);
    if (!e) return e.error();
    target.extent = *e;
  }
  if (aoiLayer) {
    auto toScenario = CoordinateTransform::create(aoiLayer->crs, target.crs);
    if (!toScenario) return toScenario.error().withFile(o.aoiPath);
    Geometry aoi;
    aoi.type = GeometryType::MultiPolygon;
    for (const Feature& f : aoiLayer->features) {
      auto g = toScenario->transform(f.geometry);
      if (!g) return g.error().withFile(o.aoiPath);
      for (auto& part : g->parts) aoi.parts.push_back(std::move(part));
    }
    if (aoi.parts.size() == 1) aoi.type = GeometryType::Polygon;
    s.aoi = std::move(aoi);
  }

  // 3. The layers, each optional; every error fails the import. Each records its source.
  const auto record = [&](const char* modality, const QString& source) {
    s.metadata.extra.insert(QStringLiteral("modality.") + QString::fromLatin1(modality), source);
  };
  const auto fileName = [](const QString& path) { return QFileInfo(path).fileName(); };
  const auto step = [&](double at, const QString& what) -> Status {
    NS_TRY(cancelled(feedback));
    if (feedback) feedback->setProgress(at, what);
    return {};
  };
  if (o.stations) {
    NS_TRY(step(0.1, QStringLiteral("reading the stations")));
    auto stations = importStations(*o.stations, target, &out.report);
    if (!stations) return stations.error();
    record("stations", fileName(o.stations->source.path));
    s.stations = std::move(*stations);
  }
  if (o.trafficSites) {
    NS_TRY(step(0.2, QStringLiteral("reading the traffic sites")));
    auto sites = importTrafficSites(*o.trafficSites, target, &out.report);
    if (!sites) return sites.error();
    // Station and traffic-site ids share one namespace (DESIGN.md §3).
    std::set<QString> stationIds;
    for (const BaseStation& b : s.stations) stationIds.insert(b.id);
    for (const TrafficSite& t : *sites)
      if (stationIds.count(t.id))
        return Error(ErrorCode::InvalidValue, QStringLiteral("traffic site id '%1' is also a station's id").arg(t.id),
                     {o.trafficSites->source.path, std::nullopt, o.trafficSites->idField});
    record("traffic_sites", fileName(o.trafficSites->source.path));
    s.trafficSites = std::move(*sites);
  }
  if (!o.trafficPath.isEmpty()) {
    NS_TRY(step(0.3, QStringLiteral("reading the observed traffic")));
    LongCsvOptions csv;
    csv.timeZone = o.timeZone;
    // The traffic file names sites as the sites file does, before any prefix.
    const QString& prefix = o.trafficSites->idPrefix;
    std::set<QString> known;
    for (const TrafficSite& t : s.trafficSites) known.insert(t.id.mid(prefix.size()));
    csv.knownSites = known;
    auto traffic = importLongCsvTraffic(o.trafficPath, csv);
    if (!traffic) return traffic.error();
    if (!prefix.isEmpty()) {
      std::map<QString, std::vector<float>> renamed;
      for (auto& [id, values] : traffic->traffic.valuesBySite.mut()) renamed.emplace(prefix + id, std::move(values));
      traffic->traffic.valuesBySite = std::move(renamed);
    }
    s.trafficObserved = traffic->traffic;
    s.metadata.seriesStart = traffic->traffic.start;
    s.metadata.timeZone = traffic->timeZone;
    s.metadata.trafficUnit = o.trafficUnit.trimmed();
    record("traffic", fileName(o.trafficPath));
  } else if (!o.timeZone.isEmpty()) {
    s.metadata.timeZone = o.timeZone;
  }
  if (o.pois) {
    NS_TRY(step(0.4, QStringLiteral("reading the points of interest")));
    auto pois = importPois(*o.pois, target, &out.report);
    if (!pois) return pois.error();
    record("pois", fileName(o.pois->path));
    s.pois = std::move(*pois);
  }
  if (o.zones) {
    NS_TRY(step(0.5, QStringLiteral("reading the zones")));
    auto zones = importZones(*o.zones, target, &out.report);
    if (!zones) return zones.error();
    record("zones", fileName(o.zones->path));
    s.zones = std::move(*zones);
  }
  if (o.imagery) {
    NS_TRY(step(0.6, QStringLiteral("warping the imagery")));
    auto imagery = importImagery(*o.imagery, target, &out.report);
    if (!imagery) return imagery.error();
    record("imagery", imagery->description);
    s.imagery.grid = std::move(imagery->image);
  }
  if (o.population) {
    NS_TRY(step(0.8, QStringLiteral("resampling the population")));
    auto population = importPopulation(*o.population, target, &out.report);
    if (!population) return population.error();
    record("population", population->description);
    s.population.grid = std::move(population->grid);
  }

  // 4. Provenance: every source file's SHA-256.
  NS_TRY(step(0.95, QStringLiteral("hashing the source files")));
  RunRecord run;
  run.time = QDateTime::currentDateTimeUtc();
  run.runId = QStringLiteral("import-scenario-%1").arg(run.time.toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")));
  run.kind = QStringLiteral("import");
  run.modelId = QStringLiteral("scenario");
  run.parameters.insert(QStringLiteral("crs"), s.metadata.crs.authId());
  run.parameters.insert(QStringLiteral("extent_lonlat"), QStringLiteral("%1,%2,%3,%4")
                                                             .arg(lonLat.xMin, 0, 'f', 6)
                                                             .arg(lonLat.yMin, 0, 'f', 6)
                                                             .arg(lonLat.xMax, 0, 'f', 6)
                                                             .arg(lonLat.yMax, 0, 'f', 6));
  std::vector<std::pair<QString, QString>> sources;
  if (!o.aoiPath.isEmpty()) sources.emplace_back(QStringLiteral("aoi"), o.aoiPath);
  if (o.stations) sources.emplace_back(QStringLiteral("stations"), o.stations->source.path);
  if (o.trafficSites) sources.emplace_back(QStringLiteral("traffic_sites"), o.trafficSites->source.path);
  if (!o.trafficPath.isEmpty()) sources.emplace_back(QStringLiteral("traffic"), o.trafficPath);
  if (o.pois) sources.emplace_back(QStringLiteral("pois"), o.pois->path);
  if (o.zones) sources.emplace_back(QStringLiteral("zones"), o.zones->path);
  if (o.imagery) sources.emplace_back(QStringLiteral("imagery"), o.imagery->path);
  if (o.population) sources.emplace_back(QStringLiteral("population"), o.population->path);
  for (const auto& [what, path] : sources) {
    auto hash = fileSha256(path);
    if (!hash) return hash.error();
    run.dataHashes.insert(what, *hash);
    run.parameters.insert(what, QFileInfo(path).fileName());
  }
  s.runs.push_back(std::move(run));
  if (feedback) feedback->setProgress(1.0, QStringLiteral("imported"));
  return out;
}

}  // namespace netspatial::core
