-- A minimal test harness: test(name, fn) runs fn under pcall and counts
-- it (and returns whether it passed); the assertion helpers raise with a
-- message naming what differed.
local harness = {passed = 0, failed = 0}

function harness.test(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    harness.passed = harness.passed + 1
  else
    harness.failed = harness.failed + 1
    io.write("FAIL ", name, "\n", tostring(err), "\n")
  end
  return ok
end

local function show(v)
  if type(v) == "string" then return string.format("%q", v) end
  return tostring(v)
end

function harness.eq(got, want, what)
  if got ~= want then
    error(string.format("%s: got %s, want %s", what or "value", show(got), show(want)), 2)
  end
end

-- fn(...) must raise an error whose message contains `fragment` (plain).
function harness.raises(fragment, fn, ...)
  local ok, err = pcall(fn, ...)
  if ok then error("expected an error containing " .. show(fragment) .. ", got none", 2) end
  if not tostring(err):find(fragment, 1, true) then
    error("expected an error containing " .. show(fragment) .. ", got " .. show(tostring(err)), 2)
  end
end

-- Ends the run with the closing line and an exit status.
function harness.finish()
  io.write(string.format("%d passed, %d failed\n", harness.passed, harness.failed))
  os.exit(harness.failed == 0 and 0 or 1, true) -- close the state: run every __gc
end

return harness
