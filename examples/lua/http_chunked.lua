-- HTTP/1.1 chunked transfer-encoding decoded incrementally: size lines with
-- take_line, chunk data as zero-copy views with split_to. The body is fed
-- in two pieces cut at every possible point; every run must decode the same
-- body, or the script fails.
--
--   LUA_CPATH='build/bindings/lua/?.so;;' lua5.4 examples/lua/http_chunked.lua
local chunkbuf = require "chunkbuf"

local Decoder = {}
Decoder.__index = Decoder

function Decoder.new() return setmetatable({state = "size", left = 0, parts = {}}, Decoder) end

-- Decodes what buf holds; returns true once the message is complete.
function Decoder:feed(buf)
  while true do
    if self.state == "size" or self.state == "trailers" then
      local line, why = buf:take_line("crlf_strict", 1024)
      if not line then assert(why == "needmore"); return false end
      line = tostring(line)
      if self.state == "trailers" then
        if line == "" then self.state = "done" end
      else
        local hex = assert(line:match("^(%x+)[;]?"), "malformed chunk size line")
        self.left = tonumber(hex, 16)
        self.state = self.left == 0 and "trailers" or "data"
      end
    elseif self.state == "data" then
      if #buf == 0 then return false end
      local view = buf:split_to(math.min(#buf, self.left)) -- what is here, zero copy
      self.parts[#self.parts + 1] = tostring(view)
      self.left = self.left - #view
      if self.left == 0 then self.state = "crlf" end
    elseif self.state == "crlf" then
      if #buf < 2 then return false end
      assert(buf:read(2) == "\r\n", "chunk data not followed by CRLF")
      self.state = "size"
    else
      return true
    end
  end
end

local wire = "7\r\nMozilla\r\n11;ext=1\r\nDeveloper Network\r\n0\r\nExpires: never\r\n\r\n"
local expect = "MozillaDeveloper Network"

for cut = 0, #wire do
  local d = Decoder.new()
  local buf <close> = chunkbuf.Buffer()
  buf:append(wire:sub(1, cut))
  d:feed(buf)
  buf:append(wire:sub(cut + 1))
  assert(d:feed(buf), "message incomplete at cut " .. cut)
  assert(table.concat(d.parts) == expect, "cut at " .. cut .. ": " .. table.concat(d.parts))
end
print(string.format("http_chunked: body %q identical at all %d split points", expect, #wire + 1))
