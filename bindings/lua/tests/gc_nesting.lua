-- Run by test_lines.lua in a fresh interpreter (so that the collector's
-- timing does not depend on the tests before it): finalizers that read
-- lines run inside the allocations of read_lines on another buffer. Prints
-- "nested <n> lines <n> expected <n> side <n> finalized <n> in_use <n>".
local chunkbuf = require "chunkbuf"
local pool = chunkbuf.Pool()
local main, side = chunkbuf.Buffer {pool = pool}, chunkbuf.Buffer {pool = pool}
local in_main, nested, side_lines, finalized = false, 0, 0, 0
local mt = {__gc = function()
  finalized = finalized + 1
  if in_main then nested = nested + 1 end
  side:append("s\n")
  side_lines = side_lines + #side:read_lines()
  local extra = side:read_line() -- nothing left: nil, "needmore"
  if extra then side_lines = side_lines + 1 end
end}
local function line(round, i) return string.format("%05d-%03d-%s", round, i, string.rep("x", 50)) end
collectgarbage("incremental", 0, 1000) -- a collection at every turn
local total, rounds = 0, 0
while rounds < 2000 and (rounds < 50 or nested < 10) do
  rounds = rounds + 1
  for _ = 1, 20 do setmetatable({}, mt) end
  for i = 1, 200 do main:append(line(rounds, i) .. "\n") end
  in_main = true
  local t = main:read_lines("lf", 200) -- long strings: an allocation each
  in_main = false
  total = total + #t
  for i = 1, #t do
    if t[i] ~= line(rounds, i) then error("line " .. i .. " of round " .. rounds .. ": " .. t[i]) end
  end
end
collectgarbage("incremental", 200, 100)
collectgarbage()
local left = #main
main:free()
side:free()
collectgarbage()
io.write(string.format("nested %d lines %d expected %d left %d side %d finalized %d in_use %d\n", nested, total,
                       rounds * 200, left, side_lines, finalized, pool:stats().bytes_in_use))
