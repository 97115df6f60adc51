#include "ui/import/importsource.h"

#include <QCoreApplication>

namespace netspatial::ui {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("ImportSource", text); }

const char* const kVectors = "Vector files (*.gpkg *.shp *.geojson *.json *.fgb *.kml *.gml *.csv *.sqlite);;All files (*)";
const char* const kRasters = "Rasters (*.tif *.tiff *.vrt *.img *.jp2 *.png *.jpg *.nc);;All files (*)";
const char* const kOsmOrVectors =
    "OpenStreetMap or vector files (*.osm *.pbf *.gpkg *.shp *.geojson *.json *.fgb *.kml *.gml *.sqlite);;All files (*)";

}  // namespace

QString importSourceTitle(ImportSource source) {
  switch (source) {
    case ImportSource::Stations:
      return tr("Base stations");
    case ImportSource::TrafficSites:
      return tr("Traffic sites");
    case ImportSource::Traffic:
      return tr("Observed traffic");
    case ImportSource::Pois:
      return tr("Points of interest");
    case ImportSource::Zones:
      return tr("Land-use zones");
    case ImportSource::Imagery:
      return tr("Imagery");
    case ImportSource::Population:
      return tr("Population");
    case ImportSource::Aoi:
      return tr("Area of interest");
  }
  return {};
}

QString importSourcePurpose(ImportSource source) {
  switch (source) {
    case ImportSource::Stations:
      return tr("The network as it is: the baseline new sites are ranked against. Points, or a CSV with lon/lat.");
    case ImportSource::TrafficSites:
      return tr("Where traffic was measured (points, or areas such as a grid); ids as in the traffic file.");
    case ImportSource::Traffic:
      return tr("Hourly traffic of those sites, long CSV: site_id,timestamp,value.");
    case ImportSource::Pois:
      return tr("Shops, schools, stations…: a context of every site. OpenStreetMap .osm/.pbf, or any vector.");
    case ImportSource::Zones:
      return tr("Residential, commercial, parks…: excludes and describes sites. OpenStreetMap, or polygons.");
    case ImportSource::Imagery:
      return tr("Satellite or aerial image around each site; any GDAL raster in any CRS.");
    case ImportSource::Population:
      return tr("People per pixel (WorldPop, GHSL), or census polygons with a count field.");
    case ImportSource::Aoi:
      return tr("Polygons whose bounds become the scenario's extent. Without: the extent below, or all layers.");
  }
  return {};
}

QString importSourceFilter(ImportSource source) {
  switch (source) {
    case ImportSource::Traffic:
      return tr("CSV files (*.csv *.txt);;All files (*)");
    case ImportSource::Pois:
    case ImportSource::Zones:
      return QString::fromLatin1(kOsmOrVectors);
    case ImportSource::Imagery:
      return QString::fromLatin1(kRasters);
    case ImportSource::Population:
      return tr("Rasters or polygons (*.tif *.tiff *.vrt *.img *.nc *.gpkg *.shp *.geojson *.json *.fgb);;All files (*)");
    default:
      return QString::fromLatin1(kVectors);
  }
}

QString importSourceKey(ImportSource source) {
  switch (source) {
    case ImportSource::Stations:
      return QStringLiteral("stations");
    case ImportSource::TrafficSites:
      return QStringLiteral("traffic_sites");
    case ImportSource::Traffic:
      return QStringLiteral("traffic");
    case ImportSource::Pois:
      return QStringLiteral("pois");
    case ImportSource::Zones:
      return QStringLiteral("zones");
    case ImportSource::Imagery:
      return QStringLiteral("imagery");
    case ImportSource::Population:
      return QStringLiteral("population");
    case ImportSource::Aoi:
      return QStringLiteral("aoi");
  }
  return {};
}

}  // namespace netspatial::ui
