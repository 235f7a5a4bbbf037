// Differential tests of the segment search against std::string, over random
// segmentations (down to one-byte segments) and random ranges.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "core/buffer.h"
#include "test_util.h"

using namespace chunkbuf;
using chunkbuf::test::append_pieces;

namespace {

std::vector<std::string> random_cut(const std::string& s, std::mt19937& rng, size_t max_piece) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t n = std::uniform_int_distribution<size_t>(1, max_piece)(rng);
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

size_t ref_find(const std::string& s, const std::string& needle, size_t start, size_t end) {
  end = std::min(end, s.size());
  if (start > end || end - start < needle.size()) return npos;
  size_t p = s.substr(0, end).find(needle, start);
  return p == std::string::npos ? npos : p;
}

size_t ref_rfind(const std::string& s, const std::string& needle, size_t start, size_t end) {
  end = std::min(end, s.size());
  if (start > end || end - start < needle.size()) return npos;
  size_t p = s.substr(start, end - start).rfind(needle);
  return p == std::string::npos ? npos : p + start;
}

}  // namespace

TEST(Search, MatchesStdStringOverRandomSegmentations) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 400; ++round) {
    // A small alphabet makes partial matches (the hard case) frequent.
    size_t len = std::uniform_int_distribution<size_t>(0, 300)(rng);
    std::string data(len, 'a');
    for (char& c : data) c = "aab"[rng() % 3];
    size_t max_piece = std::vector<size_t>{1, 2, 3, 7, 64, 400}[rng() % 6];
    Buffer b;
    auto pieces = random_cut(data, rng, max_piece);
    append_pieces(b, pieces);
    for (int q = 0; q < 20; ++q) {
      size_t m = std::uniform_int_distribution<size_t>(1, 12)(rng);
      std::string needle;
      if (len >= m && rng() % 2) {
        needle = data.substr(rng() % (len - m + 1), m);  // present somewhere
      } else {
        for (size_t i = 0; i < m; ++i) needle += "aab"[rng() % 3];
      }
      size_t start = len ? rng() % (len + 1) : 0;
      size_t end = rng() % 4 == 0 ? npos : start + rng() % (len + 2 - start);
      size_t pos = 0;
      ASSERT_EQ(b.find(needle.data(), m, start, end, &pos), Status::Ok);
      ASSERT_EQ(pos, ref_find(data, needle, start, end))
          << "find '" << needle << "' in '" << data << "' [" << start << "," << end << ") pieces " << max_piece;
      ASSERT_EQ(b.rfind(needle.data(), m, start, end, &pos), Status::Ok);
      ASSERT_EQ(pos, ref_rfind(data, needle, start, end))
          << "rfind '" << needle << "' in '" << data << "' [" << start << "," << end << ")";
    }
  }
}

TEST(Search, NeedleSplitAcrossTwoAndThreeSegments) {
  Buffer b;
  append_pieces(b, {"...HTTP/1", ".1\r", "\n\r\nbody"});
  size_t pos = 0;
  ASSERT_EQ(b.find("\r\n\r\n", 4, 0, npos, &pos), Status::Ok);
  EXPECT_EQ(pos, 11u);
  ASSERT_EQ(b.find("1.1\r\n", 5, 0, npos, &pos), Status::Ok);  // three segments
  EXPECT_EQ(pos, 8u);
  ASSERT_EQ(b.rfind("1.1\r\n", 5, 0, npos, &pos), Status::Ok);
  EXPECT_EQ(pos, 8u);
}

TEST(Search, LongNeedleOverTinySegmentsUsesTheLinearFallback) {
  // 2000 one-byte segments, a 100-byte needle that nearly matches everywhere:
  // the O(n*m) naive scan would be 200k comparisons per start; KMP is linear.
  std::string data(2000, 'a');
  data[1500] = 'b';
  std::string needle(99, 'a');
  needle += 'b';
  Buffer b;
  std::vector<std::string> pieces;
  for (char c : data) pieces.emplace_back(1, c);
  append_pieces(b, pieces);
  size_t pos = 0;
  ASSERT_EQ(b.find(needle.data(), needle.size(), 0, npos, &pos), Status::Ok);
  EXPECT_EQ(pos, 1401u);
  ASSERT_EQ(b.rfind(needle.data(), needle.size(), 0, npos, &pos), Status::Ok);
  EXPECT_EQ(pos, 1401u);
}

TEST(Search, LargeNeedleWindowAcrossBigSegments) {
  std::string a(5000, 'x'), c(5000, 'y');
  std::string needle = std::string(700, 'x') + std::string(700, 'y');
  Buffer b;
  append_pieces(b, {a, c});
  size_t pos = 0;
  ASSERT_EQ(b.find(needle.data(), needle.size(), 0, npos, &pos), Status::Ok);
  EXPECT_EQ(pos, 4300u);
}

TEST(Search, StartBeyondLengthIsARangeError) {
  Buffer b;
  ASSERT_EQ(b.append("abc", 3), Status::Ok);
  size_t pos = 0;
  EXPECT_EQ(b.find("a", 1, 4, npos, &pos), Status::Range);
  EXPECT_EQ(b.find("a", 0, 0, npos, &pos), Status::Inval);
  ASSERT_EQ(b.find("c", 1, 3, npos, &pos), Status::Ok);  // start == len: nothing to find
  EXPECT_EQ(pos, npos);
}
