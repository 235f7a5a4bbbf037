#include "arena.h"

#include <cstdint>
#include <new>

#include "mem.h"

namespace chunkbuf {

Status Arena::create(Pool* pool, size_t capacity, Arena** out) noexcept {
  if (capacity == 0 || capacity > (size_t{1} << 30))
    return fail(Status::Inval, "an arena needs 1 byte to 1 GiB of capacity, not %zu", capacity);
  void* mem = mem::alloc(sizeof(Arena));
  if (!mem) return fail(Status::NoMem, "out of memory for an arena");
  Block* b = nullptr;
  if (Status st = pool->acquire(capacity, nullptr, &b); st != Status::Ok) {
    mem::free(mem);
    return st;
  }
  *out = new (mem) Arena(b, capacity);
  return Status::Ok;
}

Arena::~Arena() { block_->release(); }

Status Arena::alloc(size_t n, size_t align, void** out) noexcept {
  if (n == 0) return fail(Status::Inval, "an arena allocation needs at least one byte");
  if (align == 0) align = 1;
  if ((align & (align - 1)) != 0 || align > 4096)
    return fail(Status::Inval, "arena alignment %zu is not a power of two up to 4096", align);
  uintptr_t base = reinterpret_cast<uintptr_t>(block_->data);
  size_t start = ((base + used_ + align - 1) & ~(uintptr_t{align} - 1)) - base;
  if (start > cap_ || n > cap_ - start)
    return fail(Status::Limit, "arena: %zu bytes (alignment %zu) do not fit: %zu of %zu used", n, align, used_, cap_);
  used_ = start + n;
  *out = block_->data + start;
  return Status::Ok;
}

}  // namespace chunkbuf
