// Append/drain throughput and zero-copy append_ref + split_to, each beside
// memcpy (the limit) and libevent's evbuffer.
#include <benchmark/benchmark.h>
#include <event2/buffer.h>

#include <cstring>
#include <vector>

#include "common.h"

namespace {

constexpr size_t kTotal = 1 << 20;  // bytes appended per iteration
constexpr size_t kRefLen = 4096;    // bytes adopted per zero-copy op

void append_chunkbuf(benchmark::State& st) {
  const size_t chunk = static_cast<size_t>(st.range(0));
  std::vector<char> src(chunk, 'x');
  chunkbuf_buffer* b = nullptr;
  bench::check(chunkbuf_buffer_new(nullptr, &b), "buffer_new");
  for (auto _ : st) {
    for (size_t off = 0; off < kTotal; off += chunk) chunkbuf_buffer_append(b, src.data(), chunk);
    chunkbuf_buffer_advance(b, kTotal);
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * kTotal));
  chunkbuf_buffer_free(b);
}

void append_memcpy(benchmark::State& st) {
  const size_t chunk = static_cast<size_t>(st.range(0));
  std::vector<char> src(chunk, 'x');
  std::vector<char> dst(kTotal);
  for (auto _ : st) {
    for (size_t off = 0; off < kTotal; off += chunk) std::memcpy(dst.data() + off, src.data(), chunk);
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * kTotal));
}

void append_evbuffer(benchmark::State& st) {
  const size_t chunk = static_cast<size_t>(st.range(0));
  std::vector<char> src(chunk, 'x');
  evbuffer* ev = evbuffer_new();
  for (auto _ : st) {
    for (size_t off = 0; off < kTotal; off += chunk) evbuffer_add(ev, src.data(), chunk);
    evbuffer_drain(ev, kTotal);
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * kTotal));
  evbuffer_free(ev);
}

BENCHMARK(append_chunkbuf)->Arg(4096)->Arg(65536);
BENCHMARK(append_memcpy)->Arg(4096)->Arg(65536);
BENCHMARK(append_evbuffer)->Arg(4096)->Arg(65536);

// One op: adopt 4 KiB of caller memory, cut it off as a view, release it.
void zerocopy_chunkbuf(benchmark::State& st) {
  static char data[kRefLen];
  chunkbuf_buffer* b = nullptr;
  bench::check(chunkbuf_buffer_new(nullptr, &b), "buffer_new");
  for (auto _ : st) {
    chunkbuf_buffer_append_ref(b, data, kRefLen, nullptr, nullptr);
    chunkbuf_view* v = nullptr;
    chunkbuf_buffer_split_to(b, kRefLen, &v);
    chunkbuf_view_release(v);
  }
  chunkbuf_buffer_free(b);
}

// One op: add 4 KiB by reference, move it to a second evbuffer, drop it.
void zerocopy_evbuffer(benchmark::State& st) {
  static char data[kRefLen];
  evbuffer* src = evbuffer_new();
  evbuffer* dst = evbuffer_new();
  for (auto _ : st) {
    evbuffer_add_reference(src, data, kRefLen, nullptr, nullptr);
    evbuffer_remove_buffer(src, dst, kRefLen);
    evbuffer_drain(dst, kRefLen);
  }
  evbuffer_free(dst);
  evbuffer_free(src);
}

BENCHMARK(zerocopy_chunkbuf);
BENCHMARK(zerocopy_evbuffer);

}  // namespace

BENCHMARK_MAIN();
