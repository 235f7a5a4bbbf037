#include "leaks.h"

#include <dlfcn.h>
#include <execinfo.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "pool.h"
#include "view.h"

namespace chunkbuf::leaks {
namespace {

constexpr int kFrames = 10;

struct Entry {
  bool is_view;
  void* frames[kFrames];
  int nframes;
};

struct Registry {
  std::mutex mu;
  std::unordered_map<const void*, Entry> live;
};

Registry& registry() {
  static Registry* r = new Registry;  // outlives static destruction of users
  return *r;
}

bool env_enabled() {
  const char* env = std::getenv("CHUNKBUF_TRACK_LEAKS");
  return env && *env && std::strcmp(env, "0") != 0;
}

}  // namespace

namespace detail {
std::atomic<bool> g_enabled{env_enabled()};
// Set once tracking was ever on: from then on every release is looked up,
// so an object created while tracking was on is never left dangling in the
// registry after tracking is switched off.
std::atomic<bool> g_ever{env_enabled()};
}  // namespace detail

using detail::g_enabled;
using detail::g_ever;

namespace {

void record(const void* obj, bool is_view) noexcept {
  Entry e{};
  e.is_view = is_view;
  e.nframes = backtrace(e.frames, kFrames);
  try {
    Registry& r = registry();
    std::lock_guard<std::mutex> lk(r.mu);
    r.live[obj] = e;
  } catch (...) {
    // Tracking is best effort: an object we cannot record is just not listed.
  }
}

void forget(const void* obj) noexcept {
  Registry& r = registry();
  std::lock_guard<std::mutex> lk(r.mu);
  r.live.erase(obj);
}

// "module+0xoffset (symbol)" for each frame, skipping chunkbuf's own two.
void describe_stack(const Entry& e, char* out, size_t cap) noexcept {
  size_t used = 0;
  out[0] = '\0';
  for (int i = 2; i < e.nframes && used + 1 < cap; ++i) {
    Dl_info info{};
    int w;
    if (dladdr(e.frames[i], &info) && info.dli_fname) {
      const char* mod = std::strrchr(info.dli_fname, '/');
      mod = mod ? mod + 1 : info.dli_fname;
      w = std::snprintf(out + used, cap - used, "%s %s+0x%zx%s%s%s", i > 2 ? " <-" : "", mod,
                        static_cast<size_t>(static_cast<char*>(e.frames[i]) - static_cast<char*>(info.dli_fbase)),
                        info.dli_sname ? " (" : "", info.dli_sname ? info.dli_sname : "", info.dli_sname ? ")" : "");
    } else {
      w = std::snprintf(out + used, cap - used, "%s %p", i > 2 ? " <-" : "", e.frames[i]);
    }
    if (w < 0) break;
    used += static_cast<size_t>(w);
  }
}

}  // namespace

bool enabled() noexcept { return g_enabled.load(std::memory_order_relaxed); }
void set_enabled(bool on) noexcept {
  if (on) g_ever.store(true, std::memory_order_relaxed);
  g_enabled.store(on, std::memory_order_relaxed);
}

void detail::record_block(const Block* b) noexcept { record(b, false); }
void detail::record_view(const ViewRep* v) noexcept { record(v, true); }
void detail::forget(const void* obj) noexcept { ::chunkbuf::leaks::forget(obj); }

void lock_for_fork() noexcept { registry().mu.lock(); }
void unlock_after_fork() noexcept { registry().mu.unlock(); }

size_t report(const Pool* pool, LineFn fn, void* user_data) noexcept {
  // Collect under the lock, report without it: the sink may release views
  // (which takes the lock) or call back into chunkbuf in any other way.
  std::vector<std::string> lines;
  char stack[1024], line[1400];
  try {
    Registry& r = registry();
    std::lock_guard<std::mutex> lk(r.mu);
    lines.reserve(r.live.size());
    for (const auto& [obj, e] : r.live) {
      if (e.is_view) {
        const auto* v = static_cast<const ViewRep*>(obj);
        const Pool* owner = v->nseg ? v->segs()[0].b->pool : nullptr;
        if (pool && owner != pool) continue;
        describe_stack(e, stack, sizeof stack);
        std::snprintf(line, sizeof line, "live view %p: %zu bytes in %zu segments, %u refs, created at%s", obj,
                      v->len, v->nseg, v->refs.load(std::memory_order_relaxed), stack);
      } else {
        const auto* b = static_cast<const Block*>(obj);
        if (pool && b->pool != pool) continue;
        describe_stack(e, stack, sizeof stack);
        std::snprintf(line, sizeof line, "live block %p: %zu bytes (%s), %u refs, created at%s", obj, b->capacity,
                      b->cls == kExternal ? "external" : b->cls == kDirect ? "direct" : "pooled",
                      b->refs.load(std::memory_order_relaxed), stack);
      }
      lines.emplace_back(line);
    }
  } catch (...) {
    // Out of memory collecting: report what was collected.
  }
  if (fn)
    for (const std::string& l : lines) fn(l.c_str(), user_data);
  return lines.size();
}

}  // namespace chunkbuf::leaks
