// Shared ownership, cancel tokens, hand-outs (peek + consume) and read_into
// of chunkbuf::Stream. Wake-up tests wait until the engine reports the call
// as blocked (Stream::waiting), never on a sleep.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "stream_util.h"

namespace chunkbuf::test {
namespace {

// A heap stream, as the C API holds it: whoever's release() returns true
// deletes it.
Stream* new_stream(const StreamOptions& o = {}) {
  auto* s = new Stream();
  EXPECT_EQ(s->init(o), Status::Ok);
  return s;
}

TEST(StreamShare, LastReleaseIsTheOnlyOneThatReturnsTrue) {
  Stream* s = new_stream();
  s->retain();
  s->retain();
  EXPECT_FALSE(s->release());
  EXPECT_FALSE(s->release());
  ASSERT_EQ(s->write("x", 1, -1), Status::Ok);  // still alive and usable
  EXPECT_TRUE(s->release());
  delete s;
}

// The reader holds its own reference: the creator and the writer may let go
// in either order while it is blocked, and it still gets its bytes.
TEST(StreamShare, ReaderWithItsOwnReferenceOutlivesEveryReleaseOrder) {
  for (int order = 0; order < 2; ++order) {
    Stream* s = new_stream();
    s->retain();  // the writer's reference
    s->retain();  // the reader's reference
    Status st = Status::Inval;
    size_t got = 0;
    char buf[4];
    bool deleted_by_reader = false;
    std::thread reader([&] {
      st = s->read(buf, 3, -1, &got);
      if (s->release()) {
        deleted_by_reader = true;
        delete s;
      }
    });
    ASSERT_TRUE(eventually([&] { return readers_waiting(*s) == 1; }));
    Stream* keep = s;  // the test's pointer for the writer's part
    if (order == 0) {
      EXPECT_FALSE(keep->release());  // creator first
      ASSERT_EQ(keep->write("abc", 3, -1), Status::Ok);
      reader.join();
      EXPECT_TRUE(keep->release() || deleted_by_reader);
      if (!deleted_by_reader) delete keep;
    } else {
      ASSERT_EQ(keep->write("abc", 3, -1), Status::Ok);
      reader.join();
      EXPECT_FALSE(deleted_by_reader);  // two references were still held
      EXPECT_FALSE(keep->release());    // writer
      EXPECT_TRUE(keep->release());     // creator last
      delete keep;
    }
    EXPECT_EQ(st, Status::Ok);
    EXPECT_EQ(std::string(buf, got), "abc");
  }
}

// Nobody but the blocked callers' own code needed the stream: the last
// release wakes them with Handle and returns only after they have left.
TEST(StreamShare, LastReleaseWakesEveryBlockedReaderWithHandle) {
  Stream* s = new_stream();
  ASSERT_EQ(s->write("ab", 2, -1), Status::Ok);
  Status rst = Status::Ok, lst = Status::Ok;
  std::thread reader([&] {
    char buf[8];
    size_t k = 0;
    rst = s->read(buf, 8, -1, &k);
  });
  std::thread liner([&] {
    ViewRep* v = nullptr;
    lst = s->readline(0, -1, &v);
  });
  ASSERT_TRUE(eventually([&] { return readers_waiting(*s) == 2; }));
  EXPECT_TRUE(s->release());
  delete s;
  reader.join();
  liner.join();
  EXPECT_EQ(rst, Status::Handle);
  EXPECT_EQ(lst, Status::Handle);
}

TEST(StreamShare, LastReleaseWakesAWriterHeldByTheHighWaterMark) {
  StreamOptions o;
  o.high_water = 2;
  Stream* s = new_stream(o);
  ASSERT_EQ(s->write("ab", 2, -1), Status::Ok);
  Status wst = Status::Ok;
  std::thread writer([&] { wst = s->write("c", 1, -1); });
  ASSERT_TRUE(eventually([&] { return writers_waiting(*s) == 1; }));
  EXPECT_TRUE(s->release());
  delete s;
  writer.join();
  EXPECT_EQ(wst, Status::Handle);
}

// A write of 16 KiB or more made while readers have bytes to take copies
// outside the stream's lock. A last release meanwhile waits until the
// copy is back under the lock (the stream's memory is still there for
// it), and the write then fails with Handle, adding nothing.
TEST(StreamShare, LastReleaseWaitsForAWriteCopyingOutsideTheLock) {
  Pool* pool = Pool::create(PoolOptions{});
  StreamOptions o;
  o.pool = pool;
  Stream* s = new_stream(o);
  ASSERT_EQ(s->write("x", 1, -1), Status::Ok);  // unread bytes: the big write copies unlocked
  const uint64_t before = pool->stats().bytes_in_use;
  const std::string big(64 << 20, 'w');  // a copy of some milliseconds
  Status wst = Status::Inval;
  std::thread writer([&] { wst = s->write(big.data(), big.size(), -1); });
  // The claim of the write's room is the moment the pool lends its block.
  ASSERT_TRUE(eventually([&] { return pool->stats().bytes_in_use >= before + big.size(); }));
  EXPECT_TRUE(s->release());
  delete s;
  writer.join();
  // Released before the copy came back, or (on a slow start of release)
  // after the write was added; either way nothing is left lent.
  EXPECT_TRUE(wst == Status::Handle || wst == Status::Ok) << static_cast<int>(wst);
  EXPECT_EQ(pool->stats().bytes_in_use, 0u);
  pool->release();
}

TEST(StreamShare, CancelWakesOnlyTheCallsUsingTheToken) {
  auto s = make_stream();
  Cancel c;
  Status canceled = Status::Ok, other = Status::Inval;
  char b1[4], b2[4];
  size_t k1 = 9, k2 = 0;
  std::thread t1([&] { canceled = s->read_into(b1, 4, 1, Wait{-1, &c}, &k1); });
  std::thread t2([&] { other = s->read_into(b2, 4, 1, Wait{-1, nullptr}, &k2); });
  ASSERT_TRUE(eventually([&] { return readers_waiting(*s) == 2 && c.users() == 1; }));
  c.fire();
  t1.join();
  EXPECT_EQ(canceled, Status::Canceled);
  EXPECT_EQ(k1, 9u);  // nothing written out
  EXPECT_EQ(readers_waiting(*s), 1u);  // the other reader still waits
  ASSERT_EQ(s->write("data", 4, -1), Status::Ok);
  t2.join();
  EXPECT_EQ(other, Status::Ok);
  EXPECT_EQ(std::string(b2, k2), "data");
  // Sticky until reset; nothing consumed by the failed calls.
  ASSERT_EQ(s->write("more", 4, -1), Status::Ok);
  EXPECT_EQ(s->read_into(b1, 4, 1, Wait{-1, &c}, &k1), Status::Canceled);
  EXPECT_EQ(s->readable_amount(), 4u);
  c.reset();
  ASSERT_EQ(s->read_into(b1, 4, 1, Wait{-1, &c}, &k1), Status::Ok);
  EXPECT_EQ(std::string(b1, k1), "more");
  EXPECT_EQ(c.users(), 0u);
}

TEST(StreamShare, CancelWakesAPeekAndATokenServesSeveralStreams) {
  auto a = make_stream();
  auto b = make_stream();
  Cancel c;
  Status sa = Status::Ok, sb = Status::Ok;
  std::thread ta([&] {
    ViewRep* v = nullptr;
    Handout h;
    sa = a->peek(1, npos, Wait{-1, &c}, &v, &h);
  });
  std::thread tb([&] {
    char buf[1];
    size_t k = 0;
    sb = b->read_into(buf, 1, 1, Wait{5000, &c}, &k);
  });
  ASSERT_TRUE(eventually([&] { return readers_waiting(*a) == 1 && readers_waiting(*b) == 1; }));
  c.fire();
  ta.join();
  tb.join();
  EXPECT_EQ(sa, Status::Canceled);
  EXPECT_EQ(sb, Status::Canceled);
  EXPECT_STRNE(last_error_detail(), "");
}

TEST(StreamShare, ReleaseWaitsForACanceledCallToLeaveItsScope) {
  Stream* s = new_stream();
  Cancel c;
  Status st = Status::Ok;
  std::thread t([&] {
    char buf[1];
    size_t k = 0;
    st = s->read_into(buf, 1, 1, Wait{-1, &c}, &k);
  });
  ASSERT_TRUE(eventually([&] { return readers_waiting(*s) == 1; }));
  EXPECT_TRUE(s->release());  // wakes the reader, waits for its cancel scope
  delete s;
  c.fire();  // must not touch the deleted stream
  t.join();
  EXPECT_EQ(st, Status::Handle);
  EXPECT_EQ(c.users(), 0u);
}

TEST(StreamShare, ReadIntoMinimums) {
  auto s = make_stream();
  char buf[8];
  size_t k = 0;
  EXPECT_EQ(s->read_into(buf, 8, 0, Wait{}, &k), Status::Again);  // min 0 never waits
  EXPECT_EQ(s->read_into(buf, 8, 1, Wait{0, nullptr}, &k), Status::Again);
  ASSERT_EQ(s->write("abc", 3, -1), Status::Ok);
  EXPECT_EQ(s->read_into(buf, 8, 4, Wait{0, nullptr}, &k), Status::Again);  // wants 4
  EXPECT_EQ(s->read_into(buf, 8, 4, Wait{-2, nullptr}, &k), Status::Inval);
  ASSERT_EQ(s->read_into(buf, 2, 8, Wait{}, &k), Status::Ok);  // min capped at n
  EXPECT_EQ(std::string(buf, k), "ab");
  ASSERT_EQ(s->read_into(buf, 8, 0, Wait{}, &k), Status::Ok);
  EXPECT_EQ(std::string(buf, k), "c");
  ASSERT_EQ(s->close(), Status::Ok);
  ASSERT_EQ(s->read_into(buf, 8, 8, Wait{}, &k), Status::Ok);
  EXPECT_EQ(k, 0u);  // EOF
}

TEST(StreamShare, PeekHandsOutWithoutConsumingAndConsumeTakesExactlyThat) {
  auto s = make_stream();
  ASSERT_EQ(s->write("hello ", 6, -1), Status::Ok);
  ASSERT_EQ(s->write("world", 5, -1), Status::Ok);
  ViewRep* v = nullptr;
  Handout h;
  ASSERT_EQ(s->peek(1, npos, Wait{}, &v, &h), Status::Ok);
  EXPECT_EQ(drain(v), "hello world");
  EXPECT_EQ(h.position, 0u);
  EXPECT_EQ(h.length, 11u);
  EXPECT_EQ(s->readable_amount(), 11u);  // nothing consumed
  EXPECT_EQ(s->consume(&h, 12), Status::Range);
  ASSERT_EQ(s->consume(&h, 6), Status::Ok);  // piece by piece
  EXPECT_EQ(h.position, 6u);
  EXPECT_EQ(h.length, 5u);
  EXPECT_EQ(s->tell(), 6u);
  // max limits the hand-out.
  Handout h2;
  ASSERT_EQ(s->peek(0, 3, Wait{}, &v, &h2), Status::Ok);
  EXPECT_EQ(drain(v), "wor");
  EXPECT_EQ(s->consume(&h2, 4), Status::Range);
  // Another reader consumed in between: both stale hand-outs are refused.
  char c;
  size_t k = 0;
  ASSERT_EQ(s->read(&c, 1, -1, &k), Status::Ok);
  EXPECT_EQ(s->consume(&h, 1), Status::State);
  EXPECT_EQ(s->consume(&h2, 1), Status::State);
  EXPECT_EQ(s->readable_amount(), 4u);
}

TEST(StreamShare, PeekWaitsForItsMinimumAndReportsEof) {
  auto s = make_stream();
  ViewRep* v = nullptr;
  Handout h;
  EXPECT_EQ(s->peek(1, npos, Wait{0, nullptr}, &v, &h), Status::Again);
  ASSERT_EQ(s->peek(0, npos, Wait{0, nullptr}, &v, &h), Status::Ok);  // min 0: empty, no wait
  EXPECT_EQ(drain(v), "");
  std::thread w([&] {
    std::vector<char> data(10, 'x');
    for (char ch : data) s->write(&ch, 1, -1);
  });
  ASSERT_EQ(s->peek(10, npos, Wait{}, &v, &h), Status::Ok);
  EXPECT_EQ(drain(v), std::string(10, 'x'));
  w.join();
  ASSERT_EQ(s->close(), Status::Ok);
  ASSERT_EQ(s->peek(100, npos, Wait{}, &v, &h), Status::Ok);  // EOF ends the wait
  EXPECT_EQ(v->len, 10u);
  view_release(v);
  ASSERT_EQ(s->consume(&h, 10), Status::Ok);
  ASSERT_EQ(s->peek(1, npos, Wait{}, &v, &h), Status::Ok);
  EXPECT_EQ(v->len, 0u);  // EOF: an empty hand-out
  view_release(v);
  s->abort(3);
  EXPECT_EQ(s->peek(0, npos, Wait{}, &v, &h), Status::Aborted);
  EXPECT_EQ(s->consume(&h, 0), Status::Aborted);
}

TEST(StreamShare, HandoutsInRetainedModeSurviveSeeks) {
  StreamOptions o;
  o.retain = true;
  auto s = make_stream(o);
  ASSERT_EQ(s->write("abcdef", 6, -1), Status::Ok);
  ViewRep* v = nullptr;
  Handout h;
  ASSERT_EQ(s->peek(1, npos, Wait{}, &v, &h), Status::Ok);
  EXPECT_EQ(drain(v), "abcdef");
  ASSERT_EQ(s->consume(&h, 2), Status::Ok);
  ASSERT_EQ(s->peek(1, npos, Wait{}, &v, &h), Status::Ok);
  EXPECT_EQ(drain(v), "cdef");
  uint64_t pos = 0;
  ASSERT_EQ(s->seek(0, SEEK_SET, &pos), Status::Ok);
  EXPECT_EQ(s->consume(&h, 1), Status::State);  // the position moved
  ASSERT_EQ(s->peek(1, npos, Wait{}, &v, &h), Status::Ok);
  EXPECT_EQ(drain(v), "abcdef");
}

// Eight readers share the stream through peek + consume: every byte goes
// to exactly one of them, in order within each hand-out, never twice.
TEST(StreamShare, ConcurrentPeekConsumeNeverDuplicatesOrInterleaves) {
  auto s = make_stream();
  constexpr int kReaders = 8;
  constexpr uint32_t kRecords = 20000;
  std::vector<std::vector<uint32_t>> got(kReaders);
  std::vector<std::thread> readers;
  std::atomic<int> errors{0};
  for (int r = 0; r < kReaders; ++r)
    readers.emplace_back([&, r] {
      for (;;) {
        ViewRep* v = nullptr;
        Handout h;
        if (s->peek(4, npos, Wait{}, &v, &h) != Status::Ok) {
          ++errors;
          return;
        }
        size_t whole = (v->len / 4) * 4;
        if (whole == 0) {  // EOF
          view_release(v);
          return;
        }
        std::string bytes(whole, '\0');
        view_copy_out(v, 0, bytes.data(), whole);
        view_release(v);
        Status st = s->consume(&h, whole);
        if (st == Status::State) continue;  // someone else took them: look again
        if (st != Status::Ok) {
          ++errors;
          return;
        }
        for (size_t i = 0; i < whole; i += 4) {
          uint32_t x;
          std::memcpy(&x, bytes.data() + i, 4);
          got[r].push_back(x);
        }
      }
    });
  for (uint32_t i = 0; i < kRecords; ++i) ASSERT_EQ(s->write(&i, 4, -1), Status::Ok);
  ASSERT_EQ(s->close(), Status::Ok);
  for (auto& t : readers) t.join();
  EXPECT_EQ(errors.load(), 0);
  std::vector<int> seen(kRecords, 0);
  for (auto& g : got) {
    for (size_t i = 1; i < g.size(); ++i) EXPECT_LT(g[i - 1], g[i]);  // each reader sees increasing records
    for (uint32_t x : g) {
      ASSERT_LT(x, kRecords);
      ++seen[x];
    }
  }
  for (uint32_t i = 0; i < kRecords; ++i) ASSERT_EQ(seen[i], 1) << "record " << i;
}

}  // namespace
}  // namespace chunkbuf::test
