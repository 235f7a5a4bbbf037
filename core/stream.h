// Stream: a thread-safe Buffer with a writer side (write, close for EOF,
// abort with an error) and a blocking reader side (read, readline, ...).
//
// One mutex guards everything; readers wait on `readable_cv_` for data, EOF
// or abort, writers wait on `space_cv_` while a high-water mark holds them
// back. Reads hand bytes out as Views taken under the lock and copied after
// it is dropped, so a user free callback never runs with the lock held.
//
// One copy: a reader blocked in a bulk read into its own memory (read,
// read1, read_into) queues that destination, and a copying write with
// nothing buffered ahead of it copies straight into it, as Go's io.Pipe
// does (stream_direct.cpp); what does not fit is buffered as usual.
//
// Positions are absolute stream offsets: `pos_` is the read position and
// `base_` the offset of the Buffer's first byte. Streaming mode consumes
// from the Buffer (base_ == pos_); retained mode keeps every byte written
// (base_ == 0) so the reader can seek back.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>

#include <pthread.h>

#include "buffer.h"
#include "cancel.h"
#include "cursor.h"
#include "line_handout.h"
#include "pool.h"
#include "scan.h"
#include "segment.h"
#include "spin.h"
#include "status.h"
#include "view.h"

namespace chunkbuf {

inline constexpr uint64_t kUnknownLength = UINT64_MAX;

struct StreamOptions {
  Pool* pool = nullptr;                      // nullptr: Pool::default_pool()
  uint64_t content_length = kUnknownLength;  // else the EOF point
  bool retain = false;                       // keep read bytes for seek/tell
  size_t high_water = 0;                     // 0: writes never wait
  size_t low_water = 0;                      // wake waiting writers at this many unread
                                             // bytes (< high_water); 0: high_water / 2
  size_t max_bytes = 0;                      // bytes held at once; 0: unlimited
  uint32_t tenant = 0;
};

// How one blocking call may wait: its timeout (see below) and an optional
// cancel token that wakes it with Canceled.
struct Wait {
  int64_t timeout_ms = -1;
  Cancel* cancel = nullptr;
  // Set by the call's CancelScope: the token's fire count when the call
  // began, so a fire is seen even if the token was reset before the woken
  // call looked at it.
  mutable uint64_t cancel_fires = 0;
};

// What a peek handed out: the stream position of its first byte and how
// many bytes from there may still be consumed against it.
struct Handout {
  uint64_t position = 0;
  size_t length = 0;
};

// A reader waiting in a bulk read: writers copy into dst[filled..cap)
// while it is queued, but only while nothing is buffered (stream order)
// and only so much that filled reaches min at once (a reader is never left
// holding fewer bytes than it waits for). Queued and unqueued under the
// stream's lock.
struct DirectRead {
  char* dst = nullptr;
  size_t cap = 0;
  size_t min = 0;
  size_t filled = 0;
  bool queued = false;
  DirectRead* prev = nullptr;
  DirectRead* next = nullptr;
};

// Runs when an armed PendingRead becomes ready (see Stream::read_start).
using ReadyFn = void (*)(void* arg);

// Whether this thread is running a ready callback of any stream (for a
// call that may lock any stream: firing a token).
bool in_ready_callback() noexcept;

// A bulk read that waits without blocking a thread: the caller's memory,
// owned by the caller; the stream links it while it is armed.
struct PendingRead {
  ReadyFn fn = nullptr;
  void* arg = nullptr;
  DirectRead d;
  bool armed = false;
  bool notified = false;  // fn ran since the read was (re)armed
  bool space = false;     // a wait for room to write d.min bytes (space_start)
  // A wait (wait_start): also ready once the stream's end reaches this
  // offset (min bytes past the read position when it was armed), so bytes
  // that other readers took meanwhile do not keep it waiting.
  uint64_t end = 0;
  PendingRead* prev = nullptr;
  PendingRead* next = nullptr;
};

// Every timeout_ms below: -1 waits forever, 0 fails with Again instead of
// waiting, > 0 fails with TimedOut once that many milliseconds have passed.
// Any other negative value is Inval.
class Stream {
 public:
  Stream() noexcept = default;
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  // Once, before any other call.
  Status init(const StreamOptions& opts) noexcept;

  // -- shared ownership. The creator holds one reference. release() drops
  // one; when it was the last, every call still blocked on the stream wakes
  // with Handle, release() waits until they have left the stream, and
  // returns true: the caller then destroys the stream.
  void retain() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  bool release() noexcept;
  // Whether the calling thread is running one of this stream's ready
  // callbacks, which run under its lock: the C API refuses the stream's
  // calls from there (they would deadlock) instead of entering it.
  bool in_own_callback() const noexcept {
    const unsigned long t = callback_thread_.load(std::memory_order_relaxed);
    return t != 0 && t == static_cast<unsigned long>(pthread_self());
  }
  // Calls blocked right now (readers: waiting for data; writers: held by
  // the high-water mark). Lets tests wait until a call really blocks.
  void waiting(size_t* readers, size_t* writers) const noexcept;
  // Notifies every waiter so it re-checks its condition (Cancel::fire).
  void wake() noexcept;
  // A cancel scope entered / left the stream (see CancelScope).
  void scope_enter() noexcept;
  void scope_leave() noexcept;

  // -- writer side. All or nothing: Aborted, Limit (content_length or
  // max_bytes), Closed; with a high-water mark waits while that many unread
  // bytes are buffered, unless a reader is waiting for more than is there.
  // A copying write hands what blocked bulk readers take straight to them
  // (max_bytes counts only the bytes it buffers). With a Wait, the wait for
  // back-pressure also ends with Canceled (its token) or Handle (release),
  // nothing written.
  Status write(const void* data, size_t n, const Wait& w) noexcept;
  Status write(const void* data, size_t n, int64_t timeout_ms) noexcept { return write(data, n, Wait{timeout_ms, nullptr}); }
  // Zero copy; fn(ud) runs once when the bytes are no longer referenced,
  // also when the write fails.
  Status write_ref(const void* data, size_t n, FreeFn fn, void* ud, const Wait& w) noexcept;
  Status write_ref(const void* data, size_t n, FreeFn fn, void* ud, int64_t timeout_ms) noexcept {
    return write_ref(data, n, fn, ud, Wait{timeout_ms, nullptr});
  }
  Status write_view(const ViewRep* v, const Wait& w) noexcept;
  Status write_view(const ViewRep* v, int64_t timeout_ms) noexcept { return write_view(v, Wait{timeout_ms, nullptr}); }
  // EOF after the bytes written so far. Idempotent; Aborted after abort.
  Status close() noexcept;
  // Readers (blocked and later) and writers get Aborted; the buffered bytes
  // are dropped. The first code is kept; later aborts are no-ops.
  void abort(int code) noexcept;
  // State when the stream was not aborted.
  Status abort_code(int* code) const noexcept;

  // -- reader side. Every call fails with Aborted after abort and consumes
  // nothing when it fails.
  // Waits for n unread bytes or EOF; *nread < n only at EOF (0: EOF).
  Status read(void* dst, size_t n, int64_t timeout_ms, size_t* nread) noexcept;
  // Waits for one unread byte or EOF, then copies up to n.
  Status read1(void* dst, size_t n, int64_t timeout_ms, size_t* nread) noexcept;
  // Again when nothing is unread before EOF.
  Status read_nonblock(void* dst, size_t n, size_t* nread) noexcept;
  // read() as a zero-copy view; n == npos waits for EOF and takes it all.
  Status read_view(size_t n, int64_t timeout_ms, ViewRep** out) noexcept;
  // One line including "\n", or max bytes (max 0: unlimited), or the rest
  // before EOF. An empty view means EOF.
  Status readline(size_t max, int64_t timeout_ms, ViewRep** out) noexcept;
  // Waits for a complete line or EOF, then takes up to max_recs lines (the
  // last one at EOF may lack "\n") as one view. *n = 0, *out = nullptr at EOF.
  Status readlines(Record* recs, size_t max_recs, int64_t timeout_ms, size_t* n, ViewRep** out) noexcept;

  // Waits (per w) until min(min, n) bytes are unread or EOF, then copies up
  // to n of them into dst: min == n is read(), min == 1 is read1(), and
  // min == 0 never waits (Again when nothing is unread before EOF).
  Status read_into(void* dst, size_t n, size_t min, const Wait& w, size_t* nread) noexcept;
  // Waits until min unread bytes or EOF, then hands out up to max of the
  // unread bytes as a view without consuming them (*out is empty at EOF,
  // and when min == 0 and nothing is unread). *h records what was handed
  // out for consume().
  Status peek(size_t min, size_t max, const Wait& w, ViewRep** out, Handout* h) noexcept;
  // Consumes n bytes of hand-out h, which must start at the read position
  // (State if another reader consumed or a seek moved it since; Range when
  // n > h->length). h then describes the rest of the hand-out.
  Status consume(Handout* h, size_t n) noexcept;

  // Waits until a complete line (style eol) or EOF is unread, then hands
  // out up to max_lines lines from the read position without consuming
  // them: lines[i] points into *out, a view that holds exactly the bytes
  // handed out (lines and their ends of line), and *h covers them; consume
  // a line with consume(h, length + eol_length). At EOF the last line may
  // lack an end of line; *n = 0 (and *out is empty) once nothing is left.
  // Limit when the first line is longer than max_len (0: unlimited),
  // nothing consumed.
  Status peek_lines(Eol eol, size_t max_len, Line* lines, size_t max_lines, const Wait& w, size_t* n,
                    ViewRep** out, Handout* h) noexcept;
  // The same, consuming the lines handed out.
  Status read_lines(Eol eol, size_t max_len, Line* lines, size_t max_lines, const Wait& w, size_t* n,
                    ViewRep** out) noexcept;
  // Waits as peek_lines does, then copies the first line and its end of
  // line into dst and consumes them: *len is the line's length, *eol_len
  // its end of line's (0 for a last line at EOF; both 0 once nothing is
  // left). Range when the two take more than cap (*len and *eol_len set,
  // nothing consumed); Limit as peek_lines.
  Status read_line(Eol eol, size_t max_len, void* dst, size_t cap, const Wait& w, size_t* len,
                   size_t* eol_len) noexcept;

  // -- a bulk read that waits without blocking its thread, for callers that
  // park their own task (a goroutine, a coroutine) instead
  // (stream_pending.cpp). read_start does what read_into(dst, n, min) would
  // when it need not wait (*armed false; min is at least 1 and at most n);
  // otherwise it arms p: p waits as a blocked read does (its dst takes
  // direct fills, it counts as a waiting reader and as a starved one for
  // back-pressure) and p->fn(p->arg) runs once, on the thread that made p
  // ready and with the stream's lock held, when p may finish: bytes filled
  // or buffered to min, EOF or abort. fn must not call into the stream.
  // The caller keeps a reference to the stream and dst untouched while p
  // is armed.
  Status read_start(PendingRead* p, void* dst, size_t n, size_t min, ReadyFn fn, void* arg, bool* armed,
                    size_t* nread) noexcept;
  // Arms p as a wait for min (at least 1) unread bytes, which consumes
  // nothing: as read_start without a destination (no direct fills; ready
  // at min unread bytes, EOF or abort). *armed false when there is nothing
  // to wait for (min bytes unread, or EOF); Aborted after abort.
  Status wait_start(PendingRead* p, size_t min, ReadyFn fn, void* arg, bool* armed) noexcept;
  // Arms p as a wait for room to write n bytes, the writer's side of
  // wait_start: ready once a write of n bytes would not wait for
  // back-pressure (no mark, below it, or a reader starved), or at close or
  // abort (the write then reports them). It counts as a waiting writer.
  // *armed false when there is room now; Closed, Aborted or Limit when a
  // write of n bytes would fail now.
  Status space_start(PendingRead* p, size_t n, ReadyFn fn, void* arg, bool* armed) noexcept;
  // Finishes armed read p: Ok with the bytes filled or copied now (0 at
  // EOF; always 0 for a wait or a space wait), Aborted (not for a space
  // wait), or, when p is not ready yet, Again with p still armed (fn runs
  // again once it is) unless cancel is set: then Canceled with nothing
  // consumed. Every status but Again disarms p. State when p is not armed.
  Status read_finish(PendingRead* p, bool cancel, size_t* nread) noexcept;

  // Unread bytes now (0 after abort).
  size_t readable_amount() const noexcept;
  // EOF was signalled and nothing is unread (false after abort).
  bool at_eof() const noexcept;
  // First needle occurrence within [start, end) of the unread bytes,
  // relative to the read position; npos when absent. Never waits.
  Status find(const void* needle, size_t m, size_t start, size_t end, size_t* pos) const noexcept;
  // Retained mode only (else State). whence is SEEK_SET, SEEK_CUR or
  // SEEK_END (State before EOF); Range for a target outside [0, written].
  Status seek(int64_t offset, int whence, uint64_t* pos) noexcept;
  // The absolute read position.
  uint64_t tell() const noexcept;
  // An eventfd that is readable exactly while data, EOF or abort is there.
  // The fd is kept in step only from the first call on: until someone asks
  // for it, the hand-off path makes no eventfd system calls.
  int readiness_fd() const noexcept;

 private:
  // The unread bytes are [skip, total) of the segment run segs[0..nseg).
  struct Span {
    const Seg* segs;
    size_t nseg;
    size_t skip;
    size_t total;
  };
  // Remembers how far a reader has looked for an end of line, so waiting
  // for a long line rescans only the bytes that arrived since.
  struct LineScan {
    uint64_t at = UINT64_MAX;  // read position the scan started from
    size_t scanned = 0;        // unread bytes known to hold no "\n"
  };

  size_t unread() const noexcept { return static_cast<size_t>(base_ + buf_.size() - pos_); }
  Span unread_span() const noexcept;
  // mu_ for a call that moves data (writes, reads, peeks and consumes, line
  // reads, a pending read's start and finish). A writer and a reader on two
  // cores take it for the length of a copy; a plain lock puts the loser to
  // sleep in the kernel and the winner pays its wake-up, which costs more
  // than the copy, so these spin briefly first. A reader woken from its
  // wait takes mu_ back the plain way: spinning there, while the writer
  // that woke it is still finishing, made a hand-off's round trip slower.
  std::unique_lock<std::mutex> lock_data() const noexcept { return lock_spinning(mu_, kDataLockSpins); }
  static constexpr int kDataLockSpins = 100;
  // The smallest write that copies its bytes without holding the lock (a
  // claim of buffer space, then the copy, then the bytes are added), so
  // readers taking bytes meanwhile do not wait for the copy.
  static constexpr size_t kUnlockedCopyMin = 16384;
  // Waits (lock held) until ready() or abort, release or cancel. Reports
  // the reader as starved to back-pressured writers while it waits. With d
  // (streaming mode) the reader's destination is queued for writers while
  // it waits; once a writer filled some of it, that is what the call
  // returns, whatever else happened meanwhile (the bytes are the reader's).
  template <typename Ready>
  Status wait_readable(std::unique_lock<std::mutex>& lk, const Wait& w, Ready ready, const char* op,
                       DirectRead* d = nullptr) noexcept;
  // The direct-read queue (stream_direct.cpp; lock held).
  void direct_enqueue(DirectRead* d) noexcept;
  void direct_dequeue(DirectRead* d) noexcept;
  // How many of n bytes written now the queued readers take.
  size_t direct_room(size_t n) const noexcept;
  // Copies the first k bytes of data into the queued readers (k from
  // direct_room) and moves the read position past them.
  void direct_fill(const char* data, size_t k) noexcept;
  // Checks the write of n bytes and waits out the high-water mark.
  Status wait_writable(std::unique_lock<std::mutex>& lk, size_t n, const Wait& w, const char* op) noexcept;
  // Why a waiting call must stop now (Ok: it may keep waiting).
  Status interrupted(const Wait& w, const char* op) const noexcept;
  Status check_writable(size_t n, const char* op) const noexcept;
  // Bookkeeping after n bytes were appended (lock held).
  void wrote(size_t n) noexcept;
  // A cancel scope, or a write's copy outside the lock, left (lock held):
  // a waiting last release() may go on once none is left.
  void scope_left() noexcept;
  // Moves the next k unread bytes into a view (lock held).
  Status take(size_t k, ViewRep** out) noexcept;
  // Whether the next n unread bytes end inside the first block: dropping
  // them then releases no block (no free_fn under the lock) and needs no
  // view, so a reader consuming line by line allocates nothing per line.
  bool drops_in_place(size_t n) const noexcept;
  // Consumes the next n unread bytes (lock held): in place when
  // drops_in_place(n), else through take() into *taken (nullptr otherwise),
  // which the caller releases once the lock is dropped.
  Status drop(size_t n, ViewRep** taken) noexcept;
  // Copies a view from take() into dst and releases it (lock not held: the
  // release may run a write_ref free callback); the bytes copied.
  static size_t copy_taken(ViewRep* v, void* dst) noexcept;
  void advanced(size_t k) noexcept;  // the read position moved k bytes on
  // The first end of line (style sc) within the first `limit` unread bytes,
  // resuming where ls says an earlier look at this read position stopped:
  // *pos where it starts, *dlen its length.
  bool find_line(const RecordScanner& sc, LineScan& ls, size_t limit, size_t* pos, size_t* dlen) const noexcept;
  // Length of the next line (with its "\n") if one can be taken now.
  size_t line_end(size_t max, LineScan& sc, bool* has_nl) const noexcept;
  // Waits (lock held) until a complete line or EOF is unread: *found says
  // whether a line is complete, *q and *d where its end of line starts and
  // how long it is. Limit when the first line is longer than max_len (0:
  // unlimited).
  Status wait_line(std::unique_lock<std::mutex>& lk, const RecordScanner& sc, size_t max_len, const Wait& w,
                   bool* found, size_t* q, size_t* d, const char* op) noexcept;
  // Waits for a line (or EOF) and hands lines out as peek_lines says;
  // consumes them when take is set.
  Status lines(Eol eol, size_t max_len, Line* lines, size_t max_lines, const Wait& w, size_t* n, ViewRep** out,
               Handout* h, bool take, const char* op) noexcept;
  // Waits for ready(), then copies min(n, unread) bytes into dst. With
  // direct_min > 0 a writer may fill dst directly with at least that many
  // bytes while the call waits.
  template <typename Ready>
  Status read_copy(void* dst, size_t n, size_t direct_min, const Wait& w, Ready ready, size_t* nread,
                   const char* op) noexcept;
  // Makes the eventfd's readability match the state, once it is watched
  // (lock held).
  void sync_ready() const noexcept;
  // The readable state changed (bytes, EOF, abort, a seek): keeps the
  // eventfd in step and wakes blocked readers and ready pending reads
  // (lock held).
  void readers_changed() noexcept;
  // A reader waits for more than is buffered: lets writers held at the
  // high-water mark pass it once (lock held).
  void report_starved() noexcept;
  // A write of n bytes would not wait for back-pressure now (lock held).
  bool room_for(size_t n) const noexcept {
    return n == 0 || high_water_ == 0 || unread() < high_water_ || starved_gen_ == write_gen_;
  }
  // Writers held at the mark may go on: wakes the blocked ones and runs fn
  // of each armed space wait that became ready (lock held).
  void space_changed() noexcept;
  bool space_ready(const PendingRead* p) const noexcept { return aborted_ || closed_ || room_for(p->d.min); }
  void space_disarm(PendingRead* p) noexcept;
  // Runs fn of each armed pending read that became ready (lock held).
  void notify_pending() noexcept;
  // Runs p's fn, marked as this stream's callback on this thread (lock held).
  void run_ready(PendingRead* p) noexcept;
  bool pending_ready(const PendingRead* p) const noexcept;
  void pending_disarm(PendingRead* p) noexcept;
  // Links p, armed, as a waiting reader (lock held).
  void pending_arm(PendingRead* p, void* dst, size_t n, size_t min, ReadyFn fn, void* arg) noexcept;

  mutable std::mutex mu_;
  std::condition_variable readable_cv_;
  std::condition_variable space_cv_;
  std::condition_variable idle_cv_;  // release() waits here for calls to leave
  std::atomic<uint32_t> refs_{1};
  std::atomic<unsigned long> callback_thread_{0};  // pthread_self() of a running ready callback
  bool released_ = false;      // the last reference is gone
  size_t waiting_readers_ = 0;  // calls inside a wait (lock held to change)
  size_t waiting_writers_ = 0;
  size_t scopes_ = 0;           // cancel scopes, and writes copying outside mu_
  DirectRead* direct_head_ = nullptr;  // blocked bulk readers, oldest first
  DirectRead* direct_tail_ = nullptr;
  PendingRead* pending_head_ = nullptr;  // armed pending reads
  PendingRead* space_head_ = nullptr;    // armed space waits
  Buffer buf_;
  bool retain_ = false;
  bool closed_ = false;
  bool aborted_ = false;
  mutable bool ready_ = false;  // the eventfd is readable
  mutable bool watched_ = false;  // readiness_fd() was asked for: keep the fd in step
  int abort_code_ = 0;
  int efd_ = -1;
  uint32_t tenant_ = 0;
  size_t high_water_ = 0;
  size_t low_water_ = 0;
  uint64_t content_length_ = kUnknownLength;
  uint64_t written_ = 0;
  uint64_t pos_ = 0;
  uint64_t base_ = 0;
  // Back-pressure: writers may pass the high-water mark once a reader has
  // reported, since the last write, that it waits for more than is there.
  uint64_t write_gen_ = 0;
  uint64_t starved_gen_ = UINT64_MAX;
  // Retained mode: the segment holding pos_ (index, absolute offset), so
  // sequential reads stay linear in the segment count.
  mutable size_t cur_idx_ = 0;
  mutable size_t cur_base_ = 0;
};

}  // namespace chunkbuf
