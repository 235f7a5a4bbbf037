#include <gtest/gtest.h>

#include <string>

#include "core/mem.h"
#include "core/ring.h"

using namespace chunkbuf;

namespace {

struct RingPtr {
  Ring* r = nullptr;
  explicit RingPtr(size_t cap) { EXPECT_EQ(Ring::create(cap, &r), Status::Ok); }
  ~RingPtr() {
    r->~Ring();
    mem::free(r);
  }
  Ring* operator->() const { return r; }
};

}  // namespace

TEST(Ring, WriteTakesWhatFits) {
  RingPtr r(8);
  EXPECT_EQ(r->write("0123456789", 10), 8u);
  EXPECT_EQ(r->available(), 8u);
  EXPECT_EQ(r->remaining(), 0u);
  EXPECT_EQ(r->write("x", 1), 0u);
  char out[16] = {};
  EXPECT_EQ(r->read(out, 3), 3u);
  EXPECT_EQ(std::string(out, 3), "012");
  EXPECT_EQ(r->remaining(), 3u);
}

TEST(Ring, WrapsAroundTheEnd) {
  RingPtr r(7);
  std::string expect;
  std::string got;
  char buf[16];
  int next = 0;
  // Uneven write and read sizes walk the head across the end many times.
  for (int round = 0; round < 200; ++round) {
    std::string chunk;
    for (int i = 0; i < 1 + round % 5; ++i) chunk += static_cast<char>('a' + (next++ % 26));
    size_t w = r->write(chunk.data(), chunk.size());
    expect += chunk.substr(0, w);
    next -= static_cast<int>(chunk.size() - w);  // what did not fit is offered again
    size_t pk = r->peek(buf, 2);
    size_t n = r->read(buf + 8, 1 + round % 3);
    size_t both = std::min(pk, n);
    EXPECT_EQ(std::string(buf, both), std::string(buf + 8, both));  // peek saw what read took
    got.append(buf + 8, n);
  }
  size_t n = r->read(buf, sizeof buf);
  got.append(buf, n);
  EXPECT_EQ(got, expect);
  EXPECT_EQ(r->available(), 0u);
  EXPECT_GT(expect.size(), 100u);
}

TEST(Ring, RejectsZeroAndHugeCapacities) {
  Ring* r = nullptr;
  EXPECT_EQ(Ring::create(0, &r), Status::Inval);
  EXPECT_EQ(Ring::create((size_t{1} << 30) + 1, &r), Status::Inval);
}
