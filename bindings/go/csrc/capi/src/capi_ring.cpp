// chunkbuf_ring_* entry points.
#include <new>

#include "core/mem.h"
#include "core/ring.h"
#include "handles.h"

using namespace chunkbuf;
using namespace chunkbuf::capi;

struct chunkbuf_ring {
  uint32_t tag;
  Ring* impl;
};

namespace {

Status live(const chunkbuf_ring* r, const char* fn) noexcept { return check_tag(r, kRingTag, fn); }

}  // namespace

extern "C" {

int chunkbuf_ring_new(size_t capacity, chunkbuf_ring** out) {
  static const char* fn = "chunkbuf_ring_new";
  CB_TRY(need(out, "out", fn));
  Ring* r = nullptr;
  CB_TRY(Ring::create(capacity, &r));
  void* m = mem::alloc(sizeof(chunkbuf_ring));
  if (!m) {
    r->~Ring();
    mem::free(r);
    return code(fail(Status::NoMem, "%s: out of memory", fn));
  }
  *out = new (m) chunkbuf_ring{kRingTag, r};
  return CHUNKBUF_OK;
}

void chunkbuf_ring_free(chunkbuf_ring* ring) {
  if (!ring || live(ring, "chunkbuf_ring_free") != Status::Ok) return;
  ring->impl->~Ring();
  mem::free(ring->impl);
  ring->tag = kDeadTag;
  quarantine(ring);
}

int chunkbuf_ring_write(chunkbuf_ring* ring, const void* data, size_t len, size_t* written) {
  static const char* fn = "chunkbuf_ring_write";
  CB_TRY(live(ring, fn));
  CB_TRY(need_bytes(data, len, "data", fn));
  CB_TRY(need(written, "written", fn));
  *written = ring->impl->write(data, len);
  return CHUNKBUF_OK;
}

int chunkbuf_ring_read(chunkbuf_ring* ring, void* dst, size_t n, size_t* nread) {
  static const char* fn = "chunkbuf_ring_read";
  CB_TRY(live(ring, fn));
  CB_TRY(need_bytes(dst, n, "dst", fn));
  CB_TRY(need(nread, "nread", fn));
  *nread = ring->impl->read(dst, n);
  return CHUNKBUF_OK;
}

int chunkbuf_ring_peek(const chunkbuf_ring* ring, void* dst, size_t n, size_t* copied) {
  static const char* fn = "chunkbuf_ring_peek";
  CB_TRY(live(ring, fn));
  CB_TRY(need_bytes(dst, n, "dst", fn));
  CB_TRY(need(copied, "copied", fn));
  *copied = ring->impl->peek(dst, n);
  return CHUNKBUF_OK;
}

int chunkbuf_ring_available(const chunkbuf_ring* ring, size_t* n) {
  CB_TRY(live(ring, "chunkbuf_ring_available"));
  CB_TRY(need(n, "n", "chunkbuf_ring_available"));
  *n = ring->impl->available();
  return CHUNKBUF_OK;
}

int chunkbuf_ring_remaining(const chunkbuf_ring* ring, size_t* n) {
  CB_TRY(live(ring, "chunkbuf_ring_remaining"));
  CB_TRY(need(n, "n", "chunkbuf_ring_remaining"));
  *n = ring->impl->remaining();
  return CHUNKBUF_OK;
}

int chunkbuf_ring_capacity(const chunkbuf_ring* ring, size_t* n) {
  CB_TRY(live(ring, "chunkbuf_ring_capacity"));
  CB_TRY(need(n, "n", "chunkbuf_ring_capacity"));
  *n = ring->impl->capacity();
  return CHUNKBUF_OK;
}

}  // extern "C"
