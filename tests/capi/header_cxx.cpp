// Compiled as C++ with -Wall -Wextra -Werror -pedantic.
#include <chunkbuf.h>

#include <cstdio>

int main() {
  chunkbuf_buffer_options bo = CHUNKBUF_BUFFER_OPTIONS_INIT;
  chunkbuf_buffer* buf = nullptr;
  if (chunkbuf_buffer_new(&bo, &buf) != CHUNKBUF_OK) return 1;
  chunkbuf_buffer_free(buf);
  std::puts("header compiles and links as C++");
  return chunkbuf_version() == CHUNKBUF_VERSION_NUMBER ? 0 : 2;
}
