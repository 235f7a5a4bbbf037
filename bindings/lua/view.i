/* chunkbuf.View: immutable, refcounted bytes cut from a Buffer (or made
 * from a string). tostring(view) gives the bytes; == compares them. */

%{
static size_t cb_view_len(const cb_View *v) {
  size_t n = 0;
  chunkbuf_view_len(v, &n);
  return n;
}

/* A new View object on the stack, not yet holding a view (u->ptr NULL:
 * __gc has nothing to release until the caller stores one). Made before
 * the C call that fills it, so a failed allocation cannot leak a view, in
 * a method of cb_install_methods: the metatable comes from the upvalue,
 * not from the registry. */
static swig_lua_userdata *cb_new_view(lua_State *L) {
  swig_lua_userdata *u = (swig_lua_userdata *)lua_newuserdatauv(L, sizeof *u, 0);
  u->ptr = NULL;
  u->type = SWIGTYPE_p_cb_View;
  u->own = 1;
  lua_pushvalue(L, CB_VIEW_METATABLE);
  lua_setmetatable(L, -2);
  return u;
}

/* tostring(view): the bytes, pushed straight from the view's segments
 * (one lua_pushlstring for a view of one segment, as every taken line is). */
static int cb_view_tostring(lua_State *L) {
  cb_check_arity(L, "cb_View::__tostring", 1);
  cb_push_view_string(L, (const cb_View *)cb_check_self(L, SWIGTYPE_p_cb_View, "View")->ptr);
  return 1;
}

static const cb_method cb_view_methods[] = {
  CB_METHOD(View, __tostring, cb_view_tostring),
};
%}

/* An optional pool argument: nil or absent means the default pool. */
%typemap(default) cb_Pool *OPTPOOL %{ $1 = NULL; %}
%typemap(in) cb_Pool *OPTPOOL
  %{ if (!lua_isnil(L, $input)) $1 = (cb_Pool *)cb_check_object(L, $input, $descriptor(cb_Pool *), "Pool", 0); %}

/* A Lua array of live views, for concat: its stack index. */
typedef int cb_view_list;
%typemap(in) cb_view_list
  %{ { lua_Integer i_, n_;
       luaL_checktype(L, $input, LUA_TTABLE);
       n_ = (lua_Integer)lua_rawlen(L, $input);
       for (i_ = 1; i_ <= n_; ++i_) {
         lua_rawgeti(L, $input, i_);
         if (!cb_test_object(L, -1, $descriptor(cb_View *)))
           luaL_argerror(L, $input, lua_pushfstring(L, "item %d is not a live chunkbuf.View", (int)i_));
         lua_pop(L, 1);
       }
       $1 = $input; } %}

%typemap(in, numinputs=0) const char **OUT (const char *temp = NULL) %{ $1 = ($1_ltype)&temp; %}
%typemap(argout) const char **OUT %{ lua_pushstring(L, *$1 ? *$1 : ""); SWIG_arg++; %}

CB_OBJECT(cb_View, "View")

%rename(View) cb_View;
%delobject cb_View::release;
typedef struct {} cb_View;

%extend cb_View {
  /* chunkbuf.View(s [, pool]): the bytes of s, copied once into the pool. */
  cb_View(const void *data, size_t len, cb_Pool *OPTPOOL, lua_State *L) {
    cb_View *v = NULL;
    int rc = chunkbuf_view_from_bytes(OPTPOOL, data, len, &v);
    if (rc != CHUNKBUF_OK) cb_push_error(L, rc);
    return v;
  }
  ~cb_View() { chunkbuf_view_release($self); }
  /* Drops this reference now instead of at garbage collection. */
  void release() { chunkbuf_view_release($self); }

  size_t len() { return cb_view_len($self); }
  size_t __len(cb_ignored) { return cb_view_len($self); }
  cb_flag __eq(const cb_View *OTHER) {
    int equal = 0;
    return OTHER && chunkbuf_view_equals_view($self, OTHER, &equal) == CHUNKBUF_OK && equal;
  }

  /* Bytes first..last (1-based, inclusive; last defaults to the end) as a
   * new view, zero copy. */
  cb_status slice(cb_first first, cb_last last, cb_View **OUT) {
    return chunkbuf_view_slice($self, first, last, OUT);
  }
  cb_status find(const void *needle, size_t nlen, cb_first first, cb_last last, cb_match *OUT) {
    OUT->len = nlen;
    return chunkbuf_view_find($self, needle, nlen, first, last, &OUT->pos);
  }
  cb_status equals(const void *data, size_t len, int *BOOL) { return chunkbuf_view_equals($self, data, len, BOOL); }
  /* Up to n bytes from position first (default 1). */
  cb_status peek(size_t n, cb_first first, cb_bytes *OUT) {
    size_t len = cb_view_len($self);
    return cb_view_bytes($self, first, first > len ? 0 : (n < len - first ? n : len - first), OUT);
  }
  cb_status segment_count(size_t *OUT) { return chunkbuf_view_segment_count($self, OUT); }
  /* The segments as a table of strings, one per segment (each a copy: a
   * Lua string cannot point into pool memory). */
  cb_pushed segments(lua_State *L) {
    size_t count = 0, i;
    chunkbuf_view_segment_count($self, &count);
    lua_createtable(L, (int)count, 0);
    for (i = 0; i < count; ++i) {
      struct iovec iov;
      size_t n = 0;
      if (chunkbuf_view_segments($self, i, &iov, 1, &n) != CHUNKBUF_OK || n != 1) break;
      lua_pushlstring(L, (const char *)iov.iov_base, iov.iov_len);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
  }
  /* A single-segment view of the same bytes (this one when it already is). */
  cb_status contiguous(cb_View **OUT) { return chunkbuf_view_contiguous($self, OUT); }
  /* The content-kind id; chunkbuf.kind_name(id) names it. */
  cb_status kind(uint32_t *OUT) { return chunkbuf_view_kind($self, OUT); }
  /* A new view of the same bytes with another (registered) kind id. */
  cb_status retag(uint32_t kind, cb_View **OUT) { return chunkbuf_view_retag($self, kind, OUT); }
  cb_status tenant(uint32_t *OUT) { return chunkbuf_view_tenant($self, OUT); }
  /* Another View object with its own reference to the same bytes (no
   * copy); releasing one leaves the other valid. */
  cb_status clone(cb_View **OUT) {
    int rc = chunkbuf_view_retain($self);
    if (rc == CHUNKBUF_OK) *OUT = $self;
    return rc;
  }
  /* Live holders of the view's first block: views (each clone counted),
   * buffers and streams. */
  cb_status sharers(size_t *OUT) { return chunkbuf_view_sharers($self, OUT); }
  /* The SHA-256 digest of the bytes, as a 32-byte string. */
  cb_status sha256(cb_bytes *OUT) {
    OUT->data = (char *)malloc(32);
    if (!OUT->data) return CB_ENOMEM;
    OUT->len = 32;
    return chunkbuf_view_sha256($self, (uint8_t *)OUT->data);
  }
}

%inline %{
/* chunkbuf.concat{v1, v2, ...}: one view of all their bytes, zero copy. */
static cb_status concat(cb_view_list list, cb_View **OUT, lua_State *L) {
  size_t i, n = (size_t)lua_rawlen(L, list);
  const cb_View **views = (const cb_View **)malloc((n ? n : 1) * sizeof *views);
  int rc;
  if (!views) return CB_ENOMEM;
  for (i = 0; i < n; ++i) {
    lua_rawgeti(L, list, (lua_Integer)i + 1);
    views[i] = (const cb_View *)cb_test_object(L, -1, SWIGTYPE_p_cb_View);
    lua_pop(L, 1);
  }
  rc = chunkbuf_view_concat(views, n, OUT);
  free(views);
  return rc;
}
/* chunkbuf.register_kind(name) -> id (the known id for a known name). */
static cb_status register_kind(const char *name, uint32_t *OUT) { return chunkbuf_kind_register(name, OUT); }
static cb_status kind_name(uint32_t kind, const char **OUT) { return chunkbuf_kind_name(kind, OUT); }
%}
