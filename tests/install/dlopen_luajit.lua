-- chunkbuf from LuaJIT with no binding at all: the ffi library loads
-- libchunkbuf.so.1 by name (ldconfig's cache for an installed library,
-- LD_LIBRARY_PATH for a build or a staged install), declares the few C
-- functions it uses, and runs a small scenario through the C API: lines
-- taken from a Buffer as zero-copy views, and a Stream read line by line
-- (LuaJIT has no threads: the reader polls with a zero timeout first, then
-- the writer delivers, then the reader blocks with a timeout).
--
--   LD_LIBRARY_PATH=build/capi luajit tests/install/dlopen_luajit.lua
local ffi = require "ffi"

ffi.cdef [[
typedef struct chunkbuf_buffer chunkbuf_buffer;
typedef struct chunkbuf_view chunkbuf_view;
typedef struct chunkbuf_stream chunkbuf_stream;
typedef struct chunkbuf_pool chunkbuf_pool;
typedef struct chunkbuf_stream_options {
  size_t struct_size;
  chunkbuf_pool *pool;
  uint64_t content_length;
  int retain;
  size_t high_water;
  size_t max_bytes;
  uint32_t tenant;
} chunkbuf_stream_options;

unsigned chunkbuf_version(void);
const char *chunkbuf_version_string(void);
const char *chunkbuf_strerror(int code);
const char *chunkbuf_last_error(void);

int chunkbuf_buffer_new(const void *opts, chunkbuf_buffer **out);
void chunkbuf_buffer_free(chunkbuf_buffer *buf);
int chunkbuf_buffer_append(chunkbuf_buffer *buf, const void *data, size_t len);
int chunkbuf_buffer_len(const chunkbuf_buffer *buf, size_t *len);
int chunkbuf_buffer_take_line(chunkbuf_buffer *buf, int eol, size_t max_len, chunkbuf_view **out);

int chunkbuf_view_len(const chunkbuf_view *view, size_t *len);
int chunkbuf_view_copy_out(const chunkbuf_view *view, size_t offset, void *dst, size_t n, size_t *copied);
void chunkbuf_view_release(chunkbuf_view *view);

int chunkbuf_stream_new(const chunkbuf_stream_options *opts, chunkbuf_stream **out);
void chunkbuf_stream_free(chunkbuf_stream *s);
int chunkbuf_stream_write(chunkbuf_stream *s, const void *data, size_t len, int64_t timeout_ms);
int chunkbuf_stream_close(chunkbuf_stream *s);
int chunkbuf_stream_readline(chunkbuf_stream *s, size_t max, int64_t timeout_ms, chunkbuf_view **out);
]]

local SONAME = "libchunkbuf.so.1"
local C = ffi.load(SONAME)
local OK, ENEEDMORE, EAGAIN = 0, -6, -8
local EOL_CRLF = 1

local function check(rc, what)
  if rc ~= OK then
    error(string.format("%s: %s (%s)", what, ffi.string(C.chunkbuf_strerror(rc)),
      ffi.string(C.chunkbuf_last_error())), 2)
  end
end

-- the bytes of a view, which is released
local function take(view)
  local n = ffi.new("size_t[1]")
  check(C.chunkbuf_view_len(view, n), "view_len")
  local out = ffi.new("char[?]", tonumber(n[0]) + 1)
  local copied = ffi.new("size_t[1]")
  check(C.chunkbuf_view_copy_out(view, 0, out, n[0], copied), "view_copy_out")
  C.chunkbuf_view_release(view)
  return ffi.string(out, copied[0])
end

assert(C.chunkbuf_version() >= 100, "unexpected chunkbuf_version")

-- A buffer handing out CRLF lines; the partial line stays.
local pbuf = ffi.new("chunkbuf_buffer *[1]")
check(C.chunkbuf_buffer_new(nil, pbuf), "buffer_new")
local buf = ffi.gc(pbuf[0], C.chunkbuf_buffer_free)
for _, piece in ipairs { "GET / HTTP/1.1\r\nHo", "st: x\r\n\r\npartial" } do
  check(C.chunkbuf_buffer_append(buf, piece, #piece), "buffer_append")
end
local lines = {}
local pview = ffi.new("chunkbuf_view *[1]")
while true do
  local rc = C.chunkbuf_buffer_take_line(buf, EOL_CRLF, 8192, pview)
  if rc == ENEEDMORE then break end
  check(rc, "buffer_take_line")
  lines[#lines + 1] = take(pview[0])
end
local left = ffi.new("size_t[1]")
check(C.chunkbuf_buffer_len(buf, left), "buffer_len")
assert(#lines == 3 and lines[1] == "GET / HTTP/1.1" and lines[2] == "Host: x" and lines[3] == "",
  table.concat(lines, "|"))
assert(left[0] == #"partial")

-- A stream: nothing yet (EAGAIN with timeout 0), then lines, then EOF.
local opts = ffi.new("chunkbuf_stream_options")
opts.struct_size = ffi.sizeof(opts)
opts.content_length = -1ULL -- CHUNKBUF_UNKNOWN_LENGTH
local ps = ffi.new("chunkbuf_stream *[1]")
check(C.chunkbuf_stream_new(opts, ps), "stream_new")
local s = ffi.gc(ps[0], C.chunkbuf_stream_free)
assert(C.chunkbuf_stream_readline(s, 0, 0, pview) == EAGAIN)
local count = 200
for i = 0, count - 1 do
  local line = "item " .. i .. "\n"
  check(C.chunkbuf_stream_write(s, line:sub(1, 3), 3, -1), "stream_write")
  check(C.chunkbuf_stream_write(s, line:sub(4), #line - 3, -1), "stream_write")
end
check(C.chunkbuf_stream_close(s), "stream_close")
local got = 0
while true do
  check(C.chunkbuf_stream_readline(s, 0, 1000, pview), "stream_readline")
  local line = take(pview[0])
  if line == "" then break end
  assert(line == "item " .. got .. "\n", line)
  got = got + 1
end
assert(got == count)

print(string.format("luajit ffi: %s loaded by name, chunkbuf %s: %d buffer lines, %d stream lines",
  SONAME, ffi.string(C.chunkbuf_version_string()), #lines, got))
