// chunkbuf_buffer_* entry points: validate, translate, call the core.
#include <new>

#include "core/binary.h"
#include "core/mem.h"
#include "handles.h"

using namespace chunkbuf;
using namespace chunkbuf::capi;

namespace {

Status live(const chunkbuf_buffer* b, const char* fn) noexcept { return check<BufferKind>(b, fn); }

Status check_view(const chunkbuf_view* v, const char* fn) noexcept { return check<ViewKind>(v, fn); }

Status check_eol(chunkbuf_eol eol, const char* fn) noexcept {
  int e = static_cast<int>(eol);
  return (e >= CHUNKBUF_EOL_ANY && e <= CHUNKBUF_EOL_NUL) ? Status::Ok
                                                          : fail(Status::Inval, "%s: unknown eol style %d", fn, e);
}

int peek_uint(const chunkbuf_buffer* buf, size_t offset, size_t width, int order, uint64_t* out,
              const char* fn) noexcept {
  CB_TRY(live(buf, fn));
  CB_TRY(need(out, "out", fn));
  if (order != CHUNKBUF_BE && order != CHUNKBUF_LE)
    return code(fail(Status::Inval, "%s: order must be CHUNKBUF_BE or CHUNKBUF_LE", fn));
  return code(buf->obj.peek_uint(offset, width, order == CHUNKBUF_BE ? Order::Big : Order::Little, out));
}

}  // namespace

extern "C" {

int chunkbuf_buffer_new(const chunkbuf_buffer_options* opts, chunkbuf_buffer** out) {
  static const char* fn = "chunkbuf_buffer_new";
  CB_TRY(need(out, "out", fn));
  chunkbuf_buffer_options o;
  CB_TRY(read_options(opts, &o, chunkbuf_buffer_options CHUNKBUF_BUFFER_OPTIONS_INIT, kBufferOptionsSize01, fn));
  BufferOptions bo;
  CB_TRY(pool_of(o.pool, &bo.pool, fn));
  bo.max_bytes = o.max_bytes;
  bo.min_chunk = o.min_chunk;
  bo.tenant = o.tenant;
  bo.linear = o.linear != 0;
  if (bo.min_chunk > (size_t{1} << 30)) return code(fail(Status::Inval, "%s: min_chunk above 1 GiB", fn));
  chunkbuf_buffer* h = nullptr;
  CB_TRY(make<BufferKind>(&h, fn));
  if (Status st = h->obj.init(bo); st != Status::Ok) {
    retire<BufferKind>(h);
    return code(st);
  }
  *out = h;
  return CHUNKBUF_OK;
}

int chunkbuf_buffer_capacity(const chunkbuf_buffer* buf, size_t* capacity) {
  CB_TRY(live(buf, "chunkbuf_buffer_capacity"));
  CB_TRY(need(capacity, "capacity", "chunkbuf_buffer_capacity"));
  *capacity = buf->obj.capacity();
  return CHUNKBUF_OK;
}

int chunkbuf_buffer_ensure_capacity(chunkbuf_buffer* buf, size_t additional) {
  CB_TRY(live(buf, "chunkbuf_buffer_ensure_capacity"));
  return code(buf->obj.ensure_capacity(additional));
}

int chunkbuf_buffer_freeze(chunkbuf_buffer* buf, uint32_t kind, chunkbuf_view** out) {
  static const char* fn = "chunkbuf_buffer_freeze";
  CB_TRY(live(buf, fn));
  CB_TRY(need(out, "out", fn));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve(fn));
  ViewRep* v = nullptr;
  Status st = buf->obj.freeze(kind, &v);
  return hand_view(st, slot, v, out);
}

void chunkbuf_buffer_free(chunkbuf_buffer* buf) {
  if (!buf || live(buf, "chunkbuf_buffer_free") != Status::Ok) return;
  // The reserved spans are the caller's to write until commit: freeing
  // under them would leave them dangling, so the free is refused.
  if (buf->obj.reserved()) {
    fail(Status::State, "chunkbuf_buffer_free: a reservation is open (commit it, or commit 0 to abandon it, first)");
    return;
  }
  retire<BufferKind>(buf);
}

int chunkbuf_buffer_len(const chunkbuf_buffer* buf, size_t* len) {
  CB_TRY(live(buf, "chunkbuf_buffer_len"));
  CB_TRY(need(len, "len", "chunkbuf_buffer_len"));
  *len = buf->obj.size();
  return CHUNKBUF_OK;
}

int chunkbuf_buffer_append(chunkbuf_buffer* buf, const void* data, size_t len) {
  CB_TRY(live(buf, "chunkbuf_buffer_append"));
  CB_TRY(need_bytes(data, len, "data", "chunkbuf_buffer_append"));
  return code(buf->obj.append(data, len));
}

int chunkbuf_buffer_append_ref(chunkbuf_buffer* buf, const void* data, size_t len, chunkbuf_free_fn free_fn,
                               void* user_data) {
  CB_TRY(live(buf, "chunkbuf_buffer_append_ref"));
  CB_TRY(need_bytes(data, len, "data", "chunkbuf_buffer_append_ref"));
  return code(buf->obj.append_ref(data, len, free_fn, user_data));
}

int chunkbuf_buffer_append_refv(chunkbuf_buffer* buf, const struct iovec* iov, size_t n, chunkbuf_free_fn free_fn,
                                void* user_data) {
  CB_TRY(live(buf, "chunkbuf_buffer_append_refv"));
  CB_TRY(need_bytes(iov, n, "iov", "chunkbuf_buffer_append_refv"));
  return code(buf->obj.append_refv(iov, n, free_fn, user_data));
}

int chunkbuf_buffer_append_view(chunkbuf_buffer* buf, const chunkbuf_view* view) {
  CB_TRY(live(buf, "chunkbuf_buffer_append_view"));
  CB_TRY(check_view(view, "chunkbuf_buffer_append_view"));
  return code(buf->obj.append_view(rep(view)));
}

int chunkbuf_buffer_prepend(chunkbuf_buffer* buf, const void* data, size_t len) {
  CB_TRY(live(buf, "chunkbuf_buffer_prepend"));
  CB_TRY(need_bytes(data, len, "data", "chunkbuf_buffer_prepend"));
  return code(buf->obj.prepend(data, len));
}

int chunkbuf_buffer_prepend_view(chunkbuf_buffer* buf, const chunkbuf_view* view) {
  CB_TRY(live(buf, "chunkbuf_buffer_prepend_view"));
  CB_TRY(check_view(view, "chunkbuf_buffer_prepend_view"));
  return code(buf->obj.prepend_view(rep(view)));
}

int chunkbuf_buffer_reserve(chunkbuf_buffer* buf, size_t n, struct iovec* iov, size_t max_iov, size_t* n_iov) {
  static const char* fn = "chunkbuf_buffer_reserve";
  CB_TRY(live(buf, fn));
  CB_TRY(need(iov, "iov", fn));
  CB_TRY(need(n_iov, "n_iov", fn));
  return code(buf->obj.reserve(n, iov, max_iov, n_iov));
}

int chunkbuf_buffer_commit(chunkbuf_buffer* buf, size_t n) {
  CB_TRY(live(buf, "chunkbuf_buffer_commit"));
  return code(buf->obj.commit(n));
}

int chunkbuf_buffer_read_from_fd(chunkbuf_buffer* buf, int fd, size_t max, size_t* nread) {
  static const char* fn = "chunkbuf_buffer_read_from_fd";
  CB_TRY(live(buf, fn));
  CB_TRY(need(nread, "nread", fn));
  if (fd < 0) return code(fail(Status::Inval, "%s: negative file descriptor %d", fn, fd));
  return code(buf->obj.read_from_fd(fd, max, nread));
}

int chunkbuf_buffer_find(const chunkbuf_buffer* buf, const void* needle, size_t nlen, size_t start, size_t end,
                         size_t* pos) {
  static const char* fn = "chunkbuf_buffer_find";
  CB_TRY(live(buf, fn));
  CB_TRY(need_bytes(needle, nlen, "needle", fn));
  CB_TRY(need(pos, "pos", fn));
  return code(buf->obj.find(needle, nlen, start, end, pos));
}

int chunkbuf_buffer_rfind(const chunkbuf_buffer* buf, const void* needle, size_t nlen, size_t start, size_t end,
                          size_t* pos) {
  static const char* fn = "chunkbuf_buffer_rfind";
  CB_TRY(live(buf, fn));
  CB_TRY(need_bytes(needle, nlen, "needle", fn));
  CB_TRY(need(pos, "pos", fn));
  return code(buf->obj.rfind(needle, nlen, start, end, pos));
}

int chunkbuf_buffer_peek(const chunkbuf_buffer* buf, size_t n, struct iovec* iov, size_t max_iov, size_t* n_iov) {
  static const char* fn = "chunkbuf_buffer_peek";
  CB_TRY(live(buf, fn));
  CB_TRY(need_bytes(iov, max_iov, "iov", fn));
  CB_TRY(need(n_iov, "n_iov", fn));
  *n_iov = buf->obj.peek(n, iov, max_iov);
  return CHUNKBUF_OK;
}

int chunkbuf_buffer_segment_count(const chunkbuf_buffer* buf, size_t* count) {
  CB_TRY(live(buf, "chunkbuf_buffer_segment_count"));
  CB_TRY(need(count, "count", "chunkbuf_buffer_segment_count"));
  *count = buf->obj.segment_count();
  return CHUNKBUF_OK;
}

int chunkbuf_buffer_coalesce(chunkbuf_buffer* buf, size_t n, const void** data) {
  CB_TRY(live(buf, "chunkbuf_buffer_coalesce"));
  CB_TRY(need(data, "data", "chunkbuf_buffer_coalesce"));
  return code(buf->obj.coalesce(n, data));
}

int chunkbuf_buffer_equals(const chunkbuf_buffer* buf, const void* data, size_t len, int* equal) {
  static const char* fn = "chunkbuf_buffer_equals";
  CB_TRY(live(buf, fn));
  CB_TRY(need_bytes(data, len, "data", fn));
  CB_TRY(need(equal, "equal", fn));
  *equal = buf->obj.equals(data, len) ? 1 : 0;
  return CHUNKBUF_OK;
}

int chunkbuf_buffer_copy_out(const chunkbuf_buffer* buf, size_t offset, void* dst, size_t n, size_t* copied) {
  static const char* fn = "chunkbuf_buffer_copy_out";
  CB_TRY(live(buf, fn));
  CB_TRY(need_bytes(dst, n, "dst", fn));
  CB_TRY(need(copied, "copied", fn));
  return code(buf->obj.copy_out(offset, dst, n, copied));
}

int chunkbuf_buffer_peek_u8(const chunkbuf_buffer* buf, size_t offset, uint8_t* out) {
  uint64_t v = 0;
  int rc = peek_uint(buf, offset, 1, CHUNKBUF_BE, out ? &v : nullptr, "chunkbuf_buffer_peek_u8");
  if (rc == CHUNKBUF_OK) *out = static_cast<uint8_t>(v);
  return rc;
}

int chunkbuf_buffer_peek_u16(const chunkbuf_buffer* buf, size_t offset, int order, uint16_t* out) {
  uint64_t v = 0;
  int rc = peek_uint(buf, offset, 2, order, out ? &v : nullptr, "chunkbuf_buffer_peek_u16");
  if (rc == CHUNKBUF_OK) *out = static_cast<uint16_t>(v);
  return rc;
}

int chunkbuf_buffer_peek_u32(const chunkbuf_buffer* buf, size_t offset, int order, uint32_t* out) {
  uint64_t v = 0;
  int rc = peek_uint(buf, offset, 4, order, out ? &v : nullptr, "chunkbuf_buffer_peek_u32");
  if (rc == CHUNKBUF_OK) *out = static_cast<uint32_t>(v);
  return rc;
}

int chunkbuf_buffer_peek_u64(const chunkbuf_buffer* buf, size_t offset, int order, uint64_t* out) {
  return peek_uint(buf, offset, 8, order, out, "chunkbuf_buffer_peek_u64");
}

int chunkbuf_buffer_advance(chunkbuf_buffer* buf, size_t n) {
  CB_TRY(live(buf, "chunkbuf_buffer_advance"));
  return code(buf->obj.advance(n));
}

int chunkbuf_buffer_read_uint(chunkbuf_buffer* buf, size_t width, int order, uint64_t* out) {
  static const char* fn = "chunkbuf_buffer_read_uint";
  CB_TRY(live(buf, fn));
  CB_TRY(need(out, "out", fn));
  if (order != CHUNKBUF_BE && order != CHUNKBUF_LE)
    return code(fail(Status::Inval, "%s: order must be CHUNKBUF_BE or CHUNKBUF_LE", fn));
  return code(read_uint(buf->obj, width, order == CHUNKBUF_BE ? Order::Big : Order::Little, out));
}

int chunkbuf_buffer_read_exact(chunkbuf_buffer* buf, void* dst, size_t n) {
  static const char* fn = "chunkbuf_buffer_read_exact";
  CB_TRY(live(buf, fn));
  CB_TRY(need_bytes(dst, n, "dst", fn));
  return code(read_exact(buf->obj, dst, n));
}

int chunkbuf_buffer_read_policy(chunkbuf_buffer* buf, void* dst, size_t n, int policy, size_t* nread) {
  static const char* fn = "chunkbuf_buffer_read_policy";
  CB_TRY(live(buf, fn));
  CB_TRY(need_bytes(dst, n, "dst", fn));
  CB_TRY(need(nread, "nread", fn));
  Short sp = Short::Raise;
  CB_TRY(short_policy(policy, &sp, fn));
  return code(read_short(buf->obj, dst, n, sp, nread));
}

int chunkbuf_buffer_peek_exact(const chunkbuf_buffer* buf, void* dst, size_t n) {
  static const char* fn = "chunkbuf_buffer_peek_exact";
  CB_TRY(live(buf, fn));
  CB_TRY(need_bytes(dst, n, "dst", fn));
  return code(peek_exact(buf->obj, dst, n));
}

int chunkbuf_buffer_read(chunkbuf_buffer* buf, void* dst, size_t n, size_t* nread) {
  static const char* fn = "chunkbuf_buffer_read";
  CB_TRY(live(buf, fn));
  CB_TRY(need_bytes(dst, n, "dst", fn));
  CB_TRY(need(nread, "nread", fn));
  return code(buf->obj.read(dst, n, nread));
}

int chunkbuf_buffer_split_to(chunkbuf_buffer* buf, size_t n, chunkbuf_view** out) {
  CB_TRY(live(buf, "chunkbuf_buffer_split_to"));
  CB_TRY(need(out, "out", "chunkbuf_buffer_split_to"));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve("chunkbuf_buffer_split_to"));
  ViewRep* v = nullptr;
  Status st = buf->obj.split_to(n, &v);
  return hand_view(st, slot, v, out);
}

int chunkbuf_buffer_take_until(chunkbuf_buffer* buf, const void* delim, size_t dlen, int include, size_t max_len,
                               chunkbuf_view** out) {
  static const char* fn = "chunkbuf_buffer_take_until";
  CB_TRY(live(buf, fn));
  CB_TRY(need(delim, "delim", fn));
  CB_TRY(need(out, "out", fn));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve(fn));
  ViewRep* v = nullptr;
  Status st = buf->obj.take_until(delim, dlen, include != 0, max_len, &v);
  return hand_view(st, slot, v, out);
}

int chunkbuf_buffer_take_line(chunkbuf_buffer* buf, chunkbuf_eol eol, size_t max_len, chunkbuf_view** out) {
  static const char* fn = "chunkbuf_buffer_take_line";
  CB_TRY(live(buf, fn));
  CB_TRY(check_eol(eol, fn));
  CB_TRY(need(out, "out", fn));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve(fn));
  ViewRep* v = nullptr;
  Status st = buf->obj.take_line(static_cast<Eol>(eol), max_len, &v);
  return hand_view(st, slot, v, out);
}

int chunkbuf_buffer_read_line(chunkbuf_buffer* buf, chunkbuf_eol eol, size_t max_len, void* dst, size_t cap,
                              size_t* len) {
  static const char* fn = "chunkbuf_buffer_read_line";
  CB_TRY(live(buf, fn));
  CB_TRY(check_eol(eol, fn));
  CB_TRY(need_bytes(dst, cap, "dst", fn));
  CB_TRY(need(len, "len", fn));
  return code(buf->obj.read_line(static_cast<Eol>(eol), max_len, dst, cap, len));
}

int chunkbuf_buffer_take_lines(chunkbuf_buffer* buf, chunkbuf_eol eol, size_t max_len, chunkbuf_record* records,
                               size_t max_records, size_t* n_records, chunkbuf_view** out) {
  static const char* fn = "chunkbuf_buffer_take_lines";
  CB_TRY(live(buf, fn));
  CB_TRY(check_eol(eol, fn));
  CB_TRY(need_bytes(records, max_records, "records", fn));
  CB_TRY(need(n_records, "n_records", fn));
  CB_TRY(need(out, "out", fn));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve(fn));
  ViewRep* v = nullptr;
  size_t n = 0;
  Status st = buf->obj.take_lines(static_cast<Eol>(eol), max_len, reinterpret_cast<Record*>(records), max_records,
                                  &n, &v);
  if (st != Status::Ok) return code(st);
  *n_records = n;
  hand_out(slot, v, out);
  return CHUNKBUF_OK;
}

int chunkbuf_buffer_read_lines(chunkbuf_buffer* buf, chunkbuf_eol eol, size_t max_len, chunkbuf_line* lines,
                               size_t max_lines, size_t* n_lines, chunkbuf_view** out) {
  static const char* fn = "chunkbuf_buffer_read_lines";
  CB_TRY(live(buf, fn));
  CB_TRY(check_eol(eol, fn));
  CB_TRY(need(lines, "lines", fn));
  if (max_lines == 0) return code(fail(Status::Inval, "%s needs room for at least one line", fn));
  CB_TRY(need(n_lines, "n_lines", fn));
  CB_TRY(need(out, "out", fn));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve(fn));
  ViewRep* v = nullptr;
  size_t n = 0;
  Status st =
      buf->obj.read_lines(static_cast<Eol>(eol), max_len, reinterpret_cast<Line*>(lines), max_lines, &n, &v);
  if (st != Status::Ok) return code(st);
  *n_lines = n;
  hand_out(slot, v, out);
  return CHUNKBUF_OK;
}

int chunkbuf_buffer_take_records(chunkbuf_buffer* buf, const void* delim, size_t dlen, size_t max_len,
                                 chunkbuf_record* records, size_t max_records, size_t* n_records,
                                 chunkbuf_view** out) {
  static const char* fn = "chunkbuf_buffer_take_records";
  CB_TRY(live(buf, fn));
  CB_TRY(need(delim, "delim", fn));
  CB_TRY(need_bytes(records, max_records, "records", fn));
  CB_TRY(need(n_records, "n_records", fn));
  CB_TRY(need(out, "out", fn));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve(fn));
  ViewRep* v = nullptr;
  size_t n = 0;
  Status st =
      buf->obj.take_records(delim, dlen, max_len, reinterpret_cast<Record*>(records), max_records, &n, &v);
  if (st != Status::Ok) return code(st);
  *n_records = n;
  hand_out(slot, v, out);
  return CHUNKBUF_OK;
}

int chunkbuf_buffer_peek_lines(const chunkbuf_buffer* buf, chunkbuf_eol eol, size_t max_len,
                               chunkbuf_record* records, size_t max_records, size_t* n_records) {
  static const char* fn = "chunkbuf_buffer_peek_lines";
  CB_TRY(live(buf, fn));
  CB_TRY(check_eol(eol, fn));
  CB_TRY(need_bytes(records, max_records, "records", fn));
  CB_TRY(need(n_records, "n_records", fn));
  size_t n = 0;
  CB_TRY(buf->obj.peek_lines(static_cast<Eol>(eol), max_len, reinterpret_cast<Record*>(records), max_records, &n));
  *n_records = n;
  return CHUNKBUF_OK;
}

int chunkbuf_buffer_peek_records(const chunkbuf_buffer* buf, const void* delim, size_t dlen, size_t max_len,
                                 chunkbuf_record* records, size_t max_records, size_t* n_records) {
  static const char* fn = "chunkbuf_buffer_peek_records";
  CB_TRY(live(buf, fn));
  CB_TRY(need(delim, "delim", fn));
  CB_TRY(need_bytes(records, max_records, "records", fn));
  CB_TRY(need(n_records, "n_records", fn));
  size_t n = 0;
  CB_TRY(buf->obj.peek_records(delim, dlen, max_len, reinterpret_cast<Record*>(records), max_records, &n));
  *n_records = n;
  return CHUNKBUF_OK;
}

int chunkbuf_buffer_write_to_fd(chunkbuf_buffer* buf, int fd, size_t max, size_t* nwritten) {
  static const char* fn = "chunkbuf_buffer_write_to_fd";
  CB_TRY(live(buf, fn));
  CB_TRY(need(nwritten, "nwritten", fn));
  if (fd < 0) return code(fail(Status::Inval, "%s: negative file descriptor %d", fn, fd));
  return code(buf->obj.write_to_fd(fd, max, nwritten));
}

}  // extern "C"
