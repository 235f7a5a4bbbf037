// The copy behind Buffer appends: memcpy, except for copies of 256 bytes
// and more on x86-64 CPUs with AVX2 (a vector loop that prefetches the source).
#pragma once

#include <cstddef>

namespace chunkbuf {

// Copies n bytes from src to dst (the ranges must not overlap). glibc
// copies a few KiB and more with `rep movsb`; for 4 KiB appends of data
// that is not in cache (the Go TakeLines benchmark) the whole loop took
// 8.4 ms per 16 MiB with it, 7.1 ms with 32-byte vector loads and aligned
// stores, and 6.0 ms when those prefetch the source 1 KiB ahead.
void copy_bytes(void* dst, const void* src, size_t n) noexcept;

}  // namespace chunkbuf
