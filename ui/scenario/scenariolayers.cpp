#include "ui/scenario/scenariolayers.h"

#include "ui/map/mapcanvas.h"
#include "ui/map/rasterlayer.h"
#include "ui/scenario/aoilayer.h"
#include "ui/scenario/imagerylayer.h"
#include "ui/scenario/poislayer.h"
#include "ui/scenario/populationlayer.h"
#include "ui/scenario/stationslayer.h"
#include "ui/scenario/trafficsiteslayer.h"
#include "ui/scenario/zoneslayer.h"

#include <QDir>
#include <QFileInfo>

namespace netspatial::ui {

namespace {

// An external raster is referenced "absolute, or relative to the .gpkg's folder" (scenario.h).
core::Result<std::unique_ptr<MapLayer>> openExternal(const QString& path, const QString& source, const QString& name) {
  QString resolved = path;
  if (QFileInfo(path).isRelative() && !source.isEmpty()) resolved = QFileInfo(source).dir().filePath(path);
  auto layer = RasterLayer::open(resolved);
  if (!layer) return layer.error();
  layer.value()->setName(name);
  return std::unique_ptr<MapLayer>(std::move(layer).value());
}

}  // namespace

core::Result<std::vector<std::unique_ptr<MapLayer>>> ScenarioLayers::create(const core::Scenario& scenario, const QString& source) {
  const core::Crs& crs = scenario.metadata.crs;
  if (!crs.isValid()) return core::Error(core::ErrorCode::UnknownCrs, QStringLiteral("the scenario has no CRS"), {source});
  std::vector<std::unique_ptr<MapLayer>> layers;
  if (!scenario.imagery.grid.isEmpty()) {
    layers.push_back(std::make_unique<ImageryLayer>(scenario.imagery.grid, crs, source));
  } else if (!scenario.imagery.externalPath.isEmpty()) {
    auto layer = openExternal(scenario.imagery.externalPath, source, QStringLiteral("Imagery"));
    if (!layer) return layer.error();
    layers.push_back(std::move(layer).value());
  }
  if (!scenario.population.grid.isEmpty()) {
    layers.push_back(std::make_unique<PopulationLayer>(scenario.population.grid, crs, source));
  } else if (!scenario.population.externalPath.isEmpty()) {
    auto layer = openExternal(scenario.population.externalPath, source, QStringLiteral("Population"));
    if (!layer) return layer.error();
    layers.push_back(std::move(layer).value());
  }
  if (!scenario.zones.empty()) layers.push_back(std::make_unique<ZonesLayer>(scenario.zones, crs, source));
  if (!scenario.aoi.isEmpty()) layers.push_back(std::make_unique<AoiLayer>(scenario.aoi, crs, source));
  if (!scenario.trafficSites.empty())
    layers.push_back(
        std::make_unique<TrafficSitesLayer>(scenario.trafficSites, scenario.trafficObserved, scenario.metadata.trafficUnit, crs, source));
  if (!scenario.pois.empty()) layers.push_back(std::make_unique<PoisLayer>(scenario.pois, crs, source));
  if (!scenario.stations.empty()) layers.push_back(std::make_unique<StationsLayer>(scenario.stations, crs, source));
  // A first view an engineer can read: imagery, zones as a light wash, and the stations. Thousands
  // of POIs and the population heat would bury the map, so they start hidden (one click away).
  for (auto& layer : layers) {
    if (dynamic_cast<PoisLayer*>(layer.get()) || dynamic_cast<PopulationLayer*>(layer.get())) layer->setVisible(false);
    if (dynamic_cast<ZonesLayer*>(layer.get())) layer->setOpacity(0.45);
  }
  return layers;
}

core::Status ScenarioLayers::show(MapCanvas& canvas, std::vector<std::unique_ptr<MapLayer>> layers, const core::Crs& crs) {
  canvas.clearLayers();
  if (core::Status s = canvas.setMapCrs(crs); !s) return s;
  for (auto& layer : layers) {
    const QString name = layer->name();
    if (core::Status s = canvas.addLayer(std::move(layer)); !s) {
      canvas.clearLayers();
      return core::Error(s.error().code(), QStringLiteral("layer %1: %2").arg(name, s.error().message()), s.error().context());
    }
  }
  canvas.zoomToFullExtent();
  return {};
}

}  // namespace netspatial::ui
