// A host hands one Stream (or View) to several holders — as it does when
// it gives the same handle to Python, Go and Lua code — and they let go in
// every order while a reader is blocked. Waits use the engine's count of
// blocked calls, never a sleep. Run under ASan and TSan by scripts/dev test.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "chunkbuf.h"

namespace {

chunkbuf_stream* new_stream(size_t high_water = 0) {
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  o.high_water = high_water;
  chunkbuf_stream* s = nullptr;
  EXPECT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_OK);
  return s;
}

// Waits until exactly that many calls are blocked on s (10 s at most).
::testing::AssertionResult waiting(chunkbuf_stream* s, size_t readers, size_t writers) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  size_t r = 0, w = 0;
  for (;;) {  // bounded by the deadline
    if (chunkbuf_stream_waiting(s, &r, &w) != CHUNKBUF_OK) return ::testing::AssertionFailure() << "waiting failed";
    if (r == readers && w == writers) return ::testing::AssertionSuccess();
    if (std::chrono::steady_clock::now() > deadline)
      return ::testing::AssertionFailure() << "readers " << r << " writers " << w;
    std::this_thread::yield();
  }
}

// A thread blocked in a read of n bytes on s; the outcome is checked after
// join (no assertion inside the thread).
struct BlockedReader {
  int rc = 1;
  size_t nread = 0;
  char buf[16] = {};
  std::thread t;
  BlockedReader(chunkbuf_stream* s, size_t n) {
    t = std::thread([this, s, n] { rc = chunkbuf_stream_read(s, buf, n, -1, &nread); });
  }
  void join() { t.join(); }
};

class EveryOrder : public ::testing::TestWithParam<int> {
 protected:
  // The holders' release order for this parameter: a permutation of 0..2.
  std::array<int, 3> order() const {
    std::array<int, 3> o = {0, 1, 2};
    for (int i = 0; i < GetParam(); ++i) std::next_permutation(o.begin(), o.end());
    return o;
  }
};

// Three holders (the host and two languages it handed the stream to), each
// on its own thread, and a reader blocked on the stream. The first two let
// go (the reader stays blocked, the stream usable); the last writes, waits
// for the reader to get the bytes, and lets go, which frees the stream.
TEST_P(EveryOrder, ReaderGetsDataAfterOtherHoldersLetGo) {
  chunkbuf_stream* s = new_stream();
  ASSERT_EQ(chunkbuf_stream_retain(s), CHUNKBUF_OK);  // handed to Python
  ASSERT_EQ(chunkbuf_stream_retain(s), CHUNKBUF_OK);  // handed to Go
  BlockedReader reader(s, 5);
  ASSERT_TRUE(waiting(s, 1, 0));
  auto o = order();
  std::atomic<int> turn{0};
  std::array<bool, 3> still_blocked = {false, false, false};
  int wrc = 1;
  std::vector<std::thread> holders;
  for (int h = 0; h < 3; ++h) {
    holders.emplace_back([&, h] {
      int mine = static_cast<int>(std::find(o.begin(), o.end(), h) - o.begin());
      while (turn.load() != mine) std::this_thread::yield();  // bounded: earlier turns always finish
      if (mine == 2) {
        wrc = chunkbuf_stream_write(s, "hello", 5, -1);
        reader.join();
        chunkbuf_stream_release(s);
      } else {
        chunkbuf_stream_release(s);
        still_blocked[h] = static_cast<bool>(waiting(s, 1, 0));
      }
      turn.fetch_add(1);
    });
  }
  for (auto& t : holders) t.join();
  EXPECT_EQ(wrc, CHUNKBUF_OK);
  EXPECT_EQ(reader.rc, CHUNKBUF_OK);
  EXPECT_EQ(std::string(reader.buf, reader.nread), "hello");
  for (int h = 0; h < 2; ++h) EXPECT_TRUE(still_blocked[o[h]]) << "holder " << o[h];
}

// The last release happens while the reader is still blocked: the reader
// wakes with EHANDLE and release returns only after it left the stream.
TEST_P(EveryOrder, LastReleaseWakesTheBlockedReader) {
  chunkbuf_stream* s = new_stream();
  ASSERT_EQ(chunkbuf_stream_retain(s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_retain(s), CHUNKBUF_OK);
  BlockedReader reader(s, 8);
  ASSERT_TRUE(waiting(s, 1, 0));
  ASSERT_EQ(chunkbuf_stream_write(s, "abc", 3, 0), CHUNKBUF_OK);  // not enough: it keeps waiting
  // The holders let go from three threads, in this parameter's order.
  auto o = order();
  std::atomic<int> turn{0};
  std::vector<std::thread> holders;
  for (int h = 0; h < 3; ++h) {
    holders.emplace_back([&, h] {
      int mine = static_cast<int>(std::find(o.begin(), o.end(), h) - o.begin());
      while (turn.load() != mine) std::this_thread::yield();  // bounded: earlier turns always finish
      chunkbuf_stream_release(s);
      turn.fetch_add(1);
    });
  }
  for (auto& t : holders) t.join();
  reader.join();
  EXPECT_EQ(reader.rc, CHUNKBUF_EHANDLE);
  EXPECT_EQ(reader.nread, 0u);
}

// A writer held back by the high-water mark when the last holder lets go.
TEST_P(EveryOrder, LastReleaseWakesABlockedWriter) {
  chunkbuf_stream* s = new_stream(4);
  ASSERT_EQ(chunkbuf_stream_retain(s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_retain(s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_write(s, "1234", 4, 0), CHUNKBUF_OK);
  int wrc = 1;
  std::thread writer([&] { wrc = chunkbuf_stream_write(s, "5678", 4, -1); });
  ASSERT_TRUE(waiting(s, 0, 1));
  for (int i = 0; i < 2; ++i) {
    chunkbuf_stream_release(s);
    ASSERT_TRUE(waiting(s, 0, 1));
  }
  chunkbuf_stream_release(s);
  writer.join();
  EXPECT_EQ(wrc, CHUNKBUF_EHANDLE);
}

INSTANTIATE_TEST_SUITE_P(Handoff, EveryOrder, ::testing::Range(0, 6));

// A View handed to three holders on three threads, each reading it and
// letting go in its own time: the bytes stay valid until the last release.
TEST(HandoffView, HoldersOnThreadsReleaseInAnyOrder) {
  const std::string data(100000, 'v');
  for (int round = 0; round < 6; ++round) {
    chunkbuf_view* v = nullptr;
    ASSERT_EQ(chunkbuf_view_from_bytes(nullptr, data.data(), data.size(), &v), CHUNKBUF_OK);
    ASSERT_EQ(chunkbuf_view_retain(v), CHUNKBUF_OK);
    ASSERT_EQ(chunkbuf_view_retain(v), CHUNKBUF_OK);
    std::array<int, 3> ok = {0, 0, 0};
    std::atomic<int> turn{0};
    std::vector<std::thread> holders;
    for (int h = 0; h < 3; ++h) {
      holders.emplace_back([&, h] {
        int mine = (h + round) % 3;
        while (turn.load() != mine) std::this_thread::yield();  // bounded: earlier turns always finish
        std::string copy(data.size(), '\0');
        size_t copied = 0;
        ok[h] = chunkbuf_view_copy_out(v, 0, copy.data(), copy.size(), &copied) == CHUNKBUF_OK && copy == data;
        chunkbuf_view_release(v);
        turn.fetch_add(1);
      });
    }
    for (auto& t : holders) t.join();
    EXPECT_EQ(ok, (std::array<int, 3>{1, 1, 1})) << "round " << round;
  }
}

}  // namespace
