/* chunkbuf._accel: the Python binding's hot paths, in C.
 *
 * A cffi call releases and retakes the GIL every time and allocates its
 * out-parameters; per line or per 4 KiB write that is most of the cost. The
 * functions here call only chunkbuf.h, with the GIL held, and never wait:
 * each is one non-blocking attempt (timeout 0) that either completes (the
 * bytes object is built straight from the stream's memory, and exactly what
 * is handed out is consumed) or reports that it would have to wait. Waiting
 * stays in Python (stream.py, _waits.py): there the GIL is released and the
 * cancel token lets Ctrl-C end the wait. Nothing here keeps stream bytes or
 * parses lines; a failed attempt consumes nothing. The one exception is
 * stream_write_ref, whose free callback must be C (see there): it waits
 * with the GIL released, with the wait Python's wait loop hands it.
 *
 * Handles are passed as integer addresses; the Python object that owns the
 * handle keeps it alive for the duration of the call. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <string.h>

#include "chunkbuf.h"

/* A handle from its integer address. */
static void *handle_of(PyObject *address) {
  void *p = PyLong_AsVoidPtr(address);
  if (p == NULL && !PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "a NULL chunkbuf handle");
  return p;
}

static Py_ssize_t size_of(PyObject *n) {
  Py_ssize_t v = PyNumber_AsSsize_t(n, PyExc_OverflowError);
  if (v < 0 && !PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "a size must not be negative");
  return v;
}

static int check_args(const char *name, Py_ssize_t nargs, Py_ssize_t expected) {
  if (nargs == expected) return 1;
  PyErr_Format(PyExc_TypeError, "%s() takes %zd arguments (%zd given)", name, expected, nargs);
  return 0;
}

enum { BATCH = 256 }; /* lines looked at by one line hand-out */

/* A line hand-out finds a batch of line ends in one burst over memory that
 * would otherwise wait on each cache miss; while Python works on the lines
 * of this batch, ask for the bytes one batch (span bytes) past the line
 * being handed out, so the next burst finds them in cache. Two cache lines
 * per line handed out keep ahead of 80-byte lines. Only a hint: an address
 * past the block is never dereferenced (a prefetch does not fault), and it
 * is formed as an integer, not by pointer arithmetic past the object.
 * Measured, 16 MiB of 80-byte lines: Buffer iteration 48 -> 42 ns a line,
 * Stream iteration and readline about 7 ns less a line. */
static inline void prefetch_ahead(const void *line, size_t span) {
  uintptr_t ahead = (uintptr_t)line + span;
  __builtin_prefetch((const void *)ahead);
  __builtin_prefetch((const void *)(ahead + 64));
}

/* The interpreter is shutting down: a thread without the GIL may not take it. */
static int interpreter_finalizing(void) {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing();
#else
  return _Py_IsFinalizing();
#endif
}

/* Runs fn(arg) with the GIL, taking it when this thread lacks it (free_fn
 * callbacks run on whichever thread lets the bytes go); while the
 * interpreter shuts down only a thread that holds the GIL may, and
 * otherwise fn is skipped (what it would release is left). */
static void with_gil(void (*fn)(void *), void *arg) {
  if (PyGILState_Check()) {
    fn(arg);
  } else if (!interpreter_finalizing()) {
    PyGILState_STATE g = PyGILState_Ensure();
    fn(arg);
    PyGILState_Release(g);
  }
}

static const chunkbuf_wait NO_WAIT = {sizeof(chunkbuf_wait), 0, NULL, NULL};

/* stream_read(address, n, least) -> bytes or int: up to n bytes once least
 * of them (or EOF) are unread, consumed; else the negative status
 * (CHUNKBUF_EAGAIN: fewer are there yet), nothing consumed. The binding
 * then takes the waiting path, which reports any error with its detail. */
static PyObject *stream_read(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
  (void)module;
  if (!check_args("stream_read", nargs, 3)) return NULL;
  chunkbuf_stream *s = handle_of(args[0]);
  Py_ssize_t n = size_of(args[1]), least = size_of(args[2]);
  if (s == NULL || n < 0 || least < 0) return NULL;
  PyObject *out = PyBytes_FromStringAndSize(NULL, n);
  if (out == NULL) return NULL;
  size_t got = 0;
  int rc = chunkbuf_stream_read_into(s, PyBytes_AS_STRING(out), (size_t)n, (size_t)least, &NO_WAIT, &got);
  if (rc) {
    Py_DECREF(out);
    return PyLong_FromLong(rc);
  }
  if ((Py_ssize_t)got != n && _PyBytes_Resize(&out, (Py_ssize_t)got) < 0) return NULL;
  return out;
}

/* stream_readinto(address, buffer, least) -> int: the count copied into the
 * writable buffer once least bytes (or EOF) are unread, or the negative
 * status, nothing consumed. */
static PyObject *stream_readinto(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
  (void)module;
  if (!check_args("stream_readinto", nargs, 3)) return NULL;
  chunkbuf_stream *s = handle_of(args[0]);
  Py_ssize_t least = size_of(args[2]);
  if (s == NULL || least < 0) return NULL;
  Py_buffer view;
  if (PyObject_GetBuffer(args[1], &view, PyBUF_WRITABLE) < 0) return NULL;
  if (least > view.len) least = view.len;
  size_t got = 0;
  int rc = chunkbuf_stream_read_into(s, view.buf, (size_t)view.len, (size_t)least, &NO_WAIT, &got);
  PyBuffer_Release(&view);
  return rc ? PyLong_FromLong(rc) : PyLong_FromSize_t(got);
}

static void buffer_release(void *view) { PyBuffer_Release((Py_buffer *)view); }

/* The free_fn of stream_write_ref: releases the export of the object whose
 * bytes the stream referred to (a bytearray can be resized again), then the
 * Py_buffer itself. It runs on whichever thread lets the bytes go (the
 * writer inside the call, with the GIL released, or a reader): with_gil. */
static void release_held(void *ctx) {
  with_gil(buffer_release, ctx);
  PyMem_RawFree(ctx);
}

/* stream_write_ref(address, data, wait) -> int: one
 * chunkbuf_stream_write_ref_wait of data's bytes without copying, with the
 * GIL released (wait: the address of the caller's chunkbuf_wait, whose
 * cancel token a signal fires); len(data) or the negative status (nothing
 * written). data stays exported from here until the stream lets its bytes
 * go; the engine runs release_held exactly once whatever the call returns,
 * so a wait a signal ends lets the object go before this returns. No
 * Python code runs between the export and the call. */
static PyObject *stream_write_ref(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
  (void)module;
  if (!check_args("stream_write_ref", nargs, 3)) return NULL;
  chunkbuf_stream *s = handle_of(args[0]);
  if (s == NULL) return NULL;
  const chunkbuf_wait *w = handle_of(args[2]);
  if (w == NULL) return NULL;
  Py_buffer *view = PyMem_RawMalloc(sizeof *view);
  if (view == NULL) return PyErr_NoMemory();
  if (PyObject_GetBuffer(args[1], view, PyBUF_SIMPLE) < 0) {
    PyMem_RawFree(view);
    return NULL;
  }
  Py_ssize_t len = view->len; /* view is released (maybe freed) by the call */
  int rc;
  Py_BEGIN_ALLOW_THREADS
  rc = chunkbuf_stream_write_ref_wait(s, view->buf, (size_t)len, release_held, view, w);
  Py_END_ALLOW_THREADS
  return rc ? PyLong_FromLong(rc) : PyLong_FromSsize_t(len);
}

/* The bytes of a view, releasing it. */
static PyObject *view_to_bytes(chunkbuf_view *v) {
  const void *data;
  size_t len;
  PyObject *out;
  if (chunkbuf_view_data(v, &data, &len) == 0) {
    out = PyBytes_FromStringAndSize(data, (Py_ssize_t)len);
  } else {
    size_t copied = 0;
    chunkbuf_view_len(v, &len);
    out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)len);
    if (out != NULL) chunkbuf_view_copy_out(v, 0, PyBytes_AS_STRING(out), len, &copied);
  }
  chunkbuf_view_release(v);
  return out;
}

/* stream_readline(address, max_len) -> bytes or int: one line with its
 * "\n" (or max_len bytes, 0: no limit, or the rest before EOF; b"" at EOF)
 * if it is there now, consumed; else the negative status, nothing
 * consumed. */
static PyObject *stream_readline(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
  (void)module;
  if (!check_args("stream_readline", nargs, 2)) return NULL;
  chunkbuf_stream *s = handle_of(args[0]);
  Py_ssize_t max_len = size_of(args[1]);
  if (s == NULL || max_len < 0) return NULL;
  chunkbuf_view *v = NULL;
  int rc = chunkbuf_stream_readline(s, (size_t)max_len, 0, &v);
  if (rc) return PyLong_FromLong(rc);
  return view_to_bytes(v);
}

/* One line ending in eol (chunkbuf_stream_read_line) if it is there now,
 * consumed: its bytes without the end of line (with it when keep), or
 * None at EOF; else NULL with *rc the negative status (CHUNKBUF_EAGAIN: no
 * complete line yet), nothing consumed, and no Python error set unless
 * *rc is 0 (out of memory). A line longer than the stack's room is read
 * again into a bytes object of the size the call reported (another reader
 * may have taken it meanwhile: then the next line is read the same way). */
static PyObject *read_line_now(chunkbuf_stream *s, chunkbuf_eol eol, size_t max_len, int keep, int *rc) {
  char line[512];
  size_t n = 0, e = 0;
  *rc = chunkbuf_stream_read_line(s, eol, max_len, line, sizeof line, &NO_WAIT, &n, &e);
  if (*rc == 0) {
    if (n == 0 && e == 0) Py_RETURN_NONE;
    return PyBytes_FromStringAndSize(line, (Py_ssize_t)(keep ? n + e : n));
  }
  while (*rc == CHUNKBUF_ERANGE) {
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(n + e));
    if (out == NULL) {
      *rc = 0;
      return NULL;
    }
    *rc = chunkbuf_stream_read_line(s, eol, max_len, PyBytes_AS_STRING(out), n + e, &NO_WAIT, &n, &e);
    if (*rc == 0 && n == 0 && e == 0) {
      Py_DECREF(out);
      Py_RETURN_NONE;
    }
    if (*rc == 0) {
      Py_ssize_t size = (Py_ssize_t)(keep ? n + e : n);
      if (size != PyBytes_GET_SIZE(out) && _PyBytes_Resize(&out, size) < 0) return NULL;
      return out;
    }
    Py_DECREF(out);
  }
  return NULL;
}

/* The exception for a chunkbuf status, made by the binding's error() (set
 * once by set_error), which reads chunkbuf_last_error() on this thread. */
static PyObject *error_factory = NULL;

static PyObject *raise_status(int rc) {
  if (error_factory == NULL) {
    PyErr_Format(PyExc_RuntimeError, "chunkbuf error %d", rc);
    return NULL;
  }
  PyObject *exc = PyObject_CallFunction(error_factory, "i", rc);
  if (exc != NULL) {
    PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
    Py_DECREF(exc);
  }
  return NULL;
}

static PyObject *set_error(PyObject *module, PyObject *fn) {
  (void)module;
  Py_INCREF(fn);
  Py_XSETREF(error_factory, fn);
  Py_RETURN_NONE;
}

/* ------------------------------------------------------------------- Span
 * Read-only memory of a buffer lent to Python as a memoryview (peek,
 * coalesce, segments). `exports` counts the buffers obtained from it and
 * not released: memoryview slices share their parent's, so it drops to 0
 * only when the memoryview and every slice of it are gone. */

typedef struct {
  PyObject_HEAD
  const char *address;
  Py_ssize_t length;
  Py_ssize_t exports;
  PyObject *owner; /* the buffer's handle object: keeps the memory alive (not
                      the Buffer, which lists its Spans: no cycle) */
} Span;

static int span_getbuffer(Span *self, Py_buffer *view, int flags) {
  if (PyBuffer_FillInfo(view, (PyObject *)self, (void *)self->address, self->length, 1, flags) < 0) return -1;
  self->exports++;
  return 0;
}

static void span_releasebuffer(Span *self, Py_buffer *view) {
  (void)view;
  self->exports--;
}

static int span_traverse(Span *self, visitproc visit, void *arg) {
  Py_VISIT(self->owner);
  return 0;
}

static int span_clear(Span *self) {
  Py_CLEAR(self->owner);
  return 0;
}

static void span_dealloc(Span *self) {
  PyObject_GC_UnTrack(self);
  span_clear(self);
  Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyBufferProcs span_as_buffer = {(getbufferproc)span_getbuffer, (releasebufferproc)span_releasebuffer};

static PyTypeObject SpanType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "chunkbuf._accel.Span",
    .tp_basicsize = sizeof(Span),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Read-only buffer memory lent to Python until the buffer changes.",
    .tp_as_buffer = &span_as_buffer,
    .tp_traverse = (traverseproc)span_traverse,
    .tp_clear = (inquiry)span_clear,
    .tp_dealloc = (destructor)span_dealloc,
};

/* ------------------------------------------------------------- BufferBase
 * The C base of chunkbuf.Buffer. It holds the handle (`_h`: for calls that
 * leave the bytes where they are; `_hm`: for calls that may change them)
 * and guards the memory it lends out:
 *  - memoryview(buffer) (the buffer protocol: bytes(), socket.send, ...)
 *    makes the bytes contiguous and pins them: while such an export is
 *    alive, `_hm` raises BufferError, as bytearray does;
 *  - the memoryviews of peek, coalesce and segments are valid until the
 *    next change: `_hm` releases them (using one then raises ValueError),
 *    and raises BufferError while a slice or export of one is still held.
 * `_hm` also counts changes (gen), so line iteration knows when the lines
 * it looked at may have moved; lending memory out moves gen too, so
 * iteration need not look for what is lent at every line.
 *
 * Line iteration hands lines out without a C call each: the bytes of the
 * lines handed out are `pending`, consumed (one chunkbuf_buffer_advance)
 * before anything else reaches the buffer: `_h`, `_hm`, append, the buffer
 * protocol and the next look for lines all settle them first. So whoever
 * looks at the buffer through this object finds every line handed out
 * consumed, and every line not handed out still there. */

typedef struct {
  PyObject_HEAD
  PyObject *h;
  chunkbuf_buffer *buf;
  unsigned long long gen;
  Py_ssize_t exports;
  PyObject *lent;  /* list of (memoryview, Span) lent out, or NULL */
  size_t pending;  /* bytes of lines handed out, not yet consumed */
} BufferBase;

/* Consumes the lines handed out by iteration; -1 with an exception set when
 * the buffer refuses (only a caller that opened a reservation through a
 * handle kept from before can make it). */
static int settle_pending(BufferBase *self) {
  size_t n = self->pending;
  if (n == 0) return 0;
  self->pending = 0;
  self->gen++; /* the read position moved: what iteration looked at is stale */
  int rc = chunkbuf_buffer_advance(self->buf, n);
  if (rc) {
    raise_status(rc);
    return -1;
  }
  return 0;
}

/* Releases the lent memoryviews (all, or only those nobody else holds)
 * and forgets those whose memory is no longer in use; the others (a slice
 * or an export is still held) stay listed. -1 on an unexpected error. */
static int settle_lent(BufferBase *self, int all) {
  PyObject *kept = PyList_New(0);
  if (kept == NULL) return -1;
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(self->lent); i++) {
    PyObject *pair = PyList_GET_ITEM(self->lent, i);
    PyObject *mv = PyTuple_GET_ITEM(pair, 0);
    if (all || Py_REFCNT(mv) == 1) {
      PyObject *r = PyObject_CallMethod(mv, "release", NULL);
      if (r == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_BufferError)) {  /* BufferError: mv itself is exported */
          Py_DECREF(kept);
          return -1;
        }
        PyErr_Clear();
      }
      Py_XDECREF(r);
    }
    if (((Span *)PyTuple_GET_ITEM(pair, 1))->exports > 0 && PyList_Append(kept, pair) < 0) {
      Py_DECREF(kept);
      return -1;
    }
  }
  Py_SETREF(self->lent, kept);
  return 0;
}

/* Ends what was lent out before bytes are consumed or the buffer changes;
 * -1 (BufferError) if some of it is still in use. */
static int end_lent(BufferBase *self) {
  if (self->exports > 0) {
    PyErr_SetString(PyExc_BufferError,
                    "Existing exports of data: the buffer cannot change while memoryview(buffer) is held");
    return -1;
  }
  if (self->lent == NULL || PyList_GET_SIZE(self->lent) == 0) return 0;
  if (settle_lent(self, 1) < 0) return -1;
  if (PyList_GET_SIZE(self->lent)) {
    PyErr_SetString(PyExc_BufferError,
                    "a memoryview of the buffer's bytes (a slice or export of what peek, coalesce or segments "
                    "returned) is still held: release it before changing the buffer");
    return -1;
  }
  return 0;
}

/* Settles iteration and ends what was lent before the buffer changes. */
static int buffer_may_change(BufferBase *self) {
  if (settle_pending(self) < 0 || end_lent(self) < 0) return -1;
  self->gen++;
  return 0;
}

static PyObject *base_get_h(BufferBase *self, void *closure) {
  (void)closure;
  if (settle_pending(self) < 0) return NULL;
  Py_INCREF(self->h);
  return self->h;
}

static PyObject *base_get_hm(BufferBase *self, void *closure) {
  (void)closure;
  if (buffer_may_change(self) < 0) return NULL;
  Py_INCREF(self->h);
  return self->h;
}

/* _set_handle(h, address): the handle object and its address (0: closed). */
static PyObject *base_set_handle(BufferBase *self, PyObject *const *args, Py_ssize_t nargs) {
  if (!check_args("_set_handle", nargs, 2)) return NULL;
  void *p = PyLong_AsVoidPtr(args[1]);
  if ((p == NULL && PyErr_Occurred()) || settle_pending(self) < 0) return NULL;
  Py_INCREF(args[0]);
  Py_SETREF(self->h, args[0]);
  self->buf = p;
  self->gen++;
  Py_RETURN_NONE;
}

/* _lend_view(address, length): a read-only memoryview of buffer memory, valid
 * until the buffer changes. Lent memoryviews nobody else holds any more
 * are let go here, so repeated peeks do not pile up. */
static PyObject *base_lend(BufferBase *self, PyObject *const *args, Py_ssize_t nargs) {
  if (!check_args("_lend_view", nargs, 2)) return NULL;
  void *address = PyLong_AsVoidPtr(args[0]);
  Py_ssize_t length = size_of(args[1]);
  if ((address == NULL && PyErr_Occurred()) || length < 0) return NULL;
  if (self->lent == NULL && (self->lent = PyList_New(0)) == NULL) return NULL;
  if (PyList_GET_SIZE(self->lent) >= 8 && settle_lent(self, 0) < 0) return NULL;
  Span *span = PyObject_GC_New(Span, &SpanType);
  if (span == NULL) return NULL;
  span->address = length ? address : "";
  span->length = length;
  span->exports = 0;
  Py_INCREF(self->h);
  span->owner = self->h;
  PyObject_GC_Track(span);
  PyObject *mv = PyMemoryView_FromObject((PyObject *)span);
  PyObject *pair = mv == NULL ? NULL : PyTuple_Pack(2, mv, (PyObject *)span);
  Py_DECREF(span);
  if (pair == NULL || PyList_Append(self->lent, pair) < 0) {
    Py_XDECREF(pair);
    Py_XDECREF(mv);
    return NULL;
  }
  Py_DECREF(pair);
  self->gen++; /* line iteration checks for lent memory only when gen moved */
  return mv;
}

/* append(data): copy a bytes-like object in (all or nothing), with the GIL
 * held (an append never waits): the hot call of `buf.append(chunk); for
 * line in buf`. */
static PyObject *base_append(BufferBase *self, PyObject *data) {
  Py_buffer view;
  if (PyObject_GetBuffer(data, &view, PyBUF_SIMPLE) < 0) return NULL;
  if (buffer_may_change(self) < 0) {
    PyBuffer_Release(&view);
    return NULL;
  }
  int rc = chunkbuf_buffer_append(self->buf, view.buf, (size_t)view.len);
  PyBuffer_Release(&view);
  if (rc) return raise_status(rc);
  Py_RETURN_NONE;
}

static void decref(void *obj) { Py_DECREF((PyObject *)obj); }

/* The free_fn of an adopted bytes object: drops the buffer's reference. It
 * runs on whichever thread drops the bytes' last reference (a View released
 * by a thread without the GIL, a host's C thread): with_gil (skipped at
 * shutdown, a bytes object runs no code when freed, so that loses nothing
 * but memory at exit). */
static void release_bytes(void *obj) { with_gil(decref, obj); }

/* _adopt(data): append a bytes object without copying. bytes are immutable,
 * so the buffer may simply refer to them (as io.BytesIO does): the buffer
 * holds a reference until no buffer or view uses the bytes. */
static PyObject *base_adopt(BufferBase *self, PyObject *data) {
  if (!PyBytes_CheckExact(data)) {
    PyErr_Format(PyExc_TypeError, "_adopt takes bytes, not %s", Py_TYPE(data)->tp_name);
    return NULL;
  }
  if (buffer_may_change(self) < 0) return NULL;
  Py_INCREF(data);
  int rc = chunkbuf_buffer_append_ref(self->buf, PyBytes_AS_STRING(data), (size_t)PyBytes_GET_SIZE(data),
                                      release_bytes, data);
  if (rc == CHUNKBUF_EHANDLE || rc == CHUNKBUF_EINVAL) Py_DECREF(data); /* not adopted: no free_fn ran */
  if (rc) return raise_status(rc);
  Py_RETURN_NONE;
}

/* memoryview(buffer): the whole buffer made contiguous (copying only if
 * it spans segments) and pinned until the export is released. */
static int base_getbuffer(BufferBase *self, Py_buffer *view, int flags) {
  view->obj = NULL;
  if (flags & PyBUF_WRITABLE) {
    PyErr_SetString(PyExc_BufferError, "a chunkbuf Buffer exports its bytes read-only");
    return -1;
  }
  if (settle_pending(self) < 0) return -1;
  size_t len = 0;
  int rc = chunkbuf_buffer_len(self->buf, &len);
  struct iovec iov;
  size_t n_iov = 0;
  if (rc == 0) rc = chunkbuf_buffer_peek(self->buf, len, &iov, 1, &n_iov);
  if (rc) {
    raise_status(rc);
    return -1;
  }
  const void *data = iov.iov_base;
  if (len && (n_iov == 0 || iov.iov_len < len)) {  /* several segments: they become one */
    if (buffer_may_change(self) < 0) return -1;
    if ((rc = chunkbuf_buffer_coalesce(self->buf, len, &data)) != 0) {
      raise_status(rc);
      return -1;
    }
  }
  if (PyBuffer_FillInfo(view, (PyObject *)self, len ? (void *)data : (void *)"", (Py_ssize_t)len, 1, flags) < 0)
    return -1;
  self->exports++;
  self->gen++; /* line iteration checks for exports only when gen moved */
  return 0;
}

static void base_releasebuffer(BufferBase *self, Py_buffer *view) {
  (void)view;
  self->exports--;
}

static PyObject *base_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
  (void)args;
  (void)kwds;
  BufferBase *self = (BufferBase *)type->tp_alloc(type, 0);
  if (self == NULL) return NULL;
  Py_INCREF(Py_None);
  self->h = Py_None;
  return (PyObject *)self;
}

static int base_traverse(BufferBase *self, visitproc visit, void *arg) {
  Py_VISIT(self->h);
  Py_VISIT(self->lent);
  return 0;
}

static int base_clear(BufferBase *self) {
  Py_CLEAR(self->lent);
  return 0;
}

/* Buffer (a Python subclass) is deallocated by CPython's subtype_dealloc,
 * which clears weak references and drops the type; this frees our part. */
static void base_dealloc(BufferBase *self) {
  PyObject_GC_UnTrack(self);
  base_clear(self);
  Py_CLEAR(self->h);
  Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyGetSetDef base_getset[] = {
    {"_h", (getter)base_get_h, NULL, "the handle, for calls that leave the bytes as they are", NULL},
    {"_hm", (getter)base_get_hm, NULL, "the handle, for calls that may change the bytes (ends what was lent)",
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMethodDef base_methods[] = {
    {"append", (PyCFunction)base_append, METH_O, "append(data): copy a bytes-like object in (all or nothing)."},
    {"write", (PyCFunction)base_append, METH_O, "write(data): the same as append."},
    {"_adopt", (PyCFunction)base_adopt, METH_O, "_adopt(data): append a bytes object without copying."},
    {"_set_handle", (PyCFunction)(void (*)(void))base_set_handle, METH_FASTCALL,
     "_set_handle(h, address): the handle and its address (0: closed)."},
    {"_lend_view", (PyCFunction)(void (*)(void))base_lend, METH_FASTCALL,
     "_lend_view(address, length): a read-only memoryview valid until the buffer changes."},
    {NULL, NULL, 0, NULL},
};

static PyBufferProcs base_as_buffer = {(getbufferproc)base_getbuffer, (releasebufferproc)base_releasebuffer};

static PyTypeObject BufferBaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "chunkbuf._accel.BufferBase",
    .tp_basicsize = sizeof(BufferBase),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "The C base of chunkbuf.Buffer: its handle, the buffer protocol, lent memoryviews.",
    .tp_new = base_new,
    .tp_getset = base_getset,
    .tp_methods = base_methods,
    .tp_as_buffer = &base_as_buffer,
    .tp_traverse = (traverseproc)base_traverse,
    .tp_clear = (inquiry)base_clear,
    .tp_dealloc = (destructor)base_dealloc,
};

/* ------------------------------------------------------------ BufferLines
 * `for line in buffer`: the complete LF lines, each consumed as it is
 * handed out. One look (chunkbuf_buffer_peek_lines for the lines, then
 * chunkbuf_buffer_peek for where their bytes are) serves a batch; each line
 * becomes a bytes object copied straight from the buffer's memory (a line
 * that straddles segments, or lies past the iovecs looked at, through
 * chunkbuf_buffer_copy_out) and its bytes join the owner's `pending`, which
 * anything else that reaches the buffer consumes first (see BufferBase).
 * Every look and every such change moves the owner's gen, and an iterator
 * whose gen is not the owner's looks again. So leaving the loop early,
 * calling another method inside it, or interleaving iterations leaves every
 * line not handed out in the buffer and hands none out twice; with a
 * reservation open it raises StateError before handing out a line. After
 * such a change the next look covers a few lines only (growing back to
 * BATCH), so a loop that inspects the buffer at every line does not rescan
 * BATCH lines each time. */

enum { MAX_IOV = 64, FIRST_LOOK = 8 };

typedef struct {
  PyObject_HEAD
  BufferBase *owner;
  unsigned long long gen;
  size_t n, next, batch;
  /* The current segment: it ends at batch offset seg_to, batch offset o
   * of it lies at address seg_base + o (an integer: formed by subtraction,
   * never dereferenced outside the segment), and records [next, seg_n) end
   * inside it. While the batch is current those lines are handed out
   * without looking further (the per-line path). */
  uintptr_t seg_base;
  size_t seg_to, seg_n;
  size_t n_iov, iov_i; /* iovecs looked at; the one that is the current segment */
  size_t span;         /* bytes the batch covers */
  struct iovec iov[MAX_IOV];
  chunkbuf_record records[BATCH];
} BufferLines;

static PyObject *blines_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
  PyObject *owner;
  static char *kwlist[] = {"buffer", NULL};
  if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!", kwlist, &BufferBaseType, &owner)) return NULL;
  BufferLines *self = (BufferLines *)type->tp_alloc(type, 0);
  if (self == NULL) return NULL;
  Py_INCREF(owner);
  self->owner = (BufferBase *)owner;
  self->gen = self->owner->gen;
  self->batch = BATCH;
  return (PyObject *)self;
}

/* Makes iovec i (batch bytes from `from` on) the current segment, with no
 * record known to lie in it yet. Past the iovecs looked at it holds none. */
static void blines_segment(BufferLines *self, size_t i, size_t from) {
  self->iov_i = i;
  self->seg_to = from;
  self->seg_base = 0;
  self->seg_n = 0;
  if (i < self->n_iov) {
    self->seg_base = (uintptr_t)self->iov[i].iov_base - from;
    self->seg_to = from + self->iov[i].iov_len;
  }
}

static size_t record_end(const chunkbuf_record *r) { return r->offset + r->length + r->delim_length; }

/* Makes the segment that holds the first byte of record `next` current and
 * finds seg_n (the records' ends only grow: a binary search). */
static void blines_seek(BufferLines *self) {
  size_t offset = self->records[self->next].offset;
  while (self->iov_i < self->n_iov && self->seg_to <= offset) blines_segment(self, self->iov_i + 1, self->seg_to);
  size_t lo = self->next, hi = self->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (record_end(&self->records[mid]) <= self->seg_to)
      lo = mid + 1;
    else
      hi = mid;
  }
  self->seg_n = lo;
}

/* Consumes what earlier lines left pending and looks at the next batch of
 * up to self->batch lines (self->n = 0: no complete line). */
static int blines_look(BufferLines *self) {
  BufferBase *owner = self->owner;
  self->n = self->next = self->n_iov = 0;
  blines_segment(self, 0, 0);
  if (settle_pending(owner) < 0) return -1;
  self->gen = ++owner->gen; /* another iterator's batch is stale now */
  /* consuming is refused during a reservation: fail before a line */
  int rc = chunkbuf_buffer_advance(owner->buf, 0);
  size_t n = 0;
  if (rc == 0) rc = chunkbuf_buffer_peek_lines(owner->buf, CHUNKBUF_EOL_LF, 0, self->records, self->batch, &n);
  if (rc == 0 && n) {
    self->span = record_end(&self->records[n - 1]);
    rc = chunkbuf_buffer_peek(owner->buf, self->span, self->iov, MAX_IOV, &self->n_iov);
  }
  if (rc) {
    raise_status(rc);
    return -1;
  }
  blines_segment(self, 0, 0);
  self->n = n;
  return 0;
}

/* Hands out record `next`, which ends inside the current segment. The
 * prefetch asks for the bytes one batch ahead, so the next look's burst
 * finds them in cache. */
static inline PyObject *blines_hand_out(BufferLines *self, size_t next) {
  const chunkbuf_record *r = &self->records[next];
  size_t size = r->length + r->delim_length;
  const char *at = (const char *)(self->seg_base + r->offset);
  prefetch_ahead(at, self->span);
  PyObject *out = PyBytes_FromStringAndSize(at, (Py_ssize_t)size);
  if (out == NULL) return NULL;
  self->next = next + 1;
  self->owner->pending += size;
  return out;
}

/* Hands out record `next`, which straddles two segments (or lies past the
 * iovecs looked at): copied out. */
static PyObject *blines_copy_out(BufferLines *self, size_t next) {
  const chunkbuf_record *r = &self->records[next];
  size_t size = r->length + r->delim_length;
  PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)size);
  if (out == NULL) return NULL;
  size_t copied = 0;
  int rc = chunkbuf_buffer_copy_out(self->owner->buf, r->offset, PyBytes_AS_STRING(out), size, &copied);
  if (rc || copied != size) {
    Py_DECREF(out);
    return rc ? raise_status(rc) : PyErr_Format(PyExc_RuntimeError, "a line of the buffer was cut short");
  }
  self->next = next + 1;
  self->owner->pending += size;
  return out;
}

/* blines_next when the line is not simply the next one of the current
 * segment: a new look, something lent to end first, a new segment. */
/* kept out of line, so blines_next stays small */
static PyObject *blines_next_slow(BufferLines *self) __attribute__((noinline));
static PyObject *blines_next_slow(BufferLines *self) {
  BufferBase *owner = self->owner;
  do {
    if (self->gen != owner->gen || self->next == self->n) {
      if (self->gen != owner->gen)
        self->batch = FIRST_LOOK; /* the buffer was reached meanwhile: it may be again */
      else if (self->batch < BATCH)
        self->batch = self->batch * 2 < BATCH ? self->batch * 2 : BATCH;
      if (blines_look(self) < 0) return NULL;
      if (self->n == 0) return NULL;
    }
    if (end_lent(owner) < 0) return NULL;
  } while (self->gen != owner->gen); /* ending what was lent ran code (a collection) that reached the buffer */
  /* Nothing is lent now, and lending anything moves gen: until it moves,
   * blines_next needs to check nothing else. */
  if (self->next >= self->seg_n) blines_seek(self);
  return self->next < self->seg_n ? blines_hand_out(self, self->next) : blines_copy_out(self, self->next);
}

/* The per-line path, kept small: the batch is current (which also means
 * nothing was lent since the last line) and the line ends in the segment
 * the previous one came from. */
static PyObject *blines_next(BufferLines *self) {
  size_t next = self->next;
  if (__builtin_expect(next < self->seg_n && self->gen == self->owner->gen, 1)) return blines_hand_out(self, next);
  return blines_next_slow(self);
}

static int blines_traverse(BufferLines *self, visitproc visit, void *arg) {
  Py_VISIT(self->owner);
  return 0;
}

static int blines_clear(BufferLines *self) {
  Py_CLEAR(self->owner);
  return 0;
}

static void blines_dealloc(BufferLines *self) {
  PyObject_GC_UnTrack(self);
  blines_clear(self);
  Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject BufferLinesType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "chunkbuf._accel.BufferLines",
    .tp_basicsize = sizeof(BufferLines),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "BufferLines(buffer): its complete LF lines, each consumed as it is handed out.",
    .tp_new = blines_new,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)blines_next,
    .tp_traverse = (traverseproc)blines_traverse,
    .tp_clear = (inquiry)blines_clear,
    .tp_dealloc = (destructor)blines_dealloc,
};

/* ------------------------------------------------------------- StreamBase
 * The C base of chunkbuf.Stream, a subclass of io's C _BufferedIOBase (set
 * at import; Stream also derives from io.BufferedIOBase). It holds
 * the stream handle and gives Stream its per-line methods as C methods, so
 * `s.readline()`, `for line in s` and `s.write(chunk)` run no Python code
 * when nothing has to wait:
 *  - lines come from a line hand-out of the stream (peek_lines, up to
 *    BATCH lines, nothing consumed), and each is consumed just before it is
 *    handed out. When another reader consumed first (ESTATE) the rest of
 *    the hand-out is dropped, not handed out, and the stream is looked at
 *    again; so the stream keeps every line not handed out yet, and no line
 *    is handed out twice. The hand-out's view keeps its bytes alive;
 *  - when no complete line is there, readline and iteration call the
 *    Python method _readline, which waits (GIL released, interruptibly) and
 *    takes one line, or raises what ended the wait, consuming nothing;
 *  - write copies in with the GIL held, and calls _write only when it
 *    would have to wait (a high-water mark) or fails (_write reports it).
 * Calls with other arguments (readline(size), a timeout) go to the Python
 * methods as they are. */

typedef struct {
  PyObject *h;         /* the handle object (a cffi pointer) */
  chunkbuf_stream *s;  /* its address */
  chunkbuf_view *view; /* the line hand-out, or NULL */
  chunkbuf_handout handout;
  size_t n, next;
  size_t span; /* bytes the hand-out covers */
  int busy; /* a line is being handed out: a call that reenters meanwhile (from
               a free_fn callback, a GC finalizer) must not touch the hand-out */
  chunkbuf_line *lines;
} StreamFields;

static PyTypeObject StreamBaseType;
static Py_ssize_t stream_fields_offset; /* after io.BufferedIOBase's part */

static StreamFields *fields(PyObject *self) { return (StreamFields *)((char *)self + stream_fields_offset); }

static void handout_drop(StreamFields *f) {
  chunkbuf_view *v = f->view;
  f->view = NULL;
  f->n = f->next = 0;
  chunkbuf_view_release(v);
}

enum { LINE, AT_EOF, WOULD_WAIT, FAILED };

/* The next line (*out) if one is there, consumed; AT_EOF; WOULD_WAIT when
 * no complete line is there (or on an error the Python wait reports with
 * its detail); FAILED with an exception set. */
static int next_line(StreamFields *f, PyObject **out) {
  if (f->busy || f->s == NULL) return WOULD_WAIT;
  if (f->lines == NULL && (f->lines = PyMem_Malloc(BATCH * sizeof(chunkbuf_line))) == NULL) {
    PyErr_NoMemory();
    return FAILED;
  }
  for (int looks = 0; looks < 2; looks++) {
    while (f->view != NULL) {
      const chunkbuf_line *line = &f->lines[f->next];
      size_t size = line->length + line->eol_length;
      f->busy = 1;
      PyObject *bytes = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)size);
      if (bytes == NULL) {
        f->busy = 0;
        return FAILED;
      }
      prefetch_ahead(line->data, f->span);
      memcpy(PyBytes_AS_STRING(bytes), line->data, line->length);
      if (line->eol_length) PyBytes_AS_STRING(bytes)[line->length] = '\n';
      int rc = chunkbuf_stream_consume(f->s, &f->handout, size, NULL);
      f->busy = 0;
      if (rc == 0) {
        if (++f->next == f->n) handout_drop(f);
        *out = bytes;
        return LINE;
      }
      Py_DECREF(bytes);
      handout_drop(f); /* another reader consumed (or an abort): look again */
    }
    size_t n = 0;
    int rc = chunkbuf_stream_peek_lines(f->s, CHUNKBUF_EOL_LF, 0, f->lines, BATCH, &NO_WAIT, &n, &f->view,
                                        &f->handout);
    if (rc) {
      f->view = NULL;
      return WOULD_WAIT;
    }
    if (n == 0) {
      handout_drop(f);
      return AT_EOF;
    }
    f->n = n;
    f->next = 0;
    f->span = f->handout.length;
  }
  return WOULD_WAIT; /* lines vanish as fast as they are looked at: let the Python path take one */
}

/* self.<name>(*args, **kwargs) for a METH_FASTCALL | METH_KEYWORDS call. */
static PyObject *forward(PyObject *self, const char *name, PyObject *const *args, Py_ssize_t nargs,
                         PyObject *kwnames) {
  Py_ssize_t total = nargs + (kwnames ? PyTuple_GET_SIZE(kwnames) : 0);
  PyObject *stack[8];
  if (total + 1 > (Py_ssize_t)(sizeof stack / sizeof stack[0])) {
    PyErr_Format(PyExc_TypeError, "too many arguments");
    return NULL;
  }
  PyObject *method = PyUnicode_InternFromString(name);
  if (method == NULL) return NULL;
  stack[0] = self;
  for (Py_ssize_t i = 0; i < total; i++) stack[i + 1] = args[i];
  PyObject *r = PyObject_VectorcallMethod(method, stack, (size_t)(nargs + 1) | PY_VECTORCALL_ARGUMENTS_OFFSET,
                                          kwnames);
  Py_DECREF(method);
  return r;
}

/* readline's size argument means "no limit": -1 or None. */
static int unlimited(PyObject *size) {
  if (size == Py_None) return 1;
  if (!PyLong_CheckExact(size)) return 0;
  int overflow = 0;
  return PyLong_AsLongAndOverflow(size, &overflow) == -1 && !overflow;
}

static PyObject *sb_readline(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
  if (kwnames == NULL && (nargs == 0 || (nargs == 1 && unlimited(args[0])))) {
    PyObject *line = NULL;
    switch (next_line(fields(self), &line)) {
      case LINE:
        return line;
      case AT_EOF:
        return PyBytes_FromStringAndSize(NULL, 0);
      case FAILED:
        return NULL;
      default:
        break;
    }
  }
  return forward(self, "_readline", args, nargs, kwnames);
}

/* read_line's eol argument when it names a style, else -1 (the Python
 * path then says what is wrong with it). */
static int eol_code(PyObject *eol) {
  static const struct {
    const char *name;
    chunkbuf_eol code;
  } styles[] = {{"crlf", CHUNKBUF_EOL_CRLF},       {"lf", CHUNKBUF_EOL_LF},   {"any", CHUNKBUF_EOL_ANY},
                {"crlf_strict", CHUNKBUF_EOL_CRLF_STRICT}, {"nul", CHUNKBUF_EOL_NUL}};
  if (!PyUnicode_Check(eol)) return -1;
  for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++)
    if (PyUnicode_CompareWithASCIIString(eol, styles[i].name) == 0) return (int)styles[i].code;
  return -1;
}

/* read_line(eol="crlf", max_len=0, keepends=False, timeout=...): a line
 * that is there now is read here, with the GIL held (the default eol is
 * the Buffer's, DEFAULT_EOL in buffer.py). A call this path does not take
 * as it is (an argument to check and report, one given twice, an unknown
 * name) and a read that would wait go to Stream._read_line. A timeout
 * needs no wait for a line that is there, but must be a valid one. */
static PyObject *sb_read_line(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
  static const char *const names[] = {"eol", "max_len", "keepends", "timeout"};
  PyObject *given[4] = {NULL, NULL, NULL, NULL};
  StreamFields *f = fields(self);
  int fast = f->s != NULL && nargs <= 4;
  for (Py_ssize_t i = 0; fast && i < nargs; i++) given[i] = args[i];
  Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
  for (Py_ssize_t i = 0; fast && i < nkw; i++) {
    size_t k = 0;
    while (k < 4 && PyUnicode_CompareWithASCIIString(PyTuple_GET_ITEM(kwnames, i), names[k]) != 0) k++;
    if (k == 4 || given[k] != NULL) fast = 0;
    else given[k] = args[nargs + i];
  }
  if (fast) {
    int eol = given[0] ? eol_code(given[0]) : (int)CHUNKBUF_EOL_CRLF;
    size_t max_len = 0;
    if (given[1] != NULL) {
      max_len = PyLong_CheckExact(given[1]) ? PyLong_AsSize_t(given[1]) : (size_t)-1;
      if (max_len == (size_t)-1) {
        PyErr_Clear();
        eol = -1; /* not a size this path takes */
      }
    }
    if (given[3] != NULL && given[3] != Py_None) {
      double t = PyFloat_Check(given[3]) || PyLong_CheckExact(given[3]) ? PyFloat_AsDouble(given[3]) : -1.0;
      if (PyErr_Occurred()) PyErr_Clear();
      if (!(t >= 0)) eol = -1; /* also NaN */
    }
    int keep = given[2] ? PyObject_IsTrue(given[2]) : 0;
    if (keep < 0) return NULL;
    if (eol >= 0) {
      int rc;
      PyObject *line = read_line_now(f->s, (chunkbuf_eol)eol, max_len, keep, &rc);
      if (line != NULL || rc == 0) return line;
    }
  }
  return forward(self, "_read_line", args, nargs, kwnames);
}

static PyObject *sb_iternext(PyObject *self) {
  PyObject *line = NULL;
  switch (next_line(fields(self), &line)) {
    case LINE:
      return line;
    case AT_EOF:
    case FAILED:
      return NULL;
    default:
      break;
  }
  line = PyObject_CallMethod(self, "_readline", NULL); /* waits for one (or EOF: b"") */
  if (line != NULL && PyBytes_Check(line) && PyBytes_GET_SIZE(line) == 0) Py_CLEAR(line);
  return line;
}

static PyObject *sb_write(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
  StreamFields *f = fields(self);
  if (nargs == 1 && kwnames == NULL && f->s != NULL) {
    int rc;
    Py_ssize_t len;
    if (PyBytes_CheckExact(args[0])) {
      len = PyBytes_GET_SIZE(args[0]);
      rc = chunkbuf_stream_write(f->s, PyBytes_AS_STRING(args[0]), (size_t)len, 0);
    } else {
      Py_buffer view;
      if (PyObject_GetBuffer(args[0], &view, PyBUF_SIMPLE) < 0) return NULL;
      len = view.len;
      rc = chunkbuf_stream_write(f->s, view.buf, (size_t)len, 0);
      PyBuffer_Release(&view);
    }
    if (rc == 0) return PyLong_FromSsize_t(len);
    /* it would wait, or failed: _write waits or reports the error */
  }
  return forward(self, "_write", args, nargs, kwnames);
}

/* _set_handle(h, address): the stream handle object and its address. */
static PyObject *sb_set_handle(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
  if (!check_args("_set_handle", nargs, 2)) return NULL;
  chunkbuf_stream *s = handle_of(args[1]);
  if (s == NULL) return NULL;
  StreamFields *f = fields(self);
  handout_drop(f);
  Py_INCREF(args[0]);
  Py_XSETREF(f->h, args[0]);
  f->s = s;
  Py_RETURN_NONE;
}

static PyObject *sb_get_h(PyObject *self, void *closure) {
  (void)closure;
  PyObject *h = fields(self)->h;
  if (h == NULL) Py_RETURN_NONE;
  Py_INCREF(h);
  return h;
}

static int sb_traverse(PyObject *self, visitproc visit, void *arg) {
  Py_VISIT(fields(self)->h);
  return StreamBaseType.tp_base->tp_traverse(self, visit, arg);
}

static int sb_clear(PyObject *self) {
  Py_CLEAR(fields(self)->h);
  return StreamBaseType.tp_base->tp_clear(self);
}

/* Stream (a Python subclass) is deallocated by CPython's subtype_dealloc,
 * which runs the finalizer (io's close) and then this. */
static void sb_dealloc(PyObject *self) {
  StreamFields *f = fields(self);
  handout_drop(f);
  PyMem_Free(f->lines);
  f->lines = NULL;
  Py_CLEAR(f->h);
  StreamBaseType.tp_base->tp_dealloc(self);
}

static PyMethodDef sb_methods[] = {
    {"readline", (PyCFunction)(void (*)(void))sb_readline, METH_FASTCALL | METH_KEYWORDS,
     "readline(size=-1, timeout=...) -> one line including b\"\\n\" (at most size bytes); b\"\" at EOF."},
    {"read_line", (PyCFunction)(void (*)(void))sb_read_line, METH_FASTCALL | METH_KEYWORDS,
     "read_line(eol=\"crlf\", max_len=0, keepends=False, timeout=...) -> one line without its end of line; "
     "None at EOF."},
    {"write", (PyCFunction)(void (*)(void))sb_write, METH_FASTCALL | METH_KEYWORDS,
     "write(data, timeout=...) -> len(data): copies data in, all or nothing."},
    {"_set_handle", (PyCFunction)(void (*)(void))sb_set_handle, METH_FASTCALL,
     "_set_handle(h, address): the stream handle and its address."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef sb_getset[] = {
    {"_h", (getter)sb_get_h, NULL, "the stream handle (a cffi pointer)", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject StreamBaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "chunkbuf._accel.StreamBase",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "The C base of chunkbuf.Stream: its handle and its per-line methods.",
    .tp_iternext = sb_iternext,
    .tp_methods = sb_methods,
    .tp_getset = sb_getset,
    .tp_traverse = sb_traverse,
    .tp_clear = sb_clear,
    .tp_dealloc = sb_dealloc,
};

/* StreamBase's base is _io._BufferedIOBase, known only at run time. */
static int stream_base_ready(void) {
  PyObject *io = PyImport_ImportModule("_io");
  if (io == NULL) return -1;
  PyObject *base = PyObject_GetAttrString(io, "_BufferedIOBase");
  Py_DECREF(io);
  if (base == NULL) return -1;
  if (!PyType_Check(base) || (((PyTypeObject *)base)->tp_flags & Py_TPFLAGS_HEAPTYPE)) {
    Py_DECREF(base);
    PyErr_SetString(PyExc_TypeError, "_io._BufferedIOBase is not a static type");
    return -1;
  }
  PyTypeObject *b = (PyTypeObject *)base; /* the reference is kept by StreamBaseType */
  Py_ssize_t align = (Py_ssize_t)sizeof(void *);
  stream_fields_offset = (b->tp_basicsize + align - 1) / align * align;
  StreamBaseType.tp_base = b;
  StreamBaseType.tp_basicsize = stream_fields_offset + (Py_ssize_t)sizeof(StreamFields);
  return PyType_Ready(&StreamBaseType);
}

static PyMethodDef accel_methods[] = {
    {"set_error", set_error, METH_O, "set_error(fn): fn(status) -> the exception to raise."},
    {"stream_read", (PyCFunction)(void (*)(void))stream_read, METH_FASTCALL,
     "stream_read(address, n, least) -> bytes, or a negative status (nothing consumed)."},
    {"stream_readinto", (PyCFunction)(void (*)(void))stream_readinto, METH_FASTCALL,
     "stream_readinto(address, buffer, least) -> count, or a negative status (nothing consumed)."},
    {"stream_write_ref", (PyCFunction)(void (*)(void))stream_write_ref, METH_FASTCALL,
     "stream_write_ref(address, data, wait) -> len(data), or a negative status (nothing written)."},
    {"stream_readline", (PyCFunction)(void (*)(void))stream_readline, METH_FASTCALL,
     "stream_readline(address, max_len) -> bytes, or a negative status (nothing consumed)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef accel_module = {
    PyModuleDef_HEAD_INIT, "chunkbuf._accel",
    "Non-blocking hot paths of the chunkbuf binding, called with the GIL held.", -1, accel_methods,
    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__accel(void) {
  if (stream_base_ready() < 0 || PyType_Ready(&SpanType) < 0 || PyType_Ready(&BufferBaseType) < 0 ||
      PyType_Ready(&BufferLinesType) < 0)
    return NULL;
  PyObject *m = PyModule_Create(&accel_module);
  if (m == NULL) return NULL;
  if (PyModule_AddObjectRef(m, "StreamBase", (PyObject *)&StreamBaseType) < 0 ||
      PyModule_AddObjectRef(m, "BufferBase", (PyObject *)&BufferBaseType) < 0 ||
      PyModule_AddObjectRef(m, "BufferLines", (PyObject *)&BufferLinesType) < 0) {
    Py_DECREF(m);
    return NULL;
  }
  return m;
}
