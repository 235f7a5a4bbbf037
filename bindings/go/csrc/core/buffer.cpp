// Buffer, the segmented chain: blocks, appends, reservations, inspection
// and consumption. The linear backend is in buffer_linear.cpp, line and
// record parsing in buffer_lines.cpp, fd I/O in buffer_fd.cpp.
#include "buffer.h"

#include <sys/uio.h>

#include <algorithm>
#include <cstring>

#include "release_scope.h"
#include "search.h"

namespace chunkbuf {
namespace {

constexpr size_t kMaxGrow = 64 * 1024;

}  // namespace

Buffer::Buffer() noexcept : pool_(Pool::default_pool()) { pool_->retain(); }

Buffer::~Buffer() {
  ReleaseScope scope;  // free callbacks run after the buffer is gone
  clear();
  if (wblock_) wblock_->release();
  pool_->release();
}

Status Buffer::init(const BufferOptions& opts) noexcept {
  Pool* pool = opts.pool ? opts.pool : Pool::default_pool();
  TenantRec* tenant = nullptr;
  Status st = pool->tenant(opts.tenant, &tenant);
  if (st != Status::Ok) return st;
  pool->retain();
  pool_->release();
  pool_ = pool;
  tenant_ = tenant;
  tenant_id_ = opts.tenant;
  max_bytes_ = opts.max_bytes;
  min_chunk_ = opts.min_chunk ? opts.min_chunk : kMinBlock;
  grow_ = min_chunk_;
  linear_ = opts.linear;
  return Status::Ok;
}

void Buffer::clear() noexcept {
  ReleaseScope scope;
  for (size_t i = 0; i < segs_.size(); ++i) segs_[i].b->release();
  segs_.pop_front(segs_.size());
  len_ = 0;
  if (res_block_) res_block_->release();
  res_block_ = nullptr;
  reserved_ = false;
  res_space_ = 0;
  on_emptied();
}

Status Buffer::check_mutable(const char* op) const noexcept {
  if (reserved_) return fail(Status::State, "%s is not allowed while a reservation is open", op);
  return Status::Ok;
}

Status Buffer::check_room(size_t n, const char* op) const noexcept {
  if (n > SIZE_MAX - len_) return fail(Status::Limit, "%s of %zu bytes overflows the buffer's length", op, n);
  if (max_bytes_ && n > max_bytes_ - std::min(len_, max_bytes_))
    return fail(Status::Limit, "%s of %zu bytes would exceed max_bytes %zu (buffer holds %zu)", op, n, max_bytes_,
                len_);
  return Status::Ok;
}

size_t Buffer::next_block_size(size_t need) const noexcept { return std::max(need, grow_); }

size_t Buffer::segment_budget() const noexcept {
  return max_bytes_ ? std::max(kMinSegmentBudget, max_bytes_ / kSegmentCharge) : SIZE_MAX;
}

Status Buffer::make_tail_room(size_t total) noexcept {
  // The copies land contiguously in one block: one segment at most.
  if (!segs_.reserve_back(1)) return fail(Status::NoMem, "out of memory growing the segment list");
  size_t space = tail_space();
  if (total > space) {
    Block* nb = nullptr;
    if (Status st = new_block(total, &nb); st != Status::Ok) return st;
    if (wblock_) wblock_->release();
    wblock_ = nb;
    wpos_ = 0;
  }
  return Status::Ok;
}

Status Buffer::new_block(size_t need, Block** out) noexcept {
  Status st = pool_->acquire(next_block_size(need), tenant_, out);
  if (st == Status::Ok) grow_ = std::min(std::max(grow_ * 2, min_chunk_), std::max(kMaxGrow, min_chunk_));
  return st;
}

void Buffer::push_written(Block* b, const char* p, size_t n) noexcept {
  if (!segs_.empty()) {
    Seg& last = segs_.back();
    if (last.b == b && last.p + last.n == p) {
      last.n += n;
      return;
    }
  }
  b->retain();
  segs_.push_back(Seg{b, p, n});
}

void Buffer::on_emptied() noexcept {
  // Nobody else can see the write block: start writing at its beginning
  // again, so an append/drain cycle keeps reusing one hot block.
  if (len_ == 0 && !reserved_ && wblock_ && wblock_->refs.load(std::memory_order_acquire) == 1) wpos_ = 0;
}

bool Buffer::slide_write_block(size_t n) noexcept {
  if (!wblock_ || 2 * len_ + n > wblock_->capacity) return false;
  // Exclusive: the buffer's only references to the block are its write
  // reference and (with bytes left) the one segment of those bytes.
  const uint32_t refs = wblock_->refs.load(std::memory_order_acquire);
  if (len_ == 0 && segs_.empty() && refs == 1) {
    wpos_ = 0;
    return true;
  }
  if (segs_.size() != 1 || segs_[0].b != wblock_ || refs != 2) return false;
  Seg& s = segs_[0];
  std::memmove(wblock_->data, s.p, s.n);
  s.p = wblock_->data;
  wpos_ = s.n;
  return true;
}

Block* Buffer::pin_source(const void* p, size_t n) noexcept {
  if (!wblock_ || n == 0) return nullptr;
  const auto s = reinterpret_cast<uintptr_t>(p), b = reinterpret_cast<uintptr_t>(wblock_->data);
  if (s >= b + wblock_->capacity || s + n <= b) return nullptr;
  wblock_->retain();
  return wblock_;
}

Status Buffer::append_to_tail(const char* src, size_t n) noexcept {
  if (!segs_.reserve_back(1)) return fail(Status::NoMem, "out of memory growing the segment list");
  char* dst = wblock_->data + wpos_;
  std::memcpy(dst, src, n);
  push_written(wblock_, dst, n);
  wpos_ += n;
  len_ += n;
  return Status::Ok;
}

Status Buffer::append(const void* data, size_t n) noexcept {
  if (Status st = check_mutable("append"); st != Status::Ok) return st;
  if (n == 0) return Status::Ok;
  if (Status st = check_room(n, "append"); st != Status::Ok) return st;
  const char* src = static_cast<const char*>(data);
  if (n <= tail_space()) return append_to_tail(src, n);  // the usual case: nothing moves
  // Making room may slide the buffer's bytes or drop the write block: a
  // source among them (a peek of this buffer) is pinned first.
  const Pin pin{pin_source(src, n)};
  if (linear_)
    if (Status st = linear_prepare(n); st != Status::Ok) return st;
  size_t space = tail_space();
  if (n > space && !linear_ && slide_write_block(n)) space = tail_space();
  if (n <= space) return append_to_tail(src, n);
  if (!segs_.reserve_back(2)) return fail(Status::NoMem, "out of memory growing the segment list");
  Block* nb = nullptr;
  if (Status st = new_block(n - space, &nb); st != Status::Ok) return st;
  if (space > 0) {
    char* dst = wblock_->data + wpos_;
    std::memcpy(dst, src, space);
    push_written(wblock_, dst, space);
  }
  size_t rest = n - space;
  std::memcpy(nb->data, src + space, rest);
  push_written(nb, nb->data, rest);
  if (wblock_) wblock_->release();
  wblock_ = nb;
  wpos_ = rest;
  len_ += n;
  return Status::Ok;
}

Status Buffer::claim(size_t n, Block** b, char** dst) noexcept {
  if (Status st = check_mutable("append"); st != Status::Ok) return st;
  if (linear_) return fail(Status::State, "append: no claims in linear mode");
  if (Status st = check_room(n, "append"); st != Status::Ok) return st;
  if (n > tail_space()) slide_write_block(n);
  if (Status st = make_tail_room(n); st != Status::Ok) return st;
  wblock_->retain();
  *b = wblock_;
  *dst = wblock_->data + wpos_;
  wpos_ += n;
  return Status::Ok;
}

Status Buffer::publish(Block* b, char* p, size_t n) noexcept {
  Status st = check_mutable("append");
  if (st == Status::Ok) st = check_room(n, "append");
  if (st == Status::Ok && !segs_.reserve_back(1)) st = fail(Status::NoMem, "out of memory growing the segment list");
  if (st == Status::Ok) {
    push_written(b, p, n);
    len_ += n;
  }
  b->release();
  return st;
}

void Buffer::copy_into_tail(const Seg* segs, size_t nseg, size_t n) noexcept {
  char* dst = wblock_->data + wpos_;
  seg_copy(segs, nseg, 0, dst, n);
  push_written(wblock_, dst, n);
  wpos_ += n;
  len_ += n;
}

Status Buffer::append_ref(const void* data, size_t n, FreeFn fn, void* ud) noexcept {
  struct iovec iov = {const_cast<void*>(data), n};
  return append_refv(&iov, 1, fn, ud);
}

Status Buffer::append_refv(const struct iovec* iov, size_t cnt, FreeFn fn, void* ud) noexcept {
  size_t total = 0, pieces = 0;
  for (size_t i = 0; i < cnt; ++i) {
    if (iov[i].iov_len > SIZE_MAX - total) return fail(Status::Inval, "iovec lengths overflow size_t");
    if (iov[i].iov_len && !iov[i].iov_base) return fail(Status::Inval, "iovec %zu has a NULL base", i);
    total += iov[i].iov_len;
    pieces += iov[i].iov_len ? 1 : 0;
  }
  Status st = check_mutable("append_ref");
  if (st == Status::Ok) st = check_room(total, "append_ref");
  if (linear_) {  // the linear backend copies: adopted memory goes back at once
    if (st == Status::Ok) st = linear_copy_in(iov, cnt, total);
    if (fn) fn(ud);
    return st;
  }
  if (st == Status::Ok && pieces > 0 && segs_.size() + pieces > segment_budget()) {
    // At its metadata budget, a bounded buffer copies the pieces in rather
    // than adopting them, so max_bytes bounds its memory too.
    st = make_tail_room(total);
    for (size_t i = 0; st == Status::Ok && i < cnt; ++i) {
      if (!iov[i].iov_len) continue;
      Seg piece{nullptr, static_cast<const char*>(iov[i].iov_base), iov[i].iov_len};
      copy_into_tail(&piece, 1, piece.n);
    }
    if (fn) fn(ud);
    return st;
  }
  if (st == Status::Ok && pieces > 0 && !segs_.reserve_back(pieces))
    st = fail(Status::NoMem, "out of memory growing the segment list");
  Block* b = nullptr;
  if (st == Status::Ok && pieces > 0) st = pool_->adopt(nullptr, total, tenant_, fn, ud, &b);
  if (st != Status::Ok || pieces == 0) {
    if (fn) fn(ud);  // the caller's memory is not needed: hand it back now
    return st;
  }
  for (size_t i = 1; i < pieces; ++i) b->retain();  // one reference per segment
  for (size_t i = 0; i < cnt; ++i)
    if (iov[i].iov_len) segs_.push_back(Seg{b, static_cast<const char*>(iov[i].iov_base), iov[i].iov_len});
  len_ += total;
  return Status::Ok;
}

Status Buffer::append_view(const ViewRep* v) noexcept { return append_framed(nullptr, 0, v, nullptr, 0); }

Status Buffer::append_framed(const void* head, size_t hn, const ViewRep* v, const void* tail, size_t tn) noexcept {
  if (Status st = check_mutable("append_view"); st != Status::Ok) return st;
  size_t vlen = v ? v->len : 0;
  if (hn > SIZE_MAX - vlen || tn > SIZE_MAX - vlen - hn)
    return fail(Status::Limit, "append_view of %zu + %zu + %zu bytes overflows size_t", hn, vlen, tn);
  if (Status st = check_room(hn + vlen + tn, "append_view"); st != Status::Ok) return st;
  Seg head_seg{nullptr, static_cast<const char*>(head), hn};
  Seg tail_seg{nullptr, static_cast<const char*>(tail), tn};
  if (linear_) return linear_append_framed(head_seg, v, tail_seg);
  if (v && segs_.size() + v->nseg > segment_budget()) {  // see append_refv
    if (Status st = make_tail_room(hn + vlen + tn); st != Status::Ok) return st;
    if (hn) copy_into_tail(&head_seg, 1, hn);
    if (vlen) copy_into_tail(v->segs(), v->nseg, vlen);
    if (tn) copy_into_tail(&tail_seg, 1, tn);
    return Status::Ok;
  }
  if (!segs_.reserve_back((v ? v->nseg : 0) + 2)) return fail(Status::NoMem, "out of memory growing the segment list");
  size_t space = tail_space();
  if (hn + tn > space) {
    Block* nb = nullptr;
    if (Status st = new_block(hn + tn, &nb); st != Status::Ok) return st;
    if (wblock_) wblock_->release();
    wblock_ = nb;
    wpos_ = 0;
  }
  if (hn) copy_into_tail(&head_seg, 1, hn);
  if (v) {
    const Seg* s = v->segs();
    for (size_t i = 0; i < v->nseg; ++i) {
      if (!segs_.empty() && segs_.back().b == s[i].b && segs_.back().p + segs_.back().n == s[i].p) {
        segs_.back().n += s[i].n;
      } else {
        s[i].b->retain();
        segs_.push_back(s[i]);
      }
    }
    len_ += vlen;
  }
  if (tn) copy_into_tail(&tail_seg, 1, tn);
  return Status::Ok;
}

Status Buffer::reserve(size_t n, struct iovec* iov, size_t max_iov, size_t* n_iov) noexcept {
  if (reserved_) return fail(Status::State, "a reservation is already open");
  if (max_iov == 0) return fail(Status::Inval, "reserve needs room for at least one iovec");
  if (n == 0) n = 1;
  if (Status st = check_room(n, "reserve"); st != Status::Ok) return st;
  if (!segs_.reserve_back(2)) return fail(Status::NoMem, "out of memory growing the segment list");
  if (linear_) {
    if (Status st = make_linear_room(n); st != Status::Ok) return st;
  }
  size_t space = tail_space();
  if (space >= n) {
    iov[0] = {wblock_->data + wpos_, space};
    *n_iov = 1;
    res_space_ = space;
  } else {
    bool split = max_iov >= 2 && space > 0;
    Block* nb = nullptr;
    if (Status st = new_block(split ? n - space : n, &nb); st != Status::Ok) return st;
    if (split) {
      iov[0] = {wblock_->data + wpos_, space};
      iov[1] = {nb->data, nb->capacity};
      *n_iov = 2;
      res_space_ = space;
    } else {
      iov[0] = {nb->data, nb->capacity};
      *n_iov = 1;
      res_space_ = 0;
    }
    res_block_ = nb;
  }
  reserved_ = true;
  return Status::Ok;
}

Status Buffer::commit(size_t n) noexcept {
  if (!reserved_) return fail(Status::NoReserve, "commit without an open reservation");
  size_t total = res_space_ + (res_block_ ? res_block_->capacity : 0);
  if (n > total) return fail(Status::Range, "commit of %zu bytes exceeds the %zu reserved", n, total);
  if (Status st = check_room(n, "commit"); st != Status::Ok) return st;
  size_t a = std::min(n, res_space_);
  if (a > 0) {
    push_written(wblock_, wblock_->data + wpos_, a);
    wpos_ += a;
  }
  size_t b = n - a;
  if (b > 0) {
    push_written(res_block_, res_block_->data, b);
    if (wblock_) wblock_->release();
    wblock_ = res_block_;
    wpos_ = b;
  } else if (res_block_) {
    res_block_->release();
  }
  res_block_ = nullptr;
  res_space_ = 0;
  reserved_ = false;
  len_ += n;
  on_emptied();
  return Status::Ok;
}

Status Buffer::find(const void* needle, size_t m, size_t start, size_t end, size_t* pos) const noexcept {
  if (start > len_ && m) return fail(Status::Range, "find start %zu beyond a buffer of %zu bytes", start, len_);
  return seg_find(segs_.begin(), segs_.size(), len_, static_cast<const char*>(needle), m, start, end, pos);
}

Status Buffer::rfind(const void* needle, size_t m, size_t start, size_t end, size_t* pos) const noexcept {
  if (start > len_ && m) return fail(Status::Range, "rfind start %zu beyond a buffer of %zu bytes", start, len_);
  return seg_rfind(segs_.begin(), segs_.size(), len_, static_cast<const char*>(needle), m, start, end, pos);
}

size_t Buffer::peek(size_t n, struct iovec* iov, size_t max_iov) const noexcept {
  n = std::min(n, len_);
  size_t k = 0;
  for (size_t i = 0; n > 0 && k < max_iov && i < segs_.size(); ++i) {
    size_t take = std::min(segs_[i].n, n);
    iov[k++] = {const_cast<char*>(segs_[i].p), take};
    n -= take;
  }
  return k;
}

Status Buffer::coalesce(size_t n, const void** data) noexcept {
  if (Status st = check_mutable("coalesce"); st != Status::Ok) return st;
  if (n > len_) return fail(Status::Range, "coalesce of %zu bytes from a buffer of %zu", n, len_);
  if (n == 0 || segs_[0].n >= n) {
    *data = segs_.empty() ? nullptr : segs_[0].p;
    return Status::Ok;
  }
  Block* b = nullptr;
  if (Status st = pool_->acquire(n, tenant_, &b); st != Status::Ok) return st;
  ReleaseScope scope;  // free callbacks run once the buffer is consistent again
  seg_copy(segs_.begin(), segs_.size(), 0, b->data, n);
  size_t full = 0, covered = 0;
  while (full < segs_.size() && covered + segs_[full].n <= n) covered += segs_[full++].n;
  size_t rem = n - covered;
  if (rem > 0) {
    segs_[full].p += rem;
    segs_[full].n -= rem;
  }
  for (size_t i = 0; i < full; ++i) segs_[i].b->release();
  segs_[full - 1] = Seg{b, b->data, n};
  segs_.pop_front(full - 1);
  *data = b->data;
  return Status::Ok;
}

bool Buffer::equals(const void* data, size_t n) const noexcept {
  return len_ == n && seg_equal(segs_.begin(), segs_.size(), 0, data, n);
}

Status Buffer::copy_out(size_t offset, void* dst, size_t n, size_t* copied) const noexcept {
  if (offset > len_) return fail(Status::Range, "copy_out offset %zu beyond a buffer of %zu bytes", offset, len_);
  size_t k = std::min(n, len_ - offset);
  seg_copy(segs_.begin(), segs_.size(), offset, dst, k);
  *copied = k;
  return Status::Ok;
}

Status Buffer::peek_uint(size_t offset, size_t width, Order order, uint64_t* out) const noexcept {
  if (offset > len_ || len_ - offset < width)
    return fail(Status::NeedMore, "a %zu-byte read at offset %zu needs more than the %zu bytes buffered", width,
                offset, len_);
  unsigned char tmp[8];
  seg_copy(segs_.begin(), segs_.size(), offset, tmp, width);
  *out = decode_uint(tmp, width, order);
  return Status::Ok;
}

Status Buffer::slice(size_t start, size_t n, ViewRep** out) const noexcept {
  if (start > len_ || n > len_ - start)
    return fail(Status::Range, "slice of %zu bytes at %zu from a buffer of %zu", n, start, len_);
  ViewRep* v = nullptr;
  if (Status st = view_of_segs(segs_.begin(), segs_.size(), start, start + n, &v); st != Status::Ok) return st;
  v->tenant = tenant_id_;
  *out = v;
  return Status::Ok;
}

Status Buffer::advance(size_t n) noexcept {
  if (Status st = check_mutable("advance"); st != Status::Ok) return st;
  if (n > len_) return fail(Status::Range, "advance of %zu bytes past a buffer of %zu", n, len_);
  if (n > 0 && n < segs_[0].n) {
    // Inside the first segment: no block is released, so no free callback
    // can run and no ReleaseScope (two thread-local accesses) is needed.
    // This is the per-line consume of a line hand-out.
    segs_[0].p += n;
    segs_[0].n -= n;
    len_ -= n;
    return Status::Ok;
  }
  ReleaseScope scope;  // free callbacks run once the buffer is consistent again
  len_ -= n;
  size_t k = 0;
  while (n > 0) {
    Seg& s = segs_[k];
    if (s.n <= n) {
      n -= s.n;
      s.b->release();
      ++k;
    } else {
      s.p += n;
      s.n -= n;
      n = 0;
    }
  }
  segs_.pop_front(k);
  on_emptied();
  return Status::Ok;
}

Status Buffer::read(void* dst, size_t n, size_t* nread) noexcept {
  if (Status st = check_mutable("read"); st != Status::Ok) return st;
  size_t k = std::min(n, len_);
  seg_copy(segs_.begin(), segs_.size(), 0, dst, k);
  *nread = k;
  return advance(k);
}

Status Buffer::split_to(size_t n, ViewRep** out) noexcept {
  if (Status st = check_mutable("split_to"); st != Status::Ok) return st;
  if (n > len_) return fail(Status::Range, "split_to of %zu bytes from a buffer of %zu", n, len_);
  size_t full = 0, covered = 0;
  while (full < segs_.size() && covered + segs_[full].n <= n) covered += segs_[full++].n;
  size_t rem = n - covered;
  ViewRep* v = view_alloc(full + (rem ? 1 : 0));
  if (!v) return fail(Status::NoMem, "out of memory for a view");
  v->tenant = tenant_id_;
  for (size_t i = 0; i < full; ++i) view_push(v, segs_[i]);  // references move to the view
  if (rem > 0) {
    Seg& s = segs_[full];
    s.b->retain();
    view_push(v, Seg{s.b, s.p, rem});
    s.p += rem;
    s.n -= rem;
  }
  segs_.pop_front(full);
  len_ -= n;
  on_emptied();
  *out = v;
  return Status::Ok;
}

}  // namespace chunkbuf
