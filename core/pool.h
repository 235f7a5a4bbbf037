// Pool: size-classed, refcounted memory blocks.
//
// Free blocks are cached per size class in a small number of shards; each
// thread is pinned to one shard, so acquire/release take only that shard's
// spin lock (no global lock). Oversize blocks are allocated directly.
// External blocks wrap caller memory and call a free callback at the end.
//
// A Pool is itself refcounted: the owner holds one reference and every block
// handed out holds one, so blocks (and the views holding them) may outlive
// the owner's handle.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "status.h"

namespace chunkbuf {

class Pool;

using FreeFn = void (*)(void* user_data);

inline constexpr int kClasses = 9;                   // 4 KiB << 0..8
inline constexpr size_t kMinBlock = 4096;            // class 0
inline constexpr size_t kMaxClassBlock = kMinBlock << (kClasses - 1);  // 1 MiB
inline constexpr int8_t kDirect = -1;
inline constexpr int8_t kExternal = -2;

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
  size_t max_cached_bytes_per_class = 4u << 20;
};

struct PoolStats {
  uint64_t acquisitions = 0;
  uint64_t releases = 0;
  uint64_t hits[kClasses] = {};
  uint64_t misses[kClasses] = {};
  uint64_t cached_blocks[kClasses] = {};
  uint64_t direct_allocations = 0;
  uint64_t bytes_in_use = 0;
  uint64_t peak_bytes_in_use = 0;
  uint64_t bytes_cached = 0;
  uint64_t external_blocks = 0;
};

class Pool {
 public:
  // A new pool with one reference (the caller's), or nullptr on OOM.
  static Pool* create(const PoolOptions& opts) noexcept;
  // The process-wide pool, created on first use and never destroyed.
  static Pool* default_pool() noexcept;

  void retain() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  void release() noexcept;

  // A block whose capacity is at least `min_capacity` (rounded up to a size
  // class when it fits one), with refcount 1. Fails with NoMem, or Limit when
  // the tenant's quota would be exceeded.
  Status acquire(size_t min_capacity, TenantRec* tenant, Block** out) noexcept;
  // Wraps caller memory; free_fn runs once when the last reference drops.
  Status adopt(const void* data, size_t len, FreeFn free_fn, void* user_data, Block** out) noexcept;
  // Called by Block::release when the refcount reaches zero.
  void give_back(Block* b) noexcept;

  PoolStats stats() const noexcept;
  void trim() noexcept;

  // The tenant record for `id` (created on first use); nullptr for id 0.
  Status tenant(uint32_t id, TenantRec** out) noexcept;

  static size_t class_size(int cls) noexcept { return kMinBlock << cls; }
  // Smallest class holding n bytes, or -1 when n is oversize.
  static int class_for(size_t n) noexcept;

 private:
  struct alignas(64) Shard {
    std::atomic_flag lock = ATOMIC_FLAG_INIT;
    Block* free[kClasses] = {};
    uint32_t count[kClasses] = {};
    uint64_t hits[kClasses] = {};
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
  void add_in_use(int64_t delta) noexcept;
  static void free_block_memory(Block* b) noexcept;

  std::atomic<uint32_t> refs_{1};
  uint32_t max_cached_[kClasses];
  Shard shards_[kShards];
  std::atomic<uint64_t> bytes_in_use_{0};
  std::atomic<uint64_t> peak_in_use_{0};
  std::atomic<uint64_t> direct_allocations_{0};
  std::atomic<uint64_t> unsharded_acquisitions_{0};  // direct + external
  std::atomic<uint64_t> unsharded_releases_{0};
  std::atomic<uint64_t> external_live_{0};
  mutable std::mutex tenants_mu_;
  std::unordered_map<uint32_t, TenantRec*> tenants_;
};

inline void Block::release() noexcept {
  if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) pool->give_back(this);
}

}  // namespace chunkbuf
