// One copy from writer to reader: a reader blocked in a bulk read gets the
// writer's bytes straight into its own memory, in stream order, and no byte
// is lost or duplicated around cancel, abort or release; a blocked write
// wakes on its cancel token. Wake-up tests wait until the engine reports
// the call as blocked (Stream::waiting), never on a sleep.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <thread>
#include <vector>

#include "stream_util.h"

namespace chunkbuf::test {
namespace {

// A reader thread blocked in read_into(dst of cap bytes, min) with an
// optional cancel token.
class BlockedReader {
 public:
  BlockedReader(Stream& s, size_t cap, size_t min, Cancel* c = nullptr) : buf_(cap) {
    t_ = std::thread([&s, this, min, c] { st_ = s.read_into(buf_.data(), buf_.size(), min, Wait{-1, c}, &n_); });
  }
  ~BlockedReader() {
    if (t_.joinable()) t_.join();
  }
  Status join() {
    t_.join();
    return st_;
  }
  std::string got() const { return std::string(buf_.data(), n_); }

 private:
  std::vector<char> buf_;
  Status st_ = Status::Ok;
  size_t n_ = 0;
  std::thread t_;
};

std::string read_all_now(Stream& s) {
  std::string out(s.readable_amount(), '\0');
  size_t n = 0;
  EXPECT_EQ(s.read_nonblock(out.data(), out.size(), &n), Status::Ok);
  out.resize(n);
  return out;
}

TEST(StreamDirect, ABlockedReaderGetsTheBytesWithoutTheBuffer) {
  StreamOptions o;
  o.max_bytes = 4;  // the stream itself cannot hold the 16 bytes below
  auto s = make_stream(o);
  BlockedReader r(*s, 64, 1);
  ASSERT_TRUE(eventually([&] { return readers_waiting(*s) == 1; }));
  ASSERT_EQ(s->write("0123456789abcdef", 16, -1), Status::Ok);
  ASSERT_EQ(r.join(), Status::Ok);
  EXPECT_EQ(r.got(), "0123456789abcdef");
  EXPECT_EQ(s->readable_amount(), 0u);
  EXPECT_EQ(s->tell(), 16u);
  // With nobody waiting the same write must be buffered, and is too big.
  EXPECT_EQ(s->write("0123456789abcdef", 16, -1), Status::Limit);
  EXPECT_EQ(s->readable_amount(), 0u);
}

TEST(StreamDirect, WhatDoesNotFitIsBufferedAfterIt) {
  auto s = make_stream();
  const std::string data = pattern(25);
  BlockedReader r(*s, 10, 1);
  ASSERT_TRUE(eventually([&] { return readers_waiting(*s) == 1; }));
  ASSERT_EQ(s->write(data.data(), data.size(), -1), Status::Ok);
  ASSERT_EQ(r.join(), Status::Ok);
  EXPECT_EQ(r.got(), data.substr(0, 10));
  EXPECT_EQ(s->readable_amount(), 15u);
  EXPECT_EQ(read_all_now(*s), data.substr(10));
}

TEST(StreamDirect, BufferedBytesAreNeverOvertaken) {
  auto s = make_stream();
  ASSERT_EQ(s->write("abc", 3, -1), Status::Ok);
  BlockedReader r(*s, 6, 6);  // waits for 6, 3 are buffered
  ASSERT_TRUE(eventually([&] { return readers_waiting(*s) == 1; }));
  ASSERT_EQ(s->write("defghi", 6, -1), Status::Ok);
  ASSERT_EQ(r.join(), Status::Ok);
  EXPECT_EQ(r.got(), "abcdef");
  EXPECT_EQ(read_all_now(*s), "ghi");
}

TEST(StreamDirect, AReaderIsNeverFilledBelowItsMinimum) {
  auto s = make_stream();
  BlockedReader r(*s, 8, 8);
  ASSERT_TRUE(eventually([&] { return readers_waiting(*s) == 1; }));
  ASSERT_EQ(s->write("abc", 3, -1), Status::Ok);
  EXPECT_EQ(s->readable_amount(), 3u);  // buffered: 3 bytes would leave the reader short
  ASSERT_EQ(s->write("defghijk", 8, -1), Status::Ok);
  ASSERT_EQ(r.join(), Status::Ok);
  EXPECT_EQ(r.got(), "abcdefgh");
  EXPECT_EQ(read_all_now(*s), "ijk");
}

TEST(StreamDirect, TwoBlockedReadersShareOneWriteInOrder) {
  auto s = make_stream();
  BlockedReader a(*s, 4, 1);
  ASSERT_TRUE(eventually([&] { return readers_waiting(*s) == 1; }));
  BlockedReader b(*s, 4, 1);
  ASSERT_TRUE(eventually([&] { return readers_waiting(*s) == 2; }));
  ASSERT_EQ(s->write("0123456789", 10, -1), Status::Ok);
  ASSERT_EQ(a.join(), Status::Ok);
  ASSERT_EQ(b.join(), Status::Ok);
  EXPECT_EQ(a.got(), "0123");  // the reader that waited first comes first
  EXPECT_EQ(b.got(), "4567");
  EXPECT_EQ(read_all_now(*s), "89");
}

TEST(StreamDirect, BytesHandedOverBeforeACancelAreTheReaders) {
  auto s = make_stream();
  for (int i = 0; i < 200; ++i) {
    Cancel c;
    BlockedReader r(*s, 16, 1, &c);
    ASSERT_TRUE(eventually([&] { return readers_waiting(*s) == 1 && c.users() == 1; }));
    char byte = static_cast<char>('a' + i % 26);
    if (i % 2 == 0) {
      // The write returned before the cancel: the reader owns the byte.
      ASSERT_EQ(s->write(&byte, 1, -1), Status::Ok);
      c.fire();
      ASSERT_EQ(r.join(), Status::Ok);
      EXPECT_EQ(r.got(), std::string(1, byte));
      EXPECT_EQ(s->readable_amount(), 0u);
    } else {
      // The cancel came first: the byte is either the reader's (it had not
      // left yet) or still in the stream; never both, never neither.
      c.fire();
      ASSERT_EQ(s->write(&byte, 1, -1), Status::Ok);
      Status st = r.join();
      if (st == Status::Ok) {
        EXPECT_EQ(r.got(), std::string(1, byte));
        EXPECT_EQ(s->readable_amount(), 0u);
      } else {
        EXPECT_EQ(st, Status::Canceled);
        EXPECT_EQ(read_all_now(*s), std::string(1, byte));
      }
    }
  }
  EXPECT_EQ(s->tell(), 200u);
}

TEST(StreamDirect, BytesHandedOverBeforeAnAbortOrReleaseAreTheReaders) {
  auto s = make_stream();
  BlockedReader r(*s, 16, 1);
  ASSERT_TRUE(eventually([&] { return readers_waiting(*s) == 1; }));
  ASSERT_EQ(s->write("xyz", 3, -1), Status::Ok);
  s->abort(7);
  ASSERT_EQ(r.join(), Status::Ok);
  EXPECT_EQ(r.got(), "xyz");

  auto* t = new Stream();
  ASSERT_EQ(t->init({}), Status::Ok);
  BlockedReader r2(*t, 16, 1);
  ASSERT_TRUE(eventually([&] { return readers_waiting(*t) == 1; }));
  ASSERT_EQ(t->write("kept", 4, -1), Status::Ok);
  ASSERT_TRUE(t->release());  // waits until the reader has left
  delete t;
  ASSERT_EQ(r2.join(), Status::Ok);
  EXPECT_EQ(r2.got(), "kept");
}

TEST(StreamDirect, RetainedModeKeepsEveryByte) {
  StreamOptions o;
  o.retain = true;
  auto s = make_stream(o);
  BlockedReader r(*s, 16, 1);
  ASSERT_TRUE(eventually([&] { return readers_waiting(*s) == 1; }));
  ASSERT_EQ(s->write("hello", 5, -1), Status::Ok);
  ASSERT_EQ(r.join(), Status::Ok);
  EXPECT_EQ(r.got(), "hello");
  ASSERT_EQ(s->seek(0, SEEK_SET, nullptr), Status::Ok);
  EXPECT_EQ(read_all_now(*s), "hello");
}

TEST(StreamDirect, ContentLengthCountsDirectBytes) {
  StreamOptions o;
  o.content_length = 4;
  auto s = make_stream(o);
  BlockedReader r(*s, 16, 1);
  ASSERT_TRUE(eventually([&] { return readers_waiting(*s) == 1; }));
  ASSERT_EQ(s->write("abcd", 4, -1), Status::Ok);
  ASSERT_EQ(r.join(), Status::Ok);
  EXPECT_EQ(r.got(), "abcd");
  EXPECT_TRUE(s->at_eof());
  EXPECT_EQ(s->write("e", 1, -1), Status::Limit);
}

// Writers write whole 8-byte records (writer, sequence); readers read
// multiples of 8 with read_into(min = n), so each read is whole records.
// Every record arrives exactly once, and each reader sees every writer's
// records in the order written.
TEST(StreamDirect, ManyWritersAndReadersLoseAndDuplicateNothing) {
  constexpr uint32_t kWriters = 4, kReaders = 4, kRecords = 20000;
  StreamOptions o;
  o.high_water = 4096;
  auto s = make_stream(o);
  std::vector<std::thread> writers;
  for (uint32_t w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      uint32_t rec[6];
      for (uint32_t seq = 0; seq < kRecords;) {
        uint32_t k = std::min<uint32_t>(seq % 3 + 1, kRecords - seq);
        for (uint32_t i = 0; i < k; ++i) {
          rec[2 * i] = w;
          rec[2 * i + 1] = seq + i;
        }
        if (s->write(rec, 8 * k, -1) != Status::Ok) return;
        seq += k;
      }
    });
  std::vector<std::vector<uint32_t>> got(kReaders);
  std::vector<bool> ordered(kReaders, true);
  std::vector<std::thread> readers;
  for (uint32_t r = 0; r < kReaders; ++r)
    readers.emplace_back([&, r] {
      std::vector<int64_t> last(kWriters, -1);
      uint32_t rec[8];
      for (size_t i = 0;; ++i) {
        size_t want = 8 * (size_t{1} << (i % 3)), n = 0;
        if (s->read_into(rec, want, want, Wait{}, &n) != Status::Ok || n == 0) return;
        for (size_t j = 0; j < n / 8; ++j) {
          uint32_t w = rec[2 * j], seq = rec[2 * j + 1];
          if (w >= kWriters || n % 8 != 0 || int64_t{seq} <= last[w]) ordered[r] = false;
          else last[w] = seq;
          got[r].push_back(w * kRecords + seq);
        }
      }
    });
  for (auto& t : writers) t.join();
  ASSERT_EQ(s->close(), Status::Ok);
  for (auto& t : readers) t.join();
  std::vector<uint32_t> all;
  for (uint32_t r = 0; r < kReaders; ++r) {
    EXPECT_TRUE(ordered[r]) << "reader " << r;
    all.insert(all.end(), got[r].begin(), got[r].end());
  }
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), size_t{kWriters} * kRecords);
  for (uint32_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], i);
}

TEST(StreamDirect, ACancelWakesAWriterHeldByTheHighWaterMark) {
  StreamOptions o;
  o.high_water = 2;
  auto s = make_stream(o);
  ASSERT_EQ(s->write("ab", 2, -1), Status::Ok);
  Cancel c;
  Status wst = Status::Ok;
  std::thread writer([&] { wst = s->write("c", 1, Wait{-1, &c}); });
  ASSERT_TRUE(eventually([&] { return writers_waiting(*s) == 1 && c.users() == 1; }));
  c.fire();
  writer.join();
  EXPECT_EQ(wst, Status::Canceled);
  EXPECT_EQ(read_all_now(*s), "ab");  // nothing of the canceled write
  EXPECT_EQ(s->write("c", 1, Wait{-1, &c}), Status::Canceled);  // sticky until reset
  c.reset();
  EXPECT_EQ(s->write("c", 1, Wait{-1, &c}), Status::Ok);
  EXPECT_EQ(read_all_now(*s), "c");
}

// write_ref with a Wait: a cancel wakes it with nothing written, and the
// adopted memory's callback runs once, at once; a later one goes in and
// is let go once read.
TEST(StreamDirect, ACancelWakesAZeroCopyWriteAndGivesTheMemoryBack) {
  StreamOptions o;
  o.high_water = 2;
  auto s = make_stream(o);
  ASSERT_EQ(s->write("ab", 2, -1), Status::Ok);
  static const char kRef[] = "ref";
  int frees = 0;
  auto count = [](void* ud) { ++*static_cast<int*>(ud); };
  Cancel c;
  Status wst = Status::Ok;
  std::thread writer([&] { wst = s->write_ref(kRef, 3, count, &frees, Wait{-1, &c}); });
  ASSERT_TRUE(eventually([&] { return writers_waiting(*s) == 1 && c.users() == 1; }));
  c.fire();
  writer.join();
  EXPECT_EQ(wst, Status::Canceled);
  EXPECT_EQ(frees, 1);
  EXPECT_EQ(read_all_now(*s), "ab");
  ASSERT_EQ(s->write_ref(kRef, 3, count, &frees, Wait{0, nullptr}), Status::Ok);
  EXPECT_EQ(frees, 1);  // the stream holds it
  EXPECT_EQ(read_all_now(*s), "ref");
  EXPECT_EQ(frees, 2);
}

}  // namespace
}  // namespace chunkbuf::test
