// Content-kind tags for views: names registered at run time, kind 0 = "raw".
#pragma once

#include <cstdint>

#include "status.h"

namespace chunkbuf {

inline constexpr uint32_t kKindRaw = 0;
// Built in (axon's kinds), registered before any other.
inline constexpr uint32_t kKindPcm16 = 1;
inline constexpr uint32_t kKindMulaw8 = 2;
inline constexpr uint32_t kKindJpeg = 3;
inline constexpr size_t kMaxKindName = 63;

// Registers `name` (1..63 printable bytes) or returns its existing id.
Status kind_register(const char* name, uint32_t* kind) noexcept;
// Static name of a registered kind.
Status kind_name(uint32_t kind, const char** name) noexcept;
bool kind_known(uint32_t kind) noexcept;
// fork() handlers (core/pool_fork.cpp): the registry lock around a fork.
void kinds_lock_for_fork() noexcept;
void kinds_unlock_after_fork() noexcept;

}  // namespace chunkbuf
