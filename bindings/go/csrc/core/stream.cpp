#include "stream.h"

#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "mem.h"
#include "search.h"

namespace chunkbuf {
namespace {

using Clock = std::chrono::steady_clock;

// Longer timeouts wait forever (and cannot overflow the deadline).
constexpr int64_t kForeverMs = int64_t{10} * 365 * 24 * 3600 * 1000;

// content_length preallocates one block of up to this size. Streaming mode
// stays at a pool class so its memory remains flat.
constexpr uint64_t kPreallocRetained = uint64_t{64} << 20;
constexpr uint64_t kPreallocStreaming = kMaxClassBlock;

// The end-of-line style of a line call: one of the five.
Status check_eol(Eol eol, const char* op) noexcept {
  if (static_cast<unsigned>(eol) > static_cast<unsigned>(Eol::Nul))
    return fail(Status::Inval, "%s: unknown end-of-line style %d", op, static_cast<int>(eol));
  return Status::Ok;
}

Status check_timeout(int64_t ms, const char* op) noexcept {
  if (ms >= -1) return Status::Ok;
  return fail(Status::Inval, "%s: timeout_ms %lld is negative (-1 waits forever)", op, static_cast<long long>(ms));
}

// The clock is read at the first wait, so calls that need not wait never
// read it.
class Deadline {
 public:
  explicit Deadline(int64_t ms) noexcept : ms_(ms) {}
  // One wait on cv (it may wake spuriously); false once the deadline passed.
  bool wait(std::unique_lock<std::mutex>& lk, std::condition_variable& cv) noexcept {
    if (ms_ < 0 || ms_ > kForeverMs) {
      cv.wait(lk);
      return true;
    }
    if (!armed_) {
      at_ = Clock::now() + std::chrono::milliseconds(ms_);
      armed_ = true;
    }
    return cv.wait_until(lk, at_) == std::cv_status::no_timeout;
  }

 private:
  int64_t ms_;
  bool armed_ = false;
  Clock::time_point at_;
};

}  // namespace

Stream::~Stream() {
  if (efd_ >= 0) ::close(efd_);
}

Status Stream::init(const StreamOptions& opts) noexcept {
  if (opts.low_water && opts.low_water >= opts.high_water)
    return fail(Status::Inval, "low_water %zu must be below high_water %zu", opts.low_water, opts.high_water);
  BufferOptions bo;
  bo.pool = opts.pool;
  bo.max_bytes = opts.max_bytes;
  bo.tenant = opts.tenant;
  if (opts.content_length != kUnknownLength)
    bo.min_chunk = static_cast<size_t>(
        std::min(opts.content_length, opts.retain ? kPreallocRetained : kPreallocStreaming));
  if (Status st = buf_.init(bo); st != Status::Ok) return st;
  int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    return fail(e == ENOMEM ? Status::NoMem : Status::Io, "eventfd for a stream: %s", std::strerror(e));
  }
  efd_ = fd;
  retain_ = opts.retain;
  tenant_ = opts.tenant;
  high_water_ = opts.high_water;
  low_water_ = opts.low_water ? opts.low_water : opts.high_water / 2;
  content_length_ = opts.content_length;
  closed_ = content_length_ == 0;
  sync_ready();
  return Status::Ok;
}

bool Stream::release() noexcept {
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) != 1) return false;
  std::unique_lock<std::mutex> lk(mu_);
  released_ = true;
  readable_cv_.notify_all();
  space_cv_.notify_all();
  // Each woken call leaves its wait (or cancel scope) and says so; only then
  // may the memory go.
  idle_cv_.wait(lk, [&] { return waiting_readers_ == 0 && waiting_writers_ == 0 && scopes_ == 0; });
  return true;
}

void Stream::waiting(size_t* readers, size_t* writers) const noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  if (readers) *readers = waiting_readers_;
  if (writers) *writers = waiting_writers_;
}

void Stream::wake() noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  readable_cv_.notify_all();
  space_cv_.notify_all();
}

void Stream::scope_enter() noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  ++scopes_;
}

void Stream::scope_leave() noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  scope_left();
}

void Stream::scope_left() noexcept {
  if (--scopes_ == 0 && released_) idle_cv_.notify_all();
}

int Stream::readiness_fd() const noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  watched_ = true;
  sync_ready();
  return efd_;
}

void Stream::sync_ready() const noexcept {
  if (!watched_) return;
  bool want = aborted_ || closed_ || unread() > 0;
  if (want == ready_) return;
  ready_ = want;
  // The counter is 1 while ready and 0 otherwise, so these never block.
  uint64_t v = 1;
  ssize_t r;
  do {
    r = want ? ::write(efd_, &v, sizeof v) : ::read(efd_, &v, sizeof v);
  } while (r < 0 && errno == EINTR);
}

// ------------------------------------------------------------------ writer

Status Stream::check_writable(size_t n, const char* op) const noexcept {
  if (aborted_) return fail(Status::Aborted, "%s: the stream was aborted (code %d)", op, abort_code_);
  if (content_length_ != kUnknownLength && n > content_length_ - written_)
    return fail(Status::Limit, "%s of %zu bytes passes content_length %llu (%llu written)", op, n,
                static_cast<unsigned long long>(content_length_), static_cast<unsigned long long>(written_));
  if (closed_) return fail(Status::Closed, "%s: the stream is closed", op);
  return Status::Ok;
}

Status Stream::wait_writable(std::unique_lock<std::mutex>& lk, size_t n, const Wait& w, const char* op) noexcept {
  Deadline dl(w.timeout_ms);
  bool expired = false;
  for (;;) {
    if (Status st = check_writable(n, op); st != Status::Ok) return st;
    if (Status st = interrupted(w, op); st != Status::Ok) return st;
    if (room_for(n)) return Status::Ok;
    if (w.timeout_ms == 0)
      return fail(Status::Again, "%s: %zu unread bytes reach the high-water mark %zu", op, unread(), high_water_);
    if (expired) return fail(Status::TimedOut, "%s: readers did not catch up within %lld ms", op,
                             static_cast<long long>(w.timeout_ms));
    ++waiting_writers_;
    expired = !dl.wait(lk, space_cv_);
    --waiting_writers_;
    if (released_) idle_cv_.notify_all();
  }
}

void Stream::wrote(size_t n) noexcept {
  written_ += n;
  ++write_gen_;
  if (written_ == content_length_) {
    closed_ = true;
    space_changed();  // writers still waiting now fail
  }
  readers_changed();
}

void Stream::readers_changed() noexcept {
  sync_ready();
  readable_cv_.notify_all();
  if (pending_head_) notify_pending();
}

void Stream::report_starved() noexcept {
  if (!high_water_ || starved_gen_ == write_gen_) return;
  starved_gen_ = write_gen_;
  space_changed();
}

Status Stream::write(const void* data, size_t n, const Wait& w) noexcept {
  if (Status st = check_timeout(w.timeout_ms, "write"); st != Status::Ok) return st;
  // A write that may copy outside the lock can wait twice (for room, then
  // again if others filled the stream meanwhile): both within one timeout.
  const bool timed = n >= kUnlockedCopyMin && w.timeout_ms > 0 && w.timeout_ms <= kForeverMs;
  Clock::time_point start{};
  if (timed) [[unlikely]]
    start = Clock::now();
  CancelScope scope(w, this);
  std::unique_lock<std::mutex> lk = lock_data();
  if (Status st = wait_writable(lk, n, w, "write"); st != Status::Ok || n == 0) return st;
  const char* p = static_cast<const char*>(data);
  Block* b = nullptr;
  char* dst = nullptr;
  // Readers behind the writer take the bytes already there while this one
  // copies outside the lock. A reader that has caught up would only find
  // nothing and go to sleep: for it the copy stays under the lock.
  if (unread() > 0 && n >= kUnlockedCopyMin && buf_.claim(n, &b, &dst) == Status::Ok) {
    ++scopes_;  // a last release() meanwhile waits for this call to come back
    lk.unlock();
    std::memcpy(dst, p, n);
    lk = lock_data();
    scope_left();
    // The write counts only now: the stream may have been closed, aborted,
    // released or filled to its mark meanwhile (then nothing is written).
    Wait rest = w;
    if (timed) {
      const auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
      rest.timeout_ms = std::max<int64_t>(1, w.timeout_ms - spent);  // 0 would mean "do not wait"
    }
    if (Status st = wait_writable(lk, n, rest, "write"); st != Status::Ok) {
      b->release();
      return st;
    }
    if (Status st = buf_.publish(b, dst, n); st != Status::Ok) return st;
    wrote(n);
    return Status::Ok;
  }
  // Buffer what blocked readers do not take first: that is the step that
  // can fail, and a write is all or nothing.
  size_t direct = direct_room(n);
  if (direct < n)
    if (Status st = buf_.append(p + direct, n - direct); st != Status::Ok) return st;
  direct_fill(p, direct);
  wrote(n);
  return Status::Ok;
}

Status Stream::write_view(const ViewRep* v, const Wait& w) noexcept {
  if (Status st = check_timeout(w.timeout_ms, "write_view"); st != Status::Ok) return st;
  CancelScope scope(w, this);
  std::unique_lock<std::mutex> lk = lock_data();
  if (Status st = wait_writable(lk, v->len, w, "write_view"); st != Status::Ok || v->len == 0) return st;
  if (Status st = buf_.append_view(v); st != Status::Ok) return st;
  wrote(v->len);
  return Status::Ok;
}

Status Stream::write_ref(const void* data, size_t n, FreeFn fn, void* ud, const Wait& w) noexcept {
  if (Status st = check_timeout(w.timeout_ms, "write_ref"); st != Status::Ok) return st;
  if (n == 0) {
    Status st = write(nullptr, 0, w);
    if (fn) fn(ud);
    return st;
  }
  // Wrap the memory in a view first: whatever happens, releasing that view
  // outside the lock is what finally runs fn.
  ViewRep* v = view_alloc(1);
  Block* b = nullptr;
  Status st = v ? buf_.pool()->adopt(data, n, buf_.tenant_rec(), fn, ud, &b) : fail(Status::NoMem, "write_ref: out of memory");
  if (st != Status::Ok) {
    if (v) view_release(v);
    if (fn) fn(ud);
    return st;
  }
  v->tenant = tenant_;
  view_push(v, Seg{b, static_cast<const char*>(data), n});
  st = write_view(v, w);
  view_release(v);
  return st;
}

Status Stream::close() noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  if (aborted_) return fail(Status::Aborted, "close: the stream was aborted (code %d)", abort_code_);
  if (!closed_) {
    closed_ = true;
    readers_changed();
    space_changed();
  }
  return Status::Ok;
}

void Stream::abort(int code) noexcept {
  ViewRep* dropped = nullptr;
  {
    std::lock_guard<std::mutex> lk(mu_);
    if (aborted_) return;
    aborted_ = true;
    abort_code_ = code;
    // Detach the bytes to release them after unlocking; without memory for
    // that they simply stay until the stream is freed.
    if (buf_.size() > 0 && buf_.split_to(buf_.size(), &dropped) == Status::Ok) {
      base_ = pos_;
      cur_idx_ = cur_base_ = 0;
    }
    readers_changed();
    space_changed();
  }
  if (dropped) view_release(dropped);
}

Status Stream::abort_code(int* code) const noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  if (!aborted_) return fail(Status::State, "abort_code: the stream was not aborted");
  *code = abort_code_;
  return Status::Ok;
}

// ------------------------------------------------------------------ reader

Stream::Span Stream::unread_span() const noexcept {
  const Seg* segs = buf_.segs();
  size_t nseg = buf_.segment_count();
  if (!retain_) return Span{segs, nseg, 0, buf_.size()};
  SegCursor c(segs, nseg);
  c.resume(cur_idx_, cur_base_);
  c.seek(static_cast<size_t>(pos_ - base_));
  size_t idx = static_cast<size_t>(c.segment() - segs), base = c.segment_base(), in = c.offset_in_segment();
  if (idx == nseg && nseg > 0) {
    // Stay on the last segment: later writes may extend it in place.
    --idx;
    base -= segs[idx].n;
    in = segs[idx].n;
  }
  cur_idx_ = idx;
  cur_base_ = base;
  return Span{segs + idx, nseg - idx, in, buf_.size() - base};
}

Status Stream::interrupted(const Wait& w, const char* op) const noexcept {
  if (released_) return fail(Status::Handle, "%s: the stream was released while this call waited", op);
  if (w.cancel && w.cancel->fired_since(w.cancel_fires)) return fail(Status::Canceled, "%s: canceled", op);
  return Status::Ok;
}

template <typename Ready>
Status Stream::wait_readable(std::unique_lock<std::mutex>& lk, const Wait& w, Ready ready, const char* op,
                             DirectRead* d) noexcept {
  Deadline dl(w.timeout_ms);
  bool expired = false;
  Status st = Status::Ok;
  for (;;) {
    if (d && d->filled > 0) break;  // a writer copied into the reader's memory: those bytes are its own
    if (aborted_) {
      st = fail(Status::Aborted, "%s: the stream was aborted (code %d)", op, abort_code_);
      break;
    }
    if ((st = interrupted(w, op)) != Status::Ok) break;
    if (ready()) break;
    if (w.timeout_ms == 0) {
      st = fail(Status::Again, "%s: not enough data yet", op);
      break;
    }
    if (expired) {
      st = fail(Status::TimedOut, "%s: no data within %lld ms", op, static_cast<long long>(w.timeout_ms));
      break;
    }
    report_starved();  // this reader needs more than is buffered
    if (d && !d->queued && !retain_) direct_enqueue(d);
    ++waiting_readers_;
    expired = !dl.wait(lk, readable_cv_);
    --waiting_readers_;
    if (released_) idle_cv_.notify_all();
  }
  if (d && d->queued) direct_dequeue(d);  // no writer touches dst once the call returns
  return st;
}

Status Stream::take(size_t k, ViewRep** out) noexcept {
  if (!retain_) {
    if (Status st = buf_.split_to(k, out); st != Status::Ok) return st;
    base_ += k;
  } else {
    Span sp = unread_span();
    size_t nseg = 0;
    for (size_t left = k, in = sp.skip; left > 0; ++nseg, in = 0) left -= std::min(sp.segs[nseg].n - in, left);
    ViewRep* v = view_alloc(nseg);
    if (!v) return fail(Status::NoMem, "out of memory for a view of %zu stream bytes", k);
    v->tenant = tenant_;
    size_t in = sp.skip;
    for (size_t i = 0, left = k; left > 0; ++i, in = 0) {
      size_t piece = std::min(sp.segs[i].n - in, left);
      sp.segs[i].b->retain();
      view_push(v, Seg{sp.segs[i].b, sp.segs[i].p + in, piece});
      left -= piece;
    }
    *out = v;
  }
  advanced(k);
  return Status::Ok;
}

bool Stream::drops_in_place(size_t n) const noexcept {
  return !retain_ && buf_.segment_count() > 0 && n < buf_.segs()[0].n;
}

Status Stream::drop(size_t n, ViewRep** taken) noexcept {
  *taken = nullptr;
  if (n == 0) return Status::Ok;
  if (!drops_in_place(n)) return take(n, taken);
  buf_.advance(n);
  base_ += n;
  advanced(n);
  return Status::Ok;
}

void Stream::advanced(size_t k) noexcept {
  pos_ += k;
  sync_ready();
  // Writers blocked at the high-water mark resume once readers brought the
  // unread bytes down to the low-water mark (or a reader waits for more):
  // waking them on every read would cost a context switch per read for one
  // chunk each.
  if (high_water_ && k > 0 && unread() <= low_water_) space_changed();
}

template <typename Ready>
Status Stream::read_copy(void* dst, size_t n, size_t direct_min, const Wait& w, Ready ready, size_t* nread,
                         const char* op) noexcept {
  if (Status st = check_timeout(w.timeout_ms, op); st != Status::Ok) return st;
  ViewRep* v = nullptr;
  {
    CancelScope scope(w, this);
    std::unique_lock<std::mutex> lk = lock_data();
    DirectRead d{static_cast<char*>(dst), n, direct_min};
    DirectRead* dp = direct_min > 0 && n > 0 ? &d : nullptr;
    if (Status st = wait_readable(lk, w, ready, op, dp); st != Status::Ok) return st;
    if (d.filled > 0) {
      *nread = d.filled;
      return Status::Ok;
    }
    if (Status st = take(std::min(n, unread()), &v); st != Status::Ok) return st;
  }
  *nread = copy_taken(v, dst);
  return Status::Ok;
}

size_t Stream::copy_taken(ViewRep* v, void* dst) noexcept {
  // The view keeps the bytes alive and unchanged: no lock needed.
  size_t n = view_copy_out(v, 0, dst, v->len);
  view_release(v);
  return n;
}

Status Stream::read(void* dst, size_t n, int64_t timeout_ms, size_t* nread) noexcept {
  return read_copy(dst, n, n, Wait{timeout_ms, nullptr}, [&] { return closed_ || unread() >= n; }, nread, "read");
}

Status Stream::read1(void* dst, size_t n, int64_t timeout_ms, size_t* nread) noexcept {
  return read_copy(dst, n, 1, Wait{timeout_ms, nullptr}, [&] { return closed_ || n == 0 || unread() > 0; }, nread,
                   "read1");
}

Status Stream::read_nonblock(void* dst, size_t n, size_t* nread) noexcept {
  return read_copy(dst, n, 0, Wait{0, nullptr}, [&] { return closed_ || n == 0 || unread() > 0; }, nread,
                   "read_nonblock");
}

Status Stream::read_into(void* dst, size_t n, size_t min, const Wait& w, size_t* nread) noexcept {
  if (min == 0)  // never waits: Again when nothing is there before EOF
    return read_copy(dst, n, 0, Wait{0, w.cancel}, [&] { return closed_ || n == 0 || unread() > 0; }, nread,
                     "read_into");
  min = std::min(min, n);
  return read_copy(dst, n, min, w, [&] { return closed_ || unread() >= min; }, nread, "read_into");
}

Status Stream::peek(size_t min, size_t max, const Wait& w, ViewRep** out, Handout* h) noexcept {
  if (Status st = check_timeout(w.timeout_ms, "peek"); st != Status::Ok) return st;
  CancelScope scope(w, this);
  std::unique_lock<std::mutex> lk = lock_data();
  Status st = wait_readable(lk, w, [&] { return closed_ || unread() >= min; }, "peek");
  if (st != Status::Ok) return st;
  size_t k = std::min(max, unread());
  Span sp = unread_span();
  ViewRep* v = nullptr;
  if (Status st2 = view_of_segs(sp.segs, sp.nseg, sp.skip, sp.skip + k, &v); st2 != Status::Ok) return st2;
  v->tenant = tenant_;
  *out = v;
  *h = Handout{pos_, k};
  return Status::Ok;
}

Status Stream::consume(Handout* h, size_t n) noexcept {
  ViewRep* v = nullptr;
  {
    std::unique_lock<std::mutex> lk = lock_data();
    if (aborted_) return fail(Status::Aborted, "consume: the stream was aborted (code %d)", abort_code_);
    if (h->position != pos_)
      return fail(Status::State,
                  "consume: the hand-out starts at position %llu but the stream is at %llu (another reader consumed "
                  "or a seek moved it)",
                  static_cast<unsigned long long>(h->position), static_cast<unsigned long long>(pos_));
    if (n > h->length)
      return fail(Status::Range, "consume of %zu bytes from a hand-out of %zu", n, h->length);
    // A hand-out is caller memory: one of another stream's, or a forged
    // one, may claim more than this stream holds.
    if (n > unread())
      return fail(Status::Range, "consume of %zu bytes with %zu unread (not this stream's hand-out)", n, unread());
    if (Status st = drop(n, &v); st != Status::Ok) return st;
    h->position += n;
    h->length -= n;
  }
  if (v) view_release(v);  // may run a write_ref free callback: not under the lock
  return Status::Ok;
}

Status Stream::read_view(size_t n, int64_t timeout_ms, ViewRep** out) noexcept {
  if (Status st = check_timeout(timeout_ms, "read_view"); st != Status::Ok) return st;
  std::unique_lock<std::mutex> lk = lock_data();
  Status st = wait_readable(
      lk, Wait{timeout_ms, nullptr}, [&] { return closed_ || (n != npos && unread() >= n); }, "read_view");
  if (st != Status::Ok) return st;
  return take(std::min(n, unread()), out);
}

bool Stream::find_line(const RecordScanner& sc, LineScan& ls, size_t limit, size_t* pos, size_t* dlen) const noexcept {
  if (ls.at != pos_) ls = LineScan{pos_, 0};
  if (ls.scanned >= limit && limit > 0) return false;
  Span sp = unread_span();
  SegCursor c(sp.segs, sp.nseg);
  // Resume a little before where the last look stopped: an end of line may
  // have begun in its last bytes (the CR of a CRLF).
  c.seek(sp.skip + (ls.scanned > sc.slack() ? ls.scanned - sc.slack() : 0));
  bool found = false;
  size_t p = 0, d = 0;
  // Line ends never fail: their searches need no tables.
  (void)sc.next(c, sp.skip, sp.skip + limit, &found, &p, &d);
  if (!found) {
    ls.scanned = std::max(ls.scanned, limit);
    return false;
  }
  *pos = p - sp.skip;
  *dlen = d;
  return true;
}

size_t Stream::line_end(size_t max, LineScan& sc, bool* has_nl) const noexcept {
  size_t un = unread();
  size_t limit = max ? std::min(un, max) : un;
  *has_nl = false;
  size_t q = 0, d = 0;
  if (find_line(RecordScanner::lines(Eol::Lf), sc, limit, &q, &d)) {
    *has_nl = true;
    return q + 1;
  }
  if (max && un >= max) return max;
  return closed_ ? un : npos;
}

Status Stream::readline(size_t max, int64_t timeout_ms, ViewRep** out) noexcept {
  if (Status st = check_timeout(timeout_ms, "readline"); st != Status::Ok) return st;
  std::unique_lock<std::mutex> lk = lock_data();
  LineScan sc;
  bool nl = false;
  size_t len = npos;
  Status st = wait_readable(
      lk, Wait{timeout_ms, nullptr}, [&] { return (len = line_end(max, sc, &nl)) != npos; }, "readline");
  if (st != Status::Ok) return st;
  return take(len, out);
}

Status Stream::readlines(Record* recs, size_t max_recs, int64_t timeout_ms, size_t* n, ViewRep** out) noexcept {
  if (Status st = check_timeout(timeout_ms, "readlines"); st != Status::Ok) return st;
  if (max_recs == 0) return fail(Status::Inval, "readlines needs room for at least one record");
  std::unique_lock<std::mutex> lk = lock_data();
  LineScan sc;
  bool nl = false;
  size_t len = npos;
  Status st = wait_readable(
      lk, Wait{timeout_ms, nullptr}, [&] { return (len = line_end(0, sc, &nl)) != npos; }, "readlines");
  if (st != Status::Ok) return st;
  if (len == 0) {  // EOF
    *n = 0;
    *out = nullptr;
    return Status::Ok;
  }
  // Every complete line at once (the one scanner's batch step), then at
  // EOF the rest as a last line without "\n".
  size_t count = 0, from = 0;
  const size_t un = unread();
  Span sp = unread_span();
  auto put = [recs](size_t i, size_t off, size_t length, const char*) { recs[i] = Record{off, length, 1}; };
  if (Status st2 = scan_byte_lines(sp.segs, sp.nseg, sp.skip, un, '\n', 0, max_recs, put, &count, &from, "readlines");
      st2 != Status::Ok)
    return st2;
  if (count < max_recs && from < un && closed_) {
    recs[count++] = Record{from, un - from, 0};
    from = un;
  }
  if (Status st2 = take(from, out); st2 != Status::Ok) return st2;
  *n = count;
  return Status::Ok;
}

Status Stream::lines(Eol eol, size_t max_len, Line* lines, size_t max_lines, const Wait& w, size_t* n,
                     ViewRep** out, Handout* h, bool take_them, const char* op) noexcept {
  if (Status st = check_timeout(w.timeout_ms, op); st != Status::Ok) return st;
  if (max_lines == 0) return fail(Status::Inval, "%s needs room for at least one line", op);
  if (Status st = check_eol(eol, op); st != Status::Ok) return st;
  const RecordScanner sc = RecordScanner::lines(eol);
  ViewRep* dropped = nullptr;
  Status result = Status::Ok;
  {
    CancelScope scope(w, this);
    std::unique_lock<std::mutex> lk = lock_data();
    bool found = false;
    size_t q = 0, d = 0;
    if (Status st = wait_line(lk, sc, max_len, w, &found, &q, &d, op); st != Status::Ok) return st;
    // The lines: complete ones, then at EOF a last one without an end.
    const size_t un = unread();
    Span sp = unread_span();
    SegCursor c(sp.segs, sp.nseg);
    size_t count = 0, from = 0;
    if (const int b = sc.single_byte(); b >= 0) {
      // One memchr per line, and each line that lies in one segment gets
      // its address here (the wait above already refused a first line
      // longer than max_len).
      auto put = [lines](size_t i, size_t, size_t length, const char* data) { lines[i] = Line{data, length, 1}; };
      if (Status st2 = scan_byte_lines(sp.segs, sp.nseg, sp.skip, un, static_cast<char>(b), max_len, max_lines, put,
                                       &count, &from, op);
          st2 != Status::Ok)
        return st2;
    } else {
      while (count < max_lines && from < un) {
        c.seek(sp.skip + from);
        bool found = false;
        size_t q = 0, d = 0;
        (void)sc.next(c, sp.skip + from, sp.skip + un, &found, &q, &d);
        if (!found) break;
        q -= sp.skip;
        if (max_len && q - from > max_len) break;  // the first one was checked above
        lines[count++] = Line{nullptr, q - from, d};
        from = q + d;
      }
    }
    // At EOF the rest is a last line without an end (unless a line too
    // long stopped the scan: then the rest is longer than max_len too).
    if (count < max_lines && from < un && closed_ && (!max_len || un - from <= max_len)) {
      lines[count++] = Line{nullptr, un - from, 0};
      from = un;
    }
    ViewRep* v = nullptr;
    if (Status st2 = contiguous_lines(buf_.pool(), tenant_, sp.segs, sp.nseg, sp.skip, lines, count, from, &v);
        st2 != Status::Ok)
      return st2;
    if (take_them && from > 0) {
      // Consume what was handed out; the view keeps the bytes alive.
      result = take(from, &dropped);
      if (result != Status::Ok) {
        view_release(v);
        return result;
      }
    }
    if (h) *h = Handout{pos_ - (take_them ? from : 0), from};
    *out = v;
    *n = count;
  }
  if (dropped) view_release(dropped);  // may run a free callback: not under the lock
  return Status::Ok;
}

Status Stream::wait_line(std::unique_lock<std::mutex>& lk, const RecordScanner& sc, size_t max_len, const Wait& w,
                         bool* found, size_t* q, size_t* d, const char* op) noexcept {
  LineScan ls;
  bool too_long = false;
  Status st = wait_readable(
      lk, w,
      [&] {
        size_t un = unread();
        if ((*found = find_line(sc, ls, un, q, d))) {
          too_long = max_len && *q > max_len;
          return true;
        }
        // Open, an end of line may still complete within slack more bytes;
        // closed, the rest is the last line as it is.
        too_long = past_limit(un, max_len, closed_ ? 0 : sc.slack());
        return too_long || closed_;
      },
      op);
  if (st != Status::Ok) return st;
  if (too_long) return fail(Status::Limit, "%s: line longer than max_len %zu", op, max_len);
  return Status::Ok;
}

Status Stream::read_line(Eol eol, size_t max_len, void* dst, size_t cap, const Wait& w, size_t* len,
                         size_t* eol_len) noexcept {
  static constexpr const char* op = "read_line";
  if (Status st = check_timeout(w.timeout_ms, op); st != Status::Ok) return st;
  if (Status st = check_eol(eol, op); st != Status::Ok) return st;
  const RecordScanner sc = RecordScanner::lines(eol);
  ViewRep* v = nullptr;
  {
    CancelScope scope(w, this);
    std::unique_lock<std::mutex> lk = lock_data();
    bool found = false;
    size_t q = 0, d = 0;
    if (Status st = wait_line(lk, sc, max_len, w, &found, &q, &d, op); st != Status::Ok) return st;
    if (!found) q = unread();  // at EOF: the rest is the last line (nothing left: 0)
    *len = q;
    *eol_len = d;
    const size_t n = q + d;
    if (n > cap) return fail(Status::Range, "%s: the line and its end take %zu bytes, dst holds %zu", op, n, cap);
    // The usual line ends inside the first block: copied here, and dropped
    // in place. Any other is taken as a view and copied once the lock is
    // dropped.
    if (drops_in_place(n)) std::memcpy(dst, buf_.segs()[0].p, n);
    if (Status st = drop(n, &v); st != Status::Ok) return st;
  }
  if (v) copy_taken(v, dst);  // releases v, which may run a write_ref free callback: not under the lock
  return Status::Ok;
}

Status Stream::peek_lines(Eol eol, size_t max_len, Line* lines_out, size_t max_lines, const Wait& w, size_t* n,
                          ViewRep** out, Handout* h) noexcept {
  return lines(eol, max_len, lines_out, max_lines, w, n, out, h, false, "peek_lines");
}

Status Stream::read_lines(Eol eol, size_t max_len, Line* lines_out, size_t max_lines, const Wait& w, size_t* n,
                          ViewRep** out) noexcept {
  return lines(eol, max_len, lines_out, max_lines, w, n, out, nullptr, true, "read_lines");
}

size_t Stream::readable_amount() const noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  return aborted_ ? 0 : unread();
}

bool Stream::at_eof() const noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  return !aborted_ && closed_ && unread() == 0;
}

Status Stream::find(const void* needle, size_t m, size_t start, size_t end, size_t* pos) const noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  if (aborted_) return fail(Status::Aborted, "find: the stream was aborted (code %d)", abort_code_);
  size_t un = unread();
  if (start > un && m) return fail(Status::Range, "find start %zu beyond the %zu unread bytes", start, un);
  Span sp = unread_span();
  size_t q = npos;
  Status st = seg_find(sp.segs, sp.nseg, sp.total, static_cast<const char*>(needle), m, sp.skip + start,
                       sp.skip + std::min(end, un), &q);
  if (st != Status::Ok) return st;
  *pos = q == npos ? npos : q - sp.skip;
  return Status::Ok;
}

Status Stream::seek(int64_t offset, int whence, uint64_t* pos) noexcept {
  if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
    return fail(Status::Inval, "seek: whence %d is not SEEK_SET, SEEK_CUR or SEEK_END", whence);
  std::lock_guard<std::mutex> lk(mu_);
  if (!retain_) return fail(Status::State, "seek needs a stream in retained mode");
  if (aborted_) return fail(Status::Aborted, "seek: the stream was aborted (code %d)", abort_code_);
  if (whence == SEEK_END && !closed_) return fail(Status::State, "seek: SEEK_END before EOF");
  uint64_t origin = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? pos_ : written_;
  // -(offset + 1) cannot overflow, even for INT64_MIN.
  bool ok = offset < 0 ? static_cast<uint64_t>(-(offset + 1)) < origin
                       : static_cast<uint64_t>(offset) <= written_ - origin;
  if (!ok)
    return fail(Status::Range, "seek by %lld from %llu leaves the %llu bytes written", static_cast<long long>(offset),
                static_cast<unsigned long long>(origin), static_cast<unsigned long long>(written_));
  pos_ = origin + static_cast<uint64_t>(offset);
  readers_changed();
  if (high_water_) space_changed();
  if (pos) *pos = pos_;
  return Status::Ok;
}

uint64_t Stream::tell() const noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  return pos_;
}

}  // namespace chunkbuf
