// Buffer line and record parsing: take_until, take_line, and the batch
// takes and peeks. Where a line or record ends is RecordScanner's business
// (scan.h), or scan_byte_lines's for one-byte ends (line_handout.h); this
// file only cuts.
#include <algorithm>
#include <cstring>

#include "buffer.h"
#include "cursor.h"
#include "line_handout.h"
#include "release_scope.h"
#include "scan.h"
#include "search.h"

namespace chunkbuf {

namespace {

// scan_batch's output as Records.
auto to_records(Record* recs) noexcept {
  return [recs](size_t i, size_t offset, size_t length, size_t dlen, const char*) {
    recs[i] = Record{offset, length, dlen};
  };
}

}  // namespace

Status Buffer::take_until(const void* delim, size_t dlen, bool include, size_t max_len, ViewRep** out) noexcept {
  if (Status st = check_mutable("take_until"); st != Status::Ok) return st;
  if (dlen == 0) return fail(Status::Inval, "take_until needs a delimiter of at least one byte");
  size_t end = max_len && max_len <= SIZE_MAX - dlen ? std::min(len_, max_len + dlen) : len_;
  size_t pos = npos;
  if (Status st = find(delim, dlen, 0, end, &pos); st != Status::Ok) return st;
  if (pos == npos) {
    if (past_limit(len_, max_len, dlen - 1))
      return fail(Status::Limit, "no delimiter within the first %zu bytes", max_len);
    return fail(Status::NeedMore, "delimiter not found in %zu buffered bytes", len_);
  }
  if (Status st = split_to(include ? pos + dlen : pos, out); st != Status::Ok) return st;
  return include ? Status::Ok : advance(dlen);
}

Status Buffer::locate_line(Eol eol, size_t max_len, size_t* pos, size_t* elen, bool* in_first) const noexcept {
  size_t from = 0;
  *in_first = false;
  if (!segs_.empty() && (eol == Eol::Lf || eol == Eol::Nul || eol == Eol::Crlf)) {
    // The usual case: the end of line lies in the first segment, found by
    // one memchr with no segment walk.
    const Seg& s = segs_[0];
    const char* hit = static_cast<const char*>(std::memchr(s.p, eol == Eol::Nul ? '\0' : '\n', s.n));
    if (hit) {
      size_t lf = static_cast<size_t>(hit - s.p);
      bool cr = eol == Eol::Crlf && lf > 0 && s.p[lf - 1] == '\r';  // nothing precedes the first segment
      *pos = cr ? lf - 1 : lf;
      *elen = cr ? 2 : 1;
      *in_first = true;
      if (max_len && *pos > max_len) return fail(Status::Limit, "line of %zu bytes exceeds max_len %zu", *pos, max_len);
      return Status::Ok;
    }
    from = s.n - 1;  // resume the search at the last byte: it may be the CR of a CRLF
  }
  return locate_line_across(eol, max_len, from, pos, elen, in_first);
}

Status Buffer::locate_line_across(Eol eol, size_t max_len, size_t from, size_t* pos, size_t* elen,
                                  bool* in_first) const noexcept {
  const RecordScanner sc = RecordScanner::lines(eol);
  SegCursor c(segs_.begin(), segs_.size());
  c.seek(from);
  bool found = false;
  if (Status st = sc.next(c, 0, len_, &found, pos, elen); st != Status::Ok) return st;
  if (!found) {
    if (past_limit(len_, max_len, sc.slack()))
      return fail(Status::Limit, "line longer than max_len %zu and no end of line yet", max_len);
    // Hit once per chunk by a line loop: a fixed message, no formatting.
    return fail_text(Status::NeedMore, "no complete line buffered");
  }
  if (max_len && *pos > max_len) return fail(Status::Limit, "line of %zu bytes exceeds max_len %zu", *pos, max_len);
  *in_first = *pos + *elen <= segs_[0].n;
  return Status::Ok;
}

Status Buffer::take_line(Eol eol, size_t max_len, ViewRep** out) noexcept {
  if (Status st = check_mutable("take_line"); st != Status::Ok) return st;
  size_t pos = 0, elen = 0;
  bool in_first = false;
  if (Status st = locate_line(eol, max_len, &pos, &elen, &in_first); st != Status::Ok) return st;
  if (in_first) return take_line_in_first(pos, pos + elen, out);
  return take_line_across(pos, elen, out);
}

Status Buffer::take_line_across(size_t pos, size_t elen, ViewRep** out) noexcept {
  // The copy drops the line's old blocks, and a free callback of one may
  // free this buffer: callbacks wait until the line is cut and its end
  // dropped.
  ReleaseScope scope;
  // A line handed out is one contiguous segment: only a line that straddles
  // segments is copied (once), so view_data never refuses it.
  if (pos > segs_[0].n) {
    const void* joined = nullptr;
    if (Status st = coalesce(pos, &joined); st != Status::Ok) return st;
  }
  if (Status st = split_to(pos, out); st != Status::Ok) return st;
  return advance(elen);
}

Status Buffer::take_line_in_first(size_t pos, size_t cut, ViewRep** out) noexcept {
  // The line and its end of line (cut bytes) lie in the first segment (the
  // usual case): cut the line and drop the EOL in one step.
  Seg& s = segs_[0];
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

Status Buffer::read_line(Eol eol, size_t max_len, void* dst, size_t cap, size_t* len) noexcept {
  if (Status st = check_mutable("read_line"); st != Status::Ok) return st;
  size_t pos = 0, elen = 0;
  bool in_first = false;
  if (Status st = locate_line(eol, max_len, &pos, &elen, &in_first); st != Status::Ok) return st;
  *len = pos;
  if (pos > cap) return fail(Status::Range, "line of %zu bytes does not fit in %zu", pos, cap);
  if (!in_first) {
    seg_copy(segs_.begin(), segs_.size(), 0, dst, pos);
    return advance(pos + elen);
  }
  Seg& s = segs_[0];
  if (pos) std::memcpy(dst, s.p, pos);
  if (pos + elen == s.n) return advance(pos + elen);  // drops the segment's block reference
  s.p += pos + elen;  // the usual case: the first segment goes on after the line
  s.n -= pos + elen;
  len_ -= pos + elen;
  return Status::Ok;
}

template <typename Put>
Status Buffer::scan_batch(const RecordScanner& sc, size_t max_len, size_t max_recs, Put put, size_t* n, size_t* end,
                          const char* what) const noexcept {
  *n = 0;
  *end = 0;
  if (const int b = sc.single_byte(); b >= 0)
    return scan_byte_lines(
        segs_.begin(), segs_.size(), 0, len_, static_cast<char>(b), max_len, max_recs,
        [&put](size_t i, size_t offset, size_t length, const char* data) { put(i, offset, length, 1, data); }, n, end,
        what);
  SegCursor c(segs_.begin(), segs_.size());  // one cursor for the whole batch
  size_t from = 0, count = 0;
  while (count < max_recs) {
    bool found = false;
    size_t pos = 0, dlen = 0;
    if (Status st = sc.next(c, from, len_, &found, &pos, &dlen); st != Status::Ok) {
      if (count == 0) return st;
      break;  // records found before a failed search are returned
    }
    if (!found) {
      if (count == 0 && past_limit(len_ - from, max_len, sc.slack()))
        return fail(Status::Limit, "%s: record longer than max_len %zu and no delimiter yet", what, max_len);
      break;
    }
    if (max_len && pos - from > max_len) {
      if (count == 0)
        return fail(Status::Limit, "%s: record of %zu bytes exceeds max_len %zu", what, pos - from, max_len);
      break;
    }
    // The search leaves the cursor on the delimiter's last byte: when the
    // record lies in that segment, its address is known here.
    const size_t back = pos - from + dlen - 1;
    const char* at = c.pos() == from + back && c.offset_in_segment() >= back ? c.chunk().p - back : nullptr;
    put(count++, from, pos - from, dlen, at);
    from = pos + dlen;
    c.advance(from - c.pos());  // the cursor is at or before the delimiter's end
  }
  *n = count;
  *end = from;
  return Status::Ok;
}

Status Buffer::take_batch(const RecordScanner& sc, size_t max_len, Record* recs, size_t max_recs, size_t* n,
                          ViewRep** out, const char* what) noexcept {
  if (Status st = check_mutable(what); st != Status::Ok) return st;
  *out = nullptr;
  size_t count = 0, end = 0;
  if (Status st = scan_batch(sc, max_len, max_recs, to_records(recs), &count, &end, what); st != Status::Ok) return st;
  *n = 0;
  if (count == 0) return Status::Ok;
  if (Status st = split_to(end, out); st != Status::Ok) return st;
  *n = count;
  return Status::Ok;
}

Status Buffer::take_lines(Eol eol, size_t max_len, Record* recs, size_t max_recs, size_t* n,
                          ViewRep** out) noexcept {
  return take_batch(RecordScanner::lines(eol), max_len, recs, max_recs, n, out, "take_lines");
}

Status Buffer::read_lines(Eol eol, size_t max_len, Line* lines, size_t max_lines, size_t* n,
                          ViewRep** out) noexcept {
  static const char* what = "read_lines";
  if (Status st = check_mutable(what); st != Status::Ok) return st;
  *n = 0;
  *out = nullptr;
  size_t count = 0, end = 0, straddlers = 0;
  // A line found inside one segment comes with its address, so
  // contiguous_lines need not look for it.
  auto put = [lines, &straddlers](size_t i, size_t, size_t length, size_t dlen, const char* data) {
    lines[i] = Line{data, length, dlen};
    straddlers += data == nullptr;
  };
  Status st = scan_batch(RecordScanner::lines(eol), max_len, max_lines, put, &count, &end, what);
  if (st != Status::Ok) return st;
  if (count == 0) return Status::Ok;
  // With every line in one segment (the usual batch) the view is the
  // bytes' own segments: no pass over the lines.
  ViewRep* v = nullptr;
  if (Status st = straddlers == 0
                      ? slice(0, end, &v)
                      : contiguous_lines(pool_, tenant_id_, segs_.begin(), segs_.size(), 0, lines, count, end, &v);
      st != Status::Ok)
    return st;
  // The view holds the bytes now (advance cannot fail after the checks
  // above, but a failure must not leak the view).
  if (Status st = advance(end); st != Status::Ok) {
    view_release(v);
    return st;
  }
  *out = v;
  *n = count;
  return Status::Ok;
}

Status Buffer::peek_lines(Eol eol, size_t max_len, Record* recs, size_t max_recs, size_t* n) const noexcept {
  size_t end = 0;
  return scan_batch(RecordScanner::lines(eol), max_len, max_recs, to_records(recs), n, &end, "peek_lines");
}

Status Buffer::take_records(const void* delim, size_t dlen, size_t max_len, Record* recs, size_t max_recs,
                            size_t* n, ViewRep** out) noexcept {
  if (dlen == 0) return fail(Status::Inval, "take_records needs a delimiter of at least one byte");
  return take_batch(RecordScanner::delimited(static_cast<const char*>(delim), dlen), max_len, recs, max_recs, n, out,
                    "take_records");
}

Status Buffer::peek_records(const void* delim, size_t dlen, size_t max_len, Record* recs, size_t max_recs,
                            size_t* n) const noexcept {
  if (dlen == 0) return fail(Status::Inval, "peek_records needs a delimiter of at least one byte");
  size_t end = 0;
  return scan_batch(RecordScanner::delimited(static_cast<const char*>(delim), dlen), max_len, max_recs,
                    to_records(recs), n, &end, "peek_records");
}

}  // namespace chunkbuf
