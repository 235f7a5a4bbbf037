// The handle kinds behind the opaque C types, and the argument checks
// every entry point runs. Internal to the C API shim; handle.h holds the
// one life cycle they share.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>

#include "abi.h"
#include "chunkbuf.h"
#include "core/arena.h"
#include "core/buffer.h"
#include "core/cancel.h"
#include "core/framer.h"
#include "core/mem.h"
#include "core/pool.h"
#include "core/ring.h"
#include "core/status.h"
#include "core/stream.h"
#include "core/view.h"
#include "handle.h"

namespace chunkbuf::capi {

// Owns an engine object the core created in mem::alloc memory.
template <typename T>
struct Owned {
  explicit Owned(T* p) noexcept : p(p) {}
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() {
    p->~T();
    mem::free(p);
  }
  T* operator->() const noexcept { return p; }
  T* p;
};

// A pool handle holds one reference on its pool (blocks hold the others).
struct PoolRef {
  explicit PoolRef(Pool* p) noexcept : p(p) {}
  PoolRef(const PoolRef&) = delete;
  PoolRef& operator=(const PoolRef&) = delete;
  ~PoolRef() { p->release(); }
  Pool* p;
};

// A view handle counts its own references (chunkbuf_view_retain/release)
// over one reference on the core view, so two handles of one core view
// never share a count.
struct ViewRef {
  explicit ViewRef(ViewRep* v) noexcept : rep(v) {}
  ViewRef(const ViewRef&) = delete;
  ViewRef& operator=(const ViewRef&) = delete;
  ~ViewRef() { view_release(rep); }
  std::atomic<uint32_t> refs{1};
  ViewRep* const rep;
};

struct PoolKind {
  using C = chunkbuf_pool;
  using Object = PoolRef;
  static constexpr uint32_t kTag = 0x43425031;  // "CBP1"
  static constexpr const char* kName = "chunkbuf_pool";
  static constexpr size_t kQuarantine = 256;
};
struct BufferKind {
  using C = chunkbuf_buffer;
  using Object = Buffer;
  static constexpr uint32_t kTag = 0x43424231;  // "CBB1"
  static constexpr const char* kName = "chunkbuf_buffer";
  static constexpr size_t kQuarantine = 1024;
};
struct ViewKind {
  using C = chunkbuf_view;
  using Object = ViewRef;
  static constexpr uint32_t kTag = 0x43425631;  // "CBV1"
  static constexpr const char* kName = "chunkbuf_view";
  static constexpr size_t kQuarantine = 4096;  // a line loop makes and frees views fastest
};
struct StreamKind {
  using C = chunkbuf_stream;
  using Object = Stream;
  static constexpr uint32_t kTag = 0x43425331;  // "CBS1"
  static constexpr const char* kName = "chunkbuf_stream";
  static constexpr size_t kQuarantine = 1024;
};
struct FramerKind {
  using C = chunkbuf_framer;
  using Object = Owned<Framer>;
  static constexpr uint32_t kTag = 0x43424631;  // "CBF1"
  static constexpr const char* kName = "chunkbuf_framer";
  static constexpr size_t kQuarantine = 256;
};
struct RingKind {
  using C = chunkbuf_ring;
  using Object = Owned<Ring>;
  static constexpr uint32_t kTag = 0x43425231;  // "CBR1"
  static constexpr const char* kName = "chunkbuf_ring";
  static constexpr size_t kQuarantine = 256;
};

struct ArenaKind {
  using C = chunkbuf_arena;
  using Object = Owned<Arena>;
  static constexpr uint32_t kTag = 0x43424131;  // "CBA1"
  static constexpr const char* kName = "chunkbuf_arena";
  static constexpr size_t kQuarantine = 256;
};

struct CancelKind {
  using C = chunkbuf_cancel;
  using Object = Cancel;
  static constexpr uint32_t kTag = 0x43425831;  // "CBX1"
  static constexpr const char* kName = "chunkbuf_cancel";
  static constexpr size_t kQuarantine = 256;
};

// An armed chunkbuf_stream_read_start or chunkbuf_stream_wait_start: the
// pending read and the stream reference it holds until
// chunkbuf_read_op_finish.
struct ReadOp {
  chunkbuf_stream* s = nullptr;
  PendingRead p;
};
struct ReadOpKind {
  using C = chunkbuf_read_op;
  using Object = ReadOp;
  static constexpr uint32_t kTag = 0x43425131;  // "CBQ1"
  static constexpr const char* kName = "chunkbuf_read_op";
  static constexpr size_t kQuarantine = 256;
};

}  // namespace chunkbuf::capi

// The opaque C types are the handles themselves.
struct chunkbuf_pool : chunkbuf::capi::Handle<chunkbuf::capi::PoolKind> {
  using Handle::Handle;
};
struct chunkbuf_buffer : chunkbuf::capi::Handle<chunkbuf::capi::BufferKind> {
  using Handle::Handle;
};
struct chunkbuf_view : chunkbuf::capi::Handle<chunkbuf::capi::ViewKind> {
  using Handle::Handle;
};
struct chunkbuf_stream : chunkbuf::capi::Handle<chunkbuf::capi::StreamKind> {
  using Handle::Handle;
};
struct chunkbuf_framer : chunkbuf::capi::Handle<chunkbuf::capi::FramerKind> {
  using Handle::Handle;
};
struct chunkbuf_ring : chunkbuf::capi::Handle<chunkbuf::capi::RingKind> {
  using Handle::Handle;
};
struct chunkbuf_arena : chunkbuf::capi::Handle<chunkbuf::capi::ArenaKind> {
  using Handle::Handle;
};
struct chunkbuf_cancel : chunkbuf::capi::Handle<chunkbuf::capi::CancelKind> {
  using Handle::Handle;
};
struct chunkbuf_read_op : chunkbuf::capi::Handle<chunkbuf::capi::ReadOpKind> {
  using Handle::Handle;
};

namespace chunkbuf::capi {

inline int code(Status st) noexcept { return static_cast<int>(st); }

// The core view behind a live view handle.
inline ViewRep* rep(const chunkbuf_view* v) noexcept { return v->obj.rep; }

// Hands the new core view v (one reference, or nullptr for "no view") out
// through *out in the handle memory slot took beforehand.
inline void hand_out(Slot<ViewKind>& slot, ViewRep* v, chunkbuf_view** out) noexcept {
  *out = v ? slot.fill(v) : nullptr;
}
// Returns st, handing v out through *out when st is Ok.
inline int hand_view(Status st, Slot<ViewKind>& slot, ViewRep* v, chunkbuf_view** out) noexcept {
  if (st == Status::Ok) hand_out(slot, v, out);
  return code(st);
}

// The core pool behind a (possibly NULL = default) pool handle.
Status pool_of(chunkbuf_pool* h, Pool** out, const char* fn) noexcept;

// Reads an options struct: NULL means defaults; an older (smaller)
// struct_size, down to the first released size `first`, leaves the fields
// it does not cover at their defaults; a larger size than this library
// knows is Version.
template <typename T>
Status read_options(const T* in, T* out, const T& defaults, size_t first, const char* fn) noexcept {
  *out = defaults;
  if (!in) return Status::Ok;
  size_t size = in->struct_size;
  if (size < first || size > sizeof(T))
    return fail(Status::Version, "%s: options struct_size %zu, this library accepts %zu..%zu (use the _INIT macro)",
                fn, size, first, sizeof(T));
  // Copy the caller's prefix over the defaults; struct_size then says
  // which fields the caller knew.
  std::memcpy(static_cast<void*>(out), in, size);
  out->struct_size = sizeof(T);
  return Status::Ok;
}

// An out-parameter or data pointer that must not be NULL.
inline Status need(const void* p, const char* what, const char* fn) noexcept {
  return p ? Status::Ok : fail(Status::Inval, "%s: %s must not be NULL", fn, what);
}
// data may be NULL only when len is 0.
inline Status need_bytes(const void* p, size_t len, const char* what, const char* fn) noexcept {
  return (p || len == 0) ? Status::Ok : fail(Status::Inval, "%s: %s is NULL with length %zu", fn, what, len);
}

}  // namespace chunkbuf::capi

// Returns the C code when a check fails.
#define CB_TRY(expr)                                      \
  do {                                                    \
    ::chunkbuf::Status cb_st_ = (expr);                   \
    if (cb_st_ != ::chunkbuf::Status::Ok) return ::chunkbuf::capi::code(cb_st_); \
  } while (0)
