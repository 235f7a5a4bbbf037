// One HTTP request as the connection's I/O thread hands it to a Python
// worker: the parsed head, the body Stream the I/O thread is filling, and
// the completion the I/O thread waits for before reading the next request.
#pragma once

#include <chunkbuf.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace wsgi_host {

struct Request {
  int fd = -1;  // the connection; only the worker writes to it while dispatched
  std::string method, target, version;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string peer_addr;
  int peer_port = 0;
  int server_port = 0;
  bool client_keep_alive = true;  // the client did not ask to close
  // The worker's own reference to the body (the I/O thread holds another);
  // the worker releases it when the response is sent.
  chunkbuf_stream* body = nullptr;

  // Set by the worker when the response is complete.
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  bool keep_alive = false;  // the response allows another request on fd

  void finish(bool keep) {
    {
      std::lock_guard lk(mu);
      done = true;
      keep_alive = keep;
    }
    cv.notify_all();
  }
  bool wait_done() {
    std::unique_lock lk(mu);
    cv.wait(lk, [this] { return done; });
    return keep_alive;
  }
};

}  // namespace wsgi_host
