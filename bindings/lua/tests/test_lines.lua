-- Lines as Lua strings: Buffer:read_line, read_lines and lines(), which
-- must agree with take_line in every eol style, across segment boundaries
-- and with max_len, and never consume a line they do not hand out.
local chunkbuf = require "chunkbuf"
local h = require "harness"
local test, eq, raises = h.test, h.eq, h.raises

local function fails(what, want_reason, value, reason)
  eq(value, nil, what)
  eq(reason, want_reason, what .. ": reason")
end

-- A buffer holding `pieces`, each in a segment of its own.
local function segmented(pieces)
  local b = chunkbuf.Buffer()
  for _, p in ipairs(pieces) do b:append_ref(p) end
  return b
end

local function collect(b, ...)
  local got = {}
  for line in b:lines(...) do got[#got + 1] = line end
  return got
end

test("read_line: each eol style, nil + needmore when incomplete", function()
  local b = chunkbuf.Buffer()
  b:append("one\r\ntwo\nthr\0ee\r\nfour\0five\r\r\n\nsix")
  eq(b:read_line(), "one", "crlf (the default) drops the CR")
  eq(b:read_line("crlf"), "two", "crlf takes a bare LF")
  eq(b:read_line("lf"), "thr\0ee\r", "lf keeps the CR and NUL bytes")
  eq(b:read_line("nul"), "four", "nul")
  eq(b:read_line("crlf_strict"), "five\r", "crlf_strict")
  eq(b:read_line("any"), "", "any: the run of CR and LF is one end of line")
  fails("incomplete", "needmore", b:read_line())
  fails("incomplete, lf", "needmore", b:read_line("lf"))
  fails("incomplete, nul", "needmore", b:read_line("nul"))
  eq(tostring(b), "six", "the partial line stays")
  b:append("\n")
  eq(b:read_line(), "six", "completed")
  fails("empty buffer", "needmore", b:read_line())
  raises("invalid option 'cr'", b.read_line, b, "cr")
end)

test("read_line: empty lines and a lone CR", function()
  local b = chunkbuf.Buffer()
  b:append("\n\r\n\r")
  eq(b:read_line(), "", "empty")
  eq(b:read_line(), "", "empty with CR")
  fails("a CR alone ends nothing", "needmore", b:read_line())
  eq(#b, 1, "the CR stays")
end)

test("read_line: lines across segments, CR and LF in different segments", function()
  local b = segmented {"ab", "c\r", "\nde", "f", "", "g\n", "\r", "\n"}
  eq(b:segment_count() >= 6, true, "several segments")
  eq(b:read_line(), "abc", "CR at the end of one segment, LF in the next")
  eq(b:read_line(), "defg", "over three segments")
  eq(b:read_line(), "", "CR LF in two segments")
  eq(#b, 0, "all consumed")
  -- A line over more segments than one peek describes (the take_line path).
  local pieces = {}
  for i = 1, 20 do pieces[i] = string.char(64 + i) end
  pieces[21] = "\r\nrest"
  b = segmented(pieces)
  eq(b:read_line(), "ABCDEFGHIJKLMNOPQRST", "twenty segments")
  eq(tostring(b), "rest", "rest")
end)

test("read_line: max_len like take_line, nothing consumed on the error", function()
  local b = chunkbuf.Buffer()
  b:append("12345\r\n123456\n")
  eq(b:read_line("crlf", 5), "12345", "exactly max_len (the CR does not count)")
  raises("chunkbuf.limit", b.read_line, b, "lf", 5)
  eq(tostring(b), "123456\n", "the long line stays")
  eq(b:read_line("lf", 6), "123456", "fits now")
  b:append("1234567")
  raises("chunkbuf.limit", b.read_line, b, "lf", 5)
  fails("under max_len, no end of line", "needmore", b:read_line("lf", 7))
  eq(#b, 7, "nothing consumed")
end)

test("read_lines: a table of strings, max_records, empty table when none", function()
  local b = segmented {"a\nb", "b\r\nccc\n", "dddd"}
  local t = b:read_lines("crlf", 2)
  eq(#t, 2, "max_records")
  eq(t[1], "a", "line 1")
  eq(t[2], "bb", "line 2 across segments, CR dropped")
  t = b:read_lines()
  eq(#t, 1, "the rest")
  eq(t[1], "ccc", "line 3")
  eq(#b:read_lines(), 0, "none complete")
  eq(tostring(b), "dddd", "partial line stays")
  b:append("\0e\0\n")
  t = b:read_lines("nul")
  eq(#t, 2, "nul")
  eq(t[1] .. "|" .. t[2], "dddd|e", "nul lines")
  eq(tostring(b), "\n", "rest")
  eq(#b:read_lines("lf", 0), 0, "max_records 0")
  eq(tostring(b), "\n", "max_records 0 takes nothing")
  raises("size must not be negative", b.read_lines, b, "lf", -1)
end)

test("read_lines: a huge max_records is cut, not an overflow", function()
  local b = chunkbuf.Buffer()
  b:append(string.rep("x\n", 300))
  local t = b:read_lines("lf", 1 << 62)
  eq(#t, 300, "all lines")
  eq(t[300], "x", "last")
  b:append(string.rep("y\n", 300))
  eq(#b:take_lines("lf", math.maxinteger), 300, "take_lines too")
  b:append("a\nb\n")
  eq(#b:take_records("\n", 1 << 61), 2, "take_records too")
end)

test("read_lines: a too-long first line raises, a later one waits", function()
  local b = chunkbuf.Buffer()
  b:append("ab\nabcdef\n")
  local t = b:read_lines("lf", nil, 3)
  eq(#t, 1, "stops before the long line")
  raises("chunkbuf.limit", b.read_lines, b, "lf", nil, 3)
  eq(tostring(b), "abcdef\n", "nothing consumed")
end)

test("lines(): every complete line, then the loop ends", function()
  local b = chunkbuf.Buffer()
  b:append("a\r\nb\n\nc")
  eq(table.concat(collect(b), "|"), "a|b|", "lines")
  eq(tostring(b), "c", "partial line stays")
  b:append("\r\nd\0")
  eq(table.concat(collect(b, "nul"), "|"), "c\r\nd", "nul")
  eq(#collect(b), 0, "empty buffer")
  b:append("x\r\ny\r\n")
  eq(table.concat(collect(b, "crlf_strict"), "|"), "x|y", "crlf_strict")
end)

test("lines(): break leaves every line not handed out", function()
  local b = chunkbuf.Buffer()
  b:append("1\n2\n3\n4\n5\npartial")
  local got = {}
  for line in b:lines() do
    got[#got + 1] = line
    if #got == 2 then break end
  end
  eq(table.concat(got, "|"), "1|2", "handed out")
  eq(tostring(b), "3\n4\n5\npartial", "the rest is still buffered")
  eq(table.concat(collect(b), "|"), "3|4|5", "a new loop goes on from there")
  -- the same with a batch-friendly buffer of many lines in many segments
  local c = chunkbuf.Buffer()
  for i = 1, 1000 do c:append(string.format("line %d\n", i)) end
  local n = 0
  for line in c:lines("lf") do
    n = n + 1
    if n == 600 then
      eq(line, "line 600", "600th line")
      break
    end
  end
  eq(c:read_line("lf"), "line 601", "next line after the break")
  eq(#c:read_lines("lf", 1000), 399, "the rest")
end)

test("lines(): an error inside the loop loses nothing", function()
  local b = chunkbuf.Buffer()
  b:append("ok\n" .. string.rep("x", 10) .. "\nafter\n")
  local got = {}
  local ok, err = pcall(function()
    for line in b:lines("lf", 5) do got[#got + 1] = line end
  end)
  eq(ok, false, "raised")
  eq(tostring(err):find("chunkbuf.limit", 1, true) ~= nil, true, "limit error: " .. tostring(err))
  eq(table.concat(got, "|"), "ok", "the line before")
  eq(tostring(b), string.rep("x", 10) .. "\nafter\n", "the long line and the rest stay")
  got = {}
  local ok2 = pcall(function()
    for line in b:lines() do
      got[#got + 1] = line
      error("stop")
    end
  end)
  eq(ok2, false, "the body raised")
  eq(tostring(b), "after\n", "only the line handed out was consumed")
end)

test("lines(): the buffer may change inside the loop", function()
  local b = chunkbuf.Buffer()
  b:append("a\nb\n")
  local got = {}
  for line in b:lines() do
    got[#got + 1] = line
    if line == "a" then
      b:append("c\n")
      eq(b:read_line(), "b", "read inside the loop")
    end
  end
  eq(table.concat(got, "|"), "a|c", "sees the change")
end)

test("lines(): after free, the iterator raises", function()
  local b = chunkbuf.Buffer()
  b:append("a\nb\n")
  local next_line = b:lines()
  eq(next_line(), "a", "first")
  b:free()
  raises("was already freed", next_line)
  raises("was already freed", function() for _ in b:lines() do end end)
  raises("was already freed", b.read_line, b)
  raises("was already freed", b.read_lines, b)
end)

test("lines(): arguments are checked", function()
  local b = chunkbuf.Buffer()
  raises("invalid option 'x'", b.lines, b, "x")
  raises("size must not be negative", b.lines, b, "lf", -1)
  raises("chunkbuf.Buffer expected, got chunkbuf.View", b.lines, chunkbuf.View("a\n"))
  raises("chunkbuf.Buffer expected, got userdata", b.read_lines, io.stdout)
  raises("wrong number of arguments to 'read_line'", b.read_line, b, "lf", 1, 2)
end)

test("lines: read_line, read_lines and lines() agree with take_line", function()
  -- Random bytes rich in CR, LF and NUL, cut into random segments, read
  -- by every call in every style (and with max_len), must give the lines,
  -- errors and leftovers of take_line on an identical buffer.
  local seed = 12345
  local function rand(n)
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n
  end
  local alphabet = {"a", "b", "\r", "\n", "\0", "\r\n", "xyz"}
  local styles = {"lf", "crlf", "nul", "crlf_strict", "any"}
  local function reference(b, style, max_len)
    local out = {}
    while true do
      local ok, v = pcall(b.take_line, b, style, max_len)
      if not ok then out[#out + 1] = "error"; break end
      if not v then break end
      out[#out + 1] = tostring(v)
    end
    return out
  end
  local readers = {
    read_line = function(b, style, max_len)
      local out = {}
      while true do
        local ok, v = pcall(b.read_line, b, style, max_len)
        if not ok then out[#out + 1] = "error"; break end
        if not v then break end
        out[#out + 1] = v
      end
      return out
    end,
    read_lines = function(b, style, max_len)
      local out = {}
      while true do
        local ok, t = pcall(b.read_lines, b, style, 1 + rand(4), max_len)
        if not ok then out[#out + 1] = "error"; break end
        if #t == 0 then break end
        for _, v in ipairs(t) do out[#out + 1] = v end
      end
      return out
    end,
    lines = function(b, style, max_len)
      local out = {}
      local ok = pcall(function() for v in b:lines(style, max_len) do out[#out + 1] = v end end)
      if not ok then out[#out + 1] = "error" end
      return out
    end,
  }
  local cases = 0
  for _ = 1, 150 do
    local parts = {}
    for i = 1, rand(40) do parts[i] = alphabet[1 + rand(#alphabet)] end
    local data = table.concat(parts)
    local pieces, i = {}, 1
    while i <= #data do
      local n = 1 + rand(5)
      pieces[#pieces + 1] = data:sub(i, i + n - 1)
      i = i + n
    end
    for _, style in ipairs(styles) do
      for _, max_len in ipairs {0, 1, 3} do
        local want_b = segmented(pieces)
        local want = table.concat(reference(want_b, style, max_len), "|")
        for name, read in pairs(readers) do
          local b = segmented(pieces)
          local got = table.concat(read(b, style, max_len), "|")
          if got ~= want or tostring(b) ~= tostring(want_b) then
            error(string.format("%s, %s, max_len %d on %q: got %q leaving %q, want %q leaving %q", name, style,
                                max_len, data, got, tostring(b), want, tostring(want_b)))
          end
          cases = cases + 1
        end
      end
    end
  end
  eq(cases, 150 * 5 * 3 * 3, "cases")
end)

test("lines: finalizers that read lines while read_lines pushes strings", function()
  -- A collection can run finalizers inside the allocations of a batch
  -- call; theirs must not disturb it (the guard slot that owns the batch
  -- view is per call), and every batch view must be released: the pool
  -- ends with nothing in use. gc_nesting.lua runs in a fresh interpreter,
  -- where the collector's timing is reproducible.
  local script = assert(package.searchpath("gc_nesting", package.path))
  local interp = arg and arg[-1] or "lua5.4"
  local p = assert(io.popen(string.format("'%s' '%s' 2>&1", interp, script)))
  local out = p:read("a")
  p:close()
  local nested, lines, expected, left, side, finalized, in_use =
    out:match("nested (%d+) lines (%d+) expected (%d+) left (%d+) side (%d+) finalized (%d+) in_use (%d+)")
  if not nested then error("gc_nesting.lua: " .. out) end
  eq(tonumber(nested) >= 10, true, "finalizers ran inside read_lines (" .. nested .. " times)")
  eq(lines, expected, "every line of the main buffer, in order")
  eq(left, "0", "main buffer drained")
  eq(side, finalized, "one line per finalizer")
  eq(in_use, "0", "no batch view left behind")
end)

test("lines: views and strings of several segments", function()
  local v = chunkbuf.concat {chunkbuf.View("ab"), chunkbuf.View(""), chunkbuf.View("c\0d")}
  eq(v:segment_count() >= 2, true, "several segments")
  eq(tostring(v), "abc\0d", "tostring of a segmented view")
  local b = segmented {"x", "y\n", "z\n"}
  local views = b:take_lines()
  eq(#views, 2, "two views")
  eq(tostring(views[1]) .. tostring(views[2]), "xyz", "view contents")
  local s = chunkbuf.Stream()
  s:write("p\nq")
  s:write("r\n")
  s:close()
  local t = s:readlines()
  eq(table.concat(t, "|"), "p\n|qr\n", "stream readlines keep the newline")
end)

test("lines: the default end of line is LF with an optional CR, as in every binding", function()
  local b = chunkbuf.Buffer()
  b:append("a\r\nb\nc\r\nd\n")
  eq(tostring(b:take_line()), "a", "CRLF")
  eq(tostring(b:take_line()), "b", "LF")
  local lines = b:peek_lines()
  eq(#lines, 2, "peek_lines")
  eq(lines[1], "c", "peeked CRLF line")
  eq(#b:take_lines(), 2, "take_lines")
end)

test("read_line: lines around the size copied on the C stack, and longer ones", function()
  -- Up to 512 bytes a line is copied to the C stack in the same call that
  -- consumes it; a longer one is handed out as a view first. Both ways must
  -- give the same lines, in and across segments.
  for _, len in ipairs {0, 1, 511, 512, 513, 4096, 70000} do
    local line = string.rep("x", len - 1) .. (len > 0 and "\0" or "")
    line = line:sub(1, len)
    local b = segmented {line:sub(1, len // 2), line:sub(len // 2 + 1) .. "\r", "\nnext\n"}
    eq(b:read_line(), line, "a line of " .. len .. " bytes")
    eq(b:read_line("lf"), "next", "the following line, " .. len)
    eq(#b, 0, "consumed, " .. len)
    b = chunkbuf.Buffer()
    b:append(line .. "\n" .. line .. "\npartial")
    eq(table.concat(collect(b, "lf"), "|"), line .. "|" .. line, "lines(), " .. len)
    eq(tostring(b), "partial", "the partial line stays, " .. len)
  end
end)

test("read_line: a long line over max_len raises and stays; errors of the C call raise", function()
  local b = chunkbuf.Buffer()
  b:append(string.rep("y", 600) .. "\n")
  raises("chunkbuf.limit", b.read_line, b, "lf", 599)
  eq(#b, 601, "nothing consumed")
  eq(#b:read_line("lf", 600), 600, "fits max_len")
  b:append("abc\n")
  b:reserve(8)
  raises("chunkbuf.state", b.read_line, b)
  raises("chunkbuf.state", function() for _ in b:lines() do end end)
  b:commit("")
  eq(b:read_line(), "abc", "after the reservation")
  b:free()
  raises("already freed", b.read_line, b)
  raises("chunkbuf.Buffer expected, got chunkbuf.Stream", b.read_line, chunkbuf.Stream())
  raises("bad argument #3", b.read_line, chunkbuf.Buffer(), "lf", -1)
end)
