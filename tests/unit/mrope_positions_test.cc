// Qwen2-VL's M-RoPE positions (backends/mrope_positions.h) against transformers 4.45's
// Qwen2VLForConditionalGeneration.get_rope_index: the expected planes below are its output for the
// same token layouts (printed by the venv of tests/cli/hf_equivalence.sh), written out by hand.
#include <gtest/gtest.h>

#include "backends/mrope_positions.h"

namespace imaxbench {
namespace {

using Plane = std::vector<std::int64_t>;

// Two text tokens, a 2 x 3 image, two text tokens: the image sits at (2, 2 + r, 2 + c) and the
// text after it resumes at 2 + max(2, 3) = 5.
TEST(MropePositions, TextImageText) {
  const MropePositions m = mrope_positions(10, 2, 2, 3);
  EXPECT_EQ(m.planes[0], (Plane{0, 1, 2, 2, 2, 2, 2, 2, 5, 6}));
  EXPECT_EQ(m.planes[1], (Plane{0, 1, 2, 2, 2, 3, 3, 3, 5, 6}));
  EXPECT_EQ(m.planes[2], (Plane{0, 1, 2, 3, 4, 2, 3, 4, 5, 6}));
  EXPECT_EQ(m.next, 7);
}

// A tall grid (3 rows, 1 column) right after <|vision_start|>, nothing after it.
TEST(MropePositions, TallImageLast) {
  const MropePositions m = mrope_positions(4, 1, 3, 1);
  EXPECT_EQ(m.planes[0], (Plane{0, 1, 1, 1}));
  EXPECT_EQ(m.planes[1], (Plane{0, 1, 2, 3}));
  EXPECT_EQ(m.planes[2], (Plane{0, 1, 1, 1}));
  EXPECT_EQ(m.next, 4);
}

// Without an image (the start past the end) the three planes are plain 1-D positions, as
// get_rope_index gives for text alone.
TEST(MropePositions, TextOnly) {
  const MropePositions m = mrope_positions(4, 4, 2, 2);
  for (const Plane& p : m.planes) EXPECT_EQ(p, (Plane{0, 1, 2, 3}));
  EXPECT_EQ(m.next, 4);
}

}  // namespace
}  // namespace imaxbench
