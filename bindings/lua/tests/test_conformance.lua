-- Runs every shared conformance vector (tests/conformance/*.json, format in
-- its README.md) through the Lua API, on the segmented and on the linear
-- Buffer backend, and prints each file's counts. Vectors count bytes from
-- 0 and use -1 for "absent"; the Lua API counts positions from 1 and
-- answers nil. The operations are the table `ops`.
local chunkbuf = require "chunkbuf"
local testing = require "chunkbuf_testing"
local json = require "dkjson"
local harness = require "harness"

local function unhex(s)
  return (s:gsub("%x%x", function(h) return string.char(tonumber(h, 16)) end))
end

-- Vector text is code points below 256, one byte each (dkjson decodes
-- \u0080..\u00ff to UTF-8, so fold those back).
local function latin1(s)
  if not s:find("[\xc2\xc3]") then return s end
  local out = {}
  for _, c in utf8.codes(s) do out[#out + 1] = string.char(c) end
  return table.concat(out)
end

-- A byte-valued field, given as text or with the _hex suffix.
local function bytes(step, name)
  if step[name .. "_hex"] then return unhex(step[name .. "_hex"]) end
  return step[name] and latin1(step[name])
end

local function position(first) return first and first + 1 or nil end
local function offset(pos) return pos and pos - 1 or -1 end

local function strings(list)
  local out = {}
  for i, v in ipairs(list) do out[i] = tostring(v) end
  return out
end

local function make_framer(spec)
  if spec.type == "delimiter" then
    local delims = {}
    for i, d in ipairs(spec.delimiters) do delims[i] = latin1(d) end
    return chunkbuf.DelimiterFramer {delimiters = delims, max_frame = spec.max_frame,
                                     include_delimiter = spec.include_delimiter}
  end
  -- absent strip: the binding's default, the whole header
  return chunkbuf.LengthFramer {length_width = spec.length_width, order = spec.order,
                                length_offset = spec.length_offset, length_adjust = spec.length_adjust,
                                strip = spec.strip, max_frame = spec.max_frame}
end

-- The class of a raised chunkbuf error, or nil for any other error.
local function class_of(err) return tostring(err):match("^chunkbuf%.(%w+):") end

local function drain(framer, buf, final, frames)
  while true do
    local v, why = framer:next(buf, final)
    if not v then return why end
    frames[#frames + 1] = tostring(v)
  end
end

-- frame_all_cuts: every cut point of the input gives the same frames (and
-- the same error). Returns the frames, or nil, the class, the frames.
local function all_cuts(c, s)
  local input, final = bytes(s, "input"), s.final ~= false
  local first, first_err
  for cut = 0, #input do
    local buf = chunkbuf.Buffer(c.opts)
    local frames = {}
    local ok, err = pcall(function()
      buf:append(input:sub(1, cut))
      drain(c.framer, buf, false, frames)
      buf:append(input:sub(cut + 1))
      drain(c.framer, buf, false, frames)
      if final then drain(c.framer, buf, true, frames) end
    end)
    buf:free()
    local class = not ok and (class_of(err) or error(err)) or nil
    if cut == 0 then
      first, first_err = frames, class
    elseif table.concat(frames, "\0|") ~= table.concat(first, "\0|") or class ~= first_err then
      error(string.format("cut at %d gives other frames than cut at 0", cut))
    end
  end
  if first_err then return nil, first_err, first end
  return first
end

local whence = {set = "set", cur = "cur", ["end"] = "end"}

-- op name -> function(case, step) returning the result, or nil plus a
-- reason (the error class) for the API's soft answers.
local ops = {}
local function keep(c, name, v, why)
  if not v then return nil, why end
  if name then c.views[name] = v end
  return tostring(v)
end
-- buffer, write side
function ops.append(c, s) c.buf:append(bytes(s, "data")) end
function ops.append_ref(c, s) c.buf:append_ref(bytes(s, "data")) end
function ops.append_view(c, s) c.buf:append_view(c.views[s.view]) end
function ops.reserve(c, s) c.buf:reserve(s.n) end
function ops.commit(c, s) c.buf:commit(bytes(s, "data")) end
function ops.commit_count(c, s) c.buf:commit(s.n) end
function ops.free_buffer(c) c.buf:free() end
function ops.new_buffer(c) c.buf = chunkbuf.Buffer(c.opts) end
-- buffer, inspect
function ops.len(c) return #c.buf end
function ops.contents(c) return tostring(c.buf) end
function ops.find(c, s) return offset(c.buf:find(bytes(s, "needle"), position(s.start or 0), s["end"])) end
function ops.rfind(c, s) return offset(c.buf:rfind(bytes(s, "needle"), position(s.start or 0), s["end"])) end
function ops.equals(c, s) return c.buf:equals(bytes(s, "data")) end
function ops.copy_out(c, s) return c.buf:peek(s.n, position(s.offset)) end
function ops.peek_u8(c, s) return c.buf:peek_u8(position(s.offset)) end
function ops.peek_u16(c, s) return c.buf:peek_u16(position(s.offset), s.order) end
function ops.peek_u32(c, s) return c.buf:peek_u32(position(s.offset), s.order) end
function ops.peek_u64(c, s) return c.buf:peek_u64(position(s.offset), s.order) end
function ops.coalesce(c, s) return c.buf:coalesce(s.n) end
function ops.peek_lines(c, s) return c.buf:peek_lines(s.eol, s.max_records, s.max_len) end
function ops.peek_records(c, s) return c.buf:peek_records(bytes(s, "delim"), s.max_records, s.max_len) end
-- buffer, consume
function ops.advance(c, s) c.buf:advance(s.n) end
function ops.read_uint(c, s) return c.buf:read_uint(s.width, s.order) end
function ops.read_exact(c, s) return c.buf:read_bytes(s.n) end
function ops.peek_exact(c, s) return c.buf:peek_exact(s.n) end
function ops.read(c, s) return c.buf:read(s.n) end
function ops.split_to(c, s) return keep(c, s.as, c.buf:split_to(s.n)) end
function ops.take_until(c, s) return keep(c, s.as, c.buf:take_until(bytes(s, "delim"), s.include, s.max_len)) end
function ops.take_line(c, s) return keep(c, s.as, c.buf:take_line(s.eol, s.max_len)) end
function ops.take_lines(c, s) return strings(c.buf:take_lines(s.eol, s.max_records, s.max_len)) end
function ops.take_records(c, s)
  return strings(c.buf:take_records(bytes(s, "delim"), s.max_records, s.max_len))
end
-- views
function ops.view_from_bytes(c, s)
  local data = bytes(s, "data")
  return keep(c, s.as, s.pool and chunkbuf.View(data, c.pool) or chunkbuf.View(data))
end
function ops.view_bytes(c, s) return tostring(c.views[s.view]) end
function ops.view_len(c, s) return #c.views[s.view] end
function ops.view_slice(c, s) return keep(c, s.as, c.views[s.view]:slice(position(s.start), s["end"])) end
function ops.view_find(c, s)
  return offset(c.views[s.view]:find(bytes(s, "needle"), position(s.start or 0), s["end"]))
end
function ops.view_equals(c, s) return c.views[s.view]:equals(bytes(s, "data")) end
function ops.view_equals_view(c, s) return c.views[s.view] == c.views[s.other] end
function ops.view_copy_out(c, s) return c.views[s.view]:peek(s.n, position(s.offset)) end
function ops.view_concat(c, s)
  local list = {}
  for i, name in ipairs(s.views) do list[i] = c.views[name] end
  return keep(c, s.as, chunkbuf.concat(list))
end
function ops.view_contiguous(c, s) return keep(c, s.as, c.views[s.view]:contiguous()) end
function ops.view_segment_count(c, s) return c.views[s.view]:segment_count() end
function ops.view_retag(c, s)
  local kind = s.kind_id or chunkbuf.register_kind(s.kind)
  return keep(c, s.as, c.views[s.view]:retag(kind))
end
function ops.view_kind(c, s) return chunkbuf.kind_name(c.views[s.view]:kind()) end
function ops.view_tenant(c, s) return c.views[s.view]:tenant() end
function ops.view_tenant_name(c, s) return c.views[s.view]:tenant_name() or "" end
function ops.view_with_tenant(c, s) return keep(c, s.as, c.views[s.view]:with_tenant(s.tenant)) end
function ops.view_from_bytes_kind(c, s)
  return keep(c, s.as, chunkbuf.from_bytes(bytes(s, "data"), s.kind, s.pool and c.pool or nil))
end
function ops.capacity(c) return c.buf:capacity() end
function ops.ensure_capacity(c, s) c.buf:ensure_capacity(s.n) end
function ops.freeze(c, s) return keep(c, s.as, c.buf:freeze(s.kind)) end
function ops.pool_get(c, s) c.buf = c.pool:get(s.size) end -- the buffer it replaces is collected
function ops.pool_prewarm(c, s) c.pool:prewarm(s.count, s.size) end
function ops.optimal_buffer_size(_, s) return chunkbuf.optimal_buffer_size(s.total, s.min, s.max) end
function ops.view_clone(c, s) return keep(c, s.as, c.views[s.view]:clone()) end
function ops.view_sharers(c, s) return c.views[s.view]:sharers() end
function ops.view_sha256(c, s) return c.views[s.view]:sha256() end
function ops.view_release(c, s)
  c.views[s.view]:release()
  c.views[s.view] = nil
end
-- framers
function ops.framer_new(_, s) make_framer(s.framer):free() end
ops.frame_all_cuts = all_cuts
function ops.frame_next(c, s) return keep(c, s.as, c.framer:next(c.buf, s.final)) end
function ops.frame_batch(c, s) return strings(c.framer:next_batch(c.buf, s.final, s.max_records)) end
function ops.frame_encode(c, s) c.framer:encode(c.buf, chunkbuf.View(bytes(s, "data"))) end
-- ring
function ops.ring_new(_, s) chunkbuf.Ring(s.capacity):free() end
function ops.ring_write(c, s) return c.ring:write(bytes(s, "data")) end
function ops.ring_read(c, s) return c.ring:read(s.n) end
function ops.ring_peek(c, s) return c.ring:peek(s.n) end
function ops.ring_available(c) return c.ring:readable_amount() end
function ops.ring_remaining(c) return c.ring:writable_amount() end
function ops.ring_capacity(c) return c.ring:capacity() end
-- pool
function ops.pool_stats(c, s)
  local stats, out = c.pool:stats(), {}
  for k in pairs(s.expect) do out[k] = stats[k] end
  return out
end
function ops.pool_trim(c) c.pool:trim() end
function ops.pool_tenant_usage(c, s) return c.pool:tenant_usage(s.tenant) end
-- stream (no call in a vector ever waits); end of file reads as ""
local function eof_is_empty(v, why)
  if v == nil and why == "eof" then return "" end
  return v, why
end
function ops.stream_write(c, s) assert(c.stream:write(bytes(s, "data"))) end
function ops.stream_write_eof(c) c.stream:close() end
function ops.stream_abort(c, s) c.stream:abort(s.code) end
function ops.stream_read(c, s) return eof_is_empty(c.stream:read(s.n)) end
function ops.stream_read1(c, s) return eof_is_empty(c.stream:read1(s.n)) end
function ops.stream_read_nonblock(c, s) return eof_is_empty(c.stream:read_nonblock(s.n)) end
function ops.stream_readline(c, s) return eof_is_empty(c.stream:readline(s.max)) end
function ops.stream_readable_amount(c) return c.stream:readable_amount() end
function ops.stream_at_eof(c) return c.stream:at_eof() end
function ops.stream_find(c, s)
  return offset(c.stream:find(bytes(s, "needle"), position(s.start or 0), s["end"]))
end
function ops.stream_seek(c, s) return c.stream:seek(whence[s.whence], s.offset) end
function ops.stream_tell(c) return c.stream:tell() end
-- errors
function ops.raise_code(_, s) return testing.status_of(s.code) end

-- The vectors' error classes, from a raised message or a nil's reason.
local classes = {needmore = "need_more"}
local function class_name(reason) return classes[reason] or reason end

local function same(got, want)
  if math.type(want) == "float" and math.type(got) == "integer" and got < 0 then
    return got + 2.0 ^ 64 == want -- a u64 past 2^63: Lua integers wrap, JSON gives a float
  end
  if type(want) ~= "table" then return got == want end
  if type(got) ~= "table" then return false end
  for k, v in pairs(want) do if not same(got[k], v) then return false end end
  for k in pairs(got) do if want[k] == nil then return false end end
  return true
end

local function show(v)
  if type(v) ~= "table" then return string.format("%q", v) end
  local parts = {}
  for k, x in pairs(v) do parts[#parts + 1] = tostring(k) .. "=" .. show(x) end
  table.sort(parts)
  return "{" .. table.concat(parts, ", ") .. "}"
end

-- The vector's expected value in Lua terms (strings as bytes).
local function want_of(step)
  if step.expect_hex then return unhex(step.expect_hex) end
  local w = step.expect
  if type(w) == "string" then return latin1(w) end
  if type(w) == "table" and #w > 0 and type(w[1]) == "string" then
    local out = {}
    for i, x in ipairs(w) do out[i] = latin1(x) end
    return out
  end
  return w
end

local function run_step(c, step, where)
  local op = ops[step.op]
  if not op then error(where .. ": the Lua runner has no operation '" .. tostring(step.op) .. "'") end
  local ok, result, reason, partial = pcall(op, c, step)
  local failure
  if not ok then
    failure = class_of(result) or error(where .. ": unexpected error: " .. tostring(result))
  elseif result == nil and type(reason) == "string" then
    failure = reason
  end
  if step.expect_error then
    if class_name(failure) ~= step.expect_error then
      error(string.format("%s: want error %s, got %s", where, step.expect_error,
                          failure or ("success " .. show(result))))
    end
    if step.expect ~= nil and not same(partial or {}, want_of(step)) then
      error(string.format("%s: before the error got %s", where, show(partial)))
    end
  elseif failure then
    error(string.format("%s: unexpected failure %s", where, failure))
  elseif step.expect ~= nil or step.expect_hex ~= nil then
    local want = want_of(step)
    if not same(result, want) then
      error(string.format("%s: got %s, want %s", where, show(result), show(want)))
    end
  end
end

-- What one case works on: buffer, views, and the stream, ring, framer
-- and pool it asks for.
local function new_case(case, linear)
  local c = {views = {}}
  if case.pool then
    c.pool = chunkbuf.Pool {max_cached_bytes_per_class = case.pool.max_cached_bytes_per_class}
    if case.pool.tenant_quota then c.pool:set_tenant_quota(case.pool.tenant_quota[1], case.pool.tenant_quota[2]) end
  end
  c.opts = {linear = linear, pool = c.pool}
  for k, v in pairs(case.buffer or {}) do c.opts[k] = v end
  c.buf = chunkbuf.Buffer(c.opts)
  if case.stream then
    c.stream = chunkbuf.Stream {pool = c.pool, content_length = case.stream.content_length,
                                retain = case.stream.retain, max_bytes = case.stream.max_bytes}
  end
  if case.ring then c.ring = chunkbuf.Ring(case.ring.capacity) end
  if case.framer then c.framer = make_framer(case.framer) end
  return c
end

return function(paths)
  assert(#paths > 0, "no conformance vectors found")
  local total = 0
  for _, path in ipairs(paths) do
    local f = assert(io.open(path, "rb"))
    local doc, _, err = json.decode(f:read("a"))
    f:close()
    assert(doc, path .. ": " .. tostring(err))
    local file = path:match("[^/]+$")
    total = total + #doc.cases
    harness.test("conformance " .. file .. ": status code table", function()
      for _, row in ipairs(doc.codes or {}) do
        local ok, result, reason = pcall(testing.status_of, row.code)
        local got = ok and reason or class_of(result)
        if got ~= row.lua then error(string.format("code %d: got %s, want %s", row.code, tostring(got), row.lua)) end
      end
    end)
    for _, linear in ipairs {false, true} do
      local backend = linear and "linear" or "segmented"
      local passed, failed = 0, 0
      for _, case in ipairs(doc.cases) do
        local name = string.format("conformance %s: %s (%s)", file, case.name, backend)
        local ok = harness.test(name, function()
          local c = new_case(case, linear)
          for i, step in ipairs(case.steps) do
            run_step(c, step, string.format("step %d (%s)", i, step.op))
          end
        end)
        if ok == false then failed = failed + 1 else passed = passed + 1 end
      end
      print(string.format("conformance %s (%s): %d passed, %d failed", file, backend, passed, failed))
    end
  end
  harness.test("conformance: at least 300 cases", function() assert(total >= 300, total .. " cases") end)
end
