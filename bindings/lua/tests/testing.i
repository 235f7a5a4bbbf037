/* chunkbuf_testing: a test-only Lua module with a writer thread, so the
 * Lua tests can block in Stream reads while another thread writes.
 *
 *   local w = testing.write_later(stream, {"a", "b\n"}, 0.05, "close")
 *   ... blocking reads on stream ...
 *   assert(w:join() == 2)   -- chunks written before the thread stopped
 *
 * The thread writes each chunk after sleeping `delay` seconds, sleeps once
 * more and then closes
 * the stream ("close", the default), aborts it with code 42 ("abort") or
 * leaves it open ("none"). The stream must stay alive until join() (a
 * Writer joins its thread when collected, too).
 *
 *   local r, w = testing.pipe()   -- non-blocking descriptors for the
 *   testing.close(w)              -- read_from_fd and write_to_fd tests */
%module chunkbuf_testing

%import "chunkbuf.i"

%runtime %{
#include "support.h"
%}

%{
#include <pthread.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

typedef struct cb_writer {
  pthread_t thread;
  int joined;
  cb_Stream *stream;
  char **chunks;
  size_t *lens;
  size_t n;
  long delay_ns;
  int finish; /* 0 none, 1 close, 2 abort */
  size_t written;
} cb_writer;

static void *cb_writer_main(void *arg) {
  cb_writer *w = (cb_writer *)arg;
  struct timespec ts;
  size_t i;
  ts.tv_sec = w->delay_ns / 1000000000L;
  ts.tv_nsec = w->delay_ns % 1000000000L;
  for (i = 0; i < w->n; ++i) {
    nanosleep(&ts, NULL);
    if (chunkbuf_stream_write(w->stream, w->chunks[i], w->lens[i], -1) != CHUNKBUF_OK) break;
    w->written++;
  }
  nanosleep(&ts, NULL);
  if (w->finish == 1) chunkbuf_stream_close(w->stream);
  if (w->finish == 2) chunkbuf_stream_abort(w->stream, 42);
  return NULL;
}

static void cb_writer_wait(cb_writer *w) {
  if (!w->joined) pthread_join(w->thread, NULL);
  w->joined = 1;
}

static void cb_writer_destroy(cb_writer *w) {
  size_t i;
  for (i = 0; w->chunks && i < w->n; ++i) free(w->chunks[i]);
  free(w->chunks);
  free(w->lens);
  free(w);
}
%}

/* The chunks: the stack index of a Lua array of strings. */
typedef int cb_chunks;
%{
typedef int cb_chunks;
%}
%typemap(in) cb_chunks
  %{ { lua_Integer i_, n_;
       luaL_checktype(L, $input, LUA_TTABLE);
       n_ = (lua_Integer)lua_rawlen(L, $input);
       for (i_ = 1; i_ <= n_; ++i_) {
         if (lua_rawgeti(L, $input, i_) != LUA_TSTRING) luaL_argerror(L, $input, "chunks must be strings");
         lua_pop(L, 1);
       }
       $1 = $input; } %}
%typemap(in) double delay %{ $1 = luaL_checknumber(L, $input); luaL_argcheck(L, $1 >= 0 && $1 < 60, $input, "delay in 0..60 s"); %}
typedef int cb_finish;
%{
typedef int cb_finish;
%}
%typemap(default) cb_finish %{ $1 = 1; %}
%typemap(in) cb_finish
  %{ { static const char *const names_[] = {"none", "close", "abort", NULL}; $1 = luaL_checkoption(L, $input, "close", names_); } %}

%rename(Writer) cb_writer;
struct cb_writer {};
%extend cb_writer {
  ~cb_writer() {
    cb_writer_wait($self);
    cb_writer_destroy($self);
  }
  /* Waits for the thread; returns how many chunks it wrote. */
  size_t join() {
    cb_writer_wait($self);
    return $self->written;
  }
}

%newobject write_later;
%inline %{
/* Returns code through the binding's status translation: raises
 * "chunkbuf.<class>: ..." or returns nil plus the reason of a soft code,
 * as every method does (the conformance status table checks it). */
static cb_status status_of(int code) { return code; }

static cb_writer *write_later(cb_Stream *stream, cb_chunks chunks, double delay, cb_finish finish, lua_State *L) {
  size_t i, n = (size_t)lua_rawlen(L, chunks);
  cb_writer *w = (cb_writer *)calloc(1, sizeof *w);
  if (!w) {
    luaL_error(L, "out of memory");
    return NULL;
  }
  w->stream = stream;
  w->n = n;
  w->delay_ns = (long)(delay * 1e9);
  w->finish = finish;
  w->chunks = (char **)calloc(n ? n : 1, sizeof *w->chunks);
  w->lens = (size_t *)calloc(n ? n : 1, sizeof *w->lens);
  for (i = 0; w->chunks && w->lens && i < n; ++i) {
    size_t len = 0;
    const char *chunk;
    lua_rawgeti(L, chunks, (lua_Integer)i + 1);
    chunk = lua_tolstring(L, -1, &len);
    w->chunks[i] = (char *)malloc(len ? len : 1);
    if (w->chunks[i]) memcpy(w->chunks[i], chunk, len);
    w->lens[i] = len;
    lua_pop(L, 1);
    if (!w->chunks[i]) break;
  }
  if (!w->chunks || !w->lens || i < n || pthread_create(&w->thread, NULL, cb_writer_main, w) != 0) {
    w->joined = 1;
    cb_writer_destroy(w);
    luaL_error(L, "cannot start the writer thread");
    return NULL;
  }
  return w;
}
%}

%native(pipe) int cb_pipe(lua_State *L);
%native(close) int cb_close(lua_State *L);
%{
static int cb_pipe(lua_State *L) {
  int fds[2];
  if (pipe(fds) != 0) return luaL_error(L, "pipe failed");
  fcntl(fds[0], F_SETFL, O_NONBLOCK);
  fcntl(fds[1], F_SETFL, O_NONBLOCK);
  lua_pushinteger(L, fds[0]);
  lua_pushinteger(L, fds[1]);
  return 2;
}

static int cb_close(lua_State *L) {
  lua_pushboolean(L, close((int)luaL_checkinteger(L, 1)) == 0);
  return 1;
}
%}

/* A C host for the hand-off tests: it makes streams and views through the
 * C API and passes them to Lua as light userdata, as an embedding program
 * does, and runs host threads that block in C or let go while Lua waits.
 *
 *   local lud = testing.host_stream()          -- the host's reference
 *   local s = chunkbuf.Stream.from_handle(lud) -- Lua's own reference
 *   local id = testing.host_serve(lud, "data") -- a host thread: once a
 *     reader is blocked, drop the host's reference, write, close
 *   local id = testing.host_read(lud, n)       -- a host thread blocked in read
 *   local rc, data, blocked = testing.host_join(id)
 *   testing.waiting(lud) -> blocked readers, blocked writers */
%native(host_stream) int cb_host_stream(lua_State *L);
%native(host_release) int cb_host_release(lua_State *L);
%native(host_write) int cb_host_write(lua_State *L);
%native(waiting) int cb_host_waiting(lua_State *L);
%native(host_serve) int cb_host_serve(lua_State *L);
%native(host_read) int cb_host_read(lua_State *L);
%native(host_join) int cb_host_join(lua_State *L);
%native(host_view) int cb_host_view(lua_State *L);
%native(host_view_release) int cb_host_view_release(lua_State *L);
%native(host_view_bytes) int cb_host_view_bytes(lua_State *L);
%{
#include <sched.h>

typedef struct cb_host_job {
  pthread_t thread;
  int used, serve;
  chunkbuf_stream *s;
  char data[64];
  size_t len;
  int rc;
  int blocked; /* serve: the reader was still blocked after the host let go */
} cb_host_job;
static cb_host_job cb_host_jobs[16];

static chunkbuf_stream *cb_host_arg(lua_State *L, int idx) {
  luaL_argcheck(L, lua_islightuserdata(L, idx), idx, "light userdata expected");
  return (chunkbuf_stream *)lua_touserdata(L, idx);
}

/* Waits (10 s at most) until `readers` calls are blocked reading s. */
static int cb_host_wait_readers(chunkbuf_stream *s, size_t readers) {
  struct timespec t0, now;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (;;) { /* bounded by the deadline */
    size_t r = 0, w = 0;
    if (chunkbuf_stream_waiting(s, &r, &w) != CHUNKBUF_OK) return 0;
    if (r == readers) return 1;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - t0.tv_sec > 10) return 0;
    sched_yield();
  }
}

static void *cb_host_main(void *arg) {
  cb_host_job *j = (cb_host_job *)arg;
  if (j->serve) {
    /* This thread holds a writer's reference of its own (taken before it
     * started); the host's goes while the Lua reader waits. */
    j->rc = cb_host_wait_readers(j->s, 1) ? CHUNKBUF_OK : CHUNKBUF_ETIMEDOUT;
    chunkbuf_stream_release(j->s);
    j->blocked = cb_host_wait_readers(j->s, 1);
    if (j->rc == CHUNKBUF_OK) j->rc = chunkbuf_stream_write(j->s, j->data, j->len, -1);
    if (j->rc == CHUNKBUF_OK) j->rc = chunkbuf_stream_close(j->s);
    chunkbuf_stream_release(j->s);
  } else {
    j->rc = chunkbuf_stream_read(j->s, j->data, j->len, -1, &j->len);
  }
  return NULL;
}

static int cb_host_start(lua_State *L, int serve) {
  int id;
  cb_host_job *j = NULL;
  for (id = 0; id < 16 && cb_host_jobs[id].used; ++id) {}
  if (id == 16) return luaL_error(L, "too many host threads");
  j = &cb_host_jobs[id];
  memset(j, 0, sizeof *j);
  j->used = 1;
  j->serve = serve;
  j->s = cb_host_arg(L, 1);
  if (serve) {
    const char *d = luaL_checklstring(L, 2, &j->len);
    luaL_argcheck(L, j->len <= sizeof j->data, 2, "at most 64 bytes");
    memcpy(j->data, d, j->len);
    if (chunkbuf_stream_retain(j->s) != CHUNKBUF_OK) return luaL_error(L, "retain failed");
  } else {
    j->len = (size_t)luaL_checkinteger(L, 2);
    luaL_argcheck(L, j->len <= sizeof j->data, 2, "at most 64 bytes");
  }
  if (pthread_create(&j->thread, NULL, cb_host_main, j) != 0) {
    j->used = 0;
    return luaL_error(L, "cannot start a host thread");
  }
  lua_pushinteger(L, id);
  return 1;
}

static int cb_host_serve(lua_State *L) { return cb_host_start(L, 1); }
static int cb_host_read(lua_State *L) { return cb_host_start(L, 0); }

/* rc, the bytes read (reader) and whether the reader stayed blocked (serve). */
static int cb_host_join(lua_State *L) {
  lua_Integer id = luaL_checkinteger(L, 1);
  cb_host_job *j;
  luaL_argcheck(L, id >= 0 && id < 16 && cb_host_jobs[id].used, 1, "no such host thread");
  j = &cb_host_jobs[id];
  pthread_join(j->thread, NULL);
  j->used = 0;
  lua_pushinteger(L, j->rc);
  lua_pushlstring(L, j->serve ? "" : j->data, j->serve ? 0 : j->len);
  lua_pushboolean(L, j->blocked);
  return 3;
}

static int cb_host_stream(lua_State *L) {
  chunkbuf_stream_options o = CHUNKBUF_STREAM_OPTIONS_INIT;
  chunkbuf_stream *s = NULL;
  o.retain = lua_toboolean(L, 1);
  if (chunkbuf_stream_new(&o, &s) != CHUNKBUF_OK) return luaL_error(L, "chunkbuf_stream_new failed");
  lua_pushlightuserdata(L, s);
  return 1;
}

static int cb_host_release(lua_State *L) {
  chunkbuf_stream_release(cb_host_arg(L, 1));
  return 0;
}

static int cb_host_write(lua_State *L) {
  size_t len = 0;
  const char *d = luaL_checklstring(L, 2, &len);
  lua_pushinteger(L, chunkbuf_stream_write(cb_host_arg(L, 1), d, len, 0));
  return 1;
}

static int cb_host_waiting(lua_State *L) {
  size_t r = 0, w = 0;
  if (chunkbuf_stream_waiting(cb_host_arg(L, 1), &r, &w) != CHUNKBUF_OK) return luaL_error(L, "waiting failed");
  lua_pushinteger(L, (lua_Integer)r);
  lua_pushinteger(L, (lua_Integer)w);
  return 2;
}

static int cb_host_view(lua_State *L) {
  size_t len = 0;
  const char *d = luaL_checklstring(L, 1, &len);
  chunkbuf_view *v = NULL;
  if (chunkbuf_view_from_bytes(NULL, d, len, &v) != CHUNKBUF_OK) return luaL_error(L, "view_from_bytes failed");
  lua_pushlightuserdata(L, v);
  return 1;
}

static int cb_host_view_release(lua_State *L) {
  luaL_argcheck(L, lua_islightuserdata(L, 1), 1, "light userdata expected");
  chunkbuf_view_release((chunkbuf_view *)lua_touserdata(L, 1));
  return 0;
}

static int cb_host_view_bytes(lua_State *L) {
  chunkbuf_view *v;
  size_t len = 0, got = 0;
  char *buf;
  luaL_argcheck(L, lua_islightuserdata(L, 1), 1, "light userdata expected");
  v = (chunkbuf_view *)lua_touserdata(L, 1);
  chunkbuf_view_len(v, &len);
  buf = (char *)malloc(len ? len : 1);
  if (!buf) return luaL_error(L, "out of memory");
  chunkbuf_view_copy_out(v, 0, buf, len, &got);
  lua_pushlstring(L, buf, got);
  free(buf);
  return 1;
}
%}
