-- chunkbuf.Pool: statistics, tenants, the default pool.
local chunkbuf = require "chunkbuf"
local h = require "harness"
local test, eq, raises = h.test, h.eq, h.raises

test("pool: statistics follow the blocks handed out", function()
  local p = chunkbuf.Pool {max_cached_bytes_per_class = 1 << 20}
  local b = chunkbuf.Buffer {pool = p}
  b:append(string.rep("x", 100))
  local s = p:stats()
  eq(s.acquisitions, 1, "acquisitions")
  eq(s.bytes_in_use >= 100, true, "bytes in use")
  eq(#s.hits, 9, "one entry per size class")
  eq(type(s.misses[1]), "number", "misses")
  b:free()
  s = p:stats()
  eq(s.releases, 1, "released")
  eq(s.bytes_in_use, 0, "nothing in use")
  p:trim()
  eq(p:stats().bytes_cached, 0, "trim empties the caches")
  eq(tostring(p):match("^chunkbuf%.Pool") ~= nil, true, "tostring")
end)

test("pool: tenant quotas limit what a buffer may take", function()
  local p = chunkbuf.Pool()
  p:set_tenant_quota(7, 4096)
  local b = chunkbuf.Buffer {pool = p, tenant = 7}
  b:append(string.rep("a", 4000))
  eq(p:tenant_usage(7), 4096, "usage")
  raises("chunkbuf.limit", b.append, b, string.rep("b", 200))
  eq(#b, 4000, "unchanged")
  raises("chunkbuf.inval", p.set_tenant_quota, p, 0, 1)
end)

test("pool: buffers keep working after the pool handle is freed", function()
  local p = chunkbuf.Pool()
  local b = chunkbuf.Buffer {pool = p}
  p:free()
  b:append(string.rep("z", 10000))
  eq(#b, 10000, "appended")
end)

test("pool: the default pool is one pool", function()
  eq(chunkbuf.default_pool() == chunkbuf.default_pool(), true, "same pool")
  eq(chunkbuf.Pool() == chunkbuf.Pool(), false, "new pools differ")
  chunkbuf.default_pool():free()
  eq(chunkbuf.default_pool():stats().acquisitions >= 0, true, "freeing it is a no-op")
end)

test("debug: the leak report lists live tracked views", function()
  chunkbuf.debug_track(true)
  local pool = chunkbuf.Pool()
  local v = chunkbuf.View("tracked bytes", pool)
  local lines = chunkbuf.debug_report(pool)
  chunkbuf.debug_track(false)
  assert(#lines >= 1 and table.concat(lines, "\n"):find("view", 1, true), "a live view is reported")
  v:release()
  eq(#chunkbuf.debug_report(pool), 0, "nothing live after release")
  raises("a live chunkbuf.Pool expected", chunkbuf.debug_report, "pool")
end)
