// Qwen2-VL's multimodal rotary positions (M-RoPE) for a prompt holding one still image, as
// transformers' Qwen2VLForConditionalGeneration.get_rope_index computes them. Torch-free, so the
// arithmetic is unit-tested in every build; the torchscript backend feeds it to decode().
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace imaxbench {

struct MropePositions {
  std::array<std::vector<std::int64_t>, 3> planes;  // time, row, column: one entry per prompt token
  std::int64_t next = 0;                              // all three planes' position of the first new token
};

// `length` prompt tokens whose image tokens (rows x cols of them, row by row) start at
// `image_start`. Text before the image counts 0, 1, ...; image token (r, c) sits at
// (s, s + r, s + c) with s = image_start; text after it resumes at s + max(rows, cols).
MropePositions mrope_positions(std::size_t length, std::size_t image_start, int rows, int cols);

}  // namespace imaxbench
