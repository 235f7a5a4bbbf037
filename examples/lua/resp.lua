-- Redis RESP values parsed incrementally from a chunkbuf.Buffer. A value is
-- consumed only once it is complete (nested arrays included): the parser
-- measures it with non-consuming find/peek first. The input is fed in two
-- pieces cut at every possible point; each run must render the same values
-- as the one-shot parse, or the script fails.
--
--   LUA_CPATH='build/bindings/lua/?.so;;' lua5.4 examples/lua/resp.lua
local chunkbuf = require "chunkbuf"

-- Renders the value starting at position pos (1-based) and returns the
-- position after it, or nil when the value is not complete yet.
local function value_at(buf, pos, out)
  local cr = buf:find("\r\n", pos)
  if not cr then return nil end
  local line = buf:peek(cr - pos, pos)
  local kind, rest = line:sub(1, 1), line:sub(2)
  local after = cr + 2
  if kind == "+" or kind == "-" or kind == ":" then
    out[#out + 1] = kind .. "(" .. rest .. ")"
    return after
  elseif kind == "$" then
    local n = assert(math.tointeger(tonumber(rest)), "bad bulk length")
    if n == -1 then
      out[#out + 1] = "nil"
      return after
    end
    if #buf < after + n + 1 then return nil end -- data and its CRLF
    out[#out + 1] = "$(" .. buf:peek(n, after) .. ")"
    return after + n + 2
  elseif kind == "*" then
    local n = assert(math.tointeger(tonumber(rest)), "bad array length")
    out[#out + 1] = "["
    for _ = 1, n do
      after = value_at(buf, after, out)
      if not after then return nil end
    end
    out[#out + 1] = "]"
    return after
  end
  error("malformed RESP type byte " .. string.format("%q", kind))
end

-- Takes every complete value off the front of buf.
local function parse(buf, values)
  while #buf > 0 do
    local rendered = {}
    local after = value_at(buf, 1, rendered)
    if not after then return end
    buf:advance(after - 1)
    values[#values + 1] = table.concat(rendered)
  end
end

local wire = "+OK\r\n-ERR wrong type\r\n:1000\r\n$5\r\nhel\0o\r\n$-1\r\n$0\r\n\r\n" ..
             "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n*3\r\n:1\r\n*1\r\n+nested\r\n$4\r\nbulk\r\n"

local whole = {}
local buf <close> = chunkbuf.Buffer()
buf:append(wire)
parse(buf, whole)
local expect = "+(OK) -(ERR wrong type) :(1000) $(hel\0o) nil $() [$(GET)$(key)] [:(1)[+(nested)]$(bulk)]"
assert(table.concat(whole, " ") == expect, table.concat(whole, " "))

for cut = 0, #wire do
  local values = {}
  local b <close> = chunkbuf.Buffer()
  b:append(wire:sub(1, cut))
  parse(b, values)
  b:append(wire:sub(cut + 1))
  parse(b, values)
  assert(#b == 0, "bytes left over at cut " .. cut)
  assert(table.concat(values, " ") == expect, "cut at " .. cut .. ": " .. table.concat(values, " "))
end
print(string.format("resp: %d values, identical at all %d split points", #whole, #wire + 1))
