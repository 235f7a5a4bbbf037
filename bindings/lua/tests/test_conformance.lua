-- Runs every shared conformance vector (tests/conformance/*.json, format in
-- its README.md) through the Lua API, on the segmented and on the linear
-- Buffer backend. Vectors count bytes from 0 and use -1 for "absent"; the
-- Lua API counts positions from 1 and answers nil.
local chunkbuf = require "chunkbuf"
local json = require "dkjson"
local harness = require "harness"

local function unhex(s)
  return (s:gsub("%x%x", function(h) return string.char(tonumber(h, 16)) end))
end

-- A byte-valued field, given as text or with the _hex suffix.
local function bytes(step, name)
  if step[name .. "_hex"] then return unhex(step[name .. "_hex"]) end
  return step[name]
end

local function position(first) return first and first + 1 or nil end

local function strings(views)
  local out = {}
  for i, v in ipairs(views) do out[i] = tostring(v) end
  return out
end

-- op name -> function(buffer, views, step) returning the result (or nil,
-- reason for "not yet"). Views stored under a name live in `views`.
local ops = {}
function ops.append(b, _, s) b:append(bytes(s, "data")) end
function ops.append_ref(b, _, s) b:append_ref(bytes(s, "data")) end
function ops.append_view(b, views, s) b:append_view(views[s.view]) end
function ops.len(b) return #b end
function ops.contents(b) return tostring(b) end
function ops.find(b, _, s)
  local pos = b:find(bytes(s, "needle"), position(s.start or 0), s["end"])
  return pos and pos - 1 or -1
end
function ops.rfind(b, _, s)
  local pos = b:rfind(bytes(s, "needle"), position(s.start or 0), s["end"])
  return pos and pos - 1 or -1
end
function ops.equals(b, _, s) return b:equals(bytes(s, "data")) end
function ops.copy_out(b, _, s) return b:peek(s.n, position(s.offset)) end
function ops.peek_u8(b, _, s) return b:peek_u8(position(s.offset)) end
function ops.peek_u16(b, _, s) return b:peek_u16(position(s.offset), s.order) end
function ops.peek_u32(b, _, s) return b:peek_u32(position(s.offset), s.order) end
function ops.peek_u64(b, _, s) return b:peek_u64(position(s.offset), s.order) end
function ops.coalesce(b, _, s) return b:coalesce(s.n) end
function ops.advance(b, _, s) b:advance(s.n) end
function ops.read(b, _, s) return b:read(s.n) end
local function keep(views, name, v, why)
  if not v then return nil, why end
  if name then views[name] = v end
  return tostring(v)
end
function ops.split_to(b, views, s) return keep(views, s.as, b:split_to(s.n)) end
function ops.take_until(b, views, s)
  return keep(views, s.as, b:take_until(bytes(s, "delim"), s.include, s.max_len))
end
function ops.take_line(b, _, s) return keep({}, nil, b:take_line(s.eol, s.max_len)) end
function ops.take_lines(b, _, s) return strings(b:take_lines(s.eol, s.max_records, s.max_len)) end
function ops.take_records(b, _, s)
  return strings(b:take_records(bytes(s, "delim"), s.max_records, s.max_len))
end
function ops.view_bytes(_, views, s) return tostring(views[s.view]) end
function ops.view_len(_, views, s) return #views[s.view] end
function ops.view_slice(_, views, s)
  return keep(views, s.as, views[s.view]:slice(position(s.start), s["end"]))
end
function ops.view_find(_, views, s)
  local pos = views[s.view]:find(bytes(s, "needle"), position(s.start or 0), s["end"])
  return pos and pos - 1 or -1
end
function ops.view_equals(_, views, s) return views[s.view]:equals(bytes(s, "data")) end
function ops.view_concat(_, views, s)
  local list = {}
  for i, name in ipairs(s.views) do list[i] = views[name] end
  return keep(views, s.as, chunkbuf.concat(list))
end
function ops.view_release(_, views, s)
  views[s.view]:release()
  views[s.view] = nil
end

-- The vectors' error classes, from a raised message or a nil's reason.
local classes = {needmore = "need_more"}
local function class_of(reason) return classes[reason] or reason end

local function same(got, want)
  if type(want) ~= "table" then return got == want end
  if type(got) ~= "table" or #got ~= #want then return false end
  for i = 1, #want do if got[i] ~= want[i] then return false end end
  return true
end

local function show(v)
  if type(v) ~= "table" then return string.format("%q", v) end
  local parts = {}
  for i, x in ipairs(v) do parts[i] = string.format("%q", x) end
  return "{" .. table.concat(parts, ", ") .. "}"
end

local function run_step(b, views, step, where)
  local op = ops[step.op]
  if not op then error(where .. ": the Lua binding has no operation '" .. tostring(step.op) .. "'") end
  local ok, result, reason = pcall(op, b, views, step)
  local failure
  if not ok then
    failure = tostring(result):match("^chunkbuf%.(%w+):") or ("unexpected error: " .. tostring(result))
  elseif result == nil and type(reason) == "string" then
    failure = reason
  end
  if step.expect_error then
    if class_of(failure) ~= step.expect_error then
      error(string.format("%s: want error %s, got %s", where, step.expect_error,
                          failure or ("success " .. show(result))))
    end
  elseif failure then
    error(string.format("%s: unexpected failure %s", where, failure))
  elseif step.expect ~= nil or step.expect_hex ~= nil then
    local want = bytes(step, "expect")
    if not same(result, want) then
      error(string.format("%s: got %s, want %s", where, show(result), show(want)))
    end
  end
end

return function(paths)
  assert(#paths > 0, "no conformance vectors found")
  for _, path in ipairs(paths) do
    local f = assert(io.open(path, "rb"))
    local doc, _, err = json.decode(f:read("a"))
    f:close()
    assert(doc, path .. ": " .. tostring(err))
    for _, case in ipairs(doc.cases) do
      for _, linear in ipairs {false, true} do
        local name = string.format("conformance %s: %s (%s)", path:match("[^/]+$"), case.name,
                                   linear and "linear" or "segmented")
        harness.test(name, function()
          local options = {linear = linear}
          for k, v in pairs(case.buffer or {}) do options[k] = v end
          local b = chunkbuf.Buffer(options)
          local views = {}
          for i, step in ipairs(case.steps) do
            run_step(b, views, step, string.format("step %d (%s)", i, step.op))
          end
        end)
      end
    end
  end
end
