// libFuzzer target: single-threaded Stream operation sequences through the
// C API (every blocking call with timeout 0), checked after every step
// against a model: the bytes written, the read position, EOF.
#include <chunkbuf.h>
#include <poll.h>

#include <cstdlib>
#include <cstring>
#include <string>

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

struct Model {
  std::string written;
  size_t pos = 0;
  bool closed = false;
  size_t unread() const { return written.size() - pos; }
  std::string take(size_t n) {
    std::string s = written.substr(pos, n);
    pos += s.size();
    return s;
  }
};

bool readable(int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  return poll(&p, 1, 0) == 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  o.retain = in.byte() & 1;
  chunkbuf_stream* s = nullptr;
  CHECK(chunkbuf_stream_new(&o, &s) == CHUNKBUF_OK);
  int fd = -1;
  CHECK(chunkbuf_stream_readiness_fd(s, &fd) == CHUNKBUF_OK);
  Model m;
  char tmp[512];

  while (!in.empty()) {
    size_t n = 0;
    chunkbuf_view* v = nullptr;
    switch (in.byte() % 11) {
      case 0: {  // write
        std::string d = in.bytes(in.below(200));
        int rc = chunkbuf_stream_write(s, d.data(), d.size(), 0);
        CHECK(rc == (m.closed ? CHUNKBUF_ECLOSED : CHUNKBUF_OK));
        if (!m.closed) m.written += d;
        break;
      }
      case 1: {  // read: n bytes or EOF, else EAGAIN
        size_t want = in.below(300);
        int rc = chunkbuf_stream_read(s, tmp, want, 0, &n);
        if (want == 0 || m.unread() >= want || m.closed) {
          CHECK(rc == CHUNKBUF_OK && std::string(tmp, n) == m.take(want));
        } else {
          CHECK(rc == CHUNKBUF_EAGAIN);
        }
        break;
      }
      case 2: {  // read1
        size_t want = 1 + in.below(300);
        int rc = chunkbuf_stream_read1(s, tmp, want, 0, &n);
        if (m.unread() > 0 || m.closed) {
          CHECK(rc == CHUNKBUF_OK && std::string(tmp, n) == m.take(want));
        } else {
          CHECK(rc == CHUNKBUF_EAGAIN);
        }
        break;
      }
      case 3: {  // read_nonblock
        size_t want = 1 + in.below(300);
        int rc = chunkbuf_stream_read_nonblock(s, tmp, want, &n);
        if (m.unread() > 0 || m.closed) {
          CHECK(rc == CHUNKBUF_OK && std::string(tmp, n) == m.take(want));
        } else {
          CHECK(rc == CHUNKBUF_EAGAIN);
        }
        break;
      }
      case 4: {  // readline with an optional max
        size_t max = in.byte() & 1 ? 1 + in.below(40) : 0;
        int rc = chunkbuf_stream_readline(s, max, 0, &v);
        size_t nl = m.written.find('\n', m.pos);
        size_t line = nl == std::string::npos ? std::string::npos : nl + 1 - m.pos;
        size_t expect_len;
        if (line != std::string::npos && (!max || line <= max)) expect_len = line;
        else if (max && m.unread() >= max) expect_len = max;
        else if (m.closed) expect_len = m.unread();
        else expect_len = std::string::npos;
        if (expect_len == std::string::npos) {
          CHECK(rc == CHUNKBUF_EAGAIN);
        } else {
          CHECK(rc == CHUNKBUF_OK && take_view(v) == m.take(expect_len));
        }
        break;
      }
      case 5: {  // read_view until EOF
        int rc = chunkbuf_stream_read_view(s, CHUNKBUF_NPOS, 0, &v);
        if (m.closed) {
          CHECK(rc == CHUNKBUF_OK && take_view(v) == m.take(std::string::npos));
        } else {
          CHECK(rc == CHUNKBUF_EAGAIN);
        }
        break;
      }
      case 6: {  // find among the unread bytes
        std::string needle = in.bytes(1 + in.below(3));
        if (needle.empty()) break;
        size_t start = in.below(m.unread() + 1), pos = 0;
        CHECK(chunkbuf_stream_find(s, needle.data(), needle.size(), start, CHUNKBUF_NPOS, &pos) == CHUNKBUF_OK);
        size_t want = m.written.substr(m.pos).find(needle, start);
        CHECK(pos == (want == std::string::npos ? CHUNKBUF_NPOS : want));
        break;
      }
      case 7:  // close (idempotent)
        CHECK(chunkbuf_stream_close(s) == CHUNKBUF_OK);
        m.closed = true;
        break;
      case 8: {  // seek: retained mode only
        size_t to = in.below(m.written.size() + 3);
        uint64_t pos = 0;
        int rc = chunkbuf_stream_seek(s, static_cast<int64_t>(to), SEEK_SET, &pos);
        if (!o.retain) {
          CHECK(rc == CHUNKBUF_ESTATE);
        } else if (to > m.written.size()) {
          CHECK(rc == CHUNKBUF_ERANGE);
        } else {
          CHECK(rc == CHUNKBUF_OK && pos == to);
          m.pos = to;
        }
        break;
      }
      case 9: {  // readlines batch
        chunkbuf_record recs[4];
        int rc = chunkbuf_stream_readlines(s, recs, 4, 0, &n, &v);
        bool line_ready = m.written.find('\n', m.pos) != std::string::npos;
        if (!line_ready && !m.closed) {
          CHECK(rc == CHUNKBUF_EAGAIN);
          break;
        }
        CHECK(rc == CHUNKBUF_OK);
        std::string all = n ? take_view(v) : "";
        for (size_t i = 0; i < n; ++i) {
          size_t nl = m.written.find('\n', m.pos);
          std::string line = m.take(nl == std::string::npos ? std::string::npos : nl + 1 - m.pos);
          CHECK(all.substr(recs[i].offset, recs[i].length + recs[i].delim_length) == line);
        }
        if (n == 0) CHECK(m.closed && m.unread() == 0);
        break;
      }
      case 10: {  // tell
        uint64_t pos = 0;
        CHECK(chunkbuf_stream_tell(s, &pos) == CHUNKBUF_OK && pos == m.pos);
        break;
      }
    }
    size_t amount = 0;
    int eof = 0;
    CHECK(chunkbuf_stream_readable_amount(s, &amount) == CHUNKBUF_OK && amount == m.unread());
    CHECK(chunkbuf_stream_at_eof(s, &eof) == CHUNKBUF_OK && eof == (m.closed && m.unread() == 0));
    CHECK(readable(fd) == (m.unread() > 0 || m.closed));  // the readiness fd tracks the state
  }
  chunkbuf_stream_free(s);
  return 0;
}
