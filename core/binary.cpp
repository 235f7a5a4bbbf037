#include "binary.h"

namespace chunkbuf {

Status read_uint(Buffer& b, size_t width, Order order, uint64_t* out) noexcept {
  if (width != 1 && width != 2 && width != 4 && width != 8)
    return fail(Status::Inval, "an integer is 1, 2, 4 or 8 bytes wide, not %zu", width);
  if (b.reserved()) return fail(Status::State, "read_uint: a reservation is open");
  uint64_t v = 0;
  if (Status st = b.peek_uint(0, width, order, &v); st != Status::Ok) return st;
  if (Status st = b.advance(width); st != Status::Ok) return st;
  *out = v;
  return Status::Ok;
}

Status read_exact(Buffer& b, void* dst, size_t n) noexcept {
  if (b.reserved()) return fail(Status::State, "read_exact: a reservation is open");
  if (n > b.size()) return fail(Status::NeedMore, "read_exact of %zu bytes needs more than the %zu buffered", n, b.size());
  size_t got = 0;
  return b.read(dst, n, &got);
}

Status peek_exact(const Buffer& b, void* dst, size_t n) noexcept {
  if (n > b.size()) return fail(Status::NeedMore, "peek_exact of %zu bytes needs more than the %zu buffered", n, b.size());
  size_t copied = 0;
  return b.copy_out(0, dst, n, &copied);
}

}  // namespace chunkbuf
