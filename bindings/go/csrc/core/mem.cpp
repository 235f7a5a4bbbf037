#include "mem.h"

#include <cstdlib>

namespace chunkbuf::mem {
namespace detail {
std::atomic<int64_t> g_fail_countdown{-1};

bool injected_failure() {
  int64_t left = g_fail_countdown.load(std::memory_order_relaxed);
  if (left < 0) return false;
  if (left == 0) return true;
  g_fail_countdown.fetch_sub(1, std::memory_order_relaxed);
  return false;
}
}  // namespace detail

void* alloc(size_t n) noexcept {
  if (detail::injected_failure()) return nullptr;
  return std::malloc(n ? n : 1);
}

void free(void* p) noexcept { std::free(p); }

void fail_after(int64_t n) noexcept { detail::g_fail_countdown.store(n, std::memory_order_relaxed); }
void fail_never() noexcept { detail::g_fail_countdown.store(-1, std::memory_order_relaxed); }

}  // namespace chunkbuf::mem
