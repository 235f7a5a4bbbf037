// Pool: size-classed, refcounted memory blocks.
//
// Two levels of cache per size class:
// - a per-thread magazine (core/pool_cache.h): a short free list per class
//   per pool that acquire and the last release of an untagged pooled block
//   use with no lock and no atomic read-modify-write;
// - shared shards behind spin locks (a thread sticks to one shard, so there
//   is no global lock), which magazines refill from and spill to half a
//   magazine at a time. Tenant-tagged blocks skip the magazines and use the
//   shards directly, so quotas and their accounting stay exact per block.
// Oversize blocks are allocated directly. External blocks wrap caller
// memory and call a free callback at the end.
//
// Lifetime rules:
// - Owner references (create, retain, release) are held by the pool handle
//   and by buffers. Block references to the pool are counted in batches:
//   refs_ counts one for the owners plus one per block out of the shards,
//   i.e. in use or parked in some thread's magazine.
//   Blocks in the shards hold no reference; they are freed with the pool.
// - When the last owner reference goes, the pool is closed: every magazine
//   holding its blocks is emptied (also those of threads running right now,
//   through the protocol in core/pool_cache.h) and switched off for this
//   pool, so from then on only blocks in use keep the pool alive, and it is
//   destroyed when the last of them is released. A pool therefore lives
//   until its handle is freed and its last block is released, no matter
//   which threads cached its blocks.
// - trim() empties every thread's magazine and the shards.
// - A thread's magazines go back to the shards when the thread exits (or
//   when it starts caching for more pools than it has room for). A
//   magazine is keyed by the pool's id, never reused, so a dead pool's
//   magazine cannot serve a new pool at the same address.
// - fork(): handlers (core/pool_fork.cpp) take every pool lock around the
//   fork, so a child never inherits one held by a thread it does not have,
//   and the child starts with no per-thread caches (the other threads'
//   cached blocks stay unusable in the child; its own go back to the shards).
// - acquire() needs an owner reference or a block reference held by the
//   caller; retain() needs an owner reference; a closed pool stays closed.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "status.h"

namespace chunkbuf {

class Pool;

namespace detail {
struct Magazine;
struct Caches;
struct Forks;
}  // namespace detail

using FreeFn = void (*)(void* user_data);

inline constexpr int kClasses = 9;                   // 4 KiB << 0..8
inline constexpr size_t kMinBlock = 4096;            // class 0
inline constexpr size_t kMaxClassBlock = kMinBlock << (kClasses - 1);  // 1 MiB
inline constexpr int8_t kDirect = -1;
inline constexpr int8_t kExternal = -2;
// The largest block the pool allocates (1 TiB): any size computation above
// it fails with Limit before it can wrap around size_t or reach malloc.
inline constexpr size_t kMaxBlockBytes = size_t{1} << 40;
// What an adopted block costs a tenant on top of its bytes: the block
// header chunkbuf allocates to track it.
inline constexpr size_t kAdoptOverhead = 64;

struct TenantRec {
  uint32_t id = 0;
  std::atomic<size_t> live{0};
  std::atomic<size_t> quota{0};  // 0: unlimited
};

// A block of memory with an atomic refcount. For pooled and direct blocks
// the data follows the header in the same allocation.
struct Block {
  std::atomic<uint32_t> refs;
  int8_t cls;  // 0..kClasses-1, kDirect or kExternal
  Pool* pool;
  TenantRec* tenant;
  char* data;
  size_t capacity;
  FreeFn free_fn;   // external only
  void* user_data;  // external only
  Block* next_free; // cache link

  void retain() noexcept { refs.fetch_add(1, std::memory_order_relaxed); }
  inline void release() noexcept;
};

struct PoolOptions {
  // Bounds each class's shared cache (all shards together). Each thread
  // using the pool caches at most min(16 blocks, 256 KiB, this / 8) more per
  // class in its magazine; 0 turns both caches off.
  size_t max_cached_bytes_per_class = 4u << 20;
};

// Counters are exact whenever no acquire or release runs concurrently with
// stats(); meanwhile they are a momentary estimate.
struct PoolStats {
  uint64_t acquisitions = 0;
  uint64_t releases = 0;
  uint64_t hits[kClasses] = {};
  uint64_t misses[kClasses] = {};
  uint64_t cached_blocks[kClasses] = {};  // shards + magazines
  uint64_t direct_allocations = 0;
  uint64_t bytes_in_use = 0;
  // High-water mark of the bytes out of the shared cache (in use plus
  // parked in magazines), sampled when blocks leave the shards, so it is
  // never below the true peak of bytes_in_use and above it by at most what
  // the magazines held at that moment.
  uint64_t peak_bytes_in_use = 0;
  uint64_t bytes_cached = 0;  // shards + magazines
  uint64_t external_blocks = 0;
};

class Pool {
 public:
  // A new pool with one owner reference (the caller's), or nullptr on OOM.
  static Pool* create(const PoolOptions& opts) noexcept;
  // The process-wide pool, created on first use and never destroyed.
  static Pool* default_pool() noexcept;
  // Pools created and not yet destroyed (a test hook).
  static size_t live_pools() noexcept;

  // Owner references (see the lifetime rules above).
  void retain() noexcept { owners_.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept;

  // A block whose capacity is at least `min_capacity` (rounded up to a size
  // class when it fits one), with refcount 1. Fails with NoMem, or Limit when
  // the tenant's quota would be exceeded. The caller holds an owner
  // reference or a reference to one of the pool's blocks.
  Status acquire(size_t min_capacity, TenantRec* tenant, Block** out) noexcept;
  // Wraps caller memory; free_fn runs once when the last reference drops
  // (deferred to the end of an open ReleaseScope, core/release_scope.h).
  // With a tenant, the block counts len + kAdoptOverhead against its quota
  // (Limit when that would exceed it; free_fn is not called then).
  Status adopt(const void* data, size_t len, TenantRec* tenant, FreeFn free_fn, void* user_data,
               Block** out) noexcept;
  // Called by Block::release when the refcount reaches zero.
  void give_back(Block* b) noexcept;
  // Runs an adopted block's free_fn and frees it (give_back, or the end of
  // the outermost ReleaseScope).
  void finish_external(Block* b) noexcept;

  // Allocates `count` free blocks of the class holding `size` bytes straight
  // into the shared cache, so later acquisitions hit it (the FASTQ module's
  // pre-allocation). Inval for a size no class holds; Limit (nothing
  // allocated) when the class's cache has no room for them all.
  Status prewarm(size_t size, size_t count) noexcept;

  PoolStats stats() const noexcept;
  // Frees every cached block: the shards' and every thread's magazine's.
  void trim() noexcept;

  // The tenant record for `id` (created on first use); nullptr for id 0.
  Status tenant(uint32_t id, TenantRec** out) noexcept;

  static size_t class_size(int cls) noexcept { return kMinBlock << cls; }
  // Smallest class holding n bytes, or -1 when n is oversize.
  static int class_for(size_t n) noexcept;

 private:
  friend struct detail::Caches;
  friend struct detail::Forks;

  struct alignas(64) Shard {
    std::atomic_flag lock = ATOMIC_FLAG_INIT;
    Block* free[kClasses] = {};
    // Written under the lock; read without it as a hint by refills.
    std::atomic<uint32_t> count[kClasses] = {};
    uint64_t hits[kClasses] = {};    // tenant and non-magazine acquisitions
    uint64_t misses[kClasses] = {};
    uint64_t acquisitions = 0;
    uint64_t releases = 0;
    void lock_it() noexcept;
    void unlock_it() noexcept { lock.clear(std::memory_order_release); }
  };
  static constexpr int kShards = 8;

  explicit Pool(const PoolOptions& opts) noexcept;
  ~Pool();
  Shard& my_shard() noexcept;
  Status acquire_slow(int cls, size_t min_capacity, TenantRec* tenant, Block** out) noexcept;
  void give_back_slow(Block* b) noexcept;
  Block* new_block(int cls, size_t cap) noexcept;
  Block* hand_out(Block* b, TenantRec* tenant, Block** out) noexcept;
  Block* take_from_shards(int cls, uint32_t want, uint32_t* got) noexcept;
  Block* stash(int cls, Block* list) noexcept;
  void put_to_shard(int cls, Block* list) noexcept;
  Block* refill(detail::Magazine* m, int cls) noexcept;
  void spill(detail::Magazine* m, int cls) noexcept;
  void taken_out(uint64_t blocks, uint64_t bytes) noexcept;
  void came_back(uint64_t blocks, uint64_t bytes) noexcept;
  void unref(uint64_t n) noexcept;
  void destroy() noexcept;
  void free_shards() noexcept;
  static void free_block_memory(Block* b) noexcept;

  const uint64_t id_;  // unique for the process's lifetime: magazine key
  std::atomic<uint32_t> owners_{1};
  uint32_t max_cached_[kClasses];
  uint16_t mag_cap_[kClasses];
  alignas(64) std::atomic<uint64_t> refs_{1};  // owners (1) + blocks out of the shards
  std::atomic<uint64_t> out_bytes_{0};         // bytes of pooled and direct blocks out of the shards
  std::atomic<uint64_t> peak_out_{0};
  std::atomic<uint64_t> direct_allocations_{0};
  std::atomic<uint64_t> unsharded_acquisitions_{0};  // direct blocks
  std::atomic<uint64_t> unsharded_releases_{0};
  // Adopted blocks: also the live count (their difference), so adopting
  // and finishing one take one counter each beside refs_ (every atomic
  // read-modify-write is a few nanoseconds of a zero-copy append).
  std::atomic<uint64_t> external_acquisitions_{0};
  std::atomic<uint64_t> external_releases_{0};
  Shard shards_[kShards];
  // Guarded by the magazine registry mutex (core/pool_cache.cpp).
  detail::Magazine* mags_ = nullptr;
  bool closed_ = false;
  uint64_t retired_hits_[kClasses] = {};  // counters of magazines given up
  uint64_t retired_misses_[kClasses] = {};
  uint64_t retired_releases_ = 0;
  mutable std::mutex tenants_mu_;
  std::unordered_map<uint32_t, TenantRec*> tenants_;
  // The list of live pools the fork handlers lock (core/pool_fork.cpp).
  Pool* fork_prev_ = nullptr;
  Pool* fork_next_ = nullptr;
};

inline void Block::release() noexcept {
  // A count of 1 means we hold the only reference, and nobody can add one
  // without holding one, so the atomic decrement can be skipped.
  if (refs.load(std::memory_order_acquire) == 1 || refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
    pool->give_back(this);
}

}  // namespace chunkbuf
