#include "core/import/scenariopreview.h"

#include "core/geo/coordinatetransform.h"
#include "core/geo/gdalhandles.h"
#include "core/geo/gdalsupport.h"
#include "core/geo/vectorreader.h"
#include "core/import/osmsource.h"
#include "core/import/sourceprobe.h"
#include "core/scenario/modalities.h"

#include <QFileInfo>
#include <QLocale>
#include <QTemporaryDir>
#include <QTimeZone>

#include <gdal.h>
#include <gdal_alg.h>
#include <ogr_api.h>

#include <cmath>
#include <map>
#include <set>

namespace netspatial::core {

namespace {

QString fileName(const QString& path) { return QFileInfo(path).fileName(); }

// 377 779: digits grouped by thin spaces, as the studio writes counts.
QString count(double n) { return QLocale(QLocale::English).toString(qint64(std::llround(n))).replace(QLatin1Char(','), QChar(0x202F)); }

// 28.5, 100, 2.25: no trailing ".0" for whole metres.
QString metres(double m) {
  if (std::abs(m - std::round(m)) < 1e-9) return QString::number(qint64(std::llround(m)));
  return m >= 10.0 ? QString::number(m, 'f', 1) : QString::number(m, 'f', 2);
}

Status checkBand(const SourceProbe& probe, int band) {
  if (band < 1 || band > probe.bandCount)
    return Error(ErrorCode::InvalidArgument,
                 QStringLiteral("band %1 does not exist: %2 has %3 band(s)").arg(band).arg(fileName(probe.file)).arg(probe.bandCount),
                 {probe.file, std::nullopt, QStringLiteral("band %1").arg(band)});
  return {};
}

// The part of a raster's footprint inside the scenario extent, in the scenario CRS.
Result<Extent> rasterOverlap(const SourceProbe& probe, const ImportTarget& target) {
  auto toTarget = CoordinateTransform::create(probe.crs, target.crs);
  if (!toTarget) return toTarget.error().withFile(probe.file);
  auto footprint = toTarget->transformExtent(probe.extent);
  if (!footprint) return footprint.error().withFile(probe.file);
  const Extent overlap = footprint->intersected(target.extent);
  if (overlap.isEmpty() || overlap.width() <= 0.0 || overlap.height() <= 0.0)
    return Error(ErrorCode::OutOfExtent, QStringLiteral("the raster does not overlap the scenario extent"), {probe.file});
  return overlap;
}

QString imageryContents(const ImageryImportOptions& o, const ImportTarget& target, double* pixelSize) {
  auto probe = probeSource(o.path);
  if (!probe) return {};
  auto resolution = rasterResolutionIn(o.path, target.crs);
  auto overlap = rasterOverlap(*probe, target);
  if (!resolution || !overlap) return {};
  const double pixel = std::max(o.pixelSize, *resolution);
  *pixelSize = pixel;
  const int width = int(std::ceil(overlap->width() / pixel)), height = int(std::ceil(overlap->height() / pixel));
  QString text = QStringLiteral("≈ %1 × %2 px, %3 m/px, bands %4,%5,%6 of %7")
                     .arg(width)
                     .arg(height)
                     .arg(metres(pixel))
                     .arg(o.bands[0])
                     .arg(o.bands[1])
                     .arg(o.bands[2])
                     .arg(probe->bandCount);
  const double model = modelImageryPixelSize();
  if (pixel > 1.5 * model)
    text += QStringLiteral(" — much coarser than the model's %1 m/px").arg(model);
  else if (pixel > 1.05 * model)
    text += QStringLiteral(" — coarser than the model's %1 m/px").arg(model);
  return text;
}

Status checkImagery(const ImageryImportOptions& o, const ImportTarget& target) {
  auto probe = probeSource(o.path);
  if (!probe) return probe.error();
  if (!probe->hasRaster) return Error(ErrorCode::UnsupportedFormat, QStringLiteral("not a raster GDAL can read"), {o.path});
  if (!probe->crs.isValid()) return Error(ErrorCode::UnknownCrs, QStringLiteral("the raster has no coordinate reference system"), {o.path});
  for (int band : o.bands) NS_TRY(checkBand(*probe, band));
  auto resolution = rasterResolutionIn(o.path, target.crs);
  if (!resolution) return resolution.error();
  auto overlap = rasterOverlap(*probe, target);
  if (!overlap) return overlap.error();
  return {};
}

Result<QString> populationContents(const PopulationImportOptions& o, const ImportTarget& target) {
  const QString cells = QStringLiteral("%1 m cells").arg(metres(o.cellSize));
  if (o.field.isEmpty()) {
    auto probe = probeSource(o.path);
    if (!probe) return probe.error();
    if (!probe->hasRaster)
      return Error(ErrorCode::MissingField, QStringLiteral("a vector file: population polygons need a count field (--population-field)"),
                   {o.path});
    NS_TRY(checkBand(*probe, o.band));
    if (!probe->crs.isValid())
      return Error(ErrorCode::UnknownCrs, QStringLiteral("the raster has no coordinate reference system"), {o.path});
    auto overlap = rasterOverlap(*probe, target);
    if (!overlap) return overlap.error();
    auto resolution = rasterResolutionIn(o.path, target.crs);
    if (!resolution) return resolution.error();
    return QStringLiteral("people per pixel, band %1, %2 m/px → %3 (total preserved)").arg(o.band).arg(metres(*resolution), cells);
  }
  auto layer = readVectorLayer(o.path);
  if (!layer) return layer.error();
  if (!layer->fieldNames.contains(o.field))
    return Error(ErrorCode::MissingField,
                 QStringLiteral("no field '%1' (the layer has: %2)").arg(o.field, layer->fieldNames.join(QStringLiteral(", "))),
                 {o.path, std::nullopt, o.field});
  double total = 0.0;
  qint64 row = 0;
  for (const Feature& f : layer->features) {
    ++row;
    if (!f.geometry.isPolygonal())
      return Error(ErrorCode::InvalidGeometry, QStringLiteral("population polygons must be polygons"),
                   {o.path, row, QStringLiteral("geometry")});
    bool ok = false;
    const double v = f.attributes.value(o.field).toDouble(&ok);
    if (!ok || v < 0.0 || !std::isfinite(v))
      return Error(ErrorCode::InvalidValue,
                   QStringLiteral("'%1' is not a count of people (a number ≥ 0)").arg(f.attributes.value(o.field).toString()),
                   {o.path, row, o.field});
    total += v;
  }
  return QStringLiteral("%1 polygons, field %2: %3 people, spread by area into %4")
      .arg(layer->features.size())
      .arg(o.field, count(total), cells);
}

}  // namespace

QString missingModalityText() { return QStringLiteral("missing — never filled with zeros"); }

double modelImageryPixelSize() { return 8.0; }

ScenarioPreview previewScenarioImport(const ScenarioImportOptions& o, Feedback* feedback) {
  ScenarioPreview out;
  const QStringList names = modalityNames();
  for (const QString& name : names) out.modalities.push_back({name, {}, missingModalityText(), false, false});
  auto modality = [&](const char* name) -> ModalityPreview& {
    return out.modalities[std::size_t(names.indexOf(QString::fromLatin1(name)))];
  };
  auto given = [&](const char* name, const QString& path) {
    ModalityPreview& m = modality(name);
    m.given = true;
    m.file = fileName(path);
    // Replaced once the layer is read; stays when the extent or the CRS cannot be found first.
    m.contents = QStringLiteral("not checked: the extent and the CRS come first");
  };
  auto problem = [&](const char* name, const Error& error) {
    out.problems << error.toString();
    if (name) {
      modality(name).problem = true;
      modality(name).contents = QStringLiteral("cannot be read (see the problems below)");
    }
  };
  if (o.stations) given("stations", o.stations->source.path);
  if (o.trafficSites) given("traffic_sites", o.trafficSites->source.path);
  if (!o.trafficPath.isEmpty()) given("traffic", o.trafficPath);
  if (o.pois) given("pois", o.pois->path);
  if (o.zones) given("zones", o.zones->path);
  if (o.imagery) given("imagery", o.imagery->path);
  if (o.population) given("population", o.population->path);

  // The import's own checks of the options, with its messages.
  if (!o.trafficPath.isEmpty() && !o.trafficSites)
    problem("traffic",
            Error(ErrorCode::InvalidArgument, QStringLiteral("observed traffic needs its sites (--traffic-sites)"), {o.trafficPath}));
  if (!o.trafficPath.isEmpty() && o.trafficUnit.trimmed().isEmpty())
    problem("traffic", Error(ErrorCode::InvalidArgument, QStringLiteral("observed traffic needs its unit (--traffic-unit, e.g. MB/h)"),
                             {o.trafficPath}));
  if (!o.timeZone.isEmpty() && !QTimeZone(o.timeZone.toUtf8()).isValid())
    problem(nullptr, Error(ErrorCode::InvalidValue, QStringLiteral("'%1' is not an IANA time zone (e.g. Europe/Rome)").arg(o.timeZone),
                           {{}, std::nullopt, QStringLiteral("time zone")}));
  if (o.extentLonLat && !o.aoiPath.isEmpty())
    problem(nullptr, Error(ErrorCode::InvalidArgument, QStringLiteral("give an AOI or an extent, not both")));

  // 1. The extent, as the import finds it.
  if (feedback) feedback->setProgress(0.0, QStringLiteral("finding the extent"));
  if (!o.aoiPath.isEmpty()) {
    auto layer = readVectorLayer(o.aoiPath);
    if (!layer) return problem(nullptr, layer.error()), out;
    if (layer->features.empty())
      return problem(nullptr, Error(ErrorCode::CorruptData, QStringLiteral("the AOI file has no polygon"), {o.aoiPath})), out;
    qint64 row = 0;
    for (const Feature& f : layer->features)
      if (++row; !f.geometry.isPolygonal())
        return problem(nullptr, Error(ErrorCode::InvalidGeometry, QStringLiteral("an area of interest must be polygons"),
                                      {o.aoiPath, row, QStringLiteral("geometry")})),
               out;
    auto e = fileExtentLonLat(layer->extent(), layer->crs, o.aoiPath);
    if (!e) return problem(nullptr, e.error()), out;
    out.lonLat = *e;
    out.extentSource = QStringLiteral("the AOI %1").arg(fileName(o.aoiPath));
  } else if (o.extentLonLat) {
    const Extent& e = *o.extentLonLat;
    if (e.isEmpty() || e.width() <= 0.0 || e.height() <= 0.0 || e.xMin < -180.0 || e.xMax > 180.0 || e.yMin < -90.0 || e.yMax > 90.0)
      return problem(nullptr,
                     Error(ErrorCode::InvalidValue, QStringLiteral("the extent must be minlon,minlat,maxlon,maxlat in degrees, min < max"),
                           {{}, std::nullopt, QStringLiteral("extent")})),
             out;
    out.lonLat = e;
    out.extentSource = QStringLiteral("the extent given");
  } else {
    auto e = layersLonLatExtent(o);
    if (!e) return problem(nullptr, e.error()), out;
    out.lonLat = *e;
    out.extentSource = QStringLiteral("the union of the layers");
  }
  const double widthKm = out.lonLat.width() * 111.32 * std::cos(out.lonLat.centre().y * M_PI / 180.0);
  const double heightKm = out.lonLat.height() * 110.57;
  if (widthKm > o.limits.maxExtentKm || heightKm > o.limits.maxExtentKm)
    return problem(nullptr,
                   Error(ErrorCode::OutOfExtent,
                         QStringLiteral("the extent is %1 × %2 km, more than the %3 km a scenario may span: give an AOI or --extent")
                             .arg(widthKm, 0, 'f', 0)
                             .arg(heightKm, 0, 'f', 0)
                             .arg(o.limits.maxExtentKm, 0, 'f', 0),
                         {{}, std::nullopt, QStringLiteral("extent")})),
           out;

  // 2. The CRS.
  if (o.crs.isEmpty()) {
    auto utm = Crs::utmForLonLat(out.lonLat.centre().x, out.lonLat.centre().y);
    if (!utm) return problem(nullptr, utm.error()), out;
    out.crs = *utm;
  } else {
    auto crs = Crs::fromUserInput(o.crs);
    if (!crs) return problem(nullptr, crs.error().withField(QStringLiteral("crs"))), out;
    if (crs->isGeographic())
      return problem(nullptr, Error(ErrorCode::UnknownCrs,
                                    QStringLiteral("%1 is geographic: the scenario needs a projected CRS in metres").arg(o.crs),
                                    {{}, std::nullopt, QStringLiteral("crs")})),
             out;
    out.crs = *crs;
  }
  ImportTarget target;
  target.crs = out.crs;
  target.limits = o.limits;
  {
    auto toScenario = CoordinateTransform::create(Crs::wgs84(), target.crs);
    if (!toScenario) return problem(nullptr, toScenario.error()), out;
    auto e = toScenario->transformExtent(out.lonLat);
    if (!e) return problem(nullptr, e.error()), out;
    target.extent = *e;
  }
  out.extent = target.extent;
  out.widthKm = target.extent.width() / 1000.0;
  out.heightKm = target.extent.height() / 1000.0;

  // 3. The layers: vectors through their importers, rasters probed.
  const auto cancelled = [&] { return feedback && feedback->isCancelled(); };
  std::set<QString> stationIds;
  if (o.stations && !cancelled()) {
    if (feedback) feedback->setProgress(0.1, QStringLiteral("reading the stations"));
    auto stations = importStations(*o.stations, target, &out.notes);
    if (!stations) {
      problem("stations", stations.error());
    } else {
      int macro = 0;
      for (const BaseStation& b : *stations) {
        macro += b.type == StationType::Macro ? 1 : 0;
        stationIds.insert(b.id);
      }
      modality("stations").contents =
          QStringLiteral("%1 stations (%2 macro, %3 micro)").arg(stations->size()).arg(macro).arg(int(stations->size()) - macro);
    }
  }
  if (o.trafficSites && !cancelled()) {
    if (feedback) feedback->setProgress(0.25, QStringLiteral("reading the traffic sites"));
    auto sites = importTrafficSites(*o.trafficSites, target, &out.notes);
    if (!sites) {
      problem("traffic_sites", sites.error());
    } else {
      int areas = 0;
      for (const TrafficSite& t : *sites) {
        if (stationIds.count(t.id)) {
          problem("traffic_sites", Error(ErrorCode::InvalidValue, QStringLiteral("traffic site id '%1' is also a station's id").arg(t.id),
                                         {o.trafficSites->source.path, std::nullopt, o.trafficSites->idField}));
          break;
        }
        areas += t.footprint.isEmpty() ? 0 : 1;
      }
      if (!modality("traffic_sites").problem)
        modality("traffic_sites").contents =
            areas > 0 ? QStringLiteral("%1 sites (%2 areas)").arg(sites->size()).arg(areas) : QStringLiteral("%1 sites").arg(sites->size());
    }
  }
  if (!o.trafficPath.isEmpty() && !modality("traffic").problem) {
    if (!QFileInfo::exists(o.trafficPath))
      problem("traffic", Error(ErrorCode::FileNotFound, QStringLiteral("no such file"), {o.trafficPath}));
    else
      modality("traffic").contents = QStringLiteral("long CSV, %1 MB, in %2, time zone %3; read when the scenario is created")
                                         .arg(QFileInfo(o.trafficPath).size() / 1e6, 0, 'f', 1)
                                         .arg(o.trafficUnit.trimmed(), o.timeZone.isEmpty() ? QStringLiteral("UTC") : o.timeZone);
  }
  if (o.pois && !cancelled()) {
    if (feedback) feedback->setProgress(0.4, QStringLiteral("reading the points of interest"));
    auto pois = importPois(*o.pois, target, &out.notes);
    if (!pois) {
      problem("pois", pois.error());
    } else {
      std::set<PoiCategory> categories;
      for (const Poi& p : *pois) categories.insert(p.category);
      modality("pois").contents = QStringLiteral("%1 POIs in %2 categories").arg(pois->size()).arg(categories.size());
    }
  }
  if (o.zones && !cancelled()) {
    if (feedback) feedback->setProgress(0.6, QStringLiteral("reading the zones"));
    auto zones = importZones(*o.zones, target, &out.notes);
    if (!zones) {
      problem("zones", zones.error());
    } else {
      std::set<ZoneClass> classes;
      for (const Zone& z : *zones) classes.insert(z.zoneClass);
      modality("zones").contents = QStringLiteral("%1 zones in %2 classes").arg(zones->size()).arg(classes.size());
    }
  }
  if (o.imagery && !cancelled()) {
    if (feedback) feedback->setProgress(0.8, QStringLiteral("probing the imagery"));
    if (Status s = checkImagery(*o.imagery, target); !s)
      problem("imagery", s.error());
    else
      modality("imagery").contents = imageryContents(*o.imagery, target, &out.imageryPixelSize);
  }
  if (o.population && !cancelled()) {
    if (feedback) feedback->setProgress(0.9, QStringLiteral("probing the population"));
    auto text = populationContents(*o.population, target);
    if (!text)
      problem("population", text.error());
    else
      modality("population").contents = *text;
  }
  if (feedback) feedback->setProgress(1.0);
  return out;
}

}  // namespace netspatial::core
