/* chunkbuf.Pool: size-classed, refcounted memory blocks. */

%{
/* The pool options plus the blocks to put in its cache at creation. */
typedef struct cb_pool_args {
  chunkbuf_pool_options o;
  size_t prealloc, prealloc_size;
} cb_pool_args;

static void cb_check_pool_options(lua_State *L, int idx, cb_pool_args *a) {
  chunkbuf_pool_options *o = &a->o;
  if (lua_isnoneornil(L, idx)) return;
  luaL_checktype(L, idx, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    const char *key = cb_option_key(L, idx);
    if (strcmp(key, "max_cached_bytes_per_class") == 0) o->max_cached_bytes_per_class = cb_option_size(L, idx, key);
    else if (strcmp(key, "prealloc") == 0) a->prealloc = cb_option_size(L, idx, key);
    else if (strcmp(key, "prealloc_size") == 0) a->prealloc_size = cb_option_size(L, idx, key);
    else cb_unknown_option(L, idx, key);
    lua_pop(L, 1);
  }
}

static void cb_push_counts(lua_State *L, const uint64_t *v) {
  int i;
  lua_createtable(L, CHUNKBUF_POOL_CLASSES, 0);
  for (i = 0; i < CHUNKBUF_POOL_CLASSES; ++i) {
    lua_pushinteger(L, (lua_Integer)v[i]);
    lua_rawseti(L, -2, i + 1);
  }
}

/* Pushes a table of the pool's statistics (per-class lists index 1 = 4 KiB). */
static void cb_push_pool_stats(lua_State *L, const chunkbuf_pool_stats *s) {
  lua_createtable(L, 0, 11);
#define CB_FIELD(name) (lua_pushinteger(L, (lua_Integer)s->name), lua_setfield(L, -2, #name))
  CB_FIELD(acquisitions);
  CB_FIELD(releases);
  CB_FIELD(direct_allocations);
  CB_FIELD(bytes_in_use);
  CB_FIELD(peak_bytes_in_use);
  CB_FIELD(bytes_cached);
  CB_FIELD(external_blocks);
#undef CB_FIELD
  cb_push_counts(L, s->hits);
  lua_setfield(L, -2, "hits");
  cb_push_counts(L, s->misses);
  lua_setfield(L, -2, "misses");
  cb_push_counts(L, s->cached_blocks);
  lua_setfield(L, -2, "cached_blocks");
}
%}

%typemap(in) const cb_pool_args *OPTIONS (cb_pool_args temp = {CHUNKBUF_POOL_OPTIONS_INIT, 0, 0})
  %{ cb_check_pool_options(L, $input, &temp); $1 = &temp; %}
%typemap(default) const cb_pool_args *OPTIONS (cb_pool_args temp = {CHUNKBUF_POOL_OPTIONS_INIT, 0, 0})
  %{ $1 = &temp; %}
%typemap(in, numinputs=0) chunkbuf_pool_stats *OUT (chunkbuf_pool_stats temp = CHUNKBUF_POOL_STATS_INIT)
  %{ $1 = &temp; %}
%typemap(argout) chunkbuf_pool_stats *OUT %{ cb_push_pool_stats(L, $1); SWIG_arg++; %}

/* Pool:get hands out a Buffer (whose class buffer.i declares) and takes
 * an optional size (builder.i). */
%typemap(in, numinputs=0) cb_Buffer **OUT (cb_Buffer *temp = NULL) %{ $1 = &temp; %}
%typemap(argout) cb_Buffer **OUT
  %{ if (*$1) cb_new_object(L, *$1, $descriptor(cb_Buffer *), 1); else lua_pushnil(L); SWIG_arg++; %}
%typemap(default) size_t GETSIZE %{ $1 = CHUNKBUF_POOL_MIN_BLOCK; %}
%typemap(in) size_t GETSIZE %{ $1 = (size_t)cb_check_size(L, $input); %}

CB_OBJECT(cb_Pool, "Pool")

%rename(Pool) cb_Pool;
%delobject cb_Pool::free;
typedef struct {} cb_Pool;

%extend cb_Pool {
  /* chunkbuf.Pool{max_cached_bytes_per_class = n, prealloc = count,
   * prealloc_size = bytes (default 4096)}: prealloc free blocks of that
   * size's class are put in the cache now (see prewarm). */
  cb_Pool(const cb_pool_args *OPTIONS, lua_State *L) {
    cb_Pool *p = NULL;
    int rc = chunkbuf_pool_new(&OPTIONS->o, &p);
    if (rc == CHUNKBUF_OK && OPTIONS->prealloc) {
      size_t size = OPTIONS->prealloc_size ? OPTIONS->prealloc_size : CHUNKBUF_POOL_MIN_BLOCK;
      rc = chunkbuf_pool_prewarm(p, size, OPTIONS->prealloc);
      if (rc != CHUNKBUF_OK) {
        chunkbuf_pool_free(p);
        p = NULL;
      }
    }
    if (rc != CHUNKBUF_OK) cb_push_error(L, rc);
    return p;
  }
  ~cb_Pool() { chunkbuf_pool_free($self); }
  /* Drops the handle now instead of at garbage collection. */
  void free() { chunkbuf_pool_free($self); }

  cb_status stats(chunkbuf_pool_stats *OUT) { return chunkbuf_pool_stats_get($self, OUT); }
  cb_status trim() { return chunkbuf_pool_trim($self); }
  cb_status set_tenant_quota(uint32_t tenant, size_t quota) {
    return chunkbuf_pool_set_tenant_quota($self, tenant, quota);
  }
  cb_status tenant_usage(uint32_t tenant, size_t *OUT) { return chunkbuf_pool_tenant_usage($self, tenant, OUT); }

  cb_flag __eq(const cb_Pool *OTHER) { return $self == OTHER; }
  cb_pushed __tostring(lua_State *L) {
    chunkbuf_pool_stats s = CHUNKBUF_POOL_STATS_INIT;
    chunkbuf_pool_stats_get($self, &s);
    lua_pushfstring(L, "chunkbuf.Pool (%I bytes in use, %I cached)", (lua_Integer)s.bytes_in_use,
                    (lua_Integer)s.bytes_cached);
    return 1;
  }
}

%inline %{
/* The process-wide default pool (freeing it is a no-op). */
static cb_Pool *default_pool(void) { return chunkbuf_pool_default(); }
%}
