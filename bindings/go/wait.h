/* One call of the Go binding that may wait, in C memory (see wait.go); a
 * call never blocks in C: it parks its goroutine (see park.go). */
#ifndef CHUNKBUF_GO_WAIT_H
#define CHUNKBUF_GO_WAIT_H

#include <stdint.h>
#include <stdlib.h>

#include <chunkbuf.h>

/* A parked call's C side (see park.go): its slot, and whether a Go write
 * that made a parked read ready waits for it to be finished (set under the
 * stream's lock by the ready callback, taken by the reader after
 * finishing). */
typedef struct cb_parker {
  uintptr_t slot;
  uint32_t handoff;
} cb_parker;

/* A call's chunkbuf_wait, the chunkbuf_error the failing call fills with
 * its detail, and its results. cgo lets C read a struct that points to
 * other memory only when that memory is not Go's, and results written
 * here need no Go variable moved to the heap. */
typedef struct cb_call {
  chunkbuf_wait w;
  chunkbuf_error e;
  size_t n;
  size_t eol_n; /* the end of line's length after cb_read_line */
  chunkbuf_handout ho;
  chunkbuf_view *v;
  chunkbuf_read_op *op;
  cb_parker *woke; /* the parked read or wait a write made ready (cb_write_handoff) */
  int handoff;     /* woke is a read, whose finish the writer waits for */
  size_t wrote;    /* the length of the write in progress (cb_write_handoff) */
} cb_call;

static inline cb_call *cb_call_new(void) {
  cb_call *c = (cb_call *)calloc(1, sizeof *c);
  if (c) {
    c->w.struct_size = sizeof c->w;
    c->w.timeout_ms = 0; /* never block in C: see getCall */
    c->w.error = &c->e;
    c->e.struct_size = sizeof c->e;
  }
  return c;
}

/* chunkbuf_stream_read_into with the destination typed as bytes: cgo then
 * checks the caller's slice alone for Go pointers, not the whole Go object
 * it may live in (a reader's struct). */
static inline int cb_read_into(chunkbuf_stream *s, unsigned char *dst, size_t n, size_t min, cb_call *c) {
  return chunkbuf_stream_read_into(s, dst, n, min, &c->w, &c->n);
}

/* chunkbuf_stream_read_line with the destination typed as cb_read_into's:
 * the line's length in c->n, its end of line's in c->eol_n. */
static inline int cb_read_line(chunkbuf_stream *s, chunkbuf_eol eol, size_t max_len, unsigned char *dst, size_t cap,
                               cb_call *c) {
  return chunkbuf_stream_read_line(s, eol, max_len, dst, cap, &c->w, &c->n, &c->eol_n);
}

/* chunkbuf_stream_read_start with the destination typed as cb_read_into's
 * and the ready callback of parker p (cwrap.c). */
int cb_read_start(chunkbuf_stream *s, unsigned char *dst, size_t n, size_t min, cb_parker *p, cb_call *c);

/* chunkbuf_stream_wait_start with the ready callback of parker p (no
 * handoff: see cwrap.c). */
int cb_wait_start(chunkbuf_stream *s, size_t min, cb_parker *p, cb_call *c);

/* chunkbuf_stream_space_start with the ready callback of parker p (no
 * handoff: see cwrap.c). */
int cb_space_start(chunkbuf_stream *s, size_t n, cb_parker *p, cb_call *c);

/* chunkbuf_read_op_finish of the call's armed read, with its results and
 * error struct. */
static inline int cb_read_finish(int cancel, cb_call *c) {
  return chunkbuf_read_op_finish(c->op, cancel, &c->n, &c->e);
}

/* chunkbuf_stream_read_policy, typed as cb_read_into is. */
static inline int cb_read_policy(chunkbuf_stream *s, unsigned char *dst, size_t n, int policy, cb_call *c) {
  return chunkbuf_stream_read_policy(s, dst, n, policy, &c->w, &c->n);
}

/* chunkbuf_stream_write_wait with the source typed as bytes (see above);
 * the first parked read or wait it makes ready is left in c->woke for the
 * writer to wake (and, for a read made ready by a write of at least
 * CB_HANDOFF_MIN bytes, to wait for), the others are woken (cwrap.c). */
int cb_write_handoff(chunkbuf_stream *s, const unsigned char *d, size_t n, cb_call *c);

/* chunkbuf_stream_write_view_wait with the call's wait. */
static inline int cb_write_view_wait(chunkbuf_stream *s, const chunkbuf_view *v, cb_call *c) {
  return chunkbuf_stream_write_view_wait(s, v, &c->w);
}

/* chunkbuf_stream_write_ref_wait of pinned Go memory (cwrap.c): the free
 * callback unpins it through the cgo.Handle passed as pin (see pin.go),
 * also when nothing was written. */
int cb_write_pinned_wait(chunkbuf_stream *s, const unsigned char *d, size_t n, uintptr_t pin, cb_call *c);

#endif
