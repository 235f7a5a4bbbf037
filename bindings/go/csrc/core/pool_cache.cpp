#include "pool_cache.h"

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>

#ifdef __linux__
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "mem.h"
#include "spin.h"

namespace chunkbuf::detail {

bool g_light_fence = false;
thread_local constinit LastMag t_last{0, nullptr};

// The calling thread's magazines, from its first one to its exit.
struct ThreadCache {
  Magazine* mags[kThreadMags] = {};
  unsigned victim = 0;
};

namespace {

// The registry mutex: every pool's magazine list, Magazine::pool/prev/next,
// Pool::closed_ and the retired counters. Constant-initialized and never
// destroyed in effect, so thread exits during static destruction still work.
std::mutex g_mu;
bool g_fence_chosen = false;

ThreadCache g_gone;  // t_cache after the thread's exit cleanup: no more magazines
thread_local constinit ThreadCache* t_cache = nullptr;

struct Reaper {
  bool armed = false;
  ~Reaper();
};
thread_local Reaper t_reaper;

// Under g_mu, once: can drainers use membarrier, so owners need no real fence?
void choose_fence() noexcept {
  if (g_fence_chosen) return;
  g_fence_chosen = true;
#if defined(__linux__) && defined(SYS_membarrier)
  const char* off = std::getenv("CHUNKBUF_NO_MEMBARRIER");
  if (off && *off && std::strcmp(off, "0") != 0) return;
  long cmds = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
  if (cmds > 0 && (cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
      syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0)
    g_light_fence = true;
#endif
}

// The drainer's half of the fence protocol, after setting the requests.
// False if it failed: then other threads' magazines must be left alone.
bool heavy_fence() noexcept {
#if defined(__linux__) && defined(SYS_membarrier)
  if (g_light_fence) return syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0;
#endif
  return true;  // owners use seq_cst stores; the requests' seq_cst stores pair with them
}

void link(Magazine*& list, Magazine* m) noexcept {
  m->prev = nullptr;
  m->next = list;
  if (list) list->prev = m;
  list = m;
}

void unlink(Magazine*& list, Magazine* m) noexcept {
  if (m->prev) m->prev->next = m->next;
  else list = m->next;
  if (m->next) m->next->prev = m->prev;
  m->prev = m->next = nullptr;
}

}  // namespace

// Moves every block out of m (whose operations the caller excludes) into p's
// shards (`to_shards`) or back to the system; adds what moved to s.
void Caches::empty(Magazine* m, Pool* p, bool to_shards, Settle& s) noexcept {
  for (int c = 0; c < kClasses; ++c) {
    uint32_t n = m->count[c].load(std::memory_order_relaxed);
    Block* list = m->head[c];
    m->head[c] = nullptr;
    m->count[c].store(0, std::memory_order_relaxed);
    if (!n) continue;
    s.blocks += n;
    s.bytes += n * Pool::class_size(c);
    if (to_shards) {
      p->put_to_shard(c, list);
    } else {
      while (list) {
        Block* next = list->next_free;
        Pool::free_block_memory(list);
        list = next;
      }
    }
  }
}

// Under g_mu, by m's owner thread: gives m's blocks back to its pool's
// shards, keeps its counters in the pool, unlinks and frees it.
Caches::Settle Caches::retire(Magazine* m) noexcept {
  Settle s;
  if (Pool* p = m->pool) {
    empty(m, p, true, s);
    for (int c = 0; c < kClasses; ++c) {
      p->retired_hits_[c] += m->hits[c].load(std::memory_order_relaxed);
      p->retired_misses_[c] += m->misses[c].load(std::memory_order_relaxed);
    }
    p->retired_releases_ += m->releases.load(std::memory_order_relaxed);
    unlink(p->mags_, m);
    if (s.blocks) s.pool = p;  // those blocks' references keep p alive until then
  }
  m->~Magazine();
  mem::free(m);
  return s;
}

void Caches::settle(const Settle& s) noexcept {
  if (s.pool) s.pool->came_back(s.blocks, s.bytes);
}

Reaper::~Reaper() {
  ThreadCache* tc = t_cache;
  t_cache = &g_gone;  // releases from later thread_local destructors use the shards
  t_last = {0, nullptr};
  if (tc && tc != &g_gone) Caches::exit_thread(tc);
}

void Caches::exit_thread(ThreadCache* tc) noexcept {
  Settle owed[kThreadMags];
  {
    std::lock_guard<std::mutex> lk(g_mu);
    for (int i = 0; i < kThreadMags; ++i)
      if (tc->mags[i]) owed[i] = retire(tc->mags[i]);
  }
  for (const Settle& s : owed) settle(s);
  tc->~ThreadCache();
  mem::free(tc);
}

Magazine* Caches::find(Pool* p) noexcept {
  ThreadCache* tc = t_cache;
  if (tc == &g_gone) return nullptr;
  if (tc) {
    for (Magazine* m : tc->mags) {
      if (m && m->pool_id == p->id_) {
        t_last = {p->id_, m};
        return m;
      }
    }
  } else {
    void* mem = mem::alloc(sizeof(ThreadCache));
    if (!mem) return nullptr;
    tc = new (mem) ThreadCache;
    t_reaper.armed = true;  // registers the exit cleanup
    t_cache = tc;
  }
  void* mem = mem::alloc(sizeof(Magazine));
  if (!mem) return nullptr;
  Magazine* m = new (mem) Magazine;
  m->pool_id = p->id_;
  m->owner = tc;
  Settle evicted;
  {
    std::lock_guard<std::mutex> lk(g_mu);
    choose_fence();
    m->pool = p;
    for (int c = 0; c < kClasses; ++c) m->cap[c] = p->closed_ ? 0 : p->mag_cap_[c];
    link(p->mags_, m);
    // A free slot, or one whose pool is gone, or else the next victim.
    int slot = -1;
    for (int i = 0; i < kThreadMags && slot < 0; ++i)
      if (!tc->mags[i] || !tc->mags[i]->pool) slot = i;
    if (slot < 0) slot = static_cast<int>(tc->victim++ % kThreadMags);
    if (tc->mags[slot]) evicted = retire(tc->mags[slot]);
    tc->mags[slot] = m;
  }
  settle(evicted);
  t_last = {p->id_, m};
  return m;
}

void Caches::drain(Pool* p, bool close) noexcept {
  Settle freed{p, 0, 0};
  {
    std::lock_guard<std::mutex> lk(g_mu);
    if (close) p->closed_ = true;
    ThreadCache* me = t_cache;
    bool others = false;
    for (Magazine* m = p->mags_; m; m = m->next) {
      if (m->owner == me) continue;
      m->request.store(1, std::memory_order_seq_cst);
      others = true;
    }
    bool fenced = !others || heavy_fence();
    for (Magazine* m = p->mags_; m; m = m->next) {
      bool mine = m->owner == me;  // we are not inside one of our own operations
      if (!mine) {
        if (!fenced) {
          m->request.store(0, std::memory_order_release);
          continue;
        }
        int spins = 0;
        while (m->busy.load(std::memory_order_seq_cst)) spin_step(spins);
      }
      empty(m, p, false, freed);
      if (close) std::memset(m->cap, 0, sizeof m->cap);
      if (!mine) m->request.store(0, std::memory_order_release);
    }
  }
  settle(freed);  // never the last reference: the caller holds one
}

void Caches::forget(Pool* p) noexcept {
  std::lock_guard<std::mutex> lk(g_mu);
  for (Magazine* m = p->mags_; m;) {
    Magazine* next = m->next;
    m->pool = nullptr;  // empty (no block references left); its owner frees it
    m->prev = m->next = nullptr;
    m = next;
  }
  p->mags_ = nullptr;
}

void Caches::lock_registry() noexcept { g_mu.lock(); }
void Caches::unlock_registry() noexcept { g_mu.unlock(); }

void Caches::forget_other_threads(Pool* p) noexcept {
  std::lock_guard<std::mutex> lk(g_mu);
  ThreadCache* me = t_cache;
  for (Magazine* m = p->mags_; m;) {
    Magazine* next = m->next;
    if (m->owner != me) {
      // Its owner may have been inside an operation at the fork: the
      // magazine is left as it was, unreachable (a leak in the child only).
      unlink(p->mags_, m);
      m->pool = nullptr;
    }
    m = next;
  }
}

void Caches::reset_this_thread() noexcept {
  ThreadCache* tc = t_cache;
  t_last = {0, nullptr};
  if (!tc || tc == &g_gone) return;
  t_cache = nullptr;
  exit_thread(tc);
}

uint64_t Caches::collect(const Pool* p, PoolStats& st) noexcept {
  std::lock_guard<std::mutex> lk(g_mu);
  uint64_t bytes = 0;
  for (int c = 0; c < kClasses; ++c) {
    st.hits[c] += p->retired_hits_[c];
    st.misses[c] += p->retired_misses_[c];
    st.acquisitions += p->retired_hits_[c] + p->retired_misses_[c];
  }
  st.releases += p->retired_releases_;
  for (const Magazine* m = p->mags_; m; m = m->next) {
    for (int c = 0; c < kClasses; ++c) {
      uint64_t hits = m->hits[c].load(std::memory_order_relaxed);
      uint64_t misses = m->misses[c].load(std::memory_order_relaxed);
      uint64_t n = m->count[c].load(std::memory_order_relaxed);
      st.hits[c] += hits;
      st.misses[c] += misses;
      st.acquisitions += hits + misses;
      st.cached_blocks[c] += n;
      bytes += n * Pool::class_size(c);
    }
    st.releases += m->releases.load(std::memory_order_relaxed);
  }
  return bytes;
}

}  // namespace chunkbuf::detail
