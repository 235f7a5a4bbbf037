-- Run by test_reliability.lua in a fresh interpreter, where no line call
-- has made its guard slot yet: Buffer:read_line of a line too long for the
-- C stack makes it (an allocation) before taking the line as a view, and
-- the collection step of that allocation runs a finalizer that frees the
-- buffer. Prints the error read_line raised, or "no error".
local chunkbuf = require "chunkbuf"
local b = chunkbuf.Buffer()
b:append(string.rep("x", 1000) .. "\n")
collectgarbage("incremental", 1, 1000) -- a collection at every turn, from now on
collectgarbage()
setmetatable({}, {__gc = function() b:free() end})
local ok, err = pcall(b.read_line, b, "lf")
io.write(ok and "no error" or tostring(err), "\n")
