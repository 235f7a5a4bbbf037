// chunkbuf_framer_* entry points.
#include <new>

#include "core/framer.h"
#include "core/mem.h"
#include "handles.h"

using namespace chunkbuf;
using namespace chunkbuf::capi;

struct chunkbuf_framer {
  uint32_t tag;
  Framer* impl;
};

namespace {

Status live(const chunkbuf_framer* f, const char* fn) noexcept { return check_tag(f, kFramerTag, fn); }

int wrap(Framer* impl, chunkbuf_framer** out, const char* fn) noexcept {
  void* m = mem::alloc(sizeof(chunkbuf_framer));
  if (!m) {
    impl->~Framer();
    mem::free(impl);
    return code(fail(Status::NoMem, "%s: out of memory", fn));
  }
  *out = new (m) chunkbuf_framer{kFramerTag, impl};
  return CHUNKBUF_OK;
}

}  // namespace

extern "C" {

int chunkbuf_framer_new_delimiter(const chunkbuf_delimiter_framer_options* opts, chunkbuf_framer** out) {
  static const char* fn = "chunkbuf_framer_new_delimiter";
  CB_TRY(need(opts, "opts", fn));
  CB_TRY(need(out, "out", fn));
  chunkbuf_delimiter_framer_options o = CHUNKBUF_DELIMITER_FRAMER_OPTIONS_INIT;
  CB_TRY(read_options(opts, &o, o, fn));
  CB_TRY(need_bytes(o.delimiters, o.n_delimiters, "delimiters", fn));
  DelimiterFramer* f = nullptr;
  CB_TRY(DelimiterFramer::create(o.delimiters, o.n_delimiters, o.max_frame, o.include_delimiter != 0, &f));
  return wrap(f, out, fn);
}

int chunkbuf_framer_new_length(const chunkbuf_length_framer_options* opts, chunkbuf_framer** out) {
  static const char* fn = "chunkbuf_framer_new_length";
  CB_TRY(need(out, "out", fn));
  chunkbuf_length_framer_options o = CHUNKBUF_LENGTH_FRAMER_OPTIONS_INIT;
  CB_TRY(read_options(opts, &o, o, fn));
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
  framer->impl->~Framer();
  mem::free(framer->impl);
  framer->tag = kDeadTag;
  quarantine(framer);
}

int chunkbuf_framer_next(chunkbuf_framer* framer, chunkbuf_buffer* buf, int final, chunkbuf_view** out) {
  static const char* fn = "chunkbuf_framer_next";
  CB_TRY(live(framer, fn));
  CB_TRY(check_tag(buf, kBufferTag, fn));
  CB_TRY(need(out, "out", fn));
  ViewRep* v = nullptr;
  CB_TRY(framer->impl->next(buf->buf, final != 0, &v));
  *out = hand_out(v);
  return CHUNKBUF_OK;
}

int chunkbuf_framer_next_batch(chunkbuf_framer* framer, chunkbuf_buffer* buf, int final, chunkbuf_record* records,
                               size_t max_records, size_t* n_records, chunkbuf_view** out) {
  static const char* fn = "chunkbuf_framer_next_batch";
  CB_TRY(live(framer, fn));
  CB_TRY(check_tag(buf, kBufferTag, fn));
  CB_TRY(need_bytes(records, max_records, "records", fn));
  CB_TRY(need(n_records, "n_records", fn));
  CB_TRY(need(out, "out", fn));
  ViewRep* v = nullptr;
  size_t n = 0;
  CB_TRY(framer->impl->next_batch(buf->buf, final != 0, reinterpret_cast<Record*>(records), max_records, &n, &v));
  *n_records = n;
  *out = v ? hand_out(v) : nullptr;
  return CHUNKBUF_OK;
}

int chunkbuf_framer_encode(const chunkbuf_framer* framer, chunkbuf_buffer* out, const chunkbuf_view* payload) {
  static const char* fn = "chunkbuf_framer_encode";
  CB_TRY(live(framer, fn));
  CB_TRY(check_tag(out, kBufferTag, fn));
  CB_TRY(check_tag(payload, kViewTag, fn));
  return code(framer->impl->encode(out->buf, rep(payload)));
}

}  // extern "C"
