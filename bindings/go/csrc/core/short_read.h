// Reads with an explicit policy for when fewer bytes are there than asked
// (the streambufs design's file-like adapters): one place that every
// binding's file-like reader calls, so none of them decides it itself.
#pragma once

#include <cstddef>

#include "buffer.h"
#include "status.h"
#include "stream.h"

namespace chunkbuf {

enum class Short {
  Raise = 0,    // NeedMore and nothing consumed (a stream at EOF gives what is left)
  Partial = 1,  // what is there, without waiting (a stream with nothing yet: Again)
  Block = 2,    // a stream waits for n bytes or EOF; a buffer has no writer to wait for
};

// Copies up to n bytes from the front into dst and consumes them, as policy
// says when fewer than n are there. Block is Inval on a buffer.
Status read_short(Buffer& b, void* dst, size_t n, Short policy, size_t* nread) noexcept;
Status read_short(Stream& s, void* dst, size_t n, Short policy, const Wait& w, size_t* nread) noexcept;

}  // namespace chunkbuf
