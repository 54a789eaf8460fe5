// `imaxbench merge` of sharded `profile --out` folders: the shards' profile.json read back into
// summaries and joined into the profile of the whole selection, as if the shards were one run on
// machines side by side. Latency, TTFT and TPOT histograms add bucket by bucket, so the merged
// percentiles are those of one histogram over every shard's requests (docs/profile.md); counts
// add; throughput adds (the shards ran at the same time); wall time, schedule span and memory
// peaks are the largest; a stage's per-request mean is weighted by answered requests; the result
// is stable only when every shard was. The accuracy of the pass is not merged: a profile keeps no
// answers (merge the shards of a `run` for accuracy), so it is null with the reason.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/profile_report.h"

namespace imaxbench {

// A profile.json's numbers as a summary (the inverse of profile_json). Throws Error naming `path`
// and the key when the document is not a profile.
ProfileSummary profile_summary_from_json(const nlohmann::json& doc, const std::string& path);

// The shards' summaries as one; `names` (the folders) label unstable shards in the message.
// Throws Error when the shards ran different scenarios.
ProfileSummary merge_profile_summaries(const std::vector<ProfileSummary>& shards,
                                       const std::vector<std::string>& names);

}  // namespace imaxbench
