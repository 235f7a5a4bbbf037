#include "search.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

#include "cursor.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace chunkbuf {
namespace {

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

// Rank of each byte in typical text and protocol data, higher = more
// common; bytes not listed rank 0, the rarest. A rough static order in the
// spirit of the byte-frequency table of Rust's memchr crate: the search keys
// on the needle's rarest bytes without having to look at the haystack first.
constexpr std::array<unsigned char, 256> kRank = [] {
  // Most common first; the NUL stands for the zeros of binary data.
  constexpr char common[] =
      " etaoinsrhldcumfpgwybv\0\n.,0123456789-:/=_\"\r'ETAOINSRHLDCUMFPGWYBVk<>;()\txjqzKXJQZ";
  std::array<unsigned char, 256> r{};
  for (size_t i = 0; i + 1 < sizeof common; ++i)
    r[static_cast<unsigned char>(common[i])] = static_cast<unsigned char>(sizeof common - i);
  return r;
}();

// Where the search looks first: the needle's two rarest bytes by kRank, b1
// at offset i1 < i2 holding b2, then its first and last bytes. A start is a
// candidate only when the haystack agrees with the needle at all four.
struct Pair {
  size_t i1, i2, last;  // last = m - 1
  unsigned char b1, b2, first_b, last_b;
};

Pair rare_pair(const char* needle, size_t m) noexcept {  // m >= 2
  auto rank = [needle](size_t i) { return kRank[static_cast<unsigned char>(needle[i])]; };
  size_t a = 0, b = 1;  // rarest, second rarest (ties keep the earlier)
  if (rank(b) < rank(a)) std::swap(a, b);
  for (size_t i = 2; i < m; ++i) {
    if (rank(i) < rank(a)) {
      b = a;
      a = i;
    } else if (rank(i) < rank(b)) {
      b = i;
    }
  }
  if (a > b) std::swap(a, b);
  auto byte = [needle](size_t i) { return static_cast<unsigned char>(needle[i]); };
  return {a, b, m - 1, byte(a), byte(b), byte(0), byte(m - 1)};
}

// Whether the start at p agrees with the needle on the four probed bytes.
bool pair_at(const char* p, const Pair& pr) noexcept {
  auto byte = [p](size_t r) { return static_cast<unsigned char>(p[r]); };
  return byte(pr.i1) == pr.b1 && byte(pr.i2) == pr.b2 && byte(0) == pr.first_b && byte(pr.last) == pr.last_b;
}

#if defined(__SSE2__)
// Pair checks for 16 starts at once, as memchr::memmem does.
struct PairVec {
  const char* p;
  const Pair& pr;
  __m128i v1, v2, vf, vl;

  PairVec(const char* p, const Pair& pr) noexcept
      : p(p), pr(pr), v1(_mm_set1_epi8(static_cast<char>(pr.b1))), v2(_mm_set1_epi8(static_cast<char>(pr.b2))),
        vf(_mm_set1_epi8(static_cast<char>(pr.first_b))), vl(_mm_set1_epi8(static_cast<char>(pr.last_b))) {}
  __m128i eq(const char* q, __m128i v) const noexcept {
    return _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(q)), v);
  }
  // 0xff in byte i where start o + i agrees on the rare bytes.
  __m128i rare(size_t o) const noexcept { return _mm_and_si128(eq(p + o + pr.i1, v1), eq(p + o + pr.i2, v2)); }
  // Narrows rare(o) to the starts that also agree on the needle's ends.
  __m128i ends(size_t o, __m128i r) const noexcept {
    return _mm_and_si128(r, _mm_and_si128(eq(p + o, vf), eq(p + o + pr.last, vl)));
  }
  static unsigned bits(__m128i v) noexcept { return static_cast<unsigned>(_mm_movemask_epi8(v)); }
};

// The hot loop, 32 starts per step (n >= 32), kept apart from the
// verification calls so that its vectors stay in registers. Only the rare
// bytes are compared on every step; the ends only where those matched,
// without a mispredicted return to the caller for each rare-pair hit.
// Returns the first step at or after s with a candidate, *mask holding its
// candidates (bit i: start s + i), or n with *mask = 0. Loads stay in
// bounds: the last step overlaps the one before it.
[[gnu::noinline]] size_t pair_step(const char* p, size_t s, size_t n, const Pair& pr, unsigned* mask) noexcept {
  const PairVec v(p, pr);
  auto ends = [&](size_t o, __m128i lo, __m128i hi) {
    return PairVec::bits(v.ends(o, lo)) | PairVec::bits(v.ends(o + 16, hi)) << 16;
  };
  for (; s + 32 <= n; s += 32) {
    __m128i lo = v.rare(s), hi = v.rare(s + 16);
    if (PairVec::bits(_mm_or_si128(lo, hi)) == 0) [[likely]]
      continue;
    if ((*mask = ends(s, lo, hi)) != 0) return s;
  }
  if (s < n) {
    size_t o = n - 32;
    if ((*mask = ends(o, v.rare(o), v.rare(o + 16)) >> (s - o)) != 0) return s;
  }
  *mask = 0;
  return n;
}
#endif

// Calls stop(s) for each candidate start s in [0, n) of p (p holds
// n + m - 1 bytes), in order, until it returns true; returns that s, or n.
template <typename Stop>
size_t pair_scan(const char* p, size_t n, const Pair& pr, Stop&& stop) noexcept {
  size_t s = 0;
#if defined(__SSE2__)
  if (n >= 32) {
    unsigned mask;
    for (; (s = pair_step(p, s, n, pr, &mask)) < n; s += 32)
      for (; mask; mask &= mask - 1)
        if (size_t c = s + static_cast<size_t>(__builtin_ctz(mask)); stop(c)) return c;
    return n;
  }
#else
  // Without vectors: memchr for the rarest byte at its offset.
  while (s < n) {
    const void* hit = std::memchr(p + s + pr.i1, pr.b1, n - s);
    if (!hit) return n;
    s = static_cast<size_t>(static_cast<const char*>(hit) - p) - pr.i1;
    if (pair_at(p + s, pr) && stop(s)) return s;
    ++s;
  }
#endif
  for (; s < n; ++s)
    if (pair_at(p + s, pr) && stop(s)) return s;
  return n;
}

// What a prefilter candidate costs beyond the bytes compared to verify it
// (a mispredicted branch, a memcmp call), in bytes-compared units.
constexpr size_t kCandidateCost = 16;
// Candidates are verified in blocks of this many bytes, so a mismatch early
// in a long needle is charged its first block only.
constexpr size_t kVerifyBlock = 64;

// The prefilter's running cost. It may spend 2 units per haystack byte
// advanced, plus an allowance of 64 worst-case candidates up front; past
// that the rare bytes are not rare in this haystack and streaming KMP takes
// over. So the prefilter does O(n + m) work and KMP O(n): linear in total,
// whatever the input.
struct Budget {
  const char* needle;
  size_t m, start;
  size_t& work;
  bool matched = false;

  // Verifies the candidate at p, absolute offset abs. True when the
  // prefilter stops there: at a match (matched is set) or out of budget.
  bool stop(const char* p, size_t abs) noexcept {
    work += kCandidateCost;
    matched = true;
    for (size_t o = 0; o < m && matched; o += kVerifyBlock) {
      size_t k = std::min(kVerifyBlock, m - o);
      work += k;
      matched = std::memcmp(p + o, needle + o, k) == 0;
    }
    return matched || work > 2 * (abs - start) + 64 * (kCandidateCost + m);
  }
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

// Streaming KMP over [start, end) that skips with memchr while no prefix
// is matched. Linear in the bytes scanned, whatever the segment sizes: each
// byte is consumed once and each failure link undoes an earlier advance.
Status kmp_find(const Seg* segs, size_t nseg, const char* needle, size_t m, size_t start, size_t end, size_t* pos,
                SearchStats& st) noexcept {
  st.kmp = true;
  Scratch<size_t, 64> table(m);
  size_t* f = table.get();
  if (!f) return fail(Status::NoMem, "out of memory for a %zu-byte needle table", m);
  kmp_table(needle, m, f);
  SegCursor c(segs, nseg);
  c.seek(start);
  size_t q = 0, steps = 0;
  while (!c.at_end() && c.pos() < end) {
    const size_t abs = c.pos();
    const SegCursor::Chunk k = c.chunk();
    const char* p = k.p;
    const size_t len = std::min(k.n, end - abs);
    for (size_t j = 0; j < len; ++j) {
      if (q == 0 && p[j] != needle[0]) {
        const void* hit = std::memchr(p + j + 1, needle[0], len - j - 1);
        if (!hit) break;
        j = static_cast<size_t>(static_cast<const char*>(hit) - p);
      }
      for (; q > 0 && p[j] != needle[q]; ++steps) q = f[q - 1];
      if (p[j] == needle[q]) ++q;
      ++steps;
      if (q == m) {
        st.kmp_steps += steps;
        *pos = abs + j + 1 - m;
        return Status::Ok;
      }
    }
    c.advance(len);
  }
  st.kmp_steps += steps;
  return Status::Ok;
}

// seg_find for m >= 2: the rare-pair prefilter inside each segment,
// verified in place, and over a copy of the bytes around each boundary.
// Linear: the vector scan visits each start once (a boundary copy at most
// twice), a copy is no longer than the two segments it takes bytes from,
// verification is within Budget, and KMP is linear by itself.
Status pair_find(const Seg* segs, size_t nseg, const char* needle, size_t m, size_t start, size_t end, size_t* pos,
                 SearchStats& st) noexcept {
  Scratch<char, 512> window(2 * m + 32);
  if (!window.get()) return fail(Status::NoMem, "out of memory for a %zu-byte needle window", m);
  const Pair pr = rare_pair(needle, m);
  Budget budget{needle, m, start, st.work};
  // Where the prefilter stopped at absolute offset at: a match, or KMP for
  // the starts after it.
  auto finish = [&](size_t at) {
    if (budget.matched) {
      *pos = at;
      return Status::Ok;
    }
    return kmp_find(segs, nseg, needle, m, at + 1, end, pos, st);
  };
  SegCursor c(segs, nseg);
  c.seek(start);
  while (!c.at_end() && c.pos() < end) {
    const size_t abs = c.pos();
    const SegCursor::Chunk piece = c.chunk();
    const char* p = piece.p;
    const size_t len = std::min(piece.n, end - abs);
    if (len >= m) {
      const size_t n = len - m + 1;  // starts with the whole needle inside this piece
      size_t s = pair_scan(p, n, pr, [&](size_t o) { return budget.stop(p + o, abs + o); });
      if (s < n) return finish(abs + s);
    }
    size_t after = std::min(m - 1, end - (abs + len));  // bytes following this piece
    if (after > 0) {
      // Starts straddling the boundary lie in the last m - 1 bytes here. A
      // segment shorter than that could put a needle across three or more:
      // streaming KMP from the first of those starts on.
      const Seg& next = c.segment()[1];
      if (next.n < after) return kmp_find(segs, nseg, needle, m, abs + len - std::min(len, m - 1), end, pos, st);
      // Else scan a copy of the bytes around the boundary, widened to 32
      // starts so that the vector step applies: starts seen twice hold no
      // match, the scan above returned otherwise.
      const size_t k = std::min(len, std::max(m - 1, size_t{32}));
      char* w = window.get();
      std::memcpy(w, p + len - k, k);
      std::memcpy(w + k, next.p, after);
      if (k + after >= m) {
        const size_t base = abs + len - k, n = k + after - m + 1;
        size_t s = pair_scan(w, n, pr, [&](size_t o) { return budget.stop(w + o, base + o); });
        if (s < n) return finish(base + s);
      }
    }
    c.advance(len);
  }
  return Status::Ok;
}

}  // namespace

char seg_byte_at(const Seg* segs, size_t nseg, size_t off) noexcept {
  SegCursor c(segs, nseg);
  c.seek(off);
  return c.chunk().p[0];
}

void seg_copy(const Seg* segs, size_t nseg, size_t off, void* dst, size_t n) noexcept {
  SegCursor c(segs, nseg);
  c.seek(off);
  c.copy(dst, n);
}

bool seg_equal(const Seg* segs, size_t nseg, size_t off, const void* data, size_t n) noexcept {
  SegCursor c(segs, nseg);
  c.seek(off);
  const char* d = static_cast<const char*>(data);
  while (n > 0 && !c.at_end()) {
    const SegCursor::Chunk k = c.chunk();
    const size_t take = std::min(k.n, n);
    if (std::memcmp(d, k.p, take) != 0) return false;
    d += take;
    n -= take;
    c.advance(take);
  }
  return n == 0;
}

Status seg_find(const Seg* segs, size_t nseg, size_t total, const char* needle, size_t m, size_t start, size_t end,
                size_t* pos, SearchStats* stats) noexcept {
  SearchStats st;
  Status r = Status::Ok;
  *pos = npos;
  end = std::min(end, total);
  if (start > end || end - start < m) {
    // nothing to find
  } else if (m == 0) {
    *pos = start;  // the empty needle occurs at start, as bytes.find answers
  } else if (m == 1) {
    SegCursor c(segs, nseg);
    c.seek(start);
    while (!c.at_end() && c.pos() < end) {
      const SegCursor::Chunk k = c.chunk();
      const size_t len = std::min(k.n, end - c.pos());
      if (const void* hit = std::memchr(k.p, needle[0], len)) {
        *pos = c.pos() + static_cast<size_t>(static_cast<const char*>(hit) - k.p);
        break;
      }
      c.advance(len);
    }
  } else {
    r = pair_find(segs, nseg, needle, m, start, end, pos, st);
  }
  if (stats) *stats = st;
  return r;
}

Status seg_find(const Seg* segs, size_t nseg, size_t total, const char* needle, size_t m, size_t start, size_t end,
                size_t* pos) noexcept {
  return seg_find(segs, nseg, total, needle, m, start, end, pos, nullptr);
}

Status seg_rfind(const Seg* segs, size_t nseg, size_t total, const char* needle, size_t m, size_t start, size_t end,
                 size_t* pos) noexcept {
  *pos = npos;
  end = std::min(end, total);
  if (start > end || end - start < m) return Status::Ok;
  if (m == 0) {
    *pos = end;  // the empty needle's last occurrence is at end, as bytes.rfind answers
    return Status::Ok;
  }

  // Reverse KMP: match the reversed needle scanning backwards from end.
  Scratch<char, 256> rev(m);
  Scratch<size_t, 64> table(m);
  if (!rev.get() || !table.get()) return fail(Status::NoMem, "out of memory for a %zu-byte needle table", m);
  char* rn = rev.get();
  for (size_t j = 0; j < m; ++j) rn[j] = needle[m - 1 - j];
  size_t* f = table.get();
  kmp_table(rn, m, f);

  SegCursor c(segs, nseg);
  c.seek(end - 1);
  size_t in_end = c.offset_in_segment() + 1;  // bytes of the last piece to scan
  size_t i = static_cast<size_t>(c.segment() - segs);
  size_t base = c.segment_base();  // absolute offset of segs[i]
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
  c.seek(start);
  while (!c.at_end() && c.pos() < end) {
    const SegCursor::Chunk k = c.chunk();
    const size_t len = std::min(k.n, end - c.pos());
    size_t first = len;  // each memchr only scans up to the best hit so far
    for (size_t j = 0; j < nset && first > 0; ++j) {
      if (const void* hit = std::memchr(k.p, set[j], first))
        first = static_cast<size_t>(static_cast<const char*>(hit) - k.p);
    }
    if (first < len) return c.pos() + first;
    c.advance(len);
  }
  return npos;
}

}  // namespace chunkbuf
