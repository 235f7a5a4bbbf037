// Waiting a few hundred nanoseconds for a lock another core holds briefly:
// cheaper than sleeping in the kernel and paying a wake-up.
#pragma once

#include <mutex>
#include <thread>

namespace chunkbuf {

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// One step of a wait for a flag another thread clears: a pause, and every
// 64th step a yield, so a holder that was preempted gets the core back.
inline void spin_step(int& spins) noexcept {
  if (++spins > 64) {
    std::this_thread::yield();
    spins = 0;
  } else {
    cpu_relax();
  }
}

// Locks m, trying up to `spins` times (a pause between tries) before it
// blocks like m.lock().
template <typename Mutex>
std::unique_lock<Mutex> lock_spinning(Mutex& m, int spins) noexcept {
  for (int i = 0; i < spins; ++i) {
    if (m.try_lock()) return std::unique_lock<Mutex>(m, std::adopt_lock);
    cpu_relax();
  }
  return std::unique_lock<Mutex>(m);
}

}  // namespace chunkbuf
