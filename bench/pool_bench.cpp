// Pool acquire+release beside malloc+free of the same sizes, on 1 and 2
// threads. Uses the core Pool directly (linked statically): the C API has
// no bare acquire/release, and going through a buffer would only reuse its
// warm write block without touching the pool.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "core/pool.h"

namespace {

chunkbuf::Pool* shared_pool() {
  static chunkbuf::Pool* p = chunkbuf::Pool::create(chunkbuf::PoolOptions{});
  return p;
}

void pool_acquire_release(benchmark::State& st) {
  const size_t size = static_cast<size_t>(st.range(0));
  chunkbuf::Pool* pool = shared_pool();
  for (auto _ : st) {
    chunkbuf::Block* b = nullptr;
    if (pool->acquire(size, nullptr, &b) != chunkbuf::Status::Ok) {
      st.SkipWithError("acquire failed");
      break;
    }
    benchmark::DoNotOptimize(b->data);
    b->release();
  }
}

void pool_malloc_free(benchmark::State& st) {
  const size_t size = static_cast<size_t>(st.range(0));
  for (auto _ : st) {
    void* p = std::malloc(size);
    benchmark::DoNotOptimize(p);
    std::free(p);
  }
}

BENCHMARK(pool_acquire_release)->Arg(4096)->Arg(65536)->Threads(1)->Threads(2);
BENCHMARK(pool_malloc_free)->Arg(4096)->Arg(65536)->Threads(1)->Threads(2);

}  // namespace

BENCHMARK_MAIN();
