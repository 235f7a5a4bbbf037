#include "core/copy.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace chunkbuf {
namespace {

// Every length around the vector paths' edges, at every alignment of both
// ends: the bytes arrive, and the bytes either side of the destination
// stay as they were.
TEST(CopyBytes, EveryLengthAndAlignmentCopiesExactlyTheRange) {
  std::vector<unsigned char> src(70000), dst(70200);
  for (size_t i = 0; i < src.size(); ++i) src[i] = static_cast<unsigned char>(i * 131 + 7);
  std::vector<size_t> lengths;
  for (size_t n = 0; n <= 700; ++n) lengths.push_back(n);
  for (size_t n : {1023u, 1024u, 1025u, 4095u, 4096u, 4097u, 65536u, 65537u}) lengths.push_back(n);
  for (size_t n : lengths)
    for (size_t da = 0; da < 64; da += (n > 700 ? 7 : 1))
      for (size_t sa : {size_t{0}, size_t{1}, size_t{31}, size_t{32}, (da * 5) % 64}) {
        std::memset(dst.data(), 0xAB, dst.size());
        unsigned char* d = dst.data() + 64 + da;
        copy_bytes(d, src.data() + sa, n);
        ASSERT_EQ(std::memcmp(d, src.data() + sa, n), 0) << "n " << n << " dst+" << da << " src+" << sa;
        for (unsigned char* p = dst.data(); p < d; ++p) ASSERT_EQ(*p, 0xAB) << "before, n " << n;
        for (unsigned char* p = d + n; p < d + n + 64; ++p) ASSERT_EQ(*p, 0xAB) << "after, n " << n;
      }
}

}  // namespace
}  // namespace chunkbuf
