// Helpers shared by the benchmark programs: fail loudly on a setup error,
// sizes from the environment, deterministic test data.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "chunkbuf.h"

namespace bench {

// Aborts with chunkbuf's message when a call that must work did not.
inline void check(int rc, const char* what) {
  if (rc != CHUNKBUF_OK) {
    std::fprintf(stderr, "%s: %s (%s)\n", what, chunkbuf_strerror(rc), chunkbuf_last_error());
    std::abort();
  }
}

// MiB from environment variable `name`, or `dflt` when unset.
inline size_t env_mib(const char* name, size_t dflt) {
  const char* v = std::getenv(name);
  return (v && *v) ? std::strtoull(v, nullptr, 10) : dflt;
}

// n bytes drawn from `alphabet` (xorshift, fixed seed: every run sees the
// same data).
inline std::string random_text(size_t n, const char* alphabet) {
  std::string s(n, '\0');
  size_t k = std::char_traits<char>::length(alphabet);
  uint64_t x = 0x9E3779B97F4A7C15ull;
  for (auto& c : s) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = alphabet[x % k];
  }
  return s;
}

}  // namespace bench
