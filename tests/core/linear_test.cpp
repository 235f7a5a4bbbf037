// The linear backend: the same Buffer operations over one contiguous region.
#include <gtest/gtest.h>

#include <string>

#include "core/buffer.h"
#include "test_util.h"

using namespace chunkbuf;
using chunkbuf::test::bytes_of;
using chunkbuf::test::contents;

namespace {

void init_linear(Buffer& b) {
  BufferOptions o;
  o.linear = true;
  ASSERT_EQ(b.init(o), Status::Ok);
}

}  // namespace

TEST(Linear, StaysOneSegmentWhateverIsAppended) {
  Buffer b;
  init_linear(b);
  std::string expect;
  static const char ext[] = "external";
  int freed = 0;
  ASSERT_EQ(b.append_ref(ext, 8, [](void* ud) { ++*static_cast<int*>(ud); }, &freed), Status::Ok);
  EXPECT_EQ(freed, 1);  // copied, so handed back at once
  expect += ext;
  for (int i = 0; i < 2000; ++i) {
    std::string s = "item" + std::to_string(i) + ";";
    ASSERT_EQ(b.append(s.data(), s.size()), Status::Ok);
    expect += s;
    ASSERT_EQ(b.segment_count(), 1u);
  }
  EXPECT_EQ(contents(b), expect);
  const void* p = nullptr;
  ASSERT_EQ(b.coalesce(b.size(), &p), Status::Ok);
  EXPECT_EQ(p, b.segs()[0].p);  // already contiguous
}

TEST(Linear, CompactsInPlaceWhenNoViewSharesTheBlock) {
  Buffer b;
  init_linear(b);
  std::string a(3000, 'a');
  ASSERT_EQ(b.append(a.data(), a.size()), Status::Ok);
  const char* start = b.segs()[0].p;
  ASSERT_EQ(b.advance(2500), Status::Ok);
  std::string c(1500, 'c');
  ASSERT_EQ(b.append(c.data(), c.size()), Status::Ok);  // 500 + 1500 fits after compaction
  EXPECT_EQ(b.segs()[0].p, start);
  EXPECT_EQ(contents(b), std::string(500, 'a') + c);
}

TEST(Linear, ViewsKeepTheirBytesWhenTheBufferMovesOn) {
  Buffer b;
  init_linear(b);
  std::string a(3000, 'a');
  ASSERT_EQ(b.append(a.data(), a.size()), Status::Ok);
  ViewRep* v = nullptr;
  ASSERT_EQ(b.split_to(2500, &v), Status::Ok);
  const char* view_bytes = v->segs()[0].p;
  std::string c(1500, 'c');
  ASSERT_EQ(b.append(c.data(), c.size()), Status::Ok);  // must not compact over the view
  EXPECT_EQ(v->segs()[0].p, view_bytes);
  EXPECT_EQ(bytes_of(v), std::string(2500, 'a'));
  EXPECT_EQ(contents(b), std::string(500, 'a') + c);
  EXPECT_EQ(b.segment_count(), 1u);
  view_release(v);
}

TEST(Linear, ReserveGivesOneSpanAndReadFromFdWorks) {
  Buffer b;
  init_linear(b);
  ASSERT_EQ(b.append("head", 4), Status::Ok);
  struct iovec iov[2];
  size_t n = 0;
  ASSERT_EQ(b.reserve(10000, iov, 2, &n), Status::Ok);
  EXPECT_EQ(n, 1u);
  std::memset(iov[0].iov_base, 'r', 10000);
  ASSERT_EQ(b.commit(10000), Status::Ok);
  EXPECT_EQ(b.segment_count(), 1u);
  EXPECT_EQ(contents(b), "head" + std::string(10000, 'r'));
}

TEST(Linear, AppendViewCopiesIntoTheRegion) {
  Buffer seg;
  ASSERT_EQ(seg.append("xyz", 3), Status::Ok);
  ViewRep* v = nullptr;
  ASSERT_EQ(seg.split_to(3, &v), Status::Ok);
  Buffer b;
  init_linear(b);
  ASSERT_EQ(b.append("ab", 2), Status::Ok);
  ASSERT_EQ(b.append_view(v), Status::Ok);
  EXPECT_EQ(contents(b), "abxyz");
  EXPECT_EQ(b.segment_count(), 1u);
  EXPECT_NE(b.segs()[0].p + 2, v->segs()[0].p);
  view_release(v);
}
