#pragma once

// A seeded pseudo-random generator whose output is identical on every platform and standard
// library: SplitMix64 for the bits, and distributions implemented here (the std:: distributions
// are implementation-defined, which would break "same preset + seed → same city").

#include <cmath>
#include <cstdint>

namespace netspatial::core::sim {

//! SplitMix64 finaliser: a good 64-bit mix, also used for stateless per-pixel noise.
inline std::uint64_t mix64(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

//! Combines a seed with stream keys, so each stage / parcel / station draws from its own stream
//! and the result does not depend on the order in which other parts consume numbers.
inline std::uint64_t deriveSeed(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0) {
  return mix64(mix64(seed ^ mix64(a + 0x1234567ULL)) ^ mix64(b + 0x89ABCDEFULL));
}

//! Uniform in [0, 1) from 53 random bits of a hash value.
inline double hashToUnit(std::uint64_t h) { return double(h >> 11) * 0x1.0p-53; }

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : m_state(seed) {}
  Rng(std::uint64_t seed, std::uint64_t stream, std::uint64_t sub = 0) : m_state(deriveSeed(seed, stream, sub)) {}

  std::uint64_t nextU64() {
    m_state += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = m_state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  //! [0, 1)
  double uniform() { return hashToUnit(nextU64()); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  //! [0, n) without modulo bias worth caring about (n is small here).
  int uniformInt(int n) { return n <= 1 ? 0 : int(uniform() * double(n)) % n; }
  bool chance(double p) { return uniform() < p; }
  //! Standard normal by Box–Muller (no cached second value: keeps the stream simple to reason about).
  double normal() {
    double u1 = uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double normal(double mean, double sd) { return mean + sd * normal(); }
  //! Poisson by inversion (small means only, as used here).
  int poisson(double mean) {
    const double l = std::exp(-mean);
    int k = 0;
    double p = uniform();
    while (p > l && k < 1000) {
      p *= uniform();
      ++k;
    }
    return k;
  }
  //! Index drawn with probability proportional to weights[i] (all ≥ 0).
  template <typename Container>
  int weightedIndex(const Container& weights) {
    double total = 0.0;
    for (double w : weights) total += w;
    if (total <= 0.0) return 0;
    double r = uniform() * total;
    int i = 0;
    for (double w : weights) {
      if (r < w) return i;
      r -= w;
      ++i;
    }
    return i - 1;
  }

 private:
  std::uint64_t m_state;
};

}  // namespace netspatial::core::sim
