-- Run by test_reliability.lua in a fresh interpreter: finalizers that take
-- lines of the very buffer peek_lines / peek_records is reading, while the
-- strings of its result are being made (every Lua allocation may run a
-- collection step, and with it finalizers). A peek must still return
-- exactly the complete lines the buffer held when it looked: a run of
-- whole lines, in order, ending with the last one appended. Prints
-- "calls <n> raced <n> bad <n>": raced counts the calls during which a
-- finalizer took a line.
local chunkbuf = require "chunkbuf"
local b = chunkbuf.Buffer()
local front, appended = 1, 0 -- the first line still buffered; the last one appended
local function line(i) return string.format("%06d:%s", i, string.rep(string.char(97 + i % 26), i % 37)) end
local mt = {__gc = function()
  if b:take_line("lf") then front = front + 1 end
end}

-- Whether got is line(j), line(j + 1), ..., line(appended) for some j in
-- [first, last].
local function whole_run(got, first, last)
  local j = appended - #got + 1
  if j < first or j > last then return false end
  for i = 1, #got do
    if got[i] ~= line(j + i - 1) then return false end
  end
  return true
end

collectgarbage("incremental", 0, 1000) -- a collection at every turn
local calls, raced, bad = 0, 0, 0
for round = 1, 400 do
  while appended - front < 60 do
    appended = appended + 1
    b:append(line(appended) .. "\n")
  end
  for _ = 1, 8 do setmetatable({}, mt) end
  local before = front
  local got = round % 2 == 0 and b:peek_lines("lf") or b:peek_records("\n")
  calls = calls + 1
  if front ~= before then raced = raced + 1 end
  if not whole_run(got, before, front) then bad = bad + 1 end
end
collectgarbage("incremental", 200, 100)
io.write(string.format("calls %d raced %d bad %d\n", calls, raced, bad))
