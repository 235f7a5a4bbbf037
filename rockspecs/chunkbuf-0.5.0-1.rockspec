-- The Lua 5.4 module `chunkbuf` as a rock. From a checkout:
--   luarocks --lua-version 5.4 make rockspecs/chunkbuf-0.5.0-1.rockspec
-- builds bindings/lua/Makefile: the engine is compiled into the module, so
-- the machine needs a C/C++20 compiler and Lua 5.4's headers, not
-- libchunkbuf and not SWIG (OpenSSL's libcrypto, found by pkg-config, adds
-- SHA-256 of views).
rockspec_format = "3.0"
package = "chunkbuf"
version = "0.5.0-1"
source = {
  url = "git+https://github.com/chunkbuf/chunkbuf.git",
  tag = "v0.5.0",
}
description = {
  summary = "Pooled chunked byte buffers, zero-copy views and blocking streams",
  detailed = [[
Buffers that append by copy or by reference and hand out lines, records and
slices as zero-copy views; streams whose readers block until a writer on
another thread delivers. Lua strings in and out.]],
  homepage = "https://github.com/chunkbuf/chunkbuf",
  license = "MIT",
}
dependencies = {
  "lua >= 5.4, < 5.5",
}
build = {
  type = "make",
  makefile = "bindings/lua/Makefile",
  build_variables = {
    CC = "$(CC)",
    CFLAGS = "$(CFLAGS)",
    LIBFLAG = "$(LIBFLAG)",
    LUA_INCDIR = "$(LUA_INCDIR)",
  },
  install_variables = {
    INST_LIBDIR = "$(LIBDIR)",
  },
}
