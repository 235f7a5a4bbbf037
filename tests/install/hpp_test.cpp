// Unit tests of chunkbuf.hpp, the header-only C++17 layer (compiled as
// C++17 against the shared library): RAII and reference counting, byte
// access, errors as exceptions and as std::error_code, line and segment
// iteration.
#include <chunkbuf.hpp>

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <type_traits>
#include <vector>

static_assert(__cplusplus >= 201703L && __cplusplus < 202002L, "this test checks the header as C++17");
static_assert(!std::is_copy_constructible_v<chunkbuf::buffer> && std::is_nothrow_move_constructible_v<chunkbuf::buffer>);
static_assert(!std::is_copy_constructible_v<chunkbuf::stream> && std::is_nothrow_move_constructible_v<chunkbuf::stream>);
static_assert(!std::is_copy_constructible_v<chunkbuf::pool> && std::is_nothrow_move_constructible_v<chunkbuf::pool>);
static_assert(std::is_copy_constructible_v<chunkbuf::view> && std::is_nothrow_move_constructible_v<chunkbuf::view>);

namespace {

TEST(Hpp, BufferLinesAreZeroCopyViews) {
  chunkbuf::buffer buf;
  buf.append("GET / HTTP/1.1\r\nHo");
  buf.append("st: x\r\n\r\nrest");
  std::vector<std::string> lines;
  for (const chunkbuf::view &line : buf.lines(CHUNKBUF_EOL_CRLF)) lines.push_back(line.str());
  EXPECT_EQ(lines, (std::vector<std::string>{"GET / HTTP/1.1", "Host: x", ""}));
  EXPECT_EQ(buf.size(), 4u);  // the incomplete rest stays
  EXPECT_EQ(buf.str(), "rest");
  EXPECT_FALSE(buf.take_line().has_value());
}

TEST(Hpp, ViewCopiesRetainAndOutliveTheBuffer) {
  chunkbuf::view copy;
  {
    chunkbuf::buffer buf;
    buf.append("hello world");
    chunkbuf::view v = buf.split_to(5);
    copy = v;  // retains: the C view is shared, not copied
    EXPECT_EQ(copy.get(), v.get());
    chunkbuf::view moved = std::move(v);
    EXPECT_EQ(v.get(), nullptr);
    EXPECT_EQ(moved.get(), copy.get());
    EXPECT_EQ(buf.str(), " world");
  }
  EXPECT_EQ(copy, "hello");
  EXPECT_EQ(copy.data(), "hello");
  EXPECT_EQ(copy.slice(1, 3), "el");
  EXPECT_EQ(copy.find("llo"), std::optional<std::size_t>(2));
  EXPECT_EQ(copy.find("xyz"), std::nullopt);
}

TEST(Hpp, SegmentsCoverEveryByteInOrder) {
  chunkbuf::buffer buf;
  std::string expected;
  for (int i = 0; i < 3; ++i) {
    chunkbuf::view piece = chunkbuf::view::from_bytes(std::string(5000, static_cast<char>('a' + i)));
    buf.append(piece);  // zero copy: one segment per piece
    expected += piece.str();
  }
  chunkbuf::view all = buf.split_to(buf.size());
  ASSERT_GE(all.segment_count(), 3u);
  std::string joined;
  std::size_t n = 0;
  for (std::string_view seg : all.segments()) {
    joined += seg;
    ++n;
  }
  EXPECT_EQ(n, all.segment_count());
  EXPECT_EQ(joined, expected);
  EXPECT_THROW(all.data(), chunkbuf::error);  // several segments
  EXPECT_EQ(all.contiguous().data(), expected);
  EXPECT_TRUE(all == chunkbuf::view::from_bytes(expected));
}

TEST(Hpp, ErrorsThrowWithCodeAndMessage) {
  chunkbuf_buffer_options opts = CHUNKBUF_BUFFER_OPTIONS_INIT;
  opts.max_bytes = 4;
  chunkbuf::buffer buf(opts);
  buf.append("abcd");
  try {
    buf.append("e");
    FAIL() << "no exception past max_bytes";
  } catch (const chunkbuf::error &e) {
    EXPECT_EQ(e.value(), chunkbuf::errc::limit);
    EXPECT_EQ(e.code(), chunkbuf::errc::limit);
    EXPECT_EQ(&e.code().category(), &chunkbuf::category());
    EXPECT_STRNE(e.what(), "");
  }
  EXPECT_EQ(buf.str(), "abcd");  // nothing appended
  EXPECT_THROW(buf.advance(5), std::system_error);
}

TEST(Hpp, ErrorCodePathDoesNotThrow) {
  chunkbuf_buffer_options opts = CHUNKBUF_BUFFER_OPTIONS_INIT;
  opts.max_bytes = 2;
  chunkbuf::buffer buf(opts);
  std::error_code ec;
  buf.append("abc", ec);
  EXPECT_EQ(ec, chunkbuf::errc::limit);
  buf.append("a\n", ec);
  EXPECT_FALSE(ec);
  auto line = buf.take_line(CHUNKBUF_EOL_LF, 0, ec);
  ASSERT_TRUE(line.has_value());
  EXPECT_FALSE(ec);
  EXPECT_EQ(*line, "a");
  buf.append("xy", ec);
  line = buf.take_line(CHUNKBUF_EOL_LF, 1, ec);  // longer than max_len
  EXPECT_FALSE(line.has_value());
  EXPECT_EQ(ec, chunkbuf::errc::limit);
  EXPECT_EQ(buf.str(), "xy");
  // a portable condition where one exists
  EXPECT_EQ(std::error_code(chunkbuf::errc::timed_out), std::errc::timed_out);
  EXPECT_EQ(chunkbuf::make_error_code(chunkbuf::errc::timed_out).message(),
            chunkbuf_strerror(CHUNKBUF_ETIMEDOUT));
}

TEST(Hpp, StreamLinesFromAWriterThread) {
  chunkbuf::stream s;
  std::thread writer([&s] {
    for (int i = 0; i < 100; ++i) s.write("line " + std::to_string(i) + "\n");
    s.close();
  });
  std::vector<std::string> got;
  for (const chunkbuf::view &line : s.lines()) got.push_back(line.str());
  writer.join();
  ASSERT_EQ(got.size(), 100u);
  EXPECT_EQ(got.front(), "line 0\n");
  EXPECT_EQ(got.back(), "line 99\n");
  EXPECT_TRUE(s.at_eof());
}

TEST(Hpp, StreamTimeoutsAndAbort) {
  chunkbuf::stream s;
  char out[4];
  std::error_code ec;
  EXPECT_EQ(s.read(out, sizeof out, 0, ec), 0u);  // 0: do not wait
  EXPECT_EQ(ec, chunkbuf::errc::again);
  try {
    s.readline(0, std::chrono::milliseconds(1));  // nothing is written
    FAIL() << "readline did not time out";
  } catch (const chunkbuf::error &e) {
    EXPECT_EQ(e.value(), chunkbuf::errc::timed_out);
    EXPECT_EQ(e.code(), std::errc::timed_out);
  }
  s.write("ab");
  s.abort(7);
  try {
    s.read(out, sizeof out);
    FAIL() << "read after abort";
  } catch (const chunkbuf::error &e) {
    EXPECT_EQ(e.value(), chunkbuf::errc::aborted);
  }
  EXPECT_THROW(s.write("x"), chunkbuf::error);
}

TEST(Hpp, PoolStatsAndMoves) {
  chunkbuf::pool p;
  chunkbuf::view v = chunkbuf::view::from_bytes("pooled", &p);
  chunkbuf_pool_stats stats = p.stats();
  EXPECT_GT(stats.struct_size, 0u);
  chunkbuf::pool q = std::move(p);
  EXPECT_EQ(p.get(), nullptr);
  EXPECT_NE(q.get(), nullptr);
  EXPECT_EQ(chunkbuf::pool::default_pool().get(), chunkbuf_pool_default());
  EXPECT_EQ(v, "pooled");
  EXPECT_EQ(chunkbuf::version(), chunkbuf_version_string());
}

}  // namespace
