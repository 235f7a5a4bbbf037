// Status codes and the thread-local error detail shared by the whole core.
#pragma once

#include <cstdarg>
#include <cstddef>

namespace chunkbuf {

// Values match the CHUNKBUF_E* codes of the C API one for one.
enum class Status : int {
  Ok = 0,
  Inval = -1,
  Handle = -2,
  NoMem = -3,
  Limit = -4,
  State = -5,
  NeedMore = -6,
  Closed = -7,
  Again = -8,
  TimedOut = -9,
  Aborted = -10,
  Range = -11,
  Io = -12,
  NotSup = -13,
  Version = -14,
  Canceled = -15,
  FrameLimit = -16,
  NoReserve = -17,
};

inline constexpr size_t npos = static_cast<size_t>(-1);

// Records a printf-style detail message for the calling thread and returns
// `st`, so failures read `return fail(Status::Limit, "...", ...)`.
Status fail(Status st, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
// The same with a fixed message (no formatting: for hot, expected failures
// such as need-more-data in a parse loop).
Status fail_text(Status st, const char* msg) noexcept;

// The calling thread's last detail message ("" before any failure).
const char* last_error_detail();

// Static name of a status ("invalid argument", ...).
const char* status_name(int code);

}  // namespace chunkbuf
