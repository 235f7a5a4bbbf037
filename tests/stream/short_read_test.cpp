// read_short: the file-like adapters' policies for a read that finds fewer
// bytes than asked, over a Buffer and over a Stream.
#include <gtest/gtest.h>

#include <string>

#include "core/buffer.h"
#include "core/short_read.h"
#include "stream_util.h"

namespace chunkbuf {
namespace {

using test::make_stream;

TEST(ShortRead, BufferRaiseTakesAllOrNothing) {
  Buffer b;
  ASSERT_EQ(b.append("abc", 3), Status::Ok);
  char dst[8];
  size_t got = 0;
  EXPECT_EQ(read_short(b, dst, 4, Short::Raise, &got), Status::NeedMore);
  EXPECT_EQ(b.size(), 3u);
  ASSERT_EQ(read_short(b, dst, 3, Short::Raise, &got), Status::Ok);
  EXPECT_EQ(std::string(dst, got), "abc");
}

TEST(ShortRead, BufferPartialTakesWhatIsThere) {
  Buffer b;
  ASSERT_EQ(b.append("abc", 3), Status::Ok);
  char dst[8];
  size_t got = 0;
  ASSERT_EQ(read_short(b, dst, 8, Short::Partial, &got), Status::Ok);
  EXPECT_EQ(std::string(dst, got), "abc");
  ASSERT_EQ(read_short(b, dst, 8, Short::Partial, &got), Status::Ok);
  EXPECT_EQ(got, 0u);
  EXPECT_EQ(read_short(b, dst, 8, Short::Block, &got), Status::Inval);
}

TEST(ShortRead, StreamPolicies) {
  auto s = make_stream();
  char dst[8];
  size_t got = 0;
  EXPECT_EQ(read_short(*s, dst, 4, Short::Partial, Wait{}, &got), Status::Again);
  EXPECT_EQ(read_short(*s, dst, 4, Short::Raise, Wait{}, &got), Status::NeedMore);
  ASSERT_EQ(s->write("abcdef", 6, -1), Status::Ok);
  EXPECT_EQ(read_short(*s, dst, 7, Short::Raise, Wait{}, &got), Status::NeedMore);
  EXPECT_EQ(read_short(*s, dst, 7, Short::Block, Wait{0, nullptr}, &got), Status::Again);
  EXPECT_EQ(s->readable_amount(), 6u);  // every refusal consumed nothing
  ASSERT_EQ(read_short(*s, dst, 4, Short::Raise, Wait{}, &got), Status::Ok);
  EXPECT_EQ(std::string(dst, got), "abcd");
  ASSERT_EQ(read_short(*s, dst, 8, Short::Partial, Wait{}, &got), Status::Ok);
  EXPECT_EQ(std::string(dst, got), "ef");
  ASSERT_EQ(s->write("gh", 2, -1), Status::Ok);
  ASSERT_EQ(s->close(), Status::Ok);
  ASSERT_EQ(read_short(*s, dst, 8, Short::Block, Wait{}, &got), Status::Ok);  // EOF ends the wait
  EXPECT_EQ(std::string(dst, got), "gh");
  ASSERT_EQ(read_short(*s, dst, 8, Short::Raise, Wait{}, &got), Status::Ok);
  EXPECT_EQ(got, 0u);  // end of file
}

}  // namespace
}  // namespace chunkbuf
