// Fuzzes loadScenario: a project file (GeoPackage) read through GDAL's GPKG driver and SQLite, then
// every layer and table checked by the project's reader (ids, CRS, values, series blobs, JSON,
// rasters). A scenario the loader accepts must also pass the checks saveScenario makes before it
// writes (detail::validateForSave): a project that opens but cannot be saved again is a defect.
//
// The loader reads a path and refuses anything that is not a plain file (QFileInfo), so the input
// goes to a scratch file rather than to GDAL's /vsimem/. SQLite does not checksum its pages: a
// mutated byte in a record is read back as a different id, number or blob, which is what reaches
// the project's checks.

#include "core/scenario/scenariostore.h"
#include "core/scenario/scenariovalidation.h"
#include "fuzz/fuzzsupport.h"

using namespace netspatial;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::initialise();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const QString path = fuzz::writeScratchFile(QStringLiteral("scenario.gpkg"), fuzz::bytes(data, size));
  auto scenario = core::loadScenario(path);
  if (!scenario) return fuzz::note(scenario.error().toString()), 0;
  if (core::Status saveable = core::detail::validateForSave(*scenario, path); !saveable)
    fuzz::violated("scenario", QStringLiteral("loaded, but saving would refuse it: %1").arg(saveable.error().toString()));
  return 0;
}
