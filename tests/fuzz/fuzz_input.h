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
