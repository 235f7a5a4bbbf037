-- Run by test_reliability.lua in a fresh interpreter: finalizers that
-- consume lines of the very buffer Buffer:lines() is reading, while it
-- builds lines that span segments (every line is two appended views, so
-- two segments). Each line must be handed out exactly once, whole, by the
-- loop or by a finalizer. Prints "lines <n> stolen <n> expected <n> bad <n>
-- order <n>".
local chunkbuf = require "chunkbuf"
local main = chunkbuf.Buffer()
local stolen, bad = {}, 0
local mt = {__gc = function()
  local line = main:read_line()
  if line then stolen[#stolen + 1] = line end
end}
local function line(i)
  local tail = i % 7 == 0 and string.rep("L", 600) or string.rep("s", 40) -- long ones take the view path
  return string.format("%06d-%s", i, tail)
end
local function check(l)
  local i = tonumber(l:sub(1, 6))
  if not i or l ~= line(i) then bad = bad + 1 end
  return i or -1
end
collectgarbage("incremental", 0, 1000) -- a collection at every turn
local expected, got, last, order = 0, 0, -1, 0
for round = 1, 300 do
  for _ = 1, 10 do setmetatable({}, mt) end
  for _ = 1, 20 do
    expected = expected + 1
    local l = line(expected)
    local cut = 3 + expected % 5
    main:append_view(chunkbuf.View(l:sub(1, cut)))
    main:append_view(chunkbuf.View(l:sub(cut + 1) .. "\n"))
  end
  for l in main:lines() do
    got = got + 1
    local i = check(l)
    if i <= last then order = order + 1 end
    last = i
  end
end
collectgarbage("incremental", 200, 100)
collectgarbage()
for l in main:lines() do got = got + 1; check(l) end
for _, l in ipairs(stolen) do check(l) end
io.write(string.format("lines %d stolen %d expected %d bad %d order %d\n", got, #stolen, expected, bad, order))
