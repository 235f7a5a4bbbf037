#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "core/pool.h"

using namespace chunkbuf;

namespace {

struct PoolPtr {
  Pool* p;
  explicit PoolPtr(PoolOptions o = {}) : p(Pool::create(o)) {}
  ~PoolPtr() { p->release(); }
  Pool* operator->() const { return p; }
};

}  // namespace

TEST(Pool, SizeClasses) {
  EXPECT_EQ(Pool::class_for(1), 0);
  EXPECT_EQ(Pool::class_for(4096), 0);
  EXPECT_EQ(Pool::class_for(4097), 1);
  EXPECT_EQ(Pool::class_for(8192), 1);
  EXPECT_EQ(Pool::class_for(65536), 4);
  EXPECT_EQ(Pool::class_for(1 << 20), 8);
  EXPECT_EQ(Pool::class_for((1 << 20) + 1), -1);
}

TEST(Pool, ReleasedBlocksAreReusedFromTheCache) {
  PoolPtr pool;
  Block* a = nullptr;
  ASSERT_EQ(pool->acquire(100, nullptr, &a), Status::Ok);
  EXPECT_EQ(a->capacity, 4096u);
  char* mem = a->data;
  a->release();
  Block* b = nullptr;
  ASSERT_EQ(pool->acquire(4000, nullptr, &b), Status::Ok);
  EXPECT_EQ(b->data, mem);
  PoolStats st = pool->stats();
  EXPECT_EQ(st.acquisitions, 2u);
  EXPECT_EQ(st.misses[0], 1u);
  EXPECT_EQ(st.hits[0], 1u);
  EXPECT_EQ(st.bytes_in_use, 4096u);
  b->release();
  st = pool->stats();
  EXPECT_EQ(st.releases, 2u);
  EXPECT_EQ(st.bytes_in_use, 0u);
  EXPECT_EQ(st.bytes_cached, 4096u);
  EXPECT_EQ(st.cached_blocks[0], 1u);
  EXPECT_EQ(st.peak_bytes_in_use, 4096u);
}

TEST(Pool, CacheIsBoundedAndTrimmed) {
  PoolOptions o;
  o.max_cached_bytes_per_class = 8 * 4096 * 2;  // 2 blocks per shard for class 0
  PoolPtr pool(o);
  std::vector<Block*> blocks(30);
  for (Block*& b : blocks) ASSERT_EQ(pool->acquire(4096, nullptr, &b), Status::Ok);
  EXPECT_EQ(pool->stats().peak_bytes_in_use, 30u * 4096);
  for (Block* b : blocks) b->release();
  PoolStats st = pool->stats();
  // The bound is the class's, over all shards (8 x 2 blocks), even when one
  // thread releases everything; its magazine holds at most the shard bound
  // more (min(16 blocks, 256 KiB, the shard bound) = 2). The rest was freed.
  EXPECT_EQ(st.cached_blocks[0], 18u);
  EXPECT_EQ(st.bytes_cached, 18u * 4096);
  EXPECT_EQ(st.bytes_in_use, 0u);
  // They are there for the next acquisitions, from any shard.
  for (Block*& b : blocks) ASSERT_EQ(pool->acquire(4096, nullptr, &b), Status::Ok);
  st = pool->stats();
  EXPECT_EQ(st.hits[0], 18u);
  EXPECT_EQ(st.misses[0], 30u + 12u);
  for (Block* b : blocks) b->release();
  pool->trim();
  st = pool->stats();
  EXPECT_EQ(st.cached_blocks[0], 0u);
  EXPECT_EQ(st.bytes_cached, 0u);
}

TEST(Pool, OversizeBlocksAreDirectAndNotCached) {
  PoolPtr pool;
  Block* b = nullptr;
  ASSERT_EQ(pool->acquire((1 << 20) + 10, nullptr, &b), Status::Ok);
  EXPECT_EQ(b->cls, kDirect);
  EXPECT_EQ(b->capacity, (1u << 20) + 10);
  EXPECT_EQ(pool->stats().direct_allocations, 1u);
  b->release();
  PoolStats st = pool->stats();
  EXPECT_EQ(st.bytes_cached, 0u);
  EXPECT_EQ(st.bytes_in_use, 0u);
  EXPECT_EQ(st.acquisitions, st.releases);
}

TEST(Pool, TenantQuotaFailsWithLimitAndCountsLiveBytes) {
  PoolPtr pool;
  TenantRec* t = nullptr;
  ASSERT_EQ(pool->tenant(7, &t), Status::Ok);
  TenantRec* again = nullptr;
  ASSERT_EQ(pool->tenant(7, &again), Status::Ok);
  EXPECT_EQ(t, again);
  t->quota = 8192;
  Block *a = nullptr, *b = nullptr, *c = nullptr;
  ASSERT_EQ(pool->acquire(4096, t, &a), Status::Ok);
  ASSERT_EQ(pool->acquire(4096, t, &b), Status::Ok);
  EXPECT_EQ(t->live.load(), 8192u);
  EXPECT_EQ(pool->acquire(1, t, &c), Status::Limit);
  EXPECT_EQ(t->live.load(), 8192u);
  EXPECT_EQ(pool->stats().bytes_in_use, 8192u);  // the failed request took nothing
  a->release();
  EXPECT_EQ(t->live.load(), 4096u);
  ASSERT_EQ(pool->acquire(1, t, &c), Status::Ok);
  b->release();
  c->release();
  EXPECT_EQ(t->live.load(), 0u);
}

TEST(Pool, BlocksKeepThePoolAliveAfterItsOwnerLetsGo) {
  const size_t before = Pool::live_pools();
  Pool* pool = Pool::create({});
  Block* b = nullptr;
  ASSERT_EQ(pool->acquire(10, nullptr, &b), Status::Ok);
  pool->release();  // the owner is gone; the block still holds the pool
  EXPECT_EQ(Pool::live_pools(), before + 1) << "the pool went away under a live block";
  b->data[0] = 'x';
  EXPECT_EQ(b->pool, pool);
  b->release();  // the last reference: the pool is destroyed now, not later
  EXPECT_EQ(Pool::live_pools(), before) << "the pool outlived its last block";
}

TEST(Pool, ExternalBlocksCallTheirFreeFunctionOnce) {
  PoolPtr pool;
  int calls = 0;
  static char data[16];
  Block* b = nullptr;
  ASSERT_EQ(pool->adopt(data, sizeof data, nullptr, [](void* ud) { ++*static_cast<int*>(ud); }, &calls, &b), Status::Ok);
  EXPECT_EQ(pool->stats().external_blocks, 1u);
  b->retain();
  b->release();
  EXPECT_EQ(calls, 0);
  b->release();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(pool->stats().external_blocks, 0u);
}

// An adopted block holds its pool like a pooled one (the default pool,
// which is never destroyed, takes no reference for it): a closed pool goes
// when its last adopted block does, and the counts cover adopted blocks in
// every pool.
TEST(Pool, AdoptedBlocksHoldTheirPoolAndAreCounted) {
  static char data[16];
  const size_t before = Pool::live_pools();
  Pool* pool = Pool::create({});
  Block* b = nullptr;
  ASSERT_EQ(pool->adopt(data, sizeof data, nullptr, nullptr, nullptr, &b), Status::Ok);
  pool->release();  // the owner is gone; the adopted block still holds the pool
  EXPECT_EQ(Pool::live_pools(), before + 1) << "the pool went away under an adopted block";
  EXPECT_EQ(b->pool->stats().external_blocks, 1u);
  b->release();
  EXPECT_EQ(Pool::live_pools(), before) << "the pool outlived its last adopted block";

  Pool* dp = Pool::default_pool();
  const PoolStats s0 = dp->stats();
  Block* d = nullptr;
  ASSERT_EQ(dp->adopt(data, sizeof data, nullptr, nullptr, nullptr, &d), Status::Ok);
  const PoolStats s1 = dp->stats();
  EXPECT_EQ(s1.external_blocks, s0.external_blocks + 1);
  EXPECT_EQ(s1.acquisitions, s0.acquisitions + 1);
  d->release();
  const PoolStats s2 = dp->stats();
  EXPECT_EQ(s2.external_blocks, s0.external_blocks);
  EXPECT_EQ(s2.releases, s0.releases + 1);
}

TEST(Pool, ConcurrentAcquireReleaseKeepsCountsExact) {
  PoolPtr pool;
  constexpr int kPerThread = 20000;
  auto work = [&] {
    std::vector<Block*> held;
    for (int i = 0; i < kPerThread; ++i) {
      Block* b = nullptr;
      ASSERT_EQ(pool->acquire(static_cast<size_t>(1 + (i % 3) * 5000), nullptr, &b), Status::Ok);
      held.push_back(b);
      if (held.size() > 4) {
        held.front()->release();
        held.erase(held.begin());
      }
    }
    for (Block* b : held) b->release();
  };
  std::thread t1(work), t2(work);
  t1.join();
  t2.join();
  PoolStats st = pool->stats();
  EXPECT_EQ(st.acquisitions, 2u * kPerThread);
  EXPECT_EQ(st.releases, 2u * kPerThread);
  EXPECT_EQ(st.bytes_in_use, 0u);
  uint64_t hits = 0, misses = 0;
  for (int c = 0; c < kClasses; ++c) hits += st.hits[c], misses += st.misses[c];
  EXPECT_EQ(hits + misses, 2u * kPerThread);
  EXPECT_GT(hits, misses);
}
