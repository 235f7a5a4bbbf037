#include "ring.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "mem.h"

namespace chunkbuf {

Status Ring::create(size_t capacity, Ring** out) noexcept {
  if (capacity == 0 || capacity > (size_t{1} << 30))
    return fail(Status::Inval, "ring capacity must be 1 byte to 1 GiB (got %zu)", capacity);
  char* mem = static_cast<char*>(mem::alloc(capacity));
  void* self = mem ? mem::alloc(sizeof(Ring)) : nullptr;
  if (!self) {
    mem::free(mem);
    return fail(Status::NoMem, "out of memory for a %zu-byte ring", capacity);
  }
  *out = new (self) Ring(mem, capacity);
  return Status::Ok;
}

Ring::~Ring() { mem::free(mem_); }

size_t Ring::write(const void* data, size_t n) noexcept {
  n = std::min(n, remaining());
  if (n == 0) return 0;
  size_t tail = (head_ + used_) % cap_;
  size_t first = std::min(n, cap_ - tail);  // up to the physical end, then wrap
  std::memcpy(mem_ + tail, data, first);
  std::memcpy(mem_, static_cast<const char*>(data) + first, n - first);
  used_ += n;
  return n;
}

size_t Ring::peek(void* dst, size_t n) const noexcept {
  n = std::min(n, used_);
  if (n == 0) return 0;
  size_t first = std::min(n, cap_ - head_);
  std::memcpy(dst, mem_ + head_, first);
  std::memcpy(static_cast<char*>(dst) + first, mem_, n - first);
  return n;
}

size_t Ring::read(void* dst, size_t n) noexcept {
  n = peek(dst, n);
  head_ = (head_ + n) % cap_;
  used_ -= n;
  if (used_ == 0) head_ = 0;
  return n;
}

}  // namespace chunkbuf
