// Every entry point answers bad handles and bad arguments with an error code.
// tests/abi/check_exports.py checks that each exported function is named in
// this file, so a new entry point cannot skip these tests.
#define CHUNKBUF_NO_DEPRECATION_WARNINGS  // the 0.1 names are checked too
#include <gtest/gtest.h>

#include <chunkbuf.h>

#include <cstring>
#include <string>

namespace {

struct Handles {
  chunkbuf_pool* pool = nullptr;
  chunkbuf_buffer* buf = nullptr;
  chunkbuf_view* view = nullptr;
  chunkbuf_framer* framer = nullptr;
  chunkbuf_ring* ring = nullptr;
  chunkbuf_stream* stream = nullptr;
};

// Calls every buffer/view/pool entry point that takes a handle with the
// given (bad) handles and expects CHUNKBUF_EHANDLE from each.
void expect_all_reject(const Handles& h) {
  size_t sz = 0;
  int eq = 0;
  uint8_t u8 = 0;
  uint16_t u16 = 0;
  uint32_t u32 = 0;
  uint64_t u64 = 0;
  char tmp[8];
  struct iovec iov[2];
  const void* p = nullptr;
  chunkbuf_view* v = nullptr;
  chunkbuf_record rec[2];
  chunkbuf_pool_stats st = CHUNKBUF_POOL_STATS_INIT;
  const int E = CHUNKBUF_EHANDLE;

  EXPECT_EQ(chunkbuf_pool_stats_get(h.pool, &st), E);
  EXPECT_EQ(chunkbuf_pool_trim(h.pool), E);
  EXPECT_EQ(chunkbuf_pool_set_tenant_quota(h.pool, 1, 10), E);
  EXPECT_EQ(chunkbuf_pool_tenant_usage(h.pool, 1, &sz), E);

  EXPECT_EQ(chunkbuf_buffer_len(h.buf, &sz), E);
  EXPECT_EQ(chunkbuf_buffer_append(h.buf, "a", 1), E);
  EXPECT_EQ(chunkbuf_buffer_append_ref(h.buf, "a", 1, nullptr, nullptr), E);
  struct iovec one = {const_cast<char*>("a"), 1};
  EXPECT_EQ(chunkbuf_buffer_append_refv(h.buf, &one, 1, nullptr, nullptr), E);
  EXPECT_EQ(chunkbuf_buffer_append_view(h.buf, h.view), E);
  EXPECT_EQ(chunkbuf_buffer_prepend(h.buf, "a", 1), E);
  EXPECT_EQ(chunkbuf_buffer_prepend_view(h.buf, h.view), E);
  EXPECT_EQ(chunkbuf_buffer_read_policy(h.buf, tmp, 1, CHUNKBUF_SHORT_RAISE, &sz), E);
  EXPECT_EQ(chunkbuf_buffer_reserve(h.buf, 1, iov, 2, &sz), E);
  EXPECT_EQ(chunkbuf_buffer_commit(h.buf, 0), E);
  EXPECT_EQ(chunkbuf_buffer_read_from_fd(h.buf, 0, 1, &sz), E);
  EXPECT_EQ(chunkbuf_buffer_find(h.buf, "a", 1, 0, CHUNKBUF_NPOS, &sz), E);
  EXPECT_EQ(chunkbuf_buffer_rfind(h.buf, "a", 1, 0, CHUNKBUF_NPOS, &sz), E);
  EXPECT_EQ(chunkbuf_buffer_peek(h.buf, 1, iov, 2, &sz), E);
  EXPECT_EQ(chunkbuf_buffer_segment_count(h.buf, &sz), E);
  EXPECT_EQ(chunkbuf_buffer_coalesce(h.buf, 1, &p), E);
  EXPECT_EQ(chunkbuf_buffer_equals(h.buf, "a", 1, &eq), E);
  EXPECT_EQ(chunkbuf_buffer_copy_out(h.buf, 0, tmp, 1, &sz), E);
  EXPECT_EQ(chunkbuf_buffer_peek_u8(h.buf, 0, &u8), E);
  EXPECT_EQ(chunkbuf_buffer_peek_u16(h.buf, 0, CHUNKBUF_BE, &u16), E);
  EXPECT_EQ(chunkbuf_buffer_peek_u32(h.buf, 0, CHUNKBUF_BE, &u32), E);
  EXPECT_EQ(chunkbuf_buffer_peek_u64(h.buf, 0, CHUNKBUF_BE, &u64), E);
  EXPECT_EQ(chunkbuf_buffer_advance(h.buf, 0), E);
  EXPECT_EQ(chunkbuf_buffer_read_uint(h.buf, 2, CHUNKBUF_BE, &u64), E);
  EXPECT_EQ(chunkbuf_buffer_read_exact(h.buf, tmp, 1), E);
  EXPECT_EQ(chunkbuf_buffer_peek_exact(h.buf, tmp, 1), E);
  EXPECT_EQ(chunkbuf_buffer_read(h.buf, tmp, 1, &sz), E);
  EXPECT_EQ(chunkbuf_buffer_split_to(h.buf, 0, &v), E);
  EXPECT_EQ(chunkbuf_buffer_take_until(h.buf, "a", 1, 0, 0, &v), E);
  EXPECT_EQ(chunkbuf_buffer_take_line(h.buf, CHUNKBUF_EOL_LF, 0, &v), E);
  EXPECT_EQ(chunkbuf_buffer_read_line(h.buf, CHUNKBUF_EOL_LF, 0, tmp, 1, &sz), E);
  EXPECT_EQ(chunkbuf_buffer_take_lines(h.buf, CHUNKBUF_EOL_LF, 0, rec, 2, &sz, &v), E);
  chunkbuf_line lines[2];
  EXPECT_EQ(chunkbuf_buffer_read_lines(h.buf, CHUNKBUF_EOL_LF, 0, lines, 2, &sz, &v), E);
  EXPECT_EQ(chunkbuf_buffer_take_records(h.buf, "a", 1, 0, rec, 2, &sz, &v), E);
  EXPECT_EQ(chunkbuf_buffer_peek_lines(h.buf, CHUNKBUF_EOL_LF, 0, rec, 2, &sz), E);
  EXPECT_EQ(chunkbuf_buffer_peek_records(h.buf, "a", 1, 0, rec, 2, &sz), E);
  EXPECT_EQ(chunkbuf_buffer_write_to_fd(h.buf, 1, 1, &sz), E);

  EXPECT_EQ(chunkbuf_view_retain(h.view), E);
  EXPECT_EQ(chunkbuf_view_len(h.view, &sz), E);
  EXPECT_EQ(chunkbuf_view_segment_count(h.view, &sz), E);
  EXPECT_EQ(chunkbuf_view_segments(h.view, 0, iov, 2, &sz), E);
  EXPECT_EQ(chunkbuf_view_data(h.view, &p, &sz), E);
  EXPECT_EQ(chunkbuf_view_slice(h.view, 0, 0, &v), E);
  EXPECT_EQ(chunkbuf_view_find(h.view, "a", 1, 0, CHUNKBUF_NPOS, &sz), E);
  EXPECT_EQ(chunkbuf_view_equals(h.view, "a", 1, &eq), E);
  EXPECT_EQ(chunkbuf_view_equals_view(h.view, h.view, &eq), E);
  EXPECT_EQ(chunkbuf_view_copy_out(h.view, 0, tmp, 1, &sz), E);
  const chunkbuf_view* parts[1] = {h.view};
  EXPECT_EQ(chunkbuf_view_concat(parts, 1, &v), E);
  EXPECT_EQ(chunkbuf_view_contiguous(h.view, &v), E);
  uint32_t k = 0;
  EXPECT_EQ(chunkbuf_view_kind(h.view, &k), E);
  EXPECT_EQ(chunkbuf_view_retag(h.view, 0, &v), E);
  EXPECT_EQ(chunkbuf_view_tenant(h.view, &k), E);
  EXPECT_EQ(chunkbuf_view_sharers(h.view, &sz), E);
  uint8_t digest[32];
  EXPECT_EQ(chunkbuf_view_sha256(h.view, digest), E);

  EXPECT_EQ(chunkbuf_framer_next(h.framer, h.buf, 0, &v), E);
  EXPECT_EQ(chunkbuf_framer_next_batch(h.framer, h.buf, 0, rec, 2, &sz, &v), E);
  EXPECT_EQ(chunkbuf_framer_encode(h.framer, h.buf, h.view), E);

  EXPECT_EQ(chunkbuf_ring_write(h.ring, "a", 1, &sz), E);
  EXPECT_EQ(chunkbuf_ring_read(h.ring, tmp, 1, &sz), E);
  EXPECT_EQ(chunkbuf_ring_peek(h.ring, tmp, 1, &sz), E);
  EXPECT_EQ(chunkbuf_ring_readable_amount(h.ring, &sz), E);
  EXPECT_EQ(chunkbuf_ring_writable_amount(h.ring, &sz), E);
  EXPECT_EQ(chunkbuf_ring_available(h.ring, &sz), E);
  EXPECT_EQ(chunkbuf_ring_remaining(h.ring, &sz), E);
  EXPECT_EQ(chunkbuf_ring_capacity(h.ring, &sz), E);

  int code = 0;
  uint64_t pos = 0;
  EXPECT_EQ(chunkbuf_stream_write(h.stream, "a", 1, 0), E);
  EXPECT_EQ(chunkbuf_stream_write_ref(h.stream, "a", 1, nullptr, nullptr, 0), E);
  EXPECT_EQ(chunkbuf_stream_write_view(h.stream, h.view, 0), E);
  EXPECT_EQ(chunkbuf_stream_close(h.stream), E);
  EXPECT_EQ(chunkbuf_stream_abort(h.stream, 1), E);
  EXPECT_EQ(chunkbuf_stream_abort_code(h.stream, &code), E);
  EXPECT_EQ(chunkbuf_stream_read(h.stream, tmp, 1, 0, &sz), E);
  EXPECT_EQ(chunkbuf_stream_read1(h.stream, tmp, 1, 0, &sz), E);
  EXPECT_EQ(chunkbuf_stream_read_nonblock(h.stream, tmp, 1, &sz), E);
  EXPECT_EQ(chunkbuf_stream_read_view(h.stream, 1, 0, &v), E);
  EXPECT_EQ(chunkbuf_stream_readline(h.stream, 0, 0, &v), E);
  EXPECT_EQ(chunkbuf_stream_readlines(h.stream, rec, 2, 0, &sz, &v), E);
  EXPECT_EQ(chunkbuf_stream_readable_amount(h.stream, &sz), E);
  EXPECT_EQ(chunkbuf_stream_at_eof(h.stream, &eq), E);
  EXPECT_EQ(chunkbuf_stream_find(h.stream, "a", 1, 0, CHUNKBUF_NPOS, &sz), E);
  EXPECT_EQ(chunkbuf_stream_seek(h.stream, 0, 0, &pos), E);
  EXPECT_EQ(chunkbuf_stream_tell(h.stream, &pos), E);
  EXPECT_EQ(chunkbuf_stream_readiness_fd(h.stream, &code), E);
  EXPECT_EQ(chunkbuf_stream_retain(h.stream), E);
  EXPECT_EQ(chunkbuf_stream_waiting(h.stream, &sz, &sz), E);
  chunkbuf_error err = CHUNKBUF_ERROR_INIT;
  chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
  w.timeout_ms = 0;
  w.error = &err;
  chunkbuf_handout ho = {0, 1};
  EXPECT_EQ(chunkbuf_stream_read_into(h.stream, tmp, 1, 1, &w, &sz), E);
  EXPECT_EQ(chunkbuf_stream_read_policy(h.stream, tmp, 1, CHUNKBUF_SHORT_RAISE, &w, &sz), E);
  EXPECT_EQ(err.code, E);  // the error struct is filled for handle errors too
  EXPECT_EQ(chunkbuf_stream_peek(h.stream, 1, 1, &w, &v, &ho), E);
  EXPECT_EQ(chunkbuf_stream_consume(h.stream, &ho, 1, &err), E);
  chunkbuf_line ln[1];
  EXPECT_EQ(chunkbuf_stream_peek_lines(h.stream, CHUNKBUF_EOL_LF, 0, ln, 1, &w, &sz, &v, &ho), E);
  EXPECT_EQ(chunkbuf_stream_read_lines(h.stream, CHUNKBUF_EOL_LF, 0, ln, 1, &w, &sz, &v), E);
  err.code = 0;
  EXPECT_EQ(chunkbuf_stream_read_line(h.stream, CHUNKBUF_EOL_LF, 0, tmp, 1, &w, &sz, &sz), E);
  EXPECT_EQ(err.code, E);
  err.code = 0;
  EXPECT_EQ(chunkbuf_stream_write_wait(h.stream, "a", 1, &w), E);
  EXPECT_EQ(err.code, E);
  err.code = 0;
  EXPECT_EQ(chunkbuf_stream_write_view_wait(h.stream, nullptr, &w), E);
  EXPECT_EQ(err.code, E);
  int frees = 0;
  EXPECT_EQ(chunkbuf_stream_write_ref_wait(h.stream, "a", 1, [](void* ud) { ++*static_cast<int*>(ud); }, &frees, &w),
            E);
  EXPECT_EQ(frees, 1);  // refused, and the memory handed back at once
  // a stream handle is no read op
  EXPECT_EQ(chunkbuf_read_op_finish(reinterpret_cast<chunkbuf_read_op*>(h.stream), 1, &sz, nullptr), E);
  chunkbuf_read_op* op = nullptr;
  err.code = 0;
  EXPECT_EQ(chunkbuf_stream_read_start(h.stream, tmp, 1, 1, [](void*) {}, nullptr, &op, &sz, &err), E);
  EXPECT_EQ(err.code, E);
  EXPECT_EQ(op, nullptr);
  err.code = 0;
  EXPECT_EQ(chunkbuf_stream_wait_start(h.stream, 1, [](void*) {}, nullptr, &op, &err), E);
  EXPECT_EQ(err.code, E);
  EXPECT_EQ(op, nullptr);
  err.code = 0;
  EXPECT_EQ(chunkbuf_stream_space_start(h.stream, 1, [](void*) {}, nullptr, &op, &err), E);
  EXPECT_EQ(err.code, E);
  EXPECT_EQ(op, nullptr);
  EXPECT_EQ(v, nullptr);  // no call handed anything out
}

}  // namespace

TEST(Misuse, NullHandles) {
  expect_all_reject(Handles{});
  EXPECT_NE(std::strstr(chunkbuf_last_error(), "NULL"), nullptr) << chunkbuf_last_error();
  // Freeing or releasing NULL is a no-op.
  chunkbuf_pool_free(nullptr);
  chunkbuf_buffer_free(nullptr);
  chunkbuf_view_release(nullptr);
  chunkbuf_framer_free(nullptr);
  chunkbuf_ring_free(nullptr);
  chunkbuf_stream_free(nullptr);
  chunkbuf_stream_release(nullptr);
  chunkbuf_cancel_free(nullptr);
}

TEST(Misuse, FreedHandlesAreDetected) {
  Handles h;
  ASSERT_EQ(chunkbuf_pool_new(nullptr, &h.pool), CHUNKBUF_OK);
  chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
  o.pool = h.pool;
  ASSERT_EQ(chunkbuf_buffer_new(&o, &h.buf), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_append(h.buf, "abc", 3), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_split_to(h.buf, 3, &h.view), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_framer_new_length(nullptr, &h.framer), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_ring_new(16, &h.ring), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &h.stream), CHUNKBUF_OK);
  chunkbuf_stream_free(h.stream);
  chunkbuf_view_release(h.view);
  chunkbuf_buffer_free(h.buf);
  chunkbuf_pool_free(h.pool);
  chunkbuf_framer_free(h.framer);
  chunkbuf_ring_free(h.ring);
  expect_all_reject(h);
  EXPECT_NE(std::strstr(chunkbuf_last_error(), "already freed"), nullptr) << chunkbuf_last_error();
  EXPECT_EQ(chunkbuf_debug_report(h.pool, nullptr, nullptr, nullptr), CHUNKBUF_EHANDLE);
  // A second free/release is detected and ignored.
  chunkbuf_view_release(h.view);
  chunkbuf_buffer_free(h.buf);
  chunkbuf_pool_free(h.pool);
  chunkbuf_framer_free(h.framer);
  chunkbuf_ring_free(h.ring);
  chunkbuf_stream_free(h.stream);
  chunkbuf_stream_release(h.stream);
}

TEST(Misuse, CancelTokensAndStreamHandouts) {
  const int E = CHUNKBUF_EHANDLE;
  int fired = 0;
  EXPECT_EQ(chunkbuf_cancel_new(nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_cancel_fire(nullptr), E);
  EXPECT_EQ(chunkbuf_cancel_reset(nullptr), E);
  EXPECT_EQ(chunkbuf_cancel_fired(nullptr, &fired), E);
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  chunkbuf_cancel* wrong = reinterpret_cast<chunkbuf_cancel*>(s);
  EXPECT_EQ(chunkbuf_cancel_fire(wrong), E);
  chunkbuf_cancel_free(wrong);  // not a token: ignored, the stream lives on
  chunkbuf_cancel* c = nullptr;
  ASSERT_EQ(chunkbuf_cancel_new(&c), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_cancel_fired(c, nullptr), CHUNKBUF_EINVAL);
  chunkbuf_cancel_free(c);
  EXPECT_EQ(chunkbuf_cancel_fire(c), E);  // freed
  chunkbuf_cancel_free(c);                // double free: detected, ignored

  char buf[4];
  size_t n = 0;
  chunkbuf_view* v = nullptr;
  chunkbuf_handout h = {0, 0};
  chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
  w.cancel = reinterpret_cast<chunkbuf_cancel*>(s);  // wrong kind of token
  EXPECT_EQ(chunkbuf_stream_read_into(s, buf, 4, 1, &w, &n), E);
  w = CHUNKBUF_WAIT_INIT;
  w.timeout_ms = -5;
  EXPECT_EQ(chunkbuf_stream_read_into(s, buf, 4, 1, &w, &n), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_peek(s, 1, 4, &w, &v, &h), CHUNKBUF_EINVAL);
  w.struct_size = 1;
  EXPECT_EQ(chunkbuf_stream_read_into(s, buf, 4, 1, &w, &n), CHUNKBUF_EVERSION);
  EXPECT_EQ(chunkbuf_stream_read_into(s, nullptr, 4, 1, nullptr, &n), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read_into(s, buf, 4, 0, nullptr, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read_policy(s, buf, 4, 3, nullptr, &n), CHUNKBUF_EINVAL);  // no such policy
  EXPECT_EQ(chunkbuf_stream_read_policy(s, buf, 4, -1, nullptr, &n), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read_policy(s, nullptr, 4, CHUNKBUF_SHORT_BLOCK, nullptr, &n), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read_policy(s, buf, 4, CHUNKBUF_SHORT_BLOCK, nullptr, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read_policy(s, buf, 4, CHUNKBUF_SHORT_BLOCK, &w, &n), CHUNKBUF_EVERSION);
  EXPECT_EQ(chunkbuf_stream_write_wait(s, nullptr, 4, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_write_wait(s, "ab", 2, &w), CHUNKBUF_EVERSION);  // struct_size 1
  w = CHUNKBUF_WAIT_INIT;
  w.timeout_ms = -5;
  EXPECT_EQ(chunkbuf_stream_write_wait(s, "ab", 2, &w), CHUNKBUF_EINVAL);
  w.timeout_ms = -1;
  w.cancel = reinterpret_cast<chunkbuf_cancel*>(s);  // wrong kind of token
  EXPECT_EQ(chunkbuf_stream_write_wait(s, "ab", 2, &w), E);
  chunkbuf_view* bad_view = reinterpret_cast<chunkbuf_view*>(s);  // wrong kind of handle
  EXPECT_EQ(chunkbuf_stream_write_view_wait(s, bad_view, nullptr), E);
  EXPECT_EQ(chunkbuf_stream_write_view_wait(s, nullptr, nullptr), E);  // NULL is no view either
  EXPECT_EQ(chunkbuf_stream_write_ref_wait(s, nullptr, 2, nullptr, nullptr, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_write_ref_wait(s, "ab", 2, nullptr, nullptr, &w), E);  // the token again
  chunkbuf_read_op* op = nullptr;
  auto ready = [](void*) {};
  EXPECT_EQ(chunkbuf_stream_read_start(s, nullptr, 4, 1, ready, nullptr, &op, &n, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read_start(s, buf, 4, 1, nullptr, nullptr, &op, &n, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read_start(s, buf, 4, 1, ready, nullptr, nullptr, &n, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read_start(s, buf, 4, 1, ready, nullptr, &op, nullptr, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_read_op_finish(nullptr, 0, &n, nullptr), E);
  ASSERT_EQ(chunkbuf_stream_read_start(s, buf, 4, 1, ready, nullptr, &op, &n, nullptr), CHUNKBUF_OK);
  ASSERT_NE(op, nullptr);  // armed: nothing is unread
  EXPECT_EQ(chunkbuf_read_op_finish(op, 0, nullptr, nullptr), CHUNKBUF_EINVAL);  // still armed
  EXPECT_EQ(chunkbuf_read_op_finish(op, 1, &n, nullptr), CHUNKBUF_ECANCELED);
  chunkbuf_error ferr = CHUNKBUF_ERROR_INIT;
  EXPECT_EQ(chunkbuf_read_op_finish(op, 1, &n, &ferr), E);  // finished: a freed handle
  EXPECT_NE(std::strstr(ferr.message, "freed"), nullptr) << ferr.message;
  EXPECT_EQ(chunkbuf_stream_wait_start(s, 1, nullptr, nullptr, &op, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_wait_start(s, 1, ready, nullptr, nullptr, nullptr), CHUNKBUF_EINVAL);
  ASSERT_EQ(chunkbuf_stream_wait_start(s, 0, ready, nullptr, &op, nullptr), CHUNKBUF_OK);
  ASSERT_NE(op, nullptr);  // min 0 waits for one byte: nothing is unread
  EXPECT_EQ(chunkbuf_read_op_finish(op, 1, &n, nullptr), CHUNKBUF_ECANCELED);
  EXPECT_EQ(chunkbuf_read_op_finish(op, 0, &n, nullptr), E);  // finished
  EXPECT_EQ(chunkbuf_stream_space_start(s, 1, nullptr, nullptr, &op, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_space_start(s, 1, ready, nullptr, nullptr, nullptr), CHUNKBUF_EINVAL);
  op = reinterpret_cast<chunkbuf_read_op*>(&n);
  ASSERT_EQ(chunkbuf_stream_space_start(s, SIZE_MAX, ready, nullptr, &op, nullptr), CHUNKBUF_OK);
  EXPECT_EQ(op, nullptr);  // no high-water mark: any write has room
  size_t unread = 9;
  EXPECT_EQ(chunkbuf_stream_readable_amount(s, &unread), CHUNKBUF_OK);
  EXPECT_EQ(unread, 0u);  // none of those wrote anything
  EXPECT_EQ(chunkbuf_stream_peek(s, 0, 4, nullptr, nullptr, &h), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_peek(s, 0, 4, nullptr, &v, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_consume(s, nullptr, 0, nullptr), CHUNKBUF_EINVAL);
  chunkbuf_line ln[2];
  EXPECT_EQ(chunkbuf_stream_peek_lines(s, CHUNKBUF_EOL_LF, 0, nullptr, 2, nullptr, &n, &v, &h), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_peek_lines(s, CHUNKBUF_EOL_LF, 0, ln, 0, nullptr, &n, &v, &h), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_peek_lines(s, CHUNKBUF_EOL_LF, 0, ln, 2, nullptr, &n, &v, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read_lines(s, static_cast<chunkbuf_eol>(9), 0, ln, 2, nullptr, &n, &v), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read_lines(s, CHUNKBUF_EOL_LF, 0, ln, 2, nullptr, nullptr, &v), CHUNKBUF_EINVAL);
  char line[4];
  size_t eol_len = 0;
  EXPECT_EQ(chunkbuf_stream_read_line(s, static_cast<chunkbuf_eol>(9), 0, line, 4, nullptr, &n, &eol_len),
            CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read_line(s, CHUNKBUF_EOL_LF, 0, nullptr, 4, nullptr, &n, &eol_len), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read_line(s, CHUNKBUF_EOL_LF, 0, line, 4, nullptr, nullptr, &eol_len), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_read_line(s, CHUNKBUF_EOL_LF, 0, line, 4, nullptr, &n, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_stream_waiting(s, nullptr, nullptr), CHUNKBUF_OK);  // both optional
  ASSERT_EQ(chunkbuf_stream_write(s, "ab", 2, -1), CHUNKBUF_OK);
  h = {5, 2};  // a hand-out this stream never made
  EXPECT_EQ(chunkbuf_stream_consume(s, &h, 1, nullptr), CHUNKBUF_ESTATE);
  h = {0, 1};
  EXPECT_EQ(chunkbuf_stream_consume(s, &h, 2, nullptr), CHUNKBUF_ERANGE);
  EXPECT_EQ(v, nullptr);
  ASSERT_EQ(chunkbuf_stream_readable_amount(s, &n), CHUNKBUF_OK);
  EXPECT_EQ(n, 2u);  // nothing consumed by any failure
  chunkbuf_stream_free(s);
}

// View reps are recycled, but only after 4096 more views were freed on the
// thread: a stale view handle keeps reading the dead tag until then, even
// while a line loop takes and releases views as fast as it can.
TEST(Misuse, StaleViewStaysDetectedWhileViewsAreRecycled) {
  chunkbuf_buffer* buf = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(nullptr, &buf), CHUNKBUF_OK);
  chunkbuf_view* stale = nullptr;
  ASSERT_EQ(chunkbuf_buffer_append(buf, "x\n", 2), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_take_line(buf, CHUNKBUF_EOL_LF, 0, &stale), CHUNKBUF_OK);
  chunkbuf_view_release(stale);
  for (int i = 0; i < 4000; ++i) {
    chunkbuf_view* v = nullptr;
    ASSERT_EQ(chunkbuf_buffer_append(buf, "line\n", 5), CHUNKBUF_OK);
    ASSERT_EQ(chunkbuf_buffer_take_line(buf, CHUNKBUF_EOL_LF, 0, &v), CHUNKBUF_OK);
    ASSERT_NE(v, stale) << "a released view's memory came back after " << i << " views";
    chunkbuf_view_release(v);
    size_t n = 0;
    ASSERT_EQ(chunkbuf_view_len(stale, &n), CHUNKBUF_EHANDLE);
  }
  chunkbuf_buffer_free(buf);
}

TEST(Misuse, WrongKindHandles) {
  chunkbuf_buffer* buf = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(nullptr, &buf), CHUNKBUF_OK);
  chunkbuf_view* view = nullptr;
  ASSERT_EQ(chunkbuf_view_from_bytes(nullptr, "x", 1, &view), CHUNKBUF_OK);
  Handles h;
  h.pool = reinterpret_cast<chunkbuf_pool*>(buf);
  h.buf = reinterpret_cast<chunkbuf_buffer*>(view);
  h.view = reinterpret_cast<chunkbuf_view*>(buf);
  h.framer = reinterpret_cast<chunkbuf_framer*>(buf);
  h.ring = reinterpret_cast<chunkbuf_ring*>(view);
  h.stream = reinterpret_cast<chunkbuf_stream*>(buf);
  expect_all_reject(h);
  EXPECT_NE(std::strstr(chunkbuf_last_error(), "not a chunkbuf_stream handle (chunkbuf_buffer)"), nullptr)
      << chunkbuf_last_error();
  size_t len = 0;
  EXPECT_EQ(chunkbuf_buffer_len(buf, &len), CHUNKBUF_OK);  // still alive and well
  chunkbuf_view_release(view);
  chunkbuf_buffer_free(buf);
}

TEST(Misuse, NullOutParamsAndBadArguments) {
  chunkbuf_buffer* buf = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(nullptr, &buf), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_append(buf, "hello\n", 6), CHUNKBUF_OK);
  const int E = CHUNKBUF_EINVAL;
  EXPECT_EQ(chunkbuf_pool_new(nullptr, nullptr), E);
  EXPECT_EQ(chunkbuf_buffer_new(nullptr, nullptr), E);
  EXPECT_EQ(chunkbuf_buffer_len(buf, nullptr), E);
  EXPECT_EQ(chunkbuf_buffer_append(buf, nullptr, 3), E);
  EXPECT_EQ(chunkbuf_buffer_prepend(buf, nullptr, 3), E);
  EXPECT_EQ(chunkbuf_buffer_prepend(buf, nullptr, 0), CHUNKBUF_OK);  // nothing to copy
  char four[4];
  size_t got = 0;
  EXPECT_EQ(chunkbuf_buffer_read_policy(buf, four, 4, CHUNKBUF_SHORT_BLOCK, &got), E);  // no writer to wait for
  EXPECT_EQ(chunkbuf_buffer_read_policy(buf, four, 4, 7, &got), E);
  EXPECT_EQ(chunkbuf_buffer_read_policy(buf, nullptr, 4, CHUNKBUF_SHORT_RAISE, &got), E);
  EXPECT_EQ(chunkbuf_buffer_read_policy(buf, four, 4, CHUNKBUF_SHORT_RAISE, nullptr), E);
  EXPECT_EQ(chunkbuf_buffer_find(buf, nullptr, 1, 0, CHUNKBUF_NPOS, nullptr), E);
  size_t pos = 0;
  EXPECT_EQ(chunkbuf_buffer_find(buf, nullptr, 0, 9, CHUNKBUF_NPOS, &pos), CHUNKBUF_OK);  // empty needle, NULL ok
  EXPECT_EQ(pos, CHUNKBUF_NPOS);
  EXPECT_EQ(chunkbuf_buffer_find(buf, "h", 1, 7, CHUNKBUF_NPOS, &pos), CHUNKBUF_ERANGE);
  EXPECT_EQ(chunkbuf_buffer_take_line(buf, static_cast<chunkbuf_eol>(42), 0, nullptr), E);
  chunkbuf_view* v = nullptr;
  EXPECT_EQ(chunkbuf_buffer_take_line(buf, static_cast<chunkbuf_eol>(42), 0, &v), E);
  char line[8];
  size_t line_len = 99;
  EXPECT_EQ(chunkbuf_buffer_read_line(buf, static_cast<chunkbuf_eol>(42), 0, line, sizeof line, &line_len), E);
  EXPECT_EQ(chunkbuf_buffer_read_line(buf, CHUNKBUF_EOL_LF, 0, nullptr, 8, &line_len), E);
  EXPECT_EQ(chunkbuf_buffer_read_line(buf, CHUNKBUF_EOL_LF, 0, line, sizeof line, nullptr), E);
  EXPECT_EQ(line_len, 99u);  // nothing written on failure
  EXPECT_EQ(chunkbuf_buffer_read_line(buf, CHUNKBUF_EOL_LF, 0, line, 4, &line_len), CHUNKBUF_ERANGE);
  EXPECT_EQ(line_len, 5u);  // the room it needs; nothing consumed
  EXPECT_EQ(chunkbuf_buffer_read_line(buf, CHUNKBUF_EOL_LF, 4, line, sizeof line, &line_len), CHUNKBUF_ELIMIT);
  chunkbuf_line lines[2];
  size_t n_lines = 99;
  EXPECT_EQ(chunkbuf_buffer_read_lines(buf, static_cast<chunkbuf_eol>(42), 0, lines, 2, &n_lines, &v), E);
  EXPECT_EQ(chunkbuf_buffer_read_lines(buf, CHUNKBUF_EOL_LF, 0, nullptr, 2, &n_lines, &v), E);
  EXPECT_EQ(chunkbuf_buffer_read_lines(buf, CHUNKBUF_EOL_LF, 0, lines, 0, &n_lines, &v), E);
  EXPECT_EQ(chunkbuf_buffer_read_lines(buf, CHUNKBUF_EOL_LF, 0, lines, 2, nullptr, &v), E);
  EXPECT_EQ(chunkbuf_buffer_read_lines(buf, CHUNKBUF_EOL_LF, 0, lines, 2, &n_lines, nullptr), E);
  EXPECT_EQ(n_lines, 99u);  // nothing written on failure
  EXPECT_EQ(chunkbuf_buffer_read_lines(buf, CHUNKBUF_EOL_LF, 4, lines, 2, &n_lines, &v), CHUNKBUF_ELIMIT);
  size_t still = 0;
  EXPECT_EQ(chunkbuf_buffer_len(buf, &still), CHUNKBUF_OK);
  EXPECT_EQ(still, 6u);
  uint16_t u16 = 0;
  EXPECT_EQ(chunkbuf_buffer_peek_u16(buf, 0, 7, &u16), E);
  EXPECT_EQ(chunkbuf_buffer_read_from_fd(buf, -1, 0, &pos), E);
  EXPECT_EQ(chunkbuf_buffer_split_to(buf, 7, &v), CHUNKBUF_ERANGE);
  EXPECT_EQ(chunkbuf_buffer_advance(buf, 7), CHUNKBUF_ERANGE);
  uint64_t u64 = 0;
  EXPECT_EQ(chunkbuf_buffer_read_uint(buf, 3, CHUNKBUF_BE, &u64), E);  // width
  EXPECT_EQ(chunkbuf_buffer_read_uint(buf, 2, 9, &u64), E);            // order
  EXPECT_EQ(chunkbuf_buffer_read_uint(buf, 2, CHUNKBUF_BE, nullptr), E);
  EXPECT_EQ(chunkbuf_buffer_read_exact(buf, nullptr, 2), E);
  EXPECT_EQ(chunkbuf_buffer_peek_exact(buf, nullptr, 2), E);
  EXPECT_EQ(chunkbuf_buffer_read_exact(buf, nullptr, 0), CHUNKBUF_OK);  // nothing to copy
  EXPECT_EQ(chunkbuf_view_concat(nullptr, 1, &v), E);
  EXPECT_EQ(chunkbuf_kind_register(nullptr, nullptr), E);
  const char* name = nullptr;
  EXPECT_EQ(chunkbuf_kind_name(0, nullptr), E);
  EXPECT_EQ(chunkbuf_kind_name(0, &name), CHUNKBUF_OK);
  EXPECT_STREQ(name, "raw");
  EXPECT_EQ(chunkbuf_pool_set_tenant_quota(chunkbuf_pool_default(), 0, 1), E);
  chunkbuf_framer* f = nullptr;
  EXPECT_EQ(chunkbuf_framer_new_delimiter(nullptr, &f), E);
  chunkbuf_delimiter_framer_options dopts = CHUNKBUF_DELIMITER_FRAMER_OPTIONS_INIT;
  EXPECT_EQ(chunkbuf_framer_new_delimiter(&dopts, &f), E);  // no delimiters
  chunkbuf_length_framer_options lopts = CHUNKBUF_LENGTH_FRAMER_OPTIONS_INIT;
  lopts.length_width = 3;
  EXPECT_EQ(chunkbuf_framer_new_length(&lopts, &f), E);
  lopts.length_width = 4;
  lopts.order = 9;
  EXPECT_EQ(chunkbuf_framer_new_length(&lopts, &f), E);
  EXPECT_EQ(f, nullptr);
  chunkbuf_ring* ring = nullptr;
  EXPECT_EQ(chunkbuf_ring_new(0, &ring), E);
  EXPECT_EQ(chunkbuf_ring_new(8, nullptr), E);
  EXPECT_EQ(chunkbuf_stream_new(nullptr, nullptr), E);
  int equal = 0;
  EXPECT_EQ(chunkbuf_buffer_equals(buf, "hello\n", 6, &equal), CHUNKBUF_OK);
  EXPECT_EQ(equal, 1);  // nothing above changed the bytes
  chunkbuf_buffer_free(buf);
}

TEST(Misuse, OptionsStructSizeIsCheckedBeforeCopying) {
  chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
  o.struct_size = sizeof o + 8;  // a newer caller
  chunkbuf_buffer* buf = nullptr;
  EXPECT_EQ(chunkbuf_buffer_new(&o, &buf), CHUNKBUF_EVERSION);
  EXPECT_EQ(buf, nullptr);
  chunkbuf_pool_options po = CHUNKBUF_POOL_OPTIONS_INIT;
  po.struct_size = 4;
  chunkbuf_pool* pool = nullptr;
  EXPECT_EQ(chunkbuf_pool_new(&po, &pool), CHUNKBUF_EVERSION);
  chunkbuf_pool_stats st = CHUNKBUF_POOL_STATS_INIT;
  st.struct_size = 0;
  EXPECT_EQ(chunkbuf_pool_stats_get(chunkbuf_pool_default(), &st), CHUNKBUF_EVERSION);
}

TEST(Misuse, EveryReshapingCallFailsDuringAReservation) {
  chunkbuf_buffer* buf = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(nullptr, &buf), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_append(buf, "line\nrest", 9), CHUNKBUF_OK);
  struct iovec iov[2];
  size_t n = 0;
  ASSERT_EQ(chunkbuf_buffer_reserve(buf, 16, iov, 2, &n), CHUNKBUF_OK);
  const int E = CHUNKBUF_ESTATE;
  chunkbuf_view* v = nullptr;
  chunkbuf_view* other = nullptr;
  ASSERT_EQ(chunkbuf_view_from_bytes(nullptr, "v", 1, &other), CHUNKBUF_OK);
  const void* p = nullptr;
  char tmp[4];
  chunkbuf_record rec[2];
  struct iovec one = {const_cast<char*>("a"), 1};
  EXPECT_EQ(chunkbuf_buffer_append(buf, "a", 1), E);
  EXPECT_EQ(chunkbuf_buffer_append_ref(buf, "a", 1, nullptr, nullptr), E);
  EXPECT_EQ(chunkbuf_buffer_append_refv(buf, &one, 1, nullptr, nullptr), E);
  EXPECT_EQ(chunkbuf_buffer_append_view(buf, other), E);
  EXPECT_EQ(chunkbuf_buffer_prepend(buf, "a", 1), E);
  EXPECT_EQ(chunkbuf_buffer_prepend_view(buf, other), E);
  EXPECT_EQ(chunkbuf_buffer_read_policy(buf, tmp, 1, CHUNKBUF_SHORT_PARTIAL, &n), E);
  EXPECT_EQ(chunkbuf_buffer_reserve(buf, 1, iov, 2, &n), E);
  EXPECT_EQ(chunkbuf_buffer_read_from_fd(buf, 0, 1, &n), E);
  EXPECT_EQ(chunkbuf_buffer_coalesce(buf, 6, &p), E);
  EXPECT_EQ(chunkbuf_buffer_advance(buf, 1), E);
  EXPECT_EQ(chunkbuf_buffer_read(buf, tmp, 1, &n), E);
  uint64_t word = 0;
  EXPECT_EQ(chunkbuf_buffer_read_uint(buf, 1, CHUNKBUF_BE, &word), E);
  EXPECT_EQ(chunkbuf_buffer_read_exact(buf, tmp, 1), E);
  EXPECT_EQ(chunkbuf_buffer_split_to(buf, 1, &v), E);
  EXPECT_EQ(chunkbuf_buffer_take_until(buf, "\n", 1, 0, 0, &v), E);
  EXPECT_EQ(chunkbuf_buffer_take_line(buf, CHUNKBUF_EOL_LF, 0, &v), E);
  EXPECT_EQ(chunkbuf_buffer_take_lines(buf, CHUNKBUF_EOL_LF, 0, rec, 2, &n, &v), E);
  chunkbuf_line lines[2];
  EXPECT_EQ(chunkbuf_buffer_read_lines(buf, CHUNKBUF_EOL_LF, 0, lines, 2, &n, &v), E);
  EXPECT_EQ(chunkbuf_buffer_take_records(buf, "\n", 1, 0, rec, 2, &n, &v), E);
  EXPECT_EQ(chunkbuf_buffer_read_line(buf, CHUNKBUF_EOL_LF, 0, tmp, sizeof tmp, &n), E);
  EXPECT_EQ(chunkbuf_buffer_write_to_fd(buf, 1, 1, &n), E);
  EXPECT_NE(std::strstr(chunkbuf_last_error(), "reservation"), nullptr);
  size_t len = 0;
  EXPECT_EQ(chunkbuf_buffer_len(buf, &len), CHUNKBUF_OK);  // looking is allowed
  EXPECT_EQ(len, 9u);
  EXPECT_EQ(chunkbuf_buffer_peek_lines(buf, CHUNKBUF_EOL_LF, 0, rec, 2, &n), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_buffer_peek_exact(buf, tmp, 2), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_commit(buf, 0), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_buffer_commit(buf, 0), CHUNKBUF_ENORESERVE);
  EXPECT_EQ(chunkbuf_buffer_advance(buf, 5), CHUNKBUF_OK);
  chunkbuf_view_release(other);
  chunkbuf_buffer_free(buf);
}

TEST(Errors, EveryCodeHasANameAndLastErrorIsNeverNull) {
  for (int c = 0; c >= -14; --c) {
    ASSERT_NE(chunkbuf_strerror(c), nullptr);
    EXPECT_STRNE(chunkbuf_strerror(c), "unknown error code") << c;
  }
  EXPECT_STREQ(chunkbuf_strerror(-999), "unknown error code");
  EXPECT_NE(chunkbuf_last_error(), nullptr);
}

TEST(Version, RuntimeMatchesHeader) {
  EXPECT_EQ(chunkbuf_version(), static_cast<unsigned>(CHUNKBUF_VERSION_NUMBER));
  std::string v = std::to_string(CHUNKBUF_VERSION_MAJOR) + "." + std::to_string(CHUNKBUF_VERSION_MINOR) + "." +
                  std::to_string(CHUNKBUF_VERSION_PATCH);
  EXPECT_EQ(v, chunkbuf_version_string());
  EXPECT_EQ(chunkbuf_features() & ~static_cast<unsigned>(CHUNKBUF_FEATURE_SHA256), 0u);
}

TEST(Misuse, BuildersPooledBuffersArenasAndNames) {
  const int E = CHUNKBUF_EHANDLE;
  size_t sz = 0;
  uint32_t id = 0;
  const char* name = nullptr;
  void* p = nullptr;
  chunkbuf_view* v = nullptr;
  chunkbuf_buffer* b = nullptr;
  chunkbuf_arena* a = nullptr;

  // Names: NULL, empty, unknown.
  EXPECT_EQ(chunkbuf_kind_lookup(nullptr, &id), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_kind_lookup("jpeg", nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_kind_lookup("", &id), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_kind_lookup("misuse-never-registered", &id), CHUNKBUF_EINVAL);
  EXPECT_NE(std::strstr(chunkbuf_last_error(), "misuse-never-registered"), nullptr) << chunkbuf_last_error();
  EXPECT_EQ(chunkbuf_tenant_register(nullptr, &id), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_tenant_register("alpha", nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_tenant_register("has space", &id), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_tenant_register(std::string(64, 'x').c_str(), &id), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_tenant_name(0, &name), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_tenant_name(UINT32_MAX, &name), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_tenant_name(1, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_optimal_buffer_size(1, 0, 0, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_optimal_buffer_size(1, 9000, 8192, &sz), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_optimal_buffer_size(1, 0, (size_t{1} << 30) + 1, &sz), CHUNKBUF_EINVAL);

  // NULL and freed handles.
  EXPECT_EQ(chunkbuf_buffer_capacity(nullptr, &sz), E);
  EXPECT_EQ(chunkbuf_buffer_ensure_capacity(nullptr, 1), E);
  EXPECT_EQ(chunkbuf_buffer_freeze(nullptr, 0, &v), E);
  EXPECT_EQ(chunkbuf_view_with_tenant(nullptr, 1, &v), E);
  EXPECT_EQ(chunkbuf_arena_alloc(nullptr, 1, 0, &p), E);
  EXPECT_EQ(chunkbuf_arena_reset(nullptr), E);
  EXPECT_EQ(chunkbuf_arena_usage(nullptr, &sz, &sz), E);
  chunkbuf_arena_free(nullptr);
  chunkbuf_pool* pool = nullptr;
  ASSERT_EQ(chunkbuf_pool_new(nullptr, &pool), CHUNKBUF_OK);
  chunkbuf_pool_free(pool);
  EXPECT_EQ(chunkbuf_pool_prewarm(pool, 4096, 1), E);
  EXPECT_EQ(chunkbuf_pool_get(pool, 4096, &b), E);
  EXPECT_EQ(chunkbuf_arena_new(pool, 64, &a), E);
  EXPECT_EQ(chunkbuf_view_from_bytes_kind(pool, "a", 1, 0, &v), E);
  ASSERT_EQ(chunkbuf_arena_new(nullptr, 64, &a), CHUNKBUF_OK);
  chunkbuf_arena_free(a);
  EXPECT_EQ(chunkbuf_arena_alloc(a, 1, 0, &p), E);
  EXPECT_NE(std::strstr(chunkbuf_last_error(), "already freed"), nullptr) << chunkbuf_last_error();
  chunkbuf_arena_free(a);  // detected and ignored
  // A buffer handle is not an arena.
  ASSERT_EQ(chunkbuf_buffer_new(nullptr, &b), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_arena_reset(reinterpret_cast<chunkbuf_arena*>(b)), E);

  // Bad arguments on live handles.
  EXPECT_EQ(chunkbuf_pool_prewarm(nullptr, 0, 1), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_pool_prewarm(nullptr, (1u << 20) + 1, 1), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_pool_get(nullptr, 0, &b), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_pool_get(nullptr, (1u << 20) + 1, &b), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_pool_get(nullptr, 4096, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_view_from_bytes_kind(nullptr, "a", 1, 0xFFFFFFu, &v), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_view_from_bytes_kind(nullptr, nullptr, 1, 0, &v), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_view_from_bytes_kind(nullptr, "a", 1, 0, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_buffer_capacity(b, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_buffer_freeze(b, 0xFFFFFFu, &v), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_buffer_freeze(b, 0, nullptr), CHUNKBUF_EINVAL);
  struct iovec iov[2];
  ASSERT_EQ(chunkbuf_buffer_reserve(b, 8, iov, 2, &sz), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_buffer_ensure_capacity(b, 1), CHUNKBUF_ESTATE);
  EXPECT_EQ(chunkbuf_buffer_freeze(b, 0, &v), CHUNKBUF_ESTATE);
  ASSERT_EQ(chunkbuf_buffer_commit(b, 0), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_view_with_tenant(nullptr, 1, nullptr), E);
  chunkbuf_buffer_free(b);
  EXPECT_EQ(chunkbuf_arena_new(nullptr, 0, &a), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_arena_new(nullptr, (size_t{1} << 30) + 1, &a), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_arena_new(nullptr, 16, nullptr), CHUNKBUF_EINVAL);
  ASSERT_EQ(chunkbuf_arena_new(nullptr, 16, &a), CHUNKBUF_OK);
  EXPECT_EQ(chunkbuf_arena_alloc(a, 0, 0, &p), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_arena_alloc(a, 1, 3, &p), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_arena_alloc(a, 1, 8192, &p), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_arena_alloc(a, 1, 0, nullptr), CHUNKBUF_EINVAL);
  EXPECT_EQ(chunkbuf_arena_alloc(a, 17, 0, &p), CHUNKBUF_ELIMIT);
  EXPECT_EQ(chunkbuf_arena_alloc(a, SIZE_MAX, 0, &p), CHUNKBUF_ELIMIT);
  EXPECT_EQ(chunkbuf_arena_usage(a, nullptr, nullptr), CHUNKBUF_OK);
  chunkbuf_arena_free(a);
}
