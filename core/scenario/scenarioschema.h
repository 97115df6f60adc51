#pragma once

#include "core/traffic/trafficlimits.h"

// The project file's layout (DESIGN.md §3, README "Project file schema"), shared by the reader and
// the writer so that a name is spelled once: table and layer names, the format version, how a
// generated series is packed into its BLOB, and the bounds a file must respect. Internal to
// core/scenario.

#include "core/util/result.h"

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <cstddef>
#include <optional>
#include <vector>

namespace netspatial::core::scenarioschema {

// 2: traffic_generated holds one row per (run, site, sample) with the series as a float32 BLOB,
//    and generated_summary exists. Version 1 files (one row per hour) are migrated on load.
constexpr int kSchemaVersion = 2;

// Table and layer names.
constexpr const char* kStations = "base_stations";
constexpr const char* kTrafficSites = "traffic_sites";
constexpr const char* kPois = "pois";
constexpr const char* kZones = "zones";
constexpr const char* kAoi = "aoi";
constexpr const char* kCandidates = "candidates";
constexpr const char* kTrafficObserved = "traffic_observed";
constexpr const char* kTrafficGenerated = "traffic_generated";
constexpr const char* kGeneratedSummary = "generated_summary";
constexpr const char* kRankings = "rankings";
constexpr const char* kRuns = "runs";
constexpr const char* kMetadata = "metadata";
constexpr const char* kProjectModels = "project_models";
constexpr const char* kImagery = "imagery";
constexpr const char* kPopulation = "population";

//! traffic_generated.layout: how `series` is encoded. Bump on any change of the encoding.
constexpr const char* kGeneratedLayout = "float32le/v1";
//! Bounds on what a file may ask the reader to allocate: 100,000 samples (and kMaxSeriesHours of
//! trafficlimits.h per series).
constexpr std::size_t kMaxGeneratedSamples = 100000;
//! SQLite page size of a saved project (bytes; SQLite allows 512 … 65536, powers of two).
constexpr int kPageSize = 32768;

//! Metadata keys with a meaning of their own; every other key is ScenarioMetadata::extra.
const QStringList& reservedKeys();

//! ISO-8601 UTC ("2025-03-02T23:00:00Z"; milliseconds only when present); empty when invalid.
QString isoUtc(const QDateTime& t);
//! Parses ISO-8601; a time without zone designator is UTC, the file's convention.
std::optional<QDateTime> parseIsoUtc(const QString& s);

//! A series as float32 little-endian, hour 0 first (NaN = missing) into `out` (the BLOB of
//! traffic_generated.series, layout kGeneratedLayout).
void encodeSeries(const std::vector<float>& values, std::vector<unsigned char>& out);
//! The inverse of encodeSeries; `bytes` holds exactly 4 × values.size() bytes.
void decodeSeries(const unsigned char* bytes, std::vector<float>& values);

//! A map as compact JSON text (rankings.extra, runs.parameters, runs.data_hashes).
QString jsonText(const QVariantMap& map);
//! The inverse of jsonText; empty text is an empty map. `ok` is false when it is not a JSON object.
QVariantMap parseJsonMap(const QString& text, bool* ok);

}  // namespace netspatial::core::scenarioschema
