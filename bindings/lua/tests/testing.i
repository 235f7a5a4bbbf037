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
