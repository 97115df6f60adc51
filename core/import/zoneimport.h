#pragma once

// Functional zones (land use) for a scenario from OpenStreetMap polygons (landuse=*, leisure=park,
// natural=water, amenity=university, …; GDAL's OSM driver, multipolygons layer) or from any OGR
// polygon layer with a class field. OSM tags map to the 10 zone classes of core/scenario/taxonomy.h
// through the documented table resources/import/osm_zone_classes.csv (embedded; see the README).

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

struct ZoneImportOptions {
  QString path;        //!< .osm/.pbf → the OSM table; anything else needs classField
  QString classField;  //!< non-OSM: the field holding each polygon's class
  //! Non-OSM: a CSV `value,class` (class = a taxonomy name such as "residential_high"); empty =
  //! the values are taxonomy names already. Unmapped values are an Error unless `skipUnmapped`.
  QString mappingFile;
  bool skipUnmapped = false;
  QString nameField;
};

//! The zone class of an OSM polygon from its tags; nullopt = not a land-use polygon.
std::optional<ZoneClass> zoneClassFromOsmTags(const QMap<QString, QString>& tags);

//! Reads, classifies and transforms zone polygons into `target` (not clipped: polygons wholly
//! outside the extent are dropped and counted in `report`). Ids are 1, 2, … over the zones kept, in
//! file order. OSM polygons that are not OGC-valid are repaired (OGR MakeValid, counted in
//! `report`); in other sources an invalid or non-polygon geometry is an Error naming the row.
//! Errors name the file, row and field, as importPois's; no zone at all is an Error as well.
Result<std::vector<Zone>> importZones(const ZoneImportOptions& options, const ImportTarget& target, ImportReport* report = nullptr,
                                      Feedback* feedback = nullptr);

}  // namespace netspatial::core
