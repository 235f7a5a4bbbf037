// The file-like adapters' read policies over a Buffer and a Stream.
#include "short_read.h"

#include "binary.h"

namespace chunkbuf {

Status read_short(Buffer& b, void* dst, size_t n, Short policy, size_t* nread) noexcept {
  switch (policy) {
    case Short::Raise:
      if (Status st = read_exact(b, dst, n); st != Status::Ok) return st;
      *nread = n;
      return Status::Ok;
    case Short::Partial:
      return b.read(dst, n, nread);
    case Short::Block:
      return fail(Status::Inval, "read policy block needs a stream: a buffer has no writer to wait for");
  }
  return fail(Status::Inval, "unknown read policy %d", static_cast<int>(policy));
}

Status read_short(Stream& s, void* dst, size_t n, Short policy, const Wait& w, size_t* nread) noexcept {
  switch (policy) {
    case Short::Raise: {
      // All n now, or (at EOF) what is left; otherwise nothing is consumed.
      Status st = s.read_into(dst, n, n, Wait{0, w.cancel}, nread);
      if (st == Status::Again) return fail(Status::NeedMore, "fewer than %zu bytes unread and no EOF yet", n);
      return st;
    }
    case Short::Partial:
      return s.read_into(dst, n, 0, w, nread);
    case Short::Block:
      return s.read_into(dst, n, n, w, nread);
  }
  return fail(Status::Inval, "unknown read policy %d", static_cast<int>(policy));
}

}  // namespace chunkbuf
