// Leak tracking (a debug aid, as Netty's leak detector): while enabled,
// every block and view created is recorded with the call stack that created
// it, so the ones still alive can be listed at pool destruction or on
// request. Off by default; costs a relaxed atomic load and a call per block
// or view when it was never on. Enabled by set_enabled() or CHUNKBUF_TRACK_LEAKS=1.
#pragma once

#include <cstddef>

namespace chunkbuf {

class Pool;
struct Block;
struct ViewRep;

namespace leaks {

bool enabled() noexcept;
void set_enabled(bool on) noexcept;

void on_block_created(const Block* b) noexcept;
void on_block_gone(const Block* b) noexcept;
void on_view_created(const ViewRep* v) noexcept;
void on_view_gone(const ViewRep* v) noexcept;

// fork() handlers (core/pool_fork.cpp): the registry lock around a fork.
void lock_for_fork() noexcept;
void unlock_after_fork() noexcept;

using LineFn = void (*)(const char* line, void* user_data);
// Calls fn once per live tracked object (of `pool`'s blocks, and views whose
// first block is `pool`'s; every pool when nullptr); returns the count. The
// lines are collected first and fn is called without the registry lock, so
// fn may call chunkbuf (release views, free buffers, report again).
size_t report(const Pool* pool, LineFn fn, void* user_data) noexcept;

}  // namespace leaks
}  // namespace chunkbuf
