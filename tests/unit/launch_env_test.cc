// `--shard auto` and `--device cuda:auto` from simulated launcher environments: the variables Slurm
// (arrays, srun steps), Open MPI / PMIx / MPICH, torchrun and Kubernetes Indexed Jobs set, alone and
// combined, and the messages for a missing or malformed one.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "core/error.h"
#include "harness/launch_env.h"

namespace imaxbench {
namespace {

EnvLookup env(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::string shard(std::map<std::string, std::string> vars) { return shard_from_environment(env(vars)).shard.str(); }

std::string usage_error(std::map<std::string, std::string> vars) {
  try {
    shard_from_environment(env(vars));
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(LaunchEnv, SlurmArray) {
  std::set<std::string> seen;
  for (int id = 1; id <= 4; ++id)
    seen.insert(shard({{"SLURM_ARRAY_TASK_ID", std::to_string(id)}, {"SLURM_ARRAY_TASK_MIN", "1"},
                       {"SLURM_ARRAY_TASK_MAX", "4"}, {"SLURM_ARRAY_TASK_COUNT", "4"},
                       {"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "1"}}));
  EXPECT_EQ(seen, (std::set<std::string>{"1/4", "2/4", "3/4", "4/4"}));
  // A stepped array (0-6:2) without a count: its places from min, max and step.
  EXPECT_EQ(shard({{"SLURM_ARRAY_TASK_ID", "4"}, {"SLURM_ARRAY_TASK_MIN", "0"}, {"SLURM_ARRAY_TASK_MAX", "6"},
                   {"SLURM_ARRAY_TASK_STEP", "2"}}),
            "3/4");
  const auto s = shard_from_environment(env({{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_MIN", "1"},
                                             {"SLURM_ARRAY_TASK_COUNT", "4"}}));
  EXPECT_EQ(s.source, "SLURM_ARRAY_TASK_ID=3 (4 array tasks from 1)");
  EXPECT_NE(usage_error({{"SLURM_ARRAY_TASK_ID", "3"}}).find("SLURM_ARRAY_TASK_MIN"), std::string::npos);
  EXPECT_NE(usage_error({{"SLURM_ARRAY_TASK_ID", "9"}, {"SLURM_ARRAY_TASK_MIN", "1"}, {"SLURM_ARRAY_TASK_COUNT", "4"}})
                .find("not a place among 4"),
            std::string::npos);
}

TEST(LaunchEnv, LauncherRanks) {
  // mpirun inside an sbatch job: every rank keeps the batch step's SLURM_PROCID 0.
  EXPECT_EQ(shard({{"OMPI_COMM_WORLD_RANK", "2"}, {"OMPI_COMM_WORLD_SIZE", "4"}, {"SLURM_PROCID", "0"},
                   {"SLURM_NTASKS", "4"}}),
            "3/4");
  EXPECT_EQ(shard({{"PMIX_RANK", "1"}, {"PMI_SIZE", "3"}}), "2/3");
  EXPECT_EQ(shard({{"PMI_RANK", "0"}, {"PMI_SIZE", "2"}}), "1/2");
  EXPECT_EQ(shard({{"RANK", "1"}, {"WORLD_SIZE", "2"}, {"LOCAL_RANK", "1"}}), "2/2");
  EXPECT_EQ(shard({{"SLURM_PROCID", "3"}, {"SLURM_NTASKS", "4"}}), "4/4");
  // RANK alone is too common a name to trust without WORLD_SIZE; one srun task is no shard.
  EXPECT_NE(usage_error({{"RANK", "1"}}).find("give --shard K/N"), std::string::npos);
  EXPECT_NE(usage_error({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "1"}}).find("no launcher environment"),
            std::string::npos);
  EXPECT_NE(usage_error({{"OMPI_COMM_WORLD_RANK", "x1"}, {"OMPI_COMM_WORLD_SIZE", "4"}}).find("OMPI_COMM_WORLD_RANK='x1'"),
            std::string::npos);
  EXPECT_NE(usage_error({{"OMPI_COMM_WORLD_RANK", "4"}, {"OMPI_COMM_WORLD_SIZE", "4"}}).find("not a place among 4"),
            std::string::npos);
  EXPECT_NE(usage_error({{"PMIX_RANK", "0"}}).find("OMPI_COMM_WORLD_SIZE or PMI_SIZE"), std::string::npos);
}

TEST(LaunchEnv, ArrayTimesRanks) {
  // Array task 2 of 4, MPI rank 1 of 2: the 4th of 8 shards; every pair a different shard.
  std::set<std::string> seen;
  for (int id = 1; id <= 4; ++id)
    for (int rank = 0; rank < 2; ++rank)
      seen.insert(shard({{"SLURM_ARRAY_TASK_ID", std::to_string(id)}, {"SLURM_ARRAY_TASK_MIN", "1"},
                         {"SLURM_ARRAY_TASK_COUNT", "4"}, {"OMPI_COMM_WORLD_RANK", std::to_string(rank)},
                         {"OMPI_COMM_WORLD_SIZE", "2"}}));
  EXPECT_EQ(seen.size(), 8u);
  EXPECT_EQ(*seen.begin(), "1/8");
  EXPECT_EQ(shard({{"SLURM_ARRAY_TASK_ID", "2"}, {"SLURM_ARRAY_TASK_MIN", "1"}, {"SLURM_ARRAY_TASK_COUNT", "4"},
                   {"OMPI_COMM_WORLD_RANK", "1"}, {"OMPI_COMM_WORLD_SIZE", "2"}}),
            "4/8");
}

TEST(LaunchEnv, KubernetesIndexedJob) {
  EXPECT_EQ(shard({{"JOB_COMPLETION_INDEX", "0"}, {"IMAXBENCH_SHARD_COUNT", "3"}}), "1/3");
  EXPECT_EQ(shard({{"JOB_COMPLETION_INDEX", "2"}, {"IMAXBENCH_SHARD_COUNT", "3"}}), "3/3");
  EXPECT_NE(usage_error({{"JOB_COMPLETION_INDEX", "0"}}).find("IMAXBENCH_SHARD_COUNT"), std::string::npos);
  EXPECT_NE(usage_error({{"JOB_COMPLETION_INDEX", "3"}, {"IMAXBENCH_SHARD_COUNT", "3"}}).find("not a place"),
            std::string::npos);
}

TEST(LaunchEnv, GivenShardAndDevice) {
  const auto given = resolve_shard("2/3", env({{"OMPI_COMM_WORLD_RANK", "0"}, {"OMPI_COMM_WORLD_SIZE", "4"}}));
  EXPECT_EQ(given.shard.str(), "2/3");
  EXPECT_EQ(given.source, "--shard");
  std::string source;
  EXPECT_EQ(resolve_device("cuda:1", env({{"LOCAL_RANK", "3"}}), source), "cuda:1");
  EXPECT_EQ(source, "");
  EXPECT_EQ(resolve_device("cuda:auto", env({{"LOCAL_RANK", "3"}, {"SLURM_LOCALID", "0"}}), source), "cuda:3");
  EXPECT_EQ(source, "LOCAL_RANK=3");
  EXPECT_EQ(resolve_device("hip:auto", env({{"SLURM_LOCALID", "2"}}), source), "hip:2");
  EXPECT_EQ(resolve_device("cuda:auto", env({}), source), "cuda:0");
  EXPECT_NE(source.find("device 0"), std::string::npos);
  EXPECT_THROW(resolve_device("cuda:auto", env({{"LOCAL_RANK", "-1"}}), source), UsageError);
}

}  // namespace
}  // namespace imaxbench
