#include "sizing.h"

#include <algorithm>

namespace chunkbuf {

Status optimal_buffer_size(uint64_t expected_total, size_t min, size_t max, size_t* out) noexcept {
  if (min == 0) min = kSizingMin;
  if (max == 0) max = std::max(kSizingMax, min);
  if (min > max) return fail(Status::Inval, "buffer size bounds: min %zu above max %zu", min, max);
  if (max > (size_t{1} << 30)) return fail(Status::Inval, "buffer size bound max %zu is above 1 GiB", max);
  uint64_t suggested = std::clamp<uint64_t>(expected_total / 100, min, max);
  *out = static_cast<size_t>((suggested + kSizingPage - 1) / kSizingPage * kSizingPage);
  return Status::Ok;
}

}  // namespace chunkbuf
