// One copy from writer to reader: the queue of readers blocked in a bulk
// read into their own memory, which a copying write fills directly instead
// of copying into pool memory and out again.
//
// Stream order holds because a writer fills queued readers only while
// nothing is buffered: every byte it hands over directly is the next byte
// of the stream, and whatever does not fit is buffered after it (in the
// same locked step). A reader takes a fill only when it reaches the
// reader's minimum at once, so a reader never holds fewer bytes than it
// waits for; the copy happens under the stream's lock, so a reader that
// wakes (cancel, timeout, abort, release) sees either no bytes or all of
// them, and returns the ones it got.
#include <algorithm>
#include <cstring>

#include "stream.h"

namespace chunkbuf {

void Stream::direct_enqueue(DirectRead* d) noexcept {
  d->prev = direct_tail_;
  d->next = nullptr;
  if (direct_tail_) direct_tail_->next = d;
  else direct_head_ = d;
  direct_tail_ = d;
  d->queued = true;
}

void Stream::direct_dequeue(DirectRead* d) noexcept {
  if (d->prev) d->prev->next = d->next;
  else direct_head_ = d->next;
  if (d->next) d->next->prev = d->prev;
  else direct_tail_ = d->prev;
  d->prev = d->next = nullptr;
  d->queued = false;
}

size_t Stream::direct_room(size_t n) const noexcept {
  if (unread() != 0) return 0;  // buffered bytes come first
  size_t k = 0;
  for (const DirectRead* d = direct_head_; d && k < n; d = d->next) {
    size_t fit = std::min(n - k, d->cap - d->filled);
    if (d->filled + fit < d->min) break;  // this reader waits for more: buffer the rest
    k += fit;
  }
  return k;
}

void Stream::direct_fill(const char* data, size_t k) noexcept {
  if (k == 0) return;
  size_t done = 0;
  for (DirectRead* d = direct_head_; done < k; d = d->next) {
    size_t fit = std::min(k - done, d->cap - d->filled);
    std::memcpy(d->dst + d->filled, data + done, fit);
    d->filled += fit;
    done += fit;
  }
  // Those bytes were written and read at once: the buffered ones (if any)
  // start after them.
  pos_ += k;
  base_ += k;
}

}  // namespace chunkbuf
