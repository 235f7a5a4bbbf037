// Hostile use of the engine: sizes at the top of size_t, free callbacks that
// call back in, writes to a closed pipe, and what the limits bound.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "child_process.h"
#include "core/buffer.h"
#include "core/framer.h"
#include "core/leaks.h"
#include "core/mem.h"
#include "core/pool.h"
#include "core/view.h"
#include "test_util.h"

using namespace chunkbuf;
using chunkbuf::test::contents;
using chunkbuf::test::run_in_child;

namespace {

// Sizes near SIZE_MAX: every one wrapped header + capacity before.
const size_t kHuge[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 32, SIZE_MAX - 63, SIZE_MAX - 64, SIZE_MAX / 2 + 1,
                        kMaxBlockBytes + (size_t{1} << 20)};

}  // namespace

TEST(Reliability, ReserveOfAHugeSizeFailsAndChangesNothing) {
  for (bool linear : {false, true}) {
    for (size_t n : kHuge) {
      Buffer b;
      BufferOptions o;
      o.linear = linear;
      ASSERT_EQ(b.init(o), Status::Ok);
      ASSERT_EQ(b.append("abc", 3), Status::Ok);
      struct iovec iov[2];
      size_t cnt = 0;
      EXPECT_EQ(b.reserve(n, iov, 2, &cnt), Status::Limit) << n;
      EXPECT_FALSE(b.reserved());
      EXPECT_EQ(contents(b), "abc");
      ASSERT_EQ(b.append("d", 1), Status::Ok);  // still usable
    }
  }
}

TEST(Reliability, AppendOfAHugeLengthFails) {
  static const char src[8] = {};
  for (size_t n : kHuge) {
    Buffer b;
    ASSERT_EQ(b.append("x", 1), Status::Ok);
    EXPECT_EQ(b.append(src, n), Status::Limit) << n;  // refused before any byte is read
    EXPECT_EQ(contents(b), "x");
  }
}

TEST(Reliability, PoolRefusesBlocksAboveTheBound) {
  Block* blk = nullptr;
  for (size_t n : kHuge) EXPECT_EQ(Pool::default_pool()->acquire(n, nullptr, &blk), Status::Limit) << n;
}

TEST(Reliability, ReadFromFdWithAHugeMaxFails) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(write(fds[1], "hello", 5), 5);
  Buffer b;
  size_t got = 0;
  EXPECT_EQ(b.read_from_fd(fds[0], SIZE_MAX, &got), Status::Limit);
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.read_from_fd(fds[0], 0, &got), Status::Ok);  // the bytes are still in the pipe
  EXPECT_EQ(contents(b), "hello");
  close(fds[0]);
  close(fds[1]);
}

TEST(Reliability, AdoptedLengthsCannotWrapTheBufferLength) {
  static const char src[1] = {'a'};
  Buffer b;
  int freed = 0;
  auto count = [](void* ud) { ++*static_cast<int*>(ud); };
  ASSERT_EQ(b.append_ref(src, SIZE_MAX / 2, count, &freed), Status::Ok);  // never read: only counted
  EXPECT_EQ(b.append_ref(src, SIZE_MAX / 2 + 2, count, &freed), Status::Limit);
  EXPECT_EQ(freed, 1);  // the refused region is handed back at once
  EXPECT_EQ(b.size(), SIZE_MAX / 2);
  b.clear();
  EXPECT_EQ(freed, 2);
}

// A view of SIZE_MAX - 1 bytes: two adopted halves (never read, only counted).
ViewRep* huge_view() {
  static const char src[1] = {'a'};
  Buffer b;
  EXPECT_EQ(b.append_ref(src, SIZE_MAX / 2, nullptr, nullptr), Status::Ok);
  EXPECT_EQ(b.append_ref(src, SIZE_MAX / 2, nullptr, nullptr), Status::Ok);
  ViewRep* v = nullptr;
  EXPECT_EQ(b.split_to(SIZE_MAX - 1, &v), Status::Ok);
  return v;
}

TEST(Reliability, AppendViewLengthsCannotWrap) {
  ViewRep* v = huge_view();
  ASSERT_NE(v, nullptr);
  Buffer c;
  EXPECT_EQ(c.append_framed("0123456789", 10, v, nullptr, 0), Status::Limit);
  EXPECT_EQ(c.append_framed(nullptr, 0, v, "xy", 2), Status::Limit);
  ASSERT_EQ(c.append_view(v), Status::Ok);
  EXPECT_EQ(c.append_view(v), Status::Limit);
  EXPECT_EQ(c.size(), SIZE_MAX - 1);
  ViewRep* parts[2] = {v, v};
  ViewRep* both = nullptr;
  EXPECT_EQ(view_concat(parts, 2, &both), Status::Limit);
  view_release(v);
}

TEST(Reliability, LengthFramerRejectsFramesThatOverflow) {
  LengthFramerOptions o;
  o.length_width = 8;
  o.length_adjust = -2;  // encode adds 2 to the payload length
  LengthFramer* f = nullptr;
  ASSERT_EQ(LengthFramer::create(o, &f), Status::Ok);
  ViewRep* v = huge_view();
  ASSERT_NE(v, nullptr);
  Buffer out;
  EXPECT_EQ(f->encode(out, v), Status::FrameLimit);  // SIZE_MAX - 1 + 2 does not fit
  EXPECT_EQ(out.size(), 0u);
  view_release(v);

  Buffer in;  // a header announcing 2^64 - 1 bytes
  ASSERT_EQ(in.append("\xff\xff\xff\xff\xff\xff\xff\xff", 8), Status::Ok);
  ViewRep* frame = nullptr;
  EXPECT_NE(f->next(in, false, &frame), Status::Ok);
  EXPECT_EQ(in.size(), 8u);
  f->~LengthFramer();
  mem::free(f);
}

// A free callback that frees the buffer whose operation dropped its block.
struct SelfFree {
  Buffer* buf = nullptr;
  int calls = 0;
};

// A max_len of SIZE_MAX (a caller's "no limit") must not wrap round when
// the slack of an end of line or the delimiter's length is added to it:
// an unfinished line is NeedMore, never Limit.
TEST(Reliability, MaxLenOfSizeMaxIsNoLimit) {
  Buffer b;
  ASSERT_EQ(b.append("partial line\r", 13), Status::Ok);
  ViewRep* v = nullptr;
  char dst[64];
  size_t len = 0, n = 0;
  Record recs[4];
  auto no_records = [&](Status st) {  // a batch with nothing complete: Ok, none
    EXPECT_EQ(st, Status::Ok);
    EXPECT_EQ(n, 0u);
    if (v) view_release(v);
    v = nullptr;
  };
  for (Eol eol : {Eol::Crlf, Eol::CrlfStrict, Eol::Lf}) {  // the CR may start a CRLF
    EXPECT_EQ(b.take_line(eol, SIZE_MAX, &v), Status::NeedMore) << static_cast<int>(eol);
    EXPECT_EQ(b.read_line(eol, SIZE_MAX, dst, sizeof dst, &len), Status::NeedMore);
    no_records(b.take_lines(eol, SIZE_MAX, recs, 4, &n, &v));
  }
  EXPECT_EQ(b.take_until("\r\n!", 3, false, SIZE_MAX, &v), Status::NeedMore);
  no_records(b.take_records("\r\n!", 3, SIZE_MAX, recs, 4, &n, &v));
  EXPECT_EQ(b.size(), 13u);
  ASSERT_EQ(b.append("\n", 1), Status::Ok);
  ASSERT_EQ(b.read_line(Eol::Crlf, SIZE_MAX, dst, sizeof dst, &len), Status::Ok);
  EXPECT_EQ(std::string(dst, len), "partial line");
}

TEST(Reliability, FreeCallbackMayDestroyItsOwnBuffer) {
  static const char text[] = "adopted";
  for (int how = 0; how < 4; ++how) {
    SelfFree sf;
    sf.buf = new Buffer;
    ASSERT_EQ(sf.buf->append_ref(text, 7,
                                 [](void* ud) {
                                   auto* s = static_cast<SelfFree*>(ud);
                                   ++s->calls;
                                   delete s->buf;  // runs the destructor, which releases more blocks
                                   s->buf = nullptr;
                                 },
                                 &sf),
              Status::Ok);
    ASSERT_EQ(sf.buf->append("tail", 4), Status::Ok);
    ASSERT_EQ(sf.buf->append_ref(text, 7, nullptr, nullptr), Status::Ok);
    ViewRep* v = nullptr;
    switch (how) {
      case 0: EXPECT_EQ(sf.buf->advance(9), Status::Ok); break;
      case 1: EXPECT_EQ(sf.buf->advance(18), Status::Ok); break;
      case 2: {
        const void* p = nullptr;
        EXPECT_EQ(sf.buf->coalesce(10, &p), Status::Ok);
        break;
      }
      case 3:
        ASSERT_EQ(sf.buf->split_to(3, &v), Status::Ok);
        EXPECT_EQ(sf.buf->advance(4), Status::Ok);  // drops the buffer's last reference to the block
        EXPECT_EQ(sf.calls, 0);                    // the view still holds one
        view_release(v);
        break;
    }
    EXPECT_EQ(sf.calls, 1) << how;
    EXPECT_EQ(sf.buf, nullptr) << how;
  }
}

// take_line of a line that straddles an adopted block copies the line
// together and drops that block: its callback may free the buffer, but
// only once the line is out and its end dropped.
TEST(Reliability, FreeCallbackThatFreesTheBufferWaitsForTakeLine) {
  static const char text[] = "hello ";
  SelfFree sf;
  sf.buf = new Buffer;
  ASSERT_EQ(sf.buf->append_ref(text, 6,
                               [](void* ud) {
                                 auto* s = static_cast<SelfFree*>(ud);
                                 ++s->calls;
                                 delete s->buf;
                                 s->buf = nullptr;
                               },
                               &sf),
            Status::Ok);
  ASSERT_EQ(sf.buf->append("world\nnext", 11), Status::Ok);
  ViewRep* v = nullptr;
  ASSERT_EQ(sf.buf->take_line(Eol::Lf, 0, &v), Status::Ok);
  EXPECT_EQ(sf.calls, 1);
  EXPECT_EQ(sf.buf, nullptr);
  ASSERT_EQ(v->nseg, 1u);
  EXPECT_EQ(std::string(v->segs()[0].p, v->len), "hello world");
  view_release(v);
}

// Appending bytes the buffer itself lent (a coalesce or peek pointer into
// its write block): the append may slide the bytes down (the linear
// backend slides over them) or move them to a new block before it copies,
// and must copy what the pointer showed.
TEST(Reliability, AppendingTheBuffersOwnBytesCopiesWhatTheyWere) {
  for (bool linear : {false, true})
    for (int shape = 0; shape < 3; ++shape) {
      Buffer b;
      BufferOptions o;
      o.linear = linear;
      ASSERT_EQ(b.init(o), Status::Ok);
      std::string data;
      for (int i = 0; i < 4096; ++i) data += static_cast<char>('A' + i % 26);
      ASSERT_EQ(b.append(data.data(), data.size()), Status::Ok);
      std::string fill(b.capacity() - b.size(), '#');  // the write block full: the next append makes room
      for (size_t i = 0; i < fill.size(); ++i) fill[i] = static_cast<char>('a' + i % 26);
      ASSERT_EQ(b.append(fill.data(), fill.size()), Status::Ok);
      data += fill;
      const size_t cap = data.size();
      // keep: the bytes left; n: how many of them are appended again
      const size_t keep = shape == 0 ? cap * 3 / 4 : shape == 1 ? cap / 8 : cap - 10;
      const size_t n = shape == 0 ? cap / 8 : shape == 1 ? cap / 16 : 100;
      ASSERT_EQ(b.advance(cap - keep), Status::Ok);
      const void* p = nullptr;
      ASSERT_EQ(b.coalesce(n, &p), Status::Ok);
      ASSERT_EQ(b.append(p, n), Status::Ok);
      const std::string want = data.substr(cap - keep) + data.substr(cap - keep, n);
      std::string got(b.size(), '\0');
      size_t copied = 0;
      ASSERT_EQ(b.copy_out(0, got.data(), got.size(), &copied), Status::Ok);
      EXPECT_EQ(got, want) << "linear " << linear << " shape " << shape;
    }
}

TEST(Reliability, FreeCallbackMayCallBackIntoTheBuffer) {
  static const char text[] = "abc";
  struct Ctx {
    Buffer b;
    Status seen = Status::Io;
    size_t len = 0;
  } ctx;
  ASSERT_EQ(ctx.b.append_ref(text, 3,
                             [](void* ud) {
                               auto* c = static_cast<Ctx*>(ud);
                               c->seen = c->b.append("later", 5);  // runs once advance is done
                               c->len = c->b.size();
                             },
                             &ctx),
            Status::Ok);
  ASSERT_EQ(ctx.b.append("def", 3), Status::Ok);
  ASSERT_EQ(ctx.b.advance(4), Status::Ok);
  EXPECT_EQ(ctx.seen, Status::Ok);
  EXPECT_EQ(ctx.len, 7u);
  EXPECT_EQ(contents(ctx.b), "eflater");
}

TEST(Reliability, WriteToAClosedPipeReturnsIoWithoutSigpipe) {
  auto r = run_in_child(
      [] {
        signal(SIGPIPE, SIG_DFL);  // what a C host has: the default action kills
        int fds[2];
        if (pipe(fds) != 0) return 2;
        close(fds[0]);
        Buffer b;
        if (b.append("lost reader", 11) != Status::Ok) return 3;
        size_t n = 99;
        if (b.write_to_fd(fds[1], 0, &n) != Status::Io) return 4;
        if (n != 0 || b.size() != 11) return 5;  // nothing consumed
        if (std::string(last_error_detail()).find("Broken pipe") == std::string::npos) return 6;
        sigset_t pending;
        sigpending(&pending);
        if (sigismember(&pending, SIGPIPE)) return 7;  // consumed, not left for later
        sigset_t mask;
        pthread_sigmask(SIG_SETMASK, nullptr, &mask);
        if (sigismember(&mask, SIGPIPE)) return 8;  // the mask is restored
        return 0;
      },
      20000);
  EXPECT_TRUE(r.ok()) << r.describe();
}

TEST(Reliability, WriteToAClosedSocketReturnsIoWithoutSigpipe) {
  auto r = run_in_child(
      [] {
        signal(SIGPIPE, SIG_DFL);
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) return 2;
        close(sv[1]);
        Buffer b;
        if (b.append("gone", 4) != Status::Ok) return 3;
        size_t n = 0;
        if (b.write_to_fd(sv[0], 0, &n) != Status::Io) return 4;
        return b.size() == 4 ? 0 : 5;
      },
      20000);
  EXPECT_TRUE(r.ok()) << r.describe();
}

TEST(Reliability, AlreadyPendingSigpipeIsLeftPending) {
  auto r = run_in_child(
      [] {
        sigset_t pipe_set;
        sigemptyset(&pipe_set);
        sigaddset(&pipe_set, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_set, nullptr);
        raise(SIGPIPE);  // the host's own, pending
        int fds[2];
        if (pipe(fds) != 0) return 2;
        close(fds[0]);
        Buffer b;
        if (b.append("x", 1) != Status::Ok) return 3;
        size_t n = 0;
        if (b.write_to_fd(fds[1], 0, &n) != Status::Io) return 4;
        sigset_t pending;
        sigpending(&pending);
        return sigismember(&pending, SIGPIPE) ? 0 : 5;
      },
      20000);
  EXPECT_TRUE(r.ok()) << r.describe();
}

TEST(Reliability, MaxBytesBoundsAdoptedSegments) {
  Buffer b;
  BufferOptions o;
  o.max_bytes = 1 << 20;
  ASSERT_EQ(b.init(o), Status::Ok);
  static const char one[1] = {'z'};
  int freed = 0;
  for (int i = 0; i < (1 << 20); ++i)
    ASSERT_EQ(b.append_ref(one, 1, [](void* ud) { ++*static_cast<int*>(ud); }, &freed), Status::Ok) << i;
  EXPECT_EQ(b.size(), size_t{1} << 20);
  EXPECT_EQ(b.append_ref(one, 1, nullptr, nullptr), Status::Limit);
  // The metadata is bounded: past the budget, pieces are copied into blocks.
  EXPECT_LE(b.segment_count(), (size_t{1} << 20) / 256 + 1024);
  EXPECT_GE(freed, (1 << 20) - 4096);  // copied pieces were handed back at once
  b.clear();
  EXPECT_EQ(freed, 1 << 20);
}

TEST(Reliability, MaxBytesBoundsAppendedViewSegments) {
  Buffer src;
  static const char one[1] = {'v'};
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(src.append_ref(one, 1, nullptr, nullptr), Status::Ok);
  ViewRep* v = nullptr;
  ASSERT_EQ(src.split_to(1000, &v), Status::Ok);
  ASSERT_EQ(v->nseg, 1000u);
  Buffer b;
  BufferOptions o;
  o.max_bytes = 64 << 10;  // a budget of 256 segments
  ASSERT_EQ(b.init(o), Status::Ok);
  for (int i = 0; i < 60; ++i) ASSERT_EQ(b.append_view(v), Status::Ok);
  EXPECT_EQ(b.size(), 60000u);
  EXPECT_LE(b.segment_count(), 256u + 60u);
  EXPECT_EQ(contents(b), std::string(60000, 'v'));
  view_release(v);
}

TEST(Reliability, TenantQuotaCountsAdoptedMemory) {
  Pool* pool = Pool::create(PoolOptions{});
  ASSERT_NE(pool, nullptr);
  TenantRec* t = nullptr;
  ASSERT_EQ(pool->tenant(7, &t), Status::Ok);
  t->quota.store(4096);
  Buffer b;
  BufferOptions o;
  o.pool = pool;
  o.tenant = 7;
  ASSERT_EQ(b.init(o), Status::Ok);
  std::string big(16 << 20, 'q');
  int freed = 0;
  EXPECT_EQ(b.append_ref(big.data(), big.size(), [](void* ud) { ++*static_cast<int*>(ud); }, &freed),
            Status::Limit);
  EXPECT_EQ(freed, 1);
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(t->live.load(), 0u);
  ASSERT_EQ(b.append_ref(big.data(), 1000, nullptr, nullptr), Status::Ok);
  EXPECT_EQ(t->live.load(), 1000u + kAdoptOverhead);
  b.clear();
  EXPECT_EQ(t->live.load(), 0u);
  b.~Buffer();
  new (&b) Buffer;
  pool->release();
}

// A leak-report sink that calls back into the library (releasing a view
// takes the registry lock the report used to hold).
TEST(Reliability, LeakReportSinkMayCallBackIn) {
  auto r = run_in_child(
      [] {
        leaks::set_enabled(true);
        ViewRep* v = nullptr;
        if (view_from_bytes(Pool::default_pool(), "abc", 3, &v) != Status::Ok) return 2;
        struct Ctx {
          ViewRep* v;
          size_t inner = 0;
        } ctx{v};
        size_t n = leaks::report(
            nullptr,
            [](const char*, void* ud) {
              auto* c = static_cast<Ctx*>(ud);
              if (c->v) view_release(c->v);
              c->v = nullptr;
              c->inner = leaks::report(nullptr, nullptr, nullptr);
            },
            &ctx);
        leaks::set_enabled(false);
        return n == 2 && ctx.inner == 0 ? 0 : 3;
      },
      20000);
  EXPECT_TRUE(r.ok()) << r.describe();
}
