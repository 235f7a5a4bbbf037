/* chunkbuf.Buffer: a growable chain of segments, the bytes being parsed
 * or built. Positions are 1-based; takes hand out zero-copy Views. */

%{
/* A tenant option: an id, or a name (registered on first use). */
static uint32_t cb_option_tenant(lua_State *L, int idx, const char *key) {
  uint32_t id = 0;
  int rc;
  if (lua_type(L, -1) != LUA_TSTRING) return cb_option_u32(L, idx, key);
  rc = chunkbuf_tenant_register(lua_tostring(L, -1), &id);
  if (rc != CHUNKBUF_OK) luaL_argerror(L, idx, lua_pushfstring(L, "option '%s': %s", key, chunkbuf_last_error()));
  return id;
}

static void cb_check_buffer_options(lua_State *L, int idx, chunkbuf_buffer_options *o) {
  if (lua_isnoneornil(L, idx)) return;
  luaL_checktype(L, idx, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    const char *key = cb_option_key(L, idx);
    if (strcmp(key, "pool") == 0) o->pool = (cb_Pool *)cb_option_object(L, idx, SWIGTYPE_p_cb_Pool, "Pool");
    else if (strcmp(key, "max_bytes") == 0) o->max_bytes = cb_option_size(L, idx, key);
    else if (strcmp(key, "min_chunk") == 0) o->min_chunk = cb_option_size(L, idx, key);
    else if (strcmp(key, "tenant") == 0) o->tenant = cb_option_tenant(L, idx, key);
    else if (strcmp(key, "linear") == 0) o->linear = lua_toboolean(L, -1);
    else cb_unknown_option(L, idx, key);
    lua_pop(L, 1);
  }
}

static size_t cb_buffer_len(const cb_Buffer *b) {
  size_t n = 0;
  chunkbuf_buffer_len(b, &n);
  return n;
}

/* Copies up to n bytes from offset (ERANGE past the end) into out. */
static int cb_buffer_bytes(const cb_Buffer *b, size_t offset, size_t n, cb_bytes *out) {
  size_t len = cb_buffer_len(b);
  size_t want = offset > len ? 0 : (n < len - offset ? n : len - offset);
  out->data = (char *)malloc(want ? want : 1);
  if (!out->data) return CB_ENOMEM;
  return chunkbuf_buffer_copy_out(b, offset, out->data, want, &out->len);
}

/* ---- lines as Lua strings: read_line, read_lines, lines() */

/* Pushes the next line (without its end of line) as a Lua string and
 * consumes exactly that line, as take_line would; returns 1. Returns 0
 * (nothing pushed, nothing consumed) when no complete line is buffered;
 * raises on an error (a line longer than max_len, ...).
 *
 * One C call per line: chunkbuf_buffer_read_line finds the line, copies it
 * to the C stack and consumes it, and only then is the Lua string made. No
 * Lua allocation may happen while the buffer's state is relied on: an
 * allocation can run a collection whose finalizers may consume from or
 * free this very buffer. A line longer than CB_LINE_STACK bytes (ERANGE,
 * nothing consumed) goes through take_line, which hands it out as a view
 * the finalizers cannot touch; the buffer (the handle of the Buffer
 * object u, which the caller keeps on the stack or as an upvalue) is
 * looked up again after the guard slot for that view is got, since
 * getting one may allocate. */
#define CB_LINE_STACK 512
static int cb_buffer_push_line(lua_State *L, const swig_lua_userdata *u, chunkbuf_eol eol, size_t max_len) {
  char line[CB_LINE_STACK];
  chunkbuf_view **slot;
  size_t len = 0;
  int rc = chunkbuf_buffer_read_line((cb_Buffer *)cb_live_handle(L, u, "Buffer"), eol, max_len, line, sizeof line,
                                     &len),
      pushed;
  if (rc == CHUNKBUF_OK) {
    lua_pushlstring(L, line, len);
    return 1;
  }
  if (rc == CHUNKBUF_ENEEDMORE) return 0;
  if (rc != CHUNKBUF_ERANGE) {
    cb_push_error(L, rc);
    return lua_error(L);
  }
  slot = cb_guard_get(L, &pushed);
  rc = chunkbuf_buffer_take_line((cb_Buffer *)cb_live_handle(L, u, "Buffer"), eol, max_len, slot);
  if (rc == CHUNKBUF_ENEEDMORE) { /* a finalizer in cb_guard_get took it */
    lua_pop(L, pushed);
    return 0;
  }
  if (rc != CHUNKBUF_OK) {
    cb_push_error(L, rc);
    return lua_error(L);
  }
  cb_push_view_string(L, *slot);
  cb_guard_release(slot);
  if (pushed) lua_remove(L, -2);
  return 1;
}

/* The iterator of Buffer:lines(): upvalues are the Buffer object and its
 * options. Each call takes one line (see cb_buffer_push_line), so leaving
 * the loop early leaves every line not handed out in the buffer; nil (the
 * end of the loop) when no complete line is left. */
typedef struct cb_lines_options {
  chunkbuf_eol eol;
  size_t max_len;
} cb_lines_options;

static int cb_buffer_lines_next(lua_State *L) {
  const swig_lua_userdata *u = (const swig_lua_userdata *)lua_touserdata(L, lua_upvalueindex(1));
  const cb_lines_options *o = (const cb_lines_options *)lua_touserdata(L, lua_upvalueindex(2));
  return cb_buffer_push_line(L, u, o->eol, o->max_len);
}

/* buf:take_line([eol [, max_len]]) -> one line, without its end of line,
 * as a View (zero copy; consumed), or nil, "needmore". The View object
 * exists before the C call, which then cannot leak its view; the buffer
 * is looked up again after that allocation, whose collection step may
 * have run a finalizer that freed it. */
static int cb_buffer_take_line(lua_State *L) {
  const swig_lua_userdata *self;
  chunkbuf_eol eol;
  size_t max_len;
  swig_lua_userdata *u;
  chunkbuf_view *v = NULL;
  int rc;
  cb_check_arity(L, "cb_Buffer::take_line", 3);
  self = cb_check_self(L, SWIGTYPE_p_cb_Buffer, "Buffer");
  eol = cb_check_eol(L, 2);
  max_len = cb_opt_max_len(L, 3);
  u = cb_new_view(L);
  rc = chunkbuf_buffer_take_line((cb_Buffer *)cb_live_handle(L, self, "Buffer"), eol, max_len, &v);
  if (rc == CHUNKBUF_OK) {
    u->ptr = v;
    return 1;
  }
  lua_pop(L, 1);
  if (rc != CHUNKBUF_ENEEDMORE) {
    cb_push_error(L, rc);
    return lua_error(L);
  }
  lua_pushnil(L);
  lua_pushliteral(L, "needmore");
  return 2;
}

/* buf:read_line([eol [, max_len]]) -> one line as a Lua string, without
 * its end of line (consumed), or nil, "needmore"; eol and max_len as for
 * take_line. */
static int cb_buffer_read_line(lua_State *L) {
  const swig_lua_userdata *self;
  chunkbuf_eol eol;
  size_t max_len;
  cb_check_arity(L, "cb_Buffer::read_line", 3);
  self = cb_check_self(L, SWIGTYPE_p_cb_Buffer, "Buffer");
  eol = cb_check_eol(L, 2);
  max_len = cb_opt_max_len(L, 3);
  if (cb_buffer_push_line(L, self, eol, max_len)) return 1;
  lua_pushnil(L);
  lua_pushliteral(L, "needmore");
  return 2;
}

static const cb_method cb_buffer_methods[] = {
  CB_METHOD(Buffer, take_line, cb_buffer_take_line),
  CB_METHOD(Buffer, read_line, cb_buffer_read_line),
};

/* Same bytes in both buffers, compared a block at a time. */
static int cb_buffers_equal(const cb_Buffer *a, const cb_Buffer *b) {
  char x[4096], y[4096];
  size_t len = cb_buffer_len(a), off = 0;
  if (len != cb_buffer_len(b)) return 0;
  while (off < len) {
    size_t nx = 0, ny = 0;
    chunkbuf_buffer_copy_out(a, off, x, sizeof x, &nx);
    chunkbuf_buffer_copy_out(b, off, y, sizeof y, &ny);
    if (nx == 0 || nx != ny || memcmp(x, y, nx) != 0) return 0;
    off += nx;
  }
  return 1;
}

/* ---- two-phase writes: reserve(n), then commit(s)
 *
 * The open reservation's span is kept beside the Buffer object, in a
 * registry table with weak keys (object -> iovec userdata), so commit can
 * copy the string into it; the entry goes with the object. */
static const char cb_reservations_key = 0;

static void cb_push_reservations(lua_State *L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &cb_reservations_key) == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_newtable(L);
  lua_newtable(L);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &cb_reservations_key);
}

/* The span reserve() recorded for the Buffer at index 1, or NULL. */
static struct iovec *cb_reservation(lua_State *L) {
  struct iovec *iov;
  cb_push_reservations(L);
  lua_pushvalue(L, 1);
  lua_rawget(L, -2);
  iov = (struct iovec *)lua_touserdata(L, -1);
  lua_pop(L, 2);
  return iov;
}

static void cb_set_reservation(lua_State *L, const struct iovec *span) {
  cb_push_reservations(L);
  lua_pushvalue(L, 1);
  if (span) {
    struct iovec *iov = (struct iovec *)lua_newuserdatauv(L, sizeof *iov, 0);
    *iov = *span;
  } else {
    lua_pushnil(L);
  }
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

/* What commit() takes: a string to write into the reservation, or a
 * count (0 cancels). */
typedef struct cb_commit_arg {
  const char *data; /* NULL for a count */
  size_t len;
} cb_commit_arg;

/* peek_lines / peek_records: the records a peek located and a copy of the
 * bytes they cover, in one userdata. The copy is taken right after the C
 * peek, before any Lua allocation: an allocation can run a collection
 * step whose finalizers consume from this very buffer, which would shift
 * the records' offsets under the strings still to be made. The copy is
 * malloc'd (a Lua allocation here is what must not happen), and the
 * userdata's __gc frees it should making the strings raise. */
typedef struct cb_peek {
  char *bytes;
  size_t n;
  chunkbuf_record recs[];
} cb_peek;

static int cb_peek_gc(lua_State *L) {
  cb_peek *pk = (cb_peek *)lua_touserdata(L, 1);
  if (pk) {
    free(pk->bytes);
    pk->bytes = NULL;
  }
  return 0;
}

/* The scratch for a peek of up to max_records (<= CB_MAX_RECORDS: the
 * typemap cuts it), on top of the stack. Allocates: look the buffer up
 * again afterwards. */
static cb_peek *cb_peek_new(lua_State *L, size_t max_records) {
  cb_peek *pk = (cb_peek *)lua_newuserdatauv(L, sizeof *pk + (max_records ? max_records : 1) * sizeof pk->recs[0], 0);
  pk->bytes = NULL;
  pk->n = 0;
  if (luaL_newmetatable(L, "chunkbuf.peek")) {
    lua_pushcfunction(L, cb_peek_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return pk;
}

/* Ends a peek of the Buffer at index 1 whose C call returned rc: copies
 * the located bytes out of the buffer (no Lua allocation since the call),
 * then pushes them as a table of strings, one per record (nothing
 * consumed), and drops the scratch; returns 1 (the table). */
static int cb_push_peeked(lua_State *L, int rc, cb_peek *pk) {
  size_t i, end = 0, copied = 0;
  if (rc != CHUNKBUF_OK) {
    cb_push_error(L, rc);
    return lua_error(L);
  }
  if (pk->n > 0) {
    end = pk->recs[pk->n - 1].offset + pk->recs[pk->n - 1].length;
    pk->bytes = (char *)malloc(end ? end : 1);
    if (!pk->bytes) {
      cb_push_error(L, CB_ENOMEM);
      return lua_error(L);
    }
    rc = chunkbuf_buffer_copy_out((const cb_Buffer *)cb_handle_again(L, 1, "Buffer"), 0, pk->bytes, end, &copied);
    if (rc != CHUNKBUF_OK) {
      cb_push_error(L, rc);
      return lua_error(L);
    }
    if (copied != end) return luaL_error(L, "chunkbuf.state: the peeked lines are no longer in the buffer");
  }
  lua_createtable(L, (int)pk->n, 0);
  for (i = 0; i < pk->n; ++i) {
    lua_pushlstring(L, pk->bytes + pk->recs[i].offset, pk->recs[i].length);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  free(pk->bytes);
  pk->bytes = NULL;
  lua_remove(L, -2);
  return 1;
}
%}

%typemap(in) cb_commit_arg %{
  if (lua_type(L, $input) == LUA_TNUMBER) {
    $1.data = NULL;
    $1.len = cb_check_size(L, $input);
  } else {
    $1.data = luaL_checklstring(L, $input, &$1.len);
  }
%}

%typemap(in) const chunkbuf_buffer_options *OPTIONS (chunkbuf_buffer_options temp = CHUNKBUF_BUFFER_OPTIONS_INIT)
  %{ cb_check_buffer_options(L, $input, &temp); $1 = &temp; %}
%typemap(default) const chunkbuf_buffer_options *OPTIONS (chunkbuf_buffer_options temp = CHUNKBUF_BUFFER_OPTIONS_INIT)
  %{ $1 = &temp; %}

CB_OBJECT(cb_Buffer, "Buffer")

%rename(Buffer) cb_Buffer;
%delobject cb_Buffer::free;
typedef struct {} cb_Buffer;

%extend cb_Buffer {
  /* chunkbuf.Buffer{pool = p, max_bytes = n, min_chunk = n, tenant = id,
   * linear = bool} (linear: one contiguous region instead of a chain) */
  cb_Buffer(const chunkbuf_buffer_options *OPTIONS, lua_State *L) {
    cb_Buffer *b = NULL;
    int rc = chunkbuf_buffer_new(OPTIONS, &b);
    if (rc != CHUNKBUF_OK) cb_push_error(L, rc);
    return b;
  }
  /* Lua never holds a reservation's memory (commit copies a string in),
   * so freeing abandons an open one: chunkbuf refuses to free under it. */
  ~cb_Buffer() {
    chunkbuf_buffer_commit($self, 0);
    chunkbuf_buffer_free($self);
  }
  void free() {
    chunkbuf_buffer_commit($self, 0);
    chunkbuf_buffer_free($self);
  }

  size_t len() { return cb_buffer_len($self); }
  size_t __len(cb_ignored) { return cb_buffer_len($self); }
  /* tostring(buf): all the bytes, not consumed. */
  cb_status __tostring(cb_bytes *OUT) { return cb_buffer_bytes($self, 0, cb_buffer_len($self), OUT); }
  cb_flag __eq(const cb_Buffer *OTHER) { return OTHER && cb_buffers_equal($self, OTHER); }

  /* -- write side */
  cb_status append(const void *data, size_t len) { return chunkbuf_buffer_append($self, data, len); }
  /* Adds the bytes as a segment of their own: Lua strings cannot be lent
   * to C, so this is one copy into malloc'd memory that the buffer adopts
   * (and frees once no buffer or view uses it). */
  cb_status append_ref(const void *data, size_t len) {
    void *copy = malloc(len ? len : 1);
    int rc;
    if (!copy) return CB_ENOMEM;
    memcpy(copy, data, len);
    rc = chunkbuf_buffer_append_ref($self, copy, len, free, copy);
    if (rc == CHUNKBUF_EHANDLE || rc == CHUNKBUF_EINVAL) free(copy);
    return rc;
  }
  cb_status append_view(const cb_View *view) { return chunkbuf_buffer_append_view($self, view); }
  /* Bytes before the first byte: prepend(s) copies s, prepend_view(v) puts
   * v's segments in front without copying (a linear buffer copies). */
  cb_status prepend(const void *data, size_t len) { return chunkbuf_buffer_prepend($self, data, len); }
  cb_status prepend_view(const cb_View *view) { return chunkbuf_buffer_prepend_view($self, view); }
  /* Reads up to max bytes (default 64 KiB) from a file descriptor; 0 at EOF. */
  cb_status read_from_fd(int fd, size_t max, size_t *OUT) { return chunkbuf_buffer_read_from_fd($self, fd, max, OUT); }

  /* Two-phase write: reserve(n) opens a reservation of at least n bytes of
   * pool memory at the end and returns its size; commit(s) copies s into
   * it and makes those #s bytes part of the buffer (one copy, as a Lua
   * string cannot be filled in place). commit("") or commit(0) cancels;
   * a count past the reservation is a range error (the reservation stays
   * open). While it is open, every change is a state error, as in C. */
  cb_pushed reserve(size_t n, lua_State *L) {
    struct iovec iov = {NULL, 0};
    size_t n_iov = 0;
    int rc = chunkbuf_buffer_reserve($self, n, &iov, 1, &n_iov);
    if (rc != CHUNKBUF_OK) {
      cb_push_error(L, rc);
      return lua_error(L);
    }
    cb_set_reservation(L, &iov);
    lua_pushinteger(L, (lua_Integer)iov.iov_len);
    return 1;
  }
  cb_pushed commit(cb_commit_arg arg, lua_State *L) {
    struct iovec *span = cb_reservation(L);
    int rc;
    if (arg.data == NULL && arg.len > 0 && span && arg.len <= span->iov_len) {
      lua_pushliteral(L, "chunkbuf.inval: commit(n) with a count only cancels (0); pass the bytes as a string");
      return lua_error(L);
    }
    if (arg.data && span && arg.len <= span->iov_len) memcpy(span->iov_base, arg.data, arg.len);
    rc = chunkbuf_buffer_commit($self, arg.len);
    if (rc != CHUNKBUF_OK) {
      cb_push_error(L, rc);
      return lua_error(L);
    }
    cb_set_reservation(L, NULL);
    return 0;
  }

  /* -- inspect */
  cb_status find(const void *needle, size_t nlen, cb_first first, cb_last last, cb_match *OUT) {
    OUT->len = nlen;
    return chunkbuf_buffer_find($self, needle, nlen, first, last, &OUT->pos);
  }
  cb_status rfind(const void *needle, size_t nlen, cb_first first, cb_last last, cb_match *OUT) {
    OUT->len = nlen;
    return chunkbuf_buffer_rfind($self, needle, nlen, first, last, &OUT->pos);
  }
  /* Up to n bytes from position first (default 1), not consumed. */
  cb_status peek(size_t n, cb_first first, cb_bytes *OUT) { return cb_buffer_bytes($self, first, n, OUT); }
  /* The first n bytes, made contiguous inside the buffer. */
  cb_status coalesce(size_t n, cb_bytes *OUT) {
    const void *p = NULL;
    int rc = chunkbuf_buffer_coalesce($self, n, &p);
    if (rc != CHUNKBUF_OK) return rc;
    OUT->data = (char *)malloc(n ? n : 1);
    if (!OUT->data) return CB_ENOMEM;
    memcpy(OUT->data, p, n);
    OUT->len = n;
    return CHUNKBUF_OK;
  }
  cb_status equals(const void *data, size_t len, int *BOOL) { return chunkbuf_buffer_equals($self, data, len, BOOL); }
  cb_status segment_count(size_t *OUT) { return chunkbuf_buffer_segment_count($self, OUT); }
  /* Typed reads at a 1-based position, not consumed; nil, "needmore" when
   * short. u64 values past 2^63 come back wrapped, as string.unpack does. */
  cb_status peek_u8(cb_first pos, uint64_t *OUT) {
    uint8_t v = 0;
    int rc = chunkbuf_buffer_peek_u8($self, pos, &v);
    *OUT = v;
    return rc;
  }
  cb_status peek_u16(cb_first pos, cb_order order, uint64_t *OUT) {
    uint16_t v = 0;
    int rc = chunkbuf_buffer_peek_u16($self, pos, order, &v);
    *OUT = v;
    return rc;
  }
  cb_status peek_u32(cb_first pos, cb_order order, uint64_t *OUT) {
    uint32_t v = 0;
    int rc = chunkbuf_buffer_peek_u32($self, pos, order, &v);
    *OUT = v;
    return rc;
  }
  cb_status peek_u64(cb_first pos, cb_order order, uint64_t *OUT) {
    return chunkbuf_buffer_peek_u64($self, pos, order, OUT);
  }

  /* The lines (records) take_lines (take_records) would return, as a
   * table of strings, consuming nothing. */
  cb_pushed peek_lines(chunkbuf_eol eol, size_t max_records, size_t max_len, lua_State *L) {
    cb_peek *pk = cb_peek_new(L, max_records);
    /* again: the allocation above may have run a finalizer that freed it */
    $self = (cb_Buffer *)cb_handle_again(L, 1, "Buffer");
    return cb_push_peeked(L, chunkbuf_buffer_peek_lines($self, eol, max_len, pk->recs, max_records, &pk->n), pk);
  }
  cb_pushed peek_records(const void *delim, size_t dlen, size_t max_records, size_t max_len, lua_State *L) {
    cb_peek *pk = cb_peek_new(L, max_records);
    $self = (cb_Buffer *)cb_handle_again(L, 1, "Buffer");
    return cb_push_peeked(L, chunkbuf_buffer_peek_records($self, delim, dlen, max_len, pk->recs, max_records, &pk->n),
                          pk);
  }

  /* -- consume */
  cb_status advance(size_t n) { return chunkbuf_buffer_advance($self, n); }
  /* Consuming binary readers: each takes exactly what it reads, or returns
   * nil, "needmore" and takes nothing. read_uint(width [, order]) with width
   * 1, 2, 4 or 8 and order "be" (default) or "le"; u64 past 2^63 wraps, as
   * string.unpack. read_bytes(n) and peek_exact(n) copy exactly n bytes
   * (peek_exact does not consume). */
  cb_status read_uint(size_t width, cb_order order, uint64_t *OUT) {
    return chunkbuf_buffer_read_uint($self, width, order, OUT);
  }
  cb_status read_u8(uint64_t *OUT) { return chunkbuf_buffer_read_uint($self, 1, CHUNKBUF_BE, OUT); }
  cb_status read_u16(cb_order order, uint64_t *OUT) { return chunkbuf_buffer_read_uint($self, 2, order, OUT); }
  cb_status read_u32(cb_order order, uint64_t *OUT) { return chunkbuf_buffer_read_uint($self, 4, order, OUT); }
  cb_status read_u64(cb_order order, uint64_t *OUT) { return chunkbuf_buffer_read_uint($self, 8, order, OUT); }
  cb_status read_bytes(size_t n, cb_bytes *OUT) {
    int rc;
    OUT->data = (char *)malloc(n ? n : 1);
    if (!OUT->data) return CB_ENOMEM;
    rc = chunkbuf_buffer_read_exact($self, OUT->data, n);
    if (rc == CHUNKBUF_OK) OUT->len = n; /* else nothing was copied: an empty string, dropped */
    return rc;
  }
  cb_status peek_exact(size_t n, cb_bytes *OUT) {
    int rc;
    OUT->data = (char *)malloc(n ? n : 1);
    if (!OUT->data) return CB_ENOMEM;
    rc = chunkbuf_buffer_peek_exact($self, OUT->data, n);
    if (rc == CHUNKBUF_OK) OUT->len = n; /* else nothing was copied: an empty string, dropped */
    return rc;
  }
  cb_status read(size_t n, cb_bytes *OUT) {
    size_t len = cb_buffer_len($self), want = n < len ? n : len;
    OUT->data = (char *)malloc(want ? want : 1);
    if (!OUT->data) return CB_ENOMEM;
    return chunkbuf_buffer_read($self, OUT->data, want, &OUT->len);
  }
  /* A file-like read of up to n bytes with a policy for fewer:
   * read_policy(n, "raise") gives nil, "needmore" (nothing consumed),
   * "return_partial" (default) what is there; "block" is an error (a
   * buffer has no writer to wait for). */
  cb_status read_policy(size_t n, cb_policy policy, cb_bytes *OUT) {
    OUT->data = (char *)malloc(n ? n : 1);
    if (!OUT->data) return CB_ENOMEM;
    return chunkbuf_buffer_read_policy($self, OUT->data, n, policy, &OUT->len);
  }
  cb_status split_to(size_t n, cb_View **OUT) { return chunkbuf_buffer_split_to($self, n, OUT); }
  cb_status take_until(const void *delim, size_t dlen, cb_flag include, size_t max_len, cb_View **OUT) {
    return chunkbuf_buffer_take_until($self, delim, dlen, include, max_len, OUT);
  }
  /* Up to max_records (default 256) lines or records: a table of Views. */
  cb_pushed take_lines(chunkbuf_eol eol, size_t max_records, size_t max_len, lua_State *L) {
    cb_batch bt;
    int rc;
    cb_batch_begin(L, &bt, max_records);
    /* again: the allocation above may have run a finalizer that freed it */
    $self = (cb_Buffer *)cb_handle_again(L, 1, "Buffer");
    rc = chunkbuf_buffer_take_lines($self, eol, max_len, bt.recs, max_records, &bt.n, bt.slot);
    return cb_batch_end(L, &bt, rc, CB_AS_VIEWS, SWIGTYPE_p_cb_View);
  }
  cb_pushed take_records(const void *delim, size_t dlen, size_t max_records, size_t max_len, lua_State *L) {
    cb_batch bt;
    int rc;
    cb_batch_begin(L, &bt, max_records);
    /* again: the allocation above may have run a finalizer that freed it */
    $self = (cb_Buffer *)cb_handle_again(L, 1, "Buffer");
    rc = chunkbuf_buffer_take_records($self, delim, dlen, max_len, bt.recs, max_records, &bt.n, bt.slot);
    return cb_batch_end(L, &bt, rc, CB_AS_VIEWS, SWIGTYPE_p_cb_View);
  }
  /* Up to max_records (default 256) lines at once, as a table of strings
   * (empty when no line is complete); eol and max_len as for take_line. */
  cb_pushed read_lines(chunkbuf_eol eol, size_t max_records, size_t max_len, lua_State *L) {
    cb_batch bt;
    int rc;
    cb_batch_begin(L, &bt, max_records);
    /* again: the allocation above may have run a finalizer that freed it */
    $self = (cb_Buffer *)cb_handle_again(L, 1, "Buffer");
    rc = chunkbuf_buffer_take_lines($self, eol, max_len, bt.recs, max_records, &bt.n, bt.slot);
    return cb_batch_end(L, &bt, rc, CB_AS_STRINGS, NULL);
  }
  /* for line in buf:lines([eol [, max_len]]) do ... end: every complete
   * line, each consumed as it is handed out (a break leaves the rest). */
  cb_pushed lines(chunkbuf_eol eol, size_t max_len, lua_State *L) {
    cb_lines_options *o;
    (void)$self; /* the iterator holds the Lua object (argument 1) instead */
    lua_pushvalue(L, 1);
    o = (cb_lines_options *)lua_newuserdatauv(L, sizeof *o, 0);
    o->eol = eol;
    o->max_len = max_len;
    lua_pushcclosure(L, cb_buffer_lines_next, 2);
    return 1;
  }
  /* Writes up to max bytes (default all) to a file descriptor. */
  cb_status write_to_fd(int fd, size_t max, size_t *OUT) { return chunkbuf_buffer_write_to_fd($self, fd, max, OUT); }
}
