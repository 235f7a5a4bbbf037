/* C helpers shared by the typemaps and the methods of the Lua binding.
 * Included into the SWIG wrapper after the SWIG Lua runtime, so the
 * swig_lua_userdata and swig_type_info types are known here. */
#ifndef CHUNKBUF_LUA_SUPPORT_H
#define CHUNKBUF_LUA_SUPPORT_H

#include <chunkbuf.h>
#include <stdio.h> /* SEEK_* */
#include <stdlib.h>
#include <string.h>

/* A C status as the binding sees it: CHUNKBUF_OK, a CHUNKBUF_E* code, or
 * CB_EOF for reads that met the end of a stream. */
typedef int cb_status;
/* Like cb_status, but a success answers `true` (for calls whose "not yet"
 * answer is nil plus a reason and that have no result of their own). */
typedef int cb_done;
#define CB_EOF 1
/* malloc failed in the binding itself (chunkbuf_last_error() knows nothing). */
#define CB_ENOMEM (-1000)

/* The classes Pool, Buffer, View, Stream, Framer and Ring. SWIG names the C functions
 * behind a class's methods <class>_<method>, so the classes need names of
 * their own: chunkbuf_view_slice is the C API, cb_View_slice the method. */
typedef chunkbuf_pool cb_Pool;
typedef chunkbuf_buffer cb_Buffer;
typedef chunkbuf_view cb_View;
typedef chunkbuf_stream cb_Stream;
typedef chunkbuf_framer cb_Framer;
typedef chunkbuf_ring cb_Ring;

/* Argument and result types that select typemaps (declared to SWIG in
 * typemaps.i and stream.i); see there for what each one means. */
typedef int cb_ignored;
typedef int cb_pushed;
typedef int cb_flag;
typedef size_t cb_first;
typedef size_t cb_last;
typedef int cb_order;
typedef int cb_view_list;
typedef size_t cb_upto;
typedef int cb_whence;
typedef int cb_keep_eol;

/* The short name of a code, used as the error class in messages
 * ("chunkbuf.range: ...") and as the reason string after a nil. */
static const char *cb_code_name(int code) {
  switch (code) {
    case CHUNKBUF_EINVAL: return "inval";
    case CHUNKBUF_EHANDLE: return "handle";
    case CHUNKBUF_ENOMEM:
    case CB_ENOMEM: return "nomem";
    case CHUNKBUF_ELIMIT: return "limit";
    case CHUNKBUF_ESTATE: return "state";
    case CHUNKBUF_ENEEDMORE: return "needmore";
    case CHUNKBUF_ECLOSED: return "closed";
    case CHUNKBUF_EAGAIN: return "again";
    case CHUNKBUF_ETIMEDOUT: return "timedout";
    case CHUNKBUF_EABORTED: return "aborted";
    case CHUNKBUF_ERANGE: return "range";
    case CHUNKBUF_EIO: return "io";
    case CHUNKBUF_ENOTSUP: return "notsup";
    case CHUNKBUF_EVERSION: return "version";
    case CB_EOF: return "eof";
    default: return "error";
  }
}

/* Codes that are an ordinary answer ("not yet", "no more"), returned to
 * Lua as nil plus the code's name instead of raising. */
static int cb_is_soft(int code) {
  return code == CHUNKBUF_ENEEDMORE || code == CHUNKBUF_EAGAIN || code == CHUNKBUF_ETIMEDOUT || code == CB_EOF;
}

/* Pushes "chunkbuf.<class>: <detail>" with the C library's message. */
static void cb_push_error(lua_State *L, int code) {
  const char *detail = code == CB_ENOMEM ? "out of memory" : chunkbuf_last_error();
  if (detail[0] == '\0') detail = chunkbuf_strerror(code);
  lua_pushfstring(L, "chunkbuf.%s: %s", cb_code_name(code), detail);
}

/* The class name ("Buffer", ...) when the value at idx is an object of
 * a SWIG class, else NULL. Checked before SWIG looks inside a userdata,
 * since SWIG would read any other userdata (a file, ...) as its own. */
static const char *cb_class_of(lua_State *L, int idx) {
  const char *name = NULL;
  if (lua_type(L, idx) == LUA_TUSERDATA && lua_getmetatable(L, idx)) {
    lua_pushliteral(L, ".type");
    lua_rawget(L, -2);
    name = lua_tostring(L, -1); /* kept alive by the class metatable */
    lua_pop(L, 2);
  }
  return name;
}

/* The handle behind the value at idx when it is an object of the class of
 * `type`, else NULL; *is_object tells a freed object from another value. */
static void *cb_object_handle(lua_State *L, int idx, swig_type_info *type, int *is_object) {
  void *p = NULL;
  *is_object = cb_class_of(L, idx) != NULL && SWIG_IsOK(SWIG_ConvertPtr(L, idx, &p, type, 0));
  return p;
}

/* The live handle behind argument idx, which must be a chunkbuf object of
 * class cls; raises a Lua error otherwise. kill != 0 (an explicit
 * free/release) detaches the handle from the userdata first: __gc then
 * has nothing left to release, and any later use raises. */
static void *cb_check_object(lua_State *L, int idx, swig_type_info *type, const char *cls, int kill) {
  int is_object;
  void *p = cb_object_handle(L, idx, type, &is_object);
  if (!is_object) {
    const char *got = cb_class_of(L, idx);
    luaL_argerror(L, idx, lua_pushfstring(L, "chunkbuf.%s expected, got %s%s", cls, got ? "chunkbuf." : "",
                                          got ? got : luaL_typename(L, idx)));
  }
  if (p == NULL) {
    lua_pushfstring(L, "chunkbuf.handle: this chunkbuf.%s was already freed", cls);
    lua_error(L);
  }
  if (kill) {
    swig_lua_userdata *u = (swig_lua_userdata *)lua_touserdata(L, idx);
    u->own = 0;
    u->ptr = NULL;
  }
  return p;
}

/* The live handle behind the value at idx when it is a live chunkbuf
 * object of the class of `type`, else NULL (no error). */
static void *cb_test_object(lua_State *L, int idx, swig_type_info *type) {
  int is_object;
  return cb_object_handle(L, idx, type, &is_object);
}

/* SWIG checks the argument count first; say it the Lua way. func_name is
 * "cb_<Class>::<method>", "cb_<Class>::cb_<Class>" (a constructor) or
 * "<function>"; a method's count includes the object. */
static void cb_push_arity_error(lua_State *L, const char *func_name, int min, int max) {
  const char *colons = strstr(func_name, "::");
  const char *name = colons ? colons + 2 : func_name;
  int constructor = strncmp(name, "cb_", 3) == 0;
  const char *self = colons && !constructor ? " (the object included)" : "";
  if (constructor) name += 3;
  if (min == max)
    lua_pushfstring(L, "wrong number of arguments to '%s': %d expected%s, got %d", name, min, self, lua_gettop(L));
  else
    lua_pushfstring(L, "wrong number of arguments to '%s': %d to %d expected%s, got %d", name, min, max, self,
                    lua_gettop(L));
}
#undef SWIG_check_num_args
#define SWIG_check_num_args(func_name, a, b)        \
  if (lua_gettop(L) < (a) || lua_gettop(L) > (b)) { \
    cb_push_arity_error(L, func_name, a, b);        \
    goto fail;                                      \
  }

/* A size or count: a non-negative Lua integer. */
static size_t cb_check_size(lua_State *L, int idx) {
  lua_Integer v = luaL_checkinteger(L, idx);
  luaL_argcheck(L, v >= 0, idx, "size must not be negative");
  return (size_t)v;
}

/* A byte string: a Lua string (numbers are not silently converted). */
static const char *cb_check_bytes(lua_State *L, int idx, size_t *len) {
  luaL_checktype(L, idx, LUA_TSTRING);
  return lua_tolstring(L, idx, len);
}

/* A 32-bit id (tenant, kind). */
static uint32_t cb_check_u32(lua_State *L, int idx) {
  lua_Integer v = luaL_checkinteger(L, idx);
  luaL_argcheck(L, v >= 0 && v <= (lua_Integer)UINT32_MAX, idx, "expected an integer in 0..4294967295");
  return (uint32_t)v;
}

/* A timeout in seconds (nil: wait forever, 0: do not wait) as the C API's
 * milliseconds. */
static int64_t cb_opt_timeout(lua_State *L, int idx) {
  lua_Number s;
  if (lua_isnoneornil(L, idx)) return -1;
  s = luaL_checknumber(L, idx);
  luaL_argcheck(L, s >= 0 && s <= 1e12, idx, "timeout must be nil or 0 .. 1e12 seconds");
  return (int64_t)(s * 1000.0 + 0.999);
}

/* Options tables. With the table at idx and a key/value pair on top of
 * the stack (inside lua_next), these read the key and check the value. */
static const char *cb_option_key(lua_State *L, int idx) {
  if (lua_type(L, -2) != LUA_TSTRING)
    luaL_argerror(L, idx, lua_pushfstring(L, "option names are strings, got %s", luaL_typename(L, -2)));
  return lua_tostring(L, -2);
}

static void cb_unknown_option(lua_State *L, int idx, const char *key) {
  luaL_argerror(L, idx, lua_pushfstring(L, "unknown option '%s'", key));
}

static size_t cb_option_size(lua_State *L, int idx, const char *key) {
  if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 0)
    luaL_argerror(L, idx, lua_pushfstring(L, "option '%s' must be a non-negative integer", key));
  return (size_t)lua_tointeger(L, -1);
}

static uint32_t cb_option_u32(lua_State *L, int idx, const char *key) {
  size_t v = cb_option_size(L, idx, key);
  if (v > UINT32_MAX) luaL_argerror(L, idx, lua_pushfstring(L, "option '%s' must fit in 32 bits", key));
  return (uint32_t)v;
}

static void *cb_option_object(lua_State *L, int idx, swig_type_info *type, const char *cls) {
  void *p = cb_test_object(L, -1, type);
  if (!p) luaL_argerror(L, idx, lua_pushfstring(L, "option '%s' must be a live chunkbuf.%s", lua_tostring(L, -2), cls));
  return p;
}

/* Bytes copied out of chunkbuf for Lua: `data` is malloc'd (or NULL). */
typedef struct cb_bytes {
  char *data;
  size_t len;
} cb_bytes;

/* Copies bytes [offset, offset + n) of a view into out->data. */
static int cb_view_bytes(const chunkbuf_view *v, size_t offset, size_t n, cb_bytes *out) {
  size_t copied = 0;
  int rc;
  out->data = (char *)malloc(n ? n : 1);
  if (!out->data) return CB_ENOMEM;
  rc = chunkbuf_view_copy_out(v, offset, out->data, n, &copied);
  out->len = copied;
  return rc;
}

/* A search result: 0-based position (CHUNKBUF_NPOS: absent) and needle
 * length, pushed as the 1-based first and last position, like string.find. */
typedef struct cb_match {
  size_t pos;
  size_t len;
} cb_match;

/* The result of a batch take: one view holding n records. */
typedef struct cb_records {
  chunkbuf_view *batch;
  chunkbuf_record *recs;
  size_t n;
} cb_records;
typedef cb_records cb_line_strings;

static int cb_records_alloc(cb_records *r, size_t max_records) {
  r->recs = (chunkbuf_record *)malloc((max_records ? max_records : 1) * sizeof *r->recs);
  return r->recs ? CHUNKBUF_OK : CB_ENOMEM;
}

static chunkbuf_eol cb_check_eol(lua_State *L, int idx) {
  static const char *const names[] = {"any", "crlf", "crlf_strict", "lf", "nul", NULL};
  static const chunkbuf_eol styles[] = {CHUNKBUF_EOL_ANY, CHUNKBUF_EOL_CRLF, CHUNKBUF_EOL_CRLF_STRICT,
                                        CHUNKBUF_EOL_LF, CHUNKBUF_EOL_NUL};
  return styles[luaL_checkoption(L, idx, "crlf", names)];
}

static int cb_check_order(lua_State *L, int idx) {
  static const char *const names[] = {"be", "le", NULL};
  return luaL_checkoption(L, idx, "be", names) == 0 ? CHUNKBUF_BE : CHUNKBUF_LE;
}

#endif
