// saveScenario and loadScenario: the atomic replacement of the file around the writer, and the
// reader. The layout is in scenarioschema.h; the steps in scenariowriter/-reader/-rasters.cpp.

#include "core/scenario/scenariostore.h"

#include "core/geo/gdalsupport.h"
#include "core/scenario/scenarioreader.h"
#include "core/scenario/scenarioschema.h"
#include "core/scenario/scenariovalidation.h"
#include "core/scenario/scenariowriter.h"
#include "core/util/atomicfile.h"

#include <QFile>

namespace netspatial::core {

Status saveScenario(const Scenario& scenario, const QString& path, Feedback* feedback, const ScenarioSaveOptions& options) {
  detail::ensureGdalRegistered();
  if (path.isEmpty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("no file name given"));
  NS_TRY(detail::validateForSave(scenario, path));
  AtomicFile file(path);
  auto temp = file.reservePath();
  if (!temp) return temp.error();
  {
    // The writer closes the GeoPackage before the rename.
    detail::ScenarioWriter writer(scenario, path, *temp, feedback, options);
    NS_TRY(writer.run());
  }
  if (feedback && feedback->isCancelled())
    return Error(ErrorCode::Cancelled, QStringLiteral("saving was cancelled; the file was not changed"), {path});
  QFile::remove(*temp + QStringLiteral(".aux.xml"));  // GDAL's side file of the rasters: nothing the project needs
  NS_TRY(file.commit());
  if (feedback) feedback->setProgress(1.0, QStringLiteral("Saved"));
  return {};
}

Result<Scenario> loadScenario(const QString& path, Feedback* feedback) {
  detail::ensureGdalRegistered();
  if (path.isEmpty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("no file name given"));
  // A save killed before its rename left a temporary beside the project: the next open removes it.
  for (const QString& stale : AtomicFile::removeStaleTemporaries(path))
    qInfo("%s: removed %s, left by an interrupted save", qPrintable(path), qPrintable(stale));
  detail::ScenarioReader reader(path, feedback);
  return reader.run();
}

}  // namespace netspatial::core
