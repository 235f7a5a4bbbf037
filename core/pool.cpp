#include "pool.h"

#include <new>
#include <thread>

#include "leaks.h"
#include "mem.h"

namespace chunkbuf {
namespace {

// Header size rounded to a cache line so block data is 64-byte aligned
// relative to the (16-byte aligned) allocation start.
constexpr size_t kHeader = (sizeof(Block) + 63) & ~size_t{63};

std::atomic<unsigned> g_next_shard{0};

}  // namespace

void Pool::Shard::lock_it() noexcept {
  int spins = 0;
  while (lock.test_and_set(std::memory_order_acquire)) {
    if (++spins > 64) {
      std::this_thread::yield();
      spins = 0;
    } else {
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
  }
}

Pool::Pool(const PoolOptions& opts) noexcept {
  size_t per_class = opts.max_cached_bytes_per_class;
  for (int c = 0; c < kClasses; ++c) {
    size_t blocks = per_class / class_size(c) / kShards;
    max_cached_[c] = static_cast<uint32_t>(blocks ? blocks : (per_class ? 1 : 0));
  }
}

Pool::~Pool() {
  trim();
  for (auto& [id, rec] : tenants_) {
    rec->~TenantRec();
    mem::free(rec);
  }
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

void Pool::release() noexcept {
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    if (this == default_pool()) return;  // never destroyed
    this->~Pool();
    mem::free(this);
  }
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

void Pool::add_in_use(int64_t delta) noexcept {
  uint64_t now = bytes_in_use_.fetch_add(static_cast<uint64_t>(delta), std::memory_order_relaxed) +
                 static_cast<uint64_t>(delta);
  if (delta > 0) {
    uint64_t peak = peak_in_use_.load(std::memory_order_relaxed);
    while (now > peak && !peak_in_use_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
    }
  }
}

Status Pool::acquire(size_t min_capacity, TenantRec* tenant, Block** out) noexcept {
  int cls = class_for(min_capacity);
  size_t cap = cls >= 0 ? class_size(cls) : min_capacity;

  if (tenant) {
    size_t quota = tenant->quota.load(std::memory_order_relaxed);
    size_t live = tenant->live.fetch_add(cap, std::memory_order_relaxed) + cap;
    if (quota && live > quota) {
      tenant->live.fetch_sub(cap, std::memory_order_relaxed);
      return fail(Status::Limit, "tenant %u quota of %zu bytes exceeded (%zu live, %zu more needed)", tenant->id,
                  quota, live - cap, cap);
    }
  }

  Block* b = nullptr;
  if (cls >= 0) {
    Shard& s = my_shard();
    s.lock_it();
    b = s.free[cls];
    if (b) {
      s.free[cls] = b->next_free;
      --s.count[cls];
      ++s.hits[cls];
    } else {
      ++s.misses[cls];
    }
    ++s.acquisitions;
    s.unlock_it();
  } else {
    unsharded_acquisitions_.fetch_add(1, std::memory_order_relaxed);
  }

  if (!b) {
    void* m = mem::alloc(kHeader + cap);
    if (!m) {
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
    b = static_cast<Block*>(m);
    new (b) Block{};
    b->cls = static_cast<int8_t>(cls >= 0 ? cls : kDirect);
    b->data = static_cast<char*>(m) + kHeader;
    b->capacity = cap;
    if (cls < 0) direct_allocations_.fetch_add(1, std::memory_order_relaxed);
  }
  b->refs.store(1, std::memory_order_relaxed);
  b->pool = this;
  b->tenant = tenant;
  b->next_free = nullptr;
  retain();
  add_in_use(static_cast<int64_t>(cap));
  leaks::on_block_created(b);
  *out = b;
  return Status::Ok;
}

Status Pool::adopt(const void* data, size_t len, FreeFn free_fn, void* user_data, Block** out) noexcept {
  void* m = mem::alloc(sizeof(Block));
  if (!m) return fail(Status::NoMem, "out of memory adopting %zu external bytes", len);
  Block* b = new (m) Block{};
  b->refs.store(1, std::memory_order_relaxed);
  b->cls = kExternal;
  b->pool = this;
  b->data = const_cast<char*>(static_cast<const char*>(data));
  b->capacity = len;
  b->free_fn = free_fn;
  b->user_data = user_data;
  retain();
  unsharded_acquisitions_.fetch_add(1, std::memory_order_relaxed);
  external_live_.fetch_add(1, std::memory_order_relaxed);
  leaks::on_block_created(b);
  *out = b;
  return Status::Ok;
}

void Pool::free_block_memory(Block* b) noexcept { mem::free(b); }

void Pool::give_back(Block* b) noexcept {
  leaks::on_block_gone(b);
  if (b->cls == kExternal) {
    if (b->free_fn) b->free_fn(b->user_data);
    external_live_.fetch_sub(1, std::memory_order_relaxed);
    unsharded_releases_.fetch_add(1, std::memory_order_relaxed);
    free_block_memory(b);
    release();
    return;
  }
  if (b->tenant) b->tenant->live.fetch_sub(b->capacity, std::memory_order_relaxed);
  add_in_use(-static_cast<int64_t>(b->capacity));
  bool cached = false;
  if (b->cls >= 0) {
    int cls = b->cls;
    Shard& s = my_shard();
    s.lock_it();
    ++s.releases;
    if (s.count[cls] < max_cached_[cls]) {
      b->next_free = s.free[cls];
      s.free[cls] = b;
      ++s.count[cls];
      cached = true;
    }
    s.unlock_it();
  } else {
    unsharded_releases_.fetch_add(1, std::memory_order_relaxed);
  }
  if (!cached) free_block_memory(b);
  release();
}

PoolStats Pool::stats() const noexcept {
  PoolStats st;
  for (const Shard& cs : shards_) {
    Shard& s = const_cast<Shard&>(cs);
    s.lock_it();
    st.acquisitions += s.acquisitions;
    st.releases += s.releases;
    for (int c = 0; c < kClasses; ++c) {
      st.hits[c] += s.hits[c];
      st.misses[c] += s.misses[c];
      st.cached_blocks[c] += s.count[c];
      st.bytes_cached += uint64_t{s.count[c]} * class_size(c);
    }
    s.unlock_it();
  }
  st.acquisitions += unsharded_acquisitions_.load(std::memory_order_relaxed);
  st.releases += unsharded_releases_.load(std::memory_order_relaxed);
  st.direct_allocations = direct_allocations_.load(std::memory_order_relaxed);
  st.bytes_in_use = bytes_in_use_.load(std::memory_order_relaxed);
  st.peak_bytes_in_use = peak_in_use_.load(std::memory_order_relaxed);
  st.external_blocks = external_live_.load(std::memory_order_relaxed);
  return st;
}

void Pool::trim() noexcept {
  for (Shard& s : shards_) {
    Block* lists[kClasses];
    s.lock_it();
    for (int c = 0; c < kClasses; ++c) {
      lists[c] = s.free[c];
      s.free[c] = nullptr;
      s.count[c] = 0;
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
