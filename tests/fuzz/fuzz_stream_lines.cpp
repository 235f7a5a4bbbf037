// libFuzzer target: stream line reads against the Buffer's take_line. The
// input picks an end-of-line style, the write pieces (copied or by
// reference) and the bytes; chunkbuf_stream_peek_lines /
// chunkbuf_stream_read_lines / chunkbuf_stream_read_line must hand out
// exactly the lines take_line finds in a buffer of the same bytes, each
// contiguous, and then the last line at EOF. read_line starts with a small
// destination and retries with the room each ERANGE reports; the lines and
// ends of line it copies add up to every byte written.
#include <chunkbuf.h>

#include <cstring>
#include <string>
#include <vector>

#include "fuzz_input.h"

namespace {

std::string take_view(chunkbuf_view* v) {
  size_t len = 0, n = 0;
  CHECK(chunkbuf_view_len(v, &len) == CHUNKBUF_OK);
  std::string s(len, '\0');
  CHECK(chunkbuf_view_copy_out(v, 0, s.data(), len, &n) == CHUNKBUF_OK);
  chunkbuf_view_release(v);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  const chunkbuf_eol eol = static_cast<chunkbuf_eol>(in.byte() % 5);
  const size_t batch = 1 + in.byte() % 8;
  const int mode = in.byte() % 3;  // peek_lines + consume, read_lines, read_line
  size_t cap = in.byte() % 8;       // read_line's first destination size
  // The bytes, drawn from a small alphabet so that ends of line are common.
  std::string bytes;
  std::vector<size_t> cuts;
  static const char kAlphabet[] = {'a', 'b', '\r', '\n', '\0', 'c'};
  while (!in.empty() && bytes.size() < 4096) {
    size_t piece = 1 + in.byte() % 16;
    for (size_t i = 0; i < piece && !in.empty(); ++i) bytes += kAlphabet[in.byte() % sizeof kAlphabet];
    cuts.push_back(bytes.size());
  }
  chunkbuf_stream* s = nullptr;
  chunkbuf_buffer* b = nullptr;
  CHECK(chunkbuf_stream_new(nullptr, &s) == CHUNKBUF_OK);
  CHECK(chunkbuf_buffer_new(nullptr, &b) == CHUNKBUF_OK);
  for (size_t i = 0, from = 0; i < cuts.size(); from = cuts[i++]) {
    const char* p = bytes.data() + from;
    size_t n = cuts[i] - from;
    // Odd pieces by reference: each is then a block of its own.
    CHECK((i & 1 ? chunkbuf_stream_write_ref(s, p, n, nullptr, nullptr, 0) : chunkbuf_stream_write(s, p, n, 0)) ==
          CHUNKBUF_OK);
    CHECK(chunkbuf_buffer_append_ref(b, p, n, nullptr, nullptr) == CHUNKBUF_OK);
  }
  CHECK(chunkbuf_stream_close(s) == CHUNKBUF_OK);

  std::vector<std::string> want;
  for (chunkbuf_view* v = nullptr; chunkbuf_buffer_take_line(b, eol, 0, &v) == CHUNKBUF_OK;) {
    const void* p = nullptr;
    size_t n = 0;
    CHECK(chunkbuf_view_data(v, &p, &n) == CHUNKBUF_OK);  // take_line's lines are contiguous too
    want.push_back(take_view(v));
  }
  size_t rest = 0;
  CHECK(chunkbuf_buffer_len(b, &rest) == CHUNKBUF_OK);
  if (rest) want.push_back(bytes.substr(bytes.size() - rest));  // the last line at EOF

  std::vector<std::string> got;
  std::vector<chunkbuf_line> lines(batch);
  chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
  w.timeout_ms = 0;
  size_t copied = 0;  // read_line: lines and ends of line
  std::vector<char> dst(cap);
  for (;;) {
    size_t n = 0;
    chunkbuf_view* v = nullptr;
    if (mode == 2) {
      size_t len = 0, eol_len = 0;
      int rc = chunkbuf_stream_read_line(s, eol, 0, dst.data(), cap, &w, &len, &eol_len);
      if (rc == CHUNKBUF_ERANGE) {  // nothing consumed: retry with the room it reports
        CHECK(len + eol_len > cap);
        cap = len + eol_len;
        dst.resize(cap);
        rc = chunkbuf_stream_read_line(s, eol, 0, dst.data(), cap, &w, &len, &eol_len);
      }
      CHECK(rc == CHUNKBUF_OK);
      if (len + eol_len == 0) break;  // EOF
      got.emplace_back(dst.data(), len);
      copied += len + eol_len;
      continue;
    }
    if (mode == 0) {
      chunkbuf_handout h;
      CHECK(chunkbuf_stream_peek_lines(s, eol, 0, lines.data(), batch, &w, &n, &v, &h) == CHUNKBUF_OK);
      for (size_t i = 0; i < n; ++i) {
        got.emplace_back(static_cast<const char*>(lines[i].data), lines[i].length);
        CHECK(chunkbuf_stream_consume(s, &h, lines[i].length + lines[i].eol_length, nullptr) == CHUNKBUF_OK);
      }
      CHECK(h.length == 0);
    } else {
      CHECK(chunkbuf_stream_read_lines(s, eol, 0, lines.data(), batch, &w, &n, &v) == CHUNKBUF_OK);
      for (size_t i = 0; i < n; ++i) got.emplace_back(static_cast<const char*>(lines[i].data), lines[i].length);
    }
    chunkbuf_view_release(v);
    if (n == 0) break;
  }
  CHECK(got == want);
  CHECK(mode != 2 || copied == bytes.size());
  int eof = 0;
  CHECK(chunkbuf_stream_at_eof(s, &eof) == CHUNKBUF_OK && eof == 1);
  chunkbuf_stream_free(s);
  chunkbuf_buffer_free(b);
  return 0;
}
