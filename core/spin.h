// Brief busy-waiting for a state another thread is about to change.
//
// A blocked reader that sleeps on a condition variable costs a futex wake
// and a context switch per write that feeds it. When writes follow each
// other within microseconds (a writer thread streaming chunks), spinning a
// little before sleeping catches the next write with neither; the spin is
// short so an idle reader still sleeps almost at once.
#pragma once

#include <cstdint>
#include <thread>

namespace chunkbuf {

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  asm volatile("yield" ::: "memory");
#endif
}

// Spinning only pays when the thread that will change the state can run
// meanwhile: never on a single CPU.
inline bool spin_worthwhile() noexcept {
  static const bool multi = std::thread::hardware_concurrency() > 1;
  return multi;
}

}  // namespace chunkbuf
