#include "framer.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "mem.h"
#include "cursor.h"
#include "search.h"

namespace chunkbuf {

// ---------------------------------------------------------------- Framer

Status Framer::next(Buffer& buf, bool final, ViewRep** out) noexcept {
  if (buf.reserved()) return fail(Status::State, "a framer cannot consume while a reservation is open");
  FrameSpan span{};
  SegCursor c(buf.segs(), buf.segment_count());
  if (Status st = scan(buf, c, 0, final, &span); st != Status::Ok) return st;
  ViewRep* v = nullptr;
  if (Status st = buf.slice(span.payload_offset, single_length(span), &v); st != Status::Ok) return st;
  buf.advance(span.end);  // cannot fail: the frame is buffered and no reservation is open
  *out = v;
  return Status::Ok;
}

Status Framer::next_batch(Buffer& buf, bool final, Record* recs, size_t max_recs, size_t* n,
                          ViewRep** out) noexcept {
  if (buf.reserved()) return fail(Status::State, "a framer cannot consume while a reservation is open");
  *n = 0;
  *out = nullptr;
  size_t from = 0, count = 0;
  SegCursor c(buf.segs(), buf.segment_count());
  while (count < max_recs && from < buf.size()) {
    FrameSpan span{};
    Status st = scan(buf, c, from, final, &span);
    if (st == Status::NeedMore) break;
    if (st != Status::Ok) {
      if (count == 0) return st;
      break;  // report it on the next call, after the frames before it
    }
    recs[count++] = Record{span.payload_offset, span.payload_length, span.end - span.payload_offset - span.payload_length};
    from = span.end;
  }
  if (count == 0) return Status::Ok;
  ViewRep* v = nullptr;
  if (Status st = buf.slice(0, from, &v); st != Status::Ok) return st;
  buf.advance(from);
  *n = count;
  *out = v;
  return Status::Ok;
}

// ------------------------------------------------------- DelimiterFramer

Status DelimiterFramer::create(const struct iovec* delims, size_t n, size_t max_frame, bool include_delimiter,
                               DelimiterFramer** out) noexcept {
  if (n == 0 || n > kMaxDelims) return fail(Status::Inval, "a delimiter framer takes 1 to %zu delimiters", kMaxDelims);
  for (size_t i = 0; i < n; ++i)
    if (delims[i].iov_len == 0 || delims[i].iov_len > kMaxDelimLen || !delims[i].iov_base)
      return fail(Status::Inval, "delimiter %zu must have 1 to %zu bytes", i, kMaxDelimLen);
  void* m = mem::alloc(sizeof(DelimiterFramer));
  if (!m) return fail(Status::NoMem, "out of memory for a framer");
  auto* f = new (m) DelimiterFramer();
  for (size_t i = 0; i < n; ++i) {
    f->delims_[i] = static_cast<char*>(mem::alloc(delims[i].iov_len));
    if (!f->delims_[i]) {
      f->~DelimiterFramer();
      mem::free(m);
      return fail(Status::NoMem, "out of memory for a framer");
    }
    std::memcpy(f->delims_[i], delims[i].iov_base, delims[i].iov_len);
    f->lens_[i] = delims[i].iov_len;
    f->count_ = i + 1;
    f->max_len_ = std::max(f->max_len_, f->lens_[i]);
    char first = f->delims_[i][0];
    if (std::find(f->firsts_, f->firsts_ + f->nfirsts_, first) == f->firsts_ + f->nfirsts_)
      f->firsts_[f->nfirsts_++] = first;
  }
  f->max_frame_ = max_frame;
  f->include_ = include_delimiter;
  *out = f;
  return Status::Ok;
}

DelimiterFramer::~DelimiterFramer() {
  for (size_t i = 0; i < count_; ++i) mem::free(delims_[i]);
}

size_t DelimiterFramer::single_length(const FrameSpan& s) const noexcept {
  return include_ ? s.end - s.payload_offset : s.payload_length;
}

// Candidates are positions holding the first byte of some delimiter; at each
// the longest complete delimiter wins, unless (before EOF) a longer one
// could still complete with bytes not yet arrived. Work is proportional to
// the frame, not to what is buffered behind it.
Status DelimiterFramer::scan(const Buffer& buf, SegCursor& c, size_t from, bool final,
                             FrameSpan* span) const noexcept {
  const size_t len = buf.size();
  for (size_t q = from;;) {
    c.seek(q);
    const Seg* segs = c.segment();
    size_t nseg = c.segments_left(), base = c.segment_base(), sub = len - base;
    size_t hit = seg_find_first_of(segs, nseg, sub, firsts_, nfirsts_, q - base, sub);
    size_t cand = hit == npos ? npos : hit + base;
    if (cand == npos) break;
    if (max_frame_ && cand - from > max_frame_)
      return fail(Status::FrameLimit, "frame of more than %zu bytes exceeds max_frame %zu", cand - from, max_frame_);
    c.seek(cand);
    segs = c.segment();
    nseg = c.segments_left();
    size_t at = c.offset_in_segment(), avail = len - cand;
    char lead = seg_byte_at(segs, nseg, at);
    size_t best = 0;
    bool partial = false;
    for (size_t i = 0; i < count_; ++i) {
      if (delims_[i][0] != lead) continue;
      if (lens_[i] <= avail) {
        if (lens_[i] > best && seg_equal(segs, nseg, at, delims_[i], lens_[i])) best = lens_[i];
      } else if (seg_equal(segs, nseg, at, delims_[i], avail)) {
        partial = true;
      }
    }
    if (partial && !final) return fail(Status::NeedMore, "a delimiter may still complete at offset %zu", cand);
    if (best > 0) {
      *span = FrameSpan{from, cand - from, cand + best};
      return Status::Ok;
    }
    q = cand + 1;
  }
  if (max_frame_ && len - from > max_frame_)
    return fail(Status::FrameLimit, "frame of more than %zu bytes exceeds max_frame %zu", len - from, max_frame_);
  if (final && len > from) {
    *span = FrameSpan{from, len - from, len};
    return Status::Ok;
  }
  return fail(Status::NeedMore, "no delimiter in %zu buffered bytes", len - from);
}

Status DelimiterFramer::encode(Buffer& out, const ViewRep* payload) const noexcept {
  for (size_t i = 0; i < count_; ++i) {
    size_t pos = npos;
    if (Status st = view_find(payload, delims_[i], lens_[i], 0, npos, &pos); st != Status::Ok) return st;
    if (pos != npos) return fail(Status::Inval, "the payload contains delimiter %zu at offset %zu", i, pos);
  }
  if (max_frame_ && payload->len > max_frame_)
    return fail(Status::FrameLimit, "payload of %zu bytes exceeds max_frame %zu", payload->len, max_frame_);
  return out.append_framed(nullptr, 0, payload, delims_[0], lens_[0]);
}

// ---------------------------------------------------------- LengthFramer

Status LengthFramer::create(const LengthFramerOptions& o, LengthFramer** out) noexcept {
  if (o.length_width != 1 && o.length_width != 2 && o.length_width != 4 && o.length_width != 8)
    return fail(Status::Inval, "length_width must be 1, 2, 4 or 8 (got %zu)", o.length_width);
  if (o.length_offset > (size_t{1} << 20)) return fail(Status::Inval, "length_offset above 1 MiB");
  if (o.strip > o.length_offset + o.length_width)
    return fail(Status::Inval, "strip %zu exceeds the %zu-byte header", o.strip, o.length_offset + o.length_width);
  void* m = mem::alloc(sizeof(LengthFramer));
  if (!m) return fail(Status::NoMem, "out of memory for a framer");
  *out = new (m) LengthFramer(o);
  return Status::Ok;
}

Status LengthFramer::scan(const Buffer& buf, SegCursor& c, size_t from, bool final,
                          FrameSpan* span) const noexcept {
  size_t have = buf.size() - from;
  size_t header = o_.length_offset + o_.length_width;
  if (have < header) {
    if (final && have > 0) return fail(Status::Inval, "truncated frame header at end of input (%zu bytes)", have);
    return fail(Status::NeedMore, "a %zu-byte frame header needs more than %zu bytes", header, have);
  }
  unsigned char field[8];
  c.seek(from + o_.length_offset);
  c.copy(field, o_.length_width);
  const uint64_t value = decode_uint(field, o_.length_width, o_.order);
  // payload = value + adjust, computed without overflow.
  uint64_t payload = 0;
  if (o_.length_adjust >= 0) {
    payload = value + static_cast<uint64_t>(o_.length_adjust);
    if (payload < value) return fail(Status::Inval, "frame length %llu overflows", static_cast<unsigned long long>(value));
  } else {
    uint64_t minus = static_cast<uint64_t>(-(o_.length_adjust + 1)) + 1;
    if (value < minus)
      return fail(Status::Inval, "frame length %llu is smaller than the adjustment %lld",
                  static_cast<unsigned long long>(value), static_cast<long long>(o_.length_adjust));
    payload = value - minus;
  }
  if (o_.max_frame && payload > o_.max_frame)
    return fail(Status::FrameLimit, "frame of %llu bytes exceeds max_frame %zu", static_cast<unsigned long long>(payload),
                o_.max_frame);
  if (payload > SIZE_MAX - header) return fail(Status::Inval, "frame length overflows size_t");
  size_t total = header + static_cast<size_t>(payload);
  if (have < total) {
    if (final) return fail(Status::Inval, "truncated frame at end of input (%zu of %zu bytes)", have, total);
    return fail(Status::NeedMore, "frame of %zu bytes, %zu buffered", total, have);
  }
  *span = FrameSpan{from + o_.strip, total - o_.strip, from + total};
  return Status::Ok;
}

Status LengthFramer::encode(Buffer& out, const ViewRep* payload) const noexcept {
  if (o_.length_offset != 0) return fail(Status::Inval, "encoding needs length_offset 0");
  if (o_.max_frame && payload->len > o_.max_frame)
    return fail(Status::FrameLimit, "payload of %zu bytes exceeds max_frame %zu", payload->len, o_.max_frame);
  // field value = payload length - adjust
  uint64_t len = payload->len;
  uint64_t value;
  if (o_.length_adjust >= 0) {
    if (len < static_cast<uint64_t>(o_.length_adjust))
      return fail(Status::Inval, "payload of %zu bytes is shorter than the adjustment", payload->len);
    value = len - static_cast<uint64_t>(o_.length_adjust);
  } else {
    uint64_t plus = static_cast<uint64_t>(-(o_.length_adjust + 1)) + 1;
    if (len > UINT64_MAX - plus)
      return fail(Status::FrameLimit, "payload of %zu bytes plus the adjustment overflows the length", payload->len);
    value = len + plus;
  }
  if (o_.length_width < 8 && value >> (8 * o_.length_width))
    return fail(Status::FrameLimit, "length %llu does not fit a %zu-byte field", static_cast<unsigned long long>(value),
                o_.length_width);
  unsigned char prefix[8];
  for (size_t i = 0; i < o_.length_width; ++i) {
    size_t shift = 8 * (o_.order == Order::Big ? o_.length_width - 1 - i : i);
    prefix[i] = static_cast<unsigned char>(value >> shift);
  }
  return out.append_framed(prefix, o_.length_width, payload, nullptr, 0);
}

}  // namespace chunkbuf
