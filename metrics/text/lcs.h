// Length of the longest common subsequence of two token-id sequences, for ROUGE-L (rouge-score's
// and pycocoevalcap's): Hyyrö's bit-parallel algorithm ("Bit-parallel LCS-length computation
// revisited", 2004), exact, 64 table cells per machine-word operation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace imaxbench {

// Ids are dense (all below n_ids), so the match masks are a small table indexed by id.
std::size_t lcs_length(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b,
                       std::uint32_t n_ids);

}  // namespace imaxbench
