#include "checkpoint.h"

#include "netspatial/models/sha256.h"

#include <cstring>

namespace netspatial::models::netspatialnet {

namespace {

constexpr char kMagic[8] = {'N', 'S', 'P', 'M', 'O', 'D', 'E', 'L'};
constexpr std::size_t kDigestSize = 64;

template <typename T>
void put(std::vector<std::uint8_t>& out, T v) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
  out.insert(out.end(), p, p + sizeof(T));
}
void putString(std::vector<std::uint8_t>& out, const std::string& s) {
  put<std::uint32_t>(out, std::uint32_t(s.size()));
  out.insert(out.end(), s.begin(), s.end());
}

struct Reader {
  const std::uint8_t* p;
  std::size_t left;
  bool ok = true;
  template <typename T>
  T get() {
    T v{};
    if (left < sizeof(T)) {
      ok = false;
      return v;
    }
    std::memcpy(&v, p, sizeof(T));
    p += sizeof(T);
    left -= sizeof(T);
    return v;
  }
  std::string getString() {
    const auto n = get<std::uint32_t>();
    if (!ok || n > left || n > (1u << 20)) {
      ok = false;
      return {};
    }
    std::string s(reinterpret_cast<const char*>(p), n);
    p += n;
    left -= n;
    return s;
  }
};

}  // namespace

std::vector<std::uint8_t> writeCheckpoint(const CheckpointData& data) {
  std::vector<std::uint8_t> payload;
  put<std::uint32_t>(payload, std::uint32_t(data.meta.size()));
  for (const auto& [k, v] : data.meta) {
    putString(payload, k);
    putString(payload, v);
  }
  put<std::uint32_t>(payload, std::uint32_t(data.tensors.size()));
  for (const auto& [name, tensor] : data.tensors) {
    auto t = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    putString(payload, name);
    put<std::uint32_t>(payload, std::uint32_t(t.dim()));
    for (auto d : t.sizes()) put<std::int64_t>(payload, d);
    const auto* f = reinterpret_cast<const std::uint8_t*>(t.data_ptr<float>());
    payload.insert(payload.end(), f, f + t.numel() * std::int64_t(sizeof(float)));
  }
  std::vector<std::uint8_t> out(kMagic, kMagic + 8);
  put<std::uint32_t>(out, kCheckpointVersion);
  put<std::uint64_t>(out, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
  const std::string digest = sha256Hex(payload.data(), payload.size());
  out.insert(out.end(), digest.begin(), digest.end());
  return out;
}

ModelResult<CheckpointData> readCheckpoint(const std::vector<std::uint8_t>& bytes, std::string* sha256) {
  if (bytes.size() < 8 + 4 + 8 + kDigestSize || std::memcmp(bytes.data(), kMagic, 8) != 0)
    return ModelError{ModelErrorCode::CorruptCheckpoint,
                      "not a NetSpatial checkpoint (bad magic or too short: " + std::to_string(bytes.size()) + " bytes)"};
  Reader head{bytes.data() + 8, bytes.size() - 8};
  const auto version = head.get<std::uint32_t>();
  if (version != kCheckpointVersion)
    return ModelError{ModelErrorCode::UnsupportedFormat, "checkpoint format version " + std::to_string(version) +
                                                             " is not supported (this build reads version " +
                                                             std::to_string(kCheckpointVersion) + ")"};
  const auto size = head.get<std::uint64_t>();
  if (size != bytes.size() - 20 - kDigestSize)
    return ModelError{ModelErrorCode::CorruptCheckpoint,
                      "checkpoint is truncated or padded: payload says " + std::to_string(size) + " bytes, file holds " +
                          std::to_string(bytes.size() >= 20 + kDigestSize ? bytes.size() - 20 - kDigestSize : 0)};
  const std::uint8_t* payload = bytes.data() + 20;
  const std::string digest = sha256Hex(payload, size);
  if (std::memcmp(digest.data(), payload + size, kDigestSize) != 0)
    return ModelError{ModelErrorCode::CorruptCheckpoint,
                      "checkpoint is corrupt: SHA-256 of its payload is " + digest + ", the stored one differs"};
  Reader r{payload, std::size_t(size)};
  CheckpointData data;
  const auto metaCount = r.get<std::uint32_t>();
  for (std::uint32_t i = 0; r.ok && i < metaCount; ++i) {
    std::string k = r.getString();
    data.meta[k] = r.getString();
  }
  const auto tensorCount = r.get<std::uint32_t>();
  for (std::uint32_t i = 0; r.ok && i < tensorCount; ++i) {
    std::string name = r.getString();
    const auto rank = r.get<std::uint32_t>();
    if (!r.ok || rank > 8) return ModelError{ModelErrorCode::CorruptCheckpoint, "checkpoint tensor '" + name + "' has a bad rank"};
    std::vector<std::int64_t> dims;
    std::int64_t numel = 1;
    for (std::uint32_t d = 0; d < rank; ++d) {
      dims.push_back(r.get<std::int64_t>());
      if (dims.back() < 0 || dims.back() > (1 << 28))
        return ModelError{ModelErrorCode::CorruptCheckpoint, "checkpoint tensor '" + name + "' has a bad shape"};
      // Eight dimensions of up to 2^28 overflow 64 bits (undefined, and a wrapped count passes the
      // size check below): a shape with more elements than the bytes left is refused as it grows.
      if (dims.back() > 0 && numel > std::int64_t(r.left / sizeof(float)) / dims.back())
        return ModelError{ModelErrorCode::CorruptCheckpoint, "checkpoint tensor '" + name + "' runs past the end"};
      numel *= dims.back();
    }
    const auto nbytes = std::size_t(numel) * sizeof(float);
    if (!r.ok || nbytes > r.left)
      return ModelError{ModelErrorCode::CorruptCheckpoint, "checkpoint tensor '" + name + "' runs past the end"};
    auto t = torch::empty(dims, torch::kFloat32);
    // An empty tensor (a memory of 0 rows: every model without observed neighbours) has no data
    // pointer, and memcpy from or to null is undefined even for 0 bytes.
    if (nbytes > 0) std::memcpy(t.data_ptr<float>(), r.p, nbytes);
    r.p += nbytes;
    r.left -= nbytes;
    data.tensors.emplace_back(std::move(name), std::move(t));
  }
  if (!r.ok || r.left != 0) return ModelError{ModelErrorCode::CorruptCheckpoint, "checkpoint payload is malformed"};
  if (sha256) *sha256 = digest;
  return data;
}

}  // namespace netspatial::models::netspatialnet
