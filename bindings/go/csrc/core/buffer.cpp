#include "buffer.h"

#include <errno.h>
#include <limits.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "release_scope.h"
#include "search.h"
#include "sigpipe.h"

namespace chunkbuf {
namespace {

constexpr size_t kMaxGrow = 64 * 1024;
constexpr size_t kDefaultFdRead = 64 * 1024;
constexpr size_t kMaxIov = IOV_MAX < 1024 ? IOV_MAX : 1024;

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
  size_t space = wblock_ ? wblock_->capacity - wpos_ : 0;
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

Status Buffer::append(const void* data, size_t n) noexcept {
  if (Status st = check_mutable("append"); st != Status::Ok) return st;
  if (n == 0) return Status::Ok;
  if (Status st = check_room(n, "append"); st != Status::Ok) return st;
  const char* src = static_cast<const char*>(data);
  if (linear_) {
    if (!segs_.reserve_back(1)) return fail(Status::NoMem, "out of memory growing the segment list");
    if (Status st = make_linear_room(n); st != Status::Ok) return st;
  }
  size_t space = wblock_ ? wblock_->capacity - wpos_ : 0;
  if (n <= space) {
    if (!segs_.reserve_back(1)) return fail(Status::NoMem, "out of memory growing the segment list");
    char* dst = wblock_->data + wpos_;
    std::memcpy(dst, src, n);
    push_written(wblock_, dst, n);
    wpos_ += n;
    len_ += n;
    return Status::Ok;
  }
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

Status Buffer::make_linear_room(size_t n) noexcept {
  size_t space = wblock_ ? wblock_->capacity - wpos_ : 0;
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
    if (st == Status::Ok && total > 0 && !segs_.reserve_back(1))
      st = fail(Status::NoMem, "out of memory growing the segment list");
    if (st == Status::Ok) st = make_linear_room(total);
    for (size_t i = 0; st == Status::Ok && i < cnt; ++i) {
      if (!iov[i].iov_len) continue;
      Seg piece{nullptr, static_cast<const char*>(iov[i].iov_base), iov[i].iov_len};
      copy_into_tail(&piece, 1, piece.n);
    }
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
  if (linear_) {
    if (!segs_.reserve_back(1)) return fail(Status::NoMem, "out of memory growing the segment list");
    if (Status st = make_linear_room(hn + vlen + tn); st != Status::Ok) return st;
    if (hn) copy_into_tail(&head_seg, 1, hn);
    if (vlen) copy_into_tail(v->segs(), v->nseg, vlen);
    if (tn) copy_into_tail(&tail_seg, 1, tn);
    return Status::Ok;
  }
  if (v && segs_.size() + v->nseg > segment_budget()) {  // see append_refv
    if (Status st = make_tail_room(hn + vlen + tn); st != Status::Ok) return st;
    if (hn) copy_into_tail(&head_seg, 1, hn);
    if (vlen) copy_into_tail(v->segs(), v->nseg, vlen);
    if (tn) copy_into_tail(&tail_seg, 1, tn);
    return Status::Ok;
  }
  if (!segs_.reserve_back((v ? v->nseg : 0) + 2)) return fail(Status::NoMem, "out of memory growing the segment list");
  size_t space = wblock_ ? wblock_->capacity - wpos_ : 0;
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
  size_t space = wblock_ ? wblock_->capacity - wpos_ : 0;
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
  if (!reserved_) return fail(Status::State, "commit without an open reservation");
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

Status Buffer::read_from_fd(int fd, size_t max, size_t* nread) noexcept {
  if (Status st = check_mutable("read_from_fd"); st != Status::Ok) return st;
  if (max == 0) max = kDefaultFdRead;
  if (max_bytes_) {
    size_t room = max_bytes_ - std::min(len_, max_bytes_);
    if (room == 0) return fail(Status::Limit, "buffer is at max_bytes %zu", max_bytes_);
    max = std::min(max, room);
  }
  struct iovec iov[2];
  size_t cnt = 0;
  if (Status st = reserve(max, iov, 2, &cnt); st != Status::Ok) return st;
  size_t left = max;
  for (size_t i = 0; i < cnt; ++i) {
    iov[i].iov_len = std::min(iov[i].iov_len, left);
    left -= iov[i].iov_len;
  }
  ssize_t r;
  do {
    r = ::readv(fd, iov, static_cast<int>(cnt));
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    int e = errno;
    commit(0);
    if (e == EAGAIN || e == EWOULDBLOCK) return fail(Status::Again, "readv on fd %d would block", fd);
    return fail(Status::Io, "readv on fd %d: %s", fd, std::strerror(e));
  }
  commit(static_cast<size_t>(r));
  *nread = static_cast<size_t>(r);
  return Status::Ok;
}

Status Buffer::find(const void* needle, size_t m, size_t start, size_t end, size_t* pos) const noexcept {
  if (m == 0) return fail(Status::Inval, "find needs a needle of at least one byte");
  if (start > len_) return fail(Status::Range, "find start %zu beyond a buffer of %zu bytes", start, len_);
  return seg_find(segs_.begin(), segs_.size(), len_, static_cast<const char*>(needle), m, start, end, pos);
}

Status Buffer::rfind(const void* needle, size_t m, size_t start, size_t end, size_t* pos) const noexcept {
  if (m == 0) return fail(Status::Inval, "rfind needs a needle of at least one byte");
  if (start > len_) return fail(Status::Range, "rfind start %zu beyond a buffer of %zu bytes", start, len_);
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
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) {
    size_t idx = order == Order::Big ? i : width - 1 - i;
    v = (v << 8) | tmp[idx];
  }
  *out = v;
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

Status Buffer::take_until(const void* delim, size_t dlen, bool include, size_t max_len, ViewRep** out) noexcept {
  if (Status st = check_mutable("take_until"); st != Status::Ok) return st;
  if (dlen == 0) return fail(Status::Inval, "take_until needs a delimiter of at least one byte");
  size_t end = max_len ? std::min(len_, max_len + dlen) : len_;
  size_t pos = npos;
  if (Status st = find(delim, dlen, 0, end, &pos); st != Status::Ok) return st;
  if (pos == npos) {
    if (max_len && len_ >= max_len + dlen)
      return fail(Status::Limit, "no delimiter within the first %zu bytes", max_len);
    return fail(Status::NeedMore, "delimiter not found in %zu buffered bytes", len_);
  }
  if (Status st = split_to(include ? pos + dlen : pos, out); st != Status::Ok) return st;
  return include ? Status::Ok : advance(dlen);
}

bool Buffer::find_eol(Eol eol, SegCursor& c, size_t from, size_t* pos, size_t* eol_len) const noexcept {
  // The cursor only moves forward, so batch scans stay linear.
  size_t in = c.seek(from);
  const Seg* segs = segs_.begin() + c.idx;
  size_t nseg = segs_.size() - c.idx;
  size_t total = len_ - c.base;
  size_t q = npos;
  switch (eol) {
    case Eol::Lf:
    case Eol::Nul:
    case Eol::Crlf: {
      // memchr straight over the segments: this is the per-line hot path.
      const char ch = eol == Eol::Nul ? '\0' : '\n';
      for (size_t i = 0, base = 0; i < nseg; base += segs[i].n, ++i, in = 0) {
        const void* hit = std::memchr(segs[i].p + in, ch, segs[i].n - in);
        if (!hit) continue;
        size_t off = static_cast<size_t>(static_cast<const char*>(hit) - segs[i].p);
        q = base + off;
        *eol_len = 1;
        if (eol == Eol::Crlf && c.base + q > from) {  // the byte before is ours: off > 0 or i > 0
          char prev = off > 0 ? segs[i].p[off - 1] : segs[i - 1].p[segs[i - 1].n - 1];
          if (prev == '\r') {
            --q;
            *eol_len = 2;
          }
        }
        break;
      }
      if (q == npos) return false;
      break;
    }
    case Eol::CrlfStrict:
      seg_find(segs, nseg, total, "\r\n", 2, in, total, &q);  // cannot fail: m = 2 uses no table
      if (q == npos) return false;
      *eol_len = 2;
      break;
    case Eol::Any: {
      q = seg_find_first_of(segs, nseg, total, "\r\n", 2, in, total);
      if (q == npos) return false;
      size_t k = 1;
      while (q + k < total) {
        char ch = seg_byte_at(segs, nseg, q + k);
        if (ch != '\r' && ch != '\n') break;
        ++k;
      }
      *eol_len = k;
      break;
    }
  }
  *pos = q + c.base;
  return true;
}

Status Buffer::take_line(Eol eol, size_t max_len, ViewRep** out) noexcept {
  if (Status st = check_mutable("take_line"); st != Status::Ok) return st;
  size_t from = 0;
  if (!segs_.empty() && (eol == Eol::Lf || eol == Eol::Nul || eol == Eol::Crlf)) {
    Seg& s = segs_[0];
    const char* hit = static_cast<const char*>(std::memchr(s.p, eol == Eol::Nul ? '\0' : '\n', s.n));
    if (hit) return take_line_in_first(eol, static_cast<size_t>(hit - s.p), max_len, out);
    from = s.n - 1;  // resume the search at the last byte: it may be the CR of a CRLF
  }
  return take_line_from(eol, from, max_len, out);
}

Status Buffer::take_line_from(Eol eol, size_t from, size_t max_len, ViewRep** out) noexcept {
  size_t pos = 0, elen = 0;
  SegCursor c(segs_.begin(), segs_.size());
  if (!find_eol(eol, c, from, &pos, &elen)) {
    size_t slack = (eol == Eol::Lf || eol == Eol::Nul) ? 0 : 1;  // a trailing CR may start the EOL
    if (max_len && len_ > max_len + slack)
      return fail(Status::Limit, "line longer than max_len %zu and no end of line yet", max_len);
    // Hit once per chunk by a line loop: a fixed message, no formatting.
    return fail_text(Status::NeedMore, "no complete line buffered");
  }
  if (max_len && pos > max_len) return fail(Status::Limit, "line of %zu bytes exceeds max_len %zu", pos, max_len);
  if (Status st = split_to(pos, out); st != Status::Ok) return st;
  return advance(elen);
}

Status Buffer::take_line_in_first(Eol eol, size_t lf, size_t max_len, ViewRep** out) noexcept {
  // The line's end of line is at lf inside the first segment (the usual
  // case): cut the line and drop the EOL in one step, with no segment walk.
  Seg& s = segs_[0];
  size_t pos = lf, cut = lf + 1;
  if (eol == Eol::Crlf && lf > 0 && s.p[lf - 1] == '\r') --pos;  // nothing precedes the first segment
  if (max_len && pos > max_len) return fail(Status::Limit, "line of %zu bytes exceeds max_len %zu", pos, max_len);
  ViewRep* v = view_alloc(1);
  if (!v) return fail(Status::NoMem, "out of memory for a view");
  v->tenant = tenant_id_;
  bool whole = cut == s.n;
  Block* drop = nullptr;  // released last: its free callback may free this buffer
  if (pos > 0) {
    if (!whole) s.b->retain();  // else the segment's reference moves to the view
    v->segs()[0] = Seg{s.b, s.p, pos};
    v->nseg = 1;
    v->len = pos;
  } else if (whole) {
    drop = s.b;
  }
  if (whole) {
    segs_.pop_front(1);
  } else {
    s.p += cut;
    s.n -= cut;
  }
  len_ -= cut;
  on_emptied();
  *out = v;
  if (drop) drop->release();
  return Status::Ok;
}

template <typename Next>
Status Buffer::take_batch(size_t max_len, Record* recs, size_t max_recs, size_t* n, ViewRep** out, Next next,
                          const char* what) noexcept {
  if (out) {  // a take (a peek, out == nullptr, changes nothing)
    if (Status st = check_mutable(what); st != Status::Ok) return st;
    *out = nullptr;
  }
  *n = 0;
  size_t from = 0, count = 0;
  while (count < max_recs) {
    size_t pos = 0, dlen = 0;
    if (!next(from, &pos, &dlen)) {
      if (count == 0 && max_len && len_ - from > max_len + dlen)
        return fail(Status::Limit, "%s: record longer than max_len %zu and no delimiter yet", what, max_len);
      break;
    }
    if (max_len && pos - from > max_len) {
      if (count == 0)
        return fail(Status::Limit, "%s: record of %zu bytes exceeds max_len %zu", what, pos - from, max_len);
      break;
    }
    recs[count++] = Record{from, pos - from, dlen};
    from = pos + dlen;
  }
  if (count == 0) return Status::Ok;
  if (out)
    if (Status st = split_to(from, out); st != Status::Ok) return st;
  *n = count;
  return Status::Ok;
}

Status Buffer::take_lines(Eol eol, size_t max_len, Record* recs, size_t max_recs, size_t* n,
                          ViewRep** out) noexcept {
  if (eol == Eol::Lf || eol == Eol::Nul) {
    // One-byte EOL: a bare memchr loop over local copies of the segment
    // list (segs_ does not change until the batch is cut), resuming where
    // the previous line ended. This is the per-line cost of a line parser.
    const char ch = eol == Eol::Nul ? '\0' : '\n';
    const Seg* segs = segs_.begin();
    const size_t nseg = segs_.size();
    size_t i = 0, base = 0;  // segment holding `from`, and its offset
    return take_batch(
        max_len, recs, max_recs, n, out,
        [&](size_t from, size_t* pos, size_t* dlen) {
          *dlen = 0;
          for (; i < nseg; base += segs[i].n, ++i) {
            size_t in = from > base ? from - base : 0;
            if (in >= segs[i].n) continue;
            if (const void* hit = std::memchr(segs[i].p + in, ch, segs[i].n - in)) {
              *pos = base + static_cast<size_t>(static_cast<const char*>(hit) - segs[i].p);
              *dlen = 1;
              return true;
            }
          }
          return false;
        },
        "take_lines");
  }
  SegCursor c(segs_.begin(), segs_.size());  // segs_ does not change until the batch is cut
  return take_batch(
      max_len, recs, max_recs, n, out,
      [&](size_t from, size_t* pos, size_t* dlen) {
        *dlen = 1;  // slack for the too-long test: a trailing CR may start the EOL
        return find_eol(eol, c, from, pos, dlen);
      },
      "take_lines");
}

Status Buffer::take_records(const void* delim, size_t dlen, size_t max_len, Record* recs, size_t max_recs,
                            size_t* n, ViewRep** out) noexcept {
  if (dlen == 0) return fail(Status::Inval, "take_records needs a delimiter of at least one byte");
  Status search = Status::Ok;
  Status st = take_batch(
      max_len, recs, max_recs, n, out,
      [&](size_t from, size_t* pos, size_t* dl) {
        *dl = dlen - 1;  // slack used for the too-long test when not found
        SegCursor c(segs_.begin(), segs_.size());
        size_t in = c.seek(from);
        size_t q = npos;
        search = seg_find(segs_.begin() + c.idx, segs_.size() - c.idx, len_ - c.base,
                          static_cast<const char*>(delim), dlen, in, len_ - c.base, &q);
        if (search != Status::Ok || q == npos) return false;
        *pos = q + c.base;
        *dl = dlen;
        return true;
      },
      "take_records");
  // A failed search ends the batch; records taken before it are returned.
  return (st == Status::Ok && *n == 0 && search != Status::Ok) ? search : st;
}

Status Buffer::write_to_fd(int fd, size_t max, size_t* nwritten) noexcept {
  if (Status st = check_mutable("write_to_fd"); st != Status::Ok) return st;
  if (max == 0 || max > len_) max = len_;
  *nwritten = 0;
  if (max == 0) return Status::Ok;
  struct iovec iov[kMaxIov];
  size_t cnt = peek(max, iov, kMaxIov);
  ssize_t r = writev_nosigpipe(fd, iov, static_cast<int>(cnt));  // EPIPE, never SIGPIPE
  if (r < 0) {
    int e = errno;
    if (e == EAGAIN || e == EWOULDBLOCK) return fail(Status::Again, "writev on fd %d would block", fd);
    return fail(Status::Io, "writev on fd %d: %s", fd, std::strerror(e));
  }
  *nwritten = static_cast<size_t>(r);
  return advance(static_cast<size_t>(r));
}

}  // namespace chunkbuf
