// Shared by the fuzz targets: a CHECK that aborts (so libFuzzer records
// the input) and a reader of typed values off the input that runs out
// gracefully.
#pragma once

#include <chunkbuf.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#define CHECK(cond)                                                                                    \
  do {                                                                                                 \
    if (!(cond)) {                                                                                     \
      std::fprintf(stderr, "check failed at line %d: %s (%s)\n", __LINE__, #cond, chunkbuf_last_error()); \
      std::abort();                                                                                    \
    }                                                                                                  \
  } while (0)

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : p_(data), left_(size) {}
  bool empty() const { return left_ == 0; }
  uint8_t byte() {
    if (!left_) return 0;
    --left_;
    return *p_++;
  }
  size_t below(size_t n) { return n ? (static_cast<size_t>(byte()) << 8 | byte()) % n : 0; }
  // A size from the whole range of size_t: small, past 64 KiB (up to
  // 4 MiB), a power of two up to 2^63, or within 256 of SIZE_MAX.
  size_t any_size() {
    switch (byte() & 3) {
      case 0: return below(4096);
      case 1: return (static_cast<size_t>(byte()) << 14 | below(1 << 14)) + 1;
      case 2: return size_t{1} << (16 + byte() % 48);
      default: return SIZE_MAX - byte();
    }
  }
  std::string bytes(size_t n) {
    n = n < left_ ? n : left_;
    std::string s(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    left_ -= n;
    return s;
  }

 private:
  const uint8_t* p_;
  size_t left_;
};
