/* chunkbuf.Framer: cuts messages out of a Buffer as zero-copy Views, by
 * delimiters (chunkbuf.DelimiterFramer) or by a length prefix
 * (chunkbuf.LengthFramer). A framer holds only its configuration. */

%{
/* Delimiter options with room for the C API's 16 delimiters, which point
 * into Lua strings of the options table (alive for the call). */
typedef struct cb_delimiter_options {
  chunkbuf_delimiter_framer_options o;
  struct iovec delims[16];
} cb_delimiter_options;

static void cb_check_delimiters(lua_State *L, int idx, cb_delimiter_options *d) {
  lua_Integer i, n;
  if (!lua_istable(L, -1)) luaL_argerror(L, idx, "option 'delimiters' must be a table of strings");
  n = (lua_Integer)lua_rawlen(L, -1);
  if (n > 16) luaL_argerror(L, idx, "option 'delimiters' holds at most 16 strings");
  for (i = 1; i <= n; ++i) {
    if (lua_rawgeti(L, -1, i) != LUA_TSTRING) luaL_argerror(L, idx, "option 'delimiters' must be a table of strings");
    d->delims[i - 1].iov_base = (void *)lua_tolstring(L, -1, &d->delims[i - 1].iov_len);
    lua_pop(L, 1);
  }
  d->o.delimiters = d->delims;
  d->o.n_delimiters = (size_t)n;
}

static void cb_check_delimiter_options(lua_State *L, int idx, cb_delimiter_options *d) {
  luaL_checktype(L, idx, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    const char *key = cb_option_key(L, idx);
    if (strcmp(key, "delimiters") == 0) cb_check_delimiters(L, idx, d);
    else if (strcmp(key, "max_frame") == 0) d->o.max_frame = cb_option_size(L, idx, key);
    else if (strcmp(key, "include_delimiter") == 0) d->o.include_delimiter = lua_toboolean(L, -1);
    else cb_unknown_option(L, idx, key);
    lua_pop(L, 1);
  }
}

static int cb_option_order(lua_State *L, int idx) {
  const char *order = lua_tostring(L, -1);
  if (lua_type(L, -1) != LUA_TSTRING || (strcmp(order, "be") != 0 && strcmp(order, "le") != 0))
    luaL_argerror(L, idx, "option 'order' must be \"be\" or \"le\"");
  return order[0] == 'b' ? CHUNKBUF_BE : CHUNKBUF_LE;
}

/* strip defaults to the whole header (length_offset + length_width), so
 * LengthFramer{length_width = 2} hands out bare payloads like the default. */
static void cb_check_length_options(lua_State *L, int idx, chunkbuf_length_framer_options *o) {
  int strip_given = 0;
  if (lua_isnoneornil(L, idx)) return;
  luaL_checktype(L, idx, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    const char *key = cb_option_key(L, idx);
    if (strcmp(key, "length_offset") == 0) o->length_offset = cb_option_size(L, idx, key);
    else if (strcmp(key, "length_width") == 0) o->length_width = cb_option_size(L, idx, key);
    else if (strcmp(key, "order") == 0) o->order = cb_option_order(L, idx);
    else if (strcmp(key, "length_adjust") == 0) {
      if (!lua_isinteger(L, -1)) luaL_argerror(L, idx, "option 'length_adjust' must be an integer");
      o->length_adjust = (int64_t)lua_tointeger(L, -1);
    } else if (strcmp(key, "strip") == 0) {
      o->strip = cb_option_size(L, idx, key);
      strip_given = 1;
    }
    else if (strcmp(key, "max_frame") == 0) o->max_frame = cb_option_size(L, idx, key);
    else cb_unknown_option(L, idx, key);
    lua_pop(L, 1);
  }
  if (!strip_given) o->strip = o->length_offset + o->length_width;
}
%}

%typemap(in) const chunkbuf_delimiter_framer_options *OPTIONS
  (cb_delimiter_options temp = {CHUNKBUF_DELIMITER_FRAMER_OPTIONS_INIT, {{NULL, 0}}})
  %{ cb_check_delimiter_options(L, $input, &temp); $1 = &temp.o; %}
%typemap(in) const chunkbuf_length_framer_options *OPTIONS
  (chunkbuf_length_framer_options temp = CHUNKBUF_LENGTH_FRAMER_OPTIONS_INIT)
  %{ cb_check_length_options(L, $input, &temp); $1 = &temp; %}
%typemap(default) const chunkbuf_length_framer_options *OPTIONS
  (chunkbuf_length_framer_options temp = CHUNKBUF_LENGTH_FRAMER_OPTIONS_INIT) %{ $1 = &temp; %}

CB_OBJECT(cb_Framer, "Framer")

%rename(Framer) cb_Framer;
%delobject cb_Framer::free;
%nodefaultctor cb_Framer;
typedef struct {} cb_Framer;

%extend cb_Framer {
  ~cb_Framer() { chunkbuf_framer_free($self); }
  void free() { chunkbuf_framer_free($self); }

  /* The next frame of buf as a View; nil, "needmore" when none is complete.
   * final: the input has ended, so the trailing bytes may form a frame. */
  cb_status next(cb_Buffer *buf, cb_flag final, cb_View **OUT) { return chunkbuf_framer_next($self, buf, final, OUT); }
  /* Up to max_records (default 256) complete frames: a table of Views. */
  cb_pushed next_batch(cb_Buffer *buf, cb_flag final, size_t max_records, lua_State *L) {
    cb_batch bt;
    int rc;
    cb_batch_begin(L, &bt, max_records);
    /* again: the allocation above may have run a finalizer that freed them */
    $self = (cb_Framer *)cb_handle_again(L, 1, "Framer");
    buf = (cb_Buffer *)cb_handle_again(L, 2, "Buffer");
    rc = chunkbuf_framer_next_batch($self, buf, final, bt.recs, max_records, &bt.n, bt.slot);
    return cb_batch_end(L, &bt, rc, CB_AS_VIEWS, SWIGTYPE_p_cb_View);
  }
  /* Appends payload (a View) to out, framed: length prefix or delimiter. */
  cb_status encode(cb_Buffer *out, const cb_View *payload) { return chunkbuf_framer_encode($self, out, payload); }

  cb_flag __eq(const cb_Framer *OTHER) { return $self == OTHER; }
  cb_pushed __tostring(lua_State *L) {
    lua_pushfstring(L, "chunkbuf.Framer (%p)", (void *)$self);
    return 1;
  }
}

%newobject DelimiterFramer;
%newobject LengthFramer;
%inline %{
/* chunkbuf.DelimiterFramer{delimiters = {"\r\n", "\n"}, max_frame = n,
 * include_delimiter = bool}: the earliest delimiter ends a frame, the
 * longest of those matching there wins. */
static cb_Framer *DelimiterFramer(const chunkbuf_delimiter_framer_options *OPTIONS, lua_State *L) {
  cb_Framer *f = NULL;
  int rc = chunkbuf_framer_new_delimiter(OPTIONS, &f);
  if (rc != CHUNKBUF_OK) cb_push_error(L, rc);
  return f;
}
/* chunkbuf.LengthFramer{length_offset = 0, length_width = 4, order = "be",
 * length_adjust = 0, strip = length_offset + length_width, max_frame = 0}
 * (the defaults shown). */
static cb_Framer *LengthFramer(const chunkbuf_length_framer_options *OPTIONS, lua_State *L) {
  cb_Framer *f = NULL;
  int rc = chunkbuf_framer_new_length(OPTIONS, &f);
  if (rc != CHUNKBUF_OK) cb_push_error(L, rc);
  return f;
}
%}
