// writev that cannot kill the process with SIGPIPE. A library must not
// change the host's signal handling, and a write to a pipe or socket whose
// reader is gone raises SIGPIPE, whose default action ends the process.
// Sockets are written with sendmsg(MSG_NOSIGNAL). For pipes and FIFOs the
// calling thread blocks SIGPIPE around the writev and, on EPIPE, consumes
// the SIGPIPE the write raised (sigtimedwait with a zero timeout) unless
// one was already pending, then restores its mask: the technique of
// libcurl and OpenSSL. Other files cannot raise SIGPIPE and get a plain
// writev. Returns what writev returns, with errno set (EPIPE, not a signal).
#pragma once

#include <sys/types.h>
#include <sys/uio.h>

namespace chunkbuf {

ssize_t writev_nosigpipe(int fd, const struct iovec* iov, int cnt) noexcept;

}  // namespace chunkbuf
