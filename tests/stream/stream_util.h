// Helpers shared by the stream tests.
#pragma once

#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "core/stream.h"

namespace chunkbuf::test {

inline std::unique_ptr<Stream> make_stream(const StreamOptions& o = {}) {
  auto s = std::make_unique<Stream>();
  EXPECT_EQ(s->init(o), Status::Ok);
  return s;
}

// The bytes of a view, which is released.
inline std::string drain(ViewRep* v) {
  std::string out(v->len, '\0');
  view_copy_out(v, 0, out.data(), out.size());
  view_release(v);
  return out;
}

// poll(2) with a zero timeout.
inline bool fd_readable(int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

inline int64_t ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
}

// Spins (yielding) until pred() holds; false after ~10 s so a broken
// engine fails the test instead of hanging it.
template <typename Pred>
bool eventually(Pred pred) {
  auto t0 = std::chrono::steady_clock::now();
  while (!pred()) {
    if (ms_since(t0) > 10000) return false;
    std::this_thread::yield();
  }
  return true;
}

inline size_t readers_waiting(const Stream& s) {
  size_t r = 0;
  s.waiting(&r, nullptr);
  return r;
}

inline size_t writers_waiting(const Stream& s) {
  size_t w = 0;
  s.waiting(nullptr, &w);
  return w;
}

// A deterministic byte pattern (not periodic at small strides).
inline std::string pattern(size_t n, uint32_t seed = 1) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (char& c : s) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  return s;
}

}  // namespace chunkbuf::test
