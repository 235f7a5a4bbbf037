#include "tenants.h"

namespace chunkbuf {

NameTable& tenant_names() noexcept {
  // Id 0 means "no tenant", so names start at 1. Lives for the process.
  static NameTable* t = new NameTable("tenant", 1, {});
  return *t;
}

}  // namespace chunkbuf
