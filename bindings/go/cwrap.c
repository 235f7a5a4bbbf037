/* Definitions of the helpers declared in cwrap.h. */
#include <string.h>

#include "_cgo_export.h"
#include "cwrap.h"
#include "wait.h"

/* A malloc'd copy of the calling thread's detail message when rc is a
 * failure, else NULL. */
static char *detail(int rc) {
  if (rc >= 0) return NULL;
  const char *m = chunkbuf_last_error();
  size_t n = strlen(m) + 1;
  char *err = malloc(n);
  if (err) memcpy(err, m, n);
  return err;
}

/* On failure, hands the calling thread's detail message to *err. */
static int keep(int rc, char **err) {
  if (rc < 0) *err = detail(rc);
  return rc;
}

#define CBW(name, args, ...) \
  int cbw_##name(__VA_ARGS__, char **err) { return keep(chunkbuf_##name args, err); }
#include "cwrap_list.h"
#undef CBW

int cbw_buffer_append_pinned(chunkbuf_buffer *b, const unsigned char *d, size_t n, uintptr_t pin, char **err) {
  return keep(chunkbuf_buffer_append_ref(b, d, n, chunkbufGoUnpin, (void *)pin), err);
}

/* The Go write running on this thread, if any (cb_write_handoff). */
static __thread cb_call *cb_writing;

/* The smallest write that waits for the parked read it made ready to be
 * finished. Waiting makes writer and reader take turns on one thread, and
 * the read's slice then takes the next write directly as well; a smaller
 * write goes on at once instead: the woken reader runs beside it on
 * another CPU and takes what the following writes have added to its slice
 * (or buffered once the slice is full). A turn costs about as much as
 * copying 16 KiB again. */
#define CB_HANDOFF_MIN 16384

/* The ready callback of a parked read (handoff 1) or of a wait for bytes
 * or for room to write (handoff 0): runs on the thread that made it
 * ready, under the stream's lock. Inside a
 * Go write it only notes the parker for that write, which wakes the
 * goroutine itself once back in Go (no call from C into Go) and, for a
 * read and a write of at least CB_HANDOFF_MIN bytes, then waits for it to
 * be finished (a wait takes no bytes from the write, so its writer goes
 * on); anywhere else (a C thread, Close, Abort, a second parker made
 * ready by the same write) it wakes the goroutine. */
static void go_ready(cb_parker *p, int handoff) {
  cb_call *c = cb_writing;
  if (c != NULL && c->woke == NULL) {
    c->woke = p;
    handoff = handoff && c->wrote >= CB_HANDOFF_MIN;
    c->handoff = handoff;
    if (handoff) __atomic_store_n(&p->handoff, 1, __ATOMIC_RELEASE);
    return;
  }
  chunkbufGoReady(p->slot);
}

static void cb_go_ready(void *p) { go_ready((cb_parker *)p, 1); }
static void cb_go_wake(void *p) { go_ready((cb_parker *)p, 0); }

int cb_read_start(chunkbuf_stream *s, unsigned char *dst, size_t n, size_t min, cb_parker *p, cb_call *c) {
  return chunkbuf_stream_read_start(s, dst, n, min, cb_go_ready, p, &c->op, &c->n, &c->e);
}

int cb_wait_start(chunkbuf_stream *s, size_t min, cb_parker *p, cb_call *c) {
  return chunkbuf_stream_wait_start(s, min, cb_go_wake, p, &c->op, &c->e);
}

int cb_space_start(chunkbuf_stream *s, size_t n, cb_parker *p, cb_call *c) {
  return chunkbuf_stream_space_start(s, n, cb_go_wake, p, &c->op, &c->e);
}

int cb_write_handoff(chunkbuf_stream *s, const unsigned char *d, size_t n, cb_call *c) {
  c->woke = NULL;
  c->wrote = n;
  cb_writing = c;
  int rc = chunkbuf_stream_write_wait(s, d, n, &c->w);
  cb_writing = NULL;
  return rc;
}

int cbw_buffer_close(chunkbuf_buffer *b, char **err) {
  size_t n;
  char *why;
  chunkbuf_buffer_free(b);
  why = detail(CHUNKBUF_ESTATE); /* the refusal's message, if it was refused */
  if (chunkbuf_buffer_len(b, &n) != CHUNKBUF_OK) { /* freed: the handle reads as dead */
    free(why);
    return CHUNKBUF_OK;
  }
  *err = why;
  return CHUNKBUF_ESTATE;
}

int cb_write_pinned_wait(chunkbuf_stream *s, const unsigned char *d, size_t n, uintptr_t pin, cb_call *c) {
  return chunkbuf_stream_write_ref_wait(s, d, n, chunkbufGoUnpin, (void *)pin, &c->w);
}

/* -- the leak report, collected in C (its callback runs during the call) */

typedef struct report_lines {
  char *buf;
  size_t len, cap;
  int nomem;
} report_lines;

static void collect_line(const char *line, void *user_data) {
  report_lines *r = (report_lines *)user_data;
  size_t n = strlen(line);
  if (r->nomem) return;
  if (r->len + n + 2 > r->cap) {
    size_t cap = (r->cap ? r->cap * 2 : 256) + n + 2;
    char *p = realloc(r->buf, cap);
    if (!p) {
      r->nomem = 1;
      return;
    }
    r->buf = p;
    r->cap = cap;
  }
  memcpy(r->buf + r->len, line, n);
  r->len += n;
  r->buf[r->len++] = '\n';
  r->buf[r->len] = '\0';
}

int cbw_debug_report_lines(chunkbuf_pool *pool, char **lines, size_t *count, char **err) {
  report_lines r = {NULL, 0, 0, 0};
  int rc = chunkbuf_debug_report(pool, collect_line, &r, count);
  if (rc == CHUNKBUF_OK && r.nomem) {
    free(r.buf);
    *err = NULL;
    return CHUNKBUF_ENOMEM;
  }
  if (rc != CHUNKBUF_OK) {
    free(r.buf);
    return keep(rc, err);
  }
  *lines = r.buf;
  return rc;
}

/* -- by-value helpers */

static cbw_res res(int rc, size_t n, void *p) {
  cbw_res r = {rc, detail(rc), n, p};
  return r;
}

/* A view result: p = the view, n = its length. */
static cbw_res view_res(int rc, chunkbuf_view *v) {
  size_t n = 0;
  if (rc >= 0) chunkbuf_view_len(v, &n);
  return res(rc, n, v);
}


cbw_res cbw_stream_readline_v(chunkbuf_stream *s, size_t max, int64_t t) {
  chunkbuf_view *v = NULL;
  int rc = chunkbuf_stream_readline(s, max, t, &v);
  return view_res(rc, v);
}

cbw_res cbw_buffer_append_v(chunkbuf_buffer *b, const unsigned char *d, size_t n) {
  return res(chunkbuf_buffer_append(b, d, n), 0, NULL);
}

cbw_res cbw_buffer_read_v(chunkbuf_buffer *b, unsigned char *d, size_t n) {
  size_t got = 0;
  int rc = chunkbuf_buffer_read(b, d, n, &got);
  return res(rc, got, NULL);
}

cbw_res cbw_buffer_advance_v(chunkbuf_buffer *b, size_t n) { return res(chunkbuf_buffer_advance(b, n), 0, NULL); }

/* A batch result with the view's bytes located (see cbw_batch). */
static cbw_batch batch(int rc, size_t n, chunkbuf_view *v) {
  cbw_batch r;
  memset(&r, 0, sizeof r);
  r.rc = rc;
  r.err = detail(rc);
  r.n = n;
  r.view = v;
  if (rc < 0 || !v || n == 0) return r;
  size_t count = 0;
  chunkbuf_view_segment_count(v, &count);
  if (count <= 1) {
    chunkbuf_view_data(v, &r.data, &r.len);
  } else if (chunkbuf_view_contiguous(v, &r.flat) == CHUNKBUF_OK) {
    chunkbuf_view_data(r.flat, &r.data, &r.len);
  }
  return r;
}

_Static_assert(sizeof(chunkbuf_line) == sizeof(chunkbuf_record), "the records double as line scratch");

/* Line i of lines[0..n) becomes record i of r in place (each is read whole
 * before it is overwritten), and the runs are written: a new run starts
 * wherever a line does not follow the previous one in memory (a copied
 * straddler, a new block). Returns how many runs. */
static size_t lines_to_records(chunkbuf_record *r, size_t n, cbw_run *runs) {
  const chunkbuf_line *lines = (const chunkbuf_line *)(const void *)r;
  const char *next = NULL;
  size_t off = 0, nrun = 0;
  for (size_t i = 0; i < n; i++) {
    chunkbuf_line ln;
    memcpy(&ln, &lines[i], sizeof ln);
    const char *p = (const char *)ln.data;
    if (p != next) {
      runs[nrun].off = off;
      runs[nrun].p = p;
      nrun++;
    }
    chunkbuf_record rec = {off, ln.length, ln.eol_length};
    memcpy(&r[i], &rec, sizeof rec);
    next = p + ln.length + ln.eol_length;
    off += ln.length + ln.eol_length;
  }
  return nrun;
}

cbw_lines cbw_buffer_read_lines_v(chunkbuf_buffer *b, chunkbuf_eol eol, size_t max, chunkbuf_record *r, size_t mr,
                                  void *room) {
  cbw_lines res;
  memset(&res, 0, sizeof res);
  res.rc = chunkbuf_buffer_read_lines(b, eol, max, (chunkbuf_line *)(void *)r, mr, &res.n, &res.view);
  res.err = detail(res.rc);
  if (res.rc >= 0) res.nrun = lines_to_records(r, res.n, (cbw_run *)room);
  return res;
}

cbw_lines cbw_stream_read_lines_v(chunkbuf_stream *s, chunkbuf_eol eol, size_t max, chunkbuf_record *r, size_t mr,
                                  void *room, cb_call *c) {
  cbw_lines res;
  memset(&res, 0, sizeof res);
  res.rc = chunkbuf_stream_read_lines(s, eol, max, (chunkbuf_line *)(void *)r, mr, &c->w, &res.n, &res.view);
  if (res.rc >= 0) res.nrun = lines_to_records(r, res.n, (cbw_run *)room);
  return res;
}

cbw_batch cbw_stream_readlines_v(chunkbuf_stream *s, chunkbuf_record *r, size_t mr, int64_t t) {
  size_t n = 0;
  chunkbuf_view *v = NULL;
  int rc = chunkbuf_stream_readlines(s, r, mr, t, &n, &v);
  return batch(rc, n, v);
}

cbw_batch cbw_buffer_take_records_v(chunkbuf_buffer *b, const unsigned char *d, size_t dl, size_t max,
                                    chunkbuf_record *r, size_t mr) {
  size_t n = 0;
  chunkbuf_view *v = NULL;
  int rc = chunkbuf_buffer_take_records(b, d, dl, max, r, mr, &n, &v);
  return batch(rc, n, v);
}

cbw_batch cbw_framer_next_batch_v(chunkbuf_framer *f, chunkbuf_buffer *b, int fin, chunkbuf_record *r, size_t mr) {
  size_t n = 0;
  chunkbuf_view *v = NULL;
  int rc = chunkbuf_framer_next_batch(f, b, fin, r, mr, &n, &v);
  return batch(rc, n, v);
}
