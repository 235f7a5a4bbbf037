// Line hand-outs shared by Buffer::read_lines and the Stream's line reads:
// lines given out as pointer+length are always contiguous, so a caller can
// use them without a segment walk and without copying a whole batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "pool.h"
#include "scan.h"
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
// the `len` bytes after `skip` of segs[0..nseg): find_byte_ends (scan.h)
// straight over the segments, many ends per step (the general
// RecordScanner walks a cursor, which for one byte costs as much as the
// search). For line i it calls put(i, offset, length, data): its offset
// from skip, its length without the end byte, and its address when it lies
// in one segment (nullptr when it straddles two). Stops after max lines,
// or before a line longer than max_len (0: no limit), which is Limit when
// it is the first one, as is having no end of line within more than
// max_len bytes. *n is the number of lines, *end the offset just past the
// last one's end byte; `what` names the call in messages. The same answers
// as scanning with RecordScanner::lines.
template <typename Put>
Status scan_byte_lines(const Seg* segs, size_t nseg, size_t skip, size_t len, char ch, size_t max_len, size_t max,
                       Put put, size_t* n, size_t* end, const char* what) noexcept {
  constexpr size_t kEnds = 256;       // line ends asked for per step
  constexpr size_t kStep = 64 << 10;  // bytes looked at per step at most (offsets fit 32 bits)
  uint32_t ends[kEnds + 64];
  const size_t stop = skip + len;
  size_t count = 0, from = skip;  // from: where the next line starts in the run
  bool cut = false;               // stopped before a line longer than max_len
  for (size_t k = 0, base = 0; k < nseg && count < max && !cut && base < stop; base += segs[k++].n) {
    const char* const p = segs[k].p;
    const size_t seg_end = stop - base < segs[k].n ? stop - base : segs[k].n;
    for (size_t in = from > base ? from - base : 0; count < max && !cut && in < seg_end;) {
      const size_t want = max - count < kEnds ? max - count : kEnds;
      size_t scanned = 0;
      const size_t step = seg_end - in < kStep ? seg_end - in : kStep;
      const size_t found = find_byte_ends(p + in, step, ch, ends, want, &scanned);
      for (size_t j = 0; j < found && count < max; ++j) {
        const size_t pos = base + in + ends[j], length = pos - from;
        if (max_len && length > max_len) {
          if (count == 0) return fail(Status::Limit, "%s: record of %zu bytes exceeds max_len %zu", what, length, max_len);
          cut = true;
          break;
        }
        put(count++, from - skip, length, from >= base ? p + (from - base) : nullptr);
        from = pos + 1;
      }
      in += scanned;
    }
  }
  if (count == 0 && max && max_len && stop - from > max_len)
    return fail(Status::Limit, "%s: record longer than max_len %zu and no delimiter yet", what, max_len);
  *n = count;
  *end = from - skip;
  return Status::Ok;
}

}  // namespace chunkbuf
