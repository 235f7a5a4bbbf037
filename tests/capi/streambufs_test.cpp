// The streambufs design's behaviours through the C API: the empty needle
// as bytes.find/rfind answer it, prepend, the distinct error codes for a
// frame past max_frame and a commit without a reservation, and the file-like
// adapters' read policies.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "chunkbuf.h"

namespace {

struct Buf {
  chunkbuf_buffer* b = nullptr;
  explicit Buf(const std::string& pieces_sep, bool linear = false) {
    chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
    o.linear = linear;
    EXPECT_EQ(chunkbuf_buffer_new(&o, &b), CHUNKBUF_OK);
    // '|' separates appended pieces, so the bytes span several segments
    size_t from = 0;
    for (size_t i = 0; i <= pieces_sep.size(); ++i) {
      if (i == pieces_sep.size() || pieces_sep[i] == '|') {
        std::string piece = pieces_sep.substr(from, i - from);
        chunkbuf_view* v = nullptr;
        EXPECT_EQ(chunkbuf_view_from_bytes(nullptr, piece.data(), piece.size(), &v), CHUNKBUF_OK);
        EXPECT_EQ(chunkbuf_buffer_append_view(b, v), CHUNKBUF_OK);
        chunkbuf_view_release(v);
        from = i + 1;
      }
    }
  }
  ~Buf() { chunkbuf_buffer_free(b); }
};

size_t find(const Buf& b, size_t start, size_t end, bool last) {
  size_t pos = 0;
  int rc = last ? chunkbuf_buffer_rfind(b.b, "", 0, start, end, &pos) : chunkbuf_buffer_find(b.b, "", 0, start, end, &pos);
  EXPECT_EQ(rc, CHUNKBUF_OK);
  return pos;
}

TEST(Streambufs, EmptyNeedleAnswersAsBytesFind) {
  for (bool linear : {false, true}) {
    Buf b("ab|cd|e", linear);  // "abcde"
    const size_t N = CHUNKBUF_NPOS;
    EXPECT_EQ(find(b, 0, N, false), 0u);
    EXPECT_EQ(find(b, 3, N, false), 3u);
    EXPECT_EQ(find(b, 5, N, false), 5u);
    EXPECT_EQ(find(b, 6, N, false), N);  // past the data: not found, no error
    EXPECT_EQ(find(b, 2, 4, false), 2u);
    EXPECT_EQ(find(b, 4, 2, false), N);  // start past end
    EXPECT_EQ(find(b, 0, N, true), 5u);  // rfind: the length
    EXPECT_EQ(find(b, 1, 3, true), 3u);
    EXPECT_EQ(find(b, 0, 99, true), 5u);  // end clamped
    EXPECT_EQ(find(b, 4, 2, true), N);
    EXPECT_EQ(find(b, 6, N, true), N);
    // a non-empty needle still reports a start past the data
    size_t pos = 0;
    EXPECT_EQ(chunkbuf_buffer_find(b.b, "a", 1, 6, N, &pos), CHUNKBUF_ERANGE);
  }
}

TEST(Streambufs, EmptyNeedleInViewsAndStreams) {
  chunkbuf_view* v = nullptr;
  ASSERT_EQ(chunkbuf_view_from_bytes(nullptr, "hello", 5, &v), CHUNKBUF_OK);
  size_t pos = 0;
  ASSERT_EQ(chunkbuf_view_find(v, nullptr, 0, 4, CHUNKBUF_NPOS, &pos), CHUNKBUF_OK);
  EXPECT_EQ(pos, 4u);
  ASSERT_EQ(chunkbuf_view_find(v, "", 0, 6, CHUNKBUF_NPOS, &pos), CHUNKBUF_OK);
  EXPECT_EQ(pos, CHUNKBUF_NPOS);
  chunkbuf_view_release(v);

  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_write(s, "abcdef", 6, -1), CHUNKBUF_OK);
  char two[2];
  size_t got = 0;
  ASSERT_EQ(chunkbuf_stream_read(s, two, 2, -1, &got), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_find(s, "", 0, 1, CHUNKBUF_NPOS, &pos), CHUNKBUF_OK);
  EXPECT_EQ(pos, 1u);  // relative to the read position
  ASSERT_EQ(chunkbuf_stream_find(s, "", 0, 5, CHUNKBUF_NPOS, &pos), CHUNKBUF_OK);
  EXPECT_EQ(pos, CHUNKBUF_NPOS);  // past the 4 unread bytes
  chunkbuf_stream_free(s);
}

TEST(Streambufs, FrameTooLargeIsNotBufferTooLarge) {
  chunkbuf_delimiter_framer_options o = CHUNKBUF_DELIMITER_FRAMER_OPTIONS_INIT;
  struct iovec nl = {const_cast<char*>("\n"), 1};
  o.delimiters = &nl;
  o.n_delimiters = 1;
  o.max_frame = 3;
  chunkbuf_framer* f = nullptr;
  ASSERT_EQ(chunkbuf_framer_new_delimiter(&o, &f), CHUNKBUF_OK);
  chunkbuf_buffer_options bo = CHUNKBUF_BUFFER_OPTIONS_INIT;
  bo.max_bytes = 6;
  chunkbuf_buffer* b = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(&bo, &b), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_append(b, "abcd\n", 5), CHUNKBUF_OK);
  chunkbuf_view* v = nullptr;
  EXPECT_EQ(chunkbuf_framer_next(f, b, 0, &v), CHUNKBUF_EFRAMELIMIT);
  EXPECT_EQ(chunkbuf_buffer_append(b, "xy", 2), CHUNKBUF_ELIMIT);
  size_t len = 0;
  ASSERT_EQ(chunkbuf_buffer_len(b, &len), CHUNKBUF_OK);
  EXPECT_EQ(len, 5u);  // both failures left every byte where it was
  EXPECT_STREQ(chunkbuf_strerror(CHUNKBUF_EFRAMELIMIT), "frame too large");
  chunkbuf_buffer_free(b);
  chunkbuf_framer_free(f);
}

TEST(Streambufs, NoReservationIsNotReservationOpen) {
  chunkbuf_buffer* b = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(nullptr, &b), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_buffer_commit(b, 0), CHUNKBUF_ENORESERVE);
  EXPECT_EQ(chunkbuf_buffer_commit(b, 3), CHUNKBUF_ENORESERVE);
  struct iovec iov;
  size_t n_iov = 0;
  ASSERT_EQ(chunkbuf_buffer_reserve(b, 8, &iov, 1, &n_iov), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_buffer_append(b, "x", 1), CHUNKBUF_ESTATE);
  EXPECT_EQ(chunkbuf_buffer_reserve(b, 8, &iov, 1, &n_iov), CHUNKBUF_ESTATE);
  EXPECT_EQ(chunkbuf_buffer_commit(b, 0), CHUNKBUF_OK);
  EXPECT_STREQ(chunkbuf_strerror(CHUNKBUF_ENORESERVE), "no reservation open");
  chunkbuf_buffer_free(b);
}

// A reservation may hand out more room than max_bytes leaves: a commit
// past the limit is ELIMIT and keeps the reservation open for a smaller one.
TEST(Streambufs, ACommitPastMaxBytesIsALimitAndKeepsTheReservation) {
  chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
  o.max_bytes = 100;
  chunkbuf_buffer* b = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(&o, &b), CHUNKBUF_OK);
  struct iovec iov;
  size_t n_iov = 0;
  ASSERT_EQ(chunkbuf_buffer_reserve(b, 10, &iov, 1, &n_iov), CHUNKBUF_OK);
  ASSERT_GE(iov.iov_len, 101u);  // a pool block's room, beyond the limit
  EXPECT_EQ(chunkbuf_buffer_commit(b, 101), CHUNKBUF_ELIMIT);
  size_t len = 1;
  ASSERT_EQ(chunkbuf_buffer_len(b, &len), CHUNKBUF_OK);
  EXPECT_EQ(len, 0u);
  EXPECT_EQ(chunkbuf_buffer_commit(b, 100), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_len(b, &len), CHUNKBUF_OK);
  EXPECT_EQ(len, 100u);
  chunkbuf_buffer_free(b);
}

}  // namespace

namespace {

std::string all(chunkbuf_buffer* b) {
  size_t len = 0, got = 0;
  EXPECT_EQ(chunkbuf_buffer_len(b, &len), CHUNKBUF_OK);
  std::string s(len, '\0');
  EXPECT_EQ(chunkbuf_buffer_copy_out(b, 0, s.data(), len, &got), CHUNKBUF_OK);
  return s;
}

TEST(Streambufs, PrependBytesAndViews) {
  for (int linear : {0, 1}) {
    chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
    o.linear = linear;
    o.max_bytes = 12;
    chunkbuf_buffer* b = nullptr;
    ASSERT_EQ(chunkbuf_buffer_new(&o, &b), CHUNKBUF_OK);
    ASSERT_EQ(chunkbuf_buffer_append(b, "body", 4), CHUNKBUF_OK);
    ASSERT_EQ(chunkbuf_buffer_prepend(b, ": ", 2), CHUNKBUF_OK);
    Buf src("he|ad");
    chunkbuf_view* v = nullptr;
    ASSERT_EQ(chunkbuf_buffer_split_to(src.b, 4, &v), CHUNKBUF_OK);
    size_t before = 0, after = 0;
    ASSERT_EQ(chunkbuf_buffer_segment_count(b, &before), CHUNKBUF_OK);
    ASSERT_EQ(chunkbuf_buffer_prepend_view(b, v), CHUNKBUF_OK);
    ASSERT_EQ(chunkbuf_buffer_segment_count(b, &after), CHUNKBUF_OK);
    EXPECT_EQ(all(b), "head: body");
    if (!linear) {
      EXPECT_EQ(after, before + 2);  // the view's two segments, shared
      struct iovec iov[2];
      size_t n_iov = 0;
      ASSERT_EQ(chunkbuf_view_segments(v, 0, iov, 2, &n_iov), CHUNKBUF_OK);
      struct iovec front[2];
      ASSERT_EQ(chunkbuf_buffer_peek(b, 4, front, 2, &n_iov), CHUNKBUF_OK);
      EXPECT_EQ(front[0].iov_base, iov[0].iov_base);
      EXPECT_EQ(front[1].iov_base, iov[1].iov_base);
    }
    EXPECT_EQ(chunkbuf_buffer_prepend(b, "xyz", 3), CHUNKBUF_ELIMIT);
    EXPECT_EQ(chunkbuf_buffer_prepend_view(b, v), CHUNKBUF_ELIMIT);
    struct iovec iov;
    size_t n_iov = 0;
    ASSERT_EQ(chunkbuf_buffer_reserve(b, 1, &iov, 1, &n_iov), CHUNKBUF_OK);
    EXPECT_EQ(chunkbuf_buffer_prepend(b, "q", 1), CHUNKBUF_ESTATE);
    EXPECT_EQ(chunkbuf_buffer_prepend_view(b, v), CHUNKBUF_ESTATE);
    ASSERT_EQ(chunkbuf_buffer_commit(b, 0), CHUNKBUF_OK);
    EXPECT_EQ(all(b), "head: body");  // refused prepends moved nothing
    chunkbuf_view_release(v);
    EXPECT_EQ(all(b), "head: body");  // the buffer holds its own references
    chunkbuf_buffer_free(b);
  }
}

}  // namespace

namespace {

TEST(Streambufs, BufferReadPolicies) {
  for (int linear : {0, 1}) {
    chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
    o.linear = linear;
    chunkbuf_buffer* b = nullptr;
    ASSERT_EQ(chunkbuf_buffer_new(&o, &b), CHUNKBUF_OK);
    ASSERT_EQ(chunkbuf_buffer_append(b, "abc", 3), CHUNKBUF_OK);
    char dst[8] = {0};
    size_t got = 99;
    EXPECT_EQ(chunkbuf_buffer_read_policy(b, dst, 4, CHUNKBUF_SHORT_RAISE, &got), CHUNKBUF_ENEEDMORE);
    EXPECT_EQ(got, 99u);  // written on success only
    EXPECT_EQ(all(b), "abc");
    EXPECT_EQ(chunkbuf_buffer_read_policy(b, dst, 2, CHUNKBUF_SHORT_RAISE, &got), CHUNKBUF_OK);
    EXPECT_EQ(std::string(dst, got), "ab");
    EXPECT_EQ(chunkbuf_buffer_read_policy(b, dst, 4, CHUNKBUF_SHORT_PARTIAL, &got), CHUNKBUF_OK);
    EXPECT_EQ(std::string(dst, got), "c");
    EXPECT_EQ(chunkbuf_buffer_read_policy(b, dst, 4, CHUNKBUF_SHORT_PARTIAL, &got), CHUNKBUF_OK);
    EXPECT_EQ(got, 0u);  // empty: nothing, no error
    EXPECT_EQ(chunkbuf_buffer_read_policy(b, dst, 4, CHUNKBUF_SHORT_BLOCK, &got), CHUNKBUF_EINVAL);
    chunkbuf_buffer_free(b);
  }
}

TEST(Streambufs, StreamReadPolicies) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  char dst[8];
  size_t got = 0;
  EXPECT_EQ(chunkbuf_stream_read_policy(s, dst, 4, CHUNKBUF_SHORT_PARTIAL, nullptr, &got), CHUNKBUF_EAGAIN);
  ASSERT_EQ(chunkbuf_stream_write(s, "abc", 3, -1), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_stream_read_policy(s, dst, 4, CHUNKBUF_SHORT_RAISE, nullptr, &got), CHUNKBUF_ENEEDMORE);
  size_t unread = 0;
  ASSERT_EQ(chunkbuf_stream_readable_amount(s, &unread), CHUNKBUF_OK);
  EXPECT_EQ(unread, 3u);  // nothing consumed
  chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
  w.timeout_ms = 0;  // block, but no longer than nothing
  EXPECT_EQ(chunkbuf_stream_read_policy(s, dst, 4, CHUNKBUF_SHORT_BLOCK, &w, &got), CHUNKBUF_EAGAIN);
  chunkbuf_cancel* c = nullptr;
  ASSERT_EQ(chunkbuf_cancel_new(&c), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_cancel_fire(c), CHUNKBUF_OK);
  w.timeout_ms = -1;
  w.cancel = c;  // a fired token ends the wait at once
  EXPECT_EQ(chunkbuf_stream_read_policy(s, dst, 4, CHUNKBUF_SHORT_BLOCK, &w, &got), CHUNKBUF_ECANCELED);
  chunkbuf_cancel_free(c);
  EXPECT_EQ(chunkbuf_stream_read_policy(s, dst, 2, CHUNKBUF_SHORT_RAISE, nullptr, &got), CHUNKBUF_OK);
  EXPECT_EQ(std::string(dst, got), "ab");
  EXPECT_EQ(chunkbuf_stream_read_policy(s, dst, 4, CHUNKBUF_SHORT_PARTIAL, nullptr, &got), CHUNKBUF_OK);
  EXPECT_EQ(std::string(dst, got), "c");
  ASSERT_EQ(chunkbuf_stream_write(s, "defg", 4, -1), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_close(s), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_stream_read_policy(s, dst, 3, CHUNKBUF_SHORT_BLOCK, nullptr, &got), CHUNKBUF_OK);
  EXPECT_EQ(std::string(dst, got), "def");
  EXPECT_EQ(chunkbuf_stream_read_policy(s, dst, 4, CHUNKBUF_SHORT_RAISE, nullptr, &got), CHUNKBUF_OK);
  EXPECT_EQ(std::string(dst, got), "g");  // at EOF: what is left, never more to wait for
  EXPECT_EQ(chunkbuf_stream_read_policy(s, dst, 4, CHUNKBUF_SHORT_RAISE, nullptr, &got), CHUNKBUF_OK);
  EXPECT_EQ(got, 0u);  // end of file
  chunkbuf_stream_free(s);
}

}  // namespace

namespace {

TEST(Streambufs, BlockPolicyWaitsForTheWriter) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_write(s, "ab", 2, -1), CHUNKBUF_OK);
  char dst[4];
  size_t got = 0;
  int rc = -100;
  std::thread reader([&] { rc = chunkbuf_stream_read_policy(s, dst, 4, CHUNKBUF_SHORT_BLOCK, nullptr, &got); });
  size_t readers = 0, writers = 0;
  while (readers == 0) {  // the engine's own count of blocked readers: no sleeping and hoping
    ASSERT_EQ(chunkbuf_stream_waiting(s, &readers, &writers), CHUNKBUF_OK);
    std::this_thread::yield();
  }
  ASSERT_EQ(chunkbuf_stream_write(s, "cd", 2, -1), CHUNKBUF_OK);
  reader.join();
  EXPECT_EQ(rc, CHUNKBUF_OK);
  EXPECT_EQ(std::string(dst, got), "abcd");
  chunkbuf_stream_free(s);
}

}  // namespace
