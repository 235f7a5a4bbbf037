#include "names.h"

#include <cstring>

namespace chunkbuf {

NameTable::NameTable(const char* what, uint32_t first_id, std::initializer_list<const char*> builtins)
    : what_(what), first_(first_id), names_(builtins) {}

Status NameTable::check(const char* name, size_t* len) const noexcept {
  *len = strnlen(name, kMaxName + 1);
  if (*len == 0 || *len > kMaxName) return fail(Status::Inval, "a %s name must have 1 to 63 bytes", what_);
  for (size_t i = 0; i < *len; ++i)
    if (name[i] < 0x21 || name[i] > 0x7e) return fail(Status::Inval, "a %s name must be printable ASCII", what_);
  return Status::Ok;
}

size_t NameTable::find(const char* name) const noexcept {
  size_t i = 0;
  while (i < names_.size() && std::strcmp(names_[i], name) != 0) ++i;
  return i;
}

Status NameTable::intern(const char* name, uint32_t* id) noexcept {
  size_t len = 0;
  if (Status st = check(name, &len); st != Status::Ok) return st;
  try {
    std::lock_guard<std::mutex> lk(mu_);
    size_t i = find(name);
    if (i == names_.size()) {
      if (names_.size() >= 65536) return fail(Status::Limit, "too many %s names registered", what_);
      names_.reserve(names_.size() + 1);
      char* copy = new char[len + 1];
      std::memcpy(copy, name, len + 1);
      names_.push_back(copy);
    }
    *id = static_cast<uint32_t>(i) + first_;
    return Status::Ok;
  } catch (...) {
    return fail(Status::NoMem, "out of memory registering a %s name", what_);
  }
}

Status NameTable::lookup(const char* name, uint32_t* id) noexcept {
  size_t len = 0;
  if (Status st = check(name, &len); st != Status::Ok) return st;
  std::lock_guard<std::mutex> lk(mu_);
  size_t i = find(name);
  if (i == names_.size()) return fail(Status::Inval, "no %s is registered under the name '%s'", what_, name);
  *id = static_cast<uint32_t>(i) + first_;
  return Status::Ok;
}

Status NameTable::name(uint32_t id, const char** out) noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  if (id < first_ || id - first_ >= names_.size()) return fail(Status::Inval, "%s %u has no name", what_, id);
  *out = names_[id - first_];
  return Status::Ok;
}

bool NameTable::known(uint32_t id) noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  return id >= first_ && id - first_ < names_.size();
}

}  // namespace chunkbuf
