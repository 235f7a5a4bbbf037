// The behaviours axon's ZeroCopyBuffer and the FASTQ buffer module users
// rely on, through the C API: kinds and tenants by name, the builder that
// freezes without copying, pooled buffers, prewarming, the arena, sizing.
#include <gtest/gtest.h>

#include <chunkbuf.h>

#include <cstdint>
#include <cstring>
#include <string>

namespace {

chunkbuf_pool_stats stats_of(chunkbuf_pool* pool) {
  chunkbuf_pool_stats st = CHUNKBUF_POOL_STATS_INIT;
  EXPECT_EQ(chunkbuf_pool_stats_get(pool, &st), CHUNKBUF_OK);
  return st;
}

std::string bytes_of(const chunkbuf_view* v) {
  size_t n = 0;
  EXPECT_EQ(chunkbuf_view_len(v, &n), CHUNKBUF_OK);
  std::string s(n, '\0');
  size_t got = 0;
  EXPECT_EQ(chunkbuf_view_copy_out(v, 0, s.data(), n, &got), CHUNKBUF_OK);
  return s;
}

TEST(SeedBehaviours, FromBytesWithAKindNamedAtRunTime) {
  uint32_t jpeg = 99, mine = 0, found = 0;
  ASSERT_EQ(chunkbuf_kind_lookup("jpeg", &jpeg), CHUNKBUF_OK);
  EXPECT_EQ(jpeg, CHUNKBUF_KIND_JPEG);
  ASSERT_EQ(chunkbuf_kind_register("seed-capi-kind", &mine), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_kind_lookup("seed-capi-kind", &found), CHUNKBUF_OK);
  EXPECT_EQ(found, mine);
  chunkbuf_view* v = nullptr;
  ASSERT_EQ(chunkbuf_view_from_bytes_kind(nullptr, "\xff\xd8", 2, jpeg, &v), CHUNKBUF_OK);
  uint32_t k = 0;
  ASSERT_EQ(chunkbuf_view_kind(v, &k), CHUNKBUF_OK);
  EXPECT_EQ(k, jpeg);
  EXPECT_EQ(bytes_of(v), "\xff\xd8");
  chunkbuf_view_release(v);
}

TEST(SeedBehaviours, TenantNamesTagViewsAndKeepNumericAccounting) {
  uint32_t alpha = 0, again = 0, beta = 0;
  ASSERT_EQ(chunkbuf_tenant_register("seed-alpha", &alpha), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_tenant_register("seed-alpha", &again), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_tenant_register("seed-beta", &beta), CHUNKBUF_OK);
  EXPECT_GE(alpha, 1u);
  EXPECT_EQ(again, alpha);
  EXPECT_NE(beta, alpha);
  const char* name = nullptr;
  ASSERT_EQ(chunkbuf_tenant_name(alpha, &name), CHUNKBUF_OK);
  EXPECT_STREQ(name, "seed-alpha");

  // The name's id drives the pool's accounting like any tenant number.
  chunkbuf_pool* pool = nullptr;
  ASSERT_EQ(chunkbuf_pool_new(nullptr, &pool), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_pool_set_tenant_quota(pool, alpha, 8192), CHUNKBUF_OK);
  chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
  o.pool = pool;
  o.tenant = alpha;
  chunkbuf_buffer* b = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(&o, &b), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_append(b, "0123456789", 10), CHUNKBUF_OK);
  size_t live = 0;
  ASSERT_EQ(chunkbuf_pool_tenant_usage(pool, alpha, &live), CHUNKBUF_OK);
  EXPECT_EQ(live, 4096u);
  std::string big(8192, 'x');
  EXPECT_EQ(chunkbuf_buffer_append(b, big.data(), big.size()), CHUNKBUF_ELIMIT);

  chunkbuf_view *v = nullptr, *tagged = nullptr, *slice = nullptr;
  ASSERT_EQ(chunkbuf_buffer_split_to(b, 10, &v), CHUNKBUF_OK);
  uint32_t t = 0;
  ASSERT_EQ(chunkbuf_view_tenant(v, &t), CHUNKBUF_OK);
  EXPECT_EQ(t, alpha);
  // with_tenant: a new view with the tag; the original keeps its own.
  ASSERT_EQ(chunkbuf_view_with_tenant(v, beta, &tagged), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_view_tenant(tagged, &t), CHUNKBUF_OK);
  EXPECT_EQ(t, beta);
  ASSERT_EQ(chunkbuf_view_tenant(v, &t), CHUNKBUF_OK);
  EXPECT_EQ(t, alpha);
  ASSERT_EQ(chunkbuf_view_slice(tagged, 2, 5, &slice), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_view_tenant(slice, &t), CHUNKBUF_OK);
  EXPECT_EQ(t, beta);
  EXPECT_EQ(bytes_of(slice), "234");
  // Same bytes: no copy.
  const void *p1 = nullptr, *p2 = nullptr;
  size_t n1 = 0, n2 = 0;
  ASSERT_EQ(chunkbuf_view_data(v, &p1, &n1), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_view_data(tagged, &p2, &n2), CHUNKBUF_OK);
  EXPECT_EQ(p1, p2);
  chunkbuf_view_release(slice);
  chunkbuf_view_release(tagged);
  chunkbuf_view_release(v);
  chunkbuf_buffer_free(b);
  ASSERT_EQ(chunkbuf_pool_tenant_usage(pool, alpha, &live), CHUNKBUF_OK);
  EXPECT_EQ(live, 0u);
  chunkbuf_pool_free(pool);
}

TEST(SeedBehaviours, BuilderFreezesWithoutCopying) {
  chunkbuf_buffer* b = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(nullptr, &b), CHUNKBUF_OK);
  size_t cap = 1;
  ASSERT_EQ(chunkbuf_buffer_capacity(b, &cap), CHUNKBUF_OK);
  EXPECT_EQ(cap, 0u);
  ASSERT_EQ(chunkbuf_buffer_ensure_capacity(b, 10000), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_capacity(b, &cap), CHUNKBUF_OK);
  EXPECT_GE(cap, 10000u);
  ASSERT_EQ(chunkbuf_buffer_append(b, "hello ", 6), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_append(b, "world", 5), CHUNKBUF_OK);
  size_t cap2 = 0;
  ASSERT_EQ(chunkbuf_buffer_capacity(b, &cap2), CHUNKBUF_OK);
  EXPECT_EQ(cap2, cap);  // the writes went into the block taken ahead
  struct iovec iov[2];
  size_t n = 0;
  ASSERT_EQ(chunkbuf_buffer_peek(b, 11, iov, 2, &n), CHUNKBUF_OK);
  ASSERT_EQ(n, 1u);
  chunkbuf_view* v = nullptr;
  ASSERT_EQ(chunkbuf_buffer_freeze(b, CHUNKBUF_KIND_PCM16, &v), CHUNKBUF_OK);
  const void* data = nullptr;
  size_t len = 0;
  ASSERT_EQ(chunkbuf_view_data(v, &data, &len), CHUNKBUF_OK);
  EXPECT_EQ(data, iov[0].iov_base);  // zero copy
  EXPECT_EQ(std::string(static_cast<const char*>(data), len), "hello world");
  uint32_t k = 0;
  ASSERT_EQ(chunkbuf_view_kind(v, &k), CHUNKBUF_OK);
  EXPECT_EQ(k, CHUNKBUF_KIND_PCM16);
  // The builder is empty; later writes do not touch the frozen bytes.
  ASSERT_EQ(chunkbuf_buffer_len(b, &len), CHUNKBUF_OK);
  EXPECT_EQ(len, 0u);
  ASSERT_EQ(chunkbuf_buffer_append(b, "XXXXXXXXXXX", 11), CHUNKBUF_OK);
  EXPECT_EQ(bytes_of(v), "hello world");
  chunkbuf_buffer_free(b);
  chunkbuf_view_release(v);
}

TEST(SeedBehaviours, EnsureCapacityRespectsMaxBytes) {
  chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
  o.max_bytes = 100;
  chunkbuf_buffer* b = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(&o, &b), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_buffer_ensure_capacity(b, 101), CHUNKBUF_ELIMIT);
  size_t cap = 1;
  ASSERT_EQ(chunkbuf_buffer_capacity(b, &cap), CHUNKBUF_OK);
  EXPECT_EQ(cap, 0u);  // nothing taken on failure
  EXPECT_EQ(chunkbuf_buffer_ensure_capacity(b, 100), CHUNKBUF_OK);
  chunkbuf_buffer_free(b);
}

TEST(SeedBehaviours, PoolGetHandsOutAPooledBufferThatGoesBack) {
  chunkbuf_pool* pool = nullptr;
  ASSERT_EQ(chunkbuf_pool_new(nullptr, &pool), CHUNKBUF_OK);
  chunkbuf_pool_stats s0 = stats_of(pool);
  chunkbuf_buffer* b = nullptr;
  ASSERT_EQ(chunkbuf_pool_get(pool, 5000, &b), CHUNKBUF_OK);  // the 8 KiB class
  chunkbuf_pool_stats s1 = stats_of(pool);
  EXPECT_EQ(s1.acquisitions - s0.acquisitions, 1u);
  EXPECT_EQ(s1.bytes_in_use - s0.bytes_in_use, 8192u);
  size_t cap = 0;
  ASSERT_EQ(chunkbuf_buffer_capacity(b, &cap), CHUNKBUF_OK);
  EXPECT_EQ(cap, 8192u);
  std::string fill(8192, 'q');
  ASSERT_EQ(chunkbuf_buffer_append(b, fill.data(), fill.size()), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_buffer_append(b, "!", 1), CHUNKBUF_ELIMIT);  // fixed capacity
  chunkbuf_pool_stats s2 = stats_of(pool);
  EXPECT_EQ(s2.acquisitions, s1.acquisitions);  // the writes took no other block
  chunkbuf_buffer_free(b);
  chunkbuf_pool_stats s3 = stats_of(pool);
  EXPECT_EQ(s3.releases - s2.releases, 1u);
  EXPECT_EQ(s3.bytes_in_use, s0.bytes_in_use);
  EXPECT_EQ(s3.cached_blocks[1] - s0.cached_blocks[1], 1u);
  // The next get of the class is served from the cache.
  ASSERT_EQ(chunkbuf_pool_get(pool, 8192, &b), CHUNKBUF_OK);
  chunkbuf_pool_stats s4 = stats_of(pool);
  EXPECT_EQ(s4.hits[1] - s3.hits[1], 1u);
  chunkbuf_buffer_free(b);
  chunkbuf_pool_free(pool);
}

TEST(SeedBehaviours, PrewarmFillsTheCacheAndBoundsIt) {
  chunkbuf_pool_options po = CHUNKBUF_POOL_OPTIONS_INIT;
  po.max_cached_bytes_per_class = 8 * 16384;  // 16 KiB class: 8 blocks, one per shard
  chunkbuf_pool* pool = nullptr;
  ASSERT_EQ(chunkbuf_pool_new(&po, &pool), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_pool_prewarm(pool, 16384, 0), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_pool_prewarm(pool, 10000, 5), CHUNKBUF_OK);
  chunkbuf_pool_stats s = stats_of(pool);
  EXPECT_EQ(s.cached_blocks[2], 5u);
  EXPECT_EQ(s.bytes_cached, 5u * 16384);
  EXPECT_EQ(s.acquisitions, 0u);
  EXPECT_EQ(s.bytes_in_use, 0u);
  EXPECT_EQ(chunkbuf_pool_prewarm(pool, 16384, 4), CHUNKBUF_ELIMIT);  // room for 3 more
  EXPECT_EQ(stats_of(pool).cached_blocks[2], 5u);
  chunkbuf_buffer* b = nullptr;
  ASSERT_EQ(chunkbuf_pool_get(pool, 16384, &b), CHUNKBUF_OK);
  s = stats_of(pool);
  EXPECT_EQ(s.hits[2], 1u);
  EXPECT_EQ(s.misses[2], 0u);
  chunkbuf_buffer_free(b);
  chunkbuf_pool_free(pool);
}

TEST(SeedBehaviours, ArenaAllocatesResetsAndIsBounded) {
  chunkbuf_pool* pool = nullptr;
  ASSERT_EQ(chunkbuf_pool_new(nullptr, &pool), CHUNKBUF_OK);
  chunkbuf_arena* a = nullptr;
  ASSERT_EQ(chunkbuf_arena_new(pool, 100, &a), CHUNKBUF_OK);
  EXPECT_EQ(stats_of(pool).bytes_in_use, 4096u);
  void *p = nullptr, *q = nullptr, *r = nullptr;
  ASSERT_EQ(chunkbuf_arena_alloc(a, 10, 0, &p), CHUNKBUF_OK);
  std::memset(p, 'a', 10);
  ASSERT_EQ(chunkbuf_arena_alloc(a, 8, 8, &q), CHUNKBUF_OK);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(q) % 8, 0u);
  EXPECT_GE(static_cast<char*>(q), static_cast<char*>(p) + 10);
  size_t used = 0, cap = 0;
  ASSERT_EQ(chunkbuf_arena_usage(a, &used, &cap), CHUNKBUF_OK);
  EXPECT_EQ(cap, 100u);
  EXPECT_EQ(used, static_cast<size_t>(static_cast<char*>(q) - static_cast<char*>(p)) + 8);
  EXPECT_EQ(chunkbuf_arena_alloc(a, 100, 0, &r), CHUNKBUF_ELIMIT);
  size_t used2 = 0;
  ASSERT_EQ(chunkbuf_arena_usage(a, &used2, nullptr), CHUNKBUF_OK);
  EXPECT_EQ(used2, used);  // a failed allocation changes nothing
  ASSERT_EQ(chunkbuf_arena_reset(a), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_arena_usage(a, &used, nullptr), CHUNKBUF_OK);
  EXPECT_EQ(used, 0u);
  ASSERT_EQ(chunkbuf_arena_alloc(a, 100, 0, &r), CHUNKBUF_OK);  // all of it again
  EXPECT_EQ(r, p);
  chunkbuf_arena_free(a);
  EXPECT_EQ(stats_of(pool).bytes_in_use, 0u);
  chunkbuf_pool_free(pool);
}

TEST(SeedBehaviours, OptimalBufferSize) {
  size_t n = 0;
  ASSERT_EQ(chunkbuf_optimal_buffer_size(0, 0, 0, &n), CHUNKBUF_OK);
  EXPECT_EQ(n, 8192u);
  ASSERT_EQ(chunkbuf_optimal_buffer_size(2000000, 0, 0, &n), CHUNKBUF_OK);
  EXPECT_EQ(n, 20480u);  // 20000 rounded up to pages
  ASSERT_EQ(chunkbuf_optimal_buffer_size(uint64_t{1} << 40, 0, 0, &n), CHUNKBUF_OK);
  EXPECT_EQ(n, 65536u);
  ASSERT_EQ(chunkbuf_optimal_buffer_size(5000000, 4096, 30000, &n), CHUNKBUF_OK);
  EXPECT_EQ(n, 32768u);  // clamped to 30000, then rounded up
  ASSERT_EQ(chunkbuf_optimal_buffer_size(100, 100000, 0, &n), CHUNKBUF_OK);
  EXPECT_EQ(n, 102400u);  // min above the default max
}

}  // namespace
