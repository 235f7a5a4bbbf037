// chunkbuf_stream_peek_lines / chunkbuf_stream_read_lines through the C API:
// pointer + length access to every line, also one that straddles blocks.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "chunkbuf.h"

namespace {

// Writes text in pieces of `cut` bytes by reference, so each piece is a
// block of its own and lines straddle blocks; text must outlive the stream.
void write_by_reference(chunkbuf_stream* s, const std::string& text, size_t cut) {
  for (size_t off = 0; off < text.size(); off += cut)
    ASSERT_EQ(chunkbuf_stream_write_ref(s, text.data() + off, std::min(cut, text.size() - off), nullptr, nullptr, -1),
              CHUNKBUF_OK);
}

TEST(StreamLinesCapi, PeekConsumeAndReadLinesWithCrlf) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  const std::string text = "GET / HTTP/1.1\r\nHost: x\r\n\r\nbody";
  write_by_reference(s, text, 6);
  chunkbuf_line lines[8];
  size_t n = 0;
  chunkbuf_view* v = nullptr;
  chunkbuf_handout h;
  chunkbuf_error err = CHUNKBUF_ERROR_INIT;
  chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
  w.error = &err;
  ASSERT_EQ(chunkbuf_stream_peek_lines(s, CHUNKBUF_EOL_CRLF, 0, lines, 8, &w, &n, &v, &h), CHUNKBUF_OK);
  ASSERT_EQ(n, 3u);
  EXPECT_EQ(std::string(static_cast<const char*>(lines[0].data), lines[0].length), "GET / HTTP/1.1");
  EXPECT_EQ(std::string(static_cast<const char*>(lines[1].data), lines[1].length), "Host: x");
  EXPECT_EQ(lines[2].length, 0u);
  EXPECT_EQ(h.length, 27u);
  ASSERT_EQ(chunkbuf_stream_consume(s, &h, lines[0].length + lines[0].eol_length, &err), CHUNKBUF_OK);
  chunkbuf_view_release(v);
  ASSERT_EQ(chunkbuf_stream_read_lines(s, CHUNKBUF_EOL_CRLF, 0, lines, 8, &w, &n, &v), CHUNKBUF_OK);
  ASSERT_EQ(n, 2u);
  EXPECT_EQ(std::string(static_cast<const char*>(lines[0].data), lines[0].length), "Host: x");
  chunkbuf_view_release(v);
  size_t left = 0;
  ASSERT_EQ(chunkbuf_stream_readable_amount(s, &left), CHUNKBUF_OK);
  EXPECT_EQ(left, 4u);  // "body" waits for its end of line or EOF
  w.timeout_ms = 0;
  EXPECT_EQ(chunkbuf_stream_read_lines(s, CHUNKBUF_EOL_CRLF, 0, lines, 8, &w, &n, &v), CHUNKBUF_EAGAIN);
  EXPECT_EQ(err.code, CHUNKBUF_EAGAIN);
  ASSERT_EQ(chunkbuf_stream_close(s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_read_lines(s, CHUNKBUF_EOL_CRLF, 0, lines, 8, &w, &n, &v), CHUNKBUF_OK);
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(std::string(static_cast<const char*>(lines[0].data), lines[0].length), "body");
  EXPECT_EQ(lines[0].eol_length, 0u);
  chunkbuf_view_release(v);
  chunkbuf_stream_free(s);
}

// chunkbuf_stream_read_line: one line per call copied into the caller's
// memory, also one that straddles blocks; ERANGE tells the room to retry
// with; EAGAIN, EOF and the error struct.
TEST(StreamLinesCapi, ReadLineCopiesEachLineAndSaysTheRoomItNeeds) {
  chunkbuf_stream* s = nullptr;
  ASSERT_EQ(chunkbuf_stream_new(nullptr, &s), CHUNKBUF_OK);
  const std::string text = "GET / HTTP/1.1\r\nHost: x\r\n\r\nbody";
  write_by_reference(s, text, 6);
  chunkbuf_error err = CHUNKBUF_ERROR_INIT;
  chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
  w.error = &err;
  char line[64];
  size_t len = 0, eol_len = 0;
  EXPECT_EQ(chunkbuf_stream_read_line(s, CHUNKBUF_EOL_CRLF, 0, line, 10, &w, &len, &eol_len), CHUNKBUF_ERANGE);
  EXPECT_EQ(err.code, CHUNKBUF_ERANGE);
  EXPECT_EQ(len + eol_len, 16u);  // the room the retry needs
  ASSERT_EQ(chunkbuf_stream_read_line(s, CHUNKBUF_EOL_CRLF, 0, line, len + eol_len, &w, &len, &eol_len),
            CHUNKBUF_OK);
  EXPECT_EQ(std::string(line, len), "GET / HTTP/1.1");
  EXPECT_EQ(std::string(line + len, eol_len), "\r\n");
  ASSERT_EQ(chunkbuf_stream_read_line(s, CHUNKBUF_EOL_CRLF, 0, line, sizeof line, &w, &len, &eol_len), CHUNKBUF_OK);
  EXPECT_EQ(std::string(line, len), "Host: x");
  ASSERT_EQ(chunkbuf_stream_read_line(s, CHUNKBUF_EOL_CRLF, 0, line, sizeof line, &w, &len, &eol_len), CHUNKBUF_OK);
  EXPECT_EQ(len, 0u);  // the empty line ending the head
  EXPECT_EQ(eol_len, 2u);
  w.timeout_ms = 0;
  EXPECT_EQ(chunkbuf_stream_read_line(s, CHUNKBUF_EOL_CRLF, 0, line, sizeof line, &w, &len, &eol_len),
            CHUNKBUF_EAGAIN);
  EXPECT_EQ(err.code, CHUNKBUF_EAGAIN);
  ASSERT_EQ(chunkbuf_stream_close(s), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_stream_read_line(s, CHUNKBUF_EOL_CRLF, 0, line, sizeof line, &w, &len, &eol_len), CHUNKBUF_OK);
  EXPECT_EQ(std::string(line, len), "body");
  EXPECT_EQ(eol_len, 0u);  // the last line at EOF has no end
  ASSERT_EQ(chunkbuf_stream_read_line(s, CHUNKBUF_EOL_CRLF, 0, nullptr, 0, nullptr, &len, &eol_len), CHUNKBUF_OK);
  EXPECT_EQ(len + eol_len, 0u);  // EOF
  chunkbuf_stream_free(s);
}

// The README's C loop over take_line: a line straddling two appended
// blocks is handed out contiguous, so chunkbuf_view_data never refuses it.
TEST(StreamLinesCapi, BufferTakeLineIsAlwaysContiguous) {
  chunkbuf_buffer* b = nullptr;
  ASSERT_EQ(chunkbuf_buffer_new(nullptr, &b), CHUNKBUF_OK);
  static const char a[] = "first li", c[] = "ne\nsecond\n";
  ASSERT_EQ(chunkbuf_buffer_append_ref(b, a, sizeof a - 1, nullptr, nullptr), CHUNKBUF_OK);
  ASSERT_EQ(chunkbuf_buffer_append_ref(b, c, sizeof c - 1, nullptr, nullptr), CHUNKBUF_OK);
  std::vector<std::string> got;
  chunkbuf_view* line = nullptr;
  while (chunkbuf_buffer_take_line(b, CHUNKBUF_EOL_LF, 0, &line) == CHUNKBUF_OK) {
    const void* p = nullptr;
    size_t n = 0;
    ASSERT_EQ(chunkbuf_view_data(line, &p, &n), CHUNKBUF_OK);
    got.emplace_back(static_cast<const char*>(p), n);
    chunkbuf_view_release(line);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"first line", "second"}));
  chunkbuf_buffer_free(b);
}

}  // namespace
