// Handle structs behind the opaque C types, their tags, and the checks every
// entry point runs. Internal to the C API shim.
//
// Each handle starts with a 32-bit tag naming its kind. Freeing a handle
// destroys the object, overwrites the tag with kDeadTag and parks the memory
// in a per-thread quarantine ring instead of freeing it at once, so a stale
// handle passed in later still reads a dead tag and gets CHUNKBUF_EHANDLE.
// View reps get the same delay from the core (view_free).
#pragma once

#include <cstdint>

#include "chunkbuf.h"
#include "core/buffer.h"
#include "core/pool.h"
#include "core/status.h"
#include "core/view.h"

namespace chunkbuf::capi {

inline constexpr uint32_t kPoolTag = 0x43425031;    // "CBP1"
inline constexpr uint32_t kBufferTag = 0x43424231;  // "CBB1"
inline constexpr uint32_t kViewTag = 0x43425631;    // "CBV1"
inline constexpr uint32_t kStreamTag = 0x43425331;  // "CBS1"
inline constexpr uint32_t kFramerTag = 0x43424631;  // "CBF1"
inline constexpr uint32_t kRingTag = 0x43425231;    // "CBR1"
inline constexpr uint32_t kDeadTag = 0xDEADC0DE;

// Parks freed handle memory; the oldest entry is really freed once the
// ring is full (and all of it when the thread exits).
void quarantine(void* p) noexcept;

inline int code(Status st) noexcept { return static_cast<int>(st); }

const char* tag_name(uint32_t tag) noexcept;

// Checks that h points at a live handle with tag `want`.
inline Status check_tag(const void* h, uint32_t want, const char* fn) noexcept {
  if (!h) return fail(Status::Handle, "%s: NULL %s handle", fn, tag_name(want));
  uint32_t tag = *static_cast<const uint32_t*>(h);
  if (tag == want) return Status::Ok;
  if (tag == kDeadTag) return fail(Status::Handle, "%s: the %s handle was already freed", fn, tag_name(want));
  return fail(Status::Handle, "%s: not a %s handle (%s)", fn, tag_name(want), tag_name(tag));
}

// Validates an options struct's size before copying it (NULL: defaults).
template <typename T>
Status read_options(const T* in, T* out, const T& defaults, const char* fn) noexcept {
  if (!in) {
    *out = defaults;
    return Status::Ok;
  }
  if (in->struct_size != sizeof(T))
    return fail(Status::Version, "%s: options struct_size %zu, this library expects %zu (use the _INIT macro)", fn,
                static_cast<size_t>(in->struct_size), sizeof(T));
  *out = *in;
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

struct chunkbuf_pool {
  uint32_t tag;
  chunkbuf::Pool* pool;
};

struct chunkbuf_buffer {
  uint32_t tag;
  chunkbuf::Buffer buf;
};

namespace chunkbuf::capi {

inline ViewRep* rep(chunkbuf_view* v) noexcept { return reinterpret_cast<ViewRep*>(v); }
inline const ViewRep* rep(const chunkbuf_view* v) noexcept { return reinterpret_cast<const ViewRep*>(v); }
// Gives a new core view (one reference) to the caller as a handle.
inline chunkbuf_view* hand_out(ViewRep* v) noexcept {
  v->handle_tag = kViewTag;
  return reinterpret_cast<chunkbuf_view*>(v);
}
// Returns st, handing v out through *out when st is Ok.
inline int hand_view(Status st, ViewRep* v, chunkbuf_view** out) noexcept {
  if (st == Status::Ok) *out = hand_out(v);
  return code(st);
}
// The core pool behind a (possibly NULL = default) pool handle.
Status pool_of(chunkbuf_pool* h, Pool** out, const char* fn) noexcept;

}  // namespace chunkbuf::capi

// Returns the C code when a check fails.
#define CB_TRY(expr)                                      \
  do {                                                    \
    ::chunkbuf::Status cb_st_ = (expr);                   \
    if (cb_st_ != ::chunkbuf::Status::Ok) return ::chunkbuf::capi::code(cb_st_); \
  } while (0)
