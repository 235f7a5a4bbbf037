/* chunkbuf.Stream: a thread-safe byte stream. Writers may be other threads
 * (in C); reads block in C, without touching the Lua state, up to a
 * timeout in seconds (nil: forever, 0: do not wait). Reads return nil,
 * "eof" at the end, nil, "timedout" / "again" when nothing came in time. */

%{
static void cb_check_stream_options(lua_State *L, int idx, chunkbuf_stream_options *o) {
  if (lua_isnoneornil(L, idx)) return;
  luaL_checktype(L, idx, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    const char *key = cb_option_key(L, idx);
    if (strcmp(key, "pool") == 0) o->pool = (cb_Pool *)cb_option_object(L, idx, SWIGTYPE_p_cb_Pool, "Pool");
    else if (strcmp(key, "content_length") == 0) o->content_length = cb_option_size(L, idx, key);
    else if (strcmp(key, "retain") == 0) o->retain = lua_toboolean(L, -1);
    else if (strcmp(key, "high_water") == 0) o->high_water = cb_option_size(L, idx, key);
    else if (strcmp(key, "low_water") == 0) o->low_water = cb_option_size(L, idx, key);
    else if (strcmp(key, "max_bytes") == 0) o->max_bytes = cb_option_size(L, idx, key);
    else if (strcmp(key, "tenant") == 0) o->tenant = cb_option_u32(L, idx, key);
    else cb_unknown_option(L, idx, key);
    lua_pop(L, 1);
  }
}

/* Takes one line of the Stream object at index obj (checked by the
 * caller) with chunkbuf_stream_read_line (the stream's own scanner,
 * end-of-line style eol; waits up to timeout_ms) and pushes it as a Lua
 * string, with its end-of-line bytes when keep_eol. Returns CHUNKBUF_OK
 * (one value pushed), CB_EOF or the C status (nothing pushed).
 *
 * One C call and one copy per line, into the C stack; no Lua allocation
 * happens while the stream's state is relied on. A line longer than
 * CB_LINE_STACK bytes (ERANGE, nothing consumed, the room it needs
 * reported) is read again into a Lua buffer of that size; the handle is
 * read from the object again after that allocation, whose collection step
 * may run a finalizer that freed the stream, and the read repeats while
 * another reader's line meanwhile needs more room still. */
static int cb_stream_push_line(lua_State *L, int obj, chunkbuf_eol eol, size_t max_len, int64_t timeout_ms,
                               int keep_eol) {
  char stack[CB_LINE_STACK];
  char *dst = stack;
  size_t cap = sizeof stack, len = 0, eol_len = 0;
  luaL_Buffer b;
  int boxed = 0, rc;
  chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
  w.timeout_ms = timeout_ms;
  for (;;) {
    rc = chunkbuf_stream_read_line((cb_Stream *)cb_handle_again(L, obj, "Stream"), eol, max_len, dst, cap, &w, &len,
                                   &eol_len);
    if (rc != CHUNKBUF_ERANGE) break;
    if (!boxed) luaL_buffinit(L, &b); /* obj is an upvalue or below the top: pushing leaves it in place */
    boxed = 1;
    cap = len + eol_len;
    dst = luaL_prepbuffsize(&b, cap);
  }
  if (rc == CHUNKBUF_OK && len + eol_len == 0) rc = CB_EOF;
  if (rc == CHUNKBUF_OK && boxed) {
    luaL_addsize(&b, keep_eol ? len + eol_len : len);
    luaL_pushresult(&b);
  } else if (rc == CHUNKBUF_OK) {
    lua_pushlstring(L, stack, keep_eol ? len + eol_len : len);
  } else if (boxed) {
    lua_pop(L, 1); /* the buffer's box */
  }
  return rc;
}

/* A method's answer to a line read's status: the value it pushed (1), nil
 * plus the reason for end of file and the "not yet" codes (2), or raises. */
static int cb_stream_answer(lua_State *L, int rc) {
  if (rc == CHUNKBUF_OK) return 1;
  if (cb_is_soft(rc)) {
    lua_pushnil(L);
    lua_pushstring(L, cb_code_name(rc));
    return 2;
  }
  cb_push_error(L, rc);
  return lua_error(L);
}

/* s:read_line([eol [, max_len [, timeout]]]) -> one line without its end
 * of line (eol and max_len as Buffer:read_line, the default "crlf": LF
 * with an optional CR), waiting up to timeout; at end of file the last
 * line may lack an end of line, then nil, "eof". */
static int cb_stream_read_line(lua_State *L) {
  chunkbuf_eol eol;
  size_t max_len;
  int64_t timeout_ms;
  cb_check_arity(L, "cb_Stream::read_line", 4);
  cb_check_self(L, SWIGTYPE_p_cb_Stream, "Stream");
  eol = cb_check_eol(L, 2);
  max_len = cb_opt_max_len(L, 3);
  timeout_ms = cb_opt_timeout(L, 4);
  return cb_stream_answer(L, cb_stream_push_line(L, 1, eol, max_len, timeout_ms, 0));
}

static const cb_method cb_stream_methods[] = {
  CB_METHOD(Stream, read_line, cb_stream_read_line),
};

/* The iterator of Stream:lines(): upvalues are the stream, whether to keep
 * the end of line, the timeout in milliseconds and the end-of-line style.
 * A timeout or an error raises; end of file ends the loop. */
static int cb_lines_next(lua_State *L) {
  int keep = lua_toboolean(L, lua_upvalueindex(2));
  int64_t timeout_ms = (int64_t)lua_tointeger(L, lua_upvalueindex(3));
  chunkbuf_eol eol = (chunkbuf_eol)lua_tointeger(L, lua_upvalueindex(4));
  int rc;
  cb_check_object(L, lua_upvalueindex(1), SWIGTYPE_p_cb_Stream, "Stream", 0);
  rc = cb_stream_push_line(L, lua_upvalueindex(1), eol, 0, timeout_ms, keep);
  if (rc == CHUNKBUF_OK) return 1;
  if (rc == CB_EOF) return 0;
  cb_push_error(L, rc);
  return lua_error(L);
}
%}

%typemap(in) const chunkbuf_stream_options *OPTIONS (chunkbuf_stream_options temp = CHUNKBUF_STREAM_OPTIONS_INIT)
  %{ cb_check_stream_options(L, $input, &temp); $1 = &temp; %}
%typemap(default) const chunkbuf_stream_options *OPTIONS (chunkbuf_stream_options temp = CHUNKBUF_STREAM_OPTIONS_INIT)
  %{ $1 = &temp; %}

/* A count where nil or absent means "everything". */
typedef size_t cb_upto;
%typemap(default) cb_upto %{ $1 = CHUNKBUF_NPOS; %}
%typemap(in) cb_upto %{ if (!lua_isnil(L, $input)) $1 = cb_check_size(L, $input); %}

typedef int cb_whence;
%typemap(default) cb_whence %{ $1 = SEEK_CUR; %}
%typemap(in) cb_whence
  %{ { static const char *const names_[] = {"set", "cur", "end", NULL};
       static const int whence_[] = {SEEK_SET, SEEK_CUR, SEEK_END};
       $1 = whence_[cb_check_option(L, $input, "cur", names_)]; } %}
%typemap(default) int64_t offset %{ $1 = 0; %}
%typemap(in) int64_t offset %{ $1 = (int64_t)luaL_optinteger(L, $input, 0); %}
%typemap(default) int code %{ $1 = 0; %}
%typemap(in) int code
  %{ $1 = (int)luaL_optinteger(L, $input, 0);
     luaL_argcheck(L, (lua_Integer)$1 == luaL_optinteger(L, $input, 0), $input, "integer out of range"); %}

/* "l" (default) strips the end of line of each line, "L" keeps it, as
 * io.lines. */
typedef int cb_keep_eol;
%typemap(default) cb_keep_eol %{ $1 = 0; %}
%typemap(in) cb_keep_eol
  %{ { static const char *const names_[] = {"l", "L", NULL}; $1 = cb_check_option(L, $input, "l", names_); } %}
/* lines() splits at "\n" unless told another end-of-line style. */
%typemap(default) chunkbuf_eol lines_eol %{ $1 = CHUNKBUF_EOL_LF; %}
%typemap(in) chunkbuf_eol lines_eol %{ if (!lua_isnil(L, $input)) $1 = cb_check_eol(L, $input); %}


CB_OBJECT(cb_Stream, "Stream")

%apply size_t *OUT { size_t *READERS, size_t *WRITERS };

%rename(Stream) cb_Stream;
%delobject cb_Stream::free;
typedef struct {} cb_Stream;

%extend cb_Stream {
  /* chunkbuf.Stream{pool =, content_length =, retain = bool, high_water =,
   * low_water =, max_bytes =, tenant =} */
  cb_Stream(const chunkbuf_stream_options *OPTIONS, lua_State *L) {
    cb_Stream *s = NULL;
    int rc = chunkbuf_stream_new(OPTIONS, &s);
    if (rc != CHUNKBUF_OK) cb_push_error(L, rc);
    return s;
  }
  ~cb_Stream() { chunkbuf_stream_free($self); }
  void free() { chunkbuf_stream_free($self); }

  /* -- writer side: true, or nil, "again"/"timedout" under a high-water mark */
  cb_done write(const void *data, size_t len, int64_t timeout_ms) {
    return chunkbuf_stream_write($self, data, len, timeout_ms);
  }
  cb_done write_view(const cb_View *view, int64_t timeout_ms) {
    return chunkbuf_stream_write_view($self, view, timeout_ms);
  }
  /* End of file for the readers (the handle stays valid; see free). */
  cb_status close() { return chunkbuf_stream_close($self); }
  cb_status abort(int code) { return chunkbuf_stream_abort($self, code); }
  /* The code given to abort, or nil when the stream was not aborted. */
  cb_pushed abort_code(lua_State *L) {
    int code = 0;
    if (chunkbuf_stream_abort_code($self, &code) == CHUNKBUF_OK) lua_pushinteger(L, code);
    else lua_pushnil(L);
    return 1;
  }

  /* -- reader side */
  /* n bytes, fewer only at the end of the stream. */
  cb_status read(size_t n, int64_t timeout_ms, cb_bytes *OUT) {
    int rc;
    OUT->data = (char *)malloc(n ? n : 1);
    if (!OUT->data) return CB_ENOMEM;
    rc = chunkbuf_stream_read($self, OUT->data, n, timeout_ms, &OUT->len);
    return rc == CHUNKBUF_OK && OUT->len == 0 && n > 0 ? CB_EOF : rc;
  }
  /* 1 to n bytes, as soon as there are any. */
  cb_status read1(size_t n, int64_t timeout_ms, cb_bytes *OUT) {
    int rc;
    OUT->data = (char *)malloc(n ? n : 1);
    if (!OUT->data) return CB_ENOMEM;
    rc = chunkbuf_stream_read1($self, OUT->data, n, timeout_ms, &OUT->len);
    return rc == CHUNKBUF_OK && OUT->len == 0 && n > 0 ? CB_EOF : rc;
  }
  /* A file-like read of up to n bytes with a policy for fewer:
   * "block" waits for n bytes or EOF (timeout: nil, "timedout"),
   * "return_partial" (default) gives what is there (nil, "again": nothing yet),
   * "raise" n bytes now or nil, "needmore" (nothing consumed); at EOF
   * what is left, then nil, "eof". */
  cb_status read_policy(size_t n, cb_policy policy, int64_t timeout_ms, cb_bytes *OUT) {
    int rc;
    chunkbuf_wait w = CHUNKBUF_WAIT_INIT;
    w.timeout_ms = timeout_ms;
    OUT->data = (char *)malloc(n ? n : 1);
    if (!OUT->data) return CB_ENOMEM;
    rc = chunkbuf_stream_read_policy($self, OUT->data, n, policy, &w, &OUT->len);
    return rc == CHUNKBUF_OK && OUT->len == 0 && n > 0 ? CB_EOF : rc;
  }
  /* What is there, up to n bytes, without waiting (nil, "again": nothing yet). */
  cb_status read_nonblock(size_t n, cb_bytes *OUT) {
    int rc;
    OUT->data = (char *)malloc(n ? n : 1);
    if (!OUT->data) return CB_ENOMEM;
    rc = chunkbuf_stream_read_nonblock($self, OUT->data, n, &OUT->len);
    return rc == CHUNKBUF_OK && OUT->len == 0 && n > 0 ? CB_EOF : rc;
  }
  /* Like read, as a zero-copy View; n nil or absent reads to the end. */
  cb_status read_view(cb_upto n, int64_t timeout_ms, cb_View **OUT) {
    int rc = chunkbuf_stream_read_view($self, n, timeout_ms, OUT);
    if (rc == CHUNKBUF_OK && n > 0 && cb_view_len(*OUT) == 0) {
      chunkbuf_view_release(*OUT);
      *OUT = NULL;
      return CB_EOF;
    }
    return rc;
  }
  /* One line with its "\n" (or max bytes, max 0: no limit). */
  cb_pushed readline(size_t max, int64_t timeout_ms, lua_State *L) {
    int pushed = 0, rc;
    chunkbuf_view **slot = cb_guard_get(L, &pushed);
    /* again: the allocation above may have run a finalizer that freed it */
    $self = (cb_Stream *)cb_handle_again(L, 1, "Stream");
    rc = chunkbuf_stream_readline($self, max, timeout_ms, slot);
    if (rc == CHUNKBUF_OK && cb_view_len(*slot) == 0) rc = CB_EOF;
    if (rc == CHUNKBUF_OK) cb_push_view_string(L, *slot);
    cb_guard_release(slot);
    if (pushed) lua_remove(L, rc == CHUNKBUF_OK ? -2 : -1);
    return cb_stream_answer(L, rc);
  }
  /* Up to max_records (default 256) complete lines at once, as a table. */
  cb_pushed readlines(size_t max_records, int64_t timeout_ms, lua_State *L) {
    cb_batch bt;
    int rc;
    cb_batch_begin(L, &bt, max_records);
    /* again: the allocation above may have run a finalizer that freed it */
    $self = (cb_Stream *)cb_handle_again(L, 1, "Stream");
    rc = chunkbuf_stream_readlines($self, bt.recs, max_records, timeout_ms, &bt.n, bt.slot);
    if (rc == CHUNKBUF_OK && bt.n == 0) rc = CB_EOF;
    return cb_batch_end(L, &bt, rc, CB_AS_STRINGS_WITH_DELIM, NULL);
  }
  /* for line in stream:lines([fmt [, timeout [, eol]]]) do ... end (eol
   * default "lf") */
  cb_pushed lines(cb_keep_eol fmt, int64_t timeout_ms, chunkbuf_eol lines_eol, lua_State *L) {
    (void)$self; /* the iterator holds the Lua object (argument 1) instead */
    lua_pushvalue(L, 1);
    lua_pushboolean(L, fmt);
    lua_pushinteger(L, (lua_Integer)timeout_ms);
    lua_pushinteger(L, (lua_Integer)lines_eol);
    lua_pushcclosure(L, cb_lines_next, 4);
    return 1;
  }
  size_t readable_amount() {
    size_t n = 0;
    chunkbuf_stream_readable_amount($self, &n);
    return n;
  }
  size_t __len(cb_ignored) {
    size_t n = 0;
    chunkbuf_stream_readable_amount($self, &n);
    return n;
  }
  cb_status at_eof(int *BOOL) { return chunkbuf_stream_at_eof($self, BOOL); }
  /* readers, writers: the calls blocked on the stream now. */
  cb_status waiting(size_t *READERS, size_t *WRITERS) { return chunkbuf_stream_waiting($self, READERS, WRITERS); }
  /* Among the unread bytes; positions are 1-based from the read position. */
  cb_status find(const void *needle, size_t nlen, cb_first first, cb_last last, cb_match *OUT) {
    OUT->len = nlen;
    return chunkbuf_stream_find($self, needle, nlen, first, last, &OUT->pos);
  }
  /* As file:seek([whence [, offset]]): the new 0-based position (retained
   * streams only; "end" only after end of file). */
  cb_status seek(cb_whence whence, int64_t offset, uint64_t *OUT) {
    return chunkbuf_stream_seek($self, offset, whence, OUT);
  }
  cb_status tell(uint64_t *OUT) { return chunkbuf_stream_tell($self, OUT); }
  /* A descriptor that polls readable while data or EOF is there. */
  cb_status readiness_fd(int *OUT) { return chunkbuf_stream_readiness_fd($self, OUT); }

  cb_flag __eq(const cb_Stream *OTHER) { return $self == OTHER; }
  cb_pushed __tostring(lua_State *L) {
    size_t n = 0;
    int eof = 0;
    chunkbuf_stream_readable_amount($self, &n);
    chunkbuf_stream_at_eof($self, &eof);
    lua_pushfstring(L, "chunkbuf.Stream (%I bytes unread%s)", (lua_Integer)n, eof ? ", at end of file" : "");
    return 1;
  }
}
