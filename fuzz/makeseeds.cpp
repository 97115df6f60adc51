// Writes the binary seeds of fuzz/corpus/ that cannot be typed: scenario GeoPackages and model
// checkpoints. Run it after a change of either format (and commit what it writes):
//   build/fuzz/fuzz/fuzz_makeseeds fuzz/corpus
// The GeoPackages are shrunk (512-byte SQLite pages, no R-tree) so that a seed stays a few tens of
// KB: libFuzzer mutates every byte of an input, and its speed falls with the input's size.

#include "core/scenario/scenariostore.h"
#include "fuzz/fuzzsupport.h"
#include "netspatial/models/netspatial.h"
#include "netspatial/models/sha256.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTimeZone>

#include <gdal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>

using namespace netspatial;

namespace {

[[noreturn]] void fail(const QString& what) {
  std::fprintf(stderr, "makeseeds: %s\n", qPrintable(what));
  std::exit(1);
}

core::Geometry square(double x, double y, double side) {
  core::Geometry g;
  g.type = core::GeometryType::Polygon;
  g.parts = {{{{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}, {x, y}}}};
  return g;
}

//! A small scenario with every layer and table the loader reads: two stations, a traffic site
//! with a footprint, POIs, a zone, an area of interest, candidates, observed and generated
//! traffic, a ranking, a run record, a project model and tiny rasters.
core::Scenario scenario() {
  core::Scenario s;
  s.metadata.name = QStringLiteral("fuzz seed");
  s.metadata.crs = *core::Crs::fromEpsg(32632);
  s.metadata.timeZone = QStringLiteral("Europe/Rome");
  s.metadata.seed = 7;
  const QDateTime start(QDate(2013, 11, 4), QTime(0, 0), QTimeZone::utc());
  s.metadata.seriesStart = start;
  const double x0 = 514'000, y0 = 5'034'000;
  s.stations.mut() = {{QStringLiteral("S1"), QStringLiteral("Duomo"), core::StationType::Macro, 120.0, {x0 + 100, y0 + 100}},
                      {QStringLiteral("S2"), QStringLiteral(""), core::StationType::Micro, 15.5, {x0 + 400, y0 + 300}}};
  core::TrafficSite cell;
  cell.id = QStringLiteral("5161");
  cell.name = QStringLiteral("cell 5161");
  cell.footprint = square(x0, y0, 235);
  cell.position = {x0 + 117.5, y0 + 117.5};
  s.trafficSites.mut() = {cell};
  s.pois.mut() = {{1, core::PoiCategory::Food, QStringLiteral("Bar"), {x0 + 50, y0 + 60}},
                  {2, core::PoiCategory::Transport, QStringLiteral("M1 Duomo"), {x0 + 200, y0 + 220}}};
  s.zones.mut() = {{1, core::ZoneClass::ResidentialHigh, QStringLiteral("Centro"), square(x0, y0, 500)}};
  s.aoi = square(x0, y0, 500);
  core::Candidate c1{1, square(x0, y0, 250), true, {}};
  core::Candidate c2{2, square(x0 + 250, y0, 250), false, QStringLiteral("water")};
  s.candidates.mut() = {c1, c2};
  const float nan = std::numeric_limits<float>::quiet_NaN();
  s.trafficObserved.start = start;
  s.trafficObserved.valuesBySite.mut() = {{QStringLiteral("S1"), {1.5f, 2.0f, nan, 4.25f}},
                                          {QStringLiteral("5161"), {0.0f, 3.0f, 3.5f, 1.0f}}};
  core::GeneratedTraffic run;
  run.runId = QStringLiteral("gen-1");
  run.start = start;
  run.samplesBySite.mut() = {{QStringLiteral("S2"), {{1.0f, 2.0f, 3.0f, 4.0f}, {2.0f, nan, 1.0f, 0.5f}}}};
  s.trafficGenerated = {run};
  core::RankingRow rank;
  rank.runId = QStringLiteral("rank-1");
  rank.rank = 1;
  rank.siteId = QStringLiteral("S1");
  rank.utility = QStringLiteral("lsi");
  rank.value = 0.75;
  rank.extra = {{QStringLiteral("sigma"), 1.25}};
  s.rankings.mut() = {rank};
  core::RunRecord record;
  record.runId = QStringLiteral("gen-1");
  record.kind = QStringLiteral("generate");
  record.modelId = QStringLiteral("netspatial");
  record.seed = 3;
  record.parameters = {{QStringLiteral("samples"), 2}};
  record.time = start.addDays(40);
  s.runs = {record};
  core::ProjectModel model;
  model.id = QStringLiteral("m1");
  model.name = QStringLiteral("tiny");
  const QByteArray weights("not a checkpoint, only bytes with a digest");
  model.weights.mut().assign(weights.begin(), weights.end());
  model.sha256 = QString::fromLatin1(QCryptographicHash::hash(weights, QCryptographicHash::Sha256).toHex());
  model.created = start;
  s.projectModels = {model};
  s.imagery.grid.geoTransform = {x0, 125.0, 0.0, y0 + 500, 0.0, -125.0};
  s.imagery.grid.width = 4;
  s.imagery.grid.height = 4;
  auto& rgb = s.imagery.grid.rgb.mut();
  for (int i = 0; i < 3 * 16; ++i) rgb.push_back(std::uint8_t(i * 5));
  s.population.grid.geoTransform = {x0, 250.0, 0.0, y0 + 500, 0.0, -250.0};
  s.population.grid.width = 2;
  s.population.grid.height = 2;
  s.population.grid.values.mut() = {10.0f, 0.0f, nan, 2500.5f};
  return s;
}

//! The least a loader accepts: metadata and the required layers, one station.
core::Scenario minimalScenario() {
  core::Scenario s;
  s.metadata.crs = *core::Crs::fromEpsg(3857);
  s.stations.mut() = {{QStringLiteral("A"), QStringLiteral("A"), core::StationType::Micro, 0.0, {1'000'000, 5'700'000}}};
  return s;
}

void shrink(const QString& path) {
  GDALDatasetH ds = GDALOpenEx(QFile::encodeName(path).constData(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr);
  if (!ds) fail(QStringLiteral("cannot reopen %1").arg(path));
  for (int i = 0; i < GDALDatasetGetLayerCount(ds); ++i) {
    OGRLayerH layer = GDALDatasetGetLayer(ds, i);
    const char* geometry = OGR_L_GetGeometryColumn(layer);
    if (!geometry || !*geometry) continue;
    const QByteArray sql = QByteArray("SELECT DisableSpatialIndex('") + OGR_L_GetName(layer) + "', '" + geometry + "')";
    if (OGRLayerH rs = GDALDatasetExecuteSQL(ds, sql.constData(), nullptr, nullptr)) GDALDatasetReleaseResultSet(ds, rs);
  }
  // The triggers keep GDAL's feature counts and the tile matrix consistent on writes; a reader
  // needs none of them, and their SQL text is a large part of a small file.
  QList<QByteArray> triggers;
  if (OGRLayerH rs = GDALDatasetExecuteSQL(ds, "SELECT name FROM sqlite_master WHERE type = 'trigger'", nullptr, nullptr)) {
    while (OGRFeatureH f = OGR_L_GetNextFeature(rs)) {
      triggers << QByteArray(OGR_F_GetFieldAsString(f, 0));
      OGR_F_Destroy(f);
    }
    GDALDatasetReleaseResultSet(ds, rs);
  }
  for (const QByteArray& name : triggers)
    if (OGRLayerH rs = GDALDatasetExecuteSQL(ds, ("DROP TRIGGER \"" + name + "\"").constData(), nullptr, nullptr))
      GDALDatasetReleaseResultSet(ds, rs);
  for (const char* sql : {"PRAGMA page_size = 512", "VACUUM"})
    if (OGRLayerH rs = GDALDatasetExecuteSQL(ds, sql, nullptr, nullptr)) GDALDatasetReleaseResultSet(ds, rs);
  GDALClose(ds);
}

void writeScenario(const core::Scenario& s, const QString& path) {
  QFile::remove(path);
  if (auto saved = core::saveScenario(s, path); !saved) fail(saved.error().toString());
  shrink(path);
  if (auto loaded = core::loadScenario(path); !loaded) fail(QStringLiteral("the seed does not load: %1").arg(loaded.error().toString()));
  std::printf("%s: %lld bytes\n", qPrintable(path), QFile(path).size());
}

// --- checkpoints ---------------------------------------------------------------------------------

struct Container {
  std::map<std::string, std::string> meta;
  std::vector<std::uint8_t> tensors;  //!< the payload after the metadata, as it is
};

std::uint32_t u32(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

//! Splits a checkpoint (models/netspatial/checkpoint.h) into its metadata and the rest.
Container open(const std::vector<std::uint8_t>& file) {
  const std::uint8_t* p = file.data() + 20;
  const std::uint8_t* end = file.data() + file.size() - 64;
  Container c;
  std::uint32_t n = u32(p);
  p += 4;
  const auto string = [&] {
    const std::uint32_t size = u32(p);
    std::string s(reinterpret_cast<const char*>(p + 4), size);
    p += 4 + size;
    return s;
  };
  for (std::uint32_t i = 0; i < n; ++i) {
    std::string k = string();
    c.meta[k] = string();
  }
  c.tensors.assign(p, end);
  return c;
}

std::vector<std::uint8_t> payload(const Container& c) {
  std::vector<std::uint8_t> out;
  const auto put32 = [&](std::uint32_t v) {
    const auto* b = reinterpret_cast<const std::uint8_t*>(&v);
    out.insert(out.end(), b, b + 4);
  };
  put32(std::uint32_t(c.meta.size()));
  for (const auto& [k, v] : c.meta) {
    put32(std::uint32_t(k.size()));
    out.insert(out.end(), k.begin(), k.end());
    put32(std::uint32_t(v.size()));
    out.insert(out.end(), v.begin(), v.end());
  }
  out.insert(out.end(), c.tensors.begin(), c.tensors.end());
  return out;
}

std::vector<std::uint8_t> file(const std::vector<std::uint8_t>& payload) {
  std::vector<std::uint8_t> out{'N', 'S', 'P', 'M', 'O', 'D', 'E', 'L'};
  const std::uint32_t version = 1;
  const std::uint64_t size = payload.size();
  out.insert(out.end(), reinterpret_cast<const std::uint8_t*>(&version), reinterpret_cast<const std::uint8_t*>(&version) + 4);
  out.insert(out.end(), reinterpret_cast<const std::uint8_t*>(&size), reinterpret_cast<const std::uint8_t*>(&size) + 8);
  out.insert(out.end(), payload.begin(), payload.end());
  const std::string digest = models::sha256Hex(payload.data(), payload.size());
  out.insert(out.end(), digest.begin(), digest.end());
  return out;
}

void writeBytes(const QString& path, char mode, const std::vector<std::uint8_t>& bytes) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) fail(QStringLiteral("cannot write %1").arg(path));
  f.write(&mode, 1);
  f.write(reinterpret_cast<const char*>(bytes.data()), qint64(bytes.size()));
  std::printf("%s: %lld bytes\n", qPrintable(path), f.size());
}

//! fuzz_checkpoint.cpp's compact form of a payload: each tensor's data replaced by its first (up
//! to) 8 bytes, with their count.
std::vector<std::uint8_t> compact(const Container& c) {
  std::vector<std::uint8_t> out;
  Container none = c;
  none.tensors.clear();
  out = payload(none);
  const std::uint8_t* p = c.tensors.data();
  const std::uint8_t* end = p + c.tensors.size();
  const std::uint32_t count = u32(p);
  out.insert(out.end(), p, p + 4);
  p += 4;
  for (std::uint32_t t = 0; t < count && p < end; ++t) {
    const std::uint32_t nameSize = u32(p);
    const std::uint32_t rank = u32(p + 4 + nameSize);
    const std::size_t head = 4 + nameSize + 4 + 8 * std::size_t(rank);
    std::int64_t numel = 1;
    for (std::uint32_t d = 0; d < rank; ++d) {
      std::int64_t dim;
      std::memcpy(&dim, p + 4 + nameSize + 4 + 8 * d, 8);
      numel *= dim;
    }
    out.insert(out.end(), p, p + head);
    const std::size_t bytes = std::size_t(numel) * 4;
    const std::uint32_t k = std::uint32_t(std::min<std::size_t>(bytes, 8));
    out.insert(out.end(), reinterpret_cast<const std::uint8_t*>(&k), reinterpret_cast<const std::uint8_t*>(&k) + 4);
    out.insert(out.end(), p + head, p + head + k);
    p += head + bytes;
  }
  return out;
}

//! Seeds of the smallest network of `config`, marked as trained (its weights are the untrained
//! ones: what matters to the reader is the layout) so that a load runs the warm-up.
void writeCheckpoint(const QString& folder, const QString& name, models::NetSpatialConfig config) {
  models::NetSpatialGenerator g(config);
  auto saved = g.save();
  if (!saved) fail(QString::fromStdString(saved.error().message));
  Container c = open(*saved);
  c.meta["stages_completed"] = "4";
  const std::vector<std::uint8_t> whole = file(payload(c));
  models::EngineOptions options;
  options.device = models::DevicePreference::Cpu;
  options.threads = 1;
  if (auto loaded = models::NetSpatialGenerator::load(whole, options); !loaded)
    fail(QStringLiteral("the seed %1 does not load: %2").arg(name, QString::fromStdString(loaded.error().message)));
  // Mode bytes of fuzz_checkpoint.cpp: 0 = the file, 1 = the payload, 2 = the compact payload.
  writeBytes(folder + QStringLiteral("/%1-compact").arg(name), 2, compact(c));
  // The container's own checks: a file cut after its header, and the metadata without tensors.
  writeBytes(folder + QStringLiteral("/%1-truncated").arg(name), 0, std::vector<std::uint8_t>(whole.begin(), whole.begin() + 120));
  Container metaOnly = c;
  metaOnly.tensors = {0, 0, 0, 0};
  writeBytes(folder + QStringLiteral("/%1-metaonly").arg(name), 1, payload(metaOnly));
}

models::NetSpatialConfig tiny() {
  models::NetSpatialConfig c;
  c.embedDim = 4;  // the fusion transformer's 4 heads need at least one dimension each
  c.conditionDim = 2;
  c.hidden1 = 2;
  c.hidden2 = 2;
  c.hidden3 = 2;
  c.maxPois = 2;
  c.peakHidden = 0;
  c.steps1 = c.steps2 = c.steps3 = 1;
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_FOLDER (fuzz/corpus)\n", argv[0]);
    return 2;
  }
  fuzz::initialise();
  const QDir corpus(QString::fromLocal8Bit(argv[1]));
  for (const char* sub : {"fuzz_scenario", "fuzz_checkpoint"}) corpus.mkpath(QString::fromLatin1(sub));
  writeScenario(scenario(), corpus.filePath(QStringLiteral("fuzz_scenario/city.gpkg")));
  writeScenario(minimalScenario(), corpus.filePath(QStringLiteral("fuzz_scenario/minimal.gpkg")));

  const QString checkpoints = corpus.filePath(QStringLiteral("fuzz_checkpoint"));
  writeCheckpoint(checkpoints, QStringLiteral("tiny"), tiny());
  models::NetSpatialConfig variants = tiny();
  variants.peakHidden = 2;
  variants.usePriorMean = true;
  variants.useTemplate = true;
  variants.templateShapeRidge = true;
  variants.peakFromTemplate = true;
  variants.observedNeighbours = 2;
  writeCheckpoint(checkpoints, QStringLiteral("variants"), variants);
  return 0;
}
