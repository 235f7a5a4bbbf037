// Writer side and cross-thread behaviour of chunkbuf::Stream: close, abort,
// timeouts, back-pressure, readiness fd, limits and memory.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/mem.h"
#include "stream_util.h"

namespace chunkbuf::test {
namespace {


// Waits (bounded) until the stream reports at least `readers` blocked
// readers and `writers` blocked writers; true when it did.
bool wait_blocked(const Stream& s, size_t readers, size_t writers) {
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    size_t r = 0, w = 0;
    s.waiting(&r, &w);
    if (r >= readers && w >= writers) return true;
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::yield();
  }
}

TEST(StreamSync, CloseIsEofAndLaterWritesFail) {
  auto s = make_stream();
  ASSERT_EQ(s->write("ab", 2, -1), Status::Ok);
  ASSERT_EQ(s->close(), Status::Ok);
  EXPECT_EQ(s->close(), Status::Ok);  // idempotent
  EXPECT_EQ(s->write("c", 1, -1), Status::Closed);
  EXPECT_EQ(s->write("", 0, -1), Status::Closed);
  EXPECT_FALSE(s->at_eof());
  char buf[8];
  size_t k = 0;
  ASSERT_EQ(s->read(buf, 8, -1, &k), Status::Ok);
  EXPECT_EQ(k, 2u);
  EXPECT_TRUE(s->at_eof());
  ASSERT_EQ(s->read(buf, 8, -1, &k), Status::Ok);
  EXPECT_EQ(k, 0u);
}

TEST(StreamSync, CloseWakesEveryBlockedReader) {
  auto s = make_stream();
  std::vector<std::thread> readers;
  std::atomic<int> eofs{0};
  for (int i = 0; i < 4; ++i)
    readers.emplace_back([&, i] {
      char buf[64];
      size_t k = 9;
      ViewRep* v = nullptr;
      Status st = i % 2 ? s->read(buf, sizeof buf, -1, &k) : s->readline(0, -1, &v);
      if (v) {
        k = v->len;
        view_release(v);
      }
      if (st == Status::Ok && k == 0) ++eofs;
    });
  // Close only once the engine reports all four blocked in a wait, so the
  // close really wakes them rather than racing their arrival.
  size_t blocked = 0;
  for (auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
       s->waiting(&blocked, nullptr), blocked < 4 && std::chrono::steady_clock::now() < give_up;)
    std::this_thread::yield();
  ASSERT_EQ(s->close(), Status::Ok);
  for (auto& t : readers) t.join();
  EXPECT_EQ(blocked, 4u) << "the readers were not all blocked when the stream closed";
  EXPECT_EQ(eofs.load(), 4);
}

TEST(StreamSync, AbortReachesBlockedAndLaterCallers) {
  auto s = make_stream();
  StreamOptions o;
  o.high_water = 4;
  auto full = make_stream(o);
  int code = 0;
  EXPECT_EQ(s->abort_code(&code), Status::State);
  ASSERT_EQ(s->write("no newline", 10, -1), Status::Ok);
  ASSERT_EQ(full->write("1234", 4, -1), Status::Ok);
  Status reader_st = Status::Ok, writer_st = Status::Ok;
  std::thread reader([&] {
    ViewRep* v = nullptr;
    reader_st = s->readline(0, -1, &v);
  });
  std::thread writer([&] { writer_st = full->write("5", 1, -1); });  // held by the high-water mark
  EXPECT_TRUE(wait_blocked(*s, 1, 0));
  EXPECT_TRUE(wait_blocked(*full, 0, 1));
  s->abort(42);
  s->abort(7);  // the first code stays
  full->abort(1);
  reader.join();
  writer.join();
  EXPECT_EQ(reader_st, Status::Aborted);
  EXPECT_EQ(writer_st, Status::Aborted);
  ASSERT_EQ(s->abort_code(&code), Status::Ok);
  EXPECT_EQ(code, 42);
  char buf[4];
  size_t k = 0;
  size_t pos = 0;
  ViewRep* v = nullptr;
  EXPECT_EQ(s->read_nonblock(buf, 4, &k), Status::Aborted);
  EXPECT_EQ(s->readline(0, 0, &v), Status::Aborted);
  EXPECT_EQ(s->find("1", 1, 0, npos, &pos), Status::Aborted);
  EXPECT_EQ(s->write("x", 1, 0), Status::Aborted);
  EXPECT_EQ(s->close(), Status::Aborted);
  EXPECT_EQ(s->readable_amount(), 0u);
  EXPECT_FALSE(s->at_eof());
  EXPECT_TRUE(fd_readable(s->readiness_fd()));
}

TEST(StreamSync, TimeoutsWaitAtLeastTheirTime) {
  auto s = make_stream();
  char buf[4];
  size_t k = 0;
  ViewRep* v = nullptr;
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(s->read(buf, 1, 50, &k), Status::TimedOut);
  EXPECT_GE(ms_since(t0), 50);
  ASSERT_EQ(s->write("partial", 7, -1), Status::Ok);
  t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(s->readline(0, 30, &v), Status::TimedOut);
  EXPECT_GE(ms_since(t0), 30);
  EXPECT_EQ(s->readable_amount(), 7u);  // nothing consumed
  EXPECT_EQ(s->read(buf, 1, -2, &k), Status::Inval);
  EXPECT_EQ(s->write("x", 1, -5), Status::Inval);
  EXPECT_EQ(s->read_view(8, 0, &v), Status::Again);
  // A timeout that a write beats returns the data.
  Status write_st = Status::Inval;
  std::thread w([&] {
    if (wait_blocked(*s, 1, 0)) write_st = s->write("\n", 1, -1);
  });
  ASSERT_EQ(s->readline(0, 5000, &v), Status::Ok);
  EXPECT_EQ(drain(v), "partial\n");
  w.join();
  EXPECT_EQ(write_st, Status::Ok);
}

TEST(StreamSync, BackPressureBlocksAndFailsWithAgain) {
  StreamOptions o;
  o.high_water = 1000;
  auto s = make_stream(o);
  const std::string kb(1000, 'k');
  ASSERT_EQ(s->write(kb.data(), 1000, 0), Status::Ok);
  EXPECT_EQ(s->write("x", 1, 0), Status::Again);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(s->write("x", 1, 30), Status::TimedOut);
  EXPECT_GE(ms_since(t0), 30);
  std::atomic<bool> done{false};
  Status write_st = Status::Inval;
  std::thread writer([&] {
    write_st = s->write(kb.data(), 500, -1);
    done = true;
  });
  EXPECT_TRUE(wait_blocked(*s, 0, 1));  // held by the mark
  EXPECT_FALSE(done.load());
  EXPECT_EQ(s->readable_amount(), 1000u);
  std::vector<char> buf(600);
  size_t k = 0;
  EXPECT_EQ(s->read(buf.data(), 600, -1, &k), Status::Ok);
  writer.join();
  EXPECT_EQ(write_st, Status::Ok);
  EXPECT_EQ(s->readable_amount(), 900u);
}

TEST(StreamSync, ReaderWantingMoreThanTheMarkIsNotDeadlocked) {
  StreamOptions o;
  o.high_water = 1000;
  auto s = make_stream(o);
  const std::string data = pattern(100000, 9);
  Status write_st = Status::Ok;
  std::thread writer([&] {
    for (size_t off = 0; off < data.size() && write_st == Status::Ok; off += 100)
      write_st = s->write(data.data() + off, 100, -1);
    if (write_st == Status::Ok) write_st = s->close();
  });
  std::vector<char> buf(5000);
  size_t k = 0;
  Status read_st = s->read(buf.data(), buf.size(), -1, &k);  // 5x the mark
  ViewRep* v = nullptr;
  Status rest_st = read_st == Status::Ok ? s->read_view(npos, -1, &v) : read_st;  // everything up to EOF
  writer.join();  // before any assertion: it must not outlive the test
  ASSERT_EQ(read_st, Status::Ok);
  ASSERT_EQ(k, buf.size());
  EXPECT_EQ(0, std::memcmp(buf.data(), data.data(), k));
  ASSERT_EQ(rest_st, Status::Ok);
  EXPECT_TRUE(drain(v) == data.substr(k));
  EXPECT_EQ(write_st, Status::Ok);
}

// The eventfd is kept in step only once someone asked for it (the hand-off
// path skips the system calls until then): asking later still finds it in
// the stream's current state.
TEST(StreamSync, ReadinessFdAskedForLateMatchesTheState) {
  auto s = make_stream();
  ASSERT_EQ(s->write("abc", 3, -1), Status::Ok);
  int fd = s->readiness_fd();
  EXPECT_TRUE(fd_readable(fd));
  char buf[4];
  size_t k = 0;
  ASSERT_EQ(s->read(buf, 3, -1, &k), Status::Ok);
  EXPECT_FALSE(fd_readable(fd));

  auto quiet = make_stream();
  ASSERT_EQ(quiet->write("x", 1, -1), Status::Ok);
  ASSERT_EQ(quiet->read(buf, 1, -1, &k), Status::Ok);
  EXPECT_FALSE(fd_readable(quiet->readiness_fd()));
  ASSERT_EQ(quiet->close(), Status::Ok);
  EXPECT_TRUE(fd_readable(quiet->readiness_fd()));
}

TEST(StreamSync, ReadinessFdTracksDataAndEof) {
  StreamOptions o;
  o.retain = true;
  auto s = make_stream(o);
  int fd = s->readiness_fd();
  ASSERT_GE(fd, 0);
  EXPECT_FALSE(fd_readable(fd));
  ASSERT_EQ(s->write("abc", 3, -1), Status::Ok);
  EXPECT_TRUE(fd_readable(fd));
  ASSERT_EQ(s->write("def", 3, -1), Status::Ok);  // still exactly readable
  char buf[8];
  size_t k = 0;
  ASSERT_EQ(s->read(buf, 2, -1, &k), Status::Ok);
  EXPECT_TRUE(fd_readable(fd));
  ASSERT_EQ(s->read(buf, 4, -1, &k), Status::Ok);
  EXPECT_FALSE(fd_readable(fd));
  ASSERT_EQ(s->seek(-1, SEEK_CUR, nullptr), Status::Ok);
  EXPECT_TRUE(fd_readable(fd));
  ASSERT_EQ(s->read(buf, 1, -1, &k), Status::Ok);
  EXPECT_FALSE(fd_readable(fd));
  ASSERT_EQ(s->close(), Status::Ok);
  EXPECT_TRUE(fd_readable(fd));  // EOF is readable, as on a file
  ASSERT_EQ(s->read(buf, 8, -1, &k), Status::Ok);
  EXPECT_TRUE(fd_readable(fd));

  StreamOptions empty;
  empty.content_length = 0;
  EXPECT_TRUE(fd_readable(make_stream(empty)->readiness_fd()));
  auto a = make_stream();
  EXPECT_FALSE(fd_readable(a->readiness_fd()));
  a->abort(1);
  EXPECT_TRUE(fd_readable(a->readiness_fd()));
}

TEST(StreamSync, ContentLengthIsTheEofPoint) {
  StreamOptions o;
  o.content_length = 100;
  auto s = make_stream(o);
  const std::string data = pattern(100, 4);
  ASSERT_EQ(s->write(data.data(), 60, -1), Status::Ok);
  EXPECT_EQ(s->write(data.data(), 41, -1), Status::Limit);  // all or nothing
  EXPECT_EQ(s->readable_amount(), 60u);
  EXPECT_FALSE(s->at_eof());
  ASSERT_EQ(s->write(data.data() + 60, 40, -1), Status::Ok);  // closes the stream
  EXPECT_EQ(s->write("x", 1, -1), Status::Limit);
  ViewRep* v = nullptr;
  ASSERT_EQ(s->read_view(npos, -1, &v), Status::Ok);  // returns at once: EOF came by itself
  EXPECT_TRUE(drain(v) == data);
  EXPECT_TRUE(s->at_eof());
}

TEST(StreamSync, MaxBytesLimitsWhatIsHeld) {
  StreamOptions o;
  o.max_bytes = 10;
  auto s = make_stream(o);
  ASSERT_EQ(s->write("12345678", 8, -1), Status::Ok);
  EXPECT_EQ(s->write("abc", 3, -1), Status::Limit);
  char buf[5];
  size_t k = 0;
  ASSERT_EQ(s->read(buf, 5, -1, &k), Status::Ok);
  EXPECT_EQ(s->write("abc", 3, -1), Status::Ok);  // streaming mode released the read bytes
  EXPECT_EQ(s->readable_amount(), 6u);
}

struct FreeCount {
  std::atomic<int> calls{0};
  static void fn(void* ud) { ++static_cast<FreeCount*>(ud)->calls; }
};

TEST(StreamSync, WriteRefFreesOnceWhenDoneOrFailed) {
  static const char kData[] = "zero-copy bytes";
  FreeCount fc;
  {
    auto s = make_stream();
    ASSERT_EQ(s->write_ref(kData, 15, FreeCount::fn, &fc, -1), Status::Ok);
    EXPECT_EQ(fc.calls.load(), 0);
    char buf[16];
    size_t k = 0;
    ASSERT_EQ(s->read(buf, 15, -1, &k), Status::Ok);
    EXPECT_EQ(fc.calls.load(), 1);  // streaming: released as soon as read
    ASSERT_EQ(s->close(), Status::Ok);
    EXPECT_EQ(s->write_ref(kData, 15, FreeCount::fn, &fc, -1), Status::Closed);
    EXPECT_EQ(fc.calls.load(), 2);
    EXPECT_EQ(s->write_ref(kData, 0, FreeCount::fn, &fc, -1), Status::Closed);
    EXPECT_EQ(fc.calls.load(), 3);
  }
  StreamOptions o;
  o.retain = true;
  {
    auto s = make_stream(o);
    ASSERT_EQ(s->write_ref(kData, 15, FreeCount::fn, &fc, -1), Status::Ok);
    ViewRep* v = nullptr;
    ASSERT_EQ(s->read_view(15, -1, &v), Status::Ok);
    EXPECT_EQ(drain(v), "zero-copy bytes");
    EXPECT_EQ(fc.calls.load(), 3);  // retained: still referenced
  }
  EXPECT_EQ(fc.calls.load(), 4);
}

TEST(StreamSync, OutOfMemoryChangesNothing) {
  Pool* pool = Pool::create(PoolOptions{});  // empty caches: every block is a fresh allocation
  {
    StreamOptions o;
    o.pool = pool;
    auto s = make_stream(o);
    ASSERT_EQ(s->write("abc\n", 4, -1), Status::Ok);
    const std::string big(100000, 'x');
    FreeCount fc;
    ViewRep* v = nullptr;
    char buf[4];
    size_t k = 0;
    mem::fail_after(0);
    EXPECT_EQ(s->write(big.data(), big.size(), -1), Status::NoMem);
    EXPECT_EQ(s->write_ref("xyz", 3, FreeCount::fn, &fc, -1), Status::NoMem);
    EXPECT_EQ(s->readline(0, -1, &v), Status::NoMem);
    EXPECT_EQ(s->read(buf, 4, -1, &k), Status::NoMem);
    mem::fail_never();
    EXPECT_EQ(fc.calls.load(), 1);
    EXPECT_EQ(s->readable_amount(), 4u);
    ASSERT_EQ(s->readline(0, -1, &v), Status::Ok);
    EXPECT_EQ(drain(v), "abc\n");
  }
  pool->release();
}

TEST(StreamSync, ViewsCarryTheTenant) {
  StreamOptions o;
  o.tenant = 7;
  for (bool retain : {false, true}) {
    o.retain = retain;
    auto s = make_stream(o);
    ASSERT_EQ(s->write("abc\n", 4, -1), Status::Ok);
    ViewRep* v = nullptr;
    ASSERT_EQ(s->readline(0, -1, &v), Status::Ok);
    EXPECT_EQ(v->tenant, 7u);
    view_release(v);
  }
}

// Peak pool memory while `total` bytes pass through a stream with a 256 KiB
// high-water mark.
uint64_t peak_while_streaming(bool retain, size_t total) {
  Pool* pool = Pool::create(PoolOptions{});
  uint64_t peak = 0;
  {
    StreamOptions o;
    o.pool = pool;
    o.retain = retain;
    o.high_water = 256 << 10;
    auto s = make_stream(o);
    const std::string chunk = pattern(16 << 10, 2);
    std::thread writer([&] {
      for (size_t off = 0; off < total; off += chunk.size())
        ASSERT_EQ(s->write(chunk.data(), chunk.size(), -1), Status::Ok);
      ASSERT_EQ(s->close(), Status::Ok);
    });
    std::vector<char> buf(64 << 10);
    size_t k = 0, seen = 0;
    while (s->read1(buf.data(), buf.size(), -1, &k) == Status::Ok && k > 0) seen += k;
    writer.join();
    EXPECT_EQ(seen, total);
    peak = pool->stats().peak_bytes_in_use;
  }
  pool->release();
  return peak;
}

TEST(StreamSync, StreamingModeKeepsMemoryFlat) {
  EXPECT_LT(peak_while_streaming(false, 64 << 20), 4u << 20);  // 64 MiB through
  EXPECT_GE(peak_while_streaming(true, 8 << 20), 8u << 20);    // retained keeps it all
}

}  // namespace
}  // namespace chunkbuf::test
