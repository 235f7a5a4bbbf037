// Differential tests of find_byte_ends against a byte-by-byte loop: every
// length around the 64-byte step and the tail, dense and sparse matches,
// the NUL and 0xFF bytes (the tail's padding must not match them), and
// every `want`, at unaligned starts.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/scan.h"

using namespace chunkbuf;

namespace {

std::vector<uint32_t> ref_ends(const char* p, size_t n, char ch) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < n; ++i)
    if (p[i] == ch) out.push_back(static_cast<uint32_t>(i));
  return out;
}

// Checks one call: the ends it gives are the first ones in order, it gives
// at least want of them unless it scanned everything, and every match
// before *scanned is among them.
void check(const std::string& s, size_t off, size_t n, char ch, size_t want) {
  const char* p = s.data() + off;
  std::vector<uint32_t> ref = ref_ends(p, n, ch);
  std::vector<uint32_t> out(want + 64, 0xdeadbeef);
  size_t scanned = 12345;
  size_t k = find_byte_ends(p, n, ch, out.data(), want, &scanned);
  ASSERT_LE(scanned, n);
  ASSERT_LE(k, want + 63);
  ASSERT_LE(k, ref.size());
  for (size_t i = 0; i < k; ++i) ASSERT_EQ(out[i], ref[i]) << "end " << i << " of n=" << n << " want=" << want;
  size_t before = 0;  // matches before scanned
  while (before < ref.size() && ref[before] < scanned) ++before;
  ASSERT_EQ(k, before) << "n=" << n << " want=" << want << " scanned=" << scanned;
  if (scanned < n) {
    ASSERT_GE(k, want);
  }
  if (k < want) {
    ASSERT_EQ(scanned, n);
  }
}

TEST(ScanEnds, EveryLengthDensityAndWant) {
  std::mt19937 rng(7);
  for (char ch : {'\n', '\0', static_cast<char>(0xff)}) {
    for (int density : {1, 3, 40, 200}) {  // one match in about `density` bytes
      std::string s(600, 'x');
      for (char& c : s) {
        int r = std::uniform_int_distribution<int>(0, density - 1)(rng);
        c = r == 0 ? ch : static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
      }
      for (size_t off : {0, 1, 31}) {
        for (size_t n = 0; n <= 300; ++n) {
          for (size_t want : {1, 2, 5, 64, 256}) check(s, off, n, ch, want);
        }
      }
    }
  }
}

TEST(ScanEnds, AllMatchesAndNone) {
  for (size_t n : {0, 1, 63, 64, 65, 127, 128, 200}) {
    std::string all(n, '\n'), none(n, 'a');
    for (size_t want : {1, 3, 64, 256}) {
      check(all, 0, n, '\n', want);
      check(none, 0, n, '\n', want);
    }
  }
}

}  // namespace
