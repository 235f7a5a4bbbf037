// fork() safety for the pools (internal to core/pool*.cpp).
//
// Every live pool is on one list. pthread_atfork handlers take, before the
// fork, every lock a chunkbuf call may hold for a moment (the pool list,
// the magazine registry, the leak and kind registries, each pool's tenant
// mutex and shard locks) and release them after it in parent and child, so
// the child never inherits a lock held by a thread that does not exist
// there. The child then drops the per-thread caches: the other threads'
// magazines (their blocks stay unused in the child) and the forking
// thread's own (their blocks go back to the shards).
#pragma once

namespace chunkbuf {
class Pool;
namespace detail {

struct Forks {
  static void add(Pool* p) noexcept;     // from the pool's constructor
  static void remove(Pool* p) noexcept;  // from its destructor

 private:
  static void prepare() noexcept;
  static void parent() noexcept;
  static void child() noexcept;
  static void unlock_all() noexcept;
};

}  // namespace detail
}  // namespace chunkbuf
