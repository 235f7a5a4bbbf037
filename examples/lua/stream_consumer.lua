-- A producer and a consumer sharing a chunkbuf.Stream, scheduled by a tiny
-- coroutine loop the way an event loop would drive them: the consumer
-- reads without blocking and yields when the answer is "again". (A writer
-- on another thread works the same way, with blocking reads and timeouts.)
--
--   LUA_CPATH='build/bindings/lua/?.so;;' lua5.4 examples/lua/stream_consumer.lua
local chunkbuf = require "chunkbuf"

local stream = chunkbuf.Stream()
print("readiness fd for event loops: " .. stream:readiness_fd())

local producer = coroutine.wrap(function()
  for _, chunk in ipairs {"temp=21.5\nhum", "idity=40\n", "temp=22.0\n", "wind=3\n"} do
    stream:write(chunk)
    coroutine.yield()
  end
  stream:close()
end)

local readings = {}
local consumer = coroutine.wrap(function()
  local pending = chunkbuf.Buffer()
  while true do
    local data, why = stream:read_nonblock(4096)
    if data then
      pending:append(data)
      for _, line in ipairs(pending:take_lines("lf")) do
        local key, value = tostring(line):match("^(%w+)=(.+)$")
        readings[#readings + 1] = key .. " " .. value
        print("reading: " .. readings[#readings])
      end
    elseif why == "again" then
      coroutine.yield() -- nothing yet: let the producer run
    else
      assert(why == "eof")
      return "done"
    end
  end
end)

repeat
  producer()
until consumer() == "done"

assert(table.concat(readings, ",") == "temp 21.5,humidity 40,temp 22.0,wind 3")

-- The same lines again, read by the blocking iterator once all is written.
local replay = chunkbuf.Stream()
replay:write("a\nb\nc\n")
replay:close()
local seen = {}
for line in replay:lines() do seen[#seen + 1] = line end
assert(table.concat(seen) == "abc")
print("replayed " .. #seen .. " lines")
