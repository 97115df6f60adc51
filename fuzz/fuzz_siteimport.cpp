// Fuzzes importStations and importTrafficSites: the user's own station and traffic-site files
// (`netspatial import scenario --stations/--sites`), read through the project's vector reader
// (GDAL's CSV driver with the coordinates parsed by the project, or GeoJSON) and checked row by row
// (ids, types, capacities, geometries, the transformation into the scenario CRS).
//
// An input whose first non-blank byte is '{' is a GeoJSON file, any other a CSV one. Bits of the
// input's size pick the rest, so a saved finding replays alone: the scenario extent empty (nothing
// dropped) or a box around Milan; field options left to their defaults or naming
// id/name/type/capacity columns with a type mapping and repeated ids kept.

#include "core/import/siteimport.h"
#include "fuzz/fuzzsupport.h"

#include <cmath>
#include <set>

using namespace netspatial;

namespace {

core::ImportTarget target(bool milanBox) {
  core::ImportTarget t;
  t.crs = *core::Crs::fromEpsg(3857);  // global and in metres: a fuzzed coordinate anywhere on Earth transforms
  if (milanBox) t.extent = core::Extent::fromCorners(1'000'000, 5'650'000, 1'050'000, 5'720'000);
  return t;
}

void checkPosition(const char* what, const QString& id, core::PointXY p) {
  if (!std::isfinite(p.x) || !std::isfinite(p.y))
    fuzz::violated("siteimport", QStringLiteral("%1 '%2' at a non-finite position").arg(QLatin1String(what), id));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::initialise();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const QByteArrayView input = fuzz::bytes(data, size);
  const bool geojson = input.trimmed().startsWith('{');
  const QString path = fuzz::writeScratchFile(geojson ? QStringLiteral("sites.geojson") : QStringLiteral("sites.csv"), input);
  const unsigned mode = unsigned(size % 4);
  const core::ImportTarget scenario = target(mode & 1);
  const bool named = mode & 2;

  core::StationImportOptions stations;
  stations.source.path = path;
  if (named) {
    stations.idField = QStringLiteral("id");
    stations.nameField = QStringLiteral("name");
    stations.typeField = QStringLiteral("type");
    stations.typeMapping.insert(QStringLiteral("LTE"), core::StationType::Macro);
    stations.typeMapping.insert(QStringLiteral("small"), core::StationType::Micro);
    stations.capacityField = QStringLiteral("capacity");
    stations.duplicateIds = core::StationImportOptions::DuplicateIds::KeepFirst;
    stations.idPrefix = QStringLiteral("ocid-");
  }
  core::ImportReport report;
  if (auto imported = core::importStations(stations, scenario, &report)) {
    if (imported->empty()) fuzz::violated("siteimport", QStringLiteral("no station, and no error"));
    std::set<QString> ids;
    for (const core::BaseStation& s : *imported) {
      if (s.id.isEmpty() || !ids.insert(s.id).second) fuzz::violated("siteimport", QStringLiteral("empty or repeated id '%1'").arg(s.id));
      if (!std::isfinite(s.capacity) || s.capacity < 0.0) fuzz::violated("siteimport", QStringLiteral("capacity %1").arg(s.capacity));
      checkPosition("station", s.id, s.position);
    }
  } else {
    fuzz::note(imported.error().toString());
  }

  core::TrafficSiteImportOptions sites;
  sites.source.path = path;
  sites.idField = QStringLiteral("id");
  if (named) sites.nameField = QStringLiteral("name");
  if (auto imported = core::importTrafficSites(sites, scenario, &report)) {
    std::set<QString> ids;
    for (const core::TrafficSite& s : *imported) {
      if (s.id.isEmpty() || !ids.insert(s.id).second) fuzz::violated("siteimport", QStringLiteral("empty or repeated id '%1'").arg(s.id));
      checkPosition("traffic site", s.id, s.position);
    }
  } else {
    fuzz::note(imported.error().toString());
  }
  return 0;
}
