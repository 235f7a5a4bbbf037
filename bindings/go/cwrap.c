/* Definitions of the helpers declared in cwrap.h. */
#include <string.h>

#include "_cgo_export.h"
#include "cwrap.h"

/* On failure, hands the calling thread's detail message to *err. */
static int keep(int rc, char **err) {
  if (rc < 0) {
    const char *m = chunkbuf_last_error();
    size_t n = strlen(m) + 1;
    *err = malloc(n);
    if (*err) memcpy(*err, m, n);
  }
  return rc;
}

#define CBW(name, args, ...) \
  int cbw_##name(__VA_ARGS__, char **err) { return keep(chunkbuf_##name args, err); }
#include "cwrap_list.h"
#undef CBW

int cbw_buffer_append_pinned(chunkbuf_buffer *b, const unsigned char *d, size_t n, uintptr_t pin, char **err) {
  return keep(chunkbuf_buffer_append_ref(b, d, n, chunkbufGoUnpin, (void *)pin), err);
}

int cbw_stream_write_pinned(chunkbuf_stream *s, const unsigned char *d, size_t n, uintptr_t pin, int64_t t, char **err) {
  return keep(chunkbuf_stream_write_ref(s, d, n, chunkbufGoUnpin, (void *)pin, t), err);
}
