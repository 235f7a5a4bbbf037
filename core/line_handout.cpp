// contiguous_lines: see line_handout.h.
#include "line_handout.h"

#include <algorithm>

#include "cursor.h"

namespace chunkbuf {

Status contiguous_lines(Pool* pool, uint32_t tenant, const Seg* segs, size_t nseg, size_t skip, Line* lines, size_t n,
                        size_t end, ViewRep** out) noexcept {
  SegCursor c(segs, nseg);
  size_t copy_bytes = 0, straddlers = 0;
  for (size_t i = 0, off = 0; i < n; off += lines[i].length + lines[i].eol_length, ++i) {
    if (lines[i].data) continue;  // known to lie in one segment
    c.seek(skip + off);
    if (c.chunk().n < lines[i].length) {
      copy_bytes += lines[i].length;
      ++straddlers;
    }
  }
  Block* blk = nullptr;
  if (copy_bytes > 0)
    if (Status st = pool->acquire(copy_bytes, nullptr, &blk); st != Status::Ok) return st;
  ViewRep* v = view_alloc(nseg + 2 * straddlers);
  if (!v) {
    if (blk) blk->release();
    return fail(Status::NoMem, "out of memory for a view of %zu lines", n);
  }
  v->tenant = tenant;
  // Zero-copy pieces for bytes [from, to) after skip. Each cursor only
  // moves forward (sc over the shared pieces, c over the lines), so a batch
  // with many straddling lines over many segments stays linear.
  SegCursor sc(segs, nseg);
  auto share = [&](size_t from, size_t to) {
    sc.seek(skip + from);
    while (from < to) {
      const Seg& s = sc.segment()[0];
      SegCursor::Chunk k = sc.chunk();
      size_t take = std::min(k.n, to - from);
      s.b->retain();
      view_push(v, Seg{s.b, k.p, take});
      sc.advance(take);
      from += take;
    }
  };
  c = SegCursor(segs, nseg);
  size_t done = 0, used = 0;
  for (size_t i = 0, off = 0; i < n; off += lines[i].length + lines[i].eol_length, ++i) {
    const size_t len = lines[i].length;
    if (lines[i].data) continue;
    c.seek(skip + off);
    SegCursor::Chunk k = c.chunk();
    lines[i].data = k.p;
    if (k.n >= len) continue;
    // This line straddles segments: its bytes go into the copy block, and
    // the view shows the copy in their place.
    share(done, off);
    char* dst = blk->data + used;
    c.copy(dst, len);  // c is at the line's start
    blk->retain();
    view_push(v, Seg{blk, dst, len});
    lines[i].data = dst;
    used += len;
    done = off + len;
  }
  share(done, end);
  if (blk) blk->release();  // the view holds its own references
  *out = v;
  return Status::Ok;
}

}  // namespace chunkbuf
