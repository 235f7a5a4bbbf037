// find_byte_ends: where one byte occurs in a run of memory, many at a time.
// scan_byte_lines (line_handout.h) asks it for the line ends of a batch: a
// memchr per line pays a call and its set-up for each line, where this
// compares 64 bytes a step and takes every match of the step from one mask.
#include <cstdint>
#include <cstring>

#include "scan.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CHUNKBUF_SCAN_AVX2 1
#endif

namespace chunkbuf {
namespace {

size_t ends_memchr(const char* p, size_t n, char ch, uint32_t* out, size_t want, size_t* scanned) noexcept {
  size_t k = 0, i = 0;
  while (k < want && i < n) {
    const void* hit = std::memchr(p + i, ch, n - i);
    if (!hit) {
      i = n;
      break;
    }
    const size_t at = static_cast<size_t>(static_cast<const char*>(hit) - p);
    out[k++] = static_cast<uint32_t>(at);
    i = at + 1;
  }
  *scanned = i;
  return k;
}

#ifdef CHUNKBUF_SCAN_AVX2
__attribute__((target("avx2,bmi"))) inline uint64_t match64(const char* p, __m256i v) noexcept {
  const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  const uint64_t lo = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, v)));
  const uint64_t hi = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, v)));
  return lo | hi << 32;
}

// The positions of the set bits of m, each plus base, into out + k.
__attribute__((target("avx2,bmi"))) inline size_t flatten(uint64_t m, uint32_t base, uint32_t* out,
                                                          size_t k) noexcept {
  for (; m; m = _blsr_u64(m)) out[k++] = base + static_cast<uint32_t>(_tzcnt_u64(m));
  return k;
}

__attribute__((target("avx2,bmi"))) size_t ends_avx2(const char* p, size_t n, char ch, uint32_t* out, size_t want,
                                                     size_t* scanned) noexcept {
  const __m256i v = _mm256_set1_epi8(ch);
  size_t k = 0, i = 0;
  for (; i + 64 <= n && k < want; i += 64) k = flatten(match64(p + i, v), static_cast<uint32_t>(i), out, k);
  if (k < want && i < n) {
    // The tail, through a copy padded with bytes that cannot match (no
    // read past the run).
    alignas(32) char tail[64];
    std::memset(tail, ~ch, sizeof tail);
    std::memcpy(tail, p + i, n - i);
    k = flatten(match64(tail, v), static_cast<uint32_t>(i), out, k);
    i = n;
  }
  *scanned = i;
  return k;
}

using EndsFn = size_t (*)(const char*, size_t, char, uint32_t*, size_t, size_t*) noexcept;

EndsFn pick() noexcept {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi"))
    return ends_avx2;
  return ends_memchr;
}
#endif

}  // namespace

size_t find_byte_ends(const char* p, size_t n, char ch, uint32_t* out, size_t want, size_t* scanned) noexcept {
#ifdef CHUNKBUF_SCAN_AVX2
  static const EndsFn ends = pick();
  // One end (take_line) is memchr's case: it stops at the first.
  if (want > 1) return ends(p, n, ch, out, want, scanned);
#endif
  return ends_memchr(p, n, ch, out, want, scanned);
}

}  // namespace chunkbuf
