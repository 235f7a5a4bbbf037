// chunkbuf_stream_* and chunkbuf_cancel_* entry points: validate,
// translate, call the core.
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <new>

#include "handles.h"

using namespace chunkbuf;
using namespace chunkbuf::capi;

namespace {

#define CB_TRY_STATUS(expr)                                  \
  do {                                                       \
    ::chunkbuf::Status cb_st_ = (expr);                      \
    if (cb_st_ != ::chunkbuf::Status::Ok) return cb_st_;     \
  } while (0)

// A call from a ready callback would take the lock the callback runs
// under: refused, with the stream untouched.
Status from_callback(const char* fn) noexcept {
  return fail(Status::State, "%s: called from a ready callback (it runs under the stream's lock)", fn);
}

Status live(const chunkbuf_stream* s, const char* fn) noexcept {
  if (Status st = check<StreamKind>(s, fn); st != Status::Ok) return st;
  if (s->obj.in_own_callback()) [[unlikely]]
    return from_callback(fn);
  return Status::Ok;
}


// Fills a caller's error struct with code and the thread's detail message
// (as much of the struct as its struct_size covers), and returns code.
int report(int rc, chunkbuf_error* e) noexcept {
  if (!e || e->struct_size < offsetof(chunkbuf_error, code) + sizeof e->code) return rc;
  e->code = rc;
  if (e->struct_size <= offsetof(chunkbuf_error, message)) return rc;
  size_t room = std::min(e->struct_size, sizeof(chunkbuf_error)) - offsetof(chunkbuf_error, message);
  const char* msg = rc == CHUNKBUF_OK ? "" : last_error_detail();
  size_t n = std::min(std::strlen(msg), room - 1);
  std::memcpy(e->message, msg, n);
  e->message[n] = '\0';
  return rc;
}

// One call's chunkbuf_wait, read field by field (an older, smaller struct
// gets defaults for what it lacks), holding a reference on its cancel token
// until the call returns.
class CallWait {
 public:
  CallWait() = default;
  CallWait(const CallWait&) = delete;
  CallWait& operator=(const CallWait&) = delete;
  ~CallWait() {
    if (c_ && c_->obj.release()) retire<CancelKind>(c_);
  }
  Status read(const chunkbuf_wait* in, const char* fn) noexcept {
    if (!in) return Status::Ok;
    size_t n = in->struct_size;
    if (n < sizeof(size_t) || n > sizeof(chunkbuf_wait))
      return fail(Status::Version, "%s: chunkbuf_wait struct_size %zu, this library knows up to %zu (use "
                  "CHUNKBUF_WAIT_INIT)", fn, n, sizeof(chunkbuf_wait));
    chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
    std::memcpy(&w, in, n);
    err_ = n >= offsetof(chunkbuf_wait, error) + sizeof w.error ? w.error : nullptr;
    wait.timeout_ms = w.timeout_ms;
    if (w.cancel) {
      CB_TRY_STATUS(check<CancelKind>(w.cancel, fn));
      c_ = w.cancel;
      c_->obj.retain();
      wait.cancel = &c_->obj;
    }
    return Status::Ok;
  }
  chunkbuf_error* error() const noexcept { return err_; }
  Wait wait;

 private:
  chunkbuf_cancel* c_ = nullptr;
  chunkbuf_error* err_ = nullptr;
};

// The arguments every start of a read op has: a live stream, op and fn.
Status check_start(chunkbuf_stream* s, chunkbuf_read_op** op, chunkbuf_ready_fn fn, const char* fname) {
  Status st = live(s, fname);
  if (st == Status::Ok) st = need(op, "op", fname);
  if (st == Status::Ok && !fn) st = fail(Status::Inval, "%s: NULL fn", fname);
  return st;
}

// Makes a read op for stream s and arms it with arm(&pending, &armed): *op
// is the op when armed, NULL when the call completed at once. The handle
// is made and the stream retained first: arming must not fail after the
// read is queued.
template <typename Arm>
int arm_op(chunkbuf_stream* s, chunkbuf_read_op** op, chunkbuf_error* err, const char* fname, Arm arm) {
  *op = nullptr;
  chunkbuf_read_op* h = nullptr;
  if (Status m = make<ReadOpKind>(&h, fname); m != Status::Ok) return report(code(m), err);
  h->obj.s = s;
  s->obj.retain();  // the armed op's reference, taken before it can be armed
  bool armed = false;
  Status st = arm(&h->obj.p, &armed);
  if (st != Status::Ok || !armed) {
    retire<ReadOpKind>(h);
    if (s->obj.release()) retire<StreamKind>(s);
    return report(code(st), err);
  }
  *op = h;
  return report(CHUNKBUF_OK, err);
}

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
  if (!s || check<StreamKind>(s, "chunkbuf_stream_free") != Status::Ok) return;
  if (s->obj.release()) retire<StreamKind>(s);
}

int chunkbuf_stream_retain(chunkbuf_stream* s) {
  CB_TRY(check<StreamKind>(s, "chunkbuf_stream_retain"));
  s->obj.retain();
  return CHUNKBUF_OK;
}

void chunkbuf_stream_release(chunkbuf_stream* s) {
  if (!s || check<StreamKind>(s, "chunkbuf_stream_release") != Status::Ok) return;
  if (s->obj.release()) retire<StreamKind>(s);
}

int chunkbuf_stream_waiting(const chunkbuf_stream* s, size_t* readers, size_t* writers) {
  CB_TRY(live(s, "chunkbuf_stream_waiting"));
  s->obj.waiting(readers, writers);
  return CHUNKBUF_OK;
}

int chunkbuf_cancel_new(chunkbuf_cancel** out) {
  CB_TRY(need(out, "out", "chunkbuf_cancel_new"));
  return code(make<CancelKind>(out, "chunkbuf_cancel_new"));
}

void chunkbuf_cancel_free(chunkbuf_cancel* c) {
  if (!c || check<CancelKind>(c, "chunkbuf_cancel_free") != Status::Ok) return;
  if (c->obj.release()) retire<CancelKind>(c);
}

int chunkbuf_cancel_fire(chunkbuf_cancel* c) {
  CB_TRY(check<CancelKind>(c, "chunkbuf_cancel_fire"));
  // A fire wakes the calls on every stream using the token, taking each
  // one's lock: from any stream's ready callback it may be that lock.
  if (in_ready_callback()) return code(from_callback("chunkbuf_cancel_fire"));
  c->obj.fire();
  return CHUNKBUF_OK;
}

int chunkbuf_cancel_reset(chunkbuf_cancel* c) {
  CB_TRY(check<CancelKind>(c, "chunkbuf_cancel_reset"));
  c->obj.reset();
  return CHUNKBUF_OK;
}

int chunkbuf_cancel_fired(const chunkbuf_cancel* c, int* fired) {
  CB_TRY(check<CancelKind>(c, "chunkbuf_cancel_fired"));
  CB_TRY(need(fired, "fired", "chunkbuf_cancel_fired"));
  *fired = c->obj.fired() ? 1 : 0;
  return CHUNKBUF_OK;
}

int chunkbuf_stream_read_into(chunkbuf_stream* s, void* dst, size_t n, size_t min, const chunkbuf_wait* w,
                              size_t* nread) {
  static const char* fn = "chunkbuf_stream_read_into";
  CallWait cw;
  Status st = cw.read(w, fn);
  if (st == Status::Ok) st = live(s, fn);
  if (st == Status::Ok) st = need_bytes(dst, n, "dst", fn);
  if (st == Status::Ok) st = need(nread, "nread", fn);
  if (st == Status::Ok) st = s->obj.read_into(dst, n, min, cw.wait, nread);
  return report(code(st), cw.error());
}

int chunkbuf_stream_read_start(chunkbuf_stream* s, void* dst, size_t n, size_t min, chunkbuf_ready_fn fn,
                               void* arg, chunkbuf_read_op** op, size_t* nread, chunkbuf_error* err) {
  static const char* fname = "chunkbuf_stream_read_start";
  Status st = check_start(s, op, fn, fname);
  if (st == Status::Ok) st = need_bytes(dst, n, "dst", fname);
  if (st == Status::Ok) st = need(nread, "nread", fname);
  if (st != Status::Ok) return report(code(st), err);
  *nread = 0;
  return arm_op(s, op, err, fname, [&](PendingRead* p, bool* armed) {
    return s->obj.read_start(p, dst, n, min, fn, arg, armed, nread);
  });
}

int chunkbuf_stream_wait_start(chunkbuf_stream* s, size_t min, chunkbuf_ready_fn fn, void* arg,
                               chunkbuf_read_op** op, chunkbuf_error* err) {
  static const char* fname = "chunkbuf_stream_wait_start";
  if (Status st = check_start(s, op, fn, fname); st != Status::Ok) return report(code(st), err);
  return arm_op(s, op, err, fname,
                [&](PendingRead* p, bool* armed) { return s->obj.wait_start(p, min, fn, arg, armed); });
}

int chunkbuf_stream_space_start(chunkbuf_stream* s, size_t n, chunkbuf_ready_fn fn, void* arg,
                                chunkbuf_read_op** op, chunkbuf_error* err) {
  static const char* fname = "chunkbuf_stream_space_start";
  if (Status st = check_start(s, op, fn, fname); st != Status::Ok) return report(code(st), err);
  return arm_op(s, op, err, fname,
                [&](PendingRead* p, bool* armed) { return s->obj.space_start(p, n, fn, arg, armed); });
}

int chunkbuf_read_op_finish(chunkbuf_read_op* op, int cancel, size_t* nread, chunkbuf_error* err) {
  static const char* fname = "chunkbuf_read_op_finish";
  Status st = check<ReadOpKind>(op, fname);
  if (st == Status::Ok && op->obj.s->obj.in_own_callback()) st = from_callback(fname);
  if (st == Status::Ok) st = need(nread, "nread", fname);
  if (st != Status::Ok) return report(code(st), err);
  st = op->obj.s->obj.read_finish(&op->obj.p, cancel != 0, nread);
  if (st == Status::Again) return report(code(st), err);
  chunkbuf_stream* s = op->obj.s;
  retire<ReadOpKind>(op);
  if (s->obj.release()) retire<StreamKind>(s);
  return report(code(st), err);
}

int chunkbuf_stream_read_policy(chunkbuf_stream* s, void* dst, size_t n, int policy, const chunkbuf_wait* w,
                                size_t* nread) {
  static const char* fn = "chunkbuf_stream_read_policy";
  CallWait cw;
  Short sp = Short::Raise;
  Status st = cw.read(w, fn);
  if (st == Status::Ok) st = live(s, fn);
  if (st == Status::Ok) st = need_bytes(dst, n, "dst", fn);
  if (st == Status::Ok) st = need(nread, "nread", fn);
  if (st == Status::Ok) st = short_policy(policy, &sp, fn);
  if (st == Status::Ok) st = read_short(s->obj, dst, n, sp, cw.wait, nread);
  return report(code(st), cw.error());
}

int chunkbuf_stream_peek(chunkbuf_stream* s, size_t min, size_t max, const chunkbuf_wait* w, chunkbuf_view** out,
                         chunkbuf_handout* h) {
  static const char* fn = "chunkbuf_stream_peek";
  CallWait cw;
  Status st = cw.read(w, fn);
  if (st == Status::Ok) st = live(s, fn);
  if (st == Status::Ok) st = need(out, "out", fn);
  if (st == Status::Ok) st = need(h, "h", fn);
  Slot<ViewKind> slot;
  if (st == Status::Ok) st = slot.reserve(fn);
  ViewRep* v = nullptr;
  Handout ho;
  if (st == Status::Ok) st = s->obj.peek(min, max, cw.wait, &v, &ho);
  if (st == Status::Ok) {
    hand_out(slot, v, out);
    *h = chunkbuf_handout{ho.position, ho.length};
  }
  return report(code(st), cw.error());
}

int chunkbuf_stream_write_wait(chunkbuf_stream* s, const void* data, size_t len, const chunkbuf_wait* w) {
  static const char* fn = "chunkbuf_stream_write_wait";
  CallWait cw;
  Status st = cw.read(w, fn);
  if (st == Status::Ok) st = live(s, fn);
  if (st == Status::Ok) st = need_bytes(data, len, "data", fn);
  if (st == Status::Ok) st = s->obj.write(data, len, cw.wait);
  return report(code(st), cw.error());
}

int chunkbuf_stream_write_view_wait(chunkbuf_stream* s, const chunkbuf_view* view, const chunkbuf_wait* w) {
  static const char* fn = "chunkbuf_stream_write_view_wait";
  CallWait cw;
  Status st = cw.read(w, fn);
  if (st == Status::Ok) st = live(s, fn);
  if (st == Status::Ok) st = check<ViewKind>(view, fn);
  if (st == Status::Ok) st = s->obj.write_view(rep(view), cw.wait);
  return report(code(st), cw.error());
}

int chunkbuf_stream_write_ref_wait(chunkbuf_stream* s, const void* data, size_t len, chunkbuf_free_fn free_fn,
                                   void* user_data, const chunkbuf_wait* w) {
  static const char* fn = "chunkbuf_stream_write_ref_wait";
  CallWait cw;
  Status st = cw.read(w, fn);
  if (st == Status::Ok) st = live(s, fn);
  if (st == Status::Ok) st = need_bytes(data, len, "data", fn);
  if (st != Status::Ok) {
    // Nothing was adopted: the memory goes back now, as the contract says.
    if (free_fn) free_fn(user_data);
    return report(code(st), cw.error());
  }
  return report(code(s->obj.write_ref(data, len, free_fn, user_data, cw.wait)), cw.error());
}

}  // extern "C"

namespace {

int stream_lines(chunkbuf_stream* s, chunkbuf_eol eol, size_t max_len, chunkbuf_line* lines, size_t max_lines,
                 const chunkbuf_wait* w, size_t* n_lines, chunkbuf_view** out, chunkbuf_handout* h, bool peek,
                 const char* fn) noexcept {
  CallWait cw;
  Status st = cw.read(w, fn);
  if (st == Status::Ok) st = live(s, fn);
  if (st == Status::Ok) st = need(lines, "lines", fn);
  if (st == Status::Ok) st = need(n_lines, "n_lines", fn);
  if (st == Status::Ok) st = need(out, "out", fn);
  if (st == Status::Ok && peek) st = need(h, "h", fn);
  Slot<ViewKind> slot;
  if (st == Status::Ok) st = slot.reserve(fn);
  ViewRep* v = nullptr;
  Handout ho;
  size_t n = 0;
  if (st == Status::Ok) {
    Line* ls = reinterpret_cast<Line*>(lines);
    Eol e = static_cast<Eol>(eol);
    st = peek ? s->obj.peek_lines(e, max_len, ls, max_lines, cw.wait, &n, &v, &ho)
              : s->obj.read_lines(e, max_len, ls, max_lines, cw.wait, &n, &v);
  }
  if (st == Status::Ok) {
    hand_out(slot, v, out);
    *n_lines = n;
    if (peek) *h = chunkbuf_handout{ho.position, ho.length};
  }
  return report(code(st), cw.error());
}

}  // namespace

extern "C" {

int chunkbuf_stream_peek_lines(chunkbuf_stream* s, chunkbuf_eol eol, size_t max_len, chunkbuf_line* lines,
                               size_t max_lines, const chunkbuf_wait* w, size_t* n_lines, chunkbuf_view** out,
                               chunkbuf_handout* h) {
  return stream_lines(s, eol, max_len, lines, max_lines, w, n_lines, out, h, true, "chunkbuf_stream_peek_lines");
}

int chunkbuf_stream_read_lines(chunkbuf_stream* s, chunkbuf_eol eol, size_t max_len, chunkbuf_line* lines,
                               size_t max_lines, const chunkbuf_wait* w, size_t* n_lines, chunkbuf_view** out) {
  return stream_lines(s, eol, max_len, lines, max_lines, w, n_lines, out, nullptr, false, "chunkbuf_stream_read_lines");
}

int chunkbuf_stream_read_line(chunkbuf_stream* s, chunkbuf_eol eol, size_t max_len, void* dst, size_t cap,
                              const chunkbuf_wait* w, size_t* len, size_t* eol_len) {
  static const char* fn = "chunkbuf_stream_read_line";
  CallWait cw;
  Status st = cw.read(w, fn);
  if (st == Status::Ok) st = live(s, fn);
  if (st == Status::Ok) st = need_bytes(dst, cap, "dst", fn);
  if (st == Status::Ok) st = need(len, "len", fn);
  if (st == Status::Ok) st = need(eol_len, "eol_len", fn);
  if (st == Status::Ok) st = s->obj.read_line(static_cast<Eol>(eol), max_len, dst, cap, cw.wait, len, eol_len);
  return report(code(st), cw.error());
}

int chunkbuf_stream_consume(chunkbuf_stream* s, chunkbuf_handout* h, size_t n, chunkbuf_error* err) {
  static const char* fn = "chunkbuf_stream_consume";
  Status st = live(s, fn);
  if (st == Status::Ok) st = need(h, "h", fn);
  if (st == Status::Ok) {
    Handout ho{h->position, h->length};
    st = s->obj.consume(&ho, n);
    if (st == Status::Ok) *h = chunkbuf_handout{ho.position, ho.length};
  }
  return report(code(st), err);
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
  CB_TRY(need_bytes(needle, nlen, "needle", fn));
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
