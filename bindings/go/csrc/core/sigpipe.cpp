#include "sigpipe.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

namespace chunkbuf {
namespace {

ssize_t writev_retrying(int fd, const struct iovec* iov, int cnt) noexcept {
  ssize_t r;
  do {
    r = ::writev(fd, iov, cnt);
  } while (r < 0 && errno == EINTR);
  return r;
}

ssize_t sendmsg_retrying(int fd, const struct iovec* iov, int cnt) noexcept {
  struct msghdr m = {};
  m.msg_iov = const_cast<struct iovec*>(iov);
  m.msg_iovlen = static_cast<size_t>(cnt);
  ssize_t r;
  do {
    r = ::sendmsg(fd, &m, MSG_NOSIGNAL);
  } while (r < 0 && errno == EINTR);
  return r;
}

ssize_t writev_sigpipe_blocked(int fd, const struct iovec* iov, int cnt) noexcept {
  sigset_t pipe_set, old, pending;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigemptyset(&pending);
  sigpending(&pending);
  bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  ssize_t r = writev_retrying(fd, iov, cnt);
  int e = errno;
  if (r < 0 && e == EPIPE && !was_pending) {
    // Our write raised it (for this thread): take it back before unblocking.
    struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = e;
  return r;
}

}  // namespace

ssize_t writev_nosigpipe(int fd, const struct iovec* iov, int cnt) noexcept {
  struct stat st;
  if (::fstat(fd, &st) != 0) return -1;  // EBADF and the like, as writev would say
  if (S_ISSOCK(st.st_mode)) {
    ssize_t r = sendmsg_retrying(fd, iov, cnt);
    if (r >= 0 || errno != ENOTSOCK) return r;
  }
  if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) return writev_sigpipe_blocked(fd, iov, cnt);
  return writev_retrying(fd, iov, cnt);
}

}  // namespace chunkbuf
