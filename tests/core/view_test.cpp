#include <gtest/gtest.h>

#include <string>

#include "core/buffer.h"
#include "core/kinds.h"
#include "core/view.h"
#include "test_util.h"

using namespace chunkbuf;
using chunkbuf::test::append_pieces;
using chunkbuf::test::bytes_of;

namespace {

View split(Buffer& b, size_t n) {
  ViewRep* v = nullptr;
  EXPECT_EQ(b.split_to(n, &v), Status::Ok);
  return View(v);
}

}  // namespace

TEST(View, SliceIsZeroCopyAndInheritsTags) {
  BufferOptions o;
  o.tenant = 9;
  Buffer b;
  ASSERT_EQ(b.init(o), Status::Ok);
  append_pieces(b, {"abc", "defg", "hij"});
  View v = split(b, 10);
  ASSERT_EQ(v.get()->nseg, 3u);
  ViewRep* s = nullptr;
  ASSERT_EQ(view_slice(v.get(), 2, 8, &s), Status::Ok);
  View slice(s);
  EXPECT_EQ(bytes_of(s), "cdefgh");
  EXPECT_EQ(s->nseg, 3u);
  EXPECT_EQ(s->segs()[0].p, v.get()->segs()[0].p + 2);
  EXPECT_EQ(s->tenant, 9u);
  ASSERT_EQ(view_slice(v.get(), 3, 7, &s), Status::Ok);  // exactly one segment
  View inner(s);
  EXPECT_EQ(s->nseg, 1u);
  ASSERT_EQ(view_slice(v.get(), 5, 5, &s), Status::Ok);
  View empty(s);
  EXPECT_EQ(s->len, 0u);
  EXPECT_EQ(view_slice(v.get(), 4, 11, &s), Status::Range);
  EXPECT_EQ(view_slice(v.get(), 5, 4, &s), Status::Range);
}

TEST(View, ConcatMergesAdjacentSegments) {
  Buffer b;
  ASSERT_EQ(b.append("hello world", 11), Status::Ok);
  View a = split(b, 5);
  View c = split(b, 6);
  const ViewRep* parts[] = {a.get(), c.get()};
  ViewRep* r = nullptr;
  ASSERT_EQ(view_concat(parts, 2, &r), Status::Ok);
  View joined(r);
  EXPECT_EQ(bytes_of(r), "hello world");
  EXPECT_EQ(r->nseg, 1u);  // both halves sit side by side in one block
  const ViewRep* rev[] = {c.get(), a.get()};
  ASSERT_EQ(view_concat(rev, 2, &r), Status::Ok);
  View swapped(r);
  EXPECT_EQ(bytes_of(r), " worldhello");
  EXPECT_EQ(r->nseg, 2u);
}

TEST(View, ContiguousCopiesAtMostOnce) {
  Buffer b;
  append_pieces(b, {"ab", "cd"});
  View v = split(b, 4);
  ViewRep* c = nullptr;
  ASSERT_EQ(view_contiguous(v.get(), &c), Status::Ok);
  View flat(c);
  EXPECT_NE(c, v.get());
  EXPECT_EQ(c->nseg, 1u);
  EXPECT_EQ(bytes_of(c), "abcd");
  ViewRep* again = nullptr;
  ASSERT_EQ(view_contiguous(c, &again), Status::Ok);
  View same(again);
  EXPECT_EQ(again, c);  // already contiguous: the same view, retained
}

TEST(View, KindsAndRetag) {
  uint32_t pcm = 0, jpeg = 0, pcm2 = 0;
  ASSERT_EQ(kind_register("pcm16", &pcm), Status::Ok);
  ASSERT_EQ(kind_register("jpeg", &jpeg), Status::Ok);
  ASSERT_EQ(kind_register("pcm16", &pcm2), Status::Ok);
  EXPECT_EQ(pcm, pcm2);
  EXPECT_NE(pcm, jpeg);
  EXPECT_NE(pcm, kKindRaw);
  const char* name = nullptr;
  ASSERT_EQ(kind_name(jpeg, &name), Status::Ok);
  EXPECT_STREQ(name, "jpeg");
  ASSERT_EQ(kind_name(kKindRaw, &name), Status::Ok);
  EXPECT_STREQ(name, "raw");
  EXPECT_EQ(kind_register("", &pcm2), Status::Inval);
  EXPECT_EQ(kind_register("has space", &pcm2), Status::Inval);
  EXPECT_EQ(kind_name(99999, &name), Status::Inval);
  // axon's kinds are built in with fixed ids
  EXPECT_EQ(pcm, kKindPcm16);
  EXPECT_EQ(jpeg, kKindJpeg);
  ASSERT_EQ(kind_name(kKindMulaw8, &name), Status::Ok);
  EXPECT_STREQ(name, "mulaw8");

  Buffer b;
  ASSERT_EQ(b.append("samples", 7), Status::Ok);
  View v = split(b, 7);
  ViewRep* t = nullptr;
  ASSERT_EQ(view_retag(v.get(), pcm, &t), Status::Ok);
  View tagged(t);
  EXPECT_EQ(t->kind, pcm);
  EXPECT_EQ(v.get()->kind, kKindRaw);
  EXPECT_EQ(bytes_of(t), "samples");
  EXPECT_EQ(view_retag(v.get(), 99999, &t), Status::Inval);
  ViewRep* s = nullptr;
  ASSERT_EQ(view_slice(tagged.get(), 1, 3, &s), Status::Ok);
  View sl(s);
  EXPECT_EQ(s->kind, pcm);
}

TEST(View, SharersCountsHoldersOfTheFirstBlock) {
  Buffer b;
  ASSERT_EQ(b.append("abcdef", 6), Status::Ok);
  View v = split(b, 3);
  // The view's segment and the buffer's write block and remaining segment.
  EXPECT_EQ(view_sharers(v.get()), 3u);
  {
    View copy = v;  // a clone is one more live sharer
    EXPECT_EQ(view_sharers(v.get()), 4u);
    EXPECT_EQ(view_sharers(copy.get()), 4u);
  }
  EXPECT_EQ(view_sharers(v.get()), 3u);
  ViewRep* s = nullptr;
  ASSERT_EQ(view_slice(v.get(), 0, 1, &s), Status::Ok);
  View slice(s);
  EXPECT_EQ(view_sharers(v.get()), 4u);
  b.clear();
  EXPECT_EQ(view_sharers(v.get()), 3u);
}

TEST(View, Sha256OverSegmentsWithoutCoalescing) {
  if (!sha256_available()) {
    Buffer b;
    View v = split(b, 0);
    uint8_t d[32];
    EXPECT_EQ(view_sha256(v.get(), d), Status::NotSup);
    return;
  }
  Buffer b;
  append_pieces(b, {"a", "b", "c"});
  View v = split(b, 3);
  uint8_t d[32];
  ASSERT_EQ(view_sha256(v.get(), d), Status::Ok);
  EXPECT_EQ(v.get()->nseg, 3u);
  static const uint8_t abc[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
                                  0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
                                  0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
  EXPECT_EQ(0, std::memcmp(d, abc, 32));
}

TEST(View, ViewsOutliveTheirBufferAndPool) {
  Pool* pool = Pool::create({});
  View v;
  {
    BufferOptions o;
    o.pool = pool;
    Buffer b;
    ASSERT_EQ(b.init(o), Status::Ok);
    ASSERT_EQ(b.append("still here", 10), Status::Ok);
    v = split(b, 10);
  }
  pool->release();
  EXPECT_EQ(bytes_of(v.get()), "still here");
}

TEST(View, FindAndEquals) {
  Buffer b;
  append_pieces(b, {"xx\r", "\nyy"});
  View v = split(b, 6);
  size_t pos = 0;
  ASSERT_EQ(view_find(v.get(), "\r\n", 2, 0, npos, &pos), Status::Ok);
  EXPECT_EQ(pos, 2u);
  EXPECT_EQ(view_find(v.get(), "y", 1, 7, npos, &pos), Status::Range);
  EXPECT_TRUE(view_equals(v.get(), "xx\r\nyy", 6));
  EXPECT_FALSE(view_equals(v.get(), "xx\r\nyz", 6));
  ViewRep* other = nullptr;
  ASSERT_EQ(view_from_bytes(Pool::default_pool(), "xx\r\nyy", 6, &other), Status::Ok);
  View o(other);
  EXPECT_TRUE(view_equals_view(v.get(), other));
  EXPECT_EQ(view_copy_out(v.get(), 4, &pos, 0), 0u);
}
