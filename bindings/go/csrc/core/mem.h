// The one place the core gets heap memory from. Returning nullptr (never
// throwing) keeps out-of-memory an ordinary status; the failure-injection
// hook lets tests make the N-th allocation fail.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace chunkbuf::mem {

namespace detail {
// Allocations left before injected failures start; < 0 means never.
extern std::atomic<int64_t> g_fail_countdown;
bool injected_failure();
}  // namespace detail

void* alloc(size_t n) noexcept;
// For allocators that reuse memory without calling alloc (recycled view
// reps): false when an injected failure says this allocation must fail, so
// out-of-memory tests see every allocation point.
inline bool reuse_allowed() noexcept {
  return detail::g_fail_countdown.load(std::memory_order_relaxed) < 0 || !detail::injected_failure();
}
void free(void* p) noexcept;

// Test hook: the (n+1)-th allocation from now on fails, and so do all later
// ones until fail_never() is called. n < 0 disables injection.
void fail_after(int64_t n) noexcept;
void fail_never() noexcept;

}  // namespace chunkbuf::mem
