// View: an immutable, refcounted run of segments. Cloning is O(1) (a
// refcount); slicing is O(segments). A view holds references on its blocks,
// so its bytes stay valid until the last view of them is released.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "pool.h"
#include "segment.h"
#include "status.h"

namespace chunkbuf {

struct ViewRep {
  uint32_t kind;
  uint32_t tenant;
  std::atomic<uint32_t> refs;
  size_t len;
  size_t nseg;
  Seg* segs() noexcept { return reinterpret_cast<Seg*>(this + 1); }
  const Seg* segs() const noexcept { return reinterpret_cast<const Seg*>(this + 1); }
};

// Allocates a rep with room for nseg segments (refs = 1, len = 0, nseg = 0);
// nullptr when out of memory.
ViewRep* view_alloc(size_t nseg) noexcept;
void view_retain(ViewRep* v) noexcept;
// Drops a reference; the last one releases the blocks and frees the rep.
void view_release(ViewRep* v) noexcept;

// Appends segment s (block retained by the caller) merging with the previous
// segment when contiguous in the same block. Rep must have room.
void view_push(ViewRep* v, const Seg& s) noexcept;

// A copy of `data` in one block of `pool`.
Status view_from_bytes(Pool* pool, const void* data, size_t len, ViewRep** out) noexcept;
Status view_slice(const ViewRep* v, size_t start, size_t end, ViewRep** out) noexcept;
// A view of bytes [start, end) of a run of segments (end <= total), retaining
// the blocks; kind raw, tenant 0.
Status view_of_segs(const Seg* segs, size_t nseg, size_t start, size_t end, ViewRep** out) noexcept;
Status view_concat(const ViewRep* const* views, size_t n, ViewRep** out) noexcept;
Status view_contiguous(const ViewRep* v, ViewRep** out) noexcept;
Status view_retag(const ViewRep* v, uint32_t kind, ViewRep** out) noexcept;
// A new view of the same bytes carrying tenant tag `tenant` (0: none).
Status view_with_tenant(const ViewRep* v, uint32_t tenant, ViewRep** out) noexcept;
Status view_find(const ViewRep* v, const void* needle, size_t m, size_t start, size_t end, size_t* pos) noexcept;
bool view_equals(const ViewRep* v, const void* data, size_t n) noexcept;
bool view_equals_view(const ViewRep* a, const ViewRep* b) noexcept;
size_t view_copy_out(const ViewRep* v, size_t offset, void* dst, size_t n) noexcept;
size_t view_sharers(const ViewRep* v) noexcept;
// SHA-256 over the visible bytes; NotSup when built without a crypto lib.
Status view_sha256(const ViewRep* v, uint8_t digest[32]) noexcept;
bool sha256_available() noexcept;

// RAII handle for C++ users and tests.
class View {
 public:
  View() = default;
  explicit View(ViewRep* adopt) noexcept : rep_(adopt) {}
  View(const View& o) noexcept : rep_(o.rep_) {
    if (rep_) view_retain(rep_);
  }
  View(View&& o) noexcept : rep_(o.rep_) { o.rep_ = nullptr; }
  View& operator=(View o) noexcept {
    std::swap(rep_, o.rep_);
    return *this;
  }
  ~View() {
    if (rep_) view_release(rep_);
  }
  ViewRep* get() const noexcept { return rep_; }
  ViewRep* release_rep() noexcept {
    ViewRep* r = rep_;
    rep_ = nullptr;
    return r;
  }
  size_t size() const noexcept { return rep_ ? rep_->len : 0; }

 private:
  ViewRep* rep_ = nullptr;
};

}  // namespace chunkbuf
