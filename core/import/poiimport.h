#pragma once

// Points of interest for a scenario from OpenStreetMap (.osm XML or .pbf, read by GDAL's OSM driver)
// or from any OGR vector with a category field. OSM points are taken as they are; OSM polygons
// (multipolygons layer) by a representative point inside them (OGR_G_PointOnSurface). Tags map to
// the 14 categories of core/scenario/taxonomy.h through the documented table
// resources/import/osm_poi_categories.csv (embedded; see the README's import section); a feature
// whose tags match no row is not a POI (buildings, roads, …) and is not imported.

#include "core/import/importtarget.h"
#include "core/scenario/scenario.h"
#include "core/scenario/taxonomy.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QMap>
#include <QString>

#include <optional>
#include <vector>

namespace netspatial::core {

struct PoiImportOptions {
  QString path;  //!< .osm/.pbf → the OSM table; anything else needs categoryField
  //! Non-OSM sources: the field holding each feature's category.
  QString categoryField;
  //! Non-OSM sources: a CSV `value,category` (category = a taxonomy name such as "sports_leisure");
  //! empty = the field's values must be taxonomy names already. Unmapped values are an Error
  //! naming the row and value, unless `skipUnmapped`.
  QString mappingFile;
  bool skipUnmapped = false;
  QString nameField;  //!< optional; OSM uses the `name` tag
};

//! The category of an OSM feature from its tags (key → value; GDAL's `other_tags` already
//! unpacked), by the first matching row of the embedded table; nullopt = not a POI.
std::optional<PoiCategory> poiCategoryFromOsmTags(const QMap<QString, QString>& tags);

//! Reads, categorises and transforms POIs into `target` (dropping those outside its extent, counted
//! in `report`). Ids are 1, 2, … over the POIs kept, in file order (OSM: nodes, then polygons).
//! Fields are matched case-insensitively. Errors name the file, and the row (feature number; a
//! mapping file's line) and field at fault: no such file, not a vector, a missing field (listing
//! those there are), an unmapped value, a bad mapping row, more features than
//! target.limits.maxFeatures. A file that yields no POI at all (an empty extract, an extract
//! without tagged places) is an Error too, saying how many features were read, and so is one
//! whose POIs all lie outside the extent: an empty layer would let a wrong file pass unnoticed.
Result<std::vector<Poi>> importPois(const PoiImportOptions& options, const ImportTarget& target, ImportReport* report = nullptr,
                                    Feedback* feedback = nullptr);

}  // namespace netspatial::core
