#include "pool_fork.h"

#include <pthread.h>

#include <mutex>

#include "kinds.h"
#include "leaks.h"
#include "pool.h"
#include "pool_cache.h"
#include "tenants.h"

namespace chunkbuf::detail {
namespace {

std::mutex g_pools_mu;  // the list below, and registering the handlers
Pool* g_pools = nullptr;
bool g_registered = false;

}  // namespace

void Forks::add(Pool* p) noexcept {
  std::lock_guard<std::mutex> lk(g_pools_mu);
  if (!g_registered) {
    g_registered = true;
    pthread_atfork(&Forks::prepare, &Forks::parent, &Forks::child);  // fails only on ENOMEM: then no handlers
  }
  p->fork_next_ = g_pools;
  if (g_pools) g_pools->fork_prev_ = p;
  g_pools = p;
}

void Forks::remove(Pool* p) noexcept {
  std::lock_guard<std::mutex> lk(g_pools_mu);
  if (p->fork_prev_) p->fork_prev_->fork_next_ = p->fork_next_;
  else g_pools = p->fork_next_;
  if (p->fork_next_) p->fork_next_->fork_prev_ = p->fork_prev_;
  p->fork_prev_ = p->fork_next_ = nullptr;
}

// Lock order: pool list, magazine registry, leak, kind and tenant-name
// registries, then per pool its tenant mutex and shards (the order the rest
// of the code nests them in: registry before shard, never the reverse).
void Forks::prepare() noexcept {
  g_pools_mu.lock();
  Caches::lock_registry();
  leaks::lock_for_fork();
  kinds().lock_for_fork();
  tenant_names().lock_for_fork();
  for (Pool* p = g_pools; p; p = p->fork_next_) {
    p->tenants_mu_.lock();
    for (Pool::Shard& s : p->shards_) s.lock_it();
  }
}

void Forks::unlock_all() noexcept {
  for (Pool* p = g_pools; p; p = p->fork_next_) {
    for (Pool::Shard& s : p->shards_) s.unlock_it();
    p->tenants_mu_.unlock();
  }
  tenant_names().unlock_after_fork();
  kinds().unlock_after_fork();
  leaks::unlock_after_fork();
  Caches::unlock_registry();
}

void Forks::parent() noexcept {
  unlock_all();
  g_pools_mu.unlock();
}

void Forks::child() noexcept {
  unlock_all();
  // The only thread now: drop the caches with the pool list still held, so
  // no pool is destroyed under the walk.
  for (Pool* p = g_pools; p; p = p->fork_next_) Caches::forget_other_threads(p);
  g_pools_mu.unlock();
  Caches::reset_this_thread();
}

}  // namespace chunkbuf::detail
