-- Line iteration from Lua: chunkbuf against plain Lua strings.
--
--   LUA_CPATH='<builddir>/bindings/lua/?.so' lua5.4 bench/lua/lines_bench.lua [--quick]
--       [--runs=N] [--mib=N] [--only=TEXT ...] [--inprocess] [--cost=K,SIZE]
--
-- Workload: MiB (default 16) of 80-byte lines (79 bytes of varying text and
-- "\n") arrive in chunks of 4 KiB and, separately, 64 KiB. After each chunk
-- every complete line is consumed as a Lua string: lines are counted and
-- their lengths (without the "\n") summed, and both totals must match the
-- expected numbers or the run fails. Cases, interleaved, each run
-- --runs times (default 5; --quick: 1 MiB, 1 run):
--
--   chunkbuf ...            buf:append(chunk), then the binding's line calls
--                           with eol "lf" (the alternative splits on "\n"
--                           only): the lines() iterator, the batch call
--                           read_lines() (a table of strings), read_line()
--                           (one string per call), take_lines() (a table of
--                           Views, tostring of each) and take_line() (a
--                           View, then tostring); a Stream written the
--                           chunk and read with read_line("lf", nil, 0)
--                           until no complete line is left.
--   lua string.find+sub     acc = acc:sub(pos) .. chunk, then
--                           string.find(acc, "\n", pos, true) + string.sub
--                           per line: the target's alternative.
--
-- Cases the loaded binding lacks (read_line(s) and lines() came in 0.1.x,
-- Stream:read_line in 0.3)
-- are skipped with a note, so the harness also measures older builds.
-- --only=TEXT (repeatable) keeps the cases whose name contains a TEXT.
--
-- Before timing, every case must hand out exactly the lines of a sample
-- cut at awkward places (check_content). Each timed run then happens in a
-- fresh interpreter (this script again, with --child): one untimed warm-up
-- pass over the data, two full collections, one timed pass. In a shared
-- process the cases disturb each other: after the View cases the plain-Lua
-- loop ran 15% to 2x slower (the malloc heap and the collector carry their
-- state over), which flattered the ratios. --inprocess runs everything in
-- this process anyway (for profiling; its numbers are not comparable).
-- Every child runs on one CPU (taskset, the last CPU the harness may use):
-- left to the scheduler, on a 2-vCPU guest one pass in four or five took
-- 1.5-1.8x as long, whatever the case (string.find+sub too), so a single
-- run could swing a ratio from 1.3x to 2.3x; pinned, the ratios of six
-- runs stayed within 0.1 of each other.
--
-- Instruction counts (callgrind; steadier than time on a shared machine):
-- --cost=K,SIZE makes the chunks of SIZE bytes, runs two full collections
-- and then one pass of case K (the K-th entry of `kinds` below) with no
-- warm-up and no check; K = 0 runs no case. Under
--   valgrind --tool=callgrind --collect-atstart=no --toggle-collect=lua_pcallk
-- the difference between --cost=K,SIZE and --cost=0,SIZE over the line
-- count is what one pass costs per line as the harness times it: the
-- collector's work during the pass is in it, what it leaves for later (the
-- finalizers of Views still pending, run by lua_close at exit, outside
-- lua_pcallk) is not; drop --collect-atstart=no and --toggle-collect to
-- count that too.
--
-- Time is CPU time of the process from os.clock() (the machine is shared;
-- the workload is single-threaded); the collector's work during the timed
-- pass is part of it. Reported per case: the median over the runs of
-- nanoseconds per line.
--
-- stdout: one JSON object
--   {"harness": "lua", "results": [{"name": ..., "ns_per_op": median,
--    "runs": [...], "op": "line"}, ...]}
-- stderr: progress and a table with the ratios to string.find+sub.
local chunkbuf = require "chunkbuf"

local opts = {runs = 5, mib = 16}
for _, a in ipairs(arg) do
  if a == "--quick" then
    opts.runs, opts.mib, opts.quick = 1, 1, true
  elseif a == "--inprocess" then
    opts.inprocess = true
  elseif a:match("^%-%-runs=%d+$") then
    opts.runs = tonumber(a:match("=(%d+)"))
  elseif a:match("^%-%-mib=%d+$") then
    opts.mib = tonumber(a:match("=(%d+)"))
  elseif a:match("^%-%-only=.") then
    opts.only = opts.only or {}
    opts.only[#opts.only + 1] = a:match("=(.*)")
  elseif a:match("^%-%-cost=%d+,%d+$") then -- one untimed pass of kinds[i] (0: none) at a chunk size
    opts.cost_kind, opts.cost_size = a:match("=(%d+),(%d+)")
    opts.cost_kind, opts.cost_size = tonumber(opts.cost_kind), tonumber(opts.cost_size)
  elseif a:match("^%-%-child=%d+,%d+$") then -- internal: one timed run of kinds[i] at a chunk size
    opts.child_kind, opts.child_size = a:match("=(%d+),(%d+)")
    opts.child_kind, opts.child_size = tonumber(opts.child_kind), tonumber(opts.child_size)
  else
    io.stderr:write("usage: lua5.4 lines_bench.lua [--quick] [--runs=N] [--mib=N] [--only=TEXT ...] [--inprocess] [--cost=K,SIZE]\n")
    os.exit(2)
  end
end

local LINE = 80 -- bytes per line, "\n" included
local clock, find, sub = os.clock, string.find, string.sub

local function log(...) io.stderr:write(string.format(...), "\n") end

-- The data: line i is an 8-digit number, a space and 70 bytes of text
-- starting at a different place of a phrase for each line, then "\n".
local nlines = opts.mib * 1024 * 1024 // LINE
local expect_sum = nlines * (LINE - 1)
local lines = {}
do
  local phrase = string.rep("the quick brown fox jumps over the lazy dog 0123456789 ", 3)
  for i = 1, nlines do
    local k = i % 53
    lines[i] = string.format("%08d ", i) .. sub(phrase, 1 + k, 70 + k)
    assert(#lines[i] == LINE - 1)
  end
end
local data = table.concat(lines, "\n") .. "\n"
assert(#data == nlines * LINE)
lines = nil -- not kept alive: every collection would mark them

local function chunked(size)
  local t = {}
  for i = 1, #data, size do t[#t + 1] = sub(data, i, i + size - 1) end
  return t
end

-- ---- the cases: consume(chunks) -> lines seen, sum of their lengths

local function lua_find(chunks, seen)
  local n, sum = 0, 0
  local acc, pos = "", 1
  for c = 1, #chunks do
    acc = sub(acc, pos) .. chunks[c] -- keep the partial tail, add the chunk
    pos = 1
    while true do
      local e = find(acc, "\n", pos, true)
      if not e then break end
      local line = sub(acc, pos, e - 1)
      n, sum = n + 1, sum + #line
      if seen then seen[n] = line end
      pos = e + 1
    end
  end
  assert(pos > #acc, "bytes left over")
  return n, sum
end

local function cb_lines(chunks, seen)
  local n, sum = 0, 0
  local buf = chunkbuf.Buffer()
  for c = 1, #chunks do
    buf:append(chunks[c])
    for line in buf:lines("lf") do
      n, sum = n + 1, sum + #line
      if seen then seen[n] = line end
    end
  end
  assert(#buf == 0, "bytes left over")
  buf:free()
  return n, sum
end

local function cb_read_lines(chunks, seen)
  local n, sum = 0, 0
  local buf = chunkbuf.Buffer()
  for c = 1, #chunks do
    buf:append(chunks[c])
    repeat
      local batch = buf:read_lines("lf")
      local k = #batch
      for i = 1, k do
        local line = batch[i]
        sum = sum + #line
        if seen then seen[n + i] = line end
      end
      n = n + k
    until k == 0
  end
  assert(#buf == 0, "bytes left over")
  buf:free()
  return n, sum
end

local function cb_read_line(chunks, seen)
  local n, sum = 0, 0
  local buf = chunkbuf.Buffer()
  for c = 1, #chunks do
    buf:append(chunks[c])
    while true do
      local line = buf:read_line("lf")
      if not line then break end
      n, sum = n + 1, sum + #line
      if seen then seen[n] = line end
    end
  end
  assert(#buf == 0, "bytes left over")
  buf:free()
  return n, sum
end

local function cb_take_lines(chunks, seen)
  local n, sum = 0, 0
  local buf = chunkbuf.Buffer()
  for c = 1, #chunks do
    buf:append(chunks[c])
    repeat
      local batch = buf:take_lines("lf")
      local k = #batch
      for i = 1, k do
        local line = tostring(batch[i])
        sum = sum + #line
        if seen then seen[n + i] = line end
      end
      n = n + k
    until k == 0
  end
  assert(#buf == 0, "bytes left over")
  buf:free()
  return n, sum
end

local function cb_take_line(chunks, seen)
  local n, sum = 0, 0
  local buf = chunkbuf.Buffer()
  for c = 1, #chunks do
    buf:append(chunks[c])
    while true do
      local view = buf:take_line("lf")
      if not view then break end
      local line = tostring(view)
      n, sum = n + 1, sum + #line
      if seen then seen[n] = line end
    end
  end
  assert(#buf == 0, "bytes left over")
  buf:free()
  return n, sum
end

-- A Stream fed in memory (the Lua state has no writer thread): write the
-- chunk, then read_line with timeout 0 until nothing complete is left.
local function cb_stream_read_line(chunks, seen)
  local n, sum = 0, 0
  local s = chunkbuf.Stream()
  for c = 1, #chunks do
    s:write(chunks[c])
    while true do
      local line = s:read_line("lf", nil, 0)
      if not line then break end
      n, sum = n + 1, sum + #line
      if seen then seen[n] = line end
    end
  end
  assert(#s == 0, "bytes left over")
  s:free()
  return n, sum
end

local probe = chunkbuf.Buffer()
local has = {lines = probe.lines ~= nil, read_lines = probe.read_lines ~= nil, read_line = probe.read_line ~= nil}
probe:free()
local stream_probe = chunkbuf.Stream()
has.stream_read_line = stream_probe.read_line ~= nil
stream_probe:free()

local kinds = {
  {"chunkbuf lines()", cb_lines, has.lines},
  {"chunkbuf read_lines", cb_read_lines, has.read_lines},
  {"chunkbuf read_line", cb_read_line, has.read_line},
  {"chunkbuf take_lines+tostring", cb_take_lines, true},
  {"chunkbuf take_line+tostring", cb_take_line, true},
  {"chunkbuf Stream:read_line", cb_stream_read_line, has.stream_read_line},
  {"lua string.find+sub", lua_find, true, "alt"},
}

-- Before timing: every case must hand out exactly the lines of a small
-- sample (lengths 0 to 300 and one of 10000, "\r" and NUL bytes inside,
-- cut into pieces of 1 to 109 bytes and one of 20000), not just the right
-- totals. The timed runs pass no `seen` table.
local function check_content(fn)
  local want, r = {}, 7
  for i = 1, 400 do
    r = (r * 1103515245 + 12345) % 2147483648
    local len = i == 200 and 10000 or r % 301
    local t = {}
    for j = 1, len do t[j] = string.char(((r >> 8) + j * 7) % 255 + 1) end
    want[i] = table.concat(t):gsub("\n", "\0")
  end
  local sample = table.concat(want, "\n") .. "\n"
  local pieces, i, step = {}, 1, 1
  while i <= #sample do
    local size = #pieces == 50 and 20000 or step
    pieces[#pieces + 1] = sub(sample, i, i + size - 1)
    i = i + size
    step = step % 109 + 1
  end
  local seen = {}
  local n, sum = fn(pieces, seen)
  local wsum = #sample - #want
  if n ~= #want or sum ~= wsum then return string.format("%d lines, %d bytes; want %d, %d", n, sum, #want, wsum) end
  for k = 1, #want do
    if seen[k] ~= want[k] then return string.format("line %d differs", k) end
  end
end

local function median(t)
  local s = {}
  for i, v in ipairs(t) do s[i] = v end
  table.sort(s)
  local m = #s
  if m % 2 == 1 then return s[(m + 1) // 2] end
  return (s[m // 2] + s[m // 2 + 1]) / 2
end

-- One timed pass of fn over chunks: ns per line; the totals must match.
local function timed(name, fn, chunks)
  collectgarbage("collect")
  collectgarbage("collect") -- frees what the first one finalized (Views, Buffers)
  local t0 = clock()
  local n, sum = fn(chunks)
  local t1 = clock()
  if n ~= nlines or sum ~= expect_sum then
    error(string.format("%s: %d lines, %d bytes; want %d, %d", name, n, sum, nlines, expect_sum))
  end
  return (t1 - t0) * 1e9 / n
end

if opts.cost_kind then
  local chunks = chunked(opts.cost_size)
  collectgarbage("collect")
  collectgarbage("collect")
  if opts.cost_kind > 0 then assert(kinds[opts.cost_kind], "no such case")[2](chunks) end
  return -- not os.exit: the interpreter's lua_close then runs outside lua_pcallk
end

if opts.child_kind then
  local k = assert(kinds[opts.child_kind], "no such case")
  local chunks = chunked(opts.child_size)
  timed(k[1], k[2], chunks) -- warm-up
  io.write(string.format("%.3f\n", timed(k[1], k[2], chunks)))
  os.exit(0)
end

-- The interpreter and script for the child runs (arg[-1] ... arg[0]).
local interp, i0 = nil, 0
while arg[i0 - 1] do i0 = i0 - 1 end
interp = arg[i0]
local function quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- The CPU every child runs on: the last one this process may use, when
-- taskset is there (see the header).
local pin = ""
do
  local status = io.open("/proc/self/status")
  local allowed = status and status:read("a"):match("Cpus_allowed_list:%s*([%d,%-]+)")
  if status then status:close() end
  local cpu = allowed and allowed:match("(%d+)$")
  if cpu and os.execute("command -v taskset >/dev/null 2>&1") then pin = "taskset -c " .. cpu .. " " end
end

local function run_child(c)
  local cmd = string.format("%s%s %s --child=%d,%d --mib=%d", pin, quote(interp), quote(arg[0]), c.kind_index,
                            c.size, opts.mib)
  local p = assert(io.popen(cmd, "r"))
  local out = p:read("a")
  local ok, how, code = p:close()
  local ns = tonumber(out:match("^%s*([%d.]+)%s*$"))
  if not ok or not ns then error(string.format("%s: child run failed (%s %s): %s", c.name, how, code, out)) end
  return ns
end

local cases = {}
for _, size in ipairs {4096, 65536} do
  local label = size == 4096 and "4 KiB chunks" or "64 KiB chunks"
  for ki, k in ipairs(kinds) do
    local name = k[1] .. ", " .. label
    local wanted = not opts.only
    for _, text in ipairs(opts.only or {}) do wanted = wanted or name:find(text, 1, true) ~= nil end
    if not wanted then
      -- left out by --only
    elseif k[3] then
      cases[#cases + 1] = {name = name, fn = k[2], kind_index = ki, alt = k[4], runs = {}, size = size, kind = k[1]}
    elseif size == 4096 then
      log("skipped: %s (not in this build of the binding)", k[1])
    end
  end
end

local checked = {}
for _, c in ipairs(cases) do
  if not checked[c.kind] then
    local err = check_content(c.fn)
    if err then error(c.kind .. ", content check: " .. err) end
    checked[c.kind] = true
  end
end

log("lua line benchmark: %d MiB, %d lines of %d bytes, %d run(s) per case, os.clock CPU time, %s",
    opts.mib, nlines, LINE, opts.runs, opts.inprocess and "all in this process" or "each run in a fresh interpreter")
local chunks_of = {}
for r = 1, opts.runs do
  for _, c in ipairs(cases) do
    local ns
    if opts.inprocess then
      chunks_of[c.size] = chunks_of[c.size] or chunked(c.size)
      ns = timed(c.name, c.fn, chunks_of[c.size])
    else
      ns = run_child(c)
    end
    c.runs[#c.runs + 1] = ns
    log("run %d/%d  %-45s %8.1f ns/line", r, opts.runs, c.name, ns)
  end
end

-- Summary on stderr: median and the alternative's time / this case's time
-- (speed ratio, higher is better for chunkbuf).
local alt = {}
for _, c in ipairs(cases) do
  c.median = median(c.runs)
  if c.alt then alt[c.size] = c.median end
end
log("")
log("%-45s %10s %12s", "case", "ns/line", "speed vs find")
for _, c in ipairs(cases) do
  if alt[c.size] then
    log("%-45s %10.1f %11.2fx", c.name, c.median, alt[c.size] / c.median)
  else
    log("%-45s %10.1f", c.name, c.median)
  end
end

local function num(x) return string.format("%.2f", x) end
local out = {}
for _, c in ipairs(cases) do
  local runs = {}
  for i, v in ipairs(c.runs) do runs[i] = num(v) end
  out[#out + 1] = string.format('{"name": "%s", "ns_per_op": %s, "runs": [%s], "op": "line"}', c.name,
                                num(c.median), table.concat(runs, ", "))
end
io.write('{"harness": "lua", "results": [', table.concat(out, ", "), "]}\n")
