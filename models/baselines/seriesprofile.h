#pragma once

// Small series helpers shared by the reference generators (internal to models/).

#include "netspatial/models/generator.h"
#include "netspatial/models/sha256.h"

#include <cstdint>
#include <optional>
#include <string>
#include <random>
#include <span>
#include <vector>

namespace netspatial::models::detail {

inline constexpr int kWeekHours = 168;

//! Mean of each hour of the week across the weeks of `x` (x starts Monday 00:00).
std::vector<double> weeklyMean(std::span<const float> x);
double seriesMean(std::span<const float> x);

//! A generator for one (seed, context) pair: the stream follows from what the site looks like, not
//! from its position in the batch, so a clicked site gets the same samples as in a whole-city run.
std::mt19937_64 siteRng(std::uint64_t seed, const ModelContext& context);

//! The checks every generate() starts with: fitted, at least one sample.
std::optional<ModelError> checkGenerateRequest(const std::string& id, bool fitted, int samples);

//! The reference generators check their ProgressFn every this many sites.
inline constexpr std::size_t kSitesPerCheck = 64;
//! Reports to `progress` (if any); false when it asks to cancel.
inline bool report(const ProgressFn& progress, double fraction, const char* step = nullptr) {
  return !progress || progress(fraction, step);
}
//! The error of a call whose ProgressFn asked to stop.
inline ModelError cancelledError(const std::string& what) { return ModelError{ModelErrorCode::Cancelled, what + " cancelled"}; }

//! Fingerprint helpers for fitted state.
void hashDoubles(Sha256& h, const std::vector<double>& v);
void hashFloats(Sha256& h, const std::vector<float>& v);

}  // namespace netspatial::models::detail
