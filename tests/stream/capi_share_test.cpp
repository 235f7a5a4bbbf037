// The 0.2 stream calls through the C API: retain/release with blocked
// readers, cancel tokens, error structs filled by the failing call, and
// hand-outs (peek + consume). Wake-up tests wait on chunkbuf_stream_waiting.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "chunkbuf.h"

namespace {

template <typename Pred>
bool eventually(Pred pred) {
  auto t0 = std::chrono::steady_clock::now();
  while (!pred()) {
    if (std::chrono::steady_clock::now() - t0 > std::chrono::seconds(10)) return false;
    std::this_thread::yield();
  }
  return true;
}

size_t readers_waiting(chunkbuf_stream* s) {
  size_t r = 0;
  EXPECT_EQ(chunkbuf_stream_waiting(s, &r, nullptr), CHUNKBUF_OK);
  return r;
}

std::string view_bytes(chunkbuf_view* v) {
  size_t len = 0, got = 0;
  EXPECT_EQ(chunkbuf_view_len(v, &len), CHUNKBUF_OK);
  std::string out(len, '\0');
  EXPECT_EQ(chunkbuf_view_copy_out(v, 0, out.data(), len, &got), CHUNKBUF_OK);
  chunkbuf_view_release(v);
  return out;
}

TEST(StreamShareCapi, FreeIsReleaseOfTheCreatorsReference) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_retain(s), CHUNKBUF_OK);  // the host's reference
  chunkbuf_stream_free(s);                          // the creator lets go
  ASSERT_EQ(chunkbuf_stream_write(s, "x", 1, -1), CHUNKBUF_OK);  // still alive
  chunkbuf_stream_release(s);
  EXPECT_EQ(chunkbuf_stream_write(s, "x", 1, -1), CHUNKBUF_EHANDLE);
  EXPECT_NE(std::string(chunkbuf_last_error()).find("freed"), std::string::npos);
  EXPECT_EQ(chunkbuf_stream_retain(s), CHUNKBUF_EHANDLE);
  chunkbuf_stream_release(s);  // stale: detected, ignored
  chunkbuf_stream_release(nullptr);
}

TEST(StreamShareCapi, ReleaseOrdersWithABlockedReader) {
  // order 0: the reader holds its own reference and outlives the creator;
  // order 1: the creator's release is the last and wakes the reader.
  for (int order = 0; order < 2; ++order) {
    chunkbuf_stream* s = nullptr;
    ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
    if (order == 0) {
      ASSERT_EQ(chunkbuf_stream_retain(s), CHUNKBUF_OK);
    }
    int rc = 1;
    chunkbuf_error err = CHUNKBUF_ERROR_INIT;
    char buf[8];
    size_t n = 0;
    std::thread reader([&] {
      chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
      w.error = &err;
      rc = chunkbuf_stream_read_into(s, buf, sizeof buf, 1, &w, &n);
      if (order == 0) chunkbuf_stream_release(s);
    });
    ASSERT_TRUE(eventually([&] { return readers_waiting(s) == 1; }));
    if (order == 0) {
      ASSERT_EQ(chunkbuf_stream_write(s, "hi", 2, -1), CHUNKBUF_OK);
      chunkbuf_stream_free(s);  // before or after the reader's release: either is fine
      reader.join();
      EXPECT_EQ(rc, CHUNKBUF_OK);
      EXPECT_EQ(std::string(buf, n), "hi");
      EXPECT_EQ(err.code, CHUNKBUF_OK);
      EXPECT_STREQ(err.message, "");
    } else {
      chunkbuf_stream_free(s);  // returns once the reader has left
      reader.join();
      EXPECT_EQ(rc, CHUNKBUF_EHANDLE);
      EXPECT_EQ(err.code, CHUNKBUF_EHANDLE);
      EXPECT_NE(std::strstr(err.message, "released while this call waited"), nullptr) << err.message;
    }
  }
}

uint64_t bytes_in_use(chunkbuf_pool* pool) {
  chunkbuf_pool_stats st = CHUNKBUF_POOL_STATS_INIT;
  EXPECT_EQ(chunkbuf_pool_stats_get(pool, &st), CHUNKBUF_OK);
  return st.bytes_in_use;
}

// A large write copying outside the stream's lock (readers have bytes to
// take) when the last reference goes: the release returns only once the
// write is back, and the write reports EHANDLE in its error struct.
TEST(StreamShareCapi, LastReleaseWaitsForALargeWriteInProgress) {
  chunkbuf_pool* pool = nullptr;
  ASSERT_EQ(chunkbuf_pool_new(nullptr, &pool), CHUNKBUF_OK);
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  o.pool = pool;
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_write(s, "x", 1, -1), CHUNKBUF_OK);
  const uint64_t before = bytes_in_use(pool);
  const std::string big(64 << 20, 'w');
  int rc = 1;
  chunkbuf_error err = CHUNKBUF_ERROR_INIT;
  std::thread writer([&] {
    chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
    w.error = &err;
    rc = chunkbuf_stream_write_wait(s, big.data(), big.size(), &w);
  });
  ASSERT_TRUE(eventually([&] { return bytes_in_use(pool) >= before + big.size(); }));  // its room is claimed
  chunkbuf_stream_release(s);
  writer.join();
  if (rc == CHUNKBUF_EHANDLE) {
    EXPECT_EQ(err.code, CHUNKBUF_EHANDLE);
  } else {
    EXPECT_EQ(rc, CHUNKBUF_OK);  // the release came after the write was added
  }
  EXPECT_EQ(bytes_in_use(pool), 0u);
  chunkbuf_pool_free(pool);
}

TEST(StreamShareCapi, CancelWakesOneCallAndTheErrorStructCarriesTheDetail) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_write(s, "kept", 4, -1), CHUNKBUF_OK);
  chunkbuf_cancel* c = nullptr;
  ASSERT_EQ(chunkbuf_cancel_new(&c), CHUNKBUF_OK);
  int fired = 1;
  ASSERT_EQ(chunkbuf_cancel_fired(c, &fired), CHUNKBUF_OK);
  EXPECT_EQ(fired, 0);
  chunkbuf_error err = CHUNKBUF_ERROR_INIT;
  int rc = 1;
  std::thread reader([&] {
    chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
    w.cancel = c;
    w.error = &err;
    chunkbuf_view* v = nullptr;
    chunkbuf_handout h;
    rc = chunkbuf_stream_peek(s, 100, CHUNKBUF_NPOS, &w, &v, &h);
  });
  ASSERT_TRUE(eventually([&] { return readers_waiting(s) == 1; }));
  ASSERT_EQ(chunkbuf_cancel_fire(c), CHUNKBUF_OK);
  reader.join();
  EXPECT_EQ(rc, CHUNKBUF_ECANCELED);
  EXPECT_EQ(err.code, CHUNKBUF_ECANCELED);
  EXPECT_NE(std::strstr(err.message, "canceled"), nullptr) << err.message;
  EXPECT_STREQ(chunkbuf_strerror(CHUNKBUF_ECANCELED), "blocking call canceled");
  ASSERT_EQ(chunkbuf_cancel_fired(c, &fired), CHUNKBUF_OK);
  EXPECT_EQ(fired, 1);
  size_t n = 0;
  ASSERT_EQ(chunkbuf_stream_readable_amount(s, &n), CHUNKBUF_OK);
  EXPECT_EQ(n, 4u);  // nothing consumed
  ASSERT_EQ(chunkbuf_cancel_reset(c), CHUNKBUF_OK);
  chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
  w.cancel = c;
  char buf[4];
  ASSERT_EQ(chunkbuf_stream_read_into(s, buf, 4, 4, &w, &n), CHUNKBUF_OK);
  EXPECT_EQ(std::string(buf, n), "kept");
  chunkbuf_cancel_free(c);
  chunkbuf_stream_free(s);
}

// A fire wakes the calls using the token even when the token is reset at
// once, before a woken call has looked: the reset serves later calls only.
TEST(StreamShareCapi, AFireResetAtOnceStillCancelsTheCallsItWoke) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  chunkbuf_cancel* c = nullptr;
  ASSERT_EQ(chunkbuf_cancel_new(&c), CHUNKBUF_OK);
  for (int round = 0; round < 50; round++) {
    int rc = 1;
    std::thread reader([&] {
      chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
      w.cancel = c;
      char buf[4];
      size_t n = 0;
      rc = chunkbuf_stream_read_into(s, buf, sizeof buf, 1, &w, &n);
    });
    ASSERT_TRUE(eventually([&] { return readers_waiting(s) == 1; }));
    ASSERT_EQ(chunkbuf_cancel_fire(c), CHUNKBUF_OK);
    ASSERT_EQ(chunkbuf_cancel_reset(c), CHUNKBUF_OK);
    const bool woke = eventually([&] { return readers_waiting(s) == 0; });
    if (!woke) chunkbuf_stream_write(s, "x", 1, -1);  // ends a read the fire missed
    reader.join();
    ASSERT_TRUE(woke) << "round " << round;
    ASSERT_EQ(rc, CHUNKBUF_ECANCELED) << "round " << round;
  }
  chunkbuf_wait w = CHUNKBUF_WAIT_INIT;  // the reset token serves a new call
  w.cancel = c;
  ASSERT_EQ(chunkbuf_stream_write(s, "ok", 2, -1), CHUNKBUF_OK);
  char buf[2];
  size_t n = 0;
  ASSERT_EQ(chunkbuf_stream_read_into(s, buf, 2, 2, &w, &n), CHUNKBUF_OK);
  EXPECT_EQ(n, 2u);
  chunkbuf_cancel_free(c);
  chunkbuf_stream_free(s);
}

// The binding may drop its token while a call still uses it: the call's own
// reference keeps it valid, and its return frees it.
TEST(StreamShareCapi, ATokenFreedDuringACallLivesUntilTheCallReturns) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  chunkbuf_cancel* c = nullptr;
  ASSERT_EQ(chunkbuf_cancel_new(&c), CHUNKBUF_OK);
  int rc = 1;
  size_t n = 0;
  char buf[2];
  std::thread reader([&] {
    chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
    w.cancel = c;
    rc = chunkbuf_stream_read_into(s, buf, 2, 2, &w, &n);
  });
  ASSERT_TRUE(eventually([&] { return readers_waiting(s) == 1; }));
  chunkbuf_cancel_free(c);
  ASSERT_EQ(chunkbuf_stream_write(s, "ok", 2, -1), CHUNKBUF_OK);
  reader.join();
  EXPECT_EQ(rc, CHUNKBUF_OK);
  EXPECT_EQ(std::string(buf, n), "ok");
  // The call's return freed the token on the reader's thread, which has
  // exited since: its quarantine went with it, so c must not be touched now
  // (ASan reports any use; LSan any leak of the token).
  chunkbuf_stream_free(s);
}

TEST(StreamShareCapi, TimeoutsAndOlderWaitStructs) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  char buf[4];
  size_t n = 0;
  chunkbuf_error err = CHUNKBUF_ERROR_INIT;
  chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
  w.timeout_ms = 0;
  w.error = &err;
  EXPECT_EQ(chunkbuf_stream_read_into(s, buf, 4, 1, &w, &n), CHUNKBUF_EAGAIN);
  EXPECT_EQ(err.code, CHUNKBUF_EAGAIN);
  w.timeout_ms = 5;
  EXPECT_EQ(chunkbuf_stream_read_into(s, buf, 4, 1, &w, &n), CHUNKBUF_ETIMEDOUT);
  EXPECT_EQ(err.code, CHUNKBUF_ETIMEDOUT);
  // A struct from a caller that only knew struct_size and timeout_ms: the
  // rest defaults (no token, no error struct).
  w.struct_size = offsetof(chunkbuf_wait, cancel);
  w.timeout_ms = 0;
  err.code = 99;
  EXPECT_EQ(chunkbuf_stream_read_into(s, buf, 4, 1, &w, &n), CHUNKBUF_EAGAIN);
  EXPECT_EQ(err.code, 99);  // not this struct's business
  // A newer, larger struct is refused before anything happens.
  w.struct_size = sizeof w + 8;
  EXPECT_EQ(chunkbuf_stream_read_into(s, buf, 4, 1, &w, &n), CHUNKBUF_EVERSION);
  // An older error struct gets what fits.
  struct {
    size_t struct_size;
    int code;
    char message[12];
  } small = {sizeof small, 0, {0}};
  static_assert(sizeof small == offsetof(chunkbuf_error, message) + 12, "no tail padding");
  w = CHUNKBUF_WAIT_INIT;
  w.timeout_ms = 0;
  w.error = reinterpret_cast<chunkbuf_error*>(&small);
  EXPECT_EQ(chunkbuf_stream_read_into(s, buf, 4, 1, &w, &n), CHUNKBUF_EAGAIN);
  EXPECT_EQ(small.code, CHUNKBUF_EAGAIN);
  EXPECT_EQ(std::strlen(small.message), 11u);  // cut to fit, NUL-terminated
  chunkbuf_stream_free(s);
}

TEST(StreamShareCapi, PeekThenConsumeExactlyWhatWasHandedOut) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_write(s, "abc", 3, -1), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_write(s, "def", 3, -1), CHUNKBUF_OK);
  chunkbuf_view* v = nullptr;
  chunkbuf_handout h;
  ASSERT_EQ(chunkbuf_stream_peek(s, 1, CHUNKBUF_NPOS, nullptr, &v, &h), CHUNKBUF_OK);
  struct iovec iov[4];
  size_t k = 0;
  ASSERT_EQ(chunkbuf_view_segments(v, 0, iov, 4, &k), CHUNKBUF_OK);
  EXPECT_GE(k, 1u);
  EXPECT_EQ(view_bytes(v), "abcdef");
  EXPECT_EQ(h.position, 0u);
  EXPECT_EQ(h.length, 6u);
  chunkbuf_error err = CHUNKBUF_ERROR_INIT;
  EXPECT_EQ(chunkbuf_stream_consume(s, &h, 7, &err), CHUNKBUF_ERANGE);
  EXPECT_EQ(err.code, CHUNKBUF_ERANGE);
  ASSERT_EQ(chunkbuf_stream_consume(s, &h, 2, &err), CHUNKBUF_OK);
  EXPECT_EQ(err.code, CHUNKBUF_OK);
  EXPECT_EQ(h.position, 2u);
  char buf[2];
  size_t n = 0;
  ASSERT_EQ(chunkbuf_stream_read(s, buf, 1, -1, &n), CHUNKBUF_OK);  // another reader
  EXPECT_EQ(chunkbuf_stream_consume(s, &h, 1, &err), CHUNKBUF_ESTATE);
  EXPECT_NE(std::strstr(err.message, "another reader"), nullptr) << err.message;
  ASSERT_EQ(chunkbuf_stream_readable_amount(s, &n), CHUNKBUF_OK);
  EXPECT_EQ(n, 3u);
  chunkbuf_stream_free(s);
}

// A hand-out is caller memory: one from another stream (or a forged one)
// that claims more than this stream holds is refused, in both modes.
TEST(StreamShareCapi, ConsumeRefusesAHandOutLongerThanWhatIsUnread) {
  for (int retain : {0, 1}) {
    chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
    o.retain = retain;
    chunkbuf_stream* s = nullptr;
    ASSERT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_OK);
    ASSERT_EQ(chunkbuf_stream_write(s, "0123456789", 10, -1), CHUNKBUF_OK);
    chunkbuf_handout forged = {0, 4096};
    chunkbuf_error err = CHUNKBUF_ERROR_INIT;
    EXPECT_EQ(chunkbuf_stream_consume(s, &forged, 100, &err), CHUNKBUF_ERANGE) << "retain " << retain;
    EXPECT_EQ(forged.position, 0u);
    size_t n = 0;
    ASSERT_EQ(chunkbuf_stream_readable_amount(s, &n), CHUNKBUF_OK);
    EXPECT_EQ(n, 10u);  // nothing consumed
    ASSERT_EQ(chunkbuf_stream_consume(s, &forged, 10, &err), CHUNKBUF_OK);  // what is there may go
    ASSERT_EQ(chunkbuf_stream_readable_amount(s, &n), CHUNKBUF_OK);
    EXPECT_EQ(n, 0u);
    chunkbuf_stream_free(s);
  }
}

// Eight C API readers through peek + consume: each byte reaches one reader.
TEST(StreamShareCapi, EightReadersNeverShareAByte) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  constexpr int kReaders = 8;
  constexpr size_t kBytes = 1 << 16;
  std::vector<size_t> taken(kReaders, 0);
  std::vector<std::string> bad(kReaders);
  std::vector<std::thread> ts;
  for (int r = 0; r < kReaders; ++r)
    ts.emplace_back([&, r] {
      for (;;) {
        chunkbuf_view* v = nullptr;
        chunkbuf_handout h;
        int rc = chunkbuf_stream_peek(s, 1, 64, nullptr, &v, &h);
        if (rc != CHUNKBUF_OK) {
          bad[r] = "peek failed";
          return;
        }
        std::string got = view_bytes(v);
        if (got.empty()) return;  // EOF
        rc = chunkbuf_stream_consume(s, &h, got.size(), nullptr);
        if (rc == CHUNKBUF_ESTATE) continue;
        if (rc != CHUNKBUF_OK) {
          bad[r] = "consume failed";
          return;
        }
        for (size_t i = 0; i < got.size(); ++i)  // byte at position p holds p % 251
          if (static_cast<unsigned char>(got[i]) != (h.position - got.size() + i) % 251) bad[r] = "wrong byte";
        taken[r] += got.size();
      }
    });
  std::string data(kBytes, '\0');
  for (size_t i = 0; i < kBytes; ++i) data[i] = static_cast<char>(i % 251);
  for (size_t off = 0; off < kBytes; off += 1000)
    ASSERT_EQ(chunkbuf_stream_write(s, data.data() + off, std::min<size_t>(1000, kBytes - off), -1), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_close(s), CHUNKBUF_OK);
  size_t total = 0;
  for (int r = 0; r < kReaders; ++r) {
    ts[r].join();
    EXPECT_EQ(bad[r], "") << "reader " << r;
    total += taken[r];
  }
  EXPECT_EQ(total, kBytes);
  chunkbuf_stream_free(s);
}

}  // namespace

namespace {

size_t writers_waiting(chunkbuf_stream* s) {
  size_t w = 0;
  EXPECT_EQ(chunkbuf_stream_waiting(s, nullptr, &w), CHUNKBUF_OK);
  return w;
}

TEST(StreamShareCapi, ACancelWakesABlockedWriteWaitAndNothingIsWritten) {
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  o.high_water = 4;
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_write_wait(s, "full", 4, nullptr), CHUNKBUF_OK);
  chunkbuf_cancel* c = nullptr;
  ASSERT_EQ(chunkbuf_cancel_new(&c), CHUNKBUF_OK);
  chunkbuf_error err = CHUNKBUF_ERROR_INIT;
  int rc = 1;
  std::thread writer([&] {
    chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
    w.cancel = c;
    w.error = &err;
    rc = chunkbuf_stream_write_wait(s, "more", 4, &w);
  });
  ASSERT_TRUE(eventually([&] { return writers_waiting(s) == 1; }));
  ASSERT_EQ(chunkbuf_cancel_fire(c), CHUNKBUF_OK);
  writer.join();
  EXPECT_EQ(rc, CHUNKBUF_ECANCELED);
  EXPECT_EQ(err.code, CHUNKBUF_ECANCELED);
  EXPECT_NE(std::strstr(err.message, "canceled"), nullptr) << err.message;
  chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
  w.timeout_ms = 0;
  w.error = &err;
  EXPECT_EQ(chunkbuf_stream_write_wait(s, "more", 4, &w), CHUNKBUF_EAGAIN);  // still at the mark
  EXPECT_EQ(err.code, CHUNKBUF_EAGAIN);
  char buf[8];
  size_t n = 0;
  ASSERT_EQ(chunkbuf_stream_read_into(s, buf, sizeof buf, 0, nullptr, &n), CHUNKBUF_OK);
  EXPECT_EQ(std::string(buf, n), "full");  // the canceled write left nothing
  ASSERT_EQ(chunkbuf_stream_write_wait(s, "more", 4, &w), CHUNKBUF_OK);
  EXPECT_EQ(err.code, CHUNKBUF_OK);
  chunkbuf_cancel_free(c);
  chunkbuf_stream_free(s);
}

// write_view_wait and write_ref_wait held by the high-water mark: a cancel
// wakes each with nothing written and the stream untouched (not aborted);
// the adopted memory's free_fn runs exactly once, also when nothing was
// written and when the call is refused outright.
TEST(StreamShareCapi, ZeroCopyWritesWaitCancellablyAndFreeOnce) {
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  o.high_water = 4;
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_write_wait(s, "full", 4, nullptr), CHUNKBUF_OK);
  chunkbuf_view* v = nullptr;
  ASSERT_EQ(chunkbuf_view_from_bytes(nullptr, "view", 4, &v), CHUNKBUF_OK);
  static const char kRef[] = "ref!";
  std::atomic<int> frees{0};
  auto count_free = [](void* ud) { static_cast<std::atomic<int>*>(ud)->fetch_add(1); };
  for (int which = 0; which < 2; ++which) {
    chunkbuf_cancel* c = nullptr;
    ASSERT_EQ(chunkbuf_cancel_new(&c), CHUNKBUF_OK);
    chunkbuf_error err = CHUNKBUF_ERROR_INIT;
    int rc = 1;
    std::thread writer([&] {
      chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
      w.cancel = c;
      w.error = &err;
      rc = which == 0 ? chunkbuf_stream_write_view_wait(s, v, &w)
                      : chunkbuf_stream_write_ref_wait(s, kRef, 4, count_free, &frees, &w);
    });
    ASSERT_TRUE(eventually([&] { return writers_waiting(s) == 1; }));
    ASSERT_EQ(chunkbuf_cancel_fire(c), CHUNKBUF_OK);
    writer.join();
    EXPECT_EQ(rc, CHUNKBUF_ECANCELED) << which;
    EXPECT_EQ(err.code, CHUNKBUF_ECANCELED) << which;
    chunkbuf_cancel_free(c);
  }
  EXPECT_EQ(frees.load(), 1);  // the canceled write_ref gave its memory back
  int code = 0;
  EXPECT_EQ(chunkbuf_stream_abort_code(s, &code), CHUNKBUF_ESTATE);  // not aborted
  // Refused before anything is adopted: free_fn still runs, once.
  EXPECT_EQ(chunkbuf_stream_write_ref_wait(s, nullptr, 4, count_free, &frees, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(frees.load(), 2);
  // Room again: both zero-copy writes go in, and the adopted bytes are
  // freed once the reader has taken them.
  char buf[16];
  size_t n = 0;
  ASSERT_EQ(chunkbuf_stream_read_into(s, buf, sizeof buf, 0, nullptr, &n), CHUNKBUF_OK);
  EXPECT_EQ(std::string(buf, n), "full");
  chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
  w.timeout_ms = 0;
  ASSERT_EQ(chunkbuf_stream_write_view_wait(s, v, &w), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_read_into(s, buf, sizeof buf, 0, nullptr, &n), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_write_ref_wait(s, kRef, 4, count_free, &frees, &w), CHUNKBUF_OK);
  EXPECT_EQ(frees.load(), 2);  // still referenced
  ASSERT_EQ(chunkbuf_stream_read_into(s, buf + 4, sizeof buf - 4, 0, nullptr, &n), CHUNKBUF_OK);
  EXPECT_EQ(std::string(buf, 8), "viewref!");
  EXPECT_EQ(frees.load(), 3);
  chunkbuf_view_release(v);
  chunkbuf_stream_free(s);
}

// Releasing the last reference wakes a write_view_wait held by the mark
// with EHANDLE, without an abort.
TEST(StreamShareCapi, ReleaseWakesAZeroCopyWriteWait) {
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  o.high_water = 1;
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_write_wait(s, "x", 1, nullptr), CHUNKBUF_OK);
  chunkbuf_view* v = nullptr;
  ASSERT_EQ(chunkbuf_view_from_bytes(nullptr, "blocked", 7, &v), CHUNKBUF_OK);
  int rc = 1;
  std::thread writer([&] { rc = chunkbuf_stream_write_view_wait(s, v, nullptr); });
  ASSERT_TRUE(eventually([&] { return writers_waiting(s) == 1; }));
  chunkbuf_stream_release(s);  // the creator's, and last, reference
  writer.join();
  EXPECT_EQ(rc, CHUNKBUF_EHANDLE);
  chunkbuf_view_release(v);
}

// A reader blocked in read_into gets a write copied straight into its
// memory: the stream, limited to 2 bytes, never holds the 10.
TEST(StreamShareCapi, AWriteFillsABlockedReadIntoDirectly) {
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  o.max_bytes = 2;
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_OK);
  char buf[32];
  size_t n = 0;
  int rc = 1;
  std::thread reader([&] { rc = chunkbuf_stream_read_into(s, buf, sizeof buf, 1, nullptr, &n); });
  ASSERT_TRUE(eventually([&] { return readers_waiting(s) == 1; }));
  ASSERT_EQ(chunkbuf_stream_write(s, "0123456789", 10, -1), CHUNKBUF_OK);
  reader.join();
  EXPECT_EQ(rc, CHUNKBUF_OK);
  EXPECT_EQ(std::string(buf, n), "0123456789");
  EXPECT_EQ(chunkbuf_stream_write(s, "0123456789", 10, -1), CHUNKBUF_ELIMIT);  // nobody waits now
  chunkbuf_stream_free(s);
}

}  // namespace
