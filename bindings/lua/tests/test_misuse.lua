-- Misuse raises a Lua error and never crashes the interpreter: freed
-- objects, wrong types and counts, negative sizes, bad options.
local chunkbuf = require "chunkbuf"
local h = require "harness"
local test, eq, raises = h.test, h.eq, h.raises

test("misuse: every class raises after free/release, also on a second free", function()
  local classes = {
    {chunkbuf.Pool, "free", "stats"},
    {chunkbuf.Buffer, "free", "len"},
    {function() return chunkbuf.View("x") end, "release", "len"},
    {chunkbuf.Stream, "free", "at_eof"},
    {function() return chunkbuf.DelimiterFramer {delimiters = {"\n"}} end, "free",
     function(f) return f:next(chunkbuf.Buffer()) end},
    {function() return chunkbuf.Ring(4) end, "free", "available"},
  }
  for _, c in ipairs(classes) do
    local new, free, use = c[1], c[2], c[3]
    local obj, other = new(), new()
    obj[free](obj)
    raises("was already freed", type(use) == "function" and use or obj[use], obj)
    raises("was already freed", obj[free], obj)
    raises("was already freed", tostring, obj)
    raises("was already freed", function() return obj == other end)
    if getmetatable(obj).__len then raises("was already freed", function() return #obj end) end
  end
  collectgarbage()
  collectgarbage()
end)

test("misuse: <close> variables free once, also after an explicit free", function()
  local escaped
  do
    local b <close> = chunkbuf.Buffer()
    local v <close> = chunkbuf.View("x")
    local s <close> = chunkbuf.Stream()
    local p <close> = chunkbuf.Pool()
    b:append("abc")
    v:release()
    escaped = {b, s, p}
  end
  for _, obj in ipairs(escaped) do raises("was already freed", tostring, obj) end
  do local d <close> = chunkbuf.default_pool() end
  eq(chunkbuf.default_pool():stats().acquisitions >= 0, true, "the default pool lives on")
  collectgarbage()
end)

test("misuse: a released view as an argument", function()
  local v = chunkbuf.View("abc")
  v:release()
  local b = chunkbuf.Buffer()
  raises("was already freed", b.append_view, b, v)
  raises("item 1 is not a live chunkbuf.View", chunkbuf.concat, {v})
  raises("was already freed", chunkbuf.Stream().write_view, chunkbuf.Stream(), v)
  local p = chunkbuf.Pool()
  p:free()
  raises("option 'pool' must be a live chunkbuf.Pool", chunkbuf.Buffer, {pool = p})
  raises("was already freed", chunkbuf.View, "x", p)
end)

test("misuse: garbage collection releases each object once", function()
  local kept = {}
  for i = 1, 200 do
    local b = chunkbuf.Buffer()
    b:append(string.rep("x", i))
    local v = b:split_to(i // 2)
    if i % 2 == 0 then b:free() end
    if i % 3 == 0 then v:release() else kept[#kept + 1] = v end
  end
  collectgarbage()
  for _, v in ipairs(kept) do assert(#v >= 0) end
  kept = nil
  collectgarbage()
  collectgarbage()
end)

test("misuse: wrong argument types", function()
  local b = chunkbuf.Buffer()
  raises("bad argument #1 to 'append' (string expected, got number)", function() b:append(42) end)
  raises("bad argument #1 to 'append' (string expected, got nil)", function() b:append(nil) end)
  raises("string expected, got table", b.find, b, {})
  raises("number has no integer representation", b.advance, b, 1.5)
  raises("number expected, got string", b.advance, b, "x")
  raises("chunkbuf.Buffer expected, got chunkbuf.View", b.len, chunkbuf.View("v"))
  raises("chunkbuf.Buffer expected, got nil", b.len, nil)
  raises("chunkbuf.View expected, got userdata", b.append_view, b, io.stdout)
  raises("chunkbuf.View expected, got string", b.append_view, b, "text")
  raises("table expected, got string", chunkbuf.Buffer, "max_bytes=1")
  raises("table expected, got number", chunkbuf.concat, 1)
end)

test("misuse: a table given a class metatable is not an object", function()
  -- setmetatable(t, getmetatable(obj)) used to be read as the object's
  -- userdata (a crash); every method must refuse it.
  local b, v, s = chunkbuf.Buffer(), chunkbuf.View("x"), chunkbuf.Stream()
  local fake_b, fake_v, fake_s = setmetatable({}, getmetatable(b)), setmetatable({}, getmetatable(v)),
                                 setmetatable({}, getmetatable(s))
  raises("chunkbuf.Buffer expected, got table", b.len, fake_b)
  raises("chunkbuf.Buffer expected, got table", b.take_line, fake_b)
  raises("chunkbuf.Buffer expected, got table", b.read_line, fake_b)
  raises("chunkbuf.Buffer expected, got table", b.append, fake_b, "x")
  raises("chunkbuf.View expected, got table", tostring, fake_v)
  raises("chunkbuf.View expected, got table", v.slice, fake_v, 1)
  raises("chunkbuf.Stream expected, got table", s.read_line, fake_s)
  raises("chunkbuf.View expected, got table", b.append_view, b, fake_v)
  eq(v == fake_v, false, "a View compared with a table")
  getmetatable(b).__gc(fake_b) -- not an object: nothing happens
  eq(#b, 0, "the real buffer after __gc of the fake")
end)

test("misuse: a value of an object's record size is not an object", function()
  -- The per-line methods and __gc know an object by a userdata of the size
  -- of SWIG's record naming the class's type: a string or table of that
  -- length, an object of another class and a foreign userdata are refused.
  local b, v, s = chunkbuf.Buffer(), chunkbuf.View("x"), chunkbuf.Stream()
  b:append("line\n")
  local str = string.rep("x", 24)
  local tbl = {}
  for i = 1, 24 do tbl[i] = i end
  for _, size in ipairs {16, 24, 32} do -- the record's size on 32- and 64-bit targets, and one more
    local str_n, tbl_n = string.rep("x", size), {}
    for i = 1, size do tbl_n[i] = i end
    raises("chunkbuf.Buffer expected, got string", b.take_line, str_n)
    raises("chunkbuf.Buffer expected, got table", b.read_line, tbl_n)
    raises("chunkbuf.View expected, got string", getmetatable(v).__tostring, str_n)
    raises("chunkbuf.View expected, got table", getmetatable(v).__tostring, tbl_n)
    raises("chunkbuf.Stream expected, got string", s.read_line, str_n)
    getmetatable(b).__gc(str_n)
    getmetatable(b).__close(tbl_n)
  end
  raises("chunkbuf.View expected, got chunkbuf.Buffer", getmetatable(v).__tostring, b)
  raises("chunkbuf.Buffer expected, got chunkbuf.View", b.take_line, v)
  raises("chunkbuf.Buffer expected, got userdata", b.take_line, io.stdout)
  getmetatable(v).__gc(b) -- a Buffer is not a View: nothing happens
  getmetatable(b).__gc(io.stdout)
  getmetatable(b).__gc(str)
  getmetatable(b).__gc(tbl)
  eq(#b, 5, "the buffer after __gc of other values")
  eq(tostring(v), "x", "the view after __gc of other values")
  eq(tostring(b:take_line("lf")), "line", "the buffer still takes lines")
  b:free()
  raises("chunkbuf.handle: this chunkbuf.Buffer was already freed", b.take_line, b)
  raises("chunkbuf.handle: this chunkbuf.Buffer was already freed", b.read_line, b)
end)

test("misuse: wrong argument counts", function()
  local b = chunkbuf.Buffer()
  raises("wrong number of arguments to 'append': 2 expected (the object included), got 1", b.append, b)
  raises("wrong number of arguments to 'len'", b.len, b, 1)
  raises("wrong number of arguments to 'View'", chunkbuf.View)
  raises("wrong number of arguments to 'take_line': 1 to 3 expected (the object included), got 4", b.take_line, b,
         "lf", 1, 2)
  raises("wrong number of arguments to 'read_line': 1 to 3 expected (the object included), got 4", b.read_line, b,
         "lf", 1, 2)
  local v, s = chunkbuf.View("x"), chunkbuf.Stream()
  raises("wrong number of arguments to '__tostring': 1 expected (the object included), got 2",
         getmetatable(v).__tostring, v, 1)
  raises("wrong number of arguments to 'read_line': 1 to 4 expected (the object included), got 5", s.read_line, s,
         "lf", 1, 0, 1)
end)

test("misuse: negative sizes and positions before 1", function()
  local b = chunkbuf.Buffer()
  b:append("abc")
  raises("size must not be negative", b.advance, b, -1)
  raises("size must not be negative", b.read, b, -5)
  raises("size must not be negative", b.peek, b, -1)
  raises("size must not be negative", b.split_to, b, -1)
  raises("size must not be negative", b.take_line, b, "lf", -1)
  raises("size must not be negative", b.take_lines, b, "lf", -1)
  raises("position must be >= 1", b.peek, b, 1, 0)
  raises("position must be >= 1", b.find, b, "a", -1)
  raises("size must not be negative", b.find, b, "a", 1, -1)
  raises("size must not be negative", chunkbuf.Stream().read, chunkbuf.Stream(), -1)
  raises("timeout must be nil, 0 .. 1e12 seconds or math.huge", chunkbuf.Stream().read, chunkbuf.Stream(), 1, -1)
  eq(tostring(b), "abc", "nothing changed")
end)

test("misuse: out-of-range values", function()
  local b = chunkbuf.Buffer()
  b:append("abc")
  raises("chunkbuf.range", b.advance, b, math.maxinteger)
  raises("chunkbuf.range", b.peek, b, 1, math.maxinteger)
  eq(b:read(math.maxinteger), "abc", "read is cut at the end")
  raises("expected an integer in 0..4294967295", chunkbuf.Pool().tenant_usage, chunkbuf.Pool(), 1 << 32)
  raises("invalid option 'middle'", b.peek_u16, b, 1, "middle")
  raises("invalid option 'cr'", b.take_line, b, "cr")
  raises("invalid option 'x'", chunkbuf.Stream().lines, chunkbuf.Stream(), "x")
  raises("integer out of range", b.write_to_fd, b, 1 << 40)
  -- a name matches whole: an embedded NUL does not end it early
  b:append("abc\n")
  raises("invalid option 'lf'", b.take_line, b, "lf\0junk")
  raises("invalid option 'lf'", b.read_line, b, "lf\0")
  raises("invalid option 'be'", b.peek_u16, b, 1, "be\0")
  raises("invalid option 'crlf'", chunkbuf.Stream().read_line, chunkbuf.Stream(), "crlf\0")
  eq(b:read_line("lf"), "abc", "nothing was taken")
end)

test("misuse: another userdata given a class metatable is not taken for an object", function()
  local cases = {
    {function() return chunkbuf.View("abc") end, tostring},
    {function() return chunkbuf.View("abc") end, function(f) return f:len() end},
    {chunkbuf.Buffer, function(f) return f:append("x") end},
    {chunkbuf.Buffer, function(f) return f:read_line() end},
    {chunkbuf.Buffer, function(f) return f:take_line("lf") end},
    {chunkbuf.Buffer, function(f) return f:free() end},
    {chunkbuf.Stream, function(f) return f:read_line("lf") end},
    {chunkbuf.Buffer, function(f) return chunkbuf.Buffer():append_view(f) end},
  }
  for _, case in ipairs(cases) do
    local f = io.tmpfile() -- a full userdata smaller than SWIG's object record
    local file_mt = debug.getmetatable(f)
    debug.setmetatable(f, getmetatable(case[1]()))
    raises("expected", case[2], f)
    debug.setmetatable(f, file_mt)
    f:close()
  end
end)

test("misuse: bad options", function()
  raises("unknown option 'max_byte'", chunkbuf.Buffer, {max_byte = 1})
  raises("option 'max_bytes' must be a non-negative integer", chunkbuf.Buffer, {max_bytes = -1})
  raises("option 'min_chunk' must be a non-negative integer", chunkbuf.Buffer, {min_chunk = "big"})
  raises("option 'tenant' must fit in 32 bits", chunkbuf.Buffer, {tenant = 1 << 33})
  raises("option names are strings, got number", chunkbuf.Buffer, {1})
  raises("unknown option 'retain'", chunkbuf.Pool, {retain = true})
  raises("chunkbuf.inval", chunkbuf.Buffer, {min_chunk = 1 << 31})
end)

test("misuse: NUL bytes round-trip everywhere", function()
  local data = "\0a\0\0b\0"
  local b = chunkbuf.Buffer()
  b:append(data)
  eq(b:find("\0\0"), 3, "find a NUL needle")
  eq(tostring(b:take_until("b")), "\0a\0\0", "take_until")
  eq(tostring(b), "\0", "rest")
  local v = chunkbuf.View(data)
  eq(tostring(v), data, "view")
  eq(v:equals(data), true, "equals")
  local s = chunkbuf.Stream()
  s:write(data)
  s:close()
  eq(s:read(100), data, "stream")
end)
