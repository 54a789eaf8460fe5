// keep_until_exit (core/keep_until_exit.h): what a command hands over outlives it, and is never
// destroyed (the process's exit takes it back).
#include "core/keep_until_exit.h"

#include <utility>

#include <gtest/gtest.h>

namespace imaxbench {
namespace {

bool destroyed = false;

struct Tracked {
  bool owns = true;
  Tracked() = default;
  Tracked(Tracked&& other) noexcept : owns(std::exchange(other.owns, false)) {}
  ~Tracked() {
    if (owns) destroyed = true;
  }
};

TEST(KeepUntilExit, WhatIsKeptOutlivesItsOwner) {
  {
    Tracked data;
    keep_until_exit(std::move(data));
  }
  EXPECT_FALSE(destroyed);
  {
    Tracked other;  // the same type, not handed over: destroyed as usual
  }
  EXPECT_TRUE(destroyed);
}

}  // namespace
}  // namespace imaxbench
