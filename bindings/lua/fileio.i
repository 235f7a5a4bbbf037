/* chunkbuf.file(obj [, policy [, timeout]]): a file-like object over a
 * Buffer or a Stream (the streambufs design's adapters), in the shape of
 * Lua's io files: f:read(n | "a" | "l"), f:lines(), f:write(...),
 * f:close(). policy says what f:read(n) does when fewer than n bytes are
 * there: "raise" raises "chunkbuf.needmore: ..." (nothing consumed),
 * "return_partial" (default) returns what is there (nil, "again" from a
 * Stream with nothing yet), "block" waits on a Stream for n bytes or EOF
 * (timeout in seconds: nil, "timedout"). The policy itself is applied by
 * libchunkbuf (Buffer:read_policy, Stream:read_policy); this object only
 * gives it io's shape. At end of file read returns nil. */
%{
static const char cb_file_lua[] =
  "local buffer_class, stream_class = ...\n"
  "local policies = {raise = true, return_partial = true, block = true}\n"
  "local File = {}\n"
  "File.__index = File\n"
  "local function read_n(self, n)\n"
  "  if self.closed then error('chunkbuf.closed: the file is closed', 3) end\n"
  "  local obj, s, why = self.obj\n"
  "  if self.stream then s, why = obj:read_policy(n, self.policy, self.timeout)\n"
  "  else s, why = obj:read_policy(n, self.policy) end\n"
  "  if s then return s end\n"
  "  if why == 'needmore' and self.policy == 'raise' then\n"
  "    error('chunkbuf.needmore: fewer than ' .. n .. ' bytes are there', 3)\n"
  "  end\n"
  "  if why == 'eof' then return nil end\n"
  "  return nil, why\n"
  "end\n"
  "function File:read(fmt)\n"
  "  fmt = fmt or 'l'\n"
  "  if math.type(fmt) == 'integer' then return read_n(self, fmt) end\n"
  "  if fmt == 'a' then\n"
  "    local parts = {}\n"
  "    while true do\n"
  "      local s = read_n(self, self.stream and 65536 or math.max(#self.obj, 1))\n"
  "      if not s or s == '' then break end\n"
  "      parts[#parts + 1] = s\n"
  "    end\n"
  "    return table.concat(parts)\n"
  "  end\n"
  "  if fmt == 'l' then\n"
  "    if self.closed then error('chunkbuf.closed: the file is closed', 2) end\n"
  "    if not self.stream then return self.obj:read_line('lf') end\n"
  "    local line, why = self.obj:readline(0, self.timeout)\n"
  "    if not line then if why == 'eof' then return nil end return nil, why end\n"
  "    return (line:gsub('\\n$', ''))\n"
  "  end\n"
  "  error(\"chunkbuf.inval: read format must be a byte count, 'a' or 'l'\", 2)\n"
  "end\n"
  "function File:lines()\n"
  "  return function() return (self:read('l')) end\n"
  "end\n"
  "function File:write(...)\n"
  "  if self.closed then error('chunkbuf.closed: the file is closed', 2) end\n"
  "  for i = 1, select('#', ...) do\n"
  "    local s = tostring((select(i, ...)))\n"
  "    if self.stream then self.obj:write(s) else self.obj:append(s) end\n"
  "  end\n"
  "  return self\n"
  "end\n"
  "function File:close() self.closed = true; return true end\n"
  "return function(obj, policy, timeout)\n"
  "  policy = policy or 'return_partial'\n"
  "  if not policies[policy] then\n"
  "    error(\"chunkbuf.inval: policy must be 'raise', 'return_partial' or 'block'\", 2)\n"
  "  end\n"
  "  local class = getmetatable(obj)\n"
  "  local stream = class == stream_class\n"
  "  if not stream and class ~= buffer_class then\n"
  "    error('chunkbuf.inval: chunkbuf.file takes a Buffer or a Stream', 2)\n"
  "  end\n"
  "  return setmetatable({obj = obj, policy = policy, timeout = timeout, stream = stream}, File)\n"
  "end\n";
%}

%{
/* With the module table on top of the stack (at require): sets
 * chunkbuf.file, the factory the chunk above returns when given the
 * Buffer and Stream class metatables. */
static void cb_install_file(lua_State *L) {
  if (luaL_loadbufferx(L, cb_file_lua, sizeof cb_file_lua - 1, "=chunkbuf.file", "t") != LUA_OK) lua_error(L);
  SWIG_Lua_get_class_metatable(L, "Buffer");
  SWIG_Lua_get_class_metatable(L, "Stream");
  lua_call(L, 2, 1);
  lua_setfield(L, -2, "file");
}
%}
