-- Hostile use from Lua: SWIG internals out of reach, writes to a closed
-- pipe, finalizers that consume the buffer a line is being built from,
-- error messages that name the function.
local chunkbuf = require "chunkbuf"
local testing = require "chunkbuf_testing"
local h = require "harness"
local test, eq, raises = h.test, h.eq, h.raises

test("reliability: SWIG's __disown is not reachable", function()
  local b = chunkbuf.Buffer()
  eq(b.__disown, nil, "no __disown method")
  raises("attempt to call a nil value", function() b.__disown() end)
  raises("attempt to call a nil value", function() b.__disown(io.tmpfile()) end)
  for _ = 1, 1000 do -- each object is still freed by the collector
    local x = chunkbuf.Buffer()
    x:append("x")
    pcall(function() x.__disown(x) end)
  end
  collectgarbage()
  b:append("still owned")
  eq(b:len(), 11, "the object works")
end)

test("reliability: __gc and __close called by hand are safe", function()
  local b = chunkbuf.Buffer()
  local mt = getmetatable(b)
  mt.__gc(io.tmpfile()) -- another userdata: nothing happens
  mt.__gc(42)
  mt.__close(chunkbuf.View("x")) -- an object of another class: nothing happens
  mt.__gc(b)
  raises("was already freed", b.len, b)
  mt.__gc(b) -- twice: no double free
  mt.__close(b)
  collectgarbage()
end)

test("reliability: write_to_fd to a closed pipe raises instead of SIGPIPE", function()
  local r, w = testing.pipe()
  testing.close(r)
  local b = chunkbuf.Buffer()
  b:append("nobody reads this")
  raises("Broken pipe", b.write_to_fd, b, w) -- without the fix, SIGPIPE ends this interpreter
  eq(b:len(), 17, "nothing consumed")
  testing.close(w)
end)

test("reliability: error messages name the function", function()
  local b = chunkbuf.Buffer()
  raises("to 'chunkbuf.Buffer.append'", b.append, b, {})
  raises("to 'chunkbuf.Buffer.append'", b.append, nil, "x")
  raises("to 'chunkbuf.View.new'", chunkbuf.View, {})
  raises("to 'chunkbuf.Buffer.new'", chunkbuf.Buffer, 5)
  raises("to 'append'", function() b:append({}) end) -- a method call names itself
end)

test("reliability: finalizers that free the buffer or stream a line call is using", function()
  -- take_line makes its View object before the C call; the collection
  -- step of that allocation may run a finalizer that frees the buffer,
  -- which must then be an error, not a use of the freed handle. The line
  -- calls that allocate only after their C call must just keep working.
  local inside, freed_inside, hits = false, false, 0
  local function round(obj, free, call, cls)
    -- the binding's message: the C library's would mean the freed handle was used
    local want = "this chunkbuf." .. cls .. " was already freed"
    freed_inside = false
    setmetatable({}, {__gc = function() free(obj); freed_inside = inside end})
    for _ = 1, 200 do
      inside = true
      local ok, v = pcall(call, obj)
      inside = false
      if not ok then
        if not tostring(v):find(want, 1, true) then error("unexpected error: " .. tostring(v)) end
        return freed_inside
      end
      if freed_inside then return true end -- freed after the C call: this line was still handed out
    end
    error("the finalizer never ran")
  end
  local lines = {}
  for i = 1, 300 do lines[i] = string.format("%05d %s\n", i, string.rep("x", 50)) end -- long strings: allocated
  local data = table.concat(lines)
  -- A collection at every turn (pause 0 would keep the old pause; the
  -- full collection makes the new one count from now).
  collectgarbage("incremental", 1, 1000)
  collectgarbage()
  local ok, err = pcall(function()
    for _ = 1, 200 do
      local b = chunkbuf.Buffer()
      b:append(data)
      if round(b, b.free, function(x) return x:take_line("lf") end, "Buffer") then hits = hits + 1 end
      b = chunkbuf.Buffer()
      b:append(data)
      round(b, b.free, function(x) return x:read_line("lf") end, "Buffer")
      local s = chunkbuf.Stream()
      s:write(data)
      round(s, s.free, function(x) return x:read_line("lf", nil, 0) end, "Stream")
    end
  end)
  collectgarbage("incremental", 200, 100)
  collectgarbage()
  if not ok then error(err, 0) end
  eq(hits > 0, true, "a finalizer freed the buffer inside take_line (" .. hits .. " of 200 rounds)")
end)

test("reliability: finalizers consuming the buffer while lines() builds a line", function()
  local script = assert(package.searchpath("gc_lines", package.path))
  local interp = arg and arg[-1] or "lua5.4"
  local p = assert(io.popen(string.format("'%s' '%s' 2>&1", interp, script)))
  local out = p:read("a")
  p:close()
  local lines, stolen, expected, bad, order = out:match("lines (%d+) stolen (%d+) expected (%d+) bad (%d+) order (%d+)")
  if not lines then error("gc_lines.lua: " .. out) end
  eq(tonumber(stolen) > 0, true, "finalizers consumed lines during the loop (" .. stolen .. ")")
  eq(tonumber(lines) + tonumber(stolen), tonumber(expected), "every line handed out once")
  eq(bad, "0", "every line whole")
  eq(order, "0", "the loop's lines in order")
end)
