#include "view.h"

#include "cursor.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "kinds.h"
#include "leaks.h"
#include "mem.h"
#include "search.h"

#ifdef CHUNKBUF_HAVE_OPENSSL
#include <openssl/evp.h>
#endif

namespace chunkbuf {

namespace {

// Released reps with room for one segment, kept per thread for the next
// view_alloc(0 or 1): a line loop makes and drops one view per line, and
// malloc+free cost more than the rest of taking the line. Every rep has
// room for at least one segment, so any released rep fits here. Bounded;
// trivially destructible so it stays usable during thread exit, when
// RepDrain (armed on first use) empties and closes it. Off under ASan,
// which must see every free to catch a use after it.
#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kRepCache = 0;
#else
constexpr size_t kRepCache = 64;
#endif
struct RepCache {
  void* reps[kRepCache ? kRepCache : 1];
  size_t count;
  bool closed;
  bool armed;
};
constinit thread_local RepCache t_reps{};

struct RepDrain {
  ~RepDrain() {
    t_reps.closed = true;
    while (t_reps.count) mem::free(t_reps.reps[--t_reps.count]);
  }
};
void arm_rep_drain() noexcept {
  static thread_local RepDrain drain;
  (void)drain;
}

void* rep_memory(size_t nseg) noexcept {
  RepCache& c = t_reps;
  if (nseg <= 1 && c.count && mem::reuse_allowed()) return c.reps[--c.count];
  return mem::alloc(sizeof(ViewRep) + std::max<size_t>(nseg, 1) * sizeof(Seg));
}

void rep_free(void* m) noexcept {
  RepCache& c = t_reps;
  if (c.count < kRepCache && !c.closed) {
    if (!c.armed) {
      arm_rep_drain();
      c.armed = true;
    }
    c.reps[c.count++] = m;
    return;
  }
  mem::free(m);
}

}  // namespace

ViewRep* view_alloc(size_t nseg) noexcept {
  if (nseg > (SIZE_MAX - sizeof(ViewRep)) / sizeof(Seg)) return nullptr;
  void* m = rep_memory(nseg);
  if (!m) return nullptr;
  ViewRep* v = new (m) ViewRep{};
  v->refs.store(1, std::memory_order_relaxed);
  leaks::on_view_created(v);
  return v;
}

void view_retain(ViewRep* v) noexcept { v->refs.fetch_add(1, std::memory_order_relaxed); }

void view_release(ViewRep* v) noexcept {
  // A sole owner cannot race with a retain (that would need a second
  // reference), so the common last release skips the atomic RMW.
  if (v->refs.load(std::memory_order_acquire) != 1 && v->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  leaks::on_view_gone(v);
  Seg* s = v->segs();
  for (size_t i = 0; i < v->nseg; ++i) s[i].b->release();
  v->~ViewRep();
  rep_free(v);
}

void view_push(ViewRep* v, const Seg& s) noexcept {
  if (s.n == 0) {
    s.b->release();
    return;
  }
  Seg* segs = v->segs();
  if (v->nseg > 0) {
    Seg& last = segs[v->nseg - 1];
    if (last.b == s.b && last.p + last.n == s.p) {
      last.n += s.n;
      v->len += s.n;
      s.b->release();  // the merged segment keeps one reference
      return;
    }
  }
  segs[v->nseg++] = s;
  v->len += s.n;
}

Status view_from_bytes(Pool* pool, const void* data, size_t len, ViewRep** out) noexcept {
  ViewRep* v = view_alloc(1);
  if (!v) return fail(Status::NoMem, "out of memory for a view");
  if (len > 0) {
    Block* b = nullptr;
    Status st = pool->acquire(len, nullptr, &b);
    if (st != Status::Ok) {
      view_release(v);
      return st;
    }
    std::memcpy(b->data, data, len);
    view_push(v, Seg{b, b->data, len});
  }
  *out = v;
  return Status::Ok;
}

Status view_of_segs(const Seg* segs, size_t nseg, size_t start, size_t end, ViewRep** out) noexcept {
  SegCursor c(segs, nseg);
  c.seek(start);
  size_t pieces = 0;
  if (end > start) {
    SegCursor e(segs, nseg);
    e.seek(end - 1);
    pieces = static_cast<size_t>(e.segment() - c.segment()) + 1;
  }
  ViewRep* r = view_alloc(pieces);
  if (!r) return fail(Status::NoMem, "out of memory for a view");
  for (size_t left = end - start; left > 0;) {
    const Seg& s = c.segment()[0];
    const SegCursor::Chunk k = c.chunk();
    const size_t take = std::min(k.n, left);
    s.b->retain();
    view_push(r, Seg{s.b, k.p, take});
    left -= take;
    c.advance(take);
  }
  *out = r;
  return Status::Ok;
}

Status view_slice(const ViewRep* v, size_t start, size_t end, ViewRep** out) noexcept {
  if (end == npos) end = v->len;
  if (start > end || end > v->len)
    return fail(Status::Range, "slice [%zu, %zu) outside a view of %zu bytes", start, end, v->len);
  ViewRep* r = nullptr;
  if (Status st = view_of_segs(v->segs(), v->nseg, start, end, &r); st != Status::Ok) return st;
  r->kind = v->kind;
  r->tenant = v->tenant;
  *out = r;
  return Status::Ok;
}

Status view_concat(const ViewRep* const* views, size_t n, ViewRep** out) noexcept {
  size_t total = 0, bytes = 0;
  for (size_t i = 0; i < n; ++i) {
    if (views[i]->nseg > SIZE_MAX - total || views[i]->len > SIZE_MAX - bytes)
      return fail(Status::Limit, "concatenating %zu views overflows size_t", n);
    total += views[i]->nseg;
    bytes += views[i]->len;
  }
  ViewRep* r = view_alloc(total);
  if (!r) return fail(Status::NoMem, "out of memory concatenating %zu views", n);
  if (n > 0) {
    r->kind = views[0]->kind;
    r->tenant = views[0]->tenant;
  }
  for (size_t i = 0; i < n; ++i) {
    const Seg* s = views[i]->segs();
    for (size_t j = 0; j < views[i]->nseg; ++j) {
      s[j].b->retain();
      view_push(r, s[j]);
    }
  }
  *out = r;
  return Status::Ok;
}

Status view_contiguous(const ViewRep* v, ViewRep** out) noexcept {
  if (v->nseg <= 1) {
    view_retain(const_cast<ViewRep*>(v));
    *out = const_cast<ViewRep*>(v);
    return Status::Ok;
  }
  const Seg* segs = v->segs();
  ViewRep* r = view_alloc(1);
  if (!r) return fail(Status::NoMem, "out of memory for a view");
  Block* b = nullptr;
  Status st = segs[0].b->pool->acquire(v->len, segs[0].b->tenant, &b);
  if (st != Status::Ok) {
    view_release(r);
    return st;
  }
  seg_copy(segs, v->nseg, 0, b->data, v->len);
  r->kind = v->kind;
  r->tenant = v->tenant;
  view_push(r, Seg{b, b->data, v->len});
  *out = r;
  return Status::Ok;
}

Status view_retag(const ViewRep* v, uint32_t kind, ViewRep** out) noexcept {
  if (!kind_known(kind)) return fail(Status::Inval, "content kind %u is not registered", kind);
  ViewRep* r = nullptr;
  Status st = view_slice(v, 0, v->len, &r);
  if (st != Status::Ok) return st;
  r->kind = kind;
  *out = r;
  return Status::Ok;
}

Status view_with_tenant(const ViewRep* v, uint32_t tenant, ViewRep** out) noexcept {
  ViewRep* r = nullptr;
  Status st = view_slice(v, 0, v->len, &r);
  if (st != Status::Ok) return st;
  r->tenant = tenant;
  *out = r;
  return Status::Ok;
}

Status view_find(const ViewRep* v, const void* needle, size_t m, size_t start, size_t end, size_t* pos) noexcept {
  if (start > v->len) return fail(Status::Range, "find start %zu beyond a view of %zu bytes", start, v->len);
  return seg_find(v->segs(), v->nseg, v->len, static_cast<const char*>(needle), m, start, end, pos);
}

bool view_equals(const ViewRep* v, const void* data, size_t n) noexcept {
  return v->len == n && seg_equal(v->segs(), v->nseg, 0, data, n);
}

bool view_equals_view(const ViewRep* a, const ViewRep* b) noexcept {
  if (a->len != b->len) return false;
  size_t off = 0;
  const Seg* s = a->segs();
  for (size_t i = 0; i < a->nseg; ++i) {
    if (!seg_equal(b->segs(), b->nseg, off, s[i].p, s[i].n)) return false;
    off += s[i].n;
  }
  return true;
}

size_t view_copy_out(const ViewRep* v, size_t offset, void* dst, size_t n) noexcept {
  size_t k = std::min(n, v->len - offset);
  seg_copy(v->segs(), v->nseg, offset, dst, k);
  return k;
}

// Holders of the first block, where each extra reference to this rep (a
// retained or cloned view) is a holder too, as axon counts live sharers.
size_t view_sharers(const ViewRep* v) noexcept {
  if (!v->nseg) return 0;
  return v->segs()[0].b->refs.load(std::memory_order_relaxed) + v->refs.load(std::memory_order_relaxed) - 1;
}

bool sha256_available() noexcept {
#ifdef CHUNKBUF_HAVE_OPENSSL
  return true;
#else
  return false;
#endif
}

Status view_sha256(const ViewRep* v, uint8_t digest[32]) noexcept {
#ifdef CHUNKBUF_HAVE_OPENSSL
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx) return fail(Status::NoMem, "out of memory for a digest context");
  bool ok = EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1;
  const Seg* s = v->segs();
  for (size_t i = 0; ok && i < v->nseg; ++i) ok = EVP_DigestUpdate(ctx, s[i].p, s[i].n) == 1;
  unsigned int dlen = 0;
  ok = ok && EVP_DigestFinal_ex(ctx, digest, &dlen) == 1 && dlen == 32;
  EVP_MD_CTX_free(ctx);
  return ok ? Status::Ok : fail(Status::NoMem, "libcrypto failed to compute SHA-256");
#else
  (void)v;
  (void)digest;
  return fail(Status::NotSup, "chunkbuf was built without libcrypto: SHA-256 is unavailable");
#endif
}

}  // namespace chunkbuf
