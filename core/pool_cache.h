// Per-thread magazines of free pool blocks (internal to core/pool*.cpp).
//
// Each thread keeps, per pool it uses, one Magazine: a free list per size
// class. The owner thread pops and pushes with plain loads and stores; the
// only thing that ever races with it is a drainer (trim, the pool's close)
// that must empty the magazine while the owner may be running. They agree
// through two flags, Dekker style, without an atomic read-modify-write on
// the owner's side:
//   owner:   busy = 1; [light fence]; if (request) back off; ...; busy = 0
//   drainer: request = 1; [heavy fence]; wait until busy == 0; drain; request = 0
// The heavy fence is membarrier(PRIVATE_EXPEDITED), which makes every
// running thread of the process execute a full barrier, so the owner's
// light fence can be a compiler barrier (as in liburcu's and folly's
// asymmetric fences). Without membarrier (or with CHUNKBUF_NO_MEMBARRIER=1)
// both sides use sequentially consistent stores instead.
//
// Magazines are registered with their pool under one global mutex that
// also guards creation, thread exit, eviction, drains and stats(); the hot
// path never takes it.
#pragma once

#include <atomic>
#include <cstdint>

#include "pool.h"

namespace chunkbuf::detail {

inline constexpr uint32_t kMagBlocks = 16;        // blocks per class, at most
inline constexpr size_t kMagBytes = 256u << 10;   // bytes per class, at most
inline constexpr int kThreadMags = 8;             // pools one thread caches for

struct ThreadCache;

struct Magazine {
  std::atomic<uint32_t> busy{0};     // owner is inside an operation
  std::atomic<uint32_t> request{0};  // a drainer wants the magazine
  // Owner's, except while a drainer holds the magazine.
  Block* head[kClasses] = {};
  uint16_t cap[kClasses] = {};  // 0: this class bypasses the magazine
  std::atomic<uint32_t> count[kClasses];  // also read by stats()
  // Written by the owner thread only, read by stats().
  std::atomic<uint64_t> hits[kClasses];
  std::atomic<uint64_t> misses[kClasses];
  std::atomic<uint64_t> releases{0};
  // Fixed at creation.
  uint64_t pool_id = 0;
  ThreadCache* owner = nullptr;
  // Guarded by the registry mutex.
  Pool* pool = nullptr;  // nullptr once the pool is destroyed
  Magazine* prev = nullptr;
  Magazine* next = nullptr;

  // Enters an operation; false when a drainer holds the magazine (then the
  // caller goes to the shards instead).
  bool enter() noexcept;
  void leave() noexcept { busy.store(0, std::memory_order_release); }

  Block* pop(int cls) noexcept {
    Block* b = head[cls];
    if (b) {
      head[cls] = b->next_free;
      count[cls].store(count[cls].load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
    }
    return b;
  }
  void push(int cls, Block* b) noexcept {
    b->next_free = head[cls];
    head[cls] = b;
    count[cls].store(count[cls].load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
};

// A counter only its owner thread writes: no read-modify-write needed.
inline void bump(std::atomic<uint64_t>& c) noexcept {
  c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

// Owner side of the fence protocol: set once, before the first magazine.
extern bool g_light_fence;

inline bool Magazine::enter() noexcept {
  if (g_light_fence) {
    busy.store(1, std::memory_order_relaxed);
    std::atomic_signal_fence(std::memory_order_seq_cst);  // the drainer's membarrier does the rest
  } else {
    busy.store(1, std::memory_order_seq_cst);
  }
  if (request.load(std::memory_order_seq_cst)) {
    leave();
    return false;
  }
  return true;
}

// The calling thread's most recently used magazine.
struct LastMag {
  uint64_t pool_id;
  Magazine* mag;
};
extern thread_local constinit LastMag t_last;

// Everything that needs the registry mutex (core/pool_cache.cpp).
struct Caches {
  // The calling thread's magazine for p: found or created. nullptr when the
  // thread is exiting or out of memory (the caller uses the shards).
  static Magazine* find(Pool* p) noexcept;
  static Magazine* lookup(Pool* p) noexcept {
    return t_last.pool_id == p->id_ ? t_last.mag : find(p);
  }
  // Empties every magazine of p (freeing the blocks); `close` also switches
  // them off for p. The caller holds a reference.
  static void drain(Pool* p, bool close) noexcept;
  // Unlinks p's (empty) magazines before p is destroyed.
  static void forget(Pool* p) noexcept;
  // Adds the magazines' counters and cached blocks to st; returns the
  // bytes they hold.
  static uint64_t collect(const Pool* p, PoolStats& st) noexcept;
  // At thread exit: gives back all of the thread's magazines.
  static void exit_thread(ThreadCache* tc) noexcept;
  // fork() (core/pool_fork.cpp): the registry mutex around the fork; in the
  // child, unlinks p's magazines of the threads that did not survive (their
  // blocks stay out of use), and gives this thread's magazines back.
  static void lock_registry() noexcept;
  static void unlock_registry() noexcept;
  static void forget_other_threads(Pool* p) noexcept;
  static void reset_this_thread() noexcept;

 private:
  // What a thread owes a pool after emptying a magazine, settled once the
  // registry mutex is released (settling may destroy the pool, which takes it).
  struct Settle {
    Pool* pool = nullptr;
    uint64_t blocks = 0, bytes = 0;
  };
  static void empty(Magazine* m, Pool* p, bool to_shards, Settle& s) noexcept;
  static Settle retire(Magazine* m) noexcept;
  static void settle(const Settle& s) noexcept;
};

}  // namespace chunkbuf::detail
