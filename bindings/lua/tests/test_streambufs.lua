-- The streambufs design's behaviours: the empty needle as string.find
-- answers it, and distinct errors for a frame past max_frame
-- ("chunkbuf.framelimit") and a commit without a reservation
-- ("chunkbuf.noreserve").
local chunkbuf = require "chunkbuf"
local h = require "harness"
local test, eq, raises = h.test, h.eq, h.raises

local function pieces(linear)
  local b = chunkbuf.Buffer {linear = linear}
  for _, part in ipairs {"abc", "abc", "ab"} do b:append_ref(part) end
  return b
end

test("streambufs: an empty needle answers as string.find, both backends", function()
  local hay = "abcabcab"
  for _, linear in ipairs {false, true} do
    local b = pieces(linear)
    for _, init in ipairs {1, 4, 9, 10} do
      local want_first, want_last = hay:find("", init, true)
      local first, last = b:find("", init)
      eq(first, want_first, "find('', " .. init .. ") first")
      eq(last, want_last, "find('', " .. init .. ") last")
    end
    eq(b:rfind(""), #hay + 1, "rfind('') is past the last byte")
    eq(tostring(b), hay, "unchanged")
  end
end)

test("streambufs: an empty needle in a view and a stream", function()
  local b = chunkbuf.Buffer()
  b:append("hello")
  local v = b:split_to(5)
  eq(v:find("", 5), 5, "view, at the last byte")
  eq(v:find("", 7), nil, "view, past the end")
  local s = chunkbuf.Stream()
  s:write("abcdef")
  eq(s:read(2), "ab", "read")
  eq(s:find("", 2), 2, "stream, relative to the read position")
  eq(s:find("", 9), nil, "stream, past the unread bytes")
end)

test("streambufs: frame too large and buffer too large are told apart", function()
  local f = chunkbuf.DelimiterFramer {delimiters = {"\n"}, max_frame = 3}
  local b = chunkbuf.Buffer {max_bytes = 6}
  b:append("abcd\n")
  raises("chunkbuf.framelimit:", f.next, f, b)
  raises("chunkbuf.limit:", b.append, b, "xy")
  eq(tostring(b), "abcd\n", "both failures left every byte")
end)

test("streambufs: no reservation and a reservation open are told apart", function()
  local b = chunkbuf.Buffer()
  raises("chunkbuf.noreserve:", b.commit, b, "")
  b:reserve(4)
  raises("chunkbuf.state:", b.append, b, "x")
  b:commit("ok")
  eq(tostring(b), "ok", "committed")
end)

test("streambufs: prepend bytes and views, both backends", function()
  for _, linear in ipairs {false, true} do
    local b = chunkbuf.Buffer {linear = linear, max_bytes = 12}
    b:append("body")
    b:prepend(": ")
    local src = chunkbuf.Buffer()
    src:append_ref("he")
    src:append_ref("ad")
    local v = src:split_to(4)
    local segs = b:segment_count()
    b:prepend_view(v)
    eq(tostring(b), "head: body", "contents")
    eq(tostring(v), "head", "the view is unchanged")
    if not linear then eq(b:segment_count(), segs + 2, "the view's segments in front") end
    raises("chunkbuf.limit:", b.prepend, b, "xyz")
    raises("chunkbuf.limit:", b.prepend_view, b, v)
    b:reserve(1)
    raises("chunkbuf.state:", b.prepend, b, "q")
    b:commit("")
    eq(tostring(b), "head: body", "refused prepends moved nothing")
  end
end)

test("streambufs: read_policy over a buffer and a stream", function()
  local b = chunkbuf.Buffer()
  b:append("abcdef")
  eq(b:read_policy(4, "raise"), "abcd", "raise, enough")
  local none, why = b:read_policy(3, "raise")
  eq(none, nil, "raise, short")
  eq(why, "needmore", "reason")
  eq(#b, 2, "nothing consumed")
  eq(b:read_policy(3), "ef", "return_partial is the default")
  raises("chunkbuf.inval:", b.read_policy, b, 1, "block")
  raises("invalid option 'sometimes'", b.read_policy, b, 1, "sometimes")
  local s = chunkbuf.Stream()
  local _, again = s:read_policy(4, "return_partial")
  eq(again, "again", "nothing yet")
  s:write("abc")
  local _, short = s:read_policy(4, "raise")
  eq(short, "needmore", "raise on a stream")
  local _, late = s:read_policy(4, "block", 0.01)
  eq(late, "timedout", "block with a timeout")
  eq(#s, 3, "refusals consumed nothing")
  s:write("def")
  s:close()
  eq(s:read_policy(4, "block"), "abcd", "block")
  eq(s:read_policy(4, "raise"), "ef", "raise at EOF: what is left")
  local _, eof = s:read_policy(4, "raise")
  eq(eof, "eof", "then end of file")
end)

test("streambufs: chunkbuf.file gives a buffer or a stream io's shape", function()
  local b = chunkbuf.Buffer()
  local f = chunkbuf.file(b, "raise")
  f:write("one\n", "two", "\n", 3)
  eq(tostring(b), "one\ntwo\n3", "write appends each value")
  eq(f:read(2), "on", "read(n)")
  raises("chunkbuf.needmore:", f.read, f, 40)
  eq(f:read("l"), "e", "read('l')")
  local lines = {}
  for line in f:lines() do lines[#lines + 1] = line end
  eq(table.concat(lines, ","), "two", "lines() until no complete line")
  eq(chunkbuf.file(b):read("a"), "3", "read('a'): what is buffered")
  f:close()
  raises("chunkbuf.closed:", f.read, f, 1)
  raises("chunkbuf.inval:", chunkbuf.file, b, "sometimes")
  raises("chunkbuf.inval:", chunkbuf.file, {}, "raise")
  local s = chunkbuf.Stream()
  local w = chunkbuf.file(s)
  w:write("alpha\nbeta\n")
  s:close()
  local r = chunkbuf.file(s, "block")
  eq(r:read("l"), "alpha", "a stream's line")
  eq(r:read("a"), "beta\n", "until EOF")
  eq(r:read(1), nil, "nil at end of file")
end)
