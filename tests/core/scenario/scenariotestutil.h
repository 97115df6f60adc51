#pragma once

// Small hand-built scenarios for the scenario store and CLI tests: every layer, table and raster
// present, a few rows each, so a round trip exercises all the code in milliseconds.

#include "core/scenario/scenario.h"

#include <QTimeZone>

#include <cmath>
#include <cstring>
#include <limits>

namespace netspatial::tests {

inline core::Geometry rectangle(double x0, double y0, double x1, double y1) {
  core::Geometry g;
  g.type = core::GeometryType::Polygon;
  g.parts = {{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}};
  return g;
}

inline core::Scenario smallScenario(int stationCount = 4, int hours = 48, int imageWidth = 70, int imageHeight = 50) {
  using namespace netspatial::core;
  Scenario s;
  s.metadata.name = QStringLiteral("Test town");
  s.metadata.crs = Crs::fromEpsg(32632).value();
  s.metadata.timeZone = QStringLiteral("Europe/Rome");
  s.metadata.trafficUnit = QStringLiteral("MB/h");
  s.metadata.seriesStart = QDateTime(QDate(2025, 3, 2), QTime(23, 0), QTimeZone::utc());
  s.metadata.preset = QStringLiteral("town");
  s.metadata.seed = 18446744073709551557ull;  // beyond qint64: the text column must keep it
  s.metadata.extra.insert(QStringLiteral("source"), QStringLiteral("hand-built"));
  const double x0 = 500000.0, y0 = 5034000.0;
  for (int i = 0; i < stationCount; ++i) {
    BaseStation b;
    b.id = QStringLiteral("S%1").arg(i + 1);
    b.name = QStringLiteral("Station %1 – Ünïcode").arg(i + 1);
    b.type = i % 3 == 0 ? StationType::Macro : StationType::Micro;
    b.capacity = 1000.0 / (i + 3);
    b.position = {x0 + 123.456789 * i, y0 + 77.1234567 * i};
    s.stations.push_back(b);
  }
  for (int i = 0; i < 5; ++i)
    s.pois.push_back({i + 10, PoiCategory(i * 3 % kPoiCategoryCount), QStringLiteral("POI %1").arg(i), {x0 + 10.5 * i, y0 - 3.25 * i}});
  Zone z1{1, ZoneClass::Cbd, QStringLiteral("Centre"), rectangle(x0, y0, x0 + 1000.1, y0 + 800.3)};
  z1.polygon.parts[0].push_back({{x0 + 100, y0 + 100}, {x0 + 100, y0 + 200}, {x0 + 200, y0 + 200}, {x0 + 100, y0 + 100}});  // a hole
  Zone z2{2, ZoneClass::Water, QStringLiteral("Lake"), {}};
  z2.polygon.type = GeometryType::MultiPolygon;
  z2.polygon.parts = {rectangle(x0 - 500, y0, x0 - 400, y0 + 100).parts[0], rectangle(x0 - 300, y0, x0 - 200, y0 + 100).parts[0]};
  Zone z3{3, ZoneClass::ResidentialHigh, QStringLiteral("Blocks"), rectangle(x0 + 1000.1, y0, x0 + 1500, y0 + 800.3)};
  s.zones = std::vector<Zone>{z1, z2, z3};
  s.aoi = rectangle(x0 - 600, y0 - 100, x0 + 1600, y0 + 900);
  for (int i = 0; i < 6; ++i)
    s.candidates.push_back(
        {100 + i, rectangle(x0 + 100 * i, y0, x0 + 100 * (i + 1), y0 + 100), i % 2 == 0, i % 2 == 0 ? QString() : QStringLiteral("water")});
  ImageRaster& img = s.imagery.grid;
  img.width = imageWidth;
  img.height = imageHeight;
  img.geoTransform = {x0 - 600.0, 4.0, 0.0, y0 + 900.0, 0.0, -4.0};
  img.rgb.resize(std::size_t(img.width) * img.height * 3);
  for (std::size_t i = 0; i < img.rgb.size(); ++i) img.rgb[i] = std::uint8_t((i * 7919u) >> 3);
  ValueRaster& pop = s.population.grid;
  pop.width = 12;
  pop.height = 9;
  pop.geoTransform = {x0 - 600.0, 100.0, 0.0, y0 + 900.0, 0.0, -100.0};
  pop.values.resize(std::size_t(pop.width) * pop.height);
  for (std::size_t i = 0; i < pop.values.size(); ++i) pop.values[i] = float(i) * 1.37f + 0.1f;
  pop.values[5] = std::numeric_limits<float>::quiet_NaN();
  s.trafficObserved.start = s.metadata.seriesStart;
  for (const BaseStation& b : s.stations) {
    std::vector<float> v(static_cast<std::size_t>(hours));
    for (int h = 0; h < hours; ++h) v[std::size_t(h)] = float(std::sin(h * 0.26) * 100.0 + 120.0) / 3.0f;
    s.trafficObserved.valuesBySite[b.id] = v;
  }
  if (hours > 3) s.trafficObserved.valuesBySite[QStringLiteral("S1")][3] = std::numeric_limits<float>::quiet_NaN();
  GeneratedTraffic g;
  g.runId = QStringLiteral("gen-1");
  g.start = s.metadata.seriesStart.addSecs(hours * 3600);
  g.samplesBySite[QStringLiteral("S1")] = {{1.5f, 2.25f, 3.0f}, {0.1f, 0.2f, 0.3f}};
  g.samplesBySite[QStringLiteral("C7")] = {{4.0f, 5.0f, 6.0f}};
  s.trafficGenerated.push_back(g);
  RunRecord r;
  r.runId = QStringLiteral("gen-1");
  r.kind = QStringLiteral("generate");
  r.modelId = QStringLiteral("diffusion-v1");
  r.weightsSha256 = QStringLiteral("ab12cd");
  r.seed = 42;
  r.parameters.insert(QStringLiteral("samples"), QStringLiteral("2"));
  r.dataHashes.insert(QStringLiteral("traffic"), QStringLiteral("ffee"));
  r.time = QDateTime(QDate(2025, 4, 1), QTime(12, 30, 15, 250), QTimeZone::utc());
  s.runs.push_back(r);
  s.rankings.push_back({QStringLiteral("gen-1"), 1, QStringLiteral("C7"), QStringLiteral("mean"), 5.0, {{QStringLiteral("sigma"), 0.5}}});
  s.rankings.push_back({QStringLiteral("gen-1"), 2, QStringLiteral("S1"), QStringLiteral("mean"), 1.95, {}});
  return s;
}

//! Bit for bit, NaN equal to NaN: what a float32 round trip through the file must keep.
inline bool sameFloats(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) != std::isnan(b[i])) return false;
    if (!std::isnan(a[i]) && std::memcmp(&a[i], &b[i], sizeof(float)) != 0) return false;
  }
  return true;
}

//! The error text for failure messages; QVERIFY2 evaluates its message even when the check passes.
template <typename R>
QString why(const R& r) {
  return r.ok() ? QString() : r.error().toString();
}

}  // namespace netspatial::tests
