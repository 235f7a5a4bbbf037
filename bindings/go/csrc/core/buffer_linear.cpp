// Buffer's linear backend: the readable bytes stay one segment at the start
// of the write block, which grows (or is compacted in place when nobody else
// sees it) to make room. Adopted memory and appended views are copied in.
#include <algorithm>
#include <cstring>

#include "buffer.h"
#include "search.h"

namespace chunkbuf {

Status Buffer::linear_prepare(size_t n) noexcept {
  if (!segs_.reserve_back(1)) return fail(Status::NoMem, "out of memory growing the segment list");
  return make_linear_room(n);
}

Status Buffer::make_linear_room(size_t n) noexcept {
  size_t space = tail_space();
  if (space >= n) return Status::Ok;
  size_t need = len_ + n;
  uint32_t own_refs = 1 + (segs_.empty() ? 0 : 1);  // write block + its one segment
  if (wblock_ && wblock_->capacity >= need && wblock_->refs.load(std::memory_order_acquire) == own_refs) {
    // Nobody else sees the block: slide the readable bytes to its start.
    if (!segs_.empty()) {
      std::memmove(wblock_->data, segs_[0].p, len_);
      segs_[0].p = wblock_->data;
    }
    wpos_ = len_;
    return Status::Ok;
  }
  size_t want = std::max(need, wblock_ ? wblock_->capacity * 2 : min_chunk_);
  Block* nb = nullptr;
  if (Status st = pool_->acquire(want, tenant_, &nb); st != Status::Ok) return st;
  if (!segs_.empty()) {
    std::memcpy(nb->data, segs_[0].p, len_);
    segs_[0].b->release();
    nb->retain();
    segs_[0] = Seg{nb, nb->data, len_};
  }
  if (wblock_) wblock_->release();
  wblock_ = nb;
  wpos_ = len_;
  return Status::Ok;
}

Status Buffer::linear_copy_in(const struct iovec* iov, size_t cnt, size_t total) noexcept {
  // A source in the block (a peek of this buffer) must not move or go
  // while the room is made: the pin makes linear_prepare take a new block.
  Pin pin;
  for (size_t i = 0; total > tail_space() && i < cnt && !pin.b; ++i) pin.b = pin_source(iov[i].iov_base, iov[i].iov_len);
  if (total > 0)
    if (Status st = linear_prepare(total); st != Status::Ok) return st;
  for (size_t i = 0; i < cnt; ++i) {
    if (!iov[i].iov_len) continue;
    Seg piece{nullptr, static_cast<const char*>(iov[i].iov_base), iov[i].iov_len};
    copy_into_tail(&piece, 1, piece.n);
  }
  return Status::Ok;
}

Status Buffer::linear_append_framed(const Seg& head, const ViewRep* v, const Seg& tail) noexcept {
  size_t vlen = v ? v->len : 0;
  if (Status st = linear_prepare(head.n + vlen + tail.n); st != Status::Ok) return st;
  if (head.n) copy_into_tail(&head, 1, head.n);
  if (vlen) copy_into_tail(v->segs(), v->nseg, vlen);
  if (tail.n) copy_into_tail(&tail, 1, tail.n);
  return Status::Ok;
}

Status Buffer::linear_prepend(const Seg* src, size_t nseg, size_t n) noexcept {
  if (segs_.empty()) return linear_copy_in_segs(src, nseg, n);
  Seg& s = segs_[0];
  // Nobody else sees the block: write in front of the bytes, or slide them
  // up to make room (unless the source lies in the block being moved).
  const bool alone = wblock_ && s.b == wblock_ && wblock_->refs.load(std::memory_order_acquire) == 2;
  const size_t before = alone ? static_cast<size_t>(s.p - wblock_->data) : 0;
  const bool src_inside = alone && nseg == 1 && src[0].p + src[0].n > wblock_->data &&
                          src[0].p < wblock_->data + wblock_->capacity;
  if (alone && before >= n) {
    char* dst = wblock_->data + before - n;
    seg_copy(src, nseg, 0, dst, n);
    s.p = dst;
  } else if (alone && !src_inside && wblock_->capacity - len_ >= n) {
    std::memmove(wblock_->data + n, s.p, len_);
    seg_copy(src, nseg, 0, wblock_->data, n);
    s.p = wblock_->data;
    wpos_ = len_ + n;
  } else {
    size_t want = std::max(len_ + n, wblock_ ? wblock_->capacity * 2 : min_chunk_);
    Block* nb = nullptr;
    if (Status st = pool_->acquire(want, tenant_, &nb); st != Status::Ok) return st;
    seg_copy(src, nseg, 0, nb->data, n);  // before the old block may go
    std::memcpy(nb->data + n, s.p, len_);
    s.b->release();
    nb->retain();
    s = Seg{nb, nb->data, len_};
    if (wblock_) wblock_->release();
    wblock_ = nb;
    wpos_ = len_ + n;
  }
  s.n += n;
  len_ += n;
  return Status::Ok;
}

Status Buffer::linear_copy_in_segs(const Seg* src, size_t nseg, size_t n) noexcept {
  if (Status st = linear_prepare(n); st != Status::Ok) return st;
  copy_into_tail(src, nseg, n);
  return Status::Ok;
}

}  // namespace chunkbuf
