#pragma once

// What `importScenario` (core/import/scenarioimport.h) will make of a set of options, found before
// anything heavy runs: the studio's New scenario wizard shows it on its preview page and refuses
// to create while a problem is listed. The extent and the CRS are chosen as the import chooses them
// (AOI, explicit extent, or the union of the layers, which must overlap; the UTM zone of the
// centre); the vector layers (stations, traffic sites, POIs, zones) are read by the importers
// themselves, so counts and errors are theirs; rasters and the traffic file are only probed (their
// size, bands and resolution), since warping or reading them is the import's work.

#include "core/geo/crs.h"
#include "core/geo/geometry.h"
#include "core/import/scenarioimport.h"
#include "core/util/feedback.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace netspatial::core {

struct ModalityPreview {
  QString name;      //!< a modalityNames() entry: "stations", …, "population"
  QString file;      //!< the source's file name; empty when not given
  QString contents;  //!< "3 stations (1 macro, 2 micro)", "349 × 352 px, 28.5 m/px …", or the missing text
  bool given = false;
  bool problem = false;  //!< this modality's source has an entry in ScenarioPreview::problems
};

struct ScenarioPreview {
  Extent lonLat;          //!< the extent the import will use, WGS 84 degrees; empty when it cannot be found
  QString extentSource;   //!< "the AOI aoi.geojson", "the extent given", "the union of the layers"
  Crs crs;                //!< the scenario CRS; invalid when it cannot be found
  Extent extent;          //!< `lonLat` in `crs`
  double widthKm = 0.0;   //!< of `extent`
  double heightKm = 0.0;  //!< of `extent`
  //! One per modalityNames() entry, in that order.
  std::vector<ModalityPreview> modalities;
  //! One line per problem, as the import would report it (file, row and field named). Creating
  //! the scenario is refused while any is listed.
  QStringList problems;
  ImportReport notes;           //!< what the importers would say (dropped features, defaults assumed)
  double imageryPixelSize = 0;  //!< metres per pixel of the imagery in `crs`; 0 without imagery
};

//! What a modality that is not given will contain.
QString missingModalityText();

//! The model's imagery resolution, metres per pixel; imagery much coarser than this is said so.
double modelImageryPixelSize();

//! Finds the extent and CRS, reads the vector layers through their importers and probes the
//! rasters. Never fails: every problem is a line of `problems`.
ScenarioPreview previewScenarioImport(const ScenarioImportOptions& options, Feedback* feedback = nullptr);

}  // namespace netspatial::core
