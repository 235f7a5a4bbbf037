// Hostile use through the C API: huge sizes, freeing under a reservation,
// free callbacks that call back in, writes to a closed pipe, a leak-report
// sink that calls back in, and adopted memory under quotas.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chunkbuf.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "../core/child_process.h"

using chunkbuf::test::run_in_child;

namespace {

chunkbuf_buffer* new_buffer() {
  chunkbuf_buffer* b = nullptr;
  EXPECT_EQ(chunkbuf_buffer_new(nullptr, &b), CHUNKBUF_OK);
  return b;
}

size_t len_of(const chunkbuf_buffer* b) {
  size_t n = 0;
  EXPECT_EQ(chunkbuf_buffer_len(b, &n), CHUNKBUF_OK);
  return n;
}

}  // namespace

TEST(CapiReliability, HugeSizesFailWithLimit) {
  chunkbuf_buffer* b = new_buffer();
  ASSERT_EQ(chunkbuf_buffer_append(b, "abc", 3), CHUNKBUF_OK);
  struct iovec iov[2];
  size_t cnt = 0;
  for (size_t n : {SIZE_MAX, SIZE_MAX - 32, SIZE_MAX - 63, SIZE_MAX / 2 + 1}) {
    EXPECT_EQ(chunkbuf_buffer_reserve(b, n, iov, 2, &cnt), CHUNKBUF_ELIMIT) << n;
    EXPECT_EQ(chunkbuf_buffer_append(b, "x", n), CHUNKBUF_ELIMIT) << n;
  }
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  size_t got = 0;
  EXPECT_EQ(chunkbuf_buffer_read_from_fd(b, fds[0], SIZE_MAX, &got), CHUNKBUF_ELIMIT);
  close(fds[0]);
  close(fds[1]);
  EXPECT_EQ(len_of(b), 3u);
  EXPECT_EQ(chunkbuf_buffer_commit(b, 0), CHUNKBUF_ENORESERVE);  // no reservation was left open
  chunkbuf_buffer_free(b);
}

TEST(CapiReliability, FreeWithAnOpenReservationIsRefused) {
  chunkbuf_buffer* b = new_buffer();
  struct iovec iov[1];
  size_t cnt = 0;
  ASSERT_EQ(chunkbuf_buffer_reserve(b, 100, iov, 1, &cnt), CHUNKBUF_OK);
  chunkbuf_buffer_free(b);  // refused: the span stays writable
  EXPECT_NE(std::strstr(chunkbuf_last_error(), "reservation is open"), nullptr) << chunkbuf_last_error();
  std::memset(iov[0].iov_base, 'w', 100);  // valid memory (ASan checks it)
  EXPECT_EQ(chunkbuf_buffer_commit(b, 100), CHUNKBUF_OK);
  EXPECT_EQ(len_of(b), 100u);
  chunkbuf_buffer_free(b);
  EXPECT_EQ(chunkbuf_buffer_len(b, &cnt), CHUNKBUF_EHANDLE);  // now really freed
}

namespace {
struct SelfFree {
  chunkbuf_buffer* buf;
  int calls;
};
void free_own_buffer(void* ud) {
  auto* s = static_cast<SelfFree*>(ud);
  ++s->calls;
  chunkbuf_buffer_free(s->buf);  // the buffer whose call dropped this block (a second free is a no-op)
}
}  // namespace

TEST(CapiReliability, FreeCallbackMayFreeItsOwnBuffer) {
  static const char text[] = "adopted bytes";
  for (int how = 0; how < 3; ++how) {
    SelfFree sf{new_buffer(), 0};
    ASSERT_EQ(chunkbuf_buffer_append_ref(sf.buf, text, 13, free_own_buffer, &sf), CHUNKBUF_OK);
    ASSERT_EQ(chunkbuf_buffer_append(sf.buf, "more", 4), CHUNKBUF_OK);
    ASSERT_EQ(chunkbuf_buffer_append_ref(sf.buf, text, 13, nullptr, nullptr), CHUNKBUF_OK);
    if (how == 0) {
      EXPECT_EQ(chunkbuf_buffer_advance(sf.buf, 15), CHUNKBUF_OK);
    }
    if (how == 1) chunkbuf_buffer_free(sf.buf);  // the callback frees it again
    if (how == 2) {
      chunkbuf_view* v = nullptr;
      ASSERT_EQ(chunkbuf_buffer_take_until(sf.buf, "more", 4, 1, 0, &v), CHUNKBUF_OK);
      EXPECT_EQ(sf.calls, 0);
      chunkbuf_view_release(v);  // the view held the block's last reference
      EXPECT_EQ(sf.calls, 1);
    }
    EXPECT_EQ(sf.calls, 1) << how;
    size_t n = 0;
    EXPECT_EQ(chunkbuf_buffer_len(sf.buf, &n), CHUNKBUF_EHANDLE) << how;
  }
}

TEST(CapiReliability, WriteToAClosedPipeIsEioNotSigpipe) {
  auto r = run_in_child(
      [] {
        signal(SIGPIPE, SIG_DFL);  // no SIG_IGN: a plain C host
        int fds[2];
        if (pipe(fds) != 0) return 2;
        close(fds[0]);
        chunkbuf_buffer* b = nullptr;
        if (chunkbuf_buffer_new(nullptr, &b) != CHUNKBUF_OK) return 3;
        chunkbuf_buffer_append(b, "data", 4);
        size_t n = 0;
        int rc = chunkbuf_buffer_write_to_fd(b, fds[1], 0, &n);
        if (rc != CHUNKBUF_EIO) return 4;
        if (!std::strstr(chunkbuf_last_error(), "Broken pipe")) return 5;
        chunkbuf_buffer_free(b);
        return 0;
      },
      20000);
  EXPECT_TRUE(r.ok()) << r.describe();
}

namespace {
struct SinkCtx {
  chunkbuf_view* to_release;
  size_t lines;
  int inner_rc;
};
void calling_back_sink(const char*, void* ud) {
  auto* c = static_cast<SinkCtx*>(ud);
  ++c->lines;
  if (c->to_release) {
    chunkbuf_view_release(c->to_release);  // takes the tracking registry's lock
    c->to_release = nullptr;
    size_t count = 0;
    c->inner_rc = chunkbuf_debug_report(nullptr, nullptr, nullptr, &count);
  }
}
}  // namespace

TEST(CapiReliability, LeakReportSinkMayCallBackIn) {
  auto r = run_in_child(
      [] {
        if (chunkbuf_debug_track(1) != CHUNKBUF_OK) return 2;
        chunkbuf_view* v = nullptr;
        if (chunkbuf_view_from_bytes(nullptr, "kept", 4, &v) != CHUNKBUF_OK) return 3;
        SinkCtx ctx{v, 0, -1};
        size_t count = 0;
        if (chunkbuf_debug_report(nullptr, calling_back_sink, &ctx, &count) != CHUNKBUF_OK) return 4;
        chunkbuf_debug_track(0);
        return (count == 2 && ctx.lines == 2 && ctx.inner_rc == CHUNKBUF_OK) ? 0 : 5;
      },
      20000);
  EXPECT_TRUE(r.ok()) << r.describe();
}

TEST(CapiReliability, TenantQuotaBoundsAdoptedMemory) {
  chunkbuf_pool* pool = nullptr;
  ASSERT_EQ(chunkbuf_pool_new(nullptr, &pool), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_pool_set_tenant_quota(pool, 9, 4096), CHUNKBUF_OK);
  chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
  o.pool = pool;
  o.tenant = 9;
  chunkbuf_buffer* b = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(&o, &b), CHUNKBUF_OK);
  std::string big(16 << 20, 'q');
  EXPECT_EQ(chunkbuf_buffer_append_ref(b, big.data(), big.size(), nullptr, nullptr), CHUNKBUF_ELIMIT);
  size_t live = 1;
  ASSERT_EQ(chunkbuf_pool_tenant_usage(pool, 9, &live), CHUNKBUF_OK);
  EXPECT_EQ(live, 0u);
  ASSERT_EQ(chunkbuf_buffer_append_ref(b, big.data(), 1000, nullptr, nullptr), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_pool_tenant_usage(pool, 9, &live), CHUNKBUF_OK);
  EXPECT_GE(live, 1000u);  // the bytes and their bookkeeping
  chunkbuf_buffer_free(b);
  ASSERT_EQ(chunkbuf_pool_tenant_usage(pool, 9, &live), CHUNKBUF_OK);
  EXPECT_EQ(live, 0u);
  chunkbuf_pool_free(pool);
}

TEST(CapiReliability, MaxBytesBoundsOneByteAdoptions) {
  chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
  o.max_bytes = 1 << 20;
  chunkbuf_buffer* b = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(&o, &b), CHUNKBUF_OK);
  static const char one[1] = {'1'};
  for (int i = 0; i < (1 << 20); ++i) ASSERT_EQ(chunkbuf_buffer_append_ref(b, one, 1, nullptr, nullptr), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_buffer_append_ref(b, one, 1, nullptr, nullptr), CHUNKBUF_ELIMIT);
  size_t segs = 0;
  ASSERT_EQ(chunkbuf_buffer_segment_count(b, &segs), CHUNKBUF_OK);
  EXPECT_LE(segs, 8192u);  // not a million block headers
  chunkbuf_buffer_free(b);
}
