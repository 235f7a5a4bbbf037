/* C helpers of the Go binding: see cwrap_list.h. */
#ifndef CHUNKBUF_GO_CWRAP_H
#define CHUNKBUF_GO_CWRAP_H

#include <stdint.h>
#include <stdlib.h>

#include <chunkbuf.h>

#define CBW(name, args, ...) int cbw_##name(__VA_ARGS__, char **err);
#include "cwrap_list.h"
#undef CBW

/* Zero-copy appends of pinned Go memory: the free callback unpins it through
 * the cgo.Handle passed as pin (see pin.go). */
int cbw_buffer_append_pinned(chunkbuf_buffer *b, const unsigned char *d, size_t n, uintptr_t pin, char **err);
int cbw_stream_write_pinned(chunkbuf_stream *s, const unsigned char *d, size_t n, uintptr_t pin, int64_t t, char **err);

#endif
