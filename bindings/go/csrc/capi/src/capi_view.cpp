// chunkbuf_view_* entry points.
#include <algorithm>

#include "core/kinds.h"
#include "core/mem.h"
#include "handles.h"

using namespace chunkbuf;
using namespace chunkbuf::capi;

namespace {

Status live(const chunkbuf_view* v, const char* fn) noexcept { return check<ViewKind>(v, fn); }

// One more reference on a live handle (views are immutable, so a const
// handle may be retained).
Status add_ref(const chunkbuf_view* view, const char* fn) noexcept {
  std::atomic<uint32_t>& refs = const_cast<chunkbuf_view*>(view)->obj.refs;
  for (uint32_t n = refs.load(std::memory_order_relaxed);;) {
    if (n == UINT32_MAX) return fail(Status::Limit, "%s: the view already has %u references", fn, n);
    if (refs.compare_exchange_weak(n, n + 1, std::memory_order_relaxed)) return Status::Ok;
  }
}

}  // namespace

extern "C" {

int chunkbuf_view_retain(chunkbuf_view* view) {
  static const char* fn = "chunkbuf_view_retain";
  CB_TRY(live(view, fn));
  return code(add_ref(view, fn));
}

void chunkbuf_view_release(chunkbuf_view* view) {
  if (!view || live(view, "chunkbuf_view_release") != Status::Ok) return;
  // A sole owner cannot race with a retain (that needs a second reference),
  // so the common last release skips the atomic read-modify-write.
  std::atomic<uint32_t>& refs = view->obj.refs;
  if (refs.load(std::memory_order_acquire) == 1 || refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
    retire<ViewKind>(view);
}

int chunkbuf_view_from_bytes(chunkbuf_pool* pool, const void* data, size_t len, chunkbuf_view** out) {
  static const char* fn = "chunkbuf_view_from_bytes";
  Pool* p = nullptr;
  CB_TRY(pool_of(pool, &p, fn));
  CB_TRY(need_bytes(data, len, "data", fn));
  CB_TRY(need(out, "out", fn));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve(fn));
  ViewRep* v = nullptr;
  Status st = view_from_bytes(p, data, len, &v);
  return hand_view(st, slot, v, out);
}

int chunkbuf_view_from_bytes_kind(chunkbuf_pool* pool, const void* data, size_t len, uint32_t kind,
                                  chunkbuf_view** out) {
  static const char* fn = "chunkbuf_view_from_bytes_kind";
  Pool* p = nullptr;
  CB_TRY(pool_of(pool, &p, fn));
  CB_TRY(need_bytes(data, len, "data", fn));
  CB_TRY(need(out, "out", fn));
  if (!kind_known(kind)) return code(fail(Status::Inval, "%s: content kind %u is not registered", fn, kind));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve(fn));
  ViewRep* v = nullptr;
  Status st = view_from_bytes(p, data, len, &v);
  if (st == Status::Ok) v->kind = kind;
  return hand_view(st, slot, v, out);
}

int chunkbuf_view_len(const chunkbuf_view* view, size_t* len) {
  CB_TRY(live(view, "chunkbuf_view_len"));
  CB_TRY(need(len, "len", "chunkbuf_view_len"));
  *len = rep(view)->len;
  return CHUNKBUF_OK;
}

int chunkbuf_view_segment_count(const chunkbuf_view* view, size_t* count) {
  CB_TRY(live(view, "chunkbuf_view_segment_count"));
  CB_TRY(need(count, "count", "chunkbuf_view_segment_count"));
  *count = rep(view)->nseg;
  return CHUNKBUF_OK;
}

int chunkbuf_view_segments(const chunkbuf_view* view, size_t first, struct iovec* iov, size_t max_iov,
                           size_t* n_iov) {
  static const char* fn = "chunkbuf_view_segments";
  CB_TRY(live(view, fn));
  CB_TRY(need_bytes(iov, max_iov, "iov", fn));
  CB_TRY(need(n_iov, "n_iov", fn));
  const ViewRep* v = rep(view);
  if (first > v->nseg) return code(fail(Status::Range, "%s: first %zu beyond %zu segments", fn, first, v->nseg));
  size_t k = std::min(max_iov, v->nseg - first);
  for (size_t i = 0; i < k; ++i) iov[i] = {const_cast<char*>(v->segs()[first + i].p), v->segs()[first + i].n};
  *n_iov = k;
  return CHUNKBUF_OK;
}

int chunkbuf_view_data(const chunkbuf_view* view, const void** data, size_t* len) {
  static const char* fn = "chunkbuf_view_data";
  CB_TRY(live(view, fn));
  CB_TRY(need(data, "data", fn));
  CB_TRY(need(len, "len", fn));
  const ViewRep* v = rep(view);
  if (v->nseg > 1)
    return code(fail(Status::State, "%s: the view has %zu segments; use chunkbuf_view_contiguous", fn, v->nseg));
  *data = v->nseg ? v->segs()[0].p : "";
  *len = v->len;
  return CHUNKBUF_OK;
}

int chunkbuf_view_slice(const chunkbuf_view* view, size_t start, size_t end, chunkbuf_view** out) {
  CB_TRY(live(view, "chunkbuf_view_slice"));
  CB_TRY(need(out, "out", "chunkbuf_view_slice"));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve("chunkbuf_view_slice"));
  ViewRep* v = nullptr;
  Status st = view_slice(rep(view), start, end, &v);
  return hand_view(st, slot, v, out);
}

int chunkbuf_view_find(const chunkbuf_view* view, const void* needle, size_t nlen, size_t start, size_t end,
                       size_t* pos) {
  static const char* fn = "chunkbuf_view_find";
  CB_TRY(live(view, fn));
  CB_TRY(need(needle, "needle", fn));
  CB_TRY(need(pos, "pos", fn));
  if (nlen == 0) return code(fail(Status::Inval, "%s: needle must have at least one byte", fn));
  return code(view_find(rep(view), needle, nlen, start, end, pos));
}

int chunkbuf_view_equals(const chunkbuf_view* view, const void* data, size_t len, int* equal) {
  static const char* fn = "chunkbuf_view_equals";
  CB_TRY(live(view, fn));
  CB_TRY(need_bytes(data, len, "data", fn));
  CB_TRY(need(equal, "equal", fn));
  *equal = view_equals(rep(view), data, len) ? 1 : 0;
  return CHUNKBUF_OK;
}

int chunkbuf_view_equals_view(const chunkbuf_view* a, const chunkbuf_view* b, int* equal) {
  static const char* fn = "chunkbuf_view_equals_view";
  CB_TRY(live(a, fn));
  CB_TRY(live(b, fn));
  CB_TRY(need(equal, "equal", fn));
  *equal = view_equals_view(rep(a), rep(b)) ? 1 : 0;
  return CHUNKBUF_OK;
}

int chunkbuf_view_copy_out(const chunkbuf_view* view, size_t offset, void* dst, size_t n, size_t* copied) {
  static const char* fn = "chunkbuf_view_copy_out";
  CB_TRY(live(view, fn));
  CB_TRY(need_bytes(dst, n, "dst", fn));
  CB_TRY(need(copied, "copied", fn));
  const ViewRep* v = rep(view);
  if (offset > v->len) return code(fail(Status::Range, "%s: offset %zu beyond %zu bytes", fn, offset, v->len));
  *copied = view_copy_out(v, offset, dst, n);
  return CHUNKBUF_OK;
}

int chunkbuf_view_concat(const chunkbuf_view* const* views, size_t n, chunkbuf_view** out) {
  static const char* fn = "chunkbuf_view_concat";
  CB_TRY(need_bytes(views, n, "views", fn));
  CB_TRY(need(out, "out", fn));
  for (size_t i = 0; i < n; ++i) CB_TRY(live(views[i], fn));
  if (n > SIZE_MAX / sizeof(ViewRep*)) return code(fail(Status::Limit, "%s: %zu views", fn, n));
  // The core concatenates core views: gather them from the handles.
  const ViewRep* small[16];
  const ViewRep** reps = n <= 16 ? small : static_cast<const ViewRep**>(mem::alloc(n * sizeof(ViewRep*)));
  if (!reps) return code(fail(Status::NoMem, "%s: out of memory for %zu views", fn, n));
  for (size_t i = 0; i < n; ++i) reps[i] = rep(views[i]);
  Slot<ViewKind> slot;
  Status st = slot.reserve(fn);
  ViewRep* v = nullptr;
  if (st == Status::Ok) st = view_concat(reps, n, &v);
  if (reps != small) mem::free(reps);
  return hand_view(st, slot, v, out);
}

int chunkbuf_view_contiguous(const chunkbuf_view* view, chunkbuf_view** out) {
  static const char* fn = "chunkbuf_view_contiguous";
  CB_TRY(live(view, fn));
  CB_TRY(need(out, "out", fn));
  if (rep(view)->nseg <= 1) {  // already contiguous: the same handle, retained
    CB_TRY(add_ref(view, fn));
    *out = const_cast<chunkbuf_view*>(view);
    return CHUNKBUF_OK;
  }
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve(fn));
  ViewRep* v = nullptr;
  Status st = view_contiguous(rep(view), &v);
  return hand_view(st, slot, v, out);
}

int chunkbuf_view_kind(const chunkbuf_view* view, uint32_t* kind) {
  CB_TRY(live(view, "chunkbuf_view_kind"));
  CB_TRY(need(kind, "kind", "chunkbuf_view_kind"));
  *kind = rep(view)->kind;
  return CHUNKBUF_OK;
}

int chunkbuf_view_retag(const chunkbuf_view* view, uint32_t kind, chunkbuf_view** out) {
  CB_TRY(live(view, "chunkbuf_view_retag"));
  CB_TRY(need(out, "out", "chunkbuf_view_retag"));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve("chunkbuf_view_retag"));
  ViewRep* v = nullptr;
  Status st = view_retag(rep(view), kind, &v);
  return hand_view(st, slot, v, out);
}

int chunkbuf_view_tenant(const chunkbuf_view* view, uint32_t* tenant) {
  CB_TRY(live(view, "chunkbuf_view_tenant"));
  CB_TRY(need(tenant, "tenant", "chunkbuf_view_tenant"));
  *tenant = rep(view)->tenant;
  return CHUNKBUF_OK;
}

int chunkbuf_view_with_tenant(const chunkbuf_view* view, uint32_t tenant, chunkbuf_view** out) {
  static const char* fn = "chunkbuf_view_with_tenant";
  CB_TRY(live(view, fn));
  CB_TRY(need(out, "out", fn));
  Slot<ViewKind> slot;
  CB_TRY(slot.reserve(fn));
  ViewRep* v = nullptr;
  Status st = view_with_tenant(rep(view), tenant, &v);
  return hand_view(st, slot, v, out);
}

int chunkbuf_view_sharers(const chunkbuf_view* view, size_t* sharers) {
  CB_TRY(live(view, "chunkbuf_view_sharers"));
  CB_TRY(need(sharers, "sharers", "chunkbuf_view_sharers"));
  size_t n = view_sharers(rep(view));
  // each extra reference to this handle (chunkbuf_view_retain) is a live sharer too
  if (n) n += view->obj.refs.load(std::memory_order_relaxed) - 1;
  *sharers = n;
  return CHUNKBUF_OK;
}

int chunkbuf_view_sha256(const chunkbuf_view* view, uint8_t digest[32]) {
  CB_TRY(live(view, "chunkbuf_view_sha256"));
  CB_TRY(need(digest, "digest", "chunkbuf_view_sha256"));
  return code(view_sha256(rep(view), digest));
}

}  // extern "C"
