#pragma once

// Reads a GeoPackage into a Scenario, checking every row (ids, CRS, values, bounds) and naming the
// file, layer, row and field of the first problem; migrates schema-1 generated series on the way.
// The rasters are read in scenariorasters.cpp. Internal to core/scenario.

#include "core/geo/gdalsupport.h"
#include "core/scenario/scenario.h"
#include "core/util/feedback.h"
#include "core/util/result.h"

#include <QHash>

#include <functional>
#include <optional>

namespace netspatial::core::detail {

class ScenarioReader {
 public:
  ScenarioReader(QString path, Feedback* feedback) : m_path(std::move(path)), m_feedback(feedback) {}
  Result<Scenario> run();

 private:
  Error error(ErrorCode code, const QString& layer, const QString& message, std::optional<qint64> row = {},
              const QString& field = {}) const {
    return Error(code, QStringLiteral("layer '%1': %2").arg(layer, message), {m_path, row, field});
  }
  Status checkCancel() const {
    if (m_feedback && m_feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("loading was cancelled"), {m_path});
    return {};
  }
  void progress(double f, const QString& step) {
    if (m_feedback) m_feedback->setProgress(f, step);
  }
  //! The layer, checked for CRS; null when absent and optional.
  Result<OGRLayerH> layer(const char* name, bool required, bool spatial);
  Result<std::vector<int>> fields(OGRLayerH layer, const char* layerName, const std::vector<const char*>& names);
  //! Iterates the features of a layer, calling fn(feature, row).
  Status forEach(OGRLayerH layer, const char* name, const std::function<Status(OGRFeatureH, qint64)>& fn);
  Result<Geometry> geometry(OGRFeatureH f, const char* layer, qint64 row, bool polygonal);
  QString text(OGRFeatureH f, int field) const {
    return OGR_F_IsFieldSetAndNotNull(f, field) ? QString::fromUtf8(OGR_F_GetFieldAsString(f, field)) : QString();
  }
  Result<QDateTime> time(OGRFeatureH f, int field, const char* layer, qint64 row);
  Result<float> trafficValue(OGRFeatureH f, int field, int typeField, const char* layer, qint64 row);
  //! Runs `SELECT *, typeof(value) ...` over a traffic table: OGR reads a text stored in a REAL
  //! column (SQLite allows it) silently as 0, and the storage type is the only way to catch it.
  //! The first row of `table` whose `column` holds text where a number belongs (SQLite lets a REAL
  //! column hold 'lots'; OGR would read it as 0), as an error naming row and column.
  Status firstNonNumeric(const char* table, const char* column);
  Status forEachTyped(const char* table, const std::function<Status(OGRLayerH)>& prepare,
                      const std::function<Status(OGRFeatureH, qint64)>& fn);

  Status readMetadata();
  Status readStations();
  Status readTrafficSites();
  Status readPois();
  Status readZones();
  Status readAoi();
  Status readCandidates();
  Status readTrafficObserved();
  Status readTrafficGenerated();
  Status readTrafficGeneratedLong(OGRLayerH layer);
  Status readRankings();
  Status readRuns();
  Status readProjectModels();
  Status readRasters();

  QString m_path;
  Feedback* m_feedback;
  GdalErrorScope m_errors;
  DatasetPtr m_ds;
  Scenario m_s;
  QHash<QString, QDateTime> m_timeCache;
  double m_progressAt = 0.0;  //!< where the current step started, for messages inside a step
};

}  // namespace netspatial::core::detail
