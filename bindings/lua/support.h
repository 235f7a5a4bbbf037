/* C helpers shared by the typemaps and the methods of the Lua binding.
 * Included into the SWIG wrapper after the SWIG Lua runtime, so the
 * swig_lua_userdata and swig_type_info types are known here. */
#ifndef CHUNKBUF_LUA_SUPPORT_H
#define CHUNKBUF_LUA_SUPPORT_H

#include <chunkbuf.h>
#include <limits.h>
#include <math.h> /* HUGE_VAL */
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
typedef int cb_policy;
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
    case CHUNKBUF_EFRAMELIMIT: return "framelimit";
    case CHUNKBUF_ENORESERVE: return "noreserve";
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
 * since SWIG would read any other userdata (a file, ...) as its own: so
 * the userdata must also have the size of SWIG's record, as one given a
 * class metatable through the debug library need not. */
static const char *cb_class_of(lua_State *L, int idx) {
  const char *name = NULL;
  if (lua_type(L, idx) == LUA_TUSERDATA && lua_rawlen(L, idx) == sizeof(swig_lua_userdata) &&
      lua_getmetatable(L, idx)) {
    lua_pushliteral(L, ".type");
    lua_rawget(L, -2);
    name = lua_tostring(L, -1); /* kept alive by the class metatable */
    lua_pop(L, 2);
  }
  return name;
}

/* Whether the full userdata at idx is SWIG's object record for `type`: the
 * debug library can give any userdata (a file, another module's object) a
 * class metatable, and its bytes must not be read as a record. */
static int cb_is_swig_record(lua_State *L, int idx, swig_type_info *type) {
  const swig_lua_userdata *u = (const swig_lua_userdata *)lua_touserdata(L, idx);
  return u && lua_rawlen(L, idx) == sizeof(swig_lua_userdata) && u->type == type;
}

/* Whether the value at idx has the class metatable of `type`. This is the
 * hot path of every method call. A method of the class (cb_bind_methods)
 * holds the metatable and the type as upvalues 1 and 2: one lookup and a
 * pointer compare. Anything else finds the metatable recorded under the
 * key `type` in the registry when the module was loaded
 * (cb_register_class), where the general check below interns a string and
 * compares type names with strcmp. A C function without upvalues reads
 * upvalue 2 as nil. */
static int cb_has_class_metatable(lua_State *L, int idx, swig_type_info *type) {
  int same = 0;
  /* Only a full userdata is an object: setmetatable(t, getmetatable(obj))
   * gives a table the class metatable. */
  if (lua_type(L, idx) != LUA_TUSERDATA) return 0;
  if (lua_touserdata(L, lua_upvalueindex(2)) == (void *)type && lua_type(L, lua_upvalueindex(2)) == LUA_TLIGHTUSERDATA) {
    if (lua_getmetatable(L, idx)) {
      same = lua_rawequal(L, -1, lua_upvalueindex(1));
      lua_pop(L, 1);
    }
    return same && cb_is_swig_record(L, idx, type);
  }
  if (lua_getmetatable(L, idx)) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, type);
    same = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
  }
  return same && cb_is_swig_record(L, idx, type);
}

/* The handle behind the value at idx when it is an object of the class of
 * `type`, else NULL; *is_object tells a freed object from another value. */
static void *cb_object_handle(lua_State *L, int idx, swig_type_info *type, int *is_object) {
  void *p = NULL;
  if (cb_has_class_metatable(L, idx, type)) {
    *is_object = 1;
    return ((swig_lua_userdata *)lua_touserdata(L, idx))->ptr;
  }
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

/* A new object of the class of `type` on the stack, holding ptr (NULL
 * until a C call fills u->ptr; __gc releases it only then): a userdata with
 * the class metatable from the registry (SWIG looks it up by class name). */
static swig_lua_userdata *cb_new_object(lua_State *L, void *ptr, swig_type_info *type, int own) {
  swig_lua_userdata *u = (swig_lua_userdata *)lua_newuserdatauv(L, sizeof *u, 0);
  u->ptr = ptr;
  u->type = type;
  u->own = own;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, type) == LUA_TTABLE) {
    lua_setmetatable(L, -2);
  } else {
    lua_pop(L, 1);
    SWIG_Lua_AddMetatable(L, type);
  }
  return u;
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

/* ---- methods written against the Lua API, without SWIG's marshalling:
 * the per-line calls (take_line, read_line, View __tostring), where SWIG's
 * argument checks and object construction cost as much as the work.
 *
 * Each is installed into its class's method table (and, for a name
 * starting with "__", into the metatable) by cb_install_methods when the
 * module loads, as a closure over three upvalues: the class metatable and
 * its type (cb_check_self knows `self` by its record; its fallback,
 * cb_check_object, by one metatable compare, as for SWIG's methods after
 * cb_bind_methods) and the View metatable (for methods that hand out
 * Views: cb_new_view in view.i). */
typedef struct cb_method {
  const char *cls;
  const char *name;
  lua_CFunction fn;
  swig_type_info **type;
} cb_method;
#define CB_METHOD(CLS, NAME, FN) {#CLS, #NAME, FN, &SWIGTYPE_p_cb_##CLS}
#define CB_VIEW_METATABLE lua_upvalueindex(3)

static void cb_install_methods(lua_State *L, const cb_method *m, size_t n) {
  size_t i;
  for (i = 0; i < n; ++i) {
    SWIG_Lua_get_class_metatable(L, m[i].cls);
    lua_getfield(L, -1, ".fn");
    lua_pushvalue(L, -2);
    lua_pushlightuserdata(L, *m[i].type);
    SWIG_Lua_get_class_metatable(L, "View");
    lua_pushcclosure(L, m[i].fn, 3);
    if (strncmp(m[i].name, "__", 2) == 0) {
      lua_pushvalue(L, -1);
      lua_setfield(L, -4, m[i].name);
    }
    lua_setfield(L, -2, m[i].name);
    lua_pop(L, 2);
  }
}

/* `self` (argument 1) of a method of cb_install_methods as the object's
 * userdata once it is known to be a live object of the class (u->ptr is
 * its handle). This runs on every line of a line loop, twice for
 * take_line + tostring, so the common case costs two API calls instead of
 * a metatable compare's five: a full userdata of exactly the size of
 * SWIG's object record (lua_rawlen is 0 for a light userdata, and
 * lua_touserdata NULL for a string or table of that length) whose record
 * names this class's type. Only C code writes a userdata's bytes, so that
 * identifies an object as surely as its metatable (an object whose
 * metatable a script swapped is still the object). Anything else gets
 * cb_check_object's checks and error messages. */
static const swig_lua_userdata *cb_check_self(lua_State *L, swig_type_info *type, const char *cls) {
  if (cb_is_swig_record(L, 1, type)) {
    const swig_lua_userdata *u = (const swig_lua_userdata *)lua_touserdata(L, 1);
    if (u->ptr) return u;
  }
  cb_check_object(L, 1, type, cls, 0);
  return (const swig_lua_userdata *)lua_touserdata(L, 1);
}

/* The handle of the object at idx (a live object of class cls when the
 * method checked it), read again after the method made a Lua allocation:
 * the collection step an allocation may run can call a finalizer that
 * frees the object. Raises when one did. */
static void *cb_live_handle(lua_State *L, const swig_lua_userdata *u, const char *cls) {
  if (!u->ptr) {
    lua_pushfstring(L, "chunkbuf.handle: this chunkbuf.%s was already freed", cls);
    lua_error(L);
  }
  return u->ptr;
}

static void *cb_handle_again(lua_State *L, int idx, const char *cls) {
  return cb_live_handle(L, (const swig_lua_userdata *)lua_touserdata(L, idx), cls);
}

/* Raises SWIG's "wrong number of arguments" error for a method of
 * cb_install_methods when more than max arguments (the object included)
 * were passed; fewer are caught by the checks of the missing ones. */
static void cb_check_arity(lua_State *L, const char *func_name, int max) {
  if (lua_gettop(L) > max) {
    cb_push_arity_error(L, func_name, 1, max);
    lua_error(L);
  }
}

/* A size or count: a non-negative Lua integer. */
static size_t cb_check_size(lua_State *L, int idx) {
  lua_Integer v = luaL_checkinteger(L, idx);
  luaL_argcheck(L, v >= 0, idx, "size must not be negative");
  return (size_t)v;
}

/* An optional limit (max_len of the line methods): nil or absent is no
 * limit (0). */
static size_t cb_opt_max_len(lua_State *L, int idx) { return lua_isnoneornil(L, idx) ? 0 : cb_check_size(L, idx); }

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

/* How long a blocking stream call waits when it is given no timeout, in
 * milliseconds (-1: forever). A Lua state cannot run code while one of its
 * calls blocks in C, so nothing in Lua could interrupt a read that no
 * writer will ever satisfy: by default such a call times out instead (see
 * chunkbuf.default_timeout). One value per process. */
#define CB_DEFAULT_TIMEOUT_MS 30000
static int64_t cb_default_timeout_ms = CB_DEFAULT_TIMEOUT_MS;

/* A timeout in seconds as the C API's milliseconds: nil means the default
 * timeout, math.huge forever, 0 do not wait. */
static int64_t cb_timeout_ms(lua_State *L, int idx) {
  lua_Number s = luaL_checknumber(L, idx);
  if (s == HUGE_VAL) return -1;
  luaL_argcheck(L, s >= 0 && s <= 1e12, idx, "timeout must be nil, 0 .. 1e12 seconds or math.huge");
  return (int64_t)(s * 1000.0 + 0.999);
}

static int64_t cb_opt_timeout(lua_State *L, int idx) {
  if (lua_isnoneornil(L, idx)) return cb_default_timeout_ms;
  return cb_timeout_ms(L, idx);
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

/* The most records one batch call returns: the max_records typemap cuts
 * larger counts to this, which bounds the records array (1.5 MiB) and
 * keeps its size from overflowing. */
#define CB_MAX_RECORDS ((size_t)1 << 16)

/* ---- Lua strings straight from chunkbuf memory. A line is pushed with one
 * lua_pushlstring from the segment that holds it; only a line that
 * straddles segments is assembled (in a luaL_Buffer). No malloc, no
 * intermediate copy. */

/* A forward-only cursor over the segments of a view or a buffer: iov[idx]
 * starts at byte `base` of the whole. */
typedef struct cb_seg_cursor {
  const struct iovec *iov;
  size_t n;
  size_t idx;
  size_t base;
} cb_seg_cursor;

/* Pushes bytes [off, off + len) as one Lua string. Offsets must not go
 * backwards between calls on the same cursor. */
static void cb_push_span(lua_State *L, cb_seg_cursor *c, size_t off, size_t len) {
  const struct iovec *iov = c->iov;
  size_t in, done = 0, i;
  luaL_Buffer b;
  char *p;
  if (len == 0) {
    lua_pushliteral(L, "");
    return;
  }
  while (c->idx < c->n && c->base + iov[c->idx].iov_len <= off) c->base += iov[c->idx++].iov_len;
  if (c->idx >= c->n || off < c->base) luaL_error(L, "chunkbuf.state: a record lies outside its segments");
  in = off - c->base;
  if (in + len <= iov[c->idx].iov_len) {
    lua_pushlstring(L, (const char *)iov[c->idx].iov_base + in, len);
    return;
  }
  p = luaL_buffinitsize(L, &b, len);
  for (i = c->idx; done < len; ++i, in = 0) {
    size_t take;
    if (i >= c->n) luaL_error(L, "chunkbuf.state: a record lies outside its segments");
    take = iov[i].iov_len - in < len - done ? iov[i].iov_len - in : len - done;
    memcpy(p + done, (const char *)iov[i].iov_base + in, take);
    done += take;
  }
  luaL_pushresultsize(&b, len);
}

/* The segments of a view as iovecs: in `local` (nlocal entries) when they
 * fit, else in a userdata pushed on the stack (*pushed = 1; the caller
 * removes it). Raises on a C error. */
static const struct iovec *cb_view_iov(lua_State *L, const chunkbuf_view *v, struct iovec *local, size_t nlocal,
                                       size_t *n, int *pushed) {
  struct iovec *iov = local;
  size_t count = 0;
  int rc = chunkbuf_view_segment_count(v, &count);
  *pushed = 0;
  if (rc == CHUNKBUF_OK && count > nlocal) {
    iov = (struct iovec *)lua_newuserdatauv(L, count * sizeof *iov, 0);
    *pushed = 1;
  }
  if (rc == CHUNKBUF_OK) rc = chunkbuf_view_segments(v, 0, iov, count, n);
  if (rc != CHUNKBUF_OK) {
    cb_push_error(L, rc);
    lua_error(L);
  }
  return iov;
}

/* Pushes a table of the n records of a batch view as Lua strings, each
 * with its delimiter when keep_delim. */
static void cb_push_record_strings(lua_State *L, const chunkbuf_view *batch, const chunkbuf_record *recs, size_t n,
                                   int keep_delim) {
  struct iovec local[32];
  cb_seg_cursor c = {local, 0, 0, 0};
  int pushed = 0;
  size_t i;
  if (n > 0) c.iov = cb_view_iov(L, batch, local, sizeof local / sizeof *local, &c.n, &pushed);
  lua_createtable(L, n < INT_MAX ? (int)n : INT_MAX, 0);
  for (i = 0; i < n; ++i) {
    cb_push_span(L, &c, recs[i].offset, recs[i].length + (keep_delim ? recs[i].delim_length : 0));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  if (pushed) lua_remove(L, -2);
}

/* Pushes all the bytes of a view as one Lua string: with one C call for a
 * view of one segment (every taken line is one), else segment by segment. */
static void cb_push_view_string(lua_State *L, const chunkbuf_view *v) {
  struct iovec local[8];
  cb_seg_cursor c = {local, 0, 0, 0};
  int pushed = 0;
  size_t len = 0;
  const void *data = NULL;
  if (chunkbuf_view_data(v, &data, &len) == CHUNKBUF_OK) {
    lua_pushlstring(L, len ? (const char *)data : "", len);
    return;
  }
  chunkbuf_view_len(v, &len);
  if (len > 0) c.iov = cb_view_iov(L, v, local, sizeof local / sizeof *local, &c.n, &pushed);
  cb_push_span(L, &c, 0, len);
  if (pushed) lua_remove(L, -2);
}

/* A view owned by the Lua state while C code turns it into strings: a
 * userdata slot whose __gc releases what it holds, so a Lua error (out of
 * memory in lua_pushlstring, say) cannot leak the view. Get the slot
 * before the C call that fills it, and release it (cb_guard_release)
 * once the strings are pushed. One slot per Lua state is kept in the
 * registry and reused; a call that finds it busy (a finalizer that runs
 * during an allocation and itself reads lines) gets a fresh one, left on
 * the stack (*pushed = 1; the caller removes it). */
static int cb_guard_gc(lua_State *L) {
  chunkbuf_view **slot = (chunkbuf_view **)lua_touserdata(L, 1);
  if (slot && *slot) {
    chunkbuf_view_release(*slot);
    *slot = NULL;
  }
  return 0;
}

static const char cb_guard_key = 0; /* its address is the registry key */

static chunkbuf_view **cb_guard_new(lua_State *L) {
  chunkbuf_view **slot = (chunkbuf_view **)lua_newuserdatauv(L, sizeof *slot, 0);
  *slot = NULL;
  if (luaL_newmetatable(L, "chunkbuf.view_guard")) {
    lua_pushcfunction(L, cb_guard_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return slot;
}

static chunkbuf_view **cb_guard_get(lua_State *L, int *pushed) {
  chunkbuf_view **slot;
  *pushed = 0;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &cb_guard_key) == LUA_TUSERDATA) {
    slot = (chunkbuf_view **)lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (*slot == NULL) return slot;
  } else {
    lua_pop(L, 1);
    slot = cb_guard_new(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &cb_guard_key);
    return slot;
  }
  *pushed = 1;
  return cb_guard_new(L);
}

static void cb_guard_release(chunkbuf_view **slot) {
  chunkbuf_view_release(*slot);
  *slot = NULL;
}

/* Pushes a table of the n records of a batch view as Views (zero-copy
 * slices). Each userdata exists before the slice that fills it. */
static void cb_push_record_views(lua_State *L, const chunkbuf_view *batch, const chunkbuf_record *recs, size_t n,
                                 swig_type_info *view_type) {
  size_t i;
  lua_createtable(L, n < INT_MAX ? (int)n : INT_MAX, 0);
  for (i = 0; i < n; ++i) {
    swig_lua_userdata *u = cb_new_object(L, NULL, view_type, 1);
    chunkbuf_view *v = NULL;
    int rc = chunkbuf_view_slice(batch, recs[i].offset, recs[i].offset + recs[i].length, &v);
    if (rc != CHUNKBUF_OK) {
      cb_push_error(L, rc);
      lua_error(L);
    }
    u->ptr = v;
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* A batch call (take_lines, take_records, next_batch, readlines, read_lines):
 *
 *   cb_batch bt;
 *   cb_batch_begin(L, &bt, max_records);
 *   rc = chunkbuf_..._take_lines(..., bt.recs, max_records, &bt.n, bt.slot);
 *   return cb_batch_end(L, &bt, rc, CB_AS_STRINGS, NULL);
 *
 * The records go to the C stack (up to CB_BATCH_LOCAL of them) or to a
 * userdata, the batch view to a guard slot: nothing is malloc'd and
 * nothing leaks when pushing the results raises. */
#define CB_BATCH_LOCAL 256
typedef struct cb_batch {
  chunkbuf_record local[CB_BATCH_LOCAL];
  chunkbuf_record *recs;
  chunkbuf_view **slot;
  size_t n;
  int pushed; /* values cb_batch_begin left on the stack */
} cb_batch;

enum { CB_AS_VIEWS, CB_AS_STRINGS, CB_AS_STRINGS_WITH_DELIM };

static void cb_batch_begin(lua_State *L, cb_batch *bt, size_t max_records) {
  int fresh = 0;
  bt->n = 0;
  bt->pushed = 0;
  bt->recs = bt->local;
  if (max_records > CB_BATCH_LOCAL) { /* <= CB_MAX_RECORDS: the typemap cuts it */
    bt->recs = (chunkbuf_record *)lua_newuserdatauv(L, max_records * sizeof *bt->recs, 0);
    bt->pushed++;
  }
  bt->slot = cb_guard_get(L, &fresh);
  bt->pushed += fresh;
}

/* Ends a batch call with the C status rc: pushes the table and returns 1,
 * or nil plus the reason for a soft status (returns 2), or raises. */
static int cb_batch_end(lua_State *L, cb_batch *bt, int rc, int as, swig_type_info *view_type) {
  int nres = 1, i;
  if (rc != CHUNKBUF_OK) {
    cb_guard_release(bt->slot);
    if (!cb_is_soft(rc)) {
      cb_push_error(L, rc);
      return lua_error(L);
    }
    lua_pushnil(L);
    lua_pushstring(L, cb_code_name(rc));
    nres = 2;
  } else {
    if (as == CB_AS_VIEWS) cb_push_record_views(L, *bt->slot, bt->recs, bt->n, view_type);
    else cb_push_record_strings(L, *bt->slot, bt->recs, bt->n, as == CB_AS_STRINGS_WITH_DELIM);
    cb_guard_release(bt->slot);
  }
  for (i = 0; i < bt->pushed; ++i) lua_remove(L, -(nres + 1));
  return nres;
}

/* luaL_checkoption for a name that must match whole: luaL_checkoption
 * compares C strings, so "lf\0junk" would pass as "lf". */
static int cb_check_option(lua_State *L, int idx, const char *def, const char *const names[]) {
  size_t n = 0;
  const char *s = lua_type(L, idx) == LUA_TSTRING ? lua_tolstring(L, idx, &n) : NULL;
  if (s && strlen(s) != n) return luaL_argerror(L, idx, lua_pushfstring(L, "invalid option '%s'", s));
  return luaL_checkoption(L, idx, def, names);
}

static chunkbuf_eol cb_check_eol(lua_State *L, int idx) {
  static const char *const names[] = {"any", "crlf", "crlf_strict", "lf", "nul", NULL};
  static const chunkbuf_eol styles[] = {CHUNKBUF_EOL_ANY, CHUNKBUF_EOL_CRLF, CHUNKBUF_EOL_CRLF_STRICT,
                                        CHUNKBUF_EOL_LF, CHUNKBUF_EOL_NUL};
  /* The common names without luaL_checkoption's strcmp loop (this is on
   * the per-line path of read_line and take_line); anything else, and
   * the error message, from cb_check_option. */
  if (lua_type(L, idx) == LUA_TSTRING) {
    size_t n = 0;
    const char *s = lua_tolstring(L, idx, &n);
    if (n == 2 && memcmp(s, "lf", 2) == 0) return CHUNKBUF_EOL_LF;
    if (n == 4 && memcmp(s, "crlf", 4) == 0) return CHUNKBUF_EOL_CRLF;
    if (n == 3 && memcmp(s, "nul", 3) == 0) return CHUNKBUF_EOL_NUL;
  }
  return styles[cb_check_option(L, idx, "crlf", names)];
}

static int cb_check_order(lua_State *L, int idx) {
  static const char *const names[] = {"be", "le", NULL};
  return cb_check_option(L, idx, "be", names) == 0 ? CHUNKBUF_BE : CHUNKBUF_LE;
}

/* A file-like read policy by name; the names' order is the CHUNKBUF_SHORT_*
 * values' (raise 0, return_partial 1, block 2). */
static int cb_check_policy(lua_State *L, int idx) {
  static const char *const names[] = {"raise", "return_partial", "block", NULL};
  return cb_check_option(L, idx, "return_partial", names);
}

#endif
