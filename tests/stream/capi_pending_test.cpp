// chunkbuf_stream_read_start / chunkbuf_read_op_finish: a read that waits
// without a blocked thread, through the C API. The armed read holds its
// own reference to the stream, its callback runs once per arming, and
// finish returns every byte a writer handed it, also when canceled.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "chunkbuf.h"

namespace {

// A parked task: the callback wakes it, as a goroutine's channel would.
struct Parked {
  std::mutex mu;
  std::condition_variable cv;
  int wakes = 0;
  static void ready(void* arg) {
    auto* p = static_cast<Parked*>(arg);
    std::lock_guard<std::mutex> lk(p->mu);
    ++p->wakes;
    p->cv.notify_all();
  }
  // Waits (up to 10 s, so a broken engine fails instead of hanging) for
  // wake number n.
  bool wait_for(int n) {
    std::unique_lock<std::mutex> lk(mu);
    return cv.wait_for(lk, std::chrono::seconds(10), [&] { return wakes >= n; });
  }
};

size_t readers_waiting(chunkbuf_stream* s) {
  size_t r = 0;
  EXPECT_EQ(chunkbuf_stream_waiting(s, &r, nullptr), CHUNKBUF_OK);
  return r;
}

TEST(StreamPendingCapi, AWriterOnAnotherThreadWakesTheParkedRead) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  Parked park;
  char buf[32];
  chunkbuf_read_op* op = nullptr;
  size_t n = 9;
  chunkbuf_error err = CHUNKBUF_ERROR_INIT;
  ASSERT_EQ(chunkbuf_stream_read_start(s, buf, sizeof buf, 1, &Parked::ready, &park, &op, &n, &err), CHUNKBUF_OK);
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(err.code, CHUNKBUF_OK);
  EXPECT_EQ(readers_waiting(s), 1u);
  int wst = CHUNKBUF_OK;
  std::thread w([&] { wst = chunkbuf_stream_write(s, "from the writer", 15, -1); });
  ASSERT_TRUE(park.wait_for(1));
  w.join();
  EXPECT_EQ(wst, CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_read_op_finish(op, 0, &n, &err), CHUNKBUF_OK);
  EXPECT_EQ(std::string(buf, n), "from the writer");
  EXPECT_EQ(readers_waiting(s), 0u);
  EXPECT_EQ(park.wakes, 1);
  chunkbuf_stream_release(s);
}

TEST(StreamPendingCapi, WhatIsUnreadComesBackAtOnceWithoutAnOp) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_write(s, "abc", 3, -1), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_close(s), CHUNKBUF_OK);
  Parked park;
  char buf[8];
  chunkbuf_read_op* op = reinterpret_cast<chunkbuf_read_op*>(&park);  // overwritten with NULL
  size_t n = 0;
  ASSERT_EQ(chunkbuf_stream_read_start(s, buf, sizeof buf, 1, &Parked::ready, &park, &op, &n, nullptr), CHUNKBUF_OK);
  EXPECT_EQ(op, nullptr);
  EXPECT_EQ(std::string(buf, n), "abc");
  ASSERT_EQ(chunkbuf_stream_read_start(s, buf, sizeof buf, 1, &Parked::ready, &park, &op, &n, nullptr), CHUNKBUF_OK);
  EXPECT_EQ(op, nullptr);
  EXPECT_EQ(n, 0u);  // end of file
  EXPECT_EQ(park.wakes, 0);
  chunkbuf_stream_release(s);
}

TEST(StreamPendingCapi, TheArmedReadHoldsTheStream) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  chunkbuf_stream* writer = s;
  ASSERT_EQ(chunkbuf_stream_retain(writer), CHUNKBUF_OK);  // a writer's reference
  Parked park;
  char buf[8];
  chunkbuf_read_op* op = nullptr;
  size_t n = 0;
  ASSERT_EQ(chunkbuf_stream_read_start(s, buf, sizeof buf, 4, &Parked::ready, &park, &op, &n, nullptr), CHUNKBUF_OK);
  ASSERT_NE(op, nullptr);
  chunkbuf_stream_release(s);  // the reader's own reference goes: the op still holds one
  ASSERT_EQ(chunkbuf_stream_write(writer, "wxyz", 4, -1), CHUNKBUF_OK);
  EXPECT_EQ(park.wakes, 1);
  chunkbuf_stream_release(writer);  // the writer's goes too: the op's is the last
  ASSERT_EQ(chunkbuf_read_op_finish(op, 0, &n, nullptr), CHUNKBUF_OK);  // frees the stream
  EXPECT_EQ(std::string(buf, n), "wxyz");
  EXPECT_EQ(chunkbuf_stream_write(writer, "x", 1, -1), CHUNKBUF_EHANDLE);
}

TEST(StreamPendingCapi, CancelLosesNoByte) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  Parked park;
  char buf[4];
  chunkbuf_read_op* op = nullptr;
  size_t n = 0;
  ASSERT_EQ(chunkbuf_stream_read_start(s, buf, sizeof buf, 1, &Parked::ready, &park, &op, &n, nullptr), CHUNKBUF_OK);
  chunkbuf_error err = CHUNKBUF_ERROR_INIT;
  EXPECT_EQ(chunkbuf_read_op_finish(op, 0, &n, &err), CHUNKBUF_EAGAIN);  // not ready: still armed
  EXPECT_EQ(err.code, CHUNKBUF_EAGAIN);
  ASSERT_EQ(chunkbuf_stream_write(s, "123456", 6, -1), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_read_op_finish(op, 1, &n, nullptr), CHUNKBUF_OK);  // canceled late: the bytes are its own
  EXPECT_EQ(std::string(buf, n), "1234");
  ASSERT_EQ(chunkbuf_stream_read_start(s, buf, sizeof buf, 4, &Parked::ready, &park, &op, &n, nullptr), CHUNKBUF_OK);
  ASSERT_NE(op, nullptr);  // 2 unread, 4 wanted
  EXPECT_EQ(chunkbuf_read_op_finish(op, 1, &n, &err), CHUNKBUF_ECANCELED);
  EXPECT_NE(std::strstr(err.message, "canceled"), nullptr) << err.message;
  size_t unread = 0;
  ASSERT_EQ(chunkbuf_stream_readable_amount(s, &unread), CHUNKBUF_OK);
  EXPECT_EQ(unread, 2u);  // nothing consumed
  EXPECT_EQ(readers_waiting(s), 0u);
  chunkbuf_stream_release(s);
}

TEST(StreamPendingCapi, AbortWakesAndFails) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  Parked park;
  char buf[4];
  chunkbuf_read_op* op = nullptr;
  size_t n = 0;
  ASSERT_EQ(chunkbuf_stream_read_start(s, buf, sizeof buf, 1, &Parked::ready, &park, &op, &n, nullptr), CHUNKBUF_OK);
  std::thread a([&] { chunkbuf_stream_abort(s, 3); });
  ASSERT_TRUE(park.wait_for(1));
  a.join();
  EXPECT_EQ(chunkbuf_read_op_finish(op, 0, &n, nullptr), CHUNKBUF_EABORTED);
  chunkbuf_stream_release(s);
}

TEST(StreamPendingCapi, AWaitWakesOnAnotherThreadsWriteAndConsumesNothing) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_write(s, "par", 3, -1), CHUNKBUF_OK);
  Parked park;
  chunkbuf_read_op* op = nullptr;
  chunkbuf_error err = CHUNKBUF_ERROR_INIT;
  ASSERT_EQ(chunkbuf_stream_wait_start(s, 3, &Parked::ready, &park, &op, &err), CHUNKBUF_OK);
  EXPECT_EQ(op, nullptr);  // three are unread already
  ASSERT_EQ(chunkbuf_stream_wait_start(s, 4, &Parked::ready, &park, &op, &err), CHUNKBUF_OK);
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(readers_waiting(s), 1u);
  std::thread w([&] { chunkbuf_stream_write(s, "tial\n", 5, -1); });
  ASSERT_TRUE(park.wait_for(1));
  w.join();
  size_t n = 9;
  ASSERT_EQ(chunkbuf_read_op_finish(op, 0, &n, &err), CHUNKBUF_OK);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(err.code, CHUNKBUF_OK);
  size_t unread = 0;
  ASSERT_EQ(chunkbuf_stream_readable_amount(s, &unread), CHUNKBUF_OK);
  EXPECT_EQ(unread, 8u);  // "partial\n", none consumed
  chunkbuf_stream_release(s);
}

// A line reader waits for more than the partial line it saw; another
// reader takes that partial line, then a shorter complete line comes on
// another thread: the wait ends, so the line reader can take it.
TEST(StreamPendingCapi, AWaitEndsWhenALineComesAfterAnotherReaderTookThePartialOne) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_write(s, "partial", 7, -1), CHUNKBUF_OK);
  Parked park;
  chunkbuf_read_op* op = nullptr;
  ASSERT_EQ(chunkbuf_stream_wait_start(s, 8, &Parked::ready, &park, &op, nullptr), CHUNKBUF_OK);
  ASSERT_NE(op, nullptr);
  char tmp[7];
  size_t n = 0;
  ASSERT_EQ(chunkbuf_stream_read(s, tmp, sizeof tmp, 0, &n), CHUNKBUF_OK);  // another reader
  ASSERT_EQ(n, 7u);
  std::thread w([&] { chunkbuf_stream_write(s, "ab\n", 3, -1); });
  const bool woke = park.wait_for(1);
  w.join();
  EXPECT_TRUE(woke);
  if (!woke) chunkbuf_stream_close(s);  // ends the wait, so the test can finish it
  ASSERT_EQ(chunkbuf_read_op_finish(op, 0, &n, nullptr), CHUNKBUF_OK);
  char line[8];
  size_t len = 0, eol = 0;
  chunkbuf_wait now = CHUNKBUF_WAIT_INIT;
  now.timeout_ms = 0;
  ASSERT_EQ(chunkbuf_stream_read_line(s, CHUNKBUF_EOL_LF, 0, line, sizeof line, &now, &len, &eol), CHUNKBUF_OK);
  EXPECT_EQ(std::string(line, len), "ab");
  chunkbuf_stream_release(s);
}

// A ready callback runs under the stream's lock: a call into the stream
// from it is refused with ESTATE and changes nothing, where it would
// deadlock; retain and release still work (the op holds its own reference).
struct Reenter {
  chunkbuf_stream* s = nullptr;
  chunkbuf_read_op* op = nullptr;
  chunkbuf_cancel* token = nullptr;
  std::vector<int> rcs;
  static void ready(void* arg) {
    auto* r = static_cast<Reenter*>(arg);
    size_t n = 0;
    char buf[4];
    r->rcs.push_back(chunkbuf_stream_readable_amount(r->s, &n));
    r->rcs.push_back(chunkbuf_stream_write(r->s, "x", 1, 0));
    r->rcs.push_back(chunkbuf_stream_read(r->s, buf, sizeof buf, 0, &n));
    r->rcs.push_back(chunkbuf_stream_close(r->s));
    r->rcs.push_back(chunkbuf_read_op_finish(r->op, 1, &n, nullptr));
    r->rcs.push_back(chunkbuf_cancel_fire(r->token));
    r->rcs.push_back(chunkbuf_stream_retain(r->s));
    chunkbuf_stream_release(r->s);
  }
};

TEST(StreamPendingCapi, ACallFromAReadyCallbackIsRefusedNotDeadlocked) {
  for (int kind = 0; kind < 3; kind++) {  // read_start, wait_start, space_start
    chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
    o.high_water = 4;
    chunkbuf_stream* s = nullptr;
    ASSERT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_OK);
    Reenter r;
    r.s = s;
    ASSERT_EQ(chunkbuf_cancel_new(&r.token), CHUNKBUF_OK);
    char buf[8];
    size_t n = 0;
    if (kind == 0) {
      ASSERT_EQ(chunkbuf_stream_read_start(s, buf, sizeof buf, 2, &Reenter::ready, &r, &r.op, &n, nullptr),
                CHUNKBUF_OK);
    } else if (kind == 1) {
      ASSERT_EQ(chunkbuf_stream_wait_start(s, 2, &Reenter::ready, &r, &r.op, nullptr), CHUNKBUF_OK);
    } else {
      ASSERT_EQ(chunkbuf_stream_write(s, "1234", 4, 0), CHUNKBUF_OK);
      ASSERT_EQ(chunkbuf_stream_space_start(s, 4, &Reenter::ready, &r, &r.op, nullptr), CHUNKBUF_OK);
    }
    ASSERT_NE(r.op, nullptr);
    if (kind == 2) {
      ASSERT_EQ(chunkbuf_stream_read(s, buf, 4, 0, &n), CHUNKBUF_OK);  // room: the callback runs here
    } else {
      ASSERT_EQ(chunkbuf_stream_write(s, "ab", 2, 0), CHUNKBUF_OK);  // ready: the callback runs here
    }
    EXPECT_EQ(r.rcs, (std::vector<int>{CHUNKBUF_ESTATE, CHUNKBUF_ESTATE, CHUNKBUF_ESTATE, CHUNKBUF_ESTATE,
                                       CHUNKBUF_ESTATE, CHUNKBUF_ESTATE, CHUNKBUF_OK}))
        << "kind " << kind;
    int fired = 1;
    ASSERT_EQ(chunkbuf_cancel_fired(r.token, &fired), CHUNKBUF_OK);
    EXPECT_EQ(fired, 0);
    ASSERT_EQ(chunkbuf_read_op_finish(r.op, 0, &n, nullptr), CHUNKBUF_OK);  // outside: as usual
    int eof = 1;
    ASSERT_EQ(chunkbuf_stream_at_eof(s, &eof), CHUNKBUF_OK);
    EXPECT_EQ(eof, 0);  // the close from the callback did nothing
    size_t unread = 0;
    ASSERT_EQ(chunkbuf_stream_readable_amount(s, &unread), CHUNKBUF_OK);
    EXPECT_EQ(unread, kind == 0 ? 0u : kind == 1 ? 2u : 0u);
    if (kind == 0) {
      EXPECT_EQ(std::string(buf, n), "ab");
    }
    chunkbuf_cancel_free(r.token);
    chunkbuf_stream_release(s);
  }
}

// The writer's side: a write held at the mark parks (no thread blocks in
// C), a reader on another thread makes room and wakes it, and the stream
// outlives a release while the wait is armed (the op holds a reference).
TEST(StreamPendingCapi, AReaderOnAnotherThreadWakesTheParkedWriter) {
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  o.high_water = 8;
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_write(s, "12345678", 8, -1), CHUNKBUF_OK);
  chunkbuf_wait now = CHUNKBUF_WAIT_INIT;
  now.timeout_ms = 0;
  EXPECT_EQ(chunkbuf_stream_write_wait(s, "9", 1, &now), CHUNKBUF_EAGAIN);
  Parked park;
  chunkbuf_read_op* op = nullptr;
  chunkbuf_error err = CHUNKBUF_ERROR_INIT;
  ASSERT_EQ(chunkbuf_stream_space_start(s, 1, &Parked::ready, &park, &op, &err), CHUNKBUF_OK);
  ASSERT_NE(op, nullptr);
  size_t writers = 0;
  ASSERT_EQ(chunkbuf_stream_waiting(s, nullptr, &writers), CHUNKBUF_OK);
  EXPECT_EQ(writers, 1u);
  chunkbuf_stream_retain(s);
  chunkbuf_stream_release(s);  // the op's reference keeps it
  std::string got(8, '\0');
  std::thread r([&] {
    size_t n = 0;
    chunkbuf_stream_read(s, got.data(), 8, -1, &n);
    got.resize(n);
  });
  ASSERT_TRUE(park.wait_for(1));
  r.join();
  size_t n = 9;
  ASSERT_EQ(chunkbuf_read_op_finish(op, 0, &n, &err), CHUNKBUF_OK);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(got, "12345678");
  EXPECT_EQ(chunkbuf_stream_write_wait(s, "9", 1, &now), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_close(s), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_stream_space_start(s, 1, &Parked::ready, &park, &op, &err), CHUNKBUF_ECLOSED);
  EXPECT_EQ(err.code, CHUNKBUF_ECLOSED);
  EXPECT_EQ(op, nullptr);
  chunkbuf_stream_release(s);
}

}  // namespace
