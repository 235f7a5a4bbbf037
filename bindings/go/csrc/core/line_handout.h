// Line hand-outs shared by Buffer::read_lines and the Stream's line reads:
// lines given out as pointer+length are always contiguous, so a caller can
// use them without a segment walk and without copying a whole batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "pool.h"
#include "segment.h"
#include "status.h"
#include "view.h"

namespace chunkbuf {

// One line of a line hand-out: always contiguous (a line that straddles
// blocks is copied once), followed by eol_length end-of-line bytes in its
// source (0 for a last line at EOF that has none).
struct Line {
  const char* data;
  size_t length;
  size_t eol_length;
};

// The n lines lie back to back (lengths and eol_lengths given) in the
// first `end` bytes after `skip` of the segment run segs[0..nseg). Makes
// *out, a new view of those `end` bytes in which each line lies in one
// segment: the segments are shared, and only a line that straddles two of
// them is copied, into one block from pool shared by every such line. Sets
// lines[i].data to where each line's bytes are in *out. A caller that
// already knows a line lies in one segment passes its address in
// lines[i].data (else nullptr), and that line is not looked for again.
// NoMem (nothing made) when the view or the copy block cannot be had.
Status contiguous_lines(Pool* pool, uint32_t tenant, const Seg* segs, size_t nseg, size_t skip, Line* lines, size_t n,
                        size_t end, ViewRep** out) noexcept;

// Finds the lines ending in the one byte ch (the LF and NUL styles) among
// the `len` bytes after `skip` of segs[0..nseg): one memchr per line,
// straight over the segments (the general RecordScanner walks a cursor,
// which for one byte costs as much as the search). For line i it calls
// put(i, offset, length, data): its offset from skip, its length without
// the end byte, and its address when it lies in one segment (nullptr when
// it straddles two). Stops after max lines, or before a line longer than
// max_len (0: no limit), which is Limit when it is the first one, as is
// having no end of line within more than max_len bytes. *n is the number
// of lines, *end the offset just past the last one's end byte; `what`
// names the call in messages. The same answers as scanning with
// RecordScanner::lines.
template <typename Put>
Status scan_byte_lines(const Seg* segs, size_t nseg, size_t skip, size_t len, char ch, size_t max_len, size_t max,
                       Put put, size_t* n, size_t* end, const char* what) noexcept {
  const size_t stop = skip + len;
  size_t count = 0, from = skip;  // from: where the next line starts in the run
  bool cut = false;               // stopped before a line longer than max_len
  for (size_t k = 0, base = 0; k < nseg && count < max && !cut && base < stop; base += segs[k++].n) {
    const char* const p = segs[k].p;
    const size_t seg_end = stop - base < segs[k].n ? stop - base : segs[k].n;
    for (size_t in = from > base ? from - base : 0; count < max && in < seg_end; in = from - base) {
      const char* hit = static_cast<const char*>(std::memchr(p + in, ch, seg_end - in));
      if (!hit) break;
      const size_t pos = base + static_cast<size_t>(hit - p), length = pos - from;
      if (max_len && length > max_len) {
        if (count == 0) return fail(Status::Limit, "%s: record of %zu bytes exceeds max_len %zu", what, length, max_len);
        cut = true;
        break;
      }
      put(count++, from - skip, length, from >= base ? p + (from - base) : nullptr);
      from = pos + 1;
    }
  }
  if (count == 0 && max && max_len && stop - from > max_len)
    return fail(Status::Limit, "%s: record longer than max_len %zu and no delimiter yet", what, max_len);
  *n = count;
  *end = from - skip;
  return Status::Ok;
}

}  // namespace chunkbuf
