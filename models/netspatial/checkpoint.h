#pragma once

// NetSpatial checkpoint bytes: a self-describing little-endian container (internal to models/).
//
//   "NSPMODEL" | u32 format version | u64 payload size | payload | SHA-256 hex of payload (64 B)
//   payload = u32 n × (key, value) strings, then u32 m × (name, u32 rank, i64 dims…, f32 data…)
//
// Our own format rather than torch::save so that loading from bytes needs nothing but this file,
// every tensor's shape is checked by name, and a flipped byte is caught by the digest.

#include "netspatial/models/generator.h"

#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace netspatial::models::netspatialnet {

inline constexpr std::uint32_t kCheckpointVersion = 1;

struct CheckpointData {
  std::map<std::string, std::string> meta;
  std::vector<std::pair<std::string, torch::Tensor>> tensors;  //!< float32, CPU
};

std::vector<std::uint8_t> writeCheckpoint(const CheckpointData& data);
//! Verifies magic, version, sizes and digest; `sha256` receives the digest.
ModelResult<CheckpointData> readCheckpoint(const std::vector<std::uint8_t>& bytes, std::string* sha256 = nullptr);

}  // namespace netspatial::models::netspatialnet
