// Pending reads: a bulk read that waits without blocking its thread, for a
// binding that parks its own task (a goroutine, a coroutine) and is woken
// by a callback instead of a condition variable.
//
// An armed read is a blocked read_into in every way the stream can see: it
// counts as a waiting reader, reports itself starved to back-pressured
// writers, and queues its destination for direct fills (one copy from
// writer to reader). Only the wait differs: the writer that makes it ready
// runs its callback (under the stream's lock, so a read being finished or
// canceled never races with its callback), and the reader comes back to
// finish it. A wait (wait_start) is the same with no destination: it is
// ready once min bytes are unread, or once as many bytes as that took
// have been written since (other readers may have taken some), and
// finishing it consumes nothing. A
// space wait (space_start) is the writer's: a blocked write of n bytes
// held at the high-water mark, ready when that write could go on.
#include <algorithm>

#include "stream.h"

namespace chunkbuf {

namespace {

// The armed reads and waits of one kind are a list linked through p.
void link(PendingRead*& head, PendingRead* p) noexcept {
  p->prev = nullptr;
  p->next = head;
  if (head) head->prev = p;
  head = p;
}

void unlink(PendingRead*& head, PendingRead* p) noexcept {
  if (p->prev) p->prev->next = p->next;
  else head = p->next;
  if (p->next) p->next->prev = p->prev;
  p->prev = p->next = nullptr;
}

// How many ready callbacks this thread is running (they run under a
// stream's lock, so a call into a stream from one would deadlock).
thread_local int ready_depth = 0;

}  // namespace

bool in_ready_callback() noexcept { return ready_depth > 0; }

void Stream::run_ready(PendingRead* p) noexcept {
  // Written under the lock only; callbacks of one stream never nest (the
  // stream's calls from one are refused).
  callback_thread_.store(static_cast<unsigned long>(pthread_self()), std::memory_order_relaxed);
  ++ready_depth;
  p->fn(p->arg);
  --ready_depth;
  callback_thread_.store(0, std::memory_order_relaxed);
}

bool Stream::pending_ready(const PendingRead* p) const noexcept {
  return p->d.filled > 0 || aborted_ || closed_ || unread() >= p->d.min ||
         (p->d.cap == 0 && base_ + buf_.size() >= p->end);
}

void Stream::notify_pending() noexcept {
  bool starved = false;
  for (PendingRead* p = pending_head_; p; p = p->next) {
    if (!pending_ready(p)) {
      starved = true;
      continue;
    }
    if (p->notified) continue;
    p->notified = true;
    run_ready(p);
  }
  // A blocked reader that needs more than is buffered says so again each
  // time it wakes; an armed read cannot wake, so it says so here, or a
  // writer held at the mark would wait for it forever.
  if (starved) report_starved();
}

void Stream::pending_disarm(PendingRead* p) noexcept {
  if (p->d.queued) direct_dequeue(&p->d);
  unlink(pending_head_, p);
  p->armed = false;
  --waiting_readers_;
  if (released_) idle_cv_.notify_all();
}

void Stream::pending_arm(PendingRead* p, void* dst, size_t n, size_t min, ReadyFn fn, void* arg) noexcept {
  *p = PendingRead{};
  p->fn = fn;
  p->arg = arg;
  p->d.dst = static_cast<char*>(dst);
  p->d.cap = n;
  p->d.min = min;
  p->armed = true;
  link(pending_head_, p);
  if (!retain_ && n > 0) direct_enqueue(&p->d);
  ++waiting_readers_;
  report_starved();
}

Status Stream::read_start(PendingRead* p, void* dst, size_t n, size_t min, ReadyFn fn, void* arg, bool* armed,
                          size_t* nread) noexcept {
  *armed = false;
  *nread = 0;
  if (p->armed) return fail(Status::State, "read_start: this pending read is already armed");
  if (!fn) return fail(Status::Inval, "read_start: no ready callback");
  if (n == 0) return Status::Ok;
  min = std::clamp<size_t>(min, 1, n);
  ViewRep* v = nullptr;
  {
    std::unique_lock<std::mutex> lk = lock_data();
    if (aborted_) return fail(Status::Aborted, "read_start: the stream was aborted (code %d)", abort_code_);
    if (!closed_ && unread() < min) {
      pending_arm(p, dst, n, min, fn, arg);
      *armed = true;
      return Status::Ok;
    }
    if (Status st = take(std::min(n, unread()), &v); st != Status::Ok) return st;
  }
  *nread = copy_taken(v, dst);
  return Status::Ok;
}

Status Stream::wait_start(PendingRead* p, size_t min, ReadyFn fn, void* arg, bool* armed) noexcept {
  *armed = false;
  if (p->armed) return fail(Status::State, "wait_start: this pending read is already armed");
  if (!fn) return fail(Status::Inval, "wait_start: no ready callback");
  std::lock_guard<std::mutex> lk(mu_);
  if (aborted_) return fail(Status::Aborted, "wait_start: the stream was aborted (code %d)", abort_code_);
  if (!closed_ && unread() < std::max<size_t>(min, 1)) {
    pending_arm(p, nullptr, 0, std::max<size_t>(min, 1), fn, arg);
    p->end = pos_ + p->d.min;
    *armed = true;
  }
  return Status::Ok;
}

void Stream::space_changed() noexcept {
  space_cv_.notify_all();
  for (PendingRead* p = space_head_; p; p = p->next) {
    if (p->notified || !space_ready(p)) continue;
    p->notified = true;
    run_ready(p);
  }
}

void Stream::space_disarm(PendingRead* p) noexcept {
  unlink(space_head_, p);
  p->armed = false;
  --waiting_writers_;
  if (released_) idle_cv_.notify_all();
}

Status Stream::space_start(PendingRead* p, size_t n, ReadyFn fn, void* arg, bool* armed) noexcept {
  *armed = false;
  if (p->armed) return fail(Status::State, "space_start: this pending read is already armed");
  if (!fn) return fail(Status::Inval, "space_start: no ready callback");
  std::lock_guard<std::mutex> lk(mu_);
  if (Status st = check_writable(n, "space_start"); st != Status::Ok) return st;
  if (room_for(n)) return Status::Ok;
  *p = PendingRead{};
  p->fn = fn;
  p->arg = arg;
  p->d.min = n;
  p->space = true;
  p->armed = true;
  link(space_head_, p);
  ++waiting_writers_;
  *armed = true;
  return Status::Ok;
}

Status Stream::read_finish(PendingRead* p, bool cancel, size_t* nread) noexcept {
  *nread = 0;
  ViewRep* v = nullptr;
  {
    std::unique_lock<std::mutex> lk = lock_data();
    if (!p->armed) return fail(Status::State, "read_finish: the pending read is not armed");
    if (p->space) {  // the write it waited for reports close, abort and limits itself
      const bool ready = space_ready(p);
      if (!ready && !cancel) {
        p->notified = false;  // another writer took the room first: wait on
        return fail(Status::Again, "write: the unread bytes are still at the high-water mark");
      }
      space_disarm(p);
      return ready ? Status::Ok : fail(Status::Canceled, "write: canceled");
    }
    if (p->d.filled > 0) {  // a writer copied into the reader's memory: those bytes are its own
      pending_disarm(p);
      *nread = p->d.filled;
      return Status::Ok;
    }
    if (aborted_) {
      pending_disarm(p);
      return fail(Status::Aborted, "read: the stream was aborted (code %d)", abort_code_);
    }
    if (!pending_ready(p)) {
      if (cancel) {
        pending_disarm(p);
        return fail(Status::Canceled, "read: canceled");
      }
      p->notified = false;  // another reader took the bytes first: wait on
      return fail(Status::Again, "read: not enough data yet");
    }
    pending_disarm(p);
    if (p->d.cap == 0) return Status::Ok;  // a wait: nothing to take
    if (Status st = take(std::min(p->d.cap, unread()), &v); st != Status::Ok) return st;
  }
  *nread = copy_taken(v, p->d.dst);
  return Status::Ok;
}

}  // namespace chunkbuf
