-- chunkbuf.DelimiterFramer / LengthFramer and chunkbuf.Ring.
local chunkbuf = require "chunkbuf"
local h = require "harness"
local test, eq, raises = h.test, h.eq, h.raises

local function fails(what, want_reason, value, reason)
  eq(value, nil, what)
  eq(reason, want_reason, what .. ": reason")
end

test("framer: delimiters, longest match, held back until final", function()
  local f = chunkbuf.DelimiterFramer {delimiters = {"\r\n", "\n", "\r"}}
  local b = chunkbuf.Buffer()
  b:append("a\r\nb\nc\r")
  eq(tostring(f:next(b)), "a", "crlf")
  eq(tostring(f:next(b)), "b", "lf")
  fails("\"\\r\" may still become \"\\r\\n\"", "needmore", f:next(b))
  eq(tostring(f:next(b, true)), "c", "final")
  fails("empty", "needmore", f:next(b, true))
  local keep = chunkbuf.DelimiterFramer {delimiters = {";"}, include_delimiter = true, max_frame = 3}
  b:append("ab;abcd;")
  eq(tostring(keep:next(b)), "ab;", "include_delimiter")
  raises("chunkbuf.framelimit", keep.next, keep, b)
  eq(tostring(b), "abcd;", "a too-long frame stays")
end)

test("framer: next_batch gives a table of payload views", function()
  local f = chunkbuf.DelimiterFramer {delimiters = {"\n"}}
  local b = chunkbuf.Buffer()
  b:append("x\ny\nz")
  local frames = f:next_batch(b)
  eq(#frames, 2, "complete frames")
  eq(tostring(frames[1]) .. tostring(frames[2]), "xy", "payloads")
  eq(#f:next_batch(b), 0, "none complete")
  eq(tostring(f:next_batch(b, true)[1]), "z", "final")
end)

test("framer: length prefix round trip through encode", function()
  local f = chunkbuf.LengthFramer()
  local wire = chunkbuf.Buffer()
  f:encode(wire, chunkbuf.View("hello"))
  f:encode(wire, chunkbuf.View(""))
  eq(#wire, 13, "two 4-byte headers and 5 payload bytes")
  eq(wire:peek_u32(), 5, "big-endian length")
  local half = chunkbuf.Buffer()
  half:append(wire:peek(6))
  fails("truncated frame", "needmore", f:next(half))
  raises("chunkbuf.inval", f.next, f, half, true)
  eq(tostring(f:next(wire)), "hello", "frame 1")
  eq(#f:next(wire), 0, "empty frame")
  local le = chunkbuf.LengthFramer {length_width = 2, order = "le", strip = 0, max_frame = 4}
  local b = chunkbuf.Buffer()
  b:append("\3\0abc\9\0")
  eq(tostring(le:next(b)), "\3\0abc", "strip 0 keeps the header")
  raises("chunkbuf.framelimit", le.next, le, b)
  raises("chunkbuf.inval", chunkbuf.LengthFramer, {length_width = 3})
  raises("option 'order' must be \"be\" or \"le\"", chunkbuf.LengthFramer, {order = "middle"})
  raises("option 'delimiters' must be a table of strings", chunkbuf.DelimiterFramer, {delimiters = {1}})
  raises("chunkbuf.inval", chunkbuf.DelimiterFramer, {delimiters = {}})
end)

test("framer: misuse after free", function()
  local f = chunkbuf.DelimiterFramer {delimiters = {"\n"}}
  f:free()
  raises("this chunkbuf.Framer was already freed", f.next, f, chunkbuf.Buffer())
  raises("chunkbuf.Buffer expected, got string", chunkbuf.LengthFramer().next, chunkbuf.LengthFramer(), "x")
end)

test("ring: bounded writes, peek and read", function()
  local r = chunkbuf.Ring(8)
  eq(r:write("hello world"), 8, "only what fits")
  eq(#r, 8, "#r is what can be read")
  eq(r:writable_amount(), 0, "full")
  eq(r:readable_amount(), 8, "readable_amount is #r")
  eq(r:remaining(), 0, "the 0.1 name still works")
  eq(r:available(), 8, "the 0.1 name still works")
  eq(r:capacity(), 8, "capacity")
  eq(r:peek(3), "hel", "peek")
  eq(r:read(5), "hello", "read")
  eq(r:write("\0!"), 2, "wraps around")
  eq(r:read(100), " wo\0!", "the rest, NUL included")
  eq(tostring(r), "chunkbuf.Ring (0 of 8 bytes)", "tostring")
  raises("chunkbuf.inval", chunkbuf.Ring, 0)
  r:free()
  raises("this chunkbuf.Ring was already freed", r.read, r, 1)
end)

test("framer: a length framer strips its header unless told otherwise", function()
  local f = chunkbuf.LengthFramer {length_width = 2}
  local b = chunkbuf.Buffer()
  b:append("\0\3abc\0\1d")
  eq(tostring(f:next(b)), "abc", "u16 header stripped")
  local g = chunkbuf.LengthFramer {length_width = 1, length_offset = 2}
  b:append("ID\2xy")
  eq(tostring(f:next(b)), "d", "the rest of the first input")
  eq(tostring(g:next(b)), "xy", "offset and field stripped")
end)
