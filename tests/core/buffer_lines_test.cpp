// take_line hands out one contiguous segment even when the line straddles
// blocks (copied once, only then), and the scanner's batch calls keep one
// cursor: the same answers as take_line over every segmentation.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/buffer.h"

namespace chunkbuf {
namespace {

std::string bytes_of(ViewRep* v) {
  std::string s(v->len, '\0');
  view_copy_out(v, 0, s.data(), s.size());
  return s;
}

TEST(BufferLines, AStraddlingLineComesOutContiguous) {
  Buffer b;
  const char* parts[] = {"ab", "cd\nef", "gh", "ij\r", "\nk\n"};
  for (const char* p : parts) ASSERT_EQ(b.append_ref(p, std::strlen(p), nullptr, nullptr), Status::Ok);
  ASSERT_GE(b.segment_count(), 5u);
  ViewRep* v = nullptr;
  ASSERT_EQ(b.take_line(Eol::Crlf, 0, &v), Status::Ok);
  EXPECT_EQ(bytes_of(v), "abcd");
  EXPECT_EQ(v->nseg, 1u);  // copied once: pointer + length works
  view_release(v);
  ASSERT_EQ(b.take_line(Eol::Crlf, 0, &v), Status::Ok);
  EXPECT_EQ(bytes_of(v), "efghij");  // CR in one block, LF in the next
  EXPECT_EQ(v->nseg, 1u);
  view_release(v);
  ASSERT_EQ(b.take_line(Eol::Crlf, 0, &v), Status::Ok);
  EXPECT_EQ(bytes_of(v), "k");
  EXPECT_EQ(v->segs()[0].p, parts[4] + 1);  // a line inside one block is not copied
  view_release(v);
  EXPECT_EQ(b.size(), 0u);
}

TEST(BufferLines, BatchesAndPeeksAgreeWithTakeLineOverEverySegmentation) {
  static const char kText[] = "x\r\ny\n\nzz\r\r\nw\0v\r\nlast";  // holds a NUL: sized from the array
  const std::string data(kText, sizeof kText - 1);
  for (Eol eol : {Eol::Any, Eol::Crlf, Eol::CrlfStrict, Eol::Lf, Eol::Nul})
    for (size_t cut = 1; cut <= data.size(); ++cut) {
      Buffer one, many, peek;
      for (size_t off = 0; off < data.size(); off += cut) {
        size_t k = std::min(cut, data.size() - off);
        ASSERT_EQ(one.append_ref(data.data() + off, k, nullptr, nullptr), Status::Ok);
        ASSERT_EQ(many.append_ref(data.data() + off, k, nullptr, nullptr), Status::Ok);
        ASSERT_EQ(peek.append_ref(data.data() + off, k, nullptr, nullptr), Status::Ok);
      }
      std::vector<std::string> want;
      for (ViewRep* v = nullptr; one.take_line(eol, 0, &v) == Status::Ok;) {
        want.push_back(bytes_of(v));
        view_release(v);
      }
      Record recs[32];
      size_t n = 0;
      ASSERT_EQ(peek.peek_lines(eol, 0, recs, 32, &n), Status::Ok);
      ASSERT_EQ(n, want.size()) << "eol " << static_cast<int>(eol) << " cut " << cut;
      ViewRep* v = nullptr;
      ASSERT_EQ(many.take_lines(eol, 0, recs, 32, &n, &v), Status::Ok);
      ASSERT_EQ(n, want.size());
      std::string all = n ? bytes_of(v) : "";
      for (size_t i = 0; i < n; ++i) EXPECT_EQ(all.substr(recs[i].offset, recs[i].length), want[i]);
      if (v) view_release(v);
      EXPECT_EQ(many.size(), one.size());
    }
}

// peek_lines for one-byte ends has its own memchr loop: it answers as the
// general record scan does (peek_records with that byte), limits included,
// over every segmentation, max_len and batch size.
TEST(BufferLines, OneByteLinePeekAgreesWithTheRecordScan) {
  static const char kText[] = "ab\n\ncdefgh\nij\0kl\nmnopqrstu\nv";
  const std::string data(kText, sizeof kText - 1);
  for (char end : {'\n', '\0'})
    for (size_t cut = 1; cut <= data.size(); ++cut)
      for (size_t max_len : {0, 1, 2, 3, 6, 9, 40})
        for (size_t max_recs : {0, 1, 2, 3, 32}) {
          Buffer b;
          for (size_t off = 0; off < data.size(); off += cut)
            ASSERT_EQ(b.append_ref(data.data() + off, std::min(cut, data.size() - off), nullptr, nullptr),
                      Status::Ok);
          Record got[32], want[32];
          size_t n_got = 99, n_want = 99;
          Status st_got = b.peek_lines(end == '\n' ? Eol::Lf : Eol::Nul, max_len, got, max_recs, &n_got);
          Status st_want = b.peek_records(&end, 1, max_len, want, max_recs, &n_want);
          ASSERT_EQ(st_got, st_want) << "cut " << cut << " max_len " << max_len << " max_recs " << max_recs;
          if (st_got != Status::Ok) continue;
          ASSERT_EQ(n_got, n_want) << "cut " << cut << " max_len " << max_len << " max_recs " << max_recs;
          for (size_t i = 0; i < n_got; ++i) {
            EXPECT_EQ(got[i].offset, want[i].offset);
            EXPECT_EQ(got[i].length, want[i].length);
            EXPECT_EQ(got[i].delim_length, want[i].delim_length);
          }
        }
}

TEST(BufferLines, TakeRecordsKeepsOneCursorAcrossManySegments) {
  Buffer b;
  std::string data;
  for (int i = 0; i < 2000; ++i) data += "r" + std::to_string(i) + "<>";
  for (size_t off = 0; off < data.size(); off += 3)
    ASSERT_EQ(b.append_ref(data.data() + off, std::min<size_t>(3, data.size() - off), nullptr, nullptr),
              Status::Ok);
  std::vector<Record> recs(4000);
  size_t n = 0;
  ViewRep* v = nullptr;
  ASSERT_EQ(b.take_records("<>", 2, 0, recs.data(), recs.size(), &n, &v), Status::Ok);
  ASSERT_EQ(n, 2000u);
  std::string all = bytes_of(v);
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(all.substr(recs[i].offset, recs[i].length), "r" + std::to_string(i));
  view_release(v);
}

// read_line copies exactly the line take_line would hand out and consumes
// the same bytes, over every segmentation and end-of-line style.
TEST(BufferLines, ReadLineAgreesWithTakeLineOverEverySegmentation) {
  static const char kText[] = "x\r\ny\n\nzz\r\r\nw\0v\r\nlast";  // holds a NUL: sized from the array
  const std::string data(kText, sizeof kText - 1);
  for (Eol eol : {Eol::Any, Eol::Crlf, Eol::CrlfStrict, Eol::Lf, Eol::Nul})
    for (size_t cut = 1; cut <= data.size(); ++cut) {
      Buffer taken, read;
      for (size_t off = 0; off < data.size(); off += cut) {
        size_t k = std::min(cut, data.size() - off);
        ASSERT_EQ(taken.append_ref(data.data() + off, k, nullptr, nullptr), Status::Ok);
        ASSERT_EQ(read.append_ref(data.data() + off, k, nullptr, nullptr), Status::Ok);
      }
      for (;;) {
        ViewRep* v = nullptr;
        Status want = taken.take_line(eol, 0, &v);
        char line[32];
        size_t len = 0;
        ASSERT_EQ(read.read_line(eol, 0, line, sizeof line, &len), want)
            << "eol " << static_cast<int>(eol) << " cut " << cut;
        if (want != Status::Ok) break;
        EXPECT_EQ(std::string(line, len), bytes_of(v));
        view_release(v);
        ASSERT_EQ(read.size(), taken.size());
      }
      EXPECT_EQ(read.size(), taken.size());
    }
}

TEST(BufferLines, ReadLineFailsWithoutConsumingOrWriting) {
  Buffer b;
  ASSERT_EQ(b.append("hello\r\nrest", 11), Status::Ok);
  char line[8] = "zzzzzzz";
  size_t len = 0;
  EXPECT_EQ(b.read_line(Eol::Crlf, 0, line, 4, &len), Status::Range);
  EXPECT_EQ(len, 5u);  // the room the line needs
  EXPECT_EQ(b.read_line(Eol::Crlf, 4, line, sizeof line, &len), Status::Limit);
  EXPECT_EQ(std::string(line), "zzzzzzz");
  EXPECT_EQ(b.size(), 11u);
  ASSERT_EQ(b.read_line(Eol::Crlf, 5, line, 5, &len), Status::Ok);  // exactly fits
  EXPECT_EQ(std::string(line, len), "hello");
  EXPECT_EQ(b.read_line(Eol::Crlf, 0, line, sizeof line, &len), Status::NeedMore);
  EXPECT_EQ(b.size(), 4u);
  struct iovec iov[2];
  size_t n_iov = 0;
  ASSERT_EQ(b.append("\n", 1), Status::Ok);
  ASSERT_EQ(b.reserve(16, iov, 2, &n_iov), Status::Ok);
  EXPECT_EQ(b.read_line(Eol::Lf, 0, line, sizeof line, &len), Status::State);
  ASSERT_EQ(b.commit(0), Status::Ok);
  ASSERT_EQ(b.read_line(Eol::Lf, 0, line, sizeof line, &len), Status::Ok);
  EXPECT_EQ(std::string(line, len), "rest");
  EXPECT_EQ(b.size(), 0u);
}

TEST(BufferLines, ReadLineReleasesTheBlocksItConsumes) {
  Buffer b;
  int freed = 0;
  auto count = [](void* p) { ++*static_cast<int*>(p); };
  ASSERT_EQ(b.append_ref("one\n", 4, count, &freed), Status::Ok);
  ASSERT_EQ(b.append_ref("tw", 2, count, &freed), Status::Ok);
  ASSERT_EQ(b.append_ref("o\nx", 3, count, &freed), Status::Ok);
  char line[8];
  size_t len = 0;
  ASSERT_EQ(b.read_line(Eol::Lf, 0, line, sizeof line, &len), Status::Ok);
  EXPECT_EQ(std::string(line, len), "one");
  EXPECT_EQ(freed, 1);
  ASSERT_EQ(b.read_line(Eol::Lf, 0, line, sizeof line, &len), Status::Ok);  // straddles two blocks
  EXPECT_EQ(std::string(line, len), "two");
  EXPECT_EQ(freed, 2);
  EXPECT_EQ(b.size(), 1u);
}

TEST(BufferLines, ReadLineOnTheLinearBackend) {
  Buffer b;
  BufferOptions o;
  o.linear = true;
  ASSERT_EQ(b.init(o), Status::Ok);
  ASSERT_EQ(b.append("a\nbb\n\nc", 7), Status::Ok);
  char line[4];
  size_t len = 0;
  const char* want[] = {"a", "bb", ""};
  for (const char* w : want) {
    ASSERT_EQ(b.read_line(Eol::Lf, 0, line, sizeof line, &len), Status::Ok);
    EXPECT_EQ(std::string(line, len), w);
  }
  EXPECT_EQ(b.read_line(Eol::Lf, 0, line, sizeof line, &len), Status::NeedMore);
  EXPECT_EQ(b.size(), 1u);
}

// read_lines hands out the lines take_line would, each contiguous: a line
// inside one segment points into that segment (no copy), only a line that
// straddles segments is copied; the view holds the same bytes take_lines'
// would, and the same bytes are consumed.
TEST(BufferLines, ReadLinesAgreeWithTakeLineOverEverySegmentation) {
  static const char kText[] = "x\r\ny\n\nzz\r\r\nw\0v\r\nlast";  // holds a NUL: sized from the array
  const std::string data(kText, sizeof kText - 1);
  for (Eol eol : {Eol::Any, Eol::Crlf, Eol::CrlfStrict, Eol::Lf, Eol::Nul})
    for (size_t cut = 1; cut <= data.size(); ++cut) {
      Buffer one, batch, read;
      for (size_t off = 0; off < data.size(); off += cut) {
        size_t k = std::min(cut, data.size() - off);
        ASSERT_EQ(one.append_ref(data.data() + off, k, nullptr, nullptr), Status::Ok);
        ASSERT_EQ(batch.append_ref(data.data() + off, k, nullptr, nullptr), Status::Ok);
        ASSERT_EQ(read.append_ref(data.data() + off, k, nullptr, nullptr), Status::Ok);
      }
      std::vector<std::string> want;
      for (ViewRep* v = nullptr; one.take_line(eol, 0, &v) == Status::Ok;) {
        want.push_back(bytes_of(v));
        view_release(v);
      }
      Record recs[32];
      size_t nrec = 0;
      ViewRep* tv = nullptr;
      ASSERT_EQ(batch.take_lines(eol, 0, recs, 32, &nrec, &tv), Status::Ok);
      Line lines[32];
      size_t n = 0;
      ViewRep* v = nullptr;
      ASSERT_EQ(read.read_lines(eol, 0, lines, 32, &n, &v), Status::Ok);
      ASSERT_EQ(n, want.size()) << "eol " << static_cast<int>(eol) << " cut " << cut;
      for (size_t i = 0, off = 0; i < n; off += lines[i].length + lines[i].eol_length, ++i) {
        EXPECT_EQ(std::string(lines[i].data, lines[i].length), want[i]);
        EXPECT_EQ(lines[i].eol_length, recs[i].delim_length);
        EXPECT_EQ(off, recs[i].offset);
        bool in_one_piece = lines[i].length == 0 || off / cut == (off + lines[i].length - 1) / cut;
        EXPECT_EQ(lines[i].data == data.data() + off, in_one_piece) << "line " << i << " cut " << cut;
      }
      EXPECT_EQ(n ? bytes_of(v) : "", nrec ? bytes_of(tv) : "");
      if (v) view_release(v);
      if (tv) view_release(tv);
      EXPECT_EQ(read.size(), one.size());
    }
}

// Thousands of lines over thousands of segments, most straddling two: the
// copies and the shared pieces between them are found walking forward
// once (a walk from the first segment per straddler was quadratic).
TEST(BufferLines, ReadLinesWithManyStraddlersOverManySegments) {
  const size_t count = 5000;
  std::string data;
  Buffer b;
  for (size_t i = 0; i < count; ++i) data += i % 3 ? "a" + std::to_string(i) + "b\n" : std::to_string(i) + "\n";
  for (size_t i = 0, off = 0; i < count; ++i) {
    const size_t len = data.find('\n', off) + 1 - off;
    const size_t cut = i % 3 ? 1 : len;  // "a" | "<i>b\n": the line straddles two segments
    ASSERT_EQ(b.append_ref(data.data() + off, cut, nullptr, nullptr), Status::Ok);
    if (cut < len) {
      ASSERT_EQ(b.append_ref(data.data() + off + cut, len - cut, nullptr, nullptr), Status::Ok);
    }
    off += len;
  }
  std::vector<Line> lines(count);
  size_t n = 0;
  ViewRep* v = nullptr;
  ASSERT_EQ(b.read_lines(Eol::Lf, 0, lines.data(), count, &n, &v), Status::Ok);
  ASSERT_EQ(n, count);
  for (size_t i = 0, off = 0; i < n; off += lines[i].length + 1, ++i) {
    ASSERT_EQ(std::string(lines[i].data, lines[i].length), data.substr(off, lines[i].length)) << "line " << i;
    EXPECT_EQ(lines[i].data == data.data() + off, i % 3 == 0) << "line " << i;  // only straddlers are copies
  }
  EXPECT_EQ(bytes_of(v), data);
  EXPECT_EQ(b.size(), 0u);
  view_release(v);
}

// With every max_len, read_lines takes what take_lines takes and fails
// where it fails, over every segmentation (LF and NUL have their own scan).
TEST(BufferLines, ReadLinesAgreeWithTakeLinesUnderEveryLimit) {
  static const char kText[] = "x\r\nyy\n\nzzz\r\r\nw\0v\r\nlast";  // holds a NUL: sized from the array
  const std::string data(kText, sizeof kText - 1);
  for (Eol eol : {Eol::Any, Eol::Crlf, Eol::CrlfStrict, Eol::Lf, Eol::Nul})
    for (size_t max_len = 0; max_len < 6; ++max_len)
      for (size_t cut = 1; cut <= data.size(); ++cut)
        for (size_t room : {1, 2, 32}) {
          Buffer take, read;
          for (size_t off = 0; off < data.size(); off += cut) {
            size_t k = std::min(cut, data.size() - off);
            ASSERT_EQ(take.append_ref(data.data() + off, k, nullptr, nullptr), Status::Ok);
            ASSERT_EQ(read.append_ref(data.data() + off, k, nullptr, nullptr), Status::Ok);
          }
          for (;;) {
            Record recs[32];
            Line lines[32];
            size_t nt = 0, nr = 0;
            ViewRep *tv = nullptr, *rv = nullptr;
            Status want = take.take_lines(eol, max_len, recs, room, &nt, &tv);
            ASSERT_EQ(read.read_lines(eol, max_len, lines, room, &nr, &rv), want)
                << "eol " << static_cast<int>(eol) << " max_len " << max_len << " cut " << cut;
            if (want != Status::Ok) break;
            ASSERT_EQ(nr, nt);
            std::string all = nt ? bytes_of(tv) : "";
            for (size_t i = 0; i < nr; ++i)
              EXPECT_EQ(std::string(lines[i].data, lines[i].length), all.substr(recs[i].offset, recs[i].length));
            if (tv) view_release(tv);
            if (rv) view_release(rv);
            ASSERT_EQ(read.size(), take.size());
            if (nt == 0) break;
          }
        }
}

// Lines of every length from 0 to 70 in segments of several sizes, taken
// seven at a time: the LF scan meets ends of line at segment edges, lines
// that straddle them, and batches that stop inside a segment.
TEST(BufferLines, ReadLinesFindEveryLineInLongSegments) {
  std::string data;
  std::vector<std::string> want;
  for (size_t len = 0; len <= 70; ++len)
    for (size_t rep = 0; rep < 3; ++rep) {
      std::string line(len, static_cast<char>('a' + (len + rep) % 26));
      want.push_back(line);
      data += line + "\n";
    }
  for (size_t piece : {16u, 17u, 100u, 4096u}) {
    Buffer b;
    for (size_t off = 0; off < data.size(); off += piece)
      ASSERT_EQ(b.append_ref(data.data() + off, std::min(piece, data.size() - off), nullptr, nullptr), Status::Ok);
    std::vector<std::string> got;
    Line lines[7];  // batches end inside a block too
    size_t n = 0;
    ViewRep* v = nullptr;
    do {
      ASSERT_EQ(b.read_lines(Eol::Lf, 0, lines, 7, &n, &v), Status::Ok);
      for (size_t i = 0; i < n; ++i) got.emplace_back(lines[i].data, lines[i].length);
      if (v) view_release(v);
    } while (n > 0);
    EXPECT_EQ(got, want) << "pieces of " << piece;
    EXPECT_EQ(b.size(), 0u);
  }
}

TEST(BufferLines, ReadLinesWithoutALineOrOverTheLimitConsumesNothing) {
  Buffer b;
  ASSERT_EQ(b.append("abcdef", 6), Status::Ok);
  Line lines[4];
  size_t n = 9;
  ViewRep* v = reinterpret_cast<ViewRep*>(&n);
  ASSERT_EQ(b.read_lines(Eol::Lf, 0, lines, 4, &n, &v), Status::Ok);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(v, nullptr);
  ASSERT_EQ(b.append("\nxy\n", 4), Status::Ok);
  EXPECT_EQ(b.read_lines(Eol::Lf, 4, lines, 4, &n, &v), Status::Limit);
  EXPECT_EQ(b.size(), 10u);
  // A too-long line after a short one is left for the next call.
  Buffer c;
  ASSERT_EQ(c.append("ab\nlonger\n", 10), Status::Ok);
  ASSERT_EQ(c.read_lines(Eol::Lf, 4, lines, 4, &n, &v), Status::Ok);
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(std::string(lines[0].data, lines[0].length), "ab");
  view_release(v);
  EXPECT_EQ(c.size(), 7u);
}

TEST(BufferLines, ReadLinesKeepsTheBytesAliveUntilTheViewIsReleased) {
  Buffer b;
  int freed = 0;
  auto count = [](void* p) { ++*static_cast<int*>(p); };
  ASSERT_EQ(b.append_ref("one\ntw", 6, count, &freed), Status::Ok);
  ASSERT_EQ(b.append_ref("o\nthree\n", 8, count, &freed), Status::Ok);
  Line lines[4];
  size_t n = 0;
  ViewRep* v = nullptr;
  ASSERT_EQ(b.read_lines(Eol::Lf, 0, lines, 4, &n, &v), Status::Ok);
  ASSERT_EQ(n, 3u);
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(freed, 0);  // consumed, but the view still holds both blocks
  EXPECT_EQ(std::string(lines[1].data, lines[1].length), "two");  // straddles: the copy
  EXPECT_EQ(std::string(lines[2].data, lines[2].length), "three");
  EXPECT_EQ(bytes_of(v), "one\ntwo\nthree\n");
  view_release(v);
  EXPECT_EQ(freed, 2);
}

// When no line straddles, the view is the lines' own segments, even when
// the batch spans several of them.
TEST(BufferLines, ReadLinesWithoutAStraddlerShareEverySegment) {
  static const char kFirst[] = "ab\ncd\n", kSecond[] = "efg\nh";
  Buffer b;
  ASSERT_EQ(b.append_ref(kFirst, 6, nullptr, nullptr), Status::Ok);
  ASSERT_EQ(b.append_ref(kSecond, 5, nullptr, nullptr), Status::Ok);
  Line lines[8];
  size_t n = 0;
  ViewRep* v = nullptr;
  ASSERT_EQ(b.read_lines(Eol::Lf, 0, lines, 8, &n, &v), Status::Ok);
  ASSERT_EQ(n, 3u);
  EXPECT_EQ(lines[0].data, kFirst);
  EXPECT_EQ(lines[1].data, kFirst + 3);
  EXPECT_EQ(lines[2].data, kSecond);
  ASSERT_EQ(v->nseg, 2u);
  EXPECT_EQ(v->segs()[0].p, kFirst);
  EXPECT_EQ(v->segs()[1].p, kSecond);
  EXPECT_EQ(bytes_of(v), "ab\ncd\nefg\n");
  view_release(v);
  EXPECT_EQ(b.size(), 1u);
}

TEST(BufferLines, ReadLinesOnTheLinearBackendNeverCopies) {
  Buffer b;
  BufferOptions o;
  o.linear = true;
  ASSERT_EQ(b.init(o), Status::Ok);
  ASSERT_EQ(b.append("a\nbb\n\nc", 7), Status::Ok);
  Line lines[8];
  size_t n = 0;
  ViewRep* v = nullptr;
  ASSERT_EQ(b.read_lines(Eol::Lf, 0, lines, 8, &n, &v), Status::Ok);
  ASSERT_EQ(n, 3u);
  EXPECT_EQ(v->nseg, 1u);
  EXPECT_EQ(lines[1].data, lines[0].data + 2);
  EXPECT_EQ(std::string(lines[1].data, lines[1].length), "bb");
  EXPECT_EQ(lines[2].length, 0u);
  view_release(v);
  EXPECT_EQ(b.size(), 1u);
}

}  // namespace
}  // namespace chunkbuf
