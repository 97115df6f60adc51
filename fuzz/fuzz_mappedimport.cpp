// Fuzzes importPois and importZones on the user's own (non-OSM) layers: a GeoJSON with a category
// or class field, and the mapping file `value,<taxonomy name>` (the project's own CSV reader,
// readValueMapping) that translates its values.
//
// Input: the mapping file, a line "%%", then the GeoJSON; without that line the whole input is the
// GeoJSON and there is no mapping (values must be taxonomy names). A GeoJSON that mentions
// "class" is read as zones (field "class"), any other as POIs (field "category"); the input's size
// picks whether unmapped values are skipped.

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
  const QByteArrayView input = fuzz::bytes(data, size);
  QString mapping;
  QByteArrayView layerText = input;
  if (const auto parts = fuzz::splitAtLine(input, "%%")) {
    mapping = fuzz::writeScratchFile(QStringLiteral("mapping.csv"), parts->first);
    layerText = parts->second;
  }
  const QString layer = fuzz::writeScratchFile(QStringLiteral("layer.geojson"), layerText);
  const bool zonesLayer = layerText.indexOf("\"class\"") >= 0;
  const bool skipUnmapped = size % 2;
  core::ImportTarget target;
  target.crs = *core::Crs::fromEpsg(3857);
  core::ImportReport report;

  if (zonesLayer) {
    core::ZoneImportOptions zones;
    zones.path = layer;
    zones.classField = QStringLiteral("class");
    zones.mappingFile = mapping;
    zones.skipUnmapped = skipUnmapped;
    zones.nameField = QStringLiteral("name");
    if (auto imported = core::importZones(zones, target, &report)) {
      if (imported->empty()) fuzz::violated("mappedimport", QStringLiteral("no zone, and no error"));
      for (const core::Zone& z : *imported)
        if (!z.polygon.isPolygonal() || z.polygon.isEmpty())
          fuzz::violated("mappedimport", QStringLiteral("zone %1 is not a polygon").arg(z.id));
    } else {
      fuzz::note(imported.error().toString());
    }
  } else {
    core::PoiImportOptions pois;
    pois.path = layer;
    pois.categoryField = QStringLiteral("category");
    pois.mappingFile = mapping;
    pois.skipUnmapped = skipUnmapped;
    pois.nameField = QStringLiteral("name");
    if (auto imported = core::importPois(pois, target, &report)) {
      if (imported->empty()) fuzz::violated("mappedimport", QStringLiteral("no POI, and no error"));
      for (const core::Poi& p : *imported)
        if (!std::isfinite(p.position.x) || !std::isfinite(p.position.y))
          fuzz::violated("mappedimport", QStringLiteral("POI %1 at a non-finite position").arg(p.id));
    } else {
      fuzz::note(imported.error().toString());
    }
  }
  return 0;
}
