// Arena: scratch memory handed out by bumping an offset in one pool block
// and reclaimed all at once by reset() (the FASTQ module's Arena). Bounded
// by the capacity it was created with. One owner at a time.
#pragma once

#include <cstddef>

#include "pool.h"
#include "status.h"

namespace chunkbuf {

class Arena {
 public:
  // An arena of `capacity` bytes (1 .. 1 GiB) in one block of `pool`.
  static Status create(Pool* pool, size_t capacity, Arena** out) noexcept;
  ~Arena();  // gives the block back to the pool
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  size_t capacity() const noexcept { return cap_; }
  size_t used() const noexcept { return used_; }

  // n (>= 1) writable bytes aligned to `align` (a power of two up to 4096;
  // 0 means 1). Limit when they do not fit: nothing changes then.
  Status alloc(size_t n, size_t align, void** out) noexcept;
  // Reclaims every allocation: memory handed out before is reused.
  void reset() noexcept { used_ = 0; }

 private:
  Arena(Block* b, size_t cap) noexcept : block_(b), cap_(cap) {}
  Block* block_;
  size_t cap_;
  size_t used_ = 0;
};

}  // namespace chunkbuf
