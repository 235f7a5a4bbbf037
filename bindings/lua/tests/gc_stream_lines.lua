-- Run by test_reliability.lua in a fresh interpreter: finalizers that take
-- lines of the very Stream that Stream:read_line is reading. A line too
-- long for the C stack is read again into a Lua buffer, and that
-- allocation's collection step runs finalizers, which may take the line
-- first; the read then hands out the next one. Every line must be handed
-- out exactly once, whole, by the loop or by a finalizer. Prints "lines
-- <n> stolen <n> expected <n> bad <n> order <n>".
local chunkbuf = require "chunkbuf"
local s = chunkbuf.Stream()
local stolen, bad = {}, 0
local mt = {__gc = function()
  local line = s:read_line("lf", nil, 0)
  if line then stolen[#stolen + 1] = line end
end}
local function line(i)
  local tail = i % 3 == 0 and string.rep("L", 600 + i % 50) or string.rep("s", 40) -- long ones take the Lua buffer
  return string.format("%06d-%s", i, tail)
end
local function check(l)
  local i = tonumber(l:sub(1, 6))
  if not i or l ~= line(i) then bad = bad + 1 end
  return i or -1
end
collectgarbage("incremental", 0, 1000) -- a collection at every turn
local expected, got, last, order = 0, 0, -1, 0
for _ = 1, 300 do
  for _ = 1, 10 do setmetatable({}, mt) end
  for _ = 1, 20 do
    expected = expected + 1
    s:write(line(expected) .. "\n")
  end
  while true do
    local l = s:read_line("lf", nil, 0)
    if not l then break end
    got = got + 1
    local i = check(l)
    if i <= last then order = order + 1 end
    last = i
  end
end
collectgarbage("incremental", 200, 100)
collectgarbage()
while true do
  local l = s:read_line("lf", nil, 0)
  if not l then break end
  got = got + 1
  check(l)
end
for _, l in ipairs(stolen) do check(l) end
io.write(string.format("lines %d stolen %d expected %d bad %d order %d\n", got, #stolen, expected, bad, order))

