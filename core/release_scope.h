// Deferred release of adopted memory. A free callback (the FreeFn of an
// adopted block) is user code: it may free the very buffer whose operation
// dropped the block's last reference, or call any other chunkbuf function.
// So while a ReleaseScope is open on a thread, adopted blocks whose last
// reference drops are queued, and their callbacks run when the outermost
// scope closes: after the operation finished with the buffer (or view), and
// never inside a chunkbuf lock the operation holds. Operations that drop
// several references (advance, clear, a view's release) open a scope.
#pragma once

namespace chunkbuf {

struct Block;

class ReleaseScope {
 public:
  ReleaseScope() noexcept;
  ~ReleaseScope();
  ReleaseScope(const ReleaseScope&) = delete;
  ReleaseScope& operator=(const ReleaseScope&) = delete;
};

namespace detail {
// Queues an adopted block whose last reference went; false when no scope is
// open on this thread (the caller finishes the block at once).
bool defer_external(Block* b) noexcept;
}  // namespace detail

}  // namespace chunkbuf
