#include "cancel.h"

#include "stream.h"

namespace chunkbuf {

void Cancel::fire() noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  fired_.store(true, std::memory_order_release);
  fires_.fetch_add(1, std::memory_order_acq_rel);
  for (Link* l = head_; l; l = l->next) l->s->wake();
}

size_t Cancel::users() const noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  size_t n = 0;
  for (Link* l = head_; l; l = l->next) ++n;
  return n;
}

CancelScope::CancelScope(const Wait& w, Stream* s) noexcept : c_(w.cancel), link_{s, nullptr, nullptr} {
  if (!c_) return;
  s->scope_enter();
  std::lock_guard<std::mutex> lk(c_->mu_);
  w.cancel_fires = c_->fires_.load(std::memory_order_acquire);  // a fire from here on is this call's
  link_.next = c_->head_;
  if (c_->head_) c_->head_->prev = &link_;
  c_->head_ = &link_;
}

CancelScope::~CancelScope() {
  if (!c_) return;
  {
    std::lock_guard<std::mutex> lk(c_->mu_);
    if (link_.prev) link_.prev->next = link_.next;
    else c_->head_ = link_.next;
    if (link_.next) link_.next->prev = link_.prev;
  }
  link_.s->scope_leave();  // last touch of the stream: a release may be waiting for it
}

}  // namespace chunkbuf
