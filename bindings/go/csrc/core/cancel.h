// Cancel: a token that wakes the blocking calls using it without touching
// the stream they wait on (a Go context, a Python signal, a host's
// deadline). Firing is sticky: every call made with a fired token fails
// with Canceled at once, until reset().
//
// A call registers its stream with the token before it takes the stream's
// lock and unregisters after dropping it; fire() sets the flag and then
// locks each registered stream to notify its waiters. The lock order is
// always token, then stream, and a waiter re-checks the flag under the
// stream's lock before every wait, so no wake-up is lost.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>

namespace chunkbuf {

class Stream;
struct Wait;

class Cancel {
 public:
  Cancel() noexcept = default;
  Cancel(const Cancel&) = delete;
  Cancel& operator=(const Cancel&) = delete;

  // Marks the token fired and wakes every call currently using it.
  void fire() noexcept;
  // Makes the token usable again (calls already woken stay failed).
  void reset() noexcept { fired_.store(false, std::memory_order_release); }
  bool fired() const noexcept { return fired_.load(std::memory_order_acquire); }
  // Whether the token fired since a call with this fire count began: a
  // call that fire() woke fails even when reset() came before it looked.
  bool fired_since(uint64_t fires) const noexcept {
    return fired() || fires_.load(std::memory_order_acquire) != fires;
  }

  // Shared ownership: the creator holds one reference; retain adds one.
  // release() is true when the last reference went (the caller destroys).
  void retain() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  bool release() noexcept { return refs_.fetch_sub(1, std::memory_order_acq_rel) == 1; }

  // Calls using the token now (for tests: wait until a call is inside).
  size_t users() const noexcept;

 private:
  friend class CancelScope;
  struct Link {
    Stream* s;
    Link* prev;
    Link* next;
  };
  mutable std::mutex mu_;
  Link* head_ = nullptr;
  std::atomic<bool> fired_{false};
  std::atomic<uint64_t> fires_{0};  // how many times fire() ran
  std::atomic<uint32_t> refs_{1};
};

// Registers one call on stream s with its wait's token (may be null) for
// the scope's lifetime, and records the token's fire count in w. Construct
// it before locking the stream; it is destroyed after the lock is dropped.
class CancelScope {
 public:
  CancelScope(const Wait& w, Stream* s) noexcept;
  ~CancelScope();
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;

 private:
  Cancel* c_;
  Cancel::Link link_;
};

}  // namespace chunkbuf
