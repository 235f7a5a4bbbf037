// Framers: decoders that cut messages out of a Buffer as zero-copy Views,
// and the matching encoders. A framer holds only its configuration, so one
// framer may serve many buffers (one thread at a time per buffer).
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>

#include "buffer.h"
#include "cursor.h"
#include "status.h"
#include "view.h"

namespace chunkbuf {

// Where the next frame starting at `from` ends.
struct FrameSpan {
  size_t payload_offset;  // first payload byte
  size_t payload_length;
  size_t end;             // one past the frame (delimiter or length header included)
};

class Framer {
 public:
  virtual ~Framer() = default;

  // Takes the next frame's payload as a view. NeedMore (nothing consumed)
  // when no complete frame is buffered; Limit when the frame is longer
  // than max_frame (nothing consumed). `final` says no more bytes will
  // come (EOF): a delimiter framer then emits the trailing bytes as the last
  // frame and stops waiting for longer delimiters.
  Status next(Buffer& buf, bool final, ViewRep** out) noexcept;
  // Up to max_recs frames in one call, as one view; records locate each
  // payload in it. Ok with *n = 0 when none is complete; Limit only when the
  // first frame is too long.
  Status next_batch(Buffer& buf, bool final, Record* recs, size_t max_recs, size_t* n, ViewRep** out) noexcept;
  // Appends payload framed for this decoder (prefix or delimiter copied,
  // payload zero copy), all or nothing.
  virtual Status encode(Buffer& out, const ViewRep* payload) const noexcept = 0;

 protected:
  // Locates the frame starting at `from` (Ok), or says why not (NeedMore,
  // Limit, Inval for a corrupt header). c is a cursor over buf's segments
  // at or before `from`, which a batch keeps from frame to frame: it only
  // moves forward, so a batch of many frames over many segments is linear.
  virtual Status scan(const Buffer& buf, SegCursor& c, size_t from, bool final, FrameSpan* span) const noexcept = 0;
  // Bytes of the frame's own view handed out by next(): by default the
  // payload; a delimiter framer may include its delimiter.
  virtual size_t single_length(const FrameSpan& s) const noexcept { return s.payload_length; }
};

class DelimiterFramer final : public Framer {
 public:
  // Copies the delimiters (1..16 of them, each 1..64 bytes).
  static Status create(const struct iovec* delims, size_t n, size_t max_frame, bool include_delimiter,
                       DelimiterFramer** out) noexcept;
  ~DelimiterFramer() override;
  Status encode(Buffer& out, const ViewRep* payload) const noexcept override;

 private:
  static constexpr size_t kMaxDelims = 16;
  static constexpr size_t kMaxDelimLen = 64;
  DelimiterFramer() = default;
  Status scan(const Buffer& buf, SegCursor& c, size_t from, bool final, FrameSpan* span) const noexcept override;
  size_t single_length(const FrameSpan& s) const noexcept override;

  char* delims_[kMaxDelims] = {};
  size_t lens_[kMaxDelims] = {};
  size_t count_ = 0;
  size_t max_len_ = 0;  // longest delimiter
  char firsts_[kMaxDelims] = {};  // distinct first bytes
  size_t nfirsts_ = 0;
  size_t max_frame_ = 0;
  bool include_ = false;
};

struct LengthFramerOptions {
  size_t length_offset = 0;  // header bytes before the length field
  size_t length_width = 4;   // 1, 2, 4 or 8
  Order order = Order::Big;
  int64_t length_adjust = 0; // payload length = field value + adjust
  size_t strip = 0;          // bytes cut from the frame start (0..offset+width)
  size_t max_frame = 0;      // largest payload; 0: unlimited
};

class LengthFramer final : public Framer {
 public:
  static Status create(const LengthFramerOptions& o, LengthFramer** out) noexcept;
  Status encode(Buffer& out, const ViewRep* payload) const noexcept override;

 private:
  explicit LengthFramer(const LengthFramerOptions& o) noexcept : o_(o) {}
  Status scan(const Buffer& buf, SegCursor& c, size_t from, bool final, FrameSpan* span) const noexcept override;
  LengthFramerOptions o_;
};

}  // namespace chunkbuf
