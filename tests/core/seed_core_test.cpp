// Core pieces behind the axon and FASTQ seed behaviours: name tables, the
// buffer as a builder, prewarming, the arena, the size heuristic.
#include <gtest/gtest.h>

#include <string>

#include "core/arena.h"
#include "core/buffer.h"
#include "core/kinds.h"
#include "core/mem.h"
#include "core/names.h"
#include "core/pool.h"
#include "core/sizing.h"
#include "core/view.h"
#include "test_util.h"

using namespace chunkbuf;
using chunkbuf::test::bytes_of;

TEST(NameTable, InternLookupAndNames) {
  NameTable t("thing", 1, {"first"});
  uint32_t id = 0;
  ASSERT_EQ(t.lookup("first", &id), Status::Ok);
  EXPECT_EQ(id, 1u);
  EXPECT_EQ(t.lookup("second", &id), Status::Inval);
  ASSERT_EQ(t.intern("second", &id), Status::Ok);
  EXPECT_EQ(id, 2u);
  uint32_t again = 0;
  ASSERT_EQ(t.intern("second", &again), Status::Ok);
  EXPECT_EQ(again, 2u);
  const char* name = nullptr;
  ASSERT_EQ(t.name(2, &name), Status::Ok);
  EXPECT_STREQ(name, "second");
  EXPECT_EQ(t.name(0, &name), Status::Inval);
  EXPECT_EQ(t.name(3, &name), Status::Inval);
  EXPECT_FALSE(t.known(0));
  EXPECT_TRUE(t.known(2));
  EXPECT_EQ(t.intern("", &id), Status::Inval);
  EXPECT_EQ(t.intern("a b", &id), Status::Inval);
  EXPECT_EQ(t.intern(std::string(64, 'n').c_str(), &id), Status::Inval);
  ASSERT_EQ(kind_lookup("mulaw8", &id), Status::Ok);
  EXPECT_EQ(id, kKindMulaw8);
}

TEST(BufferBuilder, EnsureCapacityThenFreezeSharesTheBytes) {
  for (bool linear : {false, true}) {
    BufferOptions o;
    o.linear = linear;
    Buffer b;
    ASSERT_EQ(b.init(o), Status::Ok);
    EXPECT_EQ(b.capacity(), 0u);
    ASSERT_EQ(b.ensure_capacity(5000), Status::Ok);
    size_t cap = b.capacity();
    EXPECT_GE(cap, 5000u);
    ASSERT_EQ(b.append("abc", 3), Status::Ok);
    EXPECT_EQ(b.capacity(), cap);
    const char* where = b.segs()[0].p;
    ViewRep* v = nullptr;
    ASSERT_EQ(b.freeze(kKindJpeg, &v), Status::Ok);
    View view(v);
    EXPECT_EQ(v->kind, kKindJpeg);
    EXPECT_EQ(v->segs()[0].p, where);
    EXPECT_EQ(bytes_of(v), "abc");
    EXPECT_EQ(b.size(), 0u);
    ASSERT_EQ(b.append("zzz", 3), Status::Ok);
    EXPECT_EQ(bytes_of(v), "abc");
    EXPECT_EQ(b.freeze(12345678, &v), Status::Inval);
  }
}

TEST(PoolPrewarm, BlocksLandInTheCacheWithinItsBound) {
  PoolOptions po;
  po.max_cached_bytes_per_class = 8 * 4096 * 2;  // 4 KiB class: 2 per shard, 16 in all
  Pool* p = Pool::create(po);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->prewarm(0, 1), Status::Inval);
  EXPECT_EQ(p->prewarm(kMaxClassBlock + 1, 1), Status::Inval);
  EXPECT_EQ(p->prewarm(4096, 17), Status::Limit);
  EXPECT_EQ(p->stats().cached_blocks[0], 0u);
  ASSERT_EQ(p->prewarm(100, 16), Status::Ok);
  PoolStats st = p->stats();
  EXPECT_EQ(st.cached_blocks[0], 16u);
  EXPECT_EQ(st.acquisitions, 0u);
  EXPECT_EQ(p->prewarm(4096, 1), Status::Limit);
  p->release();
}

TEST(ArenaCore, BumpAlignResetAndBound) {
  Pool* p = Pool::create(PoolOptions{});
  ASSERT_NE(p, nullptr);
  Arena* a = nullptr;
  EXPECT_EQ(Arena::create(p, 0, &a), Status::Inval);
  ASSERT_EQ(Arena::create(p, 64, &a), Status::Ok);
  void* x = nullptr;
  void* y = nullptr;
  ASSERT_EQ(a->alloc(3, 1, &x), Status::Ok);
  ASSERT_EQ(a->alloc(4, 16, &y), Status::Ok);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(y) % 16, 0u);
  EXPECT_EQ(a->alloc(64, 1, &y), Status::Limit);
  EXPECT_EQ(a->alloc(1, 6, &y), Status::Inval);
  a->reset();
  EXPECT_EQ(a->used(), 0u);
  ASSERT_EQ(a->alloc(64, 1, &y), Status::Ok);
  EXPECT_EQ(y, x);
  a->~Arena();
  mem::free(a);
  EXPECT_EQ(p->stats().bytes_in_use, 0u);
  p->release();
}

TEST(Sizing, OneHundredthClampedAndPageRounded) {
  size_t n = 0;
  ASSERT_EQ(optimal_buffer_size(1000, 0, 0, &n), Status::Ok);
  EXPECT_EQ(n, kSizingMin);
  ASSERT_EQ(optimal_buffer_size(1000000, 0, 0, &n), Status::Ok);
  EXPECT_EQ(n, 12288u);  // 10000 -> 3 pages
  ASSERT_EQ(optimal_buffer_size(100000000, 0, 0, &n), Status::Ok);
  EXPECT_EQ(n, kSizingMax);
  EXPECT_EQ(optimal_buffer_size(1, 2, 1, &n), Status::Inval);
}
