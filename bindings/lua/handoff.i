/* Hand-off from a host: a C or C++ program that embeds Lua passes a
 * chunkbuf_stream * or chunkbuf_view * as a light userdata, and Lua wraps
 * it without copying, taking its own reference (released by free/release
 * or __gc). The host keeps its reference and releases it whenever it
 * likes: whoever lets go last frees the object.
 *
 *   local s = chunkbuf.Stream.from_handle(lud)   -- retains
 *   local v = chunkbuf.View.from_handle(lud)     -- retains
 *   host_function(s:handle())                    -- borrowed light userdata */

/* A light userdata argument (a host's pointer); nil or anything else is an
 * argument error. */
typedef void *cb_host_pointer;
%runtime %{
typedef void *cb_host_pointer; /* before the classes' code, which uses it */
%}
%typemap(in) cb_host_pointer
  %{ luaL_argcheck(L, lua_islightuserdata(L, $input), $input, "a light userdata (the host's pointer) expected");
     $1 = lua_touserdata(L, $input);
     luaL_argcheck(L, $1 != NULL, $input, "NULL pointer"); %}

%newobject cb_Stream::from_handle;
%newobject cb_View::from_handle;

%extend cb_Stream {
  /* chunkbuf.Stream.from_handle(lud): the host's stream, shared. */
  static cb_Stream *from_handle(cb_host_pointer LIGHTUSERDATA, lua_State *L) {
    int rc = chunkbuf_stream_retain((cb_Stream *)LIGHTUSERDATA);
    if (rc != CHUNKBUF_OK) {
      cb_push_error(L, rc);
      return NULL;
    }
    return (cb_Stream *)LIGHTUSERDATA;
  }
  /* The chunkbuf_stream * as a light userdata, borrowed: valid while this
   * object is (a host that keeps it calls chunkbuf_stream_retain). */
  cb_pushed handle(lua_State *L) {
    lua_pushlightuserdata(L, $self);
    return 1;
  }
}

%extend cb_View {
  /* chunkbuf.View.from_handle(lud): the host's view, shared. */
  static cb_View *from_handle(cb_host_pointer LIGHTUSERDATA, lua_State *L) {
    int rc = chunkbuf_view_retain((cb_View *)LIGHTUSERDATA);
    if (rc != CHUNKBUF_OK) {
      cb_push_error(L, rc);
      return NULL;
    }
    return (cb_View *)LIGHTUSERDATA;
  }
  /* The chunkbuf_view * as a light userdata, borrowed like Stream:handle. */
  cb_pushed handle(lua_State *L) {
    lua_pushlightuserdata(L, $self);
    return 1;
  }
}
