/* Typemaps: how Lua values become C arguments and C results become Lua
 * values. Every `in` typemap checks its argument and raises a Lua error
 * (luaL_arg* style) before anything is allocated; results that own memory
 * are freed in `freearg`, which runs on success and on error alike. */

/* The C side of these typedefs is in support.h. */
typedef int cb_status;
typedef int cb_done;

/* ---- objects: `self` and object arguments must be live objects of their
 * class; an explicit free/release (%delobject) detaches the handle. */
%define CB_OBJECT(CTYPE, CLS)
%typemap(in) CTYPE *self, const CTYPE *self
  %{ $1 = ($1_ltype)cb_check_object(L, $input, $descriptor(CTYPE *), CLS, $disown); %}
%typemap(in) CTYPE *, const CTYPE *
  %{ $1 = ($1_ltype)cb_check_object(L, $input, $descriptor(CTYPE *), CLS, 0); %}
/* The other operand of __eq: any value; not a CLS means "not equal". */
%typemap(in) const CTYPE *OTHER %{ $1 = ($1_ltype)cb_test_object(L, $input, $descriptor(CTYPE *)); %}
/* Constructors return NULL after pushing their error message. */
%typemap(out) CTYPE *
  %{ if (!$1) SWIG_fail;
     cb_new_object(L, $1, $descriptor(CTYPE *), $owner); SWIG_arg++; %}
/* A new object handed to Lua, which releases it in __gc. */
%typemap(in, numinputs=0) CTYPE **OUT (CTYPE *temp = NULL) %{ $1 = &temp; %}
%typemap(argout) CTYPE **OUT
  %{ if (*$1) cb_new_object(L, *$1, $descriptor(CTYPE *), 1); else lua_pushnil(L); SWIG_arg++; %}
%enddef

/* The second argument Lua passes to __len (the object again). */
typedef int cb_ignored;
%typemap(default) cb_ignored %{ $1 = 0; %}
%typemap(in) cb_ignored %{ $1 = 0; %}

/* Methods that push their Lua results themselves return how many. */
typedef int cb_pushed;
%typemap(out) cb_pushed %{ SWIG_arg += $1; %}

/* ---- statuses. A hard error raises "chunkbuf.<class>: <C message>";
 * ENEEDMORE, EAGAIN, ETIMEDOUT and end of stream return nil, reason. */
%typemap(out) cb_status %{ if ($1 < 0 && !cb_is_soft($1)) { cb_push_error(L, $1); SWIG_fail; } %}
%typemap(out) cb_done
  %{ if ($1 < 0 && !cb_is_soft($1)) { cb_push_error(L, $1); SWIG_fail; }
     lua_pushboolean(L, 1); SWIG_arg++; %}
%typemap(ret) cb_status, cb_done
  %{ if (cb_is_soft($1)) { lua_pushnil(L); lua_pushstring(L, cb_code_name($1)); return 2; } %}

/* ---- byte strings in: a Lua string, NUL bytes included. */
%typemap(in) (const void *data, size_t len), (const void *needle, size_t nlen), (const void *delim, size_t dlen)
  %{ $1 = (void *)cb_check_bytes(L, $input, &$2); %}

/* ---- integers */
%typemap(in) size_t %{ $1 = cb_check_size(L, $input); %}
/* Optional limits and counts (nil or absent: the default; 0 means "no
 * limit" / "the default" to the C API). */
%typemap(default) size_t max_len, size_t max %{ $1 = 0; %}
%typemap(default) size_t max_records %{ $1 = 256; %}
%typemap(in) size_t max_len, size_t max %{ if (!lua_isnil(L, $input)) $1 = cb_check_size(L, $input); %}
/* "Up to" a count: more than CB_MAX_RECORDS per call is cut to it, which
 * also keeps the size of the records array from overflowing. */
%typemap(in) size_t max_records
  %{ if (!lua_isnil(L, $input)) $1 = cb_check_size(L, $input);
     if ($1 > CB_MAX_RECORDS) $1 = CB_MAX_RECORDS; %}
%typemap(in) uint32_t %{ $1 = cb_check_u32(L, $input); %}
%typemap(in) int %{ $1 = (int)luaL_checkinteger(L, $input);
                    luaL_argcheck(L, (lua_Integer)$1 == lua_tointeger(L, $input), $input, "integer out of range"); %}
/* A flag: any Lua value, false when nil or absent. */
typedef int cb_flag;
%typemap(default) cb_flag %{ $1 = 0; %}
%typemap(in) cb_flag %{ $1 = lua_toboolean(L, $input); %}
%typemap(out) cb_flag %{ lua_pushboolean(L, $1); SWIG_arg++; %}
%typemap(out) size_t %{ lua_pushinteger(L, (lua_Integer)$1); SWIG_arg++; %}

/* Positions are 1-based like Lua string indices: `first` (default 1) is
 * passed on as a 0-based offset, `last` (inclusive; default: the end) as
 * a 0-based exclusive end, which is the same number. */
typedef size_t cb_first;
typedef size_t cb_last;
%typemap(default) cb_first %{ $1 = 0; %}
%typemap(in) cb_first
  %{ if (!lua_isnil(L, $input)) {
       lua_Integer i_ = luaL_checkinteger(L, $input);
       luaL_argcheck(L, i_ >= 1, $input, "position must be >= 1");
       $1 = (size_t)(i_ - 1);
     } %}
%typemap(default) cb_last %{ $1 = CHUNKBUF_NPOS; %}
%typemap(in) cb_last
  %{ if (!lua_isnil(L, $input)) $1 = cb_check_size(L, $input); %}

/* Timeouts in seconds; nil or absent: the default timeout (support.h). */
%typemap(default) int64_t timeout_ms %{ $1 = cb_default_timeout_ms; %}
%typemap(in) int64_t timeout_ms %{ $1 = cb_opt_timeout(L, $input); %}

/* Option strings */
%typemap(default) chunkbuf_eol %{ $1 = CHUNKBUF_EOL_CRLF; %}
%typemap(in) chunkbuf_eol %{ $1 = cb_check_eol(L, $input); %}
typedef int cb_order;
typedef int cb_policy;
%typemap(default) cb_policy %{ $1 = CHUNKBUF_SHORT_PARTIAL; %}
%typemap(in) cb_policy %{ $1 = cb_check_policy(L, $input); %}
%typemap(default) cb_order %{ $1 = CHUNKBUF_BE; %}
%typemap(in) cb_order %{ $1 = cb_check_order(L, $input); %}

/* ---- results through out-parameters */
%typemap(in, numinputs=0) size_t *OUT (size_t temp = 0), uint64_t *OUT (uint64_t temp = 0),
                          uint32_t *OUT (uint32_t temp = 0), int *OUT (int temp = 0) %{ $1 = &temp; %}
%typemap(argout) size_t *OUT, uint64_t *OUT, uint32_t *OUT, int *OUT
  %{ lua_pushinteger(L, (lua_Integer)*$1); SWIG_arg++; %}
%typemap(in, numinputs=0) int *BOOL (int temp = 0) %{ $1 = &temp; %}
%typemap(argout) int *BOOL %{ lua_pushboolean(L, *$1); SWIG_arg++; %}

/* Copies out: malloc'd by the method, pushed as a Lua string, freed. */
%typemap(in, numinputs=0) cb_bytes *OUT (cb_bytes temp = {NULL, 0}) %{ $1 = &temp; %}
%typemap(argout) cb_bytes *OUT %{ lua_pushlstring(L, $1->data ? $1->data : "", $1->len); SWIG_arg++; %}
%typemap(freearg) cb_bytes *OUT %{ free($1->data); %}

/* Search results: first and last 1-based position, or nil. */
%typemap(in, numinputs=0) cb_match *OUT (cb_match temp = {CHUNKBUF_NPOS, 0}) %{ $1 = &temp; %}
%typemap(argout) cb_match *OUT
  %{ if ($1->pos == CHUNKBUF_NPOS) { lua_pushnil(L); SWIG_arg++; }
     else { lua_pushinteger(L, (lua_Integer)$1->pos + 1); lua_pushinteger(L, (lua_Integer)($1->pos + $1->len)); SWIG_arg += 2; } %}
