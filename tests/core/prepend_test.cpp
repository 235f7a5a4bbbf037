// Buffer::prepend and prepend_view on both backends: the bytes land in
// front, a view's segments are shared (segmented), every limit and state
// error leaves the buffer as it was, and the linear backend's three paths
// (room in front, sliding, a new block) keep its bytes contiguous.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>

#include "core/buffer.h"
#include "core/view.h"
#include "test_util.h"

namespace chunkbuf {
namespace {

using test::append_pieces;
using test::contents;

ViewRep* view_of(const std::string& s) {
  ViewRep* v = nullptr;
  EXPECT_EQ(view_from_bytes(Pool::default_pool(), s.data(), s.size(), &v), Status::Ok);
  return v;
}

Buffer* make(bool linear, size_t max_bytes = 0) {
  auto* b = new Buffer;
  BufferOptions o;
  o.linear = linear;
  o.max_bytes = max_bytes;
  EXPECT_EQ(b->init(o), Status::Ok);
  return b;
}

class Prepend : public ::testing::TestWithParam<bool> {};

TEST_P(Prepend, BytesAndViewsGoInFront) {
  std::unique_ptr<Buffer> b(make(GetParam()));
  ASSERT_EQ(b->prepend("", 0), Status::Ok);
  ASSERT_EQ(b->prepend("body", 4), Status::Ok);  // onto an empty buffer
  ASSERT_EQ(b->append("!", 1), Status::Ok);
  ASSERT_EQ(b->prepend(": ", 2), Status::Ok);
  ViewRep* v = view_of("head");
  ASSERT_EQ(b->prepend_view(v), Status::Ok);
  EXPECT_EQ(contents(*b), "head: body!");
  EXPECT_EQ(test::bytes_of(v), "head");  // the view is unchanged
  view_release(v);
  size_t pos = 0;
  ASSERT_EQ(b->find("d: b", 4, 0, npos, &pos), Status::Ok);  // across what were boundaries
  EXPECT_EQ(pos, 3u);
  ViewRep* line = nullptr;
  ASSERT_EQ(b->split_to(6, &line), Status::Ok);
  EXPECT_EQ(test::bytes_of(line), "head: ");
  view_release(line);
  EXPECT_EQ(contents(*b), "body!");
}

TEST_P(Prepend, LimitAndReservationLeaveEveryByte) {
  std::unique_ptr<Buffer> b(make(GetParam(), 8));
  ASSERT_EQ(b->append("abcdef", 6), Status::Ok);
  EXPECT_EQ(b->prepend("xyz", 3), Status::Limit);
  ViewRep* v = view_of("xyz");
  EXPECT_EQ(b->prepend_view(v), Status::Limit);
  EXPECT_EQ(contents(*b), "abcdef");
  ASSERT_EQ(b->prepend("xy", 2), Status::Ok);  // exactly max_bytes
  EXPECT_EQ(contents(*b), "xyabcdef");
  ASSERT_EQ(b->advance(3), Status::Ok);
  struct iovec iov;
  size_t n = 0;
  ASSERT_EQ(b->reserve(1, &iov, 1, &n), Status::Ok);
  EXPECT_EQ(b->prepend("q", 1), Status::State);
  EXPECT_EQ(b->prepend_view(v), Status::State);
  ASSERT_EQ(b->commit(0), Status::Ok);
  EXPECT_EQ(contents(*b), "bcdef");
  view_release(v);
}

INSTANTIATE_TEST_SUITE_P(Backends, Prepend, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "linear" : "segmented"; });

TEST(PrependSegmented, ViewSegmentsAreSharedNotCopied) {
  Buffer b;
  append_pieces(b, {"tail"});
  Buffer src;
  append_pieces(src, {"ab", "cd"});
  ViewRep* v = nullptr;
  ASSERT_EQ(src.split_to(4, &v), Status::Ok);
  ASSERT_EQ(v->nseg, 2u);
  ASSERT_EQ(b.prepend_view(v), Status::Ok);
  ASSERT_EQ(b.segment_count(), 3u);
  EXPECT_EQ(b.segs()[0].p, v->segs()[0].p);  // the same memory, in front
  EXPECT_EQ(b.segs()[1].p, v->segs()[1].p);
  EXPECT_EQ(contents(b), "abcdtail");
  view_release(v);
  EXPECT_EQ(contents(b), "abcdtail");  // the buffer holds its own references
}

TEST(PrependSegmented, ManyPrependsGrowTheFront) {
  Buffer b;
  ASSERT_EQ(b.append("z", 1), Status::Ok);
  std::string want = "z";
  for (int i = 0; i < 40; ++i) {  // past the segment array's first capacity
    char c = static_cast<char>('a' + i % 26);
    ASSERT_EQ(b.prepend(&c, 1), Status::Ok);
    want.insert(want.begin(), c);
  }
  EXPECT_EQ(contents(b), want);
  EXPECT_EQ(b.segment_count(), 41u);
}

TEST(PrependLinear, UsesRoomInFrontThenSlidesThenGrows) {
  std::unique_ptr<Buffer> b(make(true));
  ASSERT_EQ(b->append("0123456789", 10), Status::Ok);
  ASSERT_EQ(b->advance(4), Status::Ok);
  const char* at = b->segs()[0].p;
  ASSERT_EQ(b->prepend("ab", 2), Status::Ok);  // room in front: written there
  EXPECT_EQ(b->segs()[0].p, at - 2);
  EXPECT_EQ(contents(*b), "ab456789");
  ASSERT_EQ(b->prepend("xyz", 3), Status::Ok);  // only 2 bytes in front: slide
  EXPECT_EQ(b->segment_count(), 1u);
  EXPECT_EQ(contents(*b), "xyzab456789");
  std::string big(20000, 'q');
  ASSERT_EQ(b->prepend(big.data(), big.size()), Status::Ok);  // larger than the block: a new one
  EXPECT_EQ(b->segment_count(), 1u);
  EXPECT_EQ(contents(*b), big + "xyzab456789");
  ASSERT_EQ(b->append("!", 1), Status::Ok);
  EXPECT_EQ(contents(*b), big + "xyzab456789!");
}

TEST(PrependLinear, AViewSharingTheBlockKeepsItsBytes) {
  std::unique_ptr<Buffer> b(make(true));
  ASSERT_EQ(b->append("headbody", 8), Status::Ok);
  ViewRep* head = nullptr;
  ASSERT_EQ(b->split_to(4, &head), Status::Ok);  // shares the block's first 4 bytes
  ASSERT_EQ(b->prepend("XXXX", 4), Status::Ok);
  EXPECT_EQ(test::bytes_of(head), "head");  // not overwritten
  ASSERT_EQ(b->prepend_view(head), Status::Ok);  // the source lies in the buffer's own block
  EXPECT_EQ(contents(*b), "headXXXXbody");
  EXPECT_EQ(b->segment_count(), 1u);
  view_release(head);
  // bytes that come from the buffer itself (a coalesced pointer)
  const void* p = nullptr;
  ASSERT_EQ(b->coalesce(4, &p), Status::Ok);
  ASSERT_EQ(b->prepend(p, 4), Status::Ok);
  EXPECT_EQ(contents(*b), "headheadXXXXbody");
}

}  // namespace
}  // namespace chunkbuf
