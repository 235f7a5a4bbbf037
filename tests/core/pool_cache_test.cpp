// Per-thread magazines (core/pool_cache.h): blocks a thread caches must go
// back when the thread exits, when the pool is trimmed and when the pool is
// freed while that thread still runs; stats stay exact once threads are
// quiet. Run under TSan for the drain protocol, and once more with
// CHUNKBUF_NO_MEMBARRIER=1 (meson test core-pool-fence-fallback).
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "core/pool.h"

using namespace chunkbuf;

namespace {

constexpr size_t k4K = 4096;

struct PoolPtr {
  Pool* p;
  explicit PoolPtr(PoolOptions o = {}) : p(Pool::create(o)) {}
  ~PoolPtr() { p->release(); }
  Pool* operator->() const { return p; }
};

uint64_t total(const uint64_t (&v)[kClasses]) {
  uint64_t n = 0;
  for (uint64_t x : v) n += x;
  return n;
}

// Acquisitions that failed inside cycle(). cycle() runs on worker threads
// too, where no assertion may run: it counts, and the main thread checks
// once every test has run (a failed acquire also upsets the stats checks).
std::atomic<int> g_failed_acquires{0};

class NoFailedAcquires : public ::testing::Environment {
 public:
  void TearDown() override { EXPECT_EQ(g_failed_acquires.load(), 0) << "cycle() could not acquire a block"; }
};
[[maybe_unused]] ::testing::Environment* const g_no_failed_acquires =
    ::testing::AddGlobalTestEnvironment(new NoFailedAcquires);

// Acquires n blocks of `size`, then releases them all (into this thread's
// magazine while it has room); returns their data pointers.
std::set<char*> cycle(Pool* pool, int n, size_t size) {
  std::vector<Block*> held;
  std::set<char*> data;
  for (int i = 0; i < n; ++i) {
    Block* b = nullptr;
    if (pool->acquire(size, nullptr, &b) != Status::Ok) {
      ++g_failed_acquires;
      continue;
    }
    held.push_back(b);
    data.insert(b->data);
  }
  for (Block* b : held) b->release();
  return data;
}

}  // namespace

TEST(PoolCache, ReleasesAndAcquiresOnOneThreadStayInItsMagazine) {
  PoolPtr pool;
  std::set<char*> first = cycle(pool.p, 5, k4K);
  PoolStats st = pool->stats();
  EXPECT_EQ(st.misses[0], 5u);
  EXPECT_EQ(st.cached_blocks[0], 5u);
  EXPECT_EQ(st.bytes_cached, 5 * k4K);
  EXPECT_EQ(st.bytes_in_use, 0u);
  EXPECT_EQ(st.peak_bytes_in_use, 5 * k4K);  // exact here: nothing was parked while the 5 were taken
  EXPECT_EQ(cycle(pool.p, 5, k4K), first);
  st = pool->stats();
  EXPECT_EQ(st.hits[0], 5u);
  EXPECT_EQ(st.misses[0], 5u);
  EXPECT_EQ(st.acquisitions, 10u);
  EXPECT_EQ(st.releases, 10u);
  EXPECT_EQ(st.peak_bytes_in_use, 5 * k4K);
}

// A stream's reader releases the blocks its writer acquires, each on its
// own thread: the releasing thread fills every shard (the class's bound is
// the pool's) before it frees a block, and the acquiring thread takes them
// from there, so a window of 40 blocks is recycled, not reallocated.
TEST(PoolCache, BlocksOneThreadReleasesServeAnotherThreadsAcquisitions) {
  for (bool tagged : {false, true}) {
    PoolPtr pool;  // default bound: 4 MiB per class, 8 blocks of 64 KiB per shard
    TenantRec* tenant = nullptr;
    if (tagged) {
      ASSERT_EQ(pool->tenant(5, &tenant), Status::Ok);
    }
    constexpr size_t k64K = 64u << 10, kWindow = 40;
    std::vector<Block*> blocks(kWindow);
    for (Block*& b : blocks) ASSERT_EQ(pool->acquire(k64K, tenant, &b), Status::Ok);
    std::thread([&] {
      for (Block* b : blocks) b->release();
    }).join();
    std::thread([&] {
      for (Block*& b : blocks) ASSERT_EQ(pool->acquire(k64K, tenant, &b), Status::Ok);
    }).join();
    PoolStats st = pool->stats();
    const int cls = Pool::class_for(k64K);
    EXPECT_EQ(st.misses[cls], kWindow) << "tagged " << tagged;
    EXPECT_EQ(st.hits[cls], kWindow) << "tagged " << tagged;
    for (Block* b : blocks) b->release();
  }
}

TEST(PoolCache, ZeroCacheBoundCachesNothing) {
  PoolOptions o;
  o.max_cached_bytes_per_class = 0;
  PoolPtr pool(o);
  cycle(pool.p, 3, k4K);
  PoolStats st = pool->stats();
  EXPECT_EQ(st.misses[0], 3u);
  EXPECT_EQ(st.bytes_cached, 0u);
  EXPECT_EQ(st.bytes_in_use, 0u);
}

TEST(PoolCache, TenantBlocksBypassTheMagazineAndKeepPeakExact) {
  PoolPtr pool;
  TenantRec* t = nullptr;
  ASSERT_EQ(pool->tenant(3, &t), Status::Ok);
  for (int round = 0; round < 3; ++round) {
    Block *a = nullptr, *b = nullptr;
    ASSERT_EQ(pool->acquire(k4K, t, &a), Status::Ok);
    ASSERT_EQ(pool->acquire(k4K, t, &b), Status::Ok);
    EXPECT_EQ(t->live.load(), 2 * k4K);
    a->release();
    b->release();
    EXPECT_EQ(t->live.load(), 0u);
  }
  PoolStats st = pool->stats();
  EXPECT_EQ(st.peak_bytes_in_use, 2 * k4K);  // tagged blocks are counted one by one
  EXPECT_EQ(st.misses[0], 2u);
  EXPECT_EQ(st.hits[0], 4u);
  EXPECT_EQ(st.cached_blocks[0], 2u);
}

TEST(PoolCache, ThreadExitReturnsCachedBlocks) {
  PoolPtr pool;
  std::latch cached(1), go(1);
  std::set<char*> theirs;
  std::thread t([&] {
    theirs = cycle(pool.p, 4, k4K);
    cached.count_down();
    go.wait();
  });
  cached.wait();
  PoolStats st = pool->stats();
  EXPECT_EQ(st.cached_blocks[0], 4u);  // in t's magazine, counted as cached
  EXPECT_EQ(st.bytes_in_use, 0u);
  // Another thread cannot take them while t lives.
  Block* b = nullptr;
  ASSERT_EQ(pool->acquire(k4K, nullptr, &b), Status::Ok);
  EXPECT_EQ(theirs.count(b->data), 0u);
  EXPECT_EQ(pool->stats().misses[0], 5u);
  b->release();
  go.count_down();
  t.join();
  // t's exit put them into the shared cache: all hits from now on.
  st = pool->stats();
  EXPECT_EQ(st.cached_blocks[0], 5u);
  EXPECT_EQ(st.releases, 5u);
  std::set<char*> again = cycle(pool.p, 5, k4K);
  st = pool->stats();
  EXPECT_EQ(st.misses[0], 5u);
  EXPECT_EQ(st.hits[0], 5u);
  for (char* p : theirs) EXPECT_EQ(again.count(p), 1u);
}

TEST(PoolCache, TrimDrainsOtherThreadsMagazines) {
  PoolPtr pool;
  std::latch cached(1), trimmed(1);
  std::thread t([&] {
    cycle(pool.p, 5, k4K);
    cycle(pool.p, 2, 65536);
    cached.count_down();
    trimmed.wait();
    cycle(pool.p, 1, k4K);  // its magazine is empty now: a miss
  });
  cached.wait();
  PoolStats st = pool->stats();
  EXPECT_EQ(st.cached_blocks[0], 5u);
  EXPECT_EQ(st.cached_blocks[4], 2u);
  EXPECT_EQ(st.bytes_cached, 5 * k4K + 2 * 65536);
  pool->trim();
  st = pool->stats();
  EXPECT_EQ(total(st.cached_blocks), 0u);
  EXPECT_EQ(st.bytes_cached, 0u);
  EXPECT_EQ(st.bytes_in_use, 0u);
  trimmed.count_down();
  t.join();
  st = pool->stats();
  EXPECT_EQ(st.misses[0], 6u);
  EXPECT_EQ(st.hits[0], 0u);
}

TEST(PoolCache, PoolFreedWhileAnotherThreadCachesItsBlocks) {
  const size_t before = Pool::live_pools();
  Pool* pool = Pool::create({});
  std::latch cached(1), freed(1);
  std::thread t([&] {
    cycle(pool, 6, k4K);
    cached.count_down();
    freed.wait();
  });
  cached.wait();
  EXPECT_EQ(Pool::live_pools(), before + 1);
  pool->release();  // closes the pool: t's magazine is drained although t still runs
  EXPECT_EQ(Pool::live_pools(), before);
  freed.count_down();
  t.join();  // t's exit must not touch the destroyed pool (ASan)
}

TEST(PoolCache, LastBlockReleasedOnAnotherThreadAfterThePoolIsFreed) {
  const size_t before = Pool::live_pools();
  Pool* pool = Pool::create({});
  Pool* next = nullptr;
  std::latch cached(1), freed(1), released(1), next_ready(1), used_next(1), checked(1);
  Block* held = nullptr;  // acquired here: no assertion runs inside t
  ASSERT_EQ(pool->acquire(k4K, nullptr, &held), Status::Ok);
  std::thread t([&] {
    cycle(pool, 3, k4K);
    cached.count_down();
    freed.wait();
    held->release();  // the last reference: destroys the pool, on this thread
    released.count_down();
    // A new pool may get the dead one's address; t's dead magazine for the
    // old pool must not serve it.
    next_ready.wait();
    cycle(next, 2, k4K);
    used_next.count_down();
    checked.wait();  // t's exit would give its magazine back
  });
  cached.wait();
  pool->release();
  EXPECT_EQ(Pool::live_pools(), before + 1);  // t's block keeps it alive
  freed.count_down();
  released.wait();
  EXPECT_EQ(Pool::live_pools(), before);  // magazines did not keep it alive
  next = Pool::create({});
  next_ready.count_down();
  used_next.wait();
  PoolStats st = next->stats();
  EXPECT_EQ(st.misses[0], 2u);
  EXPECT_EQ(st.hits[0], 0u);
  EXPECT_EQ(st.cached_blocks[0], 2u);
  // They sit in t's own new magazine (not in the shards), so we miss.
  cycle(next, 1, k4K);
  EXPECT_EQ(next->stats().misses[0], 3u);
  checked.count_down();
  t.join();
  next->release();
  EXPECT_EQ(Pool::live_pools(), before);
}

TEST(PoolCache, OneThreadCachingForManyPoolsEvictsAndGivesBack) {
  const size_t before = Pool::live_pools();
  std::vector<Pool*> pools;
  for (int i = 0; i < 20; ++i) pools.push_back(Pool::create({}));  // more than a thread's magazines
  for (int round = 0; round < 2; ++round)
    for (Pool* p : pools) cycle(p, 2, k4K);
  for (Pool* p : pools) {
    PoolStats st = p->stats();
    EXPECT_EQ(st.acquisitions, 4u);
    EXPECT_EQ(st.releases, 4u);
    EXPECT_EQ(st.misses[0], 2u);  // evicted magazines went back to the shards
    EXPECT_EQ(st.hits[0], 2u);
    EXPECT_EQ(st.cached_blocks[0], 2u);
    EXPECT_EQ(st.bytes_in_use, 0u);
  }
  for (Pool* p : pools) p->release();
  EXPECT_EQ(Pool::live_pools(), before);
}

TEST(PoolCache, TrimAndStatsWhileOtherThreadsChurn) {
  PoolPtr pool;
  constexpr int kThreads = 3, kOps = 20000;
  std::atomic<bool> done{false};
  auto work = [&](int seed) {
    std::vector<Block*> held;
    for (int i = 0; i < kOps; ++i) {
      Block* b = nullptr;
      ASSERT_EQ(pool->acquire(i % 5 == seed ? 65536 : k4K, nullptr, &b), Status::Ok);
      b->data[0] = static_cast<char>(i);  // the block is ours: TSan checks nobody else writes it
      b->data[b->capacity - 1] = 1;
      held.push_back(b);
      if (held.size() > static_cast<size_t>(i % 20)) {
        for (Block* h : held) h->release();
        held.clear();
      }
    }
    for (Block* h : held) h->release();
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(work, i);
  std::thread trimmer([&] {
    while (!done.load()) {
      pool->trim();
      (void)pool->stats();  // a momentary estimate; exercised for races only
      std::this_thread::yield();
    }
  });
  for (std::thread& t : threads) t.join();
  done = true;
  trimmer.join();
  PoolStats st = pool->stats();
  EXPECT_EQ(st.acquisitions, uint64_t{kThreads} * kOps);
  EXPECT_EQ(st.releases, uint64_t{kThreads} * kOps);
  EXPECT_EQ(st.bytes_in_use, 0u);
  EXPECT_EQ(total(st.hits) + total(st.misses), st.acquisitions);
  pool->trim();
  st = pool->stats();
  EXPECT_EQ(st.bytes_cached, 0u);
  EXPECT_EQ(total(st.cached_blocks), 0u);
}

// Threads hand blocks to each other (acquired on one, released on another),
// with tenants, oversize and external blocks mixed in. Once they have
// exited every counter must add up exactly.
TEST(PoolCache, StatsConsistentAfterMultiThreadedChurn) {
  const size_t before = Pool::live_pools();
  Pool* pool = Pool::create({});
  TenantRec* tenant = nullptr;
  ASSERT_EQ(pool->tenant(9, &tenant), Status::Ok);
  constexpr int kThreads = 4, kOps = 15000, kHeld = 10;
  static const size_t sizes[] = {100, 4096, 5000, 16384, 65536, 200000, (1 << 20) + 1};
  std::mutex mu;
  std::vector<Block*> handoff;  // released by whichever thread picks them up
  std::atomic<uint64_t> external_frees{0};
  std::latch all_holding(kThreads), checked(1);
  auto work = [&](unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<Block*> mine;
    // All threads hold kHeld 4 KiB blocks at once: a lower bound for the peak.
    for (int i = 0; i < kHeld; ++i) {
      Block* b = nullptr;
      ASSERT_EQ(pool->acquire(k4K, nullptr, &b), Status::Ok);
      mine.push_back(b);
    }
    all_holding.count_down();
    checked.wait();
    for (int i = 0; i < kOps; ++i) {
      Block* b = nullptr;
      unsigned r = rng();
      if (r % 97 == 0) {
        static char ext[8];
        ASSERT_EQ(pool->adopt(ext, sizeof ext, nullptr, [](void* n) { ++*static_cast<std::atomic<uint64_t>*>(n); },
                              &external_frees, &b),
                  Status::Ok);
      } else {
        ASSERT_EQ(pool->acquire(sizes[r % 7], r % 13 == 0 ? tenant : nullptr, &b), Status::Ok);
      }
      if (r % 3 == 0) {
        std::lock_guard<std::mutex> lk(mu);
        handoff.push_back(b);
      } else {
        mine.push_back(b);
      }
      if (mine.size() > kHeld) {
        mine.front()->release();
        mine.erase(mine.begin());
      }
      if (r % 5 == 0) {
        Block* other = nullptr;
        {
          std::lock_guard<std::mutex> lk(mu);
          if (!handoff.empty()) {
            other = handoff.back();
            handoff.pop_back();
          }
        }
        if (other) other->release();
      }
    }
    for (Block* h : mine) h->release();
  };
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < kThreads; ++i) threads.emplace_back(work, i + 1);
  all_holding.wait();
  PoolStats st = pool->stats();
  EXPECT_EQ(st.bytes_in_use, uint64_t{kThreads} * kHeld * k4K);
  EXPECT_GE(st.peak_bytes_in_use, uint64_t{kThreads} * kHeld * k4K);
  checked.count_down();
  for (std::thread& t : threads) t.join();
  for (Block* b : handoff) b->release();
  const uint64_t ops = uint64_t{kThreads} * (kOps + kHeld);
  st = pool->stats();
  EXPECT_EQ(st.acquisitions, ops);
  EXPECT_EQ(st.releases, ops);
  EXPECT_EQ(st.bytes_in_use, 0u);
  EXPECT_EQ(st.external_blocks, 0u);
  EXPECT_EQ(total(st.hits) + total(st.misses) + st.direct_allocations + external_frees.load(), ops);
  EXPECT_EQ(tenant->live.load(), 0u);
  uint64_t cached = 0;
  for (int c = 0; c < kClasses; ++c) {
    cached += st.cached_blocks[c] * Pool::class_size(c);
    // The threads have exited: the shards hold blocks within the bound, and
    // this thread's magazine (the handoff blocks it released) at most its
    // capacity more.
    const size_t mag = std::min<size_t>(16 * Pool::class_size(c), 256u << 10);
    EXPECT_LE(st.cached_blocks[c] * Pool::class_size(c), std::max<size_t>(4u << 20, 8 * Pool::class_size(c)) + mag);
  }
  EXPECT_EQ(st.bytes_cached, cached);
  EXPECT_GE(st.peak_bytes_in_use, uint64_t{kThreads} * kHeld * k4K);
  pool->release();
  EXPECT_EQ(Pool::live_pools(), before);
}
