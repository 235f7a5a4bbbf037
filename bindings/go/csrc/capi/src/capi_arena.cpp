// chunkbuf_arena_* entry points.
#include "handles.h"

using namespace chunkbuf;
using namespace chunkbuf::capi;

namespace {

Status live(const chunkbuf_arena* a, const char* fn) noexcept { return check<ArenaKind>(a, fn); }

}  // namespace

extern "C" {

int chunkbuf_arena_new(chunkbuf_pool* pool, size_t capacity, chunkbuf_arena** out) {
  static const char* fn = "chunkbuf_arena_new";
  Pool* p = nullptr;
  CB_TRY(pool_of(pool, &p, fn));
  CB_TRY(need(out, "out", fn));
  Slot<ArenaKind> slot;
  CB_TRY(slot.reserve(fn));
  Arena* a = nullptr;
  CB_TRY(Arena::create(p, capacity, &a));
  *out = slot.fill(a);
  return CHUNKBUF_OK;
}

void chunkbuf_arena_free(chunkbuf_arena* arena) {
  if (!arena || live(arena, "chunkbuf_arena_free") != Status::Ok) return;
  retire<ArenaKind>(arena);
}

int chunkbuf_arena_alloc(chunkbuf_arena* arena, size_t n, size_t align, void** ptr) {
  static const char* fn = "chunkbuf_arena_alloc";
  CB_TRY(live(arena, fn));
  CB_TRY(need(ptr, "ptr", fn));
  return code(arena->obj->alloc(n, align, ptr));
}

int chunkbuf_arena_reset(chunkbuf_arena* arena) {
  CB_TRY(live(arena, "chunkbuf_arena_reset"));
  arena->obj->reset();
  return CHUNKBUF_OK;
}

int chunkbuf_arena_usage(const chunkbuf_arena* arena, size_t* used, size_t* capacity) {
  CB_TRY(live(arena, "chunkbuf_arena_usage"));
  if (used) *used = arena->obj->used();
  if (capacity) *capacity = arena->obj->capacity();
  return CHUNKBUF_OK;
}

}  // extern "C"
