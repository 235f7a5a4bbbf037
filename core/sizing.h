// The FASTQ module's buffer-size heuristic: one hundredth of the expected
// total, clamped to [min, max] and rounded up to a whole 4 KiB page, so a
// small input gets a small buffer and a huge one a bounded buffer.
#pragma once

#include <cstddef>
#include <cstdint>

#include "status.h"

namespace chunkbuf {

inline constexpr size_t kSizingMin = 8 * 1024;
inline constexpr size_t kSizingMax = 64 * 1024;
inline constexpr size_t kSizingPage = 4096;

// min 0 / max 0 take kSizingMin / kSizingMax; Inval when min > max or max
// is above 1 GiB.
Status optimal_buffer_size(uint64_t expected_total, size_t min, size_t max, size_t* out) noexcept;

}  // namespace chunkbuf
