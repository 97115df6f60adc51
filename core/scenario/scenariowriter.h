#pragma once

// Writes a Scenario into a new GeoPackage (the temporary of saveScenario): one step per layer or
// table, each in one transaction, then the rasters (scenariorasters.cpp). Internal to core/scenario.

#include "core/geo/gdalsupport.h"
#include "core/planning/siteutilities.h"
#include "core/scenario/scenariostore.h"

#include <optional>
#include <vector>

namespace netspatial::core::detail {

struct FieldSpec {
  const char* name;
  OGRFieldType type;
  bool unique = false;
};

class ScenarioWriter {
 public:
  ScenarioWriter(const Scenario& scenario, QString target, QString temp, Feedback* feedback, const ScenarioSaveOptions& options)
      : m_s(scenario), m_target(std::move(target)), m_temp(std::move(temp)), m_feedback(feedback), m_options(options) {}

  Status run();

 private:
  Status step(const QString& what);
  Status checkCancel(const QString& what);
  Error gdalError(const QString& what) const {
    return Error(ErrorCode::Io, QStringLiteral("%1: %2").arg(what, m_errors.failureText(QStringLiteral("write failed"), m_temp)),
                 {m_target});
  }
  Result<OGRLayerH> createLayer(const char* name, OGRwkbGeometryType type, const std::vector<FieldSpec>& fields);
  Status begin(const char* layer);
  Status commit(const char* layer);
  Status add(OGRLayerH layer, OGRFeatureH f, const char* name, qint64 row);

  Status writeStations();
  Status writeTrafficSites();
  Status writePois();
  Status writeZones();
  Status writeAoi();
  Status writeCandidates();
  Status writeTrafficObserved();
  Status writeTrafficGenerated();
  //! One site's samples as rows of traffic_generated (the feature's run and start already set).
  Status writeGeneratedSite(OGRLayerH layer, OGRFeatureH f, const QString& runId, const QString& site,
                            const std::vector<std::vector<float>>& samples, std::vector<unsigned char>& bytes, qint64& row);
  //! Rows of the streamed generation (options.generation), with their summaries kept for later.
  Status writeStreamedGeneration(OGRLayerH layer, OGRFeatureH f, std::vector<unsigned char>& bytes, qint64& row);
  Status writeGeneratedSummary();
  //! What generated_summary says of one site: computed as its series are written, for a streamed
  //! generation whose series are not kept.
  struct SiteSummary {
    QString site;
    int samples = 0;
    int hours = -1;  //!< -1 = no samples
    std::optional<SiteUtilities> utilities;
  };
  static SiteSummary summarise(const QString& site, const std::vector<std::vector<float>>& samples);
  Status writeSummaryRow(OGRLayerH layer, OGRFeatureH f, const SiteSummary& summary, double scale, qint64& row);
  Status writeRankings();
  Status writeRuns();
  Status writeProjectModels();
  Status writeMetadata();
  Status writeImagery();
  Status writePopulation();

  const Scenario& m_s;
  QString m_target;
  QString m_temp;
  Feedback* m_feedback;
  ScenarioSaveOptions m_options;
  GdalErrorScope m_errors;
  DatasetPtr m_ds;
  SpatialRefPtr m_srs;
  std::vector<SiteSummary> m_streamedSummaries;
  int m_stepsDone = 0;
  int m_stepCount = 15;
};

}  // namespace netspatial::core::detail
