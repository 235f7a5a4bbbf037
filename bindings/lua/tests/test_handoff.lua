-- Hand-off from a C host: Stream.from_handle / View.from_handle wrap the
-- host's light userdata without copying and share ownership; whoever lets
-- go last frees. The host side runs in C threads (chunkbuf_testing); waits
-- use the engine's count of blocked calls.
local chunkbuf = require "chunkbuf"
local testing = require "chunkbuf_testing"
local h = require "harness"
local test, eq, raises = h.test, h.eq, h.raises

local EHANDLE = -2

-- Spins (bounded) until `n` readers are blocked on the host's stream.
local function wait_readers(lud, n)
  for _ = 1, 10000000 do
    if testing.waiting(lud) == n then return end
  end
  error("no reader blocked")
end

test("handoff: from_handle wraps the host's pointer and handle() gives it back", function()
  local lud = testing.host_stream()
  local s = chunkbuf.Stream.from_handle(lud)
  eq(s:handle(), lud, "the same pointer")
  eq(testing.host_write(lud, "from C"), 0, "host writes")
  eq(s:read(6), "from C", "Lua reads the host's bytes")
  s:free()
  testing.host_release(lud)
  raises("light userdata", function() chunkbuf.Stream.from_handle(nil) end)
  raises("light userdata", function() chunkbuf.Stream.from_handle(s) end)
end)

test("handoff: the host lets go while a Lua read is blocked; Lua frees last", function()
  local lud = testing.host_stream()
  local s = chunkbuf.Stream.from_handle(lud)
  local id = testing.host_serve(lud, "hello")  -- waits for our read, lets go, writes
  eq(s:read(5), "hello", "the blocked read gets the host's bytes")
  local rc, _, blocked = testing.host_join(id)
  eq(rc, 0, "host thread status")
  eq(blocked, true, "the read stayed blocked after the host let go")
  eq(s:read(1), nil, "then end of file")
  s:free()  -- the last reference
end)

test("handoff: Lua lets go while a C reader is blocked; the host frees last", function()
  local lud = testing.host_stream()
  local s = chunkbuf.Stream.from_handle(lud)
  local id = testing.host_read(lud, 6)
  wait_readers(lud, 1)
  s:write("abc")
  s:free()
  wait_readers(lud, 1)
  eq(testing.host_write(lud, "def"), 0, "the host still writes")
  local rc, data = testing.host_join(id)
  eq(rc, 0, "C read status")
  eq(data, "abcdef", "C reader got both writes")
  testing.host_release(lud)
end)

test("handoff: the last release wakes a blocked reader", function()
  for _, lua_last in ipairs {false, true} do
    local lud = testing.host_stream()
    local s = chunkbuf.Stream.from_handle(lud)
    local id = testing.host_read(lud, 4)
    wait_readers(lud, 1)
    if lua_last then
      testing.host_release(lud)
      s:free()
    else
      s:free()
      testing.host_release(lud)
    end
    local rc = testing.host_join(id)
    eq(rc, EHANDLE, "woken by the last release")
  end
end)

test("handoff: View.from_handle shares the host's bytes in either order", function()
  for _, host_first in ipairs {true, false} do
    local lud = testing.host_view("bytes made in C")
    local v = chunkbuf.View.from_handle(lud)
    eq(v:handle(), lud, "the same pointer")
    if host_first then
      testing.host_view_release(lud)
      eq(tostring(v), "bytes made in C", "Lua still reads them")
      v:release()
    else
      v:release()
      eq(testing.host_view_bytes(lud), "bytes made in C", "the host still reads them")
      testing.host_view_release(lud)
    end
  end
  raises("light userdata", function() chunkbuf.View.from_handle(42) end)
end)
