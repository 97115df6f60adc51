#include "core/scenario/scenariowriter.h"

#include "core/geo/ogrgeometry.h"
#include "core/planning/siteutilities.h"
#include "core/scenario/scenarioschema.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace netspatial::core::detail {

using namespace scenarioschema;

namespace {

// ---------------------------------------------------------------------------------------------
// Geometry conversion

//! The layer type for a set of polygonal geometries: Polygon or MultiPolygon when uniform, else the
//! generic type, so that loading gives back exactly the types saved.
OGRwkbGeometryType polygonalLayerType(const std::vector<const Geometry*>& geometries) {
  bool anyPolygon = false, anyMulti = false;
  for (const Geometry* g : geometries) {
    if (g->type == GeometryType::MultiPolygon)
      anyMulti = true;
    else
      anyPolygon = true;
  }
  if (anyMulti && anyPolygon) return wkbUnknown;
  return anyMulti ? wkbMultiPolygon : wkbPolygon;
}

//! Pre-formatted hour stamps: formatting a QDateTime per row would dominate the write time.
std::vector<QByteArray> hourStamps(const QDateTime& start, std::size_t hours) {
  std::vector<QByteArray> stamps(hours);
  const QDateTime utc = start.toUTC();
  for (std::size_t h = 0; h < hours; ++h) stamps[h] = isoUtc(utc.addSecs(qint64(h) * 3600)).toUtf8();
  return stamps;
}

}  // namespace

Status ScenarioWriter::checkCancel(const QString& what) {
  if (m_feedback && m_feedback->isCancelled())
    return Error(ErrorCode::Cancelled, QStringLiteral("saving was cancelled (%1); the file was not changed").arg(what), {m_target});
  return {};
}

Status ScenarioWriter::step(const QString& what) {
  ++m_stepsDone;
  if (m_feedback) m_feedback->setProgress(double(m_stepsDone) / m_stepCount, QStringLiteral("Saved %1").arg(what));
  if (m_options.failAfterSteps >= 0 && m_stepsDone >= m_options.failAfterSteps)
    return Error(ErrorCode::Io, QStringLiteral("writing failed after '%1': no space left on device (simulated)").arg(what), {m_target});
  return checkCancel(what);
}

Result<OGRLayerH> ScenarioWriter::createLayer(const char* name, OGRwkbGeometryType type, const std::vector<FieldSpec>& fields) {
  const char* options[] = {"FID=fid", nullptr};
  OGRLayerH layer = GDALDatasetCreateLayer(m_ds.get(), name, type == wkbNone ? nullptr : m_srs.get(), type, const_cast<char**>(options));
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

Status ScenarioWriter::begin(const char* layer) {
  // One transaction per layer: SQLite then writes the rows in one go instead of syncing each one.
  if (GDALDatasetStartTransaction(m_ds.get(), FALSE) != OGRERR_NONE)
    return gdalError(QStringLiteral("starting the transaction for '%1'").arg(QString::fromUtf8(layer)));
  return {};
}

Status ScenarioWriter::commit(const char* layer) {
  if (GDALDatasetCommitTransaction(m_ds.get()) != OGRERR_NONE)
    return gdalError(QStringLiteral("committing layer '%1'").arg(QString::fromUtf8(layer)));
  return {};
}

Status ScenarioWriter::add(OGRLayerH layer, OGRFeatureH f, const char* name, qint64 row) {
  OGR_F_SetFID(f, OGRNullFID);
  if (OGR_L_CreateFeature(layer, f) != OGRERR_NONE) {
    Error e = gdalError(QStringLiteral("writing layer '%1'").arg(QString::fromUtf8(name)));
    return e.withRow(row);
  }
  if (m_feedback && (row & 0xFFF) == 0 && m_feedback->isCancelled()) return checkCancel(QString::fromUtf8(name));
  return {};
}

Status ScenarioWriter::writeStations() {
  auto layer = createLayer(kStations, wkbPoint, {{"id", OFTString, true}, {"name", OFTString}, {"type", OFTString}, {"capacity", OFTReal}});
  if (!layer) return layer.error();
  NS_TRY(begin(kStations));
  FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = f.get();
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

Status ScenarioWriter::writeTrafficSites() {
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
  if (anyFootprint && anyPoint)
    type = wkbUnknown;
  else if (anyFootprint)
    type = polygonalLayerType(footprints);
  else if (anyPoint)
    type = wkbPoint;
  auto layer = createLayer(kTrafficSites, type, {{"id", OFTString, true}, {"name", OFTString}, {"x", OFTReal}, {"y", OFTReal}});
  if (!layer) return layer.error();
  if (m_s.trafficSites.empty()) return {};
  NS_TRY(begin(kTrafficSites));
  FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = f.get();
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

Status ScenarioWriter::writePois() {
  auto layer = createLayer(kPois, wkbPoint, {{"id", OFTInteger64}, {"category", OFTString}, {"name", OFTString}});
  if (!layer) return layer.error();
  NS_TRY(begin(kPois));
  FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = f.get();
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

Status ScenarioWriter::writeZones() {
  std::vector<const Geometry*> geoms;
  for (const Zone& z : m_s.zones) geoms.push_back(&z.polygon);
  auto layer = createLayer(kZones, polygonalLayerType(geoms), {{"id", OFTInteger64}, {"class", OFTString}, {"name", OFTString}});
  if (!layer) return layer.error();
  NS_TRY(begin(kZones));
  FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = f.get();
  qint64 row = 0;
  for (const Zone& z : m_s.zones) {
    ++row;
    if (!z.polygon.isPolygonal())
      return Error(ErrorCode::InvalidGeometry, QStringLiteral("zone %1 is not a polygon").arg(z.id),
                   {m_target, row, QStringLiteral("geometry")});
    OGR_F_SetFieldInteger64(fh, 0, z.id);
    OGR_F_SetFieldString(fh, 1, zoneClassName(z.zoneClass).toUtf8().constData());
    OGR_F_SetFieldString(fh, 2, z.name.toUtf8().constData());
    OGR_F_SetGeometryDirectly(fh, toOgr(z.polygon));
    NS_TRY(add(*layer, fh, kZones, row));
  }
  return commit(kZones);
}

Status ScenarioWriter::writeAoi() {
  const bool has = !m_s.aoi.isEmpty();
  auto layer = createLayer(kAoi, has && m_s.aoi.type == GeometryType::MultiPolygon ? wkbMultiPolygon : wkbPolygon, {});
  if (!layer) return layer.error();
  if (!has) return {};
  if (!m_s.aoi.isPolygonal())
    return Error(ErrorCode::InvalidGeometry, QStringLiteral("the area of interest is not a polygon"),
                 {m_target, {}, QStringLiteral("aoi")});
  NS_TRY(begin(kAoi));
  FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  OGR_F_SetGeometryDirectly(f.get(), toOgr(m_s.aoi));
  NS_TRY(add(*layer, f.get(), kAoi, 1));
  return commit(kAoi);
}

Status ScenarioWriter::writeCandidates() {
  std::vector<const Geometry*> geoms;
  for (const Candidate& c : m_s.candidates) geoms.push_back(&c.cell);
  auto layer = createLayer(kCandidates, polygonalLayerType(geoms), {{"id", OFTInteger64}, {"feasible", OFTInteger}, {"reason", OFTString}});
  if (!layer) return layer.error();
  NS_TRY(begin(kCandidates));
  FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = f.get();
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

Status ScenarioWriter::writeTrafficObserved() {
  auto layer = createLayer(kTrafficObserved, wkbNone, {{"site_id", OFTString}, {"t", OFTString}, {"value", OFTReal}});
  if (!layer) return layer.error();
  if (m_s.trafficObserved.isEmpty()) return {};
  if (!m_s.trafficObserved.start.isValid())
    return Error(ErrorCode::InvalidValue, QStringLiteral("observed traffic has no start time"),
                 {m_target, {}, QStringLiteral("traffic_observed.t")});
  NS_TRY(begin(kTrafficObserved));
  const auto stamps = hourStamps(m_s.trafficObserved.start, m_s.trafficObserved.hours());
  FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = f.get();
  qint64 row = 0;
  for (const auto& [site, values] : m_s.trafficObserved.valuesBySite) {
    const QByteArray id = site.toUtf8();
    OGR_F_SetFieldString(fh, 0, id.constData());
    for (std::size_t h = 0; h < values.size(); ++h) {
      OGR_F_SetFieldString(fh, 1, stamps[h].constData());
      // Missing hours stay as rows with a NULL value so the series keeps its length on reload.
      if (std::isnan(values[h]))
        OGR_F_SetFieldNull(fh, 2);
      else
        OGR_F_SetFieldDouble(fh, 2, double(values[h]));
      NS_TRY(add(*layer, fh, kTrafficObserved, ++row));
    }
  }
  return commit(kTrafficObserved);
}

Status ScenarioWriter::writeTrafficGenerated() {
  // One row per (run, site, sample), the series packed as a float32 BLOB: the long format (one row
  // per hour) made a 2,006-site × 32-sample generation a 3.7 GB file that took minutes to write.
  auto layer = createLayer(kTrafficGenerated, wkbNone,
                           {{"run_id", OFTString},
                            {"site_id", OFTString},
                            {"sample", OFTInteger},
                            {"start_utc", OFTString},
                            {"hours", OFTInteger},
                            {"layout", OFTString},
                            {"series", OFTBinary}});
  if (!layer) return layer.error();
  if (m_s.trafficGenerated.empty() && !m_options.generation) return {};
  NS_TRY(begin(kTrafficGenerated));
  FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = f.get();
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
    for (const auto& [site, samples] : g.samplesBySite) NS_TRY(writeGeneratedSite(*layer, fh, g.runId, site, samples, bytes, row));
  }
  if (m_options.generation) NS_TRY(writeStreamedGeneration(*layer, fh, bytes, row));
  return commit(kTrafficGenerated);
}

Status ScenarioWriter::writeGeneratedSite(OGRLayerH layer, OGRFeatureH fh, const QString& runId, const QString& site,
                                          const std::vector<std::vector<float>>& samples, std::vector<unsigned char>& bytes, qint64& row) {
  const QByteArray id = site.toUtf8();
  OGR_F_SetFieldString(fh, 1, id.constData());
  if (samples.size() > kMaxGeneratedSamples)
    return Error(ErrorCode::InvalidValue,
                 QStringLiteral("generated traffic of run '%1', site '%2' has %3 samples (at most %4)")
                     .arg(runId, site)
                     .arg(samples.size())
                     .arg(kMaxGeneratedSamples),
                 {m_target, {}, QStringLiteral("traffic_generated.sample")});
  for (std::size_t k = 0; k < samples.size(); ++k) {
    const std::vector<float>& x = samples[k];
    if (x.size() > kMaxSeriesHours)
      return Error(ErrorCode::InvalidValue,
                   QStringLiteral("generated series of run '%1', site '%2', sample %3 has %4 hours (at most %5)")
                       .arg(runId, site)
                       .arg(k)
                       .arg(x.size())
                       .arg(kMaxSeriesHours),
                   {m_target, {}, QStringLiteral("traffic_generated.hours")});
    encodeSeries(x, bytes);
    OGR_F_SetFieldInteger(fh, 2, int(k));
    OGR_F_SetFieldInteger(fh, 4, int(x.size()));
    OGR_F_SetFieldBinary(fh, 6, int(bytes.size()), bytes.data());
    NS_TRY(add(layer, fh, kTrafficGenerated, ++row));
  }
  return {};
}

Status ScenarioWriter::writeStreamedGeneration(OGRLayerH layer, OGRFeatureH fh, std::vector<unsigned char>& bytes, qint64& row) {
  GenerationStream& stream = *m_options.generation;
  const QString runId = stream.runId();
  if (!stream.start().isValid())
    return Error(ErrorCode::InvalidValue, QStringLiteral("generated traffic of run '%1' has no start time").arg(runId),
                 {m_target, {}, QStringLiteral("traffic_generated.start_utc")});
  for (const GeneratedTraffic& g : m_s.trafficGenerated)
    if (g.runId == runId)
      return Error(ErrorCode::InvalidArgument, QStringLiteral("run '%1' is both in the scenario and streamed").arg(runId), {m_target});
  const QByteArray id = runId.toUtf8();
  const QByteArray start = isoUtc(stream.start()).toUtf8();
  m_streamedSummaries.clear();
  while (true) {
    auto chunk = stream.next();
    if (!chunk) return chunk.error();
    if (chunk->empty()) return {};
    // Set again for every chunk: the feature is shared with nothing else, but cheap insurance.
    OGR_F_SetFieldString(fh, 0, id.constData());
    OGR_F_SetFieldString(fh, 3, start.constData());
    for (const auto& [site, samples] : *chunk) {
      NS_TRY(writeGeneratedSite(layer, fh, runId, site, samples, bytes, row));
      m_streamedSummaries.push_back(summarise(site, samples));
    }
  }
}

ScenarioWriter::SiteSummary ScenarioWriter::summarise(const QString& site, const std::vector<std::vector<float>>& samples) {
  SiteSummary s;
  s.site = site;
  s.samples = int(samples.size());
  if (!samples.empty()) s.hours = int(samples.front().size());
  // Scale 1 gives σ in physical units. A site with missing hours (NaN) or samples of different
  // lengths has no utilities in core either: its statistics are NULL.
  if (auto u = computeSiteUtilities({SiteSamples{site, {}, samples}}, 1.0)) s.utilities = u->front();
  return s;
}

Status ScenarioWriter::writeSummaryRow(OGRLayerH layer, OGRFeatureH fh, const SiteSummary& summary, double scale, qint64& row) {
  OGR_F_SetFieldString(fh, 1, summary.site.toUtf8().constData());
  OGR_F_SetFieldInteger(fh, 2, summary.samples);
  if (summary.hours < 0)
    OGR_F_SetFieldNull(fh, 3);
  else
    OGR_F_SetFieldInteger(fh, 3, summary.hours);
  if (summary.utilities) {
    const SiteUtilities& su = *summary.utilities;
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
  return add(layer, fh, kGeneratedSummary, ++row);
}

Status ScenarioWriter::writeGeneratedSummary() {
  // Plain numbers per (run, site), so QGIS and ogrinfo can join and style candidates without
  // decoding the BLOBs. The statistics are core's planning utilities (computeSiteUtilities); σ in
  // physical units always, normalised σ and LSI where the run records its normalisation scale.
  auto layer = createLayer(kGeneratedSummary, wkbNone,
                           {{"run_id", OFTString},
                            {"site_id", OFTString},
                            {"samples", OFTInteger},
                            {"hours", OFTInteger},
                            {"mean", OFTReal},
                            {"p95", OFTReal},
                            {"sigma", OFTReal},
                            {"sigma_normalised", OFTReal},
                            {"lsi", OFTReal},
                            {"units", OFTString}});
  if (!layer) return layer.error();
  if (m_s.trafficGenerated.empty() && !m_options.generation) return {};
  NS_TRY(begin(kGeneratedSummary));
  FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = f.get();
  const QByteArray units = m_s.metadata.trafficUnit.toUtf8();
  OGR_F_SetFieldString(fh, 9, units.constData());
  qint64 row = 0;
  const auto scaleOf = [](const RunRecord& r) { return r.parameters.value(QStringLiteral("normalisation_scale")).toDouble(); };
  for (const GeneratedTraffic& g : m_s.trafficGenerated) {
    double scale = 0.0;
    for (const RunRecord& r : m_s.runs)
      if (r.runId == g.runId) scale = scaleOf(r);
    OGR_F_SetFieldString(fh, 0, g.runId.toUtf8().constData());
    for (const auto& [site, samples] : g.samplesBySite) NS_TRY(writeSummaryRow(*layer, fh, summarise(site, samples), scale, row));
  }
  if (m_options.generation) {
    OGR_F_SetFieldString(fh, 0, m_options.generation->runId().toUtf8().constData());
    const double scale = scaleOf(m_options.generation->runRecord());
    for (const SiteSummary& summary : m_streamedSummaries) NS_TRY(writeSummaryRow(*layer, fh, summary, scale, row));
  }
  return commit(kGeneratedSummary);
}

Status ScenarioWriter::writeRankings() {
  auto layer = createLayer(kRankings, wkbNone,
                           {{"run_id", OFTString},
                            {"rank", OFTInteger},
                            {"site_id", OFTString},
                            {"utility", OFTString},
                            {"value", OFTReal},
                            {"extra", OFTString}});
  if (!layer) return layer.error();
  if (m_s.rankings.empty()) return {};
  NS_TRY(begin(kRankings));
  FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = f.get();
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

Status ScenarioWriter::writeRuns() {
  auto layer = createLayer(kRuns, wkbNone,
                           {{"run_id", OFTString},
                            {"kind", OFTString},
                            {"model_id", OFTString},
                            {"weights_sha256", OFTString},
                            {"seed", OFTString},
                            {"parameters", OFTString},
                            {"data_hashes", OFTString},
                            {"time", OFTString}});
  if (!layer) return layer.error();
  std::vector<RunRecord> runs = m_s.runs;
  if (m_options.generation) runs.push_back(m_options.generation->runRecord());
  if (runs.empty()) return {};
  NS_TRY(begin(kRuns));
  FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = f.get();
  qint64 row = 0;
  for (const RunRecord& r : runs) {
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

Status ScenarioWriter::writeProjectModels() {
  auto layer = createLayer(kProjectModels, wkbNone,
                           {{"id", OFTString, true},
                            {"name", OFTString},
                            {"weights", OFTBinary},
                            {"sha256", OFTString},
                            {"model_card", OFTString},
                            {"created", OFTString},
                            {"provenance", OFTString}});
  if (!layer) return layer.error();
  if (m_s.projectModels.empty()) return {};
  NS_TRY(begin(kProjectModels));
  FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = f.get();
  qint64 row = 0;
  for (const ProjectModel& m : m_s.projectModels) {
    OGR_F_SetFieldString(fh, 0, m.id.toUtf8().constData());
    OGR_F_SetFieldString(fh, 1, m.name.toUtf8().constData());
    const std::vector<std::uint8_t>& w = m.weights.get();
    OGR_F_SetFieldBinary(fh, 2, int(w.size()), w.data());
    OGR_F_SetFieldString(fh, 3, m.sha256.toUtf8().constData());
    OGR_F_SetFieldString(fh, 4, m.modelCard.toUtf8().constData());
    OGR_F_SetFieldString(fh, 5, isoUtc(m.created).toUtf8().constData());
    OGR_F_SetFieldString(fh, 6, jsonText(m.provenance).toUtf8().constData());
    NS_TRY(add(*layer, fh, kProjectModels, ++row));
  }
  return commit(kProjectModels);
}

Status ScenarioWriter::writeMetadata() {
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
  if (!m_s.trafficObserved.isEmpty()) rows.emplace_back(QStringLiteral("traffic_observed.start"), isoUtc(m_s.trafficObserved.start));
  if (!m_s.imagery.externalPath.isEmpty()) rows.emplace_back(QStringLiteral("imagery.external"), m_s.imagery.externalPath);
  if (!m_s.population.externalPath.isEmpty()) rows.emplace_back(QStringLiteral("population.external"), m_s.population.externalPath);
  for (auto it = m.extra.cbegin(); it != m.extra.cend(); ++it) {
    if (reservedKeys().contains(it.key()))
      return Error(ErrorCode::InvalidArgument, QStringLiteral("metadata extra key '%1' is reserved").arg(it.key()),
                   {m_target, {}, QStringLiteral("metadata.key")});
    rows.emplace_back(it.key(), it.value().toString());
  }
  NS_TRY(begin(kMetadata));
  FeaturePtr f(OGR_F_Create(OGR_L_GetLayerDefn(*layer)));
  auto* fh = f.get();
  qint64 row = 0;
  for (const auto& [key, value] : rows) {
    OGR_F_SetFieldString(fh, 0, key.toUtf8().constData());
    OGR_F_SetFieldString(fh, 1, value.toUtf8().constData());
    NS_TRY(add(*layer, fh, kMetadata, ++row));
  }
  return commit(kMetadata);
}

Status ScenarioWriter::run() {
  NS_TRY(checkCancel(QStringLiteral("start")));
  if (m_options.failAfterSteps == 0)
    return Error(ErrorCode::Io, QStringLiteral("writing failed: no space left on device (simulated)"), {m_target});
  GDALDriverH gpkg = GDALGetDriverByName("GPKG");
  if (!gpkg) return Error(ErrorCode::Internal, QStringLiteral("GDAL has no GPKG driver"), {m_target});
  m_srs.reset(OSRNewSpatialReference(nullptr));
  if (OSRSetFromUserInput(m_srs.get(), m_s.metadata.crs.definition().toUtf8().constData()) != OGRERR_NONE &&
      OSRSetFromUserInput(m_srs.get(), m_s.metadata.crs.wkt().toUtf8().constData()) != OGRERR_NONE)
    return Error(ErrorCode::UnknownCrs, QStringLiteral("GDAL cannot use the scenario CRS %1").arg(m_s.metadata.crs.label()),
                 {m_target, {}, QStringLiteral("metadata.crs")});
  OSRSetAxisMappingStrategy(m_srs.get(), OAMS_TRADITIONAL_GIS_ORDER);

  {
    // SQLite keeps a row on one page when it fits: with the default 4 KB pages a 2.7 KB series row
    // (672 hours) fills a page alone and wastes a third of the file. Large pages hold ~20 of them.
    // The page size of an SQLite file is fixed when it is created, hence the option around Create.
    const QByteArray previous = CPLGetThreadLocalConfigOption("OGR_SQLITE_PRAGMA", nullptr);
    const QByteArray pragma =
        QByteArray("page_size=") + QByteArray::number(kPageSize) + (previous.isEmpty() ? QByteArray() : "," + previous);
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
      {QStringLiteral("project models"), [this] { return writeProjectModels(); }},
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

}  // namespace netspatial::core::detail
