/* Compiled as C99 with -Wall -Wextra -Werror -pedantic: the header must be
 * clean C. Running it checks the _INIT macros produce usable structs. */
#include <chunkbuf.h>
#include <stdio.h>

int main(void) {
  chunkbuf_buffer_options bo = CHUNKBUF_BUFFER_OPTIONS_INIT;
  chunkbuf_pool_options po = CHUNKBUF_POOL_OPTIONS_INIT;
  chunkbuf_pool_stats st = CHUNKBUF_POOL_STATS_INIT;
  chunkbuf_buffer *buf = NULL;
  if (chunkbuf_version() != CHUNKBUF_VERSION_NUMBER) return 1;
  if (bo.struct_size != sizeof bo || po.struct_size != sizeof po || st.struct_size != sizeof st) return 2;
  if (chunkbuf_buffer_new(&bo, &buf) != CHUNKBUF_OK) return 3;
  if (chunkbuf_buffer_append(buf, "c99", 3) != CHUNKBUF_OK) return 4;
  chunkbuf_buffer_free(buf);
  if (chunkbuf_pool_stats_get(chunkbuf_pool_default(), &st) != CHUNKBUF_OK) return 5;
  puts("header compiles and links as C99");
  return 0;
}
