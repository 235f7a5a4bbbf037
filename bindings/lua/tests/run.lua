-- The Lua test runner: lua5.4 run.lua <conformance dir> <examples dir>
-- (LUA_CPATH must find chunkbuf.so and chunkbuf_testing.so). Prints
-- "N passed, N failed" last and exits non-zero when a test failed.
local conformance_dir, examples_dir = arg[1], arg[2]
assert(conformance_dir and examples_dir, "usage: run.lua <conformance dir> <examples dir>")

local harness = require "harness"

-- The files of a directory whose names end in `suffix`, sorted.
local function files(dir, suffix)
  local list = {}
  local p = assert(io.popen("ls -1 '" .. dir:gsub("'", "'\\''") .. "'"))
  for name in p:lines() do
    if name:sub(-#suffix) == suffix then list[#list + 1] = dir .. "/" .. name end
  end
  p:close()
  table.sort(list)
  return list
end

for _, suite in ipairs {"test_buffer", "test_lines", "test_view", "test_pool", "test_builder", "test_stream", "test_handoff", "test_framer", "test_misuse", "test_reliability"} do
  require(suite)
end
require("test_conformance")(files(conformance_dir, ".json"))
require("test_examples")(files(examples_dir, ".lua"))

harness.finish()
