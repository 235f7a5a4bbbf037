// Needle search over a chain of 4 KiB segments (chunkbuf_buffer_find,
// evbuffer_search) beside memmem/memchr over the same bytes as one
// contiguous array (the limit). Cases:
//   rare      16-byte needle whose first byte never occurs (absent)
//   frequent  16-byte needle whose first byte is ' ', about 1 byte in 6 (absent)
//   straddle  16-byte needle found once, across the last segment boundary
//   byte      one byte that never occurs (memchr)
#include <benchmark/benchmark.h>
#include <event2/buffer.h>

#include <cstring>
#include <string>

#include "common.h"

namespace {

constexpr size_t kSeg = 4096;
constexpr size_t kTotal = 1 << 20;  // 256 segments

enum Case { kRare, kFrequent, kStraddle, kByte };

const std::string& haystack() {
  static const std::string s = bench::random_text(kTotal, "abcde fghij klmno pqrst uvwxyz");
  return s;
}

std::string needle(int c) {
  const std::string& h = haystack();
  switch (c) {
    case kRare: return "#quick brown fox";
    case kFrequent: return " qqqqqqqqqqqqqqq";
    case kStraddle: return h.substr(kTotal - kSeg - 8, 16);
    default: return "#";
  }
}

// Where the needle is, found by memmem over the contiguous copy.
size_t expected(const std::string& n) {
  const std::string& h = haystack();
  const void* hit = memmem(h.data(), h.size(), n.data(), n.size());
  return hit ? static_cast<size_t>(static_cast<const char*>(hit) - h.data()) : CHUNKBUF_NPOS;
}

void finish(benchmark::State& st, size_t got, size_t want) {
  if (got != want) st.SkipWithError("wrong position");
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * kTotal));
}

void find_chunkbuf(benchmark::State& st) {
  const std::string& h = haystack();
  const std::string n = needle(static_cast<int>(st.range(0)));
  chunkbuf_buffer* b = nullptr;
  bench::check(chunkbuf_buffer_new(nullptr, &b), "buffer_new");
  for (size_t off = 0; off < kTotal; off += kSeg)  // one segment per 4 KiB
    bench::check(chunkbuf_buffer_append_ref(b, h.data() + off, kSeg, nullptr, nullptr), "append_ref");
  size_t pos = 0;
  for (auto _ : st) {
    chunkbuf_buffer_find(b, n.data(), n.size(), 0, CHUNKBUF_NPOS, &pos);
    benchmark::DoNotOptimize(pos);
  }
  finish(st, pos, expected(n));
  chunkbuf_buffer_free(b);
}

void find_contiguous(benchmark::State& st) {
  const std::string& h = haystack();
  const std::string n = needle(static_cast<int>(st.range(0)));
  const void* hit = nullptr;
  for (auto _ : st) {
    hit = n.size() == 1 ? std::memchr(h.data(), n[0], h.size()) : memmem(h.data(), h.size(), n.data(), n.size());
    benchmark::DoNotOptimize(hit);
  }
  finish(st, hit ? static_cast<size_t>(static_cast<const char*>(hit) - h.data()) : CHUNKBUF_NPOS, expected(n));
}

void find_evbuffer(benchmark::State& st) {
  const std::string& h = haystack();
  const std::string n = needle(static_cast<int>(st.range(0)));
  evbuffer* ev = evbuffer_new();
  for (size_t off = 0; off < kTotal; off += kSeg) evbuffer_add_reference(ev, h.data() + off, kSeg, nullptr, nullptr);
  evbuffer_ptr p{};
  for (auto _ : st) {
    p = evbuffer_search(ev, n.data(), n.size(), nullptr);
    benchmark::DoNotOptimize(p);
  }
  finish(st, p.pos < 0 ? CHUNKBUF_NPOS : static_cast<size_t>(p.pos), expected(n));
  evbuffer_free(ev);
}

void cases(benchmark::internal::Benchmark* b) {
  b->ArgName("case");
  for (int c : {kRare, kFrequent, kStraddle, kByte}) b->Arg(c);
}

BENCHMARK(find_chunkbuf)->Apply(cases);
BENCHMARK(find_contiguous)->Apply(cases);
BENCHMARK(find_evbuffer)->Apply(cases);

}  // namespace

BENCHMARK_MAIN();
