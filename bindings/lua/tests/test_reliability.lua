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

test("reliability: finalizers that free the object a line or batch call is using", function()
  -- These calls make a Lua object (the View, the records array of a batch
  -- of more than 256) before their C call; the collection step of that
  -- allocation may run a finalizer that frees the buffer or stream, which
  -- must then be the binding's error, not a use of the freed handle (the C
  -- library's "handle was already freed" says it was used). Calls that
  -- allocate only after their C call must just keep working.
  local inside, freed_inside = false, false
  local function round(obj, free, call, cls)
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
      if freed_inside then return false end -- freed after the C call: its result was still handed out
    end
    error("the finalizer never ran")
  end
  local lines = {}
  for i = 1, 300 do lines[i] = string.format("%05d %s\n", i, string.rep("x", 50)) end -- long strings: allocated
  local data = table.concat(lines)
  local function buffer() local b = chunkbuf.Buffer(); b:append(data); return b end
  local function stream() local st = chunkbuf.Stream(); st:write(data); return st end
  local framer = chunkbuf.DelimiterFramer {delimiters = {"\n"}}
  local cases = {
    {"take_line", buffer, function(x) return x:take_line("lf") end, "Buffer", true},
    {"take_lines", buffer, function(x) return x:take_lines("lf", 1000) end, "Buffer", true},
    {"take_records", buffer, function(x) return x:take_records("\n", 1000) end, "Buffer", true},
    {"read_lines", buffer, function(x) return x:read_lines("lf", 1000) end, "Buffer", true},
    {"peek_lines", buffer, function(x) return x:peek_lines("lf", 1) end, "Buffer", true},
    {"Framer:next_batch", buffer, function(x) return framer:next_batch(x, false, 1000) end, "Buffer", true},
    {"Stream:readlines", stream, function(x) return x:readlines(1000, 0) end, "Stream", true},
    {"read_line", buffer, function(x) return x:read_line("lf") end, "Buffer"},
    {"Stream:read_line", stream, function(x) return x:read_line("lf", nil, 0) end, "Stream"},
    {"Stream:readline", stream, function(x) return x:readline(nil, 0) end, "Stream"},
  }
  -- A collection at every turn (pause 0 would keep the old pause; the
  -- full collection makes the new one count from now).
  collectgarbage("incremental", 1, 1000)
  collectgarbage()
  local hits = {}
  local ok, err = pcall(function()
    for _ = 1, 100 do
      for _, c in ipairs(cases) do
        local obj = c[2]()
        if round(obj, obj.free, c[3], c[4]) then hits[c[1]] = (hits[c[1]] or 0) + 1 end
      end
    end
  end)
  collectgarbage("incremental", 200, 100)
  collectgarbage()
  if not ok then error(err, 0) end
  for _, c in ipairs(cases) do
    if c[5] then eq((hits[c[1]] or 0) > 0, true, c[1] .. ": a finalizer freed the object inside the call") end
  end
end)

-- The output of tests/NAME.lua run in a fresh interpreter (its
-- collector and finalizers start from nothing).
local function run_script(name)
  local script = assert(package.searchpath(name, package.path))
  local interp = arg and arg[-1] or "lua5.4"
  local p = assert(io.popen(string.format("'%s' '%s' 2>&1", interp, script)))
  local out = p:read("a")
  p:close()
  return out
end

test("reliability: a finalizer that frees the buffer while read_line sets up a long line", function()
  local out = run_script("gc_free_line")
  eq(out, "chunkbuf.handle: this chunkbuf.Buffer was already freed\n", "read_line's error")
end)

-- Runs a script whose loop and finalizers take lines from one object and
-- that prints "lines <n> stolen <n> expected <n> bad <n> order <n>": the
-- finalizers took some, and every line went out once, whole, in order.
local function expect_each_line_once(name)
  local out = run_script(name)
  local lines, stolen, expected, bad, order = out:match("lines (%d+) stolen (%d+) expected (%d+) bad (%d+) order (%d+)")
  if not lines then error(name .. ".lua: " .. out) end
  eq(tonumber(stolen) > 0, true, "finalizers took lines during the loop (" .. stolen .. ")")
  eq(tonumber(lines) + tonumber(stolen), tonumber(expected), "every line handed out once")
  eq(bad, "0", "every line whole")
  eq(order, "0", "the loop's lines in order")
end

test("reliability: finalizers consuming the buffer while lines() builds a line", function()
  expect_each_line_once("gc_lines")
end)

test("reliability: finalizers taking lines while Stream:read_line reads long and short ones", function()
  expect_each_line_once("gc_stream_lines")
end)

test("reliability: finalizers taking lines while peek_lines / peek_records make their strings", function()
  local out = run_script("gc_peek")
  local calls, raced, bad = out:match("calls (%d+) raced (%d+) bad (%d+)")
  if not calls then error("gc_peek.lua: " .. out) end
  eq(tonumber(raced) > 0, true, "finalizers took lines during a peek (" .. raced .. ")")
  eq(bad, "0", "every peek returned whole lines, as buffered when it looked")
end)
