-- Parse an HTTP request that arrives in awkward pieces: take header lines
-- as they complete, then hand the body out as a zero-copy view.
--
--   LUA_CPATH='build/bindings/lua/?.so;;' lua5.4 examples/lua/line_parser.lua
local chunkbuf = require "chunkbuf"

local pieces = {
  "POST /upload HT", "TP/1.1\r\nHost: exa", "mple.org\r\nContent-Length: 11\r\n",
  "\r\nhello", " world",
}

local buf = chunkbuf.Buffer {max_bytes = 1 << 20}
local request, headers, body = nil, {}, nil

for _, piece in ipairs(pieces) do
  buf:append(piece)
  while not body do
    if request and headers["content-length"] and not buf:find("\n") then
      -- Headers done: wait for the whole body, then cut it out.
      local length = tonumber(headers["content-length"])
      if #buf < length then break end
      body = buf:split_to(length)
    else
      local line, why = buf:take_line("crlf", 8192)
      if not line then
        assert(why == "needmore")
        break -- wait for the next piece
      end
      line = tostring(line)
      if not request then
        request = line
      elseif line ~= "" then
        local name, value = line:match("^([^:]+):%s*(.*)$")
        headers[name:lower()] = value
      end
    end
  end
end

print("request: " .. request)
for name, value in pairs(headers) do print("header: " .. name .. " = " .. value) end
print(string.format("body: %q (%d bytes in %d segment(s))", tostring(body), #body, body:segment_count()))

assert(request == "POST /upload HTTP/1.1")
assert(headers.host == "example.org")
assert(body == chunkbuf.View("hello world"))
