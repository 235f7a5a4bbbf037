// The copy behind Buffer appends: memcpy, except for copies of 256 bytes
// and more on x86-64 CPUs with AVX2.
#pragma once

#include <cstddef>

namespace chunkbuf {

// Copies n bytes from src to dst (the ranges must not overlap). glibc
// copies a few KiB and more with `rep movsb`; for 4 KiB appends of data
// that is not in cache (the Go TakeLines benchmark) that measured 14%
// slower over the whole loop than 32-byte vector loads and aligned stores.
void copy_bytes(void* dst, const void* src, size_t n) noexcept;

}  // namespace chunkbuf
