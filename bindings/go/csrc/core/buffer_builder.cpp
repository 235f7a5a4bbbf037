// The buffer as a builder: capacity, growing ahead of writes, freezing into
// a view (axon's BufferMut, the FASTQ module's pooled buffer).
#include "buffer.h"
#include "kinds.h"

namespace chunkbuf {

size_t Buffer::capacity() const noexcept { return len_ + tail_space(); }

Status Buffer::ensure_capacity(size_t additional) noexcept {
  if (Status st = check_mutable("ensure_capacity"); st != Status::Ok) return st;
  if (Status st = check_room(additional, "ensure_capacity"); st != Status::Ok) return st;
  if (additional == 0) return Status::Ok;
  return linear_ ? linear_prepare(additional) : make_tail_room(additional);
}

Status Buffer::freeze(uint32_t kind, ViewRep** out) noexcept {
  if (!kind_known(kind)) return fail(Status::Inval, "content kind %u is not registered", kind);
  if (Status st = split_to(len_, out); st != Status::Ok) return st;
  (*out)->kind = kind;
  return Status::Ok;
}

}  // namespace chunkbuf
