// chunkbuf beside Abseil's absl::Cord, the chunked string C++ code uses
// today (and evbuffer where it has the operation), on the three things they
// are for: appending and draining chunks, cutting a prefix off without
// copying it, and walking the chunks. Linked into buffer_bench, so
// append_cord runs in the same program as append_chunkbuf.
#include <absl/strings/cord.h>
#include <benchmark/benchmark.h>
#include <event2/buffer.h>

#include <string>
#include <vector>

#include "common.h"

namespace {

constexpr size_t kTotal = 1 << 20;  // bytes held per iteration
constexpr size_t kChunk = 4096;     // bytes per append
constexpr size_t kPrefix = 1500;    // bytes per cut: a message, not a chunk

// One iteration: append 1 MiB in `chunk`-byte pieces, then drop it all.
void append_cord(benchmark::State& st) {
  const size_t chunk = static_cast<size_t>(st.range(0));
  std::string src(chunk, 'x');
  absl::Cord cord;
  for (auto _ : st) {
    for (size_t off = 0; off < kTotal; off += chunk) cord.Append(src);
    cord.RemovePrefix(kTotal);
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * kTotal));
}
BENCHMARK(append_cord)->Arg(4096)->Arg(65536);

// One iteration: 1 MiB arrives in 4 KiB appends (copied in, as a socket read
// would), then is cut into 1500-byte messages, each handed out without a
// copy and dropped.
void split_chunkbuf(benchmark::State& st) {
  std::string src(kChunk, 'x');
  chunkbuf_buffer* b = nullptr;
  bench::check(chunkbuf_buffer_new(nullptr, &b), "buffer_new");
  for (auto _ : st) {
    for (size_t off = 0; off < kTotal; off += kChunk) chunkbuf_buffer_append(b, src.data(), kChunk);
    for (size_t left = kTotal; left > 0;) {
      size_t n = left < kPrefix ? left : kPrefix;
      chunkbuf_view* v = nullptr;
      chunkbuf_buffer_split_to(b, n, &v);
      benchmark::DoNotOptimize(v);
      chunkbuf_view_release(v);
      left -= n;
    }
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * kTotal));
  chunkbuf_buffer_free(b);
}
BENCHMARK(split_chunkbuf);

void split_cord(benchmark::State& st) {
  std::string src(kChunk, 'x');
  absl::Cord cord;
  for (auto _ : st) {
    for (size_t off = 0; off < kTotal; off += kChunk) cord.Append(src);
    while (!cord.empty()) {
      size_t n = cord.size() < kPrefix ? cord.size() : kPrefix;
      absl::Cord msg = cord.Subcord(0, n);  // shares the chunks
      benchmark::DoNotOptimize(msg);
      cord.RemovePrefix(n);
    }
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * kTotal));
}
BENCHMARK(split_cord);

void split_evbuffer(benchmark::State& st) {
  std::string src(kChunk, 'x');
  evbuffer* ev = evbuffer_new();
  evbuffer* msg = evbuffer_new();
  for (auto _ : st) {
    for (size_t off = 0; off < kTotal; off += kChunk) evbuffer_add(ev, src.data(), kChunk);
    for (size_t left = kTotal; left > 0;) {
      size_t n = left < kPrefix ? left : kPrefix;
      evbuffer_remove_buffer(ev, msg, n);  // moves whole chains, copies a partial one
      evbuffer_drain(msg, n);
      left -= n;
    }
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * kTotal));
  evbuffer_free(msg);
  evbuffer_free(ev);
}
BENCHMARK(split_evbuffer);

// One iteration: walk the chunks of 1 MiB adopted by reference as 256
// regions of 4 KiB (zero copy on both sides, so both hold 256 chunks),
// touching each chunk's first byte and length, as a writev or a hash loop
// does. (Copied appends would not compare chunk walks: chunkbuf packs them
// into large blocks, a Cord into 4 KiB flats.)
const std::vector<char>& regions() {
  static const std::vector<char> data(kTotal, 'x');
  return data;
}

void chunks_chunkbuf(benchmark::State& st) {
  chunkbuf_buffer* b = nullptr;
  bench::check(chunkbuf_buffer_new(nullptr, &b), "buffer_new");
  for (size_t off = 0; off < kTotal; off += kChunk)
    bench::check(chunkbuf_buffer_append_ref(b, regions().data() + off, kChunk, nullptr, nullptr), "append_ref");
  std::vector<struct iovec> iov(kTotal / kChunk);
  for (auto _ : st) {
    size_t n = 0, sum = 0;
    chunkbuf_buffer_peek(b, kTotal, iov.data(), iov.size(), &n);
    for (size_t i = 0; i < n; ++i) sum += iov[i].iov_len + static_cast<unsigned char*>(iov[i].iov_base)[0];
    benchmark::DoNotOptimize(sum);
  }
  size_t segs = 0;
  chunkbuf_buffer_segment_count(b, &segs);
  st.counters["chunks"] = static_cast<double>(segs);
  chunkbuf_buffer_free(b);
}
BENCHMARK(chunks_chunkbuf);

void chunks_cord(benchmark::State& st) {
  absl::Cord cord;
  for (size_t off = 0; off < kTotal; off += kChunk)
    cord.Append(absl::MakeCordFromExternal(absl::string_view(regions().data() + off, kChunk), [] {}));
  for (auto _ : st) {
    size_t sum = 0;
    for (absl::string_view c : cord.Chunks()) sum += c.size() + static_cast<unsigned char>(c[0]);
    benchmark::DoNotOptimize(sum);
  }
  size_t chunks = 0;
  for ([[maybe_unused]] absl::string_view c : cord.Chunks()) ++chunks;
  st.counters["chunks"] = static_cast<double>(chunks);
}
BENCHMARK(chunks_cord);

}  // namespace
