-- Consumer scenario for an installed Lua module: run by consumer_test.py
-- with LUA_CPATH naming only the installed module directory (or the
-- default path, for a system install). CHUNKBUF_EXPECT_DIR, when set, is
-- where the module must come from.
local chunkbuf = require "chunkbuf"

local where = package.searchpath("chunkbuf", package.cpath)
local expect = os.getenv("CHUNKBUF_EXPECT_DIR")
if expect and expect ~= "" then
  assert(where and where:sub(1, #expect + 1) == expect .. "/",
    "chunkbuf loaded from " .. tostring(where) .. ", not from under " .. expect)
end

-- A stream: the reader polls (nothing yet), the writer delivers pieces,
-- the reader takes lines until EOF.
local stream = chunkbuf.Stream()
local data, why = stream:read_nonblock(16)
assert(data == nil and why == "again", tostring(why))
local count = 500
for i = 0, count - 1 do
  local line = "event " .. i .. "\n"
  stream:write(line:sub(1, 4))
  stream:write(line:sub(5))
end
stream:close()
local got = 0
for line in stream:lines() do
  assert(line == "event " .. got, line)
  got = got + 1
end
assert(got == count, got)

-- A buffer handing out CRLF lines, bytes with NULs intact.
local buf = chunkbuf.Buffer()
buf:append("GET / HTTP/1.1\r\nHo")
buf:append("st: x\r\n\r\nrest\0z")
local lines = buf:take_lines("crlf")
assert(#lines == 3 and tostring(lines[1]) == "GET / HTTP/1.1" and tostring(lines[2]) == "Host: x")
assert(#buf == 6)

print(string.format("lua consumer: chunkbuf from %s: %d stream lines, %d buffer lines", where, got, #lines))
