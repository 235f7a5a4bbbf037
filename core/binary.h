// Consuming binary readers over a Buffer (streambufs' read_u8, read_u16_be,
// read_bytes, peek_exact ...): each reads from the front and either takes
// exactly what it reads or, when the buffer is short, reports NeedMore and
// takes nothing, so a parser retries after the next append.
#pragma once

#include <cstddef>
#include <cstdint>

#include "buffer.h"
#include "status.h"

namespace chunkbuf {

// Reads a width-byte (1, 2, 4 or 8) unsigned integer in `order` from the
// front and consumes it. State during a reservation.
Status read_uint(Buffer& b, size_t width, Order order, uint64_t* out) noexcept;
// Copies exactly n bytes from the front into dst and consumes them.
Status read_exact(Buffer& b, void* dst, size_t n) noexcept;
// Copies exactly n bytes from the front into dst without consuming them.
Status peek_exact(const Buffer& b, void* dst, size_t n) noexcept;

}  // namespace chunkbuf
