// Content-kind tags for views: names registered at run time, kind 0 = "raw".
#pragma once

#include <cstdint>

#include "names.h"
#include "status.h"

namespace chunkbuf {

inline constexpr uint32_t kKindRaw = 0;
// Built in (axon's kinds), registered before any other.
inline constexpr uint32_t kKindPcm16 = 1;
inline constexpr uint32_t kKindMulaw8 = 2;
inline constexpr uint32_t kKindJpeg = 3;

// The registry of kind names (lives for the process).
NameTable& kinds() noexcept;

// Registers `name` (1..63 printable bytes) or returns its existing id.
inline Status kind_register(const char* name, uint32_t* kind) noexcept { return kinds().intern(name, kind); }
// The id of a registered name; Inval for an unknown one.
inline Status kind_lookup(const char* name, uint32_t* kind) noexcept { return kinds().lookup(name, kind); }
// Static name of a registered kind.
inline Status kind_name(uint32_t kind, const char** name) noexcept { return kinds().name(kind, name); }
inline bool kind_known(uint32_t kind) noexcept { return kinds().known(kind); }

}  // namespace chunkbuf
