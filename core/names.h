// NameTable: a process-wide table of names and the dense ids they map to,
// registered at run time. Content kinds and tenant names are both one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <vector>

#include "status.h"

namespace chunkbuf {

inline constexpr size_t kMaxName = 63;

class NameTable {
 public:
  // Ids start at first_id; builtins take the first ids in order. `what`
  // names the table in error messages ("content kind", "tenant").
  NameTable(const char* what, uint32_t first_id, std::initializer_list<const char*> builtins);

  // The id of name (1..63 printable ASCII bytes), registering it on first use.
  Status intern(const char* name, uint32_t* id) noexcept;
  // The id of an already registered name: Inval when there is none.
  Status lookup(const char* name, uint32_t* id) noexcept;
  // The name of id, valid for the life of the process: Inval when unknown.
  Status name(uint32_t id, const char** out) noexcept;
  bool known(uint32_t id) noexcept;

  // fork() handlers (core/pool_fork.cpp) hold the lock around a fork.
  void lock_for_fork() noexcept { mu_.lock(); }
  void unlock_after_fork() noexcept { mu_.unlock(); }

 private:
  Status check(const char* name, size_t* len) const noexcept;
  // Index of name in names_, or names_.size(); mu_ held.
  size_t find(const char* name) const noexcept;

  const char* const what_;
  const uint32_t first_;
  std::mutex mu_;
  // Names are allocated once and never freed, so name() can hand out
  // pointers that stay valid for the life of the process.
  std::vector<const char*> names_;
};

}  // namespace chunkbuf
