// Buffer fd I/O: readv straight into reserved pool memory, writev of the
// segments.
#include <errno.h>
#include <limits.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "buffer.h"
#include "sigpipe.h"

namespace chunkbuf {
namespace {

constexpr size_t kDefaultFdRead = 64 * 1024;
constexpr size_t kMaxIov = IOV_MAX < 1024 ? IOV_MAX : 1024;

}  // namespace

Status Buffer::read_from_fd(int fd, size_t max, size_t* nread) noexcept {
  if (Status st = check_mutable("read_from_fd"); st != Status::Ok) return st;
  if (max == 0) max = kDefaultFdRead;
  if (max_bytes_) {
    size_t room = max_bytes_ - std::min(len_, max_bytes_);
    if (room == 0) return fail(Status::Limit, "buffer is at max_bytes %zu", max_bytes_);
    max = std::min(max, room);
  }
  struct iovec iov[2];
  size_t cnt = 0;
  if (Status st = reserve(max, iov, 2, &cnt); st != Status::Ok) return st;
  size_t left = max;
  for (size_t i = 0; i < cnt; ++i) {
    iov[i].iov_len = std::min(iov[i].iov_len, left);
    left -= iov[i].iov_len;
  }
  ssize_t r;
  do {
    r = ::readv(fd, iov, static_cast<int>(cnt));
  } while (r < 0 && errno == EINTR);
  if (r < 0) {
    int e = errno;
    commit(0);
    if (e == EAGAIN || e == EWOULDBLOCK) return fail(Status::Again, "readv on fd %d would block", fd);
    return fail(Status::Io, "readv on fd %d: %s", fd, std::strerror(e));
  }
  commit(static_cast<size_t>(r));
  *nread = static_cast<size_t>(r);
  return Status::Ok;
}

Status Buffer::write_to_fd(int fd, size_t max, size_t* nwritten) noexcept {
  if (Status st = check_mutable("write_to_fd"); st != Status::Ok) return st;
  if (max == 0 || max > len_) max = len_;
  *nwritten = 0;
  if (max == 0) return Status::Ok;
  struct iovec iov[kMaxIov];
  size_t cnt = peek(max, iov, kMaxIov);
  ssize_t r = writev_nosigpipe(fd, iov, static_cast<int>(cnt));  // EPIPE, never SIGPIPE
  if (r < 0) {
    int e = errno;
    if (e == EAGAIN || e == EWOULDBLOCK) return fail(Status::Again, "writev on fd %d would block", fd);
    return fail(Status::Io, "writev on fd %d: %s", fd, std::strerror(e));
  }
  *nwritten = static_cast<size_t>(r);
  return advance(static_cast<size_t>(r));
}

}  // namespace chunkbuf
