// The consuming binary readers over a Buffer: all or nothing.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "core/binary.h"
#include "core/buffer.h"

namespace chunkbuf {
namespace {

void append_ref(Buffer& b, const char* s, size_t n) {
  ASSERT_EQ(b.append_ref(s, n, nullptr, nullptr), Status::Ok);
}

TEST(Binary, ReadUintAcrossSegmentsOrNothing) {
  for (bool linear : {false, true}) {
    Buffer b;
    BufferOptions o;
    o.linear = linear;
    ASSERT_EQ(b.init(o), Status::Ok);
    append_ref(b, "\x01\x02\x03", 3);
    append_ref(b, "\x04\x05\x06\x07", 4);
    uint64_t v = 0;
    ASSERT_EQ(read_uint(b, 1, Order::Big, &v), Status::Ok);
    EXPECT_EQ(v, 1u);
    ASSERT_EQ(read_uint(b, 4, Order::Big, &v), Status::Ok);  // crosses the boundary
    EXPECT_EQ(v, 0x02030405u);
    v = 42;
    EXPECT_EQ(read_uint(b, 8, Order::Little, &v), Status::NeedMore);
    EXPECT_EQ(v, 42u);  // untouched
    EXPECT_EQ(b.size(), 2u);  // nothing consumed
    ASSERT_EQ(read_uint(b, 2, Order::Little, &v), Status::Ok);
    EXPECT_EQ(v, 0x0706u);
    EXPECT_EQ(read_uint(b, 3, Order::Big, &v), Status::Inval);
  }
}

TEST(Binary, ExactReadsAndPeeks) {
  Buffer b;
  append_ref(b, "ab", 2);
  append_ref(b, "cd", 2);
  char out[8] = {};
  EXPECT_EQ(read_exact(b, out, 5), Status::NeedMore);
  EXPECT_EQ(b.size(), 4u);
  ASSERT_EQ(peek_exact(b, out, 3), Status::Ok);
  EXPECT_EQ(std::string(out, 3), "abc");
  EXPECT_EQ(b.size(), 4u);
  ASSERT_EQ(read_exact(b, out, 3), Status::Ok);
  EXPECT_EQ(std::string(out, 3), "abc");
  EXPECT_EQ(b.size(), 1u);
  EXPECT_EQ(peek_exact(b, out, 2), Status::NeedMore);
}

TEST(Binary, ReservationBlocksReadsNotPeeks) {
  Buffer b;
  ASSERT_EQ(b.append("xyz", 3), Status::Ok);
  struct iovec iov;
  size_t n = 0;
  ASSERT_EQ(b.reserve(4, &iov, 1, &n), Status::Ok);
  uint64_t v = 0;
  char out[2];
  EXPECT_EQ(read_uint(b, 1, Order::Big, &v), Status::State);
  EXPECT_EQ(read_exact(b, out, 1), Status::State);
  EXPECT_EQ(peek_exact(b, out, 2), Status::Ok);
  ASSERT_EQ(b.commit(0), Status::Ok);
  EXPECT_EQ(read_exact(b, out, 2), Status::Ok);
}

}  // namespace
}  // namespace chunkbuf
