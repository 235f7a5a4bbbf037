/* chunkbuf._bufexport: a base type that gives Python classes the buffer
 * protocol before Python 3.12 (PEP 688's __buffer__).
 *
 * Exporter's bf_getbuffer calls self._export_buffer(), which returns an
 * object that supports the buffer protocol (the binding returns a read-only
 * memoryview over pool memory whose owner keeps a view retained), and hands
 * that object's buffer out. The consumer's Py_buffer refers to that object,
 * so the memory stays valid until the consumer releases it, whatever happens
 * to the exporting Python object meanwhile. No chunkbuf call is made here. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

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

static struct PyModuleDef bufexport_module = {
    PyModuleDef_HEAD_INIT, "chunkbuf._bufexport",
    "Buffer-protocol base type for chunkbuf objects.", -1, NULL, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__bufexport(void) {
  if (PyType_Ready(&ExporterType) < 0) return NULL;
  PyObject *m = PyModule_Create(&bufexport_module);
  if (m == NULL) return NULL;
  Py_INCREF(&ExporterType);
  if (PyModule_AddObject(m, "Exporter", (PyObject *)&ExporterType) < 0) {
    Py_DECREF(&ExporterType);
    Py_DECREF(m);
    return NULL;
  }
  return m;
}
