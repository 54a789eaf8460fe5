// next_stamp: each call empties the table; at wrap-around no slot from 2^32 generations ago
// comes back to life.
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "metrics/text/stamped_slots.h"

namespace imaxbench {
namespace {

struct Slot {
  std::uint32_t stamp = 0;
};

TEST(NextStamp, MovesOnSoEarlierSlotsAreNotLive) {
  std::uint32_t stamp = 7;
  std::vector<Slot> slots(4);
  slots[2].stamp = stamp;  // live now
  next_stamp(stamp, slots);
  EXPECT_EQ(stamp, 8u);
  EXPECT_NE(slots[2].stamp, stamp);
}

TEST(NextStamp, WrapClearsEverySlotAndRestartsAtOne) {
  std::uint32_t stamp = 0xFFFFFFFFu;
  std::vector<Slot> slots(3);
  slots[0].stamp = 1;  // written 2^32 - 2 generations ago: would look live after a plain wrap
  slots[1].stamp = 0xFFFFFFFFu;
  next_stamp(stamp, slots);
  EXPECT_EQ(stamp, 1u);
  for (const Slot& slot : slots) EXPECT_NE(slot.stamp, stamp);
}

}  // namespace
}  // namespace imaxbench
