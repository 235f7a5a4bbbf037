// Leak tracking (a debug aid, as Netty's leak detector): while enabled,
// every block and view created is recorded with the call stack that created
// it, so the ones still alive can be listed at pool destruction or on
// request. Off by default; costs an inline relaxed atomic load per block or
// view when it is off. Enabled by set_enabled() or CHUNKBUF_TRACK_LEAKS=1.
#pragma once

#include <atomic>
#include <cstddef>

namespace chunkbuf {

class Pool;
struct Block;
struct ViewRep;

namespace leaks {

bool enabled() noexcept;
void set_enabled(bool on) noexcept;

namespace detail {
extern std::atomic<bool> g_enabled;
extern std::atomic<bool> g_ever;  // tracking was on at some point
void record_block(const Block* b) noexcept;
void record_view(const ViewRep* v) noexcept;
void forget(const void* obj) noexcept;
}  // namespace detail

// Inline, so the untracked case is a load and a branch on every block and view.
inline void on_block_created(const Block* b) noexcept {
  if (detail::g_enabled.load(std::memory_order_relaxed)) [[unlikely]]
    detail::record_block(b);
}
inline void on_view_created(const ViewRep* v) noexcept {
  if (detail::g_enabled.load(std::memory_order_relaxed)) [[unlikely]]
    detail::record_view(v);
}
inline void on_block_gone(const Block* b) noexcept {
  if (detail::g_ever.load(std::memory_order_relaxed)) [[unlikely]]
    detail::forget(b);
}
inline void on_view_gone(const ViewRep* v) noexcept {
  if (detail::g_ever.load(std::memory_order_relaxed)) [[unlikely]]
    detail::forget(v);
}

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
