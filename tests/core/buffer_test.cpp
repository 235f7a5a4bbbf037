#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/buffer.h"
#include "core/mem.h"
#include "test_util.h"

using namespace chunkbuf;
using chunkbuf::test::append_pieces;
using chunkbuf::test::bytes_of;
using chunkbuf::test::contents;

TEST(Buffer, AppendAcrossBlocksKeepsOrder) {
  Buffer b;
  std::string expect;
  for (int i = 0; i < 3000; ++i) {
    std::string piece = std::to_string(i) + ",";
    expect += piece;
    ASSERT_EQ(b.append(piece.data(), piece.size()), Status::Ok);
  }
  EXPECT_EQ(b.size(), expect.size());
  EXPECT_EQ(contents(b), expect);
  EXPECT_GT(b.segment_count(), 1u);
  EXPECT_TRUE(b.equals(expect.data(), expect.size()));
}

TEST(Buffer, LargeAppendIsOneCopyAndZeroLengthIsANoOp) {
  Buffer b;
  std::string big(3 << 20, 'q');
  ASSERT_EQ(b.append(big.data(), big.size()), Status::Ok);
  ASSERT_EQ(b.append(nullptr, 0), Status::Ok);
  EXPECT_EQ(b.size(), big.size());
  EXPECT_EQ(contents(b), big);
}

TEST(Buffer, AppendRefCallsFreeOnceAfterTheLastView) {
  int calls = 0;
  static const char text[] = "external bytes";
  {
    ViewRep* v = nullptr;
    {
      Buffer b;
      ASSERT_EQ(b.append_ref(text, 14, [](void* ud) { ++*static_cast<int*>(ud); }, &calls), Status::Ok);
      ASSERT_EQ(b.split_to(8, &v), Status::Ok);
      EXPECT_EQ(v->segs()[0].p, text);  // zero copy
    }
    EXPECT_EQ(calls, 0);  // the view still refers to the bytes
    EXPECT_EQ(bytes_of(v), "external");
    view_release(v);
  }
  EXPECT_EQ(calls, 1);
}

TEST(Buffer, AppendRefvAdoptsSeveralRegionsWithOneCallback) {
  int calls = 0;
  static const char a[] = "abc", c[] = "def";
  struct iovec iov[3] = {{const_cast<char*>(a), 3}, {nullptr, 0}, {const_cast<char*>(c), 3}};
  {
    Buffer b;
    ASSERT_EQ(b.append_refv(iov, 3, [](void* ud) { ++*static_cast<int*>(ud); }, &calls), Status::Ok);
    EXPECT_EQ(contents(b), "abcdef");
    EXPECT_EQ(b.segment_count(), 2u);
    ASSERT_EQ(b.advance(3), Status::Ok);
    EXPECT_EQ(calls, 0);
  }
  EXPECT_EQ(calls, 1);
}

TEST(Buffer, AppendRefFailureHandsTheMemoryBack) {
  BufferOptions o;
  o.max_bytes = 4;
  Buffer b;
  ASSERT_EQ(b.init(o), Status::Ok);
  int calls = 0;
  EXPECT_EQ(b.append_ref("too long", 8, [](void* ud) { ++*static_cast<int*>(ud); }, &calls), Status::Limit);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(b.size(), 0u);
}

TEST(Buffer, ReserveCommitAndStateErrorsMeanwhile) {
  Buffer b;
  ASSERT_EQ(b.append("ab", 2), Status::Ok);
  struct iovec iov[2];
  size_t n = 0;
  ASSERT_EQ(b.reserve(10, iov, 1, &n), Status::Ok);
  ASSERT_EQ(n, 1u);
  ASSERT_GE(iov[0].iov_len, 10u);
  std::memcpy(iov[0].iov_base, "0123456789", 10);

  // Anything that reshapes the buffer is refused while reserved...
  ViewRep* v = nullptr;
  const void* p = nullptr;
  size_t k = 0;
  char tmp[4];
  EXPECT_EQ(b.append("x", 1), Status::State);
  EXPECT_EQ(b.append_ref("x", 1, nullptr, nullptr), Status::State);
  EXPECT_EQ(b.advance(1), Status::State);
  EXPECT_EQ(b.split_to(1, &v), Status::State);
  EXPECT_EQ(b.take_line(Eol::Lf, 0, &v), Status::State);
  EXPECT_EQ(b.take_until("a", 1, false, 0, &v), Status::State);
  EXPECT_EQ(b.coalesce(1, &p), Status::State);
  EXPECT_EQ(b.read(tmp, 1, &k), Status::State);
  EXPECT_EQ(b.reserve(1, iov, 1, &n), Status::State);
  // ...while looking is fine.
  size_t pos = 0;
  EXPECT_EQ(b.find("b", 1, 0, npos, &pos), Status::Ok);
  EXPECT_EQ(pos, 1u);
  EXPECT_EQ(contents(b), "ab");

  EXPECT_EQ(b.commit(iov[0].iov_len + 1), Status::Range);  // still open after this
  ASSERT_EQ(b.commit(10), Status::Ok);
  EXPECT_EQ(contents(b), "ab0123456789");
  EXPECT_EQ(b.commit(0), Status::NoReserve);
}

TEST(Buffer, ReserveInTwoSpansUsesTheTailFirst) {
  BufferOptions o;
  Buffer b;
  ASSERT_EQ(b.init(o), Status::Ok);
  std::string fill(4000, 'f');
  ASSERT_EQ(b.append(fill.data(), fill.size()), Status::Ok);  // 96 bytes of tail left
  struct iovec iov[2];
  size_t n = 0;
  ASSERT_EQ(b.reserve(200, iov, 2, &n), Status::Ok);
  ASSERT_EQ(n, 2u);
  EXPECT_EQ(iov[0].iov_len, 96u);
  std::memset(iov[0].iov_base, 'x', 96);
  std::memset(iov[1].iov_base, 'y', 104);
  ASSERT_EQ(b.commit(200), Status::Ok);
  EXPECT_EQ(contents(b), fill + std::string(96, 'x') + std::string(104, 'y'));
  ASSERT_EQ(b.append("z", 1), Status::Ok);  // continues in the reserved block
  EXPECT_EQ(b.segment_count(), 2u);
}

TEST(Buffer, CommitCancelReturnsTheFreshBlock) {
  Pool* pool = Pool::create({});
  {
    BufferOptions o;
    o.pool = pool;
    Buffer b;
    ASSERT_EQ(b.init(o), Status::Ok);
    struct iovec iov[1];
    size_t n = 0;
    ASSERT_EQ(b.reserve(100000, iov, 1, &n), Status::Ok);
    EXPECT_GE(pool->stats().bytes_in_use, 100000u);
    ASSERT_EQ(b.commit(0), Status::Ok);
    EXPECT_EQ(pool->stats().bytes_in_use, 0u);
    EXPECT_EQ(b.size(), 0u);
  }
  pool->release();
}

TEST(Buffer, ReadFromFdAndWriteToFdThroughAPipe) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::string msg;
  for (int i = 0; i < 2000; ++i) msg += "line " + std::to_string(i) + "\n";
  ASSERT_EQ(write(fds[1], msg.data(), msg.size()), static_cast<ssize_t>(msg.size()));
  close(fds[1]);
  Buffer in;
  size_t n = 0, total = 0;
  do {
    ASSERT_EQ(in.read_from_fd(fds[0], 1000, &n), Status::Ok);
    total += n;
  } while (n > 0);
  close(fds[0]);
  EXPECT_EQ(total, msg.size());
  EXPECT_EQ(contents(in), msg);

  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
  size_t written = 0;
  ASSERT_EQ(in.write_to_fd(fds[1], 0, &written), Status::Ok);
  EXPECT_EQ(written, msg.size());  // fits in the pipe buffer
  EXPECT_EQ(in.size(), 0u);
  std::string back(msg.size(), '\0');
  ASSERT_EQ(read(fds[0], back.data(), back.size()), static_cast<ssize_t>(msg.size()));
  EXPECT_EQ(back, msg);
  EXPECT_EQ(in.read_from_fd(-1, 0, &n), Status::Io);
  close(fds[0]);
  close(fds[1]);
}

TEST(Buffer, ReadFromFdOnAnEmptyNonBlockingPipeIsAgain) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
  Buffer b;
  size_t n = 0;
  EXPECT_EQ(b.read_from_fd(fds[0], 0, &n), Status::Again);
  EXPECT_FALSE(b.reserved());
  EXPECT_EQ(b.size(), 0u);
  close(fds[0]);
  close(fds[1]);
}

TEST(Buffer, PeekNeverExceedsMaxIov) {
  Buffer b;
  append_pieces(b, {"a", "bb", "ccc", "dddd"});
  struct iovec iov[4];
  EXPECT_EQ(b.peek(100, iov, 2), 2u);
  EXPECT_EQ(iov[1].iov_len, 2u);
  EXPECT_EQ(b.peek(4, iov, 4), 3u);  // a, bb, c
  EXPECT_EQ(iov[2].iov_len, 1u);
  EXPECT_EQ(b.peek(0, iov, 4), 0u);
}

TEST(Buffer, CoalesceCopiesOnlyWhenItMust) {
  Buffer b;
  static const char first[] = "hello ";
  append_pieces(b, {first, "wor", "ld"});
  const void* p = nullptr;
  ASSERT_EQ(b.coalesce(4, &p), Status::Ok);
  EXPECT_EQ(p, b.segs()[0].p);  // already contiguous: no copy
  ASSERT_EQ(b.coalesce(8, &p), Status::Ok);
  EXPECT_EQ(std::string(static_cast<const char*>(p), 8), "hello wo");
  EXPECT_EQ(contents(b), "hello world");
  EXPECT_EQ(b.segment_count(), 3u);  // [hello wo][r][ld]
  ASSERT_EQ(b.coalesce(11, &p), Status::Ok);
  EXPECT_EQ(b.segment_count(), 1u);
  EXPECT_EQ(b.coalesce(12, &p), Status::Range);
}

TEST(Buffer, TypedReadsDoNotConsume) {
  Buffer b;
  append_pieces(b, {std::string("\x12\x34", 2), std::string("\x56\x78\x9a\xbc\xde\xf0", 6)});
  uint64_t v = 0;
  ASSERT_EQ(b.peek_uint(0, 2, Order::Big, &v), Status::Ok);
  EXPECT_EQ(v, 0x1234u);
  ASSERT_EQ(b.peek_uint(1, 4, Order::Little, &v), Status::Ok);
  EXPECT_EQ(v, 0x9a785634u);
  ASSERT_EQ(b.peek_uint(0, 8, Order::Big, &v), Status::Ok);
  EXPECT_EQ(v, 0x123456789abcdef0u);
  EXPECT_EQ(b.peek_uint(1, 8, Order::Big, &v), Status::NeedMore);
  EXPECT_EQ(b.peek_uint(9, 1, Order::Big, &v), Status::NeedMore);
  EXPECT_EQ(b.size(), 8u);
}

TEST(Buffer, AdvanceAtExactSegmentEnds) {
  Buffer b;
  append_pieces(b, {"abc", "def", "ghi"});
  ASSERT_EQ(b.advance(3), Status::Ok);
  EXPECT_EQ(b.segment_count(), 2u);
  ASSERT_EQ(b.advance(4), Status::Ok);
  EXPECT_EQ(contents(b), "hi");
  EXPECT_EQ(b.advance(3), Status::Range);
  EXPECT_EQ(contents(b), "hi");
  ASSERT_EQ(b.advance(2), Status::Ok);
  EXPECT_EQ(b.segment_count(), 0u);
}

// An advance inside the first segment keeps its block (no free callback);
// the advance that reaches the segment's end releases it.
TEST(Buffer, AdvanceInsideTheFirstSegmentKeepsItsBlock) {
  static const char kText[] = "line1\nline2\n";
  int freed = 0;
  Buffer b;
  ASSERT_EQ(b.append_ref(kText, 12, [](void* u) { ++*static_cast<int*>(u); }, &freed), Status::Ok);
  ASSERT_EQ(b.append("tail", 4), Status::Ok);
  ASSERT_EQ(b.advance(6), Status::Ok);
  EXPECT_EQ(freed, 0);
  EXPECT_EQ(b.size(), 10u);
  EXPECT_EQ(b.segs()[0].p, kText + 6);
  EXPECT_EQ(contents(b), "line2\ntail");
  ASSERT_EQ(b.advance(5), Status::Ok);
  EXPECT_EQ(freed, 0);
  ASSERT_EQ(b.advance(1), Status::Ok);  // the segment's last byte: its block goes
  EXPECT_EQ(freed, 1);
  EXPECT_EQ(contents(b), "tail");
}

TEST(Buffer, SplitToViewsOutliveTheBufferAndSeeNoLaterWrites) {
  ViewRep* v = nullptr;
  {
    Buffer b;
    ASSERT_EQ(b.append("hello", 5), Status::Ok);
    ASSERT_EQ(b.split_to(3, &v), Status::Ok);
    ASSERT_EQ(b.append(" world", 6), Status::Ok);  // same block, after the view's range
    EXPECT_EQ(contents(b), "lo world");
  }
  EXPECT_EQ(bytes_of(v), "hel");
  view_release(v);
}

TEST(Buffer, DrainedBufferReusesItsWriteBlock) {
  Buffer b;
  ASSERT_EQ(b.append("abc", 3), Status::Ok);
  const char* first = b.segs()[0].p;
  ASSERT_EQ(b.advance(3), Status::Ok);
  ASSERT_EQ(b.append("xyz", 3), Status::Ok);
  EXPECT_EQ(b.segs()[0].p, first);
  // Not while a view still sees the block.
  ViewRep* v = nullptr;
  ASSERT_EQ(b.split_to(3, &v), Status::Ok);
  ASSERT_EQ(b.append("123", 3), Status::Ok);
  EXPECT_NE(b.segs()[0].p, first);
  EXPECT_EQ(bytes_of(v), "xyz");
  view_release(v);
}

// An append that does not fit after the write block's last byte slides a
// short unread tail to the block's start when nothing else sees the block,
// so an append/consume cycle keeps writing the same bytes of one block.
TEST(Buffer, AppendSlidesAShortTailToTheStartOfAnUnsharedBlock) {
  Buffer b;
  BufferOptions o;
  o.min_chunk = 8192;
  ASSERT_EQ(b.init(o), Status::Ok);
  const std::string head(8150, 'h'), tail(40, 't'), more(4000, 'm');
  ASSERT_EQ(b.append((head + tail).data(), head.size() + tail.size()), Status::Ok);
  const char* start = b.segs()[0].p;
  ViewRep* v = nullptr;
  ASSERT_EQ(b.split_to(head.size(), &v), Status::Ok);
  view_release(v);
  ASSERT_EQ(b.append(more.data(), more.size()), Status::Ok);
  ASSERT_EQ(b.segment_count(), 1u);
  EXPECT_EQ(b.segs()[0].p, start);
  EXPECT_EQ(contents(b), tail + more);
}

TEST(Buffer, AppendDoesNotSlideBytesAViewSeesOrALongTail) {
  Buffer b;
  BufferOptions o;
  o.min_chunk = 8192;
  ASSERT_EQ(b.init(o), Status::Ok);
  const std::string head(8150, 'h'), tail(40, 't'), more(4000, 'm');
  ASSERT_EQ(b.append((head + tail).data(), head.size() + tail.size()), Status::Ok);
  const char* start = b.segs()[0].p;
  // A view of bytes before the tail keeps the block shared: no slide.
  ViewRep* v = nullptr;
  ASSERT_EQ(b.split_to(head.size(), &v), Status::Ok);
  ASSERT_EQ(b.append(more.data(), more.size()), Status::Ok);
  EXPECT_EQ(b.segs()[0].p, start + head.size());
  EXPECT_EQ(bytes_of(v), head);
  EXPECT_EQ(contents(b), tail + more);
  view_release(v);
  // Unshared, but the tail is more than half of what the block leaves for
  // it: the next block is taken instead of moving it.
  Buffer c;
  ASSERT_EQ(c.init(o), Status::Ok);
  const std::string big(5000, 'b');
  ASSERT_EQ(c.append((head + tail).data(), head.size() + tail.size()), Status::Ok);
  ASSERT_EQ(c.advance(head.size() - big.size()), Status::Ok);
  const char* at = c.segs()[0].p;
  ASSERT_EQ(c.append(more.data(), more.size()), Status::Ok);
  EXPECT_EQ(c.segs()[0].p, at);
  EXPECT_EQ(contents(c), head.substr(0, big.size()) + tail + more);
}

TEST(Buffer, TakeUntilAndTakeLine) {
  Buffer b;
  append_pieces(b, {"GET / HTTP/1.1\r", "\nHost: x\r\n", "\r\n"});
  ViewRep* v = nullptr;
  ASSERT_EQ(b.take_until(" ", 1, false, 0, &v), Status::Ok);
  EXPECT_EQ(bytes_of(v), "GET");
  view_release(v);
  ASSERT_EQ(b.take_line(Eol::CrlfStrict, 0, &v), Status::Ok);
  EXPECT_EQ(bytes_of(v), "/ HTTP/1.1");
  view_release(v);
  ASSERT_EQ(b.take_line(Eol::Crlf, 0, &v), Status::Ok);
  EXPECT_EQ(bytes_of(v), "Host: x");
  view_release(v);
  ASSERT_EQ(b.take_line(Eol::Crlf, 0, &v), Status::Ok);
  EXPECT_EQ(bytes_of(v), "");
  view_release(v);
  EXPECT_EQ(b.take_line(Eol::Crlf, 0, &v), Status::NeedMore);
}

// take_line against a model over random segmentations: the first-segment
// fast path and the general path must agree, CRs and LFs on every side of a
// segment boundary included.
TEST(Buffer, TakeLineMatchesAModelOverRandomSegmentations) {
  uint64_t x = 88172645463325252ull;
  auto rnd = [&x](uint64_t n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x % n;
  };
  for (Eol eol : {Eol::Lf, Eol::Crlf, Eol::Nul}) {
    for (int round = 0; round < 200; ++round) {
      std::string text;
      for (size_t n = rnd(60); text.size() < n;) text += "ab\r\n\0"[rnd(5)];
      std::vector<std::string> pieces;
      for (size_t i = 0; i < text.size();) {
        size_t k = 1 + rnd(6);
        pieces.push_back(text.substr(i, k));
        i += k;
      }
      Buffer b;
      append_pieces(b, pieces);
      std::string rest = text;
      for (;;) {
        const char ch = eol == Eol::Nul ? '\0' : '\n';
        size_t at = rest.find(ch);
        ViewRep* v = nullptr;
        Status st = b.take_line(eol, 0, &v);
        if (at == std::string::npos) {
          ASSERT_EQ(st, Status::NeedMore);
          break;
        }
        ASSERT_EQ(st, Status::Ok);
        size_t len = (eol == Eol::Crlf && at > 0 && rest[at - 1] == '\r') ? at - 1 : at;
        EXPECT_EQ(bytes_of(v), rest.substr(0, len));
        view_release(v);
        rest.erase(0, at + 1);
        ASSERT_EQ(contents(b), rest);
      }
    }
  }
}

TEST(Buffer, TakeLineLimitKeepsEveryByte) {
  Buffer b;
  ASSERT_EQ(b.append("abcdefgh", 8), Status::Ok);
  ViewRep* v = nullptr;
  EXPECT_EQ(b.take_line(Eol::Lf, 4, &v), Status::Limit);
  EXPECT_EQ(b.take_line(Eol::Lf, 8, &v), Status::NeedMore);  // could still end at 8
  ASSERT_EQ(b.append("\n", 1), Status::Ok);
  EXPECT_EQ(b.take_line(Eol::Lf, 7, &v), Status::Limit);
  EXPECT_EQ(contents(b), "abcdefgh\n");
}

TEST(Buffer, BatchTakeLinesReturnsOneViewWithRecords) {
  Buffer b;
  append_pieces(b, {"alpha\nbe", "ta\r\ngamma\n", "delta"});
  Record recs[8];
  size_t n = 0;
  ViewRep* v = nullptr;
  ASSERT_EQ(b.take_lines(Eol::Crlf, 0, recs, 8, &n, &v), Status::Ok);
  ASSERT_EQ(n, 3u);
  std::string all = bytes_of(v);
  EXPECT_EQ(all, "alpha\nbeta\r\ngamma\n");
  EXPECT_EQ(all.substr(recs[1].offset, recs[1].length), "beta");
  EXPECT_EQ(recs[1].delim_length, 2u);
  EXPECT_EQ(all.substr(recs[2].offset, recs[2].length), "gamma");
  view_release(v);
  EXPECT_EQ(contents(b), "delta");
  ASSERT_EQ(b.take_lines(Eol::Crlf, 0, recs, 8, &n, &v), Status::Ok);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(v, nullptr);
}

TEST(Buffer, BatchLimitOnlyWhenTheFirstRecordIsTooLong) {
  Buffer b;
  ASSERT_EQ(b.append("ok\nwaytoolong\n", 14), Status::Ok);
  Record recs[4];
  size_t n = 0;
  ViewRep* v = nullptr;
  ASSERT_EQ(b.take_lines(Eol::Lf, 4, recs, 4, &n, &v), Status::Ok);
  EXPECT_EQ(n, 1u);
  view_release(v);
  EXPECT_EQ(b.take_lines(Eol::Lf, 4, recs, 4, &n, &v), Status::Limit);
  EXPECT_EQ(contents(b), "waytoolong\n");
}

TEST(Buffer, MaxBytesRejectsWholeAppends) {
  BufferOptions o;
  o.max_bytes = 10;
  Buffer b;
  ASSERT_EQ(b.init(o), Status::Ok);
  ASSERT_EQ(b.append("0123456", 7), Status::Ok);
  EXPECT_EQ(b.append("7890", 4), Status::Limit);
  struct iovec iov[1];
  size_t n = 0;
  EXPECT_EQ(b.reserve(4, iov, 1, &n), Status::Limit);
  EXPECT_EQ(contents(b), "0123456");
  ASSERT_EQ(b.reserve(3, iov, 1, &n), Status::Ok);
  EXPECT_EQ(b.commit(4), Status::Limit);  // spans may be larger than the room left
  ASSERT_EQ(b.commit(3), Status::Ok);
  EXPECT_EQ(b.size(), 10u);
}

TEST(Buffer, TenantBlocksAreAccounted) {
  Pool* pool = Pool::create({});
  TenantRec* t = nullptr;
  ASSERT_EQ(pool->tenant(3, &t), Status::Ok);
  t->quota = 4096;
  {
    BufferOptions o;
    o.pool = pool;
    o.tenant = 3;
    Buffer b;
    ASSERT_EQ(b.init(o), Status::Ok);
    std::string s(4096, 'a');
    ASSERT_EQ(b.append(s.data(), s.size()), Status::Ok);
    EXPECT_EQ(t->live.load(), 4096u);
    EXPECT_EQ(b.append("b", 1), Status::Limit);
    EXPECT_EQ(b.size(), 4096u);
    ViewRep* v = nullptr;
    ASSERT_EQ(b.split_to(10, &v), Status::Ok);
    EXPECT_EQ(v->tenant, 3u);
    view_release(v);
  }
  EXPECT_EQ(t->live.load(), 0u);
  pool->release();
}

// Every allocation of an operation fails in turn: the call reports NoMem and
// the buffer is exactly what it was.
TEST(Buffer, AllocationFailureLeavesTheBufferUnchanged) {
  for (int64_t n = 0; n < 8; ++n) {
    Buffer b;
    append_pieces(b, {"abc", "def"});
    std::string before = contents(b);
    std::string big(10000, 'z');
    ViewRep* v = nullptr;
    const void* p = nullptr;
    struct iovec iov[2];
    size_t cnt = 0;
    Status results[5];
    mem::fail_after(n);
    results[0] = b.append(big.data(), big.size());
    mem::fail_after(n);
    results[1] = b.split_to(4, &v);
    mem::fail_after(n);
    results[2] = b.coalesce(b.size(), &p);
    mem::fail_after(n);
    results[3] = b.reserve(50000, iov, 2, &cnt);
    mem::fail_never();
    if (results[3] == Status::Ok) b.commit(0);
    std::string expect = before;
    if (results[0] == Status::Ok) expect += big;
    if (results[1] == Status::Ok) {
      EXPECT_EQ(bytes_of(v), expect.substr(0, 4));
      expect = expect.substr(4);
      view_release(v);
    }
    for (int i = 0; i < 4; ++i) EXPECT_TRUE(results[i] == Status::Ok || results[i] == Status::NoMem) << i;
    EXPECT_EQ(contents(b), expect) << "fail_after(" << n << ")";
  }
  mem::fail_never();
}

// claim/publish: an append whose copy happens outside the caller's lock.
TEST(BufferClaim, ClaimedBytesAreAddedWhenPublishedInPublishOrder) {
  Buffer b;
  ASSERT_EQ(b.append("head", 4), Status::Ok);
  Block *b1 = nullptr, *b2 = nullptr;
  char *d1 = nullptr, *d2 = nullptr;
  ASSERT_EQ(b.claim(5000, &b1, &d1), Status::Ok);
  ASSERT_EQ(b.claim(5000, &b2, &d2), Status::Ok);
  EXPECT_TRUE(d2 >= d1 + 5000 || d1 >= d2 + 5000) << "the two claims overlap";
  EXPECT_EQ(b.size(), 4u) << "claimed bytes are not part of the buffer yet";
  ASSERT_EQ(b.append("tail", 4), Status::Ok);  // goes after the claims
  std::memset(d1, 'x', 5000);
  std::memset(d2, 'y', 5000);
  ASSERT_EQ(b.publish(b2, d2, 5000), Status::Ok);
  ASSERT_EQ(b.publish(b1, d1, 5000), Status::Ok);
  EXPECT_EQ(contents(b), "head" "tail" + std::string(5000, 'y') + std::string(5000, 'x'));
}

TEST(BufferClaim, APublishPastMaxBytesAddsNothingAndGivesTheBlockBack) {
  Pool* pool = Pool::create(PoolOptions{});
  ASSERT_NE(pool, nullptr);
  {
    BufferOptions o;
    o.pool = pool;
    o.max_bytes = 6000;
    Buffer b;
    ASSERT_EQ(b.init(o), Status::Ok);
    Block* blk = nullptr;
    char* d = nullptr;
    ASSERT_EQ(b.claim(5000, &blk, &d), Status::Ok);
    ASSERT_EQ(b.append(std::string(2000, 'a').data(), 2000), Status::Ok);
    std::memset(d, 'x', 5000);
    EXPECT_EQ(b.publish(blk, d, 5000), Status::Limit);
    EXPECT_EQ(contents(b), std::string(2000, 'a'));
  }
  EXPECT_EQ(pool->stats().bytes_in_use, 0u) << "a block of the failed publish is still referenced";
  pool->release();
}

TEST(BufferClaim, AClaimedBlockIsNeitherSlidNorReused) {
  Buffer b;
  ASSERT_EQ(b.append("0123456789", 10), Status::Ok);
  Block* blk = nullptr;
  char* d = nullptr;
  ASSERT_EQ(b.claim(100, &blk, &d), Status::Ok);
  // Drain the buffer and append again: without the claim the write block
  // would be reused from its start (on_emptied) or slid, over the claim.
  ASSERT_EQ(b.advance(10), Status::Ok);
  ASSERT_EQ(b.append("abc", 3), Status::Ok);
  std::memset(d, 'z', 100);
  ASSERT_EQ(b.publish(blk, d, 100), Status::Ok);
  EXPECT_EQ(contents(b), "abc" + std::string(100, 'z'));
}

TEST(BufferClaim, RefusedInLinearModeAndDuringAReservation) {
  BufferOptions o;
  o.linear = true;
  Buffer lin;
  ASSERT_EQ(lin.init(o), Status::Ok);
  Block* blk = nullptr;
  char* d = nullptr;
  EXPECT_EQ(lin.claim(10, &blk, &d), Status::State);
  Buffer b;
  struct iovec iov[2];
  size_t cnt = 0;
  ASSERT_EQ(b.reserve(10, iov, 2, &cnt), Status::Ok);
  EXPECT_EQ(b.claim(10, &blk, &d), Status::State);
  ASSERT_EQ(b.commit(0), Status::Ok);
}
