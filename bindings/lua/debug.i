/* Leak tracking: chunkbuf.debug_track(on), chunkbuf.debug_report([pool]). */

%native(debug_report) int cb_debug_report(lua_State *L);
%{
/* Appends each report line to the table on top of the stack (the report
 * runs during the call, on this thread). */
static void cb_report_line(const char *line, void *user_data) {
  lua_State *L = (lua_State *)user_data;
  lua_pushstring(L, line);
  lua_rawseti(L, -2, (lua_Integer)luaL_len(L, -2) + 1);
}

/* chunkbuf.debug_report([pool]) -> a table of lines, one per live tracked
 * block or view of pool (nil: of every pool). */
static int cb_debug_report(lua_State *L) {
  chunkbuf_pool *pool = NULL;
  int rc;
  if (!lua_isnoneornil(L, 1)) {
    pool = (chunkbuf_pool *)cb_test_object(L, 1, SWIGTYPE_p_cb_Pool);
    if (!pool) return luaL_argerror(L, 1, "a live chunkbuf.Pool expected");
  }
  lua_newtable(L);
  rc = chunkbuf_debug_report(pool, cb_report_line, L, NULL);
  if (rc != CHUNKBUF_OK) {
    cb_push_error(L, rc);
    return lua_error(L);
  }
  return 1;
}
%}

%inline %{
/* chunkbuf.debug_track(on): record the creating stack of every block and
 * view made from now on (also on with CHUNKBUF_TRACK_LEAKS=1). */
static cb_status debug_track(cb_flag on) { return chunkbuf_debug_track(on); }
%}
