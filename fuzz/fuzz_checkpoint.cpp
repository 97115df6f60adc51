// Fuzzes NetSpatialGenerator::load: a model checkpoint (.nsm, models/netspatial/checkpoint.h) as
// the studio and `netspatial generate --weights` read it: the container (magic, version, sizes,
// SHA-256), the metadata and configuration, every tensor's name and shape, and the warm-up
// generation a load runs. A checkpoint that loads must save and load again (the studio re-saves
// the models a project holds).
//
// Two obstacles for a byte-level fuzzer, and what the first byte of the input does about them
// (its value modulo 3 picks the mode; the rest of the input is the data):
//  - the payload is covered by its SHA-256, so nearly every mutation of a whole file stops at the
//    digest. Mode 0 passes the data as the file (the container checks); modes 1 and 2 treat it as
//    the payload and wrap it with a valid header and digest.
//  - even the smallest network holds about a megabyte of weights (the image encoder's sizes are
//    fixed), too much to mutate quickly. Mode 2 reads a compact payload: the payload with each
//    tensor's data replaced by a u32 count k and k bytes, repeated to fill the tensor (zeros when
//    k is 0). Where that structure stops parsing, the rest is copied as it is, so the reader sees
//    the malformed payload. Mode 1 passes the payload as it is.

#include "fuzz/fuzzsupport.h"
#include "netspatial/models/netspatial.h"
#include "netspatial/models/sha256.h"

#include <cstring>

using namespace netspatial;

namespace {

// The most a compact tensor is expanded to (floats): a few times the largest tensor of a small
// model; a shape beyond it is passed on unexpanded, which the reader refuses as too short.
constexpr std::uint64_t kMaxExpandedFloats = 1u << 20;

std::vector<std::uint8_t> wrapPayload(const std::vector<std::uint8_t>& payload) {
  std::vector<std::uint8_t> out{'N', 'S', 'P', 'M', 'O', 'D', 'E', 'L'};
  const auto put = [&](auto v) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
    out.insert(out.end(), p, p + sizeof v);
  };
  put(std::uint32_t(1));
  put(std::uint64_t(payload.size()));
  out.insert(out.end(), payload.begin(), payload.end());
  const std::string digest = models::sha256Hex(payload.data(), payload.size());
  out.insert(out.end(), digest.begin(), digest.end());
  return out;
}

//! The payload a compact payload (mode 2) stands for.
std::vector<std::uint8_t> expand(const std::uint8_t* p, std::size_t n) {
  std::vector<std::uint8_t> out;
  std::size_t i = 0;
  const auto rest = [&] {
    out.insert(out.end(), p + i, p + n);
    return out;
  };
  const auto peek32 = [&](std::uint32_t& v) {
    if (n - i < 4) return false;
    std::memcpy(&v, p + i, 4);
    return true;
  };
  const auto copy = [&](std::size_t count) {
    out.insert(out.end(), p + i, p + i + count);
    i += count;
  };
  // A u32-prefixed string, copied; false (nothing consumed) when it runs past the end.
  const auto string = [&] {
    std::uint32_t size = 0;
    if (!peek32(size) || size > n - i - 4) return false;
    copy(4 + std::size_t(size));
    return true;
  };
  std::uint32_t metaCount = 0;
  if (!peek32(metaCount)) return rest();
  copy(4);
  for (std::uint64_t k = 0; k < 2 * std::uint64_t(metaCount); ++k)
    if (!string()) return rest();
  std::uint32_t tensorCount = 0;
  if (!peek32(tensorCount)) return rest();
  copy(4);
  for (std::uint32_t t = 0; t < tensorCount; ++t) {
    std::uint32_t rank = 0;
    if (!string() || !peek32(rank) || rank > 8) return rest();
    copy(4);
    std::uint64_t numel = 1;
    for (std::uint32_t d = 0; d < rank; ++d) {
      std::int64_t dim = 0;
      if (n - i < 8) return rest();
      std::memcpy(&dim, p + i, 8);
      if (dim < 0 || (dim > 0 && numel > kMaxExpandedFloats / std::uint64_t(dim))) return rest();
      copy(8);
      numel *= std::uint64_t(dim);
    }
    std::uint32_t k = 0;
    if (!peek32(k) || k > n - i - 4) return rest();
    const std::uint8_t* source = p + i + 4;
    i += 4 + std::size_t(k);
    const std::size_t bytes = std::size_t(numel) * sizeof(float);
    const std::size_t at = out.size();
    out.resize(at + bytes, 0);
    if (k > 0)
      for (std::size_t b = 0; b < bytes; ++b) out[at + b] = source[b % k];
  }
  return rest();  // trailing bytes: the reader refuses them
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::initialise();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::vector<std::uint8_t> bytes;
  switch (data[0] % 3) {
    case 0:
      bytes.assign(data + 1, data + size);
      break;
    case 1:
      bytes = wrapPayload(std::vector<std::uint8_t>(data + 1, data + size));
      break;
    default:
      bytes = wrapPayload(expand(data + 1, size - 1));
      break;
  }
  models::EngineOptions options;
  options.device = models::DevicePreference::Cpu;
  options.threads = 1;
  auto generator = models::NetSpatialGenerator::load(bytes, options);
  if (!generator) return fuzz::note(QString::fromStdString(generator.error().message)), 0;
  auto saved = (*generator)->save();
  if (!saved)
    fuzz::violated("checkpoint", QStringLiteral("loaded but cannot be saved: %1").arg(QString::fromStdString(saved.error().message)));
  options.warmUp = false;
  if (auto again = models::NetSpatialGenerator::load(*saved, options); !again)
    fuzz::violated("checkpoint", QStringLiteral("saved but does not load again: %1").arg(QString::fromStdString(again.error().message)));
  return 0;
}
