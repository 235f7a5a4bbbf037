// Tenant names: a name maps to a numeric tenant id (1, 2, ... in
// registration order), so the pool's per-tenant accounting and quotas,
// which work on ids, serve named tenants too.
#pragma once

#include <cstdint>

#include "names.h"
#include "status.h"

namespace chunkbuf {

NameTable& tenant_names() noexcept;

inline Status tenant_register(const char* name, uint32_t* id) noexcept { return tenant_names().intern(name, id); }
inline Status tenant_name(uint32_t id, const char** name) noexcept { return tenant_names().name(id, name); }

}  // namespace chunkbuf
