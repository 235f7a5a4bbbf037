#include "release_scope.h"

#include "pool.h"

namespace chunkbuf {
namespace {

thread_local unsigned t_depth = 0;
thread_local Block* t_queue = nullptr;  // linked through Block::next_free

}  // namespace

ReleaseScope::ReleaseScope() noexcept { ++t_depth; }

ReleaseScope::~ReleaseScope() {
  if (--t_depth != 0) return;
  // Callbacks run outside any scope: a callback that calls chunkbuf opens
  // its own, whose end drains the same queue, so the loop re-reads the head.
  while (Block* b = t_queue) {
    t_queue = b->next_free;
    b->pool->finish_external(b);
  }
}

namespace detail {
bool defer_external(Block* b) noexcept {
  if (t_depth == 0) return false;
  b->next_free = t_queue;
  t_queue = b;
  return true;
}
}  // namespace detail

}  // namespace chunkbuf
