// Byte and needle search over a run of segments, correct across segment
// boundaries and linear in the bytes scanned.
#pragma once

#include <cstddef>

#include "segment.h"
#include "status.h"

namespace chunkbuf {

// What one needle search did: tests check with it that the work stays
// linear in the bytes searched.
struct SearchStats {
  size_t work = 0;       // rare-byte prefilter: candidates and bytes compared (see Budget in search.cpp)
  size_t kmp_steps = 0;  // streaming KMP: bytes consumed + failure links followed
  bool kmp = false;      // the search ran, or finished, as streaming KMP
};

// First needle occurrence lying wholly inside [start, end) of the segments'
// concatenation; npos when absent. Linear in the bytes searched: needles of
// 2+ bytes are found by their two rarest bytes, with streaming KMP where that
// prefilter does not pay or segments are shorter than the needle. Fails only
// with NoMem (long needles need heap scratch: a window or a KMP table).
Status seg_find(const Seg* segs, size_t nseg, size_t total, const char* needle, size_t m, size_t start, size_t end,
                size_t* pos) noexcept;
// The same, reporting what the search did in *stats (if not null).
Status seg_find(const Seg* segs, size_t nseg, size_t total, const char* needle, size_t m, size_t start, size_t end,
                size_t* pos, SearchStats* stats) noexcept;
// Last such occurrence.
Status seg_rfind(const Seg* segs, size_t nseg, size_t total, const char* needle, size_t m, size_t start, size_t end,
                 size_t* pos) noexcept;
// First position in [start, end) holding any of the nset bytes of set;
// npos when absent.
size_t seg_find_first_of(const Seg* segs, size_t nseg, size_t total, const char* set, size_t nset, size_t start,
                         size_t end) noexcept;
// Byte at absolute offset off (< total).
char seg_byte_at(const Seg* segs, size_t nseg, size_t off) noexcept;
// Copies n bytes starting at off into dst (off + n <= total).
void seg_copy(const Seg* segs, size_t nseg, size_t off, void* dst, size_t n) noexcept;
// Compares the n bytes at off with data.
bool seg_equal(const Seg* segs, size_t nseg, size_t off, const void* data, size_t n) noexcept;

}  // namespace chunkbuf
