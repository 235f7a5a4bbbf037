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
/* chunkbuf_buffer_free, reporting a refusal (a reservation is open; the
 * buffer stays live) as CHUNKBUF_ESTATE with its message. */
int cbw_buffer_close(chunkbuf_buffer *b, char **err);

/* The leak report of pool (NULL: every pool) as one malloc'd string of
 * lines, each ended by "\n" (*lines NULL when there are none; the caller
 * frees it); *count gets the number of objects. */
int cbw_debug_report_lines(chunkbuf_pool *pool, char **lines, size_t *count, char **err);

/* By-value helpers for the hot paths. They return their results instead
 * of writing them through pointers: cgo moves every Go variable whose
 * address is passed to C to the heap (unless the helper is marked
 * noescape+nocallback, see hints.go, which these cannot be: reads, takes
 * and advances may drop the last reference to pinned Go memory and so call
 * chunkbufGoUnpin, and the C API promises no less of the others), so each
 * out-parameter of a CBW helper costs an allocation per call. They
 * also fold the calls that always follow (a view's length, a batch view's
 * bytes) into the same crossing. Like the CBW helpers they copy the detail
 * message of a failure in the call that failed. */

/* A status, the detail message on failure (malloc'd; the caller frees it;
 * NULL on success), and the call's results. */
typedef struct cbw_res {
  int rc;
  char *err;
  size_t n; /* a count (bytes read), or the length of the view in p */
  void *p;  /* a view handle */
} cbw_res;

/* p = the view, n = its length (a line; the reads that can take a
 * chunkbuf_wait get their detail from its error struct instead). */
cbw_res cbw_stream_readline_v(chunkbuf_stream *s, size_t max, int64_t t);

cbw_res cbw_buffer_append_v(chunkbuf_buffer *b, const unsigned char *d, size_t n);
cbw_res cbw_buffer_read_v(chunkbuf_buffer *b, unsigned char *d, size_t n);
cbw_res cbw_buffer_advance_v(chunkbuf_buffer *b, size_t n);

/* A batch call's result, with the batch view's bytes made contiguous in
 * the same crossing (Batch.Bytes slices them): data, len are the view's
 * bytes when it has one segment; otherwise flat is its contiguous copy
 * (one new reference) and data, len are flat's bytes (NULL, 0 when out of
 * memory for it). */
typedef struct cbw_batch {
  int rc;
  char *err;
  size_t n;            /* records taken */
  chunkbuf_view *view; /* the batch view (NULL when n = 0) */
  chunkbuf_view *flat;
  const void *data;
  size_t len;
} cbw_batch;

/* A stretch of a line batch whose bytes lie back to back in memory: the
 * view's bytes from offset off on (up to the next run's off) are at p. */
typedef struct cbw_run {
  size_t off;
  const char *p;
} cbw_run;

/* A line batch's result: n lines taken, their view, and nrun runs. */
typedef struct cbw_lines {
  int rc;
  char *err;
  size_t n;
  chunkbuf_view *view; /* NULL when n = 0 */
  size_t nrun;
} cbw_lines;

/* chunkbuf_buffer_read_lines for a Batch: up to mr lines, each located by
 * r[i] (its offset in the view, length and eol length) and by the runs,
 * written as cbw_run to runs[0..nrun) (room for mr needed: nrun <= n;
 * typed void * so that cgo's pointer check sees Go memory without pointer
 * types and passes it at once, instead of scanning every element). Lines
 * handed out this way are contiguous, so no batch is flattened. r is the
 * lines' scratch too: chunkbuf_line has chunkbuf_record's size. */
cbw_lines cbw_buffer_read_lines_v(chunkbuf_buffer *b, chunkbuf_eol eol, size_t max, chunkbuf_record *r, size_t mr,
                                  void *runs);

/* chunkbuf_stream_read_lines, as cbw_buffer_read_lines_v, with the wait and
 * error struct of the call c (see wait.h; its detail is in c->e, err
 * stays NULL). */
struct cb_call;
cbw_lines cbw_stream_read_lines_v(chunkbuf_stream *s, chunkbuf_eol eol, size_t max, chunkbuf_record *r, size_t mr,
                                  void *room, struct cb_call *c);

cbw_batch cbw_stream_readlines_v(chunkbuf_stream *s, chunkbuf_record *r, size_t mr, int64_t t);
cbw_batch cbw_buffer_take_records_v(chunkbuf_buffer *b, const unsigned char *d, size_t dl, size_t max,
                                    chunkbuf_record *r, size_t mr);
cbw_batch cbw_framer_next_batch_v(chunkbuf_framer *f, chunkbuf_buffer *b, int fin, chunkbuf_record *r, size_t mr);

#endif
