// Ring: a fixed-capacity byte ring for bounded streaming. Writes take what
// fits and say how much; reads take what is there. One owner at a time.
#pragma once

#include <cstddef>

#include "status.h"

namespace chunkbuf {

class Ring {
 public:
  // A ring of exactly `capacity` bytes (1 .. 1 GiB).
  static Status create(size_t capacity, Ring** out) noexcept;
  ~Ring();
  Ring(const Ring&) = delete;
  Ring& operator=(const Ring&) = delete;

  size_t capacity() const noexcept { return cap_; }
  size_t available() const noexcept { return used_; }          // bytes to read
  size_t remaining() const noexcept { return cap_ - used_; }   // bytes that fit

  // Copies min(n, remaining()) bytes in; returns how many.
  size_t write(const void* data, size_t n) noexcept;
  // Copies min(n, available()) bytes out and consumes them.
  size_t read(void* dst, size_t n) noexcept;
  // Like read, without consuming.
  size_t peek(void* dst, size_t n) const noexcept;

 private:
  Ring(char* mem, size_t cap) noexcept : mem_(mem), cap_(cap) {}
  char* mem_;
  size_t cap_;
  size_t head_ = 0;  // next byte to read
  size_t used_ = 0;
};

}  // namespace chunkbuf
