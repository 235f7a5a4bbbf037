// Version, errors, content kinds and the names of handle kinds.
#include "core/kinds.h"
#include "core/sizing.h"
#include "core/tenants.h"
#include "core/leaks.h"
#include "handles.h"

namespace chunkbuf::capi {

const char* tag_name(uint32_t tag) noexcept {
  switch (tag) {
    case PoolKind::kTag: return PoolKind::kName;
    case BufferKind::kTag: return BufferKind::kName;
    case ViewKind::kTag: return ViewKind::kName;
    case StreamKind::kTag: return StreamKind::kName;
    case FramerKind::kTag: return FramerKind::kName;
    case RingKind::kTag: return RingKind::kName;
    case ArenaKind::kTag: return ArenaKind::kName;
    case CancelKind::kTag: return CancelKind::kName;
    case ReadOpKind::kTag: return ReadOpKind::kName;
    case kDeadTag: return "freed handle";
    default: return "unknown object";
  }
}

}  // namespace chunkbuf::capi

using namespace chunkbuf;
using namespace chunkbuf::capi;

extern "C" {

unsigned chunkbuf_version(void) { return CHUNKBUF_VERSION_NUMBER; }

const char* chunkbuf_version_string(void) {
#define CB_STR2(x) #x
#define CB_STR(x) CB_STR2(x)
  return CB_STR(CHUNKBUF_VERSION_MAJOR) "." CB_STR(CHUNKBUF_VERSION_MINOR) "." CB_STR(CHUNKBUF_VERSION_PATCH);
#undef CB_STR
#undef CB_STR2
}

unsigned chunkbuf_features(void) { return sha256_available() ? CHUNKBUF_FEATURE_SHA256 : 0u; }

const char* chunkbuf_strerror(int code) { return status_name(code); }

const char* chunkbuf_last_error(void) { return last_error_detail(); }

int chunkbuf_debug_track(int on) {
  leaks::set_enabled(on != 0);
  return CHUNKBUF_OK;
}

int chunkbuf_debug_report(chunkbuf_pool* pool, chunkbuf_report_fn fn, void* user_data, size_t* count) {
  Pool* p = nullptr;
  if (pool) CB_TRY(pool_of(pool, &p, "chunkbuf_debug_report"));
  size_t n = leaks::report(p, fn, user_data);
  if (count) *count = n;
  return CHUNKBUF_OK;
}

int chunkbuf_kind_register(const char* name, uint32_t* kind) {
  CB_TRY(need(name, "name", "chunkbuf_kind_register"));
  CB_TRY(need(kind, "kind", "chunkbuf_kind_register"));
  return code(kind_register(name, kind));
}

int chunkbuf_kind_name(uint32_t kind, const char** name) {
  CB_TRY(need(name, "name", "chunkbuf_kind_name"));
  return code(kind_name(kind, name));
}

int chunkbuf_kind_lookup(const char* name, uint32_t* kind) {
  CB_TRY(need(name, "name", "chunkbuf_kind_lookup"));
  CB_TRY(need(kind, "kind", "chunkbuf_kind_lookup"));
  return code(kind_lookup(name, kind));
}

int chunkbuf_tenant_register(const char* name, uint32_t* tenant) {
  CB_TRY(need(name, "name", "chunkbuf_tenant_register"));
  CB_TRY(need(tenant, "tenant", "chunkbuf_tenant_register"));
  return code(tenant_register(name, tenant));
}

int chunkbuf_tenant_name(uint32_t tenant, const char** name) {
  CB_TRY(need(name, "name", "chunkbuf_tenant_name"));
  return code(tenant_name(tenant, name));
}

int chunkbuf_optimal_buffer_size(uint64_t expected_total, size_t min, size_t max, size_t* size) {
  CB_TRY(need(size, "size", "chunkbuf_optimal_buffer_size"));
  return code(optimal_buffer_size(expected_total, min, max, size));
}

}  // extern "C"
