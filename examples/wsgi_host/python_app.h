// The embedded CPython side: a pool of worker threads that run the WSGI
// application (through wsgi_glue.py) for dispatched requests and write the
// responses to the connection.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "request.h"

namespace wsgi_host {

class PythonApp {
 public:
  // Starts the interpreter (on this thread) and loads "module:callable".
  // The GIL is released when it returns.
  bool init(const std::string& app_spec, std::string* err);
  void start(int workers);
  void submit(std::shared_ptr<Request> r);
  // Finishes the queued requests, joins the workers, ends the interpreter.
  void stop();

 private:
  void worker();
  void handle(Request& r);

  void* glue_handle_ = nullptr;  // PyObject*: wsgi_glue.handle
  void* app_ = nullptr;          // PyObject*: the application
  void* main_state_ = nullptr;   // PyThreadState* saved by init
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<Request>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace wsgi_host
