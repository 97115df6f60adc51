#include "core/scenario/scenariostore.h"

#include "core/geo/gdalsupport.h"
#include "core/geo/ogrgeometry.h"
#include "core/planning/siteutilities.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryFile>
#include <QTimeZone>

#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <fcntl.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstdint>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <functional>
#include <limits>
#include <set>

namespace netspatial::core {

namespace {

using detail::DatasetPtr;
using detail::fromOgr;
using detail::toOgr;
using detail::GdalErrorScope;

// 2: traffic_generated holds one row per (run, site, sample) with the series as a float32 BLOB,
//    and generated_summary exists. Version 1 files (one row per hour) are migrated on load.
constexpr int kSchemaVersion = 2;

// Table and layer names, shared by writer and reader.
constexpr const char* kStations = "base_stations";
constexpr const char* kTrafficSites = "traffic_sites";
constexpr const char* kPois = "pois";
constexpr const char* kZones = "zones";
constexpr const char* kAoi = "aoi";
constexpr const char* kCandidates = "candidates";
constexpr const char* kTrafficObserved = "traffic_observed";
constexpr const char* kTrafficGenerated = "traffic_generated";
constexpr const char* kGeneratedSummary = "generated_summary";
//! traffic_generated.layout: how `series` is encoded. Bump on any change of the encoding.
constexpr const char* kGeneratedLayout = "float32le/v1";
//! Bounds on what a file may ask the reader to allocate: 20 years of hours, 100,000 samples.
constexpr std::size_t kMaxSeriesHours = 24u * 366u * 20u;
constexpr std::size_t kMaxGeneratedSamples = 100000;
//! SQLite page size of a saved project (bytes; SQLite allows 512 … 65536, powers of two).
constexpr int kPageSize = 32768;
constexpr const char* kRankings = "rankings";
constexpr const char* kRuns = "runs";
constexpr const char* kMetadata = "metadata";
constexpr const char* kImagery = "imagery";
constexpr const char* kPopulation = "population";

// Metadata keys with a meaning of their own; every other key is ScenarioMetadata::extra.
const QStringList& reservedKeys() {
  static const QStringList keys{QStringLiteral("name"),           QStringLiteral("crs"),
                                QStringLiteral("time_zone"),      QStringLiteral("traffic_unit"),
                                QStringLiteral("series_start"),   QStringLiteral("preset"),
                                QStringLiteral("seed"),           QStringLiteral("schema_version"),
                                QStringLiteral("imagery.external"), QStringLiteral("population.external"),
                                QStringLiteral("traffic_observed.start")};
  return keys;
}

QString isoUtc(const QDateTime& t) {
  if (!t.isValid()) return {};
  const QDateTime utc = t.toUTC();
  // Milliseconds only when present, so hourly series keep the plain "2025-03-02T23:00:00Z" form.
  return utc.toString(utc.time().msec() != 0 ? Qt::ISODateWithMs : Qt::ISODate);
}

std::optional<QDateTime> parseIsoUtc(const QString& s) {
  const QString t = s.trimmed();
  if (t.isEmpty()) return std::nullopt;
  QDateTime d = QDateTime::fromString(t, Qt::ISODateWithMs);
  if (!d.isValid()) d = QDateTime::fromString(t, Qt::ISODate);
  if (!d.isValid()) return std::nullopt;
  // A time without zone designator is taken as UTC, the file's convention.
  if (d.timeSpec() == Qt::LocalTime) d.setTimeZone(QTimeZone::utc());
  return d.toUTC();
}

//! A series as float32 little-endian, hour 0 first (NaN = missing) into `out`.
void encodeSeries(const std::vector<float>& values, std::vector<unsigned char>& out) {
  out.resize(values.size() * 4);
  if constexpr (std::endian::native == std::endian::little) {
    if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
  } else {
    for (std::size_t i = 0; i < values.size(); ++i) {
      const auto bits = std::bit_cast<std::uint32_t>(values[i]);
      for (int b = 0; b < 4; ++b) out[i * 4 + std::size_t(b)] = static_cast<unsigned char>(bits >> (8 * b));
    }
  }
}

//! The inverse of encodeSeries; `bytes` holds exactly 4 × values.size() bytes.
void decodeSeries(const unsigned char* bytes, std::vector<float>& values) {
  if constexpr (std::endian::native == std::endian::little) {
    if (!values.empty()) std::memcpy(values.data(), bytes, values.size() * 4);
  } else {
    for (std::size_t i = 0; i < values.size(); ++i) {
      std::uint32_t bits = 0;
      for (int b = 0; b < 4; ++b) bits |= std::uint32_t(bytes[i * 4 + std::size_t(b)]) << (8 * b);
      values[i] = std::bit_cast<float>(bits);
    }
  }
}

QString jsonText(const QVariantMap& map) {
  return QString::fromUtf8(QJsonDocument(QJsonObject::fromVariantMap(map)).toJson(QJsonDocument::Compact));
}

struct OgrGeometryCloser {
  void operator()(void* g) const {
    if (g) OGR_G_DestroyGeometry(static_cast<OGRGeometryH>(g));
  }
};
using OgrGeometryPtr = std::unique_ptr<void, OgrGeometryCloser>;

struct OgrFeatureCloser {
  void operator()(void* f) const {
    if (f) OGR_F_Destroy(static_cast<OGRFeatureH>(f));
  }
};
using OgrFeaturePtr = std::unique_ptr<void, OgrFeatureCloser>;

struct SrsCloser {
  void operator()(void* s) const {
    if (s) OSRRelease(static_cast<OGRSpatialReferenceH>(s));
  }
};
using SrsPtr = std::unique_ptr<void, SrsCloser>;

// ---------------------------------------------------------------------------------------------
// Geometry conversion

//! The layer type for a set of polygonal geometries: Polygon or MultiPolygon when uniform, else the
//! generic type, so that loading gives back exactly the types saved.
OGRwkbGeometryType polygonalLayerType(const std::vector<const Geometry*>& geometries) {
  bool anyPolygon = false, anyMulti = false;
  for (const Geometry* g : geometries) {
    if (g->type == GeometryType::MultiPolygon) anyMulti = true;
    else anyPolygon = true;
  }
  if (anyMulti && anyPolygon) return wkbUnknown;
  return anyMulti ? wkbMultiPolygon : wkbPolygon;
}

// ---------------------------------------------------------------------------------------------
// Writing

struct FieldSpec {
  const char* name;
  OGRFieldType type;
  bool unique = false;
};

class Writer {
 public:
  Writer(const Scenario& scenario, QString target, QString temp, Feedback* feedback, const ScenarioSaveOptions& options)
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
  Status writeGeneratedSummary();
  Status writeRankings();
  Status writeRuns();
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
  SrsPtr m_srs;
  int m_stepsDone = 0;
  int m_stepCount = 14;
};

Status Writer::checkCancel(const QString& what) {
  if (m_feedback && m_feedback->isCancelled())
    return Error(ErrorCode::Cancelled, QStringLiteral("saving was cancelled (%1); the file was not changed").arg(what), {m_target});
  return {};
}

Status Writer::step(const QString& what) {
  ++m_stepsDone;
  if (m_feedback) m_feedback->setProgress(double(m_stepsDone) / m_stepCount, QStringLiteral("Saved %1").arg(what));
  if (m_options.failAfterSteps >= 0 && m_stepsDone >= m_options.failAfterSteps)
    return Error(ErrorCode::Io, QStringLiteral("writing failed after '%1': no space left on device (simulated)").arg(what),
                 {m_target});
  return checkCancel(what);
}

Result<OGRLayerH> Writer::createLayer(const char* name, OGRwkbGeometryType type, const std::vector<FieldSpec>& fields) {
  const char* options[] = {"FID=fid", nullptr};
  OGRLayerH layer = GDALDatasetCreateLayer(m_ds.get(), name, type == wkbNone ? nullptr : static_cast<OGRSpatialReferenceH>(m_srs.get()),
                                           type, const_cast<char**>(options));
  if (!layer) return gdalError(QStringLiteral("creating layer '%1'").arg(QString::fromUtf8(name)));
  for (const FieldSpec& spec : fields) {
    OGRFieldDefnH fd = OGR_Fld_Create(spec.name, spec.type);
    if (spec.unique) OGR_Fld_SetUnique(fd, TRUE);
    const OGRErr err = OGR_L_CreateField(layer, fd, TRUE);
    OGR_Fld_Destroy(fd);
    if (err != OGRERR_NONE)
      return gdalError(QStringLiteral("creating field '%1' of layer '%2'").arg(QString::fromUtf8(spec.name), QString::fromUtf8(name)));
  }
  return layer;
}

Status Writer::begin(const char* layer) {
  // One transaction per layer: SQLite then writes the rows in one go instead of syncing each one.
  if (GDALDatasetStartTransaction(m_ds.get(), FALSE) != OGRERR_NONE)
    return gdalError(QStringLiteral("starting the transaction for '%1'").arg(QString::fromUtf8(layer)));
  return {};
}

Status Writer::commit(const char* layer) {
  if (GDALDatasetCommitTransaction(m_ds.get()) != OGRERR_NONE)
    return gdalError(QStringLiteral("committing layer '%1'").arg(QString::fromUtf8(layer)));
  return {};
}

Status Writer::add(OGRLayerH layer, OGRFeatureH f, const char* name, qint64 row) {
  OGR_F_SetFID(f, OGRNullFID);
  if (OGR_L_CreateFeature(layer, f) != OGRERR_NONE) {
    Error e = gdalError(QStringLiteral("writing layer '%1'").arg(QString::fromUtf8(name)));
    return e.withRow(row);
  }
  if (m_feedback && (row & 0xFFF) == 0 && m_feedback->isCancelled()) return checkCancel(QString::fromUtf8(name));
  return {};
}

#define NS_TRY(expr)                \
  do {                              \
    if (Status s_ = (expr); !s_) {  \
      return s_.error();            \
    }                               \
  } while (false)

Status Writer::writeStations() {
  auto layer = createLayer(kStations, wkbPoint,
                           {{"id", OFTString, true}, {"name", OFTString}, {"type", OFTString}, {"capacity", OFTReal}});
  if (!layer) return layer.error();
  NS_TRY(begin(kStations));
  OgrFeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = static_cast<OGRFeatureH>(f.get());
  qint64 row = 0;
  for (const BaseStation& s : m_s.stations) {
    OGR_F_SetFieldString(fh, 0, s.id.toUtf8().constData());
    OGR_F_SetFieldString(fh, 1, s.name.toUtf8().constData());
    OGR_F_SetFieldString(fh, 2, stationTypeName(s.type).toUtf8().constData());
    OGR_F_SetFieldDouble(fh, 3, s.capacity);
    OGR_F_SetGeometryDirectly(fh, toOgr(Geometry::point(s.position)));
    NS_TRY(add(*layer, fh, kStations, ++row));
  }
  return commit(kStations);
}

Status Writer::writeTrafficSites() {
  // The geometry is the footprint where there is one, so QGIS draws grid cells as cells; the
  // representative point always travels in x/y, since a polygon's centroid need not be it.
  // Without any footprint the layer is a plain point layer; a mix needs the generic type.
  bool anyFootprint = false, anyPoint = false;
  std::vector<const Geometry*> footprints;
  for (const TrafficSite& t : m_s.trafficSites) {
    if (t.footprint.isEmpty()) {
      anyPoint = true;
    } else {
      anyFootprint = true;
      footprints.push_back(&t.footprint);
    }
  }
  OGRwkbGeometryType type = wkbPolygon;
  if (anyFootprint && anyPoint) type = wkbUnknown;
  else if (anyFootprint) type = polygonalLayerType(footprints);
  else if (anyPoint) type = wkbPoint;
  auto layer = createLayer(kTrafficSites, type, {{"id", OFTString, true}, {"name", OFTString}, {"x", OFTReal}, {"y", OFTReal}});
  if (!layer) return layer.error();
  if (m_s.trafficSites.empty()) return {};
  NS_TRY(begin(kTrafficSites));
  OgrFeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = static_cast<OGRFeatureH>(f.get());
  qint64 row = 0;
  for (const TrafficSite& t : m_s.trafficSites) {
    ++row;
    if (!t.footprint.isEmpty() && !t.footprint.isPolygonal())
      return Error(ErrorCode::InvalidGeometry, QStringLiteral("layer traffic_sites: the footprint of '%1' is not a polygon").arg(t.id),
                   {m_target, row, QStringLiteral("geometry")});
    OGR_F_SetFieldString(fh, 0, t.id.toUtf8().constData());
    OGR_F_SetFieldString(fh, 1, t.name.toUtf8().constData());
    OGR_F_SetFieldDouble(fh, 2, t.position.x);
    OGR_F_SetFieldDouble(fh, 3, t.position.y);
    OGR_F_SetGeometryDirectly(fh, toOgr(t.footprint.isEmpty() ? Geometry::point(t.position) : t.footprint));
    NS_TRY(add(*layer, fh, kTrafficSites, row));
  }
  return commit(kTrafficSites);
}

Status Writer::writePois() {
  auto layer = createLayer(kPois, wkbPoint, {{"id", OFTInteger64}, {"category", OFTString}, {"name", OFTString}});
  if (!layer) return layer.error();
  NS_TRY(begin(kPois));
  OgrFeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = static_cast<OGRFeatureH>(f.get());
  qint64 row = 0;
  for (const Poi& p : m_s.pois) {
    OGR_F_SetFieldInteger64(fh, 0, p.id);
    OGR_F_SetFieldString(fh, 1, poiCategoryName(p.category).toUtf8().constData());
    OGR_F_SetFieldString(fh, 2, p.name.toUtf8().constData());
    OGR_F_SetGeometryDirectly(fh, toOgr(Geometry::point(p.position)));
    NS_TRY(add(*layer, fh, kPois, ++row));
  }
  return commit(kPois);
}

Status Writer::writeZones() {
  std::vector<const Geometry*> geoms;
  for (const Zone& z : m_s.zones) geoms.push_back(&z.polygon);
  auto layer = createLayer(kZones, polygonalLayerType(geoms), {{"id", OFTInteger64}, {"class", OFTString}, {"name", OFTString}});
  if (!layer) return layer.error();
  NS_TRY(begin(kZones));
  OgrFeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = static_cast<OGRFeatureH>(f.get());
  qint64 row = 0;
  for (const Zone& z : m_s.zones) {
    ++row;
    if (!z.polygon.isPolygonal())
      return Error(ErrorCode::InvalidGeometry, QStringLiteral("zone %1 is not a polygon").arg(z.id), {m_target, row, QStringLiteral("geometry")});
    OGR_F_SetFieldInteger64(fh, 0, z.id);
    OGR_F_SetFieldString(fh, 1, zoneClassName(z.zoneClass).toUtf8().constData());
    OGR_F_SetFieldString(fh, 2, z.name.toUtf8().constData());
    OGR_F_SetGeometryDirectly(fh, toOgr(z.polygon));
    NS_TRY(add(*layer, fh, kZones, row));
  }
  return commit(kZones);
}

Status Writer::writeAoi() {
  const bool has = !m_s.aoi.isEmpty();
  auto layer = createLayer(kAoi, has && m_s.aoi.type == GeometryType::MultiPolygon ? wkbMultiPolygon : wkbPolygon, {});
  if (!layer) return layer.error();
  if (!has) return {};
  if (!m_s.aoi.isPolygonal())
    return Error(ErrorCode::InvalidGeometry, QStringLiteral("the area of interest is not a polygon"), {m_target, {}, QStringLiteral("aoi")});
  NS_TRY(begin(kAoi));
  OgrFeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  OGR_F_SetGeometryDirectly(static_cast<OGRFeatureH>(f.get()), toOgr(m_s.aoi));
  NS_TRY(add(*layer, static_cast<OGRFeatureH>(f.get()), kAoi, 1));
  return commit(kAoi);
}

Status Writer::writeCandidates() {
  std::vector<const Geometry*> geoms;
  for (const Candidate& c : m_s.candidates) geoms.push_back(&c.cell);
  auto layer = createLayer(kCandidates, polygonalLayerType(geoms),
                           {{"id", OFTInteger64}, {"feasible", OFTInteger}, {"reason", OFTString}});
  if (!layer) return layer.error();
  NS_TRY(begin(kCandidates));
  OgrFeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = static_cast<OGRFeatureH>(f.get());
  qint64 row = 0;
  for (const Candidate& c : m_s.candidates) {
    OGR_F_SetFieldInteger64(fh, 0, c.id);
    OGR_F_SetFieldInteger(fh, 1, c.feasible ? 1 : 0);
    OGR_F_SetFieldString(fh, 2, c.reason.toUtf8().constData());
    OGR_F_SetGeometryDirectly(fh, toOgr(c.cell));
    NS_TRY(add(*layer, fh, kCandidates, ++row));
  }
  return commit(kCandidates);
}

//! Pre-formatted hour stamps: formatting a QDateTime per row would dominate the write time.
std::vector<QByteArray> hourStamps(const QDateTime& start, std::size_t hours) {
  std::vector<QByteArray> stamps(hours);
  const QDateTime utc = start.toUTC();
  for (std::size_t h = 0; h < hours; ++h) stamps[h] = isoUtc(utc.addSecs(qint64(h) * 3600)).toUtf8();
  return stamps;
}

Status Writer::writeTrafficObserved() {
  auto layer = createLayer(kTrafficObserved, wkbNone, {{"site_id", OFTString}, {"t", OFTString}, {"value", OFTReal}});
  if (!layer) return layer.error();
  if (m_s.trafficObserved.isEmpty()) return {};
  if (!m_s.trafficObserved.start.isValid())
    return Error(ErrorCode::InvalidValue, QStringLiteral("observed traffic has no start time"), {m_target, {}, QStringLiteral("traffic_observed.t")});
  NS_TRY(begin(kTrafficObserved));
  const auto stamps = hourStamps(m_s.trafficObserved.start, m_s.trafficObserved.hours());
  OgrFeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = static_cast<OGRFeatureH>(f.get());
  qint64 row = 0;
  for (const auto& [site, values] : m_s.trafficObserved.valuesBySite) {
    const QByteArray id = site.toUtf8();
    OGR_F_SetFieldString(fh, 0, id.constData());
    for (std::size_t h = 0; h < values.size(); ++h) {
      OGR_F_SetFieldString(fh, 1, stamps[h].constData());
      // Missing hours stay as rows with a NULL value so the series keeps its length on reload.
      if (std::isnan(values[h])) OGR_F_SetFieldNull(fh, 2);
      else OGR_F_SetFieldDouble(fh, 2, double(values[h]));
      NS_TRY(add(*layer, fh, kTrafficObserved, ++row));
    }
  }
  return commit(kTrafficObserved);
}

Status Writer::writeTrafficGenerated() {
  // One row per (run, site, sample), the series packed as a float32 BLOB: the long format (one row
  // per hour) made a 2,006-site × 32-sample generation a 3.7 GB file that took minutes to write.
  auto layer = createLayer(kTrafficGenerated, wkbNone,
                           {{"run_id", OFTString}, {"site_id", OFTString}, {"sample", OFTInteger}, {"start_utc", OFTString},
                            {"hours", OFTInteger}, {"layout", OFTString}, {"series", OFTBinary}});
  if (!layer) return layer.error();
  if (m_s.trafficGenerated.empty()) return {};
  NS_TRY(begin(kTrafficGenerated));
  OgrFeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = static_cast<OGRFeatureH>(f.get());
  OGR_F_SetFieldString(fh, 5, kGeneratedLayout);
  std::vector<unsigned char> bytes;
  qint64 row = 0;
  for (const GeneratedTraffic& g : m_s.trafficGenerated) {
    if (!g.start.isValid())
      return Error(ErrorCode::InvalidValue, QStringLiteral("generated traffic of run '%1' has no start time").arg(g.runId),
                   {m_target, {}, QStringLiteral("traffic_generated.start_utc")});
    const QByteArray runId = g.runId.toUtf8();
    const QByteArray start = isoUtc(g.start).toUtf8();
    OGR_F_SetFieldString(fh, 0, runId.constData());
    OGR_F_SetFieldString(fh, 3, start.constData());
    for (const auto& [site, samples] : g.samplesBySite) {
      const QByteArray id = site.toUtf8();
      OGR_F_SetFieldString(fh, 1, id.constData());
      if (samples.size() > kMaxGeneratedSamples)
        return Error(ErrorCode::InvalidValue, QStringLiteral("generated traffic of run '%1', site '%2' has %3 samples (at most %4)")
                                                  .arg(g.runId, site).arg(samples.size()).arg(kMaxGeneratedSamples),
                     {m_target, {}, QStringLiteral("traffic_generated.sample")});
      for (std::size_t k = 0; k < samples.size(); ++k) {
        const std::vector<float>& x = samples[k];
        if (x.size() > kMaxSeriesHours)
          return Error(ErrorCode::InvalidValue, QStringLiteral("generated series of run '%1', site '%2', sample %3 has %4 hours (at most %5)")
                                                    .arg(g.runId, site).arg(k).arg(x.size()).arg(kMaxSeriesHours),
                       {m_target, {}, QStringLiteral("traffic_generated.hours")});
        encodeSeries(x, bytes);
        OGR_F_SetFieldInteger(fh, 2, int(k));
        OGR_F_SetFieldInteger(fh, 4, int(x.size()));
        OGR_F_SetFieldBinary(fh, 6, int(bytes.size()), bytes.data());
        NS_TRY(add(*layer, fh, kTrafficGenerated, ++row));
      }
    }
  }
  return commit(kTrafficGenerated);
}

Status Writer::writeGeneratedSummary() {
  // Plain numbers per (run, site), so QGIS and ogrinfo can join and style candidates without
  // decoding the BLOBs. The statistics are core's planning utilities (computeSiteUtilities); σ in
  // physical units always, normalised σ and LSI where the run records its normalisation scale.
  auto layer = createLayer(kGeneratedSummary, wkbNone,
                           {{"run_id", OFTString}, {"site_id", OFTString}, {"samples", OFTInteger}, {"hours", OFTInteger},
                            {"mean", OFTReal}, {"p95", OFTReal}, {"sigma", OFTReal}, {"sigma_normalised", OFTReal},
                            {"lsi", OFTReal}, {"units", OFTString}});
  if (!layer) return layer.error();
  if (m_s.trafficGenerated.empty()) return {};
  NS_TRY(begin(kGeneratedSummary));
  OgrFeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = static_cast<OGRFeatureH>(f.get());
  const QByteArray units = m_s.metadata.trafficUnit.toUtf8();
  qint64 row = 0;
  for (const GeneratedTraffic& g : m_s.trafficGenerated) {
    double scale = 0.0;
    for (const RunRecord& r : m_s.runs)
      if (r.runId == g.runId) scale = r.parameters.value(QStringLiteral("normalisation_scale")).toDouble();
    const QByteArray runId = g.runId.toUtf8();
    OGR_F_SetFieldString(fh, 0, runId.constData());
    OGR_F_SetFieldString(fh, 9, units.constData());
    for (const auto& [site, samples] : g.samplesBySite) {
      OGR_F_SetFieldString(fh, 1, site.toUtf8().constData());
      OGR_F_SetFieldInteger(fh, 2, int(samples.size()));
      if (samples.empty()) OGR_F_SetFieldNull(fh, 3);
      else OGR_F_SetFieldInteger(fh, 3, int(samples.front().size()));
      // Scale 1 gives σ in physical units. A site with missing hours (NaN) or samples of different
      // lengths has no utilities in core either: its statistics are NULL.
      auto u = computeSiteUtilities({SiteSamples{site, {}, samples}}, 1.0);
      if (u) {
        const SiteUtilities& su = u->front();
        OGR_F_SetFieldDouble(fh, 4, su.mean);
        OGR_F_SetFieldDouble(fh, 5, su.p95);
        OGR_F_SetFieldDouble(fh, 6, su.sigma);
        if (scale > 0.0 && std::isfinite(scale)) {
          OGR_F_SetFieldDouble(fh, 7, su.sigma / scale);
          OGR_F_SetFieldDouble(fh, 8, 1.0 / (su.sigma / scale + 1e-6));
        } else {
          OGR_F_SetFieldNull(fh, 7);
          OGR_F_SetFieldNull(fh, 8);
        }
      } else {
        for (int i = 4; i <= 8; ++i) OGR_F_SetFieldNull(fh, i);
      }
      NS_TRY(add(*layer, fh, kGeneratedSummary, ++row));
    }
  }
  return commit(kGeneratedSummary);
}

Status Writer::writeRankings() {
  auto layer = createLayer(kRankings, wkbNone,
                           {{"run_id", OFTString}, {"rank", OFTInteger}, {"site_id", OFTString}, {"utility", OFTString},
                            {"value", OFTReal}, {"extra", OFTString}});
  if (!layer) return layer.error();
  if (m_s.rankings.empty()) return {};
  NS_TRY(begin(kRankings));
  OgrFeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = static_cast<OGRFeatureH>(f.get());
  qint64 row = 0;
  for (const RankingRow& r : m_s.rankings) {
    OGR_F_SetFieldString(fh, 0, r.runId.toUtf8().constData());
    OGR_F_SetFieldInteger(fh, 1, r.rank);
    OGR_F_SetFieldString(fh, 2, r.siteId.toUtf8().constData());
    OGR_F_SetFieldString(fh, 3, r.utility.toUtf8().constData());
    OGR_F_SetFieldDouble(fh, 4, r.value);
    OGR_F_SetFieldString(fh, 5, jsonText(r.extra).toUtf8().constData());
    NS_TRY(add(*layer, fh, kRankings, ++row));
  }
  return commit(kRankings);
}

Status Writer::writeRuns() {
  auto layer = createLayer(kRuns, wkbNone,
                           {{"run_id", OFTString}, {"kind", OFTString}, {"model_id", OFTString}, {"weights_sha256", OFTString},
                            {"seed", OFTString}, {"parameters", OFTString}, {"data_hashes", OFTString}, {"time", OFTString}});
  if (!layer) return layer.error();
  if (m_s.runs.empty()) return {};
  NS_TRY(begin(kRuns));
  OgrFeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = static_cast<OGRFeatureH>(f.get());
  qint64 row = 0;
  for (const RunRecord& r : m_s.runs) {
    OGR_F_SetFieldString(fh, 0, r.runId.toUtf8().constData());
    OGR_F_SetFieldString(fh, 1, r.kind.toUtf8().constData());
    OGR_F_SetFieldString(fh, 2, r.modelId.toUtf8().constData());
    OGR_F_SetFieldString(fh, 3, r.weightsSha256.toUtf8().constData());
    // Text, because a quint64 seed does not fit SQLite's signed 64-bit integer.
    OGR_F_SetFieldString(fh, 4, QByteArray::number(r.seed).constData());
    OGR_F_SetFieldString(fh, 5, jsonText(r.parameters).toUtf8().constData());
    OGR_F_SetFieldString(fh, 6, jsonText(r.dataHashes).toUtf8().constData());
    OGR_F_SetFieldString(fh, 7, isoUtc(r.time).toUtf8().constData());
    NS_TRY(add(*layer, fh, kRuns, ++row));
  }
  return commit(kRuns);
}

Status Writer::writeMetadata() {
  auto layer = createLayer(kMetadata, wkbNone, {{"key", OFTString, true}, {"value", OFTString}});
  if (!layer) return layer.error();
  const ScenarioMetadata& m = m_s.metadata;
  std::vector<std::pair<QString, QString>> rows{
      {QStringLiteral("schema_version"), QString::number(kSchemaVersion)},
      {QStringLiteral("name"), m.name},
      {QStringLiteral("crs"), m.crs.definition()},
      {QStringLiteral("time_zone"), m.timeZone},
      {QStringLiteral("traffic_unit"), m.trafficUnit},
      {QStringLiteral("series_start"), isoUtc(m.seriesStart)},
      {QStringLiteral("preset"), m.preset},
      {QStringLiteral("seed"), QString::number(m.seed)},
  };
  if (!m_s.trafficObserved.isEmpty())
    rows.emplace_back(QStringLiteral("traffic_observed.start"), isoUtc(m_s.trafficObserved.start));
  if (!m_s.imagery.externalPath.isEmpty()) rows.emplace_back(QStringLiteral("imagery.external"), m_s.imagery.externalPath);
  if (!m_s.population.externalPath.isEmpty()) rows.emplace_back(QStringLiteral("population.external"), m_s.population.externalPath);
  for (auto it = m.extra.cbegin(); it != m.extra.cend(); ++it) {
    if (reservedKeys().contains(it.key()))
      return Error(ErrorCode::InvalidArgument, QStringLiteral("metadata extra key '%1' is reserved").arg(it.key()),
                   {m_target, {}, QStringLiteral("metadata.key")});
    rows.emplace_back(it.key(), it.value().toString());
  }
  NS_TRY(begin(kMetadata));
  OgrFeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = static_cast<OGRFeatureH>(f.get());
  qint64 row = 0;
  for (const auto& [key, value] : rows) {
    OGR_F_SetFieldString(fh, 0, key.toUtf8().constData());
    OGR_F_SetFieldString(fh, 1, value.toUtf8().constData());
    NS_TRY(add(*layer, fh, kMetadata, ++row));
  }
  return commit(kMetadata);
}

//! A MEM dataset over a copy of the grid, with the scenario CRS and geotransform set.
DatasetPtr memDataset(int width, int height, int bands, GDALDataType type, const void* data, const GeoTransform& gt,
                      const QByteArray& wkt) {
  GDALDriverH mem = GDALGetDriverByName("MEM");
  if (!mem) return DatasetPtr();
  DatasetPtr ds(GDALCreate(mem, "", width, height, bands, type, nullptr));
  if (!ds) return ds;
  auto gtCopy = gt;
  GDALSetGeoTransform(ds.get(), gtCopy.data());
  GDALSetProjection(ds.get(), wkt.constData());
  if (GDALDatasetRasterIO(ds.get(), GF_Write, 0, 0, width, height, const_cast<void*>(data), width, height, type, bands,
                          nullptr, 0, 0, 0) != CE_None)
    return DatasetPtr();
  if (bands == 3) {
    GDALSetRasterColorInterpretation(GDALGetRasterBand(ds.get(), 1), GCI_RedBand);
    GDALSetRasterColorInterpretation(GDALGetRasterBand(ds.get(), 2), GCI_GreenBand);
    GDALSetRasterColorInterpretation(GDALGetRasterBand(ds.get(), 3), GCI_BlueBand);
  }
  return ds;
}

Status Writer::writeImagery() {
  const ImageRaster& img = m_s.imagery.grid;
  if (!m_s.imagery.externalPath.isEmpty() || img.isEmpty()) return {};
  if (img.rgb.size() != std::size_t(img.width) * std::size_t(img.height) * 3)
    return Error(ErrorCode::InvalidValue, QStringLiteral("imagery has %1 bytes, expected 3 × %2 × %3").arg(img.rgb.size()).arg(img.width).arg(img.height),
                 {m_target, {}, QStringLiteral("imagery")});
  DatasetPtr mem = memDataset(img.width, img.height, 3, GDT_Byte, img.rgb.data(), img.geoTransform, m_s.metadata.crs.wkt().toUtf8());
  if (!mem) return gdalError(QStringLiteral("preparing the imagery"));
  GDALDriverH gpkg = GDALGetDriverByName("GPKG");
  const char* options[] = {"RASTER_TABLE=imagery", "APPEND_SUBDATASET=YES", "TILE_FORMAT=PNG", nullptr};
  const double base = double(m_stepsDone) / m_stepCount, span = 1.0 / m_stepCount;
  ScopedFeedback copyFb(m_feedback, base, base + span * 0.6);
  DatasetPtr out(GDALCreateCopy(gpkg, m_temp.toUtf8().constData(), mem.get(), FALSE, const_cast<char**>(options),
                                m_feedback ? ScopedFeedback::gdalProgress : nullptr, &copyFb));
  NS_TRY(checkCancel(QStringLiteral("imagery")));
  if (!out) return gdalError(QStringLiteral("writing the imagery"));
  out.reset();
  // Overviews make the map fast at every zoom, in QGIS as in the studio.
  const char* openOptions[] = {"TABLE=imagery", nullptr};
  DatasetPtr ds(GDALOpenEx(m_temp.toUtf8().constData(), GDAL_OF_RASTER | GDAL_OF_UPDATE, nullptr, openOptions, nullptr));
  if (!ds) return gdalError(QStringLiteral("reopening the imagery for overviews"));
  // A GeoPackage overview level exists only where the level above it needs more than one
  // 256-pixel tile; asking for more fails with "Image too small".
  std::vector<int> levels;
  const int largest = std::max(img.width, img.height);
  for (int level : {2, 4, 8, 16})
    if (largest > 256 * level / 2) levels.push_back(level);
  if (!levels.empty()) {
    ScopedFeedback ovFb(m_feedback, base + span * 0.6, base + span);
    if (GDALBuildOverviews(ds.get(), "AVERAGE", int(levels.size()), levels.data(), 0, nullptr,
                           m_feedback ? ScopedFeedback::gdalProgress : nullptr, &ovFb) != CE_None) {
      NS_TRY(checkCancel(QStringLiteral("imagery overviews")));
      return gdalError(QStringLiteral("building the imagery overviews"));
    }
  }
  ds.reset();
  return {};
}

Status Writer::writePopulation() {
  const ValueRaster& pop = m_s.population.grid;
  if (!m_s.population.externalPath.isEmpty() || pop.isEmpty()) return {};
  if (pop.values.size() != std::size_t(pop.width) * std::size_t(pop.height))
    return Error(ErrorCode::InvalidValue, QStringLiteral("population has %1 values, expected %2 × %3").arg(pop.values.size()).arg(pop.width).arg(pop.height),
                 {m_target, {}, QStringLiteral("population")});
  DatasetPtr mem = memDataset(pop.width, pop.height, 1, GDT_Float32, pop.values.data(), pop.geoTransform,
                              m_s.metadata.crs.wkt().toUtf8());
  if (!mem) return gdalError(QStringLiteral("preparing the population raster"));
  GDALSetRasterNoDataValue(GDALGetRasterBand(mem.get(), 1), std::numeric_limits<double>::quiet_NaN());
  GDALDriverH gpkg = GDALGetDriverByName("GPKG");
  const char* options[] = {"RASTER_TABLE=population", "APPEND_SUBDATASET=YES", "TILE_FORMAT=TIFF", nullptr};
  const double base = double(m_stepsDone) / m_stepCount;
  ScopedFeedback fb(m_feedback, base, base + 1.0 / m_stepCount);
  DatasetPtr out(GDALCreateCopy(gpkg, m_temp.toUtf8().constData(), mem.get(), FALSE, const_cast<char**>(options),
                                m_feedback ? ScopedFeedback::gdalProgress : nullptr, &fb));
  NS_TRY(checkCancel(QStringLiteral("population")));
  if (!out) return gdalError(QStringLiteral("writing the population raster"));
  return {};
}

Status validateForSave(const Scenario& s, const QString& target) {
  if (!s.metadata.crs.isValid())
    return Error(ErrorCode::UnknownCrs, QStringLiteral("the scenario has no CRS"), {target, {}, QStringLiteral("metadata.crs")});
  std::set<QString> ids;
  qint64 row = 0;
  for (const BaseStation& st : s.stations) {
    ++row;
    if (st.id.isEmpty())
      return Error(ErrorCode::InvalidValue, QStringLiteral("layer base_stations: empty station id"), {target, row, QStringLiteral("id")});
    if (!ids.insert(st.id).second)
      return Error(ErrorCode::InvalidValue, QStringLiteral("layer base_stations: duplicate station id '%1'").arg(st.id),
                   {target, row, QStringLiteral("id")});
  }
  // Stations and traffic sites share one id space: traffic rows name a site by id alone.
  row = 0;
  for (const TrafficSite& t : s.trafficSites) {
    ++row;
    if (t.id.isEmpty())
      return Error(ErrorCode::InvalidValue, QStringLiteral("layer traffic_sites: empty traffic site id"), {target, row, QStringLiteral("id")});
    if (!ids.insert(t.id).second)
      return Error(ErrorCode::InvalidValue,
                   QStringLiteral("layer traffic_sites: duplicate id '%1' (already used by a base station or another traffic site)").arg(t.id),
                   {target, row, QStringLiteral("id")});
    if (!std::isfinite(t.position.x) || !std::isfinite(t.position.y))
      return Error(ErrorCode::InvalidValue, QStringLiteral("layer traffic_sites: '%1' has no finite position").arg(t.id),
                   {target, row, QStringLiteral("x")});
  }
  for (const auto& [site, values] : s.trafficObserved.valuesBySite) {
    if (!ids.count(site))
      return Error(ErrorCode::InvalidValue,
                   QStringLiteral("table traffic_observed: unknown site id '%1' (neither a base station nor a traffic site)").arg(site),
                   {target, {}, QStringLiteral("site_id")});
    for (float v : values)
      if (v < 0.0f || std::isinf(v))
        return Error(ErrorCode::InvalidValue, QStringLiteral("table traffic_observed: site '%1' has a negative or infinite value").arg(site),
                     {target, {}, QStringLiteral("value")});
  }
  return {};
}

Status Writer::run() {
  NS_TRY(checkCancel(QStringLiteral("start")));
  if (m_options.failAfterSteps == 0)
    return Error(ErrorCode::Io, QStringLiteral("writing failed: no space left on device (simulated)"), {m_target});
  GDALDriverH gpkg = GDALGetDriverByName("GPKG");
  if (!gpkg) return Error(ErrorCode::Internal, QStringLiteral("GDAL has no GPKG driver"), {m_target});
  m_srs.reset(OSRNewSpatialReference(nullptr));
  if (OSRSetFromUserInput(static_cast<OGRSpatialReferenceH>(m_srs.get()), m_s.metadata.crs.definition().toUtf8().constData()) != OGRERR_NONE &&
      OSRSetFromUserInput(static_cast<OGRSpatialReferenceH>(m_srs.get()), m_s.metadata.crs.wkt().toUtf8().constData()) != OGRERR_NONE)
    return Error(ErrorCode::UnknownCrs, QStringLiteral("GDAL cannot use the scenario CRS %1").arg(m_s.metadata.crs.label()),
                 {m_target, {}, QStringLiteral("metadata.crs")});
  OSRSetAxisMappingStrategy(static_cast<OGRSpatialReferenceH>(m_srs.get()), OAMS_TRADITIONAL_GIS_ORDER);

  {
    // SQLite keeps a row on one page when it fits: with the default 4 KB pages a 2.7 KB series row
    // (672 hours) fills a page alone and wastes a third of the file. Large pages hold ~20 of them.
    // The page size of an SQLite file is fixed when it is created, hence the option around Create.
    const QByteArray previous = CPLGetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", nullptr);
    const QByteArray pragma = QByteArray("page_size=") + QByteArray::number(kPageSize) + (previous.isEmpty() ? QByteArray() : "," + previous);
    CPLSetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", pragma.constData());
    m_ds.reset(GDALCreate(gpkg, m_temp.toUtf8().constData(), 0, 0, 0, GDT_Unknown, nullptr));
    CPLSetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", previous.isEmpty() ? nullptr : previous.constData());
  }
  if (!m_ds) return gdalError(QStringLiteral("creating the GeoPackage"));

  const std::vector<std::pair<QString, std::function<Status()>>> vectorSteps{
      {QStringLiteral("base stations"), [this] { return writeStations(); }},
      {QStringLiteral("traffic sites"), [this] { return writeTrafficSites(); }},
      {QStringLiteral("POIs"), [this] { return writePois(); }},
      {QStringLiteral("zones"), [this] { return writeZones(); }},
      {QStringLiteral("area of interest"), [this] { return writeAoi(); }},
      {QStringLiteral("candidates"), [this] { return writeCandidates(); }},
      {QStringLiteral("observed traffic"), [this] { return writeTrafficObserved(); }},
      {QStringLiteral("generated traffic"), [this] { return writeTrafficGenerated(); }},
      {QStringLiteral("generated summary"), [this] { return writeGeneratedSummary(); }},
      {QStringLiteral("rankings"), [this] { return writeRankings(); }},
      {QStringLiteral("runs"), [this] { return writeRuns(); }},
      {QStringLiteral("metadata"), [this] { return writeMetadata(); }},
  };
  for (const auto& [what, write] : vectorSteps) {
    if (m_feedback) m_feedback->setProgress(double(m_stepsDone) / m_stepCount, QStringLiteral("Saving %1").arg(what));
    NS_TRY(write());
    NS_TRY(step(what));
  }
  // The raster tables are appended through GDALCreateCopy, which opens the file itself.
  m_ds.reset();
  if (m_errors.hasFailure()) return gdalError(QStringLiteral("closing the GeoPackage"));
  NS_TRY(writeImagery());
  NS_TRY(step(QStringLiteral("imagery")));
  NS_TRY(writePopulation());
  NS_TRY(step(QStringLiteral("population")));
  if (m_errors.hasFailure()) return gdalError(QStringLiteral("writing rasters"));
  return {};
}

void removeTempFiles(const QString& temp) {
  for (const char* suffix : {"", "-journal", "-wal", "-shm", ".aux.xml"}) QFile::remove(temp + QString::fromLatin1(suffix));
}

bool syncPath(const QString& path, bool directory) {
  const int fd = ::open(QFile::encodeName(path).constData(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// ---------------------------------------------------------------------------------------------
// Reading

class Reader {
 public:
  Reader(QString path, Feedback* feedback) : m_path(std::move(path)), m_feedback(feedback) {}
  Result<Scenario> run();

 private:
  Error error(ErrorCode code, const QString& layer, const QString& message, std::optional<qint64> row = {}, const QString& field = {}) const {
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
  Status readRasters();

  QString m_path;
  Feedback* m_feedback;
  GdalErrorScope m_errors;
  DatasetPtr m_ds;
  Scenario m_s;
  QHash<QString, QDateTime> m_timeCache;
  double m_progressAt = 0.0;  //!< where the current step started, for messages inside a step
};

Result<OGRLayerH> Reader::layer(const char* name, bool required, bool spatial) {
  OGRLayerH l = GDALDatasetGetLayerByName(m_ds.get(), name);
  if (!l) {
    if (required)
      return Error(ErrorCode::MissingField, QStringLiteral("required layer '%1' is missing").arg(QString::fromUtf8(name)),
                   {m_path, {}, QString::fromUtf8(name)});
    return static_cast<OGRLayerH>(nullptr);
  }
  if (spatial) {
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(l);
    const Crs crs = detail::crsFromSpatialRef(srs);
    if (!crs.isValid() || !crs.isEquivalentTo(m_s.metadata.crs))
      return Error(ErrorCode::UnknownCrs,
                   QStringLiteral("layer '%1' is in %2, not in the scenario CRS %3")
                       .arg(QString::fromUtf8(name), crs.isValid() ? crs.label() : QStringLiteral("an unknown CRS"), m_s.metadata.crs.label()),
                   {m_path, {}, QString::fromUtf8(name)});
  }
  return l;
}

Result<std::vector<int>> Reader::fields(OGRLayerH layer, const char* layerName, const std::vector<const char*>& names) {
  std::vector<int> idx;
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  for (const char* n : names) {
    const int i = OGR_FD_GetFieldIndex(defn, n);
    if (i < 0)
      return Error(ErrorCode::MissingField, QStringLiteral("layer '%1' has no field '%2'").arg(QString::fromUtf8(layerName), QString::fromUtf8(n)),
                   {m_path, {}, QString::fromUtf8(n)});
    idx.push_back(i);
  }
  return idx;
}

Status Reader::forEach(OGRLayerH layer, const char* name, const std::function<Status(OGRFeatureH, qint64)>& fn) {
  OGR_L_ResetReading(layer);
  qint64 row = 0;
  for (;;) {
    OgrFeaturePtr f(OGR_L_GetNextFeature(layer));
    if (!f) break;
    ++row;
    if ((row & 0xFFF) == 0) NS_TRY(checkCancel());
    NS_TRY(fn(static_cast<OGRFeatureH>(f.get()), row));
  }
  if (m_errors.hasFailure())
    return error(ErrorCode::CorruptData, QString::fromUtf8(name), QStringLiteral("reading stopped: %1").arg(m_errors.failureText({}, m_path)), row + 1);
  return {};
}

Result<Geometry> Reader::geometry(OGRFeatureH f, const char* layer, qint64 row, bool polygonal) {
  auto g = fromOgr(OGR_F_GetGeometryRef(f));
  if (!g || g->isEmpty())
    return error(ErrorCode::InvalidGeometry, QString::fromUtf8(layer), QStringLiteral("missing or unsupported geometry"), row, QStringLiteral("geometry"));
  if (polygonal ? !g->isPolygonal() : g->type != GeometryType::Point)
    return error(ErrorCode::InvalidGeometry, QString::fromUtf8(layer),
                 polygonal ? QStringLiteral("geometry is not a polygon") : QStringLiteral("geometry is not a point"), row,
                 QStringLiteral("geometry"));
  return *g;
}

Result<QDateTime> Reader::time(OGRFeatureH f, int field, const char* layer, qint64 row) {
  const QString s = text(f, field);
  // The same hour stamps repeat for every site; parsing each once keeps loading fast.
  auto it = m_timeCache.constFind(s);
  if (it != m_timeCache.cend()) return *it;
  auto t = parseIsoUtc(s);
  if (!t)
    return error(ErrorCode::ParseError, QString::fromUtf8(layer), QStringLiteral("not an ISO-8601 time: '%1'").arg(s.left(40)), row,
                 QStringLiteral("t"));
  m_timeCache.insert(s, *t);
  return *t;
}

Result<float> Reader::trafficValue(OGRFeatureH f, int field, int typeField, const char* layer, qint64 row) {
  const QString type = text(f, typeField);
  if (type == QLatin1String("null")) return std::numeric_limits<float>::quiet_NaN();
  if (type != QLatin1String("real") && type != QLatin1String("integer"))
    return error(ErrorCode::InvalidValue, QString::fromUtf8(layer), QStringLiteral("not a number: '%1'").arg(text(f, typeField + 1).left(40)), row,
                 QStringLiteral("value"));
  const QString s = text(f, typeField + 1);
  const double v = OGR_F_GetFieldAsDouble(f, field);
  if (!std::isfinite(v))
    return error(ErrorCode::InvalidValue, QString::fromUtf8(layer), QStringLiteral("not a number: '%1'").arg(s.left(40)), row, QStringLiteral("value"));
  if (v < 0.0)
    return error(ErrorCode::InvalidValue, QString::fromUtf8(layer), QStringLiteral("negative traffic value %1").arg(s), row, QStringLiteral("value"));
  return float(v);
}

Status Reader::forEachTyped(const char* table, const std::function<Status(OGRLayerH)>& prepare,
                            const std::function<Status(OGRFeatureH, qint64)>& fn) {
  const QByteArray sql = QByteArray("SELECT *, typeof(value) AS ns_value_type, CAST(value AS TEXT) AS ns_value_text FROM \"") + table + "\" ORDER BY fid";
  OGRLayerH rs = GDALDatasetExecuteSQL(m_ds.get(), sql.constData(), nullptr, nullptr);
  if (!rs)
    return error(ErrorCode::CorruptData, QString::fromUtf8(table), QStringLiteral("cannot read: %1").arg(m_errors.failureText({}, m_path)));
  Status status = prepare(rs);
  if (status) status = forEach(rs, table, fn);
  GDALDatasetReleaseResultSet(m_ds.get(), rs);
  return status;
}

Status Reader::readMetadata() {
  auto l = layer(kMetadata, true, false);
  if (!l) return l.error();
  auto idx = fields(*l, kMetadata, {"key", "value"});
  if (!idx) return idx.error();
  QMap<QString, QString> kv;
  NS_TRY(forEach(*l, kMetadata, [&](OGRFeatureH f, qint64) -> Status {
    kv.insert(text(f, (*idx)[0]), text(f, (*idx)[1]));
    return {};
  }));
  ScenarioMetadata& m = m_s.metadata;
  if (!kv.contains(QStringLiteral("crs")))
    return error(ErrorCode::MissingField, QString::fromUtf8(kMetadata), QStringLiteral("no 'crs' entry"), {}, QStringLiteral("crs"));
  auto crs = Crs::fromUserInput(kv.value(QStringLiteral("crs")));
  if (!crs)
    return error(ErrorCode::UnknownCrs, QString::fromUtf8(kMetadata), QStringLiteral("unknown CRS: %1").arg(crs.error().message()), {},
                 QStringLiteral("crs"));
  m.crs = *crs;
  m.name = kv.value(QStringLiteral("name"));
  m.timeZone = kv.value(QStringLiteral("time_zone"), QStringLiteral("UTC"));
  m.trafficUnit = kv.value(QStringLiteral("traffic_unit"), m.trafficUnit);
  m.preset = kv.value(QStringLiteral("preset"));
  const auto parseTime = [&](const QString& key, QDateTime* out) -> Status {
    const QString v = kv.value(key);
    if (v.isEmpty()) return {};
    auto t = parseIsoUtc(v);
    if (!t) return error(ErrorCode::ParseError, QString::fromUtf8(kMetadata), QStringLiteral("not an ISO-8601 time: '%1'").arg(v), {}, key);
    *out = *t;
    return {};
  };
  NS_TRY(parseTime(QStringLiteral("series_start"), &m.seriesStart));
  NS_TRY(parseTime(QStringLiteral("traffic_observed.start"), &m_s.trafficObserved.start));
  if (kv.contains(QStringLiteral("seed"))) {
    bool ok = false;
    m.seed = kv.value(QStringLiteral("seed")).toULongLong(&ok);
    if (!ok)
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kMetadata), QStringLiteral("seed is not an unsigned integer"), {}, QStringLiteral("seed"));
  }
  const QDir folder = QFileInfo(m_path).absoluteDir();
  const auto external = [&](const QString& key) {
    const QString p = kv.value(key);
    return p.isEmpty() ? QString() : QDir::cleanPath(folder.absoluteFilePath(p));
  };
  m_s.imagery.externalPath = external(QStringLiteral("imagery.external"));
  m_s.population.externalPath = external(QStringLiteral("population.external"));
  for (auto it = kv.cbegin(); it != kv.cend(); ++it)
    if (!reservedKeys().contains(it.key())) m.extra.insert(it.key(), it.value());
  return {};
}

Status Reader::readStations() {
  auto l = layer(kStations, true, true);
  if (!l) return l.error();
  auto idx = fields(*l, kStations, {"id", "name", "type", "capacity"});
  if (!idx) return idx.error();
  QHash<QString, qint64> seen;
  return forEach(*l, kStations, [&](OGRFeatureH f, qint64 row) -> Status {
    BaseStation s;
    s.id = text(f, (*idx)[0]);
    if (s.id.isEmpty()) return error(ErrorCode::InvalidValue, QString::fromUtf8(kStations), QStringLiteral("empty station id"), row, QStringLiteral("id"));
    if (seen.contains(s.id))
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kStations),
                   QStringLiteral("duplicate station id '%1' (first in row %2)").arg(s.id).arg(seen.value(s.id)), row, QStringLiteral("id"));
    seen.insert(s.id, row);
    s.name = text(f, (*idx)[1]);
    const QString type = text(f, (*idx)[2]);
    auto t = stationTypeFromName(type);
    if (!t)
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kStations), QStringLiteral("unknown station type '%1' (macro or micro)").arg(type), row,
                   QStringLiteral("type"));
    s.type = *t;
    s.capacity = OGR_F_GetFieldAsDouble(f, (*idx)[3]);
    if (!std::isfinite(s.capacity) || s.capacity < 0)
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kStations), QStringLiteral("capacity must be a non-negative number"), row,
                   QStringLiteral("capacity"));
    auto g = geometry(f, kStations, row, false);
    if (!g) return g.error();
    s.position = g->parts[0][0][0];
    m_s.stations.push_back(std::move(s));
    return {};
  });
}

Status Reader::readTrafficSites() {
  // Optional: files written before the layer existed have no traffic sites.
  auto l = layer(kTrafficSites, false, true);
  if (!l) return l.error();
  if (!*l) return {};
  auto idx = fields(*l, kTrafficSites, {"id", "name", "x", "y"});
  if (!idx) return idx.error();
  QHash<QString, qint64> stations;
  for (std::size_t i = 0; i < m_s.stations.size(); ++i) stations.insert(m_s.stations[i].id, qint64(i + 1));
  QHash<QString, qint64> seen;
  return forEach(*l, kTrafficSites, [&](OGRFeatureH f, qint64 row) -> Status {
    TrafficSite t;
    t.id = text(f, (*idx)[0]);
    if (t.id.isEmpty())
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficSites), QStringLiteral("empty traffic site id"), row, QStringLiteral("id"));
    if (stations.contains(t.id))
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficSites),
                   QStringLiteral("id '%1' is already a base station (row %2 of base_stations)").arg(t.id).arg(stations.value(t.id)), row,
                   QStringLiteral("id"));
    if (seen.contains(t.id))
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficSites),
                   QStringLiteral("duplicate traffic site id '%1' (first in row %2)").arg(t.id).arg(seen.value(t.id)), row, QStringLiteral("id"));
    seen.insert(t.id, row);
    t.name = text(f, (*idx)[1]);
    for (int k = 0; k < 2; ++k) {
      const int field = (*idx)[2 + k];
      const double v = OGR_F_GetFieldAsDouble(f, field);
      if (!OGR_F_IsFieldSetAndNotNull(f, field) || !std::isfinite(v))
        return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficSites), QStringLiteral("the position is missing or not a number"), row,
                     QString::fromLatin1(k == 0 ? "x" : "y"));
      (k == 0 ? t.position.x : t.position.y) = v;
    }
    // A point geometry is only the position again; a polygon is the footprint.
    if (OGR_F_GetGeometryRef(f)) {
      auto g = fromOgr(OGR_F_GetGeometryRef(f));
      if (!g || !(g->isPolygonal() || g->type == GeometryType::Point))
        return error(ErrorCode::InvalidGeometry, QString::fromUtf8(kTrafficSites), QStringLiteral("geometry is neither a polygon nor a point"), row,
                     QStringLiteral("geometry"));
      if (g->isPolygonal() && !g->isEmpty()) t.footprint = std::move(*g);
    }
    m_s.trafficSites.push_back(std::move(t));
    return {};
  });
}

Status Reader::readPois() {
  auto l = layer(kPois, true, true);
  if (!l) return l.error();
  auto idx = fields(*l, kPois, {"id", "category", "name"});
  if (!idx) return idx.error();
  return forEach(*l, kPois, [&](OGRFeatureH f, qint64 row) -> Status {
    Poi p;
    p.id = OGR_F_GetFieldAsInteger64(f, (*idx)[0]);
    const QString cat = text(f, (*idx)[1]);
    auto c = poiCategoryFromName(cat);
    if (!c) return error(ErrorCode::InvalidValue, QString::fromUtf8(kPois), QStringLiteral("unknown POI category '%1'").arg(cat), row, QStringLiteral("category"));
    p.category = *c;
    p.name = text(f, (*idx)[2]);
    auto g = geometry(f, kPois, row, false);
    if (!g) return g.error();
    p.position = g->parts[0][0][0];
    m_s.pois.push_back(std::move(p));
    return {};
  });
}

Status Reader::readZones() {
  auto l = layer(kZones, true, true);
  if (!l) return l.error();
  auto idx = fields(*l, kZones, {"id", "class", "name"});
  if (!idx) return idx.error();
  return forEach(*l, kZones, [&](OGRFeatureH f, qint64 row) -> Status {
    Zone z;
    z.id = OGR_F_GetFieldAsInteger64(f, (*idx)[0]);
    const QString cls = text(f, (*idx)[1]);
    auto c = zoneClassFromName(cls);
    if (!c) return error(ErrorCode::InvalidValue, QString::fromUtf8(kZones), QStringLiteral("unknown zone class '%1'").arg(cls), row, QStringLiteral("class"));
    z.zoneClass = *c;
    z.name = text(f, (*idx)[2]);
    auto g = geometry(f, kZones, row, true);
    if (!g) return g.error();
    z.polygon = std::move(*g);
    m_s.zones.push_back(std::move(z));
    return {};
  });
}

Status Reader::readAoi() {
  auto l = layer(kAoi, false, true);
  if (!l) return l.error();
  if (!*l) return {};
  return forEach(*l, kAoi, [&](OGRFeatureH f, qint64 row) -> Status {
    if (row > 1) return error(ErrorCode::InvalidValue, QString::fromUtf8(kAoi), QStringLiteral("more than one area of interest"), row);
    auto g = geometry(f, kAoi, row, true);
    if (!g) return g.error();
    m_s.aoi = std::move(*g);
    return {};
  });
}

Status Reader::readCandidates() {
  auto l = layer(kCandidates, false, true);
  if (!l) return l.error();
  if (!*l) return {};
  auto idx = fields(*l, kCandidates, {"id", "feasible", "reason"});
  if (!idx) return idx.error();
  return forEach(*l, kCandidates, [&](OGRFeatureH f, qint64 row) -> Status {
    Candidate c;
    c.id = OGR_F_GetFieldAsInteger64(f, (*idx)[0]);
    const int feasible = OGR_F_GetFieldAsInteger(f, (*idx)[1]);
    if (feasible != 0 && feasible != 1)
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kCandidates), QStringLiteral("feasible must be 0 or 1"), row, QStringLiteral("feasible"));
    c.feasible = feasible == 1;
    c.reason = text(f, (*idx)[2]);
    auto g = geometry(f, kCandidates, row, true);
    if (!g) return g.error();
    c.cell = std::move(*g);
    m_s.candidates.push_back(std::move(c));
    return {};
  });
}

Status Reader::readTrafficObserved() {
  auto l = layer(kTrafficObserved, false, false);
  if (!l) return l.error();
  if (!*l) return {};
  auto idx = fields(*l, kTrafficObserved, {"site_id", "t", "value"});
  if (!idx) return idx.error();
  QSet<QString> siteIds;
  std::vector<int> q;
  for (const auto& s : m_s.stations) siteIds.insert(s.id);
  for (const auto& t : m_s.trafficSites) siteIds.insert(t.id);
  struct Row {
    QString site;
    QDateTime t;
    float v;
  };
  std::vector<Row> rows;
  QDateTime first;
  const auto prepare = [&](OGRLayerH rs) -> Status {
    auto i = fields(rs, kTrafficObserved, {"site_id", "t", "value", "ns_value_type"});
    if (!i) return i.error();
    q = *i;
    return {};
  };
  NS_TRY(forEachTyped(kTrafficObserved, prepare, [&](OGRFeatureH f, qint64 row) -> Status {
    const QString site = text(f, q[0]);
    if (!siteIds.contains(site))
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficObserved),
                   QStringLiteral("unknown site id '%1' (neither a base station nor a traffic site)").arg(site), row, QStringLiteral("site_id"));
    auto t = time(f, q[1], kTrafficObserved, row);
    if (!t) return t.error();
    auto v = trafficValue(f, q[2], q[3], kTrafficObserved, row);
    if (!v) return v.error();
    if (!first.isValid() || *t < first) first = *t;
    rows.push_back({site, *t, *v});
    return {};
  }));
  if (rows.empty()) return {};
  HourlyTraffic& tr = m_s.trafficObserved;
  if (!tr.start.isValid()) tr.start = m_s.metadata.seriesStart.isValid() ? m_s.metadata.seriesStart : first;
  if (first < tr.start) tr.start = first;
  qint64 row = 0;
  for (const Row& r : rows) {
    ++row;
    const qint64 secs = tr.start.secsTo(r.t);
    if (secs % 3600 != 0)
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficObserved),
                   QStringLiteral("time %1 is not on the hourly axis starting %2").arg(isoUtc(r.t), isoUtc(tr.start)), row, QStringLiteral("t"));
    const auto h = std::size_t(secs / 3600);
    auto& values = tr.valuesBySite[r.site];
    if (values.size() <= h) values.resize(h + 1, std::numeric_limits<float>::quiet_NaN());
    values[h] = r.v;
  }
  return {};
}

Status Reader::readTrafficGenerated() {
  auto l = layer(kTrafficGenerated, false, false);
  if (!l) return l.error();
  if (!*l) return {};
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(*l);
  if (OGR_FD_GetFieldIndex(defn, "series") < 0 && OGR_FD_GetFieldIndex(defn, "t") >= 0) return readTrafficGeneratedLong(*l);
  auto idx = fields(*l, kTrafficGenerated, {"run_id", "site_id", "sample", "start_utc", "hours", "layout", "series"});
  if (!idx) return idx.error();
  const std::vector<int>& q = *idx;
  const QString table = QString::fromUtf8(kTrafficGenerated);
  std::vector<GeneratedTraffic> out;
  QHash<QString, std::size_t> runIndex;
  QSet<QString> seen;  // (run, site, sample) keys: each series appears once
  NS_TRY(forEach(*l, kTrafficGenerated, [&](OGRFeatureH f, qint64 row) -> Status {
    const QString layout = text(f, q[5]);
    if (layout != QLatin1String(kGeneratedLayout))
      return error(ErrorCode::UnsupportedFormat, table,
                   QStringLiteral("unknown series layout '%1' (this version reads '%2')").arg(layout.left(40), QLatin1String(kGeneratedLayout)), row,
                   QStringLiteral("layout"));
    const QString runId = text(f, q[0]);
    auto start = time(f, q[3], kTrafficGenerated, row);
    if (!start) return Error(start.error().code(), start.error().message(), {m_path, row, QStringLiteral("start_utc")});
    auto it = runIndex.constFind(runId);
    if (it == runIndex.cend()) {
      it = runIndex.insert(runId, out.size());
      out.emplace_back();
      out.back().runId = runId;
      out.back().start = *start;
    } else if (out[*it].start != *start) {
      return error(ErrorCode::InvalidValue, table,
                   QStringLiteral("run '%1' starts at %2 in an earlier row, here at %3").arg(runId, isoUtc(out[*it].start), isoUtc(*start)), row,
                   QStringLiteral("start_utc"));
    }
    const qint64 sample = OGR_F_GetFieldAsInteger64(f, q[2]);
    if (!OGR_F_IsFieldSetAndNotNull(f, q[2]) || sample < 0 || sample >= qint64(kMaxGeneratedSamples))
      return error(ErrorCode::InvalidValue, table,
                   QStringLiteral("sample index '%1' is not in 0…%2").arg(text(f, q[2]).left(40)).arg(kMaxGeneratedSamples - 1), row,
                   QStringLiteral("sample"));
    const qint64 hours = OGR_F_GetFieldAsInteger64(f, q[4]);
    if (!OGR_F_IsFieldSetAndNotNull(f, q[4]) || hours < 0 || hours > qint64(kMaxSeriesHours))
      return error(ErrorCode::InvalidValue, table,
                   QStringLiteral("hours '%1' is not in 0…%2").arg(text(f, q[4]).left(40)).arg(kMaxSeriesHours), row, QStringLiteral("hours"));
    int bytes = 0;
    const GByte* data = OGR_F_IsFieldSetAndNotNull(f, q[6]) ? OGR_F_GetFieldAsBinary(f, q[6], &bytes) : nullptr;
    if (!data) bytes = 0;
    if (qint64(bytes) != 4 * hours)
      return error(ErrorCode::CorruptData, table,
                   QStringLiteral("the series has %1 bytes, expected 4 × %2 hours = %3").arg(bytes).arg(hours).arg(4 * hours), row,
                   QStringLiteral("series"));
    const QString site = text(f, q[1]);
    auto& samples = out[*it].samplesBySite.mut()[site];
    if (samples.size() <= std::size_t(sample)) samples.resize(std::size_t(sample) + 1);
    std::vector<float>& values = samples[std::size_t(sample)];
    const QString key = QStringLiteral("%1\x1f%2\x1f%3").arg(QString::number(*it), site, QString::number(sample));
    if (seen.contains(key))
      return error(ErrorCode::InvalidValue, table,
                   QStringLiteral("run '%1', site '%2', sample %3 appears twice").arg(runId, site).arg(sample), row, QStringLiteral("sample"));
    seen.insert(key);
    values.resize(std::size_t(hours));
    decodeSeries(data, values);
    for (std::size_t h = 0; h < values.size(); ++h)
      if (values[h] < 0.0f || std::isinf(values[h]))
        return error(ErrorCode::InvalidValue, table,
                     QStringLiteral("hour %1 of the series is %2 (traffic is non-negative and finite; NaN marks a missing hour)")
                         .arg(h)
                         .arg(double(values[h])),
                     row, QStringLiteral("series"));
    return {};
  }));
  m_s.trafficGenerated = std::move(out);
  return {};
}

Status Reader::readTrafficGeneratedLong(OGRLayerH l) {
  // Schema version 1: one row per (site, sample, hour). Read into memory as before; the next save
  // writes the compact layout, which is the whole migration.
  progress(m_progressAt, QStringLiteral("Migrating generated traffic from the long format"));
  if (auto idx = fields(l, kTrafficGenerated, {"site_id", "sample", "t", "value", "run_id"}); !idx) return idx.error();
  std::vector<int> q;
  const auto prepare = [&](OGRLayerH rs) -> Status {
    auto i = fields(rs, kTrafficGenerated, {"site_id", "sample", "t", "value", "run_id", "ns_value_type"});
    if (!i) return i.error();
    q = *i;
    return {};
  };
  struct Row {
    QString site;
    int sample;
    QDateTime t;
    float v;
    std::size_t run;
  };
  std::vector<Row> rows;
  std::vector<QString> runOrder;
  QHash<QString, std::size_t> runIndex;
  std::vector<QDateTime> starts;
  NS_TRY(forEachTyped(kTrafficGenerated, prepare, [&](OGRFeatureH f, qint64 row) -> Status {
    const QString runId = text(f, q[4]);
    auto it = runIndex.find(runId);
    if (it == runIndex.end()) {
      it = runIndex.insert(runId, runOrder.size());
      runOrder.push_back(runId);
      starts.emplace_back();
    }
    const int sample = OGR_F_GetFieldAsInteger(f, q[1]);
    if (sample < 0 || std::size_t(sample) >= kMaxGeneratedSamples)
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficGenerated),
                   QStringLiteral("sample index %1 is outside 0…%2").arg(sample).arg(kMaxGeneratedSamples - 1), row, QStringLiteral("sample"));
    auto t = time(f, q[2], kTrafficGenerated, row);
    if (!t) return t.error();
    auto v = trafficValue(f, q[3], q[5], kTrafficGenerated, row);
    if (!v) return v.error();
    if (!starts[*it].isValid() || *t < starts[*it]) starts[*it] = *t;
    rows.push_back({text(f, q[0]), sample, *t, *v, *it});
    return {};
  }));
  std::vector<GeneratedTraffic> out(runOrder.size());
  for (std::size_t i = 0; i < runOrder.size(); ++i) {
    out[i].runId = runOrder[i];
    out[i].start = starts[i];
  }
  qint64 row = 0;
  for (const Row& r : rows) {
    ++row;
    GeneratedTraffic& g = out[r.run];
    const qint64 secs = g.start.secsTo(r.t);
    if (secs % 3600 != 0)
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficGenerated), QStringLiteral("time %1 is not on an hourly axis").arg(isoUtc(r.t)), row,
                   QStringLiteral("t"));
    if (secs / 3600 >= qint64(kMaxSeriesHours))
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficGenerated),
                   QStringLiteral("time %1 is more than %2 hours after the run's first hour").arg(isoUtc(r.t)).arg(kMaxSeriesHours), row,
                   QStringLiteral("t"));
    auto& samples = g.samplesBySite[r.site];
    if (samples.size() <= std::size_t(r.sample)) samples.resize(std::size_t(r.sample) + 1);
    auto& values = samples[std::size_t(r.sample)];
    const auto h = std::size_t(secs / 3600);
    if (values.size() <= h) values.resize(h + 1, std::numeric_limits<float>::quiet_NaN());
    values[h] = r.v;
  }
  m_s.trafficGenerated = std::move(out);
  return {};
}

QVariantMap parseJsonMap(const QString& text, bool* ok) {
  if (text.trimmed().isEmpty()) {
    *ok = true;
    return {};
  }
  QJsonParseError err;
  const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &err);
  *ok = err.error == QJsonParseError::NoError && doc.isObject();
  return *ok ? doc.object().toVariantMap() : QVariantMap();
}

Status Reader::readRankings() {
  auto l = layer(kRankings, false, false);
  if (!l) return l.error();
  if (!*l) return {};
  auto idx = fields(*l, kRankings, {"run_id", "rank", "site_id", "utility", "value", "extra"});
  if (!idx) return idx.error();
  return forEach(*l, kRankings, [&](OGRFeatureH f, qint64 row) -> Status {
    RankingRow r;
    r.runId = text(f, (*idx)[0]);
    r.rank = OGR_F_GetFieldAsInteger(f, (*idx)[1]);
    r.siteId = text(f, (*idx)[2]);
    r.utility = text(f, (*idx)[3]);
    r.value = OGR_F_GetFieldAsDouble(f, (*idx)[4]);
    bool ok = false;
    r.extra = parseJsonMap(text(f, (*idx)[5]), &ok);
    if (!ok) return error(ErrorCode::ParseError, QString::fromUtf8(kRankings), QStringLiteral("not a JSON object"), row, QStringLiteral("extra"));
    m_s.rankings.push_back(std::move(r));
    return {};
  });
}

Status Reader::readRuns() {
  auto l = layer(kRuns, false, false);
  if (!l) return l.error();
  if (!*l) return {};
  auto idx = fields(*l, kRuns, {"run_id", "kind", "model_id", "weights_sha256", "seed", "parameters", "data_hashes", "time"});
  if (!idx) return idx.error();
  return forEach(*l, kRuns, [&](OGRFeatureH f, qint64 row) -> Status {
    RunRecord r;
    r.runId = text(f, (*idx)[0]);
    r.kind = text(f, (*idx)[1]);
    r.modelId = text(f, (*idx)[2]);
    r.weightsSha256 = text(f, (*idx)[3]);
    bool ok = false;
    const QString seed = text(f, (*idx)[4]);
    r.seed = seed.isEmpty() ? 0 : seed.toULongLong(&ok);
    if (!seed.isEmpty() && !ok)
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kRuns), QStringLiteral("seed is not an unsigned integer: '%1'").arg(seed), row, QStringLiteral("seed"));
    r.parameters = parseJsonMap(text(f, (*idx)[5]), &ok);
    if (!ok) return error(ErrorCode::ParseError, QString::fromUtf8(kRuns), QStringLiteral("not a JSON object"), row, QStringLiteral("parameters"));
    r.dataHashes = parseJsonMap(text(f, (*idx)[6]), &ok);
    if (!ok) return error(ErrorCode::ParseError, QString::fromUtf8(kRuns), QStringLiteral("not a JSON object"), row, QStringLiteral("data_hashes"));
    const QString t = text(f, (*idx)[7]);
    if (!t.isEmpty()) {
      auto parsed = parseIsoUtc(t);
      if (!parsed) return error(ErrorCode::ParseError, QString::fromUtf8(kRuns), QStringLiteral("not an ISO-8601 time: '%1'").arg(t), row, QStringLiteral("time"));
      r.time = *parsed;
    }
    m_s.runs.push_back(std::move(r));
    return {};
  });
}

Status Reader::readRasters() {
  // Which raster tables the file holds, from the GeoPackage's own table of contents.
  QSet<QString> tables;
  if (OGRLayerH rs = GDALDatasetExecuteSQL(m_ds.get(), "SELECT table_name FROM gpkg_contents WHERE data_type IN ('tiles', '2d-gridded-coverage')",
                                           nullptr, nullptr)) {
    while (OGRFeatureH f = OGR_L_GetNextFeature(rs)) {
      tables.insert(QString::fromUtf8(OGR_F_GetFieldAsString(f, 0)));
      OGR_F_Destroy(f);
    }
    GDALDatasetReleaseResultSet(m_ds.get(), rs);
  }
  m_errors.clear();
  const auto open = [&](const char* table, const char* extra) -> Result<DatasetPtr> {
    const QByteArray tableOpt = QByteArray("TABLE=") + table;
    const char* options[] = {tableOpt.constData(), extra, nullptr};
    const char* drivers[] = {"GPKG", nullptr};
    DatasetPtr ds(GDALOpenEx(QFile::encodeName(m_path).constData(), GDAL_OF_RASTER | GDAL_OF_READONLY, drivers, options, nullptr));
    if (!ds)
      return error(ErrorCode::CorruptData, QString::fromUtf8(table),
                   QStringLiteral("cannot open the raster: %1").arg(m_errors.failureText(QStringLiteral("unknown GDAL error"), m_path)));
    return ds;
  };
  const auto checkCrs = [&](GDALDatasetH ds, const char* table) -> Status {
    const Crs crs = detail::crsFromSpatialRef(GDALGetSpatialRef(ds));
    if (!crs.isValid() || !crs.isEquivalentTo(m_s.metadata.crs))
      return Error(ErrorCode::UnknownCrs,
                   QStringLiteral("raster '%1' is in %2, not in the scenario CRS %3")
                       .arg(QString::fromUtf8(table), crs.isValid() ? crs.label() : QStringLiteral("an unknown CRS"), m_s.metadata.crs.label()),
                   {m_path, {}, QString::fromUtf8(table)});
    return {};
  };
  if (m_s.imagery.externalPath.isEmpty() && tables.contains(QString::fromUtf8(kImagery))) {
    auto ds = open(kImagery, "BAND_COUNT=3");
    if (!ds) return ds.error();
    NS_TRY(checkCrs(ds->get(), kImagery));
    ImageRaster& img = m_s.imagery.grid;
    img.width = GDALGetRasterXSize(ds->get());
    img.height = GDALGetRasterYSize(ds->get());
    if (GDALGetRasterCount(ds->get()) < 3)
      return error(ErrorCode::CorruptData, QString::fromUtf8(kImagery), QStringLiteral("imagery has fewer than 3 bands"));
    GDALGetGeoTransform(ds->get(), img.geoTransform.data());
    img.rgb.resize(std::size_t(img.width) * std::size_t(img.height) * 3);
    int bands[] = {1, 2, 3};
    if (GDALDatasetRasterIO(ds->get(), GF_Read, 0, 0, img.width, img.height, img.rgb.data(), img.width, img.height, GDT_Byte, 3, bands, 0, 0, 0) !=
        CE_None)
      return error(ErrorCode::CorruptData, QString::fromUtf8(kImagery), QStringLiteral("reading pixels failed: %1").arg(m_errors.failureText({}, m_path)));
  }
  NS_TRY(checkCancel());
  if (m_s.population.externalPath.isEmpty() && tables.contains(QString::fromUtf8(kPopulation))) {
    auto ds = open(kPopulation, nullptr);
    if (!ds) return ds.error();
    NS_TRY(checkCrs(ds->get(), kPopulation));
    ValueRaster& pop = m_s.population.grid;
    pop.width = GDALGetRasterXSize(ds->get());
    pop.height = GDALGetRasterYSize(ds->get());
    GDALGetGeoTransform(ds->get(), pop.geoTransform.data());
    pop.values.resize(std::size_t(pop.width) * std::size_t(pop.height));
    GDALRasterBandH band = GDALGetRasterBand(ds->get(), 1);
    if (GDALRasterIO(band, GF_Read, 0, 0, pop.width, pop.height, pop.values.data(), pop.width, pop.height, GDT_Float32, 0, 0) != CE_None)
      return error(ErrorCode::CorruptData, QString::fromUtf8(kPopulation), QStringLiteral("reading values failed: %1").arg(m_errors.failureText({}, m_path)));
    int hasNoData = 0;
    const double noData = GDALGetRasterNoDataValue(band, &hasNoData);
    if (hasNoData && !std::isnan(noData))
      for (float& v : pop.values)
        if (v == float(noData)) v = std::numeric_limits<float>::quiet_NaN();
  }
  return {};
}

Result<Scenario> Reader::run() {
  const QFileInfo fi(m_path);
  if (!fi.exists()) return Error(ErrorCode::FileNotFound, QStringLiteral("no such file"), {m_path});
  if (!fi.isFile()) return Error(ErrorCode::UnsupportedFormat, QStringLiteral("not a file"), {m_path});
  {
    // Identify first: a GeoTIFF or a CSV must be refused as "not a scenario", not opened by another driver.
    const char* drivers[] = {"GPKG", nullptr};
    GDALDriverH drv = GDALIdentifyDriverEx(QFile::encodeName(m_path).constData(), GDAL_OF_VECTOR, drivers, nullptr);
    if (!drv)
      return Error(ErrorCode::UnsupportedFormat, QStringLiteral("not a GeoPackage scenario file"), {m_path});
  }
  const char* drivers[] = {"GPKG", nullptr};
  m_ds.reset(GDALOpenEx(QFile::encodeName(m_path).constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, drivers, nullptr, nullptr));
  if (!m_ds)
    return Error(ErrorCode::UnsupportedFormat,
                 QStringLiteral("cannot open as a GeoPackage: %1").arg(m_errors.failureText(QStringLiteral("unknown GDAL error"), m_path)), {m_path});
  m_errors.clear();
  const std::vector<std::pair<QString, std::function<Status()>>> steps{
      {QStringLiteral("metadata"), [this] { return readMetadata(); }},
      {QStringLiteral("base stations"), [this] { return readStations(); }},
      {QStringLiteral("traffic sites"), [this] { return readTrafficSites(); }},
      {QStringLiteral("POIs"), [this] { return readPois(); }},
      {QStringLiteral("zones"), [this] { return readZones(); }},
      {QStringLiteral("area of interest"), [this] { return readAoi(); }},
      {QStringLiteral("candidates"), [this] { return readCandidates(); }},
      {QStringLiteral("observed traffic"), [this] { return readTrafficObserved(); }},
      {QStringLiteral("generated traffic"), [this] { return readTrafficGenerated(); }},
      {QStringLiteral("rankings"), [this] { return readRankings(); }},
      {QStringLiteral("runs"), [this] { return readRuns(); }},
      {QStringLiteral("rasters"), [this] { return readRasters(); }},
  };
  for (std::size_t i = 0; i < steps.size(); ++i) {
    m_progressAt = double(i) / double(steps.size());
    progress(m_progressAt, QStringLiteral("Loading %1").arg(steps[i].first));
    NS_TRY(checkCancel());
    NS_TRY(steps[i].second());
  }
  progress(1.0, QStringLiteral("Loaded"));
  return std::move(m_s);
}

}  // namespace

Status saveScenario(const Scenario& scenario, const QString& path, Feedback* feedback, const ScenarioSaveOptions& options) {
  detail::ensureGdalRegistered();
  if (path.isEmpty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("no file name given"));
  NS_TRY(validateForSave(scenario, path));
  const QFileInfo target(path);
  if (!target.absoluteDir().exists()) return Error(ErrorCode::FileNotFound, QStringLiteral("the folder does not exist"), {path});
  // The temporary sits beside the target so that the final rename stays on one file system (atomic).
  QString temp;
  {
    QTemporaryFile reserve(target.absoluteFilePath() + QStringLiteral(".tmp-XXXXXX"));
    reserve.setAutoRemove(false);
    if (!reserve.open()) return Error(ErrorCode::Io, QStringLiteral("cannot create a temporary file: %1").arg(reserve.errorString()), {path});
    temp = reserve.fileName();
  }
  // GDAL creates the GeoPackage itself; the reserved empty file only kept the name unique.
  QFile::remove(temp);
  Status status;
  {
    Writer writer(scenario, path, temp, feedback, options);
    status = writer.run();
  }
  if (status && !syncPath(temp, false))
    status = Error(ErrorCode::Io, QStringLiteral("cannot flush the file to disk: %1").arg(QString::fromLocal8Bit(std::strerror(errno))), {path});
  if (status && feedback && feedback->isCancelled())
    status = Error(ErrorCode::Cancelled, QStringLiteral("saving was cancelled; the file was not changed"), {path});
  if (status && std::rename(QFile::encodeName(temp).constData(), QFile::encodeName(target.absoluteFilePath()).constData()) != 0)
    status = Error(ErrorCode::Io, QStringLiteral("cannot replace the file: %1").arg(QString::fromLocal8Bit(std::strerror(errno))), {path});
  if (!status) {
    removeTempFiles(temp);
    return status;
  }
  QFile::remove(temp + QStringLiteral(".aux.xml"));
  syncPath(target.absolutePath(), true);  // makes the rename itself durable
  if (feedback) feedback->setProgress(1.0, QStringLiteral("Saved"));
  return {};
}

Result<Scenario> loadScenario(const QString& path, Feedback* feedback) {
  detail::ensureGdalRegistered();
  if (path.isEmpty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("no file name given"));
  Reader reader(path, feedback);
  return reader.run();
}

}  // namespace netspatial::core
