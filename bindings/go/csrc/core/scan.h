// RecordScanner: the one place that knows where a line or a record ends.
// Buffer take_line/take_lines/take_records and their peeks, and Stream line
// reads, all ask it, over a SegCursor that a batch keeps from record to
// record (so a batch is linear in the bytes scanned, whatever the segment
// count).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "cursor.h"
#include "status.h"

namespace chunkbuf {

// Finds the bytes equal to ch in p[0, n) (n < 2^32), in order, writing
// their offsets to out, until at least `want` are found or the run ends.
// Returns how many were written (may be more than want: the whole of the
// last 64-byte step) and sets *scanned to how many bytes were looked at
// (n unless it stopped early): every match before *scanned is in out. out
// needs room for want + 64 entries. Vector compares where the CPU has AVX2
// (chosen at run time), else memchr.
size_t find_byte_ends(const char* p, size_t n, char ch, uint32_t* out, size_t want, size_t* scanned) noexcept;

enum class Eol { Any = 0, Crlf = 1, CrlfStrict = 2, Lf = 3, Nul = 4 };

// Whether `have` bytes in which no end was found already make a record
// longer than max_len (0: unlimited), allowing `slack` more for the first
// bytes of an end still arriving. Never computes max_len + slack, which
// wraps round for a max_len near SIZE_MAX (a caller's "no limit").
inline bool past_limit(size_t have, size_t max_len, size_t slack) noexcept {
  return max_len && have > max_len && have - max_len > slack;
}

class RecordScanner {
 public:
  // Lines ending in an end-of-line of style eol (as evbuffer_eol_style):
  //   Any         any run of CR and LF bytes
  //   Crlf        LF, with a CR before it counted in when the line has one
  //   CrlfStrict  exactly CR LF
  //   Lf / Nul    exactly one LF / NUL byte
  static RecordScanner lines(Eol eol) noexcept { return RecordScanner(eol, nullptr, 0); }
  // Records ending in the n (>= 1) bytes of delim (not copied: it must
  // outlive the scanner).
  static RecordScanner delimited(const char* delim, size_t n) noexcept {
    return RecordScanner(Eol::Lf, delim, n);
  }

  // Finds the end of the record that starts at `start`, looking at bytes
  // [c.pos(), total) of the run (c.pos() >= start; a caller that resumes a
  // scan puts the cursor up to slack() bytes before where it stopped).
  // Found: *found = true, *pos = absolute offset where the delimiter starts
  // (>= start), *dlen = its length, and the cursor is at or before *pos.
  // Fails only with NoMem (a long delimiter's search tables).
  // Inline for one-byte ends, so a batch loop is a memchr loop.
  Status next(SegCursor& c, size_t start, size_t total, bool* found, size_t* pos, size_t* dlen) const noexcept {
    if (byte_) {
      *found = next_byte(c, start, total, pos, dlen);
      return Status::Ok;
    }
    return next_search(c, total, found, pos, dlen);
  }

  // The end-of-line byte when every record ends in exactly that one byte
  // (the Lf and Nul styles), else -1: scan_byte_lines (line_handout.h)
  // finds those ends faster than next() can.
  int single_byte() const noexcept { return byte_ && eol_ != Eol::Crlf ? static_cast<unsigned char>(ch_) : -1; }

  // How many trailing bytes may be the first part of a delimiter still
  // arriving: 0 for one-byte ends, 1 for the CR of a CRLF, n - 1 for an
  // n-byte delimiter.
  size_t slack() const noexcept { return slack_; }

 private:
  RecordScanner(Eol eol, const char* delim, size_t n) noexcept;
  // One-byte ends (LF, NUL, and the LF of CRLF): memchr over the chunks.
  bool next_byte(SegCursor& c, size_t start, size_t total, size_t* pos, size_t* dlen) const noexcept {
    while (!c.at_end() && c.pos() < total) {
      const SegCursor::Chunk k = c.chunk();
      const size_t len = k.n < total - c.pos() ? k.n : total - c.pos();
      const void* hit = std::memchr(k.p, ch_, len);
      if (!hit) {
        c.advance(len);
        continue;
      }
      c.advance(static_cast<size_t>(static_cast<const char*>(hit) - k.p));
      *pos = c.pos();
      *dlen = 1;
      if (eol_ == Eol::Crlf && *pos > start && c.byte_before() == '\r') {
        --*pos;
        *dlen = 2;
      }
      return true;
    }
    return false;
  }
  // Multi-byte delimiters, CrlfStrict and Any: a segment search.
  Status next_search(SegCursor& c, size_t total, bool* found, size_t* pos, size_t* dlen) const noexcept;

  Eol eol_;
  bool byte_;  // next_byte answers
  char ch_;    // the byte it looks for
  const char* delim_;  // delimited records; nullptr for lines
  size_t dn_;
  size_t slack_;
};

}  // namespace chunkbuf
