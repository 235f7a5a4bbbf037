-- Runs each example under examples/lua with this interpreter, so they
-- cannot rot: an example asserts its own results and must exit 0.
local h = require "harness"

local function quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- The interpreter running this file (arg[-1] for "lua5.4 run.lua").
local function interpreter()
  local i = -1
  while arg[i - 1] do i = i - 1 end
  return arg[i]
end

return function(paths)
  assert(#paths > 0, "no examples found")
  local lua = interpreter()
  for _, path in ipairs(paths) do
    h.test("example " .. path:match("[^/]+$"), function()
      local p = assert(io.popen(quote(lua) .. " " .. quote(path) .. " 2>&1"))
      local output = p:read("a")
      local ok, how, code = p:close()
      if not ok then error(string.format("exited with %s %s:\n%s", how, code, output)) end
    end)
  end
end
