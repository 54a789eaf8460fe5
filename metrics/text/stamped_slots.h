// Tables emptied in constant time: a slot is live only while its `stamp` equals the table's
// current stamp, so moving the stamp on empties every slot at once (the per-sample tables of
// sacreBLEU's n-gram counts and word ids, and of rouge-score's token ids).
#pragma once

#include <cstdint>
#include <vector>

namespace imaxbench {

// Moves `stamp` on, emptying every slot. When it wraps to 0, a stamp written 2^32 generations
// ago could look current, so every slot's stamp is cleared first and counting restarts at 1.
template <class Slot>
void next_stamp(std::uint32_t& stamp, std::vector<Slot>& slots) {
  if (++stamp != 0) return;
  for (Slot& slot : slots) slot.stamp = 0;
  stamp = 1;
}

}  // namespace imaxbench
