// Segments: a (block, pointer, length) triple, and the growable array of
// them that a Buffer keeps (pop at the front, push at the back).
#pragma once

#include <cstddef>
#include <cstring>

#include "mem.h"
#include "pool.h"

namespace chunkbuf {

struct Seg {
  Block* b;
  const char* p;
  size_t n;
};

// Segment array with a moving head. Growth is explicit (reserve_back,
// reserve_front) so that callers can secure memory before changing
// anything.
class SegArray {
 public:
  SegArray() = default;
  SegArray(const SegArray&) = delete;
  SegArray& operator=(const SegArray&) = delete;
  ~SegArray() { mem::free(v_); }

  size_t size() const noexcept { return tail_ - head_; }
  bool empty() const noexcept { return tail_ == head_; }
  Seg* begin() noexcept { return v_ + head_; }
  const Seg* begin() const noexcept { return v_ + head_; }
  Seg& operator[](size_t i) noexcept { return v_[head_ + i]; }
  const Seg& operator[](size_t i) const noexcept { return v_[head_ + i]; }
  Seg& back() noexcept { return v_[tail_ - 1]; }
  const Seg& back() const noexcept { return v_[tail_ - 1]; }

  // Ensures `extra` more push_back calls cannot fail. False on OOM (nothing
  // changed).
  bool reserve_back(size_t extra) noexcept {
    if (tail_ + extra <= cap_) return true;
    size_t live = size();
    if (head_ > 0 && live + extra <= cap_ && head_ >= cap_ / 2) {
      std::memmove(v_, v_ + head_, live * sizeof(Seg));
      head_ = 0;
      tail_ = live;
      return true;
    }
    size_t want = cap_ ? cap_ * 2 : 8;
    while (want < live + extra) want *= 2;
    Seg* nv = static_cast<Seg*>(mem::alloc(want * sizeof(Seg)));
    if (!nv) return false;
    if (live) std::memcpy(nv, v_ + head_, live * sizeof(Seg));
    mem::free(v_);
    v_ = nv;
    cap_ = want;
    head_ = 0;
    tail_ = live;
    return true;
  }
  // Ensures `extra` more push_front calls cannot fail: the live segments
  // move up (in place when the array has room, else into a larger one).
  bool reserve_front(size_t extra) noexcept {
    if (head_ >= extra) return true;
    size_t live = size();
    if (live + extra <= cap_) {
      std::memmove(v_ + extra, v_ + head_, live * sizeof(Seg));
    } else {
      size_t want = cap_ ? cap_ * 2 : 8;
      while (want < live + extra) want *= 2;
      Seg* nv = static_cast<Seg*>(mem::alloc(want * sizeof(Seg)));
      if (!nv) return false;
      if (live) std::memcpy(nv + extra, v_ + head_, live * sizeof(Seg));
      mem::free(v_);
      v_ = nv;
      cap_ = want;
    }
    head_ = extra;
    tail_ = extra + live;
    return true;
  }
  void push_back(const Seg& s) noexcept { v_[tail_++] = s; }   // after reserve_back
  void push_front(const Seg& s) noexcept { v_[--head_] = s; }  // after reserve_front
  void pop_front(size_t k) noexcept {
    head_ += k;
    if (head_ == tail_) head_ = tail_ = 0;
  }
  void pop_back() noexcept { --tail_; }

 private:
  Seg* v_ = nullptr;
  size_t head_ = 0, tail_ = 0, cap_ = 0;
};

}  // namespace chunkbuf
