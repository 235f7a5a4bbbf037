// copy_bytes: see copy.h.
#include "copy.h"

#include <cstdint>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace chunkbuf {
namespace {

#if defined(__x86_64__)
// n >= 32: unaligned first and last 32 bytes, aligned stores between.
// The source is prefetched 1 KiB ahead: an append's source is often cold
// (a fresh page per 4 KiB chunk, where the hardware prefetcher starts
// over), and asking for its lines at once overlaps their misses. A
// prefetch past the source's end is harmless (it never faults).
__attribute__((target("avx2"))) void copy_avx2(char* d, const char* s, size_t n) noexcept {
  for (size_t i = 0; i < n && i < 1024; i += 64) _mm_prefetch(s + i, _MM_HINT_T0);
  const __m256i head = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s));
  const __m256i tail = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(s + n - 32));
  char* const end = d + n;
  const size_t skip = 32 - (reinterpret_cast<uintptr_t>(d) & 31);
  char* a = d + skip;
  const char* b = s + skip;
  for (; a + 128 <= end; a += 128, b += 128) {
    _mm_prefetch(b + 1024, _MM_HINT_T0);
    _mm_prefetch(b + 1088, _MM_HINT_T0);
    const __m256i x0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b));
    const __m256i x1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + 32));
    const __m256i x2 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + 64));
    const __m256i x3 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + 96));
    _mm256_store_si256(reinterpret_cast<__m256i*>(a), x0);
    _mm256_store_si256(reinterpret_cast<__m256i*>(a + 32), x1);
    _mm256_store_si256(reinterpret_cast<__m256i*>(a + 64), x2);
    _mm256_store_si256(reinterpret_cast<__m256i*>(a + 96), x3);
  }
  for (; a + 32 <= end; a += 32, b += 32)
    _mm256_store_si256(reinterpret_cast<__m256i*>(a), _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b)));
  // The last (end - a < 32) bytes and the first skip bytes.
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(end - 32), tail);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(d), head);
}

// A dynamic initializer runs before cpu_init is known to have: call it.
const bool kHaveAvx2 = (__builtin_cpu_init(), __builtin_cpu_supports("avx2"));
#endif

}  // namespace

void copy_bytes(void* dst, const void* src, size_t n) noexcept {
#if defined(__x86_64__)
  if (n >= 256 && kHaveAvx2) return copy_avx2(static_cast<char*>(dst), static_cast<const char*>(src), n);
#endif
  std::memcpy(dst, src, n);
}

}  // namespace chunkbuf
