#pragma once

// SHA-256 (FIPS 180-4) for weight and fitted-state fingerprints in run records. models/ may use only
// the standard library and LibTorch, neither of which offers a public hash.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace netspatial::models {

class Sha256 {
 public:
  Sha256();
  void add(const void* data, std::size_t bytes);
  void add(std::string_view text) { add(text.data(), text.size()); }
  template <typename T>
  void addValue(const T& value) {
    add(&value, sizeof(T));
  }
  //! Lower-case hex digest; the object must not be used afterwards.
  std::string hexDigest();

 private:
  void block(const std::uint8_t* p);
  std::uint32_t m_h[8];
  std::uint8_t m_buffer[64];
  std::size_t m_used = 0;
  std::uint64_t m_length = 0;
};

//! Hex SHA-256 of a byte range.
std::string sha256Hex(const void* data, std::size_t bytes);

}  // namespace netspatial::models
