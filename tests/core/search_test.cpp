// Differential tests of the segment search against std::string, over random
// segmentations (down to one-byte segments) and random ranges.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "core/buffer.h"
#include "core/search.h"
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

// Segments over one string, cut at the given piece lengths (the last piece
// takes the rest), for calling the segment search directly.
struct Cut {
  std::string data;
  std::vector<Seg> segs;

  Cut(std::string s, const std::vector<size_t>& lens) : data(std::move(s)) {
    size_t off = 0;
    for (size_t n : lens) {
      n = std::min(n, data.size() - off);
      if (n == 0) break;
      segs.push_back(Seg{nullptr, data.data() + off, n});
      off += n;
    }
    if (off < data.size()) segs.push_back(Seg{nullptr, data.data() + off, data.size() - off});
  }
  size_t find(const std::string& needle, size_t start = 0, size_t end = npos, SearchStats* st = nullptr) const {
    size_t pos = 0;
    EXPECT_EQ(seg_find(segs.data(), segs.size(), data.size(), needle.data(), needle.size(), start, end, &pos, st),
              Status::Ok);
    return pos;
  }
};

std::vector<size_t> even_lens(size_t total, size_t piece) { return std::vector<size_t>(total / piece + 1, piece); }

std::vector<size_t> random_lens(size_t total, std::mt19937& rng, size_t lo, size_t hi) {
  std::vector<size_t> lens;
  for (size_t sum = 0; sum < total; sum += lens.back())
    lens.push_back(std::uniform_int_distribution<size_t>(lo, hi)(rng));
  return lens;
}

std::string random_string(size_t n, std::mt19937& rng, const std::string& alphabet) {
  std::string s(n, '\0');
  for (char& c : s) c = alphabet[rng() % alphabet.size()];
  return s;
}

// The work the search may do on n haystack bytes and an m-byte needle:
// linear, with the constants of the prefilter budget and of KMP (see
// search.cpp). A quadratic search would need about n * m.
size_t linear_bound(size_t n, size_t m) { return 4 * n + 64 * (16 + m) + 16 + m + 64; }

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
  ASSERT_EQ(b.find("a", 0, 2, npos, &pos), Status::Ok);  // the empty needle: at start, as bytes.find
  EXPECT_EQ(pos, 2u);
  ASSERT_EQ(b.rfind("a", 0, 1, npos, &pos), Status::Ok);  // and rfind: at the end
  EXPECT_EQ(pos, 3u);
  ASSERT_EQ(b.find("a", 0, 4, npos, &pos), Status::Ok);  // a start past the data finds nothing
  EXPECT_EQ(pos, npos);
  ASSERT_EQ(b.find("c", 1, 3, npos, &pos), Status::Ok);  // start == len: nothing to find
  EXPECT_EQ(pos, npos);
}

TEST(Search, MatchesStdStringForLongerNeedlesAndLargerAlphabets) {
  // The prefilter paths: pieces long enough for the vector loop, needles of
  // every length class, haystacks where the needle's rare bytes are common.
  std::mt19937 rng(777);
  const std::vector<std::string> alphabets = {"ab", "aqz", "qqqqqqqqqe", "abcde fghij klmno pqrst uvwxyz",
                                              "\r\n\r\nab"};
  const std::vector<size_t> lengths = {2, 3, 16, 17, 64, 300};
  for (int round = 0; round < 300; ++round) {
    const std::string& alpha = alphabets[rng() % alphabets.size()];
    size_t len = std::uniform_int_distribution<size_t>(0, 5000)(rng);
    std::string data = random_string(len, rng, alpha);
    size_t piece = std::vector<size_t>{1, 5, 64, 333, 1024, 5000}[rng() % 6];
    Cut cut(data, random_lens(len, rng, std::max<size_t>(1, piece / 2), piece));
    for (int q = 0; q < 10; ++q) {
      size_t m = rng() % 2 ? lengths[rng() % lengths.size()] : std::uniform_int_distribution<size_t>(2, 40)(rng);
      std::string needle;
      if (len >= m && rng() % 2) {
        needle = data.substr(rng() % (len - m + 1), m);  // present somewhere
        if (rng() % 2) needle[rng() % m] ^= 1;             // or nearly
      } else {
        needle = random_string(m, rng, alpha);
      }
      size_t start = rng() % 3 == 0 ? 0 : rng() % (len + 1);
      size_t end = rng() % 3 == 0 ? npos : start + rng() % (len + 2 - start);
      ASSERT_EQ(cut.find(needle, start, end), ref_find(data, needle, start, end))
          << "m " << m << " len " << len << " pieces " << piece << " [" << start << "," << end << ")";
    }
  }
}

TEST(Search, FindsTheNeedleAtEveryOffsetAroundABoundary) {
  std::mt19937 rng(99);
  for (size_t m : {2, 3, 16, 17, 64, 300}) {
    const size_t piece = std::max<size_t>(m, 512);
    // The haystack cannot hold '#', the needle ends with it: one match only.
    std::string needle = random_string(m - 1, rng, "abcdefgh ") + "#";
    for (size_t at = 2 * piece - m - 2; at <= 2 * piece + 2 && at + m <= 4 * piece; ++at) {
      std::string data = random_string(4 * piece, rng, "abcdefgh ");
      data.replace(at, m, needle);
      Cut cut(data, even_lens(data.size(), piece));
      ASSERT_EQ(cut.find(needle), at) << "m " << m << " at " << at;
      EXPECT_EQ(cut.find(needle, at), at);
      EXPECT_EQ(cut.find(needle, at + 1), npos);
      EXPECT_EQ(cut.find(needle, 0, at + m), at);
      EXPECT_EQ(cut.find(needle, 0, at + m - 1), npos);
      EXPECT_EQ(cut.find(needle, at, at + m), at);
    }
  }
}

TEST(Search, AdversarialInputsStayLinear) {
  // Work is counted, not timed: the prefilter charges every candidate it
  // verifies and KMP counts its steps; both must stay within a linear bound
  // where a quadratic search would do about n * m.
  const size_t n = 1 << 16;
  auto repeat = [](const std::string& unit, size_t len) {
    std::string s;
    while (s.size() < len) s += unit;
    return s.substr(0, len);
  };
  auto broken = [](std::string s) {  // the middle byte replaced by a common one
    s[s.size() / 2] = 'e';
    return s;
  };
  for (size_t m : {2, 3, 16, 17, 64, 300}) {
    struct Case {
      std::string hay, needle;
      bool kmp;  // the prefilter must give up on it
    };
    const Case cases[] = {
        // The needle's rare bytes fill the haystack: every start agrees on the
        // probed bytes, and the needle fails at the common byte in its middle.
        {std::string(n, 'q'), broken(std::string(m, 'q')), m >= 3},
        {repeat("qz", n), broken(repeat("qz", m)), m >= 3},
        // The classic for naive search: a run, and a needle failing at one end.
        {std::string(n, 'a'), std::string(m - 1, 'a') + "b", false},
        {std::string(n, 'a'), std::string("b").append(m - 1, 'a'), false},
    };
    for (const Case& c : cases) {
      for (bool plant : {false, true}) {
        std::string hay = c.hay;
        if (plant) hay.replace(n - m - 7, m, c.needle);
        const size_t want = ref_find(hay, c.needle, 0, npos);
        for (size_t piece : {size_t{4096}, size_t{1}, size_t{m}}) {
          Cut cut(hay, even_lens(hay.size(), piece));
          SearchStats st;
          ASSERT_EQ(cut.find(c.needle, 0, npos, &st), want)
              << "m " << m << " piece " << piece << " needle " << c.needle.substr(0, 20);
          EXPECT_LE(st.work + st.kmp_steps, linear_bound(n, m)) << "m " << m << " piece " << piece;
          if (c.kmp) {
            EXPECT_TRUE(st.kmp) << "m " << m << " piece " << piece;
          }
        }
      }
    }
  }
}

TEST(Search, PrefilterGivesUpToKmpOnlyWhenItDoesNotPay) {
  std::mt19937 rng(8);
  const size_t n = 1 << 18;
  // Text where the needle's rare bytes are ordinary letters (1 in 30): the
  // prefilter stays on, and verifies few candidates.
  std::string text = random_string(n, rng, "abcde fghij klmno pqrst uvwxyz");
  Cut cut(text, even_lens(n, 4096));
  SearchStats st;
  EXPECT_EQ(cut.find(" qqqqqqqqqqqqqqq", 0, npos, &st), ref_find(text, " qqqqqqqqqqqqqqq", 0, npos));
  EXPECT_FALSE(st.kmp);
  EXPECT_LT(st.work, n / 16);
  // A byte that never occurs costs no verification at all.
  EXPECT_EQ(cut.find("#quick brown fox", 0, npos, &st), npos);
  EXPECT_FALSE(st.kmp);
  EXPECT_EQ(st.work, 0u);
  // Every start a candidate: KMP takes over, and still finds the match.
  std::string qs(n, 'q');
  std::string needle = "qqqqqqqqeqqqqqqq";
  qs.replace(n - 100, needle.size(), needle);
  Cut qcut(qs, even_lens(n, 4096));
  EXPECT_EQ(qcut.find(needle, 0, npos, &st), n - 100);
  EXPECT_TRUE(st.kmp);
  EXPECT_LE(st.work + st.kmp_steps, linear_bound(n, needle.size()));
}

TEST(Search, ProtocolDelimitersAcrossBoundaries) {
  // Two- and four-byte delimiters whose bytes are the commonest in the data.
  std::string data;
  for (int i = 0; i < 500; ++i) data += "Header-" + std::to_string(i) + ": value\r\n";
  data += "\r\nbody\r\n\r\n";
  std::mt19937 rng(3);
  for (size_t piece : {size_t{1}, size_t{3}, size_t{37}, size_t{4096}}) {
    Cut cut(data, random_lens(data.size(), rng, piece, piece + 5));
    EXPECT_EQ(cut.find("\r\n\r\n"), data.find("\r\n\r\n")) << piece;
    EXPECT_EQ(cut.find("\r\n", 100), data.find("\r\n", 100)) << piece;
    EXPECT_EQ(cut.find("\r\n\r\n", data.find("\r\n\r\n") + 1), data.rfind("\r\n\r\n")) << piece;
  }
}
