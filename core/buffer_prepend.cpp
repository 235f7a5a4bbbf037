// Buffer::prepend: bytes put before the first byte, as a protocol layer
// adds a header once the payload is known. The segmented backend puts a
// view's segments (zero copy) or one new block of copied bytes at the
// front of the segment list; the linear backend copies (buffer_linear.cpp).
#include <cstring>

#include "buffer.h"
#include "search.h"

namespace chunkbuf {

Status Buffer::prepend(const void* data, size_t n) noexcept {
  if (Status st = check_mutable("prepend"); st != Status::Ok) return st;
  if (n == 0) return Status::Ok;
  if (Status st = check_room(n, "prepend"); st != Status::Ok) return st;
  Seg piece{nullptr, static_cast<const char*>(data), n};
  return linear_ ? linear_prepend(&piece, 1, n) : prepend_copy(&piece, 1, n);
}

Status Buffer::prepend_view(const ViewRep* v) noexcept {
  if (Status st = check_mutable("prepend_view"); st != Status::Ok) return st;
  if (!v || v->len == 0) return Status::Ok;
  if (Status st = check_room(v->len, "prepend_view"); st != Status::Ok) return st;
  if (linear_) return linear_prepend(v->segs(), v->nseg, v->len);
  // At its metadata budget a bounded buffer copies instead (see append_refv).
  if (segs_.size() + v->nseg > segment_budget()) return prepend_copy(v->segs(), v->nseg, v->len);
  if (!segs_.reserve_front(v->nseg)) return fail(Status::NoMem, "out of memory growing the segment list");
  const Seg* s = v->segs();
  for (size_t i = v->nseg; i-- > 0;) {
    s[i].b->retain();
    segs_.push_front(s[i]);
  }
  len_ += v->len;
  return Status::Ok;
}

Status Buffer::prepend_copy(const Seg* src, size_t nseg, size_t n) noexcept {
  if (!segs_.reserve_front(1)) return fail(Status::NoMem, "out of memory growing the segment list");
  Block* nb = nullptr;
  if (Status st = pool_->acquire(n, tenant_, &nb); st != Status::Ok) return st;
  seg_copy(src, nseg, 0, nb->data, n);
  segs_.push_front(Seg{nb, nb->data, n});  // the segment keeps acquire's reference
  len_ += n;
  return Status::Ok;
}

}  // namespace chunkbuf
