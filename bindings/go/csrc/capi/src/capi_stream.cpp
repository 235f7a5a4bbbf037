// chunkbuf_stream_* entry points: validate, translate, call the core.
#include <new>

#include "handles.h"

using namespace chunkbuf;
using namespace chunkbuf::capi;

namespace {

Status live(const chunkbuf_stream* s, const char* fn) noexcept { return check<StreamKind>(s, fn); }

}  // namespace

extern "C" {

int chunkbuf_stream_new(const chunkbuf_stream_options* opts, chunkbuf_stream** out) {
  static const char* fn = "chunkbuf_stream_new";
  CB_TRY(need(out, "out", fn));
  chunkbuf_stream_options o;
  CB_TRY(read_options(opts, &o, chunkbuf_stream_options CHUNKBUF_STREAM_OPTIONS_INIT, kStreamOptionsSize01, fn));
  StreamOptions so;
  CB_TRY(pool_of(o.pool, &so.pool, fn));
  so.content_length = o.content_length;
  so.retain = o.retain != 0;
  so.high_water = o.high_water;
  so.low_water = o.low_water;
  so.max_bytes = o.max_bytes;
  so.tenant = o.tenant;
  chunkbuf_stream* h = nullptr;
  CB_TRY(make<StreamKind>(&h, fn));
  if (Status st = h->obj.init(so); st != Status::Ok) {
    retire<StreamKind>(h);
    return code(st);
  }
  *out = h;
  return CHUNKBUF_OK;
}

void chunkbuf_stream_free(chunkbuf_stream* s) {
  if (!s || live(s, "chunkbuf_stream_free") != Status::Ok) return;
  retire<StreamKind>(s);
}

int chunkbuf_stream_write(chunkbuf_stream* s, const void* data, size_t len, int64_t timeout_ms) {
  CB_TRY(live(s, "chunkbuf_stream_write"));
  CB_TRY(need_bytes(data, len, "data", "chunkbuf_stream_write"));
  return code(s->obj.write(data, len, timeout_ms));
}

int chunkbuf_stream_write_ref(chunkbuf_stream* s, const void* data, size_t len, chunkbuf_free_fn free_fn,
                              void* user_data, int64_t timeout_ms) {
  CB_TRY(live(s, "chunkbuf_stream_write_ref"));
  CB_TRY(need_bytes(data, len, "data", "chunkbuf_stream_write_ref"));
  return code(s->obj.write_ref(data, len, free_fn, user_data, timeout_ms));
}

int chunkbuf_stream_write_view(chunkbuf_stream* s, const chunkbuf_view* view, int64_t timeout_ms) {
  CB_TRY(live(s, "chunkbuf_stream_write_view"));
  CB_TRY(check<ViewKind>(view, "chunkbuf_stream_write_view"));
  return code(s->obj.write_view(rep(view), timeout_ms));
}

int chunkbuf_stream_close(chunkbuf_stream* s) {
  CB_TRY(live(s, "chunkbuf_stream_close"));
  return code(s->obj.close());
}

int chunkbuf_stream_abort(chunkbuf_stream* s, int code) {
  CB_TRY(live(s, "chunkbuf_stream_abort"));
  s->obj.abort(code);
  return CHUNKBUF_OK;
}

int chunkbuf_stream_abort_code(const chunkbuf_stream* s, int* code) {
  CB_TRY(live(s, "chunkbuf_stream_abort_code"));
  CB_TRY(need(code, "code", "chunkbuf_stream_abort_code"));
  return capi::code(s->obj.abort_code(code));
}

int chunkbuf_stream_read(chunkbuf_stream* s, void* dst, size_t n, int64_t timeout_ms, size_t* nread) {
  static const char* fn = "chunkbuf_stream_read";
  CB_TRY(live(s, fn));
  CB_TRY(need_bytes(dst, n, "dst", fn));
  CB_TRY(need(nread, "nread", fn));
  return code(s->obj.read(dst, n, timeout_ms, nread));
}

int chunkbuf_stream_read1(chunkbuf_stream* s, void* dst, size_t n, int64_t timeout_ms, size_t* nread) {
  static const char* fn = "chunkbuf_stream_read1";
  CB_TRY(live(s, fn));
  CB_TRY(need_bytes(dst, n, "dst", fn));
  CB_TRY(need(nread, "nread", fn));
  return code(s->obj.read1(dst, n, timeout_ms, nread));
}

int chunkbuf_stream_read_nonblock(chunkbuf_stream* s, void* dst, size_t n, size_t* nread) {
  static const char* fn = "chunkbuf_stream_read_nonblock";
  CB_TRY(live(s, fn));
  CB_TRY(need_bytes(dst, n, "dst", fn));
  CB_TRY(need(nread, "nread", fn));
  return code(s->obj.read_nonblock(dst, n, nread));
}

int chunkbuf_stream_read_view(chunkbuf_stream* s, size_t n, int64_t timeout_ms, chunkbuf_view** out) {
  CB_TRY(live(s, "chunkbuf_stream_read_view"));
  CB_TRY(need(out, "out", "chunkbuf_stream_read_view"));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve("chunkbuf_stream_read_view"));
  ViewRep* v = nullptr;
  Status st = s->obj.read_view(n, timeout_ms, &v);
  return hand_view(st, slot, v, out);
}

int chunkbuf_stream_readline(chunkbuf_stream* s, size_t max_len, int64_t timeout_ms, chunkbuf_view** out) {
  CB_TRY(live(s, "chunkbuf_stream_readline"));
  CB_TRY(need(out, "out", "chunkbuf_stream_readline"));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve("chunkbuf_stream_readline"));
  ViewRep* v = nullptr;
  Status st = s->obj.readline(max_len, timeout_ms, &v);
  return hand_view(st, slot, v, out);
}

int chunkbuf_stream_readlines(chunkbuf_stream* s, chunkbuf_record* records, size_t max_records,
                              int64_t timeout_ms, size_t* n_records, chunkbuf_view** out) {
  static const char* fn = "chunkbuf_stream_readlines";
  CB_TRY(live(s, fn));
  CB_TRY(need(records, "records", fn));
  CB_TRY(need(n_records, "n_records", fn));
  CB_TRY(need(out, "out", fn));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve(fn));
  ViewRep* v = nullptr;
  size_t n = 0;
  Status st = s->obj.readlines(reinterpret_cast<Record*>(records), max_records, timeout_ms, &n, &v);
  if (st != Status::Ok) return code(st);
  *n_records = n;
  hand_out(slot, v, out);
  return CHUNKBUF_OK;
}

int chunkbuf_stream_readable_amount(const chunkbuf_stream* s, size_t* n) {
  CB_TRY(live(s, "chunkbuf_stream_readable_amount"));
  CB_TRY(need(n, "n", "chunkbuf_stream_readable_amount"));
  *n = s->obj.readable_amount();
  return CHUNKBUF_OK;
}

int chunkbuf_stream_at_eof(const chunkbuf_stream* s, int* eof) {
  CB_TRY(live(s, "chunkbuf_stream_at_eof"));
  CB_TRY(need(eof, "eof", "chunkbuf_stream_at_eof"));
  *eof = s->obj.at_eof() ? 1 : 0;
  return CHUNKBUF_OK;
}

int chunkbuf_stream_find(const chunkbuf_stream* s, const void* needle, size_t nlen, size_t start, size_t end,
                         size_t* pos) {
  static const char* fn = "chunkbuf_stream_find";
  CB_TRY(live(s, fn));
  CB_TRY(need(needle, "needle", fn));
  CB_TRY(need(pos, "pos", fn));
  return code(s->obj.find(needle, nlen, start, end, pos));
}

int chunkbuf_stream_seek(chunkbuf_stream* s, int64_t offset, int whence, uint64_t* pos) {
  CB_TRY(live(s, "chunkbuf_stream_seek"));
  return code(s->obj.seek(offset, whence, pos));
}

int chunkbuf_stream_tell(const chunkbuf_stream* s, uint64_t* pos) {
  CB_TRY(live(s, "chunkbuf_stream_tell"));
  CB_TRY(need(pos, "pos", "chunkbuf_stream_tell"));
  *pos = s->obj.tell();
  return CHUNKBUF_OK;
}

int chunkbuf_stream_readiness_fd(const chunkbuf_stream* s, int* fd) {
  CB_TRY(live(s, "chunkbuf_stream_readiness_fd"));
  CB_TRY(need(fd, "fd", "chunkbuf_stream_readiness_fd"));
  *fd = s->obj.readiness_fd();
  return CHUNKBUF_OK;
}

}  // extern "C"
