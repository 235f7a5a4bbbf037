// chunkbuf_stream_* entry points: validate, translate, call the core.
#include <new>

#include "core/mem.h"
#include "core/stream.h"
#include "handles.h"

struct chunkbuf_stream {
  uint32_t tag;
  chunkbuf::Stream s;
};

using namespace chunkbuf;
using namespace chunkbuf::capi;

namespace {

Status live(const chunkbuf_stream* s, const char* fn) noexcept { return check_tag(s, kStreamTag, fn); }

}  // namespace

extern "C" {

int chunkbuf_stream_new(const chunkbuf_stream_options* opts, chunkbuf_stream** out) {
  static const char* fn = "chunkbuf_stream_new";
  CB_TRY(need(out, "out", fn));
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  CB_TRY(read_options(opts, &o, chunkbuf_stream_options CHUNKBUF_STREAM_OPTIONS_INIT, fn));
  StreamOptions so;
  CB_TRY(pool_of(o.pool, &so.pool, fn));
  so.content_length = o.content_length;
  so.retain = o.retain != 0;
  so.high_water = o.high_water;
  so.max_bytes = o.max_bytes;
  so.tenant = o.tenant;
  void* m = mem::alloc(sizeof(chunkbuf_stream));
  if (!m) return code(fail(Status::NoMem, "%s: out of memory", fn));
  auto* h = new (m) chunkbuf_stream{kStreamTag, {}};
  if (Status st = h->s.init(so); st != Status::Ok) {
    h->~chunkbuf_stream();
    mem::free(m);
    return code(st);
  }
  *out = h;
  return CHUNKBUF_OK;
}

void chunkbuf_stream_free(chunkbuf_stream* s) {
  if (!s || live(s, "chunkbuf_stream_free") != Status::Ok) return;
  s->tag = kDeadTag;  // first: a free callback run by the destructor may pass s in again
  s->s.~Stream();
  quarantine(s);
}

int chunkbuf_stream_write(chunkbuf_stream* s, const void* data, size_t len, int64_t timeout_ms) {
  CB_TRY(live(s, "chunkbuf_stream_write"));
  CB_TRY(need_bytes(data, len, "data", "chunkbuf_stream_write"));
  return code(s->s.write(data, len, timeout_ms));
}

int chunkbuf_stream_write_ref(chunkbuf_stream* s, const void* data, size_t len, chunkbuf_free_fn free_fn,
                              void* user_data, int64_t timeout_ms) {
  CB_TRY(live(s, "chunkbuf_stream_write_ref"));
  CB_TRY(need_bytes(data, len, "data", "chunkbuf_stream_write_ref"));
  return code(s->s.write_ref(data, len, free_fn, user_data, timeout_ms));
}

int chunkbuf_stream_write_view(chunkbuf_stream* s, const chunkbuf_view* view, int64_t timeout_ms) {
  CB_TRY(live(s, "chunkbuf_stream_write_view"));
  CB_TRY(check_tag(view, kViewTag, "chunkbuf_stream_write_view"));
  return code(s->s.write_view(rep(view), timeout_ms));
}

int chunkbuf_stream_close(chunkbuf_stream* s) {
  CB_TRY(live(s, "chunkbuf_stream_close"));
  return code(s->s.close());
}

int chunkbuf_stream_abort(chunkbuf_stream* s, int code) {
  CB_TRY(live(s, "chunkbuf_stream_abort"));
  s->s.abort(code);
  return CHUNKBUF_OK;
}

int chunkbuf_stream_abort_code(const chunkbuf_stream* s, int* code) {
  CB_TRY(live(s, "chunkbuf_stream_abort_code"));
  CB_TRY(need(code, "code", "chunkbuf_stream_abort_code"));
  return capi::code(s->s.abort_code(code));
}

int chunkbuf_stream_read(chunkbuf_stream* s, void* dst, size_t n, int64_t timeout_ms, size_t* nread) {
  static const char* fn = "chunkbuf_stream_read";
  CB_TRY(live(s, fn));
  CB_TRY(need_bytes(dst, n, "dst", fn));
  CB_TRY(need(nread, "nread", fn));
  return code(s->s.read(dst, n, timeout_ms, nread));
}

int chunkbuf_stream_read1(chunkbuf_stream* s, void* dst, size_t n, int64_t timeout_ms, size_t* nread) {
  static const char* fn = "chunkbuf_stream_read1";
  CB_TRY(live(s, fn));
  CB_TRY(need_bytes(dst, n, "dst", fn));
  CB_TRY(need(nread, "nread", fn));
  return code(s->s.read1(dst, n, timeout_ms, nread));
}

int chunkbuf_stream_read_nonblock(chunkbuf_stream* s, void* dst, size_t n, size_t* nread) {
  static const char* fn = "chunkbuf_stream_read_nonblock";
  CB_TRY(live(s, fn));
  CB_TRY(need_bytes(dst, n, "dst", fn));
  CB_TRY(need(nread, "nread", fn));
  return code(s->s.read_nonblock(dst, n, nread));
}

int chunkbuf_stream_read_view(chunkbuf_stream* s, size_t n, int64_t timeout_ms, chunkbuf_view** out) {
  CB_TRY(live(s, "chunkbuf_stream_read_view"));
  CB_TRY(need(out, "out", "chunkbuf_stream_read_view"));
  ViewRep* v = nullptr;
  Status st = s->s.read_view(n, timeout_ms, &v);
  return hand_view(st, v, out);
}

int chunkbuf_stream_readline(chunkbuf_stream* s, size_t max, int64_t timeout_ms, chunkbuf_view** out) {
  CB_TRY(live(s, "chunkbuf_stream_readline"));
  CB_TRY(need(out, "out", "chunkbuf_stream_readline"));
  ViewRep* v = nullptr;
  Status st = s->s.readline(max, timeout_ms, &v);
  return hand_view(st, v, out);
}

int chunkbuf_stream_readlines(chunkbuf_stream* s, chunkbuf_record* records, size_t max_records,
                              int64_t timeout_ms, size_t* n_records, chunkbuf_view** out) {
  static const char* fn = "chunkbuf_stream_readlines";
  CB_TRY(live(s, fn));
  CB_TRY(need(records, "records", fn));
  CB_TRY(need(n_records, "n_records", fn));
  CB_TRY(need(out, "out", fn));
  static_assert(sizeof(chunkbuf_record) == sizeof(Record));
  ViewRep* v = nullptr;
  size_t n = 0;
  Status st = s->s.readlines(reinterpret_cast<Record*>(records), max_records, timeout_ms, &n, &v);
  if (st != Status::Ok) return code(st);
  *n_records = n;
  *out = v ? hand_out(v) : nullptr;
  return CHUNKBUF_OK;
}

int chunkbuf_stream_readable_amount(const chunkbuf_stream* s, size_t* n) {
  CB_TRY(live(s, "chunkbuf_stream_readable_amount"));
  CB_TRY(need(n, "n", "chunkbuf_stream_readable_amount"));
  *n = s->s.readable_amount();
  return CHUNKBUF_OK;
}

int chunkbuf_stream_at_eof(const chunkbuf_stream* s, int* eof) {
  CB_TRY(live(s, "chunkbuf_stream_at_eof"));
  CB_TRY(need(eof, "eof", "chunkbuf_stream_at_eof"));
  *eof = s->s.at_eof() ? 1 : 0;
  return CHUNKBUF_OK;
}

int chunkbuf_stream_find(const chunkbuf_stream* s, const void* needle, size_t nlen, size_t start, size_t end,
                         size_t* pos) {
  static const char* fn = "chunkbuf_stream_find";
  CB_TRY(live(s, fn));
  CB_TRY(need(needle, "needle", fn));
  CB_TRY(need(pos, "pos", fn));
  return code(s->s.find(needle, nlen, start, end, pos));
}

int chunkbuf_stream_seek(chunkbuf_stream* s, int64_t offset, int whence, uint64_t* pos) {
  CB_TRY(live(s, "chunkbuf_stream_seek"));
  return code(s->s.seek(offset, whence, pos));
}

int chunkbuf_stream_tell(const chunkbuf_stream* s, uint64_t* pos) {
  CB_TRY(live(s, "chunkbuf_stream_tell"));
  CB_TRY(need(pos, "pos", "chunkbuf_stream_tell"));
  *pos = s->s.tell();
  return CHUNKBUF_OK;
}

int chunkbuf_stream_readiness_fd(const chunkbuf_stream* s, int* fd) {
  CB_TRY(live(s, "chunkbuf_stream_readiness_fd"));
  CB_TRY(need(fd, "fd", "chunkbuf_stream_readiness_fd"));
  *fd = s->s.readiness_fd();
  return CHUNKBUF_OK;
}

}  // extern "C"
