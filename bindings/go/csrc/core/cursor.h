// SegCursor: a forward cursor over a run of segments, in the spirit of Rust
// bytes' Buf. chunk() is the contiguous run of bytes at the cursor (the rest
// of its segment), advance(n) moves past n bytes, pos() is the absolute
// offset. Every segment walk in the core (search, copy, compare, byte
// access, record scans) goes through it, so the boundary arithmetic lives
// here once.
//
// Invariant: the cursor is either past the last segment (at_end()) or
// inside a segment with at least one byte ahead of it; empty segments are
// skipped. Moving forward from the last position costs O(segments
// skipped), so sequential scans stay linear.
#pragma once

#include <cstddef>
#include <cstring>

#include "segment.h"

namespace chunkbuf {

class SegCursor {
 public:
  struct Chunk {
    const char* p;
    size_t n;
  };

  SegCursor(const Seg* segs, size_t nseg) noexcept : segs_(segs), nseg_(nseg) { settle(); }

  size_t pos() const noexcept { return base_ + in_; }
  bool at_end() const noexcept { return idx_ == nseg_; }
  // The bytes from the cursor to the end of its segment ({nullptr, 0} at
  // the end).
  Chunk chunk() const noexcept {
    if (idx_ == nseg_) return {nullptr, 0};
    return {segs_[idx_].p + in_, segs_[idx_].n - in_};
  }
  // Moves past n bytes (n <= the bytes left).
  void advance(size_t n) noexcept {
    in_ += n;
    while (idx_ < nseg_ && in_ >= segs_[idx_].n) {
      in_ -= segs_[idx_].n;
      base_ += segs_[idx_++].n;
    }
  }
  // Copies up to n bytes from the cursor into dst and moves past them;
  // returns how many there were (fewer only at the end of the run).
  size_t copy(void* dst, size_t n) noexcept {
    char* d = static_cast<char*>(dst);
    size_t done = 0;
    while (done < n && !at_end()) {
      const Chunk k = chunk();
      const size_t take = k.n < n - done ? k.n : n - done;
      std::memcpy(d + done, k.p, take);
      advance(take);
      done += take;
    }
    return done;
  }
  // Moves to absolute offset off (<= the run's total); backwards restarts
  // from the first segment.
  void seek(size_t off) noexcept {
    if (off < base_) idx_ = 0, base_ = 0;
    in_ = 0;
    advance(off - base_);
  }
  // Puts the cursor at the start of segment idx, whose absolute offset is
  // base: a position saved earlier (segment(), segment_base()), so a caller
  // that moves forward across calls stays linear.
  void resume(size_t idx, size_t base) noexcept {
    idx_ = idx;
    base_ = base;
    in_ = 0;
    settle();
  }
  // The segments from the cursor's on, and the absolute offset of the
  // first: lets a search run over [segment(), end) without walking again.
  const Seg* segment() const noexcept { return segs_ + idx_; }
  size_t segments_left() const noexcept { return nseg_ - idx_; }
  size_t segment_base() const noexcept { return base_; }
  size_t offset_in_segment() const noexcept { return in_; }
  // The byte before the cursor (pos() > 0).
  char byte_before() const noexcept {
    if (in_ > 0) return segs_[idx_].p[in_ - 1];
    size_t i = idx_ - 1;
    while (segs_[i].n == 0) --i;
    return segs_[i].p[segs_[i].n - 1];
  }

 private:
  void settle() noexcept { advance(0); }

  const Seg* segs_;
  size_t nseg_;
  size_t idx_ = 0;   // current segment
  size_t base_ = 0;  // absolute offset of segs_[idx_]
  size_t in_ = 0;    // offset inside it
};

}  // namespace chunkbuf
