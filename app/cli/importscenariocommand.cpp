// `netspatial import scenario …`: a scenario from the user's own files (issue 19). The same
// function as the studio's File › New scenario from data… (core/import/scenarioimport.h); this
// file only turns options into ScenarioImportOptions and prints what was built.

#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "core/import/scenarioimport.h"
#include "core/scenario/modalities.h"
#include "core/scenario/scenariostore.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTextStream>

#include <cmath>

namespace netspatial::app::cli {

namespace {

using namespace netspatial::core;

const QString kCommand = QStringLiteral("import scenario");

// "a,b,c,d" → four numbers, or nullopt.
std::optional<std::vector<double>> numbers(const QString& text, int count) {
  const QStringList parts = text.split(QLatin1Char(','));
  if (parts.size() != count) return std::nullopt;
  std::vector<double> out;
  for (const QString& p : parts) {
    bool ok = false;
    out.push_back(p.trimmed().toDouble(&ok));
    if (!ok || !std::isfinite(out.back())) return std::nullopt;
  }
  return out;
}

std::optional<Crs> optionalCrs(const QCommandLineParser& parser, const QCommandLineOption& option, QString* error) {
  if (!parser.isSet(option)) return Crs();
  auto crs = Crs::fromUserInput(parser.value(option));
  if (!crs) {
    *error = QStringLiteral("--%1: %2").arg(option.names().first(), crs.error().message());
    return std::nullopt;
  }
  return *crs;
}

}  // namespace

int runImportScenario(const QStringList& arguments) {
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral(
      "Builds a scenario from your own files. Every layer is optional; the extent is the AOI, --extent, or the union of the\n"
      "layers given. A layer not given is recorded as missing (never as zeros). Errors name the file, row and field.\n"
      "The same import as the studio's File > New scenario from data."));
  const QCommandLineOption help = parser.addHelpOption();
  auto option = [&](const char* name, const char* text, const char* value = nullptr) {
    QCommandLineOption o(QString::fromLatin1(name), QString::fromUtf8(text));
    if (value) o.setValueName(QString::fromLatin1(value));
    parser.addOption(o);
    return o;
  };
  const auto out = option("out", "Output scenario (.gpkg); replaced atomically if it exists.", "file");
  const auto name = option("name", "Scenario name (default: the output file's base name).", "text");
  const auto crs = option("crs", "Scenario CRS, projected in metres (e.g. EPSG:32633). Default: the UTM zone of the centre.", "crs");
  const auto aoi = option("aoi", "Area of interest: polygons in any vector format; also the extent.", "file");
  const auto extent = option("extent", "Extent in degrees: minlon,minlat,maxlon,maxlat.", "box");
  const auto stations = option("stations", "Base stations: any OGR vector, or CSV with lon/lat (or x/y) columns.", "file");
  const auto stationsCrs = option("stations-crs", "CRS of the stations CSV's coordinates (default EPSG:4326).", "crs");
  const auto stationId = option("station-id-field", "Station id field (default: 'id' if present, else the row).", "field");
  const auto stationPrefix = option("station-id-prefix", "Put before every station id (stations and traffic sites share ids).", "text");
  const auto stationName = option("station-name-field", "Station name field.", "field");
  const auto stationType =
      option("station-type-field", "Station type field: values macro/micro, or mapped by --station-type-map.", "field");
  const auto stationTypeMap = option("station-type-map", "Type value mapping, e.g. 'LTE-macro=macro,small=micro'.", "map");
  const auto stationDefaultType = option("station-default-type", "Type of every station without a type field (default macro).", "type");
  const auto stationDuplicates =
      option("station-duplicates",
             "A repeated station id: 'error' (default) or 'first' (keep its first row; per-cell exports repeat stations).", "rule");
  const auto stationCapacity = option("station-capacity-field", "Capacity field (traffic unit per hour).", "field");
  const auto stationDefaultCapacity = option("station-default-capacity", "Capacity where none is given (default 0 = unknown).", "value");
  const auto pois = option("pois", "Points of interest: OpenStreetMap .osm/.pbf, or any vector with --poi-category-field.", "file");
  const auto poiField = option("poi-category-field", "Category field of a non-OSM POI layer.", "field");
  const auto poiMapping = option("poi-mapping", "CSV value,category mapping for --poi-category-field.", "file");
  const auto zones = option("zones", "Land-use zones: OpenStreetMap .osm/.pbf, or polygons with --zone-class-field.", "file");
  const auto zoneField = option("zone-class-field", "Class field of a non-OSM zone layer.", "field");
  const auto zoneMapping = option("zone-mapping", "CSV value,class mapping for --zone-class-field.", "file");
  const auto imagery = option("imagery", "Imagery: any GDAL raster in any CRS, warped to the scenario CRS.", "file");
  const auto imageryBands = option("imagery-bands", "Source bands for R,G,B (default 1,2,3; Landsat 7: 3,2,1).", "r,g,b");
  const auto population = option("population", "Population: a raster of people per pixel, or polygons with --population-field.", "file");
  const auto populationField = option("population-field", "Count field of population polygons (e.g. census tracts).", "field");
  const auto populationCell = option("population-cell", "Population cell size in metres (default 100).", "metres");
  const auto sites = option("traffic-sites", "Sites with observed traffic: points or polygons (area-aggregated traffic).", "file");
  const auto sitesCrs = option("traffic-sites-crs", "CRS of the traffic sites CSV's coordinates (default EPSG:4326).", "crs");
  const auto siteId = option("traffic-site-id-field", "Traffic site id field: the ids the traffic file uses.", "field");
  const auto sitePrefix =
      option("traffic-site-id-prefix", "Put before every traffic site id (the traffic file keeps the bare ids).", "text");
  const auto traffic = option("traffic", "Observed traffic, long CSV: site_id,timestamp,value.", "file");
  const auto trafficUnit = option("traffic-unit", "Unit of the traffic values (e.g. MB/h); required with --traffic.", "unit");
  const auto timeZone = option("time-zone", "IANA time zone of timestamps without an offset (default UTC).", "zone");

  if (auto problem = parseCommandLine(parser, arguments)) return usage(*problem, kCommand);
  if (parser.isSet(help)) parser.showHelp(kExitOk);
  if (!parser.positionalArguments().isEmpty())
    return usage(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()), kCommand);
  if (!parser.isSet(out)) return usage(QStringLiteral("--out FILE.gpkg is required"), kCommand);

  ScenarioImportOptions o;
  const QString outPath = parser.value(out);
  o.name = parser.isSet(name) ? parser.value(name) : QFileInfo(outPath).completeBaseName();
  o.crs = parser.value(crs);
  o.aoiPath = parser.value(aoi);
  if (parser.isSet(extent)) {
    auto box = numbers(parser.value(extent), 4);
    if (!box) return usage(QStringLiteral("--extent wants minlon,minlat,maxlon,maxlat"), kCommand);
    o.extentLonLat = Extent::fromCorners((*box)[0], (*box)[1], (*box)[2], (*box)[3]);
    if ((*box)[0] >= (*box)[2] || (*box)[1] >= (*box)[3]) return usage(QStringLiteral("--extent: min must be below max"), kCommand);
    if ((*box)[0] < -180.0 || (*box)[2] > 180.0 || (*box)[1] < -90.0 || (*box)[3] > 90.0)
      return usage(QStringLiteral("--extent: longitudes are in -180…180 and latitudes in -90…90 degrees"), kCommand);
  }
  QString error;
  if (parser.isSet(stations)) {
    StationImportOptions st;
    st.source.path = parser.value(stations);
    auto c = optionalCrs(parser, stationsCrs, &error);
    if (!c) return usage(error, kCommand);
    st.source.csvCrs = *c;
    st.idField = parser.value(stationId);
    st.nameField = parser.value(stationName);
    st.idPrefix = parser.value(stationPrefix);
    st.typeField = parser.value(stationType);
    st.capacityField = parser.value(stationCapacity);
    if (parser.isSet(stationTypeMap)) {
      for (const QString& pair : parser.value(stationTypeMap).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.lastIndexOf(QLatin1Char('='));
        const auto type = eq > 0 ? stationTypeFromName(pair.mid(eq + 1).trimmed()) : std::nullopt;
        if (!type) return usage(QStringLiteral("--station-type-map: '%1' is not value=macro or value=micro").arg(pair), kCommand);
        st.typeMapping.insert(pair.left(eq).trimmed(), *type);
      }
    }
    if (parser.isSet(stationDuplicates)) {
      const QString rule = parser.value(stationDuplicates);
      if (rule == QLatin1String("first"))
        st.duplicateIds = StationImportOptions::DuplicateIds::KeepFirst;
      else if (rule != QLatin1String("error"))
        return usage(QStringLiteral("--station-duplicates must be error or first"), kCommand);
    }
    if (parser.isSet(stationDefaultType)) {
      auto type = stationTypeFromName(parser.value(stationDefaultType));
      if (!type) return usage(QStringLiteral("--station-default-type must be macro or micro"), kCommand);
      st.defaultType = *type;
    }
    if (parser.isSet(stationDefaultCapacity)) {
      bool ok = false;
      st.defaultCapacity = parser.value(stationDefaultCapacity).toDouble(&ok);
      if (!ok || st.defaultCapacity < 0.0) return usage(QStringLiteral("--station-default-capacity must be a number >= 0"), kCommand);
    }
    o.stations = st;
  }
  if (parser.isSet(pois)) {
    PoiImportOptions p;
    p.path = parser.value(pois);
    p.categoryField = parser.value(poiField);
    p.mappingFile = parser.value(poiMapping);
    o.pois = p;
  }
  if (parser.isSet(zones)) {
    ZoneImportOptions z;
    z.path = parser.value(zones);
    z.classField = parser.value(zoneField);
    z.mappingFile = parser.value(zoneMapping);
    o.zones = z;
  }
  if (parser.isSet(imagery)) {
    ImageryImportOptions im;
    im.path = parser.value(imagery);
    if (parser.isSet(imageryBands)) {
      auto bands = numbers(parser.value(imageryBands), 3);
      if (!bands) return usage(QStringLiteral("--imagery-bands wants three band numbers, e.g. 3,2,1"), kCommand);
      for (int i = 0; i < 3; ++i) im.bands[std::size_t(i)] = int((*bands)[std::size_t(i)]);
    }
    o.imagery = im;
  }
  if (parser.isSet(population)) {
    PopulationImportOptions p;
    p.path = parser.value(population);
    p.field = parser.value(populationField);
    if (parser.isSet(populationCell)) {
      bool ok = false;
      p.cellSize = parser.value(populationCell).toDouble(&ok);
      if (!ok || p.cellSize <= 0.0) return usage(QStringLiteral("--population-cell must be a positive number of metres"), kCommand);
    }
    o.population = p;
  }
  if (parser.isSet(sites)) {
    TrafficSiteImportOptions t;
    t.source.path = parser.value(sites);
    auto c = optionalCrs(parser, sitesCrs, &error);
    if (!c) return usage(error, kCommand);
    t.source.csvCrs = *c;
    t.idField = parser.value(siteId);
    t.idPrefix = parser.value(sitePrefix);
    o.trafficSites = t;
  }
  o.trafficPath = parser.value(traffic);
  o.trafficUnit = parser.value(trafficUnit);
  o.timeZone = parser.value(timeZone);

  InterruptHandler interrupt("import scenario");  // Ctrl-C and SIGTERM stop between steps; saves are atomic
  QElapsedTimer timer;
  timer.start();
  ScenarioImport imported;
  {
    Feedback feedback;
    ProgressLine line(QStringLiteral("Importing"));
    line.attachInterruptible(feedback);
    auto result = importScenario(o, &feedback);
    line.finish();
    // The options the import checks itself (a geographic --crs) are command-line mistakes: exit 2.
    if (!result && result.error().context().file.isEmpty() && !result.error().context().field.isEmpty() &&
        result.error().code() != ErrorCode::Cancelled)
      return usage(QStringLiteral("--%1: %2").arg(result.error().context().field, result.error().message()), kCommand);
    if (!result) return fail(result.error());
    imported = std::move(*result);
  }
  const Scenario& s = imported.scenario;
  if (auto saved = saveScenarioInterruptibly(s, outPath); !saved) return fail(saved.error());
  QTextStream t(stdout);
  t << QStringLiteral("Wrote %1 (%2)\n").arg(QFileInfo(outPath).absoluteFilePath(), fileSize(QFileInfo(outPath).size()));
  t << QStringLiteral("Scenario       %1, %2\n").arg(s.metadata.name, s.metadata.crs.label());
  const Extent e = s.extent();
  if (!e.isEmpty()) t << QStringLiteral("Extent         %1 × %2 km\n").arg(number(e.width() / 1000.0, 2), number(e.height() / 1000.0, 2));
  for (const Modality& m : describeModalities(s))
    t << QStringLiteral("%1 %2%3\n")
             .arg(m.name.leftJustified(14), m.description, m.source.isEmpty() || !m.present ? QString() : QStringLiteral(" — ") + m.source);
  if (!imported.report.isEmpty()) {
    t << QStringLiteral("Notes\n");
    for (const QString& line : imported.report) t << QStringLiteral("  %1\n").arg(line);
  }
  t << QStringLiteral("Elapsed        %1 s\n").arg(number(timer.elapsed() / 1000.0, 2));
  return kExitOk;
}

}  // namespace netspatial::app::cli
