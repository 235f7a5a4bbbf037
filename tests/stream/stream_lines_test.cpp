// Stream line hand-outs (peek_lines / read_lines): the Buffer's end-of-line
// styles, contiguous lines whatever the block boundaries, consume line by
// line, limits, EOF, cancel, and concurrent readers.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "core/buffer.h"
#include "stream_util.h"

namespace chunkbuf::test {
namespace {

struct Got {
  std::vector<std::string> lines;
  std::vector<size_t> eols;
  size_t bytes = 0;  // handed out, ends of line included
};

// peek_lines once, checking each line against the view that holds it.
Got peek_all(Stream& s, Eol eol, size_t max_lines, Handout* h, ViewRep** hold, size_t max_len = 0) {
  std::vector<Line> ls(max_lines);
  size_t n = 0;
  Got g;
  EXPECT_EQ(s.peek_lines(eol, max_len, ls.data(), max_lines, Wait{0, nullptr}, &n, hold, h), Status::Ok);
  for (size_t i = 0; i < n; ++i) {
    g.lines.emplace_back(ls[i].data, ls[i].length);
    g.eols.push_back(ls[i].eol_length);
    g.bytes += ls[i].length + ls[i].eol_length;
  }
  return g;
}

// Writes `text` in pieces of `cut` bytes, each its own write (so a line can
// straddle blocks when writes go by reference: text must then outlive the
// stream's use of it).
void write_cut(Stream& s, const std::string& text, size_t cut, bool by_ref) {
  for (size_t off = 0; off < text.size(); off += cut) {
    size_t k = std::min(cut, text.size() - off);
    if (by_ref)
      ASSERT_EQ(s.write_ref(text.data() + off, k, nullptr, nullptr, -1), Status::Ok);
    else
      ASSERT_EQ(s.write(text.data() + off, k, -1), Status::Ok);
  }
}

TEST(StreamLines, EveryEndOfLineStyleMatchesTheBuffer) {
  static const char kText[] = "a\r\nb\nc\r\r\nd\0e\n\r\nf\r\n";  // holds a NUL: sized from the array
  const std::string bytes(kText, sizeof kText - 1);
  for (Eol eol : {Eol::Any, Eol::Crlf, Eol::CrlfStrict, Eol::Lf, Eol::Nul}) {
    auto s = make_stream();
    write_cut(*s, bytes, 3, true);
    Buffer b;
    ASSERT_EQ(b.append(bytes.data(), bytes.size()), Status::Ok);
    Handout h;
    ViewRep* hold = nullptr;
    Got g = peek_all(*s, eol, 64, &h, &hold);
    std::vector<std::string> want;
    for (;;) {
      ViewRep* v = nullptr;
      if (b.take_line(eol, 0, &v) != Status::Ok) break;
      want.push_back(drain(v));
    }
    EXPECT_EQ(g.lines, want) << "eol style " << static_cast<int>(eol);
    EXPECT_EQ(h.length, bytes.size() - b.size());
    EXPECT_EQ(hold->len, h.length);
    view_release(hold);
    EXPECT_EQ(s->readable_amount(), bytes.size());  // a peek consumes nothing
  }
}

// Reads every line of s with read_lines(eol) in batches of `batch`.
std::vector<std::string> read_all_lines(Stream& s, Eol eol, size_t batch, size_t max_len) {
  std::vector<std::string> got;
  std::vector<Line> ls(batch);
  for (;;) {
    size_t n = 0;
    ViewRep* v = nullptr;
    Status st = s.read_lines(eol, max_len, ls.data(), batch, Wait{0, nullptr}, &n, &v);
    if (st != Status::Ok) {
      got.push_back("<status " + std::to_string(static_cast<int>(st)) + ">");
      break;
    }
    for (size_t i = 0; i < n; ++i) got.emplace_back(ls[i].data, ls[i].length);
    view_release(v);
    if (n == 0) break;
  }
  return got;
}

TEST(StreamLines, OneByteEndsMatchTheGeneralScanAtEveryCut) {
  // LF lines of every length up to 40 (no CR), so the LF style (one memchr
  // per line) must hand out exactly what the CRLF style's general scan
  // does: at every block size, from a read position inside a block
  // (retained and streaming), with and without max_len, and at EOF with a
  // last line that has no end.
  std::string text;
  for (size_t i = 0; i < 120; ++i) text += pattern(i % 41, static_cast<uint32_t>(i)) + "\n";
  for (char& c : text)
    if (c == '\r') c = 'r';
  text += "tail without an end";
  for (size_t cut : {1, 2, 3, 7, 16, 40, 41, 42, 4096})
    for (bool retain : {false, true})
      for (size_t max_len : {0, 30}) {
        std::vector<std::string> got[2];
        int k = 0;
        for (Eol eol : {Eol::Lf, Eol::Crlf}) {
          StreamOptions o;
          o.retain = retain;
          auto s = make_stream(o);
          write_cut(*s, text, cut, true);
          ASSERT_EQ(s->close(), Status::Ok);
          char skip[5];
          size_t nread = 0;
          ASSERT_EQ(s->read(skip, sizeof skip, 0, &nread), Status::Ok);  // a read position inside a block
          got[k++] = read_all_lines(*s, eol, 7, max_len);
        }
        EXPECT_EQ(got[0], got[1]) << "cut " << cut << " retain " << retain << " max_len " << max_len;
        EXPECT_GT(got[0].size(), max_len ? 2u : 100u);
      }
}

TEST(StreamLines, LinesStraddlingBlocksAreCopiedOnlyThen) {
  // Written by reference in 5-byte pieces: every block is one piece (the
  // text outlives the stream).
  const std::string text = "ab\ncdefgh\nij\nklmnopqrstu\n";
  auto s = make_stream();
  write_cut(*s, text, 5, true);
  Handout h;
  ViewRep* hold = nullptr;
  std::vector<Line> ls(8);
  size_t n = 0;
  ASSERT_EQ(s->peek_lines(Eol::Lf, 0, ls.data(), 8, Wait{}, &n, &hold, &h), Status::Ok);
  ASSERT_EQ(n, 4u);
  EXPECT_EQ(std::string(ls[0].data, ls[0].length), "ab");
  EXPECT_EQ(std::string(ls[1].data, ls[1].length), "cdefgh");
  EXPECT_EQ(std::string(ls[2].data, ls[2].length), "ij");
  EXPECT_EQ(std::string(ls[3].data, ls[3].length), "klmnopqrstu");
  // "ab" lies in the first block: handed out in place, not copied.
  const Seg* first = hold->segs();
  EXPECT_EQ(ls[0].data, first[0].p);
  // The view holds the same bytes in the same order.
  std::string all(hold->len, '\0');
  view_copy_out(hold, 0, all.data(), all.size());
  EXPECT_EQ(all, "ab\ncdefgh\nij\nklmnopqrstu\n");
  view_release(hold);
}

TEST(StreamLines, ConsumeLineByLineAndStopEarly) {
  auto s = make_stream();
  write_cut(*s, "one\r\ntwo\r\nthree\r\npartial", 4, false);
  Handout h;
  ViewRep* hold = nullptr;
  Got g = peek_all(*s, Eol::Crlf, 8, &h, &hold);
  ASSERT_EQ(g.lines, (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(g.eols, (std::vector<size_t>{2, 2, 2}));
  ASSERT_EQ(s->consume(&h, 3 + 2), Status::Ok);  // hand out "one" only
  view_release(hold);
  hold = nullptr;
  g = peek_all(*s, Eol::Crlf, 8, &h, &hold);  // the rest is still there
  EXPECT_EQ(g.lines, (std::vector<std::string>{"two", "three"}));
  view_release(hold);
  // read_lines consumes what it hands out.
  std::vector<Line> ls(1);
  size_t n = 0;
  ViewRep* v = nullptr;
  ASSERT_EQ(s->read_lines(Eol::Crlf, 0, ls.data(), 1, Wait{}, &n, &v), Status::Ok);
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(std::string(ls[0].data, ls[0].length), "two");
  view_release(v);
  EXPECT_EQ(s->readable_amount(), std::string("three\r\npartial").size());
}

TEST(StreamLines, EofHandsOutTheLastLineWithoutAnEnd) {
  auto s = make_stream();
  write_cut(*s, "x\nlast", 2, false);
  ASSERT_EQ(s->close(), Status::Ok);
  std::vector<Line> ls(4);
  size_t n = 0;
  ViewRep* v = nullptr;
  ASSERT_EQ(s->read_lines(Eol::Lf, 0, ls.data(), 4, Wait{}, &n, &v), Status::Ok);
  ASSERT_EQ(n, 2u);
  EXPECT_EQ(std::string(ls[1].data, ls[1].length), "last");
  EXPECT_EQ(ls[1].eol_length, 0u);
  view_release(v);
  ASSERT_EQ(s->read_lines(Eol::Lf, 0, ls.data(), 4, Wait{}, &n, &v), Status::Ok);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(v->len, 0u);
  view_release(v);
}

TEST(StreamLines, LimitsWaitsAndBadArguments) {
  auto s = make_stream();
  std::vector<Line> ls(2);
  size_t n = 0;
  ViewRep* v = nullptr;
  Handout h;
  EXPECT_EQ(s->peek_lines(Eol::Lf, 0, ls.data(), 2, Wait{0, nullptr}, &n, &v, &h), Status::Again);
  EXPECT_EQ(s->peek_lines(Eol::Lf, 0, ls.data(), 0, Wait{}, &n, &v, &h), Status::Inval);
  EXPECT_EQ(s->peek_lines(static_cast<Eol>(9), 0, ls.data(), 2, Wait{}, &n, &v, &h), Status::Inval);
  ASSERT_EQ(s->write("0123456789", 10, -1), Status::Ok);
  EXPECT_EQ(s->read_lines(Eol::Lf, 4, ls.data(), 2, Wait{}, &n, &v), Status::Limit);  // no end within 4
  ASSERT_EQ(s->write("\nab\n", 4, -1), Status::Ok);
  EXPECT_EQ(s->read_lines(Eol::Lf, 4, ls.data(), 2, Wait{}, &n, &v), Status::Limit);
  EXPECT_EQ(s->readable_amount(), 14u);  // nothing consumed
  ASSERT_EQ(s->read_lines(Eol::Lf, 10, ls.data(), 2, Wait{}, &n, &v), Status::Ok);
  EXPECT_EQ(n, 2u);
  view_release(v);
  // A reader waits for the line to complete, a byte at a time.
  std::thread w([&] {
    for (char c : std::string("slow\r\n")) s->write(&c, 1, -1);
  });
  ASSERT_EQ(s->read_lines(Eol::CrlfStrict, 0, ls.data(), 2, Wait{}, &n, &v), Status::Ok);
  w.join();
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(std::string(ls[0].data, ls[0].length), "slow");
  EXPECT_EQ(ls[0].eol_length, 2u);
  view_release(v);
}

TEST(StreamLines, CancelWakesALineWait) {
  auto s = make_stream();
  ASSERT_EQ(s->write("no end yet", 10, -1), Status::Ok);
  Cancel c;
  Status st = Status::Ok;
  std::thread t([&] {
    std::vector<Line> ls(1);
    size_t n = 0;
    ViewRep* v = nullptr;
    Handout h;
    st = s->peek_lines(Eol::Any, 0, ls.data(), 1, Wait{-1, &c}, &n, &v, &h);
  });
  auto t0 = std::chrono::steady_clock::now();
  for (size_t r = 0; r == 0 && ms_since(t0) < 10000; std::this_thread::yield()) s->waiting(&r, nullptr);
  c.fire();
  t.join();
  EXPECT_EQ(st, Status::Canceled);
  EXPECT_EQ(s->readable_amount(), 10u);
}

// Each reader's lines (numbers) came whole and in order, and every line
// number 0..lines-1 went to exactly one reader.
void expect_each_line_once(const std::vector<std::vector<int>>& got, const std::vector<int>& bad, int lines) {
  std::vector<int> seen(lines, 0);
  for (size_t r = 0; r < got.size(); ++r) {
    EXPECT_EQ(bad[r], 0);
    for (size_t i = 1; i < got[r].size(); ++i) EXPECT_LT(got[r][i - 1], got[r][i]);
    for (int x : got[r]) ++seen[x];
  }
  for (int i = 0; i < lines; ++i) ASSERT_EQ(seen[i], 1) << i;
}

// Eight readers take lines with read_lines while a writer sends numbered
// lines in odd-sized pieces: each line arrives whole, exactly once.
TEST(StreamLines, EightReadersGetWholeLinesExactlyOnce) {
  auto s = make_stream();
  constexpr int kReaders = 8, kLines = 20000;
  std::vector<std::vector<int>> got(kReaders);
  std::vector<int> bad(kReaders, 0);
  std::vector<std::thread> ts;
  for (int r = 0; r < kReaders; ++r)
    ts.emplace_back([&, r] {
      std::vector<Line> ls(16);
      for (;;) {
        size_t n = 0;
        ViewRep* v = nullptr;
        if (s->read_lines(Eol::Lf, 0, ls.data(), 16, Wait{}, &n, &v) != Status::Ok) {
          ++bad[r];
          return;
        }
        for (size_t i = 0; i < n; ++i) {
          std::string line(ls[i].data, ls[i].length);
          if (line.size() < 2 || line[0] != 'L') ++bad[r];
          else got[r].push_back(std::stoi(line.substr(1)));
        }
        view_release(v);
        if (n == 0) return;  // EOF
      }
    });
  std::string text;
  for (int i = 0; i < kLines; ++i) text += "L" + std::to_string(i) + "\n";
  write_cut(*s, text, 7, false);
  ASSERT_EQ(s->close(), Status::Ok);
  for (auto& t : ts) t.join();
  expect_each_line_once(got, bad, kLines);
}

// read_line: one line at a time copied into the caller's memory.
struct ReadLine {
  Status st;
  std::string line;
  size_t eol = 0;
};
ReadLine read_one(Stream& s, Eol eol, size_t cap = 256, size_t max_len = 0, Wait w = Wait{0, nullptr}) {
  std::string dst(cap, '\xee');
  size_t len = 99, elen = 99;
  ReadLine r{s.read_line(eol, max_len, dst.data(), cap, w, &len, &elen), {}, 0};
  if (r.st == Status::Ok) {
    r.line.assign(dst.data(), len + elen);  // the line and its end of line
    r.eol = elen;
  }
  return r;
}

TEST(StreamLines, ReadLineMatchesPeekLinesInEveryStyle) {
  static const char kText[] = "a\r\nb\nc\r\r\nd\0e\n\r\nf\r\nlast";  // holds a NUL: sized from the array
  const std::string bytes(kText, sizeof kText - 1);
  for (Eol eol : {Eol::Any, Eol::Crlf, Eol::CrlfStrict, Eol::Lf, Eol::Nul}) {
    for (size_t cut : {1u, 3u, 64u}) {
      auto want = make_stream();
      write_cut(*want, bytes, cut, true);
      ASSERT_EQ(want->close(), Status::Ok);
      Handout h;
      ViewRep* hold = nullptr;
      Got g = peek_all(*want, eol, 64, &h, &hold);
      auto s = make_stream();
      write_cut(*s, bytes, cut, true);  // by reference: lines straddle blocks
      ASSERT_EQ(s->close(), Status::Ok);
      for (size_t i = 0; i < g.lines.size(); ++i) {
        ReadLine r = read_one(*s, eol);
        ASSERT_EQ(r.st, Status::Ok) << static_cast<int>(eol) << " cut " << cut << " line " << i;
        EXPECT_EQ(r.line.substr(0, r.line.size() - r.eol), g.lines[i]);
        EXPECT_EQ(r.eol, g.eols[i]);
      }
      view_release(hold);
      ReadLine end = read_one(*s, eol);
      EXPECT_EQ(end.st, Status::Ok);
      EXPECT_EQ(end.line, "");  // EOF: nothing left
      EXPECT_EQ(s->readable_amount(), 0u);
    }
  }
}

TEST(StreamLines, ReadLineRangeLimitAndWaits) {
  auto s = make_stream();
  EXPECT_EQ(read_one(*s, Eol::Lf).st, Status::Again);  // nothing yet, timeout 0
  ASSERT_EQ(s->write("hello\r\nworld\r\n", 14, -1), Status::Ok);
  char small[4] = {'x', 'x', 'x', 'x'};
  size_t len = 0, elen = 0;
  EXPECT_EQ(s->read_line(Eol::Crlf, 0, small, sizeof small, Wait{}, &len, &elen), Status::Range);
  EXPECT_EQ(len, 5u);  // what the retry needs: 5 + 2
  EXPECT_EQ(elen, 2u);
  EXPECT_EQ(std::string(small, sizeof small), "xxxx");  // dst is written only on success
  EXPECT_EQ(s->readable_amount(), 14u);  // nothing consumed
  EXPECT_EQ(read_one(*s, Eol::Crlf, 256, 4).st, Status::Limit);
  EXPECT_EQ(s->readable_amount(), 14u);
  EXPECT_EQ(read_one(*s, static_cast<Eol>(9)).st, Status::Inval);
  EXPECT_EQ(s->read_line(Eol::Crlf, 0, small, sizeof small, Wait{-2, nullptr}, &len, &elen), Status::Inval);
  ReadLine r = read_one(*s, Eol::Crlf, 7);  // exactly the room it needs
  ASSERT_EQ(r.st, Status::Ok);
  EXPECT_EQ(r.line, "hello\r\n");
  EXPECT_EQ(r.eol, 2u);
  // A reader waits for the line to complete, a byte at a time.
  ASSERT_EQ(read_one(*s, Eol::Crlf).line, "world\r\n");
  std::thread w([&] {
    for (char c : std::string("slow\r\n")) s->write(&c, 1, -1);
  });
  r = read_one(*s, Eol::CrlfStrict, 256, 0, Wait{});
  w.join();
  EXPECT_EQ(r.st, Status::Ok);
  EXPECT_EQ(r.line, "slow\r\n");
}

// At EOF the rest is the last line: longer than max_len it is Limit, never
// an EOF that leaves bytes unread (also when it is within the slack an
// end of line would need, here the CR of a CRLF).
TEST(StreamLines, LastLineLongerThanMaxLenIsLimitNotEof) {
  for (const char* rest : {"abcdef", "abcde\r"}) {
    auto s = make_stream();
    ASSERT_EQ(s->write(rest, 6, -1), Status::Ok);
    ASSERT_EQ(s->close(), Status::Ok);
    EXPECT_EQ(read_one(*s, Eol::Crlf, 256, 5).st, Status::Limit) << rest;
    std::vector<Line> ls(2);
    size_t n = 9;
    ViewRep* v = nullptr;
    EXPECT_EQ(s->read_lines(Eol::Crlf, 5, ls.data(), 2, Wait{}, &n, &v), Status::Limit) << rest;
    EXPECT_EQ(s->readable_amount(), 6u);
    ReadLine r = read_one(*s, Eol::Crlf, 256, 6);
    EXPECT_EQ(r.st, Status::Ok);
    EXPECT_EQ(r.line, rest);
    EXPECT_EQ(r.eol, 0u);
  }
}

// SIZE_MAX as max_len is no limit: adding an end of line's slack to it
// must not wrap round into a Limit for an unfinished line.
TEST(StreamLines, MaxLenOfSizeMaxIsNoLimit) {
  auto s = make_stream();
  ASSERT_EQ(s->write("partial\r", 8, -1), Status::Ok);
  EXPECT_EQ(read_one(*s, Eol::Crlf, 256, SIZE_MAX).st, Status::Again);
  std::vector<Line> ls(2);
  size_t n = 0;
  ViewRep* v = nullptr;
  EXPECT_EQ(s->read_lines(Eol::Crlf, SIZE_MAX, ls.data(), 2, Wait{0, nullptr}, &n, &v), Status::Again);
  ASSERT_EQ(s->write("\n", 1, -1), Status::Ok);
  ReadLine r = read_one(*s, Eol::Crlf, 256, SIZE_MAX);
  EXPECT_EQ(r.st, Status::Ok);
  EXPECT_EQ(r.line, "partial\r\n");
}

TEST(StreamLines, ReadLineCancelAndAbort) {
  auto s = make_stream();
  ASSERT_EQ(s->write("no end yet", 10, -1), Status::Ok);
  Cancel c;
  ReadLine r{Status::Ok, {}, 0};
  std::thread t([&] { r = read_one(*s, Eol::Lf, 256, 0, Wait{-1, &c}); });
  ASSERT_TRUE(eventually([&] { return readers_waiting(*s) == 1; }));
  c.fire();
  t.join();
  EXPECT_EQ(r.st, Status::Canceled);
  EXPECT_EQ(s->readable_amount(), 10u);
  s->abort(7);
  EXPECT_EQ(read_one(*s, Eol::Lf).st, Status::Aborted);
}

// A line in blocks adopted by reference: dropping it runs their free
// callbacks on the reader's thread, outside the stream's lock (the callback
// calls the stream), and the retained mode keeps the bytes for a seek.
TEST(StreamLines, ReadLineRunsFreeCallbacksOutsideTheLock) {
  auto s = make_stream();
  static const char a[] = "first li", b[] = "ne\nsecond\n";
  struct Ctx {
    Stream* s;
    int calls = 0;
  } ctx{s.get()};
  auto fn = [](void* p) {
    auto* c = static_cast<Ctx*>(p);
    (void)c->s->readable_amount();  // would deadlock under the lock
    ++c->calls;
  };
  ASSERT_EQ(s->write_ref(a, sizeof a - 1, fn, &ctx, -1), Status::Ok);
  ASSERT_EQ(s->write_ref(b, sizeof b - 1, fn, &ctx, -1), Status::Ok);
  ReadLine r = read_one(*s, Eol::Lf);
  EXPECT_EQ(r.line, "first line\n");
  EXPECT_EQ(ctx.calls, 1);  // the first piece is all read
  EXPECT_EQ(read_one(*s, Eol::Lf).line, "second\n");
  EXPECT_EQ(ctx.calls, 2);

  StreamOptions o;
  o.retain = true;
  auto kept = make_stream(o);
  ASSERT_EQ(kept->write("one\ntwo\n", 8, -1), Status::Ok);
  EXPECT_EQ(read_one(*kept, Eol::Lf).line, "one\n");
  EXPECT_EQ(kept->tell(), 4u);
  uint64_t pos = 0;
  ASSERT_EQ(kept->seek(0, SEEK_SET, &pos), Status::Ok);
  EXPECT_EQ(read_one(*kept, Eol::Lf).line, "one\n");
  EXPECT_EQ(read_one(*kept, Eol::Lf).line, "two\n");
}

// Eight readers take lines one read_line at a time while a writer sends
// numbered lines in odd-sized pieces: each line arrives whole, exactly once.
TEST(StreamLines, EightReadLineReadersGetWholeLinesExactlyOnce) {
  auto s = make_stream();
  constexpr int kReaders = 8, kLines = 20000;
  std::vector<std::vector<int>> got(kReaders);
  std::vector<int> bad(kReaders, 0);
  std::vector<std::thread> ts;
  for (int r = 0; r < kReaders; ++r)
    ts.emplace_back([&, r] {
      for (;;) {
        ReadLine l = read_one(*s, Eol::Lf, 64, 0, Wait{});
        if (l.st != Status::Ok) {
          ++bad[r];
          return;
        }
        if (l.line.empty()) return;  // EOF
        if (l.line.size() < 3 || l.line[0] != 'L' || l.line.back() != '\n') ++bad[r];
        else got[r].push_back(std::stoi(l.line.substr(1)));
      }
    });
  std::string text;
  for (int i = 0; i < kLines; ++i) text += "L" + std::to_string(i) + "\n";
  write_cut(*s, text, 7, false);
  ASSERT_EQ(s->close(), Status::Ok);
  for (auto& t : ts) t.join();
  expect_each_line_once(got, bad, kLines);
}

}  // namespace
}  // namespace chunkbuf::test
