#include "status.h"

#include <cstdio>
#include <cstring>

namespace chunkbuf {
namespace {
thread_local char t_detail[512] = "";
}

Status fail(Status st, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(t_detail, sizeof t_detail, fmt, ap);
  va_end(ap);
  return st;
}

Status fail_text(Status st, const char* msg) noexcept {
  size_t n = std::strlen(msg);
  if (n >= sizeof t_detail) n = sizeof t_detail - 1;
  std::memcpy(t_detail, msg, n);
  t_detail[n] = '\0';
  return st;
}

const char* last_error_detail() { return t_detail; }

const char* status_name(int code) {
  switch (static_cast<Status>(code)) {
    case Status::Ok: return "ok";
    case Status::Inval: return "invalid argument";
    case Status::Handle: return "invalid, wrong-kind or released handle";
    case Status::NoMem: return "out of memory";
    case Status::Limit: return "limit exceeded";
    case Status::State: return "operation not allowed in the current state";
    case Status::NeedMore: return "more data needed";
    case Status::Closed: return "stream closed";
    case Status::Again: return "operation would block";
    case Status::TimedOut: return "timed out";
    case Status::Aborted: return "stream aborted";
    case Status::Range: return "offset or count out of range";
    case Status::Io: return "I/O error";
    case Status::NotSup: return "feature not supported by this build";
    case Status::Version: return "unknown options struct size";
    case Status::Canceled: return "blocking call canceled";
    case Status::FrameLimit: return "frame too large";
    case Status::NoReserve: return "no reservation open";
  }
  return "unknown error code";
}

}  // namespace chunkbuf
