/* The builder, pooled-buffer and naming calls: axon's from_bytes(kind),
 * tenant names and BufferMut (a Buffer with capacity that freezes into a
 * View), the FASTQ module's pool get()/prewarm and size heuristic. */

%typemap(default) const char *KIND %{ $1 = NULL; %}

%extend cb_Buffer {
  /* The bytes held plus those that fit before another block is taken (a
   * pooled buffer's fixed size). */
  cb_status capacity(size_t *OUT) { return chunkbuf_buffer_capacity($self, OUT); }
  /* Takes a block now so that n more bytes fit in one block. */
  cb_status ensure_capacity(size_t n) { return chunkbuf_buffer_ensure_capacity($self, n); }
  /* Every byte as one View of kind `kind` (a registered name; default
   * "raw"), without copying; the buffer is left empty. */
  cb_status freeze(const char *KIND, cb_View **OUT) {
    uint32_t k = 0;
    int rc = chunkbuf_kind_lookup(KIND ? KIND : "raw", &k);
    return rc != CHUNKBUF_OK ? rc : chunkbuf_buffer_freeze($self, k, OUT);
  }
}

%extend cb_View {
  /* A new view of the same bytes (no copy) tagged with the tenant called
   * name (registered on first use); slices inherit it. */
  cb_status with_tenant(const char *name, cb_View **OUT) {
    uint32_t t = 0;
    int rc = chunkbuf_tenant_register(name, &t);
    return rc != CHUNKBUF_OK ? rc : chunkbuf_view_with_tenant($self, t, OUT);
  }
  /* The name of the view's tenant, or nil. */
  cb_pushed tenant_name(lua_State *L) {
    uint32_t t = 0;
    const char *name = NULL;
    if (chunkbuf_view_tenant($self, &t) == CHUNKBUF_OK && chunkbuf_tenant_name(t, &name) == CHUNKBUF_OK)
      lua_pushstring(L, name);
    else
      lua_pushnil(L);
    return 1;
  }
}

%typemap(default) size_t min_size, size_t max_size %{ $1 = 0; %}
%typemap(in) size_t min_size, size_t max_size %{ if (!lua_isnil(L, $input)) $1 = cb_check_size(L, $input); %}

/* (The typemaps these Pool methods use are in pool.i: a class takes the
 * typemaps in force where it is declared.) */
%extend cb_Pool {
  /* A pooled writable Buffer holding one block of the class for size bytes
   * (default 4096), its capacity fixed to that block; its block goes back
   * to the pool when it is freed (b:free(), <close> or collection). */
  cb_status get(size_t GETSIZE, cb_Buffer **OUT) { return chunkbuf_pool_get($self, GETSIZE, OUT); }
  /* Puts count free blocks of the class for size bytes (default 4096) in
   * the cache now; an error when the class's cache has no room for them. */
  cb_status prewarm(size_t count, size_t GETSIZE) { return chunkbuf_pool_prewarm($self, GETSIZE, count); }
}

%inline %{
/* chunkbuf.from_bytes(s, kind [, pool]): a View of a copy of s with the
 * content kind registered under that name (an error for an unknown name). */
static cb_status from_bytes(const void *data, size_t len, const char *KIND, cb_Pool *OPTPOOL, cb_View **OUT) {
  uint32_t k = 0;
  int rc = chunkbuf_kind_lookup(KIND ? KIND : "raw", &k);
  return rc != CHUNKBUF_OK ? rc : chunkbuf_view_from_bytes_kind(OPTPOOL, data, len, k, OUT);
}
/* chunkbuf.lookup_kind(name) -> id of an already registered kind. */
static cb_status lookup_kind(const char *name, uint32_t *OUT) { return chunkbuf_kind_lookup(name, OUT); }
/* chunkbuf.register_tenant(name) -> tenant id (1, 2, ... in order). */
static cb_status register_tenant(const char *name, uint32_t *OUT) { return chunkbuf_tenant_register(name, OUT); }
/* chunkbuf.tenant_name(id) -> the name registered for it, or nil. */
static cb_pushed tenant_name(uint32_t tenant, lua_State *L) {
  const char *name = NULL;
  if (chunkbuf_tenant_name(tenant, &name) == CHUNKBUF_OK) lua_pushstring(L, name);
  else lua_pushnil(L);
  return 1;
}
/* chunkbuf.optimal_buffer_size(total [, min, max]): total / 100 clamped to
 * [min, max] (0: 8 KiB, 64 KiB), rounded up to whole 4 KiB pages. */
static cb_status optimal_buffer_size(size_t total, size_t min_size, size_t max_size, size_t *OUT) {
  return chunkbuf_optimal_buffer_size(total, min_size, max_size, OUT);
}
%}
