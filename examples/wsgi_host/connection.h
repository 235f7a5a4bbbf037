// The I/O side of one HTTP/1.1 connection: parses each request head, hands
// the request to a Python worker at once, then reads the body from the
// socket straight into pool memory and writes it into the request's Stream
// (zero copy), so the handler reads while the bytes are still arriving.
#pragma once

#include <chunkbuf.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "request.h"

namespace wsgi_host {

struct Config {
  size_t high_water = 1 << 20;    // Stream back-pressure: unread body bytes held at most (about)
  int idle_timeout_ms = 15000;    // keep-alive: how long to wait for the next request
  int io_timeout_ms = 30000;      // one socket read or write, and one blocked body write
  size_t max_head = 16 * 1024;    // request line and headers
  size_t max_drain = 4u << 20;    // body bytes discarded after the handler stopped reading
};

using Dispatch = std::function<void(std::shared_ptr<Request>)>;

// Serves the connection on fd until the client closes it, an error, or a
// response that ends the connection; closes fd. Runs on its own thread.
void serve_connection(int fd, const std::string& peer, int peer_port, int server_port, const Config& cfg,
                      const Dispatch& dispatch);

// Writes all of data to fd (MSG_NOSIGNAL); false on error or timeout.
bool send_all(int fd, const void* data, size_t len);

}  // namespace wsgi_host
