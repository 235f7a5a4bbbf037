// 80-byte lines arriving in 4 KiB chunks: chunkbuf take_line and the batch
// take_lines beside evbuffer_readln(EVBUFFER_EOL_LF) and a memchr loop over
// one contiguous array (the limit). CHUNKBUF_BENCH_LINES_MIB sets the
// total (default 16; the full size is 256).
#include <benchmark/benchmark.h>
#include <event2/buffer.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

#include "common.h"

namespace {

constexpr size_t kLine = 80;   // bytes per line, LF included
constexpr size_t kChunk = 4096;
constexpr size_t kBatch = 256;  // records per take_lines call

const std::string& lines_data() {
  static const std::string data = [] {
    size_t total = (bench::env_mib("CHUNKBUF_BENCH_LINES_MIB", 16) << 20) / kLine * kLine;  // whole lines
    std::string s = bench::random_text(total, "abcdefghijklmnopqrstuvwxyz0123456789 ");
    for (size_t i = kLine - 1; i < s.size(); i += kLine) s[i] = '\n';
    return s;
  }();
  return data;
}

// Feeds the data in kChunk pieces to `append`, calling `drain` after each.
template <typename Append, typename Drain>
void feed(const std::string& data, Append append, Drain drain) {
  for (size_t off = 0; off < data.size(); off += kChunk) {
    append(data.data() + off, std::min(kChunk, data.size() - off));
    drain();
  }
}

void finish(benchmark::State& st, size_t lines, size_t bytes) {
  const std::string& data = lines_data();
  if (lines != data.size() / kLine || bytes != lines * (kLine - 1)) st.SkipWithError("wrong line count");
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations() * lines));
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations() * data.size()));
}

void lines_chunkbuf_take_line(benchmark::State& st) {
  const std::string& data = lines_data();
  chunkbuf_buffer* b = nullptr;
  bench::check(chunkbuf_buffer_new(nullptr, &b), "buffer_new");
  size_t lines = 0, bytes = 0;
  for (auto _ : st) {
    lines = bytes = 0;
    feed(data, [&](const char* p, size_t n) { chunkbuf_buffer_append(b, p, n); },
         [&] {
           chunkbuf_view* v = nullptr;
           while (chunkbuf_buffer_take_line(b, CHUNKBUF_EOL_LF, 0, &v) == CHUNKBUF_OK) {
             size_t n = 0;
             chunkbuf_view_len(v, &n);
             bytes += n;
             ++lines;
             chunkbuf_view_release(v);
           }
         });
  }
  finish(st, lines, bytes);
  chunkbuf_buffer_free(b);
}

void lines_chunkbuf_take_lines(benchmark::State& st) {
  const std::string& data = lines_data();
  chunkbuf_buffer* b = nullptr;
  bench::check(chunkbuf_buffer_new(nullptr, &b), "buffer_new");
  chunkbuf_record recs[kBatch];
  size_t lines = 0, bytes = 0;
  for (auto _ : st) {
    lines = bytes = 0;
    feed(data, [&](const char* p, size_t n) { chunkbuf_buffer_append(b, p, n); },
         [&] {
           for (;;) {
             size_t got = 0;
             chunkbuf_view* v = nullptr;
             chunkbuf_buffer_take_lines(b, CHUNKBUF_EOL_LF, 0, recs, kBatch, &got, &v);
             if (got == 0) break;
             for (size_t i = 0; i < got; ++i) bytes += recs[i].length;
             lines += got;
             chunkbuf_view_release(v);
           }
         });
  }
  finish(st, lines, bytes);
  chunkbuf_buffer_free(b);
}

void lines_evbuffer_readln(benchmark::State& st) {
  const std::string& data = lines_data();
  evbuffer* ev = evbuffer_new();
  size_t lines = 0, bytes = 0;
  for (auto _ : st) {
    lines = bytes = 0;
    feed(data, [&](const char* p, size_t n) { evbuffer_add(ev, p, n); },
         [&] {
           size_t n = 0;
           while (char* line = evbuffer_readln(ev, &n, EVBUFFER_EOL_LF)) {
             bytes += n;
             ++lines;
             std::free(line);
           }
         });
  }
  finish(st, lines, bytes);
  evbuffer_free(ev);
}

void lines_memchr(benchmark::State& st) {
  const std::string& data = lines_data();
  size_t lines = 0, bytes = 0;
  for (auto _ : st) {
    lines = bytes = 0;
    const char* p = data.data();
    const char* end = p + data.size();
    while (const void* hit = std::memchr(p, '\n', static_cast<size_t>(end - p))) {
      const char* q = static_cast<const char*>(hit);
      bytes += static_cast<size_t>(q - p);
      ++lines;
      p = q + 1;
    }
    benchmark::DoNotOptimize(bytes);
  }
  finish(st, lines, bytes);
}

BENCHMARK(lines_chunkbuf_take_line)->Unit(benchmark::kMillisecond);
BENCHMARK(lines_chunkbuf_take_lines)->Unit(benchmark::kMillisecond);
BENCHMARK(lines_evbuffer_readln)->Unit(benchmark::kMillisecond);
BENCHMARK(lines_memchr)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
