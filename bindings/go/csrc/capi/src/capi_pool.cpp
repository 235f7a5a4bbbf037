// chunkbuf_pool_* entry points.
#include <cstdio>
#include <new>

#include "core/leaks.h"
#include "core/mem.h"
#include "handles.h"

using namespace chunkbuf;
using namespace chunkbuf::capi;

namespace {

chunkbuf_pool* default_handle() noexcept {
  static chunkbuf_pool h{kPoolTag, Pool::default_pool()};
  return &h;
}

}  // namespace

Status chunkbuf::capi::pool_of(chunkbuf_pool* h, Pool** out, const char* fn) noexcept {
  if (!h) {
    *out = Pool::default_pool();
    return Status::Ok;
  }
  if (Status st = check_tag(h, kPoolTag, fn); st != Status::Ok) return st;
  *out = h->pool;
  return Status::Ok;
}

extern "C" {

int chunkbuf_pool_new(const chunkbuf_pool_options* opts, chunkbuf_pool** out) {
  static const char* fn = "chunkbuf_pool_new";
  CB_TRY(need(out, "out", fn));
  chunkbuf_pool_options o = CHUNKBUF_POOL_OPTIONS_INIT;
  CB_TRY(read_options(opts, &o, chunkbuf_pool_options CHUNKBUF_POOL_OPTIONS_INIT, fn));
  PoolOptions po;
  if (o.max_cached_bytes_per_class) po.max_cached_bytes_per_class = o.max_cached_bytes_per_class;
  void* m = mem::alloc(sizeof(chunkbuf_pool));
  if (!m) return code(fail(Status::NoMem, "%s: out of memory", fn));
  Pool* p = Pool::create(po);
  if (!p) {
    mem::free(m);
    return code(fail(Status::NoMem, "%s: out of memory", fn));
  }
  *out = new (m) chunkbuf_pool{kPoolTag, p};
  return CHUNKBUF_OK;
}

void chunkbuf_pool_free(chunkbuf_pool* pool) {
  if (!pool || pool == default_handle()) return;
  if (check_tag(pool, kPoolTag, "chunkbuf_pool_free") != Status::Ok) return;
  if (leaks::enabled()) {  // name what keeps the pool alive
    leaks::report(pool->pool, [](const char* line, void*) { std::fprintf(stderr, "chunkbuf: %s\n", line); }, nullptr);
  }
  pool->pool->release();
  pool->tag = kDeadTag;
  quarantine(pool);
}

chunkbuf_pool* chunkbuf_pool_default(void) { return default_handle(); }

int chunkbuf_pool_stats_get(chunkbuf_pool* pool, chunkbuf_pool_stats* stats) {
  static const char* fn = "chunkbuf_pool_stats_get";
  CB_TRY(check_tag(pool, kPoolTag, fn));
  CB_TRY(need(stats, "stats", fn));
  if (stats->struct_size != sizeof(chunkbuf_pool_stats))
    return code(fail(Status::Version, "%s: stats struct_size %zu, expected %zu", fn, stats->struct_size,
                     sizeof(chunkbuf_pool_stats)));
  PoolStats s = pool->pool->stats();
  stats->acquisitions = s.acquisitions;
  stats->releases = s.releases;
  for (int c = 0; c < kClasses; ++c) {
    stats->hits[c] = s.hits[c];
    stats->misses[c] = s.misses[c];
    stats->cached_blocks[c] = s.cached_blocks[c];
  }
  stats->direct_allocations = s.direct_allocations;
  stats->bytes_in_use = s.bytes_in_use;
  stats->peak_bytes_in_use = s.peak_bytes_in_use;
  stats->bytes_cached = s.bytes_cached;
  stats->external_blocks = s.external_blocks;
  return CHUNKBUF_OK;
}

int chunkbuf_pool_trim(chunkbuf_pool* pool) {
  CB_TRY(check_tag(pool, kPoolTag, "chunkbuf_pool_trim"));
  pool->pool->trim();
  return CHUNKBUF_OK;
}

int chunkbuf_pool_set_tenant_quota(chunkbuf_pool* pool, uint32_t tenant, size_t quota) {
  static const char* fn = "chunkbuf_pool_set_tenant_quota";
  CB_TRY(check_tag(pool, kPoolTag, fn));
  if (tenant == 0) return code(fail(Status::Inval, "%s: tenant 0 means 'no tenant'", fn));
  TenantRec* rec = nullptr;
  CB_TRY(pool->pool->tenant(tenant, &rec));
  rec->quota.store(quota, std::memory_order_relaxed);
  return CHUNKBUF_OK;
}

int chunkbuf_pool_tenant_usage(chunkbuf_pool* pool, uint32_t tenant, size_t* live) {
  static const char* fn = "chunkbuf_pool_tenant_usage";
  CB_TRY(check_tag(pool, kPoolTag, fn));
  CB_TRY(need(live, "live", fn));
  if (tenant == 0) return code(fail(Status::Inval, "%s: tenant 0 means 'no tenant'", fn));
  TenantRec* rec = nullptr;
  CB_TRY(pool->pool->tenant(tenant, &rec));
  *live = rec->live.load(std::memory_order_relaxed);
  return CHUNKBUF_OK;
}

}  // extern "C"
