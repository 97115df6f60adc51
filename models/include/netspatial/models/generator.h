#pragma once

// The interface every traffic generator implements — neural models and the non-neural references
// alike (DESIGN.md §6): generate(contexts, samples, seed, device) → sites × samples × 672 hourly
// values in normalised units, 672 = 28 days from Monday 00:00 local time. Pure C++: callers convert
// their own site contexts to ModelContext (app/ does it for core's SiteContext).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace netspatial::models {

inline constexpr int kSequenceHours = 672;
inline constexpr int kPoiCategories = 14;  //!< DESIGN.md §3 taxonomy, in its order
inline constexpr int kZoneClasses = 10;    //!< core's ZoneClass, in its order

struct ModelPoi {
  int category = kPoiCategories - 1;  //!< 0-based taxonomy index
  std::string name;
  float distance = 0.0f;  //!< metres
  float bearing = 0.0f;   //!< radians clockwise from north
};

//! Where a site lies: projected metres in a CRS. Two positions compare only within one CRS.
struct ModelPosition {
  double x = 0.0;
  double y = 0.0;
  std::string crs;  //!< "EPSG:32632"
};

//! What a generator sees at one site. Missing modalities are explicit: an empty image, poisKnown
//! false, population nullopt, zoneClass -1.
struct ModelContext {
  std::vector<std::uint8_t> image;  //!< RGB, band-major, imagePixels² per band; empty = missing
  int imagePixels = 0;
  std::vector<ModelPoi> pois;
  bool poisKnown = false;
  std::optional<float> population;  //!< people within 500 m
  int zoneClass = -1;
  std::string zoneKey;     //!< the zone polygon ("city/zone id"); empty outside zones
  int stationsNearby = 0;  //!< other base stations within 500 m
  int stationType = -1;    //!< 0 macro, 1 micro (core's StationType order), -1 unknown
  //! The site's position; nullopt where unknown. Context-only generators ignore it; a model with
  //! a memory of observed sites (NetSpatialConfig::observedNeighbours) looks up its neighbours.
  std::optional<ModelPosition> position;
};

//! One training site: its context and its observed 672-hour series in normalised units.
struct TrainingSite {
  ModelContext context;
  std::vector<float> series;
};

//! Physical units = normalised × scale (DESIGN.md §6: stored with the model).
struct Normalisation {
  double scale = 1.0;
  std::string unit;
};

enum class Device { Cpu, Cuda };

//! What went wrong, in categories a caller can act on (app/common's toCoreError maps them onto
//! core's ErrorCode).
enum class ModelErrorCode {
  InvalidArgument,    //!< bad input: too few sites, NaN hours, wrong shapes, bad options
  NotFitted,          //!< generate/save before fit or load
  CorruptCheckpoint,  //!< weights that are truncated, fail their hash or disagree with their config
  UnsupportedFormat,  //!< a checkpoint of another format version or another model
  Cancelled,          //!< the progress callback asked to stop
  Device,             //!< the requested device (CUDA) is missing or the model cannot move there
  Internal,           //!< a LibTorch failure that is none of the above
};

//! Stable lower-case name of a code ("not_fitted"), for logs and tests.
const char* modelErrorCodeName(ModelErrorCode code);

struct ModelError {
  ModelErrorCode code = ModelErrorCode::Internal;
  std::string message;
};

//! A value or a ModelError (no exception crosses the models API). [[nodiscard]]: a dropped
//! result is a dropped error.
template <typename T>
class [[nodiscard]] ModelResult {
 public:
  ModelResult(T value) : m_state(std::move(value)) {}
  ModelResult(ModelError error) : m_state(std::move(error)) {}
  bool ok() const { return m_state.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(m_state); }
  const T& value() const { return std::get<0>(m_state); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const ModelError& error() const { return std::get<1>(m_state); }

 private:
  std::variant<T, ModelError> m_state;
};

struct Unit {};
using ModelStatus = ModelResult<Unit>;

//! Progress and cancel of a long call, in the manner of GDAL's GDALProgressFunc: called on the
//! thread doing the work with the fraction of the call done, in [0, 1], and a step name (null when
//! the call has none to give). Return false to cancel: the call stops at its next check — between
//! two Euler steps or two chunks of sites, never later than one batch — and returns
//! ModelErrorCode::Cancelled. An empty ProgressFn reports nothing and never cancels.
using ProgressFn = std::function<bool(double fraction, const char* step)>;

//! sites × samples × hours, flat (site-major, then sample, then hour).
struct GeneratedBatch {
  //! A zero-filled batch of the given shape.
  static GeneratedBatch zeros(std::size_t sites, int samples, int hours = kSequenceHours) {
    return {int(sites), samples, hours, std::vector<float>(sites * std::size_t(samples) * std::size_t(hours), 0.0f)};
  }
  //! The series of one (site, sample).
  float* series(std::size_t site, int sample) {
    return values.data() + (site * std::size_t(samples) + std::size_t(sample)) * std::size_t(hours);
  }
  int sites = 0;
  int samples = 0;
  int hours = kSequenceHours;
  std::vector<float> values;
  float at(int site, int sample, int hour) const {
    return values[(std::size_t(site) * std::size_t(samples) + std::size_t(sample)) * std::size_t(hours) + std::size_t(hour)];
  }
};

class Generator {
 public:
  virtual ~Generator() = default;
  //! Stable id used on the command line and in run records ("zone_template").
  virtual std::string id() const = 0;
  virtual std::string displayName() const = 0;
  //! SHA-256 (hex) of the fitted state or weights: part of every run record.
  virtual std::string weightsSha256() const = 0;
  //! Fits the generator to training sites (series of kSequenceHours, normalised, no NaN). `seed`
  //! makes any randomness of fitting reproducible.
  virtual ModelStatus fit(const std::vector<TrainingSite>& sites, const Normalisation& normalisation, std::uint64_t seed,
                          const ProgressFn& progress = {}) = 0;
  virtual bool isFitted() const = 0;
  virtual Normalisation normalisation() const = 0;
  //! `samples` series per context, in normalised units. Same seed → same output on CPU.
  //! `progress` (optional) sees the fraction done and may cancel (ProgressFn).
  virtual ModelResult<GeneratedBatch> generate(const std::vector<ModelContext>& contexts, int samples, std::uint64_t seed,
                                               Device device = Device::Cpu, const ProgressFn& progress = {}) const = 0;
};

//! Ids of every generator this build offers, references first.
std::vector<std::string> generatorIds();
//! A new, unfitted generator; nullptr for an unknown id.
std::unique_ptr<Generator> createGenerator(const std::string& id);

}  // namespace netspatial::models
