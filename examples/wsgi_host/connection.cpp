#include "connection.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace wsgi_host {
namespace {

constexpr size_t kReadMax = 256 * 1024;  // one readv into pool memory
constexpr size_t kMaxChunkLine = 4096;   // a chunk-size line with extensions
constexpr size_t kMaxHeaders = 100;
// The abort codes a handler sees (AbortedError.abort_code).
constexpr int kAbortClientGone = ECONNRESET;
constexpr int kAbortBadBody = EPROTO;
constexpr int kAbortTimeout = ETIMEDOUT;

enum class Body { Done, ClientGone, Bad, Timeout, TooLong };

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return s;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// An RFC 9110 token (a method or a header name): one or more tchars. A
// name with a space before its colon is not one: framing headers spelled
// so must not be read differently by a proxy in front and by this server.
bool is_token(const std::string& s) {
  static const char kExtra[] = "!#$%&'*+-.^_`|~";
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          (c != '\0' && std::strchr(kExtra, c) != nullptr)))
      return false;
  return true;
}

// Contains token (comma-separated, case-insensitive) in a header value.
bool has_token(const std::string& value, const char* token) {
  std::string v = lower(value);
  size_t start = 0;
  while (start <= v.size()) {  // one pass per list element
    size_t comma = v.find(',', start);
    std::string item = trim(v.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (item == token) return true;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return false;
}

std::string view_string(chunkbuf_view* v) {
  size_t len = 0, copied = 0;
  chunkbuf_view_len(v, &len);
  std::string s(len, '\0');
  chunkbuf_view_copy_out(v, 0, s.data(), len, &copied);
  s.resize(copied);
  return s;
}

class Connection {
 public:
  Connection(int fd, const Config& cfg) : fd_(fd), cfg_(cfg) {
    chunkbuf_buffer_options o = CHUNKBUF_BUFFER_OPTIONS_INIT;
    o.min_chunk = 64 * 1024;
    if (chunkbuf_buffer_new(&o, &in_) != CHUNKBUF_OK) in_ = nullptr;
    timeval tv{cfg.io_timeout_ms / 1000, (cfg.io_timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  ~Connection() {
    chunkbuf_buffer_free(in_);
    close(fd_);
  }
  bool ok() const { return in_ != nullptr; }

  // 1: a request head was read; 0: the client closed (or stayed idle)
  // between requests; -1: a malformed or oversized head (400 sent).
  int read_head(Request& r);
  // Moves the body into s (Content-Length or chunked).
  Body body(chunkbuf_stream* s, bool chunked, uint64_t length);
  void reply_error(const char* status) {
    std::string msg = std::string("HTTP/1.1 ") + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    send_all(fd_, msg.data(), msg.size());
  }

 private:
  // Reads up to max bytes from the socket into pool memory: > 0 bytes, 0 at
  // end of file, -1 on error or timeout.
  long fill(size_t max) {
    size_t n = 0;
    int rc = chunkbuf_buffer_read_from_fd(in_, fd_, std::min(max, kReadMax), &n);
    return rc == CHUNKBUF_OK ? static_cast<long>(n) : -1;
  }
  size_t buffered() const {
    size_t n = 0;
    chunkbuf_buffer_len(in_, &n);
    return n;
  }
  // One CRLF line (without CRLF) of at most max bytes: 1 ok, 0 closed, -1 bad.
  int line(size_t max, std::string* out);
  // Moves n body bytes to sink_ (or discards them once sink_ is gone).
  Body bytes(uint64_t n);

  int fd_;
  const Config& cfg_;
  chunkbuf_buffer* in_ = nullptr;
  chunkbuf_stream* sink_ = nullptr;  // null: the handler is gone, discard
  size_t drained_ = 0;
};

int Connection::line(size_t max, std::string* out) {
  for (;;) {  // bounded: each pass reads at least one byte, the line at most max
    chunkbuf_view* v = nullptr;
    int rc = chunkbuf_buffer_take_line(in_, CHUNKBUF_EOL_CRLF, max, &v);
    if (rc == CHUNKBUF_OK) {
      *out = view_string(v);
      chunkbuf_view_release(v);
      return 1;
    }
    if (rc != CHUNKBUF_ENEEDMORE || buffered() > max) return -1;
    long n = fill(kReadMax);
    if (n <= 0) return n == 0 ? 0 : -1;
  }
}

int Connection::read_head(Request& r) {
  size_t pos = CHUNKBUF_NPOS;
  for (;;) {  // bounded: each pass reads at least one byte, the head at most max_head
    // Empty lines before a request line are allowed (RFC 9112 2.2).
    while (buffered() >= 2) {
      char crlf[2];
      size_t got = 0;
      chunkbuf_buffer_copy_out(in_, 0, crlf, 2, &got);
      if (crlf[0] != '\r' || crlf[1] != '\n') break;
      chunkbuf_buffer_advance(in_, 2);
    }
    chunkbuf_buffer_find(in_, "\r\n\r\n", 4, 0, CHUNKBUF_NPOS, &pos);
    if (pos != CHUNKBUF_NPOS) break;
    size_t bare = CHUNKBUF_NPOS;  // a head ended by bare LFs would wait out the read timeout
    chunkbuf_buffer_find(in_, "\n\n", 2, 0, CHUNKBUF_NPOS, &bare);
    if (bare != CHUNKBUF_NPOS) {
      reply_error("400 Bad Request");
      return -1;
    }
    if (buffered() > cfg_.max_head) {
      reply_error("431 Request Header Fields Too Large");
      return -1;
    }
    if (buffered() == 0) {  // between requests: wait up to the idle timeout
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, cfg_.idle_timeout_ms) <= 0) return 0;
    }
    long n = fill(kReadMax);
    if (n <= 0) return buffered() == 0 ? 0 : -1;
  }
  if (pos + 4 > cfg_.max_head) {
    reply_error("431 Request Header Fields Too Large");
    return -1;
  }
  std::string first;
  if (line(cfg_.max_head, &first) != 1) return -1;
  // method SP target SP version: exactly two spaces, a token method.
  size_t sp1 = first.find(' '), sp2 = first.rfind(' ');
  if (sp1 == std::string::npos || sp2 == sp1 || first.find(' ', sp1 + 1) != sp2 || sp2 == sp1 + 1 ||
      !is_token(first.substr(0, sp1))) {
    reply_error("400 Bad Request");
    return -1;
  }
  r.method = first.substr(0, sp1);
  r.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
  r.version = first.substr(sp2 + 1);
  if (r.version != "HTTP/1.1" && r.version != "HTTP/1.0") {
    reply_error("505 HTTP Version Not Supported");
    return -1;
  }
  r.client_keep_alive = r.version == "HTTP/1.1";
  for (;;) {  // bounded by the head's length (found complete above)
    std::string h;
    if (line(cfg_.max_head, &h) != 1) return -1;
    if (h.empty()) break;
    size_t colon = h.find(':');
    if (colon == std::string::npos || colon == 0 || h[0] == ' ' || h[0] == '\t' ||
        r.headers.size() >= kMaxHeaders) {
      reply_error("400 Bad Request");
      return -1;
    }
    if (!is_token(h.substr(0, colon))) {
      reply_error("400 Bad Request");
      return -1;
    }
    std::string name = lower(h.substr(0, colon)), value = trim(h.substr(colon + 1));
    if (name == "connection") {
      if (has_token(value, "close")) r.client_keep_alive = false;
      if (has_token(value, "keep-alive")) r.client_keep_alive = true;
    }
    r.headers.emplace_back(std::move(name), std::move(value));
  }
  return 1;
}

Body Connection::bytes(uint64_t n) {
  while (n > 0) {  // bounded: each pass moves at least one byte of the n
    size_t have = buffered();
    if (have == 0) {
      long got = fill(static_cast<size_t>(std::min<uint64_t>(n, kReadMax)));
      if (got <= 0) return Body::ClientGone;
      continue;
    }
    size_t take = static_cast<size_t>(std::min<uint64_t>(have, n));
    if (sink_ != nullptr) {
      chunkbuf_view* v = nullptr;
      if (chunkbuf_buffer_split_to(in_, take, &v) != CHUNKBUF_OK) return Body::Bad;
      // Blocks while the handler is high_water bytes behind: the socket is
      // not read meanwhile, so the client is held back by TCP.
      int rc = chunkbuf_stream_write_view(sink_, v, cfg_.io_timeout_ms);
      chunkbuf_view_release(v);
      if (rc == CHUNKBUF_ETIMEDOUT) return Body::Timeout;
      if (rc != CHUNKBUF_OK) sink_ = nullptr;  // closed by the handler (or aborted): discard the rest
    } else {
      if (drained_ + take > cfg_.max_drain) return Body::TooLong;
      drained_ += take;
      chunkbuf_buffer_advance(in_, take);
    }
    n -= take;
  }
  return Body::Done;
}

Body Connection::body(chunkbuf_stream* s, bool chunked, uint64_t length) {
  sink_ = s;
  drained_ = 0;
  if (!chunked) return bytes(length);
  for (;;) {  // one pass per chunk; bounded by the body
    std::string size_line;
    int rc = line(kMaxChunkLine, &size_line);
    if (rc != 1) return rc == 0 ? Body::ClientGone : Body::Bad;
    size_t digits = 0;
    uint64_t size = 0;
    for (char c : size_line) {
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) break;
      if (++digits > 15) return Body::Bad;
      size = size * 16 + static_cast<uint64_t>(d);
    }
    if (digits == 0 || (digits < size_line.size() && size_line[digits] != ';' && size_line[digits] != ' ' &&
                        size_line[digits] != '\t'))
      return Body::Bad;
    if (size == 0) {
      for (;;) {  // trailer fields until the empty line; bounded by max_head
        std::string trailer;
        rc = line(cfg_.max_head, &trailer);
        if (rc != 1) return rc == 0 ? Body::ClientGone : Body::Bad;
        if (trailer.empty()) return Body::Done;
      }
    }
    Body b = bytes(size);
    if (b != Body::Done) return b;
    std::string crlf;
    rc = line(2, &crlf);
    if (rc != 1 || !crlf.empty()) return rc == 0 ? Body::ClientGone : Body::Bad;
  }
}

// Content-Length / Transfer-Encoding of a request: false when malformed.
bool body_framing(const Request& r, bool* chunked, uint64_t* length, bool* expect_continue) {
  *chunked = false;
  *length = 0;
  *expect_continue = false;
  bool has_length = false;
  for (const auto& [name, value] : r.headers) {
    if (name == "transfer-encoding") {
      // Only "chunked" (last) is supported; anything else is rejected.
      if (lower(trim(value)) != "chunked" || *chunked) return false;
      *chunked = true;
    } else if (name == "content-length") {
      if (value.empty() || value.size() > 18 || value.find_first_not_of("0123456789") != std::string::npos)
        return false;
      uint64_t v = std::strtoull(value.c_str(), nullptr, 10);
      if (has_length && v != *length) return false;
      has_length = true;
      *length = v;
    } else if (name == "expect") {
      *expect_continue = has_token(value, "100-continue");
    }
  }
  return !(*chunked && has_length);  // both: a smuggling vector (RFC 9112 6.3)
}

}  // namespace

bool send_all(int fd, const void* data, size_t len) {
  const char* p = static_cast<const char*>(data);
  while (len > 0) {  // bounded: each pass sends at least one byte or fails (SO_SNDTIMEO)
    ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return true;
}

void serve_connection(int fd, const std::string& peer, int peer_port, int server_port, const Config& cfg,
                      const Dispatch& dispatch) {
  Connection conn(fd, cfg);
  if (!conn.ok()) return;
  for (;;) {  // one pass per request on this connection
    auto r = std::make_shared<Request>();
    r->fd = fd;
    r->peer_addr = peer;
    r->peer_port = peer_port;
    r->server_port = server_port;
    if (conn.read_head(*r) != 1) return;
    bool chunked = false, expect = false;
    uint64_t length = 0;
    if (!body_framing(*r, &chunked, &length, &expect)) {
      conn.reply_error("400 Bad Request");
      return;
    }
    chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
    o.high_water = cfg.high_water;
    if (!chunked && length > 0) o.content_length = length;
    chunkbuf_stream* s = nullptr;
    if (chunkbuf_stream_new(&o, &s) != CHUNKBUF_OK) {
      conn.reply_error("503 Service Unavailable");
      return;
    }
    bool has_body = chunked || length > 0;
    if (!has_body) chunkbuf_stream_close(s);
    if (has_body && expect && r->version == "HTTP/1.1") {
      static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      send_all(fd, kContinue, sizeof kContinue - 1);  // before dispatch: the worker writes after this
    }
    // The worker gets its own reference; this thread keeps one while it writes.
    chunkbuf_stream_retain(s);
    r->body = s;
    dispatch(r);
    Body b = has_body ? conn.body(s, chunked, length) : Body::Done;
    switch (b) {
      case Body::Done: chunkbuf_stream_close(s); break;  // chunked: EOF; else a no-op
      case Body::ClientGone: chunkbuf_stream_abort(s, kAbortClientGone); break;
      case Body::Bad: chunkbuf_stream_abort(s, kAbortBadBody); break;
      case Body::Timeout: chunkbuf_stream_abort(s, kAbortTimeout); break;
      case Body::TooLong: break;  // the handler is done with the body already
    }
    chunkbuf_stream_release(s);
    bool keep = r->wait_done();
    if (b != Body::Done || !keep || !r->client_keep_alive) return;
  }
}

}  // namespace wsgi_host
