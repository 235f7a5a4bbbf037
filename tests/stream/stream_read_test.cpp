// Reader semantics of chunkbuf::Stream: ordering, partial reads, EOF as on a
// regular file, lines, find, seek.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <thread>
#include <vector>

#include "stream_util.h"

namespace chunkbuf::test {
namespace {

// Writes of 16 KiB and more copy outside the stream's lock while readers
// have other bytes to take (a claim of buffer space, then the bytes are
// added): with several writers, a reader and a high-water mark, every write
// still arrives whole, once, and in its writer's order.
TEST(StreamRead, LargeWritesFromSeveralThreadsArriveWhole) {
  constexpr int kWriters = 4, kPerWriter = 60;
  constexpr size_t kRecord = 24 << 10;
  StreamOptions o;
  o.high_water = 64 * kRecord;
  auto s = make_stream(o);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      std::string rec(kRecord, '\0');
      for (int i = 0; i < kPerWriter; ++i) {
        std::snprintf(rec.data(), kRecord, "%d %d ", w, i);
        for (size_t k = 16; k < kRecord; ++k) rec[k] = static_cast<char>('a' + (w * 7 + i + k) % 26);
        ASSERT_EQ(s->write(rec.data(), rec.size(), -1), Status::Ok);
      }
    });
  std::string all;
  std::thread reader([&] {
    std::vector<char> buf(kRecord + 4567);  // reads that cut records anywhere
    for (;;) {
      size_t n = 0;
      ASSERT_EQ(s->read(buf.data(), buf.size(), -1, &n), Status::Ok);
      if (n == 0) break;
      all.append(buf.data(), n);
    }
  });
  for (auto& t : writers) t.join();
  ASSERT_EQ(s->close(), Status::Ok);
  reader.join();
  ASSERT_EQ(all.size(), kWriters * kPerWriter * kRecord);
  int next[kWriters] = {};
  for (size_t off = 0; off < all.size(); off += kRecord) {
    int w = -1, i = -1;
    ASSERT_EQ(std::sscanf(all.data() + off, "%d %d ", &w, &i), 2) << "a record does not start at " << off;
    ASSERT_TRUE(w >= 0 && w < kWriters);
    ASSERT_EQ(i, next[w]++) << "writer " << w << " out of order";
    for (size_t k = 16; k < kRecord; ++k)
      ASSERT_EQ(all[off + k], static_cast<char>('a' + (w * 7 + i + k) % 26)) << "record " << w << "/" << i << " torn";
  }
}

TEST(StreamRead, OrderingWithMixedWritesAndReads) {
  const std::string data = pattern(2 << 20);
  auto s = make_stream();
  std::thread writer([&] {
    std::mt19937 rng(7);
    size_t off = 0;
    for (int i = 0; off < data.size(); ++i) {
      size_t n = std::min<size_t>(rng() % 5000 + 1, data.size() - off);
      const char* p = data.data() + off;
      if (i % 3 == 0) {
        ASSERT_EQ(s->write(p, n, -1), Status::Ok);
      } else if (i % 3 == 1) {
        ASSERT_EQ(s->write_ref(p, n, nullptr, nullptr, -1), Status::Ok);  // data outlives the stream's use
      } else {
        ViewRep* v = nullptr;
        ASSERT_EQ(view_from_bytes(Pool::default_pool(), p, n, &v), Status::Ok);
        ASSERT_EQ(s->write_view(v, -1), Status::Ok);
        view_release(v);
      }
      off += n;
    }
    ASSERT_EQ(s->close(), Status::Ok);
  });
  std::mt19937 rng(11);
  std::string got;
  std::vector<char> tmp(8000);
  for (int i = 0;; ++i) {
    size_t n = rng() % tmp.size() + 1, k = 0;
    if (i % 3 == 0) {
      ASSERT_EQ(s->read(tmp.data(), n, -1, &k), Status::Ok);
    } else if (i % 3 == 1) {
      ASSERT_EQ(s->read1(tmp.data(), n, -1, &k), Status::Ok);
    } else {
      ViewRep* v = nullptr;
      ASSERT_EQ(s->read_view(n, -1, &v), Status::Ok);
      k = v->len;
      view_copy_out(v, 0, tmp.data(), k);
      view_release(v);
    }
    if (k == 0) break;
    got.append(tmp.data(), k);
    ASSERT_EQ(s->tell(), got.size());
  }
  writer.join();
  EXPECT_EQ(got.size(), data.size());
  EXPECT_TRUE(got == data);
  EXPECT_TRUE(s->at_eof());
}

TEST(StreamRead, PartialReads) {
  auto s = make_stream();
  char buf[16];
  size_t k = 99;
  EXPECT_EQ(s->read_nonblock(buf, sizeof buf, &k), Status::Again);
  EXPECT_EQ(s->read1(buf, sizeof buf, 0, &k), Status::Again);
  ASSERT_EQ(s->write("hello", 5, -1), Status::Ok);
  EXPECT_EQ(s->read(buf, 6, 0, &k), Status::Again);  // short: nothing consumed
  EXPECT_EQ(s->readable_amount(), 5u);
  ASSERT_EQ(s->read1(buf, sizeof buf, -1, &k), Status::Ok);
  EXPECT_EQ(std::string(buf, k), "hello");
  ASSERT_EQ(s->write("xyz", 3, -1), Status::Ok);
  ASSERT_EQ(s->read_nonblock(buf, 2, &k), Status::Ok);
  EXPECT_EQ(std::string(buf, k), "xy");

  // read(n) waits for all n bytes.
  std::thread reader([&] {
    char r[4];
    size_t got = 0;
    EXPECT_EQ(s->read(r, 4, -1, &got), Status::Ok);
    EXPECT_EQ(std::string(r, got), "zabc");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(s->write("ab", 2, -1), Status::Ok);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(s->write("cd", 2, -1), Status::Ok);
  reader.join();
  EXPECT_EQ(s->readable_amount(), 1u);
  EXPECT_EQ(s->read(buf, 0, 0, &k), Status::Ok);  // like read(2) with count 0
  EXPECT_EQ(k, 0u);
}

// Reads the stream and a regular file holding the same bytes with the same
// sizes; every call must return the same count and bytes, EOF included.
TEST(StreamRead, EofBehavesLikeARegularFile) {
  const std::string data = pattern(20000, 3);
  char path[] = "/tmp/chunkbuf_stream_XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::unlink(path);
  ASSERT_EQ(::write(fd, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  const std::vector<size_t> sizes = {0, 1, 7, 4096, 3000, 0, 5000, 1, 6000, 2000, 10000, 0, 1, 64, 0};
  for (int mode = 0; mode < 3; ++mode) {
    ASSERT_EQ(::lseek(fd, 0, SEEK_SET), 0);
    auto s = make_stream();
    std::thread writer([&] {  // the bytes trickle in while the reader reads
      std::mt19937 rng(mode);
      for (size_t off = 0; off < data.size();) {
        size_t n = std::min<size_t>(rng() % 3000 + 1, data.size() - off);
        ASSERT_EQ(s->write(data.data() + off, n, -1), Status::Ok);
        off += n;
        std::this_thread::yield();
      }
      ASSERT_EQ(s->close(), Status::Ok);
    });
    if (mode == 2) writer.join();  // read_nonblock returns what is there: wait for all of it
    for (size_t n : sizes) {
      std::vector<char> a(n + 1), b(n + 1);
      ssize_t fr = ::read(fd, a.data(), n);
      size_t sr = 0;
      if (mode == 0) {
        ASSERT_EQ(s->read(b.data(), n, -1, &sr), Status::Ok);
      } else if (mode == 1) {
        ViewRep* v = nullptr;
        ASSERT_EQ(s->read_view(n, -1, &v), Status::Ok);
        sr = view_copy_out(v, 0, b.data(), v->len);
        view_release(v);
      } else {
        ASSERT_EQ(s->read_nonblock(b.data(), n, &sr), Status::Ok);
      }
      ASSERT_EQ(static_cast<ssize_t>(sr), fr) << "mode " << mode << " size " << n;
      ASSERT_EQ(0, std::memcmp(a.data(), b.data(), sr));
    }
    if (mode != 2) writer.join();
    EXPECT_TRUE(s->at_eof());
  }
  ::close(fd);
}

// Every split of the text into two writes, and one write per byte: the
// lines come out the same, the last one without "\n", then EOF for good.
TEST(StreamRead, ReadlineAcrossChunkBoundaries) {
  const std::string text = "alpha\nbeta\n\ngamma, a longer line\nlast";
  const std::vector<std::string> want = {"alpha\n", "beta\n", "\n", "gamma, a longer line\n", "last"};
  auto check = [&](const std::vector<std::string>& pieces) {
    auto s = make_stream();
    std::thread writer([&] {
      for (const std::string& p : pieces) ASSERT_EQ(s->write_ref(p.data(), p.size(), nullptr, nullptr, -1), Status::Ok);
      ASSERT_EQ(s->close(), Status::Ok);
    });
    for (const std::string& w : want) {
      ViewRep* v = nullptr;
      ASSERT_EQ(s->readline(0, -1, &v), Status::Ok);
      ASSERT_EQ(drain(v), w);
    }
    writer.join();
    for (int i = 0; i < 2; ++i) {
      ViewRep* v = nullptr;
      ASSERT_EQ(s->readline(0, -1, &v), Status::Ok);
      EXPECT_EQ(v->len, 0u);
      view_release(v);
    }
  };
  for (size_t cut = 1; cut < text.size(); ++cut) check({text.substr(0, cut), text.substr(cut)});
  std::vector<std::string> bytes;
  for (char c : text) bytes.emplace_back(1, c);
  check(bytes);
}

TEST(StreamRead, ReadlineMaxSplitsLongLines) {
  auto s = make_stream();
  ASSERT_EQ(s->write("abcdefg\nhi", 10, -1), Status::Ok);
  ViewRep* v = nullptr;
  ASSERT_EQ(s->readline(3, -1, &v), Status::Ok);
  EXPECT_EQ(drain(v), "abc");
  ASSERT_EQ(s->readline(5, -1, &v), Status::Ok);
  EXPECT_EQ(drain(v), "defg\n");
  EXPECT_EQ(s->readline(5, 0, &v), Status::Again);  // "hi": neither a line nor 5 bytes
  ASSERT_EQ(s->readline(2, 0, &v), Status::Ok);
  EXPECT_EQ(drain(v), "hi");
}

TEST(StreamRead, ReadlinesBatch) {
  auto s = make_stream();
  Record recs[3];
  size_t n = 9;
  ViewRep* v = nullptr;
  EXPECT_EQ(s->readlines(recs, 0, 0, &n, &v), Status::Inval);
  ASSERT_EQ(s->write("one\ntwo\nthree\nfour\nfi", 21, -1), Status::Ok);
  ASSERT_EQ(s->readlines(recs, 3, -1, &n, &v), Status::Ok);
  ASSERT_EQ(n, 3u);
  EXPECT_EQ(drain(v), "one\ntwo\nthree\n");
  EXPECT_EQ(recs[1].offset, 4u);
  EXPECT_EQ(recs[1].length, 3u);
  EXPECT_EQ(recs[2].delim_length, 1u);
  ASSERT_EQ(s->readlines(recs, 3, -1, &n, &v), Status::Ok);
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(drain(v), "four\n");
  EXPECT_EQ(s->readlines(recs, 3, 0, &n, &v), Status::Again);  // "fi" is not a line yet
  ASSERT_EQ(s->write("ve\nsix", 6, -1), Status::Ok);
  ASSERT_EQ(s->close(), Status::Ok);
  ASSERT_EQ(s->readlines(recs, 3, -1, &n, &v), Status::Ok);
  ASSERT_EQ(n, 2u);
  EXPECT_EQ(recs[1].offset, 5u);
  EXPECT_EQ(recs[1].length, 3u);
  EXPECT_EQ(recs[1].delim_length, 0u);  // the last line lacks "\n"
  EXPECT_EQ(drain(v), "five\nsix");
  ASSERT_EQ(s->readlines(recs, 3, -1, &n, &v), Status::Ok);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(v, nullptr);
}

// Batches of lines that straddle segments (each write its own segment),
// in both modes, up to the last line without "\n" at EOF: every record
// locates exactly its line in the batch's view.
TEST(StreamRead, ReadlinesLocatesLinesAcrossSegments) {
  for (bool retain : {false, true}) {
    StreamOptions o;
    o.retain = retain;
    auto s = make_stream(o);
    std::vector<std::string> want;
    std::string all;
    uint32_t x = 12345;
    for (int i = 0; i < 500; ++i) {
      x = x * 1103515245u + 12345u;
      std::string line(x % 150, static_cast<char>('a' + i % 26));
      want.push_back(line);
      all += line + (i < 499 ? "\n" : "");  // the last one lacks "\n"
    }
    std::vector<std::string> pieces;
    for (size_t off = 0; off < all.size();) {
      x = x * 1103515245u + 12345u;
      size_t k = std::min<size_t>(1 + x % 97, all.size() - off);
      pieces.push_back(all.substr(off, k));
      off += k;
    }
    for (const std::string& p : pieces) ASSERT_EQ(s->write_ref(p.data(), p.size(), nullptr, nullptr, -1), Status::Ok);
    ASSERT_EQ(s->close(), Status::Ok);
    std::vector<std::string> got;
    Record recs[7];
    for (;;) {
      size_t n = 0;
      ViewRep* v = nullptr;
      ASSERT_EQ(s->readlines(recs, 7, -1, &n, &v), Status::Ok);
      if (n == 0) break;
      const std::string bytes = drain(v);
      for (size_t i = 0; i < n; ++i) {
        ASSERT_LE(recs[i].offset + recs[i].length + recs[i].delim_length, bytes.size());
        got.push_back(bytes.substr(recs[i].offset, recs[i].length));
        EXPECT_EQ(recs[i].delim_length, got.size() < want.size() ? 1u : 0u);
      }
    }
    EXPECT_EQ(got, want) << "retain " << retain;
  }
}

TEST(StreamRead, FindLooksAtUnreadBytesOnly) {
  for (bool retain : {false, true}) {
    StreamOptions o;
    o.retain = retain;
    auto s = make_stream(o);
    for (const char* p : {"xx-ab", "c-abc", "-end"})
      ASSERT_EQ(s->write_ref(p, std::strlen(p), nullptr, nullptr, -1), Status::Ok);
    size_t pos = 0;
    ASSERT_EQ(s->find("abc", 3, 0, npos, &pos), Status::Ok);
    EXPECT_EQ(pos, 3u);  // across the first segment boundary
    char buf[4];
    size_t k = 0;
    ASSERT_EQ(s->read(buf, 4, -1, &k), Status::Ok);
    ASSERT_EQ(s->find("abc", 3, 0, npos, &pos), Status::Ok);
    EXPECT_EQ(pos, 3u);  // the second one, relative to the read position
    ASSERT_EQ(s->find("abc", 3, 0, 5, &pos), Status::Ok);
    EXPECT_EQ(pos, npos);
    EXPECT_EQ(s->find("x", 1, 0, npos, &pos), Status::Ok);
    EXPECT_EQ(pos, npos);
    EXPECT_EQ(s->find("", 0, 2, npos, &pos), Status::Ok);  // the empty needle is at start
    EXPECT_EQ(pos, 2u);
    EXPECT_EQ(s->find("a", 1, 11, npos, &pos), Status::Range);
  }
}

TEST(StreamRead, SeekRules) {
  auto streaming = make_stream();
  uint64_t pos = 0;
  EXPECT_EQ(streaming->seek(0, SEEK_SET, &pos), Status::State);

  StreamOptions o;
  o.retain = true;
  auto s = make_stream(o);
  EXPECT_EQ(s->seek(0, 99, &pos), Status::Inval);
  ASSERT_EQ(s->write("0123456789", 10, -1), Status::Ok);
  char buf[16];
  size_t k = 0;
  ASSERT_EQ(s->read(buf, 6, -1, &k), Status::Ok);
  EXPECT_EQ(s->tell(), 6u);
  EXPECT_EQ(s->seek(-2, SEEK_END, &pos), Status::State);  // no EOF yet
  EXPECT_EQ(s->seek(11, SEEK_SET, &pos), Status::Range);  // past the bytes written
  EXPECT_EQ(s->seek(-7, SEEK_CUR, &pos), Status::Range);  // before 0
  EXPECT_EQ(s->tell(), 6u);
  ASSERT_EQ(s->seek(-4, SEEK_CUR, &pos), Status::Ok);
  EXPECT_EQ(pos, 2u);
  ASSERT_EQ(s->read(buf, 3, -1, &k), Status::Ok);
  EXPECT_EQ(std::string(buf, k), "234");
  ASSERT_EQ(s->seek(10, SEEK_SET, nullptr), Status::Ok);  // exactly at the end
  EXPECT_EQ(s->readable_amount(), 0u);
  ASSERT_EQ(s->write("ab", 2, -1), Status::Ok);
  ASSERT_EQ(s->close(), Status::Ok);
  EXPECT_EQ(s->seek(1, SEEK_END, &pos), Status::Range);
  ASSERT_EQ(s->seek(-3, SEEK_END, &pos), Status::Ok);
  EXPECT_EQ(pos, 9u);
  ASSERT_EQ(s->read(buf, sizeof buf, -1, &k), Status::Ok);
  EXPECT_EQ(std::string(buf, k), "9ab");
  EXPECT_TRUE(s->at_eof());
  ASSERT_EQ(s->seek(0, SEEK_SET, &pos), Status::Ok);  // a request body read twice
  ViewRep* v = nullptr;
  ASSERT_EQ(s->read_view(npos, -1, &v), Status::Ok);
  EXPECT_EQ(drain(v), "0123456789ab");
  ASSERT_EQ(s->seek(-5, SEEK_END, nullptr), Status::Ok);
  ASSERT_EQ(s->readline(0, -1, &v), Status::Ok);
  EXPECT_EQ(drain(v), "789ab");
}

TEST(StreamRead, RetainedReadsStayLinearOverManySegments) {
  StreamOptions o;
  o.retain = true;
  auto s = make_stream(o);
  const std::string data = pattern(100 * 10000, 5);
  for (size_t off = 0; off < data.size(); off += 100)
    ASSERT_EQ(s->write_ref(data.data() + off, 100, nullptr, nullptr, -1), Status::Ok);  // 10000 segments
  ASSERT_EQ(s->close(), Status::Ok);
  for (int pass = 0; pass < 2; ++pass) {
    std::string got;
    char buf[37];
    size_t k = 0;
    while (s->read(buf, sizeof buf, -1, &k) == Status::Ok && k > 0) got.append(buf, k);
    EXPECT_TRUE(got == data);
    ASSERT_EQ(s->seek(0, SEEK_SET, nullptr), Status::Ok);
  }
}

}  // namespace
}  // namespace chunkbuf::test
