// One layout and one life cycle for every C handle.
//
// A handle is a 32-bit tag naming its kind, then the object the kind
// wraps (a Buffer, a Stream, a view reference, ...). Handles are made,
// checked and retired only here:
//   make<K>    takes memory (see below) and constructs the object;
//   check<K>   reads the tag: NULL, another kind or a retired handle is
//              CHUNKBUF_EHANDLE with a message naming what was found;
//   retire<K>  destroys the object, overwrites the tag with kDeadTag and
//              parks the memory in this thread's quarantine ring of kind K.
// A parked handle's memory is reused (by make<K> on this thread) or given
// back to the heap only after K::kQuarantine more handles of that kind were
// retired on the thread, so a stale handle passed in meanwhile still reads
// the dead tag. Beyond that the memory may hold a new handle: detection is
// best effort, as the header says.
//
// A kind K provides: using C (the opaque C struct, which derives from
// Handle<K>), using Object, kTag, kName and kQuarantine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <utility>

#include "core/mem.h"
#include "core/status.h"

namespace chunkbuf::capi {

inline constexpr uint32_t kDeadTag = 0xDEADC0DE;

// The C type name of a tag ("chunkbuf_buffer", "freed handle", ...).
const char* tag_name(uint32_t tag) noexcept;

template <typename K>
struct Handle {
  template <typename... A>
  explicit Handle(A&&... a) noexcept : tag(K::kTag), obj(std::forward<A>(a)...) {}
  uint32_t tag;
  typename K::Object obj;
};

namespace detail {

// Retired handle memory of one kind on one thread, oldest first. Trivially
// destructible, so it stays usable while other thread_local destructors
// still retire handles at thread exit; Drain empties and closes it then.
template <typename K>
struct Quarantine {
  void* ring[K::kQuarantine];
  size_t pos;  // the oldest
  size_t count;
  bool closed;
  bool armed;  // Drain was touched, so it runs at thread exit
};
// constinit: no dynamic initialisation, so every access is a plain TLS
// load, with no call through a TLS init wrapper.
template <typename K>
constinit thread_local Quarantine<K> t_quarantine{};

template <typename K>
struct Drain {
  ~Drain() {
    Quarantine<K>& q = t_quarantine<K>;
    q.closed = true;
    for (; q.count; --q.count, q.pos = (q.pos + 1) % K::kQuarantine) mem::free(q.ring[q.pos]);
  }
  bool touched = false;
};
// A function-local thread_local: its destructor is registered when the
// function first runs on a thread. (GCC 12 never registers the destructor
// of a thread_local variable template touched only through a member write,
// so parked handles of exited threads leaked.)
template <typename K>
void arm_drain() noexcept {
  static thread_local Drain<K> drain;
  drain.touched = true;
}

// Memory for a handle of kind K: the oldest parked one once the ring is
// full, else new heap memory. nullptr when out of memory.
template <typename K>
void* take_memory() noexcept {
  Quarantine<K>& q = t_quarantine<K>;
  if (q.count == K::kQuarantine) {
    if (!mem::reuse_allowed()) return nullptr;  // failure injection sees every handle
    void* m = q.ring[q.pos];
    q.pos = (q.pos + 1) % K::kQuarantine;
    --q.count;
    return m;
  }
  return mem::alloc(sizeof(typename K::C));
}

template <typename K>
void park(void* m) noexcept {
  Quarantine<K>& q = t_quarantine<K>;
  if (q.closed) {
    mem::free(m);
    return;
  }
  if (!q.armed) {
    arm_drain<K>();
    q.armed = true;
  }
  if (q.count < K::kQuarantine) {
    q.ring[(q.pos + q.count++) % K::kQuarantine] = m;
    return;
  }
  void* oldest = q.ring[q.pos];
  q.ring[q.pos] = m;
  q.pos = (q.pos + 1) % K::kQuarantine;
  mem::free(oldest);
}

}  // namespace detail

// A new handle of kind K whose object is constructed from args.
template <typename K, typename... A>
Status make(typename K::C** out, const char* fn, A&&... args) noexcept {
  void* m = detail::take_memory<K>();
  if (!m) return fail(Status::NoMem, "%s: out of memory for a %s handle", fn, K::kName);
  *out = new (m) typename K::C(std::forward<A>(args)...);
  return Status::Ok;
}

// The Handle status for h, which is not a live handle of kind K. Out of
// line, so the check every call makes stays a compare and a branch.
template <typename K>
[[gnu::cold, gnu::noinline]] Status bad_handle(const typename K::C* h, const char* fn) noexcept {
  if (!h) return fail(Status::Handle, "%s: NULL %s handle", fn, K::kName);
  uint32_t tag = static_cast<const Handle<K>*>(h)->tag;
  if (tag == kDeadTag) return fail(Status::Handle, "%s: the %s handle was already freed", fn, K::kName);
  return fail(Status::Handle, "%s: not a %s handle (%s)", fn, K::kName, tag_name(tag));
}

// Ok when h is a live handle of kind K.
template <typename K>
inline Status check(const typename K::C* h, const char* fn) noexcept {
  if (h && static_cast<const Handle<K>*>(h)->tag == K::kTag) [[likely]]
    return Status::Ok;
  return bad_handle<K>(h, fn);
}

// Destroys h's object and quarantines its memory. h must be live.
template <typename K>
void retire(typename K::C* h) noexcept {
  Handle<K>* base = h;
  base->tag = kDeadTag;  // first: a free callback the destructor runs may pass h in again
  std::destroy_at(&base->obj);
  detail::park<K>(h);
}

// Handle memory made but not yet handed out: given back to the quarantine
// ring unless fill() hands it out. Taking it before a consuming call means
// an out-of-memory for the handle can never lose the bytes taken.
template <typename K>
class Slot {
 public:
  Slot() = default;
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  ~Slot() {
    if (!m_) return;
    std::memcpy(m_, &kDeadTag, sizeof kDeadTag);  // fresh memory reads as a freed handle too
    detail::park<K>(m_);
  }
  Status reserve(const char* fn) noexcept {
    m_ = detail::take_memory<K>();
    return m_ ? Status::Ok : fail(Status::NoMem, "%s: out of memory for a %s handle", fn, K::kName);
  }
  template <typename... A>
  typename K::C* fill(A&&... args) noexcept {
    void* m = m_;
    m_ = nullptr;
    return new (m) typename K::C(std::forward<A>(args)...);
  }

 private:
  void* m_ = nullptr;
};

}  // namespace chunkbuf::capi
