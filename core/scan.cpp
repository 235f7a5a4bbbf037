#include "scan.h"

#include <cstring>

#include "search.h"

namespace chunkbuf {

RecordScanner::RecordScanner(Eol eol, const char* delim, size_t n) noexcept
    : eol_(eol),
      byte_(!delim && (eol == Eol::Lf || eol == Eol::Nul || eol == Eol::Crlf)),
      ch_(eol == Eol::Nul ? '\0' : '\n'),
      delim_(delim),
      dn_(n),
      slack_(delim ? n - 1 : (eol == Eol::Lf || eol == Eol::Nul) ? 0 : 1) {}

Status RecordScanner::next_search(SegCursor& c, size_t total, bool* found, size_t* pos, size_t* dlen) const noexcept {
  *found = false;
  if (c.pos() >= total) return Status::Ok;
  // The other ends search the segments from the cursor's on.
  const size_t base = c.segment_base(), sub = total - base, in = c.offset_in_segment();
  size_t q = npos;
  if (delim_ || eol_ == Eol::CrlfStrict) {
    const char* needle = delim_ ? delim_ : "\r\n";
    size_t m = delim_ ? dn_ : 2;
    if (Status st = seg_find(c.segment(), c.segments_left(), sub, needle, m, in, sub, &q); st != Status::Ok)
      return st;
    if (q == npos) return Status::Ok;
    *dlen = m;
  } else {  // Any: a run of CR and LF bytes
    q = seg_find_first_of(c.segment(), c.segments_left(), sub, "\r\n", 2, in, sub);
    if (q == npos) return Status::Ok;
    SegCursor run = c;
    run.advance(q - in);
    size_t k = 0;
    while (run.pos() < total) {
      SegCursor::Chunk ch = run.chunk();
      size_t len = ch.n < total - run.pos() ? ch.n : total - run.pos(), j = 0;
      while (j < len && (ch.p[j] == '\r' || ch.p[j] == '\n')) ++j;
      k += j;
      if (j < len) break;
      run.advance(len);
    }
    *dlen = k;
  }
  *pos = base + q;
  *found = true;
  return Status::Ok;
}

}  // namespace chunkbuf
