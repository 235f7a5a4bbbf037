// Buffer: a growable chain of (block, pointer, length) segments.
//
// Writes copy into the buffer's own write block (the tail block it
// allocated), or adopt memory by reference. Consuming drops segments from
// the front; split_to and the take_* calls hand bytes out as Views without
// copying. One owner at a time (not thread-safe), like std::vector.
//
// Every mutating call is all-or-nothing: on failure the bytes and the
// reservation state are exactly what they were.
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>

#include "line_handout.h"
#include "pool.h"
#include "scan.h"
#include "segment.h"
#include "status.h"
#include "view.h"

namespace chunkbuf {

struct BufferOptions {
  Pool* pool = nullptr;  // nullptr: Pool::default_pool()
  size_t max_bytes = 0;  // 0: unlimited
  size_t min_chunk = 0;  // 0: kMinBlock
  uint32_t tenant = 0;
  // Linear backend: keep the readable bytes contiguous in one growable
  // block (compacting in place when no view shares it); adopted memory and
  // appended views are copied in.
  bool linear = false;
};

enum class Order { Big = 0, Little = 1 };

// The unsigned integer in the width (1..8) bytes at p, in order.
inline uint64_t decode_uint(const unsigned char* p, size_t width, Order order) noexcept {
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) v = (v << 8) | p[order == Order::Big ? i : width - 1 - i];
  return v;
}

struct Record {
  size_t offset;
  size_t length;
  size_t delim_length;
};

class Buffer {
 public:
  Buffer() noexcept;
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  // Binds the pool and tenant; must be called once before use (a
  // default-constructed Buffer uses the default pool with no limits).
  Status init(const BufferOptions& opts) noexcept;

  size_t size() const noexcept { return len_; }
  size_t segment_count() const noexcept { return segs_.size(); }
  const Seg* segs() const noexcept { return segs_.begin(); }
  bool reserved() const noexcept { return reserved_; }
  bool linear() const noexcept { return linear_; }
  size_t max_bytes() const noexcept { return max_bytes_; }
  Pool* pool() const noexcept { return pool_; }
  TenantRec* tenant_rec() const noexcept { return tenant_; }

  // write side
  Status append(const void* data, size_t n) noexcept;
  Status append_ref(const void* data, size_t n, FreeFn fn, void* ud) noexcept;
  Status append_refv(const struct iovec* iov, size_t cnt, FreeFn fn, void* ud) noexcept;
  Status append_view(const ViewRep* v) noexcept;
  // An append in two steps, for a caller that copies without holding the
  // lock that guards the buffer (Stream::write). claim sets n contiguous
  // bytes of the write block aside and gives their address and a reference
  // to their block; nothing is added yet, and other appends go after them.
  // publish adds them once the caller has filled them, taking over that
  // reference (released, and nothing added, when it fails: max_bytes, a
  // reservation open, out of memory). The reference keeps the block from
  // being slid or reused meanwhile. claim fails (State) in linear mode.
  Status claim(size_t n, Block** b, char** dst) noexcept;
  Status publish(Block* b, char* p, size_t n) noexcept;
  // Appends head bytes (copied), the view's bytes (zero copy) and tail
  // bytes (copied) as one all-or-nothing step: how framers add a prefix or
  // a delimiter around a payload without copying the payload.
  Status append_framed(const void* head, size_t hn, const ViewRep* v, const void* tail, size_t tn) noexcept;
  // Puts bytes before the first byte: copied, or a view's segments (zero
  // copy; the linear backend copies).
  Status prepend(const void* data, size_t n) noexcept;
  Status prepend_view(const ViewRep* v) noexcept;
  Status reserve(size_t n, struct iovec* iov, size_t max_iov, size_t* n_iov) noexcept;
  Status commit(size_t n) noexcept;
  Status read_from_fd(int fd, size_t max, size_t* nread) noexcept;

  // builder (buffer_builder.cpp): the buffer as axon's BufferMut / a
  // pooled buffer. capacity() = bytes held plus the bytes that fit in the
  // write block without taking another block.
  size_t capacity() const noexcept;
  // Makes the write block's tail hold `additional` more bytes, taking a
  // block now if it does not (within max_bytes).
  Status ensure_capacity(size_t additional) noexcept;
  // Every byte as one view of kind `kind`, without copying; the buffer is
  // then empty (and may be written again).
  Status freeze(uint32_t kind, ViewRep** out) noexcept;

  // inspect
  Status find(const void* needle, size_t m, size_t start, size_t end, size_t* pos) const noexcept;
  Status rfind(const void* needle, size_t m, size_t start, size_t end, size_t* pos) const noexcept;
  size_t peek(size_t n, struct iovec* iov, size_t max_iov) const noexcept;
  Status coalesce(size_t n, const void** data) noexcept;
  bool equals(const void* data, size_t n) const noexcept;
  Status copy_out(size_t offset, void* dst, size_t n, size_t* copied) const noexcept;
  Status peek_uint(size_t offset, size_t width, Order order, uint64_t* out) const noexcept;
  // A zero-copy view of bytes [start, start + n) without consuming them.
  Status slice(size_t start, size_t n, ViewRep** out) const noexcept;

  // consume
  Status advance(size_t n) noexcept;
  Status read(void* dst, size_t n, size_t* nread) noexcept;
  Status split_to(size_t n, ViewRep** out) noexcept;
  Status take_until(const void* delim, size_t dlen, bool include, size_t max_len, ViewRep** out) noexcept;
  // One line, without its end of line, as a view of one segment: a line
  // that straddles segments is copied once (coalesced) first.
  Status take_line(Eol eol, size_t max_len, ViewRep** out) noexcept;
  // One line, without its end of line, copied into dst (cap bytes) and
  // consumed with its end of line; *len is its length. Range (and *len
  // the length it needs) when it does not fit: nothing is consumed.
  Status read_line(Eol eol, size_t max_len, void* dst, size_t cap, size_t* len) noexcept;
  // Batch takes: up to max_recs complete records as one view plus their
  // positions in it.
  Status take_lines(Eol eol, size_t max_len, Record* recs, size_t max_recs, size_t* n, ViewRep** out) noexcept;
  Status take_records(const void* delim, size_t dlen, size_t max_len, Record* recs, size_t max_recs, size_t* n,
                      ViewRep** out) noexcept;
  // take_lines handing the lines out as pointer+length: up to max_lines
  // complete lines (without their ends of line, as Line says), consumed
  // with their ends of line, and *out a view of those bytes in which every
  // line is contiguous (only a line that straddles segments is copied).
  // *n = 0 and *out = nullptr when no complete line is buffered; Limit as
  // take_lines.
  Status read_lines(Eol eol, size_t max_len, Line* lines, size_t max_lines, size_t* n, ViewRep** out) noexcept;
  // The batch takes without taking: records for the complete lines (or
  // records) at the front, located from the buffer's first byte.
  Status peek_lines(Eol eol, size_t max_len, Record* recs, size_t max_recs, size_t* n) const noexcept;
  Status peek_records(const void* delim, size_t dlen, size_t max_len, Record* recs, size_t max_recs,
                      size_t* n) const noexcept;
  Status write_to_fd(int fd, size_t max, size_t* nwritten) noexcept;

  // Drops every byte (and any open reservation).
  void clear() noexcept;

 private:
  Status check_mutable(const char* op) const noexcept;
  Status check_room(size_t n, const char* op) const noexcept;
  // With max_bytes set, the buffer keeps at most this many segments
  // (max_bytes / kSegmentCharge, at least kMinSegmentBudget): beyond it,
  // adopted memory and appended views are copied in, so the limit bounds
  // the segment metadata as well as the bytes.
  static constexpr size_t kSegmentCharge = 256;
  static constexpr size_t kMinSegmentBudget = 64;
  size_t segment_budget() const noexcept;
  // Makes the write block's tail hold `total` more bytes (and the segment
  // list one more segment) for copies.
  Status make_tail_room(size_t total) noexcept;
  // Next block size for a write needing `need` more bytes.
  size_t next_block_size(size_t need) const noexcept;
  Status new_block(size_t need, Block** out) noexcept;
  // Linear backend (buffer_linear.cpp): makes the write block's tail hold n
  // more bytes while the readable bytes stay one segment at the start of
  // that block; linear_prepare also secures the segment slot.
  Status make_linear_room(size_t n) noexcept;
  Status linear_prepare(size_t n) noexcept;
  // Copies adopted memory / a framed view in (the linear backend adopts
  // nothing).
  Status linear_copy_in(const struct iovec* iov, size_t cnt, size_t total) noexcept;
  Status linear_append_framed(const Seg& head, const ViewRep* v, const Seg& tail) noexcept;
  // Copies n bytes from src in front of the readable bytes (n > 0).
  Status linear_prepend(const Seg* src, size_t nseg, size_t n) noexcept;
  Status linear_copy_in_segs(const Seg* src, size_t nseg, size_t n) noexcept;
  // The segmented backend's copying prepend: one new block in front.
  Status prepend_copy(const Seg* src, size_t nseg, size_t n) noexcept;
  // Copies n bytes from segs into the (prepared) write block tail.
  void copy_into_tail(const Seg* segs, size_t nseg, size_t n) noexcept;
  // When an append of n bytes does not fit after the write block's last
  // byte, but the buffer's bytes (at most half of what the block leaves
  // for them) are all that is left in it and nothing else references it
  // (no view, no other segment), moves them to the block's start, as
  // bytes.Buffer slides its contents down: an append/consume cycle then
  // keeps reusing the same cache-hot bytes instead of cycling through
  // fresh blocks. The memmove is at most half a block per block of
  // appends. True when it made room.
  bool slide_write_block(size_t n) noexcept;
  // A reference on the write block while a caller's source that lies in it
  // (bytes a peek of this buffer lent) is copied in, so no slide moves the
  // source and no new write block frees it (both check the block's
  // references). Empty when the source lies elsewhere.
  struct Pin {
    Block* b = nullptr;
    ~Pin() {
      if (b) b->release();
    }
  };
  Block* pin_source(const void* p, size_t n) noexcept;
  // Copies n bytes that fit after the write position in as buffer bytes.
  Status append_to_tail(const char* src, size_t n) noexcept;
  // Adds [p, p+n) of the write block as bytes of the buffer.
  void push_written(Block* b, const char* p, size_t n) noexcept;
  // The records at the front found by sc (one cursor for the batch, or
  // scan_byte_lines for one-byte ends): *n of them, spanning *end bytes.
  // Changes nothing. put(i, offset, length, delim_length, data) gets each
  // record; data is its address when it lies in one segment, else nullptr.
  template <typename Put>
  Status scan_batch(const RecordScanner& sc, size_t max_len, size_t max_recs, Put put, size_t* n, size_t* end,
                    const char* what) const noexcept;
  // scan_batch, then cuts those bytes into one view.
  Status take_batch(const RecordScanner& sc, size_t max_len, Record* recs, size_t max_recs, size_t* n, ViewRep** out,
                    const char* what) noexcept;
  void on_emptied() noexcept;
  // Room left after the write position in the write block (0 without one).
  size_t tail_space() const noexcept { return wblock_ ? wblock_->capacity - wpos_ : 0; }
  // Where the first line ends: *pos bytes of line, then *elen bytes of end
  // of line; *in_first when both lie in the first segment. NeedMore and
  // Limit as take_line. The one line search of take_line and read_line.
  Status locate_line(Eol eol, size_t max_len, size_t* pos, size_t* elen, bool* in_first) const noexcept;
  // locate_line past a first segment that holds no end of line (searched
  // from its byte `from` on): out of line, so the usual case keeps a small
  // frame.
  __attribute__((noinline)) Status locate_line_across(Eol eol, size_t max_len, size_t from, size_t* pos,
                                                      size_t* elen, bool* in_first) const noexcept;
  // take_line's cut when the line and its end of line (cut bytes) lie in
  // the first segment (the fast path), and when they do not.
  Status take_line_in_first(size_t pos, size_t cut, ViewRep** out) noexcept;
  __attribute__((noinline)) Status take_line_across(size_t pos, size_t elen, ViewRep** out) noexcept;

  Pool* pool_ = nullptr;
  TenantRec* tenant_ = nullptr;
  uint32_t tenant_id_ = 0;
  size_t max_bytes_ = 0;
  size_t min_chunk_ = kMinBlock;
  bool linear_ = false;
  SegArray segs_;
  size_t len_ = 0;

  Block* wblock_ = nullptr;  // tail block owned for writing (one reference)
  size_t wpos_ = 0;          // first free byte in wblock_
  size_t grow_ = kMinBlock;  // next block size; doubles up to 64 KiB

  bool reserved_ = false;
  size_t res_space_ = 0;     // reserved bytes taken from wblock_'s tail
  Block* res_block_ = nullptr;  // fresh block backing the rest of the reservation
};

}  // namespace chunkbuf
