#include "pool.h"

#include <algorithm>
#include <new>

#include "leaks.h"
#include "mem.h"
#include "pool_cache.h"
#include "pool_fork.h"
#include "release_scope.h"
#include "spin.h"

namespace chunkbuf {

using detail::Caches;
using detail::Magazine;

namespace {

// Header size rounded to a cache line so block data is 64-byte aligned
// relative to the (16-byte aligned) allocation start.
constexpr size_t kHeader = (sizeof(Block) + 63) & ~size_t{63};

std::atomic<unsigned> g_next_shard{0};
std::atomic<uint64_t> g_next_id{1};  // 0 never names a pool (an empty t_last)
std::atomic<size_t> g_live_pools{0};

// Counts n more bytes against the tenant's quota; Limit (nothing counted)
// when that would exceed it.
Status charge(TenantRec* tenant, size_t n) noexcept {
  if (!tenant) return Status::Ok;
  size_t quota = tenant->quota.load(std::memory_order_relaxed);
  size_t before = tenant->live.fetch_add(n, std::memory_order_relaxed);
  if (quota && (before + n < before || before + n > quota)) {
    tenant->live.fetch_sub(n, std::memory_order_relaxed);
    return fail(Status::Limit, "tenant %u quota of %zu bytes exceeded (%zu live, %zu more needed)", tenant->id,
                quota, before, n);
  }
  return Status::Ok;
}

}  // namespace

void Pool::Shard::lock_it() noexcept {
  int spins = 0;
  while (lock.test_and_set(std::memory_order_acquire)) spin_step(spins);
}

Pool::Pool(const PoolOptions& opts) noexcept : id_(g_next_id.fetch_add(1, std::memory_order_relaxed)) {
  size_t per_class = opts.max_cached_bytes_per_class;
  for (int c = 0; c < kClasses; ++c) {
    size_t blocks = per_class / class_size(c) / kShards;
    max_cached_[c] = static_cast<uint32_t>(blocks ? blocks : (per_class ? 1 : 0));
    mag_cap_[c] = static_cast<uint16_t>(std::min<size_t>(
        {detail::kMagBlocks, detail::kMagBytes / class_size(c), max_cached_[c]}));
  }
  g_live_pools.fetch_add(1, std::memory_order_relaxed);
  detail::Forks::add(this);
}

Pool::~Pool() {
  detail::Forks::remove(this);
  free_shards();
  for (auto& [id, rec] : tenants_) {
    rec->~TenantRec();
    mem::free(rec);
  }
  g_live_pools.fetch_sub(1, std::memory_order_relaxed);
}

Pool* Pool::create(const PoolOptions& opts) noexcept {
  void* mem = mem::alloc(sizeof(Pool));
  if (!mem) return nullptr;
  return new (mem) Pool(opts);
}

Pool* Pool::default_pool() noexcept {
  // Constructed in static storage (never destroyed), so blocks released
  // during static destruction still find their pool.
  alignas(Pool) static unsigned char storage[sizeof(Pool)];
  static Pool* p = new (storage) Pool(PoolOptions{});
  return p;
}

size_t Pool::live_pools() noexcept { return g_live_pools.load(std::memory_order_relaxed); }

void Pool::release() noexcept {
  if (owners_.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  if (this == default_pool()) return;  // never closed
  // Closed: magazines must not keep the pool alive once nobody owns it.
  Caches::drain(this, true);
  unref(1);  // the owners' reference
}

void Pool::unref(uint64_t n) noexcept {
  if (n && refs_.fetch_sub(n, std::memory_order_acq_rel) == n) destroy();
}

void Pool::destroy() noexcept {
  if (this == default_pool()) return;
  Caches::forget(this);
  this->~Pool();
  mem::free(this);
}

void Pool::taken_out(uint64_t blocks, uint64_t bytes) noexcept {
  refs_.fetch_add(blocks, std::memory_order_relaxed);
  uint64_t now = out_bytes_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  uint64_t peak = peak_out_.load(std::memory_order_relaxed);
  while (now > peak && !peak_out_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

void Pool::came_back(uint64_t blocks, uint64_t bytes) noexcept {
  out_bytes_.fetch_sub(bytes, std::memory_order_relaxed);
  unref(blocks);
}

int Pool::class_for(size_t n) noexcept {
  if (n <= kMinBlock) return 0;
  if (n > kMaxClassBlock) return -1;
  // ceil(log2(n / 4096))
  int bits = 64 - __builtin_clzll(static_cast<unsigned long long>(n - 1));
  return bits - 12;
}

Pool::Shard& Pool::my_shard() noexcept {
  thread_local unsigned idx = g_next_shard.fetch_add(1, std::memory_order_relaxed) % kShards;
  return shards_[idx];
}

Block* Pool::new_block(int cls, size_t cap) noexcept {
  if (cap > kMaxBlockBytes) return nullptr;  // acquire refused it already; header + cap must not wrap
  void* m = mem::alloc(kHeader + cap);
  if (!m) return nullptr;
  Block* b = new (m) Block{};
  b->cls = static_cast<int8_t>(cls >= 0 ? cls : kDirect);
  b->pool = this;
  b->data = static_cast<char*>(m) + kHeader;
  b->capacity = cap;
  return b;
}

Block* Pool::hand_out(Block* b, TenantRec* tenant, Block** out) noexcept {
  b->refs.store(1, std::memory_order_relaxed);
  b->tenant = tenant;
  b->next_free = nullptr;
  leaks::on_block_created(b);
  return *out = b;
}

// Up to `want` blocks of a class as a list: from this thread's shard, or
// else from the first other shard that has some (a thread that only
// releases feeds a thread that only acquires).
Block* Pool::take_from_shards(int cls, uint32_t want, uint32_t* got) noexcept {
  Shard* mine = &my_shard();
  for (int i = 0; i < kShards; ++i) {
    Shard& s = shards_[(static_cast<int>(mine - shards_) + i) % kShards];
    if (s.count[cls].load(std::memory_order_relaxed) == 0) continue;
    s.lock_it();
    uint32_t n = std::min(want, s.count[cls].load(std::memory_order_relaxed));
    Block* first = s.free[cls];
    Block* last = first;
    for (uint32_t k = 1; k < n; ++k) last = last->next_free;
    if (n) {
      s.free[cls] = last->next_free;
      last->next_free = nullptr;
      s.count[cls].store(s.count[cls].load(std::memory_order_relaxed) - n, std::memory_order_relaxed);
    }
    s.unlock_it();
    if (n) {
      *got = n;
      return first;
    }
  }
  *got = 0;
  return nullptr;
}

// Puts a list of blocks into the shards, this thread's first and then the
// others, each up to its bound; returns what none had room for. The class's
// bound is so the pool's, not one shard's: a thread that only releases (a
// stream's reader) fills every shard before a block is freed, and a thread
// that only acquires (its writer) finds them there.
Block* Pool::stash(int cls, Block* list) noexcept {
  Shard* mine = &my_shard();
  for (int i = 0; list && i < kShards; ++i) {
    Shard& s = shards_[(static_cast<int>(mine - shards_) + i) % kShards];
    if (s.count[cls].load(std::memory_order_relaxed) >= max_cached_[cls]) continue;
    s.lock_it();
    uint32_t have = s.count[cls].load(std::memory_order_relaxed);
    for (; list && have < max_cached_[cls]; ++have) {
      Block* next = list->next_free;
      list->next_free = s.free[cls];
      s.free[cls] = list;
      list = next;
    }
    s.count[cls].store(have, std::memory_order_relaxed);
    s.unlock_it();
  }
  return list;
}

// Stashes a list of blocks, freeing what the class's bound leaves no room
// for. The caller settles the accounting.
void Pool::put_to_shard(int cls, Block* list) noexcept {
  list = stash(cls, list);
  while (list) {
    Block* next = list->next_free;
    free_block_memory(list);
    list = next;
  }
}

// With m entered and its class empty: half a magazine from the shards, one
// of which is returned and the rest kept in m; nullptr if the shards are empty.
Block* Pool::refill(Magazine* m, int cls) noexcept {
  uint32_t got = 0;
  Block* list = take_from_shards(cls, (m->cap[cls] + 1u) / 2, &got);
  if (!list) return nullptr;
  taken_out(got, got * class_size(cls));
  for (Block* b = list->next_free; b;) {
    Block* next = b->next_free;
    m->push(cls, b);
    b = next;
  }
  return list;
}

// With m entered and its class full: half of it goes to the shards. The
// caller settles the accounting (came_back) after leaving m.
void Pool::spill(Magazine* m, int cls) noexcept {
  uint32_t n = (m->cap[cls] + 1u) / 2;
  Block* list = nullptr;
  for (uint32_t k = 0; k < n; ++k) {
    Block* b = m->pop(cls);
    b->next_free = list;
    list = b;
  }
  put_to_shard(cls, list);
}

Status Pool::acquire(size_t min_capacity, TenantRec* tenant, Block** out) noexcept {
  int cls = class_for(min_capacity);  // -1 for anything above the classes, so the fast path never sees a huge size
  // Fast path: this thread's last magazine has a block. No lock and no
  // atomic read-modify-write; everything else is in acquire_slow.
  if (cls >= 0 && !tenant && detail::t_last.pool_id == id_) {
    Magazine* m = detail::t_last.mag;
    if (m->enter()) {
      Block* b = m->pop(cls);
      m->leave();
      if (b) {
        detail::bump(m->hits[cls]);
        hand_out(b, nullptr, out);
        return Status::Ok;
      }
    }
  }
  return acquire_slow(cls, min_capacity, tenant, out);
}

// Out of line, to keep the fast path above short.
[[gnu::noinline]] Status Pool::acquire_slow(int cls, size_t min_capacity, TenantRec* tenant, Block** out) noexcept {
  size_t cap = cls >= 0 ? class_size(cls) : min_capacity;
  if (cap > kMaxBlockBytes)
    return fail(Status::Limit, "a block of %zu bytes is larger than the largest chunkbuf allocates (%zu)", cap,
                kMaxBlockBytes);

  // The magazine path: refill from the shards, or allocate.
  if (cls >= 0 && !tenant && mag_cap_[cls]) {
    if (Magazine* m = Caches::lookup(this); m && m->enter()) {
      bool on = m->cap[cls] != 0;
      Block* b = on ? m->pop(cls) : nullptr;
      if (!b && on) b = refill(m, cls);
      m->leave();
      if (b) {
        detail::bump(m->hits[cls]);
        hand_out(b, nullptr, out);
        return Status::Ok;
      }
      if (on) {
        b = new_block(cls, cap);
        if (!b) return fail(Status::NoMem, "out of memory allocating a %zu-byte block", cap);
        detail::bump(m->misses[cls]);
        taken_out(1, cap);
        hand_out(b, nullptr, out);
        return Status::Ok;
      }
    }
  }

  // The shared path: tenant-tagged blocks (exact quotas), oversize blocks,
  // and whatever the magazine cannot take.
  if (Status st = charge(tenant, cap); st != Status::Ok) return st;

  Block* b = nullptr;
  if (cls >= 0) {
    Shard& s = my_shard();
    s.lock_it();
    b = s.free[cls];
    if (b) {
      s.free[cls] = b->next_free;
      s.count[cls].store(s.count[cls].load(std::memory_order_relaxed) - 1, std::memory_order_relaxed);
      ++s.hits[cls];
    }
    ++s.acquisitions;
    s.unlock_it();
    if (!b) {  // another shard's, which a thread that only releases filled
      uint32_t got = 0;
      b = take_from_shards(cls, 1, &got);
      s.lock_it();
      ++(b ? s.hits : s.misses)[cls];
      s.unlock_it();
    }
  } else {
    unsharded_acquisitions_.fetch_add(1, std::memory_order_relaxed);
  }

  if (!b) {
    b = new_block(cls, cap);
    if (!b) {
      if (cls >= 0) {  // undo the acquisition count
        Shard& s = my_shard();
        s.lock_it();
        --s.acquisitions;
        s.unlock_it();
      } else {
        unsharded_acquisitions_.fetch_sub(1, std::memory_order_relaxed);
      }
      if (tenant) tenant->live.fetch_sub(cap, std::memory_order_relaxed);
      return fail(Status::NoMem, "out of memory allocating a %zu-byte block", cap);
    }
    if (cls < 0) direct_allocations_.fetch_add(1, std::memory_order_relaxed);
  }
  taken_out(1, cap);
  hand_out(b, tenant, out);
  return Status::Ok;
}

Status Pool::adopt(const void* data, size_t len, TenantRec* tenant, FreeFn free_fn, void* user_data,
                   Block** out) noexcept {
  if (len > SIZE_MAX - kAdoptOverhead) return fail(Status::Limit, "adopting %zu bytes overflows size_t", len);
  if (Status st = charge(tenant, len + kAdoptOverhead); st != Status::Ok) return st;
  void* m = mem::alloc(sizeof(Block));
  if (!m) {
    if (tenant) tenant->live.fetch_sub(len + kAdoptOverhead, std::memory_order_relaxed);
    return fail(Status::NoMem, "out of memory adopting %zu external bytes", len);
  }
  Block* b = new (m) Block{};
  b->tenant = tenant;
  b->refs.store(1, std::memory_order_relaxed);
  b->cls = kExternal;
  b->pool = this;
  b->data = const_cast<char*>(static_cast<const char*>(data));
  b->capacity = len;
  b->free_fn = free_fn;
  b->user_data = user_data;
  // The block's reference on its pool; the default pool is never
  // destroyed, so its blocks need none (one atomic less per adoption).
  if (this != default_pool()) refs_.fetch_add(1, std::memory_order_relaxed);
  external_acquisitions_.fetch_add(1, std::memory_order_relaxed);
  leaks::on_block_created(b);
  *out = b;
  return Status::Ok;
}

void Pool::free_block_memory(Block* b) noexcept { mem::free(b); }

void Pool::give_back(Block* b) noexcept {
  leaks::on_block_gone(b);
  // Fast path: room in this thread's last magazine; the block's pool
  // reference and bytes stay counted as out of the shards.
  int cls = b->cls;
  if (cls >= 0 && !b->tenant && detail::t_last.pool_id == id_) {
    Magazine* m = detail::t_last.mag;
    if (m->enter()) {
      if (m->count[cls].load(std::memory_order_relaxed) < m->cap[cls]) {
        m->push(cls, b);
        m->leave();
        detail::bump(m->releases);
        return;
      }
      m->leave();
    }
  }
  give_back_slow(b);
}

void Pool::finish_external(Block* b) noexcept {
  if (b->tenant) b->tenant->live.fetch_sub(b->capacity + kAdoptOverhead, std::memory_order_relaxed);
  FreeFn fn = b->free_fn;
  void* ud = b->user_data;
  external_releases_.fetch_add(1, std::memory_order_release);
  free_block_memory(b);
  if (this != default_pool()) unref(1);  // may destroy this pool: the callback needs nothing of it
  // The callback last, with nothing of chunkbuf's left to touch: it may
  // free buffers, release views or call any other chunkbuf function.
  if (fn) fn(ud);
}

[[gnu::noinline]] void Pool::give_back_slow(Block* b) noexcept {
  if (b->cls == kExternal) {
    if (!detail::defer_external(b)) finish_external(b);
    return;
  }
  const size_t cap = b->capacity;

  // The magazine path: spill half of a full magazine to the shards first.
  if (b->cls >= 0 && !b->tenant && mag_cap_[b->cls]) {
    int cls = b->cls;
    if (Magazine* m = Caches::lookup(this); m && m->enter()) {
      if (uint32_t mcap = m->cap[cls]) {
        uint32_t spilled = m->count[cls].load(std::memory_order_relaxed) >= mcap ? (mcap + 1) / 2 : 0;
        if (spilled) spill(m, cls);
        m->push(cls, b);
        m->leave();
        detail::bump(m->releases);
        if (spilled) came_back(spilled, spilled * cap);
        return;
      }
      m->leave();
    }
  }

  // The shared path.
  if (b->tenant) b->tenant->live.fetch_sub(cap, std::memory_order_relaxed);
  bool cached = false;
  if (b->cls >= 0) {
    int cls = b->cls;
    Shard& s = my_shard();
    s.lock_it();
    ++s.releases;
    uint32_t have = s.count[cls].load(std::memory_order_relaxed);
    if (have < max_cached_[cls]) {
      b->next_free = s.free[cls];
      s.free[cls] = b;
      s.count[cls].store(have + 1, std::memory_order_relaxed);
      cached = true;
    }
    s.unlock_it();
    if (!cached) {  // another shard's room before the block is freed
      b->next_free = nullptr;
      cached = stash(cls, b) == nullptr;
    }
  } else {
    unsharded_releases_.fetch_add(1, std::memory_order_relaxed);
  }
  if (!cached) free_block_memory(b);
  came_back(1, cap);
}

Status Pool::prewarm(size_t size, size_t count) noexcept {
  int cls = size ? class_for(size) : -1;
  if (cls < 0) return fail(Status::Inval, "prewarm: %zu bytes is no pooled size (1 .. %zu)", size, kMaxClassBlock);
  size_t room = 0;
  for (const Shard& s : shards_) {
    uint32_t have = s.count[cls].load(std::memory_order_relaxed);
    room += have < max_cached_[cls] ? max_cached_[cls] - have : 0;
  }
  if (count > room)
    return fail(Status::Limit, "prewarm: %zu blocks of %zu bytes exceed the room left in the class's cache (%zu)",
                count, class_size(cls), room);
  Block* list = nullptr;
  for (size_t k = 0; k < count; ++k) {
    Block* b = new_block(cls, class_size(cls));
    if (!b) {
      while (list) {
        Block* next = list->next_free;
        free_block_memory(list);
        list = next;
      }
      return fail(Status::NoMem, "prewarm: out of memory allocating %zu blocks", count);
    }
    b->next_free = list;
    list = b;
  }
  list = stash(cls, list);
  while (list) {  // room that releases took meanwhile
    Block* next = list->next_free;
    free_block_memory(list);
    list = next;
  }
  return Status::Ok;
}

PoolStats Pool::stats() const noexcept {
  PoolStats st;
  uint64_t mag_bytes = Caches::collect(this, st);
  for (const Shard& cs : shards_) {
    Shard& s = const_cast<Shard&>(cs);
    s.lock_it();
    st.acquisitions += s.acquisitions;
    st.releases += s.releases;
    for (int c = 0; c < kClasses; ++c) {
      uint64_t n = s.count[c].load(std::memory_order_relaxed);
      st.hits[c] += s.hits[c];
      st.misses[c] += s.misses[c];
      st.cached_blocks[c] += n;
      st.bytes_cached += n * class_size(c);
    }
    s.unlock_it();
  }
  // Releases first: a block's release follows its acquisition, so this
  // order never counts more adopted blocks released than acquired.
  const uint64_t ext_released = external_releases_.load(std::memory_order_acquire);
  const uint64_t ext_acquired = external_acquisitions_.load(std::memory_order_relaxed);
  st.acquisitions += unsharded_acquisitions_.load(std::memory_order_relaxed) + ext_acquired;
  st.releases += unsharded_releases_.load(std::memory_order_relaxed) + ext_released;
  st.direct_allocations = direct_allocations_.load(std::memory_order_relaxed);
  // Magazine blocks are out of the shards but not in use.
  uint64_t out = out_bytes_.load(std::memory_order_relaxed);
  st.bytes_in_use = out > mag_bytes ? out - mag_bytes : 0;
  st.peak_bytes_in_use = peak_out_.load(std::memory_order_relaxed);
  st.bytes_cached += mag_bytes;
  st.external_blocks = ext_acquired - ext_released;
  return st;
}

void Pool::trim() noexcept {
  Caches::drain(this, false);
  free_shards();
}

void Pool::free_shards() noexcept {
  for (Shard& s : shards_) {
    Block* lists[kClasses];
    s.lock_it();
    for (int c = 0; c < kClasses; ++c) {
      lists[c] = s.free[c];
      s.free[c] = nullptr;
      s.count[c].store(0, std::memory_order_relaxed);
    }
    s.unlock_it();
    for (Block* b : lists) {
      while (b) {
        Block* next = b->next_free;
        free_block_memory(b);
        b = next;
      }
    }
  }
}

Status Pool::tenant(uint32_t id, TenantRec** out) noexcept {
  if (id == 0) {
    *out = nullptr;
    return Status::Ok;
  }
  std::lock_guard<std::mutex> lk(tenants_mu_);
  auto it = tenants_.find(id);
  if (it != tenants_.end()) {
    *out = it->second;
    return Status::Ok;
  }
  void* m = mem::alloc(sizeof(TenantRec));
  if (!m) return fail(Status::NoMem, "out of memory creating tenant %u", id);
  TenantRec* rec = new (m) TenantRec{};
  rec->id = id;
  try {
    tenants_.emplace(id, rec);
  } catch (...) {
    mem::free(rec);
    return fail(Status::NoMem, "out of memory creating tenant %u", id);
  }
  *out = rec;
  return Status::Ok;
}

}  // namespace chunkbuf
