// Line hand-outs shared by Buffer::read_lines and the Stream's line reads:
// lines given out as pointer+length are always contiguous, so a caller can
// use them without a segment walk and without copying a whole batch.
#pragma once

#include <cstddef>
#include <cstdint>

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

}  // namespace chunkbuf
