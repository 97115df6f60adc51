// Fuzzes importPois and importZones on OpenStreetMap XML extracts: the project's reordering of an
// extract into the order GDAL's OSM driver needs (QXmlStreamReader, osmFileInDriverOrder), the
// driver itself, the `other_tags` HSTORE parser, the embedded tag tables and the geometry checks
// and repairs (MakeValid) of both importers.

#include "core/import/poiimport.h"
#include "core/import/zoneimport.h"
#include "fuzz/fuzzsupport.h"

#include <cmath>

using namespace netspatial;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::initialise();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const QString path = fuzz::writeScratchFile(QStringLiteral("extract.osm"), fuzz::bytes(data, size));
  core::ImportTarget target;
  target.crs = *core::Crs::fromEpsg(3857);  // global and in metres: an extract from anywhere transforms
  core::ImportReport report;

  core::PoiImportOptions pois;
  pois.path = path;
  if (auto imported = core::importPois(pois, target, &report)) {
    if (imported->empty()) fuzz::violated("osmimport", QStringLiteral("no POI, and no error"));
    for (const core::Poi& p : *imported)
      if (!std::isfinite(p.position.x) || !std::isfinite(p.position.y))
        fuzz::violated("osmimport", QStringLiteral("POI %1 at a non-finite position").arg(p.id));
  } else {
    fuzz::note(imported.error().toString());
  }

  core::ZoneImportOptions zones;
  zones.path = path;
  if (auto imported = core::importZones(zones, target, &report)) {
    if (imported->empty()) fuzz::violated("osmimport", QStringLiteral("no zone, and no error"));
    for (const core::Zone& z : *imported)
      if (!z.polygon.isPolygonal() || z.polygon.isEmpty())
        fuzz::violated("osmimport", QStringLiteral("zone %1 is not a polygon").arg(z.id));
  } else {
    fuzz::note(imported.error().toString());
  }
  return 0;
}
