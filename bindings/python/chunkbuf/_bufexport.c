/* chunkbuf._bufexport: a base type that gives Python classes the buffer
 * protocol before Python 3.12 (PEP 688's __buffer__), and Lease, which lends
 * writable memory and counts who still has it.
 *
 * Exporter's bf_getbuffer calls self._export_buffer(), which returns an
 * object that supports the buffer protocol (the binding returns a read-only
 * memoryview over pool memory whose owner keeps a view retained), and hands
 * that object's buffer out. The consumer's Py_buffer refers to that object,
 * so the memory stays valid until the consumer releases it, whatever happens
 * to the exporting Python object meanwhile. No chunkbuf call is made here. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

static int exporter_getbuffer(PyObject *self, Py_buffer *view, int flags) {
  PyObject *inner = PyObject_CallMethod(self, "_export_buffer", NULL);
  if (inner == NULL) {
    view->obj = NULL;
    return -1;
  }
  int rc = PyObject_GetBuffer(inner, view, flags);
  Py_DECREF(inner);
  return rc;
}

static PyBufferProcs exporter_as_buffer = {exporter_getbuffer, NULL};

static PyTypeObject ExporterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "chunkbuf._bufexport.Exporter",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "Base class: buffer protocol through self._export_buffer().",
    .tp_as_buffer = &exporter_as_buffer,
    .tp_new = PyType_GenericNew,
};

/* Lease(address, length): writable memory lent to Python code (a buffer's
 * open reservation). `exports` counts the buffers obtained from it that are
 * not released yet; memoryview slices share their parent's, so it drops to
 * 0 only when the memoryview and every slice of it are released. The
 * binding releases its memoryview when the lending ends and, if exports is
 * still above 0, treats the memory as kept by the caller: it stops using it
 * and stores in `owner` whatever must keep it alive (dropped with the Lease,
 * which every outstanding export keeps alive). No chunkbuf call is made here. */
typedef struct {
  PyObject_HEAD
  char *address;
  Py_ssize_t length;
  Py_ssize_t exports;
  PyObject *owner;
} Lease;

static int lease_init(Lease *self, PyObject *args, PyObject *kwds) {
  static char *kwlist[] = {"address", "length", NULL};
  unsigned long long address = 0;
  Py_ssize_t length = 0;
  if (!PyArg_ParseTupleAndKeywords(args, kwds, "Kn", kwlist, &address, &length)) return -1;
  if (length < 0) {
    PyErr_SetString(PyExc_ValueError, "length must not be negative");
    return -1;
  }
  if (self->exports) {
    PyErr_SetString(PyExc_BufferError, "a Lease with exports cannot be re-initialized");
    return -1;
  }
  self->address = (char *)(uintptr_t)address;
  self->length = length;
  return 0;
}

static int lease_getbuffer(Lease *self, Py_buffer *view, int flags) {
  if (PyBuffer_FillInfo(view, (PyObject *)self, self->address, self->length, 0, flags) < 0) return -1;
  self->exports++;
  return 0;
}

static void lease_releasebuffer(Lease *self, Py_buffer *view) {
  (void)view;
  self->exports--;
}

static int lease_traverse(Lease *self, visitproc visit, void *arg) {
  Py_VISIT(self->owner);
  return 0;
}

static int lease_clear(Lease *self) {
  Py_CLEAR(self->owner);
  return 0;
}

static void lease_dealloc(Lease *self) {
  PyObject_GC_UnTrack(self);
  lease_clear(self);
  Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMemberDef lease_members[] = {
    {"exports", T_PYSSIZET, offsetof(Lease, exports), READONLY, "buffers obtained and not yet released"},
    {"owner", T_OBJECT, offsetof(Lease, owner), 0, "kept alive as long as the Lease"},
    {NULL, 0, 0, 0, NULL},
};

static PyBufferProcs lease_as_buffer = {(getbufferproc)lease_getbuffer, (releasebufferproc)lease_releasebuffer};

static PyTypeObject LeaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "chunkbuf._bufexport.Lease",
    .tp_basicsize = sizeof(Lease),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Writable memory lent to Python, counting its live exports.",
    .tp_as_buffer = &lease_as_buffer,
    .tp_members = lease_members,
    .tp_init = (initproc)lease_init,
    .tp_new = PyType_GenericNew,
    .tp_traverse = (traverseproc)lease_traverse,
    .tp_clear = (inquiry)lease_clear,
    .tp_dealloc = (destructor)lease_dealloc,
};

static struct PyModuleDef bufexport_module = {
    PyModuleDef_HEAD_INIT, "chunkbuf._bufexport",
    "Buffer-protocol base type for chunkbuf objects.", -1, NULL, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__bufexport(void) {
  if (PyType_Ready(&ExporterType) < 0 || PyType_Ready(&LeaseType) < 0) return NULL;
  PyObject *m = PyModule_Create(&bufexport_module);
  if (m == NULL) return NULL;
  Py_INCREF(&ExporterType);
  if (PyModule_AddObject(m, "Exporter", (PyObject *)&ExporterType) < 0) {
    Py_DECREF(&ExporterType);
    Py_DECREF(m);
    return NULL;
  }
  Py_INCREF(&LeaseType);
  if (PyModule_AddObject(m, "Lease", (PyObject *)&LeaseType) < 0) {
    Py_DECREF(&LeaseType);
    Py_DECREF(m);
    return NULL;
  }
  return m;
}
