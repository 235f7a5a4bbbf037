#include "kinds.h"

namespace chunkbuf {

NameTable& kinds() noexcept {
  // Built in, with the fixed ids of kinds.h: raw and the kinds axon ships.
  // Lives for the process: names handed out stay valid.
  static NameTable* t = new NameTable("content kind", 0, {"raw", "pcm16", "mulaw8", "jpeg"});
  return *t;
}

}  // namespace chunkbuf
