#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "python_app.h"

#include <sys/socket.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "connection.h"

namespace wsgi_host {
namespace {

// Sends bytes with the GIL released: other handlers run meanwhile.
bool send_nogil(int fd, const void* data, size_t len) {
  bool ok;
  Py_BEGIN_ALLOW_THREADS
  ok = send_all(fd, data, len);
  Py_END_ALLOW_THREADS
  return ok;
}

bool send_chunk(int fd, const void* data, size_t len, bool chunked) {
  if (!chunked) return send_nogil(fd, data, len);
  char size[32];
  int n = std::snprintf(size, sizeof size, "%zx\r\n", len);
  return send_nogil(fd, size, static_cast<size_t>(n)) && send_nogil(fd, data, len) && send_nogil(fd, "\r\n", 2);
}

// Writes the response of one application call; false when the connection
// can no longer be used (an error after the head, a short body, a failed
// send). Holds the GIL except while sending.
class ResponseWriter {
 public:
  ResponseWriter(Request& r, PyObject* resp) : r_(r), resp_(resp) {}

  bool send_head() {
    PyObject* head = PyObject_CallMethod(resp_, "head", "OOO", r_.version == "HTTP/1.1" ? Py_True : Py_False,
                                         r_.client_keep_alive ? Py_True : Py_False,
                                         r_.method == "HEAD" ? Py_True : Py_False);
    if (head == nullptr) return false;
    PyObject* bytes = nullptr;
    long long length = -1;
    int chunked = 0, keep = 0;
    bool ok = PyArg_ParseTuple(head, "SLpp", &bytes, &length, &chunked, &keep) &&
              send_nogil(r_.fd, PyBytes_AS_STRING(bytes), static_cast<size_t>(PyBytes_GET_SIZE(bytes)));
    Py_DECREF(head);
    head_sent_ = ok;
    length_ = length;
    chunked_ = chunked != 0;
    keep_ = keep != 0;
    return ok;
  }

  bool body(PyObject* chunk) {
    Py_buffer b;
    if (PyObject_GetBuffer(chunk, &b, PyBUF_SIMPLE) < 0) return false;
    bool ok = true;
    if (b.len > 0) {
      ok = (head_sent_ || send_head());
      size_t n = static_cast<size_t>(b.len);
      // Bytes past the declared Content-Length would be read as the next
      // response: send up to it, then end the connection (finish() fails).
      const bool too_long = ok && length_ >= 0 && sent_ + b.len > length_;
      if (too_long) n = static_cast<size_t>(std::max(0LL, length_ - sent_));
      sent_ += static_cast<long long>(b.len);
      if (ok && n > 0 && r_.method != "HEAD") ok = send_chunk(r_.fd, b.buf, n, chunked_);
      if (too_long) ok = false;
    }
    PyBuffer_Release(&b);
    return ok;
  }

  // After the last chunk; whether the connection may serve another request.
  bool finish() {
    if (!head_sent_ && !send_head()) return false;
    if (chunked_ && !send_nogil(r_.fd, "0\r\n\r\n", 5)) return false;
    if (length_ >= 0 && r_.method != "HEAD" && sent_ != length_) return false;  // a short or long body
    return keep_;
  }

  bool head_sent() const { return head_sent_; }

 private:
  Request& r_;
  PyObject* resp_;
  bool head_sent_ = false, chunked_ = false, keep_ = false;
  long long length_ = -1, sent_ = 0;
};

}  // namespace

bool PythonApp::init(const std::string& app_spec, std::string* err) {
  Py_InitializeEx(0);  // no Python signal handlers: the host owns SIGINT/SIGTERM
  PyObject* glue = PyImport_ImportModule("wsgi_glue");
  PyObject* app = nullptr;
  if (glue != nullptr) {
    app = PyObject_CallMethod(glue, "load_app", "s", app_spec.c_str());
    glue_handle_ = PyObject_GetAttrString(glue, "handle");
  }
  if (app == nullptr || glue_handle_ == nullptr) {
    PyErr_Print();
    *err = "cannot load the application " + app_spec;
    Py_XDECREF(glue);
    return false;
  }
  Py_DECREF(glue);
  app_ = app;
  main_state_ = PyEval_SaveThread();
  return true;
}

void PythonApp::start(int workers) {
  for (int i = 0; i < workers; ++i) threads_.emplace_back([this] { worker(); });
}

void PythonApp::submit(std::shared_ptr<Request> r) {
  {
    std::lock_guard lk(mu_);
    queue_.push_back(std::move(r));
  }
  cv_.notify_one();
}

void PythonApp::stop() {
  {
    std::lock_guard lk(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
  if (main_state_ != nullptr) {
    PyEval_RestoreThread(static_cast<PyThreadState*>(main_state_));
    Py_XDECREF(static_cast<PyObject*>(app_));
    Py_XDECREF(static_cast<PyObject*>(glue_handle_));
    Py_FinalizeEx();
    main_state_ = nullptr;
  }
}

void PythonApp::worker() {
  for (;;) {  // one pass per request, until stop()
    std::shared_ptr<Request> r;
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      r = std::move(queue_.front());
      queue_.pop_front();
    }
    handle(*r);
  }
}

void PythonApp::handle(Request& r) {
  bool keep = false;
  PyGILState_STATE g = PyGILState_Ensure();
  PyObject* headers = PyList_New(0);
  for (const auto& [name, value] : r.headers) {
    PyObject* pair = Py_BuildValue("(NN)", PyUnicode_DecodeLatin1(name.data(), name.size(), nullptr),
                                   PyUnicode_DecodeLatin1(value.data(), value.size(), nullptr));
    if (pair != nullptr) PyList_Append(headers, pair);
    Py_XDECREF(pair);
  }
  PyObject* method = PyUnicode_DecodeLatin1(r.method.data(), r.method.size(), nullptr);
  PyObject* target = PyUnicode_DecodeLatin1(r.target.data(), r.target.size(), nullptr);
  // The glue wraps the address with chunkbuf.Stream.from_handle, which takes
  // its own reference: the handler may keep the Stream after we return.
  PyObject* resp = PyObject_CallFunction(static_cast<PyObject*>(glue_handle_), "OKNNsNsii", app_,
                                         static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(r.body)),
                                         method, target, r.version.c_str(), headers, r.peer_addr.c_str(),
                                         r.peer_port, r.server_port);
  ResponseWriter w(r, resp);
  PyObject* it = resp != nullptr ? PyObject_GetIter(resp) : nullptr;
  if (it != nullptr) {
    bool ok = true;
    PyObject* chunk;
    while (ok && (chunk = PyIter_Next(it)) != nullptr) {  // bounded by the application's iterable
      ok = w.body(chunk);
      Py_DECREF(chunk);
    }
    if (ok && !PyErr_Occurred()) keep = w.finish();
    Py_DECREF(it);
  }
  if (PyErr_Occurred()) {
    PyErr_Print();  // the traceback goes to stderr, as wsgi.errors does
    if (!w.head_sent()) {  // else the client sees the connection close mid-body
      static const char k500[] =
          "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      send_nogil(r.fd, k500, sizeof k500 - 1);
    }
    keep = false;
  }
  if (resp != nullptr) {
    PyObject* rc = PyObject_CallMethod(resp, "close", nullptr);
    if (rc == nullptr) {
      PyErr_Print();
      keep = false;
    }
    Py_XDECREF(rc);
    Py_DECREF(resp);
  }
  PyGILState_Release(g);
  // The handler is done with the body: a writer still blocked on the
  // high-water mark wakes with ECLOSED and discards the rest.
  chunkbuf_stream_close(r.body);
  chunkbuf_stream_release(r.body);
  r.body = nullptr;
  r.finish(keep);
}

}  // namespace wsgi_host
