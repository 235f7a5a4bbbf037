// chunkbuf_stream_* through the C API: misuse is answered with error codes,
// and the happy paths hand out valid views and a working readiness fd.
#include <gtest/gtest.h>
#include <poll.h>
#include <stdio.h>

#include <cstring>
#include <string>

#include "chunkbuf.h"

namespace {

chunkbuf_stream* new_stream(int retain = 0, size_t high_water = 0) {
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  o.retain = retain;
  o.high_water = high_water;
  chunkbuf_stream* s = nullptr;
  EXPECT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_OK);
  return s;
}

bool readable(int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  return poll(&p, 1, 0) == 1;
}

// Every entry point, called on handle h with valid other arguments.
void expect_all_fail(chunkbuf_stream* h, int want) {
  char buf[4];
  size_t n = 0;
  uint64_t pos = 0;
  int i = 0;
  chunkbuf_view* v = nullptr;
  chunkbuf_record rec[1];
  EXPECT_EQ(chunkbuf_stream_write(h, "a", 1, -1), want);
  EXPECT_EQ(chunkbuf_stream_write_ref(h, "a", 1, nullptr, nullptr, -1), want);
  EXPECT_EQ(chunkbuf_stream_close(h), want);
  EXPECT_EQ(chunkbuf_stream_abort(h, 1), want);
  EXPECT_EQ(chunkbuf_stream_abort_code(h, &i), want);
  EXPECT_EQ(chunkbuf_stream_read(h, buf, 4, 0, &n), want);
  EXPECT_EQ(chunkbuf_stream_read1(h, buf, 4, 0, &n), want);
  EXPECT_EQ(chunkbuf_stream_read_nonblock(h, buf, 4, &n), want);
  EXPECT_EQ(chunkbuf_stream_read_view(h, 4, 0, &v), want);
  EXPECT_EQ(chunkbuf_stream_readline(h, 0, 0, &v), want);
  EXPECT_EQ(chunkbuf_stream_readlines(h, rec, 1, 0, &n, &v), want);
  EXPECT_EQ(chunkbuf_stream_readable_amount(h, &n), want);
  EXPECT_EQ(chunkbuf_stream_at_eof(h, &i), want);
  EXPECT_EQ(chunkbuf_stream_find(h, "a", 1, 0, CHUNKBUF_NPOS, &n), want);
  EXPECT_EQ(chunkbuf_stream_seek(h, 0, SEEK_SET, &pos), want);
  EXPECT_EQ(chunkbuf_stream_tell(h, &pos), want);
  EXPECT_EQ(chunkbuf_stream_readiness_fd(h, &i), want);
}

TEST(StreamCapi, NullFreedAndWrongKindHandles) {
  expect_all_fail(nullptr, CHUNKBUF_EHANDLE);
  chunkbuf_stream* s = new_stream();
  chunkbuf_stream_free(s);
  expect_all_fail(s, CHUNKBUF_EHANDLE);
  EXPECT_NE(std::string(chunkbuf_last_error()).find("freed"), std::string::npos);
  chunkbuf_stream_free(s);  // double free is detected, not followed
  chunkbuf_stream_free(nullptr);
  chunkbuf_buffer* b = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(nullptr, &b), CHUNKBUF_OK);
  expect_all_fail(reinterpret_cast<chunkbuf_stream*>(b), CHUNKBUF_EHANDLE);
  chunkbuf_stream* live = new_stream();
  EXPECT_EQ(chunkbuf_stream_write_view(live, reinterpret_cast<chunkbuf_view*>(b), -1), CHUNKBUF_EHANDLE);
  EXPECT_EQ(chunkbuf_stream_write_view(live, nullptr, -1), CHUNKBUF_EHANDLE);
  chunkbuf_stream_free(live);
  chunkbuf_buffer_free(b);
}

TEST(StreamCapi, NullOutParamsAndBadArguments) {
  chunkbuf_stream* s = new_stream(1);
  char buf[4];
  size_t n = 0;
  chunkbuf_view* v = nullptr;
  chunkbuf_record rec[1];
  EXPECT_EQ(chunkbuf_stream_new(nullptr, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_write(s, nullptr, 1, -1), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_write_ref(s, nullptr, 1, nullptr, nullptr, -1), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_abort_code(s, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read(s, nullptr, 4, 0, &n), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read(s, buf, 4, 0, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read1(s, buf, 4, 0, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read_nonblock(s, buf, 4, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read_view(s, 4, 0, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_readline(s, 0, 0, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_readlines(s, nullptr, 1, 0, &n, &v), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_readlines(s, rec, 0, 0, &n, &v), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_readlines(s, rec, 1, 0, nullptr, &v), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_readable_amount(s, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_at_eof(s, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_find(s, nullptr, 1, 0, CHUNKBUF_NPOS, &n), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_find(s, "a", 1, 0, CHUNKBUF_NPOS, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_tell(s, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_readiness_fd(s, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_seek(s, 0, 3, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_seek(s, 0, -1, nullptr), CHUNKBUF_EINVAL);
  for (int64_t t : {int64_t{-2}, INT64_MIN}) {
    EXPECT_EQ(chunkbuf_stream_write(s, "a", 1, t), CHUNKBUF_EINVAL);
    EXPECT_EQ(chunkbuf_stream_read(s, buf, 1, t, &n), CHUNKBUF_EINVAL);
    EXPECT_EQ(chunkbuf_stream_readline(s, 0, t, &v), CHUNKBUF_EINVAL);
    EXPECT_EQ(chunkbuf_stream_readlines(s, rec, 1, t, &n, &v), CHUNKBUF_EINVAL);
  }
  EXPECT_EQ(chunkbuf_stream_read(s, buf, 1, 0, &n), CHUNKBUF_EAGAIN);  // nothing consumed by the failures
  chunkbuf_stream_options bad = CHUNKBUF_STREAM_OPTIONS_INIT;
  bad.struct_size = 8;
  chunkbuf_stream* t = nullptr;
  EXPECT_EQ(chunkbuf_stream_new(&bad, &t), CHUNKBUF_EVERSION);
  chunkbuf_stream_free(s);
}

int g_freed = 0;
void count_free(void*) { ++g_freed; }

TEST(StreamCapi, WritesAfterCloseOrAbortFail) {
  chunkbuf_stream* s = new_stream();
  ASSERT_EQ(chunkbuf_stream_write(s, "abc", 3, -1), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_close(s), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_stream_write(s, "d", 1, -1), CHUNKBUF_ECLOSED);
  g_freed = 0;
  EXPECT_EQ(chunkbuf_stream_write_ref(s, "d", 1, count_free, nullptr, -1), CHUNKBUF_ECLOSED);
  EXPECT_EQ(g_freed, 1);
  EXPECT_EQ(chunkbuf_stream_seek(s, 0, SEEK_SET, nullptr), CHUNKBUF_ESTATE);  // streaming mode
  int code = 0;
  EXPECT_EQ(chunkbuf_stream_abort_code(s, &code), CHUNKBUF_ESTATE);
  ASSERT_EQ(chunkbuf_stream_abort(s, -77), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_abort_code(s, &code), CHUNKBUF_OK);
  EXPECT_EQ(code, -77);
  char buf[4];
  size_t n = 0;
  EXPECT_EQ(chunkbuf_stream_read(s, buf, 3, -1, &n), CHUNKBUF_EABORTED);
  EXPECT_EQ(chunkbuf_stream_write(s, "d", 1, -1), CHUNKBUF_EABORTED);
  EXPECT_STRNE(chunkbuf_last_error(), "");
  chunkbuf_stream_free(s);
}

TEST(StreamCapi, ReadinessFdAndViewsOutliveTheStream) {
  chunkbuf_stream* s = new_stream(1, 0);
  int fd = -1;
  ASSERT_EQ(chunkbuf_stream_readiness_fd(s, &fd), CHUNKBUF_OK);
  EXPECT_FALSE(readable(fd));
  ASSERT_EQ(chunkbuf_stream_write(s, "line one\nline two\n", 18, 0), CHUNKBUF_OK);
  EXPECT_TRUE(readable(fd));
  chunkbuf_view* v = nullptr;
  ASSERT_EQ(chunkbuf_stream_readline(s, 0, -1, &v), CHUNKBUF_OK);
  int eq = 0;
  ASSERT_EQ(chunkbuf_view_equals(v, "line one\n", 9, &eq), CHUNKBUF_OK);
  EXPECT_EQ(eq, 1);
  chunkbuf_view_release(v);
  chunkbuf_record rec[4];
  size_t n = 0;
  ASSERT_EQ(chunkbuf_stream_readlines(s, rec, 4, -1, &n, &v), CHUNKBUF_OK);
  EXPECT_EQ(n, 1u);
  EXPECT_FALSE(readable(fd));
  chunkbuf_view_release(v);
  uint64_t pos = 0;
  ASSERT_EQ(chunkbuf_stream_tell(s, &pos), CHUNKBUF_OK);
  EXPECT_EQ(pos, 18u);
  ASSERT_EQ(chunkbuf_stream_seek(s, 5, SEEK_SET, &pos), CHUNKBUF_OK);
  EXPECT_TRUE(readable(fd));
  size_t at = 0;
  ASSERT_EQ(chunkbuf_stream_find(s, "two", 3, 0, CHUNKBUF_NPOS, &at), CHUNKBUF_OK);
  EXPECT_EQ(at, 9u);
  ASSERT_EQ(chunkbuf_stream_close(s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_read_view(s, CHUNKBUF_NPOS, -1, &v), CHUNKBUF_OK);
  int eof = 0;
  ASSERT_EQ(chunkbuf_stream_at_eof(s, &eof), CHUNKBUF_OK);
  EXPECT_EQ(eof, 1);
  chunkbuf_stream_free(s);
  ASSERT_EQ(chunkbuf_view_equals(v, "one\nline two\n", 13, &eq), CHUNKBUF_OK);
  EXPECT_EQ(eq, 1);
  chunkbuf_view_release(v);
}

TEST(StreamCapi, BackPressureAndTimeoutCodes) {
  chunkbuf_stream* s = new_stream(0, 2);
  ASSERT_EQ(chunkbuf_stream_write(s, "ab", 2, 0), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_stream_write(s, "c", 1, 0), CHUNKBUF_EAGAIN);
  EXPECT_EQ(chunkbuf_stream_write(s, "c", 1, 10), CHUNKBUF_ETIMEDOUT);
  char buf[4];
  size_t n = 0;
  EXPECT_EQ(chunkbuf_stream_read(s, buf, 3, 10, &n), CHUNKBUF_ETIMEDOUT);
  ASSERT_EQ(chunkbuf_stream_read_nonblock(s, buf, 4, &n), CHUNKBUF_OK);
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(chunkbuf_stream_read_nonblock(s, buf, 4, &n), CHUNKBUF_EAGAIN);
  ASSERT_EQ(chunkbuf_stream_write(s, "c", 1, 0), CHUNKBUF_OK);
  chunkbuf_stream_free(s);

  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  o.content_length = 3;
  ASSERT_EQ(chunkbuf_stream_new(&o, &s), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_stream_write(s, "abcd", 4, -1), CHUNKBUF_ELIMIT);
  ASSERT_EQ(chunkbuf_stream_write(s, "abc", 3, -1), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_read(s, buf, 4, -1, &n), CHUNKBUF_OK);  // EOF came with byte 3
  EXPECT_EQ(n, 3u);
  chunkbuf_stream_free(s);
}

}  // namespace
