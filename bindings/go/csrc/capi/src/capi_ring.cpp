// chunkbuf_ring_* entry points.
#include "handles.h"

using namespace chunkbuf;
using namespace chunkbuf::capi;

namespace {

Status live(const chunkbuf_ring* r, const char* fn) noexcept { return check<RingKind>(r, fn); }

}  // namespace

extern "C" {

int chunkbuf_ring_new(size_t capacity, chunkbuf_ring** out) {
  static const char* fn = "chunkbuf_ring_new";
  CB_TRY(need(out, "out", fn));
  Slot<RingKind> slot;
  CB_TRY(slot.reserve(fn));
  Ring* r = nullptr;
  CB_TRY(Ring::create(capacity, &r));
  *out = slot.fill(r);
  return CHUNKBUF_OK;
}

void chunkbuf_ring_free(chunkbuf_ring* ring) {
  if (!ring || live(ring, "chunkbuf_ring_free") != Status::Ok) return;
  retire<RingKind>(ring);
}

int chunkbuf_ring_write(chunkbuf_ring* ring, const void* data, size_t len, size_t* written) {
  static const char* fn = "chunkbuf_ring_write";
  CB_TRY(live(ring, fn));
  CB_TRY(need_bytes(data, len, "data", fn));
  CB_TRY(need(written, "written", fn));
  *written = ring->obj->write(data, len);
  return CHUNKBUF_OK;
}

int chunkbuf_ring_read(chunkbuf_ring* ring, void* dst, size_t n, size_t* nread) {
  static const char* fn = "chunkbuf_ring_read";
  CB_TRY(live(ring, fn));
  CB_TRY(need_bytes(dst, n, "dst", fn));
  CB_TRY(need(nread, "nread", fn));
  *nread = ring->obj->read(dst, n);
  return CHUNKBUF_OK;
}

int chunkbuf_ring_peek(const chunkbuf_ring* ring, void* dst, size_t n, size_t* copied) {
  static const char* fn = "chunkbuf_ring_peek";
  CB_TRY(live(ring, fn));
  CB_TRY(need_bytes(dst, n, "dst", fn));
  CB_TRY(need(copied, "copied", fn));
  *copied = ring->obj->peek(dst, n);
  return CHUNKBUF_OK;
}

int chunkbuf_ring_readable_amount(const chunkbuf_ring* ring, size_t* n) {
  CB_TRY(live(ring, "chunkbuf_ring_readable_amount"));
  CB_TRY(need(n, "n", "chunkbuf_ring_readable_amount"));
  *n = ring->obj->available();
  return CHUNKBUF_OK;
}

int chunkbuf_ring_writable_amount(const chunkbuf_ring* ring, size_t* n) {
  CB_TRY(live(ring, "chunkbuf_ring_writable_amount"));
  CB_TRY(need(n, "n", "chunkbuf_ring_writable_amount"));
  *n = ring->obj->remaining();
  return CHUNKBUF_OK;
}

// The 0.1 names stay exported for binaries built against them.
int chunkbuf_ring_available(const chunkbuf_ring* ring, size_t* n) { return chunkbuf_ring_readable_amount(ring, n); }

int chunkbuf_ring_remaining(const chunkbuf_ring* ring, size_t* n) { return chunkbuf_ring_writable_amount(ring, n); }

int chunkbuf_ring_capacity(const chunkbuf_ring* ring, size_t* n) {
  CB_TRY(live(ring, "chunkbuf_ring_capacity"));
  CB_TRY(need(n, "n", "chunkbuf_ring_capacity"));
  *n = ring->obj->capacity();
  return CHUNKBUF_OK;
}

}  // extern "C"
