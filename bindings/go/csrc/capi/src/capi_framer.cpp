// chunkbuf_framer_* entry points.
#include "handles.h"

using namespace chunkbuf;
using namespace chunkbuf::capi;

namespace {

Status live(const chunkbuf_framer* f, const char* fn) noexcept { return check<FramerKind>(f, fn); }

int wrap(Framer* impl, chunkbuf_framer** out, const char* fn) noexcept {
  Slot<FramerKind> slot;
  if (Status st = slot.reserve(fn); st != Status::Ok) {
    Owned<Framer> drop(impl);
    return code(st);
  }
  *out = slot.fill(impl);
  return CHUNKBUF_OK;
}

}  // namespace

extern "C" {

int chunkbuf_framer_new_delimiter(const chunkbuf_delimiter_framer_options* opts, chunkbuf_framer** out) {
  static const char* fn = "chunkbuf_framer_new_delimiter";
  CB_TRY(need(opts, "opts", fn));
  CB_TRY(need(out, "out", fn));
  chunkbuf_delimiter_framer_options o;
  CB_TRY(read_options(opts, &o, chunkbuf_delimiter_framer_options CHUNKBUF_DELIMITER_FRAMER_OPTIONS_INIT,
                      kDelimiterFramerOptionsSize01, fn));
  CB_TRY(need_bytes(o.delimiters, o.n_delimiters, "delimiters", fn));
  DelimiterFramer* f = nullptr;
  CB_TRY(DelimiterFramer::create(o.delimiters, o.n_delimiters, o.max_frame, o.include_delimiter != 0, &f));
  return wrap(f, out, fn);
}

int chunkbuf_framer_new_length(const chunkbuf_length_framer_options* opts, chunkbuf_framer** out) {
  static const char* fn = "chunkbuf_framer_new_length";
  CB_TRY(need(out, "out", fn));
  chunkbuf_length_framer_options o;
  CB_TRY(read_options(opts, &o, chunkbuf_length_framer_options CHUNKBUF_LENGTH_FRAMER_OPTIONS_INIT,
                      kLengthFramerOptionsSize01, fn));
  if (o.order != CHUNKBUF_BE && o.order != CHUNKBUF_LE)
    return code(fail(Status::Inval, "%s: order must be CHUNKBUF_BE or CHUNKBUF_LE", fn));
  LengthFramerOptions lo;
  lo.length_offset = o.length_offset;
  lo.length_width = o.length_width;
  lo.order = o.order == CHUNKBUF_BE ? Order::Big : Order::Little;
  lo.length_adjust = o.length_adjust;
  lo.strip = o.strip;
  lo.max_frame = o.max_frame;
  LengthFramer* f = nullptr;
  CB_TRY(LengthFramer::create(lo, &f));
  return wrap(f, out, fn);
}

void chunkbuf_framer_free(chunkbuf_framer* framer) {
  if (!framer || live(framer, "chunkbuf_framer_free") != Status::Ok) return;
  retire<FramerKind>(framer);
}

int chunkbuf_framer_next(chunkbuf_framer* framer, chunkbuf_buffer* buf, int final, chunkbuf_view** out) {
  static const char* fn = "chunkbuf_framer_next";
  CB_TRY(live(framer, fn));
  CB_TRY(check<BufferKind>(buf, fn));
  CB_TRY(need(out, "out", fn));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve(fn));
  ViewRep* v = nullptr;
  CB_TRY(framer->obj->next(buf->obj, final != 0, &v));
  hand_out(slot, v, out);
  return CHUNKBUF_OK;
}

int chunkbuf_framer_next_batch(chunkbuf_framer* framer, chunkbuf_buffer* buf, int final, chunkbuf_record* records,
                               size_t max_records, size_t* n_records, chunkbuf_view** out) {
  static const char* fn = "chunkbuf_framer_next_batch";
  CB_TRY(live(framer, fn));
  CB_TRY(check<BufferKind>(buf, fn));
  CB_TRY(need_bytes(records, max_records, "records", fn));
  CB_TRY(need(n_records, "n_records", fn));
  CB_TRY(need(out, "out", fn));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve(fn));
  ViewRep* v = nullptr;
  size_t n = 0;
  CB_TRY(framer->obj->next_batch(buf->obj, final != 0, reinterpret_cast<Record*>(records), max_records, &n, &v));
  *n_records = n;
  hand_out(slot, v, out);
  return CHUNKBUF_OK;
}

int chunkbuf_framer_encode(const chunkbuf_framer* framer, chunkbuf_buffer* out, const chunkbuf_view* payload) {
  static const char* fn = "chunkbuf_framer_encode";
  CB_TRY(live(framer, fn));
  CB_TRY(check<BufferKind>(out, fn));
  CB_TRY(check<ViewKind>(payload, fn));
  return code(framer->obj->encode(out->obj, rep(payload)));
}

}  // extern "C"
