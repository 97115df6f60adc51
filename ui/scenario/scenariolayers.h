#pragma once

#include "core/scenario/scenario.h"
#include "core/util/result.h"
#include "ui/map/maplayer.h"

#include <memory>
#include <vector>

namespace netspatial::ui {

class MapCanvas;

//! Builds the map layers of a scenario and puts them on a canvas.
//!
//! Building converts the imagery into a pyramid, which takes a moment for a 12 km city: do it on a
//! worker thread (the layers are plain objects, not QObjects, so they may be built on one thread
//! and handed to the GUI thread), then call show() on the GUI thread, which is cheap.
class ScenarioLayers {
 public:
  //! Layers for what the scenario has, bottom to top: imagery, population, zones, AOI, POIs,
  //! stations. Empty parts are left out. `source` (the .gpkg path, or a name) becomes each layer's
  //! file(); it is also the folder that a relative external raster path is resolved against.
  static core::Result<std::vector<std::unique_ptr<MapLayer>>> create(const core::Scenario& scenario, const QString& source = {});

  //! Replaces the canvas's layers with `layers`, switching the map CRS to `crs` (the scenario
  //! CRS) and fitting the view. On error the canvas is left empty, with the error naming the layer.
  static core::Status show(MapCanvas& canvas, std::vector<std::unique_ptr<MapLayer>> layers, const core::Crs& crs);
};

}  // namespace netspatial::ui
