#include "core/import/milanscenario.h"

#include "core/util/filehash.h"

#include "core/geo/coordinatetransform.h"
#include "core/geo/vectorreader.h"
#include "core/traffic/milanimport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <map>

namespace netspatial::core {

namespace {

const QString kGridFile = QStringLiteral("milano-grid.geojson");
const QString kMatrixFile = QStringLiteral("traffic_matrixTS.csv");
const QString kLabelsFile = QStringLiteral("traffic_ID_labels.csv");
const QString kStationsFile = QStringLiteral("opencellid_lte_mapped.csv");
const QString kTransitFile = QStringLiteral("public_transport_stations.csv");
const QString kDistrictsFile = QStringLiteral("nil_districts.geojson");

//! OpenCellID gives no station class; an advertised range of at least this is taken as a macro cell.
constexpr double kMacroRangeMetres = 1000.0;

Status checkCancel(Feedback* feedback, const QString& dataDir) {
  if (feedback && feedback->isCancelled()) return Error(ErrorCode::Cancelled, QStringLiteral("the Milan import was cancelled"), {dataDir});
  return {};
}

//! An integer id from an attribute that GDAL may deliver as an integer, a real ("1.0") or text.
std::optional<qint64> integerValue(const QVariant& v) {
  if (!v.isValid() || v.isNull()) return std::nullopt;
  bool ok = false;
  const double d = v.toString().trimmed().toDouble(&ok);
  if (!ok || !std::isfinite(d) || d != std::floor(d) || std::abs(d) > 9.0e15) return std::nullopt;
  return qint64(d);
}

//! The field of `layer` named `name` (case-insensitive), or empty.
//! The dataset's point CSVs (OpenCellID, transit) all carry WGS 84 positions as lng/lat columns.
Result<VectorLayer> readLngLatCsv(const QString& file, Feedback* feedback) {
  VectorReadOptions options;
  options.xField = QStringLiteral("lng");
  options.yField = QStringLiteral("lat");
  return readVectorLayer(file, options, feedback);
}

QString fieldNamed(const VectorLayer& layer, const QStringList& names) {
  for (const QString& n : names)
    for (const QString& f : layer.fieldNames)
      if (f.trimmed().compare(n, Qt::CaseInsensitive) == 0) return f;
  return {};
}

Result<Geometry> toScenario(const CoordinateTransform& transform, const Geometry& g, const QString& file, qint64 row) {
  auto out = transform.transform(g);
  if (!out)
    return Error(ErrorCode::TransformFailed,
                 QStringLiteral("cannot transform to %1: %2").arg(transform.target().label(), out.error().message()),
                 {file, row, QStringLiteral("geometry")});
  return out;
}

Result<CoordinateTransform> transformFor(const VectorLayer& layer, const Crs& target) {
  if (!layer.crs.isValid())
    return Error(ErrorCode::UnknownCrs, QStringLiteral("the layer has no coordinate reference system"), {layer.file});
  auto t = CoordinateTransform::create(layer.crs, target);
  if (!t)
    return Error(ErrorCode::TransformFailed,
                 QStringLiteral("no transformation from %1 to %2: %3").arg(layer.crs.label(), target.label(), t.error().message()),
                 {layer.file});
  return t;
}

//! Convex hull (Andrew's monotone chain), closed and counter-clockwise. The Milan grid is a
//! rectangle of cells, so its hull is its outline, without a polygon union of 10,000 squares.
Geometry::Ring convexHull(std::vector<PointXY> points) {
  std::sort(points.begin(), points.end(), [](const PointXY& a, const PointXY& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  points.erase(std::unique(points.begin(), points.end()), points.end());
  if (points.size() < 3) return {};
  const auto cross = [](const PointXY& o, const PointXY& a, const PointXY& b) {
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  };
  Geometry::Ring hull(2 * points.size());
  std::size_t k = 0;
  for (const PointXY& p : points) {
    while (k >= 2 && cross(hull[k - 2], hull[k - 1], p) <= 0) --k;
    hull[k++] = p;
  }
  for (std::size_t i = points.size() - 1, lower = k + 1; i-- > 0;) {
    while (k >= lower && cross(hull[k - 2], hull[k - 1], points[i]) <= 0) --k;
    hull[k++] = points[i];
  }
  hull.resize(k);  // the last point repeats the first: the ring is closed
  return hull;
}

struct GridCell {
  Geometry polygon;  //!< scenario CRS
  qint64 row = 0;    //!< 1-based feature of the GeoJSON
};

class MilanImporter {
 public:
  MilanImporter(const QString& dataDir, Feedback* feedback) : m_dir(dataDir), m_feedback(feedback) {}
  Result<MilanScenarioImport> run();

 private:
  QString path(const QString& file) const { return m_dir.absoluteFilePath(file); }
  Status readGrid();
  Status readTraffic();
  Status readStations(const QString& file);
  Status readTransit(const QString& file);
  Status readDistricts(const QString& file);

  QDir m_dir;
  Feedback* m_feedback;
  Crs m_crs;
  std::map<qint64, GridCell> m_cells;  //!< cellId → cell, in id order
  MilanScenarioImport m_out;
};

Status MilanImporter::readGrid() {
  const QString file = path(kGridFile);
  Feedback fb = Feedback::childOf(m_feedback, 0.0, 0.25, QStringLiteral("reading the grid"));
  fb.setProgress(0.0);
  auto layer = readVectorLayer(file, {}, m_feedback ? &fb : nullptr);
  if (!layer) return layer.error();
  if (!layer->fieldNames.contains(QStringLiteral("cellId")))
    return Error(ErrorCode::MissingField, QStringLiteral("the grid has no 'cellId' property"),
                 {file, std::nullopt, QStringLiteral("cellId")});
  if (layer->features.empty()) return Error(ErrorCode::CorruptData, QStringLiteral("the grid has no cells"), {file});
  auto transform = transformFor(*layer, m_crs);
  if (!transform) return transform.error();
  qint64 row = 0;
  for (const Feature& f : layer->features) {
    ++row;
    const auto id = integerValue(f.attributes.value(QStringLiteral("cellId")));
    if (!id || *id < 1)
      return Error(
          ErrorCode::InvalidValue,
          QStringLiteral("not a positive integer cell id: '%1'").arg(f.attributes.value(QStringLiteral("cellId")).toString().left(40)),
          {file, row, QStringLiteral("cellId")});
    if (auto it = m_cells.find(*id); it != m_cells.end())
      return Error(ErrorCode::InvalidValue, QStringLiteral("cell %1 appears twice (first in row %2)").arg(*id).arg(it->second.row),
                   {file, row, QStringLiteral("cellId")});
    if (f.geometry.type != GeometryType::Polygon || f.geometry.isEmpty())
      return Error(ErrorCode::InvalidGeometry, QStringLiteral("cell %1 is not a polygon").arg(*id),
                   {file, row, QStringLiteral("geometry")});
    auto polygon = toScenario(*transform, f.geometry, file, row);
    if (!polygon) return polygon.error();
    m_cells.emplace(*id, GridCell{std::move(*polygon), row});
  }
  Scenario& s = m_out.scenario;
  std::vector<PointXY> corners;
  corners.reserve(m_cells.size() * 5);
  s.candidates.reserve(m_cells.size());
  for (const auto& [id, cell] : m_cells) {
    s.candidates.push_back({id, cell.polygon, true, {}});
    for (const auto& ring : cell.polygon.parts[0]) corners.insert(corners.end(), ring.begin(), ring.end());
  }
  s.aoi.type = GeometryType::Polygon;
  s.aoi.parts = {{convexHull(std::move(corners))}};
  return {};
}

Status MilanImporter::readTraffic() {
  const QString matrixFile = path(kMatrixFile);
  const QString labelsFile = path(kLabelsFile);
  Feedback fb = Feedback::childOf(m_feedback, 0.25, 0.45, QStringLiteral("reading the traffic matrix"));
  fb.setProgress(0.0);
  auto matrix = importMilanMatrix(matrixFile, labelsFile, m_feedback ? &fb : nullptr);
  if (!matrix) return matrix.error();
  if (matrix->seriesByCell.empty()) return Error(ErrorCode::CorruptData, QStringLiteral("the traffic matrix has no rows"), {matrixFile});
  Scenario& s = m_out.scenario;
  HourlyTraffic& traffic = s.trafficObserved;
  for (auto& [cellId, series] : matrix->seriesByCell) {
    const auto cell = m_cells.find(cellId);
    if (cell == m_cells.end())
      return Error(ErrorCode::InvalidValue, QStringLiteral("cell %1 has traffic but is not in %2").arg(cellId).arg(kGridFile),
                   {labelsFile, matrix->rowByCell.at(cellId), QStringLiteral("cellId")});
    if (!traffic.start.isValid()) traffic.start = series.start;
    TrafficSite site;
    site.id = QStringLiteral("cell-%1").arg(cellId);
    site.name = QStringLiteral("Grid cell %1").arg(cellId);
    site.footprint = cell->second.polygon;
    site.position = site.footprint.centroid();
    traffic.valuesBySite.emplace(site.id, std::move(series.values));
    s.trafficSites.push_back(std::move(site));
  }
  s.metadata.seriesStart = traffic.start;
  m_out.truncatedSeries = matrix->report;
  m_out.completeCells = matrix->completeCells;
  if (!matrix->report.isEmpty())
    m_out.report << QStringLiteral("%1: %2 of %3 cell series are truncated; their missing hours are NaN, not zero")
                        .arg(kMatrixFile)
                        .arg(matrix->report.size())
                        .arg(matrix->seriesByCell.size());
  return {};
}

Status MilanImporter::readStations(const QString& file) {
  Feedback fb = Feedback::childOf(m_feedback, 0.45, 0.75, QStringLiteral("reading the OpenCellID stations"));
  fb.setProgress(0.0);
  auto layer = readLngLatCsv(file, m_feedback ? &fb : nullptr);
  if (!layer) return layer.error();
  for (const char* name : {"bs_id", "range"})
    if (!layer->fieldNames.contains(QString::fromLatin1(name)))
      return Error(ErrorCode::MissingField, QStringLiteral("no '%1' column").arg(QString::fromLatin1(name)),
                   {file, std::nullopt, QString::fromLatin1(name)});
  auto transform = transformFor(*layer, m_crs);
  if (!transform) return transform.error();
  Scenario& s = m_out.scenario;
  QHash<QString, PointXY> firstLonLat;  // bs_id → position of its first row
  QSet<QString> scattered;              // bs_ids whose rows disagree on the position
  qint64 row = 0;
  for (const Feature& f : layer->features) {
    ++row;
    const QString bsId = f.attributes.value(QStringLiteral("bs_id")).toString().trimmed();
    if (bsId.isEmpty()) return Error(ErrorCode::InvalidValue, QStringLiteral("empty station id"), {file, row, QStringLiteral("bs_id")});
    const PointXY lonLat = f.geometry.parts[0][0][0];
    if (auto it = firstLonLat.constFind(bsId); it != firstLonLat.cend()) {
      // The file has one row per covered cell. Some ids also come with other positions: an OpenCellID
      // id is unique only with the operator and area codes, which the file lacks. The first row
      // wins, and the report says how often.
      if (!(*it == lonLat)) scattered.insert(bsId);
      continue;
    }
    const QString rangeText = f.attributes.value(QStringLiteral("range")).toString().trimmed();
    bool ok = false;
    const double range = rangeText.toDouble(&ok);
    if (!ok || !std::isfinite(range) || range < 0.0)
      return Error(ErrorCode::InvalidValue,
                   QStringLiteral("the range is not a non-negative number of metres: '%1'").arg(rangeText.left(40)),
                   {file, row, QStringLiteral("range")});
    auto position = transform->transform(lonLat);
    if (!position)
      return Error(ErrorCode::TransformFailed, QStringLiteral("cannot transform to %1: %2").arg(m_crs.label(), position.error().message()),
                   {file, row, QStringLiteral("lng")});
    firstLonLat.insert(bsId, lonLat);
    BaseStation b;
    b.id = QStringLiteral("ocid-%1").arg(bsId);
    b.name = QStringLiteral("OpenCellID %1").arg(bsId);
    b.type = range >= kMacroRangeMetres ? StationType::Macro : StationType::Micro;
    b.capacity = 0.0;  // unknown: OpenCellID says nothing about capacity
    b.position = *position;
    s.stations.push_back(std::move(b));
  }
  m_out.report << QStringLiteral("%1: %2 rows, %3 distinct bs_id kept once each, at their first row's position")
                      .arg(kStationsFile)
                      .arg(layer->features.size())
                      .arg(s.stations.size());
  if (!scattered.isEmpty())
    m_out.report
        << QStringLiteral("%1: %2 bs_id appear at more than one position; the first is kept").arg(kStationsFile).arg(scattered.size());
  return {};
}

Status MilanImporter::readTransit(const QString& file) {
  Feedback fb = Feedback::childOf(m_feedback, 0.75, 0.8, QStringLiteral("reading the transit stations"));
  fb.setProgress(0.0);
  auto layer = readLngLatCsv(file, m_feedback ? &fb : nullptr);
  if (!layer) return layer.error();
  const QString nameField = fieldNamed(*layer, {QStringLiteral("loc"), QStringLiteral("name")});
  if (nameField.isEmpty())
    return Error(ErrorCode::MissingField, QStringLiteral("no station name column (loc or name)"),
                 {file, std::nullopt, QStringLiteral("loc")});
  auto transform = transformFor(*layer, m_crs);
  if (!transform) return transform.error();
  qint64 row = 0;
  for (const Feature& f : layer->features) {
    ++row;
    auto position = transform->transform(f.geometry.parts[0][0][0]);
    if (!position)
      return Error(ErrorCode::TransformFailed, QStringLiteral("cannot transform to %1: %2").arg(m_crs.label(), position.error().message()),
                   {file, row, QStringLiteral("lng")});
    Poi p;
    p.id = row;
    p.category = PoiCategory::Transport;
    p.name = f.attributes.value(nameField).toString().trimmed();
    p.position = *position;
    m_out.scenario.pois.push_back(std::move(p));
  }
  return {};
}

Status MilanImporter::readDistricts(const QString& file) {
  Feedback fb = Feedback::childOf(m_feedback, 0.8, 0.9, QStringLiteral("reading the NIL districts"));
  fb.setProgress(0.0);
  auto layer = readVectorLayer(file, {}, m_feedback ? &fb : nullptr);
  if (!layer) return layer.error();
  for (const char* name : {"ID_NIL", "NIL"})
    if (!layer->fieldNames.contains(QString::fromLatin1(name)))
      return Error(ErrorCode::MissingField, QStringLiteral("no '%1' property").arg(QString::fromLatin1(name)),
                   {file, std::nullopt, QString::fromLatin1(name)});
  auto transform = transformFor(*layer, m_crs);
  if (!transform) return transform.error();
  QHash<qint64, qint64> seen;
  qint64 row = 0;
  for (const Feature& f : layer->features) {
    ++row;
    const QVariant idValue = f.attributes.value(QStringLiteral("ID_NIL"));
    const auto id = integerValue(idValue);
    if (!id)
      return Error(ErrorCode::InvalidValue, QStringLiteral("not an integer district id: '%1'").arg(idValue.toString().left(40)),
                   {file, row, QStringLiteral("ID_NIL")});
    if (seen.contains(*id))
      return Error(ErrorCode::InvalidValue, QStringLiteral("district %1 appears twice (first in row %2)").arg(*id).arg(seen.value(*id)),
                   {file, row, QStringLiteral("ID_NIL")});
    seen.insert(*id, row);
    if (!f.geometry.isPolygonal() || f.geometry.isEmpty())
      return Error(ErrorCode::InvalidGeometry, QStringLiteral("district %1 is not a polygon").arg(*id),
                   {file, row, QStringLiteral("geometry")});
    auto polygon = toScenario(*transform, f.geometry, file, row);
    if (!polygon) return polygon.error();
    Zone z;
    z.id = *id;
    z.zoneClass = ZoneClass::Mixed;  // the NIL layer names districts; it does not say what they are used for
    z.name = f.attributes.value(QStringLiteral("NIL")).toString().trimmed();
    z.polygon = std::move(*polygon);
    m_out.scenario.zones.push_back(std::move(z));
  }
  return {};
}

Result<MilanScenarioImport> MilanImporter::run() {
  const QString dirPath = m_dir.absolutePath();
  if (!QFileInfo(dirPath).isDir()) return Error(ErrorCode::FileNotFound, QStringLiteral("no such folder"), {dirPath});
  // Unreadable is not missing: say which, or the user looks for files that are there.
  if (!QFileInfo(dirPath).isReadable() || !QFileInfo(dirPath).isExecutable())
    return Error(ErrorCode::Io, QStringLiteral("cannot read the folder: permission denied"), {dirPath});
  for (const QString& required : {kGridFile, kMatrixFile, kLabelsFile})
    if (QFileInfo::exists(path(required)) && !QFileInfo(path(required)).isReadable())
      return Error(ErrorCode::Io, QStringLiteral("cannot read the file: permission denied"), {path(required)});
  for (const QString& required : {kGridFile, kMatrixFile, kLabelsFile})
    if (!QFileInfo::exists(path(required)))
      return Error(
          ErrorCode::FileNotFound,
          QStringLiteral("required Milan file missing: the folder must hold %1, %2 and %3").arg(kGridFile, kMatrixFile, kLabelsFile),
          {path(required)});
  auto crs = Crs::fromEpsg(32632);
  if (!crs) return crs.error();
  m_crs = *crs;

  Scenario& s = m_out.scenario;
  s.metadata.name = QStringLiteral("Milan (Telecom Italia, Nov–Dec 2013)");
  s.metadata.crs = m_crs;
  s.metadata.timeZone = QStringLiteral("Europe/Rome");
  s.metadata.trafficUnit = QStringLiteral("activity (dataset units)");
  s.metadata.extra.insert(
      QStringLiteral("source"),
      QStringLiteral("Telecom Italia Big Data Challenge, Milan: Barlacchi et al., \"A multi-source dataset of urban life in "
                     "the city of Milan and the Province of Trentino\", Scientific Data 2, 2015 (Harvard Dataverse)"));
  s.metadata.extra.insert(QStringLiteral("licence"), QStringLiteral("Open Database License (ODbL) 1.0"));
  s.metadata.extra.insert(QStringLiteral("source.base_stations"),
                          QStringLiteral("OpenCellID LTE cells (via tim-dataset-pipeline), CC BY-SA 4.0; type macro when range >= 1000 m; "
                                         "capacity 0 = unknown"));
  s.metadata.extra.insert(QStringLiteral("source.zones"),
                          QStringLiteral("Comune di Milano NIL districts; class mixed (land use not given)"));

  if (Status st = readGrid(); !st) return st.error();
  if (Status st = checkCancel(m_feedback, dirPath); !st) return st.error();
  if (Status st = readTraffic(); !st) return st.error();
  if (Status st = checkCancel(m_feedback, dirPath); !st) return st.error();

  const struct {
    const QString& file;
    Status (MilanImporter::*read)(const QString&);
    const char* what;
  } optional[] = {
      {kStationsFile, &MilanImporter::readStations, "no base stations imported"},
      {kTransitFile, &MilanImporter::readTransit, "no POIs imported"},
      {kDistrictsFile, &MilanImporter::readDistricts, "no zones imported"},
  };
  for (const auto& o : optional) {
    const QString file = path(o.file);
    if (!QFileInfo::exists(file)) {
      m_out.report << QStringLiteral("%1 is absent: %2").arg(o.file, QString::fromLatin1(o.what));
      continue;
    }
    if (Status st = (this->*o.read)(file); !st) return st.error();
    if (Status st = checkCancel(m_feedback, dirPath); !st) return st.error();
  }

  if (m_feedback) m_feedback->setProgress(0.9, QStringLiteral("hashing the source files"));
  RunRecord run;
  run.time = QDateTime::currentDateTimeUtc();
  run.runId = QStringLiteral("import-milan-%1").arg(run.time.toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")));
  run.kind = QStringLiteral("import");
  run.modelId = QStringLiteral("milan");
  run.parameters.insert(QStringLiteral("data_dir"), dirPath);
  for (const QString& file : {kGridFile, kMatrixFile, kLabelsFile, kStationsFile, kTransitFile, kDistrictsFile}) {
    if (!QFileInfo::exists(path(file))) continue;
    auto hash = fileSha256(path(file));
    if (!hash) return hash.error();
    run.dataHashes.insert(file, *hash);
  }
  s.runs.push_back(std::move(run));
  if (m_feedback) m_feedback->setProgress(1.0, QStringLiteral("imported"));
  return std::move(m_out);
}

}  // namespace

Result<MilanScenarioImport> importMilanScenario(const QString& dataDir, Feedback* feedback) {
  if (dataDir.isEmpty()) return Error(ErrorCode::InvalidArgument, QStringLiteral("no Milan data folder given"));
  MilanImporter importer(dataDir, feedback);
  return importer.run();
}

}  // namespace netspatial::core
