#include "kinds.h"

#include <cstring>
#include <mutex>
#include <vector>

namespace chunkbuf {
namespace {

// Names are allocated once and never freed, so kind_name can hand out
// pointers that stay valid for the life of the process.
struct Registry {
  std::mutex mu;
  // Built in, with the fixed ids of kinds.h: raw and the kinds axon ships.
  std::vector<const char*> names{"raw", "pcm16", "mulaw8", "jpeg"};
};

Registry& registry() {
  static Registry* r = new Registry;  // lives for the process: names are static
  return *r;
}

}  // namespace

Status kind_register(const char* name, uint32_t* kind) noexcept {
  size_t len = strnlen(name, kMaxKindName + 1);
  if (len == 0 || len > kMaxKindName) return fail(Status::Inval, "a kind name must have 1 to 63 bytes");
  for (size_t i = 0; i < len; ++i)
    if (name[i] < 0x21 || name[i] > 0x7e) return fail(Status::Inval, "a kind name must be printable ASCII");
  try {
    Registry& r = registry();
    std::lock_guard<std::mutex> lk(r.mu);
    for (size_t i = 0; i < r.names.size(); ++i) {
      if (std::strcmp(r.names[i], name) == 0) {
        *kind = static_cast<uint32_t>(i);
        return Status::Ok;
      }
    }
    if (r.names.size() >= 65536) return fail(Status::Limit, "too many content kinds registered");
    r.names.reserve(r.names.size() + 1);
    char* copy = new char[len + 1];
    std::memcpy(copy, name, len + 1);
    r.names.push_back(copy);
    *kind = static_cast<uint32_t>(r.names.size() - 1);
    return Status::Ok;
  } catch (...) {
    return fail(Status::NoMem, "out of memory registering a content kind");
  }
}

Status kind_name(uint32_t kind, const char** name) noexcept {
  Registry& r = registry();
  std::lock_guard<std::mutex> lk(r.mu);
  if (kind >= r.names.size()) return fail(Status::Inval, "content kind %u is not registered", kind);
  *name = r.names[kind];
  return Status::Ok;
}

bool kind_known(uint32_t kind) noexcept {
  Registry& r = registry();
  std::lock_guard<std::mutex> lk(r.mu);
  return kind < r.names.size();
}

void kinds_lock_for_fork() noexcept { registry().mu.lock(); }
void kinds_unlock_after_fork() noexcept { registry().mu.unlock(); }

}  // namespace chunkbuf
