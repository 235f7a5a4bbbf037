// chunkbuf_pool_* entry points.
#include <cstdio>

#include "core/leaks.h"
#include "handles.h"

using namespace chunkbuf;
using namespace chunkbuf::capi;

namespace {

chunkbuf_pool* default_handle() noexcept {
  // Never retired, so its reference keeps the default pool for good.
  static chunkbuf_pool h{Pool::default_pool()};
  return &h;
}

}  // namespace

Status chunkbuf::capi::pool_of(chunkbuf_pool* h, Pool** out, const char* fn) noexcept {
  if (!h) {
    *out = Pool::default_pool();
    return Status::Ok;
  }
  if (Status st = check<PoolKind>(h, fn); st != Status::Ok) return st;
  *out = h->obj.p;
  return Status::Ok;
}

extern "C" {

int chunkbuf_pool_new(const chunkbuf_pool_options* opts, chunkbuf_pool** out) {
  static const char* fn = "chunkbuf_pool_new";
  CB_TRY(need(out, "out", fn));
  chunkbuf_pool_options o;
  CB_TRY(read_options(opts, &o, chunkbuf_pool_options CHUNKBUF_POOL_OPTIONS_INIT, kPoolOptionsSize01, fn));
  PoolOptions po;
  if (o.max_cached_bytes_per_class) po.max_cached_bytes_per_class = o.max_cached_bytes_per_class;
  Slot<PoolKind> slot;
  CB_TRY(slot.reserve(fn));
  Pool* p = Pool::create(po);
  if (!p) return code(fail(Status::NoMem, "%s: out of memory", fn));
  *out = slot.fill(p);
  return CHUNKBUF_OK;
}

void chunkbuf_pool_free(chunkbuf_pool* pool) {
  if (!pool || pool == default_handle()) return;
  if (check<PoolKind>(pool, "chunkbuf_pool_free") != Status::Ok) return;
  if (leaks::enabled()) {  // name what keeps the pool alive
    leaks::report(pool->obj.p, [](const char* line, void*) { std::fprintf(stderr, "chunkbuf: %s\n", line); }, nullptr);
  }
  retire<PoolKind>(pool);  // drops the handle's reference
}

chunkbuf_pool* chunkbuf_pool_default(void) { return default_handle(); }

int chunkbuf_pool_stats_get(chunkbuf_pool* pool, chunkbuf_pool_stats* stats) {
  static const char* fn = "chunkbuf_pool_stats_get";
  CB_TRY(check<PoolKind>(pool, fn));
  CB_TRY(need(stats, "stats", fn));
  size_t size = stats->struct_size;
  if (size < kPoolStatsSize01 || size > sizeof(chunkbuf_pool_stats))
    return code(fail(Status::Version, "%s: stats struct_size %zu, this library accepts %zu..%zu", fn, size,
                     kPoolStatsSize01, sizeof(chunkbuf_pool_stats)));
  PoolStats s = pool->obj.p->stats();
  chunkbuf_pool_stats all = CHUNKBUF_POOL_STATS_INIT;
  all.acquisitions = s.acquisitions;
  all.releases = s.releases;
  for (int c = 0; c < kClasses; ++c) {
    all.hits[c] = s.hits[c];
    all.misses[c] = s.misses[c];
    all.cached_blocks[c] = s.cached_blocks[c];
  }
  all.direct_allocations = s.direct_allocations;
  all.bytes_in_use = s.bytes_in_use;
  all.peak_bytes_in_use = s.peak_bytes_in_use;
  all.bytes_cached = s.bytes_cached;
  all.external_blocks = s.external_blocks;
  // An older caller gets the fields its struct has; struct_size stays its own.
  all.struct_size = size;
  std::memcpy(static_cast<void*>(stats), &all, size);
  return CHUNKBUF_OK;
}

int chunkbuf_pool_trim(chunkbuf_pool* pool) {
  CB_TRY(check<PoolKind>(pool, "chunkbuf_pool_trim"));
  pool->obj.p->trim();
  return CHUNKBUF_OK;
}

int chunkbuf_pool_set_tenant_quota(chunkbuf_pool* pool, uint32_t tenant, size_t quota) {
  static const char* fn = "chunkbuf_pool_set_tenant_quota";
  CB_TRY(check<PoolKind>(pool, fn));
  if (tenant == 0) return code(fail(Status::Inval, "%s: tenant 0 means 'no tenant'", fn));
  TenantRec* rec = nullptr;
  CB_TRY(pool->obj.p->tenant(tenant, &rec));
  rec->quota.store(quota, std::memory_order_relaxed);
  return CHUNKBUF_OK;
}

int chunkbuf_pool_tenant_usage(chunkbuf_pool* pool, uint32_t tenant, size_t* live) {
  static const char* fn = "chunkbuf_pool_tenant_usage";
  CB_TRY(check<PoolKind>(pool, fn));
  CB_TRY(need(live, "live", fn));
  if (tenant == 0) return code(fail(Status::Inval, "%s: tenant 0 means 'no tenant'", fn));
  TenantRec* rec = nullptr;
  CB_TRY(pool->obj.p->tenant(tenant, &rec));
  *live = rec->live.load(std::memory_order_relaxed);
  return CHUNKBUF_OK;
}

int chunkbuf_pool_prewarm(chunkbuf_pool* pool, size_t size, size_t count) {
  static const char* fn = "chunkbuf_pool_prewarm";
  Pool* p = nullptr;
  CB_TRY(pool_of(pool, &p, fn));
  if (count == 0) return CHUNKBUF_OK;
  return code(p->prewarm(size, count));
}

int chunkbuf_pool_get(chunkbuf_pool* pool, size_t size, chunkbuf_buffer** out) {
  static const char* fn = "chunkbuf_pool_get";
  BufferOptions bo;
  CB_TRY(pool_of(pool, &bo.pool, fn));
  CB_TRY(need(out, "out", fn));
  int cls = size ? Pool::class_for(size) : -1;
  if (cls < 0) return code(fail(Status::Inval, "%s: %zu bytes is no pooled size (1 .. %zu)", fn, size, kMaxClassBlock));
  // Fixed capacity: one block of the class, and max_bytes holds the buffer to it.
  bo.min_chunk = bo.max_bytes = Pool::class_size(cls);
  chunkbuf_buffer* h = nullptr;
  CB_TRY(make<BufferKind>(&h, fn));
  Status st = h->obj.init(bo);
  if (st == Status::Ok) st = h->obj.ensure_capacity(bo.max_bytes);
  if (st != Status::Ok) {
    retire<BufferKind>(h);
    return code(st);
  }
  *out = h;
  return CHUNKBUF_OK;
}

}  // extern "C"
