/* chunkbuf.hpp: a header-only C++17 layer over chunkbuf.h.
 *
 *   #include <chunkbuf.hpp>
 *
 *   chunkbuf::buffer buf;
 *   buf.append("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
 *   for (chunkbuf::view line : buf.lines(CHUNKBUF_EOL_CRLF))   // zero copy
 *     std::cout << line.str() << '\n';
 *
 * It adds nothing to the engine; it translates lifetimes and errors:
 *  - Handles are RAII objects. view is copyable (a copy retains the C view,
 *    as the C API refcounts views); pool, buffer and stream are move-only
 *    (the C API frees them exactly once). get() gives the C handle for calls
 *    this header does not wrap; release() gives up ownership.
 *  - Bytes go in as std::string_view and come out as std::string_view spans
 *    over chunkbuf's memory (segments(), data()), valid as long as the
 *    object they were taken from and documented per method, or copied with
 *    str().
 *  - A failing call throws chunkbuf::error, a std::system_error whose code()
 *    is a chunkbuf::errc (the C status) in chunkbuf::category() and whose
 *    what() carries chunkbuf_last_error()'s message. The overloads taking
 *    a std::error_code& never throw: they set it and return an empty value.
 *    "Not yet" answers are not errors: take_line returns std::nullopt when
 *    a line is incomplete, readline an empty view at end of file.
 *  - buffer::lines() and stream::lines() iterate over lines (as views);
 *    view::segments() over the contiguous pieces of a view.
 * Blocking calls take a timeout in milliseconds (-1: wait forever, 0: do
 * not wait) or any std::chrono duration.
 */
#ifndef CHUNKBUF_HPP
#define CHUNKBUF_HPP

#include <chunkbuf.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

namespace chunkbuf {

/* ------------------------------------------------------------------ errors */

/* The C status codes (negative values of CHUNKBUF_E*). */
enum class errc : int {
  invalid_argument = CHUNKBUF_EINVAL,
  bad_handle = CHUNKBUF_EHANDLE,
  out_of_memory = CHUNKBUF_ENOMEM,
  limit = CHUNKBUF_ELIMIT,
  state = CHUNKBUF_ESTATE,
  need_more = CHUNKBUF_ENEEDMORE,
  closed = CHUNKBUF_ECLOSED,
  again = CHUNKBUF_EAGAIN,
  timed_out = CHUNKBUF_ETIMEDOUT,
  aborted = CHUNKBUF_EABORTED,
  range = CHUNKBUF_ERANGE,
  io = CHUNKBUF_EIO,
  not_supported = CHUNKBUF_ENOTSUP,
  version = CHUNKBUF_EVERSION,
};

namespace detail {
class category_impl final : public std::error_category {
 public:
  const char *name() const noexcept override { return "chunkbuf"; }
  std::string message(int code) const override { return chunkbuf_strerror(code); }
  std::error_condition default_error_condition(int code) const noexcept override {
    switch (code) {
      case CHUNKBUF_EINVAL: return std::errc::invalid_argument;
      case CHUNKBUF_ENOMEM: return std::errc::not_enough_memory;
      case CHUNKBUF_EAGAIN: return std::errc::resource_unavailable_try_again;
      case CHUNKBUF_ETIMEDOUT: return std::errc::timed_out;
      case CHUNKBUF_ERANGE: return std::errc::result_out_of_range;
      case CHUNKBUF_EIO: return std::errc::io_error;
      case CHUNKBUF_ENOTSUP: return std::errc::not_supported;
      default: return std::error_condition(code, *this);
    }
  }
};
}  // namespace detail

inline const std::error_category &category() noexcept {
  static const detail::category_impl instance;
  return instance;
}

inline std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), category()}; }

/* A failed call: code() is the C status in category(), what() the detail
 * chunkbuf_last_error() gave on the failing thread. */
class error : public std::system_error {
 public:
  error(int status, const std::string &detail) : std::system_error(status, category(), detail) {}
  errc value() const noexcept { return static_cast<errc>(code().value()); }
};

}  // namespace chunkbuf

namespace std {
template <>
struct is_error_code_enum<chunkbuf::errc> : true_type {};
}  // namespace std

namespace chunkbuf {

namespace detail {
/* Throws for a failed status, with this thread's last-error message. */
inline void check(int rc) {
  if (rc != CHUNKBUF_OK) {
    const char *detail = chunkbuf_last_error();
    throw error(rc, detail && *detail ? detail : chunkbuf_strerror(rc));
  }
}
/* Sets ec from a status; true when the call succeeded. */
inline bool check(int rc, std::error_code &ec) noexcept {
  if (rc != CHUNKBUF_OK) {
    ec = std::error_code(rc, category());
    return false;
  }
  ec.clear();
  return true;
}
inline std::optional<std::size_t> position(std::size_t pos) {
  if (pos == CHUNKBUF_NPOS) return std::nullopt;
  return pos;
}
template <class Rep, class Period>
std::int64_t to_ms(std::chrono::duration<Rep, Period> d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}
}  // namespace detail

inline constexpr std::size_t npos = CHUNKBUF_NPOS;
inline constexpr std::int64_t forever = -1;

/* "0.1.0": the version of the loaded library. */
inline std::string_view version() { return chunkbuf_version_string(); }

/* -------------------------------------------------------------------- pool */

/* A pool of refcounted blocks (move-only). pool::default_pool() is the
 * process-wide one (never freed); a new pool is freed by the destructor,
 * while buffers and views that use its memory stay valid. */
class pool {
 public:
  pool() {
    chunkbuf_pool_options opts = CHUNKBUF_POOL_OPTIONS_INIT;
    detail::check(chunkbuf_pool_new(&opts, &h_));
  }
  explicit pool(const chunkbuf_pool_options &opts) { detail::check(chunkbuf_pool_new(&opts, &h_)); }
  static pool default_pool() noexcept { return pool(chunkbuf_pool_default()); }
  pool(pool &&o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  pool &operator=(pool &&o) noexcept {
    if (this != &o) {
      chunkbuf_pool_free(h_);
      h_ = std::exchange(o.h_, nullptr);
    }
    return *this;
  }
  pool(const pool &) = delete;
  pool &operator=(const pool &) = delete;
  ~pool() { chunkbuf_pool_free(h_); }  // a no-op for the default pool

  chunkbuf_pool_stats stats() const {
    chunkbuf_pool_stats s = CHUNKBUF_POOL_STATS_INIT;
    detail::check(chunkbuf_pool_stats_get(h_, &s));
    return s;
  }
  void trim() { detail::check(chunkbuf_pool_trim(h_)); }
  chunkbuf_pool *get() const noexcept { return h_; }

 private:
  explicit pool(chunkbuf_pool *h) noexcept : h_(h) {}
  chunkbuf_pool *h_ = nullptr;
};

/* -------------------------------------------------------------------- view */

/* Immutable bytes shared without copying. Copying a view retains the C
 * view; the bytes stay valid while any copy lives. A default-constructed
 * view is empty and holds no handle. */
class view {
 public:
  view() noexcept = default;
  /* Adopts one reference (as the C functions returning a view hand out). */
  explicit view(chunkbuf_view *adopt) noexcept : h_(adopt) {}
  /* A view of a copy of bytes, in pool memory. */
  static view from_bytes(std::string_view bytes, const pool *p = nullptr) {
    chunkbuf_view *v = nullptr;
    detail::check(chunkbuf_view_from_bytes(p ? p->get() : nullptr, bytes.data(), bytes.size(), &v));
    return view(v);
  }
  view(const view &o) : h_(o.h_) {
    if (h_) detail::check(chunkbuf_view_retain(h_));
  }
  view &operator=(const view &o) {
    if (this != &o) *this = view(o);
    return *this;
  }
  view(view &&o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  view &operator=(view &&o) noexcept {
    if (this != &o) {
      chunkbuf_view_release(h_);
      h_ = std::exchange(o.h_, nullptr);
    }
    return *this;
  }
  ~view() { chunkbuf_view_release(h_); }

  std::size_t size() const {
    std::size_t n = 0;
    if (h_) detail::check(chunkbuf_view_len(h_, &n));
    return n;
  }
  bool empty() const { return size() == 0; }
  std::size_t segment_count() const {
    std::size_t n = 0;
    if (h_) detail::check(chunkbuf_view_segment_count(h_, &n));
    return n;
  }
  /* The bytes of a contiguous view (at most one segment), valid while this
   * view lives; throws errc::state for a view of several segments (use
   * contiguous() or segments()). */
  std::string_view data() const {
    if (!h_) return {};
    const void *p = nullptr;
    std::size_t n = 0;
    detail::check(chunkbuf_view_data(h_, &p, &n));
    return {static_cast<const char *>(p), n};
  }
  /* A single-segment view of the same bytes (copied at most once). */
  view contiguous() const { return make([&](chunkbuf_view **out) { return chunkbuf_view_contiguous(h_, out); }); }
  /* Bytes [start, end) without copying; end may be npos. */
  view slice(std::size_t start, std::size_t end = npos) const {
    return make([&](chunkbuf_view **out) { return chunkbuf_view_slice(h_, start, end, out); });
  }
  std::optional<std::size_t> find(std::string_view needle, std::size_t start = 0, std::size_t end = npos) const {
    std::size_t pos = npos;
    detail::check(chunkbuf_view_find(h_, needle.data(), needle.size(), start, end, &pos));
    return detail::position(pos);
  }
  /* A copy of the bytes. */
  std::string str() const {
    std::string out(size(), '\0');
    std::size_t copied = 0;
    if (!out.empty()) detail::check(chunkbuf_view_copy_out(h_, 0, out.data(), out.size(), &copied));
    out.resize(copied);
    return out;
  }
  bool operator==(std::string_view bytes) const {
    if (!h_) return bytes.empty();
    int equal = 0;
    detail::check(chunkbuf_view_equals(h_, bytes.data(), bytes.size(), &equal));
    return equal != 0;
  }
  bool operator!=(std::string_view bytes) const { return !(*this == bytes); }
  bool operator==(const view &o) const {
    if (!h_ || !o.h_) return size() == o.size();
    int equal = 0;
    detail::check(chunkbuf_view_equals_view(h_, o.h_, &equal));
    return equal != 0;
  }
  bool operator!=(const view &o) const { return !(*this == o); }

  /* The contiguous pieces of the view as std::string_view, in order; they
   * are valid while this view lives. */
  class segment_range;
  segment_range segments() const;

  chunkbuf_view *get() const noexcept { return h_; }
  chunkbuf_view *release() noexcept { return std::exchange(h_, nullptr); }
  explicit operator bool() const noexcept { return h_ != nullptr; }

 private:
  template <class F>
  view make(F call) const {
    chunkbuf_view *out = nullptr;
    detail::check(call(&out));
    return view(out);
  }
  chunkbuf_view *h_ = nullptr;
};

class view::segment_range {
 public:
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = const std::string_view *;
    using reference = const std::string_view &;

    iterator() = default;
    iterator(const view *v, std::size_t index, std::size_t count) : v_(v), index_(index), count_(count) { load(); }
    reference operator*() const { return current_; }
    pointer operator->() const { return &current_; }
    iterator &operator++() {
      ++index_;
      load();
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++*this;
      return old;
    }
    bool operator==(const iterator &o) const { return index_ == o.index_; }
    bool operator!=(const iterator &o) const { return index_ != o.index_; }

   private:
    void load() {
      if (index_ >= count_) return;
      struct iovec iov;
      std::size_t n = 0;
      detail::check(chunkbuf_view_segments(v_->get(), index_, &iov, 1, &n));
      current_ = n ? std::string_view(static_cast<const char *>(iov.iov_base), iov.iov_len) : std::string_view();
    }
    const view *v_ = nullptr;
    std::size_t index_ = 0, count_ = 0;
    std::string_view current_;
  };

  explicit segment_range(const view &v) : v_(&v), count_(v.segment_count()) {}
  iterator begin() const { return iterator(v_, 0, count_); }
  iterator end() const { return iterator(v_, count_, count_); }
  std::size_t size() const noexcept { return count_; }

 private:
  const view *v_;
  std::size_t count_;
};

inline view::segment_range view::segments() const { return segment_range(*this); }

inline bool operator==(std::string_view bytes, const view &v) { return v == bytes; }
inline bool operator!=(std::string_view bytes, const view &v) { return !(v == bytes); }

/* ------------------------------------------------------------------ buffer */

/* A growable chain of segments, parsed and built in place (move-only; one
 * thread at a time, like std::vector). */
class buffer {
 public:
  buffer() { detail::check(chunkbuf_buffer_new(nullptr, &h_)); }
  explicit buffer(const chunkbuf_buffer_options &opts) { detail::check(chunkbuf_buffer_new(&opts, &h_)); }
  buffer(buffer &&o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  buffer &operator=(buffer &&o) noexcept {
    if (this != &o) {
      chunkbuf_buffer_free(h_);
      h_ = std::exchange(o.h_, nullptr);
    }
    return *this;
  }
  buffer(const buffer &) = delete;
  buffer &operator=(const buffer &) = delete;
  ~buffer() { chunkbuf_buffer_free(h_); }

  std::size_t size() const {
    std::size_t n = 0;
    detail::check(chunkbuf_buffer_len(h_, &n));
    return n;
  }
  bool empty() const { return size() == 0; }

  /* Copies bytes in (all or nothing: errc::limit past max_bytes). */
  void append(std::string_view bytes) { detail::check(chunkbuf_buffer_append(h_, bytes.data(), bytes.size())); }
  void append(std::string_view bytes, std::error_code &ec) noexcept {
    detail::check(chunkbuf_buffer_append(h_, bytes.data(), bytes.size()), ec);
  }
  /* Appends a view's bytes without copying. */
  void append(const view &v) { detail::check(chunkbuf_buffer_append_view(h_, v.get())); }

  std::optional<std::size_t> find(std::string_view needle, std::size_t start = 0, std::size_t end = npos) const {
    std::size_t pos = npos;
    detail::check(chunkbuf_buffer_find(h_, needle.data(), needle.size(), start, end, &pos));
    return detail::position(pos);
  }
  /* Drops the first n bytes. */
  void advance(std::size_t n) { detail::check(chunkbuf_buffer_advance(h_, n)); }
  /* Takes the first n bytes as a view, without copying. */
  view split_to(std::size_t n) {
    chunkbuf_view *out = nullptr;
    detail::check(chunkbuf_buffer_split_to(h_, n, &out));
    return view(out);
  }
  /* One line without its end-of-line bytes, or std::nullopt while no
   * complete line is buffered. max_len != 0 caps the length (errc::limit,
   * nothing consumed). */
  std::optional<view> take_line(chunkbuf_eol eol = CHUNKBUF_EOL_CRLF, std::size_t max_len = 0) {
    std::error_code ec;
    std::optional<view> line = take_line(eol, max_len, ec);
    if (ec) detail::check(ec.value());
    return line;
  }
  std::optional<view> take_line(chunkbuf_eol eol, std::size_t max_len, std::error_code &ec) noexcept {
    chunkbuf_view *out = nullptr;
    int rc = chunkbuf_buffer_take_line(h_, eol, max_len, &out);
    if (rc == CHUNKBUF_ENEEDMORE) {
      ec.clear();
      return std::nullopt;
    }
    if (!detail::check(rc, ec)) return std::nullopt;
    return view(out);
  }
  /* A copy of the first n bytes (all when n is npos), consuming nothing. */
  std::string str(std::size_t n = npos) const {
    std::size_t len = size();
    std::string out(n < len ? n : len, '\0');
    std::size_t copied = 0;
    if (!out.empty()) detail::check(chunkbuf_buffer_copy_out(h_, 0, out.data(), out.size(), &copied));
    out.resize(copied);
    return out;
  }

  /* Iterates over the complete lines, taking each as it is reached; stops
   * where the incomplete rest begins (it stays in the buffer). */
  class line_range;
  line_range lines(chunkbuf_eol eol = CHUNKBUF_EOL_CRLF, std::size_t max_len = 0);

  chunkbuf_buffer *get() const noexcept { return h_; }
  chunkbuf_buffer *release() noexcept { return std::exchange(h_, nullptr); }

 private:
  chunkbuf_buffer *h_ = nullptr;
};

namespace detail {
/* An input range over views produced by next() until it returns nullopt. */
template <class Next>
class generated_range {
 public:
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = view;
    using difference_type = std::ptrdiff_t;
    using pointer = const view *;
    using reference = const view &;

    iterator() = default;
    explicit iterator(Next *next) : next_(next) { advance(); }
    reference operator*() const { return *current_; }
    pointer operator->() const { return &*current_; }
    iterator &operator++() {
      advance();
      return *this;
    }
    void operator++(int) { advance(); }
    bool operator==(const iterator &o) const { return done() == o.done(); }
    bool operator!=(const iterator &o) const { return done() != o.done(); }

   private:
    bool done() const { return !current_.has_value(); }
    void advance() { current_ = next_ ? (*next_)() : std::nullopt; }
    Next *next_ = nullptr;
    std::optional<view> current_;
  };
  explicit generated_range(Next next) : next_(std::move(next)) {}
  iterator begin() { return iterator(&next_); }
  iterator end() { return iterator(); }

 private:
  Next next_;
};

struct buffer_lines {
  buffer *buf;
  chunkbuf_eol eol;
  std::size_t max_len;
  std::optional<view> operator()() { return buf->take_line(eol, max_len); }
};
}  // namespace detail

class buffer::line_range : public detail::generated_range<detail::buffer_lines> {
 public:
  using detail::generated_range<detail::buffer_lines>::generated_range;
};

inline buffer::line_range buffer::lines(chunkbuf_eol eol, std::size_t max_len) {
  return line_range(detail::buffer_lines{this, eol, max_len});
}

/* ------------------------------------------------------------------ stream */

/* A thread-safe byte stream: writers on any thread, readers that block
 * until bytes, end of file or an abort arrive (move-only; free it only
 * when no other thread uses it). */
class stream {
 public:
  stream() { detail::check(chunkbuf_stream_new(nullptr, &h_)); }
  explicit stream(const chunkbuf_stream_options &opts) { detail::check(chunkbuf_stream_new(&opts, &h_)); }
  stream(stream &&o) noexcept : h_(std::exchange(o.h_, nullptr)) {}
  stream &operator=(stream &&o) noexcept {
    if (this != &o) {
      chunkbuf_stream_free(h_);
      h_ = std::exchange(o.h_, nullptr);
    }
    return *this;
  }
  stream(const stream &) = delete;
  stream &operator=(const stream &) = delete;
  ~stream() { chunkbuf_stream_free(h_); }

  /* -- writer side: all or nothing; waits up to timeout_ms at a high-water mark */
  void write(std::string_view bytes, std::int64_t timeout_ms = forever) {
    detail::check(chunkbuf_stream_write(h_, bytes.data(), bytes.size(), timeout_ms));
  }
  void write(std::string_view bytes, std::int64_t timeout_ms, std::error_code &ec) noexcept {
    detail::check(chunkbuf_stream_write(h_, bytes.data(), bytes.size(), timeout_ms), ec);
  }
  void write(const view &v, std::int64_t timeout_ms = forever) {
    detail::check(chunkbuf_stream_write_view(h_, v.get(), timeout_ms));
  }
  /* End of file for the readers. */
  void close() { detail::check(chunkbuf_stream_close(h_)); }
  /* Fails the stream: readers and writers get errc::aborted. */
  void abort(int code) { detail::check(chunkbuf_stream_abort(h_, code)); }

  /* -- reader side */
  /* Waits for n bytes or end of file and copies them to dst; returns the
   * count, less than n only at end of file (0: end of file). */
  std::size_t read(void *dst, std::size_t n, std::int64_t timeout_ms = forever) {
    std::size_t got = 0;
    detail::check(chunkbuf_stream_read(h_, dst, n, timeout_ms, &got));
    return got;
  }
  std::size_t read(void *dst, std::size_t n, std::int64_t timeout_ms, std::error_code &ec) noexcept {
    std::size_t got = 0;
    return detail::check(chunkbuf_stream_read(h_, dst, n, timeout_ms, &got), ec) ? got : 0;
  }
  template <class Rep, class Period>
  std::size_t read(void *dst, std::size_t n, std::chrono::duration<Rep, Period> timeout) {
    return read(dst, n, detail::to_ms(timeout));
  }
  /* Like read, handing the bytes out as a view (n = npos: until EOF). */
  view read_view(std::size_t n = npos, std::int64_t timeout_ms = forever) {
    chunkbuf_view *out = nullptr;
    detail::check(chunkbuf_stream_read_view(h_, n, timeout_ms, &out));
    return view(out);
  }
  /* One line including its "\n" (the last one may lack it); an empty view
   * at end of file. */
  view readline(std::size_t max = 0, std::int64_t timeout_ms = forever) {
    chunkbuf_view *out = nullptr;
    detail::check(chunkbuf_stream_readline(h_, max, timeout_ms, &out));
    return view(out);
  }
  view readline(std::size_t max, std::int64_t timeout_ms, std::error_code &ec) noexcept {
    chunkbuf_view *out = nullptr;
    return detail::check(chunkbuf_stream_readline(h_, max, timeout_ms, &out), ec) ? view(out) : view();
  }
  template <class Rep, class Period>
  view readline(std::size_t max, std::chrono::duration<Rep, Period> timeout) {
    return readline(max, detail::to_ms(timeout));
  }
  std::size_t readable_amount() const {
    std::size_t n = 0;
    detail::check(chunkbuf_stream_readable_amount(h_, &n));
    return n;
  }
  bool at_eof() const {
    int eof = 0;
    detail::check(chunkbuf_stream_at_eof(h_, &eof));
    return eof != 0;
  }

  /* Iterates over lines (readline), blocking for each, until end of file. */
  class line_range;
  line_range lines(std::size_t max = 0);

  chunkbuf_stream *get() const noexcept { return h_; }
  chunkbuf_stream *release() noexcept { return std::exchange(h_, nullptr); }

 private:
  chunkbuf_stream *h_ = nullptr;
};

namespace detail {
struct stream_lines {
  stream *s;
  std::size_t max;
  std::optional<view> operator()() {
    view line = s->readline(max);
    if (line.empty()) return std::nullopt;
    return line;
  }
};
}  // namespace detail

class stream::line_range : public detail::generated_range<detail::stream_lines> {
 public:
  using detail::generated_range<detail::stream_lines>::generated_range;
};

inline stream::line_range stream::lines(std::size_t max) { return line_range(detail::stream_lines{this, max}); }

}  // namespace chunkbuf

#endif  // CHUNKBUF_HPP
