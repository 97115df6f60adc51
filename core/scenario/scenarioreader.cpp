#include "core/scenario/scenarioreader.h"

#include "core/geo/ogrgeometry.h"
#include "core/scenario/referencedpath.h"
#include "core/scenario/scenarioschema.h"
#include "core/traffic/trafficlimits.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QSet>
#include <QTimeZone>

#include <cmath>
#include <limits>

namespace netspatial::core::detail {

using namespace scenarioschema;

Result<OGRLayerH> ScenarioReader::layer(const char* name, bool required, bool spatial) {
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
      return Error(
          ErrorCode::UnknownCrs,
          QStringLiteral("layer '%1' is in %2, not in the scenario CRS %3")
              .arg(QString::fromUtf8(name), crs.isValid() ? crs.label() : QStringLiteral("an unknown CRS"), m_s.metadata.crs.label()),
          {m_path, {}, QString::fromUtf8(name)});
  }
  return l;
}

Result<std::vector<int>> ScenarioReader::fields(OGRLayerH layer, const char* layerName, const std::vector<const char*>& names) {
  std::vector<int> idx;
  OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
  for (const char* n : names) {
    const int i = OGR_FD_GetFieldIndex(defn, n);
    if (i < 0)
      return Error(ErrorCode::MissingField,
                   QStringLiteral("layer '%1' has no field '%2'").arg(QString::fromUtf8(layerName), QString::fromUtf8(n)),
                   {m_path, {}, QString::fromUtf8(n)});
    idx.push_back(i);
  }
  return idx;
}

Status ScenarioReader::forEach(OGRLayerH layer, const char* name, const std::function<Status(OGRFeatureH, qint64)>& fn) {
  OGR_L_ResetReading(layer);
  qint64 row = 0;
  for (;;) {
    FeaturePtr f(OGR_L_GetNextFeature(layer));
    if (!f) break;
    ++row;
    if ((row & 0xFFF) == 0) NS_TRY(checkCancel());
    NS_TRY(fn(f.get(), row));
  }
  if (m_errors.hasFailure())
    return error(ErrorCode::CorruptData, QString::fromUtf8(name),
                 QStringLiteral("reading stopped: %1").arg(m_errors.failureText({}, m_path)), row + 1);
  return {};
}

Result<Geometry> ScenarioReader::geometry(OGRFeatureH f, const char* layer, qint64 row, bool polygonal) {
  auto g = fromOgr(OGR_F_GetGeometryRef(f));
  if (!g || g->isEmpty())
    return error(ErrorCode::InvalidGeometry, QString::fromUtf8(layer), QStringLiteral("missing or unsupported geometry"), row,
                 QStringLiteral("geometry"));
  if (polygonal ? !g->isPolygonal() : g->type != GeometryType::Point)
    return error(ErrorCode::InvalidGeometry, QString::fromUtf8(layer),
                 polygonal ? QStringLiteral("geometry is not a polygon") : QStringLiteral("geometry is not a point"), row,
                 QStringLiteral("geometry"));
  // A NaN or infinite vertex would pass into every extent, grid and map drawn from it.
  for (const Geometry::Part& part : g->parts)
    for (const Geometry::Ring& ring : part)
      for (const PointXY& p : ring)
        if (!std::isfinite(p.x) || !std::isfinite(p.y))
          return error(ErrorCode::InvalidGeometry, QString::fromUtf8(layer),
                       QStringLiteral("a vertex has a coordinate that is not a finite number"), row, QStringLiteral("geometry"));
  return *g;
}

Result<QDateTime> ScenarioReader::time(OGRFeatureH f, int field, const char* layer, qint64 row) {
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

Result<float> ScenarioReader::trafficValue(OGRFeatureH f, int field, int typeField, const char* layer, qint64 row) {
  const QString type = text(f, typeField);
  if (type == QLatin1String("null")) return std::numeric_limits<float>::quiet_NaN();
  if (type != QLatin1String("real") && type != QLatin1String("integer"))
    return error(ErrorCode::InvalidValue, QString::fromUtf8(layer),
                 QStringLiteral("not a number: '%1'").arg(text(f, typeField + 1).left(40)), row, QStringLiteral("value"));
  const QString s = text(f, typeField + 1);
  const double v = OGR_F_GetFieldAsDouble(f, field);
  if (!std::isfinite(v))
    return error(ErrorCode::InvalidValue, QString::fromUtf8(layer), QStringLiteral("not a number: '%1'").arg(s.left(40)), row,
                 QStringLiteral("value"));
  if (v < 0.0)
    return error(ErrorCode::InvalidValue, QString::fromUtf8(layer), QStringLiteral("negative traffic value %1").arg(s.left(40)), row,
                 QStringLiteral("value"));
  if (v > kMaxTrafficValue)
    return error(ErrorCode::InvalidValue, QString::fromUtf8(layer),
                 QStringLiteral("traffic value %1 is above the limit of %2").arg(s.left(40)).arg(kMaxTrafficValue, 0, 'g'), row,
                 QStringLiteral("value"));
  return float(v);
}

Status ScenarioReader::forEachTyped(const char* table, const std::function<Status(OGRLayerH)>& prepare,
                                    const std::function<Status(OGRFeatureH, qint64)>& fn) {
  const QByteArray sql =
      QByteArray("SELECT *, typeof(value) AS ns_value_type, CAST(value AS TEXT) AS ns_value_text FROM \"") + table + "\" ORDER BY fid";
  const ResultSet rs(m_ds.get(), GDALDatasetExecuteSQL(m_ds.get(), sql.constData(), nullptr, nullptr));
  if (!rs)
    return error(ErrorCode::CorruptData, QString::fromUtf8(table), QStringLiteral("cannot read: %1").arg(m_errors.failureText({}, m_path)));
  NS_TRY(prepare(rs.get()));
  return forEach(rs.get(), table, fn);
}

Status ScenarioReader::firstNonNumeric(const char* table, const char* column) {
  // The row is the feature's position in fid order, as forEach counts it.
  const QByteArray sql = QByteArray("SELECT (SELECT COUNT(*) FROM \"") + table + "\" AS b WHERE b.fid <= a.fid), CAST(a.\"" + column +
                         "\" AS TEXT) FROM \"" + table + "\" AS a WHERE typeof(a.\"" + column +
                         "\") NOT IN ('real', 'integer', 'null') ORDER BY a.fid LIMIT 1";
  const ResultSet rs(m_ds.get(), GDALDatasetExecuteSQL(m_ds.get(), sql.constData(), nullptr, nullptr));
  if (!rs) return {};  // the column's absence is reported by fields()
  FeaturePtr f(OGR_L_GetNextFeature(rs.get()));
  if (!f) return {};
  return error(ErrorCode::InvalidValue, QString::fromUtf8(table), QStringLiteral("not a number: '%1'").arg(text(f.get(), 1).left(40)),
               OGR_F_GetFieldAsInteger64(f.get(), 0), QString::fromUtf8(column));
}

Status ScenarioReader::readMetadata() {
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
  if (!QTimeZone(m.timeZone.toUtf8()).isValid())
    return error(ErrorCode::InvalidValue, QString::fromUtf8(kMetadata),
                 QStringLiteral("unknown time zone '%1' (an IANA id such as Europe/Rome)").arg(m.timeZone.left(60)), {},
                 QStringLiteral("time_zone"));
  if (kv.contains(QStringLiteral("schema_version"))) {
    // A newer schema may mean something else by the same tables: refuse rather than misread it.
    bool ok = false;
    const int version = kv.value(QStringLiteral("schema_version")).toInt(&ok);
    if (!ok || version < 1)
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kMetadata),
                   QStringLiteral("schema version '%1' is not a positive integer").arg(kv.value(QStringLiteral("schema_version")).left(40)),
                   {}, QStringLiteral("schema_version"));
    if (version > kSchemaVersion)
      return error(ErrorCode::UnsupportedFormat, QString::fromUtf8(kMetadata),
                   QStringLiteral("the project was written by a newer NetSpatial Studio (schema %1; this version reads up to %2)")
                       .arg(version)
                       .arg(kSchemaVersion),
                   {}, QStringLiteral("schema_version"));
  }
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
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kMetadata), QStringLiteral("seed is not an unsigned integer"), {},
                   QStringLiteral("seed"));
  }
  const QDir folder = QFileInfo(m_path).absoluteDir();
  const auto external = [&](const QString& key, QString* out) -> Status {
    const QString p = kv.value(key);
    if (p.isEmpty()) return {};
    auto resolved = resolveReferencedRaster(folder.absolutePath(), p);
    if (resolved) {
      *out = *resolved;
    } else if (resolved.error().code() == ErrorCode::FileNotFound) {
      // Moved, or on another machine: the project still opens; whoever reads the raster says so.
      *out = QDir::cleanPath(folder.absoluteFilePath(p));
    } else {
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kMetadata), resolved.error().message(), {}, key);
    }
    return {};
  };
  NS_TRY(external(QStringLiteral("imagery.external"), &m_s.imagery.externalPath));
  NS_TRY(external(QStringLiteral("population.external"), &m_s.population.externalPath));
  for (auto it = kv.cbegin(); it != kv.cend(); ++it)
    if (!reservedKeys().contains(it.key())) m.extra.insert(it.key(), it.value());
  return {};
}

Status ScenarioReader::readStations() {
  auto l = layer(kStations, true, true);
  if (!l) return l.error();
  auto idx = fields(*l, kStations, {"id", "name", "type", "capacity"});
  if (!idx) return idx.error();
  // OGR reads a text capacity ('lots', which SQLite lets a REAL column hold) as 0: find it first.
  NS_TRY(firstNonNumeric(kStations, "capacity"));
  QHash<QString, qint64> seen;
  return forEach(*l, kStations, [&](OGRFeatureH f, qint64 row) -> Status {
    BaseStation s;
    s.id = text(f, (*idx)[0]);
    if (s.id.isEmpty())
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kStations), QStringLiteral("empty station id"), row, QStringLiteral("id"));
    if (seen.contains(s.id))
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kStations),
                   QStringLiteral("duplicate station id '%1' (first in row %2)").arg(s.id.left(60)).arg(seen.value(s.id)), row,
                   QStringLiteral("id"));
    seen.insert(s.id, row);
    s.name = text(f, (*idx)[1]);
    const QString type = text(f, (*idx)[2]);
    auto t = stationTypeFromName(type);
    if (!t)
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kStations),
                   QStringLiteral("unknown station type '%1' (macro or micro)").arg(type), row, QStringLiteral("type"));
    s.type = *t;
    s.capacity = OGR_F_GetFieldAsDouble(f, (*idx)[3]);
    if (!std::isfinite(s.capacity) || s.capacity < 0 || s.capacity > kMaxTrafficValue)
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kStations),
                   QStringLiteral("capacity %1 is not a number of traffic units per hour in 0…%2")
                       .arg(text(f, (*idx)[3]).left(40))
                       .arg(kMaxTrafficValue, 0, 'g'),
                   row, QStringLiteral("capacity"));
    auto g = geometry(f, kStations, row, false);
    if (!g) return g.error();
    s.position = g->parts[0][0][0];
    m_s.stations.push_back(std::move(s));
    return {};
  });
}

Status ScenarioReader::readTrafficSites() {
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
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficSites), QStringLiteral("empty traffic site id"), row,
                   QStringLiteral("id"));
    if (stations.contains(t.id))
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficSites),
                   QStringLiteral("id '%1' is already a base station (row %2 of base_stations)").arg(t.id).arg(stations.value(t.id)), row,
                   QStringLiteral("id"));
    if (seen.contains(t.id))
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficSites),
                   QStringLiteral("duplicate traffic site id '%1' (first in row %2)").arg(t.id).arg(seen.value(t.id)), row,
                   QStringLiteral("id"));
    seen.insert(t.id, row);
    t.name = text(f, (*idx)[1]);
    for (int k = 0; k < 2; ++k) {
      const int field = (*idx)[2 + k];
      const double v = OGR_F_GetFieldAsDouble(f, field);
      if (!OGR_F_IsFieldSetAndNotNull(f, field) || !std::isfinite(v))
        return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficSites), QStringLiteral("the position is missing or not a number"),
                     row, QString::fromLatin1(k == 0 ? "x" : "y"));
      (k == 0 ? t.position.x : t.position.y) = v;
    }
    // A point geometry is only the position again; a polygon is the footprint.
    if (OGR_F_GetGeometryRef(f)) {
      auto g = fromOgr(OGR_F_GetGeometryRef(f));
      if (!g || !(g->isPolygonal() || g->type == GeometryType::Point))
        return error(ErrorCode::InvalidGeometry, QString::fromUtf8(kTrafficSites),
                     QStringLiteral("geometry is neither a polygon nor a point"), row, QStringLiteral("geometry"));
      if (g->isPolygonal() && !g->isEmpty()) t.footprint = std::move(*g);
    }
    m_s.trafficSites.push_back(std::move(t));
    return {};
  });
}

Status ScenarioReader::readPois() {
  auto l = layer(kPois, true, true);
  if (!l) return l.error();
  auto idx = fields(*l, kPois, {"id", "category", "name"});
  if (!idx) return idx.error();
  return forEach(*l, kPois, [&](OGRFeatureH f, qint64 row) -> Status {
    Poi p;
    p.id = OGR_F_GetFieldAsInteger64(f, (*idx)[0]);
    const QString cat = text(f, (*idx)[1]);
    auto c = poiCategoryFromName(cat);
    if (!c)
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kPois), QStringLiteral("unknown POI category '%1'").arg(cat), row,
                   QStringLiteral("category"));
    p.category = *c;
    p.name = text(f, (*idx)[2]);
    auto g = geometry(f, kPois, row, false);
    if (!g) return g.error();
    p.position = g->parts[0][0][0];
    m_s.pois.push_back(std::move(p));
    return {};
  });
}

Status ScenarioReader::readZones() {
  auto l = layer(kZones, true, true);
  if (!l) return l.error();
  auto idx = fields(*l, kZones, {"id", "class", "name"});
  if (!idx) return idx.error();
  return forEach(*l, kZones, [&](OGRFeatureH f, qint64 row) -> Status {
    Zone z;
    z.id = OGR_F_GetFieldAsInteger64(f, (*idx)[0]);
    const QString cls = text(f, (*idx)[1]);
    auto c = zoneClassFromName(cls);
    if (!c)
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kZones), QStringLiteral("unknown zone class '%1'").arg(cls), row,
                   QStringLiteral("class"));
    z.zoneClass = *c;
    z.name = text(f, (*idx)[2]);
    auto g = geometry(f, kZones, row, true);
    if (!g) return g.error();
    z.polygon = std::move(*g);
    m_s.zones.push_back(std::move(z));
    return {};
  });
}

Status ScenarioReader::readAoi() {
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

Status ScenarioReader::readCandidates() {
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
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kCandidates), QStringLiteral("feasible must be 0 or 1"), row,
                   QStringLiteral("feasible"));
    c.feasible = feasible == 1;
    c.reason = text(f, (*idx)[2]);
    auto g = geometry(f, kCandidates, row, true);
    if (!g) return g.error();
    c.cell = std::move(*g);
    m_s.candidates.push_back(std::move(c));
    return {};
  });
}

Status ScenarioReader::readTrafficObserved() {
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
  QDateTime first, last;
  qint64 firstRow = 0, lastRow = 0;
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
                   QStringLiteral("unknown site id '%1' (neither a base station nor a traffic site)").arg(site.left(60)), row,
                   QStringLiteral("site_id"));
    auto t = time(f, q[1], kTrafficObserved, row);
    if (!t) return t.error();
    auto v = trafficValue(f, q[2], q[3], kTrafficObserved, row);
    if (!v) return v.error();
    if (!first.isValid() || *t < first) first = *t, firstRow = row;
    if (!last.isValid() || *t > last) last = *t, lastRow = row;
    rows.push_back({site, *t, *v});
    return {};
  }));
  if (rows.empty()) return {};
  HourlyTraffic& tr = m_s.trafficObserved;
  if (!tr.start.isValid()) tr.start = m_s.metadata.seriesStart.isValid() ? m_s.metadata.seriesStart : first;
  if (first < tr.start) tr.start = first;
  if (tr.start.secsTo(last) / 3600 >= qint64(kMaxSeriesHours)) {
    // A year-9999 row would stretch every series to millions of hours. The culprit is the end
    // farther from the series start the project records (the latest row without one).
    const QDateTime anchor = m_s.metadata.seriesStart;
    const bool firstIsOff = anchor.isValid() && std::llabs(anchor.secsTo(first)) > std::llabs(anchor.secsTo(last));
    return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficObserved),
                 QStringLiteral("the times run from %1 to %2: more than %3 hours (20 years), the longest series a project holds")
                     .arg(isoUtc(tr.start), isoUtc(last))
                     .arg(kMaxSeriesHours),
                 firstIsOff ? firstRow : lastRow, QStringLiteral("t"));
  }
  QHash<QString, std::vector<bool>> written;  // per site, the hours a row has set: a second row is an error
  qint64 row = 0;
  for (const Row& r : rows) {
    ++row;
    const qint64 secs = tr.start.secsTo(r.t);
    if (secs % 3600 != 0)
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficObserved),
                   QStringLiteral("time %1 is not on the hourly axis starting %2").arg(isoUtc(r.t), isoUtc(tr.start)), row,
                   QStringLiteral("t"));
    const auto h = std::size_t(secs / 3600);
    auto& values = tr.valuesBySite[r.site];
    std::vector<bool>& set = written[r.site];
    if (values.size() <= h) values.resize(h + 1, std::numeric_limits<float>::quiet_NaN());
    if (set.size() <= h) set.resize(h + 1, false);
    if (set[h])
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficObserved),
                   QStringLiteral("site '%1' has a value at %2 twice (the last would silently win)").arg(r.site.left(60), isoUtc(r.t)), row,
                   QStringLiteral("t"));
    set[h] = true;
    values[h] = r.v;
  }
  return {};
}

Status ScenarioReader::readTrafficGenerated() {
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
      return error(
          ErrorCode::UnsupportedFormat, table,
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
                   QStringLiteral("run '%1' starts at %2 in an earlier row, here at %3").arg(runId, isoUtc(out[*it].start), isoUtc(*start)),
                   row, QStringLiteral("start_utc"));
    }
    const qint64 sample = OGR_F_GetFieldAsInteger64(f, q[2]);
    if (!OGR_F_IsFieldSetAndNotNull(f, q[2]) || sample < 0 || sample >= qint64(kMaxGeneratedSamples))
      return error(ErrorCode::InvalidValue, table,
                   QStringLiteral("sample index '%1' is not in 0…%2").arg(text(f, q[2]).left(40)).arg(kMaxGeneratedSamples - 1), row,
                   QStringLiteral("sample"));
    const qint64 hours = OGR_F_GetFieldAsInteger64(f, q[4]);
    if (!OGR_F_IsFieldSetAndNotNull(f, q[4]) || hours < 0 || hours > qint64(kMaxSeriesHours))
      return error(ErrorCode::InvalidValue, table,
                   QStringLiteral("hours '%1' is not in 0…%2").arg(text(f, q[4]).left(40)).arg(kMaxSeriesHours), row,
                   QStringLiteral("hours"));
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
                   QStringLiteral("run '%1', site '%2', sample %3 appears twice").arg(runId, site).arg(sample), row,
                   QStringLiteral("sample"));
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

Status ScenarioReader::readTrafficGeneratedLong(OGRLayerH l) {
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
                   QStringLiteral("sample index %1 is outside 0…%2").arg(sample).arg(kMaxGeneratedSamples - 1), row,
                   QStringLiteral("sample"));
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
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kTrafficGenerated),
                   QStringLiteral("time %1 is not on an hourly axis").arg(isoUtc(r.t)), row, QStringLiteral("t"));
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

Status ScenarioReader::readRankings() {
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
    if (!ok)
      return error(ErrorCode::ParseError, QString::fromUtf8(kRankings), QStringLiteral("not a JSON object"), row, QStringLiteral("extra"));
    m_s.rankings.push_back(std::move(r));
    return {};
  });
}

Status ScenarioReader::readRuns() {
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
      return error(ErrorCode::InvalidValue, QString::fromUtf8(kRuns), QStringLiteral("seed is not an unsigned integer: '%1'").arg(seed),
                   row, QStringLiteral("seed"));
    r.parameters = parseJsonMap(text(f, (*idx)[5]), &ok);
    if (!ok)
      return error(ErrorCode::ParseError, QString::fromUtf8(kRuns), QStringLiteral("not a JSON object"), row, QStringLiteral("parameters"));
    r.dataHashes = parseJsonMap(text(f, (*idx)[6]), &ok);
    if (!ok)
      return error(ErrorCode::ParseError, QString::fromUtf8(kRuns), QStringLiteral("not a JSON object"), row,
                   QStringLiteral("data_hashes"));
    const QString t = text(f, (*idx)[7]);
    if (!t.isEmpty()) {
      auto parsed = parseIsoUtc(t);
      if (!parsed)
        return error(ErrorCode::ParseError, QString::fromUtf8(kRuns), QStringLiteral("not an ISO-8601 time: '%1'").arg(t), row,
                     QStringLiteral("time"));
      r.time = *parsed;
    }
    m_s.runs.push_back(std::move(r));
    return {};
  });
}

Status ScenarioReader::readProjectModels() {
  auto l = layer(kProjectModels, false, false);
  if (!l) return l.error();
  if (!*l) return {};
  auto idx = fields(*l, kProjectModels, {"id", "name", "weights", "sha256", "model_card", "created", "provenance"});
  if (!idx) return idx.error();
  const QString table = QString::fromUtf8(kProjectModels);
  QSet<QString> ids;
  return forEach(*l, kProjectModels, [&](OGRFeatureH f, qint64 row) -> Status {
    ProjectModel m;
    m.id = text(f, (*idx)[0]);
    if (m.id.isEmpty()) return error(ErrorCode::MissingField, table, QStringLiteral("the model has no id"), row, QStringLiteral("id"));
    if (ids.contains(m.id))
      return error(ErrorCode::InvalidValue, table, QStringLiteral("model id '%1' appears twice").arg(m.id), row, QStringLiteral("id"));
    ids.insert(m.id);
    m.name = text(f, (*idx)[1]);
    int bytes = 0;
    const GByte* data = OGR_F_IsFieldSetAndNotNull(f, (*idx)[2]) ? OGR_F_GetFieldAsBinary(f, (*idx)[2], &bytes) : nullptr;
    if (!data || bytes <= 0)
      return error(ErrorCode::CorruptData, table, QStringLiteral("model '%1' has no weights").arg(m.name), row, QStringLiteral("weights"));
    m.sha256 = text(f, (*idx)[3]).toLower();
    // The weights are what generations name in their runs: bytes that are not the ones recorded
    // would make every later run lie about its model.
    const QString actual = QString::fromLatin1(
        QCryptographicHash::hash(QByteArrayView(reinterpret_cast<const char*>(data), bytes), QCryptographicHash::Sha256).toHex());
    if (actual != m.sha256)
      return error(ErrorCode::CorruptData, table,
                   QStringLiteral("the weights of model '%1' are corrupt: their SHA-256 is %2, the file records %3")
                       .arg(m.name, actual.left(16) + QStringLiteral("…"),
                            m.sha256.isEmpty() ? QStringLiteral("none") : m.sha256.left(16) + QStringLiteral("…")),
                   row, QStringLiteral("weights"));
    m.weights = std::vector<std::uint8_t>(data, data + bytes);
    m.modelCard = text(f, (*idx)[4]);
    const QString t = text(f, (*idx)[5]);
    if (!t.isEmpty()) {
      auto parsed = parseIsoUtc(t);
      if (!parsed)
        return error(ErrorCode::ParseError, table, QStringLiteral("not an ISO-8601 time: '%1'").arg(t.left(40)), row,
                     QStringLiteral("created"));
      m.created = *parsed;
    }
    bool ok = false;
    m.provenance = parseJsonMap(text(f, (*idx)[6]), &ok);
    if (!ok) return error(ErrorCode::ParseError, table, QStringLiteral("not a JSON object"), row, QStringLiteral("provenance"));
    m_s.projectModels.push_back(std::move(m));
    return {};
  });
}

Result<Scenario> ScenarioReader::run() {
  const QFileInfo fi(m_path);
  if (!fi.exists()) return Error(ErrorCode::FileNotFound, QStringLiteral("no such file"), {m_path});
  if (!fi.isFile()) return Error(ErrorCode::UnsupportedFormat, QStringLiteral("not a file"), {m_path});
  if (!fi.isReadable()) return Error(ErrorCode::Io, QStringLiteral("cannot read the file: permission denied"), {m_path});
  {
    // Identify first: a GeoTIFF or a CSV must be refused as "not a scenario", not opened by another driver.
    const char* drivers[] = {"GPKG", nullptr};
    GDALDriverH drv = GDALIdentifyDriverEx(QFile::encodeName(m_path).constData(), GDAL_OF_VECTOR, drivers, nullptr);
    if (!drv) return Error(ErrorCode::UnsupportedFormat, QStringLiteral("not a GeoPackage scenario file"), {m_path});
  }
  const char* drivers[] = {"GPKG", nullptr};
  m_ds.reset(GDALOpenEx(QFile::encodeName(m_path).constData(), GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, drivers, nullptr,
                        nullptr));
  if (!m_ds)
    return Error(ErrorCode::UnsupportedFormat,
                 QStringLiteral("cannot open as a GeoPackage: %1").arg(m_errors.failureText(QStringLiteral("unknown GDAL error"), m_path)),
                 {m_path});
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
      {QStringLiteral("project models"), [this] { return readProjectModels(); }},
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

}  // namespace netspatial::core::detail
