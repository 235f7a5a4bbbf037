// Pending reads: a bulk read that waits without a blocked thread. Its
// callback runs once when it may finish, it takes direct fills as a
// blocked read does, and no byte is lost around cancel, abort, EOF or a
// competing reader. Cross-thread tests wait on the callback's flag or the
// engine's waiter count, never on a sleep.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "stream_util.h"

namespace chunkbuf::test {
namespace {

struct Ready {
  std::atomic<int> calls{0};
  static void fn(void* arg) { static_cast<Ready*>(arg)->calls.fetch_add(1, std::memory_order_release); }
};

// Finishes armed p once its callback ran, and again each time another
// reader or writer got there first (Again); what is left is the result.
Status finish_when_ready(Stream& s, PendingRead& p, Ready& r, size_t* n) {
  for (;;) {
    if (!eventually([&] { return r.calls.load(std::memory_order_acquire) > 0; })) return Status::TimedOut;
    Status st = s.read_finish(&p, false, n);
    if (st != Status::Again) return st;
    r.calls.store(0);
  }
}

// A pending read of cap bytes waiting for min, armed on s.
struct Armed {
  Armed(Stream& s, size_t cap, size_t min) : s(s), buf(cap, '\0') {
    bool armed = false;
    size_t n = 0;
    EXPECT_EQ(s.read_start(&p, buf.data(), cap, min, &Ready::fn, &ready, &armed, &n), Status::Ok);
    EXPECT_TRUE(armed);
    EXPECT_EQ(n, 0u);
  }
  Status finish(bool cancel, std::string* got) {
    size_t n = 0;
    Status st = s.read_finish(&p, cancel, &n);
    if (got) *got = buf.substr(0, n);
    return st;
  }
  Stream& s;
  std::string buf;
  PendingRead p;
  Ready ready;
};

TEST(StreamPending, WhatIsThereIsCopiedAtOnce) {
  auto s = make_stream();
  ASSERT_EQ(s->write("hello", 5, -1), Status::Ok);
  PendingRead p;
  Ready r;
  char buf[8];
  bool armed = true;
  size_t n = 0;
  ASSERT_EQ(s->read_start(&p, buf, sizeof buf, 1, &Ready::fn, &r, &armed, &n), Status::Ok);
  EXPECT_FALSE(armed);
  EXPECT_EQ(std::string(buf, n), "hello");
  EXPECT_EQ(readers_waiting(*s), 0u);
  EXPECT_EQ(r.calls.load(), 0);
}

TEST(StreamPending, AWriteFillsTheReadersMemoryAndCallsBackOnce) {
  auto s = make_stream();
  Armed a(*s, 16, 1);
  EXPECT_EQ(readers_waiting(*s), 1u);
  std::string got;
  EXPECT_EQ(a.finish(false, &got), Status::Again);  // not ready: still armed
  ASSERT_EQ(s->write("abc", 3, -1), Status::Ok);
  EXPECT_EQ(a.ready.calls.load(), 1);
  EXPECT_EQ(s->readable_amount(), 0u);  // straight into the reader's memory
  ASSERT_EQ(s->write("defg", 4, -1), Status::Ok);  // it stays queued until finished
  EXPECT_EQ(a.ready.calls.load(), 1);
  ASSERT_EQ(a.finish(false, &got), Status::Ok);
  EXPECT_EQ(got, "abcdefg");
  EXPECT_EQ(readers_waiting(*s), 0u);
  EXPECT_EQ(s->tell(), 7u);
  EXPECT_EQ(a.finish(false, &got), Status::State);  // finished: not armed
}

TEST(StreamPending, BufferedBytesUpToMinMakeItReady) {
  auto s = make_stream();
  ASSERT_EQ(s->write("ab", 2, -1), Status::Ok);
  Armed a(*s, 8, 5);
  ASSERT_EQ(s->write("cd", 2, -1), Status::Ok);  // 4 < 5: buffered, not ready
  EXPECT_EQ(a.ready.calls.load(), 0);
  ASSERT_EQ(s->write("efghij", 6, -1), Status::Ok);
  EXPECT_EQ(a.ready.calls.load(), 1);
  std::string got;
  ASSERT_EQ(a.finish(false, &got), Status::Ok);
  EXPECT_EQ(got, "abcdefgh");
  EXPECT_EQ(s->readable_amount(), 2u);
}

TEST(StreamPending, CancelReturnsFilledBytesAndLosesNone) {
  auto s = make_stream();
  {
    Armed a(*s, 8, 1);
    std::string got;
    EXPECT_EQ(a.finish(true, &got), Status::Canceled);
    EXPECT_EQ(readers_waiting(*s), 0u);
  }
  Armed a(*s, 4, 1);
  ASSERT_EQ(s->write("wxyz12", 6, -1), Status::Ok);
  std::string got;
  EXPECT_EQ(a.finish(true, &got), Status::Ok);  // the bytes are the reader's
  EXPECT_EQ(got, "wxyz");
  char rest[8];
  size_t n = 0;
  ASSERT_EQ(s->read_nonblock(rest, sizeof rest, &n), Status::Ok);
  EXPECT_EQ(std::string(rest, n), "12");
}

TEST(StreamPending, EofAndAbortMakeItReady) {
  {
    auto s = make_stream();
    ASSERT_EQ(s->write("x", 1, -1), Status::Ok);
    Armed a(*s, 8, 4);
    ASSERT_EQ(s->close(), Status::Ok);
    EXPECT_EQ(a.ready.calls.load(), 1);
    std::string got;
    ASSERT_EQ(a.finish(false, &got), Status::Ok);
    EXPECT_EQ(got, "x");
  }
  {
    auto s = make_stream();
    Armed a(*s, 8, 1);
    s->abort(7);
    EXPECT_EQ(a.ready.calls.load(), 1);
    EXPECT_EQ(a.finish(false, nullptr), Status::Aborted);
    EXPECT_EQ(readers_waiting(*s), 0u);
  }
}

TEST(StreamPending, AnotherReaderTakingTheBytesRearmsIt) {
  auto s = make_stream();
  ASSERT_EQ(s->write("a", 1, -1), Status::Ok);
  Armed a(*s, 8, 3);
  ASSERT_EQ(s->write("bc", 2, -1), Status::Ok);
  EXPECT_EQ(a.ready.calls.load(), 1);
  char tmp[8];
  size_t n = 0;
  ASSERT_EQ(s->read_nonblock(tmp, sizeof tmp, &n), Status::Ok);  // another reader wins
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(a.finish(false, nullptr), Status::Again);
  ASSERT_EQ(s->write("def", 3, -1), Status::Ok);
  EXPECT_EQ(a.ready.calls.load(), 2);  // armed again: called again
  std::string got;
  ASSERT_EQ(a.finish(false, &got), Status::Ok);
  EXPECT_EQ(got, "def");
}

TEST(StreamPending, ItCountsAsStarvedForBackPressure) {
  StreamOptions o;
  o.high_water = 4;
  auto s = make_stream(o);
  ASSERT_EQ(s->write("abcd", 4, -1), Status::Ok);
  // A reader waiting for more than is buffered lets the next write pass the mark.
  Armed a(*s, 8, 6);
  ASSERT_EQ(s->write("efgh", 4, 0), Status::Ok);
  std::string got;
  ASSERT_EQ(a.finish(false, &got), Status::Ok);
  EXPECT_EQ(got, "abcdefgh");
}

TEST(StreamPending, ItStaysStarvedUntilItHasItsMinimum) {
  StreamOptions o;
  o.high_water = 4;
  auto s = make_stream(o);
  Armed a(*s, 16, 16);  // needs four times the mark
  for (const char* piece : {"abcd", "efgh", "ijkl", "mnop"})
    ASSERT_EQ(s->write(piece, 4, 0), Status::Ok) << piece;  // never held back
  EXPECT_EQ(a.ready.calls.load(), 1);
  std::string got;
  ASSERT_EQ(a.finish(false, &got), Status::Ok);
  EXPECT_EQ(got, "abcdefghijklmnop");
  ASSERT_EQ(s->write("qrst", 4, 0), Status::Ok);
  EXPECT_EQ(s->write("uvwx", 4, 0), Status::Again);  // nobody starved now: the mark holds
}

TEST(StreamPending, RetainedStreamsReadFromTheBuffer) {
  StreamOptions o;
  o.retain = true;
  auto s = make_stream(o);
  Armed a(*s, 8, 2);
  ASSERT_EQ(s->write("hi!", 3, -1), Status::Ok);
  EXPECT_EQ(a.ready.calls.load(), 1);
  std::string got;
  ASSERT_EQ(a.finish(false, &got), Status::Ok);
  EXPECT_EQ(got, "hi!");
  uint64_t pos = 0;
  ASSERT_EQ(s->seek(0, SEEK_SET, &pos), Status::Ok);  // still there to seek back to
}

// A wait: ready once min bytes are unread, consuming none of them; no
// direct fill reaches it (it has no memory), and a reader that takes the
// bytes first rearms it.
TEST(StreamPending, AWaitIsReadyAtMinAndConsumesNothing) {
  auto s = make_stream();
  PendingRead p;
  Ready r;
  bool armed = false;
  ASSERT_EQ(s->wait_start(&p, 4, &Ready::fn, &r, &armed), Status::Ok);
  ASSERT_TRUE(armed);
  EXPECT_EQ(readers_waiting(*s), 1u);
  ASSERT_EQ(s->write("ab", 2, -1), Status::Ok);
  EXPECT_EQ(r.calls.load(), 0);
  size_t n = 9;
  EXPECT_EQ(s->read_finish(&p, false, &n), Status::Again);
  ASSERT_EQ(s->write("cd", 2, -1), Status::Ok);
  EXPECT_EQ(r.calls.load(), 1);
  ASSERT_EQ(s->read_finish(&p, false, &n), Status::Ok);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(s->readable_amount(), 4u);  // all still there
  EXPECT_EQ(readers_waiting(*s), 0u);
  // Enough unread, or EOF: nothing to wait for.
  ASSERT_EQ(s->wait_start(&p, 4, &Ready::fn, &r, &armed), Status::Ok);
  EXPECT_FALSE(armed);
  ASSERT_EQ(s->wait_start(&p, 5, &Ready::fn, &r, &armed), Status::Ok);  // 4 unread, 5 wanted
  ASSERT_TRUE(armed);
  ASSERT_EQ(s->write("e", 1, -1), Status::Ok);
  EXPECT_EQ(r.calls.load(), 2);
  ASSERT_EQ(s->read_finish(&p, false, &n), Status::Ok);
  char tmp[8];
  ASSERT_EQ(s->read_nonblock(tmp, sizeof tmp, &n), Status::Ok);  // another reader takes all five
  ASSERT_EQ(s->wait_start(&p, 2, &Ready::fn, &r, &armed), Status::Ok);
  ASSERT_TRUE(armed);
  ASSERT_EQ(s->write("f", 1, -1), Status::Ok);
  EXPECT_EQ(r.calls.load(), 2);  // 1 unread, 2 wanted
  ASSERT_EQ(s->close(), Status::Ok);
  EXPECT_EQ(r.calls.load(), 3);
  ASSERT_EQ(s->read_finish(&p, false, &n), Status::Ok);
  ASSERT_EQ(s->wait_start(&p, 100, &Ready::fn, &r, &armed), Status::Ok);
  EXPECT_FALSE(armed);  // at EOF
}

// A binding that takes lines waits for more bytes than it saw. When
// another reader (or a seek) takes some of what it saw, the wait still ends
// as soon as more bytes come, though fewer than min are unread: a complete
// line may be among them.
TEST(StreamPending, AWaitEndsWhenMoreArrivesAfterOthersTookWhatItSaw) {
  for (bool retain : {false, true}) {
    StreamOptions o;
    o.retain = retain;
    auto s = make_stream(o);
    ASSERT_EQ(s->write("partial", 7, -1), Status::Ok);
    PendingRead p;
    Ready r;
    bool armed = false;
    ASSERT_EQ(s->wait_start(&p, 8, &Ready::fn, &r, &armed), Status::Ok);  // more than the 7 it saw
    ASSERT_TRUE(armed);
    size_t n = 0;
    if (retain) {
      uint64_t pos = 0;
      ASSERT_EQ(s->seek(7, SEEK_CUR, &pos), Status::Ok);
    } else {
      char tmp[7];
      ASSERT_EQ(s->read_nonblock(tmp, sizeof tmp, &n), Status::Ok);  // another reader takes them
      ASSERT_EQ(n, 7u);
    }
    EXPECT_EQ(r.calls.load(), 0);  // nothing new: still waiting
    ASSERT_EQ(s->write("a\n", 2, -1), Status::Ok);
    EXPECT_EQ(r.calls.load(), 1) << "retain " << retain;  // 2 unread, but they are new
    ASSERT_EQ(s->read_finish(&p, false, &n), Status::Ok);
    EXPECT_EQ(n, 0u);
    EXPECT_EQ(s->readable_amount(), 2u);  // the wait consumed nothing
  }
}

TEST(StreamPending, AWaitLetsAWriterPassTheMark) {
  StreamOptions o;
  o.high_water = 4;
  auto s = make_stream(o);
  ASSERT_EQ(s->write("abcd", 4, -1), Status::Ok);
  PendingRead p;
  Ready r;
  bool armed = false;
  ASSERT_EQ(s->wait_start(&p, 5, &Ready::fn, &r, &armed), Status::Ok);  // a line longer than the mark
  ASSERT_TRUE(armed);
  ASSERT_EQ(s->write("e", 1, 0), Status::Ok);  // starved reader: not held back
  EXPECT_EQ(r.calls.load(), 1);
  size_t n = 0;
  ASSERT_EQ(s->read_finish(&p, false, &n), Status::Ok);
  EXPECT_EQ(s->readable_amount(), 5u);
}

TEST(StreamPending, AWaitIsCanceledAndAbortedLikeARead) {
  auto s = make_stream();
  PendingRead p;
  Ready r;
  bool armed = false;
  ASSERT_EQ(s->wait_start(&p, 1, &Ready::fn, &r, &armed), Status::Ok);
  size_t n = 0;
  EXPECT_EQ(s->read_finish(&p, true, &n), Status::Canceled);
  EXPECT_EQ(readers_waiting(*s), 0u);
  ASSERT_EQ(s->wait_start(&p, 1, &Ready::fn, &r, &armed), Status::Ok);
  s->abort(7);
  EXPECT_EQ(r.calls.load(), 1);
  EXPECT_EQ(s->read_finish(&p, false, &n), Status::Aborted);
  EXPECT_EQ(s->wait_start(&p, 1, &Ready::fn, &r, &armed), Status::Aborted);
}

// A space wait: the writer's side. Armed only while a write of n bytes
// would be held at the mark; ready once readers brought the unread bytes
// to the low-water mark (not on every read), and it writes nothing itself.
TEST(StreamPending, ASpaceWaitIsReadyAtTheLowWaterMark) {
  StreamOptions o;
  o.high_water = 8;  // low water 4
  auto s = make_stream(o);
  PendingRead p;
  Ready r;
  bool armed = false;
  ASSERT_EQ(s->space_start(&p, 3, &Ready::fn, &r, &armed), Status::Ok);
  EXPECT_FALSE(armed);  // room now
  ASSERT_EQ(s->write("abcdefgh", 8, -1), Status::Ok);
  ASSERT_EQ(s->space_start(&p, 3, &Ready::fn, &r, &armed), Status::Ok);
  ASSERT_TRUE(armed);
  EXPECT_EQ(writers_waiting(*s), 1u);
  EXPECT_EQ(readers_waiting(*s), 0u);
  size_t n = 9;
  EXPECT_EQ(s->read_finish(&p, false, &n), Status::Again);
  char tmp[8];
  ASSERT_EQ(s->read_nonblock(tmp, 2, &n), Status::Ok);  // 6 unread: above low water
  EXPECT_EQ(r.calls.load(), 0);
  ASSERT_EQ(s->read_nonblock(tmp, 2, &n), Status::Ok);  // 4: the writers' turn
  EXPECT_EQ(r.calls.load(), 1);
  ASSERT_EQ(s->read_finish(&p, false, &n), Status::Ok);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(writers_waiting(*s), 0u);
  EXPECT_EQ(s->readable_amount(), 4u);  // the wait wrote nothing
  ASSERT_EQ(s->write("xyz", 3, 0), Status::Ok);
}

// Another writer takes the room first: the wait stays armed and runs its
// callback again at the next low-water mark. Cancel disarms it.
TEST(StreamPending, ASpaceWaitRearmsWhenAnotherWriterTookTheRoom) {
  StreamOptions o;
  o.high_water = 8;
  auto s = make_stream(o);
  ASSERT_EQ(s->write("abcdefgh", 8, -1), Status::Ok);
  PendingRead p;
  Ready r;
  bool armed = false;
  ASSERT_EQ(s->space_start(&p, 1, &Ready::fn, &r, &armed), Status::Ok);
  ASSERT_TRUE(armed);
  char tmp[8];
  size_t n = 0;
  ASSERT_EQ(s->read_nonblock(tmp, 4, &n), Status::Ok);
  EXPECT_EQ(r.calls.load(), 1);
  ASSERT_EQ(s->write("ijkl", 4, 0), Status::Ok);  // back at the mark
  EXPECT_EQ(s->read_finish(&p, false, &n), Status::Again);
  ASSERT_EQ(s->read_nonblock(tmp, 4, &n), Status::Ok);
  EXPECT_EQ(r.calls.load(), 2);
  ASSERT_EQ(s->write("mnop", 4, 0), Status::Ok);
  EXPECT_EQ(s->read_finish(&p, true, &n), Status::Canceled);
  EXPECT_EQ(writers_waiting(*s), 0u);
}

// A reader that waits for more than the mark lets the writer pass (as it
// does a blocked writer); close and abort make the wait ready, and the
// write that follows reports them. A write that would fail now fails here.
TEST(StreamPending, ASpaceWaitPassesForAStarvedReaderAndEndsAtCloseOrAbort) {
  StreamOptions o;
  o.high_water = 4;
  auto s = make_stream(o);
  ASSERT_EQ(s->write("abcd", 4, -1), Status::Ok);
  PendingRead p, wait;
  Ready r, rw;
  bool armed = false;
  ASSERT_EQ(s->space_start(&p, 2, &Ready::fn, &r, &armed), Status::Ok);
  ASSERT_TRUE(armed);
  ASSERT_EQ(s->wait_start(&wait, 6, &Ready::fn, &rw, &armed), Status::Ok);  // a line longer than the mark
  ASSERT_TRUE(armed);
  EXPECT_EQ(r.calls.load(), 1);
  size_t n = 0;
  ASSERT_EQ(s->read_finish(&p, false, &n), Status::Ok);
  ASSERT_EQ(s->write("ef", 2, 0), Status::Ok);
  EXPECT_EQ(rw.calls.load(), 1);
  ASSERT_EQ(s->read_finish(&wait, false, &n), Status::Ok);

  ASSERT_EQ(s->space_start(&p, 1, &Ready::fn, &r, &armed), Status::Ok);
  ASSERT_TRUE(armed);
  ASSERT_EQ(s->close(), Status::Ok);
  EXPECT_EQ(r.calls.load(), 2);
  ASSERT_EQ(s->read_finish(&p, false, &n), Status::Ok);
  EXPECT_EQ(s->write("g", 1, 0), Status::Closed);
  EXPECT_EQ(s->space_start(&p, 1, &Ready::fn, &r, &armed), Status::Closed);

  auto t = make_stream(o);
  ASSERT_EQ(t->write("abcd", 4, -1), Status::Ok);
  ASSERT_EQ(t->space_start(&p, 1, &Ready::fn, &r, &armed), Status::Ok);
  ASSERT_TRUE(armed);
  t->abort(3);
  EXPECT_EQ(r.calls.load(), 3);
  ASSERT_EQ(t->read_finish(&p, false, &n), Status::Ok);
  EXPECT_EQ(t->write("g", 1, 0), Status::Aborted);
  EXPECT_EQ(t->space_start(&p, 1, &Ready::fn, &r, &armed), Status::Aborted);
  EXPECT_EQ(t->space_start(&p, 1, nullptr, &r, &armed), Status::Inval);
}

// A writer that parks between writes against a reader thread: every byte
// arrives once and in order, and the writer never blocked in write.
TEST(StreamPending, AWriterParkedAtTheMarkDeliversEveryByteInOrder) {
  StreamOptions o;
  o.high_water = 4096;
  auto s = make_stream(o);
  const std::string data = pattern(1 << 20);
  std::string got;
  std::thread reader([&] {
    std::vector<char> buf(1500);
    size_t n = 0;
    while (s->read(buf.data(), buf.size(), -1, &n) == Status::Ok && n > 0) got.append(buf.data(), n);
  });
  size_t parked = 0;
  for (size_t off = 0; off < data.size();) {
    const size_t k = std::min<size_t>(1000, data.size() - off);
    Status st = s->write(data.data() + off, k, 0);
    if (st == Status::Ok) {
      off += k;
      continue;
    }
    ASSERT_EQ(st, Status::Again);
    PendingRead p;
    Ready r;
    bool armed = false;
    ASSERT_EQ(s->space_start(&p, k, &Ready::fn, &r, &armed), Status::Ok);
    if (!armed) continue;
    ++parked;
    size_t n = 0;
    ASSERT_EQ(finish_when_ready(*s, p, r, &n), Status::Ok);
  }
  ASSERT_EQ(s->close(), Status::Ok);
  reader.join();
  EXPECT_GT(parked, 0u);
  EXPECT_EQ(got.size(), data.size());
  EXPECT_TRUE(got == data);
}

// A writer thread against a reader that parks between reads: every byte
// arrives once and in order, through direct fills and the buffer alike.
TEST(StreamPending, ConcurrentWriterDeliversEveryByteInOrder) {
  StreamOptions o;
  o.high_water = 4096;
  auto s = make_stream(o);
  const std::string data = pattern(1 << 20);
  Status wst = Status::Ok;
  std::thread w([&] {
    for (size_t off = 0; off < data.size() && wst == Status::Ok; off += 1000)
      wst = s->write(data.data() + off, std::min<size_t>(1000, data.size() - off), -1);
    if (wst == Status::Ok) wst = s->close();
  });
  std::string got;
  std::vector<char> buf(3000);
  for (;;) {
    PendingRead p;
    Ready r;
    bool armed = false;
    size_t n = 0;
    ASSERT_EQ(s->read_start(&p, buf.data(), buf.size(), 1, &Ready::fn, &r, &armed, &n), Status::Ok);
    if (armed) {
      ASSERT_EQ(finish_when_ready(*s, p, r, &n), Status::Ok);
    }
    if (n == 0) break;
    got.append(buf.data(), n);
  }
  w.join();
  EXPECT_EQ(wst, Status::Ok);
  EXPECT_EQ(got.size(), data.size());
  EXPECT_TRUE(got == data);
}

}  // namespace
}  // namespace chunkbuf::test
