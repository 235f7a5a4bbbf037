#include "search.h"

#include <algorithm>
#include <cstring>

namespace chunkbuf {
namespace {

// Needles up to this long are matched in place at segment boundaries.
constexpr size_t kShortNeedle = 32;

// Owns a scratch array: on the stack for small sizes, else from mem::alloc.
template <typename T, size_t N>
class Scratch {
 public:
  explicit Scratch(size_t n) noexcept : p_(n <= N ? stack_ : static_cast<T*>(mem::alloc(n * sizeof(T)))) {}
  ~Scratch() {
    if (p_ != stack_) mem::free(p_);
  }
  T* get() noexcept { return p_; }

 private:
  T stack_[N];
  T* p_;
};

void kmp_table(const char* needle, size_t m, size_t* f) noexcept {
  f[0] = 0;
  size_t k = 0;
  for (size_t i = 1; i < m; ++i) {
    while (k > 0 && needle[i] != needle[k]) k = f[k - 1];
    if (needle[i] == needle[k]) ++k;
    f[i] = k;
  }
}

// First match of the needle starting in w[0, k) (the window holds n bytes),
// or k. Short needles are compared in place: memmem's per-call table setup
// would cost more than the window itself. Long ones keep memmem's linear
// bound (the window is shorter than 2m, so this is O(m) either way).
size_t window_find(const char* w, size_t k, size_t n, const char* needle, size_t m) noexcept {
  if (m <= kShortNeedle) {
    for (size_t o = 0; o < k && o + m <= n; ++o)
      if (w[o] == needle[0] && std::memcmp(w + o, needle, m) == 0) return o;
    return k;
  }
  const void* hit = memmem(w, n, needle, m);
  return hit ? std::min(k, static_cast<size_t>(static_cast<const char*>(hit) - w)) : k;
}

// Streaming KMP over [start, end) that skips with memchr while no prefix
// is matched. Linear in the bytes scanned, whatever the segment sizes.
Status kmp_find(const Seg* segs, size_t nseg, const char* needle, size_t m, size_t start, size_t end,
                size_t* pos) noexcept {
  Scratch<size_t, 64> table(m);
  size_t* f = table.get();
  if (!f) return fail(Status::NoMem, "out of memory for a %zu-byte needle table", m);
  kmp_table(needle, m, f);
  SegCursor c(segs, nseg);
  size_t in = c.seek(start);
  size_t abs = start, q = 0;
  for (size_t i = c.idx; i < nseg && abs < end; ++i, in = 0) {
    const char* p = segs[i].p + in;
    size_t len = std::min(segs[i].n - in, end - abs);
    for (size_t j = 0; j < len; ++j) {
      if (q == 0) {
        const void* hit = std::memchr(p + j, needle[0], len - j);
        if (!hit) break;
        j = static_cast<size_t>(static_cast<const char*>(hit) - p);
      }
      while (q > 0 && p[j] != needle[q]) q = f[q - 1];
      if (p[j] == needle[q]) ++q;
      if (q == m) {
        *pos = abs + j + 1 - m;
        return Status::Ok;
      }
    }
    abs += len;
  }
  return Status::Ok;
}

}  // namespace

char seg_byte_at(const Seg* segs, size_t nseg, size_t off) noexcept {
  SegCursor c(segs, nseg);
  size_t in = c.seek(off);
  return segs[c.idx].p[in];
}

void seg_copy(const Seg* segs, size_t nseg, size_t off, void* dst, size_t n) noexcept {
  SegCursor c(segs, nseg);
  size_t in = c.seek(off);
  char* d = static_cast<char*>(dst);
  for (size_t i = c.idx; n > 0 && i < nseg; ++i, in = 0) {
    size_t k = std::min(segs[i].n - in, n);
    std::memcpy(d, segs[i].p + in, k);
    d += k;
    n -= k;
  }
}

bool seg_equal(const Seg* segs, size_t nseg, size_t off, const void* data, size_t n) noexcept {
  SegCursor c(segs, nseg);
  size_t in = c.seek(off);
  const char* d = static_cast<const char*>(data);
  for (size_t i = c.idx; n > 0 && i < nseg; ++i, in = 0) {
    size_t k = std::min(segs[i].n - in, n);
    if (std::memcmp(d, segs[i].p + in, k) != 0) return false;
    d += k;
    n -= k;
  }
  return n == 0;
}

Status seg_find(const Seg* segs, size_t nseg, size_t total, const char* needle, size_t m, size_t start, size_t end,
                size_t* pos) noexcept {
  *pos = npos;
  end = std::min(end, total);
  if (m == 0 || start > end || end - start < m) return Status::Ok;
  SegCursor c(segs, nseg);
  const size_t first_in = c.seek(start);
  const size_t first = c.idx;

  if (m == 1) {
    size_t abs = start, in = first_in;
    for (size_t i = first; i < nseg && abs < end; ++i, in = 0) {
      const char* p = segs[i].p + in;
      size_t len = std::min(segs[i].n - in, end - abs);
      if (const void* hit = std::memchr(p, needle[0], len)) {
        *pos = abs + static_cast<size_t>(static_cast<const char*>(hit) - p);
        return Status::Ok;
      }
      abs += len;
    }
    return Status::Ok;
  }

  // The memmem path needs interior segments of at least m bytes, so that a
  // boundary window costs O(m) and there are at most n/m of them.
  {
    size_t abs = start - first_in;
    for (size_t i = first; i < nseg && abs < end; ++i) {
      bool interior = i != first && abs + segs[i].n < end;
      if (interior && segs[i].n < m) return kmp_find(segs, nseg, needle, m, start, end, pos);
      abs += segs[i].n;
    }
  }

  Scratch<char, 512> window(2 * m);
  if (!window.get()) return fail(Status::NoMem, "out of memory for a %zu-byte needle window", m);
  size_t abs = start, in = first_in;
  for (size_t i = first; i < nseg && abs < end; ++i, in = 0) {
    const char* p = segs[i].p + in;
    size_t len = std::min(segs[i].n - in, end - abs);
    if (len >= m) {
      if (const void* hit = memmem(p, len, needle, m)) {
        *pos = abs + static_cast<size_t>(static_cast<const char*>(hit) - p);
        return Status::Ok;
      }
    }
    size_t after = std::min(m - 1, end - (abs + len));  // bytes following this piece
    if (after > 0) {
      // A match straddling the boundary starts in the last k bytes here.
      size_t k = std::min(len, m - 1);
      char* w = window.get();
      std::memcpy(w, p + len - k, k);
      seg_copy(segs + i + 1, nseg - i - 1, 0, w + k, after);  // from the next segment on
      if (size_t o = window_find(w, k, k + after, needle, m); o < k) {
        *pos = abs + len - k + o;
        return Status::Ok;
      }
    }
    abs += len;
  }
  return Status::Ok;
}

Status seg_rfind(const Seg* segs, size_t nseg, size_t total, const char* needle, size_t m, size_t start, size_t end,
                 size_t* pos) noexcept {
  *pos = npos;
  end = std::min(end, total);
  if (m == 0 || start > end || end - start < m) return Status::Ok;

  // Reverse KMP: match the reversed needle scanning backwards from end.
  Scratch<char, 256> rev(m);
  Scratch<size_t, 64> table(m);
  if (!rev.get() || !table.get()) return fail(Status::NoMem, "out of memory for a %zu-byte needle table", m);
  char* rn = rev.get();
  for (size_t j = 0; j < m; ++j) rn[j] = needle[m - 1 - j];
  size_t* f = table.get();
  kmp_table(rn, m, f);

  SegCursor c(segs, nseg);
  size_t in_end = c.seek(end - 1) + 1;  // bytes of the last piece to scan
  size_t i = c.idx;
  size_t base = c.base;  // absolute offset of segs[i]
  size_t q = 0;
  for (;;) {
    size_t lo = start > base ? start - base : 0;  // scan piece [lo, in_end)
    const char* p = segs[i].p;
    for (size_t j = in_end; j > lo;) {
      --j;
      if (q == 0) {
        const void* hit = memrchr(p + lo, rn[0], j + 1 - lo);
        if (!hit) break;
        j = static_cast<size_t>(static_cast<const char*>(hit) - p);
      }
      while (q > 0 && p[j] != rn[q]) q = f[q - 1];
      if (p[j] == rn[q]) ++q;
      if (q == m) {
        *pos = base + j;
        return Status::Ok;
      }
    }
    if (i == 0 || base <= start) break;
    --i;
    base -= segs[i].n;
    in_end = segs[i].n;
  }
  return Status::Ok;
}

size_t seg_find_first_of(const Seg* segs, size_t nseg, size_t total, const char* set, size_t nset, size_t start,
                         size_t end) noexcept {
  end = std::min(end, total);
  if (start >= end || nset == 0) return npos;
  SegCursor c(segs, nseg);
  size_t in = c.seek(start);
  size_t abs = start;
  for (size_t i = c.idx; i < nseg && abs < end; ++i, in = 0) {
    const char* p = segs[i].p + in;
    size_t len = std::min(segs[i].n - in, end - abs);
    size_t first = len;  // each memchr only scans up to the best hit so far
    for (size_t k = 0; k < nset && first > 0; ++k) {
      if (const void* hit = std::memchr(p, set[k], first))
        first = static_cast<size_t>(static_cast<const char*>(hit) - p);
    }
    if (first < len) return abs + first;
    abs += len;
  }
  return npos;
}

}  // namespace chunkbuf
